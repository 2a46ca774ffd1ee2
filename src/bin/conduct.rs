//! The `conduct` command line: compiles a rule pack, evaluates suppliers' evidence against it
//! and prints the reports for people (text) or programs (JSON, NDJSON).
//!
//! Exit codes are a public contract (see `report.md`): `0` compliant, `1` at least one
//! violation, `2` no violation but insufficient evidence or an evaluation error, `3` the rules do
//! not compile, the evidence is not readable JSON, or the command line is wrong. With several
//! documents the most severe wins, in the order `3 > 1 > 2 > 0`.
//!
//! `conduct test` runs a pack's fixtures (`<PACK>/tests/`): `0` every fixture passes, `1` at
//! least one fails, `3` the rules do not compile, the tests folder cannot be read or a fixture
//! is malformed (one line on stderr with the file, line and column).
//!
//! `conduct fmt` writes rule files in the canonical layout: `0` done (or, with `--check`,
//! nothing would change), `1` with `--check` some file would change, `3` a file cannot be read
//! or written or does not parse.
//!
//! `conduct requirements` (the evidence fields each clause reads) and `conduct doc` (a reference
//! of the pack) exit `0` when written and `3` when the rules do not compile, a `--clause` is
//! unknown, the output cannot be written or the command line is wrong.

use std::collections::HashSet;
use std::ffi::OsStr;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use conduct::format::FormatError;
use conduct::report::Date;
use conduct::testing::{ClauseCoverage, FixtureResult, TESTS_DIR, TestRun, run_tests};
use conduct::{Diagnostic, Error, Options, Outcome, Report, RulePack, Status, Verdict, Violation};
use serde::Serialize;

/// Every clause compliant or not applicable.
const EXIT_COMPLIANT: u8 = 0;
/// At least one violation.
const EXIT_VIOLATED: u8 = 1;
/// No violation, but insufficient evidence or an evaluation error.
const EXIT_INCOMPLETE: u8 = 2;
/// The rules do not compile, the evidence is not readable JSON, or the command line is wrong.
const EXIT_INPUT: u8 = 3;

/// The `format` of the error records that stand in for an unreadable document in JSON output.
const ERROR_FORMAT: &str = "conduct-error/1";

/// The largest evidence document read (a file, standard input, or one line of NDJSON), so that
/// a runaway input cannot exhaust memory.
const MAX_DOCUMENT_BYTES: u64 = 128 * 1024 * 1024;

/// At most this many duplicate-key warnings are printed for one evidence document.
const MAX_DUPLICATE_WARNINGS: usize = 10;

const MAIN_EXAMPLES: &str = "\
Examples:
  conduct check rules/regions examples/example-evidence.json
  conduct check rules/regions examples/example-evidence.json --format json
  conduct test rules/regions --coverage
  conduct fmt --check rules/regions
  conduct explain rules/regions examples/example-evidence.json working_hours.weekly_limit
  conduct requirements rules/regions --clause child_labour.minimum_age
  conduct doc rules/regions --format html -o regions.html

Exit codes: 0 compliant, 1 at least one violation, 2 insufficient evidence or an evaluation error,
3 the rules do not compile, the evidence is not readable JSON, or the command line is wrong.";

const CHECK_EXAMPLES: &str = "\
Examples:
  conduct check rules/regions examples/example-evidence.json --format json
  conduct check rules/regions suppliers.ndjson --as-of 2024-10-31 --format ndjson
  conduct check --validate rules/regions examples/supplier-with-gaps.json
  cat evidence.json | conduct check rules/regions - --lang sv --param reporting_deadline_days=10

Exit codes: 0 every clause compliant or not applicable, 1 at least one violation, 2 no violation
but insufficient evidence or an evaluation error, 3 the rules do not compile, the evidence is not
readable JSON, or the command line is wrong. With several documents the most severe code wins
(3, then 1, then 2, then 0).";

const TEST_EXAMPLES: &str = "\
Examples:
  conduct test rules/regions
  conduct test rules/regions --coverage
  conduct test rules/regions --format junit > conduct-tests.xml
  conduct test rules/regions --coverage --format json

Fixtures are the JSON files under <PACK>/tests/, usually <PACK>/tests/<clause_id>/<scenario>.json:
  { \"description\": \"...\", \"as_of\": \"2024-10-31\", \"evidence\": { ... },
    \"expect\": { \"<clause_id>\": { \"status\": \"violated\", \"severity\": \"major\",
                                \"paths\": [\"/workers/0/hours\"] } } }
In expect only status is required; severity (null for none), remediated, paths, missing and
invalid are checked when given.

Exit codes: 0 every fixture passes, 1 at least one fixture fails, 3 the rules do not compile,
the tests folder cannot be read, a fixture is malformed, or the command line is wrong.";

/// Check suppliers' evidence against a supplier code of conduct written as rule files.
#[derive(Debug, Parser)]
#[command(name = "conduct", version, about, after_help = MAIN_EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Evaluate evidence documents against a rule pack and print one report per document.
    #[command(after_help = CHECK_EXAMPLES)]
    Check(CheckArgs),
    /// Run a pack's test fixtures (`<PACK>/tests/**/*.json`) and report pass/fail and coverage.
    #[command(after_help = TEST_EXAMPLES)]
    Test(TestArgs),
    /// Rewrite rule files in the canonical layout, keeping comments; `--check` only lists the
    /// files that would change.
    #[command(after_help = FMT_EXAMPLES)]
    Fmt(FmtArgs),
    /// List the evidence fields each clause reads, required or supporting: a checklist to send a
    /// supplier.
    #[command(after_help = REQUIREMENTS_EXAMPLES)]
    Requirements(RequirementsArgs),
    /// Write a reference of the pack for procurement officers: clauses, references, severities,
    /// deadlines, parameters and country tables with their sources.
    #[command(after_help = DOC_EXAMPLES)]
    Doc(DocArgs),
    /// Explain one clause's outcome for one evidence document: each requirement, the items it
    /// ran over, the values read with their paths, the bounds computed and the severity chosen.
    #[command(after_help = EXPLAIN_EXAMPLES)]
    Explain(ExplainArgs),
}

const FMT_EXAMPLES: &str = "\
Examples:
  conduct fmt rules/regions
  conduct fmt --check rules/regions
  conduct fmt --diff rules/regions/wages.conduct
  conduct fmt - < clause.conduct

One layout for every rule file: two-space indentation, metadata in a fixed order (title,
references, severity, applies when, remediation, remedied when; message before severity in a
requirement), texts of several languages aligned, expressions broken before `and`, `or`, `??`
and `else` when they pass 100 columns. Comments, single blank lines and parentheses are kept.
A file is written only when all of it formatted, through a temporary file renamed over it.

