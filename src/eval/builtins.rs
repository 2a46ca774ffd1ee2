//! Builtin functions at run time. Their signatures are checked in `check/expr.rs`; here each
//! coerces evidence values and turns wrong types into `invalid` evidence.

use std::borrow::Cow;
use std::cmp::Ordering;

use serde_json::Value;

use super::value::{Operand, RtValue, UnknownReasons};
use super::{EvalResult, Evaluator, Fault};
use crate::date::Date;
use crate::number::Number;
use crate::program::{Builtin, Expr};

impl<'a> Evaluator<'a> {
    pub(super) fn call(&mut self, b: Builtin, args: &'a [Expr]) -> EvalResult<'a> {
        if b == Builtin::Known {
            // Present and of the declared shape: neither missing nor invalid.
            let v = match args.first() {
                Some(a) => self.eval(a)?,
                None => return Ok(Operand::bool(false)),
            };
            let known = !matches!(v.val, RtValue::Unknown(_) | RtValue::Null);
            return Ok(Operand::at(RtValue::Bool(known), v.loc));
        }
        if b == Builtin::Exists {
            let v = match args.first() {
                Some(a) => match self.eval_or_absent(a)? {
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
            return Ok(Operand::at(RtValue::Bool(present), v.loc));
        }
        let mut vals = Vec::with_capacity(args.len());
        for a in args {
            vals.push(self.eval(a)?);
        }
        // Unknown arguments make the result unknown, with every reason.
        let mut why: Option<UnknownReasons> = None;
        for v in &vals {
            if let Some(w) = v.why() {
                why.get_or_insert_with(UnknownReasons::default).merge(w);
            }
        }
        let loc = vals.first().map_or(super::value::NO_LOC, |v| v.loc);
        if let Some(w) = why {
            return Ok(Operand::unknown(w, loc));
        }
        let arg = |i: usize| vals.get(i).cloned().unwrap_or(Operand::new(RtValue::Null));
        match b {
            Builtin::Age | Builtin::DaysBetween => {
                let a = match self.as_date(arg(0)) {
                    Ok(v) => v,
                    Err(w) => return Ok(Operand::unknown(w, loc)),
                };
                let on = match self.as_date(arg(1)) {
                    Ok(v) => v,
                    Err(w) => return Ok(Operand::unknown(w, loc)),
                };
                let (RtValue::Date(from), RtValue::Date(to)) = (&a.val, &on.val) else {
                    return Err(Fault::NotDates);
                };
                if b == Builtin::DaysBetween {
                    let days = to.days_since(*from);
                    return Ok(Operand::at(
                        RtValue::Num(Number::from_i64(days).unwrap_or(Number::ZERO)),
                        loc,
                    ));
                }
                match Date::age_on(*from, *to) {
                    Some(age) => Ok(Operand::at(
                        RtValue::Num(Number::from_i64(age).unwrap_or(Number::ZERO)),
                        a.loc,
                    )),
                    None => {
                        Ok(self.invalid(a.loc, format!("date of birth `{from}` is after `{to}`")))
                    }
                }
            }
            Builtin::Date => match self.as_date(arg(0)) {
                Ok(v) => Ok(v),
                Err(w) => Ok(Operand::unknown(w, loc)),
            },
            Builtin::Lower | Builtin::Upper => {
                let v = arg(0);
                match &v.val {
                    RtValue::Str(s) => {
                        let out = if b == Builtin::Lower {
                            s.to_lowercase()
                        } else {
                            s.to_uppercase()
                        };
                        Ok(Operand::at(RtValue::Str(Cow::Owned(out)), v.loc))
                    }
                    _ => self.type_error(&v, "a text"),
                }
            }
            Builtin::StartsWith | Builtin::EndsWith => {
                let (s, p) = (arg(0), arg(1));
                match (&s.val, &p.val) {
                    (RtValue::Str(s1), RtValue::Str(p1)) => {
                        let r = if b == Builtin::StartsWith {
                            s1.starts_with(p1.as_ref())
                        } else {
                            s1.ends_with(p1.as_ref())
                        };
                        Ok(Operand::at(RtValue::Bool(r), s.loc))
                    }
                    (RtValue::Str(_), _) => self.type_error(&p, "a text"),
                    _ => self.type_error(&s, "a text"),
                }
            }
            Builtin::Contains => self.member(&arg(1), &arg(0)),
            Builtin::Length => {
                let v = arg(0);
                let n = match &v.val {
                    RtValue::Str(s) => s.chars().count(),
                    RtValue::List(items) => items.len(),
                    RtValue::Json(Value::Array(items)) => items.len(),
                    _ => return self.type_error(&v, "a list or a text"),
                };
                let n = i64::try_from(n)
                    .ok()
                    .and_then(Number::from_i64)
                    .unwrap_or(Number::ZERO);
                Ok(Operand::at(RtValue::Num(n), v.loc))
            }
            Builtin::Min | Builtin::Max => {
                let mut best: Option<Operand<'a>> = None;
                for v in vals {
                    let v = if matches!(v.val, RtValue::Str(_)) {
                        match self.as_date(v) {
                            Ok(d) => d,
                            Err(w) => return Ok(Operand::unknown(w, loc)),
                        }
                    } else {
                        v
                    };
                    best = Some(match best {
                        None => v,
                        Some(cur) => match self.order(&v, &cur)? {
                            Ok(Some(o)) => {
                                let take = if b == Builtin::Min {
                                    o == Ordering::Less
                                } else {
                                    o == Ordering::Greater
                                };
                                if take { v } else { cur }
                            }
                            Ok(None) => {
                                return Err(Fault::MinMaxUnordered);
                            }
                            Err(w) => return Ok(Operand::unknown(w, loc)),
                        },
                    });
                }
                Ok(best.unwrap_or(Operand::new(RtValue::Null)))
            }
            Builtin::Round => {
                let (x, p) = (arg(0), arg(1));
                match (&x.val, &p.val) {
                    (RtValue::Num(n), RtValue::Num(places)) => {
                        let places = places
                            .to_i64()
                            .and_then(|p| u32::try_from(p).ok())
                            .unwrap_or(0);
                        Ok(Operand::at(RtValue::Num(n.round(places)), x.loc))
                    }
                    (RtValue::Num(_), _) => self.type_error(&p, "a number of places"),
                    _ => self.type_error(&x, "a number"),
                }
            }
            Builtin::Abs => {
                let x = arg(0);
                match &x.val {
                    RtValue::Num(n) => Ok(Operand::at(RtValue::Num(n.abs()), x.loc)),
                    _ => self.type_error(&x, "a number"),
                }
            }
            Builtin::Exists | Builtin::Known => Ok(Operand::bool(true)),
        }
    }
}
