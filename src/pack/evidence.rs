//! Evidence reading, the stage before evaluation: bytes (a file, standard input, one line of
//! NDJSON) → a [`Document`] holding a JSON object, the keys it gives twice and the values
//! `serde_json` cannot hold, or a [`ReadError`] saying where the input stops being usable.
//!
//! These are the input checks of the `conduct` command line, so that an embedder refuses and
//! warns about exactly what the CLI does: a size cap ([`MAX_DOCUMENT_BYTES`]), a UTF-8 byte
//! order mark skipped, the position of the first byte that is not UTF-8, JSON syntax errors
//! with their line and column, a JSON object at the top, and duplicate keys (which `serde_json`
//! silently collapses, keeping the last value) reported by line and column. A number out of
//! the range of `f64` or a value nested too deep for `serde_json` does not make the document
//! unreadable: it reads as `null` and is listed ([`Document::replaced`]), so that the clauses
//! that read it get it as invalid evidence ([`Options::replaced`]) and the others decide.
//! One linear scan without recursion finds these and the duplicate keys before `serde_json`
//! reads the text.
//!
//! ```
//! use conduct::pack::evidence;
//!
//! let doc = evidence::parse(br#"{"workers": [], "workers": [{"age": 16}]}"#, 1)?;
//! assert_eq!(doc.value()["workers"][0]["age"], 16);
//! let twice = &doc.duplicate_keys()[0];
//! assert_eq!(
//!     twice.to_string(),
//!     r#"duplicate key "workers" at line 1 column 17; the last value is used"#
//! );
//!
//! let error = evidence::parse(b"[1, 2]", 1).unwrap_err();
//! assert!(matches!(error, evidence::ReadError::NotAnObject { .. }));
//! # Ok::<(), evidence::ReadError>(())
//! ```

use std::fmt;
use std::io::{self, Read};

use serde_json::Value;

use crate::options::Options;

mod scan;

/// The largest evidence document read (a file, standard input, or one line of NDJSON), so that
/// a runaway input cannot exhaust memory.
pub const MAX_DOCUMENT_BYTES: u64 = 128 * 1024 * 1024;

/// At most this many duplicate keys are listed for one document; the others are only counted
/// (see [`Document::more_duplicate_keys`]).
pub const MAX_DUPLICATE_WARNINGS: usize = 10;

/// Why a document cannot be used as evidence. Positions are 1-based; columns count characters.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// The input could not be read.
    #[error("cannot read the evidence: {0}")]
    Io(#[from] io::Error),
    /// The document is larger than the cap.
    #[error("the document is larger than the limit of {} MiB", limit / (1024 * 1024))]
    TooLarge {
        /// The cap in bytes ([`MAX_DOCUMENT_BYTES`]).
        limit: u64,
    },
    /// The document is not UTF-8.
    #[error("invalid UTF-8 at byte {offset} (line {line} column {column})")]
    Utf8 {
        /// The offset of the first byte that is not UTF-8, from the start of the document.
        offset: usize,
        /// Its line, in the input's numbering (see `first_line` of [`parse`]).
        line: u64,
        /// Its column, in characters.
        column: u64,
    },
    /// The document is not JSON.
    #[error("{message}{}", position(*line, *column))]
    Json {
        /// What `serde_json` found wrong, without its position.
        message: String,
        /// The line of the problem in the input's numbering, if `serde_json` gives one.
        line: Option<u64>,
        /// The column of the problem (with `line`).
        column: u64,
    },
    /// The document is JSON, but not an object.
    #[error(
        "the evidence must be a JSON object, found {found}{}",
        array_hint(found)
    )]
    NotAnObject {
        /// What it is instead: `null`, `a boolean`, `a number`, `a string` or `an array`.
        found: &'static str,
    },
}

fn position(line: Option<u64>, column: u64) -> String {
    line.map(|line| format!(" at line {line} column {column}"))
        .unwrap_or_default()
}

fn array_hint(found: &str) -> &'static str {
    if found == json_kind(&Value::Array(Vec::new())) {
        " (give several documents one a line in an .ndjson file)"
    } else {
        ""
    }
}

/// One evidence document: a JSON object, the keys it gives twice, and the values it holds
/// that `serde_json` cannot (read as `null`, see [`Document::replaced`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    value: Value,
    duplicates: Vec<DuplicateKey>,
    more_duplicates: usize,
    replaced: Vec<ReplacedValue>,
}

impl Document {
    /// The evidence, a JSON object (for [`RulePack::evaluate`](crate::RulePack::evaluate)).
    #[must_use]
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// The evidence, taken out of the document.
    #[must_use]
    pub fn into_value(self) -> Value {
        self.value
    }

