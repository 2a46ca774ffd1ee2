//! Evidence: reading paths in the JSON document, converting JSON to [`Operand`]s checked
//! against their declared shape, and the path arena that gives every value its JSON Pointer.
//!
//! Two kinds of evidence are invalid although the document cannot show why: a value nested
//! deeper than `max_evidence_depth` (checked where a read reaches it, from the depth of its
//! location: never by walking the document), and a value declared invalid in the options
//! (`Options::invalid_evidence`, a value the reader had to drop), checked only where a read
//! finds `null` or nothing and the options declare any.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::Arc;

use serde_json::Value;

use super::Evaluator;
use super::value::{Loc, NO_LOC, Operand, ROOT_LOC, RtValue, UnknownReasons, describe_json};
use crate::date::Date;
use crate::number::Number;
use crate::program::{Expect, Step};

/// One entry of the path arena: a segment below its parent's location, and how many segments
/// the path has from the root (so that depth checks never walk the arena).
#[derive(Clone, Copy, Debug)]
pub(super) struct Entry<'a> {
    pub(super) parent: Loc,
    pub(super) depth: u32,
    pub(super) seg: PathSegment<'a>,
}

/// A recent read of a key in an evidence object: the object's and the key's addresses, and
/// what the object holds there. The document does not change during an evaluation, and the
/// checker keeps one copy of each key (`Checker::key`), so a key read again (a worker-week's
/// hours by four shares, a pay record's dates by two lets) is found without a search.
#[derive(Clone, Copy, Debug)]
pub(super) struct RecentRead<'a> {
    object: usize,
    key: usize,
    found: Option<&'a Value>,
}

/// How many recent reads an evaluation remembers (a power of two).
pub(super) const RECENT_READS: usize = 256;

impl RecentRead<'_> {
    /// No read: no object lies at address 0.
    pub(super) const NONE: RecentRead<'static> = RecentRead {
        object: 0,
        key: 0,
        found: None,
    };
}

/// One segment of an evidence path in the arena.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum PathSegment<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

