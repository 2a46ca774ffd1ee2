//! The text report (`conduct::report::text`) of the shipped examples, in English and Swedish,
//! as snapshots (`tests/swedish_words.rs` holds the Swedish text to Swedish words).
#![allow(
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test fails loudly when the output is not what it expects"
)]

use conduct::report::text::{render, render_details};
use conduct::{Options, Report, RulePack};

const EXAMPLES: [&str; 3] = ["example-evidence", "supplier-with-gaps", "clean-supplier"];

fn report(example: &str, language: &str) -> Report {
    let pack = RulePack::load("rules/regions").expect("the regions pack compiles");
    let file = std::fs::File::open(format!("examples/{example}.json")).expect("the example exists");
    let evidence = conduct::pack::evidence::read(file).expect("the example is JSON");
    pack.evaluate(evidence.value(), &Options::default().language(language))
}

#[test]
fn the_examples_in_english_and_swedish() {
    for example in EXAMPLES {
        for language in ["en", "sv"] {
            let text = render(&report(example, language), None);
            insta::assert_snapshot!(format!("text_{example}_{language}"), text);
        }
    }
}

/// The follow-up a year later: a grouped finding (workers), an audit finding's overdue plan.
#[test]
fn the_follow_up_example_in_english_and_swedish() {
    for language in ["en", "sv"] {
        let text = render(&report("follow-up/2025", language), None);
        insta::assert_snapshot!(format!("text_follow-up-2025_{language}"), text);
    }
}

#[test]
fn the_details_for_rule_authors() {
    let text = render_details(&report("example-evidence", "en"), None);
    insta::assert_snapshot!("text_details_example-evidence_en", text);
}

/// A child under the minimum age is a severe deviation of the code: the text and the page say
/// which category, and the supplier's duty to report it, in the report's language.
#[test]
fn a_severe_deviation_is_flagged_with_the_duty_to_report() {
    let pack = RulePack::load("rules/regions").expect("the regions pack compiles");
    let file = std::fs::File::open("examples/example-evidence.json").expect("the example exists");
    let mut evidence = conduct::pack::evidence::read(file)
        .expect("the example is JSON")
        .value()
        .clone();
    evidence["sites"][0]["workers"]
        .as_array_mut()
        .expect("the example lists workers")
        .push(serde_json::json!({
            "worker_ref": "W9", "date_of_birth": "2011-03-01", "age_verified": true,
            "hired_on": "2024-05-01", "night_shift": false, "hazardous_task": false
        }));
    for (language, expected) in [
        (
            "sv",
            "Allvarlig avvikelse: barnarbete — leverantören ska rapportera den till köparen inom avtalets tidsfrist",
        ),
        (
            "en",
            "Severe deviation: child labour — the supplier must report it to the buyer within the contract's deadline",
        ),
    ] {
        let report = pack.evaluate(&evidence, &Options::default().language(language));
        let child = report
            .outcome("child_labour.minimum_age")
            .expect("the clause is in the pack");
        assert_eq!(child.violations[0].severe.as_deref(), Some("child_labour"));
        let text = render(&report, None);
        assert!(text.contains(expected), "{text}");
        let page = conduct::tools::report_html::render_html(&report);
        let (label, words) = expected.split_once(": ").expect("label and words");
        // The page escapes the apostrophe of "contract's".
        let words = words.replace('\'', "&#x27;");
        assert!(page.contains(label) && page.contains(&words), "{page}");
    }
}
