//! The report: one outcome per clause, with findings, missing and invalid evidence. Its
//! JSON form (`conduct-report/2`) is a public contract; [`Report::from_json`] also reads
//! `conduct-report/1`.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

pub mod catalogue;
pub mod compare;
mod finding;
pub mod portfolio;
pub mod text;
mod v1;
mod value_words;

pub(crate) use self::value_words::value_words;

pub use self::finding::{
    Basis, DueFrom, FilledBy, Invalid, Item, Keys, Missing, PlanState, Remediation, Violation,
    natural_cmp,
};

pub use crate::date::{Date, ParseDateError};
pub use crate::source::Location;

/// What a pack's `labels` declarations record about the subjects findings name, once per
/// document: key field (`site_id`) → key value (`MY-KLG-01`) → label (`country`) → value
/// (`"MY"`). See [`Report::labels`].
pub type Labels = IndexMap<String, IndexMap<String, IndexMap<String, serde_json::Value>>>;

/// The report format identifier; it changes only when the JSON breaks compatibility.
pub const REPORT_FORMAT: &str = "conduct-report/2";

/// The earlier report format, which [`Report::from_json`] still reads.
pub const REPORT_FORMAT_1: &str = "conduct-report/1";

/// How serious a violation is. Ordered: `Minor < Major < Critical`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// RBA/Goodpoint "Minor".
    Minor,
    /// RBA/Goodpoint "Major".
    Major,
    /// A severe deviation (*allvarlig avvikelse*), RBA "Priority", amfori zero tolerance.
    Critical,
}

impl Severity {
    /// The lowercase name used in reports and rules.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Minor => "minor",
            Severity::Major => "major",
            Severity::Critical => "critical",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Severity {
    type Err = ParseNameError;

    /// The lowercase name, as in reports and rules: `minor`, `major`, `critical`.
    fn from_str(text: &str) -> Result<Severity, ParseNameError> {
        let all = [Severity::Minor, Severity::Major, Severity::Critical];
        from_name("severity", text, &all, |s| s.as_str())
    }
}

/// The value whose name is `text`, or an error listing the names.
fn from_name<T: Copy>(
    what: &'static str,
    text: &str,
    all: &[T],
    name: impl Fn(T) -> &'static str,
) -> Result<T, ParseNameError> {
    all.iter()
        .copied()
        .find(|v| name(*v) == text)
        .ok_or_else(|| ParseNameError::new(what, text, all.iter().map(|v| name(*v)).collect()))
}

/// The outcome of one clause.
///
/// Ordered by seriousness, so that the largest status of a report is the one that decides its
/// verdict: `NotApplicable < NotExamined < Compliant < InsufficientEvidence < Error < Violated`. `Display`
/// and `FromStr` use the names of the JSON report (`insufficient_evidence`).
///
/// ```
/// use conduct::Status;
///
/// let statuses = [Status::Compliant, Status::Violated, Status::InsufficientEvidence];
/// assert_eq!(statuses.iter().max(), Some(&Status::Violated));
/// assert_eq!("not_applicable".parse::<Status>()?, Status::NotApplicable);
/// assert_eq!(Status::InsufficientEvidence.to_string(), "insufficient_evidence");
/// # Ok::<(), conduct::report::ParseNameError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// At least one requirement definitely fails on the evidence.
    Violated,
    /// Every requirement definitely holds.
    Compliant,
    /// Nothing definitely fails, but some requirement could not be decided.
    InsufficientEvidence,
    /// The clause's scope does not cover this evidence.
    NotApplicable,
    /// The follow-up's methods do not examine what the clause is about (a desk review and
    /// the clauses about conditions at sites). It does not make the verdict incomplete.
    NotExamined,
    /// The clause could not be evaluated for a reason that is not the evidence's fault.
    Error,
}

