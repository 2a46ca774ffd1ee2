//! Docs, the pack reference: a [`RulePack`] and a language → what the reference shows (the
//! pack's title in the language, what each severity means and what deadlines count from, in
//! the catalogue's words; clauses with their titles, references, severities and deadlines in
//! words of the language; parameters and tables with their sources, cleaned for
//! publishing: no citations of the pack's own files, no "(low confidence)" notes, no brackets
//! of draft terms), and that as Markdown.

use std::fmt::Write as _;

use super::text::{Labels, labels, md_cell, md_inline, publishable, title};
use crate::pack::ClauseInfo;
use crate::pack::RulePack;
use crate::program::{Const, text_in};
use crate::report::Severity;
use crate::report::catalogue::Catalogue;

/// A parameter as the reference shows it.
pub(super) struct ParamRow {
    pub(super) name: String,
    /// (language, title), in the order written.
    pub(super) titles: Vec<(String, String)>,
    pub(super) default: String,
    pub(super) at_least: Option<String>,
    pub(super) at_most: Option<String>,
    /// The evidence field that takes precedence, in the reader's words (its description),
    /// else dotted.
    pub(super) overridden_by: Option<String>,
    pub(super) source: String,
}

impl ParamRow {
    /// The title in `language` (else the first written), or `None` without titles.
    pub(super) fn title(&self, language: &str) -> Option<&str> {
        self.titles
            .iter()
            .find(|(l, _)| l == language)
            .or_else(|| self.titles.first())
            .map(|(_, t)| t.as_str())
    }

    /// The default with what may replace it, in `language`: `14 (at least 0, at most 365;
    /// the contract's deadline for reporting a severe deviation, in days, where the evidence
    /// gives it, takes precedence)`.
    pub(super) fn default_text(&self, language: &str) -> String {
        let (least, most, precedence) = if language == "sv" {
            (
                "minst",
                "högst",
                "{}, när underlaget anger den, gäller före standardvärdet",
            )
        } else {
            (
                "at least",
                "at most",
                "{}, where the evidence gives it, takes precedence",
            )
        };
        let mut notes: Vec<String> = Vec::new();
        let bounds: Vec<String> = [(least, &self.at_least), (most, &self.at_most)]
            .into_iter()
            .filter_map(|(word, b)| b.as_ref().map(|b| format!("{word} {b}")))
            .collect();
        if !bounds.is_empty() {
            notes.push(bounds.join(", "));
        }
        if let Some(path) = &self.overridden_by {
            notes.push(precedence.replace("{}", path));
        }
        if notes.is_empty() {
            self.default.clone()
        } else {
            format!("{} ({})", self.default, notes.join("; "))
        }
    }
}

/// A table as the reference shows it.
pub(super) struct TableRow {
    pub(super) name: String,
    /// The title in the reference's language, else in the pack's first language, else the
    /// first one written.
    pub(super) title: Option<String>,
    pub(super) default: Option<String>,
    pub(super) source: String,
    /// Key, value, source; in the order written.
    pub(super) entries: Vec<(String, String, String)>,
}

/// Everything the reference shows, in one place for both renderings.
pub(super) struct Reference {
    pub(super) name: String,
    pub(super) title: String,
    pub(super) edition: Option<String>,
    pub(super) languages: Vec<String>,
    pub(super) digest: String,
    pub(super) clauses: Vec<ClauseInfo>,
    pub(super) params: Vec<ParamRow>,
    pub(super) tables: Vec<TableRow>,
}

/// A constant in the reader's form: numbers, dates, durations and yes/no as the language
/// writes them ("0,6", "1 månad", "ja"); texts quoted as the tables hold them.
fn const_text(c: &Const, w: &Catalogue) -> String {
    match c {
        Const::Null => "–".into(),
        Const::Bool(b) => w.yes_no(*b).into(),
        Const::Number(n) => w.decimal(&n.to_string()),
        Const::Str(s) => format!("\"{s}\""),
        Const::Date(d) => w.date(*d),
        Const::Duration(d) => w.duration(*d),
        Const::List(items) => {
            let items: Vec<String> = items.iter().map(|i| const_text(i, w)).collect();
            format!("[{}]", items.join(", "))
        }
    }
}

