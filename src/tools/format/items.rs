//! Formatting, the layout of declarations: the syntax tree of a file → the header, imports,
//! parameters, tables, the evidence declaration, definitions and functions, clauses with their
//! metadata in a fixed order, and statements.

use super::doc::{Doc, render};
use super::expr::{binding_doc, escape_into, quote};
use super::printer::{Blank, Printer};
use crate::ast::{
    Binding, Clause, Collection, Deadline, Expr, FieldDetails, File, For, Header, Item, Level,
    MessageText, Param, Remediation, Require, Severe, SeveritySpec, Shape, ShapeObject, Stmt,
    Table, Template, TemplatePart,
};
use crate::syntax::Anchor;

fn level_name(level: Level) -> &'static str {
    match level {
        Level::Critical => "critical",
        Level::Major => "major",
        Level::Minor => "minor",
    }
}

/// Is `key` written bare in a table (`CN: 16`) rather than quoted?
fn bare_key(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl Printer<'_> {
    /// A whole file: header, imports, then its items, with blank lines around blocks.
    pub(super) fn file(&mut self, file: &File) {
        if let Some(header) = &file.header {
            self.header(header);
        }
        let mut after_block = file.header.is_some();
        for import in &file.imports {
            let blank = if after_block {
                Blank::Always
            } else {
                Blank::Source
            };
            after_block = false;
            self.element(import.span.0.start as usize, 0, blank);
            self.out.line(0, &format!("import {}", quote(&import.path)));
        }
        after_block |= !file.imports.is_empty();
        for item in &file.items {
            let (start, block) = match item {
                Item::Param(p) => (p.span.0.start, false),
                Item::Table(t) => (t.span.0.start, !t.entries.is_empty()),
                Item::Clause(c) => (c.span.0.start, true),
                Item::Evidence(s) => {
                    let brace = s.span.0.start as usize;
                    let keyword = self
                        .anchors
                        .iter()
                        .rev()
                        .find(|&&(k, at)| k == Anchor::Evidence && at <= brace)
                        .map_or(brace, |&(_, at)| at);
                    (u32::try_from(keyword).unwrap_or(s.span.0.start), true)
                }
                Item::Let(l) => (l.span.0.start, false),
                Item::Function(f) => (f.span.0.start, false),
                Item::Collection(c) => (c.span.0.start, false),
            };
            let blank = if block || after_block {
                Blank::Always
            } else {
                Blank::Source
            };
            after_block = block;
            self.element(start as usize, 0, blank);
            match item {
                Item::Param(p) => self.param(p),
                Item::Table(t) => self.table(t),
                Item::Clause(c) => self.clause(c),
                Item::Evidence(s) => self.evidence(s),
                Item::Let(l) => {
                    let doc = self.headed(format!("let {} = ", l.name.name), &l.value);
                    self.emit(0, &doc);
                }
                Item::Collection(c) => self.collection(c),
                Item::Function(f) => {
                    let params: Vec<&str> = f.params.iter().map(|p| p.name.as_str()).collect();
                    let head = format!("let {}({}) =", f.name.name, params.join(", "));
                    let body = self.slot(&f.body).align();
                    let doc = Doc::Concat(vec![
                        Doc::text(head),
                        Doc::Concat(vec![Doc::Line, body]).nest(2).group(),
                    ]);
                    self.emit(0, &doc);
                }
            }
        }
        self.comments_before(usize::MAX, 0, Blank::Source);
    }

    fn header(&mut self, h: &Header) {
        self.element(h.span.0.start as usize, 0, Blank::Never);
        if h.titles.is_empty() {
            self.out
                .line(0, &format!("pack {} {}", h.name.name, quote(&h.title)));
        } else {
            self.out.line(0, &format!("pack {}", h.name.name));
            let texts = h
                .titles
                .iter()
                .map(|t| Doc::text(format!("{} {}", t.lang.name, quote(&t.text))))
                .collect();
            self.emit(2, &Doc::Concat(vec![Doc::text("title "), lines(texts)]));
        }
        if let Some(edition) = &h.edition {
            self.out.line(2, &format!("edition {}", quote(edition)));
        }
        if !h.languages.is_empty() {
            let langs: Vec<&str> = h.languages.iter().map(|l| l.name.as_str()).collect();
            self.out.line(2, &format!("languages {}", langs.join(", ")));
        }
        if let Some(as_of) = &h.as_of {
            let doc = self.headed("as_of from ", as_of);
            self.emit(2, &doc);
        }
        if !h.subject.is_empty() {
            let fields = h
                .subject
                .iter()
                .map(|(name, e)| self.headed(format!("{} from ", name.name), e))
                .collect();
            let doc = Doc::Concat(vec![
                Doc::text("subject "),
                Doc::join(fields, ",").align().group(),
            ]);
            self.emit(2, &doc);
        }
        for l in &h.labels {
            // Comments written before a `labels` line stay before it.
            self.element(l.span.0.start as usize, 2, Blank::Never);
            let list: Vec<&str> = l.list.iter().map(|n| n.name.as_str()).collect();
            let fields = l
                .fields
                .iter()
                .map(|(name, field)| {
                    Doc::text(if name.name == field.name {
                        name.name.clone()
                    } else {
                        format!("{} from {}", name.name, field.name)
                    })
                })
                .collect();
            let doc = Doc::Concat(vec![
                Doc::text(format!("labels {} from {}: ", l.key.name, list.join("."))),
                Doc::join(fields, ",").align().group(),
            ]);
            self.emit(2, &doc);
        }
    }

    /// `collection NAME = var in source where filter`, then `insufficient when empty` on a
    /// line of its own.
    fn collection(&mut self, c: &Collection) {
        let mut parts = vec![
            Doc::text(format!("collection {} = ", c.name.name)),
            self.binding(&c.binding).align().group(),
        ];
        if c.insufficient_when_empty {
            parts.push(
                Doc::Concat(vec![Doc::HardLine, Doc::text("insufficient when empty")]).nest(2),
            );
        }
        self.emit(0, &Doc::Concat(parts));
    }

    /// `param NAME: TYPE = DEFAULT`, then its metadata one line each in a fixed order:
    /// `title`, `at least … at most …`, `overridden by …`, `source …`.
    fn param(&mut self, p: &Param) {
        let head = Doc::Concat(vec![
            Doc::text(format!("param {}: {} = ", p.name.name, p.ty.name)),
            self.slot(&p.default).align(),
        ]);
        self.emit(0, &head);
        let (lo, hi) = (p.default.span.0.end as usize, p.span.0.end as usize);
        if !p.titles.is_empty() {
            self.meta(Anchor::Title, lo, hi, 2);
            let texts = p
                .titles
                .iter()
                .map(|t| Doc::text(format!("{} {}", t.lang.name, quote(&t.text))))
                .collect();
            self.emit(2, &Doc::Concat(vec![Doc::text("title "), lines(texts)]));
        }
        let bounds: Vec<Doc> = [("at least ", &p.at_least), ("at most ", &p.at_most)]
            .into_iter()
            .filter_map(|(word, bound)| {
                let bound = bound.as_ref()?;
                Some(Doc::Concat(vec![Doc::text(word), self.slot(bound).align()]))
            })
            .collect();
        if !bounds.is_empty() {
            self.meta(Anchor::Bound, lo, hi, 2);
            self.emit(2, &Doc::join(bounds, "").group());
        }
        if let Some(path) = &p.overridden_by {
            self.meta(Anchor::OverriddenBy, lo, hi, 2);
            self.out
                .line(2, &format!("overridden by {}", path.dotted()));
        }
        if let Some(source) = &p.source {
            self.meta(Anchor::Source, lo, hi, 2);
            self.out.line(2, &format!("source {}", quote(source)));
        } else if !p.sources.is_empty() {
            self.meta(Anchor::Source, lo, hi, 2);
            let texts = p
                .sources
                .iter()
                .map(|t| Doc::text(format!("{} {}", t.lang.name, quote(&t.text))))
                .collect();
            self.emit(2, &Doc::Concat(vec![Doc::text("source "), lines(texts)]));
        }
    }

    fn table(&mut self, t: &Table) {
        let mut head = vec![Doc::text(format!("table {}: {}", t.name.name, t.ty.name))];
        if let Some(default) = &t.default {
            head.push(Doc::text(" default "));
            head.push(self.slot(default).align());
        }
        // The titles and the source follow on the first line when it fits, else each on a
        // line of its own, four columns in (the entries are two in).
        let titles = inline_texts(&t.titles).map(|titles| format!("title {titles}"));
        let source =
            inline_source(t.source.as_deref(), &t.sources).map(|source| format!("source {source}"));
        for meta in titles.into_iter().chain(source) {
            head.push(Doc::Nest(
                4,
                Box::new(Doc::Concat(vec![Doc::Line, Doc::text(meta)])),
            ));
        }
        let end = t.span.0.end as usize;
        if t.entries.is_empty() && !self.has_comment_in(t.span.0.start as usize, end) {
            head.push(Doc::text(" {}"));
            self.emit(0, &Doc::Concat(head).group());
            return;
        }
        head.push(Doc::text(" {"));
        self.emit(0, &Doc::Concat(head).group());
        self.out.block_start = true;
        for entry in &t.entries {
            self.element(entry.key_span.0.start as usize, 2, Blank::Source);
            let key = if bare_key(&entry.key) {
                entry.key.clone()
            } else {
                quote(&entry.key)
            };
            let mut parts = vec![
                Doc::text(format!("{key}: ")),
                self.slot(&entry.value).align(),
            ];
            if let Some(source) = inline_source(entry.source.as_deref(), &entry.sources) {
                parts.push(Doc::text(format!(" source {source}")));
            }
            parts.push(Doc::text(","));
            self.emit(2, &Doc::Concat(parts));
        }
        self.comments_before(end, 2, Blank::Source);
        self.out.line(0, "}");
    }

    fn evidence(&mut self, shape: &ShapeObject) {
        self.shape_block("evidence ", shape, "", 0);
    }

    /// Writes `prefix{`, the fields, and `}suffix`.
    fn shape_block(&mut self, prefix: &str, obj: &ShapeObject, suffix: &str, indent: usize) {
        let (start, end) = (obj.span.0.start as usize, obj.span.0.end as usize);
        if obj.fields.is_empty() && !self.has_comment_in(start, end) {
            self.out.line(indent, &format!("{prefix}{{}}{suffix}"));
            return;
        }
        self.out.line(indent, &format!("{prefix}{{"));
        self.out.block_start = true;
        for (i, (name, shape)) in obj.fields.iter().enumerate() {
            let key = obj.keys.iter().find(|(k, _)| *k == i).map(|(_, at)| at);
            let start = key.map_or(name.span.0.start, |at| at.0.start);
            self.element(start as usize, indent + 2, Blank::Source);
            let field = if key.is_some() {
                format!("key {}", name.name)
            } else {
                name.name.clone()
            };
            // Lists around an object: `name: [{`, the fields, `}]`.
            let mut depth = 0;
            let mut inner = shape;
            while let Shape::List(item) = inner {
                depth += 1;
                inner = item;
            }
            match inner {
                Shape::Object(o) => {
                    let open = format!("{field}: {}", "[".repeat(depth));
                    self.shape_block(&open, o, &"]".repeat(depth), indent + 2);
                }
                _ => {
                    let doc = Doc::Concat(vec![Doc::text(format!("{field}: ")), shape_doc(shape)]);
                    self.emit(indent + 2, &doc);
                }
            }
            if let Some(d) = obj.details(i) {
                for line in details_docs(d) {
                    self.emit(indent + 4, &line);
                }
            }
        }
        self.comments_before(end, indent + 2, Blank::Source);
        self.out.line(indent, &format!("}}{suffix}"));
    }

    // ---- clauses ----------------------------------------------------------------------------

    fn clause(&mut self, c: &Clause) {
        self.out.line(0, &format!("clause {}", c.id));
        self.out.block_start = true;
        // The metadata lines lie between the id and the first statement.
        let lo = c.id_span.0.end as usize;
        let hi = c.body.first().map_or(c.span.0.end as usize, stmt_start);
        if !c.titles.is_empty() {
            self.meta(Anchor::Title, lo, hi, 2);
            let texts = c
                .titles
                .iter()
                .map(|t| Doc::text(format!("{} {}", t.lang.name, quote(&t.text))))
                .collect();
            self.emit(2, &Doc::Concat(vec![Doc::text("title "), lines(texts)]));
        }
        if !c.references.is_empty() {
            self.meta(Anchor::References, lo, hi, 2);
            let doc = Doc::Concat(vec![
                Doc::text("references "),
                Doc::fill(c.references.iter().map(|r| Doc::text(quote(r))).collect())
                    .align()
                    .group(),
            ]);
            self.emit(2, &doc);
        }
        if let Some(severity) = &c.severity {
            self.severity(severity, (lo, hi), 2);
        }
        if let Some(scope) = &c.scope {
            self.meta(Anchor::Scope, lo, hi, 2);
            let doc = self.headed("applies when ", scope);
            self.emit(2, &doc);
        }
        if let Some(examined) = &c.examined {
            self.meta(Anchor::Examined, lo, hi, 2);
            let doc = self.headed("examined when ", examined);
            self.emit(2, &doc);
        }
        self.finding_meta(c.basis.as_ref(), c.severe.as_ref(), (lo, hi), 2);
        if let Some(remediation) = &c.remediation {
            self.remediation(remediation, (lo, hi), 2);
        }
        if let Some(remedied) = &c.remedied {
            self.remedied(remedied, (lo, hi), 2);
        }
        self.out.block_start = false;
        self.stmts(&c.body, 2);
    }

    /// `basis EXPR` and `severe "CATEGORY" when COND`, whose lines start in `range`.
    fn finding_meta(
        &mut self,
        basis: Option<&Expr>,
        severe: Option<&Severe>,
        (lo, hi): (usize, usize),
        indent: usize,
    ) {
        if let Some(basis) = basis {
            self.meta(Anchor::Basis, lo, hi, indent);
            let doc = self.headed("basis ", basis);
            self.emit(indent, &doc);
        }
        if let Some(severe) = severe {
            self.meta(Anchor::Severe, lo, hi, indent);
            let head = format!("severe {}", quote(&severe.category));
            let doc = match &severe.when {
                Some(when) => self.headed(format!("{head} when "), when),
                None => Doc::text(head),
            };
            self.emit(indent, &doc);
        }
    }

    /// `severity …`, whose line starts in `range`.
    fn severity(&mut self, s: &SeveritySpec, (lo, hi): (usize, usize), indent: usize) {
        self.meta(Anchor::Severity, lo, hi, indent);
        let doc = match s {
            SeveritySpec::Fixed(level) => Doc::text(format!("severity {}", level_name(*level))),
            SeveritySpec::Cases {
                cases, otherwise, ..
            } => {
                let mut docs: Vec<Doc> = cases
                    .iter()
                    .map(|(level, e)| self.headed(format!("{} when ", level_name(*level)), e))
                    .collect();
                if let Some(level) = otherwise {
                    docs.push(Doc::text(format!("{} otherwise", level_name(*level))));
                }
                // Several cases read as a table: one a line.
                let mut parts = Vec::new();
                for (i, d) in docs.into_iter().enumerate() {
                    if i > 0 {
                        parts.push(Doc::text(","));
                        parts.push(Doc::HardLine);
                    }
                    parts.push(d);
                }
                Doc::Concat(vec![Doc::text("severity "), Doc::Concat(parts).align()])
            }
        };
        self.emit(indent, &doc);
    }

    /// `remediation …`, whose line starts in `range`: the texts, then a line for the deadline
    /// (with its `from`), for `agreed` and for `plan`.
    fn remediation(&mut self, r: &Remediation, (lo, hi): (usize, usize), indent: usize) {
        self.meta(Anchor::Remediation, lo, hi, indent);
        let mut parts = vec![Doc::text("remediation "), self.templates(&r.texts)];
        let mut line = Vec::new();
        if let Some(deadline) = &r.deadline {
            let (word, e) = match deadline {
                Deadline::Within(e) => ("within ", e),
                Deadline::Due(e) => ("due ", e),
            };
            line.push(self.headed(word, e));
        }
        if let Some(from) = &r.from {
            let sep = if line.is_empty() { "from " } else { " from " };
            line.push(self.headed(sep, from));
        }
        let mut lines = vec![line];
        for (word, e) in [("agreed ", &r.agreed), ("plan ", &r.plan)] {
            if let Some(e) = e {
                lines.push(vec![self.headed(word, e)]);
            }
        }
        for line in lines.into_iter().filter(|l| !l.is_empty()) {
            let mut doc = vec![Doc::HardLine];
            doc.extend(line);
            parts.push(Doc::Concat(doc).nest(2));
        }
        self.emit(indent, &Doc::Concat(parts));
    }

    fn templates(&mut self, texts: &[MessageText]) -> Doc {
        let docs = texts
            .iter()
            .map(|t| Doc::text(format!("{} {}", t.lang.name, self.template(&t.template))))
            .collect();
        lines(docs)
    }

    fn template(&mut self, t: &Template) -> String {
        let mut out = String::from("\"");
        for part in &t.parts {
            match part {
                TemplatePart::Literal(s) => escape_into(&mut out, s, true),
                TemplatePart::Hole { expr, format } => {
                    out.push('{');
                    // A template is one line: the hole is laid out flat.
                    out.push_str(&render(&self.expr(expr), usize::MAX / 2, 0, 0));
                    if let Some(f) = format {
                        out.push(':');
                        out.push_str(f);
                    }
                    out.push('}');
                }
            }
        }
        out.push('"');
        out
    }

    fn stmts(&mut self, body: &[Stmt], indent: usize) {
        for stmt in body {
            match stmt {
                Stmt::Let(l) => {
                    self.element(l.span.0.start as usize, indent, Blank::Source);
                    let doc = self.headed(format!("let {} = ", l.name.name), &l.value);
                    self.emit(indent, &doc);
                }
                Stmt::Insufficient(l) => {
                    self.element(l.span.0.start as usize, indent, Blank::Source);
                    let doc = self.headed("insufficient unless ", &l.value);
                    self.emit(indent, &doc);
                }
                Stmt::Remedied(l) => {
                    self.element(l.span.0.start as usize, indent, Blank::Source);
                    let doc = self.headed("remedied when ", &l.value);
                    self.emit(indent, &doc);
                }
                Stmt::For(f) => self.for_stmt(f, indent),
                Stmt::Require(r) => self.require(r, indent),
            }
        }
    }

    /// `remedied when …`, whose line starts in `range`.
    fn remedied(&mut self, e: &Expr, (lo, hi): (usize, usize), indent: usize) {
        self.meta(Anchor::Remedied, lo, hi, indent);
        let doc = self.headed("remedied when ", e);
        self.emit(indent, &doc);
    }

    /// `head` and an expression aligned after it: `applies when …`, `let x = …`.
    fn headed(&mut self, head: impl Into<String>, e: &Expr) -> Doc {
        Doc::Concat(vec![Doc::text(head), self.slot(e).align()])
    }

    fn for_stmt(&mut self, f: &For, indent: usize) {
        self.element(f.span.0.start as usize, indent, Blank::Source);
        let bindings = f.bindings.iter().map(|b| self.binding(b)).collect();
        let doc = Doc::Concat(vec![
            Doc::text("for each "),
            Doc::join(bindings, ",").align().group(),
            Doc::text(":"),
        ]);
        self.emit(indent, &doc);
        self.out.block_start = true;
        self.stmts(&f.body, indent + 2);
        self.comments_before(f.span.0.end as usize, indent + 2, Blank::Source);
        self.out.line(indent, "end");
    }

    fn binding(&mut self, b: &Binding) -> Doc {
        let collection = self.slot(&b.collection);
        let filter = b.filter.as_ref().map(|f| self.slot(f));
        binding_doc(&b.var.name, collection, filter)
    }

    fn require(&mut self, r: &Require, indent: usize) {
        self.element(r.span.0.start as usize, indent, Blank::Source);
        let doc = self.headed("require ", &r.condition);
        self.emit(indent, &doc);
        let inner = indent + 2;
        let range = (r.condition.span.0.end as usize, r.span.0.end as usize);
        if let Some(name) = &r.name {
            self.meta(Anchor::Named, range.0, range.1, inner);
            self.out.line(inner, &format!("named {}", name.name));
        }
        if !r.messages.is_empty() {
            self.meta(Anchor::Message, range.0, range.1, inner);
            let doc = Doc::Concat(vec![Doc::text("message "), self.templates(&r.messages)]);
            self.emit(inner, &doc);
        }
        if !r.expected.is_empty() {
            self.meta(Anchor::Expected, range.0, range.1, inner);
            let doc = Doc::Concat(vec![Doc::text("expected "), self.templates(&r.expected)]);
            self.emit(inner, &doc);
        }
        if let Some(severity) = &r.severity {
            self.severity(severity, range, inner);
        }
        self.finding_meta(r.basis.as_ref(), r.severe.as_ref(), range, inner);
        if let Some(remediation) = &r.remediation {
            self.remediation(remediation, range, inner);
        }
        if let Some(remedied) = &r.remedied {
            self.remedied(remedied, range, inner);
        }
    }
}

