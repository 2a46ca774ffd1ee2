//! The quick path: an expression's value where only the value counts, computed without
//! locations, reasons or faults.
//!
//! A requirement's or a guard's condition, a `where` filter, an `if`'s condition and the body
//! of `count`, `share`, `any`, `all`, `none`, `sum` and `average` are used for their value
//! alone: a requirement that holds, a guard that passes or an item a filter selects names no
//! evidence in the report, and a breach is blamed by evaluating its condition again. So these
//! are tried here first. [`Quick`] values are small and `Copy`; reading a path pushes nothing
//! on the location arena; a JSON number is compared as it is and made an exact decimal only
//! for arithmetic ([`Number::cmp_json`]).
//!
//! The quick path answers only where the general path would give the same value with no
//! reason attached: a known truth value, number, text, date or duration. Anything else
//! (evidence absent, null, invalid or near the depth limit, a value of the wrong kind, a
//! fault such as an overflow, a builtin without a quick form in the builtin table, a call of
//! a pack function, an aggregate over items) gives `None`, and the
//! caller evaluates the expression by the general path, which explains it. The quick path
//! reads and changes nothing but the evidence, the rules and the current frame: evaluating
//! an expression again by the general path is safe. The differential test compares the
//! whole engine with the reference evaluator, and `tests` below compares the two paths.

use std::cmp::Ordering;

use serde_json::Value;

use super::Evaluator;
use super::builtins::{QuickCall, builtin_def};
use super::value::{NO_LOC, Operand, RtValue};
use crate::date::{Date, Duration};
use crate::number::Number;
use crate::program::{
    AggregateKind, ArithOp, Binding, Builtin, CmpOp, Const, Expect, Expr, ExprKind, PathBase, Step,
    Unit,
};

