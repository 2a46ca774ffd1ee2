//! Findings: who a failed requirement is about. The loops around a requirement → the finding's
//! subject (the keys of the outer items), its item (the innermost loop's), its `id`, and how
//! many items of the subject were examined; missing pointers → [`Missing`] entries with the keys
//! of the site, worker, … they belong to, the missing field's declared description and the
//! document that proves it (the innermost declared along the pointer).
//!
//! Keys are the fields the evidence declaration marks (`key site_id: string`); a text, number or
//! date item is its own key, under its loop variable's name (`country=MY`). An object without declared keys names no subject: it is an item of
//! the subject around it (the supplier, when no loop around it has keys), so that no id depends
//! on an item's position or on fields the pack does not identify it by.

use std::borrow::Cow;
use std::fmt::Write as _;

use serde_json::Value;

use super::Evaluator;
use super::clause::ClauseFindings;
use super::value::{RENDER_DEPTH, RtValue, bounded};
use crate::program::{Binding, Requirement, Shape, ShapeId};
use crate::report::{Invalid, Keys, Missing, Violation, natural_cmp};

/// Where a failed requirement sits: the subject's keys, and the innermost item's keys when the
/// requirement is judged per item of the subject (two or more loops deep).
pub(super) struct Place {
    pub(super) subject: Keys,
    pub(super) item: Option<Keys>,
}

/// How many items of the current subject one requirement has been judged on.
#[derive(Default)]
pub(super) struct Examined {
    /// The requirement (its address: stable for the evaluation).
    requirement: usize,
    /// The outer items being examined (their addresses in the evidence).
    subject: usize,
    /// Items judged for this subject so far.
    count: usize,
    /// Judged for the same finding under an earlier, equal-keyed subject.
    base: usize,
    /// The finding this subject's failures went into, once one failed.
    finding: Option<usize>,
}

impl<'a> Evaluator<'a> {
    /// The subject and item of a requirement failing now.
    pub(super) fn place(&self) -> Place {
        match self.loops.split_last() {
            None => Place {
                subject: Keys::new(),
                item: None,
            },
            Some((only, [])) => match self.item_keys(only) {
                Some(subject) => Place {
                    subject,
                    item: None,
                },
                None => Place {
                    subject: Keys::new(),
                    item: Some(Keys::new()),
                },
            },
            Some((inner, outer)) => {
                let mut subject = Keys::new();
                for b in outer {
                    subject.extend(self.item_keys(b).unwrap_or_default());
                }
                Place {
                    subject,
                    item: Some(self.item_keys(inner).unwrap_or_default()),
                }
            }
        }
    }

    /// Whether a requirement failing now is an item of a finding (counted in `examined`).
    fn grouped(&self) -> bool {
        match self.loops.as_slice() {
            [] => false,
            [only] => !self.is_keyed(only),
            _ => true,
        }
    }

    /// Whether the innermost loop goes over records of the evidence (objects: workers, pay
    /// slips, audit findings), each examined in turn. A list of names (texts, numbers), such as
    /// the sites an answer leaves out, names the failing items themselves: nothing was examined
    /// there, so its finding counts no `examined` ("1 site: MY-PKG-02", not "1 of 1 site
    /// examined").
    fn examines_records(&self) -> bool {
        self.loops
            .last()
            .and_then(|b| self.slots.get(b.slot))
            .is_some_and(|o| matches!(o.val, RtValue::Json(Value::Object(_))))
    }

    /// Whether the item bound to `b` now has keys (without building them).
    fn is_keyed(&self, b: &Binding) -> bool {
        match self.slots.get(b.slot).map(|o| &o.val) {
            Some(RtValue::Json(Value::Object(_))) => !b.keys.is_empty(),
            Some(RtValue::Json(_) | RtValue::List(_) | RtValue::Unknown(_)) | None => false,
            Some(_) => true,
        }
    }

    /// The keys of the item bound to `b` now: its declared key fields, or the item itself when
    /// it is a text, number, date or boolean; `None` for an object without declared keys.
    fn item_keys(&self, b: &Binding) -> Option<Keys> {
        let item = self.slots.get(b.slot)?;
        let mut keys = Keys::new();
        match &item.val {
            RtValue::Json(Value::Object(map)) => {
                for k in b.keys.iter() {
                    keys.insert(
                        k.to_string(),
                        map.get(&**k)
                            .map_or(Value::Null, |v| bounded(v, RENDER_DEPTH)),
                    );
                }
            }
            RtValue::Json(_) | RtValue::List(_) | RtValue::Unknown(_) => {}
            _ => {
                keys.insert(b.name.to_string(), item.to_json());
            }
        }
        (!keys.is_empty()).then_some(keys)
    }