Exit codes: 0 formatted (with --check or --diff: nothing would change), 1 with --check or --diff:
some file would change (each is named, or its diff printed, on standard output), 3 a file cannot
be read or written, does not parse, or the command line is wrong.";

#[derive(Debug, clap::Args)]
struct FmtArgs {
    /// Rule files, or folders whose `*.conduct` files (sub-folders included) are formatted;
    /// `-` reads standard input and writes the result to standard output.
    #[arg(required = true)]
    paths: Vec<PathBuf>,

    /// Write nothing: name each file whose layout would change, and exit 1 if there is one.
    #[arg(long)]
    check: bool,

    /// Write nothing: print what would change as a unified diff, and exit 1 if anything would.
    #[arg(long, conflicts_with = "check")]
    diff: bool,

    /// Format of syntax errors on standard error.
    #[arg(long, value_enum, default_value_t = ErrorFormat::Text)]
    error_format: ErrorFormat,
}

const REQUIREMENTS_EXAMPLES: &str = "\
Examples:
  conduct requirements rules/regions
  conduct requirements rules/regions --clause child_labour.minimum_age --lang sv
  conduct requirements rules/regions --format json > requirements.json

A field is a JSON Pointer into the evidence, `*` for every item of a list. Required fields are
read where the clause decides (conditions, `where` filters, `applies when`, `insufficient
unless`); supporting ones only with a fallback (left of `??`), in `exists`/`known`, severity
cases, messages or remediation.

Exit codes: 0 the checklist is written, 3 the rules do not compile, the clause is unknown, or the
command line is wrong.";

const DOC_EXAMPLES: &str = "\
Examples:
  conduct doc rules/regions > regions.md
  conduct doc rules/regions --format html --lang sv -o regions.html

Exit codes: 0 the reference is written, 3 the rules do not compile, the output file cannot be
written, or the command line is wrong.";

#[derive(Debug, clap::Args)]
struct RequirementsArgs {
    /// A rule file, or a pack folder whose root file is `pack.conduct`.
    pack: PathBuf,

    /// Only this clause.
    #[arg(long, value_name = "ID")]
    clause: Option<String>,

    /// Output format: a Markdown checklist, or JSON for programs.
    #[arg(long, value_enum, default_value_t = RequirementsFormat::Markdown)]
    format: RequirementsFormat,

    /// Language of clause titles and headings.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    lang: Lang,

    /// Format of compile diagnostics on standard error.
    #[arg(long, value_enum, default_value_t = ErrorFormat::Text)]
    error_format: ErrorFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum RequirementsFormat {
    Markdown,
    Json,
}

#[derive(Debug, clap::Args)]
struct DocArgs {
    /// A rule file, or a pack folder whose root file is `pack.conduct`.
    pack: PathBuf,

    /// Output format: Markdown, or one self-contained HTML page.
    #[arg(long, value_enum, default_value_t = DocFormat::Markdown)]
    format: DocFormat,

    /// Language of clause titles and headings.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    lang: Lang,

    /// Write to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Format of compile diagnostics on standard error.
    #[arg(long, value_enum, default_value_t = ErrorFormat::Text)]
    error_format: ErrorFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum DocFormat {
    Markdown,
    Html,
}

#[derive(Debug, clap::Args)]
struct TestArgs {
    /// A pack folder (fixtures in `<PACK>/tests/`), or a rule file (fixtures in `tests/` beside it).
    pack: PathBuf,

    /// Also show, for each clause of the pack, which statuses some fixture expects.
    #[arg(long)]
    coverage: bool,

    /// Output format: text for people, json for programs, junit for CI test reports.
    #[arg(long, value_enum, default_value_t = TestFormat::Text)]
    format: TestFormat,

    /// Format of compile diagnostics on standard error.
    #[arg(long, value_enum, default_value_t = ErrorFormat::Text)]
    error_format: ErrorFormat,

    /// Do not print warnings (compile warnings, clauses no fixture covers).
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum TestFormat {
    Text,
    Json,
    Junit,
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Lang {
    En,
    Sv,
}

impl Lang {
    fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Sv => "sv",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ErrorFormat {
    Text,
    Json,
}

fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text).ok_or_else(|| format!("`{text}` is not a date in the form YYYY-MM-DD"))
}

/// How an evaluation runs: `--as-of`, `--lang`, `--param` (for `check` and `explain`).
#[derive(Debug, clap::Args)]
struct EvalArgs {
    /// Evaluate on this date (YYYY-MM-DD) instead of the one the pack reads from the evidence.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    as_of: Option<Date>,

    /// Language of messages and titles.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    lang: Lang,

    /// Override a pack parameter (repeatable), e.g. `--param max_weekly_hours=48`.
    #[arg(long = "param", value_name = "NAME=VALUE", value_parser = parse_param)]
    params: Vec<(String, String)>,
}

impl EvalArgs {
    /// The evaluation options; a parameter the pack does not have, or a value not of its
    /// type, is printed and is the exit code.
    fn options(&self, pack: &RulePack) -> Result<Options, u8> {
        let mut options = Options::default().language(self.lang.code());
        if let Some(date) = self.as_of {
            options = options.as_of(date);
        }
        for (name, value) in &self.params {
            options = options.param(name, value);
        }
        match pack.check_options(&options) {
            Ok(()) => Ok(options),
            Err(e) => {
                warn_line(&format!("error: {e}"));
                Err(EXIT_INPUT)
            }
        }
    }
}

fn parse_param(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_string(), value.to_string()))
        }
        _ => Err(format!("`{text}` is not of the form NAME=VALUE")),
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout and succeed; every other error is a usage error.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                EXIT_INPUT
            } else {
                EXIT_COMPLIANT
            });
        }
    };
    let code = match cli.command {
        Command::Check(args) => check(&args),
        Command::Test(args) => test(&args),
        Command::Fmt(args) => fmt(&args),
        Command::Requirements(args) => requirements(&args),
        Command::Doc(args) => doc(&args),
        Command::Explain(args) => explain(&args),
    };
    ExitCode::from(code)
}

/// Reads a document from a file, or standard input for `None`: at most one byte more than
/// [`MAX_DOCUMENT_BYTES`], so that the caller can tell a document that is too large.
fn read_capped(path: Option<&Path>) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    match path {
        Some(path) => File::open(path)?
            .take(MAX_DOCUMENT_BYTES + 1)
            .read_to_end(&mut bytes)?,
        None => io::stdin()
            .lock()
            .take(MAX_DOCUMENT_BYTES + 1)
            .read_to_end(&mut bytes)?,
    };
    Ok(bytes)
}

/// Prints one line on standard error; a closed standard error is not worth a panic.
fn warn_line(text: &str) {
    let _ = writeln!(io::stderr().lock(), "{text}");
}

