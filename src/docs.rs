//! Documents derived from a compiled pack, for rule authors and procurement officers: the
//! evidence each clause reads (a checklist to send a supplier) and a reference of the pack
//! (clauses, parameters and country tables with their sources) as Markdown or one
//! self-contained HTML page.
//!
//! # How the evidence fields are found
//!
//! [`requirements`] walks the compiled program of each clause. A field is an evidence path
//! written as a JSON-Pointer-like pattern, `*` standing for every item of a list (e.g.
//! `/sites/*/workers/*/date_of_birth`). Paths read through a local (`for each`, an aggregate's
//! binding, a `let`) are resolved through the binding's collection plus `*`, or through the
//! `let`'s value; a local whose origin is not an evidence path is skipped. Pack-level
//! definitions and functions the clause uses are followed.
//!
//! A field is **required** when it is read where a decision is made: a requirement's
//! condition, a `for each` collection or `where` filter, `applies when`, or an
//! `insufficient unless` guard. It is **supporting** when it is read only on the left of `??`
//! (the rule has a fallback), inside `exists(...)` or `known(...)`, in severity cases,
//! messages, remediation texts and deadlines, or `remedied when`. A `let` counts where it is
//! used, not where it is written (an unused `let` reads nothing). Fields read by the pack's
//! header (`as_of from`, `subject`) are not listed per clause.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

use serde::Serialize;

use crate::pack::ClauseInfo;
use crate::pack::RulePack;
use crate::program::{
    Binding, Builtin, ClauseDef, Const, DeadlineDef, Expr, ExprKind, PathBase, Program,
    RemediationDef, SeverityRule, Step, Stmt, Template, TemplatePart,
};
use crate::source::FileId;

/// Whether a decision on the clause needs a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Need {
    /// Read only with a fallback, for messages, severity or remediation.
    Supporting,
    /// Read where the clause decides: without it the outcome is insufficient evidence.
    Required,
}

impl Need {
    /// `required` or `supporting`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Need::Supporting => "supporting",
            Need::Required => "required",
        }
    }
}

/// One evidence field a clause reads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct FieldRequirement {
    /// The field as a JSON-Pointer-like pattern, `*` for every item of a list.
    pub path: String,
    /// Whether a decision needs it.
    pub need: Need,
}

/// The evidence fields one clause reads, sorted by path, each listed once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ClauseRequirements {
    /// The clause id.
    pub clause: String,
    /// The fields, sorted by path.
    pub fields: Vec<FieldRequirement>,
}

impl ClauseRequirements {
    /// The paths a decision needs.
    pub fn required(&self) -> impl Iterator<Item = &str> {
        self.with(Need::Required)
    }

    /// The paths read only with a fallback or for messages, severity and remediation.
    pub fn supporting(&self) -> impl Iterator<Item = &str> {
        self.with(Need::Supporting)
    }

    fn with(&self, need: Need) -> impl Iterator<Item = &str> {
        self.fields
            .iter()
            .filter(move |f| f.need == need)
            .map(|f| f.path.as_str())
    }
}

/// The evidence fields each clause reads, in the pack's clause order (see the module
/// documentation for the rule that tells required from supporting fields).
///
/// ```
/// use conduct::RulePack;
/// use conduct::docs::requirements;
///
/// let pack = RulePack::builder()
///     .file(
///         "pack.conduct",
///         r#"
/// pack demo "Demo" languages en
/// evidence { workers: [{ worker_ref: string, age: number }] }
///
/// clause child_labour.minimum_age
///   title en "No child labour"
///   severity critical
///   for each w in workers:
///     require w.age >= 15
///       message en "worker {w.worker_ref} is {actual}"
///   end
/// "#,
///     )
///     .build()?;
/// let clauses = requirements(&pack);
/// let required: Vec<&str> = clauses[0].required().collect();
/// assert_eq!(required, ["/workers", "/workers/*/age"]);
/// let supporting: Vec<&str> = clauses[0].supporting().collect();
/// assert_eq!(supporting, ["/workers/*/worker_ref"]);
/// # Ok::<(), conduct::Error>(())
/// ```
#[must_use]
pub fn requirements(pack: &RulePack) -> Vec<ClauseRequirements> {
    let program = pack.program();
    program
        .clauses
        .iter()
        .map(|c| clause_requirements(program, c))
        .collect()
}

