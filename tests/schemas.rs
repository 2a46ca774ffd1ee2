//! The JSON outputs checked against the published schemas in `schemas/`: the report and the
//! error record (`conduct check`), the test run (`conduct test`), the explanation (`conduct
//! explain`), the requirements checklist (`conduct requirements`), diagnostics
//! (`--error-format json`) and validation records (`conduct check --validate`).
//!
//! The outputs come from the real command line where it can produce them, and from the library
//! for what it cannot (`error` and `truncated` outcomes need limits). The checker is
//! `tests/support/schema.rs`; it is tested here too, so that a checker accepting everything
//! fails.
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

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Output;

use process::{TempDir, conduct, conduct_with_stdin};

use conduct::report::Date;
use conduct::{Options, RulePack, Status};
use schema::{Pattern, Schemas};
use serde_json::{Value, json};

const REGIONS: &str = "rules/regions";
const EXAMPLE: &str = "examples/example-evidence.json";
const CLEAN: &str = "examples/clean-supplier.json";
const GAPS: &str = "examples/supplier-with-gaps.json";

const REPORT: &str = "report.schema.json";
const ERROR_RECORD: &str = "error-record.schema.json";
const TEST_RUN: &str = "test-run.schema.json";
const EXPLANATION: &str = "explanation.schema.json";
const REQUIREMENTS: &str = "requirements.schema.json";
const DIAGNOSTICS: &str = "diagnostics.schema.json";
const VALIDATION: &str = "validation.schema.json";
/// The input contract; `tests/evidence_schema.rs` checks documents against it.
const EVIDENCE: &str = "evidence.schema.json";
/// `conduct diff --format json`; `tests/diff.rs` checks its output against it.
const DIFF: &str = "diff.schema.json";
/// `conduct summary --format json`; `tests/summary.rs` checks it over every fixture too.
const SUMMARY: &str = "summary.schema.json";

const ALL: [&str; 10] = [
    REPORT,
    ERROR_RECORD,
    TEST_RUN,
    EXPLANATION,
    REQUIREMENTS,
    DIAGNOSTICS,
    VALIDATION,
    EVIDENCE,
    DIFF,
    SUMMARY,
];

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every schema file of `schemas/`, by file name.
fn schemas() -> Schemas {
    let mut set = Schemas::new();
    for name in ALL {
        let path = root().join("schemas").join(name);
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let value: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name} is not JSON: {e}"));
        set.add(name, value);
    }
    set
}

/// Fails with every violation, by JSON Pointer, when `value` does not match schema `name`.
fn assert_valid(set: &Schemas, name: &str, value: &Value, what: &str) {
    let violations = set.validate(name, value);
    assert!(
        violations.is_empty(),
        "{what} does not match {name}:\n  {}",
        violations
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n  ")
    );
}

/// An element of `check` JSON/NDJSON output: a report or an error record, told by `format`.
fn assert_check_element(set: &Schemas, value: &Value, what: &str) {
    match value["format"].as_str() {
        Some("conduct-error/1") => assert_valid(set, ERROR_RECORD, value, what),
        _ => assert_valid(set, REPORT, value, what),
    }
}

/// Runs `conduct` and checks its exit code.
fn run(args: &[&str], expected_code: i32) -> Output {
    let out = conduct(args);
    assert_eq!(
        out.status.code(),
        Some(expected_code),
        "conduct {}\nstderr: {}",
        args.join(" "),
        String::from_utf8_lossy(out.stderr.get(..2000).unwrap_or(&out.stderr))
    );
    out
}

/// Standard output as one JSON document.
fn stdout_json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// The one report of `check --format json` with one document: always an array, here of one.
fn stdout_report(out: &Output) -> Value {
    match stdout_json(out) {
        Value::Array(mut reports) if reports.len() == 1 => reports.remove(0),
        other => panic!("expected an array of one report, found {other}"),
    }
}

/// Every JSON document of a stream (e.g. diagnostics arrays on stderr, one after the other).
fn json_stream(bytes: &[u8]) -> Vec<Value> {
    serde_json::Deserializer::from_slice(bytes)
        .into_iter::<Value>()
        .collect::<Result<Vec<_>, _>>()
        .unwrap_or_else(|e| {
            panic!(
                "not a stream of JSON documents ({e}):\n{}",
                String::from_utf8_lossy(bytes)
            )
        })
}