/// Prints diagnostics on standard error, rendered or as a JSON array.
fn print_diagnostics(diagnostics: &[Diagnostic], rendered: &str, format: ErrorFormat) {
    match format {
        ErrorFormat::Text => warn_line(rendered),
        ErrorFormat::Json => match serde_json::to_string_pretty(diagnostics) {
            Ok(json) => warn_line(&json),
            Err(e) => warn_line(&format!("error: cannot serialize diagnostics: {e}")),
        },
    }
}

/// `conduct check`: the whole command; returns the exit code.
fn check(args: &CheckArgs) -> u8 {
    let pack = match load_quietly(&args.pack, args.error_format) {
        Ok(pack) => pack,
        Err(code) => return code,
    };
    if !args.quiet && !pack.warnings().is_empty() {
        let rendered: Vec<String> = pack.warnings().iter().map(ToString::to_string).collect();
        print_diagnostics(pack.warnings(), &rendered.join("\n\n"), args.error_format);
    }
    let options = match args.eval.options(&pack) {
        Ok(options) => options,
        Err(code) => return code,
    };

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
        code: EXIT_COMPLIANT,
    };
    let result = run.all(&inputs);
    match result {
        Ok(()) => run.code,
        Err(e) => {
            if e.kind() != io::ErrorKind::BrokenPipe {
                warn_line(&format!("error: cannot write the output: {e}"));
            }
            EXIT_INPUT
        }
    }
}

/// The more severe of two exit codes: `3 > 1 > 2 > 0`.
fn worse(a: u8, b: u8) -> u8 {
    let rank = |c: u8| match c {
        EXIT_COMPLIANT => 0,
        EXIT_INCOMPLETE => 1,
        EXIT_VIOLATED => 2,
        _ => 3,
    };
    if rank(b) > rank(a) { b } else { a }
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
        let stdin = path.as_os_str() == "-";
        let ndjson_file = path
            .extension()
            .and_then(OsStr::to_str)
            .is_some_and(|e| e.eq_ignore_ascii_case("ndjson"));
        Input {
            path: path.to_path_buf(),
            name: if stdin {
                "<stdin>".to_string()
            } else {
                path.display().to_string()
            },
            lines: format == Format::Ndjson || ndjson_file,
        }
    }

    fn is_stdin(&self) -> bool {
        self.path.as_os_str() == "-"
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
enum Sink {
    /// Text for people; several reports are labelled and separated by a blank line.
    Text { several: bool, count: usize },
    /// One pretty report, or a JSON array streamed element by element.
    Json { several: bool, count: usize },
    /// One compact report a line.
    Ndjson,
}

impl Sink {
    fn new(format: Format, several: bool) -> Sink {
        match format {
            Format::Text => Sink::Text { several, count: 0 },
            Format::Json => Sink::Json { several, count: 0 },
            Format::Ndjson => Sink::Ndjson,
        }
    }

    fn report(
        &mut self,
        out: &mut impl Write,
        report: &Report,
        origin: &Origin<'_>,
    ) -> io::Result<()> {
        match self {
            Sink::Text { several, count } => {
                let mut text = String::new();
                if *count > 0 {
                    text.push('\n');
                }
                text.push_str(&render_text(report, several.then_some(origin)));
                *count += 1;
                out.write_all(text.as_bytes())
            }
            Sink::Json { several, count } => {
                let json = serde_json::to_string_pretty(report).map_err(io::Error::other)?;
                Sink::json_element(out, *several, count, &json)
            }
            Sink::Ndjson => {
                let json = serde_json::to_string(report).map_err(io::Error::other)?;
                writeln!(out, "{json}")
            }
        }
    }

    /// Records a document that could not be read (the message itself goes to stderr).
    fn error(
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
            Sink::Text { .. } | Sink::Json { several: false, .. } => Ok(()),
            Sink::Json {
                several: true,
                count,
            } => {
                let json = serde_json::to_string_pretty(&record).map_err(io::Error::other)?;
                Sink::json_element(out, true, count, &json)
            }
            Sink::Ndjson => {
                let json = serde_json::to_string(&record).map_err(io::Error::other)?;
                writeln!(out, "{json}")
            }
        }
    }

    /// Writes one element; in a list, exactly as `serde_json::to_string_pretty` lays out an array.
    fn json_element(
        out: &mut impl Write,
        several: bool,
        count: &mut usize,
        json: &str,
    ) -> io::Result<()> {
        let mut text = String::with_capacity(json.len() + json.len() / 8 + 4);
        if several {
            text.push_str(if *count == 0 { "[\n" } else { ",\n" });
            for (i, line) in json.lines().enumerate() {
                if i > 0 {
                    text.push('\n');
                }
                text.push_str("  ");
                text.push_str(line);
            }
        } else {
            text.push_str(json);
            text.push('\n');
        }
        *count += 1;
        out.write_all(text.as_bytes())
    }

    fn finish(&mut self, out: &mut impl Write) -> io::Result<()> {
        match self {
            Sink::Json {
                several: true,
                count: 0,
            } => writeln!(out, "[]"),
            Sink::Json { several: true, .. } => writeln!(out, "\n]"),
            _ => Ok(()),
        }?;
        out.flush()
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
    code: u8,
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
        let bytes = match read_capped((!input.is_stdin()).then_some(input.path.as_path())) {
            Ok(bytes) => bytes,
            Err(e) => {
                return self.unreadable(
                    &origin,
                    &format!("cannot read {}: {e}", input.name),
                    &e.to_string(),
                );
            }
        };
        if bytes.len() as u64 > MAX_DOCUMENT_BYTES {
            let message = too_large();
            return self.unreadable(&origin, &format!("{}: {message}", input.name), &message);
        }
        match parse_document(&bytes, 1) {
            Ok((evidence, duplicates)) => {
                self.warn_duplicates(&input.name, &duplicates);
                self.evaluate(&evidence, &origin)
            }
            Err(message) => {
                self.unreadable(&origin, &format!("{}: {message}", input.name), &message)
            }
        }
    }

    /// An input of one document a line, read with constant memory; blank lines are skipped.
    fn lines(&mut self, input: &Input) -> io::Result<()> {
        let reader: Box<dyn BufRead> = if input.is_stdin() {
            Box::new(io::stdin().lock())
        } else {
            match File::open(&input.path) {
                Ok(file) => Box::new(BufReader::new(file)),
                Err(e) => {
                    let origin = Origin {
                        name: &input.name,
                        line: None,
                    };
                    return self.unreadable(
                        &origin,
                        &format!("cannot read {}: {e}", input.name),
                        &e.to_string(),
                    );
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
                let message = too_large();
                let shown = format!("{}: line {line_no}: {message}", input.name);
                self.unreadable(&origin, &shown, &message)?;
                continue;
            }
            let doc = buf.strip_suffix(b"\n").unwrap_or(&buf);
            let doc = doc.strip_suffix(b"\r").unwrap_or(doc);
            match parse_document(doc, line_no) {
                Ok((evidence, duplicates)) => {
                    self.warn_duplicates(&input.name, &duplicates);
                    self.evaluate(&evidence, &origin)?;
                }
                Err(message) => {
                    self.unreadable(&origin, &format!("{}: {message}", input.name), &message)?;
                }
            }
        }
    }

    fn evaluate(&mut self, evidence: &serde_json::Value, origin: &Origin<'_>) -> io::Result<()> {
        if let Some(output) = self.validation {
            print_departures(
                &conduct::validate::validate(self.pack, evidence),
                origin,
                output,
            );
        }
        let report = self.pack.evaluate(evidence, self.options);
        self.code = worse(self.code, report_code(&report));
        self.sink.report(&mut self.out, &report, origin)
    }

    /// A document that could not be read: the message on stderr, a record in JSON output.
    fn unreadable(&mut self, origin: &Origin<'_>, message: &str, record: &str) -> io::Result<()> {
        self.code = EXIT_INPUT;
        warn_line(&format!("error: {message}"));
        self.sink.error(&mut self.out, origin, record)
    }

    fn warn_duplicates(&self, name: &str, duplicates: &Duplicates) {
        if self.quiet {
            return;
        }
        for d in &duplicates.found {
            let key = serde_json::to_string(&d.key).unwrap_or_default();
            warn_line(&format!(
                "warning: {name}: duplicate key {key} at line {} column {}; the last value is used",
                d.line, d.column
            ));
        }
        if duplicates.more > 0 {
            warn_line(&format!(
                "warning: {name}: {} more duplicate keys",
                duplicates.more
            ));
        }
    }
}

/// The `format` of the JSON lines that list departures from the declared evidence shape.
const VALIDATION_FORMAT: &str = "conduct-validation/1";

/// How `--validate` prints departures (always on standard error).
#[derive(Clone, Copy, Debug)]
enum ValidationOutput {
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
fn print_departures(
    departures: &[conduct::validate::Departure],
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

fn too_large() -> String {
    format!(
        "the document is larger than the limit of {} MiB",
        MAX_DOCUMENT_BYTES / (1024 * 1024)
    )
}

/// The exit code of one report.
fn report_code(report: &Report) -> u8 {
    match report.verdict {
        Verdict::Compliant => EXIT_COMPLIANT,
        Verdict::NonCompliant => EXIT_VIOLATED,
        Verdict::Incomplete => EXIT_INCOMPLETE,
    }
}

/// Reads one evidence document: UTF-8, JSON, an object. `first_line` is the line of the
/// input the bytes start on (for line-per-document input). The error has no file name.
fn parse_document(
    bytes: &[u8],
    first_line: u64,
) -> Result<(serde_json::Value, Duplicates), String> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let at = e.valid_up_to();
            let before = bytes.get(..at).unwrap_or_default();
            let line = first_line + count_newlines(before);
            // The bytes before `at` are valid UTF-8: count the column in characters.
            let line_start = before
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |i| i + 1);
            let column = std::str::from_utf8(before.get(line_start..).unwrap_or_default())
                .map_or(0, |s| s.chars().count())
                + 1;
            return Err(format!(
                "invalid UTF-8 at byte {at} (line {line} column {column})"
            ));
        }
    };
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let evidence: serde_json::Value =
        serde_json::from_str(text).map_err(|e| json_error(&e, first_line))?;
    if !evidence.is_object() {
        return Err(format!(
            "the evidence must be a JSON object, found {}{}",
            json_kind(&evidence),
            if evidence.is_array() {
                " (give several documents one a line in an .ndjson file)"
            } else {
                ""
            }
        ));
    }
    Ok((evidence, duplicate_keys(text, first_line)))
}

