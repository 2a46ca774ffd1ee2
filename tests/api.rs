//! The public API: thread safety, cheap clones, options checking, determinism.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use conduct::pack::{EvalLimits, OptionsError};
use conduct::report::Date;
use conduct::{Error, Options, Report, RulePack, Status, Verdict};

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn pack_and_report_are_send_and_sync() {
    assert_send_sync::<RulePack>();
    assert_send_sync::<Report>();
    assert_send_sync::<Error>();
    assert_send_sync::<Options>();
}

fn regions() -> RulePack {
    RulePack::load(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/regions")).unwrap()
}

fn example() -> serde_json::Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/example-evidence.json"
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn one_pack_evaluates_on_many_threads() {
    let pack = regions();
    let evidence = example();
    let expected = serde_json::to_string(&pack.evaluate(&evidence, &Options::default())).unwrap();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let pack = pack.clone();
            let evidence = evidence.clone();
            std::thread::spawn(move || {
                serde_json::to_string(&pack.evaluate(&evidence, &Options::default())).unwrap()
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), expected);
    }
}

/// Rebuilds a JSON value with every object's keys in reverse order.
fn reversed(v: &serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(m) => {
            let mut out = serde_json::Map::new();
            for (k, x) in m.iter().rev() {
                out.insert(k.clone(), reversed(x));
            }
            serde_json::Value::Object(out)
        }
        serde_json::Value::Array(a) => serde_json::Value::Array(a.iter().map(reversed).collect()),
        other => other.clone(),
    }
}

#[test]
fn same_input_gives_a_byte_identical_report_whatever_the_key_order() {
    let pack = regions();
    let evidence = example();
    let a = serde_json::to_string(&pack.evaluate(&evidence, &Options::default())).unwrap();
    let b =
        serde_json::to_string(&pack.evaluate(&reversed(&evidence), &Options::default())).unwrap();
    let text = serde_json::to_string(&reversed(&evidence)).unwrap();
    let reparsed: serde_json::Value = serde_json::from_str(&text).unwrap();
    let c = serde_json::to_string(&pack.evaluate(&reparsed, &Options::default())).unwrap();
    assert_eq!(a, b);
    assert_eq!(a, c);
}

#[test]
fn the_evaluation_date_comes_from_options_or_the_evidence_never_the_clock() {
    let pack = regions();
    let mut evidence = example();
    let report = pack.evaluate(&evidence, &Options::default());
    assert_eq!(
        report.as_of.map(|d| d.to_string()).as_deref(),
        Some("2024-10-31")
    );
    let report = pack.evaluate(
        &evidence,
        &Options::default().as_of(Date::parse("2025-01-15").unwrap()),
    );
    assert_eq!(
        report.as_of.map(|d| d.to_string()).as_deref(),
        Some("2025-01-15")
    );
    evidence["assessment"]
        .as_object_mut()
        .unwrap()
        .remove("as_of");
    let report = pack.evaluate(&evidence, &Options::default());
    assert_eq!(report.as_of, None);
    // Clauses that need the date cannot be decided; none is silently compliant on it.
    let minimum_age = report.outcome("child_labour.minimum_age").unwrap();
    assert_eq!(minimum_age.status, Status::InsufficientEvidence);
    assert!(
        minimum_age
            .missing
            .iter()
            .any(|m| m.path == "/assessment/as_of"),
        "{:?}",
        minimum_age.missing
    );
}

#[test]
fn parameter_overrides_are_checked() {
    let pack = regions();
    assert!(
        pack.check_options(&Options::default().param("max_weekly_hours", "48"))
            .is_ok()
    );
    match pack
        .check_options(&Options::default().param("max_weekly_hour", "48"))
        .as_ref()
        .map_err(Vec::as_slice)
    {
        Err([OptionsError::UnknownParam { name, help }]) => {
            assert_eq!(name, "max_weekly_hour");
            assert_eq!(help.as_deref(), Some("did you mean `max_weekly_hours`?"));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        pack.check_options(&Options::default().param("max_weekly_hours", "sixty"))
            .as_ref()
            .map_err(Vec::as_slice),
        Err([OptionsError::BadParam { .. }])
    ));
    // Evaluating with a bad override does not pretend: every clause is an error.
    let report = pack.evaluate(&example(), &Options::default().param("nope", "1"));
    assert!(report.outcomes.iter().all(|o| o.status == Status::Error));
    assert_eq!(report.verdict, Verdict::Incomplete);
}

