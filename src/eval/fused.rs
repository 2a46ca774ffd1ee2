//! Fused aggregates: the members of a group (`check/fuse.rs`) computed in one pass over their
//! items when the first of them is needed, each with its own tally, and each handed its
//! result, and charged its steps, when its own `let` needs it.
//!
//! The pass runs on the quick path only: every item's filter and every member's body must
//! have a known value there. Where one does not (an unknown filter, a body the quick path
//! cannot compute, a sum out of range), or when `explain` traces the clause, the pass is
//! given up for this run of the statements and every member is computed alone, as without
//! fusion. A member's result is the one it would compute alone: the same items, the same
//! values (the checker made sure it reads nothing assigned after the group's first `let`),
//! the same location (its collection's), and the same number of steps (one per item).

use serde_json::Value;

use super::Evaluator;
use super::evidence::PathSegment;
use super::fault::Fault;
use super::iterate::Tally;
use super::quick::quick_compare;
use super::value::{Operand, RtValue, UnknownReasons};
use crate::program::{AggregateKind, Binding, Expect, Expr, ExprKind, Fusion, Stmt};

/// A group's results in one run of its statements.
pub(super) struct FusedRun<'a> {
    /// The run of the statement list they belong to.
    run: u64,
    /// Each member's binding (by address), result and steps; empty when the pass was given up.
    results: Vec<(usize, Operand<'a>, u64)>,
}

/// One member of a group.
struct Member<'a> {
    kind: AggregateKind,
    binding: &'a Binding,
    body: Option<&'a Expr>,
}

impl<'a> Evaluator<'a> {
    /// The fused result of the aggregate whose binding is `binding`, a member of `fusion`;
    /// `None` to compute it alone.
    pub(super) fn fused(
        &mut self,
        fusion: Fusion,
        binding: &'a Binding,
    ) -> Result<Option<Operand<'a>>, Fault> {
        if self.trace.is_some() || super::quick::general_only() {
            return Ok(None);
        }
        let group = fusion.group as usize;
        let key = std::ptr::from_ref(binding) as usize;
        let done = self
            .fusions
            .get(group)
            .and_then(Option::as_ref)
            .is_some_and(|r| r.run == self.run);
        if !done {
            let results = self.fused_pass(fusion, binding)?;
            if self.fusions.len() <= group {
                self.fusions
                    .resize_with(self.program.fusion_groups.max(group + 1), || None);
            }
            if let Some(slot) = self.fusions.get_mut(group) {
                *slot = Some(FusedRun {
                    run: self.run,
                    results,
                });
            }
        }
        let found = self
            .fusions
            .get(group)
            .and_then(Option::as_ref)
            .and_then(|r| r.results.iter().find(|(b, _, _)| *b == key))
            .map(|(_, v, steps)| (v.clone(), *steps));
        match found {
            Some((v, steps)) => {
                self.tick_n(steps)?;
                Ok(Some(v))
            }
            None => Ok(None),
        }
    }

    /// One pass computing every member of the group; no results where it is given up.
    fn fused_pass(
        &mut self,
        fusion: Fusion,
        binding: &'a Binding,
    ) -> Result<Vec<(usize, Operand<'a>, u64)>, Fault> {
        let mut members = Vec::new();
        for s in self.list {
            if let Stmt::Let { value, .. } = s {
                members_in(value, fusion, &mut members);
            }
        }
        if !members.iter().any(|m| std::ptr::eq(m.binding, binding)) {
            return Ok(Vec::new());
        }
        let coll = self.eval(&binding.collection)?;
        let items: &'a [Value] = match &coll.val {
            RtValue::Json(Value::Array(items)) if !items.is_empty() => items,
            _ => return Ok(Vec::new()),
        };
        let saved: Vec<(usize, Operand<'a>)> = members
            .iter()
            .filter_map(|m| {
                self.slots
                    .get(m.binding.slot)
                    .map(|v| (m.binding.slot, v.clone()))
            })
            .collect();
        let mut tallies: Vec<Tally<'a>> = members.iter().map(|m| Tally::new(m.kind)).collect();
        // The left side every member compares, computed once per item (`Fusion::shared_left`).
        let shared_left = members
            .iter()
            .find(|m| std::ptr::eq(m.binding, binding))
            .and_then(|m| m.body)
            .and_then(|body| match &body.kind {
                ExprKind::Cmp(_, left, _) if fusion.shared_left => Some(&**left),
                _ => None,
            });
        let mut whole = true;
        for (i, v) in items.iter().enumerate() {
            let mark = self.arena.len();
            let loc = self.push(coll.loc, PathSegment::Index(i));
            let item = self.convert(v, loc, Expect::Any);
            for m in &members {
                self.set(m.binding.slot, item.clone());
            }
            let selected = match &binding.filter {
                None => Some(true),
                Some(filter) => self.quick_truth(filter),
            };
            match selected {
                Some(true) if shared_left.is_some() => {
                    whole = self.compare_shared(shared_left, &members, &mut tallies);
                }
                Some(true) => {
                    for (m, tally) in members.iter().zip(tallies.iter_mut()) {
                        tally.count += 1;
                        let Some(body) = m.body else {
                            tally.hits += 1;
                            continue;
                        };
                        match self.quick_body(m.kind, body) {
                            Some(v) => {
                                tally.take(self, v)?;
                            }
                            None => {
                                whole = false;
                                break;
                            }
                        }
                    }
                }
                Some(false) => {}
                None => whole = false,
            }
            self.arena.truncate(mark);
            if !whole {
                break;
            }
        }
        for (slot, v) in saved {
            self.set(slot, v);
        }
        if !whole || tallies.iter().any(Tally::unsure) {
            return Ok(Vec::new());
        }
        let steps = u64::try_from(items.len()).unwrap_or(u64::MAX);
        let mut results = Vec::with_capacity(members.len());
        for (m, tally) in members.iter().zip(tallies) {
            let Ok(v) = self.aggregate_result(tally, UnknownReasons::default(), coll.loc) else {
                // A fault (a quotient out of range) is raised by the member computed alone.
                return Ok(Vec::new());
            };
            results.push((std::ptr::from_ref(m.binding) as usize, v, steps));
        }
        Ok(results)
    }
}

