//! Why one clause came out as it did, for people and programs: `conduct explain`.
//!
//! The explanation is recorded by the ordinary evaluator running in a tracing mode for the one
//! clause asked about, so its [`Outcome`] is exactly the one [`RulePack::evaluate`] reports.
//!
//! ```
//! # let pack = conduct::RulePack::load("rules/regions")?;
//! let text = std::fs::read_to_string("examples/example-evidence.json")?;
//! let evidence: serde_json::Value = serde_json::from_str(&text)?;
//! let options = conduct::Options::default();
//! let why = conduct::tools::explain::explain(&pack, &evidence, &options, "working_hours.weekly_limit")?;
//! assert_eq!(why.outcome.status, conduct::Status::Violated);
//! println!("{why}");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use serde::Serialize;
use serde_json::Value;

pub use crate::eval::trace::{MAX_ITEMS, Truth};
use crate::eval::trace::{Trace, TraceItem, TraceValue};
use crate::pack::{Options, RulePack};
use crate::program::{ClauseDef, Program, Requirement, Stmt};
use crate::report::catalogue::{Catalogue, DocWords};
use crate::report::{Invalid, Outcome, Severity};
use crate::source::{Location, Span};

/// The result of a requirement for one item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemResult {
    /// The requirement holds.
    Holds,
    /// The requirement does not hold.
    Fails,
    /// The evidence does not decide it.
    Unknown,
}

/// A value read or computed, with the evidence path it came from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ValueAt {
    /// The value as JSON (`null` when unknown).
    pub value: Value,
    /// The value as the rules would write it.
    pub text: String,
    /// The JSON Pointer it was read at; absent for computed values.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Whether the value is unknown.
    pub unknown: bool,
    /// Evidence that was missing, when unknown.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
    /// Evidence that was invalid, when unknown.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub invalid: Vec<Invalid>,
}

/// A loop variable and the item it stood for (a JSON Pointer, or the value of a computed item).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BindingAt {
    /// The loop variable (`site`).
    pub name: String,
    /// Where the item is (`/supply_chain/sites/0`).
    pub at: String,
}

/// An `insufficient unless` guard as evaluated.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GuardExplanation {
    /// The guard's condition.
    pub text: String,
    /// The loop items it was evaluated for.
    pub bindings: Vec<BindingAt>,
    /// Its result; unless true, the rest of its block was not judged.
    pub result: Truth,
    /// What was missing when unknown.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
}

/// One argument of `min(...)`/`max(...)`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Argument {
    /// The argument as written.
    pub expression: String,
    /// Its value.
    pub value: ValueAt,
}

/// A `let` evaluated in the clause.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LetExplanation {
    /// The name bound.
    pub name: String,
    /// The loop items it was computed for.
    pub bindings: Vec<BindingAt>,
    /// The value.
    pub value: ValueAt,
    /// `min` or `max` when the value is one of those calls (e.g. the stricter of code and law).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub function: Option<String>,
    /// The arguments of `min`/`max`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub arguments: Vec<Argument>,
    /// The index of the argument that was chosen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chosen: Option<usize>,
}

/// A comparison at the top of a requirement: `left operator right`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    /// The left operand's value.
    pub left: ValueAt,
    /// `>=`, `==`, ….
    pub operator: String,
    /// The right operand's value (typically the bound).
    pub right: ValueAt,
}

/// One case of a `severity … when …` rule as evaluated.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SeverityCase {
    /// The level the case gives.
    pub severity: Severity,
    /// The case's condition as written.
    pub condition: String,
    /// Its result.
    pub result: Truth,
    /// What was missing when unknown (the severity might be higher).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
}

/// How the severity of a failing item was decided.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SeverityDecision {
    /// The severity given.
    pub severity: Severity,
    /// How: `fixed` (one level), `case` (a case established it) or `base` (no case was).
    pub rule: &'static str,
    /// The index in `cases` of the case that established it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case: Option<usize>,
    /// The cases evaluated, in order (later ones are not evaluated once one holds).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cases: Vec<SeverityCase>,
}

