//! The completion check (`W007`): a clause outcome and its evidence in, whether every
//! completion of the clause's missing evidence gives one and the same outcome out.
//!
//! A clause is `insufficient_evidence` only when some completion of its missing evidence would
//! make it compliant and another would make it violated. [`check_outcome`] fills each missing
//! pointer with values drawn from the pack's declared evidence shape — both booleans, every
//! enumerated text, numbers at and just around every constant and parameter the clause reads,
//! dates around `as_of`, the evidence's own dates and the clause's durations, texts the clause
//! compares with, an empty and a one-item list — and re-runs the clause on each completion, in
//! a deterministic order and within [`COMPLETION_BUDGET`] evaluations. When every completion
//! tried gives the same decided status, the evidence at hand already decides the clause and
//! [`CompletionCheck::warning`] is a `W007`.
//!
//! Evaluation is pure, so a completion is the evidence document with the missing values
//! written in, evaluated for the one clause.
//!
//! ```
//! use conduct::{Options, RulePack, Status};
//! use conduct::tools::completion::check_report;
//!
//! // Nobody paid a fee, so the fees paid in all are zero whatever the workforce; the
//! // clause waits for the workforce anyway.
//! let pack = RulePack::builder()
//!     .file("pack.conduct", r#"
//! pack demo "Demo" languages en
//! evidence { fee_each: number, workers: number }
//! clause fees.none
//!   title en "No fees"
//!   severity major
//!   require workers * fee_each == 0
//!     message en "fees paid"
//! "#)
//!     .build()?;
//! let evidence = serde_json::json!({ "fee_each": 0 });
//! let options = Options::default();
//! let report = pack.evaluate(&evidence, &options);
//! assert_eq!(report.outcomes[0].status, Status::InsufficientEvidence);
//! let checks = check_report(&pack, &evidence, &options, &report);
//! assert_eq!(checks[0].agreed, Some(Status::Compliant));
//! assert!(checks[0].warning(&pack, "fixture.json").is_some());
//! # Ok::<(), conduct::Error>(())
//! ```

use std::collections::BTreeSet;
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use crate::date::{Date, Duration};
use crate::diagnostic::Code;
use crate::number::Number;
use crate::pack::RulePack;
use crate::program::{
    Binding, ClauseDef, Const, DeadlineDef, Expr, ExprKind, Program, RemediationDef, SeverityRule,
    Shape, ShapeId, Stmt, Type, Unit,
};
use crate::{Diagnostic, Options, Outcome, Report, Status};

/// At most this many evaluations per clause outcome.
pub const COMPLETION_BUDGET: usize = 256;

/// At most this many candidate values per missing field.
const MAX_CANDIDATES: usize = 64;

/// One completion tried: a value for each completed pointer, and the status it gave.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Completion {
    /// `(JSON Pointer, value written there)`, in the order of [`CompletionCheck::paths`].
    pub values: Vec<(String, Value)>,
    /// The clause's status on the completed evidence.
    pub status: Status,
}

/// What completing one clause's missing evidence gave.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CompletionCheck {
    /// The clause id.
    pub clause: String,
    /// The clause's status on the evidence as given.
    pub status: Status,
    /// The missing pointers that were completed (those the declared shape describes).
    pub paths: Vec<String>,
    /// Missing entries that could not be completed: no declared shape, not a pointer
    /// (`as_of`), or a value the evidence holds (what was read from it was missing). While one is left, the clause stays undecided and no warning is given.
    pub skipped: Vec<String>,
    /// How many completions were evaluated.
    pub tried: usize,
    /// The status every completion gave, when they all gave the same decided one
    /// (compliant, violated, not applicable or not examined).
    pub agreed: Option<Status>,
    /// Two completions that gave different decided statuses, when found (the check stops
    /// there). Completions that leave the clause undecided or in error are not compared.
    pub differing: Option<(Completion, Completion)>,
    /// The first completions tried (at most four), for the warning's text.
    pub examples: Vec<Completion>,
}