/// A value the quick path computed: no location, no reasons, nothing to drop.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Quick<'v> {
    Null,
    Bool(bool),
    Num(Number),
    /// A number read from the evidence, not yet made an exact decimal.
    JsonNum(&'v serde_json::Number),
    Str(&'v str),
    Date(Date),
    Dur(Duration),
    /// An evidence object or list.
    Json(&'v Value),
    /// A list of values computed by the rules (a parameter, `[]`).
    List(&'v [Operand<'v>]),
}

impl<'v> Quick<'v> {
    /// The exact number, or `None` when it is not a number (or a JSON number the rules cannot
    /// hold exactly: the general path says why).
    fn number(self) -> Option<Number> {
        match self {
            Quick::Num(n) => Some(n),
            Quick::JsonNum(n) => Number::from_json(n),
            _ => None,
        }
    }

    /// The run-time value, for a caller that takes an [`Operand`] without a location.
    pub(super) fn operand<'b>(self) -> Option<Operand<'b>> {
        let val = match self {
            Quick::Bool(b) => RtValue::Bool(b),
            Quick::Num(_) | Quick::JsonNum(_) => RtValue::Num(self.number()?),
            _ => return None,
        };
        Some(Operand::at(val, NO_LOC))
    }
}

/// What reading a path found.
enum Read<'v> {
    Found(Quick<'v>),
    /// Absent or null, and no declared invalid evidence to look up.
    Absent,
}

impl<'a> Evaluator<'a> {
    /// The truth value of `e` by the quick path; `None` to take the general path.
    pub(super) fn quick_truth(&self, e: &'a Expr) -> Option<bool> {
        if self.trace.is_some() || tests::general_only() {
            return None;
        }
        match self.quick(e)? {
            Quick::Bool(b) => tests::answered(Some(b)),
            _ => None,
        }
    }

    /// The value of an aggregate's body by the quick path, where the aggregate takes that
    /// kind of value (a truth value, or a number to add); `None` to take the general path.
    pub(super) fn quick_body(&self, kind: AggregateKind, body: &'a Expr) -> Option<Operand<'a>> {
        if self.trace.is_some() || tests::general_only() {
            return None;
        }
        let v = self.quick(body)?;
        match (kind, v) {
            (
                AggregateKind::Any
                | AggregateKind::All
                | AggregateKind::None
                | AggregateKind::Share
                | AggregateKind::Count,
                Quick::Bool(_),
            )
            | (AggregateKind::Sum | AggregateKind::Average, Quick::Num(_) | Quick::JsonNum(_)) => {
                tests::answered(v.operand())
            }
            _ => None,
        }
    }

    /// The value of `e`, or `None` where the general path must say more than a value.
    pub(super) fn quick<'s>(&'s self, e: &'a Expr) -> Option<Quick<'s>>
    where
        'a: 's,
    {
        match &e.kind {
            ExprKind::Const(c) => quick_const(c),
            ExprKind::Local(slot) => quick_operand(self.slots.get(*slot)?),
            ExprKind::Param(i) => quick_operand(self.params.get(*i)?),
            ExprKind::Global(i) => quick_operand(self.globals.get(*i)?.as_ref().ok()?),
            ExprKind::AsOf => quick_operand(&self.as_of),
            ExprKind::Path {
                base,
                steps,
                expect,
            } => match self.quick_read(*base, steps, *expect)? {
                Read::Found(v) => Some(v),
                Read::Absent => None,
            },
            ExprKind::Table(t, key) => {
                let Quick::Str(k) = self.quick(key)? else {
                    return None;
                };
                let table = self.program.tables.get(*t)?;
                match table.entries.get(k).or(table.default.as_ref()) {
                    Some(c) => quick_const(c),
                    None => Some(Quick::Null),
                }
            }
            ExprKind::Not(inner) => match self.quick(inner)? {
                Quick::Bool(b) => Some(Quick::Bool(!b)),
                _ => None,
            },
            ExprKind::Neg(inner) => Some(Quick::Num(self.quick(inner)?.number()?.neg())),
            ExprKind::And(a, b) => self.quick_kleene(a, b, false),
            ExprKind::Or(a, b) => self.quick_kleene(a, b, true),
            ExprKind::Cmp(op, a, b) => {
                let l = self.quick(a)?;
                let r = self.quick(b)?;
                Some(Quick::Bool(quick_compare(*op, l, r)?))
            }
            ExprKind::In {
                item,
                list,
                negated,
            } => {
                let found = self.quick_member(item, list)?;
                Some(Quick::Bool(found != *negated))
            }
            ExprKind::Arith(op, a, b) => quick_arith(*op, self.quick(a)?, self.quick(b)?),
            ExprKind::Duration(inner, unit) => {
                let n = self.quick(inner)?.number()?.to_i64()?;
                let d = match unit {
                    Unit::Days => Duration::days(n),
                    Unit::Weeks => Duration::weeks(n),
                    Unit::Months => Duration::months(n),
                    Unit::Years => Duration::years(n),
                }?;
                Some(Quick::Dur(d))
            }
            ExprKind::Coalesce(a, b) => match self.quick_or_absent(a)? {
                Read::Found(Quick::Null) | Read::Absent => self.quick(b),
                Read::Found(v) => Some(v),
            },
            ExprKind::If(c, a, b) => match self.quick(c)? {
                Quick::Bool(true) => self.quick(a),
                Quick::Bool(false) => self.quick(b),
                _ => None,
            },
            ExprKind::Aggregate { kind, bindings, .. } => {
                self.quick_empty_aggregate(*kind, bindings)
            }
            ExprKind::Call(b, args) => self.quick_call(*b, args),
            _ => None,
        }
    }

    /// A builtin the table says the quick path computes (`QuickCall`).
    fn quick_call<'s>(&'s self, b: Builtin, args: &'a [Expr]) -> Option<Quick<'s>>
    where
        'a: 's,
    {
        match builtin_def(b).quick {
            QuickCall::No => None,
            QuickCall::Values(f) => {
                let mut vals = [Quick::Null; 4];
                let vals = vals.get_mut(..args.len())?;
                for (v, a) in vals.iter_mut().zip(args) {
                    *v = self.quick(a)?;
                }
                f(vals)
            }
            QuickCall::Presence { known } => {
                let [a] = args else {
                    return None;
                };
                Some(Quick::Bool(match self.quick_or_absent(a)? {
                    Read::Absent | Read::Found(Quick::Null) => false,
                    // A number the rules cannot hold is invalid: there, but not known.
                    Read::Found(Quick::JsonNum(n)) if known => {
                        Number::from_json(n)?;
                        true
                    }
                    Read::Found(_) => true,
                }))
            }
        }
    }

    /// The value of `e`, or `Read::Absent` for an evidence path that is absent or null (as
    /// [`Evaluator::eval_or_absent`] tells them apart for `??`, `exists` and `known`).
    fn quick_or_absent<'s>(&'s self, e: &'a Expr) -> Option<Read<'s>>
    where
        'a: 's,
    {
        match &e.kind {
            ExprKind::Path {
                base,
                steps,
                expect,
            } => self.quick_read(*base, steps, *expect),
            _ => Some(Read::Found(self.quick(e)?)),
        }
    }

    /// `and` (`decisive` false) or `or` (`decisive` true) of two known truth values.
    fn quick_kleene<'s>(&'s self, a: &'a Expr, b: &'a Expr, decisive: bool) -> Option<Quick<'s>>
    where
        'a: 's,
    {
        let Quick::Bool(l) = self.quick(a)? else {
            return None;
        };
        if l == decisive {
            return Some(Quick::Bool(decisive));
        }
        let Quick::Bool(r) = self.quick(b)? else {
            return None;
        };
        Some(Quick::Bool(r))
    }

    /// Whether a text or number is in a list of values of its own kind.
    fn quick_member(&self, item: &'a Expr, list: &'a Expr) -> Option<bool> {
        let x = self.quick(item)?;
        if !matches!(x, Quick::Str(_) | Quick::Num(_) | Quick::JsonNum(_)) {
            return None;
        }
        let same = |v: Quick<'_>| -> Option<bool> {
            match (x, v) {
                (Quick::Str(_), Quick::Str(_))
                | (Quick::Num(_) | Quick::JsonNum(_), Quick::Num(_) | Quick::JsonNum(_)) => {
                    quick_compare(CmpOp::Eq, x, v)
                }
                _ => None,
            }
        };
        match &list.kind {
            ExprKind::List(items) => {
                let mut found = false;
                for i in items {
                    let ExprKind::Const(c) = &i.kind else {
                        return None;
                    };
                    found |= same(quick_const(c)?)?;
                }
                Some(found)
            }
            _ => match self.quick(list)? {
                Quick::List(items) => {
                    let mut found = false;
                    for v in items {
                        found |= same(quick_operand(v)?)?;
                    }
                    Some(found)
                }
                _ => None,
            },
        }
    }

    /// An aggregate over an empty list (`none(e in emergencies: …)` with no emergencies):
    /// the empty answer where it is a value; `None` for items, or where over none the answer
    /// is unknown (`share`, `average`, `min`, `max`, `first`).
    fn quick_empty_aggregate<'s>(
        &'s self,
        kind: AggregateKind,
        bindings: &'a [Binding],
    ) -> Option<Quick<'s>>
    where
        'a: 's,
    {
        let [b] = bindings else {
            return None;
        };
        let empty = match self.quick(&b.collection)? {
            Quick::Json(Value::Array(items)) => items.is_empty(),
            Quick::List(items) => items.is_empty(),
            _ => false,
        };
        if !empty {
            return None;
        }
        match kind {
            AggregateKind::Any => Some(Quick::Bool(false)),
            AggregateKind::All | AggregateKind::None => Some(Quick::Bool(true)),
            AggregateKind::Count | AggregateKind::CountDistinct | AggregateKind::Sum => {
                Some(Quick::Num(Number::ZERO))
            }
            _ => None,
        }
    }

    /// Follows `steps` from the document or a bound item, checking the declared shape as
    /// [`Evaluator::convert`] does; `None` where the general path has more to say.
    fn quick_read<'s>(
        &'s self,
        base: PathBase,
        steps: &'a [Step],
        expect: Expect,
    ) -> Option<Read<'s>>
    where
        'a: 's,
    {
        let (mut cur, depth): (&'a Value, usize) = match base {
            PathBase::Root => (self.evidence, 0),
            PathBase::Local(slot) => {
                let item = self.slots.get(slot)?;
                let RtValue::Json(v) = &item.val else {
                    return None;
                };
                (*v, self.depth(item.loc)?)
            }
        };
        // Far from the depth limit, no step or container can meet it.
        if depth + steps.len() + 1 > self.limits.max_evidence_depth {
            return None;
        }
        for step in steps {
            let next = match (step, cur) {
                (Step::Key(k), Value::Object(map)) => self.field(map, k),
                (Step::Index(i), Value::Array(items)) => items.get(*i),
                _ => return None,
            };
            match next {
                Some(Value::Null) | None => {
                    // Declared invalid evidence is looked up by pointer: the general path.
                    return self.declared_invalid.is_empty().then_some(Read::Absent);
                }
                Some(v) => cur = v,
            }
        }
        let v = match (expect, cur) {
            (Expect::Any | Expect::Bool, Value::Bool(b)) => Quick::Bool(*b),
            (Expect::Any | Expect::Number, Value::Number(n)) => Quick::JsonNum(n),
            (Expect::Any | Expect::String, Value::String(s)) => Quick::Str(s),
            (Expect::Enum(id), Value::String(s)) if self.program.in_enum(id, s) => Quick::Str(s),
            (Expect::Date, Value::String(s)) => Quick::Date(Date::parse(s)?),
            (Expect::Any | Expect::List, Value::Array(_))
            | (Expect::Any | Expect::Object, Value::Object(_)) => Quick::Json(cur),
            // A list of a declared item shape: only when there is no item to check.
            (Expect::ListOf(_), Value::Array(items)) if items.is_empty() => Quick::Json(cur),
            _ => return None,
        };
        Some(Read::Found(v))
    }
}

