//! `conduct check`: a pack and evidence documents in, one report per document out (text, JSON
//! or NDJSON) and the most severe exit code of them all. Running the documents through the
//! pack is here; how an input is read (one document or one a line) is `input`; where reports
//! and records go is `output`.

mod input;
mod output;

use std::io::{self, BufRead, Read, Write};
use std::path::PathBuf;

use clap::ValueEnum;
use conduct::pack::evidence::{self, Document, MAX_DOCUMENT_BYTES, ReadError};
use conduct::{Options, Report, RulePack, Verdict};

use self::input::{Input, InputFormat, skip_line};
use self::output::{Sink, ValidationOutput, print_departures};
use crate::common::{
    ErrorFormat, EvalArgs, Exit, Failure, check_argument_order, finish, load_pack, print_warnings,
    unreadable, warn_line,
};

const EXAMPLES: &str = "\
Examples:
  conduct check rules/regions examples/example-evidence.json --format json
  conduct check rules/regions suppliers.ndjson --as-of 2024-10-31 --format ndjson
  conduct check --validate rules/regions examples/supplier-with-gaps.json
  cat evidence.json | conduct check rules/regions - --lang sv --param reporting_deadline_days=10
  export-suppliers | conduct check rules/regions - --input ndjson --format ndjson

Input: an evidence file is one JSON document, unless it is named *.ndjson or *.jsonl (one
document a line, blank lines skipped). Standard input (-) is one document a line when its
first line is a complete JSON object and the next non-blank line starts with `{`; otherwise
one document. --input json|ndjson decides for every argument. The output format never changes
how input is read. A batch with no document is an error (exit 3).

Output: text, one report per document (labelled with the input and line when there are
several); json, always a JSON array with one element per document in input order, a report or
a conduct-error/1 record for a document that cannot be read; ndjson, the same elements one
compact line each; html, one self-contained page to print or attach to a letter (A4, no
scripts), with one section per document, each starting on a new page.

Exit codes: 0 every clause compliant or not applicable, 1 at least one violation, 2 no violation
but insufficient evidence or an evaluation error, 3 the rules do not compile, the evidence is not
readable JSON, or the command line is wrong. With several documents the most severe code wins
(3, then 1, then 2, then 0).";

// The command's help (`about`) is the doc comment of its `Command` variant.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct CheckArgs {
    /// A rule file, or a pack folder whose root file is `pack.conduct`.
    pack: PathBuf,

    /// Evidence: JSON files, `-` for standard input, or `.ndjson`/`.jsonl` files of one
    /// document a line.
    #[arg(required = true)]
    evidence: Vec<PathBuf>,

    /// How to read the evidence, whatever its name: one JSON document per argument, or one
    /// document a line. Without it, by extension (`.ndjson`, `.jsonl`), and standard input by
    /// its first lines (see below).
    #[arg(long, value_enum, value_name = "LAYOUT")]
    input: Option<InputFormat>,

    /// Output format: text for people, json for programs (always an array, one element per
    /// document), ndjson for one compact element a line, html for one printable page (one
    /// section per document, each starting on a new page when printed).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,

    /// With text output, add the details rule authors need under each part: finding ids, JSON
    /// Pointers, the values found and required, rule file:line, clause ids. Without it, the text
    /// is for the procurement officer, entirely in the report's language. The html page is
    /// always the officer's.
    #[arg(long)]
    details: bool,

    #[command(flatten)]
    eval: EvalArgs,

    /// Format of compile diagnostics on standard error.
    #[arg(long, value_enum, default_value_t = ErrorFormat::Text)]
    error_format: ErrorFormat,

    /// Do not print warnings (compile warnings, duplicate keys in evidence).
    #[arg(short, long)]
    quiet: bool,

    /// Before each report, list on standard error every place where the document departs from
    /// the pack's declared evidence shape, by JSON Pointer (text lines `departs from the
    /// declared shape: POINTER: expected …, found …`; with `--format json` or `ndjson`, one JSON
    /// object a line with `"format":"conduct-validation/1"`). Absent, `null` and undeclared
    /// fields are not departures. The report and the exit code are unchanged.
    #[arg(long)]
    validate: bool,

    /// Instead of one report per document, a portfolio summary of them all (as `conduct
    /// summary` writes it): text, JSON for `--format json`/`ndjson`, or the HTML page. The exit
    /// code is still the most severe of the reports'.
    #[arg(long)]
    summary: bool,

    /// After each report, warn (W007, on standard error) for every clause left
    /// `insufficient_evidence` although every completion of its missing evidence tried gives
    /// the same outcome. The report and the exit code are unchanged.
    #[arg(long)]
    completion_check: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
    Ndjson,
    Html,
}

