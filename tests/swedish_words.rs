//! Everything an officer reads under `--lang sv` is Swedish (issue 14): over the text report
//! and the printable page (tags stripped) of every shipped example and every fixture of the
//! regions pack, every word is Swedish, a name or identifier from the evidence, or in the one
//! explicit list of allowed tokens below.
//!
//! There is no Swedish word list offline, so a word passes two checks:
//! 1. it is not English: not in [`ENGLISH`] (function words and the words of the domain), nor
//!    a word of the English texts (the catalogue's English words, the pack's `en` texts) that
//!    no Swedish text uses;
//! 2. it is accounted for as Swedish: it has a Swedish letter (å, ä, ö, é), or a Swedish text
//!    of the catalogue or the pack uses it, or it is in [`ALLOWED`], or it is a name or an
//!    identifier of the evidence (a text with a capital, a digit or a space: "MY-KLG-01",
//!    "Nordmed Distribution AB", a free-text description), or a clause's citation (the title
//!    of a convention or code, a proper name). An evidence text in lower case alone that the
//!    pack declares as an enumerated text (`employer`, `ppe`) is a stored enum text and is
//!    not exempt: a rendering shows it in words.
#![cfg(feature = "tools")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails loudly when the output is not what it expects"
)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use conduct::report::Date;
use conduct::report::text::render;
use conduct::tools::report_html::render_html;
use conduct::{Options, Report, RulePack};
use serde_json::Value;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// English words a Swedish text must never hold: function words and the words of the domain.
/// None is also a Swedish word (no "plan", "policy", "under", "i").
const ENGLISH: &[&str] = &[
    // function words
    "the",
    "of",
    "and",
    "or",
    "to",
    "for",
    "from",
    "with",
    "without",
    "by",
    "at",
    "on",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "has",
    "have",
    "had",
    "not",
    "no",
    "its",
    "it",
    "this",
    "that",
    "these",
    "those",
    "which",
    "who",
    "when",
    "where",
    "than",
    "more",
    "less",
    "each",
    "every",
    "any",
    "none",
    "one",
    "two",
    "after",
    "before",
    "within",
    "until",
    "their",
    "there",
    "but",
    "if",
    "as",
    "an",
    "a",
    "into",
    "only",
    "still",
    "yet",
    "must",
    "should",
    "may",
    "can",
    "cannot",
    "given",
    "other",
    "others",
    "same",
    "both",
    "least",
    "most",
    "about",
    "between",
    "over",
    "above",
    "below",
    "days",
    "day",
    "months",
    "month",
    "year",
    "years",
    "week",
    "weeks",
    "hours",
    "hour",
    // the domain
    "found",
    "required",
    "requirement",
    "requirements",
    "site",
    "sites",
    "worker",
    "workers",
    "deadline",
    "supplier",
    "suppliers",
    "contract",
    "evidence",
    "missing",
    "deviation",
    "deviations",
    "critical",
    "major",
    "minor",
    "compliant",
    "violated",
    "violation",
    "insufficient",
    "examined",
    "applicable",
    "remediation",
    "remediated",
    "action",
    "due",
    "overdue",
    "observed",
    "verified",
    "alleged",
    "reported",
    "agreed",
    "source",
    "result",
    "verdict",
    "assessment",
    "date",
    "edition",
    "document",
    "request",
    "requests",
    "audit",
    "finding",
    "findings",
    "wage",
    "wages",
    "pay",
    "paid",
    "fee",
    "fees",
    "hours",
    "overtime",
    "rest",
    "safety",
    "child",
    "children",
    "labour",
    "forced",
    "recruitment",
    "employer",
    "deposit",
    "loan",
    "debt",
    "records",
    "record",
    "scope",
    "references",
    "unknown",
    "true",
    "false",
    "null",
    "green",
    "yellow",
    "red",
    "yes",
    "shown",
    "given",
    "counted",
    "rule",
    "pack",
    "error",
    "technical",
    "whole",
    "name",
    "address",
    "legal",
    "answer",
    "answered",
    "refused",
    "complete",
    "incomplete",
    "disclosed",
    "sampled",
    "exceed",
    "limit",
];

/// Tokens allowed in Swedish text although they are neither Swedish words nor evidence:
/// proper names and identifiers the pack's Swedish texts may show.
const ALLOWED: &[&str] = &[
    "ILO", "UNGP", "OECD", "ISO", "RBA", "BSCI", "ETI", "UN", "CRC", "UNCAC", "HR", "SA", "id",
    // ISO 639-1 language codes the evidence gives (`vi`, Vietnamese; `km`, Khmer), shown in
    // the grievance mechanism's message.
    "vi", "km",
];

