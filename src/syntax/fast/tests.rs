//! The hand-written parser against pest: the same tree, or both refuse the text.

use pest::Parser as _;

use super::super::{ConductParser, Rule};
use super::{Tree, parse};

fn pest(text: &str) -> Option<Tree> {
    ConductParser::parse(Rule::file, text)
        .ok()
        .map(Tree::from_pest)
}

/// Fails with the first node where the trees differ.
fn agree(what: &str, text: &str) -> bool {
    let (fast, pest) = (parse(text), pest(text));
    match (&fast, &pest) {
        (Some(f), Some(p)) if f != p => {
            let at = f.nodes.iter().zip(&p.nodes).position(|(a, b)| a != b);
            let (a, b) = at.map_or((None, None), |i| (f.nodes.get(i), p.nodes.get(i)));
            panic!(
                "{what}: the trees differ ({} and {} nodes); first difference: {a:?} (fast) \
                 against {b:?} (pest)\n{text}",
                f.nodes.len(),
                p.nodes.len()
            );
        }
        (Some(_), None) => panic!("{what}: accepted, pest refuses it\n{text}"),
        (None, Some(_)) => panic!("{what}: refused, pest accepts it\n{text}"),
        _ => pest.is_some(),
    }
}

/// Every rule file of the repository: the pack, test cases, fuzz seeds.
fn corpus() -> Vec<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut dirs = vec![
        root.join("rules"),
        root.join("tests"),
        root.join("fuzz/corpus"),
    ];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                dirs.push(path);
            } else if let Ok(text) = std::fs::read_to_string(&path)
                && (path.extension().is_some_and(|e| e == "conduct")
                    || path.starts_with(root.join("fuzz/corpus")))
            {
                out.push((path.display().to_string(), text));
            }
        }
    }
    out
}

#[test]
fn every_rule_file_of_the_repository_parses_to_pests_tree() {
    let files = corpus();
    assert!(files.len() > 100, "{} files", files.len());
    let accepted = files
        .iter()
        .filter(|(name, text)| agree(name, text))
        .count();
    // The pack and the valid cases parse; the invalid cases (E1xx) do not.
    assert!(accepted > 40, "{accepted} of {} parse", files.len());
}

/// A small deterministic generator (xorshift), so that a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        usize::try_from(self.0 % (n.max(1) as u64)).unwrap_or(0)
    }
}

/// Texts that are likely to move the parser onto another path when put anywhere.
const INSERTS: &[&str] = &[
    " ",
    "\n",
    "\r\n",
    "\t",
    "# c\n",
    ",",
    ":",
    ".",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "\"",
    "\\",
    "{{",
    "}}",
    "-",
    "not ",
    "not in ",
    " in ",
    "??",
    "==",
    "<=",
    "<",
    "+",
    "*",
    "/",
    "1",
    "0.5",
    "x",
    "_",
    "and ",
    "or ",
    "if ",
    "then ",
    "else ",
    "end",
    "for each ",
    "where ",
    "when ",
    "otherwise",
    "major",
    "days",
    " day",
    "count(",
    "sum(",
    "true",
    "null",
    "this_clause",
    "let ",
    "require ",
    "message ",
    "en \"a {x} b\"",
    "sv \"{y:%}\"",
    "title ",
    "source ",
    "basis ",
    "severe ",
    "expected ",
    "agreed ",
    "plan ",
    "from ",
    "within ",
    "due ",
    "key ",
    "filled by buyer",
    "description ",
    "document ",
    "|",
    "\"a\"",
    "at least 1",
    "overridden by a.b",
    "languages en, sv",
    "\u{feff}",
    "é",
    "insufficient ",
];

