//! Value operations: ordering, comparison, membership and arithmetic of [`Operand`]s, and
//! the common evidence location of two operands.

use std::cmp::Ordering;

use serde_json::Value;

use super::evidence::PathSegment;
use super::fault::{Fault, FaultKind};
use super::value::{Loc, NO_LOC, Operand, RtValue, UnknownReasons};
use super::{EvalResult, Evaluator};
use crate::date::{Date, Duration};
use crate::number::Number;
use crate::program::{ArithOp, CmpOp, Expect};

/// An order, or why the evidence keeps two values from being compared.
type OrderResult = Result<Result<Option<Ordering>, UnknownReasons>, Fault>;

/// If `l` or `r` is unknown, the unknown result of an operation on them (both reasons when
/// both are). Cloning an unknown operand only counts a reference.
fn unknown_operand<'a>(l: &Operand<'a>, r: &Operand<'a>, loc: Loc) -> Option<Operand<'a>> {
    match (&l.val, &r.val) {
        (RtValue::Unknown(a), RtValue::Unknown(b)) => {
            let mut w = (**a).clone();
            w.merge(b);
            Some(Operand::unknown(w, loc))
        }
        (RtValue::Unknown(_), _) => Some(l.clone()),
        (_, RtValue::Unknown(_)) => Some(r.clone()),
        _ => None,
    }
}

impl<'a> Evaluator<'a> {
    /// Orders two values; `Err(why)` when they cannot be compared because of the evidence.
    pub(super) fn order(&self, l: &Operand<'a>, r: &Operand<'a>) -> OrderResult {
        Ok(Ok(match (&l.val, &r.val) {
            (RtValue::Num(a), RtValue::Num(b)) => Some(a.cmp(b)),
            (RtValue::Date(a), RtValue::Date(b)) => Some(a.cmp(b)),
            (RtValue::Date(_), RtValue::Str(_)) => match self.as_date(r.clone()) {
                Ok(d) => return self.order(l, &d),
                Err(w) => return Ok(Err(w)),
            },
            (RtValue::Str(_), RtValue::Date(_)) => match self.as_date(l.clone()) {
                Ok(d) => return self.order(&d, r),
                Err(w) => return Ok(Err(w)),
            },
            (RtValue::Str(a), RtValue::Str(b)) => Some(a.cmp(b)),
            (RtValue::Bool(a), RtValue::Bool(b)) => Some(a.cmp(b)),
            (RtValue::Dur(a), RtValue::Dur(b)) => match a.compare(*b) {
                Some(o) => Some(o),
                None => return Err(FaultKind::DurationsIncomparable(*a, *b).into()),
            },
            (RtValue::Null, RtValue::Null) => Some(Ordering::Equal),
            (RtValue::Null, _) | (_, RtValue::Null) => None,
            (RtValue::Json(a), RtValue::Json(b)) => {
                super::value::json_eq(a, b).then_some(Ordering::Equal)
            }
            // Values of two kinds: the evidence is at fault. Where both come from the evidence,
            // the right side (`w.hours > "sixty"` blames the text); where only the left does (a
            // field read through a function's parameter, against a constant), the left.
            (a, b) => match (kind(a), kind(b)) {
                (Some(_), Some(kb)) if r.loc == NO_LOC => return self.mismatch(l, kb),
                (Some(ka), _) => return self.mismatch(r, ka),
                (None, Some(kb)) => return self.mismatch(l, kb),
                (None, None) => None,
            },
        }))
    }

    /// `v` cannot be compared with a value of kind `want`: invalid evidence, or a fault of
    /// the rules when `v` is computed.
    fn mismatch(&self, v: &Operand<'a>, want: &'static str) -> OrderResult {
        if v.loc == NO_LOC {
            Err(FaultKind::Incomparable {
                found: v.describe(),
                other: want,
            }
            .into())
        } else {
            Ok(Err(self.invalid_why(
                v.loc,
                format!("expected {want}, found {}", v.describe()),
            )))
        }
    }