/// Whether a table belongs in the reference of `language`: not the table that links keys to
/// their word tables (`value_words`, the pack's wiring), and not the word tables of the
/// pack's other languages (`product_category_en` in the Swedish reference).
fn published_table(name: &str, language: &str, languages: &[String]) -> bool {
    name != "value_words"
        && !languages
            .iter()
            .filter(|l| l.as_str() != language)
            .any(|l| {
                name.strip_suffix(l.as_str())
                    .is_some_and(|n| n.ends_with('_'))
            })
}

/// An evidence field as the reader's words name it: its declared description in `language`
/// (else the pack's first language) with a small first letter, to stand inside a sentence;
/// else the dotted path as written.
fn field_words(program: &crate::program::Program, dotted: &str, language: &str) -> String {
    let first = program.languages.first().map(String::as_str);
    let mut shape = program.evidence_root;
    let mut info = None;
    for name in dotted.split('.') {
        let Some(id) = shape else {
            info = None;
            break;
        };
        info = program.field_info.get(&(id, name.to_string()));
        shape = match program.shapes.get(id as usize) {
            Some(crate::program::Shape::Object(fields)) => fields.get(name).copied(),
            _ => None,
        };
    }
    let described = info.and_then(|i| {
        i.descriptions
            .iter()
            .find(|(l, _)| l == language)
            .or_else(|| {
                i.descriptions
                    .iter()
                    .find(|(l, _)| Some(l.as_str()) == first)
            })
    });
    match described {
        Some((_, d)) => {
            let mut chars = d.chars();
            chars
                .next()
                .map(|c| c.to_lowercase().chain(chars).collect())
                .unwrap_or_default()
        }
        None => dotted.to_string(),
    }
}

/// Everything the reference shows, collected from the compiled pack, in `language`.
pub(super) fn reference(pack: &RulePack, language: &str) -> Reference {
    let program = pack.program();
    let first = program.languages.first().map(String::as_str);
    let words = Catalogue::for_language(language);
    let mut clauses = pack.clauses();
    for c in &mut clauses {
        c.references = c
            .references
            .iter()
            .map(|r| publishable(r))
            .filter(|r| !r.is_empty())
            .collect();
    }
    let params = program
        .params
        .iter()
        .map(|p| ParamRow {
            name: p.name.clone(),
            titles: p.titles.clone(),
            default: const_text(&p.default, words),
            at_least: p.at_least.as_ref().map(|c| const_text(c, words)),
            at_most: p.at_most.as_ref().map(|c| const_text(c, words)),
            overridden_by: p
                .overridden_by
                .as_ref()
                .map(|o| field_words(program, &o.dotted, language)),
            source: publishable(
                text_in(p.source.as_deref(), &p.sources, language, first).unwrap_or_default(),
            ),
        })
        .collect();
    let tables = program
        .tables
        .iter()
        .filter(|t| published_table(&t.name, language, &program.languages))
        .map(|t| TableRow {
            name: t.name.clone(),
            title: text_in(None, &t.titles, language, first).map(str::to_string),
            default: t.default.as_ref().map(|c| const_text(c, words)),
            source: publishable(
                text_in(t.source.as_deref(), &t.sources, language, first).unwrap_or_default(),
            ),
            entries: t
                .written
                .iter()
                .filter_map(|w| {
                    let value = t.entries.get(&w.key)?;
                    let source = publishable(
                        text_in(w.source.as_deref(), &w.sources, language, first)
                            .unwrap_or_default(),
                    );
                    Some((w.key.clone(), const_text(value, words), source))
                })
                .collect(),
        })
        .collect();
    Reference {
        name: pack.name().to_string(),
        title: pack.title_in(language).to_string(),
        edition: program.edition.clone(),
        languages: pack.languages().to_vec(),
        digest: pack.digest().to_string(),
        clauses,
        params,
        tables,
    }
}

/// The severities a clause can give, in words of the language, comma-separated.
fn severities_text(info: &ClauseInfo, w: &Catalogue) -> String {
    let s: Vec<&str> = info.severities.iter().map(|s| w.severity(*s)).collect();
    s.join(", ")
}

