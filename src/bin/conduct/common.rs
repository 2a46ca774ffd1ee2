//! What every command shares: exit codes, the failure a command stops with and how it is
//! printed, pack loading, evidence reading, the evaluation flags (`--as-of`, `--lang`,
//! `--param`) and writing the output document.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::ValueEnum;
use conduct::pack::OptionsError;
use conduct::pack::evidence::{self, Document, ReadError};
use conduct::report::Date;
use conduct::report::text::clean;
use conduct::{CompileError, Diagnostic, Error, Options, RulePack};
use serde::Serialize;

/// The exit status of a command: one variant per meaning. The numbers are a public contract
/// (see `report.md`), so several meanings share one number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// `check`: every clause compliant or not applicable.
    Compliant,
    /// `test`: every fixture passes.
    Passed,
    /// `fmt`, `requirements`, `doc`, `explain`, `--help`, `--version`: done (with `fmt --check`
    /// or `--diff`: nothing would change; `diff`: nothing new, overdue or escalated).
    Done,
    /// `check`: at least one violation.
    Violated,
    /// `test`: at least one fixture fails.
    FixturesFailed,
    /// `fmt --check` or `--diff`: some file would change.
    WouldReformat,
    /// `diff`: a finding is new, overdue or escalated.
    Worsened,
    /// `check`: no violation, but insufficient evidence or an evaluation error.
    Incomplete,
    /// Any command: the rules do not compile, an input cannot be read or is malformed, an
    /// output cannot be written, or the command line is wrong.
    BadInput,
}

impl Exit {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Exit::Compliant | Exit::Passed | Exit::Done => 0,
            Exit::Violated | Exit::FixturesFailed | Exit::WouldReformat | Exit::Worsened => 1,
            Exit::Incomplete => 2,
            Exit::BadInput => 3,
        }
    }

    /// The more severe of two, in the order of the codes `3 > 1 > 2 > 0`.
    pub fn worse(self, other: Exit) -> Exit {
        let rank = |exit: Exit| match exit {
            Exit::Compliant | Exit::Passed | Exit::Done => 0,
            Exit::Incomplete => 1,
            Exit::Violated | Exit::FixturesFailed | Exit::WouldReformat | Exit::Worsened => 2,
            Exit::BadInput => 3,
        };
        if rank(other) > rank(self) {
            other
        } else {
            self
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit.code())
    }
}

/// Why a command stops with [`Exit::BadInput`], printed on standard error by [`finish`].
#[derive(Debug)]
pub enum Failure {
    /// Compile or syntax diagnostics: `rendered` as text, or the list as JSON.
    Diagnostics {
        list: Vec<Diagnostic>,
        rendered: String,
    },
    /// One `error: …` line (the text without `error: `).
    Error(String),
    /// Several problems, one `error: …` line each (e.g. every option that does not fit).
    Errors(Vec<String>),
    /// Nothing to print (standard output was closed by the reader: not worth a message).
    Silent,
}

impl Failure {
    /// A compile error: its diagnostics, rendered with the summary line.
    pub fn compile(e: &CompileError) -> Failure {
        Failure::Diagnostics {
            list: e.diagnostics().to_vec(),
            rendered: e.to_string(),
        }
    }

    /// The output could not be written.
    pub fn output(e: &io::Error) -> Failure {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Failure::Silent
        } else {
            Failure::Error(format!("cannot write the output: {e}"))
        }
    }

    /// The pack has no clause of that name; a close one is suggested.
    pub fn unknown_clause(pack: &RulePack, id: &str) -> Failure {
        let help = conduct::tools::docs::suggest_clause(pack, id)
            .map(|h| format!("; {h}"))
            .unwrap_or_default();
        Failure::Error(format!("the pack has no clause `{}`{help}", clean(id)))
    }

    /// Prints the failure on standard error.
    pub fn print(&self, format: ErrorFormat) {
        match self {
            Failure::Diagnostics { list, rendered } => print_diagnostics(list, rendered, format),
            Failure::Error(message) => warn_line(&format!("error: {message}")),
            Failure::Errors(messages) => {
                for message in messages {
                    warn_line(&format!("error: {message}"));
                }
            }
            Failure::Silent => {}
        }
    }
}

/// A command's result as its exit status: a failure is printed and is [`Exit::BadInput`].
pub fn finish(result: Result<Exit, Failure>, format: ErrorFormat) -> Exit {
    result.unwrap_or_else(|failure| {
        failure.print(format);
        Exit::BadInput
    })
}

/// Format of diagnostics on standard error (`--error-format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ErrorFormat {
    Text,
    Json,
}

/// The problems `check_options` found, one `error:` line each.
fn options_failure(problems: &[OptionsError]) -> Failure {
    Failure::Errors(problems.iter().map(ToString::to_string).collect())
}

