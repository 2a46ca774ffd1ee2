//! The documents derived from a pack: evidence requirements and the pack reference.
#![cfg(feature = "tools")]
#![allow(
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test fails loudly when the output is not what it expects"
)]

use conduct::RulePack;
use conduct::tools::docs::{
    ClauseRequirements, reference_html, reference_markdown, requirements, requirements_markdown,
    requirements_questions,
};

fn regions() -> RulePack {
    RulePack::load("rules/regions").expect("the shipped pack compiles")
}

fn clause<'a>(all: &'a [ClauseRequirements], id: &str) -> &'a ClauseRequirements {
    all.iter()
        .find(|c| c.clause == id)
        .expect("the clause is listed")
}

#[test]
fn minimum_age_requires_the_date_of_birth() {
    let all = requirements(&regions());
    let c = clause(&all, "child_labour.minimum_age");
    let required: Vec<&str> = c.required().collect();
    assert!(
        required.contains(&"/sites/*/workers/*/date_of_birth"),
        "{required:?}"
    );
    // Read only in messages: supporting.
    assert!(c.supporting().any(|p| p == "/sites/*/workers/*/worker_ref"));
}

#[test]
fn every_clause_in_pack_order_has_a_required_field() {
    let pack = regions();
    let all = requirements(&pack);
    let ids: Vec<&str> = pack.clause_ids().collect();
    let listed: Vec<&str> = all.iter().map(|c| c.clause.as_str()).collect();
    assert_eq!(listed, ids);
    assert_eq!(listed.len(), 39);
    for c in &all {
        assert!(
            c.required().next().is_some(),
            "{} has no required field",
            c.clause
        );
        let paths: Vec<&str> = c.fields.iter().map(|f| f.path.as_str()).collect();
        let mut sorted = paths.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(paths, sorted, "{}: sorted and deduplicated", c.clause);
        assert!(paths.iter().all(|p| p.starts_with('/')));
    }
}

#[test]
fn reference_markdown_mentions_every_clause_and_parameter() {
    let pack = regions();
    let text = reference_markdown(&pack, "en");
    for id in pack.clause_ids() {
        assert!(text.contains(&format!("`{id}`")), "{id} missing");
    }
    for name in pack.param_names() {
        assert!(text.contains(&format!("`{name}`")), "{name} missing");
    }
    // Table entries keep their sources.
    assert!(text.contains("| CN | 16 | C138 ratified 1999-04-28, declared 16 |"));
    assert!(text.contains(pack.digest()));
}

#[test]
fn reference_html_is_one_self_contained_page() {
    let pack = regions();
    let page = reference_html(&pack, "sv");
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.trim_end().ends_with("</html>"));
    assert_eq!(
        page.matches("<table>").count(),
        page.matches("</table>").count()
    );
    assert!(page.matches("<table>").count() >= 3);
    assert!(!page.contains("<script"));
    assert!(!page.contains("http://") && !page.contains("https://"));
    assert!(!page.contains("<link"));
    assert!(page.contains("Inget barnarbete: lägsta ålder för arbete"));
    for id in pack.clause_ids() {
        assert!(page.contains(id), "{id} missing");
    }
}

#[test]
fn reference_html_escapes_titles() {
    let pack = RulePack::builder()
        .file(
            "pack.conduct",
            r#"
pack tiny "Tiny <pack> & co" languages en
evidence { workers: [{ age: number }] }
param minimum_age: number = 15
  source "ILO <C138>"

clause wages.tiny
  title en "Pay < minimum is <b>wrong</b>"
  severity major
  for each w in workers:
    require w.age >= minimum_age
  end
"#,
        )
        .build()
        .expect("the tiny pack compiles");
    let page = reference_html(&pack, "en");
    // MiniJinja's HTML escaping also writes `/` as `&#x2f;`.
    assert!(page.contains("Pay &lt; minimum is &lt;b&gt;wrong&lt;&#x2f;b&gt;"));
    assert!(page.contains("Tiny &lt;pack&gt; &amp; co"));
    assert!(page.contains("ILO &lt;C138&gt;"));
    assert!(!page.contains("<b>"));
    assert_eq!(
        page.matches("<table>").count(),
        page.matches("</table>").count()
    );
}

