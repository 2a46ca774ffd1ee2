#![no_main]
#[path = "../harness.rs"]
mod harness;

use std::sync::OnceLock;

static PACK: OnceLock<conduct::RulePack> = OnceLock::new();

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let pack = PACK.get_or_init(|| {
        conduct::RulePack::load(concat!(env!("CARGO_MANIFEST_DIR"), "/../rules/regions")).expect("the shipped pack compiles")
    });
    harness::evaluate_evidence(pack, data);
});
