//! Checking operators: the typing rules of `and`, `or`, comparisons, `in`, arithmetic and
//! `??`, and texts compared with an enumerated evidence field; reports E301, E303 and E304.

use super::Checker;
use crate::ast::{self, BinaryOp};
use crate::diagnostic::{Code, RawDiagnostic, did_you_mean};
use crate::program::{ArithOp, CmpOp, Const, Expr, ExprKind, Type};
use crate::source::Span;

impl Checker<'_> {
    /// Reports texts compared with an enumerated evidence field that it can never hold.
    fn check_enum_literals(&mut self, field: &Expr, other: &Expr) {
        let Some(allowed) = self.enum_values(field).map(<[String]>::to_vec) else {
            return;
        };
        let texts: Vec<(&str, Span)> = match &other.kind {
            ExprKind::Const(Const::Str(s)) => vec![(s, other.span)],
            ExprKind::Const(Const::List(items)) => items
                .iter()
                .filter_map(|c| match c {
                    Const::Str(s) => Some((&**s, other.span)),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        for (text, span) in texts {
            if !allowed.iter().any(|a| a == text) {
                let help =
                    did_you_mean(text, allowed.iter().map(String::as_str)).unwrap_or_else(|| {
                        let list: Vec<String> = allowed.iter().map(|a| format!("{a:?}")).collect();
                        format!("the evidence declares {}", list.join(", "))
                    });
                self.error(
                    RawDiagnostic::new(
                        Code::E304,
                        span,
                        format!("{text:?} is not a value this field can have"),
                    )
                    .label("never matches")
                    .help(help),
                );
            }
        }
    }

    /// `l op r`: the operands checked, then the operator's typing rule.
    pub(super) fn binary(
        &mut self,
        op: BinaryOp,
        l: &ast::Expr,
        r: &ast::Expr,
        span: Span,
    ) -> (Expr, Type) {
        let (le, lt) = self.expr(l);
        let (re, rt) = self.expr(r);
        if matches!(
            op,
            BinaryOp::Eq | BinaryOp::Ne | BinaryOp::In | BinaryOp::NotIn
        ) {
            self.check_enum_literals(&le, &re);
            // `"text" == field`, or `"text" in list_of_codes`.
            self.check_enum_literals(&re, &le);
        }
        let mismatch = |c: &mut Self| {
            c.error(
                RawDiagnostic::new(
                    Code::E301,
                    span,
                    format!(
                        "`{}` cannot combine a {} and a {}",
                        op.symbol(),
                        lt.name(),
                        rt.name()
                    ),
                )
                .label("mismatched types"),
            );
        };
        let b = |e: Expr| Box::new(e);
        use Type as T;
        let (kind, ty) = match op {
            BinaryOp::And | BinaryOp::Or => {
                for (t, e) in [(&lt, &le), (&rt, &re)] {
                    if !t.fits(&T::Bool) {
                        self.error(
                            RawDiagnostic::new(
                                Code::E303,
                                e.span,
                                format!("`{}` needs conditions, found a {}", op.symbol(), t.name()),
                            )
                            .label("not true or false"),
                        );
                    }
                }
                let kind = if op == BinaryOp::And {
                    ExprKind::And(b(le), b(re))
                } else {
                    ExprKind::Or(b(le), b(re))
                };
                (kind, T::Bool)
            }
            BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge => {
                let cmp = match op {
                    BinaryOp::Eq => CmpOp::Eq,
                    BinaryOp::Ne => CmpOp::Ne,
                    BinaryOp::Lt => CmpOp::Lt,
                    BinaryOp::Le => CmpOp::Le,
                    BinaryOp::Gt => CmpOp::Gt,
                    _ => CmpOp::Ge,
                };
                if !lt.fits(&rt) {
                    mismatch(self);
                } else if !matches!(cmp, CmpOp::Eq | CmpOp::Ne) {
                    let t = if lt == T::Any || lt == T::Null {
                        &rt
                    } else {
                        &lt
                    };
                    if !matches!(
                        t,
                        T::Number | T::Date | T::Duration | T::String | T::Any | T::Null
                    ) {
                        self.error(
                            RawDiagnostic::new(
                                Code::E301,
                                span,
                                format!("a {} cannot be ordered with `{}`", t.name(), op.symbol()),
                            )
                            .label("not a number, date, duration or text"),
                        );
                    }
                }
                (ExprKind::Cmp(cmp, b(le), b(re)), T::Bool)
            }
            BinaryOp::In | BinaryOp::NotIn => {
                match &rt {
                    T::List(item) => {
                        if !lt.fits(item) {
                            mismatch(self);
                        }
                    }
                    T::Any | T::String => {}
                    _ => mismatch(self),
                }
                (
                    ExprKind::In {
                        item: b(le),
                        list: b(re),
                        negated: op == BinaryOp::NotIn,
                    },
                    T::Bool,
                )
            }
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div => {
                let aop = match op {
                    BinaryOp::Add => ArithOp::Add,
                    BinaryOp::Sub => ArithOp::Sub,
                    BinaryOp::Mul => ArithOp::Mul,
                    _ => ArithOp::Div,
                };
                let ty = match (aop, &lt, &rt) {
                    (_, T::Number, T::Number) => Some(T::Number),
                    (ArithOp::Add | ArithOp::Sub, T::Date, T::Duration) => Some(T::Date),
                    (ArithOp::Add, T::Duration, T::Date) => Some(T::Date),
                    (ArithOp::Sub, T::Date, T::Date) => Some(T::Duration),
                    (ArithOp::Add | ArithOp::Sub, T::Duration, T::Duration) => Some(T::Duration),
                    (ArithOp::Add | ArithOp::Sub, T::Any, T::Duration)
                    | (ArithOp::Add, T::Duration, T::Any) => Some(T::Date),
                    (ArithOp::Sub, T::Date, T::Any) | (ArithOp::Sub, T::Any, T::Date) => {
                        Some(T::Any)
                    }
                    (_, T::Any, T::Number) | (_, T::Number, T::Any) => Some(T::Number),
                    (ArithOp::Add, T::Date, T::Any) => Some(T::Any),
                    (_, T::Any, T::Any) => Some(T::Any),
                    _ => None,
                };
                let ty = ty.unwrap_or_else(|| {
                    mismatch(self);
                    T::Any
                });
                (ExprKind::Arith(aop, b(le), b(re)), ty)
            }
            BinaryOp::Coalesce => {
                if !lt.fits(&rt) {
                    mismatch(self);
                }
                let ty = if lt == T::Any || lt == T::Null {
                    rt.clone()
                } else {
                    lt.clone()
                };
                (ExprKind::Coalesce(b(le), b(re)), ty)
            }
        };
        (Expr { kind, span }, ty)
    }
}