#[test]
fn requirements_markdown_of_one_clause() {
    let pack = regions();
    let one: Vec<ClauseRequirements> = requirements(&pack)
        .into_iter()
        .filter(|c| c.clause == "child_labour.minimum_age")
        .collect();
    insta::assert_snapshot!(requirements_markdown(&pack, &one, "en"));
}

#[test]
fn questionnaire_in_swedish() {
    let pack = regions();
    insta::assert_snapshot!(requirements_questions(&pack, &requirements(&pack), "sv"));
}

#[test]
fn questionnaire_in_english() {
    let pack = regions();
    insta::assert_snapshot!(requirements_questions(&pack, &requirements(&pack), "en"));
}

#[test]
fn questionnaire_asks_in_plain_language_without_pointers_or_the_buyers_fields() {
    let pack = regions();
    let text = requirements_questions(&pack, &requirements(&pack), "sv");
    assert!(!text.contains("/sites") && !text.contains('`') && !text.contains('*'));
    // `contract.clause_level` is read by many clauses, but the buyer fills it in; audits are
    // the auditor's.
    assert!(
        requirements(&pack)
            .iter()
            .any(|c| c.supporting().any(|p| p == "/contract/clause_level"))
    );
    assert!(
        !text.contains("Avtalet") && !text.contains("Revisionens"),
        "{text}"
    );
    // Either the weekly total, or regular and overtime hours.
    assert!(text.contains(
        "- Ange ett av följande:\n  - Ange arbetade timmar totalt\n  - eller: Ange arbetade övertidstimmar; Ange arbetade ordinarie timmar"
    ));
    assert!(text.contains("## Löneutbetalning i tid"), "{text}");
}

#[test]
fn alternatives_list_both_sides_of_a_fallback_on_evidence() {
    let pack = RulePack::builder()
        .file(
            "pack.conduct",
            r#"
pack demo "Demo" languages en
evidence {
  weeks: [{ total: number description en "Total hours", regular: number, overtime: number }]
  plan: { due: date } filled by buyer
}
clause working_hours.limit
  title en "Hours"
  severity major
  for each w in weeks:
    require (w.total ?? w.regular + w.overtime) <= 60
      message en "too long"
  end
"#,
        )
        .build()
        .expect("compiles");
    let all = requirements(&pack);
    assert_eq!(all[0].alternatives.len(), 1);
    assert_eq!(all[0].alternatives[0].first, ["/weeks/*/total"]);
    assert_eq!(
        all[0].alternatives[0].otherwise,
        ["/weeks/*/overtime", "/weeks/*/regular"]
    );
    let text = requirements_questions(&pack, &all, "en");
    assert!(
        text.contains("- Give one of:\n  - Give total hours\n  - or: Give overtime; Give regular"),
        "{text}"
    );
}

#[test]
fn reference_has_no_file_references_notes_or_draft_brackets() {
    let pack = regions();
    for text in [reference_markdown(&pack, "sv"), reference_html(&pack, "en")] {
        assert!(!text.contains("SEMANTICS.md") && !text.contains("EVIDENCE.md"));
        assert!(!text.contains("low confidence"));
        assert!(!text.contains("[four") && !text.contains("[two"));
    }
    let text = reference_markdown(&pack, "en");
    assert!(text.contains("within four (4) weeks"), "{text}");
}

#[test]
fn missing_evidence_carries_the_declared_description_in_the_reports_language() {
    let pack = regions();
    let evidence: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("examples/supplier-with-gaps.json").expect("example"),
    )
    .expect("json");
    let options = conduct::Options::default().language("sv");
    let report = pack.evaluate(&evidence, &options);
    let json = serde_json::to_value(&report).expect("serializes");
    let text = json.to_string();
    assert!(
        text.contains(r#""path":"/sites/0/recruitment/0/reimbursed_on""#),
        "{text}"
    );
    assert!(
        text.contains("Datum då avgiften betalades tillbaka"),
        "{text}"
    );
}

#[test]
fn field_details_are_checked_against_the_pack_languages() {
    let err = RulePack::builder()
        .file(
            "pack.conduct",
            r#"
pack demo "Demo" languages en
evidence { a: number description de "Zahl" }
"#,
        )
        .build()
        .expect_err("de is not a language of the pack");
    assert!(
        err.to_string().contains("language `de` is not declared"),
        "{err}"
    );
}
