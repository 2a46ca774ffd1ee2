//! Checking expressions: an AST expression → a typed [`Expr`] and its [`Type`]; reports E3xx.
//!
//! The dispatcher: an AST expression → a typed [`Expr`]; literals, lists, `not`, `-`, `if`,
//! durations, conditions and aggregates here, names and paths in `resolve`, calls in `calls`,
//! operators in `ops`.

use super::Checker;
use crate::ast::{self, AggregateKind, UnaryOp};
use crate::diagnostic::{Code, RawDiagnostic};
use crate::eval::builtins::builtin_named;
use crate::program::{Binding, Const, Expr, ExprKind, Type};
use crate::source::Span;

/// Whether a name is a builtin function (pack functions may not take it).
pub(super) fn is_builtin(name: &str) -> bool {
    builtin_named(name).is_some()
}

/// The `null` that stands for an expression with an error.
pub(super) fn null(span: Span) -> Expr {
    Expr {
        kind: ExprKind::Const(Const::Null),
        span,
    }
}
impl Checker<'_> {
    /// Reports a type error unless `ty` fits `want`.
    pub(super) fn expect_type(&mut self, ty: &Type, want: &Type, span: Span, what: &str) {
        if !ty.fits(want) {
            self.error(
                RawDiagnostic::new(
                    Code::E301,
                    span,
                    format!("expected a {}, found a {}", want.name(), ty.name()),
                )
                .label(what.to_string()),
            );
        }
    }

    /// A condition: must be true/false.
    pub(super) fn condition(&mut self, e: &ast::Expr, what: &str) -> Expr {
        let (out, ty) = self.expr(e);
        if !ty.fits(&Type::Bool) {
            self.error(
                RawDiagnostic::new(
                    Code::E303,
                    e.span.0,
                    format!("{what} needs a condition, found a {}", ty.name()),
                )
                .label("not true or false")
                .help("compare it, e.g. `x == true`, `x >= 15`, or test `exists(x)`"),
            );
        }
        out
    }

    /// Binds loop variables in the current scope, in order; each may use the earlier ones. A
    /// binding over a named collection iterates its source with its filter (`collections`).
    pub(super) fn bindings(&mut self, bindings: &[ast::Binding]) -> Vec<Binding> {
        let mut out = Vec::new();
        for b in bindings {
            if let Some(c) = self.collection_named(&b.collection) {
                out.push(self.collection_binding(b, &c));
                continue;
            }
            let (collection, ty) = self.expr(&b.collection);
            let item = self.item_type(ty, b.collection.span.0);
            let keys = self.keys_of(&item);
            let slot = self.bind(&b.var, item);
            let filter = b.filter.as_ref().map(|f| self.condition(f, "`where`"));
            let lookup = crate::program::lookup_for(slot, filter.as_ref());
            out.push(Binding {
                slot,
                collection,
                filter,
                lookup,
                keys,
                name: b.var.name.as_str().into(),
            });
        }
        out
    }

    /// `count(…)`, `share(… : …)` and the other aggregates: bindings in a scope of their own,
    /// then the body's type against what the aggregate needs (E306).
    fn aggregate(
        &mut self,
        kind: AggregateKind,
        bindings: &[ast::Binding],
        body: Option<&ast::Expr>,
        span: Span,
    ) -> (Expr, Type) {
        let mark = self.open_scope();
        let b = self.bindings(bindings);
        let body = body.map(|e| self.expr(e));
        self.close_scope(mark);
        let name = kind.name();
        let needs_body = !matches!(kind, AggregateKind::Count);
        let ty = match (&body, kind) {
            (None, _) if needs_body => {
                self.error(
                    RawDiagnostic::new(
                        Code::E306,
                        span,
                        format!("`{name}` needs a `: …` after its items"),
                    )
                    .help(format!("e.g. `{name}(w in weeks: w.total_hours > 60)`")),
                );
                Type::Any
            }
            (_, AggregateKind::Count) => Type::Number,
            (
                Some((_, t)),
                AggregateKind::Any
                | AggregateKind::All
                | AggregateKind::None
                | AggregateKind::Share,
            ) => {
                if !t.fits(&Type::Bool) {
                    self.error(
                        RawDiagnostic::new(
                            Code::E306,
                            span,
                            format!("`{name}` needs a condition after `:`, found a {}", t.name()),
                        )
                        .help(format!("e.g. `{name}(w in weeks: w.total_hours > 60)`")),
                    );
                }
                if kind == AggregateKind::Share {
                    Type::Number
                } else {
                    Type::Bool
                }
            }
            (Some((_, t)), AggregateKind::First) => t.clone(),
            (Some((_, t)), AggregateKind::CountDistinct) => {
                if !matches!(
                    t,
                    Type::String | Type::Number | Type::Date | Type::Bool | Type::Any
                ) {
                    self.error(RawDiagnostic::new(
                        Code::E306,
                        span,
                        format!(
                            "`count_distinct` needs texts, numbers or dates, found a {}",
                            t.name()
                        ),
                    ));
                }
                Type::Number
            }
            (Some((_, t)), AggregateKind::Sum | AggregateKind::Average) => {
                if !t.fits(&Type::Number) {
                    self.error(RawDiagnostic::new(
                        Code::E306,
                        span,
                        format!("`{name}` needs numbers, found a {}", t.name()),
                    ));
                }
                Type::Number
            }
            (Some((_, t)), _) => {
                if !matches!(t, Type::Number | Type::Date | Type::Duration | Type::Any) {
                    self.error(RawDiagnostic::new(
                        Code::E306,
                        span,
                        format!("`{name}` needs numbers or dates, found a {}", t.name()),
                    ));
                }
                t.clone()
            }
            (None, _) => Type::Any,
        };
        let body = body.map(|(e, _)| Box::new(e));
        (
            Expr {
                kind: ExprKind::Aggregate {
                    kind,
                    bindings: b,
                    body,
                    fusion: None,
                },
                span,
            },
            ty,
        )
    }

    /// Checks and lowers an expression.
    pub(super) fn expr(&mut self, e: &ast::Expr) -> (Expr, Type) {
        use ast::ExprKind as K;
        let span = e.span.0;
        match &e.kind {
            K::Number(_) | K::Str(_) | K::Bool(_) | K::Null => {
                let c = self.fold(e).unwrap_or(Const::Null);
                let ty = c.ty();
                (
                    Expr {
                        kind: ExprKind::Const(c),
                        span,
                    },
                    ty,
                )
            }
            K::ThisClause => self.this_clause(span),
            K::Name(id) => self.name(id, span),
            K::Field(base, name) => self.field(base, name, span),
            K::Index(base, idx) => self.index(base, idx, span),
            K::Call(name, args) => self.call(name, args, span),
            K::Aggregate {
                kind,
                bindings,
                body,
            } => self.aggregate(*kind, bindings, body.as_deref(), span),
            K::List(items) => {
                if let Some(c) = self.fold(e) {
                    let ty = c.ty();
                    return (
                        Expr {
                            kind: ExprKind::Const(c),
                            span,
                        },
                        ty,
                    );
                }
                let mut out = Vec::new();
                let mut item_ty = Type::Any;
                for i in items {
                    let (x, t) = self.expr(i);
                    if item_ty == Type::Any {
                        item_ty = t;
                    } else if !t.fits(&item_ty) {
                        self.expect_type(
                            &t,
                            &item_ty.clone(),
                            x.span,
                            "list items must have one type",
                        );
                    }
                    out.push(x);
                }
                (
                    Expr {
                        kind: ExprKind::List(out),
                        span,
                    },
                    Type::List(Box::new(item_ty)),
                )
            }
            K::Unary(UnaryOp::Not, inner) => {
                let (x, t) = self.expr(inner);
                if !t.fits(&Type::Bool) {
                    self.error(
                        RawDiagnostic::new(
                            Code::E303,
                            inner.span.0,
                            format!("`not` needs a condition, found a {}", t.name()),
                        )
                        .label("not true or false"),
                    );
                }
                (
                    Expr {
                        kind: ExprKind::Not(Box::new(x)),
                        span,
                    },
                    Type::Bool,
                )
            }
            K::Unary(UnaryOp::Neg, inner) => {
                if let Some(c) = self.fold(e) {
                    let ty = c.ty();
                    return (
                        Expr {
                            kind: ExprKind::Const(c),
                            span,
                        },
                        ty,
                    );
                }
                let (x, t) = self.expr(inner);
                self.expect_type(&t, &Type::Number, x.span, "`-` needs a number");
                (
                    Expr {
                        kind: ExprKind::Neg(Box::new(x)),
                        span,
                    },
                    Type::Number,
                )
            }
            K::Binary(op, l, r) => self.binary(*op, l, r, span),
            K::If(c, a, b) => {
                let c = self.condition(c, "`if`");
                let (a, at) = self.expr(a);
                let (b, bt) = self.expr(b);
                if !at.fits(&bt) {
                    self.error(
                        RawDiagnostic::new(
                            Code::E301,
                            span,
                            format!("`if` branches differ: a {} and a {}", at.name(), bt.name()),
                        )
                        .label("mismatched branches"),
                    );
                }
                let ty = if at == Type::Any || at == Type::Null {
                    bt
                } else {
                    at
                };
                (
                    Expr {
                        kind: ExprKind::If(Box::new(c), Box::new(a), Box::new(b)),
                        span,
                    },
                    ty,
                )
            }
            K::Duration(inner, unit) => {
                if let Some(c) = self.fold(e) {
                    return (
                        Expr {
                            kind: ExprKind::Const(c),
                            span,
                        },
                        Type::Duration,
                    );
                }
                let (x, t) = self.expr(inner);
                self.expect_type(&t, &Type::Number, x.span, "a duration needs a whole number");
                (
                    Expr {
                        kind: ExprKind::Duration(Box::new(x), *unit),
                        span,
                    },
                    Type::Duration,
                )
            }
        }
    }

    /// `this_clause`: the id of the clause being checked, as a text constant; E209 outside a
    /// clause (a definition, function or collection belongs to no clause).
    fn this_clause(&mut self, span: Span) -> (Expr, Type) {
        let Some(id) = self.this_clause.clone() else {
            self.error(
                RawDiagnostic::new(Code::E209, span, "`this_clause` outside a clause")
                    .label("not inside a clause")
                    .help("pass the clause's id as an argument, e.g. `let f(clause_id) = …` called as `f(this_clause)`"),
            );
            return (null(span), Type::String);
        };
        (
            Expr {
                kind: ExprKind::Const(Const::Str(std::sync::Arc::from(id.as_str()))),
                span,
            },
            Type::String,
        )
    }
}
