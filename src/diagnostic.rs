//! Diagnostics: what the parser and checker report about rule files, with stable codes, a
//! position, the source line with a caret, and help. Rendering (by `annotate-snippets`, as
//! rustc does) is plain, deterministic text;
//! the JSON form (`--error-format json`) reads back into a [`Diagnostic`].

use std::fmt;
use std::str::FromStr;

use annotate_snippets::{AnnotationKind, Level, Origin, Renderer};
use serde::{Deserialize, Serialize};

use crate::report::ParseNameError;

use crate::source::{Location, SourceMap, Span};

/// A stable diagnostic code. `E1xx` are syntax and input errors, `E2xx` names, `E3xx` types
/// and values, `W…` warnings. Codes are never reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Code {
    /// Syntax error: the text does not follow the grammar, e.g. `require age >= ` with no right side.
    E101,
    /// Nesting too deep: more than the limit (64) of brackets, `not`s or operators, e.g. `((((…))))`.
    E102,
    /// Source file too large (over 1 MiB by default).
    E103,
    /// A rule file is not valid UTF-8, or holds a NUL or a bidirectional control character.
    E104,
    /// An import cannot be read: missing, outside the pack folder, not a regular file.
    E105,
    /// Imports form a cycle: `a.conduct` imports `b.conduct`, which imports `a.conduct`.
    E106,
    /// The pack header is missing, or given twice.
    E107,
    /// Unknown name, e.g. `minimun_age` where `minimum_age` is a parameter.
    E201,
    /// Unknown function, e.g. `lenght(x)`.
    E202,
    /// Two clauses with the same id.
    E203,
    /// A field the pack's `evidence` declaration does not have, e.g. `site.wrkers`.
    E204,
    /// A name defined twice: two parameters, tables or lets with the same name in one scope.
    E205,
    /// A name defined in a file that this file does not import.
    E206,
    /// A message or title in a language the pack does not declare, or a duplicate language.
    E207,
    /// A clause without the required metadata: no English title, no requirement.
    E208,
    /// A word or statement used where it means nothing: `this_clause` outside a clause, a
    /// `collection` used as a value, `remedied when` as a statement outside a `for each`,
    /// `from` in a remediation without `within`.
    E209,
    /// A requirement named like the names derived for unnamed ones: `named r2` (`r` and digits).
    E210,
    /// Bounds on a parameter whose type has no order: `param name: string = "x" at least 1`.
    E211,
    /// Bounds that contradict each other or the default: `param days: number = 400 at most
    /// 365`, or `at least 10 at most 5`.
    E212,
    /// `overridden by` a path that is not a declared evidence field of the parameter's type,
    /// or that goes through a list: `overridden by sites.max_hours`.
    E213,
    /// The pack's title is given per language but not in its first language:
    /// `pack regions title sv "…" languages en, sv`.
    E214,
    /// `outcome("…")`, `violated_for` or `title_of` naming a clause the pack does not have.
    E216,
    /// Clauses that read each other's outcomes in a cycle, e.g. `a` reads `b`, `b` reads `a`.
    E217,
    /// A clause-reading builtin (`outcome`, `violated_for`, `title_of`) outside a clause.
    E218,
    /// `labels … from LIST` where `LIST` is not a declared evidence list of objects:
    /// `labels site_id from site: country` (`site` is not declared, or not a list).
    E219,
    /// `labels KEY from LIST: FIELD` where the list's items have no such field, or `KEY` is
    /// not declared `key`: `labels site_id from sites: contry`.
    E220,
    /// Type mismatch between operands, e.g. `"yes" > 5`.
    E301,
    /// Wrong number of arguments, e.g. `age(worker.date_of_birth)`.
    E302,
    /// A condition that is not true/false, e.g. `require worker.date_of_birth`.
    E303,
    /// An invalid literal: a date like `date("2024-13-45")`, a number too large, an unknown type name.
    E304,
    /// A parameter's or table's value does not have the declared type, or is not a constant.
    E305,
    /// An aggregate used the wrong way, e.g. `sum(x in xs)` with no `: value`.
    E306,
    /// Comparisons chained without parentheses, e.g. `a < b < c`.
    E307,
    /// An evidence key that is not a scalar, e.g. `key workers: [{ … }]`.
    E308,
    /// A label read from a field that is not a single value: `labels site_id from sites:
    /// workers`.
    E309,
    /// A parameter that no clause uses.
    W001,
    /// A table that no clause uses.
    W002,
    /// A requirement that has no message in a language the pack declares, or a pack title
    /// given per language without one of them (the first language's title is shown instead).
    W003,
    /// A pack-level `let` that no clause uses.
    W004,
    /// A clause that no test fixture of the pack covers (reported by `conduct test`).
    W005,
    /// A message, remediation or `expected` placeholder that can be unknown when the
    /// requirement is violated: it reads evidence the condition does not read, without a `??`
    /// wording for the unknown case.
    W006,
    /// A clause outcome that is `insufficient_evidence` although every completion of its
    /// missing evidence gives the same outcome (reported by `conduct test` and
    /// `conduct check --completion-check`): the evidence at hand already decides it.
    W007,
}

