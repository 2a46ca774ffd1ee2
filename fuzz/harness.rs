//! Fuzz harness bodies as plain functions: the cargo-fuzz targets call them, and
//! `tests/fuzz_replay.rs` replays the corpus and every saved crash through them with
//! `cargo test`, so a fixed crash stays fixed where cargo-fuzz is not installed.
// Each target uses one of these functions.
#![allow(dead_code)]

use conduct::report::Date;
use conduct::{Options, RulePack, Status};

/// Any bytes as a rule file: the hand-written parser and pest must agree on it; parsing and
/// checking must return, never panic; a file that parses must format (the formatter checks that the result means the same, keeps every
/// comment and is stable; `Unstable` is its bug).
pub fn parse_check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    assert!(
        conduct::tools::unstable::parsers_agree(text),
        "the hand-written parser and pest disagree"
    );
    match conduct::tools::format::format_source("fuzz.conduct", text) {
        Ok(_) | Err(conduct::tools::format::FormatError::Syntax(_)) => {}
        Err(e) => panic!("{e}"),
    }
    if let Ok(pack) = RulePack::builder().file("fuzz.conduct", text).build() {
        // A pack that compiles must evaluate on empty evidence without panicking.
        let report = pack.evaluate(&serde_json::json!({}), &Options::default());
        assert_eq!(report.outcomes.len(), pack.clause_ids().count());
    }
}

/// The shipped pack against any bytes read as evidence, through the evidence reader: what
/// `serde_json` reads, the reader reads the same; what the reader reads beyond that, it lists
/// as replaced; and what either reads evaluates without panicking.
pub fn evaluate_evidence(pack: &RulePack, data: &[u8]) {
    let read = conduct::pack::evidence::parse(data, 1);
    let plain = serde_json::from_slice::<serde_json::Value>(
        data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data),
    );
    match (&read, &plain) {
        (Ok(doc), Ok(value)) if doc.replaced().is_empty() => {
            assert_eq!(doc.value(), value, "the reader reads what serde_json reads");
        }
        (Ok(doc), Ok(_) | Err(_)) => {
            assert!(!doc.replaced().is_empty(), "the reader accepts only JSON");
        }
        (Err(e), Ok(value)) => assert!(!value.is_object(), "the reader refuses an object: {e}"),
        (Err(_), Err(_)) => {}
    }
    let options = Options::default().as_of(Date::parse("2024-10-31").expect("a date"));
    let (evidence, options) = match (read, plain) {
        (Ok(doc), _) => {
            let options = options.replaced(doc.replaced());
            (doc.into_value(), options)
        }
        (Err(_), Ok(value)) => (value, options),
        (Err(_), Err(_)) => return,
    };
    let report = pack.evaluate(&evidence, &options);
    for o in &report.outcomes {
        // Missing or invalid evidence never passes.
        if !o.missing.is_empty() || !o.invalid.is_empty() {
            assert_ne!(o.status, Status::Compliant, "{o:?}");
        }
    }
    assert_eq!(
        report,
        pack.evaluate(&evidence, &options),
        "evaluation is deterministic"
    );
}

/// A program built from the bytes (a small well-formed clause) against evidence built from
/// the bytes: generated programs must compile and evaluate without panicking.
pub fn generated_programs(data: &[u8]) {
    const CONDS: &[&str] = &[
        "x > 1",
        "x == null",
        "exists(x)",
        "y == \"a\"",
        "d <= as_of",
        "count(i in xs where i > 2) >= 1",
        "share(i in xs: i > 1) < 0.5",
        "all(i in xs: i != 3)",
        "(x ?? 0) + 1 > 2",
        "age(d, as_of) >= 15",
        "x / (x - 1) > 0",
        "first(i in xs where i > 1: i) == 2",
        "sum(i in xs: i) <= x * 2",
        "d + 1 month > date(\"2024-02-29\")",
        "length(y) >= 0",
        "min(x, 3) < max(x, 4)",
    ];
    const JOIN: &[&str] = &["and", "or"];
    let mut cond = String::new();
    let mut bytes = data.iter();
    for (i, b) in bytes.by_ref().take(6).enumerate() {
        if i > 0 {
            cond.push_str(&format!(" {} ", JOIN[usize::from(*b) % JOIN.len()]));
        }
        if b & 0x80 != 0 {
            cond.push_str("not ");
        }
        cond.push_str(&format!("({})", CONDS[usize::from(*b) % CONDS.len()]));
    }
    if cond.is_empty() {
        return;
    }
    let src = format!(
        "pack p \"P\" languages en\nevidence {{ x: number, y: string, d: date, xs: [number] }}\n\
         clause a.b\n  title en \"T\"\n  require {cond}\n    message en \"{{actual}} {{expected}}\"\n"
    );
    let pack = match RulePack::builder().file("p.conduct", &src).build() {
        Ok(p) => p,
        Err(e) => panic!("a generated program does not compile:\n{src}\n{e}"),
    };
    let rest: Vec<u8> = bytes.copied().collect();
    let n = |i: usize| rest.get(i).map_or(0, |b| i64::from(*b) - 64);
    const DATES: [&str; 4] = ["2009-10-31", "2024-02-29", "2024-13-45", "2000-01-01"];
    let date = DATES[rest.get(3).map_or(0, |b| usize::from(*b) % 4)];
    let evidence = serde_json::json!({
        "x": if rest.first().is_some_and(|b| b % 7 == 0) { serde_json::Value::Null } else { n(1).into() },
        "y": if rest.get(2).is_some_and(|b| b % 5 == 0) { serde_json::json!(3) } else { serde_json::json!("a") },
        "d": date,
        "xs": rest.iter().skip(4).take(8).map(|b| i64::from(*b) % 5).collect::<Vec<_>>(),
    });
    let options = Options::default().as_of(Date::parse("2024-10-31").expect("a date"));
    let report = pack.evaluate(&evidence, &options);
    assert_eq!(report.outcomes.len(), 1);
    assert_eq!(report, pack.evaluate(&evidence, &options));
}
