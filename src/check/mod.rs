//! Checking: the ASTs of a pack's files → a resolved, typed [`Program`]; reports E2xx and
//! E3xx errors and W warnings, all of them at once.
//!
//! Names become slots (locals), indexes (parameters, tables) or evidence paths; constants are
//! folded; evidence paths are checked against the pack's `evidence` declaration.

pub(crate) mod analysis;
mod expr;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use indexmap::IndexMap;

use crate::ast;
use crate::diagnostic::{Code, RawDiagnostic, did_you_mean};
use crate::program::{
    ClauseDef, Const, DeadlineDef, ParamDef, Program, RemediationDef, SeverityRule, Shape, ShapeId,
    Stmt, TableDef, Template, TemplatePart, Type,
};
use crate::report::Severity;
use crate::source::{FileId, SourceMap, Span};

/// One parsed file of a pack with the files it imports.
pub(crate) struct ParsedFile {
    pub(crate) id: FileId,
    pub(crate) ast: ast::File,
    pub(crate) imports: Vec<FileId>,
}

/// Where a local lives and what it holds.
#[derive(Clone)]
struct Local {
    name: String,
    slot: usize,
    ty: Type,
}

/// What a template may refer to beyond ordinary names.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    /// Conditions, lets, collections.
    Plain,
    /// Messages: `actual`, `expected` and `severity` too.
    Message,
    /// Remediation texts and deadlines: `severity` too.
    Remediation,
}

pub(crate) struct Checker<'a> {
    sources: &'a SourceMap,
    diags: Vec<RawDiagnostic>,
    params: IndexMap<String, (usize, FileId, Span)>,
    param_defs: Vec<ParamDef>,
    tables: IndexMap<String, (usize, FileId, Span)>,
    table_defs: Vec<TableDef>,
    used_params: Vec<bool>,
    used_tables: Vec<bool>,
    /// Pack-level functions: name → (index, file, span, arity, result type).
    functions: IndexMap<String, (usize, FileId, Span, usize, Type)>,
    function_defs: Vec<crate::program::FunctionDef>,
    /// Pack-level definitions: name → (index, file, span, type).
    globals: IndexMap<String, (usize, FileId, Span, Type)>,
    used_globals: Vec<bool>,
    shapes: Vec<Shape>,
    evidence: Option<ShapeId>,
    visible: HashMap<FileId, HashSet<FileId>>,
    languages: Vec<String>,
    file: FileId,
    scopes: Vec<Vec<Local>>,
    next_slot: usize,
    max_slot: usize,
    context: Context,
}