    /// The first [`MAX_DUPLICATE_WARNINGS`] keys given twice in one object, in input order;
    /// the evidence holds the last value of each.
    #[must_use]
    pub fn duplicate_keys(&self) -> &[DuplicateKey] {
        &self.duplicates
    }

    /// How many more duplicate keys there are beyond [`Document::duplicate_keys`].
    #[must_use]
    pub fn more_duplicate_keys(&self) -> usize {
        self.more_duplicates
    }

    /// The values that are `null` in [`Document::value`] because `serde_json` cannot hold
    /// them, in document order: a number out of the range of `f64` (`1e400`, `-1e400`), a
    /// non-zero number too small for it (`1e-400`, which it would read as `0`), and a value
    /// nested deeper than the 127 levels it reads. Each is invalid evidence, not missing, for
    /// the rules that read it: pass the list on with
    /// [`Options::replaced`](crate::Options::replaced), and the rest of the document is
    /// evaluated as usual.
    ///
    /// ```
    /// use conduct::pack::evidence;
    ///
    /// let doc = evidence::parse(br#"{"fees": [12, 1e400], "name~/x": {"v": -1e999}}"#, 1)?;
    /// assert!(doc.value()["fees"][1].is_null());
    /// let found: Vec<(&str, &str)> =
    ///     doc.replaced().iter().map(|r| (r.pointer(), r.reason())).collect();
    /// assert_eq!(
    ///     found,
    ///     [
    ///         ("/fees/1", "number `1e400` is out of range"),
    ///         ("/name~0~1x/v", "number `-1e999` is out of range"),
    ///     ]
    /// );
    /// # Ok::<(), evidence::ReadError>(())
    /// ```
    #[must_use]
    pub fn replaced(&self) -> &[ReplacedValue] {
        &self.replaced
    }
}

/// A value of the input that the document holds as `null` because `serde_json` cannot hold
/// it (see [`Document::replaced`]). Its text is ``/fees/1: number `1e400` is out of range``.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplacedValue {
    pointer: String,
    reason: String,
}

impl ReplacedValue {
    /// Where the value is: an RFC 6901 JSON Pointer (`/fees/1`; `~` written `~0`, `/` `~1`).
    #[must_use]
    pub fn pointer(&self) -> &str {
        &self.pointer
    }

    /// Why it is replaced: ``number `1e400` is out of range``, ``number `1e-400` has more
    /// decimal places than the 22 the rules compare exactly`` or `nested deeper than 127
    /// levels`. It is the reason of the invalid evidence in the report.
    #[must_use]
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

/// Passing a document's replaced values on (defined here, with the reader).
impl Options {
    /// Declares every value the evidence reader replaced by `null` invalid
    /// ([`Document::replaced`](crate::pack::evidence::Document::replaced)), as
    /// [`Options::invalid_evidence`] does for one: a number such as `1e400`, or a value nested
    /// too deep, is then invalid evidence for the clauses that read it, and the rest of the
    /// document is evaluated as usual.
    ///
    /// ```
    /// use conduct::pack::evidence;
    /// # use conduct::{Options, RulePack, Status};
    /// # let pack = RulePack::builder().file("p.conduct", "pack p \"P\" languages en
    /// # evidence { fee: number, name: string }
    /// # clause c.fee
    /// #   title en \"Fee\"
    /// #   require fee < 100
    /// #     message en \"fee {actual}\"
    /// # clause c.name
    /// #   title en \"Name\"
    /// #   require name != \"\"
    /// #     message en \"no name\"
    /// # ").build()?;
    /// let doc = evidence::parse(br#"{"fee": 1e400, "name": "Acme"}"#, 1)?;
    /// let report = pack.evaluate(doc.value(), &Options::default().replaced(doc.replaced()));
    /// let fee = report.outcome("c.fee").unwrap();
    /// assert_eq!(fee.status, Status::InsufficientEvidence);
    /// assert_eq!(fee.invalid[0].path, "/fee");
    /// assert_eq!(report.outcome("c.name").unwrap().status, Status::Compliant);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn replaced(mut self, values: &[ReplacedValue]) -> Options {
        self.invalid_evidence.extend(
            values
                .iter()
                .map(|v| (v.pointer().to_string(), v.reason().to_string())),
        );
        self
    }
}

impl fmt::Display for ReplacedValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pointer, self.reason)
    }
}

/// A key given a second time in one JSON object. Its text is a warning for people:
/// ``duplicate key "age" at line 3 column 5; the last value is used``.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DuplicateKey {
    key: String,
    line: u64,
    column: u64,
}

