//! The evidence JSON Schema, `schemas/evidence.schema.json`, is the input contract of the
//! regions' pack. This test holds it to the documents the repository ships:
//!
//! - the shipped examples conform, except where the engine itself reports invalid evidence, and
//!   then the schema rejects the same places;
//! - every fixture of `rules/regions/tests` conforms, unless it expects invalid evidence (an
//!   `invalid` pointer in its `expect` block), and then the schema rejects it at those pointers;
//! - a short, exact list of fixtures conforms to the engine's declared shape but not to the
//!   stricter schema: a `null` date where the request's status says the event happened (the
//!   schema's `if`/`then`), a loan amount without its currency, a deduction whose type is
//!   `null`. The engine reads these as unknown (insufficient evidence); the schema, which
//!   describes what a supplier should send, rejects them.
//!
//! The checker is the test-only `tests/support/schema.rs`, so a schema keyword it does not
//! check fails here instead of passing silently.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails loudly when the output is not what it expects"
)]

#[path = "support/schema.rs"]
mod schema;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use conduct::{Options, RulePack};
use schema::Schemas;
use serde_json::Value;

const SCHEMA: &str = "evidence.schema.json";
const PACK: &str = "rules/regions";
const FIXTURES: &str = "rules/regions/tests";

/// Fixtures that expect no invalid evidence from the engine but break the schema, each with
/// the JSON Pointer the schema rejects.
const STRICTER_THAN_THE_ENGINE: [(&str, &str); 7] = [
    (
        "audit.access/insufficient-access-granted-on-null.json",
        "/audit_requests/0/access_granted_on",
    ),
    (
        "deviation.corrective_action/insufficient-closed-on-null.json",
        "/audits/0/findings/1/corrective_action/closed_on",
    ),
    (
        "forced_labour.debt_bondage/insufficient-loan-currency-absent.json",
        "/sites/0/recruitment/1/loan",
    ),
    (
        "reporting.information_requests/insufficient-submitted-on-null.json",
        "/self_assessment/submitted_on",
    ),
    (
        "reporting.severe_deviation/insufficient-reported-on-null.json",
        "/severe_deviation_reports/0/reported_on",
    ),
    (
        "supply_chain.sites_disclosed/insufficient-responded-on-null.json",
        "/supply_chain/disclosure_requests/0/responded_on",
    ),
    (
        "wages.deductions/insufficient-type-null.json",
        "/sites/0/wage_records/0/deductions/0/type",
    ),
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read `{}`: {e}", path.display()));
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("`{}` is not valid JSON: {e}", path.display()))
}

fn schemas() -> Schemas {
    let mut set = Schemas::new();
    set.add(SCHEMA, read_json(&root().join("schemas").join(SCHEMA)));
    set
}

/// The JSON Pointers where `document` breaks the schema, each with the reason.
fn violations(set: &Schemas, document: &Value) -> Vec<(String, String)> {
    set.validate(SCHEMA, document)
        .into_iter()
        .map(|v| (v.pointer.clone(), v.to_string()))
        .collect()
}

