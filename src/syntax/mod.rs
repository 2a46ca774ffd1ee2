//! Parsing: source text → untyped AST ([`crate::ast::File`]); reports E1xx.
//!
//! Before pest sees a file, a lexical pre-check rejects what could exhaust the stack or time
//! (nesting deeper than the limit, NUL and bidirectional control characters). pest's own
//! types never leave this module.

mod expected;
mod fast;
mod lower;
mod tree;

use pest::Parser as _;

use crate::ast;
use crate::diagnostic::{Code, RawDiagnostic, is_bidi_control};
use crate::source::{FileId, Span};

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/conduct.pest"]
struct ConductParser;

/// Parses one file. `max_depth` bounds nesting of brackets, prefix operators and the syntax tree.
pub(crate) fn parse_file(
    file: FileId,
    text: &str,
    max_depth: usize,
) -> Result<ast::File, Vec<RawDiagnostic>> {
    precheck(file, text, max_depth)?;
    let tree = parse_tree(file, text)?;
    lower::lower_file(file, tree.pairs(text), max_depth)
}

/// The parse tree of a file that passed the pre-check: the hand-written parser's, or, where it
/// gives up, pest's (whose error message is the diagnostic).
fn parse_tree(file: FileId, text: &str) -> Result<tree::Tree, Vec<RawDiagnostic>> {
    if u32::try_from(text.len()).is_err() {
        return Err(vec![RawDiagnostic::new(
            Code::E103,
            Span::new(file, 0, 0),
            format!("the file is {} bytes; the limit is 4 GiB", text.len()),
        )]);
    }
    if let Some(tree) = fast::parse(text) {
        return Ok(tree);
    }
    ConductParser::parse(Rule::file, text)
        .map(tree::Tree::from_pest)
        .map_err(|e| vec![expected::syntax_error(file, text, &e)])
}

/// Whether the hand-written parser and pest agree on `text`: the same tree, or both refuse it
/// (the hand-written parser may also give up at its nesting limit, leaving the file to pest).
/// For fuzzing, through `conduct::tools::unstable::parsers_agree`.
#[cfg(feature = "unstable-ast")]
pub(crate) fn parsers_agree(text: &str) -> bool {
    let pest = ConductParser::parse(Rule::file, text)
        .ok()
        .map(tree::Tree::from_pest);
    match (fast::parse_noting_depth(text), pest) {
        ((Some(fast), _), Some(pest)) => fast == pest,
        ((Some(_), _), None) => false,
        ((None, too_deep), Some(_)) => too_deep,
        ((None, _), None) => true,
    }
}

#[cfg(feature = "tools")]
/// A `#` comment of a rule file, for the formatter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Comment {
    /// Byte offset of the `#`.
    pub(crate) start: usize,
    /// One past the comment's last byte (before the newline).
    pub(crate) end: usize,
}

#[cfg(feature = "tools")]
/// Where a line of metadata starts (`title`, `severity`, …), for the formatter: some carry no
/// span in the syntax tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Anchor {
    /// `title`
    Title,
    /// `references`
    References,
    /// `severity`
    Severity,
    /// `applies when`
    Scope,
    /// `examined when`
    Examined,
    /// `remediation`
    Remediation,
    /// `remedied when`
    Remedied,
    /// `message`
    Message,
    /// `named`
    Named,
    /// `basis`
    Basis,
    /// `severe`
    Severe,
    /// `expected`
    Expected,
    /// `evidence` (the declaration's tree starts at its `{`)
    Evidence,
    /// `at least` or `at most` of a parameter
    Bound,
    /// `overridden by` of a parameter
    OverriddenBy,
    /// `source` (of a parameter, a table or a table entry)
    Source,
}

#[cfg(feature = "tools")]
/// What the formatter needs beyond the syntax tree: comments and metadata positions.
#[derive(Clone, Debug, Default)]
pub(crate) struct Layout {
    /// Every comment, in order.
    pub(crate) comments: Vec<Comment>,
    /// Every metadata line's kind and start, in order.
    pub(crate) anchors: Vec<(Anchor, usize)>,
}

