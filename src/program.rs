//! The resolved, typed program a [`crate::RulePack`] holds: names are slots and indexes,
//! evidence paths are key lists, constants are folded. No AST, no lifetimes.

use std::collections::HashMap;
use std::sync::Arc;

use crate::date::{Date, Duration};
use crate::number::Number;
use crate::report::Severity;
use crate::source::{Location, SourceMap, Span};

/// A static type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Type {
    /// Evidence whose shape is not declared: checked when used.
    Any,
    Bool,
    Number,
    String,
    Date,
    Duration,
    Null,
    List(Box<Type>),
    /// A declared evidence object.
    Object(ShapeId),
}

impl Type {
    pub(crate) fn name(&self) -> String {
        match self {
            Type::Any => "any".into(),
            Type::Bool => "bool".into(),
            Type::Number => "number".into(),
            Type::String => "string".into(),
            Type::Date => "date".into(),
            Type::Duration => "duration".into(),
            Type::Null => "null".into(),
            Type::List(t) => format!("list of {}", t.name()),
            Type::Object(_) => "object".into(),
        }
    }

    /// Whether a value of this type can stand where `other` is wanted (evidence of
    /// undeclared shape fits anywhere and is checked at run time).
    pub(crate) fn fits(&self, other: &Type) -> bool {
        match (self, other) {
            (Type::Any, _) | (_, Type::Any) | (Type::Null, _) | (_, Type::Null) => true,
            (Type::List(a), Type::List(b)) => a.fits(b),
            (Type::Object(_), Type::Object(_)) => true,
            (a, b) => a == b,
        }
    }
}

pub(crate) type ShapeId = u32;

/// A declared evidence shape.
#[derive(Clone, Debug)]
pub(crate) enum Shape {
    Object(indexmap::IndexMap<String, ShapeId>),
    List(ShapeId),
    Scalar(Type),
    /// A text from a fixed set.
    Enum(Vec<String>),
}

pub(crate) use crate::report::FilledBy;

/// What the evidence declaration says about one field beyond its shape.
#[derive(Clone, Debug, Default)]
pub(crate) struct FieldInfo {
    /// `description LANG "…"`: what the field holds, per language, in the order written.
    pub(crate) descriptions: Vec<(String, String)>,
    /// `document LANG "…"`: the document that proves the field (and the fields inside it),
    /// per language, in the order written.
    pub(crate) documents: Vec<(String, String)>,
    /// Who fills it in, when not the supplier (declared on it or on an object around it).
    pub(crate) filled_by: Option<FilledBy>,
}

/// A constant value: literals, parameter defaults, table entries.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Const {
    Null,
    Bool(bool),
    Number(Number),
    Str(Arc<str>),
    Date(Date),
    Duration(Duration),
    List(Arc<[Const]>),
}

impl Const {
    pub(crate) fn ty(&self) -> Type {
        match self {
            Const::Null => Type::Null,
            Const::Bool(_) => Type::Bool,
            Const::Number(_) => Type::Number,
            Const::Str(_) => Type::String,
            Const::Date(_) => Type::Date,
            Const::Duration(_) => Type::Duration,
            Const::List(items) => Type::List(Box::new(items.first().map_or(Type::Any, Const::ty))),
        }
    }
}

#[derive(Debug)]
pub(crate) struct ParamDef {
    pub(crate) name: String,
    pub(crate) ty: Type,
    pub(crate) default: Const,
    #[allow(dead_code, reason = "kept for the pack reference and explain tools")]
    pub(crate) source: Option<String>,
    /// `source LANG "…"`: where the value comes from, per language, in the order written
    /// (empty for the plain form, `source`). Read through [`text_in`].
    #[cfg_attr(not(feature = "tools"), allow(dead_code))]
    pub(crate) sources: Vec<(String, String)>,
    /// `title LANG "…"`: what the parameter is, per language, in the order written.
    pub(crate) titles: Vec<(String, String)>,
    /// `at least`: the smallest value allowed (a constant of the parameter's type).
    pub(crate) at_least: Option<Const>,
    /// `at most`: the largest value allowed.
    pub(crate) at_most: Option<Const>,
    /// `overridden by PATH`: the evidence field that decides the parameter when present.
    pub(crate) overridden_by: Option<OverriddenBy>,
}

