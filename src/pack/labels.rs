//! The labels of one document: the pack's checked `labels` declarations and an evidence
//! document in, the report's [`Labels`] and the label values that could not be recorded
//! ([`Invalid`]) out. Read once per evaluation, apart from the clauses, straight from the
//! JSON: a label never changes an outcome, a finding or its id.
//!
//! The rules, as the language reference states them:
//! - an item whose key is absent or `null` labels nothing; a key that is not a text or a
//!   number is invalid, and so is a label value that is not what its field is declared as;
//! - a label that is absent or `null` is not recorded;
//! - within one declaration, items with the same key must agree on a label: where they do
//!   not, the declaration records none for that key (each value is invalid, saying why);
//! - several declarations for the same key add up: the first declaration (in the pack's
//!   order) that records a label for a key wins, the later ones fill in what it left out;
//! - keys are sorted, labels are in the order the declarations name them, so the labels do
//!   not depend on the order of the evidence's lists.

use indexmap::IndexMap;
use serde_json::Value;

use crate::eval::pointer_segment;
use crate::eval::value::describe_json;
use crate::program::{Expect, LabelsDef, Program};
use crate::report::{Invalid, Keys, Labels};

/// One label value found: the label, the item and field it was read at, and the value.
struct Found<'e> {
    name: &'e str,
    item: usize,
    field: &'e str,
    value: &'e Value,
}

/// The labels the pack declares, read from `evidence`, and the values left out as invalid
/// (sorted by pointer).
pub(crate) fn read(program: &Program, evidence: &Value) -> (Labels, Vec<Invalid>) {
    let mut labels = Labels::new();
    let mut invalid = Vec::new();
    // The order of each key's labels: as the declarations name them.
    let mut order: IndexMap<&str, Vec<&str>> = IndexMap::new();
    for decl in &program.labels {
        let names = order.entry(decl.key.as_str()).or_default();
        for (name, _, _) in &decl.fields {
            if !names.contains(&name.as_str()) {
                names.push(name);
            }
        }
        read_one(program, decl, evidence, &mut labels, &mut invalid);
    }
    for (key, group) in &mut labels {
        group.sort_keys();
        let names = order.get(key.as_str()).map_or(&[][..], Vec::as_slice);
        for entry in group.values_mut() {
            entry.sort_by_key(|name, _| names.iter().position(|n| n == name));
        }
    }
    invalid.sort();
    invalid.dedup();
    (labels, invalid)
}

/// The labels of one declaration, added to `labels` where no earlier declaration gave them.
fn read_one(
    program: &Program,
    decl: &LabelsDef,
    evidence: &Value,
    labels: &mut Labels,
    invalid: &mut Vec<Invalid>,
) {
    let mut at = evidence;
    let mut base = String::new();
    for step in &decl.list {
        let Some(next) = at.get(step) else {
            return;
        };
        at = next;
        base.push('/');
        base.push_str(&pointer_segment(step));
    }
    let Some(items) = at.as_array() else {
        return;
    };
    // Per key (as text): the key's value (for the subject of an invalid label) and every
    // label value found, with the item and field it was found at (a pointer is written only
    // for a value left out).
    let mut found: IndexMap<String, (&Value, Vec<Found<'_>>)> = IndexMap::new();
    for (i, item) in items.iter().enumerate() {
        let Some(item) = item.as_object() else {
            continue;
        };
        let pointer = |field: &str| format!("{base}/{i}/{}", pointer_segment(field));
        let key_value = match item.get(&decl.key) {
            None | Some(Value::Null) => continue,
            Some(v) => v,
        };
        let Some(key) = key_text(key_value) else {
            invalid.push(Invalid::at(
                pointer(&decl.key),
                format!(
                    "expected a text or a number as the key `{}`, found {}: its labels are left out",
                    decl.key,
                    describe_json(key_value)
                ),
            ));
            continue;
        };
        let mut values = Vec::new();
        for (name, field, expect) in &decl.fields {
            let Some(value) = item.get(field).filter(|v| !v.is_null()) else {
                continue;
            };
            if let Some(want) = unfit(program, expect, value) {
                invalid.push(Invalid {
                    path: pointer(field),
                    reason: format!(
                        "expected {want}, found {}: the label `{name}` is left out",
                        describe_json(value)
                    ),
                    subject: subject(&decl.key, key_value),
                    description: None,
                    document: None,
                    filled_by: None,
                });
                continue;
            }
            values.push(Found {
                name,
                item: i,
                field,
                value,
            });
        }
        match found.get_mut(&key) {
            Some((_, all)) => all.append(&mut values),
            None => {
                found.insert(key, (key_value, values));
            }
        }
    }
    let list = decl.list.join(".");
    for (key, (key_value, values)) in found {
        for (name, _, _) in &decl.fields {
            let same = || values.iter().filter(|v| v.name == name.as_str());
            let Some(first) = same().next() else {
                continue;
            };
            if same().all(|v| v.value == first.value) {
                let group = match labels.get_mut(&decl.key) {
                    Some(group) => group,
                    None => labels.entry(decl.key.clone()).or_default(),
                };
                let entry = group.entry(key.clone()).or_default();
                if !entry.contains_key(first.name) {
                    entry.insert(first.name.to_string(), first.value.clone());
                }
                continue;
            }
            for v in same() {
                invalid.push(Invalid {
                    path: format!("{base}/{}/{}", v.item, pointer_segment(v.field)),
                    reason: format!(
                        "the items of `{list}` with `{}` {} give different values for the label \
                         `{}`: it is left out",
                        decl.key,
                        describe_json(key_value),
                        first.name
                    ),
                    subject: subject(&decl.key, key_value),
                    description: None,
                    document: None,
                    filled_by: None,
                });
            }
        }
    }
}

/// A key's text in the labels: a text as it is, a number as written; `None` for anything else.
pub(crate) fn key_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The subject of an invalid label: the item's key.
fn subject(key: &str, value: &Value) -> Keys {
    let mut keys = Keys::new();
    keys.insert(key.to_string(), value.clone());
    keys
}

/// What the value should have been, when it is not what the label's field is declared as.
fn unfit(program: &Program, expect: &Expect, value: &Value) -> Option<&'static str> {
    let fits = match expect {
        Expect::String => value.is_string(),
        Expect::Number => value.is_number(),
        Expect::Bool => value.is_boolean(),
        Expect::Date => value
            .as_str()
            .is_some_and(|s| crate::date::Date::parse(s).is_some()),
        Expect::Enum(id) => value.as_str().is_some_and(|s| program.in_enum(*id, s)),
        Expect::Any => value.is_string() || value.is_number() || value.is_boolean(),
        Expect::List | Expect::Object | Expect::ListOf(_) => false,
    };
    (!fits).then_some(match expect {
        Expect::String => "a text",
        Expect::Number => "a number",
        Expect::Bool => "true or false",
        Expect::Date => "a date (YYYY-MM-DD)",
        Expect::Enum(_) => "one of the field's declared texts",
        _ => "a text, number or bool",
    })
}
