//! The builtin functions, in one table: each builtin's name, arity, argument and result types
//! (read by the checker, `check/calls.rs`), how the pack reference counts what it reads (read by
//! `tools::docs`), and its implementation (called by the evaluator). Adding a builtin is one
//! entry here; the reference evaluator of the tests and the language reference list it too.
//!
//! At run time each implementation coerces evidence values and turns wrong types into
//! `invalid` evidence.

use std::borrow::Cow;
use std::cmp::Ordering;

use serde_json::Value;

use super::fault::FaultKind;
use super::quick::{self, Quick};
use super::value::{Loc, NO_LOC, Operand, RtValue, UnknownReasons};
use super::{EvalResult, Evaluator, Fault};
use crate::date::Date;
use crate::number::Number;
use crate::program::{Builtin, Expr};

/// How many arguments a builtin takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Arity {
    /// Exactly this many.
    Exactly(usize),
    /// This many or more.
    AtLeast(usize),
}

impl Arity {
    /// Whether `n` arguments fit.
    pub(crate) fn accepts(self, n: usize) -> bool {
        match self {
            Arity::Exactly(k) => n == k,
            Arity::AtLeast(k) => n >= k,
        }
    }
}

/// What an argument must be; the text says it in a type error ("expected a date of birth").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Param {
    /// A date.
    Date(&'static str),
    /// A number.
    Number(&'static str),
    /// A text.
    Text(&'static str),
    /// A list or a text.
    ListOrText,
    /// Numbers, dates or durations, all of one type (`min`, `max`).
    Comparable,
    /// Anything (a path whose presence is tested, an item looked for).
    Any,
}

/// The type of a builtin's result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Returns {
    /// A number.
    Number,
    /// A truth value.
    Bool,
    /// A date.
    Date,
    /// A text.
    Text,
    /// The (common) type of the arguments.
    LikeArguments,
}

/// What a builtin's arguments tell about the evidence a decision needs (for the pack
/// reference and the evidence checklist).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reads {
    /// The arguments' values decide: the evidence read is needed.
    Values,
    /// Only whether the argument is there: the evidence read supports, it is not required.
    Presence,
}

/// How a builtin is computed.
#[derive(Clone, Copy)]
pub(crate) enum Implementation {
    /// Reads its arguments itself (the presence tests, which must see absent values).
    Raw(for<'a> fn(&mut Evaluator<'a>, &'a [Expr]) -> EvalResult<'a>),
    /// Gets its arguments evaluated and known (an unknown argument makes the result unknown
    /// before it is called), and the location of the first.
    Known(for<'a> fn(&mut Evaluator<'a>, &[Operand<'a>], Loc) -> EvalResult<'a>),
}

/// How the quick path computes a builtin: from known argument values, giving `None` for
/// anything the general path must explain, exactly as the implementation does otherwise.
#[derive(Clone, Copy)]
pub(crate) enum QuickCall {
    /// Not by the quick path.
    No,
    /// From the arguments' values.
    Values(for<'v> fn(&[Quick<'v>]) -> Option<Quick<'v>>),
    /// `exists` (false) or `known` (true) of its argument.
    Presence { known: bool },
}

/// One builtin.
#[derive(Clone, Copy)]
pub(crate) struct BuiltinDef {
    /// The name rules call it by.
    pub(crate) name: &'static str,
    /// How it is called, for diagnostics and documentation: `age(date_of_birth, on_date)`.
    pub(crate) signature: &'static str,
    /// How many arguments it takes.
    pub(crate) arity: Arity,
    /// What each argument must be; past the end, the last applies.
    pub(crate) params: &'static [Param],
    /// The type of the result.
    pub(crate) returns: Returns,
    /// What its arguments tell about the evidence a decision needs.
    #[cfg_attr(not(feature = "tools"), allow(dead_code))]
    pub(crate) reads: Reads,
    /// How it is computed.
    pub(crate) implementation: Implementation,
    /// How the quick path computes it, where it can (see `eval/quick.rs`).
    pub(crate) quick: QuickCall,
}

