//! Checking: the ASTs of a pack's files → a resolved, typed [`Program`]; reports E2xx and
//! E3xx errors and W warnings, all of them at once.
//!
//! Names become slots (locals), indexes (parameters, tables) or evidence paths; constants are
//! folded; evidence paths are checked against the pack's `evidence` declaration.
//!
//! The passes, in [`check`]: the header; the declarations (`decls`: parameters, tables, the
//! evidence declaration in `shapes`; a parameter's titles, bounds and the evidence field it is
//! `overridden by` in `params`); pack-level functions and definitions, imported files
//! first; the header's expressions; the clauses (`clause`), whose expressions are checked by
//! `expr` with `resolve` (names and paths), `calls` (functions and builtins) and `ops`
//! (operators); last, warnings for declarations nothing uses.
//!
//! Three forms of the language are rewrites here, so that the evaluator never sees them: a
//! named collection (`collections`) becomes the filter of the bindings that iterate it, a
//! block-level `remedied when` (`clause`) the `remedied when` of the requirements after it,
//! and `this_clause` (`expr`) a text constant.

pub(crate) mod analysis;
mod calls;
mod clause;
mod collections;
mod decls;
mod expr;
mod fuse;
mod holes;
mod labels;
mod meta;
mod ops;
mod params;
mod refs;
mod resolve;
mod shapes;
#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use indexmap::IndexMap;

use crate::ast;
use crate::diagnostic::{Code, RawDiagnostic};
use crate::program::{FunctionDef, ParamDef, Program, Shape, ShapeId, TableDef, Type};
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

/// Where a pack-level name is declared, its index in the [`Program`], and whether anything
/// reads it (for the W00x warnings).
#[derive(Clone, Copy)]
struct Declared {
    /// The index of its definition in the program's list for its kind.
    index: usize,
    /// The file that declares it (a file sees only its own and its imports' names).
    file: FileId,
    /// The declared name.
    span: Span,
    /// Whether an expression reads it.
    used: bool,
}

/// A `param`, with its compiled definition.
struct ParamEntry {
    at: Declared,
    def: ParamDef,
}

/// A `table`, with its compiled definition.
struct TableEntry {
    at: Declared,
    def: TableDef,
}

/// A pack-level function (`let f(x) = …`), with its compiled body.
struct FunctionEntry {
    at: Declared,
    /// How many arguments it takes.
    arity: usize,
    /// The type of its body.
    result: Type,
    def: FunctionDef,
}

/// A pack-level definition (`let x = …`); its value goes to [`Program::definitions`].
struct DefinitionEntry {
    at: Declared,
    ty: Type,
}

/// A named collection (`collection x = s in source where …`): kept as written, since each
/// binding that iterates it is checked anew with its own slot (see `collections`).
struct CollectionEntry {
    at: Declared,
    def: ast::Collection,
}

/// The pack-level names, each kind by name in declaration order (the order of the program's
/// lists).
#[derive(Default)]
struct Declarations {
    params: IndexMap<String, ParamEntry>,
    tables: IndexMap<String, TableEntry>,
    functions: IndexMap<String, FunctionEntry>,
    definitions: IndexMap<String, DefinitionEntry>,
    collections: IndexMap<String, CollectionEntry>,
}

impl Declarations {
    /// Where `name` is first declared, of any kind.
    fn find(&self, name: &str) -> Option<Span> {
        self.params
            .get(name)
            .map(|e| e.at.span)
            .or_else(|| self.tables.get(name).map(|e| e.at.span))
            .or_else(|| self.definitions.get(name).map(|e| e.at.span))
            .or_else(|| self.functions.get(name).map(|e| e.at.span))
            .or_else(|| self.collections.get(name).map(|e| e.at.span))
    }
}

/// The pack's `evidence` declaration: every shape, by [`ShapeId`], and the document's.
#[derive(Default)]
struct Schema {
    shapes: Vec<Shape>,
    root: Option<ShapeId>,
    /// The key fields of the object shapes that declare some, in declaration order.
    keys: HashMap<ShapeId, std::sync::Arc<[std::sync::Arc<str>]>>,
    /// Descriptions and fillers of the fields that declare them (or inherit a filler).
    field_info: HashMap<(ShapeId, String), crate::program::FieldInfo>,
}

