//! Lowering: parse tree → AST, one function per grammar rule; operator precedence by a Pratt
//! parser; a depth limit on the tree so later recursive stages are safe.
//!
//! Here the file, its declarations, clauses with their metadata, and statements; expressions
//! in `expr`.

mod expr;
mod param;

use super::Rule;
use super::tree::{Pair, Pairs};
use crate::ast::{
    Clause, Collection, Deadline, Expr, FieldDetails, File, For, Header, Ident, Import, Item, Let,
    Level, MessageText, NodeSpan, Remediation, Require, Severe, SeveritySpec, Shape, ShapeObject,
    Stmt, Table, TableEntry, Template, TemplatePart, Text,
};
use crate::diagnostic::{Code, RawDiagnostic};
use crate::source::{FileId, Span};

type Res<T> = Result<T, RawDiagnostic>;

/// Lowers the pairs of one file.
struct Lower {
    file: FileId,
    max_depth: usize,
}

/// Is this pair a keyword token that carries no information of its own?
fn is_keyword(r: Rule) -> bool {
    matches!(
        r,
        Rule::PACK
            | Rule::EDITION
            | Rule::LANGUAGES
            | Rule::AS_OF
            | Rule::SUBJECT
            | Rule::LABELS
            | Rule::FROM
            | Rule::IMPORT
            | Rule::PARAM
            | Rule::TABLE
            | Rule::DEFAULT
            | Rule::SOURCE
            | Rule::CLAUSE
            | Rule::TITLE
            | Rule::REFERENCES
            | Rule::SEVERITY
            | Rule::WHEN
            | Rule::OTHERWISE
            | Rule::APPLIES
            | Rule::REMEDIATION
            | Rule::REMEDIED
            | Rule::WITHIN
            | Rule::DUE
            | Rule::FOR
            | Rule::EACH
            | Rule::IN
            | Rule::WHERE
            | Rule::LET
            | Rule::REQUIRE
            | Rule::MESSAGE
            | Rule::END
            | Rule::IF
            | Rule::THEN
            | Rule::ELSE
            | Rule::EVIDENCE
            | Rule::INSUFFICIENT
            | Rule::UNLESS
            | Rule::COLLECTION
            | Rule::EMPTY
            | Rule::KEY
            | Rule::NAMED
            | Rule::AGREED
            | Rule::PLAN
            | Rule::EXAMINED
            | Rule::BASIS
            | Rule::SEVERE
            | Rule::EXPECTED
            | Rule::EOI
    )
}

