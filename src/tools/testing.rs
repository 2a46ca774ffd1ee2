//! Test fixtures of a rule pack: evidence documents with the outcomes they should give.
//!
//! A pack's fixtures live in its `tests/` folder (`<pack>/tests/`, see [`TESTS_DIR`]), one
//! JSON file per scenario, usually in a folder named after the clause it is about:
//! `<pack>/tests/<clause_id>/<scenario>.json`. [`RulePack::load`] only follows the imports of
//! `pack.conduct`, so the folder is never compiled as rules. A fixture is written by hand:
//!
//! ```json
//! {
//!   "description": "A 14-year-old worker at a Chinese site (minimum 16)",
//!   "as_of": "2024-10-31",
//!   "evidence": { "schema_version": "1.0", "assessment": { "as_of": "2024-10-31" } },
//!   "expect": {
//!     "child_labour.minimum_age": {
//!       "status": "violated",
//!       "severity": "critical",
//!       "remediated": false,
//!       "paths": ["/sites/0/workers/0/date_of_birth"],
//!       "missing": [],
//!       "invalid": []
//!     }
//!   }
//! }
//! ```
//!
//! * `as_of` (optional) overrides the evaluation date the pack reads from the evidence.
//! * In `expect`, only `status` is required; `severity` (`null` for none), `remediated`,
//!   `paths` (the violations' JSON Pointers, in report order), `missing` (the exact sorted
//!   list) and `invalid` (the exact sorted list of paths, each once) are checked when given.
//!   Clauses a fixture does not name are not checked, except that none of them may end in
//!   `error`.
//! * Unknown keys are rejected, so that a misspelt expectation is not silently ignored.
//! * A fixture in a folder directly under the tests folder must name that folder's clause in
//!   `expect`, and the folder must be a clause of the pack.
//!
//! [`run_tests`] runs every fixture and gives a [`TestRun`]: per-fixture, per-clause results
//! with a readable diff, counts, and the clause coverage ([`TestRun::coverage`]). Everything
//! serializes to JSON.
//!
//! ```
//! use conduct::RulePack;
//! use conduct::tools::testing::run_tests;
//!
//! let pack = RulePack::builder()
//!     .file("pack.conduct", r#"
//! pack demo "Demo" languages en
//! evidence { workers: [{ hours: number }] }
//! clause hours.limit
//!   title en "Weekly hours"
//!   severity major
//!   for each w in workers:
//!     require w.hours <= 60
//!       message en "worked {actual} hours"
//!   end
//! "#)
//!     .build()?;
//! let dir = std::env::temp_dir().join(format!("conduct-doc-testing-{}", std::process::id()));
//! std::fs::create_dir_all(dir.join("hours.limit"))?;
//! std::fs::write(dir.join("hours.limit/too-long.json"), r#"{
//!   "description": "70 hours",
//!   "evidence": { "workers": [{ "hours": 70 }] },
//!   "expect": { "hours.limit": { "status": "violated", "severity": "major", "paths": ["/workers/0/hours"] } }
//! }"#)?;
//! let run = run_tests(&pack, &dir)?;
//! std::fs::remove_dir_all(&dir)?;
//! assert_eq!((run.passed(), run.failed()), (1, 0));
//! let coverage = run.coverage(&pack);
//! assert_eq!(coverage[0].clause, "hours.limit");
//! assert_eq!(coverage[0].statuses, vec![conduct::Status::Violated]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer, Serialize};

use crate::date::Date;
use crate::{Error, Options, Outcome, RulePack, Severity, Status};

/// The name of a pack's fixtures folder, inside the pack folder: `<pack>/tests/`.
pub const TESTS_DIR: &str = "tests";

/// The format identifier of a serialized [`TestRun`].
pub const TEST_RUN_FORMAT: &str = "conduct-test-run/1";

