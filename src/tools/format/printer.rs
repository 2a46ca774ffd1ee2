//! Formatting, the printer: the output a line at a time, and where the author's comments and
//! blank lines go (before the element that follows them, or at the end of a line).

use super::WIDTH;
use super::doc::{Doc, render};
use crate::syntax::{Anchor, Comment, Layout};

/// Whether a blank line goes before an element.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Blank {
    /// Never (metadata lines).
    Never,
    /// Where the author left one.
    Source,
    /// Always (around clauses and the evidence declaration).
    Always,
}

/// The output, a line at a time.
#[derive(Default)]
pub(super) struct Out {
    pub(super) buf: String,
    pub(super) want_blank: bool,
    /// Just after a line that opens a block: no blank line here.
    pub(super) block_start: bool,
    /// The last line ends with a comment: nothing more can go on it.
    pub(super) ends_in_comment: bool,
}

impl Out {
    /// Writes `text` (which may hold newlines already indented) at `indent`.
    pub(super) fn line(&mut self, indent: usize, text: &str) {
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
    pub(super) fn trailing(&mut self, comment: &str) {
        if self.buf.ends_with('\n') {
            self.buf.pop();
        }
        self.buf.push_str("  ");
        self.buf.push_str(comment);
        self.buf.push('\n');
        self.ends_in_comment = true;
    }

    pub(super) fn finish(self) -> String {
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

pub(super) struct Printer<'a> {
    pub(super) src: &'a str,
    /// Every comment, and whether it was written yet.
    pub(super) comments: Vec<(Comment, bool)>,
    /// Every comment before this index is written.
    pub(super) first: usize,
    /// Where metadata lines start.
    pub(super) anchors: Vec<(Anchor, usize)>,
    pub(super) out: Out,
}

impl<'a> Printer<'a> {
    /// A printer of `src`, with the comments and anchors its parse found.
    pub(super) fn new(src: &'a str, layout: Layout) -> Self {
        Printer {
            src,
            comments: layout.comments.into_iter().map(|c| (c, false)).collect(),
            first: 0,
            anchors: layout.anchors,
            out: Out::default(),
        }
    }

    /// The text printed.
    pub(super) fn finish(self) -> String {
        self.out.finish()
    }
}

impl Printer<'_> {
    /// The start of the first `kind` metadata line in `lo..hi`.
    pub(super) fn anchor(&self, kind: Anchor, lo: usize, hi: usize) -> Option<usize> {
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
    pub(super) fn meta(&mut self, kind: Anchor, lo: usize, hi: usize, indent: usize) {
        if let Some(at) = self.anchor(kind, lo, hi) {
            self.element(at, indent, Blank::Never);
        }
    }

    /// Did the author leave a blank line just before byte `pos`?
    pub(super) fn blank_before(&self, pos: usize) -> bool {
        let before = self.src.get(..pos).unwrap_or_default();
        let content = before.trim_end_matches([' ', '\t', '\r', '\n']).len();
        before
            .get(content..)
            .is_some_and(|gap| gap.matches('\n').count() >= 2)
    }

    /// Is the comment at `start` the first thing on its line?
    pub(super) fn own_line(&self, start: usize) -> bool {
        let before = self.src.get(..start).unwrap_or_default();
        let line = before.rsplit('\n').next().unwrap_or_default();
        line.trim().is_empty()
    }

    /// Writes the comments before byte `pos` that are not written yet; returns whether any
    /// stood on a line of its own. `blank` applies to the first thing written.
    pub(super) fn comments_before(&mut self, pos: usize, indent: usize, blank: Blank) -> bool {
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
    pub(super) fn comments_inside(&self, start: usize, end: usize) -> std::ops::Range<usize> {
        let from = self.comments.partition_point(|(c, _)| c.start <= start);
        let to = self.comments.partition_point(|(c, _)| c.start < end);
        from..to.max(from)
    }

    /// Prepares to write an element starting at byte `pos`: its comments, then a blank line.
    pub(super) fn element(&mut self, pos: usize, indent: usize, blank: Blank) {
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
    pub(super) fn emit(&mut self, indent: usize, doc: &Doc) {
        let text = render(doc, WIDTH, indent, indent);
        self.out.line(indent, &text);
    }

    pub(super) fn has_comment_in(&self, start: usize, end: usize) -> bool {
        self.comments_inside(start, end)
            .any(|i| self.comments.get(i).is_some_and(|(_, done)| !done))
    }
}
