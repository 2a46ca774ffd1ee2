//! Aggregates fused into one pass over their items.
//!
//! `working_hours.weekly_limit` computes four shares of the same worker-weeks under the same
//! filter (over the cap, over 60, 72 and 84 hours), one per `let`: four passes where one
//! would do. Here the aggregates of a statement list's `let`s that iterate the same
//! collection under the same filter are put in one group ([`Fusion`]); the evaluator
//! computes every member of a group in one pass when the first is needed, each with its own
//! tally, and hands each its result when its own `let` needs it (`eval/iterate.rs`).
//!
//! A member is an aggregate that visits every item (`count`, `sum`, `share`, `average`) over
//! one binding with no index lookup, found in a `let`'s value outside any other aggregate.
//! Members of a group have the same collection and filter, up to the names of their items,
//! and read nothing that a `let` at or after the group's first member assigns: computed
//! early, a member sees the values it would see when its own `let` is run.

use crate::program::{
    AggregateKind, Binding, Expr, ExprKind, Fusion, Lookup, PathBase, Step, Stmt,
};

/// The most aggregates of one statement list considered for fusion.
const MAX_CANDIDATES: usize = 256;

/// Puts the fusable aggregates of `stmts`' `let`s in groups; `groups` counts the groups of
/// the pack.
pub(super) fn fuse(stmts: &mut [Stmt], groups: &mut u32) {
    // The candidates, in order, with the index of their `let`.
    let mut found: Vec<(usize, &Expr)> = Vec::new();
    let mut let_slots: Vec<(usize, usize)> = Vec::new();
    for (i, s) in stmts.iter().enumerate() {
        if let Stmt::Let { slot, value } = s {
            let_slots.push((i, *slot));
            let mut here = Vec::new();
            candidates(value, &mut here);
            found.extend(here.into_iter().map(|e| (i, e)));
        }
    }
    // Grouping compares each candidate with the groups before it: a list with more
    // candidates than any pack writes (a generated or hostile file) is left unfused.
    if found.len() < 2 || found.len() > MAX_CANDIDATES {
        return;
    }
    // Each candidate's group: the first earlier candidate it matches, or its own.
    let mut leader_of: Vec<usize> = Vec::with_capacity(found.len());
    for (j, (_, e)) in found.iter().enumerate() {
        let leader = found
            .iter()
            .take(j)
            .enumerate()
            .position(|(k, (_, l))| leader_of.get(k) == Some(&k) && same_items(l, e))
            .unwrap_or(j);
        leader_of.push(leader);
    }
    // A member may not read what a `let` at or after its leader's assigns.
    let mut group_of: Vec<Option<Fusion>> = vec![None; found.len()];
    let mut next = *groups;
    for (leader, (at, _)) in found.iter().enumerate() {
        if leader_of.get(leader) != Some(&leader) {
            continue;
        }
        let mut late: Vec<usize> = let_slots
            .iter()
            .filter(|(i, _)| i >= at)
            .map(|(_, s)| *s)
            .collect();
        late.sort_unstable();
        let members: Vec<usize> = (0..found.len())
            .filter(|&j| leader_of.get(j) == Some(&leader))
            .filter(|&j| found.get(j).is_some_and(|(_, e)| reads_none_of(e, &late)))
            .collect();
        if members.len() < 2 || !members.contains(&leader) {
            continue;
        }
        let lead = found.get(leader).map(|(_, e)| *e);
        let shared_left = members.iter().all(|&j| {
            found
                .get(j)
                .zip(lead)
                .is_some_and(|((_, e), lead)| same_left(lead, e))
        });
        for j in members {
            if let Some(g) = group_of.get_mut(j) {
                *g = Some(Fusion {
                    group: next,
                    shared_left,
                });
            }
        }
        next += 1;
    }
    *groups = next;
    // Mark them, walking in the same order.
    let mut ordinal = 0;
    for s in stmts.iter_mut() {
        if let Stmt::Let { value, .. } = s {
            mark(value, &mut ordinal, &group_of);
        }
    }
}

/// Whether `e` is an aggregate that can be fused: it visits every item of one binding.
fn fusable(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Aggregate { kind, bindings, .. } => {
            matches!(
                kind,
                AggregateKind::Count
                    | AggregateKind::Sum
                    | AggregateKind::Share
                    | AggregateKind::Average
            ) && matches!(bindings.as_slice(), [b] if b.lookup.is_none())
        }
        _ => false,
    }
}

