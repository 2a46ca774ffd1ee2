//! Text output, the last stage: a [`Report`] → the plain text `conduct check` prints for
//! people (no colours, deterministic), entirely in the report's language: the fixed words from
//! the [`Catalogue`], the rest from the pack and the evidence.
//!
//! [`render`] is the text a procurement officer reads and sends: findings by severity with the
//! clause's title, the subject in words, the grouped items, the action and its due date, the
//! evidence to ask for, the examined scope. [`render_details`] adds what rule authors need: ids,
//! JSON Pointers, the values found and required, the rule's file and line. [`clean`] makes any
//! text from evidence or rules safe to print on a terminal. (`explain`'s text is
//! `conduct::tools::explain::render_text`.)

use indexmap::IndexMap;

use super::catalogue::Catalogue;
use crate::report::{FilledBy, Item, Missing, Outcome, Report, Severity, Status, Violation};

/// The fields asked for about one subject, and the documents to attach, each once.
type FieldsAndDocuments = (Vec<String>, Vec<String>);

/// The `missing` entry that stands for the evaluation date when none was given and the pack
/// reads none from the evidence (a pack that does, `as_of from …`, lists that field's pointer
/// instead). It is a name, not a JSON Pointer: no field of the evidence holds the date.
pub(crate) const MISSING_AS_OF: &str = "as_of";

/// How many item messages a grouped finding lists before "… and N more".
const ITEMS_SHOWN: usize = 5;

/// The report as text for a procurement officer, in the report's language.
///
/// In order: the pack's title, the supplier and the assessment date; the result with the
/// findings counted by severity; the findings, worst severity first (each numbered, with its
/// clause's title, its subject in words — "site MY-KLG-01" —, what was observed, the failing
/// items of a grouped finding — "3 of 30 workers examined: W1, W4, W9" —, how the facts were
/// obtained, the action with its due date and what the date counts from, the plan's state);
/// the evidence to ask for, by clause and by site or worker; the clauses not examined in this
/// follow-up; those that could not be evaluated; and the titles of the requirements met and of
/// those that do not apply. No clause id, JSON Pointer or rule location: those are in
/// [`render_details`]. Every line ends in `\n`.
///
/// `input` names the document in a batch (a file name, `file:line` for NDJSON). Text from the
/// pack and the evidence goes through [`clean`], so it cannot rearrange or recolour a terminal.
///
/// # Examples
/// ```
/// # let pack = conduct::RulePack::load("rules/regions")?;
/// let evidence = conduct::pack::evidence::read(std::fs::File::open("examples/example-evidence.json")?)?;
/// let options = conduct::Options::default().language("sv");
/// let report = pack.evaluate(evidence.value(), &options);
/// let text = conduct::report::text::render(&report, None);
/// assert!(text.contains("Resultat: UPPFYLLER INTE KRAVEN — 4 större avvikelser och 3 mindre avvikelser"));
/// assert!(!text.contains("/responsibilities")); // no JSON Pointer for the officer
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn render(report: &Report, input: Option<&str>) -> String {
    Renderer::new(&report.worded(), false).render(input)
}

/// The report as text for rule authors: [`render`]'s text with the technical details under
/// each part — the pack's name and digest, each finding's id, JSON Pointer, value found,
/// bound required and rule location, each item's pointer and value, the pointers of missing
/// and invalid evidence with the reason, and the clause ids. `conduct check --details`.
///
/// # Examples
/// ```
/// # let pack = conduct::RulePack::load("rules/regions")?;
/// let evidence = conduct::pack::evidence::read(std::fs::File::open("examples/example-evidence.json")?)?;
/// let report = pack.evaluate(evidence.value(), &conduct::Options::default());
/// let text = conduct::report::text::render_details(&report, None);
/// assert!(text.contains("    rule: management.conduct:")); // relative to the pack's root
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn render_details(report: &Report, input: Option<&str>) -> String {
    Renderer::new(&report.worded(), true).render(input)
}

/// Replaces control and bidirectional-override characters so that evidence cannot rearrange
/// or recolour a terminal; line breaks and tabs become spaces.
///
/// # Examples
/// ```
/// assert_eq!(conduct::report::text::clean("a\tb\u{202E}c\u{1B}"), "a b\u{FFFD}c\u{FFFD}");
/// ```
#[must_use]
pub fn clean(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{061C}' => '\u{FFFD}',
            c if c.is_control() => '\u{FFFD}',
            c => c,
        })
        .collect()
}

