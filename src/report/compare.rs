//! Follow-up comparison: two [`Report`]s about the same supplier (an earlier one and a newer
//! one) in, a [`Comparison`] out — every finding of both classified ([`Class`]), the clause
//! outcomes whose status changed, and the [`Warning`]s that qualify the comparison; or a
//! [`CompareError`] when the reports are about different suppliers.
//!
//! Findings are matched by their `id` (clause, requirement and subject keys; see
//! [`Violation::id`]). A `conduct-report/1` report has no ids: then the two reports are
//! compared clause by clause (a clause violated in both is one persisting finding, and so on),
//! with a [`Warning::NoIds`]. Reports made with different packs are still compared by id, with
//! a [`Warning::PackDigests`].
//!
//! The JSON form of a [`Comparison`] is the `conduct-diff/1` contract of `conduct diff
//! --format json` (`schemas/diff.schema.json`).

use indexmap::{IndexMap, IndexSet};
use serde::{Deserialize, Serialize};

use super::finding::named_enum;
use super::{Date, Keys, Outcome, PackInfo, REPORT_FORMAT_1, Report, Severity, Status, Violation};

/// The format identifier of a serialized [`Comparison`]; it changes only when the JSON breaks
/// compatibility.
pub const DIFF_FORMAT: &str = "conduct-diff/1";

named_enum! {
    /// How one finding changed from the earlier report to the newer one.
    ///
    /// Ordered worst first, the order in which [`Comparison::findings`] (and `conduct diff`)
    /// lists them: `Escalated < New < Persisting < DeEscalated < Unconfirmed < Resolved <
    /// Remediated`. Within a class, overdue findings come first (see [`Comparison::findings`]).
    ///
    /// A finding only in the earlier report is *resolved* or *remediated* only when the newer
    /// report shows it: its clause is compliant or not applicable there (or violated by other
    /// findings), or was remediated. When the newer report could not judge the clause
    /// (insufficient evidence, not examined, an evaluation error, its findings list cut short,
    /// or a pack without the clause), the finding is [`Class::Unconfirmed`]: gone from the
    /// report but not shown to be fixed.
    ///
    /// ```
    /// use conduct::report::compare::Class;
    ///
    /// assert!(Class::Escalated < Class::Persisting);
    /// assert_eq!("de_escalated".parse::<Class>()?, Class::DeEscalated);
    /// assert_eq!(Class::Unconfirmed.to_string(), "unconfirmed");
    /// # Ok::<(), conduct::report::ParseNameError>(())
    /// ```
    Class, "class", {
        /// In both reports, more severe in the newer one.
        Escalated => "escalated",
        /// Only in the newer report.
        New => "new",
        /// In both reports, with the same severity.
        Persisting => "persisting",
        /// In both reports, less severe in the newer one.
        DeEscalated => "de_escalated",
        /// Only in the earlier report, but the newer one could not judge its clause: not shown
        /// to be fixed.
        Unconfirmed => "unconfirmed",
        /// Only in the earlier report, and the newer one judged its clause: fixed.
        Resolved => "resolved",
        /// Only in the earlier report, and the newer one records the breach as put right (the
        /// clause's `remediated`).
        Remediated => "remediated",
    }
}

impl Class {
    /// Whether the finding is in the newer report (escalated, new, persisting, de-escalated):
    /// still to be put right, and overdue once its due date has passed.
    ///
    /// ```
    /// use conduct::report::compare::Class;
    ///
    /// assert!(Class::Persisting.is_open());
    /// assert!(!Class::Unconfirmed.is_open());
    /// ```
    #[must_use]
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Class::Escalated | Class::New | Class::Persisting | Class::DeEscalated
        )
    }
}

named_enum! {
    /// How the findings of the two reports were matched.
    ///
    /// ```
    /// use conduct::report::compare::MatchedBy;
    ///
    /// assert_eq!(MatchedBy::Clause.to_string(), "clause");
    /// ```
    MatchedBy, "matched_by", {
        /// By finding id: clause, requirement and subject.
        Id => "id",
        /// By clause, because a report has no finding ids (`conduct-report/1`).
        Clause => "clause",
    }
}

named_enum! {
    /// One of the two reports compared.
    ///
    /// ```
    /// use conduct::report::compare::Side;
    ///
    /// assert_eq!("earlier".parse::<Side>()?, Side::Earlier);
    /// # Ok::<(), conduct::report::ParseNameError>(())
    /// ```
    Side, "report", {
        /// The report compared against.
        Earlier => "earlier",
        /// The follow-up report.
        Newer => "newer",
    }
}