impl Status {
    /// The name used in reports.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Violated => "violated",
            Status::Compliant => "compliant",
            Status::InsufficientEvidence => "insufficient_evidence",
            Status::NotApplicable => "not_applicable",
            Status::NotExamined => "not_examined",
            Status::Error => "error",
        }
    }

    /// Every status, least serious first.
    const ALL: [Status; 6] = [
        Status::NotApplicable,
        Status::NotExamined,
        Status::Compliant,
        Status::InsufficientEvidence,
        Status::Error,
        Status::Violated,
    ];

    /// The place in the order of seriousness.
    fn rank(self) -> usize {
        Status::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Status {
    type Err = ParseNameError;

    /// The name used in reports, e.g. `insufficient_evidence`.
    fn from_str(text: &str) -> Result<Status, ParseNameError> {
        let listed = [
            Status::Violated,
            Status::Compliant,
            Status::InsufficientEvidence,
            Status::NotApplicable,
            Status::NotExamined,
            Status::Error,
        ];
        from_name("status", text, &listed, Status::as_str)
    }
}

impl PartialOrd for Status {
    fn partial_cmp(&self, other: &Status) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Status {
    /// By seriousness: `NotApplicable < NotExamined < Compliant < InsufficientEvidence < Error < Violated`.
    fn cmp(&self, other: &Status) -> std::cmp::Ordering {
        self.rank().cmp(&other.rank())
    }
}

/// The supplier's overall result.
///
/// Ordered by seriousness, as the exit codes rank them: `Compliant < Incomplete <
/// NonCompliant`. `Display` and `FromStr` use the names of the JSON report (`non_compliant`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every clause compliant or not applicable.
    Compliant,
    /// At least one clause violated.
    NonCompliant,
    /// No violation, but some clause lacks evidence or could not be evaluated.
    Incomplete,
}

impl Verdict {
    /// Whether the supplier is compliant.
    #[must_use]
    pub fn is_compliant(self) -> bool {
        self == Verdict::Compliant
    }
    /// The name used in reports.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Compliant => "compliant",
            Verdict::NonCompliant => "non_compliant",
            Verdict::Incomplete => "incomplete",
        }
    }

    /// The place in the order of seriousness.
    fn rank(self) -> u8 {
        match self {
            Verdict::Compliant => 0,
            Verdict::Incomplete => 1,
            Verdict::NonCompliant => 2,
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Verdict {
    type Err = ParseNameError;

    /// The name used in reports, e.g. `non_compliant`.
    fn from_str(text: &str) -> Result<Verdict, ParseNameError> {
        let all = [
            Verdict::Compliant,
            Verdict::NonCompliant,
            Verdict::Incomplete,
        ];
        from_name("verdict", text, &all, Verdict::as_str)
    }
}

impl PartialOrd for Verdict {
    fn partial_cmp(&self, other: &Verdict) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Verdict {
    /// By seriousness: `Compliant < Incomplete < NonCompliant`.
    fn cmp(&self, other: &Verdict) -> std::cmp::Ordering {
        self.rank().cmp(&other.rank())
    }
}

/// The engine that produced a report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Engine {
    /// Always `conduct`.
    pub name: String,
    /// The crate version.
    pub version: String,
}

/// Which rules were evaluated.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PackInfo {
    /// The pack's name.
    pub name: String,
    /// The pack's title in the report's language (the pack's first language's title when it
    /// has none in the report's).
    pub title: String,
    /// The pack's edition.
    pub edition: Option<String>,
    /// `sha256:` of the pack's files, so that a stored report can be replayed.
    pub digest: String,
}

/// Counts per severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BySeverity {
    /// Critical violations.
    pub critical: usize,
    /// Major violations.
    pub major: usize,
    /// Minor violations.
    pub minor: usize,
}

