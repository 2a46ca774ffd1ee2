//! The hostile-input checklist of `reliability.md`, one test per row: each feeds the input
//! and asserts the documented behaviour — an error or outcome naming the problem, never a
//! panic — and, for evaluation, that the other clauses still give their outcomes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use conduct::pack::{Code, EvalLimits};
use conduct::{Error, Options, Report, RulePack, Status};
use serde_json::json;

const HEADER: &str = "pack p \"P\" languages en\nevidence { x: number, xs: [number], s: string }\n";

fn compile(src: &str) -> Result<RulePack, Vec<(Code, String)>> {
    RulePack::builder()
        .file("p.conduct", src)
        .build()
        .map_err(|e| match e {
            Error::Compile(c) => c
                .diagnostics()
                .iter()
                .map(|d| (d.code(), d.to_string()))
                .collect(),
            other => panic!("not a compile error: {other}"),
        })
}

fn first_code(src: &str) -> Code {
    compile(src).expect_err("the rules must not compile")[0].0
}

/// A pack with a clause under test and a plain clause that must still evaluate.
fn with_witness(clause: &str) -> String {
    format!(
        "{HEADER}{clause}\nclause z.witness\n  title en \"W\"\n  require x >= 0\n    message en \"m\"\n"
    )
}

fn witness_compliant(report: &Report) {
    let w = report
        .outcome("z.witness")
        .expect("the witness clause is reported");
    assert_eq!(
        w.status,
        Status::Compliant,
        "the other clauses still evaluate: {w:?}"
    );
}

#[test]
fn row_01_deep_nesting_is_rejected_with_a_position() {
    for src in [
        format!(
            "{HEADER}param a: number = {}1{}",
            "(".repeat(200),
            ")".repeat(200)
        ),
        format!("{HEADER}param a: bool = {}true", "not ".repeat(200)),
        format!("{HEADER}param a: number = {}1", "-".repeat(200)),
        format!("{HEADER}param a: number = 1{}", " + 1".repeat(200)),
        format!("{HEADER}param a: number = 1{}", " ?? 1".repeat(200)),
        format!(
            "{HEADER}clause a.b\n  title en \"T\"\n  require {}true{}",
            "if true then ".repeat(100),
            " else false".repeat(100)
        ),
    ] {
        let errors = compile(&src).expect_err("too deep");
        assert_eq!(errors[0].0, Code::E102, "{}", errors[0].1);
        assert!(errors[0].1.contains("p.conduct:"), "{}", errors[0].1);
    }
    // A long field chain is nesting too (each `.field` wraps the one before).
    let chain = format!(
        "{HEADER}clause a.b\n  title en \"T\"\n  require x{} > 1\n",
        ".y".repeat(5000)
    );
    assert_eq!(first_code(&chain), Code::E102);
}

#[test]
fn row_02_unclosed_nesting_fails_fast_without_backtracking() {
    for src in [
        "f(".repeat(10_000),
        format!("{HEADER}param a: number = {}", "max(1, ".repeat(10_000)),
        "[".repeat(50_000),
    ] {
        let errors = compile(&src).expect_err("unclosed");
        assert!(matches!(errors[0].0, Code::E101 | Code::E102), "{errors:?}");
    }
}

#[test]
fn row_03_oversized_rule_files_are_refused_before_parsing() {
    let big = format!("{HEADER}{}", "# padding\n".repeat(11 * 100_000));
    assert_eq!(first_code(&big), Code::E103);
    let limits = conduct::pack::CompileLimits::default().max_source_bytes(100);
    let err = RulePack::builder()
        .file("p.conduct", &format!("{HEADER}{}", "#".repeat(200)))
        .limits(limits)
        .build();
    assert!(matches!(err, Err(Error::Compile(c)) if c.diagnostics()[0].code() == Code::E103));
}