fn count_newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|b| **b == b'\n').count() as u64
}

/// `serde_json`'s message with the line shifted to the input's numbering.
fn json_error(e: &serde_json::Error, first_line: u64) -> String {
    if first_line == 1 || e.line() == 0 {
        return e.to_string();
    }
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = full.strip_suffix(&suffix).unwrap_or(&full);
    let line = first_line + e.line() as u64 - 1;
    format!("{message} at line {line} column {}", e.column())
}

fn json_kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// Duplicate keys of JSON objects, which `serde_json` silently collapses (the last value wins).
#[derive(Debug, Default)]
struct Duplicates {
    found: Vec<Duplicate>,
    /// Duplicates beyond [`MAX_DUPLICATE_WARNINGS`].
    more: usize,
}

#[derive(Debug)]
struct Duplicate {
    key: String,
    line: u64,
    /// 1-based, in characters.
    column: u64,
}

enum Frame {
    Object {
        keys: HashSet<String>,
        expect_key: bool,
    },
    Array,
}

/// Scans JSON text that `serde_json` has already accepted for keys given twice in one object.
/// Keys are compared after unescaping (`"a"` and `"\u0061"` are the same key).
fn duplicate_keys(text: &str, first_line: u64) -> Duplicates {
    let mut duplicates = Duplicates::default();
    let mut stack: Vec<Frame> = Vec::new();
    let mut line = first_line;
    let mut column: u64 = 0;
    let mut chars = text.char_indices();
    while let Some((start, c)) = chars.next() {
        column += 1;
        match c {
            '\n' => {
                line += 1;
                column = 0;
            }
            '{' => stack.push(Frame::Object {
                keys: HashSet::new(),
                expect_key: true,
            }),
            '[' => stack.push(Frame::Array),
            '}' | ']' => {
                stack.pop();
            }
            ',' => {
                if let Some(Frame::Object { expect_key, .. }) = stack.last_mut() {
                    *expect_key = true;
                }
            }
            '"' => {
                let (key_line, key_column) = (line, column);
                let mut escaped = false;
                let mut has_escape = false;
                let mut end = None;
                for (i, d) in chars.by_ref() {
                    column += 1;
                    if escaped {
                        escaped = false;
                    } else if d == '\\' {
                        escaped = true;
                        has_escape = true;
                    } else if d == '"' {
                        end = Some(i);
                        break;
                    }
                }
                let Some(end) = end else { break };
                if let Some(Frame::Object { keys, expect_key }) = stack.last_mut()
                    && *expect_key
                {
                    *expect_key = false;
                    let raw = text.get(start + 1..end).unwrap_or_default();
                    let key = if has_escape {
                        let quoted = text.get(start..=end).unwrap_or_default();
                        serde_json::from_str::<String>(quoted).unwrap_or_else(|_| raw.to_string())
                    } else {
                        raw.to_string()
                    };
                    if !keys.contains(&key) {
                        keys.insert(key);
                    } else if duplicates.found.len() < MAX_DUPLICATE_WARNINGS {
                        duplicates.found.push(Duplicate {
                            key,
                            line: key_line,
                            column: key_column,
                        });
                    } else {
                        duplicates.more += 1;
                    }
                }
            }
            _ => {}
        }
    }
    duplicates
}

