//! `conduct diff EARLIER NEW`: two stored reports compared, through the real command line —
//! the text (English and Swedish, golden), the JSON against `schemas/diff.schema.json`, the
//! CSV and its formula neutralisation, the exit codes (0 nothing new, overdue or escalated, 1
//! something is, 3 unreadable reports or different suppliers) and the warnings for different
//! packs and `conduct-report/1` reports.
//!
//! The reports are hand-made (a small pack of three sites) so that every class appears once;
//! the end-to-end test runs `conduct check` first.
#![cfg(feature = "cli")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails loudly when the output is not what it expects"
)]

#[path = "support/process.rs"]
mod process;
#[path = "support/schema.rs"]
mod schema;

use process::{TempDir, code, conduct, stderr, stdout};
use serde_json::{Value, json};

const DIGEST_A: &str = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const DIGEST_B: &str = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

// ---------------------------------------------------------------------------------------------
// Hand-made reports
// ---------------------------------------------------------------------------------------------

/// A finding of requirement `req` of `clause` about one site.
fn finding(
    clause: &str,
    req: &str,
    site: &str,
    severity: &str,
    message: &str,
    due: Option<&str>,
) -> Value {
    json!({
        "id": format!("{clause}/{req}@site_id={site}"),
        "requirement": req,
        "subject": {"site_id": site},
        "severity": severity,
        "message": message,
        "path": "/sites/0",
        "actual": 72,
        "expected": "<= 60",
        "remediation": due.map(|d| json!({"action": "Fix it", "due": d, "due_from": "plan", "plan": "yellow"})),
        "rule": {"file": "rules.conduct", "line": 3, "column": 5},
    })
}

fn outcome(
    clause: &str,
    title: &str,
    status: &str,
    remediated: bool,
    violations: Vec<Value>,
) -> Value {
    let rank = |s: &str| ["minor", "major", "critical"].iter().position(|x| *x == s);
    let severity = violations
        .iter()
        .filter_map(|v| v["severity"].as_str())
        .max_by_key(|s| rank(s))
        .map(|s| json!(s))
        .unwrap_or(Value::Null);
    json!({
        "clause": clause,
        "title": title,
        "references": [],
        "status": status,
        "severity": severity,
        "remediated": remediated,
        "violations": violations,
        "missing": [],
        "invalid": [],
    })
}

/// A `conduct-report/2` report (the summary is not what is compared: left at zero).
fn report(as_of: &str, digest: &str, subject: Value, outcomes: Vec<Value>) -> Value {
    json!({
        "format": "conduct-report/2",
        "engine": {"name": "conduct", "version": "0.1.0"},
        "pack": {"name": "sites", "title": "Sites", "edition": "2024", "digest": digest},
        "as_of": as_of,
        "language": "en",
        "params": {},
        "subject": subject,
        "verdict": "non_compliant",
        "summary": {
            "clauses": 0, "violated": 0, "compliant": 0, "insufficient_evidence": 0,
            "not_applicable": 0, "not_examined": 0, "error": 0, "violations": 0, "items": 0,
            "by_severity": {"critical": 0, "major": 0, "minor": 0}
        },
        "outcomes": outcomes,
    })
}

fn nordmed() -> Value {
    json!({"supplier": "Nordmed Distribution AB", "contract": "RV-2023-114"})
}

const HOURS: &str = "Total hours including overtime";
const WAGES: &str = "Legal minimum wage";
const SAFETY: &str = "Fire safety";
const REST: &str = "Weekly rest";
const RECORDS: &str = "Payslips and true records";

