//! Tests of the shipped rule pack `rules/regions`.
//!
//! * The pack compiles without warnings.
//! * Every scenario under `rules/regions/tests/<clause_id>/<scenario>.json` (the pack's tests
//!   folder, run by `conduct::tools::testing::run_tests` as `conduct test rules/regions` does) gives
//!   the outcomes it expects. A scenario is a small evidence document and the expected outcome
//!   of the clauses it is about (other clauses are not checked); the format is documented in
//!   `conduct::tools::testing`:
//!
//!   ```json
//!   {
//!     "description": "A 14-year-old worker at a Chinese site (minimum 16)",
//!     "as_of": "2024-10-31",
//!     "evidence": { "schema_version": "1.0", "assessment": { "as_of": "2024-10-31" } },
//!     "expect": {
//!       "child_labour.minimum_age": {
//!         "status": "violated",
//!         "severity": "critical",
//!         "remediated": false,
//!         "paths": ["/sites/0/workers/0/date_of_birth"],
//!         "missing": [],
//!         "invalid": []
//!       }
//!     }
//!   }
//!   ```
//!
//!   `as_of` (optional) overrides the evaluation date the pack reads from the evidence. In
//!   `expect`, only `status` is required; `severity` (`null` for none), `remediated`, `paths`
//!   (the violations' JSON Pointers, in report order), `missing` (the exact sorted list) and
//!   `invalid` (the exact sorted list of paths) are checked when given. Unknown keys are
//!   rejected. Whatever a scenario expects, no clause of its report may end in `error`, and
//!   every scenario lives in a folder named after a clause it expects.
//! * Every clause has at least a compliant, a violated and an insufficient-evidence scenario.
//! * `examples/example-evidence.json` gives the report in `tests/packs/regions/example-report.json`
//!   (regenerate with `UPDATE_GOLDEN=1 cargo test --test packs`, after reading the changes).
#![cfg(feature = "tools")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

use conduct::tools::testing::{TestRun, run_tests};
use conduct::{Options, RulePack, Status};
use serde_json::Value;

/// The pack under test (relative to the crate root, where `cargo test` runs).
const PACK: &str = "rules/regions";
/// The scenarios of the pack.
const SCENARIOS: &str = "rules/regions/tests";
/// The full example evidence document.
const EXAMPLE: &str = "examples/example-evidence.json";
/// The golden report of the example.
const GOLDEN: &str = "tests/packs/regions/example-report.json";
/// The clauses these scenarios were first written for; the pack may define more, and the
/// coverage test then asks for their scenarios too.
const TESTED_CLAUSES: [&str; 8] = [
    "management.policy",
    "management.responsible_person",
    "child_labour.minimum_age",
    "child_labour.young_workers",
    "forced_labour.identity_documents",
    "forced_labour.recruitment_fees",
    "working_hours.weekly_limit",
    "wages.minimum_wage",
];
/// Set to `1` to rewrite the golden report.
const UPDATE_GOLDEN: &str = "UPDATE_GOLDEN";

fn load_pack() -> RulePack {
    match RulePack::load(PACK) {
        Ok(pack) => pack,
        Err(e) => panic!("the pack `{PACK}` does not compile:\n{e}"),
    }
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read `{}`: {e}", path.display()));
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("`{}` is not valid JSON: {e}", path.display()))
}

#[test]
fn pack_compiles_without_warnings() {
    let pack = load_pack();
    let warnings: Vec<String> = pack.warnings().iter().map(ToString::to_string).collect();
    assert!(
        warnings.is_empty(),
        "the pack `{PACK}` compiles with {} warning(s):\n\n{}",
        warnings.len(),
        warnings.join("\n\n")
    );
    let clauses: BTreeSet<&str> = pack.clause_ids().collect();
    let lacking: Vec<&str> = TESTED_CLAUSES
        .iter()
        .copied()
        .filter(|c| !clauses.contains(c))
        .collect();
    assert!(
        lacking.is_empty(),
        "the pack `{PACK}` no longer defines {lacking:?}"
    );
}

