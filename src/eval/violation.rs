//! Violation building: a failed requirement → a [`Violation`] with its severity, message,
//! remediation and the evidence it blames.

use std::fmt::Write as _;

use super::blame::words;
use super::clause::ClauseFindings;
use super::fault::{Fault, FaultKind};
use super::finding::finding_id;
use super::value::{Operand, RtValue, UnknownReasons};
use super::{Evaluator, pick};
use crate::date::Date;
use crate::number::Number;
use crate::program::{
    ArithOp, ClauseDef, DeadlineDef, Expr, ExprKind, RemediationDef, Requirement, SeverityRule,
    Template, TemplatePart,
};
use crate::report::catalogue::Catalogue;
use crate::report::{Basis, DueFrom, Item, Keys, PlanState, Remediation, Severity, Violation};

/// How a value reads in a message in `language`: numbers in the reader's form ("1 100,5" in
/// Swedish, "1,100.5" in English, from [`Catalogue::decimal`]), a share marked `:%` as a
/// percentage rounded to one decimal ("22 %", "22%"), durations and booleans in words
/// ("14 dagar", "ja"),
/// lists item by item; strings bare and dates in ISO form, as [`Operand::display_text`].
fn reader_text(out: &mut String, v: &Operand<'_>, language: &str, percent: bool) {
    let words = Catalogue::for_language(language);
    let hundred = Number::from_i64(100).unwrap_or(Number::ONE);
    match &v.val {
        // A share to a tenth of a percent: three decimals of the fraction. One too large to
        // be a percentage shows as a number.
        RtValue::Num(n) if percent && n.checked_mul(hundred).is_some() => {
            out.push_str(&words.percent(&n.round(3).to_string()));
        }
        RtValue::Num(n) => words.decimal_into(out, &n.to_string()),
        RtValue::Dur(d) => out.push_str(&words.duration(*d)),
        RtValue::Bool(b) => out.push_str(words.yes_no(*b)),
        RtValue::Str(s) => out.push_str(s),
        RtValue::Date(d) => {
            let _ = write!(out, "{d}");
        }
        RtValue::List(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                reader_text(out, item, language, percent);
            }
        }
        _ => out.push_str(&v.display_text(percent)),
    }
}

/// An item of a grouped finding, from the violation it would be alone.
fn item(keys: Keys, v: Violation) -> Item {
    Item {
        keys,
        path: v.path,
        actual: v.actual,
        expected: v.expected,
        severity: v.severity,
        message: v.message,
    }
}

/// The context of a violation being written: for `actual`, `expected` and `severity`.
pub(super) struct ViolationContext<'a> {
    pub(super) severity: Severity,
    pub(super) actual: Operand<'a>,
    pub(super) expected: String,
}

impl<'a> Evaluator<'a> {
    /// Judges one requirement for the current item.
    pub(super) fn require(
        &mut self,
        r: &'a Requirement,
        clause: &'a ClauseDef,
        run: &mut ClauseFindings,
    ) -> Result<(), Fault> {
        self.tick()?;
        self.count_examined(r, run);
        // A requirement that holds names no evidence; a breach is blamed by evaluating again.
        match self.quick_truth(&r.condition) {
            Some(true) => return Ok(()),
            Some(false) => return self.breach(r, clause, run),
            None => {}
        }
        let v = self.eval(&r.condition)?;
        if self.trace.is_some() {
            self.trace_require(r, &v);
        }
        match &v.val {
            RtValue::Bool(true) => Ok(()),
            RtValue::Bool(false) => self.breach(r, clause, run),
            RtValue::Unknown(w) => {
                run.absorb(w);
                Ok(())
            }
            _ => match self.type_error(&v, "true or false")?.why() {
                Some(w) => {
                    run.absorb(w);
                    Ok(())
                }
                None => Err(FaultKind::RequirementNotBoolean.into()),
            },
        }
    }

