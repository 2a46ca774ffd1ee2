//! Finding identity (`conduct-report/2`): an id names the same deviation however the evidence
//! lists it, whenever it is evaluated and wherever the pack is loaded from or however it is
//! laid out; it changes when the subject changes. Checked on every fixture of the regions pack
//! and on the shipped examples.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails loudly when the output is not what it expects"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use conduct::report::Date;
use conduct::{Options, Report, RulePack};
use proptest::prelude::*;
use serde_json::Value;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn regions() -> &'static RulePack {
    static PACK: OnceLock<RulePack> = OnceLock::new();
    PACK.get_or_init(|| RulePack::load(Path::new(ROOT).join("rules/regions")).unwrap())
}

/// Every fixture of the regions pack: its file, evidence and evaluation date.
fn fixtures() -> &'static [(PathBuf, Value, Option<Date>)] {
    static ALL: OnceLock<Vec<(PathBuf, Value, Option<Date>)>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut out = Vec::new();
        let tests = Path::new(ROOT).join("rules/regions/tests");
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(tests)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        dirs.sort();
        for dir in dirs {
            let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
                .collect();
            files.sort();
            for file in files {
                let mut fixture: Value =
                    serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
                let as_of = fixture["as_of"].as_str().and_then(Date::parse);
                out.push((file, fixture["evidence"].take(), as_of));
            }
        }
        out
    })
}

fn example(name: &str) -> Value {
    let text = std::fs::read_to_string(Path::new(ROOT).join("examples").join(name)).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn options(as_of: Option<Date>) -> Options {
    match as_of {
        Some(d) => Options::default().as_of(d),
        None => Options::default(),
    }
}

/// What identifies the findings of a report: per id, the severity and the failing items' keys.
type Findings = BTreeMap<String, (conduct::Severity, BTreeSet<String>)>;

fn findings(report: &Report) -> Findings {
    let mut out = Findings::new();
    for v in report.violations() {
        let items = v
            .items
            .iter()
            .map(|i| serde_json::to_string(&i.keys).unwrap())
            .collect();
        let previous = out.insert(v.id.clone(), (v.severity, items));
        assert!(previous.is_none(), "two findings have the id {}", v.id);
    }
    out
}

/// Every array of the document in reverse order, at every depth.
fn reversed(v: &Value) -> Value {
    match v {
        Value::Array(items) => Value::Array(items.iter().rev().map(reversed).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), reversed(v))).collect())
        }
        other => other.clone(),
    }
}

/// Every array rotated by `by` (modulo its length), at every depth.
fn rotated(v: &Value, by: usize) -> Value {
    match v {
        Value::Array(items) if !items.is_empty() => {
            let mut items: Vec<Value> = items.iter().map(|i| rotated(i, by)).collect();
            let n = by % items.len();
            items.rotate_left(n);
            Value::Array(items)
        }
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), rotated(v, by)))
                .collect(),
        ),
        other => other.clone(),
    }
}

#[test]
fn every_fixture_keeps_its_ids_when_its_arrays_are_reversed() {
    let pack = regions();
    let mut with_findings = 0;
    for (file, evidence, as_of) in fixtures() {
        let before = findings(&pack.evaluate(evidence, &options(*as_of)));
        let after = findings(&pack.evaluate(&reversed(evidence), &options(*as_of)));
        assert_eq!(before, after, "{}", file.display());
        with_findings += usize::from(!before.is_empty());
    }
    assert!(
        with_findings > 300,
        "only {with_findings} fixtures have findings"
    );
}

#[test]
fn no_id_holds_an_array_index_or_a_file_path() {
    let pack = regions();
    for (file, evidence, as_of) in fixtures() {
        for v in pack.evaluate(evidence, &options(*as_of)).violations() {
            assert!(
                v.id.starts_with(&format!("{}/", v.clause)),
                "{}: {}",
                file.display(),
                v.id
            );
            assert!(!v.id.contains(".conduct"), "{}: {}", file.display(), v.id);
            for (key, value) in &v.subject {
                assert!(
                    !key.is_empty() && !value.is_null(),
                    "{}: {}",
                    file.display(),
                    v.id
                );
            }
        }
    }
}

