//! Blame: a failed condition → the evidence it is about (a location), the value found and
//! what was required (`expected`), always a readable bound (`<= 60`, `contains "public"`,
//! `in ["a", "b"]`) or a generic text in the report's language, never the rule's source. Also
//! the small per-language table of the words the engine itself writes into findings.

use super::Evaluator;
use super::fault::Fault;
use super::value::{Loc, NO_LOC, Operand, RtValue};
use crate::program::{CmpOp, Expr, ExprKind};

/// The words the engine writes into findings in one language.
pub(super) struct Words {
    /// `expected` of a condition with no bound to show.
    pub(super) to_hold: &'static str,
    /// `expected` of `x in LIST` when the list is the evidence: `contains "x"`.
    pub(super) contains: &'static str,
    /// `expected` of `x not in LIST` when the list is the evidence.
    pub(super) not_contains: &'static str,
    /// A message placeholder whose value is unknown (and that gives no `??` wording).
    pub(super) not_given: &'static str,
}

const ENGLISH: Words = Words {
    to_hold: "the requirement to hold",
    contains: "contains",
    not_contains: "does not contain",
    not_given: "(not given)",
};

const SWEDISH: Words = Words {
    to_hold: "att kravet uppfylls",
    contains: "innehåller",
    not_contains: "innehåller inte",
    not_given: "(uppgift saknas)",
};

/// The engine's words in `language` (English for a language the table lacks).
pub(super) fn words(language: &str) -> &'static Words {
    match language {
        "sv" => &SWEDISH,
        _ => &ENGLISH,
    }
}

impl<'a> Evaluator<'a> {
    /// Finds what a failed condition is about: the evidence location, the value found and
    /// what was required.
    pub(super) fn blame(&mut self, e: &'a Expr) -> Result<(Loc, Operand<'a>, String), Fault> {
        match &e.kind {
            ExprKind::Cmp(op, a, b) => self.blame_cmp(*op, a, b),
            ExprKind::Not(inner) => match &inner.kind {
                ExprKind::Cmp(op, a, b) => self.blame_cmp(op.negate(), a, b),
                ExprKind::In {
                    item,
                    list,
                    negated,
                } => self.blame_in(item, list, !*negated),
                _ => {
                    let v = self.eval(inner)?;
                    Ok((v.loc, v, "false".into()))
                }
            },
            ExprKind::And(a, b) => {
                let l = self.eval(a)?;
                if matches!(l.val, RtValue::Bool(false)) {
                    self.blame(a)
                } else {
                    self.blame(b)
                }
            }
            // Every part failed: report the first that is about evidence.
            ExprKind::Or(a, b) => {
                let first = self.blame(a)?;
                if first.0 == NO_LOC {
                    self.blame(b)
                } else {
                    Ok(first)
                }
            }
            ExprKind::In {
                item,
                list,
                negated,
            } => self.blame_in(item, list, *negated),
            ExprKind::Call(b, args) if super::builtins::is(*b, "exists") => {
                let v = match args.first() {
                    Some(a) => self.eval(a)?,
                    None => Operand::new(RtValue::Null),
                };
                Ok((v.loc, Operand::new(RtValue::Null), "present".into()))
            }
            _ => {
                let v = self.eval(e)?;
                Ok((v.loc, v, words(self.language).to_hold.into()))
            }
        }
    }

    /// `x in LIST` (or `not in`): the evidence side is blamed. The item when it is evidence
    /// (expected `in [...]`); else the list when it is (expected `contains x`, `does not
    /// contain x`).
    fn blame_in(
        &mut self,
        item: &'a Expr,
        list: &'a Expr,
        negated: bool,
    ) -> Result<(Loc, Operand<'a>, String), Fault> {
        let x = self.eval(item)?;
        let l = self.eval(list)?;
        if x.loc == NO_LOC && l.loc != NO_LOC {
            let w = words(self.language);
            let word = if negated { w.not_contains } else { w.contains };
            let expected = format!("{word} {}", x.display_code());
            return Ok((l.loc, l, expected));
        }
        let word = if negated { "not in" } else { "in" };
        let expected = format!("{word} {}", l.display_code());
        Ok((x.loc, x, expected))
    }

    /// A comparison: the evidence side is blamed (with evidence on both sides, the left), the
    /// other side is the bound.
    pub(super) fn blame_cmp(
        &mut self,
        op: CmpOp,
        a: &'a Expr,
        b: &'a Expr,
    ) -> Result<(Loc, Operand<'a>, String), Fault> {
        let l = self.eval(a)?;
        let r = self.eval(b)?;
        if l.loc != NO_LOC || r.loc == NO_LOC {
            let expected = format!("{} {}", op.symbol(), r.display_code());
            Ok((l.loc, l, expected))
        } else {
            let expected = format!("{} {}", op.flip().symbol(), l.display_code());
            Ok((r.loc, r, expected))
        }
    }
}
