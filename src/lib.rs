#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod ast;
mod check;
mod date;
mod diagnostic;
mod error;
mod eval;
mod limits;
mod number;
mod pack;
mod program;
mod report;
mod source;
mod syntax;

pub use crate::date::{Date, Duration};
pub use crate::diagnostic::{Code, Diagnostic};
pub use crate::error::{CompileError, Error, EvalError};
pub use crate::limits::Limits;
pub use crate::number::Number;
pub use crate::pack::{Options, PackBuilder, RulePack};
pub use crate::report::{
    BySeverity, Engine, Invalid, Outcome, PackInfo, REPORT_FORMAT, Remediation, Report, Severity,
    Status, Summary, Verdict, Violation,
};
pub use crate::source::Location;

/// The rule language reference (the same text as `grammar/README.md`).
#[doc = include_str!("../grammar/README.md")]
pub mod language {}
