//! Tests of the shipped rule pack `rules/regions`.
//!
//! * The pack compiles without warnings.
//! * Every scenario under `tests/packs/regions/<clause_id>/<scenario>.json` gives the outcomes
//!   it expects. A scenario is a small evidence document and the expected outcome of the
//!   clauses it is about (other clauses are not checked):
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
//!   `invalid` (the exact sorted list of paths) are checked when given. Whatever a scenario
//!   expects, no clause of its report may end in `error`.
//! * Every clause has at least a compliant, a violated and an insufficient-evidence scenario.
//! * `examples/example-evidence.json` gives the report in `tests/packs/regions/example-report.json`
//!   (regenerate with `UPDATE_GOLDEN=1 cargo test --test packs`, after reading the changes).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use conduct::{Date, Options, Outcome, RulePack, Severity, Status};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// The pack under test (relative to the crate root, where `cargo test` runs).
const PACK: &str = "rules/regions";
/// The scenarios of the pack.
const SCENARIOS: &str = "tests/packs/regions";
/// The full example evidence document.
const EXAMPLE: &str = "examples/example-evidence.json";
/// The golden report of the example, beside the scenarios.
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

/// Reads a field that may be given as `null`: absent → `None`, `null` → `Some(None)`.
fn present<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

/// One scenario file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Scenario {
    description: String,
    #[serde(default)]
    as_of: Option<String>,
    evidence: Value,
    expect: BTreeMap<String, Expect>,
}

/// What one clause should give.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    status: Status,
    #[serde(default, deserialize_with = "present")]
    severity: Option<Option<Severity>>,
    #[serde(default)]
    remediated: Option<bool>,
    #[serde(default)]
    paths: Option<Vec<String>>,
    #[serde(default)]
    missing: Option<Vec<String>>,
    #[serde(default)]
    invalid: Option<Vec<String>>,
}

/// Every scenario file, sorted, with the golden report left out.
fn scenario_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let entries = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("cannot list `{}`: {e}", dir.display()));
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "json") && path != Path::new(GOLDEN) {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(Path::new(SCENARIOS), &mut files);
    files.sort();
    assert!(!files.is_empty(), "no scenarios found under `{SCENARIOS}`");
    files
}

fn load_scenario(path: &Path) -> Result<Scenario, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    let scenario: Scenario =
        serde_json::from_str(&text).map_err(|e| format!("not a scenario: {e}"))?;
    if scenario.expect.is_empty() {
        return Err("`expect` names no clause".into());
    }
    Ok(scenario)
}

/// The clause folder a scenario lives in (`…/regions/<clause_id>/<scenario>.json`).
fn folder_clause(path: &Path) -> Option<String> {
    let parent = path.parent()?;
    if parent == Path::new(SCENARIOS) {
        return None;
    }
    parent.file_name().map(|n| n.to_string_lossy().into_owned())
}

fn show_severity(s: Option<Severity>) -> &'static str {
    s.map_or("null", Severity::as_str)
}

fn show_list(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_default()
}

