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
//! `conduct requirements` (the evidence fields each clause reads), `conduct doc` (a reference
//! of the pack) and `conduct params` (the pack's parameters) exit `0` when written and `3` when
//! the rules do not compile, a `--clause` or `--lang` is unknown, the output cannot be written
//! or the command line is wrong.
//!
//! `conduct diff EARLIER NEW` compares two stored reports about one supplier: `0` nothing is
//! new, overdue or escalated, `1` something is, `3` a report cannot be read or the reports are
//! about different suppliers.
//!
//! `conduct summary REPORTS...` sums up stored reports: `0` written, `3` some input is not a
//! report (named with its line and skipped, the others still summarised), there is no report
//! at all, or the output cannot be written.
//!
//! Evaluation options (`--lang`, `--param`) are checked against the pack before any evidence is
//! read: every problem is listed, one `error:` line each, and the exit is `3`.
//!
//! One module per command holds its arguments, their examples and its output; `common` holds
//! what they share (exit statuses, failures, pack loading, evidence reading, output).

mod check;
mod common;
mod diff;
mod doc;
mod explain;
mod fmt;
mod params;
mod requirements;
mod summary;
mod test;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::common::Exit;

const MAIN_EXAMPLES: &str = "\
Examples:
  conduct check rules/regions examples/example-evidence.json
  conduct check rules/regions examples/example-evidence.json --format json
  conduct test rules/regions --coverage
  conduct fmt --check rules/regions
  conduct explain rules/regions examples/example-evidence.json working_hours.weekly_limit
  conduct requirements rules/regions --clause child_labour.minimum_age
  conduct doc rules/regions --format html -o regions.html
  conduct params rules/regions
  conduct diff report-2024.json report-2025.json
  conduct summary reports.ndjson --lang sv --format html -o summary.html

Exit codes: 0 compliant, 1 at least one violation, 2 insufficient evidence or an evaluation error,
3 the rules do not compile, the evidence is not readable JSON, or the command line is wrong.";

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
    Check(check::CheckArgs),
    /// Run a pack's test fixtures (`<PACK>/tests/**/*.json`) and report pass/fail and coverage.
    Test(test::TestArgs),
    /// Rewrite rule files in the canonical layout, keeping comments; `--check` only lists the
    /// files that would change.
    Fmt(fmt::FmtArgs),
    /// List the evidence fields each clause reads, required or supporting: a checklist to send a
    /// supplier.
    Requirements(requirements::RequirementsArgs),
    /// Write a reference of the pack for procurement officers: clauses, references, severities,
    /// deadlines, parameters and tables with their sources.
    Doc(doc::DocArgs),
    /// List the pack's parameters with their types, defaults and sources: what `--param` can
    /// override.
    Params(params::ParamsArgs),
    /// Explain one clause's outcome for one evidence document: each requirement, the items it
    /// ran over, the values read with their paths, the bounds computed and the severity chosen.
    Explain(explain::ExplainArgs),
    /// Compare two stored reports about one supplier: each finding new, persisting (overdue
    /// once its earlier due date has passed), escalated, de-escalated, unconfirmed, resolved or
    /// remediated, and the clauses whose outcome changed.
    Diff(diff::DiffArgs),
    /// Sum up stored reports: findings per clause, status and severity, per country and product
    /// category, per supplier, corrective-action plans by state, overdue findings, and each
    /// supplier's change between follow-ups (text, JSON, CSV or a printable page).
    Summary(summary::SummaryArgs),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout and succeed; every other error is a usage error.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                Exit::BadInput
            } else {
                Exit::Done
            });
        }
    };
    let exit = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Test(args) => test::run(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::Requirements(args) => requirements::run(&args),
        Command::Doc(args) => doc::run(&args),
        Command::Params(args) => params::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Summary(args) => summary::run(&args),
    };
    ExitCode::from(exit)
}
