//! The printable report (`conduct check --format html`, `conduct::tools::report_html`): golden
//! pages of the shipped examples, what the page holds and leaves out, batches, and hostile
//! evidence — markup, script and template syntax in supplier names, site ids, worker refs and
//! free texts — escaped in every HTML output (`check` and `doc`).
#![cfg(feature = "cli")]
#![allow(
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test fails loudly when the output is not what it expects"
)]

#[path = "support/process.rs"]
mod process;

use conduct::tools::report_html::{render_html, render_html_batch};
use conduct::{Options, Report, RulePack};
use process::{TempDir, code, conduct, stdout};

fn report(example: &str, language: &str) -> Report {
    let pack = RulePack::load("rules/regions").expect("the regions pack compiles");
    let file = std::fs::File::open(format!("examples/{example}.json")).expect("the example exists");
    let evidence = conduct::pack::evidence::read(file).expect("the example is JSON");
    pack.evaluate(evidence.value(), &Options::default().language(language))
}

#[test]
fn the_example_in_swedish_and_english() {
    for language in ["sv", "en"] {
        let page = render_html(&report("example-evidence", language));
        insta::assert_snapshot!(format!("html_example-evidence_{language}"), page);
    }
}

/// A grouped finding (workers), an audit finding's overdue plan: red badges.
#[test]
fn the_follow_up_in_swedish() {
    let page = render_html(&report("follow-up/2025", "sv"));
    insta::assert_snapshot!("html_follow-up-2025_sv", page);
}

#[test]
fn the_page_says_what_the_text_says_in_the_reports_language() {
    let report = report("follow-up/2025", "sv");
    let page = render_html(&report);
    for phrase in [
        "<html lang=\"sv\">",
        "<dt>Leverantör</dt><dd>Nordmed Distribution AB</dd>",
        "<dt>Avtal</dt><dd>RV-2023-114</dd>",
        "<dt>Bedömningsdatum</dt><dd>2025-10-31</dd>",
        "<strong class=\"verdict-word\">Uppfyller inte kraven</strong>",
        "4 större avvikelser och 3 mindre avvikelser; otillräckligt underlag för 7 krav",
        "39 av 39 krav granskades i denna uppföljning.",
        "<h2>Större avvikelser (4)</h2>",
        "2 av 3 granskade arbetstagare: W3 (2025-04-01), W2 (2025-04-01)",
        "<span class=\"due\">senast 2025-09-08</span>, räknat från det datum underlaget visar",
        "<span class=\"badge red\">röd</span> försenad eller utan åtgärdsplan",
        "<dt>Referenser</dt>",
        "<h2>Underlag att skicka in</h2>",
        "<h3>Anläggning MY-KLG-01</h3>",
        "<h3>Leverantören som helhet</h3>",
        "<h2>Uppfyllda krav (28)</h2>",
    ] {
        assert!(page.contains(phrase), "{phrase:?} not in\n{page}");
    }
    // The findings are numbered across severities and each is kept on one page.
    assert_eq!(page.matches("<article class=\"finding").count(), 7);
    assert!(page.contains(".finding {") && page.contains("break-inside: avoid"));
}

/// The officer's page: no finding id, JSON Pointer, rule location, clause id or digest.
#[test]
fn no_technical_detail_reaches_the_officer() {
    for (example, language) in [
        ("example-evidence", "en"),
        ("example-evidence", "sv"),
        ("follow-up/2025", "sv"),
    ] {
        let report = report(example, language);
        let page = render_html(&report);
        for technical in ["/sites/", "/supply_chain", ".conduct", "sha256", "as_of"] {
            assert!(
                !page.contains(technical),
                "{technical:?} in {example} {language}"
            );
        }
        for outcome in &report.outcomes {
            assert!(
                !page.contains(&format!("{}<", outcome.clause))
                    && !page.contains(&format!(">{}", outcome.clause)),
                "clause id {} in {example}",
                outcome.clause
            );
            for v in &outcome.violations {
                assert!(!page.contains(&v.id), "finding id {} in {example}", v.id);
            }
        }
    }
}

/// Self-contained and printable: no script, no resource from elsewhere, A4 pages.
#[test]
fn the_page_is_self_contained_and_prints_on_a4() {
    let page = render_html(&report("example-evidence", "sv"));
    assert!(page.starts_with("<!DOCTYPE html>\n"));
    for outside in [
        "<script",
        "<link",
        "<img",
        "<iframe",
        "src=",
        "href=",
        "url(",
        "@import",
        "http:",
        "https:",
        "@font-face",
    ] {
        assert!(!page.contains(outside), "{outside:?} in the page");
    }
    assert!(page.contains("@page { size: A4;"));
    // Should markup ever get through, the browser refuses scripts and loads all the same.
    assert!(page.contains(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
    ));
    assert!(page.contains("<meta charset=\"utf-8\">"));
}

