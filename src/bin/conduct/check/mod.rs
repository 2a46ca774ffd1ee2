//! `conduct check`: a pack and evidence documents in, one report per document out (text, JSON
//! or NDJSON) and the most severe exit code of them all. Running the documents through the
//! pack is here: on `--jobs` threads, a bounded window of documents at a time, the results
//! written in input order through one place ([`Writer::emit`]), so that the output is the
//! same byte for byte whatever the number of jobs. How an input is read (one document or one
//! a line) is `input`; where reports and records go is `output`.

mod input;
mod output;

use std::io::{self, Write};
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::sync::Arc;

use clap::ValueEnum;
use conduct::pack::batch;
use conduct::pack::evidence::{self, Document, ReadError};
use conduct::{Options, Report, RulePack, Verdict};

use self::input::{Input, InputFormat, Job};
use self::output::{Piece, Render, Sink, ValidationOutput, departure_lines};
use crate::common::{
    ErrorFormat, EvalArgs, Exit, Failure, check_argument_order, finish, load_pack, print_warnings,
    read_evidence, unreadable, warn_line,
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

Batches: documents are evaluated on --jobs threads (default: every core), a window of a few
dozen per thread at a time while the next window is read and the one before is written, in
input order, so memory does not grow with the batch (except with html, one page that holds
every report). The output, standard error and the exit code are the same byte for byte
whatever --jobs is.

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

    /// Evaluate on N threads (default: the number of cores; 1 evaluates one document after
    /// the other). The output is the same whatever N is.
    #[arg(short, long, value_name = "N")]
    jobs: Option<NonZeroUsize>,

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
    let worker = Worker {
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
        render: Render::new(args.format, several, args.details, args.summary),
        completion_check: args.completion_check.then_some(args.error_format),
    };
    let mut writer = Writer {
        sink: if args.summary {
            Sink::summary(args.format)
        } else {
            Sink::new(args.format)
        },
        out: io::stdout(),
        exit: Exit::Compliant,
    };
    let jobs = args.jobs.map_or(0, NonZeroUsize::get);
    batch::map_ordered(
        input::jobs(&mut inputs),
        jobs,
        |job| worker.work(job),
        |done| writer.emit(done),
    )
    .and_then(|()| writer.sink.finish(&mut writer.out))
    .map_err(|e| Failure::output(&e))?;
    Ok(writer.exit)
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
pub(crate) struct Origin {
    name: Arc<str>,
    line: Option<u64>,
}

impl Origin {
    fn label(&self) -> String {
        match self.line {
            Some(line) => format!("{}:{line}", self.name),
            None => self.name.to_string(),
        }
    }
}

/// What became of one document, ready to be written in its turn.
struct Done {
    /// Lines for standard error, in the order a document at a time prints them: duplicate
    /// keys, departures from the declared shape, or why it could not be read.
    warnings: Vec<String>,
    /// The document's exit status.
    exit: Exit,
    /// What goes to standard output, rendered.
    piece: io::Result<Piece>,
}

/// The work on one document, on any thread of the batch: reading or parsing it, checking its shape,
/// evaluating it and rendering the result. Shared by the threads, so nothing in it changes.
struct Worker<'a> {
    pack: &'a RulePack,
    options: &'a Options,
    quiet: bool,
    /// With `--validate`: how departures from the declared shape are printed.
    validation: Option<ValidationOutput>,
    render: Render,
    /// With `--completion-check`: the format its W007 warnings are printed in.
    completion_check: Option<ErrorFormat>,
}

