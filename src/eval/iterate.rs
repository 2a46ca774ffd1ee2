//! Iteration: `for each` bindings and aggregates over evidence lists, with the join index
//! that lets `where item.key == other` visit only the matching items.

use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::rc::Rc;

use serde_json::Value;

use super::evidence::PathSegment;
use super::fault::{Fault, FaultKind};
use super::value::{Loc, NO_LOC, Operand, RtValue, UnknownReasons};
use super::{EvalResult, Evaluator};
use crate::number::Number;
use crate::program::{AggregateKind, Binding, Expect, Expr, ExprKind};

/// The values an aggregate's bindings displaced from their slots, put back after it.
enum Saved<'a> {
    One(Option<(usize, Operand<'a>)>),
    Many(Vec<(usize, Operand<'a>)>),
}

/// The positions a loop visits: every one, a join's hits (a range of an index), or a join's
/// hits merged with the items the index cannot decide.
enum Visits<'a> {
    Every(usize),
    Join(Rc<ListIndex<'a>>, std::ops::Range<usize>),
    Merged(Vec<usize>),
}

impl Visits<'_> {
    fn len(&self) -> usize {
        match self {
            Visits::Every(count) => *count,
            Visits::Join(_, range) => range.len(),
            Visits::Merged(positions) => positions.len(),
        }
    }

    /// The position of the `n`th visit.
    fn get(&self, n: usize) -> Option<usize> {
        match self {
            Visits::Every(_) => Some(n),
            Visits::Join(index, range) => index
                .by_value
                .get(range.start.checked_add(n)?)
                .map(|(_, i)| *i),
            Visits::Merged(positions) => positions.get(n).copied(),
        }
    }
}

/// Positions of a list's items by the text value of one field.
pub(super) struct ListIndex<'a> {
    /// (value, position) for the items whose field is a text, sorted: one list for the whole
    /// index, not one per value.
    by_value: Vec<(&'a str, usize)>,
    /// Items whose field is absent, null or not a text: the filter decides them one by one.
    others: Vec<usize>,
}

impl<'a> Evaluator<'a> {
    /// Runs `f` once for every combination of items the bindings select. Collections or
    /// filters that are unknown add to `why`. `f` returns false to stop early.
    pub(super) fn iterate(
        &mut self,
        bindings: &'a [Binding],
        why: &mut UnknownReasons,
        f: &mut dyn FnMut(&mut Self) -> Result<bool, Fault>,
    ) -> Result<bool, Fault> {
        self.iterate_from(bindings, None, why, f)
    }

    /// [`Evaluator::iterate`] with the first collection already evaluated.
    pub(super) fn iterate_from(
        &mut self,
        bindings: &'a [Binding],
        first: Option<Operand<'a>>,
        why: &mut UnknownReasons,
        f: &mut dyn FnMut(&mut Self) -> Result<bool, Fault>,
    ) -> Result<bool, Fault> {
        let Some((b, rest)) = bindings.split_first() else {
            return f(self);
        };
        let coll = match first {
            Some(v) => v,
            None => self.eval(&b.collection)?,
        };

        let (array, list): (Option<&'a [Value]>, Option<Rc<[Operand<'a>]>>) = match &coll.val {
            RtValue::Json(Value::Array(a)) => (Some(a.as_slice()), None),
            RtValue::List(l) => (None, Some(l.clone())),
            RtValue::Unknown(w) => {
                why.merge(w);
                return Ok(true);
            }
            _ => {
                why.invalid.push((
                    self.pointer(coll.loc),
                    format!("expected a list, found {}", coll.describe()),
                ));
                return Ok(true);
            }
        };
        let items: &[Operand<'a>] = list.as_deref().unwrap_or(&[]);
        let count = array.map_or(items.len(), <[Value]>::len);
        let visits = match array {
            Some(arr) => self.join_positions(b, arr)?,
            None => None,
        }
        .unwrap_or(Visits::Every(count));
        for n in 0..visits.len() {
            let i = visits.get(n).unwrap_or(count);
            self.tick()?;
            let mark = self.arena.len();
            let item = match array {
                Some(a) => {
                    let loc = self.push(coll.loc, PathSegment::Index(i));
                    match a.get(i) {
                        Some(v) => self.convert(v, loc, Expect::Any),
                        None => Operand::new(RtValue::Null),
                    }
                }
                None => items.get(i).cloned().unwrap_or(Operand::new(RtValue::Null)),
            };
            self.set(b.slot, item);
            let selected = match &b.filter {
                None => true,
                Some(filter) => self.selected(filter, why)?,
            };
            let go_on = if selected {
                self.iterate(rest, why, f)?
            } else {
                true
            };
            self.arena.truncate(mark);
            if !go_on {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// A join by id (`where item.key == other`): the positions of the items whose key is
    /// that text and of those whose key is not a text (the filter decides them), in list
    /// order; `None` to visit every item.
    fn join_positions(
        &mut self,
        b: &'a Binding,
        list: &'a [Value],
    ) -> Result<Option<Visits<'a>>, Fault> {
        let (Some(lookup), Some(filter)) = (&b.lookup, &b.filter) else {
            return Ok(None);
        };
        let ExprKind::Cmp(_, l, r) = &filter.kind else {
            return Ok(None);
        };
        let other = self.eval(if lookup.other_is_right { r } else { l })?;
        let RtValue::Str(s) = &other.val else {
            return Ok(None);
        };
        let index = self.list_index(list, &lookup.key);
        let key: &str = s.as_ref();
        let from = index.by_value.partition_point(|(v, _)| *v < key);
        let to = index.by_value.partition_point(|(v, _)| *v <= key);
        if index.others.is_empty() {
            // The hits alone, already in list order (sorted by value, then position).
            return Ok(Some(Visits::Join(index, from..to)));
        }
        let hits = index.by_value.get(from..to).unwrap_or(&[]);
        let mut merged: Vec<usize> = hits
            .iter()
            .map(|(_, i)| *i)
            .chain(index.others.iter().copied())
            .collect();
        merged.sort_unstable();
        Ok(Some(Visits::Merged(merged)))
    }

    /// Whether the `where` filter selects the current item; unknown or not a truth value, it
    /// does not, and `why` says so.
    fn selected(&mut self, filter: &'a Expr, why: &mut UnknownReasons) -> Result<bool, Fault> {
        if let Some(t) = self.quick_truth(filter) {
            return Ok(t);
        }
        let v = self.eval(filter)?;
        Ok(match &v.val {
            RtValue::Bool(t) => *t,
            RtValue::Unknown(w) => {
                why.merge(w);
                false
            }
            _ => {
                why.invalid.push((
                    self.pointer(v.loc),
                    format!("`where` expected true or false, found {}", v.describe()),
                ));
                false
            }
        })
    }

    /// The index of `list` by the text field `key`, built on first use in this evaluation.
    pub(super) fn list_index(&mut self, list: &'a [Value], key: &'a str) -> Rc<ListIndex<'a>> {
        let id = (list.as_ptr() as usize, key);
        if let Some(index) = self.indexes.get(&id) {
            return index.clone();
        }
        let mut index = ListIndex {
            by_value: Vec::with_capacity(list.len()),
            others: Vec::new(),
        };
        for (i, item) in list.iter().enumerate() {
            match item.get(key) {
                Some(Value::String(s)) => index.by_value.push((s.as_str(), i)),
                _ => index.others.push(i),
            }
        }
        index.by_value.sort_unstable();
        let index = Rc::new(index);
        self.indexes.insert(id, index.clone());
        index
    }

    /// `count`, `any`, `all`, `none`, `share`, `sum`, `average`, `min`, `max`, `first` and
    /// `count distinct` over the items the bindings select.
    #[inline(never)]
    pub(super) fn aggregate(
        &mut self,
        kind: AggregateKind,
        bindings: &'a [Binding],
        body: Option<&'a Expr>,
    ) -> EvalResult<'a> {
        // The first collection is evaluated once, here: the result's location is the list.
        let first = match bindings.first() {
            Some(b) => Some(self.eval(&b.collection)?),
            None => None,
        };
        let coll_loc = first.as_ref().map_or(NO_LOC, |v| v.loc);
        let mut why = UnknownReasons::default();
        let mut tally = Tally::new(kind);
        // Over an empty evidence list (`none(e in emergencies: …)` with no emergencies), no
        // item is bound and nothing is evaluated: the answer is the empty one.
        if let Some(Operand {
            val: RtValue::Json(Value::Array(items)),
            ..
        }) = &first
            && items.is_empty()
        {
            return self.aggregate_result(tally, why, coll_loc);
        }
        // The items are bound in slots that may also hold the enclosing statements' items: a
        // clause-level `severity … when` or remediation is evaluated inside the clause's
        // `for each`, and its slots are numbered from the same start. Put them back after.
        // One binding (the usual aggregate) is saved without a list.
        let saved: Saved<'a> = match bindings {
            [b] => Saved::One(self.slots.get(b.slot).map(|v| (b.slot, v.clone()))),
            _ => Saved::Many(
                bindings
                    .iter()
                    .filter_map(|b| self.slots.get(b.slot).map(|v| (b.slot, v.clone())))
                    .collect(),
            ),
        };
        let iterated = self.iterate_from(bindings, first, &mut why, &mut |ev| {
            tally.count += 1;
            let Some(body) = body else {
                tally.hits += 1;
                return Ok(true);
            };
            let v = match ev.quick_body(kind, body) {
                Some(v) => v,
                None => ev.eval(body)?,
            };
            tally.take(ev, v)
        });
        match saved {
            Saved::One(one) => {
                if let Some((slot, v)) = one {
                    self.set(slot, v);
                }
            }
            Saved::Many(all) => {
                for (slot, v) in all {
                    self.set(slot, v);
                }
            }
        }
        iterated?;
        if let Some(f) = tally.fault.take() {
            return Err(f);
        }
        why.merge(&tally.why);
        self.aggregate_result(tally, why, coll_loc)
    }

    /// The aggregate's value once every item is taken; `why` holds every unknown met.
    #[inline(never)]
    pub(super) fn aggregate_result(
        &mut self,
        tally: Tally<'a>,
        why: UnknownReasons,
        coll_loc: Loc,
    ) -> EvalResult<'a> {
        let kind = tally.kind;
        let unknown = !why.missing.is_empty() || !why.invalid.is_empty();
        if let Some(d) = tally.decided {
            return Ok(Operand::at(RtValue::Bool(d), coll_loc));
        }
        if kind == AggregateKind::First {
            // The first match decides, whatever came after; unknown filters before it leave
            // the answer open.
            let loc = tally.first_path.map_or(NO_LOC, |segs| self.attach(&segs));
            return Ok(match tally.best {
                Some(v) if !unknown => Operand { loc, ..v },
                Some(v) => {
                    let mut w = why;
                    if let Some(own) = v.why() {
                        w.merge(own);
                    }
                    Operand::unknown(w, coll_loc)
                }
                None if unknown => Operand::unknown(why, coll_loc),
                None => self.missing_empty(coll_loc),
            });
        }
        if unknown {
            return Ok(Operand::unknown(why, coll_loc));
        }
        let num = |n: i64| Number::from_i64(n).unwrap_or(Number::ZERO);
        let val = match kind {
            AggregateKind::Any => RtValue::Bool(false),
            AggregateKind::All | AggregateKind::None => RtValue::Bool(true),
            AggregateKind::Count => RtValue::Num(num(tally.hits)),
            AggregateKind::CountDistinct => {
                RtValue::Num(num(i64::try_from(tally.distinct.len()).unwrap_or(i64::MAX)))
            }
            AggregateKind::Sum => RtValue::Num(tally.sum),
            AggregateKind::Share | AggregateKind::Average => {
                if tally.count == 0 {
                    return Ok(self.missing_empty(coll_loc));
                }
                let top = if kind == AggregateKind::Share {
                    num(tally.hits)
                } else {
                    tally.sum
                };
                RtValue::Num(
                    top.checked_div(num(tally.count))
                        .ok_or_else(|| Fault::from(FaultKind::DivisionOverflow))?,
                )
            }
            AggregateKind::First | AggregateKind::Min | AggregateKind::Max => match tally.best {
                Some(b) => b.val,
                None => return Ok(self.missing_empty(coll_loc)),
            },
        };
        Ok(Operand::at(val, coll_loc))
    }

    /// An aggregate over no items (`share`, `average`, `min`, `max`) is unknown: nothing sampled.
    #[inline(never)]
    pub(super) fn missing_empty(&self, loc: Loc) -> Operand<'a> {
        let pointer = self.pointer(loc);
        Operand::unknown(
            UnknownReasons {
                missing: vec![pointer],
                invalid: Vec::new(),
            },
            loc,
        )
    }
}

