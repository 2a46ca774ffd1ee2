//! Replays the fuzz corpora and every saved crash (`fuzz/corpus/<target>/*`,
//! `fuzz/artifacts/<target>/*`, `tests/cases/regressions/<target>/*`) through the fuzz harness
//! bodies, so `cargo test` keeps them fixed without cargo-fuzz.
#![cfg(feature = "unstable-ast")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../fuzz/harness.rs"]
mod harness;

use std::path::Path;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in [
        root.join("fuzz/corpus").join(target),
        root.join("fuzz/artifacts").join(target),
        root.join("tests/cases/regressions").join(target),
    ] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        for f in files {
            out.push((f.display().to_string(), std::fs::read(&f).unwrap()));
        }
    }
    out
}

fn replay(target: &str, run: impl Fn(&[u8])) -> usize {
    let cases = inputs(target);
    for (name, data) in &cases {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(data)));
        assert!(result.is_ok(), "{target}: {name} panics");
    }
    cases.len()
}

#[test]
fn parse_check_corpus() {
    replay("parse_check", harness::parse_check);
    // The shipped pack's own files are seeds too.
    for f in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/regions")).unwrap() {
        let path = f.unwrap().path();
        if path.extension().is_some_and(|e| e == "conduct") {
            harness::parse_check(&std::fs::read(path).unwrap());
        }
    }
}

#[test]
fn evaluate_evidence_corpus() {
    let pack =
        conduct::RulePack::load(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/regions")).unwrap();
    replay("evaluate_evidence", |d| {
        harness::evaluate_evidence(&pack, d)
    });
    for example in [
        "example-evidence.json",
        "clean-supplier.json",
        "supplier-with-gaps.json",
    ] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples")
            .join(example);
        harness::evaluate_evidence(&pack, &std::fs::read(path).unwrap());
    }
}

#[test]
fn generated_programs_corpus() {
    replay("generated_programs", harness::generated_programs);
    for seed in 0u8..=255 {
        harness::generated_programs(&[seed, seed.wrapping_mul(7), 3, 200, seed, 1, 2, 3, 4, 5, 6]);
    }
}