/// The evidence field a parameter is `overridden by`: a top-level path through objects only.
#[derive(Debug)]
pub(crate) struct OverriddenBy {
    /// As written: `contract.reporting_deadline_days`.
    pub(crate) dotted: String,
    /// The read of the field, typed by its declared shape.
    pub(crate) read: Expr,
}

impl ParamDef {
    /// Why `value` is outside the declared bounds (`must be at least 1, got -5`), if it is.
    /// Values that do not compare with a bound (days against months) are outside it.
    pub(crate) fn bound_problem(&self, value: &Const) -> Option<String> {
        use std::cmp::Ordering;
        let checks = [
            (self.at_least.as_ref(), "at least", Ordering::Less),
            (self.at_most.as_ref(), "at most", Ordering::Greater),
        ];
        checks.into_iter().find_map(|(bound, word, wrong)| {
            let bound = bound?;
            match compare_consts(value, bound) {
                Some(o) if o != wrong => None,
                _ => Some(format!(
                    "must be {word} {}, got {}",
                    const_text(bound),
                    const_text(value)
                )),
            }
        })
    }
}

/// The order of two constants of one type (numbers, dates, durations of one unit).
pub(crate) fn compare_consts(a: &Const, b: &Const) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Const::Number(x), Const::Number(y)) => Some(x.cmp(y)),
        (Const::Date(x), Const::Date(y)) => Some(x.cmp(y)),
        (Const::Duration(x), Const::Duration(y)) => x.compare(*y),
        _ => None,
    }
}

/// A constant as an override writes it (`60`, `2024-10-31`, `30 days`; texts bare).
pub(crate) fn const_text(c: &Const) -> String {
    match c {
        Const::Null => "null".into(),
        Const::Bool(b) => b.to_string(),
        Const::Number(n) => n.to_string(),
        Const::Str(s) => s.to_string(),
        Const::Date(d) => d.to_string(),
        Const::Duration(d) => d.to_string(),
        Const::List(items) => {
            let items: Vec<String> = items.iter().map(const_text).collect();
            format!("[{}]", items.join(", "))
        }
    }
}

#[derive(Debug)]
pub(crate) struct TableDef {
    #[allow(dead_code, reason = "kept for the pack reference and explain tools")]
    pub(crate) name: String,
    pub(crate) ty: Type,
    pub(crate) default: Option<Const>,
    pub(crate) entries: HashMap<String, Const>,
    /// The titles per language, for the pack reference.
    #[cfg_attr(not(feature = "tools"), allow(dead_code))]
    pub(crate) titles: Vec<(String, String)>,
    /// The source the table cites, for the pack reference.
    #[allow(dead_code, reason = "kept for the pack reference")]
    pub(crate) source: Option<String>,
    /// The source per language (empty for the plain form). Read through [`text_in`].
    #[cfg_attr(not(feature = "tools"), allow(dead_code))]
    pub(crate) sources: Vec<(String, String)>,
    /// The entries' keys with the sources they cite, in the order written, for the pack
    /// reference (`entries` holds the values).
    #[cfg_attr(not(feature = "tools"), allow(dead_code))]
    pub(crate) written: Vec<WrittenEntry>,
}

/// A table entry as written: its key and the source it cites (read by the pack reference).
#[derive(Debug)]
#[cfg_attr(not(feature = "tools"), allow(dead_code))]
pub(crate) struct WrittenEntry {
    pub(crate) key: String,
    pub(crate) source: Option<String>,
    /// The source per language (empty for the plain form). Read through [`text_in`].
    pub(crate) sources: Vec<(String, String)>,
}