/// The 2024 report: hours over the limit at two sites, wages under the minimum at one, blocked
/// fire exits at one, missing rest days, unpaid records.
fn earlier() -> Value {
    report(
        "2024-10-31",
        DIGEST_A,
        nordmed(),
        vec![
            outcome(
                "working_hours.total",
                HOURS,
                "violated",
                false,
                vec![
                    finding(
                        "working_hours.total",
                        "weekly_cap",
                        "MY-KLG-01",
                        "major",
                        "22% of sampled worker-weeks exceed 60 hours",
                        Some("2024-12-31"),
                    ),
                    finding(
                        "working_hours.total",
                        "weekly_cap",
                        "MY-KLG-02",
                        "major",
                        "5% of sampled worker-weeks exceed 60 hours",
                        Some("2024-12-31"),
                    ),
                ],
            ),
            outcome(
                "wages.minimum",
                WAGES,
                "violated",
                false,
                vec![finding(
                    "wages.minimum",
                    "floor",
                    "MY-KLG-01",
                    "minor",
                    "2 of 30 sampled workers are paid under the minimum wage",
                    Some("2025-01-31"),
                )],
            ),
            outcome(
                "health_safety.fire",
                SAFETY,
                "violated",
                false,
                vec![finding(
                    "health_safety.fire",
                    "exits",
                    "MY-KLG-01",
                    "critical",
                    "Fire exits blocked",
                    Some("2024-11-14"),
                )],
            ),
            outcome(
                "working_hours.rest",
                REST,
                "violated",
                false,
                vec![finding(
                    "working_hours.rest",
                    "day_off",
                    "MY-KLG-02",
                    "major",
                    "No rest day in 3 of 8 sampled weeks",
                    Some("2025-01-31"),
                )],
            ),
            outcome(
                "wages.records",
                RECORDS,
                "violated",
                false,
                vec![finding(
                    "wages.records",
                    "payslips",
                    "MY-KLG-01",
                    "minor",
                    "Payslips not given",
                    Some("2025-01-31"),
                )],
            ),
        ],
    )
}

/// The 2025 follow-up: hours persist at MY-KLG-01 (overdue) and are fixed at MY-KLG-02, wages
/// got worse, fire safety improved but is not fixed, a new deviation on hours at a third site,
/// rest days not examined, payslips remediated.
fn newer() -> Value {
    report(
        "2025-10-31",
        DIGEST_A,
        nordmed(),
        vec![
            outcome(
                "working_hours.total",
                HOURS,
                "violated",
                false,
                vec![
                    finding(
                        "working_hours.total",
                        "weekly_cap",
                        "MY-KLG-01",
                        "major",
                        "18% of sampled worker-weeks exceed 60 hours",
                        Some("2026-04-30"),
                    ),
                    finding(
                        "working_hours.total",
                        "weekly_cap",
                        "MY-PKG-03",
                        "minor",
                        "3% of sampled worker-weeks exceed 60 hours",
                        Some("2026-04-30"),
                    ),
                ],
            ),
            outcome(
                "wages.minimum",
                WAGES,
                "violated",
                false,
                vec![finding(
                    "wages.minimum",
                    "floor",
                    "MY-KLG-01",
                    "critical",
                    "9 of 30 sampled workers are paid under the minimum wage",
                    Some("2026-01-31"),
                )],
            ),
            outcome(
                "health_safety.fire",
                SAFETY,
                "violated",
                false,
                vec![finding(
                    "health_safety.fire",
                    "exits",
                    "MY-KLG-01",
                    "major",
                    "One fire exit locked",
                    Some("2026-01-31"),
                )],
            ),
            outcome("working_hours.rest", REST, "not_examined", false, vec![]),
            outcome("wages.records", RECORDS, "compliant", true, vec![]),
        ],
    )
}

/// Writes the reports into a new temporary folder; returns it with their paths.
fn files(earlier: &Value, newer: &Value) -> (TempDir, String, String) {
    let dir = TempDir::new();
    let a = dir.file_str(
        "earlier.json",
        serde_json::to_string_pretty(earlier).unwrap().as_bytes(),
    );
    let b = dir.file_str(
        "newer.json",
        serde_json::to_string_pretty(newer).unwrap().as_bytes(),
    );
    (dir, a, b)
}

fn diff(earlier: &Value, newer: &Value, extra: &[&str]) -> std::process::Output {
    let (_dir, a, b) = files(earlier, newer);
    let mut args = vec!["diff", a.as_str(), b.as_str()];
    args.extend_from_slice(extra);
    conduct(&args)
}

fn schemas() -> schema::Schemas {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/diff.schema.json");
    let value: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut set = schema::Schemas::new();
    set.add("diff.schema.json", value);
    set
}

// ---------------------------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------------------------

