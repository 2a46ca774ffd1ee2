//! `conduct::tools::validate`: departures of evidence documents from a pack's declared shape.
#![cfg(feature = "tools")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use conduct::RulePack;
use conduct::tools::validate::{Departure, MAX_DEPARTURES, validate};
use serde_json::{Value, json};

fn regions() -> RulePack {
    RulePack::load("rules/regions").expect("the regions pack compiles")
}

fn example(name: &str) -> Value {
    let text = std::fs::read_to_string(format!("examples/{name}")).expect("example readable");
    serde_json::from_str(&text).expect("example is JSON")
}

fn paths(departures: &[Departure]) -> Vec<&str> {
    departures.iter().map(|d| d.path.as_str()).collect()
}

fn small_pack() -> RulePack {
    RulePack::builder()
        .file(
            "pack.conduct",
            r#"pack demo "Demo" languages en
evidence {
  blob: any
  items: [number]
  nested: { list: [any], when: date }
}
"#,
        )
        .build()
        .expect("the small pack compiles")
}

#[test]
fn examples_without_gaps_have_no_departures() {
    let pack = regions();
    for name in ["example-evidence.json", "clean-supplier.json"] {
        let departures = validate(&pack, &example(name));
        assert!(departures.is_empty(), "{name}: {departures:?}");
    }
}

#[test]
fn gaps_example_has_exactly_the_bad_date_of_birth() {
    let departures = validate(&regions(), &example("supplier-with-gaps.json"));
    assert_eq!(
        departures,
        [Departure {
            path: "/sites/0/workers/2/date_of_birth".into(),
            expected: "a date (YYYY-MM-DD)".into(),
            found: "\"2004-13-45\"".into(),
        }]
    );
}

#[test]
fn wrong_kinds_unknown_texts_bad_dates_and_bad_items_are_listed_sorted() {
    let evidence = json!({
        "sites": [{ "site_id": "S1", "tier": "three" }],
        "contract": {
            "clause_level": "premium",
            "final_manufacturing_countries": ["SE", 5, "MY"]
        },
        "assessment": { "as_of": "2024-02-30" }
    });
    let departures = validate(&regions(), &evidence);
    assert_eq!(
        paths(&departures),
        [
            "/assessment/as_of",
            "/contract/clause_level",
            "/contract/final_manufacturing_countries/1",
            "/sites/0/tier",
        ]
    );
    assert_eq!(departures[0].expected, "a date (YYYY-MM-DD)");
    assert_eq!(departures[1].expected, "one of \"basic\", \"advanced\"");
    assert_eq!(departures[1].found, "\"premium\"");
    assert_eq!(departures[2].expected, "a text");
    assert_eq!(departures[2].found, "`5`");
    assert_eq!(departures[3].expected, "a number");
    assert_eq!(departures[3].found, "\"three\"");
}

#[test]
fn null_absent_and_undeclared_fields_are_not_departures() {
    let evidence = json!({
        "sites": [null, { "site_id": null, "workers": [null, { "date_of_birth": null }] }],
        "contract": null,
        "assessment": {},
        "not_declared": { "anything": [1, "two", null] },
        "supplier": { "name": "Acme", "undeclared_field": 42 }
    });
    assert!(validate(&regions(), &evidence).is_empty());
}

#[test]
fn objects_and_lists_of_the_wrong_kind_are_departures() {
    let evidence = json!({ "sites": { "site_id": "S1" }, "contract": [] });
    let departures = validate(&regions(), &evidence);
    assert_eq!(paths(&departures), ["/contract", "/sites"]);
    assert_eq!(departures[0].expected, "an object");
    assert_eq!(departures[0].found, "a list");
    assert_eq!(departures[1].expected, "a list");
}

#[test]
fn list_indexes_sort_numerically() {
    let items: Vec<Value> = (0..12).map(|i| json!(format!("n{i}"))).collect();
    let departures = validate(&small_pack(), &json!({ "items": items }));
    let expected: Vec<String> = (0..12).map(|i| format!("/items/{i}")).collect();
    assert_eq!(paths(&departures), expected);
}

#[test]
fn departures_are_capped_with_a_final_marker() {
    let items: Vec<Value> = (0..MAX_DEPARTURES + 5).map(|_| json!("x")).collect();
    let departures = validate(&small_pack(), &json!({ "items": items }));
    assert_eq!(departures.len(), MAX_DEPARTURES + 1);
    assert!(departures[MAX_DEPARTURES].is_marker());
    assert!(departures[..MAX_DEPARTURES].iter().all(|d| !d.is_marker()));
}

/// Takes a deeply nested value apart level by level, so that dropping it cannot recurse deeply.
fn dismantle(mut v: Value) {
    loop {
        v = match v {
            Value::Array(mut items) => match items.pop() {
                Some(inner) => inner,
                None => return,
            },
            Value::Object(mut map) => match map.pop_first_like() {
                Some(inner) => inner,
                None => return,
            },
            _ => return,
        };
    }
}

/// `serde_json::Map` has no `pop_first`; take any one entry.
trait PopFirstLike {
    fn pop_first_like(&mut self) -> Option<Value>;
}

impl PopFirstLike for serde_json::Map<String, Value> {
    fn pop_first_like(&mut self) -> Option<Value> {
        let key = self.keys().next()?.clone();
        self.remove(&key)
    }
}

#[test]
fn deep_nesting_under_any_does_not_overflow() {
    let mut deep = json!("bottom");
    for i in 0..5_000 {
        deep = if i % 2 == 0 {
            Value::Array(vec![deep])
        } else {
            let mut map = serde_json::Map::new();
            map.insert("k".into(), deep);
            Value::Object(map)
        };
    }
    let mut evidence = serde_json::Map::new();
    evidence.insert("blob".into(), deep);
    let mut nested = serde_json::Map::new();
    nested.insert("when".into(), json!("not a date"));
    evidence.insert("nested".into(), Value::Object(nested));
    let evidence = Value::Object(evidence);

    let departures = validate(&small_pack(), &evidence);
    assert_eq!(paths(&departures), ["/nested/when"]);
    dismantle(evidence);
}

#[test]
fn a_pack_without_an_evidence_declaration_accepts_everything() {
    let pack = RulePack::builder()
        .file("pack.conduct", "pack demo \"Demo\" languages en\n")
        .build()
        .expect("compiles");
    assert!(validate(&pack, &json!({ "x": [1, "2"] })).is_empty());
}
