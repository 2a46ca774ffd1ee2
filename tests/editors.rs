#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The editor support in `editors/` stays in step with the language: the TextMate grammar,
//! the language configuration and the VS Code manifest are valid JSON with the keys editors
//! need; every reserved word of `grammar/conduct.pest` is a keyword of the TextMate grammar, the
//! grammar highlights no other word as a keyword, and none is taken for a language tag; every function and aggregate of the
//! language reference (`grammar/README.md`) and of the checker's builtin table is highlighted
//! as a function; and the keywords, calls and duration units of the example pack
//! (`rules/regions/*.conduct`) are all known to the grammar.
//!
//! Regexes are not compiled (that would need an Oniguruma binding): a word counts as matched
//! when a pattern offers it as an alternative, as in `\b(?:pack|import)\b`.
//! `editors/check.mjs` tokenizes a file with the real engine; it is not part of these tests.

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(relative: &str) -> String {
    let path = root().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn json(relative: &str) -> Value {
    serde_json::from_str(&read(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

fn grammar() -> Value {
    json("editors/conduct.tmLanguage.json")
}

/// Every `(scope name, regex)` under the keys `match`, `begin` and `end`, recursively. The scope
/// is the rule's `name`, or empty.
fn patterns(value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            let name = map.get("name").and_then(Value::as_str).unwrap_or("");
            for key in ["match", "begin", "end"] {
                if let Some(regex) = map.get(key).and_then(Value::as_str) {
                    out.push((name.to_string(), regex.to_string()));
                }
            }
            for child in map.values() {
                patterns(child, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| patterns(item, out)),
        _ => {}
    }
}

fn all_patterns(value: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    patterns(value, &mut out);
    out
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The words a regex offers as alternatives: a run of identifier characters right after `(`,
/// `(?:` or an unescaped `|`, and right before `|` or `)` (word boundaries `\b` ignored).
fn alternatives(regex: &str) -> BTreeSet<String> {
    let chars: Vec<char> = regex.replace(r"\b", "").chars().collect();
    let mut words = BTreeSet::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_ident_char(chars[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_ident_char(chars[i]) {
            i += 1;
        }
        let before = start.checked_sub(1).map(|j| chars[j]);
        let escaped = start >= 2 && chars[start - 2] == '\\';
        let opens = match before {
            Some('(' | '|') => !escaped,
            Some(':') => start >= 3 && chars[start - 3] == '(' && chars[start - 2] == '?',
            _ => false,
        };
        let closes = matches!(chars.get(i), Some('|' | ')'));
        if opens && closes {
            words.insert(chars[start..i].iter().collect());
        }
    }
    words
}

/// The alternatives of the patterns whose scope starts with one of `scopes`.
fn alternatives_scoped(rules: &[(String, String)], scopes: &[&str]) -> BTreeSet<String> {
    rules
        .iter()
        .filter(|(name, _)| scopes.iter().any(|s| name.starts_with(s)))
        .flat_map(|(_, regex)| alternatives(regex))
        .collect()
}

/// The patterns of the grammar's `keywords` repository entry: the reserved words.
fn keyword_alternatives() -> BTreeSet<String> {
    let grammar = grammar();
    let keywords = &grammar["repository"]["keywords"];
    assert!(
        keywords.is_object(),
        "the grammar has no repository.keywords"
    );
    let mut words = BTreeSet::new();
    for (_, regex) in all_patterns(keywords) {
        words.extend(alternatives(&regex));
    }
    words
}

fn function_alternatives() -> BTreeSet<String> {
    alternatives_scoped(&all_patterns(&grammar()), &["support.function."])
}

fn unit_alternatives() -> BTreeSet<String> {
    let grammar = grammar();
    let mut words = BTreeSet::new();
    for rule in ["number", "unit"] {
        for (_, regex) in all_patterns(&grammar["repository"][rule]) {
            words.extend(alternatives(&regex));
        }
    }
    words
}

/// The string literals of the pest rule `name`, which may span lines up to a line `}`.
fn rule_literals(pest: &str, name: &str) -> Vec<String> {
    let prefix = format!("{name} = ");
    let mut lines = pest.lines().skip_while(|line| !line.starts_with(&prefix));
    let first = lines
        .next()
        .unwrap_or_else(|| panic!("no rule `{name}` in conduct.pest"));
    let mut text = first.to_string();
    if !first.trim_end().ends_with('}') {
        for line in lines {
            text.push('\n');
            text.push_str(line);
            if line.trim() == "}" {
                break;
            }
        }
    }
    text.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// The reserved words of the language: the alternatives of the `keyword` rule and the literal
/// of every `NAME = @{ "word" ~ !ident_char }` rule.
fn pest_keywords() -> BTreeSet<String> {
    let pest = read("grammar/conduct.pest");
    let mut words: BTreeSet<String> = rule_literals(&pest, "keyword").into_iter().collect();
    let mut single = 0;
    for line in pest.lines() {
        let Some((_, rest)) = line.split_once(" = @{ \"") else {
            continue;
        };
        let Some((word, tail)) = rest.split_once('"') else {
            continue;
        };
        if tail.trim() == "~ !ident_char }" && word.chars().all(is_ident_char) {
            words.insert(word.to_string());
            single += 1;
        }
    }
    assert!(
        single >= 30,
        "found only {single} single-word keyword rules in conduct.pest"
    );
    for expected in [
        "pack",
        "unless",
        "as_of",
        "severity",
        "remedied",
        "insufficient",
    ] {
        assert!(
            words.contains(expected),
            "keyword extraction missed `{expected}`: {words:?}"
        );
    }
    words
}

/// The names of the first-column entries of the table in the section `heading` of the
/// language reference: `` `min(a, b, …)`, `max(a, b, …)` `` gives `min` and `max`.
fn reference_names(heading: &str) -> BTreeSet<String> {
    let doc = read("grammar/README.md");
    let start = doc
        .find(&format!("\n## {heading}\n"))
        .unwrap_or_else(|| panic!("no section `{heading}` in grammar/README.md"));
    let section = &doc[start + 1..];
    let section = &section[..section[3..]
        .find("\n## ")
        .map_or(section.len(), |end| end + 3)];
    let mut names = BTreeSet::new();
    for row in section.lines().filter(|line| line.starts_with("| `")) {
        let cell = row.split('|').nth(1).unwrap();
        for code in cell.split('`').skip(1).step_by(2) {
            let name: String = code.chars().take_while(|&c| is_ident_char(c)).collect();
            if code[name.len()..].starts_with('(') && !name.is_empty() {
                names.insert(name);
            }
        }
    }
    names
}

#[test]
fn grammar_is_a_textmate_grammar_for_conduct_files() {
    let grammar = grammar();
    assert_eq!(grammar["scopeName"], "source.conduct");
    assert!(grammar["name"].is_string());
    let file_types = grammar["fileTypes"]
        .as_array()
        .expect("fileTypes is an array");
    assert!(
        file_types.iter().any(|t| t == "conduct"),
        "fileTypes lacks `conduct`"
    );
    assert!(
        !grammar["patterns"]
            .as_array()
            .expect("patterns is an array")
            .is_empty()
    );
    let repository = grammar["repository"]
        .as_object()
        .expect("repository is an object");
    for rule in [
        "comment",
        "string",
        "template",
        "keywords",
        "functions",
        "number",
        "operators",
    ] {
        assert!(repository.contains_key(rule), "repository lacks `{rule}`");
    }

    // Every `#name` include refers to a repository entry.
    fn includes(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                if let Some(target) = map.get("include").and_then(Value::as_str) {
                    out.push(target.to_string());
                }
                map.values().for_each(|v| includes(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| includes(v, out)),
            _ => {}
        }
    }
    let mut targets = Vec::new();
    includes(&grammar, &mut targets);
    assert!(!targets.is_empty());
    for target in targets {
        if target == "$self" || target == "$base" {
            continue;
        }
        let local = target
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("external include {target}"));
        assert!(
            repository.contains_key(local),
            "include {target} has no repository entry"
        );
    }

    // Every scope is a `….conduct` scope (or the embedded source), so themes can tell them apart.
    for (name, regex) in all_patterns(&grammar) {
        assert!(!regex.is_empty(), "an empty regex in rule `{name}`");
    }
    let text = read("editors/conduct.tmLanguage.json");
    for scope in [
        "comment.line.number-sign",
        "string.quoted.double",
        "meta.embedded.expression",
        "constant.numeric",
        "keyword.operator",
        "constant.other.language-tag",
        "entity.name.function.clause",
    ] {
        assert!(
            text.contains(&format!("\"{scope}")),
            "no `{scope}` scope in the grammar"
        );
    }
}

#[test]
fn language_configuration_has_comments_brackets_pairs_and_indentation() {
    let config = json("editors/language-configuration.json");
    assert_eq!(config["comments"]["lineComment"], "#");
    let brackets = config["brackets"].as_array().expect("brackets is an array");
    for pair in [["{", "}"], ["[", "]"], ["(", ")"]] {
        assert!(
            brackets.iter().any(|b| b == &serde_json::json!(pair)),
            "brackets lack {pair:?}"
        );
    }
    let closing = config["autoClosingPairs"]
        .as_array()
        .expect("autoClosingPairs is an array");
    for open in ["{", "[", "(", "\""] {
        assert!(
            closing.iter().any(|p| p["open"] == open),
            "no auto-closing pair for {open}"
        );
    }
    let rules = &config["indentationRules"];
    let increase = rules["increaseIndentPattern"]
        .as_str()
        .expect("increaseIndentPattern");
    let decrease = rules["decreaseIndentPattern"]
        .as_str()
        .expect("decreaseIndentPattern");
    assert!(increase.contains("for") && increase.contains("each") && increase.contains(':'));
    assert!(decrease.contains("end"));
}

#[test]
fn vscode_manifest_contributes_the_language_and_the_grammar() {
    let manifest = json("editors/package.json");
    assert!(manifest["engines"]["vscode"].is_string());
    let language = &manifest["contributes"]["languages"][0];
    assert_eq!(language["id"], "conduct");
    assert!(
        language["extensions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e == ".conduct")
    );
    let grammar = &manifest["contributes"]["grammars"][0];
    assert_eq!(grammar["language"], "conduct");
    assert_eq!(grammar["scopeName"], "source.conduct");
    for path in [&language["configuration"], &grammar["path"]] {
        let path = path.as_str().expect("a path");
        assert!(
            root().join("editors").join(path).is_file(),
            "{path} named in editors/package.json does not exist"
        );
    }
}

#[test]
fn every_reserved_word_of_the_pest_grammar_is_a_keyword_and_no_other() {
    let reserved = pest_keywords();
    let grammar = grammar();
    // Somewhere in a pattern …
    let anywhere: BTreeSet<String> = all_patterns(&grammar)
        .iter()
        .flat_map(|(_, regex)| alternatives(regex))
        .collect();
    let missing: Vec<_> = reserved.iter().filter(|w| !anywhere.contains(*w)).collect();
    assert!(
        missing.is_empty(),
        "reserved words the TextMate grammar lacks: {missing:?}"
    );
    // … and in the keyword patterns, which hold nothing else.
    let keywords = keyword_alternatives();
    let missing: Vec<_> = reserved.difference(&keywords).collect();
    assert!(
        missing.is_empty(),
        "reserved words missing from repository.keywords: {missing:?}"
    );
    // A language tag (`en "…"`) is never a reserved word (`require "a" in xs`): the tag rule
    // and the end of a message block exclude them all.
    let repository = &grammar["repository"];
    for (rule, regex) in [
        ("language-tag", &repository["language-tag"]["match"]),
        ("texts", &repository["texts"]["end"]),
    ] {
        let excluded = alternatives(regex.as_str().expect("a regex"));
        let missing: Vec<_> = reserved.difference(&excluded).collect();
        assert!(
            missing.is_empty(),
            "repository.{rule} does not exclude {missing:?}"
        );
    }
    let extra: Vec<_> = keywords.difference(&reserved).collect();
    assert!(
        extra.is_empty(),
        "repository.keywords highlights words conduct.pest does not reserve: {extra:?}"
    );
}

#[test]
fn severity_levels_constants_aggregates_and_units_of_the_pest_grammar_are_highlighted() {
    let pest = read("grammar/conduct.pest");
    let keywords = keyword_alternatives();
    for rule in [
        "severity_level",
        "boolean",
        "null",
        "not_op",
        "and_op",
        "or_op",
        "in_op",
    ] {
        for word in rule_literals(&pest, rule) {
            assert!(
                keywords.contains(&word),
                "`{word}` of rule {rule} is not a keyword"
            );
        }
    }
    let functions = function_alternatives();
    for word in rule_literals(&pest, "aggregate_name") {
        assert!(
            functions.contains(&word),
            "aggregate `{word}` is not highlighted as a function"
        );
    }
    let units = unit_alternatives();
    let pest_units = rule_literals(&pest, "unit");
    assert!(pest_units.len() >= 8);
    for word in pest_units {
        assert!(
            units.contains(&word),
            "duration unit `{word}` is not highlighted"
        );
    }
}

#[test]
fn every_function_and_aggregate_of_the_language_reference_is_highlighted() {
    let functions = function_alternatives();
    let documented = reference_names("Functions");
    assert!(
        documented.len() >= 15,
        "too few functions found in the reference: {documented:?}"
    );
    let aggregates = reference_names("Aggregates and quantifiers");
    assert!(
        aggregates.len() >= 11,
        "too few aggregates found in the reference: {aggregates:?}"
    );
    for name in documented.iter().chain(&aggregates) {
        assert!(
            functions.contains(name),
            "`{name}` is not highlighted as a function"
        );
    }
    // The table of builtins, which is what a pack may actually call.
    let table = read("src/eval/builtins.rs");
    let builtins: Vec<&str> = table
        .lines()
        .filter_map(|line| line.trim().strip_prefix("name: \"")?.strip_suffix("\","))
        .collect();
    assert!(
        builtins.len() >= 10,
        "too few builtins found in src/eval/builtins.rs: {builtins:?}"
    );
    for name in builtins {
        assert!(
            functions.contains(name),
            "builtin `{name}` is not highlighted as a function"
        );
    }
}

/// The code of a rule file without comments and string contents (holes of templates included:
/// they hold names, not reserved words).
fn code_of(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut chars = source.chars();
    while let Some(c) = chars.next() {
        match c {
            '#' => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '"' => {
                out.push_str("\"\"");
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' | '\n' => break,
                        _ => {}
                    }
                }
            }
            _ => out.push(c),
        }
    }
    out
}

#[test]
fn keywords_calls_and_units_of_the_example_pack_are_known_to_the_grammar() {
    let reserved = pest_keywords();
    let keywords = keyword_alternatives();
    let functions = function_alternatives();
    let units = unit_alternatives();
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("rules/regions"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "conduct"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 10,
        "expected the regions pack in rules/regions"
    );
    // Pack-level functions defined anywhere in the pack, and whether the grammar highlights
    // calls of names it does not list.
    let mut user_functions: Vec<String> = Vec::new();
    for file in &files {
        let source = std::fs::read_to_string(file).unwrap();
        for line in source.lines() {
            if let Some(rest) = line.strip_prefix("let ")
                && let Some((name, _)) = rest.split_once('(')
                && name.chars().all(is_ident_char)
            {
                user_functions.push(name.to_string());
            }
        }
    }
    let grammar_text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/editors/conduct.tmLanguage.json"
    ))
    .unwrap();
    let generic_calls = grammar_text.contains("entity.name.function.call.conduct");
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap();
        let code: Vec<char> = code_of(&source).chars().collect();
        let mut seen_keywords = 0;
        let mut i = 0;
        while i < code.len() {
            if !is_ident_char(code[i]) {
                i += 1;
                continue;
            }
            let start = i;
            while i < code.len() && is_ident_char(code[i]) {
                i += 1;
            }
            let word: String = code[start..i].iter().collect();
            if word.starts_with(|c: char| c.is_ascii_digit()) {
                continue;
            }
            // A field name (`window.end`) may be any word.
            let previous = code[..start].iter().rev().find(|c| !c.is_whitespace());
            if previous == Some(&'.') {
                continue;
            }
            let name = file.display();
            if reserved.contains(&word) {
                seen_keywords += 1;
                assert!(
                    keywords.contains(&word),
                    "{name}: keyword `{word}` is not highlighted"
                );
            }
            let next = code[i..].iter().find(|c| !c.is_whitespace());
            if next == Some(&'(') && !reserved.contains(&word) {
                // A builtin is named in the grammar; a pack-level function (`let word(`) is
                // highlighted by the generic call pattern.
                assert!(
                    functions.contains(&word) || (user_functions.contains(&word) && generic_calls),
                    "{name}: call of `{word}` is not highlighted"
                );
            }
            // After a value on the same line, a word that is neither reserved nor a field of an
            // evidence shape (`name: type`) can only be a duration unit.
            let same_line = code[..start]
                .iter()
                .rev()
                .take_while(|c| **c != '\n')
                .any(|c| !c.is_whitespace());
            if same_line
                && matches!(previous, Some(c) if c.is_ascii_digit() || *c == ')' || *c == ']')
                && next != Some(&':')
                && !reserved.contains(&word)
            {
                assert!(
                    units.contains(&word),
                    "{name}: unit `{word}` is not highlighted"
                );
            }
        }
        assert!(seen_keywords > 0, "{}: no keywords found", file.display());
    }
}

/// The words the editors show as reserved are refused as names by the compiler, each with the
/// reserved-word diagnostic. (`insufficient` was once accepted: `in` came first among the
/// keyword rule's alternatives, and a PEG choice does not come back to try a longer word.)
#[test]
fn every_reserved_word_is_refused_as_a_name() {
    let pest = read("grammar/conduct.pest");
    let words = rule_literals(&pest, "keyword");
    assert!(
        words.len() >= 40,
        "found only {} reserved words",
        words.len()
    );
    let mut accepted = Vec::new();
    for word in &words {
        let source = format!(
            "pack kw \"K\" languages en\n\nclause a.b\n  title en \"T\"\n  let {word} = 1\n  require true\n"
        );
        match conduct::RulePack::builder()
            .file("pack.conduct", &source)
            .build()
        {
            Ok(_) => accepted.push(word.clone()),
            Err(e) => assert!(
                e.to_string()
                    .contains(&format!("`{word}` is a reserved word")),
                "`let {word} = 1` failed without the reserved-word diagnostic: {e}"
            ),
        }
    }
    assert!(
        accepted.is_empty(),
        "reserved words accepted as names: {accepted:?}"
    );
}
