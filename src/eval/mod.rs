//! Evaluation: [`Program`] × `&serde_json::Value` → [`Report`].
//!
//! Three-valued (Kleene) logic over evidence read in place. A clause never fails the report:
//! a limit or an arithmetic fault becomes that clause's `error` outcome. No clock, file or
//! network access happens here.
//!
//! The rooms: this file sets an evaluation up and writes the report; `clause` drives a
//! clause's statements, `violation` writes what a failed requirement found, `blame` what it is about,
//! `expr` evaluates
//! expressions, `ops` compares and computes values, `iterate` runs `for each` and
//! aggregates, `evidence` reads the JSON document, `builtins` the builtin functions, `value`
//! holds the run-time values, `fault` the faults and `trace` the recording for `explain`.
//! `quick` computes the values of conditions, filters and aggregate bodies without locations
//! or reasons where it can (the general path explains the rest), `fused` computes a group of
//! aggregates over the same items in one pass, and `fast` compares an item's field with a
//! bound in one step where a location is needed.

mod blame;
pub(crate) mod builtins;
mod clause;
mod evidence;
mod expr;
mod fast;
mod fault;
mod finding;
mod fused;
mod iterate;
mod ops;
mod quick;
mod refs;
pub(crate) mod trace;
pub(crate) mod value;
mod violation;

use std::borrow::Cow;
use std::collections::HashMap;
use std::rc::Rc;

use serde_json::Value;

pub(crate) use self::evidence::pointer_segment;
use self::evidence::{Entry, PathSegment, RECENT_READS, RecentRead};
use self::fault::{Fault, FaultKind};
use self::iterate::ListIndex;
use self::trace::Trace;
use self::value::{NO_LOC, Operand, RtValue, UnknownReasons};
use self::violation::ViolationContext;
use crate::limits::EvalLimits;
use crate::options::{ParamError, param_overrides};
use crate::program::{Const, Program};
use crate::report::text::MISSING_AS_OF;
use crate::report::{Engine, PackInfo, ParamFromEvidence, Report, Verdict};

/// What evaluating an expression gives: a value, or a fault that stops the clause.
pub(crate) type EvalResult<'a> = Result<Operand<'a>, Fault>;

