//! The package as crates.io and docs.rs show it: the README is also the crate's front page
//! (`#![doc = include_str!("../README.md")]`), where a relative link points nowhere, so every
//! link is absolute or an anchor, and a link into the package's source names a file the package
//! ships. No file of the repository cites a document outside it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// Where docs.rs shows a published crate's files.
const SOURCE: &str = "https://docs.rs/crate/supplier-conduct/latest/source/";

/// The targets of the Markdown links `[text](target)` in `text`.
fn link_targets(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("](") {
        rest = &rest[i + 2..];
        if let Some(end) = rest.find(')') {
            out.push(rest[..end].to_string());
        }
    }
    out
}

#[test]
fn the_readme_links_work_on_docs_rs_and_crates_io() {
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).unwrap();
    let targets = link_targets(&readme);
    assert!(
        targets.len() > 3,
        "the README's links were not found: {targets:?}"
    );
    for target in &targets {
        assert!(
            target.starts_with("https://") || target.starts_with('#'),
            "a relative link breaks on docs.rs: ({target})"
        );
        if let Some(path) = target.strip_prefix(SOURCE) {
            let local = Path::new(ROOT).join(path);
            assert!(
                local.exists(),
                "({target}) names {path}, which the repository lacks"
            );
            assert!(
                packaged(path),
                "({target}) names {path}, which the package does not ship"
            );
        }
    }
}

#[test]
fn the_link_finder_sees_relative_links() {
    assert_eq!(
        link_targets("see [a](b/c.md) and [d](#e)"),
        ["b/c.md", "#e"]
    );
}

/// Whether Cargo.toml's `include` ships `path` (a file, or a folder with a shipped file).
fn packaged(path: &str) -> bool {
    let manifest = std::fs::read_to_string(Path::new(ROOT).join("Cargo.toml")).unwrap();
    let include: Vec<&str> = manifest
        .lines()
        .skip_while(|l| !l.starts_with("include"))
        .skip(1)
        .take_while(|l| !l.starts_with(']'))
        .map(|l| l.trim().trim_end_matches(',').trim_matches('"'))
        .collect();
    let path = path.trim_end_matches('/');
    include.iter().any(|pattern| {
        let pattern = pattern.trim_start_matches('/');
        let prefix = pattern.split('*').next().unwrap_or("");
        let suffix = pattern.rsplit('*').next().unwrap_or("");
        if pattern.contains('*') {
            // A folder is shipped when the pattern reaches into it.
            (path.starts_with(prefix)
                && (path.ends_with(suffix) || Path::new(ROOT).join(path).is_dir()))
                || prefix.starts_with(&format!("{path}/"))
        } else {
            pattern == path
        }
    })
}

#[test]
fn the_package_ships_its_licences_and_says_where_its_docs_are() {
    for file in ["LICENSE-MIT", "LICENSE-APACHE", "CHANGELOG.md"] {
        assert!(Path::new(ROOT).join(file).is_file(), "{file} is missing");
        assert!(packaged(file), "{file} is not packaged");
    }
    let manifest = std::fs::read_to_string(Path::new(ROOT).join("Cargo.toml")).unwrap();
    for key in [
        "license = \"MIT OR Apache-2.0\"",
        "documentation = ",
        "keywords = ",
        "categories = ",
    ] {
        assert!(manifest.contains(key), "Cargo.toml lacks {key}");
    }
}

/// Files a user reads: the rule pack, its guides, the docs, the schemas, the sources.
fn repository_texts(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if path.is_dir() {
            if !name.starts_with('.') && name != "target" && name != "fuzz" {
                repository_texts(&path, out);
            }
        } else if [".md", ".conduct", ".rs", ".json", ".pest", ".html", ".toml"]
            .iter()
            .any(|ext| name.ends_with(ext))
        {
            out.push(path);
        }
    }
}

#[test]
fn no_file_cites_a_document_outside_the_repository() {
    let mut files = Vec::new();
    repository_texts(Path::new(ROOT), &mut files);
    assert!(files.len() > 50);
    // The shared documents the project was written from sit beside the repository, not in it.
    let outside = [
        "../shared",
        "shared/rule-pack",
        "code-of-conduct.md",
        "evidence.md",
    ];
    for file in files {
        if file.ends_with("tests/package.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        for needle in outside {
            // `EVIDENCE.md` (the pack's own guide) is in the repository; the lower-case name is not.
            assert!(
                !text.contains(needle),
                "{} cites {needle}, a document outside the repository",
                file.display()
            );
        }
    }
}