/// The differences between what a clause gave and what the scenario expects.
fn compare(expect: &Expect, outcome: &Outcome) -> Vec<String> {
    let mut diffs = Vec::new();
    if outcome.status != expect.status {
        diffs.push(format!(
            "status: expected {}, got {}",
            expect.status.as_str(),
            outcome.status.as_str()
        ));
    }
    if let Some(severity) = expect.severity
        && outcome.severity != severity
    {
        diffs.push(format!(
            "severity: expected {}, got {}",
            show_severity(severity),
            show_severity(outcome.severity)
        ));
    }
    if let Some(remediated) = expect.remediated
        && outcome.remediated != remediated
    {
        diffs.push(format!(
            "remediated: expected {remediated}, got {}",
            outcome.remediated
        ));
    }
    if let Some(paths) = &expect.paths {
        let actual: Vec<String> = outcome.violations.iter().map(|v| v.path.clone()).collect();
        if &actual != paths {
            diffs.push(format!(
                "paths: expected {}, got {}",
                show_list(paths),
                show_list(&actual)
            ));
        }
    }
    if let Some(missing) = &expect.missing
        && &outcome.missing != missing
    {
        diffs.push(format!(
            "missing: expected {}, got {}",
            show_list(missing),
            show_list(&outcome.missing)
        ));
    }
    if let Some(invalid) = &expect.invalid {
        // The report lists each (path, reason); a path with two reasons counts once.
        let mut actual: Vec<String> = outcome.invalid.iter().map(|i| i.path.clone()).collect();
        actual.dedup();
        if &actual != invalid {
            diffs.push(format!(
                "invalid: expected {}, got {}",
                show_list(invalid),
                show_list(&actual)
            ));
        }
    }
    if !diffs.is_empty() {
        // What the clause found, so that a failure can be read without running anything.
        for v in &outcome.violations {
            diffs.push(format!(
                "  found {} at {}: {}",
                v.severity, v.path, v.message
            ));
        }
        for i in &outcome.invalid {
            diffs.push(format!("  invalid {}: {}", i.path, i.reason));
        }
    }
    diffs
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

#[test]
fn scenarios_give_the_expected_outcomes() {
    let pack = load_pack();
    let clauses: BTreeSet<&str> = pack.clause_ids().collect();
    let files = scenario_files();
    let mut failures = Vec::new();
    let mut checked = 0usize;
    for path in &files {
        let shown = path.display();
        let scenario = match load_scenario(path) {
            Ok(s) => s,
            Err(e) => {
                failures.push(format!("{shown}\n  {e}"));
                continue;
            }
        };
        let mut problems = Vec::new();
        match folder_clause(path) {
            Some(folder) if !clauses.contains(folder.as_str()) => problems.push(format!(
                "lives in folder `{folder}`, which is not a clause of the pack"
            )),
            Some(folder) if !scenario.expect.contains_key(&folder) => problems.push(format!(
                "lives in folder `{folder}` but does not expect anything of that clause"
            )),
            Some(_) => {}
            None => problems.push("scenarios live in a folder named after their clause".into()),
        }
        let mut options = Options::default();
        if let Some(as_of) = &scenario.as_of {
            match Date::parse(as_of) {
                Some(d) => options = options.as_of(d),
                None => problems.push(format!("`as_of` {as_of:?} is not a date (YYYY-MM-DD)")),
            }
        }
        let report = pack.evaluate(&scenario.evidence, &options);
        for (clause, expect) in &scenario.expect {
            let Some(outcome) = report.outcome(clause) else {
                problems.push(format!(
                    "expects `{clause}`, which is not a clause of the pack"
                ));
                continue;
            };
            checked += 1;
            let diffs = compare(expect, outcome);
            if !diffs.is_empty() {
                problems.push(format!("{clause}\n    {}", diffs.join("\n    ")));
            }
        }
        for outcome in report.outcomes() {
            let expected_error = scenario
                .expect
                .get(&outcome.clause)
                .is_some_and(|e| e.status == Status::Error);
            if outcome.status == Status::Error && !expected_error {
                problems.push(format!(
                    "{} could not be evaluated: {}",
                    outcome.clause,
                    outcome.error.as_deref().unwrap_or("(no reason given)")
                ));
            }
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{shown} — {}\n  {}",
                scenario.description,
                problems.join("\n  ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} scenario file(s) do not give the expected outcomes \
         ({checked} clause outcomes checked):\n\n{}\n",
        failures.len(),
        files.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_clause_has_compliant_violated_and_insufficient_scenarios() {
    let pack = load_pack();
    let mut seen: BTreeMap<String, BTreeSet<&'static str>> = BTreeMap::new();
    for path in scenario_files() {
        // Broken files are reported by `scenarios_give_the_expected_outcomes`.
        let Ok(scenario) = load_scenario(&path) else {
            continue;
        };
        for (clause, expect) in scenario.expect {
            seen.entry(clause)
                .or_default()
                .insert(expect.status.as_str());
        }
    }
    let needed = [
        Status::Compliant,
        Status::Violated,
        Status::InsufficientEvidence,
    ];
    let mut gaps = Vec::new();
    for clause in pack.clause_ids() {
        let statuses = seen.get(clause).cloned().unwrap_or_default();
        let lacking: Vec<&str> = needed
            .iter()
            .map(|s| s.as_str())
            .filter(|s| !statuses.contains(s))
            .collect();
        if !lacking.is_empty() {
            gaps.push(format!(
                "{clause}: no scenario expecting {} (add one under {SCENARIOS}/{clause}/)",
                lacking.join(", ")
            ));
        }
    }
    assert!(
        gaps.is_empty(),
        "clauses without scenarios:\n{}",
        gaps.join("\n")
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
