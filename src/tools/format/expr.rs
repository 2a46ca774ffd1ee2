//! Formatting, the layout of expressions: an expression → a [`Doc`] that breaks before `and`,
//! `or`, `??`, `then` and `else` when it does not fit, with the author's parentheses kept and
//! the ones the tree needs added.

use super::doc::Doc;
use super::printer::Printer;
use crate::ast::{BinaryOp, Expr, ExprKind, UnaryOp, Unit};

/// Binding power of an expression: how tightly it holds together (higher is tighter).
fn power(e: &Expr) -> u8 {
    match &e.kind {
        ExprKind::Binary(op, ..) => op_power(*op),
        ExprKind::Unary(UnaryOp::Not, _) => 3,
        ExprKind::Unary(UnaryOp::Neg, _) => 8,
        ExprKind::Field(..) | ExprKind::Index(..) | ExprKind::Duration(..) => 9,
        // `if … else x` swallows whatever follows it: parenthesised as any operand.
        ExprKind::If(..) => 0,
        _ => 10,
    }
}

fn op_power(op: BinaryOp) -> u8 {
    match op {
        BinaryOp::Or => 1,
        BinaryOp::And => 2,
        BinaryOp::Coalesce => 5,
        BinaryOp::Add | BinaryOp::Sub => 6,
        BinaryOp::Mul | BinaryOp::Div => 7,
        _ => 4,
    }
}

fn unit_name(unit: Unit, one: bool) -> &'static str {
    match (unit, one) {
        (Unit::Days, true) => "day",
        (Unit::Days, false) => "days",
        (Unit::Weeks, true) => "week",
        (Unit::Weeks, false) => "weeks",
        (Unit::Months, true) => "month",
        (Unit::Months, false) => "months",
        (Unit::Years, true) => "year",
        (Unit::Years, false) => "years",
    }
}

/// A plain string literal.
pub(super) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    escape_into(&mut out, s, false);
    out.push('"');
    out
}

/// Appends `s` escaped for a string literal; in a template (`braces`), `{` and `}` doubled.
pub(super) fn escape_into(out: &mut String, s: &str, braces: bool) {
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '{' if braces => out.push_str("{{"),
            '}' if braces => out.push_str("}}"),
            c => out.push(c),
        }
    }
}

