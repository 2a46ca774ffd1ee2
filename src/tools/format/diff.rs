//! A unified diff of two texts by lines, for `conduct fmt --diff`.

/// One line of the edit script.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Op<'a> {
    Keep(&'a str),
    Remove(&'a str),
    Add(&'a str),
}

/// The largest middle part (lines before × lines after) aligned line by line; beyond it the
/// changed part is shown as removed, then added.
const MAX_CELLS: usize = 4_000_000;

/// Lines of context around each change.
const CONTEXT: usize = 3;

/// The edit script turning `a` into `b`: common lines kept (a longest common subsequence of
/// the part between the common prefix and suffix), the rest removed or added.
fn script<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<Op<'a>> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a_rest, b_rest) = (
        a.get(prefix..).unwrap_or(&[]),
        b.get(prefix..).unwrap_or(&[]),
    );
    let suffix = a_rest
        .iter()
        .rev()
        .zip(b_rest.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let a_mid = a_rest.get(..a_rest.len() - suffix).unwrap_or(&[]);
    let b_mid = b_rest.get(..b_rest.len() - suffix).unwrap_or(&[]);
    let mut ops: Vec<Op<'a>> = a.iter().take(prefix).map(|l| Op::Keep(l)).collect();
    let (n, m) = (a_mid.len(), b_mid.len());
    if n.saturating_mul(m) > MAX_CELLS {
        ops.extend(a_mid.iter().map(|l| Op::Remove(l)));
        ops.extend(b_mid.iter().map(|l| Op::Add(l)));
    } else {
        // lcs[i * (m + 1) + j]: the longest common subsequence of a_mid[i..] and b_mid[j..].
        let width = m + 1;
        let mut lcs = vec![0u32; (n + 1) * width];
        let at = |lcs: &[u32], i: usize, j: usize| lcs.get(i * width + j).copied().unwrap_or(0);
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                let v = if a_mid.get(i) == b_mid.get(j) {
                    at(&lcs, i + 1, j + 1) + 1
                } else {
                    at(&lcs, i + 1, j).max(at(&lcs, i, j + 1))
                };
                if let Some(cell) = lcs.get_mut(i * width + j) {
                    *cell = v;
                }
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            match (a_mid.get(i), b_mid.get(j)) {
                (Some(x), Some(y)) if x == y => {
                    ops.push(Op::Keep(x));
                    i += 1;
                    j += 1;
                }
                (Some(x), Some(_)) if at(&lcs, i + 1, j) >= at(&lcs, i, j + 1) => {
                    ops.push(Op::Remove(x));
                    i += 1;
                }
                (_, Some(y)) => {
                    ops.push(Op::Add(y));
                    j += 1;
                }
                (Some(x), None) => {
                    ops.push(Op::Remove(x));
                    i += 1;
                }
                (None, None) => break,
            }
        }
    }
    ops.extend(a.iter().skip(a.len() - suffix).map(|l| Op::Keep(l)));
    ops
}

/// A unified diff (`--- name`, `+++ name`, `@@ -l,n +l,n @@` hunks with three lines of
/// context) of `before` and `after`; empty when they are the same.
pub(crate) fn unified(name: &str, before: &str, after: &str) -> String {
    let a: Vec<&str> = before.lines().collect();
    let b: Vec<&str> = after.lines().collect();
    let ops = script(&a, &b);
    let changed: Vec<usize> = ops
        .iter()
        .enumerate()
        .filter(|(_, op)| !matches!(op, Op::Keep(_)))
        .map(|(i, _)| i)
        .collect();
    if changed.is_empty() {
        // The same lines: only line endings or the end of the file differ.
        return if before == after {
            String::new()
        } else {
            format!("--- {name}\n+++ {name}\n@@ line endings or the end of the file differ @@\n")
        };
    }
    let mut out = format!("--- {name}\n+++ {name}\n");
    // Group changes whose contexts touch into hunks.
    let mut hunks: Vec<(usize, usize)> = Vec::new();
    for &c in &changed {
        let (start, end) = (c.saturating_sub(CONTEXT), (c + CONTEXT + 1).min(ops.len()));
        match hunks.last_mut() {
            Some(last) if start <= last.1 => last.1 = end,
            _ => hunks.push((start, end)),
        }
    }
    // Line numbers (1-based) in `before` and `after` at the start of each op.
    let mut old_line = 1;
    let mut new_line = 1;
    let mut positions = Vec::with_capacity(ops.len());
    for op in &ops {
        positions.push((old_line, new_line));
        match op {
            Op::Keep(_) => {
                old_line += 1;
                new_line += 1;
            }
            Op::Remove(_) => old_line += 1,
            Op::Add(_) => new_line += 1,
        }
    }
    for (start, end) in hunks {
        let slice = ops.get(start..end).unwrap_or(&[]);
        let old_count = slice.iter().filter(|o| !matches!(o, Op::Add(_))).count();
        let new_count = slice.iter().filter(|o| !matches!(o, Op::Remove(_))).count();
        let (old_start, new_start) = positions.get(start).copied().unwrap_or((1, 1));
        // An empty side starts at the line before, as `diff -u` writes it.
        let old_start = if old_count == 0 {
            old_start - 1
        } else {
            old_start
        };
        let new_start = if new_count == 0 {
            new_start - 1
        } else {
            new_start
        };
        out.push_str(&format!(
            "@@ -{old_start},{old_count} +{new_start},{new_count} @@\n"
        ));
        for op in slice {
            let (mark, line) = match op {
                Op::Keep(l) => (' ', l),
                Op::Remove(l) => ('-', l),
                Op::Add(l) => ('+', l),
            };
            out.push(mark);
            out.push_str(line);
            out.push('\n');
        }
    }
    out
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
}
