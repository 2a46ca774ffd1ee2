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
//! let tidy = conduct::format::format_source("demo.conduct", messy)?;
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
//! assert_eq!(conduct::format::format_source("demo.conduct", &tidy)?, tidy);
//! # Ok::<(), conduct::format::FormatError>(())
//! ```

mod diff;
mod doc;

use crate::ast::{
    BinaryOp, Binding, Clause, Deadline, Expr, ExprKind, File, For, Header, Item, Level,
    MessageText, Param, Remediation, Require, SeveritySpec, Shape, ShapeObject, Stmt, Table,
    Template, TemplatePart, UnaryOp, Unit,
};
use crate::diagnostic::{Code, Diagnostic};
use crate::error::CompileError;
use crate::limits::CompileLimits;
use crate::source::{FileId, SourceMap};
use crate::syntax::{Anchor, Comment, parse_with_comments};
use doc::{Doc, render};
use std::path::{Path, PathBuf};

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

/// The rule files under `path`: `path` itself when it is a file, else every `*.conduct` file
/// in the folder and its sub-folders, in name order. Hidden folders, `target` and symbolic links
/// are skipped.
///
/// # Errors
/// [`FormatError::Io`] when `path` or a folder under it cannot be read.
pub fn rule_files(path: &Path) -> Result<Vec<PathBuf>, FormatError> {
    let io = |action, p: &Path| {
        let path = p.display().to_string();
        move |source| FormatError::Io {
            action,
            path,
            source,
        }
    };
    let meta = std::fs::metadata(path).map_err(io("read", path))?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    let mut folders = vec![path.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let entries = std::fs::read_dir(&folder).map_err(io("list", &folder))?;
        for entry in entries {
            let entry = entry.map_err(io("list", &folder))?;
            let p = entry.path();
            let kind = entry.file_type().map_err(io("read", &p))?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if kind.is_dir() {
                if !name.starts_with('.') && name != "target" {
                    folders.push(p);
                }
            } else if kind.is_file() && p.extension().is_some_and(|e| e == "conduct") {
                files.push(p);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Reads the rule file at `path` and formats it, writing nothing: its text before and after.
///
/// # Errors
/// [`FormatError::Io`] when the file cannot be read; [`FormatError::Syntax`] when it is not
/// UTF-8 or does not parse; [`FormatError::Unstable`] as for [`format_source`].
pub fn read_and_format(path: &Path) -> Result<(String, String), FormatError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| FormatError::Io {
        action: "read",
        path: name.clone(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        FormatError::Syntax(CompileError::new(vec![Diagnostic::file_level(
            Code::E104,
            &name,
            "rule file is not valid UTF-8".to_string(),
            None,
        )]))
    })?;
    let formatted = format_source(&name, &text)?;
    Ok((text, formatted))
}

/// Formats the rule file at `path`; returns whether its text changes. With `write`, a file that
/// changes is replaced atomically (the new text goes to a temporary file beside it, which is
/// then renamed over it), so a failure never leaves a half-written file; without, nothing is
/// written (`conduct fmt --check`).
///
/// # Errors
/// [`FormatError::Io`] when the file cannot be read or written; [`FormatError::Syntax`] and
/// [`FormatError::Unstable`] as for [`format_source`]. The file is left as it was.
pub fn format_file(path: &Path, write: bool) -> Result<bool, FormatError> {
    let (text, formatted) = read_and_format(path)?;
    if formatted == text {
        return Ok(false);
    }
    if write {
        let io = |source| FormatError::Io {
            action: "write",
            path: path.display().to_string(),
            source,
        };
        // A symbolic link named on the command line: replace the file it points to, not the link.
        let target = std::fs::canonicalize(path).map_err(io)?;
        replace(&target, &formatted).map_err(io)?;
    }
    Ok(true)
}

/// Writes `text` to a temporary file beside `path`, with `path`'s permissions, and renames it
/// over `path`.
fn replace(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = path.file_name().unwrap_or_default().to_string_lossy();
    let temp = folder.join(format!(".{file_name}.{}.fmt.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::set_permissions(&temp, std::fs::metadata(path)?.permissions())?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// A unified diff of a file's text before and after formatting (`--- name`, `+++ name`, hunks
/// with three lines of context), as `conduct fmt --diff` prints it; empty when nothing changes.
///
/// ```
/// let before = "pack p \"P\" languages en\n";
/// let after = conduct::format::format_source("p.conduct", before)?;
/// let diff = conduct::format::diff("p.conduct", before, &after);
/// assert_eq!(diff, "--- p.conduct\n+++ p.conduct\n@@ -1,1 +1,2 @@\n-pack p \"P\" languages en\n+pack p \"P\"\n+  languages en\n");
/// # Ok::<(), conduct::format::FormatError>(())
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
    let mut printer = Printer {
        src: text,
        comments: layout.comments.into_iter().map(|c| (c, false)).collect(),
        first: 0,
        anchors: layout.anchors,
        out: Out::default(),
    };
    printer.file(&tree);
    Ok((tree, printer.out.finish()))
}

/// Whether a blank line goes before an element.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Blank {
    /// Never (metadata lines).
    Never,
    /// Where the author left one.
    Source,
    /// Always (around clauses and the evidence declaration).
    Always,
}

/// The output, a line at a time.
#[derive(Default)]
struct Out {
    buf: String,
    want_blank: bool,
    /// Just after a line that opens a block: no blank line here.
    block_start: bool,
    /// The last line ends with a comment: nothing more can go on it.
    ends_in_comment: bool,
}

impl Out {
    /// Writes `text` (which may hold newlines already indented) at `indent`.
    fn line(&mut self, indent: usize, text: &str) {
        if self.want_blank && !self.block_start && !self.buf.is_empty() {
            self.buf.push('\n');
        }
        self.want_blank = false;
        self.block_start = false;
        self.buf.extend(std::iter::repeat_n(' ', indent));
        self.buf.push_str(text);
        self.buf.push('\n');
        self.ends_in_comment = text.starts_with('#');
    }

    /// Appends a comment to the last line written.
    fn trailing(&mut self, comment: &str) {
        if self.buf.ends_with('\n') {
            self.buf.pop();
        }
        self.buf.push_str("  ");
        self.buf.push_str(comment);
        self.buf.push('\n');
        self.ends_in_comment = true;
    }

    fn finish(self) -> String {
        // No trailing blanks on any line; exactly one newline at the end.
        let mut out: String = self
            .buf
            .lines()
            .map(str::trim_end)
            .collect::<Vec<_>>()
            .join("\n");
        let trimmed = out.trim_end().len();
        out.truncate(trimmed);
        if !out.is_empty() {
            out.push('\n');
        }
        out
    }
}

struct Printer<'a> {
    src: &'a str,
    /// Every comment, and whether it was written yet.
    comments: Vec<(Comment, bool)>,
    /// Every comment before this index is written.
    first: usize,
    /// Where metadata lines start.
    anchors: Vec<(Anchor, usize)>,
    out: Out,
}

/// Binding power of an expression: how tightly it holds together (higher is tighter).
fn power(e: &Expr) -> u8 {
    match &e.kind {
        ExprKind::Binary(op, ..) => op_power(*op),
        ExprKind::Unary(UnaryOp::Not, _) => 3,
        ExprKind::Unary(UnaryOp::Neg, _) => 8,
        ExprKind::Field(..) | ExprKind::Index(..) | ExprKind::Duration(..) => 9,
        // `if … else x` swallows whatever follows it: parenthesised as any operand.
        ExprKind::If(..) => 0,
        _ => 10,
    }
}

fn op_power(op: BinaryOp) -> u8 {
    match op {
        BinaryOp::Or => 1,
        BinaryOp::And => 2,
        BinaryOp::Coalesce => 5,
        BinaryOp::Add | BinaryOp::Sub => 6,
        BinaryOp::Mul | BinaryOp::Div => 7,
        _ => 4,
    }
}

fn unit_name(unit: Unit, one: bool) -> &'static str {
    match (unit, one) {
        (Unit::Days, true) => "day",
        (Unit::Days, false) => "days",
        (Unit::Weeks, true) => "week",
        (Unit::Weeks, false) => "weeks",
        (Unit::Months, true) => "month",
        (Unit::Months, false) => "months",
        (Unit::Years, true) => "year",
        (Unit::Years, false) => "years",
    }
}

fn level_name(level: Level) -> &'static str {
    match level {
        Level::Critical => "critical",
        Level::Major => "major",
        Level::Minor => "minor",
    }
}

/// A plain string literal.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    escape_into(&mut out, s, false);
    out.push('"');
    out
}