impl BuiltinDef {
    /// What argument `i` must be.
    pub(crate) fn param(&self, i: usize) -> Param {
        self.params
            .get(i)
            .or(self.params.last())
            .copied()
            .unwrap_or(Param::Any)
    }
}

/// Every builtin; a [`Builtin`] is a place in this table.
pub(crate) static BUILTINS: [BuiltinDef; 19] = [
    BuiltinDef {
        name: "age",
        signature: "age(date_of_birth, on_date)",
        arity: Arity::Exactly(2),
        params: &[
            Param::Date("a date of birth"),
            Param::Date("the date the age is taken on"),
        ],
        returns: Returns::Number,
        reads: Reads::Values,
        implementation: Implementation::Known(age),
        quick: QuickCall::Values(quick::age),
    },
    BuiltinDef {
        name: "date",
        signature: "date(\"YYYY-MM-DD\")",
        arity: Arity::Exactly(1),
        params: &[Param::Text("a text like \"2024-10-31\"")],
        returns: Returns::Date,
        reads: Reads::Values,
        implementation: Implementation::Known(date),
        quick: QuickCall::Values(quick::date),
    },
    BuiltinDef {
        name: "lower",
        signature: "lower(text)",
        arity: Arity::Exactly(1),
        params: &[Param::Text("a text")],
        returns: Returns::Text,
        reads: Reads::Values,
        implementation: Implementation::Known(lower),
        quick: QuickCall::No,
    },
    BuiltinDef {
        name: "upper",
        signature: "upper(text)",
        arity: Arity::Exactly(1),
        params: &[Param::Text("a text")],
        returns: Returns::Text,
        reads: Reads::Values,
        implementation: Implementation::Known(upper),
        quick: QuickCall::No,
    },
    BuiltinDef {
        name: "contains",
        signature: "contains(list_or_text, item)",
        arity: Arity::Exactly(2),
        params: &[Param::ListOrText, Param::Any],
        returns: Returns::Bool,
        reads: Reads::Values,
        implementation: Implementation::Known(contains),
        quick: QuickCall::No,
    },
    BuiltinDef {
        name: "starts_with",
        signature: "starts_with(text, prefix)",
        arity: Arity::Exactly(2),
        params: &[Param::Text("a text")],
        returns: Returns::Bool,
        reads: Reads::Values,
        implementation: Implementation::Known(starts_with),
        quick: QuickCall::Values(quick::starts_with),
    },
    BuiltinDef {
        name: "ends_with",
        signature: "ends_with(text, suffix)",
        arity: Arity::Exactly(2),
        params: &[Param::Text("a text")],
        returns: Returns::Bool,
        reads: Reads::Values,
        implementation: Implementation::Known(ends_with),
        quick: QuickCall::Values(quick::ends_with),
    },
    BuiltinDef {
        name: "length",
        signature: "length(list_or_text)",
        arity: Arity::Exactly(1),
        params: &[Param::ListOrText],
        returns: Returns::Number,
        reads: Reads::Values,
        implementation: Implementation::Known(length),
        quick: QuickCall::Values(quick::length),
    },
    BuiltinDef {
        name: "min",
        signature: "min(a, b, …)",
        arity: Arity::AtLeast(2),
        params: &[Param::Comparable],
        returns: Returns::LikeArguments,
        reads: Reads::Values,
        implementation: Implementation::Known(min),
        quick: QuickCall::Values(quick::min),
    },
    BuiltinDef {
        name: "max",
        signature: "max(a, b, …)",
        arity: Arity::AtLeast(2),
        params: &[Param::Comparable],
        returns: Returns::LikeArguments,
        reads: Reads::Values,
        implementation: Implementation::Known(max),
        quick: QuickCall::Values(quick::max),
    },
    BuiltinDef {
        name: "exists",
        signature: "exists(path)",
        arity: Arity::Exactly(1),
        params: &[Param::Any],
        returns: Returns::Bool,
        reads: Reads::Presence,
        implementation: Implementation::Raw(exists),
        quick: QuickCall::Presence { known: false },
    },
    BuiltinDef {
        name: "known",
        signature: "known(path)",
        arity: Arity::Exactly(1),
        params: &[Param::Any],
        returns: Returns::Bool,
        reads: Reads::Presence,
        implementation: Implementation::Raw(known),
        quick: QuickCall::Presence { known: true },
    },
    BuiltinDef {
        name: "round",
        signature: "round(number, places)",
        arity: Arity::Exactly(2),
        params: &[Param::Number("a number"), Param::Number("decimal places")],
        returns: Returns::Number,
        reads: Reads::Values,
        implementation: Implementation::Known(round),
        quick: QuickCall::Values(quick::round),
    },
    BuiltinDef {
        name: "abs",
        signature: "abs(number)",
        arity: Arity::Exactly(1),
        params: &[Param::Number("a number")],
        returns: Returns::Number,
        reads: Reads::Values,
        implementation: Implementation::Known(abs),
        quick: QuickCall::Values(quick::abs),
    },
    BuiltinDef {
        name: "days_between",
        signature: "days_between(from, to)",
        arity: Arity::Exactly(2),
        params: &[Param::Date("a date")],
        returns: Returns::Number,
        reads: Reads::Values,
        implementation: Implementation::Known(days_between),
        quick: QuickCall::Values(quick::days_between),
    },
    BuiltinDef {
        name: "outcome",
        signature: "outcome(\"clause.id\")",
        arity: Arity::Exactly(1),
        params: &[Param::Text("a clause id")],
        returns: Returns::Text,
        reads: Reads::Values,
        implementation: Implementation::Known(super::refs::outcome),
        quick: QuickCall::No,
    },
    BuiltinDef {
        name: "violated",
        signature: "violated(\"clause.id\")",
        arity: Arity::Exactly(1),
        params: &[Param::Text("a clause id")],
        returns: Returns::Bool,
        reads: Reads::Values,
        implementation: Implementation::Known(super::refs::violated),
        quick: QuickCall::No,
    },
    BuiltinDef {
        name: "violated_for",
        signature: "violated_for(\"clause.id\", key)",
        arity: Arity::Exactly(2),
        params: &[Param::Text("a clause id"), Param::Any],
        returns: Returns::Bool,
        reads: Reads::Values,
        implementation: Implementation::Known(super::refs::violated_for),
        quick: QuickCall::No,
    },
    BuiltinDef {
        name: "title_of",
        signature: "title_of(\"clause.id\")",
        arity: Arity::Exactly(1),
        params: &[Param::Text("a clause id")],
        returns: Returns::Text,
        reads: Reads::Values,
        implementation: Implementation::Known(super::refs::title_of),
        quick: QuickCall::No,
    },
];