/// The language of titles and headings for `requirements` and `doc`: `--lang`, which must be
/// one the pack declares (else an error listing them), or `en` when not given.
pub fn document_language(pack: &RulePack, lang: Option<&str>) -> Result<String, Failure> {
    let Some(lang) = lang else {
        return Ok("en".to_string());
    };
    pack.check_options(&Options::default().language(lang))
        .map(|()| lang.to_string())
        .map_err(|problems| options_failure(&problems))
}

/// How an evaluation runs: `--as-of`, `--lang`, `--param` (for `check` and `explain`).
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// Evaluate on this date (YYYY-MM-DD) instead of the one the pack reads from the evidence.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    as_of: Option<Date>,

    /// Language of messages and titles: one the pack declares (`en` when not given and the
    /// pack has it, else the pack's first).
    #[arg(long, value_name = "LANG")]
    lang: Option<String>,

    /// Override a pack parameter (repeatable), e.g. `--param max_weekly_hours=48`; `conduct
    /// params PACK` lists them.
    #[arg(long = "param", value_name = "NAME=VALUE", value_parser = parse_param)]
    params: Vec<(String, String)>,
}

impl EvalArgs {
    /// The language of the evaluation: `--lang`, else `en` when the pack has it, else the
    /// pack's first.
    pub fn language(&self, pack: &RulePack) -> String {
        self.lang.clone().unwrap_or_else(|| {
            let has_en = pack.languages().iter().any(|l| l == "en");
            let first = pack.languages().first().map_or("en", String::as_str);
            if has_en { "en" } else { first }.to_string()
        })
    }

    /// The evaluation options, checked against the pack first: fails listing every problem (a
    /// language the pack does not declare, a parameter it does not have, a value not of its
    /// type).
    pub fn options(&self, pack: &RulePack) -> Result<Options, Failure> {
        let mut options = Options::default();
        match self.lang.as_deref() {
            Some(lang) => options = options.language(lang),
            None if pack.languages().iter().any(|l| l == "en") => {
                options = options.language("en");
            }
            None => {}
        }
        if let Some(date) = self.as_of {
            options = options.as_of(date);
        }
        for (name, value) in &self.params {
            options = options.param(name, value);
        }
        pack.check_options(&options)
            .map(|()| options)
            .map_err(|problems| options_failure(&problems))
    }
}

/// A date, or why the text is not one: the wrong form, or a day the calendar does not have.
fn parse_date(text: &str) -> Result<Date, String> {
    text.parse()
        .map_err(|e: conduct::report::ParseDateError| e.to_string())
}

fn parse_param(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_string(), value.to_string()))
        }
        _ => Err(format!("`{text}` is not of the form NAME=VALUE")),
    }
}

/// Refuses a pack argument that looks like evidence (a `.json`, `.ndjson` or `.jsonl` file, or
/// `-`) or an evidence argument that looks like a pack (a folder or a `.conduct` file), with a
/// hint about the order: `conduct COMMAND PACK EVIDENCE…`. `rest` says what the arguments
/// after the pack are (e.g. "the others the evidence"); `tail` ends the suggested command line.
pub fn check_argument_order(
    command: &str,
    pack: &Path,
    evidence: &[impl AsRef<Path>],
    rest: &str,
    tail: &str,
) -> Result<(), Failure> {
    let has_extension = |path: &Path, names: &[&str]| {
        path.extension()
            .and_then(std::ffi::OsStr::to_str)
            .is_some_and(|e| names.iter().any(|n| e.eq_ignore_ascii_case(n)))
    };
    let looks_like_evidence = |path: &Path| {
        is_stdin(path) || (!path.is_dir() && has_extension(path, &["json", "ndjson", "jsonl"]))
    };
    let looks_like_pack =
        |path: &Path| !is_stdin(path) && (path.is_dir() || has_extension(path, &["conduct"]));
    let first = evidence.first().map(AsRef::as_ref);
    let pack_is_evidence = looks_like_evidence(pack);
    let evidence_is_pack = evidence.iter().find(|e| looks_like_pack(e.as_ref()));
    let show = |path: &Path| path.display().to_string();
    let what = match (pack_is_evidence, evidence_is_pack) {
        (false, None) => return Ok(()),
        (true, Some(e)) => format!(
            "`{}` looks like evidence and `{}` like a pack",
            show(pack),
            show(e.as_ref())
        ),
        (true, None) => format!("`{}` looks like evidence, not a pack", show(pack)),
        (false, Some(e)) => format!("`{}` looks like a pack, not evidence", show(e.as_ref())),
    };
    let mut message = format!("{what}: the first argument is the pack, {rest}");
    if let (true, Some(first)) = (pack_is_evidence, first)
        && looks_like_pack(first)
    {
        let others: String = evidence
            .iter()
            .skip(1)
            .map(|e| format!(" {}", show(e.as_ref())))
            .collect();
        message.push_str(&format!(
            "\n  = help: try `conduct {command} {} {}{others}{tail}`",
            show(first),
            show(pack)
        ));
    }
    Err(Failure::Error(message))
}