/// Which report one side of a comparison is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReportInfo {
    /// The report's format (`conduct-report/2`, or `/1`).
    pub format: String,
    /// The pack that made it, with its digest.
    pub pack: PackInfo,
    /// Its evaluation date.
    pub as_of: Option<Date>,
    /// The language of its messages and titles.
    pub language: String,
    /// Who was assessed.
    pub subject: Keys,
}

impl ReportInfo {
    fn of(report: &Report) -> ReportInfo {
        ReportInfo {
            format: report.format.clone(),
            pack: report.pack.clone(),
            as_of: report.as_of,
            language: report.language.clone(),
            subject: report.subject.clone(),
        }
    }
}

/// One finding of either report and how it changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FindingChange {
    /// How it changed.
    pub class: Class,
    /// Its clause.
    pub clause: String,
    /// The clause's title (from the newer report when it has the clause), in its language.
    pub title: String,
    /// The requirement's name within the clause; empty when compared by clause.
    pub requirement: String,
    /// The finding's id; the clause id when compared by clause.
    pub id: String,
    /// The subject's keys in the evidence; empty when about the supplier or compared by clause.
    pub subject: Keys,
    /// Its severity in the earlier report; `null` when it is new.
    pub before: Option<Severity>,
    /// Its severity in the newer report; `null` when it is gone.
    pub after: Option<Severity>,
    /// What was found: the newer report's message, or the earlier one's when it is gone.
    pub message: String,
    /// The due date: the earlier report's, carried forward, for a finding in both (the newer
    /// one's only when the earlier had none); the newer report's for a new finding; the
    /// earlier's for a gone one.
    pub due: Option<Date>,
    /// The finding is still open ([`Class::is_open`]) and `due` is before the newer report's
    /// `as_of`.
    pub overdue: bool,
}

impl FindingChange {
    /// Its severity now, or when it was last seen.
    #[must_use]
    pub fn severity(&self) -> Option<Severity> {
        self.after.or(self.before)
    }
}

/// A clause whose status changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OutcomeChange {
    /// The clause id.
    pub clause: String,
    /// The clause's title (from the newer report when it has the clause).
    pub title: String,
    /// Its status in the earlier report; `null` when that pack has no such clause.
    pub before: Option<Status>,
    /// Its status in the newer report; `null` when that pack has no such clause.
    pub after: Option<Status>,
}

/// What qualifies a comparison. `Display` says it in English; the JSON form is tagged by
/// `kind`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Warning {
    /// The reports were made with different packs (or editions of one): findings are matched
    /// by id, and a clause or requirement that was renamed reads as one finding resolved and
    /// another new.
    PackDigests {
        /// The earlier report's pack digest.
        earlier: String,
        /// The newer report's pack digest.
        newer: String,
    },
    /// A report has no finding ids (`conduct-report/1`): findings are compared by clause.
    NoIds {
        /// Which report.
        report: Side,
        /// Its format.
        format: String,
    },
    /// The "newer" report is dated before the "earlier" one: the arguments may be swapped.
    Order {
        /// The earlier report's `as_of`.
        earlier: Date,
        /// The newer report's `as_of`.
        newer: Date,
    },
    /// The reports share no subject field to confirm they are about the same supplier.
    SubjectUnchecked,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Warning::PackDigests { earlier, newer } => write!(
                f,
                "the reports were made with different packs (`{earlier}`, `{newer}`); findings are matched by id"
            ),
            Warning::NoIds { report, format } => write!(
                f,
                "the {report} report (`{format}`) has no finding ids; findings are compared by clause"
            ),
            Warning::Order { earlier, newer } => write!(
                f,
                "the newer report ({newer}) is dated before the earlier one ({earlier})"
            ),
            Warning::SubjectUnchecked => f.write_str(
                "the reports share no subject field; it cannot be confirmed that they are about the same supplier",
            ),
        }
    }
}

/// How many findings of each class, and how many of them are overdue.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Counts {
    /// [`Class::Escalated`].
    pub escalated: usize,
    /// [`Class::New`].
    pub new: usize,
    /// [`Class::Persisting`].
    pub persisting: usize,
    /// [`Class::DeEscalated`].
    pub de_escalated: usize,
    /// [`Class::Unconfirmed`].
    pub unconfirmed: usize,
    /// [`Class::Resolved`].
    pub resolved: usize,
    /// [`Class::Remediated`].
    pub remediated: usize,
    /// Findings with [`FindingChange::overdue`], whatever their class.
    pub overdue: usize,
}

