//! How `check` reads an evidence argument: one JSON document, or one document a line
//! (NDJSON). The output format never decides it; the input's name, `--input` or (for
//! standard input) its first bytes do.
//!
//! The layout of an input, first rule that applies:
//! 1. `--input json` or `--input ndjson`: that layout, for every evidence argument;
//! 2. a file named `*.ndjson` or `*.jsonl` (any case): one document a line; any other file:
//!    one document;
//! 3. standard input (`-`): one document a line when it starts (after whitespace) with `{`,
//!    its first line is a complete JSON value, and the next non-blank line starts with `{`;
//!    otherwise one document. A pretty-printed document fails the second test, a single
//!    compact document the third (and reads the same either way).

use std::ffi::OsStr;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use conduct::pack::evidence::{self, Document, MAX_DOCUMENT_BYTES, ReadError};

use crate::common::{input_name, is_stdin, read_evidence};

/// `--input`: how every evidence argument is read, whatever its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// One JSON document per argument.
    Json,
    /// One JSON document a line (NDJSON, JSON Lines); blank lines are skipped.
    Ndjson,
}

/// One evidence argument, its layout decided.
pub struct Input {
    /// The path as given; `-` is standard input.
    path: PathBuf,
    /// How it is named in messages.
    pub name: String,
    /// One document a line.
    pub lines: bool,
    /// Standard input already read while sniffing its layout; read again before the rest.
    prefix: Vec<u8>,
    /// Standard input failed while sniffing.
    failed: Option<io::Error>,
}

impl Input {
    /// The input and its layout; standard input without `--input` is sniffed here, reading
    /// at most its first line and the blank lines after it.
    pub fn new(path: &Path, flag: Option<InputFormat>) -> Input {
        let mut input = Input {
            path: path.to_path_buf(),
            name: input_name(path),
            lines: false,
            prefix: Vec::new(),
            failed: None,
        };
        input.lines = match flag {
            Some(format) => format == InputFormat::Ndjson,
            None if is_stdin(path) => match sniff(&mut io::stdin().lock(), &mut input.prefix) {
                Ok(lines) => lines,
                Err(e) => {
                    input.failed = Some(e);
                    false
                }
            },
            None => path.extension().and_then(OsStr::to_str).is_some_and(|e| {
                e.eq_ignore_ascii_case("ndjson") || e.eq_ignore_ascii_case("jsonl")
            }),
        };
        input
    }

    /// The whole input as one document.
    pub fn document(&mut self) -> Result<Document, ReadError> {
        if let Some(e) = self.failed.take() {
            return Err(ReadError::Io(e));
        }
        if is_stdin(&self.path) {
            let prefix = std::mem::take(&mut self.prefix);
            evidence::read(Cursor::new(prefix).chain(io::stdin().lock()))
        } else {
            read_evidence(&self.path)
        }
    }

    /// The input to read line by line.
    pub fn reader(&mut self) -> io::Result<Box<dyn BufRead>> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        if is_stdin(&self.path) {
            let prefix = std::mem::take(&mut self.prefix);
            Ok(Box::new(Cursor::new(prefix).chain(io::stdin().lock())))
        } else {
            Ok(Box::new(BufReader::new(File::open(&self.path)?)))
        }
    }
}

/// Whether a stream holds one document a line (the rule in the module's header), keeping
/// every byte it reads in `prefix`.
fn sniff(reader: &mut impl BufRead, prefix: &mut Vec<u8>) -> io::Result<bool> {
    skip_bom(reader, prefix)?;
    skip_whitespace(reader, prefix)?;
    if peek(reader)? != Some(b'{') {
        return Ok(false);
    }
    let start = prefix.len();
    reader
        .by_ref()
        .take(MAX_DOCUMENT_BYTES + 1)
        .read_until(b'\n', prefix)?;
    let first = prefix.get(start..).unwrap_or_default();
    if !first.ends_with(b"\n") || serde_json::from_slice::<serde::de::IgnoredAny>(first).is_err() {
        return Ok(false);
    }
    skip_whitespace(reader, prefix)?;
    Ok(peek(reader)? == Some(b'{'))
}

/// The next byte, not consumed.
fn peek(reader: &mut impl BufRead) -> io::Result<Option<u8>> {
    Ok(reader.fill_buf()?.first().copied())
}

/// Moves a UTF-8 byte order mark at the start into `prefix`.
fn skip_bom(reader: &mut impl BufRead, prefix: &mut Vec<u8>) -> io::Result<()> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    if reader.fill_buf()?.starts_with(BOM) {
        prefix.extend_from_slice(BOM);
        reader.consume(BOM.len());
    }
    Ok(())
}

/// Moves JSON whitespace into `prefix`, at most up to the document size cap.
fn skip_whitespace(reader: &mut impl BufRead, prefix: &mut Vec<u8>) -> io::Result<()> {
    loop {
        let chunk = reader.fill_buf()?;
        let n = chunk
            .iter()
            .position(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
            .unwrap_or(chunk.len());
        prefix.extend_from_slice(chunk.get(..n).unwrap_or_default());
        let done = n < chunk.len() || chunk.is_empty();
        reader.consume(n);
        if done || prefix.len() as u64 > MAX_DOCUMENT_BYTES {
            return Ok(());
        }
    }
}

/// Consumes the rest of a line without keeping it.
pub fn skip_line(reader: &mut impl BufRead) -> io::Result<()> {
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok(());
        }
        match chunk.iter().position(|b| *b == b'\n') {
            Some(i) => {
                reader.consume(i + 1);
                return Ok(());
            }
            None => {
                let n = chunk.len();
                reader.consume(n);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::sniff;

    fn lines(text: &str) -> bool {
        let mut prefix = Vec::new();
        let mut reader = text.as_bytes();
        let lines = sniff(&mut reader, &mut prefix).unwrap_or(false);
        // Every byte read is kept: prefix + rest is the input.
        let rest = String::from_utf8_lossy(reader);
        assert_eq!(format!("{}{rest}", String::from_utf8_lossy(&prefix)), text);
        lines
    }

    #[test]
    fn standard_input_is_sniffed_by_its_first_lines() {
        assert!(lines("{\"a\": 1}\n{\"a\": 2}\n"));
        assert!(lines("\u{FEFF}  \n{\"a\": 1}\r\n\n  {\"a\": 2}"));
        assert!(!lines("{\n  \"a\": 1\n}\n"), "pretty-printed");
        assert!(!lines("{\"a\": 1}\n"), "one compact document");
        assert!(!lines("{\"a\": 1}"), "no newline");
        assert!(
            !lines("{\"a\": 1}\n[1]\n"),
            "the second line is not an object"
        );
        assert!(!lines("[{\"a\": 1}]\n{\"a\": 2}\n"), "an array first");
        assert!(!lines(""));
        assert!(!lines("   "));
    }
}