#[test]
fn row_04_invalid_utf8_names_the_byte() {
    // Through the file system the bytes are checked (tests/loading.rs has the full case); the
    // builder takes `&str`, so the check is the loader's.
    let dir = std::env::temp_dir().join(format!("conduct-rel-utf8-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut bytes = HEADER.as_bytes().to_vec();
    bytes.extend_from_slice(b"# \xc3\x28\n");
    std::fs::write(dir.join("pack.conduct"), &bytes).unwrap();
    let err = RulePack::load(&dir).expect_err("not UTF-8");
    let Error::Compile(c) = err else { panic!() };
    assert_eq!(c.diagnostics()[0].code(), Code::E104);
    assert!(
        c.diagnostics()[0]
            .message()
            .contains(&format!("at byte {}", HEADER.len() + 2))
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn row_05_bom_crlf_and_tabs_are_accepted_nul_and_bidi_are_not() {
    let src = format!(
        "\u{FEFF}{}clause a.b\r\n\ttitle en \"T\"\r\n\trequire x > 1\r\n\t\tmessage en \"m\"\r\n",
        HEADER.replace('\n', "\r\n")
    );
    assert!(compile(&src).is_ok(), "{:?}", compile(&src).err());
    assert_eq!(first_code(&format!("{HEADER}# a\0b\n")), Code::E104);
    for bidi in ['\u{202E}', '\u{2066}', '\u{2069}'] {
        let errors = compile(&format!("{HEADER}# {bidi}\n")).expect_err("bidi");
        assert_eq!(errors[0].0, Code::E104);
        // The rendered line does not carry the control character itself.
        assert!(!errors[0].1.contains(bidi), "{}", errors[0].1);
    }
}

#[test]
fn row_06_huge_numbers_in_evidence_are_exact_or_invalid() {
    let pack = compile(&with_witness(
        "clause a.n\n  title en \"N\"\n  require x < 10\n    message en \"{actual}\"\n",
    ))
    .unwrap();
    // u64 beyond i64 is exact; 1e300 is out of the decimal range: invalid, not a float surprise.
    let big: serde_json::Value = serde_json::from_str(r#"{ "x": 18446744073709551615 }"#).unwrap();
    let r = pack.evaluate(&big, &Options::default());
    assert_eq!(
        r.outcome("a.n").unwrap().violations[0].actual,
        json!(18_446_744_073_709_551_615u64)
    );
    let huge: serde_json::Value = serde_json::from_str(r#"{ "x": 1e300 }"#).unwrap();
    let r = pack.evaluate(&huge, &Options::default());
    let o = r.outcome("a.n").unwrap();
    assert_eq!(o.status, Status::InsufficientEvidence);
    assert_eq!(o.invalid[0].path, "/x");
    // Numbers that do not fit are refused in rules too.
    assert_eq!(
        first_code(&format!(
            "{HEADER}param a: number = 123456789012345678901234567890\n"
        )),
        Code::E304
    );
}

#[test]
fn row_07_arithmetic_faults_never_emit_nan() {
    let pack = compile(&with_witness(
        "clause a.div\n  title en \"D\"\n  require x / (x - x) > 0\n    message en \"m\"\nclause a.zero\n  title en \"Z\"\n  require 1 / 0 > 0\n    message en \"m\"\n",
    ))
    .unwrap();
    let r = pack.evaluate(&json!({ "x": 5 }), &Options::default());
    assert_eq!(
        r.outcome("a.div").unwrap().status,
        Status::InsufficientEvidence
    );
    assert_eq!(r.outcome("a.zero").unwrap().status, Status::Error);
    assert!(
        r.outcome("a.zero")
            .unwrap()
            .error
            .as_deref()
            .unwrap()
            .contains("division by zero")
    );
    witness_compliant(&r);
    let text = serde_json::to_string(&r).unwrap();
    assert!(!text.contains("NaN") && !text.contains("inf"));
}

#[test]
fn row_08_duplicate_keys_are_collapsed_by_serde_and_flagged_by_the_cli() {
    // The library receives an already-collapsed Value (last wins); the CLI, which reads the
    // raw bytes, warns (tests/cli.rs: duplicate_keys_*).
    let v: serde_json::Value = serde_json::from_str(r#"{ "x": 1, "x": 2 }"#).unwrap();
    assert_eq!(v["x"], json!(2));
}

#[test]
fn row_09_evidence_built_deeper_than_the_limit_is_invalid_where_read() {
    let pack = compile(&with_witness(
        "clause a.deep\n  title en \"D\"\n  require xs[0] >= 0\n    message en \"m\"\n",
    ))
    .unwrap();
    // 500 levels: beyond the limit of 128, and still shallow enough for serde_json's own
    // recursive drop of the value at the end of the test. Unread, it changes nothing.
    let mut deep = json!(1);
    for _ in 0..500 {
        deep = json!([deep]);
    }
    let r = pack.evaluate(
        &json!({ "x": 1, "xs": [1], "deep": deep }),
        &Options::default(),
    );
    assert!(r.outcomes.iter().all(|o| o.status == Status::Compliant));
    // Read past a limit of 1 (the document is level 1, `xs` level 2): invalid at `/xs`,
    // for that clause only.
    let options = Options::default().limits(EvalLimits::default().max_evidence_depth(1));
    let r = pack.evaluate(&json!({ "x": 1, "xs": [1], "deep": deep }), &options);
    let deep_clause = r.outcome("a.deep").unwrap();
    assert_eq!(deep_clause.status, Status::InsufficientEvidence);
    assert_eq!(deep_clause.invalid[0].path, "/xs");
    assert_eq!(deep_clause.invalid[0].reason, "nested deeper than 1 levels");
    assert_eq!(r.outcome("z.witness").unwrap().status, Status::Compliant);
}

#[test]
fn row_10_very_large_arrays_are_linear() {
    let pack = compile(&with_witness("clause a.all\n  title en \"A\"\n  require all(v in xs: v >= 0) and sum(v in xs: v) >= 0\n    message en \"m\"\n")).unwrap();
    let xs: Vec<u32> = (0..200_000).collect();
    let r = pack.evaluate(&json!({ "x": 1, "xs": xs }), &Options::default());
    assert_eq!(r.outcome("a.all").unwrap().status, Status::Compliant);
}

#[test]
fn row_11_quantifier_cross_products_hit_the_step_budget_for_that_clause_only() {
    let pack = compile(&with_witness("clause a.cross\n  title en \"C\"\n  require count(a in xs, b in xs, c in xs) > 0\n    message en \"m\"\n")).unwrap();
    let xs: Vec<u32> = (0..1_000).collect();
    let r = pack.evaluate(&json!({ "x": 1, "xs": xs }), &Options::default());
    let o = r.outcome("a.cross").unwrap();
    assert_eq!(o.status, Status::Error);
    assert!(o.error.as_deref().unwrap().contains("a.cross"), "{o:?}");
    witness_compliant(&r);
}

#[test]
fn row_12_imports_cannot_escape_the_pack() {
    for target in [
        "../x.conduct",
        "/etc/passwd",
        "a/../../x.conduct",
        "C:/x.conduct",
    ] {
        let errors = compile(&format!("pack p \"P\" languages en\nimport \"{target}\"\n"))
            .expect_err("refused");
        assert_eq!(errors[0].0, Code::E105, "{target}: {errors:?}");
    }
    // Cycles: tests/cases/invalid/E106-import-cycle.conduct; symlinks and FIFOs: tests/loading.rs.
}

#[test]
fn row_13_billion_laughs_through_lets_stays_small() {
    // Each level refers to the one before twice; values are bound once and shared.
    let mut src = format!("{HEADER}let l0 = [1, 2]\n");
    for i in 1..40 {
        src.push_str(&format!("let l{i} = [l{}, l{}]\n", i - 1, i - 1));
    }
    src.push_str(
        "clause a.b\n  title en \"T\"\n  require length(l39) == 2\n    message en \"m\"\n",
    );
    let pack = compile(&src).unwrap();
    let r = pack.evaluate(&json!({ "x": 1 }), &Options::default());
    assert_eq!(r.outcomes[0].status, Status::Compliant);
}

#[test]
fn row_14_no_recursion_or_self_reference() {
    // A definition sees only what is defined before it; a parameter's default is a constant.
    assert_eq!(first_code(&format!("{HEADER}let a = a + 1\n")), Code::E201);
    assert_eq!(
        first_code(&format!("{HEADER}let a = b\nlet b = a\n")),
        Code::E201
    );
    assert_eq!(
        first_code(&format!("{HEADER}param a: number = a\n")),
        Code::E305
    );
}

#[test]
fn row_15_there_are_no_pattern_functions_to_redos() {
    // The language has no regex or `like`: text tests are contains/starts_with/ends_with.
    assert_eq!(
        first_code(&format!(
            "{HEADER}clause a.b\n  title en \"T\"\n  require matches(s, \"(a+)+$\")\n"
        )),
        Code::E202
    );
}

#[test]
fn row_16_long_lines_are_cut_in_diagnostics() {
    let long = format!(
        "{HEADER}clause a.b\n  title en \"T\"\n  require {} x > \"y\"\n",
        "1 + ".repeat(30)
    );
    let errors = compile(&format!("{long}# {}\n", "z".repeat(1_000_000))).expect_err("type error");
    assert!(
        errors[0].1.len() < 2_000,
        "rendered {} bytes",
        errors[0].1.len()
    );
    let name = "n".repeat(100_000);
    let errors = compile(&format!(
        "{HEADER}clause a.b\n  title en \"T\"\n  require {name} > 1\n"
    ))
    .expect_err("unknown name");
    assert!(errors[0].1.lines().all(|l| l.chars().count() < 100_300));
    assert!(
        errors[0].1.lines().nth(3).unwrap().chars().count() < 400,
        "the source line is cut around the caret"
    );
}

#[test]
fn row_17_many_violations_are_capped_with_a_marker() {
    let pack = compile(&with_witness("clause a.each\n  title en \"E\"\n  for each v in xs:\n    require v < 0\n      message en \"{v}\"\n  end\n")).unwrap();
    let xs: Vec<u32> = (0..5_000).collect();
    let r = pack.evaluate(&json!({ "x": 1, "xs": xs }), &Options::default());
    let o = r.outcome("a.each").unwrap();
    assert_eq!(o.violations.len(), 1_000);
    assert!(o.truncated);
    witness_compliant(&r);
}

#[test]
fn row_18_library_code_denies_panicking_constructs() {
    // The lints are the check; this test pins that they stay configured.
    let manifest =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml")).unwrap();
    for lint in [
        "unwrap_used = \"deny\"",
        "expect_used = \"deny\"",
        "panic = \"deny\"",
        "indexing_slicing = \"deny\"",
        "unsafe_code = \"forbid\"",
    ] {
        assert!(manifest.contains(lint), "Cargo.toml lints lack {lint}");
    }
}
