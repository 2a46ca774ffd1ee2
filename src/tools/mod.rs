//! The rule author's tooling (feature `tools`, which `cli` enables): everything the `conduct`
//! command does besides evaluating, as a library.
//!
//! | module | command | what it gives |
//! | --- | --- | --- |
//! | [`completion`] | `conduct test`, `conduct check --completion-check` | clauses left undecided that the evidence at hand decides (`W007`) |
//! | [`docs`] | `conduct requirements`, `conduct doc` | what each clause reads; the pack's reference |
//! | [`explain`] | `conduct explain` | why one clause has its outcome, step by step |
//! | [`format`](mod@format) | `conduct fmt` | rule files in the one canonical layout |
//! | [`report_html`] | `conduct check --format html` | the printable report for the officer's letter |
//! | [`testing`] | `conduct test` | a pack's fixtures run and compared with their expected outcomes |
//! | [`validate`] | `conduct check --validate` | departures of evidence from the declared shape |
//!
//! Under the `unstable-ast` feature, [`unstable`] parses rule files into their syntax tree, with
//! no stability promise.

pub mod completion;
pub mod docs;
pub mod explain;
pub mod format;
pub mod report_html;
pub mod testing;
pub mod validate;

/// Parsing to the untyped syntax tree, for tools (formatters, editors, the reference
/// evaluator of the tests). No stability promise.
#[cfg(feature = "unstable-ast")]
pub mod unstable {
    use crate::diagnostic::Diagnostic;
    use crate::source::SourceMap;

    pub use crate::number::Number;

    /// The untyped syntax tree of a rule file: every node with its span.
    pub mod ast {
        pub use crate::ast::*;
    }

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

    /// Whether the two parsers of rule files agree on `text`: the hand-written one that
    /// compiles packs and pest, the grammar's parser of record (the same parse tree, or both
    /// refuse the text). The fuzz target `parse_check` asserts it on every input.
    ///
    /// ```
    /// use conduct::tools::unstable::parsers_agree;
    /// assert!(parsers_agree("param p: number = 1 + 2 * 3"));
    /// assert!(parsers_agree("param p: number = "));
    /// ```
    #[must_use]
    pub fn parsers_agree(text: &str) -> bool {
        crate::syntax::parsers_agree(text)
    }
}