impl<'a> Evaluator<'a> {
    /// What `object` holds at `key`, through the cache of recent reads.
    pub(super) fn field(
        &self,
        object: &'a serde_json::Map<String, Value>,
        key: &Arc<str>,
    ) -> Option<&'a Value> {
        let at = std::ptr::from_ref(object) as usize;
        let key_at = Arc::as_ptr(key).cast::<u8>() as usize;
        let mixed = (at ^ key_at.rotate_left(17)) as u64;
        let place = (mixed.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56) as usize % RECENT_READS;
        let entry = self.recent.get(place)?;
        let read = entry.get();
        if read.object == at && read.key == key_at {
            return read.found;
        }
        let found = object.get(&**key);
        entry.set(RecentRead {
            object: at,
            key: key_at,
            found,
        });
        found
    }

    pub(super) fn push(&mut self, parent: Loc, seg: PathSegment<'a>) -> Loc {
        let Some(above) = self.arena.get(parent as usize) else {
            return NO_LOC;
        };
        let depth = above.depth + 1;
        self.arena.push(Entry { parent, depth, seg });
        Loc::try_from(self.arena.len() - 1).unwrap_or(NO_LOC)
    }

    /// The path segments from the root to `loc`; `None` for computed values.
    pub(super) fn segments(&self, loc: Loc) -> Option<Vec<PathSegment<'a>>> {
        if loc == NO_LOC {
            return None;
        }
        let mut segs = Vec::new();
        let mut cur = loc;
        while cur != NO_LOC && cur != ROOT_LOC {
            let entry = self.arena.get(cur as usize)?;
            segs.push(entry.seg);
            cur = entry.parent;
        }
        segs.reverse();
        Some(segs)
    }

    /// Pushes segments from the root again, giving a location valid from now on.
    pub(super) fn attach(&mut self, segs: &[PathSegment<'a>]) -> Loc {
        segs.iter()
            .fold(ROOT_LOC, |parent, seg| self.push(parent, *seg))
    }

    /// The RFC 6901 JSON Pointer of a location. The segments are gathered from the location
    /// up, at most 16 on the stack (deeper paths in a list), and written once.
    pub(super) fn pointer(&self, loc: Loc) -> String {
        if loc == NO_LOC {
            return String::new();
        }
        let mut near: [PathSegment<'a>; 16] = [PathSegment::Root; 16];
        let mut far: Vec<PathSegment<'a>> = Vec::new();
        let mut count = 0;
        let mut cur = loc;
        while cur != NO_LOC && cur != ROOT_LOC {
            let Some(entry) = self.arena.get(cur as usize) else {
                break;
            };
            match near.get_mut(count) {
                Some(slot) => *slot = entry.seg,
                None => far.push(entry.seg),
            }
            count += 1;
            cur = entry.parent;
        }
        let mut out = String::with_capacity(12 * count);
        for seg in far.iter().rev().chain(near.iter().take(count).rev()) {
            match seg {
                PathSegment::Key(k) => {
                    out.push('/');
                    out.push_str(&pointer_segment(k));
                }
                PathSegment::Index(i) => {
                    let _ = write!(out, "/{i}");
                }
                PathSegment::Root => {}
            }
        }
        out
    }

    /// The evidence at `loc` is absent or null: missing, or invalid where the options declare
    /// it (or a value above it) invalid.
    pub(super) fn missing(&self, loc: Loc) -> Operand<'a> {
        let pointer = self.pointer(loc);
        if let Some((at, reason)) = self.declared_invalid(&pointer) {
            return Operand::unknown(
                UnknownReasons {
                    missing: Vec::new(),
                    invalid: vec![(at.to_string(), reason.to_string())],
                },
                loc,
            );
        }
        Operand::unknown(
            UnknownReasons {
                missing: vec![pointer],
                invalid: Vec::new(),
            },
            loc,
        )
    }

    /// The declared-invalid value at `pointer` or the nearest above it: its pointer and why.
    fn declared_invalid(&self, pointer: &str) -> Option<(&'a str, &'a str)> {
        if self.declared_invalid.is_empty() {
            return None;
        }
        let mut at = pointer;
        loop {
            if let Some((p, reason)) = self.declared_invalid.get_key_value(at) {
                return Some((p, reason));
            }
            // Segments are escaped (`/` is `~1`): every `/` starts one.
            at = at.get(..at.rfind('/')?)?;
        }
    }

    /// An absent or null value at `loc` for `??` and `exists`: `Err(loc)`, unless the options
    /// declare it invalid.
    fn absent(&self, loc: Loc) -> Result<Operand<'a>, Loc> {
        if self.declared_invalid.is_empty() {
            return Err(loc);
        }
        match self.declared_invalid(&self.pointer(loc)) {
            Some(_) => Ok(self.missing(loc)),
            None => Err(loc),
        }
    }

    /// Invalid evidence when a value at `loc`, `depth` segments below the root, lies deeper
    /// than `max_evidence_depth`: a container nests one level more than its depth, anything
    /// else sits in a container `depth` levels deep. It names the outermost container that is
    /// too deep, as the evidence reader does for what it cuts.
    fn too_deep(&self, loc: Loc, depth: usize, container: bool) -> Option<Operand<'a>> {
        let limit = self.limits.max_evidence_depth;
        if depth + usize::from(container) <= limit {
            return None;
        }
        let at = self.ancestor(loc, depth - limit.min(depth))?;
        Some(self.invalid(at, format!("nested deeper than {limit} levels")))
    }

    pub(super) fn invalid(&self, loc: Loc, reason: String) -> Operand<'a> {
        Operand::unknown(
            UnknownReasons {
                missing: Vec::new(),
                invalid: vec![(self.pointer(loc), reason)],
            },
            loc,
        )
    }

    pub(super) fn invalid_why(&self, loc: Loc, reason: String) -> UnknownReasons {
        UnknownReasons {
            missing: Vec::new(),
            invalid: vec![(self.pointer(loc), reason)],
        }
    }

    /// Turns a JSON value read at `loc` into a run-time value, checking the declared shape.
    pub(super) fn convert(&self, v: &'a Value, loc: Loc, expect: Expect) -> Operand<'a> {
        if (v.is_array() || v.is_object())
            && let Some(deep) = self
                .depth(loc)
                .and_then(|depth| self.too_deep(loc, depth, true))
        {
            return deep;
        }
        let val = match v {
            Value::Null => return self.missing(loc),
            Value::Bool(b) => RtValue::Bool(*b),
            // Exactly, or invalid: never a rounded value (`1e-20` is not `0`).
            Value::Number(n) => match Number::from_json(n) {
                Some(n) => RtValue::Num(n),
                None => return self.invalid(loc, Number::json_misfit(n)),
            },
            Value::String(s) => RtValue::Str(Cow::Borrowed(s.as_str())),
            Value::Array(_) | Value::Object(_) => RtValue::Json(v),
        };
        let ok = match (expect, &val) {
            (Expect::Any, _)
            | (Expect::Bool, RtValue::Bool(_))
            | (Expect::Number, RtValue::Num(_))
            | (Expect::String, RtValue::Str(_))
            | (Expect::List, RtValue::Json(Value::Array(_)))
            | (Expect::Object, RtValue::Json(Value::Object(_))) => true,
            (Expect::ListOf(item), RtValue::Json(Value::Array(items))) => {
                return match self.list_item_mismatch(items, item, loc) {
                    Some(invalid) => invalid,
                    None => Operand::at(val, loc),
                };
            }
            (Expect::Enum(id), RtValue::Str(s)) => {
                return match self.enum_mismatch(s, id) {
                    Some(list) => self.invalid(
                        loc,
                        format!("expected one of {list}, found {}", describe_json(v)),
                    ),
                    None => Operand::at(val, loc),
                };
            }
            (Expect::Date, RtValue::Str(s)) => {
                return match Date::parse(s) {
                    Some(d) => Operand::at(RtValue::Date(d), loc),
                    None => self.invalid(
                        loc,
                        format!("expected a date (YYYY-MM-DD), found {}", describe_json(v)),
                    ),
                };
            }
            _ => false,
        };
        if !ok {
            let want = match expect {
                Expect::Bool => "true or false",
                Expect::Number => "a number",
                Expect::String => "a text",
                Expect::Date => "a date (YYYY-MM-DD)",
                Expect::List => "a list",
                Expect::Object => "an object",
                Expect::Enum(_) => "a text from the declared set",
                Expect::ListOf(_) => "a list",
                Expect::Any => "a value",
            };
            return self.invalid(loc, format!("expected {want}, found {}", describe_json(v)));
        }
        Operand::at(val, loc)
    }

    /// The first item of a list at `loc` without the declared item shape (one level deep), as
    /// an invalid value: an unknown text in a list of codes is invalid, not a silent
    /// non-match.
    fn list_item_mismatch(&self, items: &[Value], item: u32, loc: Loc) -> Option<Operand<'a>> {
        let want = self
            .program
            .shape_expects
            .get(item as usize)
            .copied()
            .unwrap_or(Expect::Any);
        if want == Expect::Any {
            return None;
        }
        // A list read again (a site's wage records, once per recruitment row) is checked once
        // per evaluation: the evidence does not change, so neither does the answer.
        let seen = (items.as_ptr() as usize, item);
        let remember = items.len() > 4;
        if remember && self.checked_lists.borrow().contains(&seen) {
            return None;
        }
        let Some((i, reason)) = items
            .iter()
            .enumerate()
            .filter(|(_, x)| !x.is_null())
            .find_map(|(i, x)| Some((i, self.shape_mismatch(x, want)?)))
        else {
            if remember {
                self.checked_lists.borrow_mut().insert(seen);
            }
            return None;
        };
        let at = self.pointer(loc);
        Some(Operand::unknown(
            UnknownReasons {
                missing: Vec::new(),
                invalid: vec![(format!("{at}/{i}"), reason)],
            },
            loc,
        ))
    }

    /// `None` when `s` is in the declared set `id`; else the set, quoted and comma-separated.
    fn enum_mismatch(&self, s: &str, id: u32) -> Option<String> {
        let allowed = self
            .program
            .enum_sets
            .get(id as usize)
            .map_or(&[][..], Vec::as_slice);
        if allowed.iter().any(|a| a == s) {
            return None;
        }
        let list: Vec<String> = allowed.iter().map(|a| format!("{a:?}")).collect();
        Some(list.join(", "))
    }

    /// Why a JSON value does not have the shape `want`, checked one level deep.
    pub(super) fn shape_mismatch(&self, v: &Value, want: Expect) -> Option<String> {
        let ok = match (want, v) {
            (Expect::Any, _)
            | (Expect::Bool, Value::Bool(_))
            | (Expect::Number, Value::Number(_))
            | (Expect::String, Value::String(_))
            | (Expect::List | Expect::ListOf(_), Value::Array(_))
            | (Expect::Object, Value::Object(_)) => true,
            (Expect::Date, Value::String(s)) => Date::parse(s).is_some(),
            (Expect::Enum(id), Value::String(s)) => self.program.in_enum(id, s),
            _ => false,
        };
        if ok {
            return None;
        }
        Some(match want {
            Expect::Enum(id) => {
                let list: Vec<String> = self
                    .program
                    .enum_sets
                    .get(id as usize)
                    .map(|s| s.iter().map(|a| format!("{a:?}")).collect())
                    .unwrap_or_default();
                format!(
                    "expected one of {}, found {}",
                    list.join(", "),
                    describe_json(v)
                )
            }
            Expect::Date => format!("expected a date (YYYY-MM-DD), found {}", describe_json(v)),
            Expect::Number => format!("expected a number, found {}", describe_json(v)),
            Expect::Bool => format!("expected true or false, found {}", describe_json(v)),
            Expect::String => format!("expected a text, found {}", describe_json(v)),
            Expect::Object => format!("expected an object, found {}", describe_json(v)),
            _ => format!("expected a list, found {}", describe_json(v)),
        })
    }

    /// Follows `steps` from `base`; the first absent step is what is missing.
    pub(super) fn read(
        &mut self,
        base: Operand<'a>,
        steps: &'a [Step],
        expect: Expect,
    ) -> Operand<'a> {
        match self.read_or_absent(base, steps, expect) {
            Ok(v) => v,
            Err(at) => self.missing(at),
        }
    }

    /// [`Evaluator::read`], but an absent or null value is `Err(location)`, without building
    /// its pointer: `??` and `exists` only need to know that it is absent.
    pub(super) fn read_or_absent(
        &mut self,
        base: Operand<'a>,
        steps: &'a [Step],
        expect: Expect,
    ) -> Result<Operand<'a>, Loc> {
        let (mut cur, mut loc) = match base.val {
            RtValue::Json(v) => (v, base.loc),
            RtValue::Unknown(_) => return Ok(base),
            _ if steps.is_empty() => return Ok(base),
            _ => {
                return Ok(self.invalid(
                    base.loc,
                    format!("expected an object, found {}", base.describe()),
                ));
            }
        };
        // How deep `loc` is, where a step could go too deep: from the root, the number of
        // steps; from a value (whose container was checked when it was read), only after two
        // steps or more.
        let mut depth = match base.loc {
            ROOT_LOC => Some(0),
            _ if steps.len() >= 2 => self.depth(base.loc),
            _ => None,
        };
        for step in steps {
            if let Some(d) = depth.as_mut() {
                *d += 1;
                if let Some(deep) = self.too_deep(loc, *d - 1, true) {
                    return Ok(deep);
                }
            }
            let next = match (step, cur) {
                (Step::Key(k), Value::Object(map)) => {
                    let l = self.push(loc, PathSegment::Key(k));
                    (self.field(map, k), l)
                }
                (Step::Index(i), Value::Array(items)) => {
                    let l = self.push(loc, PathSegment::Index(*i));
                    (items.get(*i), l)
                }
                (Step::Key(_), other) => {
                    return Ok(self.invalid(
                        loc,
                        format!("expected an object, found {}", describe_json(other)),
                    ));
                }
                (Step::Index(_), other) => {
                    return Ok(self.invalid(
                        loc,
                        format!("expected a list, found {}", describe_json(other)),
                    ));
                }
            };
            match next {
                (Some(Value::Null) | None, l) => return self.absent(l),
                (Some(v), l) => {
                    cur = v;
                    loc = l;
                }
            }
        }
        Ok(self.convert(cur, loc, expect))
    }

    /// Coerces a value to a date: evidence strings are parsed, anything else is invalid.
    pub(super) fn as_date(&self, v: Operand<'a>) -> Result<Operand<'a>, UnknownReasons> {
        match &v.val {
            RtValue::Date(_) => Ok(v),
            RtValue::Str(s) => match Date::parse(s) {
                Some(d) => Ok(Operand::at(RtValue::Date(d), v.loc)),
                None => Err(self.invalid_why(
                    v.loc,
                    format!("expected a date (YYYY-MM-DD), found {}", v.describe()),
                )),
            },
            RtValue::Unknown(w) => Err((**w).clone()),
            _ => Err(self.invalid_why(v.loc, format!("expected a date, found {}", v.describe()))),
        }
    }
}

/// A key as one JSON Pointer segment (RFC 6901: `~` is written `~0`, then `/` is written `~1`).
/// The one place that escapes pointer segments: evaluation, validation and the docs' field
/// lists all build their pointers with it (re-exported as `crate::eval::pointer_segment`).
pub(crate) fn pointer_segment(key: &str) -> Cow<'_, str> {
    if key.contains(['~', '/']) {
        Cow::Owned(key.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_segments_escape_tilde_then_slash() {
        assert_eq!(pointer_segment("workers"), "workers");
        assert_eq!(pointer_segment("a/b~c"), "a~1b~0c");
        assert_eq!(pointer_segment("~1"), "~01");
    }
}
