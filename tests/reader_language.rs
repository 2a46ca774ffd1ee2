//! The pack's title per language, the documents a supplier attaches, and the rule author's
//! documents (`doc`, `requirements`, `explain`) in the reader's language: goldens of the
//! Swedish reference and explanation, no English word in their Swedish form outside proper
//! names, the documents in the questionnaire and in missing entries, and hostile text in
//! titles and documents escaped in HTML.
#![cfg(feature = "tools")]
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "a test fails loudly when the output is not what it expects"
)]

use std::collections::BTreeSet;

use conduct::tools::docs::{
    reference_html, reference_markdown, requirements, requirements_questions,
};
use conduct::tools::explain::{explain, render_text, render_text_in};
use conduct::tools::report_html::render_html;
use conduct::{Options, RulePack};

fn regions() -> RulePack {
    RulePack::load("rules/regions").expect("the shipped pack compiles")
}

fn evidence(name: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(format!("examples/{name}.json")).expect("example");
    serde_json::from_str(&text).expect("json")
}

/// Proper names and identifiers that read the same in both languages: international
/// instruments by their own names, codes, and the pack's language tags.
const ALLOWED: &[&str] = &[
    // international instruments, by their names
    "ilo",
    "un",
    "crc",
    "ungp",
    "oecd",
    "rba",
    "code",
    "vap",
    "standard",
    "operations",
    "manual",
    "eti",
    "base",
    "sa",
    "amfori",
    "bsci",
    "zero",
    "tolerance",
    "protocol",
    "due",
    "diligence",
    "guidance",
    "for",
    "rbc",
    "indicators",
    "of",
    "forced",
    "labour",
    "global",
    "compact",
    "uncac",
    "ifc",
    "ebrd",
    "workers",
    "accommodation",
    "processes",
    "and",
    "standards",
    "malaysia",
    "act",
    "art",
    "c",
    "r",
    "a",
    "b",
    "d",
    // Swedish names of Swedish documents and tools
    "hållbarhetskollen",
    // the pack's language tags and the digest's algorithm
    "en",
    "sv",
    "sha",
    // function names and literals of the rule language, kept in an explanation
    "min",
    "max",
    "true",
    "false",
    // Swedish words spelled as English ones
    "total",
    "handling",
    "agent",
    "id",
    "information",
    "per",
    "policy",
    "register",
    "risk",
    "status",
    "under",
];

/// The words of a text, in lower case, outside backticked code (ids, rule source, digests),
/// quoted values, JSON Pointers and the clauses' references (citations, the same in every
/// language by construction).
fn words(text: &str) -> BTreeSet<String> {
    let text: String = text
        .lines()
        .filter(|l| !l.starts_with("- Referenser:") && !l.starts_with("- References:"))
        .map(|l| format!("{l}\n"))
        .collect();
    let mut unticked = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 0 {
            unticked.push_str(part);
            unticked.push(' ');
        }
    }
    let mut plain = String::new();
    for (i, part) in unticked.split('"').enumerate() {
        if i % 2 == 0 {
            plain.push_str(part);
            plain.push(' ');
        }
    }
    plain
        .split_whitespace()
        .filter(|t| !t.contains('/') && !t.contains('_') && !t.contains(".conduct"))
        .flat_map(|t| t.split(|c: char| !c.is_alphabetic()))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The words of the Swedish text that are also words of the English one and are not proper
/// names: English left in the Swedish text (a Swedish word the English text happens to share
/// would show here too, and would be added to [`ALLOWED`] by name).
fn english_in(sv: &str, en: &str) -> Vec<String> {
    let en = words(en);
    words(sv)
        .into_iter()
        .filter(|w| en.contains(w) && !ALLOWED.contains(&w.as_str()))
        .collect()
}

/// The reference up to its parameters (the parameters and country tables are given titles in
/// another change; their sources are citations).
fn before_parameters<'a>(text: &'a str, heading: &str) -> &'a str {
    text.split(heading).next().unwrap_or(text)
}

#[test]
fn the_swedish_reference_is_swedish() {
    let pack = regions();
    let sv = reference_markdown(&pack, "sv");
    let en = reference_markdown(&pack, "en");
    let (sv, en) = (
        before_parameters(&sv, "## Parametrar"),
        before_parameters(&en, "## Parameters"),
    );
    let english = english_in(sv, en);
    assert!(english.is_empty(), "{english:?} in\n{sv}");
    for word in [
        "mindre avvikelse",
        "större avvikelse",
        "allvarlig avvikelse",
        "270 dagar",
    ] {
        assert!(sv.contains(word), "{word} in\n{sv}");
    }
    assert!(sv.starts_with("# Regionernas gemensamma uppförandekod för leverantörer"));
    assert!(en.starts_with("# Swedish regions' supplier code of conduct"));
}