#[test]
fn text_in_english_groups_the_findings_worst_first() {
    let out = diff(&earlier(), &newer(), &[]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
    let text = stdout(&out);
    assert!(
        !text.contains("working_hours.total"),
        "no raw clause ids:\n{text}"
    );
    assert!(
        !text.contains("de_escalated") && !text.contains("/sites/"),
        "{text}"
    );
    insta::assert_snapshot!("diff_text_en", text);
}

#[test]
fn text_in_swedish_uses_swedish_words() {
    let out = diff(&earlier(), &newer(), &["--lang", "sv"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let text = stdout(&out);
    for word in [
        "Skärpt (1)",
        "ny · mindre avvikelse",
        "kvarstår",
        "FÖRSENAD",
        "åtgärdad",
        "avhjälpt",
        "mildrad",
        "ej bekräftad",
        "Ej granskat",
    ] {
        assert!(text.contains(word), "`{word}` missing:\n{text}");
    }
    insta::assert_snapshot!("diff_text_sv", text);
}

#[test]
fn an_unknown_language_is_refused() {
    let out = diff(&earlier(), &newer(), &["--lang", "de"]);
    assert_eq!(code(&out), 3);
    assert!(stderr(&out).contains("`de`"), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
}

// ---------------------------------------------------------------------------------------------
// Exit codes
// ---------------------------------------------------------------------------------------------

#[test]
fn a_report_against_itself_exits_0_when_nothing_is_overdue() {
    let mut same = newer();
    // Dated before every due date: nothing overdue.
    same["as_of"] = json!("2024-10-31");
    let out = diff(&same, &same, &["--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let json: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let classes: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["class"].as_str().unwrap())
        .collect();
    assert_eq!(classes, vec!["persisting"; 4]);
    assert_eq!(json["outcomes"], json!([]));
}

#[test]
fn only_resolved_findings_exit_0_and_an_overdue_persisting_one_exits_1() {
    let fixed = report(
        "2025-10-31",
        DIGEST_A,
        nordmed(),
        vec![outcome(
            "working_hours.total",
            HOURS,
            "compliant",
            false,
            vec![],
        )],
    );
    let before = report(
        "2024-10-31",
        DIGEST_A,
        nordmed(),
        vec![outcome(
            "working_hours.total",
            HOURS,
            "violated",
            false,
            vec![finding(
                "working_hours.total",
                "weekly_cap",
                "MY-KLG-01",
                "major",
                "over",
                Some("2024-12-31"),
            )],
        )],
    );
    let out = diff(&before, &fixed, &[]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(stdout(&out).contains("Resolved (1)"), "{}", stdout(&out));

    let mut still = before.clone();
    still["as_of"] = json!("2025-10-31");
    let out = diff(&before, &still, &[]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    assert!(
        stdout(&out).contains("by 2024-12-31 · OVERDUE"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn different_suppliers_are_refused_with_exit_3_naming_the_field_and_files() {
    let mut other = newer();
    other["subject"]["supplier"] = json!("Medline Scandinavia AB");
    let (_dir, a, b) = files(&earlier(), &other);
    let out = conduct(&["diff", &a, &b]);
    assert_eq!(code(&out), 3);
    assert_eq!(stdout(&out), "");
    let err = stderr(&out);
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains(&a) && err.contains(&b), "{err}");
    assert!(
        err.contains("`supplier` is `Nordmed Distribution AB` in the earlier report and `Medline Scandinavia AB` in the newer one"),
        "{err}"
    );
    assert!(!err.contains("contract"), "only the differing field: {err}");
}

#[test]
fn unreadable_reports_exit_3_naming_the_file() {
    let dir = TempDir::new();
    let good = dir.file_str(
        "good.json",
        serde_json::to_string(&earlier()).unwrap().as_bytes(),
    );
    let broken = dir.file_str("broken.json", b"{ not json");
    let test_run = dir.file_str("run.json", br#"{"format": "conduct-test-run/1"}"#);
    let two = dir.file_str(
        "two.json",
        serde_json::to_string(&json!([earlier(), earlier()]))
            .unwrap()
            .as_bytes(),
    );
    let absent = dir.path("absent.json");
    for bad in [&broken, &test_run, &two, &absent] {
        let out = conduct(&["diff", &good, bad]);
        assert_eq!(code(&out), 3, "{bad}: {}", stdout(&out));
        assert!(stderr(&out).contains(bad.as_str()), "{}", stderr(&out));
        assert_eq!(stdout(&out), "");
    }
}

// ---------------------------------------------------------------------------------------------
// Warnings
// ---------------------------------------------------------------------------------------------

#[test]
fn different_packs_are_compared_by_id_with_a_warning() {
    let mut other = newer();
    other["pack"]["digest"] = json!(DIGEST_B);
    let out = diff(&earlier(), &other, &["--format", "json"]);
    assert_eq!(code(&out), 1);
    let json: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["matched_by"], "id");
    assert_eq!(
        json["warnings"],
        json!([{"kind": "pack_digests", "earlier": DIGEST_A, "newer": DIGEST_B}])
    );
    let text = stdout(&diff(&earlier(), &other, &[]));
    assert!(
        text.contains("warning: the reports were made with different packs"),
        "{text}"
    );
}

/// A `conduct-report/1` report as that version wrote it: findings without id, requirement or
/// subject.
fn first_format() -> Value {
    let mut old = earlier();
    old["format"] = json!("conduct-report/1");
    for o in old["outcomes"].as_array_mut().unwrap() {
        for v in o["violations"].as_array_mut().unwrap() {
            let v = v.as_object_mut().unwrap();
            for field in ["id", "requirement", "subject"] {
                v.remove(field);
            }
            v["remediation"]
                .as_object_mut()
                .unwrap()
                .retain(|k, _| k == "action" || k == "due");
        }
    }
    let summary = old["summary"].as_object_mut().unwrap();
    summary.remove("not_examined");
    summary.remove("items");
    old.as_object_mut().unwrap().remove("params");
    old
}

#[test]
fn a_first_format_report_is_compared_by_clause_with_a_warning() {
    let out = diff(&first_format(), &newer(), &["--format", "json"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let json: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["matched_by"], "clause");
    assert_eq!(
        json["warnings"],
        json!([{"kind": "no_ids", "report": "earlier", "format": "conduct-report/1"}])
    );
    let by_clause: Vec<(&str, &str)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["id"].as_str().unwrap(), f["class"].as_str().unwrap()))
        .collect();
    assert_eq!(
        by_clause,
        vec![
            ("wages.minimum", "escalated"),
            ("working_hours.total", "persisting"),
            ("health_safety.fire", "de_escalated"),
            ("working_hours.rest", "unconfirmed"),
            ("wages.records", "remediated"),
        ]
    );
    assert!(schemas().validate("diff.schema.json", &json).is_empty());
    let text = stdout(&diff(&first_format(), &newer(), &[]));
    assert!(
        text.contains("warning: the earlier report (conduct-report/1) has no finding ids"),
        "{text}"
    );
}

// ---------------------------------------------------------------------------------------------
// JSON and CSV
// ---------------------------------------------------------------------------------------------

#[test]
fn json_output_matches_its_schema_and_classifies_every_finding() {
    let out = diff(&earlier(), &newer(), &["--format", "json"]);
    assert_eq!(code(&out), 1);
    let json: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let set = schemas();
    assert_eq!(set.lint("diff.schema.json"), vec![]);
    let violations = set.validate("diff.schema.json", &json);
    assert!(violations.is_empty(), "{violations:#?}");
    assert_eq!(json["format"], "conduct-diff/1");
    let classes: Vec<(&str, &str, bool)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap(),
                f["class"].as_str().unwrap(),
                f["overdue"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        classes,
        vec![
            ("wages.minimum/floor@site_id=MY-KLG-01", "escalated", true),
            (
                "working_hours.total/weekly_cap@site_id=MY-PKG-03",
                "new",
                false
            ),
            (
                "working_hours.total/weekly_cap@site_id=MY-KLG-01",
                "persisting",
                true
            ),
            (
                "health_safety.fire/exits@site_id=MY-KLG-01",
                "de_escalated",
                true
            ),
            (
                "working_hours.rest/day_off@site_id=MY-KLG-02",
                "unconfirmed",
                false
            ),
            (
                "working_hours.total/weekly_cap@site_id=MY-KLG-02",
                "resolved",
                false
            ),
            (
                "wages.records/payslips@site_id=MY-KLG-01",
                "remediated",
                false
            ),
        ]
    );
    // The earlier due is carried forward.
    assert_eq!(json["findings"][2]["due"], "2024-12-31");

    // The checker is not a rubber stamp.
    let mut broken = json.clone();
    broken["findings"][0]["class"] = json!("worse");
    assert!(!set.validate("diff.schema.json", &broken).is_empty());
}

#[test]
fn csv_has_one_row_per_finding_and_neutralises_formulas() {
    let mut evil = newer();
    evil["subject"] = nordmed();
    let v = &mut evil["outcomes"][0]["violations"][1];
    v["message"] = json!("=HYPERLINK(\"http://x\",\"click\")");
    v["subject"] = json!({"site_id": "+46 8 123"});
    v["id"] = json!("working_hours.total/weekly_cap@site_id=+46 8 123");
    let out = diff(&earlier(), &evil, &["--format", "csv"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        header,
        [
            "class",
            "clause",
            "title",
            "requirement",
            "id",
            "subject",
            "severity_before",
            "severity_after",
            "due",
            "overdue",
            "message"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 7);
    let new = rows.iter().find(|r| &r[0] == "new").unwrap();
    assert_eq!(&new[5], "site_id=+46 8 123");
    assert_eq!(&new[10], "'=HYPERLINK(\"http://x\",\"click\")");
    let persisting = rows.iter().find(|r| &r[0] == "persisting").unwrap();
    assert_eq!(
        persisting.iter().collect::<Vec<_>>(),
        [
            "persisting",
            "working_hours.total",
            HOURS,
            "weekly_cap",
            "working_hours.total/weekly_cap@site_id=MY-KLG-01",
            "site_id=MY-KLG-01",
            "major",
            "major",
            "2024-12-31",
            "true",
            "18% of sampled worker-weeks exceed 60 hours",
        ]
    );
    assert!(
        rows.iter()
            .all(|r| !r.iter().any(|cell| cell.starts_with(['=', '+', '-', '@'])))
    );
}

#[test]
fn output_goes_to_a_file_with_o() {
    let (dir, a, b) = files(&earlier(), &newer());
    let target = dir.path("out.csv");
    let out = conduct(&["diff", &a, &b, "--format", "csv", "-o", &target]);
    assert_eq!(code(&out), 1);
    assert_eq!(stdout(&out), "");
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .starts_with("class,clause,title")
    );
}

// ---------------------------------------------------------------------------------------------
// End to end
// ---------------------------------------------------------------------------------------------

#[test]
fn reports_stored_by_conduct_check_compare_to_themselves_as_persisting() {
    let dir = TempDir::new();
    let out = conduct(&[
        "check",
        "rules/regions",
        "examples/example-evidence.json",
        "--format",
        "json",
    ]);
    assert_eq!(code(&out), 1);
    let stored = dir.file_str("2024.json", &out.stdout);
    let out = conduct(&["diff", &stored, &stored, "--format", "json"]);
    let json: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let findings = json["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    assert!(findings.iter().all(|f| f["class"] == "persisting"));
    // Nothing is new or escalated: the exit says whether a due date has passed.
    let overdue = findings.iter().any(|f| f["overdue"] == true);
    assert_eq!(code(&out), i32::from(overdue), "{}", stderr(&out));
    let violations = schemas().validate("diff.schema.json", &json);
    assert!(violations.is_empty(), "{violations:#?}");
}

// ---------------------------------------------------------------------------------------------
// Properties on real evaluations (the regions pack)
// ---------------------------------------------------------------------------------------------

mod properties {
    use std::path::Path;
    use std::sync::OnceLock;

    use conduct::report::compare::Class;
    use conduct::{Options, Report, RulePack};
    use proptest::prelude::*;
    use serde_json::{Value, json};

    fn root() -> &'static Path {
        Path::new(env!("CARGO_MANIFEST_DIR"))
    }

    fn pack() -> &'static RulePack {
        static PACK: OnceLock<RulePack> = OnceLock::new();
        PACK.get_or_init(|| RulePack::load(root().join("rules/regions")).unwrap())
    }

    fn evaluate(evidence: &Value) -> Report {
        pack().evaluate(evidence, &Options::default().language("en"))
    }

    fn example() -> Value {
        let text = std::fs::read_to_string(root().join("examples/example-evidence.json")).unwrap();
        serde_json::from_str(&text).unwrap()
    }

    /// Every evidence document shipped with the pack: the examples and each fixture's.
    fn every_evidence() -> Vec<(String, Value)> {
        fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|e| e == "json") {
                    out.push(path);
                }
            }
        }
        let mut paths = Vec::new();
        walk(&root().join("rules/regions/tests"), &mut paths);
        paths.sort();
        let mut out: Vec<(String, Value)> =
            ["example-evidence", "clean-supplier", "supplier-with-gaps"]
                .iter()
                .map(|name| {
                    let text =
                        std::fs::read_to_string(root().join(format!("examples/{name}.json")))
                            .unwrap();
                    ((*name).to_string(), serde_json::from_str(&text).unwrap())
                })
                .collect();
        for path in paths {
            let fixture: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            if let Some(evidence) = fixture.get("evidence").filter(|e| e.is_object()) {
                out.push((path.display().to_string(), evidence.clone()));
            }
        }
        out
    }

    #[test]
    fn every_report_of_the_pack_compared_with_itself_is_all_persisting() {
        let mut findings = 0;
        for (name, evidence) in every_evidence() {
            let report = evaluate(&evidence);
            let c = report.compare(&report).unwrap();
            assert!(c.outcomes.is_empty(), "{name}");
            assert_eq!(
                c.matched_by,
                conduct::report::compare::MatchedBy::Id,
                "{name}"
            );
            assert!(
                c.findings.iter().all(|f| f.class == Class::Persisting),
                "{name}: {:#?}",
                c.findings
            );
            assert_eq!(
                c.findings.len(),
                report.violations().count(),
                "{name}: ids are unique"
            );
            findings += c.findings.len();
        }
        assert!(findings > 100, "the fixtures hold findings: {findings}");
    }

    /// The regular-hours cap at the example's site (Malaysia's 45-hour normal week).
    const CAP: u32 = 45;
    const REGULAR_HOURS: &str = "working_hours.regular_hours/";

    /// A benign worker-week (a rest day, six days in a row, little overtime) of one of the
    /// example's workers, with the given regular hours.
    fn week(i: usize, regular_hours: u32) -> Value {
        json!({
            "worker_ref": format!("W{}", i % 3 + 1),
            "week_start": format!("2024-04-{:02}", 1 + 7 * (i % 4)),
            "regular_hours": regular_hours,
            "overtime_hours": 2 + i,
            "rest_days": 1,
            "max_consecutive_days": 6,
        })
    }

    fn with_weeks(weeks: &[Value]) -> Value {
        let mut evidence = example();
        evidence["sites"][0]["hours_records"]["worker_weeks"] = json!(weeks);
        evidence
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(48),
            ..ProptestConfig::default()
        })]

        /// Removing one worker-week from the newer evidence (and reordering the rest) resolves
        /// the regular-hours finding exactly when that week was its only failing item, leaves
        /// it persisting otherwise, and changes nothing else.
        #[test]
        fn removing_one_week_resolves_exactly_its_finding(
            hours in proptest::collection::vec(40u32..=50, 2..=4),
            pick in any::<prop::sample::Index>(),
            order in any::<u64>(),
        ) {
            let weeks: Vec<Value> = hours.iter().enumerate().map(|(i, h)| week(i, *h)).collect();
            let k = pick.index(weeks.len());
            let mut kept: Vec<Value> = weeks.iter().enumerate().filter(|(i, _)| *i != k).map(|(_, w)| w.clone()).collect();
            let turn = (order as usize) % kept.len();
            kept.rotate_left(turn);
            if order % 2 == 1 {
                kept.reverse();
            }
            let earlier = evaluate(&with_weeks(&weeks));
            let newer = evaluate(&with_weeks(&kept));
            let c = newer.compare(&earlier).unwrap();

            let failing: Vec<usize> = (0..weeks.len()).filter(|i| hours[*i] > CAP).collect();
            let regular = earlier.violations().find(|v| v.id.starts_with(REGULAR_HOURS));
            // The oracle agrees with the evaluator about which weeks fail.
            let items: Vec<String> = regular.map(|v| v.items.iter().map(|i| i.path.clone()).collect()).unwrap_or_default();
            let expected: Vec<String> = failing.iter().map(|i| format!("/sites/0/hours_records/worker_weeks/{i}/regular_hours")).collect();
            prop_assert_eq!(items, expected);

            let expected_class = if failing.is_empty() {
                None
            } else if failing == [k] {
                Some(Class::Resolved)
            } else {
                Some(Class::Persisting)
            };
            let actual = c.findings.iter().find(|f| f.id.starts_with(REGULAR_HOURS)).map(|f| f.class);
            prop_assert_eq!(actual, expected_class, "{:#?}", c.findings);
            for f in c.findings.iter().filter(|f| !f.id.starts_with(REGULAR_HOURS)) {
                prop_assert_eq!(f.class, Class::Persisting, "{}", f.id);
            }
            let changed: Vec<&str> = c.outcomes.iter().map(|o| o.clause.as_str()).collect();
            let expected_changes: Vec<&str> = if expected_class == Some(Class::Resolved) {
                vec!["working_hours.regular_hours"]
            } else {
                vec![]
            };
            prop_assert_eq!(changed, expected_changes);
        }
    }
}
