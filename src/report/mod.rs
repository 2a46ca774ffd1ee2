//! The report: one outcome per clause, with violations, missing and invalid evidence. Its
//! JSON form (`conduct-report/1`) is a public contract; field names never change.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

pub mod text;

pub use crate::date::Date;
pub use crate::source::Location;

/// The report format identifier; it changes only when the JSON breaks compatibility.
pub const REPORT_FORMAT: &str = "conduct-report/1";

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

/// The outcome of one clause.
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
            Status::Error => "error",
        }
    }
}

/// The supplier's overall result.
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
}

/// The engine that produced a report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Engine {
    /// Always `conduct`.
    pub name: String,
    /// The crate version.
    pub version: String,
}

/// Which rules were evaluated.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackInfo {
    /// The pack's name.
    pub name: String,
    /// The pack's title.
    pub title: String,
    /// The pack's edition.
    pub edition: Option<String>,
    /// `sha256:` of the pack's files, so that a stored report can be replayed.
    pub digest: String,
}

/// Counts per severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
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
    /// Clauses that could not be evaluated.
    pub error: usize,
    /// Violations in all clauses.
    pub violations: usize,
    /// Violations per severity.
    pub by_severity: BySeverity,
}

/// What must be done about a violation, and by when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remediation {
    /// The corrective action, in the report's language.
    pub action: String,
    /// The due date (`YYYY-MM-DD`), when the pack gives a deadline and it could be computed.
    pub due: Option<String>,
}

/// Evidence that is present but not usable: the wrong type, an unparsable date.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Invalid {
    /// JSON Pointer into the evidence.
    pub path: String,
    /// What is wrong with it.
    pub reason: String,
}

/// One failed requirement on one item of evidence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Violation {
    /// The clause id (not serialized: the outcome names it).
    #[serde(skip)]
    pub clause: String,
    /// How serious this violation is.
    pub severity: Severity,
    /// What was found, in the report's language.
    pub message: String,
    /// JSON Pointer to the evidence the requirement is about.
    pub path: String,
    /// The value found (or computed from evidence).
    pub actual: serde_json::Value,
    /// What was required, with the bound as computed, e.g. `>= 15`.
    pub expected: String,
    /// The corrective action and its due date, when the clause defines one.
    pub remediation: Option<Remediation>,
    /// The requirement in the rule source.
    pub rule: Location,
}

/// The result of one clause.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
    /// Violations in evidence order.
    pub violations: Vec<Violation>,
    /// JSON Pointers of evidence that was needed but absent or null, sorted.
    pub missing: Vec<String>,
    /// Evidence of the wrong type, sorted by path.
    pub invalid: Vec<Invalid>,
    /// Why the clause could not be evaluated (status `error` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// More violations were found than the limit allows listing; `violations` holds the first ones.
    #[serde(default, skip_serializing_if = "is_false")]
    pub truncated: bool,
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes a reference"
)]
fn is_false(b: &bool) -> bool {
    !*b
}

/// The result of evaluating one evidence document against a pack.
///
/// Serializes to the `conduct-report/1` JSON contract.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Always [`REPORT_FORMAT`].
    pub format: String,
    /// The engine.
    pub engine: Engine,
    /// The pack.
    pub pack: PackInfo,
    /// The evaluation date, when known.
    pub as_of: Option<String>,
    /// The language of messages and titles.
    pub language: String,
    /// Who was assessed, as the pack's `subject` names it.
    pub subject: IndexMap<String, serde_json::Value>,
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

    /// Reads a report back from its JSON form, restoring each violation's clause id.
    ///
    /// # Errors
    /// When the text is not a `conduct-report/1` JSON report.
    pub fn from_json(text: &str) -> Result<Report, serde_json::Error> {
        let mut report: Report = serde_json::from_str(text)?;
        for o in &mut report.outcomes {
            for v in &mut o.violations {
                v.clause.clone_from(&o.clause);
            }
        }
        Ok(report)
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
                Status::Error => s.error += 1,
            }
            for v in &o.violations {
                s.violations += 1;
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
