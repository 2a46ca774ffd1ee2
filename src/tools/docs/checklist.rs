//! Docs, the evidence checklist: [`ClauseRequirements`] → Markdown for a supplier, or the
//! `conduct-requirements/1` document for JSON.

use std::fmt::Write as _;

use serde::Serialize;

use super::reads::ClauseRequirements;
use super::text::{clause_title, labels, md_inline, title};
use crate::pack::RulePack;

/// A checklist of the evidence fields, grouped by clause (title in the language, then the
/// required fields, then the supporting ones), for a procurement officer to send a supplier.
///
/// ```
/// # let pack = conduct::RulePack::load("rules/regions")?;
/// use conduct::tools::docs::{requirements, requirements_markdown};
/// let all = requirements(&pack);
/// let one: Vec<_> = all.into_iter().filter(|c| c.clause == "wages.minimum_wage").collect();
/// let text = requirements_markdown(&pack, &one, "en");
/// assert!(text.contains("## wages.minimum_wage"));
/// assert!(text.contains("- [ ] `/sites`"));
/// # Ok::<(), conduct::Error>(())
/// ```
#[must_use]
pub fn requirements_markdown(
    pack: &RulePack,
    clauses: &[ClauseRequirements],
    language: &str,
) -> String {
    let l = labels(language);
    let infos = pack.clauses();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}: {}\n",
        l.requirements,
        md_inline(pack.title_in(language))
    );
    let _ = writeln!(out, "{}\n", l.legend);
    for c in clauses {
        let t = infos
            .iter()
            .find(|i| i.id == c.clause)
            .map_or(c.clause.as_str(), |i| title(i, language));
        let _ = writeln!(out, "## {}: {}\n", c.clause, md_inline(t));
        for (heading, paths) in [
            (l.required, c.required().collect::<Vec<_>>()),
            (l.supporting, c.supporting().collect::<Vec<_>>()),
        ] {
            let _ = writeln!(out, "{heading}:\n");
            if paths.is_empty() {
                let _ = writeln!(out, "- ({})", l.none);
            }
            for p in paths {
                let _ = writeln!(out, "- [ ] `{}`", p.replace('`', "'"));
            }
            out.push('\n');
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// The checklist as a document (`conduct-requirements/1`), for JSON: its fields serialize in
/// the order declared here.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RequirementsDocument {
    /// Always `conduct-requirements/1`.
    pub format: &'static str,
    /// The pack's name.
    pub pack: String,
    /// The pack's title.
    pub title: String,
    /// The pack's edition, if it declares one.
    pub edition: Option<String>,
    /// `sha256:` of the pack's source files.
    pub digest: String,
    /// The language the titles are in: the one asked for when the pack has it, else the
    /// pack's first (as for messages in reports).
    pub language: String,
    /// Each clause's checklist, in pack order.
    pub clauses: Vec<ClauseChecklist>,
}

/// One clause of a [`RequirementsDocument`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClauseChecklist {
    /// The clause id.
    pub clause: String,
    /// Its title in the document's language.
    pub title: String,
    /// The evidence fields a decision needs (JSON Pointers, `*` for every list item).
    pub required: Vec<String>,
    /// The fields read only with a fallback, or for messages, severity and remediation.
    pub supporting: Vec<String>,
}

/// The checklist as a document: the pack's name, edition and digest, and per clause its id,
/// title in the language, and required and supporting fields.
///
/// ```
/// # let pack = conduct::RulePack::load("rules/regions")?;
/// use conduct::tools::docs::{requirements, requirements_document};
/// let doc = requirements_document(&pack, &requirements(&pack), "sv");
/// assert_eq!(doc.format, "conduct-requirements/1");
/// assert_eq!(doc.clauses.len(), 39);
/// let json = serde_json::to_string(&doc)?;
/// assert!(json.starts_with(r#"{"format":"conduct-requirements/1","pack":"regions""#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn requirements_document(
    pack: &RulePack,
    clauses: &[ClauseRequirements],
    language: &str,
) -> RequirementsDocument {
    let language = if pack.languages().iter().any(|l| l == language) {
        language
    } else {
        pack.languages().first().map_or(language, String::as_str)
    };
    RequirementsDocument {
        format: "conduct-requirements/1",
        pack: pack.name().to_string(),
        title: pack.title_in(language).to_string(),
        edition: pack.program().edition.clone(),
        digest: pack.digest().to_string(),
        language: language.to_string(),
        clauses: clauses
            .iter()
            .map(|c| ClauseChecklist {
                clause: c.clause.clone(),
                title: clause_title(pack, &c.clause, language),
                required: c.required().map(str::to_string).collect(),
                supporting: c.supporting().map(str::to_string).collect(),
            })
            .collect(),
    }
}

/// The checklist as a JSON value ([`requirements_document`], whose field order a
/// `serde_json::Value` does not keep).
///
/// ```
/// # let pack = conduct::RulePack::load("rules/regions")?;
/// use conduct::tools::docs::{requirements, requirements_json};
/// let json = requirements_json(&pack, &requirements(&pack), "sv");
/// assert_eq!(json["format"], "conduct-requirements/1");
/// assert_eq!(json["clauses"].as_array().map(Vec::len), Some(39));
/// # Ok::<(), conduct::Error>(())
/// ```
#[must_use]
pub fn requirements_json(
    pack: &RulePack,
    clauses: &[ClauseRequirements],
    language: &str,
) -> serde_json::Value {
    serde_json::to_value(requirements_document(pack, clauses, language))
        .unwrap_or(serde_json::Value::Null)
}
