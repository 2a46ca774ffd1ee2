//! A pack's `labels`: what the report records per key (a site's country and name), read once
//! per document apart from the clauses — the values, the order, which declaration wins, bad
//! values left out with their reason, findings and ids unchanged, and the serde round trip.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails loudly when the output is not what it expects"
)]

use std::path::Path;

use conduct::{Options, Report, RulePack};
use serde_json::{Value, json};

const PACK: &str = r#"pack demo "Demo" languages en
  labels site_id from chain.sites: country, name from legal_name
  labels site_id from sites: country, name from legal_name, tier
evidence {
  chain: { sites: [{ key site_id: string, legal_name: string, country: string }] }
  sites: [{ key site_id: string, legal_name: string, country: "MY" | "TH" | "VN",
            tier: number, hours: number }]
}

clause working_hours.weekly_limit
  title en "Working hours"
  for each s in sites:
    require s.hours <= 60
      message en "{s.site_id}: {actual} hours"
  end
"#;

fn pack(source: &str) -> RulePack {
    RulePack::builder()
        .file("pack.conduct", source)
        .build()
        .unwrap()
}

fn evaluate(evidence: &Value) -> Report {
    pack(PACK).evaluate(evidence, &Options::default())
}

fn evidence() -> Value {
    json!({
        "chain": { "sites": [
            { "site_id": "VN-2", "legal_name": "Example Works", "country": "VN" },
            { "site_id": "MY-1", "legal_name": null }
        ] },
        "sites": [
            { "site_id": "VN-2", "country": "TH", "tier": 1, "hours": 72 },
            { "site_id": "MY-1", "legal_name": "Glove Sdn Bhd", "country": "MY", "tier": 2, "hours": 80 },
            { "site_id": "TH-3", "country": "TH", "hours": 50 }
        ]
    })
}

#[test]
fn labels_are_recorded_per_key_in_a_fixed_order() {
    let report = evaluate(&evidence());
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(
        json["labels"],
        json!({ "site_id": {
            "MY-1": { "country": "MY", "name": "Glove Sdn Bhd", "tier": 2 },
            "TH-3": { "country": "TH" },
            "VN-2": { "country": "VN", "name": "Example Works", "tier": 1 }
        } })
    );
    // Keys sorted, labels in the declarations' order, whatever the evidence's order.
    let keys: Vec<&String> = report.labels["site_id"].keys().collect();
    assert_eq!(keys, ["MY-1", "TH-3", "VN-2"]);
    let names: Vec<&String> = report.labels["site_id"]["MY-1"].keys().collect();
    assert_eq!(names, ["country", "name", "tier"]);
    assert!(
        report.invalid_labels.is_empty(),
        "{:?}",
        report.invalid_labels
    );
    // The first declaration wins: the chain's `VN`, not the observed site's `TH`.
    assert_eq!(
        report.label("site_id", &json!("VN-2"), "country"),
        Some(&json!("VN"))
    );
    assert_eq!(report.label("site_id", &json!("XX-9"), "country"), None);
}

#[test]
fn reordered_evidence_gives_the_same_labels_and_ids() {
    let first = evaluate(&evidence());
    let mut reordered = evidence();
    reordered["sites"].as_array_mut().unwrap().reverse();
    reordered["chain"]["sites"]
        .as_array_mut()
        .unwrap()
        .reverse();
    let second = evaluate(&reordered);
    assert_eq!(
        serde_json::to_string(&first.labels).unwrap(),
        serde_json::to_string(&second.labels).unwrap()
    );
    let ids = |r: &Report| {
        let mut ids: Vec<String> = r.violations().map(|v| v.id.clone()).collect();
        ids.sort();
        ids
    };
    assert_eq!(ids(&first), ids(&second));
}

