//! Parameter metadata (issue 12, "Options"): titles per language, bounds (`at least`, `at
//! most`) that `check_options` enforces with every other problem, and `overridden by`: an
//! evidence field that decides a parameter before the override and the default, recorded in
//! the report's `params_from_evidence`, and invalid evidence at its pointer when its value is
//! of the wrong type or outside the bounds.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use conduct::pack::OptionsError;
use conduct::{Options, RulePack, Status};

fn regions() -> RulePack {
    RulePack::load("rules/regions").unwrap()
}

fn example() -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string("examples/example-evidence.json").unwrap())
        .unwrap()
}

const HOURS: &str = r#"pack hours "Hours" languages en, sv
evidence { contract: { max_hours: number, start: date }, hours: number, start: date }
param max_hours: number = 60
  title en "Most hours a week" sv "Högsta arbetstid per vecka"
  at least 1 at most 84
  overridden by contract.max_hours
  source "ETI Base Code 6.1"
param earliest: date = date("2020-01-01")
  at least date("2000-01-01") at most date("2030-12-31")
  overridden by contract.start
param grace: duration = 30 days at least 0 days at most 90 days

clause hours.limit
  title en "Hours" sv "Arbetstid"
  require hours <= max_hours
    message en "{actual} hours; the limit is {max_hours}" sv "{actual} timmar; gränsen är {max_hours}"

clause hours.start
  title en "Start" sv "Start"
  require start >= earliest and start + grace >= start
    message en "started {start}" sv "började {start}"
"#;

fn hours() -> RulePack {
    RulePack::builder()
        .file("pack.conduct", HOURS)
        .build()
        .unwrap()
}

#[test]
fn params_carry_titles_bounds_and_the_field_that_overrides_them() {
    let params = regions().params();
    let deadline = params
        .iter()
        .find(|p| p.name == "reporting_deadline_days")
        .unwrap();
    assert_eq!(
        deadline.title("sv"),
        Some("Tidsfrist för att rapportera en allvarlig avvikelse, i dagar")
    );
    assert_eq!(
        deadline.title("en"),
        Some("Deadline to report a severe deviation, in days")
    );
    assert_eq!(deadline.at_least.as_deref(), Some("0"));
    assert_eq!(deadline.at_most.as_deref(), Some("365"));
    assert_eq!(
        deadline.overridden_by.as_deref(),
        Some("contract.reporting_deadline_days")
    );
    // Every parameter of the shipped pack has a title in both languages.
    for p in &params {
        let langs: Vec<&str> = p.titles.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(langs, ["en", "sv"], "{}", p.name);
    }
    // Dates and durations have bounds too, written as an override takes them.
    let params = hours().params();
    assert_eq!(params[1].at_least.as_deref(), Some("2000-01-01"));
    assert_eq!(params[2].at_most.as_deref(), Some("90 days"));
    assert_eq!(params[2].title("sv"), None);
}

#[test]
fn a_value_outside_the_bounds_is_listed_with_every_other_problem() {
    let options = Options::default()
        .language("de")
        .param("max_weekly_hours", "-5")
        .param("max_weekly_hour", "48")
        .param("reporting_deadline_days", "366")
        .param("audit_access_deadline_days", "ten");
    let problems = regions().check_options(&options).unwrap_err();
    let texts: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        texts,
        [
            "the pack has no language `de`; its languages are `en`, `sv`",
            "parameter `max_weekly_hours` must be at least 1, got -5",
            "the pack has no parameter `max_weekly_hour`; did you mean `max_weekly_hours`?",
            "parameter `reporting_deadline_days` must be at most 365, got 366",
            "parameter `audit_access_deadline_days`: `ten` is not a number",
        ]
    );
    assert!(matches!(
        &problems[1],
        OptionsError::OutOfBounds { name, problem }
            if name == "max_weekly_hours" && problem == "must be at least 1, got -5"
    ));
    // The bounds themselves are accepted.
    let at_bounds = Options::default()
        .param("max_weekly_hours", "1")
        .param("reporting_deadline_days", "365");
    assert!(regions().check_options(&at_bounds).is_ok());
    // Dates and durations are compared too; days and months do not compare.
    let pack = hours();
    for (name, value, problem) in [
        (
            "earliest",
            "1999-12-31",
            "must be at least 2000-01-01, got 1999-12-31",
        ),
        ("grace", "91 days", "must be at most 90 days, got 91 days"),
        ("grace", "1 month", "must be at least 0 days, got 1 month"),
    ] {
        let problems = pack
            .check_options(&Options::default().param(name, value))
            .unwrap_err();
        assert_eq!(
            problems[0].to_string(),
            format!("parameter `{name}` {problem}")
        );
    }
}

