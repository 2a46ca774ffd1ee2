#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "unstable-ast")]
pub mod ast;
#[cfg(not(feature = "unstable-ast"))]
mod ast;
mod check;
mod date;
mod diagnostic;
pub mod docs;
mod error;
mod eval;
pub mod explain;
pub mod format;
mod limits;
mod number;
mod options;
mod pack;
mod program;
mod report;
mod source;
mod syntax;
pub mod testing;
pub mod validate;

pub use crate::date::{Date, Duration};
pub use crate::diagnostic::{Code, Diagnostic};
pub use crate::error::{CompileError, Error, EvalError};
pub use crate::limits::Limits;
pub use crate::number::Number;
pub use crate::pack::{ClauseInfo, Options, PackBuilder, RulePack};
pub use crate::report::{
    BySeverity, Engine, Invalid, Outcome, PackInfo, REPORT_FORMAT, Remediation, Report, Severity,
    Status, Summary, Verdict, Violation,
};
pub use crate::source::Location;

/// The rule language reference (the same text as `grammar/README.md`).
#[doc = include_str!("../grammar/README.md")]
pub mod language {}

/// Parsing to the untyped syntax tree, for tools (formatters, editors). No stability promise.
#[cfg(feature = "unstable-ast")]
pub mod unstable {
    use crate::diagnostic::Diagnostic;
    use crate::source::SourceMap;

    /// Parses one file into its syntax tree, or the syntax errors found.
    ///
    /// # Errors
    /// The diagnostics of a file that does not parse.
    pub fn parse(name: &str, text: &str) -> Result<crate::ast::File, Vec<Diagnostic>> {
        let mut sources = SourceMap::default();
        let id = sources.add(name.to_string(), std::sync::Arc::from(text));
        crate::syntax::parse_file(id, text, crate::Limits::default().max_depth_value())
            .map_err(|d| d.into_iter().map(|d| d.resolve(&sources)).collect())
    }
}