impl Code {
    /// Every code, in order.
    const ALL: [Code; 42] = [
        Code::E101,
        Code::E102,
        Code::E103,
        Code::E104,
        Code::E105,
        Code::E106,
        Code::E107,
        Code::E201,
        Code::E202,
        Code::E203,
        Code::E204,
        Code::E205,
        Code::E206,
        Code::E207,
        Code::E208,
        Code::E209,
        Code::E210,
        Code::E211,
        Code::E212,
        Code::E213,
        Code::E214,
        Code::E216,
        Code::E217,
        Code::E218,
        Code::E219,
        Code::E220,
        Code::E301,
        Code::E302,
        Code::E303,
        Code::E304,
        Code::E305,
        Code::E306,
        Code::E307,
        Code::E308,
        Code::E309,
        Code::W001,
        Code::W002,
        Code::W003,
        Code::W004,
        Code::W005,
        Code::W006,
        Code::W007,
    ];

    /// The code as written in diagnostics, e.g. `E201`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Code::E101 => "E101",
            Code::E102 => "E102",
            Code::E103 => "E103",
            Code::E104 => "E104",
            Code::E105 => "E105",
            Code::E106 => "E106",
            Code::E107 => "E107",
            Code::E201 => "E201",
            Code::E202 => "E202",
            Code::E203 => "E203",
            Code::E204 => "E204",
            Code::E205 => "E205",
            Code::E206 => "E206",
            Code::E207 => "E207",
            Code::E208 => "E208",
            Code::E209 => "E209",
            Code::E210 => "E210",
            Code::E211 => "E211",
            Code::E212 => "E212",
            Code::E213 => "E213",
            Code::E214 => "E214",
            Code::E216 => "E216",
            Code::E217 => "E217",
            Code::E218 => "E218",
            Code::E219 => "E219",
            Code::E220 => "E220",
            Code::E301 => "E301",
            Code::E302 => "E302",
            Code::E303 => "E303",
            Code::E304 => "E304",
            Code::E305 => "E305",
            Code::E306 => "E306",
            Code::E307 => "E307",
            Code::E308 => "E308",
            Code::E309 => "E309",
            Code::W001 => "W001",
            Code::W002 => "W002",
            Code::W003 => "W003",
            Code::W004 => "W004",
            Code::W005 => "W005",
            Code::W006 => "W006",
            Code::W007 => "W007",
        }
    }

    /// Whether the code is a warning (the pack still compiles).
    #[must_use]
    pub fn is_warning(self) -> bool {
        self.as_str().starts_with('W')
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Code {
    type Err = ParseNameError;

    /// The code as written in diagnostics, e.g. `E201` (upper case).
    ///
    /// ```
    /// use conduct::pack::Code;
    /// assert_eq!("E204".parse::<Code>()?, Code::E204);
    /// # Ok::<(), conduct::report::ParseNameError>(())
    /// ```
    fn from_str(text: &str) -> Result<Code, ParseNameError> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == text)
            .ok_or_else(|| {
                ParseNameError::new("code", text, Code::ALL.iter().map(|c| c.as_str()).collect())
            })
    }
}

/// A problem found in the rules, with its position, the source line and help.
///
/// `Display` renders it the way compilers do:
///
/// ```text
/// error[E201]: unknown name `minimun_age`
///   --> rules/labour.conduct:12:9
///    |
/// 12 |     require age >= minimun_age
///    |                    ^^^^^^^^^^^ not defined
///    |
///    = help: did you mean `minimum_age`?
/// ```
///
/// Its JSON form (`level`, `code`, `message`, `location`, `label`, `help`) reads back with
/// serde into an equal diagnostic; the source line and carets are not in the JSON, so a
/// diagnostic read back renders without them (and equality ignores them).
#[derive(Clone, Debug, Serialize)]
pub struct Diagnostic {
    /// `error` or `warning`, for tools reading the JSON form.
    level: &'static str,
    code: Code,
    message: String,
    location: Location,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<String>,
    #[serde(skip)]
    snippet: Snippet,
}

