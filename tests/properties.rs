//! Properties that must hold for any input: parsing and checking never panic, evaluation never
//! panics and is deterministic, unrelated evidence changes nothing, reports round-trip, and
//! limits of any size give diagnostics and `error` outcomes, never an abort.
//! Longer campaigns: `PROPTEST_CASES=10000 cargo test --test properties`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::OnceLock;

use conduct::{Options, Report, RulePack, Status};
use proptest::prelude::*;

fn regions() -> &'static RulePack {
    static PACK: OnceLock<RulePack> = OnceLock::new();
    PACK.get_or_init(|| {
        RulePack::load(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/regions")).unwrap()
    })
}

fn example() -> &'static serde_json::Value {
    static EVIDENCE: OnceLock<serde_json::Value> = OnceLock::new();
    EVIDENCE.get_or_init(|| {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/example-evidence.json"
        ))
        .unwrap();
        serde_json::from_str(&text).unwrap()
    })
}

const WORDS: &[&str] = &[
    "pack",
    "p",
    "\"P\"",
    "languages",
    "en",
    "sv",
    "evidence",
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    ":",
    ",",
    ".",
    "param",
    "table",
    "default",
    "clause",
    "a.b",
    "title",
    "references",
    "severity",
    "critical",
    "major",
    "minor",
    "when",
    "otherwise",
    "applies",
    "remediation",
    "within",
    "due",
    "remedied",
    "for",
    "each",
    "in",
    "where",
    "let",
    "require",
    "message",
    "end",
    "and",
    "or",
    "not",
    "if",
    "then",
    "else",
    "true",
    "false",
    "null",
    "30",
    "0.5",
    "days",
    "months",
    "x",
    "xs",
    "number",
    "date",
    "string",
    "bool",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "+",
    "-",
    "*",
    "/",
    "??",
    "count",
    "share",
    "all",
    "any",
    "first",
    "age",
    "max",
    "min",
    "exists",
    "\"{x}\"",
    "as_of",
    "insufficient",
    "unless",
    "import",
    "\"a.conduct\"",
    "#",
    "\n",
    "\"",
    "date(\"2024-02-30\")",
];

fn token_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 0..80).prop_map(|w| w.join(" "))
}

/// A well-formed pack around a random condition, so the checker and evaluator see many shapes.
fn random_condition() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("x > 1".to_string()),
        Just("x == null".to_string()),
        Just("exists(x)".to_string()),
        Just("y == \"a\"".to_string()),
        Just("d <= as_of".to_string()),
        Just("count(i in xs where i > 2) >= 1".to_string()),
        Just("share(i in xs: i > 1) < 0.5".to_string()),
        Just("all(i in xs: i != 3)".to_string()),
        Just("(x ?? 0) + 1 > 2".to_string()),
        Just("age(d, as_of) >= 15".to_string()),
        Just("x / (x - 1) > 0".to_string()),
        Just("first(i in xs where i > 1: i) == 2".to_string()),
    ];
    leaf.prop_recursive(4, 16, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} and {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} or {b})")),
            inner.clone().prop_map(|a| format!("not ({a})")),
            (inner.clone(), inner).prop_map(|(a, b)| format!("(if {a} then {b} else true)")),
        ]
    })
}

