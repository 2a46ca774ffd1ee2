//! The scan before `serde_json`: JSON text → what `serde_json` cannot read in it and the keys
//! it gives twice, in one linear pass that never recurses (a million nested `[` take a
//! million loop turns and a byte each on a stack, not a million stack frames).
//!
//! `serde_json` refuses a whole document for one number it cannot hold as an `f64` (`1e400`)
//! and for nesting deeper than its recursion limit. The scan finds those values, with their
//! JSON Pointers, so that the reader can give `serde_json` the text with each of them written
//! as `null` ([`rewrite`]) and hand the evaluation the list: the rest of the document stays
//! evidence. It also lists duplicate keys, and checks the syntax of the values it cuts out
//! (the only syntax `serde_json` will not see).

use std::collections::HashSet;

use super::{DuplicateKey, MAX_DUPLICATE_WARNINGS, ReplacedValue};
use crate::eval::pointer_segment;
use crate::number::Number;

/// The deepest nesting `serde_json` reads (its recursion limit of 128 lets 127 containers
/// nest); a container nested deeper is replaced. The root object is level 1.
pub(super) const MAX_DEPTH: usize = 127;

/// A number token longer than this (without an exponent) may be out of the range of `f64`,
/// and is checked by parsing it; shorter ones cannot be.
const SHORT_NUMBER: usize = 300;

/// What the scan found in one document.
#[derive(Default)]
pub(super) struct Scan {
    /// Byte ranges to write as `null`, in order and disjoint.
    pub(super) cuts: Vec<(usize, usize)>,
    /// Why, with the pointer of each, in document order.
    pub(super) replaced: Vec<ReplacedValue>,
    /// The first duplicate keys, as byte offsets of their opening quotes.
    pub(super) duplicates: Vec<(String, usize)>,
    pub(super) more_duplicates: usize,
    /// The first syntax error inside a value nested too deep, which `serde_json` never sees:
    /// its byte offset and message. (Syntax errors elsewhere are left to `serde_json`.)
    pub(super) deep_error: Option<(usize, &'static str)>,
}

/// An open container within [`MAX_DEPTH`].
enum Frame {
    Object {
        keys: HashSet<String>,
        /// The byte range of the current key, quotes included.
        key: (usize, usize),
    },
    Array {
        index: usize,
    },
}

/// What the scanner expects next.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    Value,
    /// A value or `]`, just after `[`.
    ValueOrClose,
    Key,
    /// A key or `}`, just after `{`.
    KeyOrClose,
    Colon,
    CommaOrClose,
    End,
}

struct Scanner<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    frames: Vec<Frame>,
    /// Containers open below [`MAX_DEPTH`]: `true` for an object. Non-empty means inside a
    /// value being cut, which started at `deep_start`.
    deep: Vec<bool>,
    deep_start: usize,
    scan: Scan,
}

/// Scans `text` (without a byte order mark).
pub(super) fn scan(text: &str) -> Scan {
    let mut s = Scanner {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        frames: Vec::new(),
        deep: Vec::new(),
        deep_start: 0,
        scan: Scan::default(),
    };
    // Text that is not JSON: `serde_json` reports where, unless the error is inside a value
    // being cut (nothing that is still open is cut).
    if let Err(message) = s.run()
        && !s.deep.is_empty()
    {
        s.scan.deep_error = Some((s.pos.min(text.len()), message));
    }
    s.scan
}

