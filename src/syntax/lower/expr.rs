//! Lowering expressions: an `expr` pair → an AST [`Expr`], operator precedence by a Pratt
//! parser, with the depth of the tree bounded (E102) and chained comparisons refused (E307).

use super::{Lower, Res, children};
use crate::ast::{
    AggregateKind, BinaryOp, Binding, Expr, ExprKind, Ident, NodeSpan, UnaryOp, Unit,
};
use crate::diagnostic::{Code, RawDiagnostic};
use crate::source::Span;
use crate::syntax::Rule;
use crate::syntax::tree::{Pair, Pairs};

/// Where an operator stands: before its operand, after it, or between two.
#[derive(Clone, Copy)]
enum Affix {
    Prefix,
    Postfix,
    Infix { right: bool },
}

/// The operators' binding powers, from the loosest to the tightest, steps of ten.
fn operator(rule: Rule) -> Option<(Affix, u32)> {
    let left = Affix::Infix { right: false };
    Some(match rule {
        Rule::or_op => (left, 10),
        Rule::and_op => (left, 20),
        Rule::not_op => (Affix::Prefix, 30),
        Rule::eq
        | Rule::ne
        | Rule::lt
        | Rule::le
        | Rule::gt
        | Rule::ge
        | Rule::in_op
        | Rule::not_in => (left, 40),
        Rule::coalesce => (Affix::Infix { right: true }, 50),
        Rule::add | Rule::sub => (left, 60),
        Rule::mul | Rule::div => (left, 70),
        Rule::neg => (Affix::Prefix, 80),
        Rule::field | Rule::index | Rule::unit => (Affix::Postfix, 90),
        _ => return None,
    })
}

/// The operands and operators of an `expr` node, folded by binding power (a Pratt parser).
/// An operand is any node that is not an operator.
struct Pratt<'t, 'l> {
    pairs: std::iter::Peekable<Pairs<'t>>,
    lower: &'l Lower,
    depth: usize,
}

type Folded = Res<(Expr, usize)>;

impl<'t> Pratt<'t, '_> {
    /// The expression whose operators bind tighter than `floor`.
    fn expr(&mut self, floor: u32) -> Folded {
        let mut lhs = self.operand();
        while let Some(next) = self.pairs.peek() {
            let Some((affix, power)) = operator(next.as_rule()) else {
                break;
            };
            if power <= floor {
                break;
            }
            let Some(op) = self.pairs.next() else {
                break;
            };
            lhs = match affix {
                Affix::Infix { right } => {
                    let rhs = self.expr(if right { power - 1 } else { power });
                    self.lower.infix(lhs, op, rhs)
                }
                _ => self.lower.postfix(lhs, op),
            };
        }
        lhs
    }

    /// A primary, or a prefix operator and the expression it applies to.
    fn operand(&mut self) -> Folded {
        let Some(pair) = self.pairs.next() else {
            return Err(RawDiagnostic::new(
                Code::E101,
                Span::default(),
                "expected an expression",
            ));
        };
        match operator(pair.as_rule()) {
            Some((Affix::Prefix, power)) => {
                let rhs = self.expr(power - 1);
                self.lower.prefix(pair, rhs)
            }
            _ => self
                .lower
                .primary(pair, self.depth)
                .map(|e| (e, self.depth + 1)),
        }
    }
}

impl Lower {
    /// `var in collection where filter`, in a `for each` or an aggregate.
    pub(super) fn binding(&self, pair: Pair<'_>, depth: usize) -> Res<Binding> {
        let span = self.span(&pair);
        let mut it = children(pair);
        let (Some(var), Some(coll)) = (it.next(), it.next()) else {
            return Err(RawDiagnostic::new(Code::E101, span.0, "incomplete binding"));
        };
        let filter = match it.next() {
            Some(f) => Some(self.expr(f, depth)?),
            None => None,
        };
        Ok(Binding {
            var: self.ident(&var),
            collection: self.expr(coll, depth)?,
            filter,
        })
    }

    /// E102 at `span`.
    fn too_deep(&self, span: NodeSpan) -> RawDiagnostic {
        RawDiagnostic::new(
            Code::E102,
            span.0,
            format!("expression nested deeper than {} levels", self.max_depth),
        )
        .label("too deep here")
        .help("split the expression with `let`")
    }