/// Counts over the whole report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Summary {
    /// Number of clauses evaluated.
    pub clauses: usize,
    /// Clauses violated.
    pub violated: usize,
    /// Clauses compliant.
    pub compliant: usize,
    /// Clauses with insufficient evidence.
    pub insufficient_evidence: usize,
    /// Clauses not applicable.
    pub not_applicable: usize,
    /// Clauses the follow-up's methods do not examine.
    #[serde(default)]
    pub not_examined: usize,
    /// Clauses that could not be evaluated.
    pub error: usize,
    /// Findings (violations) in all clauses: one per requirement and subject, however many
    /// items fail.
    pub violations: usize,
    /// Failing items in all findings (a finding about its subject itself counts one).
    #[serde(default)]
    pub items: usize,
    /// Findings per severity.
    pub by_severity: BySeverity,
}

/// The result of one clause.
///
/// Read back with serde, each violation gets the outcome's `clause` again.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "OutcomeWire")]
#[non_exhaustive]
pub struct Outcome {
    /// The clause id, e.g. `child_labour.minimum_age`.
    pub clause: String,
    /// The clause title in the report's language.
    pub title: String,
    /// The instruments the clause encodes.
    pub references: Vec<String>,
    /// The outcome.
    pub status: Status,
    /// The highest severity among the violations; `null` when there are none.
    pub severity: Option<Severity>,
    /// A past breach was put right (the clause's `remedied when` held).
    pub remediated: bool,
    /// Findings, in evidence order of their first item.
    pub violations: Vec<Violation>,
    /// Evidence that was needed but absent or null, in natural order of its pointers.
    pub missing: Vec<Missing>,
    /// Evidence of the wrong type, sorted by path.
    pub invalid: Vec<Invalid>,
    /// Why the clause could not be evaluated (status `error` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// More violations were found than the limit allows listing; `violations` holds the first ones.
    #[serde(default, skip_serializing_if = "is_false")]
    pub truncated: bool,
}

/// An [`Outcome`] as its JSON form holds it: the violations without their clause.
#[derive(Deserialize)]
struct OutcomeWire {
    clause: String,
    title: String,
    references: Vec<String>,
    status: Status,
    severity: Option<Severity>,
    remediated: bool,
    violations: Vec<Violation>,
    missing: Vec<Missing>,
    invalid: Vec<Invalid>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    truncated: bool,
}

impl From<OutcomeWire> for Outcome {
    fn from(wire: OutcomeWire) -> Outcome {
        let mut violations = wire.violations;
        for v in &mut violations {
            v.clause.clone_from(&wire.clause);
        }
        Outcome {
            clause: wire.clause,
            title: wire.title,
            references: wire.references,
            status: wire.status,
            severity: wire.severity,
            remediated: wire.remediated,
            violations,
            missing: wire.missing,
            invalid: wire.invalid,
            error: wire.error,
            truncated: wire.truncated,
        }
    }
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes a reference"
)]
fn is_false(b: &bool) -> bool {
    !*b
}

/// A parameter an evidence field decided: see [`Report::params_from_evidence`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ParamFromEvidence {
    /// The JSON Pointer of the evidence field: `/contract/reporting_deadline_days`.
    pub path: String,
    /// The value used, as the evidence has it.
    pub value: serde_json::Value,
}

