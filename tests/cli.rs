//! The `conduct` command line, run as a process: exit codes, stdout, stderr.
//!
//! Fixtures live in `tests/cli/`: a tiny pack (`pack/pack.conduct`), evidence documents, a pack
//! that does not compile (`broken/`) and one that compiles with a warning (`warnings.conduct`).
#![cfg(feature = "cli")]
#![allow(
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test fails loudly when the output is not what it expects"
)]

#[path = "support/process.rs"]
mod process;

use std::path::Path;
use std::process::Output;

use process::{TempDir, code, conduct, conduct_with_stdin, path_str, stderr, stdout};

const PACK: &str = "tests/cli/pack";
const COMPLIANT: &str = "tests/cli/compliant.json";
const VIOLATING: &str = "tests/cli/violating.json";
const MISSING: &str = "tests/cli/missing.json";
const NOT_JSON: &str = "tests/cli/not-json.json";
const BATCH: &str = "tests/cli/batch.ndjson";

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

/// The one report of a `check --format json` run: always an array, here of one element.
fn report(output: &Output) -> serde_json::Value {
    let reports = json(output);
    let reports = reports
        .as_array()
        .expect("--format json is always an array");
    assert_eq!(reports.len(), 1, "one document, one element");
    reports[0].clone()
}

fn outcome<'a>(report: &'a serde_json::Value, clause: &str) -> &'a serde_json::Value {
    report["outcomes"]
        .as_array()
        .expect("outcomes is an array")
        .iter()
        .find(|o| o["clause"] == clause)
        .expect("the clause has an outcome")
}

fn status<'a>(report: &'a serde_json::Value, clause: &str) -> &'a str {
    outcome(report, clause)["status"]
        .as_str()
        .expect("a status")
}

// ---------------------------------------------------------------------------------------------
// Exit codes and text output
// ---------------------------------------------------------------------------------------------