/// The fusable aggregates in `e`, in order, outside other aggregates.
fn candidates<'e>(e: &'e Expr, out: &mut Vec<&'e Expr>) {
    if fusable(e) {
        out.push(e);
        return;
    }
    if matches!(e.kind, ExprKind::Aggregate { .. }) {
        return;
    }
    e.each_operand(|c| candidates(c, out));
}

/// Gives the candidates in `e` their groups, in the order [`candidates`] finds them.
fn mark(e: &mut Expr, ordinal: &mut usize, group_of: &[Option<Fusion>]) {
    if fusable(e) {
        if let ExprKind::Aggregate { fusion, .. } = &mut e.kind {
            *fusion = group_of.get(*ordinal).copied().flatten();
        }
        *ordinal += 1;
        return;
    }
    if !matches!(e.kind, ExprKind::Aggregate { .. }) {
        e.each_operand_mut(|c| mark(c, ordinal, group_of));
    }
}

/// Whether two fusable aggregates visit the same items: the same collection and filter, up
/// to the slots of their items.
fn same_items(a: &Expr, b: &Expr) -> bool {
    match (&a.kind, &b.kind) {
        (ExprKind::Aggregate { bindings: x, .. }, ExprKind::Aggregate { bindings: y, .. }) => {
            match (x.as_slice(), y.as_slice()) {
                ([x], [y]) => {
                    let mut map = Vec::new();
                    same(&x.collection, &y.collection, &mut map) && {
                        map.push((x.slot, y.slot));
                        same_option(x.filter.as_ref(), y.filter.as_ref(), &mut map)
                    }
                }
                _ => false,
            }
        }
        _ => false,
    }
}

/// Whether two fusable aggregates are a `count` or `share` of comparisons with the same left
/// side, up to the slots of their items.
fn same_left(a: &Expr, b: &Expr) -> bool {
    match (compared(a), compared(b)) {
        (Some((x, l)), Some((y, r))) => same(l, r, &mut vec![(x, y)]),
        _ => false,
    }
}

/// The slot of the item and the left side of the comparison a `count` or `share` counts.
fn compared(e: &Expr) -> Option<(usize, &Expr)> {
    match &e.kind {
        ExprKind::Aggregate {
            kind: AggregateKind::Count | AggregateKind::Share,
            bindings,
            body: Some(body),
            ..
        } => match (bindings.as_slice(), &body.kind) {
            ([b], ExprKind::Cmp(_, l, _)) => Some((b.slot, &**l)),
            _ => None,
        },
        _ => None,
    }
}

/// Two slots are the same where they are bound in the same place (`map`), or are the same
/// slot bound outside both.
fn same_slot(x: usize, y: usize, map: &[(usize, usize)]) -> bool {
    match map.iter().rev().find(|(l, r)| *l == x || *r == y) {
        Some((l, r)) => *l == x && *r == y,
        None => x == y,
    }
}

fn same_option(a: Option<&Expr>, b: Option<&Expr>, map: &mut Vec<(usize, usize)>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => same(a, b, map),
        _ => false,
    }
}

fn same_all(a: &[Expr], b: &[Expr], map: &mut Vec<(usize, usize)>) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y, map))
}

fn same_steps(a: &[Step], b: &[Step]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| match (x, y) {
            (Step::Key(x), Step::Key(y)) => x == y,
            (Step::Index(x), Step::Index(y)) => x == y,
            _ => false,
        })
}

fn same_lookup(a: Option<&Lookup>, b: Option<&Lookup>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => a.key == b.key && a.other_is_right == b.other_is_right,
        _ => false,
    }
}