/// The completion check (W007) over the pack's fixtures: no clause is left
/// `insufficient_evidence` where every completion of its missing evidence gives one outcome
/// (issue 11: evidence that decides must decide).
#[test]
fn the_completion_check_finds_no_undecided_fixture() {
    let pack = load_pack();
    let warnings = conduct::tools::completion::check_fixtures(&pack, Path::new(SCENARIOS))
        .unwrap_or_else(|e| panic!("cannot run the completion check: {e}"));
    assert!(
        warnings.is_empty(),
        "W007 on the pack's fixtures:\n{}",
        warnings
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Runs every scenario of the pack through the library, as `conduct test` does.
fn run_scenarios(pack: &RulePack) -> TestRun {
    let run = run_tests(pack, Path::new(SCENARIOS))
        .unwrap_or_else(|e| panic!("cannot run the scenarios under `{SCENARIOS}`: {e}"));
    assert!(
        !run.fixtures.is_empty(),
        "no scenarios found under `{SCENARIOS}`"
    );
    run
}

#[test]
fn scenarios_give_the_expected_outcomes() {
    let pack = load_pack();
    let run = run_scenarios(&pack);
    let mut failures = Vec::new();
    let mut checked = 0usize;
    for fixture in &run.fixtures {
        let shown = &fixture.file;
        if let Some(line) = fixture.error_line() {
            failures.push(format!("{line}\n  not a scenario"));
            continue;
        }
        let mut problems = fixture.problems.clone();
        // The library accepts scenarios directly in the tests folder; this pack does not.
        let relative = Path::new(shown)
            .strip_prefix(SCENARIOS)
            .map(Path::to_path_buf)
            .unwrap_or_default();
        if relative.components().count() != 2 {
            problems.push("scenarios live in a folder named after their clause".into());
        }
        for clause in &fixture.clauses {
            if clause.actual.is_some() {
                checked += 1;
            }
            if !clause.passed {
                problems.push(format!(
                    "{}\n    {}",
                    clause.clause,
                    clause.diff.join("\n    ")
                ));
            }
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{shown} — {}\n  {}",
                fixture.description,
                problems.join("\n  ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} scenario file(s) do not give the expected outcomes \
         ({checked} clause outcomes checked):\n\n{}\n",
        failures.len(),
        run.fixtures.len(),
        failures.join("\n\n")
    );
    assert_eq!(run.failed(), 0);
}

#[test]
fn every_clause_has_compliant_violated_and_insufficient_scenarios() {
    let pack = load_pack();
    // Broken files are reported by `scenarios_give_the_expected_outcomes`.
    let coverage = run_scenarios(&pack).coverage(&pack);
    assert_eq!(
        coverage.len(),
        pack.clause_ids().count(),
        "coverage lists every clause of the pack"
    );
    let needed = [
        Status::Compliant,
        Status::Violated,
        Status::InsufficientEvidence,
    ];
    let mut gaps = Vec::new();
    for clause in &coverage {
        let lacking: Vec<&str> = needed
            .iter()
            .filter(|s| !clause.statuses.contains(s))
            .map(|s| s.as_str())
            .collect();
        if !lacking.is_empty() {
            gaps.push(format!(
                "{}: no scenario expecting {} (add one under {SCENARIOS}/{}/)",
                clause.clause,
                lacking.join(", "),
                clause.clause
            ));
        }
    }
    assert!(
        gaps.is_empty(),
        "clauses without scenarios:\n{}",
        gaps.join("\n")
    );
}

/// The library rejects what a hand-written scenario must not contain: unknown keys (a
/// misspelt expectation would otherwise be ignored), and reports them with line and column.
#[test]
fn malformed_scenarios_are_errors_with_line_and_column() {
    let pack = load_pack();
    let dir = std::env::temp_dir().join(format!("conduct-packs-malformed-{}", std::process::id()));
    let folder = dir.join("management.policy");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("typo.json"),
        "{\n  \"description\": \"typo\",\n  \"evidence\": {},\n  \"expect\": { \"management.policy\": { \"status\": \"violated\", \"severty\": \"major\" } }\n}\n",
    )
    .unwrap();
    std::fs::write(folder.join("not-json.json"), "{ \"description\": ").unwrap();
    let run = run_tests(&pack, &dir).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(run.fixtures.len(), 2);
    assert_eq!(run.errors(), 2);
    assert_eq!(run.failed(), 2);
    let lines: Vec<String> = run.fixtures.iter().filter_map(|f| f.error_line()).collect();
    assert!(lines[0].contains("not-json.json:1:"), "{}", lines[0]);
    assert!(
        lines[1].contains("typo.json:4:") && lines[1].contains("unknown field `severty`"),
        "{}",
        lines[1]
    );
}

/// Lists where two JSON values differ, as JSON Pointers, up to `limit` entries.
fn json_diff(path: &str, expected: &Value, actual: &Value, out: &mut Vec<String>, limit: usize) {
    if out.len() >= limit || expected == actual {
        return;
    }
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            let keys: BTreeSet<&String> = e.keys().chain(a.keys()).collect();
            for k in keys {
                let p = format!("{path}/{}", k.replace('~', "~0").replace('/', "~1"));
                match (e.get(k), a.get(k)) {
                    (Some(x), Some(y)) => json_diff(&p, x, y, out, limit),
                    (Some(x), None) => out.push(format!("{p}: removed (was {})", snippet(x))),
                    (None, Some(y)) => out.push(format!("{p}: added {}", snippet(y))),
                    (None, None) => {}
                }
                if out.len() >= limit {
                    return;
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            for i in 0..e.len().max(a.len()) {
                let p = format!("{path}/{i}");
                match (e.get(i), a.get(i)) {
                    (Some(x), Some(y)) => json_diff(&p, x, y, out, limit),
                    (Some(x), None) => out.push(format!("{p}: removed (was {})", snippet(x))),
                    (None, Some(y)) => out.push(format!("{p}: added {}", snippet(y))),
                    (None, None) => {}
                }
                if out.len() >= limit {
                    return;
                }
            }
        }
        _ => out.push(format!(
            "{}: expected {}, got {}",
            if path.is_empty() { "(root)" } else { path },
            snippet(expected),
            snippet(actual)
        )),
    }
}

fn snippet(v: &Value) -> String {
    let text = v.to_string();
    if text.chars().count() > 160 {
        let cut: String = text.chars().take(160).collect();
        format!("{cut}…")
    } else {
        text
    }
}

#[test]
fn example_evidence_gives_the_golden_report() {
    let pack = load_pack();
    let evidence = read_json(Path::new(EXAMPLE));
    let report = pack.evaluate(&evidence, &Options::default());
    let actual = serde_json::to_value(&report).expect("the report serializes");
    if std::env::var(UPDATE_GOLDEN).is_ok_and(|v| v == "1") {
        let mut text = serde_json::to_string_pretty(&actual).expect("the report serializes");
        text.push('\n');
        std::fs::write(GOLDEN, text).unwrap_or_else(|e| panic!("cannot write `{GOLDEN}`: {e}"));
        eprintln!("wrote {GOLDEN}");
        return;
    }
    let regenerate = format!(
        "read the changes, then regenerate with `{UPDATE_GOLDEN}=1 cargo test --test packs \
         example_evidence_gives_the_golden_report`"
    );
    if !Path::new(GOLDEN).exists() {
        panic!("there is no golden report `{GOLDEN}`: {regenerate}");
    }
    let expected = read_json(Path::new(GOLDEN));
    if expected != actual {
        let mut diffs = Vec::new();
        json_diff("", &expected, &actual, &mut diffs, 40);
        let mut message = format!(
            "`{EXAMPLE}` no longer gives the report in `{GOLDEN}`.\nDifferences (golden → now), \
             as JSON Pointers into the report:\n"
        );
        for d in &diffs {
            let _ = writeln!(message, "  {d}");
        }
        if diffs.len() >= 40 {
            message.push_str("  … (more differences not shown)\n");
        }
        let _ = write!(
            message,
            "If every change is intended (a rule edit moves `rule` locations and changes \
             `pack.digest`), {regenerate}."
        );
        panic!("{message}");
    }
}

/// `examples/clean-supplier.json` is the README's compliant supplier: every clause compliant
/// (one remediated), so a rule change that makes it fail is seen at once.
#[test]
fn the_clean_supplier_is_compliant_on_every_clause() {
    let pack = load_pack();
    let evidence = read_json(Path::new("examples/clean-supplier.json"));
    let report = pack.evaluate(&evidence, &Options::default());
    let not_compliant: Vec<String> = report
        .outcomes
        .iter()
        .filter(|o| o.status != conduct::Status::Compliant)
        .map(|o| {
            format!(
                "{}: {:?} {:?} {:?}",
                o.clause, o.status, o.missing, o.violations
            )
        })
        .collect();
    assert!(not_compliant.is_empty(), "{not_compliant:#?}");
    assert_eq!(report.outcomes.len(), 39);
    assert_eq!(report.verdict, conduct::Verdict::Compliant);
}