/// The citations of a report's clauses (`ILO C29 art. 2`, `ILO Indicators of Forced Labour`,
/// `IFC/EBRD Workers' accommodation: processes and standards 2009`): the titles of conventions,
/// codes and guidance as their publishers name them, proper names that a Swedish reference
/// cites as they are, each removed by its exact text.
fn citations(report: &Report) -> Vec<String> {
    report
        .outcomes
        .iter()
        .flat_map(|o| o.references.iter().cloned())
        .collect()
}

/// The texts the pack declares for its enumerated evidence fields (`"employer"`, `"ppe"`):
/// the quoted snake-case texts of its evidence declaration.
fn declared_texts() -> &'static BTreeSet<String> {
    static TEXTS: OnceLock<BTreeSet<String>> = OnceLock::new();
    TEXTS.get_or_init(|| {
        let source =
            std::fs::read_to_string(Path::new(ROOT).join("rules/regions/evidence.conduct"))
                .unwrap();
        source
            .split('"')
            .skip(1)
            .step_by(2)
            .filter(|t| {
                !t.is_empty()
                    && t.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.".contains(c))
            })
            .map(str::to_owned)
            .collect()
    })
}

fn regions() -> &'static RulePack {
    static PACK: OnceLock<RulePack> = OnceLock::new();
    PACK.get_or_init(|| RulePack::load(Path::new(ROOT).join("rules/regions")).unwrap())
}

/// The words of a text: runs of letters, with their case.
fn tokens(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
}

/// The literal parts of a pack or catalogue text: `{…}` holes give only the texts quoted in
/// them (`{x ?? "valuta saknas"}`), and `{n}` placeholders nothing.
fn literal_words(text: &str, out: &mut BTreeSet<String>) {
    let mut depth = 0usize;
    let mut literal = String::new();
    let mut in_quote = false;
    for c in text.chars() {
        match c {
            '{' if !in_quote => depth += 1,
            '}' if !in_quote => depth = depth.saturating_sub(1),
            '"' if depth > 0 => in_quote = !in_quote,
            _ if depth == 0 || in_quote => literal.push(c),
            _ => literal.push(' '),
        }
        if c == '}' || c == '{' || c == '"' {
            literal.push(' ');
        }
    }
    out.extend(tokens(&literal).map(str::to_lowercase));
}

/// A string literal starting right after its opening quote, up to its closing quote (quotes
/// inside `{…}` holes are nested literals); `None` without a closing quote on the line.
fn literal_at(rest: &str) -> Option<&str> {
    let mut depth = 0usize;
    let mut escaped = false;
    for (i, c) in rest.char_indices() {
        if std::mem::take(&mut escaped) {
            continue;
        }
        match c {
            '\\' => escaped = true,
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            '"' if depth == 0 => return Some(&rest[..i]),
            _ => {}
        }
    }
    None
}

/// The words of the pack's texts in one language: `LANG "…"` texts and the rows of tables
/// named `…_LANG`.
fn pack_words(language: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let marker = format!("{language} \"");
    let table_suffix = format!("_{language}:");
    for entry in std::fs::read_dir(Path::new(ROOT).join("rules/regions")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "conduct") {
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        let mut in_table = false;
        for line in source.lines() {
            let code = line.trim_start();
            if code.starts_with('#') {
                continue;
            }
            if code.starts_with("table ") {
                in_table = code
                    .split_whitespace()
                    .nth(1)
                    .is_some_and(|n| n.ends_with(&table_suffix));
                continue;
            }
            if code.starts_with('}') {
                in_table = false;
                continue;
            }
            if in_table {
                let mut rest = code;
                while let Some((_, value)) = rest.split_once(": \"") {
                    let text = literal_at(value).unwrap_or(value);
                    literal_words(text, &mut out);
                    rest = &value[text.len()..];
                }
                continue;
            }
            let mut rest = line;
            while let Some(at) = rest.find(&marker) {
                let before = rest[..at].chars().last();
                rest = &rest[at + marker.len()..];
                if before.is_some_and(char::is_alphanumeric) {
                    continue;
                }
                if let Some(text) = literal_at(rest) {
                    literal_words(text, &mut out);
                    rest = &rest[text.len()..];
                }
            }
        }
    }
    out
}