#[test]
fn an_evaluation_with_a_value_outside_the_bounds_errs_in_every_clause() {
    let report = regions().evaluate(
        &example(),
        &Options::default().param("max_weekly_hours", "-5"),
    );
    assert!(report.outcomes.iter().all(|o| o.status == Status::Error));
    assert_eq!(
        report.outcomes[0].error.as_deref(),
        Some("parameter `max_weekly_hours`: must be at least 1, got -5")
    );
}

#[test]
fn the_evidence_field_decides_the_parameter_and_the_report_says_so() {
    let pack = regions();
    let mut evidence = example();
    evidence["contract"]["reporting_deadline_days"] = serde_json::json!(10);
    // The contract's 10 days take precedence over an override of 20.
    let options = Options::default().param("reporting_deadline_days", "20");
    let report = pack.evaluate(&evidence, &options);
    assert_eq!(report.params["reporting_deadline_days"], 20);
    let decided = &report.params_from_evidence["reporting_deadline_days"];
    assert_eq!(decided.path, "/contract/reporting_deadline_days");
    assert_eq!(decided.value, 10);
    // In the JSON contract, after `params`; and it reads back.
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(
        json["params_from_evidence"]["reporting_deadline_days"],
        serde_json::json!({ "path": "/contract/reporting_deadline_days", "value": 10 })
    );
    let back: conduct::Report = serde_json::from_value(json).unwrap();
    assert_eq!(back, report);
    // Deterministic: byte-identical for the same inputs.
    assert_eq!(
        serde_json::to_string(&report).unwrap(),
        serde_json::to_string(&pack.evaluate(&evidence, &options)).unwrap()
    );
}

#[test]
fn without_the_field_the_override_applies_and_nothing_is_recorded() {
    let pack = hours();
    let evidence = serde_json::json!({ "hours": 70, "start": "2024-01-01" });
    let report = pack.evaluate(&evidence, &Options::default().param("max_hours", "72"));
    assert_eq!(report.outcomes[0].status, Status::Compliant);
    assert!(report.params_from_evidence.is_empty());
    let json = serde_json::to_value(&report).unwrap();
    assert!(json.get("params_from_evidence").is_none(), "{json}");
    // `null` is absent too.
    let evidence = serde_json::json!({ "contract": { "max_hours": null }, "hours": 70, "start": "2024-01-01" });
    let report = pack.evaluate(&evidence, &Options::default());
    assert_eq!(report.outcomes[0].status, Status::Violated);
    assert_eq!(
        report.outcomes[0].violations[0].message,
        "70 hours; the limit is 60"
    );
    assert!(report.params_from_evidence.is_empty());
}

#[test]
fn a_field_value_of_the_wrong_type_or_outside_the_bounds_is_invalid_evidence() {
    let pack = hours();
    for (value, reason) in [
        (
            serde_json::json!(100),
            "`max_hours` must be at most 84, got 100",
        ),
        (
            serde_json::json!(0),
            "`max_hours` must be at least 1, got 0",
        ),
        (
            serde_json::json!("sixty"),
            "expected a number, found \"sixty\"",
        ),
    ] {
        let evidence = serde_json::json!({
            "contract": { "max_hours": value }, "hours": 70, "start": "2024-01-01"
        });
        let report = pack.evaluate(&evidence, &Options::default().param("max_hours", "80"));
        let outcome = &report.outcomes[0];
        assert_eq!(outcome.status, Status::InsufficientEvidence, "{value}");
        assert_eq!(outcome.invalid.len(), 1, "{value}");
        assert_eq!(outcome.invalid[0].path, "/contract/max_hours");
        assert_eq!(outcome.invalid[0].reason, reason);
        assert!(report.params_from_evidence.is_empty());
        // A clause that does not read the parameter is not affected.
        assert_eq!(report.outcomes[1].status, Status::Compliant);
    }
    // A date field decides a date parameter.
    let evidence = serde_json::json!({
        "contract": { "start": "2025-01-01" }, "hours": 10, "start": "2024-06-01"
    });
    let report = pack.evaluate(&evidence, &Options::default());
    assert_eq!(report.outcomes[1].status, Status::Violated);
    assert_eq!(report.params_from_evidence["earliest"].value, "2025-01-01");
}
