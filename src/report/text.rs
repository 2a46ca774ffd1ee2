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
use crate::report::{Item, Missing, Outcome, Report, Severity, Status, Violation};

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
    Renderer::new(report, false).render(input)
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
/// assert!(text.contains("    rule: rules/regions/management.conduct:"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn render_details(report: &Report, input: Option<&str>) -> String {
    Renderer::new(report, true).render(input)
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
fn capitalized(text: &str) -> String {
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
                    capitalized(&w.key_word(key, false)),
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
        let s = &self.report.summary;
        let by = &s.by_severity;
        let counts: Vec<String> = [
            (Severity::Critical, by.critical),
            (Severity::Major, by.major),
            (Severity::Minor, by.minor),
        ]
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(severity, n)| w.severity_count(severity, n))
        .collect();
        let mut parts = vec![if counts.is_empty() {
            w.no_deviations.to_string()
        } else {
            w.list(&counts)
        }];
        if s.insufficient_evidence > 0 {
            parts.push(w.insufficient_count(s.insufficient_evidence));
        }
        if s.error > 0 {
            parts.push(w.error_count(s.error));
        }
        format!(
            "{}: {} — {}",
            w.result,
            w.verdict(self.report.verdict).to_uppercase(),
            parts.join("; ")
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
        let mut head = format!("  {kind} {number} · {}", self.title(outcome));
        if let Some(subject) = w.subject(&v.subject) {
            head = format!("{head} · {}", clean(&subject));
        }
        self.line(&head);

        let message = clean(&v.message);
        if v.items.is_empty() {
            self.line(&format!("    {}: {message}", w.observed));
        } else {
            let count = self.item_count(v);
            if v.items.iter().any(|item| item.message == v.message) {
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
                w.requirement.to_lowercase(),
                clean(&v.expected)
            ));
            self.line(&format!("    {}: {}", w.rule, clean(&v.rule.to_string())));
        }
    }

    /// "3 of 30 workers examined: W1, W4, W9" (the names when the items have readable keys).
    fn item_count(&self, v: &Violation) -> String {
        let w = self.words;
        let key = v
            .items
            .first()
            .and_then(|item| item.keys.keys().next())
            .filter(|_| v.items.iter().all(|item| w.item_name(&item.keys).is_some()))
            .map(String::as_str);
        let count = w.examined(v.items.len(), v.examined, key);
        let names: Vec<String> = v
            .items
            .iter()
            .filter_map(|item| w.item_name(&item.keys))
            .map(|name| clean(&name))
            .collect();
        if key.is_some() && !names.is_empty() {
            format!("{count}: {}", names.join(", "))
        } else {
            count
        }
    }

    /// ` (/sites/0/workers/3/hours · 72)` with details, nothing otherwise.
    fn item_details(&self, item: &Item) -> String {
        if self.details {
            format!(
                " ({} · {})",
                pointer(&item.path),
                clean(&item.actual.to_string())
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
            let mut groups: IndexMap<Option<String>, Vec<String>> = IndexMap::new();
            for missing in &outcome.missing {
                let subject = w.subject(&missing.subject).map(|s| clean(&s));
                let field = self.missing_field(missing);
                let fields = groups.entry(subject).or_default();
                if !fields.contains(&field) {
                    fields.push(field);
                }
            }
            for (subject, fields) in groups {
                let label = match subject {
                    Some(subject) => format!("{} {subject}", w.missing_for),
                    None => w.missing.to_string(),
                };
                self.line(&format!("    {label}: {}", fields.join("; ")));
            }
            for invalid in &outcome.invalid {
                let mut line = format!(
                    "    {}: {}",
                    capitalized(&field_name(w, &invalid.path)),
                    w.invalid_value
                );
                if self.details {
                    line = format!(
                        "{line} ({}: {})",
                        pointer(&invalid.path),
                        clean(&invalid.reason)
                    );
                }
                self.line(&line);
            }
        }
    }

    /// The description of a missing field, or its name in words; with details, its pointer.
    fn missing_field(&self, missing: &Missing) -> String {
        let w = self.words;
        let field = match &missing.description {
            Some(description) if !description.trim().is_empty() => clean(description),
            _ => field_name(w, &missing.path),
        };
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
            titles.join(", ")
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
                    titles.join(", ")
                ));
            }
        }
    }

    /// The titles of the clauses with this status, `(put right)` after those remediated.
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

/// A field in words, for people: the last name in its pointer with `_` read as a space
/// (`/sites/0/hours_records` → "hours records"); the evaluation date and the whole document
/// in the catalogue's words.
fn field_name(words: &Catalogue, path: &str) -> String {
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