/// `did you mean …?` for a clause id the pack does not have, when one is close.
///
/// ```
/// # let pack = conduct::RulePack::load("rules/regions")?;
/// let help = conduct::docs::suggest_clause(&pack, "child_labour.minimum_ag");
/// assert_eq!(help.as_deref(), Some("did you mean `child_labour.minimum_age`?"));
/// # Ok::<(), conduct::Error>(())
/// ```
#[must_use]
pub fn suggest_clause(pack: &RulePack, id: &str) -> Option<String> {
    crate::diagnostic::did_you_mean(id, pack.clause_ids())
}

/// Above this depth of nested expressions, definitions and functions the walk stops.
const MAX_WALK_DEPTH: usize = 512;

/// What a local slot stands for.
#[derive(Clone)]
enum Slot<'p> {
    /// An item of an evidence list, or an evidence value: its path segments.
    Path(Vec<String>),
    /// A `let`: its value, walked where the local is used.
    Let(&'p Expr),
    /// Not an evidence path.
    Opaque,
}

type Env<'p> = HashMap<usize, Slot<'p>>;

struct Walker<'p> {
    program: &'p Program,
    fields: BTreeMap<String, Need>,
    /// `let` values and definitions already walked with a need.
    seen: HashSet<(usize, Need)>,
    depth: usize,
}

fn clause_requirements(program: &Program, clause: &ClauseDef) -> ClauseRequirements {
    let mut w = Walker {
        program,
        fields: BTreeMap::new(),
        seen: HashSet::new(),
        depth: 0,
    };
    let mut env = Env::new();
    if let Some(scope) = &clause.scope {
        w.expr(&env, scope, Need::Required);
    }
    w.stmts(&mut env, &clause.body);
    w.severity(&env, &clause.severity);
    if let Some(r) = &clause.remediation {
        w.remediation(&env, r);
    }
    if let Some(r) = &clause.remedied {
        w.expr(&env, r, Need::Supporting);
    }
    ClauseRequirements {
        clause: clause.id.clone(),
        fields: w
            .fields
            .into_iter()
            .map(|(path, need)| FieldRequirement { path, need })
            .collect(),
    }
}

/// One segment of a JSON Pointer (RFC 6901 escapes).
fn segment(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn steps_segments(steps: &[Step]) -> impl Iterator<Item = String> + '_ {
    steps.iter().map(|s| match s {
        Step::Key(k) => segment(k),
        Step::Index(i) => i.to_string(),
    })
}

impl<'p> Walker<'p> {
    fn record(&mut self, segments: &[String], need: Need) {
        if segments.is_empty() {
            return;
        }
        let path = format!("/{}", segments.join("/"));
        let entry = self.fields.entry(path).or_insert(need);
        *entry = (*entry).max(need);
    }

    /// The evidence path an expression stands for, if it is one (`a.b`, `local.b`, `a ?? x`,
    /// `a[i]`).
    fn origin(&mut self, env: &Env<'p>, e: &'p Expr) -> Option<Vec<String>> {
        if self.depth > MAX_WALK_DEPTH {
            return None;
        }
        self.depth += 1;
        let found = match &e.kind {
            ExprKind::Path { base, steps, .. } => {
                let mut segments = match base {
                    PathBase::Root => Some(Vec::new()),
                    PathBase::Local(slot) => self.slot_origin(env, *slot),
                };
                if let Some(s) = segments.as_mut() {
                    s.extend(steps_segments(steps));
                }
                segments
            }
            ExprKind::Local(slot) => self.slot_origin(env, *slot),
            ExprKind::Coalesce(a, _) => self.origin(env, a),
            ExprKind::Index(a, _, _) => self.origin(env, a).map(|mut s| {
                s.push("*".into());
                s
            }),
            ExprKind::Global(i) => match self.program.definitions.get(*i) {
                Some(d) => self.origin(&Env::new(), d),
                None => None,
            },
            _ => None,
        };
        self.depth -= 1;
        found
    }

    fn slot_origin(&mut self, env: &Env<'p>, slot: usize) -> Option<Vec<String>> {
        match env.get(&slot) {
            Some(Slot::Path(p)) => Some(p.clone()),
            Some(Slot::Let(value)) => self.origin(env, value),
            Some(Slot::Opaque) | None => None,
        }
    }

    /// Walks a `let`'s value (once per need) where its local is used.
    fn use_slot(&mut self, env: &Env<'p>, slot: usize, need: Need) {
        match env.get(&slot) {
            Some(Slot::Path(p)) => {
                let p = p.clone();
                self.record(&p, need);
            }
            Some(Slot::Let(value)) => {
                let value: &'p Expr = value;
                if self
                    .seen
                    .insert((std::ptr::from_ref::<Expr>(value) as usize, need))
                {
                    self.expr(env, value, need);
                }
            }
            Some(Slot::Opaque) | None => {}
        }
    }