/// A text per language (a source, a table's title) in `language`: the plain form's one text,
/// else the text in `language`, else in `first` (the pack's first language), else the first
/// written.
#[cfg_attr(not(feature = "tools"), allow(dead_code))]
pub(crate) fn text_in<'a>(
    plain: Option<&'a str>,
    sources: &'a [(String, String)],
    language: &str,
    first: Option<&str>,
) -> Option<&'a str> {
    plain.or_else(|| {
        sources
            .iter()
            .find(|(l, _)| l == language)
            .or_else(|| first.and_then(|f| sources.iter().find(|(l, _)| l == f)))
            .or_else(|| sources.first())
            .map(|(_, t)| t.as_str())
    })
}

#[derive(Debug)]
pub(crate) struct Program {
    pub(crate) name: String,
    /// How many groups of fused aggregates the clauses have (`check/fuse.rs`).
    pub(crate) fusion_groups: usize,
    /// The title per language, in the order written; a title written once for every
    /// language is held under the pack's first language. Read through [`Program::title`].
    pub(crate) titles: Vec<(String, String)>,
    pub(crate) edition: Option<String>,
    pub(crate) languages: Vec<String>,
    pub(crate) as_of: Option<Expr>,
    pub(crate) subject: Vec<(String, Expr)>,
    /// `labels KEY from LIST: …`, in the order written (read by `crate::pack::labels`).
    pub(crate) labels: Vec<LabelsDef>,
    pub(crate) params: Vec<ParamDef>,
    pub(crate) tables: Vec<TableDef>,
    pub(crate) clauses: Vec<ClauseDef>,
    /// The order clauses are judged in (places in `clauses`): each after the clauses whose
    /// outcomes it reads, otherwise in the pack's order.
    pub(crate) clause_order: Vec<usize>,
    /// For each clause, the clauses whose outcomes it reads (places in `clauses`), for
    /// `explain`.
    #[cfg_attr(not(feature = "tools"), allow(dead_code))]
    pub(crate) reads_clauses: Vec<Vec<usize>>,
    pub(crate) sources: SourceMap,
    pub(crate) digest: String,
    /// Slots needed by the header's expressions and the definitions.
    pub(crate) header_slots: usize,
    /// The allowed texts of each enumerated evidence field, by shape id.
    pub(crate) enum_sets: Vec<Vec<String>>,
    /// What a value of each declared shape must be, by shape id.
    pub(crate) shape_expects: Vec<Expect>,
    /// The declared evidence shapes, by shape id (read by `crate::tools::validate`).
    #[cfg_attr(not(feature = "tools"), allow(dead_code))]
    pub(crate) shapes: Vec<Shape>,
    /// The key fields of each declared object shape, by shape id (empty when none).
    pub(crate) object_keys: Vec<Arc<[Arc<str>]>>,
    /// The declared descriptions and fillers of fields, by object shape and field name.
    pub(crate) field_info: std::collections::HashMap<(ShapeId, String), FieldInfo>,
    /// The shape of the whole evidence document, when the pack declares one.
    #[cfg_attr(not(feature = "tools"), allow(dead_code))]
    pub(crate) evidence_root: Option<ShapeId>,
    /// Pack-level functions, each calling only those defined before it.
    pub(crate) functions: Vec<FunctionDef>,
    /// Pack-level definitions, in dependency order: evaluated once per evaluation.
    pub(crate) definitions: Vec<Expr>,
}

/// The pack table that names, for each key of a report, the tables (`NAME_LANG`) giving the
/// key's stored texts in words (`report::Report::value_words`).
pub(crate) const VALUE_WORDS_TABLE: &str = "value_words";

impl Program {
    /// Whether `text` is one of the allowed texts of the enumerated field shape `id`.
    pub(crate) fn in_enum(&self, id: u32, text: &str) -> bool {
        self.enum_sets
            .get(id as usize)
            .is_some_and(|set| set.iter().any(|a| a == text))
    }

