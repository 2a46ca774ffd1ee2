//! The canonical layout of rule files: what `conduct fmt` writes.
//!
//! [`format_source`] parses one file and prints it again: two-space indentation, one statement
//! a line, metadata in a fixed order (`title`, `references`, `severity`, `applies when`,
//! `remediation`, `remedied when`, then for a requirement `message`, `severity`,
//! `remediation`, `remedied when`), texts of several languages aligned under each other, and
//! expressions broken before `and`, `or`, `??` and `else` when they do not fit in 100 columns.
//!
//! What the author chose is kept: comments (a comment inside an expression keeps the whole
//! expression as written), single blank lines between statements, parentheses (parentheses
//! that change nothing often make a condition easier to read). Formatting never changes the
//! meaning: the formatted text is parsed again and must give the same syntax tree, and
//! formatting it once more must change nothing; otherwise [`FormatError::Unstable`] is returned
//! and nothing should be written.
//!
//! ```
//! let messy = r#"
//! pack demo "Demo" languages en
//! evidence { workers: [{ hours: number }] }
//! clause hours.limit title en "Weekly hours"   severity major
//!    for each w in workers :   # every worker
//!  require w.hours<=60 message en "worked {actual} hours"
//! end
//! "#;
//! let tidy = conduct::tools::format::format_source("demo.conduct", messy)?;
//! assert_eq!(tidy, r#"pack demo "Demo"
//!   languages en
//!
//! evidence {
//!   workers: [{
//!     hours: number
//!   }]
//! }
//!
//! clause hours.limit
//!   title en "Weekly hours"
//!   severity major
//!   for each w in workers:  # every worker
//!     require w.hours <= 60
//!       message en "worked {actual} hours"
//!   end
//! "#);
//! // Formatting is stable.
//! assert_eq!(conduct::tools::format::format_source("demo.conduct", &tidy)?, tidy);
//! # Ok::<(), conduct::tools::format::FormatError>(())
//! ```

mod diff;
mod doc;
mod expr;
mod files;
mod items;
mod printer;

use crate::ast::File;
use crate::diagnostic::{Code, Diagnostic};
use crate::error::CompileError;
use crate::limits::CompileLimits;
use crate::source::{FileId, SourceMap};
use crate::syntax::parse_with_comments;
pub use files::{format_file, read_and_format, rule_files};
use printer::Printer;

/// The line width expressions are broken to fit (texts longer than it stay whole).
pub const WIDTH: usize = 100;

/// Why a file was not formatted.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FormatError {
    /// The file or folder cannot be read, or the formatted file cannot be written.
    #[error("cannot {action} `{path}`: {source}")]
    Io {
        /// What was being done: `read`, `write`, `list`.
        action: &'static str,
        /// The file or folder.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The file does not parse: its syntax errors, with positions.
    #[error(transparent)]
    Syntax(#[from] CompileError),
    /// The formatted text would not mean the same as the original, or would change again when
    /// formatted: a bug in the formatter. The file must be left as it is.
    #[error(
        "formatting `{file}` would change its meaning or is not stable ({detail}); the file was left as it is (this is a bug in conduct)"
    )]
    Unstable {
        /// The file's name.
        file: String,
        /// What differed.
        detail: String,
    },
}

/// A unified diff of a file's text before and after formatting (`--- name`, `+++ name`, hunks
/// with three lines of context), as `conduct fmt --diff` prints it; empty when nothing changes.
///
/// ```
/// let before = "pack p \"P\" languages en\n";
/// let after = conduct::tools::format::format_source("p.conduct", before)?;
/// let diff = conduct::tools::format::diff("p.conduct", before, &after);
/// assert_eq!(diff, "--- p.conduct\n+++ p.conduct\n@@ -1,1 +1,2 @@\n-pack p \"P\" languages en\n+pack p \"P\"\n+  languages en\n");
/// # Ok::<(), conduct::tools::format::FormatError>(())
/// ```
#[must_use]
pub fn diff(name: &str, before: &str, after: &str) -> String {
    diff::unified(name, before, after)
}

/// Formats the text of one rule file (`name` is used in diagnostics).
///
/// # Errors
/// [`FormatError::Syntax`] when the file does not parse (or is larger than the default source
/// size limit); [`FormatError::Unstable`] when the result would not parse to the same syntax tree
/// or would change when formatted again.
pub fn format_source(name: &str, text: &str) -> Result<String, FormatError> {
    let (tree, out) = format_once(name, text)?;
    let unstable = |detail: &str| FormatError::Unstable {
        file: name.to_string(),
        detail: detail.to_string(),
    };
    // The formatted text must mean the same, keep every comment, and be a fixed point.
    let (again_tree, again) =
        format_once(name, &out).map_err(|_| unstable("the formatted text does not parse"))?;
    if again_tree != tree {
        return Err(unstable("the formatted text parses to another program"));
    }
    // Every comment is kept. (One written between the tokens of a line may move to the line's
    // end, past a comment inside an expression that is kept as written: compare as sets.)
    let (mut before, mut after) = (comment_texts(text), comment_texts(&out));
    before.sort_unstable();
    after.sort_unstable();
    if before != after {
        return Err(unstable(&format!(
            "comments were lost or changed: {} before, {} after",
            before.len(),
            after.len()
        )));
    }
    if again != out {
        return Err(unstable("formatting the result again changes it"));
    }
    Ok(out)
}

/// The comments of a text that parses, in order, without trailing blanks.
fn comment_texts(text: &str) -> Vec<&str> {
    match parse_with_comments(
        FileId::default(),
        text,
        CompileLimits::default().max_depth_value(),
    ) {
        Ok((_, layout)) => layout
            .comments
            .iter()
            .filter_map(|c| text.get(c.start..c.end).map(str::trim_end))
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// Parses `text` and prints it in the canonical layout, once.
fn format_once(name: &str, text: &str) -> Result<(File, String), FormatError> {
    let limits = CompileLimits::default();
    let mut sources = SourceMap::default();
    let id = sources.add(name.to_string(), std::sync::Arc::from(text));
    if text.len() > limits.max_source_bytes {
        return Err(CompileError::new(vec![Diagnostic::file_level(
            Code::E103,
            name,
            format!(
                "rule file is {} bytes, over the limit of {} bytes",
                text.len(),
                limits.max_source_bytes
            ),
            None,
        )])
        .into());
    }
    let (tree, layout) = parse_with_comments(id, text, limits.max_depth_value())
        .map_err(|d| CompileError::new(d.into_iter().map(|d| d.resolve(&sources)).collect()))?;
    let mut printer = Printer::new(text, layout);
    printer.file(&tree);
    Ok((tree, printer.finish()))
}