    fn expr(&mut self, env: &Env<'p>, e: &'p Expr, need: Need) {
        if self.depth > MAX_WALK_DEPTH {
            return;
        }
        self.depth += 1;
        match &e.kind {
            ExprKind::Const(_)
            | ExprKind::Param(_)
            | ExprKind::AsOf
            | ExprKind::Severity
            | ExprKind::Actual
            | ExprKind::Expected => {}
            ExprKind::Local(slot) => self.use_slot(env, *slot, need),
            ExprKind::Path { base, .. } => match self.origin(env, e) {
                Some(p) => self.record(&p, need),
                None => {
                    // A field of a `let` whose value is not a path: the value's own reads.
                    if let PathBase::Local(slot) = base {
                        self.use_slot(env, *slot, need);
                    }
                }
            },
            ExprKind::Global(i) => {
                if let Some(d) = self.program.definitions.get(*i)
                    && self.seen.insert((usize::MAX - *i, need))
                {
                    self.expr(&Env::new(), d, need);
                }
            }
            ExprKind::Index(a, b, _)
            | ExprKind::And(a, b)
            | ExprKind::Or(a, b)
            | ExprKind::Cmp(_, a, b)
            | ExprKind::Arith(_, a, b)
            | ExprKind::In {
                item: a, list: b, ..
            } => {
                self.expr(env, a, need);
                self.expr(env, b, need);
            }
            ExprKind::Coalesce(a, b) => {
                self.expr(env, a, Need::Supporting);
                self.expr(env, b, need);
            }
            ExprKind::Table(_, a)
            | ExprKind::Not(a)
            | ExprKind::Neg(a)
            | ExprKind::Duration(a, _) => self.expr(env, a, need),
            ExprKind::Call(builtin, args) => {
                let need = match builtin {
                    Builtin::Exists | Builtin::Known => Need::Supporting,
                    _ => need,
                };
                for a in args {
                    self.expr(env, a, need);
                }
            }
            ExprKind::CallFunction(f, args) => {
                // The function's parameters are slots `0..arity` of its own frame.
                let mut frame = Env::new();
                for (i, a) in args.iter().enumerate() {
                    match self.origin(env, a) {
                        Some(p) => {
                            frame.insert(i, Slot::Path(p));
                        }
                        None => {
                            self.expr(env, a, need);
                            frame.insert(i, Slot::Opaque);
                        }
                    }
                }
                if let Some(def) = self.program.functions.get(*f) {
                    self.expr(&frame, &def.body, need);
                }
            }
            ExprKind::List(items) => {
                for a in items {
                    self.expr(env, a, need);
                }
            }
            ExprKind::If(a, b, c) => {
                self.expr(env, a, need);
                self.expr(env, b, need);
                self.expr(env, c, need);
            }
            ExprKind::Aggregate { bindings, body, .. } => {
                let mut inner = env.clone();
                self.bindings(&mut inner, bindings, need);
                if let Some(b) = body {
                    self.expr(&inner, b, need);
                }
            }
        }
        self.depth -= 1;
    }

    fn bindings(&mut self, env: &mut Env<'p>, bindings: &'p [Binding], need: Need) {
        for b in bindings {
            self.expr(env, &b.collection, need);
            let slot = match self.origin(env, &b.collection) {
                Some(mut p) => {
                    p.push("*".into());
                    Slot::Path(p)
                }
                None => Slot::Opaque,
            };
            env.insert(b.slot, slot);
            if let Some(f) = &b.filter {
                self.expr(env, f, need);
            }
        }
    }

    fn stmts(&mut self, env: &mut Env<'p>, stmts: &'p [Stmt]) {
        for s in stmts {
            match s {
                Stmt::Let { slot, value } => {
                    env.insert(*slot, Slot::Let(value));
                }
                Stmt::For { bindings, body } => {
                    let mut inner = env.clone();
                    self.bindings(&mut inner, bindings, Need::Required);
                    self.stmts(&mut inner, body);
                }
                Stmt::Require(r) => {
                    self.expr(env, &r.condition, Need::Required);
                    for (_, t) in &r.messages {
                        self.template(env, t);
                    }
                    if let Some(s) = &r.severity {
                        self.severity(env, s);
                    }
                    if let Some(rem) = &r.remediation {
                        self.remediation(env, rem);
                    }
                    if let Some(e) = &r.remedied {
                        self.expr(env, e, Need::Supporting);
                    }
                }
                Stmt::Insufficient { condition, .. } => {
                    self.expr(env, condition, Need::Required);
                }
            }
        }
    }

