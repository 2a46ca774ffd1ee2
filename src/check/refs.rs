//! Clauses that read clauses: the calls `outcome(id)`, `violated(id)`, `violated_for(id, key)` and
//! `title_of(id)` → each literal id resolved (E216, with a suggestion), no such call outside
//! a clause (E218), and the order clauses are judged in: each after the clauses it reads,
//! with a cycle an error that names it (E217). A call whose id is computed (read from the
//! evidence) reads every other clause.

use super::Checker;
use crate::ast;
use crate::diagnostic::{Code, RawDiagnostic, did_you_mean};
use crate::program::ClauseDef;
use crate::source::Span;

/// The builtins that read another clause, and whether they read its outcome (`title_of`
/// reads only its title, fixed before any evaluation).
pub(super) const READERS: [(&str, bool); 4] = [
    ("outcome", true),
    ("violated", true),
    ("violated_for", true),
    ("title_of", false),
];

/// One call that reads a clause.
#[derive(Debug, Clone)]
pub(super) struct ClauseRef {
    /// The clause the call is in.
    from: String,
    /// The clause it names, when written as a literal text, with the text's place.
    to: Option<(String, Span)>,
    /// Whether it reads the outcome (and so orders the clauses).
    orders: bool,
    /// The call.
    span: Span,
}

impl Checker<'_> {
    /// Notes a call of a clause-reading builtin (`name`) with its first argument.
    pub(super) fn clause_ref(&mut self, name: &str, first: Option<&ast::Expr>, span: Span) {
        let Some((_, orders)) = READERS.iter().find(|(n, _)| *n == name) else {
            return;
        };
        let Some(from) = self.this_clause.clone() else {
            self.error(
                RawDiagnostic::new(
                    Code::E218,
                    span,
                    format!("`{name}` reads a clause, and only a clause may call it"),
                )
                .label("outside a clause")
                .help("call it inside the clause that reads the other, not in a pack-level `let` or function"),
            );
            return;
        };
        let to = match first {
            Some(ast::Expr {
                kind: ast::ExprKind::Str(id),
                span,
            }) => Some((id.clone(), span.0)),
            _ => None,
        };
        self.clause_refs.push(ClauseRef {
            from,
            to,
            orders: *orders,
            span,
        });
    }

    /// Resolves the notes against the pack's `clauses`: (the order to judge them in, for
    /// each clause the clauses it reads).
    pub(super) fn order_clauses(&mut self, clauses: &[ClauseDef]) -> (Vec<usize>, Vec<Vec<usize>>) {
        let place = |id: &str| clauses.iter().position(|c| c.id == id);
        let mut reads: Vec<Vec<usize>> = vec![Vec::new(); clauses.len()];
        // The call that makes each edge, for the cycle's diagnostic.
        let mut edge_span: Vec<Vec<(usize, Span)>> = vec![Vec::new(); clauses.len()];
        for r in std::mem::take(&mut self.clause_refs) {
            let Some(from) = place(&r.from) else { continue };
            let targets: Vec<usize> = match &r.to {
                Some((id, span)) => match place(id) {
                    Some(to) => vec![to],
                    None => {
                        let help = did_you_mean(id, clauses.iter().map(|c| c.id.as_str()));
                        self.error(
                            RawDiagnostic::new(Code::E216, *span, format!("unknown clause `{id}`"))
                                .label("no clause of the pack has this id")
                                .maybe_help(help),
                        );
                        continue;
                    }
                },
                None => (0..clauses.len()).filter(|&i| i != from).collect(),
            };
            if !r.orders {
                continue;
            }
            for to in targets {
                if let (Some(list), Some(spans)) = (reads.get_mut(from), edge_span.get_mut(from))
                    && !list.contains(&to)
                {
                    list.push(to);
                    spans.push((to, r.span));
                }
            }
        }
        for list in &mut reads {
            list.sort_unstable();
        }
        let order = self.judging_order(clauses, &reads, &edge_span);
        (order, reads)
    }

    /// Each clause after those it reads, else in the pack's order; E217 for a cycle.
    fn judging_order(
        &mut self,
        clauses: &[ClauseDef],
        reads: &[Vec<usize>],
        edge_span: &[Vec<(usize, Span)>],
    ) -> Vec<usize> {
        let n = clauses.len();
        let mut done = vec![false; n];
        let mut order = Vec::with_capacity(n);
        while order.len() < n {
            let next = (0..n).find(|&i| {
                !done.get(i).copied().unwrap_or(true)
                    && reads
                        .get(i)
                        .is_some_and(|r| r.iter().all(|&j| done.get(j).copied().unwrap_or(true)))
            });
            let Some(i) = next else { break };
            if let Some(d) = done.get_mut(i) {
                *d = true;
            }
            order.push(i);
        }
        if order.len() < n {
            // A cycle among the clauses left: walk their first unjudged reads until one repeats.
            let start = (0..n)
                .find(|&i| !done.get(i).copied().unwrap_or(true))
                .unwrap_or(0);
            let mut path = vec![start];
            let mut at = start;
            loop {
                let next = reads
                    .get(at)
                    .and_then(|r| r.iter().find(|&&j| !done.get(j).copied().unwrap_or(true)))
                    .copied();
                let Some(next) = next else { break };
                if let Some(k) = path.iter().position(|&p| p == next) {
                    path.drain(..k);
                    path.push(next);
                    break;
                }
                path.push(next);
                at = next;
            }
            let names: Vec<&str> = path
                .iter()
                .filter_map(|&i| clauses.get(i).map(|c| c.id.as_str()))
                .collect();
            let first = path.first().copied().unwrap_or(start);
            let second = path.get(1).copied().unwrap_or(first);
            let span = edge_span
                .get(first)
                .and_then(|s| s.iter().find(|(to, _)| *to == second))
                .map(|(_, s)| *s);
            if let Some(span) = span {
                self.error(
                    RawDiagnostic::new(
                        Code::E217,
                        span,
                        format!("clauses read each other's outcomes: {}", names.join(" → ")),
                    )
                    .label("this reads a clause that reads this one")
                    .help("a clause can read only clauses that do not read it back; an id read from the evidence reads every other clause"),
                );
            }
            // Judge the rest in the pack's order, so that the program stays whole.
            order.extend((0..n).filter(|&i| !done.get(i).copied().unwrap_or(true)));
        }
        order
    }
}