/// The result of evaluating one evidence document against a pack.
///
/// Serializes to the `conduct-report/2` JSON contract, and reads back from it with serde
/// losing nothing. The report's structs are `#[non_exhaustive]`: new fields of the JSON
/// contract can be added without breaking code that reads them, so they are built by the
/// evaluator or by serde, never by a struct literal.
///
/// ```compile_fail
/// let counts = conduct::report::BySeverity { critical: 0, major: 0, minor: 0 };
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Report {
    /// [`REPORT_FORMAT`]; [`REPORT_FORMAT_1`] for a `/1` report read by [`Report::from_json`].
    pub format: String,
    /// The engine.
    pub engine: Engine,
    /// The pack.
    pub pack: PackInfo,
    /// The evaluation date, when known.
    pub as_of: Option<Date>,
    /// The language of messages and titles.
    pub language: String,
    /// The parameters overridden for this evaluation, with the values used, so that the
    /// report can be replayed. Empty when the pack's defaults were used.
    #[serde(default)]
    pub params: IndexMap<String, serde_json::Value>,
    /// The parameters an evidence field decided for this document, by name: those the pack
    /// declares `overridden by` a field (`param reporting_deadline_days: number = 14
    /// overridden by contract.reporting_deadline_days`) that the document has, with a valid
    /// value, so the field was used instead of the `params` override or the default. In the
    /// pack's order; left out of the JSON when empty.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub params_from_evidence: IndexMap<String, ParamFromEvidence>,
    /// Who was assessed, as the pack's `subject` names it.
    pub subject: IndexMap<String, serde_json::Value>,
    /// The words, in the report's language, for the stored texts the report's keys hold (its
    /// `subject`'s, its findings' and items' keys, its missing and invalid entries' subjects),
    /// by key then text: `{"type": {"ppe": "skyddsutrustning"}}`, from the pack's tables (its
    /// table `value_words` names, for each key, the tables that word its texts). The keys keep
    /// the stored texts, for ids and grouping; renderings show the words
    /// ([`Report::worded`]). Left out of the JSON when empty.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub value_words: IndexMap<String, IndexMap<String, String>>,
    /// What the pack's `labels` declarations record, read once from the document, about the
    /// subjects findings name by their keys: `{"site_id": {"MY-KLG-01": {"country": "MY"}}}`.
    /// Key fields in the pack's order, key values sorted, labels in the pack's order; left
    /// out of the JSON when empty. Read with [`Report::label`].
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub labels: Labels,
    /// Label values the document holds but the report could not record (a value of another
    /// type than declared, items with one key that disagree), by pointer; left out of the JSON
    /// when empty. They change no outcome.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub invalid_labels: Vec<Invalid>,
    /// The overall result.
    pub verdict: Verdict,
    /// Counts.
    pub summary: Summary,
    /// One outcome per clause, in the pack's declaration order.
    pub outcomes: Vec<Outcome>,
}

impl Report {
    /// The outcome of one clause.
    #[must_use]
    pub fn outcome(&self, clause: &str) -> Option<&Outcome> {
        self.outcomes.iter().find(|o| o.clause == clause)
    }

    /// Every violation of every clause, in clause order.
    pub fn violations(&self) -> impl Iterator<Item = &Violation> {
        self.outcomes.iter().flat_map(|o| o.violations.iter())
    }

    /// The label `name` recorded for the subject whose key field `key` holds `value` (a text,
    /// or a number as written): a site's country is `label("site_id", &site, "country")`.
    ///
    /// ```
    /// use conduct::{Options, RulePack};
    ///
    /// let pack = RulePack::builder()
    ///     .file("pack.conduct", r#"pack demo "Demo" languages en
    ///   labels site_id from sites: country
    /// evidence { sites: [{ key site_id: string, country: string }] }
    /// clause a.b
    ///   title en "T"
    ///   require true
    /// "#)
    ///     .build()?;
    /// let evidence = serde_json::json!({ "sites": [{ "site_id": "MY-1", "country": "MY" }] });
    /// let report = pack.evaluate(&evidence, &Options::default());
    /// let site = serde_json::json!("MY-1");
    /// assert_eq!(report.label("site_id", &site, "country"), Some(&serde_json::json!("MY")));
    /// # Ok::<(), conduct::Error>(())
    /// ```
    #[must_use]
    pub fn label(
        &self,
        key: &str,
        value: &serde_json::Value,
        name: &str,
    ) -> Option<&serde_json::Value> {
        let value = match value {
            serde_json::Value::String(s) => std::borrow::Cow::Borrowed(s.as_str()),
            serde_json::Value::Number(n) => std::borrow::Cow::Owned(n.to_string()),
            _ => return None,
        };
        self.labels.get(key)?.get(value.as_ref())?.get(name)
    }

