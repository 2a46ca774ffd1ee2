//! The pack restricted to the clauses the baseline implements, so that engine and baseline
//! time equal work even as other clauses are added to `rules/regions`.

use std::path::Path;

use conduct::RulePack;

/// The source with every `clause` block whose id is not in `keep` removed. A block runs from
/// its `clause` line to the next line that starts a top-level item.
fn strip_clauses(text: &str, keep: &[&str]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut skipping = false;
    for line in text.split_inclusive('\n') {
        let top_level = line.starts_with(|c: char| c.is_ascii_alphabetic());
        if top_level {
            skipping = line.strip_prefix("clause ").is_some_and(|rest| {
                !keep.contains(&rest.split_whitespace().next().unwrap_or_default())
            });
        }
        if !skipping {
            out.push_str(line);
        }
    }
    out
}

/// Compiles the pack in `dir` (root `pack.conduct`) with only the clauses in `keep`.
pub fn restricted(dir: &Path, keep: &[&str]) -> RulePack {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read the pack's folder")
        .map(|e| {
            e.expect("read the pack's folder")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| n.ends_with(".conduct"))
        .collect();
    names.sort_by_key(|n| (n != "pack.conduct", n.clone()));
    let mut builder = RulePack::builder();
    for name in &names {
        let text = std::fs::read_to_string(dir.join(name)).expect("read a rule file");
        builder = builder.file(name, &strip_clauses(&text, keep));
    }
    let pack = builder.build().expect("compile the restricted pack");
    let ids: Vec<&str> = pack.clause_ids().collect();
    assert_eq!(
        ids, keep,
        "the restricted pack has other clauses than the baseline"
    );
    pack
}
