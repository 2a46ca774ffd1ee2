//! Where `check` writes: reports (text, a JSON array, NDJSON, one HTML page) and the records
//! that stand in for unreadable documents on standard output; departures from the declared
//! evidence shape (`--validate`) on standard error. Each document's output is rendered on its
//! own ([`Render`], beside the evaluation) and put together in input order
//! ([`Sink`], one document at a time).

use std::io::{self, Write};

use conduct::Report;
use serde::Serialize;

use super::{Format, Origin};

/// The `format` of the error records that stand in for an unreadable document in JSON output.
const ERROR_FORMAT: &str = "conduct-error/1";

/// The `format` of the JSON lines that list departures from the declared evidence shape.
const VALIDATION_FORMAT: &str = "conduct-validation/1";

/// A document that could not be read, in JSON output: keeps output entry *i* matching input
/// document *i*.
#[derive(Serialize)]
struct ErrorRecord<'a> {
    format: &'static str,
    file: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u64>,
    error: &'a str,
}

/// How one document's result is rendered for standard output: the part of the writing that
/// does not depend on the documents before it, so that it runs beside the evaluation (in the
/// batch's threads) and the writer only puts the pieces together in input order.
#[derive(Clone, Copy, Debug)]
pub(super) struct Render {
    format: Format,
    /// Text and HTML label each report with its document when there can be several.
    several: bool,
    /// Text: the technical details for rule authors too.
    details: bool,
    /// `--summary`: the report itself, for the portfolio the sink sums up.
    summary: bool,
}

/// One document's output, rendered; [`Sink::write`] joins the pieces.
pub(super) enum Piece {
    /// A text report, without the blank line that separates it from the one before.
    Text(String),
    /// One element of the JSON array, indented as inside the array, without the separator.
    Element(String),
    /// One NDJSON line, without its newline.
    Line(String),
    /// A report for the HTML page, with its label.
    Html(Option<String>, Box<Report>),
    /// A report for the portfolio summary (`--summary`).
    Report(Box<Report>),
    /// Nothing on standard output (an unreadable document in text or HTML).
    Nothing,
}

impl Render {
    pub(super) fn new(format: Format, several: bool, details: bool, summary: bool) -> Render {
        Render {
            format,
            several,
            details,
            summary,
        }
    }

    /// A report, rendered.
    pub(super) fn report(&self, report: &Report, origin: &Origin) -> io::Result<Piece> {
        if self.summary {
            return Ok(Piece::Report(Box::new(report.clone())));
        }
        let label = self.several.then(|| origin.label());
        Ok(match self.format {
            Format::Text => {
                let render = if self.details {
                    conduct::report::text::render_details
                } else {
                    conduct::report::text::render
                };
                Piece::Text(render(report, label.as_deref()))
            }
            Format::Json => {
                let json = serde_json::to_string_pretty(report).map_err(io::Error::other)?;
                Piece::Element(indent(&json))
            }
            Format::Ndjson => Piece::Line(serde_json::to_string(report).map_err(io::Error::other)?),
            Format::Html => Piece::Html(label, Box::new(report.clone())),
        })
    }

    /// The record that stands in for a document that could not be read (the message itself
    /// goes to stderr).
    pub(super) fn error(&self, origin: &Origin, message: &str) -> io::Result<Piece> {
        let record = ErrorRecord {
            format: ERROR_FORMAT,
            file: &origin.name,
            line: origin.line,
            error: message,
        };
        Ok(match self.format {
            _ if self.summary => Piece::Nothing,
            Format::Text | Format::Html => Piece::Nothing,
            Format::Json => {
                let json = serde_json::to_string_pretty(&record).map_err(io::Error::other)?;
                Piece::Element(indent(&json))
            }
            Format::Ndjson => {
                Piece::Line(serde_json::to_string(&record).map_err(io::Error::other)?)
            }
        })
    }
}

/// One pretty JSON value as an element of an array, exactly as `serde_json::to_string_pretty`
/// lays out an array (two more spaces a line).
fn indent(json: &str) -> String {
    let mut text = String::with_capacity(json.len() + json.len() / 8 + 4);
    for (i, line) in json.lines().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        text.push_str("  ");
        text.push_str(line);
    }
    text
}

/// Where the pieces go, in input order: text reports separated by a blank line, a JSON array
/// streamed element by element, NDJSON lines, or one HTML page for all reports, written at the
/// end (the one format that holds every report: it is one page).
pub(super) struct Sink {
    format: Format,
    /// Text reports or JSON elements written so far.
    count: usize,
    /// The HTML page's reports.
    pages: Vec<(Option<String>, Report)>,
    /// `--summary`: the summary's format and the reports summed up so far, written at the end.
    summary: Option<(
        crate::summary::SummaryFormat,
        Option<Box<conduct::report::portfolio::Portfolio>>,
    )>,
}