    fn template(&mut self, env: &Env<'p>, t: &'p Template) {
        for part in &t.parts {
            if let TemplatePart::Hole { expr, .. } = part {
                self.expr(env, expr, Need::Supporting);
            }
        }
    }

    fn severity(&mut self, env: &Env<'p>, s: &'p SeverityRule) {
        if let SeverityRule::Cases { cases, .. } = s {
            for (_, e) in cases {
                self.expr(env, e, Need::Supporting);
            }
        }
    }

    fn remediation(&mut self, env: &Env<'p>, r: &'p RemediationDef) {
        for (_, t) in &r.texts {
            self.template(env, t);
        }
        match &r.deadline {
            Some(DeadlineDef::Within(e) | DeadlineDef::Due(e)) => {
                self.expr(env, e, Need::Supporting);
            }
            None => {}
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Labels
// ---------------------------------------------------------------------------------------------

/// The words of the documents, in English or Swedish (other languages get English).
struct Labels {
    requirements: &'static str,
    legend: &'static str,
    required: &'static str,
    supporting: &'static str,
    none: &'static str,
    pack: &'static str,
    edition: &'static str,
    languages: &'static str,
    digest: &'static str,
    clauses: &'static str,
    clause: &'static str,
    title: &'static str,
    references: &'static str,
    severities: &'static str,
    deadlines: &'static str,
    depends: &'static str,
    parameters: &'static str,
    parameter: &'static str,
    default: &'static str,
    source: &'static str,
    tables: &'static str,
    key: &'static str,
    value: &'static str,
    other_countries: &'static str,
    no_default: &'static str,
}

const EN: Labels = Labels {
    requirements: "Evidence requirements",
    legend: "Fields are JSON Pointers into the evidence document; `*` stands for every item of a list. \
             Required fields are needed for a decision: without them the clause is judged insufficient \
             evidence, never compliant. Supporting fields have a fallback or are used for messages, \
             severity and remediation.",
    required: "Required for a decision",
    supporting: "Supporting",
    none: "none",
    pack: "Pack",
    edition: "Edition",
    languages: "Languages",
    digest: "Digest",
    clauses: "Clauses",
    clause: "Clause",
    title: "Title",
    references: "References",
    severities: "Severities",
    deadlines: "Default deadlines",
    depends: "depends on the evidence",
    parameters: "Parameters",
    parameter: "Parameter",
    default: "Default",
    source: "Source",
    tables: "Country tables",
    key: "Key",
    value: "Value",
    other_countries: "Other keys",
    no_default: "no value",
};

const SV: Labels = Labels {
    requirements: "Krav på underlag",
    legend: "Fälten är JSON-pekare i underlaget; `*` står för varje post i en lista. \
             Obligatoriska fält behövs för ett beslut: utan dem bedöms klausulen som otillräckligt \
             underlag, aldrig som uppfylld. Stödjande fält har ett reservvärde eller används i \
             meddelanden, allvarlighetsgrad och åtgärder.",
    required: "Obligatoriska för ett beslut",
    supporting: "Stödjande",
    none: "inga",
    pack: "Paket",
    edition: "Utgåva",
    languages: "Språk",
    digest: "Kontrollsumma",
    clauses: "Klausuler",
    clause: "Klausul",
    title: "Rubrik",
    references: "Referenser",
    severities: "Allvarlighetsgrader",
    deadlines: "Tidsfrister",
    depends: "beror på underlaget",
    parameters: "Parametrar",
    parameter: "Parameter",
    default: "Standardvärde",
    source: "Källa",
    tables: "Landstabeller",
    key: "Nyckel",
    value: "Värde",
    other_countries: "Övriga nycklar",
    no_default: "inget värde",
};

fn labels(language: &str) -> &'static Labels {
    if language == "sv" { &SV } else { &EN }
}

/// The clause's title in the language, else its first title, else its id.
fn title<'a>(info: &'a ClauseInfo, language: &str) -> &'a str {
    info.titles
        .iter()
        .find(|(l, _)| l == language)
        .or_else(|| info.titles.first())
        .map_or(info.id.as_str(), |(_, t)| t.as_str())
}