// ---------------------------------------------------------------------------------------------
// Text output
// ---------------------------------------------------------------------------------------------

/// The whole text report; `origin` labels it when several documents are printed.
fn render_text(report: &Report, origin: Option<&Origin<'_>>) -> String {
    let mut out = String::new();
    push_line(&mut out, &header_line(report));
    if let Some(origin) = origin {
        push_line(&mut out, &format!("input: {}", clean(&origin.label())));
    }
    if let Some(line) = subject_line(report) {
        push_line(&mut out, &line);
    }
    push_line(&mut out, &verdict_line(report));

    let mut violated: Vec<&Outcome> = report
        .outcomes
        .iter()
        .filter(|o| o.status == Status::Violated)
        .collect();
    // Stable: pack order within each severity.
    violated.sort_by_key(|o| std::cmp::Reverse(o.severity));
    let blocks = violated
        .into_iter()
        .chain(
            report
                .outcomes
                .iter()
                .filter(|o| o.status == Status::InsufficientEvidence),
        )
        .chain(report.outcomes.iter().filter(|o| o.status == Status::Error));
    for outcome in blocks {
        out.push('\n');
        out.push_str(&outcome_block(outcome));
    }

    let compliant = id_list(report, Status::Compliant);
    let not_applicable = id_list(report, Status::NotApplicable);
    if compliant.is_some() || not_applicable.is_some() {
        out.push('\n');
    }
    for (label, list) in [("compliant", compliant), ("not applicable", not_applicable)] {
        if let Some((count, ids)) = list {
            push_line(&mut out, &format!("{label} ({count}): {ids}"));
        }
    }
    out
}

fn push_line(out: &mut String, line: &str) {
    out.push_str(line);
    out.push('\n');
}

/// Replaces control and bidirectional-override characters so that evidence cannot rearrange
/// or recolour a terminal; line breaks and tabs become spaces.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{061C}' => '\u{FFFD}',
            c if c.is_control() => '\u{FFFD}',
            c => c,
        })
        .collect()
}

fn header_line(report: &Report) -> String {
    let pack = &report.pack;
    let edition = pack
        .edition
        .as_deref()
        .map(|e| format!(" {}", clean(e)))
        .unwrap_or_default();
    format!(
        "conduct · pack {}{edition} ({})",
        clean(&pack.name),
        clean(&pack.title)
    )
}

/// `subject: A · B · as of D`, or `as of D` alone; `None` when there is neither.
fn subject_line(report: &Report) -> Option<String> {
    let subject: Vec<String> = report
        .subject
        .values()
        .filter(|v| !v.is_null())
        .map(|v| match v {
            serde_json::Value::String(s) => clean(s),
            other => clean(&other.to_string()),
        })
        .collect();
    let as_of = report
        .as_of
        .as_deref()
        .map(|d| format!("as of {}", clean(d)));
    match (subject.is_empty(), as_of) {
        (true, None) => None,
        (true, Some(as_of)) => Some(as_of),
        (false, None) => Some(format!("subject: {}", subject.join(" · "))),
        (false, Some(as_of)) => Some(format!("subject: {} · {as_of}", subject.join(" · "))),
    }
}