/// One fixture file as written by hand.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    /// What the scenario is.
    pub description: String,
    /// The evaluation date (`YYYY-MM-DD`), instead of the one the pack reads from the evidence.
    #[serde(
        default,
        deserialize_with = "date_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub as_of: Option<String>,
    /// The evidence document.
    pub evidence: serde_json::Value,
    /// The expected outcome of each clause the scenario is about.
    pub expect: BTreeMap<String, Expect>,
}

/// What one clause should give; only `status` is required.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// The status.
    pub status: Status,
    /// The highest severity: absent not checked, `Some(None)` (JSON `null`) none.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub severity: Option<Option<Severity>>,
    /// Whether a past breach was put right.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remediated: Option<bool>,
    /// The violations' JSON Pointers, in report order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paths: Option<Vec<String>>,
    /// The missing evidence, sorted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing: Option<Vec<String>>,
    /// The paths of invalid evidence, sorted, each once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invalid: Option<Vec<String>>,
}

/// Reads a field that may be given as `null`: absent → `None`, `null` → `Some(None)`.
fn present<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

/// Reads an optional `YYYY-MM-DD` date, so that a bad one is reported with its line and column.
fn date_text<'de, D>(d: D) -> Result<Option<String>, D::Error>
where
    D: Deserializer<'de>,
{
    let text = Option::<String>::deserialize(d)?;
    if let Some(t) = &text
        && Date::parse(t).is_none()
    {
        return Err(serde::de::Error::custom(format!(
            "`as_of` {t:?} is not a date (YYYY-MM-DD)"
        )));
    }
    Ok(text)
}

/// What a clause gave, in the terms a fixture checks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actual {
    /// The status.
    pub status: Status,
    /// The highest severity, `null` when there are no violations.
    pub severity: Option<Severity>,
    /// Whether a past breach was put right.
    pub remediated: bool,
    /// The violations' JSON Pointers, in report order.
    pub paths: Vec<String>,
    /// The missing evidence, sorted.
    pub missing: Vec<String>,
    /// The paths of invalid evidence, each once.
    pub invalid: Vec<String>,
}

impl Actual {
    /// The parts of an outcome a fixture checks.
    #[must_use]
    pub fn of(outcome: &Outcome) -> Actual {
        let mut invalid: Vec<String> = outcome.invalid.iter().map(|i| i.path.clone()).collect();
        // The report lists each (path, reason); a path with two reasons counts once.
        invalid.dedup();
        Actual {
            status: outcome.status,
            severity: outcome.severity,
            remediated: outcome.remediated,
            // Each failing item counts, so that a fixture names every item a grouped
            // finding holds.
            paths: outcome
                .violations
                .iter()
                .flat_map(|v| {
                    if v.items.is_empty() {
                        vec![v.path.clone()]
                    } else {
                        v.items.iter().map(|i| i.path.clone()).collect()
                    }
                })
                .collect(),
            missing: outcome.missing.iter().map(|m| m.path.clone()).collect(),
            invalid,
        }
    }
}

/// One clause of one fixture: expected against actual.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClauseResult {
    /// The clause id.
    pub clause: String,
    /// What the fixture expects.
    pub expected: Expect,
    /// What the clause gave; `None` when the pack has no such clause.
    pub actual: Option<Actual>,
    /// Whether every expectation holds.
    pub passed: bool,
    /// One line per difference (`status: expected violated, got compliant`), followed by what
    /// the clause found; empty when it passed.
    pub diff: Vec<String>,
}

/// A fixture that could not be read or is not a fixture.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixtureError {
    /// What is wrong, without the file name.
    pub message: String,
    /// The 1-based line, when known.
    pub line: Option<usize>,
    /// The 1-based column, when known.
    pub column: Option<usize>,
}

