//! Docs, what each clause reads: a compiled [`Program`] → per clause the evidence fields
//! (JSON-Pointer patterns) with their [`Need`]; the rule is in the [module documentation](super).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::Serialize;

use crate::eval::builtins::{Reads, builtin_def};
use crate::eval::pointer_segment;
use crate::pack::RulePack;
use crate::program::{
    Binding, ClauseDef, DeadlineDef, Expr, ExprKind, PathBase, Program, RemediationDef,
    SeverityRule, Step, Stmt, Template, TemplatePart,
};

/// Whether a decision on the clause needs a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Need {
    /// Read only with a fallback, for messages, severity or remediation.
    Supporting,
    /// Read where the clause decides: without it the outcome is insufficient evidence.
    Required,
}

impl Need {
    /// `required` or `supporting`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Need::Supporting => "supporting",
            Need::Required => "required",
        }
    }
}

/// One evidence field a clause reads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct FieldRequirement {
    /// The field as a JSON-Pointer-like pattern, `*` for every item of a list.
    pub path: String,
    /// Whether a decision needs it.
    pub need: Need,
}

/// Two ways of giving what a decision needs (`summary ?? share(w in weeks: …)`): the fields of
/// either side will do. Fields a decision needs anyway are not listed here.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[non_exhaustive]
pub struct Alternative {
    /// The fields read first (left of `??`), sorted by path.
    pub first: Vec<String>,
    /// The fields read when those are unknown, sorted by path.
    pub otherwise: Vec<String>,
}

/// The evidence fields one clause reads, sorted by path, each listed once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ClauseRequirements {
    /// The clause id.
    pub clause: String,
    /// The fields, sorted by path.
    pub fields: Vec<FieldRequirement>,
    /// Where either of two sets of fields will do, in path order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<Alternative>,
}

impl ClauseRequirements {
    /// The paths a decision needs.
    pub fn required(&self) -> impl Iterator<Item = &str> {
        self.with(Need::Required)
    }

    /// The paths read only with a fallback or for messages, severity and remediation.
    pub fn supporting(&self) -> impl Iterator<Item = &str> {
        self.with(Need::Supporting)
    }

    fn with(&self, need: Need) -> impl Iterator<Item = &str> {
        self.fields
            .iter()
            .filter(move |f| f.need == need)
            .map(|f| f.path.as_str())
    }
}

/// The evidence fields each clause reads, in the pack's clause order (see the module
/// documentation for the rule that tells required from supporting fields).
///
/// ```
/// use conduct::RulePack;
/// use conduct::tools::docs::requirements;
///
/// let pack = RulePack::builder()
///     .file(
///         "pack.conduct",
///         r#"
/// pack demo "Demo" languages en
/// evidence { workers: [{ worker_ref: string, age: number }] }
///
/// clause child_labour.minimum_age
///   title en "No child labour"
///   severity critical
///   for each w in workers:
///     require w.age >= 15
///       message en "worker {w.worker_ref} is {actual}"
///   end
/// "#,
///     )
///     .build()?;
/// let clauses = requirements(&pack);
/// let required: Vec<&str> = clauses[0].required().collect();
/// assert_eq!(required, ["/workers", "/workers/*/age"]);
/// let supporting: Vec<&str> = clauses[0].supporting().collect();
/// assert_eq!(supporting, ["/workers/*/worker_ref"]);
/// # Ok::<(), conduct::Error>(())
/// ```
#[must_use]
pub fn requirements(pack: &RulePack) -> Vec<ClauseRequirements> {
    let program = pack.program();
    program
        .clauses
        .iter()
        .map(|c| clause_requirements(program, c))
        .collect()
}

/// Above this depth of nested expressions, definitions and functions the walk stops.
const MAX_WALK_DEPTH: usize = 512;

/// What a local slot stands for.
#[derive(Clone)]
enum Slot<'p> {
    /// An item of an evidence list, or an evidence value: its path segments.
    Path(Vec<String>),
    /// A `let`: its value, walked where the local is used.
    Let(&'p Expr),
    /// Not an evidence path.
    Opaque,
}

