//! Checking calls: pack-level functions and builtins (name, arity and argument types) → a
//! [`ExprKind::CallFunction`] or [`ExprKind::Call`]; reports E202 and E302.

use super::Checker;
use super::expr::{BUILTINS, null};
use crate::ast;
use crate::diagnostic::{Code, RawDiagnostic, did_you_mean};
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
        let Some(&(_, builtin)) = BUILTINS.iter().find(|(n, _)| *n == name.name) else {
            let names: Vec<String> = BUILTINS
                .iter()
                .map(|(n, _)| (*n).to_string())
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
                            .map(|(n, _)| *n)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                })),
            );
            return (null(span), Type::Any);
        };
        self.builtin(builtin, name, args, span)
    }

    /// A call of a builtin: its arity and the types of its arguments, and the type of its
    /// result. (A `date("…")` of a literal is folded here.)
    fn builtin(
        &mut self,
        builtin: Builtin,
        name: &ast::Ident,
        args: &[ast::Expr],
        span: Span,
    ) -> (Expr, Type) {
        // A date literal is folded and checked now.
        if builtin == Builtin::Date
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
        let mut out = Vec::new();
        let mut tys = Vec::new();
        for a in args {
            let (e, t) = self.expr(a);
            out.push(e);
            tys.push(t);
        }
        let arity_ok = match builtin {
            Builtin::Min | Builtin::Max => args.len() >= 2,
            Builtin::Age
            | Builtin::Contains
            | Builtin::StartsWith
            | Builtin::EndsWith
            | Builtin::Round
            | Builtin::DaysBetween => args.len() == 2,
            _ => args.len() == 1,
        };
        if !arity_ok {
            let sig = match builtin {
                Builtin::Age => "age(date_of_birth, on_date)",
                Builtin::Date => "date(\"YYYY-MM-DD\")",
                Builtin::Lower => "lower(text)",
                Builtin::Upper => "upper(text)",
                Builtin::Contains => "contains(list_or_text, item)",
                Builtin::StartsWith => "starts_with(text, prefix)",
                Builtin::EndsWith => "ends_with(text, suffix)",
                Builtin::Length => "length(list_or_text)",
                Builtin::Min => "min(a, b, …)",
                Builtin::Max => "max(a, b, …)",
                Builtin::Exists => "exists(path)",
                Builtin::Known => "known(path)",
                Builtin::Round => "round(number, places)",
                Builtin::Abs => "abs(number)",
                Builtin::DaysBetween => "days_between(from, to)",
            };
            self.error(
                RawDiagnostic::new(
                    Code::E302,
                    span,
                    format!("`{}` takes different arguments", name.name),
                )
                .label(format!("{} given", args.len()))
                .help(format!("write `{sig}`")),
            );
            return (
                Expr {
                    kind: ExprKind::Call(builtin, out),
                    span,
                },
                Type::Any,
            );
        }
        let want = |c: &mut Self, i: usize, t: &Type, what: &str| {
            if let (Some(ty), Some(e)) = (tys.get(i), out.get(i)) {
                c.expect_type(ty, t, e.span, what);
            }
        };
        let ty = match builtin {
            Builtin::Age => {
                want(self, 0, &Type::Date, "a date of birth");
                want(self, 1, &Type::Date, "the date the age is taken on");
                Type::Number
            }
            Builtin::DaysBetween => {
                want(self, 0, &Type::Date, "a date");
                want(self, 1, &Type::Date, "a date");
                Type::Number
            }
            Builtin::Date => {
                want(self, 0, &Type::String, "a text like \"2024-10-31\"");
                Type::Date
            }
            Builtin::Lower | Builtin::Upper => {
                want(self, 0, &Type::String, "a text");
                Type::String
            }
            Builtin::StartsWith | Builtin::EndsWith => {
                want(self, 0, &Type::String, "a text");
                want(self, 1, &Type::String, "a text");
                Type::Bool
            }
            Builtin::Contains => {
                if let Some(t) = tys.first()
                    && !matches!(t, Type::List(_) | Type::String | Type::Any)
                {
                    want(
                        self,
                        0,
                        &Type::List(Box::new(Type::Any)),
                        "a list or a text",
                    );
                }
                Type::Bool
            }
            Builtin::Length => {
                if let Some(t) = tys.first()
                    && !matches!(t, Type::List(_) | Type::String | Type::Any)
                {
                    want(
                        self,
                        0,
                        &Type::List(Box::new(Type::Any)),
                        "a list or a text",
                    );
                }
                Type::Number
            }
            Builtin::Min | Builtin::Max => {
                let concrete: Vec<Type> = tys
                    .iter()
                    .filter(|t| **t != Type::Any && **t != Type::Null)
                    .cloned()
                    .collect();
                let first = concrete.first().cloned().unwrap_or(Type::Any);
                if !matches!(
                    first,
                    Type::Number | Type::Date | Type::Duration | Type::Any
                ) {
                    want(self, 0, &Type::Number, "numbers or dates");
                }
                for (i, t) in tys.iter().enumerate() {
                    if !t.fits(&first) {
                        let span = out.get(i).map_or(span, |e| e.span);
                        self.expect_type(t, &first, span, "all arguments must have one type");
                    }
                }
                first
            }
            Builtin::Exists | Builtin::Known => Type::Bool,
            Builtin::Round => {
                want(self, 0, &Type::Number, "a number");
                want(self, 1, &Type::Number, "decimal places");
                Type::Number
            }
            Builtin::Abs => {
                want(self, 0, &Type::Number, "a number");
                Type::Number
            }
        };
        (
            Expr {
                kind: ExprKind::Call(builtin, out),
                span,
            },
            ty,
        )
    }
}