impl PartialEq for Diagnostic {
    /// Equal when everything in the JSON form is: the source line shown follows from the
    /// location.
    fn eq(&self, other: &Diagnostic) -> bool {
        self.level == other.level
            && self.code == other.code
            && self.message == other.message
            && self.location == other.location
            && self.label == other.label
            && self.help == other.help
    }
}

impl Eq for Diagnostic {}

/// A [`Diagnostic`] as its JSON form holds it.
#[derive(Deserialize)]
struct DiagnosticWire {
    level: String,
    code: Code,
    message: String,
    location: Location,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    help: Option<String>,
}

impl<'de> Deserialize<'de> for Diagnostic {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Diagnostic, D::Error> {
        let wire = DiagnosticWire::deserialize(deserializer)?;
        let level = level(wire.code);
        if wire.level != level {
            return Err(serde::de::Error::custom(format!(
                "level `{}` does not fit code `{}`, which is {level}",
                wire.level, wire.code
            )));
        }
        Ok(Diagnostic {
            level,
            code: wire.code,
            message: wire.message,
            location: wire.location,
            label: wire.label,
            help: wire.help,
            snippet: Snippet::default(),
        })
    }
}

/// `error` or `warning`, as the code says.
fn level(code: Code) -> &'static str {
    if code.is_warning() {
        "warning"
    } else {
        "error"
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
struct Snippet {
    line_text: String,
    /// Caret start column (0-based, chars) and width in chars.
    caret: (usize, usize),
}

impl Diagnostic {
    /// The stable code.
    #[must_use]
    pub fn code(&self) -> Code {
        self.code
    }
    /// The one-line message.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }
    /// Where it is.
    #[must_use]
    pub fn location(&self) -> &Location {
        &self.location
    }
    /// The help text, if any.
    #[must_use]
    pub fn help(&self) -> Option<&str> {
        self.help.as_deref()
    }
    /// Whether this is a warning rather than an error.
    #[must_use]
    pub fn is_warning(&self) -> bool {
        self.code.is_warning()
    }

    /// A diagnostic about a whole file (no span), e.g. one that cannot be read.
    pub(crate) fn file_level(
        code: Code,
        file: &str,
        message: String,
        help: Option<String>,
    ) -> Diagnostic {
        Diagnostic {
            level: if code.is_warning() {
                "warning"
            } else {
                "error"
            },
            code,
            message,
            location: Location {
                file: file.to_string(),
                line: 1,
                column: 1,
            },
            label: None,
            help,
            snippet: Snippet::default(),
        }
    }
}

/// A diagnostic before positions are resolved: built by the parser and checker.
#[derive(Clone, Debug)]
pub(crate) struct RawDiagnostic {
    pub(crate) code: Code,
    pub(crate) message: String,
    pub(crate) span: Span,
    pub(crate) label: Option<String>,
    pub(crate) help: Option<String>,
}

impl RawDiagnostic {
    pub(crate) fn new(code: Code, span: Span, message: impl Into<String>) -> RawDiagnostic {
        RawDiagnostic {
            code,
            message: message.into(),
            span,
            label: None,
            help: None,
        }
    }
    pub(crate) fn label(mut self, label: impl Into<String>) -> RawDiagnostic {
        self.label = Some(label.into());
        self
    }
    pub(crate) fn help(mut self, help: impl Into<String>) -> RawDiagnostic {
        self.help = Some(help.into());
        self
    }
    pub(crate) fn maybe_help(mut self, help: Option<String>) -> RawDiagnostic {
        self.help = help;
        self
    }

    /// Resolves the span to a location and a snippet.
    pub(crate) fn resolve(self, sources: &SourceMap) -> Diagnostic {
        let location = sources.loaded_location(self.span);
        let (line, col) = sources.line_col(self.span.file, self.span.start);
        let line_text = sources
            .file(self.span.file)
            .map(|f| f.line_text(line))
            .unwrap_or("");
        let line_chars = line_text.chars().count();
        let (end_line, end_col) = sources.line_col(self.span.file, self.span.end);
        let width = if end_line == line {
            end_col.saturating_sub(col)
        } else {
            line_chars.saturating_sub(col)
        };
        Diagnostic {
            level: if self.code.is_warning() {
                "warning"
            } else {
                "error"
            },
            code: self.code,
            message: sanitize(&self.message),
            location,
            label: self.label.map(|l| sanitize(&l)),
            help: self.help.map(|h| sanitize(&h)),
            snippet: Snippet {
                line_text: sanitize(line_text),
                caret: (col, width.max(1)),
            },
        }
    }
}

/// Replaces control characters (bidirectional overrides among them) so that a diagnostic
/// shows what the file really holds.
fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' => ' ',
            c if is_bidi_control(c) || (c.is_control() && c != '\n') => '\u{FFFD}',
            c => c,
        })
        .collect()
}