/// The table entry of a builtin.
pub(crate) fn builtin_def(builtin: Builtin) -> &'static BuiltinDef {
    // INVARIANT: a `Builtin` is only made by `builtin_named`, from a place in the table.
    let [first, ..] = &BUILTINS;
    BUILTINS.get(usize::from(builtin.0)).unwrap_or(first)
}

/// The builtin a rule calls by `name`.
pub(crate) fn builtin_named(name: &str) -> Option<(Builtin, &'static BuiltinDef)> {
    let at = BUILTINS.iter().position(|d| d.name == name)?;
    Some((Builtin(u8::try_from(at).ok()?), BUILTINS.get(at)?))
}

/// Whether `builtin` is the one called `name`.
pub(crate) fn is(builtin: Builtin, name: &str) -> bool {
    builtin_def(builtin).name == name
}

impl<'a> Evaluator<'a> {
    /// Calls a builtin on its argument expressions.
    pub(super) fn call(&mut self, b: Builtin, args: &'a [Expr]) -> EvalResult<'a> {
        match builtin_def(b).implementation {
            Implementation::Raw(f) => f(self, args),
            Implementation::Known(f) => {
                // Up to four arguments (every builtin but a few) without a list on the heap.
                let null = || Operand::new(RtValue::Null);
                let mut small: [Operand<'a>; 4] = [null(), null(), null(), null()];
                let mut large: Vec<Operand<'a>> = Vec::new();
                let vals: &mut [Operand<'a>] = match small.get_mut(..args.len()) {
                    Some(vals) => vals,
                    None => {
                        large.resize(args.len(), null());
                        &mut large
                    }
                };
                for (slot, a) in vals.iter_mut().zip(args) {
                    *slot = self.eval(a)?;
                }
                let vals: &[Operand<'a>] = vals;
                // Unknown arguments make the result unknown, with every reason.
                let mut why: Option<UnknownReasons> = None;
                for v in vals {
                    if let Some(w) = v.why() {
                        why.get_or_insert_with(UnknownReasons::default).merge(w);
                    }
                }
                let loc = vals.first().map_or(NO_LOC, |v| v.loc);
                if let Some(w) = why {
                    return Ok(Operand::unknown(w, loc));
                }
                f(self, vals, loc)
            }
        }
    }
}

/// Argument `i`, or `null` past the end (the checker has checked the arity).
fn arg<'a>(vals: &[Operand<'a>], i: usize) -> Operand<'a> {
    vals.get(i).cloned().unwrap_or(Operand::new(RtValue::Null))
}