/// The result of one fixture file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FixtureResult {
    /// The file, as the tests folder given to [`run_tests`] joined with its relative path.
    pub file: String,
    /// The fixture's description (empty when it could not be read).
    pub description: String,
    /// Set when the file could not be read or is not a fixture; nothing was run.
    pub error: Option<FixtureError>,
    /// Problems of the fixture as a whole: it lives in the wrong folder, or a clause it does
    /// not expect to fail ended in `error`.
    pub problems: Vec<String>,
    /// One result per clause the fixture expects, sorted by clause id.
    pub clauses: Vec<ClauseResult>,
}

impl FixtureResult {
    /// Whether the fixture ran and every expectation holds.
    #[must_use]
    pub fn passed(&self) -> bool {
        self.error.is_none() && self.problems.is_empty() && self.clauses.iter().all(|c| c.passed)
    }

    /// A one-line error naming the file and, where known, line and column
    /// (`tests/a/b.json:3:7: missing field `status``); `None` when the fixture was read.
    #[must_use]
    pub fn error_line(&self) -> Option<String> {
        let e = self.error.as_ref()?;
        Some(match (e.line, e.column) {
            (Some(line), Some(column)) => format!("{}:{line}:{column}: {}", self.file, e.message),
            _ => format!("{}: {}", self.file, e.message),
        })
    }
}

/// The statuses and severities some fixture expects of one clause.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClauseCoverage {
    /// The clause id.
    pub clause: String,
    /// The statuses expected, in the order violated, compliant, insufficient evidence,
    /// not applicable, error.
    pub statuses: Vec<Status>,
    /// The severities expected (`severity` given and not `null`), least severe first.
    pub severities: Vec<Severity>,
    /// How many fixtures expect something of the clause.
    pub fixtures: usize,
}

/// Every fixture of a tests folder, run against one pack.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TestRun {
    /// Always [`TEST_RUN_FORMAT`].
    pub format: String,
    /// The pack's name.
    pub pack: String,
    /// The tests folder.
    pub dir: String,
    /// One result per fixture file, sorted by path.
    pub fixtures: Vec<FixtureResult>,
}

impl TestRun {
    /// How many fixtures passed.
    #[must_use]
    pub fn passed(&self) -> usize {
        self.fixtures.iter().filter(|f| f.passed()).count()
    }

    /// How many fixtures did not pass, the malformed ones included.
    #[must_use]
    pub fn failed(&self) -> usize {
        self.fixtures.len() - self.passed()
    }

    /// How many fixtures could not be read or are not fixtures.
    #[must_use]
    pub fn errors(&self) -> usize {
        self.fixtures.iter().filter(|f| f.error.is_some()).count()
    }

    /// Whether every fixture passed.
    #[must_use]
    pub fn is_success(&self) -> bool {
        self.fixtures.iter().all(FixtureResult::passed)
    }

    /// For each clause of the pack, in pack order, the statuses and severities some readable
    /// fixture expects (whether or not it passed). A clause without fixtures has empty lists.
    #[must_use]
    pub fn coverage(&self, pack: &RulePack) -> Vec<ClauseCoverage> {
        let order = [
            Status::Violated,
            Status::Compliant,
            Status::InsufficientEvidence,
            Status::NotApplicable,
            Status::NotExamined,
            Status::Error,
        ];
        pack.clause_ids()
            .map(|clause| {
                let expects: Vec<&Expect> = self
                    .fixtures
                    .iter()
                    .flat_map(|f| f.clauses.iter())
                    .filter(|c| c.clause == clause)
                    .map(|c| &c.expected)
                    .collect();
                let statuses = order
                    .iter()
                    .copied()
                    .filter(|s| expects.iter().any(|e| e.status == *s))
                    .collect();
                let severities: BTreeSet<Severity> = expects
                    .iter()
                    .filter_map(|e| e.severity.flatten())
                    .collect();
                ClauseCoverage {
                    clause: clause.to_string(),
                    statuses,
                    severities: severities.into_iter().collect(),
                    fixtures: expects.len(),
                }
            })
            .collect()
    }
}

