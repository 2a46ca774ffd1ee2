#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Every example of the language reference (`grammar/README.md`) is tested: each `conduct`
//! block must compile without warnings; when a `json` block and a `text` block follow, the
//! evidence is evaluated and each line `clause: status [severity] [paths] [missing=…]
//! [invalid=…] [remediated]` must match the outcome; lines `labels KEY=VALUE: NAME=VALUE, …`
//! and `invalid label POINTER` follow, for the report's labels.

use conduct::RulePack;

struct Example {
    line: usize,
    rules: String,
    evidence: Option<String>,
    expected: Option<String>,
}

fn examples(doc: &str) -> Vec<Example> {
    let mut blocks: Vec<(usize, String, String)> = Vec::new();
    let mut current: Option<(usize, String, String)> = None;
    for (i, line) in doc.lines().enumerate() {
        if let Some(tag) = line.strip_prefix("```") {
            match current.take() {
                Some(block) => blocks.push(block),
                None => current = Some((i + 1, tag.trim().to_string(), String::new())),
            }
        } else if let Some((_, _, body)) = current.as_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    let mut out = Vec::new();
    let mut it = blocks.into_iter().peekable();
    while let Some((line, tag, body)) = it.next() {
        if tag != "conduct" {
            continue;
        }
        let mut ex = Example {
            line,
            rules: body,
            evidence: None,
            expected: None,
        };
        if it.peek().is_some_and(|(_, t, _)| t == "json") {
            ex.evidence = it.next().map(|(_, _, b)| b);
            if it.peek().is_some_and(|(_, t, _)| t == "text") {
                ex.expected = it.next().map(|(_, _, b)| b);
            }
        }
        out.push(ex);
    }
    out
}

fn describe(o: &conduct::Outcome) -> String {
    let mut parts = vec![format!("{}:", o.clause), o.status.as_str().to_string()];
    if let Some(s) = o.severity {
        parts.push(s.to_string());
    }
    parts.extend(o.violations.iter().map(|v| v.path.clone()));
    if !o.missing.is_empty() {
        let paths: Vec<&str> = o.missing.iter().map(|m| m.path.as_str()).collect();
        parts.push(format!("missing={}", paths.join(",")));
    }
    if !o.invalid.is_empty() {
        parts.push(format!(
            "invalid={}",
            o.invalid
                .iter()
                .map(|i| i.path.as_str())
                .collect::<Vec<_>>()
                .join(",")
        ));
    }
    if o.remediated {
        parts.push("remediated".into());
    }
    parts.join(" ")
}

/// The report's labels and invalid labels, one line each.
fn labels(report: &conduct::Report) -> Vec<String> {
    let text = |v: &serde_json::Value| v.as_str().map_or_else(|| v.to_string(), str::to_string);
    let mut out = Vec::new();
    for (key, group) in &report.labels {
        for (value, entry) in group {
            let fields: Vec<String> = entry
                .iter()
                .map(|(name, v)| format!("{name}={}", text(v)))
                .collect();
            out.push(format!("labels {key}={value}: {}", fields.join(", ")));
        }
    }
    out.extend(
        report
            .invalid_labels
            .iter()
            .map(|i| format!("invalid label {}", i.path)),
    );
    out
}

#[test]
fn every_example_compiles_and_gives_its_outcome() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/grammar/README.md")).unwrap();
    let examples = examples(&doc);
    assert!(
        examples.len() >= 8,
        "found only {} examples",
        examples.len()
    );
    let mut failures = Vec::new();
    let mut evaluated = 0;
    for ex in &examples {
        let pack = match RulePack::builder()
            .file("example.conduct", &ex.rules)
            .build()
        {
            Ok(p) => p,
            Err(e) => {
                failures.push(format!(
                    "example at line {} does not compile:\n{e}",
                    ex.line
                ));
                continue;
            }
        };
        if !pack.warnings().is_empty() {
            let w: Vec<String> = pack.warnings().iter().map(ToString::to_string).collect();
            failures.push(format!(
                "example at line {} has warnings:\n{}",
                ex.line,
                w.join("\n")
            ));
        }
        let (Some(evidence), Some(expected)) = (&ex.evidence, &ex.expected) else {
            continue;
        };
        evaluated += 1;
        let evidence: serde_json::Value = serde_json::from_str(evidence).unwrap();
        let report = pack.evaluate(&evidence, &conduct::Options::default());
        let mut actual: Vec<String> = report.outcomes.iter().map(describe).collect();
        actual.extend(labels(&report));
        let expected: Vec<String> = expected
            .lines()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect();
        // `message LANGUAGE: …` lines: the messages of the violations in that language, with
        // no-break spaces read as spaces.
        for line in &expected {
            let Some((language, _)) = line
                .strip_prefix("message ")
                .and_then(|rest| rest.split_once(": "))
            else {
                continue;
            };
            let report = pack.evaluate(&evidence, &conduct::Options::default().language(language));
            actual.extend(
                report
                    .violations()
                    .map(|v| format!("message {language}: {}", v.message.replace('\u{a0}', " "))),
            );
        }
        if actual != expected {
            failures.push(format!(
                "example at line {}:\n  expected {expected:?}\n  actual   {actual:?}",
                ex.line
            ));
        }
    }
    assert!(evaluated >= 8, "only {evaluated} examples were evaluated");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
