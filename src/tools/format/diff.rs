//! A unified diff of two texts by lines, for `conduct fmt --diff`: the formatter's input and
//! output in, `--- name` / `+++ name` and `@@ -l,n +l,n @@` hunks out. `similar` finds the
//! changes (Myers' algorithm) and groups them into hunks with three lines of context; this
//! file only writes them.

use std::time::Duration;

use std::fmt::Write as _;

use similar::{ChangeTag, TextDiff};

/// Lines of context around each change.
const CONTEXT: usize = 3;

/// How long the diff may search for the smallest edit script; past it (only for huge files
/// that change throughout) the diff is still correct but shows larger hunks.
const DIFF_TIMEOUT: Duration = Duration::from_secs(2);

/// A unified diff (`--- name`, `+++ name`, `@@ -l,n +l,n @@` hunks with three lines of
/// context; an empty side starts at the line before, as `diff -u` writes it) of `before` and
/// `after`, compared line by line whatever the line endings; empty when they are the same.
pub(crate) fn unified(name: &str, before: &str, after: &str) -> String {
    if before == after {
        return String::new();
    }
    let a: Vec<&str> = before.lines().collect();
    let b: Vec<&str> = after.lines().collect();
    let diff = TextDiff::configure()
        .timeout(DIFF_TIMEOUT)
        .diff_slices(&a, &b);
    let hunks = diff.grouped_ops(CONTEXT);
    if hunks.is_empty() {
        // The same lines: only line endings or the end of the file differ.
        return format!(
            "--- {name}\n+++ {name}\n@@ line endings or the end of the file differ @@\n"
        );
    }
    let mut out = format!("--- {name}\n+++ {name}\n");
    for hunk in &hunks {
        let (Some(first), Some(last)) = (hunk.first(), hunk.last()) else {
            continue;
        };
        let old = first.old_range().start..last.old_range().end;
        let new = first.new_range().start..last.new_range().end;
        // Written `-l,n` always (similar's own header writes `-l` for one line).
        let _ = writeln!(out, "@@ -{} +{} @@", range(old), range(new));
        for op in hunk {
            for change in diff.iter_changes(op) {
                let mark = match change.tag() {
                    ChangeTag::Equal => ' ',
                    ChangeTag::Delete => '-',
                    ChangeTag::Insert => '+',
                };
                out.push(mark);
                out.push_str(change.value());
                out.push('\n');
            }
        }
    }
    out
}

/// A hunk's range of lines as `start,count` (1-based; an empty range starts at the line
/// before).
fn range(lines: std::ops::Range<usize>) -> String {
    let count = lines.len();
    let start = if count == 0 {
        lines.start
    } else {
        lines.start + 1
    };
    format!("{start},{count}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_texts_give_no_diff() {
        assert_eq!(unified("f", "a\nb\n", "a\nb\n"), "");
        assert!(unified("f", "a\r\nb", "a\nb\n").contains("line endings"));
    }

    #[test]
    fn a_changed_line_is_a_hunk_with_context() {
        let before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
        let after = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
        assert_eq!(
            unified("f.conduct", before, after),
            "--- f.conduct\n+++ f.conduct\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"
        );
    }

    #[test]
    fn distant_changes_are_separate_hunks_and_additions_count_lines() {
        let before = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\n";
        let after = "a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n";
        let diff = unified("f", before, after);
        assert_eq!(diff.matches("@@ -").count(), 2, "{diff}");
        assert!(
            diff.contains("@@ -1,5 +1,5 @@\n a\n-b\n+B\n c\n d\n e\n"),
            "{diff}"
        );
        assert!(diff.contains("@@ -9,3 +9,4 @@\n i\n j\n k\n+l\n"), "{diff}");
    }

    #[test]
    fn ranges_always_have_a_count_and_an_empty_side_starts_before() {
        assert_eq!(
            unified("f", "a\n", "b\n"),
            "--- f\n+++ f\n@@ -1,1 +1,1 @@\n-a\n+b\n"
        );
        assert_eq!(
            unified("f", "", "a\n"),
            "--- f\n+++ f\n@@ -0,0 +1,1 @@\n+a\n"
        );
        assert_eq!(
            unified("f", "a\nb\n", "a\n"),
            "--- f\n+++ f\n@@ -1,2 +1,1 @@\n a\n-b\n"
        );
    }
}
