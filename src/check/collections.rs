//! Checking named collections: `collection NAME = var in source where filter` (AST) → no
//! definition of its own, but a rewrite of every binding that iterates it (`for each s in NAME`,
//! `count(s in NAME)`) into a binding of `source` with the filter, the collection's variable
//! standing for the binding's slot; a `for each` over a collection `insufficient when empty`
//! first gets the guard `insufficient unless count(var in source where filter) > 0`. Reports
//! E205 (a name taken), E209 (a collection used as a value) and the errors of the filter.

use super::{Checker, CollectionEntry, Context, Frame, Local};
use crate::ast;
use crate::diagnostic::{Code, RawDiagnostic};
use crate::program::{
    AggregateKind, Binding, CmpOp, Const, Expr, ExprKind, Stmt, Type, lookup_for,
};
use crate::source::Span;

/// The collection, the source's item type, the source and the filter of a binding over a
/// named collection.
pub(super) struct Expanded {
    pub(super) collection: Expr,
    pub(super) filter: Option<Expr>,
    pub(super) item: Type,
}

impl Checker<'_> {
    /// A `collection` declaration: its source and filter are checked once here, in a scope of
    /// their own (parameters, definitions, functions, evidence, `as_of` and the variable), for
    /// their errors; each use checks them again, quietly, with the slot of its binding.
    pub(super) fn collection(&mut self, c: &ast::Collection) {
        let saved = std::mem::replace(&mut self.frame, Frame::new());
        let expanded = self.expand_collection(c, None);
        drop(expanded);
        self.frame = saved;
        if self.define_global("collection", &c.name) {
            let at = self.declared(self.decls.collections.len(), &c.name);
            self.decls
                .collections
                .insert(c.name.name.clone(), CollectionEntry { at, def: c.clone() });
        }
    }

    /// The collection that `e` names, if it is the bare name of one (and no local hides it).
    pub(super) fn collection_named(&mut self, e: &ast::Expr) -> Option<ast::Collection> {
        let ast::ExprKind::Name(id) = &e.kind else {
            return None;
        };
        if self.lookup_local(&id.name).is_some() {
            return None;
        }
        let entry = self.decls.collections.get_mut(&id.name)?;
        entry.at.used = true;
        let (file, def) = (entry.at.file, entry.def.clone());
        self.check_visible("collection", id, file);
        Some(def)
    }

    /// E209: a collection named where a value is wanted.
    pub(super) fn collection_as_value(&mut self, name: &str, span: Span) {
        self.error(
            RawDiagnostic::new(
                Code::E209,
                span,
                format!("collection `{name}` is not a value"),
            )
            .label("a collection")
            .help(format!(
                "iterate it with `for each x in {name}:` or aggregate it, e.g. `count(x in {name})`"
            )),
        );
    }

    /// The source and filter of collection `c`, checked in the collection's own scope: the
    /// variable bound to `slot` (when given) and nothing else local; outside any clause.
    fn expand_collection(&mut self, c: &ast::Collection, slot: Option<usize>) -> Expanded {
        let scopes = std::mem::replace(&mut self.frame.scopes, vec![Vec::new()]);
        let context = std::mem::replace(&mut self.frame.context, Context::Plain);
        let this_clause = self.this_clause.take();
        let (collection, ty) = self.expr(&c.binding.collection);
        let item = self.item_type(ty, c.binding.collection.span.0);
        let slot = slot.unwrap_or(self.frame.next_slot);
        self.frame.max_slot = self.frame.max_slot.max(slot + 1);
        if let Some(scope) = self.frame.scopes.last_mut() {
            scope.push(Local {
                name: c.binding.var.name.clone(),
                slot,
                ty: item.clone(),
            });
        }
        let next = self.frame.next_slot;
        self.frame.next_slot = self.frame.next_slot.max(slot + 1);
        let filter = c
            .binding
            .filter
            .as_ref()
            .map(|f| self.condition(f, "`where`"));
        self.frame.next_slot = next;
        self.frame.scopes = scopes;
        self.frame.context = context;
        self.this_clause = this_clause;
        Expanded {
            collection,
            filter,
            item,
        }
    }

    /// The binding `b` over collection `c`: the collection's source, its item type, and its
    /// filter on the binding's variable, then the binding's own filter if any (`if filter then
    /// own else false`, so that an item the collection leaves out is never judged by it).
    pub(super) fn collection_binding(&mut self, b: &ast::Binding, c: &ast::Collection) -> Binding {
        let slot = self.frame.next_slot;
        let Expanded {
            collection,
            filter,
            item,
        } = self.quietly(|ch| ch.expand_collection(c, Some(slot)));
        let keys = self.keys_of(&item);
        let bound = self.bind(&b.var, item);
        let own = b.filter.as_ref().map(|f| self.condition(f, "`where`"));
        let filter = match (filter, own) {
            (Some(f), Some(o)) => {
                let span = o.span;
                Some(Expr {
                    kind: ExprKind::If(
                        Box::new(f),
                        Box::new(o),
                        Box::new(Expr {
                            kind: ExprKind::Const(Const::Bool(false)),
                            span,
                        }),
                    ),
                    span,
                })
            }
            (f, o) => f.or(o),
        };
        let lookup = lookup_for(bound, filter.as_ref());
        Binding {
            slot: bound,
            collection,
            filter,
            lookup,
            keys,
            name: b.var.name.as_str().into(),
        }
    }

    /// The guard a `for each` over a collection `insufficient when empty` starts with:
    /// `insufficient unless count(var in source where filter) > 0`.
    pub(super) fn collection_guard(&mut self, c: &ast::Collection) -> Stmt {
        let (collection, filter, keys, slot) = self.quietly(|ch| {
            let mark = ch.open_scope();
            let slot = ch.frame.next_slot;
            ch.frame.next_slot += 1;
            ch.frame.max_slot = ch.frame.max_slot.max(ch.frame.next_slot);
            let Expanded {
                collection,
                filter,
                item,
            } = ch.expand_collection(c, Some(slot));
            let keys = ch.keys_of(&item);
            ch.close_scope(mark);
            (collection, filter, keys, slot)
        });
        let b = &c.binding;
        let end = b
            .filter
            .as_ref()
            .map_or(b.collection.span.0.end, |f| f.span.0.end);
        let written = Span {
            end,
            ..b.var.span.0
        };
        let span = c.span.0;
        let lookup = lookup_for(slot, filter.as_ref());
        let count = Expr {
            kind: ExprKind::Aggregate {
                kind: AggregateKind::Count,
                bindings: vec![Binding {
                    slot,
                    collection,
                    filter,
                    lookup,
                    keys,
                    name: c.binding.var.name.as_str().into(),
                }],
                body: None,
                fusion: None,
            },
            span: written,
        };
        let zero = Expr {
            kind: ExprKind::Const(Const::Number(crate::number::Number::ZERO)),
            span,
        };
        Stmt::Insufficient {
            condition: Expr {
                kind: ExprKind::Cmp(CmpOp::Gt, Box::new(count), Box::new(zero)),
                span: written,
            },
            text: format!("count({}) > 0", self.sources.one_line(written)),
        }
    }

    /// The item type of a collection of type `ty` (E301 unless a list).
    pub(super) fn item_type(&mut self, ty: Type, span: Span) -> Type {
        match ty {
            Type::List(t) => *t,
            Type::Any => Type::Any,
            other => {
                self.error(
                    RawDiagnostic::new(
                        Code::E301,
                        span,
                        format!("expected a list, found a {}", other.name()),
                    )
                    .label("not a list"),
                );
                Type::Any
            }
        }
    }
}