/// `l op r` on numbers, dates (or texts read as dates) and durations, as
/// [`Evaluator::arith`] computes it where the answer is a value.
fn quick_arith<'v>(op: ArithOp, l: Quick<'v>, r: Quick<'v>) -> Option<Quick<'v>> {
    use Quick::{Date as D, Dur, JsonNum, Num, Str};
    match (op, l, r) {
        (_, Num(_) | JsonNum(_), Num(_) | JsonNum(_)) => {
            Some(Num(op.on_numbers(l.number()?, r.number()?)?))
        }
        (ArithOp::Add, D(_) | Str(_), Dur(d)) => Some(D(as_date(l)?.checked_add(d)?)),
        (ArithOp::Sub, D(_) | Str(_), Dur(d)) => Some(D(as_date(l)?.checked_sub(d)?)),
        (ArithOp::Add, Dur(_), D(_) | Str(_)) => quick_arith(op, r, l),
        (ArithOp::Sub, D(_) | Str(_), D(_) | Str(_)) => {
            Some(Dur(as_date(l)?.duration_since(as_date(r)?)))
        }
        (ArithOp::Add, Dur(a), Dur(b)) => Some(Dur(a.checked_add(b)?)),
        (ArithOp::Sub, Dur(a), Dur(b)) => Some(Dur(a.checked_sub(b)?)),
        _ => None,
    }
}

