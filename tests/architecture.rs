//! The house rules of the source tree, checked on the source itself: no import cycle between
//! the crate's modules, no source file over 800 lines of code (unit tests at a file's end not
//! counted), and a crate root that exports at most 15 items.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::indexing_slicing)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The most lines of code a source file may have.
const MAX_LINES: usize = 800;
/// The most items the crate root may export.
const MAX_ROOT_ITEMS: usize = 15;

fn source_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            source_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The library's files (the binary is not part of the module graph), as paths relative to
/// `src/`.
fn library_files() -> Vec<(String, String)> {
    let mut files = Vec::new();
    source_files(&src(), &mut files);
    let mut out: Vec<(String, String)> = files
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(src())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read_to_string(&p).unwrap())
        })
        .filter(|(rel, _)| !rel.starts_with("bin/"))
        .collect();
    out.sort();
    out
}

/// The text of a file before its trailing `#[cfg(test)]` module, without comment lines.
fn code_lines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    for line in text.lines() {
        if line.starts_with("#[cfg(test)]") {
            break;
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with("//") {
            continue;
        }
        lines.push(line);
    }
    lines
}

/// The top-level module a file belongs to (`eval/expr.rs` → `eval`).
fn module_of(rel: &str) -> String {
    let first = rel.split('/').next().unwrap();
    first.trim_end_matches(".rs").to_string()
}

/// The lines of `lib.rs` at the root: without the bodies of inline modules.
fn root_lines(lib: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    for line in lib.lines() {
        let trimmed = line.trim_start();
        let opens_module = (trimmed.starts_with("pub mod ") || trimmed.starts_with("mod "))
            && trimmed.ends_with('{');
        if depth == 0 && !opens_module {
            out.push(line);
            continue;
        }
        if depth == 0 {
            // The module's own line counts (`pub mod unstable {` is a root item).
            out.push(line);
        }
        depth += line.matches('{').count();
        depth = depth.saturating_sub(line.matches('}').count());
    }
    out
}

/// The names the crate root re-exports, mapped to the module that defines them.
fn root_reexports(lib: &str) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    let flat = root_lines(lib).join(" ");
    for stmt in flat.split(';') {
        let stmt = stmt.trim();
        let Some(rest) = stmt.strip_prefix("pub use crate::") else {
            continue;
        };
        let (module, names) = rest.split_once("::").unwrap();
        let names = names.trim_matches(|c| c == '{' || c == '}' || c == ' ');
        for name in names.split(',') {
            let name = name.trim();
            if !name.is_empty() {
                map.insert(name.to_string(), module.to_string());
            }
        }
    }
    map
}

/// Every top-level module each module refers to through `crate::…` paths.
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let files = library_files();
    let lib = &files.iter().find(|(rel, _)| rel == "lib.rs").unwrap().1;
    let reexports = root_reexports(lib);
    let modules: BTreeSet<String> = files
        .iter()
        .map(|(rel, _)| module_of(rel))
        .filter(|m| m != "lib")
        .collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (rel, text) in &files {
        let from = module_of(rel);
        if from == "lib" {
            continue;
        }
        let code = code_lines(text).join("\n");
        let mut targets = BTreeSet::new();
        let mut rest = code.as_str();
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            if rest.starts_with('{') {
                // `use crate::{a::X, b, C}`: every first segment inside the braces.
                let end = rest.find('}').unwrap_or(rest.len());
                for part in rest[1..end].split(',') {
                    let head: String = part
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    targets.insert(head);
                }
            } else {
                let head: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                targets.insert(head);
            }
        }
        for target in targets {
            let module = if modules.contains(&target) {
                target
            } else if let Some(m) = reexports.get(&target) {
                m.clone()
            } else {
                continue;
            };
            if module != from {
                graph.entry(from.clone()).or_default().insert(module);
            }
        }
    }
    graph
}

fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = stack.iter().position(|n| n == node) {
            let mut cycle = stack[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        stack.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, stack, done) {
                return Some(cycle);
            }
        }
        stack.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        if let Some(cycle) = visit(node, graph, &mut Vec::new(), &mut done) {
            return Some(cycle);
        }
    }
    None
}

#[test]
fn no_import_cycle_between_modules() {
    let graph = module_graph();
    assert!(graph.contains_key("pack"), "the graph is read: {graph:?}");
    if let Some(cycle) = find_cycle(&graph) {
        panic!("import cycle: {}", cycle.join(" -> "));
    }
}

#[test]
fn the_cycle_finder_finds_a_cycle() {
    let mut graph = BTreeMap::new();
    graph.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    graph.insert("b".to_string(), BTreeSet::from(["c".to_string()]));
    graph.insert("c".to_string(), BTreeSet::from(["a".to_string()]));
    assert_eq!(find_cycle(&graph).unwrap(), ["a", "b", "c", "a"]);
    graph.insert("c".to_string(), BTreeSet::new());
    assert_eq!(find_cycle(&graph), None);
}

#[test]
fn no_source_file_over_800_lines_of_code() {
    let too_long: Vec<String> = library_files()
        .into_iter()
        .chain({
            let mut bin = Vec::new();
            source_files(&src().join("bin"), &mut bin);
            bin.into_iter().map(|p| {
                let rel = p
                    .strip_prefix(src())
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                let text = std::fs::read_to_string(&p).unwrap();
                (rel, text)
            })
        })
        .filter_map(|(rel, text)| {
            let n = code_lines(&text).len();
            (n > MAX_LINES).then(|| format!("src/{rel}: {n} lines"))
        })
        .collect();
    assert!(
        too_long.is_empty(),
        "over {MAX_LINES} lines of code: {too_long:#?}"
    );
}

#[test]
fn the_root_exports_at_most_15_items() {
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    let mut items = BTreeSet::new();
    for line in root_lines(&lib) {
        if let Some(rest) = line.trim_start().strip_prefix("pub mod ") {
            items.insert(rest.trim_end_matches([';', '{', ' ']).to_string());
        }
    }
    items.extend(root_reexports(&lib).into_keys());
    assert!(
        items.len() <= MAX_ROOT_ITEMS,
        "{} items at the root: {items:?}",
        items.len()
    );
    for expected in [
        "RulePack",
        "Options",
        "Report",
        "Diagnostic",
        "report",
        "pack",
    ] {
        assert!(items.contains(expected), "{expected} is missing: {items:?}");
    }
}