/// The text with its first letter in upper case.
pub(crate) fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Writes one report.
struct Renderer<'a> {
    report: &'a Report,
    words: &'static Catalogue,
    details: bool,
    out: String,
}

impl<'a> Renderer<'a> {
    fn new(report: &'a Report, details: bool) -> Renderer<'a> {
        Renderer {
            report,
            words: Catalogue::for_language(&report.language),
            details,
            out: String::new(),
        }
    }

    fn line(&mut self, line: &str) {
        self.out.push_str(line);
        self.out.push('\n');
    }

    fn render(mut self, input: Option<&str>) -> String {
        self.header(input);
        self.findings();
        self.evidence_to_ask_for();
        self.not_examined();
        self.errors();
        self.clause_lists();
        self.out
    }

    /// A clause's title; its id when it has none. With details, the id follows in brackets.
    fn title(&self, outcome: &Outcome) -> String {
        let title = if outcome.title.trim().is_empty() {
            clean(&outcome.clause)
        } else {
            clean(&outcome.title)
        };
        if self.details {
            format!("{title} [{}]", clean(&outcome.clause))
        } else {
            title
        }
    }

    fn header(&mut self, input: Option<&str>) {
        let w = self.words;
        let pack = &self.report.pack;
        let title = if pack.title.trim().is_empty() {
            &pack.name
        } else {
            &pack.title
        };
        let mut first = clean(title);
        if let Some(edition) = &pack.edition {
            first = format!("{first} · {} {}", w.edition, clean(edition));
        }
        self.line(&first);
        if self.details {
            self.line(&format!(
                "{}: {} · {}",
                w.pack,
                clean(&pack.name),
                clean(&pack.digest)
            ));
        }
        if let Some(input) = input {
            self.line(&format!("{}: {}", w.document, clean(input)));
        }
        let subject: Vec<String> = self
            .report
            .subject
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(key, value)| {
                format!(
                    "{}: {}",
                    clean(&capitalized(&w.key_word(key, false))),
                    clean(&w.value(value))
                )
            })
            .collect();
        for line in subject {
            self.line(&line);
        }
        if let Some(as_of) = self.report.as_of {
            self.line(&format!("{}: {}", w.assessment_date, w.date(as_of)));
        }
        let line = self.result_line();
        self.line(&line);
    }

    /// `Result: NON-COMPLIANT — 4 major deviations and 3 minor deviations; insufficient
    /// evidence for 6 requirements`.
    fn result_line(&self) -> String {
        let w = self.words;
        format!(
            "{}: {} — {}",
            w.result,
            w.verdict(self.report.verdict).to_uppercase(),
            w.summary(&self.report.summary)
        )
    }

    /// The findings by severity, worst first; within a severity in pack order.
    fn findings(&mut self) {
        let mut number = 0;
        for severity in [Severity::Critical, Severity::Major, Severity::Minor] {
            let report = self.report;
            let found: Vec<(&Outcome, &Violation)> = report
                .outcomes
                .iter()
                .flat_map(|o| o.violations.iter().map(move |v| (o, v)))
                .filter(|(_, v)| v.severity == severity)
                .collect();
            if found.is_empty() {
                continue;
            }
            self.out.push('\n');
            let heading = format!(
                "{} ({})",
                self.words.severity_heading(severity),
                self.words.integer(found.len() as u64)
            );
            self.line(&heading);
            for (i, (outcome, v)) in found.iter().enumerate() {
                number += 1;
                self.finding(number, outcome, v);
                // The note on a cut list follows the clause's last finding listed.
                let last_of_clause = found
                    .get(i + 1)
                    .is_none_or(|(next, _)| next.clause != outcome.clause);
                if outcome.truncated && last_of_clause {
                    self.line(&format!("    {}", self.words.truncated));
                }
            }
        }
    }