fn clause_title(pack: &RulePack, id: &str, language: &str) -> String {
    pack.clauses()
        .iter()
        .find(|c| c.id == id)
        .map_or_else(|| id.to_string(), |c| title(c, language).to_string())
}

// ---------------------------------------------------------------------------------------------
// Requirements as Markdown and JSON
// ---------------------------------------------------------------------------------------------

/// A checklist of the evidence fields, grouped by clause (title in the language, then the
/// required fields, then the supporting ones), for a procurement officer to send a supplier.
///
/// ```
/// # let pack = conduct::RulePack::load("rules/regions")?;
/// use conduct::docs::{requirements, requirements_markdown};
/// let all = requirements(&pack);
/// let one: Vec<_> = all.into_iter().filter(|c| c.clause == "wages.minimum_wage").collect();
/// let text = requirements_markdown(&pack, &one, "en");
/// assert!(text.contains("## wages.minimum_wage"));
/// assert!(text.contains("- [ ] `/sites`"));
/// # Ok::<(), conduct::Error>(())
/// ```
#[must_use]
pub fn requirements_markdown(
    pack: &RulePack,
    clauses: &[ClauseRequirements],
    language: &str,
) -> String {
    let l = labels(language);
    let infos = pack.clauses();
    let mut out = String::new();
    let _ = writeln!(out, "# {}: {}\n", l.requirements, md_inline(pack.title()));
    let _ = writeln!(out, "{}\n", l.legend);
    for c in clauses {
        let t = infos
            .iter()
            .find(|i| i.id == c.clause)
            .map_or(c.clause.as_str(), |i| title(i, language));
        let _ = writeln!(out, "## {}: {}\n", c.clause, md_inline(t));
        for (heading, paths) in [
            (l.required, c.required().collect::<Vec<_>>()),
            (l.supporting, c.supporting().collect::<Vec<_>>()),
        ] {
            let _ = writeln!(out, "{heading}:\n");
            if paths.is_empty() {
                let _ = writeln!(out, "- ({})", l.none);
            }
            for p in paths {
                let _ = writeln!(out, "- [ ] `{}`", p.replace('`', "'"));
            }
            out.push('\n');
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// The checklist as a document (`conduct-requirements/1`), for JSON: its fields serialize in
/// the order declared here.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RequirementsDocument {
    /// Always `conduct-requirements/1`.
    pub format: &'static str,
    /// The pack's name.
    pub pack: String,
    /// The pack's title.
    pub title: String,
    /// The pack's edition, if it declares one.
    pub edition: Option<String>,
    /// `sha256:` of the pack's source files.
    pub digest: String,
    /// The language the titles are in: the one asked for when the pack has it, else the
    /// pack's first (as for messages in reports).
    pub language: String,
    /// Each clause's checklist, in pack order.
    pub clauses: Vec<ClauseChecklist>,
}

/// One clause of a [`RequirementsDocument`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClauseChecklist {
    /// The clause id.
    pub clause: String,
    /// Its title in the document's language.
    pub title: String,
    /// The evidence fields a decision needs (JSON Pointers, `*` for every list item).
    pub required: Vec<String>,
    /// The fields read only with a fallback, or for messages, severity and remediation.
    pub supporting: Vec<String>,
}

/// The checklist as a document: the pack's name, edition and digest, and per clause its id,
/// title in the language, and required and supporting fields.
///
/// ```
/// # let pack = conduct::RulePack::load("rules/regions")?;
/// use conduct::docs::{requirements, requirements_document};
/// let doc = requirements_document(&pack, &requirements(&pack), "sv");
/// assert_eq!(doc.format, "conduct-requirements/1");
/// assert_eq!(doc.clauses.len(), 39);
/// let json = serde_json::to_string(&doc)?;
/// assert!(json.starts_with(r#"{"format":"conduct-requirements/1","pack":"regions""#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn requirements_document(
    pack: &RulePack,
    clauses: &[ClauseRequirements],
    language: &str,
) -> RequirementsDocument {
    let language = if pack.languages().iter().any(|l| l == language) {
        language
    } else {
        pack.languages().first().map_or(language, String::as_str)
    };
    RequirementsDocument {
        format: "conduct-requirements/1",
        pack: pack.name().to_string(),
        title: pack.title().to_string(),
        edition: pack.program().edition.clone(),
        digest: pack.digest().to_string(),
        language: language.to_string(),
        clauses: clauses
            .iter()
            .map(|c| ClauseChecklist {
                clause: c.clause.clone(),
                title: clause_title(pack, &c.clause, language),
                required: c.required().map(str::to_string).collect(),
                supporting: c.supporting().map(str::to_string).collect(),
            })
            .collect(),
    }
}