impl TestRun {
    /// A warning (`W005`) for each clause of the pack that no fixture expects an outcome for,
    /// pointing at the clause in the rules.
    #[must_use]
    pub fn untested(&self, pack: &RulePack) -> Vec<crate::Diagnostic> {
        self.coverage(pack)
            .into_iter()
            .filter(|c| c.fixtures == 0)
            .filter_map(|c| {
                pack.clause_warning(
                    &c.clause,
                    crate::diagnostic::Code::W005,
                    format!("clause `{}` has no test", c.clause),
                    format!(
                        "add a fixture under `{TESTS_DIR}/{}/` that expects an outcome for it",
                        c.clause
                    ),
                )
            })
            .collect()
    }
}

/// Runs every `*.json` fixture under `dir` (recursively, sorted by path) against `pack`.
///
/// A file that cannot be read or is not a fixture does not stop the run: its
/// [`FixtureResult::error`] says why, with serde_json's line and column.
///
/// ```
/// # use conduct::RulePack;
/// # let pack = RulePack::builder().file("pack.conduct", "pack demo \"Demo\" languages en\n").build()?;
/// let dir = std::env::temp_dir().join(format!("conduct-doc-run-tests-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// std::fs::write(dir.join("broken.json"), "{\n  \"description\": 3\n}")?;
/// let run = conduct::tools::testing::run_tests(&pack, &dir)?;
/// std::fs::remove_dir_all(&dir)?;
/// let line = run.fixtures[0].error_line().unwrap_or_default();
/// assert!(line.ends_with("broken.json:2:18: invalid type: integer `3`, expected a string"), "{line}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`Error::Io`] when `dir`, or a folder under it, cannot be listed.
pub fn run_tests(pack: &RulePack, dir: &Path) -> Result<TestRun, Error> {
    let mut files = Vec::new();
    walk(dir, &mut files)?;
    files.sort();
    let clauses: BTreeSet<&str> = pack.clause_ids().collect();
    let fixtures = files
        .iter()
        .map(|path| run_one(pack, &clauses, dir, path))
        .collect();
    Ok(TestRun {
        format: TEST_RUN_FORMAT.to_string(),
        pack: pack.name().to_string(),
        dir: dir.display().to_string(),
        fixtures,
    })
}

