//! The baseline: the 8 clauses of `rules/regions` written by hand in Rust over
//! `&serde_json::Value`, with the same thresholds, the same three-valued handling of absent
//! evidence (collected as JSON Pointers), and the same violations (message, pointer,
//! severity) as the engine builds.
//!
//! Simplifications, none of which the generated evidence exercises: a value of the wrong type
//! counts as missing (the engine reports it under `invalid`), and an unreadable `as_of` makes
//! every clause `insufficient_evidence`.

use std::borrow::Cow;
use std::collections::BTreeSet;

use conduct::{Severity, Status};
use serde_json::Value;

use super::civil::Ymd;

/// `Limits::default().max_violations`: violations past this many are counted, not built.
pub const MAX_VIOLATIONS: usize = 1000;

// parameters.conduct
const MINIMUM_WORKING_AGE: f64 = 15.0;
const ADULT_AGE: i64 = 18;
const HAZARDOUS_WORK_MINIMUM_AGE: f64 = 18.0;
const MAX_WEEKLY_HOURS: f64 = 60.0;
const ID_ACCESS_MAX_HOURS: f64 = 12.0;
const POLICY_REVISION_MONTHS: i64 = 24;

/// `national_minimum_age` (default 15).
fn national_minimum_age(country: &str) -> f64 {
    match country {
        "CN" | "LK" => 16.0,
        "IN" | "PK" | "BD" => 14.0,
        _ => 15.0,
    }
}

/// `legal_max_weekly_hours` (no default: countries not listed have no weekly maximum in law).
fn legal_max_weekly_hours(country: &str) -> Option<f64> {
    match country {
        "BD" | "LK" => Some(60.0),
        "ID" => Some(58.0),
        "MX" => Some(57.0),
        _ => None,
    }
}

pub struct Violation {
    pub severity: Severity,
    pub message: String,
    pub path: String,
}

pub struct Outcome {
    pub clause: &'static str,
    pub status: Status,
    pub violations: Vec<Violation>,
    /// Violations found, including those past [`MAX_VIOLATIONS`].
    pub found: usize,
    pub remedied: usize,
    pub missing: BTreeSet<String>,
}

/// The JSON Pointers of the evidence that made a value unknown.
type Why = Vec<String>;
/// A value, or unknown because of missing evidence (Kleene logic).
type Tri<T> = Result<T, Why>;
/// An evidence node, or why it is unknown.
type Node<'a> = Tri<&'a Value>;

fn and(a: Tri<bool>, b: impl FnOnce() -> Tri<bool>) -> Tri<bool> {
    match a {
        Ok(false) => Ok(false),
        Ok(true) => b(),
        Err(mut w) => match b() {
            Ok(false) => Ok(false),
            Ok(true) => Err(w),
            Err(w2) => {
                w.extend(w2);
                Err(w)
            }
        },
    }
}

fn or(a: Tri<bool>, b: impl FnOnce() -> Tri<bool>) -> Tri<bool> {
    match a {
        Ok(true) => Ok(true),
        Ok(false) => b(),
        Err(mut w) => match b() {
            Ok(true) => Ok(true),
            Ok(false) => Err(w),
            Err(w2) => {
                w.extend(w2);
                Err(w)
            }
        },
    }
}

/// Combines two values; unknown if either is (with both reasons).
fn both<A, B, C>(a: Tri<A>, b: Tri<B>, f: impl FnOnce(A, B) -> C) -> Tri<C> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok(f(a, b)),
        (Err(mut x), Err(y)) => {
            x.extend(y);
            Err(x)
        }
        (Err(x), _) | (_, Err(x)) => Err(x),
    }
}

/// `any`: true at the first true item, else unknown if some item was.
fn any(items: impl Iterator<Item = Tri<bool>>) -> Tri<bool> {
    let mut why = Why::new();
    for item in items {
        match item {
            Ok(true) => return Ok(true),
            Ok(false) => {}
            Err(w) => why.extend(w),
        }
    }
    if why.is_empty() { Ok(false) } else { Err(why) }
}

fn all(items: impl Iterator<Item = Tri<bool>>) -> Tri<bool> {
    any(items.map(|t| t.map(|b| !b))).map(|b| !b)
}

fn none(items: impl Iterator<Item = Tri<bool>>) -> Tri<bool> {
    any(items).map(|b| !b)
}

/// `node.key`; `at` gives the node's pointer.
fn field<'a>(node: &Node<'a>, key: &str, at: &dyn Fn() -> String) -> Node<'a> {
    let obj = node.as_ref().map_err(Clone::clone)?;
    match obj.get(key) {
        Some(v) if !v.is_null() => Ok(v),
        _ => Err(vec![format!("{}/{key}", at())]),
    }
}

/// `fallback` for `node.key ?? fallback` when `node.key` is absent: when the fallback is
/// unknown too, what the left side lacked is part of why.
fn or_else<T>(node: &Node<'_>, key: &str, at: &dyn Fn() -> String, fallback: Tri<T>) -> Tri<T> {
    fallback.map_err(|w| {
        let mut why = field(node, key, at).err().unwrap_or_default();
        why.extend(w);
        why
    })
}

/// `node.key` when present, for `??`.
fn opt<'a>(node: &Node<'a>, key: &str) -> Option<&'a Value> {
    node.as_ref()
        .ok()
        .and_then(|o| o.get(key))
        .filter(|v| !v.is_null())
}

fn opt_num(node: &Node<'_>, key: &str) -> Option<f64> {
    opt(node, key).and_then(Value::as_f64)
}

fn typed<'a, T>(
    node: &Node<'a>,
    key: &str,
    at: &dyn Fn() -> String,
    conv: impl FnOnce(&'a Value) -> Option<T>,
) -> Tri<T> {
    conv(field(node, key, at)?).ok_or_else(|| vec![format!("{}/{key}", at())])
}

fn num(node: &Node<'_>, key: &str, at: &dyn Fn() -> String) -> Tri<f64> {
    typed(node, key, at, Value::as_f64)
}

fn text<'a>(node: &Node<'a>, key: &str, at: &dyn Fn() -> String) -> Tri<&'a str> {
    typed(node, key, at, Value::as_str)
}

fn flag(node: &Node<'_>, key: &str, at: &dyn Fn() -> String) -> Tri<bool> {
    typed(node, key, at, Value::as_bool)
}

fn date(node: &Node<'_>, key: &str, at: &dyn Fn() -> String) -> Tri<Ymd> {
    typed(node, key, at, |v| v.as_str().and_then(Ymd::parse))
}

fn list<'a>(node: &Node<'a>, key: &str, at: &dyn Fn() -> String) -> Tri<&'a [Value]> {
    typed(node, key, at, |v| v.as_array().map(Vec::as_slice))
}

/// A text from a declared set (an enumerated evidence field); another text is invalid.
fn one_of<'a>(
    node: &Node<'a>,
    key: &str,
    allowed: &[&str],
    at: &dyn Fn() -> String,
) -> Tri<&'a str> {
    let value = text(node, key, at)?;
    if allowed.contains(&value) {
        Ok(value)
    } else {
        Err(vec![format!("{}/{key}", at())])
    }
}

