//! `conduct summary` (and `conduct check --summary`): the counts of the portfolio recomputed
//! here from the reports themselves, the CSV's rows and neutralised formulas, the page's charts
//! and escaping, bad input, several packs, and snapshots of the text (en, sv) and the JSON for
//! the worked examples.
#![cfg(feature = "cli")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails loudly when the output is not what it expects"
)]

#[path = "support/process.rs"]
mod process;
#[path = "support/schema.rs"]
#[allow(dead_code, reason = "only the validation is used here")]
mod schema;

use std::collections::BTreeMap;
use std::path::Path;

use conduct::{Options, Report, RulePack};
use process::{TempDir, code, conduct, conduct_with_stdin, stderr, stdout};
use serde_json::{Value, json};

const REGIONS: &str = "rules/regions";

fn pack() -> RulePack {
    RulePack::load(Path::new(env!("CARGO_MANIFEST_DIR")).join(REGIONS)).expect("the pack loads")
}

/// The report of every scenario of the regions' pack, evaluated by the library.
fn fixture_reports(pack: &RulePack) -> Vec<Report> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(REGIONS)
        .join("tests");
    let mut files = Vec::new();
    for dir in std::fs::read_dir(&root).unwrap() {
        let dir = dir.unwrap().path();
        if dir.is_dir() {
            for f in std::fs::read_dir(&dir).unwrap() {
                let f = f.unwrap().path();
                if f.extension().is_some_and(|e| e == "json") {
                    files.push(f);
                }
            }
        }
    }
    files.sort();
    assert!(files.len() > 100, "the regions' pack has its scenarios");
    files
        .iter()
        .map(|f| {
            let scenario: Value =
                serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
            let mut options = Options::default();
            if let Some(as_of) = scenario["as_of"].as_str() {
                options = options.as_of(as_of.parse().unwrap());
            }
            pack.evaluate(&scenario["evidence"], &options)
        })
        .collect()
}

/// The reports of the worked examples: the follow-up pair, with two variants of the 2024
/// document between them (the same supplier on the same day: the earliest stays the first
/// read, so that the change is the follow-up's).
fn example_reports(pack: &RulePack) -> Vec<Report> {
    [
        "examples/follow-up/2024.json",
        "examples/clean-supplier.json",
        "examples/supplier-with-gaps.json",
        "examples/follow-up/2025.json",
    ]
    .iter()
    .map(|f| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(f);
        let evidence = conduct::pack::evidence::read(std::fs::File::open(path).unwrap()).unwrap();
        pack.evaluate(evidence.value(), &Options::default())
    })
    .collect()
}

/// The reports as an NDJSON file in `dir`.
fn ndjson(dir: &TempDir, name: &str, reports: &[Report]) -> String {
    let text: String = reports
        .iter()
        .map(|r| serde_json::to_string(r).unwrap() + "\n")
        .collect();
    dir.file_str(name, text.as_bytes())
}

/// The country groups of the test: a country code, or one of these two.
const SUPPLIER_LEVEL: &str = "(supplier level)";
const NOT_STATED: &str = "(not stated)";

/// A finding's group among the countries, from the report's JSON alone: the `country` label of
/// its site, the supplier level for a finding about no site, else not stated.
fn country_group(report: &Value, finding: &Value) -> String {
    match finding["subject"]["site_id"].as_str() {
        None => SUPPLIER_LEVEL.to_string(),
        Some(site) => report["labels"]["site_id"][site]["country"]
            .as_str()
            .map_or_else(|| NOT_STATED.to_string(), str::to_string),
    }
}

fn summary_json(args: &[&str]) -> Value {
    let out = conduct(&[&["summary"], args, &["--format", "json"]].concat());
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

/// Counts by name, for comparing.
fn tally<'a>(names: impl Iterator<Item = &'a str>) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for n in names {
        *counts.entry(n.to_string()).or_default() += 1;
    }
    counts
}

