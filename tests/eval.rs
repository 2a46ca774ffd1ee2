#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Evaluation cases: `tests/cases/eval/*.case` hold rules, a `--- evidence` line, the evidence
//! JSON, and optionally a `--- options` line with `as_of = …`, `lang = …`, `param NAME = VALUE`.
//! Each produces a snapshot of the verdict and the outcomes.

use conduct::report::Date;
use conduct::{Options, RulePack};

fn run_case(text: &str) -> serde_json::Value {
    let (rules, rest) = text
        .split_once("\n--- evidence\n")
        .expect("case has a `--- evidence` line");
    let (evidence, options) = match rest.split_once("\n--- options\n") {
        Some((e, o)) => (e, o),
        None => (rest, ""),
    };
    let pack = match RulePack::builder().file("case.conduct", rules).build() {
        Ok(p) => p,
        Err(e) => panic!("rules do not compile:\n{e}"),
    };
    let evidence: serde_json::Value = serde_json::from_str(evidence).expect("evidence is JSON");
    let mut opts = Options::default();
    for line in options.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (key, value) = line.split_once('=').expect("option is `key = value`");
        let (key, value) = (key.trim(), value.trim());
        opts = match key {
            "as_of" => opts.as_of(Date::parse(value).expect("as_of is a date")),
            "lang" => opts.language(value),
            k if k.starts_with("param ") => {
                opts.param(k.trim_start_matches("param ").trim(), value)
            }
            other => panic!("unknown option `{other}`"),
        };
    }
    let report = pack.evaluate(&evidence, &opts);
    // Determinism: evaluating again gives the same report.
    assert_eq!(report, pack.evaluate(&evidence, &opts));
    let mut out = serde_json::json!({
        "verdict": report.verdict,
        "as_of": report.as_of,
        "params": report.params,
        "summary": report.summary,
        "outcomes": report.outcomes,
    });
    // Only the cases where an evidence field decided a parameter show the field.
    if !report.params_from_evidence.is_empty() {
        out["params_from_evidence"] = serde_json::to_value(&report.params_from_evidence).unwrap();
    }
    out
}

#[test]
fn eval_cases() {
    insta::glob!("cases/eval/*.case", |path| {
        let text = std::fs::read_to_string(path).expect("readable case");
        let description = text
            .lines()
            .next()
            .unwrap_or("")
            .trim_start_matches('#')
            .trim()
            .to_string();
        insta::with_settings!({ description => description, omit_expression => true }, {
            insta::assert_json_snapshot!(run_case(&text));
        });
    });
}
