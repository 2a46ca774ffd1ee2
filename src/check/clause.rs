//! Checking clauses: an AST clause → a [`ClauseDef`] with its metadata (titles, severity,
//! scope, `examined when`, remediation with its deadline, `from`, `agreed` and `plan`,
//! messages in the pack's languages), statements and requirements with their names; reports
//! E205 (a requirement name taken), E207, E208, E209 (`from` without `within`), E210 (a
//! name of the derived form), E304 (a plan state that is not one) and W003.

use std::collections::HashMap;

use super::{Checker, Context, ParsedFile};
use crate::ast;
use crate::diagnostic::{Code, RawDiagnostic, did_you_mean};
use crate::program::{
    ClauseDef, Const, DeadlineDef, Expr, ExprKind, RemediationDef, Requirement, SeverityRule, Stmt,
    Template, TemplatePart, Type,
};
use crate::report::Severity;
use crate::source::Span;

/// The plan states of `plan STATE`, in the regions' terms.
const PLAN_STATES: [&str; 3] = ["green", "yellow", "red"];

/// The requirements of a clause so far: how many, and where each given name was given.
#[derive(Default)]
struct Requirements {
    count: usize,
    names: HashMap<String, Span>,
}

/// Whether `name` has the form of a derived requirement name: `r` and digits.
fn is_derived_name(name: &str) -> bool {
    name.strip_prefix('r')
        .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
}

/// The report's severity of a written level.
fn level(l: ast::Level) -> Severity {
    match l {
        ast::Level::Minor => Severity::Minor,
        ast::Level::Major => Severity::Major,
        ast::Level::Critical => Severity::Critical,
    }
}

/// Where statements are: the clause's top level, or a `for each` body with the block-level
/// `remedied when` in force there.
#[derive(Clone, Copy, PartialEq)]
enum Block<'s> {
    Clause,
    Loop(Option<&'s ast::Expr>),
}

impl<'s> Block<'s> {
    /// The block-level `remedied when` in force.
    fn default(self) -> Option<&'s ast::Expr> {
        match self {
            Block::Clause => None,
            Block::Loop(e) => e,
        }
    }
}

