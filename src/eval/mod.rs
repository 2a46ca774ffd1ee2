//! Evaluation: [`Program`] × `&serde_json::Value` → [`Report`].
//!
//! Three-valued (Kleene) logic over evidence read in place. A clause never fails the report:
//! a limit or an arithmetic fault becomes that clause's `error` outcome. No clock, file or
//! network access happens here.

mod builtins;
pub(crate) mod value;

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::rc::Rc;

use serde_json::Value;

use self::value::{Loc, NO_LOC, ROOT_LOC, V, Val, Why, describe_json};
use crate::date::{Date, Duration};
use crate::explain::{Trace, TraceCase, TraceItem, TraceLet, TraceValue, Truth};
use crate::limits::EvalLimits;
use crate::number::Number;
use crate::program::{
    AggregateKind, ArithOp, Binding, ClauseDef, CmpOp, Const, DeadlineDef, Expect, Expr, ExprKind,
    PathBase, Program, RemediationDef, Requirement, SeverityRule, Step, Stmt, Template,
    TemplatePart, Unit,
};
use crate::report::{
    Engine, Invalid, Outcome, PackInfo, Remediation, Report, Severity, Status, Verdict, Violation,
};

/// Positions of a list's items by the text value of one field.
struct ListIndex<'a> {
    by_value: std::collections::HashMap<&'a str, Vec<usize>>,
    /// Items whose field is absent, null or not a text: the filter decides them one by one.
    others: Vec<usize>,
}

/// A reason a clause cannot be evaluated that is not the evidence's fault.
#[derive(Debug, Clone)]
pub(crate) struct Fault(pub(crate) String);

type R<'a> = Result<V<'a>, Fault>;

/// One segment of an evidence path in the arena.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Seg<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

/// What a requirement found, collected per clause.
#[derive(Default)]
struct Run {
    violations: Vec<Violation>,
    found: usize,
    remedied: usize,
    missing: BTreeSet<String>,
    invalid: BTreeSet<Invalid>,
}

impl Run {
    fn absorb(&mut self, why: &Why) {
        self.missing.extend(why.missing.iter().cloned());
        for (path, reason) in &why.invalid {
            self.invalid.insert(Invalid {
                path: path.clone(),
                reason: reason.clone(),
            });
        }
    }
}

/// The context of a violation being written: for `actual`, `expected` and `severity`.
struct ViolationContext<'a> {
    severity: Severity,
    actual: V<'a>,
    expected: String,
}

pub(crate) struct Evaluator<'a> {
    program: &'a Program,
    /// Indexes of evidence lists by a text field, built once per evaluation for equality
    /// filters (`where item.key == other`): list address and key → positions by value, and
    /// the positions whose key is not a text (always checked).
    indexes: std::collections::HashMap<(usize, &'a str), Rc<ListIndex<'a>>>,
    /// Pack-level definitions, computed once before the clauses.
    globals: Vec<Result<V<'a>, Fault>>,
    /// Arena entries below this belong to the definitions and survive each clause.
    arena_base: usize,
    /// How deep pack-level functions are calling each other now.
    call_depth: usize,
    evidence: &'a Value,
    params: Vec<V<'a>>,
    as_of: V<'a>,
    language: &'a str,
    limits: &'a EvalLimits,
    arena: Vec<(Loc, Seg<'a>)>,
    slots: Vec<V<'a>>,
    steps: u64,
    context: Option<ViolationContext<'a>>,
    clause: &'a str,
    /// What `conduct explain` records about one clause; `None` in ordinary evaluation.
    trace: Option<Box<Trace>>,
}

/// Parses a `--param` value by the parameter's declared type.
pub(crate) fn param_value(ty: &crate::program::Type, text: &str) -> Result<Const, String> {
    use crate::program::Type;
    let text = text.trim();
    match ty {
        Type::Number => Number::parse(text)
            .map(Const::Number)
            .ok_or_else(|| format!("`{text}` is not a number")),
        Type::Bool => match text {
            "true" => Ok(Const::Bool(true)),
            "false" => Ok(Const::Bool(false)),
            _ => Err(format!("`{text}` is not `true` or `false`")),
        },
        Type::Date => Date::parse(text)
            .map(Const::Date)
            .ok_or_else(|| format!("`{text}` is not a date (YYYY-MM-DD)")),
        Type::Duration => {
            let mut it = text.split_whitespace();
            let n = it.next().and_then(|n| n.parse::<i64>().ok());
            let d = match (n, it.next(), it.next()) {
                (Some(n), Some("day" | "days"), None) => Duration::days(n),
                (Some(n), Some("week" | "weeks"), None) => Duration::weeks(n),
                (Some(n), Some("month" | "months"), None) => Duration::months(n),
                (Some(n), Some("year" | "years"), None) => Duration::years(n),
                _ => None,
            };
            d.map(Const::Duration)
                .ok_or_else(|| format!("`{text}` is not a duration such as `30 days`"))
        }
        _ => Ok(Const::Str(text.into())),
    }
}

fn const_value(c: &Const) -> V<'_> {
    V::new(match c {
        Const::Null => Val::Null,
        Const::Bool(b) => Val::Bool(*b),
        Const::Number(n) => Val::Num(*n),
        Const::Str(s) => Val::Str(Cow::Borrowed(s)),
        Const::Date(d) => Val::Date(*d),
        Const::Duration(d) => Val::Dur(*d),
        Const::List(items) => Val::List(items.iter().map(const_value).collect()),
    })
}

/// The deepest nesting of a JSON value, computed without recursion.
fn evidence_depth(v: &Value, limit: usize) -> usize {
    let mut stack = vec![(v, 1usize)];
    let mut max = 0;
    while let Some((v, d)) = stack.pop() {
        max = max.max(d);
        if max > limit {
            return max;
        }
        // Scalars cannot nest: only containers go on the stack.
        let containers = |x: &&Value| x.is_array() || x.is_object();
        match v {
            Value::Array(a) => stack.extend(a.iter().filter(containers).map(|x| (x, d + 1))),
            Value::Object(o) => stack.extend(o.values().filter(containers).map(|x| (x, d + 1))),
            _ => {}
        }
    }
    max
}

/// Evaluates a whole pack.
pub(crate) fn evaluate(program: &Program, evidence: &Value, options: &crate::Options) -> Report {
    evaluate_with(program, evidence, options, None).0
}

/// Evaluates a whole pack, recording a [`Trace`] of the clause `traced` (for `explain`).
pub(crate) fn evaluate_traced(
    program: &Program,
    evidence: &Value,
    options: &crate::Options,
    traced: &str,
) -> (Report, Option<Trace>) {
    evaluate_with(program, evidence, options, Some(traced))
}

fn evaluate_with(
    program: &Program,
    evidence: &Value,
    options: &crate::Options,
    traced: Option<&str>,
) -> (Report, Option<Trace>) {
    let limits = &options.limits;
    let language = if program.languages.contains(&options.language) {
        options.language.as_str()
    } else {
        program.languages.first().map_or("en", String::as_str)
    };
    let mut fatal: Option<String> = None;
    let mut params: Vec<V<'_>> = program
        .params
        .iter()
        .map(|p| const_value(&p.default))
        .collect();
    let mut overrides: Vec<Const> = Vec::new();
    for (name, text) in &options.params {
        match program.params.iter().position(|p| p.name == *name) {
            Some(i) => match program.params.get(i).map(|p| param_value(&p.ty, text)) {
                Some(Ok(c)) => {
                    overrides.push(c);
                    let _ = i;
                }
                Some(Err(e)) => fatal = Some(format!("parameter `{name}`: {e}")),
                None => {}
            },
            None => fatal = Some(format!("the pack has no parameter `{name}`")),
        }
    }
    let mut ov = overrides.iter();
    for (name, _) in &options.params {
        if let Some(i) = program.params.iter().position(|p| p.name == *name)
            && let (Some(slot), Some(c)) = (params.get_mut(i), ov.next())
        {
            *slot = const_value(c);
        }
    }
    let depth = evidence_depth(evidence, limits.max_evidence_depth);
    if depth > limits.max_evidence_depth {
        fatal = Some(format!(
            "the evidence nests deeper than {} levels",
            limits.max_evidence_depth
        ));
    }
    let mut ev = Evaluator {
        program,
        indexes: std::collections::HashMap::new(),
        globals: Vec::new(),
        arena_base: 1,
        call_depth: 0,
        evidence,
        params,
        as_of: V::new(Val::Null),
        language,
        limits,
        arena: vec![(NO_LOC, Seg::Root)],
        slots: Vec::new(),
        steps: 0,
        context: None,
        clause: "",
        trace: None,
    };
    let mut subject = indexmap::IndexMap::new();
    if fatal.is_none() {
        ev.slots = vec![V::new(Val::Null); program.header_slots];
        ev.as_of = match (options.as_of, &program.as_of) {
            (Some(d), _) => V::new(Val::Date(d)),
            (None, Some(e)) => match ev.eval(e) {
                Ok(v) => ev.as_date(v).unwrap_or_else(|w| V::unknown(w, NO_LOC)),
                Err(f) => V::unknown(
                    Why {
                        missing: Vec::new(),
                        invalid: vec![(String::new(), f.0)],
                    },
                    NO_LOC,
                ),
            },
            (None, None) => V::unknown(
                Why {
                    missing: vec!["as_of (give --as-of)".into()],
                    invalid: Vec::new(),
                },
                NO_LOC,
            ),
        };
        for d in &program.definitions {
            let v = ev.eval(d);
            ev.globals.push(v);
        }
        ev.arena_base = ev.arena.len();
        for (name, e) in &program.subject {
            let v = ev.eval(e).map(|v| v.to_json()).unwrap_or(Value::Null);
            subject.insert(name.clone(), v);
        }
    }
    let mut outcomes = Vec::with_capacity(program.clauses.len());
    let mut trace = None;
    for clause in &program.clauses {
        let tracing = traced == Some(clause.id.as_str());
        if tracing {
            ev.trace = Some(Box::default());
        }
        let outcome = match &fatal {
            Some(msg) => ev.error_outcome(clause, msg.clone()),
            None => ev.clause(clause),
        };
        if tracing {
            trace = ev.trace.take().map(|t| *t);
        }
        outcomes.push(outcome);
    }
    let as_of = match &ev.as_of.val {
        Val::Date(d) => Some(d.to_string()),
        _ => None,
    };
    let mut report = Report {
        format: crate::report::REPORT_FORMAT.to_string(),
        engine: Engine {
            name: "conduct".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        pack: PackInfo {
            name: program.name.clone(),
            title: program.title.clone(),
            edition: program.edition.clone(),
            digest: program.digest.clone(),
        },
        as_of,
        language: language.to_string(),
        subject,
        verdict: Verdict::Compliant,
        summary: crate::report::Summary::default(),
        outcomes,
    };
    report.finish();
    (report, trace)
}

fn pick<'t, T>(items: &'t [(String, T)], language: &str, fallback: Option<&str>) -> Option<&'t T> {
    items
        .iter()
        .find(|(l, _)| l == language)
        .or_else(|| fallback.and_then(|f| items.iter().find(|(l, _)| l == f)))
        .or_else(|| items.first())
        .map(|(_, t)| t)
}

