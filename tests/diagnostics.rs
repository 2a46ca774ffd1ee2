#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Golden diagnostics: every `tests/cases/invalid/<CODE>-<name>.conduct` must fail (or warn)
//! with the code its name starts with; the rendered diagnostics are snapshots. A case may
//! hold several files: a line `### file: NAME` starts the next one; the first is the root.

use conduct::{Error, RulePack};

fn files(text: &str) -> Vec<(String, String)> {
    let mut out = vec![("pack.conduct".to_string(), String::new())];
    for line in text.split_inclusive('\n') {
        if let Some(name) = line.trim_end().strip_prefix("### file: ") {
            out.push((name.trim().to_string(), String::new()));
        } else if let Some((_, body)) = out.last_mut() {
            body.push_str(line);
        }
    }
    out
}

#[test]
fn invalid_cases() {
    insta::glob!("cases/invalid/*.conduct", |path| {
        let text = std::fs::read_to_string(path).expect("readable case");
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let code = name.split('-').next().unwrap_or_default();
        let mut builder = RulePack::builder();
        for (file, body) in files(&text) {
            builder = builder.file(&file, &body);
        }
        let (rendered, codes): (String, Vec<String>) = match builder.build() {
            Ok(pack) => {
                let warnings = pack.warnings();
                let rendered = warnings
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n\n");
                (
                    rendered,
                    warnings.iter().map(|d| d.code().to_string()).collect(),
                )
            }
            Err(Error::Compile(e)) => (
                e.to_string(),
                e.diagnostics()
                    .iter()
                    .map(|d| d.code().to_string())
                    .collect(),
            ),
            Err(other) => panic!("{name}: unexpected error {other}"),
        };
        assert!(
            codes.iter().any(|c| c == code),
            "{name}: expected {code}, got {codes:?}\n{rendered}"
        );
        insta::assert_snapshot!(rendered);
    });
}

#[test]
fn diagnostics_serialize_for_tools() {
    let err = RulePack::builder()
        .file(
            "pack.conduct",
            "pack p \"P\" languages en\nclause a.b\n  title en \"T\"\n  require x > 1\n",
        )
        .build();
    let Err(Error::Compile(e)) = err else {
        panic!("expected a compile error")
    };
    let json = serde_json::to_value(e.diagnostics()).expect("serializable");
    assert_eq!(json[0]["code"], "E201");
    assert_eq!(json[0]["location"]["line"], 4);
    assert_eq!(json[0]["location"]["column"], 11);
    assert_eq!(json[0]["message"], "unknown name `x`");
}

#[test]
fn every_error_is_reported_at_once() {
    let src = "pack p \"P\" languages en\nevidence { a: number }\nclause a.b\n  title en \"T\"\n  require aa > 1 and bb < \"x\"\nclause a.b\n  title en \"T\"\n  require lenght(a) > 1\n";
    let Err(Error::Compile(e)) = RulePack::builder().file("pack.conduct", src).build() else {
        panic!("expected a compile error")
    };
    let codes: Vec<String> = e
        .diagnostics()
        .iter()
        .map(|d| d.code().to_string())
        .collect();
    assert_eq!(codes, ["E201", "E201", "E203", "E202"], "{e}");
}

/// The diagnostic codes of a one-file pack, or none when it compiles.
fn codes_of(src: &str) -> Vec<String> {
    match RulePack::builder().file("pack.conduct", src).build() {
        Ok(_) => Vec::new(),
        Err(Error::Compile(e)) => e
            .diagnostics()
            .iter()
            .map(|d| d.code().to_string())
            .collect(),
        Err(other) => panic!("unexpected error {other}"),
    }
}

#[test]
fn follow_up_words_stay_usable_as_names() {
    // `key`, `named`, `agreed`, `plan` and `examined` are words of the language only where
    // they start a part: elsewhere they name fields, parameters, definitions and loop items.
    let src = r#"pack p "P" languages en
evidence { key: string, plan: { due: date, state: string }, keys: [{ key key: string, named: number }] }
param agreed: number = 1
let examined = length(keys) > 0
clause a.b
  title en "T"
  examined when examined
  remediation en "fix" within 30 days agreed plan.due plan plan.state
  for each named in keys:
    require named.named <= agreed
      named key_cap
      message en "{named.key} {key}"
  end
"#;
    assert_eq!(codes_of(src), Vec::<String>::new());
}

#[test]
fn follow_up_parts_given_twice_are_syntax_errors() {
    let base = "pack p \"P\" languages en\nevidence { d: date, x: number }\nclause a.b\n  title en \"T\"\n  require x > 1\n    message en \"m\"\n";
    for (extra, code) in [
        ("    named a\n    named b\n", "E101"),
        (
            "    remediation en \"r\" within 3 days from d from d\n",
            "E101",
        ),
        (
            "    remediation en \"r\" plan \"red\" plan \"red\"\n",
            "E101",
        ),
        // `plan` and `agreed` are never a language tag after a remediation's texts.
        ("    remediation en \"r\" plan \"green\" agreed d\n", ""),
        (
            "    remediation en \"r\" within 3 days plan \"Red\"\n",
            "E304",
        ),
        ("    remediation en \"r\" due d from d\n", "E209"),
        ("    named r10\n", "E210"),
        ("    named r\n", ""),
        ("    named r1a\n", ""),
    ] {
        let codes = codes_of(&format!("{base}{extra}"));
        let expected: Vec<String> = if code.is_empty() {
            Vec::new()
        } else {
            vec![code.to_string()]
        };
        assert_eq!(codes, expected, "{extra}");
    }
}