/// A date, or a text read as one (as [`Evaluator::as_date`] does).
fn as_date(v: Quick<'_>) -> Option<Date> {
    match v {
        Quick::Date(d) => Some(d),
        Quick::Str(s) => Date::parse(s),
        _ => None,
    }
}

/// A whole number as a run-time number.
fn whole(n: i64) -> Quick<'static> {
    Quick::Num(Number::from_i64(n).unwrap_or(Number::ZERO))
}

/// `age(date_of_birth, on_date)`; a birth after the date is invalid evidence.
pub(super) fn age<'v>(vals: &[Quick<'v>]) -> Option<Quick<'v>> {
    let [birth, on] = vals else { return None };
    Some(whole(Date::age_on(as_date(*birth)?, as_date(*on)?)?))
}

/// `days_between(from, to)`.
pub(super) fn days_between<'v>(vals: &[Quick<'v>]) -> Option<Quick<'v>> {
    let [from, to] = vals else { return None };
    Some(whole(as_date(*to)?.days_since(as_date(*from)?)))
}

/// `date(text)`.
pub(super) fn date<'v>(vals: &[Quick<'v>]) -> Option<Quick<'v>> {
    let [text] = vals else { return None };
    Some(Quick::Date(as_date(*text)?))
}

/// `starts_with(text, prefix)`.
pub(super) fn starts_with<'v>(vals: &[Quick<'v>]) -> Option<Quick<'v>> {
    let [Quick::Str(text), Quick::Str(prefix)] = vals else {
        return None;
    };
    Some(Quick::Bool(text.starts_with(prefix)))
}

