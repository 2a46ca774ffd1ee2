//! `conduct check`: a pack and evidence documents in, one report per document out (text, JSON
//! or NDJSON) and the most severe exit code of them all. Reading the inputs is here; where
//! reports and records go is `output`.

mod output;

use std::ffi::OsStr;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use conduct::pack::evidence::{self, Document, MAX_DOCUMENT_BYTES, ReadError};
use conduct::{Options, Report, RulePack, Verdict};

use self::output::{Sink, ValidationOutput, print_departures};
use crate::common::{
    ErrorFormat, EvalArgs, Exit, Failure, finish, input_name, is_stdin, load_pack, print_warnings,
    read_evidence, unreadable, warn_line,
};

const EXAMPLES: &str = "\
Examples:
  conduct check rules/regions examples/example-evidence.json --format json
  conduct check rules/regions suppliers.ndjson --as-of 2024-10-31 --format ndjson
  conduct check --validate rules/regions examples/supplier-with-gaps.json
  cat evidence.json | conduct check rules/regions - --lang sv --param reporting_deadline_days=10

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

    /// Evidence: JSON files, `-` for standard input, or `.ndjson` files of one document a line.
    #[arg(required = true)]
    evidence: Vec<PathBuf>,

    /// Output format: text for people, json for programs, ndjson for one compact report a line.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,

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
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
    Ndjson,
}

/// `conduct check`: the whole command.
pub fn run(args: &CheckArgs) -> Exit {
    finish(check(args), args.error_format)
}

fn check(args: &CheckArgs) -> Result<Exit, Failure> {
    let pack = load_pack(&args.pack)?;
    if !args.quiet {
        print_warnings(pack.warnings(), args.error_format);
    }
    let options = args.eval.options(&pack)?;

    let inputs: Vec<Input> = args
        .evidence
        .iter()
        .map(|p| Input::new(p, args.format))
        .collect();
    // The output's shape follows the command line, never the data: several inputs or any
    // line-per-document input give a list (JSON array, labelled text reports).
    let several = inputs.len() > 1 || inputs.iter().any(|i| i.lines);
    let mut run = Run {
        pack: &pack,
        options: &options,
        quiet: args.quiet,
        validation: args.validate.then_some(if args.format == Format::Text {
            ValidationOutput::Text { several }
        } else {
            ValidationOutput::Json
        }),
        sink: Sink::new(args.format, several),
        out: io::stdout().lock(),
        exit: Exit::Compliant,
    };
    run.all(&inputs).map_err(|e| Failure::output(&e))?;
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

/// One evidence argument.
struct Input {
    /// The path as given; `-` is standard input.
    path: PathBuf,
    /// How it is named in messages.
    name: String,
    /// One document a line (`.ndjson`, or any input with `--format ndjson`).
    lines: bool,
}

impl Input {
    fn new(path: &Path, format: Format) -> Input {
        let ndjson_file = path
            .extension()
            .and_then(OsStr::to_str)
            .is_some_and(|e| e.eq_ignore_ascii_case("ndjson"));
        Input {
            path: path.to_path_buf(),
            name: input_name(path),
            lines: format == Format::Ndjson || ndjson_file,
        }
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
    sink: Sink,
    out: W,
    exit: Exit,
}

impl<W: Write> Run<'_, W> {
    fn all(&mut self, inputs: &[Input]) -> io::Result<()> {
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
    fn whole(&mut self, input: &Input) -> io::Result<()> {
        let origin = Origin {
            name: &input.name,
            line: None,
        };
        let document = read_evidence(&input.path);
        self.document(input, &origin, document)
    }

    /// An input of one document a line, read with constant memory; blank lines are skipped.
    fn lines(&mut self, input: &Input) -> io::Result<()> {
        let reader: Box<dyn BufRead> = if is_stdin(&input.path) {
            Box::new(io::stdin().lock())
        } else {
            match File::open(&input.path) {
                Ok(file) => Box::new(BufReader::new(file)),
                Err(e) => {
                    let origin = Origin {
                        name: &input.name,
                        line: None,
                    };
                    return self.document(input, &origin, Err(ReadError::Io(e)));
                }
            }
        };
        self.read_lines(input, reader)
    }

    fn read_lines(&mut self, input: &Input, mut reader: Box<dyn BufRead>) -> io::Result<()> {
        let mut buf = Vec::new();
        let mut line_no: u64 = 0;
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
                Ok((0, _)) => return Ok(()),
                Ok((_, overlong)) => overlong,
                Err(e) => {
                    let origin = Origin {
                        name: &input.name,
                        line: Some(line_no + 1),
                    };
                    let message = format!("cannot read {} after line {line_no}: {e}", input.name);
                    return self.unreadable(&origin, &message, &e.to_string());
                }
            };
            line_no += 1;
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let origin = Origin {
                name: &input.name,
                line: Some(line_no),
            };
            if overlong {
                let message = ReadError::TooLarge {
                    limit: MAX_DOCUMENT_BYTES,
                }
                .to_string();
                let shown = format!("{}: line {line_no}: {message}", input.name);
                self.unreadable(&origin, &shown, &message)?;
                continue;
            }
            let doc = buf.strip_suffix(b"\n").unwrap_or(&buf);
            let doc = doc.strip_suffix(b"\r").unwrap_or(doc);
            self.document(input, &origin, evidence::parse(doc, line_no))?;
        }
    }

    /// One document read: evaluated, or reported as unreadable.
    fn document(
        &mut self,
        input: &Input,
        origin: &Origin<'_>,
        document: Result<Document, ReadError>,
    ) -> io::Result<()> {
        match document {
            Ok(document) => {
                self.warn_duplicates(&input.name, &document);
                self.evaluate(document.value(), origin)
            }
            Err(e) => {
                let (shown, record) = unreadable(&input.name, &e);
                self.unreadable(origin, &shown, &record)
            }
        }
    }

    fn evaluate(&mut self, evidence: &serde_json::Value, origin: &Origin<'_>) -> io::Result<()> {
        if let Some(output) = self.validation {
            print_departures(
                &conduct::tools::validate::validate(self.pack, evidence),
                origin,
                output,
            );
        }
        let report = self.pack.evaluate(evidence, self.options);
        self.exit = self.exit.worse(report_exit(&report));
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