impl Printer<'_> {
    /// An expression in a place of its own (a `let`, a condition, a binding). One that holds a
    /// comment is kept as written, so the comment stays where the author put it.
    pub(super) fn slot(&mut self, e: &Expr) -> Doc {
        let (start, end) = (e.span.0.start as usize, e.span.0.end as usize);
        let mut inside = false;
        for i in self.comments_inside(start, end) {
            if let Some((_, done)) = self.comments.get_mut(i)
                && !*done
            {
                *done = true;
                inside = true;
            }
        }
        if inside {
            let text = self
                .src
                .get(start..end)
                .unwrap_or_default()
                .replace("\r\n", "\n");
            return Doc::Verbatim(text);
        }
        self.expr(e)
    }

    /// Did the author write `e` in parentheses? (The parser keeps a parenthesised
    /// expression's span from `(` to `)`.)
    fn parenthesised(&self, e: &Expr) -> bool {
        let start = e.span.0.start as usize;
        if self.src.as_bytes().get(start) != Some(&b'(') {
            return false;
        }
        match &e.kind {
            ExprKind::Binary(_, first, _)
            | ExprKind::Field(first, _)
            | ExprKind::Index(first, _)
            | ExprKind::Duration(first, _) => first.span.0.start as usize > start,
            _ => true,
        }
    }

    pub(super) fn expr(&self, e: &Expr) -> Doc {
        let doc = self.bare(e);
        if self.parenthesised(e) {
            paren(doc)
        } else {
            doc
        }
    }

    /// `e` as an operand: in parentheses when `needs` and the author wrote none.
    fn operand(&self, e: &Expr, needs: bool) -> Doc {
        if needs && !self.parenthesised(e) {
            paren(self.bare(e))
        } else {
            self.expr(e)
        }
    }

    /// `e` without the author's parentheses around it.
    fn bare(&self, e: &Expr) -> Doc {
        match &e.kind {
            ExprKind::Number(n) => Doc::text(n.clone()),
            ExprKind::Str(s) => Doc::text(quote(s)),
            ExprKind::Bool(b) => Doc::text(if *b { "true" } else { "false" }),
            ExprKind::Null => Doc::text("null"),
            ExprKind::ThisClause => Doc::text("this_clause"),
            ExprKind::Name(id) => Doc::text(id.name.clone()),
            ExprKind::Field(base, name) => Doc::Concat(vec![
                self.operand(base, power(base) < 9),
                Doc::text(format!(".{}", name.name)),
            ]),
            ExprKind::Index(base, index) => Doc::Concat(vec![
                self.operand(base, power(base) < 9),
                Doc::text("["),
                self.expr(index).align(),
                Doc::text("]"),
            ]),
            ExprKind::Duration(base, unit) => {
                let one = matches!(&base.kind, ExprKind::Number(n) if n == "1");
                Doc::Concat(vec![
                    self.operand(base, power(base) < 9),
                    Doc::text(format!(" {}", unit_name(*unit, one))),
                ])
            }
            ExprKind::Call(name, args) => {
                let args = args.iter().map(|a| self.expr(a)).collect();
                Doc::Concat(vec![
                    Doc::text(format!("{}(", name.name)),
                    Doc::join(args, ",").align().group(),
                    Doc::text(")"),
                ])
            }
            ExprKind::Aggregate {
                kind,
                bindings,
                body,
            } => {
                let mut parts = Vec::new();
                for (i, b) in bindings.iter().enumerate() {
                    if i > 0 {
                        parts.push(Doc::text(","));
                        parts.push(Doc::Line);
                    }
                    let filter = b.filter.as_ref().map(|f| self.expr(f));
                    parts.push(binding_doc(&b.var.name, self.expr(&b.collection), filter));
                }
                if let Some(body) = body {
                    parts.push(Doc::text(":"));
                    parts.push(Doc::Line);
                    parts.push(self.expr(body).align());
                }
                Doc::Concat(vec![
                    Doc::text(format!("{}(", kind.name())),
                    Doc::Concat(parts).align().group(),
                    Doc::text(")"),
                ])
            }
            ExprKind::List(items) => {
                let items = items.iter().map(|a| self.expr(a)).collect();
                Doc::Concat(vec![
                    Doc::text("["),
                    Doc::fill(items).align().group(),
                    Doc::text("]"),
                ])
            }
            ExprKind::Unary(UnaryOp::Not, inner) => Doc::Concat(vec![
                Doc::text("not "),
                self.operand(inner, power(inner) < 3),
            ]),
            ExprKind::Unary(UnaryOp::Neg, inner) => {
                Doc::Concat(vec![Doc::text("-"), self.operand(inner, power(inner) < 8)])
            }
            ExprKind::Binary(op, ..) if op.is_comparison() => self.comparison(e),
            ExprKind::Binary(..) => self.chain(e),
            ExprKind::If(..) => self.if_chain(e),
        }
    }

    /// `a < b`: comparisons do not chain, so an operand that is one is parenthesised.
    fn comparison(&self, e: &Expr) -> Doc {
        let ExprKind::Binary(op, l, r) = &e.kind else {
            return self.bare(e);
        };
        let p = op_power(*op);
        Doc::Concat(vec![
            self.operand(l, power(l) <= p),
            Doc::Line,
            Doc::text(format!("{} ", op.symbol())),
            self.operand(r, power(r) <= p),
        ])
        .align()
        .group()
    }

    /// `a and b and c`, `a + b - c`, `a ?? b ?? c`: a chain of operators of one strength,
    /// broken before each operator when it does not fit.
    fn chain<'e>(&self, e: &'e Expr) -> Doc {
        let ExprKind::Binary(op, ..) = &e.kind else {
            return self.bare(e);
        };
        let p = op_power(*op);
        let link = |cur: &'e Expr| -> Option<(BinaryOp, &'e Expr, &'e Expr)> {
            match &cur.kind {
                ExprKind::Binary(o, l, r)
                    if op_power(*o) == p && (std::ptr::eq(cur, e) || !self.parenthesised(cur)) =>
                {
                    Some((*o, l, r))
                }
                _ => None,
            }
        };
        // Operands in reading order, each with the operator before it and whether it needs
        // parentheses to keep the tree's shape.
        let mut operands: Vec<(Option<BinaryOp>, &'e Expr, bool)> = Vec::new();
        if *op == BinaryOp::Coalesce {
            // `a ?? b ?? c` is `a ?? (b ?? c)`: the chain goes on to the right.
            let mut cur = e;
            let mut before = None;
            while let Some((o, l, r)) = link(cur) {
                operands.push((before, l, power(l) <= p));
                before = Some(o);
                cur = r;
            }
            operands.push((before, cur, power(cur) < p));
        } else {
            // `a - b - c` is `(a - b) - c`: the chain goes on to the left.
            let mut cur = e;
            while let Some((o, l, r)) = link(cur) {
                operands.push((Some(o), r, power(r) <= p));
                cur = l;
            }
            operands.push((None, cur, power(cur) < p));
            operands.reverse();
        }
        let mut parts = Vec::new();
        for (i, (operator, operand, needs)) in operands.iter().enumerate() {
            if i > 0 {
                parts.push(Doc::Line);
            }
            if let Some(o) = operator {
                parts.push(Doc::text(format!("{} ", o.symbol())));
            }
            parts.push(self.operand(operand, *needs));
        }
        Doc::Concat(parts).align().group()
    }

    /// `if a then b else if c then d else e`, broken before each `then` and `else`.
    fn if_chain(&self, e: &Expr) -> Doc {
        let mut parts = Vec::new();
        let mut cur = e;
        let mut first = true;
        loop {
            match &cur.kind {
                ExprKind::If(c, a, b) if first || !self.parenthesised(cur) => {
                    if !first {
                        parts.push(Doc::Line);
                        parts.push(Doc::text("else "));
                    }
                    first = false;
                    // `if c then a` on one line when it fits, else `then` under `if`.
                    parts.push(
                        Doc::Concat(vec![
                            Doc::text("if "),
                            self.expr(c).align(),
                            Doc::Line,
                            Doc::text("then "),
                            self.expr(a).align(),
                        ])
                        .align()
                        .group(),
                    );
                    cur = b;
                }
                _ => {
                    parts.push(Doc::Line);
                    parts.push(Doc::text("else "));
                    parts.push(self.expr(cur).align());
                    break;
                }
            }
        }
        Doc::Concat(parts).align().group()
    }
}

/// `var in collection where filter`, broken before `where` when it does not fit.
pub(super) fn binding_doc(var: &str, collection: Doc, filter: Option<Doc>) -> Doc {
    let mut parts = vec![Doc::text(format!("{var} in ")), collection.align()];
    if let Some(filter) = filter {
        parts.push(Doc::Concat(vec![Doc::Line, Doc::text("where "), filter.align()]).nest(2));
    }
    Doc::Concat(parts).align().group()
}

fn paren(doc: Doc) -> Doc {
    Doc::Concat(vec![Doc::text("("), doc.align(), Doc::text(")")])
}
