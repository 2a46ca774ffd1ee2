#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
use conduct::{Options, RulePack};

#[test]
fn probe() {
    let pack = RulePack::load("rules/regions").unwrap();
    for w in pack.warnings() { println!("WARN {w}"); }
    let path = std::env::var("PROBE").unwrap_or("examples/example-evidence.json".into());
    let ev: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let r = pack.evaluate(&ev, &Options::default());
    println!("{}", serde_json::to_string_pretty(&r).unwrap());
}
