//! The compiled form of the commonest requirement inside loops: `item.key op bound`, where
//! the bound is a constant, a parameter, a `let` or a definition holding a number or a text
//! (`pay.base_pay >= required`, `minimum.period == "hour"`, an enumerated field included).
//!
//! In: a comparison whose one side is a field path from a bound item (`pay.base_pay`,
//! `w.hours.total`) and whose other side reads no evidence. Out: its truth value, found
//! in one step: the key lookup, the shape check and the comparison (a JSON integer as an
//! integer, a float in floating point unless it is near the bound; see
//! [`Number::cmp_json`](crate::number::Number::cmp_json)). Anything else (absent, null or
//! invalid evidence, a bound that is not a number, a path deep enough to meet the depth
//! limit) is left to the general path, which gives the same answer with its reasons: the
//! fast path answers only where no reason is needed.

use serde_json::Value;

use super::evidence::PathSegment;
use super::value::{Loc, NO_LOC, Operand, RtValue};
use super::{EvalResult, Evaluator};
use crate::number::Number;
use crate::program::{CmpOp, Const, Expect, Expr, ExprKind, PathBase, Step};

impl<'a> Evaluator<'a> {
    /// `a op b` by the fast path, or `None` to take the general one.
    pub(super) fn field_cmp(
        &mut self,
        op: CmpOp,
        a: &'a Expr,
        b: &'a Expr,
    ) -> Option<EvalResult<'a>> {
        // Explaining shows each value with its pointer: the general path records them.
        if self.trace.is_some() {
            return None;
        }
        let (path, bound, path_left) = match (&a.kind, &b.kind) {
            (ExprKind::Path { .. }, _) => (a, b, true),
            (_, ExprKind::Path { .. }) => (b, a, false),
            _ => return None,
        };
        let ExprKind::Path {
            base: PathBase::Local(slot),
            steps,
            expect,
        } = &path.kind
        else {
            return None;
        };
        let base = self.slots.get(*slot)?;
        let base_loc = base.loc;
        let RtValue::Json(item) = &base.val else {
            return None;
        };
        let mut cur: &'a Value = item;
        if steps.len() >= 2 {
            // The general path checks each step against the depth limit from here on.
            let depth = self.depth(base_loc).unwrap_or(0);
            if depth + steps.len() > self.limits.max_evidence_depth {
                return None;
            }
        }
        for step in steps.iter() {
            let (Step::Key(k), Value::Object(map)) = (step, cur) else {
                return None;
            };
            cur = self.field(map, k)?;
        }
        // The order of the value found to the bound.
        let (ord, bound_loc) = {
            let (side, bound_loc) = self.bound_side(bound)?;
            let ord = match (cur, side, *expect) {
                (Value::Number(n), Side::Num(b), Expect::Number | Expect::Any) => b.cmp_json(n)?,
                (Value::String(s), Side::Str(b), Expect::String | Expect::Any) => s.as_str().cmp(b),
                (Value::String(s), Side::Str(b), Expect::Enum(id))
                    if self.program.in_enum(id, s) =>
                {
                    s.as_str().cmp(b)
                }
                _ => return None,
            };
            (ord, bound_loc)
        };
        // The value's location, as reading the path would give it.
        let mut loc = base_loc;
        for step in steps.iter() {
            if let Step::Key(k) = step {
                loc = self.push(loc, PathSegment::Key(k));
            }
        }
        // The order of the left side to the right.
        let ord = if path_left { ord } else { ord.reverse() };
        let holds = op.holds(Some(ord)).unwrap_or(false);
        // As a comparison's result: where the left side came from, else the right side.
        let left_loc = if path_left { loc } else { bound_loc };
        let right_loc = if path_left { bound_loc } else { loc };
        let at = if left_loc == NO_LOC {
            right_loc
        } else {
            left_loc
        };
        Some(Ok(Operand::at(RtValue::Bool(holds), at)))
    }

    /// The number or text a side that reads no evidence holds, with its location (a
    /// parameter or a `let` may come from the evidence); `None` when it is not one of those,
    /// or holds anything else.
    fn bound_side(&self, e: &'a Expr) -> Option<(Side<'_>, Loc)> {
        let v = match &e.kind {
            ExprKind::Const(Const::Number(n)) => return Some((Side::Num(*n), NO_LOC)),
            ExprKind::Const(Const::Str(s)) => return Some((Side::Str(s), NO_LOC)),
            ExprKind::Param(i) => self.params.get(*i)?,
            ExprKind::Local(slot) => self.slots.get(*slot)?,
            ExprKind::Global(i) => self.globals.get(*i)?.as_ref().ok()?,
            _ => return None,
        };
        match &v.val {
            RtValue::Num(n) => Some((Side::Num(*n), v.loc)),
            RtValue::Str(s) => Some((Side::Str(s.as_ref()), v.loc)),
            _ => None,
        }
    }
}

/// What a comparison's bound holds.
#[derive(Clone, Copy)]
enum Side<'s> {
    Num(Number),
    Str(&'s str),
}