/// A requirement evaluated for one combination of loop items.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ItemExplanation {
    /// The loop items (empty outside loops).
    pub bindings: Vec<BindingAt>,
    /// Holds, fails or unknown.
    pub result: ItemResult,
    /// What was found (as a violation names it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found: Option<ValueAt>,
    /// What was required (`>= 16`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required: Option<String>,
    /// Both sides, when the requirement is a comparison.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comparison: Option<Comparison>,
    /// Missing evidence, when unknown.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
    /// Invalid evidence, when unknown.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub invalid: Vec<Invalid>,
    /// A failure put right by the requirement's `remedied when`.
    pub remedied: bool,
    /// How the severity was decided, for a failure that became a violation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<SeverityDecision>,
}

/// One `require` of the clause.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RequirementExplanation {
    /// The condition as written.
    pub text: String,
    /// Where it is written.
    pub location: Location,
    /// The items it was evaluated for (none when never reached).
    pub items: Vec<ItemExplanation>,
    /// Items evaluated beyond those listed.
    pub items_not_shown: usize,
}

/// The `format` of an [`Explanation`]'s JSON.
pub const EXPLANATION_FORMAT: &str = "conduct-explanation/1";

/// Why a clause's outcome is what it is.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Explanation {
    /// Always [`EXPLANATION_FORMAT`] (`conduct-explanation/1`), so that a reader of the JSON
    /// knows what it holds.
    pub format: &'static str,
    /// The clause id.
    pub clause: String,
    /// Where the clause is written.
    pub location: Location,
    /// The outcome, exactly as the report gives it.
    pub outcome: Outcome,
    /// The result of `applies when`; absent when the clause has none or it was not reached.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applies: Option<Truth>,
    /// The `insufficient unless` guards evaluated.
    pub guards: Vec<GuardExplanation>,
    /// The `let`s evaluated, with their values.
    pub lets: Vec<LetExplanation>,
    /// `let` values computed beyond those listed.
    pub lets_not_shown: usize,
    /// Each requirement with the items it ran over.
    pub requirements: Vec<RequirementExplanation>,
    /// The clauses whose outcomes this one reads (`outcome(…)`, `violated_for(…)`), judged
    /// before it, with their statuses.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reads: Vec<ReadClause>,
}

/// A clause another reads the outcome of, with its status in the same evaluation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReadClause {
    /// Its id.
    pub clause: String,
    /// Its status.
    pub status: crate::report::Status,
}

/// Why a clause cannot be explained.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExplainError {
    /// The pack has no clause with this id.
    UnknownClause {
        /// The id asked for.
        clause: String,
        /// `did you mean …?`, when a clause id is close.
        help: Option<String>,
    },
}

