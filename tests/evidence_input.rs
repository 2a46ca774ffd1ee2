//! Evidence `serde_json` cannot hold (issue 12, "Input"): a number out of the range of `f64`
//! (`1e400`), a non-zero number that would read as `0` (`1e-400`) and nesting deeper than its
//! recursion limit are invalid evidence at their pointers for the clauses that read them, and
//! only for those; the rest of the document is evaluated and the report is always kept.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::{Duration, Instant};

use conduct::pack::EvalLimits;
use conduct::pack::evidence::{self, Document, ReadError};
use conduct::{Options, Report, RulePack, Status};
use serde_json::{Value, json};

const PACK: &str = r#"pack p "P" languages en
evidence { fee: number, name: string, a: { b: { c: { d: number } } }, left: any, right: any }

clause c.fee
  title en "Fee"
  require fee < 100
    message en "fee {actual}"

clause c.name
  title en "Name"
  require name != ""
    message en "no name"

clause c.deep
  title en "Deep"
  require a.b.c.d > 0
    message en "d is {actual}"

clause c.same
  title en "Same"
  require left == right
    message en "left is {actual}"
"#;

fn pack() -> RulePack {
    RulePack::builder().file("p.conduct", PACK).build().unwrap()
}

fn doc(text: &str) -> Document {
    evidence::parse(text.as_bytes(), 1).unwrap()
}

/// The report on a document read by the evidence reader, its replaced values passed on.
fn report(text: &str) -> Report {
    let doc = doc(text);
    pack().evaluate(doc.value(), &Options::default().replaced(doc.replaced()))
}

fn json_text(report: &Report) -> String {
    serde_json::to_string_pretty(report).unwrap()
}

fn replaced(doc: &Document) -> Vec<(String, String)> {
    doc.replaced()
        .iter()
        .map(|r| (r.pointer().to_string(), r.reason().to_string()))
        .collect()
}

fn invalid(report: &Report, clause: &str) -> Vec<(String, String)> {
    let outcome = report.outcome(clause).unwrap();
    outcome
        .invalid
        .iter()
        .map(|i| (i.path.clone(), i.reason.clone()))
        .collect()
}

/// `depth` arrays nested in one another, around `inner`.
fn nested(depth: usize, inner: &str) -> String {
    format!("{}{inner}{}", "[".repeat(depth), "]".repeat(depth))
}

const GOOD: &str =
    r#"{"fee": 12, "name": "Acme", "a": {"b": {"c": {"d": 1}}}, "left": [1], "right": [1]}"#;

// -------------------------------------------------------------------------------------------
// The reader
// -------------------------------------------------------------------------------------------