impl<'a> Evaluator<'a> {
    /// One item of a group whose members count comparisons with the same left side: that
    /// side once, then each member's comparison; `false` where the quick path cannot judge.
    fn compare_shared(
        &self,
        left: Option<&'a Expr>,
        members: &[Member<'a>],
        tallies: &mut [Tally<'a>],
    ) -> bool {
        let Some(left) = left.and_then(|l| self.quick(l)) else {
            return false;
        };
        for (m, tally) in members.iter().zip(tallies.iter_mut()) {
            let Some(ExprKind::Cmp(op, _, right)) = m.body.map(|b| &b.kind) else {
                return false;
            };
            let Some(holds) = self.quick(right).and_then(|r| quick_compare(*op, left, r)) else {
                return false;
            };
            // As `Tally::take` counts a truth value for `count` and `share`.
            tally.count += 1;
            if holds {
                tally.hits += 1;
            }
        }
        true
    }
}

/// The members of `fusion` in `e`, in order.
fn members_in<'a>(e: &'a Expr, fusion: Fusion, out: &mut Vec<Member<'a>>) {
    match &e.kind {
        ExprKind::Aggregate {
            kind,
            bindings,
            body,
            fusion: Some(f),
        } if *f == fusion => {
            if let [b] = bindings.as_slice() {
                out.push(Member {
                    kind: *kind,
                    binding: b,
                    body: body.as_deref(),
                });
            }
        }
        ExprKind::Aggregate { .. } => {}
        _ => e.each_operand(|c| members_in(c, fusion, out)),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::super::quick::tests::report_by;
    use crate::limits::EvalLimits;
    use crate::program::{Expr, ExprKind, Stmt};
    use crate::{Options, RulePack};

    const PACK: &str = r#"pack p "P" languages en
evidence {
  limit: number
  weeks: [{ hours: number, extra: number, start: date }]
  breaks: [{ start: date }]
}
clause c.weeks
  title en "Weeks"
  let a = share(w in weeks where none(k in breaks: k.start == w.start): w.hours > 40)
  let t = 50
  let b = share(w in weeks where none(k in breaks: k.start == w.start): w.hours > t)
  let c = count(x in weeks where none(k in breaks: k.start == x.start): x.hours + x.extra > 60)
  let d = sum(w in weeks where none(k in breaks: k.start == w.start): w.extra)
  let e = if limit > 1000 then 0
          else average(w in weeks where none(k in breaks: k.start == w.start): w.hours)
  let f = share(w in weeks: w.hours > 40)
  let g = count(v in weeks: v.hours >= limit)
  let h = share(u in weeks: u.hours < 45.5)
  require a == 0 and c == 0
    message en "a {actual}"
  require d < limit
    message en "d {actual}"
  require e <= 40 and b == 0 and f == 0
    message en "e {actual}"
  require g + h < 2
    message en "g {actual}"
"#;

    fn week(hours: Value, extra: Value, start: &str) -> Value {
        json!({ "hours": hours, "extra": extra, "start": start })
    }

    /// The groups of the aggregates in the `let`s of `stmts` and the loops in it, in order.
    fn groups(stmts: &[Stmt], out: &mut Vec<Option<(u32, bool)>>) {
        for s in stmts {
            match s {
                Stmt::Let { value, .. } => walk(value, out),
                Stmt::For { body, .. } => groups(body, out),
                _ => {}
            }
        }
    }

    fn walk(e: &Expr, out: &mut Vec<Option<(u32, bool)>>) {
        match &e.kind {
            ExprKind::Aggregate { fusion, .. } => {
                out.push(fusion.map(|f| (f.group, f.shared_left)));
            }
            ExprKind::If(a, b, c) => {
                walk(a, out);
                walk(b, out);
                walk(c, out);
            }
            ExprKind::Coalesce(a, b) | ExprKind::Arith(_, a, b) | ExprKind::Cmp(_, a, b) => {
                walk(a, out);
                walk(b, out);
            }
            _ => {}
        }
    }

    /// The groups of a clause's aggregates.
    fn clause_groups(pack: &RulePack, id: &str) -> Vec<Option<(u32, bool)>> {
        let mut out = Vec::new();
        if let Some(c) = pack.program().clauses.iter().find(|c| c.id == id) {
            groups(&c.body, &mut out);
        }
        out
    }

    /// The shares, count, sum and average over the same weeks and filter are one group; the
    /// share reading a later `let` is in none; the count and shares of `hours` without the
    /// filter are another, which compares `hours` once per week.
    #[test]
    fn aggregates_over_the_same_items_are_grouped() {
        let pack = RulePack::builder().file("p.conduct", PACK).build().unwrap();
        let (first, second) = (Some((0, false)), Some((1, true)));
        assert_eq!(
            clause_groups(&pack, "c.weeks"),
            vec![first, None, first, first, first, second, second, second]
        );
        // The weekly limit's four shares of the weeks outside emergencies (over the cap, 60,
        // 72 and 84 hours); the emergencies' `none` is inside them, and `first` is not fused.
        let regions =
            RulePack::load(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/regions")).unwrap();
        let found = clause_groups(&regions, "working_hours.weekly_limit");
        let fused: Vec<(u32, bool)> = found.iter().flatten().copied().collect();
        assert_eq!(fused.len(), 4, "{found:?}");
        assert!(fused.iter().all(|g| Some(g) == fused.first()), "{found:?}");
        assert!(fused.iter().all(|(_, shared)| *shared), "{found:?}");
    }

    /// A statement list with more aggregates than any pack writes is left unfused (grouping
    /// compares each with the groups before it); one with fewer is fused.
    #[test]
    fn a_list_of_very_many_aggregates_is_not_fused() {
        let head = "pack p \"P\" languages en\nevidence { weeks: [{ hours: number }] }\n\
                    clause c.many\n  title en \"Many\"\n";
        let pack_of = |n: usize| {
            let lets: String = (0..n)
                .map(|i| format!("  let s{i} = share(w in weeks: w.hours > {i})\n"))
                .collect();
            let text = format!("{head}{lets}  require s0 == 0\n    message en \"{{actual}}\"\n");
            RulePack::builder()
                .file("p.conduct", &text)
                .build()
                .unwrap()
        };
        let many = clause_groups(&pack_of(300), "c.many");
        assert_eq!(many.len(), 300);
        assert!(many.iter().all(Option::is_none));
        let few = clause_groups(&pack_of(200), "c.many");
        assert!(few.iter().all(|g| *g == Some((0, true))), "{few:?}");
    }

    /// Fused or not, the same reports: plain weeks, a week the quick path cannot judge, no
    /// weeks, a filter over breaks, a sum out of range, and every step limit up to past the
    /// clause's needs (a limit met inside a fused member raises the same fault).
    #[test]
    fn fused_aggregates_give_the_reports_of_unfused_ones() {
        let pack = RulePack::builder().file("p.conduct", PACK).build().unwrap();
        let plain = json!({ "limit": 100, "breaks": [], "weeks": [
            week(json!(38), json!(2), "2024-01-01"),
            week(json!(45), json!(20), "2024-01-08"),
            week(json!(52.5), json!(0.25), "2024-01-15"),
        ]});
        let mut missing = plain.clone();
        missing["weeks"][1]["hours"] = Value::Null;
        let mut text = plain.clone();
        text["weeks"][2]["extra"] = json!("many");
        let mut empty = plain.clone();
        empty["weeks"] = json!([]);
        let mut breaks = plain.clone();
        breaks["breaks"] = json!([{ "start": "2024-01-08" }]);
        let mut huge = plain.clone();
        huge["weeks"][0]["extra"] = json!(9e19);
        huge["weeks"][1]["extra"] = json!(9e19);
        let mut large_limit = plain.clone();
        large_limit["limit"] = json!(5000);
        let docs = [plain, missing, text, empty, breaks, huge, large_limit];
        for (i, doc) in docs.iter().enumerate() {
            for steps in (1..40).chain([10_000_000]) {
                let options = Options::default().limits(EvalLimits::default().max_steps(steps));
                let fused = report_by(&pack, doc, &options, false);
                let alone = report_by(&pack, doc, &options, true);
                assert!(
                    fused == alone,
                    "document {i}, {steps} steps:\n{fused}\n{alone}"
                );
            }
        }
    }
}