/// Appends `s` escaped for a string literal; in a template (`braces`), `{` and `}` doubled.
fn escape_into(out: &mut String, s: &str, braces: bool) {
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '{' if braces => out.push_str("{{"),
            '}' if braces => out.push_str("}}"),
            c => out.push(c),
        }
    }
}

/// Is `key` written bare in a table (`CN: 16`) rather than quoted?
fn bare_key(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl Printer<'_> {
    // ---- comments and blank lines -------------------------------------------------------

    /// The start of the first `kind` metadata line in `lo..hi`.
    fn anchor(&self, kind: Anchor, lo: usize, hi: usize) -> Option<usize> {
        // Anchors are in source order.
        let from = self.anchors.partition_point(|&(_, at)| at < lo);
        self.anchors
            .get(from..)
            .unwrap_or_default()
            .iter()
            .take_while(|&&(_, at)| at < hi)
            .find(|&&(k, _)| k == kind)
            .map(|&(_, at)| at)
    }

    /// Prepares a metadata line of `kind` found in `lo..hi`.
    fn meta(&mut self, kind: Anchor, lo: usize, hi: usize, indent: usize) {
        if let Some(at) = self.anchor(kind, lo, hi) {
            self.element(at, indent, Blank::Never);
        }
    }

    /// Did the author leave a blank line just before byte `pos`?
    fn blank_before(&self, pos: usize) -> bool {
        let before = self.src.get(..pos).unwrap_or_default();
        let content = before.trim_end_matches([' ', '\t', '\r', '\n']).len();
        before
            .get(content..)
            .is_some_and(|gap| gap.matches('\n').count() >= 2)
    }

    /// Is the comment at `start` the first thing on its line?
    fn own_line(&self, start: usize) -> bool {
        let before = self.src.get(..start).unwrap_or_default();
        let line = before.rsplit('\n').next().unwrap_or_default();
        line.trim().is_empty()
    }

    /// Writes the comments before byte `pos` that are not written yet; returns whether any
    /// stood on a line of its own. `blank` applies to the first thing written.
    fn comments_before(&mut self, pos: usize, indent: usize, blank: Blank) -> bool {
        let mut wrote_line = false;
        // Comments are in source order, and every one before `self.first` is written.
        let end = self.comments.partition_point(|(c, _)| c.start < pos);
        for i in self.first..end {
            let Some(&(c, done)) = self.comments.get(i) else {
                continue;
            };
            if done {
                continue;
            }
            if let Some(entry) = self.comments.get_mut(i) {
                entry.1 = true;
            }
            let text = self.src.get(c.start..c.end).unwrap_or("#").trim_end();
            // A comment after code goes at the end of the last line written, unless that line
            // has a comment already.
            if self.own_line(c.start) || self.out.ends_in_comment || self.out.buf.is_empty() {
                let first = !wrote_line;
                if blank != Blank::Never
                    && ((first && blank == Blank::Always) || self.blank_before(c.start))
                {
                    self.out.want_blank = true;
                }
                self.out.line(indent, text);
                wrote_line = true;
            } else {
                self.out.trailing(text);
            }
        }
        self.first = self.first.max(end);
        wrote_line
    }

    /// The indices of the comments that start strictly inside `start..end`.
    fn comments_inside(&self, start: usize, end: usize) -> std::ops::Range<usize> {
        let from = self.comments.partition_point(|(c, _)| c.start <= start);
        let to = self.comments.partition_point(|(c, _)| c.start < end);
        from..to.max(from)
    }

    /// Prepares to write an element starting at byte `pos`: its comments, then a blank line.
    fn element(&mut self, pos: usize, indent: usize, blank: Blank) {
        let commented = self.comments_before(pos, indent, blank);
        let wanted = match blank {
            Blank::Never => false,
            Blank::Source => self.blank_before(pos),
            Blank::Always => !commented || self.blank_before(pos),
        };
        if wanted {
            self.out.want_blank = true;
        }
    }

    /// Writes `doc` as one element at `indent`.
    fn emit(&mut self, indent: usize, doc: &Doc) {
        let text = render(doc, WIDTH, indent, indent);
        self.out.line(indent, &text);
    }

    // ---- the file ---------------------------------------------------------------------------

    fn file(&mut self, file: &File) {
        if let Some(header) = &file.header {
            self.header(header);
        }
        let mut after_block = file.header.is_some();
        for import in &file.imports {
            let blank = if after_block {
                Blank::Always
            } else {
                Blank::Source
            };
            after_block = false;
            self.element(import.span.0.start as usize, 0, blank);
            self.out.line(0, &format!("import {}", quote(&import.path)));
        }
        after_block |= !file.imports.is_empty();
        for item in &file.items {
            let (start, block) = match item {
                Item::Param(p) => (p.span.0.start, false),
                Item::Table(t) => (t.span.0.start, !t.entries.is_empty()),
                Item::Clause(c) => (c.span.0.start, true),
                Item::Evidence(s) => {
                    let brace = s.span.0.start as usize;
                    let keyword = self
                        .anchors
                        .iter()
                        .rev()
                        .find(|&&(k, at)| k == Anchor::Evidence && at <= brace)
                        .map_or(brace, |&(_, at)| at);
                    (u32::try_from(keyword).unwrap_or(s.span.0.start), true)
                }
                Item::Let(l) => (l.span.0.start, false),
                Item::Function(f) => (f.span.0.start, false),
            };
            let blank = if block || after_block {
                Blank::Always
            } else {
                Blank::Source
            };
            after_block = block;
            self.element(start as usize, 0, blank);
            match item {
                Item::Param(p) => self.param(p),
                Item::Table(t) => self.table(t),
                Item::Clause(c) => self.clause(c),
                Item::Evidence(s) => self.evidence(s),
                Item::Let(l) => {
                    let doc = self.headed(format!("let {} = ", l.name.name), &l.value);
                    self.emit(0, &doc);
                }
                Item::Function(f) => {
                    let params: Vec<&str> = f.params.iter().map(|p| p.name.as_str()).collect();
                    let head = format!("let {}({}) =", f.name.name, params.join(", "));
                    let body = self.slot(&f.body).align();
                    let doc = Doc::Concat(vec![
                        Doc::text(head),
                        Doc::Concat(vec![Doc::Line, body]).nest(2).group(),
                    ]);
                    self.emit(0, &doc);
                }
            }
        }
        self.comments_before(usize::MAX, 0, Blank::Source);
    }

    fn header(&mut self, h: &Header) {
        self.element(h.span.0.start as usize, 0, Blank::Never);
        self.out
            .line(0, &format!("pack {} {}", h.name.name, quote(&h.title)));
        if let Some(edition) = &h.edition {
            self.out.line(2, &format!("edition {}", quote(edition)));
        }
        if !h.languages.is_empty() {
            let langs: Vec<&str> = h.languages.iter().map(|l| l.name.as_str()).collect();
            self.out.line(2, &format!("languages {}", langs.join(", ")));
        }
        if let Some(as_of) = &h.as_of {
            let doc = self.headed("as_of from ", as_of);
            self.emit(2, &doc);
        }
        if !h.subject.is_empty() {
            let fields = h
                .subject
                .iter()
                .map(|(name, e)| self.headed(format!("{} from ", name.name), e))
                .collect();
            let doc = Doc::Concat(vec![
                Doc::text("subject "),
                Doc::join(fields, ",").align().group(),
            ]);
            self.emit(2, &doc);
        }
    }

    fn param(&mut self, p: &Param) {
        let mut parts = vec![
            Doc::text(format!("param {}: {} = ", p.name.name, p.ty.name)),
            self.slot(&p.default).align(),
        ];
        if let Some(source) = &p.source {
            parts.push(
                Doc::Concat(vec![
                    Doc::HardLine,
                    Doc::text(format!("source {}", quote(source))),
                ])
                .nest(2),
            );
        }
        self.emit(0, &Doc::Concat(parts));
    }

    fn table(&mut self, t: &Table) {
        let mut head = vec![Doc::text(format!("table {}: {}", t.name.name, t.ty.name))];
        if let Some(default) = &t.default {
            head.push(Doc::text(" default "));
            head.push(self.slot(default).align());
        }
        if let Some(source) = &t.source {
            head.push(Doc::text(format!(" source {}", quote(source))));
        }
        let end = t.span.0.end as usize;
        if t.entries.is_empty() && !self.has_comment_in(t.span.0.start as usize, end) {
            head.push(Doc::text(" {}"));
            self.emit(0, &Doc::Concat(head));
            return;
        }
        head.push(Doc::text(" {"));
        self.emit(0, &Doc::Concat(head));
        self.out.block_start = true;
        for entry in &t.entries {
            self.element(entry.key_span.0.start as usize, 2, Blank::Source);
            let key = if bare_key(&entry.key) {
                entry.key.clone()
            } else {
                quote(&entry.key)
            };
            let mut parts = vec![
                Doc::text(format!("{key}: ")),
                self.slot(&entry.value).align(),
            ];
            if let Some(source) = &entry.source {
                parts.push(Doc::text(format!(" source {}", quote(source))));
            }
            parts.push(Doc::text(","));
            self.emit(2, &Doc::Concat(parts));
        }
        self.comments_before(end, 2, Blank::Source);
        self.out.line(0, "}");
    }

    fn has_comment_in(&self, start: usize, end: usize) -> bool {
        self.comments_inside(start, end)
            .any(|i| self.comments.get(i).is_some_and(|(_, done)| !done))
    }

    // ---- evidence shapes --------------------------------------------------------------------

    fn evidence(&mut self, shape: &ShapeObject) {
        self.shape_block("evidence ", shape, "", 0);
    }

    /// Writes `prefix{`, the fields, and `}suffix`.
    fn shape_block(&mut self, prefix: &str, obj: &ShapeObject, suffix: &str, indent: usize) {
        let (start, end) = (obj.span.0.start as usize, obj.span.0.end as usize);
        if obj.fields.is_empty() && !self.has_comment_in(start, end) {
            self.out.line(indent, &format!("{prefix}{{}}{suffix}"));
            return;
        }
        self.out.line(indent, &format!("{prefix}{{"));
        self.out.block_start = true;
        for (name, shape) in &obj.fields {
            self.element(name.span.0.start as usize, indent + 2, Blank::Source);
            // Lists around an object: `name: [{`, the fields, `}]`.
            let mut depth = 0;
            let mut inner = shape;
            while let Shape::List(item) = inner {
                depth += 1;
                inner = item;
            }
            match inner {
                Shape::Object(o) => {
                    let open = format!("{}: {}", name.name, "[".repeat(depth));
                    self.shape_block(&open, o, &"]".repeat(depth), indent + 2);
                }
                _ => {
                    let doc = Doc::Concat(vec![
                        Doc::text(format!("{}: ", name.name)),
                        shape_doc(shape),
                    ]);
                    self.emit(indent + 2, &doc);
                }
            }
        }
        self.comments_before(end, indent + 2, Blank::Source);
        self.out.line(indent, &format!("}}{suffix}"));
    }

    // ---- clauses ----------------------------------------------------------------------------

    fn clause(&mut self, c: &Clause) {
        self.out.line(0, &format!("clause {}", c.id));
        self.out.block_start = true;
        // The metadata lines lie between the id and the first statement.
        let lo = c.id_span.0.end as usize;
        let hi = c.body.first().map_or(c.span.0.end as usize, stmt_start);
        if !c.titles.is_empty() {
            self.meta(Anchor::Title, lo, hi, 2);
            let texts = c
                .titles
                .iter()
                .map(|t| Doc::text(format!("{} {}", t.lang.name, quote(&t.text))))
                .collect();
            self.emit(2, &Doc::Concat(vec![Doc::text("title "), lines(texts)]));
        }
        if !c.references.is_empty() {
            self.meta(Anchor::References, lo, hi, 2);
            let doc = Doc::Concat(vec![
                Doc::text("references "),
                Doc::fill(c.references.iter().map(|r| Doc::text(quote(r))).collect())
                    .align()
                    .group(),
            ]);
            self.emit(2, &doc);
        }
        if let Some(severity) = &c.severity {
            self.severity(severity, (lo, hi), 2);
        }
        if let Some(scope) = &c.scope {
            self.meta(Anchor::Scope, lo, hi, 2);
            let doc = self.headed("applies when ", scope);
            self.emit(2, &doc);
        }
        if let Some(remediation) = &c.remediation {
            self.remediation(remediation, (lo, hi), 2);
        }
        if let Some(remedied) = &c.remedied {
            self.remedied(remedied, (lo, hi), 2);
        }
        self.out.block_start = false;
        self.stmts(&c.body, 2);
    }

    /// `severity …`, whose line starts in `range`.
    fn severity(&mut self, s: &SeveritySpec, (lo, hi): (usize, usize), indent: usize) {
        self.meta(Anchor::Severity, lo, hi, indent);
        let doc = match s {
            SeveritySpec::Fixed(level) => Doc::text(format!("severity {}", level_name(*level))),
            SeveritySpec::Cases {
                cases, otherwise, ..
            } => {
                let mut docs: Vec<Doc> = cases
                    .iter()
                    .map(|(level, e)| self.headed(format!("{} when ", level_name(*level)), e))
                    .collect();
                if let Some(level) = otherwise {
                    docs.push(Doc::text(format!("{} otherwise", level_name(*level))));
                }
                // Several cases read as a table: one a line.
                let mut parts = Vec::new();
                for (i, d) in docs.into_iter().enumerate() {
                    if i > 0 {
                        parts.push(Doc::text(","));
                        parts.push(Doc::HardLine);
                    }
                    parts.push(d);
                }
                Doc::Concat(vec![Doc::text("severity "), Doc::Concat(parts).align()])
            }
        };
        self.emit(indent, &doc);
    }

    /// `remediation …` and its deadline, whose line starts in `range`.
    fn remediation(&mut self, r: &Remediation, (lo, hi): (usize, usize), indent: usize) {
        self.meta(Anchor::Remediation, lo, hi, indent);
        let mut parts = vec![Doc::text("remediation "), self.templates(&r.texts)];
        if let Some(deadline) = &r.deadline {
            let (word, e) = match deadline {
                Deadline::Within(e) => ("within ", e),
                Deadline::Due(e) => ("due ", e),
            };
            parts.push(
                Doc::Concat(vec![Doc::HardLine, Doc::text(word), self.slot(e).align()]).nest(2),
            );
        }
        self.emit(indent, &Doc::Concat(parts));
    }

    fn templates(&mut self, texts: &[MessageText]) -> Doc {
        let docs = texts
            .iter()
            .map(|t| Doc::text(format!("{} {}", t.lang.name, self.template(&t.template))))
            .collect();
        lines(docs)
    }

    fn template(&mut self, t: &Template) -> String {
        let mut out = String::from("\"");
        for part in &t.parts {
            match part {
                TemplatePart::Literal(s) => escape_into(&mut out, s, true),
                TemplatePart::Hole { expr, format } => {
                    out.push('{');
                    // A template is one line: the hole is laid out flat.
                    out.push_str(&render(&self.expr(expr), usize::MAX / 2, 0, 0));
                    if let Some(f) = format {
                        out.push(':');
                        out.push_str(f);
                    }
                    out.push('}');
                }
            }
        }
        out.push('"');
        out
    }

    fn stmts(&mut self, body: &[Stmt], indent: usize) {
        for stmt in body {
            match stmt {
                Stmt::Let(l) => {
                    self.element(l.span.0.start as usize, indent, Blank::Source);
                    let doc = self.headed(format!("let {} = ", l.name.name), &l.value);
                    self.emit(indent, &doc);
                }
                Stmt::Insufficient(l) => {
                    self.element(l.span.0.start as usize, indent, Blank::Source);
                    let doc = self.headed("insufficient unless ", &l.value);
                    self.emit(indent, &doc);
                }
                Stmt::For(f) => self.for_stmt(f, indent),
                Stmt::Require(r) => self.require(r, indent),
            }
        }
    }

    /// `remedied when …`, whose line starts in `range`.
    fn remedied(&mut self, e: &Expr, (lo, hi): (usize, usize), indent: usize) {
        self.meta(Anchor::Remedied, lo, hi, indent);
        let doc = self.headed("remedied when ", e);
        self.emit(indent, &doc);
    }

    /// `head` and an expression aligned after it: `applies when …`, `let x = …`.
    fn headed(&mut self, head: impl Into<String>, e: &Expr) -> Doc {
        Doc::Concat(vec![Doc::text(head), self.slot(e).align()])
    }

    fn for_stmt(&mut self, f: &For, indent: usize) {
        self.element(f.span.0.start as usize, indent, Blank::Source);
        let bindings = f.bindings.iter().map(|b| self.binding(b)).collect();
        let doc = Doc::Concat(vec![
            Doc::text("for each "),
            Doc::join(bindings, ",").align().group(),
            Doc::text(":"),
        ]);
        self.emit(indent, &doc);
        self.out.block_start = true;
        self.stmts(&f.body, indent + 2);
        self.comments_before(f.span.0.end as usize, indent + 2, Blank::Source);
        self.out.line(indent, "end");
    }

    fn binding(&mut self, b: &Binding) -> Doc {
        let collection = self.slot(&b.collection);
        let filter = b.filter.as_ref().map(|f| self.slot(f));
        binding_doc(&b.var.name, collection, filter)
    }

    fn require(&mut self, r: &Require, indent: usize) {
        self.element(r.span.0.start as usize, indent, Blank::Source);
        let doc = self.headed("require ", &r.condition);
        self.emit(indent, &doc);
        let inner = indent + 2;
        let range = (r.condition.span.0.end as usize, r.span.0.end as usize);
        if !r.messages.is_empty() {
            self.meta(Anchor::Message, range.0, range.1, inner);
            let doc = Doc::Concat(vec![Doc::text("message "), self.templates(&r.messages)]);
            self.emit(inner, &doc);
        }
        if let Some(severity) = &r.severity {
            self.severity(severity, range, inner);
        }
        if let Some(remediation) = &r.remediation {
            self.remediation(remediation, range, inner);
        }
        if let Some(remedied) = &r.remedied {
            self.remedied(remedied, range, inner);
        }
    }

    // ---- expressions ------------------------------------------------------------------------

    /// An expression in a place of its own (a `let`, a condition, a binding). One that holds a
    /// comment is kept as written, so the comment stays where the author put it.
    fn slot(&mut self, e: &Expr) -> Doc {
        let (start, end) = (e.span.0.start as usize, e.span.0.end as usize);
        let mut inside = false;
        for i in self.comments_inside(start, end) {
            if let Some((_, done)) = self.comments.get_mut(i)
                && !*done
            {
                *done = true;
                inside = true;
            }
        }
        if inside {
            let text = self
                .src
                .get(start..end)
                .unwrap_or_default()
                .replace("\r\n", "\n");
            return Doc::Verbatim(text);
        }
        self.expr(e)
    }

    /// Did the author write `e` in parentheses? (The parser keeps a parenthesised
    /// expression's span from `(` to `)`.)
    fn parenthesised(&self, e: &Expr) -> bool {
        let start = e.span.0.start as usize;
        if self.src.as_bytes().get(start) != Some(&b'(') {
            return false;
        }
        match &e.kind {
            ExprKind::Binary(_, first, _)
            | ExprKind::Field(first, _)
            | ExprKind::Index(first, _)
            | ExprKind::Duration(first, _) => first.span.0.start as usize > start,
            _ => true,
        }
    }

    fn expr(&self, e: &Expr) -> Doc {
        let doc = self.bare(e);
        if self.parenthesised(e) {
            paren(doc)
        } else {
            doc
        }
    }

    /// `e` as an operand: in parentheses when `needs` and the author wrote none.
    fn operand(&self, e: &Expr, needs: bool) -> Doc {
        if needs && !self.parenthesised(e) {
            paren(self.bare(e))
        } else {
            self.expr(e)
        }
    }

    /// `e` without the author's parentheses around it.
    fn bare(&self, e: &Expr) -> Doc {
        match &e.kind {
            ExprKind::Number(n) => Doc::text(n.clone()),
            ExprKind::Str(s) => Doc::text(quote(s)),
            ExprKind::Bool(b) => Doc::text(if *b { "true" } else { "false" }),
            ExprKind::Null => Doc::text("null"),
            ExprKind::Name(id) => Doc::text(id.name.clone()),
            ExprKind::Field(base, name) => Doc::Concat(vec![
                self.operand(base, power(base) < 9),
                Doc::text(format!(".{}", name.name)),
            ]),
            ExprKind::Index(base, index) => Doc::Concat(vec![
                self.operand(base, power(base) < 9),
                Doc::text("["),
                self.expr(index).align(),
                Doc::text("]"),
            ]),
            ExprKind::Duration(base, unit) => {
                let one = matches!(&base.kind, ExprKind::Number(n) if n == "1");
                Doc::Concat(vec![
                    self.operand(base, power(base) < 9),
                    Doc::text(format!(" {}", unit_name(*unit, one))),
                ])
            }
            ExprKind::Call(name, args) => {
                let args = args.iter().map(|a| self.expr(a)).collect();
                Doc::Concat(vec![
                    Doc::text(format!("{}(", name.name)),
                    Doc::join(args, ",").align().group(),
                    Doc::text(")"),
                ])
            }
            ExprKind::Aggregate {
                kind,
                bindings,
                body,
            } => {
                let mut parts = Vec::new();
                for (i, b) in bindings.iter().enumerate() {
                    if i > 0 {
                        parts.push(Doc::text(","));
                        parts.push(Doc::Line);
                    }
                    let filter = b.filter.as_ref().map(|f| self.expr(f));
                    parts.push(binding_doc(&b.var.name, self.expr(&b.collection), filter));
                }
                if let Some(body) = body {
                    parts.push(Doc::text(":"));
                    parts.push(Doc::Line);
                    parts.push(self.expr(body).align());
                }
                Doc::Concat(vec![
                    Doc::text(format!("{}(", kind.name())),
                    Doc::Concat(parts).align().group(),
                    Doc::text(")"),
                ])
            }
            ExprKind::List(items) => {
                let items = items.iter().map(|a| self.expr(a)).collect();
                Doc::Concat(vec![
                    Doc::text("["),
                    Doc::fill(items).align().group(),
                    Doc::text("]"),
                ])
            }
            ExprKind::Unary(UnaryOp::Not, inner) => Doc::Concat(vec![
                Doc::text("not "),
                self.operand(inner, power(inner) < 3),
            ]),
            ExprKind::Unary(UnaryOp::Neg, inner) => {
                Doc::Concat(vec![Doc::text("-"), self.operand(inner, power(inner) < 8)])
            }
            ExprKind::Binary(op, ..) if op.is_comparison() => self.comparison(e),
            ExprKind::Binary(..) => self.chain(e),
            ExprKind::If(..) => self.if_chain(e),
        }
    }

    /// `a < b`: comparisons do not chain, so an operand that is one is parenthesised.
    fn comparison(&self, e: &Expr) -> Doc {
        let ExprKind::Binary(op, l, r) = &e.kind else {
            return self.bare(e);
        };
        let p = op_power(*op);
        Doc::Concat(vec![
            self.operand(l, power(l) <= p),
            Doc::Line,
            Doc::text(format!("{} ", op.symbol())),
            self.operand(r, power(r) <= p),
        ])
        .align()
        .group()
    }

    /// `a and b and c`, `a + b - c`, `a ?? b ?? c`: a chain of operators of one strength,
    /// broken before each operator when it does not fit.
    fn chain<'e>(&self, e: &'e Expr) -> Doc {
        let ExprKind::Binary(op, ..) = &e.kind else {
            return self.bare(e);
        };
        let p = op_power(*op);
        let link = |cur: &'e Expr| -> Option<(BinaryOp, &'e Expr, &'e Expr)> {
            match &cur.kind {
                ExprKind::Binary(o, l, r)
                    if op_power(*o) == p && (std::ptr::eq(cur, e) || !self.parenthesised(cur)) =>
                {
                    Some((*o, l, r))
                }
                _ => None,
            }
        };
        // Operands in reading order, each with the operator before it and whether it needs
        // parentheses to keep the tree's shape.
        let mut operands: Vec<(Option<BinaryOp>, &'e Expr, bool)> = Vec::new();
        if *op == BinaryOp::Coalesce {
            // `a ?? b ?? c` is `a ?? (b ?? c)`: the chain goes on to the right.
            let mut cur = e;
            let mut before = None;
            while let Some((o, l, r)) = link(cur) {
                operands.push((before, l, power(l) <= p));
                before = Some(o);
                cur = r;
            }
            operands.push((before, cur, power(cur) < p));
        } else {
            // `a - b - c` is `(a - b) - c`: the chain goes on to the left.
            let mut cur = e;
            while let Some((o, l, r)) = link(cur) {
                operands.push((Some(o), r, power(r) <= p));
                cur = l;
            }
            operands.push((None, cur, power(cur) < p));
            operands.reverse();
        }
        let mut parts = Vec::new();
        for (i, (operator, operand, needs)) in operands.iter().enumerate() {
            if i > 0 {
                parts.push(Doc::Line);
            }
            if let Some(o) = operator {
                parts.push(Doc::text(format!("{} ", o.symbol())));
            }
            parts.push(self.operand(operand, *needs));
        }
        Doc::Concat(parts).align().group()
    }

    /// `if a then b else if c then d else e`, broken before each `then` and `else`.
    fn if_chain(&self, e: &Expr) -> Doc {
        let mut parts = Vec::new();
        let mut cur = e;
        let mut first = true;
        loop {
            match &cur.kind {
                ExprKind::If(c, a, b) if first || !self.parenthesised(cur) => {
                    if !first {
                        parts.push(Doc::Line);
                        parts.push(Doc::text("else "));
                    }
                    first = false;
                    // `if c then a` on one line when it fits, else `then` under `if`.
                    parts.push(
                        Doc::Concat(vec![
                            Doc::text("if "),
                            self.expr(c).align(),
                            Doc::Line,
                            Doc::text("then "),
                            self.expr(a).align(),
                        ])
                        .align()
                        .group(),
                    );
                    cur = b;
                }
                _ => {
                    parts.push(Doc::Line);
                    parts.push(Doc::text("else "));
                    parts.push(self.expr(cur).align());
                    break;
                }
            }
        }
        Doc::Concat(parts).align().group()
    }
}

