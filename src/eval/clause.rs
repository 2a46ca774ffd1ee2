//! The clause driver: one clause's scope, statements and requirements → its [`Outcome`].
//!
//! Runs the statements of a clause in order (`let`, `for each`, guards, requirements), keeps
//! what they found in [`ClauseFindings`], applies `remedied when` and decides the status. The
//! step limit is counted here.

use super::fault::{Fault, FaultKind};
use super::finding::{Examined, group_message};
use super::trace::Truth;
use super::value::{NO_LOC, Operand, RtValue, UnknownReasons};
use super::{Evaluator, pick};
use crate::program::{ClauseDef, Expr, Stmt};
use crate::report::{Invalid, Outcome, Status, Violation};
use std::collections::{BTreeSet, HashMap};

/// What a requirement found, collected per clause.
#[derive(Default)]
pub(super) struct ClauseFindings {
    pub(super) violations: Vec<Violation>,
    /// Each finding's index in `violations`, by id.
    pub(super) groups: HashMap<String, usize>,
    /// Failing items (or subjects) found.
    pub(super) found: usize,
    /// Failing items (or subjects) listed in `violations`.
    pub(super) listed: usize,
    /// How many items each requirement judged for the current subject.
    pub(super) examined: Vec<Examined>,
    pub(super) remedied: usize,
    pub(super) missing: BTreeSet<String>,
    pub(super) invalid: BTreeSet<Invalid>,
}

impl ClauseFindings {
    pub(super) fn absorb(&mut self, why: &UnknownReasons) {
        self.missing.extend(why.missing.iter().cloned());
        for (path, reason) in &why.invalid {
            self.invalid
                .insert(Invalid::at(path.clone(), reason.clone()));
        }
    }
}

impl<'a> Evaluator<'a> {
    pub(super) fn title(&self, c: &ClauseDef) -> String {
        pick(
            &c.titles,
            self.language,
            self.program.languages.first().map(String::as_str),
        )
        .cloned()
        .unwrap_or_default()
    }

