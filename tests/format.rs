//! `conduct fmt`'s layout: golden outputs, the shipped rules already formatted, and the
//! formatter's promises over generated programs: the formatted text parses to the same syntax
//! tree, keeps every comment, and formatting it again changes nothing.
//! Longer campaigns: `PROPTEST_CASES=20000 cargo test --all-features --test format`.
#![cfg(feature = "tools")]
#![cfg(feature = "unstable-ast")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};

use conduct::tools::format::{FormatError, format_source};
use conduct::tools::unstable::parse;
use proptest::prelude::*;

/// Formats `text`, and checks what `format_source` promises independently of it.
fn format_checked(name: &str, text: &str) -> String {
    let out = match format_source(name, text) {
        Ok(out) => out,
        Err(e) => panic!("{name} does not format: {e}\n--- input ---\n{text}"),
    };
    let before = parse(name, text).expect("the input parses");
    let after = match parse(name, &out) {
        Ok(tree) => tree,
        Err(e) => panic!("{name}: the formatted text does not parse: {e:?}\n{out}"),
    };
    assert_eq!(
        before, after,
        "{name}: formatting changed the meaning\n{out}"
    );
    assert_eq!(
        format_source(name, &out).unwrap(),
        out,
        "{name}: formatting is not stable"
    );
    let (mut before, mut after) = (comments(text), comments(&out));
    before.sort();
    after.sort();
    assert_eq!(before, after, "{name}: comments lost\n{out}");
    out
}

/// The comment texts of a file, in order (a crude scan that skips strings; enough for the
/// inputs here, which hold no `#` inside strings).
fn comments(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut in_string = false;
        let mut escaped = false;
        for (i, c) in line.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' if in_string => escaped = true,
                '"' => in_string = !in_string,
                '#' if !in_string => {
                    out.push(line[i..].trim_end().to_string());
                    break;
                }
                _ => {}
            }
        }
    }
    out
}

#[test]
fn golden_layouts() {
    insta::glob!("cases/format/*.conduct", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        insta::assert_snapshot!(format_checked(&path.display().to_string(), &text));
    });
}

fn conduct_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            conduct_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "conduct") {
            out.push(path);
        }
    }
}

/// Every rule file the project ships is in the canonical layout (run `conduct fmt rules` after
/// editing one).
#[test]
fn shipped_rules_are_formatted() {
    let mut files = Vec::new();
    conduct_files(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/rules")),
        &mut files,
    );
    assert!(files.len() >= 15, "{files:?}");
    let mut unformatted = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        if format_checked(&file.display().to_string(), &text) != text {
            unformatted.push(file.display().to_string());
        }
    }
    assert!(
        unformatted.is_empty(),
        "run `cargo run --features cli -- fmt rules`: {unformatted:?}"
    );
}

/// Every rule file in the test cases that parses keeps its meaning when formatted.
#[test]
fn test_case_files_keep_their_meaning() {
    let mut files = Vec::new();
    conduct_files(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cases")),
        &mut files,
    );
    let mut formatted = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let name = file.display().to_string();
        if parse(&name, &text).is_ok() {
            format_checked(&name, &text);
            formatted += 1;
        }
    }
    assert!(formatted >= 20, "only {formatted} of {} parse", files.len());
}

#[test]
fn a_file_that_does_not_parse_is_a_syntax_error_with_its_position() {
    let err = format_source("bad.conduct", "clause a.b\n  require x >=\n").unwrap_err();
    let FormatError::Syntax(e) = err else {
        panic!("{err:?}")
    };
    let d = &e.diagnostics()[0];
    assert_eq!(d.code(), conduct::pack::Code::E101);
    assert_eq!(
        (d.location().line, d.location().file.as_str()),
        (2, "bad.conduct")
    );
    assert!(d.to_string().contains('^'), "{d}");
}