#[test]
fn counts_over_every_fixture_are_those_recomputed_from_the_reports() {
    let pack = pack();
    let reports = fixture_reports(&pack);
    let dir = TempDir::new();
    let file = ndjson(&dir, "reports.ndjson", &reports);
    let summary = summary_json(&[&file]);
    let summary = summary.as_array().unwrap();
    assert_eq!(summary.len(), 1, "one pack");
    let p = &summary[0];

    // Recomputed from the reports' JSON, without the library's portfolio.
    let json: Vec<Value> = reports
        .iter()
        .map(|r| serde_json::to_value(r).unwrap())
        .collect();
    let findings: Vec<(&Value, &Value, &Value)> = json
        .iter()
        .flat_map(|r| {
            r["outcomes"].as_array().unwrap().iter().flat_map(move |o| {
                o["violations"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(move |v| (r, o, v))
            })
        })
        .collect();
    assert_eq!(p["reports"], json.len());
    assert_eq!(p["findings"].as_array().unwrap().len(), findings.len());
    assert_eq!(p["totals"]["violations"], findings.len());
    for severity in ["critical", "major", "minor"] {
        let n = findings
            .iter()
            .filter(|(_, _, v)| v["severity"] == severity)
            .count();
        assert_eq!(p["totals"]["by_severity"][severity], n, "{severity}");
    }
    // Per clause × status × severity.
    for clause in p["clauses"].as_array().unwrap() {
        let id = clause["clause"].as_str().unwrap();
        let outcomes: Vec<&Value> = json
            .iter()
            .filter_map(|r| {
                r["outcomes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|o| o["clause"] == id)
            })
            .collect();
        let statuses = tally(outcomes.iter().map(|o| o["status"].as_str().unwrap()));
        for (status, n) in clause["statuses"].as_object().unwrap() {
            assert_eq!(n, statuses.get(status).unwrap_or(&0), "{id} {status}");
        }
        for severity in ["critical", "major", "minor"] {
            let n = findings
                .iter()
                .filter(|(_, o, v)| o["clause"] == id && v["severity"] == severity)
                .count();
            assert_eq!(clause["findings"][severity], n, "{id} {severity}");
        }
    }
    assert_eq!(p["clauses"].as_array().unwrap().len(), pack.clauses().len());
    // Plans, bases and overdue findings.
    let plans = tally(
        findings
            .iter()
            .map(|(_, _, v)| v["remediation"]["plan"].as_str().unwrap_or("none")),
    );
    for (state, n) in p["plans"].as_object().unwrap() {
        assert_eq!(n, plans.get(state).unwrap_or(&0), "plan {state}");
    }
    let bases = tally(
        findings
            .iter()
            .map(|(_, _, v)| v["basis"].as_str().unwrap_or("none")),
    );
    for (basis, n) in p["bases"].as_object().unwrap() {
        assert_eq!(n, bases.get(basis).unwrap_or(&0), "basis {basis}");
    }
    let overdue = findings
        .iter()
        .filter(|(r, _, v)| {
            let (due, as_of) = (v["remediation"]["due"].as_str(), r["as_of"].as_str());
            matches!((due, as_of), (Some(d), Some(a)) if d < a)
        })
        .count();
    assert_eq!(p["overdue"], overdue);
    assert!(
        overdue > 0 && plans.contains_key("red"),
        "the fixtures have overdue, planned findings"
    );
    // Suppliers: told apart by organisation number or name, and contract.
    let key = |r: &Value| {
        let s = &r["subject"];
        let who = s["org_number"]
            .as_str()
            .or(s["supplier"].as_str())
            .map(str::to_lowercase);
        (who, s["contract"].as_str().map(str::to_string))
    };
    let mut suppliers: Vec<_> = json.iter().map(key).collect();
    suppliers.sort();
    suppliers.dedup();
    assert_eq!(p["suppliers"].as_array().unwrap().len(), suppliers.len());
    let verdicts: u64 = p["verdicts"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(verdicts as usize, suppliers.len());
    let counted: u64 = p["suppliers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reports"].as_u64().unwrap())
        .sum();
    assert_eq!(counted as usize, json.len());
    let categories: u64 = p["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["reports"].as_u64().unwrap())
        .sum();
    assert_eq!(categories as usize, json.len());
    // Per country of the site: a site finding under its site's `country` label, a finding
    // about no site under the supplier level, one whose site has no country as not stated.
    let mut by_country: BTreeMap<String, (BTreeMap<String, usize>, usize)> = BTreeMap::new();
    for r in &json {
        let mut places = Vec::new();
        for o in r["outcomes"].as_array().unwrap() {
            for v in o["violations"].as_array().unwrap() {
                let place = country_group(r, v);
                let entry = by_country.entry(place.clone()).or_default();
                *entry
                    .0
                    .entry(v["severity"].as_str().unwrap().into())
                    .or_default() += 1;
                if !places.contains(&place) {
                    places.push(place);
                }
            }
        }
        for place in places {
            by_country.get_mut(&place).unwrap().1 += 1;
        }
    }
    let groups = p["countries"].as_array().unwrap();
    assert_eq!(groups.len(), by_country.len(), "{groups:#?}");
    for g in groups {
        let place = match (g["name"].as_str(), g.get("supplier_level")) {
            (Some(name), None) => name.to_string(),
            (None, Some(Value::Bool(true))) => SUPPLIER_LEVEL.to_string(),
            (None, None) => NOT_STATED.to_string(),
            other => panic!("a group of countries {other:?}"),
        };
        let (severities, reports) = &by_country[&place];
        assert_eq!(g["reports"], *reports, "{place}");
        for severity in ["critical", "major", "minor"] {
            let n = severities.get(severity).copied().unwrap_or(0);
            assert_eq!(g["findings"][severity], n, "{place} {severity}");
        }
    }
    // Real countries, named by their codes, before the supplier level.
    let names: Vec<&str> = groups.iter().filter_map(|g| g["name"].as_str()).collect();
    assert!(names.len() >= 2, "{names:?}");
    assert!(
        names
            .iter()
            .all(|n| n.len() == 2 && n.chars().all(|c| c.is_ascii_uppercase()))
    );
    assert!(names.windows(2).all(|w| w[0] < w[1]), "{names:?}");
    assert!(by_country.contains_key(SUPPLIER_LEVEL));
    // The CLI's text says the same totals.
    let text = stdout(&conduct(&["summary", &file]));
    assert!(
        text.contains(&format!(
            "Reports: {} ·",
            conduct::report::catalogue::Catalogue::for_language("en").integer(json.len() as u64)
        )),
        "{text}"
    );

    // And the JSON matches its schema.
    let mut set = schema::Schemas::new();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/summary.schema.json");
    set.add(
        "summary.schema.json",
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap(),
    );
    let violations = set.validate("summary.schema.json", &Value::Array(summary.clone()));
    assert!(violations.is_empty(), "{violations:#?}");
}

#[test]
fn the_csv_has_one_row_per_finding_and_reads_back() {
    let pack = pack();
    let reports = fixture_reports(&pack);
    let dir = TempDir::new();
    let file = ndjson(&dir, "reports.ndjson", &reports);
    let out = conduct(&["summary", &file, "--format", "csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        &header[..15],
        [
            "supplier",
            "org_number",
            "contract",
            "as_of",
            "site",
            "country",
            "clause",
            "requirement",
            "severity",
            "basis",
            "status",
            "due",
            "overdue",
            "plan",
            "finding_id"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let findings: Vec<&conduct::Violation> = reports.iter().flat_map(Report::violations).collect();
    assert_eq!(rows.len(), findings.len());
    let reports_of: Vec<(&Report, &conduct::Violation)> = reports
        .iter()
        .flat_map(|r| r.violations().map(move |v| (r, v)))
        .collect();
    let mut countries = 0;
    for (row, (r, v)) in rows.iter().zip(&reports_of) {
        assert_eq!(&row[14], v.id, "in the order of the reports");
        assert_eq!(&row[6], v.clause);
        assert_eq!(&row[8], v.severity.as_str());
        // The site and its country as the report's labels give it; empty for no site.
        let site = v.subject.get("site_id");
        assert_eq!(&row[4], site.and_then(Value::as_str).unwrap_or(""));
        let country = site
            .and_then(|s| r.label("site_id", s, "country"))
            .and_then(Value::as_str)
            .unwrap_or("");
        assert_eq!(&row[5], country, "{}", v.id);
        countries += usize::from(!country.is_empty());
    }
    assert!(countries > 0, "the country column is filled");
}

/// A report whose supplier, contract and a finding's site come from a hostile supplier.
fn hostile_report(pack: &RulePack) -> Report {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/example-evidence.json");
    let mut evidence: Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    evidence["supplier"]["name"] =
        json!("=HYPERLINK(\"http://evil.example\",\"<script>alert(1)</script>\")");
    evidence["supplier"]["org_number"] = json!("+46-1");
    evidence["contract"]["contract_id"] = json!("@SUM(A1)");
    evidence["contract"]["product_category"] = json!("<img src=x onerror=alert(1)>");
    let report = pack.evaluate(&evidence, &Options::default());
    assert!(report.violations().count() > 0);
    report
}

#[test]
fn cells_a_spreadsheet_would_run_are_neutralised() {
    let dir = TempDir::new();
    let file = ndjson(&dir, "hostile.ndjson", &[hostile_report(&pack())]);
    let out = conduct(&["summary", &file, "--format", "csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    for row in reader.records().map(Result::unwrap) {
        assert!(row[0].starts_with("'=HYPERLINK("), "{row:?}");
        assert_eq!(&row[1], "'+46-1");
        assert_eq!(&row[2], "'@SUM(A1)");
        for cell in &row {
            assert!(!cell.starts_with(['=', '+', '-', '@']), "{cell}");
        }
    }
}

#[test]
fn the_page_has_a_chart_per_table_no_external_reference_and_escapes_hostile_text() {
    let pack = pack();
    let mut reports = example_reports(&pack);
    reports.push(hostile_report(&pack));
    let dir = TempDir::new();
    let file = ndjson(&dir, "reports.ndjson", &reports);
    let out = conduct(&[
        "summary", &file, "--format", "html", "--lang", "sv", "--pack", REGIONS,
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let page = stdout(&out);
    let tables = page.matches("<table>").count();
    let charts = page.matches("<svg class=\"chart\"").count();
    assert_eq!(tables, 9, "every table has rows here");
    assert_eq!(charts, tables, "one chart per table");
    // Self-contained: no script, nothing loaded from elsewhere (the hostile texts, escaped,
    // aside).
    let markup = page
        .replace("&lt;img src=x onerror=alert(1)&gt;", "")
        .replace("&quot;http:&#x2f;&#x2f;evil.example&quot;", "");
    for needle in [
        "<script", "<link", "src=", "href=", "@import", "url(http", "<img",
    ] {
        assert!(!markup.contains(needle), "the page holds {needle}");
    }
    assert!(page.contains("default-src 'none'"));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"));
    assert!(page.contains("&lt;img src=x onerror=alert(1)&gt;"));
    // Every label in Swedish.
    for word in [
        "Avvikelser per krav",
        "Åtgärdsplaner per status",
        "Leverantörer per resultat",
        "Avvikelser per land för anläggningen",
        "Uppfyller inte kraven",
        "Allvarligaste avvikelsen",
    ] {
        assert!(page.contains(word), "{word}");
    }
    for english in ["Findings", "Supplier", "Non-compliant", "Major"] {
        assert!(!page.contains(&format!(">{english}<")), "{english}");
    }
    // The chart per country shows the sites' countries by their codes, and the findings about
    // no site as the supplier level, in Swedish.
    let start = page
        .find("Avvikelser per land för anläggningen</h2>")
        .unwrap();
    let chart = &page[start..start + page[start..].find("</svg>").unwrap()];
    assert!(chart.contains("<title>MY</title>MY</text>"), "{chart}");
    assert!(
        chart.contains("Leverantörsnivå, ingen anläggning</text>"),
        "{chart}"
    );
    assert!(!chart.contains("Ej angivet"), "{chart}");
}

#[test]
fn a_file_that_is_not_a_report_is_named_and_skipped_with_exit_3() {
    let pack = pack();
    let reports = example_reports(&pack);
    let dir = TempDir::new();
    let mut lines: Vec<String> = reports
        .iter()
        .map(|r| serde_json::to_string(r).unwrap())
        .collect();
    lines.insert(
        1,
        "{\"format\": \"conduct-report/2\", \"verdict\": 3}".to_string(),
    );
    let stream = dir.file_str("mixed.ndjson", lines.join("\n").as_bytes());
    let evidence = dir.file_str("evidence.json", b"{\n  \"supplier\": {}\n}\n");
    let out = conduct(&["summary", &stream, &evidence, "--format", "json"]);
    assert_eq!(code(&out), 3);
    let err = stderr(&out);
    assert!(err.contains(&format!("{stream}:2: not a report")), "{err}");
    assert!(err.contains(&format!("{evidence}:")), "{err}");
    let summary: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        summary[0]["reports"],
        reports.len(),
        "the others are still summarised"
    );
}

#[test]
fn no_report_at_all_is_exit_3_with_a_message() {
    let dir = TempDir::new();
    let empty = dir.file_str("empty.ndjson", b"\n\n");
    let out = conduct(&["summary", &empty]);
    assert_eq!(code(&out), 3);
    assert!(stdout(&out).is_empty());
    assert!(
        stderr(&out).contains("no reports to summarise"),
        "{}",
        stderr(&out)
    );
    let out = conduct_with_stdin(&["summary", "-"], Some(b"[]"));
    assert_eq!(code(&out), 3);
    assert!(
        stderr(&out).contains("no reports to summarise"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn reports_of_different_packs_are_summarised_per_pack_with_a_warning() {
    let pack = pack();
    let reports = example_reports(&pack);
    let mut other: Value = serde_json::to_value(&reports[0]).unwrap();
    other["pack"]["digest"] = json!(format!("sha256:{}", "0".repeat(64)));
    let dir = TempDir::new();
    let file = ndjson(&dir, "reports.ndjson", &reports);
    let other = dir.file_str(
        "other.json",
        serde_json::to_string(&other).unwrap().as_bytes(),
    );
    let out = conduct(&["summary", &file, &other, "--format", "json"]);
    assert_eq!(code(&out), 0);
    assert!(
        stderr(&out).contains("warning: the reports were made with 2 packs"),
        "{}",
        stderr(&out)
    );
    let summary: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(summary.as_array().unwrap().len(), 2);
    assert_eq!(summary[0]["reports"], reports.len());
    assert_eq!(summary[1]["reports"], 1);
}

#[test]
fn check_with_summary_sums_up_the_evidence_in_one_go() {
    let out = conduct(&[
        "check",
        REGIONS,
        "examples/example-evidence.json",
        "examples/supplier-with-gaps.json",
        "--summary",
        "--lang",
        "sv",
    ]);
    assert_eq!(code(&out), 1, "the most severe verdict's exit");
    let text = stdout(&out);
    assert!(
        text.starts_with("Sammanställning av uppföljningen\n"),
        "{text}"
    );
    assert!(text.contains("Rapporter: 2 · Leverantörer: 1"), "{text}");
    let out = conduct(&[
        "check",
        REGIONS,
        "examples/example-evidence.json",
        "--summary",
        "--format",
        "json",
    ]);
    let summary: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(summary[0]["format"], "conduct-summary/1");
}

/// The JSON of the worked examples, with the pack's digest (which changes with every edit of
/// the pack) left out.
fn stable(mut summary: Value) -> Value {
    for p in summary.as_array_mut().unwrap() {
        for pack in p["packs"].as_array_mut().unwrap() {
            pack["digest"] = json!("sha256:…");
        }
    }
    summary
}

#[test]
fn the_worked_examples_give_the_golden_summaries() {
    let pack = pack();
    let dir = TempDir::new();
    let file = ndjson(&dir, "examples.ndjson", &example_reports(&pack));
    let en = conduct(&["summary", &file]);
    assert_eq!(code(&en), 0, "{}", stderr(&en));
    insta::assert_snapshot!("summary_text_en", stdout(&en));
    let sv = conduct(&["summary", &file, "--lang", "sv", "--pack", REGIONS]);
    assert_eq!(code(&sv), 0, "{}", stderr(&sv));
    insta::assert_snapshot!("summary_text_sv", stdout(&sv));
    insta::assert_json_snapshot!("summary_json", stable(summary_json(&[&file])));
}

#[test]
fn the_readme_shows_real_output() {
    let pack = pack();
    let dir = TempDir::new();
    let reports = example_reports(&pack);
    let earlier = dir.file_str(
        "report-2024.json",
        serde_json::to_string(&reports[0]).unwrap().as_bytes(),
    );
    let newer = dir.file_str(
        "report-2025.json",
        serde_json::to_string(&reports[3]).unwrap().as_bytes(),
    );
    let out = conduct(&["summary", &earlier, &newer]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let block = readme
        .split("$ conduct summary report-2024.json report-2025.json\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the README shows the summary of the worked example");
    // Each excerpt (between the "…" lines) is a run of lines of the real output.
    for excerpt in block.split("…\n") {
        assert!(
            text.contains(excerpt),
            "the README's excerpt is not the real output:\n{excerpt}"
        );
    }
}