impl<'a> Evaluator<'a> {
    fn title(&self, c: &ClauseDef) -> String {
        pick(
            &c.titles,
            self.language,
            self.program.languages.first().map(String::as_str),
        )
        .cloned()
        .unwrap_or_default()
    }

    fn error_outcome(&self, c: &ClauseDef, message: String) -> Outcome {
        Outcome {
            clause: c.id.clone(),
            title: self.title(c),
            references: c.references.clone(),
            status: Status::Error,
            severity: None,
            remediated: false,
            violations: Vec::new(),
            missing: Vec::new(),
            invalid: Vec::new(),
            error: Some(message),
            truncated: false,
        }
    }

    fn clause(&mut self, c: &'a ClauseDef) -> Outcome {
        self.clause = &c.id;
        self.slots.clear();
        self.slots.resize(c.slots, V::new(Val::Null));
        self.arena.truncate(self.arena_base);
        self.steps = 0;
        let mut run = Run::default();
        let mut status = None;
        let mut remediated = false;
        let result = (|| -> Result<(), Fault> {
            if let Some(scope) = &c.scope {
                let v = self.eval(scope)?;
                if let Some(t) = self.trace.as_mut() {
                    t.scope = Some(Truth::of(&v.val));
                }
                match &v.val {
                    Val::Bool(true) => {}
                    Val::Bool(false) => {
                        status = Some(Status::NotApplicable);
                        return Ok(());
                    }
                    Val::Unknown(w) => {
                        run.absorb(w);
                        status = Some(Status::InsufficientEvidence);
                        return Ok(());
                    }
                    _ => return Err(Fault("`applies when` did not give true or false".into())),
                }
            }
            self.stmts(&c.body, c, &mut run)?;
            if run.found > 0
                && let Some(cond) = &c.remedied
            {
                let v = self.eval(cond)?;
                if matches!(v.val, Val::Bool(true)) {
                    run.remedied += run.found;
                    run.violations.clear();
                    run.found = 0;
                }
            }
            Ok(())
        })();
        if let Err(fault) = result {
            return self.error_outcome(c, fault.0);
        }
        let status = status.unwrap_or(if run.found > 0 {
            Status::Violated
        } else if !run.missing.is_empty() || !run.invalid.is_empty() {
            Status::InsufficientEvidence
        } else {
            Status::Compliant
        });
        let truncated = run.found > run.violations.len();
        remediated =
            remediated || (run.remedied > 0 && run.found == 0 && status != Status::NotApplicable);
        Outcome {
            clause: c.id.clone(),
            title: self.title(c),
            references: c.references.clone(),
            status,
            severity: run.violations.iter().map(|v| v.severity).max(),
            remediated,
            violations: run.violations,
            missing: run.missing.into_iter().collect(),
            invalid: run.invalid.into_iter().collect(),
            error: None,
            truncated,
        }
    }

    fn stmts(
        &mut self,
        stmts: &'a [Stmt],
        clause: &'a ClauseDef,
        run: &mut Run,
    ) -> Result<(), Fault> {
        for s in stmts {
            match s {
                Stmt::Let { slot, value } => {
                    let v = self.eval(value)?;
                    if self.trace.is_some() {
                        self.trace_let(value, &v);
                    }
                    self.set(*slot, v);
                }
                Stmt::For { bindings, body } => {
                    let mut why = Why::default();
                    self.iterate(bindings, &mut why, &mut |ev| {
                        let frames = ev.trace_enter(bindings);
                        let result = ev.stmts(body, clause, run);
                        if let Some(t) = ev.trace.as_mut() {
                            t.frames.truncate(frames);
                        }
                        result?;
                        Ok(true)
                    })?;
                    run.absorb(&why);
                }
                Stmt::Require(r) => self.require(r, clause, run)?,
                // A guard: unless it definitely holds, what it is about counts as missing and
                // the rest of this block is not judged.
                Stmt::Insufficient { condition, text } => {
                    self.tick()?;
                    let v = self.eval(condition)?;
                    if self.trace.is_some() {
                        self.trace_guard(text, &v);
                    }
                    match &v.val {
                        Val::Bool(true) => {}
                        Val::Unknown(w) => {
                            run.absorb(w);
                            return Ok(());
                        }
                        _ => {
                            let (loc, _, _) = self.blame(condition, text)?;
                            let path = if loc == NO_LOC {
                                format!("({text})")
                            } else {
                                self.pointer(loc)
                            };
                            run.missing.insert(path);
                            return Ok(());
                        }
                    }
                }
            }
        }
        Ok(())
    }

    fn set(&mut self, slot: usize, v: V<'a>) {
        if let Some(s) = self.slots.get_mut(slot) {
            *s = v;
        }
    }

    fn tick(&mut self) -> Result<(), Fault> {
        self.steps += 1;
        if self.steps > self.limits.max_steps {
            return Err(Fault(format!(
                "evaluation of `{}` took more than {} steps (limit `max_steps`)",
                self.clause, self.limits.max_steps
            )));
        }
        Ok(())
    }

    /// Runs `f` once for every combination of items the bindings select. Collections or
    /// filters that are unknown add to `why`. `f` returns false to stop early.
    fn iterate(
        &mut self,
        bindings: &'a [Binding],
        why: &mut Why,
        f: &mut dyn FnMut(&mut Self) -> Result<bool, Fault>,
    ) -> Result<bool, Fault> {
        self.iterate_from(bindings, None, why, f)
    }

