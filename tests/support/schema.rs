//! A small JSON Schema (draft 2020-12) checker for tests: enough of the vocabulary for the
//! schemas in `schemas/`, and no more. Every violation is returned with the JSON Pointer of
//! the offending value, so that a failing test says where the output departs.
//!
//! Supported keywords: `type` (a name or a list of names), `properties`, `required`,
//! `additionalProperties` (a boolean or a schema), `items`, `prefixItems`, `enum`, `const`,
//! `pattern`, `minimum`, `minLength`, `$ref`, `oneOf`, `anyOf`, and the boolean schemas `true`
//! and `false`; for the evidence schema also `maximum`, `minItems`, `allOf`, `if`/`then`,
//! `dependentRequired` and `format: "date"`, which is asserted (a real calendar date).
//! `$ref` is either local (`#/$defs/x`, any JSON Pointer after `#`) or names
//! another schema of the same [`Schemas`] set (`report.schema.json#/$defs/outcome`).
//! `$schema`, `$id`, `$defs`, `title`, `description`, `$comment` and `x-…` are annotations. Any other
//! keyword is reported as a violation, so that a schema cannot carry a constraint that is
//! silently not checked.
//!
//! `pattern` is matched by a tiny backtracking engine for the ECMA-262 subset the schemas use:
//! literals, `.`, `^`, `$`, groups with `|`, classes `[...]`/`[^...]` with ranges, the escapes
//! `\d`, `\w`, `\s` and escaped punctuation, and the quantifiers `*`, `+`, `?`, `{n}`,
//! `{n,}`, `{n,m}`. As in JSON Schema, a pattern is found anywhere in the string unless
//! anchored. Any other syntax is reported as a violation.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

/// One place where a value does not match its schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// JSON Pointer of the value in the instance (`""` is the whole instance).
    pub pointer: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.pointer.is_empty() {
            "(root)"
        } else {
            &self.pointer
        };
        write!(f, "{at}: {}", self.message)
    }
}

/// A set of schema documents, by name, that may refer to each other.
#[derive(Debug, Default)]
pub struct Schemas {
    documents: BTreeMap<String, Value>,
}

/// Keywords that carry no constraint.
const ANNOTATIONS: [&str; 6] = [
    "$schema",
    "$id",
    "$defs",
    "title",
    "description",
    "$comment",
];

/// Keywords this checker understands.
const KEYWORDS: [&str; 21] = [
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "prefixItems",
    "enum",
    "const",
    "pattern",
    "minimum",
    "minLength",
    "$ref",
    "oneOf",
    "anyOf",
    "maximum",
    "minItems",
    "allOf",
    "if",
    "then",
    "dependentRequired",
    "format",
];

impl Schemas {
    /// An empty set.
    pub fn new() -> Schemas {
        Schemas::default()
    }

    /// Adds a schema document under `name` (how other documents' `$ref`s name it).
    pub fn add(&mut self, name: &str, schema: Value) -> &mut Schemas {
        self.documents.insert(name.to_string(), schema);
        self
    }

    /// Every violation of `instance` against the document `name` (empty when it conforms).
    pub fn validate(&self, name: &str, instance: &Value) -> Vec<Violation> {
        let mut out = Vec::new();
        match self.documents.get(name) {
            Some(schema) => self.check(name, schema, instance, "", &mut out),
            None => out.push(Violation {
                pointer: String::new(),
                message: format!("no schema named `{name}`"),
            }),
        }
        out
    }

    /// Problems of the document `name` itself, found without an instance: unsupported
    /// keywords, `$ref`s that do not resolve, patterns the engine cannot compile, unknown type
    /// names. Each is given with the JSON Pointer of the subschema in the document.
    pub fn lint(&self, name: &str) -> Vec<Violation> {
        let mut out = Vec::new();
        match self.documents.get(name) {
            Some(schema) => self.lint_schema(name, schema, "", &mut out),
            None => out.push(Violation {
                pointer: String::new(),
                message: format!("no schema named `{name}`"),
            }),
        }
        out
    }