impl CompletionCheck {
    /// The `W007` warning when the clause is `insufficient_evidence` although every
    /// completion tried agrees; `context` names the evidence (a fixture's file).
    #[must_use]
    pub fn warning(&self, pack: &RulePack, context: &str) -> Option<Diagnostic> {
        let agreed = self.agreed?;
        if self.status != Status::InsufficientEvidence {
            return None;
        }
        let examples: Vec<String> = self
            .examples
            .iter()
            .take(2)
            .map(|c| {
                let values: Vec<String> =
                    c.values.iter().map(|(p, v)| format!("{p} = {v}")).collect();
                format!("{{{}}}", values.join(", "))
            })
            .collect();
        pack.clause_warning(
            &self.clause,
            Code::W007,
            format!(
                "clause `{}` is insufficient_evidence on {context}, but every completion of its missing evidence makes it {agreed}",
                self.clause
            ),
            format!(
                "missing {}; {} completions tried, e.g. {}; decide the clause from the evidence at hand (and keep listing what is missing)",
                self.paths.join(", "),
                self.tried,
                examples.join(" ")
            ),
        )
    }
}

/// The `W007` warnings of a pack's fixtures (the `*.json` files under `dir`, as
/// [`run_tests`](super::testing::run_tests) reads them): one per clause a fixture expects an
/// outcome of that is `insufficient_evidence` although every completion tried agrees, in the
/// order of the files. Files that are not fixtures are left to `run_tests` to report.
///
/// # Errors
/// [`Error::Io`](crate::Error::Io) when `dir`, or a folder under it, cannot be listed.
pub fn check_fixtures(pack: &RulePack, dir: &Path) -> Result<Vec<Diagnostic>, crate::Error> {
    let mut files = Vec::new();
    super::testing::walk(dir, &mut files)?;
    files.sort();
    let mut warnings = Vec::new();
    for path in files {
        let Ok(fixture) = super::testing::read_fixture(&path) else {
            continue;
        };
        let mut options = Options::default();
        if let Some(date) = fixture.as_of.as_deref().and_then(Date::parse) {
            options = options.as_of(date);
        }
        let report = pack.evaluate(&fixture.evidence, &options);
        let context = path.display().to_string();
        for outcome in report
            .outcomes
            .iter()
            .filter(|o| o.status == Status::InsufficientEvidence)
            .filter(|o| fixture.expect.contains_key(&o.clause))
        {
            let check = check_outcome(pack, &fixture.evidence, &options, report.as_of, outcome);
            warnings.extend(check.warning(pack, &context));
        }
    }
    Ok(warnings)
}

/// The completion check of every `insufficient_evidence` outcome of `report`, which is
/// `pack`'s report on `evidence` with `options`, in the report's order.
#[must_use]
pub fn check_report(
    pack: &RulePack,
    evidence: &Value,
    options: &Options,
    report: &Report,
) -> Vec<CompletionCheck> {
    report
        .outcomes
        .iter()
        .filter(|o| o.status == Status::InsufficientEvidence)
        .map(|o| check_outcome(pack, evidence, options, report.as_of, o))
        .collect()
}