/// The words of a catalogue's texts, read from the catalogue's source: the static named
/// `name` in `words.rs`.
fn catalogue_words(name: &str) -> BTreeSet<String> {
    let source =
        std::fs::read_to_string(Path::new(ROOT).join("src/report/catalogue/words.rs")).unwrap();
    let start = source
        .find(&format!("static {name}: Catalogue"))
        .unwrap_or_else(|| panic!("no catalogue {name}"));
    let end = source[start..]
        .find("\n};")
        .map_or(source.len(), |e| start + e);
    let mut out = BTreeSet::new();
    for line in source[start..end].lines() {
        let mut rest = line;
        while let Some(at) = rest.find('"') {
            rest = &rest[at + 1..];
            let Some(close) = rest.find('"') else { break };
            literal_words(&rest[..close], &mut out);
            rest = &rest[close + 1..];
        }
    }
    out
}

/// The evaluator's own Swedish words (`(uppgift saknas)`, `innehåller`), read from its
/// source: the literals of the `SWEDISH` words in `src/eval/blame.rs`.
fn evaluator_words() -> BTreeSet<String> {
    let source = std::fs::read_to_string(Path::new(ROOT).join("src/eval/blame.rs")).unwrap();
    let start = source
        .find("SWEDISH: Words")
        .expect("the evaluator's Swedish words");
    let end = source[start..]
        .find("\n};")
        .map_or(source.len(), |e| start + e);
    let mut out = BTreeSet::new();
    for line in source[start..end].lines() {
        if let Some((_, rest)) = line.split_once('"') {
            literal_words(rest.trim_end_matches([',', '"']), &mut out);
        }
    }
    out
}

struct Vocabulary {
    swedish: BTreeSet<String>,
    english: BTreeSet<String>,
}

fn vocabulary() -> &'static Vocabulary {
    static WORDS: OnceLock<Vocabulary> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut swedish = catalogue_words("SV");
        swedish.extend(pack_words("sv"));
        swedish.extend(evaluator_words());
        let mut english: BTreeSet<String> = catalogue_words("EN");
        english.extend(pack_words("en"));
        english.retain(|w| !swedish.contains(w));
        english.extend(ENGLISH.iter().map(|w| (*w).to_string()));
        Vocabulary { swedish, english }
    })
}

/// The names and identifiers of an evidence document: its texts with a capital, a digit or a
/// space ("MY-KLG-01", "Nordmed Distribution AB", a free-text description), and the texts in
/// lower case alone that are none of the pack's declared enumerated texts (a deduction's type
/// `fine` that the declaration does not allow: the supplier's own word, shown as written, as
/// invalid). A declared text (`employer`) is a stored enum text and is not a name.
fn evidence_names(evidence: &Value) -> Vec<String> {
    let mut names = Vec::new();
    let mut pending = vec![evidence];
    while let Some(v) = pending.pop() {
        match v {
            Value::String(s)
                if s.chars()
                    .any(|c| c.is_whitespace() || c.is_uppercase() || c.is_ascii_digit())
                    || (!s.is_empty() && !declared_texts().contains(s)) =>
            {
                // Swedish adds the genitive `s` to a name: "Example Supplier ABs".
                names.push(format!("{s}s"));
                names.push(s.clone());
            }
            Value::Array(items) => pending.extend(items),
            Value::Object(map) => pending.extend(map.values()),
            _ => {}
        }
    }
    names
}