    /// [`Evaluator::iterate`] with the first collection already evaluated.
    fn iterate_from(
        &mut self,
        bindings: &'a [Binding],
        first: Option<V<'a>>,
        why: &mut Why,
        f: &mut dyn FnMut(&mut Self) -> Result<bool, Fault>,
    ) -> Result<bool, Fault> {
        let Some((b, rest)) = bindings.split_first() else {
            return f(self);
        };
        let coll = match first {
            Some(v) => v,
            None => self.eval(&b.collection)?,
        };

        let (array, list): (Option<&'a [Value]>, Option<Rc<[V<'a>]>>) = match &coll.val {
            Val::Json(Value::Array(a)) => (Some(a.as_slice()), None),
            Val::List(l) => (None, Some(l.clone())),
            Val::Unknown(w) => {
                why.merge(w);
                return Ok(true);
            }
            _ => {
                why.invalid.push((
                    self.pointer(coll.loc),
                    format!("expected a list, found {}", coll.describe()),
                ));
                return Ok(true);
            }
        };
        let items: Vec<V<'a>> = match list {
            Some(l) => l.to_vec(),
            None => Vec::new(),
        };
        let count = array.map_or(items.len(), <[Value]>::len);
        // A join by id (`where item.key == other`): visit only the items whose key is that
        // text, and those whose key is not a text (the filter decides them), in list order.
        let positions = match (array, &b.lookup, &b.filter) {
            (
                Some(arr),
                Some(lookup),
                Some(Expr {
                    kind: ExprKind::Cmp(_, l, r),
                    ..
                }),
            ) => {
                let other = self.eval(if lookup.other_is_right { r } else { l })?;
                match &other.val {
                    Val::Str(s) => {
                        let index = self.list_index(arr, &lookup.key);
                        let hits = index
                            .by_value
                            .get(s.as_ref())
                            .map_or(&[][..], Vec::as_slice);
                        let mut merged: Vec<usize> =
                            hits.iter().chain(&index.others).copied().collect();
                        merged.sort_unstable();
                        Some(merged)
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        let visit: Box<dyn Iterator<Item = usize>> = match positions {
            Some(p) => Box::new(p.into_iter()),
            None => Box::new(0..count),
        };
        for i in visit {
            self.tick()?;
            let mark = self.arena.len();
            let item = match array {
                Some(a) => {
                    let loc = self.push(coll.loc, Seg::Index(i));
                    match a.get(i) {
                        Some(v) => self.convert(v, loc, Expect::Any),
                        None => V::new(Val::Null),
                    }
                }
                None => items.get(i).cloned().unwrap_or(V::new(Val::Null)),
            };
            self.set(b.slot, item);
            let selected = match &b.filter {
                None => true,
                Some(filter) => {
                    let v = self.eval(filter)?;
                    match &v.val {
                        Val::Bool(t) => *t,
                        Val::Unknown(w) => {
                            why.merge(w);
                            false
                        }
                        _ => {
                            why.invalid.push((
                                self.pointer(v.loc),
                                format!("`where` expected true or false, found {}", v.describe()),
                            ));
                            false
                        }
                    }
                }
            };
            let go_on = if selected {
                self.iterate(rest, why, f)?
            } else {
                true
            };
            self.arena.truncate(mark);
            if !go_on {
                return Ok(false);
            }
        }
        Ok(true)
    }

    fn push(&mut self, parent: Loc, seg: Seg<'a>) -> Loc {
        if parent == NO_LOC {
            return NO_LOC;
        }
        self.arena.push((parent, seg));
        Loc::try_from(self.arena.len() - 1).unwrap_or(NO_LOC)
    }

    /// The index of `list` by the text field `key`, built on first use in this evaluation.
    fn list_index(&mut self, list: &'a [Value], key: &'a str) -> Rc<ListIndex<'a>> {
        let id = (list.as_ptr() as usize, key);
        if let Some(index) = self.indexes.get(&id) {
            return index.clone();
        }
        let mut index = ListIndex {
            by_value: std::collections::HashMap::new(),
            others: Vec::new(),
        };
        for (i, item) in list.iter().enumerate() {
            match item.get(key) {
                Some(Value::String(s)) => index.by_value.entry(s.as_str()).or_default().push(i),
                _ => index.others.push(i),
            }
        }
        let index = Rc::new(index);
        self.indexes.insert(id, index.clone());
        index
    }

    /// The path segments from the root to `loc`; `None` for computed values.
    fn segments(&self, loc: Loc) -> Option<Vec<Seg<'a>>> {
        if loc == NO_LOC {
            return None;
        }
        let mut segs = Vec::new();
        let mut cur = loc;
        while cur != NO_LOC && cur != ROOT_LOC {
            let &(parent, seg) = self.arena.get(cur as usize)?;
            segs.push(seg);
            cur = parent;
        }
        segs.reverse();
        Some(segs)
    }

    /// Pushes segments from the root again, giving a location valid from now on.
    fn attach(&mut self, segs: &[Seg<'a>]) -> Loc {
        segs.iter()
            .fold(ROOT_LOC, |parent, seg| self.push(parent, *seg))
    }

    /// The RFC 6901 JSON Pointer of a location.
    fn pointer(&self, loc: Loc) -> String {
        if loc == NO_LOC {
            return String::new();
        }
        let mut segs = Vec::new();
        let mut cur = loc;
        while cur != NO_LOC && cur != ROOT_LOC {
            let Some(&(parent, seg)) = self.arena.get(cur as usize) else {
                break;
            };
            segs.push(seg);
            cur = parent;
        }
        let mut out = String::new();
        for seg in segs.iter().rev() {
            out.push('/');
            match seg {
                Seg::Key(k) => out.push_str(&k.replace('~', "~0").replace('/', "~1")),
                Seg::Index(i) => out.push_str(&i.to_string()),
                Seg::Root => {}
            }
        }
        out
    }

    fn missing(&self, loc: Loc) -> V<'a> {
        V::unknown(
            Why {
                missing: vec![self.pointer(loc)],
                invalid: Vec::new(),
            },
            loc,
        )
    }

    fn invalid(&self, loc: Loc, reason: String) -> V<'a> {
        V::unknown(
            Why {
                missing: Vec::new(),
                invalid: vec![(self.pointer(loc), reason)],
            },
            loc,
        )
    }

    /// Turns a JSON value read at `loc` into a run-time value, checking the declared shape.
    fn convert(&self, v: &'a Value, loc: Loc, expect: Expect) -> V<'a> {
        let val = match v {
            Value::Null => return self.missing(loc),
            Value::Bool(b) => Val::Bool(*b),
            Value::Number(n) => match Number::from_json(n) {
                Some(n) => Val::Num(n),
                None => return self.invalid(loc, format!("number `{n}` is out of range")),
            },
            Value::String(s) => Val::Str(Cow::Borrowed(s.as_str())),
            Value::Array(_) | Value::Object(_) => Val::Json(v),
        };
        let ok = match (expect, &val) {
            (Expect::Any, _)
            | (Expect::Bool, Val::Bool(_))
            | (Expect::Number, Val::Num(_))
            | (Expect::String, Val::Str(_))
            | (Expect::List, Val::Json(Value::Array(_)))
            | (Expect::Object, Val::Json(Value::Object(_))) => true,
            (Expect::ListOf(item), Val::Json(Value::Array(items))) => {
                // Each item must have the declared shape (one level deep): an unknown text in a
                // list of codes is invalid, not a silent non-match.
                let want = self
                    .program
                    .shape_expects
                    .get(item as usize)
                    .copied()
                    .unwrap_or(Expect::Any);
                if want != Expect::Any {
                    for (i, x) in items.iter().enumerate() {
                        if x.is_null() {
                            continue;
                        }
                        if let Some(reason) = self.shape_mismatch(x, want) {
                            let at = self.pointer(loc);
                            return V::unknown(
                                Why {
                                    missing: Vec::new(),
                                    invalid: vec![(format!("{at}/{i}"), reason)],
                                },
                                loc,
                            );
                        }
                    }
                }
                return V::at(val, loc);
            }
            (Expect::Enum(id), Val::Str(s)) => {
                let allowed = self
                    .program
                    .enum_sets
                    .get(id as usize)
                    .map_or(&[][..], Vec::as_slice);
                if allowed.iter().any(|a| a == s) {
                    return V::at(val, loc);
                }
                let list: Vec<String> = allowed.iter().map(|a| format!("{a:?}")).collect();
                return self.invalid(
                    loc,
                    format!(
                        "expected one of {}, found {}",
                        list.join(", "),
                        describe_json(v)
                    ),
                );
            }
            (Expect::Date, Val::Str(s)) => {
                return match Date::parse(s) {
                    Some(d) => V::at(Val::Date(d), loc),
                    None => self.invalid(
                        loc,
                        format!("expected a date (YYYY-MM-DD), found {}", describe_json(v)),
                    ),
                };
            }
            _ => false,
        };
        if !ok {
            let want = match expect {
                Expect::Bool => "true or false",
                Expect::Number => "a number",
                Expect::String => "a text",
                Expect::Date => "a date (YYYY-MM-DD)",
                Expect::List => "a list",
                Expect::Object => "an object",
                Expect::Enum(_) => "a text from the declared set",
                Expect::ListOf(_) => "a list",
                Expect::Any => "a value",
            };
            return self.invalid(loc, format!("expected {want}, found {}", describe_json(v)));
        }
        V::at(val, loc)
    }

    /// Why a JSON value does not have the shape `want`, checked one level deep.
    fn shape_mismatch(&self, v: &Value, want: Expect) -> Option<String> {
        let ok = match (want, v) {
            (Expect::Any, _)
            | (Expect::Bool, Value::Bool(_))
            | (Expect::Number, Value::Number(_))
            | (Expect::String, Value::String(_))
            | (Expect::List | Expect::ListOf(_), Value::Array(_))
            | (Expect::Object, Value::Object(_)) => true,
            (Expect::Date, Value::String(s)) => Date::parse(s).is_some(),
            (Expect::Enum(id), Value::String(s)) => self
                .program
                .enum_sets
                .get(id as usize)
                .is_some_and(|set| set.iter().any(|a| a == s)),
            _ => false,
        };
        if ok {
            return None;
        }
        Some(match want {
            Expect::Enum(id) => {
                let list: Vec<String> = self
                    .program
                    .enum_sets
                    .get(id as usize)
                    .map(|s| s.iter().map(|a| format!("{a:?}")).collect())
                    .unwrap_or_default();
                format!(
                    "expected one of {}, found {}",
                    list.join(", "),
                    describe_json(v)
                )
            }
            Expect::Date => format!("expected a date (YYYY-MM-DD), found {}", describe_json(v)),
            Expect::Number => format!("expected a number, found {}", describe_json(v)),
            Expect::Bool => format!("expected true or false, found {}", describe_json(v)),
            Expect::String => format!("expected a text, found {}", describe_json(v)),
            Expect::Object => format!("expected an object, found {}", describe_json(v)),
            _ => format!("expected a list, found {}", describe_json(v)),
        })
    }

    /// Follows `steps` from `base`; the first absent step is what is missing.
    fn read(&mut self, base: V<'a>, steps: &'a [Step], expect: Expect) -> V<'a> {
        match self.read_or_absent(base, steps, expect) {
            Ok(v) => v,
            Err(at) => self.missing(at),
        }
    }

    /// [`Evaluator::read`], but an absent or null value is `Err(location)`, without building
    /// its pointer: `??` and `exists` only need to know that it is absent.
    fn read_or_absent(
        &mut self,
        base: V<'a>,
        steps: &'a [Step],
        expect: Expect,
    ) -> Result<V<'a>, Loc> {
        let (mut cur, mut loc) = match base.val {
            Val::Json(v) => (v, base.loc),
            Val::Unknown(_) => return Ok(base),
            _ if steps.is_empty() => return Ok(base),
            _ => {
                return Ok(self.invalid(
                    base.loc,
                    format!("expected an object, found {}", base.describe()),
                ));
            }
        };
        for step in steps {
            let next = match (step, cur) {
                (Step::Key(k), Value::Object(map)) => {
                    let l = self.push(loc, Seg::Key(k));
                    (map.get(&**k), l)
                }
                (Step::Index(i), Value::Array(items)) => {
                    let l = self.push(loc, Seg::Index(*i));
                    (items.get(*i), l)
                }
                (Step::Key(_), other) => {
                    return Ok(self.invalid(
                        loc,
                        format!("expected an object, found {}", describe_json(other)),
                    ));
                }
                (Step::Index(_), other) => {
                    return Ok(self.invalid(
                        loc,
                        format!("expected a list, found {}", describe_json(other)),
                    ));
                }
            };
            match next {
                (Some(Value::Null) | None, l) => return Err(l),
                (Some(v), l) => {
                    cur = v;
                    loc = l;
                }
            }
        }
        Ok(self.convert(cur, loc, expect))
    }

    /// Coerces a value to a date: evidence strings are parsed, anything else is invalid.
    fn as_date(&self, v: V<'a>) -> Result<V<'a>, Why> {
        match &v.val {
            Val::Date(_) => Ok(v),
            Val::Str(s) => match Date::parse(s) {
                Some(d) => Ok(V::at(Val::Date(d), v.loc)),
                None => Err(self.invalid_why(
                    v.loc,
                    format!("expected a date (YYYY-MM-DD), found {}", v.describe()),
                )),
            },
            Val::Unknown(w) => Err((**w).clone()),
            _ => Err(self.invalid_why(v.loc, format!("expected a date, found {}", v.describe()))),
        }
    }

    fn invalid_why(&self, loc: Loc, reason: String) -> Why {
        Why {
            missing: Vec::new(),
            invalid: vec![(self.pointer(loc), reason)],
        }
    }

    /// An unknown value for a wrong type: the evidence's fault when it came from evidence,
    /// else a fault of the rules (which the checker should have caught).
    fn type_error(&self, v: &V<'a>, want: &str) -> R<'a> {
        if v.loc == NO_LOC {
            Err(Fault(format!("expected {want}, found {}", v.describe())))
        } else {
            Ok(self.invalid(v.loc, format!("expected {want}, found {}", v.describe())))
        }
    }

    pub(crate) fn eval(&mut self, e: &'a Expr) -> R<'a> {
        match &e.kind {
            ExprKind::Const(c) => Ok(const_value(c)),
            ExprKind::Local(slot) => {
                Ok(self.slots.get(*slot).cloned().unwrap_or(V::new(Val::Null)))
            }
            ExprKind::Param(i) => Ok(self.params.get(*i).cloned().unwrap_or(V::new(Val::Null))),
            ExprKind::Global(i) => self
                .globals
                .get(*i)
                .cloned()
                .unwrap_or(Ok(V::new(Val::Null))),
            ExprKind::AsOf => Ok(self.as_of.clone()),
            ExprKind::Severity => Ok(V::new(match &self.context {
                Some(c) => Val::Str(Cow::Borrowed(c.severity.as_str())),
                None => Val::Null,
            })),
            ExprKind::Actual => Ok(self
                .context
                .as_ref()
                .map_or(V::new(Val::Null), |c| c.actual.clone())),
            ExprKind::Expected => Ok(V::new(match &self.context {
                Some(c) => Val::Str(Cow::Owned(c.expected.clone())),
                None => Val::Null,
            })),
            ExprKind::Path {
                base,
                steps,
                expect,
            } => {
                let base = self.path_base(*base);
                Ok(self.read(base, steps, *expect))
            }
            // Evidence reached through a computed value (a definition, an `if`) is checked
            // against its declared shape like any path.
            ExprKind::Index(base, idx, expect) => {
                let b = self.eval(base)?;
                let i = self.eval(idx)?;
                if let Some(w) = i.why() {
                    return Ok(V::unknown((**w).clone(), i.loc));
                }
                let step = match &i.val {
                    Val::Str(s) => match &b.val {
                        Val::Json(Value::Object(map)) => {
                            let loc = self.push(
                                b.loc,
                                Seg::Key(match &i.val {
                                    Val::Str(Cow::Borrowed(k)) => k,
                                    _ => "",
                                }),
                            );
                            return Ok(match map.get(s.as_ref()) {
                                Some(v) => self.convert(v, loc, *expect),
                                None => self.missing(loc),
                            });
                        }
                        _ => None,
                    },
                    Val::Num(n) => n
                        .to_i64()
                        .and_then(|n| usize::try_from(n).ok())
                        .map(Step::Index),
                    _ => None,
                };
                match (step, &b.val) {
                    (Some(Step::Index(n)), Val::Json(Value::Array(items))) => {
                        let loc = self.push(b.loc, Seg::Index(n));
                        Ok(match items.get(n) {
                            Some(v) => self.convert(v, loc, *expect),
                            None => self.missing(loc),
                        })
                    }
                    (Some(Step::Index(n)), Val::List(items)) => {
                        Ok(items.get(n).cloned().unwrap_or(V::new(Val::Null)))
                    }
                    _ if b.why().is_some() => Ok(b),
                    _ => self.type_error(&b, "a list or an object to index"),
                }
            }
            ExprKind::Table(t, key) => {
                let k = self.eval(key)?;
                let table = self.program.tables.get(*t);
                match (&k.val, table) {
                    (Val::Str(s), Some(table)) => {
                        match table.entries.get(s.as_ref()).or(table.default.as_ref()) {
                            Some(c) => Ok(const_value(c)),
                            // Not listed and no default: null, for `??`.
                            None => Ok(V::new(Val::Null)),
                        }
                    }
                    (Val::Unknown(_), _) => Ok(k),
                    _ => self.type_error(&k, "a text key"),
                }
            }
            ExprKind::Call(b, args) => self.call(*b, args),
            ExprKind::CallFunction(i, args) => self.call_function(*i, args),
            ExprKind::Aggregate {
                kind,
                bindings,
                body,
            } => self.aggregate(*kind, bindings, body.as_deref()),
            ExprKind::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    out.push(self.eval(i)?);
                }
                Ok(V::new(Val::List(out.into())))
            }
            ExprKind::Not(inner) => {
                let v = self.eval(inner)?;
                match v.val {
                    Val::Bool(b) => Ok(V::at(Val::Bool(!b), v.loc)),
                    Val::Unknown(_) => Ok(v),
                    _ => self.type_error(&v, "true or false"),
                }
            }
            ExprKind::Neg(inner) => {
                let v = self.eval(inner)?;
                match v.val {
                    Val::Num(n) => Ok(V::at(Val::Num(n.neg()), v.loc)),
                    Val::Unknown(_) => Ok(v),
                    _ => self.type_error(&v, "a number"),
                }
            }
            ExprKind::And(a, b) => {
                let l = self.eval(a)?;
                match &l.val {
                    Val::Bool(false) => return Ok(V::bool(false)),
                    Val::Bool(true) | Val::Unknown(_) => {}
                    _ => return self.type_error(&l, "true or false"),
                }
                let r = self.eval(b)?;
                Ok(match (&l.val, &r.val) {
                    (_, Val::Bool(false)) => V::bool(false),
                    (Val::Bool(true), Val::Bool(true)) => V::bool(true),
                    (Val::Unknown(w), Val::Unknown(w2)) => {
                        let mut w = (**w).clone();
                        w.merge(w2);
                        V::unknown(w, l.loc)
                    }
                    (Val::Unknown(_), Val::Bool(true)) => l,
                    (_, Val::Unknown(_)) => r,
                    _ => return self.type_error(&r, "true or false"),
                })
            }
            ExprKind::Or(a, b) => {
                let l = self.eval(a)?;
                match &l.val {
                    Val::Bool(true) => return Ok(V::bool(true)),
                    Val::Bool(false) | Val::Unknown(_) => {}
                    _ => return self.type_error(&l, "true or false"),
                }
                let r = self.eval(b)?;
                Ok(match (&l.val, &r.val) {
                    (_, Val::Bool(true)) => V::bool(true),
                    (Val::Bool(false), Val::Bool(false)) => V::bool(false),
                    (Val::Unknown(w), Val::Unknown(w2)) => {
                        let mut w = (**w).clone();
                        w.merge(w2);
                        V::unknown(w, l.loc)
                    }
                    (Val::Unknown(_), Val::Bool(false)) => l,
                    (_, Val::Unknown(_)) => r,
                    _ => return self.type_error(&r, "true or false"),
                })
            }
            ExprKind::Cmp(op, a, b) => {
                let l = self.eval(a)?;
                let r = self.eval(b)?;
                self.compare(*op, l, r)
            }
            ExprKind::In {
                item,
                list,
                negated,
            } => {
                let x = self.eval(item)?;
                let l = self.eval(list)?;
                let v = self.member(&x, &l)?;
                Ok(match v.val {
                    Val::Bool(b) => V::at(Val::Bool(b != *negated), x.loc),
                    _ => v,
                })
            }
            ExprKind::Arith(op, a, b) => {
                let l = self.eval(a)?;
                let r = self.eval(b)?;
                self.arith(*op, l, r)
            }
            ExprKind::Coalesce(a, b) => {
                // An absent path on the left is the common case: skip building its pointer
                // unless the right side is unknown too.
                let l = match self.eval_or_absent(a)? {
                    Ok(v) => v,
                    Err(at) => {
                        let r = self.eval(b)?;
                        return Ok(match &r.val {
                            Val::Unknown(w2) => {
                                let mut merged = Why {
                                    missing: vec![self.pointer(at)],
                                    invalid: Vec::new(),
                                };
                                merged.merge(w2);
                                V::unknown(merged, r.loc)
                            }
                            _ => r,
                        });
                    }
                };
                match &l.val {
                    Val::Null => self.eval(b),
                    Val::Unknown(w) if w.is_missing_only() => {
                        // Both unknown: the left side's missing evidence is part of why.
                        let r = self.eval(b)?;
                        Ok(match &r.val {
                            Val::Unknown(w2) => {
                                let mut merged = (**w).clone();
                                merged.merge(w2);
                                V::unknown(merged, r.loc)
                            }
                            _ => r,
                        })
                    }
                    _ => Ok(l),
                }
            }
            ExprKind::If(c, a, b) => {
                let cond = self.eval(c)?;
                match &cond.val {
                    Val::Bool(true) => self.eval(a),
                    Val::Bool(false) => self.eval(b),
                    Val::Unknown(_) => Ok(cond),
                    _ => self.type_error(&cond, "true or false"),
                }
            }
            ExprKind::Duration(inner, unit) => {
                let v = self.eval(inner)?;
                let n = match &v.val {
                    Val::Num(n) => *n,
                    Val::Unknown(_) => return Ok(v),
                    _ => return self.type_error(&v, "a whole number"),
                };
                let d = n.to_i64().and_then(|n| match unit {
                    Unit::Days => Duration::days(n),
                    Unit::Weeks => Duration::weeks(n),
                    Unit::Months => Duration::months(n),
                    Unit::Years => Duration::years(n),
                });
                match d {
                    Some(d) => Ok(V::at(Val::Dur(d), v.loc)),
                    None => self.type_error(&v, "a whole number of days, weeks, months or years"),
                }
            }
        }
    }

    /// Calls a pack-level function in a frame of its own. Functions call only functions
    /// defined before them, so there is no recursion; the depth is bounded all the same.
    fn call_function(&mut self, i: usize, args: &'a [Expr]) -> R<'a> {
        let Some(f) = self.program.functions.get(i) else {
            return Ok(V::new(Val::Null));
        };
        if self.call_depth >= self.limits.max_call_depth {
            return Err(Fault(format!(
                "functions call each other deeper than {} levels",
                self.limits.max_call_depth
            )));
        }
        let mut frame = vec![V::new(Val::Null); f.slots.max(args.len())];
        for (slot, a) in frame.iter_mut().zip(args) {
            *slot = self.eval(a)?;
        }
        let saved = std::mem::replace(&mut self.slots, frame);
        self.call_depth += 1;
        let result = self.eval(&f.body);
        self.call_depth -= 1;
        self.slots = saved;
        result
    }

    /// Where an evidence path starts: the document, or a bound item.
    fn path_base(&self, base: PathBase) -> V<'a> {
        match base {
            PathBase::Root => V::at(Val::Json(self.evidence), ROOT_LOC),
            PathBase::Local(slot) => self.slots.get(slot).cloned().unwrap_or(V::new(Val::Null)),
        }
    }

    /// Evaluates `e`; an evidence path that is absent or null gives `Err(location)`.
    fn eval_or_absent(&mut self, e: &'a Expr) -> Result<Result<V<'a>, Loc>, Fault> {
        match &e.kind {
            ExprKind::Path {
                base,
                steps,
                expect,
            } => {
                let base = self.path_base(*base);
                Ok(self.read_or_absent(base, steps, *expect))
            }
            _ => self.eval(e).map(Ok),
        }
    }

    /// Orders two values; `Err(why)` when they cannot be compared because of the evidence.
    fn order(&self, l: &V<'a>, r: &V<'a>) -> Result<Result<Option<Ordering>, Why>, Fault> {
        let bad = |v: &V<'a>, want: &str| -> Result<Result<Option<Ordering>, Why>, Fault> {
            if v.loc == NO_LOC {
                Err(Fault(format!(
                    "cannot compare {} with {want}",
                    v.describe()
                )))
            } else {
                Ok(Err(self.invalid_why(
                    v.loc,
                    format!("expected {want}, found {}", v.describe()),
                )))
            }
        };
        Ok(Ok(match (&l.val, &r.val) {
            (Val::Num(a), Val::Num(b)) => Some(a.cmp(b)),
            (Val::Date(a), Val::Date(b)) => Some(a.cmp(b)),
            (Val::Date(_), Val::Str(_)) => match self.as_date(r.clone()) {
                Ok(d) => return self.order(l, &d),
                Err(w) => return Ok(Err(w)),
            },
            (Val::Str(_), Val::Date(_)) => match self.as_date(l.clone()) {
                Ok(d) => return self.order(&d, r),
                Err(w) => return Ok(Err(w)),
            },
            (Val::Str(a), Val::Str(b)) => Some(a.cmp(b)),
            (Val::Bool(a), Val::Bool(b)) => Some(a.cmp(b)),
            (Val::Dur(a), Val::Dur(b)) => match a.compare(*b) {
                Some(o) => Some(o),
                None => {
                    return Err(Fault(format!(
                        "cannot compare `{a}` with `{b}`: days and months differ in length"
                    )));
                }
            },
            (Val::Null, Val::Null) => Some(Ordering::Equal),
            (Val::Null, _) | (_, Val::Null) => None,
            (Val::Json(a), Val::Json(b)) => (a == b).then_some(Ordering::Equal),
            // Values of two kinds: the evidence is at fault. Where both come from the evidence,
            // the right side (`w.hours > "sixty"` blames the text); where only the left does (a
            // field read through a function's parameter, against a constant), the left.
            (a, b) => match (kind(a), kind(b)) {
                (Some(_), Some(kb)) if r.loc == NO_LOC => return bad(l, kb),
                (Some(ka), _) => return bad(r, ka),
                (None, Some(kb)) => return bad(l, kb),
                (None, None) => None,
            },
        }))
    }

    fn compare(&mut self, op: CmpOp, l: V<'a>, r: V<'a>) -> R<'a> {
        let loc = if l.loc == NO_LOC { r.loc } else { l.loc };
        match (&l.val, &r.val) {
            (Val::Unknown(a), Val::Unknown(b)) => {
                let mut w = (**a).clone();
                w.merge(b);
                return Ok(V::unknown(w, loc));
            }
            (Val::Unknown(_), _) => return Ok(l),
            (_, Val::Unknown(_)) => return Ok(r),
            _ => {}
        }
        let ord = match self.order(&l, &r)? {
            Ok(o) => o,
            Err(why) => return Ok(V::unknown(why, loc)),
        };
        let b = match (op, ord) {
            (CmpOp::Eq, o) => o == Some(Ordering::Equal),
            (CmpOp::Ne, o) => o != Some(Ordering::Equal),
            (_, None) => {
                return Err(Fault(format!(
                    "cannot order {} and {}",
                    l.describe(),
                    r.describe()
                )));
            }
            (CmpOp::Lt, Some(o)) => o == Ordering::Less,
            (CmpOp::Le, Some(o)) => o != Ordering::Greater,
            (CmpOp::Gt, Some(o)) => o == Ordering::Greater,
            (CmpOp::Ge, Some(o)) => o != Ordering::Less,
        };
        Ok(V::at(Val::Bool(b), loc))
    }

    /// `x in list` under three-valued logic.
    fn member(&mut self, x: &V<'a>, list: &V<'a>) -> R<'a> {
        if let Some(w) = x.why() {
            return Ok(V::unknown((**w).clone(), x.loc));
        }
        let mut unknown: Option<Why> = None;
        match &list.val {
            Val::Str(hay) => {
                return match &x.val {
                    Val::Str(needle) => Ok(V::bool(hay.contains(needle.as_ref()))),
                    _ => self.type_error(x, "a text"),
                };
            }
            Val::Json(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let loc = self.push(list.loc, Seg::Index(i));
                    let v = self.convert(item, loc, Expect::Any);
                    match self.compare(CmpOp::Eq, x.clone(), v)?.val {
                        Val::Bool(true) => return Ok(V::bool(true)),
                        Val::Unknown(w) => unknown.get_or_insert_with(Why::default).merge(&w),
                        _ => {}
                    }
                }
            }
            Val::List(items) => {
                for v in items.iter() {
                    match self.compare(CmpOp::Eq, x.clone(), v.clone())?.val {
                        Val::Bool(true) => return Ok(V::bool(true)),
                        Val::Unknown(w) => unknown.get_or_insert_with(Why::default).merge(&w),
                        _ => {}
                    }
                }
            }
            Val::Unknown(w) => return Ok(V::unknown((**w).clone(), list.loc)),
            _ => return self.type_error(list, "a list"),
        }
        Ok(match unknown {
            Some(w) => V::unknown(w, list.loc),
            None => V::bool(false),
        })
    }

    fn arith(&mut self, op: ArithOp, l: V<'a>, r: V<'a>) -> R<'a> {
        let loc = self.common_loc(l.loc, r.loc);
        match (&l.val, &r.val) {
            (Val::Unknown(a), Val::Unknown(b)) => {
                let mut w = (**a).clone();
                w.merge(b);
                return Ok(V::unknown(w, loc));
            }
            (Val::Unknown(_), _) => return Ok(l),
            (_, Val::Unknown(_)) => return Ok(r),
            _ => {}
        }
        let overflow = || Fault(format!("arithmetic out of range in `{}`", "rule"));
        let val = match (op, &l.val, &r.val) {
            (ArithOp::Add, Val::Num(a), Val::Num(b)) => {
                Val::Num(a.checked_add(*b).ok_or_else(overflow)?)
            }
            (ArithOp::Sub, Val::Num(a), Val::Num(b)) => {
                Val::Num(a.checked_sub(*b).ok_or_else(overflow)?)
            }
            (ArithOp::Mul, Val::Num(a), Val::Num(b)) => {
                Val::Num(a.checked_mul(*b).ok_or_else(overflow)?)
            }
            (ArithOp::Div, Val::Num(a), Val::Num(b)) => {
                if b.is_zero() {
                    if r.loc != NO_LOC {
                        return Ok(self.invalid(r.loc, "division by zero: the value is 0".into()));
                    }
                    return Err(Fault("division by zero".into()));
                }
                Val::Num(a.checked_div(*b).ok_or_else(overflow)?)
            }
            (ArithOp::Add | ArithOp::Sub, Val::Date(_) | Val::Str(_), Val::Dur(d)) => {
                let date = match self.as_date(l.clone()) {
                    Ok(v) => v,
                    Err(w) => return Ok(V::unknown(w, l.loc)),
                };
                let Val::Date(date) = date.val else {
                    return Err(Fault("not a date".into()));
                };
                let res = if op == ArithOp::Add {
                    date.checked_add(*d)
                } else {
                    date.checked_sub(*d)
                };
                match res {
                    Some(x) => Val::Date(x),
                    None => return self.type_error(&l, "a date within years 1 to 9999"),
                }
            }
            (ArithOp::Add, Val::Dur(_), Val::Date(_) | Val::Str(_)) => return self.arith(op, r, l),
            (ArithOp::Sub, Val::Date(_) | Val::Str(_), Val::Date(_) | Val::Str(_)) => {
                let a = match self.as_date(l.clone()) {
                    Ok(v) => v,
                    Err(w) => return Ok(V::unknown(w, l.loc)),
                };
                let b = match self.as_date(r.clone()) {
                    Ok(v) => v,
                    Err(w) => return Ok(V::unknown(w, r.loc)),
                };
                match (a.val, b.val) {
                    (Val::Date(a), Val::Date(b)) => Val::Dur(a.duration_since(b)),
                    _ => return Err(Fault("not a date".into())),
                }
            }
            (ArithOp::Add, Val::Dur(a), Val::Dur(b)) => {
                Val::Dur(a.checked_add(*b).ok_or_else(|| {
                    Fault(format!(
                        "cannot add `{a}` and `{b}`: days and months differ in length"
                    ))
                })?)
            }
            (ArithOp::Sub, Val::Dur(a), Val::Dur(b)) => {
                Val::Dur(a.checked_sub(*b).ok_or_else(|| {
                    Fault(format!(
                        "cannot subtract `{b}` from `{a}`: days and months differ in length"
                    ))
                })?)
            }
            (_, Val::Num(_), _) => return self.type_error(&r, "a number"),
            (_, _, Val::Num(_)) => return self.type_error(&l, "a number"),
            _ => return self.type_error(&l, "a number, date or duration"),
        };
        Ok(V::at(val, loc))
    }

    /// The closest common ancestor of two evidence locations, so that `w.regular_hours +
    /// w.overtime_hours` is about the worker-week `w`.
    fn common_loc(&mut self, a: Loc, b: Loc) -> Loc {
        if a == NO_LOC {
            return b;
        }
        if b == NO_LOC || a == b {
            return a;
        }
        // Without allocating: bring both to the same depth, then walk up together. The same
        // path may have been read twice (two entries), so segments are compared, not entries.
        let (Some(da), Some(db)) = (self.depth(a), self.depth(b)) else {
            return NO_LOC;
        };
        let level = da.min(db);
        let (Some(mut x), Some(mut y)) =
            (self.ancestor(a, da - level), self.ancestor(b, db - level))
        else {
            return NO_LOC;
        };
        // The length of the common prefix: every segment above the topmost difference.
        let mut common = level;
        for at in (1..=level).rev() {
            if x == y {
                break;
            }
            let (Some(&(px, sx)), Some(&(py, sy))) =
                (self.arena.get(x as usize), self.arena.get(y as usize))
            else {
                return NO_LOC;
            };
            if sx != sy {
                common = at - 1;
            }
            x = px;
            y = py;
        }
        if common == da {
            a
        } else if common == db {
            b
        } else {
            self.ancestor(a, da - common).unwrap_or(NO_LOC)
        }
    }

    /// How many segments a location's path has (`None` for no location).
    fn depth(&self, mut loc: Loc) -> Option<usize> {
        let mut depth = 0;
        while loc != ROOT_LOC {
            loc = self.arena.get(loc as usize)?.0;
            depth += 1;
        }
        Some(depth)
    }

    /// The location `up` segments above `loc`.
    fn ancestor(&self, mut loc: Loc, up: usize) -> Option<Loc> {
        for _ in 0..up {
            loc = self.arena.get(loc as usize)?.0;
        }
        Some(loc)
    }

    fn aggregate(
        &mut self,
        kind: AggregateKind,
        bindings: &'a [Binding],
        body: Option<&'a Expr>,
    ) -> R<'a> {
        // The first collection is evaluated once, here: the result's location is the list.
        let first = match bindings.first() {
            Some(b) => Some(self.eval(&b.collection)?),
            None => None,
        };
        let coll_loc = first.as_ref().map_or(NO_LOC, |v| v.loc);
        let mut why = Why::default();
        let mut count: i64 = 0;
        let mut hits: i64 = 0;
        let mut sum = Number::ZERO;
        let mut best: Option<V<'a>> = None;
        let mut decided: Option<bool> = None;
        let mut fault: Option<Fault> = None;
        let mut body_why = Why::default();
        let mut first_path: Option<Vec<Seg<'a>>> = None;
        let mut distinct: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
        let why_ref = &mut body_why;
        // The items are bound in slots that may also hold the enclosing statements' items: a
        // clause-level `severity … when` or remediation is evaluated inside the clause's
        // `for each`, and its slots are numbered from the same start. Put them back after.
        let saved: Vec<(usize, V<'a>)> = bindings
            .iter()
            .filter_map(|b| self.slots.get(b.slot).map(|v| (b.slot, v.clone())))
            .collect();
        let iterated = self.iterate_from(bindings, first, &mut why, &mut |ev| {
            let why = &mut *why_ref;
            count += 1;
            let Some(body) = body else {
                hits += 1;
                return Ok(true);
            };
            let v = ev.eval(body)?;
            match (&v.val, kind) {
                (
                    Val::Str(_) | Val::Num(_) | Val::Date(_) | Val::Bool(_),
                    AggregateKind::CountDistinct,
                ) => {
                    // Dates read as text and as dates are the same value.
                    let key = match &v.val {
                        Val::Str(s) => format!("s{s}"),
                        Val::Num(n) => format!("n{n}"),
                        Val::Date(d) => format!("s{d}"),
                        Val::Bool(b) => format!("b{b}"),
                        _ => String::new(),
                    };
                    distinct.insert(key);
                    Ok(true)
                }
                (_, AggregateKind::First) => {
                    // The item's location dies with the iteration: keep its segments.
                    first_path = ev.segments(v.loc);
                    best = Some(v);
                    Ok(false)
                }
                (Val::Unknown(w), _) => {
                    why.merge(w);
                    Ok(true)
                }
                (Val::Bool(b), AggregateKind::Any) => {
                    if *b {
                        decided = Some(true);
                        return Ok(false);
                    }
                    Ok(true)
                }
                (Val::Bool(b), AggregateKind::All) => {
                    if !*b {
                        decided = Some(false);
                        return Ok(false);
                    }
                    Ok(true)
                }
                (Val::Bool(b), AggregateKind::None) => {
                    if *b {
                        decided = Some(false);
                        return Ok(false);
                    }
                    Ok(true)
                }
                (Val::Bool(b), AggregateKind::Share | AggregateKind::Count) => {
                    if *b {
                        hits += 1;
                    }
                    Ok(true)
                }
                (Val::Num(n), AggregateKind::Sum | AggregateKind::Average) => {
                    match sum.checked_add(*n) {
                        Some(s) => sum = s,
                        None => fault = Some(Fault("sum out of range".into())),
                    }
                    Ok(true)
                }
                (
                    Val::Num(_) | Val::Date(_) | Val::Str(_) | Val::Dur(_),
                    AggregateKind::Min | AggregateKind::Max,
                ) => {
                    let v = if matches!(v.val, Val::Str(_)) {
                        match ev.as_date(v) {
                            Ok(d) => d,
                            Err(w) => {
                                why.merge(&w);
                                return Ok(true);
                            }
                        }
                    } else {
                        v
                    };
                    let better = match &best {
                        None => true,
                        Some(b) => match ev.order(&v, b)? {
                            Ok(Some(o)) => {
                                (o == Ordering::Less) == (kind == AggregateKind::Min)
                                    && o != Ordering::Equal
                            }
                            Ok(None) => false,
                            Err(w) => {
                                why.merge(&w);
                                false
                            }
                        },
                    };
                    if better {
                        best = Some(V::new(v.val));
                    }
                    Ok(true)
                }
                _ => {
                    let want = match kind {
                        AggregateKind::Sum | AggregateKind::Average => "a number",
                        AggregateKind::Min | AggregateKind::Max => "a number or a date",
                        _ => "true or false",
                    };
                    if let Val::Unknown(w) = ev.type_error(&v, want)?.val {
                        why.merge(&w)
                    }
                    Ok(true)
                }
            }
        });
        for (slot, v) in saved {
            self.set(slot, v);
        }
        iterated?;
        if let Some(f) = fault {
            return Err(f);
        }
        why.merge(&body_why);
        let unknown = !why.missing.is_empty() || !why.invalid.is_empty();
        if let Some(d) = decided {
            return Ok(V::at(Val::Bool(d), coll_loc));
        }
        if kind == AggregateKind::First {
            // The first match decides, whatever came after; unknown filters before it leave
            // the answer open.
            let loc = first_path.map_or(NO_LOC, |segs| self.attach(&segs));
            return Ok(match best {
                Some(v) if !unknown => V { loc, ..v },
                Some(v) => {
                    let mut w = why;
                    if let Some(own) = v.why() {
                        w.merge(own);
                    }
                    V::unknown(w, coll_loc)
                }
                None if unknown => V::unknown(why, coll_loc),
                None => self.missing_empty(coll_loc),
            });
        }
        if unknown {
            return Ok(V::unknown(why, coll_loc));
        }
        let num = |n: i64| Number::from_i64(n).unwrap_or(Number::ZERO);
        let val = match kind {
            AggregateKind::Any => Val::Bool(false),
            AggregateKind::All | AggregateKind::None => Val::Bool(true),
            AggregateKind::Count => Val::Num(num(hits)),
            AggregateKind::CountDistinct => {
                Val::Num(num(i64::try_from(distinct.len()).unwrap_or(i64::MAX)))
            }
            AggregateKind::Sum => Val::Num(sum),
            AggregateKind::Share | AggregateKind::Average => {
                if count == 0 {
                    return Ok(self.missing_empty(coll_loc));
                }
                let top = if kind == AggregateKind::Share {
                    num(hits)
                } else {
                    sum
                };
                Val::Num(
                    top.checked_div(num(count))
                        .ok_or_else(|| Fault("division out of range".into()))?,
                )
            }
            AggregateKind::First | AggregateKind::Min | AggregateKind::Max => match best {
                Some(b) => b.val,
                None => return Ok(self.missing_empty(coll_loc)),
            },
        };
        Ok(V::at(val, coll_loc))
    }

    /// An aggregate over no items (`share`, `average`, `min`, `max`) is unknown: nothing sampled.
    fn missing_empty(&self, loc: Loc) -> V<'a> {
        let pointer = self.pointer(loc);
        V::unknown(
            Why {
                missing: vec![pointer],
                invalid: Vec::new(),
            },
            loc,
        )
    }

    fn require(
        &mut self,
        r: &'a Requirement,
        clause: &'a ClauseDef,
        run: &mut Run,
    ) -> Result<(), Fault> {
        self.tick()?;
        let v = self.eval(&r.condition)?;
        if self.trace.is_some() {
            self.trace_require(r, &v);
        }
        match &v.val {
            Val::Bool(true) => Ok(()),
            Val::Bool(false) => {
                if let Some(cond) = &r.remedied {
                    // The remedy is part of what a breach of this item is: put right, no
                    // violation; unknown, the item is undecided and what would show the remedy
                    // is missing.
                    match &self.eval(cond)?.val {
                        Val::Bool(true) => {
                            if let Some(item) = self.trace.as_mut().and_then(|t| t.current_item()) {
                                item.remedied = true;
                            }
                            run.remedied += 1;
                            return Ok(());
                        }
                        Val::Unknown(w) => {
                            run.absorb(w);
                            return Ok(());
                        }
                        _ => {}
                    }
                }
                run.found += 1;
                if run.violations.len() < self.limits.max_violations {
                    let violation = self.violation(r, clause, run)?;
                    run.violations.push(violation);
                }
                Ok(())
            }
            Val::Unknown(w) => {
                run.absorb(w);
                Ok(())
            }
            _ => match self.type_error(&v, "true or false")?.why() {
                Some(w) => {
                    run.absorb(w);
                    Ok(())
                }
                None => Err(Fault("the requirement did not give true or false".into())),
            },
        }
    }

    fn violation(
        &mut self,
        r: &'a Requirement,
        clause: &'a ClauseDef,
        run: &mut Run,
    ) -> Result<Violation, Fault> {
        let (loc, actual, expected) = self.blame(&r.condition, &r.text)?;
        let severity = self.severity(r.severity.as_ref().unwrap_or(&clause.severity), run)?;
        let path = self.pointer(loc);
        self.context = Some(ViolationContext {
            severity,
            actual: actual.clone(),
            expected: expected.clone(),
        });
        let fallback = self.program.languages.first().map(String::as_str);
        let message = match pick(&r.messages, self.language, fallback) {
            Some(t) => self.render(t)?,
            None => {
                if self.language == "sv" {
                    format!(
                        "kravet `{}` är inte uppfyllt (fann {}, krävs {expected})",
                        r.text,
                        actual.display_text(false)
                    )
                } else {
                    format!(
                        "requirement `{}` does not hold (found {}, required {expected})",
                        r.text,
                        actual.display_text(false)
                    )
                }
            }
        };
        let remediation = match r.remediation.as_ref().or(clause.remediation.as_ref()) {
            Some(rem) => Some(self.remediation(rem)?),
            None => None,
        };
        self.context = None;
        Ok(Violation {
            clause: clause.id.clone(),
            severity,
            message,
            path,
            actual: actual.to_json(),
            expected,
            remediation,
            rule: r.location.clone(),
        })
    }

    /// The severity of a violation. A case whose condition is unknown is not established,
    /// but what it lacked is listed as missing: the severity might be higher.
    fn severity(&mut self, rule: &'a SeverityRule, run: &mut Run) -> Result<Severity, Fault> {
        match rule {
            SeverityRule::Fixed(s) => {
                self.trace_severity(*s, None, Vec::new());
                Ok(*s)
            }
            SeverityRule::Cases { cases, otherwise } => {
                let tracing = self.trace.is_some();
                let mut seen = Vec::new();
                for (i, (level, cond)) in cases.iter().enumerate() {
                    let v = self.eval(cond)?;
                    if tracing {
                        seen.push(self.trace_case(*level, cond, &v));
                    }
                    match &v.val {
                        Val::Bool(true) => {
                            self.trace_severity(*level, Some(i), seen);
                            return Ok(*level);
                        }
                        Val::Unknown(w) => run.absorb(w),
                        _ => {}
                    }
                }
                self.trace_severity(*otherwise, None, seen);
                Ok(*otherwise)
            }
        }
    }

    fn remediation(&mut self, rem: &'a RemediationDef) -> Result<Remediation, Fault> {
        let fallback = self.program.languages.first().map(String::as_str);
        let action = match pick(&rem.texts, self.language, fallback) {
            Some(t) => self.render(t)?,
            None => String::new(),
        };
        let due = match &rem.deadline {
            None => None,
            Some(DeadlineDef::Within(e)) => {
                let d = self.eval(e)?;
                let as_of = self.as_of.clone();
                match self.arith(ArithOp::Add, as_of, d)?.val {
                    Val::Date(d) => Some(d.to_string()),
                    _ => None,
                }
            }
            Some(DeadlineDef::Due(e)) => {
                let v = self.eval(e)?;
                match self.as_date(v) {
                    Ok(V {
                        val: Val::Date(d), ..
                    }) => Some(d.to_string()),
                    _ => None,
                }
            }
        };
        Ok(Remediation { action, due })
    }

    fn render(&mut self, t: &'a Template) -> Result<String, Fault> {
        let mut out = String::new();
        for part in &t.parts {
            match part {
                TemplatePart::Literal(s) => out.push_str(s),
                TemplatePart::Hole { expr, percent } => {
                    let v = self
                        .eval(expr)
                        .unwrap_or(V::new(Val::Unknown(Rc::new(Why::default()))));
                    if v.why().is_some() {
                        out.push_str(if self.language == "sv" {
                            "okänt"
                        } else {
                            "unknown"
                        });
                    } else {
                        out.push_str(&v.display_text(*percent));
                    }
                }
            }
        }
        Ok(out)
    }

    /// Finds what a failed condition is about: the evidence location, the value found and
    /// what was required.
    fn blame(&mut self, e: &'a Expr, text: &str) -> Result<(Loc, V<'a>, String), Fault> {
        match &e.kind {
            ExprKind::Cmp(op, a, b) => self.blame_cmp(*op, a, b),
            ExprKind::Not(inner) => match &inner.kind {
                ExprKind::Cmp(op, a, b) => self.blame_cmp(op.negate(), a, b),
                _ => {
                    let v = self.eval(inner)?;
                    Ok((v.loc, v, "false".into()))
                }
            },
            ExprKind::And(a, b) => {
                let l = self.eval(a)?;
                if matches!(l.val, Val::Bool(false)) {
                    self.blame(a, text)
                } else {
                    self.blame(b, text)
                }
            }
            // Every part failed: report the first that is about evidence.
            ExprKind::Or(a, b) => {
                let first = self.blame(a, text)?;
                if first.0 == NO_LOC {
                    self.blame(b, text)
                } else {
                    Ok(first)
                }
            }
            ExprKind::In {
                item,
                list,
                negated,
            } => {
                let x = self.eval(item)?;
                let l = self.eval(list)?;
                let word = if *negated { "not in" } else { "in" };
                Ok((
                    if x.loc == NO_LOC { l.loc } else { x.loc },
                    x,
                    format!("{word} {}", l.display_code()),
                ))
            }
            ExprKind::Call(crate::program::Builtin::Exists, args) => {
                let v = match args.first() {
                    Some(a) => self.eval(a)?,
                    None => V::new(Val::Null),
                };
                Ok((v.loc, V::new(Val::Null), "present".into()))
            }
            _ => {
                let v = self.eval(e)?;
                Ok((v.loc, v, format!("{text} to hold")))
            }
        }
    }

    fn blame_cmp(
        &mut self,
        op: CmpOp,
        a: &'a Expr,
        b: &'a Expr,
    ) -> Result<(Loc, V<'a>, String), Fault> {
        let l = self.eval(a)?;
        let r = self.eval(b)?;
        if l.loc != NO_LOC || r.loc == NO_LOC {
            let expected = format!("{} {}", op.symbol(), r.display_code());
            Ok((l.loc, l, expected))
        } else {
            let expected = format!("{} {}", op.flip().symbol(), l.display_code());
            Ok((r.loc, r, expected))
        }
    }
}