    fn lint_schema(&self, doc: &str, schema: &Value, pointer: &str, out: &mut Vec<Violation>) {
        let mut fail = |message: String| {
            out.push(Violation {
                pointer: pointer.to_string(),
                message,
            });
        };
        let map = match schema {
            Value::Bool(_) => return,
            Value::Object(map) => map,
            other => {
                return fail(format!(
                    "a schema must be an object or a boolean, found {other}"
                ));
            }
        };
        for (key, value) in map {
            match key.as_str() {
                k if ANNOTATIONS.contains(&k) && k != "$defs" => {}
                // Extension annotations (`x-description-sv`, `x-filled-by`): no constraint.
                k if k.starts_with("x-") => {}
                "$ref" => {
                    if value.as_str().and_then(|r| self.resolve(doc, r)).is_none() {
                        fail(format!("unresolvable $ref {value}"));
                    }
                }
                "pattern" => match value.as_str().map(Pattern::parse) {
                    Some(Ok(_)) => {}
                    Some(Err(e)) => fail(format!("unsupported pattern {value}: {e}")),
                    None => fail(format!("`pattern` must be a string, found {value}")),
                },
                "type" => {
                    let names: Vec<&Value> = match value {
                        Value::Array(names) => names.iter().collect(),
                        one => vec![one],
                    };
                    for n in names {
                        let known = [
                            "null", "boolean", "object", "array", "string", "number", "integer",
                        ];
                        if !n.as_str().is_some_and(|n| known.contains(&n)) {
                            fail(format!("unknown type {n}"));
                        }
                    }
                }
                "required" | "enum" if !value.is_array() => {
                    fail(format!("`{key}` must be an array"))
                }
                "minimum" | "minLength" | "maximum" | "minItems" if !value.is_number() => {
                    fail(format!("`{key}` must be a number"));
                }
                "format" if value != "date" => fail(format!("unsupported format {value}")),
                "dependentRequired"
                    if !value
                        .as_object()
                        .is_some_and(|m| m.values().all(Value::is_array)) =>
                {
                    fail("`dependentRequired` must map names to arrays".into());
                }
                "required" | "enum" | "const" | "minimum" | "minLength" | "maximum"
                | "minItems" | "format" | "dependentRequired" => {}
                "properties"
                | "$defs"
                | "items"
                | "prefixItems"
                | "additionalProperties"
                | "oneOf"
                | "anyOf"
                | "allOf"
                | "if"
                | "then" => {}
                other => fail(format!("unsupported schema keyword `{other}`")),
            }
        }
        let mut children: Vec<(String, &Value)> = Vec::new();
        for key in ["properties", "$defs"] {
            if let Some(Value::Object(members)) = map.get(key) {
                for (name, sub) in members {
                    children.push((format!("{pointer}/{key}/{}", escape(name)), sub));
                }
            }
        }
        for key in ["items", "additionalProperties", "if", "then"] {
            if let Some(sub) = map.get(key) {
                children.push((format!("{pointer}/{key}"), sub));
            }
        }
        for key in ["prefixItems", "oneOf", "anyOf", "allOf"] {
            if let Some(Value::Array(subs)) = map.get(key) {
                for (i, sub) in subs.iter().enumerate() {
                    children.push((format!("{pointer}/{key}/{i}"), sub));
                }
            }
        }
        for (at, sub) in children {
            self.lint_schema(doc, sub, &at, out);
        }
    }