const POLICY_KINDS: [&str; 8] = [
    "supplier_code_of_conduct",
    "code_of_conduct",
    "human_rights",
    "recruitment",
    "anti_corruption",
    "environment",
    "health_safety",
    "other",
];
const APPROVAL_LEVELS: [&str; 6] = [
    "board",
    "ceo",
    "executive_management",
    "site_management",
    "department",
    "none",
];
const ROLES: [&str; 5] = [
    "dd_owner",
    "operational_contact",
    "implementation_buying",
    "implementation_hr",
    "implementation_other",
];
const REPORT_TOPICS: [&str; 13] = [
    "underage_workers",
    "forced_overtime",
    "overtime",
    "abuse",
    "threats",
    "contract_substitution",
    "wage_issues",
    "movement_restriction",
    "document_retention",
    "recruitment_fees",
    "discrimination",
    "union_interference",
    "other",
];
const WAGE_PERIODS: [&str; 4] = ["hour", "day", "week", "month"];

/// `x in node.key`.
fn contains(node: &Node<'_>, key: &str, x: &str, at: &dyn Fn() -> String) -> Tri<bool> {
    let items = list(node, key, at)?;
    any(items.iter().enumerate().map(|(i, item)| match item {
        Value::String(s) => Ok(s == x),
        _ => Err(vec![format!("{}/{key}/{i}", at())]),
    }))
}

/// A number as an English message prints it: `60`, `0.22`, `1,500` (thousands grouped).
fn number_text(x: f64) -> String {
    let plain = format!("{x}");
    let (sign, rest) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain.as_str()),
    };
    let (whole, fraction) = rest.split_at(rest.find('.').unwrap_or(rest.len()));
    let mut out = String::with_capacity(plain.len() + whole.len() / 3);
    out.push_str(sign);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out.push_str(fraction);
    out
}

/// `policy_topic_en`: a policy topic in words.
fn topic_words(topic: &str) -> &'static str {
    match topic {
        "human_rights" => "human rights",
        "workers_rights" => "workers' rights",
        "environment" => "the environment",
        _ => "business ethics",
    }
}

/// A share as `{x:%}` prints it: a percentage with at most one decimal, halves away from 0.
fn percent_text(hits: f64, of: f64) -> String {
    format!("{}%", number_text((hits * 1000.0 / of).round() / 10.0))
}

/// A message hole: text bare, numbers plain, absent `unknown`.
fn show<'a>(node: &Node<'a>, key: &str) -> Cow<'a, str> {
    match opt(node, key) {
        Some(Value::String(s)) => Cow::Borrowed(s),
        Some(Value::Number(n)) => n
            .as_f64()
            .map_or(Cow::Borrowed("unknown"), |x| Cow::Owned(number_text(x))),
        Some(Value::Bool(b)) => Cow::Borrowed(if *b { "true" } else { "false" }),
        _ => Cow::Borrowed("unknown"),
    }
}

/// A date hole: the date, `unknown` when absent or not a date.
fn show_date<'a>(node: &Node<'a>, key: &str) -> Cow<'a, str> {
    match opt(node, key).and_then(Value::as_str) {
        Some(s) if Ymd::parse(s).is_some() => Cow::Borrowed(s),
        _ => Cow::Borrowed("unknown"),
    }
}

fn show_tri(v: &Tri<f64>) -> String {
    v.as_ref()
        .map_or_else(|_| "unknown".to_string(), |x| number_text(*x))
}

/// What a clause found.
#[derive(Default)]
struct Run {
    violations: Vec<Violation>,
    found: usize,
    remedied: usize,
    missing: BTreeSet<String>,
}

impl Run {
    fn absorb(&mut self, why: Why) {
        self.missing.extend(why);
    }

    fn violate(&mut self, build: impl FnOnce() -> Violation) {
        self.violate_with(|_| build());
    }

    /// A violation whose construction may find more missing evidence (an undecided severity
    /// case). Past [`MAX_VIOLATIONS`] it is only counted, as in the engine.
    fn violate_with(&mut self, build: impl FnOnce(&mut Why) -> Violation) {
        self.found += 1;
        if self.violations.len() < MAX_VIOLATIONS {
            let mut why = Why::new();
            let violation = build(&mut why);
            self.absorb(why);
            self.violations.push(violation);
        }
    }

    /// `require`: a violation when false, missing evidence when unknown.
    fn require(&mut self, cond: Tri<bool>, build: impl FnOnce() -> Violation) {
        match cond {
            Ok(true) => {}
            Ok(false) => self.violate(build),
            Err(why) => self.absorb(why),
        }
    }

    /// `require` with a violation whose construction may find more missing evidence.
    fn require_with(&mut self, cond: Tri<bool>, build: impl FnOnce(&mut Why) -> Violation) {
        match cond {
            Ok(true) => {}
            Ok(false) => self.violate_with(build),
            Err(why) => self.absorb(why),
        }
    }

    /// `insufficient unless`, a guard: unless `cond` definitely holds, what it is about is
    /// missing (`blame` when false) and the rest of the block is not judged (returns false).
    #[must_use]
    fn insufficient_unless(&mut self, cond: Tri<bool>, blame: impl FnOnce() -> String) -> bool {
        match cond {
            Ok(true) => true,
            Ok(false) => {
                self.missing.insert(blame());
                false
            }
            Err(why) => {
                self.absorb(why);
                false
            }
        }
    }

    fn finish(self, clause: &'static str) -> Outcome {
        let status = if self.found > 0 {
            Status::Violated
        } else if self.missing.is_empty() {
            Status::Compliant
        } else {
            Status::InsufficientEvidence
        };
        Outcome {
            clause,
            status,
            violations: self.violations,
            found: self.found,
            remedied: self.remedied,
            missing: self.missing,
        }
    }
}

/// A severity case: taken when it holds; when unknown, not taken, but what it lacked is
/// missing (the severity might be higher).
fn case(cond: Tri<bool>, why: &mut Why) -> bool {
    match cond {
        Ok(b) => b,
        Err(w) => {
            why.extend(w);
            false
        }
    }
}

fn not_applicable(clause: &'static str) -> Outcome {
    Outcome {
        clause,
        status: Status::NotApplicable,
        violations: Vec::new(),
        found: 0,
        remedied: 0,
        missing: BTreeSet::new(),
    }
}

fn insufficient(clause: &'static str, why: Why) -> Outcome {
    let mut run = Run::default();
    run.absorb(why);
    run.finish(clause)
}

/// `share(...)`: hits among the selected items, or the pointer of an empty sample.
#[derive(Clone)]
struct Share {
    hits: f64,
    of: f64,
    path: String,
}

impl Share {
    fn value(&self) -> f64 {
        self.hits / self.of
    }
    /// A share the auditor's summary gives.
    fn given(value: f64, path: String) -> Share {
        Share {
            hits: value,
            of: 1.0,
            path,
        }
    }
}

