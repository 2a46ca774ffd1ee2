//! Loading packs from the file system: imports stay inside the pack's folder, files are
//! bounded in size and must be UTF-8, and every failure is a diagnostic with a position.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};

use conduct::pack::Code;
use conduct::{Error, RulePack};

/// A fresh folder under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir =
            std::env::temp_dir().join(format!("conduct-loading-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
    fn write(&self, rel: &str, bytes: &[u8]) -> PathBuf {
        let p = self.0.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, bytes).unwrap();
        p
    }
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const HEADER: &str = "pack p \"P\" languages en\n";
const CLAUSE: &str = "clause a.b\n  title en \"T\"\n  require true\n    message en \"m\"\n";

fn codes(err: Result<RulePack, Error>) -> Vec<(Code, String)> {
    match err {
        Err(Error::Compile(e)) => e
            .diagnostics()
            .iter()
            .map(|d| (d.code(), d.to_string()))
            .collect(),
        Err(other) => panic!("expected a compile error, got {other}"),
        Ok(_) => panic!("expected a compile error, the pack compiled"),
    }
}

#[test]
fn a_folder_pack_loads_its_imports_in_order() {
    let dir = TempDir::new("order");
    dir.write(
        "pack.conduct",
        format!("{HEADER}import \"b.conduct\"\nimport \"a.conduct\"\n").as_bytes(),
    );
    dir.write(
        "a.conduct",
        b"clause a.one\n  title en \"A\"\n  require true\n    message en \"m\"\n",
    );
    dir.write(
        "b.conduct",
        b"clause b.one\n  title en \"B\"\n  require true\n    message en \"m\"\n",
    );
    let pack = RulePack::load(dir.path()).unwrap();
    assert_eq!(pack.clause_ids().collect::<Vec<_>>(), ["b.one", "a.one"]);
    // The digest depends on the text, not on where the pack lies.
    let other = TempDir::new("order-copy");
    for f in ["pack.conduct", "a.conduct", "b.conduct"] {
        other.write(f, &std::fs::read(dir.path().join(f)).unwrap());
    }
    assert_eq!(
        RulePack::load(other.path()).unwrap().digest(),
        pack.digest()
    );
    other.write(
        "a.conduct",
        b"clause a.one\n  title en \"A!\"\n  require true\n    message en \"m\"\n",
    );
    assert_ne!(
        RulePack::load(other.path()).unwrap().digest(),
        pack.digest()
    );
}

#[test]
fn an_import_cannot_leave_the_pack_folder() {
    let dir = TempDir::new("escape");
    dir.write("outside.conduct", CLAUSE.as_bytes());
    dir.write(
        "pack/pack.conduct",
        format!("{HEADER}import \"../outside.conduct\"\n").as_bytes(),
    );
    let found = codes(RulePack::load(dir.path().join("pack")));
    assert_eq!(found[0].0, Code::E105, "{found:?}");
    assert!(found[0].1.contains("pack.conduct:2:1"), "{}", found[0].1);
    dir.write(
        "pack/pack.conduct",
        format!("{HEADER}import \"/etc/passwd\"\n").as_bytes(),
    );
    assert_eq!(
        codes(RulePack::load(dir.path().join("pack")))[0].0,
        Code::E105
    );
}

#[cfg(unix)]
#[test]
fn symbolic_links_and_special_files_are_refused() {
    let dir = TempDir::new("links");
    dir.write("secret.conduct", CLAUSE.as_bytes());
    dir.write(
        "pack/pack.conduct",
        format!("{HEADER}import \"link.conduct\"\n").as_bytes(),
    );
    std::os::unix::fs::symlink(
        dir.path().join("secret.conduct"),
        dir.path().join("pack/link.conduct"),
    )
    .unwrap();
    let found = codes(RulePack::load(dir.path().join("pack")));
    assert_eq!(found[0].0, Code::E105);
    assert!(found[0].1.contains("symbolic link"), "{}", found[0].1);
    dir.write(
        "pack/pack.conduct",
        format!("{HEADER}import \"sub\"\n").as_bytes(),
    );
    std::fs::create_dir_all(dir.path().join("pack/sub")).unwrap();
    assert!(
        codes(RulePack::load(dir.path().join("pack")))[0]
            .1
            .contains("not a regular file")
    );
}

#[test]
fn oversized_rule_files_are_refused_before_parsing() {
    let dir = TempDir::new("size");
    let mut big = format!("{HEADER}{CLAUSE}");
    while big.len() <= 1 << 20 {
        big.push_str("# padding padding padding padding padding padding padding padding\n");
    }
    dir.write("pack.conduct", big.as_bytes());
    let found = codes(RulePack::load(dir.path()));
    assert_eq!(found[0].0, Code::E103, "{found:?}");
    // The same through the builder.
    let found = codes(RulePack::builder().file("pack.conduct", &big).build());
    assert_eq!(found[0].0, Code::E103);
}

#[test]
fn invalid_utf8_names_the_byte() {
    let dir = TempDir::new("utf8");
    let mut bytes = HEADER.as_bytes().to_vec();
    bytes.extend_from_slice(b"clause a.b\n  title en \"\xff\"\n");
    dir.write("pack.conduct", &bytes);
    let found = codes(RulePack::load(dir.path()));
    assert_eq!(found[0].0, Code::E104);
    assert!(
        found[0]
            .1
            .contains(&format!("at byte {}", HEADER.len() + 23)),
        "{}",
        found[0].1
    );
}

#[test]
fn a_missing_pack_is_an_io_error_naming_the_path() {
    let err = RulePack::load("no/such/pack").unwrap_err();
    assert!(matches!(err, Error::Io { .. }));
    assert!(err.to_string().contains("no/such/pack"));
}

#[test]
fn a_single_file_is_a_pack_too() {
    let dir = TempDir::new("single");
    let file = dir.write("one.conduct", format!("{HEADER}{CLAUSE}").as_bytes());
    let pack = RulePack::load(&file).unwrap();
    assert_eq!(pack.clause_ids().collect::<Vec<_>>(), ["a.b"]);
}

#[test]
fn the_shipped_pack_compiles_without_warnings() {
    let pack = RulePack::load(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/regions")).unwrap();
    let warnings: Vec<String> = pack.warnings().iter().map(ToString::to_string).collect();
    assert!(warnings.is_empty(), "{}", warnings.join("\n\n"));
    assert_eq!(pack.name(), "regions");
    assert_eq!(pack.languages(), ["en", "sv"]);
}

#[test]
fn a_folder_without_a_root_file_is_not_a_pack_and_has_no_location() {
    let dir = TempDir::new("not-a-pack");
    dir.write("notes.txt", b"nothing here");
    dir.write(
        "regions/pack.conduct",
        format!("{HEADER}{CLAUSE}").as_bytes(),
    );
    let err = RulePack::load(dir.path()).unwrap_err();
    assert!(matches!(err, Error::NotAPack { .. }), "{err:?}");
    let text = err.to_string();
    let shown = dir.path().display().to_string();
    assert!(
        text.starts_with(&format!(
            "`{shown}` is not a pack: it has no `pack.conduct`"
        )),
        "{text}"
    );
    // A pack one level down is suggested; no caret into a file that does not exist.
    assert!(text.contains("regions"), "{text}");
    assert!(!text.contains("-->"), "{text}");
    assert!(!text.contains(":1:1"), "{text}");
}

#[test]
fn the_builder_finds_the_root_by_its_header_whatever_the_order() {
    let pack = RulePack::builder()
        .file("a.conduct", CLAUSE)
        .file(
            "pack.conduct",
            &format!("# the root\n{HEADER}import \"a.conduct\"\n"),
        )
        .build()
        .unwrap();
    assert_eq!(pack.name(), "p");
    assert_eq!(pack.clause_ids().collect::<Vec<_>>(), ["a.b"]);
}

#[test]
fn two_files_with_a_header_are_an_error_naming_both() {
    let found = codes(
        RulePack::builder()
            .file("one.conduct", &format!("{HEADER}{CLAUSE}"))
            .file("two.conduct", &format!("\n# second\n{HEADER}"))
            .build(),
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, Code::E107);
    let text = &found[0].1;
    assert!(
        text.starts_with(
            "error[E107]: two files have a `pack` header: `one.conduct` and `two.conduct`"
        ),
        "{text}"
    );
    assert!(text.contains("--> two.conduct:3:1"), "{text}");
}