    /// An identity for the outer items now (their addresses in the evidence document).
    fn outer_items(&self) -> usize {
        let outer = self.loops.len().saturating_sub(1);
        self.loops.iter().take(outer).fold(0usize, |acc, b| {
            match self.slots.get(b.slot).map(|o| &o.val) {
                Some(RtValue::Json(v)) => acc
                    .wrapping_mul(31)
                    .wrapping_add(std::ptr::from_ref::<Value>(v) as usize),
                _ => acc.wrapping_mul(31),
            }
        })
    }

    /// Counts one judgement of `r` on an item of the current subject (two or more loops deep),
    /// and keeps the count of the finding it feeds.
    #[inline(never)]
    pub(super) fn count_examined(&self, r: &Requirement, run: &mut ClauseFindings) {
        if !self.grouped() || !self.examines_records() {
            return;
        }
        let requirement = std::ptr::from_ref(r) as usize;
        let subject = self.outer_items();
        let slot = match run
            .examined
            .iter()
            .position(|e| e.requirement == requirement)
        {
            Some(i) => i,
            None => {
                run.examined.push(Examined {
                    requirement,
                    subject,
                    ..Examined::default()
                });
                run.examined.len() - 1
            }
        };
        let Some(e) = run.examined.get_mut(slot) else {
            return;
        };
        if e.subject != subject {
            *e = Examined {
                requirement,
                subject,
                ..Examined::default()
            };
        }
        e.count += 1;
        if let Some(v) = e.finding.and_then(|i| run.violations.get_mut(i)) {
            v.examined = Some(e.base + e.count);
        }
    }

    /// Links the current subject's count of `r` to the finding at `index`.
    pub(super) fn link_examined(&self, r: &Requirement, index: usize, run: &mut ClauseFindings) {
        let requirement = std::ptr::from_ref(r) as usize;
        let Some(e) = run
            .examined
            .iter_mut()
            .find(|e| e.requirement == requirement)
        else {
            return;
        };
        let Some(v) = run.violations.get_mut(index) else {
            return;
        };
        if e.finding != Some(index) {
            e.base = v.examined.unwrap_or(0);
            e.finding = Some(index);
        }
        v.examined = Some(e.base + e.count);
    }

    /// The missing entries of a clause: subject keys from the keyed lists the pointer passes
    /// through, in natural order of their pointers.
    pub(super) fn missing_entries(&self, paths: impl Iterator<Item = String>) -> Vec<Missing> {
        let mut out: Vec<Missing> = paths.map(|p| self.missing_entry(p)).collect();
        out.sort_by(|a, b| natural_cmp(&a.path, &b.path));
        out
    }

    /// The invalid entries of a clause, with their subjects' keys and their fields'
    /// descriptions and documents (as missing entries have), in natural order.
    pub(super) fn invalid_entries(&self, all: impl Iterator<Item = Invalid>) -> Vec<Invalid> {
        let mut out: Vec<Invalid> = all
            .map(|mut i| {
                let entry = self.missing_entry(i.path.clone());
                (i.subject, i.description, i.document, i.filled_by) = (
                    entry.subject,
                    entry.description,
                    entry.document,
                    entry.filled_by,
                );
                i
            })
            .collect();
        out.sort();
        out
    }

    fn missing_entry(&self, path: String) -> Missing {
        let mut entry = Missing::at(String::new());
        let mut value = Some(self.evidence);
        let mut shape = self.program.evidence_root;
        let mut described = None;
        let mut document = None;
        let mut filled_by = None;
        // A declared text in the report's language, else the pack's first, else any.
        let first = self.program.languages.first().map(String::as_str);
        let pick =
            |texts: &'a [(String, String)]| super::pick(texts, self.language, first).cloned();
        for raw in path
            .strip_prefix('/')
            .map(|p| p.split('/'))
            .into_iter()
            .flatten()
        {
            let seg: Cow<'_, str> = if raw.contains('~') {
                raw.replace("~1", "/").replace("~0", "~").into()
            } else {
                raw.into()
            };
            let seg = seg.as_ref();
            let (next_shape, next_value) = match (shape.and_then(|s| self.shape(s)), value) {
                (Some(Shape::Object(fields)), v) => {
                    let info =
                        shape.and_then(|s| self.program.field_info.get(&(s, seg.to_string())));
                    described = info.and_then(|i| pick(&i.descriptions));
                    filled_by = info.and_then(|i| i.filled_by);
                    if let Some(d) = info.and_then(|i| pick(&i.documents)) {
                        document = Some(d);
                    }
                    (fields.get(seg).copied(), v.and_then(|v| v.get(seg)))
                }
                (Some(Shape::List(item)), v) => {
                    let at = seg.parse::<usize>().ok();
                    let v = v.and_then(|v| at.and_then(|i| v.get(i)));
                    self.add_keys(*item, v, &mut entry.subject);
                    (Some(*item), v)
                }
                (_, v) => {
                    described = None;
                    filled_by = None;
                    (None, v.and_then(|v| v.get(seg)))
                }
            };
            shape = next_shape;
            value = next_value;
        }
        entry.path = path;
        entry.description = described;
        entry.document = document;
        entry.filled_by = filled_by;
        entry
    }

    fn shape(&self, id: ShapeId) -> Option<&'a Shape> {
        self.program.shapes.get(id as usize)
    }

    /// Adds the declared keys of `item` (an object of shape `id`) to `keys`.
    fn add_keys(&self, id: ShapeId, item: Option<&Value>, keys: &mut Keys) {
        let (Some(fields), Some(Value::Object(map))) =
            (self.program.object_keys.get(id as usize), item)
        else {
            return;
        };
        for k in fields.iter() {
            if let Some(v) = map.get(&**k) {
                keys.insert(k.to_string(), v.clone());
            }
        }
    }
}

