//! `conduct test`: a pack and its fixtures (`<PACK>/tests/**/*.json`) in, pass/fail with the
//! diff of each failure, and the coverage of the pack's clauses, out as text, JSON or JUnit XML.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::PathBuf;

use clap::ValueEnum;
use conduct::Status;
use conduct::report::text::clean;
use conduct::tools::completion::check_fixtures;
use conduct::tools::testing::{ClauseCoverage, FixtureResult, TESTS_DIR, TestRun, run_tests};
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use serde::Serialize;

use crate::common::{
    ErrorFormat, Exit, Failure, finish, load_pack, print_warnings, push_line, warn_line,
};

const EXAMPLES: &str = "\
Examples:
  conduct test rules/regions
  conduct test rules/regions --coverage
  conduct test rules/regions --format junit > conduct-tests.xml
  conduct test rules/regions --coverage --format json
  conduct test rules/regions --no-completion-check

Fixtures are the JSON files under <PACK>/tests/, usually <PACK>/tests/<clause_id>/<scenario>.json:
  { \"description\": \"...\", \"as_of\": \"2024-10-31\", \"evidence\": { ... },
    \"expect\": { \"<clause_id>\": { \"status\": \"violated\", \"severity\": \"major\",
                                \"paths\": [\"/workers/0/hours\"] } } }
In expect only status is required; severity (null for none), remediated, paths, missing and
invalid are checked when given.

Exit codes: 0 every fixture passes, 1 at least one fixture fails, 3 the rules do not compile,
the tests folder cannot be read, a fixture is malformed, or the command line is wrong.";

// The command's help (`about`) is the doc comment of its `Command` variant.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct TestArgs {
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

    /// Do not print warnings (compile warnings, clauses no fixture covers, W007).
    #[arg(short, long)]
    quiet: bool,

    /// Skip the completion check (W007: a fixture's clause left insufficient although every
    /// completion of its missing evidence gives the same outcome).
    #[arg(long)]
    no_completion_check: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum TestFormat {
    Text,
    Json,
    Junit,
}

/// `conduct test`: runs the pack's fixtures.
pub fn run(args: &TestArgs) -> Exit {
    finish(test(args), args.error_format)
}

fn test(args: &TestArgs) -> Result<Exit, Failure> {
    let pack = load_pack(&args.pack)?;
    if !args.quiet {
        print_warnings(pack.warnings(), args.error_format);
    }
    let dir = if args.pack.is_dir() {
        args.pack.join(TESTS_DIR)
    } else {
        args.pack
            .parent()
            .map_or_else(|| PathBuf::from(TESTS_DIR), |p| p.join(TESTS_DIR))
    };
    let run = run_tests(&pack, &dir).map_err(|e| Failure::Error(e.to_string()))?;
    if run.fixtures.is_empty() {
        return Err(Failure::Error(format!(
            "no test fixtures (*.json) under `{}`",
            dir.display()
        )));
    }
    if !args.quiet {
        print_warnings(&run.untested(&pack), args.error_format);
        if !args.no_completion_check {
            let undecided =
                check_fixtures(&pack, &dir).map_err(|e| Failure::Error(e.to_string()))?;
            print_warnings(&undecided, args.error_format);
        }
    }
    let coverage = args.coverage.then(|| run.coverage(&pack));
    let output = match args.format {
        TestFormat::Text => Ok(test_text(&run, coverage.as_deref())),
        TestFormat::Json => test_json(&run, coverage.as_deref()),
        TestFormat::Junit => test_junit(&run),
    };
    let written = output.and_then(|text| {
        let mut out = io::stdout().lock();
        out.write_all(text.as_bytes())?;
        out.flush()
    });
    written.map_err(|e| Failure::output(&e))?;
    let mut exit = Exit::Passed;
    for fixture in &run.fixtures {
        if let Some(line) = fixture.error_line() {
            warn_line(&format!("error: {}", clean(&line)));
            exit = Exit::BadInput;
        }
    }
    if exit == Exit::Passed && run.failed() > 0 {
        exit = Exit::FixturesFailed;
    }
    Ok(exit)
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

/// One JUnit test case.
struct Case {
    classname: String,
    name: String,
    /// `(failure or error, message, body)`.
    outcome: Option<(NonSuccessKind, String, String)>,
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
            outcome: Some((NonSuccessKind::Error, line.clone(), line)),
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
                    NonSuccessKind::Failure,
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
                NonSuccessKind::Failure,
                fixture.problems.first().cloned().unwrap_or_default(),
                format!("{}\n{}", fixture.description, fixture.problems.join("\n")),
            )),
        });
    }
    cases
}

/// The JUnit XML output (made by `quick-junit`): one `<testsuite>` for the pack, one
/// `<testcase>` per fixture × clause. Text is escaped, and characters XML cannot hold are
/// dropped, by the crate.
fn test_junit(run: &TestRun) -> io::Result<String> {
    let mut suite = TestSuite::new(run.pack.as_str());
    for case in run.fixtures.iter().flat_map(fixture_cases) {
        let status = match case.outcome {
            None => TestCaseStatus::success(),
            Some((kind, message, body)) => {
                let mut status = TestCaseStatus::non_success(kind);
                status.set_message(message.trim());
                status.set_description(body);
                status
            }
        };
        let mut test_case = TestCase::new(case.name, status);
        test_case.set_classname(case.classname);
        suite.add_test_case(test_case);
    }
    let mut report = Report::new("conduct test");
    report.add_test_suite(suite);
    report.to_string().map_err(io::Error::other)
}