/// The default deadline of a remediation for a violation of `severity`, as text ("30 days"),
/// when it does not depend on the evidence; for pack documentation.
pub(crate) fn describe_deadline(
    program: &Program,
    rem: &RemediationDef,
    severity: Severity,
) -> Option<String> {
    static NULL: Value = Value::Null;
    let limits = EvalLimits::default();
    let mut ev = Evaluator {
        program,
        indexes: std::collections::HashMap::new(),
        globals: Vec::new(),
        arena_base: 1,
        call_depth: 0,
        evidence: &NULL,
        params: program
            .params
            .iter()
            .map(|p| const_value(&p.default))
            .collect(),
        as_of: V::new(Val::Null),
        language: "en",
        limits: &limits,
        arena: vec![(NO_LOC, Seg::Root)],
        slots: vec![V::new(Val::Null); program.header_slots],
        steps: 0,
        context: Some(ViolationContext {
            severity,
            actual: V::new(Val::Null),
            expected: String::new(),
        }),
        clause: "",
        trace: None,
    };
    match rem.deadline.as_ref()? {
        DeadlineDef::Within(e) => match ev.eval(e).ok()?.val {
            Val::Dur(d) => Some(d.to_string()),
            _ => None,
        },
        DeadlineDef::Due(e) => match ev.eval(e).ok()?.val {
            Val::Date(d) => Some(d.to_string()),
            _ => match &e.kind {
                ExprKind::AsOf => Some("immediately".to_string()),
                _ => None,
            },
        },
    }
}