/// Checks a whole pack. Files are in declaration order; the first holds the header.
pub(crate) fn check(
    sources: SourceMap,
    files: &[ParsedFile],
    digest: String,
) -> Result<(Program, Vec<RawDiagnostic>), (SourceMap, Vec<RawDiagnostic>)> {
    let mut c = Checker {
        sources: &sources,
        diags: Vec::new(),
        params: IndexMap::new(),
        param_defs: Vec::new(),
        tables: IndexMap::new(),
        table_defs: Vec::new(),
        used_params: Vec::new(),
        used_tables: Vec::new(),
        functions: IndexMap::new(),
        function_defs: Vec::new(),
        globals: IndexMap::new(),
        used_globals: Vec::new(),
        shapes: Vec::new(),
        evidence: None,
        visible: HashMap::new(),
        languages: Vec::new(),
        file: FileId(0),
        scopes: Vec::new(),
        next_slot: 0,
        max_slot: 0,
        context: Context::Plain,
    };
    for f in files {
        let mut vis: HashSet<FileId> = f.imports.iter().copied().collect();
        vis.insert(f.id);
        c.visible.insert(f.id, vis);
    }
    // The header.
    let headers: Vec<&ast::Header> = files.iter().filter_map(|f| f.ast.header.as_ref()).collect();
    for extra in headers.iter().skip(1) {
        c.diags.push(
            RawDiagnostic::new(Code::E107, extra.span.0, "a second pack header")
                .help("only the pack's root file starts with `pack`; remove this header"),
        );
    }
    let header = headers.first().copied();
    if header.is_none() {
        let span = files
            .first()
            .map(|f| Span::new(f.id, 0, 0))
            .unwrap_or_default();
        c.diags.push(
            RawDiagnostic::new(Code::E107, span, "the pack has no header")
                .help("start the root file with `pack NAME \"TITLE\" languages en`"),
        );
    }
    c.languages = header.map_or_else(
        || vec!["en".to_string()],
        |h| h.languages.iter().map(|l| l.name.clone()).collect(),
    );
    if c.languages.is_empty() {
        c.languages.push("en".into());
    }
    // Declarations first, so clauses may use them in any order.
    for f in files {
        c.file = f.id;
        for item in &f.ast.items {
            match item {
                ast::Item::Param(p) => c.param(p),
                ast::Item::Table(t) => c.table(t),
                ast::Item::Evidence(e) => c.evidence(e),
                ast::Item::Clause(_) | ast::Item::Let(_) | ast::Item::Function(_) => {}
            }
        }
    }
    // Definitions, imported files first, so a definition may use those of files it imports.
    let order = post_order(files);
    c.begin_scope_root();
    let mut definitions = Vec::new();
    for f in order.iter().filter_map(|&i| files.get(i)) {
        c.file = f.id;
        for item in &f.ast.items {
            if let ast::Item::Function(f) = item {
                c.function(f);
            }
            if let ast::Item::Let(l) = item {
                let (e, ty) = c.expr(&l.value);
                if c.define_global("definition", &l.name) {
                    c.globals.insert(
                        l.name.name.clone(),
                        (definitions.len(), f.id, l.name.span.0, ty),
                    );
                    c.used_globals.push(false);
                }
                definitions.push(e);
            }
        }
    }
    let definition_slots = c.max_slot;
    let mut program = Program {
        name: header.map(|h| h.name.name.clone()).unwrap_or_default(),
        title: header.map(|h| h.title.clone()).unwrap_or_default(),
        edition: header.and_then(|h| h.edition.clone()),
        languages: c.languages.clone(),
        as_of: None,
        subject: Vec::new(),
        params: Vec::new(),
        tables: Vec::new(),
        clauses: Vec::new(),
        sources: SourceMap::default(),
        digest,
        header_slots: 0,
        enum_sets: c
            .shapes
            .iter()
            .map(|s| match s {
                Shape::Enum(values) => values.clone(),
                _ => Vec::new(),
            })
            .collect(),
        functions: std::mem::take(&mut c.function_defs),
        shape_expects: (0..c.shapes.len())
            .map(|i| c.expect_for(ShapeId::try_from(i).unwrap_or(0)))
            .collect(),
        shapes: c.shapes.clone(),
        evidence_root: c.evidence,
        definitions,
    };
    if let (Some(h), Some(f)) = (header, files.iter().find(|f| f.ast.header.is_some())) {
        c.file = f.id;
        c.begin_scope_root();
        if let Some(e) = &h.as_of {
            let (e, ty) = c.expr(e);
            c.expect_type(&ty, &Type::Date, e.span, "`as_of from` must name a date");
            program.as_of = Some(e);
        }
        for (name, e) in &h.subject {
            let (e, _) = c.expr(e);
            program.subject.push((name.name.clone(), e));
        }
        program.header_slots = c.max_slot;
    }
    program.header_slots = program.header_slots.max(definition_slots);
    let mut seen: HashMap<String, Span> = HashMap::new();
    for f in files {
        c.file = f.id;
        for item in &f.ast.items {
            if let ast::Item::Clause(cl) = item {
                if let Some(first) = seen.get(&cl.id) {
                    let loc = c.sources.location(*first);
                    c.diags.push(
                        RawDiagnostic::new(
                            Code::E203,
                            cl.id_span.0,
                            format!("duplicate clause id `{}`", cl.id),
                        )
                        .label("defined again here")
                        .help(format!(
                            "the first definition is at {loc}; clause ids must be unique"
                        )),
                    );
                } else {
                    seen.insert(cl.id.clone(), cl.id_span.0);
                }
                if let Some(def) = c.clause(cl) {
                    program.clauses.push(def);
                }
            }
        }
    }
    // Warnings for definitions no clause uses.
    for (name, (idx, _, span)) in &c.params {
        if !c.used_params.get(*idx).copied().unwrap_or(true) {
            c.diags.push(RawDiagnostic::new(
                Code::W001,
                *span,
                format!("parameter `{name}` is never used"),
            ));
        }
    }
    for (name, (idx, _, span, _)) in &c.globals {
        if !c.used_globals.get(*idx).copied().unwrap_or(true) {
            c.diags.push(RawDiagnostic::new(
                Code::W004,
                *span,
                format!("definition `{name}` is never used"),
            ));
        }
    }
    for (name, (idx, _, span)) in &c.tables {
        if !c.used_tables.get(*idx).copied().unwrap_or(true) {
            c.diags.push(RawDiagnostic::new(
                Code::W002,
                *span,
                format!("table `{name}` is never used"),
            ));
        }
    }
    let mut diags = std::mem::take(&mut c.diags);
    program.params = std::mem::take(&mut c.param_defs);
    program.tables = std::mem::take(&mut c.table_defs);
    drop(c);
    diags.sort_by_key(|d| (d.span.file, d.span.start, d.code));
    if diags.iter().any(|d| !d.code.is_warning()) {
        return Err((sources, diags));
    }
    program.sources = sources;
    Ok((program, diags))
}