#[cfg(feature = "tools")]
/// Parses one file and also finds its comments (which the grammar skips silently): every `#`
/// outside a string or template token starts one, and no other token can hold a `#`.
pub(crate) fn parse_with_comments(
    file: FileId,
    text: &str,
    max_depth: usize,
) -> Result<(ast::File, Layout), Vec<RawDiagnostic>> {
    precheck(file, text, max_depth)?;
    let tree = parse_tree(file, text)?;
    // Byte ranges of the string and template tokens, in order (the tree's nodes are in
    // pre-order, which is source order; a template's inner strings fall inside its range).
    let mut quoted: Vec<(usize, usize)> = Vec::new();
    let mut anchors = Vec::new();
    for p in &tree.nodes {
        let anchor = match p.rule {
            Rule::title => Some(Anchor::Title),
            Rule::references => Some(Anchor::References),
            Rule::severity => Some(Anchor::Severity),
            Rule::scope => Some(Anchor::Scope),
            Rule::examined => Some(Anchor::Examined),
            Rule::named => Some(Anchor::Named),
            Rule::basis => Some(Anchor::Basis),
            Rule::severe => Some(Anchor::Severe),
            Rule::expected => Some(Anchor::Expected),
            Rule::remediation => Some(Anchor::Remediation),
            Rule::remedied => Some(Anchor::Remedied),
            Rule::message => Some(Anchor::Message),
            Rule::evidence => Some(Anchor::Evidence),
            Rule::param_bound => Some(Anchor::Bound),
            Rule::param_overridden => Some(Anchor::OverriddenBy),
            Rule::source => Some(Anchor::Source),
            _ => None,
        };
        if let Some(anchor) = anchor {
            anchors.push((anchor, p.start as usize));
        }
        let (start, end) = (p.start as usize, p.end as usize);
        if matches!(p.rule, Rule::string | Rule::template)
            && quoted.last().is_none_or(|&(_, last)| start >= last)
        {
            quoted.push((start, end));
        }
    }
    let mut comments = Vec::new();
    let mut quoted = quoted.into_iter().peekable();
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if let Some(&(start, end)) = quoted.peek()
            && i >= start
        {
            i = end.max(i + 1);
            quoted.next();
            continue;
        }
        if b == b'#' {
            let end = text
                .get(i..)
                .and_then(|rest| rest.find('\n'))
                .map_or(text.len(), |n| i + n);
            comments.push(Comment { start: i, end });
            i = end;
            continue;
        }
        i += 1;
    }
    let file = lower::lower_file(file, tree.pairs(text), max_depth)?;
    Ok((file, Layout { comments, anchors }))
}