/// The locals in reach where an expression is checked, and what else it may name.
struct Frame {
    /// The scopes, innermost last.
    scopes: Vec<Vec<Local>>,
    /// The slot the next local takes.
    next_slot: usize,
    /// The slots the clause, function or header needs so far.
    max_slot: usize,
    context: Context,
}

impl Frame {
    /// One empty scope, no slot used, plain expressions.
    fn new() -> Self {
        Frame {
            scopes: vec![Vec::new()],
            next_slot: 0,
            max_slot: 0,
            context: Context::Plain,
        }
    }
}

/// Where a scope for bindings was opened (see [`Checker::open_scope`]).
struct ScopeMark {
    depth: usize,
    next_slot: usize,
}

pub(crate) struct Checker<'a> {
    sources: &'a SourceMap,
    diags: Vec<RawDiagnostic>,
    decls: Declarations,
    schema: Schema,
    /// The pack's languages, the first the default.
    languages: Vec<String>,
    /// The file being checked, and for each file the files whose names it sees.
    file: FileId,
    visible: HashMap<FileId, HashSet<FileId>>,
    frame: Frame,
    /// The id of the clause being checked (`this_clause`); `None` outside a clause.
    this_clause: Option<String>,
    /// The clause's remediation, compiled again in the scope of each requirement without its
    /// own (so that it may name the requirement's loop variables), and whether one did.
    inherited: Option<(ast::Remediation, bool)>,
    /// The clause's `basis` and `severe`, compiled in the same way.
    inherited_basis: meta::Inherited<ast::Expr>,
    inherited_severe: meta::Inherited<ast::Severe>,
    /// What the enclosing loops and `let`s of the clause establish (for W006).
    established: holes::Established,
    /// The calls that read another clause (`outcome(…)`, …), resolved after the clauses.
    clause_refs: Vec<refs::ClauseRef>,
    /// How many [`Checker::quietly`] sections enclose the current one: their diagnostics are
    /// dropped, so none of them is worth a "did you mean" search.
    quiet: u32,
    /// The evidence keys that paths read, one copy of each: the evaluator recognises a key
    /// by its address (its cache of recent reads, `eval/evidence.rs`).
    keys: HashSet<Arc<str>>,
    /// How many groups of aggregates are fused (`fuse`).
    fusion_groups: u32,
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
        decls: Declarations::default(),
        schema: Schema::default(),
        languages: Vec::new(),
        file: FileId(0),
        visible: HashMap::new(),
        frame: Frame::new(),
        this_clause: None,
        inherited: None,
        inherited_basis: None,
        inherited_severe: None,
        established: holes::Established::default(),
        clause_refs: Vec::new(),
        quiet: 0,
        keys: HashSet::new(),
        fusion_groups: 0,
    };
    for f in files {
        let mut vis: HashSet<FileId> = f.imports.iter().copied().collect();
        vis.insert(f.id);
        c.visible.insert(f.id, vis);
    }
    let header = c.header(files);
    // Declarations first, so clauses may use them in any order.
    for f in files {
        c.file = f.id;
        for item in &f.ast.items {
            match item {
                ast::Item::Param(p) => c.param(p),
                ast::Item::Table(t) => c.table(t),
                ast::Item::Evidence(e) => c.evidence(e),
                ast::Item::Clause(_)
                | ast::Item::Let(_)
                | ast::Item::Function(_)
                | ast::Item::Collection(_) => {}
            }
        }
    }
    c.param_overrides(files);
    let definitions = c.definitions(files);
    let definition_slots = c.frame.max_slot;
    let mut program = Program {
        fusion_groups: 0,
        name: header.map(|h| h.name.name.clone()).unwrap_or_default(),
        titles: header.map(|h| c.pack_titles(h)).unwrap_or_default(),
        edition: header.and_then(|h| h.edition.clone()),
        languages: c.languages.clone(),
        as_of: None,
        subject: Vec::new(),
        labels: Vec::new(),
        params: Vec::new(),
        tables: Vec::new(),
        clauses: Vec::new(),
        clause_order: Vec::new(),
        reads_clauses: Vec::new(),
        sources: SourceMap::default(),
        digest,
        header_slots: 0,
        enum_sets: c
            .schema
            .shapes
            .iter()
            .map(|s| match s {
                Shape::Enum(values) => values.clone(),
                _ => Vec::new(),
            })
            .collect(),
        functions: Vec::new(),
        shape_expects: (0..c.schema.shapes.len())
            .map(|i| c.expect_for(ShapeId::try_from(i).unwrap_or(0)))
            .collect(),
        // Moved in once the clauses are checked (they read the schema).
        shapes: Vec::new(),
        object_keys: c.object_keys(),
        field_info: HashMap::new(),
        evidence_root: c.schema.root,
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
        program.labels = h.labels.iter().filter_map(|l| c.labels(l)).collect();
        program.header_slots = c.frame.max_slot;
    }
    program.header_slots = program.header_slots.max(definition_slots);
    program.clauses = c.clauses(files);
    (program.clause_order, program.reads_clauses) = c.order_clauses(&program.clauses);
    c.warn_unused();
    let Checker {
        mut diags,
        decls,
        schema,
        fusion_groups,
        ..
    } = c;
    program.fusion_groups = fusion_groups as usize;
    program.shapes = schema.shapes;
    program.field_info = schema.field_info;
    program.params = decls.params.into_values().map(|e| e.def).collect();
    program.tables = decls.tables.into_values().map(|e| e.def).collect();
    program.functions = decls.functions.into_values().map(|e| e.def).collect();
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