#[test]
fn check_format_html_writes_the_page_and_keeps_the_exit_code() {
    let output = conduct(&[
        "check",
        "rules/regions",
        "examples/example-evidence.json",
        "--lang",
        "sv",
        "--format",
        "html",
    ]);
    assert_eq!(code(&output), 1, "a violation exits 1 whatever the format");
    assert_eq!(
        stdout(&output),
        render_html(&report("example-evidence", "sv"))
    );
}

/// Several documents: one page, one section per report in input order, labelled with its
/// document, each starting on a new page.
#[test]
fn a_batch_is_one_page_with_a_section_per_document() {
    let output = conduct(&[
        "check",
        "rules/regions",
        "examples/clean-supplier.json",
        "examples/example-evidence.json",
        "--format",
        "html",
    ]);
    assert_eq!(code(&output), 1);
    let page = stdout(&output);
    assert_eq!(page.matches("<!DOCTYPE html>").count(), 1);
    assert_eq!(page.matches("<section class=\"report\"").count(), 2);
    assert!(page.contains("section.report + section.report { break-before: page;"));
    let clean = page
        .find("<dt>Document</dt><dd>examples&#x2f;clean-supplier.json</dd>")
        .expect("the first section is labelled");
    let example = page
        .find("<dt>Document</dt><dd>examples&#x2f;example-evidence.json</dd>")
        .expect("the second section is labelled");
    assert!(clean < example, "input order");

    let library = render_html_batch(&[
        (
            Some("examples/clean-supplier.json"),
            &report("clean-supplier", "en"),
        ),
        (
            Some("examples/example-evidence.json"),
            &report("example-evidence", "en"),
        ),
    ]);
    assert_eq!(page, library);
}

// ---------------------------------------------------------------------------------------------
// Hostile evidence

const SCRIPT: &str = "<script>alert(1)</script>";
const IMG: &str = "\"><img src=x onerror=alert(1)>";
const TEMPLATE: &str = "{{ 7*7 }}";

/// Every tag of an HTML page: the text between `<` and `>`.
fn tags(page: &str) -> Vec<&str> {
    page.split('<')
        .skip(1)
        .map(|rest| rest.split('>').next().unwrap_or(rest))
        .collect()
}

/// Asserts that no hostile text became markup: no tag but the template's, no attribute but
/// the template's, no `onerror` in any tag, no `<script` anywhere, and template syntax printed
/// as it is, never evaluated (no `49`).
fn assert_inert(page: &str, what: &str) {
    assert!(!page.contains("<script"), "{what}: <script in\n{page}");
    assert!(!page.contains("<img"), "{what}: <img in\n{page}");
    assert!(
        !page.contains("49"),
        "{what}: template syntax evaluated in\n{page}"
    );
    const ALLOWED: &[&str] = &[
        "!DOCTYPE", "html", "/html", "head", "/head", "meta", "title", "/title", "style", "/style",
        "body", "/body", "section", "/section", "header", "/header", "p", "/p", "h1", "/h1", "h2",
        "/h2", "h3", "/h3", "dl", "/dl", "dt", "/dt", "dd", "/dd", "div", "/div", "span", "/span",
        "strong", "/strong", "article", "/article", "ul", "/ul", "li", "/li", "table", "/table",
        "thead", "/thead", "tbody", "/tbody", "tr", "/tr", "th", "/th", "td", "/td", "code",
        "/code", "br",
    ];
    for tag in tags(page) {
        let name = tag.split_whitespace().next().unwrap_or_default();
        assert!(ALLOWED.contains(&name), "{what}: tag <{tag}> in\n{page}");
        assert!(!tag.contains("onerror"), "{what}: <{tag}>");
        // Attributes: only the template's, with quoted values that hold no quote.
        for attribute in tag.split_whitespace().skip(1) {
            let attribute_name = attribute.split('=').next().unwrap_or_default();
            assert!(
                [
                    "lang",
                    "class",
                    "charset",
                    "name",
                    "content",
                    "id",
                    "initial-scale",
                    "http-equiv",
                ]
                .contains(&attribute_name)
                    || !attribute.contains('='),
                "{what}: attribute {attribute:?} in <{tag}>"
            );
        }
    }
}