impl DuplicateKey {
    /// The key, unescaped (`"a"` and `"\u0061"` are the same key).
    #[must_use]
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The line of the second occurrence, in the input's numbering.
    #[must_use]
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The column of the second occurrence's opening quote, in characters.
    #[must_use]
    pub fn column(&self) -> u64 {
        self.column
    }
}

impl fmt::Display for DuplicateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key = serde_json::to_string(&self.key).unwrap_or_default();
        write!(
            f,
            "duplicate key {key} at line {} column {}; the last value is used",
            self.line, self.column
        )
    }
}

/// Reads one evidence document to its end (a file, standard input, a network body), taking at
/// most [`MAX_DOCUMENT_BYTES`] into memory, and checks it as [`parse`] does. Evaluate it with
/// its replaced values passed on:
/// `pack.evaluate(doc.value(), &options.replaced(doc.replaced()))`.
///
/// # Errors
/// [`ReadError::Io`] when the input cannot be read, [`ReadError::TooLarge`] when it is larger
/// than the cap, and the errors of [`parse`].
///
/// # Examples
/// ```
/// let bytes: &[u8] = b"\xEF\xBB\xBF{\"supplier\": {\"name\": \"Acme\"}}";
/// let doc = conduct::pack::evidence::read(bytes)?;
/// assert_eq!(doc.value()["supplier"]["name"], "Acme");
/// # Ok::<(), conduct::pack::evidence::ReadError>(())
/// ```
pub fn read(reader: impl Read) -> Result<Document, ReadError> {
    read_with_limit(reader, MAX_DOCUMENT_BYTES)
}

fn read_with_limit(reader: impl Read, limit: u64) -> Result<Document, ReadError> {
    let mut bytes = Vec::new();
    // One byte more than the cap tells a document that is too large.
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    parse_with_limit(&bytes, 1, limit)
}

/// Checks one evidence document: at most [`MAX_DOCUMENT_BYTES`], UTF-8 (a leading byte order
/// mark is skipped), JSON, an object; and lists its duplicate keys. `first_line` is the line of
/// the input the bytes start on (`1` for a whole file; the line number for one line of NDJSON),
/// so that every position is reported in the input's numbering.
///
/// # Errors
/// [`ReadError::TooLarge`], [`ReadError::Utf8`], [`ReadError::Json`] or
/// [`ReadError::NotAnObject`], whose messages carry no file name.
///
/// # Examples
/// ```
/// use conduct::pack::evidence::{parse, ReadError};
///
/// // The third line of an NDJSON input.
/// let error = parse(b"{\"age\": 1", 3).unwrap_err();
/// assert_eq!(error.to_string(), "EOF while parsing an object at line 3 column 9");
///
/// let error = parse(b"{\"name\": \"\xFF\"}", 1).unwrap_err();
/// assert!(matches!(error, ReadError::Utf8 { offset: 10, line: 1, column: 11 }));
/// ```
pub fn parse(bytes: &[u8], first_line: u64) -> Result<Document, ReadError> {
    parse_with_limit(bytes, first_line, MAX_DOCUMENT_BYTES)
}

fn parse_with_limit(bytes: &[u8], first_line: u64, limit: u64) -> Result<Document, ReadError> {
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| utf8_error(bytes, &e, first_line))?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let found = scan::scan(text);
    if let Some((offset, message)) = found.deep_error {
        let (line, column) = scan::position(text, offset, first_line);
        return Err(ReadError::Json {
            message: message.to_string(),
            line: Some(line),
            column,
        });
    }
    let value: Value = if found.cuts.is_empty() {
        serde_json::from_str(text).map_err(|e| json_error(&e, first_line, &[], text))?
    } else {
        let (rewritten, moves) = scan::rewrite(text, &found.cuts);
        serde_json::from_str(&rewritten)
            .map_err(|e| json_error(&e, first_line, &moves, &rewritten))?
    };
    if !value.is_object() {
        return Err(ReadError::NotAnObject {
            found: json_kind(&value),
        });
    }
    let duplicates = found
        .duplicates
        .into_iter()
        .map(|(key, offset)| DuplicateKey::at(key, text, offset, first_line))
        .collect();
    Ok(Document {
        value,
        duplicates,
        more_duplicates: found.more_duplicates,
        replaced: found.replaced,
    })
}

/// The position of the first byte that is not UTF-8.
fn utf8_error(bytes: &[u8], e: &std::str::Utf8Error, first_line: u64) -> ReadError {
    let offset = e.valid_up_to();
    let before = bytes.get(..offset).unwrap_or_default();
    let line = first_line + count_newlines(before);
    // The bytes before `offset` are valid UTF-8: count the column in characters.
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let column = std::str::from_utf8(before.get(line_start..).unwrap_or_default())
        .map_or(0, |s| s.chars().count()) as u64
        + 1;
    ReadError::Utf8 {
        offset,
        line,
        column,
    }
}

