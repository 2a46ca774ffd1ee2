//! Checks an evidence document against the shape a pack declares (`evidence { … }`) before
//! evaluation, and lists every place where it departs, by JSON Pointer.
//!
//! Only values that are present and not `null` can depart: absent and `null` fields are
//! unknown evidence, judged by the clauses that read them. Fields the declaration does not list
//! are accepted (evidence may carry more than a pack reads), and `any` accepts every value.

use std::cmp::Ordering;

use serde::Serialize;
use serde_json::Value;

use crate::date::Date;
use crate::eval::pointer_segment;
use crate::number::Number;
use crate::pack::RulePack;
use crate::program::{Shape, ShapeId, Type};

/// At most this many departures are listed; when there are more, a final marker entry
/// (see [`Departure::is_marker`]) says so.
pub const MAX_DEPARTURES: usize = 10_000;

/// The `found` text of the marker entry that ends a list cut at [`MAX_DEPARTURES`].
const MARKER_FOUND: &str = "more departures, not listed";

/// One place where an evidence document departs from the pack's declared shape.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Departure {
    /// RFC 6901 JSON Pointer of the value, e.g. `/sites/0/workers/2/date_of_birth`.
    pub path: String,
    /// What the declaration asks for, e.g. `a date (YYYY-MM-DD)`.
    pub expected: String,
    /// What the document holds, e.g. `"2024-13-45"`.
    pub found: String,
}

impl Departure {
    /// Whether this is the marker entry that ends a list cut at [`MAX_DEPARTURES`].
    #[must_use]
    pub fn is_marker(&self) -> bool {
        self.path.is_empty() && self.found == MARKER_FOUND
    }
}

/// Every place where `evidence` departs from the shape `pack` declares, sorted by path
/// (segment by segment, list indexes in numeric order).
///
/// A departure is a present, non-`null` value of another kind than declared (a text where a
/// number is declared, a list item of the wrong kind), a date that is not a valid
/// `YYYY-MM-DD`, or a text outside an enumerated set. Absent and `null` fields, fields the
/// declaration does not list and values declared `any` are not departures. A pack without an
/// `evidence` declaration accepts every document. At most [`MAX_DEPARTURES`] are listed, then a
/// marker entry.
///
/// The walk uses an explicit stack, so deep documents cannot overflow the call stack.
///
/// ```
/// let pack = conduct::RulePack::builder()
///     .file(
///         "pack.conduct",
///         r#"pack demo "Demo" languages en
/// evidence { workers: [{ hours: number, born: date }], level: "basic" | "advanced" }
/// "#,
///     )
///     .build()?;
/// let evidence = serde_json::json!({
///     "workers": [{ "hours": "sixty", "born": "2004-13-45" }, { "hours": null }],
///     "level": "premium",
///     "extra": true
/// });
/// let departures = conduct::tools::validate::validate(&pack, &evidence);
/// let paths: Vec<&str> = departures.iter().map(|d| d.path.as_str()).collect();
/// assert_eq!(paths, ["/level", "/workers/0/born", "/workers/0/hours"]);
/// assert_eq!(departures[1].expected, "a date (YYYY-MM-DD)");
/// assert_eq!(departures[1].found, "\"2004-13-45\"");
/// # Ok::<(), conduct::Error>(())
/// ```
#[must_use]
pub fn validate(pack: &RulePack, evidence: &Value) -> Vec<Departure> {
    let program = pack.program();
    let Some(root) = program.evidence_root else {
        return Vec::new();
    };
    let shapes = &program.shapes;
    let mut departures = Vec::new();
    let mut cut = false;
    let mut stack: Vec<(String, &Value, ShapeId)> = vec![(String::new(), evidence, root)];
    while let Some((path, value, id)) = stack.pop() {
        if value.is_null() {
            continue;
        }
        let Some(shape) = shapes.get(id as usize) else {
            continue;
        };
        let expected = match shape {
            Shape::Object(fields) => match value {
                Value::Object(map) => {
                    for (name, field) in fields {
                        if let Some(v) = map.get(name) {
                            stack.push((format!("{path}/{}", pointer_segment(name)), v, *field));
                        }
                    }
                    None
                }
                _ => Some("an object".to_string()),
            },
            Shape::List(item) => match value {
                Value::Array(items) => {
                    for (i, v) in items.iter().enumerate() {
                        stack.push((format!("{path}/{i}"), v, *item));
                    }
                    None
                }
                _ => Some("a list".to_string()),
            },
            Shape::Scalar(ty) => scalar_departure(ty, value),
            Shape::Enum(set) => match value {
                Value::String(s) if set.iter().any(|a| a == s) => None,
                _ => {
                    let list: Vec<String> = set.iter().map(|a| format!("{a:?}")).collect();
                    Some(format!("one of {}", list.join(", ")))
                }
            },
        };
        if let Some(expected) = expected {
            if departures.len() >= MAX_DEPARTURES {
                cut = true;
                break;
            }
            departures.push(Departure {
                path,
                expected,
                found: crate::eval::value::describe_json(value),
            });
        }
    }
    departures.sort_by(|a, b| compare_pointers(&a.path, &b.path));
    if cut {
        departures.push(Departure {
            path: String::new(),
            expected: format!("at most {MAX_DEPARTURES} departures are listed"),
            found: MARKER_FOUND.to_string(),
        });
    }
    departures
}

/// What a scalar of type `ty` should have been, when `value` is not one.
fn scalar_departure(ty: &Type, value: &Value) -> Option<String> {
    let ok = match (ty, value) {
        (Type::Bool, Value::Bool(_)) | (Type::String, Value::String(_)) => true,
        (Type::Number, Value::Number(n)) => Number::from_json(n).is_some(),
        (Type::Date, Value::String(s)) => Date::parse(s).is_some(),
        (Type::Bool | Type::Number | Type::String | Type::Date, _) => false,
        // `any`, and types evidence cannot declare as scalars: accepted.
        _ => true,
    };
    if ok {
        return None;
    }
    Some(
        match ty {
            Type::Bool => "true or false",
            Type::Number => "a number",
            Type::String => "a text",
            _ => "a date (YYYY-MM-DD)",
        }
        .to_string(),
    )
}

/// Orders pointers segment by segment; segments that are both numbers compare as numbers, so
/// `/sites/2` comes before `/sites/10`.
fn compare_pointers(a: &str, b: &str) -> Ordering {
    let mut xs = a.split('/');
    let mut ys = b.split('/');
    loop {
        match (xs.next(), ys.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let order = match (x.parse::<u64>(), y.parse::<u64>()) {
                    (Ok(i), Ok(j)) => i.cmp(&j).then_with(|| x.cmp(y)),
                    _ => x.cmp(y),
                };
                if order != Ordering::Equal {
                    return order;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::compare_pointers;
    use std::cmp::Ordering;

    #[test]
    fn pointers_sort_indexes_numerically() {
        assert_eq!(compare_pointers("/a/2", "/a/10"), Ordering::Less);
        assert_eq!(compare_pointers("/a", "/a/0"), Ordering::Less);
        assert_eq!(compare_pointers("/a/b", "/a/10"), Ordering::Greater);
        assert_eq!(compare_pointers("/a/01", "/a/1"), Ordering::Less);
    }
}