fn arbitrary_json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        (-1e6f64..1e6).prop_map(serde_json::Value::from),
        "[a-z0-9-]{0,12}".prop_map(serde_json::Value::from),
        Just(serde_json::Value::from("2024-02-29")),
        Just(serde_json::Value::from("2024-13-45")),
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A JSON Pointer to a random place in `v`; with `containers`, only objects and arrays.
fn random_pointer(v: &serde_json::Value, mut choice: usize, containers: bool) -> String {
    let mut pointer = String::new();
    let mut cur = v;
    loop {
        let next = match cur {
            serde_json::Value::Object(m) if !m.is_empty() && !choice.is_multiple_of(5) => {
                let key = m.keys().nth(choice % m.len()).unwrap();
                Some((key.replace('~', "~0").replace('/', "~1"), &m[key]))
            }
            serde_json::Value::Array(a) if !a.is_empty() && !choice.is_multiple_of(5) => {
                let i = choice % a.len();
                Some((i.to_string(), &a[i]))
            }
            _ => None,
        };
        match next {
            Some((seg, n)) if !containers || n.is_object() || n.is_array() => {
                pointer.push('/');
                pointer.push_str(&seg);
                cur = n;
                choice /= 3;
            }
            _ => return pointer,
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256),
        ..ProptestConfig::default()
    })]

    #[test]
    fn parsing_random_text_never_panics(text in ".{0,200}") {
        let _ = RulePack::builder().file("p.conduct", &text).build();
    }

    #[test]
    fn parsing_token_soup_never_panics(text in token_soup()) {
        let _ = RulePack::builder().file("p.conduct", &text).build();
    }

    #[test]
    fn generated_packs_check_and_evaluate_without_panicking(cond in random_condition(), evidence in arbitrary_json()) {
        let src = format!(
            "pack p \"P\" languages en\nevidence {{ x: number, y: string, d: date, xs: [number] }}\n\
             clause a.b\n  title en \"T\"\n  require {cond}\n    message en \"{{actual}} {{expected}}\"\n"
        );
        let pack = match RulePack::builder().file("p.conduct", &src).build() {
            Ok(p) => p,
            Err(e) => panic!("generated pack does not compile:\n{src}\n{e}"),
        };
        let options = Options::default().as_of(conduct::report::Date::parse("2024-10-31").unwrap());
        let a = pack.evaluate(&evidence, &options);
        let b = pack.evaluate(&evidence, &options);
        prop_assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&b).unwrap());
        // An outcome with missing or invalid evidence is never compliant.
        for o in &a.outcomes {
            if !o.missing.is_empty() || !o.invalid.is_empty() {
                prop_assert_ne!(o.status, conduct::Status::Compliant);
            }
        }
    }

    #[test]
    fn evaluating_mutated_evidence_never_panics_and_is_deterministic(choice in any::<usize>(), new in arbitrary_json()) {
        let mut evidence = example().clone();
        let at = random_pointer(&evidence, choice, false);
        *evidence.pointer_mut(&at).unwrap() = new;
        let a = regions().evaluate(&evidence, &Options::default());
        let b = regions().evaluate(&evidence, &Options::default());
        prop_assert_eq!(&a, &b);
        for o in &a.outcomes {
            if !o.missing.is_empty() || !o.invalid.is_empty() {
                prop_assert_ne!(o.status, conduct::Status::Compliant, "{:?}", o);
            }
        }
        let back = Report::from_json(&serde_json::to_string(&a).unwrap()).unwrap();
        prop_assert_eq!(back, a);
    }

    #[test]
    fn unrelated_evidence_fields_change_nothing(choice in any::<usize>(), extra in arbitrary_json()) {
        let base = regions().evaluate(example(), &Options::default());
        let mut evidence = example().clone();
        // Add a field no clause reads, somewhere in the document.
        let at = random_pointer(&evidence, choice, true);
        match evidence.pointer_mut(&at).unwrap() {
            serde_json::Value::Object(m) => {
                m.insert("zz_unrelated_field".to_string(), extra);
            }
            serde_json::Value::Array(a) => {
                // An array item is evidence; add the field to an object item instead.
                if let Some(serde_json::Value::Object(m)) = a.first_mut() {
                    m.insert("zz_unrelated_field".to_string(), extra);
                }
            }
            _ => {}
        }
        prop_assert_eq!(regions().evaluate(&evidence, &Options::default()), base);
    }
}

