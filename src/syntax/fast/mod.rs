//! A hand-written parser for the grammar of `grammar/conduct.pest`, for files that parse.
//!
//! The grammar stays the language's definition, and pest stays its parser of record: this one
//! builds the same [`Tree`] as pest, node for node and byte for byte, or gives up. When it gives
//! up, pest parses the file and explains the error (or, should this parser ever refuse a valid
//! file, parses it). Each function below is one rule of the grammar, written with pest's
//! semantics: ordered choice that never comes back, implicit whitespace and comments (`skip`)
//! between the elements of a non-atomic rule, repetitions `x*` as `(x ~ (skip ~ x)*)?`, no
//! whitespace and no inner nodes in atomic (`@`) rules, inner nodes but no whitespace in
//! compound-atomic (`$`) ones, and nothing recorded inside a lookahead. The unit tests hold it
//! to pest's trees on every rule file of the repository and thousands of their mutations, and
//! the fuzz target `parse_check` on whatever the fuzzer makes ([`super::parsers_agree`]).
//!
//! On the regions' pack it takes about an eighth of the instructions pest took (callgrind, the
//! pre-check included: 18 million against 150 million a load), and `RulePack::load` went from
//! 21 ms to between 6 and 7.

mod expr;
mod items;
#[cfg(test)]
mod tests;

use super::Rule;
use super::tree::{Node, Tree, at};

/// Deeper nesting than this (expressions, statements, shapes) makes this parser give up and
/// leave the file to pest, whose stack guard and diagnostics handle it. The lexical pre-check
/// bounds nesting outside templates far below it.
const MAX_NESTING: usize = 256;

/// Parses a whole file, or `None` where pest must decide.
pub(super) fn parse(text: &str) -> Option<Tree> {
    parse_noting_depth(text).0
}

/// [`parse`], and whether it gave up at its nesting limit ([`MAX_NESTING`]): there, and only
/// there, it may refuse a file that pest parses.
pub(super) fn parse_noting_depth(text: &str) -> (Option<Tree>, bool) {
    let mut p = Parser {
        b: text.as_bytes(),
        pos: 0,
        // The regions' pack has a node per 7 to 13 bytes.
        nodes: Vec::with_capacity(text.len() / 8 + 16),
        depth: 0,
        too_deep: false,
    };
    let ok = p.file();
    (ok.then_some(Tree { nodes: p.nodes }), p.too_deep)
}

/// Can this byte continue a name?
fn ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

struct Parser<'a> {
    b: &'a [u8],
    pos: usize,
    nodes: Vec<Node>,
    depth: usize,
    /// Set when a rule was refused for nesting deeper than [`MAX_NESTING`].
    too_deep: bool,
}

/// A position to come back to: the offset and the number of nodes.
type Mark = (usize, usize);