/// Where a statement starts.
fn stmt_start(s: &Stmt) -> usize {
    match s {
        Stmt::Let(l) | Stmt::Insufficient(l) | Stmt::Remedied(l) => l.span.0.start as usize,
        Stmt::For(f) => f.span.0.start as usize,
        Stmt::Require(r) => r.span.0.start as usize,
    }
}

/// Texts one under the other, aligned where the first starts.
fn lines(docs: Vec<Doc>) -> Doc {
    let mut parts = Vec::with_capacity(docs.len() * 2);
    for (i, d) in docs.into_iter().enumerate() {
        if i > 0 {
            parts.push(Doc::HardLine);
        }
        parts.push(d);
    }
    Doc::Concat(parts).align()
}

/// A field's `description LANG "…" …` and `document LANG "…" …` (the texts aligned when they
/// do not fit one line) and `filled by WHO`, one line each.
fn details_docs(d: &FieldDetails) -> Vec<Doc> {
    let mut out = Vec::new();
    for (word, texts) in [("description", &d.descriptions), ("document", &d.documents)] {
        if texts.is_empty() {
            continue;
        }
        let texts = texts
            .iter()
            .map(|t| Doc::text(format!("{} {}", t.lang.name, quote(&t.text))))
            .collect();
        out.push(Doc::Concat(vec![
            Doc::text(format!("{word} ")),
            Doc::join(texts, "").align().group(),
        ]));
    }
    if let Some(f) = &d.filled_by {
        out.push(Doc::text(format!("filled by {}", f.name)));
    }
    out
}