/// Each severity's default deadline in words of the language, `–` for none.
pub(super) fn deadlines_text(info: &ClauseInfo, l: &Labels, w: &Catalogue) -> String {
    let parts: Vec<String> = info
        .deadlines
        .iter()
        .map(|(s, d)| {
            let deadline = d
                .as_deref()
                .map_or_else(|| l.depends.to_string(), |d| w.docs.deadline(d));
            format!("{}: {deadline}", w.severity(*s))
        })
        .collect();
    if parts.is_empty() {
        "–".into()
    } else {
        parts.join("; ")
    }
}

/// A reference of the pack for procurement officers, as Markdown: the pack's name, title (in
/// the language), edition and digest; what each severity means and what deadlines count
/// from; every clause with its title in the language, references, severities and default
/// deadlines in words of the language; the parameters by their titles in the language
/// (default, bounds, the evidence field that takes precedence, source) and tables
/// (default, entries with their sources).
///
/// ```
/// # let pack = conduct::RulePack::load("rules/regions")?;
/// let text = conduct::tools::docs::reference_markdown(&pack, "sv");
/// assert!(text.contains("Inget barnarbete: lägsta ålder för arbete"));
/// assert!(text.contains("`national_minimum_age`"));
/// # Ok::<(), conduct::Error>(())
/// ```
#[must_use]
pub fn reference_markdown(pack: &RulePack, language: &str) -> String {
    let l = labels(language);
    let w = Catalogue::for_language(language);
    let r = reference(pack, language);
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", md_inline(&r.title));
    let _ = writeln!(out, "- {}: `{}`", l.pack, r.name);
    if let Some(e) = &r.edition {
        let _ = writeln!(out, "- {}: {}", l.edition, md_inline(e));
    }
    let _ = writeln!(out, "- {}: {}", l.languages, r.languages.join(", "));
    let _ = writeln!(out, "- {}: `{}`\n", l.digest, r.digest);

    let _ = writeln!(out, "## {}\n", w.docs.severities_heading);
    for s in [Severity::Critical, Severity::Major, Severity::Minor] {
        let _ = writeln!(out, "- {}", w.docs.severity_meaning(s));
    }
    let _ = writeln!(out, "\n## {}\n", w.docs.deadlines_heading);
    let _ = writeln!(out, "{}\n", w.docs.deadlines_from);

    let _ = writeln!(out, "## {}\n", l.clauses);
    for c in &r.clauses {
        let _ = writeln!(out, "### `{}`: {}\n", c.id, md_inline(title(c, language)));
        let refs: Vec<String> = c.references.iter().map(|s| md_inline(s)).collect();
        let refs = if refs.is_empty() {
            "–".to_string()
        } else {
            refs.join("; ")
        };
        let _ = writeln!(out, "- {}: {}", l.references, refs);
        let _ = writeln!(out, "- {}: {}", l.severities, severities_text(c, w));
        let _ = writeln!(out, "- {}: {}\n", l.deadlines, deadlines_text(c, l, w));
    }

    let _ = writeln!(out, "## {}\n", l.parameters);
    let _ = writeln!(out, "| {} | {} | {} |", l.parameter, l.default, l.source);
    let _ = writeln!(out, "|---|---|---|");
    for p in &r.params {
        let name = match p.title(language) {
            Some(title) => format!("{} (`{}`)", md_cell(title), p.name),
            None => format!("`{}`", p.name),
        };
        let _ = writeln!(
            out,
            "| {name} | {} | {} |",
            md_cell(&p.default_text(language)),
            md_cell(&p.source)
        );
    }
    out.push('\n');

    let _ = writeln!(out, "## {}\n", l.tables);
    for t in &r.tables {
        match &t.title {
            Some(title) => {
                let _ = writeln!(out, "### {} (`{}`)\n", md_inline(title), t.name);
            }
            None => {
                let _ = writeln!(out, "### `{}`\n", t.name);
            }
        }
        if !t.source.is_empty() {
            let _ = writeln!(out, "{}: {}\n", l.source, md_inline(&t.source));
        }
        let _ = writeln!(
            out,
            "{}: {}\n",
            l.other_countries,
            md_inline(t.default.as_deref().unwrap_or(l.no_default))
        );
        let _ = writeln!(out, "| {} | {} | {} |", l.key, l.value, l.source);
        let _ = writeln!(out, "|---|---|---|");
        for (k, v, s) in &t.entries {
            let _ = writeln!(out, "| {} | {} | {} |", md_cell(k), md_cell(v), md_cell(s));
        }
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}