/// Replaces every scalar of `v` by another of the same kind (texts are kept: many are codes
/// from a fixed set), so the document still matches the declared evidence shape.
fn same_shape(v: &serde_json::Value, seed: &mut u64) -> serde_json::Value {
    let mut next = || {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    };
    match v {
        serde_json::Value::Bool(_) => serde_json::Value::Bool(next() % 2 == 0),
        serde_json::Value::Number(n) if n.is_i64() || n.is_u64() => serde_json::json!(next() % 120),
        serde_json::Value::Number(_) => serde_json::json!((next() % 1000) as f64 / 100.0),
        serde_json::Value::String(s) if conduct::report::Date::parse(s).is_some() => {
            let r = next();
            serde_json::json!(format!(
                "{}-{:02}-{:02}",
                2015 + r % 12,
                1 + (r >> 8) % 12,
                1 + (r >> 16) % 28
            ))
        }
        serde_json::Value::Array(items) => {
            serde_json::Value::Array(items.iter().map(|x| same_shape(x, seed)).collect())
        }
        serde_json::Value::Object(m) => serde_json::Value::Object(
            m.iter()
                .map(|(k, x)| (k.clone(), same_shape(x, seed)))
                .collect(),
        ),
        other => other.clone(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256),
        ..ProptestConfig::default()
    })]

    /// Checker and evaluator agree: on evidence of the declared shape, the shipped pack reports
    /// no type errors (invalid evidence other than a zero divisor) and no clause ends in error.
    #[test]
    fn evidence_of_the_declared_shape_gives_no_type_errors(seed in any::<u64>()) {
        let mut s = seed | 1;
        // (supplier-with-gaps.json holds a malformed date on purpose, so it is not of the shape.)
        for example in ["example-evidence.json", "clean-supplier.json"] {
            let text = std::fs::read_to_string(format!("{}/examples/{example}", env!("CARGO_MANIFEST_DIR"))).unwrap();
            let evidence = same_shape(&serde_json::from_str(&text).unwrap(), &mut s);
            let report = regions().evaluate(&evidence, &Options::default());
            for o in &report.outcomes {
                prop_assert_ne!(o.status, conduct::Status::Error, "{:?}", o);
                for i in &o.invalid {
                    prop_assert!(i.reason.contains("division by zero") || i.reason.contains("date of birth"),
                        "{}: {} {}", o.clause, i.path, i.reason);
                }
            }
        }
    }
}

/// The rule files of the regions pack, for building it from memory with other limits.
fn regions_files() -> &'static Vec<(String, String)> {
    static FILES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    FILES.get_or_init(|| {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/rules/regions");
        // The root first: the builder takes the first file as the pack's root.
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".conduct") && n != "pack.conduct")
            .collect();
        names.sort();
        names.insert(0, "pack.conduct".to_string());
        names
            .into_iter()
            .map(|n| {
                let text = std::fs::read_to_string(format!("{dir}/{n}")).unwrap();
                (n, text)
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(64),
        ..ProptestConfig::default()
    })]

    /// Any limits, however small: compiling gives a pack or diagnostics (too deep, too large),
    /// never a panic; evaluating gives one outcome per clause, a clause that ran out of steps
    /// is an `error` outcome that says so, one that read evidence deeper than the limit is not
    /// compliant and lists it as invalid, while the others are evaluated as usual; capped
    /// violations are marked `truncated`.
    #[test]
    fn limits_produce_errors_not_aborts(
        source_bytes in 64usize..200_000,
        depth in 1usize..40,
        steps in 1u64..5_000,
        violations in 1usize..5,
        evidence_depth in 1usize..12,
    ) {
        let compile = conduct::pack::CompileLimits::default().max_source_bytes(source_bytes).max_depth(depth);
        let mut builder = RulePack::builder().limits(compile);
        for (name, text) in regions_files() {
            builder = builder.file(name, text);
        }
        match builder.build() {
            Ok(_) => {}
            Err(conduct::Error::Compile(e)) => {
                for d in e.errors() {
                    prop_assert!(
                        matches!(d.code(), conduct::pack::Code::E102 | conduct::pack::Code::E103),
                        "{d}"
                    );
                }
            }
            Err(e) => prop_assert!(false, "{e}"),
        }

        let limits = conduct::pack::EvalLimits::default()
            .max_steps(steps)
            .max_violations(violations)
            .max_evidence_depth(evidence_depth);
        let unlimited = regions().evaluate(example(), &Options::default());
        let report = regions().evaluate(example(), &Options::default().limits(limits));
        prop_assert_eq!(report.outcomes.len(), unlimited.outcomes.len());
        for (o, free) in report.outcomes.iter().zip(&unlimited.outcomes) {
            prop_assert_eq!(&o.clause, &free.clause);
            match o.status {
                conduct::Status::Error => {
                    let why = o.error.as_deref().unwrap_or_default();
                    prop_assert!(
                        why.contains("step") || why.contains("deep") || why.contains("depth"),
                        "{}: {why}", o.clause
                    );
                }
                // Evidence read deeper than `max_evidence_depth` is invalid for the clauses
                // that read it.
                _ if o.invalid.iter().any(|i| i.reason.starts_with("nested deeper than")) => {
                    prop_assert!(
                        o.status != conduct::Status::Compliant,
                        "{}: compliant on evidence too deep", o.clause
                    );
                }
                // A clause that finished within the limits decides as without them, except
                // that its violations may be capped.
                _ => {
                    prop_assert_eq!(o.status, free.status, "{}", o.clause);
                    prop_assert_eq!(o.violations.len(), free.violations.len().min(violations), "{}", o.clause);
                    prop_assert_eq!(o.truncated, free.violations.len() > violations, "{}", o.clause);
                }
            }
        }
    }
}

