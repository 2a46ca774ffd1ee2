//! Static analysis of a checked [`Program`], for the pack's documentation and `requirements`:
//! the severities a clause can give, and remediation deadlines that do not depend on the
//! evidence.
//!
//! In: a checked `Program` (no evidence). Out: severities and deadline texts ("30 days").
//! Deadlines are folded from constants, parameter defaults, durations and the violation's
//! severity by a small constant folder; anything else is not constant.

use std::cmp::Ordering;

use crate::date::{Date, Duration};
use crate::number::Number;
use crate::program::{
    ArithOp, ClauseDef, CmpOp, Const, DeadlineDef, Expr, ExprKind, Program, RemediationDef,
    SeverityRule, Stmt, Unit,
};
use crate::report::Severity;

/// The severities a clause can give its violations, in order, without repeats.
pub(crate) fn reachable_severities(clause: &ClauseDef) -> Vec<Severity> {
    let mut out = Vec::new();
    statement_severities(&clause.body, clause, &mut out);
    out.sort();
    out.dedup();
    out
}

fn statement_severities(stmts: &[Stmt], clause: &ClauseDef, out: &mut Vec<Severity>) {
    for stmt in stmts {
        match stmt {
            Stmt::Require(r) => {
                rule_severities(r.severity.as_ref().unwrap_or(&clause.severity), out);
            }
            Stmt::For { body, .. } => statement_severities(body, clause, out),
            Stmt::Let { .. } | Stmt::Insufficient { .. } => {}
        }
    }
}

fn rule_severities(rule: &SeverityRule, out: &mut Vec<Severity>) {
    match rule {
        SeverityRule::Fixed(s) => out.push(*s),
        SeverityRule::Cases { cases, otherwise } => {
            out.extend(cases.iter().map(|(s, _)| *s));
            out.push(*otherwise);
        }
    }
}

/// The default deadline of a remediation for a violation of `severity`, as text ("30 days",
/// a date, or "immediately" for `due as_of`), when it does not depend on the evidence.
pub(crate) fn describe_deadline(
    program: &Program,
    rem: &RemediationDef,
    severity: Severity,
) -> Option<String> {
    let folder = Folder { program, severity };
    match rem.deadline.as_ref()? {
        DeadlineDef::Within(e) => match folder.fold(e)? {
            Folded::Duration(d) => Some(d.to_string()),
            _ => None,
        },
        DeadlineDef::Due(e) => match (folder.fold(e), &e.kind) {
            (Some(Folded::Date(d)), _) => Some(d.to_string()),
            (_, ExprKind::AsOf) => Some("immediately".to_string()),
            _ => None,
        },
    }
}

/// A value known without evidence.
#[derive(Clone, Copy)]
enum Folded<'p> {
    Null,
    Bool(bool),
    Number(Number),
    Text(&'p str),
    Date(Date),
    Duration(Duration),
}

impl<'p> Folded<'p> {
    fn of(c: &'p Const) -> Option<Folded<'p>> {
        Some(match c {
            Const::Null => Folded::Null,
            Const::Bool(b) => Folded::Bool(*b),
            Const::Number(n) => Folded::Number(*n),
            Const::Str(s) => Folded::Text(s),
            Const::Date(d) => Folded::Date(*d),
            Const::Duration(d) => Folded::Duration(*d),
            Const::List(_) => return None,
        })
    }
}

/// Folds expressions to constants with the parameters at their defaults, no evidence, no
/// `as_of` and no pack-level definitions (they may read evidence), for one severity.
struct Folder<'p> {
    program: &'p Program,
    severity: Severity,
}