#[test]
fn the_reference_says_what_severities_mean_and_what_deadlines_count_from() {
    let pack = regions();
    let en = reference_markdown(&pack, "en");
    assert!(
        en.contains("## Severities\n\n- Critical deviation: "),
        "{en}"
    );
    assert!(en.contains("- Minor deviation: "), "{en}");
    assert!(
        en.contains("## Deadlines\n\nA finding is due by the deadline agreed"),
        "{en}"
    );
    assert!(en.contains("from the assessment date"), "{en}");
    let sv = reference_markdown(&pack, "sv");
    assert!(
        sv.contains("## Allvarlighetsgrader\n\n- Allvarlig avvikelse: "),
        "{sv}"
    );
    assert!(
        sv.contains("## Tidsfrister\n\nEn avvikelse ska vara åtgärdad"),
        "{sv}"
    );
    assert!(sv.contains("från bedömningsdatumet"), "{sv}");
    let page = reference_html(&pack, "sv");
    assert!(page.contains("<h2 id=\"severities\">Allvarlighetsgrader</h2>"));
    assert!(page.contains("<span class=\"sev-major\">större avvikelse</span>"));
}

#[test]
fn the_swedish_reference_golden() {
    let pack = regions();
    insta::assert_snapshot!("reference_sv_md", reference_markdown(&pack, "sv"));
    insta::assert_snapshot!("reference_sv_html", reference_html(&pack, "sv"));
}

#[test]
fn the_swedish_questionnaire_is_swedish_and_lists_the_documents() {
    let pack = regions();
    let all = requirements(&pack);
    let sv = requirements_questions(&pack, &all, "sv");
    let en = requirements_questions(&pack, &all, "en");
    let english = english_in(&sv, &en);
    assert!(english.is_empty(), "{english:?} in\n{sv}");
    assert!(sv.starts_with(
        "# Frågor till leverantören: Regionernas gemensamma uppförandekod för leverantörer"
    ));
    // Each clause lists its documents once, after its questions.
    let wages = sv
        .split("\n## ")
        .find(|s| s.starts_with("Löneutbetalning i tid"))
        .expect("the clause is listed");
    assert!(wages.contains("\nBifoga:\n\n- "), "{wages}");
    assert!(
        wages.contains("\n- Lönebesked och lönelistor för de granskade månaderna\n"),
        "{wages}"
    );
    assert_eq!(
        wages.matches("- Lönebesked och lönelistor").count(),
        1,
        "{wages}"
    );
    let age = en
        .split("\n## ")
        .find(|s| s.starts_with("No child labour: minimum working age"))
        .expect("the clause is listed");
    assert!(age.contains("\nDocuments to attach:\n\n- "), "{age}");
    assert!(
        age.contains("\n- A copy of the worker's identity document\n"),
        "{age}"
    );
}

#[test]
fn the_swedish_explanation_has_swedish_labels() {
    let pack = regions();
    let evidence = evidence("example-evidence");
    for clause in [
        "working_hours.weekly_limit",
        "child_labour.minimum_age",
        "supply_chain.sites_disclosed",
    ] {
        let why = explain(&pack, &evidence, &Options::default().language("sv"), clause)
            .expect("the clause exists");
        let sv = render_text_in(&why, "sv");
        // The English labels of the same explanation.
        let en = render_text(&why);
        // Loop variables and `let` names are the rule's own identifiers.
        let names = |text: &str| {
            let mut out = String::new();
            for line in text.lines() {
                let mut line = line.trim_start();
                if line.starts_with('[') {
                    line = line.split_once("] ").map_or(line, |(_, rest)| rest);
                }
                if let Some((name, rest)) = line.split_once(" = ")
                    && name.chars().all(|c| c.is_alphanumeric() || c == '_')
                {
                    line = rest;
                }
                out.push_str(line);
                out.push('\n');
            }
            out
        };
        // The first line ends with the clause's title, a text of the pack.
        let body = |text: &str| names(text.split_once('\n').map_or("", |(_, rest)| rest));
        let (sv_labels, en_labels) = (body(&sv), body(&en));
        let mut english = english_in(&sv_labels, &en_labels);
        // Binding names before a pointer (`site /sites/0`) are identifiers too.
        english.retain(|w| !sv.contains(&format!("{w} /")));
        assert!(english.is_empty(), "{clause}: {english:?} in\n{sv}");
    }
}

#[test]
fn the_swedish_explanation_golden() {
    let pack = regions();
    let why = explain(
        &pack,
        &evidence("example-evidence"),
        &Options::default().language("sv"),
        "working_hours.weekly_limit",
    )
    .expect("the clause exists");
    insta::assert_snapshot!("explain_sv_weekly_limit", render_text_in(&why, "sv"));
}

#[test]
fn the_report_carries_the_title_in_its_language() {
    let pack = regions();
    let evidence = evidence("supplier-with-gaps");
    let sv = pack.evaluate(&evidence, &Options::default().language("sv"));
    assert_eq!(
        sv.pack.title,
        "Regionernas gemensamma uppförandekod för leverantörer"
    );
    let en = pack.evaluate(&evidence, &Options::default().language("en"));
    assert_eq!(en.pack.title, "Swedish regions' supplier code of conduct");
    let text = conduct::report::text::render(&sv, None);
    assert!(
        text.starts_with("Regionernas gemensamma uppförandekod för leverantörer · utgåva 2024")
    );
    assert!(render_html(&sv).contains("Regionernas gemensamma uppförandekod för leverantörer"));
}