impl fmt::Display for ExplainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExplainError::UnknownClause { clause, help } => {
                write!(f, "the pack has no clause `{clause}`")?;
                if let Some(h) = help {
                    write!(f, "; {h}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ExplainError {}

/// Explains the outcome of `clause` for `evidence`: evaluates the pack as
/// [`RulePack::evaluate`] does, recording what the one clause read and decided.
///
/// # Errors
/// [`ExplainError::UnknownClause`] when the pack has no such clause (with a suggestion).
pub fn explain(
    pack: &RulePack,
    evidence: &Value,
    options: &Options,
    clause: &str,
) -> Result<Explanation, ExplainError> {
    let program = pack.program();
    let Some(def) = program.clauses.iter().find(|c| c.id == clause) else {
        return Err(ExplainError::UnknownClause {
            clause: clause.to_string(),
            help: crate::tools::docs::suggest_clause(pack, clause),
        });
    };
    let (report, trace) = crate::eval::evaluate_traced(program, evidence, options, clause);
    let Some(outcome) = report.outcomes.iter().find(|o| o.clause == clause).cloned() else {
        return Err(ExplainError::UnknownClause {
            clause: clause.to_string(),
            help: None,
        });
    };
    let at = program.clauses.iter().position(|c| c.id == clause);
    let reads = at
        .and_then(|i| program.reads_clauses.get(i))
        .map(|places| {
            places
                .iter()
                .filter_map(|&j| {
                    let id = &program.clauses.get(j)?.id;
                    let o = report.outcomes.iter().find(|o| &o.clause == id)?;
                    Some(ReadClause {
                        clause: id.clone(),
                        status: o.status,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let trace = trace.unwrap_or_default();
    let mut explanation = build(program, def, outcome, trace);
    explanation.reads = reads;
    Ok(explanation)
}

fn build(program: &Program, def: &ClauseDef, outcome: Outcome, trace: Trace) -> Explanation {
    let names = Names { program };
    let mut requirements = Vec::new();
    collect_requirements(&def.body, &mut requirements);
    let mut recorded = trace.requirements;
    let requirements = requirements
        .into_iter()
        .map(|r| {
            let (items, more) = match recorded.iter().position(|(l, _, _)| *l == r.location) {
                Some(i) => {
                    let (_, items, more) = recorded.swap_remove(i);
                    (items, more)
                }
                None => (Vec::new(), 0),
            };
            RequirementExplanation {
                text: r.text.clone(),
                location: r.location.clone(),
                items: items.into_iter().map(|i| names.item(i)).collect(),
                items_not_shown: more,
            }
        })
        .collect();
    let guards = trace
        .guards
        .into_iter()
        .map(|(text, result, value, frames)| GuardExplanation {
            text,
            bindings: names.bindings(&frames),
            result,
            missing: value.missing,
        })
        .collect();
    let lets = trace
        .lets
        .into_iter()
        .map(|l| LetExplanation {
            name: names.before(l.span, "=").unwrap_or_else(|| "?".into()),
            bindings: names.bindings(&l.bindings),
            value: value_at(l.value),
            function: l.function.map(str::to_string),
            arguments: l
                .arguments
                .into_iter()
                .map(|(expression, v)| Argument {
                    expression,
                    value: value_at(v),
                })
                .collect(),
            chosen: l.chosen,
        })
        .collect();
    Explanation {
        format: EXPLANATION_FORMAT,
        clause: def.id.clone(),
        location: def.location.clone(),
        outcome,
        applies: trace.scope,
        guards,
        lets,
        lets_not_shown: trace.lets_not_shown,
        requirements,
        reads: Vec::new(),
    }
}

fn collect_requirements<'p>(stmts: &'p [Stmt], out: &mut Vec<&'p Requirement>) {
    for s in stmts {
        match s {
            Stmt::Require(r) => out.push(r),
            Stmt::For { body, .. } => collect_requirements(body, out),
            Stmt::Let { .. } | Stmt::Insufficient { .. } => {}
        }
    }
}

fn invalid(list: Vec<(String, String)>) -> Vec<Invalid> {
    list.into_iter()
        .map(|(path, reason)| Invalid::at(path, reason))
        .collect()
}

fn value_at(v: TraceValue) -> ValueAt {
    // Objects and lists are named, not copied: the evidence holds them at `path`.
    let (value, text) = match &v.value {
        Value::Object(o) => (Value::Null, format!("an object of {} fields", o.len())),
        Value::Array(a) if v.text.chars().count() > 80 => {
            (Value::Null, format!("a list of {} items", a.len()))
        }
        _ => (v.value, v.text),
    };
    ValueAt {
        value,
        text,
        path: v.path,
        unknown: v.unknown,
        missing: v.missing,
        invalid: invalid(v.invalid),
    }
}

/// Names of loop variables and `let`s, read from the source before their expressions.
struct Names<'p> {
    program: &'p Program,
}

impl Names<'_> {
    /// The identifier written before `keyword` before `span` (`site in …`, `cap = …`).
    fn before(&self, span: Span, keyword: &str) -> Option<String> {
        let file = self.program.sources.file(span.file)?;
        let head = file.text.get(..span.start as usize)?.trim_end();
        let head = head.strip_suffix(keyword)?.trim_end();
        let start = head
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphanumeric() || *c == '_')
            .last()
            .map(|(i, _)| i)?;
        head.get(start..).map(str::to_string)
    }

    fn bindings(&self, frames: &[(Span, String)]) -> Vec<BindingAt> {
        frames
            .iter()
            .map(|(span, at)| BindingAt {
                name: self.before(*span, "in").unwrap_or_else(|| "?".into()),
                at: at.clone(),
            })
            .collect()
    }

    fn item(&self, i: TraceItem) -> ItemExplanation {
        let result = match (i.result, i.remedied) {
            (Truth::True, _) => ItemResult::Holds,
            (Truth::False, _) => ItemResult::Fails,
            (Truth::Unknown, _) => ItemResult::Unknown,
        };
        let (found, required) = match i.found {
            Some((v, expected)) => (Some(value_at(v)), Some(expected)),
            None => (None, None),
        };
        let severity = i.severity.map(|(severity, case, cases)| SeverityDecision {
            severity,
            rule: if cases.is_empty() {
                "fixed"
            } else if case.is_some() {
                "case"
            } else {
                "base"
            },
            case,
            cases: cases
                .into_iter()
                .map(|c| SeverityCase {
                    severity: c.severity,
                    condition: c.condition,
                    result: c.result,
                    missing: c.missing,
                })
                .collect(),
        });
        ItemExplanation {
            bindings: self.bindings(&i.bindings),
            result,
            found,
            required,
            comparison: i.comparison.map(|(l, op, r)| Comparison {
                left: value_at(l),
                operator: op.to_string(),
                right: value_at(r),
            }),
            missing: i.missing,
            invalid: invalid(i.invalid),
            remedied: i.remedied,
            severity,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Text.
// ---------------------------------------------------------------------------------------------

/// The explanation's text in one language: the catalogue's labels, the rule source and
/// pointers as they are.
struct Text<'w> {
    w: &'static Catalogue,
    d: &'w DocWords,
}

impl Text<'_> {
    fn truth(&self, t: Truth) -> &'static str {
        let [yes, no, unknown] = self.d.truths;
        match t {
            Truth::True => yes,
            Truth::False => no,
            Truth::Unknown => unknown,
        }
    }

    fn bindings(b: &[BindingAt]) -> String {
        let parts: Vec<String> = b.iter().map(|b| format!("{} {}", b.name, b.at)).collect();
        parts.join(", ")
    }

    /// A value as the rules write it; an object or a list by its size, in words.
    fn value(&self, v: &ValueAt) -> String {
        let mut s = sized(&v.text, self.d);
        if let Some(p) = &v.path {
            s.push(' ');
            s.push_str(self.d.at);
            s.push(' ');
            s.push_str(if p.is_empty() { "/" } else { p });
        }
        if v.unknown {
            s.push_str(&self.unknown(&v.missing, &v.invalid));
        }
        s
    }

    fn unknown(&self, missing: &[String], invalid: &[Invalid]) -> String {
        let parts = self.unknown_parts(missing, invalid);
        if parts.is_empty() {
            String::new()
        } else {
            format!(" ({})", parts.join("; "))
        }
    }

    fn unknown_parts(&self, missing: &[String], invalid: &[Invalid]) -> Vec<String> {
        let mut parts = Vec::new();
        if !missing.is_empty() {
            parts.push(format!("{} {}", self.d.missing, missing.join(", ")));
        }
        for i in invalid {
            parts.push(format!("{} {}: {}", self.d.invalid, i.path, i.reason));
        }
        parts
    }

    fn item_line(&self, item: &ItemExplanation) -> String {
        let [holds, fails, remedied, unknown] = self.d.results;
        let word = match (item.result, item.remedied) {
            (ItemResult::Fails, true) => remedied,
            (ItemResult::Fails, false) => fails,
            (ItemResult::Holds, _) => holds,
            (ItemResult::Unknown, _) => unknown,
        };
        let width = self
            .d
            .results
            .iter()
            .map(|r| r.chars().count())
            .max()
            .unwrap_or(8);
        let mut line = format!("{word:<width$} ");
        if item.bindings.is_empty() {
            line.push_str(self.d.whole_clause);
        } else {
            line.push_str(&Self::bindings(&item.bindings));
        }
        match item.result {
            ItemResult::Unknown => {
                let parts = self.unknown_parts(&item.missing, &item.invalid);
                line.push_str(": ");
                if parts.is_empty() {
                    line.push_str(self.d.undecided);
                } else {
                    line.push_str(&parts.join("; "));
                }
            }
            _ => {
                if let (Some(found), Some(required)) = (&item.found, &item.required) {
                    line.push_str(&format!(
                        ": {} {}, {} {required}",
                        self.d.found,
                        self.value(found),
                        self.d.required
                    ));
                }
                if let Some(c) = item
                    .comparison
                    .as_ref()
                    .filter(|c| item.found.is_none() || c.right.path.is_some())
                {
                    line.push_str(&format!(
                        " [{} {} {}]",
                        self.value(&c.left),
                        c.operator,
                        self.value(&c.right)
                    ));
                }
            }
        }
        line
    }

    fn severity_lines(&self, d: &SeverityDecision) -> Vec<String> {
        let mut out = Vec::new();
        let head = format!("{} {}", self.d.severity, self.w.severity(d.severity));
        match d.rule {
            "fixed" => out.push(format!("{head}: {}", self.d.severity_fixed)),
            "case" => {
                let case = d.case.and_then(|i| d.cases.get(i));
                out.push(format!(
                    "{head}: {} `{}`",
                    self.d.severity_established,
                    case.map_or("", |c| c.condition.as_str())
                ));
            }
            _ => out.push(format!("{head}: {}", self.d.severity_base)),
        }
        for c in &d.cases {
            if Some(c) == d.case.and_then(|i| d.cases.get(i)) {
                continue;
            }
            let mut line = format!(
                "  {} {} `{}`: {}",
                self.w.severity(c.severity),
                self.d.when,
                c.condition,
                self.truth(c.result)
            );
            if !c.missing.is_empty() {
                line.push_str(&format!(" ({} {})", self.d.missing, c.missing.join(", ")));
            }
            out.push(line);
        }
        out
    }

    fn render(&self, e: &Explanation, f: &mut dyn fmt::Write) -> fmt::Result {
        let (w, d) = (self.w, self.d);
        let o = &e.outcome;
        writeln!(f, "{} {}: {}", d.clause, e.clause, o.title)?;
        writeln!(f, "  {} {}", d.defined_at, e.location)?;
        let mut status = w.status(o.status).to_string();
        if let Some(s) = o.severity {
            status.push_str(&format!(" ({})", w.severity(s)));
        }
        if o.remediated {
            status.push_str(&format!(", {}", w.remediated));
        }
        writeln!(f, "{}: {status}", d.outcome)?;
        if !e.reads.is_empty() {
            let reads: Vec<String> = e
                .reads
                .iter()
                .map(|r| format!("{} ({})", r.clause, w.status(r.status)))
                .collect();
            writeln!(f, "{}: {}", d.reads_outcomes, reads.join(", "))?;
        }
        if let Some(err) = &o.error {
            writeln!(f, "  {}: {err}", d.error)?;
        }
        if !o.missing.is_empty() {
            let paths: Vec<&str> = o.missing.iter().map(|m| m.path.as_str()).collect();
            writeln!(f, "  {}: {}", d.missing, paths.join(", "))?;
        }
        for i in &o.invalid {
            writeln!(f, "  {} {}: {}", d.invalid, i.path, i.reason)?;
        }
        if let Some(a) = e.applies {
            writeln!(f, "{}: {}", d.applies_when, self.truth(a))?;
        }
        for g in &e.guards {
            let at = if g.bindings.is_empty() {
                String::new()
            } else {
                format!(" {} {}", d.for_items, Self::bindings(&g.bindings))
            };
            let mut line = format!(
                "{} `{}`{at}: {}",
                d.insufficient_unless,
                g.text,
                self.truth(g.result)
            );
            if !g.missing.is_empty() {
                line.push_str(&format!(" ({} {})", d.missing, g.missing.join(", ")));
            }
            writeln!(f, "{line}")?;
        }
        if !e.lets.is_empty() {
            writeln!(f, "{}:", d.values_computed)?;
            for l in &e.lets {
                let at = if l.bindings.is_empty() {
                    String::new()
                } else {
                    format!("[{}] ", Self::bindings(&l.bindings))
                };
                writeln!(f, "  {at}{} = {}", l.name, self.value(&l.value))?;
                if let Some(func) = &l.function {
                    let which = if func == "min" {
                        d.smallest_of
                    } else {
                        d.largest_of
                    };
                    writeln!(f, "    {func}: {which}")?;
                    for (i, a) in l.arguments.iter().enumerate() {
                        let mark = if l.chosen == Some(i) {
                            format!("  <- {}", d.chosen)
                        } else {
                            String::new()
                        };
                        writeln!(f, "      {} = {}{mark}", a.expression, self.value(&a.value))?;
                    }
                }
            }
            if e.lets_not_shown > 0 {
                writeln!(
                    f,
                    "  {}",
                    DocWords::counted(d.more_values, e.lets_not_shown)
                )?;
            }
        }
        for r in &e.requirements {
            writeln!(f, "{} `{}` ({})", d.requirement, r.text, r.location)?;
            if r.items.is_empty() {
                writeln!(f, "  {}", d.not_evaluated)?;
            }
            for item in &r.items {
                writeln!(f, "  {}", self.item_line(item))?;
                if let Some(sd) = &item.severity {
                    for line in self.severity_lines(sd) {
                        writeln!(f, "           {line}")?;
                    }
                }
            }
            if r.items_not_shown > 0 {
                writeln!(
                    f,
                    "  {}",
                    DocWords::counted(d.more_items, r.items_not_shown)
                )?;
            }
        }
        Ok(())
    }
}

/// `an object of 6 fields`, `a list of 2 items` and `unknown` (the texts the trace gives for
/// them) in the language's words; any other value text, a literal of the rule language
/// (`true`, `"MY"`, `60`), as it is.
fn sized(text: &str, d: &DocWords) -> String {
    let count = |prefix: &str, suffix: &str| {
        text.strip_prefix(prefix)?
            .strip_suffix(suffix)?
            .parse::<usize>()
            .ok()
    };
    if text == "unknown" {
        let [_, _, unknown] = d.truths;
        return unknown.to_string();
    }
    if let Some(n) = count("an object of ", " fields") {
        DocWords::counted(d.object_of, n)
    } else if let Some(n) = count("a list of ", " items") {
        DocWords::counted(d.list_of, n)
    } else {
        text.to_string()
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let w = Catalogue::for_language("en");
        Text { w, d: w.docs }.render(self, f)
    }
}

/// The explanation as text for people, in English (titles and values as evaluated).
#[must_use]
pub fn render_text(explanation: &Explanation) -> String {
    explanation.to_string()
}

/// The explanation as text for people with the labels in `language` (English for a language
/// the catalogue lacks): statuses, severities, results and truth values in words; the rule
/// source and the JSON Pointers as they are, since an explanation is for rule authors.
///
/// ```
/// # let pack = conduct::RulePack::load("rules/regions")?;
/// let text = std::fs::read_to_string("examples/example-evidence.json")?;
/// let evidence: serde_json::Value = serde_json::from_str(&text)?;
/// let options = conduct::Options::default().language("sv");
/// let why = conduct::tools::explain::explain(&pack, &evidence, &options, "working_hours.weekly_limit")?;
/// let text = conduct::tools::explain::render_text_in(&why, "sv");
/// assert!(text.starts_with("Klausul working_hours.weekly_limit: Total arbetstid inklusive övertid"));
/// assert!(text.contains("Utfall: Avvikelse (större avvikelse)"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn render_text_in(explanation: &Explanation, language: &str) -> String {
    let w = Catalogue::for_language(language);
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = Text { w, d: w.docs }.render(explanation, &mut out);
    out
}