/// Completes the missing evidence of one outcome (of any status) and re-runs its clause on
/// each completion; `as_of` is the report's evaluation date.
#[must_use]
pub fn check_outcome(
    pack: &RulePack,
    evidence: &Value,
    options: &Options,
    as_of: Option<Date>,
    outcome: &Outcome,
) -> CompletionCheck {
    let program = pack.program();
    let mut check = CompletionCheck {
        clause: outcome.clause.clone(),
        status: outcome.status,
        paths: Vec::new(),
        skipped: Vec::new(),
        tried: 0,
        agreed: None,
        differing: None,
        examples: Vec::new(),
    };
    let Some(clause) = program.clauses.iter().find(|c| c.id == outcome.clause) else {
        return check;
    };
    let mut found = Constants::default();
    found.clause(program, clause);
    found.evidence_dates(evidence, 0);
    let mut dims: Vec<(String, Vec<Value>)> = Vec::new();
    for missing in &outcome.missing {
        let shape = shape_at(program, &missing.path);
        // Only evidence that is absent or null is completed: a missing entry can name a
        // present value that something read from it lacked (the first open site of a list).
        let absent = evidence.pointer(&missing.path).is_none_or(Value::is_null);
        match shape {
            Some(id) if missing.path.starts_with('/') && absent => {
                let values = candidates(program, id, &found, as_of, 0);
                if values.is_empty() {
                    check.skipped.push(missing.path.clone());
                } else {
                    dims.push((missing.path.clone(), values));
                }
            }
            _ => check.skipped.push(missing.path.clone()),
        }
    }
    check.paths = dims.iter().map(|(p, _)| p.clone()).collect();
    if dims.is_empty() {
        return check;
    }
    let mut first: Option<Completion> = None;
    let mut all_same = true;
    for choice in choices(&dims.iter().map(|(_, v)| v.len()).collect::<Vec<_>>()) {
        let mut doc = evidence.clone();
        let mut values = Vec::with_capacity(dims.len());
        for ((path, candidates), i) in dims.iter().zip(&choice) {
            let Some(v) = candidates.get(*i) else {
                continue;
            };
            set_at(&mut doc, path, v.clone());
            values.push((path.clone(), v.clone()));
        }
        let Some(got) = crate::eval::evaluate_clause(program, &doc, options, &outcome.clause)
        else {
            return check;
        };
        check.tried += 1;
        let completion = Completion {
            values,
            status: got.status,
        };
        if check.examples.len() < 4 {
            check.examples.push(completion.clone());
        }
        // Only decided outcomes count: a completion that leaves other evidence unknown (an
        // item with its fields missing) or faults decides nothing, but no agreement either.
        if matches!(got.status, Status::InsufficientEvidence | Status::Error) {
            all_same = false;
            continue;
        }
        match &first {
            None => first = Some(completion),
            Some(f) if f.status != completion.status => {
                check.differing = Some((f.clone(), completion));
                return check;
            }
            Some(_) => {}
        }
    }
    if all_same {
        check.agreed = first.map(|f| f.status);
    }
    check
}

/// Which candidate of each field each completion takes: every combination when they fit the
/// budget; else the first candidates everywhere, then each field through its candidates with
/// the others at their first, then deterministic pseudo-random combinations.
fn choices(sizes: &[usize]) -> Vec<Vec<usize>> {
    let total = sizes
        .iter()
        .try_fold(1usize, |acc, n| acc.checked_mul(*n))
        .unwrap_or(usize::MAX);
    let mut out: Vec<Vec<usize>> = Vec::new();
    if total <= COMPLETION_BUDGET {
        let mut current = vec![0; sizes.len()];
        for _ in 0..total {
            out.push(current.clone());
            for (i, n) in current.iter_mut().zip(sizes).rev() {
                *i += 1;
                if *i < *n {
                    break;
                }
                *i = 0;
            }
        }
        return out;
    }
    let base = vec![0; sizes.len()];
    out.push(base.clone());
    'each: for (d, n) in sizes.iter().enumerate() {
        for j in 1..*n {
            if out.len() >= COMPLETION_BUDGET {
                break 'each;
            }
            let mut c = base.clone();
            if let Some(slot) = c.get_mut(d) {
                *slot = j;
            }
            out.push(c);
        }
    }
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    while out.len() < COMPLETION_BUDGET {
        let c = sizes
            .iter()
            .map(|n| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                usize::try_from(state >> 33).unwrap_or(0) % (*n).max(1)
            })
            .collect();
        out.push(c);
    }
    out
}

/// The declared shape of the value at `pointer`, from the pack's evidence declaration.
fn shape_at(program: &Program, pointer: &str) -> Option<ShapeId> {
    let mut id = program.evidence_root?;
    for segment in pointer.split('/').skip(1) {
        let key = segment.replace("~1", "/").replace("~0", "~");
        id = match program.shapes.get(id as usize)? {
            Shape::Object(fields) => *fields.get(&key)?,
            Shape::List(item) if key.parse::<usize>().is_ok() => *item,
            _ => return None,
        };
    }
    Some(id)
}