    /// A requirement that does not hold for one item: remedied, undecided (the remedy is
    /// unknown) or a failure, listed (as a finding or an item of one) while fewer than
    /// `max_violations` are.
    fn breach(
        &mut self,
        r: &'a Requirement,
        clause: &'a ClauseDef,
        run: &mut ClauseFindings,
    ) -> Result<(), Fault> {
        if let Some(cond) = &r.remedied
            && self.quick_truth(cond) != Some(false)
        {
            // The remedy is part of what a breach of this item is: put right, no violation;
            // unknown, the item is undecided and what would show the remedy is missing.
            match &self.eval(cond)?.val {
                RtValue::Bool(true) => {
                    if let Some(item) = self.trace.as_mut().and_then(|t| t.current_item()) {
                        item.remedied = true;
                    }
                    run.remedied += 1;
                    return Ok(());
                }
                RtValue::Unknown(w) => {
                    run.absorb(w);
                    return Ok(());
                }
                _ => {}
            }
        }
        run.found += 1;
        // The limit counts what the report lists: findings and their items.
        if run.listed >= self.limits.max_violations {
            return Ok(());
        }
        let place = self.place();
        let id = finding_id(&clause.id, &r.name, &place.subject);
        let existing = run.groups.get(&id).copied();
        // An item joining a finding needs its remediation only if it raises the severity.
        let floor = existing
            .and_then(|i| run.violations.get(i))
            .map(|v| v.severity);
        let mut found = self.violation(r, clause, run, floor)?;
        run.listed += 1;
        let index = match existing {
            Some(index) => {
                if let Some(v) = run.violations.get_mut(index) {
                    if found.severity > v.severity {
                        v.severity = found.severity;
                        v.remediation = found.remediation.take();
                    }
                    // One severe item makes the finding severe; the first known basis holds.
                    if v.severe.is_none() {
                        v.severe.clone_from(&found.severe);
                    }
                    if v.basis.is_none() {
                        v.basis = found.basis;
                    }
                    v.items.extend(place.item.map(|keys| item(keys, found)));
                }
                index
            }
            None => {
                let first = place.item.map(|keys| Item {
                    keys,
                    path: found.path.clone(),
                    actual: found.actual.clone(),
                    expected: found.expected.clone(),
                    severity: found.severity,
                    message: found.message.clone(),
                });
                found.items.extend(first);
                found.id.clone_from(&id);
                found.subject = place.subject;
                run.violations.push(found);
                run.groups.insert(id, run.violations.len() - 1);
                run.violations.len() - 1
            }
        };
        self.link_examined(r, index, run);
        Ok(())
    }

    /// The violation of `r` by the current item (without its subject, items and id, which
    /// [`Evaluator::breach`] gives it); its remediation only when its severity is above
    /// `floor`, the severity of the finding it joins.
    fn violation(
        &mut self,
        r: &'a Requirement,
        clause: &'a ClauseDef,
        run: &mut ClauseFindings,
        floor: Option<Severity>,
    ) -> Result<Violation, Fault> {
        let (loc, actual, mut expected) = self.blame(&r.condition)?;
        let severity = self.severity(r.severity.as_ref().unwrap_or(&clause.severity), run)?;
        let path = self.pointer(loc);
        self.context = Some(ViolationContext {
            severity,
            actual: actual.clone(),
            expected: expected.clone(),
        });
        let fallback = self.program.languages.first().map(String::as_str);
        // The author's words for what is required, when given, replace the derived bound.
        if let Some(t) = pick(&r.expected, self.language, fallback) {
            expected = self.render(t)?;
            if let Some(context) = self.context.as_mut() {
                context.expected.clone_from(&expected);
            }
        }
        let message = match pick(&r.messages, self.language, fallback) {
            Some(t) => self.render(t)?,
            None => self.default_message(r, &actual, &expected),
        };
        let remediation = match r.remediation.as_ref().or(clause.remediation.as_ref()) {
            Some(rem) if floor.is_none_or(|f| severity > f) => Some(self.remediation(rem, run)?),
            _ => None,
        };
        let basis = self.basis(r)?;
        let severe = self.severe(r)?;
        self.context = None;
        Ok(Violation {
            clause: clause.id.clone(),
            id: String::new(),
            requirement: r.name.clone(),
            subject: crate::report::Keys::new(),
            basis,
            severe,
            items: Vec::new(),
            examined: None,
            severity,
            message,
            path,
            actual: actual.to_json(),
            expected,
            remediation,
            rule: r.location.clone(),
        })
    }

    /// How the facts behind the current item's finding were obtained: the requirement's
    /// `basis` text (an unknown value or another text gives none).
    fn basis(&mut self, r: &'a Requirement) -> Result<Option<Basis>, Fault> {
        let Some(e) = &r.basis else {
            return Ok(None);
        };
        Ok(match &self.eval(e)?.val {
            RtValue::Str(s) => s.parse::<Basis>().ok(),
            _ => None,
        })
    }

    /// The severe-deviation category of the current item's finding: the requirement's
    /// `severe` when its condition holds (an unknown condition does not establish it).
    fn severe(&mut self, r: &'a Requirement) -> Result<Option<String>, Fault> {
        let Some(def) = &r.severe else {
            return Ok(None);
        };
        let holds = match &def.when {
            Some(cond) => matches!(self.eval(cond)?.val, RtValue::Bool(true)),
            None => true,
        };
        Ok(holds.then(|| def.category.clone()))
    }

    /// The message of a requirement written without one.
    fn default_message(&self, r: &Requirement, actual: &Operand<'a>, expected: &str) -> String {
        let mut found = String::new();
        reader_text(&mut found, actual, self.language, false);
        if self.language == "sv" {
            format!(
                "kravet `{}` är inte uppfyllt (fann {found}, krävs {expected})",
                r.text
            )
        } else {
            format!(
                "requirement `{}` does not hold (found {found}, required {expected})",
                r.text
            )
        }
    }

