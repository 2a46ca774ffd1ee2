//! How `conduct check` reads its inputs and names its mistakes (issue 12, "Input" and
//! "Errors"): the output format never changes how input is read, NDJSON is chosen by extension,
//! flag or (standard input) by its first bytes, an empty batch is an error, `--format json` is
//! always an array, and arguments in the wrong order, a folder that is not a pack and an
//! impossible date each get a message that says so.
#![cfg(feature = "cli")]
#![allow(
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test fails loudly when the output is not what it expects"
)]

#[path = "support/process.rs"]
mod process;

use std::process::Output;

use process::{TempDir, code, conduct, conduct_with_stdin, path_str, stderr, stdout};

const REGIONS: &str = "rules/regions";
const EXAMPLE: &str = "examples/example-evidence.json";
const PACK: &str = "tests/cli/pack";
const COMPLIANT: &str = "tests/cli/compliant.json";
const VIOLATING: &str = "tests/cli/violating.json";

/// The NDJSON lines of standard output.
fn lines(output: &Output) -> Vec<serde_json::Value> {
    stdout(output)
        .lines()
        .map(|l| serde_json::from_str(l).expect("every line is JSON"))
        .collect()
}

/// Standard output as a JSON array.
fn array(output: &Output) -> Vec<serde_json::Value> {
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("stdout is JSON");
    value.as_array().expect("always an array").clone()
}

/// One document a line, compact.
fn compact(path: &str) -> String {
    let text = std::fs::read_to_string(path).expect("fixture");
    let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    serde_json::to_string(&value).expect("serializes")
}

// ---------------------------------------------------------------------------------------------
// Input
// ---------------------------------------------------------------------------------------------

#[test]
fn ndjson_output_does_not_line_split_a_pretty_printed_file() {
    let out = conduct(&["check", REGIONS, EXAMPLE, "--format", "ndjson"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let reports = lines(&out);
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0]["format"], "conduct-report/2");
    assert_eq!(reports[0]["verdict"], "non_compliant");
}

#[test]
fn pretty_printed_standard_input_is_one_document_whatever_the_output_format() {
    let text = std::fs::read(VIOLATING).expect("fixture");
    let out = conduct_with_stdin(&["check", PACK, "-", "--format", "ndjson"], Some(&text));
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert_eq!(lines(&out).len(), 1);
}

#[test]
fn jsonl_files_are_one_document_a_line() {
    let dir = TempDir::new();
    let body = format!("{}\n{}\n", compact(COMPLIANT), compact(VIOLATING));
    let file = dir.file("batch.jsonl", body.as_bytes());
    let out = conduct(&["check", PACK, path_str(&file), "--format", "json"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let verdicts: Vec<String> = array(&out)
        .iter()
        .map(|r| r["verdict"].to_string())
        .collect();
    assert_eq!(verdicts, ["\"compliant\"", "\"non_compliant\""]);
}

#[test]
fn standard_input_of_one_compact_document_a_line_is_sniffed_as_ndjson() {
    let body = format!("{}\n\n{}\n", compact(COMPLIANT), compact(VIOLATING));
    let out = conduct_with_stdin(
        &["check", PACK, "-", "--format", "json"],
        Some(body.as_bytes()),
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let reports = array(&out);
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0]["verdict"], "compliant");
    assert_eq!(reports[1]["verdict"], "non_compliant");
}

#[test]
fn the_input_flag_overrides_the_extension_and_the_sniffing() {
    // A pretty-printed document in a `.ndjson` file, read whole.
    let dir = TempDir::new();
    let pretty = std::fs::read(VIOLATING).expect("fixture");
    let file = dir.file("one.ndjson", &pretty);
    let out = conduct(&["check", PACK, path_str(&file), "--input", "json"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    // A single compact line on standard input, read as a batch: its report is labelled.
    let body = compact(COMPLIANT);
    let out = conduct_with_stdin(
        &["check", PACK, "-", "--input", "ndjson"],
        Some(body.as_bytes()),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Document: <stdin>:1\n"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn an_empty_batch_exits_3_with_a_message() {
    let dir = TempDir::new();
    let file = dir.file("empty.ndjson", b"\n  \n");
    let name = path_str(&file).to_string();
    let out = conduct(&["check", PACK, &name]);
    assert_eq!(code(&out), 3, "{}", stdout(&out));
    assert_eq!(
        stderr(&out),
        format!("error: {name}: no evidence documents (the batch is empty)\n")
    );
    let out = conduct(&["check", PACK, &name, "--format", "json"]);
    assert_eq!(code(&out), 3);
    let records = array(&out);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["format"], "conduct-error/1");
    assert_eq!(records[0]["file"], name.as_str());
}

#[test]
fn json_output_is_an_array_whatever_the_number_of_documents() {
    let one = conduct(&["check", PACK, VIOLATING, "--format", "json"]);
    assert_eq!(code(&one), 1);
    let reports = array(&one);
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0]["verdict"], "non_compliant");
    let two = conduct(&["check", PACK, COMPLIANT, VIOLATING, "--format", "json"]);
    assert_eq!(array(&two).len(), 2);
    // An unreadable single document still has its record.
    let bad = conduct(&["check", PACK, "tests/cli/not-json.json", "--format", "json"]);
    assert_eq!(code(&bad), 3);
    let records = array(&bad);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["format"], "conduct-error/1");
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

#[test]
fn pack_and_evidence_in_the_wrong_order_get_a_hint() {
    let out = conduct(&["check", EXAMPLE, REGIONS]);
    assert_eq!(code(&out), 3);
    assert_eq!(stdout(&out), "");
    let err = stderr(&out);
    assert!(!err.contains("E101"), "{err}");
    assert!(
        err.contains("the first argument is the pack, the others the evidence"),
        "{err}"
    );
    assert!(
        err.contains(&format!("conduct check {REGIONS} {EXAMPLE}")),
        "{err}"
    );
    // The same for `explain`.
    let out = conduct(&["explain", EXAMPLE, REGIONS, "child_labour.minimum_age"]);
    assert_eq!(code(&out), 3);
    assert!(
        stderr(&out).contains("the first argument is the pack"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_folder_that_is_not_a_pack_says_so_without_a_location() {
    let out = conduct(&["check", "tests/cli", COMPLIANT]);
    assert_eq!(code(&out), 3);
    let err = stderr(&out);
    assert!(
        err.starts_with("error: `tests/cli` is not a pack: it has no `pack.conduct`"),
        "{err}"
    );
    assert!(!err.contains("-->"), "{err}");
    assert!(
        err.contains("tests/cli/pack"),
        "a pack below is suggested: {err}"
    );
}

#[test]
fn an_impossible_date_is_not_a_date_rather_than_the_wrong_form() {
    let out = conduct(&["check", PACK, VIOLATING, "--as-of", "2024-02-30"]);
    assert_eq!(code(&out), 3);
    let err = stderr(&out);
    assert!(
        err.contains("`2024-02-30` is not a date: February 2024 has 29 days"),
        "{err}"
    );
    let out = conduct(&["check", PACK, VIOLATING, "--as-of", "30.02.2024"]);
    assert_eq!(code(&out), 3);
    assert!(
        stderr(&out).contains("in the form YYYY-MM-DD"),
        "{}",
        stderr(&out)
    );
}