fn read_json(path: &str) -> Value {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The example evidence for a basic-level contract: the advanced-only clauses do not apply.
fn basic_level_evidence() -> Value {
    let mut evidence = read_json(EXAMPLE);
    evidence["contract"]["clause_level"] = json!("basic");
    evidence
}

/// What a set of reports exercised, so that a test can insist its inputs cover the schema.
#[derive(Default)]
struct Seen {
    statuses: BTreeSet<String>,
    severities: BTreeSet<String>,
    missing: bool,
    invalid: bool,
    remediation_due: bool,
    remediation_null: bool,
    error_field: bool,
    truncated: bool,
    /// `/2`: a finding with a subject, with items (and `examined`), a due date with its
    /// origin and a plan state; a missing entry with a subject; overridden parameters.
    subject: bool,
    items: bool,
    due_from: bool,
    plan: bool,
    missing_subject: bool,
    params: bool,
}

impl Seen {
    fn add(&mut self, report: &Value) {
        self.params |= !report["params"].as_object().unwrap().is_empty();
        for o in report["outcomes"].as_array().unwrap() {
            for m in o["missing"].as_array().unwrap() {
                self.missing_subject |= !m["subject"].as_object().unwrap().is_empty();
            }
            self.statuses
                .insert(o["status"].as_str().unwrap().to_string());
            self.missing |= !o["missing"].as_array().unwrap().is_empty();
            self.invalid |= !o["invalid"].as_array().unwrap().is_empty();
            self.error_field |= o.get("error").is_some();
            // Beyond the schema: `error` is given exactly on `error` outcomes, and `severity`
            // is `null` exactly when there is no violation.
            assert_eq!(o.get("error").is_some(), o["status"] == "error", "{o}");
            assert_eq!(
                o["severity"].is_null(),
                o["violations"].as_array().unwrap().is_empty(),
                "{o}"
            );
            self.truncated |= o.get("truncated").is_some();
            for v in o["violations"].as_array().unwrap() {
                // Beyond the schema: the id starts with the clause and the requirement.
                let prefix = format!(
                    "{}/{}",
                    o["clause"].as_str().unwrap(),
                    v["requirement"].as_str().unwrap()
                );
                assert!(v["id"].as_str().unwrap().starts_with(&prefix), "{v}");
                self.severities
                    .insert(v["severity"].as_str().unwrap().to_string());
                self.remediation_null |= v["remediation"].is_null();
                self.subject |= !v["subject"].as_object().unwrap().is_empty();
                let items = v["items"].as_array().unwrap();
                // Beyond the schema: `examined` is given only with items, and counts them; items
                // that are names from a list (the sites an answer leaves out) were not examined
                // one by one, and have none.
                if items.is_empty() {
                    assert!(v["examined"].is_null(), "{v}");
                }
                if let Some(examined) = v["examined"].as_u64() {
                    assert!(examined >= items.len() as u64, "{v}");
                }
                self.items |= !items.is_empty();
                self.due_from |= v["remediation"]["due_from"].is_string();
                self.plan |= v["remediation"]["plan"].is_string();
                self.remediation_due |= v["remediation"]["due"].is_string();
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The schema files and the checker
// ---------------------------------------------------------------------------------------------

#[test]
fn every_schema_is_json_draft_2020_12_and_fully_checkable() {
    let set = schemas();
    for name in ALL {
        let text = std::fs::read_to_string(root().join("schemas").join(name)).unwrap();
        let schema: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{name}"
        );
        assert!(schema["title"].is_string(), "{name} has no title");
        assert!(
            schema["description"].as_str().is_some_and(|d| d.len() > 40),
            "{name} has no description"
        );
        let problems = set.lint(name);
        assert!(
            problems.is_empty(),
            "{name}:\n  {}",
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n  ")
        );
    }
    // Every file in the folder is listed here, and in the folder's README.
    let readme = std::fs::read_to_string(root().join("schemas/README.md")).unwrap();
    for entry in std::fs::read_dir(root().join("schemas")).unwrap() {
        let name = entry.unwrap().file_name().to_str().unwrap().to_string();
        if name.ends_with(".json") {
            assert!(ALL.contains(&name.as_str()), "{name} is not tested");
            assert!(readme.contains(&name), "{name} is not in schemas/README.md");
        }
    }
}

fn violations_of(schema: Value, instance: &Value) -> Vec<String> {
    let mut set = Schemas::new();
    set.add("s", schema);
    set.validate("s", instance)
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn the_checker_accepts_what_conforms_and_rejects_what_does_not() {
    let schema = json!({
        "type": "object",
        "properties": {
            "status": { "enum": ["violated", "compliant"] },
            "format": { "const": "x/1" },
            "due": { "anyOf": [{ "$ref": "#/$defs/date" }, { "type": "null" }] },
            "count": { "type": "integer", "minimum": 0 },
            "name": { "type": "string", "minLength": 1 },
            "paths": { "type": "array", "items": { "$ref": "#/$defs/pointer" } },
            "pair": { "type": "array", "prefixItems": [{ "type": "string" }, { "type": "number" }], "items": false },
            "either": { "oneOf": [{ "type": "integer" }, { "type": "number", "minimum": 10 }] },
            "edition": { "type": ["string", "null"] },
            "extra": { "type": "object", "additionalProperties": { "type": "boolean" } }
        },
        "required": ["status", "format"],
        "additionalProperties": false,
        "$defs": {
            "date": { "type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$" },
            "pointer": { "type": "string", "pattern": "^(/([^~/]|~[01])*)*$" }
        }
    });
    let good = json!({
        "status": "violated", "format": "x/1", "due": "2024-10-31", "count": 3, "name": "a",
        "paths": ["", "/a/0", "/a~1b/~0c"], "pair": ["a", 1.5], "either": 12.5, "edition": null,
        "extra": { "x": true }
    });
    assert_eq!(violations_of(schema.clone(), &good), Vec::<String>::new());
    assert_eq!(
        violations_of(
            schema.clone(),
            &json!({ "status": "violated", "format": "x/1", "due": null })
        ),
        Vec::<String>::new()
    );

    let cases: [(Value, &str); 16] = [
        (
            json!({ "format": "x/1" }),
            "(root): missing required property `status`",
        ),
        (
            json!({ "status": "ok", "format": "x/1" }),
            "/status: \"ok\" is not one of",
        ),
        (
            json!({ "status": "compliant", "format": "x/2" }),
            "/format: expected \"x/1\"",
        ),
        (
            json!({ "status": "compliant", "format": "x/1", "other": 1 }),
            "/other: property `other` is not allowed",
        ),
        (
            json!({ "status": "compliant", "format": "x/1", "due": "31/10/2024" }),
            "/due: matches none of the 2 anyOf branches",
        ),
        (
            json!({ "status": "compliant", "format": "x/1", "due": "2024-10-31x" }),
            "/due: matches none",
        ),
        (
            json!({ "status": "compliant", "format": "x/1", "count": -1 }),
            "/count: -1 is less than the minimum 0",
        ),
        (
            json!({ "status": "compliant", "format": "x/1", "count": 1.5 }),
            "/count: expected integer, found number",
        ),
        (
            json!({ "status": "compliant", "format": "x/1", "name": "" }),
            "/name: \"\" is shorter than 1 characters",
        ),
        (
            json!({ "status": "compliant", "format": "x/1", "paths": ["/ok", "no-slash"] }),
            "/paths/1: \"no-slash\" does not match",
        ),
        (
            json!({ "status": "compliant", "format": "x/1", "paths": ["/a~2"] }),
            "/paths/0: \"/a~2\" does not match",
        ),
        (
            json!({ "status": "compliant", "format": "x/1", "pair": [1, 1] }),
            "/pair/0: expected string, found integer",
        ),
        (
            json!({ "status": "compliant", "format": "x/1", "pair": ["a", 1, 2] }),
            "/pair/2: no value is allowed here",
        ),
        (
            json!({ "status": "compliant", "format": "x/1", "either": 11 }),
            "/either: matches 2 oneOf branches",
        ),
        (
            json!({ "status": "compliant", "format": "x/1", "edition": 1 }),
            "/edition: expected string or null, found integer",
        ),
        (
            json!({ "status": "compliant", "format": "x/1", "extra": { "a/b": 1 } }),
            "/extra/a~1b: expected boolean, found integer",
        ),
    ];
    for (instance, expected) in cases {
        let violations = violations_of(schema.clone(), &instance);
        assert!(
            violations
                .iter()
                .any(|v| v.starts_with(expected) || v.contains(expected)),
            "{instance} should give `{expected}`, got {violations:#?}"
        );
    }
    // Every violation is listed, not only the first.
    let many = violations_of(
        schema.clone(),
        &json!({ "status": 1, "count": "x", "zzz": 0 }),
    );
    assert_eq!(many.len(), 4, "{many:#?}");

    // Unsupported keywords and unresolvable references are reported, never ignored.
    assert_eq!(
        violations_of(json!({ "maxLength": 3 }), &json!("abcdef")),
        ["(root): unsupported schema keyword `maxLength`"]
    );
    assert_eq!(
        violations_of(json!({ "$ref": "#/$defs/nope" }), &json!(1)),
        ["(root): unresolvable $ref \"#/$defs/nope\""]
    );

    // A `$ref` into another document of the set, whose own `#/...` refs resolve there.
    let mut set = Schemas::new();
    set.add(
        "a.json",
        json!({ "$defs": { "s": { "enum": ["x"] }, "wrap": { "type": "array", "items": { "$ref": "#/$defs/s" } } } }),
    );
    set.add("b.json", json!({ "$ref": "a.json#/$defs/wrap" }));
    assert!(set.validate("b.json", &json!(["x"])).is_empty());
    assert_eq!(
        set.validate("b.json", &json!(["x", "y"]))
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        ["/1: \"y\" is not one of \"x\""]
    );
}

#[test]
fn the_pattern_engine_matches_the_ecma_subset_it_claims() {
    let cases: [(&str, &str, bool); 22] = [
        (r"^\d{4}-\d{2}-\d{2}$", "2024-10-31", true),
        (r"^\d{4}-\d{2}-\d{2}$", "2024-1-31", false),
        (r"^\d{4}-\d{2}-\d{2}$", " 2024-10-31", false),
        (r"\d{2}", "ab12cd", true),
        (
            r"^sha256:[0-9a-f]{64}$",
            &format!("sha256:{}", "ab".repeat(32)),
            true,
        ),
        (
            r"^sha256:[0-9a-f]{64}$",
            &format!("sha256:{}", "AB".repeat(32)),
            false,
        ),
        (r"^(/([^~/]|~[01])*)*$", "", true),
        (r"^(/([^~/]|~[01])*)*$", "/sites/0/workers/~1x/~0", true),
        (r"^(/([^~/]|~[01])*)*$", "sites", false),
        (r"^(/([^~/]|~[01])*)*$", "/a~", false),
        (
            r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$",
            "child_labour.minimum_age",
            true,
        ),
        (
            r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$",
            "child_labour.",
            false,
        ),
        (
            r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$",
            "9lives",
            false,
        ),
        (r"^[EW]\d{3}$", "W005", true),
        (r"^[EW]\d{3}$", "E1010", false),
        (r"^\d+\.\d+\.\d+", "0.1.0-beta", true),
        (r"^a|b$", "xb", true),
        (r"^(a|b)$", "xb", false),
        (r"^a{2,}b?$", "aaab", true),
        (r"^a{2,3}$", "aaaa", false),
        (r"^(a*)*$", "aaaa", true),
        (r"^.$", "é", true),
    ];
    for (pattern, text, expected) in cases {
        let compiled = Pattern::parse(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
        assert_eq!(
            compiled.is_found_in(text),
            expected,
            "{pattern} on {text:?}"
        );
    }
    for unsupported in [r"(?=a)", r"a+?", r"\p{L}", r"[a", "(a", r"a{2"] {
        assert!(Pattern::parse(unsupported).is_err(), "{unsupported}");
    }
}

/// Changes a report; given the index of a violated outcome.
type Mutation = fn(&mut Value, usize);

#[test]
fn a_mutated_report_is_rejected_where_it_departs() {
    let set = schemas();
    let out = run(&["check", REGIONS, EXAMPLE, "--format", "json"], 1);
    let report = stdout_report(&out);
    assert_valid(&set, REPORT, &report, "the example report");

    let violated = report["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .position(|o| o["status"] == "violated")
        .unwrap();
    let mutations: [(&str, Mutation, String); 18] = [
        (
            "unknown status",
            |r, i| r["outcomes"][i]["status"] = json!("failed"),
            format!("/outcomes/{violated}/status"),
        ),
        (
            "missing clause",
            |r, i| {
                r["outcomes"][i].as_object_mut().unwrap().remove("clause");
            },
            format!("/outcomes/{violated}"),
        ),
        (
            "unknown field",
            |r, i| r["outcomes"][i]["reason"] = json!("x"),
            format!("/outcomes/{violated}/reason"),
        ),
        (
            "truncated false",
            |r, i| r["outcomes"][i]["truncated"] = json!(false),
            format!("/outcomes/{violated}/truncated"),
        ),
        (
            "unknown severity",
            |r, i| r["outcomes"][i]["violations"][0]["severity"] = json!("high"),
            format!("/outcomes/{violated}/violations/0/severity"),
        ),
        (
            "path not a pointer",
            |r, i| r["outcomes"][i]["violations"][0]["path"] = json!("sites.0"),
            format!("/outcomes/{violated}/violations/0/path"),
        ),
        (
            "column 0",
            |r, i| r["outcomes"][i]["violations"][0]["rule"]["column"] = json!(0),
            format!("/outcomes/{violated}/violations/0/rule/column"),
        ),
        (
            "bad date",
            |r, _| r["as_of"] = json!("31.10.2024"),
            String::from("/as_of"),
        ),
        (
            "unknown verdict",
            |r, _| r["verdict"] = json!("pass"),
            String::from("/verdict"),
        ),
        (
            "other format",
            |r, _| r["format"] = json!("conduct-report/1"),
            String::from("/format"),
        ),
        (
            "no finding id",
            |r, i| {
                r["outcomes"][i]["violations"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("id");
            },
            format!("/outcomes/{violated}/violations/0"),
        ),
        (
            "finding id with an array index",
            |r, i| r["outcomes"][i]["violations"][0]["id"] = json!("a.b/r1/sites/0"),
            format!("/outcomes/{violated}/violations/0/id"),
        ),
        (
            "no items",
            |r, i| {
                r["outcomes"][i]["violations"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("items");
            },
            format!("/outcomes/{violated}/violations/0"),
        ),
        (
            "subject value an object",
            |r, i| r["outcomes"][i]["violations"][0]["subject"] = json!({ "site": { "id": 1 } }),
            format!("/outcomes/{violated}/violations/0/subject/site"),
        ),
        (
            "unknown due_from",
            |r, i| {
                r["outcomes"][i]["violations"][0]["remediation"] =
                    json!({ "action": "a", "due": null, "due_from": "today", "plan": null });
            },
            format!("/outcomes/{violated}/violations/0/remediation"),
        ),
        (
            "missing as a bare pointer",
            |r, i| r["outcomes"][i]["missing"] = json!(["/sites/0/hours"]),
            format!("/outcomes/{violated}/missing/0"),
        ),
        (
            "rule file as typed",
            |r, i| {
                r["outcomes"][i]["violations"][0]["rule"]["file"] =
                    json!("/srv/rules/regions/wages.conduct");
            },
            format!("/outcomes/{violated}/violations/0/rule/file"),
        ),
        (
            "no params",
            |r, _| {
                r.as_object_mut().unwrap().remove("params");
            },
            String::new(),
        ),
    ];
    for (what, mutate, pointer) in mutations {
        let mut mutated = report.clone();
        mutate(&mut mutated, violated);
        let violations = set.validate(REPORT, &mutated);
        assert!(
            violations.iter().any(|v| v.pointer == pointer),
            "{what}: expected a violation at {pointer}, got {:#?}",
            violations
        );
    }
    // Other outputs are not reports, and a report is not an error record.
    assert!(
        !set.validate(
            REPORT,
            &json!({ "format": "conduct-error/1", "file": "a", "error": "b" })
        )
        .is_empty()
    );
    assert!(!set.validate(ERROR_RECORD, &report).is_empty());
}

/// The `/2` fields as the evaluator fills them when the evidence declares keys and sources and
/// links plans: a grouped finding with its subject, items and how many were examined, a
/// due date from a plan, the plan's state, a basis, missing entries with subjects and
/// descriptions, a `not_examined` clause and overridden parameters. (The real reports of
/// the tests above carry these fields, required by the schema, empty until the pack fills
/// them.)
#[test]
fn a_report_with_every_2_field_filled_matches_the_schema() {
    let set = schemas();
    let mut report = stdout_report(&run(&["check", REGIONS, EXAMPLE, "--format", "json"], 1));
    report["params"] = json!({ "max_weekly_hours": 48, "deadline": "2024-12-31" });
    let outcomes = report["outcomes"].as_array_mut().unwrap();
    let violated = outcomes
        .iter()
        .position(|o| o["status"] == "violated")
        .unwrap();
    let o = &mut outcomes[violated];
    let clause = o["clause"].as_str().unwrap().to_string();
    let v = &mut o["violations"][0];
    v["id"] = json!(format!("{clause}/weekly_cap@site_id=MY-KLG-01"));
    v["requirement"] = json!("weekly_cap");
    v["subject"] = json!({ "site_id": "MY-KLG-01" });
    v["basis"] = json!("verified");
    v["items"] = json!([
        { "keys": { "worker_ref": "W1" }, "path": "/sites/0/workers/0/hours", "actual": 72, "expected": "<= 60", "severity": "major", "message": "W1 worked 72 hours" },
        { "keys": { "worker_ref": "W9" }, "path": "/sites/0/workers/8/hours", "actual": 64.5, "expected": "<= 60", "severity": "minor", "message": "W9 worked 64.5 hours" }
    ]);
    v["examined"] = json!(30);
    v["remediation"] =
        json!({ "action": "Cap hours", "due": "2024-12-31", "due_from": "plan", "plan": "yellow" });
    o["missing"] = json!([
        { "path": "/sites/2/workers/3/date_of_birth", "subject": { "site_id": "MY-KLG-01", "worker_ref": "W4" }, "description": "The worker's date of birth" },
        { "path": "/sites/10/address", "subject": { "site_id": "VN-HCM-02" }, "description": null },
        { "path": "as_of", "subject": {}, "description": null }
    ]);
    let other = outcomes
        .iter()
        .position(|o| o["status"] == "compliant")
        .unwrap();
    outcomes[other]["status"] = json!("not_examined");
    report["summary"]["not_examined"] = json!(1);
    report["summary"]["items"] = json!(8);
    assert_eq!(report["labels"]["site_id"]["MY-KLG-01"]["country"], "MY");
    report["invalid_labels"] = json!([
        { "path": "/sites/1/country", "reason": "expected a text, found `5`: the label `country` is left out", "subject": { "site_id": "MY-PKG-02" } }
    ]);
    assert_valid(&set, REPORT, &report, "a report with every /2 field filled");
    let mut nested = report.clone();
    nested["labels"]["site_id"]["MY-KLG-01"]["country"] = json!({ "code": "MY" });
    assert!(
        !set.validate(REPORT, &nested).is_empty(),
        "a label that is an object"
    );

    // A few ids the evaluator can give: no subject, several keys, escaped values.
    for id in [
        "a.b/r1",
        "working_hours.weekly_limit/weekly_cap@site_id=MY-KLG-01",
        "wages.minimum_wage/r2@site_id=S%2F1,worker_ref=W%2C4",
    ] {
        let mut one = report.clone();
        one["outcomes"][violated]["violations"][0]["id"] = json!(id);
        assert_valid(&set, REPORT, &one, id);
    }
    for id in [
        "",
        "r1",
        "a.b",
        "a.b/r1@site_id",
        "a.b/r1@s=1/2",
        "a.b/r1/sites/0",
    ] {
        let mut one = report.clone();
        one["outcomes"][violated]["violations"][0]["id"] = json!(id);
        assert!(!set.validate(REPORT, &one).is_empty(), "{id} is accepted");
    }
}

// ---------------------------------------------------------------------------------------------
// `conduct summary`
// ---------------------------------------------------------------------------------------------

#[test]
fn summaries_match_the_schema() {
    let set = schemas();
    let dir = TempDir::new();
    let mut reports = String::new();
    for evidence in [EXAMPLE, CLEAN, GAPS, "examples/follow-up/2025.json"] {
        let out = run(
            &["check", REGIONS, evidence, "--format", "ndjson"],
            code_of(evidence),
        );
        reports.push_str(&String::from_utf8(out.stdout).unwrap());
    }
    let file = dir.file_str("reports.ndjson", reports.as_bytes());
    let summary = stdout_json(&run(&["summary", &file, "--format", "json"], 0));
    assert_valid(&set, SUMMARY, &summary, "the summary");
    let summary = stdout_json(&run(
        &["check", REGIONS, GAPS, "--summary", "--format", "json"],
        1,
    ));
    assert_valid(&set, SUMMARY, &summary, "the summary of check --summary");
    // A summary without its findings' lines is rejected.
    let mut broken = summary.clone();
    broken[0].as_object_mut().unwrap().remove("findings");
    assert!(!set.validate(SUMMARY, &broken).is_empty());
}

/// The exit code of `conduct check` for an example.
fn code_of(evidence: &str) -> i32 {
    i32::from(evidence != CLEAN)
}

// ---------------------------------------------------------------------------------------------
// `conduct check`: reports and error records
// ---------------------------------------------------------------------------------------------

#[test]
fn reports_of_the_regions_pack_match_the_schema() {
    let set = schemas();
    let dir = TempDir::new();
    let basic = dir.file_str("basic.json", basic_level_evidence().to_string().as_bytes());
    let mut seen = Seen::default();
    let mut documents = 0;
    for (args, code) in [
        (vec![EXAMPLE], 1),
        (vec![CLEAN], 0),
        (vec![GAPS], 1),
        (vec![EXAMPLE, "--lang", "sv"], 1),
        (vec![GAPS, "--as-of", "2025-06-30"], 1),
        (vec![basic.as_str()], 2),
        (vec![EXAMPLE, "--param", "max_weekly_hours=55"], 1),
    ] {
        let mut full = vec!["check", REGIONS];
        full.extend(&args);
        full.extend(["--format", "json"]);
        let report = stdout_report(&run(&full, code));
        assert_valid(&set, REPORT, &report, &format!("the report of {args:?}"));
        seen.add(&report);
        documents += 1;
    }
    // Standard input.
    let text = std::fs::read(root().join(CLEAN)).unwrap();
    let out = conduct_with_stdin(&["check", REGIONS, "-", "--format", "json"], Some(&text));
    assert_valid(&set, REPORT, &stdout_report(&out), "the report of stdin");
    documents += 1;

    for status in [
        "violated",
        "compliant",
        "insufficient_evidence",
        "not_applicable",
    ] {
        assert!(
            seen.statuses.contains(status),
            "no {status} outcome: {:?}",
            seen.statuses
        );
    }
    assert!(seen.severities.contains("major") && seen.severities.contains("minor"));
    assert!(seen.missing && seen.invalid && seen.remediation_due);
    assert!(seen.params, "no report recorded its parameters");
    assert_eq!(documents, 8);
}

#[test]
fn json_and_ndjson_batches_with_an_unreadable_document_match_the_schemas() {
    let set = schemas();
    let dir = TempDir::new();
    let mut lines = Vec::new();
    for path in [EXAMPLE, CLEAN, GAPS] {
        lines.push(serde_json::to_string(&read_json(path)).unwrap());
    }
    lines.push("{\"not\": json".to_string());
    lines.push(String::new());
    lines.push("[1, 2]".to_string());
    lines.push(serde_json::to_string(&basic_level_evidence()).unwrap());
    let batch = dir.file_str("suppliers.ndjson", (lines.join("\n") + "\n").as_bytes());
    let not_utf8 = dir.file_str("latin1.json", b"{\"supplier\": {\"name\": \"A\xff\"}}");
    let not_json = dir.file_str("not-json.json", b"supplier: A\n");

    // NDJSON: one compact document a line, reports and error records.
    let out = run(&["check", REGIONS, &batch, "--format", "ndjson"], 3);
    let text = String::from_utf8(out.stdout).unwrap();
    let mut errors = 0;
    let mut elements = 0;
    for (i, line) in text.lines().enumerate() {
        let value: Value = serde_json::from_str(line).unwrap();
        assert_check_element(&set, &value, &format!("ndjson line {}", i + 1));
        if value["format"] == "conduct-error/1" {
            assert!(value["line"].is_u64(), "{value}");
            errors += 1;
        }
        elements += 1;
    }
    assert_eq!((elements, errors), (6, 2), "{text}");

    // JSON with several inputs: one array of reports and error records, in input order.
    let out = run(
        &[
            "check", REGIONS, EXAMPLE, &not_utf8, &batch, &not_json, "--format", "json",
        ],
        3,
    );
    let array = stdout_json(&out);
    let array = array.as_array().expect("several inputs give an array");
    assert_eq!(array.len(), 1 + 1 + 6 + 1);
    for (i, value) in array.iter().enumerate() {
        assert_check_element(&set, value, &format!("element {i} of the JSON array"));
    }
    let records: Vec<&Value> = array
        .iter()
        .filter(|v| v["format"] == "conduct-error/1")
        .collect();
    assert_eq!(records.len(), 4);
    // Whole-file inputs have no `line`.
    assert!(records[0].get("line").is_none(), "{}", records[0]);

    // The CLI's own batch fixture, on its tiny pack.
    let out = run(
        &[
            "check",
            "tests/cli/pack",
            "tests/cli/batch.ndjson",
            "--format",
            "ndjson",
        ],
        3,
    );
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        assert_check_element(&set, &serde_json::from_str(line).unwrap(), line);
    }
}

#[test]
fn error_and_truncated_outcomes_match_the_schema() {
    let set = schemas();
    let mut seen = Seen::default();
    let src = r#"pack p "P" languages en
evidence { xs: [number] }
clause a.cross
  title en "Cross product"
  require count(x in xs, y in xs, z in xs) > 0
    message en "m"
clause b.each
  title en "Each"
  severity minor
  for each x in xs:
    require x < 0
      message en "{x} is not negative"
  end
"#;
    let pack = RulePack::builder().file("p.conduct", src).build().unwrap();
    let xs: Vec<u32> = (0..100).collect();
    let options = Options::default().limits(
        conduct::pack::EvalLimits::default()
            .max_steps(10_000)
            .max_violations(10),
    );
    let report = pack.evaluate(&json!({ "xs": xs }), &options);
    assert_eq!(report.outcomes[0].status, Status::Error);
    assert!(report.outcomes[1].truncated);
    let value = serde_json::to_value(&report).unwrap();
    assert_valid(
        &set,
        REPORT,
        &value,
        "a report with error and truncated outcomes",
    );
    seen.add(&value);

    // An unknown parameter: every clause of the regions pack is an error.
    let regions = RulePack::load(root().join(REGIONS)).unwrap();
    let report = regions.evaluate(&read_json(EXAMPLE), &Options::default().param("nope", "1"));
    assert!(report.outcomes.iter().all(|o| o.status == Status::Error));
    let value = serde_json::to_value(&report).unwrap();
    assert_valid(&set, REPORT, &value, "a report with only error outcomes");
    seen.add(&value);

    // Evidence nested beyond the limit.
    let mut deep = json!(1);
    for _ in 0..200 {
        deep = json!([deep]);
    }
    let mut evidence = read_json(EXAMPLE);
    evidence["extra"] = deep;
    let value = serde_json::to_value(regions.evaluate(&evidence, &Options::default())).unwrap();
    assert_valid(&set, REPORT, &value, "a report on evidence nested too deep");
    seen.add(&value);

    // No edition, no `as_of`, no subject, and remediation `null`.
    assert!(seen.statuses.contains("error") && seen.error_field && seen.truncated);
    assert!(seen.remediation_null);
}

#[test]
fn reports_of_every_regions_fixture_match_the_schema() {
    // Many shapes of evidence, written to exercise the pack: every fixture's report.
    let set = schemas();
    let pack = RulePack::load(root().join(REGIONS)).unwrap();
    let mut files = Vec::new();
    let mut stack = vec![root().join(REGIONS).join("tests")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() > 100, "{} fixtures", files.len());
    let mut seen = Seen::default();
    for file in &files {
        let fixture: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let mut options = Options::default();
        if let Some(date) = fixture["as_of"].as_str().and_then(Date::parse) {
            options = options.as_of(date);
        }
        let report = pack.evaluate(&fixture["evidence"], &options);
        let value = serde_json::to_value(&report).unwrap();
        let violations = set.validate(REPORT, &value);
        assert!(
            violations.is_empty(),
            "the report of {} does not match {REPORT}:\n  {}",
            file.display(),
            violations
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n  ")
        );
        seen.add(&value);
    }
    for status in [
        "violated",
        "compliant",
        "insufficient_evidence",
        "not_applicable",
        "not_examined",
    ] {
        assert!(seen.statuses.contains(status), "{:?}", seen.statuses);
    }
    assert_eq!(seen.severities.len(), 3, "{:?}", seen.severities);
    // The /2 fields the regions pack fills (`basis` and missing descriptions are not checked
    // here yet: the pack declares no source field or descriptions).
    assert!(seen.subject && seen.items && seen.missing_subject);
    assert!(seen.due_from && seen.plan);
}

// ---------------------------------------------------------------------------------------------
// `conduct test`
// ---------------------------------------------------------------------------------------------

#[test]
fn test_runs_of_the_regions_pack_match_the_schema() {
    let set = schemas();
    let plain = stdout_json(&run(&["test", REGIONS, "--format", "json"], 0));
    assert_valid(&set, TEST_RUN, &plain, "the test run");
    assert!(plain.get("coverage").is_none());
    let covered = stdout_json(&run(
        &["test", REGIONS, "--format", "json", "--coverage"],
        0,
    ));
    assert_valid(&set, TEST_RUN, &covered, "the test run with coverage");
    assert_eq!(covered["coverage"].as_array().map(Vec::len), Some(39));
}

/// A pack whose fixtures pass, fail, are malformed, live in the wrong folder, or name an
/// unknown clause; one clause has no fixture (warning W005).
fn failing_fixture_pack(dir: &TempDir) -> String {
    dir.file_str(
        "pack/pack.conduct",
        br#"pack demo "Demo" languages en
evidence { workers: [{ hours: number }] }
clause hours.limit
  title en "Weekly hours"
  severity major
  for each w in workers:
    require w.hours <= 60
      message en "worked {actual} hours"
  end
clause hours.untested
  title en "Untested"
  require length(workers) >= 0
    message en "m"
"#,
    );
    dir.file_str(
        "pack/tests/hours.limit/passes.json",
        br#"{ "description": "70 hours", "as_of": "2024-10-31",
  "evidence": { "workers": [{ "hours": 70 }] },
  "expect": { "hours.limit": { "status": "violated", "severity": "major", "paths": ["/workers/0/hours"] } } }"#,
    );
    dir.file_str(
        "pack/tests/hours.limit/fails.json",
        br#"{ "description": "expects the wrong status",
  "evidence": { "workers": [{ "hours": 70 }, { "hours": null }] },
  "expect": { "hours.limit": { "status": "compliant", "severity": null, "remediated": false,
                               "paths": [], "missing": ["/workers/1/hours"], "invalid": [] },
              "no.such_clause": { "status": "compliant" } } }"#,
    );
    dir.file_str(
        "pack/tests/hours.limit/malformed.json",
        b"{\n  \"description\": 3\n}",
    );
    dir.file_str(
        "pack/tests/wrong.folder/misplaced.json",
        br#"{ "description": "in a folder that is no clause",
  "evidence": { "workers": [] },
  "expect": { "hours.limit": { "status": "compliant" } } }"#,
    );
    dir.path("pack")
}

#[test]
fn a_failing_test_run_matches_the_schema() {
    let set = schemas();
    let dir = TempDir::new();
    let pack = failing_fixture_pack(&dir);
    for coverage in [false, true] {
        let mut args = vec![
            "test",
            pack.as_str(),
            "--format",
            "json",
            "--error-format",
            "json",
        ];
        if coverage {
            args.push("--coverage");
        }
        // A malformed fixture makes the exit code 3.
        let out = run(&args, 3);
        let value = stdout_json(&out);
        assert_valid(&set, TEST_RUN, &value, "a failing test run");
        assert_eq!(
            value["summary"],
            json!({ "passed": 1, "failed": 3, "errors": 1 })
        );
        let fixtures = value["fixtures"].as_array().unwrap();
        assert!(
            fixtures.iter().any(|f| f["error"]["line"] == 2),
            "{value:#}"
        );
        assert!(
            fixtures
                .iter()
                .any(|f| !f["problems"].as_array().unwrap().is_empty())
        );
        assert!(
            fixtures
                .iter()
                .flat_map(|f| f["clauses"].as_array().unwrap())
                .any(|c| c["actual"].is_null())
        );
        // Standard error: the W005 diagnostics array, then one `error:` line for the malformed
        // fixture.
        let stderr = String::from_utf8(out.stderr).unwrap();
        let (json_part, rest) = stderr.split_at(stderr.find("\nerror: ").unwrap() + 1);
        let arrays = json_stream(json_part.as_bytes());
        assert_eq!(arrays.len(), 1, "{stderr}");
        assert_valid(&set, DIAGNOSTICS, &arrays[0], "the W005 warnings");
        assert_eq!(arrays[0][0]["code"], "W005");
        assert!(rest.contains("malformed.json:2:18"), "{rest}");
    }
}

// ---------------------------------------------------------------------------------------------
// `conduct explain`
// ---------------------------------------------------------------------------------------------

#[test]
fn explanations_match_the_schema() {
    let set = schemas();
    let dir = TempDir::new();
    let basic = dir.file_str("basic.json", basic_level_evidence().to_string().as_bytes());
    let mut statuses = BTreeSet::new();
    let mut applies = BTreeSet::new();
    for (evidence, clause) in [
        (EXAMPLE, "working_hours.weekly_limit"),
        (EXAMPLE, "child_labour.minimum_age"),
        (EXAMPLE, "wages.minimum_wage"),
        (EXAMPLE, "due_diligence.grievance_mechanism"),
        (GAPS, "child_labour.minimum_age"),
        (GAPS, "wages.minimum_wage"),
        (basic.as_str(), "management.policy"),
        (basic.as_str(), "wages.overtime_premium"),
    ] {
        let value = stdout_json(&run(
            &["explain", REGIONS, evidence, clause, "--format", "json"],
            0,
        ));
        assert_valid(
            &set,
            EXPLANATION,
            &value,
            &format!("the explanation of {clause} on {evidence}"),
        );
        statuses.insert(value["outcome"]["status"].as_str().unwrap().to_string());
        if let Some(a) = value["applies"].as_str() {
            applies.insert(a.to_string());
        }
    }
    for status in [
        "violated",
        "compliant",
        "insufficient_evidence",
        "not_applicable",
    ] {
        assert!(statuses.contains(status), "{statuses:?}");
    }
    assert!(
        applies.contains("true") && applies.contains("false"),
        "{applies:?}"
    );
}

#[test]
fn explanations_of_every_clause_match_the_schema() {
    let set = schemas();
    let pack = RulePack::load(root().join(REGIONS)).unwrap();
    let ids: Vec<String> = pack.clause_ids().map(str::to_string).collect();
    let mut count = 0;
    for evidence in [
        read_json(EXAMPLE),
        read_json(CLEAN),
        read_json(GAPS),
        basic_level_evidence(),
    ] {
        for id in &ids {
            let explanation =
                conduct::tools::explain::explain(&pack, &evidence, &Options::default(), id)
                    .unwrap();
            let value = serde_json::to_value(&explanation).unwrap();
            assert_valid(
                &set,
                EXPLANATION,
                &value,
                &format!("the explanation of {id}"),
            );
            count += 1;
        }
    }
    assert_eq!(count, 4 * 39);
}

// ---------------------------------------------------------------------------------------------
// `conduct requirements`
// ---------------------------------------------------------------------------------------------

#[test]
fn requirements_match_the_schema() {
    let set = schemas();
    for (extra, clauses) in [
        (vec![], 39),
        (vec!["--lang", "sv"], 39),
        (vec!["--clause", "child_labour.minimum_age"], 1),
        (vec!["--clause", "wages.minimum_wage", "--lang", "sv"], 1),
    ] {
        let mut args = vec!["requirements", REGIONS, "--format", "json"];
        args.extend(&extra);
        let value = stdout_json(&run(&args, 0));
        assert_valid(
            &set,
            REQUIREMENTS,
            &value,
            &format!("requirements {extra:?}"),
        );
        assert_eq!(value["clauses"].as_array().map(Vec::len), Some(clauses));
    }
    let value = stdout_json(&run(
        &["requirements", "tests/cli/pack", "--format", "json"],
        0,
    ));
    assert_valid(
        &set,
        REQUIREMENTS,
        &value,
        "requirements of the CLI test pack",
    );
}

// ---------------------------------------------------------------------------------------------
// Diagnostics
// ---------------------------------------------------------------------------------------------

#[test]
fn diagnostics_match_the_schema() {
    let set = schemas();
    let dir = TempDir::new();
    let syntax = dir.file_str(
        "syntax.conduct",
        b"pack s \"S\" languages en\nclause a.b\n  title en \"T\"\n  require x >=\n",
    );
    let mut codes = BTreeSet::new();
    for (args, code) in [
        (
            vec!["check", "tests/cli/broken", "tests/cli/compliant.json"],
            3,
        ),
        (
            vec!["requirements", "tests/cli/broken", "--format", "json"],
            3,
        ),
        (
            vec![
                "explain",
                "tests/cli/broken",
                "tests/cli/compliant.json",
                "a.b",
            ],
            3,
        ),
        (vec!["test", "tests/cli/broken"], 3),
        (vec!["doc", "tests/cli/broken"], 3),
        (
            vec!["check", syntax.as_str(), "tests/cli/compliant.json"],
            3,
        ),
        (vec!["fmt", "--check", syntax.as_str()], 3),
        (
            vec![
                "check",
                "tests/cli/warnings.conduct",
                "tests/cli/compliant.json",
                "--format",
                "json",
            ],
            0,
        ),
    ] {
        let mut full = args.clone();
        full.extend(["--error-format", "json"]);
        let out = run(&full, code);
        let arrays = json_stream(&out.stderr);
        assert!(!arrays.is_empty(), "{args:?} printed no diagnostics");
        for array in &arrays {
            assert_valid(
                &set,
                DIAGNOSTICS,
                array,
                &format!("the diagnostics of {args:?}"),
            );
            for d in array.as_array().unwrap() {
                codes.insert(d["code"].as_str().unwrap().to_string());
            }
        }
    }
    assert!(
        codes.contains("E201") && codes.contains("E101") && codes.contains("W001"),
        "{codes:?}"
    );
    // The level follows the code.
    let wrong = json!([{ "level": "warning", "code": "E201", "message": "m",
                         "location": { "file": "f", "line": 1, "column": 1 } }]);
    assert!(!set.validate(DIAGNOSTICS, &wrong).is_empty());
}

// ---------------------------------------------------------------------------------------------
// `conduct check --validate`
// ---------------------------------------------------------------------------------------------

/// The JSON lines of standard error (the other lines are messages for people).
fn json_lines(stderr: &[u8]) -> Vec<Value> {
    String::from_utf8(stderr.to_vec())
        .unwrap()
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn validation_records_match_the_schema() {
    let set = schemas();
    let dir = TempDir::new();
    let gaps = serde_json::to_string(&read_json(GAPS)).unwrap();
    let batch = dir.file_str(
        "batch.ndjson",
        format!("{gaps}\nnot json\n{gaps}\n").as_bytes(),
    );
    let mut records = Vec::new();
    for (args, code) in [
        (
            vec!["check", "--validate", REGIONS, GAPS, "--format", "json"],
            1,
        ),
        (
            vec![
                "check",
                "--validate",
                REGIONS,
                batch.as_str(),
                "--format",
                "ndjson",
            ],
            3,
        ),
        (
            vec![
                "check",
                "--validate",
                REGIONS,
                GAPS,
                EXAMPLE,
                "--format",
                "json",
            ],
            1,
        ),
    ] {
        let out = run(&args, code);
        let lines = json_lines(&out.stderr);
        assert!(!lines.is_empty(), "{args:?}");
        records.extend(lines);
    }
    // More departures than are listed: the marker record.
    let pack = dir.file_str(
        "xs.conduct",
        b"pack x \"X\" languages en\nevidence { xs: [number] }\nclause a.b\n  title en \"T\"\n  require length(xs) >= 0\n    message en \"m\"\n",
    );
    let strings: Vec<&str> = vec!["x"; 10_001];
    let many = dir.file_str("many.json", json!({ "xs": strings }).to_string().as_bytes());
    // (The exit code is not this test's business: the items are not numbers.)
    let out = conduct(&[
        "check",
        "--validate",
        "-q",
        &pack,
        &many,
        "--format",
        "json",
    ]);
    assert_valid(
        &set,
        REPORT,
        &stdout_report(&out),
        "the report after the departures",
    );
    let lines = json_lines(&out.stderr);
    assert_eq!(lines.len(), 10_001);
    records.extend(lines);
    for (i, record) in records.iter().enumerate() {
        assert_valid(&set, VALIDATION, record, &format!("validation record {i}"));
    }
    assert!(records.iter().any(|r| r["line"] == 3));
    assert!(records.iter().any(|r| r["path"] == ""));
}