fn verdict_line(report: &Report) -> String {
    let s = &report.summary;
    let verdict = match report.verdict {
        Verdict::Compliant => "COMPLIANT",
        Verdict::NonCompliant => "NON-COMPLIANT",
        Verdict::Incomplete => "INCOMPLETE",
    };
    let mut line = format!(
        "verdict: {verdict} — {} violated, {} insufficient evidence, {} compliant, {} not applicable, {} error{}",
        s.violated,
        s.insufficient_evidence,
        s.compliant,
        s.not_applicable,
        s.error,
        plural(s.error)
    );
    if s.violations > 0 {
        let by = &s.by_severity;
        let _ = write!(
            line,
            " ({} violation{}: {} critical, {} major, {} minor)",
            s.violations,
            plural(s.violations),
            by.critical,
            by.major,
            by.minor
        );
    }
    line
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// One violated, insufficient-evidence or error outcome.
fn outcome_block(outcome: &Outcome) -> String {
    let mut out = String::new();
    let status = match outcome.status {
        Status::Violated => "VIOLATED",
        Status::InsufficientEvidence => "INSUFFICIENT EVIDENCE",
        Status::Error => "ERROR",
        Status::Compliant => "COMPLIANT",
        Status::NotApplicable => "NOT APPLICABLE",
    };
    let severity = outcome
        .severity
        .map(|s| format!(" · {s}"))
        .unwrap_or_default();
    push_line(
        &mut out,
        &format!(
            "{status}{severity} · {} — {}",
            clean(&outcome.clause),
            clean(&outcome.title)
        ),
    );
    for (i, v) in outcome.violations.iter().enumerate() {
        out.push_str(&violation_lines(i + 1, v));
    }
    if outcome.truncated {
        push_line(
            &mut out,
            "  … more violations were found than the limit allows listing",
        );
    }
    for path in &outcome.missing {
        push_line(&mut out, &format!("  missing evidence: {}", pointer(path)));
    }
    for invalid in &outcome.invalid {
        push_line(
            &mut out,
            &format!(
                "  invalid evidence: {} — {}",
                pointer(&invalid.path),
                clean(&invalid.reason)
            ),
        );
    }
    if let Some(error) = &outcome.error {
        push_line(&mut out, &format!("  {}", clean(error)));
    }
    out
}

/// A JSON Pointer as shown to people; the empty pointer is the whole document.
fn pointer(path: &str) -> String {
    if path.is_empty() {
        "(the whole document)".to_string()
    } else {
        clean(path)
    }
}

/// `  1. message` and its indented details.
fn violation_lines(number: usize, v: &Violation) -> String {
    let mut out = String::new();
    let head = format!("  {number}. ");
    let indent = " ".repeat(head.chars().count());
    push_line(&mut out, &format!("{head}{}", clean(&v.message)));
    push_line(
        &mut out,
        &format!(
            "{indent}evidence: {} · found {} · required {}",
            pointer(&v.path),
            clean(&v.actual.to_string()),
            clean(&v.expected)
        ),
    );
    if let Some(remediation) = &v.remediation {
        let due = remediation
            .due
            .as_deref()
            .map(|d| format!(" — due {}", clean(d)))
            .unwrap_or_default();
        push_line(
            &mut out,
            &format!("{indent}remediation: {}{due}", clean(&remediation.action)),
        );
    }
    push_line(
        &mut out,
        &format!("{indent}rule: {}", clean(&v.rule.to_string())),
    );
    out
}

/// `(count, "a, b (remediated)")` for the clauses with this status; `None` when there are none.
fn id_list(report: &Report, status: Status) -> Option<(usize, String)> {
    let ids: Vec<String> = report
        .outcomes
        .iter()
        .filter(|o| o.status == status)
        .map(|o| {
            if o.remediated {
                format!("{} (remediated)", clean(&o.clause))
            } else {
                clean(&o.clause)
            }
        })
        .collect();
    if ids.is_empty() {
        None
    } else {
        Some((ids.len(), ids.join(", ")))
    }
}

// ---------------------------------------------------------------------------------------------
// `conduct test`
// ---------------------------------------------------------------------------------------------

/// `conduct test`: runs the pack's fixtures; returns the exit code.
fn test(args: &TestArgs) -> u8 {
    let pack = match load_quietly(&args.pack, args.error_format) {
        Ok(pack) => pack,
        Err(code) => return code,
    };
    if !args.quiet && !pack.warnings().is_empty() {
        let rendered: Vec<String> = pack.warnings().iter().map(ToString::to_string).collect();
        print_diagnostics(pack.warnings(), &rendered.join("\n\n"), args.error_format);
    }
    let dir = if args.pack.is_dir() {
        args.pack.join(TESTS_DIR)
    } else {
        args.pack
            .parent()
            .map_or_else(|| PathBuf::from(TESTS_DIR), |p| p.join(TESTS_DIR))
    };
    let run = match run_tests(&pack, &dir) {
        Ok(run) => run,
        Err(e) => {
            warn_line(&format!("error: {e}"));
            return EXIT_INPUT;
        }
    };
    if run.fixtures.is_empty() {
        warn_line(&format!(
            "error: no test fixtures (*.json) under `{}`",
            dir.display()
        ));
        return EXIT_INPUT;
    }
    let untested = run.untested(&pack);
    if !args.quiet && !untested.is_empty() {
        let rendered: Vec<String> = untested.iter().map(ToString::to_string).collect();
        print_diagnostics(&untested, &rendered.join("\n\n"), args.error_format);
    }
    let coverage = args.coverage.then(|| run.coverage(&pack));
    let output = match args.format {
        TestFormat::Text => Ok(test_text(&run, coverage.as_deref())),
        TestFormat::Json => test_json(&run, coverage.as_deref()),
        TestFormat::Junit => Ok(test_junit(&run)),
    };
    let written = output.and_then(|text| {
        let mut out = io::stdout().lock();
        out.write_all(text.as_bytes())?;
        out.flush()
    });
    if let Err(e) = written {
        if e.kind() != io::ErrorKind::BrokenPipe {
            warn_line(&format!("error: cannot write the output: {e}"));
        }
        return EXIT_INPUT;
    }
    let mut code = EXIT_COMPLIANT;
    for fixture in &run.fixtures {
        if let Some(line) = fixture.error_line() {
            warn_line(&format!("error: {}", clean(&line)));
            code = EXIT_INPUT;
        }
    }
    if code == EXIT_COMPLIANT && run.failed() > 0 {
        code = EXIT_VIOLATED;
    }
    code
}

/// The text output: each failing fixture with its diff, the summary line, the coverage table.
fn test_text(run: &TestRun, coverage: Option<&[ClauseCoverage]>) -> String {
    let mut out = String::new();
    for fixture in run.fixtures.iter().filter(|f| !f.passed()) {
        if let Some(line) = fixture.error_line() {
            push_line(&mut out, &format!("ERROR {}", clean(&line)));
            continue;
        }
        push_line(
            &mut out,
            &format!(
                "FAIL {} — {}",
                clean(&fixture.file),
                clean(&fixture.description)
            ),
        );
        for problem in &fixture.problems {
            push_line(&mut out, &format!("  {}", clean(problem)));
        }
        for clause in fixture.clauses.iter().filter(|c| !c.passed) {
            push_line(&mut out, &format!("  {}", clean(&clause.clause)));
            for line in &clause.diff {
                push_line(&mut out, &format!("    {}", clean(line)));
            }
        }
    }
    push_line(
        &mut out,
        &format!("{} passed, {} failed", run.passed(), run.failed()),
    );
    if let Some(coverage) = coverage {
        out.push('\n');
        out.push_str(&coverage_table(coverage));
    }
    out
}

/// The statuses of the coverage table, with their column headings.
const COVERAGE_COLUMNS: [(Status, &str); 5] = [
    (Status::Compliant, "compliant"),
    (Status::Violated, "violated"),
    (Status::InsufficientEvidence, "insufficient"),
    (Status::NotApplicable, "not_applicable"),
    (Status::Error, "error"),
];

/// `clause  compliant  violated  …` with `x` where some fixture expects the status.
fn coverage_table(coverage: &[ClauseCoverage]) -> String {
    let width = coverage
        .iter()
        .map(|c| c.clause.chars().count())
        .chain(std::iter::once("clause".len()))
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    let mut head = format!("{:<width$}", "clause");
    for (_, name) in COVERAGE_COLUMNS {
        let _ = write!(head, "  {name}");
    }
    head.push_str("  fixtures  severities");
    push_line(&mut out, &head);
    for clause in coverage {
        let mut line = format!("{:<width$}", clean(&clause.clause));
        for (status, name) in COVERAGE_COLUMNS {
            let mark = if clause.statuses.contains(&status) {
                "x"
            } else {
                "-"
            };
            let _ = write!(line, "  {mark:<w$}", w = name.len());
        }
        let severities: Vec<&str> = clause.severities.iter().map(|s| s.as_str()).collect();
        let _ = write!(line, "  {:<8}  {}", clause.fixtures, severities.join(", "));
        push_line(&mut out, line.trim_end());
    }
    let full = coverage
        .iter()
        .filter(|c| {
            [
                Status::Compliant,
                Status::Violated,
                Status::InsufficientEvidence,
            ]
            .iter()
            .all(|s| c.statuses.contains(s))
        })
        .count();
    push_line(
        &mut out,
        &format!(
            "{full} of {} clauses have compliant, violated and insufficient-evidence fixtures",
            coverage.len()
        ),
    );
    out
}

/// The JSON output: the run, its counts, and the coverage when asked for.
fn test_json(run: &TestRun, coverage: Option<&[ClauseCoverage]>) -> io::Result<String> {
    #[derive(Serialize)]
    struct Summary {
        passed: usize,
        failed: usize,
        errors: usize,
    }
    #[derive(Serialize)]
    struct Output<'a> {
        #[serde(flatten)]
        run: &'a TestRun,
        summary: Summary,
        #[serde(skip_serializing_if = "Option::is_none")]
        coverage: Option<&'a [ClauseCoverage]>,
    }
    let output = Output {
        run,
        summary: Summary {
            passed: run.passed(),
            failed: run.failed(),
            errors: run.errors(),
        },
        coverage,
    };
    let mut json = serde_json::to_string_pretty(&output).map_err(io::Error::other)?;
    json.push('\n');
    Ok(json)
}