#[test]
fn labels_change_no_finding() {
    // The same pack with the `labels` lines blanked (so that rule lines stay put).
    let blanked: String = PACK
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("labels ") {
                ""
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let without = pack(&blanked);
    let evidence = evidence();
    let plain = without.evaluate(&evidence, &Options::default());
    let labelled = evaluate(&evidence);
    assert!(plain.labels.is_empty());
    assert_eq!(plain.outcomes, labelled.outcomes);
    assert_eq!(plain.verdict, labelled.verdict);
    // A report without labels has no `labels` in its JSON at all.
    let json = serde_json::to_value(&plain).unwrap();
    assert!(json.get("labels").is_none() && json.get("invalid_labels").is_none());
}

#[test]
fn bad_values_are_left_out_with_their_reason() {
    let evidence = json!({
        "chain": { "sites": [
            { "site_id": "A", "country": 5 },
            { "site_id": { "id": "B" }, "country": "SE" },
            "not an object",
            { "site_id": "C", "country": "CN" },
            { "site_id": "C", "country": "HK" },
            { "site_id": 7, "country": "SE" }
        ] },
        "sites": [
            { "site_id": "A", "country": "SE", "tier": "one" },
            { "site_id": "C", "country": "VN" },
            { "site_id": null, "country": "MY" }
        ]
    });
    let report = evaluate(&evidence);
    let labels = &report.labels["site_id"];
    // `A`: the chain's number is invalid, so the observed site's text is kept… except that
    // `SE` is not one of the observed sites' declared countries.
    assert!(!labels.contains_key("A"), "{labels:?}");
    // `C`: the chain contradicts itself, so the observed site's `VN` fills in.
    assert_eq!(labels["C"]["country"], "VN");
    // A number key is recorded as written.
    assert_eq!(labels["7"]["country"], "SE");
    assert_eq!(
        report.label("site_id", &json!(7), "country"),
        Some(&json!("SE"))
    );
    let invalid: Vec<(&str, &str)> = report
        .invalid_labels
        .iter()
        .map(|i| (i.path.as_str(), i.reason.as_str()))
        .collect();
    assert_eq!(
        invalid,
        [
            (
                "/chain/sites/0/country",
                "expected a text, found `5`: the label `country` is left out"
            ),
            (
                "/chain/sites/1/site_id",
                "expected a text or a number as the key `site_id`, found an object: its labels are left out"
            ),
            (
                "/chain/sites/3/country",
                "the items of `chain.sites` with `site_id` \"C\" give different values for the label `country`: it is left out"
            ),
            (
                "/chain/sites/4/country",
                "the items of `chain.sites` with `site_id` \"C\" give different values for the label `country`: it is left out"
            ),
            (
                "/sites/0/country",
                "expected one of the field's declared texts, found \"SE\": the label `country` is left out"
            ),
            (
                "/sites/0/tier",
                "expected a number, found \"one\": the label `tier` is left out"
            ),
        ]
    );
    assert_eq!(report.invalid_labels[0].subject["site_id"], "A");
}

#[test]
fn a_list_that_is_not_a_list_labels_nothing() {
    for evidence in [
        json!({}),
        json!({ "chain": null, "sites": "many" }),
        json!({ "chain": { "sites": { "site_id": "A" } }, "sites": [[1, 2], null, 3] }),
        json!([1, 2, 3]),
    ] {
        let report = evaluate(&evidence);
        assert!(report.labels.is_empty(), "{evidence}");
        assert!(report.invalid_labels.is_empty(), "{evidence}");
    }
}

#[test]
fn a_report_with_labels_reads_back_equal() {
    let report = evaluate(&evidence());
    let text = serde_json::to_string_pretty(&report).unwrap();
    let back = Report::from_json(&text).unwrap();
    assert_eq!(back, report);
    assert_eq!(serde_json::to_string_pretty(&back).unwrap(), text);
    let mut bad = evidence();
    bad["chain"]["sites"][0]["country"] = json!(true);
    let report = evaluate(&bad);
    assert_eq!(report.invalid_labels.len(), 1);
    let text = serde_json::to_string(&report).unwrap();
    assert_eq!(Report::from_json(&text).unwrap(), report);
}

#[test]
fn the_regions_pack_labels_every_site_with_its_country() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pack = RulePack::load(root.join("rules/regions")).unwrap();
    let file = std::fs::File::open(root.join("examples/example-evidence.json")).unwrap();
    let evidence = conduct::pack::evidence::read(file).unwrap();
    let report = pack.evaluate(evidence.value(), &Options::default());
    let sites = &report.labels["site_id"];
    // Each observed site's country, from the declared chain first, else the site itself.
    let chain = evidence.value()["supply_chain"]["sites"]
        .as_array()
        .unwrap();
    for site in evidence.value()["sites"].as_array().unwrap() {
        let id = site["site_id"].as_str().unwrap();
        let declared = chain
            .iter()
            .find(|s| s["site_id"] == id && s["country"].is_string())
            .map_or(&site["country"], |s| &s["country"]);
        assert!(declared.is_string(), "{id} has a country in the example");
        assert_eq!(&sites[id]["country"], declared, "{id}");
    }
    // Every finding about a site finds its site's country.
    let mut site_findings = 0;
    for v in report.violations() {
        if let Some(site) = v.subject.get("site_id") {
            site_findings += 1;
            assert!(
                report.label("site_id", site, "country").is_some(),
                "{}",
                v.id
            );
        }
    }
    assert!(site_findings > 0);
}