    /// Lowers an `expr` pair. `depth` is the nesting of the enclosing expression.
    pub(super) fn expr(&self, pair: Pair<'_>, depth: usize) -> Res<Expr> {
        let span = self.span(&pair);
        if depth > self.max_depth {
            return Err(self.too_deep(span));
        }
        if pair.as_rule() != Rule::expr || pair.into_inner().next().is_none() {
            return Err(RawDiagnostic::new(
                Code::E101,
                span.0,
                format!("expected an expression ({:?})", pair.as_rule()),
            ));
        }
        let (expr, d) = self.pratt(pair, depth)?;
        if d > self.max_depth {
            return Err(self.too_deep(span));
        }
        Ok(expr)
    }

    /// Applies precedence; returns the expression and the depth of its tree.
    fn pratt(&self, pair: Pair<'_>, depth: usize) -> Folded {
        Pratt {
            pairs: pair.into_inner().peekable(),
            lower: self,
            depth,
        }
        .expr(0)
    }

    /// `not` or `-` applied to its operand.
    fn prefix(&self, op: Pair<'_>, rhs: Folded) -> Folded {
        let (rhs, d) = rhs?;
        let span = self.span(&op).0.to(rhs.span.0);
        let op = if op.as_rule() == Rule::not_op {
            UnaryOp::Not
        } else {
            UnaryOp::Neg
        };
        self.bounded(
            Expr {
                kind: ExprKind::Unary(op, Box::new(rhs)),
                span: NodeSpan(span),
            },
            d + 1,
        )
    }

    /// An expression whose tree is `depth` deep, or E102 beyond the limit.
    fn bounded(&self, e: Expr, depth: usize) -> Folded {
        if depth > self.max_depth {
            Err(self.too_deep(e.span))
        } else {
            Ok((e, depth))
        }
    }

    /// A field access, an index or a duration unit after its operand.
    fn postfix(&self, lhs: Folded, op: Pair<'_>) -> Folded {
        let (lhs, d) = lhs?;
        let span = NodeSpan(lhs.span.0.to(self.span(&op).0));
        let kind = match op.as_rule() {
            Rule::field => {
                let name = op
                    .into_inner()
                    .next()
                    .map(|n| self.ident(&n))
                    .unwrap_or(Ident {
                        name: String::new(),
                        span,
                    });
                ExprKind::Field(Box::new(lhs), name)
            }
            Rule::index => {
                let inner = op.into_inner().next();
                let idx = match inner {
                    Some(i) => self.expr(i, d + 1)?,
                    None => {
                        return Err(RawDiagnostic::new(Code::E101, span.0, "empty index"));
                    }
                };
                ExprKind::Index(Box::new(lhs), Box::new(idx))
            }
            _ => {
                let unit = match op.as_str() {
                    "day" | "days" => Unit::Days,
                    "week" | "weeks" => Unit::Weeks,
                    "month" | "months" => Unit::Months,
                    _ => Unit::Years,
                };
                ExprKind::Duration(Box::new(lhs), unit)
            }
        };
        self.bounded(Expr { kind, span }, d + 1)
    }