/// A value `count distinct` tells apart: values of different kinds are never the same.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Distinct<'a> {
    Text(std::borrow::Cow<'a, str>),
    Number(Number),
    Truth(bool),
}

/// What an aggregate has taken from its items so far.
pub(super) struct Tally<'a> {
    kind: AggregateKind,
    /// Items selected.
    pub(super) count: i64,
    /// Items whose body held (`count`, `share`), or items counted without a body.
    pub(super) hits: i64,
    sum: Number,
    /// The extreme so far (`min`, `max`) or the first match (`first`).
    best: Option<Operand<'a>>,
    /// The answer of `any`, `all` or `none`, once one item decides it.
    decided: Option<bool>,
    /// A sum out of range, raised after the iteration.
    fault: Option<Fault>,
    /// Why items' bodies were unknown.
    why: UnknownReasons,
    /// The path of the first match: its location dies with the iteration.
    first_path: Option<Vec<PathSegment<'a>>>,
    /// The distinct values (`count distinct`): texts (borrowed from the evidence where they
    /// come from it), numbers and truth values.
    distinct: BTreeSet<Distinct<'a>>,
}

impl<'a> Tally<'a> {
    /// Whether an item's body was unknown or a sum went out of range.
    pub(super) fn unsure(&self) -> bool {
        self.fault.is_some() || !self.why.missing.is_empty() || !self.why.invalid.is_empty()
    }