/// The pack of `evidence_numbers_compare_exactly`.
fn comparisons() -> &'static RulePack {
    static PACK: OnceLock<RulePack> = OnceLock::new();
    PACK.get_or_init(|| {
        let rules = "pack p \"P\" languages en\nevidence { a: number, b: number }\n\
                     clause c.eq\n  title en \"eq\"\n  require a == b\n\
                     clause c.lt\n  title en \"lt\"\n  require a < b\n\
                     clause c.zero\n  title en \"zero\"\n  require a == 0\n";
        RulePack::builder()
            .file("p.conduct", rules)
            .build()
            .unwrap()
    })
}

/// `±digits / 10^scale` as JSON text, plain (`-0.0015`) or with an exponent (`-15e-4`).
fn decimal_text(negative: bool, digits: u64, scale: u32, plain: bool) -> String {
    let sign = if negative { "-" } else { "" };
    if !plain {
        return format!("{sign}{digits}e-{scale}");
    }
    let text = format!("{digits:0>width$}", width = scale as usize + 1);
    let (int, frac) = text.split_at(text.len() - scale as usize);
    if frac.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Evidence numbers within the README's limits (at most 15 significant digits and 22
    /// decimal places) compare exactly: against integer arithmetic, never rounded to 18
    /// places (1e-20 is not 0, 1e-20 < 2e-20).
    #[test]
    fn evidence_numbers_compare_exactly(
        a in (any::<bool>(), 0u64..1_000_000_000_000_000, 0u32..=22, any::<bool>()),
        b in (any::<bool>(), 0u64..1_000_000_000_000_000, 0u32..=22, any::<bool>()),
        tiny in any::<bool>(),
    ) {
        // Small digits make near ties (and values beyond 18 places) likely.
        let shrink = |d: u64| if tiny { d % 1000 } else { d };
        let (a, b) = ((a.0, shrink(a.1), a.2, a.3), (b.0, shrink(b.1), b.2, b.3));
        let exact = |(neg, digits, scale, _): (bool, u64, u32, bool)| {
            let v = i128::from(digits) * 10_i128.pow(22 - scale);
            if neg { -v } else { v }
        };
        let text = format!(
            "{{\"a\": {}, \"b\": {}}}",
            decimal_text(a.0, a.1, a.2, a.3),
            decimal_text(b.0, b.1, b.2, b.3)
        );
        let evidence: serde_json::Value = serde_json::from_str(&text).unwrap();
        let report = comparisons().evaluate(&evidence, &Options::default());
        let status = |i: usize, holds: bool| {
            let want = if holds { Status::Compliant } else { Status::Violated };
            prop_assert_eq!(report.outcomes[i].status, want, "{} in {}", i, text);
            Ok(())
        };
        status(0, exact(a) == exact(b))?;
        status(1, exact(a) < exact(b))?;
        status(2, exact(a) == 0)?;
    }
}