impl Sink {
    pub(super) fn new(format: Format) -> Sink {
        Sink {
            format,
            count: 0,
            pages: Vec::new(),
            summary: None,
        }
    }

    /// `--summary`: a portfolio summary of the reports in the output format's kind (text,
    /// JSON for JSON and NDJSON, or the HTML page), written at the end.
    pub(super) fn summary(format: Format) -> Sink {
        use crate::summary::SummaryFormat;
        let kind = match format {
            Format::Text => SummaryFormat::Text,
            Format::Json | Format::Ndjson => SummaryFormat::Json,
            Format::Html => SummaryFormat::Html,
        };
        Sink {
            summary: Some((kind, None)),
            ..Sink::new(format)
        }
    }

    /// Writes the next document's piece.
    pub(super) fn write(&mut self, out: &mut impl Write, piece: Piece) -> io::Result<()> {
        match piece {
            Piece::Text(text) => {
                if self.count > 0 {
                    out.write_all(b"\n")?;
                }
                self.count += 1;
                out.write_all(text.as_bytes())
            }
            Piece::Element(element) => {
                out.write_all(if self.count == 0 { b"[\n" } else { b",\n" })?;
                self.count += 1;
                out.write_all(element.as_bytes())
            }
            Piece::Line(line) => writeln!(out, "{line}"),
            Piece::Html(label, report) => {
                self.pages.push((label, *report));
                Ok(())
            }
            Piece::Report(report) => {
                if let Some((_, portfolio)) = &mut self.summary {
                    crate::summary::add(portfolio, &report);
                }
                Ok(())
            }
            Piece::Nothing => Ok(()),
        }
    }

    pub(super) fn finish(&mut self, out: &mut impl Write) -> io::Result<()> {
        if let Some((format, portfolio)) = &mut self.summary {
            // No report at all: every document was unreadable, each reported, and the exit is 3.
            if let Some(p) = portfolio.take() {
                let text = crate::summary::render_portfolios(vec![*p], *format)
                    .map_err(|e| io::Error::other(format!("{e:?}")))?;
                out.write_all(text.as_bytes())?;
            }
            return out.flush();
        }
        match self.format {
            Format::Json if self.count == 0 => writeln!(out, "[]"),
            Format::Json => writeln!(out, "\n]"),
            Format::Html if !self.pages.is_empty() => {
                let labelled: Vec<(Option<&str>, &Report)> = self
                    .pages
                    .iter()
                    .map(|(label, report)| (label.as_deref(), report))
                    .collect();
                let page = conduct::tools::report_html::render_html_batch(&labelled);
                out.write_all(page.as_bytes())
            }
            Format::Text | Format::Ndjson | Format::Html => Ok(()),
        }?;
        out.flush()
    }
}

/// How `--validate` prints departures (always on standard error).
#[derive(Clone, Copy, Debug)]
pub(super) enum ValidationOutput {
    /// One line each; labelled with the document when there are several.
    Text { several: bool },
    /// One JSON object a line, `{"format":"conduct-validation/1",...}`.
    Json,
}

/// One departure from the declared evidence shape, as a JSON line on stderr.
#[derive(Serialize)]
struct ValidationRecord<'a> {
    format: &'static str,
    file: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u64>,
    path: &'a str,
    expected: &'a str,
    found: &'a str,
}

/// The lines for standard error that list the departures of one document from the declared
/// shape.
pub(super) fn departure_lines(
    departures: &[conduct::tools::validate::Departure],
    origin: &Origin,
    output: ValidationOutput,
) -> Vec<String> {
    let mut lines = Vec::new();
    for d in departures {
        match output {
            ValidationOutput::Text { several } => {
                let label = if several {
                    format!("{}: ", origin.label())
                } else {
                    String::new()
                };
                if d.is_marker() {
                    lines.push(format!(
                        "{label}departs from the declared shape: {}; {}",
                        d.expected, d.found
                    ));
                } else {
                    lines.push(format!(
                        "{label}departs from the declared shape: {}: expected {}, found {}",
                        d.path, d.expected, d.found
                    ));
                }
            }
            ValidationOutput::Json => {
                let record = ValidationRecord {
                    format: VALIDATION_FORMAT,
                    file: &origin.name,
                    line: origin.line,
                    path: &d.path,
                    expected: &d.expected,
                    found: &d.found,
                };
                lines.push(match serde_json::to_string(&record) {
                    Ok(json) => json,
                    Err(e) => format!("error: cannot serialize a departure: {e}"),
                });
            }
        }
    }
    lines
}