#[test]
fn numbers_out_of_range_are_null_and_listed_with_their_pointers() {
    let doc = doc(r#"{"fee": 1e400, "xs": [1, -1e400, 2.5E+999], "tiny": 1e-400, "zero": 0e-999}"#);
    assert_eq!(doc.value()["fee"], Value::Null);
    assert_eq!(doc.value()["xs"], json!([1, null, null]));
    assert_eq!(doc.value()["tiny"], Value::Null);
    // Zero written with any exponent is zero: nothing is lost.
    assert_eq!(doc.value()["zero"], json!(0.0));
    assert_eq!(
        replaced(&doc),
        [
            ("/fee".into(), "number `1e400` is out of range".into()),
            ("/xs/1".into(), "number `-1e400` is out of range".into()),
            ("/xs/2".into(), "number `2.5E+999` is out of range".into()),
            (
                "/tiny".into(),
                "number `1e-400` has more decimal places than the 22 the rules compare exactly"
                    .into()
            ),
        ]
    );
    assert_eq!(
        doc.replaced()[0].to_string(),
        "/fee: number `1e400` is out of range"
    );
}

#[test]
fn an_integer_of_400_digits_is_out_of_range_and_its_reason_is_short() {
    let digits = "9".repeat(400);
    let doc = doc(&format!(r#"{{"n": {digits}}}"#));
    assert_eq!(
        replaced(&doc),
        [(
            "/n".into(),
            format!("number `{}…` is out of range", "9".repeat(32))
        )]
    );
}

#[test]
fn pointers_unescape_keys_then_escape_tilde_and_slash() {
    let doc = doc(r#"{"a/b": {"c~d": 1e400}, "\u0065\n": {"\"q\"": [1e400]}, "~1": 1e999}"#);
    let pointers: Vec<String> = replaced(&doc).into_iter().map(|(p, _)| p).collect();
    assert_eq!(pointers, ["/a~1b/c~0d", "/e\n/\"q\"/0", "/~01"]);
}

#[test]
fn nesting_past_the_reader_limit_is_cut_at_the_first_level_too_deep() {
    let text = format!(r#"{{"deep": {}, "x": 1}}"#, nested(200, "1e400"));
    let doc = doc(&text);
    // The root object is level 1, `deep` level 2, ...: the container at level 128 is cut.
    let pointer = format!("/deep{}", "/0".repeat(126));
    assert_eq!(
        replaced(&doc),
        [(pointer.clone(), "nested deeper than 127 levels".into())]
    );
    assert_eq!(doc.value().pointer(&pointer), Some(&Value::Null));
    assert_eq!(doc.value()["x"], 1);
    // 127 levels are read as they are.
    let text = format!(r#"{{"deep": {}}}"#, nested(126, "1e400"));
    let doc = evidence::parse(text.as_bytes(), 1).unwrap();
    let pointer = format!("/deep{}", "/0".repeat(126));
    assert_eq!(
        replaced(&doc),
        [(pointer, "number `1e400` is out of range".into())]
    );
}

#[test]
fn a_million_nested_arrays_are_read_without_recursion_in_linear_time() {
    let time = |depth: usize| {
        let text = format!(r#"{{"deep": {}}}"#, nested(depth, ""));
        let start = Instant::now();
        let doc = evidence::parse(text.as_bytes(), 1).unwrap();
        assert_eq!(doc.replaced().len(), 1);
        start.elapsed()
    };
    let small = time(100_000);
    let large = time(1_000_000);
    // Ten times the input: about ten times the time, far from a hundred.
    assert!(
        large < small * 40 + Duration::from_millis(200),
        "{small:?} → {large:?}"
    );
    // Unclosed, or as the whole document: an error, no crash.
    let error = evidence::parse("[".repeat(1_000_000).as_bytes(), 1).unwrap_err();
    assert_eq!(
        error.to_string(),
        "EOF while parsing a list at line 1 column 1000001"
    );
    let error = evidence::parse(nested(1_000_000, "").as_bytes(), 1).unwrap_err();
    assert!(matches!(
        error,
        ReadError::NotAnObject { found: "an array" }
    ));
}

#[test]
fn text_that_is_not_json_is_still_an_error_at_its_position() {
    let error = |text: &str| evidence::parse(text.as_bytes(), 1).unwrap_err().to_string();
    // After a replaced number, serde_json's own message at the same place.
    assert_eq!(
        error(r#"{"a": 1e400, "b": }"#),
        error(r#"{"a": 12345, "b": }"#)
    );
    assert_eq!(
        error("{\"a\": 1e400,\n \"b\": tru}"),
        error("{\"a\": 12345,\n \"b\": tru}"),
    );
    assert_eq!(
        error("{\"a\": 1e400,\n \"b\": tru}"),
        "expected ident at line 2 column 10"
    );
    // After a cut `[]` of two bytes (written `null`), the column is the input's.
    let text = format!(r#"{{"d": {}, "b": x}}"#, nested(127, ""));
    let column = text.find('x').unwrap() + 1;
    assert_eq!(
        error(&text),
        format!("expected value at line 1 column {column}")
    );
    // Inside a value cut for its depth, which serde_json never sees.
    let text = format!("{{\"d\": {}}}", nested(130, "1,,2"));
    let column = text.find(",,").unwrap() + 2;
    assert_eq!(
        error(&text),
        format!("expected value at line 1 column {column}")
    );
    let text = format!("{{\"d\": {}}}", nested(130, "\"\\q\""));
    assert!(error(&text).starts_with("invalid escape at line 1"));
    // A pretty-printed deep value keeps every line number.
    let text = format!(
        "{{\"d\": {},\n \"b\": }}",
        nested(130, "\n1\n").replace("[[", "[\n[")
    );
    let line = text.matches('\n').count() + 1;
    assert!(line > 60);
    assert_eq!(
        error(&text),
        format!("expected value at line {line} column 7")
    );
}

#[test]
fn duplicate_keys_are_still_found_next_to_replaced_values() {
    let doc = doc("{\"a\": 1e400,\n \"a\": 2}");
    assert_eq!(
        doc.duplicate_keys()[0].to_string(),
        r#"duplicate key "a" at line 2 column 2; the last value is used"#
    );
    assert_eq!(doc.value()["a"], 2);
    assert_eq!(replaced(&doc).len(), 1);
}

#[test]
fn what_serde_json_reads_is_read_the_same() {
    let texts = [
        GOOD,
        r#"{"n": 123456789012345678901234567890, "f": 1e-30, "e": "\ud83d\ude00", "u": "é"}"#,
        r#"{ "a" : [ { } , [ ] , -0.0e+5 , true , false , null ] }"#,
    ];
    for text in texts {
        let doc = doc(text);
        assert!(doc.replaced().is_empty(), "{text}");
        assert_eq!(
            doc.value(),
            &serde_json::from_str::<Value>(text).unwrap(),
            "{text}"
        );
    }
}

// -------------------------------------------------------------------------------------------
// Evaluation
// -------------------------------------------------------------------------------------------

#[test]
fn an_unread_bad_value_changes_nothing_in_the_report() {
    let bad = format!(
        r#"{{"fee": 12, "name": "Acme", "a": {{"b": {{"c": {{"d": 1}}}}}}, "left": [1],
            "right": [1], "huge": 1e400, "tiny": [-1e-400], "deep": {}}}"#,
        nested(200, "1")
    );
    assert_eq!(doc(&bad).replaced().len(), 3);
    assert_eq!(json_text(&report(&bad)), json_text(&report(GOOD)));
}

#[test]
fn a_read_bad_number_is_invalid_at_its_pointer_and_other_clauses_decide() {
    for (number, reason) in [
        ("1e400", "number `1e400` is out of range"),
        ("-1e400", "number `-1e400` is out of range"),
        (
            "1e-400",
            "number `1e-400` has more decimal places than the 22 the rules compare exactly",
        ),
    ] {
        let report = report(&GOOD.replace("\"fee\": 12", &format!("\"fee\": {number}")));
        let fee = report.outcome("c.fee").unwrap();
        assert_eq!(fee.status, Status::InsufficientEvidence, "{number}");
        assert!(fee.missing.is_empty());
        assert_eq!(invalid(&report, "c.fee"), [("/fee".into(), reason.into())]);
        for clause in ["c.name", "c.deep", "c.same"] {
            assert_eq!(
                report.outcome(clause).unwrap().status,
                Status::Compliant,
                "{clause}"
            );
        }
    }
    // As a 60-digit integer (which serde_json reads) already was.
    let report = report(&GOOD.replace("\"fee\": 12", &format!("\"fee\": {}", "9".repeat(60))));
    assert_eq!(invalid(&report, "c.fee")[0].0, "/fee");
}

#[test]
fn a_value_declared_invalid_covers_what_is_read_below_it() {
    let evidence = json!({"fee": 1, "name": "Acme", "a": null, "left": 1, "right": 1});
    let options = Options::default().invalid_evidence("/a", "nested deeper than 127 levels");
    let report = pack().evaluate(&evidence, &options);
    assert_eq!(
        invalid(&report, "c.deep"),
        [("/a".into(), "nested deeper than 127 levels".into())]
    );
    assert_eq!(report.outcome("c.fee").unwrap().status, Status::Compliant);
    // A pointer the evidence does not lead to, or a present value, is not affected.
    let options = Options::default()
        .invalid_evidence("/a/b/x", "r")
        .invalid_evidence("/fee", "r");
    let report = pack().evaluate(&evidence, &options);
    assert_eq!(report.outcome("c.fee").unwrap().status, Status::Compliant);
    let deep = report.outcome("c.deep").unwrap();
    assert!(deep.invalid.is_empty());
    assert_eq!(deep.missing[0].path, "/a");
}

#[test]
fn evidence_deeper_than_the_limit_fails_only_the_clauses_that_read_that_deep() {
    let evidence: Value = serde_json::from_str(GOOD).unwrap();
    // `/a/b/c` is an object four levels deep (the document is level 1).
    let options = Options::default().limits(EvalLimits::default().max_evidence_depth(3));
    let report = pack().evaluate(&evidence, &options);
    assert_eq!(
        invalid(&report, "c.deep"),
        [("/a/b/c".into(), "nested deeper than 3 levels".into())]
    );
    for clause in ["c.fee", "c.name", "c.same"] {
        let outcome = report.outcome(clause).unwrap();
        assert_eq!(outcome.status, Status::Compliant, "{clause}");
    }
    // Four levels are enough.
    let options = Options::default().limits(EvalLimits::default().max_evidence_depth(4));
    let report = pack().evaluate(&evidence, &options);
    assert_eq!(report.outcome("c.deep").unwrap().status, Status::Compliant);
}

#[test]
fn evidence_built_in_memory_nests_without_limit_and_nothing_recurses_on_it() {
    // Deeper than any stack could recurse on: read, compared and shown, never walked whole.
    let deep = |leaf: i64| {
        let mut v = json!(leaf);
        for _ in 0..100_000 {
            v = Value::Array(vec![v]);
        }
        v
    };
    let mut evidence: Value = serde_json::from_str(GOOD).unwrap();
    evidence["left"] = deep(1);
    evidence["right"] = deep(1);
    evidence["unread"] = deep(1);
    let report = pack().evaluate(&evidence, &Options::default());
    assert!(
        report
            .outcomes
            .iter()
            .all(|o| o.status == Status::Compliant)
    );
    // Unequal at the bottom: the violation shows `left` down to the depth a report shows.
    std::mem::forget(std::mem::replace(&mut evidence["right"], deep(2)));
    let report = pack().evaluate(&evidence, &Options::default());
    let same = report.outcome("c.same").unwrap();
    assert_eq!(same.status, Status::Violated);
    let text = serde_json::to_string(&report).unwrap();
    assert!(text.len() < 100_000, "{}", text.len());
    assert!(report.outcome("c.fee").unwrap().status == Status::Compliant);
    // serde_json drops a `Value` by recursion: leave these to the end of the process.
    std::mem::forget(evidence);
    std::mem::forget(report);
}

// -------------------------------------------------------------------------------------------
// The command line
// -------------------------------------------------------------------------------------------

#[cfg(feature = "cli")]
#[path = "support/process.rs"]
mod process;

#[cfg(feature = "cli")]
mod cli {
    use super::nested;
    use super::process::{TempDir, code, conduct, stderr, stdout};

    const PACK: &str = "tests/cli/pack";
    const COMPLIANT: &str = "tests/cli/compliant.json";

    #[test]
    fn an_unread_bad_value_gives_the_same_report_and_exit() {
        let good = std::fs::read_to_string(COMPLIANT).unwrap();
        let bad = good.replacen(
            "\"workers\"",
            &format!(
                "\"huge\": 1e400, \"tiny\": -1e-400, \"deep\": {},\n  \"workers\"",
                nested(200, "1")
            ),
            1,
        );
        let dir = TempDir::new();
        let path = dir.file_str("bad.json", bad.as_bytes());
        let expected = conduct(&["check", PACK, COMPLIANT, "--format", "json"]);
        let out = conduct(&["check", PACK, &path, "--format", "json"]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        assert_eq!(stdout(&out), stdout(&expected));
        assert_eq!(stderr(&out), "");
    }

    #[test]
    fn a_read_bad_number_is_insufficient_evidence_for_its_clause_only() {
        let good = std::fs::read_to_string(COMPLIANT).unwrap();
        let bad = good.replace("\"hours\": 55", "\"hours\": 1e400");
        let dir = TempDir::new();
        let path = dir.file_str("bad.json", bad.as_bytes());
        let out = conduct(&["check", PACK, &path, "--format", "json"]);
        assert_eq!(code(&out), 2, "{}", stderr(&out));
        let reports: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        let outcomes = reports[0]["outcomes"].as_array().unwrap();
        let hours = outcomes
            .iter()
            .find(|o| o["clause"] == "working_hours.weekly_limit")
            .unwrap();
        assert_eq!(hours["status"], "insufficient_evidence");
        assert_eq!(hours["invalid"][0]["path"], "/workers/1/hours");
        assert_eq!(
            hours["invalid"][0]["reason"],
            "number `1e400` is out of range"
        );
        let age = outcomes
            .iter()
            .find(|o| o["clause"] == "child_labour.minimum_age")
            .unwrap();
        assert_eq!(age["status"], "compliant");
    }
}