    /// Violations of at least the given severity.
    pub fn violations_at_least(&self, severity: Severity) -> impl Iterator<Item = &Violation> {
        self.violations().filter(move |v| v.severity >= severity)
    }

    /// The CLI exit code this report maps to: 0 compliant, 1 violated, 2 incomplete.
    #[must_use]
    pub fn exit_code(&self) -> i32 {
        match self.verdict {
            Verdict::Compliant => 0,
            Verdict::NonCompliant => 1,
            Verdict::Incomplete => 2,
        }
    }

    /// Reads a stored report back from its JSON form: `conduct-report/2` (everything restored,
    /// as plain `serde_json::from_str::<Report>` does too) or `conduct-report/1`.
    ///
    /// A `/1` report is converted: its violations keep their fields but have no identity
    /// (`id` and `requirement` are `""`, no subject, items, basis or plan), each `missing`
    /// pointer becomes a [`Missing`] entry with no subject or description, `params` is empty,
    /// and `format` stays `conduct-report/1` so that the caller can tell. A follow-up
    /// comparison with a `/1` report therefore matches findings by clause, not by id.
    ///
    /// ```
    /// use conduct::report::{REPORT_FORMAT_1, ReadError, Report};
    ///
    /// let old = r#"{"format": "conduct-report/1",
    ///   "engine": {"name": "conduct", "version": "0.1.0"},
    ///   "pack": {"name": "p", "title": "P", "edition": null, "digest": "sha256:00"},
    ///   "as_of": "2024-10-31", "language": "en", "subject": {}, "verdict": "incomplete",
    ///   "summary": {"clauses": 1, "violated": 0, "compliant": 0, "insufficient_evidence": 1,
    ///               "not_applicable": 0, "error": 0, "violations": 0,
    ///               "by_severity": {"critical": 0, "major": 0, "minor": 0}},
    ///   "outcomes": [{"clause": "a.b", "title": "T", "references": [],
    ///                 "status": "insufficient_evidence", "severity": null, "remediated": false,
    ///                 "violations": [], "missing": ["/workers/0/age"], "invalid": []}]}"#;
    /// let report = Report::from_json(old)?;
    /// assert_eq!(report.format, REPORT_FORMAT_1);
    /// assert_eq!(report.outcomes[0].missing[0].path, "/workers/0/age");
    ///
    /// let error = Report::from_json(r#"{"format": "conduct-report/9"}"#).unwrap_err();
    /// assert!(matches!(error, ReadError::UnknownFormat { .. }));
    /// assert_eq!(
    ///     error.to_string(),
    ///     "unknown report format `conduct-report/9`; this version reads \
    ///      `conduct-report/2` and `conduct-report/1`"
    /// );
    /// # Ok::<(), ReadError>(())
    /// ```
    ///
    /// # Errors
    /// [`ReadError::Json`] when the text is not JSON or not a report of the format it names;
    /// [`ReadError::UnknownFormat`] when its `format` is missing or not one of
    /// [`ReadError::ACCEPTED`].
    pub fn from_json(text: &str) -> Result<Report, ReadError> {
        let format = v1::format_of(text)?;
        match format.as_ref().and_then(serde_json::Value::as_str) {
            Some(REPORT_FORMAT) => Ok(serde_json::from_str(text)?),
            Some(REPORT_FORMAT_1) => Ok(serde_json::from_str::<v1::ReportV1>(text)?.into()),
            Some(other) => Err(ReadError::UnknownFormat {
                found: Some(other.to_string()),
                accepted: ReadError::ACCEPTED,
            }),
            None => Err(ReadError::UnknownFormat {
                found: format.map(|f| f.to_string()),
                accepted: ReadError::ACCEPTED,
            }),
        }
    }