    pub(super) fn error_outcome(&self, c: &ClauseDef, message: String) -> Outcome {
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

    /// Evaluates one clause: a limit or a fault makes its outcome `error`.
    pub(super) fn clause(&mut self, c: &'a ClauseDef) -> Outcome {
        self.clause = &c.id;
        self.slots.clear();
        self.slots.resize(c.slots, Operand::new(RtValue::Null));
        self.arena.truncate(self.arena_base);
        self.steps = 0;
        let mut run = ClauseFindings::default();
        match self.judge(c, &mut run) {
            Ok(status) => self.outcome(c, run, status),
            Err(fault) => self.error_outcome(c, fault.to_string()),
        }
    }

    /// Runs the clause's scope, statements and `remedied when`; a status when the scope
    /// decides it.
    fn judge(
        &mut self,
        c: &'a ClauseDef,
        run: &mut ClauseFindings,
    ) -> Result<Option<Status>, Fault> {
        if let Some(scope) = &c.scope {
            let holds = match self.quick_truth(scope) {
                Some(t) => t,
                None => {
                    let v = self.eval(scope)?;
                    if let Some(t) = self.trace.as_mut() {
                        t.scope = Some(Truth::of(&v.val));
                    }
                    match &v.val {
                        RtValue::Bool(b) => *b,
                        RtValue::Unknown(w) => {
                            run.absorb(w);
                            return Ok(Some(Status::InsufficientEvidence));
                        }
                        _ => return Err(FaultKind::ScopeNotBoolean.into()),
                    }
                }
            };
            if !holds {
                return Ok(Some(Status::NotApplicable));
            }
        }
        // A clause the follow-up's methods do not examine is not judged; unknown, it is.
        if let Some(examined) = &c.examined {
            let examined = match self.quick_truth(examined) {
                Some(t) => t,
                None => !matches!(self.eval(examined)?.val, RtValue::Bool(false)),
            };
            if !examined {
                return Ok(Some(Status::NotExamined));
            }
        }
        self.stmts(&c.body, c, run)?;
        if run.found > 0
            && let Some(cond) = &c.remedied
        {
            // Put right: no violation. Unknown whether it was: the breach is undecided, as
            // for a requirement's own remedy (a completion could make it either).
            let remedy = self.eval(cond)?;
            let undecided = match &remedy.val {
                RtValue::Unknown(w) => {
                    run.absorb(w);
                    true
                }
                _ => false,
            };
            if matches!(remedy.val, RtValue::Bool(true)) || undecided {
                if !undecided {
                    run.remedied += run.found;
                }
                run.violations.clear();
                run.groups.clear();
                run.found = 0;
                run.listed = 0;
            }
        }
        Ok(None)
    }

    /// The outcome of a clause judged without a fault.
    fn outcome(&self, c: &ClauseDef, mut run: ClauseFindings, status: Option<Status>) -> Outcome {
        let status = status.unwrap_or(if run.found > 0 {
            Status::Violated
        } else if !run.missing.is_empty() || !run.invalid.is_empty() {
            Status::InsufficientEvidence
        } else {
            Status::Compliant
        });
        let truncated = run.found > run.listed;
        for v in &mut run.violations {
            if let Some(message) = group_message(self.language, v) {
                v.message = message;
            }
        }
        let remediated = run.remedied > 0 && run.found == 0 && status != Status::NotApplicable;
        Outcome {
            clause: c.id.clone(),
            title: self.title(c),
            references: c.references.clone(),
            status,
            severity: run.violations.iter().map(|v| v.severity).max(),
            remediated,
            violations: run.violations,
            missing: self.missing_entries(run.missing.into_iter()),
            invalid: self.invalid_entries(run.invalid.into_iter()),
            error: None,
            truncated,
        }
    }

    /// Runs statements in order, collecting what requirements find into `run`; fused
    /// aggregates are computed once per run of the statements (`fused`).
    pub(super) fn stmts(
        &mut self,
        stmts: &'a [Stmt],
        clause: &'a ClauseDef,
        run: &mut ClauseFindings,
    ) -> Result<(), Fault> {
        let outer = (self.run, self.list);
        self.next_run += 1;
        (self.run, self.list) = (self.next_run, stmts);
        let result = self.statements(stmts, clause, run);
        (self.run, self.list) = outer;
        result
    }

    fn statements(
        &mut self,
        stmts: &'a [Stmt],
        clause: &'a ClauseDef,
        run: &mut ClauseFindings,
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
                    let mut why = UnknownReasons::default();
                    let depth = self.loops.len();
                    self.loops.extend(bindings.iter());
                    let result = self.iterate(bindings, &mut why, &mut |ev| {
                        let frames = if ev.trace.is_some() {
                            ev.trace_enter(bindings)
                        } else {
                            0
                        };
                        let result = ev.stmts(body, clause, run);
                        if let Some(t) = ev.trace.as_mut() {
                            t.frames.truncate(frames);
                        }
                        result?;
                        Ok(true)
                    });
                    self.loops.truncate(depth);
                    result?;
                    run.absorb(&why);
                }
                Stmt::Require(r) => self.require(r, clause, run)?,
                Stmt::Insufficient { condition, text } => {
                    if !self.guard(condition, text, run)? {
                        return Ok(());
                    }
                }
            }
        }
        Ok(())
    }

    /// A guard: unless it definitely holds, what it is about counts as missing and the rest
    /// of its block is not judged (`false`).
    #[inline(never)]
    fn guard(
        &mut self,
        condition: &'a Expr,
        text: &str,
        run: &mut ClauseFindings,
    ) -> Result<bool, Fault> {
        self.tick()?;
        if self.quick_truth(condition) == Some(true) {
            return Ok(true);
        }
        let v = self.eval(condition)?;
        if self.trace.is_some() {
            self.trace_guard(text, &v);
        }
        match &v.val {
            RtValue::Bool(true) => Ok(true),
            RtValue::Unknown(w) => {
                run.absorb(w);
                Ok(false)
            }
            _ => {
                let (loc, _, _) = self.blame(condition)?;
                let path = if loc == NO_LOC {
                    format!("({text})")
                } else {
                    self.pointer(loc)
                };
                run.missing.insert(path);
                Ok(false)
            }
        }
    }

    /// Binds `v` to a slot of the current frame.
    pub(super) fn set(&mut self, slot: usize, v: Operand<'a>) {
        if let Some(s) = self.slots.get_mut(slot) {
            *s = v;
        }
    }

    /// Counts one step against `max_steps`.
    pub(super) fn tick(&mut self) -> Result<(), Fault> {
        self.tick_n(1)
    }

    /// Counts `n` steps against `max_steps`.
    pub(super) fn tick_n(&mut self, n: u64) -> Result<(), Fault> {
        self.steps = self.steps.saturating_add(n);
        if self.steps > self.limits.max_steps {
            return Err(FaultKind::StepLimit {
                clause: self.clause.to_string(),
                limit: self.limits.max_steps,
            }
            .into());
        }
        Ok(())
    }
}