fn share(
    items: &Tri<&[Value]>,
    at: &dyn Fn() -> String,
    select: impl Fn(usize, &Value) -> Tri<bool>,
    test: impl Fn(usize, &Value) -> Tri<bool>,
) -> Tri<Share> {
    let items = items.as_ref().map_err(Clone::clone)?;
    let (mut hits, mut count, mut why) = (0u32, 0u32, Why::new());
    for (k, item) in items.iter().enumerate() {
        match select(k, item) {
            Ok(true) => {}
            Ok(false) => continue,
            Err(w) => {
                why.extend(w);
                continue;
            }
        }
        count += 1;
        match test(k, item) {
            Ok(true) => hits += 1,
            Ok(false) => {}
            Err(w) => why.extend(w),
        }
    }
    if !why.is_empty() {
        return Err(why);
    }
    if count == 0 {
        return Err(vec![at()]);
    }
    Ok(Share {
        hits: f64::from(hits),
        of: f64::from(count),
        path: at(),
    })
}

/// A worker-week's total hours (`total_hours`, else regular plus overtime) and whether it
/// was given as `total_hours`.
fn week_hours(week: &Node<'_>, at: &dyn Fn() -> String) -> Tri<(f64, bool)> {
    match opt_num(week, "total_hours") {
        Some(t) => Ok((t, true)),
        None => or_else(
            week,
            "total_hours",
            at,
            both(
                num(week, "regular_hours", at),
                num(week, "overtime_hours", at),
                |r, o| (r + o, false),
            ),
        ),
    }
}

fn age(birth: &Tri<Ymd>, on: &Tri<Ymd>, birth_at: impl FnOnce() -> String) -> Tri<i64> {
    match (birth, on) {
        (Ok(b), Ok(o)) => b.age_on(*o).ok_or_else(|| vec![birth_at()]),
        (b, o) => {
            let mut why = b.as_ref().err().cloned().unwrap_or_default();
            why.extend(o.as_ref().err().cloned().unwrap_or_default());
            Err(why)
        }
    }
}

fn root_at() -> String {
    String::new()
}

struct Ctx<'a> {
    root: Node<'a>,
    as_of: Ymd,
    /// `advanced_contract`: `(contract.clause_level ?? "advanced") != "basic"`.
    advanced: Tri<bool>,
    sites: Tri<&'a [Value]>,
    /// `observed_sites = count(site in sites where (site.observed_on ?? as_of) <= as_of)`.
    observed_sites: Tri<usize>,
}

/// The clauses the baseline implements, in the pack's order.
pub const CLAUSES: [&str; 8] = [
    "management.policy",
    "management.responsible_person",
    "child_labour.minimum_age",
    "child_labour.young_workers",
    "forced_labour.identity_documents",
    "forced_labour.recruitment_fees",
    "working_hours.weekly_limit",
    "wages.minimum_wage",
];

/// Evaluates the 8 clauses, in the pack's order.
pub fn evaluate(ev: &Value) -> Vec<Outcome> {
    let root: Node<'_> = Ok(ev);
    let assessment = field(&root, "assessment", &root_at);
    let as_of = match date(&assessment, "as_of", &|| "/assessment".into()) {
        Ok(d) => d,
        Err(why) => {
            return CLAUSES
                .iter()
                .map(|c| insufficient(c, why.clone()))
                .collect();
        }
    };
    let contract = field(&root, "contract", &root_at);
    let advanced = match opt(&contract, "clause_level") {
        None => Ok(true),
        Some(_) => one_of(&contract, "clause_level", &["basic", "advanced"], &|| {
            "/contract".into()
        })
        .map(|level| level != "basic"),
    };
    let sites = list(&root, "sites", &root_at);
    let observed_sites = sites.clone().and_then(|ss| {
        let (mut n, mut why) = (0, Why::new());
        for (si, site) in ss.iter().enumerate() {
            match opt(&Ok(site), "observed_on") {
                None => n += 1,
                Some(v) => match v.as_str().and_then(Ymd::parse) {
                    Some(d) => n += usize::from(d <= as_of),
                    None => why.push(format!("/sites/{si}/observed_on")),
                },
            }
        }
        if why.is_empty() { Ok(n) } else { Err(why) }
    });
    let cx = Ctx {
        root,
        as_of,
        advanced,
        sites,
        observed_sites,
    };
    vec![
        cx.policy(),
        cx.responsible_person(),
        cx.minimum_age(),
        cx.young_workers(),
        cx.identity_documents(),
        cx.recruitment_fees(),
        cx.weekly_limit(),
        cx.minimum_wage(),
    ]
}

impl<'a> Ctx<'a> {
    /// `applies when advanced_contract`: the outcome when the clause does not apply or its
    /// scope is unknown.
    fn scope(&self, clause: &'static str) -> Option<Outcome> {
        match &self.advanced {
            Ok(true) => None,
            Ok(false) => Some(not_applicable(clause)),
            Err(why) => Some(insufficient(clause, why.clone())),
        }
    }

    /// `insufficient unless observed_sites > 0`.
    #[must_use]
    fn require_sites(&self, run: &mut Run) -> bool {
        run.insufficient_unless(self.observed_sites.clone().map(|n| n > 0), || {
            "/sites".into()
        })
    }