fn count_newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|b| **b == b'\n').count() as u64
}

/// `serde_json`'s error with the line shifted to the input's numbering, and its column moved
/// back by the `moves` of [`scan::rewrite`] before it on its line of `parsed` (the text
/// `serde_json` read).
fn json_error(
    e: &serde_json::Error,
    first_line: u64,
    moves: &[(usize, usize)],
    parsed: &str,
) -> ReadError {
    let full = e.to_string();
    if e.line() == 0 {
        return ReadError::Json {
            message: full,
            line: None,
            column: 0,
        };
    }
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = full.strip_suffix(&suffix).unwrap_or(&full).to_string();
    let mut column = e.column();
    if !moves.is_empty() {
        // The byte offset of the error in `parsed`, then the moves on its line before it.
        let line_start = parsed
            .match_indices('\n')
            .nth(e.line().wrapping_sub(2))
            .map_or(0, |(i, _)| i + 1);
        let offset = line_start + column.saturating_sub(1);
        let moved: usize = moves
            .iter()
            .filter(|(at, _)| (line_start..=offset).contains(at))
            .map(|(_, n)| n)
            .sum();
        column = column.saturating_sub(moved);
    }
    ReadError::Json {
        message,
        line: Some(first_line + e.line() as u64 - 1),
        column: column as u64,
    }
}

/// How a JSON value is named in messages.
fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let doc = parse(b"\xEF\xBB\xBF{\"a\": 1}", 1).unwrap();
        assert_eq!(doc.value()["a"], 1);
        assert!(doc.duplicate_keys().is_empty());
    }

    #[test]
    fn duplicate_keys_are_found_unescaped_nested_and_not_in_values() {
        let text = "{\"a\": 1,\n \"b\": {\"c\": \"a\", \"c\": 2},\n \"\\u0061\": [\"a\", \"a\"]}";
        let doc = parse(text.as_bytes(), 5).unwrap();
        let found: Vec<(&str, u64, u64)> = doc
            .duplicate_keys()
            .iter()
            .map(|d| (d.key(), d.line(), d.column()))
            .collect();
        assert_eq!(found, [("c", 6, 18), ("a", 7, 2)]);
        assert_eq!(doc.more_duplicate_keys(), 0);
        assert_eq!(doc.value()["a"], serde_json::json!(["a", "a"]));
    }

    #[test]
    fn duplicate_keys_beyond_the_limit_are_counted() {
        let body: Vec<String> = (0..MAX_DUPLICATE_WARNINGS + 4)
            .map(|i| format!("\"k\": {i}"))
            .collect();
        let text = format!("{{{}}}", body.join(", "));
        let doc = parse(text.as_bytes(), 1).unwrap();
        assert_eq!(doc.duplicate_keys().len(), MAX_DUPLICATE_WARNINGS);
        assert_eq!(doc.more_duplicate_keys(), 3);
    }

    #[test]
    fn a_document_over_the_cap_is_refused() {
        let error = read_with_limit(&b"{\"a\": 1}  "[..], 9).unwrap_err();
        assert!(matches!(error, ReadError::TooLarge { limit: 9 }));
        assert!(read_with_limit(&b"{\"a\": 1} "[..], 9).is_ok());
        let error = parse_with_limit(b"{\"a\": 12}", 1, 8).unwrap_err();
        assert!(matches!(error, ReadError::TooLarge { .. }));
        assert_eq!(
            ReadError::TooLarge {
                limit: MAX_DOCUMENT_BYTES
            }
            .to_string(),
            "the document is larger than the limit of 128 MiB"
        );
    }

    #[test]
    fn bad_utf8_is_located_by_byte_line_and_character_column() {
        let error = parse(b"{\n \"n\xC3\xA9\": \"\xC3(\"}", 4).unwrap_err();
        assert!(matches!(
            error,
            ReadError::Utf8 {
                offset: 11,
                line: 5,
                column: 9
            }
        ));
        assert_eq!(
            error.to_string(),
            "invalid UTF-8 at byte 11 (line 5 column 9)"
        );
    }

    #[test]
    fn json_errors_are_shifted_to_the_input_line() {
        let error = parse(b"{\"a\":\n}", 1).unwrap_err();
        assert_eq!(error.to_string(), "expected value at line 2 column 1");
        let error = parse(b"{\"a\":\n}", 10).unwrap_err();
        assert_eq!(error.to_string(), "expected value at line 11 column 1");
        let error = parse(b"[]", 1).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the evidence must be a JSON object, found an array \
             (give several documents one a line in an .ndjson file)"
        );
        let error = parse(b"7", 1).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the evidence must be a JSON object, found a number"
        );
    }
}