/// `known(path)`: present and of the declared shape, neither missing nor invalid.
/// An absent path is not known, and nothing is built to say why (no pointer, no reasons).
fn known<'a>(ev: &mut Evaluator<'a>, args: &'a [Expr]) -> EvalResult<'a> {
    let v = match args.first() {
        Some(a) => match ev.eval_or_absent(a)? {
            Ok(v) => v,
            Err(at) => return Ok(Operand::at(RtValue::Bool(false), at)),
        },
        None => return Ok(Operand::bool(false)),
    };
    let known = !matches!(v.val, RtValue::Unknown(_) | RtValue::Null);
    Ok(Operand::at(RtValue::Bool(known), v.loc))
}

/// `exists(path)`: present, even if invalid.
fn exists<'a>(ev: &mut Evaluator<'a>, args: &'a [Expr]) -> EvalResult<'a> {
    let v = match args.first() {
        Some(a) => match ev.eval_or_absent(a)? {
            Ok(v) => v,
            Err(at) => return Ok(Operand::at(RtValue::Bool(false), at)),
        },
        None => return Ok(Operand::bool(false)),
    };
    let present = match &v.val {
        RtValue::Unknown(w) => !w.is_missing_only(),
        RtValue::Null => false,
        _ => true,
    };
    Ok(Operand::at(RtValue::Bool(present), v.loc))
}

