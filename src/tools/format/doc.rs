//! A small Wadler-style pretty printer: a document of texts, optional line breaks, groups that
//! break only when they do not fit the width, and alignment to the current column.

/// A layout document.
#[derive(Clone, Debug)]
pub(super) enum Doc {
    /// Text without newlines.
    Text(String),
    /// Text copied as it is, newlines and all (an expression holding comments).
    Verbatim(String),
    /// A space, or a newline when its group breaks.
    Line,
    /// Always a newline; the groups around it break.
    HardLine,
    /// One after the other.
    Concat(Vec<Doc>),
    /// Flat if it fits in the rest of the line, else its lines break.
    Group(Box<Doc>),
    /// Lines inside start `n` columns further in than the enclosing lines.
    Nest(usize, Box<Doc>),
    /// Lines inside start at the column where this document starts.
    Align(Box<Doc>),
}

impl Doc {
    pub(super) fn text(s: impl Into<String>) -> Doc {
        Doc::Text(s.into())
    }

    pub(super) fn group(self) -> Doc {
        Doc::Group(Box::new(self))
    }

    pub(super) fn align(self) -> Doc {
        Doc::Align(Box::new(self))
    }

    pub(super) fn nest(self, n: usize) -> Doc {
        Doc::Nest(n, Box::new(self))
    }

    /// `items` separated by `,` and a space, as many on a line as fit: each separator breaks
    /// only when the item after it does not fit on the line.
    pub(super) fn fill(items: Vec<Doc>) -> Doc {
        Doc::fill_with(items, ",", "")
    }

    /// Like [`Doc::fill`], with `before` ending a line and `after` starting the next at each
    /// separator (`","` and `""` for lists, `""` and `"| "` for alternatives).
    pub(super) fn fill_with(items: Vec<Doc>, before: &str, after: &str) -> Doc {
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            if i == 0 {
                out.push(item);
            } else {
                out.push(
                    Doc::Concat(vec![Doc::text(before), Doc::Line, Doc::text(after), item]).group(),
                );
            }
        }
        Doc::Concat(out)
    }

    /// `items` separated by `sep` (e.g. `","`) and a [`Doc::Line`].
    pub(super) fn join(items: Vec<Doc>, sep: &str) -> Doc {
        let mut out = Vec::with_capacity(items.len() * 3);
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                out.push(Doc::text(sep));
                out.push(Doc::Line);
            }
            out.push(item);
        }
        Doc::Concat(out)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Flat,
    Break,
}

/// Width of a text as a reader counts it.
fn width(s: &str) -> usize {
    s.chars().count()
}

/// Lays `doc` out in `max` columns, starting at column `start` on a line indented by `indent`.
/// Continuation lines carry their indentation; the result has no trailing newline.
pub(super) fn render(doc: &Doc, max: usize, start: usize, indent: usize) -> String {
    let mut out = String::new();
    let mut col = start;
    let mut stack: Vec<(usize, Mode, &Doc)> = vec![(indent, Mode::Break, doc)];
    while let Some((ind, mode, d)) = stack.pop() {
        match d {
            Doc::Text(s) => {
                out.push_str(s);
                col += width(s);
            }
            Doc::Verbatim(s) => {
                out.push_str(s);
                col = match s.rfind('\n') {
                    Some(i) => width(s.get(i + 1..).unwrap_or_default()),
                    None => col + width(s),
                };
            }
            Doc::Line if mode == Mode::Flat => {
                out.push(' ');
                col += 1;
            }
            Doc::Line | Doc::HardLine => {
                out.push('\n');
                out.extend(std::iter::repeat_n(' ', ind));
                col = ind;
            }
            Doc::Concat(items) => {
                for item in items.iter().rev() {
                    stack.push((ind, mode, item));
                }
            }
            Doc::Group(inner) => {
                let flat = mode == Mode::Flat || fits(max.saturating_sub(col), inner, &stack);
                stack.push((ind, if flat { Mode::Flat } else { Mode::Break }, inner));
            }
            Doc::Nest(n, inner) => stack.push((ind + n, mode, inner)),
            Doc::Align(inner) => stack.push((col, mode, inner)),
        }
    }
    out
}

/// Does `doc`, laid out flat, fit in `room` columns together with what follows it on the same
/// line (the rest of `stack`, up to its next possible line break)?
fn fits(room: usize, doc: &Doc, rest: &[(usize, Mode, &Doc)]) -> bool {
    let mut room = isize::try_from(room).unwrap_or(isize::MAX);
    let mut todo: Vec<(Mode, &Doc)> = vec![(Mode::Flat, doc)];
    let mut rest = rest.iter().rev();
    loop {
        let (mode, d) = match todo.pop() {
            Some(x) => x,
            None => match rest.next() {
                Some(&(_, mode, d)) => (mode, d),
                None => return true,
            },
        };
        if room < 0 {
            return false;
        }
        match d {
            Doc::Text(s) => room = room.saturating_sub_unsigned(width(s)),
            Doc::Verbatim(s) => match s.find('\n') {
                Some(_) if mode == Mode::Flat => return false,
                Some(i) => {
                    return room.saturating_sub_unsigned(width(s.get(..i).unwrap_or_default()))
                        >= 0;
                }
                None => room = room.saturating_sub_unsigned(width(s)),
            },
            Doc::Line if mode == Mode::Flat => room -= 1,
            Doc::Line => return true,
            Doc::HardLine => return mode == Mode::Break,
            Doc::Concat(items) => {
                for item in items.iter().rev() {
                    todo.push((mode, item));
                }
            }
            Doc::Group(inner) | Doc::Nest(_, inner) | Doc::Align(inner) => todo.push((mode, inner)),
        }
        if room < 0 {
            return false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: usize) -> Doc {
        let items = (0..n).map(|i| Doc::text(format!("item{i}"))).collect();
        Doc::Concat(vec![
            Doc::text("f("),
            Doc::join(items, ",").align().group(),
            Doc::text(")"),
        ])
    }

    #[test]
    fn a_group_that_fits_stays_on_one_line() {
        assert_eq!(render(&chain(3), 40, 0, 0), "f(item0, item1, item2)");
    }

    #[test]
    fn a_group_that_does_not_fit_breaks_and_aligns() {
        assert_eq!(render(&chain(3), 15, 0, 0), "f(item0,\n  item1,\n  item2)");
        // The closing parenthesis counts: 22 columns do not hold `f(item0, item1, item2)`.
        assert_eq!(render(&chain(3), 21, 0, 0).lines().count(), 3);
    }

    #[test]
    fn hard_lines_break_their_groups_and_nest_indents() {
        let doc = Doc::Concat(vec![
            Doc::text("a"),
            Doc::Concat(vec![Doc::HardLine, Doc::text("b")]).nest(2),
        ])
        .group();
        assert_eq!(render(&doc, 80, 0, 4), "a\n      b");
    }
}