    fn finding(&mut self, number: usize, outcome: &Outcome, v: &Violation) {
        let w = self.words;
        self.out.push('\n');
        let kind = if v.basis == Some(super::Basis::Alleged) {
            w.alleged_deviation
        } else {
            w.deviation
        };
        let mut head = format!(
            "  {kind} {} · {}",
            w.integer(number as u64),
            self.title(outcome)
        );
        if let Some(subject) = w.subject(&v.subject) {
            head = format!("{head} · {}", clean(&subject));
        }
        self.line(&head);

        let message = clean(&v.message);
        if v.items.is_empty() {
            self.line(&format!("    {}: {message}", w.observed));
        } else {
            let count = clean(&w.grouped_items(v));
            // The evaluator may write the first item's message as the finding's, perhaps with a
            // note on the others ("… (and 1 more: W2)"): the items below say it in full.
            if v.items
                .iter()
                .any(|item| !item.message.is_empty() && v.message.starts_with(&item.message))
            {
                self.line(&format!("    {}: {count}", w.observed));
            } else {
                self.line(&format!("    {}: {message}", w.observed));
                self.line(&format!("    {count}"));
            }
            for item in v.items.iter().take(ITEMS_SHOWN) {
                let line = format!(
                    "      – {}{}",
                    clean(&item.message),
                    self.item_details(item)
                );
                self.line(&line);
            }
            if v.items.len() > ITEMS_SHOWN {
                self.line(&format!(
                    "      {}",
                    w.and_more(v.items.len() - ITEMS_SHOWN)
                ));
            }
        }
        if let Some(category) = &v.severe {
            self.line(&format!(
                "    {}: {}",
                w.severe,
                clean(&w.severe_text(category))
            ));
        }
        if let Some(basis) = v.basis {
            self.line(&format!("    {}: {}", w.source, w.basis(basis)));
        }
        if let Some(r) = &v.remediation {
            let mut line = format!("    {}: {}", w.action, clean(&r.action));
            if let Some(due) = r.due {
                line = format!("{line} — {}", w.due(due));
                if let Some(from) = r.due_from {
                    line = format!("{line}, {}", w.due_from(from));
                }
            }
            self.line(&line);
            if let Some(plan) = r.plan {
                self.line(&format!(
                    "    {}: {} — {}",
                    w.plan,
                    w.plan_state(plan),
                    w.plan_meaning(plan)
                ));
            }
        }
        if self.details {
            self.line(&format!("    {}: {}", w.id, clean(&v.id)));
            self.line(&format!(
                "    {}: {} · {} {} · {} {}",
                w.pointer,
                pointer(&v.path),
                w.found,
                clean(&v.actual.to_string()),
                w.required,
                clean(&v.expected)
            ));
            self.line(&format!("    {}: {}", w.rule, clean(&v.rule.to_string())));
        }
    }

    /// ` (/sites/0/workers/3/hours · found 72 · required <= 60)` with details, nothing
    /// otherwise.
    fn item_details(&self, item: &Item) -> String {
        let w = self.words;
        if self.details {
            format!(
                " ({} · {} {} · {} {})",
                pointer(&item.path),
                w.found,
                clean(&item.actual.to_string()),
                w.required,
                clean(&item.expected)
            )
        } else {
            String::new()
        }
    }

