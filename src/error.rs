//! Errors: a pack that does not compile, a folder that is not a pack, evidence that is not
//! JSON, a file that cannot be read, options that do not fit.

use std::fmt;

use crate::diagnostic::Diagnostic;

/// The rules do not compile: every problem found, sorted by position (warnings included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    diagnostics: Vec<Diagnostic>,
}

impl CompileError {
    pub(crate) fn new(diagnostics: Vec<Diagnostic>) -> CompileError {
        CompileError { diagnostics }
    }
    /// Every diagnostic, errors and warnings, in position order.
    #[must_use]
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }
    /// Only the errors.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| !d.is_warning())
    }
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let errors = self.errors().count();
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        if !self.diagnostics.is_empty() {
            writeln!(f)?;
            writeln!(f)?;
        }
        write!(
            f,
            "the rules do not compile: {errors} error{}",
            if errors == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for CompileError {}

/// One problem with the options given to an evaluation: an unknown parameter override, a
/// value not of the parameter's type or outside its declared bounds, or a language the pack
/// does not declare.
/// [`crate::RulePack::check_options`] lists every problem, each one of these.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OptionsError {
    /// The pack offers no messages and titles in that language.
    #[error(
        "the pack has no language `{language}`; its languages are {}",
        quoted(available)
    )]
    UnknownLanguage {
        /// The language asked for.
        language: String,
        /// The languages the pack declares, in its header's order.
        available: Vec<String>,
    },
    /// The pack has no parameter of that name.
    #[error("the pack has no parameter `{name}`{}", help.as_ref().map(|h| format!("; {h}")).unwrap_or_default())]
    UnknownParam {
        /// The name given.
        name: String,
        /// A suggestion.
        help: Option<String>,
    },
    /// The value does not have the parameter's type.
    #[error("parameter `{name}`: {reason}")]
    BadParam {
        /// The parameter.
        name: String,
        /// What is wrong.
        reason: String,
    },
    /// The value is outside the bounds the pack declares (`at least`, `at most`).
    #[error("parameter `{name}` {problem}")]
    OutOfBounds {
        /// The parameter.
        name: String,
        /// The bound and the value: `must be at least 1, got -5`.
        problem: String,
    },
}

/// Everything that can go wrong before a report exists.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The rules do not compile.
    #[error(transparent)]
    Compile(#[from] CompileError),
    /// Evidence that is not valid JSON (the message has its line and column).
    #[error("the evidence is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A folder given as a pack has no root file `pack.conduct`.
    #[error("`{path}` is not a pack: it has no `pack.conduct`{}", help.as_ref().map(|h| format!("; {h}")).unwrap_or_default())]
    NotAPack {
        /// The folder, as given.
        path: String,
        /// A pack folder inside it, or what a pack folder holds.
        help: Option<String>,
    },
    /// A file could not be read.
    #[error("cannot read `{path}`: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The evaluation options do not fit the pack: every problem, in the order given (see
    /// [`crate::RulePack::check_options`]); one line each.
    #[error("{}", lines(.0))]
    Options(Vec<OptionsError>),
}

impl From<Vec<OptionsError>> for Error {
    fn from(problems: Vec<OptionsError>) -> Error {
        Error::Options(problems)
    }
}

impl From<OptionsError> for Error {
    fn from(problem: OptionsError) -> Error {
        Error::Options(vec![problem])
    }
}

/// Names in backticks, comma-separated.
fn quoted(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    quoted.join(", ")
}

/// Each problem on its own line.
fn lines(problems: &[OptionsError]) -> String {
    let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    lines.join("\n")
}