type Env<'p> = HashMap<usize, Slot<'p>>;

struct Walker<'p> {
    program: &'p Program,
    fields: BTreeMap<String, Need>,
    /// Required fields read outside either side of a `??` whose sides both read evidence.
    direct: BTreeSet<String>,
    /// How many such `??` the walk is inside.
    in_alternative: usize,
    /// The `??` whose sides both read evidence, as read.
    alternatives: BTreeSet<(Vec<String>, Vec<String>)>,
    /// `let` values and definitions already walked with a need.
    seen: HashSet<(usize, Need)>,
    depth: usize,
}

fn clause_requirements(program: &Program, clause: &ClauseDef) -> ClauseRequirements {
    let mut w = Walker {
        program,
        fields: BTreeMap::new(),
        direct: BTreeSet::new(),
        in_alternative: 0,
        alternatives: BTreeSet::new(),
        seen: HashSet::new(),
        depth: 0,
    };
    let mut env = Env::new();
    if let Some(scope) = &clause.scope {
        w.expr(&env, scope, Need::Required);
    }
    w.stmts(&mut env, &clause.body);
    w.severity(&env, &clause.severity);
    if let Some(r) = &clause.remediation {
        w.remediation(&env, r);
    }
    if let Some(r) = &clause.remedied {
        w.expr(&env, r, Need::Supporting);
    }
    let direct = &w.direct;
    let without_direct = |side: &[String]| -> Vec<String> {
        side.iter()
            .filter(|p| !direct.contains(*p))
            .cloned()
            .collect()
    };
    let alternatives: BTreeSet<Alternative> = w
        .alternatives
        .iter()
        .map(|(a, b)| Alternative {
            first: without_direct(a),
            otherwise: without_direct(b),
        })
        .filter(|a| !a.first.is_empty() && !a.otherwise.is_empty())
        .collect();
    ClauseRequirements {
        clause: clause.id.clone(),
        fields: w
            .fields
            .into_iter()
            .map(|(path, need)| FieldRequirement { path, need })
            .collect(),
        alternatives: alternatives.into_iter().collect(),
    }
}

fn steps_segments(steps: &[Step]) -> impl Iterator<Item = String> + '_ {
    steps.iter().map(|s| match s {
        Step::Key(k) => pointer_segment(k).into_owned(),
        Step::Index(i) => i.to_string(),
    })
}

impl<'p> Walker<'p> {
    fn record(&mut self, segments: &[String], need: Need) {
        if segments.is_empty() {
            return;
        }
        let path = format!("/{}", segments.join("/"));
        if need == Need::Required && self.in_alternative == 0 {
            self.direct.insert(path.clone());
        }
        let entry = self.fields.entry(path).or_insert(need);
        *entry = (*entry).max(need);
    }

    /// Walks one side of a `??`; the fields it reads (also recorded as usual), sorted.
    fn side(&mut self, walk: impl FnOnce(&mut Self)) -> Vec<String> {
        let outer = std::mem::take(&mut self.fields);
        let seen = std::mem::take(&mut self.seen);
        self.in_alternative += 1;
        walk(self);
        self.in_alternative -= 1;
        // `let`s walked here are walked again where used outside, to find direct reads.
        self.seen = seen;
        let read = std::mem::replace(&mut self.fields, outer);
        let paths = read.keys().cloned().collect();
        for (path, need) in read {
            let entry = self.fields.entry(path).or_insert(need);
            *entry = (*entry).max(need);
        }
        paths
    }