/// Where a statement starts.
fn stmt_start(s: &Stmt) -> usize {
    match s {
        Stmt::Let(l) | Stmt::Insufficient(l) => l.span.0.start as usize,
        Stmt::For(f) => f.span.0.start as usize,
        Stmt::Require(r) => r.span.0.start as usize,
    }
}

/// `var in collection where filter`, broken before `where` when it does not fit.
fn binding_doc(var: &str, collection: Doc, filter: Option<Doc>) -> Doc {
    let mut parts = vec![Doc::text(format!("{var} in ")), collection.align()];
    if let Some(filter) = filter {
        parts.push(Doc::Concat(vec![Doc::Line, Doc::text("where "), filter.align()]).nest(2));
    }
    Doc::Concat(parts).align().group()
}

fn paren(doc: Doc) -> Doc {
    Doc::Concat(vec![Doc::text("("), doc.align(), Doc::text(")")])
}

/// Texts one under the other, aligned where the first starts.
fn lines(docs: Vec<Doc>) -> Doc {
    let mut parts = Vec::with_capacity(docs.len() * 2);
    for (i, d) in docs.into_iter().enumerate() {
        if i > 0 {
            parts.push(Doc::HardLine);
        }
        parts.push(d);
    }
    Doc::Concat(parts).align()
}

fn shape_doc(shape: &Shape) -> Doc {
    match shape {
        Shape::Scalar(id) => Doc::text(id.name.clone()),
        Shape::List(inner) => Doc::Concat(vec![Doc::text("["), shape_doc(inner), Doc::text("]")]),
        Shape::Enum(options) => {
            let options = options.iter().map(|o| Doc::text(quote(o))).collect();
            Doc::fill_with(options, "", "| ").align().group()
        }
        Shape::Object(o) => {
            // Objects inside enumerations or scalars do not occur; lists of objects are blocks.
            let fields = o
                .fields
                .iter()
                .map(|(n, s)| Doc::Concat(vec![Doc::text(format!("{}: ", n.name)), shape_doc(s)]))
                .collect();
            Doc::Concat(vec![
                Doc::text("{ "),
                Doc::join(fields, ","),
                Doc::text(" }"),
            ])
            .group()
        }
    }
}
