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
#[cfg(feature = "tools")]
pub mod docs;
mod error;
mod eval;
#[cfg(feature = "tools")]
pub mod explain;
#[cfg(feature = "tools")]
pub mod format;
mod limits;
mod number;
mod options;
mod program;
mod source;
mod syntax;
#[cfg(feature = "tools")]
pub mod testing;
#[cfg(feature = "tools")]
pub mod validate;

pub mod pack;
pub mod report;

pub use crate::diagnostic::Diagnostic;
pub use crate::error::{CompileError, Error};
pub use crate::options::Options;
pub use crate::pack::{PackBuilder, RulePack};
pub use crate::report::{Outcome, Report, Severity, Status, Verdict, Violation};

/// Parsing to the untyped syntax tree, for tools (formatters, editors). No stability promise.
#[cfg(feature = "unstable-ast")]
pub mod unstable {
    use crate::diagnostic::Diagnostic;
    use crate::source::SourceMap;

    pub use crate::number::Number;

    /// Parses one file into its syntax tree, or the syntax errors found.
    ///
    /// # Errors
    /// The diagnostics of a file that does not parse.
    pub fn parse(name: &str, text: &str) -> Result<crate::ast::File, Vec<Diagnostic>> {
        let mut sources = SourceMap::default();
        let id = sources.add(name.to_string(), std::sync::Arc::from(text));
        crate::syntax::parse_file(
            id,
            text,
            crate::limits::CompileLimits::default().max_depth_value(),
        )
        .map_err(|d| d.into_iter().map(|d| d.resolve(&sources)).collect())
    }
}
