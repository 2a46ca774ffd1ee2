//! The public types behave as a Rust user expects (issue 12, "Types"): `Display`, `FromStr`
//! with a typed error, `Ord` by seriousness, serde for dates, and serde round trips of reports
//! and diagnostics that lose nothing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::str::FromStr;

use conduct::pack::Code;
use conduct::report::Date;
use conduct::{Diagnostic, Error, Options, Report, RulePack, Severity, Status, Verdict};

fn regions() -> RulePack {
    RulePack::load(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/regions")).unwrap()
}

fn example_report() -> Report {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/example-evidence.json"
    ))
    .unwrap();
    let evidence: serde_json::Value = serde_json::from_str(&text).unwrap();
    regions().evaluate(&evidence, &Options::default())
}

#[test]
fn status_displays_parses_and_orders_by_seriousness() {
    let all = [
        Status::NotApplicable,
        Status::NotExamined,
        Status::Compliant,
        Status::InsufficientEvidence,
        Status::Error,
        Status::Violated,
    ];
    for s in all {
        assert_eq!(s.to_string(), s.as_str());
        assert_eq!(s.as_str().parse::<Status>().unwrap(), s);
        // The same name as in the JSON report.
        assert_eq!(
            serde_json::to_value(s).unwrap(),
            serde_json::Value::from(s.as_str())
        );
    }
    let mut sorted = all;
    sorted.reverse();
    sorted.sort();
    assert_eq!(sorted, all);
    assert_eq!(all.iter().max(), Some(&Status::Violated));
    let error = "violation".parse::<Status>().unwrap_err();
    assert_eq!(
        error.to_string(),
        "unknown status `violation`; expected one of `violated`, `compliant`, \
         `insufficient_evidence`, `not_applicable`, `not_examined`, `error`"
    );
}

#[test]
fn verdict_displays_parses_and_orders_by_seriousness() {
    let all = [
        Verdict::Compliant,
        Verdict::Incomplete,
        Verdict::NonCompliant,
    ];
    for v in all {
        assert_eq!(v.to_string(), v.as_str());
        assert_eq!(Verdict::from_str(v.as_str()).unwrap(), v);
    }
    assert!(Verdict::Compliant < Verdict::Incomplete);
    assert!(Verdict::Incomplete < Verdict::NonCompliant);
    assert!("non-compliant".parse::<Verdict>().is_err());
}

#[test]
fn severity_and_code_parse_their_names() {
    for s in [Severity::Minor, Severity::Major, Severity::Critical] {
        assert_eq!(s.to_string().parse::<Severity>().unwrap(), s);
    }
    assert_eq!(
        "Critical".parse::<Severity>().unwrap_err().to_string(),
        "unknown severity `Critical`; expected one of `minor`, `major`, `critical`"
    );
    assert_eq!("E204".parse::<Code>().unwrap(), Code::E204);
    assert_eq!("W001".parse::<Code>().unwrap().to_string(), "W001");
    assert!("E999".parse::<Code>().is_err());
    assert!("e204".parse::<Code>().is_err());
}

#[test]
fn dates_parse_with_a_reason_and_serialize_as_text() {
    let date: Date = "2024-02-29".parse().unwrap();
    assert_eq!(date.to_string(), "2024-02-29");
    assert_eq!(serde_json::to_string(&date).unwrap(), "\"2024-02-29\"");
    let back: Date = serde_json::from_str("\"2024-02-29\"").unwrap();
    assert_eq!(back, date);

    let form = "2024-2-29".parse::<Date>().unwrap_err();
    assert_eq!(
        form.to_string(),
        "`2024-2-29` is not a date in the form YYYY-MM-DD"
    );
    let day = "2024-02-30".parse::<Date>().unwrap_err();
    assert_eq!(
        day.to_string(),
        "`2024-02-30` is not a date: February 2024 has 29 days"
    );
    let month = "2024-13-01".parse::<Date>().unwrap_err();
    assert_eq!(
        month.to_string(),
        "`2024-13-01` is not a date: there is no month 13"
    );
    let error = serde_json::from_str::<Date>("\"2023-02-29\"").unwrap_err();
    assert!(
        error
            .to_string()
            .contains("`2023-02-29` is not a date: February 2023 has 28 days"),
        "{error}"
    );
}

#[test]
fn plain_serde_keeps_each_violations_clause() {
    let report = example_report();
    assert!(report.violations().count() > 0);
    let text = serde_json::to_string(&report).unwrap();
    let back: Report = serde_json::from_str(&text).unwrap();
    assert_eq!(back, report);
    for o in &back.outcomes {
        for v in &o.violations {
            assert_eq!(v.clause, o.clause);
        }
    }
    // The JSON bytes are the same after a round trip.
    assert_eq!(serde_json::to_string(&back).unwrap(), text);
    assert_eq!(Report::from_json(&text).unwrap(), report);
}

#[test]
fn diagnostics_round_trip_through_json() {
    let error = RulePack::builder()
        .file(
            "pack.conduct",
            "pack p \"P\" languages en\nparam unused: number = 1\nclause a.b\n  title en \"T\"\n  require minimun_age > 1\n    message en \"m\"\n",
        )
        .build()
        .unwrap_err();
    let Error::Compile(error) = error else {
        panic!("a compile error")
    };
    let diagnostics = error.diagnostics();
    assert!(!diagnostics.is_empty());
    let text = serde_json::to_string_pretty(diagnostics).unwrap();
    let back: Vec<Diagnostic> = serde_json::from_str(&text).unwrap();
    assert_eq!(back, diagnostics);
    assert_eq!(serde_json::to_string_pretty(&back).unwrap(), text);
    assert_eq!(back[0].code(), Code::E201);
}