/// The two dates of `age` and `days_between`, or why they are unknown.
fn two_dates<'a>(
    ev: &mut Evaluator<'a>,
    vals: &[Operand<'a>],
    loc: Loc,
) -> Result<Result<(Operand<'a>, Date, Date), Operand<'a>>, Fault> {
    let a = match ev.as_date(arg(vals, 0)) {
        Ok(v) => v,
        Err(w) => return Ok(Err(Operand::unknown(w, loc))),
    };
    let on = match ev.as_date(arg(vals, 1)) {
        Ok(v) => v,
        Err(w) => return Ok(Err(Operand::unknown(w, loc))),
    };
    let (RtValue::Date(from), RtValue::Date(to)) = (&a.val, &on.val) else {
        return Err(FaultKind::NotDates.into());
    };
    let (from, to) = (*from, *to);
    Ok(Ok((a, from, to)))
}

/// `days_between(from, to)`.
fn days_between<'a>(ev: &mut Evaluator<'a>, vals: &[Operand<'a>], loc: Loc) -> EvalResult<'a> {
    let (_, from, to) = match two_dates(ev, vals, loc)? {
        Ok(dates) => dates,
        Err(unknown) => return Ok(unknown),
    };
    let days = to.days_since(from);
    Ok(Operand::at(
        RtValue::Num(Number::from_i64(days).unwrap_or(Number::ZERO)),
        loc,
    ))
}

/// `age(date_of_birth, on_date)`.
fn age<'a>(ev: &mut Evaluator<'a>, vals: &[Operand<'a>], loc: Loc) -> EvalResult<'a> {
    let (a, from, to) = match two_dates(ev, vals, loc)? {
        Ok(dates) => dates,
        Err(unknown) => return Ok(unknown),
    };
    match Date::age_on(from, to) {
        Some(age) => Ok(Operand::at(
            RtValue::Num(Number::from_i64(age).unwrap_or(Number::ZERO)),
            a.loc,
        )),
        None => Ok(ev.invalid(a.loc, format!("date of birth `{from}` is after `{to}`"))),
    }
}

/// `date(text)`.
fn date<'a>(ev: &mut Evaluator<'a>, vals: &[Operand<'a>], loc: Loc) -> EvalResult<'a> {
    match ev.as_date(arg(vals, 0)) {
        Ok(v) => Ok(v),
        Err(w) => Ok(Operand::unknown(w, loc)),
    }
}

/// `lower(text)`.
fn lower<'a>(ev: &mut Evaluator<'a>, vals: &[Operand<'a>], _: Loc) -> EvalResult<'a> {
    change_case(ev, vals, str::to_lowercase)
}

/// `upper(text)`.
fn upper<'a>(ev: &mut Evaluator<'a>, vals: &[Operand<'a>], _: Loc) -> EvalResult<'a> {
    change_case(ev, vals, str::to_uppercase)
}

/// A text in another case.
fn change_case<'a>(
    ev: &mut Evaluator<'a>,
    vals: &[Operand<'a>],
    change: fn(&str) -> String,
) -> EvalResult<'a> {
    let v = arg(vals, 0);
    match &v.val {
        RtValue::Str(s) => Ok(Operand::at(RtValue::Str(Cow::Owned(change(s))), v.loc)),
        _ => ev.type_error(&v, "a text"),
    }
}

/// `starts_with(text, prefix)`.
fn starts_with<'a>(ev: &mut Evaluator<'a>, vals: &[Operand<'a>], _: Loc) -> EvalResult<'a> {
    affix(ev, vals, |text, prefix| text.starts_with(prefix))
}

/// `ends_with(text, suffix)`.
fn ends_with<'a>(ev: &mut Evaluator<'a>, vals: &[Operand<'a>], _: Loc) -> EvalResult<'a> {
    affix(ev, vals, |text, suffix| text.ends_with(suffix))
}

/// Whether a text has a prefix or suffix.
fn affix<'a>(
    ev: &mut Evaluator<'a>,
    vals: &[Operand<'a>],
    test: fn(&str, &str) -> bool,
) -> EvalResult<'a> {
    let (s, p) = (arg(vals, 0), arg(vals, 1));
    match (&s.val, &p.val) {
        (RtValue::Str(s1), RtValue::Str(p1)) => Ok(Operand::at(RtValue::Bool(test(s1, p1)), s.loc)),
        (RtValue::Str(_), _) => ev.type_error(&p, "a text"),
        _ => ev.type_error(&s, "a text"),
    }
}

/// `contains(list_or_text, item)`: membership, as `item in list`.
fn contains<'a>(ev: &mut Evaluator<'a>, vals: &[Operand<'a>], _: Loc) -> EvalResult<'a> {
    ev.member(&arg(vals, 1), &arg(vals, 0))
}

/// `length(list_or_text)`.
fn length<'a>(ev: &mut Evaluator<'a>, vals: &[Operand<'a>], _: Loc) -> EvalResult<'a> {
    let v = arg(vals, 0);
    let n = match &v.val {
        RtValue::Str(s) => s.chars().count(),
        RtValue::List(items) => items.len(),
        RtValue::Json(Value::Array(items)) => items.len(),
        _ => return ev.type_error(&v, "a list or a text"),
    };
    let n = i64::try_from(n)
        .ok()
        .and_then(Number::from_i64)
        .unwrap_or(Number::ZERO);
    Ok(Operand::at(RtValue::Num(n), v.loc))
}

/// `min(a, b, …)`.
fn min<'a>(ev: &mut Evaluator<'a>, vals: &[Operand<'a>], loc: Loc) -> EvalResult<'a> {
    extreme(ev, vals, loc, Ordering::Less)
}

/// `max(a, b, …)`.
fn max<'a>(ev: &mut Evaluator<'a>, vals: &[Operand<'a>], loc: Loc) -> EvalResult<'a> {
    extreme(ev, vals, loc, Ordering::Greater)
}

/// The least or greatest of numbers, dates (texts read as dates) or durations.
fn extreme<'a>(
    ev: &mut Evaluator<'a>,
    vals: &[Operand<'a>],
    loc: Loc,
    wanted: Ordering,
) -> EvalResult<'a> {
    let mut best: Option<Operand<'a>> = None;
    for v in vals {
        let v = if matches!(v.val, RtValue::Str(_)) {
            match ev.as_date(v.clone()) {
                Ok(d) => d,
                Err(w) => return Ok(Operand::unknown(w, loc)),
            }
        } else {
            v.clone()
        };
        best = Some(match best {
            None => v,
            Some(cur) => match ev.order(&v, &cur)? {
                Ok(Some(o)) => {
                    if o == wanted {
                        v
                    } else {
                        cur
                    }
                }
                Ok(None) => return Err(FaultKind::MinMaxUnordered.into()),
                Err(w) => return Ok(Operand::unknown(w, loc)),
            },
        });
    }
    Ok(best.unwrap_or(Operand::new(RtValue::Null)))
}

/// `round(number, places)`.
fn round<'a>(ev: &mut Evaluator<'a>, vals: &[Operand<'a>], _: Loc) -> EvalResult<'a> {
    let (x, p) = (arg(vals, 0), arg(vals, 1));
    match (&x.val, &p.val) {
        (RtValue::Num(n), RtValue::Num(places)) => {
            let places = places
                .to_i64()
                .and_then(|p| u32::try_from(p).ok())
                .unwrap_or(0);
            Ok(Operand::at(RtValue::Num(n.round(places)), x.loc))
        }
        (RtValue::Num(_), _) => ev.type_error(&p, "a number of places"),
        _ => ev.type_error(&x, "a number"),
    }
}

/// `abs(number)`.
fn abs<'a>(ev: &mut Evaluator<'a>, vals: &[Operand<'a>], _: Loc) -> EvalResult<'a> {
    let x = arg(vals, 0);
    match &x.val {
        RtValue::Num(n) => Ok(Operand::at(RtValue::Num(n.abs()), x.loc)),
        _ => ev.type_error(&x, "a number"),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn every_builtin_is_found_by_its_name() {
        for (i, def) in BUILTINS.iter().enumerate() {
            let (id, found) = builtin_named(def.name).unwrap();
            assert_eq!(usize::from(id.0), i, "{} is found elsewhere", def.name);
            assert!(std::ptr::eq(found, def) && std::ptr::eq(builtin_def(id), def));
            assert!(is(id, def.name));
            assert!(def.signature.starts_with(def.name), "{}", def.signature);
            assert!(!def.params.is_empty(), "{}", def.name);
        }
        assert!(builtin_named("nope").is_none());
    }
}