/// Indexes of `files` with every file after the files it imports (the root last).
fn post_order(files: &[ParsedFile]) -> Vec<usize> {
    fn visit(i: usize, files: &[ParsedFile], seen: &mut Vec<bool>, out: &mut Vec<usize>) {
        if seen.get(i).copied().unwrap_or(true) {
            return;
        }
        if let Some(s) = seen.get_mut(i) {
            *s = true;
        }
        if let Some(f) = files.get(i) {
            for imp in &f.imports {
                if let Some(j) = files.iter().position(|g| g.id == *imp) {
                    visit(j, files, seen, out);
                }
            }
        }
        out.push(i);
    }
    let mut seen = vec![false; files.len()];
    let mut out = Vec::new();
    for i in 0..files.len() {
        visit(i, files, &mut seen, &mut out);
    }
    out
}

fn level(l: ast::Level) -> Severity {
    match l {
        ast::Level::Minor => Severity::Minor,
        ast::Level::Major => Severity::Major,
        ast::Level::Critical => Severity::Critical,
    }
}

impl Checker<'_> {
    fn error(&mut self, d: RawDiagnostic) {
        self.diags.push(d);
    }

    fn begin_scope_root(&mut self) {
        self.scopes.clear();
        self.scopes.push(Vec::new());
        self.next_slot = 0;
        self.max_slot = 0;
    }

    fn type_from_name(&mut self, id: &ast::Ident) -> Type {
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

    fn define_global(&mut self, kind: &str, name: &ast::Ident) -> bool {
        let existing = self
            .params
            .get(&name.name)
            .or_else(|| self.tables.get(&name.name))
            .map(|(_, _, s)| *s)
            .or_else(|| self.globals.get(&name.name).map(|g| g.2))
            .or_else(|| self.functions.get(&name.name).map(|g| g.2));
        if let Some(first) = existing {
            let loc = self.sources.location(first);
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

    /// A pack-level function: its body is checked in a scope of its own parameters.
    fn function(&mut self, f: &ast::Function) {
        if self::expr::is_builtin(&f.name.name) {
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
        let saved = (
            std::mem::take(&mut self.scopes),
            self.next_slot,
            self.max_slot,
            self.context,
        );
        self.scopes = vec![Vec::new()];
        self.next_slot = 0;
        self.max_slot = 0;
        self.context = Context::Plain;
        for p in &f.params {
            self.bind(p, Type::Any);
        }
        let (body, ty) = self.expr(&f.body);
        let slots = self.max_slot;
        (self.scopes, self.next_slot, self.max_slot, self.context) = saved;
        if self.define_global("function", &f.name) {
            let idx = self.function_defs.len();
            self.functions.insert(
                f.name.name.clone(),
                (idx, self.file, f.name.span.0, f.params.len(), ty),
            );
            self.function_defs
                .push(crate::program::FunctionDef { body, slots });
        }
    }

    fn param(&mut self, p: &ast::Param) {
        let ty = self.type_from_name(&p.ty);
        let default = self.constant(&p.default, &ty);
        if !self.define_global("parameter", &p.name) {
            return;
        }
        let idx = self.param_defs.len();
        self.params
            .insert(p.name.name.clone(), (idx, self.file, p.name.span.0));
        self.used_params.push(false);
        self.param_defs.push(ParamDef {
            name: p.name.name.clone(),
            ty,
            default,
            source: p.source.clone(),
        });
    }

    fn table(&mut self, t: &ast::Table) {
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
        if !self.define_global("table", &t.name) {
            return;
        }
        let idx = self.table_defs.len();
        self.tables
            .insert(t.name.name.clone(), (idx, self.file, t.name.span.0));
        self.used_tables.push(false);
        self.table_defs.push(TableDef {
            name: t.name.name.clone(),
            ty,
            default,
            entries,
        });
    }

    /// A constant of the declared type: literals, negative numbers, `date("…")`, `30 days`, lists.
    fn constant(&mut self, e: &ast::Expr, ty: &Type) -> Const {
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
    fn fold(&mut self, e: &ast::Expr) -> Option<Const> {
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

    fn number(&mut self, text: &str, span: Span) -> crate::number::Number {
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

    fn date_literal(&mut self, text: &str, span: Span) -> crate::date::Date {
        if let Some(d) = crate::date::Date::parse(text) {
            return d;
        }
        self.error(
            RawDiagnostic::new(Code::E304, span, format!("`{text}` is not a valid date"))
                .help("write dates as YYYY-MM-DD, e.g. `date(\"2024-10-31\")`"),
        );
        crate::date::Date::parse("1970-01-01").unwrap_or_default()
    }

    fn duration(
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

    fn evidence(&mut self, e: &ast::ShapeObject) {
        if self.evidence.is_some() {
            self.error(
                RawDiagnostic::new(Code::E205, e.span.0, "the evidence is declared twice")
                    .help("declare the evidence once, in one file of the pack"),
            );
            return;
        }
        let id = self.shape_object(e);
        self.evidence = Some(id);
    }

    fn add_shape(&mut self, s: Shape) -> ShapeId {
        self.shapes.push(s);
        ShapeId::try_from(self.shapes.len() - 1).unwrap_or(0)
    }

    fn shape_object(&mut self, o: &ast::ShapeObject) -> ShapeId {
        let mut fields = IndexMap::new();
        for (name, shape) in &o.fields {
            let id = self.shape(shape);
            if fields.insert(name.name.clone(), id).is_some() {
                self.error(RawDiagnostic::new(
                    Code::E205,
                    name.span.0,
                    format!("field `{}` is declared twice", name.name),
                ));
            }
        }
        self.add_shape(Shape::Object(fields))
    }

    fn shape(&mut self, s: &ast::Shape) -> ShapeId {
        match s {
            ast::Shape::Object(o) => self.shape_object(o),
            ast::Shape::List(inner) => {
                let id = self.shape(inner);
                self.add_shape(Shape::List(id))
            }
            ast::Shape::Enum(values) => self.add_shape(Shape::Enum(values.clone())),
            ast::Shape::Scalar(name) => {
                let ty = self.type_from_name(name);
                self.add_shape(Shape::Scalar(ty))
            }
        }
    }

    /// What reading a field of this shape checks.
    pub(super) fn expect_for(&self, id: ShapeId) -> crate::program::Expect {
        match self.shapes.get(id as usize) {
            Some(Shape::Enum(_)) => crate::program::Expect::Enum(id),
            Some(Shape::List(item)) => crate::program::Expect::ListOf(*item),
            _ => crate::program::Expect::from_type(&self.shape_type(id)),
        }
    }

    /// The allowed texts of an enumerated field, if `e` reads one.
    pub(super) fn enum_values(&self, e: &crate::program::Expr) -> Option<&[String]> {
        match &e.kind {
            crate::program::ExprKind::Path {
                expect: crate::program::Expect::Enum(id) | crate::program::Expect::ListOf(id),
                ..
            } => match self.shapes.get(*id as usize) {
                Some(Shape::Enum(v)) => Some(v),
                _ => None,
            },
            _ => None,
        }
    }

    /// The type of a value of a declared shape.
    fn shape_type(&self, id: ShapeId) -> Type {
        match self.shapes.get(id as usize) {
            Some(Shape::Object(_)) => Type::Object(id),
            Some(Shape::List(inner)) => Type::List(Box::new(self.shape_type(*inner))),
            Some(Shape::Scalar(t)) => t.clone(),
            Some(Shape::Enum(_)) => Type::String,
            None => Type::Any,
        }
    }

    fn clause(&mut self, cl: &ast::Clause) -> Option<ClauseDef> {
        self.begin_scope_root();
        let first_lang = self
            .languages
            .first()
            .cloned()
            .unwrap_or_else(|| "en".into());
        let mut titles = Vec::new();
        for t in &cl.titles {
            self.language(
                &t.lang,
                &titles
                    .iter()
                    .map(|(l, _): &(String, String)| l.clone())
                    .collect::<Vec<_>>(),
            );
            titles.push((t.lang.name.clone(), t.text.clone()));
        }
        if !titles.iter().any(|(l, _)| *l == first_lang) {
            self.error(
                RawDiagnostic::new(
                    Code::E208,
                    cl.id_span.0,
                    format!("clause `{}` has no title in `{first_lang}`", cl.id),
                )
                .help(format!("add `title {first_lang} \"…\"`")),
            );
        }
        let severity = match &cl.severity {
            Some(s) => self.severity(s),
            None => SeverityRule::Fixed(Severity::Major),
        };
        let scope = cl
            .scope
            .as_ref()
            .map(|e| self.condition(e, "`applies when`"));
        let remediation = cl.remediation.as_ref().map(|r| self.remediation(r));
        let remedied = cl
            .remedied
            .as_ref()
            .map(|e| self.condition(e, "`remedied when`"));
        let mut requirements = 0;
        let body = self.stmts(&cl.body, &mut requirements);
        if requirements == 0 {
            self.error(
                RawDiagnostic::new(
                    Code::E208,
                    cl.id_span.0,
                    format!("clause `{}` has no requirement", cl.id),
                )
                .help("add `require …`"),
            );
        }
        Some(ClauseDef {
            id: cl.id.clone(),
            titles,
            references: cl.references.clone(),
            severity,
            scope,
            remediation,
            remedied,
            body,
            slots: self.max_slot,
            location: self.sources.location(cl.span.0),
        })
    }

    fn language(&mut self, lang: &ast::Ident, seen: &[String]) {
        if !self.languages.contains(&lang.name) {
            let declared = self.languages.join(", ");
            let help = did_you_mean(&lang.name, self.languages.iter().map(String::as_str));
            self.error(
                RawDiagnostic::new(
                    Code::E207,
                    lang.span.0,
                    format!("language `{}` is not declared by the pack", lang.name),
                )
                .maybe_help(help.or_else(|| Some(format!("the pack declares: {declared}")))),
            );
        } else if seen.contains(&lang.name) {
            self.error(RawDiagnostic::new(
                Code::E207,
                lang.span.0,
                format!("language `{}` given twice", lang.name),
            ));
        }
    }

    fn severity(&mut self, s: &ast::SeveritySpec) -> SeverityRule {
        match s {
            ast::SeveritySpec::Fixed(l) => SeverityRule::Fixed(level(*l)),
            ast::SeveritySpec::Cases {
                cases, otherwise, ..
            } => {
                let mut out = Vec::new();
                for (l, e) in cases {
                    out.push((level(*l), self.condition(e, "a severity case")));
                }
                let lowest = cases
                    .iter()
                    .map(|(l, _)| level(*l))
                    .min()
                    .unwrap_or(Severity::Minor);
                SeverityRule::Cases {
                    cases: out,
                    otherwise: otherwise.map_or(lowest, level),
                }
            }
        }
    }

    fn remediation(&mut self, r: &ast::Remediation) -> RemediationDef {
        let saved = self.context;
        self.context = Context::Remediation;
        let mut texts: Vec<(String, Template)> = Vec::new();
        for t in &r.texts {
            self.language(
                &t.lang,
                &texts.iter().map(|(l, _)| l.clone()).collect::<Vec<_>>(),
            );
            let tpl = self.template(&t.template);
            texts.push((t.lang.name.clone(), tpl));
        }
        let deadline = r.deadline.as_ref().map(|d| match d {
            ast::Deadline::Within(e) => {
                let (e, ty) = self.expr(e);
                self.expect_type(
                    &ty,
                    &Type::Duration,
                    e.span,
                    "`within` needs a duration such as `30 days`",
                );
                DeadlineDef::Within(e)
            }
            ast::Deadline::Due(e) => {
                let (e, ty) = self.expr(e);
                self.expect_type(&ty, &Type::Date, e.span, "`due` needs a date");
                DeadlineDef::Due(e)
            }
        });
        self.context = saved;
        RemediationDef { texts, deadline }
    }

    fn template(&mut self, t: &ast::Template) -> Template {
        let mut parts = Vec::new();
        for p in &t.parts {
            match p {
                ast::TemplatePart::Literal(s) => parts.push(TemplatePart::Literal(s.clone())),
                ast::TemplatePart::Hole { expr, format } => {
                    let (e, _) = self.expr(expr);
                    let percent = match format.as_deref() {
                        None => false,
                        Some("%") => true,
                        Some(other) => {
                            self.error(
                                RawDiagnostic::new(
                                    Code::E304,
                                    expr.span.0,
                                    format!("unknown format `{other}`"),
                                )
                                .help("the only format is `%`, e.g. `{share:%}`"),
                            );
                            false
                        }
                    };
                    parts.push(TemplatePart::Hole { expr: e, percent });
                }
            }
        }
        Template { parts }
    }

    fn stmts(&mut self, stmts: &[ast::Stmt], requirements: &mut usize) -> Vec<Stmt> {
        let mut out = Vec::new();
        for s in stmts {
            match s {
                ast::Stmt::Let(l) => {
                    let (value, ty) = self.expr(&l.value);
                    let slot = self.bind(&l.name, ty);
                    out.push(Stmt::Let { slot, value });
                }
                ast::Stmt::Insufficient(x) => {
                    let condition = self.condition(&x.value, "`insufficient unless`");
                    let text = self.sources.one_line(x.value.span.0);
                    out.push(Stmt::Insufficient { condition, text });
                }
                ast::Stmt::For(f) => {
                    let depth = self.scopes.len();
                    let saved_slot = self.next_slot;
                    self.scopes.push(Vec::new());
                    let bindings = self.bindings(&f.bindings);
                    let body = self.stmts(&f.body, requirements);
                    self.scopes.truncate(depth);
                    self.next_slot = saved_slot;
                    out.push(Stmt::For { bindings, body });
                }
                ast::Stmt::Require(r) => {
                    *requirements += 1;
                    out.push(Stmt::Require(Box::new(self.requirement(r))));
                }
            }
        }
        out
    }

    fn requirement(&mut self, r: &ast::Require) -> crate::program::Requirement {
        let condition = self.condition(&r.condition, "`require`");
        let saved = self.context;
        self.context = Context::Message;
        let mut messages: Vec<(String, Template)> = Vec::new();
        for m in &r.messages {
            self.language(
                &m.lang,
                &messages.iter().map(|(l, _)| l.clone()).collect::<Vec<_>>(),
            );
            let tpl = self.template(&m.template);
            messages.push((m.lang.name.clone(), tpl));
        }
        self.context = saved;
        for lang in self.languages.clone() {
            if !messages.iter().any(|(l, _)| *l == lang) {
                self.error(
                    RawDiagnostic::new(
                        Code::W003,
                        r.span.0,
                        format!("this requirement has no message in `{lang}`"),
                    )
                    .help(format!(
                        "add `message {lang} \"…\"`; without one the report shows a generic text"
                    )),
                );
            }
        }
        let severity = r.severity.as_ref().map(|s| self.severity(s));
        let remediation = r.remediation.as_ref().map(|x| self.remediation(x));
        let remedied = r
            .remedied
            .as_ref()
            .map(|e| self.condition(e, "`remedied when`"));
        crate::program::Requirement {
            remedied,
            text: self.sources.one_line(r.condition.span.0),
            condition,
            messages,
            severity,
            remediation,
            location: self.sources.location(r.span.0),
        }
    }

    /// Declares a local in the innermost scope and returns its slot.
    fn bind(&mut self, name: &ast::Ident, ty: Type) -> usize {
        let clash = self
            .scopes
            .last()
            .and_then(|s| s.iter().find(|l| l.name == name.name))
            .is_some()
            || self.params.contains_key(&name.name)
            || self.tables.contains_key(&name.name);
        if clash {
            self.error(
                RawDiagnostic::new(
                    Code::E205,
                    name.span.0,
                    format!("`{}` is already defined", name.name),
                )
                .help("choose another name"),
            );
        }
        let slot = self.next_slot;
        self.next_slot += 1;
        self.max_slot = self.max_slot.max(self.next_slot);
        if let Some(scope) = self.scopes.last_mut() {
            scope.push(Local {
                name: name.name.clone(),
                slot,
                ty,
            });
        }
        slot
    }
}