/// Loads a pack (a rule file or a pack folder). Its warnings are left to the caller (see
/// [`print_warnings`]).
pub fn load_pack(path: &Path) -> Result<RulePack, Failure> {
    RulePack::load(path).map_err(|e| match e {
        Error::Compile(e) => Failure::compile(&e),
        e => Failure::Error(e.to_string()),
    })
}

/// Prints warnings (compile warnings, untested clauses) on standard error, if there are any.
pub fn print_warnings(warnings: &[Diagnostic], format: ErrorFormat) {
    if warnings.is_empty() {
        return;
    }
    let rendered: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    print_diagnostics(warnings, &rendered.join("\n\n"), format);
}

/// Prints diagnostics on standard error, rendered or as a JSON array.
pub fn print_diagnostics(diagnostics: &[Diagnostic], rendered: &str, format: ErrorFormat) {
    match format {
        ErrorFormat::Text => warn_line(rendered),
        ErrorFormat::Json => match serde_json::to_string_pretty(diagnostics) {
            Ok(json) => warn_line(&json),
            Err(e) => warn_line(&format!("error: cannot serialize diagnostics: {e}")),
        },
    }
}

/// Prints one line on standard error; a closed standard error is not worth a panic.
pub fn warn_line(text: &str) {
    let _ = writeln!(io::stderr().lock(), "{text}");
}

/// Whether a path argument is `-`, standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// How an input is named in messages: its path, or `<stdin>`.
pub fn input_name(path: &Path) -> String {
    if is_stdin(path) {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    }
}

/// Reads one evidence document from a file, or standard input for `-`, with the library's
/// checks (size cap, UTF-8, JSON, an object, duplicate keys).
pub fn read_evidence(path: &Path) -> Result<Document, ReadError> {
    if is_stdin(path) {
        evidence::read(io::stdin().lock())
    } else {
        evidence::read(File::open(path)?)
    }
}

/// A document that cannot be read: the message for standard error (with the input's name) and
/// the one for an error record (without it).
pub fn unreadable(name: &str, e: &ReadError) -> (String, String) {
    match e {
        ReadError::Io(e) => (format!("cannot read {name}: {e}"), e.to_string()),
        e => (format!("{name}: {e}"), e.to_string()),
    }
}

/// Pretty JSON with a final newline.
pub fn pretty_json(value: &impl Serialize, what: &str) -> Result<String, Failure> {
    match serde_json::to_string_pretty(value) {
        Ok(mut text) => {
            text.push('\n');
            Ok(text)
        }
        Err(e) => Err(Failure::Error(format!("cannot serialize {what}: {e}"))),
    }
}

/// Writes a document to a file or, for `None`, standard output.
pub fn write_document(text: &str, output: Option<&Path>) -> Result<Exit, Failure> {
    match output {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| Failure::Error(format!("cannot write `{}`: {e}", path.display()))),
        None => {
            let mut out = io::stdout().lock();
            out.write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .map_err(|e| Failure::output(&e))
        }
    }
    .map(|()| Exit::Done)
}

/// A CSV cell a spreadsheet would not run as a formula: one starting with `=`, `+`, `-`, `@`,
/// a tab or a carriage return gets a leading apostrophe. Every CSV output uses it.
pub fn neutralised(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// Appends a line and its `\n`.
pub fn push_line(out: &mut String, line: &str) {
    out.push_str(line);
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::Exit;

    #[test]
    fn exit_codes_are_the_public_contract() {
        let codes = [
            (Exit::Compliant, 0),
            (Exit::Passed, 0),
            (Exit::Done, 0),
            (Exit::Violated, 1),
            (Exit::FixturesFailed, 1),
            (Exit::WouldReformat, 1),
            (Exit::Worsened, 1),
            (Exit::Incomplete, 2),
            (Exit::BadInput, 3),
        ];
        for (exit, code) in codes {
            assert_eq!(exit.code(), code, "{exit:?}");
        }
    }

    #[test]
    fn the_most_severe_exit_wins_in_the_order_3_1_2_0() {
        let order = [
            Exit::Compliant,
            Exit::Incomplete,
            Exit::Violated,
            Exit::BadInput,
        ];
        for (i, a) in order.iter().enumerate() {
            for (j, b) in order.iter().enumerate() {
                let expected = if i >= j { *a } else { *b };
                assert_eq!(a.worse(*b), expected, "{a:?} {b:?}");
            }
        }
        assert_eq!(Exit::Done.worse(Exit::WouldReformat), Exit::WouldReformat);
    }
}