    pub(super) fn compare(&mut self, op: CmpOp, l: Operand<'a>, r: Operand<'a>) -> EvalResult<'a> {
        let loc = if l.loc == NO_LOC { r.loc } else { l.loc };
        if let Some(unknown) = unknown_operand(&l, &r, loc) {
            return Ok(unknown);
        }
        let ord = match self.order(&l, &r)? {
            Ok(o) => o,
            Err(why) => return Ok(Operand::unknown(why, loc)),
        };
        let Some(b) = op.holds(ord) else {
            return Err(FaultKind::Unordered(l.describe(), r.describe()).into());
        };
        Ok(Operand::at(RtValue::Bool(b), loc))
    }

    /// `x in list` under three-valued logic.
    pub(super) fn member(&mut self, x: &Operand<'a>, list: &Operand<'a>) -> EvalResult<'a> {
        if let Some(w) = x.why() {
            return Ok(Operand::unknown((**w).clone(), x.loc));
        }
        let mut unknown: Option<UnknownReasons> = None;
        match &list.val {
            RtValue::Str(hay) => {
                return match &x.val {
                    RtValue::Str(needle) => Ok(Operand::bool(hay.contains(needle.as_ref()))),
                    _ => self.type_error(x, "a text"),
                };
            }
            RtValue::Json(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let loc = self.push(list.loc, PathSegment::Index(i));
                    let v = self.convert(item, loc, Expect::Any);
                    match self.compare(CmpOp::Eq, x.clone(), v)?.val {
                        RtValue::Bool(true) => return Ok(Operand::bool(true)),
                        RtValue::Unknown(w) => unknown
                            .get_or_insert_with(UnknownReasons::default)
                            .merge(&w),
                        _ => {}
                    }
                }
            }
            RtValue::List(items) => {
                for v in items.iter() {
                    match self.compare(CmpOp::Eq, x.clone(), v.clone())?.val {
                        RtValue::Bool(true) => return Ok(Operand::bool(true)),
                        RtValue::Unknown(w) => unknown
                            .get_or_insert_with(UnknownReasons::default)
                            .merge(&w),
                        _ => {}
                    }
                }
            }
            RtValue::Unknown(w) => return Ok(Operand::unknown((**w).clone(), list.loc)),
            _ => return self.type_error(list, "a list"),
        }
        Ok(match unknown {
            Some(w) => Operand::unknown(w, list.loc),
            None => Operand::bool(false),
        })
    }

    /// `+`, `-`, `*` and `/` on numbers, dates and durations.
    pub(super) fn arith(&mut self, op: ArithOp, l: Operand<'a>, r: Operand<'a>) -> EvalResult<'a> {
        let loc = self.common_loc(l.loc, r.loc);
        if let Some(unknown) = unknown_operand(&l, &r, loc) {
            return Ok(unknown);
        }
        let val = match (op, &l.val, &r.val) {
            (_, RtValue::Num(a), RtValue::Num(b)) => match self.arith_numbers(op, *a, *b, &r)? {
                Ok(n) => RtValue::Num(n),
                Err(invalid) => return Ok(invalid),
            },
            (ArithOp::Add | ArithOp::Sub, RtValue::Date(_) | RtValue::Str(_), RtValue::Dur(d)) => {
                match self.shift_date(op, &l, *d)? {
                    Ok(date) => RtValue::Date(date),
                    Err(unknown) => return Ok(unknown),
                }
            }
            (ArithOp::Add, RtValue::Dur(_), RtValue::Date(_) | RtValue::Str(_)) => {
                return self.arith(op, r, l);
            }
            (
                ArithOp::Sub,
                RtValue::Date(_) | RtValue::Str(_),
                RtValue::Date(_) | RtValue::Str(_),
            ) => match self.date_difference(&l, &r)? {
                Ok(d) => RtValue::Dur(d),
                Err(unknown) => return Ok(unknown),
            },
            (ArithOp::Add, RtValue::Dur(a), RtValue::Dur(b)) => RtValue::Dur(
                a.checked_add(*b)
                    .ok_or_else(|| Fault::from(FaultKind::DurationSum(*a, *b)))?,
            ),
            (ArithOp::Sub, RtValue::Dur(a), RtValue::Dur(b)) => RtValue::Dur(
                a.checked_sub(*b)
                    .ok_or_else(|| Fault::from(FaultKind::DurationDifference(*a, *b)))?,
            ),
            (_, RtValue::Num(_), _) => return self.type_error(&r, "a number"),
            (_, _, RtValue::Num(_)) => return self.type_error(&l, "a number"),
            _ => return self.type_error(&l, "a number, date or duration"),
        };
        Ok(Operand::at(val, loc))
    }

    /// Arithmetic on two numbers; a divisor 0 read from the evidence makes it invalid.
    fn arith_numbers(
        &self,
        op: ArithOp,
        a: Number,
        b: Number,
        divisor: &Operand<'a>,
    ) -> Result<Result<Number, Operand<'a>>, Fault> {
        if op == ArithOp::Div && b.is_zero() {
            if divisor.loc != NO_LOC {
                let reason = "division by zero: the value is 0".to_string();
                return Ok(Err(self.invalid(divisor.loc, reason)));
            }
            return Err(FaultKind::DivisionByZero.into());
        }
        op.on_numbers(a, b)
            .map(Ok)
            .ok_or_else(|| Fault::from(FaultKind::ArithmeticOverflow))
    }

    /// A date (or a text read as one) plus or minus a duration.
    fn shift_date(
        &self,
        op: ArithOp,
        l: &Operand<'a>,
        d: Duration,
    ) -> Result<Result<Date, Operand<'a>>, Fault> {
        let date = match self.as_date(l.clone()) {
            Ok(v) => v,
            Err(w) => return Ok(Err(Operand::unknown(w, l.loc))),
        };
        let RtValue::Date(date) = date.val else {
            return Err(FaultKind::NotADate.into());
        };
        let shifted = if op == ArithOp::Add {
            date.checked_add(d)
        } else {
            date.checked_sub(d)
        };
        match shifted {
            Some(x) => Ok(Ok(x)),
            None => self.type_error(l, "a date within years 1 to 9999").map(Err),
        }
    }

    /// The duration from `r` to `l`, two dates or texts read as dates.
    fn date_difference(
        &self,
        l: &Operand<'a>,
        r: &Operand<'a>,
    ) -> Result<Result<Duration, Operand<'a>>, Fault> {
        let a = match self.as_date(l.clone()) {
            Ok(v) => v,
            Err(w) => return Ok(Err(Operand::unknown(w, l.loc))),
        };
        let b = match self.as_date(r.clone()) {
            Ok(v) => v,
            Err(w) => return Ok(Err(Operand::unknown(w, r.loc))),
        };
        match (a.val, b.val) {
            (RtValue::Date(a), RtValue::Date(b)) => Ok(Ok(a.duration_since(b))),
            _ => Err(FaultKind::NotADate.into()),
        }
    }

    /// The closest common ancestor of two evidence locations, so that `w.regular_hours +
    /// w.overtime_hours` is about the worker-week `w`.
    pub(super) fn common_loc(&mut self, a: Loc, b: Loc) -> Loc {
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
            let (Some(ex), Some(ey)) = (self.arena.get(x as usize), self.arena.get(y as usize))
            else {
                return NO_LOC;
            };
            if ex.seg != ey.seg {
                common = at - 1;
            }
            x = ex.parent;
            y = ey.parent;
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
    pub(super) fn depth(&self, loc: Loc) -> Option<usize> {
        usize::try_from(self.arena.get(loc as usize)?.depth).ok()
    }

    /// The location `up` segments above `loc`.
    pub(super) fn ancestor(&self, mut loc: Loc, up: usize) -> Option<Loc> {
        for _ in 0..up {
            loc = self.arena.get(loc as usize)?.parent;
        }
        Some(loc)
    }
}

/// What kind of value `v` is, as a comparison wants it; `None` for null and objects.
fn kind(v: &RtValue<'_>) -> Option<&'static str> {
    match v {
        RtValue::Num(_) => Some("a number"),
        RtValue::Date(_) => Some("a date"),
        RtValue::Str(_) => Some("a text"),
        RtValue::Bool(_) => Some("true or false"),
        RtValue::Dur(_) => Some("a duration"),
        _ => None,
    }
}