    /// The evidence path an expression stands for, if it is one (`a.b`, `local.b`, `a ?? x`,
    /// `a[i]`).
    fn origin(&mut self, env: &Env<'p>, e: &'p Expr) -> Option<Vec<String>> {
        if self.depth > MAX_WALK_DEPTH {
            return None;
        }
        self.depth += 1;
        let found = match &e.kind {
            ExprKind::Path { base, steps, .. } => {
                let mut segments = match base {
                    PathBase::Root => Some(Vec::new()),
                    PathBase::Local(slot) => self.slot_origin(env, *slot),
                };
                if let Some(s) = segments.as_mut() {
                    s.extend(steps_segments(steps));
                }
                segments
            }
            ExprKind::Local(slot) => self.slot_origin(env, *slot),
            ExprKind::Coalesce(a, _) => self.origin(env, a),
            ExprKind::Index(a, _, _) => self.origin(env, a).map(|mut s| {
                s.push("*".into());
                s
            }),
            ExprKind::Global(i) => match self.program.definitions.get(*i) {
                Some(d) => self.origin(&Env::new(), d),
                None => None,
            },
            _ => None,
        };
        self.depth -= 1;
        found
    }

    fn slot_origin(&mut self, env: &Env<'p>, slot: usize) -> Option<Vec<String>> {
        match env.get(&slot) {
            Some(Slot::Path(p)) => Some(p.clone()),
            Some(Slot::Let(value)) => self.origin(env, value),
            Some(Slot::Opaque) | None => None,
        }
    }

    /// Walks a `let`'s value (once per need) where its local is used.
    fn use_slot(&mut self, env: &Env<'p>, slot: usize, need: Need) {
        match env.get(&slot) {
            Some(Slot::Path(p)) => {
                let p = p.clone();
                self.record(&p, need);
            }
            Some(Slot::Let(value)) => {
                let value: &'p Expr = value;
                if self
                    .seen
                    .insert((std::ptr::from_ref::<Expr>(value) as usize, need))
                {
                    self.expr(env, value, need);
                }
            }
            Some(Slot::Opaque) | None => {}
        }
    }

    fn expr(&mut self, env: &Env<'p>, e: &'p Expr, need: Need) {
        if self.depth > MAX_WALK_DEPTH {
            return;
        }
        self.depth += 1;
        match &e.kind {
            // A parameter an evidence field may decide (`overridden by`) reads that field,
            // with the parameter as its fallback.
            ExprKind::Param(i) => {
                if let Some(by) = self
                    .program
                    .params
                    .get(*i)
                    .and_then(|p| p.overridden_by.as_ref())
                {
                    self.expr(env, &by.read, Need::Supporting);
                }
            }
            ExprKind::Const(_)
            | ExprKind::AsOf
            | ExprKind::Severity
            | ExprKind::Actual
            | ExprKind::Expected => {}
            ExprKind::Local(slot) => self.use_slot(env, *slot, need),
            ExprKind::Path { base, .. } => match self.origin(env, e) {
                Some(p) => self.record(&p, need),
                None => {
                    // A field of a `let` whose value is not a path: the value's own reads.
                    if let PathBase::Local(slot) = base {
                        self.use_slot(env, *slot, need);
                    }
                }
            },
            ExprKind::Global(i) => {
                if let Some(d) = self.program.definitions.get(*i)
                    && self.seen.insert((usize::MAX - *i, need))
                {
                    self.expr(&Env::new(), d, need);
                }
            }
            ExprKind::Index(a, b, _)
            | ExprKind::And(a, b)
            | ExprKind::Or(a, b)
            | ExprKind::Cmp(_, a, b)
            | ExprKind::Arith(_, a, b)
            | ExprKind::In {
                item: a, list: b, ..
            } => {
                self.expr(env, a, need);
                self.expr(env, b, need);
            }
            ExprKind::Coalesce(a, b) if need == Need::Required => {
                let first = self.side(|w| w.expr(env, a, Need::Supporting));
                let otherwise = self.side(|w| w.expr(env, b, need));
                if !first.is_empty() && !otherwise.is_empty() {
                    self.alternatives.insert((first, otherwise));
                }
            }
            ExprKind::Coalesce(a, b) => {
                self.expr(env, a, Need::Supporting);
                self.expr(env, b, need);
            }
            ExprKind::Table(_, a)
            | ExprKind::Not(a)
            | ExprKind::Neg(a)
            | ExprKind::Duration(a, _) => self.expr(env, a, need),
            ExprKind::Call(builtin, args) => {
                let need = match builtin_def(*builtin).reads {
                    Reads::Presence => Need::Supporting,
                    Reads::Values => need,
                };
                for a in args {
                    self.expr(env, a, need);
                }
            }
            ExprKind::CallFunction(f, args) => {
                // The function's parameters are slots `0..arity` of its own frame.
                let mut frame = Env::new();
                for (i, a) in args.iter().enumerate() {
                    match self.origin(env, a) {
                        Some(p) => {
                            frame.insert(i, Slot::Path(p));
                        }
                        None => {
                            self.expr(env, a, need);
                            frame.insert(i, Slot::Opaque);
                        }
                    }
                }
                if let Some(def) = self.program.functions.get(*f) {
                    self.expr(&frame, &def.body, need);
                }
            }
            ExprKind::List(items) => {
                for a in items {
                    self.expr(env, a, need);
                }
            }
            ExprKind::If(a, b, c) => {
                self.expr(env, a, need);
                self.expr(env, b, need);
                self.expr(env, c, need);
            }
            ExprKind::Aggregate { bindings, body, .. } => {
                let mut inner = env.clone();
                self.bindings(&mut inner, bindings, need);
                if let Some(b) = body {
                    self.expr(&inner, b, need);
                }
            }
        }
        self.depth -= 1;
    }

