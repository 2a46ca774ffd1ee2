//! Replaying stored reports: the same rules and evidence give the same bytes however the
//! pack is given (`rule.file` is relative to the pack's root, diagnostics keep the path as
//! typed), a report reads back equal and re-serializes to the same bytes (numbers included),
//! and `Report::from_json` reads `conduct-report/2` and `/1` and refuses any other format.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails loudly when the output is not what it expects"
)]

#[cfg(feature = "cli")]
#[path = "support/process.rs"]
mod process;

use std::path::{Path, PathBuf};

use conduct::report::{Date, REPORT_FORMAT, REPORT_FORMAT_1, ReadError};
use conduct::{Error, Options, Report, RulePack, Status};
use serde_json::{Value, json};

const REGIONS: &str = "rules/regions";
const EXAMPLE: &str = "examples/example-evidence.json";
/// The example's report as `conduct-report/1` printed it (the golden report before `/2`).
const REPORT_1: &str = "tests/cases/replay/report-1.json";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn absolute(rel: &str) -> String {
    root().join(rel).to_str().unwrap().to_string()
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap()
}

fn example() -> Value {
    serde_json::from_str(&read(EXAMPLE)).unwrap()
}

/// The example's report, from the pack loaded as given.
fn example_report(pack: &RulePack) -> Report {
    pack.evaluate(&example(), &Options::default())
}