impl Checker<'_> {
    /// The one copy of an evidence key.
    fn key(&mut self, name: &str) -> Arc<str> {
        if let Some(k) = self.keys.get(name) {
            return k.clone();
        }
        let k: Arc<str> = Arc::from(name);
        self.keys.insert(k.clone());
        k
    }

    fn error(&mut self, d: RawDiagnostic) {
        self.diags.push(d);
    }

    /// Runs `f` and drops the diagnostics it gives (a text compiled for a tool's description,
    /// or again in another scope where it reports them).
    fn quietly<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        let before = self.diags.len();
        self.quiet += 1;
        let out = f(self);
        self.quiet -= 1;
        self.diags.truncate(before);
        out
    }

    /// The pack's header (the first; E107 for none or another), and its languages.
    fn header<'f>(&mut self, files: &'f [ParsedFile]) -> Option<&'f ast::Header> {
        let headers: Vec<&ast::Header> =
            files.iter().filter_map(|f| f.ast.header.as_ref()).collect();
        for extra in headers.iter().skip(1) {
            self.error(
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
            self.error(
                RawDiagnostic::new(Code::E107, span, "the pack has no header")
                    .help("start the root file with `pack NAME \"TITLE\" languages en`"),
            );
        }
        self.languages = header.map_or_else(
            || vec!["en".to_string()],
            |h| h.languages.iter().map(|l| l.name.clone()).collect(),
        );
        if self.languages.is_empty() {
            self.languages.push("en".into());
        }
        header
    }

    /// Starts a clause, function or the header: one empty scope, no slot used.
    fn begin_scope_root(&mut self) {
        self.frame.scopes.clear();
        self.frame.scopes.push(Vec::new());
        self.frame.next_slot = 0;
        self.frame.max_slot = 0;
    }

    /// Opens a scope for the bindings of a `for each` or an aggregate.
    fn open_scope(&mut self) -> ScopeMark {
        let mark = ScopeMark {
            depth: self.frame.scopes.len(),
            next_slot: self.frame.next_slot,
        };
        self.frame.scopes.push(Vec::new());
        mark
    }

    /// Closes the scope opened at `mark`; its slots are free again.
    fn close_scope(&mut self, mark: ScopeMark) {
        self.frame.scopes.truncate(mark.depth);
        self.frame.next_slot = mark.next_slot;
    }

    /// Declares a local in the innermost scope and returns its slot.
    fn bind(&mut self, name: &ast::Ident, ty: Type) -> usize {
        let clash = self
            .frame
            .scopes
            .last()
            .and_then(|s| s.iter().find(|l| l.name == name.name))
            .is_some()
            || self.decls.params.contains_key(&name.name)
            || self.decls.tables.contains_key(&name.name);
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
        let slot = self.frame.next_slot;
        self.frame.next_slot += 1;
        self.frame.max_slot = self.frame.max_slot.max(self.frame.next_slot);
        if let Some(scope) = self.frame.scopes.last_mut() {
            scope.push(Local {
                name: name.name.clone(),
                slot,
                ty,
            });
        }
        slot
    }

    /// The slot and type of the innermost local named `name`.
    fn lookup_local(&self, name: &str) -> Option<(usize, Type)> {
        self.frame
            .scopes
            .iter()
            .rev()
            .flat_map(|s| s.iter().rev())
            .find(|l| l.name == name)
            .map(|l| (l.slot, l.ty.clone()))
    }
}