    fn bindings(&mut self, env: &mut Env<'p>, bindings: &'p [Binding], need: Need) {
        for b in bindings {
            self.expr(env, &b.collection, need);
            let slot = match self.origin(env, &b.collection) {
                Some(mut p) => {
                    p.push("*".into());
                    Slot::Path(p)
                }
                None => Slot::Opaque,
            };
            env.insert(b.slot, slot);
            if let Some(f) = &b.filter {
                self.expr(env, f, need);
            }
        }
    }

    fn stmts(&mut self, env: &mut Env<'p>, stmts: &'p [Stmt]) {
        for s in stmts {
            match s {
                Stmt::Let { slot, value } => {
                    env.insert(*slot, Slot::Let(value));
                }
                Stmt::For { bindings, body } => {
                    let mut inner = env.clone();
                    self.bindings(&mut inner, bindings, Need::Required);
                    self.stmts(&mut inner, body);
                }
                Stmt::Require(r) => {
                    self.expr(env, &r.condition, Need::Required);
                    for (_, t) in &r.messages {
                        self.template(env, t);
                    }
                    if let Some(s) = &r.severity {
                        self.severity(env, s);
                    }
                    if let Some(rem) = &r.remediation {
                        self.remediation(env, rem);
                    }
                    if let Some(e) = &r.remedied {
                        self.expr(env, e, Need::Supporting);
                    }
                }
                Stmt::Insufficient { condition, .. } => {
                    self.expr(env, condition, Need::Required);
                }
            }
        }
    }

    fn template(&mut self, env: &Env<'p>, t: &'p Template) {
        for part in &t.parts {
            if let TemplatePart::Hole { expr, .. } = part {
                self.expr(env, expr, Need::Supporting);
            }
        }
    }

    fn severity(&mut self, env: &Env<'p>, s: &'p SeverityRule) {
        if let SeverityRule::Cases { cases, .. } = s {
            for (_, e) in cases {
                self.expr(env, e, Need::Supporting);
            }
        }
    }

    fn remediation(&mut self, env: &Env<'p>, r: &'p RemediationDef) {
        for (_, t) in &r.texts {
            self.template(env, t);
        }
        match &r.deadline {
            Some(DeadlineDef::Within(e) | DeadlineDef::Due(e)) => {
                self.expr(env, e, Need::Supporting);
            }
            None => {}
        }
    }
}