#[test]
fn files_and_folders_format_atomically_and_check_without_writing() {
    let dir = std::env::temp_dir().join(format!("conduct-format-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::create_dir_all(dir.join(".hidden")).unwrap();
    let messy = "pack p \"P\" languages en\nclause a.b title en \"T\" require 1<2\n";
    std::fs::write(dir.join("a.conduct"), messy).unwrap();
    std::fs::write(dir.join("sub/b.conduct"), messy).unwrap();
    std::fs::write(dir.join(".hidden/c.conduct"), messy).unwrap();
    std::fs::write(dir.join("bad.conduct"), "clause (").unwrap();
    std::fs::write(dir.join("notes.txt"), "not a rule file").unwrap();

    let files = conduct::tools::format::rule_files(&dir).unwrap();
    let names: Vec<_> = files
        .iter()
        .map(|f| f.strip_prefix(&dir).unwrap().to_path_buf())
        .collect();
    assert_eq!(
        names,
        ["a.conduct", "bad.conduct", "sub/b.conduct"].map(PathBuf::from)
    );
    // Checking writes nothing.
    assert!(conduct::tools::format::format_file(&dir.join("a.conduct"), false).unwrap());
    assert_eq!(
        std::fs::read_to_string(dir.join("a.conduct")).unwrap(),
        messy
    );
    // Writing replaces the file with the formatted text, and leaves no temporary file.
    assert!(conduct::tools::format::format_file(&dir.join("a.conduct"), true).unwrap());
    let tidy = std::fs::read_to_string(dir.join("a.conduct")).unwrap();
    assert_eq!(tidy, format_source("x", messy).unwrap());
    assert!(!conduct::tools::format::format_file(&dir.join("a.conduct"), true).unwrap());
    // A file that does not parse is left as it was.
    assert!(matches!(
        conduct::tools::format::format_file(&dir.join("bad.conduct"), true),
        Err(FormatError::Syntax(_))
    ));
    assert_eq!(
        std::fs::read_to_string(dir.join("bad.conduct")).unwrap(),
        "clause ("
    );
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert!(matches!(
        conduct::tools::format::rule_files(&dir.join("missing")),
        Err(FormatError::Io { .. })
    ));
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---- generated programs ---------------------------------------------------------------------

/// Names that are never keywords.
const NAMES: &[&str] = &["x", "ys", "site", "w", "limit", "as_of", "total_hours"];

/// An expression as tokens, built bottom-up by strength so that it always parses: `arith`
/// operands, `cmp` comparisons of those, `logic` on top. Any level may be parenthesised.
fn arith() -> impl Strategy<Value = Vec<String>> {
    let leaf = prop_oneof![
        prop::sample::select(NAMES).prop_map(|n| vec![n.to_string()]),
        (
            prop::sample::select(NAMES),
            prop::sample::select(&["a", "end", "b_c"][..])
        )
            .prop_map(|(n, f)| vec![format!("{n}.{f}")]),
        (0u32..1000).prop_map(|n| vec![n.to_string()]),
        Just(vec!["12.50".to_string()]),
        Just(vec!["\"te\\\"xt # not a comment\"".to_string()]),
        Just(vec!["null".to_string()]),
        Just(vec!["this_clause".to_string()]),
        (
            1u32..40,
            prop::sample::select(&["day", "days", "weeks", "months", "year"][..])
        )
            .prop_map(|(n, u)| vec![n.to_string(), u.to_string()]),
        Just(vec![
            "t".to_string(),
            "[".to_string(),
            "\"CN\"".to_string(),
            "]".to_string()
        ]),
        Just(vec!["date(\"2024-02-29\")".to_string()]),
    ];
    leaf.prop_recursive(3, 24, 3, |inner| {
        prop_oneof![
            (
                inner.clone(),
                prop::sample::select(&["+", "-", "*", "/", "??"][..]),
                inner.clone()
            )
                .prop_map(|(a, op, b)| [a, vec![op.to_string()], b].concat()),
            inner
                .clone()
                .prop_map(|a| [vec!["-".to_string()], a].concat()),
            inner
                .clone()
                .prop_map(|a| [vec!["(".to_string()], a, vec![")".to_string()]].concat()),
            prop::collection::vec(inner.clone(), 0..4).prop_map(|items| {
                let mut t = vec!["[".to_string()];
                for (i, item) in items.into_iter().enumerate() {
                    if i > 0 {
                        t.push(",".to_string());
                    }
                    t.extend(item);
                }
                t.push("]".to_string());
                t
            }),
            (
                prop::sample::select(&["min", "max", "length"][..]),
                prop::collection::vec(inner.clone(), 1..3)
            )
                .prop_map(|(f, args)| {
                    let mut t = vec![f.to_string(), "(".to_string()];
                    for (i, a) in args.into_iter().enumerate() {
                        if i > 0 {
                            t.push(",".to_string());
                        }
                        t.extend(a);
                    }
                    t.push(")".to_string());
                    t
                }),
            (
                prop::sample::select(&["sum", "count", "first", "max"][..]),
                inner.clone(),
                prop::option::of(inner.clone()),
                inner.clone()
            )
                .prop_map(|(agg, coll, filter, body)| {
                    let mut t = vec![
                        agg.to_string(),
                        "(".to_string(),
                        "i".to_string(),
                        "in".to_string(),
                    ];
                    t.extend(coll);
                    if let Some(f) = filter {
                        t.push("where".to_string());
                        t.extend(f);
                        t.extend(["!=".to_string(), "0".to_string()]);
                    }
                    t.push(":".to_string());
                    t.extend(body);
                    t.push(")".to_string());
                    t
                }),
        ]
    })
}

fn logic() -> impl Strategy<Value = Vec<String>> {
    let cmp = prop_oneof![
        (
            arith(),
            prop::sample::select(&["==", "!=", "<", "<=", ">", ">=", "in", "not in"][..]),
            arith()
        )
            .prop_map(|(a, op, b)| [a, vec![op.to_string()], b].concat()),
        Just(vec!["true".to_string()]),
        arith().prop_map(|a| [vec!["exists(".to_string()], a, vec![")".to_string()]].concat()),
    ];
    cmp.prop_recursive(3, 16, 2, |inner| {
        prop_oneof![
            (
                inner.clone(),
                prop::sample::select(&["and", "or"][..]),
                inner.clone()
            )
                .prop_map(|(a, op, b)| [a, vec![op.to_string()], b].concat()),
            inner
                .clone()
                .prop_map(|a| [vec!["not".to_string()], a].concat()),
            inner
                .clone()
                .prop_map(|a| [vec!["(".to_string()], a, vec![")".to_string()]].concat()),
            (inner.clone(), inner.clone(), inner.clone()).prop_map(|(c, a, b)| {
                [
                    vec!["(".to_string(), "if".to_string()],
                    c,
                    vec!["then".to_string()],
                    a,
                    vec!["else".to_string()],
                    b,
                    vec![")".to_string()],
                ]
                .concat()
            }),
            (inner.clone(), inner.clone(), inner.clone()).prop_map(|(c, a, b)| {
                [
                    vec!["if".to_string()],
                    c,
                    vec!["then".to_string()],
                    a,
                    vec!["else".to_string()],
                    b,
                ]
                .concat()
            }),
        ]
    })
}

/// One statement of a clause body, as lines of tokens.
fn stmt() -> impl Strategy<Value = Vec<String>> {
    let simple = prop_oneof![
        (prop::sample::select(NAMES), arith()).prop_map(|(n, e)| [
            vec!["let".to_string(), format!("{n}_v"), "=".to_string()],
            e
        ]
        .concat()),
        logic().prop_map(|e| [vec!["insufficient".to_string(), "unless".to_string()], e].concat()),
        (
            logic(),
            any::<bool>(),
            prop::option::of(logic()),
            prop::option::of(prop::sample::select(
                &["weekly_cap", "end", "key", "plan"][..]
            ))
        )
            .prop_map(|(c, msg, sev, name)| {
                let mut t = [vec!["require".to_string()], c].concat();
                if let Some(n) = name {
                    t.extend(["named", n].map(String::from));
                }
                if msg {
                    t.extend(
                        [
                            "message",
                            "en",
                            "\"{x} of {{braces}} {ys:%} \\\\ end\"",
                            "sv",
                            "\"x\"",
                        ]
                        .map(String::from),
                    );
                }
                if let Some(s) = sev {
                    t.extend(["severity", "critical", "when"].map(String::from));
                    t.extend(s);
                    t.extend([",", "minor", "otherwise"].map(String::from));
                }
                t
            }),
    ];
    simple.prop_recursive(2, 8, 3, |inner| {
        (
            arith(),
            prop::option::of(logic()),
            prop::option::of(logic()),
            prop::collection::vec(inner, 1..3),
        )
            .prop_map(|(coll, filter, remedied, body)| {
                let mut t = vec![
                    "for".to_string(),
                    "each".to_string(),
                    "w".to_string(),
                    "in".to_string(),
                ];
                t.extend(coll);
                if let Some(f) = filter {
                    t.push("where".to_string());
                    t.extend(f);
                }
                t.push(":".to_string());
                // A block-level `remedied when` first in the body (after a `require` it would
                // be that requirement's own).
                if let Some(r) = remedied {
                    t.extend(["remedied", "when"].map(String::from));
                    t.extend(r);
                }
                for s in body {
                    t.extend(s);
                }
                t.push("end".to_string());
                t
            })
    })
}

/// The `from`, `agreed` and `plan` of a remediation, in a random order.
fn remediation_links() -> impl Strategy<Value = Vec<String>> {
    (
        prop::option::of(arith()),
        prop::option::of(arith()),
        prop::option::of(arith()),
        0..6usize,
    )
        .prop_map(|(from, agreed, plan, order)| {
            let mut links: Vec<Vec<String>> = [("from", from), ("agreed", agreed), ("plan", plan)]
                .into_iter()
                .filter_map(|(w, e)| e.map(|e| [vec![w.to_string()], e].concat()))
                .collect();
            let n = links.len().max(1);
            links.rotate_left(order % n);
            if order >= 3 {
                links.reverse();
            }
            links.concat()
        })
}

fn program() -> impl Strategy<Value = Vec<String>> {
    (
        prop::collection::vec(stmt(), 1..4),
        prop::option::of(logic()),
        arith(),
        any::<bool>(),
        prop::option::of((logic(), any::<bool>())),
        (prop::option::of(logic()), remediation_links()),
    )
        .prop_map(|(body, scope, param, metadata_first, collection, (examined, links))| {
            let mut t: Vec<String> = "pack p \"P\" languages en , sv import \"x.conduct\""
                .split(' ')
                .map(String::from)
                .collect();
            t.extend(["param", "limit_p", ":", "number", "="].map(String::from));
            t.extend(param);
            t.extend(["source", "\"a # source\""].map(String::from));
            t.extend(
                "table t : number default 1 { CN : 2 , \"in\" : 3 , }"
                    .split(' ')
                    .map(String::from),
            );
            t.extend(
                "evidence { ys : [ { key a : number , b_c : \"x\" | \"y\" , key : string } ] x : date }"
                    .split(' ')
                    .map(String::from),
            );
            if let Some((filter, guard)) = collection {
                t.extend(
                    "collection obs = w in ys where"
                        .split(' ')
                        .map(String::from),
                );
                t.extend(filter);
                if guard {
                    t.extend(["insufficient", "when", "empty"].map(String::from));
                }
            }
            t.extend(["clause", "a.b"].map(String::from));
            let mut meta: Vec<String> =
                "severity major title en \"T\" sv \"S\" references \"r1\" , \"r2\""
                    .split(' ')
                    .map(String::from)
                    .collect();
            if let Some(s) = scope {
                meta.extend(["applies", "when"].map(String::from));
                meta.extend(s);
            }
            if let Some(e) = examined {
                meta.extend(["examined", "when"].map(String::from));
                meta.extend(e);
            }
            let remediation = meta.len();
            meta.extend(
                [
                    "remediation",
                    "en",
                    "\"fix {limit_p}\"",
                    "within",
                    "30",
                    "days",
                ]
                .map(String::from),
            );
            meta.extend(links);
            if metadata_first {
                t.extend(meta);
            } else {
                // Metadata after the id in another order: the formatter sorts it.
                t.extend(meta[remediation..].iter().cloned());
                t.extend(meta[..remediation].iter().cloned());
            }
            for s in body {
                t.extend(s);
            }
            t
        })
}

/// Joins tokens with random layout: spaces, newlines, blank lines and comments.
fn layout(tokens: &[String], seps: &[u8]) -> String {
    const SEPS: &[&str] = &[
        " ",
        " ",
        " ",
        "  ",
        "\n",
        "\n    ",
        "\n\n",
        " # note\n",
        "\n# own line\n  ",
        "\t",
    ];
    let mut out = String::new();
    for (i, t) in tokens.iter().enumerate() {
        if i > 0 {
            let s = seps.get(i % seps.len().max(1)).copied().unwrap_or(0);
            out.push_str(SEPS[usize::from(s) % SEPS.len()]);
        }
        out.push_str(t);
    }
    out.push('\n');
    out
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256),
        ..ProptestConfig::default()
    })]

    /// Over generated programs in random layouts: the formatted text parses to the same tree,
    /// keeps the comments, and is a fixed point; and the layout of the input does not matter.
    #[test]
    fn formatting_preserves_meaning_and_is_stable(tokens in program(), seps in prop::collection::vec(any::<u8>(), 1..64)) {
        let text = layout(&tokens, &seps);
        if let Err(e) = parse("gen.conduct", &text) { panic!("generated program does not parse: {e:?}\n{text}"); }
        let out = format_checked("gen.conduct", &text);
        // Without comments, the same tokens in the plainest layout format to the same text.
        let plain = layout(&tokens, &[0]);
        if !text.contains("# note") && !text.contains("# own line") {
            let plain_out = format_checked("gen.conduct", &plain);
            prop_assert_eq!(strip_blank_lines(&plain_out), strip_blank_lines(&out));
        }
    }
}

/// Blank lines are the author's: compare layouts without them.
fn strip_blank_lines(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}