#[test]
fn a_title_written_once_is_the_title_in_every_language() {
    let pack = RulePack::builder()
        .file(
            "pack.conduct",
            "pack p \"One title\" languages en, sv\nclause a.b\n  title en \"T\" sv \"T\"\n  require true\n    message en \"m\" sv \"m\"\n",
        )
        .build()
        .expect("compiles");
    assert!(pack.warnings().is_empty());
    assert_eq!(pack.title_in("sv"), "One title");
    assert_eq!(pack.title_in("en"), "One title");
}

#[test]
fn a_missing_title_falls_back_to_the_first_language() {
    let pack = RulePack::builder()
        .file(
            "pack.conduct",
            "pack p title en \"Code\" languages en, sv\nclause a.b\n  title en \"T\" sv \"T\"\n  require true\n    message en \"m\" sv \"m\"\n",
        )
        .build()
        .expect("a warning, not an error");
    assert_eq!(pack.title_in("sv"), "Code");
    let codes: Vec<String> = pack
        .warnings()
        .iter()
        .map(|w| w.code().to_string())
        .collect();
    assert_eq!(codes, ["W003"]);
}

/// A pack whose title and documents hold markup, and evidence that lacks the fields.
fn hostile() -> (RulePack, serde_json::Value) {
    let pack = RulePack::builder()
        .file(
            "pack.conduct",
            r#"
pack p title en "<script>alert(1)</script> code" sv "Kod <b>fet</b> & co" languages en, sv
evidence {
  sites: [{
    key site_id: string
    wages: {
      paid_on: date
        description en "Payment date" sv "Betalningsdag"
        document en "Payslips <img src=x onerror=alert(1)>" sv "Lönebesked <i>&</i>"
      paid_in_full: bool
        description en "Paid in full" sv "Betald fullt ut"
        document en "Payslips <img src=x onerror=alert(1)>" sv "Lönebesked <i>&</i>"
    }
  }]
}
clause wages.paid
  title en "Wages are paid" sv "Lönen betalas"
  for each s in sites:
    require s.wages.paid_on <= date("2024-12-31") and s.wages.paid_in_full == true
      message en "unpaid" sv "obetald"
  end
"#,
        )
        .build()
        .expect("compiles");
    let evidence = serde_json::json!({ "sites": [{ "site_id": "<s>S1</s>", "wages": {} }] });
    (pack, evidence)
}

#[test]
fn the_missing_entry_carries_the_document_in_the_reports_language() {
    let (pack, hostile_evidence) = hostile();
    let sv = pack.evaluate(&hostile_evidence, &Options::default().language("sv"));
    let missing = &sv.outcomes[0].missing;
    assert_eq!(missing.len(), 2, "{missing:?}");
    assert_eq!(missing[0].document.as_deref(), Some("Lönebesked <i>&</i>"));
    let en = pack.evaluate(&hostile_evidence, &Options::default().language("en"));
    assert_eq!(
        en.outcomes[0].missing[0].document.as_deref(),
        Some("Payslips <img src=x onerror=alert(1)>")
    );
    // One "Attach" line for the two fields of one site.
    let text = conduct::report::text::render(&sv, None);
    assert_eq!(
        text.matches("Bifoga: Lönebesked <i>&</i>").count(),
        1,
        "{text}"
    );
    // Without a declared document, the JSON has no `document`.
    let plain = regions().evaluate(&evidence("supplier-with-gaps"), &Options::default());
    let json = serde_json::to_value(&plain).expect("serializes");
    let entries: Vec<&serde_json::Value> = json["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|o| o["missing"].as_array().unwrap())
        .collect();
    assert!(entries.iter().any(|m| m.get("document").is_none()));
    assert!(entries.iter().any(
        |m| m["document"] == "Payslips and payroll for the sampled months"
            || m["document"] == "A copy of the worker's identity document"
    ));
}

#[test]
fn hostile_titles_and_documents_are_escaped_in_html() {
    let (pack, evidence) = hostile();
    for lang in ["en", "sv"] {
        let report = pack.evaluate(&evidence, &Options::default().language(lang));
        let page = render_html(&report);
        assert!(!page.contains("<script>alert"), "{page}");
        assert!(!page.contains("<img"), "{page}");
        assert!(
            !page.contains("<i>&</i>") && !page.contains("<b>fet"),
            "{page}"
        );
        assert!(!page.contains("<s>S1"), "{page}");
        let reference = reference_html(&pack, lang);
        assert!(!reference.contains("<script>alert") && !reference.contains("<b>fet"));
    }
    let sv = render_html(&pack.evaluate(&evidence, &Options::default().language("sv")));
    assert!(
        sv.contains("Bifoga: Lönebesked &lt;i&gt;&amp;&lt;&#x2f;i&gt;"),
        "{sv}"
    );
    assert!(
        sv.contains("Kod &lt;b&gt;fet&lt;&#x2f;b&gt; &amp; co"),
        "{sv}"
    );
}