/// Writes `value` at `pointer`, making the objects on the way where they are absent or
/// `null`; a list index that does not exist stops it (nothing is written).
fn set_at(doc: &mut Value, pointer: &str, value: Value) {
    let mut here = doc;
    let segments: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect();
    let Some((last, path)) = segments.split_last() else {
        *here = value;
        return;
    };
    for key in path {
        if here.is_null() {
            *here = Value::Object(serde_json::Map::new());
        }
        here = match here {
            Value::Object(map) => map.entry(key.clone()).or_insert(Value::Null),
            Value::Array(items) => match key.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                Some(item) => item,
                None => return,
            },
            _ => return,
        };
    }
    if here.is_null() {
        *here = Value::Object(serde_json::Map::new());
    }
    match here {
        Value::Object(map) => {
            map.insert(last.clone(), value);
        }
        Value::Array(items) => {
            if let Some(item) = last.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                *item = value;
            }
        }
        _ => {}
    }
}

/// The values a missing field of shape `id` is completed with, in a fixed order.
fn candidates(
    program: &Program,
    id: ShapeId,
    found: &Constants,
    as_of: Option<Date>,
    depth: usize,
) -> Vec<Value> {
    let Some(shape) = program.shapes.get(id as usize) else {
        return Vec::new();
    };
    let mut out: Vec<Value> = match shape {
        Shape::Scalar(Type::Bool) => vec![Value::Bool(false), Value::Bool(true)],
        Shape::Enum(set) => set.iter().map(|t| Value::String(t.clone())).collect(),
        Shape::Scalar(Type::Number) => found.numbers().into_iter().map(Number::to_json).collect(),
        Shape::Scalar(Type::Date) => found
            .dates(as_of)
            .into_iter()
            .map(|d| Value::String(d.to_string()))
            .collect(),
        Shape::Scalar(Type::String) => {
            let mut texts = vec![String::new()];
            texts.extend(found.texts.iter().cloned());
            texts.into_iter().map(Value::String).collect()
        }
        Shape::List(item) => {
            // Empty; one item of each kind the item can be; and, for texts, all of them.
            let mut lists = vec![Value::Array(Vec::new())];
            match program.shapes.get(*item as usize) {
                Some(Shape::Object(_)) => {
                    lists.push(Value::Array(vec![Value::Object(serde_json::Map::new())]));
                }
                Some(other) if depth < 2 => {
                    let items = candidates(program, *item, found, as_of, depth + 1);
                    lists.extend(items.iter().map(|v| Value::Array(vec![v.clone()])));
                    if matches!(other, Shape::Enum(_) | Shape::Scalar(Type::String))
                        && items.len() > 1
                    {
                        lists.push(Value::Array(items));
                    }
                }
                _ => {}
            }
            lists
        }
        // A missing object: an empty one (its fields missing in turn).
        Shape::Object(_) => vec![Value::Object(serde_json::Map::new())],
        Shape::Scalar(_) => Vec::new(),
    };
    out.truncate(MAX_CANDIDATES);
    out
}

/// The constants a clause compares with: literals, parameters, table entries, and those of
/// the definitions and functions it calls; plus the dates the evidence holds.
#[derive(Default)]
struct Constants {
    numbers: BTreeSet<Number>,
    dates: BTreeSet<Date>,
    durations: Vec<Duration>,
    texts: BTreeSet<String>,
    seen_globals: BTreeSet<usize>,
    seen_functions: BTreeSet<usize>,
}

impl Constants {
    /// Numbers at and just around each constant, and 0 and 1.
    fn numbers(&self) -> Vec<Number> {
        let near = Number::parse("0.001").unwrap_or(Number::ONE);
        let mut out = BTreeSet::from([Number::ZERO, Number::ONE]);
        out.extend(Number::from_i64(1_000_000_000));
        for n in &self.numbers {
            for d in [Number::ONE, near] {
                out.extend(n.checked_sub(d));
                out.extend(n.checked_add(d));
            }
            out.insert(*n);
        }
        let all: Vec<Number> = out.into_iter().collect();
        thin(all)
    }