/// The severities a clause can give its violations.
pub(crate) fn reachable_severities(clause: &ClauseDef) -> Vec<Severity> {
    fn rule(r: &SeverityRule, out: &mut Vec<Severity>) {
        match r {
            SeverityRule::Fixed(s) => out.push(*s),
            SeverityRule::Cases { cases, otherwise } => {
                out.extend(cases.iter().map(|(s, _)| *s));
                out.push(*otherwise);
            }
        }
    }
    fn stmts(s: &[Stmt], clause: &ClauseDef, out: &mut Vec<Severity>) {
        for st in s {
            match st {
                Stmt::Require(r) => rule(r.severity.as_ref().unwrap_or(&clause.severity), out),
                Stmt::For { body, .. } => stmts(body, clause, out),
                Stmt::Let { .. } | Stmt::Insufficient { .. } => {}
            }
        }
    }
    let mut out = Vec::new();
    stmts(&clause.body, clause, &mut out);
    out.sort();
    out.dedup();
    out
}

/// Recording for `conduct explain` ([`crate::explain`]): called only when `trace` is set, and
/// never changing what the clause finds (the step count is put back).
impl<'a> Evaluator<'a> {
    /// A value as the explanation shows it: JSON, text, evidence path and why it is unknown.
    fn trace_value(&self, v: &V<'a>) -> TraceValue {
        let (missing, invalid) = match v.why() {
            Some(w) => (w.missing.clone(), w.invalid.clone()),
            None => (Vec::new(), Vec::new()),
        };
        TraceValue {
            value: v.to_json(),
            text: v.display_code(),
            path: (v.loc != NO_LOC).then(|| self.pointer(v.loc)),
            unknown: v.why().is_some(),
            missing,
            invalid,
        }
    }

