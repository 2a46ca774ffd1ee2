//! Docs, the words the documents share: labels in English and Swedish, clause titles in a
//! language, and Markdown escaping.

use crate::pack::ClauseInfo;
use crate::pack::RulePack;

/// The words of the documents, in English or Swedish (other languages get English).
pub(super) struct Labels {
    pub(super) requirements: &'static str,
    pub(super) legend: &'static str,
    pub(super) required: &'static str,
    pub(super) supporting: &'static str,
    pub(super) none: &'static str,
    pub(super) pack: &'static str,
    pub(super) edition: &'static str,
    pub(super) languages: &'static str,
    pub(super) digest: &'static str,
    pub(super) clauses: &'static str,
    pub(super) clause: &'static str,
    pub(super) title: &'static str,
    pub(super) references: &'static str,
    pub(super) severities: &'static str,
    pub(super) deadlines: &'static str,
    pub(super) depends: &'static str,
    pub(super) parameters: &'static str,
    pub(super) parameter: &'static str,
    pub(super) default: &'static str,
    pub(super) source: &'static str,
    pub(super) tables: &'static str,
    pub(super) key: &'static str,
    pub(super) value: &'static str,
    pub(super) other_countries: &'static str,
    pub(super) no_default: &'static str,
}

const EN: Labels = Labels {
    requirements: "Evidence requirements",
    legend: "Fields are JSON Pointers into the evidence document; `*` stands for every item of a list. \
             Required fields are needed for a decision: without them the clause is judged insufficient \
             evidence, never compliant. Supporting fields have a fallback or are used for messages, \
             severity and remediation.",
    required: "Required for a decision",
    supporting: "Supporting",
    none: "none",
    pack: "Pack",
    edition: "Edition",
    languages: "Languages",
    digest: "Digest",
    clauses: "Clauses",
    clause: "Clause",
    title: "Title",
    references: "References",
    severities: "Severities",
    deadlines: "Default deadlines",
    depends: "depends on the evidence",
    parameters: "Parameters",
    parameter: "Parameter",
    default: "Default",
    source: "Source",
    tables: "Tables",
    key: "Key",
    value: "Value",
    other_countries: "Other keys",
    no_default: "no value",
};

const SV: Labels = Labels {
    requirements: "Krav på underlag",
    legend: "Fälten är JSON-pekare i underlaget; `*` står för varje post i en lista. \
             Obligatoriska fält behövs för ett beslut: utan dem bedöms klausulen som otillräckligt \
             underlag, aldrig som uppfylld. Stödjande fält har ett reservvärde eller används i \
             meddelanden, allvarlighetsgrad och åtgärder.",
    required: "Obligatoriska för ett beslut",
    supporting: "Stödjande",
    none: "inga",
    pack: "Paket",
    edition: "Utgåva",
    languages: "Språk",
    digest: "Kontrollsumma",
    clauses: "Klausuler",
    clause: "Klausul",
    title: "Rubrik",
    references: "Referenser",
    severities: "Allvarlighetsgrader",
    deadlines: "Tidsfrister",
    depends: "beror på underlaget",
    parameters: "Parametrar",
    parameter: "Parameter",
    default: "Standardvärde",
    source: "Källa",
    tables: "Tabeller",
    key: "Nyckel",
    value: "Värde",
    other_countries: "Övriga nycklar",
    no_default: "inget värde",
};

/// The labels for a language: Swedish for `sv`, else English.
pub(super) fn labels(language: &str) -> &'static Labels {
    if language == "sv" { &SV } else { &EN }
}

/// The clause's title in the language, else its first title, else its id.
pub(super) fn title<'a>(info: &'a ClauseInfo, language: &str) -> &'a str {
    info.titles
        .iter()
        .find(|(l, _)| l == language)
        .or_else(|| info.titles.first())
        .map_or(info.id.as_str(), |(_, t)| t.as_str())
}

/// The title of the pack's clause `id` in the language, else the id.
pub(super) fn clause_title(pack: &RulePack, id: &str, language: &str) -> String {
    pack.clauses()
        .iter()
        .find(|c| c.id == id)
        .map_or_else(|| id.to_string(), |c| title(c, language).to_string())
}

/// Text inside a Markdown line: no line breaks.
pub(super) fn md_inline(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

/// Text inside a Markdown table cell.
pub(super) fn md_cell(text: &str) -> String {
    let t = md_inline(text).replace('|', "\\|");
    if t.is_empty() { "–".into() } else { t }
}

/// A source or reference as a published reference shows it: without the parts that cite the
/// pack's own files (`SEMANTICS.md §…`), without "(low confidence)" notes, and with a draft's
/// bracketed terms (`[four (4)] weeks`) as plain text. Parts are separated by `; `.
///
/// ```text
/// "Regions' clause §3 ([two (2)] weeks); SEMANTICS.md §Catalogue" → "Regions' clause §3 (two (2) weeks)"
/// ```
pub(super) fn publishable(text: &str) -> String {
    let parts: Vec<String> = text
        .split("; ")
        .filter(|part| !cites_a_file(part))
        .map(|part| {
            let part = part
                .replace(" (low confidence)", "")
                .replace("(low confidence)", "");
            part.replace(['[', ']'], "").trim().to_string()
        })
        .filter(|part| !part.is_empty())
        .collect();
    parts.join("; ")
}

/// Whether a text names a file of the pack (`SEMANTICS.md`, `EVIDENCE.md §Sites`).
fn cites_a_file(text: &str) -> bool {
    text.split(|c: char| c.is_whitespace() || c == '(' || c == ',')
        .any(|word| {
            let word = word.trim_end_matches(['.', ')', ':']);
            [".md", ".conduct", ".json"]
                .iter()
                .any(|ext| word.len() > ext.len() && word.ends_with(ext))
        })
}

#[cfg(test)]
mod tests {
    use super::publishable;

    #[test]
    fn publishable_drops_file_references_notes_and_brackets() {
        assert_eq!(
            publishable("Regions' clause §3 ([two (2)] weeks); SEMANTICS.md §Catalogue (inferred)"),
            "Regions' clause §3 (two (2) weeks)"
        );
        assert_eq!(
            publishable("Labour Act 4857 (low confidence)"),
            "Labour Act 4857"
        );
        assert_eq!(publishable("SEMANTICS.md §Countries"), "");
        assert_eq!(publishable("ILO C138 art. 2"), "ILO C138 art. 2");
    }
}
