//! The grammar's declarations, clauses and statements.

use super::Parser;
use crate::syntax::Rule;

impl Parser<'_> {
    // ---- the file ---------------------------------------------------------------------------

    /// `file = { SOI ~ header? ~ import* ~ item* ~ EOI }`
    pub(super) fn file(&mut self) -> bool {
        self.rule(Rule::file, |p| {
            p.skip();
            p.header();
            p.skip();
            p.many(Self::import);
            p.skip();
            p.many(Self::item);
            p.skip();
            p.pos == p.b.len() && p.leaf(Rule::EOI, p.pos)
        })
    }

    /// `header = { PACK ~ ident ~ (string | title) ~ (edition | languages | as_of_source |
    /// subject | labels)* }`
    pub(super) fn header(&mut self) -> bool {
        self.rule(Rule::header, |p| {
            p.kw(Rule::PACK, b"pack")
                && p.then(Self::ident)
                && p.then(|p| p.string() || p.title())
                && p.then_many(|p| {
                    p.edition() || p.languages() || p.as_of_source() || p.subject() || p.labels()
                })
        })
    }

    /// `edition = { EDITION ~ string }`
    pub(super) fn edition(&mut self) -> bool {
        self.keyword_then(Rule::edition, Rule::EDITION, b"edition", Self::string)
    }

    /// `languages = { LANGUAGES ~ ident ~ ("," ~ ident)* }`
    pub(super) fn languages(&mut self) -> bool {
        self.rule(Rule::languages, |p| {
            p.kw(Rule::LANGUAGES, b"languages")
                && p.then(Self::ident)
                && p.then(|p| p.comma_list(Self::ident))
        })
    }

    /// `{ WORD ~ x }`: a rule of a keyword and one element (`edition`, `import`, `basis`, …).
    pub(super) fn keyword_then(
        &mut self,
        rule: Rule,
        word_rule: Rule,
        word: &[u8],
        f: impl FnOnce(&mut Self) -> bool,
    ) -> bool {
        self.rule(rule, |p| p.kw(word_rule, word) && p.then(f))
    }

    /// `(x ~ ("," ~ x)* ~ ","?)?` after a skip: items separated by commas, a trailing comma
    /// allowed. Always matches.
    pub(super) fn then_comma_separated(&mut self, mut f: impl FnMut(&mut Self) -> bool) -> bool {
        self.then_optional(|p| {
            f(p) && p.then(|p| p.comma_list(&mut f)) && p.then_optional(|p| p.byte(b','))
        })
    }

    /// `("," ~ x)*`: always matches.
    pub(super) fn comma_list(&mut self, mut f: impl FnMut(&mut Self) -> bool) -> bool {
        self.many(|p| p.byte(b',') && p.then(&mut f));
        true
    }

    /// `(","? ~ x)*`, optionally with `!stop` before `x`: always matches.
    pub(super) fn optional_comma_list(
        &mut self,
        stop: Option<fn(&mut Self) -> bool>,
        mut f: impl FnMut(&mut Self) -> bool,
    ) -> bool {
        self.many(|p| {
            p.byte(b',');
            p.skip();
            if let Some(stop) = stop {
                let mark = p.mark();
                let stopped = stop(p);
                p.reset(mark);
                if stopped {
                    return false;
                }
                p.skip();
            }
            f(p)
        });
        true
    }

    /// `as_of_source = { AS_OF ~ FROM ~ expr }`
    pub(super) fn as_of_source(&mut self) -> bool {
        self.rule(Rule::as_of_source, |p| {
            p.kw(Rule::AS_OF, b"as_of")
                && p.then(|p| p.kw(Rule::FROM, b"from"))
                && p.then(Self::expr)
        })
    }

    /// `subject = { SUBJECT ~ subject_field ~ ("," ~ subject_field)* }`
    pub(super) fn subject(&mut self) -> bool {
        self.rule(Rule::subject, |p| {
            p.kw(Rule::SUBJECT, b"subject")
                && p.then(Self::subject_field)
                && p.then(|p| p.comma_list(Self::subject_field))
        })
    }

    /// `subject_field = { ident ~ FROM ~ expr }`
    pub(super) fn subject_field(&mut self) -> bool {
        self.rule(Rule::subject_field, |p| {
            p.ident() && p.then(|p| p.kw(Rule::FROM, b"from")) && p.then(Self::expr)
        })
    }

    /// `labels = { LABELS ~ field_name ~ FROM ~ label_list ~ ":" ~ label_field ~ ("," ~
    /// label_field)* }`
    pub(super) fn labels(&mut self) -> bool {
        self.rule(Rule::labels, |p| {
            p.kw(Rule::LABELS, b"labels")
                && p.then(Self::field_name)
                && p.then(|p| p.kw(Rule::FROM, b"from"))
                && p.then(Self::label_list)
                && p.then(|p| p.byte(b':'))
                && p.then(Self::label_field)
                && p.then(|p| p.comma_list(Self::label_field))
        })
    }

    /// `label_list = { field_name ~ ("." ~ field_name)* }`
    pub(super) fn label_list(&mut self) -> bool {
        self.rule(Rule::label_list, |p| {
            p.field_name() && p.then_many(|p| p.byte(b'.') && p.then(Self::field_name))
        })
    }

    /// `label_field = { ident ~ (FROM ~ field_name)? }`
    pub(super) fn label_field(&mut self) -> bool {
        self.rule(Rule::label_field, |p| {
            p.ident() && p.then_optional(|p| p.kw(Rule::FROM, b"from") && p.then(Self::field_name))
        })
    }

    /// `import = { IMPORT ~ string }`
    pub(super) fn import(&mut self) -> bool {
        self.keyword_then(Rule::import, Rule::IMPORT, b"import", Self::string)
    }

    /// `item = _{ param | table | clause | evidence | function | let_stmt | collection }`
    pub(super) fn item(&mut self) -> bool {
        self.param()
            || self.table()
            || self.clause()
            || self.evidence()
            || self.function()
            || self.let_stmt()
            || self.collection()
    }

    /// `collection = { COLLECTION ~ ident ~ "=" ~ binding ~ insufficient_when_empty? }`
    pub(super) fn collection(&mut self) -> bool {
        self.rule(Rule::collection, |p| {
            p.kw(Rule::COLLECTION, b"collection")
                && p.then(Self::ident)
                && p.then(|p| p.byte(b'='))
                && p.then(Self::binding)
                && p.then_optional(|p| {
                    p.rule(Rule::insufficient_when_empty, |p| {
                        p.kw(Rule::INSUFFICIENT, b"insufficient")
                            && p.then(|p| p.kw(Rule::WHEN, b"when"))
                            && p.then(|p| p.kw(Rule::EMPTY, b"empty"))
                    })
                })
        })
    }

    /// `function = { LET ~ ident ~ "(" ~ ident ~ ("," ~ ident)* ~ ")" ~ "=" ~ expr }`
    pub(super) fn function(&mut self) -> bool {
        self.rule(Rule::function, |p| {
            p.kw(Rule::LET, b"let")
                && p.then(Self::ident)
                && p.then(|p| p.byte(b'('))
                && p.then(Self::ident)
                && p.then(|p| p.comma_list(Self::ident))
                && p.then(|p| p.byte(b')'))
                && p.then(|p| p.byte(b'='))
                && p.then(Self::expr)
        })
    }

    // ---- evidence shapes --------------------------------------------------------------------

    /// `evidence = { EVIDENCE ~ shape_object }`
    pub(super) fn evidence(&mut self) -> bool {
        self.keyword_then(
            Rule::evidence,
            Rule::EVIDENCE,
            b"evidence",
            Self::shape_object,
        )
    }

    /// `shape_object = { "{" ~ (shape_field ~ (","? ~ shape_field)* ~ ","?)? ~ "}" }`
    pub(super) fn shape_object(&mut self) -> bool {
        self.nested(|p| {
            p.rule(Rule::shape_object, |p| {
                p.byte(b'{')
                    && p.then_optional(|p| {
                        p.shape_field()
                            && p.then(|p| p.optional_comma_list(None, Self::shape_field))
                            && p.then_optional(|p| p.byte(b','))
                    })
                    && p.then(|p| p.byte(b'}'))
            })
        })
    }

    /// `shape_field = { shape_key? ~ field_name ~ ":" ~ shape ~ (field_description |
    /// field_document | field_filled_by)* }`
    pub(super) fn shape_field(&mut self) -> bool {
        self.rule(Rule::shape_field, |p| {
            p.rule(Rule::shape_key, |p| {
                p.kw(Rule::KEY, b"key")
                    && p.then(|p| {
                        let at = p.pos;
                        let ok = p.name_chars();
                        p.pos = at;
                        ok
                    })
            });
            p.then(Self::field_name)
                && p.then(|p| p.byte(b':'))
                && p.then(Self::shape)
                && p.then_many(|p| {
                    p.texts_rule(Rule::field_description, Rule::DESCRIPTION, b"description")
                        || p.texts_rule(Rule::field_document, Rule::DOCUMENT, b"document")
                        || p.rule(Rule::field_filled_by, |p| {
                            p.kw(Rule::FILLED, b"filled")
                                && p.then(|p| p.kw(Rule::BY, b"by"))
                                && p.then(|p| p.words(Rule::filler, &[b"buyer", b"auditor"]))
                        })
                })
        })
    }

    /// `{ WORD ~ text ~ (","? ~ text)* }` (a field's description or document).
    pub(super) fn texts_rule(&mut self, rule: Rule, word_rule: Rule, word: &[u8]) -> bool {
        self.rule(rule, |p| {
            p.kw(word_rule, word)
                && p.then(Self::text)
                && p.then(|p| p.optional_comma_list(None, Self::text))
        })
    }

    /// `shape = _{ shape_object | shape_list | shape_enum | shape_scalar }`
    pub(super) fn shape(&mut self) -> bool {
        self.shape_object()
            || self.nested(|p| {
                p.rule(Rule::shape_list, |p| {
                    p.byte(b'[') && p.then(Self::shape) && p.then(|p| p.byte(b']'))
                })
            })
            || self.rule(Rule::shape_enum, |p| {
                p.string() && p.then_many(|p| p.byte(b'|') && p.then(Self::string))
            })
            || self.rule(Rule::shape_scalar, Self::ident)
    }

    // ---- parameters and tables --------------------------------------------------------------

    /// `param = { PARAM ~ ident ~ ":" ~ ident ~ "=" ~ expr ~ (title | param_bound |
    /// param_overridden | source)* }`
    pub(super) fn param(&mut self) -> bool {
        self.rule(Rule::param, |p| {
            p.kw(Rule::PARAM, b"param")
                && p.then(Self::ident)
                && p.then(|p| p.byte(b':'))
                && p.then(Self::ident)
                && p.then(|p| p.byte(b'='))
                && p.then(Self::expr)
                && p.then_many(|p| {
                    p.title() || p.param_bound() || p.param_overridden() || p.source()
                })
        })
    }

    /// `param_bound = { AT ~ (LEAST | MOST) ~ expr }`
    pub(super) fn param_bound(&mut self) -> bool {
        self.rule(Rule::param_bound, |p| {
            p.kw(Rule::AT, b"at")
                && p.then(|p| p.kw(Rule::LEAST, b"least") || p.kw(Rule::MOST, b"most"))
                && p.then(Self::expr)
        })
    }

    /// `param_overridden = { OVERRIDDEN ~ BY ~ param_path }`, `param_path = ${ ident ~ ("." ~
    /// field_name)* }`
    pub(super) fn param_overridden(&mut self) -> bool {
        self.rule(Rule::param_overridden, |p| {
            p.kw(Rule::OVERRIDDEN, b"overridden")
                && p.then(|p| p.kw(Rule::BY, b"by"))
                && p.then_optional(|p| {
                    p.rule(Rule::param_path, |p| {
                        if !p.ident() {
                            return false;
                        }
                        while p.attempt(|p| p.byte(b'.') && p.field_name()) {}
                        true
                    })
                })
        })
    }

    /// `source = { SOURCE ~ (string | text ~ (","? ~ !metadata_word ~ text)*) }`
    pub(super) fn source(&mut self) -> bool {
        self.rule(Rule::source, |p| {
            p.kw(Rule::SOURCE, b"source")
                && p.then(|p| {
                    p.string()
                        || p.attempt(|p| {
                            p.text()
                                && p.then(|p| {
                                    p.optional_comma_list(Some(Self::metadata_word), Self::text)
                                })
                        })
                })
        })
    }

    /// `metadata_word = _{ BASIS | SEVERE | EXPECTED }` (only ever in a lookahead).
    pub(super) fn metadata_word(&mut self) -> bool {
        self.word(b"basis") || self.word(b"severe") || self.word(b"expected")
    }

    /// `!(AGREED | PLAN | metadata_word)` and `!(metadata_word | AGREED | PLAN)`: the same
    /// words.
    pub(super) fn remediation_word(&mut self) -> bool {
        self.word(b"agreed") || self.word(b"plan") || self.metadata_word()
    }

    /// `table = { TABLE ~ ident ~ ":" ~ ident ~ table_default? ~ title? ~ source? ~ "{" ~
    /// (table_entry ~ ("," ~ table_entry)* ~ ","?)? ~ "}" }`
    pub(super) fn table(&mut self) -> bool {
        self.rule(Rule::table, |p| {
            p.kw(Rule::TABLE, b"table")
                && p.then(Self::ident)
                && p.then(|p| p.byte(b':'))
                && p.then(Self::ident)
                && p.then_optional(|p| {
                    p.keyword_then(Rule::table_default, Rule::DEFAULT, b"default", Self::expr)
                })
                && p.then_optional(Self::title)
                && p.then_optional(Self::source)
                && p.then(|p| p.byte(b'{'))
                && p.then_comma_separated(Self::table_entry)
                && p.then(|p| p.byte(b'}'))
        })
    }

    /// `table_entry = { (ident | field_name | string) ~ ":" ~ expr ~ source? }`
    pub(super) fn table_entry(&mut self) -> bool {
        self.rule(Rule::table_entry, |p| {
            (p.ident() || p.field_name() || p.string())
                && p.then(|p| p.byte(b':'))
                && p.then(Self::expr)
                && p.then_optional(Self::source)
        })
    }

    // ---- clauses ----------------------------------------------------------------------------

    /// `clause = { CLAUSE ~ clause_id ~ (title | references | severity | scope | examined |
    /// remediation | remedied | basis | severe)* ~ stmt* }`
    pub(super) fn clause(&mut self) -> bool {
        self.rule(Rule::clause, |p| {
            p.kw(Rule::CLAUSE, b"clause")
                && p.then(|p| {
                    // clause_id = @{ field_name ~ ("." ~ field_name)* }
                    let start = p.pos;
                    if !p.name_chars() {
                        return false;
                    }
                    while p.attempt(|p| p.byte(b'.') && p.name_chars()) {}
                    p.leaf(Rule::clause_id, start)
                })
                && p.then_many(|p| {
                    p.title()
                        || p.references()
                        || p.severity()
                        || p.when_rule(Rule::scope, Rule::APPLIES, b"applies")
                        || p.when_rule(Rule::examined, Rule::EXAMINED, b"examined")
                        || p.remediation()
                        || p.when_rule(Rule::remedied, Rule::REMEDIED, b"remedied")
                        || p.basis()
                        || p.severe()
                })
                && p.then_many(Self::stmt)
        })
    }

    /// `title = { TITLE ~ text ~ (","? ~ !metadata_word ~ text)* }`
    pub(super) fn title(&mut self) -> bool {
        self.rule(Rule::title, |p| {
            p.kw(Rule::TITLE, b"title")
                && p.then(Self::text)
                && p.then(|p| p.optional_comma_list(Some(Self::metadata_word), Self::text))
        })
    }

    /// `text = { ident ~ string }`
    pub(super) fn text(&mut self) -> bool {
        self.rule(Rule::text, |p| p.ident() && p.then(Self::string))
    }

    /// `references = { REFERENCES ~ string ~ ("," ~ string)* }`
    pub(super) fn references(&mut self) -> bool {
        self.rule(Rule::references, |p| {
            p.kw(Rule::REFERENCES, b"references")
                && p.then(Self::string)
                && p.then(|p| p.comma_list(Self::string))
        })
    }

    /// `severity_level = @{ ("critical" | "major" | "minor") ~ !ident_char }`
    pub(super) fn severity_level(&mut self) -> bool {
        self.words(Rule::severity_level, &[b"critical", b"major", b"minor"])
    }

    /// `severity = { SEVERITY ~ (severity_cases | severity_level) }`
    pub(super) fn severity(&mut self) -> bool {
        self.rule(Rule::severity, |p| {
            p.kw(Rule::SEVERITY, b"severity")
                && p.then(|p| p.severity_cases() || p.severity_level())
        })
    }

    /// `severity_cases = { severity_case ~ (","? ~ severity_case)* ~ (","? ~
    /// severity_otherwise)? }`
    pub(super) fn severity_cases(&mut self) -> bool {
        self.rule(Rule::severity_cases, |p| {
            p.severity_case()
                && p.then(|p| p.optional_comma_list(None, Self::severity_case))
                && p.then_optional(|p| {
                    p.byte(b',');
                    p.then(|p| {
                        p.rule(Rule::severity_otherwise, |p| {
                            p.severity_level() && p.then(|p| p.kw(Rule::OTHERWISE, b"otherwise"))
                        })
                    })
                })
        })
    }

    /// `severity_case = { severity_level ~ WHEN ~ expr }`
    pub(super) fn severity_case(&mut self) -> bool {
        self.rule(Rule::severity_case, |p| {
            p.severity_level() && p.then(|p| p.kw(Rule::WHEN, b"when")) && p.then(Self::expr)
        })
    }

    /// `scope`, `examined` and `remedied`: `{ WORD ~ WHEN ~ expr }`.
    pub(super) fn when_rule(&mut self, rule: Rule, word_rule: Rule, word: &[u8]) -> bool {
        self.rule(rule, |p| {
            p.kw(word_rule, word) && p.then(|p| p.kw(Rule::WHEN, b"when")) && p.then(Self::expr)
        })
    }

    /// `remediation = { REMEDIATION ~ message_text ~ (","? ~ !(AGREED | PLAN | metadata_word)
    /// ~ message_text)* ~ deadline? ~ remediation_link* }`
    pub(super) fn remediation(&mut self) -> bool {
        self.rule(Rule::remediation, |p| {
            p.kw(Rule::REMEDIATION, b"remediation")
                && p.then(Self::message_text)
                && p.then(|p| {
                    p.optional_comma_list(Some(Self::remediation_word), Self::message_text)
                })
                && p.then_optional(|p| {
                    p.rule(Rule::deadline, |p| {
                        (p.kw(Rule::WITHIN, b"within") || p.kw(Rule::DUE, b"due"))
                            && p.then(Self::expr)
                    })
                })
                && p.then_many(|p| {
                    p.rule(Rule::remediation_link, |p| {
                        (p.kw(Rule::FROM, b"from")
                            || p.kw(Rule::AGREED, b"agreed")
                            || p.kw(Rule::PLAN, b"plan"))
                            && p.then(Self::expr)
                    })
                })
        })
    }

    /// `basis = { BASIS ~ expr }`
    pub(super) fn basis(&mut self) -> bool {
        self.keyword_then(Rule::basis, Rule::BASIS, b"basis", Self::expr)
    }

    /// `severe = { SEVERE ~ string ~ (WHEN ~ expr)? }`
    pub(super) fn severe(&mut self) -> bool {
        self.rule(Rule::severe, |p| {
            p.kw(Rule::SEVERE, b"severe")
                && p.then(Self::string)
                && p.then_optional(|p| p.kw(Rule::WHEN, b"when") && p.then(Self::expr))
        })
    }

    // ---- statements -------------------------------------------------------------------------

    /// `stmt = _{ let_stmt | for_stmt | require_stmt | insufficient_stmt | remedied }`
    pub(super) fn stmt(&mut self) -> bool {
        self.let_stmt()
            || self.for_stmt()
            || self.require_stmt()
            || self.rule(Rule::insufficient_stmt, |p| {
                p.kw(Rule::INSUFFICIENT, b"insufficient")
                    && p.then(|p| p.kw(Rule::UNLESS, b"unless"))
                    && p.then(Self::expr)
            })
            || self.when_rule(Rule::remedied, Rule::REMEDIED, b"remedied")
    }

    /// `let_stmt = { LET ~ ident ~ "=" ~ expr }`
    pub(super) fn let_stmt(&mut self) -> bool {
        self.rule(Rule::let_stmt, |p| {
            p.kw(Rule::LET, b"let")
                && p.then(Self::ident)
                && p.then(|p| p.byte(b'='))
                && p.then(Self::expr)
        })
    }

    /// `for_stmt = { FOR ~ EACH ~ binding ~ ("," ~ binding)* ~ ":" ~ stmt* ~ END }`
    pub(super) fn for_stmt(&mut self) -> bool {
        self.nested(|p| {
            p.rule(Rule::for_stmt, |p| {
                p.kw(Rule::FOR, b"for")
                    && p.then(|p| p.kw(Rule::EACH, b"each"))
                    && p.then(Self::binding)
                    && p.then(|p| p.comma_list(Self::binding))
                    && p.then(|p| p.byte(b':'))
                    && p.then_many(Self::stmt)
                    && p.then(|p| p.kw(Rule::END, b"end"))
            })
        })
    }

    /// `binding = { ident ~ IN ~ expr ~ (WHERE ~ expr)? }`
    pub(super) fn binding(&mut self) -> bool {
        self.rule(Rule::binding, |p| {
            p.ident()
                && p.then(|p| p.kw(Rule::IN, b"in"))
                && p.then(Self::expr)
                && p.then_optional(|p| p.kw(Rule::WHERE, b"where") && p.then(Self::expr))
        })
    }

    /// `require_stmt = { REQUIRE ~ expr ~ (named | message | severity | remediation |
    /// remedied | basis | severe | expected)* }`
    pub(super) fn require_stmt(&mut self) -> bool {
        self.rule(Rule::require_stmt, |p| {
            p.kw(Rule::REQUIRE, b"require")
                && p.then(Self::expr)
                && p.then_many(|p| {
                    p.keyword_then(Rule::named, Rule::NAMED, b"named", Self::field_name)
                        || p.message()
                        || p.severity()
                        || p.remediation()
                        || p.when_rule(Rule::remedied, Rule::REMEDIED, b"remedied")
                        || p.basis()
                        || p.severe()
                        || p.expected()
                })
        })
    }
}
