//! The command line's options against a pack (issue 12, "Options"): `conduct params` lists a
//! pack's parameters, every bad `--param` is listed (not only the first) with suggestions and
//! typed values, and `--lang` takes the languages the pack declares, in every command that has it.
#![cfg(feature = "cli")]
#![allow(
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test fails loudly when the output is not what it expects"
)]

#[path = "support/process.rs"]
mod process;

use process::{TempDir, code, conduct, path_str, stderr, stdout};

const REGIONS: &str = "rules/regions";
const EXAMPLE: &str = "examples/example-evidence.json";
const PACK: &str = "tests/cli/pack";
const VIOLATING: &str = "tests/cli/violating.json";

/// A pack in English and German.
const GERMAN: &str = r#"pack de_pack "Deutsch" languages en, de
evidence { hours: number }
param max_hours: number = 60 source "ETI Base Code 6.1"

clause hours.limit
  title en "Hours" de "Arbeitszeit"
  require hours <= max_hours
    message en "{actual} hours" de "{actual} Stunden"
"#;

fn german(dir: &TempDir) -> (String, String) {
    let pack = dir.file("pack.conduct", GERMAN.as_bytes());
    let evidence = dir.file("evidence.json", br#"{ "hours": 70 }"#);
    (path_str(&pack).to_string(), path_str(&evidence).to_string())
}

#[test]
fn params_lists_every_parameter_as_text() {
    let out = conduct(&["params", REGIONS]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(
            "max_weekly_hours: number = 60\n  \
             title: Most working hours a week, overtime included\n  \
             bounds: at least 1, at most 84\n  \
             source: ETI Base Code 6.1;"
        ),
        "{text}"
    );
    let names = text.lines().filter(|l| !l.starts_with(' ')).count();
    let pack = conduct::RulePack::load(REGIONS).expect("the shipped pack compiles");
    assert_eq!(names, pack.param_names().count(), "{text}");
}

#[test]
fn params_lists_every_parameter_as_json() {
    let out = conduct(&["params", PACK, "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let params: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(
        params,
        serde_json::json!([
            {
                "name": "minimum_age", "type": "number", "default": "15", "titles": {},
                "at_least": null, "at_most": null, "overridden_by": null, "source": null
            },
            {
                "name": "max_hours", "type": "number", "default": "60", "titles": {},
                "at_least": null, "at_most": null, "overridden_by": null, "source": null
            },
        ])
    );
}

#[test]
fn params_shows_titles_in_the_language_asked_for() {
    let out = conduct(&["params", REGIONS, "--lang", "sv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(
            "reporting_deadline_days: number = 14\n  \
             title: Tidsfrist för att rapportera en allvarlig avvikelse, i dagar\n  \
             bounds: at least 0, at most 365\n  \
             overridden by: contract.reporting_deadline_days\n"
        ),
        "{text}"
    );
    let out = conduct(&["params", REGIONS, "--lang", "de"]);
    assert_eq!(code(&out), 3);
    assert!(
        stderr(&out).contains("the pack has no language `de`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn params_json_has_every_field() {
    let out = conduct(&["params", REGIONS, "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let params: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let deadline = params
        .as_array()
        .expect("a list")
        .iter()
        .find(|p| p["name"] == "reporting_deadline_days")
        .expect("the parameter is listed");
    assert_eq!(
        deadline,
        &serde_json::json!({
            "name": "reporting_deadline_days",
            "type": "number",
            "default": "14",
            "titles": {
                "en": "Deadline to report a severe deviation, in days",
                "sv": "Tidsfrist för att rapportera en allvarlig avvikelse, i dagar"
            },
            "at_least": "0",
            "at_most": "365",
            "overridden_by": "contract.reporting_deadline_days",
            "source": "Regions' clause §3 ([two (2)] weeks); the buyer may set contract.reporting_deadline_days"
        })
    );
}

#[test]
fn a_param_outside_its_bounds_is_refused_with_the_bound() {
    let out = conduct(&[
        "check",
        REGIONS,
        EXAMPLE,
        "--param",
        "max_weekly_hours=-5",
        "--param",
        "reporting_deadline_days=400",
    ]);
    assert_eq!(code(&out), 3);
    assert_eq!(stdout(&out), "");
    assert_eq!(
        stderr(&out),
        "error: parameter `max_weekly_hours` must be at least 1, got -5\n\
         error: parameter `reporting_deadline_days` must be at most 365, got 400\n"
    );
    // Within the bounds it is accepted.
    let out = conduct(&["check", REGIONS, EXAMPLE, "--param", "max_weekly_hours=1"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
}

#[test]
fn params_of_a_broken_pack_exits_3() {
    let out = conduct(&["params", "tests/cli/broken"]);
    assert_eq!(code(&out), 3);
    assert_eq!(stdout(&out), "");
}

#[test]
fn every_bad_param_is_listed_with_suggestions_and_types() {
    let out = conduct(&[
        "check",
        REGIONS,
        EXAMPLE,
        "--param",
        "max_weekly_hour=48",
        "--param",
        "max_weekly_hours=abc",
        "--param",
        "minimum_working_age=15",
        "--param",
        "no_such_thing=1",
    ]);
    assert_eq!(code(&out), 3);
    assert_eq!(stdout(&out), "");
    assert_eq!(
        stderr(&out),
        "error: the pack has no parameter `max_weekly_hour`; did you mean `max_weekly_hours`?\n\
         error: parameter `max_weekly_hours`: `abc` is not a number\n\
         error: the pack has no parameter `no_such_thing`\n"
    );
}

#[test]
fn explain_also_lists_every_bad_param() {
    let out = conduct(&[
        "explain",
        REGIONS,
        EXAMPLE,
        "working_hours.weekly_limit",
        "--param",
        "max_weekly_hours=abc",
        "--param",
        "nope=1",
    ]);
    assert_eq!(code(&out), 3);
    assert_eq!(stderr(&out).lines().count(), 2, "{}", stderr(&out));
}

#[test]
fn lang_takes_a_language_the_pack_declares() {
    let dir = TempDir::new();
    let (pack, evidence) = german(&dir);
    let out = conduct(&[
        "check", &pack, &evidence, "--lang", "de", "--format", "json",
    ]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let reports: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(reports[0]["language"], "de");
    assert_eq!(
        reports[0]["outcomes"][0]["violations"][0]["message"],
        "70 Stunden"
    );
    let out = conduct(&["explain", &pack, &evidence, "hours.limit", "--lang", "de"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("Arbeitszeit"), "{}", stdout(&out));
    let out = conduct(&["requirements", &pack, "--lang", "de"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("Arbeitszeit"), "{}", stdout(&out));
    let out = conduct(&["doc", &pack, "--lang", "de"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("Arbeitszeit"), "{}", stdout(&out));
}

#[test]
fn lang_the_pack_lacks_is_an_error_listing_its_languages_in_every_command() {
    let dir = TempDir::new();
    let (pack, evidence) = german(&dir);
    let expected = "error: the pack has no language `sv`; its languages are `en`, `de`\n";
    let runs: [&[&str]; 4] = [
        &["check", &pack, &evidence, "--lang", "sv"],
        &["explain", &pack, &evidence, "hours.limit", "--lang", "sv"],
        &["requirements", &pack, "--lang", "sv"],
        &["doc", &pack, "--lang", "sv"],
    ];
    for args in runs {
        let out = conduct(args);
        assert_eq!(code(&out), 3, "{args:?}");
        assert_eq!(stdout(&out), "", "{args:?}");
        assert_eq!(stderr(&out), expected, "{args:?}");
    }
}

#[test]
fn without_lang_the_output_is_in_english_as_before() {
    let out = conduct(&["check", PACK, VIOLATING, "--format", "json"]);
    let reports: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(reports[0]["language"], "en");
}

#[test]
fn requirements_list_the_field_that_overrides_a_parameter() {
    // `overridden by contract.reporting_deadline_days`: the checklist still asks for it, as a
    // supporting field (the parameter is its fallback).
    let out = conduct(&[
        "requirements",
        REGIONS,
        "--clause",
        "reporting.severe_deviation",
        "--format",
        "json",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("\"/contract/reporting_deadline_days\""),
        "{text}"
    );
}
