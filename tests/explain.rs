//! `conduct::tools::explain`: why a clause has its outcome.
#![cfg(feature = "tools")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! `conduct::tools::explain`: the why of one clause's outcome, recorded by the evaluator itself.

use conduct::tools::explain::{ExplainError, ItemResult, explain};
use conduct::{Options, RulePack, Severity, Status};

fn example() -> serde_json::Value {
    let text = std::fs::read_to_string("examples/example-evidence.json").unwrap();
    serde_json::from_str(&text).unwrap()
}

const TINY: &str = r#"pack p "P" languages en
param law_age: number = 14
evidence { sites: [{ law: number, workers: [{ age: number }] }] }
clause child.age
  title en "Minimum age"
  severity critical
  for each site in sites:
    let limit = max(15, site.law ?? law_age)
    for each w in site.workers:
      require w.age >= limit
        message en "too young"
        severity critical when w.age < 13, major when w.age < 14, minor otherwise
    end
  end
"#;

fn tiny() -> RulePack {
    RulePack::builder().file("p.conduct", TINY).build().unwrap()
}

#[test]
fn weekly_limit_names_the_share_read_and_the_major_case() {
    let pack = RulePack::load("rules/regions").unwrap();
    let evidence = example();
    let options = Options::default();
    let e = explain(&pack, &evidence, &options, "working_hours.weekly_limit").unwrap();
    assert_eq!(e.outcome.status, Status::Violated);
    let failing: Vec<_> = e
        .requirements
        .iter()
        .flat_map(|r| &r.items)
        .filter(|i| i.result == ItemResult::Fails)
        .collect();
    assert!(!failing.is_empty(), "{e}");
    let item = failing
        .iter()
        .find(|i| {
            i.found.as_ref().and_then(|f| f.path.as_deref())
                == Some("/sites/0/hours_records/summary/share_weeks_over_60")
        })
        .unwrap_or_else(|| panic!("no failing item reads the share:\n{e}"));
    let found = item.found.as_ref().unwrap();
    assert_eq!(found.value, serde_json::json!(0.22));
    assert_eq!(item.bindings[0].name, "site");
    assert_eq!(item.bindings[0].at, "/sites/0");
    let severity = item.severity.as_ref().unwrap();
    assert_eq!(severity.severity, Severity::Major);
    assert_eq!(severity.rule, "case");
    let case = &severity.cases[severity.case.unwrap()];
    assert_eq!(case.severity, Severity::Major);
    assert!(
        case.condition.contains("over_60 > 0.15"),
        "{}",
        case.condition
    );
    // The stricter of code and law: `cap = min(...)` with its arguments.
    let cap = e.lets.iter().find(|l| l.name == "cap").unwrap();
    assert_eq!(cap.function.as_deref(), Some("min"));
    assert!(cap.arguments.len() >= 2);
    assert!(cap.chosen.is_some());
    let text = e.to_string();
    assert!(text.contains("FAILS"), "{text}");
    assert!(
        text.contains("found 0.22 at /sites/0/hours_records/summary/share_weeks_over_60"),
        "{text}"
    );
    assert!(
        text.contains("severity major deviation: established by"),
        "{text}"
    );
}

#[test]
fn explaining_does_not_change_the_report() {
    let pack = RulePack::load("rules/regions").unwrap();
    let evidence = example();
    let options = Options::default();
    let report = pack.evaluate(&evidence, &options);
    for id in pack.clause_ids() {
        let e = explain(&pack, &evidence, &options, id).unwrap();
        let o = report.outcomes.iter().find(|o| o.clause == id).unwrap();
        assert_eq!(&e.outcome, o, "{id}");
    }
    assert_eq!(
        serde_json::to_value(pack.evaluate(&evidence, &options)).unwrap(),
        serde_json::to_value(&report).unwrap()
    );
}