    /// Per clause that lacks evidence, what to ask the supplier for, grouped by site, worker, …
    fn evidence_to_ask_for(&mut self) {
        let w = self.words;
        let report = self.report;
        let lacking: Vec<&Outcome> = report
            .outcomes
            .iter()
            .filter(|o| {
                matches!(o.status, Status::InsufficientEvidence | Status::Violated)
                    && (!o.missing.is_empty() || !o.invalid.is_empty())
            })
            .collect();
        if lacking.is_empty() {
            return;
        }
        self.out.push('\n');
        self.line(w.insufficient_evidence);
        for outcome in lacking {
            self.out.push('\n');
            let title = self.title(outcome);
            self.line(&format!("  {title}"));
            // (subject, who fills it in) → (fields, documents to attach), each once; the
            // supplier's own fields first, then those the buyer or the auditor provides
            let mut groups: IndexMap<(Option<FilledBy>, Option<String>), FieldsAndDocuments> =
                IndexMap::new();
            for missing in &outcome.missing {
                let subject = w
                    .subject(&missing.subject)
                    .or_else(|| position(w, &missing.path))
                    .map(|s| clean(&s));
                let field = self.missing_field(missing);
                let (fields, documents) = groups.entry((missing.filled_by, subject)).or_default();
                if !fields.contains(&field) {
                    fields.push(field);
                }
                if let Some(document) = missing.document.as_deref().map(clean)
                    && !document.trim().is_empty()
                    && !documents.contains(&document)
                {
                    documents.push(document);
                }
            }
            groups.sort_by(|(a, _), _, (b, _), _| a.cmp(b));
            for ((filler, subject), (fields, documents)) in groups {
                let mut label = match subject {
                    Some(subject) => format!("{} {subject}", w.missing_for),
                    None => w.missing.to_string(),
                };
                if let Some(filler) = filler {
                    label = format!("{label}, {}", w.filled_by(filler));
                }
                self.line(&format!("    {label}: {}", fields.join("; ")));
                if !documents.is_empty() {
                    self.line(&format!("      {}: {}", w.attach, documents.join("; ")));
                }
            }
            for invalid in &outcome.invalid {
                let mut field =
                    capitalized(&described(w, invalid.description.as_deref(), &invalid.path));
                if let Some(whose) = w
                    .subject(&invalid.subject)
                    .or_else(|| position(w, &invalid.path))
                {
                    field = format!("{field} ({})", clean(&whose));
                }
                let mut line = format!("    {field}: {}", w.invalid_value);
                if let Some(filler) = invalid.filled_by {
                    line = format!("{line}, {}", w.filled_by(filler));
                }
                if self.details {
                    line = format!(
                        "{line} ({}: {})",
                        pointer(&invalid.path),
                        clean(&invalid.reason)
                    );
                }
                self.line(&line);
                if let Some(document) = invalid.document.as_deref().map(clean)
                    && !document.trim().is_empty()
                {
                    self.line(&format!("      {}: {document}", w.attach));
                }
            }
        }
    }

    /// The description of a missing field, or its name in words; with details, its pointer.
    fn missing_field(&self, missing: &Missing) -> String {
        let w = self.words;
        let field = described(w, missing.description.as_deref(), &missing.path);
        if self.details && missing.path != MISSING_AS_OF {
            format!("{field} ({})", pointer(&missing.path))
        } else {
            field
        }
    }

    /// The clauses not examined, with the examined scope.
    fn not_examined(&mut self) {
        let titles = self.titles(Status::NotExamined);
        if titles.is_empty() {
            return;
        }
        let w = self.words;
        self.out.push('\n');
        self.line(w.not_examined);
        self.line(&format!(
            "  {}: {}",
            w.not_examined_count(titles.len()),
            titles.join("; ")
        ));
    }

    /// The clauses that could not be evaluated.
    fn errors(&mut self) {
        let report = self.report;
        let failed: Vec<&Outcome> = report
            .outcomes
            .iter()
            .filter(|o| o.status == Status::Error)
            .collect();
        if failed.is_empty() {
            return;
        }
        let w = self.words;
        self.out.push('\n');
        self.line(w.not_evaluated);
        for outcome in failed {
            let why = match (&outcome.error, self.details) {
                (Some(error), true) => clean(error),
                _ => w.technical_error.to_string(),
            };
            let line = format!("  {}: {why}", self.title(outcome));
            self.line(&line);
        }
    }

    /// The requirements met and those that do not apply, by title.
    fn clause_lists(&mut self) {
        let w = self.words;
        let compliant = self.titles(Status::Compliant);
        let not_applicable = self.titles(Status::NotApplicable);
        if compliant.is_empty() && not_applicable.is_empty() {
            return;
        }
        self.out.push('\n');
        for (heading, titles) in [(w.compliant, compliant), (w.not_applicable, not_applicable)] {
            if !titles.is_empty() {
                self.line(&format!(
                    "{heading} ({}): {}",
                    w.integer(titles.len() as u64),
                    titles.join("; ")
                ));
            }
        }
    }

    /// The titles of the clauses with this status, `(put right)` after those remediated. Lists
    /// of titles are joined with `; `: a title can hold a comma.
    fn titles(&self, status: Status) -> Vec<String> {
        self.report
            .outcomes
            .iter()
            .filter(|o| o.status == status)
            .map(|o| {
                if o.remediated {
                    format!("{} ({})", self.title(o), self.words.remediated)
                } else {
                    self.title(o)
                }
            })
            .collect()
    }
}