/// The rule files of the regions pack, by name, sorted.
fn regions_files() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(root().join(REGIONS))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "conduct"))
        .map(|p: PathBuf| {
            let name = p.file_name().unwrap().to_str().unwrap().to_string();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// Every `rule.file` of a report.
fn rule_files(report: &Report) -> Vec<String> {
    report.violations().map(|v| v.rule.file.clone()).collect()
}

// ---------------------------------------------------------------------------------------------
// `rule.file` relative to the pack's root
// ---------------------------------------------------------------------------------------------

#[test]
fn the_report_is_byte_identical_however_the_pack_is_given() {
    let original = RulePack::load(REGIONS).unwrap();
    let expected = serde_json::to_string_pretty(&example_report(&original)).unwrap();
    let report = example_report(&original);
    assert!(report.violations().count() > 3, "the example violates");
    let files = regions_files();
    for file in rule_files(&report) {
        assert!(
            files.iter().any(|(name, _)| *name == file),
            "`{file}` is not a file name of the pack"
        );
    }

    let given = [
        "./rules/regions".to_string(),
        "rules/regions/".to_string(),
        "rules/../rules/regions".to_string(),
        absolute(REGIONS),
        "rules/regions/pack.conduct".to_string(),
        "./rules/regions/pack.conduct".to_string(),
        absolute("rules/regions/pack.conduct"),
    ];
    for path in &given {
        let pack = RulePack::load(path).unwrap();
        assert_eq!(pack.digest(), original.digest(), "{path}");
        let text = serde_json::to_string_pretty(&example_report(&pack)).unwrap();
        assert!(
            text == expected,
            "the report differs when the pack is `{path}`"
        );
    }

    // Built in memory from the same sources, in another order and with `./` names.
    let mut builder = RulePack::builder();
    for (name, text) in files.iter().rev() {
        builder = builder.file(&format!("./{name}"), text);
    }
    let pack = builder.build().unwrap();
    assert_eq!(pack.digest(), original.digest());
    let text = serde_json::to_string_pretty(&example_report(&pack)).unwrap();
    assert!(
        text == expected,
        "the report differs when the pack is built in memory"
    );
}

#[test]
fn files_in_sub_folders_are_named_from_the_pack_root_with_forward_slashes() {
    let dir = std::env::temp_dir().join(format!("conduct-replay-sub-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("pack/areas")).unwrap();
    std::fs::write(
        dir.join("pack/pack.conduct"),
        "pack p \"P\" languages en\nimport \"./areas/hours.conduct\"\nevidence { n: number }\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("pack/areas/hours.conduct"),
        "clause hours.limit\n  title en \"T\"\n  require n <= 60\n    message en \"m\"\n",
    )
    .unwrap();
    let evidence = json!({ "n": 70 });
    let mut reports = Vec::new();
    for path in [dir.join("pack"), dir.join("pack/pack.conduct")] {
        let pack = RulePack::load(&path).unwrap();
        let report = pack.evaluate(&evidence, &Options::default());
        assert_eq!(rule_files(&report), ["areas/hours.conduct"], "{path:?}");
        // What the pack tells about itself is root-relative too.
        assert_eq!(pack.clauses()[0].location.file, "areas/hours.conduct");
        reports.push(serde_json::to_string(&report).unwrap());
    }
    let pack = RulePack::builder()
        .file(
            "areas/hours.conduct",
            &read_tmp(&dir, "pack/areas/hours.conduct"),
        )
        .file("pack.conduct", &read_tmp(&dir, "pack/pack.conduct"))
        .build()
        .unwrap();
    reports.push(serde_json::to_string(&pack.evaluate(&evidence, &Options::default())).unwrap());
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(reports[0], reports[1]);
    assert_eq!(reports[0], reports[2]);
}

fn read_tmp(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap()
}

#[test]
fn diagnostics_keep_the_path_as_typed_so_that_the_author_can_open_it() {
    for given in ["tests/cli/broken", "./tests/cli/broken"] {
        let Err(Error::Compile(e)) = RulePack::load(given) else {
            panic!("{given} compiles");
        };
        for d in e.diagnostics() {
            assert_eq!(d.location().file, format!("{given}/pack.conduct"), "{d}");
            assert!(
                d.to_string().contains(&format!("{given}/pack.conduct:")),
                "{d}"
            );
        }
    }
    // Warnings of a pack that compiles, too.
    let pack = RulePack::load("./tests/cli/warnings.conduct").unwrap();
    assert!(!pack.warnings().is_empty());
    for w in pack.warnings() {
        assert_eq!(w.location().file, "./tests/cli/warnings.conduct", "{w}");
    }
}

#[cfg(feature = "cli")]
#[test]
fn check_prints_the_same_bytes_however_the_pack_is_given() {
    let abs = absolute(REGIONS);
    for format in ["json", "text"] {
        let mut first: Option<(String, Vec<u8>)> = None;
        for pack in [REGIONS, "./rules/regions", abs.as_str()] {
            let out = process::conduct(&["check", pack, EXAMPLE, "--format", format]);
            assert_eq!(process::code(&out), 1, "{}", process::stderr(&out));
            match &first {
                None => first = Some((pack.to_string(), out.stdout)),
                Some((other, bytes)) => assert!(
                    *bytes == out.stdout,
                    "`--format {format}` differs between `{other}` and `{pack}`"
                ),
            }
        }
        let (_, bytes) = first.unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(!text.contains("rules/regions"), "{text}");
        assert!(!text.contains(root().to_str().unwrap()), "{text}");
    }
    // The JSON the CLI prints is the library's report.
    let out = process::conduct(&["check", REGIONS, EXAMPLE, "--format", "json"]);
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    let report = example_report(&RulePack::load(REGIONS).unwrap());
    assert_eq!(printed, json!([report]));
}

// ---------------------------------------------------------------------------------------------
// Reading back
// ---------------------------------------------------------------------------------------------

#[test]
fn a_report_reads_back_equal_and_serializes_to_the_same_bytes() {
    let pack = RulePack::load(REGIONS).unwrap();
    let overridden = Options::default()
        .param("max_weekly_hours", "48")
        .as_of(Date::parse("2025-01-15").unwrap());
    for options in [
        Options::default(),
        Options::default().language("sv"),
        overridden,
    ] {
        let report = pack.evaluate(&example(), &options);
        assert_eq!(report.format, REPORT_FORMAT);
        for text in [
            serde_json::to_string(&report).unwrap(),
            serde_json::to_string_pretty(&report).unwrap(),
        ] {
            let back = Report::from_json(&text).unwrap();
            assert_eq!(back, report);
            assert_eq!(serde_json::from_str::<Report>(&text).unwrap(), report);
            let again = if text.contains('\n') {
                serde_json::to_string_pretty(&back).unwrap()
            } else {
                serde_json::to_string(&back).unwrap()
            };
            assert!(again == text, "the report re-serializes to other bytes");
        }
    }
}

/// Every evidence fixture of the regions pack with its evaluation date.
fn fixtures() -> Vec<(PathBuf, Value, Option<Date>)> {
    let mut found = Vec::new();
    let mut stack = vec![root().join(REGIONS).join("tests")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                let fixture: Value =
                    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
                let as_of = fixture["as_of"].as_str().and_then(Date::parse);
                found.push((path, fixture["evidence"].clone(), as_of));
            }
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

#[test]
fn the_report_of_every_regions_fixture_reads_back_equal_with_its_findings() {
    let pack = RulePack::load(REGIONS).unwrap();
    let (mut items, mut subjects, mut plans, mut missing_subjects) = (0, 0, 0, 0);
    let files = fixtures();
    assert!(files.len() > 100, "{} fixtures", files.len());
    for (file, evidence, as_of) in &files {
        let mut options = Options::default();
        if let Some(date) = as_of {
            options = options.as_of(*date);
        }
        let report = pack.evaluate(evidence, &options);
        let text = serde_json::to_string(&report).unwrap();
        let back = Report::from_json(&text).unwrap();
        assert!(back == report, "{} reads back otherwise", file.display());
        assert!(
            serde_json::to_string(&back).unwrap() == text,
            "{} re-serializes to other bytes",
            file.display()
        );
        for v in report.violations() {
            items += usize::from(!v.items.is_empty());
            subjects += usize::from(!v.subject.is_empty());
            plans += usize::from(v.remediation.as_ref().is_some_and(|r| r.plan.is_some()));
        }
        for o in &report.outcomes {
            missing_subjects += o.missing.iter().filter(|m| !m.subject.is_empty()).count();
        }
    }
    // The round trip covered what /2 added.
    assert!(
        items > 0 && subjects > 0 && plans > 0 && missing_subjects > 0,
        "items {items}, subjects {subjects}, plans {plans}, missing subjects {missing_subjects}"
    );
}

#[test]
fn a_share_of_1_in_11_reads_back_as_the_same_number() {
    let pack = RulePack::builder()
        .file(
            "p.conduct",
            r#"pack p "P" languages en
evidence { workers: [{ hours: number }] }
clause hours.share
  title en "Share over 60"
  require share(w in workers: w.hours > 60) <= 0.05
    message en "{actual} of workers"
"#,
        )
        .build()
        .unwrap();
    let mut workers = vec![json!({ "hours": 40 }); 10];
    workers.push(json!({ "hours": 70 }));
    let report = pack.evaluate(&json!({ "workers": workers }), &Options::default());
    let outcome = report.outcome("hours.share").unwrap();
    assert_eq!(outcome.status, Status::Violated);
    let actual = &outcome.violations[0].actual;
    assert_eq!(actual.as_f64(), Some(1.0 / 11.0));
    assert_eq!(actual.to_string(), "0.09090909090909091");

    let text = serde_json::to_string(&report).unwrap();
    let back = Report::from_json(&text).unwrap();
    assert_eq!(
        &back.outcome("hours.share").unwrap().violations[0].actual,
        actual
    );
    assert!(serde_json::to_string(&back).unwrap() == text);

    // Every share of up to 400 items: read with fewer digits than `f64` needs, one in ten of
    // these would come back one unit in the last place off.
    for total in 1..=400_u32 {
        for part in 0..=total {
            let value = json!(f64::from(part) / f64::from(total));
            let text = value.to_string();
            let back: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(back, value, "{part}/{total} written as {text}");
            assert_eq!(back.to_string(), text);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// `conduct-report/1`, and formats that are refused
// ---------------------------------------------------------------------------------------------

#[test]
fn a_conduct_report_1_file_reads_into_the_2_structs() {
    let text = read(REPORT_1);
    let stored: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(stored["format"], REPORT_FORMAT_1);
    let report = Report::from_json(&text).unwrap();

    assert_eq!(report.format, REPORT_FORMAT_1, "the caller can tell");
    assert_eq!(report.as_of, Date::parse("2024-10-31"));
    assert!(report.params.is_empty());
    assert_eq!(json!(report.subject), stored["subject"]);
    assert_eq!(json!(report.verdict), stored["verdict"]);
    assert_eq!(json!(report.pack), stored["pack"]);
    assert_eq!(report.summary.violations, report.violations().count());
    assert_eq!(report.summary.items, report.summary.violations);
    assert_eq!(report.summary.not_examined, 0);
    assert_eq!(
        report.outcomes.len(),
        stored["outcomes"].as_array().unwrap().len()
    );

    let mut violations = 0;
    let mut missing = 0;
    let mut due = 0;
    for (outcome, old) in report
        .outcomes
        .iter()
        .zip(stored["outcomes"].as_array().unwrap())
    {
        assert_eq!(outcome.clause, old["clause"].as_str().unwrap());
        assert_eq!(json!(outcome.status), old["status"]);
        assert_eq!(json!(outcome.invalid), old["invalid"]);
        let paths: Vec<&str> = outcome.missing.iter().map(|m| m.path.as_str()).collect();
        let old_paths: Vec<&str> = old["missing"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap())
            .collect();
        assert_eq!(paths, old_paths);
        for m in &outcome.missing {
            assert!(m.subject.is_empty() && m.description.is_none());
            missing += 1;
        }
        let old_violations = old["violations"].as_array().unwrap();
        assert_eq!(outcome.violations.len(), old_violations.len());
        for (v, o) in outcome.violations.iter().zip(old_violations) {
            assert_eq!(v.clause, outcome.clause);
            assert_eq!(
                (v.id.as_str(), v.requirement.as_str()),
                ("", ""),
                "no ids in /1"
            );
            assert!(v.subject.is_empty() && v.items.is_empty());
            assert_eq!((v.examined, v.basis), (None, None));
            assert_eq!(json!(v.severity), o["severity"]);
            assert_eq!(v.message, o["message"].as_str().unwrap());
            assert_eq!(v.path, o["path"].as_str().unwrap());
            assert_eq!(v.actual, o["actual"]);
            assert_eq!(v.expected, o["expected"].as_str().unwrap());
            assert_eq!(json!(v.rule), o["rule"]);
            match &v.remediation {
                None => assert!(o["remediation"].is_null()),
                Some(r) => {
                    assert_eq!(r.action, o["remediation"]["action"].as_str().unwrap());
                    assert_eq!(
                        r.due,
                        o["remediation"]["due"].as_str().and_then(Date::parse)
                    );
                    assert_eq!((r.due_from, r.plan), (None, None));
                    due += usize::from(r.due.is_some());
                }
            }
            violations += 1;
        }
    }
    assert!(
        violations > 5 && missing > 3 && due > 5,
        "{violations} {missing} {due}"
    );
}

/// The `/1` fixture with its `format` replaced (`None`: removed).
fn with_format(format: Option<Value>) -> String {
    let mut report: Value = serde_json::from_str(&read(REPORT_1)).unwrap();
    match format {
        Some(f) => report["format"] = f,
        None => {
            report.as_object_mut().unwrap().remove("format");
        }
    }
    report.to_string()
}

#[test]
fn other_formats_are_refused_naming_what_was_found_and_what_is_read() {
    let accepted = "this version reads `conduct-report/2` and `conduct-report/1`";
    for (format, found, message) in [
        (
            Some(json!("conduct-report/9")),
            Some("conduct-report/9"),
            "unknown report format `conduct-report/9`",
        ),
        (
            Some(json!("conduct-report/3")),
            Some("conduct-report/3"),
            "unknown report format `conduct-report/3`",
        ),
        (
            Some(json!("foo")),
            Some("foo"),
            "unknown report format `foo`",
        ),
        (Some(json!(2)), Some("2"), "unknown report format `2`"),
        (Some(Value::Null), None, "the report has no `format`"),
        (None, None, "the report has no `format`"),
    ] {
        let error = Report::from_json(&with_format(format.clone())).unwrap_err();
        let ReadError::UnknownFormat {
            found: got,
            accepted: list,
        } = &error
        else {
            panic!("{format:?}: {error:?}");
        };
        assert_eq!(got.as_deref(), found);
        assert_eq!(*list, [REPORT_FORMAT, REPORT_FORMAT_1]);
        assert_eq!(error.to_string(), format!("{message}; {accepted}"));
    }

    // Not JSON, not an object, or a `/1` body that claims to be `/2`.
    for (text, part) in [
        ("{\"format\": ", "EOF while parsing"),
        ("[1, 2]", "expected a report (a JSON object)"),
        (
            &with_format(Some(json!(REPORT_FORMAT))),
            "missing field `id`",
        ),
    ] {
        let error = Report::from_json(text).unwrap_err();
        assert!(matches!(error, ReadError::Json(_)), "{error:?}");
        let message = error.to_string();
        assert!(message.starts_with("not a readable report: "), "{message}");
        assert!(message.contains(part), "{message}");
    }
}