/// Whether two pointers name the same value, or one lies inside the other.
fn related(a: &str, b: &str) -> bool {
    a == b || a.starts_with(&format!("{b}/")) || b.starts_with(&format!("{a}/"))
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list `{}`: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// Every pointer at which the engine reports invalid evidence for `document`.
fn engine_invalid(pack: &RulePack, document: &Value) -> BTreeSet<String> {
    let report = serde_json::to_value(pack.evaluate(document, &Options::default())).unwrap();
    report["outcomes"]
        .as_array()
        .expect("a report has outcomes")
        .iter()
        .flat_map(|outcome| outcome["invalid"].as_array().cloned().unwrap_or_default())
        .map(|invalid| invalid["path"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_schema_is_fully_checkable() {
    let set = schemas();
    let problems = set.lint(SCHEMA);
    assert!(
        problems.is_empty(),
        "{SCHEMA} uses what the checker cannot check:\n  {}",
        problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n  ")
    );
    let schema = read_json(&root().join("schemas").join(SCHEMA));
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(
        schema["properties"]["schema_version"]["const"], "1.0",
        "the schema describes evidence schema 1.0, the version rules/regions/evidence.conduct declares"
    );
}

#[test]
fn the_examples_conform_where_the_engine_finds_no_invalid_evidence() {
    let set = schemas();
    let pack = RulePack::load(PACK).unwrap_or_else(|e| panic!("`{PACK}` does not compile:\n{e}"));
    let mut examples = Vec::new();
    json_files(&root().join("examples"), &mut examples);
    assert!(examples.len() >= 3, "the shipped examples are found");
    let mut conforming = 0;
    for path in &examples {
        let document = read_json(path);
        let schema: BTreeSet<String> = violations(&set, &document)
            .into_iter()
            .map(|(pointer, _)| pointer)
            .collect();
        let engine = engine_invalid(&pack, &document);
        let name = path.strip_prefix(root()).unwrap().display();
        for pointer in &schema {
            assert!(
                engine.iter().any(|e| related(e, pointer)),
                "{name}: the schema rejects {pointer}, but the engine reports no invalid \
                 evidence there (engine: {engine:?})"
            );
        }
        for pointer in &engine {
            assert!(
                schema.iter().any(|s| related(s, pointer)),
                "{name}: the engine reports invalid evidence at {pointer}, but the schema \
                 accepts it (schema: {schema:?})"
            );
        }
        conforming += usize::from(schema.is_empty());
    }
    // The full example and the clean supplier conform; `supplier-with-gaps.json` carries an
    // impossible date on purpose, which both the engine and the schema reject.
    let example = read_json(&root().join("examples/example-evidence.json"));
    assert_eq!(violations(&set, &example), Vec::new());
    let clean = read_json(&root().join("examples/clean-supplier.json"));
    assert_eq!(violations(&set, &clean), Vec::new());
    assert!(conforming >= 2);
}

#[test]
fn every_fixture_conforms_unless_it_expects_invalid_evidence() {
    let set = schemas();
    let base = root().join(FIXTURES);
    let mut fixtures = Vec::new();
    json_files(&base, &mut fixtures);
    assert!(fixtures.len() > 100, "the pack's fixtures are found");

    let mut failures = Vec::new();
    let (mut valid, mut invalid, mut stricter) = (0, 0, 0);
    for path in &fixtures {
        let name = path
            .strip_prefix(&base)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let fixture = read_json(path);
        let expected: BTreeSet<String> = fixture["expect"]
            .as_object()
            .unwrap_or_else(|| panic!("{name} has no `expect` object"))
            .values()
            .flat_map(|e| e["invalid"].as_array().cloned().unwrap_or_default())
            .map(|p| p.as_str().unwrap().to_string())
            .collect();
        let found = violations(&set, &fixture["evidence"]);
        let listed = STRICTER_THAN_THE_ENGINE
            .iter()
            .find(|(file, _)| *file == name)
            .map(|(_, pointer)| *pointer);

        if let Some(pointer) = listed {
            stricter += 1;
            if !expected.is_empty() {
                failures.push(format!(
                    "{name} expects invalid evidence now: take it off STRICTER_THAN_THE_ENGINE"
                ));
            }
            if !found.iter().any(|(p, _)| p == pointer) {
                failures.push(format!(
                    "{name}: the schema no longer rejects {pointer} ({found:?}); take it off \
                     STRICTER_THAN_THE_ENGINE"
                ));
            }
        } else if expected.is_empty() {
            valid += 1;
            if !found.is_empty() {
                let reasons: Vec<&str> = found.iter().map(|(_, r)| r.as_str()).collect();
                failures.push(format!(
                    "{name} expects no invalid evidence but breaks the schema:\n    {}",
                    reasons.join("\n    ")
                ));
            }
        } else {
            invalid += 1;
            if found.is_empty() {
                failures.push(format!(
                    "{name} expects invalid evidence at {expected:?}, but the schema accepts it"
                ));
            }
            for pointer in &expected {
                if !found.iter().any(|(p, _)| related(p, pointer)) {
                    failures.push(format!(
                        "{name}: invalid evidence is expected at {pointer}, but the schema \
                         rejects only {found:?}"
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures disagree with {SCHEMA}:\n  {}",
        failures.len(),
        fixtures.len(),
        failures.join("\n  ")
    );
    assert_eq!(
        stricter,
        STRICTER_THAN_THE_ENGINE.len(),
        "every listed fixture exists"
    );
    assert!(
        valid > 0 && invalid > 0,
        "both kinds of fixture are checked"
    );
}