    /// A binary operator between its operands; chained comparisons are refused (E307).
    fn infix(&self, lhs: Folded, op: Pair<'_>, rhs: Folded) -> Folded {
        let (lhs, dl) = lhs?;
        let (rhs, dr) = rhs?;
        let op = match op.as_rule() {
            Rule::or_op => BinaryOp::Or,
            Rule::and_op => BinaryOp::And,
            Rule::eq => BinaryOp::Eq,
            Rule::ne => BinaryOp::Ne,
            Rule::lt => BinaryOp::Lt,
            Rule::le => BinaryOp::Le,
            Rule::gt => BinaryOp::Gt,
            Rule::ge => BinaryOp::Ge,
            Rule::in_op => BinaryOp::In,
            Rule::not_in => BinaryOp::NotIn,
            Rule::add => BinaryOp::Add,
            Rule::sub => BinaryOp::Sub,
            Rule::mul => BinaryOp::Mul,
            Rule::div => BinaryOp::Div,
            _ => BinaryOp::Coalesce,
        };
        let span = NodeSpan(lhs.span.0.to(rhs.span.0));
        if op.is_comparison() {
            for side in [&lhs, &rhs] {
                if let ExprKind::Binary(inner, ..) = &side.kind
                    && inner.is_comparison()
                {
                    return Err(RawDiagnostic::new(
                        Code::E307,
                        span.0,
                        "comparisons cannot be chained",
                    )
                    .help("join them with `and`, e.g. `a < b and b < c`"));
                }
            }
        }
        self.bounded(
            Expr {
                kind: ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)),
                span,
            },
            dl.max(dr) + 1,
        )
    }

    /// A literal, name, parenthesised expression, list, `if`, call or aggregate.
    fn primary(&self, pair: Pair<'_>, depth: usize) -> Res<Expr> {
        let span = self.span(&pair);
        let d = depth + 1;
        if d > self.max_depth {
            return Err(self.too_deep(span));
        }
        let kind = match pair.as_rule() {
            Rule::number => ExprKind::Number(pair.as_str().to_string()),
            Rule::string => ExprKind::Str(Self::string(pair)),
            Rule::boolean => ExprKind::Bool(pair.as_str() == "true"),
            Rule::null => ExprKind::Null,
            Rule::this_clause => ExprKind::ThisClause,
            Rule::name => {
                // A name, or a call when `(` follows it (after whitespace and comments).
                let text = pair.as_str();
                let mut it = children(pair);
                let Some(name) = it.next() else {
                    return Err(RawDiagnostic::new(Code::E101, span.0, "bad name"));
                };
                let is_call = text
                    .get(name.as_str().len()..)
                    .is_some_and(|rest| rest.trim_start().starts_with('('));
                if !is_call {
                    // The pair also holds the whitespace pest skipped looking for `(`.
                    let id = self.ident(&name);
                    return Ok(Expr {
                        span: id.span,
                        kind: ExprKind::Name(id),
                    });
                }
                let mut args = Vec::new();
                for a in it {
                    args.push(self.expr(a, d)?);
                }
                ExprKind::Call(self.ident(&name), args)
            }
            Rule::paren => match children(pair).next() {
                Some(e) => {
                    return Ok(Expr {
                        span,
                        ..self.expr(e, d)?
                    });
                }
                None => ExprKind::Null,
            },
            Rule::list => {
                let mut items = Vec::new();
                for e in children(pair) {
                    items.push(self.expr(e, d)?);
                }
                ExprKind::List(items)
            }
            Rule::if_expr => {
                let mut it = children(pair);
                let (Some(c), Some(a), Some(b)) = (it.next(), it.next(), it.next()) else {
                    return Err(RawDiagnostic::new(Code::E101, span.0, "incomplete `if`"));
                };
                let (cond, then) = (self.expr(c, d)?, self.expr(a, d)?);
                let otherwise = self.expr(b, d)?;
                // The `if_expr` pair ends after the whitespace and comments that follow its last
                // operand (pest skips them before looking for more operators): end the span at
                // the operand, so that it covers only the expression.
                let span = NodeSpan(Span {
                    end: otherwise.span.0.end,
                    ..span.0
                });
                return Ok(Expr {
                    kind: ExprKind::If(Box::new(cond), Box::new(then), Box::new(otherwise)),
                    span,
                });
            }
            Rule::aggregate => {
                let mut it = children(pair);
                let Some(name) = it.next() else {
                    return Err(RawDiagnostic::new(Code::E101, span.0, "bad aggregate"));
                };
                let kind = match name.as_str() {
                    "count" => AggregateKind::Count,
                    "sum" => AggregateKind::Sum,
                    "min" => AggregateKind::Min,
                    "max" => AggregateKind::Max,
                    "average" => AggregateKind::Average,
                    "share" => AggregateKind::Share,
                    "any" => AggregateKind::Any,
                    "all" => AggregateKind::All,
                    "first" => AggregateKind::First,
                    "count_distinct" => AggregateKind::CountDistinct,
                    _ => AggregateKind::None,
                };
                let mut bindings = Vec::new();
                let mut body = None;
                for p in it {
                    if p.as_rule() == Rule::binding {
                        bindings.push(self.binding(p, d)?);
                    } else {
                        body = Some(Box::new(self.expr(p, d)?));
                    }
                }
                ExprKind::Aggregate {
                    kind,
                    bindings,
                    body,
                }
            }
            _ => return Err(RawDiagnostic::new(Code::E101, span.0, "unexpected token")),
        };
        Ok(Expr { kind, span })
    }
}