    /// The word in `language` for the stored text `text` of the report key `key`: from the
    /// first of the tables [`VALUE_WORDS_TABLE`] names for the key (`NAME_LANG`) that lists it.
    pub(crate) fn value_word(&self, key: &str, text: &str, language: &str) -> Option<String> {
        let table = |name: &str| self.tables.iter().find(|t| t.name == name);
        let Some(Const::Str(names)) = table(VALUE_WORDS_TABLE)?.entries.get(key) else {
            return None;
        };
        names.split_whitespace().find_map(|name| {
            match table(&format!("{name}_{language}"))?.entries.get(text) {
                Some(Const::Str(word)) => Some(word.to_string()),
                _ => None,
            }
        })
    }

    /// The pack's title in `language`, else in its first language, else the first written.
    pub(crate) fn title(&self, language: &str) -> &str {
        let first = self.languages.first().map(String::as_str);
        self.titles
            .iter()
            .find(|(l, _)| l == language)
            .or_else(|| self.titles.iter().find(|(l, _)| Some(l.as_str()) == first))
            .or_else(|| self.titles.first())
            .map_or("", |(_, t)| t.as_str())
    }
}

/// `labels site_id from supply_chain.sites: country, name from legal_name`, checked: the
/// list's path from the evidence root, the items' key field and the label fields, each with
/// what its value must be.
#[derive(Debug)]
pub(crate) struct LabelsDef {
    /// The key field of the list's items, which findings carry in their subject.
    pub(crate) key: String,
    /// The list's path from the evidence root, one field name per step.
    pub(crate) list: Vec<String>,
    /// Each label's name, the item field it is read from, and what its value must be.
    pub(crate) fields: Vec<(String, String, Expect)>,
}

/// A pack-level function: its parameters are slots `0..arity` of its own frame.
#[derive(Debug)]
pub(crate) struct FunctionDef {
    pub(crate) body: Expr,
    pub(crate) slots: usize,
}

#[derive(Debug)]
pub(crate) enum SeverityRule {
    Fixed(Severity),
    Cases {
        cases: Vec<(Severity, Expr)>,
        otherwise: Severity,
    },
}

#[derive(Debug)]
pub(crate) struct RemediationDef {
    pub(crate) texts: Vec<(String, Template)>,
    pub(crate) deadline: Option<DeadlineDef>,
    /// `from date`: the date the evidence establishes the deviation; `within` counts from it
    /// when it is known, else from `as_of`.
    pub(crate) from: Option<Expr>,
    /// `agreed date`: the deadline of the corrective-action plan the evidence links to the
    /// finding; when known it is the due date, whatever `within` says.
    pub(crate) agreed: Option<Expr>,
    /// `plan state`: the linked plan's state, one of `green`, `yellow`, `red`.
    pub(crate) plan: Option<Expr>,
}

#[derive(Debug)]
pub(crate) enum DeadlineDef {
    /// `within duration`: as_of plus the duration.
    Within(Expr),
    /// `due date`.
    Due(Expr),
}

#[derive(Debug)]
pub(crate) struct ClauseDef {
    pub(crate) id: String,
    pub(crate) titles: Vec<(String, String)>,
    pub(crate) references: Vec<String>,
    pub(crate) severity: SeverityRule,
    pub(crate) scope: Option<Expr>,
    /// `examined when`: false when the follow-up's methods do not examine the clause.
    pub(crate) examined: Option<Expr>,
    pub(crate) remediation: Option<RemediationDef>,
    pub(crate) remedied: Option<Expr>,
    pub(crate) body: Vec<Stmt>,
    pub(crate) slots: usize,
    pub(crate) location: Location,
}

#[derive(Debug)]
pub(crate) enum Stmt {
    Let {
        slot: usize,
        value: Expr,
    },
    For {
        bindings: Vec<Binding>,
        body: Vec<Stmt>,
    },
    Require(Box<Requirement>),
    /// `insufficient unless cond`: when false, what it is about counts as missing.
    Insufficient {
        condition: Expr,
        text: String,
    },
}

