#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Clauses that read clauses: `violated`, `violated_for`, `outcome` and `title_of` over every
//! status the read clause can have, the order clauses are judged in, and the report's order.

use conduct::report::Date;
use conduct::{Options, RulePack, Status};
use serde_json::json;

/// `reader.site` reads `hours.weekly` (written after it) for one site; `reader.any` reads
/// whether it is violated at all; `reader.title` names it.
const PACK: &str = r#"pack demo "Refs" languages en, sv
evidence {
  level: "basic" | "advanced"
  broken: bool
  sites: [{ key site_id: string, hours: number }]
}

clause reader.site
  title en "Reader for one site"
  severity minor
  require not violated_for("hours.weekly", "S1")
    message en "S1 breaks {title_of("hours.weekly")}" sv "S1 bryter mot {title_of("hours.weekly")}"

clause reader.any
  title en "Reader for the clause"
  severity minor
  require not violated("hours.weekly")
    message en "{outcome("hours.weekly")}"

clause hours.weekly
  title en "Weekly hours" sv "Veckoarbetstid"
  severity major
  applies when level == "advanced"
  insufficient unless length(sites) > 0
  require not broken
    message en "broken"
  for each s in sites:
    require s.hours <= 60
      message en "{actual} hours at {s.site_id}"
  end
"#;

fn pack() -> RulePack {
    RulePack::builder()
        .file("pack.conduct", PACK)
        .build()
        .unwrap()
}

fn statuses(
    evidence: serde_json::Value,
    language: &str,
) -> (Vec<(String, Status)>, conduct::Report) {
    let options = Options::default()
        .as_of(Date::parse("2024-10-31").unwrap())
        .language(language);
    let report = pack().evaluate(&evidence, &options);
    let statuses = report
        .outcomes
        .iter()
        .map(|o| (o.clause.clone(), o.status))
        .collect();
    (statuses, report)
}

fn status_of(s: &[(String, Status)], clause: &str) -> Status {
    s.iter().find(|(c, _)| c == clause).unwrap().1
}

#[test]
fn outcomes_are_reported_in_the_pack_order_though_judged_after_what_they_read() {
    let (s, _) = statuses(
        json!({ "level": "advanced", "broken": false, "sites": [] }),
        "en",
    );
    let order: Vec<&str> = s.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(order, ["reader.site", "reader.any", "hours.weekly"]);
}

#[test]
fn violated_for_is_about_the_subject_asked_for() {
    let s1 = json!({ "level": "advanced", "broken": false,
                     "sites": [{ "site_id": "S1", "hours": 70 }, { "site_id": "S2", "hours": 40 }] });
    let (s, report) = statuses(s1, "sv");
    assert_eq!(status_of(&s, "hours.weekly"), Status::Violated);
    assert_eq!(status_of(&s, "reader.site"), Status::Violated);
    assert_eq!(status_of(&s, "reader.any"), Status::Violated);
    // The title in the report's language, never the id.
    assert_eq!(
        report.outcomes[0].violations[0].message,
        "S1 bryter mot Veckoarbetstid"
    );
    assert_eq!(report.outcomes[1].violations[0].message, "violated");

    let s2 = json!({ "level": "advanced", "broken": false,
                     "sites": [{ "site_id": "S1", "hours": 40 }, { "site_id": "S2", "hours": 70 }] });
    let (s, _) = statuses(s2, "en");
    assert_eq!(status_of(&s, "hours.weekly"), Status::Violated);
    assert_eq!(
        status_of(&s, "reader.site"),
        Status::Compliant,
        "S2's finding is not S1's"
    );
    assert_eq!(status_of(&s, "reader.any"), Status::Violated);
}

#[test]
fn a_compliant_or_inapplicable_clause_is_not_violated() {
    for (level, expected) in [
        ("advanced", Status::Compliant),
        ("basic", Status::NotApplicable),
    ] {
        let e =
            json!({ "level": level, "broken": false, "sites": [{ "site_id": "S1", "hours": 40 }] });
        let (s, _) = statuses(e, "en");
        assert_eq!(status_of(&s, "hours.weekly"), expected);
        assert_eq!(status_of(&s, "reader.site"), Status::Compliant);
        assert_eq!(status_of(&s, "reader.any"), Status::Compliant);
    }
}