    /// Dates around `as_of` and the evidence's and clause's dates, and around those moved by
    /// the clause's durations (deadlines).
    fn dates(&self, as_of: Option<Date>) -> Vec<Date> {
        let mut bases: BTreeSet<Date> = self.dates.clone();
        bases.extend(as_of);
        let mut around = BTreeSet::new();
        for b in &bases {
            around.insert(*b);
            let mut moved = vec![*b];
            for d in &self.durations {
                moved.extend(b.checked_add(*d));
                moved.extend(b.checked_sub(*d));
            }
            for m in moved {
                around.insert(m);
                around.extend(m.checked_add(Duration::Days(1)));
                around.extend(m.checked_sub(Duration::Days(1)));
            }
        }
        around.extend(Date::from_ymd(1900, 1, 1));
        around.extend(Date::from_ymd(2100, 1, 1));
        thin(around.into_iter().collect())
    }

    fn evidence_dates(&mut self, v: &Value, depth: usize) {
        if depth > 16 {
            return;
        }
        match v {
            Value::String(s) => {
                if self.dates.len() < 16
                    && let Some(d) = Date::parse(s)
                {
                    self.dates.insert(d);
                }
            }
            Value::Number(n) => {
                if self.numbers.len() < 64
                    && let Some(n) = Number::from_json(n)
                {
                    self.numbers.insert(n);
                }
            }
            Value::Array(items) => items.iter().for_each(|i| self.evidence_dates(i, depth + 1)),
            Value::Object(map) => map.values().for_each(|i| self.evidence_dates(i, depth + 1)),
            _ => {}
        }
    }

    fn constant(&mut self, c: &Const) {
        match c {
            Const::Number(n) => {
                self.numbers.insert(*n);
            }
            Const::Date(d) => {
                self.dates.insert(*d);
            }
            Const::Duration(d) => self.durations.push(*d),
            Const::Str(s) => {
                if self.texts.len() < MAX_CANDIDATES {
                    self.texts.insert(s.to_string());
                }
            }
            Const::List(items) => items.iter().for_each(|i| self.constant(i)),
            Const::Null | Const::Bool(_) => {}
        }
    }

    fn clause(&mut self, program: &Program, c: &ClauseDef) {
        for e in [&c.scope, &c.examined, &c.remedied].into_iter().flatten() {
            self.expr(program, e);
        }
        self.severity(program, &c.severity);
        if let Some(r) = &c.remediation {
            self.remediation(program, r);
        }
        self.stmts(program, &c.body);
    }

    fn severity(&mut self, program: &Program, s: &SeverityRule) {
        if let SeverityRule::Cases { cases, .. } = s {
            for (_, e) in cases {
                self.expr(program, e);
            }
        }
    }

    fn remediation(&mut self, program: &Program, r: &RemediationDef) {
        match &r.deadline {
            Some(DeadlineDef::Within(e) | DeadlineDef::Due(e)) => self.expr(program, e),
            None => {}
        }
        for e in [&r.from, &r.agreed, &r.plan].into_iter().flatten() {
            self.expr(program, e);
        }
    }

    fn stmts(&mut self, program: &Program, body: &[Stmt]) {
        for s in body {
            match s {
                Stmt::Let { value, .. } => self.expr(program, value),
                Stmt::For { bindings, body } => {
                    self.bindings(program, bindings);
                    self.stmts(program, body);
                }
                Stmt::Require(r) => {
                    self.expr(program, &r.condition);
                    for e in [&r.remedied].into_iter().flatten() {
                        self.expr(program, e);
                    }
                    if let Some(s) = &r.severity {
                        self.severity(program, s);
                    }
                    if let Some(rem) = &r.remediation {
                        self.remediation(program, rem);
                    }
                }
                Stmt::Insufficient { condition, .. } => self.expr(program, condition),
            }
        }
    }

    fn bindings(&mut self, program: &Program, bindings: &[Binding]) {
        for b in bindings {
            self.expr(program, &b.collection);
            if let Some(f) = &b.filter {
                self.expr(program, f);
            }
        }
    }

