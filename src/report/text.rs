//! Text output, the last stage: a [`Report`] → the plain text `conduct check` prints for
//! people (no colours, deterministic). [`render`] is the whole report; [`clean`] makes any text
//! from evidence or rules safe to print on a terminal. (`explain`'s text is
//! `conduct::tools::explain::render_text`.)

use std::fmt::Write as _;

use crate::report::{Outcome, Report, Status, Verdict, Violation};

/// The `missing` entry that stands for the evaluation date when none was given and the pack
/// reads none from the evidence (a pack that does, `as_of from …`, lists that field's pointer
/// instead). It is a name, not a JSON Pointer: no field of the evidence holds the date.
pub(crate) const MISSING_AS_OF: &str = "as_of";

/// The report as text for people: a header, the subject and date, the verdict with its counts,
/// a block for each violated clause (most severe first, then in pack order), each clause with
/// insufficient evidence and each clause in error, and the lists of compliant and not
/// applicable clauses. Every line ends in `\n`.
///
/// `input` names the document in a batch (a file name, `file:line` for NDJSON); it is printed
/// as `input: …` under the header. Text from the pack and the evidence goes through [`clean`],
/// so it cannot rearrange or recolour a terminal.
///
/// # Examples
/// ```
/// # let pack = conduct::RulePack::load("rules/regions")?;
/// let evidence = conduct::pack::evidence::read(std::fs::File::open("examples/example-evidence.json")?)?;
/// let report = pack.evaluate(evidence.value(), &conduct::Options::default());
/// let text = conduct::report::text::render(&report, None);
/// assert!(text.starts_with("conduct · pack "));
/// assert!(text.contains("verdict: NON-COMPLIANT"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn render(report: &Report, input: Option<&str>) -> String {
    let mut out = String::new();
    push_line(&mut out, &header_line(report));
    if let Some(input) = input {
        push_line(&mut out, &format!("input: {}", clean(input)));
    }
    if let Some(line) = subject_line(report) {
        push_line(&mut out, &line);
    }
    push_line(&mut out, &verdict_line(report));

    let mut violated: Vec<&Outcome> = report
        .outcomes
        .iter()
        .filter(|o| o.status == Status::Violated)
        .collect();
    // Stable: pack order within each severity.
    violated.sort_by_key(|o| std::cmp::Reverse(o.severity));
    let blocks = violated
        .into_iter()
        .chain(
            report
                .outcomes
                .iter()
                .filter(|o| o.status == Status::InsufficientEvidence),
        )
        .chain(report.outcomes.iter().filter(|o| o.status == Status::Error));
    for outcome in blocks {
        out.push('\n');
        out.push_str(&outcome_block(outcome));
    }

    let compliant = id_list(report, Status::Compliant);
    let not_applicable = id_list(report, Status::NotApplicable);
    if compliant.is_some() || not_applicable.is_some() {
        out.push('\n');
    }
    for (label, list) in [("compliant", compliant), ("not applicable", not_applicable)] {
        if let Some((count, ids)) = list {
            push_line(&mut out, &format!("{label} ({count}): {ids}"));
        }
    }
    out
}