    /// `for each site in sites where (site.observed_on ?? as_of) <= as_of`.
    fn for_each_site(&self, run: &mut Run, mut f: impl FnMut(&mut Run, usize, Node<'a>, Ymd)) {
        let sites = match &self.sites {
            Ok(s) => *s,
            Err(why) => return run.absorb(why.clone()),
        };
        for (si, site) in sites.iter().enumerate() {
            let site: Node<'a> = Ok(site);
            let observed = match opt(&site, "observed_on") {
                None => self.as_of,
                Some(v) => match v.as_str().and_then(Ymd::parse) {
                    Some(d) => d,
                    None => {
                        run.missing.insert(format!("/sites/{si}/observed_on"));
                        continue;
                    }
                },
            };
            if observed <= self.as_of {
                f(run, si, site, observed);
            }
        }
    }

    /// `site.country ?? first(s in supply_chain.sites where s.site_id == site.site_id: s.country)`.
    fn country(&self, si: usize, site: &Node<'a>) -> Tri<&'a str> {
        if opt(site, "country").is_some() {
            return text(site, "country", &|| format!("/sites/{si}"));
        }
        let first = self.country_in_chain(si, site);
        or_else(site, "country", &|| format!("/sites/{si}"), first)
    }

    /// `first(s in supply_chain.sites where s.site_id == site.site_id: s.country)`.
    fn country_in_chain(&self, si: usize, site: &Node<'a>) -> Tri<&'a str> {
        let chain = field(&self.root, "supply_chain", &root_at);
        let declared = list(&chain, "sites", &|| "/supply_chain".into())?;
        let id = text(site, "site_id", &|| format!("/sites/{si}"));
        let mut why = Why::new();
        for (k, s) in declared.iter().enumerate() {
            let s: Node<'_> = Ok(s);
            let at = || format!("/supply_chain/sites/{k}");
            match (text(&s, "site_id", &at), &id) {
                (Ok(a), Ok(b)) if a == *b => {
                    return match text(&s, "country", &at) {
                        Ok(c) if why.is_empty() => Ok(c),
                        Ok(_) => Err(why),
                        Err(w) => {
                            why.extend(w);
                            Err(why)
                        }
                    };
                }
                (Ok(_), Ok(_)) => {}
                (a, b) => {
                    why.extend(a.err().unwrap_or_default());
                    why.extend(b.clone().err().unwrap_or_default());
                }
            }
        }
        if why.is_empty() {
            why.push("/supply_chain/sites".into());
        }
        Err(why)
    }

    fn policy(&self) -> Outcome {
        const CLAUSE: &str = "management.policy";
        if let Some(outcome) = self.scope(CLAUSE) {
            return outcome;
        }
        let mut run = Run::default();
        let policies = list(&self.root, "policies", &root_at);
        let supplier = field(&self.root, "supplier", &root_at);
        let contract = field(&self.root, "contract", &root_at);
        // Only the supplier's own code counts: a list with no supplier-owned policy says
        // nothing about it.
        let own = or(policies.clone().map(|p| p.is_empty()), || {
            any(policies.clone()?.iter().enumerate().map(|(k, p)| {
                text(&Ok(p), "owner", &|| format!("/policies/{k}")).map(|o| o == "supplier")
            }))
        });
        if !run.insufficient_unless(own, || "/policies".into()) {
            return run.finish(CLAUSE);
        }
        let supplier_code = |k: usize, p: &Node<'_>| {
            let at = || format!("/policies/{k}");
            and(text(p, "owner", &at).map(|o| o == "supplier"), || {
                one_of(p, "kind", &POLICY_KINDS, &at)
                    .map(|kind| matches!(kind, "supplier_code_of_conduct" | "code_of_conduct"))
            })
        };
        let top_level = |k: usize, p: &Node<'_>| {
            one_of(p, "approval_level", &APPROVAL_LEVELS, &|| {
                format!("/policies/{k}")
            })
            .map(|l| matches!(l, "board" | "ceo"))
        };

        let approved = policies.clone().and_then(|ps| {
            let mut why = Why::new();
            for (k, p) in ps.iter().enumerate() {
                let p: Node<'_> = Ok(p);
                let body = match supplier_code(k, &p) {
                    Ok(true) => top_level(k, &p),
                    Ok(false) => continue,
                    Err(w) => Err(w),
                };
                match body {
                    Ok(true) => return Ok(true),
                    Ok(false) => {}
                    Err(w) => why.extend(w),
                }
            }
            if why.is_empty() { Ok(false) } else { Err(why) }
        });
        run.require(approved, || Violation {
            severity: Severity::Major,
            message: format!(
                "{} has no code of conduct approved by its board or CEO",
                show(&supplier, "name")
            ),
            path: "/policies".into(),
        });

        let Ok(ps) = policies else {
            return run.finish(CLAUSE);
        };
        let revision_floor = self.as_of.add_months(-POLICY_REVISION_MONTHS);
        let contract_start = date(&contract, "contract_start", &|| "/contract".into());
        for (k, p) in ps.iter().enumerate() {
            let p: Node<'_> = Ok(p);
            let at = || format!("/policies/{k}");
            match and(supplier_code(k, &p), || top_level(k, &p)) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(w) => {
                    run.absorb(w);
                    continue;
                }
            }
            let id = show(&p, "policy_id");
            run.require(
                both(
                    date(&p, "approved_on", &at),
                    contract_start.clone(),
                    |a, s| a <= s,
                ),
                || Violation {
                    severity: Severity::Minor,
                    message: format!(
                        "Policy {id} was approved on {}, after the contract started on {}",
                        show_date(&p, "approved_on"),
                        show_date(&contract, "contract_start")
                    ),
                    path: format!("{}/approved_on", at()),
                },
            );
            for topic in [
                "human_rights",
                "workers_rights",
                "environment",
                "business_ethics",
            ] {
                run.require(contains(&p, "topics", topic, &at), || Violation {
                    severity: Severity::Minor,
                    message: format!("Policy {id} does not cover {}", topic_words(topic)),
                    path: format!("{}/topics", at()),
                });
            }
            let revised_key = if opt(&p, "last_revised_on").is_some() {
                "last_revised_on"
            } else {
                "approved_on"
            };
            let revised = match revised_key {
                "approved_on" => or_else(&p, "last_revised_on", &at, date(&p, "approved_on", &at)),
                _ => date(&p, revised_key, &at),
            };
            run.require(
                revised.clone().map(|r| r >= revision_floor),
                || Violation {
                    severity: Severity::Minor,
                    message: format!(
                        "Policy {id} was last revised on {}, more than {POLICY_REVISION_MONTHS} months before {}",
                        revised.map_or_else(|_| "unknown".into(), |r| r.to_string()),
                        self.as_of
                    ),
                    path: format!("{}/{revised_key}", at()),
                },
            );
            run.require(
                text(&p, "public_url", &at).map(|u| u.starts_with("http")),
                || Violation {
                    severity: Severity::Minor,
                    message: format!("Policy {id} is not published"),
                    path: format!("{}/public_url", at()),
                },
            );
            for audience in ["employees", "risk_suppliers"] {
                run.require(contains(&p, "communicated_to", audience, &at), || {
                    Violation {
                        severity: Severity::Minor,
                        message: format!(
                            "Policy {id} has not been communicated to {}",
                            if audience == "employees" {
                                "the employees"
                            } else {
                                "the risk suppliers"
                            }
                        ),
                        path: format!("{}/communicated_to", at()),
                    }
                });
            }
        }
        run.finish(CLAUSE)
    }

    fn responsible_person(&self) -> Outcome {
        const CLAUSE: &str = "management.responsible_person";
        if let Some(outcome) = self.scope(CLAUSE) {
            return outcome;
        }
        let mut run = Run::default();
        let people = list(&self.root, "responsibilities", &root_at);
        fn role(k: usize, r: &Value) -> Tri<&str> {
            one_of(&Ok(r), "role", &ROLES, &|| format!("/responsibilities/{k}"))
        }
        let owner = people.clone().and_then(|ps| {
            any(ps
                .iter()
                .enumerate()
                .map(|(k, r)| role(k, r).map(|x| x == "dd_owner")))
        });
        run.require(owner, || Violation {
            severity: Severity::Major,
            message: "Nobody is responsible for the due-diligence process".into(),
            path: "/responsibilities".into(),
        });
        match &people {
            Err(w) => run.absorb(w.clone()),
            Ok(ps) => {
                for (k, r) in ps.iter().enumerate() {
                    match role(k, r).map(|x| x == "dd_owner") {
                        Ok(true) => {}
                        Ok(false) => continue,
                        Err(w) => {
                            run.absorb(w);
                            continue;
                        }
                    }
                    let r: Node<'_> = Ok(r);
                    let at = || format!("/responsibilities/{k}");
                    run.require(text(&r, "name", &at).map(|n| !n.is_empty()), || Violation {
                        severity: Severity::Major,
                        message: "The due-diligence owner is not named".into(),
                        path: format!("{}/name", at()),
                    });
                    run.require(flag(&r, "management_position", &at), || Violation {
                        severity: Severity::Major,
                        message: format!(
                            "{}, responsible for due diligence, is not in a management position",
                            show(&r, "name")
                        ),
                        path: format!("{}/management_position", at()),
                    });
                    run.require(
                        date(&r, "appointed_on", &at).map(|d| d <= self.as_of),
                        || Violation {
                            severity: Severity::Major,
                            message: format!(
                                "{} was appointed on {}, after {}",
                                show(&r, "name"),
                                show_date(&r, "appointed_on"),
                                self.as_of
                            ),
                            path: format!("{}/appointed_on", at()),
                        },
                    );
                }
            }
        }
        let implementation = people.and_then(|ps| {
            any(ps.iter().enumerate().map(|(k, r)| {
                role(k, r).map(|x| {
                    matches!(
                        x,
                        "implementation_buying" | "implementation_hr" | "implementation_other"
                    )
                })
            }))
        });
        run.require(implementation, || Violation {
            severity: Severity::Major,
            message:
                "Implementation of due diligence is not assigned to the buying or HR functions"
                    .into(),
            path: "/responsibilities".into(),
        });
        run.finish(CLAUSE)
    }

