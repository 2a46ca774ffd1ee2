//! A syntax error in one file does not hide the others' (issue 12, "Errors"): every file of a
//! pack is parsed, also those a broken file imports, and the syntax errors of all of them are
//! reported together, with no unknown-name errors caused by the broken file.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "support/process.rs"]
mod process;

use conduct::pack::Code;
use conduct::{Error, RulePack};
use process::TempDir;

/// The root has a syntax error after its imports; the file it imports, and the one that file
/// imports, each have one too.
const ROOT: &str = "pack p \"P\" languages en\nimport \"a.conduct\"\n\nclause x.y\n  title en \"T\"\n  require 1 <\n    message en \"m\"\n";
const A: &str = "import \"b.conduct\"\nparam limit: number = = 3\n";
const B: &str = "clause b.c\n  title en \"B\"\n  require (true\n    message en \"m\"\n";

/// (code, file name, line) of each diagnostic.
fn found(result: Result<RulePack, Error>) -> Vec<(Code, String, u32)> {
    match result {
        Err(Error::Compile(e)) => e
            .diagnostics()
            .iter()
            .map(|d| {
                let file = d
                    .location()
                    .file
                    .rsplit('/')
                    .next()
                    .unwrap_or("")
                    .to_string();
                (d.code(), file, d.location().line)
            })
            .collect(),
        Err(other) => panic!("expected a compile error, got {other}"),
        Ok(_) => panic!("expected a compile error, the pack compiled"),
    }
}

fn assert_every_file_reported(found: &[(Code, String, u32)]) {
    let files: Vec<&str> = found.iter().map(|(_, f, _)| f.as_str()).collect();
    assert_eq!(
        files,
        ["pack.conduct", "a.conduct", "b.conduct"],
        "{found:?}"
    );
    assert!(found.iter().all(|(c, ..)| *c == Code::E101), "{found:?}");
}

#[test]
fn a_syntax_error_in_the_root_does_not_hide_the_imported_files_errors() {
    let dir = TempDir::new();
    dir.file("pack.conduct", ROOT.as_bytes());
    dir.file("a.conduct", A.as_bytes());
    dir.file("b.conduct", B.as_bytes());
    assert_every_file_reported(&found(RulePack::load(&dir.0)));
}

#[test]
fn the_builder_reports_the_syntax_errors_of_every_file() {
    let result = RulePack::builder()
        .file("a.conduct", A)
        .file("pack.conduct", ROOT)
        .file("b.conduct", B)
        .build();
    assert_every_file_reported(&found(result));
}

#[test]
fn a_broken_file_causes_no_unknown_name_errors_elsewhere() {
    // `b.conduct` parses and uses `limit`, which the broken `a.conduct` would declare: only
    // the syntax error is reported.
    let result = RulePack::builder()
        .file(
            "pack.conduct",
            "pack p \"P\" languages en\nimport \"a.conduct\"\nimport \"b.conduct\"\n",
        )
        .file("a.conduct", "param limit: number = = 3\n")
        .file(
            "b.conduct",
            "import \"a.conduct\"\nclause b.c\n  title en \"B\"\n  require limit > 1\n    message en \"m\"\n",
        )
        .build();
    let found = found(result);
    assert_eq!(found, [(Code::E101, "a.conduct".to_string(), 1)]);
}

#[test]
fn a_missing_import_of_a_broken_file_is_not_reported_twice_or_falsely() {
    // The broken root's imports are found by their `import` lines; a text that only looks
    // like one inside a comment is not followed.
    let result = RulePack::builder()
        .file(
            "pack.conduct",
            "pack p \"P\" languages en\n# import \"nowhere.conduct\"\nimport \"a.conduct\"\nclause x.y\n  require (\n",
        )
        .file("a.conduct", "param limit: number = = 3\n")
        .build();
    let found = found(result);
    let files: Vec<&str> = found.iter().map(|(_, f, _)| f.as_str()).collect();
    assert_eq!(files, ["pack.conduct", "a.conduct"], "{found:?}");
}