/// `conduct check`: the whole command.
pub fn run(args: &CheckArgs) -> Exit {
    finish(check(args), args.error_format)
}

fn check(args: &CheckArgs) -> Result<Exit, Failure> {
    check_argument_order(
        "check",
        &args.pack,
        &args.evidence,
        "the others the evidence",
        "",
    )?;
    let pack = load_pack(&args.pack)?;
    if !args.quiet {
        print_warnings(pack.warnings(), args.error_format);
    }
    let options = args.eval.options(&pack)?;

    let mut inputs: Vec<Input> = args
        .evidence
        .iter()
        .map(|p| Input::new(p, args.input))
        .collect();
    // Text labels each report when the command line can give several documents; JSON is an
    // array whatever the number.
    let several = inputs.len() > 1 || inputs.iter().any(|i| i.lines);
    let mut run = Run {
        pack: &pack,
        options: &options,
        quiet: args.quiet,
        // Departures go to stderr: as text lines beside text or HTML, JSON lines beside JSON.
        validation: args.validate.then_some(
            if matches!(args.format, Format::Text | Format::Html) {
                ValidationOutput::Text { several }
            } else {
                ValidationOutput::Json
            },
        ),
        completion_check: args.completion_check.then_some(args.error_format),
        sink: if args.summary {
            Sink::summary(args.format)
        } else {
            Sink::new(args.format, several, args.details)
        },
        out: io::stdout().lock(),
        exit: Exit::Compliant,
    };
    run.all(&mut inputs).map_err(|e| Failure::output(&e))?;
    Ok(run.exit)
}

/// The exit status of one report.
fn report_exit(report: &Report) -> Exit {
    match report.verdict {
        Verdict::Compliant => Exit::Compliant,
        Verdict::NonCompliant => Exit::Violated,
        Verdict::Incomplete => Exit::Incomplete,
    }
}

/// Where a document came from: the input and, for line-per-document input, its line.
struct Origin<'a> {
    name: &'a str,
    line: Option<u64>,
}

impl Origin<'_> {
    fn label(&self) -> String {
        match self.line {
            Some(line) => format!("{}:{line}", self.name),
            None => self.name.to_string(),
        }
    }
}

/// One `check` run over every input.
struct Run<'a, W: Write> {
    pack: &'a RulePack,
    options: &'a Options,
    quiet: bool,
    /// With `--validate`: how departures from the declared shape are printed.
    validation: Option<ValidationOutput>,
    /// With `--completion-check`: the format its W007 warnings are printed in.
    completion_check: Option<ErrorFormat>,
    sink: Sink,
    out: W,
    exit: Exit,
}