#[test]
fn compliant_evidence_exits_0() {
    let out = conduct(&["check", PACK, COMPLIANT]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
    insta::assert_snapshot!("text_compliant", stdout(&out));
}

#[test]
fn violating_evidence_exits_1() {
    let out = conduct(&["check", PACK, VIOLATING]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
    insta::assert_snapshot!("text_violating", stdout(&out));
}

#[test]
fn missing_evidence_exits_2() {
    let out = conduct(&["check", PACK, MISSING]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    insta::assert_snapshot!("text_missing", stdout(&out));
}

#[test]
fn remediated_and_not_applicable_clauses_are_listed() {
    let evidence =
        br#"{"housing": {"provided": false}, "finding_closed": true, "weeks": [{"rest_days": 0}]}"#;
    let out = conduct_with_stdin(
        &["check", "tests/cli/statuses.conduct", "-"],
        Some(evidence),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "Every status\n\
         Result: COMPLIANT — no deviations\n\
         \n\
         Requirements met (1): Rest day (put right)\n\
         Not applicable (1): Housing\n"
    );
}

#[test]
fn violated_clauses_are_listed_by_severity_then_pack_order() {
    // The pack declares the minor clause first; the major one is listed first. No `as_of`
    // and no subject: the subject line is left out.
    let evidence = br#"{"housing": {"provided": true, "crowded": true}, "finding_closed": false, "weeks": [{"rest_days": 0}]}"#;
    let out = conduct_with_stdin(
        &["check", "tests/cli/statuses.conduct", "-"],
        Some(evidence),
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    insta::assert_snapshot!("text_severity_order", stdout(&out));
}

#[test]
fn evidence_that_is_not_json_exits_3_with_line_and_column() {
    let out = conduct(&["check", PACK, NOT_JSON]);
    assert_eq!(code(&out), 3);
    assert_eq!(stdout(&out), "");
    assert_eq!(
        stderr(&out),
        "error: tests/cli/not-json.json: expected `,` or `}` at line 4 column 26\n"
    );
}

#[test]
fn unreadable_evidence_exits_3() {
    let out = conduct(&["check", PACK, "tests/cli/no-such-file.json"]);
    assert_eq!(code(&out), 3);
    let err = stderr(&out);
    assert!(
        err.starts_with("error: cannot read tests/cli/no-such-file.json: "),
        "{err}"
    );
}

#[test]
fn evidence_with_invalid_utf8_reports_the_byte_offset() {
    let dir = TempDir::new();
    let file = dir.file("bad.json", b"{\"supplier\": {\"name\": \"A\xff\"}}");
    let out = conduct(&["check", PACK, path_str(&file)]);
    assert_eq!(code(&out), 3);
    let err = stderr(&out);
    assert!(
        err.contains("invalid UTF-8 at byte 24 (line 1 column 25)"),
        "{err}"
    );
}

#[test]
fn evidence_that_is_not_an_object_exits_3() {
    let out = conduct_with_stdin(&["check", PACK, "-"], Some(b"[{\"supplier\": {}}]"));
    assert_eq!(code(&out), 3);
    let err = stderr(&out);
    assert!(
        err.starts_with("error: <stdin>: the evidence must be a JSON object, found an array"),
        "{err}"
    );
}

#[test]
fn evidence_from_stdin() {
    let evidence = std::fs::read(VIOLATING).expect("fixture");
    let out = conduct_with_stdin(&["check", PACK, "-", "--format", "json"], Some(&evidence));
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert_eq!(report(&out)["verdict"], "non_compliant");
}

#[test]
fn duplicate_keys_are_warned_about() {
    let out = conduct(&["check", PACK, "tests/cli/duplicate-keys.json"]);
    assert_eq!(code(&out), 1, "the last value (70 hours) is used");
    assert_eq!(
        stderr(&out),
        "warning: tests/cli/duplicate-keys.json: duplicate key \"name\" at line 3 column 39; the last value is used\n\
         warning: tests/cli/duplicate-keys.json: duplicate key \"hours\" at line 5 column 71; the last value is used\n"
    );
    assert!(stdout(&out).contains("Supplier: Second name\n"));
    let quiet = conduct(&["check", PACK, "tests/cli/duplicate-keys.json", "--quiet"]);
    assert_eq!(stderr(&quiet), "");
}

#[test]
fn duplicate_keys_are_compared_unescaped() {
    let evidence = br#"{"supplier": {"name": "A", "n\u0061me": "B"}, "workers": []}"#;
    let out = conduct_with_stdin(&["check", PACK, "-"], Some(evidence));
    assert!(
        stderr(&out).contains("duplicate key \"name\" at line 1 column 28"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn duplicate_keys_are_found_in_nested_objects_and_not_in_strings() {
    let evidence = br#"{"supplier": {"name": "x\"}{,\"name\":", "name": "B"}, "workers": [{"w": [1, {"k": 1, "k": 2}], "w": 3}], "s": "\"k\"", "workers2": {}}"#;
    let out = conduct_with_stdin(&["check", PACK, "-", "--format", "json"], Some(evidence));
    assert_eq!(
        stderr(&out),
        "warning: <stdin>: duplicate key \"name\" at line 1 column 42; the last value is used\n\
         warning: <stdin>: duplicate key \"k\" at line 1 column 87; the last value is used\n\
         warning: <stdin>: duplicate key \"w\" at line 1 column 97; the last value is used\n"
    );
    assert_eq!(report(&out)["subject"]["supplier"], "B");
}

#[test]
fn most_severe_exit_code_wins() {
    let cases: &[(&[&str], i32)] = &[
        (&[COMPLIANT, MISSING], 2),
        (&[MISSING, VIOLATING, COMPLIANT], 1),
        (&[VIOLATING, NOT_JSON, MISSING], 3),
        (&[NOT_JSON, COMPLIANT], 3),
    ];
    for (files, expected) in cases {
        let mut args = vec!["check", PACK];
        args.extend_from_slice(files);
        let out = conduct(&args);
        assert_eq!(code(&out), *expected, "{files:?}: {}", stderr(&out));
    }
}

// ---------------------------------------------------------------------------------------------
// JSON and NDJSON output
// ---------------------------------------------------------------------------------------------

#[test]
fn json_output_of_one_document_is_an_array_of_one_pretty_report() {
    let out = conduct(&["check", PACK, VIOLATING, "--format", "json"]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(
        text.starts_with("[\n  {\n    \"format\": \"conduct-report/2\","),
        "{text}"
    );
    let report = report(&out);
    assert_eq!(report["format"], "conduct-report/2");
    assert_eq!(report["pack"]["name"], "demo");
    assert_eq!(report["subject"]["supplier"], "Glove Works Sdn Bhd");
    // Two children under the minimum age are one finding (the workers declare no key) with
    // two items; the summary counts findings, and items apart.
    assert_eq!(report["summary"]["violations"], 2);
    assert_eq!(report["summary"]["items"], 3);
    assert_eq!(status(&report, "child_labour.minimum_age"), "violated");
    let violation = &outcome(&report, "child_labour.minimum_age")["violations"][0];
    assert_eq!(violation["path"], "/workers/1/date_of_birth");
    assert_eq!(violation["remediation"]["due"], "2024-11-30");
    assert_eq!(violation["rule"]["file"], "pack.conduct");
}

#[test]
fn json_output_with_several_documents_is_an_array() {
    let out = conduct(&["check", PACK, COMPLIANT, VIOLATING, "--format", "json"]);
    assert_eq!(code(&out), 1);
    let reports = json(&out);
    let reports = reports.as_array().expect("an array");
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0]["verdict"], "compliant");
    assert_eq!(reports[1]["verdict"], "non_compliant");
    // Laid out exactly as serde_json lays out a pretty array of reports.
    let typed: Vec<conduct::Report> = serde_json::from_slice(&out.stdout).expect("reports");
    assert_eq!(
        stdout(&out),
        format!(
            "{}\n",
            serde_json::to_string_pretty(&typed).expect("serializes")
        )
    );
}

#[test]
fn ndjson_gives_one_line_per_input_line_including_errors() {
    let out = conduct(&["check", PACK, BATCH, "--format", "ndjson"]);
    assert_eq!(
        code(&out),
        3,
        "a line that is not JSON makes the exit code 3"
    );
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "five input lines, one blank: {text}");
    let values: Vec<serde_json::Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).expect("every line is JSON"))
        .collect();
    assert_eq!(values[0]["format"], "conduct-report/2");
    assert_eq!(values[0]["verdict"], "compliant");
    assert_eq!(values[1]["verdict"], "non_compliant");
    assert_eq!(values[2]["format"], "conduct-error/1");
    assert_eq!(values[2]["line"], 4);
    assert_eq!(values[2]["file"], BATCH);
    assert!(
        values[2]["error"]
            .as_str()
            .expect("a message")
            .contains("at line 4 column")
    );
    assert_eq!(values[3]["verdict"], "incomplete");
    let err = stderr(&out);
    assert!(
        err.starts_with(
            "error: tests/cli/batch.ndjson: EOF while parsing a value at line 4 column 91"
        ),
        "{err}"
    );
}

#[test]
fn ndjson_file_in_json_format_is_an_array_with_the_error_record() {
    let out = conduct(&["check", PACK, BATCH, "--format", "json"]);
    assert_eq!(code(&out), 3);
    let values = json(&out);
    let formats: Vec<&str> = values
        .as_array()
        .expect("an array")
        .iter()
        .map(|v| v["format"].as_str().expect("format"))
        .collect();
    assert_eq!(
        formats,
        [
            "conduct-report/2",
            "conduct-report/2",
            "conduct-error/1",
            "conduct-report/2"
        ]
    );
}

#[test]
fn ndjson_file_in_text_format_separates_reports_with_a_blank_line() {
    let out = conduct(&["check", PACK, BATCH]);
    assert_eq!(code(&out), 3);
    insta::assert_snapshot!("text_ndjson", stdout(&out));
}

#[test]
fn compact_lines_on_stdin_are_read_one_document_a_line() {
    let compliant = r#"{"assessment":{"as_of":"2024-10-31"},"supplier":{"name":"A"},"workers":[]}"#;
    let missing = r#"{"assessment":{"as_of":"2024-10-31"},"supplier":{"name":"B"},"workers":[{"worker_ref":"W1"}]}"#;
    let input = format!("{compliant}\r\n\n{missing}");
    let out = conduct_with_stdin(
        &["check", PACK, "-", "--format", "ndjson"],
        Some(input.as_bytes()),
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let text = stdout(&out);
    let verdicts: Vec<String> = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("JSON")["verdict"].to_string())
        .collect();
    assert_eq!(verdicts, ["\"compliant\"", "\"incomplete\""]);
}

#[test]
fn ten_thousand_documents_stream_through() {
    let dir = TempDir::new();
    // Every thousandth supplier has a worker over the weekly limit.
    let input: String = (0..10_000)
        .map(|i| {
            let hours = if i % 1000 == 999 { 70 } else { 40 };
            format!(
                "{{\"assessment\":{{\"as_of\":\"2024-10-31\"}},\"supplier\":{{\"name\":\"S{i}\"}},\
                 \"workers\":[{{\"worker_ref\":\"W{i}\",\"date_of_birth\":\"1990-05-01\",\"hours\":{hours}}}]}}\n"
            )
        })
        .collect();
    let file = dir.file("many.ndjson", input.as_bytes());
    let out = conduct(&["check", PACK, path_str(&file), "--format", "ndjson"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 10_000);
    let violated = text
        .lines()
        .filter(|l| l.contains("\"verdict\":\"non_compliant\""))
        .count();
    assert_eq!(violated, 10);
    let last: serde_json::Value =
        serde_json::from_str(text.lines().last().expect("a line")).expect("JSON");
    assert_eq!(last["subject"]["supplier"], "S9999");
}

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

#[test]
fn param_override_changes_the_outcome() {
    let before = conduct(&["check", PACK, VIOLATING, "--format", "json"]);
    assert_eq!(
        status(&report(&before), "working_hours.weekly_limit"),
        "violated"
    );
    let after = conduct(&[
        "check",
        PACK,
        VIOLATING,
        "--format",
        "json",
        "--param",
        "max_hours=80",
    ]);
    assert_eq!(
        status(&report(&after), "working_hours.weekly_limit"),
        "compliant"
    );
    assert_eq!(code(&after), 1, "the child labour violation remains");
    let both = conduct(&[
        "check",
        PACK,
        VIOLATING,
        "--param",
        "max_hours=80",
        "--param",
        "minimum_age=14",
    ]);
    assert_eq!(code(&both), 0, "{}", stdout(&both));
}

#[test]
fn unknown_param_exits_3_with_a_suggestion() {
    let out = conduct(&["check", PACK, VIOLATING, "--param", "max_hour=80"]);
    assert_eq!(code(&out), 3);
    assert_eq!(stdout(&out), "");
    assert_eq!(
        stderr(&out),
        "error: the pack has no parameter `max_hour`; did you mean `max_hours`?\n"
    );
}

#[test]
fn param_of_the_wrong_type_exits_3() {
    let out = conduct(&["check", PACK, VIOLATING, "--param", "max_hours=sixty"]);
    assert_eq!(code(&out), 3);
    assert!(stderr(&out).contains("max_hours"), "{}", stderr(&out));
}

#[test]
fn param_without_a_value_is_a_usage_error() {
    let out = conduct(&["check", PACK, VIOLATING, "--param", "max_hours"]);
    assert_eq!(code(&out), 3);
    assert!(stderr(&out).contains("NAME=VALUE"), "{}", stderr(&out));
}

#[test]
fn as_of_changes_an_age_result() {
    // W2 was born 2010-03-15: 14 on the evidence's date, 15 on 2026-01-01.
    let before = conduct(&["check", PACK, VIOLATING, "--format", "json"]);
    assert_eq!(report(&before)["as_of"], "2024-10-31");
    assert_eq!(
        status(&report(&before), "child_labour.minimum_age"),
        "violated"
    );
    let after = conduct(&[
        "check",
        PACK,
        VIOLATING,
        "--format",
        "json",
        "--as-of",
        "2026-01-01",
    ]);
    assert_eq!(report(&after)["as_of"], "2026-01-01");
    assert_eq!(
        status(&report(&after), "child_labour.minimum_age"),
        "compliant"
    );
}

#[test]
fn invalid_as_of_is_a_usage_error() {
    let out = conduct(&["check", PACK, VIOLATING, "--as-of", "2024-02-30"]);
    assert_eq!(code(&out), 3);
    assert!(
        stderr(&out).contains("`2024-02-30` is not a date: February 2024 has 29 days"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn lang_sv_gives_swedish_messages_and_titles() {
    let out = conduct(&["check", PACK, VIOLATING, "--lang", "sv", "--format", "json"]);
    assert_eq!(code(&out), 1);
    let report = report(&out);
    assert_eq!(report["language"], "sv");
    let child = outcome(&report, "child_labour.minimum_age");
    assert_eq!(child["title"], "Inget barnarbete");
    assert_eq!(
        child["violations"][0]["message"],
        "arbetstagare W2 är 14 år; lägsta ålder är 15"
    );
    assert_eq!(
        child["violations"][0]["remediation"]["action"],
        "Ta bort barnet från arbetet"
    );
    let text = stdout(&conduct(&["check", PACK, VIOLATING, "--lang", "sv"]));
    assert!(
        text.contains(
            "Allvarliga avvikelser (1)\n\n  Avvikelse 1 · Inget barnarbete\n    \
             Iakttaget: 1 av 3 granskade\n      \
             – arbetstagare W2 är 14 år; lägsta ålder är 15\n    \
             Åtgärd: Ta bort barnet från arbetet — senast 2024-11-30, räknat från bedömningsdatumet\n"
        ),
        "{text}"
    );
}

#[test]
fn details_add_ids_pointers_and_rule_locations_to_the_text() {
    let officer = stdout(&conduct(&["check", PACK, VIOLATING]));
    let out = conduct(&["check", PACK, VIOLATING, "--details"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let details = stdout(&out);
    for technical in [
        "pack: demo · sha256:",
        "  Deviation 1 · No child labour [child_labour.minimum_age]\n",
        "    evidence: /workers/1/date_of_birth · found 14 · required >= 15\n",
        "    rule: pack.conduct:28:5\n",
    ] {
        assert!(
            details.contains(technical),
            "{technical:?} not in\n{details}"
        );
        assert!(
            !officer.contains(technical.trim()),
            "{technical:?} in\n{officer}"
        );
    }
    // Only the text output has details: JSON is the same with or without the flag.
    let json = |extra: &[&str]| {
        let mut args = vec!["check", PACK, VIOLATING, "--format", "json"];
        args.extend_from_slice(extra);
        stdout(&conduct(&args))
    };
    assert_eq!(json(&["--details"]), json(&[]));
}

// ---------------------------------------------------------------------------------------------
// Rules that do not compile, warnings
// ---------------------------------------------------------------------------------------------

#[test]
fn rules_that_do_not_compile_exit_3_with_every_diagnostic() {
    let out = conduct(&["check", "tests/cli/broken", COMPLIANT]);
    assert_eq!(code(&out), 3);
    assert_eq!(stdout(&out), "");
    insta::assert_snapshot!("compile_error", stderr(&out));
}

#[test]
fn compile_diagnostics_as_json() {
    let out = conduct(&[
        "check",
        "tests/cli/broken",
        COMPLIANT,
        "--error-format",
        "json",
    ]);
    assert_eq!(code(&out), 3);
    let diagnostics: serde_json::Value =
        serde_json::from_slice(&out.stderr).expect("stderr is JSON");
    let codes: Vec<&str> = diagnostics
        .as_array()
        .expect("an array")
        .iter()
        .map(|d| d["code"].as_str().expect("a code"))
        .collect();
    assert_eq!(codes, ["E201", "E201"]);
    assert_eq!(diagnostics[0]["location"]["line"], 10);
    assert_eq!(diagnostics[0]["help"], "did you mean `minimum_age`?");
}

#[test]
fn missing_pack_exits_3() {
    let out = conduct(&["check", "tests/cli/no-such-pack", COMPLIANT]);
    assert_eq!(code(&out), 3);
    assert!(
        stderr(&out).starts_with("error: cannot read `tests/cli/no-such-pack`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn compile_warnings_go_to_stderr_unless_quiet() {
    let evidence = br#"{"workers": [{"worker_ref": "W1", "hours": 40}]}"#;
    let out = conduct_with_stdin(
        &["check", "tests/cli/warnings.conduct", "-"],
        Some(evidence),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.starts_with("warning[W001]: parameter `unused_limit` is never used\n"),
        "{err}"
    );
    assert!(err.contains("tests/cli/warnings.conduct:4:7"), "{err}");
    let quiet = conduct_with_stdin(
        &["check", "tests/cli/warnings.conduct", "-", "-q"],
        Some(evidence),
    );
    assert_eq!(code(&quiet), 0);
    assert_eq!(stderr(&quiet), "");
}

// ---------------------------------------------------------------------------------------------
// The command line itself
// ---------------------------------------------------------------------------------------------

#[test]
fn usage_errors_exit_3() {
    let cases: &[&[&str]] = &[
        &["check", PACK, COMPLIANT, "--no-such-flag"],
        &["check", PACK],
        &["check", PACK, COMPLIANT, "--format", "yaml"],
        &["check", PACK, COMPLIANT, "--lang", "de"],
        &["no-such-command"],
        &[],
    ];
    for args in cases {
        let out = conduct(args);
        assert_eq!(code(&out), 3, "{args:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), "", "{args:?}");
        assert!(!stderr(&out).is_empty(), "{args:?}");
    }
}

#[test]
fn help_and_version_exit_0() {
    let out = conduct(&["--help"]);
    assert_eq!(code(&out), 0);
    assert!(
        stdout(&out)
            .contains("conduct check rules/regions examples/example-evidence.json --format json")
    );
    let out = conduct(&["check", "--help"]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    assert!(
        text.contains("Usage: conduct check [OPTIONS] <PACK> <EVIDENCE>..."),
        "{text}"
    );
    assert!(
        text.contains("conduct check rules/regions examples/example-evidence.json --format json"),
        "{text}"
    );
    assert!(text.contains("--param <NAME=VALUE>"), "{text}");
    let out = conduct(&["--version"]);
    assert_eq!(code(&out), 0);
    assert_eq!(
        stdout(&out),
        format!("conduct {}\n", env!("CARGO_PKG_VERSION"))
    );
}

// ---------------------------------------------------------------------------------------------
// `conduct test`
// ---------------------------------------------------------------------------------------------

/// A copy of the demo pack with the given fixtures under its `tests/` folder.
fn pack_with_fixtures(fixtures: &[(&str, &str)]) -> TempDir {
    let dir = TempDir::new();
    let rules = std::fs::read(Path::new(PACK).join("pack.conduct")).expect("the demo pack");
    dir.file("pack.conduct", &rules);
    for (name, text) in fixtures {
        let path = dir.0.join("tests").join(name);
        std::fs::create_dir_all(path.parent().expect("a fixture has a folder"))
            .expect("the fixture folder can be created");
        std::fs::write(&path, text).expect("the fixture can be written");
    }
    dir
}

const PASSING_FIXTURE: &str = r#"{
  "description": "a 14-year-old & <someone>",
  "as_of": "2024-10-31",
  "evidence": {
    "assessment": { "as_of": "2024-10-31" },
    "supplier": { "name": "S" },
    "workers": [{ "worker_ref": "W1", "date_of_birth": "2010-05-01", "hours": 40 }]
  },
  "expect": {
    "child_labour.minimum_age": { "status": "violated", "severity": "critical", "paths": ["/workers/0/date_of_birth"] },
    "working_hours.weekly_limit": { "status": "compliant", "severity": null }
  }
}"#;

const FAILING_FIXTURE: &str = r#"{
  "description": "70 hours <is> \"too many\"",
  "evidence": {
    "assessment": { "as_of": "2024-10-31" },
    "supplier": { "name": "S" },
    "workers": [{ "worker_ref": "W1", "date_of_birth": "1990-05-01", "hours": 70 }]
  },
  "expect": {
    "working_hours.weekly_limit": { "status": "compliant", "severity": null, "paths": [] }
  }
}"#;

#[test]
fn test_runs_the_shipped_pack_fixtures_and_exits_0() {
    let output = conduct(&["test", "rules/regions"]);
    let out = stdout(&output);
    assert_eq!(code(&output), 0, "{out}{}", stderr(&output));
    let summary = out
        .lines()
        .find(|l| l.ends_with(" passed, 0 failed"))
        .expect("a summary line");
    let passed: usize = summary
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a count");
    assert!(passed >= 100, "{summary}");
    assert!(!out.contains("FAIL"), "{out}");
}

#[test]
fn test_with_a_failing_fixture_exits_1_and_shows_the_diff() {
    let dir = pack_with_fixtures(&[
        ("child_labour.minimum_age/child.json", PASSING_FIXTURE),
        ("working_hours.weekly_limit/seventy.json", FAILING_FIXTURE),
    ]);
    let output = conduct(&["test", path_str(&dir.0)]);
    let out = stdout(&output);
    assert_eq!(code(&output), 1, "{out}{}", stderr(&output));
    assert!(out.lines().any(|l| l == "1 passed, 1 failed"), "{out}");
    assert!(
        out.contains("FAIL ") && out.contains("seventy.json"),
        "{out}"
    );
    assert!(
        !out.contains("child.json"),
        "passing fixtures are not listed: {out}"
    );
    assert!(out.contains("working_hours.weekly_limit"), "{out}");
    assert!(
        out.contains("status: expected compliant, got violated"),
        "{out}"
    );
    assert!(out.contains("severity: expected null, got major"), "{out}");
    assert!(
        out.contains(r#"paths: expected [], got ["/workers/0/hours"]"#),
        "{out}"
    );
}

#[test]
fn test_junit_output_has_a_testcase_per_fixture_and_clause() {
    let dir = pack_with_fixtures(&[
        ("child_labour.minimum_age/child.json", PASSING_FIXTURE),
        ("working_hours.weekly_limit/seventy.json", FAILING_FIXTURE),
    ]);
    let output = conduct(&["test", path_str(&dir.0), "--format", "junit"]);
    let out = stdout(&output);
    assert_eq!(code(&output), 1, "{out}{}", stderr(&output));
    assert!(
        out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "),
        "{out}"
    );
    assert!(out.trim_end().ends_with("</testsuites>"), "{out}");
    assert_eq!(out.matches("<testcase ").count(), 3, "{out}");
    assert_eq!(out.matches("<failure ").count(), 1, "{out}");
    assert_eq!(out.matches("</failure>").count(), 1, "{out}");
    assert!(
        out.contains(r#"tests="3" skipped="0" failures="1" errors="0""#),
        "{out}"
    );
    // Text is escaped: the descriptions hold `<`, `>`, `&` and quotes.
    assert!(
        out.contains("70 hours &lt;is&gt; &quot;too many&quot;"),
        "{out}"
    );
    assert!(!out.contains("<is>") && !out.contains("<someone>"), "{out}");
    // Structurally balanced: every element opened is closed.
    let opened = out.matches("<testcase ").count();
    let closed = out.matches("</testcase>").count() + out.matches("\"/>").count();
    assert_eq!(opened, closed, "{out}");
    assert_eq!(
        out.matches("<testsuite ").count(),
        out.matches("</testsuite>").count()
    );
}

#[test]
fn test_json_output_is_data() {
    let dir = pack_with_fixtures(&[
        ("child_labour.minimum_age/child.json", PASSING_FIXTURE),
        ("working_hours.weekly_limit/seventy.json", FAILING_FIXTURE),
    ]);
    let output = conduct(&["test", path_str(&dir.0), "--format", "json", "--coverage"]);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    let run = json(&output);
    assert_eq!(run["format"], "conduct-test-run/1");
    assert_eq!(run["summary"]["passed"], 1);
    assert_eq!(run["summary"]["failed"], 1);
    assert_eq!(run["fixtures"].as_array().expect("fixtures").len(), 2);
    let failing = &run["fixtures"][1]["clauses"][0];
    assert_eq!(failing["passed"], false);
    assert_eq!(failing["expected"]["status"], "compliant");
    assert_eq!(failing["actual"]["status"], "violated");
    assert_eq!(run["coverage"].as_array().expect("coverage").len(), 2);
}

#[test]
fn test_with_a_malformed_fixture_exits_3_with_file_line_and_column() {
    let dir = pack_with_fixtures(&[
        ("child_labour.minimum_age/child.json", PASSING_FIXTURE),
        (
            "working_hours.weekly_limit/broken.json",
            "{\n  \"description\": \"x\",\n  \"evidence\": {},\n  \"expect\": { \"working_hours.weekly_limit\": { \"status\": \"wrong\" } }\n}\n",
        ),
    ]);
    let output = conduct(&["test", path_str(&dir.0)]);
    let err = stderr(&output);
    assert_eq!(code(&output), 3, "{}{err}", stdout(&output));
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(
        lines[0].contains("broken.json:4:") && lines[0].contains("unknown variant `wrong`"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");

    // Not JSON at all, and a file that is not UTF-8: still one line each, exit 3.
    let dir = pack_with_fixtures(&[
        ("child_labour.minimum_age/cut.json", "{ \"description\": "),
        (
            "child_labour.minimum_age/latin1.json",
            "{ \"description\": \"\u{e9}\" }",
        ),
    ]);
    std::fs::write(
        dir.0.join("tests/child_labour.minimum_age/latin1.json"),
        b"{ \"description\": \"\xe9\" }",
    )
    .expect("the fixture can be written");
    let output = conduct(&["test", path_str(&dir.0), "--format", "junit"]);
    let err = stderr(&output);
    assert_eq!(code(&output), 3, "{err}");
    assert!(err.contains("cut.json:1:"), "{err}");
    assert!(err.contains("latin1.json: cannot read"), "{err}");
    assert_eq!(stdout(&output).matches("<error ").count(), 2);
}

#[test]
fn test_with_bad_paths_exits_3() {
    let output = conduct(&["test", "tests/cli/no-such-pack"]);
    assert_eq!(code(&output), 3);
    assert!(
        stderr(&output).contains("no-such-pack"),
        "{}",
        stderr(&output)
    );
    // A pack without a tests folder.
    let output = conduct(&["test", PACK]);
    assert_eq!(code(&output), 3);
    let err = stderr(&output);
    assert!(err.starts_with("error: ") && err.contains("tests"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    // A fixture in a folder that is not a clause fails.
    let dir = pack_with_fixtures(&[("no.such_clause/child.json", PASSING_FIXTURE)]);
    let output = conduct(&["test", path_str(&dir.0)]);
    assert_eq!(code(&output), 1);
    assert!(stdout(&output).contains("not a clause of the pack"));
}

#[test]
fn test_coverage_lists_every_clause() {
    let output = conduct(&["test", "rules/regions", "--coverage"]);
    let out = stdout(&output);
    assert_eq!(code(&output), 0, "{out}{}", stderr(&output));
    let pack = conduct::RulePack::load("rules/regions").expect("the shipped pack compiles");
    for clause in pack.clause_ids() {
        assert!(
            out.lines()
                .any(|l| l.split_whitespace().next() == Some(clause)),
            "`{clause}` is not in the coverage table:\n{out}"
        );
    }
    assert!(out.lines().any(|l| l.starts_with("clause ")), "{out}");

    let dir = pack_with_fixtures(&[("child_labour.minimum_age/child.json", PASSING_FIXTURE)]);
    let output = conduct(&["test", path_str(&dir.0), "--coverage"]);
    let out = stdout(&output);
    assert_eq!(code(&output), 0, "{out}");
    let hours = out
        .lines()
        .find(|l| l.starts_with("working_hours.weekly_limit"))
        .expect("the clause is listed");
    let marks: Vec<&str> = hours.split_whitespace().collect();
    // compliant, violated, insufficient, not_applicable, error, fixtures
    assert_eq!(&marks[1..7], ["x", "-", "-", "-", "-", "1"], "{out}");
}

#[test]
fn test_help_has_examples() {
    let output = conduct(&["test", "--help"]);
    assert_eq!(code(&output), 0);
    let out = stdout(&output);
    assert!(
        out.contains("conduct test rules/regions --coverage"),
        "{out}"
    );
    assert!(out.contains("--format junit"), "{out}");
}

// ---------------------------------------------------------------------------------------------
// `conduct requirements` and `conduct doc`
// ---------------------------------------------------------------------------------------------

const REGIONS: &str = "rules/regions";

#[test]
fn requirements_markdown_of_one_clause_exits_0() {
    let output = conduct(&[
        "requirements",
        REGIONS,
        "--clause",
        "child_labour.minimum_age",
        "--format",
        "markdown",
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let out = stdout(&output);
    assert!(
        out.contains("## child_labour.minimum_age: No child labour"),
        "{out}"
    );
    assert!(
        out.contains("- [ ] `/sites/*/workers/*/date_of_birth`"),
        "{out}"
    );
    assert!(!out.contains("child_labour.young_workers"), "{out}");
}

#[test]
fn requirements_json_lists_every_clause_with_swedish_titles() {
    let output = conduct(&["requirements", REGIONS, "--format", "json", "--lang", "sv"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    // The fields in the document's order, as the other JSON outputs keep theirs.
    assert!(
        stdout(&output).starts_with(
            "{\n  \"format\": \"conduct-requirements/1\",\n  \"pack\": \"regions\",\n  \"title\":"
        ),
        "{}",
        stdout(&output)
    );
    let json = json(&output);
    assert_eq!(json["format"], "conduct-requirements/1");
    assert_eq!(json["pack"], "regions");
    let clauses = json["clauses"].as_array().expect("clauses is an array");
    assert_eq!(clauses.len(), 39);
    let minimum_age = clauses
        .iter()
        .find(|c| c["clause"] == "child_labour.minimum_age")
        .expect("the clause is listed");
    assert_eq!(
        minimum_age["title"],
        "Inget barnarbete: lägsta ålder för arbete"
    );
    let required = minimum_age["required"]
        .as_array()
        .expect("required is an array");
    assert!(
        required
            .iter()
            .any(|p| p == "/sites/*/workers/*/date_of_birth")
    );
}

#[test]
fn requirements_of_an_unknown_clause_exits_3_with_a_suggestion() {
    let output = conduct(&[
        "requirements",
        REGIONS,
        "--clause",
        "child_labour.minimum_ag",
    ]);
    assert_eq!(code(&output), 3);
    assert!(output.stdout.is_empty());
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("did you mean `child_labour.minimum_age`?"),
        "{err}"
    );
}

#[test]
fn requirements_and_doc_of_a_missing_pack_exit_3() {
    for args in [
        &["requirements", "no/such/pack"][..],
        &["doc", "no/such/pack", "--format", "html"][..],
    ] {
        let output = conduct(args);
        assert_eq!(code(&output), 3, "{args:?}");
        assert_eq!(stderr(&output).lines().count(), 1, "{}", stderr(&output));
    }
}

#[test]
fn doc_markdown_exits_0_with_clauses_parameters_and_tables() {
    let output = conduct(&["doc", REGIONS]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let out = stdout(&output);
    assert!(
        out.starts_with("# Swedish regions' supplier code of conduct"),
        "{out}"
    );
    assert!(out.contains("### `child_labour.minimum_age`: No child labour"));
    // Parameters by their titles, with their bounds and the evidence that takes precedence.
    assert!(out.contains(
        "| Minimum working age under the code (`minimum_working_age`) | 15 (at least 14, at most 18) |"
    ));
    assert!(out.contains("| 14 (at least 0, at most 365; the contract's deadline for reporting a severe deviation, in days, where the evidence gives it, takes precedence) |"), "{out}");
    let sv = stdout(&conduct(&["doc", REGIONS, "--lang", "sv"]));
    assert!(sv.contains(
        "| Lägsta ålder för arbete enligt uppförandekoden (`minimum_working_age`) | 15 (minst 14, högst 18) |"
    ), "{sv}");
    assert!(out.contains("### Minimum age for employment, by country (`national_minimum_age`)"));
    assert!(sv.contains("## Tabeller"), "{sv}");
}

#[test]
fn doc_html_writes_the_page_to_a_file() {
    let dir = TempDir::new();
    let file = dir.0.join("regions.html");
    let output = conduct(&[
        "doc",
        REGIONS,
        "--format",
        "html",
        "--lang",
        "sv",
        "-o",
        path_str(&file),
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(output.stdout.is_empty());
    let page = std::fs::read_to_string(&file).expect("the page is written");
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<html lang=\"sv\">"));
    assert!(page.contains("Inget barnarbete"));
    assert!(!page.contains("<script"));
}

#[test]
fn doc_to_an_unwritable_file_exits_3() {
    let dir = TempDir::new();
    let file = dir.0.join("missing-folder").join("regions.md");
    let output = conduct(&["doc", REGIONS, "-o", path_str(&file)]);
    assert_eq!(code(&output), 3);
    assert_eq!(stderr(&output).lines().count(), 1, "{}", stderr(&output));
}

#[test]
fn requirements_and_doc_help_show_examples() {
    for (command, example) in [
        (
            "requirements",
            "conduct requirements rules/regions --clause",
        ),
        ("doc", "conduct doc rules/regions --format html"),
    ] {
        let output = conduct(&[command, "--help"]);
        assert_eq!(code(&output), 0);
        assert!(stdout(&output).contains(example), "{}", stdout(&output));
    }
}

const GAPS: &str = "examples/supplier-with-gaps.json";

#[test]
fn validate_prints_the_departure_then_the_report() {
    let plain = conduct(&["check", REGIONS, GAPS]);
    let output = conduct(&["check", "--validate", REGIONS, GAPS]);
    assert_eq!(
        stderr(&output),
        "departs from the declared shape: /sites/0/workers/2/date_of_birth: \
         expected a date (YYYY-MM-DD), found \"2004-13-45\"\n"
    );
    // The report and the exit code are those of a run without `--validate`.
    assert_eq!(stdout(&output), stdout(&plain));
    assert!(stdout(&output).contains("Result: "), "{}", stdout(&output));
    assert_eq!(code(&output), code(&plain));
}

#[test]
fn validate_with_json_output_keeps_the_report_and_writes_json_lines_on_stderr() {
    let plain = conduct(&["check", REGIONS, GAPS, "--format", "json"]);
    let output = conduct(&["check", "--validate", REGIONS, GAPS, "--format", "json"]);
    assert_eq!(stdout(&output), stdout(&plain));
    let lines: Vec<serde_json::Value> = stderr(&output)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(
        lines,
        [serde_json::json!({
            "format": "conduct-validation/1",
            "file": GAPS,
            "path": "/sites/0/workers/2/date_of_birth",
            "expected": "a date (YYYY-MM-DD)",
            "found": "\"2004-13-45\"",
        })]
    );
}

#[test]
fn validate_on_clean_evidence_prints_nothing_extra() {
    let output = conduct(&[
        "check",
        "--validate",
        REGIONS,
        "examples/clean-supplier.json",
    ]);
    assert_eq!(stderr(&output), "");
    assert!(stdout(&output).contains("Result: "));
}

#[test]
fn validate_labels_departures_when_there_are_several_documents() {
    let output = conduct(&[
        "check",
        "--validate",
        REGIONS,
        "examples/clean-supplier.json",
        GAPS,
    ]);
    assert_eq!(
        stderr(&output),
        format!(
            "{GAPS}: departs from the declared shape: /sites/0/workers/2/date_of_birth: \
             expected a date (YYYY-MM-DD), found \"2004-13-45\"\n"
        )
    );
}

#[test]
fn check_help_documents_validate() {
    let output = conduct(&["check", "--help"]);
    assert_eq!(code(&output), 0);
    assert!(
        stdout(&output).contains("--validate"),
        "{}",
        stdout(&output)
    );
    assert!(stdout(&output).contains("conduct-validation/1"));
}

// `conduct explain`

const EXAMPLE: &str = "examples/example-evidence.json";

#[test]
fn explain_text_names_the_value_read_and_the_severity_case() {
    let output = conduct(&[
        "explain",
        "rules/regions",
        EXAMPLE,
        "working_hours.weekly_limit",
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("Outcome: Violated (major deviation)"),
        "{text}"
    );
    assert!(
        text.contains("found 0.22 at /sites/0/hours_records/summary/share_weeks_over_60"),
        "{text}"
    );
    assert!(
        text.contains("severity major deviation: established by"),
        "{text}"
    );
}

#[test]
fn explain_json_has_the_outcome_and_the_items() {
    let output = conduct(&[
        "explain",
        "rules/regions",
        EXAMPLE,
        "working_hours.weekly_limit",
        "--format",
        "json",
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let e = json(&output);
    assert_eq!(e["clause"], "working_hours.weekly_limit");
    assert_eq!(e["outcome"]["status"], "violated");
    let item = &e["requirements"][0]["items"][0];
    assert_eq!(item["result"], "fails");
    assert_eq!(
        item["found"]["path"],
        "/sites/0/hours_records/summary/share_weeks_over_60"
    );
    assert_eq!(item["severity"]["severity"], "major");
}

#[test]
fn explain_an_unknown_clause_exits_3_with_a_suggestion() {
    let output = conduct(&[
        "explain",
        "rules/regions",
        EXAMPLE,
        "working_hours.weekly_limt",
    ]);
    assert_eq!(code(&output), 3);
    assert!(
        stderr(&output).contains("did you mean `working_hours.weekly_limit`?"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn explain_unreadable_evidence_exits_3() {
    let output = conduct(&["explain", PACK, NOT_JSON, "working_hours.weekly_limit"]);
    assert!(
        stderr(&output).contains("not-json.json"),
        "{}",
        stderr(&output)
    );
    assert_eq!(code(&output), 3);
}

#[test]
fn explain_help_has_an_example() {
    let output = conduct(&["explain", "--help"]);
    assert_eq!(code(&output), 0);
    assert!(stdout(&output).contains(
        "conduct explain rules/regions examples/example-evidence.json working_hours.weekly_limit"
    ));
}

// ---------------------------------------------------------------------------------------------
// conduct fmt
// ---------------------------------------------------------------------------------------------

const MESSY: &str =
    "pack p \"P\" languages en\nclause a.b title en \"T\"   # the title\n  require 1<2\n";

#[test]
fn fmt_check_names_the_files_that_would_change_and_writes_nothing() {
    let dir = TempDir::new();
    let messy = dir.file("messy.conduct", MESSY.as_bytes());
    let tidy_text = conduct_with_stdin(&["fmt", "-"], Some(MESSY.as_bytes()));
    assert_eq!(code(&tidy_text), 0, "{}", stderr(&tidy_text));
    dir.file("tidy.conduct", stdout(&tidy_text).as_bytes());
    let out = conduct(&["fmt", "--check", path_str(&dir.0)]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        format!("would reformat {}\n", messy.display())
    );
    assert_eq!(std::fs::read_to_string(&messy).expect("readable"), MESSY);
}

#[test]
fn fmt_rewrites_files_then_check_passes() {
    let dir = TempDir::new();
    let messy = dir.file("messy.conduct", MESSY.as_bytes());
    let out = conduct(&["fmt", path_str(&messy)]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stdout(&out), format!("formatted {}\n", messy.display()));
    assert_eq!(
        std::fs::read_to_string(&messy).expect("readable"),
        "pack p \"P\"\n  languages en\n\nclause a.b\n  title en \"T\"  # the title\n  require 1 < 2\n"
    );
    let again = conduct(&["fmt", "--check", path_str(&messy)]);
    assert_eq!((code(&again), stdout(&again)), (0, String::new()));
}

#[test]
fn fmt_stdin_writes_standard_output() {
    let out = conduct_with_stdin(&["fmt", "-"], Some(MESSY.as_bytes()));
    assert_eq!(code(&out), 0);
    assert!(
        stdout(&out).starts_with("pack p \"P\"\n  languages en\n"),
        "{}",
        stdout(&out)
    );
    let check = conduct_with_stdin(&["fmt", "--check", "-"], Some(MESSY.as_bytes()));
    assert_eq!(
        (code(&check), stdout(&check)),
        (1, "would reformat <stdin>\n".to_string())
    );
}

#[test]
fn fmt_leaves_a_file_with_a_syntax_error_as_it_is_and_exits_3() {
    let dir = TempDir::new();
    let broken = dir.file("broken.conduct", b"clause a.b\n  require x >=\n");
    let good = dir.file("good.conduct", MESSY.as_bytes());
    let out = conduct(&["fmt", path_str(&dir.0)]);
    assert_eq!(code(&out), 3);
    let err = stderr(&out);
    assert!(err.contains(&format!("{}:2:", broken.display())), "{err}");
    assert!(err.contains('^'), "{err}");
    assert!(err.contains("was not formatted"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&broken).expect("readable"),
        "clause a.b\n  require x >=\n"
    );
    // The other file was still formatted.
    assert_ne!(std::fs::read_to_string(&good).expect("readable"), MESSY);
    let json = conduct(&["fmt", "--error-format", "json", path_str(&broken)]);
    assert_eq!(code(&json), 3);
    let diagnostics: serde_json::Value =
        serde_json::from_str(&stderr(&json)).expect("diagnostics as JSON");
    assert_eq!(diagnostics[0]["code"], "E101");
}

#[test]
fn fmt_of_a_missing_path_or_an_empty_folder_exits_3_with_one_line() {
    let out = conduct(&["fmt", "no/such/pack"]);
    assert_eq!(code(&out), 3);
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("no/such/pack"));
    let dir = TempDir::new();
    let out = conduct(&["fmt", path_str(&dir.0)]);
    assert_eq!(code(&out), 3);
    assert!(stderr(&out).contains("no rule files"), "{}", stderr(&out));
}

#[test]
fn the_shipped_pack_is_formatted() {
    let out = conduct(&["fmt", "--check", "rules/regions"]);
    assert_eq!(
        (code(&out), stdout(&out)),
        (0, String::new()),
        "{}",
        stderr(&out)
    );
}

#[test]
fn test_warns_about_clauses_no_fixture_covers() {
    let dir = TempDir::new();
    dir.file(
        "pack.conduct",
        b"pack demo \"Demo\" languages en\nevidence { hours: number }\n\
          clause hours.limit\n  title en \"Hours\"\n  require hours <= 60\n    message en \"{actual} hours\"\n\
          clause hours.records\n  title en \"Records\"\n  require exists(hours)\n    message en \"no hours\"\n",
    );
    std::fs::create_dir_all(dir.0.join("tests/hours.limit")).expect("a folder");
    dir.file(
        "tests/hours.limit/fine.json",
        br#"{ "description": "50 hours", "evidence": { "hours": 50 }, "expect": { "hours.limit": { "status": "compliant" } } }"#,
    );
    let out = conduct(&["test", path_str(&dir.0)]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("warning[W005]: clause `hours.records` has no test"),
        "{err}"
    );
    assert!(err.contains("pack.conduct:7:1"), "{err}");
    assert!(err.contains("^^^^^^^^^^^^^^^^^^^^"), "{err}");
    assert!(!err.contains("hours.limit` has no test"), "{err}");
    let quiet = conduct(&["test", "-q", path_str(&dir.0)]);
    assert_eq!((code(&quiet), stderr(&quiet)), (0, String::new()));
}

/// A pack whose fee clause waits for the workforce although nobody paid a fee (W007), and
/// whose hours clause is truly undecided without the hours.
const UNDECIDED_PACK: &[u8] = b"pack demo \"Demo\" languages en\n\
    evidence { fee_each: number, workers: number, hours: number }\n\
    clause fees.none\n  title en \"Fees\"\n  require workers * fee_each == 0\n    message en \"fees paid\"\n\
    clause hours.limit\n  title en \"Hours\"\n  require hours <= 60\n    message en \"{actual} hours\"\n";

#[test]
fn test_and_check_warn_about_clauses_the_evidence_at_hand_decides() {
    let dir = TempDir::new();
    dir.file("pack.conduct", UNDECIDED_PACK);
    std::fs::create_dir_all(dir.0.join("tests/fees.none")).expect("a folder");
    std::fs::create_dir_all(dir.0.join("tests/hours.limit")).expect("a folder");
    dir.file(
        "tests/fees.none/no-workforce.json",
        br#"{ "description": "nobody paid, workforce missing", "evidence": { "fee_each": 0 }, "expect": { "fees.none": { "status": "insufficient_evidence" } } }"#,
    );
    dir.file(
        "tests/hours.limit/no-hours.json",
        br#"{ "description": "hours missing", "evidence": { "fee_each": 0 }, "expect": { "hours.limit": { "status": "insufficient_evidence" } } }"#,
    );
    let out = conduct(&["test", path_str(&dir.0)]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("warning[W007]: clause `fees.none` is insufficient_evidence on "),
        "{err}"
    );
    assert!(
        err.contains(
            "no-workforce.json, but every completion of its missing evidence makes it compliant"
        ),
        "{err}"
    );
    assert!(err.contains("missing /workers;"), "{err}");
    assert_eq!(
        err.matches("W007").count(),
        1,
        "only the clause the evidence decides: {err}"
    );
    let off = conduct(&["test", "--no-completion-check", path_str(&dir.0)]);
    assert!(!stderr(&off).contains("W007"), "{}", stderr(&off));

    let evidence = dir.file("evidence.json", br#"{ "fee_each": 0 }"#);
    let checked = conduct(&[
        "check",
        "--completion-check",
        path_str(&dir.0),
        path_str(&evidence),
    ]);
    assert_eq!(
        code(&checked),
        2,
        "the report is unchanged: {}",
        stderr(&checked)
    );
    let err = stderr(&checked);
    assert_eq!(err.matches("warning[W007]").count(), 1, "{err}");
    assert!(err.contains("evidence.json, but every completion"), "{err}");
    let plain = conduct(&["check", path_str(&dir.0), path_str(&evidence)]);
    assert!(!stderr(&plain).contains("W007"));
    assert_eq!(stdout(&plain), stdout(&checked));
}

#[test]
fn fmt_diff_prints_what_would_change_and_writes_nothing() {
    let dir = TempDir::new();
    let messy = dir.file("messy.conduct", MESSY.as_bytes());
    let out = conduct(&["fmt", "--diff", path_str(&messy)]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let name = messy.display();
    assert_eq!(
        stdout(&out),
        format!(
            "--- {name}\n+++ {name}\n@@ -1,3 +1,6 @@\n-pack p \"P\" languages en\n\
             -clause a.b title en \"T\"   # the title\n-  require 1<2\n+pack p \"P\"\n\
             +  languages en\n+\n+clause a.b\n+  title en \"T\"  # the title\n+  require 1 < 2\n"
        )
    );
    assert_eq!(std::fs::read_to_string(&messy).expect("readable"), MESSY);
    let clean = conduct(&["fmt", "--diff", "rules/regions"]);
    assert_eq!((code(&clean), stdout(&clean)), (0, String::new()));
    let both = conduct(&["fmt", "--diff", "--check", "rules/regions"]);
    assert_eq!(code(&both), 3, "--diff and --check conflict");
}
