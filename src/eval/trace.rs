//! The recording for `conduct explain`: what the evaluator saw while judging one clause.
//!
//! In: the evaluator running in tracing mode for one clause. Out: a [`Trace`], which
//! the `explain` module turns into the public explanation. Recording never changes what the
//! clause finds (faults are ignored and the step count is put back).

// Only `explain` (feature `tools`) reads a trace; without it the recording is never started.
#![cfg_attr(not(feature = "tools"), allow(dead_code))]

use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;

use super::Evaluator;
use super::value::{NO_LOC, Operand, RtValue};
use crate::program::{Binding, Expr, ExprKind, Requirement};
use crate::report::Severity;
use crate::source::{Location, Span};

/// At most this many items are recorded per requirement (and values per `let`).
pub const MAX_ITEMS: usize = 200;

/// A value seen while tracing.
#[derive(Clone, Debug)]
pub(crate) struct TraceValue {
    pub(crate) value: Value,
    pub(crate) text: String,
    pub(crate) path: Option<String>,
    pub(crate) unknown: bool,
    pub(crate) missing: Vec<String>,
    pub(crate) invalid: Vec<(String, String)>,
}

/// One evaluation of a requirement.
#[derive(Debug)]
pub(crate) struct TraceItem {
    pub(crate) bindings: Vec<(Span, String)>,
    pub(crate) result: Truth,
    pub(crate) missing: Vec<String>,
    pub(crate) invalid: Vec<(String, String)>,
    pub(crate) found: Option<(TraceValue, String)>,
    pub(crate) comparison: Option<(TraceValue, &'static str, TraceValue)>,
    pub(crate) severity: Option<(Severity, Option<usize>, Vec<TraceCase>)>,
    pub(crate) remedied: bool,
}

/// One severity case, as evaluated.
#[derive(Debug)]
pub(crate) struct TraceCase {
    pub(crate) severity: Severity,
    pub(crate) condition: String,
    pub(crate) result: Truth,
    pub(crate) missing: Vec<String>,
}

/// One evaluation of a `let`.
#[derive(Debug)]
pub(crate) struct TraceLet {
    pub(crate) span: Span,
    pub(crate) bindings: Vec<(Span, String)>,
    pub(crate) value: TraceValue,
    pub(crate) function: Option<&'static str>,
    pub(crate) arguments: Vec<(String, TraceValue)>,
    pub(crate) chosen: Option<usize>,
}

/// A guard as evaluated: its text, result, value and the loop items.
pub(crate) type TraceGuard = (String, Truth, TraceValue, Vec<(Span, String)>);

/// What the evaluator recorded about one clause.
#[derive(Debug, Default)]
pub(crate) struct Trace {
    pub(crate) scope: Option<Truth>,
    /// The items the enclosing `for each` loops are at: collection span and pointer.
    pub(crate) frames: Vec<(Span, String)>,
    pub(crate) requirements: Vec<(Location, Vec<TraceItem>, usize)>,
    pub(crate) lets: Vec<TraceLet>,
    pub(crate) let_counts: HashMap<Span, usize>,
    pub(crate) lets_not_shown: usize,
    pub(crate) guards: Vec<TraceGuard>,
    pub(crate) guards_not_shown: usize,
    /// The item recorded last (requirement, item), while severity and remedy are decided.
    pub(crate) current: Option<(usize, usize)>,
}

impl Trace {
    pub(crate) fn push_item(&mut self, location: Location, item: TraceItem) {
        let index = match self
            .requirements
            .iter()
            .position(|(l, _, _)| *l == location)
        {
            Some(i) => i,
            None => {
                self.requirements.push((location, Vec::new(), 0));
                self.requirements.len().saturating_sub(1)
            }
        };
        self.current = None;
        if let Some((_, items, more)) = self.requirements.get_mut(index) {
            if items.len() < MAX_ITEMS {
                items.push(item);
                self.current = Some((index, items.len().saturating_sub(1)));
            } else {
                *more += 1;
            }
        }
    }

    pub(crate) fn current_item(&mut self) -> Option<&mut TraceItem> {
        let (r, i) = self.current?;
        self.requirements.get_mut(r)?.1.get_mut(i)
    }

    pub(crate) fn push_let(&mut self, record: TraceLet) {
        let count = self.let_counts.entry(record.span).or_insert(0);
        *count += 1;
        if *count > MAX_ITEMS {
            self.lets_not_shown += 1;
        } else {
            self.lets.push(record);
        }
    }

    pub(crate) fn push_guard(&mut self, text: &str, result: Truth, value: TraceValue) {
        if self.guards.len() < MAX_ITEMS {
            let frames = self.frames.clone();
            self.guards.push((text.to_string(), result, value, frames));
        } else {
            self.guards_not_shown += 1;
        }
    }
}

/// A three-valued result: of `applies when`, a guard or a severity case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Truth {
    /// Definitely true.
    True,
    /// Definitely false.
    False,
    /// Unknown: evidence was missing or invalid.
    Unknown,
}

impl Truth {
    pub(crate) fn of(v: &RtValue<'_>) -> Truth {
        match v {
            RtValue::Bool(true) => Truth::True,
            RtValue::Bool(false) => Truth::False,
            _ => Truth::Unknown,
        }
    }
}

/// Recording for `conduct explain`: called only when `trace` is set, and
/// never changing what the clause finds (the step count is put back).
impl<'a> Evaluator<'a> {
    /// A value as the explanation shows it: JSON, text, evidence path and why it is unknown.
    pub(super) fn trace_value(&self, v: &Operand<'a>) -> TraceValue {
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
    pub(super) fn trace_eval(&mut self, e: &'a Expr) -> Option<Operand<'a>> {
        let steps = self.steps;
        let v = self.eval(e).ok();
        self.steps = steps;
        v
    }

    /// Enters the body of a `for each` for one combination of items; returns the frame depth
    /// to go back to.
    #[inline(never)]
    pub(super) fn trace_enter(&mut self, bindings: &'a [Binding]) -> usize {
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

    #[inline(never)]
    pub(super) fn trace_let(&mut self, value: &'a Expr, v: &Operand<'a>) {
        let mut arguments = Vec::new();
        let mut function = None;
        if let ExprKind::Call(b, args) = &value.kind
            && (super::builtins::is(*b, "min") || super::builtins::is(*b, "max"))
        {
            function = Some(super::builtins::builtin_def(*b).name);
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

    #[inline(never)]
    pub(super) fn trace_guard(&mut self, text: &str, v: &Operand<'a>) {
        let value = self.trace_value(v);
        if let Some(t) = self.trace.as_mut() {
            t.push_guard(text, Truth::of(&v.val), value);
        }
    }

    #[inline(never)]
    pub(super) fn trace_require(&mut self, r: &'a Requirement, v: &Operand<'a>) {
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
            if let Ok((loc, actual, expected)) = self.blame(&r.condition) {
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

    pub(super) fn trace_case(&self, level: Severity, cond: &'a Expr, v: &Operand<'a>) -> TraceCase {
        TraceCase {
            severity: level,
            condition: self.program.sources.one_line(cond.span),
            result: Truth::of(&v.val),
            missing: v.why().map(|w| w.missing.clone()).unwrap_or_default(),
        }
    }

    pub(super) fn trace_severity(
        &mut self,
        chosen: Severity,
        by: Option<usize>,
        cases: Vec<TraceCase>,
    ) {
        if let Some(item) = self.trace.as_mut().and_then(|t| t.current_item()) {
            item.severity = Some((chosen, by, cases));
        }
    }
}