impl Scanner<'_> {
    fn run(&mut self) -> Result<(), &'static str> {
        let mut want = Want::Value;
        loop {
            while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
                self.pos += 1;
            }
            let Some(&b) = self.bytes.get(self.pos) else {
                return match want {
                    Want::End => Ok(()),
                    _ if self.depth() == 0 => Err("EOF while parsing a value"),
                    _ if self.in_object() => Err("EOF while parsing an object"),
                    _ => Err("EOF while parsing a list"),
                };
            };
            want = match want {
                Want::ValueOrClose if b == b']' => self.close(),
                Want::Value | Want::ValueOrClose => self.value(b)?,
                Want::KeyOrClose if b == b'}' => self.close(),
                Want::Key | Want::KeyOrClose => {
                    if b != b'"' {
                        return Err("key must be a string");
                    }
                    let start = self.pos;
                    self.string()?;
                    self.key(start);
                    Want::Colon
                }
                Want::Colon if b == b':' => {
                    self.pos += 1;
                    Want::Value
                }
                Want::Colon => return Err("expected `:`"),
                Want::CommaOrClose => self.after_value(b)?,
                Want::End => return Err("trailing characters"),
            };
        }
    }

    fn depth(&self) -> usize {
        self.frames.len() + self.deep.len()
    }

    fn in_object(&self) -> bool {
        match self.deep.last() {
            Some(object) => *object,
            None => matches!(self.frames.last(), Some(Frame::Object { .. })),
        }
    }

    /// What follows a value.
    fn next_after_value(&self) -> Want {
        if self.depth() == 0 {
            Want::End
        } else {
            Want::CommaOrClose
        }
    }

    /// A `,`, `]` or `}` after a value.
    fn after_value(&mut self, b: u8) -> Result<Want, &'static str> {
        let object = self.in_object();
        match (b, object) {
            (b',', true) => {
                self.pos += 1;
                Ok(Want::Key)
            }
            (b',', false) => {
                self.pos += 1;
                if let (true, Some(Frame::Array { index })) =
                    (self.deep.is_empty(), self.frames.last_mut())
                {
                    *index += 1;
                }
                Ok(Want::Value)
            }
            (b'}', true) | (b']', false) => Ok(self.close()),
            (_, true) => Err("expected `,` or `}`"),
            (_, false) => Err("expected `,` or `]`"),
        }
    }

    /// A value starting with `b`.
    fn value(&mut self, b: u8) -> Result<Want, &'static str> {
        match b {
            b'{' | b'[' => {
                self.open(b == b'{');
                return Ok(if b == b'{' {
                    Want::KeyOrClose
                } else {
                    Want::ValueOrClose
                });
            }
            b'"' => self.string()?,
            b'-' | b'0'..=b'9' => self.number()?,
            b't' => self.literal("true")?,
            b'f' => self.literal("false")?,
            b'n' => self.literal("null")?,
            _ => return Err("expected value"),
        }
        Ok(self.next_after_value())
    }

    fn open(&mut self, object: bool) {
        if !self.deep.is_empty() || self.frames.len() >= MAX_DEPTH {
            if self.deep.is_empty() {
                self.deep_start = self.pos;
                let pointer = self.pointer();
                self.scan.replaced.push(ReplacedValue {
                    pointer,
                    reason: format!("nested deeper than {MAX_DEPTH} levels"),
                });
            }
            self.deep.push(object);
        } else if object {
            self.frames.push(Frame::Object {
                keys: HashSet::new(),
                key: (0, 0),
            });
        } else {
            self.frames.push(Frame::Array { index: 0 });
        }
        self.pos += 1;
    }

    /// Closes the innermost container (the byte at `pos` is its bracket).
    fn close(&mut self) -> Want {
        self.pos += 1;
        if self.deep.pop().is_some() {
            if self.deep.is_empty() {
                self.scan.cuts.push((self.deep_start, self.pos));
            }
        } else {
            self.frames.pop();
        }
        self.next_after_value()
    }

    /// Records the key whose string spans `start..pos` in the innermost object.
    fn key(&mut self, start: usize) {
        if !self.deep.is_empty() {
            return;
        }
        let end = self.pos;
        let Some(Frame::Object { keys, key }) = self.frames.last_mut() else {
            return;
        };
        *key = (start, end);
        let name = unescape(self.text.get(start..end).unwrap_or_default());
        if !keys.contains(&name) {
            keys.insert(name);
        } else if self.scan.duplicates.len() < MAX_DUPLICATE_WARNINGS {
            self.scan.duplicates.push((name, start));
        } else {
            self.scan.more_duplicates += 1;
        }
    }

    /// The JSON Pointer of the value about to be read.
    fn pointer(&self) -> String {
        let mut out = String::new();
        for frame in &self.frames {
            out.push('/');
            match frame {
                Frame::Object { key, .. } => {
                    let raw = self.text.get(key.0..key.1).unwrap_or_default();
                    out.push_str(&pointer_segment(&unescape(raw)));
                }
                Frame::Array { index } => out.push_str(&index.to_string()),
            }
        }
        out
    }

    /// A string from its opening quote at `pos` to after its closing quote.
    fn string(&mut self) -> Result<(), &'static str> {
        self.pos += 1;
        loop {
            let Some(&b) = self.bytes.get(self.pos) else {
                return Err("EOF while parsing a string");
            };
            self.pos += 1;
            match b {
                b'"' => return Ok(()),
                b'\\' => self.escape()?,
                0..0x20 => {
                    self.pos -= 1;
                    return Err("control character (\\u0000-\\u001F) found while parsing a string");
                }
                _ => {}
            }
        }
    }

    /// The escape after a backslash; a `\u` escape of a UTF-16 surrogate must be a pair.
    fn escape(&mut self) -> Result<(), &'static str> {
        match self.bytes.get(self.pos) {
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                self.pos += 1;
                Ok(())
            }
            Some(b'u') => {
                self.pos += 1;
                let unit = self.hex4()?;
                if (0xDC00..0xE000).contains(&unit) {
                    return Err("lone leading surrogate in hex escape");
                }
                if (0xD800..0xDC00).contains(&unit) {
                    if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                        return Err("unexpected end of hex escape");
                    }
                    self.pos += 2;
                    if !(0xDC00..0xE000).contains(&self.hex4()?) {
                        return Err("lone leading surrogate in hex escape");
                    }
                }
                Ok(())
            }
            Some(_) => Err("invalid escape"),
            None => Err("EOF while parsing a string"),
        }
    }

    fn hex4(&mut self) -> Result<u32, &'static str> {
        let mut unit = 0;
        for _ in 0..4 {
            let digit = self
                .bytes
                .get(self.pos)
                .and_then(|b| char::from(*b).to_digit(16))
                .ok_or("invalid escape")?;
            unit = unit * 16 + digit;
            self.pos += 1;
        }
        Ok(unit)
    }

    fn literal(&mut self, word: &'static str) -> Result<(), &'static str> {
        if self.bytes.get(self.pos..self.pos + word.len()) == Some(word.as_bytes()) {
            self.pos += word.len();
            Ok(())
        } else {
            Err("expected ident")
        }
    }

    /// A number (RFC 8259); outside a cut value, one `serde_json` cannot read as an `f64`
    /// (out of range, or a non-zero number so small that it reads as `0`) is replaced.
    fn number(&mut self) -> Result<(), &'static str> {
        let start = self.pos;
        let digits = |s: &mut Self| {
            let from = s.pos;
            while let Some(b'0'..=b'9') = s.bytes.get(s.pos) {
                s.pos += 1;
            }
            s.pos - from
        };
        if self.bytes.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        match self.bytes.get(self.pos) {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                digits(self);
            }
            _ => return Err("invalid number"),
        }
        if self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if digits(self) == 0 {
                return Err("invalid number");
            }
        }
        let mantissa_end = self.pos;
        let mut exponent = false;
        if let Some(b'e' | b'E') = self.bytes.get(self.pos) {
            exponent = true;
            self.pos += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.pos) {
                self.pos += 1;
            }
            if digits(self) == 0 {
                return Err("invalid number");
            }
        }
        if !self.deep.is_empty() || (!exponent && self.pos - start <= SHORT_NUMBER) {
            return Ok(());
        }
        let token = self.text.get(start..self.pos).unwrap_or_default();
        let Ok(f) = token.parse::<f64>() else {
            return Ok(());
        };
        let nonzero = || {
            self.bytes
                .get(start..mantissa_end)
                .is_some_and(|m| m.iter().any(|b| (b'1'..=b'9').contains(b)))
        };
        let reason = if f.is_infinite() {
            format!("number `{}` is out of range", shorten(token))
        } else if f == 0.0 && nonzero() {
            format!(
                "number `{}` has more decimal places than the {} the rules compare exactly",
                shorten(token),
                Number::MAX_EXACT_SCALE
            )
        } else {
            return Ok(());
        };
        let pointer = self.pointer();
        self.scan.replaced.push(ReplacedValue { pointer, reason });
        self.scan.cuts.push((start, self.pos));
        Ok(())
    }
}