/// Pieces of the corpus a top-level keyword starts (each mostly a file by itself).
fn pieces(files: &[(String, String)]) -> Vec<String> {
    let mut out = Vec::new();
    for (_, text) in files {
        let mut current = String::new();
        for line in text.split_inclusive('\n') {
            let starts_item = [
                "clause ",
                "param ",
                "table ",
                "let ",
                "evidence ",
                "collection ",
            ]
            .iter()
            .any(|k| line.starts_with(k));
            if starts_item && !current.trim().is_empty() {
                out.push(std::mem::take(&mut current));
            }
            current.push_str(line);
        }
        out.push(current);
    }
    out.retain(|p| p.len() < 3000);
    out
}

/// A char boundary at or before `i`.
fn boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[test]
fn mutated_rule_files_parse_as_pest_parses_them() {
    let cases: usize = std::env::var("CONDUCT_PARSE_MUTATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let pieces = pieces(&corpus());
    assert!(pieces.len() > 200, "{} pieces", pieces.len());
    // CONDUCT_PARSE_SEED explores other mutations (any non-zero number).
    let seed = std::env::var("CONDUCT_PARSE_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .filter(|&n: &u64| n != 0)
        .unwrap_or(0x9E37_79B9_7F4A_7C15);
    let mut rng = Rng(seed);
    let mut accepted = 0;
    for case in 0..cases {
        let Some(piece) = pieces.get(rng.below(pieces.len())) else {
            continue;
        };
        let mut text = piece.clone();
        for _ in 0..=rng.below(3) {
            let at = boundary(&text, rng.below(text.len() + 1));
            match rng.below(4) {
                0 => {
                    let end = boundary(&text, at + 1 + rng.below(12));
                    text.replace_range(at..end.max(at), "");
                }
                1 => {
                    let end = boundary(&text, at + 1 + rng.below(40));
                    let copy = text.get(at..end.max(at)).unwrap_or("").to_string();
                    let to = boundary(&text, rng.below(text.len() + 1));
                    text.insert_str(to, &copy);
                }
                _ => {
                    let insert = INSERTS.get(rng.below(INSERTS.len())).unwrap_or(&" ");
                    text.insert_str(at, insert);
                }
            }
        }
        if agree(&format!("mutation {case}"), &text) {
            accepted += 1;
        }
    }
    // Both paths are exercised: texts that parse and texts that do not.
    assert!(
        accepted > cases / 20 && accepted < cases,
        "{accepted} of {cases} parse"
    );
}

/// Every word the grammar knows, and words one letter off, as names, fields and tags.
#[test]
fn words_as_names_parse_as_pest_parses_them() {
    let grammar = include_str!("../../../grammar/conduct.pest");
    let mut words: Vec<String> = grammar
        .split('"')
        .skip(1)
        .step_by(2)
        .filter(|w| w.len() > 1 && w.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_'))
        .map(str::to_string)
        .collect();
    words.sort();
    words.dedup();
    assert!(words.len() > 70, "{} words", words.len());
    let mut accepted = 0;
    for word in &words {
        let variants = [
            word.clone(),
            format!("{word}s"),
            format!("{word}_"),
            format!("{word}1"),
            word[..word.len() - 1].to_string(),
        ];
        for w in &variants {
            for text in [
                format!("let {w} = 1\n"),
                format!("clause a.{w}\n  require {w}.{w} > 1 named {w} message {w} \"x\"\n"),
                format!("param p: {w} = {w}({w}) source {w} \"s\"\n"),
                format!("table t: number {{ {w}: 1 }}\nevidence {{ {w}: [{w}] }}\n"),
                format!("clause c\n  require 1 {w}\n"),
                format!("let f(a) = 3 {w} > 2 {w} x\n"),
            ] {
                accepted += usize::from(agree(w, &text));
            }
        }
    }
    assert!(accepted > 100, "{accepted} parse");
}

#[test]
fn nesting_deeper_than_the_parser_goes_is_left_to_pest() {
    let deep = format!(
        "clause a.b\n  require x message en \"{{{}x{}}}\"\n",
        "(".repeat(300),
        ")".repeat(300)
    );
    assert!(parse(&deep).is_none());
    let shallow = deep
        .replace(&"(".repeat(300), "(")
        .replace(&")".repeat(300), ")");
    assert!(agree("shallow", &shallow));
}
