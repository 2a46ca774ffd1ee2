//! Expression evaluation: an [`Expr`] → an [`Operand`] under three-valued (Kleene) logic.
//!
//! The dispatcher, `and`/`or`, `??`, indexing, tables and calls of pack-level functions;
//! builtins are in `builtins.rs`, value operations in `ops.rs`.

use std::borrow::Cow;

use serde_json::Value;

use super::evidence::PathSegment;
use super::fault::{Fault, FaultKind};
use super::value::{Loc, NO_LOC, Operand, ROOT_LOC, RtValue, UnknownReasons};
use super::{EvalResult, Evaluator, const_value};
use crate::date::Duration;
use crate::program::{Expect, Expr, ExprKind, PathBase, Unit};

/// Null, not from the evidence.
const NULL: Operand<'static> = Operand {
    val: RtValue::Null,
    loc: NO_LOC,
};

impl<'a> Evaluator<'a> {
    /// An unknown value for a wrong type: the evidence's fault when it came from evidence,
    /// else a fault of the rules (which the checker should have caught).
    pub(super) fn type_error(&self, v: &Operand<'a>, want: &'static str) -> EvalResult<'a> {
        if v.loc == NO_LOC {
            Err(FaultKind::WrongType {
                expected: want,
                found: v.describe(),
            }
            .into())
        } else {
            Ok(self.invalid(v.loc, format!("expected {want}, found {}", v.describe())))
        }
    }

    /// Evaluates an expression.
    pub(crate) fn eval(&mut self, e: &'a Expr) -> EvalResult<'a> {
        match &e.kind {
            ExprKind::Const(c) => Ok(const_value(c)),
            ExprKind::Local(slot) => Ok(self.slot(*slot)),
            ExprKind::Param(i) => Ok(self.params.get(*i).cloned().unwrap_or(NULL)),
            ExprKind::Global(i) => self.globals.get(*i).cloned().unwrap_or(Ok(NULL)),
            ExprKind::AsOf => Ok(self.as_of.clone()),
            ExprKind::Severity | ExprKind::Actual | ExprKind::Expected => {
                Ok(self.violation_context(&e.kind))
            }
            ExprKind::Path {
                base,
                steps,
                expect,
            } => {
                let base = self.path_base(*base);
                Ok(self.read(base, steps, *expect))
            }
            ExprKind::Index(base, idx, expect) => self.index(base, idx, *expect),
            ExprKind::Table(t, key) => self.table(*t, key),
            ExprKind::Call(b, args) => self.call(*b, args),
            ExprKind::CallFunction(i, args) => self.call_function(*i, args),
            ExprKind::Aggregate {
                kind,
                bindings,
                body,
                fusion,
            } => {
                if let (Some(f), [b]) = (fusion, bindings.as_slice())
                    && let Some(v) = self.fused(*f, b)?
                {
                    return Ok(v);
                }
                self.aggregate(*kind, bindings, body.as_deref())
            }
            ExprKind::List(items) => self.list(items),
            ExprKind::Not(inner) => self.not(inner),
            ExprKind::Neg(inner) => self.neg(inner),
            ExprKind::And(a, b) => self.kleene(a, b, false),
            ExprKind::Or(a, b) => self.kleene(a, b, true),
            ExprKind::Cmp(op, a, b) => {
                if let Some(done) = self.field_cmp(*op, a, b) {
                    return done;
                }
                let l = self.eval(a)?;
                let r = self.eval(b)?;
                self.compare(*op, l, r)
            }
            ExprKind::In {
                item,
                list,
                negated,
            } => self.membership(item, list, *negated),
            ExprKind::Arith(op, a, b) => {
                let l = self.eval(a)?;
                let r = self.eval(b)?;
                self.arith(*op, l, r)
            }
            ExprKind::Coalesce(a, b) => self.coalesce(a, b),
            ExprKind::If(c, a, b) => {
                if let Some(t) = self.quick_truth(c) {
                    return self.eval(if t { a } else { b });
                }
                let cond = self.eval(c)?;
                match &cond.val {
                    RtValue::Bool(true) => self.eval(a),
                    RtValue::Bool(false) => self.eval(b),
                    RtValue::Unknown(_) => Ok(cond),
                    _ => self.type_error(&cond, "true or false"),
                }
            }
            ExprKind::Duration(inner, unit) => self.duration(inner, *unit),
        }
    }

    /// `[a, b, c]`; a list of constants (`[]`, `["a", "b"]`) is built once per evaluation.
    #[inline(never)]
    fn list(&mut self, items: &'a [Expr]) -> EvalResult<'a> {
        if items.iter().all(|i| matches!(i.kind, ExprKind::Const(_))) {
            let key = items.as_ptr() as usize;
            let list = match self.const_lists.get(&key) {
                Some(list) => list.clone(),
                None => {
                    let list: std::rc::Rc<[Operand<'a>]> = items
                        .iter()
                        .map(|i| match &i.kind {
                            ExprKind::Const(c) => const_value(c),
                            _ => NULL,
                        })
                        .collect();
                    self.const_lists.insert(key, list.clone());
                    list
                }
            };
            return Ok(Operand::new(RtValue::List(list)));
        }
        let mut out = Vec::with_capacity(items.len());
        for i in items {
            out.push(self.eval(i)?);
        }
        Ok(Operand::new(RtValue::List(out.into())))
    }

    /// The value in a slot of the current frame.
    fn slot(&self, slot: usize) -> Operand<'a> {
        self.slots.get(slot).cloned().unwrap_or(NULL)
    }

    /// `severity`, `actual` or `expected` of the violation being written (null outside one).
    #[inline(never)]
    fn violation_context(&self, kind: &ExprKind) -> Operand<'a> {
        let Some(c) = &self.context else {
            return NULL;
        };
        match kind {
            ExprKind::Severity => Operand::new(RtValue::Str(Cow::Borrowed(c.severity.as_str()))),
            ExprKind::Actual => c.actual.clone(),
            _ => Operand::new(RtValue::Str(Cow::Owned(c.expected.clone()))),
        }
    }

    /// `base[idx]`: a key of an object or a position in a list. Evidence reached through a
    /// computed value (a definition, an `if`) is checked against its declared shape like any
    /// path.
    #[inline(never)]
    fn index(&mut self, base: &'a Expr, idx: &'a Expr, expect: Expect) -> EvalResult<'a> {
        let b = self.eval(base)?;
        let i = self.eval(idx)?;
        if let Some(w) = i.why() {
            return Ok(Operand::unknown((**w).clone(), i.loc));
        }
        let position = match &i.val {
            RtValue::Str(s) => {
                if let RtValue::Json(Value::Object(map)) = &b.val {
                    let key = match &i.val {
                        RtValue::Str(Cow::Borrowed(k)) => k,
                        _ => "",
                    };
                    let loc = self.push(b.loc, PathSegment::Key(key));
                    return Ok(match map.get(s.as_ref()) {
                        Some(v) => self.convert(v, loc, expect),
                        None => self.missing(loc),
                    });
                }
                None
            }
            RtValue::Num(n) => n.to_i64().and_then(|n| usize::try_from(n).ok()),
            _ => None,
        };
        match (position, &b.val) {
            (Some(n), RtValue::Json(Value::Array(items))) => {
                let loc = self.push(b.loc, PathSegment::Index(n));
                Ok(match items.get(n) {
                    Some(v) => self.convert(v, loc, expect),
                    None => self.missing(loc),
                })
            }
            (Some(n), RtValue::List(items)) => Ok(items.get(n).cloned().unwrap_or(NULL)),
            _ if b.why().is_some() => Ok(b),
            _ => self.type_error(&b, "a list or an object to index"),
        }
    }

    /// `table[key]`: the entry, the default, or null when neither.
    #[inline(never)]
    fn table(&mut self, t: usize, key: &'a Expr) -> EvalResult<'a> {
        let k = self.eval(key)?;
        let table = self.program.tables.get(t);
        match (&k.val, table) {
            (RtValue::Str(s), Some(table)) => {
                match table.entries.get(s.as_ref()).or(table.default.as_ref()) {
                    Some(c) => Ok(const_value(c)),
                    // Not listed and no default: null, for `??`.
                    None => Ok(NULL),
                }
            }
            (RtValue::Unknown(_), _) => Ok(k),
            _ => self.type_error(&k, "a text key"),
        }
    }

    #[inline(never)]
    fn not(&mut self, inner: &'a Expr) -> EvalResult<'a> {
        let v = self.eval(inner)?;
        match v.val {
            RtValue::Bool(b) => Ok(Operand::at(RtValue::Bool(!b), v.loc)),
            RtValue::Unknown(_) => Ok(v),
            _ => self.type_error(&v, "true or false"),
        }
    }

    #[inline(never)]
    fn neg(&mut self, inner: &'a Expr) -> EvalResult<'a> {
        let v = self.eval(inner)?;
        match v.val {
            RtValue::Num(n) => Ok(Operand::at(RtValue::Num(n.neg()), v.loc)),
            RtValue::Unknown(_) => Ok(v),
            _ => self.type_error(&v, "a number"),
        }
    }

    /// `and` (`decisive` is false) and `or` (`decisive` is true) in Kleene logic: the
    /// decisive value on either side decides; else unknown on either side leaves it unknown.
    fn kleene(&mut self, a: &'a Expr, b: &'a Expr, decisive: bool) -> EvalResult<'a> {
        let l = self.eval(a)?;
        match &l.val {
            RtValue::Bool(x) if *x == decisive => return Ok(Operand::bool(decisive)),
            RtValue::Bool(_) | RtValue::Unknown(_) => {}
            _ => return self.type_error(&l, "true or false"),
        }
        let r = self.eval(b)?;
        Ok(match (&l.val, &r.val) {
            (_, RtValue::Bool(x)) if *x == decisive => Operand::bool(decisive),
            (RtValue::Bool(_), RtValue::Bool(_)) => Operand::bool(!decisive),
            (RtValue::Unknown(w), RtValue::Unknown(w2)) => {
                let mut w = (**w).clone();
                w.merge(w2);
                Operand::unknown(w, l.loc)
            }
            (RtValue::Unknown(_), RtValue::Bool(_)) => l,
            (_, RtValue::Unknown(_)) => r,
            _ => return self.type_error(&r, "true or false"),
        })
    }

    /// `item in list` or `item not in list`.
    #[inline(never)]
    fn membership(&mut self, item: &'a Expr, list: &'a Expr, negated: bool) -> EvalResult<'a> {
        let x = self.eval(item)?;
        let l = self.eval(list)?;
        let v = self.member(&x, &l)?;
        Ok(match v.val {
            RtValue::Bool(b) => Operand::at(RtValue::Bool(b != negated), x.loc),
            _ => v,
        })
    }

    /// `a ?? b`: `b` when `a` is absent or null; when both are unknown, both reasons.
    fn coalesce(&mut self, a: &'a Expr, b: &'a Expr) -> EvalResult<'a> {
        // An absent path on the left is the common case: skip building its pointer unless
        // the right side is unknown too.
        let l = match self.eval_or_absent(a)? {
            Ok(v) => v,
            Err(at) => {
                let r = self.eval(b)?;
                return Ok(match &r.val {
                    RtValue::Unknown(w2) => {
                        let mut merged = UnknownReasons {
                            missing: vec![self.pointer(at)],
                            invalid: Vec::new(),
                        };
                        merged.merge(w2);
                        Operand::unknown(merged, r.loc)
                    }
                    _ => r,
                });
            }
        };
        match &l.val {
            RtValue::Null => self.eval(b),
            RtValue::Unknown(w) if w.is_missing_only() => {
                // Both unknown: the left side's missing evidence is part of why.
                let r = self.eval(b)?;
                Ok(match &r.val {
                    RtValue::Unknown(w2) => {
                        let mut merged = (**w).clone();
                        merged.merge(w2);
                        Operand::unknown(merged, r.loc)
                    }
                    _ => r,
                })
            }
            _ => Ok(l),
        }
    }

    /// `n days`, `n weeks`, `n months` or `n years`.
    #[inline(never)]
    fn duration(&mut self, inner: &'a Expr, unit: Unit) -> EvalResult<'a> {
        let v = self.eval(inner)?;
        let n = match &v.val {
            RtValue::Num(n) => *n,
            RtValue::Unknown(_) => return Ok(v),
            _ => return self.type_error(&v, "a whole number"),
        };
        let d = n.to_i64().and_then(|n| match unit {
            Unit::Days => Duration::days(n),
            Unit::Weeks => Duration::weeks(n),
            Unit::Months => Duration::months(n),
            Unit::Years => Duration::years(n),
        });
        match d {
            Some(d) => Ok(Operand::at(RtValue::Dur(d), v.loc)),
            None => self.type_error(&v, "a whole number of days, weeks, months or years"),
        }
    }

    /// Calls a pack-level function in a frame of its own. Functions call only functions
    /// defined before them, so there is no recursion; the depth is bounded all the same.
    #[inline(never)]
    pub(super) fn call_function(&mut self, i: usize, args: &'a [Expr]) -> EvalResult<'a> {
        let Some(f) = self.program.functions.get(i) else {
            return Ok(Operand::new(RtValue::Null));
        };
        if self.call_depth >= self.limits.max_call_depth {
            return Err(FaultKind::CallDepth(self.limits.max_call_depth).into());
        }
        // Frames are reused from call to call: no allocation per call.
        let mut frame = self.frames.pop().unwrap_or_default();
        frame.clear();
        frame.resize(f.slots.max(args.len()), Operand::new(RtValue::Null));
        for (slot, a) in frame.iter_mut().zip(args) {
            match self.eval(a) {
                Ok(v) => *slot = v,
                Err(fault) => {
                    self.frames.push(frame);
                    return Err(fault);
                }
            }
        }
        let saved = std::mem::replace(&mut self.slots, frame);
        self.call_depth += 1;
        let result = self.eval(&f.body);
        self.call_depth -= 1;
        let mut frame = std::mem::replace(&mut self.slots, saved);
        frame.clear();
        self.frames.push(frame);
        result
    }

    /// Where an evidence path starts: the document, or a bound item.
    pub(super) fn path_base(&self, base: PathBase) -> Operand<'a> {
        match base {
            PathBase::Root => Operand::at(RtValue::Json(self.evidence), ROOT_LOC),
            PathBase::Local(slot) => self
                .slots
                .get(slot)
                .cloned()
                .unwrap_or(Operand::new(RtValue::Null)),
        }
    }

    /// Evaluates `e`; an evidence path that is absent or null gives `Err(location)`.
    pub(super) fn eval_or_absent(
        &mut self,
        e: &'a Expr,
    ) -> Result<Result<Operand<'a>, Loc>, Fault> {
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
}