    /// Checks `instance` (at `pointer`) against `schema`, which lives in document `doc`.
    fn check(
        &self,
        doc: &str,
        schema: &Value,
        instance: &Value,
        pointer: &str,
        out: &mut Vec<Violation>,
    ) {
        let mut fail = |message: String| {
            out.push(Violation {
                pointer: pointer.to_string(),
                message,
            });
        };
        let map = match schema {
            Value::Bool(true) => return,
            Value::Bool(false) => return fail("no value is allowed here (schema `false`)".into()),
            Value::Object(map) => map,
            other => return fail(format!("invalid schema: {other}")),
        };
        for key in map.keys() {
            if !ANNOTATIONS.contains(&key.as_str())
                && !KEYWORDS.contains(&key.as_str())
                && !key.starts_with("x-")
            {
                fail(format!("unsupported schema keyword `{key}`"));
            }
        }
        if let Some(reference) = map.get("$ref") {
            match reference.as_str().and_then(|r| self.resolve(doc, r)) {
                Some((target_doc, target)) => {
                    self.check(target_doc, target, instance, pointer, out)
                }
                None => out.push(Violation {
                    pointer: pointer.to_string(),
                    message: format!("unresolvable $ref {reference}"),
                }),
            }
        }
        let mut fail = |message: String| {
            out.push(Violation {
                pointer: pointer.to_string(),
                message,
            });
        };
        if let Some(types) = map.get("type") {
            let names: Vec<&str> = match types {
                Value::String(t) => vec![t.as_str()],
                Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            if !names.iter().any(|t| has_type(instance, t)) {
                fail(format!(
                    "expected {}, found {}",
                    names.join(" or "),
                    type_name(instance)
                ));
            }
        }
        if let Some(expected) = map.get("const")
            && instance != expected
        {
            fail(format!("expected {expected}, found {}", short(instance)));
        }
        if let Some(Value::Array(options)) = map.get("enum")
            && !options.contains(instance)
        {
            let options: Vec<String> = options.iter().map(ToString::to_string).collect();
            fail(format!(
                "{} is not one of {}",
                short(instance),
                options.join(", ")
            ));
        }
        if let Some(pattern) = map.get("pattern")
            && let Value::String(text) = instance
        {
            match pattern.as_str().map(|p| (p, Pattern::parse(p))) {
                Some((p, Ok(compiled))) => {
                    if !compiled.is_found_in(text) {
                        fail(format!(
                            "{} does not match the pattern {p}",
                            short(instance)
                        ));
                    }
                }
                Some((p, Err(e))) => fail(format!("unsupported pattern {p}: {e}")),
                None => fail(format!("invalid pattern {pattern}")),
            }
        }
        if let Some(min) = map.get("minimum").and_then(Value::as_f64)
            && let Some(n) = instance.as_f64()
            && n < min
        {
            fail(format!("{n} is less than the minimum {min}"));
        }
        if let Some(max) = map.get("maximum").and_then(Value::as_f64)
            && let Some(n) = instance.as_f64()
            && n > max
        {
            fail(format!("{n} is more than the maximum {max}"));
        }
        if map.get("format").is_some_and(|f| f == "date")
            && let Value::String(text) = instance
            && !is_date(text)
        {
            fail(format!("{} is not a date (YYYY-MM-DD)", short(instance)));
        }
        if let Some(min) = map.get("minLength").and_then(Value::as_u64)
            && let Value::String(text) = instance
            && (text.chars().count() as u64) < min
        {
            fail(format!(
                "{} is shorter than {min} characters",
                short(instance)
            ));
        }
        if let Value::Object(object) = instance {
            self.check_object(doc, map, object, pointer, out);
        }
        if let Value::Array(items) = instance {
            self.check_array(doc, map, items, pointer, out);
        }
        if let Some(Value::Array(branches)) = map.get("allOf") {
            for branch in branches {
                self.check(doc, branch, instance, pointer, out);
            }
        }
        if let (Some(condition), Some(consequence)) = (map.get("if"), map.get("then")) {
            let mut unmet = Vec::new();
            self.check(doc, condition, instance, pointer, &mut unmet);
            if unmet.is_empty() {
                self.check(doc, consequence, instance, pointer, out);
            }
        }
        for (keyword, exactly_one) in [("oneOf", true), ("anyOf", false)] {
            if let Some(Value::Array(branches)) = map.get(keyword) {
                let results: Vec<Vec<Violation>> = branches
                    .iter()
                    .map(|b| {
                        let mut v = Vec::new();
                        self.check(doc, b, instance, pointer, &mut v);
                        v
                    })
                    .collect();
                let matched = results.iter().filter(|r| r.is_empty()).count();
                if matched == 0 {
                    let mut message =
                        format!("matches none of the {} {keyword} branches:", branches.len());
                    for (i, r) in results.iter().enumerate() {
                        let reasons: Vec<String> = r.iter().map(ToString::to_string).collect();
                        message.push_str(&format!(" [{i}] {};", reasons.join("; ")));
                    }
                    out.push(Violation {
                        pointer: pointer.to_string(),
                        message,
                    });
                } else if exactly_one && matched > 1 {
                    out.push(Violation {
                        pointer: pointer.to_string(),
                        message: format!("matches {matched} oneOf branches, expected exactly one"),
                    });
                }
            }
        }
    }

    fn check_object(
        &self,
        doc: &str,
        map: &serde_json::Map<String, Value>,
        object: &serde_json::Map<String, Value>,
        pointer: &str,
        out: &mut Vec<Violation>,
    ) {
        if let Some(Value::Array(required)) = map.get("required") {
            for name in required.iter().filter_map(Value::as_str) {
                if !object.contains_key(name) {
                    out.push(Violation {
                        pointer: pointer.to_string(),
                        message: format!("missing required property `{name}`"),
                    });
                }
            }
        }
        if let Some(Value::Object(dependencies)) = map.get("dependentRequired") {
            for (present, needed) in dependencies {
                if !object.contains_key(present) {
                    continue;
                }
                for name in needed
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                {
                    if !object.contains_key(name) {
                        out.push(Violation {
                            pointer: pointer.to_string(),
                            message: format!("`{present}` is given without `{name}`"),
                        });
                    }
                }
            }
        }
        let properties = map.get("properties").and_then(Value::as_object);
        for (key, value) in object {
            let at = format!("{pointer}/{}", escape(key));
            match properties.and_then(|p| p.get(key)) {
                Some(schema) => self.check(doc, schema, value, &at, out),
                None => match map.get("additionalProperties") {
                    Some(Value::Bool(false)) => out.push(Violation {
                        pointer: at,
                        message: format!("property `{key}` is not allowed"),
                    }),
                    Some(schema) => self.check(doc, schema, value, &at, out),
                    None => {}
                },
            }
        }
    }

    fn check_array(
        &self,
        doc: &str,
        map: &serde_json::Map<String, Value>,
        items: &[Value],
        pointer: &str,
        out: &mut Vec<Violation>,
    ) {
        if let Some(min) = map.get("minItems").and_then(Value::as_u64)
            && (items.len() as u64) < min
        {
            out.push(Violation {
                pointer: pointer.to_string(),
                message: format!("{} items, fewer than {min}", items.len()),
            });
        }
        let prefix = map
            .get("prefixItems")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        for (i, item) in items.iter().enumerate() {
            let at = format!("{pointer}/{i}");
            match prefix.get(i) {
                Some(schema) => self.check(doc, schema, item, &at, out),
                None => {
                    if let Some(schema) = map.get("items") {
                        self.check(doc, schema, item, &at, out);
                    }
                }
            }
        }
    }

    /// The document and schema a `$ref` names, seen from document `doc`.
    fn resolve<'s>(&'s self, doc: &'s str, reference: &str) -> Option<(&'s str, &'s Value)> {
        let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let (name, document) = if file.is_empty() {
            (doc, self.documents.get(doc)?)
        } else {
            self.documents
                .get_key_value(file)
                .map(|(k, v)| (k.as_str(), v))?
        };
        if fragment.is_empty() {
            return Some((name, document));
        }
        document.pointer(fragment).map(|target| (name, target))
    }
}