/// A JSON Pointer as shown to rule authors; the empty pointer is `/` read as "the whole
/// document" by the reader of details.
fn pointer(path: &str) -> String {
    if path.is_empty() {
        "\"\"".to_string()
    } else {
        clean(path)
    }
}

/// Where in the evidence's lists a pointer leads, when its subject has no keys to name it:
/// `/sites/0/workers/3/hours` → "sites no. 1, workers no. 4" (counting from 1); `None` when
/// the pointer goes through no list.
pub(crate) fn position(words: &Catalogue, path: &str) -> Option<String> {
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let parts: Vec<String> = segments
        .windows(2)
        .filter_map(|pair| match pair {
            [list, index] => {
                let index = index.parse::<u64>().ok()?;
                let list = list.replace("~1", "/").replace("~0", "~").replace('_', " ");
                Some(format!(
                    "{list} {} {}",
                    words.number,
                    words.integer(index + 1)
                ))
            }
            _ => None,
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// A missing or invalid field for people: its declared description, else its name in words
/// ([`field_name`]).
pub(crate) fn described(words: &Catalogue, description: Option<&str>, path: &str) -> String {
    match description {
        Some(description) if !description.trim().is_empty() => clean(description),
        _ => field_name(words, path),
    }
}

/// A field in words, for people: the last name in its pointer with `_` read as a space
/// (`/sites/0/hours_records` → "hours records"); the evaluation date and the whole document
/// in the catalogue's words.
pub(crate) fn field_name(words: &Catalogue, path: &str) -> String {
    if path == MISSING_AS_OF {
        return words.missing_as_of.to_string();
    }
    let name = path
        .rsplit('/')
        .find(|segment| !segment.is_empty() && !segment.bytes().all(|b| b.is_ascii_digit()));
    match name {
        Some(name) => clean(&name.replace("~1", "/").replace("~0", "~").replace('_', " ")),
        None => words.whole_document.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `/2` report with every part: a grouped finding with keyed items, a plan, a basis, an
    /// alleged finding, missing evidence by subject, invalid evidence, a clause not examined,
    /// one in error, one compliant after remediation, one not applicable.
    fn report(language: &str) -> Report {
        let worker = |n: u32, hours: u32| {
            serde_json::json!({
                "keys": {"worker_ref": format!("W{n}")}, "path": format!("/sites/0/workers/{n}/hours"),
                "actual": hours, "expected": "<= 60", "severity": "major",
                "message": format!("W{n} worked {hours} hours")
            })
        };
        let items: Vec<serde_json::Value> = (1..=7).map(|n| worker(n, 60 + n)).collect();
        let report = serde_json::from_value(serde_json::json!({
            "format": "conduct-report/2",
            "engine": {"name": "conduct", "version": "0.1.0"},
            "pack": {"name": "demo", "title": "Demo code", "edition": "2024", "digest": "sha256:0"},
            "as_of": "2024-10-31",
            "language": language,
            "params": {},
            "subject": {},
            "verdict": "non_compliant",
            "summary": {
                "clauses": 7, "violated": 2, "compliant": 1, "insufficient_evidence": 1,
                "not_applicable": 1, "not_examined": 1, "error": 1, "violations": 2, "items": 8,
                "by_severity": {"critical": 1, "major": 1, "minor": 0}
            },
            "outcomes": [
                {
                    "clause": "hours.weekly", "title": "Weekly hours", "references": [],
                    "status": "violated", "severity": "major", "remediated": false,
                    "violations": [{
                        "id": "hours.weekly/cap@site_id=MY-KLG-01", "requirement": "cap",
                        "subject": {"site_id": "MY-KLG-01"}, "severity": "major",
                        "basis": "verified", "message": "W1 worked 61 hours",
                        "path": "/sites/0/workers/1/hours", "actual": 61, "expected": "<= 60",
                        "items": items, "examined": 30,
                        "remediation": {"action": "Cap hours at 60", "due": "2024-12-31",
                                        "due_from": "plan", "plan": "yellow"},
                        "rule": {"file": "hours.conduct", "line": 9, "column": 5}
                    }],
                    "missing": [], "invalid": []
                },
                {
                    "clause": "forced.fees", "title": "No recruitment fees", "references": [],
                    "status": "violated", "severity": "critical", "remediated": false,
                    "violations": [{
                        "id": "forced.fees/r1", "requirement": "r1", "subject": {},
                        "severity": "critical", "basis": "alleged",
                        "message": "A union reports fees of 1100 USD", "path": "/allegations/0",
                        "actual": true, "expected": "false", "items": [], "examined": null,
                        "remediation": {"action": "Reimburse the fees", "due": "2024-11-30",
                                        "due_from": "evidence", "plan": null},
                        "rule": {"file": "fees.conduct", "line": 3, "column": 3}
                    }],
                    "missing": [
                        {"path": "/sites/0/workers/3/contract", "subject": {"site_id": "MY-KLG-01", "worker_ref": "W3"}, "description": null},
                        {"path": "/sites/1/recruitment/0/receipt", "subject": {}, "description": null}
                    ],
                    "invalid": [], "truncated": true
                },
                {
                    "clause": "age.minimum", "title": "Minimum age", "references": [],
                    "status": "insufficient_evidence", "severity": null, "remediated": false,
                    "violations": [],
                    "missing": [
                        {"path": "/sites/0/workers/3/date_of_birth", "subject": {"site_id": "MY-KLG-01", "worker_ref": "W3"}, "description": "date of birth (ID copy)"},
                        {"path": "/sites/0/workers/4/date_of_birth", "subject": {"site_id": "MY-KLG-01", "worker_ref": "W4"}, "description": "date of birth (ID copy)"},
                        {"path": "/policy/approved_by", "subject": {}, "description": null},
                        {"path": "as_of", "subject": {}, "description": null}
                    ],
                    "invalid": [{"path": "/sites/0/workers/5/date_of_birth", "reason": "expected a date"}]
                },
                {
                    "clause": "site.fire", "title": "Fire safety", "references": [],
                    "status": "not_examined", "severity": null, "remediated": false,
                    "violations": [], "missing": [], "invalid": []
                },
                {
                    "clause": "wages.loop", "title": "Wages", "references": [],
                    "status": "error", "severity": null, "remediated": false,
                    "violations": [], "missing": [], "invalid": [], "error": "step limit exceeded"
                },
                {
                    "clause": "rest.day", "title": "Weekly rest", "references": [],
                    "status": "compliant", "severity": null, "remediated": true,
                    "violations": [], "missing": [], "invalid": []
                },
                {
                    "clause": "housing.standard", "title": "Housing", "references": [],
                    "status": "not_applicable", "severity": null, "remediated": false,
                    "violations": [], "missing": [], "invalid": []
                }
            ]
        }));
        let mut report: Report = report.unwrap();
        // Inserted in order: `json!` sorts its keys unless serde_json's `preserve_order` is on.
        report.subject.insert("supplier".into(), "Acme AB".into());
        report.subject.insert("contract".into(), "RV-1".into());
        report
            .subject
            .insert("region".into(), serde_json::Value::Null);
        report
    }

    #[test]
    fn the_officer_text_has_every_part_and_no_technical_detail() {
        let expected = "\
Demo code · edition 2024
Document: batch.ndjson:2
Supplier: Acme AB
Contract: RV-1
Assessment date: 2024-10-31
Result: NON-COMPLIANT — 1 critical deviation and 1 major deviation; insufficient evidence for 1 requirement; 1 requirement could not be evaluated

Critical deviations (1)

  Alleged deviation 1 · No recruitment fees
    Observed: A union reports fees of 1100 USD
    Source: alleged by others, not established
    Action: Reimburse the fees — by 2024-11-30, counted from the date the evidence shows
    … more deviations were found than can be listed

Major deviations (1)

  Deviation 2 · Weekly hours · site MY-KLG-01
    Observed: 7 of 30 workers examined: W1, W2, W3, W4, W5, W6, W7
      – W1 worked 61 hours
      – W2 worked 62 hours
      – W3 worked 63 hours
      – W4 worked 64 hours
      – W5 worked 65 hours
      … and 2 more
    Source: verified in an audit
    Action: Cap hours at 60 — by 2024-12-31, as agreed in the corrective-action plan
    Corrective-action plan: yellow — open within its deadline

Insufficient evidence

  No recruitment fees
    Missing for site MY-KLG-01, worker W3: contract
    Missing for sites no. 2, recruitment no. 1: receipt

  Minimum age
    Missing for site MY-KLG-01, worker W3: date of birth (ID copy)
    Missing for site MY-KLG-01, worker W4: date of birth (ID copy)
    Missing: approved by; the assessment date (give --as-of)
    Date of birth (sites no. 1, workers no. 6): the value given cannot be used

Not examined in this follow-up
  1 requirement was not examined in this follow-up: Fire safety

Could not be evaluated
  Wages: a technical error in the evaluation; ask the rule authors

Requirements met (1): Weekly rest (put right)
Not applicable (1): Housing
";
        assert_eq!(render(&report("en"), Some("batch.ndjson:2")), expected);
    }

    #[test]
    fn swedish_uses_the_codes_own_terms() {
        let text = render(&report("sv"), None);
        for phrase in [
            "Resultat: UPPFYLLER INTE KRAVEN — 1 allvarlig avvikelse och 1 större avvikelse; otillräckligt underlag för 1 krav; 1 krav kunde inte bedömas\n",
            "Allvarliga avvikelser (1)\n",
            "  Påstådd avvikelse 1 · No recruitment fees\n",
            "    Källa: påstående från andra, inte fastställt\n",
            "    Åtgärd: Reimburse the fees — senast 2024-11-30, räknat från det datum underlaget visar\n",
            "  Avvikelse 2 · Weekly hours · anläggning MY-KLG-01\n",
            "    Iakttaget: 7 av 30 granskade arbetstagare: W1, W2, W3, W4, W5, W6, W7\n",
            "      … och 2 till\n",
            "    Åtgärd: Cap hours at 60 — senast 2024-12-31, enligt överenskommen åtgärdsplan\n",
            "    Åtgärdsplan: gul — öppen inom tidsfristen\n",
            "Otillräckligt underlag\n",
            "    Saknas för anläggning MY-KLG-01, arbetstagare W3: date of birth (ID copy)\n",
            "    Saknas: approved by; bedömningsdatum (ange --as-of)\n",
            "Ej granskat i denna uppföljning\n  1 krav granskades inte i denna uppföljning: Fire safety\n",
            "Kunde inte bedömas\n",
            "Uppfyllda krav (1): Weekly rest (åtgärdat)\n",
            "Ej tillämpliga krav (1): Housing\n",
        ] {
            assert!(text.contains(phrase), "{phrase:?} not in\n{text}");
        }
    }

    #[test]
    fn the_details_add_ids_pointers_values_and_rule_locations() {
        let officer = render(&report("en"), None);
        let details = render_details(&report("en"), None);
        for technical in [
            "pack: demo · sha256:0\n",
            "  Deviation 2 · Weekly hours [hours.weekly] · site MY-KLG-01\n",
            "    id: hours.weekly/cap@site_id=MY-KLG-01\n",
            "    evidence: /sites/0/workers/1/hours · found 61 · required <= 60\n",
            "    rule: hours.conduct:9:5\n",
            "      – W1 worked 61 hours (/sites/0/workers/1/hours · found 61 · required <= 60)\n",
            "date of birth (ID copy) (/sites/0/workers/3/date_of_birth)",
            "Date of birth (sites no. 1, workers no. 6): the value given cannot be used (/sites/0/workers/5/date_of_birth: expected a date)\n",
            "  Wages [wages.loop]: step limit exceeded\n",
        ] {
            assert!(
                details.contains(technical),
                "{technical:?} not in\n{details}"
            );
        }
        for technical in [
            "hours.weekly",
            "/sites/",
            "hours.conduct",
            "sha256",
            "step limit",
        ] {
            assert!(!officer.contains(technical), "{technical:?} in\n{officer}");
        }
    }

    #[test]
    fn a_finding_whose_message_is_not_an_items_keeps_it_above_the_count() {
        let mut report = report("en");
        let outcome = report.outcomes.first_mut().unwrap();
        let v = outcome.violations.first_mut().unwrap();
        v.message = "Workers at MY-KLG-01 exceed 60 hours".into();
        v.items.truncate(2);
        v.examined = None;
        let text = render(&report, None);
        assert!(
            text.contains(
                "    Observed: Workers at MY-KLG-01 exceed 60 hours\n    2 workers: W1, W2\n      – W1"
            ),
            "{text}"
        );
    }

    #[test]
    fn items_without_readable_keys_are_counted_not_named() {
        let mut report = report("sv");
        let outcome = report.outcomes.first_mut().unwrap();
        let v = outcome.violations.first_mut().unwrap();
        for item in &mut v.items {
            item.keys = serde_json::from_value(serde_json::json!({"item": "sha256:ab"})).unwrap();
        }
        let text = render(&report, None);
        assert!(
            text.contains("    Iakttaget: 7 av 30 granskade\n      – W1 worked 61 hours\n"),
            "{text}"
        );
        assert!(!text.contains("sha256"), "{text}");
    }

    #[test]
    fn hostile_text_in_subjects_items_and_messages_is_cleaned() {
        let mut report = report("en");
        report
            .subject
            .insert("supplier".into(), "Acme\u{202E}BA\u{1B}[31m".into());
        let outcome = report.outcomes.first_mut().unwrap();
        outcome.title = "Weekly\nhours\u{2066}".into();
        let v = outcome.violations.first_mut().unwrap();
        v.subject =
            serde_json::from_value(serde_json::json!({"site_id": "MY\u{202E}10-GLK"})).unwrap();
        v.message = "line one\r\nline two\u{7}".into();
        let item = v.items.first_mut().unwrap();
        item.keys =
            serde_json::from_value(serde_json::json!({"worker_ref": "W\u{200F}1"})).unwrap();
        item.message = "worker\u{202D} W1\u{0}".into();
        let text = render(&report, Some("in\u{1B}put"));
        for line in text.lines() {
            assert!(
                !line.chars().any(|c| c.is_control()
                    || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')),
                "{line:?}"
            );
        }
        assert!(
            text.contains("Supplier: Acme\u{FFFD}BA\u{FFFD}[31m\n"),
            "{text}"
        );
        assert!(
            text.contains("Deviation 2 · Weekly hours\u{FFFD} · site MY\u{FFFD}10-GLK\n"),
            "{text}"
        );
        assert!(
            text.contains("Observed: line one  line two\u{FFFD}\n"),
            "{text}"
        );
        assert!(text.contains("examined: W\u{FFFD}1, W2"), "{text}");
        assert!(text.contains("– worker\u{FFFD} W1\u{FFFD}\n"), "{text}");
        assert!(text.contains("Document: in\u{FFFD}put\n"), "{text}");
    }

    #[test]
    fn a_report_1_reads_back_and_renders() {
        let report: Report = serde_json::from_value(serde_json::json!({
            "format": "conduct-report/1",
            "engine": {"name": "conduct", "version": "0.1.0"},
            "pack": {"name": "demo", "title": "", "edition": null, "digest": "sha256:0"},
            "as_of": null, "language": "xx", "subject": {}, "verdict": "compliant",
            "summary": {
                "clauses": 1, "violated": 0, "compliant": 1, "insufficient_evidence": 0,
                "not_applicable": 0, "error": 0, "violations": 0,
                "by_severity": {"critical": 0, "major": 0, "minor": 0}
            },
            "outcomes": [{
                "clause": "a.b", "title": "", "references": [], "status": "compliant",
                "severity": null, "remediated": false, "violations": [], "missing": [],
                "invalid": [], "error": null, "truncated": false
            }]
        }))
        .unwrap();
        assert_eq!(
            render(&report, None),
            "demo\nResult: COMPLIANT — no deviations\n\nRequirements met (1): a.b\n"
        );
    }

    #[test]
    fn fields_are_named_in_words() {
        let en = Catalogue::for_language("en");
        assert_eq!(field_name(en, "/sites/0/hours_records"), "hours records");
        assert_eq!(field_name(en, "/a~1b/3"), "a/b");
        assert_eq!(field_name(en, ""), "the whole evidence document");
        assert_eq!(field_name(en, "/workers/12"), "workers");
        assert_eq!(
            position(en, "/sites/0/workers/3/hours").as_deref(),
            Some("sites no. 1, workers no. 4")
        );
        assert_eq!(position(en, "/policies/approved_by"), None);
        assert_eq!(
            position(Catalogue::for_language("sv"), "/a_b/1099").as_deref(),
            Some("a b nr 1\u{a0}100")
        );
        assert_eq!(
            field_name(Catalogue::for_language("sv"), "as_of"),
            "bedömningsdatum (ange --as-of)"
        );
    }
}