/// The example evidence with hostile texts where names and ids were: the supplier's name,
/// a site id, a worker ref, a disclosure request's id and the audit findings' descriptions.
fn hostile_evidence(example: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(format!("examples/{example}.json")).expect("the example");
    let quoted = |s: &str| serde_json::to_string(s).expect("a string");
    let text = text
        .replace(
            "\"Nordmed Distribution AB\"",
            &quoted(&format!("Acme {SCRIPT}")),
        )
        .replace("\"MY-KLG-01\"", &quoted(&format!("KLG{IMG}")))
        .replace("\"MY-PKG-02\"", &quoted(&format!("PKG{SCRIPT}{TEMPLATE}")))
        .replace("\"W3\"", &quoted(&format!("W3{TEMPLATE}{IMG}")))
        .replace("\"W2\"", &quoted(&format!("W2{SCRIPT}")))
        .replace("\"DR-1\"", &quoted(&format!("DR{TEMPLATE}")))
        .replace("\"RV-2023-114\"", &quoted(&format!("RV{IMG}")));
    let mut evidence: serde_json::Value = serde_json::from_str(&text).expect("still JSON");
    // Every free text named `description` (audit findings) carries all three.
    fn describe(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, v) in map.iter_mut() {
                    if key == "description" || key == "comment" {
                        *v = format!("{SCRIPT}{IMG}{TEMPLATE}").into();
                    } else {
                        describe(v);
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(describe),
            _ => {}
        }
    }
    describe(&mut evidence);
    evidence
}