/// A finding's id: `clause/requirement`, then `@key=value,…` for a subject with keys.
pub(super) fn finding_id(clause: &str, requirement: &str, subject: &Keys) -> String {
    let mut id = String::with_capacity(clause.len() + requirement.len() + 1 + 24 * subject.len());
    id.push_str(clause);
    id.push('/');
    id.push_str(requirement);
    for (i, (k, v)) in subject.iter().enumerate() {
        id.push(if i == 0 { '@' } else { ',' });
        escape_into(&mut id, k);
        id.push('=');
        escape_into(&mut id, &key_text(v));
    }
    id
}

/// A key's value as text: a text as is (borrowed), anything else as JSON.
pub(crate) fn key_text(v: &Value) -> Cow<'_, str> {
    match v {
        Value::String(s) => Cow::Borrowed(s),
        other => Cow::Owned(other.to_string()),
    }
}

/// Appends `text` with `%XX` for the characters that separate an id's parts.
fn escape_into(out: &mut String, text: &str) {
    if !text.contains(['%', ',', '=', '@', '/']) {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        if matches!(c, '%' | ',' | '=' | '@' | '/') {
            let _ = write!(out, "%{:02X}", u32::from(c));
        } else {
            out.push(c);
        }
    }
}

/// The message of a finding with several items: the first item's, and how many others fail
/// (with their keys, when they have some).
pub(super) fn group_message(language: &str, v: &Violation) -> Option<String> {
    let (first, rest) = v.items.split_first()?;
    if rest.is_empty() {
        return None;
    }
    let others: Vec<String> = rest
        .iter()
        .map(|i| {
            // A key the item lacks (null) names nothing.
            i.keys
                .values()
                .filter(|v| !v.is_null())
                .map(key_text)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|k| !k.is_empty())
        .collect();
    let more = rest.len();
    let named = if others.len() == more {
        format!(": {}", others.join(", "))
    } else {
        String::new()
    };
    Some(if language == "sv" {
        format!("{} (och {more} till{named})", first.message)
    } else {
        format!("{} (and {more} more{named})", first.message)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_id_names_clause_requirement_and_subject_keys_escaped() {
        let mut subject = Keys::new();
        subject.insert("site_id".into(), json!("MY/KLG,01"));
        subject.insert("tier".into(), json!(2));
        assert_eq!(
            finding_id("wages.minimum_wage", "base_pay", &subject),
            "wages.minimum_wage/base_pay@site_id=MY%2FKLG%2C01,tier=2"
        );
        assert_eq!(
            finding_id("management.policy", "r1", &Keys::new()),
            "management.policy/r1"
        );
    }

    #[test]
    fn a_group_note_names_the_other_items_by_the_keys_they_have() {
        let item = |keys: serde_json::Value, message: &str| crate::report::Item {
            keys: serde_json::from_value(keys).unwrap_or_default(),
            path: String::new(),
            actual: serde_json::Value::Null,
            expected: String::new(),
            severity: crate::report::Severity::Minor,
            message: message.into(),
        };
        let mut v: Violation = serde_json::from_value(json!({
            "id": "c/r", "requirement": "r", "subject": {}, "severity": "minor",
            "message": "", "path": "", "actual": null, "expected": "", "remediation": null,
            "rule": {"file": "p.conduct", "line": 1, "column": 1}
        }))
        .unwrap_or_else(|e| panic!("{e}"));
        v.items = vec![
            item(json!({"ground": "age", "area": "pay"}), "first"),
            item(json!({"ground": null, "area": "hiring"}), "second"),
        ];
        assert_eq!(
            group_message("en", &v).as_deref(),
            Some("first (and 1 more: hiring)")
        );
    }

    #[test]
    fn ids_of_different_subjects_differ_even_with_separators_in_values() {
        let one = |k: &str, v: &str| {
            let mut s = Keys::new();
            s.insert(k.into(), json!(v));
            s
        };
        let a = finding_id("c", "r", &one("k", "a,b=c"));
        let mut two = one("k", "a");
        two.insert("b".into(), json!("c"));
        assert_ne!(a, finding_id("c", "r", &two));
    }
}