/// A number token as a reason shows it: at most 32 characters.
fn shorten(token: &str) -> String {
    if token.len() <= 32 {
        token.to_string()
    } else {
        // A number token is ASCII: every byte is a character boundary.
        format!("{}…", token.get(..32).unwrap_or_default())
    }
}

/// A JSON string's text (quotes included), unescaped.
fn unescape(quoted: &str) -> String {
    let raw = quoted
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(quoted);
    if raw.contains('\\') {
        serde_json::from_str::<String>(quoted).unwrap_or_else(|_| raw.to_string())
    } else {
        raw.to_string()
    }
}

/// `text` with every cut written as `null`, keeping every line break and the column of
/// everything after a cut that spans lines, so that `serde_json`'s positions stay those of
/// the input. A cut of two or three bytes (`[]`, `{ }`) moves the rest of its line one or two
/// columns to the right: the moves, as (byte offset in the result, columns), undo that.
pub(super) fn rewrite(text: &str, cuts: &[(usize, usize)]) -> (String, Vec<(usize, usize)>) {
    let mut out = String::with_capacity(text.len() + 4);
    let mut moves = Vec::new();
    let mut at = 0;
    for &(start, end) in cuts {
        out.push_str(text.get(at..start).unwrap_or_default());
        let span = text.get(start..end).unwrap_or_default();
        out.push_str("null");
        match span.rfind('\n') {
            Some(last) => {
                for _ in span.matches('\n') {
                    out.push('\n');
                }
                out.extend(std::iter::repeat_n(' ', span.len() - last - 1));
            }
            None if span.len() >= 4 => out.extend(std::iter::repeat_n(' ', span.len() - 4)),
            None => moves.push((out.len(), 4 - span.len())),
        }
        at = end;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    (out, moves)
}

/// The 1-based line (from `first_line`) and byte column of `offset` in `text`.
pub(super) fn position(text: &str, offset: usize, first_line: u64) -> (u64, u64) {
    let before = text.as_bytes().get(..offset).unwrap_or_default();
    let line = first_line + before.iter().filter(|b| **b == b'\n').count() as u64;
    let start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    (line, (offset - start) as u64 + 1)
}

/// The character column of `offset` (1-based), for duplicate keys.
pub(super) fn char_column(text: &str, offset: usize) -> u64 {
    let before = text.get(..offset).unwrap_or_default();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    before.get(start..).map_or(0, |s| s.chars().count()) as u64 + 1
}

impl DuplicateKey {
    /// A duplicate key found by the scan at byte `offset` of `text`.
    pub(super) fn at(key: String, text: &str, offset: usize, first_line: u64) -> DuplicateKey {
        let (line, _) = position(text, offset, first_line);
        DuplicateKey {
            key,
            line,
            column: char_column(text, offset),
        }
    }
}