#[derive(Debug)]
pub(crate) struct Binding {
    pub(crate) slot: usize,
    pub(crate) collection: Expr,
    pub(crate) filter: Option<Expr>,
    /// When the filter is `item.key == other` and `other` does not depend on the item, the
    /// items can be found through an index on `key` instead of a scan (a join by id).
    pub(crate) lookup: Option<Lookup>,
    /// The fields the evidence declaration marks as the items' keys (`key site_id`): they
    /// name the item in finding ids, subjects and missing entries.
    pub(crate) keys: Arc<[Arc<str>]>,
    /// The variable's name: the key of a text, number or date item (`country=MY`).
    pub(crate) name: Arc<str>,
}

/// A group of aggregates of one statement list that visit the same items: the evaluator
/// computes them in one pass (`check/fuse.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Fusion {
    pub(crate) group: u32,
    /// Every member of the group is a `count` or `share` of a comparison whose left side is
    /// the same (`w.hours > 60`, `w.hours > 72`): the pass computes that side once per item.
    pub(crate) shared_left: bool,
}

/// An equality filter that an index can answer: `item.key == other`.
#[derive(Debug)]
pub(crate) struct Lookup {
    pub(crate) key: Arc<str>,
    /// Whether `other` is the right-hand side of the comparison (else the left).
    pub(crate) other_is_right: bool,
}

impl Expr {
    /// Calls `f` on each expression `self` evaluates in its own context: operands, arguments,
    /// branches; not an aggregate's collections, filters and body.
    pub(crate) fn each_operand<'e>(&'e self, mut f: impl FnMut(&'e Expr)) {
        match &self.kind {
            ExprKind::Index(a, b, _)
            | ExprKind::And(a, b)
            | ExprKind::Or(a, b)
            | ExprKind::Cmp(_, a, b)
            | ExprKind::Arith(_, a, b)
            | ExprKind::Coalesce(a, b)
            | ExprKind::In {
                item: a, list: b, ..
            } => {
                f(a);
                f(b);
            }
            ExprKind::Table(_, a)
            | ExprKind::Not(a)
            | ExprKind::Neg(a)
            | ExprKind::Duration(a, _) => f(a),
            ExprKind::Call(_, args) | ExprKind::CallFunction(_, args) | ExprKind::List(args) => {
                args.iter().for_each(f);
            }
            ExprKind::If(a, b, c) => {
                f(a);
                f(b);
                f(c);
            }
            _ => {}
        }
    }

    /// [`Expr::each_operand`], to change them.
    pub(crate) fn each_operand_mut(&mut self, mut f: impl FnMut(&mut Expr)) {
        match &mut self.kind {
            ExprKind::Index(a, b, _)
            | ExprKind::And(a, b)
            | ExprKind::Or(a, b)
            | ExprKind::Cmp(_, a, b)
            | ExprKind::Arith(_, a, b)
            | ExprKind::Coalesce(a, b)
            | ExprKind::In {
                item: a, list: b, ..
            } => {
                f(a);
                f(b);
            }
            ExprKind::Table(_, a)
            | ExprKind::Not(a)
            | ExprKind::Neg(a)
            | ExprKind::Duration(a, _) => f(a),
            ExprKind::Call(_, args) | ExprKind::CallFunction(_, args) | ExprKind::List(args) => {
                args.iter_mut().for_each(f);
            }
            ExprKind::If(a, b, c) => {
                f(a);
                f(b);
                f(c);
            }
            _ => {}
        }
    }

    /// Whether the expression reads the local in `slot`.
    pub(crate) fn mentions(&self, slot: usize) -> bool {
        match &self.kind {
            ExprKind::Local(s) => *s == slot,
            ExprKind::Path { base, .. } => *base == PathBase::Local(slot),
            ExprKind::Aggregate { bindings, body, .. } => {
                bindings.iter().any(|b| {
                    b.collection.mentions(slot)
                        || b.filter.as_ref().is_some_and(|f| f.mentions(slot))
                }) || body.as_ref().is_some_and(|e| e.mentions(slot))
            }
            _ => {
                let mut found = false;
                self.each_operand(|e| found = found || e.mentions(slot));
                found
            }
        }
    }