#[test]
fn hostile_evidence_is_escaped_in_check_format_html() {
    let dir = TempDir::new();
    for example in ["example-evidence", "follow-up/2025"] {
        let evidence = hostile_evidence(example);
        let file = dir.file_str(
            &format!("{}.json", example.replace('/', "-")),
            evidence.to_string().as_bytes(),
        );
        for language in ["sv", "en"] {
            let output = conduct(&[
                "check",
                "rules/regions",
                &file,
                "--lang",
                language,
                "--format",
                "html",
            ]);
            assert_eq!(code(&output), 1, "{example} still has its deviations");
            let page = stdout(&output);
            assert_inert(&page, example);
            // The hostile texts are shown, escaped, where the names were.
            assert!(
                page.contains("Acme &lt;script&gt;alert(1)&lt;&#x2f;script&gt;"),
                "{page}"
            );
            assert!(page.contains("KLG&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
            assert!(page.contains(TEMPLATE), "template syntax printed as it is");
        }
    }
}

/// A report with hostile text in every field a page shows, and some it must not: the pack's
/// title and edition, the language, subject keys and values, clause ids and titles,
/// references, messages, items' keys and messages, actions, missing evidence's subjects,
/// descriptions and paths, invalid paths, and the document's label.
#[test]
fn hostile_text_in_every_field_of_a_report_is_escaped() {
    let h = format!("{SCRIPT}{IMG}{TEMPLATE}");
    let item = |n: u32| {
        serde_json::json!({
            "keys": {"worker_ref": format!("W{n}{h}")}, "path": format!("/sites/0/workers/{n}/{h}"),
            "actual": h, "expected": h, "severity": "major", "message": format!("{h} {n}")
        })
    };
    let items: Vec<serde_json::Value> = (1..=7).map(item).collect();
    let report: Report = serde_json::from_value(serde_json::json!({
        "format": "conduct-report/2",
        "engine": {"name": "conduct", "version": "0.1.0"},
        "pack": {"name": h, "title": h, "edition": h, "digest": h},
        "as_of": "2024-10-31",
        "language": format!("sv{IMG}"),
        "params": {},
        "subject": {"supplier": h, "contract": h},
        "verdict": "non_compliant",
        "summary": {
            "clauses": 4, "violated": 1, "compliant": 1, "insufficient_evidence": 1,
            "not_applicable": 0, "not_examined": 0, "error": 1, "violations": 1, "items": 7,
            "by_severity": {"critical": 0, "major": 1, "minor": 0}
        },
        "outcomes": [
            {
                "clause": h, "title": h, "references": [h, h],
                "status": "violated", "severity": "major", "remediated": false,
                "violations": [{
                    "id": h, "requirement": h, "subject": {"site_id": h},
                    "severity": "major", "basis": "alleged", "message": h,
                    "path": h, "actual": h, "expected": h, "items": items, "examined": 30,
                    "remediation": {"action": h, "due": "2024-12-31", "due_from": "plan", "plan": "red"},
                    "rule": {"file": h, "line": 9, "column": 5}
                }],
                "missing": [], "invalid": [], "truncated": true
            },
            {
                "clause": h, "title": "", "references": [],
                "status": "insufficient_evidence", "severity": null, "remediated": false,
                "violations": [],
                "missing": [
                    {"path": format!("/sites/0/{h}"), "subject": {"site_id": h, h.clone(): h}, "description": h},
                    {"path": format!("/{h}/3/x"), "subject": {}, "description": null}
                ],
                "invalid": [{"path": format!("/{h}/1/{h}"), "reason": h}]
            },
            {
                "clause": h, "title": h, "references": [],
                "status": "error", "severity": null, "remediated": false,
                "violations": [], "missing": [], "invalid": [], "error": h
            },
            {
                "clause": h, "title": h, "references": [],
                "status": "compliant", "severity": null, "remediated": true,
                "violations": [], "missing": [], "invalid": []
            }
        ]
    }))
    .expect("a /2 report");
    let page = render_html_batch(&[(Some(&h), &report)]);
    assert_inert(&page, "every field");
    // The language is a tag: its leading letters only.
    assert!(page.contains("<html lang=\"sv\">"));
    // What the officer does not see, even when hostile: the rule's file, the finding's id.
    assert_eq!(page.matches("<article").count(), 1);
}

/// `conduct doc --format html`: pack texts are trusted, yet a pack's title, clause titles,
/// references and sources holding markup and template syntax come out as text.
#[test]
fn hostile_pack_texts_are_escaped_in_doc_format_html() {
    let dir = TempDir::new();
    // Plain strings in the pack: `{{` is two braces, as printed.
    let pack = r#"pack hostile "Acme @S@" languages en
  edition "@T@"
evidence { workers: [{ key worker_ref: string, age: number }] }
param minimum_age: number = 15
  source "ILO @S@"

clause child.age
  title en "Age @T@ @S@"
  references "C138 @S@", "@T@"
  severity critical
  for each w in workers:
    require w.age >= minimum_age
      message en "Worker {w.worker_ref} is {actual}"
  end
"#
    .replace("@S@", SCRIPT)
    .replace("@T@", TEMPLATE);
    let path = dir.file_str("hostile.conduct", pack.as_bytes());
    let output = conduct(&["doc", &path, "--format", "html"]);
    assert_eq!(code(&output), 0, "{}", process::stderr(&output));
    let page = stdout(&output);
    assert_inert(&page, "doc");
    assert!(page.contains("Acme &lt;script&gt;"), "{page}");
    assert!(page.contains("Age {{ 7*7 }} &lt;script&gt;"), "{page}");

    // And hostile evidence checked against it: worker refs in the officer's page.
    let evidence = serde_json::json!({
        "workers": [{"worker_ref": format!("W1{SCRIPT}{IMG}{TEMPLATE}"), "age": 12}]
    });
    let file = dir.file_str("evidence.json", evidence.to_string().as_bytes());
    let output = conduct(&[
        "check",
        &path,
        &file,
        "--format",
        "html",
        "--as-of",
        "2024-10-31",
    ]);
    assert_eq!(code(&output), 1, "{}", process::stderr(&output));
    let page = stdout(&output);
    assert_inert(&page, "check with the hostile pack");
    assert!(page.contains("Worker W1&lt;script&gt;"), "{page}");
}

/// The Swedish page prints none of the catalogue's English words: each label and phrase of
/// the page in English, searched for in the Swedish pages' tags and text.
#[test]
fn the_swedish_page_has_no_english_label() {
    for example in ["example-evidence", "follow-up/2025"] {
        let sv = render_html(&report(example, "sv"));
        for english in [
            ">Result<",
            ">Supplier<",
            ">Contract<",
            ">Assessment date<",
            "Non-compliant",
            "Scope of this follow-up",
            "requirements were examined",
            "Major deviations",
            "Minor deviations",
            "Deviation ",
            ">Observed<",
            ">Source<",
            ">Action<",
            ">Corrective-action plan<",
            ">References<",
            "verified in an audit",
            "counted from",
            "as agreed",
            " by 20",
            "Evidence to send",
            "The supplier as a whole",
            "Insufficient evidence",
            "Requirements met",
            ">yellow<",
            "overdue or no plan",
            " examined",
            "workers",
            ">Site ",
        ] {
            assert!(
                !sv.contains(english),
                "{english:?} in the Swedish page of {example}"
            );
        }
    }
}