#[test]
fn max_shows_its_arguments_and_the_chosen_bound() {
    let pack = tiny();
    let evidence = serde_json::json!({
        "sites": [{ "law": 16, "workers": [{ "age": 17 }, { "age": 13 }] }]
    });
    let e = explain(&pack, &evidence, &Options::default(), "child.age").unwrap();
    let limit = &e.lets[0];
    assert_eq!(limit.name, "limit");
    assert_eq!(limit.function.as_deref(), Some("max"));
    assert_eq!(limit.value.value, serde_json::json!(16));
    assert_eq!(limit.arguments[0].expression, "15");
    assert_eq!(limit.arguments[1].expression, "site.law ?? law_age");
    assert_eq!(limit.arguments[1].value.value, serde_json::json!(16));
    assert_eq!(limit.chosen, Some(1));
    let items = &e.requirements[0].items;
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].result, ItemResult::Holds);
    let fail = &items[1];
    assert_eq!(fail.result, ItemResult::Fails);
    assert_eq!(fail.bindings[1].name, "w");
    assert_eq!(fail.bindings[1].at, "/sites/0/workers/1");
    let c = fail.comparison.as_ref().unwrap();
    assert_eq!(c.left.value, serde_json::json!(13));
    assert_eq!(c.left.path.as_deref(), Some("/sites/0/workers/1/age"));
    assert_eq!(c.operator, ">=");
    assert_eq!(c.right.value, serde_json::json!(16));
    let s = fail.severity.as_ref().unwrap();
    assert_eq!(s.severity, Severity::Major);
    let text = e.to_string();
    assert!(
        text.contains("FAILS    site /sites/0, w /sites/0/workers/1: found 13 at /sites/0/workers/1/age, required >= 16"),
        "{text}"
    );
    assert!(
        text.contains("site.law ?? law_age = 16 at /sites/0/law  <- chosen"),
        "{text}"
    );
}

#[test]
fn base_severity_when_no_case_is_established() {
    let pack = tiny();
    let evidence = serde_json::json!({ "sites": [{ "workers": [{ "age": 14 }] }] });
    let e = explain(&pack, &evidence, &Options::default(), "child.age").unwrap();
    assert_eq!(e.lets[0].chosen, Some(0));
    let s = e.requirements[0].items[0].severity.as_ref().unwrap();
    assert_eq!(s.severity, Severity::Minor);
    assert_eq!(s.rule, "base");
    assert!(e.to_string().contains("base severity, no case established"));
}

#[test]
fn an_unknown_item_lists_its_missing_pointer() {
    let pack = tiny();
    let evidence = serde_json::json!({
        "sites": [{ "law": 16, "workers": [{ "age": 17 }, {}] }]
    });
    let e = explain(&pack, &evidence, &Options::default(), "child.age").unwrap();
    assert_eq!(e.outcome.status, Status::InsufficientEvidence);
    let item = &e.requirements[0].items[1];
    assert_eq!(item.result, ItemResult::Unknown);
    assert_eq!(item.missing, vec!["/sites/0/workers/1/age".to_string()]);
    assert!(
        e.to_string().contains(
            "UNKNOWN  site /sites/0, w /sites/0/workers/1: missing /sites/0/workers/1/age"
        )
    );
}

#[test]
fn an_unknown_clause_suggests_a_close_one() {
    let pack = RulePack::load("rules/regions").unwrap();
    let err = explain(
        &pack,
        &example(),
        &Options::default(),
        "working_hours.weekly_limt",
    )
    .unwrap_err();
    let ExplainError::UnknownClause { help, .. } = &err;
    assert_eq!(
        help.as_deref(),
        Some("did you mean `working_hours.weekly_limit`?")
    );
    assert!(err.to_string().contains("did you mean"));
}

#[test]
fn items_are_capped() {
    let pack = tiny();
    let workers: Vec<_> = (0..250).map(|_| serde_json::json!({ "age": 20 })).collect();
    let evidence = serde_json::json!({ "sites": [{ "law": 15, "workers": workers }] });
    let e = explain(&pack, &evidence, &Options::default(), "child.age").unwrap();
    assert_eq!(
        e.requirements[0].items.len(),
        conduct::tools::explain::MAX_ITEMS
    );
    assert_eq!(e.requirements[0].items_not_shown, 50);
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["requirements"][0]["items"][0]["result"], "holds");
}

#[test]
fn expressions_written_over_several_lines_are_quoted_on_one() {
    // `cap` is `min(max_weekly_hours, a ?? b ?? c)`, laid out over three lines by `conduct fmt`.
    let pack = RulePack::load("rules/regions").unwrap();
    let e = explain(
        &pack,
        &example(),
        &Options::default(),
        "working_hours.weekly_limit",
    )
    .unwrap();
    let text = conduct::tools::explain::render_text(&e);
    assert!(
        text.contains("site.applicable_law.max_hours_week ?? legal_max_weekly_hours[country] ?? max_weekly_hours = 60"),
        "{text}"
    );
    let json = serde_json::to_string(&e).unwrap();
    assert!(!json.contains("\\n "), "{json}");
}