impl Parser<'_> {
    // ---- pest's machinery -------------------------------------------------------------------

    fn mark(&self) -> Mark {
        (self.pos, self.nodes.len())
    }

    fn reset(&mut self, (pos, len): Mark) {
        self.pos = pos;
        self.nodes.truncate(len);
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<u8> {
        self.b.get(self.pos + ahead).copied()
    }

    /// A visible rule: a node around what `f` matches, or nothing at all when it fails.
    fn rule(&mut self, rule: Rule, f: impl FnOnce(&mut Self) -> bool) -> bool {
        let mark = self.mark();
        let index = self.nodes.len();
        self.nodes.push(Node {
            rule,
            start: at(self.pos),
            end: at(self.pos),
            next: 0,
        });
        if f(self) {
            let (end, next) = (at(self.pos), at(self.nodes.len()));
            if let Some(n) = self.nodes.get_mut(index) {
                n.end = end;
                n.next = next;
            }
            true
        } else {
            self.reset(mark);
            false
        }
    }

    /// A leaf node over `start..self.pos` (an atomic rule that has matched).
    fn leaf(&mut self, rule: Rule, start: usize) -> bool {
        let next = at(self.nodes.len() + 1);
        self.nodes.push(Node {
            rule,
            start: at(start),
            end: at(self.pos),
            next,
        });
        true
    }

    /// A sequence that leaves no trace when it fails.
    fn attempt(&mut self, f: impl FnOnce(&mut Self) -> bool) -> bool {
        let mark = self.mark();
        if f(self) {
            true
        } else {
            self.reset(mark);
            false
        }
    }

    /// `x*` in a non-atomic rule: `(x ~ (skip ~ x)*)?`.
    fn many(&mut self, mut f: impl FnMut(&mut Self) -> bool) {
        if self.attempt(&mut f) {
            while self.attempt(|p| {
                p.skip();
                f(p)
            }) {}
        }
    }

    /// Does the input continue with `lit`? Then past it.
    fn lit(&mut self, lit: &[u8]) -> bool {
        if self
            .b
            .get(self.pos..)
            .is_some_and(|rest| rest.starts_with(lit))
        {
            self.pos += lit.len();
            true
        } else {
            false
        }
    }

    fn byte(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Is the byte at `pos + ahead` one that cannot continue a name (`!ident_char`)?
    fn word_ends_at(&self, ahead: usize) -> bool {
        !self.peek_at(ahead).is_some_and(ident_char)
    }

    /// `word ~ !ident_char`, matched without a node.
    fn word(&mut self, word: &[u8]) -> bool {
        if self
            .b
            .get(self.pos..)
            .is_some_and(|rest| rest.starts_with(word))
            && self.word_ends_at(word.len())
        {
            self.pos += word.len();
            true
        } else {
            false
        }
    }

    /// A keyword token such as `PACK = @{ "pack" ~ !ident_char }`.
    fn kw(&mut self, rule: Rule, word: &[u8]) -> bool {
        let start = self.pos;
        self.word(word) && self.leaf(rule, start)
    }

    /// The first of `words` the input starts with, then `!ident_char`: a choice of literals
    /// that never comes back for a shorter or longer one.
    fn first_word(&mut self, words: &[&[u8]]) -> bool {
        let Some(rest) = self.b.get(self.pos..) else {
            return false;
        };
        match words.iter().find(|w| rest.starts_with(w)) {
            Some(w) if self.word_ends_at(w.len()) => {
                self.pos += w.len();
                true
            }
            _ => false,
        }
    }

    /// Implicit whitespace: `WHITESPACE*`, comments included.
    fn skip(&mut self) {
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\n' | b'\t' | b'\r' => self.pos += 1,
                0xEF if self.peek_at(1) == Some(0xBB) && self.peek_at(2) == Some(0xBF) => {
                    self.pos += 3;
                }
                b'#' => {
                    let rest = self.b.get(self.pos..).unwrap_or_default();
                    self.pos += rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len());
                }
                _ => break,
            }
        }
    }

    /// `a ~ b` in a non-atomic rule: `skip` then `b`.
    fn then(&mut self, f: impl FnOnce(&mut Self) -> bool) -> bool {
        self.skip();
        f(self)
    }

    /// `a ~ b?` in a non-atomic rule: `skip`, then `b` where it matches. Always matches.
    fn then_optional(&mut self, f: impl FnOnce(&mut Self) -> bool) -> bool {
        self.skip();
        self.attempt(f);
        true
    }

    /// `a ~ b*` in a non-atomic rule: `skip`, then as many `b` as match. Always matches.
    fn then_many(&mut self, f: impl FnMut(&mut Self) -> bool) -> bool {
        self.skip();
        self.many(f);
        true
    }

    /// `b` bounded in depth: deeper, the parser gives up.
    fn nested(&mut self, f: impl FnOnce(&mut Self) -> bool) -> bool {
        if self.depth >= MAX_NESTING {
            self.too_deep = true;
            return false;
        }
        self.depth += 1;
        let ok = f(self);
        self.depth -= 1;
        ok
    }

    // ---- names and literals -----------------------------------------------------------------

    /// `keyword`, as a lookahead: is a reserved word next?
    fn at_keyword(&self) -> bool {
        const A_E: &[&[u8]] = &[
            b"edition",
            b"default",
            b"clause",
            b"critical",
            b"applies",
            b"due",
            b"each",
            b"end",
            b"and",
            b"else",
            b"evidence",
            b"collection",
        ];
        const F_M: &[&[u8]] = &[
            b"languages",
            b"import",
            b"major",
            b"minor",
            b"for",
            b"insufficient",
            b"in",
            b"let",
            b"message",
            b"if",
            b"false",
            b"from",
        ];
        const N_R: &[&[u8]] = &[
            b"pack",
            b"param",
            b"references",
            b"otherwise",
            b"remediation",
            b"remedied",
            b"require",
            b"or",
            b"not",
            b"null",
        ];
        const S_W: &[&[u8]] = &[
            b"table",
            b"source",
            b"title",
            b"when",
            b"within",
            b"where",
            b"then",
            b"true",
            b"subject",
            b"unless",
            b"this_clause",
        ];
        let group = match self.peek() {
            Some(b'a'..=b'e') => A_E,
            Some(b'f'..=b'm') => F_M,
            Some(b'n'..=b'r') => N_R,
            Some(b's'..=b'w') => S_W,
            _ => return false,
        };
        let rest = self.b.get(self.pos..).unwrap_or_default();
        group
            .iter()
            .find(|w| rest.starts_with(w))
            .is_some_and(|w| self.word_ends_at(w.len()))
    }

    /// `(ASCII_ALPHA | "_") ~ ident_char*`, without a node.
    fn name_chars(&mut self) -> bool {
        if !self
            .peek()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        {
            return false;
        }
        self.pos += 1;
        while self.peek().is_some_and(ident_char) {
            self.pos += 1;
        }
        true
    }

    /// `ident = @{ !keyword ~ (ASCII_ALPHA | "_") ~ ident_char* }`
    fn ident(&mut self) -> bool {
        let start = self.pos;
        !self.at_keyword() && self.name_chars() && self.leaf(Rule::ident, start)
    }

    /// `field_name = @{ (ASCII_ALPHA | "_") ~ ident_char* }`
    fn field_name(&mut self) -> bool {
        let start = self.pos;
        self.name_chars() && self.leaf(Rule::field_name, start)
    }

    /// A run of bytes other than `stops` (`(!(…) ~ ANY)*`): the stops are ASCII, so no
    /// character is cut.
    fn run_until(&mut self, stops: &[u8]) {
        let rest = self.b.get(self.pos..).unwrap_or_default();
        self.pos += rest
            .iter()
            .position(|c| stops.contains(c))
            .unwrap_or(rest.len());
    }

    /// `escape = @{ "\\" ~ ("\"" | "\\" | "n" | "t" | "{" | "}") }`, without a node.
    fn escape(&mut self) -> bool {
        if self.peek() == Some(b'\\')
            && matches!(
                self.peek_at(1),
                Some(b'"' | b'\\' | b'n' | b't' | b'{' | b'}')
            )
        {
            self.pos += 2;
            true
        } else {
            false
        }
    }

    /// `string = ${ "\"" ~ string_inner ~ "\"" }`
    fn string(&mut self) -> bool {
        self.rule(Rule::string, |p| {
            if !p.byte(b'"') {
                return false;
            }
            let start = p.pos;
            p.run_until(b"\"\\\n");
            while p.escape() {
                p.run_until(b"\"\\\n");
            }
            p.leaf(Rule::string_inner, start);
            p.byte(b'"')
        })
    }

    /// `number = @{ ASCII_DIGIT+ ~ ("." ~ ASCII_DIGIT+)? ~ !ident_char }`
    fn number(&mut self) -> bool {
        let start = self.pos;
        let digits = |p: &mut Self| {
            let from = p.pos;
            while p.peek().is_some_and(|b| b.is_ascii_digit()) {
                p.pos += 1;
            }
            p.pos > from
        };
        if !digits(self) {
            return false;
        }
        if self.peek() == Some(b'.') && self.peek_at(1).is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
            digits(self);
        }
        if self.word_ends_at(0) {
            self.leaf(Rule::number, start)
        } else {
            self.pos = start;
            false
        }
    }

    /// An atomic rule of words: the first that matches, `!ident_char`, one node.
    fn words(&mut self, rule: Rule, words: &[&[u8]]) -> bool {
        let start = self.pos;
        self.first_word(words) && self.leaf(rule, start)
    }
}
