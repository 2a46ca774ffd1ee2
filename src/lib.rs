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
mod options;
mod program;
mod source;
mod syntax;

pub mod pack;
pub mod report;
#[cfg(feature = "tools")]
pub mod tools;

pub use crate::diagnostic::Diagnostic;
pub use crate::error::{CompileError, Error};
pub use crate::options::Options;
pub use crate::pack::{PackBuilder, RulePack};
pub use crate::report::{Outcome, Report, Severity, Status, Verdict, Violation};
