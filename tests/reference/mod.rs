//! A reference evaluator: a deliberately simple tree-walker over the untyped syntax tree
//! (`conduct::tools::unstable::parse`) and `serde_json::Value`, written from the language reference
//! (`grammar/README.md`) and the report contract, for differential testing of the real
//! evaluator. No slots, no index plans, no arena, no caches: plain recursion, environments
//! as lists of names, values carrying their JSON Pointer as a `String`.
//!
//! It covers one-file packs. Where the documentation leaves a detail open, the choice is
//! written next to the code ("Decision: …").

#![allow(dead_code)]

pub mod value;

use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use conduct::tools::unstable::Number;
use conduct::tools::unstable::ast::{
    self, AggregateKind, BinaryOp, Deadline, Expr, ExprKind, Item, Level, SeveritySpec, Stmt,
    TemplatePart, UnaryOp, Unit,
};
use serde_json::Value;

pub use self::value::{Day, Dur, Shape, V, Val, Why, child, common};

/// A reason a clause cannot be evaluated that is not the evidence's fault.
#[derive(Clone, Debug)]
pub struct Fault(pub String);

type R = Result<V, Fault>;

/// What the reference reports for one violation.
#[derive(Clone, Debug, PartialEq)]
pub struct RefViolation {
    pub severity: Level,
    pub message: String,
    pub path: String,
    pub actual: Value,
    pub expected: String,
    /// The action text and the due date.
    pub remediation: Option<(String, Option<String>)>,
}

/// What the reference reports for one clause.
#[derive(Clone, Debug, PartialEq)]
pub struct RefOutcome {
    pub clause: String,
    /// `compliant`, `violated`, `insufficient_evidence`, `not_applicable` or `error`.
    pub status: &'static str,
    pub severity: Option<Level>,
    pub remediated: bool,
    pub violations: Vec<RefViolation>,
    pub missing: Vec<String>,
    /// Paths of invalid evidence, sorted.
    pub invalid: Vec<String>,
}

/// Evaluation options of the reference.
#[derive(Clone, Debug, Default)]
pub struct RefOptions {
    /// `YYYY-MM-DD`, overriding the pack's `as_of from`.
    pub as_of: Option<String>,
    pub language: String,
}

pub fn level_name(l: Level) -> &'static str {
    match l {
        Level::Minor => "minor",
        Level::Major => "major",
        Level::Critical => "critical",
    }
}

/// The source text of a node, whitespace collapsed. Spans are not public; their `Debug`
/// form (`start..end`) is.
fn source_text(src: &str, span: &ast::NodeSpan) -> String {
    let s = format!("{span:?}");
    let (a, b) = s.split_once("..").unwrap();
    let text = &src[a.parse::<usize>().unwrap()..b.parse::<usize>().unwrap()];
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

struct MsgCtx {
    severity: Level,
    actual: V,
    expected: String,
}

/// What the statements of one clause found.
#[derive(Default)]
struct Run {
    violations: Vec<RefViolation>,
    remedied: usize,
    why: Why,
}

type Env = Vec<(String, V)>;

struct Ctx<'a> {
    src: &'a str,
    evidence: &'a Value,
    root: Option<Rc<Shape>>,
    params: HashMap<String, V>,
    tables: HashMap<String, (HashMap<String, V>, Option<V>)>,
    globals: HashMap<String, Result<V, Fault>>,
    functions: HashMap<String, &'a ast::Function>,
    /// Named collections: `for each s in NAME` iterates the source's items that pass the filter.
    collections: HashMap<String, &'a ast::Collection>,
    /// The id of the clause being judged (`this_clause`).
    clause_id: String,
    as_of: V,
    languages: Vec<String>,
    language: String,
    msg: Option<MsgCtx>,
    /// Every clause by id, judged on demand when another reads its outcome.
    clauses: HashMap<String, &'a ast::Clause>,
    /// The clauses judged so far.
    judged: HashMap<String, RefOutcome>,
    /// The clauses being judged now (a clause reading one of these is a fault).
    judging: Vec<String>,
}

fn shape_of(s: &ast::Shape) -> Rc<Shape> {
    Rc::new(match s {
        ast::Shape::Object(o) => Shape::Object(
            o.fields
                .iter()
                .map(|(n, s)| (n.name.clone(), shape_of(s)))
                .collect(),
        ),
        ast::Shape::List(inner) => Shape::List(shape_of(inner)),
        ast::Shape::Scalar(id) => Shape::Scalar(id.name.clone()),
        ast::Shape::Enum(v) => Shape::Enum(v.clone()),
    })
}

/// A constant as the checker folds it: numbers, texts, booleans, null, lists, dates,
/// durations, negative numbers.
fn constant(e: &Expr) -> V {
    V::new(match &e.kind {
        ExprKind::Number(t) => Val::Num(Number::parse(t).unwrap()),
        ExprKind::Str(s) => Val::Str(s.clone()),
        ExprKind::Bool(b) => Val::Bool(*b),
        ExprKind::Null => Val::Null,
        ExprKind::Unary(UnaryOp::Neg, inner) => match constant(inner).val {
            Val::Num(n) => Val::Num(n.neg()),
            other => panic!("not a constant: {other:?}"),
        },
        ExprKind::List(items) => Val::List(items.iter().map(constant).collect()),
        ExprKind::Call(name, args) if name.name == "date" => match &args[0].kind {
            ExprKind::Str(s) => Val::Date(Day::parse(s).unwrap()),
            _ => panic!("not a constant date"),
        },
        ExprKind::Duration(inner, unit) => match constant(inner).val {
            Val::Num(n) => Val::Dur(duration(n.to_i64().unwrap(), *unit)),
            _ => panic!("not a constant duration"),
        },
        other => panic!("not a constant: {other:?}"),
    })
}

fn duration(n: i64, unit: Unit) -> Dur {
    match unit {
        Unit::Days => Dur::Days(n),
        Unit::Weeks => Dur::Days(7 * n),
        Unit::Months => Dur::Months(n),
        Unit::Years => Dur::Months(12 * n),
    }
}

