//! Clauses that read clauses: `outcome(clause_id)`, `violated(clause_id)`,
//! `violated_for(clause_id, key)` and
//! `title_of(clause_id)` read the outcome of a clause judged earlier in the same evaluation.
//!
//! In: the clause id (a text; the checker has resolved every literal one and ordered the
//! clauses so that a clause runs after those it reads). Out: the status's text, whether a
//! finding's subject holds the key, or the clause's title in the report's language. A
//! clause not judged yet (only reachable through an id read from the evidence) is a fault of
//! the reading clause; an id that names no clause is invalid evidence at its pointer.

use std::borrow::Cow;

use super::fault::FaultKind;
use super::value::{Loc, Operand, RtValue, UnknownReasons};
use super::{EvalResult, Evaluator, Fault, pick};
use crate::report::{Outcome, Status};

impl<'a> Evaluator<'a> {
    /// The place of the clause `id` in the pack, or invalid evidence / a fault.
    fn referenced(&self, v: &Operand<'a>) -> Result<Result<usize, Operand<'a>>, Fault> {
        let RtValue::Str(id) = &v.val else {
            return self.type_error(v, "a clause id").map(Err);
        };
        match self.program.clauses.iter().position(|c| c.id == **id) {
            Some(i) => Ok(Ok(i)),
            None if v.loc == super::value::NO_LOC => {
                Err(FaultKind::UnknownClause(id.to_string()).into())
            }
            None => Ok(Err(
                self.invalid(v.loc, format!("`{id}` is not a clause of the pack"))
            )),
        }
    }

    /// The judged outcome of clause `i`: a fault when it is the clause running now or one
    /// not judged yet.
    fn judged(&self, i: usize) -> Result<&Outcome, Fault> {
        let id = self.program.clauses.get(i).map_or("", |c| c.id.as_str());
        self.judged.get(i).and_then(Option::as_ref).ok_or_else(|| {
            FaultKind::ClauseNotJudged {
                reading: self.clause.to_string(),
                read: id.to_string(),
            }
            .into()
        })
    }
}

/// `outcome(clause_id)`: the status of a clause judged before this one, as its report text
/// (`"compliant"`, `"violated"`, `"insufficient_evidence"`, …).
pub(super) fn outcome<'a>(
    ev: &mut Evaluator<'a>,
    vals: &[Operand<'a>],
    loc: Loc,
) -> EvalResult<'a> {
    let v = vals.first().cloned().unwrap_or(Operand::new(RtValue::Null));
    let i = match ev.referenced(&v)? {
        Ok(i) => i,
        Err(invalid) => return Ok(invalid),
    };
    let status = ev.judged(i)?.status;
    Ok(Operand::at(
        RtValue::Str(Cow::Borrowed(status.as_str())),
        loc,
    ))
}

/// `violated(clause_id)`: whether the clause is violated. False when it is compliant or not
/// applicable; unknown when it could not decide (insufficient evidence, not examined).
pub(super) fn violated<'a>(
    ev: &mut Evaluator<'a>,
    vals: &[Operand<'a>],
    loc: Loc,
) -> EvalResult<'a> {
    judged_violated(ev, vals, None, loc)
}

/// `violated_for(clause_id, key)`: whether the clause has a finding about the site, worker,
/// … whose key is `key`. False when it is compliant or not applicable, or violated about
/// others; unknown when it could not decide (insufficient evidence, not examined).
pub(super) fn violated_for<'a>(
    ev: &mut Evaluator<'a>,
    vals: &[Operand<'a>],
    loc: Loc,
) -> EvalResult<'a> {
    let key = vals.get(1).map(Operand::to_json).unwrap_or_default();
    judged_violated(ev, vals, Some(key), loc)
}

/// `violated` and `violated_for`: a clause in error is a fault of the reader.
fn judged_violated<'a>(
    ev: &mut Evaluator<'a>,
    vals: &[Operand<'a>],
    key: Option<serde_json::Value>,
    loc: Loc,
) -> EvalResult<'a> {
    let v = vals.first().cloned().unwrap_or(Operand::new(RtValue::Null));
    let i = match ev.referenced(&v)? {
        Ok(i) => i,
        Err(invalid) => return Ok(invalid),
    };
    let judged = ev.judged(i)?;
    match judged.status {
        Status::Compliant | Status::NotApplicable => Ok(Operand::at(RtValue::Bool(false), loc)),
        Status::Violated => {
            let found = match &key {
                None => true,
                Some(key) => judged
                    .violations
                    .iter()
                    .any(|v| v.subject.values().any(|value| value == key)),
            };
            Ok(Operand::at(RtValue::Bool(found), loc))
        }
        // Not decided there, so not here: what it lacked is lacking here too.
        Status::InsufficientEvidence | Status::NotExamined => Ok(Operand::unknown(
            UnknownReasons {
                missing: judged.missing.iter().map(|m| m.path.clone()).collect(),
                invalid: Vec::new(),
            },
            loc,
        )),
        Status::Error => Err(FaultKind::ClauseInError {
            clause: ev
                .program
                .clauses
                .get(i)
                .map_or("", |c| c.id.as_str())
                .to_string(),
            reason: judged.error.clone().unwrap_or_default(),
        }
        .into()),
    }
}

/// `title_of(clause_id)`: the clause's title in the report's language (for messages, which
/// name clauses by their titles, never by their ids).
pub(super) fn title_of<'a>(
    ev: &mut Evaluator<'a>,
    vals: &[Operand<'a>],
    loc: Loc,
) -> EvalResult<'a> {
    let v = vals.first().cloned().unwrap_or(Operand::new(RtValue::Null));
    let i = match ev.referenced(&v)? {
        Ok(i) => i,
        Err(invalid) => return Ok(invalid),
    };
    let program = ev.program;
    let title = program.clauses.get(i).and_then(|c| {
        pick(
            &c.titles,
            ev.language,
            program.languages.first().map(String::as_str),
        )
    });
    Ok(Operand::at(
        RtValue::Str(Cow::Borrowed(title.map_or("", String::as_str))),
        loc,
    ))
}