impl<W: Write> Run<'_, W> {
    fn all(&mut self, inputs: &mut [Input]) -> io::Result<()> {
        for input in inputs {
            if input.lines {
                self.lines(input)?;
            } else {
                self.whole(input)?;
            }
        }
        self.sink.finish(&mut self.out)
    }

    /// An input that is one document.
    fn whole(&mut self, input: &mut Input) -> io::Result<()> {
        let document = input.document();
        let origin = Origin {
            name: &input.name,
            line: None,
        };
        self.document(&input.name, &origin, document)
    }

    /// An input of one document a line, read with constant memory; blank lines are skipped,
    /// and an input with no document at all is an error.
    fn lines(&mut self, input: &mut Input) -> io::Result<()> {
        let reader = input.reader();
        let origin = Origin {
            name: &input.name,
            line: None,
        };
        let documents = match reader {
            Ok(reader) => self.read_lines(&input.name, reader)?,
            Err(e) => return self.document(&input.name, &origin, Err(ReadError::Io(e))),
        };
        if documents == 0 {
            let message = "no evidence documents (the batch is empty)";
            return self.unreadable(&origin, &format!("{}: {message}", input.name), message);
        }
        Ok(())
    }

    /// Reads and evaluates every line; the number of documents (lines not blank).
    fn read_lines(&mut self, name: &str, mut reader: Box<dyn BufRead>) -> io::Result<u64> {
        let mut buf = Vec::new();
        let mut line_no: u64 = 0;
        let mut documents: u64 = 0;
        loop {
            buf.clear();
            let read = reader
                .by_ref()
                .take(MAX_DOCUMENT_BYTES + 1)
                .read_until(b'\n', &mut buf);
            let read = read.and_then(|n| {
                // An overlong line: drop the rest of it, keeping memory bounded.
                let overlong = buf.len() as u64 > MAX_DOCUMENT_BYTES && !buf.ends_with(b"\n");
                if overlong {
                    skip_line(&mut reader).map(|()| (n, true))
                } else {
                    Ok((n, false))
                }
            });
            let overlong = match read {
                Ok((0, _)) => return Ok(documents),
                Ok((_, overlong)) => overlong,
                Err(e) => {
                    let origin = Origin {
                        name,
                        line: Some(line_no + 1),
                    };
                    let message = format!("cannot read {name} after line {line_no}: {e}");
                    self.unreadable(&origin, &message, &e.to_string())?;
                    // Not an empty batch: the error is reported.
                    return Ok(documents.max(1));
                }
            };
            line_no += 1;
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            documents += 1;
            let origin = Origin {
                name,
                line: Some(line_no),
            };
            if overlong {
                let message = ReadError::TooLarge {
                    limit: MAX_DOCUMENT_BYTES,
                }
                .to_string();
                let shown = format!("{name}: line {line_no}: {message}");
                self.unreadable(&origin, &shown, &message)?;
                continue;
            }
            let doc = buf.strip_suffix(b"\n").unwrap_or(&buf);
            let doc = doc.strip_suffix(b"\r").unwrap_or(doc);
            self.document(name, &origin, evidence::parse(doc, line_no))?;
        }
    }

    /// One document read: evaluated, or reported as unreadable.
    fn document(
        &mut self,
        name: &str,
        origin: &Origin<'_>,
        document: Result<Document, ReadError>,
    ) -> io::Result<()> {
        match document {
            Ok(document) => {
                self.warn_duplicates(name, &document);
                self.evaluate(&document, origin)
            }
            Err(e) => {
                let (shown, record) = unreadable(name, &e);
                self.unreadable(origin, &shown, &record)
            }
        }
    }

    fn evaluate(&mut self, document: &Document, origin: &Origin<'_>) -> io::Result<()> {
        let evidence = document.value();
        if let Some(output) = self.validation {
            print_departures(
                &conduct::tools::validate::validate(self.pack, evidence),
                origin,
                output,
            );
        }
        // Values the reader replaced (`1e400`, nesting too deep) are invalid where read.
        let report = if document.replaced().is_empty() {
            self.pack.evaluate(evidence, self.options)
        } else {
            let options = self.options.clone().replaced(document.replaced());
            self.pack.evaluate(evidence, &options)
        };
        self.exit = self.exit.worse(report_exit(&report));
        if let Some(format) = self.completion_check {
            let options = self.options.clone().replaced(document.replaced());
            let warnings: Vec<_> =
                conduct::tools::completion::check_report(self.pack, evidence, &options, &report)
                    .iter()
                    .filter_map(|c| c.warning(self.pack, &origin.label()))
                    .collect();
            print_warnings(&warnings, format);
        }
        self.sink.report(&mut self.out, &report, origin)
    }

    /// A document that could not be read: the message on stderr, a record in JSON output.
    fn unreadable(&mut self, origin: &Origin<'_>, message: &str, record: &str) -> io::Result<()> {
        self.exit = Exit::BadInput;
        warn_line(&format!("error: {message}"));
        self.sink.error(&mut self.out, origin, record)
    }

    fn warn_duplicates(&self, name: &str, document: &Document) {
        if self.quiet {
            return;
        }
        for d in document.duplicate_keys() {
            warn_line(&format!("warning: {name}: {d}"));
        }
        let more = document.more_duplicate_keys();
        if more > 0 {
            warn_line(&format!("warning: {name}: {more} more duplicate keys"));
        }
    }
}