/// Bidirectional control characters that can make source text read differently from how
/// it parses (CVE-2021-42574).
pub(crate) fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

impl fmt::Display for Diagnostic {
    /// Rendered by `annotate-snippets` as rustc does, in plain text: the title, the location,
    /// the source line with carets and the label, then the help. A diagnostic without a
    /// source line (about a whole file, or read back from JSON) shows only its location.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = if self.is_warning() {
            Level::WARNING
        } else {
            Level::ERROR
        };
        let title = level.primary_title(&self.message).id(self.code.as_str());
        let mut group = if self.snippet.line_text.is_empty() && self.label.is_none() {
            title.element(
                Origin::path(&self.location.file)
                    .line(self.location.line as usize)
                    .char_column(self.location.column as usize),
            )
        } else {
            let (col, width) = self.snippet.caret;
            let text = &self.snippet.line_text;
            let span = byte_offset(text, col)..byte_offset(text, col + width);
            let mut annotation = AnnotationKind::Primary.span(span);
            if let Some(label) = &self.label {
                annotation = annotation.label(label);
            }
            title.element(
                annotate_snippets::Snippet::source(text)
                    .line_start(self.location.line as usize)
                    .path(&self.location.file)
                    .annotation(annotation),
            )
        };
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(help));
        }
        let renderer = Renderer::plain().term_width(TERM_WIDTH);
        f.write_str(&renderer.render(&[group]))
    }
}

/// The width a diagnostic is rendered for: a longer source line is cut around the caret
/// (marked `...`), so that a 1 MB line cannot flood a terminal.
const TERM_WIDTH: usize = 160;

/// The byte offset of the `chars`-th character of `text` (its length past the end).
fn byte_offset(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(offset, _)| offset)
}

/// The edit distance between two short strings, for "did you mean" suggestions.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        if let Some(c0) = cur.first_mut() {
            *c0 = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            if let Some(slot) = cur.get_mut(j + 1) {
                *slot = sub.min(del).min(ins);
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().unwrap_or(0)
}

/// The closest candidate to `name`, if one is close enough to be a likely typo.
pub(crate) fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .filter(|c| *c != name)
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diagnostic_without_a_source_line_shows_its_location_and_help() {
        let d = Diagnostic::file_level(
            Code::E105,
            "rules/wages.conduct",
            "cannot read `rules/wages.conduct`".into(),
            Some("check the path".into()),
        );
        assert_eq!(
            d.to_string(),
            "error[E105]: cannot read `rules/wages.conduct`\n--> rules/wages.conduct:1:1\n = help: check the path"
        );
    }

    #[test]
    fn a_long_line_is_cut_around_the_caret() {
        let mut sources = SourceMap::default();
        let line = format!("let x = {}unknown", "a + ".repeat(10_000));
        let file = sources.add("p.conduct".into(), line.as_str().into());
        let start = u32::try_from(line.len() - "unknown".len()).unwrap_or(0);
        let span = Span {
            file,
            start,
            end: start + 7,
        };
        let shown = RawDiagnostic::new(Code::E201, span, "unknown name `unknown`")
            .label("not defined")
            .resolve(&sources)
            .to_string();
        assert!(shown.lines().all(|l| l.chars().count() < 200), "{shown}");
        assert!(shown.contains("^^^^^^^ not defined"), "{shown}");
        assert!(shown.contains(" --> p.conduct:1:40009"), "{shown}");
    }

    #[test]
    fn distance() {
        assert_eq!(edit_distance("wrkers", "workers"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(
            did_you_mean("wrkers", ["workers", "sites"]),
            Some("did you mean `workers`?".into())
        );
        assert_eq!(did_you_mean("zzz", ["workers"]), None);
    }
}