impl Counts {
    /// The count of one class.
    #[must_use]
    pub fn of(&self, class: Class) -> usize {
        match class {
            Class::Escalated => self.escalated,
            Class::New => self.new,
            Class::Persisting => self.persisting,
            Class::DeEscalated => self.de_escalated,
            Class::Unconfirmed => self.unconfirmed,
            Class::Resolved => self.resolved,
            Class::Remediated => self.remediated,
        }
    }

    fn count(findings: &[FindingChange]) -> Counts {
        let mut c = Counts::default();
        for f in findings {
            let slot = match f.class {
                Class::Escalated => &mut c.escalated,
                Class::New => &mut c.new,
                Class::Persisting => &mut c.persisting,
                Class::DeEscalated => &mut c.de_escalated,
                Class::Unconfirmed => &mut c.unconfirmed,
                Class::Resolved => &mut c.resolved,
                Class::Remediated => &mut c.remediated,
            };
            *slot += 1;
            c.overdue += usize::from(f.overdue);
        }
        c
    }
}

/// Two reports about one supplier compared: the result of [`Report::compare`].
///
/// ```
/// let pack = conduct::RulePack::load("rules/regions")?;
/// let evidence = conduct::pack::evidence::read(std::fs::File::open("examples/example-evidence.json")?)?;
/// let report = pack.evaluate(evidence.value(), &conduct::Options::default());
///
/// let comparison = report.compare(&report)?;
/// assert!(comparison.findings.iter().all(|f| f.class == conduct::report::compare::Class::Persisting));
/// assert!(comparison.outcomes.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Comparison {
    /// Always [`DIFF_FORMAT`].
    pub format: String,
    /// The earlier report.
    pub earlier: ReportInfo,
    /// The newer report.
    pub newer: ReportInfo,
    /// How findings were matched.
    pub matched_by: MatchedBy,
    /// What qualifies the comparison.
    pub warnings: Vec<Warning>,
    /// Counts per class.
    pub summary: Counts,
    /// Every finding of both reports, worst first: by [`Class`], overdue before not, more
    /// severe before less, then by clause and id.
    pub findings: Vec<FindingChange>,
    /// The clauses whose status changed, in the newer report's clause order (then clauses
    /// only the earlier pack has).
    pub outcomes: Vec<OutcomeChange>,
}

impl Comparison {
    /// Whether anything got worse: a finding is new, escalated or overdue (what `conduct diff`
    /// exits 1 for).
    #[must_use]
    pub fn worsened(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.overdue || matches!(f.class, Class::New | Class::Escalated))
    }
}

/// One subject field that differs between two reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SubjectDifference {
    /// The subject field (`supplier`, `org_number`).
    pub field: String,
    /// Its value in the earlier report.
    pub earlier: serde_json::Value,
    /// Its value in the newer report.
    pub newer: serde_json::Value,
}

/// Why two reports cannot be compared.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CompareError {
    /// The reports are about different suppliers: subject fields present in both differ.
    #[error("the reports are about different suppliers: {}", differences(.0))]
    DifferentSuppliers(Vec<SubjectDifference>),
}

impl CompareError {
    /// The subject fields that differ.
    #[must_use]
    pub fn differences(&self) -> &[SubjectDifference] {
        match self {
            CompareError::DifferentSuppliers(list) => list,
        }
    }
}