    /// `local.key` with a text (or undeclared) shape: the field an index can be built on.
    fn key_of(&self, slot: usize) -> Option<Arc<str>> {
        match &self.kind {
            ExprKind::Path {
                base: PathBase::Local(s),
                steps,
                expect,
                // Not an enumerated field: an item holding a text outside its set is invalid
                // evidence, which the filter must see (an index by text would skip it).
            } if *s == slot && matches!(expect, Expect::String | Expect::Any) => {
                match steps.as_ref() {
                    [Step::Key(k)] => Some(k.clone()),
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

/// The index plan for a binding's filter, if it is an equality on one of the item's fields.
pub(crate) fn lookup_for(slot: usize, filter: Option<&Expr>) -> Option<Lookup> {
    let ExprKind::Cmp(CmpOp::Eq, l, r) = &filter?.kind else {
        return None;
    };
    if let Some(key) = l.key_of(slot)
        && !r.mentions(slot)
    {
        return Some(Lookup {
            key,
            other_is_right: true,
        });
    }
    if let Some(key) = r.key_of(slot)
        && !l.mentions(slot)
    {
        return Some(Lookup {
            key,
            other_is_right: false,
        });
    }
    None
}

#[derive(Debug)]
pub(crate) struct Requirement {
    /// The name given with `named`, or one derived from the requirement's place in its
    /// clause (`r1`, `r2`, …): it never depends on lines or layout.
    pub(crate) name: String,
    pub(crate) condition: Expr,
    pub(crate) messages: Vec<(String, Template)>,
    pub(crate) severity: Option<SeverityRule>,
    pub(crate) remediation: Option<RemediationDef>,
    /// When a failure on this item counts as put right.
    pub(crate) remedied: Option<Expr>,
    pub(crate) location: Location,
    /// The condition as written (for tools that show the rule; never in a finding).
    pub(crate) text: String,
    /// `basis EXPR` (its own or its clause's): a text naming how the facts were obtained.
    pub(crate) basis: Option<Expr>,
    /// `severe CATEGORY [when COND]` (its own or its clause's).
    pub(crate) severe: Option<SevereDef>,
    /// `expected LANG "…"`: what it asks for in the author's words, per language.
    pub(crate) expected: Vec<(String, Template)>,
}

/// A severe-deviation category and when a finding is in it (always, without a condition).
#[derive(Debug)]
pub(crate) struct SevereDef {
    pub(crate) category: String,
    pub(crate) when: Option<Expr>,
}

#[derive(Debug)]
pub(crate) struct Template {
    pub(crate) parts: Vec<TemplatePart>,
}

#[derive(Debug)]
pub(crate) enum TemplatePart {
    Literal(String),
    Hole { expr: Expr, percent: bool },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    /// Whether `a op b` holds, given how `a` orders against `b` (`None`: the two are of
    /// kinds that do not order). Equality holds only for equal values; an order between
    /// values that do not order is `None`.
    pub(crate) fn holds(self, order: Option<std::cmp::Ordering>) -> Option<bool> {
        use std::cmp::Ordering::{Equal, Greater, Less};
        Some(match (self, order) {
            (CmpOp::Eq, o) => o == Some(Equal),
            (CmpOp::Ne, o) => o != Some(Equal),
            (_, None) => return None,
            (CmpOp::Lt, Some(o)) => o == Less,
            (CmpOp::Le, Some(o)) => o != Greater,
            (CmpOp::Gt, Some(o)) => o == Greater,
            (CmpOp::Ge, Some(o)) => o != Less,
        })
    }

    pub(crate) fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
    /// The operator with its operands swapped: `a < b` is `b > a`.
    pub(crate) fn flip(self) -> CmpOp {
        match self {
            CmpOp::Lt => CmpOp::Gt,
            CmpOp::Le => CmpOp::Ge,
            CmpOp::Gt => CmpOp::Lt,
            CmpOp::Ge => CmpOp::Le,
            other => other,
        }
    }
    /// The operator that holds exactly when this one does not.
    pub(crate) fn negate(self) -> CmpOp {
        match self {
            CmpOp::Eq => CmpOp::Ne,
            CmpOp::Ne => CmpOp::Eq,
            CmpOp::Lt => CmpOp::Ge,
            CmpOp::Le => CmpOp::Gt,
            CmpOp::Gt => CmpOp::Le,
            CmpOp::Ge => CmpOp::Lt,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
}

impl ArithOp {
    /// `a op b`, exactly; `None` when the result is out of range or `b` is a zero divisor.
    pub(crate) fn on_numbers(self, a: Number, b: Number) -> Option<Number> {
        match self {
            ArithOp::Add => a.checked_add(b),
            ArithOp::Sub => a.checked_sub(b),
            ArithOp::Mul => a.checked_mul(b),
            ArithOp::Div if b.is_zero() => None,
            ArithOp::Div => a.checked_div(b),
        }
    }
}

/// A builtin function: its place in the builtins table (`eval::builtins::BUILTINS`), which
/// says everything else about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Builtin(pub(crate) u8);

/// One step of an evidence path.
#[derive(Clone, Debug)]
pub(crate) enum Step {
    Key(Arc<str>),
    Index(usize),
}

/// What a declared evidence field must hold; checked when it is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Expect {
    Any,
    Bool,
    Number,
    String,
    Date,
    List,
    Object,
    /// A text from the set `Program::enum_sets[i]`.
    Enum(ShapeId),
    /// A list whose items have the declared shape `i` (checked item by item on read).
    ListOf(ShapeId),
}

impl Expect {
    pub(crate) fn from_type(ty: &Type) -> Expect {
        match ty {
            Type::Bool => Expect::Bool,
            Type::Number => Expect::Number,
            Type::String => Expect::String,
            Type::Date => Expect::Date,
            Type::List(_) => Expect::List,
            Type::Object(_) => Expect::Object,
            _ => Expect::Any,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PathBase {
    /// The evidence document.
    Root,
    /// A bound local.
    Local(usize),
}

pub(crate) use crate::ast::AggregateKind;
pub(crate) use crate::ast::Unit;

#[derive(Debug)]
pub(crate) struct Expr {
    pub(crate) kind: ExprKind,
    pub(crate) span: Span,
}

#[derive(Debug)]
pub(crate) enum ExprKind {
    Const(Const),
    Local(usize),
    Param(usize),
    /// A pack-level definition.
    Global(usize),
    AsOf,
    /// The violation's severity, in remediation deadlines and messages.
    Severity,
    /// The value found (in messages).
    Actual,
    /// What was required (in messages).
    Expected,
    /// An evidence path; `expect` is the declared shape the value must have.
    Path {
        base: PathBase,
        steps: Box<[Step]>,
        expect: Expect,
    },
    /// A field or item of a computed value (not a path), read as the declared shape says.
    Index(Box<Expr>, Box<Expr>, Expect),
    Table(usize, Box<Expr>),
    Call(Builtin, Vec<Expr>),
    /// A call of a pack-level function.
    CallFunction(usize, Vec<Expr>),
    Aggregate {
        kind: AggregateKind,
        bindings: Vec<Binding>,
        body: Option<Box<Expr>>,
        /// The group of aggregates computed in one pass with this one (`check/fuse.rs`).
        fusion: Option<Fusion>,
    },
    List(Vec<Expr>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Cmp(CmpOp, Box<Expr>, Box<Expr>),
    In {
        item: Box<Expr>,
        list: Box<Expr>,
        negated: bool,
    },
    Arith(ArithOp, Box<Expr>, Box<Expr>),
    Coalesce(Box<Expr>, Box<Expr>),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    Duration(Box<Expr>, Unit),
}