    fn expr(&mut self, program: &Program, e: &Expr) {
        match &e.kind {
            ExprKind::Const(c) => self.constant(c),
            ExprKind::Param(i) => {
                if let Some(p) = program.params.get(*i) {
                    self.constant(&p.default);
                }
            }
            ExprKind::Table(t, key) => {
                if let Some(table) = program.tables.get(*t) {
                    table.entries.values().for_each(|c| self.constant(c));
                    if let Some(d) = &table.default {
                        self.constant(d);
                    }
                }
                self.expr(program, key);
            }
            ExprKind::Global(i) => {
                if self.seen_globals.insert(*i)
                    && let Some(d) = program.definitions.get(*i)
                {
                    self.expr(program, d);
                }
            }
            ExprKind::CallFunction(i, args) => {
                if self.seen_functions.insert(*i)
                    && let Some(f) = program.functions.get(*i)
                {
                    self.expr(program, &f.body);
                }
                args.iter().for_each(|a| self.expr(program, a));
            }
            ExprKind::Duration(inner, unit) => {
                if let ExprKind::Const(Const::Number(n)) = &inner.kind
                    && let Some(n) = n.to_i64()
                {
                    let d = match unit {
                        Unit::Days => Duration::days(n),
                        Unit::Weeks => Duration::weeks(n),
                        Unit::Months => Duration::months(n),
                        Unit::Years => Duration::years(n),
                    };
                    self.durations.extend(d);
                }
                self.expr(program, inner);
            }
            ExprKind::Local(_)
            | ExprKind::AsOf
            | ExprKind::Severity
            | ExprKind::Actual
            | ExprKind::Expected
            | ExprKind::Path { .. } => {}
            ExprKind::Index(a, b, _)
            | ExprKind::And(a, b)
            | ExprKind::Or(a, b)
            | ExprKind::Cmp(_, a, b)
            | ExprKind::Arith(_, a, b)
            | ExprKind::Coalesce(a, b)
            | ExprKind::In {
                item: a, list: b, ..
            } => {
                self.expr(program, a);
                self.expr(program, b);
            }
            ExprKind::Not(a) | ExprKind::Neg(a) => self.expr(program, a),
            ExprKind::Call(_, args) | ExprKind::List(args) => {
                args.iter().for_each(|a| self.expr(program, a));
            }
            ExprKind::If(a, b, c) => {
                self.expr(program, a);
                self.expr(program, b);
                self.expr(program, c);
            }
            ExprKind::Aggregate { bindings, body, .. } => {
                self.bindings(program, bindings);
                if let Some(b) = body {
                    self.expr(program, b);
                }
            }
        }
    }
}

/// At most [`MAX_CANDIDATES`] values, spread evenly over the sorted list (both ends kept).
fn thin<T: Clone>(all: Vec<T>) -> Vec<T> {
    if all.len() <= MAX_CANDIDATES {
        return all;
    }
    let n = all.len();
    (0..MAX_CANDIDATES)
        .filter_map(|k| all.get(k * (n - 1) / (MAX_CANDIDATES - 1)).cloned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{COMPLETION_BUDGET, choices, set_at};

    #[test]
    fn small_spaces_are_enumerated_whole() {
        let all = choices(&[2, 3]);
        assert_eq!(all.len(), 6);
        assert_eq!(all.first(), Some(&vec![0, 0]));
        assert_eq!(all.last(), Some(&vec![1, 2]));
    }

    #[test]
    fn large_spaces_stay_within_the_budget_and_vary_each_field() {
        let all = choices(&[40, 40, 40]);
        assert_eq!(all.len(), COMPLETION_BUDGET);
        assert!(all.contains(&vec![0, 39, 0]));
        assert_eq!(all, choices(&[40, 40, 40]), "deterministic");
    }

    #[test]
    fn values_are_written_through_absent_objects() {
        let mut doc = serde_json::json!({ "sites": [{ "a": null }] });
        set_at(&mut doc, "/sites/0/a/b", serde_json::json!(3));
        set_at(&mut doc, "/sites/4/a", serde_json::json!(3));
        assert_eq!(doc, serde_json::json!({ "sites": [{ "a": { "b": 3 } }] }));
    }
}