/// `ends_with(text, suffix)`.
pub(super) fn ends_with<'v>(vals: &[Quick<'v>]) -> Option<Quick<'v>> {
    let [Quick::Str(text), Quick::Str(suffix)] = vals else {
        return None;
    };
    Some(Quick::Bool(text.ends_with(suffix)))
}

/// `length(list_or_text)`.
pub(super) fn length<'v>(vals: &[Quick<'v>]) -> Option<Quick<'v>> {
    let n = match vals {
        [Quick::Str(s)] => s.chars().count(),
        [Quick::List(items)] => items.len(),
        [Quick::Json(Value::Array(items))] => items.len(),
        _ => return None,
    };
    Some(whole(i64::try_from(n).ok()?))
}

/// `min(a, b, …)`.
pub(super) fn min<'v>(vals: &[Quick<'v>]) -> Option<Quick<'v>> {
    extreme(vals, Ordering::Less)
}

/// `max(a, b, …)`.
pub(super) fn max<'v>(vals: &[Quick<'v>]) -> Option<Quick<'v>> {
    extreme(vals, Ordering::Greater)
}

/// The least or greatest of numbers, or of dates (texts read as dates); the first of equals.
fn extreme<'v>(vals: &[Quick<'v>], wanted: Ordering) -> Option<Quick<'v>> {
    let mut best: Option<Quick<'v>> = None;
    for v in vals {
        let v = match *v {
            Quick::Str(_) | Quick::Date(_) => Quick::Date(as_date(*v)?),
            other => Quick::Num(other.number()?),
        };
        let order = match (v, best) {
            (_, None) => Ordering::Equal,
            (Quick::Num(a), Some(Quick::Num(b))) => a.cmp(&b),
            (Quick::Date(a), Some(Quick::Date(b))) => a.cmp(&b),
            _ => return None,
        };
        if best.is_none() || order == wanted {
            best = Some(v);
        }
    }
    best
}

/// `round(number, places)`.
pub(super) fn round<'v>(vals: &[Quick<'v>]) -> Option<Quick<'v>> {
    let [x, places] = vals else { return None };
    let (Quick::Num(_) | Quick::JsonNum(_), Quick::Num(_) | Quick::JsonNum(_)) = (x, places) else {
        return None;
    };
    let places = places
        .number()?
        .to_i64()
        .and_then(|p| u32::try_from(p).ok())
        .unwrap_or(0);
    Some(Quick::Num(x.number()?.round(places)))
}