/// The state of one evaluation of a pack over one evidence document.
pub(crate) struct Evaluator<'a> {
    program: &'a Program,
    /// Indexes of evidence lists by a text field, built once per evaluation for equality
    /// filters (`where item.key == other`): list address and key → positions by value, and
    /// the positions whose key is not a text (always checked).
    indexes: std::collections::HashMap<(usize, &'a str), Rc<ListIndex<'a>>>,
    /// Frames of pack-level function calls, kept for the next call.
    frames: Vec<Vec<Operand<'a>>>,
    /// Lists of constants in the rules, built on first use (by the address of their items).
    const_lists: HashMap<usize, Rc<[Operand<'a>]>>,
    /// Pack-level definitions, computed once before the clauses.
    globals: Vec<Result<Operand<'a>, Fault>>,
    /// Arena entries below this belong to the definitions and survive each clause.
    arena_base: usize,
    /// How deep pack-level functions are calling each other now.
    call_depth: usize,
    evidence: &'a Value,
    params: Vec<Operand<'a>>,
    as_of: Operand<'a>,
    language: &'a str,
    limits: &'a EvalLimits,
    arena: Vec<Entry<'a>>,
    slots: Vec<Operand<'a>>,
    steps: u64,
    context: Option<ViolationContext<'a>>,
    clause: &'a str,
    /// The bindings of the `for each` loops around the statement being run, outermost first:
    /// they give a finding its subject and item.
    loops: Vec<&'a crate::program::Binding>,
    /// What `conduct explain` records about one clause; `None` in ordinary evaluation.
    trace: Option<Box<Trace>>,
    /// Evidence declared invalid where the document has `null` or nothing (pointer →
    /// reason, from [`Options::invalid_evidence`](crate::Options::invalid_evidence));
    /// usually empty, and then never looked at.
    declared_invalid: HashMap<&'a str, &'a str>,
    /// The clauses judged so far, by their place in the pack (`outcome(…)` reads them).
    judged: Vec<Option<crate::report::Outcome>>,
    /// Evidence lists (by address) found to hold items of a declared shape (by id) in this
    /// evaluation, so that a list read again is not checked again.
    checked_lists: std::cell::RefCell<std::collections::HashSet<(usize, u32)>>,
    /// Recent reads of keys in evidence objects (`Evaluator::field`).
    recent: Box<[std::cell::Cell<RecentRead<'a>>]>,
    /// The statement list being run, and which run of it this is: fused aggregates are
    /// computed once per run (`fused`).
    list: &'a [crate::program::Stmt],
    run: u64,
    next_run: u64,
    /// Each group of fused aggregates' results in the run that computed them.
    fusions: Vec<Option<fused::FusedRun<'a>>>,
}

fn const_value(c: &Const) -> Operand<'_> {
    Operand::new(match c {
        Const::Null => RtValue::Null,
        Const::Bool(b) => RtValue::Bool(*b),
        Const::Number(n) => RtValue::Num(*n),
        Const::Str(s) => RtValue::Str(Cow::Borrowed(s)),
        Const::Date(d) => RtValue::Date(*d),
        Const::Duration(d) => RtValue::Dur(*d),
        Const::List(items) => RtValue::List(items.iter().map(const_value).collect()),
    })
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
    fn new(
        program: &'a Program,
        evidence: &'a Value,
        params: Vec<Operand<'a>>,
        language: &'a str,
        options: &'a crate::options::Options,
    ) -> Evaluator<'a> {
        Evaluator {
            program,
            indexes: HashMap::new(),
            const_lists: HashMap::new(),
            frames: Vec::new(),
            globals: Vec::new(),
            arena_base: 1,
            call_depth: 0,
            evidence,
            params,
            as_of: Operand::new(RtValue::Null),
            language,
            limits: &options.limits,
            arena: vec![Entry {
                parent: NO_LOC,
                depth: 0,
                seg: PathSegment::Root,
            }],
            slots: Vec::new(),
            steps: 0,
            context: None,
            clause: "",
            loops: Vec::new(),
            trace: None,
            declared_invalid: options
                .invalid_evidence
                .iter()
                .map(|(p, r)| (p.as_str(), r.as_str()))
                .collect(),
            judged: Vec::new(),
            checked_lists: std::cell::RefCell::default(),
            recent: vec![std::cell::Cell::new(RecentRead::NONE); RECENT_READS].into_boxed_slice(),
            list: &[],
            run: 0,
            next_run: 0,
            fusions: Vec::new(),
        }
    }

    /// Works out `as_of`, the pack-level definitions and the subject, before the clauses.
    fn prepare(&mut self, options: &crate::options::Options) -> indexmap::IndexMap<String, Value> {
        let program = self.program;
        self.slots = vec![Operand::new(RtValue::Null); program.header_slots];
        self.as_of = match (options.as_of, &program.as_of) {
            (Some(d), _) => Operand::new(RtValue::Date(d)),
            (None, Some(e)) => match self.eval(e) {
                Ok(v) => self
                    .as_date(v)
                    .unwrap_or_else(|w| Operand::unknown(w, NO_LOC)),
                Err(f) => Operand::unknown(
                    UnknownReasons {
                        missing: Vec::new(),
                        invalid: vec![(String::new(), f.to_string())],
                    },
                    NO_LOC,
                ),
            },
            // No date given and none read from the evidence: missing like any evidence,
            // under the name `as_of` (not a pointer, since no evidence field holds it).
            (None, None) => Operand::unknown(
                UnknownReasons {
                    missing: vec![MISSING_AS_OF.into()],
                    invalid: Vec::new(),
                },
                NO_LOC,
            ),
        };
        for d in &program.definitions {
            let v = self.eval(d);
            self.globals.push(v);
        }
        self.arena_base = self.arena.len();
        let mut subject = indexmap::IndexMap::new();
        for (name, e) in &program.subject {
            let v = self.eval(e).map(|v| v.to_json()).unwrap_or(Value::Null);
            subject.insert(name.clone(), v);
        }
        subject
    }
}