impl Checker<'_> {
    /// Every clause of every file, in order; E203 for an id used twice.
    pub(super) fn clauses(&mut self, files: &[ParsedFile]) -> Vec<ClauseDef> {
        let mut clauses = Vec::new();
        let mut seen: HashMap<String, Span> = HashMap::new();
        for f in files {
            self.file = f.id;
            for item in &f.ast.items {
                if let ast::Item::Clause(cl) = item {
                    if let Some(first) = seen.get(&cl.id) {
                        let loc = self.sources.loaded_location(*first);
                        self.error(
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
                    clauses.push(self.clause(cl));
                }
            }
        }
        clauses
    }

    /// A clause: its metadata, then its statements (E208 without a requirement or a title in
    /// the pack's first language).
    fn clause(&mut self, cl: &ast::Clause) -> ClauseDef {
        self.begin_scope_root();
        self.established = super::holes::Established::default();
        self.this_clause = Some(cl.id.clone());
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
        let examined = cl
            .examined
            .as_ref()
            .map(|e| self.condition(e, "`examined when`"));
        // Compiled here quietly, for the tools that describe the clause (its names may be the
        // requirements' loop variables); each requirement without its own compiles it in its
        // scope, with the diagnostics.
        let remediation = cl
            .remediation
            .as_ref()
            .map(|r| self.quietly(|c| c.remediation(r)));
        self.inherited = cl.remediation.clone().map(|r| (r, false));
        self.inherited_basis = cl.basis.clone().map(|b| (b, false));
        self.inherited_severe = cl.severe.clone().map(|s| (s, false));
        let remedied = cl
            .remedied
            .as_ref()
            .map(|e| self.condition(e, "`remedied when`"));
        let mut requirements = Requirements::default();
        let body = self.stmts(&cl.body, &mut requirements, Block::Clause);
        // A clause remediation no requirement inherits is checked in the clause's scope.
        if let Some((clause_level, false)) = self.inherited.take()
            && requirements.count > 0
        {
            self.remediation(&clause_level);
        }
        if requirements.count > 0 {
            self.check_uninherited(
                |c| &mut c.inherited_basis,
                |c, e| {
                    c.basis(e);
                },
            );
            self.check_uninherited(
                |c| &mut c.inherited_severe,
                |c, s| {
                    c.severe(s);
                },
            );
        }
        self.inherited_basis = None;
        self.inherited_severe = None;
        if requirements.count == 0 {
            self.error(
                RawDiagnostic::new(
                    Code::E208,
                    cl.id_span.0,
                    format!("clause `{}` has no requirement", cl.id),
                )
                .help("add `require …`"),
            );
        }
        let def = ClauseDef {
            id: cl.id.clone(),
            titles,
            references: cl.references.clone(),
            severity,
            scope,
            examined,
            remediation,
            remedied,
            body,
            slots: self.frame.max_slot,
            location: self.sources.location(cl.span.0),
        };
        self.this_clause = None;
        def
    }

    /// Drops the diagnostics from `before` on that repeat one given earlier (a clause-level
    /// text compiled for each requirement reports its problem once).
    pub(super) fn dedupe_diagnostics(&mut self, before: usize) {
        let (earlier, new) = self.diags.split_at(before.min(self.diags.len()));
        let fresh: Vec<RawDiagnostic> = new
            .iter()
            .filter(|d| {
                !earlier
                    .iter()
                    .any(|e| e.code == d.code && e.span == d.span && e.message == d.message)
            })
            .cloned()
            .collect();
        self.diags.truncate(before);
        self.diags.extend(fresh);
    }

    /// E207 unless `lang` is a language of the pack not in `seen` yet.
    pub(super) fn language(&mut self, lang: &ast::Ident, seen: &[String]) {
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

    /// A fixed severity, or cases checked as conditions (the lowest case the default).
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

    /// Remediation texts (which may name `severity`) and the deadline.
    fn remediation(&mut self, r: &ast::Remediation) -> RemediationDef {
        let saved = self.frame.context;
        self.frame.context = Context::Remediation;
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
        let from = r.from.as_ref().map(|e| {
            let out = self.dated(e, "`from` needs a date");
            if !matches!(r.deadline, Some(ast::Deadline::Within(_))) {
                self.stray_from(e.span.0, r.deadline.is_some());
            }
            out
        });
        let agreed = r
            .agreed
            .as_ref()
            .map(|e| self.dated(e, "`agreed` needs a date"));
        let plan = r.plan.as_ref().map(|e| {
            let (out, ty) = self.expr(e);
            self.expect_type(
                &ty,
                &Type::String,
                out.span,
                "`plan` needs a text: `\"green\"`, `\"yellow\"` or `\"red\"`",
            );
            self.plan_states(&out);
            out
        });
        self.frame.context = saved;
        RemediationDef {
            texts,
            deadline,
            from,
            agreed,
            plan,
        }
    }

    /// An expression that must be a date (`from`, `agreed`).
    fn dated(&mut self, e: &ast::Expr, what: &str) -> Expr {
        let (out, ty) = self.expr(e);
        self.expect_type(&ty, &Type::Date, out.span, what);
        out
    }

    /// E209: `from` with `due`, or with no deadline: there is nothing to count from it.
    fn stray_from(&mut self, span: Span, due: bool) {
        let (message, help) = if due {
            (
                "`from` with `due`",
                "`due DATE` is the deadline itself; `from` is the date a `within` deadline counts from: write `within 30 days from DATE`, or drop `from`",
            )
        } else {
            (
                "`from` without `within`",
                "`from` is the date a `within` deadline counts from: add one, e.g. `within 30 days from DATE`",
            )
        };
        self.error(
            RawDiagnostic::new(Code::E209, span, message)
                .label("nothing counts from this date")
                .help(help),
        );
    }

    /// E304 for a constant text that `plan` can give and that is not a plan state (the
    /// branches of `if` and `??` are looked into).
    fn plan_states(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Const(Const::Str(text)) if !PLAN_STATES.contains(&&**text) => {
                let help = did_you_mean(text, PLAN_STATES);
                self.error(
                    RawDiagnostic::new(
                        Code::E304,
                        e.span,
                        format!("`{text}` is not a plan state"),
                    )
                    .label("not `green`, `yellow` or `red`")
                    .maybe_help(help.or_else(|| {
                        Some("a plan is `\"green\"` (closed and verified), `\"yellow\"` (open within its deadline) or `\"red\"` (overdue, or no plan)".into())
                    })),
                );
            }
            ExprKind::If(_, a, b) | ExprKind::Coalesce(a, b) => {
                self.plan_states(a);
                self.plan_states(b);
            }
            _ => {}
        }
    }

    /// A message or remediation text: its holes checked, `:%` the only format.
    pub(super) fn template(&mut self, t: &ast::Template) -> Template {
        let mut parts = Vec::new();
        for p in &t.parts {
            match p {
                ast::TemplatePart::Literal(s) => parts.push(TemplatePart::Literal(s.clone())),
                ast::TemplatePart::Hole { expr, format } => {
                    let e = self.hole(expr);
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

    /// A placeholder's expression. `{x ?? "wording"}` may give a text for a value of any type:
    /// the hole is shown as text either way (the author's words for the unknown case, W006).
    fn hole(&mut self, expr: &ast::Expr) -> Expr {
        if let ast::ExprKind::Binary(ast::BinaryOp::Coalesce, a, b) = &expr.kind
            && matches!(b.kind, ast::ExprKind::Str(_))
        {
            let (a, _) = self.expr(a);
            let (b, _) = self.expr(b);
            return Expr {
                kind: ExprKind::Coalesce(Box::new(a), Box::new(b)),
                span: expr.span.0,
            };
        }
        self.expr(expr).0
    }

    /// The statements of a clause or `for each`; counts the requirements. A block-level
    /// `remedied when` is attached to every `require` after it that has none of its own, in
    /// this block and the blocks nested in it (E209 at the clause's top level); a `for each`
    /// over a collection `insufficient when empty` starts with its guard.
    fn stmts<'s>(
        &mut self,
        stmts: &'s [ast::Stmt],
        requirements: &mut Requirements,
        mut block: Block<'s>,
    ) -> Vec<Stmt> {
        let mut out = Vec::new();
        for s in stmts {
            match s {
                ast::Stmt::Let(l) => {
                    let (value, ty) = self.expr(&l.value);
                    let slot = self.bind(&l.name, ty);
                    self.establish_let(slot, &value);
                    out.push(Stmt::Let { slot, value });
                }
                ast::Stmt::Insufficient(x) => {
                    let condition = self.condition(&x.value, "`insufficient unless`");
                    let text = self.sources.one_line(x.value.span.0);
                    out.push(Stmt::Insufficient { condition, text });
                }
                ast::Stmt::Remedied(x) => {
                    if block == Block::Clause {
                        self.error(
                            RawDiagnostic::new(
                                Code::E209,
                                x.span.0,
                                "`remedied when` after the clause's statements",
                            )
                            .label("not inside a `for each`")
                            .help("write it with the clause's metadata, before its first statement, or inside a `for each` as the default of the requirements after it"),
                        );
                    }
                    // Checked here for its errors; each requirement checks it again, quietly.
                    self.condition(&x.value, "`remedied when`");
                    block = Block::Loop(Some(&x.value));
                }
                ast::Stmt::For(f) => {
                    if let Some(c) = f
                        .bindings
                        .first()
                        .and_then(|b| self.collection_named(&b.collection))
                        .filter(|c| c.insufficient_when_empty)
                    {
                        out.push(self.collection_guard(&c));
                    }
                    let mark = self.open_scope();
                    let bindings = self.bindings(&f.bindings);
                    let established = self.establish_loop(&bindings);
                    let inner = Block::Loop(block.default());
                    let body = self.stmts(&f.body, requirements, inner);
                    self.forget(established);
                    self.close_scope(mark);
                    out.push(Stmt::For { bindings, body });
                }
                ast::Stmt::Require(r) => {
                    requirements.count += 1;
                    let name = self.requirement_name(r, requirements);
                    let req = self.requirement(r, block.default(), name);
                    out.push(Stmt::Require(Box::new(req)));
                }
            }
        }
        super::fuse::fuse(&mut out, &mut self.fusion_groups);
        out
    }

    /// The name of requirement `r`, the `count`th of its clause: the one given with `named`
    /// (E210 for one of the derived form, E205 for one given before in the clause), else
    /// `r{count}`.
    fn requirement_name(&mut self, r: &ast::Require, requirements: &mut Requirements) -> String {
        let Some(name) = &r.name else {
            return format!("r{}", requirements.count);
        };
        if is_derived_name(&name.name) {
            self.error(
                RawDiagnostic::new(
                    Code::E210,
                    name.span.0,
                    format!("`{}` has the form of a derived requirement name", name.name),
                )
                .label("`r` and digits")
                .help("a requirement without `named` is called `r1`, `r2`, … by its place in the clause; give a name that says what it requires, e.g. `named weekly_cap`"),
            );
        } else if let Some(first) = requirements.names.get(&name.name) {
            let loc = self.sources.loaded_location(*first);
            self.error(
                RawDiagnostic::new(
                    Code::E205,
                    name.span.0,
                    format!(
                        "requirement name `{}` is used twice in this clause",
                        name.name
                    ),
                )
                .label("named again here")
                .help(format!(
                    "the first is at {loc}; the requirements of a clause need different names"
                )),
            );
        } else {
            requirements.names.insert(name.name.clone(), name.span.0);
        }
        name.name.clone()
    }

    /// A `require` with its name, messages (W003 for a language without one), severity and
    /// remediation.
    fn requirement(
        &mut self,
        r: &ast::Require,
        default: Option<&ast::Expr>,
        name: String,
    ) -> Requirement {
        let condition = self.condition(&r.condition, "`require`");
        let saved = self.frame.context;
        self.frame.context = Context::Message;
        let mut messages: Vec<(String, Template)> = Vec::new();
        for m in &r.messages {
            self.language(
                &m.lang,
                &messages.iter().map(|(l, _)| l.clone()).collect::<Vec<_>>(),
            );
            let tpl = self.template(&m.template);
            messages.push((m.lang.name.clone(), tpl));
        }
        self.frame.context = saved;
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
        let remediation = match (&r.remediation, self.inherited.take()) {
            (Some(own), inherited) => {
                self.inherited = inherited;
                Some(self.remediation(own))
            }
            (None, Some((clause_level, _))) => {
                let before = self.diags.len();
                let def = self.remediation(&clause_level);
                self.dedupe_diagnostics(before);
                self.inherited = Some((clause_level, true));
                Some(def)
            }
            (None, None) => None,
        };
        let remedied = match (&r.remedied, default) {
            (Some(e), _) => Some(self.condition(e, "`remedied when`")),
            (None, Some(e)) => Some(self.quietly(|c| c.condition(e, "`remedied when`"))),
            (None, None) => None,
        };
        let basis =
            self.own_or_inherited(r.basis.as_ref(), |c| &mut c.inherited_basis, Self::basis);
        let severe =
            self.own_or_inherited(r.severe.as_ref(), |c| &mut c.inherited_severe, Self::severe);
        let expected = self.expected_texts(&r.expected);
        let texts = messages
            .iter()
            .chain(&expected)
            .chain(remediation.iter().flat_map(|rem| &rem.texts))
            .map(|(_, t)| t);
        self.unknown_holes(&condition, texts);
        Requirement {
            name,
            remedied,
            basis,
            severe,
            expected,
            text: self.sources.one_line(r.condition.span.0),
            condition,
            messages,
            severity,
            remediation,
            location: self.sources.location(r.span.0),
        }
    }
}
