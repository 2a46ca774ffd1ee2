//! Source text and positions: every file of a pack, byte spans into it, and line/column
//! lookup done only when a position is shown to a person.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// Identifies one file of a pack inside its [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub(crate) u32);

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    /// The file.
    pub(crate) file: FileId,
    /// First byte.
    pub(crate) start: u32,
    /// One past the last byte.
    pub(crate) end: u32,
}

impl Span {
    pub(crate) fn new(file: FileId, start: usize, end: usize) -> Span {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Span {
            file,
            start: clamp(start),
            end: clamp(end.max(start)),
        }
    }

    /// A span covering both `self` and `other` (same file assumed).
    pub(crate) fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// A place in a rule file, 1-based, as people count: line and column (in characters).
///
/// In a report (a violation's `rule`), in [`ClauseInfo`](crate::pack::ClauseInfo) and in
/// explanations, `file` is relative to the pack's root folder with `/` separators
/// (`wages.conduct`), however the pack was given (`rules/regions`, `./rules/regions`, an
/// absolute path), so that the same rules and evidence give the same bytes. In a
/// [`Diagnostic`](crate::Diagnostic) it is the path as the pack was loaded
/// (`rules/regions/wages.conduct`), so that the author can open it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Location {
    /// The file: relative to the pack's root in reports, as loaded in diagnostics.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, counted in characters.
    pub column: u32,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// One source file: its names and text, with line starts computed once.
#[derive(Debug)]
pub(crate) struct SourceFile {
    /// The path as the pack was loaded (`rules/regions/wages.conduct`): what diagnostics show.
    pub(crate) name: String,
    /// The path relative to the pack's root, `/`-separated (`wages.conduct`): what reports show.
    pub(crate) path: String,
    pub(crate) text: Arc<str>,
    line_starts: Vec<u32>,
}

impl SourceFile {
    fn new(name: String, path: String, text: Arc<str>) -> SourceFile {
        // `match_indices` of a `char` searches with `memchr`, not byte by byte.
        let line_starts = std::iter::once(0)
            .chain(
                text.match_indices('\n')
                    .map(|(i, _)| u32::try_from(i + 1).unwrap_or(u32::MAX)),
            )
            .collect();
        SourceFile {
            name,
            path,
            text,
            line_starts,
        }
    }

    /// 0-based line index and the byte offset where that line starts.
    fn line_of(&self, offset: u32) -> (usize, u32) {
        let idx = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        (idx, self.line_starts.get(idx).copied().unwrap_or(0))
    }

    /// The text of a 0-based line, without its line ending.
    pub(crate) fn line_text(&self, line: usize) -> &str {
        let start = self.line_starts.get(line).copied().unwrap_or(0) as usize;
        let end = self
            .line_starts
            .get(line + 1)
            .map_or(self.text.len(), |&e| e as usize);
        let s = self.text.get(start..end).unwrap_or("");
        s.trim_end_matches(['\n', '\r'])
    }
}

/// All files of a pack. Spans point into it; positions are computed on demand.
#[derive(Debug, Default)]
pub(crate) struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    /// The span of `len` bytes at a [`Location`] (1-based line and character column, the file
    /// relative to the pack's root, as [`SourceMap::location`] gives it), if the map has its
    /// file.
    #[cfg(feature = "tools")]
    pub(crate) fn span_at(&self, location: &Location, len: usize) -> Option<Span> {
        let (index, file) = self
            .files
            .iter()
            .enumerate()
            .find(|(_, f)| f.path == location.file)?;
        let line = (location.line as usize).checked_sub(1)?;
        let line_start = *file.line_starts.get(line)? as usize;
        let column = (location.column as usize).saturating_sub(1);
        let offset = file
            .line_text(line)
            .char_indices()
            .nth(column)
            .map_or(0, |(i, _)| i);
        let start = line_start + offset;
        let id = FileId(u32::try_from(index).ok()?);
        Some(Span::new(id, start, start + len))
    }

    /// Adds a file known by one name (a file given alone, a pack built in memory).
    pub(crate) fn add(&mut self, name: String, text: Arc<str>) -> FileId {
        let path = name.clone();
        self.add_in_pack(name, path, text)
    }

    /// Adds a file of a pack: `name` as it was loaded (for diagnostics), `path` relative to
    /// the pack's root (for reports).
    pub(crate) fn add_in_pack(&mut self, name: String, path: String, text: Arc<str>) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(SourceFile::new(name, path, text));
        id
    }

    pub(crate) fn file(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    pub(crate) fn text(&self, span: Span) -> &str {
        self.file(span.file)
            .and_then(|f| f.text.get(span.start as usize..span.end as usize))
            .unwrap_or("")
    }

    /// The text of a span on one line, every run of whitespace (line breaks included) one
    /// space: how an expression is quoted in explanations.
    pub(crate) fn one_line(&self, span: Span) -> String {
        self.text(span)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// 0-based line, 0-based char column.
    pub(crate) fn line_col(&self, file: FileId, offset: u32) -> (usize, usize) {
        let Some(f) = self.file(file) else {
            return (0, 0);
        };
        let (line, start) = f.line_of(offset);
        let col = f
            .text
            .get(start as usize..(offset as usize).min(f.text.len()))
            .map_or(0, |s| s.chars().count());
        (line, col)
    }

    /// The 1-based location of a span's start, the file relative to the pack's root: what
    /// the compiled program keeps and reports show, the same however the pack was given.
    pub(crate) fn location(&self, span: Span) -> Location {
        self.located(span, |f| &f.path)
    }

    /// The 1-based location of a span's start, the file as the pack was loaded: what
    /// diagnostics show, so that the author can open it.
    pub(crate) fn loaded_location(&self, span: Span) -> Location {
        self.located(span, |f| &f.name)
    }

    fn located(&self, span: Span, file: impl Fn(&SourceFile) -> &String) -> Location {
        let (line, col) = self.line_col(span.file, span.start);
        Location {
            file: self.file(span.file).map(&file).cloned().unwrap_or_default(),
            line: u32::try_from(line + 1).unwrap_or(u32::MAX),
            column: u32::try_from(col + 1).unwrap_or(u32::MAX),
        }
    }
}