/// Rejects NUL and bidirectional control characters anywhere, and nesting deeper than
/// `max_depth`, before the recursive parser runs.
fn precheck(file: FileId, text: &str, max_depth: usize) -> Result<(), Vec<RawDiagnostic>> {
    let mut errors = Vec::new();
    // NUL is the byte 0 and every bidirectional control starts with 0xD8 or 0xE2 in UTF-8:
    // lead bytes, so only the characters starting at such a byte need decoding.
    let suspects = text
        .bytes()
        .enumerate()
        .filter(|&(_, b)| matches!(b, 0 | 0xD8 | 0xE2))
        .filter_map(|(i, _)| Some((i, text.get(i..)?.chars().next()?)));
    for (i, c) in suspects {
        if c == '\0' {
            errors.push(RawDiagnostic::new(
                Code::E104,
                Span::new(file, i, i + 1),
                "NUL character in rule file",
            ));
        } else if is_bidi_control(c) {
            errors.push(
                RawDiagnostic::new(
                    Code::E104,
                    Span::new(file, i, i + c.len_utf8()),
                    format!("bidirectional control character U+{:04X} in rule file", u32::from(c)),
                )
                .help("such characters can make the text read differently from what it says; remove it"),
            );
        }
        if errors.len() >= 20 {
            break;
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // Depth: open brackets plus runs of prefix operators and `??` within one bracket level.
    let bytes = text.as_bytes();
    let mut stack: Vec<usize> = Vec::new(); // operator-run count per open bracket level
    let mut run = 0usize;
    let mut i = 0usize;
    let too_deep = |at: usize| {
        vec![
            RawDiagnostic::new(
                Code::E102,
                Span::new(file, at, at + 1),
                format!("nesting deeper than {max_depth} levels"),
            )
            .label("too deep here")
            .help("split the expression with `let`"),
        ]
    };
    while let Some(&b) = bytes.get(i) {
        if !matches!(
            b,
            b'#' | b'"'
                | b'('
                | b'['
                | b'{'
                | b')'
                | b']'
                | b'}'
                | b'?'
                | b'-'
                | b'n'
                | b'i'
                | b'\n'
        ) {
            // Nothing to count here: the common case.
            i += 1;
            continue;
        }
        match b {
            b'#' => {
                let rest = bytes.get(i..).unwrap_or_default();
                i += rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len());
                continue;
            }
            b'"' => {
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    if c == b'\\' {
                        i += 2;
                        continue;
                    }
                    if c == b'"' || c == b'\n' {
                        break;
                    }
                    i += 1;
                }
            }
            b'(' | b'[' | b'{' => {
                stack.push(run);
                run = 0;
                if stack.len() > max_depth {
                    return Err(too_deep(i));
                }
            }
            b')' | b']' | b'}' => run = stack.pop().unwrap_or(0),
            b'?' if bytes.get(i + 1) == Some(&b'?') => {
                run += 1;
                i += 1;
            }
            b'-' => run += 1,
            // The byte before is tested first: most `n`s and `i`s are inside a word.
            b'n' if (i == 0
                || !bytes
                    .get(i - 1)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_'))
                && text.get(i..i + 3) == Some("not")
                && !bytes
                    .get(i + 3)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_') =>
            {
                run += 1;
                i += 2;
            }
            b'i' if (i == 0
                || !bytes
                    .get(i - 1)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_'))
                && text.get(i..i + 2) == Some("if")
                && !bytes
                    .get(i + 2)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_') =>
            {
                run += 1;
                i += 1;
            }
            b'\n' if stack.is_empty() => run = 0,
            _ => {}
        }
        if stack.len() + run > max_depth {
            return Err(too_deep(i));
        }
        i += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> Result<ast::File, Vec<RawDiagnostic>> {
        parse_file(FileId(0), src, 64)
    }

    #[test]
    fn parses_a_clause() {
        let f = parse(
            r#"
pack p "P" edition "1" languages en, sv as_of from assessment.as_of
param minimum_age: number = 15
table t: number default 15 { CN: 16, "IN": 14 }
clause a.b
  title en "T" sv "S"
  references "ILO C138"
  severity critical
  for each site in sites, w in site.workers where w.x != null:
    let limit = max(minimum_age, t[site.country])
    require age(w.date_of_birth, as_of) >= limit
      message en "{w.worker_ref} is {actual}" sv "x {{y}}"
  end
"#,
        );
        let f = match f {
            Ok(f) => f,
            Err(e) => panic!("{e:?}"),
        };
        assert!(f.header.is_some());
        assert_eq!(f.items.len(), 3);
    }

    #[test]
    fn rejects_deep_nesting() {
        let src = format!("param x: number = {}1{}", "(".repeat(100), ")".repeat(100));
        let e = parse(&src).err().unwrap_or_default();
        assert_eq!(e.first().map(|d| d.code), Some(Code::E102));
        let src = format!("param x: bool = {} true", "not ".repeat(100));
        let e = parse(&src).err().unwrap_or_default();
        assert_eq!(e.first().map(|d| d.code), Some(Code::E102));
        let src = format!("param x: number = 1{}", " + 1".repeat(100));
        let e = parse(&src).err().unwrap_or_default();
        assert_eq!(e.first().map(|d| d.code), Some(Code::E102));
    }
}
