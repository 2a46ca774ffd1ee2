//! Where `check` writes: reports (text, a JSON array, NDJSON, one HTML page) and the records
//! that stand in for unreadable documents on standard output; departures from the declared evidence shape
//! (`--validate`) on standard error.

use std::io::{self, Write};

use conduct::Report;
use serde::Serialize;

use super::{Format, Origin};
use crate::common::warn_line;

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

/// How reports are written.
pub(super) enum Sink {
    /// Text for people; several reports are labelled and separated by a blank line. With
    /// `details`, the technical details for rule authors too.
    Text {
        several: bool,
        details: bool,
        count: usize,
    },
    /// A JSON array, whatever the number of documents, streamed element by element.
    Json { count: usize },
    /// One compact report a line.
    Ndjson,
    /// One HTML page for all reports, written at the end: one section per report, labelled
    /// with its document when there can be several.
    Html {
        several: bool,
        reports: Vec<(Option<String>, Report)>,
    },
    /// `--summary`: the reports summed up in a portfolio, written at the end.
    Summary {
        format: crate::summary::SummaryFormat,
        portfolio: Option<Box<conduct::report::portfolio::Portfolio>>,
    },
}

impl Sink {
    pub(super) fn new(format: Format, several: bool, details: bool) -> Sink {
        match format {
            Format::Text => Sink::Text {
                several,
                details,
                count: 0,
            },
            Format::Json => Sink::Json { count: 0 },
            Format::Ndjson => Sink::Ndjson,
            Format::Html => Sink::Html {
                several,
                reports: Vec::new(),
            },
        }
    }

    /// `--summary`: a portfolio summary of the reports in the output format's kind (text,
    /// JSON for `json` and `ndjson`, HTML).
    pub(super) fn summary(format: Format) -> Sink {
        use crate::summary::SummaryFormat;
        let format = match format {
            Format::Text => SummaryFormat::Text,
            Format::Json | Format::Ndjson => SummaryFormat::Json,
            Format::Html => SummaryFormat::Html,
        };
        Sink::Summary {
            format,
            portfolio: None,
        }
    }

    pub(super) fn report(
        &mut self,
        out: &mut impl Write,
        report: &Report,
        origin: &Origin<'_>,
    ) -> io::Result<()> {
        match self {
            Sink::Text {
                several,
                details,
                count,
            } => {
                let mut text = String::new();
                if *count > 0 {
                    text.push('\n');
                }
                let label = several.then(|| origin.label());
                let render = if *details {
                    conduct::report::text::render_details
                } else {
                    conduct::report::text::render
                };
                text.push_str(&render(report, label.as_deref()));
                *count += 1;
                out.write_all(text.as_bytes())
            }
            Sink::Json { count } => {
                let json = serde_json::to_string_pretty(report).map_err(io::Error::other)?;
                Sink::json_element(out, count, &json)
            }
            Sink::Ndjson => {
                let json = serde_json::to_string(report).map_err(io::Error::other)?;
                writeln!(out, "{json}")
            }
            Sink::Html { several, reports } => {
                reports.push((several.then(|| origin.label()), report.clone()));
                Ok(())
            }
            Sink::Summary { portfolio, .. } => {
                crate::summary::add(portfolio, report);
                Ok(())
            }
        }
    }

    /// Records a document that could not be read (the message itself goes to stderr).
    pub(super) fn error(
        &mut self,
        out: &mut impl Write,
        origin: &Origin<'_>,
        message: &str,
    ) -> io::Result<()> {
        let record = ErrorRecord {
            format: ERROR_FORMAT,
            file: origin.name,
            line: origin.line,
            error: message,
        };
        match self {
            Sink::Text { .. } | Sink::Html { .. } | Sink::Summary { .. } => Ok(()),
            Sink::Json { count } => {
                let json = serde_json::to_string_pretty(&record).map_err(io::Error::other)?;
                Sink::json_element(out, count, &json)
            }
            Sink::Ndjson => {
                let json = serde_json::to_string(&record).map_err(io::Error::other)?;
                writeln!(out, "{json}")
            }
        }
    }

    /// Writes one element of the array, exactly as `serde_json::to_string_pretty` lays out an
    /// array.
    fn json_element(out: &mut impl Write, count: &mut usize, json: &str) -> io::Result<()> {
        let mut text = String::with_capacity(json.len() + json.len() / 8 + 4);
        text.push_str(if *count == 0 { "[\n" } else { ",\n" });
        for (i, line) in json.lines().enumerate() {
            if i > 0 {
                text.push('\n');
            }
            text.push_str("  ");
            text.push_str(line);
        }
        *count += 1;
        out.write_all(text.as_bytes())
    }

    pub(super) fn finish(&mut self, out: &mut impl Write) -> io::Result<()> {
        match self {
            Sink::Json { count: 0 } => writeln!(out, "[]"),
            Sink::Json { .. } => writeln!(out, "\n]"),
            Sink::Html { reports, .. } if !reports.is_empty() => {
                let labelled: Vec<(Option<&str>, &Report)> = reports
                    .iter()
                    .map(|(label, report)| (label.as_deref(), report))
                    .collect();
                let page = conduct::tools::report_html::render_html_batch(&labelled);
                out.write_all(page.as_bytes())
            }
            // No report at all: every document was unreadable, each reported, and the exit is 3.
            Sink::Summary { format, portfolio } => match portfolio.take() {
                Some(p) => match crate::summary::render_portfolios(vec![*p], *format) {
                    Ok(text) => out.write_all(text.as_bytes()),
                    Err(e) => Err(io::Error::other(format!("{e:?}"))),
                },
                None => Ok(()),
            },
            _ => Ok(()),
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

/// Prints the departures of one document from the declared shape on standard error.
pub(super) fn print_departures(
    departures: &[conduct::tools::validate::Departure],
    origin: &Origin<'_>,
    output: ValidationOutput,
) {
    for d in departures {
        match output {
            ValidationOutput::Text { several } => {
                let label = if several {
                    format!("{}: ", origin.label())
                } else {
                    String::new()
                };
                if d.is_marker() {
                    warn_line(&format!(
                        "{label}departs from the declared shape: {}; {}",
                        d.expected, d.found
                    ));
                } else {
                    warn_line(&format!(
                        "{label}departs from the declared shape: {}: expected {}, found {}",
                        d.path, d.expected, d.found
                    ));
                }
            }
            ValidationOutput::Json => {
                let record = ValidationRecord {
                    format: VALIDATION_FORMAT,
                    file: origin.name,
                    line: origin.line,
                    path: &d.path,
                    expected: &d.expected,
                    found: &d.found,
                };
                match serde_json::to_string(&record) {
                    Ok(json) => warn_line(&json),
                    Err(e) => warn_line(&format!("error: cannot serialize a departure: {e}")),
                }
            }
        }
    }
}