fn describe_json(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("`{n}`"),
        Value::String(s) => format!("{s:?}"),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// Evaluates a one-file pack on one evidence document.
pub fn evaluate(src: &str, evidence: &Value, options: &RefOptions) -> Vec<RefOutcome> {
    let file = parse(src);
    evaluate_file(src, &file, evidence, options)
}

/// Parses a one-file pack for [`evaluate_file`].
pub fn parse(src: &str) -> ast::File {
    conduct::tools::unstable::parse("pack.conduct", src).expect("the pack parses")
}

/// [`evaluate`] for a pack parsed once.
pub fn evaluate_file(
    src: &str,
    file: &ast::File,
    evidence: &Value,
    options: &RefOptions,
) -> Vec<RefOutcome> {
    let header = file.header.as_ref().expect("a pack header");
    let mut ctx = Ctx {
        src,
        evidence,
        root: None,
        params: HashMap::new(),
        tables: HashMap::new(),
        globals: HashMap::new(),
        functions: HashMap::new(),
        collections: HashMap::new(),
        clause_id: String::new(),
        as_of: V::new(Val::Null),
        languages: header.languages.iter().map(|l| l.name.clone()).collect(),
        language: String::new(),
        msg: None,
        clauses: HashMap::new(),
        judged: HashMap::new(),
        judging: Vec::new(),
    };
    ctx.language = if ctx.languages.contains(&options.language) {
        options.language.clone()
    } else {
        ctx.languages
            .first()
            .cloned()
            .unwrap_or_else(|| "en".into())
    };
    // Declarations first: the evidence shape, parameters and tables are constants.
    for item in &file.items {
        match item {
            Item::Evidence(o) => ctx.root = Some(shape_of(&ast::Shape::Object(o.clone()))),
            Item::Param(p) => {
                ctx.params.insert(p.name.name.clone(), constant(&p.default));
            }
            Item::Table(t) => {
                let entries = t
                    .entries
                    .iter()
                    .map(|e| (e.key.clone(), constant(&e.value)))
                    .collect();
                ctx.tables.insert(
                    t.name.name.clone(),
                    (entries, t.default.as_ref().map(constant)),
                );
            }
            _ => {}
        }
    }
    // The evaluation date: given, else read from the evidence, else unknown.
    ctx.as_of = match (&options.as_of, &header.as_of) {
        (Some(d), _) => V::new(Val::Date(Day::parse(d).unwrap())),
        (None, Some(e)) => {
            let mut env = Env::new();
            match ctx.eval(e, &mut env) {
                Ok(v) => ctx.as_date(v).unwrap_or_else(|w| V::unknown(w, None)),
                Err(f) => V::unknown(Why::invalid("", f.0), None),
            }
        }
        (None, None) => V::unknown(Why::missing("as_of"), None),
    };
    // Pack-level definitions and functions, in order.
    for item in &file.items {
        match item {
            Item::Let(l) => {
                let mut env = Env::new();
                let v = ctx.eval(&l.value, &mut env);
                ctx.globals.insert(l.name.name.clone(), v);
            }
            Item::Function(f) => {
                ctx.functions.insert(f.name.name.clone(), f);
            }
            Item::Collection(c) => {
                ctx.collections.insert(c.name.name.clone(), c);
            }
            _ => {}
        }
    }
    // Decision: clauses that read clauses are judged on demand (the first read of a clause's
    // outcome judges it, memoised), not in a precomputed order as the engine does.
    for item in &file.items {
        if let Item::Clause(c) = item {
            ctx.clauses.insert(c.id.clone(), c);
        }
    }
    file.items
        .iter()
        .filter_map(|item| match item {
            Item::Clause(c) => Some(ctx.judged_outcome(&c.id).expect("a clause of the pack")),
            _ => None,
        })
        .collect()
}

enum Flow {
    Go,
    Stop,
}

impl<'a> Ctx<'a> {
    /// The outcome of clause `id`, judging it first if no one has read it yet; a fault
    /// when it is being judged now (a clause reading itself) or is not in the pack.
    fn judged_outcome(&mut self, id: &str) -> Result<RefOutcome, Fault> {
        if let Some(o) = self.judged.get(id) {
            return Ok(o.clone());
        }
        if self.judging.iter().any(|j| j == id) {
            return Err(Fault(format!("{id} is being judged")));
        }
        let c = *self
            .clauses
            .get(id)
            .ok_or_else(|| Fault(format!("no clause {id}")))?;
        let saved = (std::mem::take(&mut self.clause_id), self.msg.take());
        self.judging.push(id.to_string());
        let o = self.clause(c);
        self.judging.pop();
        (self.clause_id, self.msg) = saved;
        self.judged.insert(id.to_string(), o.clone());
        Ok(o)
    }

    fn clause(&mut self, c: &'a ast::Clause) -> RefOutcome {
        self.clause_id = c.id.clone();
        let mut run = Run::default();
        let mut out = RefOutcome {
            clause: c.id.clone(),
            status: "compliant",
            severity: None,
            remediated: false,
            violations: Vec::new(),
            missing: Vec::new(),
            invalid: Vec::new(),
        };
        let result = (|| -> Result<Option<&'static str>, Fault> {
            let mut env = Env::new();
            if let Some(scope) = &c.scope {
                let v = self.eval(scope, &mut env)?;
                match v.val {
                    Val::Bool(true) => {}
                    Val::Bool(false) => return Ok(Some("not_applicable")),
                    Val::Unknown(w) => {
                        run.why.merge(&w);
                        return Ok(Some("insufficient_evidence"));
                    }
                    _ => return Err(Fault("scope not a condition".into())),
                }
            }
            self.stmts(&c.body, c, None, &mut env, &mut run)?;
            // Clause-level remedy: drops the violations when it definitely holds; unknown,
            // the breach is undecided (issue 11: a completion could make it either).
            if !run.violations.is_empty()
                && let Some(cond) = &c.remedied
            {
                let mut env = Env::new();
                match self.eval(cond, &mut env)?.val {
                    Val::Bool(true) => {
                        run.remedied += run.violations.len();
                        run.violations.clear();
                    }
                    Val::Unknown(w) => {
                        run.why.merge(&w);
                        run.violations.clear();
                    }
                    _ => {}
                }
            }
            Ok(None)
        })();
        match result {
            Err(_) => {
                out.status = "error";
                return out;
            }
            Ok(Some(status)) => out.status = status,
            Ok(None) => {
                out.status = if !run.violations.is_empty() {
                    "violated"
                } else if !run.why.is_empty() {
                    "insufficient_evidence"
                } else {
                    "compliant"
                };
            }
        }
        // Decision (docs say "compliant with remediated: true — or insufficient_evidence if
        // core evidence is still missing"): `remediated` is true whenever something was put
        // right and nothing is violated, also when the outcome is insufficient_evidence.
        out.remediated =
            run.remedied > 0 && run.violations.is_empty() && out.status != "not_applicable";
        out.severity = run.violations.iter().map(|v| v.severity).max();
        out.violations = run.violations;
        out.missing = run.why.missing.into_iter().collect();
        out.invalid = run
            .why
            .invalid
            .into_iter()
            .map(|(p, _)| p)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        out
    }

    /// Statements; `remedied` is the block-level `remedied when` in force.
    fn stmts(
        &mut self,
        stmts: &'a [Stmt],
        clause: &'a ast::Clause,
        remedied: Option<&'a Expr>,
        env: &mut Env,
        run: &mut Run,
    ) -> Result<(), Fault> {
        let mark = env.len();
        let r = self.stmts_inner(stmts, clause, remedied, env, run);
        env.truncate(mark);
        r
    }

    fn stmts_inner(
        &mut self,
        stmts: &'a [Stmt],
        clause: &'a ast::Clause,
        mut remedied: Option<&'a Expr>,
        env: &mut Env,
        run: &mut Run,
    ) -> Result<(), Fault> {
        for s in stmts {
            match s {
                // The default `remedied when` of the requirements after it, nested ones too.
                Stmt::Remedied(l) => remedied = Some(&l.value),
                Stmt::Let(l) => {
                    let v = self.eval(&l.value, env)?;
                    env.push((l.name.name.clone(), v));
                }
                Stmt::For(f) => {
                    // A loop over a collection `insufficient when empty`: no item passes the
                    // filter, the list counts as missing (as `insufficient unless count(…) > 0`).
                    if let Some(c) = f
                        .bindings
                        .first()
                        .and_then(|b| self.named_collection(b, env))
                        .filter(|c| c.insufficient_when_empty)
                    {
                        let mut own = Env::new();
                        let n = self.aggregate(
                            AggregateKind::Count,
                            std::slice::from_ref(&c.binding),
                            None,
                            &mut own,
                        )?;
                        match &n.val {
                            Val::Num(k) if *k > Number::parse("0").unwrap() => {}
                            Val::Unknown(w) => {
                                run.why.merge(w);
                                return Ok(());
                            }
                            _ => {
                                let path = n.ptr.clone().unwrap_or_else(|| {
                                    format!(
                                        "({})",
                                        source_text(self.src, &c.binding.collection.span)
                                    )
                                });
                                run.why.missing.insert(path);
                                return Ok(());
                            }
                        }
                    }
                    let mut why = Why::default();
                    self.iterate(&f.bindings, None, env, &mut why, &mut |ctx, env| {
                        ctx.stmts(&f.body, clause, remedied, env, run)?;
                        Ok(true)
                    })?;
                    run.why.merge(&why);
                }
                Stmt::Require(r) => self.require(r, clause, remedied, env, run)?,
                // A guard: unless it definitely holds, the rest of this block is not judged;
                // unknown, its own missing evidence is listed; false, the evidence it is
                // about (or its text when it is about no evidence) counts as missing.
                Stmt::Insufficient(g) => {
                    let v = self.eval(&g.value, env)?;
                    match v.val {
                        Val::Bool(true) => {}
                        Val::Unknown(w) => {
                            run.why.merge(&w);
                            return Ok(());
                        }
                        _ => {
                            let (ptr, _, _) = self.blame(&g.value, env)?;
                            let path = match ptr {
                                Some(p) => p,
                                None => format!("({})", source_text(self.src, &g.value.span)),
                            };
                            run.why.missing.insert(path);
                            return Ok(());
                        }
                    }
                }
            }
        }
        Ok(())
    }

    fn require(
        &mut self,
        r: &'a ast::Require,
        clause: &'a ast::Clause,
        remedied: Option<&'a Expr>,
        env: &mut Env,
        run: &mut Run,
    ) -> Result<(), Fault> {
        let v = self.eval(&r.condition, env)?;
        match v.val {
            Val::Bool(true) => Ok(()),
            Val::Unknown(w) => {
                run.why.merge(&w);
                Ok(())
            }
            Val::Bool(false) => {
                if let Some(cond) = r.remedied.as_ref().or(remedied) {
                    match self.eval(cond, env)?.val {
                        Val::Bool(true) => {
                            run.remedied += 1;
                            return Ok(());
                        }
                        Val::Unknown(w) => {
                            run.why.merge(&w);
                            return Ok(());
                        }
                        _ => {}
                    }
                }
                let violation = self.violation(r, clause, env, run)?;
                run.violations.push(violation);
                Ok(())
            }
            _ => Err(Fault("the requirement did not give true or false".into())),
        }
    }

    fn violation(
        &mut self,
        r: &'a ast::Require,
        clause: &'a ast::Clause,
        env: &mut Env,
        run: &mut Run,
    ) -> Result<RefViolation, Fault> {
        let text = source_text(self.src, &r.condition.span);
        let (ptr, actual, mut expected) = self.blame(&r.condition, env)?;
        let severity = match r.severity.as_ref().or(clause.severity.as_ref()) {
            None => Level::Major,
            Some(spec) => self.severity(spec, env, run)?,
        };
        self.msg = Some(MsgCtx {
            severity,
            actual: actual.clone(),
            expected: expected.clone(),
        });
        // `expected LANG "…"`: the author's words replace the derived bound.
        if let Some(t) = self.pick(&r.expected) {
            expected = self.render(t, env);
            if let Some(m) = self.msg.as_mut() {
                m.expected.clone_from(&expected);
            }
        }
        let message = match self.pick(&r.messages) {
            Some(t) => self.render(t, env),
            // Without a message, the requirement itself (in the report's language).
            None if self.language == "sv" => format!(
                "kravet `{text}` är inte uppfyllt (fann {}, krävs {expected})",
                actual.text(false, "sv")
            ),
            None => format!(
                "requirement `{text}` does not hold (found {}, required {expected})",
                actual.text(false, &self.language)
            ),
        };
        let remediation = match r.remediation.as_ref().or(clause.remediation.as_ref()) {
            None => None,
            Some(rem) => {
                let action = match self.pick(&rem.texts) {
                    Some(t) => self.render(t, env),
                    None => String::new(),
                };
                let due = match &rem.deadline {
                    None => None,
                    Some(Deadline::Within(e)) => {
                        let d = self.eval(e, env)?;
                        match self.arith(BinaryOp::Add, self.as_of.clone(), d)?.val {
                            Val::Date(d) => Some(d.show()),
                            _ => None,
                        }
                    }
                    Some(Deadline::Due(e)) => {
                        let v = self.eval(e, env)?;
                        match self.as_date(v) {
                            Ok(V {
                                val: Val::Date(d), ..
                            }) => Some(d.show()),
                            _ => None,
                        }
                    }
                };
                Some((action, due))
            }
        };
        self.msg = None;
        Ok(RefViolation {
            severity,
            message,
            path: ptr.unwrap_or_default(),
            actual: actual.to_json(),
            expected,
            remediation,
        })
    }

    /// Cases in order; an unknown case is not established (and, decision following the
    /// engine: what it lacked is listed as missing, since the severity might be higher).
    fn severity(
        &mut self,
        spec: &'a SeveritySpec,
        env: &mut Env,
        run: &mut Run,
    ) -> Result<Level, Fault> {
        match spec {
            SeveritySpec::Fixed(l) => Ok(*l),
            SeveritySpec::Cases {
                cases, otherwise, ..
            } => {
                for (level, cond) in cases {
                    match self.eval(cond, env)?.val {
                        Val::Bool(true) => return Ok(*level),
                        Val::Unknown(w) => run.why.merge(&w),
                        _ => {}
                    }
                }
                Ok(otherwise.unwrap_or_else(|| cases.iter().map(|(l, _)| *l).min().unwrap()))
            }
        }
    }

    fn pick<'t>(&self, texts: &'t [ast::MessageText]) -> Option<&'t ast::Template> {
        let find = |lang: &str| texts.iter().find(|t| t.lang.name == lang);
        find(&self.language)
            .or_else(|| self.languages.first().and_then(|l| find(l)))
            .or_else(|| texts.first())
            .map(|t| &t.template)
    }

    fn render(&mut self, t: &'a ast::Template, env: &mut Env) -> String {
        let mut out = String::new();
        for part in &t.parts {
            match part {
                TemplatePart::Literal(s) => out.push_str(s),
                TemplatePart::Hole { expr, format } => match self.eval(expr, env) {
                    Ok(v) if v.why().is_none() => {
                        out.push_str(&v.text(format.as_deref() == Some("%"), &self.language));
                    }
                    // Unknown, and no `??` wording: a neutral word, never "unknown".
                    _ => out.push_str(if self.language == "sv" {
                        "(uppgift saknas)"
                    } else {
                        "(not given)"
                    }),
                },
            }
        }
        out
    }

    /// What a failed condition is about: its evidence pointer, the value found, and what
    /// was required (see "What a violation reports").
    ///
    /// Decision (the docs say which part is reported, not how its `expected` reads; this
    /// follows the engine): a part that is not a comparison, `in` or `exists` expects "the
    /// requirement to hold" ("att kravet uppfylls"), never its source.
    fn blame(&mut self, e: &'a Expr, env: &mut Env) -> Result<(Option<String>, V, String), Fault> {
        match &e.kind {
            ExprKind::Binary(op, a, b) if is_ordering(*op) => self.blame_cmp(*op, a, b, env),
            ExprKind::Unary(UnaryOp::Not, inner) => match &inner.kind {
                ExprKind::Binary(op, a, b) if is_ordering(*op) => {
                    self.blame_cmp(negate(*op), a, b, env)
                }
                ExprKind::Binary(BinaryOp::In, a, b) => self.blame_in(true, a, b, env),
                ExprKind::Binary(BinaryOp::NotIn, a, b) => self.blame_in(false, a, b, env),
                _ => {
                    let v = self.eval(inner, env)?;
                    Ok((v.ptr.clone(), v, "false".into()))
                }
            },
            ExprKind::Binary(BinaryOp::And, a, b) => {
                let l = self.eval(a, env)?;
                if matches!(l.val, Val::Bool(false)) {
                    self.blame(a, env)
                } else {
                    self.blame(b, env)
                }
            }
            // Both parts failed: the first that is about evidence.
            ExprKind::Binary(BinaryOp::Or, a, b) => {
                let first = self.blame(a, env)?;
                if first.0.is_none() {
                    self.blame(b, env)
                } else {
                    Ok(first)
                }
            }
            ExprKind::Binary(op @ (BinaryOp::In | BinaryOp::NotIn), a, b) => {
                self.blame_in(*op == BinaryOp::NotIn, a, b, env)
            }
            ExprKind::Call(name, args) if name.name == "exists" => {
                let v = self.eval(&args[0], env)?;
                Ok((v.ptr, V::new(Val::Null), "present".into()))
            }
            // Nothing to show as a bound: a generic text in the report's language, never the
            // rule's source.
            _ => {
                let v = self.eval(e, env)?;
                let generic = if self.language == "sv" {
                    "att kravet uppfylls"
                } else {
                    "the requirement to hold"
                };
                Ok((v.ptr.clone(), v, generic.into()))
            }
        }
    }

    /// Membership: when only the list is evidence, the list is what is found and it must
    /// (not) contain the item; otherwise the item must be (not) in the list.
    fn blame_in(
        &mut self,
        negated: bool,
        a: &'a Expr,
        b: &'a Expr,
        env: &mut Env,
    ) -> Result<(Option<String>, V, String), Fault> {
        let x = self.eval(a, env)?;
        let l = self.eval(b, env)?;
        if x.ptr.is_none() && l.ptr.is_some() {
            let word = match (negated, self.language.as_str()) {
                (false, "sv") => "innehåller",
                (true, "sv") => "innehåller inte",
                (false, _) => "contains",
                (true, _) => "does not contain",
            };
            let expected = format!("{word} {}", x.code());
            return Ok((l.ptr.clone(), l, expected));
        }
        let word = if negated { "not in" } else { "in" };
        let expected = format!("{word} {}", l.code());
        Ok((x.ptr.clone(), x, expected))
    }

    fn blame_cmp(
        &mut self,
        op: BinaryOp,
        a: &'a Expr,
        b: &'a Expr,
        env: &mut Env,
    ) -> Result<(Option<String>, V, String), Fault> {
        let l = self.eval(a, env)?;
        let r = self.eval(b, env)?;
        // The evidence side is the subject; with evidence on both sides, the left.
        if l.ptr.is_some() || r.ptr.is_none() {
            let expected = format!("{} {}", op.symbol(), r.code());
            Ok((l.ptr.clone(), l, expected))
        } else {
            let expected = format!("{} {}", flip(op).symbol(), l.code());
            Ok((r.ptr.clone(), r, expected))
        }
    }

    // ----- expressions -----

    fn lookup(&self, name: &str, env: &Env) -> Option<R> {
        if let Some((_, v)) = env.iter().rev().find(|(n, _)| n == name) {
            return Some(Ok(v.clone()));
        }
        if let Some(v) = self.params.get(name) {
            return Some(Ok(v.clone()));
        }
        if let Some(v) = self.globals.get(name) {
            return Some(v.clone());
        }
        if name == "as_of" {
            return Some(Ok(self.as_of.clone()));
        }
        if let Some(m) = &self.msg {
            match name {
                "severity" => return Some(Ok(V::new(Val::Str(level_name(m.severity).into())))),
                "actual" => return Some(Ok(m.actual.clone())),
                "expected" => return Some(Ok(V::new(Val::Str(m.expected.clone())))),
                _ => {}
            }
        }
        None
    }

    /// Reads a path (`a.b[0].c`) from the evidence: returns the raw JSON where it leads (with
    /// its pointer and declared shape), or a finished value when it stops early.
    fn place(&mut self, e: &'a Expr, env: &mut Env) -> Result<Place<'a>, Fault> {
        match &e.kind {
            ExprKind::Name(id) => match self.lookup(&id.name, env) {
                Some(v) => {
                    let v = v?;
                    Ok(self.evidence_place(v))
                }
                None => {
                    // A top-level evidence field.
                    let root = Place::Json(self.evidence, String::new(), self.root.clone());
                    Ok(step(root, Step::Key(id.name.clone())))
                }
            },
            ExprKind::Field(base, name) => {
                let p = self.place(base, env)?;
                Ok(step(p, Step::Key(name.name.clone())))
            }
            ExprKind::Index(base, idx) if !self.is_table(base, env) => {
                let p = self.place(base, env)?;
                let i = self.eval(idx, env)?;
                Ok(match i.val {
                    Val::Str(s) => step(p, Step::Key(s)),
                    Val::Num(n) => match n.to_i64().and_then(|n| usize::try_from(n).ok()) {
                        Some(n) => step(p, Step::Index(n)),
                        None => return Err(Fault("bad index".into())),
                    },
                    Val::Unknown(_) => Place::Done(i),
                    _ => return Err(Fault("bad index".into())),
                })
            }
            // A computed value (a definition, `first(…)`, an `if`) that is evidence.
            _ => {
                let v = self.eval(e, env)?;
                Ok(self.evidence_place(v))
            }
        }
    }

    /// An evidence object or list is read in place (it is in the evidence at its pointer).
    fn evidence_place(&self, v: V) -> Place<'a> {
        if let (Val::Json(_), Some(p)) = (&v.val, &v.ptr)
            && let Some(j) = self.evidence.pointer(p)
        {
            return Place::Json(j, p.clone(), v.shape.clone());
        }
        Place::Done(v)
    }

    fn is_table(&self, base: &Expr, env: &Env) -> bool {
        match &base.kind {
            ExprKind::Name(id) => {
                !env.iter().any(|(n, _)| *n == id.name) && self.tables.contains_key(&id.name)
            }
            _ => false,
        }
    }

    fn eval(&mut self, e: &'a Expr, env: &mut Env) -> R {
        match &e.kind {
            ExprKind::ThisClause => Ok(V::new(Val::Str(self.clause_id.clone()))),
            ExprKind::Number(_) | ExprKind::Str(_) | ExprKind::Bool(_) | ExprKind::Null => {
                Ok(constant(e))
            }
            ExprKind::Name(id) => match self.lookup(&id.name, env) {
                Some(v) => v,
                None => self.place(e, env).map(|p| self.finish(p)),
            },
            ExprKind::Field(..) => self.place(e, env).map(|p| self.finish(p)),
            ExprKind::Index(base, key) if self.is_table(base, env) => {
                let ExprKind::Name(id) = &base.kind else {
                    unreachable!()
                };
                let k = self.eval(key, env)?;
                let (entries, default) = &self.tables[&id.name];
                match &k.val {
                    Val::Str(s) => Ok(entries
                        .get(s)
                        .or(default.as_ref())
                        .cloned()
                        // Not listed and no default: null, for `??`.
                        .unwrap_or(V::new(Val::Null))),
                    Val::Unknown(_) => Ok(k),
                    _ => Err(Fault("table key not a text".into())),
                }
            }
            ExprKind::Index(..) => self.place(e, env).map(|p| self.finish(p)),
            ExprKind::List(items) => {
                let mut out = Vec::new();
                for i in items {
                    out.push(self.eval(i, env)?);
                }
                Ok(V::new(Val::List(out)))
            }
            ExprKind::Unary(UnaryOp::Not, inner) => {
                let v = self.eval(inner, env)?;
                match v.val {
                    Val::Bool(b) => Ok(V::at(Val::Bool(!b), v.ptr)),
                    Val::Unknown(_) => Ok(v),
                    _ => type_error(&v, "true or false"),
                }
            }
            ExprKind::Unary(UnaryOp::Neg, inner) => {
                let v = self.eval(inner, env)?;
                match v.val {
                    Val::Num(n) => Ok(V::at(Val::Num(n.neg()), v.ptr)),
                    Val::Unknown(_) => Ok(v),
                    _ => type_error(&v, "a number"),
                }
            }
            ExprKind::Binary(op, a, b) => self.binary(*op, a, b, env),
            ExprKind::If(c, a, b) => {
                let cond = self.eval(c, env)?;
                match cond.val {
                    Val::Bool(true) => self.eval(a, env),
                    Val::Bool(false) => self.eval(b, env),
                    Val::Unknown(_) => Ok(cond),
                    _ => type_error(&cond, "true or false"),
                }
            }
            ExprKind::Duration(inner, unit) => {
                let v = self.eval(inner, env)?;
                match &v.val {
                    Val::Num(n) => match n.to_i64() {
                        Some(n) => Ok(V::at(Val::Dur(duration(n, *unit)), v.ptr.clone())),
                        None => type_error(&v, "a whole number"),
                    },
                    Val::Unknown(_) => Ok(v),
                    _ => type_error(&v, "a whole number"),
                }
            }
            ExprKind::Call(name, args) => self.call(&name.name, args, env),
            ExprKind::Aggregate {
                kind,
                bindings,
                body,
            } => self.aggregate(*kind, bindings, body.as_deref(), env),
        }
    }

    fn finish(&self, p: Place<'a>) -> V {
        match p {
            Place::Done(v) => v,
            Place::Json(j, ptr, shape) => convert(j, &ptr, shape.as_deref()),
        }
    }

    fn binary(&mut self, op: BinaryOp, a: &'a Expr, b: &'a Expr, env: &mut Env) -> R {
        match op {
            // Kleene logic; the right side is not evaluated once the left decides.
            BinaryOp::And | BinaryOp::Or => {
                let stop = op == BinaryOp::Or;
                let l = self.eval(a, env)?;
                match &l.val {
                    Val::Bool(x) if *x == stop => return Ok(V::new(Val::Bool(stop))),
                    Val::Bool(_) | Val::Unknown(_) => {}
                    _ => return type_error(&l, "true or false"),
                }
                let r = self.eval(b, env)?;
                Ok(match (l.val, r.val) {
                    (_, Val::Bool(x)) if x == stop => V::new(Val::Bool(stop)),
                    (Val::Bool(_), Val::Bool(_)) => V::new(Val::Bool(!stop)),
                    (Val::Unknown(mut w), Val::Unknown(w2)) => {
                        w.merge(&w2);
                        V::unknown(w, l.ptr)
                    }
                    (Val::Unknown(w), _) => V::unknown(w, l.ptr),
                    (_, Val::Unknown(w)) => V::unknown(w, r.ptr),
                    _ => return Err(Fault("not a condition".into())),
                })
            }
            BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge => {
                let l = self.eval(a, env)?;
                let r = self.eval(b, env)?;
                compare(op, l, r)
            }
            BinaryOp::In | BinaryOp::NotIn => {
                let x = self.eval(a, env)?;
                let l = self.eval(b, env)?;
                let v = member(&x, &l)?;
                Ok(match v.val {
                    Val::Bool(t) => V::at(Val::Bool(t != (op == BinaryOp::NotIn)), x.ptr),
                    _ => v,
                })
            }
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div => {
                let l = self.eval(a, env)?;
                let r = self.eval(b, env)?;
                self.arith(op, l, r)
            }
            // `A ?? B`: B when A is absent or null (not when it is invalid).
            BinaryOp::Coalesce => {
                let l = self.eval(a, env)?;
                match &l.val {
                    Val::Null => self.eval(b, env),
                    Val::Unknown(w) if w.invalid.is_empty() => {
                        let r = self.eval(b, env)?;
                        Ok(match r.val {
                            Val::Unknown(w2) => {
                                let mut w = w.clone();
                                w.merge(&w2);
                                V::unknown(w, r.ptr)
                            }
                            _ => r,
                        })
                    }
                    _ => Ok(l),
                }
            }
        }
    }

    fn arith(&mut self, op: BinaryOp, l: V, r: V) -> R {
        let ptr = common(&l.ptr, &r.ptr);
        let (l, r) = match either_unknown(l, r, ptr.clone()) {
            Ok(known) => known,
            Err(unknown) => return Ok(unknown),
        };
        let out_of_range = || Fault("arithmetic out of range".into());
        let val = match (op, &l.val, &r.val) {
            (BinaryOp::Add, Val::Num(a), Val::Num(b)) => {
                Val::Num(a.checked_add(*b).ok_or_else(out_of_range)?)
            }
            (BinaryOp::Sub, Val::Num(a), Val::Num(b)) => {
                Val::Num(a.checked_sub(*b).ok_or_else(out_of_range)?)
            }
            (BinaryOp::Mul, Val::Num(a), Val::Num(b)) => {
                Val::Num(a.checked_mul(*b).ok_or_else(out_of_range)?)
            }
            (BinaryOp::Div, Val::Num(a), Val::Num(b)) => {
                // Decision (following the engine, reasonable): a zero divisor read from the
                // evidence makes that evidence invalid; a zero the rules computed is the
                // rules' fault (the clause's outcome is `error`).
                if b.is_zero() {
                    return match &r.ptr {
                        Some(p) => Ok(V::unknown(
                            Why::invalid(p, "division by zero: the value is 0".into()),
                            r.ptr.clone(),
                        )),
                        None => Err(Fault("division by zero".into())),
                    };
                }
                Val::Num(a.checked_div(*b).ok_or_else(out_of_range)?)
            }
            (BinaryOp::Add | BinaryOp::Sub, Val::Date(_) | Val::Str(_), Val::Dur(d)) => {
                let date = match self.as_date(l.clone()) {
                    Ok(V {
                        val: Val::Date(x), ..
                    }) => x,
                    Ok(_) => return Err(Fault("not a date".into())),
                    Err(w) => return Ok(V::unknown(w, l.ptr.clone())),
                };
                let d = if op == BinaryOp::Add {
                    *d
                } else {
                    match d {
                        Dur::Days(n) => Dur::Days(-n),
                        Dur::Months(n) => Dur::Months(-n),
                    }
                };
                match date.add(d) {
                    Some(x) => Val::Date(x),
                    None => return type_error(&l, "a date within years 1 to 9999"),
                }
            }
            (BinaryOp::Add, Val::Dur(_), Val::Date(_) | Val::Str(_)) => {
                return self.arith(op, r, l);
            }
            (BinaryOp::Sub, Val::Date(_) | Val::Str(_), Val::Date(_) | Val::Str(_)) => {
                let a = match self.as_date(l.clone()) {
                    Ok(V {
                        val: Val::Date(x), ..
                    }) => x,
                    Ok(_) => return Err(Fault("not a date".into())),
                    Err(w) => return Ok(V::unknown(w, l.ptr.clone())),
                };
                let b = match self.as_date(r.clone()) {
                    Ok(V {
                        val: Val::Date(x), ..
                    }) => x,
                    Ok(_) => return Err(Fault("not a date".into())),
                    Err(w) => return Ok(V::unknown(w, r.ptr.clone())),
                };
                Val::Dur(Dur::Days(a.ordinal() - b.ordinal()))
            }
            (BinaryOp::Add | BinaryOp::Sub, Val::Dur(a), Val::Dur(b)) => {
                let sign = if op == BinaryOp::Add { 1 } else { -1 };
                match (a, b) {
                    (Dur::Days(x), Dur::Days(y)) => Val::Dur(Dur::Days(x + sign * y)),
                    (Dur::Months(x), Dur::Months(y)) => Val::Dur(Dur::Months(x + sign * y)),
                    _ => return Err(Fault("days and months differ in length".into())),
                }
            }
            (_, Val::Num(_), _) => return type_error(&r, "a number"),
            (_, _, Val::Num(_)) => return type_error(&l, "a number"),
            _ => return type_error(&l, "a number, date or duration"),
        };
        Ok(V::at(val, ptr))
    }

    /// Evidence texts are dates when they parse; anything else is invalid.
    fn as_date(&self, v: V) -> Result<V, Why> {
        match &v.val {
            Val::Date(_) => Ok(v),
            Val::Str(s) => match Day::parse(s) {
                Some(d) => Ok(V::at(Val::Date(d), v.ptr.clone())),
                None => Err(Why::invalid(
                    v.ptr.as_deref().unwrap_or(""),
                    format!("expected a date (YYYY-MM-DD), found {s:?}"),
                )),
            },
            Val::Unknown(w) => Err(w.clone()),
            _ => Err(Why::invalid(
                v.ptr.as_deref().unwrap_or(""),
                "expected a date".into(),
            )),
        }
    }

    fn call(&mut self, name: &str, args: &'a [Expr], env: &mut Env) -> R {
        if let Some(f) = self.functions.get(name).copied() {
            // Arguments in the caller's scope; the body in a frame of its own.
            let mut frame = Env::new();
            for (p, a) in f.params.iter().zip(args) {
                let mut v = self.eval(a, env)?;
                // Decision (following the engine): function parameters are untyped, so the
                // fields read through them are not checked against the evidence declaration
                // (`true` where a number is declared is read as `true`).
                v.shape = None;
                frame.push((p.name.clone(), v));
            }
            return self.eval(&f.body, &mut frame);
        }
        match name {
            // Present and valid.
            "known" => {
                let v = self.eval(&args[0], env)?;
                let known = !matches!(v.val, Val::Unknown(_) | Val::Null);
                return Ok(V::at(Val::Bool(known), v.ptr));
            }
            // Present, even if invalid: absent or null is false.
            "exists" => {
                let v = self.eval(&args[0], env)?;
                let present = match &v.val {
                    Val::Unknown(w) => !w.invalid.is_empty(),
                    Val::Null => false,
                    _ => true,
                };
                return Ok(V::at(Val::Bool(present), v.ptr));
            }
            // A date literal (checked when the pack compiles).
            "date" => {
                if let ExprKind::Str(s) = &args[0].kind {
                    return Ok(V::new(Val::Date(Day::parse(s).unwrap())));
                }
            }
            _ => {}
        }
        let mut vals = Vec::new();
        for a in args {
            vals.push(self.eval(a, env)?);
        }
        let ptr = vals[0].ptr.clone();
        let mut why: Option<Why> = None;
        for v in &vals {
            if let Some(w) = v.why() {
                why.get_or_insert_with(Why::default).merge(w);
            }
        }
        if let Some(w) = why {
            return Ok(V::unknown(w, ptr));
        }
        let date = |ctx: &Self, v: &V| -> Result<Day, Why> {
            match ctx.as_date(v.clone())?.val {
                Val::Date(d) => Ok(d),
                _ => unreachable!(),
            }
        };
        match name {
            "age" | "days_between" => {
                let a = match date(self, &vals[0]) {
                    Ok(d) => d,
                    Err(w) => return Ok(V::unknown(w, ptr)),
                };
                let b = match date(self, &vals[1]) {
                    Ok(d) => d,
                    Err(w) => return Ok(V::unknown(w, ptr)),
                };
                if name == "days_between" {
                    return Ok(V::at(
                        Val::Num(Number::from_i64(b.ordinal() - a.ordinal()).unwrap()),
                        ptr,
                    ));
                }
                match a.age_on(b) {
                    Some(n) => Ok(V::at(Val::Num(Number::from_i64(n).unwrap()), ptr)),
                    None => Ok(V::unknown(
                        Why::invalid(
                            ptr.as_deref().unwrap_or(""),
                            "date of birth after the date".into(),
                        ),
                        ptr,
                    )),
                }
            }
            "date" => match self.as_date(vals[0].clone()) {
                Ok(v) => Ok(v),
                Err(w) => Ok(V::unknown(w, ptr)),
            },
            "lower" | "upper" => match &vals[0].val {
                Val::Str(s) => Ok(V::at(
                    Val::Str(if name == "lower" {
                        s.to_lowercase()
                    } else {
                        s.to_uppercase()
                    }),
                    ptr,
                )),
                _ => type_error(&vals[0], "a text"),
            },
            "starts_with" | "ends_with" => match (&vals[0].val, &vals[1].val) {
                (Val::Str(s), Val::Str(p)) => Ok(V::at(
                    Val::Bool(if name == "starts_with" {
                        s.starts_with(p.as_str())
                    } else {
                        s.ends_with(p.as_str())
                    }),
                    ptr,
                )),
                (Val::Str(_), _) => type_error(&vals[1], "a text"),
                _ => type_error(&vals[0], "a text"),
            },
            "contains" => member(&vals[1], &vals[0]),
            "length" => {
                let n = match &vals[0].val {
                    Val::Str(s) => s.chars().count(),
                    Val::List(items) => items.len(),
                    Val::Json(Value::Array(items)) => items.len(),
                    _ => return type_error(&vals[0], "a list or a text"),
                };
                Ok(V::at(Val::Num(Number::from_i64(n as i64).unwrap()), ptr))
            }
            // The first of the smallest (largest) values, with its own pointer.
            "min" | "max" => {
                let mut best: Option<V> = None;
                for v in vals {
                    let v = if matches!(v.val, Val::Str(_)) {
                        match self.as_date(v) {
                            Ok(d) => d,
                            Err(w) => return Ok(V::unknown(w, ptr)),
                        }
                    } else {
                        v
                    };
                    best = Some(match best {
                        None => v,
                        Some(cur) => match order(&v, &cur)? {
                            Ok(Some(o)) => {
                                let better = if name == "min" { o.is_lt() } else { o.is_gt() };
                                if better { v } else { cur }
                            }
                            Ok(None) => return Err(Fault("cannot order".into())),
                            Err(w) => return Ok(V::unknown(w, ptr)),
                        },
                    });
                }
                Ok(best.unwrap())
            }
            "round" => match (&vals[0].val, &vals[1].val) {
                (Val::Num(n), Val::Num(p)) => {
                    let places = p.to_i64().and_then(|p| u32::try_from(p).ok()).unwrap_or(0);
                    Ok(V::at(Val::Num(n.round(places)), ptr))
                }
                (Val::Num(_), _) => type_error(&vals[1], "a number"),
                _ => type_error(&vals[0], "a number"),
            },
            "abs" => match &vals[0].val {
                Val::Num(n) => Ok(V::at(Val::Num(n.abs()), ptr)),
                _ => type_error(&vals[0], "a number"),
            },
            "violated" => {
                let Val::Str(id) = &vals[0].val else {
                    return type_error(&vals[0], "a clause id");
                };
                if !self.clauses.contains_key(id.as_str()) {
                    return Err(Fault(format!("no clause {id}")));
                }
                let id = id.clone();
                let o = self.judged_outcome(&id)?;
                match o.status {
                    "violated" => Ok(V::at(Val::Bool(true), ptr)),
                    "compliant" | "not_applicable" => Ok(V::at(Val::Bool(false), ptr)),
                    "error" => Err(Fault(format!("{id} in error"))),
                    // Undecided there, undecided here, for the same missing evidence.
                    _ => {
                        let mut why = Why::default();
                        for m in &o.missing {
                            why.missing.insert(m.clone());
                        }
                        Ok(V::unknown(why, ptr))
                    }
                }
            }
            "outcome" | "title_of" => {
                let Val::Str(id) = &vals[0].val else {
                    return type_error(&vals[0], "a clause id");
                };
                let Some(c) = self.clauses.get(id.as_str()).copied() else {
                    return match ptr {
                        Some(p) => Ok(V::unknown(Why::invalid(&p, "not a clause".into()), Some(p))),
                        None => Err(Fault(format!("no clause {id}"))),
                    };
                };
                if name == "title_of" {
                    let title = c
                        .titles
                        .iter()
                        .find(|t| t.lang.name == self.language)
                        .or_else(|| c.titles.first())
                        .map(|t| t.text.clone())
                        .unwrap_or_default();
                    return Ok(V::at(Val::Str(title), ptr));
                }
                let id = id.clone();
                let o = self.judged_outcome(&id)?;
                Ok(V::at(Val::Str(o.status.to_string()), ptr))
            }
            other => Err(Fault(format!("unknown function {other}"))),
        }
    }

    /// Runs `f` for every combination of items the bindings select (a `where` that is
    /// unknown leaves its item undecided: its reasons go to `why`). `f` returns false to
    /// stop early; so does this function.
    fn iterate(
        &mut self,
        bindings: &'a [ast::Binding],
        first: Option<V>,
        env: &mut Env,
        why: &mut Why,
        f: &mut dyn FnMut(&mut Self, &mut Env) -> Result<bool, Fault>,
    ) -> Result<bool, Fault> {
        let Some((b, rest)) = bindings.split_first() else {
            return f(self, env);
        };
        let named = self.named_collection(b, env);
        let coll = match first {
            Some(v) => v,
            None => self.binding_source(b, env)?,
        };
        let items: Vec<V> = match &coll.val {
            Val::Json(Value::Array(a)) => {
                let base = coll.ptr.clone().unwrap_or_default();
                let item_shape = coll.shape.as_ref().and_then(|s| s.item());
                a.iter()
                    .enumerate()
                    .map(|(i, x)| {
                        let mut v = convert(x, &child(&base, &i.to_string()), None);
                        v.shape = item_shape.clone();
                        v
                    })
                    .collect()
            }
            Val::List(items) => items.clone(),
            Val::Unknown(w) => {
                why.merge(w);
                return Ok(true);
            }
            _ => {
                why.merge(&Why::invalid(
                    coll.ptr.as_deref().unwrap_or(""),
                    "expected a list".into(),
                ));
                return Ok(true);
            }
        };
        for item in items {
            // A named collection's filter first, seeing only its own variable.
            let kept = match named.and_then(|c| c.binding.filter.as_ref().map(|f| (c, f))) {
                None => true,
                Some((c, filter)) => {
                    let mut own = vec![(c.binding.var.name.clone(), item.clone())];
                    self.selects(filter, &mut own, why)?
                }
            };
            let mark = env.len();
            env.push((b.var.name.clone(), item));
            let selected = kept
                && match &b.filter {
                    None => true,
                    Some(filter) => self.selects(filter, env, why)?,
                };
            let go_on = if selected {
                self.iterate(rest, None, env, why, f)
            } else {
                Ok(true)
            };
            env.truncate(mark);
            if !go_on? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Whether a `where` selects the item bound in `env` (unknown: no, its reasons to `why`).
    fn selects(&mut self, filter: &'a Expr, env: &mut Env, why: &mut Why) -> Result<bool, Fault> {
        let v = self.eval(filter, env)?;
        Ok(match v.val {
            Val::Bool(t) => t,
            Val::Unknown(w) => {
                why.merge(&w);
                false
            }
            _ => {
                why.merge(&Why::invalid(
                    v.ptr.as_deref().unwrap_or(""),
                    "where".into(),
                ));
                false
            }
        })
    }

    /// The named collection a binding iterates, when its list is the bare name of one that no
    /// local hides.
    fn named_collection(&self, b: &'a ast::Binding, env: &Env) -> Option<&'a ast::Collection> {
        match &b.collection.kind {
            ExprKind::Name(id) if !env.iter().any(|(n, _)| *n == id.name) => {
                self.collections.get(&id.name).copied()
            }
            _ => None,
        }
    }

    /// The list a binding iterates: a named collection's source (read outside any scope), or
    /// its own expression.
    fn binding_source(&mut self, b: &'a ast::Binding, env: &mut Env) -> R {
        match self.named_collection(b, env) {
            Some(c) => self.eval(&c.binding.collection, &mut Env::new()),
            None => self.eval(&b.collection, env),
        }
    }

    fn aggregate(
        &mut self,
        kind: AggregateKind,
        bindings: &'a [ast::Binding],
        body: Option<&'a Expr>,
        env: &mut Env,
    ) -> R {
        let first = self.binding_source(&bindings[0], env)?;
        // The result is about the (first) list.
        let list_ptr = first.ptr.clone();
        let mut why = Why::default();
        // Values of the body, one per selected combination, up to a decision.
        let mut values: Vec<V> = Vec::new();
        let mut count = 0usize;
        let mut decided: Option<bool> = None;
        self.iterate(bindings, Some(first), env, &mut why, &mut |ctx, env| {
            count += 1;
            let Some(body) = body else {
                return Ok(true);
            };
            let v = ctx.eval(body, env)?;
            // Quantifiers stop at the first item that decides them.
            let stop = match (kind, &v.val) {
                (AggregateKind::Any, Val::Bool(true)) => Some(true),
                (AggregateKind::All, Val::Bool(false)) => Some(false),
                (AggregateKind::None, Val::Bool(true)) => Some(false),
                (AggregateKind::First, _) => Some(true),
                _ => None,
            };
            values.push(v);
            match stop {
                Some(d) => {
                    decided = Some(d);
                    Ok(false)
                }
                None => Ok(true),
            }
        })?;
        if kind == AggregateKind::First {
            // The first item that passes the filter; unknown filters before it leave the
            // answer open.
            return Ok(match values.pop() {
                Some(v) if why.is_empty() => v,
                Some(v) => {
                    if let Some(w) = v.why() {
                        why.merge(w);
                    }
                    V::unknown(why, list_ptr)
                }
                None if !why.is_empty() => V::unknown(why, list_ptr),
                None => V::unknown(Why::missing(list_ptr.as_deref().unwrap_or("")), list_ptr),
            });
        }
        if let Some(d) = decided {
            return Ok(V::at(Val::Bool(d), list_ptr));
        }
        // Every value must be of the kind the aggregate takes.
        let mut nums: Vec<Number> = Vec::new();
        let mut bools: Vec<bool> = Vec::new();
        let mut ordered: Vec<V> = Vec::new();
        let mut keys: BTreeSet<String> = BTreeSet::new();
        for v in values {
            match (&v.val, kind) {
                (Val::Unknown(w), _) => why.merge(w),
                (Val::Str(s), AggregateKind::CountDistinct) => {
                    // Dates read as texts and as dates are the same value.
                    keys.insert(format!("s{s}"));
                }
                (Val::Date(d), AggregateKind::CountDistinct) => {
                    keys.insert(format!("s{}", d.show()));
                }
                (Val::Num(n), AggregateKind::CountDistinct) => {
                    keys.insert(format!("n{n}"));
                }
                (Val::Bool(b), AggregateKind::CountDistinct) => {
                    keys.insert(format!("b{b}"));
                }
                (
                    Val::Bool(b),
                    AggregateKind::Count
                    | AggregateKind::Share
                    | AggregateKind::Any
                    | AggregateKind::All
                    | AggregateKind::None,
                ) => bools.push(*b),
                (Val::Num(n), AggregateKind::Sum | AggregateKind::Average) => nums.push(*n),
                (
                    Val::Num(_) | Val::Date(_) | Val::Dur(_),
                    AggregateKind::Min | AggregateKind::Max,
                ) => ordered.push(v),
                (Val::Str(_), AggregateKind::Min | AggregateKind::Max) => match self.as_date(v) {
                    Ok(d) => ordered.push(d),
                    Err(w) => why.merge(&w),
                },
                _ => match type_error(&v, "a value of the aggregate's kind")?.val {
                    Val::Unknown(w) => why.merge(&w),
                    _ => unreachable!(),
                },
            }
        }
        if !why.is_empty() {
            return Ok(V::unknown(why, list_ptr));
        }
        let num = |n: usize| Number::from_i64(n as i64).unwrap();
        let sum = |nums: &[Number]| -> Result<Number, Fault> {
            nums.iter().try_fold(Number::ZERO, |acc, n| {
                acc.checked_add(*n)
                    .ok_or_else(|| Fault("sum out of range".into()))
            })
        };
        // Over no items: count and sum are 0, any is false, all and none are true; the rest
        // are unknown, and the list is reported missing.
        let nothing = || {
            V::unknown(
                Why::missing(list_ptr.as_deref().unwrap_or("")),
                list_ptr.clone(),
            )
        };
        let val = match kind {
            AggregateKind::Count if body.is_none() => Val::Num(num(count)),
            AggregateKind::Count => Val::Num(num(bools.iter().filter(|b| **b).count())),
            AggregateKind::CountDistinct => Val::Num(num(keys.len())),
            AggregateKind::Sum => Val::Num(sum(&nums)?),
            AggregateKind::Any => Val::Bool(false),
            AggregateKind::All | AggregateKind::None => Val::Bool(true),
            AggregateKind::Share => {
                if count == 0 {
                    return Ok(nothing());
                }
                let hits = bools.iter().filter(|b| **b).count();
                Val::Num(
                    num(hits)
                        .checked_div(num(count))
                        .ok_or_else(|| Fault("share".into()))?,
                )
            }
            AggregateKind::Average => {
                if count == 0 {
                    return Ok(nothing());
                }
                Val::Num(
                    sum(&nums)?
                        .checked_div(num(count))
                        .ok_or_else(|| Fault("average".into()))?,
                )
            }
            AggregateKind::Min | AggregateKind::Max => {
                let mut best: Option<V> = None;
                for v in ordered {
                    best = Some(match best {
                        None => v,
                        Some(cur) => match order(&v, &cur)? {
                            Ok(Some(o)) => {
                                let better = if kind == AggregateKind::Min {
                                    o.is_lt()
                                } else {
                                    o.is_gt()
                                };
                                if better { v } else { cur }
                            }
                            Ok(None) => cur,
                            Err(w) => {
                                why.merge(&w);
                                cur
                            }
                        },
                    });
                }
                if !why.is_empty() {
                    return Ok(V::unknown(why, list_ptr));
                }
                match best {
                    Some(b) => b.val,
                    None => return Ok(nothing()),
                }
            }
            AggregateKind::First => unreachable!(),
        };
        Ok(V::at(val, list_ptr))
    }
}

#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

#[derive(Debug)]
enum Place<'a> {
    /// Raw evidence, its pointer and declared shape.
    Json(&'a Value, String, Option<Rc<Shape>>),
    /// A finished value (unknown once a step is absent, or not evidence at all).
    Done(V),
}

/// One step of a path. An absent or null step is missing evidence (its pointer); a step
/// into something that is not an object (a list) makes that thing invalid.
fn step(p: Place<'_>, s: Step) -> Place<'_> {
    match p {
        Place::Json(j, ptr, shape) => match (&s, &j) {
            (Step::Key(k), Value::Object(map)) => {
                let at = child(&ptr, k);
                match map.get(k) {
                    None | Some(Value::Null) => {
                        Place::Done(V::unknown(Why::missing(&at), Some(at)))
                    }
                    Some(x) => Place::Json(x, at, shape.and_then(|s| s.field(k))),
                }
            }
            (Step::Index(i), Value::Array(items)) => {
                let at = child(&ptr, &i.to_string());
                match items.get(*i) {
                    None | Some(Value::Null) => {
                        Place::Done(V::unknown(Why::missing(&at), Some(at)))
                    }
                    Some(x) => Place::Json(x, at, shape.and_then(|s| s.item())),
                }
            }
            (Step::Key(_), other) => Place::Done(V::unknown(
                Why::invalid(
                    &ptr,
                    format!("expected an object, found {}", describe_json(other)),
                ),
                Some(ptr),
            )),
            (Step::Index(_), other) => Place::Done(V::unknown(
                Why::invalid(
                    &ptr,
                    format!("expected a list, found {}", describe_json(other)),
                ),
                Some(ptr),
            )),
        },
        Place::Done(v) => match &v.val {
            Val::Unknown(_) => Place::Done(v),
            _ => {
                let ptr = v.ptr.clone().unwrap_or_default();
                Place::Done(V::unknown(
                    Why::invalid(&ptr, "expected an object".into()),
                    v.ptr,
                ))
            }
        },
    }
}

/// Whether a JSON value has a declared shape, one level deep.
fn fits(v: &Value, shape: &Shape) -> bool {
    match (shape, v) {
        (Shape::Scalar(t), _) if t == "any" => true,
        (Shape::Scalar(t), Value::Number(_)) => t == "number",
        (Shape::Scalar(t), Value::Bool(_)) => t == "bool",
        (Shape::Scalar(t), Value::String(s)) => {
            t == "string" || (t == "date" && Day::parse(s).is_some())
        }
        (Shape::Enum(set), Value::String(s)) => set.contains(s),
        (Shape::Object(_), Value::Object(_)) => true,
        (Shape::List(_), Value::Array(_)) => true,
        _ => false,
    }
}

/// A JSON value read at `ptr` as a value of the declared shape: null is missing, another
/// type (or a date that does not parse, a text outside its set) is invalid. The items of a
/// list are checked one level deep.
fn convert(j: &Value, ptr: &str, shape: Option<&Shape>) -> V {
    let at = Some(ptr.to_string());
    let bad = |what: &str| {
        V::unknown(
            Why::invalid(ptr, format!("expected {what}, found {}", describe_json(j))),
            at.clone(),
        )
    };
    let plain = match j {
        Value::Null => return V::unknown(Why::missing(ptr), at),
        Value::Bool(b) => Val::Bool(*b),
        Value::Number(n) => match Number::from_json(n) {
            Some(n) => Val::Num(n),
            None => {
                // Never rounded: a number out of range, or with more decimal places than
                // evidence keeps, is invalid.
                let in_range = n.as_f64().is_some_and(|f| f.abs() < 1e20);
                let reason = if in_range && n.as_i64().is_none() {
                    format!(
                        "number `{n}` has more decimal places than the {} the rules compare \
                         exactly",
                        Number::MAX_EXACT_SCALE
                    )
                } else {
                    format!("number `{n}` is out of range")
                };
                return V::unknown(Why::invalid(ptr, reason), at);
            }
        },
        Value::String(s) => Val::Str(s.clone()),
        Value::Array(_) | Value::Object(_) => Val::Json(j.clone()),
    };
    let shape_rc = shape.map(|s| Rc::new(s.clone()));
    let ok = |val: Val| V {
        val,
        ptr: at.clone(),
        shape: shape_rc.clone(),
    };
    match shape {
        None => ok(plain),
        Some(Shape::Scalar(t)) => match (t.as_str(), &plain) {
            ("any", _)
            | ("number", Val::Num(_))
            | ("string", Val::Str(_))
            | ("bool", Val::Bool(_)) => ok(plain),
            ("date", Val::Str(s)) => match Day::parse(s) {
                Some(d) => ok(Val::Date(d)),
                None => bad("a date (YYYY-MM-DD)"),
            },
            ("number", _) => bad("a number"),
            ("string", _) => bad("a text"),
            ("bool", _) => bad("true or false"),
            ("date", _) => bad("a date (YYYY-MM-DD)"),
            _ => bad("a value"),
        },
        Some(Shape::Enum(set)) => match &plain {
            Val::Str(s) if set.contains(s) => ok(plain),
            _ => bad("a text from the declared set"),
        },
        Some(Shape::Object(_)) => match j {
            Value::Object(_) => ok(plain),
            _ => bad("an object"),
        },
        Some(Shape::List(item)) => match j {
            Value::Array(items) => {
                for (i, x) in items.iter().enumerate() {
                    if !x.is_null() && !fits(x, item) {
                        let p = child(ptr, &i.to_string());
                        return V::unknown(
                            Why::invalid(&p, "an item of the wrong shape".into()),
                            at,
                        );
                    }
                }
                ok(plain)
            }
            _ => bad("a list"),
        },
    }
}

/// A wrong type: invalid evidence when the value came from the evidence, else the rules'
/// fault (which the checker should have caught).
fn type_error(v: &V, want: &str) -> R {
    match &v.ptr {
        Some(p) => Ok(V::unknown(
            Why::invalid(p, format!("expected {want}")),
            v.ptr.clone(),
        )),
        None => Err(Fault(format!("expected {want}, found {:?}", v.val))),
    }
}

fn is_ordering(op: BinaryOp) -> bool {
    matches!(
        op,
        BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge
    )
}

fn negate(op: BinaryOp) -> BinaryOp {
    match op {
        BinaryOp::Eq => BinaryOp::Ne,
        BinaryOp::Ne => BinaryOp::Eq,
        BinaryOp::Lt => BinaryOp::Ge,
        BinaryOp::Le => BinaryOp::Gt,
        BinaryOp::Gt => BinaryOp::Le,
        BinaryOp::Ge => BinaryOp::Lt,
        other => other,
    }
}

fn flip(op: BinaryOp) -> BinaryOp {
    match op {
        BinaryOp::Lt => BinaryOp::Gt,
        BinaryOp::Le => BinaryOp::Ge,
        BinaryOp::Gt => BinaryOp::Lt,
        BinaryOp::Ge => BinaryOp::Le,
        other => other,
    }
}

/// Orders two known values; `Err(why)` when the evidence makes them incomparable,
/// `Ok(None)` when they are unequal and unordered (null against a value, objects).
fn order(l: &V, r: &V) -> Result<Result<Option<std::cmp::Ordering>, Why>, Fault> {
    use std::cmp::Ordering;
    let bad = |v: &V, want: &str| match &v.ptr {
        Some(p) => Ok(Err(Why::invalid(p, format!("expected {want}")))),
        None => Err(Fault(format!("cannot compare with {want}"))),
    };
    let as_day = |v: &V| -> Result<Day, Why> {
        match &v.val {
            Val::Str(s) => Day::parse(s)
                .ok_or_else(|| Why::invalid(v.ptr.as_deref().unwrap_or(""), "not a date".into())),
            Val::Date(d) => Ok(*d),
            _ => Err(Why::invalid(
                v.ptr.as_deref().unwrap_or(""),
                "not a date".into(),
            )),
        }
    };
    Ok(Ok(match (&l.val, &r.val) {
        (Val::Num(a), Val::Num(b)) => Some(a.cmp(b)),
        (Val::Date(a), Val::Date(b)) => Some(a.cmp(b)),
        (Val::Date(a), Val::Str(_)) => match as_day(r) {
            Ok(b) => Some(a.cmp(&b)),
            Err(w) => return Ok(Err(w)),
        },
        (Val::Str(_), Val::Date(b)) => match as_day(l) {
            Ok(a) => Some(a.cmp(b)),
            Err(w) => return Ok(Err(w)),
        },
        (Val::Str(a), Val::Str(b)) => Some(a.cmp(b)),
        (Val::Bool(a), Val::Bool(b)) => Some(a.cmp(b)),
        (Val::Dur(a), Val::Dur(b)) => match (a, b) {
            (Dur::Days(x), Dur::Days(y)) | (Dur::Months(x), Dur::Months(y)) => Some(x.cmp(y)),
            _ => return Err(Fault("days and months cannot be compared".into())),
        },
        (Val::Null, Val::Null) => Some(Ordering::Equal),
        (Val::Null, _) | (_, Val::Null) => None,
        (Val::Json(a), Val::Json(b)) => (a == b).then_some(Ordering::Equal),
        // Values of two kinds: the evidence is at fault. Where both come from the evidence,
        // the right side (`w.hours > "sixty"` blames the text); where only the left does (a
        // field read through a function's parameter, against a constant), the left.
        (a, b) => match (kind(a), kind(b)) {
            (Some(_), Some(kb)) if r.ptr.is_none() => return bad(l, kb),
            (Some(ka), _) => return bad(r, ka),
            (None, Some(kb)) => return bad(l, kb),
            (None, None) => None,
        },
    }))
}

/// Both values when both are known; else the unknown one (both merged, at `ptr`).
fn either_unknown(l: V, r: V, ptr: Option<String>) -> Result<(V, V), V> {
    match (&l.val, &r.val) {
        (Val::Unknown(a), Val::Unknown(b)) => {
            let mut w = a.clone();
            w.merge(b);
            Err(V::unknown(w, ptr))
        }
        (Val::Unknown(_), _) => Err(l),
        (_, Val::Unknown(_)) => Err(r),
        _ => Ok((l, r)),
    }
}

/// A comparison: unknown when either side is; about the left side's evidence, else the
/// right side's.
fn compare(op: BinaryOp, l: V, r: V) -> R {
    use std::cmp::Ordering;
    let ptr = l.ptr.clone().or_else(|| r.ptr.clone());
    let (l, r) = match either_unknown(l, r, ptr.clone()) {
        Ok(known) => known,
        Err(unknown) => return Ok(unknown),
    };
    let o = match order(&l, &r)? {
        Ok(o) => o,
        Err(w) => return Ok(V::unknown(w, ptr)),
    };
    let b = match (op, o) {
        (BinaryOp::Eq, o) => o == Some(Ordering::Equal),
        (BinaryOp::Ne, o) => o != Some(Ordering::Equal),
        (_, None) => return Err(Fault("cannot order".into())),
        (BinaryOp::Lt, Some(o)) => o.is_lt(),
        (BinaryOp::Le, Some(o)) => o.is_le(),
        (BinaryOp::Gt, Some(o)) => o.is_gt(),
        (BinaryOp::Ge, Some(o)) => o.is_ge(),
        _ => unreachable!(),
    };
    Ok(V::at(Val::Bool(b), ptr))
}

/// `x in list` (or in a text) under three-valued logic.
fn member(x: &V, list: &V) -> R {
    if let Some(w) = x.why() {
        return Ok(V::unknown(w.clone(), x.ptr.clone()));
    }
    let items: Vec<V> = match &list.val {
        Val::Str(hay) => {
            return match &x.val {
                Val::Str(needle) => Ok(V::new(Val::Bool(hay.contains(needle.as_str())))),
                _ => type_error(x, "a text"),
            };
        }
        Val::Json(Value::Array(a)) => {
            let base = list.ptr.clone().unwrap_or_default();
            a.iter()
                .enumerate()
                .map(|(i, j)| convert(j, &child(&base, &i.to_string()), None))
                .collect()
        }
        Val::List(items) => items.clone(),
        Val::Unknown(w) => return Ok(V::unknown(w.clone(), list.ptr.clone())),
        _ => return type_error(list, "a list"),
    };
    let mut unknown: Option<Why> = None;
    for item in items {
        match compare(BinaryOp::Eq, x.clone(), item)?.val {
            Val::Bool(true) => return Ok(V::new(Val::Bool(true))),
            Val::Unknown(w) => unknown.get_or_insert_with(Why::default).merge(&w),
            _ => {}
        }
    }
    Ok(match unknown {
        Some(w) => V::unknown(w, list.ptr.clone()),
        None => V::new(Val::Bool(false)),
    })
}

/// What kind of value `v` is, as a comparison wants it; `None` for null and objects.
fn kind(v: &Val) -> Option<&'static str> {
    match v {
        Val::Num(_) => Some("a number"),
        Val::Date(_) => Some("a date"),
        Val::Str(_) => Some("a text"),
        Val::Bool(_) => Some("true or false"),
        Val::Dur(_) => Some("a duration"),
        _ => None,
    }
}
