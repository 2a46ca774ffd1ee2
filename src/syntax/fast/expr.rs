//! The grammar's messages, templates and expressions.

use super::Parser;
use crate::syntax::Rule;

impl Parser<'_> {
    /// `message = { MESSAGE ~ message_text ~ (","? ~ !metadata_word ~ message_text)* }`
    pub(super) fn message(&mut self) -> bool {
        self.rule(Rule::message, |p| {
            p.kw(Rule::MESSAGE, b"message")
                && p.then(Self::message_text)
                && p.then(|p| p.optional_comma_list(Some(Self::metadata_word), Self::message_text))
        })
    }

    /// `expected = { EXPECTED ~ message_text ~ (","? ~ !(metadata_word | AGREED | PLAN) ~
    /// message_text)* }`
    pub(super) fn expected(&mut self) -> bool {
        self.rule(Rule::expected, |p| {
            p.kw(Rule::EXPECTED, b"expected")
                && p.then(Self::message_text)
                && p.then(|p| {
                    p.optional_comma_list(Some(Self::remediation_word), Self::message_text)
                })
        })
    }

    /// `message_text = { ident ~ template }`
    pub(super) fn message_text(&mut self) -> bool {
        self.rule(Rule::message_text, |p| p.ident() && p.then(Self::template))
    }

    /// `template = ${ "\"" ~ (template_literal | template_hole)* ~ "\"" }`
    pub(super) fn template(&mut self) -> bool {
        self.rule(Rule::template, |p| {
            if !p.byte(b'"') {
                return false;
            }
            while p.template_literal() || p.template_hole() {}
            p.byte(b'"')
        })
    }

    /// `template_mark = _{ escape | "{{" | "}}" }`
    pub(super) fn template_mark(&mut self) -> bool {
        self.escape() || self.lit(b"{{") || self.lit(b"}}")
    }

    /// `template_literal = @{ (template_mark | !template_stop ~ ANY) ~ (!stop ~ ANY)* ~
    /// (template_mark ~ (!stop ~ ANY)*)* }`
    pub(super) fn template_literal(&mut self) -> bool {
        const STOPS: &[u8] = b"\"\\{}\n";
        let start = self.pos;
        if !self.template_mark() {
            match self.peek() {
                None => return false,
                Some(b) if STOPS.contains(&b) => return false,
                Some(_) => self.pos += 1,
            }
        }
        self.run_until(STOPS);
        while self.template_mark() {
            self.run_until(STOPS);
        }
        self.leaf(Rule::template_literal, start)
    }

    /// `template_hole = !{ "{" ~ expr ~ (":" ~ template_format)? ~ "}" }`
    pub(super) fn template_hole(&mut self) -> bool {
        self.rule(Rule::template_hole, |p| {
            p.byte(b'{')
                && p.then(Self::expr)
                && p.then_optional(|p| {
                    p.byte(b':')
                        && p.then(|p| {
                            // template_format = @{ "%" | ASCII_ALPHA+ }
                            let start = p.pos;
                            if !p.byte(b'%') {
                                while p.peek().is_some_and(|b| b.is_ascii_alphabetic()) {
                                    p.pos += 1;
                                }
                            }
                            p.pos > start && p.leaf(Rule::template_format, start)
                        })
                })
                && p.then(|p| p.byte(b'}'))
        })
    }

    // ---- expressions ------------------------------------------------------------------------

    /// `expr = { prefix* ~ primary ~ postfix* ~ (infix ~ prefix* ~ primary ~ postfix*)* }`
    pub(super) fn expr(&mut self) -> bool {
        self.nested(|p| {
            p.rule(Rule::expr, |p| {
                p.operand() && p.then_many(|p| p.infix() && p.then(Self::operand))
            })
        })
    }

    /// `prefix* ~ primary ~ postfix*` (with the skips between them).
    pub(super) fn operand(&mut self) -> bool {
        self.many(Self::prefix);
        self.skip();
        if !self.primary() {
            return false;
        }
        self.skip();
        self.many(Self::postfix);
        true
    }

    /// `prefix = _{ not_op | neg }`
    pub(super) fn prefix(&mut self) -> bool {
        let start = self.pos;
        if self.word(b"not") {
            return self.leaf(Rule::not_op, start);
        }
        self.byte(b'-') && self.leaf(Rule::neg, start)
    }

    /// `infix = _{ &operator_start ~ (or_op | and_op | not_in | in_op | coalesce | eq | ne | le
    /// | ge | lt | gt | add | sub | mul | div) }`
    pub(super) fn infix(&mut self) -> bool {
        let start = self.pos;
        let rule = match self.peek() {
            Some(b'o') if self.word(b"or") => Rule::or_op,
            Some(b'a') if self.word(b"and") => Rule::and_op,
            Some(b'n') => {
                // not_in = @{ "not" ~ (" " | "\t" | "\r" | "\n")+ ~ "in" ~ !ident_char }
                if !self.lit(b"not") {
                    return false;
                }
                let gap = self.pos;
                while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
                    self.pos += 1;
                }
                if self.pos == gap || !self.word(b"in") {
                    self.pos = start;
                    return false;
                }
                Rule::not_in
            }
            Some(b'i') if self.word(b"in") => Rule::in_op,
            Some(b'?') if self.lit(b"??") => Rule::coalesce,
            Some(b'=') if self.lit(b"==") => Rule::eq,
            Some(b'!') if self.lit(b"!=") => Rule::ne,
            Some(b'<') if self.lit(b"<=") => Rule::le,
            Some(b'>') if self.lit(b">=") => Rule::ge,
            Some(b'<') if self.byte(b'<') => Rule::lt,
            Some(b'>') if self.byte(b'>') => Rule::gt,
            Some(b'+') if self.byte(b'+') => Rule::add,
            Some(b'-') if self.byte(b'-') => Rule::sub,
            Some(b'*') if self.byte(b'*') => Rule::mul,
            Some(b'/') if self.byte(b'/') => Rule::div,
            _ => return false,
        };
        self.leaf(rule, start)
    }

    /// `postfix = _{ field | index | unit }`
    pub(super) fn postfix(&mut self) -> bool {
        match self.peek() {
            // field = ${ "." ~ field_name }
            Some(b'.') => self.rule(Rule::field, |p| p.byte(b'.') && p.field_name()),
            // index = { "[" ~ expr ~ "]" }
            Some(b'[') => self.rule(Rule::index, |p| {
                p.byte(b'[') && p.then(Self::expr) && p.then(|p| p.byte(b']'))
            }),
            _ => self.words(
                Rule::unit,
                &[
                    b"days", b"day", b"weeks", b"week", b"months", b"month", b"years", b"year",
                ],
            ),
        }
    }

    /// `primary = _{ number | string | boolean | null | this_clause | if_expr | aggregate |
    /// list | paren | name }`
    pub(super) fn primary(&mut self) -> bool {
        match self.peek() {
            Some(b'0'..=b'9') => self.number(),
            Some(b'"') => self.string(),
            Some(b'[') => self.list(),
            Some(b'(') => self.nested(|p| {
                p.rule(Rule::paren, |p| {
                    p.byte(b'(') && p.then(Self::expr) && p.then(|p| p.byte(b')'))
                })
            }),
            Some(b) if b.is_ascii_alphabetic() || b == b'_' => {
                self.words(Rule::boolean, &[b"true", b"false"])
                    || self.words(Rule::null, &[b"null"])
                    || self.words(Rule::this_clause, &[b"this_clause"])
                    || self.if_expr()
                    || self.aggregate()
                    || self.name()
            }
            _ => false,
        }
    }

    /// `if_expr = { IF ~ expr ~ THEN ~ expr ~ ELSE ~ expr }`
    pub(super) fn if_expr(&mut self) -> bool {
        self.nested(|p| {
            p.rule(Rule::if_expr, |p| {
                p.kw(Rule::IF, b"if")
                    && p.then(Self::expr)
                    && p.then(|p| p.kw(Rule::THEN, b"then"))
                    && p.then(Self::expr)
                    && p.then(|p| p.kw(Rule::ELSE, b"else"))
                    && p.then(Self::expr)
            })
        })
    }

    /// `aggregate = { aggregate_name ~ "(" ~ binding ~ ("," ~ binding)* ~ (":" ~ expr)? ~ ")"
    /// }`
    pub(super) fn aggregate(&mut self) -> bool {
        self.rule(Rule::aggregate, |p| {
            p.words(
                Rule::aggregate_name,
                &[
                    b"count_distinct",
                    b"count",
                    b"sum",
                    b"min",
                    b"max",
                    b"average",
                    b"share",
                    b"any",
                    b"all",
                    b"none",
                    b"first",
                ],
            ) && p.then(|p| p.byte(b'('))
                && p.then(Self::binding)
                && p.then(|p| p.comma_list(Self::binding))
                && p.then_optional(|p| p.byte(b':') && p.then(Self::expr))
                && p.then(|p| p.byte(b')'))
        })
    }

    /// `list = { "[" ~ (expr ~ ("," ~ expr)* ~ ","?)? ~ "]" }`
    pub(super) fn list(&mut self) -> bool {
        self.nested(|p| {
            p.rule(Rule::list, |p| {
                p.byte(b'[') && p.then_comma_separated(Self::expr) && p.then(|p| p.byte(b']'))
            })
        })
    }

    /// `name = { ident ~ call_args? }`, `call_args = _{ "(" ~ (expr ~ ("," ~ expr)*)? ~ ")" }`
    pub(super) fn name(&mut self) -> bool {
        self.rule(Rule::name, |p| {
            p.ident()
                && p.then_optional(|p| {
                    p.byte(b'(')
                        && p.then_optional(|p| p.expr() && p.then(|p| p.comma_list(Self::expr)))
                        && p.then(|p| p.byte(b')'))
                })
        })
    }
}
