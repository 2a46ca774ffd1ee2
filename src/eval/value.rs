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
pub(crate) struct UnknownReasons {
    pub(crate) missing: Vec<String>,
    pub(crate) invalid: Vec<(String, String)>,
}

impl UnknownReasons {
    pub(crate) fn merge(&mut self, other: &UnknownReasons) {
        self.missing.extend(other.missing.iter().cloned());
        self.invalid.extend(other.invalid.iter().cloned());
    }
    pub(crate) fn is_missing_only(&self) -> bool {
        self.invalid.is_empty()
    }
}

#[derive(Clone, Debug)]
pub(crate) enum RtValue<'a> {
    Null,
    Bool(bool),
    Num(Number),
    Str(Cow<'a, str>),
    Date(Date),
    Dur(Duration),
    List(Rc<[Operand<'a>]>),
    /// An evidence object or array, read in place.
    Json(&'a Value),
    Unknown(Rc<UnknownReasons>),
}

/// A value and where it came from.
#[derive(Clone, Debug)]
pub(crate) struct Operand<'a> {
    pub(crate) val: RtValue<'a>,
    pub(crate) loc: Loc,
}

impl<'a> Operand<'a> {
    pub(crate) fn new(val: RtValue<'a>) -> Operand<'a> {
        Operand { val, loc: NO_LOC }
    }
    pub(crate) fn at(val: RtValue<'a>, loc: Loc) -> Operand<'a> {
        Operand { val, loc }
    }
    pub(crate) fn bool(b: bool) -> Operand<'a> {
        Operand::new(RtValue::Bool(b))
    }
    pub(crate) fn unknown(why: UnknownReasons, loc: Loc) -> Operand<'a> {
        Operand {
            val: RtValue::Unknown(Rc::new(why)),
            loc,
        }
    }
    pub(crate) fn why(&self) -> Option<&Rc<UnknownReasons>> {
        match &self.val {
            RtValue::Unknown(w) => Some(w),
            _ => None,
        }
    }

    /// The JSON form of the value, for `actual` in a violation.
    pub(crate) fn to_json(&self) -> Value {
        match &self.val {
            RtValue::Null | RtValue::Unknown(_) => Value::Null,
            RtValue::Bool(b) => Value::Bool(*b),
            RtValue::Num(n) => n.to_json(),
            RtValue::Str(s) => Value::String(s.to_string()),
            RtValue::Date(d) => Value::String(d.to_string()),
            RtValue::Dur(d) => Value::String(d.to_string()),
            RtValue::List(items) => Value::Array(items.iter().map(Operand::to_json).collect()),
            RtValue::Json(v) => bounded(v, RENDER_DEPTH),
        }
    }

    /// How the value reads in `expected`: strings quoted, the rest plain.
    pub(crate) fn display_code(&self) -> String {
        match &self.val {
            RtValue::Str(s) => format!("{s:?}"),
            RtValue::List(items) => {
                let inner: Vec<String> = items.iter().map(Operand::display_code).collect();
                format!("[{}]", inner.join(", "))
            }
            _ => self.display_text(false),
        }
    }

    /// How the value reads in a message: strings bare; `percent` shows a share as `22%`.
    pub(crate) fn display_text(&self, percent: bool) -> String {
        match &self.val {
            RtValue::Null => "null".into(),
            RtValue::Unknown(_) => "unknown".into(),
            RtValue::Bool(b) => b.to_string(),
            RtValue::Num(n) => {
                if percent {
                    let hundred = Number::from_i64(100).unwrap_or(Number::ONE);
                    n.checked_mul(hundred)
                        .map_or_else(|| n.to_string(), |p| format!("{}%", p.round(1)))
                } else {
                    n.to_string()
                }
            }
            RtValue::Str(s) => s.to_string(),
            RtValue::Date(d) => d.to_string(),
            RtValue::Dur(d) => d.to_string(),
            RtValue::List(items) => {
                let inner: Vec<String> = items.iter().map(|v| v.display_text(percent)).collect();
                inner.join(", ")
            }
            RtValue::Json(v) => {
                let mut s = String::new();
                let _ = write!(s, "{}", bounded(v, RENDER_DEPTH));
                s
            }
        }
    }

    /// A short description of the kind of value, for `invalid` reasons.
    pub(crate) fn describe(&self) -> String {
        match &self.val {
            RtValue::Null => "null".into(),
            RtValue::Unknown(_) => "`unknown`".into(),
            RtValue::Bool(b) => format!("`{b}`"),
            RtValue::Num(n) => format!("`{n}`"),
            RtValue::Str(s) => {
                let short: String = s.chars().take(40).collect();
                format!("{short:?}")
            }
            RtValue::Date(d) => format!("`{d}`"),
            RtValue::Dur(d) => format!("`{d}`"),
            RtValue::List(_) => "a list".into(),
            RtValue::Json(Value::Array(_)) => "a list".into(),
            RtValue::Json(_) => "an object".into(),
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

/// How many levels of an evidence object or array a report shows (in `actual`, a message, a
/// subject): deeper containers show as `null`. Evidence given to the library as a
/// `serde_json::Value` may nest without limit, and `serde_json` copies, prints and compares
/// values by recursion.
pub(crate) const RENDER_DEPTH: usize = 128;

/// A copy of `v` down to `levels` levels of containers; deeper ones are `null`. Recurses at
/// most `levels` times.
pub(crate) fn bounded(v: &Value, levels: usize) -> Value {
    match v {
        Value::Array(items) if levels > 0 => {
            Value::Array(items.iter().map(|x| bounded(x, levels - 1)).collect())
        }
        Value::Object(map) if levels > 0 => Value::Object(
            map.iter()
                .map(|(k, x)| (k.clone(), bounded(x, levels - 1)))
                .collect(),
        ),
        Value::Array(_) | Value::Object(_) => Value::Null,
        scalar => scalar.clone(),
    }
}

/// Whether two evidence values are equal (as `==` on `serde_json::Value`: objects
/// regardless of key order), compared without recursion.
pub(crate) fn json_eq(a: &Value, b: &Value) -> bool {
    let mut pending = vec![(a, b)];
    while let Some((a, b)) = pending.pop() {
        match (a, b) {
            (Value::Array(x), Value::Array(y)) => {
                if x.len() != y.len() {
                    return false;
                }
                pending.extend(x.iter().zip(y));
            }
            (Value::Object(x), Value::Object(y)) => {
                if x.len() != y.len() {
                    return false;
                }
                for (k, v) in x {
                    match y.get(k) {
                        Some(w) => pending.push((v, w)),
                        None => return false,
                    }
                }
            }
            (Value::Array(_) | Value::Object(_), _) | (_, Value::Array(_) | Value::Object(_)) => {
                return false;
            }
            (a, b) => {
                if a != b {
                    return false;
                }
            }
        }
    }
    true
}