/// Whether `text` is a calendar date `YYYY-MM-DD` (JSON Schema's `full-date`).
fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let [year, month, day] = parts.as_slice() else {
        return false;
    };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(year, 4) && digits(month, 2) && digits(day, 2)) {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (
        year.parse::<u32>(),
        month.parse::<u32>(),
        day.parse::<u32>(),
    ) else {
        return false;
    };
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

fn has_type(value: &Value, name: &str) -> bool {
    match name {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "number" => value.is_number(),
        "integer" => {
            value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        _ => false,
    }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The value as JSON, cut short for messages.
fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 80 {
        let cut: String = text.chars().take(77).collect();
        format!("{cut}...")
    } else {
        text
    }
}

/// A property name as a JSON Pointer segment (RFC 6901).
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

// ---------------------------------------------------------------------------------------------
// `pattern`: a tiny backtracking regular-expression engine
// ---------------------------------------------------------------------------------------------

#[derive(Debug)]
enum Node {
    Char(char),
    Any,
    /// Inclusive ranges; `true` when negated.
    Class(Vec<(char, char)>, bool),
    /// Alternatives, each a sequence.
    Group(Vec<Vec<Node>>),
    Repeat(Box<Node>, usize, Option<usize>),
    Start,
    End,
}

/// A compiled `pattern`.
#[derive(Debug)]
pub struct Pattern {
    alternatives: Vec<Vec<Node>>,
}

impl Pattern {
    /// Compiles the supported subset; an error names what is not supported.
    pub fn parse(pattern: &str) -> Result<Pattern, String> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut pos = 0;
        let alternatives = parse_alternatives(&chars, &mut pos)?;
        if pos != chars.len() {
            return Err(format!(
                "unexpected `{}` at {pos}",
                chars.get(pos).copied().unwrap_or(' ')
            ));
        }
        Ok(Pattern { alternatives })
    }

    /// Whether the pattern is found anywhere in `text` (JSON Schema semantics).
    pub fn is_found_in(&self, text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        (0..=chars.len()).any(|start| {
            self.alternatives
                .iter()
                .any(|alt| match_seq(alt, &chars, start, &mut |_| true))
        })
    }
}

fn parse_alternatives(chars: &[char], pos: &mut usize) -> Result<Vec<Vec<Node>>, String> {
    let mut alternatives = vec![Vec::new()];
    while let Some(&c) = chars.get(*pos) {
        let node = match c {
            ')' => break,
            '|' => {
                *pos += 1;
                alternatives.push(Vec::new());
                continue;
            }
            '(' => {
                *pos += 1;
                if chars.get(*pos) == Some(&'?') {
                    return Err("group modifiers `(?` are not supported".into());
                }
                let inner = parse_alternatives(chars, pos)?;
                if chars.get(*pos) != Some(&')') {
                    return Err("unclosed group".into());
                }
                *pos += 1;
                Node::Group(inner)
            }
            '[' => {
                *pos += 1;
                parse_class(chars, pos)?
            }
            '\\' => {
                *pos += 1;
                let escaped = parse_escape(chars, pos)?;
                *pos += 1;
                escaped
            }
            '^' => {
                *pos += 1;
                Node::Start
            }
            '$' => {
                *pos += 1;
                Node::End
            }
            '.' => {
                *pos += 1;
                Node::Any
            }
            '*' | '+' | '?' | '{' | '}' | ']' => {
                return Err(format!("unexpected `{c}` at {pos}", pos = *pos));
            }
            c => {
                *pos += 1;
                Node::Char(c)
            }
        };
        let node = parse_quantifier(chars, pos, node)?;
        if let Some(last) = alternatives.last_mut() {
            last.push(node);
        }
    }
    Ok(alternatives)
}

fn parse_quantifier(chars: &[char], pos: &mut usize, node: Node) -> Result<Node, String> {
    let (min, max) = match chars.get(*pos) {
        Some('*') => (0, None),
        Some('+') => (1, None),
        Some('?') => (0, Some(1)),
        Some('{') => {
            let close = chars
                .iter()
                .skip(*pos)
                .position(|c| *c == '}')
                .ok_or("unclosed `{`")?;
            let body: String = chars.iter().skip(*pos + 1).take(close - 1).collect();
            *pos += close;
            let number = |s: &str| {
                s.parse::<usize>()
                    .map_err(|_| format!("bad repetition {{{body}}}"))
            };
            match body.split_once(',') {
                None => {
                    let n = number(&body)?;
                    (n, Some(n))
                }
                Some((lo, "")) => (number(lo)?, None),
                Some((lo, hi)) => (number(lo)?, Some(number(hi)?)),
            }
        }
        _ => return Ok(node),
    };
    *pos += 1;
    if matches!(chars.get(*pos), Some('?' | '+')) {
        return Err("lazy and possessive quantifiers are not supported".into());
    }
    if matches!(node, Node::Start | Node::End) {
        return Err("an anchor cannot be repeated".into());
    }
    Ok(Node::Repeat(Box::new(node), min, max))
}

/// The node for the escape at `chars[pos]` (after the backslash); `pos` stays on it.
fn parse_escape(chars: &[char], pos: &mut usize) -> Result<Node, String> {
    let c = *chars.get(*pos).ok_or("a pattern cannot end with `\\`")?;
    Ok(match c {
        'd' => Node::Class(vec![('0', '9')], false),
        'D' => Node::Class(vec![('0', '9')], true),
        'w' => Node::Class(vec![('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')], false),
        's' => Node::Class(
            vec![(' ', ' '), ('\t', '\t'), ('\n', '\n'), ('\r', '\r')],
            false,
        ),
        'n' => Node::Char('\n'),
        't' => Node::Char('\t'),
        c if c.is_ascii_punctuation() => Node::Char(c),
        c => return Err(format!("the escape `\\{c}` is not supported")),
    })
}

/// A class `[...]`, from just after `[` to just after `]`.
fn parse_class(chars: &[char], pos: &mut usize) -> Result<Node, String> {
    let negated = chars.get(*pos) == Some(&'^');
    if negated {
        *pos += 1;
    }
    let mut ranges = Vec::new();
    loop {
        let c = *chars.get(*pos).ok_or("unclosed `[`")?;
        *pos += 1;
        let first = match c {
            ']' => return Ok(Node::Class(ranges, negated)),
            '\\' => {
                let escaped = parse_escape(chars, pos)?;
                *pos += 1;
                match escaped {
                    Node::Char(c) => c,
                    Node::Class(more, false) => {
                        ranges.extend(more);
                        continue;
                    }
                    _ => return Err("negated escapes inside a class are not supported".into()),
                }
            }
            c => c,
        };
        if chars.get(*pos) == Some(&'-') && chars.get(*pos + 1).is_some_and(|c| *c != ']') {
            let last = *chars.get(*pos + 1).ok_or("unclosed `[`")?;
            if last == '\\' {
                return Err("escaped range ends are not supported".into());
            }
            *pos += 2;
            ranges.push((first, last));
        } else {
            ranges.push((first, first));
        }
    }
}

/// Matches `seq` at `pos`, calling `k` with each end position until it accepts.
fn match_seq(seq: &[Node], s: &[char], pos: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
    match seq.split_first() {
        None => k(pos),
        Some((first, rest)) => match_node(first, s, pos, &mut |p| match_seq(rest, s, p, k)),
    }
}

fn match_node(node: &Node, s: &[char], pos: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
    match node {
        Node::Char(c) => s.get(pos) == Some(c) && k(pos + 1),
        Node::Any => s.get(pos).is_some_and(|c| *c != '\n') && k(pos + 1),
        Node::Class(ranges, negated) => {
            s.get(pos)
                .is_some_and(|c| ranges.iter().any(|(lo, hi)| lo <= c && c <= hi) != *negated)
                && k(pos + 1)
        }
        Node::Start => pos == 0 && k(pos),
        Node::End => pos == s.len() && k(pos),
        Node::Group(alternatives) => alternatives.iter().any(|alt| match_seq(alt, s, pos, k)),
        Node::Repeat(inner, min, max) => match_repeat(inner, *min, *max, s, pos, 0, k),
    }
}

/// Greedy repetition: one more if allowed (and progressing), else stop when `min` is reached.
fn match_repeat(
    inner: &Node,
    min: usize,
    max: Option<usize>,
    s: &[char],
    pos: usize,
    count: usize,
    k: &mut dyn FnMut(usize) -> bool,
) -> bool {
    if max.is_none_or(|m| count < m)
        && match_node(inner, s, pos, &mut |p| {
            (p != pos || count < min) && match_repeat(inner, min, max, s, p, count + 1, k)
        })
    {
        return true;
    }
    count >= min && k(pos)
}