fn shape_doc(shape: &Shape) -> Doc {
    match shape {
        Shape::Scalar(id) => Doc::text(id.name.clone()),
        Shape::List(inner) => Doc::Concat(vec![Doc::text("["), shape_doc(inner), Doc::text("]")]),
        Shape::Enum(options) => {
            let options = options.iter().map(|o| Doc::text(quote(o))).collect();
            Doc::fill_with(options, "", "| ").align().group()
        }
        Shape::Object(o) => {
            // Objects inside enumerations or scalars do not occur; lists of objects are blocks.
            let fields = o
                .fields
                .iter()
                .enumerate()
                .map(|(i, (n, s))| {
                    let key = if o.is_key(i) { "key " } else { "" };
                    let mut parts = vec![Doc::text(format!("{key}{}: ", n.name)), shape_doc(s)];
                    for d in o.details(i).map(details_docs).into_iter().flatten() {
                        parts.push(Doc::Line);
                        parts.push(d);
                    }
                    Doc::Concat(parts)
                })
                .collect();
            Doc::Concat(vec![
                Doc::text("{ "),
                Doc::join(fields, ","),
                Doc::text(" }"),
            ])
            .group()
        }
    }
}

/// A table's or a row's source on one line: `"…"`, or `en "…" sv "…"`; `None` without one.
fn inline_source(plain: Option<&str>, sources: &[crate::ast::Text]) -> Option<String> {
    match plain {
        Some(plain) => Some(quote(plain)),
        None => inline_texts(sources),
    }
}

/// `en "…" sv "…"` on one line, or `None` for no texts.
fn inline_texts(texts: &[crate::ast::Text]) -> Option<String> {
    let texts: Vec<String> = texts
        .iter()
        .map(|t| format!("{} {}", t.lang.name, quote(&t.text)))
        .collect();
    (!texts.is_empty()).then(|| texts.join(" "))
}