/// The checklist as a JSON value ([`requirements_document`], whose field order a
/// `serde_json::Value` does not keep).
///
/// ```
/// # let pack = conduct::RulePack::load("rules/regions")?;
/// use conduct::docs::{requirements, requirements_json};
/// let json = requirements_json(&pack, &requirements(&pack), "sv");
/// assert_eq!(json["format"], "conduct-requirements/1");
/// assert_eq!(json["clauses"].as_array().map(Vec::len), Some(39));
/// # Ok::<(), conduct::Error>(())
/// ```
#[must_use]
pub fn requirements_json(
    pack: &RulePack,
    clauses: &[ClauseRequirements],
    language: &str,
) -> serde_json::Value {
    serde_json::to_value(requirements_document(pack, clauses, language))
        .unwrap_or(serde_json::Value::Null)
}

// ---------------------------------------------------------------------------------------------
// The pack reference
// ---------------------------------------------------------------------------------------------

/// A parameter as the reference shows it.
struct ParamRow {
    name: String,
    default: String,
    source: String,
}

/// A country table as the reference shows it.
struct TableRow {
    name: String,
    default: Option<String>,
    source: String,
    /// Key, value, source; in the order written.
    entries: Vec<(String, String, String)>,
}

/// Everything the reference shows, in one place for both renderings.
struct Reference {
    name: String,
    title: String,
    edition: Option<String>,
    languages: Vec<String>,
    digest: String,
    clauses: Vec<ClauseInfo>,
    params: Vec<ParamRow>,
    tables: Vec<TableRow>,
}

fn const_text(c: &Const) -> String {
    match c {
        Const::Null => "null".into(),
        Const::Bool(b) => b.to_string(),
        Const::Number(n) => n.to_string(),
        Const::Str(s) => format!("\"{s}\""),
        Const::Date(d) => d.to_string(),
        Const::Duration(d) => d.to_string(),
        Const::List(items) => {
            let items: Vec<String> = items.iter().map(const_text).collect();
            format!("[{}]", items.join(", "))
        }
    }
}

/// Table sources (of the table and of each entry, in the order written) from the pack's
/// source files: the compiled program keeps the values, not the sources.
/// A table's source and its entries' keys and sources, in the order written.
type WrittenTable = (Option<String>, Vec<(String, String)>);

fn table_sources(program: &Program) -> HashMap<String, WrittenTable> {
    let mut found = HashMap::new();
    let depth = crate::limits::CompileLimits::default().max_depth_value();
    for i in 0..u32::MAX {
        let id = FileId(i);
        let Some(file) = program.sources.file(id) else {
            break;
        };
        let Ok(ast) = crate::syntax::parse_file(id, &file.text, depth) else {
            continue;
        };
        for item in &ast.items {
            if let crate::ast::Item::Table(t) = item {
                let entries = t
                    .entries
                    .iter()
                    .map(|e| (e.key.clone(), e.source.clone().unwrap_or_default()))
                    .collect();
                found
                    .entry(t.name.name.clone())
                    .or_insert((t.source.clone(), entries));
            }
        }
    }
    found
}

fn reference(pack: &RulePack) -> Reference {
    let program = pack.program();
    let params = program
        .params
        .iter()
        .map(|p| ParamRow {
            name: p.name.clone(),
            default: const_text(&p.default),
            source: p.source.clone().unwrap_or_default(),
        })
        .collect();
    let sources = table_sources(program);
    let tables = program
        .tables
        .iter()
        .map(|t| {
            let (source, written) = sources.get(&t.name).cloned().unwrap_or_default();
            let mut entries: Vec<(String, String, String)> = written
                .iter()
                .filter_map(|(k, s)| {
                    t.entries
                        .get(k)
                        .map(|v| (k.clone(), const_text(v), s.clone()))
                })
                .collect();
            // Entries the sources did not show (none in a pack that compiled), sorted.
            let mut rest: Vec<_> = t
                .entries
                .iter()
                .filter(|(k, _)| !written.iter().any(|(w, _)| w == *k))
                .map(|(k, v)| (k.clone(), const_text(v), String::new()))
                .collect();
            rest.sort();
            entries.extend(rest);
            TableRow {
                name: t.name.clone(),
                default: t.default.as_ref().map(const_text),
                source: source.unwrap_or_default(),
                entries,
            }
        })
        .collect();
    Reference {
        name: pack.name().to_string(),
        title: pack.title().to_string(),
        edition: program.edition.clone(),
        languages: pack.languages().to_vec(),
        digest: pack.digest().to_string(),
        clauses: pack.clauses(),
        params,
        tables,
    }
}