    fn minimum_age(&self) -> Outcome {
        const CLAUSE: &str = "child_labour.minimum_age";
        let mut run = Run::default();
        if !self.require_sites(&mut run) {
            return run.finish(CLAUSE);
        }
        self.for_each_site(&mut run, |run, si, site, observed| {
            let sp = format!("/sites/{si}");
            let site_at = || sp.clone();
            let site_id = show(&site, "site_id");
            let law = field(&site, "applicable_law", &site_at);
            // The stricter of national law and the code.
            let national = match opt_num(&law, "min_working_age") {
                Some(a) => Ok(a),
                None => or_else(
                    &law,
                    "min_working_age",
                    &|| format!("{sp}/applicable_law"),
                    self.country(si, &site).map(national_minimum_age),
                ),
            };
            let school = opt_num(&law, "compulsory_school_age").unwrap_or(MINIMUM_WORKING_AGE);
            let limit = national.map(|n| MINIMUM_WORKING_AGE.max(n).max(school));
            let workers = list(&site, "workers", &site_at);
            if !run.insufficient_unless(workers.clone().map(|w| !w.is_empty()), || {
                format!("{sp}/workers")
            }) {
                return;
            }
            // Testimony of underage workers blocks compliance unless every age is verified.
            let interviews = field(&site, "interviews", &site_at);
            let reports = opt(&interviews, "reports")
                .and_then(Value::as_array)
                .map_or(&[][..], Vec::as_slice);
            let no_testimony = none(reports.iter().enumerate().map(|(k, r)| {
                one_of(&Ok(r), "topic", &REPORT_TOPICS, &|| {
                    format!("{sp}/interviews/reports/{k}")
                })
                    .map(|t| t == "underage_workers")
            }));
            if !run.insufficient_unless(
                or(no_testimony, || {
                    let ws = workers.clone()?;
                    all(ws.iter().enumerate().map(|(wi, w)| {
                        flag(&Ok(w), "age_verified", &|| format!("{sp}/workers/{wi}"))
                    }))
                }),
                || format!("{sp}/interviews/reports"),
            ) {
                return;
            }
            let Ok(ws) = workers else {
                return;
            };
            let observed = Ok(observed);
            for (wi, w) in ws.iter().enumerate() {
                let w: Node<'_> = Ok(w);
                let at = || format!("{sp}/workers/{wi}");
                let dob_at = || format!("{sp}/workers/{wi}/date_of_birth");
                let birth = date(&w, "date_of_birth", &at);
                let now = age(&birth, &observed, dob_at);
                run.require(
                    both(now.clone(), limit.clone(), |a, l| a as f64 >= l),
                    || Violation {
                        severity: Severity::Critical,
                        message: format!(
                            "Worker {} at site {site_id} is {} years old; the minimum working age is {}",
                            show(&w, "worker_ref"),
                            show_tri(&now.map(|a| a as f64)),
                            show_tri(&limit)
                        ),
                        path: dob_at(),
                    },
                );
                let at_hire = age(&birth, &date(&w, "hired_on", &at), dob_at);
                run.require(
                    both(at_hire.clone(), limit.clone(), |a, l| a as f64 >= l),
                    || Violation {
                        severity: Severity::Critical,
                        message: format!(
                            "Worker {} at site {site_id} was hired at {}, below the minimum working age of {}",
                            show(&w, "worker_ref"),
                            show_tri(&at_hire.map(|a| a as f64)),
                            show_tri(&limit)
                        ),
                        path: dob_at(),
                    },
                );
                // Unverified ages cannot prove compliance.
                let _ = run.insufficient_unless(flag(&w, "age_verified", &at), || {
                    format!("{sp}/workers/{wi}/age_verified")
                });
            }
        });
        run.finish(CLAUSE)
    }

    fn young_workers(&self) -> Outcome {
        const CLAUSE: &str = "child_labour.young_workers";
        let mut run = Run::default();
        if !self.require_sites(&mut run) {
            return run.finish(CLAUSE);
        }
        self.for_each_site(&mut run, |run, si, site, observed| {
            let sp = format!("/sites/{si}");
            let site_at = || sp.clone();
            let site_id = show(&site, "site_id");
            let law = field(&site, "applicable_law", &site_at);
            let hazardous_age = HAZARDOUS_WORK_MINIMUM_AGE
                .max(opt_num(&law, "hazardous_work_min_age").unwrap_or(HAZARDOUS_WORK_MINIMUM_AGE));
            let week_limit = opt_num(&law, "young_worker_max_hours_week").unwrap_or(MAX_WEEKLY_HOURS);
            let workers = list(&site, "workers", &site_at);
            if !run.insufficient_unless(workers.clone().map(|w| !w.is_empty()), || {
                format!("{sp}/workers")
            }) {
                return;
            }
            let records = field(&site, "hours_records", &site_at);
            let weeks = opt(&records, "worker_weeks")
                .and_then(Value::as_array)
                .map_or(&[][..], Vec::as_slice);
            let ws = match workers {
                Ok(ws) => ws,
                Err(w) => return run.absorb(w),
            };
            let observed = Ok(observed);
            for (wi, w) in ws.iter().enumerate() {
                let w: Node<'_> = Ok(w);
                let at = || format!("{sp}/workers/{wi}");
                let age = match age(&date(&w, "date_of_birth", &at), &observed, || {
                    format!("{sp}/workers/{wi}/date_of_birth")
                }) {
                    Ok(a) if a < ADULT_AGE => a,
                    Ok(_) => continue,
                    Err(why) => {
                        run.absorb(why);
                        continue;
                    }
                };
                let worker_ref = show(&w, "worker_ref");
                run.require(flag(&w, "night_shift", &at).map(|b| !b), || Violation {
                    severity: Severity::Critical,
                    message: format!("Young worker {worker_ref} at site {site_id} works night shifts"),
                    path: format!("{}/night_shift", at()),
                });
                run.require(
                    or(flag(&w, "hazardous_task", &at).map(|b| !b), || {
                        Ok(age as f64 >= hazardous_age)
                    }),
                    || Violation {
                        severity: Severity::Critical,
                        message: format!(
                            "Young worker {worker_ref} at site {site_id} does hazardous work (minimum age {})",
                            number_text(hazardous_age)
                        ),
                        path: format!("{}/hazardous_task", at()),
                    },
                );
                let overtime = num(&w, "overtime_hours_last_month", &at);
                run.require(overtime.clone().map(|o| o == 0.0), || Violation {
                    severity: Severity::Critical,
                    message: format!(
                        "Young worker {worker_ref} at site {site_id} worked {} hours of overtime last month",
                        show_tri(&overtime)
                    ),
                    path: format!("{}/overtime_hours_last_month", at()),
                });
                let own_ref = text(&w, "worker_ref", &at);
                for (k, week) in weeks.iter().enumerate() {
                    let week: Node<'_> = Ok(week);
                    let week_at = || format!("{sp}/hours_records/worker_weeks/{k}");
                    match both(text(&week, "worker_ref", &week_at), own_ref.clone(), |a, b| a == b) {
                        Ok(true) => {}
                        Ok(false) => continue,
                        Err(why) => {
                            run.absorb(why);
                            continue;
                        }
                    }
                    let hours = week_hours(&week, &week_at);
                    run.require(hours.clone().map(|(h, _)| h <= week_limit), || {
                        let (h, total) = hours.unwrap_or((f64::NAN, false));
                        Violation {
                            severity: Severity::Critical,
                            message: format!(
                                "Young worker {worker_ref} at site {site_id} worked {} hours in the week of {}",
                                number_text(h),
                                show_date(&week, "week_start")
                            ),
                            path: if total {
                                format!("{}/total_hours", week_at())
                            } else {
                                week_at()
                            },
                        }
                    });
                    if let Some(days) = opt_num(&week, "max_consecutive_days") {
                        run.require(Ok(days <= 6.0), || Violation {
                            severity: Severity::Critical,
                            message: format!(
                                "Young worker {worker_ref} at site {site_id} worked {} days in a row",
                                number_text(days)
                            ),
                            path: format!("{}/max_consecutive_days", week_at()),
                        });
                    }
                }
            }
        });
        run.finish(CLAUSE)
    }