#[test]
fn ids_do_not_depend_on_the_evaluation_date() {
    let pack = regions();
    for (file, evidence, as_of) in fixtures() {
        let Some(day) = as_of.or_else(|| {
            evidence["assessment"]["as_of"]
                .as_str()
                .and_then(Date::parse)
        }) else {
            continue;
        };
        let later = Date::parse(&next_day(&day.to_string())).unwrap();
        let a = pack.evaluate(evidence, &Options::default().as_of(day));
        let b = pack.evaluate(evidence, &Options::default().as_of(later));
        let by_place = |r: &Report| -> BTreeMap<(String, String), String> {
            r.violations()
                .map(|v| ((v.clause.clone(), v.path.clone()), v.id.clone()))
                .collect()
        };
        let (a, b) = (by_place(&a), by_place(&b));
        for (place, id) in &a {
            if let Some(other) = b.get(place) {
                assert_eq!(id, other, "{}", file.display());
            }
        }
    }
}

fn next_day(date: &str) -> String {
    let d = Date::parse(date).unwrap();
    let text = d.to_string();
    // The day after: try the next day of the month, else the first of the next month.
    let (y, m, day): (i32, u32, u32) = (
        text[0..4].parse().unwrap(),
        text[5..7].parse().unwrap(),
        text[8..10].parse().unwrap(),
    );
    let candidate = format!("{y:04}-{m:02}-{:02}", day + 1);
    if Date::parse(&candidate).is_some() {
        candidate
    } else if m < 12 {
        format!("{y:04}-{:02}-01", m + 1)
    } else {
        format!("{:04}-01-01", y + 1)
    }
}

#[test]
fn a_renamed_site_renames_its_findings_and_only_them() {
    let pack = regions();
    let evidence = example("example-evidence.json");
    let renamed: Value = serde_json::from_str(
        &serde_json::to_string(&evidence)
            .unwrap()
            .replace("\"MY-KLG-01\"", "\"MY-KLG-09\""),
    )
    .unwrap();
    let before = findings(&pack.evaluate(&evidence, &Options::default()));
    let after = findings(&pack.evaluate(&renamed, &Options::default()));
    let site_before: BTreeSet<&String> = before
        .keys()
        .filter(|id| id.contains("MY-KLG-01"))
        .collect();
    assert!(!site_before.is_empty(), "{before:#?}");
    for id in before.keys() {
        let expected = id.replace("MY-KLG-01", "MY-KLG-09");
        assert!(
            after.contains_key(&expected),
            "{id} → {expected} in {after:#?}"
        );
    }
    assert_eq!(before.len(), after.len());
}

/// The pack reformatted and loaded from another folder: the same ids, subjects and items.
#[test]
fn a_reformatted_pack_elsewhere_gives_the_same_findings() {
    let source = Path::new(ROOT).join("rules/regions");
    let copy = std::env::temp_dir().join(format!("conduct-identity-{}", std::process::id()));
    std::fs::create_dir_all(&copy).unwrap();
    for entry in std::fs::read_dir(&source).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "conduct") {
            let text = std::fs::read_to_string(&path).unwrap();
            // Another layout: every line indented by a different amount of blank lines and
            // comments between statements is enough to move every line.
            let moved = format!("# moved\n\n\n{text}");
            std::fs::write(copy.join(path.file_name().unwrap()), moved).unwrap();
        }
    }
    let elsewhere = RulePack::load(&copy).unwrap();
    std::fs::remove_dir_all(&copy).unwrap();
    for name in ["example-evidence.json", "supplier-with-gaps.json"] {
        let evidence = example(name);
        let a = regions().evaluate(&evidence, &Options::default());
        let b = elsewhere.evaluate(&evidence, &Options::default());
        assert_eq!(findings(&a), findings(&b), "{name}");
        let lines = |r: &Report| r.violations().map(|v| v.rule.line).collect::<Vec<_>>();
        assert_ne!(lines(&a), lines(&b), "the copy's lines did move");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Rotating every array of an example by any amount changes no finding.
    #[test]
    fn rotated_evidence_keeps_every_finding(by in 0usize..7, which in 0usize..2) {
        let name = ["example-evidence.json", "supplier-with-gaps.json"][which];
        let evidence = example(name);
        let pack = regions();
        let before = findings(&pack.evaluate(&evidence, &Options::default()));
        let after = findings(&pack.evaluate(&rotated(&evidence, by), &Options::default()));
        prop_assert_eq!(before, after);
    }
}