    /// Evaluates for the trace only: faults are ignored and the step count is restored.
    fn trace_eval(&mut self, e: &'a Expr) -> Option<V<'a>> {
        let steps = self.steps;
        let v = self.eval(e).ok();
        self.steps = steps;
        v
    }

    /// Enters the body of a `for each` for one combination of items; returns the frame depth
    /// to go back to.
    fn trace_enter(&mut self, bindings: &'a [Binding]) -> usize {
        let Some(depth) = self.trace.as_ref().map(|t| t.frames.len()) else {
            return 0;
        };
        let frames: Vec<(crate::source::Span, String)> = bindings
            .iter()
            .map(|b| {
                let at = match self.slots.get(b.slot) {
                    Some(v) if v.loc != NO_LOC => self.pointer(v.loc),
                    Some(v) => v.display_code(),
                    None => String::new(),
                };
                (b.collection.span, at)
            })
            .collect();
        if let Some(t) = self.trace.as_mut() {
            t.frames.extend(frames);
        }
        depth
    }

    fn trace_let(&mut self, value: &'a Expr, v: &V<'a>) {
        use crate::program::Builtin;
        let mut arguments = Vec::new();
        let mut function = None;
        if let ExprKind::Call(b @ (Builtin::Min | Builtin::Max), args) = &value.kind {
            function = Some(if matches!(b, Builtin::Min) {
                "min"
            } else {
                "max"
            });
            for e in args {
                if let Some(x) = self.trace_eval(e) {
                    let tv = self.trace_value(&x);
                    arguments.push((self.program.sources.one_line(e.span), tv));
                }
            }
        }
        let value_seen = self.trace_value(v);
        let chosen = arguments
            .iter()
            .position(|(_, a)| !a.unknown && !value_seen.unknown && a.value == value_seen.value);
        if let Some(t) = self.trace.as_mut() {
            let record = TraceLet {
                span: value.span,
                bindings: t.frames.clone(),
                value: value_seen,
                function,
                arguments,
                chosen,
            };
            t.push_let(record);
        }
    }

    fn trace_guard(&mut self, text: &str, v: &V<'a>) {
        let value = self.trace_value(v);
        if let Some(t) = self.trace.as_mut() {
            t.push_guard(text, Truth::of(&v.val), value);
        }
    }

    fn trace_require(&mut self, r: &'a Requirement, v: &V<'a>) {
        let result = Truth::of(&v.val);
        let value = self.trace_value(v);
        let comparison = match &r.condition.kind {
            ExprKind::Cmp(op, a, b) => Some((*op, a, b)),
            ExprKind::Not(inner) => match &inner.kind {
                ExprKind::Cmp(op, a, b) => Some((op.negate(), a, b)),
                _ => None,
            },
            _ => None,
        };
        let comparison = match comparison {
            Some((op, a, b)) => match (self.trace_eval(a), self.trace_eval(b)) {
                (Some(l), Some(rv)) => {
                    Some((self.trace_value(&l), op.symbol(), self.trace_value(&rv)))
                }
                _ => None,
            },
            None => None,
        };
        // What was found and what was required, as a violation would say it; for an `or`
        // that holds the blamed part would mislead, so it is left out.
        let blamed = match (&result, &r.condition.kind) {
            (Truth::False, _) => true,
            (Truth::True, ExprKind::Or(..)) => false,
            (Truth::True, _) => true,
            _ => false,
        };
        let mut found = None;
        if blamed {
            let steps = self.steps;
            if let Ok((loc, actual, expected)) = self.blame(&r.condition, &r.text) {
                let mut tv = self.trace_value(&actual);
                tv.path = (loc != NO_LOC).then(|| self.pointer(loc));
                found = Some((tv, expected));
            }
            self.steps = steps;
        }
        if let Some(t) = self.trace.as_mut() {
            let item = TraceItem {
                bindings: t.frames.clone(),
                result,
                missing: value.missing,
                invalid: value.invalid,
                found,
                comparison,
                severity: None,
                remedied: false,
            };
            t.push_item(r.location.clone(), item);
        }
    }

    fn trace_case(&self, level: Severity, cond: &'a Expr, v: &V<'a>) -> TraceCase {
        TraceCase {
            severity: level,
            condition: self.program.sources.one_line(cond.span),
            result: Truth::of(&v.val),
            missing: v.why().map(|w| w.missing.clone()).unwrap_or_default(),
        }
    }

    fn trace_severity(&mut self, chosen: Severity, by: Option<usize>, cases: Vec<TraceCase>) {
        if let Some(item) = self.trace.as_mut().and_then(|t| t.current_item()) {
            item.severity = Some((chosen, by, cases));
        }
    }
}

/// What kind of value `v` is, as a comparison wants it; `None` for null and objects.
fn kind(v: &Val<'_>) -> Option<&'static str> {
    match v {
        Val::Num(_) => Some("a number"),
        Val::Date(_) => Some("a date"),
        Val::Str(_) => Some("a text"),
        Val::Bool(_) => Some("true or false"),
        Val::Dur(_) => Some("a duration"),
        _ => None,
    }
}