    fn identity_documents(&self) -> Outcome {
        const CLAUSE: &str = "forced_labour.identity_documents";
        let mut run = Run::default();
        if !self.require_sites(&mut run) {
            return run.finish(CLAUSE);
        }
        self.for_each_site(&mut run, |run, si, site, _| {
            let sp = format!("/sites/{si}");
            let site_at = || sp.clone();
            let site_id = show(&site, "site_id");
            let docs = field(&site, "documents_retention", &site_at);
            let docs_at = || format!("{sp}/documents_retention");
            // Held only where the law requires it, with access within 12 hours and no fee.
            let lawful_holding = and(
                and(flag(&docs, "legal_requirement", &docs_at), || {
                    num(&docs, "access_on_request_hours", &docs_at).map(|h| h <= ID_ACCESS_MAX_HOURS)
                }),
                || {
                    Ok(!opt(&docs, "access_fee_charged")
                        .and_then(Value::as_bool)
                        .unwrap_or(false))
                },
            );
            let employer = num(&docs, "employer_holds_original_ids", &docs_at);
            run.require(
                or(employer.clone().map(|n| n == 0.0), || lawful_holding),
                || Violation {
                    severity: Severity::Critical,
                    message: format!(
                        "The employer at site {site_id} holds the original identity documents of {} workers",
                        show_tri(&employer)
                    ),
                    path: format!("{}/employer_holds_original_ids", docs_at()),
                },
            );
            let agent = num(&docs, "agent_holds_original_ids", &docs_at);
            run.require(agent.clone().map(|n| n == 0.0), || Violation {
                severity: Severity::Critical,
                message: format!(
                    "Recruitment agents for site {site_id} hold the original identity documents of {} workers",
                    show_tri(&agent)
                ),
                path: format!("{}/agent_holds_original_ids", docs_at()),
            });
            let housing = field(&site, "accommodation", &site_at);
            let housing_at = || format!("{sp}/accommodation");
            run.require(
                or(flag(&housing, "provided", &housing_at).map(|p| !p), || {
                    flag(&docs, "locker_provided", &docs_at)
                }),
                || Violation {
                    severity: Severity::Major,
                    message: format!(
                        "Workers housed at site {site_id} have no personal locker for their documents"
                    ),
                    path: format!("{sp}/accommodation/provided"),
                },
            );
        });
        run.finish(CLAUSE)
    }