    pub(crate) fn finish(&mut self) {
        let mut s = Summary {
            clauses: self.outcomes.len(),
            ..Summary::default()
        };
        for o in &self.outcomes {
            match o.status {
                Status::Violated => s.violated += 1,
                Status::Compliant => s.compliant += 1,
                Status::InsufficientEvidence => s.insufficient_evidence += 1,
                Status::NotApplicable => s.not_applicable += 1,
                Status::NotExamined => s.not_examined += 1,
                Status::Error => s.error += 1,
            }
            for v in &o.violations {
                s.violations += 1;
                s.items += v.items.len().max(1);
                match v.severity {
                    Severity::Critical => s.by_severity.critical += 1,
                    Severity::Major => s.by_severity.major += 1,
                    Severity::Minor => s.by_severity.minor += 1,
                }
            }
        }
        self.verdict = if s.violated > 0 {
            Verdict::NonCompliant
        } else if s.insufficient_evidence > 0 || s.error > 0 {
            Verdict::Incomplete
        } else {
            Verdict::Compliant
        };
        self.summary = s;
    }
}

/// Why [`Report::from_json`] could not read a stored report.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// The text is not JSON, or not a report of the format it names (a field missing or of
    /// the wrong type); the position is in the message.
    #[error("not a readable report: {0}")]
    Json(#[from] serde_json::Error),
    /// The report's `format` is missing or is not one this version reads.
    #[error(
        "{}; this version reads {}",
        match found {
            Some(found) => format!("unknown report format `{found}`"),
            None => "the report has no `format`".to_string(),
        },
        accepted.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(" and ")
    )]
    UnknownFormat {
        /// The `format` found: its text, or the JSON of a value that is not a string;
        /// `None` when there is none.
        found: Option<String>,
        /// The formats this version reads, newest first.
        accepted: &'static [&'static str],
    },
}

impl ReadError {
    /// The formats [`Report::from_json`] reads, newest first.
    pub const ACCEPTED: &'static [&'static str] = &[REPORT_FORMAT, REPORT_FORMAT_1];
}

impl Report {
    /// Compares this report with an `earlier` one about the same supplier: every finding of
    /// both classified (new, persisting with the earlier due date carried forward and overdue
    /// once passed, escalated, de-escalated, unconfirmed, resolved, remediated) and the clauses
    /// whose status changed. See [`compare::Comparison`].
    ///
    /// # Errors
    /// When the reports are about different suppliers (subject fields present in both differ).
    pub fn compare(&self, earlier: &Report) -> Result<compare::Comparison, compare::CompareError> {
        compare::compare(self, earlier)
    }
}

/// A text that names no value of a type read by name: a [`Status`], a [`Verdict`], a
/// [`Severity`] or a [`Code`](crate::pack::Code).
///
/// ```
/// let error = "fatal".parse::<conduct::Severity>().unwrap_err();
/// assert_eq!(error.text(), "fatal");
/// assert_eq!(
///     error.to_string(),
///     "unknown severity `fatal`; expected one of `minor`, `major`, `critical`"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} `{text}`; expected {}", expected_names(expected))]
pub struct ParseNameError {
    what: &'static str,
    text: String,
    expected: Vec<&'static str>,
}

impl ParseNameError {
    pub(crate) fn new(what: &'static str, text: &str, expected: Vec<&'static str>) -> Self {
        ParseNameError {
            what,
            text: text.to_string(),
            expected,
        }
    }
    /// What was being read: `status`, `verdict`, `severity` or `code`.
    #[must_use]
    pub fn what(&self) -> &str {
        self.what
    }
    /// The text given.
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }
    /// The names that are accepted.
    #[must_use]
    pub fn expected(&self) -> &[&'static str] {
        &self.expected
    }
}

/// `one of `a`, `b``; a long list is cut after its first and last names.
fn expected_names(names: &[&str]) -> String {
    let quoted = |n: &&str| format!("`{n}`");
    match names {
        [first, .., last] if names.len() > 6 => {
            format!("one of {} … {}", quoted(first), quoted(last))
        }
        _ => format!(
            "one of {}",
            names.iter().map(quoted).collect::<Vec<_>>().join(", ")
        ),
    }
}