fn push_line(out: &mut String, line: &str) {
    out.push_str(line);
    out.push('\n');
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

fn header_line(report: &Report) -> String {
    let pack = &report.pack;
    let edition = pack
        .edition
        .as_deref()
        .map(|e| format!(" {}", clean(e)))
        .unwrap_or_default();
    format!(
        "conduct · pack {}{edition} ({})",
        clean(&pack.name),
        clean(&pack.title)
    )
}

/// `subject: A · B · as of D`, or `as of D` alone; `None` when there is neither.
fn subject_line(report: &Report) -> Option<String> {
    let subject: Vec<String> = report
        .subject
        .values()
        .filter(|v| !v.is_null())
        .map(|v| match v {
            serde_json::Value::String(s) => clean(s),
            other => clean(&other.to_string()),
        })
        .collect();
    let as_of = report.as_of.map(|d| format!("as of {d}"));
    match (subject.is_empty(), as_of) {
        (true, None) => None,
        (true, Some(as_of)) => Some(as_of),
        (false, None) => Some(format!("subject: {}", subject.join(" · "))),
        (false, Some(as_of)) => Some(format!("subject: {} · {as_of}", subject.join(" · "))),
    }
}

fn verdict_line(report: &Report) -> String {
    let s = &report.summary;
    let verdict = match report.verdict {
        Verdict::Compliant => "COMPLIANT",
        Verdict::NonCompliant => "NON-COMPLIANT",
        Verdict::Incomplete => "INCOMPLETE",
    };
    let mut line = format!(
        "verdict: {verdict} — {} violated, {} insufficient evidence, {} compliant, {} not applicable, {} error{}",
        s.violated,
        s.insufficient_evidence,
        s.compliant,
        s.not_applicable,
        s.error,
        plural(s.error)
    );
    if s.violations > 0 {
        let by = &s.by_severity;
        let _ = write!(
            line,
            " ({} violation{}: {} critical, {} major, {} minor)",
            s.violations,
            plural(s.violations),
            by.critical,
            by.major,
            by.minor
        );
    }
    line
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// One violated, insufficient-evidence or error outcome.
fn outcome_block(outcome: &Outcome) -> String {
    let mut out = String::new();
    let status = match outcome.status {
        Status::Violated => "VIOLATED",
        Status::InsufficientEvidence => "INSUFFICIENT EVIDENCE",
        Status::Error => "ERROR",
        Status::Compliant => "COMPLIANT",
        Status::NotApplicable => "NOT APPLICABLE",
        Status::NotExamined => "NOT EXAMINED",
    };
    let severity = outcome
        .severity
        .map(|s| format!(" · {s}"))
        .unwrap_or_default();
    push_line(
        &mut out,
        &format!(
            "{status}{severity} · {} — {}",
            clean(&outcome.clause),
            clean(&outcome.title)
        ),
    );
    for (i, v) in outcome.violations.iter().enumerate() {
        out.push_str(&violation_lines(i + 1, v));
    }
    if outcome.truncated {
        push_line(
            &mut out,
            "  … more violations were found than the limit allows listing",
        );
    }
    for missing in &outcome.missing {
        let path = missing.path.as_str();
        if path == MISSING_AS_OF {
            push_line(
                &mut out,
                "  missing evidence: no evaluation date: give --as-of (`Options::as_of` in the library)",
            );
        } else {
            push_line(&mut out, &format!("  missing evidence: {}", pointer(path)));
        }
    }
    for invalid in &outcome.invalid {
        push_line(
            &mut out,
            &format!(
                "  invalid evidence: {} — {}",
                pointer(&invalid.path),
                clean(&invalid.reason)
            ),
        );
    }
    if let Some(error) = &outcome.error {
        push_line(&mut out, &format!("  {}", clean(error)));
    }
    out
}

/// A JSON Pointer as shown to people; the empty pointer is the whole document.
fn pointer(path: &str) -> String {
    if path.is_empty() {
        "(the whole document)".to_string()
    } else {
        clean(path)
    }
}

/// `  1. message` and its indented details.
fn violation_lines(number: usize, v: &Violation) -> String {
    let mut out = String::new();
    let head = format!("  {number}. ");
    let indent = " ".repeat(head.chars().count());
    push_line(&mut out, &format!("{head}{}", clean(&v.message)));
    push_line(
        &mut out,
        &format!(
            "{indent}evidence: {} · found {} · required {}",
            pointer(&v.path),
            clean(&v.actual.to_string()),
            clean(&v.expected)
        ),
    );
    if let Some(remediation) = &v.remediation {
        let due = remediation
            .due
            .map(|d| format!(" — due {d}"))
            .unwrap_or_default();
        push_line(
            &mut out,
            &format!("{indent}remediation: {}{due}", clean(&remediation.action)),
        );
    }
    push_line(
        &mut out,
        &format!("{indent}rule: {}", clean(&v.rule.to_string())),
    );
    out
}

/// `(count, "a, b (remediated)")` for the clauses with this status; `None` when there are none.
fn id_list(report: &Report, status: Status) -> Option<(usize, String)> {
    let ids: Vec<String> = report
        .outcomes
        .iter()
        .filter(|o| o.status == status)
        .map(|o| {
            if o.remediated {
                format!("{} (remediated)", clean(&o.clause))
            } else {
                clean(&o.clause)
            }
        })
        .collect();
    if ids.is_empty() {
        None
    } else {
        Some((ids.len(), ids.join(", ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_report_renders_every_part() {
        let report: Report = serde_json::from_value(serde_json::json!({
            "format": "conduct-report/1",
            "engine": {"name": "conduct", "version": "0.1.0"},
            "pack": {"name": "demo", "title": "Demo pack", "edition": "2024", "digest": "sha256:0"},
            "as_of": "2024-10-31",
            "language": "en",
            "subject": {"supplier": "Acme\u{202E}", "site": null},
            "verdict": "non_compliant",
            "summary": {
                "clauses": 3, "violated": 1, "compliant": 1, "insufficient_evidence": 1,
                "not_applicable": 0, "error": 0, "violations": 1,
                "by_severity": {"critical": 0, "major": 1, "minor": 0}
            },
            "outcomes": [
                {
                    "clause": "labour.age", "title": "Minimum age", "references": [],
                    "status": "violated", "severity": "major", "remediated": false,
                    "violations": [{
                        "clause": "labour.age", "severity": "major",
                        "message": "worker is 14\nyears old", "path": "/workers/0/age",
                        "actual": 14, "expected": ">= 15",
                        "remediation": {"action": "stop work", "due": "2024-11-30"},
                        "rule": {"file": "demo.conduct", "line": 4, "column": 3}
                    }],
                    "missing": [], "invalid": [], "error": null, "truncated": false
                },
                {
                    "clause": "labour.hours", "title": "Hours", "references": [],
                    "status": "insufficient_evidence", "severity": null, "remediated": false,
                    "violations": [], "missing": ["", "/workers/0/hours"],
                    "invalid": [{"path": "/sites", "reason": "not a list"}],
                    "error": null, "truncated": false
                },
                {
                    "clause": "labour.wages", "title": "Wages", "references": [],
                    "status": "compliant", "severity": null, "remediated": true,
                    "violations": [], "missing": [], "invalid": [], "error": null,
                    "truncated": false
                }
            ]
        }))
        .unwrap();
        let expected = "\
conduct · pack demo 2024 (Demo pack)
input: batch.ndjson:2
subject: Acme\u{FFFD} · as of 2024-10-31
verdict: NON-COMPLIANT — 1 violated, 1 insufficient evidence, 1 compliant, 0 not applicable, 0 errors (1 violation: 0 critical, 1 major, 0 minor)

VIOLATED · major · labour.age — Minimum age
  1. worker is 14 years old
     evidence: /workers/0/age · found 14 · required >= 15
     remediation: stop work — due 2024-11-30
     rule: demo.conduct:4:3

INSUFFICIENT EVIDENCE · labour.hours — Hours
  missing evidence: (the whole document)
  missing evidence: /workers/0/hours
  invalid evidence: /sites — not a list

compliant (1): labour.wages (remediated)
";
        assert_eq!(render(&report, Some("batch.ndjson:2")), expected);
    }

    #[test]
    fn a_missing_evaluation_date_is_explained() {
        let mut outcome = serde_json::json!({
            "clause": "labour.age", "title": "Age", "references": [],
            "status": "insufficient_evidence", "severity": null, "remediated": false,
            "violations": [], "missing": ["/workers/0/date_of_birth", "as_of"], "invalid": [],
            "error": null, "truncated": false
        });
        let outcome: Outcome = serde_json::from_value(outcome.take()).unwrap();
        let text = outcome_block(&outcome);
        assert!(
            text.ends_with(
                "  missing evidence: /workers/0/date_of_birth\n  missing evidence: no evaluation \
                 date: give --as-of (`Options::as_of` in the library)\n"
            ),
            "{text}"
        );
    }
}