impl<'p> Folder<'p> {
    /// The value of `e`, or `None` when it is not a constant.
    fn fold(&self, e: &'p Expr) -> Option<Folded<'p>> {
        match &e.kind {
            ExprKind::Const(c) => Folded::of(c),
            // A parameter an evidence field may decide depends on the evidence.
            ExprKind::Param(i) => match self.program.params.get(*i)? {
                p if p.overridden_by.is_some() => None,
                p => Folded::of(&p.default),
            },
            ExprKind::Global(_) | ExprKind::Local(_) | ExprKind::AsOf | ExprKind::Actual => {
                Some(Folded::Null)
            }
            ExprKind::Severity => Some(Folded::Text(self.severity.as_str())),
            ExprKind::Expected => Some(Folded::Text("")),
            ExprKind::Duration(inner, unit) => self.duration(inner, *unit),
            ExprKind::If(c, a, b) => match self.fold(c)? {
                Folded::Bool(true) => self.fold(a),
                Folded::Bool(false) => self.fold(b),
                _ => None,
            },
            ExprKind::Not(inner) => match self.fold(inner)? {
                Folded::Bool(b) => Some(Folded::Bool(!b)),
                _ => None,
            },
            ExprKind::And(a, b) => self.logic(a, b, false),
            ExprKind::Or(a, b) => self.logic(a, b, true),
            ExprKind::Cmp(op, a, b) => compare(*op, self.fold(a)?, self.fold(b)?),
            ExprKind::Arith(op, a, b) => arith(*op, self.fold(a)?, self.fold(b)?),
            ExprKind::Coalesce(a, b) => match self.fold(a)? {
                Folded::Null => self.fold(b),
                v => Some(v),
            },
            _ => None,
        }
    }

    fn duration(&self, inner: &'p Expr, unit: Unit) -> Option<Folded<'p>> {
        let Folded::Number(n) = self.fold(inner)? else {
            return None;
        };
        let n = n.to_i64()?;
        let d = match unit {
            Unit::Days => Duration::days(n),
            Unit::Weeks => Duration::weeks(n),
            Unit::Months => Duration::months(n),
            Unit::Years => Duration::years(n),
        };
        d.map(Folded::Duration)
    }

    /// `and` (`decisive` false) or `or` (`decisive` true) of two constant truth values.
    fn logic(&self, a: &'p Expr, b: &'p Expr, decisive: bool) -> Option<Folded<'p>> {
        match self.fold(a)? {
            Folded::Bool(l) if l == decisive => Some(Folded::Bool(decisive)),
            Folded::Bool(_) => match self.fold(b)? {
                Folded::Bool(r) => Some(Folded::Bool(r)),
                _ => None,
            },
            _ => None,
        }
    }
}

fn compare(op: CmpOp, l: Folded<'_>, r: Folded<'_>) -> Option<Folded<'static>> {
    let order = match (l, r) {
        (Folded::Number(a), Folded::Number(b)) => Some(a.cmp(&b)),
        (Folded::Text(a), Folded::Text(b)) => Some(a.cmp(b)),
        (Folded::Date(a), Folded::Date(b)) => Some(a.cmp(&b)),
        (Folded::Bool(a), Folded::Bool(b)) => Some(a.cmp(&b)),
        (Folded::Duration(a), Folded::Duration(b)) => Some(a.compare(b)?),
        (Folded::Null, Folded::Null) => Some(Ordering::Equal),
        (Folded::Null, _) | (_, Folded::Null) => None,
        _ => return None,
    };
    Some(Folded::Bool(op.holds(order)?))
}

fn arith(op: ArithOp, l: Folded<'_>, r: Folded<'_>) -> Option<Folded<'static>> {
    match (op, l, r) {
        (_, Folded::Number(a), Folded::Number(b)) => op.on_numbers(a, b).map(Folded::Number),
        (ArithOp::Add, Folded::Duration(a), Folded::Duration(b)) => {
            a.checked_add(b).map(Folded::Duration)
        }
        (ArithOp::Sub, Folded::Duration(a), Folded::Duration(b)) => {
            a.checked_sub(b).map(Folded::Duration)
        }
        (ArithOp::Add, Folded::Date(a), Folded::Duration(d))
        | (ArithOp::Add, Folded::Duration(d), Folded::Date(a)) => {
            a.checked_add(d).map(Folded::Date)
        }
        (ArithOp::Sub, Folded::Date(a), Folded::Duration(d)) => a.checked_sub(d).map(Folded::Date),
        _ => None,
    }
}
