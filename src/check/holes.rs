//! W006: a placeholder of a message, remediation or `expected` text that can be unknown when
//! its requirement is violated, so that the finding would say "(not given)" where the author
//! meant a value. In: the requirement's compiled condition and texts, the evidence the
//! enclosing `for each` loops establish and the `let`s in scope; out: one warning per hole.
//!
//! A practical approximation: a hole is safe when every evidence field it reads (outside the
//! left side of a `??`) is read by the condition itself, is a key of a loop item or is read by
//! a loop's `where` filter. A `let` the condition does not read is looked through. Aggregates,
//! parameters, `as_of`, `actual`, `expected` and `severity` are always safe.

use std::collections::HashMap;
use std::sync::Arc;

use super::Checker;
use crate::diagnostic::{Code, RawDiagnostic};
use crate::program::{Binding, Expr, ExprKind, PathBase, Step, Template, TemplatePart};

/// An evidence read: the local it starts from (`None` for the document) and its field names.
pub(super) type Read = (Option<usize>, Vec<Arc<str>>);

/// What the enclosing statements establish: reads known to succeed inside the current loops,
/// and the unguarded reads of each `let` (by its slot).
#[derive(Default)]
pub(super) struct Established {
    pub(super) known: Vec<Read>,
    pub(super) lets: HashMap<usize, Vec<Read>>,
}

/// The reads of `e` that are not guarded by a `??`; a local is a read of its own.
fn reads(e: &Expr, out: &mut Vec<Read>) {
    match &e.kind {
        ExprKind::Path { base, steps, .. } => {
            let base = match base {
                PathBase::Root => None,
                PathBase::Local(slot) => Some(*slot),
            };
            let names = steps
                .iter()
                .map(|s| match s {
                    Step::Key(k) => k.clone(),
                    Step::Index(i) => Arc::from(format!("[{i}]")),
                })
                .collect();
            out.push((base, names));
        }
        ExprKind::Local(slot) => out.push((Some(*slot), Vec::new())),
        // The author's wording for the unknown case, or an aggregate's own value.
        ExprKind::Coalesce(..)
        | ExprKind::Aggregate { .. }
        | ExprKind::Const(_)
        | ExprKind::Param(_)
        | ExprKind::Global(_)
        | ExprKind::AsOf
        | ExprKind::Severity
        | ExprKind::Actual
        | ExprKind::Expected => {}
        ExprKind::Index(a, b, _)
        | ExprKind::And(a, b)
        | ExprKind::Or(a, b)
        | ExprKind::Cmp(_, a, b)
        | ExprKind::Arith(_, a, b)
        | ExprKind::In {
            item: a, list: b, ..
        } => {
            reads(a, out);
            reads(b, out);
        }
        ExprKind::Table(_, a) | ExprKind::Not(a) | ExprKind::Neg(a) | ExprKind::Duration(a, _) => {
            reads(a, out);
        }
        ExprKind::Call(_, args) | ExprKind::CallFunction(_, args) | ExprKind::List(args) => {
            for a in args {
                reads(a, out);
            }
        }
        ExprKind::If(a, b, c) => {
            reads(a, out);
            reads(b, out);
            reads(c, out);
        }
    }
}

/// Every read of `e`, guarded or not (what the condition establishes when it is decided).
fn all_reads(e: &Expr, out: &mut Vec<Read>) {
    match &e.kind {
        ExprKind::Coalesce(a, b) => {
            all_reads(a, out);
            all_reads(b, out);
        }
        _ => reads(e, out),
    }
}

/// Whether `read` is known: it, or a read that goes through it, is in `known`.
fn covered(read: &Read, known: &[Read]) -> bool {
    known
        .iter()
        .any(|(base, names)| *base == read.0 && names.starts_with(&read.1))
}

impl Checker<'_> {
    /// A `let`'s unguarded reads, the `let`s it reads looked through.
    pub(super) fn establish_let(&mut self, slot: usize, value: &Expr) {
        let mut direct = Vec::new();
        reads(value, &mut direct);
        let mut out = Vec::new();
        for r in direct {
            match (r.0, r.1.is_empty()) {
                (Some(s), true) if self.established.lets.contains_key(&s) => {
                    out.extend(self.established.lets.get(&s).cloned().unwrap_or_default());
                }
                _ => out.push(r),
            }
        }
        self.established.lets.insert(slot, out);
    }

    /// What a `for each` establishes in its body: each item (and its keys) exists, and its
    /// filter's reads were decided. Returns the mark to [`Checker::forget`] at the loop's end.
    pub(super) fn establish_loop(&mut self, bindings: &[Binding]) -> usize {
        let mark = self.established.known.len();
        for b in bindings {
            self.established.known.push((Some(b.slot), Vec::new()));
            for key in b.keys.iter() {
                self.established
                    .known
                    .push((Some(b.slot), vec![key.clone()]));
            }
            if let Some(f) = &b.filter {
                all_reads(f, &mut self.established.known);
            }
        }
        mark
    }

    /// Ends what a loop established.
    pub(super) fn forget(&mut self, mark: usize) {
        self.established.known.truncate(mark);
    }

    /// W006 for each hole of `texts` that can be unknown when `condition` is violated.
    pub(super) fn unknown_holes<'t>(
        &mut self,
        condition: &Expr,
        texts: impl IntoIterator<Item = &'t Template>,
    ) {
        let mut known = self.established.known.clone();
        all_reads(condition, &mut known);
        for t in texts {
            for part in &t.parts {
                let TemplatePart::Hole { expr, .. } = part else {
                    continue;
                };
                if self.hole_is_safe(expr, &known) {
                    continue;
                }
                let duplicate = self
                    .diags
                    .iter()
                    .any(|d| d.code == Code::W006 && d.span == expr.span);
                if duplicate {
                    continue;
                }
                self.error(
                    RawDiagnostic::new(
                        Code::W006,
                        expr.span,
                        "this placeholder can be unknown when the requirement is violated",
                    )
                    .label("reads evidence the condition does not")
                    .help("give the wording for the unknown case: {x ?? \"…\"}"),
                );
            }
        }
    }

    /// Whether every read of a hole is known (a `let` the condition does not read is looked
    /// through).
    fn hole_is_safe(&self, e: &Expr, known: &[Read]) -> bool {
        let mut rs = Vec::new();
        reads(e, &mut rs);
        rs.iter().all(|r| {
            if covered(r, known) {
                return true;
            }
            match (r.0, r.1.is_empty()) {
                (Some(slot), true) => self
                    .established
                    .lets
                    .get(&slot)
                    .is_some_and(|inner| inner.iter().all(|i| covered(i, known))),
                _ => false,
            }
        })
    }
}
