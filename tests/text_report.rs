//! The text report (`conduct::report::text`) of the shipped examples, in English and Swedish,
//! as snapshots; and the Swedish text holds no English word outside the names the evidence
//! and the pack give.
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

/// English words the Swedish text must not contain: the catalogue's English words and the
/// report's names.
const ENGLISH: &[&str] = &[
    "verdict",
    "result",
    "violated",
    "violation",
    "compliant",
    "incomplete",
    "missing",
    "remediation",
    "remediated",
    "action",
    "due",
    "evidence",
    "required",
    "requirement",
    "found",
    "observed",
    "critical",
    "major",
    "minor",
    "deviation",
    "site",
    "worker",
    "supplier",
    "contract",
    "insufficient",
    "examined",
    "applicable",
    "error",
    "source",
    "verified",
    "alleged",
    "plan",
    "agreed",
    "counted",
    "from",
    "date",
    "assessment",
    "edition",
    "and",
    "more",
    "the",
    "of",
    "by",
    "for",
    "in",
    "not",
    "met",
    "rule",
    "pack",
    "document",
];

/// The words of a text, in lower case: runs of letters.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// The text without the proper names it may hold in any language: the pack's title (a name
/// the pack gives; it declares no Swedish one yet), the supplier's name and contract, and the
/// names of evidence fields whose declaration gives no description (identifiers, shown with
/// `_` read as a space). Whole phrases are removed, so a catalogue word that is also part of
/// a field name ("action" in `action_plan_id`) is still found elsewhere.
fn without_names(text: &str, report: &Report) -> String {
    let mut names: Vec<String> = vec![report.pack.title.clone()];
    names.extend(
        report
            .subject
            .values()
            .filter_map(|v| v.as_str().map(String::from)),
    );
    for outcome in &report.outcomes {
        for path in outcome
            .missing
            .iter()
            .filter(|m| m.description.is_none())
            .map(|m| &m.path)
            .chain(outcome.invalid.iter().map(|i| &i.path))
        {
            let field = path
                .rsplit('/')
                .find(|s| !s.is_empty() && !s.bytes().all(|b| b.is_ascii_digit()))
                .unwrap_or_default()
                .replace('_', " ");
            names.push(field.clone());
            // Capitalized at the start of a line.
            let mut chars = field.chars();
            if let Some(first) = chars.next() {
                names.push(first.to_uppercase().chain(chars).collect());
            }
        }
    }
    // Longest first, so that a name inside another goes with it.
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    names
        .iter()
        .filter(|n| !n.is_empty())
        .fold(text.to_string(), |text, name| {
            text.replace(name.as_str(), " ")
        })
}

/// The English words of the list in the text.
fn english_words(text: &str) -> Vec<String> {
    words(text)
        .filter(|w| ENGLISH.contains(&w.as_str()))
        .collect()
}

#[test]
fn swedish_text_holds_no_english_word() {
    for example in EXAMPLES {
        let report = report(example, "sv");
        let text = render(&report, Some("underlag.json"));
        let english = english_words(&without_names(&text, &report));
        assert!(english.is_empty(), "{example}: {english:?} in\n{text}");
    }
}

#[test]
fn the_english_word_check_finds_english() {
    // The check above can fail: the English text is full of the words it looks for.
    let report = report("example-evidence", "en");
    let text = render(&report, None);
    let english = english_words(&without_names(&text, &report));
    for word in [
        "result",
        "major",
        "minor",
        "deviation",
        "action",
        "by",
        "insufficient",
    ] {
        assert!(
            english.iter().any(|w| w == word),
            "{word} not found in {english:?}"
        );
    }
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
