//! Faults: why a clause cannot be evaluated when it is not the evidence's fault.
//!
//! A fault stops the one clause it happens in and becomes that clause's `error` outcome; its
//! text (the `Display` form) is the outcome's `error` field, part of the report contract.

use crate::date::Duration;

/// A reason a clause cannot be evaluated that is not the evidence's fault: one word wide, so
/// that an evaluation result (`Result<Operand, Fault>`) is no larger than its value. Faults
/// are rare; values are moved at every step.
#[derive(Debug, Clone)]
pub(crate) struct Fault(Box<FaultKind>);

impl From<FaultKind> for Fault {
    fn from(kind: FaultKind) -> Fault {
        Fault(Box::new(kind))
    }
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// What a [`Fault`] is.
#[derive(Debug, Clone, thiserror::Error)]
pub(crate) enum FaultKind {
    /// A `--param` value does not parse as the parameter's declared type.
    #[error("parameter `{name}`: {reason}")]
    BadParam { name: String, reason: String },
    /// A `--param` names no parameter of the pack.
    #[error("the pack has no parameter `{0}`")]
    UnknownParam(String),
    /// `outcome(…)` and its kin named a clause (from a computed text) that is not in the pack.
    #[error("the pack has no clause `{0}`")]
    UnknownClause(String),
    /// A clause read the outcome of one not judged before it (itself, or a clause reached
    /// only through an id read at run time that the checker could not order).
    #[error("`{reading}` reads the outcome of `{read}`, which is not judged before it")]
    ClauseNotJudged { reading: String, read: String },
    /// A clause read whether another is violated for a subject, and that clause is in error.
    /// Its text carries the read clause's own error, so that a reader stopped by a limit says
    /// which limit.
    #[error("clause `{clause}` could not be evaluated: {reason}")]
    ClauseInError { clause: String, reason: String },
    /// The clause took more than `max_steps` steps.
    #[error("evaluation of `{clause}` took more than {limit} steps (limit `max_steps`)")]
    StepLimit { clause: String, limit: u64 },
    /// Pack-level functions call each other deeper than `max_depth`.
    #[error("functions call each other deeper than {0} levels")]
    CallDepth(usize),
    /// `applies when` gave something other than true, false or unknown.
    #[error("`applies when` did not give true or false")]
    ScopeNotBoolean,
    /// A requirement gave something other than true, false or unknown.
    #[error("the requirement did not give true or false")]
    RequirementNotBoolean,
    /// A computed value (not evidence) of the wrong type: the checker should have caught it.
    #[error("expected {expected}, found {found}")]
    WrongType {
        expected: &'static str,
        found: String,
    },
    /// A computed value compared with a value of another kind.
    #[error("cannot compare {found} with {other}")]
    Incomparable { found: String, other: &'static str },
    /// Two values without an order (`<` on objects, null).
    #[error("cannot order {0} and {1}")]
    Unordered(String, String),
    /// Two durations in days and in months compared.
    #[error("cannot compare `{0}` with `{1}`: days and months differ in length")]
    DurationsIncomparable(Duration, Duration),
    /// Two durations in days and in months added.
    #[error("cannot add `{0}` and `{1}`: days and months differ in length")]
    DurationSum(Duration, Duration),
    /// A duration in days subtracted from one in months, or the other way round.
    #[error("cannot subtract `{1}` from `{0}`: days and months differ in length")]
    DurationDifference(Duration, Duration),
    /// `min`/`max` of values without an order.
    #[error("`min`/`max` of values that cannot be ordered")]
    MinMaxUnordered,
    /// Arithmetic out of the range of numbers.
    #[error("arithmetic out of range in `rule`")]
    ArithmeticOverflow,
    /// A computed division by zero.
    #[error("division by zero")]
    DivisionByZero,
    /// A `sum` or `average` out of the range of numbers.
    #[error("sum out of range")]
    SumOverflow,
    /// A `share` or `average` whose division is out of range.
    #[error("division out of range")]
    DivisionOverflow,
    /// A date was expected where the checker guarantees one.
    #[error("not a date")]
    NotADate,
    /// Dates were expected where the checker guarantees them.
    #[error("expected dates")]
    NotDates,
}