/// `abs(number)`.
pub(super) fn abs<'v>(vals: &[Quick<'v>]) -> Option<Quick<'v>> {
    let [x] = vals else { return None };
    Some(Quick::Num(x.number()?.abs()))
}

/// Whether the tests ask for the general path alone (never, outside them).
pub(super) fn general_only() -> bool {
    tests::general_only()
}

/// A constant of the rules.
fn quick_const(c: &Const) -> Option<Quick<'_>> {
    Some(match c {
        Const::Null => Quick::Null,
        Const::Bool(b) => Quick::Bool(*b),
        Const::Number(n) => Quick::Num(*n),
        Const::Str(s) => Quick::Str(s),
        Const::Date(d) => Quick::Date(*d),
        Const::Duration(d) => Quick::Dur(*d),
        Const::List(_) => return None,
    })
}

/// A run-time value held in a slot, a parameter or a definition.
fn quick_operand<'s>(v: &'s Operand<'_>) -> Option<Quick<'s>> {
    Some(match &v.val {
        RtValue::Null => Quick::Null,
        RtValue::Bool(b) => Quick::Bool(*b),
        RtValue::Num(n) => Quick::Num(*n),
        RtValue::Str(s) => Quick::Str(s),
        RtValue::Date(d) => Quick::Date(*d),
        RtValue::Dur(d) => Quick::Dur(*d),
        RtValue::Json(j) => Quick::Json(j),
        RtValue::List(items) => Quick::List(items),
        RtValue::Unknown(_) => return None,
    })
}

/// `v` against `other`: a JSON number met by anything but a number is made exact first, as
/// reading it would (one the rules cannot hold is invalid evidence: the general path says so).
fn exact<'v>(v: Quick<'v>, other: Quick<'_>) -> Option<Quick<'v>> {
    match (v, other) {
        (Quick::JsonNum(n), o) if !matches!(o, Quick::Num(_) | Quick::JsonNum(_)) => {
            Number::from_json(n).map(Quick::Num)
        }
        _ => Some(v),
    }
}

/// `l op r` where the general path gives a truth value with no reason: values of one kind
/// (a text read as a date against a date), or null against null or anything for `==` and
/// `!=`. `None` otherwise.
pub(super) fn quick_compare(op: CmpOp, l: Quick<'_>, r: Quick<'_>) -> Option<bool> {
    let (l, r) = (exact(l, r)?, exact(r, l)?);
    let ord = match (l, r) {
        (Quick::Num(a), Quick::Num(b)) => Some(a.cmp(&b)),
        // `b.cmp_json(a)` is the order of `a` to `b`.
        (Quick::JsonNum(a), Quick::Num(b)) => Some(b.cmp_json(a)?),
        (Quick::Num(a), Quick::JsonNum(b)) => Some(a.cmp_json(b)?.reverse()),
        (Quick::JsonNum(a), Quick::JsonNum(b)) => {
            Some(Number::from_json(a)?.cmp(&Number::from_json(b)?))
        }
        (Quick::Date(a), Quick::Date(b)) => Some(a.cmp(&b)),
        // Durations of months and of days order only where the calendar does not matter.
        (Quick::Dur(a), Quick::Dur(b)) => Some(a.compare(b)?),
        (Quick::Date(a), Quick::Str(s)) => Some(a.cmp(&Date::parse(s)?)),
        (Quick::Str(s), Quick::Date(b)) => Some(Date::parse(s)?.cmp(&b)),
        (Quick::Str(a), Quick::Str(b)) => Some(a.cmp(b)),
        (Quick::Bool(a), Quick::Bool(b)) => Some(a.cmp(&b)),
        (Quick::Null, Quick::Null) => Some(Ordering::Equal),
        // Null against a value of a kind: never equal; ordering them is a fault.
        (Quick::Null, Quick::Bool(_) | Quick::Num(_) | Quick::Str(_) | Quick::Date(_))
        | (Quick::Bool(_) | Quick::Num(_) | Quick::Str(_) | Quick::Date(_), Quick::Null) => None,
        _ => return None,
    };
    op.holds(ord)
}