#[test]
fn a_parameter_override_changes_the_outcome() {
    let pack = regions();
    let mut evidence = example();
    // Remove the summary so the shares come from the raw weeks (45+27 = 72 h and 45+12 = 57 h).
    evidence["sites"][0]["hours_records"]
        .as_object_mut()
        .unwrap()
        .remove("summary");
    let hours = |r: &Report| r.outcome("working_hours.weekly_limit").unwrap().clone();
    let default = hours(&pack.evaluate(&evidence, &Options::default()));
    assert_eq!(default.status, Status::Violated);
    assert_eq!(default.violations[0].actual, serde_json::json!(0.5));
    let relaxed = hours(&pack.evaluate(
        &evidence,
        &Options::default().param("max_weekly_hours", "80"),
    ));
    assert_eq!(relaxed.status, Status::Compliant, "{relaxed:#?}");
}

#[test]
fn the_report_round_trips_through_json() {
    let pack = regions();
    let report = pack.evaluate(&example(), &Options::default());
    let text = serde_json::to_string(&report).unwrap();
    let back = Report::from_json(&text).unwrap();
    assert_eq!(back, report);
}

#[test]
fn evidence_nested_beyond_the_limit_where_no_clause_reads_changes_nothing() {
    let pack = regions();
    let mut deep = serde_json::json!(1);
    for _ in 0..200 {
        deep = serde_json::json!([deep]);
    }
    let mut evidence = example();
    let plain = pack.evaluate(&evidence, &Options::default());
    evidence["extra"] = deep;
    let report = pack.evaluate(&evidence, &Options::default());
    assert!(report.outcomes.iter().all(|o| o.status != Status::Error));
    assert_eq!(report, plain);
}

#[test]
fn a_step_limit_is_an_error_outcome_for_that_clause_only() {
    let src = r#"pack p "P" languages en
evidence { xs: [number] }
clause a.cross
  title en "Cross product"
  require count(x in xs, y in xs, z in xs) > 0
    message en "m"
clause b.simple
  title en "Simple"
  require length(xs) > 0
    message en "m"
"#;
    let pack = RulePack::builder().file("p.conduct", src).build().unwrap();
    let xs: Vec<u32> = (0..100).collect();
    let evidence = serde_json::json!({ "xs": xs });
    let options = Options::default().limits(EvalLimits::default().max_steps(10_000));
    let report = pack.evaluate(&evidence, &options);
    assert_eq!(report.outcomes[0].status, Status::Error);
    assert!(
        report.outcomes[0]
            .error
            .as_deref()
            .unwrap()
            .contains("max_steps")
    );
    assert_eq!(report.outcomes[1].status, Status::Compliant);
}

#[test]
fn many_violations_are_truncated_with_a_marker() {
    let src = r#"pack p "P" languages en
evidence { xs: [number] }
clause a.each
  title en "Each"
  for each x in xs:
    require x < 0
      message en "{x}"
  end
"#;
    let pack = RulePack::builder().file("p.conduct", src).build().unwrap();
    let xs: Vec<u32> = (0..50).collect();
    let options = Options::default().limits(EvalLimits::default().max_violations(10));
    let report = pack.evaluate(&serde_json::json!({ "xs": xs }), &options);
    let o = &report.outcomes[0];
    assert_eq!(o.violations.len(), 10);
    assert!(o.truncated);
    assert_eq!(o.status, Status::Violated);
}

/// Without an evaluation date, a clause that needs one lists it as missing evidence: under the
/// name `as_of` when the pack reads none from the evidence (no command-line hint in the
/// report), under its pointer when the pack reads it from a field.
#[test]
fn a_missing_evaluation_date_is_missing_evidence() {
    let clause = "clause a.b\n  title en \"T\"\n  require age(child_born, as_of) >= 15\n";
    let named = RulePack::builder()
        .file(
            "p.conduct",
            &format!("pack p \"P\" languages en\nevidence {{ child_born: date }}\n{clause}"),
        )
        .build()
        .unwrap();
    let evidence = serde_json::json!({ "child_born": "2000-01-01" });
    let report = named.evaluate(&evidence, &Options::default());
    assert_eq!(report.outcomes[0].status, Status::InsufficientEvidence);
    assert_eq!(report.outcomes[0].missing[0].path, "as_of");
    assert_eq!(report.outcomes[0].missing.len(), 1);
    assert!(
        conduct::report::text::render(&report, None)
            .contains("Missing: the assessment date (give --as-of)")
    );

    let read = RulePack::builder()
        .file(
            "p.conduct",
            &format!(
                "pack p \"P\" languages en\n  as_of from assessed_on\n\
                 evidence {{ child_born: date, assessed_on: date }}\n{clause}"
            ),
        )
        .build()
        .unwrap();
    let report = read.evaluate(&evidence, &Options::default());
    assert_eq!(report.outcomes[0].status, Status::InsufficientEvidence);
    assert_eq!(report.outcomes[0].missing.len(), 1);
    assert_eq!(report.outcomes[0].missing[0].path, "/assessed_on");
}
