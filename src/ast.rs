//! The untyped syntax tree of one rule file, as the parser builds it. Every node carries its
//! [`Span`]; spans are ignored by equality so that formatting can be checked to preserve meaning.

#![allow(missing_docs)]
#![allow(
    clippy::large_enum_variant,
    reason = "built once per file; boxing would only add noise"
)]

use crate::source::Span;

/// A span that every value compares equal to.
#[derive(Clone, Copy, Default)]
pub struct NodeSpan(pub Span);

impl std::fmt::Debug for NodeSpan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}..{}", self.0.start, self.0.end)
    }
}

impl PartialEq for NodeSpan {
    fn eq(&self, _: &NodeSpan) -> bool {
        true
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: NodeSpan,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct File {
    pub header: Option<Header>,
    pub imports: Vec<Import>,
    pub items: Vec<Item>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Header {
    pub name: Ident,
    /// `pack NAME "…"`: one title for every language (empty when given per language).
    pub title: String,
    /// `pack NAME title en "…" sv "…"`: the title per language, in the order written.
    pub titles: Vec<Text>,
    pub edition: Option<String>,
    pub languages: Vec<Ident>,
    pub as_of: Option<Expr>,
    pub subject: Vec<(Ident, Expr)>,
    /// `labels KEY from LIST: NAME [from FIELD], …`, in the order written.
    pub labels: Vec<Labels>,
    pub span: NodeSpan,
}

/// `labels site_id from supply_chain.sites: country, name from legal_name`: per item of the
/// evidence list `list`, the fields recorded in the report under the item's `key`.
#[derive(Clone, Debug, PartialEq)]
pub struct Labels {
    pub key: Ident,
    /// The list's path from the evidence root, one name per step.
    pub list: Vec<Ident>,
    /// Each label's name and the item field it is read from (the same name when not given).
    pub fields: Vec<(Ident, Ident)>,
    pub span: NodeSpan,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Import {
    pub path: String,
    pub span: NodeSpan,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    Param(Param),
    Table(Table),
    Clause(Clause),
    Evidence(ShapeObject),
    /// A pack-level definition, computed once per evaluation.
    Let(Let),
    /// A pack-level function of its parameters.
    Function(Function),
    /// A named, filtered collection: `collection observed_sites = site in sites where …`.
    Collection(Collection),
}

/// `collection NAME = var in source where filter [insufficient when empty]`: the items of
/// `source` that pass the filter, iterated by `for each x in NAME` and aggregates.
#[derive(Clone, Debug, PartialEq)]
pub struct Collection {
    pub name: Ident,
    pub binding: Binding,
    /// `insufficient when empty`: a `for each` over none of the items is insufficient evidence.
    pub insufficient_when_empty: bool,
    pub span: NodeSpan,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Function {
    pub name: Ident,
    pub params: Vec<Ident>,
    pub body: Expr,
    pub span: NodeSpan,
}

/// The declared shape of evidence: `{ name: shape, … }`.
#[derive(Clone, Debug, PartialEq)]
pub struct ShapeObject {
    pub fields: Vec<(Ident, Shape)>,
    /// The fields marked `key` (`key site_id: string`), in order: each one's index in
    /// `fields` and the span of its word `key`.
    pub keys: Vec<(usize, NodeSpan)>,
    /// The fields with a `description` or `filled by`, in order: each one's index in `fields`
    /// and its details.
    pub details: Vec<(usize, FieldDetails)>,
    pub span: NodeSpan,
}

/// What the declaration says about a field beyond its shape.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct FieldDetails {
    /// `description en "…" sv "…"`: what the field holds, per language.
    pub descriptions: Vec<Text>,
    /// `document en "…" sv "…"`: the document that proves the field, per language.
    pub documents: Vec<Text>,
    /// `filled by buyer` / `filled by auditor`: who fills it in, when not the supplier.
    pub filled_by: Option<Ident>,
    /// From the end of the shape to the end of the details.
    pub span: NodeSpan,
}

impl ShapeObject {
    /// Whether the field at `index` is marked `key`.
    pub fn is_key(&self, index: usize) -> bool {
        self.keys.iter().any(|(i, _)| *i == index)
    }

    /// The `description` and `filled by` of the field at `index`, if it has any.
    pub fn details(&self, index: usize) -> Option<&FieldDetails> {
        self.details
            .iter()
            .find(|(i, _)| *i == index)
            .map(|(_, d)| d)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    Object(ShapeObject),
    List(Box<Shape>),
    Scalar(Ident),
    /// Texts from a fixed set.
    Enum(Vec<String>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub name: Ident,
    pub ty: Ident,
    pub default: Expr,
    /// `title en "…" sv "…"`: what the parameter is, per language.
    pub titles: Vec<Text>,
    /// `at least EXPR`: the smallest value allowed.
    pub at_least: Option<Expr>,
    /// `at most EXPR`: the largest value allowed.
    pub at_most: Option<Expr>,
    /// `overridden by a.b`: the evidence field that takes precedence, its names in order.
    pub overridden_by: Option<ParamPath>,
    /// `source "…"`: where the value comes from, one text for every language.
    pub source: Option<String>,
    /// `source en "…" sv "…"`: where the value comes from, per language (empty for the
    /// plain form).
    pub sources: Vec<Text>,
    pub span: NodeSpan,
}

/// `contract.reporting_deadline_days`: a dotted path to an evidence field.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamPath {
    pub names: Vec<Ident>,
    pub span: NodeSpan,
}

impl ParamPath {
    /// The path as written: `contract.reporting_deadline_days`.
    pub fn dotted(&self) -> String {
        let names: Vec<&str> = self.names.iter().map(|n| n.name.as_str()).collect();
        names.join(".")
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub name: Ident,
    pub ty: Ident,
    pub default: Option<Expr>,
    /// `title en "…" sv "…"`: what the pack reference heads the table with.
    pub titles: Vec<Text>,
    /// `source "…"`, one text for every language.
    pub source: Option<String>,
    /// `source en "…" sv "…"`, per language (empty for the plain form).
    pub sources: Vec<Text>,
    pub entries: Vec<TableEntry>,
    pub span: NodeSpan,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TableEntry {
    pub key: String,
    pub key_span: NodeSpan,
    pub value: Expr,
    /// `source "…"`, one text for every language.
    pub source: Option<String>,
    /// `source en "…" sv "…"`, per language (empty for the plain form).
    pub sources: Vec<Text>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Clause {
    pub id: String,
    pub id_span: NodeSpan,
    pub titles: Vec<Text>,
    pub references: Vec<String>,
    pub severity: Option<SeveritySpec>,
    pub scope: Option<Expr>,
    /// `examined when COND`: false when the follow-up's methods do not examine the clause.
    pub examined: Option<Expr>,
    pub remediation: Option<Remediation>,
    pub remedied: Option<Expr>,
    /// `basis EXPR`: how the facts are obtained, for each requirement without its own.
    pub basis: Option<Expr>,
    /// `severe CATEGORY [when COND]`, for each requirement without its own.
    pub severe: Option<Severe>,
    pub body: Vec<Stmt>,
    pub span: NodeSpan,
}

/// `severe "child_labour" when COND`: a finding in a severe-deviation category.
#[derive(Clone, Debug, PartialEq)]
pub struct Severe {
    pub category: String,
    pub category_span: NodeSpan,
    /// Without `when`, every finding of the requirement is in the category.
    pub when: Option<Expr>,
    pub span: NodeSpan,
}

/// A plain text in one language.
#[derive(Clone, Debug, PartialEq)]
pub struct Text {
    pub lang: Ident,
    pub text: String,
}

/// A template text in one language.
#[derive(Clone, Debug, PartialEq)]
pub struct MessageText {
    pub lang: Ident,
    pub template: Template,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    pub parts: Vec<TemplatePart>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TemplatePart {
    Literal(String),
    Hole { expr: Expr, format: Option<String> },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Minor,
    Major,
    Critical,
}

#[derive(Clone, Debug, PartialEq)]
pub enum SeveritySpec {
    Fixed(Level),
    Cases {
        cases: Vec<(Level, Expr)>,
        otherwise: Option<Level>,
        span: NodeSpan,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Remediation {
    pub texts: Vec<MessageText>,
    pub deadline: Option<Deadline>,
    /// `from DATE`: the date the evidence establishes the deviation (`within` counts from it).
    pub from: Option<Expr>,
    /// `agreed DATE`: the deadline of the agreed corrective-action plan.
    pub agreed: Option<Expr>,
    /// `plan STATE`: the plan's state, `"green"`, `"yellow"` or `"red"`.
    pub plan: Option<Expr>,
    pub span: NodeSpan,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Deadline {
    Within(Expr),
    Due(Expr),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Stmt {
    Let(Let),
    Insufficient(Let),
    For(For),
    Require(Require),
    /// `remedied when COND` as a statement of a `for each` body: the default `remedied when`
    /// of the requirements after it in the block and in the blocks nested in it (the `Let`'s
    /// name is empty, as for `Insufficient`).
    Remedied(Let),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Let {
    pub name: Ident,
    pub value: Expr,
    pub span: NodeSpan,
}

#[derive(Clone, Debug, PartialEq)]
pub struct For {
    pub bindings: Vec<Binding>,
    pub body: Vec<Stmt>,
    pub span: NodeSpan,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Binding {
    pub var: Ident,
    pub collection: Expr,
    pub filter: Option<Expr>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Require {
    pub condition: Expr,
    /// `named NAME`: the requirement's name in finding ids.
    pub name: Option<Ident>,
    pub messages: Vec<MessageText>,
    pub severity: Option<SeveritySpec>,
    pub remediation: Option<Remediation>,
    pub remedied: Option<Expr>,
    /// `basis EXPR`: how the facts behind its findings were obtained.
    pub basis: Option<Expr>,
    /// `severe CATEGORY [when COND]`.
    pub severe: Option<Severe>,
    /// `expected LANG "…"`: what it asks for, in the author's words.
    pub expected: Vec<MessageText>,
    pub span: NodeSpan,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: NodeSpan,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Not,
    Neg,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    NotIn,
    Add,
    Sub,
    Mul,
    Div,
    Coalesce,
}

impl BinaryOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "or",
            BinaryOp::And => "and",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::In => "in",
            BinaryOp::NotIn => "not in",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Coalesce => "??",
        }
    }

    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinaryOp::Eq
                | BinaryOp::Ne
                | BinaryOp::Lt
                | BinaryOp::Le
                | BinaryOp::Gt
                | BinaryOp::Ge
                | BinaryOp::In
                | BinaryOp::NotIn
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Days,
    Weeks,
    Months,
    Years,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AggregateKind {
    Count,
    Sum,
    Min,
    Max,
    Average,
    Share,
    Any,
    All,
    None,
    First,
    CountDistinct,
}

impl AggregateKind {
    pub fn name(self) -> &'static str {
        match self {
            AggregateKind::Count => "count",
            AggregateKind::Sum => "sum",
            AggregateKind::Min => "min",
            AggregateKind::Max => "max",
            AggregateKind::Average => "average",
            AggregateKind::Share => "share",
            AggregateKind::Any => "any",
            AggregateKind::All => "all",
            AggregateKind::None => "none",
            AggregateKind::First => "first",
            AggregateKind::CountDistinct => "count_distinct",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// A number literal as written.
    Number(String),
    Str(String),
    Bool(bool),
    Null,
    /// `this_clause`: the id of the clause the expression is written in.
    ThisClause,
    Name(Ident),
    Field(Box<Expr>, Ident),
    Index(Box<Expr>, Box<Expr>),
    Call(Ident, Vec<Expr>),
    Aggregate {
        kind: AggregateKind,
        bindings: Vec<Binding>,
        body: Option<Box<Expr>>,
    },
    List(Vec<Expr>),
    Unary(UnaryOp, Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    Duration(Box<Expr>, Unit),
}