impl<'a> Evaluator<'a> {
    /// The parameters declared `overridden by` an evidence field take the field's value where
    /// the document has one (absent or `null`: the override or the default stays). The value
    /// is read as the field is declared; one of another type or outside the parameter's
    /// bounds is invalid evidence at its pointer, for the clauses that read the parameter.
    /// Returns the parameters decided, with the pointer and value, for the report.
    fn params_from_evidence(&mut self) -> indexmap::IndexMap<String, ParamFromEvidence> {
        let mut decided = indexmap::IndexMap::new();
        let program = self.program;
        for (i, p) in program.params.iter().enumerate() {
            let Some(by) = &p.overridden_by else {
                continue;
            };
            let Ok(v) = self.eval(&by.read) else {
                continue;
            };
            let problem = match &v.val {
                RtValue::Null => continue,
                RtValue::Unknown(why) if why.is_missing_only() => continue,
                RtValue::Num(n) => p.bound_problem(&Const::Number(*n)),
                RtValue::Date(d) => p.bound_problem(&Const::Date(*d)),
                RtValue::Dur(d) => p.bound_problem(&Const::Duration(*d)),
                _ => None,
            };
            let value = match problem {
                Some(problem) => self.invalid(v.loc, format!("`{}` {problem}", p.name)),
                None => {
                    if !matches!(v.val, RtValue::Unknown(_)) {
                        let found = ParamFromEvidence {
                            path: self.pointer(v.loc),
                            value: v.to_json(),
                        };
                        decided.insert(p.name.clone(), found);
                    }
                    v
                }
            };
            if let Some(slot) = self.params.get_mut(i) {
                *slot = value;
            }
        }
        decided
    }
}

/// Evaluates a whole pack.
pub(crate) fn evaluate(
    program: &Program,
    evidence: &Value,
    options: &crate::options::Options,
) -> Report {
    evaluate_with(program, evidence, options, None).0
}

/// Evaluates a whole pack, recording a [`Trace`] of the clause `traced` (for `explain`).
#[cfg(feature = "tools")]
pub(crate) fn evaluate_traced(
    program: &Program,
    evidence: &Value,
    options: &crate::options::Options,
    traced: &str,
) -> (Report, Option<Trace>) {
    evaluate_with(program, evidence, options, Some(traced))
}

/// Evaluates one clause of a pack on its own, as [`evaluate`] would (the completion check
/// re-runs one clause on completed evidence); `None` when the pack has no such clause.
#[cfg(feature = "tools")]
pub(crate) fn evaluate_clause(
    program: &Program,
    evidence: &Value,
    options: &crate::options::Options,
    clause: &str,
) -> Option<crate::report::Outcome> {
    let at = program.clauses.iter().position(|c| c.id == clause)?;
    let c = program.clauses.get(at)?;
    let language = language(program, options);
    let overrides = param_overrides(program, &options.params);
    let (params, fault) = parameters(program, &overrides);
    let fatal = fault
        .map(|f| f.to_string())
        .or_else(|| crate::options::language_problem(program, options).map(|e| e.to_string()));
    let mut ev = Evaluator::new(program, evidence, params, language, options);
    Some(match fatal {
        Some(message) => ev.error_outcome(c, message),
        None => {
            ev.prepare(options);
            // The clauses it reads (and those they read) are judged first, in the checker's order.
            let mut needed = vec![false; program.clauses.len()];
            let mut stack = vec![at];
            while let Some(i) = stack.pop() {
                for &j in program.reads_clauses.get(i).map_or(&[][..], Vec::as_slice) {
                    if let Some(n) = needed.get_mut(j)
                        && !*n
                    {
                        *n = true;
                        stack.push(j);
                    }
                }
            }
            ev.judged = vec![None; program.clauses.len()];
            for &i in &program.clause_order {
                if i == at || !needed.get(i).copied().unwrap_or(false) {
                    continue;
                }
                if let Some(read) = program.clauses.get(i) {
                    let outcome = ev.clause(read);
                    if let Some(slot) = ev.judged.get_mut(i) {
                        *slot = Some(outcome);
                    }
                }
            }
            ev.clause(c)
        }
    })
}

/// The language of messages and titles: the one asked for if the pack has it, else the
/// pack's first (a language the pack lacks also makes every outcome `error`, see
/// [`evaluate_with`]).
fn language<'p>(program: &'p Program, options: &'p crate::options::Options) -> &'p str {
    match &options.language {
        Some(language) if program.languages.contains(language) => language.as_str(),
        _ => program.languages.first().map_or("en", String::as_str),
    }
}

