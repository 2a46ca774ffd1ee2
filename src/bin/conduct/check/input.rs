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
//!
//! The inputs become [`Job`]s, one a document, in input order ([`jobs`]): read on the calling
//! thread, only as far as the batch's window has room, and parsed by the thread of the pool
//! that evaluates them.

use std::ffi::OsStr;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::ValueEnum;
use conduct::pack::evidence::{self, Document, MAX_DOCUMENT_BYTES, ReadError};

use super::Origin;
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
            Ok(Box::new(BufReader::new(
                Cursor::new(prefix).chain(io::stdin()),
            )))
        } else {
            Ok(Box::new(BufReader::new(File::open(&self.path)?)))
        }
    }
}

/// One document's worth of input, in input order: what a thread of the batch takes.
pub enum Job {
    /// One line of a line-per-document input, not yet parsed (without its line end).
    Line { origin: Origin, bytes: Vec<u8> },
    /// A file that is one document, not yet read.
    File { origin: Origin, path: PathBuf },
    /// A document already read (standard input), or why it could not be.
    Read {
        origin: Origin,
        document: Result<Document, ReadError>,
    },
    /// A line or an input that is no document: the message for standard error (with the
    /// input's name) and the one for an error record.
    Failed {
        origin: Origin,
        shown: String,
        record: String,
    },
}

/// Every input's jobs, in order; each input is opened (standard input read) only when the
/// jobs before it have been taken.
pub fn jobs(inputs: &mut [Input]) -> impl Iterator<Item = Job> + '_ {
    inputs
        .iter_mut()
        .flat_map(|input| -> Box<dyn Iterator<Item = Job> + '_> {
            let name: Arc<str> = Arc::from(input.name.as_str());
            let origin = Origin {
                name: Arc::clone(&name),
                line: None,
            };
            if input.lines {
                match input.reader() {
                    Ok(reader) => Box::new(LineJobs {
                        name,
                        reader,
                        line_no: 0,
                        documents: 0,
                        done: false,
                    }),
                    Err(e) => Box::new(std::iter::once(Job::Read {
                        origin,
                        document: Err(ReadError::Io(e)),
                    })),
                }
            } else if is_stdin(&input.path) {
                Box::new(std::iter::once_with(move || Job::Read {
                    origin,
                    document: input.document(),
                }))
            } else {
                let path = input.path.clone();
                Box::new(std::iter::once(Job::File { origin, path }))
            }
        })
}

/// The jobs of a line-per-document input, read with constant memory: a line at a time, an
/// overlong line skipped, blank lines skipped; an input with no document at all is an error.
struct LineJobs {
    name: Arc<str>,
    reader: Box<dyn BufRead>,
    /// The last line read.
    line_no: u64,
    /// The lines read that are not blank.
    documents: u64,
    done: bool,
}

impl LineJobs {
    fn failed(&self, line: Option<u64>, shown: String, record: String) -> Job {
        let origin = Origin {
            name: Arc::clone(&self.name),
            line,
        };
        Job::Failed {
            origin,
            shown,
            record,
        }
    }

    /// Reads one line into `buf`: the bytes read and whether the line is over the cap (its
    /// rest is dropped, keeping memory bounded).
    fn read_line(&mut self, buf: &mut Vec<u8>) -> io::Result<(usize, bool)> {
        let n = self
            .reader
            .by_ref()
            .take(MAX_DOCUMENT_BYTES + 1)
            .read_until(b'\n', buf)?;
        let overlong = buf.len() as u64 > MAX_DOCUMENT_BYTES && !buf.ends_with(b"\n");
        if overlong {
            skip_line(&mut self.reader)?;
        }
        Ok((n, overlong))
    }
}

impl Iterator for LineJobs {
    type Item = Job;

    fn next(&mut self) -> Option<Job> {
        while !self.done {
            let mut buf = Vec::new();
            let overlong = match self.read_line(&mut buf) {
                Ok((0, _)) => {
                    self.done = true;
                    if self.documents > 0 {
                        return None;
                    }
                    let message = "no evidence documents (the batch is empty)";
                    let shown = format!("{}: {message}", self.name);
                    return Some(self.failed(None, shown, message.to_string()));
                }
                Ok((_, overlong)) => overlong,
                Err(e) => {
                    // Not an empty batch: the error is reported.
                    self.done = true;
                    let line_no = self.line_no;
                    let shown = format!("cannot read {} after line {line_no}: {e}", self.name);
                    return Some(self.failed(Some(line_no + 1), shown, e.to_string()));
                }
            };
            self.line_no += 1;
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            self.documents += 1;
            let line_no = self.line_no;
            if overlong {
                let message = ReadError::TooLarge {
                    limit: MAX_DOCUMENT_BYTES,
                }
                .to_string();
                let shown = format!("{}: line {line_no}: {message}", self.name);
                return Some(self.failed(Some(line_no), shown, message));
            }
            if buf.ends_with(b"\n") {
                buf.pop();
            }
            if buf.ends_with(b"\r") {
                buf.pop();
            }
            let origin = Origin {
                name: Arc::clone(&self.name),
                line: Some(line_no),
            };
            return Some(Job::Line { origin, bytes: buf });
        }
        None
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
fn skip_line(reader: &mut impl BufRead) -> io::Result<()> {
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
