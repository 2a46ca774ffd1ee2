//! `conduct fmt`: rule files (or standard input) in, the same rules in the canonical layout
//! out: written in place, or with `--check` / `--diff` only what would change.

use std::io::{self, Read, Write};
use std::path::PathBuf;

use conduct::pack::evidence::MAX_DOCUMENT_BYTES;
use conduct::tools::format::FormatError;

use crate::common::{ErrorFormat, Exit, finish, print_diagnostics, warn_line, write_document};

const EXAMPLES: &str = "\
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

// The command's help (`about`) is the doc comment of its `Command` variant.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct FmtArgs {
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

/// `conduct fmt`: formats or checks every file named; a file that fails does not stop the
/// others.
pub fn run(args: &FmtArgs) -> Exit {
    let mut exit = Exit::Done;
    for path in &args.paths {
        if path.as_os_str() == "-" {
            exit = exit.worse(fmt_stdin(args));
            continue;
        }
        let files = match conduct::tools::format::rule_files(path) {
            Ok(files) if files.is_empty() => {
                warn_line(&format!(
                    "error: no rule files (*.conduct) under `{}`",
                    path.display()
                ));
                exit = Exit::BadInput;
                continue;
            }
            Ok(files) => files,
            Err(e) => {
                warn_line(&format!("error: {e}"));
                exit = Exit::BadInput;
                continue;
            }
        };
        for file in files {
            let name = file.display().to_string();
            let result = if args.diff {
                conduct::tools::format::read_and_format(&file)
                    .map(|(before, after)| fmt_diff(&name, &before, &after))
            } else {
                conduct::tools::format::format_file(&file, !args.check)
            };
            exit = exit.worse(fmt_report(&name, result, args));
        }
    }
    exit
}

/// Prints what happened to one file; returns its exit status.
fn fmt_report(name: &str, result: Result<bool, FormatError>, args: &FmtArgs) -> Exit {
    match result {
        Ok(false) => Exit::Done,
        // The diff is printed already.
        Ok(true) if args.diff => Exit::WouldReformat,
        Ok(true) => {
            let (verb, exit) = if args.check {
                ("would reformat", Exit::WouldReformat)
            } else {
                ("formatted", Exit::Done)
            };
            let _ = writeln!(io::stdout().lock(), "{verb} {name}");
            exit
        }
        Err(FormatError::Syntax(e)) => {
            let rendered: Vec<String> = e.diagnostics().iter().map(ToString::to_string).collect();
            let rendered = format!(
                "{}\n\nerror: `{name}` was not formatted: it does not parse",
                rendered.join("\n\n")
            );
            print_diagnostics(e.diagnostics(), &rendered, args.error_format);
            Exit::BadInput
        }
        Err(e) => {
            warn_line(&format!("error: {e}"));
            Exit::BadInput
        }
    }
}

/// Prints the diff of one file's formatting; returns whether anything changes.
fn fmt_diff(name: &str, before: &str, after: &str) -> bool {
    let diff = conduct::tools::format::diff(name, before, after);
    let _ = io::stdout().lock().write_all(diff.as_bytes());
    !diff.is_empty()
}

/// `conduct fmt -`: standard input to standard output.
fn fmt_stdin(args: &FmtArgs) -> Exit {
    // Capped, so that a runaway input cannot exhaust memory; the size limit of rule files
    // then gives E103.
    let mut bytes = Vec::new();
    let read = io::stdin()
        .lock()
        .take(MAX_DOCUMENT_BYTES + 1)
        .read_to_end(&mut bytes);
    let text = match read.map(|_| String::from_utf8(bytes)) {
        Ok(Ok(text)) => text,
        Ok(Err(_)) => {
            warn_line("error: standard input is not valid UTF-8");
            return Exit::BadInput;
        }
        Err(e) => {
            warn_line(&format!("error: cannot read standard input: {e}"));
            return Exit::BadInput;
        }
    };
    match conduct::tools::format::format_source("<stdin>", &text) {
        Ok(formatted) if args.diff => {
            fmt_report("<stdin>", Ok(fmt_diff("<stdin>", &text, &formatted)), args)
        }
        Ok(formatted) if args.check => fmt_report("<stdin>", Ok(formatted != text), args),
        Ok(formatted) => finish(write_document(&formatted, None), args.error_format),
        Err(e) => fmt_report("<stdin>", Err(e), args),
    }
}