/// "`supplier` is `A` in the earlier report and `B` in the newer one; …".
fn differences(list: &[SubjectDifference]) -> String {
    list.iter()
        .map(|d| {
            format!(
                "`{}` is `{}` in the earlier report and `{}` in the newer one",
                d.field,
                plain(&d.earlier),
                plain(&d.newer)
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A JSON value as text: a string without its quotes.
fn plain(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Compares `newer` with `earlier`; see [`Report::compare`].
pub(super) fn compare(newer: &Report, earlier: &Report) -> Result<Comparison, CompareError> {
    let mut warnings = supplier_warnings(earlier, newer)?;
    if earlier.pack.digest != newer.pack.digest {
        warnings.push(Warning::PackDigests {
            earlier: earlier.pack.digest.clone(),
            newer: newer.pack.digest.clone(),
        });
    }
    if let (Some(e), Some(n)) = (earlier.as_of, newer.as_of)
        && n < e
    {
        warnings.push(Warning::Order {
            earlier: e,
            newer: n,
        });
    }
    for (report, side) in [(earlier, Side::Earlier), (newer, Side::Newer)] {
        if lacks_ids(report) {
            warnings.push(Warning::NoIds {
                report: side,
                format: report.format.clone(),
            });
        }
    }
    let by_clause = lacks_ids(earlier) || lacks_ids(newer);
    let pair = Pair { earlier, newer };
    let mut findings = if by_clause {
        pair.by_clause()
    } else {
        pair.by_id()
    };
    findings.sort_by(|a, b| {
        (
            a.class,
            !a.overdue,
            std::cmp::Reverse(a.severity()),
            &a.clause,
            &a.id,
        )
            .cmp(&(
                b.class,
                !b.overdue,
                std::cmp::Reverse(b.severity()),
                &b.clause,
                &b.id,
            ))
    });
    Ok(Comparison {
        format: DIFF_FORMAT.to_string(),
        earlier: ReportInfo::of(earlier),
        newer: ReportInfo::of(newer),
        matched_by: if by_clause {
            MatchedBy::Clause
        } else {
            MatchedBy::Id
        },
        warnings,
        summary: Counts::count(&findings),
        outcomes: pair.outcome_changes(),
        findings,
    })
}

/// Refuses reports whose common subject fields differ; warns when they share none.
///
/// Every field present (and not null) in both subjects is compared: strings without regard to
/// case or runs of white space (`Nordmed  AB` is `NORDMED AB`), other values exactly.
fn supplier_warnings(earlier: &Report, newer: &Report) -> Result<Vec<Warning>, CompareError> {
    let mut shared = 0;
    let mut differ = Vec::new();
    for (field, before) in &earlier.subject {
        let Some(after) = newer.subject.get(field) else {
            continue;
        };
        if before.is_null() || after.is_null() {
            continue;
        }
        shared += 1;
        if normal(before) != normal(after) {
            differ.push(SubjectDifference {
                field: field.clone(),
                earlier: before.clone(),
                newer: after.clone(),
            });
        }
    }
    if !differ.is_empty() {
        return Err(CompareError::DifferentSuppliers(differ));
    }
    Ok(if shared == 0 {
        vec![Warning::SubjectUnchecked]
    } else {
        Vec::new()
    })
}

/// A subject value as compared: strings trimmed, white space collapsed, lowercase.
fn normal(value: &serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::String(s) => serde_json::Value::String(
            s.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase(),
        ),
        other => other.clone(),
    }
}

/// A `conduct-report/1` report, or one whose findings have no ids.
fn lacks_ids(report: &Report) -> bool {
    report.format == REPORT_FORMAT_1 || report.violations().any(|v| v.id.is_empty())
}

/// The class of a finding in both reports, by its severities.
fn open_class(before: Option<Severity>, after: Option<Severity>) -> Class {
    match (before, after) {
        (Some(b), Some(a)) if a > b => Class::Escalated,
        (Some(b), Some(a)) if a < b => Class::DeEscalated,
        _ => Class::Persisting,
    }
}

/// The class of a finding only in the earlier report, by its clause's outcome in the newer one.
fn gone_class(now: Option<&Outcome>) -> Class {
    match now {
        Some(o) if o.remediated => Class::Remediated,
        Some(o) if o.truncated => Class::Unconfirmed,
        Some(o) => match o.status {
            Status::Compliant | Status::NotApplicable | Status::Violated => Class::Resolved,
            Status::InsufficientEvidence | Status::NotExamined | Status::Error => {
                Class::Unconfirmed
            }
        },
        None => Class::Unconfirmed,
    }
}

fn due(v: &Violation) -> Option<Date> {
    v.remediation.as_ref().and_then(|r| r.due)
}

/// The two reports, earlier and newer.
#[derive(Clone, Copy)]
struct Pair<'a> {
    earlier: &'a Report,
    newer: &'a Report,
}

impl Pair<'_> {
    /// The clause's title, from the newer report when it has the clause.
    fn title(&self, clause: &str) -> String {
        self.newer
            .outcome(clause)
            .or_else(|| self.earlier.outcome(clause))
            .map(|o| o.title.clone())
            .unwrap_or_default()
    }

    /// The clause ids of both reports: the newer's in order, then those only the earlier has.
    fn clauses(&self) -> IndexSet<&str> {
        self.newer
            .outcomes
            .iter()
            .chain(&self.earlier.outcomes)
            .map(|o| o.clause.as_str())
            .collect()
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "one finding change, field by field"
    )]
    fn change(
        &self,
        class: Class,
        clause: &str,
        requirement: &str,
        id: &str,
        subject: &Keys,
        before: Option<Severity>,
        after: Option<Severity>,
        message: &str,
        due: Option<Date>,
    ) -> FindingChange {
        let overdue = class.is_open()
            && matches!((due, self.newer.as_of), (Some(due), Some(as_of)) if due < as_of);
        FindingChange {
            class,
            clause: clause.to_string(),
            title: self.title(clause),
            requirement: requirement.to_string(),
            id: id.to_string(),
            subject: subject.clone(),
            before,
            after,
            message: message.to_string(),
            due,
            overdue,
        }
    }

    /// Every finding of both reports, matched by id (a repeated id pairs in order).
    fn by_id(&self) -> Vec<FindingChange> {
        let mut before: IndexMap<&str, Vec<(&str, &Violation)>> = IndexMap::new();
        for o in &self.earlier.outcomes {
            for v in &o.violations {
                before
                    .entry(v.id.as_str())
                    .or_default()
                    .push((o.clause.as_str(), v));
            }
        }
        let mut out = Vec::new();
        for o in &self.newer.outcomes {
            for v in &o.violations {
                let earlier = before
                    .get_mut(v.id.as_str())
                    .filter(|list| !list.is_empty())
                    .map(|list| list.remove(0));
                let (class, before, due) = match earlier {
                    Some((_, e)) => (
                        open_class(Some(e.severity), Some(v.severity)),
                        Some(e.severity),
                        self::due(e).or_else(|| self::due(v)),
                    ),
                    None => (Class::New, None, self::due(v)),
                };
                out.push(self.change(
                    class,
                    &o.clause,
                    &v.requirement,
                    &v.id,
                    &v.subject,
                    before,
                    Some(v.severity),
                    &v.message,
                    due,
                ));
            }
        }
        for (clause, e) in before.into_values().flatten() {
            out.push(self.change(
                gone_class(self.newer.outcome(clause)),
                clause,
                &e.requirement,
                &e.id,
                &e.subject,
                Some(e.severity),
                None,
                &e.message,
                self::due(e),
            ));
        }
        out
    }

    /// One finding per clause violated in either report.
    fn by_clause(&self) -> Vec<FindingChange> {
        let violated = |o: Option<&'_ Outcome>| {
            o.filter(|o| o.status == Status::Violated || !o.violations.is_empty())
                .map(|o| {
                    let severity = o
                        .severity
                        .or_else(|| o.violations.iter().map(|v| v.severity).max());
                    let due = o.violations.iter().filter_map(self::due).min();
                    let message = o
                        .violations
                        .first()
                        .map(|v| v.message.clone())
                        .unwrap_or_default();
                    (severity, due, message)
                })
        };
        let mut out = Vec::new();
        for clause in self.clauses() {
            let now = self.newer.outcome(clause);
            let (class, before, after, message, due) =
                match (violated(self.earlier.outcome(clause)), violated(now)) {
                    (Some((b, e_due, _)), Some((a, n_due, message))) => {
                        (open_class(b, a), b, a, message, e_due.or(n_due))
                    }
                    (None, Some((a, n_due, message))) => (Class::New, None, a, message, n_due),
                    (Some((b, e_due, message)), None) => (gone_class(now), b, None, message, e_due),
                    (None, None) => continue,
                };
            out.push(self.change(
                class,
                clause,
                "",
                clause,
                &Keys::new(),
                before,
                after,
                &message,
                due,
            ));
        }
        out
    }

    /// The clauses whose status changed.
    fn outcome_changes(&self) -> Vec<OutcomeChange> {
        self.clauses()
            .into_iter()
            .filter_map(|clause| {
                let before = self.earlier.outcome(clause).map(|o| o.status);
                let after = self.newer.outcome(clause).map(|o| o.status);
                (before != after).then(|| OutcomeChange {
                    clause: clause.to_string(),
                    title: self.title(clause),
                    before,
                    after,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::indexing_slicing,
        reason = "a test fails loudly"
    )]
    use serde_json::{Value, json};

    use super::{Class, CompareError, MatchedBy, Warning};
    use crate::report::{Report, Severity, Status};

    /// A violation: id `clause/req@site_id=SITE`.
    fn finding(clause: &str, site: &str, severity: &str, due: Option<&str>) -> Value {
        json!({
            "id": format!("{clause}/req@site_id={site}"),
            "requirement": "req",
            "subject": {"site_id": site},
            "severity": severity,
            "message": format!("{clause} fails at {site}"),
            "path": "/sites/0",
            "actual": 1,
            "expected": "<= 0",
            "remediation": due.map(|d| json!({"action": "fix it", "due": d, "due_from": "as_of"})),
            "rule": {"file": "a.conduct", "line": 1, "column": 1},
        })
    }

    fn outcome(clause: &str, status: &str, remediated: bool, violations: Vec<Value>) -> Value {
        let severity = violations
            .iter()
            .filter_map(|v| v["severity"].as_str()?.parse::<Severity>().ok())
            .max();
        json!({
            "clause": clause,
            "title": format!("Title of {clause}"),
            "references": [],
            "status": status,
            "severity": severity,
            "remediated": remediated,
            "violations": violations,
            "missing": [],
            "invalid": [],
        })
    }

    fn report(
        format: &str,
        as_of: &str,
        digest: &str,
        subject: Value,
        outcomes: Vec<Value>,
    ) -> Report {
        let mut report: Report = serde_json::from_value(json!({
            "format": format,
            "engine": {"name": "conduct", "version": "0.1.0"},
            "pack": {"name": "p", "title": "P", "edition": null, "digest": digest},
            "as_of": as_of,
            "language": "en",
            "subject": subject,
            "verdict": "compliant",
            "summary": {
                "clauses": 0, "violated": 0, "compliant": 0, "insufficient_evidence": 0,
                "not_applicable": 0, "error": 0, "violations": 0,
                "by_severity": {"critical": 0, "major": 0, "minor": 0}
            },
            "outcomes": outcomes,
        }))
        .unwrap();
        report.finish();
        report
    }

    fn v2(as_of: &str, outcomes: Vec<Value>) -> Report {
        report(
            "conduct-report/2",
            as_of,
            "sha256:aa",
            json!({"supplier": "Nordmed AB", "org_number": "556000-0001"}),
            outcomes,
        )
    }

    /// Class of each finding, by id.
    fn classes(c: &super::Comparison) -> Vec<(String, Class, bool)> {
        c.findings
            .iter()
            .map(|f| (f.id.clone(), f.class, f.overdue))
            .collect()
    }

    #[test]
    fn a_report_compared_with_itself_is_all_persisting_and_nothing_changed() {
        let r = v2(
            "2024-10-31",
            vec![
                outcome(
                    "a.x",
                    "violated",
                    false,
                    vec![finding("a.x", "S1", "major", Some("2024-12-31"))],
                ),
                outcome("b.y", "compliant", false, vec![]),
            ],
        );
        let c = r.compare(&r).unwrap();
        assert_eq!(c.matched_by, MatchedBy::Id);
        assert_eq!(
            classes(&c),
            vec![("a.x/req@site_id=S1".to_string(), Class::Persisting, false)]
        );
        assert!(c.outcomes.is_empty());
        assert!(c.warnings.is_empty());
        assert!(!c.worsened());
    }

    #[test]
    fn every_class_by_id_with_the_earlier_due_carried_forward() {
        let earlier = v2(
            "2024-10-31",
            vec![
                outcome(
                    "a.x",
                    "violated",
                    false,
                    vec![
                        finding("a.x", "S1", "major", Some("2024-12-31")),
                        finding("a.x", "S2", "major", Some("2024-12-31")),
                        finding("a.x", "S3", "critical", Some("2026-01-31")),
                        finding("a.x", "S4", "minor", None),
                    ],
                ),
                outcome(
                    "b.y",
                    "violated",
                    false,
                    vec![finding("b.y", "S1", "minor", Some("2025-01-31"))],
                ),
                outcome(
                    "c.z",
                    "violated",
                    false,
                    vec![finding("c.z", "S1", "minor", None)],
                ),
                outcome(
                    "d.w",
                    "violated",
                    false,
                    vec![finding("d.w", "S1", "major", None)],
                ),
                outcome(
                    "e.v",
                    "violated",
                    false,
                    vec![finding("e.v", "S1", "major", None)],
                ),
            ],
        );
        let newer = v2(
            "2025-10-31",
            vec![
                outcome(
                    "a.x",
                    "violated",
                    false,
                    vec![
                        // S1 persisting, its new due (later) ignored: overdue on the earlier due.
                        finding("a.x", "S1", "major", Some("2026-04-30")),
                        // S2 gone, but the clause is violated by others: resolved.
                        finding("a.x", "S3", "major", Some("2026-04-30")),
                        finding("a.x", "S4", "critical", Some("2025-11-30")),
                        finding("a.x", "S5", "minor", Some("2025-09-30")),
                    ],
                ),
                outcome("b.y", "compliant", false, vec![]),
                outcome("c.z", "insufficient_evidence", false, vec![]),
                outcome("d.w", "compliant", true, vec![]),
                outcome("e.v", "not_examined", false, vec![]),
            ],
        );
        let c = newer.compare(&earlier).unwrap();
        let s = |t: &str| t.to_string();
        assert_eq!(
            classes(&c),
            vec![
                (s("a.x/req@site_id=S4"), Class::Escalated, false),
                (s("a.x/req@site_id=S5"), Class::New, true),
                (s("a.x/req@site_id=S1"), Class::Persisting, true),
                (s("a.x/req@site_id=S3"), Class::DeEscalated, false),
                (s("e.v/req@site_id=S1"), Class::Unconfirmed, false),
                (s("c.z/req@site_id=S1"), Class::Unconfirmed, false),
                (s("a.x/req@site_id=S2"), Class::Resolved, false),
                (s("b.y/req@site_id=S1"), Class::Resolved, false),
                (s("d.w/req@site_id=S1"), Class::Remediated, false),
            ]
        );
        let due = |id: &str| {
            c.findings
                .iter()
                .find(|f| f.id == id)
                .and_then(|f| f.due)
                .map(|d| d.to_string())
        };
        assert_eq!(due("a.x/req@site_id=S1").as_deref(), Some("2024-12-31"));
        assert_eq!(due("a.x/req@site_id=S3").as_deref(), Some("2026-01-31"));
        // The earlier had no due: the newer's is used.
        assert_eq!(due("a.x/req@site_id=S4").as_deref(), Some("2025-11-30"));
        let s4 = &c.findings[0];
        assert_eq!(
            (s4.before, s4.after),
            (Some(Severity::Minor), Some(Severity::Critical))
        );
        assert_eq!(s4.title, "Title of a.x");
        assert_eq!(c.summary.persisting, 1);
        assert_eq!(c.summary.resolved, 2);
        assert_eq!(c.summary.unconfirmed, 2);
        assert_eq!(c.summary.overdue, 2);
        assert!(c.worsened());
        let changed: Vec<(&str, Option<Status>, Option<Status>)> = c
            .outcomes
            .iter()
            .map(|o| (o.clause.as_str(), o.before, o.after))
            .collect();
        assert_eq!(
            changed,
            vec![
                ("b.y", Some(Status::Violated), Some(Status::Compliant)),
                (
                    "c.z",
                    Some(Status::Violated),
                    Some(Status::InsufficientEvidence)
                ),
                ("d.w", Some(Status::Violated), Some(Status::Compliant)),
                ("e.v", Some(Status::Violated), Some(Status::NotExamined)),
            ]
        );
    }

    #[test]
    fn only_resolved_findings_is_not_worse() {
        let earlier = v2(
            "2024-10-31",
            vec![outcome(
                "a.x",
                "violated",
                false,
                vec![finding("a.x", "S1", "major", Some("2024-12-31"))],
            )],
        );
        let newer = v2(
            "2025-10-31",
            vec![outcome("a.x", "compliant", false, vec![])],
        );
        let c = newer.compare(&earlier).unwrap();
        assert_eq!(c.findings[0].class, Class::Resolved);
        assert!(
            !c.findings[0].overdue,
            "a resolved finding is never overdue"
        );
        assert!(!c.worsened());
    }

    #[test]
    fn a_truncated_outcome_does_not_resolve_what_it_may_have_cut() {
        let earlier = v2(
            "2024-10-31",
            vec![outcome(
                "a.x",
                "violated",
                false,
                vec![finding("a.x", "S1", "major", None)],
            )],
        );
        let mut cut = outcome(
            "a.x",
            "violated",
            false,
            vec![finding("a.x", "S2", "major", None)],
        );
        cut["truncated"] = json!(true);
        let c = v2("2025-10-31", vec![cut]).compare(&earlier).unwrap();
        assert_eq!(c.findings[1].id, "a.x/req@site_id=S1");
        assert_eq!(c.findings[1].class, Class::Unconfirmed);
    }

    #[test]
    fn different_suppliers_are_refused_naming_the_fields() {
        let earlier = v2("2024-10-31", vec![]);
        let other = report(
            "conduct-report/2",
            "2025-10-31",
            "sha256:aa",
            json!({"supplier": "Other AB", "org_number": "556000-0001", "contract": "C-1"}),
            vec![],
        );
        let error = other.compare(&earlier).unwrap_err();
        let CompareError::DifferentSuppliers(list) = &error;
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].field, "supplier");
        assert_eq!(
            error.to_string(),
            "the reports are about different suppliers: `supplier` is `Nordmed AB` in the \
             earlier report and `Other AB` in the newer one"
        );
    }

    #[test]
    fn the_same_supplier_spelled_differently_is_accepted_and_no_shared_field_warns() {
        let earlier = v2("2024-10-31", vec![]);
        let spelled = report(
            "conduct-report/2",
            "2025-10-31",
            "sha256:aa",
            json!({"supplier": "  NORDMED   ab ", "org_number": "556000-0001", "contract": null}),
            vec![],
        );
        assert!(spelled.compare(&earlier).unwrap().warnings.is_empty());
        let anonymous = report(
            "conduct-report/2",
            "2025-10-31",
            "sha256:aa",
            json!({}),
            vec![],
        );
        assert_eq!(
            anonymous.compare(&earlier).unwrap().warnings,
            vec![Warning::SubjectUnchecked]
        );
    }

    #[test]
    fn different_packs_and_swapped_dates_warn() {
        let earlier = v2("2025-10-31", vec![]);
        let newer = report(
            "conduct-report/2",
            "2024-10-31",
            "sha256:bb",
            json!({"supplier": "Nordmed AB"}),
            vec![],
        );
        let c = newer.compare(&earlier).unwrap();
        assert_eq!(c.matched_by, MatchedBy::Id);
        assert_eq!(c.warnings.len(), 2);
        assert!(matches!(c.warnings[0], Warning::PackDigests { .. }));
        assert!(matches!(c.warnings[1], Warning::Order { .. }));
        assert_eq!(
            c.warnings[0].to_string(),
            "the reports were made with different packs (`sha256:aa`, `sha256:bb`); findings are matched by id"
        );
    }

    #[test]
    fn a_first_format_report_is_compared_by_clause() {
        let mut old = finding("a.x", "S1", "major", Some("2024-12-31"));
        old["id"] = json!("");
        let mut gone = finding("b.y", "S1", "major", None);
        gone["id"] = json!("");
        let earlier = report(
            "conduct-report/1",
            "2024-10-31",
            "sha256:aa",
            json!({"supplier": "Nordmed AB"}),
            vec![
                outcome("a.x", "violated", false, vec![old]),
                outcome("b.y", "violated", false, vec![gone]),
                outcome("c.z", "compliant", false, vec![]),
            ],
        );
        let newer = v2(
            "2025-10-31",
            vec![
                outcome(
                    "a.x",
                    "violated",
                    false,
                    vec![
                        finding("a.x", "S1", "major", None),
                        finding("a.x", "S2", "major", None),
                    ],
                ),
                outcome("b.y", "compliant", false, vec![]),
                outcome(
                    "c.z",
                    "violated",
                    false,
                    vec![finding("c.z", "S9", "critical", None)],
                ),
            ],
        );
        let c = newer.compare(&earlier).unwrap();
        assert_eq!(c.matched_by, MatchedBy::Clause);
        assert_eq!(
            c.warnings,
            vec![Warning::NoIds {
                report: super::Side::Earlier,
                format: "conduct-report/1".to_string()
            }]
        );
        let s = |t: &str| t.to_string();
        assert_eq!(
            classes(&c),
            vec![
                (s("c.z"), Class::New, false),
                (s("a.x"), Class::Persisting, true),
                (s("b.y"), Class::Resolved, false),
            ]
        );
        assert_eq!(c.findings[1].requirement, "");
        assert!(c.findings[1].subject.is_empty());
    }

    #[test]
    fn the_json_form_reads_back_equal() {
        let earlier = v2(
            "2024-10-31",
            vec![outcome(
                "a.x",
                "violated",
                false,
                vec![finding("a.x", "S1", "major", Some("2024-12-31"))],
            )],
        );
        let c = v2(
            "2025-10-31",
            vec![outcome("a.x", "compliant", false, vec![])],
        )
        .compare(&earlier)
        .unwrap();
        let json = serde_json::to_value(&c).unwrap();
        assert_eq!(json["format"], "conduct-diff/1");
        assert_eq!(json["findings"][0]["class"], "resolved");
        assert_eq!(json["outcomes"][0]["after"], "compliant");
        let back: super::Comparison = serde_json::from_value(json).unwrap();
        assert_eq!(back, c);
    }
}