    /// The severity of a violation. A case whose condition is unknown is not established,
    /// but what it lacked is listed as missing: the severity might be higher.
    pub(super) fn severity(
        &mut self,
        rule: &'a SeverityRule,
        run: &mut ClauseFindings,
    ) -> Result<Severity, Fault> {
        match rule {
            SeverityRule::Fixed(s) => {
                self.trace_severity(*s, None, Vec::new());
                Ok(*s)
            }
            SeverityRule::Cases { cases, otherwise } => {
                let tracing = self.trace.is_some();
                let mut seen = Vec::new();
                for (i, (level, cond)) in cases.iter().enumerate() {
                    let v = self.eval(cond)?;
                    if tracing {
                        seen.push(self.trace_case(*level, cond, &v));
                    }
                    match &v.val {
                        RtValue::Bool(true) => {
                            self.trace_severity(*level, Some(i), seen);
                            return Ok(*level);
                        }
                        RtValue::Unknown(w) => run.absorb(w),
                        _ => {}
                    }
                }
                self.trace_severity(*otherwise, None, seen);
                Ok(*otherwise)
            }
        }
    }

    /// The corrective action and its due date: the agreed plan's deadline, else the pack's
    /// deadline counted from the date the evidence establishes the deviation, else from
    /// `as_of`.
    pub(super) fn remediation(
        &mut self,
        rem: &'a RemediationDef,
        run: &mut ClauseFindings,
    ) -> Result<Remediation, Fault> {
        let fallback = self.program.languages.first().map(String::as_str);
        let action = match pick(&rem.texts, self.language, fallback) {
            Some(t) => self.render(t)?,
            None => String::new(),
        };
        let agreed = match &rem.agreed {
            Some(e) => self.date_of(e, run)?,
            None => None,
        };
        let (due, due_from) = match (agreed, &rem.deadline) {
            (Some(d), _) => (Some(d), Some(DueFrom::Plan)),
            (None, None) => (None, None),
            (None, Some(DeadlineDef::Within(e))) => {
                let d = self.eval(e)?;
                let from = match &rem.from {
                    Some(e) => self.date_of(e, run)?,
                    None => None,
                };
                let (base, kind) = match from {
                    Some(date) => (Operand::new(RtValue::Date(date)), DueFrom::Evidence),
                    None => (self.as_of.clone(), DueFrom::AsOf),
                };
                match self.arith(ArithOp::Add, base, d)?.val {
                    RtValue::Date(d) => (Some(d), Some(kind)),
                    _ => (None, None),
                }
            }
            (None, Some(DeadlineDef::Due(e))) => match self.date_of(e, run)? {
                Some(d) if matches!(e.kind, ExprKind::AsOf) => (Some(d), Some(DueFrom::AsOf)),
                Some(d) => (Some(d), Some(DueFrom::Evidence)),
                None => (None, None),
            },
        };
        let plan = match &rem.plan {
            Some(e) => match &self.eval(e)?.val {
                RtValue::Str(s) => s.parse::<PlanState>().ok(),
                _ => None,
            },
            None => None,
        };
        Ok(Remediation {
            action,
            due,
            due_from,
            plan,
        })
    }

    /// The date `e` gives, if known; a value that is not a date there is invalid evidence (an
    /// unknown one just leaves the next source of the deadline to decide).
    fn date_of(&mut self, e: &'a Expr, run: &mut ClauseFindings) -> Result<Option<Date>, Fault> {
        let v = self.eval(e)?;
        if v.why().is_some() || matches!(v.val, RtValue::Null) {
            // Unknown or null: no date here, the next source of the deadline decides.
            return Ok(None);
        }
        Ok(match self.as_date(v) {
            Ok(Operand {
                val: RtValue::Date(d),
                ..
            }) => Some(d),
            Ok(_) => None,
            Err(why) => {
                if !why.invalid.is_empty() {
                    run.absorb(&UnknownReasons {
                        missing: Vec::new(),
                        invalid: why.invalid,
                    });
                }
                None
            }
        })
    }

    pub(super) fn render(&mut self, t: &'a Template) -> Result<String, Fault> {
        let room: usize = t
            .parts
            .iter()
            .map(|p| match p {
                TemplatePart::Literal(s) => s.len(),
                TemplatePart::Hole { .. } => 16,
            })
            .sum();
        let mut out = String::with_capacity(room);
        for part in &t.parts {
            match part {
                TemplatePart::Literal(s) => out.push_str(s),
                TemplatePart::Hole { expr, percent } => {
                    // A fault in a hole reads as a value not given, like an unknown one.
                    let v = self.eval(expr).ok().filter(|v| v.why().is_none());
                    let Some(v) = v else {
                        // The author gave no wording for the unknown case (`{x ?? "…"}`):
                        // a neutral word, never "unknown" (W006 points at such holes).
                        out.push_str(words(self.language).not_given);
                        continue;
                    };
                    reader_text(&mut out, &v, self.language, *percent);
                }
            }
        }
        Ok(out)
    }
}