    fn recruitment_fees(&self) -> Outcome {
        const CLAUSE: &str = "forced_labour.recruitment_fees";
        // Applies where a site has migrant workers or a sampled fee was paid.
        let applies = or(self.sites.clone().map(|s| s.is_empty()), || {
            let sites = self.sites.clone()?;
            any(sites.iter().enumerate().map(|(si, site)| {
                let site: Node<'_> = Ok(site);
                let site_at = || format!("/sites/{si}");
                let workforce = field(&site, "workforce", &site_at);
                or(
                    num(&workforce, "migrant_workers", &|| {
                        format!("/sites/{si}/workforce")
                    })
                    .map(|n| n > 0.0),
                    || {
                        let rs = list(&site, "recruitment", &site_at)?;
                        any(rs.iter().enumerate().map(|(k, r)| {
                            num(&Ok(r), "fee_paid", &|| {
                                format!("/sites/{si}/recruitment/{k}")
                            })
                            .map(|f| f > 0.0)
                        }))
                    },
                )
            }))
        });
        match applies {
            Ok(true) => {}
            Ok(false) => return not_applicable(CLAUSE),
            Err(why) => return insufficient(CLAUSE, why),
        }
        let as_of = self.as_of;
        let mut run = Run::default();
        if !self.require_sites(&mut run) {
            return run.finish(CLAUSE);
        }
        self.for_each_site(&mut run, |run, si, site, _| {
            let sp = format!("/sites/{si}");
            let site_at = || sp.clone();
            let site_id = show(&site, "site_id");
            let records = list(&site, "recruitment", &site_at);
            if !run.insufficient_unless(records.clone().map(|r| !r.is_empty()), || {
                format!("{sp}/recruitment")
            }) {
                return;
            }
            let reimbursed = |r: &Node<'_>, at: &dyn Fn() -> String| {
                and(
                    both(
                        num(r, "reimbursed_amount", at),
                        num(r, "fee_paid", at),
                        |a, f| a >= f,
                    ),
                    || date(r, "reimbursed_on", at).map(|d| d <= as_of),
                )
            };
            // The RBA matrix row: how many sampled workers have unreimbursed fees.
            let unpaid = records.clone().and_then(|rs| {
                let (mut n, mut why) = (0usize, Why::new());
                for (k, r) in rs.iter().enumerate() {
                    let r: Node<'_> = Ok(r);
                    let at = || format!("{sp}/recruitment/{k}");
                    match and(num(&r, "fee_paid", &at).map(|f| f > 0.0), || {
                        reimbursed(&r, &at).map(|b| !b)
                    }) {
                        Ok(true) => n += 1,
                        Ok(false) => {}
                        Err(w) => why.extend(w),
                    }
                }
                if why.is_empty() { Ok(n) } else { Err(why) }
            });
            let Ok(rs) = records else {
                return;
            };
            // Unknown exactly when `unpaid` is (the loop below only runs on a non-empty sample).
            let row: Tri<u8> = unpaid.map(|unpaid| {
                let frequency = unpaid as f64 / rs.len() as f64;
                if unpaid <= 3 || frequency <= 0.01 {
                    1
                } else if unpaid <= 6 || frequency <= 0.05 {
                    2
                } else if frequency <= 0.40 {
                    3
                } else {
                    4
                }
            });
            for (k, r) in rs.iter().enumerate() {
                let r: Node<'_> = Ok(r);
                let at = || format!("{sp}/recruitment/{k}");
                let fee = num(&r, "fee_paid", &at);
                // The fee and the month's base wage, for `ratio = fee_paid / monthly_base_wage`.
                let parts = match (fee.clone(), num(&r, "monthly_base_wage", &at)) {
                    (Ok(_), Ok(0.0)) => Err(vec![format!("{}/monthly_base_wage", at())]),
                    (f, w) => both(f, w, |f, w| (f, w)),
                };
                match fee {
                    Ok(0.0) => {}
                    Err(why) => run.absorb(why),
                    Ok(f) => {
                        // Fees reimbursed in full on or before `as_of` are a remedied breach;
                        // if that is unknown, the item is undecided and the evidence missing.
                        match reimbursed(&r, &at) {
                            Ok(true) => {
                                run.remedied += 1;
                                continue;
                            }
                            Ok(false) => {}
                            Err(why) => {
                                run.absorb(why);
                                continue;
                            }
                        }
                        run.violate_with(|why| {
                            // The RBA fee matrix: the fee as a share of a month's base wage,
                            // and the row.
                            let ratio = || parts.clone().map(|(f, w)| f / w);
                            let ratio_at_least = |x: f64| ratio().map(|r| r >= x);
                            let row_is = |p: fn(u8) -> bool| row.clone().map(p);
                            let severity = if case(
                                or(
                                    or(ratio_at_least(1.5), || {
                                        and(row_is(|w| w >= 3), || ratio_at_least(1.0))
                                    }),
                                    || and(row_is(|w| w == 4), || ratio_at_least(0.05)),
                                ),
                                why,
                            ) {
                                Severity::Critical
                            } else if case(
                                or(ratio_at_least(1.0), || row_is(|w| w >= 2)),
                                why,
                            ) {
                                Severity::Major
                            } else {
                                Severity::Minor
                            };
                            Violation {
                            severity,
                            message: format!(
                                "Worker {} at site {site_id} paid {} {} in recruitment fees ({} of a month's base wage), not reimbursed in full",
                                show(&r, "worker_ref"),
                                number_text(f),
                                show(&r, "currency"),
                                parts.map_or_else(|_| "unknown".into(), |(f, w)| percent_text(f, w))
                            ),
                            path: format!("{}/fee_paid", at()),
                        }});
                    }
                }
            }
        });
        run.finish(CLAUSE)
    }

    fn weekly_limit(&self) -> Outcome {
        const CLAUSE: &str = "working_hours.weekly_limit";
        if let Some(outcome) = self.scope(CLAUSE) {
            return outcome;
        }
        let mut run = Run::default();
        if !self.require_sites(&mut run) {
            return run.finish(CLAUSE);
        }
        self.for_each_site(&mut run, |run, si, site, _| {
            let sp = format!("/sites/{si}");
            let site_at = || sp.clone();
            let records_at = || format!("{sp}/hours_records");
            let site_id = show(&site, "site_id");
            let law = field(&site, "applicable_law", &site_at);
            let records = field(&site, "hours_records", &site_at);
            // The stricter of the law (the site's figure, else the country table) and the
            // code's 60; where the law's own figure is the lower one, a breach points at it.
            let cap: (f64, Option<String>) = match opt_num(&law, "max_hours_week") {
                Some(h) if h < MAX_WEEKLY_HOURS => {
                    (h, Some(format!("{sp}/applicable_law/max_hours_week")))
                }
                Some(_) => (MAX_WEEKLY_HOURS, None),
                None => {
                    let law_max = self
                        .country(si, &site)
                        .ok()
                        .and_then(legal_max_weekly_hours)
                        .unwrap_or(MAX_WEEKLY_HOURS);
                    (MAX_WEEKLY_HOURS.min(law_max), None)
                }
            };
            let weeks = list(&records, "worker_weeks", &records_at);
            let weeks_at = || format!("{sp}/hours_records/worker_weeks");
            let emergencies = opt(&records, "emergencies")
                .and_then(Value::as_array)
                .map_or(&[][..], Vec::as_slice);
            let summary = field(&records, "summary", &records_at);
            let summary_share = |key: &str| {
                opt_num(&summary, key)
                    .map(|v| Share::given(v, format!("{sp}/hours_records/summary/{key}")))
            };
            let week_at = |k: usize| format!("{sp}/hours_records/worker_weeks/{k}");
            let over = |limit: f64| {
                move |k: usize, w: &Value| {
                    week_hours(&Ok(w), &|| week_at(k)).map(|(h, _)| h > limit)
                }
            };
            // Weeks inside a documented emergency do not count (ETI 6.1), neither for the
            // breach nor for its severity.
            let outside_emergencies = |k: usize, w: &Value| {
                none(emergencies.iter().enumerate().map(|(e, emergency)| {
                    let emergency: Node<'_> = Ok(emergency);
                    let e_at = || format!("{sp}/hours_records/emergencies/{e}");
                    let start = date(&Ok(w), "week_start", &|| week_at(k));
                    and(
                        both(start.clone(), date(&emergency, "start", &e_at), |s, a| s >= a),
                        || both(start, date(&emergency, "end", &e_at), |s, b| s <= b),
                    )
                }))
            };
            let (cap, cap_at) = cap;
            // Shares of sampled worker-weeks: the auditor's summary when given, else computed
            // from the raw weeks.
            let raw_over_cap = share(&weeks, &weeks_at, outside_emergencies, over(cap));
            let over_cap = if cap == MAX_WEEKLY_HOURS {
                summary_share("share_weeks_over_60")
            } else if cap < MAX_WEEKLY_HOURS {
                summary_share("share_weeks_over_legal_limit")
            } else {
                None
            }
            .map_or_else(|| raw_over_cap.clone(), Ok);
            // The RBA matrix's bands are fixed at 60, 72 and 84 hours.
            let band = |key: &str, limit: f64| match summary_share(key) {
                Some(s) => Ok(s),
                None => or_else(
                    &summary,
                    key,
                    &|| format!("{sp}/hours_records/summary"),
                    share(&weeks, &weeks_at, outside_emergencies, over(limit)),
                ),
            };
            let over_60 = band("share_weeks_over_60", 60.0);
            let over_72 = band("share_weeks_over_72", 72.0);
            let over_84 = band("share_weeks_over_84", 84.0);
            // Any breaching week is a violation, in the summary or in the raw weeks; a share
            // over 60 breaches any cap at or below 60.
            let zero = |s: &Tri<Share>| s.clone().map(|s| s.value() == 0.0);
            let raw_is_zero = Ok(raw_over_cap.as_ref().map_or(true, |s| s.value() == 0.0));
            let cap_holds = || or(Ok(cap > MAX_WEEKLY_HOURS), || zero(&over_60));
            let first_two = and(zero(&over_cap), || raw_is_zero.clone());
            run.require_with(and(first_two.clone(), cap_holds), |why| {
                let above = |s: &Tri<Share>, x: f64| s.clone().map(|s| s.value() > x);
                // The RBA matrix: the share of breaching weeks sets the severity.
                let severity = if case(
                    or(
                        or(above(&over_84, 0.05), || above(&over_72, 0.15)),
                        || above(&over_60, 0.40),
                    ),
                    why,
                ) {
                    Severity::Critical
                } else if case(
                    or(
                        or(
                            or(above(&over_84, 0.0), || above(&over_72, 0.05)),
                            || above(&over_60, 0.15),
                        ),
                        || above(&over_cap, 0.40),
                    ),
                    why,
                ) {
                    Severity::Major
                } else {
                    Severity::Minor
                };
                // What the violation is about: the first part of the condition that failed.
                let share_blame = |s: &Tri<Share>| match s {
                    Ok(s) => (percent_text(s.hits, s.of), s.path.clone()),
                    Err(_) => ("unknown".into(), String::new()),
                };
                let (actual, path) = if first_two == Ok(false) {
                    if zero(&over_cap) == Ok(false) {
                        share_blame(&over_cap)
                    } else {
                        share_blame(&raw_over_cap)
                    }
                } else {
                    match &cap_at {
                        Some(p) => (percent_text(cap, 1.0), p.clone()),
                        None => share_blame(&over_60),
                    }
                };
                Violation {
                    severity,
                    message: format!(
                        "{actual} of sampled worker-weeks at site {site_id} exceed the weekly limit of {} hours",
                        number_text(cap)
                    ),
                    path,
                }
            });
            // Legal monthly and yearly overtime caps, when the auditor gives the share.
            let summary_cap = |run: &mut Run, key: &str, period: &str, law_key: &str| {
                if let Some(v) = opt_num(&summary, key) {
                    run.require(Ok(v == 0.0), || Violation {
                        severity: Severity::Major,
                        message: format!(
                            "{} of sampled workers at site {site_id} worked more overtime than the legal limit of {} hours a {period}",
                            percent_text(v, 1.0),
                            match show(&law, law_key) {
                                Cow::Borrowed("unknown") => Cow::Borrowed("(legal limit not given)"),
                                given => given,
                            }
                        ),
                        path: format!("{sp}/hours_records/summary/{key}"),
                    });
                }
            };
            summary_cap(
                run,
                "share_workers_over_ot_month_cap",
                "month",
                "max_overtime_month",
            );
            let month_cap = opt_num(&law, "max_overtime_month");
            let pays = opt(&site, "wage_records").and_then(Value::as_array);
            for (k, pay) in pays
                .filter(|_| month_cap.is_some())
                .into_iter()
                .flatten()
                .enumerate()
            {
                let month_cap = month_cap.unwrap_or_default();
                let pay: Node<'_> = Ok(pay);
                let at = || format!("{sp}/wage_records/{k}");
                let overtime = num(&pay, "overtime_hours", &at);
                run.require(overtime.clone().map(|o| o <= month_cap), || Violation {
                    severity: Severity::Major,
                    message: format!(
                        "Worker {} at site {site_id} worked {} hours of overtime between {} and {} (legal limit: {} hours a month)",
                        show(&pay, "worker_ref"),
                        show_tri(&overtime),
                        show_date(&pay, "period_start"),
                        show_date(&pay, "period_end"),
                        number_text(month_cap)
                    ),
                    path: format!("{}/overtime_hours", at()),
                });
            }
            summary_cap(
                run,
                "share_workers_over_ot_year_cap",
                "year",
                "max_overtime_year",
            );
            // Records that are not reliable, or that do not say which period they cover,
            // cannot prove compliance, but a breach they show stands: the guards come last.
            let known = |key: &str| field(&records, key, &records_at);
            let period = match (known("period_from"), known("period_to")) {
                (Ok(_), Ok(_)) => Ok(()),
                (Err(w), _) | (_, Err(w)) => Err(w),
            };
            if let Err(why) = period {
                run.missing.extend(why);
                return;
            }
            let _ = run.insufficient_unless(flag(&records, "records_reliable", &records_at), || {
                format!("{sp}/hours_records/records_reliable")
            });
        });
        run.finish(CLAUSE)
    }

    fn minimum_wage(&self) -> Outcome {
        const CLAUSE: &str = "wages.minimum_wage";
        if let Some(outcome) = self.scope(CLAUSE) {
            return outcome;
        }
        let mut run = Run::default();
        if !self.require_sites(&mut run) {
            return run.finish(CLAUSE);
        }
        self.for_each_site(&mut run, |run, si, site, _| {
            let sp = format!("/sites/{si}");
            let site_at = || sp.clone();
            let site_id = show(&site, "site_id");
            let law = field(&site, "applicable_law", &site_at);
            let minimum = field(&law, "minimum_wage", &|| format!("{sp}/applicable_law"));
            let minimum_at = || format!("{sp}/applicable_law/minimum_wage");
            let pays = list(&site, "wage_records", &site_at);
            if !run.insufficient_unless(pays.clone().map(|p| !p.is_empty()), || {
                format!("{sp}/wage_records")
            }) {
                return;
            }
            let Ok(pays) = pays else {
                return;
            };
            let currency = text(&minimum, "currency", &minimum_at);
            let amount = num(&minimum, "amount", &minimum_at);
            let period = one_of(&minimum, "period", &WAGE_PERIODS, &minimum_at);
            for (k, pay) in pays.iter().enumerate() {
                let pay: Node<'_> = Ok(pay);
                let at = || format!("{sp}/wage_records/{k}");
                // Amounts in different currencies cannot be compared.
                if !run.insufficient_unless(
                    both(text(&pay, "currency", &at), currency.clone(), |a, b| a == b),
                    || format!("{}/currency", at()),
                ) {
                    continue;
                }
                // The minimum for the period paid, pro rata.
                let start = date(&pay, "period_start", &at);
                let days = both(start.clone(), date(&pay, "period_end", &at), |s, e| {
                    (e.days() - s.days() + 1) as f64
                });
                let required = match &period {
                    Err(why) => Err(why.clone()),
                    Ok("hour") => both(amount.clone(), num(&pay, "regular_hours", &at), |a, h| a * h),
                    Ok("day") => both(amount.clone(), num(&pay, "days_worked", &at), |a, d| a * d),
                    Ok("week") => both(amount.clone(), days, |a, d| a * d / 7.0),
                    Ok(_) => both(
                        both(amount.clone(), days, |a, d| a * d),
                        start.map(|s| (s.add_months(1).days() - s.days()) as f64),
                        |x, month| x / month,
                    ),
                };
                let base = num(&pay, "base_pay", &at);
                run.require(both(base.clone(), required.clone(), |b, r| b >= r), || Violation {
                    severity: Severity::Major,
                    message: format!(
                        "Worker {} at site {site_id} was paid {} {} base pay for {} to {}; the legal minimum is {} {}",
                        show(&pay, "worker_ref"),
                        show_tri(&base),
                        show(&pay, "currency"),
                        show_date(&pay, "period_start"),
                        show_date(&pay, "period_end"),
                        show_tri(&required),
                        show(&minimum, "currency")
                    ),
                    path: format!("{}/base_pay", at()),
                });
            }
        });
        run.finish(CLAUSE)
    }
}
