//! Reading `conduct-report/1`: the earlier JSON form of a report, as stored by procurement
//! systems, in → the `/2` structs ([`Report`]) out, for [`Report::from_json`]; and the
//! `format` of a stored report, read before the rest to know which form it is.
//!
//! A `/1` report has no finding ids, requirement names, subjects, items, bases, plans or
//! parameter record: those come back empty (`id` and `requirement` are `""`), and `format`
//! stays `conduct-report/1` so that a caller (a follow-up comparison) can tell and compare by
//! clause instead of by id.

use indexmap::IndexMap;
use serde::Deserialize;
use serde::de::{IgnoredAny, MapAccess, Visitor};

use super::finding::{Invalid, Keys, Missing, Remediation, Violation};
use super::{Engine, Outcome, PackInfo, Report, Severity, Status, Summary, Verdict};
use crate::date::Date;
use crate::source::Location;

/// A `conduct-report/1` report as its JSON holds it.
#[derive(Deserialize)]
pub(super) struct ReportV1 {
    format: String,
    engine: Engine,
    pack: PackInfo,
    as_of: Option<Date>,
    language: String,
    subject: IndexMap<String, serde_json::Value>,
    verdict: Verdict,
    summary: Summary,
    outcomes: Vec<OutcomeV1>,
}

/// A `/1` outcome: `missing` is a list of pointers.
#[derive(Deserialize)]
struct OutcomeV1 {
    clause: String,
    title: String,
    references: Vec<String>,
    status: Status,
    severity: Option<Severity>,
    remediated: bool,
    violations: Vec<ViolationV1>,
    missing: Vec<String>,
    invalid: Vec<Invalid>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    truncated: bool,
}

/// A `/1` violation: one failed requirement on one item, with no identity.
#[derive(Deserialize)]
struct ViolationV1 {
    severity: Severity,
    message: String,
    path: String,
    actual: serde_json::Value,
    expected: String,
    remediation: Option<RemediationV1>,
    rule: Location,
}

/// A `/1` remediation: an action and a due date, with no origin or plan.
#[derive(Deserialize)]
struct RemediationV1 {
    action: String,
    due: Option<Date>,
}

impl From<ReportV1> for Report {
    fn from(old: ReportV1) -> Report {
        let mut summary = old.summary;
        // In `/1` every violation is about one item.
        summary.items = summary.violations;
        Report {
            format: old.format,
            engine: old.engine,
            pack: old.pack,
            as_of: old.as_of,
            language: old.language,
            params: IndexMap::new(),
            params_from_evidence: IndexMap::new(),
            subject: old.subject,
            value_words: IndexMap::new(),
            labels: IndexMap::new(),
            invalid_labels: Vec::new(),
            verdict: old.verdict,
            summary,
            outcomes: old.outcomes.into_iter().map(Outcome::from).collect(),
        }
    }
}

impl From<OutcomeV1> for Outcome {
    fn from(old: OutcomeV1) -> Outcome {
        let violations = old
            .violations
            .into_iter()
            .map(|v| Violation {
                clause: old.clause.clone(),
                id: String::new(),
                requirement: String::new(),
                subject: Keys::new(),
                severity: v.severity,
                basis: None,
                severe: None,
                message: v.message,
                path: v.path,
                actual: v.actual,
                expected: v.expected,
                items: Vec::new(),
                examined: None,
                remediation: v.remediation.map(|r| Remediation {
                    action: r.action,
                    due: r.due,
                    due_from: None,
                    plan: None,
                }),
                rule: v.rule,
            })
            .collect();
        Outcome {
            clause: old.clause,
            title: old.title,
            references: old.references,
            status: old.status,
            severity: old.severity,
            remediated: old.remediated,
            violations,
            missing: old.missing.into_iter().map(Missing::at).collect(),
            invalid: old.invalid,
            error: old.error,
            truncated: old.truncated,
        }
    }
}

/// The `format` field of a report (`None` when there is none or it is `null`), every other field skipped
/// unread.
///
/// # Errors
/// When the text is not JSON or not a JSON object.
pub(super) fn format_of(text: &str) -> Result<Option<serde_json::Value>, serde_json::Error> {
    Ok(serde_json::from_str::<Format>(text)?.0)
}

/// The `format` field of a JSON object.
struct Format(Option<serde_json::Value>);

impl<'de> Deserialize<'de> for Format {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Format, D::Error> {
        /// Accepts only an object (a derived struct visitor would accept an array too).
        struct FormatVisitor;

        impl<'de> Visitor<'de> for FormatVisitor {
            type Value = Format;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a report (a JSON object)")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Format, A::Error> {
                let mut format = None;
                while let Some(key) = map.next_key::<String>()? {
                    if key == "format" {
                        format = map.next_value::<Option<serde_json::Value>>()?;
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(Format(format))
            }
        }

        deserializer.deserialize_map(FormatVisitor)
    }
}
