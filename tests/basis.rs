//! Basis, severe deviations and readable requirements (`conduct-report/2`, issue 14): how the
//! facts behind a finding were obtained (`basis`), the code's severe-deviation category
//! (`severe`), and `expected` that is a bound or the author's words, never rule source.
//! Fixtures cannot assert these fields, so they are asserted here on the regions pack's
//! media-allegation fixture and on small packs.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails loudly when the output is not what it expects"
)]

use std::path::Path;
use std::sync::OnceLock;

use conduct::report::Basis;
use conduct::{Options, Report, RulePack, Severity, Violation};
use serde_json::Value;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn regions() -> &'static RulePack {
    static PACK: OnceLock<RulePack> = OnceLock::new();
    PACK.get_or_init(|| RulePack::load(Path::new(ROOT).join("rules/regions")).unwrap())
}

/// The evidence of the media-allegation fixture.
fn media_evidence() -> Value {
    let path = Path::new(ROOT)
        .join("rules/regions/tests/child_labour.minimum_age/violated-media-allegation.json");
    let fixture: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    fixture["evidence"].clone()
}

fn violations_of<'r>(report: &'r Report, clause: &str) -> Vec<&'r Violation> {
    report.violations().filter(|v| v.clause == clause).collect()
}

#[test]
fn a_media_report_is_a_critical_allegation_of_a_severe_deviation() {
    let report = regions().evaluate(&media_evidence(), &Options::default());
    let found = violations_of(&report, "child_labour.minimum_age");
    assert!(!found.is_empty(), "the fixture shows a child at work");
    for v in found {
        assert_eq!(v.basis, Some(Basis::Alleged), "{}", v.id);
        assert_eq!(v.severity, Severity::Critical, "{}", v.id);
        assert_eq!(v.severe.as_deref(), Some("child_labour"), "{}", v.id);
    }
}

#[test]
fn the_basis_follows_the_sites_observation_source() {
    for (source, basis) in [
        (Some("factory_audit"), Some(Basis::Verified)),
        (Some("office_audit"), Some(Basis::Verified)),
        (Some("self_assessment"), Some(Basis::SelfReported)),
        (Some("third_party"), Some(Basis::Alleged)),
        (None, None),
    ] {
        let mut evidence = media_evidence();
        let site = &mut evidence["sites"][0];
        match source {
            Some(s) => site["observation_source"] = s.into(),
            None => {
                site.as_object_mut().unwrap().remove("observation_source");
            }
        }
        let report = regions().evaluate(&evidence, &Options::default());
        let found = violations_of(&report, "child_labour.minimum_age");
        assert!(!found.is_empty());
        for v in found {
            assert_eq!(v.basis, basis, "{source:?}: {}", v.id);
        }
    }
}

/// A small pack exercising the language: a clause-level `basis` and `severe` inherited by
/// each requirement without its own (naming its loop variable), `severe … when severity`, and
/// `expected` in the author's words.
const PACK: &str = r#"
pack t "T" languages en, sv

evidence {
  sites: [{
    key site_id: string
    source: "media" | "factory_audit"
    age: number
    hours: number
    tags: [string]
    note: string
  }]
}

clause a.sites
  title en "Sites" sv "Anläggningar"
  severity major
  basis if s.source == "media" then "alleged" else "verified"
  severe "danger_to_life" when severity == "critical"
  for each s in sites:
    require s.age >= 15
      named age
      message en "age {s.age}" sv "ålder {s.age}"
      severity critical
    require s.hours <= 60
      named hours
      message en "hours {s.hours}, note {s.note}" sv "timmar {s.hours}, not {s.note}"
      expected en "at most 60 hours a week" sv "högst 60 timmar i veckan"
      basis "self_reported"
    require "sealed" in s.tags
      named sealed
      message en "not sealed" sv "inte förseglad"
      severe "forced_labour"
    require any(t in s.tags: t == "guarded")
      named guarded
      message en "not guarded" sv "inte skyddad"
  end
"#;

fn small() -> RulePack {
    RulePack::builder().file("t.conduct", PACK).build().unwrap()
}

fn evidence() -> Value {
    serde_json::json!({ "sites": [
        { "site_id": "S1", "source": "media", "age": 13, "hours": 70, "tags": ["open"] }
    ]})
}

fn by_requirement(report: &Report, name: &str) -> Violation {
    report
        .violations()
        .find(|v| v.requirement == name)
        .unwrap_or_else(|| panic!("no violation of {name}"))
        .clone()
}

#[test]
fn clause_lines_are_inherited_and_a_requirements_own_win() {
    let report = small().evaluate(&evidence(), &Options::default());
    let age = by_requirement(&report, "age");
    assert_eq!(age.basis, Some(Basis::Alleged));
    assert_eq!(age.severe.as_deref(), Some("danger_to_life"));
    let hours = by_requirement(&report, "hours");
    assert_eq!(hours.basis, Some(Basis::SelfReported));
    assert_eq!(hours.severe, None, "a major finding is not in the category");
    assert_eq!(
        by_requirement(&report, "sealed").severe.as_deref(),
        Some("forced_labour")
    );
}

#[test]
fn expected_is_a_bound_or_the_authors_words_never_rule_source() {
    for (lang, hours, sealed, guarded) in [
        (
            "en",
            "at most 60 hours a week",
            "contains \"sealed\"",
            "the requirement to hold",
        ),
        (
            "sv",
            "högst 60 timmar i veckan",
            "innehåller \"sealed\"",
            "att kravet uppfylls",
        ),
    ] {
        let report = small().evaluate(&evidence(), &Options::default().language(lang));
        assert_eq!(by_requirement(&report, "age").expected, ">= 15");
        assert_eq!(by_requirement(&report, "hours").expected, hours);
        let s = by_requirement(&report, "sealed");
        assert_eq!(s.expected, sealed);
        assert_eq!(s.path, "/sites/0/tags", "the list is the evidence");
        assert_eq!(s.actual, serde_json::json!(["open"]));
        assert_eq!(by_requirement(&report, "guarded").expected, guarded);
    }
}

#[test]
fn an_unknown_placeholder_is_never_rendered_as_unknown() {
    let en = small().evaluate(&evidence(), &Options::default());
    assert_eq!(
        by_requirement(&en, "hours").message,
        "hours 70, note (not given)"
    );
    let sv = small().evaluate(&evidence(), &Options::default().language("sv"));
    assert_eq!(
        by_requirement(&sv, "hours").message,
        "timmar 70, not (uppgift saknas)"
    );
}

#[test]
fn severe_is_absent_from_the_json_of_other_findings() {
    let report = small().evaluate(&evidence(), &Options::default());
    let json = serde_json::to_value(&report).unwrap();
    let text = json.to_string();
    assert!(text.contains("\"severe\":\"forced_labour\""));
    let back: Report = serde_json::from_value(json).unwrap();
    assert_eq!(
        by_requirement(&back, "sealed").severe.as_deref(),
        Some("forced_labour")
    );
    assert_eq!(by_requirement(&back, "guarded").severe, None);
}
