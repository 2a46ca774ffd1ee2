//! Checking, the declaration pass: parameters, tables, pack-level functions and definitions
//! (AST declarations → entries of the checker's [`Declarations`](super::Declarations)), and
//! the constants they hold (folded to [`Const`]); reports E205, E304 and E305 (a parameter's
//! titles, bounds and `overridden by` in `params`).

use std::collections::HashMap;
use std::sync::Arc;

use super::expr::is_builtin;
use super::{
    Checker, Declared, DefinitionEntry, Frame, FunctionEntry, ParamEntry, ParsedFile, TableEntry,
    post_order,
};
use crate::ast;
use crate::diagnostic::{Code, RawDiagnostic, did_you_mean};
use crate::program::{Const, Expr, FunctionDef, ParamDef, TableDef, Type, WrittenEntry};
use crate::source::Span;

impl Checker<'_> {
    pub(super) fn type_from_name(&mut self, id: &ast::Ident) -> Type {
        match id.name.as_str() {
            "number" => Type::Number,
            "string" => Type::String,
            "bool" => Type::Bool,
            "date" => Type::Date,
            "duration" => Type::Duration,
            "any" => Type::Any,
            other => {
                let help = did_you_mean(
                    other,
                    ["number", "string", "bool", "date", "duration", "any"],
                );
                self.error(
                    RawDiagnostic::new(Code::E304, id.span.0, format!("unknown type `{other}`"))
                        .maybe_help(help.or_else(|| {
                            Some("types are number, string, bool, date, duration".into())
                        })),
                );
                Type::Any
            }
        }
    }

    /// Whether `name` is free at pack level; E205 if a parameter, table, definition or
    /// function has it already.
    pub(super) fn define_global(&mut self, kind: &str, name: &ast::Ident) -> bool {
        if let Some(first) = self.decls.find(&name.name) {
            let loc = self.sources.loaded_location(first);
            self.error(
                RawDiagnostic::new(
                    Code::E205,
                    name.span.0,
                    format!("{kind} `{}` is defined twice", name.name),
                )
                .help(format!("the first definition is at {loc}")),
            );
            return false;
        }
        true
    }

    /// Where a declaration of `name` made in the current file is, with the next `index`.
    pub(super) fn declared(&self, index: usize, name: &ast::Ident) -> Declared {
        Declared {
            index,
            file: self.file,
            span: name.span.0,
            used: false,
        }
    }

    /// The pack-level functions and definitions of every file, imported files first so that a
    /// definition may use those of the files it imports; returns the definitions' values.
    pub(super) fn definitions(&mut self, files: &[ParsedFile]) -> Vec<Expr> {
        self.begin_scope_root();
        let mut definitions = Vec::new();
        for f in post_order(files).iter().filter_map(|&i| files.get(i)) {
            self.file = f.id;
            for item in &f.ast.items {
                if let ast::Item::Function(f) = item {
                    self.function(f);
                }
                if let ast::Item::Collection(c) = item {
                    self.collection(c);
                }
                if let ast::Item::Let(l) = item {
                    let (e, ty) = self.expr(&l.value);
                    if self.define_global("definition", &l.name) {
                        let at = self.declared(definitions.len(), &l.name);
                        self.decls
                            .definitions
                            .insert(l.name.name.clone(), DefinitionEntry { at, ty });
                    }
                    definitions.push(e);
                }
            }
        }
        definitions
    }

    /// A pack-level function: its body is checked in a scope of its own parameters.
    fn function(&mut self, f: &ast::Function) {
        if is_builtin(&f.name.name) {
            self.error(
                RawDiagnostic::new(
                    Code::E205,
                    f.name.span.0,
                    format!("`{}` is a builtin function", f.name.name),
                )
                .help("choose another name"),
            );
            return;
        }
        let saved = std::mem::replace(&mut self.frame, Frame::new());
        for p in &f.params {
            self.bind(p, Type::Any);
        }
        let (body, result) = self.expr(&f.body);
        let slots = self.frame.max_slot;
        self.frame = saved;
        if self.define_global("function", &f.name) {
            let at = self.declared(self.decls.functions.len(), &f.name);
            self.decls.functions.insert(
                f.name.name.clone(),
                FunctionEntry {
                    at,
                    arity: f.params.len(),
                    result,
                    def: FunctionDef { body, slots },
                },
            );
        }
    }

    pub(super) fn param(&mut self, p: &ast::Param) {
        let ty = self.type_from_name(&p.ty);
        let default = self.constant(&p.default, &ty);
        let titles = self.titles(&p.titles);
        let sources = self.sources(
            &format!("parameter `{}`", p.name.name),
            p.name.span.0,
            &p.sources,
        );
        let (at_least, at_most) = self.param_bounds(p, &ty, &default);
        if !self.define_global("parameter", &p.name) {
            return;
        }
        let at = self.declared(self.decls.params.len(), &p.name);
        // `overridden_by` is resolved once every evidence declaration is known.
        let def = ParamDef {
            name: p.name.name.clone(),
            ty,
            default,
            source: p.source.clone(),
            sources,
            titles,
            at_least,
            at_most,
            overridden_by: None,
        };
        self.decls
            .params
            .insert(p.name.name.clone(), ParamEntry { at, def });
    }

    pub(super) fn table(&mut self, t: &ast::Table) {
        let ty = self.type_from_name(&t.ty);
        let default = t.default.as_ref().map(|d| self.constant(d, &ty));
        let mut entries = HashMap::new();
        for e in &t.entries {
            let v = self.constant(&e.value, &ty);
            if entries.insert(e.key.clone(), v).is_some() {
                self.error(RawDiagnostic::new(
                    Code::E205,
                    e.key_span.0,
                    format!("key `{}` appears twice in table `{}`", e.key, t.name.name),
                ));
            }
        }
        let titles = self.titles(&t.titles);
        let sources = self.sources(
            &format!("table `{}`", t.name.name),
            t.name.span.0,
            &t.sources,
        );
        let written: Vec<WrittenEntry> = t
            .entries
            .iter()
            .map(|e| WrittenEntry {
                key: e.key.clone(),
                source: e.source.clone(),
                sources: self.sources(
                    &format!("the row `{}` of table `{}`", e.key, t.name.name),
                    e.key_span.0,
                    &e.sources,
                ),
            })
            .collect();
        if !self.define_global("table", &t.name) {
            return;
        }
        let at = self.declared(self.decls.tables.len(), &t.name);
        let def = TableDef {
            name: t.name.name.clone(),
            ty,
            default,
            entries,
            titles,
            source: t.source.clone(),
            sources,
            written,
        };
        self.decls
            .tables
            .insert(t.name.name.clone(), TableEntry { at, def });
    }

    /// W001, W002 and W004 for parameters, definitions and tables nothing reads. The reports
    /// read the table `value_words` and the word tables it names (`NAME_LANG`).
    pub(super) fn warn_unused(&mut self) {
        let words = crate::program::VALUE_WORDS_TABLE;
        let named: Vec<String> = self
            .decls
            .tables
            .get(words)
            .map(|t| {
                t.def
                    .entries
                    .values()
                    .filter_map(|v| match v {
                        Const::Str(names) => Some(names.to_string()),
                        _ => None,
                    })
                    .flat_map(|names| {
                        names
                            .split_whitespace()
                            .map(str::to_owned)
                            .collect::<Vec<_>>()
                    })
                    .collect()
            })
            .unwrap_or_default();
        let read_by_reports = |table: &str| {
            table == words
                || table
                    .rsplit_once('_')
                    .is_some_and(|(name, _)| named.iter().any(|n| n == name))
        };
        let mut warnings = Vec::new();
        for (name, e) in &self.decls.params {
            if !e.at.used {
                warnings.push(RawDiagnostic::new(
                    Code::W001,
                    e.at.span,
                    format!("parameter `{name}` is never used"),
                ));
            }
        }
        for (name, e) in &self.decls.definitions {
            if !e.at.used {
                warnings.push(RawDiagnostic::new(
                    Code::W004,
                    e.at.span,
                    format!("definition `{name}` is never used"),
                ));
            }
        }
        for (name, e) in &self.decls.tables {
            if !e.at.used && !read_by_reports(name) {
                warnings.push(RawDiagnostic::new(
                    Code::W002,
                    e.at.span,
                    format!("table `{name}` is never used"),
                ));
            }
        }
        self.diags.extend(warnings);
    }

    /// A constant of the declared type: literals, negative numbers, `date("…")`, `30 days`, lists.
    pub(super) fn constant(&mut self, e: &ast::Expr, ty: &Type) -> Const {
        let value = self.fold(e);
        match value {
            Some(v) => {
                if !v.ty().fits(ty) || v.ty() == Type::Null && *ty != Type::Null {
                    self.error(
                        RawDiagnostic::new(
                            Code::E305,
                            e.span.0,
                            format!("expected a {}, found a {}", ty.name(), v.ty().name()),
                        )
                        .label("wrong type"),
                    );
                }
                v
            }
            None => {
                self.error(
                    RawDiagnostic::new(Code::E305, e.span.0, "a parameter or table value must be a constant")
                        .label("not a constant")
                        .help("write a number, string, `true`/`false`, `date(\"YYYY-MM-DD\")` or a duration like `30 days`"),
                );
                Const::Null
            }
        }
    }

    /// Folds a constant expression; reports bad literals; `None` if not constant.
    pub(super) fn fold(&mut self, e: &ast::Expr) -> Option<Const> {
        use ast::ExprKind as K;
        match &e.kind {
            K::Number(text) => Some(Const::Number(self.number(text, e.span.0))),
            K::Str(s) => Some(Const::Str(Arc::from(s.as_str()))),
            K::Bool(b) => Some(Const::Bool(*b)),
            K::Null => Some(Const::Null),
            K::Unary(ast::UnaryOp::Neg, inner) => match self.fold(inner)? {
                Const::Number(n) => Some(Const::Number(n.neg())),
                _ => None,
            },
            K::List(items) => {
                let mut out = Vec::new();
                for i in items {
                    out.push(self.fold(i)?);
                }
                Some(Const::List(out.into()))
            }
            K::Call(name, args) if name.name == "date" && args.len() == 1 => {
                match args.first().map(|a| &a.kind) {
                    Some(K::Str(s)) => Some(Const::Date(self.date_literal(s, e.span.0))),
                    _ => None,
                }
            }
            K::Duration(inner, unit) => match self.fold(inner)? {
                Const::Number(n) => Some(Const::Duration(self.duration(n, *unit, e.span.0))),
                _ => None,
            },
            _ => None,
        }
    }

    pub(super) fn number(&mut self, text: &str, span: Span) -> crate::number::Number {
        if let Some(n) = crate::number::Number::parse(text) {
            return n;
        }
        self.error(
            RawDiagnostic::new(
                Code::E304,
                span,
                format!("number `{text}` cannot be represented exactly"),
            )
            .help("numbers have at most 20 digits before and 18 after the decimal point"),
        );
        crate::number::Number::ZERO
    }

    pub(super) fn date_literal(&mut self, text: &str, span: Span) -> crate::date::Date {
        if let Some(d) = crate::date::Date::parse(text) {
            return d;
        }
        self.error(
            RawDiagnostic::new(Code::E304, span, format!("`{text}` is not a valid date"))
                .help("write dates as YYYY-MM-DD, e.g. `date(\"2024-10-31\")`"),
        );
        crate::date::Date::parse("1970-01-01").unwrap_or_default()
    }

    pub(super) fn duration(
        &mut self,
        n: crate::number::Number,
        unit: ast::Unit,
        span: Span,
    ) -> crate::date::Duration {
        use crate::date::Duration;
        let d = n.to_i64().and_then(|n| match unit {
            ast::Unit::Days => Duration::days(n),
            ast::Unit::Weeks => Duration::weeks(n),
            ast::Unit::Months => Duration::months(n),
            ast::Unit::Years => Duration::years(n),
        });
        d.unwrap_or_else(|| {
            self.error(RawDiagnostic::new(
                Code::E304,
                span,
                format!("`{n}` is not a whole number of units"),
            ));
            Duration::Days(0)
        })
    }
}