    pub(super) fn new(kind: AggregateKind) -> Tally<'a> {
        Tally {
            kind,
            count: 0,
            hits: 0,
            sum: Number::ZERO,
            best: None,
            decided: None,
            fault: None,
            why: UnknownReasons::default(),
            first_path: None,
            distinct: BTreeSet::new(),
        }
    }

    /// Takes the body's value for one item; `false` when the answer is decided.
    pub(super) fn take(&mut self, ev: &mut Evaluator<'a>, v: Operand<'a>) -> Result<bool, Fault> {
        match (&v.val, self.kind) {
            (
                RtValue::Str(_) | RtValue::Num(_) | RtValue::Date(_) | RtValue::Bool(_),
                AggregateKind::CountDistinct,
            ) => {
                // Dates read as text and as dates are the same value.
                let key = match &v.val {
                    RtValue::Str(s) => Distinct::Text(s.clone()),
                    RtValue::Num(n) => Distinct::Number(*n),
                    RtValue::Date(d) => Distinct::Text(std::borrow::Cow::Owned(d.to_string())),
                    RtValue::Bool(b) => Distinct::Truth(*b),
                    _ => Distinct::Truth(false),
                };
                self.distinct.insert(key);
                Ok(true)
            }
            (_, AggregateKind::First) => {
                self.first_path = ev.segments(v.loc);
                self.best = Some(v);
                Ok(false)
            }
            (RtValue::Unknown(w), _) => {
                self.why.merge(w);
                Ok(true)
            }
            (RtValue::Bool(b), AggregateKind::Any | AggregateKind::All | AggregateKind::None) => {
                Ok(self.quantify(*b))
            }
            (RtValue::Bool(b), AggregateKind::Share | AggregateKind::Count) => {
                if *b {
                    self.hits += 1;
                }
                Ok(true)
            }
            (RtValue::Num(n), AggregateKind::Sum | AggregateKind::Average) => {
                match self.sum.checked_add(*n) {
                    Some(s) => self.sum = s,
                    None => self.fault = Some(FaultKind::SumOverflow.into()),
                }
                Ok(true)
            }
            (
                RtValue::Num(_) | RtValue::Date(_) | RtValue::Str(_) | RtValue::Dur(_),
                AggregateKind::Min | AggregateKind::Max,
            ) => {
                self.extreme(ev, v)?;
                Ok(true)
            }
            _ => {
                let want = match self.kind {
                    AggregateKind::Sum | AggregateKind::Average => "a number",
                    AggregateKind::Min | AggregateKind::Max => "a number or a date",
                    _ => "true or false",
                };
                if let RtValue::Unknown(w) = ev.type_error(&v, want)?.val {
                    self.why.merge(&w);
                }
                Ok(true)
            }
        }
    }

    /// `any`, `all` or `none` of one truth value; `false` once that decides the answer.
    fn quantify(&mut self, b: bool) -> bool {
        let (deciding, answer) = match self.kind {
            AggregateKind::Any => (true, true),
            AggregateKind::All => (false, false),
            _ => (true, false),
        };
        if b == deciding {
            self.decided = Some(answer);
            return false;
        }
        true
    }

    /// Keeps `v` if it is below (`min`) or above (`max`) the best so far.
    fn extreme(&mut self, ev: &Evaluator<'a>, v: Operand<'a>) -> Result<(), Fault> {
        let v = if matches!(v.val, RtValue::Str(_)) {
            match ev.as_date(v) {
                Ok(d) => d,
                Err(w) => {
                    self.why.merge(&w);
                    return Ok(());
                }
            }
        } else {
            v
        };
        let better = match &self.best {
            None => true,
            Some(b) => match ev.order(&v, b)? {
                Ok(Some(o)) => {
                    (o == Ordering::Less) == (self.kind == AggregateKind::Min)
                        && o != Ordering::Equal
                }
                Ok(None) => false,
                Err(w) => {
                    self.why.merge(&w);
                    false
                }
            },
        };
        if better {
            self.best = Some(Operand::new(v.val));
        }
        Ok(())
    }
}
