//! Evaluation options against a pack (issue 12, "Options"): the pack lists its parameters
//! (`RulePack::params`), `check_options` lists every problem (unknown names with suggestions,
//! values not of the parameter's type, a language the pack lacks), and a language the pack
//! lacks is an error in the library too, not a silent fallback.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use conduct::pack::{OptionsError, ParamInfo};
use conduct::{Options, RulePack, Status, Verdict};

fn regions() -> RulePack {
    RulePack::load("rules/regions").unwrap()
}

fn example() -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string("examples/example-evidence.json").unwrap())
        .unwrap()
}

const TYPED: &str = r#"pack typed "Typed" languages en, de
evidence { hours: number }
param max_hours: number = 60 source "ETI Base Code 6.1"
param strict: bool = false
param since: date = date("2024-01-01") source "the code's 2024 edition"
param grace: duration = 30 days
param scheme: string = "sa8000"

clause hours.limit
  title en "Hours" de "Arbeitszeit"
  require hours <= max_hours or strict or since > date("2030-01-01") or grace > 90 days or scheme == "x"
    message en "{actual} hours" de "{actual} Stunden"
"#;

fn typed() -> RulePack {
    RulePack::builder()
        .file("pack.conduct", TYPED)
        .build()
        .unwrap()
}

#[test]
fn params_lists_every_parameter_with_its_type_default_and_source() {
    let params = typed().params();
    let rows: Vec<(&str, &str, &str, Option<&str>)> = params
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.ty.as_str(),
                p.default.as_str(),
                p.source.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("max_hours", "number", "60", Some("ETI Base Code 6.1")),
            ("strict", "bool", "false", None),
            (
                "since",
                "date",
                "2024-01-01",
                Some("the code's 2024 edition")
            ),
            ("grace", "duration", "30 days", None),
            ("scheme", "string", "sa8000", None),
        ]
    );
    // Each default, given back as an override, is accepted.
    let mut options = Options::default();
    for p in &params {
        options = options.param(&p.name, &p.default);
    }
    assert_eq!(typed().check_options(&options), Ok(()));
}

#[test]
fn params_of_the_shipped_pack() {
    let params: Vec<ParamInfo> = regions().params();
    assert_eq!(params.len(), regions().param_names().count());
    let hours = params
        .iter()
        .find(|p| p.name == "max_weekly_hours")
        .unwrap();
    assert_eq!(hours.ty, "number");
    assert_eq!(hours.default, "60");
    assert!(
        hours
            .source
            .as_deref()
            .unwrap()
            .starts_with("ETI Base Code 6.1"),
        "{hours:?}"
    );
}

#[test]
fn check_options_lists_every_problem_in_the_order_given() {
    let options = Options::default()
        .language("de")
        .param("max_weekly_hour", "48")
        .param("max_weekly_hours", "abc")
        .param("zzz", "1");
    let problems = regions().check_options(&options).unwrap_err();
    let messages: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "the pack has no language `de`; its languages are `en`, `sv`",
            "the pack has no parameter `max_weekly_hour`; did you mean `max_weekly_hours`?",
            "parameter `max_weekly_hours`: `abc` is not a number",
            "the pack has no parameter `zzz`",
        ]
    );
    assert!(matches!(
        &problems[0],
        OptionsError::UnknownLanguage { language, available }
            if language == "de" && available == &["en", "sv"]
    ));
    // The umbrella error holds them all, so `?` works in a function returning `conduct::Error`.
    let error = conduct::Error::from(problems);
    assert_eq!(error.to_string().lines().count(), 4, "{error}");
}

#[test]
fn a_language_the_pack_lacks_is_an_error_not_a_fallback() {
    let report = regions().evaluate(&example(), &Options::default().language("de"));
    assert_eq!(report.verdict, Verdict::Incomplete);
    for outcome in &report.outcomes {
        assert_eq!(outcome.status, Status::Error, "{}", outcome.clause);
        assert_eq!(
            outcome.error.as_deref(),
            Some("the pack has no language `de`; its languages are `en`, `sv`")
        );
    }
}

#[test]
fn any_language_the_pack_declares_is_accepted() {
    let pack = typed();
    let evidence = serde_json::json!({ "hours": 70 });
    let options = Options::default().language("de");
    assert_eq!(pack.check_options(&options), Ok(()));
    let report = pack.evaluate(&evidence, &options);
    assert_eq!(report.language, "de");
    let outcome = report.outcome("hours.limit").unwrap();
    assert_eq!(outcome.status, Status::Violated);
    assert_eq!(outcome.title, "Arbeitszeit");
    assert_eq!(outcome.violations[0].message, "70 Stunden");
}

#[test]
fn without_a_language_the_report_is_in_the_packs_first_language() {
    // Unchanged: no language given is not an error.
    let report = regions().evaluate(&example(), &Options::default());
    assert_eq!(report.language, "en");
    assert!(report.outcomes.iter().all(|o| o.status != Status::Error));
    let sv_first = RulePack::builder()
        .file(
            "pack.conduct",
            "pack p \"P\" languages sv, en\nclause a.b\n  title sv \"S\" en \"E\"\n  require true\n    message sv \"m\" en \"m\"\n",
        )
        .build()
        .unwrap();
    let report = sv_first.evaluate(&serde_json::json!({}), &Options::default());
    assert_eq!(report.language, "sv");
    assert_eq!(sv_first.check_options(&Options::default()), Ok(()));
}