/// The meaningful children of a pair.
fn children(pair: Pair<'_>) -> impl Iterator<Item = Pair<'_>> {
    pair.into_inner().filter(|p| !is_keyword(p.as_rule()))
}

pub(super) fn lower_file(
    file: FileId,
    mut pairs: Pairs<'_>,
    max_depth: usize,
) -> Result<File, Vec<RawDiagnostic>> {
    let lower = Lower { file, max_depth };
    let mut out = File::default();
    let mut errors = Vec::new();
    let Some(root) = pairs.next() else {
        return Ok(out);
    };
    for pair in children(root) {
        let result = match pair.as_rule() {
            Rule::header => lower.header(pair).map(|h| out.header = Some(h)),
            Rule::import => lower.import(pair).map(|i| out.imports.push(i)),
            Rule::param => lower.param(pair).map(|p| out.items.push(Item::Param(p))),
            Rule::table => lower.table(pair).map(|t| out.items.push(Item::Table(t))),
            Rule::clause => lower.clause(pair).map(|c| out.items.push(Item::Clause(c))),
            Rule::function => lower
                .function(pair)
                .map(|f| out.items.push(Item::Function(f))),
            Rule::let_stmt => lower.stmt(pair).map(|s| {
                if let Stmt::Let(l) = s {
                    out.items.push(Item::Let(l));
                }
            }),
            Rule::collection => lower
                .collection(pair)
                .map(|c| out.items.push(Item::Collection(c))),
            Rule::evidence => match children(pair).next() {
                Some(obj) => {
                    out.items.push(Item::Evidence(lower.shape_object(obj)));
                    Ok(())
                }
                None => Ok(()),
            },
            _ => Ok(()),
        };
        if let Err(e) = result {
            errors.push(e);
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Removes the quotes and resolves escapes of a `string` pair's inner text.
fn unescape(raw: &str) -> String {
    if !raw.contains('\\') {
        return raw.to_owned();
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

impl Lower {
    fn span(&self, pair: &Pair<'_>) -> NodeSpan {
        NodeSpan(Span::new(self.file, pair.start(), pair.end()))
    }

    fn ident(&self, pair: &Pair<'_>) -> Ident {
        Ident {
            name: pair.as_str().to_string(),
            span: self.span(pair),
        }
    }

    fn string(pair: Pair<'_>) -> String {
        pair.into_inner()
            .next()
            .map(|p| unescape(p.as_str()))
            .unwrap_or_default()
    }

    /// The `LANG "…"` texts of a `title`, `description` or `document`.
    fn texts(&self, pair: Pair<'_>) -> Vec<Text> {
        let mut out = Vec::new();
        for t in children(pair) {
            let mut tt = children(t);
            if let (Some(lang), Some(text)) = (tt.next(), tt.next()) {
                out.push(Text {
                    lang: self.ident(&lang),
                    text: Self::string(text),
                });
            }
        }
        out
    }

    /// A `source` pair: its one text for every language, or its texts per language.
    fn source(&self, pair: Pair<'_>) -> (Option<String>, Vec<Text>) {
        match children(pair).next() {
            Some(s) if s.as_rule() == Rule::string => (Some(Self::string(s)), Vec::new()),
            _ => (None, self.texts(pair)),
        }
    }

    fn header(&self, pair: Pair<'_>) -> Res<Header> {
        let span = self.span(&pair);
        let mut it = children(pair);
        let mut header = Header {
            name: Ident {
                name: String::new(),
                span,
            },
            title: String::new(),
            titles: Vec::new(),
            edition: None,
            languages: Vec::new(),
            as_of: None,
            subject: Vec::new(),
            labels: Vec::new(),
            span,
        };
        if let Some(p) = it.next() {
            header.name = self.ident(&p);
        }
        if let Some(p) = it.next() {
            if p.as_rule() == Rule::title {
                header.titles = self.texts(p);
            } else {
                header.title = Self::string(p);
            }
        }
        for p in it {
            match p.as_rule() {
                Rule::edition => header.edition = children(p).next().map(Self::string),
                Rule::languages => header.languages = children(p).map(|l| self.ident(&l)).collect(),
                Rule::as_of_source => {
                    if let Some(e) = children(p).next() {
                        header.as_of = Some(self.expr(e, 0)?);
                    }
                }
                Rule::subject => {
                    for field in children(p) {
                        let mut f = children(field);
                        if let (Some(n), Some(e)) = (f.next(), f.next()) {
                            header.subject.push((self.ident(&n), self.expr(e, 0)?));
                        }
                    }
                }
                Rule::labels => header.labels.push(self.labels(p)),
                _ => {}
            }
        }
        Ok(header)
    }

    /// `labels KEY from LIST: NAME [from FIELD], …`
    fn labels(&self, pair: Pair<'_>) -> crate::ast::Labels {
        let span = self.span(&pair);
        let mut labels = crate::ast::Labels {
            key: Ident {
                name: String::new(),
                span,
            },
            list: Vec::new(),
            fields: Vec::new(),
            span,
        };
        for p in children(pair) {
            match p.as_rule() {
                Rule::field_name => labels.key = self.ident(&p),
                Rule::label_list => labels.list = children(p).map(|n| self.ident(&n)).collect(),
                Rule::label_field => {
                    let mut names = children(p).map(|n| self.ident(&n));
                    if let Some(name) = names.next() {
                        let field = names.next().unwrap_or_else(|| name.clone());
                        labels.fields.push((name, field));
                    }
                }
                _ => {}
            }
        }
        labels
    }

    fn function(&self, pair: Pair<'_>) -> Res<crate::ast::Function> {
        let span = self.span(&pair);
        let mut parts: Vec<Pair<'_>> = children(pair).collect();
        let Some(body) = parts.pop() else {
            return Err(RawDiagnostic::new(
                Code::E101,
                span.0,
                "incomplete function",
            ));
        };
        let mut names = parts.iter().map(|p| self.ident(p));
        let Some(name) = names.next() else {
            return Err(RawDiagnostic::new(
                Code::E101,
                span.0,
                "incomplete function",
            ));
        };
        Ok(crate::ast::Function {
            name,
            params: names.collect(),
            body: self.expr(body, 0)?,
            span,
        })
    }

    fn shape_object(&self, pair: Pair<'_>) -> ShapeObject {
        let span = self.span(&pair);
        let mut fields = Vec::new();
        let mut keys = Vec::new();
        let mut details = Vec::new();
        for f in children(pair) {
            let mut it = children(f).peekable();
            let key = it
                .next_if(|p| p.as_rule() == Rule::shape_key)
                .map(|k| self.span(&k));
            if let (Some(name), Some(shape)) = (it.next(), it.next()) {
                if let Some(k) = key {
                    keys.push((fields.len(), k));
                }
                if let Some(d) = self.field_details(it) {
                    details.push((fields.len(), d));
                }
                fields.push((self.ident(&name), self.shape(shape)));
            }
        }
        ShapeObject {
            fields,
            keys,
            details,
            span,
        }
    }

    /// A field's `description …` and `filled by …`, if it has any.
    fn field_details<'i>(&self, rest: impl Iterator<Item = Pair<'i>>) -> Option<FieldDetails> {
        let mut details: Option<FieldDetails> = None;
        for p in rest {
            let d = details.get_or_insert_with(|| FieldDetails {
                span: NodeSpan(Span::new(self.file, p.start(), p.end())),
                ..FieldDetails::default()
            });
            d.span = NodeSpan(Span::new(self.file, d.span.0.start as usize, p.end()));
            match p.as_rule() {
                Rule::field_description => d.descriptions.extend(self.texts(p)),
                Rule::field_document => d.documents.extend(self.texts(p)),
                _ => {
                    d.filled_by = children(p)
                        .find(|f| f.as_rule() == Rule::filler)
                        .map(|f| self.ident(&f));
                }
            }
        }
        details
    }

    fn shape(&self, pair: Pair<'_>) -> Shape {
        match pair.as_rule() {
            Rule::shape_object => Shape::Object(self.shape_object(pair)),
            Rule::shape_enum => Shape::Enum(children(pair).map(Self::string).collect()),
            Rule::shape_list => match children(pair).next() {
                Some(inner) => Shape::List(Box::new(self.shape(inner))),
                None => Shape::Scalar(Ident {
                    name: "any".into(),
                    span: NodeSpan::default(),
                }),
            },
            _ => {
                let id = children(pair).next().map_or_else(
                    || Ident {
                        name: "any".into(),
                        span: NodeSpan::default(),
                    },
                    |p| self.ident(&p),
                );
                Shape::Scalar(id)
            }
        }
    }

    fn import(&self, pair: Pair<'_>) -> Res<Import> {
        let span = self.span(&pair);
        let path = children(pair).next().map(Self::string).unwrap_or_default();
        Ok(Import { path, span })
    }

    fn table(&self, pair: Pair<'_>) -> Res<Table> {
        let span = self.span(&pair);
        let mut it = children(pair).peekable();
        let (Some(name), Some(ty)) = (it.next(), it.next()) else {
            return Err(RawDiagnostic::new(Code::E101, span.0, "incomplete table"));
        };
        let mut table = Table {
            name: self.ident(&name),
            ty: self.ident(&ty),
            default: None,
            titles: Vec::new(),
            source: None,
            sources: Vec::new(),
            entries: Vec::new(),
            span,
        };
        for p in it {
            match p.as_rule() {
                Rule::table_default => {
                    if let Some(e) = children(p).next() {
                        table.default = Some(self.expr(e, 0)?);
                    }
                }
                Rule::title => table.titles = self.texts(p),
                Rule::source => (table.source, table.sources) = self.source(p),
                Rule::table_entry => {
                    let mut e = children(p);
                    let (Some(k), Some(v)) = (e.next(), e.next()) else {
                        continue;
                    };
                    let key_span = self.span(&k);
                    let key = if k.as_rule() == Rule::string {
                        Self::string(k)
                    } else {
                        k.as_str().to_string()
                    };
                    let (source, sources) = e.next().map(|s| self.source(s)).unwrap_or_default();
                    table.entries.push(TableEntry {
                        key,
                        key_span,
                        value: self.expr(v, 0)?,
                        source,
                        sources,
                    });
                }
                _ => {}
            }
        }
        Ok(table)
    }

    /// `collection NAME = binding [insufficient when empty]`.
    fn collection(&self, pair: Pair<'_>) -> Res<Collection> {
        let span = self.span(&pair);
        let mut it = children(pair);
        let (Some(name), Some(binding)) = (it.next(), it.next()) else {
            return Err(RawDiagnostic::new(
                Code::E101,
                span.0,
                "incomplete `collection`",
            ));
        };
        Ok(Collection {
            name: self.ident(&name),
            binding: self.binding(binding, 0)?,
            insufficient_when_empty: it.any(|p| p.as_rule() == Rule::insufficient_when_empty),
            span,
        })
    }

    fn clause(&self, pair: Pair<'_>) -> Res<Clause> {
        let span = self.span(&pair);
        let mut it = children(pair);
        let Some(id) = it.next() else {
            return Err(RawDiagnostic::new(Code::E101, span.0, "clause without id"));
        };
        let mut clause = Clause {
            id: id.as_str().to_string(),
            id_span: self.span(&id),
            titles: Vec::new(),
            references: Vec::new(),
            severity: None,
            scope: None,
            examined: None,
            remediation: None,
            remedied: None,
            basis: None,
            severe: None,
            body: Vec::new(),
            span,
        };
        for p in it {
            match p.as_rule() {
                Rule::title => clause.titles.extend(self.texts(p)),
                Rule::references => clause.references = children(p).map(Self::string).collect(),
                Rule::severity => clause.severity = Some(self.severity(p)?),
                Rule::scope => {
                    if let Some(e) = children(p).next() {
                        clause.scope = Some(self.expr(e, 0)?);
                    }
                }
                Rule::examined => {
                    if let Some(e) = children(p).next() {
                        clause.examined = Some(self.expr(e, 0)?);
                    }
                }
                Rule::remediation => clause.remediation = Some(self.remediation(p)?),
                Rule::basis => self.basis(p, &mut clause.basis)?,
                Rule::severe => self.severe(p, &mut clause.severe)?,
                // After the first statement, `remedied when` is a statement (E209 at the
                // clause's top level, reported by the checker).
                Rule::remedied if clause.body.is_empty() => {
                    if let Some(e) = children(p).next() {
                        clause.remedied = Some(self.expr(e, 0)?);
                    }
                }
                _ => clause.body.push(self.stmt(p)?),
            }
        }
        Ok(clause)
    }

    fn level(pair: &Pair<'_>) -> Level {
        match pair.as_str() {
            "critical" => Level::Critical,
            "major" => Level::Major,
            _ => Level::Minor,
        }
    }

    fn severity(&self, pair: Pair<'_>) -> Res<SeveritySpec> {
        let Some(inner) = children(pair).next() else {
            return Ok(SeveritySpec::Fixed(Level::Major));
        };
        if inner.as_rule() == Rule::severity_level {
            return Ok(SeveritySpec::Fixed(Self::level(&inner)));
        }
        let span = self.span(&inner);
        let mut cases = Vec::new();
        let mut otherwise = None;
        for case in children(inner) {
            let is_otherwise = case.as_rule() == Rule::severity_otherwise;
            let mut c = children(case);
            let Some(level) = c.next() else { continue };
            let level = Self::level(&level);
            if is_otherwise {
                otherwise = Some(level);
            } else if let Some(e) = c.next() {
                cases.push((level, self.expr(e, 0)?));
            }
        }
        Ok(SeveritySpec::Cases {
            cases,
            otherwise,
            span,
        })
    }

    fn remediation(&self, pair: Pair<'_>) -> Res<Remediation> {
        let span = self.span(&pair);
        let mut out = Remediation {
            texts: Vec::new(),
            deadline: None,
            from: None,
            agreed: None,
            plan: None,
            span,
        };
        for p in children(pair) {
            match p.as_rule() {
                Rule::message_text => out.texts.push(self.message_text(p)?),
                Rule::remediation_link => self.remediation_link(p, &mut out)?,
                Rule::deadline => {
                    let within = p
                        .into_inner()
                        .next()
                        .is_some_and(|k| k.as_rule() == Rule::WITHIN);
                    if let Some(e) = children(p).next() {
                        let e = self.expr(e, 0)?;
                        out.deadline = Some(if within {
                            Deadline::Within(e)
                        } else {
                            Deadline::Due(e)
                        });
                    }
                }
                _ => {}
            }
        }
        Ok(out)
    }

    /// `from DATE`, `agreed DATE` or `plan STATE` of a remediation; E101 for one given twice.
    fn remediation_link(&self, pair: Pair<'_>, out: &mut Remediation) -> Res<()> {
        let span = self.span(&pair);
        let Some(word) = pair.into_inner().next() else {
            return Ok(());
        };
        let (name, slot) = match word.as_rule() {
            Rule::FROM => ("from", &mut out.from),
            Rule::AGREED => ("agreed", &mut out.agreed),
            _ => ("plan", &mut out.plan),
        };
        if slot.is_some() {
            return Err(RawDiagnostic::new(
                Code::E101,
                self.span(&word).0,
                format!("`{name}` given twice in one remediation"),
            )
            .label("given again here")
            .help(format!(
                "a remediation has at most one `{name}`; remove one"
            )));
        }
        let Some(e) = children(pair).next() else {
            return Err(RawDiagnostic::new(
                Code::E101,
                span.0,
                format!("`{name}` without a value"),
            ));
        };
        *slot = Some(self.expr(e, 0)?);
        Ok(())
    }

    /// E101 for a line of metadata given twice in one clause or requirement.
    fn twice(name: &str, span: NodeSpan) -> RawDiagnostic {
        RawDiagnostic::new(Code::E101, span.0, format!("`{name}` given twice"))
            .label("given again here")
            .help(format!("`{name}` is given once; remove one"))
    }

    /// `basis EXPR` into `slot` (E101 when it is filled already).
    fn basis(&self, pair: Pair<'_>, slot: &mut Option<Expr>) -> Res<()> {
        if slot.is_some() {
            return Err(Self::twice("basis", self.span(&pair)));
        }
        if let Some(e) = children(pair).next() {
            *slot = Some(self.expr(e, 0)?);
        }
        Ok(())
    }

    /// `severe "CATEGORY" [when COND]` into `slot` (E101 when it is filled already).
    fn severe(&self, pair: Pair<'_>, slot: &mut Option<Severe>) -> Res<()> {
        let span = self.span(&pair);
        if slot.is_some() {
            return Err(Self::twice("severe", span));
        }
        let mut it = children(pair);
        let Some(category) = it.next() else {
            return Ok(());
        };
        let when = match it.next() {
            Some(e) => Some(self.expr(e, 0)?),
            None => None,
        };
        *slot = Some(Severe {
            category_span: self.span(&category),
            category: Self::string(category),
            when,
            span,
        });
        Ok(())
    }

    fn message_text(&self, pair: Pair<'_>) -> Res<MessageText> {
        let mut it = children(pair);
        let (Some(lang), Some(tpl)) = (it.next(), it.next()) else {
            return Err(RawDiagnostic::new(
                Code::E101,
                Span::default(),
                "incomplete message",
            ));
        };
        let mut parts = Vec::new();
        for part in tpl.into_inner() {
            match part.as_rule() {
                Rule::template_literal => {
                    let raw = part.as_str();
                    let text = if raw.contains(['\\', '{', '}']) {
                        unescape(&raw.replace("{{", "{").replace("}}", "}"))
                    } else {
                        raw.to_owned()
                    };
                    parts.push(TemplatePart::Literal(text));
                }
                Rule::template_hole => {
                    let mut h = part.into_inner();
                    let Some(e) = h.next() else { continue };
                    let expr = self.expr(e, 0)?;
                    let format = h.next().map(|f| f.as_str().to_string());
                    parts.push(TemplatePart::Hole { expr, format });
                }
                _ => {}
            }
        }
        Ok(MessageText {
            lang: self.ident(&lang),
            template: Template { parts },
        })
    }

    fn stmt(&self, pair: Pair<'_>) -> Res<Stmt> {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::let_stmt => {
                let mut it = children(pair);
                let (Some(name), Some(value)) = (it.next(), it.next()) else {
                    return Err(RawDiagnostic::new(Code::E101, span.0, "incomplete `let`"));
                };
                Ok(Stmt::Let(Let {
                    name: self.ident(&name),
                    value: self.expr(value, 0)?,
                    span,
                }))
            }
            Rule::insufficient_stmt => {
                let Some(cond) = children(pair).next() else {
                    return Err(RawDiagnostic::new(
                        Code::E101,
                        span.0,
                        "`insufficient unless` without a condition",
                    ));
                };
                let value = self.expr(cond, 0)?;
                let name = Ident {
                    name: String::new(),
                    span,
                };
                Ok(Stmt::Insufficient(Let { name, value, span }))
            }
            Rule::remedied => {
                let Some(cond) = children(pair).next() else {
                    return Err(RawDiagnostic::new(
                        Code::E101,
                        span.0,
                        "`remedied when` without a condition",
                    ));
                };
                let value = self.expr(cond, 0)?;
                let name = Ident {
                    name: String::new(),
                    span,
                };
                Ok(Stmt::Remedied(Let { name, value, span }))
            }
            Rule::for_stmt => {
                let mut bindings = Vec::new();
                let mut body = Vec::new();
                for p in children(pair) {
                    if p.as_rule() == Rule::binding {
                        bindings.push(self.binding(p, 0)?);
                    } else {
                        body.push(self.stmt(p)?);
                    }
                }
                Ok(Stmt::For(For {
                    bindings,
                    body,
                    span,
                }))
            }
            _ => {
                let mut it = children(pair);
                let Some(cond) = it.next() else {
                    return Err(RawDiagnostic::new(
                        Code::E101,
                        span.0,
                        "`require` without a condition",
                    ));
                };
                let mut req = Require {
                    condition: self.expr(cond, 0)?,
                    name: None,
                    messages: Vec::new(),
                    severity: None,
                    remediation: None,
                    remedied: None,
                    basis: None,
                    severe: None,
                    expected: Vec::new(),
                    span,
                };
                for p in it {
                    match p.as_rule() {
                        Rule::message => {
                            for t in children(p) {
                                req.messages.push(self.message_text(t)?);
                            }
                        }
                        Rule::named => {
                            let Some(name) = children(p).next() else {
                                continue;
                            };
                            if req.name.is_some() {
                                return Err(RawDiagnostic::new(
                                    Code::E101,
                                    self.span(&name).0,
                                    "a requirement named twice",
                                )
                                .label("named again here")
                                .help("a requirement has one `named`; remove one"));
                            }
                            req.name = Some(self.ident(&name));
                        }
                        Rule::severity => req.severity = Some(self.severity(p)?),
                        Rule::remediation => req.remediation = Some(self.remediation(p)?),
                        Rule::basis => self.basis(p, &mut req.basis)?,
                        Rule::severe => self.severe(p, &mut req.severe)?,
                        Rule::expected => {
                            if !req.expected.is_empty() {
                                return Err(Self::twice("expected", self.span(&p)));
                            }
                            for t in children(p) {
                                req.expected.push(self.message_text(t)?);
                            }
                        }
                        Rule::remedied => {
                            if let Some(e) = children(p).next() {
                                req.remedied = Some(self.expr(e, 0)?);
                            }
                        }
                        _ => {}
                    }
                }
                Ok(Stmt::Require(req))
            }
        }
    }
}