impl Worker<'_> {
    fn work(&self, job: Job) -> Done {
        match job {
            Job::Line { origin, bytes } => {
                let document = evidence::parse(&bytes, origin.line.unwrap_or(1));
                self.document(&origin, document)
            }
            Job::File { origin, path } => self.document(&origin, read_evidence(&path)),
            Job::Read { origin, document } => self.document(&origin, document),
            Job::Failed {
                origin,
                shown,
                record,
            } => self.failed(&origin, &shown, &record),
        }
    }

    /// One document read: evaluated, or reported as unreadable.
    fn document(&self, origin: &Origin, document: Result<Document, ReadError>) -> Done {
        let document = match document {
            Ok(document) => document,
            Err(e) => {
                let (shown, record) = unreadable(&origin.name, &e);
                return self.failed(origin, &shown, &record);
            }
        };
        let mut warnings = self.duplicates(&origin.name, &document);
        let evidence = document.value();
        if let Some(output) = self.validation {
            let departures = conduct::tools::validate::validate(self.pack, evidence);
            warnings.extend(departure_lines(&departures, origin, output));
        }
        // Values the reader replaced (`1e400`, nesting too deep) are invalid where read.
        let report = if document.replaced().is_empty() {
            self.pack.evaluate(evidence, self.options)
        } else {
            let options = self.options.clone().replaced(document.replaced());
            self.pack.evaluate(evidence, &options)
        };
        if let Some(format) = self.completion_check {
            let options = self.options.clone().replaced(document.replaced());
            let found: Vec<_> =
                conduct::tools::completion::check_report(self.pack, evidence, &options, &report)
                    .iter()
                    .filter_map(|c| c.warning(self.pack, &origin.label()))
                    .collect();
            warnings.extend(diagnostic_lines(&found, format));
        }
        let piece = self.render.report(&report, origin);
        Done {
            warnings,
            exit: report_exit(&report),
            piece,
        }
    }

    /// A document that could not be read: the message for stderr, a record in JSON output.
    fn failed(&self, origin: &Origin, message: &str, record: &str) -> Done {
        Done {
            warnings: vec![format!("error: {message}")],
            exit: Exit::BadInput,
            piece: self.render.error(origin, record),
        }
    }

    /// The warnings about keys the document gives twice.
    fn duplicates(&self, name: &str, document: &Document) -> Vec<String> {
        if self.quiet {
            return Vec::new();
        }
        let mut lines: Vec<String> = document
            .duplicate_keys()
            .iter()
            .map(|d| format!("warning: {name}: {d}"))
            .collect();
        let more = document.more_duplicate_keys();
        if more > 0 {
            lines.push(format!("warning: {name}: {more} more duplicate keys"));
        }
        lines
    }
}

/// The writing end of a `check` run: the results in input order (on one thread of the batch's
/// pool, one at a time), the exit code of them all.
struct Writer<W: Write> {
    sink: Sink,
    out: W,
    exit: Exit,
}

impl<W: Write> Writer<W> {
    /// The one place where each document's result comes out, in input order (whatever the
    /// number of jobs): its lines on standard error, then its output, and its exit code. What
    /// else needs the documents in order (e.g. a summary) takes them here, from `Done`; a
    /// report is best reduced to what is needed in `Worker::document` and dropped there, on
    /// the thread that made it (freeing its many small blocks on another thread makes the
    /// threads contend in the allocator).
    fn emit(&mut self, done: Done) -> io::Result<()> {
        for line in &done.warnings {
            warn_line(line);
        }
        self.exit = self.exit.worse(done.exit);
        self.sink.write(&mut self.out, done.piece?)
    }
}

/// Diagnostics as the lines `print_warnings` prints them: rendered, or one JSON array.
fn diagnostic_lines(found: &[conduct::Diagnostic], format: ErrorFormat) -> Vec<String> {
    if found.is_empty() {
        return Vec::new();
    }
    match format {
        ErrorFormat::Text => {
            let rendered: Vec<String> = found.iter().map(ToString::to_string).collect();
            vec![rendered.join("\n\n")]
        }
        ErrorFormat::Json => vec![
            serde_json::to_string_pretty(found)
                .unwrap_or_else(|e| format!("error: cannot serialize diagnostics: {e}")),
        ],
    }
}