#[test]
fn an_undecided_clause_leaves_its_readers_undecided_with_its_missing_evidence() {
    let e = json!({ "level": "advanced", "broken": false, "sites": [] });
    let (s, report) = statuses(e, "en");
    assert_eq!(status_of(&s, "hours.weekly"), Status::InsufficientEvidence);
    for reader in ["reader.site", "reader.any"] {
        assert_eq!(
            status_of(&s, reader),
            Status::InsufficientEvidence,
            "{reader}"
        );
        let outcome = report.outcomes.iter().find(|o| o.clause == reader).unwrap();
        let missing: Vec<&str> = outcome.missing.iter().map(|m| m.path.as_str()).collect();
        assert_eq!(missing, ["/sites"], "{reader}");
    }
}

#[test]
fn a_clause_in_error_makes_its_readers_errors_and_outcome_says_so() {
    let pack = RulePack::builder()
        .file(
            "pack.conduct",
            r#"pack demo "Refs" languages en
evidence { sites: [{ key site_id: string, hours: number }] }
clause reader.strict
  title en "Strict reader"
  require not violated("math.bad")
    message en "bad"
clause reader.status
  title en "Status reader"
  require outcome("math.bad") == "error"
    message en "not an error"
clause math.bad
  title en "Every pair of sites"
  require all(s in sites, t in sites: s.hours + t.hours > 0)
    message en "never"
"#,
        )
        .build()
        .unwrap();
    // 40 sites: 1,600 pairs, past a step limit the readers' few steps stay far below.
    let sites: Vec<_> = (0..40)
        .map(|i| json!({ "site_id": format!("S{i}"), "hours": 40 }))
        .collect();
    let e = json!({ "sites": sites });
    let options = Options::default()
        .as_of(Date::parse("2024-01-01").unwrap())
        .limits(conduct::pack::EvalLimits::default().max_steps(500));
    let report = pack.evaluate(&e, &options);
    let by = |c: &str| report.outcomes.iter().find(|o| o.clause == c).unwrap();
    assert_eq!(by("math.bad").status, Status::Error);
    assert_eq!(by("reader.strict").status, Status::Error);
    assert_eq!(
        by("reader.strict").error.as_deref(),
        Some(
            "clause `math.bad` could not be evaluated: \
             evaluation of `math.bad` took more than 500 steps (limit `max_steps`)"
        )
    );
    // `outcome` is a status text, always known: a reader can act on an error.
    assert_eq!(by("reader.status").status, Status::Compliant);
}

#[test]
fn an_id_read_from_the_evidence_that_names_no_clause_is_invalid_evidence() {
    let pack = RulePack::builder()
        .file(
            "pack.conduct",
            r#"pack demo "Refs" languages en
evidence { answers: [{ key q: string, clause_id: string }] }
clause reader.answers
  title en "Answers"
  for each a in answers:
    require outcome(a.clause_id) != "violated"
      message en "{a.q}"
  end
clause other.one
  title en "Other"
  require true
    message en "never"
"#,
        )
        .build()
        .unwrap();
    let e = json!({ "answers": [{ "q": "Q1", "clause_id": "no.such" },
                                { "q": "Q2", "clause_id": "reader.answers" }] });
    let report = pack.evaluate(
        &e,
        &Options::default().as_of(Date::parse("2024-01-01").unwrap()),
    );
    let o = &report.outcomes[0];
    // Q1 names no clause: invalid evidence at its pointer. Q2 names the reader itself,
    // which is being judged: an error of the reading clause, never a guess.
    assert_eq!(o.status, Status::Error, "{o:?}");
    let e = json!({ "answers": [{ "q": "Q1", "clause_id": "no.such" }] });
    let report = pack.evaluate(
        &e,
        &Options::default().as_of(Date::parse("2024-01-01").unwrap()),
    );
    let o = &report.outcomes[0];
    assert_eq!(o.status, Status::InsufficientEvidence);
    assert_eq!(o.invalid.len(), 1);
    assert_eq!(o.invalid[0].path, "/answers/0/clause_id");
    assert!(
        o.invalid[0].reason.contains("not a clause"),
        "{}",
        o.invalid[0].reason
    );
}