/// Whether two expressions compute the same thing, up to the slots bound inside them.
fn same(a: &Expr, b: &Expr, map: &mut Vec<(usize, usize)>) -> bool {
    use ExprKind as K;
    match (&a.kind, &b.kind) {
        (K::Const(x), K::Const(y)) => x == y,
        (K::Local(x), K::Local(y)) => same_slot(*x, *y, map),
        (K::Param(x), K::Param(y)) | (K::Global(x), K::Global(y)) => x == y,
        (K::AsOf, K::AsOf) => true,
        (
            K::Path {
                base: bx,
                steps: sx,
                expect: ex,
            },
            K::Path {
                base: by,
                steps: sy,
                expect: ey,
            },
        ) => {
            let bases = match (bx, by) {
                (PathBase::Root, PathBase::Root) => true,
                (PathBase::Local(x), PathBase::Local(y)) => same_slot(*x, *y, map),
                _ => false,
            };
            bases && ex == ey && same_steps(sx, sy)
        }
        (K::Index(a1, a2, ex), K::Index(b1, b2, ey)) => {
            ex == ey && same(a1, b1, map) && same(a2, b2, map)
        }
        (K::Table(x, a1), K::Table(y, b1)) => x == y && same(a1, b1, map),
        (K::Call(x, xs), K::Call(y, ys)) => x == y && same_all(xs, ys, map),
        (K::CallFunction(x, xs), K::CallFunction(y, ys)) => x == y && same_all(xs, ys, map),
        (
            K::Aggregate {
                kind: kx,
                bindings: bx,
                body: ox,
                ..
            },
            K::Aggregate {
                kind: ky,
                bindings: by,
                body: oy,
                ..
            },
        ) => {
            let depth = map.len();
            let bindings = kx == ky
                && bx.len() == by.len()
                && bx.iter().zip(by).all(|(x, y)| same_binding(x, y, map));
            let equal = bindings && same_option(ox.as_deref(), oy.as_deref(), map);
            map.truncate(depth);
            equal
        }
        (K::List(xs), K::List(ys)) => same_all(xs, ys, map),
        (K::Not(x), K::Not(y)) | (K::Neg(x), K::Neg(y)) => same(x, y, map),
        (K::And(a1, a2), K::And(b1, b2))
        | (K::Or(a1, a2), K::Or(b1, b2))
        | (K::Coalesce(a1, a2), K::Coalesce(b1, b2)) => same(a1, b1, map) && same(a2, b2, map),
        (K::Cmp(x, a1, a2), K::Cmp(y, b1, b2)) => x == y && same(a1, b1, map) && same(a2, b2, map),
        (K::Arith(x, a1, a2), K::Arith(y, b1, b2)) => {
            x == y && same(a1, b1, map) && same(a2, b2, map)
        }
        (
            K::In {
                item: a1,
                list: a2,
                negated: x,
            },
            K::In {
                item: b1,
                list: b2,
                negated: y,
            },
        ) => x == y && same(a1, b1, map) && same(a2, b2, map),
        (K::If(a1, a2, a3), K::If(b1, b2, b3)) => {
            same(a1, b1, map) && same(a2, b2, map) && same(a3, b3, map)
        }
        (K::Duration(x, ux), K::Duration(y, uy)) => ux == uy && same(x, y, map),
        _ => false,
    }
}

/// One binding of two aggregates: the same collection (outside the binding), then the item
/// bound in the same place, then the same filter and index plan.
fn same_binding(x: &Binding, y: &Binding, map: &mut Vec<(usize, usize)>) -> bool {
    if !same(&x.collection, &y.collection, map) {
        return false;
    }
    map.push((x.slot, y.slot));
    same_option(x.filter.as_ref(), y.filter.as_ref(), map)
        && same_lookup(x.lookup.as_ref(), y.lookup.as_ref())
}

/// Whether the aggregate `e` reads none of `slots` (sorted; the slots it binds itself aside).
fn reads_none_of(e: &Expr, slots: &[usize]) -> bool {
    let mut bound = Vec::new();
    free_of(e, slots, &mut bound)
}

fn free_of(e: &Expr, slots: &[usize], bound: &mut Vec<usize>) -> bool {
    let reads = |s: &usize, bound: &[usize]| !bound.contains(s) && slots.binary_search(s).is_ok();
    match &e.kind {
        ExprKind::Local(s)
        | ExprKind::Path {
            base: PathBase::Local(s),
            ..
        } => !reads(s, bound),
        ExprKind::Aggregate { bindings, body, .. } => {
            let depth = bound.len();
            let mut free = true;
            for b in bindings {
                free = free && free_of(&b.collection, slots, bound);
                bound.push(b.slot);
                free = free && b.filter.as_ref().is_none_or(|f| free_of(f, slots, bound));
            }
            free = free && body.as_ref().is_none_or(|x| free_of(x, slots, bound));
            bound.truncate(depth);
            free
        }
        // What a `let` or a loop around the requirement says about a violation: not in a
        // `let` of a clause's statements, and never fused.
        ExprKind::Severity | ExprKind::Actual | ExprKind::Expected => false,
        _ => {
            let mut free = true;
            e.each_operand(|c| free = free && free_of(c, slots, bound));
            free
        }
    }
}