/// The switch and the counter the tests use; in other builds, nothing.
#[cfg(not(test))]
mod tests {
    pub(super) fn general_only() -> bool {
        false
    }
    pub(super) fn answered<T>(v: Option<T>) -> Option<T> {
        v
    }
}

#[cfg(test)]
pub(super) mod tests {
    use std::cell::Cell;
    use std::path::{Path, PathBuf};

    use serde_json::Value;

    use crate::{Options, RulePack};

    thread_local! {
        /// Evaluate by the general path alone.
        static GENERAL_ONLY: Cell<bool> = const { Cell::new(false) };
        /// How many values the quick path gave.
        static ANSWERS: Cell<usize> = const { Cell::new(0) };
    }

    pub(super) fn general_only() -> bool {
        GENERAL_ONLY.with(Cell::get)
    }

    /// The report of `evidence`, as JSON text, by the general path alone (`general`) or with
    /// the quick path and fused aggregates.
    pub(in crate::eval) fn report_by(
        pack: &RulePack,
        evidence: &Value,
        options: &Options,
        general: bool,
    ) -> String {
        report(pack, evidence, options, general)
    }

    pub(super) fn answered<T>(v: Option<T>) -> Option<T> {
        if v.is_some() {
            ANSWERS.with(|a| a.set(a.get() + 1));
        }
        v
    }

    /// The JSON files under `dir`, sorted.
    fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                json_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "json") {
                out.push(path);
            }
        }
    }

    /// The report, as JSON text, by both paths or by the general path alone.
    fn report(pack: &RulePack, evidence: &Value, options: &Options, general: bool) -> String {
        GENERAL_ONLY.with(|g| g.set(general));
        let report = pack.evaluate(evidence, options);
        GENERAL_ONLY.with(|g| g.set(false));
        serde_json::to_string_pretty(&report).unwrap_or_default()
    }

    /// Every fixture of the regions' pack and every example: the same report, byte for
    /// byte, with the quick path and without it, in both languages, with evidence declared
    /// invalid and with a depth limit that evidence meets; and the quick path answers often.
    #[test]
    fn the_quick_path_changes_no_report() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let pack = RulePack::load(root.join("rules/regions")).unwrap();
        let mut files = Vec::new();
        json_files(&root.join("rules/regions/tests"), &mut files);
        json_files(&root.join("examples"), &mut files);
        assert!(files.len() > 900, "{} files", files.len());
        let swedish = Options::default().language("sv");
        let declared =
            Options::default().invalid_evidence("/sites/0/hours_records", "unreadable upload");
        // Items of sites' lists lie 4 levels deep: reading their fields meets the limit.
        let shallow = Options::default().limits(crate::limits::EvalLimits {
            max_evidence_depth: 4,
            ..crate::limits::EvalLimits::default()
        });
        let mut compared = 0;
        ANSWERS.with(|a| a.set(0));
        for path in &files {
            let text = std::fs::read_to_string(path).unwrap();
            let Ok(doc) = serde_json::from_str::<Value>(&text) else {
                continue;
            };
            let evidence = doc.get("evidence").unwrap_or(&doc);
            for options in [&Options::default(), &swedish, &declared, &shallow] {
                let both = report(&pack, evidence, options, false);
                let general = report(&pack, evidence, options, true);
                assert!(both == general, "{}: the reports differ", path.display());
                compared += 1;
            }
        }
        let answers = ANSWERS.with(Cell::get);
        assert!(compared > 3600, "{compared} reports compared");
        assert!(
            answers >= 10 * compared,
            "{answers} quick answers in {compared} reports"
        );
    }
}
