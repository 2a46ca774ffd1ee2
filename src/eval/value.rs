//! Run-time values. Evidence is read in place: strings borrow from the document, objects and
//! arrays stay `&serde_json::Value`. Every value remembers where in the evidence it came from
//! (an index into the evaluator's path arena), so a violation can name its JSON Pointer.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::rc::Rc;

use serde_json::Value;

use crate::date::{Date, Duration};
use crate::number::Number;

/// An index into the path arena; [`NO_LOC`] for computed values.
pub(crate) type Loc = u32;
/// A value that does not come from the evidence.
pub(crate) const NO_LOC: Loc = u32::MAX;
/// The evidence document itself (pointer `""`).
pub(crate) const ROOT_LOC: Loc = 0;

/// Why a value is unknown: the evidence that was missing or invalid.
#[derive(Clone, Debug, Default)]
pub(crate) struct Why {
    pub(crate) missing: Vec<String>,
    pub(crate) invalid: Vec<(String, String)>,
}

impl Why {
    pub(crate) fn merge(&mut self, other: &Why) {
        self.missing.extend(other.missing.iter().cloned());
        self.invalid.extend(other.invalid.iter().cloned());
    }
    pub(crate) fn is_missing_only(&self) -> bool {
        self.invalid.is_empty()
    }
}

#[derive(Clone, Debug)]
pub(crate) enum Val<'a> {
    Null,
    Bool(bool),
    Num(Number),
    Str(Cow<'a, str>),
    Date(Date),
    Dur(Duration),
    List(Rc<[V<'a>]>),
    /// An evidence object or array, read in place.
    Json(&'a Value),
    Unknown(Rc<Why>),
}

/// A value and where it came from.
#[derive(Clone, Debug)]
pub(crate) struct V<'a> {
    pub(crate) val: Val<'a>,
    pub(crate) loc: Loc,
}

impl<'a> V<'a> {
    pub(crate) fn new(val: Val<'a>) -> V<'a> {
        V { val, loc: NO_LOC }
    }
    pub(crate) fn at(val: Val<'a>, loc: Loc) -> V<'a> {
        V { val, loc }
    }
    pub(crate) fn bool(b: bool) -> V<'a> {
        V::new(Val::Bool(b))
    }
    pub(crate) fn unknown(why: Why, loc: Loc) -> V<'a> {
        V {
            val: Val::Unknown(Rc::new(why)),
            loc,
        }
    }
    pub(crate) fn why(&self) -> Option<&Rc<Why>> {
        match &self.val {
            Val::Unknown(w) => Some(w),
            _ => None,
        }
    }

    /// The JSON form of the value, for `actual` in a violation.
    pub(crate) fn to_json(&self) -> Value {
        match &self.val {
            Val::Null | Val::Unknown(_) => Value::Null,
            Val::Bool(b) => Value::Bool(*b),
            Val::Num(n) => n.to_json(),
            Val::Str(s) => Value::String(s.to_string()),
            Val::Date(d) => Value::String(d.to_string()),
            Val::Dur(d) => Value::String(d.to_string()),
            Val::List(items) => Value::Array(items.iter().map(V::to_json).collect()),
            Val::Json(v) => (*v).clone(),
        }
    }

    /// How the value reads in `expected`: strings quoted, the rest plain.
    pub(crate) fn display_code(&self) -> String {
        match &self.val {
            Val::Str(s) => format!("{s:?}"),
            Val::List(items) => {
                let inner: Vec<String> = items.iter().map(V::display_code).collect();
                format!("[{}]", inner.join(", "))
            }
            _ => self.display_text(false),
        }
    }

    /// How the value reads in a message: strings bare; `percent` shows a share as `22%`.
    pub(crate) fn display_text(&self, percent: bool) -> String {
        match &self.val {
            Val::Null => "null".into(),
            Val::Unknown(_) => "unknown".into(),
            Val::Bool(b) => b.to_string(),
            Val::Num(n) => {
                if percent {
                    let hundred = Number::from_i64(100).unwrap_or(Number::ONE);
                    n.checked_mul(hundred)
                        .map_or_else(|| n.to_string(), |p| format!("{}%", p.round(1)))
                } else {
                    n.to_string()
                }
            }
            Val::Str(s) => s.to_string(),
            Val::Date(d) => d.to_string(),
            Val::Dur(d) => d.to_string(),
            Val::List(items) => {
                let inner: Vec<String> = items.iter().map(|v| v.display_text(percent)).collect();
                inner.join(", ")
            }
            Val::Json(v) => {
                let mut s = String::new();
                let _ = write!(s, "{v}");
                s
            }
        }
    }

    /// A short description of the kind of value, for `invalid` reasons.
    pub(crate) fn describe(&self) -> String {
        match &self.val {
            Val::Null => "null".into(),
            Val::Unknown(_) => "`unknown`".into(),
            Val::Bool(b) => format!("`{b}`"),
            Val::Num(n) => format!("`{n}`"),
            Val::Str(s) => {
                let short: String = s.chars().take(40).collect();
                format!("{short:?}")
            }
            Val::Date(d) => format!("`{d}`"),
            Val::Dur(d) => format!("`{d}`"),
            Val::List(_) => "a list".into(),
            Val::Json(Value::Array(_)) => "a list".into(),
            Val::Json(_) => "an object".into(),
        }
    }
}

/// Describes a raw JSON value for `invalid` reasons.
pub(crate) fn describe_json(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("`{n}`"),
        Value::String(s) => {
            let short: String = s.chars().take(40).collect();
            format!("{short:?}")
        }
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
    }
}