/// Every `*.json` file under `dir`; symbolic links are not followed.
pub(crate) fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    let io = |e: std::io::Error| Error::Io {
        path: dir.display().to_string(),
        source: e,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let kind = entry.file_type().map_err(io)?;
        let path = entry.path();
        if kind.is_dir() {
            walk(&path, out)?;
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
    Ok(())
}

/// Reads a fixture; the error has no file name.
pub(crate) fn read_fixture(path: &Path) -> Result<Fixture, FixtureError> {
    let plain = |message: String| FixtureError {
        message,
        line: None,
        column: None,
    };
    let text = std::fs::read_to_string(path).map_err(|e| plain(format!("cannot read: {e}")))?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
    let fixture: Fixture = serde_json::from_str(text).map_err(|e| {
        let full = e.to_string();
        let suffix = format!(" at line {} column {}", e.line(), e.column());
        FixtureError {
            message: full.strip_suffix(&suffix).unwrap_or(&full).to_string(),
            line: (e.line() > 0).then_some(e.line()),
            column: (e.line() > 0).then_some(e.column()),
        }
    })?;
    if fixture.expect.is_empty() {
        return Err(plain("`expect` names no clause".to_string()));
    }
    Ok(fixture)
}

fn run_one(pack: &RulePack, clauses: &BTreeSet<&str>, dir: &Path, path: &Path) -> FixtureResult {
    let mut result = FixtureResult {
        file: path.display().to_string(),
        description: String::new(),
        error: None,
        problems: Vec::new(),
        clauses: Vec::new(),
    };
    let fixture = match read_fixture(path) {
        Ok(f) => f,
        Err(e) => {
            result.error = Some(e);
            return result;
        }
    };
    result.description.clone_from(&fixture.description);
    if let Some(folder) = folder_clause(dir, path) {
        if !clauses.contains(folder.as_str()) {
            result.problems.push(format!(
                "lives in folder `{folder}`, which is not a clause of the pack"
            ));
        } else if !fixture.expect.contains_key(&folder) {
            result.problems.push(format!(
                "lives in folder `{folder}` but does not expect anything of that clause"
            ));
        }
    }
    let mut options = Options::default();
    if let Some(date) = fixture.as_of.as_deref().and_then(Date::parse) {
        options = options.as_of(date);
    }
    let report = pack.evaluate(&fixture.evidence, &options);
    for (clause, expect) in &fixture.expect {
        let actual = report.outcome(clause);
        let diff = match actual {
            Some(outcome) => compare(expect, outcome),
            None => vec![format!("`{clause}` is not a clause of the pack")],
        };
        result.clauses.push(ClauseResult {
            clause: clause.clone(),
            expected: expect.clone(),
            actual: actual.map(Actual::of),
            passed: diff.is_empty(),
            diff,
        });
    }
    for outcome in &report.outcomes {
        let expected_error = fixture
            .expect
            .get(&outcome.clause)
            .is_some_and(|e| e.status == Status::Error);
        if outcome.status == Status::Error && !expected_error {
            result.problems.push(format!(
                "{} could not be evaluated: {}",
                outcome.clause,
                outcome.error.as_deref().unwrap_or("(no reason given)")
            ));
        }
    }
    result
}

/// The folder directly under `dir` that a fixture lives in, if it is not directly in `dir`.
fn folder_clause(dir: &Path, path: &Path) -> Option<String> {
    let relative = path.strip_prefix(dir).ok()?;
    let mut components = relative.components();
    let first = components.next()?;
    // A file directly in `dir` has a single component.
    components.next()?;
    Some(first.as_os_str().to_string_lossy().into_owned())
}

fn show_severity(s: Option<Severity>) -> &'static str {
    s.map_or("null", Severity::as_str)
}

fn show_list(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_default()
}

/// The differences between what a clause gave and what the fixture expects, followed by what
/// the clause found; empty when every expectation holds.
fn compare(expect: &Expect, outcome: &Outcome) -> Vec<String> {
    let actual = Actual::of(outcome);
    let mut diffs = Vec::new();
    if actual.status != expect.status {
        diffs.push(format!(
            "status: expected {}, got {}",
            expect.status.as_str(),
            actual.status.as_str()
        ));
    }
    if let Some(severity) = expect.severity
        && actual.severity != severity
    {
        diffs.push(format!(
            "severity: expected {}, got {}",
            show_severity(severity),
            show_severity(actual.severity)
        ));
    }
    if let Some(remediated) = expect.remediated
        && actual.remediated != remediated
    {
        diffs.push(format!(
            "remediated: expected {remediated}, got {}",
            actual.remediated
        ));
    }
    for (name, expected, got) in [
        ("paths", &expect.paths, &actual.paths),
        ("missing", &expect.missing, &actual.missing),
        ("invalid", &expect.invalid, &actual.invalid),
    ] {
        if let Some(expected) = expected
            && expected != got
        {
            diffs.push(format!(
                "{name}: expected {}, got {}",
                show_list(expected),
                show_list(got)
            ));
        }
    }
    if !diffs.is_empty() {
        // What the clause found, so that a failure can be read without running anything.
        for v in &outcome.violations {
            diffs.push(format!(
                "  found {} at {}: {}",
                v.severity, v.path, v.message
            ));
        }
        for i in &outcome.invalid {
            diffs.push(format!("  invalid {}: {}", i.path, i.reason));
        }
        if let Some(error) = &outcome.error {
            diffs.push(format!("  error: {error}"));
        }
    }
    diffs
}