/// The parameter values (defaults with the `overrides` applied), or the fault that makes
/// every clause an error: a bad override. (Evidence nested too deep is invalid evidence for
/// the clauses that read that deep, and only for them.)
fn parameters<'p>(
    program: &'p Program,
    overrides: &'p Result<Vec<(usize, Const)>, ParamError>,
) -> (Vec<Operand<'p>>, Option<Fault>) {
    let mut params: Vec<Operand<'p>> = program
        .params
        .iter()
        .map(|p| const_value(&p.default))
        .collect();
    let fatal = match overrides {
        Ok(overrides) => {
            for (i, c) in overrides {
                if let Some(slot) = params.get_mut(*i) {
                    *slot = const_value(c);
                }
            }
            None
        }
        Err(ParamError::Unknown(name)) => Some(FaultKind::UnknownParam(name.clone()).into()),
        Err(ParamError::BadValue(name, reason)) => Some(
            FaultKind::BadParam {
                name: name.clone(),
                reason: reason.clone(),
            }
            .into(),
        ),
    };
    (params, fatal)
}

/// The parameters overridden for this evaluation with the values used, in the pack's order.
fn overridden(
    program: &Program,
    overrides: &Result<Vec<(usize, Const)>, ParamError>,
) -> indexmap::IndexMap<String, Value> {
    let mut given: Vec<&(usize, Const)> = overrides.iter().flatten().collect();
    given.sort_by_key(|(i, _)| *i);
    given
        .into_iter()
        .filter_map(|(i, c)| {
            let p = program.params.get(*i)?;
            Some((p.name.clone(), const_value(c).to_json()))
        })
        .collect()
}

fn evaluate_with(
    program: &Program,
    evidence: &Value,
    options: &crate::options::Options,
    traced: Option<&str>,
) -> (Report, Option<Trace>) {
    let language = language(program, options);
    let overrides = param_overrides(program, &options.params);
    let (params, fault) = parameters(program, &overrides);
    // Options that do not fit the pack make every outcome `error`: a bad override, else a
    // language the pack does not declare.
    let fatal = fault
        .map(|f| f.to_string())
        .or_else(|| crate::options::language_problem(program, options).map(|e| e.to_string()));
    let mut ev = Evaluator::new(program, evidence, params, language, options);
    let (subject, params_from_evidence) = match fatal {
        None => {
            let decided = ev.params_from_evidence();
            (ev.prepare(options), decided)
        }
        Some(_) => (indexmap::IndexMap::new(), indexmap::IndexMap::new()),
    };
    // Clauses run in the checker's order (a clause after the clauses whose outcomes it
    // reads) and are reported in the pack's order.
    ev.judged = vec![None; program.clauses.len()];
    let mut trace = None;
    for &at in &program.clause_order {
        let Some(clause) = program.clauses.get(at) else {
            continue;
        };
        let tracing = traced == Some(clause.id.as_str());
        if tracing {
            ev.trace = Some(Box::default());
        }
        let outcome = match &fatal {
            Some(message) => ev.error_outcome(clause, message.clone()),
            None => ev.clause(clause),
        };
        if tracing {
            trace = ev.trace.take().map(|t| *t);
        }
        if let Some(slot) = ev.judged.get_mut(at) {
            *slot = Some(outcome);
        }
    }
    let outcomes: Vec<crate::report::Outcome> = std::mem::take(&mut ev.judged)
        .into_iter()
        .flatten()
        .collect();
    let as_of = match &ev.as_of.val {
        RtValue::Date(d) => Some(*d),
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
            title: program.title(language).to_string(),
            edition: program.edition.clone(),
            digest: program.digest.clone(),
        },
        as_of,
        language: language.to_string(),
        params: overridden(program, &overrides),
        params_from_evidence,
        subject,
        value_words: indexmap::IndexMap::new(),
        // Filled in by `RulePack::evaluate`, apart from the clauses (`pack::labels`).
        labels: crate::report::Labels::new(),
        invalid_labels: Vec::new(),
        verdict: Verdict::Compliant,
        summary: crate::report::Summary::default(),
        outcomes,
    };
    report.value_words =
        crate::report::value_words(&report, |k, t| program.value_word(k, t, language));
    report.finish();
    (report, trace)
}