fn severities_text(info: &ClauseInfo) -> String {
    let s: Vec<&str> = info.severities.iter().map(|s| s.as_str()).collect();
    s.join(", ")
}

fn deadlines_text(info: &ClauseInfo, l: &Labels) -> String {
    let parts: Vec<String> = info
        .deadlines
        .iter()
        .map(|(s, d)| format!("{}: {}", s.as_str(), d.as_deref().unwrap_or(l.depends)))
        .collect();
    if parts.is_empty() {
        "–".into()
    } else {
        parts.join("; ")
    }
}

/// Text inside a Markdown line: no line breaks.
fn md_inline(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

/// Text inside a Markdown table cell.
fn md_cell(text: &str) -> String {
    let t = md_inline(text).replace('|', "\\|");
    if t.is_empty() { "–".into() } else { t }
}

/// A reference of the pack for procurement officers, as Markdown: the pack's name, title,
/// edition and digest; every clause with its title in the language, references, severities
/// and default deadlines; the parameters (default, source) and country tables (default,
/// entries with their sources).
///
/// ```
/// # let pack = conduct::RulePack::load("rules/regions")?;
/// let text = conduct::docs::reference_markdown(&pack, "sv");
/// assert!(text.contains("Inget barnarbete: lägsta ålder för arbete"));
/// assert!(text.contains("`national_minimum_age`"));
/// # Ok::<(), conduct::Error>(())
/// ```
#[must_use]
pub fn reference_markdown(pack: &RulePack, language: &str) -> String {
    let l = labels(language);
    let r = reference(pack);
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", md_inline(&r.title));
    let _ = writeln!(out, "- {}: `{}`", l.pack, r.name);
    if let Some(e) = &r.edition {
        let _ = writeln!(out, "- {}: {}", l.edition, md_inline(e));
    }
    let _ = writeln!(out, "- {}: {}", l.languages, r.languages.join(", "));
    let _ = writeln!(out, "- {}: `{}`\n", l.digest, r.digest);

    let _ = writeln!(out, "## {}\n", l.clauses);
    for c in &r.clauses {
        let _ = writeln!(out, "### `{}`: {}\n", c.id, md_inline(title(c, language)));
        let refs: Vec<String> = c.references.iter().map(|s| md_inline(s)).collect();
        let refs = if refs.is_empty() {
            "–".to_string()
        } else {
            refs.join("; ")
        };
        let _ = writeln!(out, "- {}: {}", l.references, refs);
        let _ = writeln!(out, "- {}: {}", l.severities, severities_text(c));
        let _ = writeln!(out, "- {}: {}\n", l.deadlines, deadlines_text(c, l));
    }

    let _ = writeln!(out, "## {}\n", l.parameters);
    let _ = writeln!(out, "| {} | {} | {} |", l.parameter, l.default, l.source);
    let _ = writeln!(out, "|---|---|---|");
    for p in &r.params {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} |",
            p.name,
            md_cell(&p.default),
            md_cell(&p.source)
        );
    }
    out.push('\n');

    let _ = writeln!(out, "## {}\n", l.tables);
    for t in &r.tables {
        let _ = writeln!(out, "### `{}`\n", t.name);
        if !t.source.is_empty() {
            let _ = writeln!(out, "{}: {}\n", l.source, md_inline(&t.source));
        }
        let _ = writeln!(
            out,
            "{}: {}\n",
            l.other_countries,
            md_inline(t.default.as_deref().unwrap_or(l.no_default))
        );
        let _ = writeln!(out, "| {} | {} | {} |", l.key, l.value, l.source);
        let _ = writeln!(out, "|---|---|---|");
        for (k, v, s) in &t.entries {
            let _ = writeln!(out, "| {} | {} | {} |", md_cell(k), md_cell(v), md_cell(s));
        }
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// Escapes text for HTML element content and attribute values.
fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;\
max-width:72rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.45}\
h1{font-size:1.7rem}h2{margin-top:2.2rem;border-bottom:1px solid #ccc}\
table{border-collapse:collapse;width:100%;margin:0.8rem 0 1.6rem}\
th,td{border:1px solid #ccc;padding:0.3rem 0.5rem;text-align:left;vertical-align:top}\
th{background:#f2f2f2}code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:0.92em}\
dl{display:grid;grid-template-columns:max-content auto;gap:0.2rem 1rem}dt{font-weight:600}\
dd{margin:0}.sev-critical{color:#a40000;font-weight:600}.sev-major{color:#8a4b00}\
@media print{body{margin:0;max-width:none}}";

/// The reference of [`reference_markdown`] as one self-contained HTML page: inline CSS, no
/// scripts, no external resources, every text HTML-escaped.
///
/// ```
/// # let pack = conduct::RulePack::load("rules/regions")?;
/// let page = conduct::docs::reference_html(&pack, "en");
/// assert!(page.starts_with("<!DOCTYPE html>"));
/// assert!(!page.contains("<script"));
/// # Ok::<(), conduct::Error>(())
/// ```
#[must_use]
pub fn reference_html(pack: &RulePack, language: &str) -> String {
    let l = labels(language);
    let r = reference(pack);
    let lang = if r.languages.iter().any(|x| x == language) {
        language
    } else {
        r.languages.first().map_or("en", String::as_str)
    };
    let mut out = String::new();
    let _ = writeln!(out, "<!DOCTYPE html>");
    let _ = writeln!(out, "<html lang=\"{}\">", html(lang));
    let _ = writeln!(out, "<head>\n<meta charset=\"utf-8\">");
    let _ = writeln!(
        out,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    );
    let _ = writeln!(out, "<title>{}</title>", html(&r.title));
    let _ = writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>");
    let _ = writeln!(out, "<h1>{}</h1>", html(&r.title));
    let _ = writeln!(out, "<dl>");
    let _ = writeln!(
        out,
        "<dt>{}</dt><dd><code>{}</code></dd>",
        l.pack,
        html(&r.name)
    );
    if let Some(e) = &r.edition {
        let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", l.edition, html(e));
    }
    let _ = writeln!(
        out,
        "<dt>{}</dt><dd>{}</dd>",
        l.languages,
        html(&r.languages.join(", "))
    );
    let _ = writeln!(
        out,
        "<dt>{}</dt><dd><code>{}</code></dd>",
        l.digest,
        html(&r.digest)
    );
    let _ = writeln!(out, "</dl>");

    let _ = writeln!(out, "<h2 id=\"clauses\">{}</h2>", l.clauses);
    let _ = writeln!(out, "<table>");
    let _ = writeln!(
        out,
        "<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
        l.clause, l.title, l.references, l.severities, l.deadlines
    );
    for c in &r.clauses {
        let refs: Vec<String> = c.references.iter().map(|s| html(s)).collect();
        let sev: Vec<String> = c
            .severities
            .iter()
            .map(|s| format!("<span class=\"sev-{0}\">{0}</span>", s.as_str()))
            .collect();
        let _ = writeln!(
            out,
            "<tr id=\"{}\"><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            html(&c.id),
            html(&c.id),
            html(title(c, language)),
            refs.join("<br>"),
            sev.join(", "),
            html(&deadlines_text(c, l))
        );
    }
    let _ = writeln!(out, "</tbody>\n</table>");

    let _ = writeln!(out, "<h2 id=\"parameters\">{}</h2>", l.parameters);
    let _ = writeln!(out, "<table>");
    let _ = writeln!(
        out,
        "<thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
        l.parameter, l.default, l.source
    );
    for p in &r.params {
        let _ = writeln!(
            out,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
            html(&p.name),
            html(&p.default),
            html(&p.source)
        );
    }
    let _ = writeln!(out, "</tbody>\n</table>");

    let _ = writeln!(out, "<h2 id=\"tables\">{}</h2>", l.tables);
    for t in &r.tables {
        let _ = writeln!(out, "<h3><code>{}</code></h3>", html(&t.name));
        if !t.source.is_empty() {
            let _ = writeln!(out, "<p>{}: {}</p>", l.source, html(&t.source));
        }
        let _ = writeln!(
            out,
            "<p>{}: {}</p>",
            l.other_countries,
            html(t.default.as_deref().unwrap_or(l.no_default))
        );
        let _ = writeln!(out, "<table>");
        let _ = writeln!(
            out,
            "<thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
            l.key, l.value, l.source
        );
        for (k, v, s) in &t.entries {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                html(k),
                html(v),
                html(s)
            );
        }
        let _ = writeln!(out, "</tbody>\n</table>");
    }
    let _ = writeln!(out, "</body>\n</html>");
    out
}