/// Escapes text for an XML attribute or element; characters XML cannot hold become U+FFFD.
fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// One JUnit test case.
struct Case {
    classname: String,
    name: String,
    /// `("failure" | "error", message, body)`.
    outcome: Option<(&'static str, String, String)>,
}

/// The cases of one fixture: one per expected clause, and `(fixture)` for what concerns the
/// fixture as a whole (it is malformed, in the wrong folder, or another clause ended in error).
fn fixture_cases(fixture: &FixtureResult) -> Vec<Case> {
    let classname = fixture.file.clone();
    let whole = "(fixture)".to_string();
    if let Some(line) = fixture.error_line() {
        return vec![Case {
            classname,
            name: whole,
            outcome: Some(("error", line.clone(), line)),
        }];
    }
    let mut cases: Vec<Case> = fixture
        .clauses
        .iter()
        .map(|c| Case {
            classname: classname.clone(),
            name: c.clause.clone(),
            outcome: (!c.passed).then(|| {
                (
                    "failure",
                    c.diff.first().cloned().unwrap_or_default(),
                    format!("{}\n{}", fixture.description, c.diff.join("\n")),
                )
            }),
        })
        .collect();
    if !fixture.problems.is_empty() {
        cases.push(Case {
            classname,
            name: whole,
            outcome: Some((
                "failure",
                fixture.problems.first().cloned().unwrap_or_default(),
                format!("{}\n{}", fixture.description, fixture.problems.join("\n")),
            )),
        });
    }
    cases
}

/// The JUnit XML output: one `<testsuite>` for the pack, one `<testcase>` per fixture × clause.
fn test_junit(run: &TestRun) -> String {
    let cases: Vec<Case> = run.fixtures.iter().flat_map(fixture_cases).collect();
    let count = |kind: &str| {
        cases
            .iter()
            .filter(|c| c.outcome.as_ref().is_some_and(|(k, _, _)| *k == kind))
            .count()
    };
    let (failures, errors) = (count("failure"), count("error"));
    let mut out = String::new();
    push_line(&mut out, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    push_line(
        &mut out,
        &format!(
            r#"<testsuites name="conduct test" tests="{}" failures="{failures}" errors="{errors}">"#,
            cases.len()
        ),
    );
    push_line(
        &mut out,
        &format!(
            r#"  <testsuite name="{}" tests="{}" failures="{failures}" errors="{errors}">"#,
            xml_escape(&run.pack),
            cases.len()
        ),
    );
    for case in &cases {
        let open = format!(
            r#"    <testcase classname="{}" name="{}""#,
            xml_escape(&case.classname),
            xml_escape(&case.name)
        );
        match &case.outcome {
            None => push_line(&mut out, &format!("{open}/>")),
            Some((kind, message, body)) => {
                push_line(&mut out, &format!("{open}>"));
                push_line(
                    &mut out,
                    &format!(
                        r#"      <{kind} message="{}">{}</{kind}>"#,
                        xml_escape(message.trim()),
                        xml_escape(body)
                    ),
                );
                push_line(&mut out, "    </testcase>");
            }
        }
    }
    push_line(&mut out, "  </testsuite>");
    push_line(&mut out, "</testsuites>");
    out
}

// ---------------------------------------------------------------------------------------------
// `conduct requirements` and `conduct doc`
// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// `conduct fmt`
// ---------------------------------------------------------------------------------------------

/// `conduct fmt`: formats or checks every file named; returns the exit code.
fn fmt(args: &FmtArgs) -> u8 {
    let mut code = EXIT_COMPLIANT;
    for path in &args.paths {
        if path.as_os_str() == "-" {
            code = worse(code, fmt_stdin(args));
            continue;
        }
        let files = match conduct::format::rule_files(path) {
            Ok(files) if files.is_empty() => {
                warn_line(&format!(
                    "error: no rule files (*.conduct) under `{}`",
                    path.display()
                ));
                code = EXIT_INPUT;
                continue;
            }
            Ok(files) => files,
            Err(e) => {
                warn_line(&format!("error: {e}"));
                code = EXIT_INPUT;
                continue;
            }
        };
        for file in files {
            let name = file.display().to_string();
            let result = if args.diff {
                conduct::format::read_and_format(&file)
                    .map(|(before, after)| fmt_diff(&name, &before, &after))
            } else {
                conduct::format::format_file(&file, !args.check)
            };
            code = worse(code, fmt_report(&name, result, args));
        }
    }
    code
}

/// Prints what happened to one file; returns its exit code.
fn fmt_report(name: &str, result: Result<bool, FormatError>, args: &FmtArgs) -> u8 {
    match result {
        Ok(false) => EXIT_COMPLIANT,
        // The diff is printed already.
        Ok(true) if args.diff => EXIT_VIOLATED,
        Ok(true) => {
            let (verb, code) = if args.check {
                ("would reformat", EXIT_VIOLATED)
            } else {
                ("formatted", EXIT_COMPLIANT)
            };
            let _ = writeln!(io::stdout().lock(), "{verb} {name}");
            code
        }
        Err(FormatError::Syntax(e)) => {
            let rendered: Vec<String> = e.diagnostics().iter().map(ToString::to_string).collect();
            let rendered = format!(
                "{}\n\nerror: `{name}` was not formatted: it does not parse",
                rendered.join("\n\n")
            );
            print_diagnostics(e.diagnostics(), &rendered, args.error_format);
            EXIT_INPUT
        }
        Err(e) => {
            warn_line(&format!("error: {e}"));
            EXIT_INPUT
        }
    }
}

/// Prints the diff of one file's formatting; returns whether anything changes.
fn fmt_diff(name: &str, before: &str, after: &str) -> bool {
    let diff = conduct::format::diff(name, before, after);
    let _ = io::stdout().lock().write_all(diff.as_bytes());
    !diff.is_empty()
}

/// `conduct fmt -`: standard input to standard output.
fn fmt_stdin(args: &FmtArgs) -> u8 {
    // Capped, so that a runaway input cannot exhaust memory; the size limit of rule files
    // then gives E103.
    let text = match read_capped(None).map(String::from_utf8) {
        Ok(Ok(text)) => text,
        Ok(Err(_)) => {
            warn_line("error: standard input is not valid UTF-8");
            return EXIT_INPUT;
        }
        Err(e) => {
            warn_line(&format!("error: cannot read standard input: {e}"));
            return EXIT_INPUT;
        }
    };
    match conduct::format::format_source("<stdin>", &text) {
        Ok(formatted) if args.diff => {
            fmt_report("<stdin>", Ok(fmt_diff("<stdin>", &text, &formatted)), args)
        }
        Ok(formatted) if args.check => fmt_report("<stdin>", Ok(formatted != text), args),
        Ok(formatted) => write_document(&formatted, None),
        Err(e) => fmt_report("<stdin>", Err(e), args),
    }
}

/// Loads a pack; on failure the diagnostics are printed and the error is the exit code.
fn load_quietly(pack: &Path, error_format: ErrorFormat) -> Result<RulePack, u8> {
    match RulePack::load(pack) {
        Ok(pack) => Ok(pack),
        Err(Error::Compile(e)) => {
            print_diagnostics(e.diagnostics(), &e.to_string(), error_format);
            Err(EXIT_INPUT)
        }
        Err(e) => {
            warn_line(&format!("error: {e}"));
            Err(EXIT_INPUT)
        }
    }
}

/// Pretty JSON with a final newline; on failure the error is printed and is the exit code.
fn pretty_json(value: &impl Serialize, what: &str) -> Result<String, u8> {
    match serde_json::to_string_pretty(value) {
        Ok(mut text) => {
            text.push('\n');
            Ok(text)
        }
        Err(e) => {
            warn_line(&format!("error: cannot serialize {what}: {e}"));
            Err(EXIT_INPUT)
        }
    }
}

/// Writes a document to a file or standard output; returns the exit code.
fn write_document(text: &str, output: Option<&Path>) -> u8 {
    let written = match output {
        Some(path) => std::fs::write(path, text).map_err(|e| {
            warn_line(&format!("error: cannot write `{}`: {e}", path.display()));
        }),
        None => {
            let mut out = io::stdout().lock();
            out.write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .map_err(|e| {
                    if e.kind() != io::ErrorKind::BrokenPipe {
                        warn_line(&format!("error: cannot write the output: {e}"));
                    }
                })
        }
    };
    if written.is_ok() {
        EXIT_COMPLIANT
    } else {
        EXIT_INPUT
    }
}

/// `conduct requirements`: the evidence checklist; returns the exit code.
fn requirements(args: &RequirementsArgs) -> u8 {
    let pack = match load_quietly(&args.pack, args.error_format) {
        Ok(pack) => pack,
        Err(code) => return code,
    };
    let mut clauses = conduct::docs::requirements(&pack);
    if let Some(id) = &args.clause {
        clauses.retain(|c| c.clause == *id);
        if clauses.is_empty() {
            let help = conduct::docs::suggest_clause(&pack, id)
                .map(|h| format!("; {h}"))
                .unwrap_or_default();
            warn_line(&format!(
                "error: the pack has no clause `{}`{help}",
                clean(id)
            ));
            return EXIT_INPUT;
        }
    }
    let language = args.lang.code();
    let text = match args.format {
        RequirementsFormat::Markdown => {
            let mut text = conduct::docs::requirements_markdown(&pack, &clauses, language);
            text.push('\n');
            text
        }
        RequirementsFormat::Json => {
            let document = conduct::docs::requirements_document(&pack, &clauses, language);
            match pretty_json(&document, "the requirements") {
                Ok(text) => text,
                Err(code) => return code,
            }
        }
    };
    write_document(&text, None)
}

/// `conduct doc`: the pack reference; returns the exit code.
fn doc(args: &DocArgs) -> u8 {
    let pack = match load_quietly(&args.pack, args.error_format) {
        Ok(pack) => pack,
        Err(code) => return code,
    };
    let language = args.lang.code();
    let text = match args.format {
        DocFormat::Markdown => {
            let mut text = conduct::docs::reference_markdown(&pack, language);
            text.push('\n');
            text
        }
        DocFormat::Html => conduct::docs::reference_html(&pack, language),
    };
    write_document(&text, args.output.as_deref())
}

// ---------------------------------------------------------------------------------------------
// `conduct explain`
// ---------------------------------------------------------------------------------------------

const EXPLAIN_EXAMPLES: &str = "\
Examples:
  conduct explain rules/regions examples/example-evidence.json working_hours.weekly_limit
  conduct explain rules/regions examples/example-evidence.json child_labour.minimum_age --format json
  cat evidence.json | conduct explain rules/regions - wages.minimum_wage --as-of 2024-10-31

Exit codes: 0 the clause is explained (whatever its outcome), 3 the rules do not compile, the
evidence is not readable JSON, the clause is unknown, or the command line is wrong.";

#[derive(Debug, clap::Args)]
struct ExplainArgs {
    /// A rule file, or a pack folder whose root file is `pack.conduct`.
    pack: PathBuf,

    /// One evidence JSON document, `-` for standard input.
    evidence: PathBuf,

    /// The clause to explain (e.g. `working_hours.weekly_limit`).
    clause: String,

    /// Output format: text for people, json for programs.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
    format: ExplainFormat,

    #[command(flatten)]
    eval: EvalArgs,

    /// Format of compile diagnostics on standard error.
    #[arg(long, value_enum, default_value_t = ErrorFormat::Text)]
    error_format: ErrorFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ExplainFormat {
    Text,
    Json,
}

/// `conduct explain`: one clause's outcome explained; returns the exit code.
fn explain(args: &ExplainArgs) -> u8 {
    let pack = match load_quietly(&args.pack, args.error_format) {
        Ok(pack) => pack,
        Err(code) => return code,
    };
    if !pack.clause_ids().any(|id| id == args.clause) {
        let help = conduct::docs::suggest_clause(&pack, &args.clause)
            .map(|h| format!("; {h}"))
            .unwrap_or_default();
        warn_line(&format!(
            "error: the pack has no clause `{}`{help}",
            clean(&args.clause)
        ));
        return EXIT_INPUT;
    }
    let options = match args.eval.options(&pack) {
        Ok(options) => options,
        Err(code) => return code,
    };
    let stdin = args.evidence.as_os_str() == "-";
    let name = if stdin {
        "<stdin>".to_string()
    } else {
        args.evidence.display().to_string()
    };
    let bytes = match read_capped((!stdin).then_some(args.evidence.as_path())) {
        Ok(bytes) => bytes,
        Err(e) => {
            warn_line(&format!("error: cannot read {name}: {e}"));
            return EXIT_INPUT;
        }
    };
    if bytes.len() as u64 > MAX_DOCUMENT_BYTES {
        warn_line(&format!("error: {name}: {}", too_large()));
        return EXIT_INPUT;
    }
    let evidence = match parse_document(&bytes, 1) {
        Ok((evidence, _)) => evidence,
        Err(message) => {
            warn_line(&format!("error: {name}: {message}"));
            return EXIT_INPUT;
        }
    };
    let explanation = match conduct::explain::explain(&pack, &evidence, &options, &args.clause) {
        Ok(e) => e,
        Err(e) => {
            warn_line(&format!("error: {e}"));
            return EXIT_INPUT;
        }
    };
    let text = match args.format {
        ExplainFormat::Text => conduct::explain::render_text(&explanation),
        ExplainFormat::Json => match pretty_json(&explanation, "the explanation") {
            Ok(text) => text,
            Err(code) => return code,
        },
    };
    write_document(&text, None)
}