/// `text` without the whole occurrences of `phrase`: those not inside a longer word.
fn remove_phrase(text: &str, phrase: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(phrase) {
        let end = at + phrase.len();
        // The character before, in the whole text (at 0, the last one already passed).
        let before = rest[..at]
            .chars()
            .next_back()
            .or_else(|| out.chars().next_back());
        let after = rest[end..].chars().next();
        let inside = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        out.push_str(&rest[..at]);
        if inside(before) || inside(after) {
            out.push_str(phrase);
        } else {
            out.push(' ');
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The visible text of an HTML page: without the style sheet and tags, entities decoded.
fn page_text(html: &str) -> String {
    let mut html = html.to_string();
    while let Some(start) = html.find("<style") {
        let end = html[start..]
            .find("</style>")
            .map_or(html.len(), |e| start + e + 8);
        html.replace_range(start..end, " ");
    }
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2f;", "/")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The words of a Swedish text that are not Swedish, with why: `word (English)` or `word
/// (not known as Swedish)`, each once, with the first line it is on.
fn not_swedish(text: &str, evidence: &Value, report: &Report) -> Vec<(String, String)> {
    let words = vocabulary();
    let mut phrases = evidence_names(evidence);
    phrases.extend(citations(report));
    phrases.retain(|p| !p.is_empty());
    phrases.sort_by_key(|p| std::cmp::Reverse(p.len()));
    let mut text = text.to_string();
    for phrase in &phrases {
        text = remove_phrase(&text, phrase);
    }
    let mut found: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        for token in tokens(line) {
            let lower = token.to_lowercase();
            if ALLOWED.contains(&token) {
                continue;
            }
            let why = if words.english.contains(&lower) {
                "English"
            } else if lower.contains(['å', 'ä', 'ö', 'é']) || words.swedish.contains(&lower) {
                continue;
            } else {
                "not known as Swedish"
            };
            let word = format!("{token} ({why})");
            if !found.iter().any(|(w, _)| *w == word) {
                found.push((word, line.trim().to_string()));
            }
        }
    }
    found.sort();
    found
}

/// The words [`not_swedish`] finds, without their lines.
fn words_of(found: Vec<(String, String)>) -> Vec<String> {
    found.into_iter().map(|(word, _)| word).collect()
}

/// The shipped examples and every fixture of the regions pack: a name, the evidence, and the
/// fixture's `as_of`.
fn documents() -> Vec<(String, Value, Option<String>)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "json") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    let mut examples = Vec::new();
    walk(&Path::new(ROOT).join("examples"), &mut examples);
    examples.sort();
    for path in examples {
        let evidence: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        // The same follow-up without its assessment date: the date is missing evidence like
        // any other, asked for in words.
        let mut undated = evidence.clone();
        if let Some(assessment) = undated.get_mut("assessment").and_then(Value::as_object_mut) {
            assessment.remove("as_of");
        }
        out.push((format!("{} (no as_of)", path.display()), undated, None));
        out.push((path.display().to_string(), evidence, None));
    }
    let mut fixtures = Vec::new();
    walk(&Path::new(ROOT).join("rules/regions/tests"), &mut fixtures);
    fixtures.sort();
    for path in fixtures {
        let fixture: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let as_of = fixture["as_of"].as_str().map(str::to_owned);
        out.push((
            path.display().to_string(),
            fixture["evidence"].clone(),
            as_of,
        ));
    }
    out
}

fn evaluate(evidence: &Value, as_of: Option<&str>) -> Report {
    let mut options = Options::default().language("sv");
    if let Some(date) = as_of {
        options = options.as_of(Date::parse(date).unwrap());
    }
    regions().evaluate(evidence, &options)
}

#[test]
fn every_swedish_text_and_page_holds_only_swedish_words_names_and_identifiers() {
    let documents = documents();
    assert!(documents.len() > 900, "{} documents", documents.len());
    let mut failures: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for (name, evidence, as_of) in &documents {
        let report = evaluate(evidence, as_of.as_deref());
        for (form, text) in [
            ("text", render(&report, None)),
            ("page", page_text(&render_html(&report))),
        ] {
            for (word, line) in not_swedish(&text, evidence, &report) {
                failures
                    .entry(word)
                    .or_default()
                    .push(format!("{form} of {name}: {line}"));
            }
        }
    }
    let listed: Vec<String> = failures
        .iter()
        .map(|(word, wheres)| format!("{word}: {} (first: {})", wheres.len(), wheres[0]))
        .collect();
    assert!(
        listed.is_empty(),
        "{} words:\n{}",
        listed.len(),
        listed.join("\n")
    );
}

/// The check catches English: words injected into a Swedish report's text are found, those
/// of the English lists and an English word no list holds.
#[test]
fn the_check_finds_an_english_word_leaking_in() {
    let path = Path::new(ROOT).join("examples/example-evidence.json");
    let evidence: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let report = evaluate(&evidence, None);
    let text = render(&report, None);
    assert_eq!(
        not_swedish(&text, &evidence, &report),
        [],
        "the example is clean"
    );
    for (leak, why) in [
        ("found", "English"),
        ("required", "English"),
        ("site", "English"),
        ("worker", "English"),
        ("deadline", "English"),
        // From the pack's English texts, in no Swedish one.
        ("grievance", "English"),
        // In no list: not known as Swedish.
        ("bicycle", "not known as Swedish"),
    ] {
        let leaked = text.replacen("Iakttaget:", &format!("Iakttaget: {leak}"), 1);
        assert_eq!(
            words_of(not_swedish(&leaked, &evidence, &report)),
            [format!("{leak} ({why})")],
            "{leak}"
        );
    }
    // A stored enum text is not a name of the evidence.
    let leaked = text.replacen("Iakttaget:", "Iakttaget: employer", 1);
    assert_eq!(
        words_of(not_swedish(&leaked, &evidence, &report)),
        ["employer (English)"]
    );
    // The English report is full of English.
    let report = regions().evaluate(&evidence, &Options::default().language("en"));
    let found = not_swedish(&render(&report, None), &evidence, &report);
    assert!(found.len() > 20, "{found:?}");
}
