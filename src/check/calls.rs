//! Checking calls: pack-level functions and builtins (name, arity and argument types) → a
//! [`ExprKind::CallFunction`] or [`ExprKind::Call`]; reports E202 and E302.

use super::Checker;
use super::expr::null;
use crate::ast;
use crate::diagnostic::{Code, RawDiagnostic, did_you_mean};
use crate::eval::builtins::{BUILTINS, BuiltinDef, Param, Returns, builtin_named};
use crate::program::{Builtin, Const, Expr, ExprKind, Type};
use crate::source::Span;

impl Checker<'_> {
    /// `name(args)`: a pack-level function or a builtin; E202 with a suggestion otherwise.
    pub(super) fn call(
        &mut self,
        name: &ast::Ident,
        args: &[ast::Expr],
        span: Span,
    ) -> (Expr, Type) {
        if let Some(f) = self.decls.functions.get(&name.name) {
            let (at, arity, result) = (f.at, f.arity, f.result.clone());
            self.check_visible("function", name, at.file);
            let mut out = Vec::new();
            for a in args {
                out.push(self.expr(a).0);
            }
            if args.len() != arity {
                self.error(
                    RawDiagnostic::new(
                        Code::E302,
                        span,
                        format!(
                            "`{}` takes {arity} argument{}",
                            name.name,
                            if arity == 1 { "" } else { "s" }
                        ),
                    )
                    .label(format!("{} given", args.len())),
                );
            }
            return (
                Expr {
                    kind: ExprKind::CallFunction(at.index, out),
                    span,
                },
                result,
            );
        }
        let Some((builtin, def)) = builtin_named(&name.name) else {
            let names: Vec<String> = BUILTINS
                .iter()
                .map(|d| d.name.to_string())
                .chain(self.decls.functions.keys().cloned())
                .collect();
            let help = did_you_mean(&name.name, names.iter().map(String::as_str));
            self.error(
                RawDiagnostic::new(
                    Code::E202,
                    name.span.0,
                    format!("unknown function `{}`", name.name),
                )
                .label("not a function")
                .maybe_help(help.or_else(|| {
                    Some(format!(
                        "functions are {}",
                        BUILTINS
                            .iter()
                            .map(|d| d.name)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                })),
            );
            return (null(span), Type::Any);
        };
        self.builtin(builtin, def, name, args, span)
    }

    /// A call of a builtin, checked against its entry in the builtins table: its arity and
    /// the types of its arguments, and the type of its result. (A `date("…")` of a literal is
    /// folded here.)
    fn builtin(
        &mut self,
        builtin: Builtin,
        def: &BuiltinDef,
        name: &ast::Ident,
        args: &[ast::Expr],
        span: Span,
    ) -> (Expr, Type) {
        // A date literal is folded and checked now.
        if def.name == "date"
            && let [
                ast::Expr {
                    kind: ast::ExprKind::Str(s),
                    span: sspan,
                },
            ] = args
        {
            let d = self.date_literal(s, sspan.0);
            return (
                Expr {
                    kind: ExprKind::Const(Const::Date(d)),
                    span,
                },
                Type::Date,
            );
        }
        self.clause_ref(def.name, args.first(), span);
        let mut out = Vec::new();
        let mut tys = Vec::new();
        for a in args {
            let (e, t) = self.expr(a);
            out.push(e);
            tys.push(t);
        }
        if !def.arity.accepts(args.len()) {
            self.error(
                RawDiagnostic::new(
                    Code::E302,
                    span,
                    format!("`{}` takes different arguments", name.name),
                )
                .label(format!("{} given", args.len()))
                .help(format!("write `{}`", def.signature)),
            );
            return (
                Expr {
                    kind: ExprKind::Call(builtin, out),
                    span,
                },
                Type::Any,
            );
        }
        let mut common = Type::Any;
        for (i, (ty, e)) in tys.iter().zip(&out).enumerate() {
            match def.param(i) {
                Param::Date(what) => self.expect_type(ty, &Type::Date, e.span, what),
                Param::Number(what) => self.expect_type(ty, &Type::Number, e.span, what),
                Param::Text(what) => self.expect_type(ty, &Type::String, e.span, what),
                Param::ListOrText => {
                    if !matches!(ty, Type::List(_) | Type::String | Type::Any) {
                        let list = Type::List(Box::new(Type::Any));
                        self.expect_type(ty, &list, e.span, "a list or a text");
                    }
                }
                Param::Comparable => {
                    // Checked for all arguments at once, below.
                    if i == 0 {
                        common = self.comparable(&tys, &out, span);
                    }
                }
                Param::Any => {}
            }
        }
        let ty = match def.returns {
            Returns::Number => Type::Number,
            Returns::Bool => Type::Bool,
            Returns::Date => Type::Date,
            Returns::Text => Type::String,
            Returns::LikeArguments => common,
        };
        (
            Expr {
                kind: ExprKind::Call(builtin, out),
                span,
            },
            ty,
        )
    }

    /// Arguments that must be numbers, dates or durations of one type (`min`, `max`): their
    /// common type.
    fn comparable(&mut self, tys: &[Type], out: &[Expr], span: Span) -> Type {
        let first = tys
            .iter()
            .find(|t| **t != Type::Any && **t != Type::Null)
            .cloned()
            .unwrap_or(Type::Any);
        if !matches!(
            first,
            Type::Number | Type::Date | Type::Duration | Type::Any
        ) && let (Some(ty), Some(e)) = (tys.first(), out.first())
        {
            self.expect_type(ty, &Type::Number, e.span, "numbers or dates");
        }
        for (i, t) in tys.iter().enumerate() {
            if !t.fits(&first) {
                let span = out.get(i).map_or(span, |e| e.span);
                self.expect_type(t, &first, span, "all arguments must have one type");
            }
        }
        first
    }
}
