//! Differential test: the real evaluator (`RulePack::evaluate`) against the reference
//! evaluator in `tests/reference/` on generated programs and evidence. Both must give every
//! clause the same status, severity, `remediated` flag, violations (severity, message, path,
//! actual, expected, remediation action and due date), missing and invalid paths.
//!
//! Each case is a seed: from it a well-formed pack (several clauses over a declared
//! evidence shape) and several evidence documents (mostly of that shape; sometimes with
//! missing fields, nulls, wrong types, empty lists, duplicated ids) are generated.
//! Longer campaigns: `PROPTEST_CASES=20000 cargo test --all-features --test differential`.
#![cfg(feature = "unstable-ast")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod reference;

use conduct::report::Date;
use conduct::{Options, Report, RulePack};
use proptest::prelude::*;
use reference::{RefOptions, RefOutcome, RefViolation};
use serde_json::{Value, json};

// ----- comparison -----

fn level(s: conduct::Severity) -> conduct::tools::unstable::ast::Level {
    match s {
        conduct::Severity::Minor => conduct::tools::unstable::ast::Level::Minor,
        conduct::Severity::Major => conduct::tools::unstable::ast::Level::Major,
        conduct::Severity::Critical => conduct::tools::unstable::ast::Level::Critical,
    }
}

/// A finding as the reference writes it: one violation per failing item. A grouped finding's
/// remediation is the one of its first most severe item, so only that item's is compared (the
/// others take the reference's: see `align_remediations`).
fn per_item(v: &conduct::Violation) -> Vec<RefViolation> {
    let remediation = v
        .remediation
        .as_ref()
        .map(|r| (r.action.clone(), r.due.map(|d| d.to_string())));
    if v.items.is_empty() {
        return vec![RefViolation {
            severity: level(v.severity),
            message: v.message.clone(),
            path: v.path.clone(),
            actual: v.actual.clone(),
            expected: v.expected.clone(),
            remediation,
        }];
    }
    let decisive = v.items.iter().position(|i| i.severity == v.severity);
    v.items
        .iter()
        .enumerate()
        .map(|(n, i)| RefViolation {
            severity: level(i.severity),
            message: i.message.clone(),
            path: i.path.clone(),
            actual: i.actual.clone(),
            expected: i.expected.clone(),
            remediation: if Some(n) == decisive {
                remediation.clone()
            } else {
                Some((UNCOMPARED.into(), None))
            },
        })
        .collect()
}

/// The remediation of an item whose finding took another item's.
const UNCOMPARED: &str = "(not compared: the finding's remediation is another item's)";

/// Violations in a fixed order: findings group items, so evaluation order is not kept. The
/// order covers every compared field but the remediation (which `align_remediations` pairs
/// up), so that two violations alike in pointer, message and value but not in severity are
/// compared as the same multiset whichever the evaluation met first.
fn sorted(mut v: Vec<RefViolation>) -> Vec<RefViolation> {
    v.sort_by(|a, b| {
        (
            &a.path,
            &a.message,
            a.actual.to_string(),
            &a.expected,
            a.severity,
        )
            .cmp(&(
                &b.path,
                &b.message,
                b.actual.to_string(),
                &b.expected,
                b.severity,
            ))
    });
    v
}

/// The reference's violations in the same order, with the remediations the real report does
/// not compare replaced as it replaced them.
fn align_remediations(real: &[RefOutcome], reference: &mut [RefOutcome]) {
    let key = |v: &RefViolation| {
        (
            v.path.clone(),
            v.message.clone(),
            v.actual.to_string(),
            v.expected.clone(),
        )
    };
    for (a, b) in real.iter().zip(reference.iter_mut()) {
        b.violations = sorted(std::mem::take(&mut b.violations));
        // Items alike in all but their remediation (two requirements failing the same way)
        // may come in either order: within such a run, the reference's item with the real
        // item's remediation is moved to its place first.
        for i in 0..a.violations.len().min(b.violations.len()) {
            let x = &a.violations[i];
            let compared = x.remediation.as_ref().is_none_or(|(t, _)| t != UNCOMPARED);
            if compared
                && b.violations[i].remediation != x.remediation
                && let Some(j) = (i + 1..b.violations.len()).find(|&j| {
                    key(&b.violations[j]) == key(x) && b.violations[j].remediation == x.remediation
                })
            {
                b.violations.swap(i, j);
            }
        }
        for (x, y) in a.violations.iter().zip(b.violations.iter_mut()) {
            if x.remediation.as_ref().is_some_and(|(t, _)| t == UNCOMPARED) {
                y.remediation = x.remediation.clone();
            }
        }
    }
}

/// The real report in the reference's terms.
fn real_outcomes(report: &Report) -> Vec<RefOutcome> {
    report
        .outcomes
        .iter()
        .map(|o| RefOutcome {
            clause: o.clause.clone(),
            status: match o.status {
                conduct::Status::Violated => "violated",
                conduct::Status::Compliant => "compliant",
                conduct::Status::InsufficientEvidence => "insufficient_evidence",
                conduct::Status::NotApplicable => "not_applicable",
                conduct::Status::Error => "error",
                _ => "other",
            },
            severity: o.severity.map(level),
            remediated: o.remediated,
            violations: sorted(o.violations.iter().flat_map(per_item).collect()),
            // The report sorts pointers naturally; the reference as texts.
            missing: {
                let mut m: Vec<String> = o.missing.iter().map(|m| m.path.clone()).collect();
                m.sort();
                m
            },
            invalid: {
                let mut v: Vec<String> = o.invalid.iter().map(|i| i.path.clone()).collect();
                v.dedup();
                v
            },
        })
        .collect()
}

/// Runs both evaluators; `Err` describes the first disagreement.
fn compare(
    pack: &RulePack,
    src: &str,
    evidence: &Value,
    as_of: Option<&str>,
    language: &str,
) -> Result<(), String> {
    compare_parsed(pack, src, &reference::parse(src), evidence, as_of, language)
}

fn compare_parsed(
    pack: &RulePack,
    src: &str,
    file: &conduct::tools::unstable::ast::File,
    evidence: &Value,
    as_of: Option<&str>,
    language: &str,
) -> Result<(), String> {
    let mut options = Options::default().language(language);
    if let Some(d) = as_of {
        options = options.as_of(Date::parse(d).unwrap());
    }
    let real = real_outcomes(&pack.evaluate(evidence, &options));
    let mut reference = reference::evaluate_file(
        src,
        file,
        evidence,
        &RefOptions {
            as_of: as_of.map(str::to_string),
            language: language.to_string(),
        },
    );
    align_remediations(&real, &mut reference);
    if real.len() != reference.len() {
        return Err(format!(
            "{} outcomes, reference {}",
            real.len(),
            reference.len()
        ));
    }
    for (a, b) in real.iter().zip(&reference) {
        if a != b {
            return Err(format!(
                "clause {} differs (language {language}, as_of {as_of:?})\nreal:      {a:#?}\nreference: {b:#?}",
                a.clause
            ));
        }
    }
    Ok(())
}

fn build(src: &str) -> RulePack {
    match RulePack::builder().file("pack.conduct", src).build() {
        Ok(p) => p,
        Err(e) => panic!("generated pack does not compile: {e}\n{src}"),
    }
}

fn check_case(src: &str, evidence: &Value, as_of: Option<&str>, language: &str) {
    let pack = build(src);
    if let Err(e) = compare(&pack, src, evidence, as_of, language) {
        panic!(
            "{e}\n--- pack ---\n{src}\n--- evidence ---\n{}",
            serde_json::to_string_pretty(evidence).unwrap()
        );
    }
}

// ----- hand-written examples -----

const HEADER: &str = r#"pack demo "Demo" languages en, sv
  as_of from assessed_on
evidence {
  assessed_on: date,
  level: "basic" | "advanced",
  sites: [{ id: string, country: string, hours: number, open: bool,
            workers: [{ id: string, born: date, hours: number, paid: number, refund: number }] }],
  findings: [{ site: string, closed: bool }]
}
param minimum_age: number = 15
table national_age: number default 15 { CN: 16, IN: 14 }
"#;

#[test]
fn example_minimum_age() {
    let src = format!(
        "{HEADER}{}",
        r#"
clause child_labour.minimum_age
  title en "No child labour"
  severity critical
  remediation en "Remove {severity}" within 30 days
  for each site in sites, w in site.workers:
    let limit = max(minimum_age, national_age[site.country])
    require age(w.born, as_of) >= limit
      message en "Worker {w.id} at {site.id} is {actual}; the minimum is {limit} ({expected})"
              sv "Arbetstagare {w.id} är {actual}"
  end
"#
    );
    let evidence = json!({
        "assessed_on": "2024-10-31",
        "sites": [ { "id": "CN-1", "country": "CN", "workers": [
            { "id": "W1", "born": "2009-03-01" }, { "id": "W2", "born": "1990-01-01" },
            { "id": "W3", "born": null }, { "id": "W4", "born": "31/12/2000" } ] } ]
    });
    check_case(&src, &evidence, None, "en");
    check_case(&src, &evidence, None, "sv");
    check_case(&src, &evidence, Some("2030-01-01"), "en");
    let outcomes = reference::evaluate(&src, &evidence, &RefOptions::default());
    let o = &outcomes[0];
    assert_eq!(o.status, "violated");
    assert_eq!(o.violations.len(), 1);
    assert_eq!(o.violations[0].path, "/sites/0/workers/0/born");
    assert_eq!(o.violations[0].expected, ">= 16");
    assert_eq!(
        o.violations[0].message,
        "Worker W1 at CN-1 is 15; the minimum is 16 (>= 16)"
    );
    assert_eq!(
        o.violations[0].remediation,
        Some(("Remove critical".into(), Some("2024-11-30".into())))
    );
    assert_eq!(o.missing, vec!["/sites/0/workers/2/born"]);
    assert_eq!(o.invalid, vec!["/sites/0/workers/3/born"]);
}

#[test]
fn example_three_valued_logic_and_fallbacks() {
    let src = format!(
        "{HEADER}{}",
        r#"
let advanced = (level ?? "advanced") != "basic"

clause hours.weekly
  title en "Hours"
  applies when advanced
  severity critical when count(s in sites where s.hours > 72) > 0, minor otherwise
  for each s in sites where s.open:
    require s.hours <= 60 or s.country == "SE"
      message en "{actual} hours at {s.id}"
  end

clause sites.present
  title en "Sites"
  insufficient unless length(sites) > 0
  require all(s in sites: exists(s.id))
    message en "a site has no id"
"#
    );
    for evidence in [
        json!({ "level": "basic", "sites": [] }),
        json!({ "sites": [] }),
        json!({ "sites": [ { "id": "A", "country": "MX", "hours": 80, "open": true },
                           { "id": "B", "country": "SE", "hours": 80, "open": null },
                           { "country": "SE", "hours": 50, "open": true } ] }),
        json!({ "sites": [ { "id": "A", "country": "MX", "hours": "many", "open": true } ] }),
        json!({ "level": "expert", "sites": "none" }),
    ] {
        check_case(&src, &evidence, Some("2024-10-31"), "en");
    }
}

#[test]
fn example_clauses_read_later_clauses() {
    // `sites.summary` reads clauses written after it: the engine judges them first, the
    // reference on demand; both report in the pack's order.
    let src = format!(
        "{HEADER}{}",
        r#"
clause sites.summary
  title en "Summary" sv "Sammanfattning"
  require outcome("hours.weekly") != "violated" or outcome("sites.present") == "compliant"
    message en "hours {outcome("hours.weekly")} in {title_of("hours.weekly")}"
            sv "timmar {outcome("hours.weekly")} i {title_of("hours.weekly")}"

clause hours.weekly
  title en "Hours" sv "Timmar"
  for each s in sites:
    require s.hours <= 60
      message en "{actual} hours at {s.id}"
  end

clause sites.present
  title en "Sites"
  insufficient unless length(sites) > 0
  require all(s in sites: exists(s.id))
    message en "a site has no id"
"#
    );
    for evidence in [
        json!({ "sites": [] }),
        json!({ "sites": [ { "id": "A", "hours": 80 }, { "hours": 50 } ] }),
        json!({ "sites": [ { "id": "A", "hours": 40 } ] }),
        json!({ "sites": [ { "hours": 70 } ] }),
        json!({ "sites": "none" }),
    ] {
        for language in ["en", "sv"] {
            check_case(&src, &evidence, Some("2024-10-31"), language);
        }
    }
}

#[test]
fn example_remedied_and_aggregates() {
    let src = format!(
        "{HEADER}{}",
        r#"
let open_findings(site_id) = count(f in findings where f.site == site_id: not f.closed)

clause fees.recruitment
  title en "No fees"
  for each s in sites, w in s.workers:
    require w.paid == 0
      message en "{w.id} paid {actual}"
      remedied when w.refund >= w.paid
  end

clause findings.closed
  title en "Findings closed"
  remedied when share(f in findings: f.closed) >= 0.5
  for each s in sites:
    require open_findings(s.id) == 0
      message en "{actual} open at {s.id}; {share(f in findings: f.closed):%} closed"
  end

clause hours.average
  title en "Average"
  require average(s in sites, w in s.workers: w.hours) <= 48
    message en "average {actual}"
  require sum(s in sites: s.hours) / count(s in sites) <= 50
    message en "mean {actual}"
"#
    );
    for evidence in [
        json!({ "sites": [ { "id": "S1", "workers": [ { "id": "W1", "paid": 100, "refund": 100, "hours": 50 },
                                                      { "id": "W2", "paid": 10, "hours": 40 } ] } ],
                "findings": [ { "site": "S1", "closed": false }, { "site": "S1", "closed": true } ] }),
        json!({ "sites": [], "findings": [] }),
        json!({ "sites": [ { "id": "S1", "hours": 0, "workers": [] } ], "findings": [ { "site": "S1", "closed": false } ] }),
    ] {
        check_case(&src, &evidence, Some("2024-10-31"), "en");
    }
}

// ----- regressions: disagreements the differential test found -----

/// An aggregate in a clause-level `severity … when` is evaluated inside the clause's
/// `for each`, and its variable had the same slot as the loop's: it overwrote the item being
/// judged (with a location already freed, so rendering the message never ended).
#[test]
fn regression_clause_severity_aggregate_keeps_the_loop_item() {
    let src = format!(
        "{HEADER}{}",
        r#"
clause hours.weekly
  title en "Hours"
  severity critical when count(x in sites where x.hours > 72) > 0, minor otherwise
  remediation en "Fix {severity}" within if severity == "critical" then 30 days else 90 days
  for each s in sites:
    require s.hours <= 60
      message en "{actual} hours at {s.id}"
  end
"#
    );
    let evidence = json!({ "assessed_on": "2024-10-31", "sites": [
        { "id": "A", "hours": 80 }, { "id": "B", "hours": 50 }, { "id": "C", "hours": 61 } ] });
    check_case(&src, &evidence, None, "en");
    let report = build(&src).evaluate(&evidence, &Options::default());
    // The sites declare no key: one finding about the supplier, the sites its items.
    let items: Vec<_> = report.violations().flat_map(|v| v.items.iter()).collect();
    let messages: Vec<&str> = items.iter().map(|i| i.message.as_str()).collect();
    assert_eq!(messages, ["80 hours at A", "61 hours at C"]);
    let paths: Vec<&str> = items.iter().map(|i| i.path.as_str()).collect();
    assert_eq!(paths, ["/sites/0/hours", "/sites/2/hours"]);
}

/// A field read through a pack-level definition (`main.kind`) was not checked against the
/// evidence declaration: a wrong type made the clause an `error` instead of invalid evidence.
/// Only the value finally read is checked, as on a path: a stray item elsewhere in
/// `main.workers` does not make `main.workers[0].id` invalid.
#[test]
fn regression_fields_of_definitions_are_typed() {
    let src = format!(
        "{HEADER}{}",
        r#"
let main = first(s in sites where s.open: s)

clause sites.kind
  title en "Kind"
  require main.country == "SE"
    message en "{actual}"

clause sites.first_worker
  title en "First worker"
  require main.workers[0].id != "W0"
    message en "{actual}"
"#
    );
    let evidence = json!({ "sites": [ { "id": "A", "open": true, "country": true,
        "workers": [ { "id": "W0" }, "stray" ] } ] });
    check_case(&src, &evidence, Some("2024-10-31"), "en");
    let report = build(&src).evaluate(&evidence, &Options::default());
    let kind = report.outcome("sites.kind").unwrap();
    assert_eq!(kind.status, conduct::Status::InsufficientEvidence);
    assert_eq!(kind.invalid[0].path, "/sites/0/country");
    let worker = report.outcome("sites.first_worker").unwrap();
    assert_eq!(worker.status, conduct::Status::Violated);
    assert!(worker.invalid.is_empty());
}

/// A join filter on an enumerated field (`where s.kind == "b"`) used an index by text that
/// skipped the items holding a text outside the declared set: their invalid evidence was
/// not listed.
#[test]
fn regression_join_on_an_enumerated_field_sees_invalid_texts() {
    let src = r#"pack demo "Demo" languages en
evidence { sites: [{ id: string, kind: "a" | "b", open: bool }] }

clause sites.open
  title en "Open"
  for each s in sites where s.kind == "b":
    require s.open
      message en "{s.id} closed"
  end
"#;
    let evidence = json!({ "sites": [ { "id": "A", "kind": "x", "open": true },
                                      { "id": "B", "kind": "b", "open": true } ] });
    check_case(src, &evidence, Some("2024-10-31"), "en");
    let report = build(src).evaluate(&evidence, &Options::default());
    let o = report.outcome("sites.open").unwrap();
    assert_eq!(o.status, conduct::Status::InsufficientEvidence);
    assert_eq!(o.invalid[0].path, "/sites/0/kind");
}

// ----- the generator -----

/// SplitMix64: the generator draws every choice from one seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// True with probability `p` percent.
    fn chance(&mut self, p: u64) -> bool {
        self.next() % 100 < p
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Root,
    Site,
    Worker,
    Finding,
    Meta,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ty {
    Num,
    Bool,
    Str,
    Date,
    Dur,
    Obj(Kind),
    /// A list of objects.
    List(Kind),
    /// A list of texts.
    Texts,
}

const LEVELS: &[&str] = &["basic", "advanced"];
const KINDS: &[&str] = &["a", "b"];

/// A field: name, type, and the allowed texts of an enumerated field.
type Field = (&'static str, Ty, Option<&'static [&'static str]>);

fn fields(kind: Kind) -> &'static [Field] {
    match kind {
        Kind::Root => &[
            ("assessed_on", Ty::Date, None),
            ("level", Ty::Str, Some(LEVELS)),
            ("country", Ty::Str, None),
            ("hours", Ty::Num, None),
            ("cap", Ty::Num, None),
            ("flag", Ty::Bool, None),
            ("started", Ty::Date, None),
            ("codes", Ty::Texts, None),
            ("meta", Ty::Obj(Kind::Meta), None),
            ("sites", Ty::List(Kind::Site), None),
            ("findings", Ty::List(Kind::Finding), None),
        ],
        Kind::Site => &[
            ("id", Ty::Str, None),
            ("country", Ty::Str, None),
            ("hours", Ty::Num, None),
            ("cap", Ty::Num, None),
            ("open", Ty::Bool, None),
            ("opened", Ty::Date, None),
            ("kind", Ty::Str, Some(KINDS)),
            ("workers", Ty::List(Kind::Worker), None),
        ],
        Kind::Worker => &[
            ("id", Ty::Str, None),
            ("born", Ty::Date, None),
            ("hours", Ty::Num, None),
            ("paid", Ty::Num, None),
            ("refund", Ty::Num, None),
            ("ok", Ty::Bool, None),
        ],
        Kind::Finding => &[
            ("site", Ty::Str, None),
            ("closed", Ty::Bool, None),
            ("due", Ty::Date, None),
            ("score", Ty::Num, None),
        ],
        Kind::Meta => &[("owner", Ty::Str, None), ("score", Ty::Num, None)],
    }
}

const EVIDENCE_DECL: &str = r#"evidence {
  assessed_on: date,
  level: "basic" | "advanced",
  country: string,
  hours: number,
  cap: number,
  flag: bool,
  started: date,
  codes: [string],
  meta: { owner: string, score: number },
  sites: [{ id: string, country: string, hours: number, cap: number, open: bool,
            opened: date, kind: "a" | "b",
            workers: [{ id: string, born: date, hours: number, paid: number,
                        refund: number, ok: bool }] }],
  findings: [{ site: string, closed: bool, due: date, score: number }]
}
"#;

const DECLARATIONS: &str = r#"param limit: number = 60 source "ETI 6.1"
param min_age: number = 15
param grace: duration = 30 days
param strict: bool = true
param cutoff: date = date("2024-01-01")
table national_cap: number default 60 { SE: 48, MX: 57, BD: 60 }
table country_age: number { CN: 16, IN: 14 }
let open_in(site_id) = count(f in findings where f.site == site_id: not f.closed)
let later(a, b) = if a > b then a else b
let hours_of(s) = s.hours ?? 0
let main_site = first(s in sites where s.open: s)
collection open_sites = s in sites where s.open
  insufficient when empty
collection closed_findings = f in findings where f.closed and (f.site ?? "") != ""
"#;

struct Gen {
    rng: Rng,
    /// Names in scope, innermost last.
    scope: Vec<(String, Ty)>,
    fresh: usize,
    /// Names that only exist inside messages and remediations.
    in_message: bool,
    in_remediation: bool,
    /// Pack-level definitions of each type, usable once defined.
    globals: Vec<(String, Ty)>,
    /// Whether a clause is being generated (`this_clause` is allowed).
    in_clause: bool,
    /// The clause being generated, how many the pack has, and whether clauses read the
    /// outcomes of later clauses (the engine must reorder them) or of earlier ones: one
    /// direction per pack, so that no two read each other.
    clause_no: usize,
    clause_count: usize,
    reads_forward: bool,
}

impl Gen {
    fn new(seed: u64) -> Gen {
        Gen {
            rng: Rng(seed),
            scope: Vec::new(),
            fresh: 0,
            in_message: false,
            in_remediation: false,
            globals: vec![("main_site".into(), Ty::Obj(Kind::Site))],
            in_clause: false,
            clause_no: 0,
            clause_count: 0,
            reads_forward: false,
        }
    }

    fn name(&mut self) -> String {
        self.fresh += 1;
        format!("v{}", self.fresh)
    }

    fn vars(&self, ty: Ty) -> Vec<String> {
        self.scope
            .iter()
            .chain(&self.globals)
            .filter(|(_, t)| *t == ty)
            .map(|(n, _)| n.clone())
            .collect()
    }

    /// An expression for an object of `kind`.
    fn object(&mut self, kind: Kind, depth: u32) -> String {
        let vars = self.vars(Ty::Obj(kind));
        if !vars.is_empty() && self.rng.chance(70) {
            return self
                .rng
                .pick(&vars.iter().map(String::as_str).collect::<Vec<_>>())
                .to_string();
        }
        match kind {
            Kind::Root => String::new(),
            Kind::Meta => "meta".into(),
            Kind::Site => match self.rng.below(3) {
                0 => "sites[0]".into(),
                1 if depth > 0 => {
                    let v = self.name();
                    self.scope.push((v.clone(), Ty::Obj(Kind::Site)));
                    let filter = self.boolean(depth - 1);
                    self.scope.pop();
                    format!("first({v} in sites where {filter}: {v})")
                }
                _ => "sites[1]".into(),
            },
            Kind::Worker => format!("{}.workers[0]", self.object(Kind::Site, depth)),
            Kind::Finding => "findings[0]".into(),
        }
    }

    /// A list of objects of `kind`.
    fn list(&mut self, kind: Kind, depth: u32) -> String {
        let vars = self.vars(Ty::List(kind));
        if !vars.is_empty() && self.rng.chance(30) {
            return self
                .rng
                .pick(&vars.iter().map(String::as_str).collect::<Vec<_>>())
                .to_string();
        }
        match kind {
            Kind::Site => "sites".into(),
            Kind::Finding => "findings".into(),
            Kind::Worker => format!("{}.workers", self.object(Kind::Site, depth)),
            _ => "sites".into(),
        }
    }

    /// A field of type `ty` of some object in scope: (text, enumerated values).
    fn field(&mut self, ty: Ty, depth: u32) -> Option<(String, Option<&'static [&'static str]>)> {
        let mut kinds = vec![Kind::Root, Kind::Root, Kind::Meta];
        for (_, t) in self.scope.iter().chain(&self.globals) {
            if let Ty::Obj(k) = t {
                kinds.push(*k);
                kinds.push(*k);
            }
        }
        kinds.push(Kind::Site);
        kinds.push(Kind::Worker);
        kinds.push(Kind::Finding);
        for _ in 0..4 {
            let kind = self.rng.pick(&kinds);
            let candidates: Vec<&Field> = fields(kind).iter().filter(|f| f.1 == ty).collect();
            if candidates.is_empty() {
                continue;
            }
            let (name, _, set) = *self.rng.pick(&candidates);
            let base = self.object(kind, depth);
            return Some(if base.is_empty() {
                (name.to_string(), set)
            } else {
                (format!("{base}.{name}"), set)
            });
        }
        None
    }

    /// Binds aggregate variables over one or two lists; returns the binding text and pushes
    /// the variables (the caller pops `n` of them).
    fn bindings(&mut self, depth: u32) -> (String, usize) {
        let kind = self
            .rng
            .pick(&[Kind::Site, Kind::Site, Kind::Finding, Kind::Worker]);
        // Sometimes a named collection (`open_sites`, `closed_findings`) instead of the list.
        let list = match kind {
            Kind::Site if self.rng.chance(30) => "open_sites".to_string(),
            Kind::Finding if self.rng.chance(30) => "closed_findings".to_string(),
            _ => self.list(kind, depth),
        };
        let v = self.name();
        self.scope.push((v.clone(), Ty::Obj(kind)));
        let mut text = format!("{v} in {list}");
        if self.rng.chance(30) {
            text.push_str(&format!(" where {}", self.boolean(depth)));
        }
        let mut n = 1;
        if kind == Kind::Site && self.rng.chance(30) {
            let w = self.name();
            self.scope.push((w.clone(), Ty::Obj(Kind::Worker)));
            text.push_str(&format!(", {w} in {v}.workers"));
            if self.rng.chance(30) {
                text.push_str(&format!(" where {}", self.boolean(depth)));
            }
            n = 2;
        }
        (text, n)
    }

    fn aggregate(&mut self, name: &str, body_ty: Option<Ty>, depth: u32) -> String {
        let (b, n) = self.bindings(depth);
        let body = body_ty.map(|t| self.expr(t, depth));
        self.scope.truncate(self.scope.len() - n);
        match body {
            Some(body) => format!("{name}({b}: {body})"),
            None => format!("{name}({b})"),
        }
    }

    fn expr(&mut self, ty: Ty, depth: u32) -> String {
        match ty {
            Ty::Num => self.number(depth),
            Ty::Bool => self.boolean(depth),
            Ty::Str => self.text(depth).0,
            Ty::Date => self.date(depth),
            Ty::Dur => self.duration(depth),
            Ty::Obj(k) => self.object(k, depth),
            Ty::List(k) => self.list(k, depth),
            Ty::Texts => "codes".into(),
        }
    }

    fn leaf_number(&mut self) -> String {
        let vars = self.vars(Ty::Num);
        match self.rng.below(6) {
            0 if !vars.is_empty() => self
                .rng
                .pick(&vars.iter().map(String::as_str).collect::<Vec<_>>())
                .to_string(),
            1 => self.rng.pick(&["limit", "min_age"]).into(),
            2 | 3 => self
                .field(Ty::Num, 0)
                .map_or_else(|| "hours".into(), |f| f.0),
            _ => self
                .rng
                .pick(&[
                    "0", "1", "2", "15", "48", "60", "0.5", "0.15", "2.25", "100",
                ])
                .into(),
        }
    }

    fn number(&mut self, depth: u32) -> String {
        if depth == 0 {
            return self.leaf_number();
        }
        let d = depth - 1;
        match self.rng.below(22) {
            0..=4 => self.leaf_number(),
            5 => {
                let op = self.rng.pick(&["+", "-", "*", "/"]);
                format!("({}) {op} ({})", self.number(d), self.number(d))
            }
            6 => format!("({}) ?? {}", self.number(d), self.leaf_number()),
            7 => format!("national_cap[{}]", self.text(d).0),
            8 => format!("country_age[{}] ?? 15", self.text(d).0),
            9 => {
                let body = if self.rng.chance(50) {
                    Some(Ty::Bool)
                } else {
                    None
                };
                self.aggregate("count", body, d)
            }
            10 => self.aggregate("sum", Some(Ty::Num), d),
            11 => {
                let k = self.rng.pick(&["average", "min", "max", "count_distinct"]);
                let body = if k == "count_distinct" {
                    self.rng.pick(&[Ty::Str, Ty::Num, Ty::Date])
                } else {
                    Ty::Num
                };
                self.aggregate(k, Some(body), d)
            }
            12 => self.aggregate("share", Some(Ty::Bool), d),
            13 => format!(
                "length({})",
                self.rng.pick(&["sites", "findings", "codes", "country"])
            ),
            14 => format!(
                "age({}, {})",
                self.date(d),
                self.rng.pick(&["as_of", "date(\"2024-02-28\")"])
            ),
            15 => format!("days_between({}, {})", self.date(d), self.date(d)),
            16 => format!(
                "round({}, {})",
                self.number(d),
                self.rng.pick(&["0", "1", "2"])
            ),
            17 => format!("abs({})", self.number(d)),
            18 => format!(
                "if {} then {} else {}",
                self.boolean(d),
                self.number(d),
                self.number(d)
            ),
            19 => format!(
                "{}({}, {})",
                self.rng.pick(&["min", "max", "later"]),
                self.number(d),
                self.number(d)
            ),
            20 => format!("open_in({})", self.text(d).0),
            _ => {
                if self.rng.chance(50) {
                    format!("-({})", self.number(d))
                } else {
                    format!("hours_of({})", self.object(Kind::Site, d))
                }
            }
        }
    }

    fn text(&mut self, depth: u32) -> (String, Option<&'static [&'static str]>) {
        let vars = self.vars(Ty::Str);
        let lit = |g: &mut Gen| -> String {
            format!(
                "\"{}\"",
                g.rng.pick(&[
                    "SE", "MX", "BD", "CN", "IN", "S1", "S2", "W1", "a", "b", "alice"
                ])
            )
        };
        if depth == 0 || self.rng.chance(50) {
            return match self.rng.below(4) {
                0 if !vars.is_empty() => (
                    self.rng
                        .pick(&vars.iter().map(String::as_str).collect::<Vec<_>>())
                        .to_string(),
                    None,
                ),
                1 => (lit(self), None),
                // Not bare: a constant compared with an enumerated field would be E304.
                2 if self.in_clause && self.rng.chance(30) => ("lower(this_clause)".into(), None),
                // Another clause's outcome or title (clauses that read clauses).
                3 if self.in_clause && self.rng.chance(40) => match self.readable_clause() {
                    Some(j) if self.rng.chance(70) => (format!("outcome(\"gen.c{j}\")"), None),
                    Some(j) => (format!("title_of(\"gen.c{j}\")"), None),
                    None => (lit(self), None),
                },
                _ => self
                    .field(Ty::Str, 0)
                    .unwrap_or_else(|| ("country".into(), None)),
            };
        }
        let d = depth - 1;
        match self.rng.below(5) {
            0 => (
                format!("{}({})", self.rng.pick(&["lower", "upper"]), self.text(d).0),
                None,
            ),
            1 => (format!("({}) ?? {}", self.text(d).0, lit(self)), None),
            2 => self.aggregate("first", Some(Ty::Str), d).pipe_none(),
            3 => (
                format!(
                    "if {} then {} else {}",
                    self.boolean(d),
                    self.text(d).0,
                    self.text(d).0
                ),
                None,
            ),
            _ => self
                .field(Ty::Str, d)
                .unwrap_or_else(|| ("country".into(), None)),
        }
    }

    fn date(&mut self, depth: u32) -> String {
        let vars = self.vars(Ty::Date);
        if depth == 0 || self.rng.chance(40) {
            return match self.rng.below(5) {
                0 if !vars.is_empty() => self
                    .rng
                    .pick(&vars.iter().map(String::as_str).collect::<Vec<_>>())
                    .to_string(),
                1 => self
                    .rng
                    .pick(&[
                        "as_of",
                        "cutoff",
                        "date(\"2024-02-29\")",
                        "date(\"2023-01-31\")",
                    ])
                    .into(),
                _ => self
                    .field(Ty::Date, 0)
                    .map_or_else(|| "started".into(), |f| f.0),
            };
        }
        let d = depth - 1;
        match self.rng.below(5) {
            0 => format!(
                "({}) {} ({})",
                self.date(d),
                self.rng.pick(&["+", "-"]),
                self.duration(d)
            ),
            1 => format!(
                "{}({}, {})",
                self.rng.pick(&["min", "max"]),
                self.date(d),
                self.date(d)
            ),
            2 => {
                let k = self.rng.pick(&["min", "max", "first"]);
                self.aggregate(k, Some(Ty::Date), d)
            }
            3 => format!("({}) ?? {}", self.date(d), self.date(0)),
            _ => self
                .field(Ty::Date, d)
                .map_or_else(|| "started".into(), |f| f.0),
        }
    }

    /// Durations in days, so that they compare; `months` only added to dates.
    fn duration(&mut self, depth: u32) -> String {
        match self.rng.below(if depth == 0 { 3 } else { 6 }) {
            0 => self
                .rng
                .pick(&["30 days", "2 weeks", "1 day", "0 days"])
                .into(),
            1 => "grace".into(),
            2 => self
                .rng
                .pick(&["1 month", "6 months", "1 year", "12 months"])
                .into(),
            // Not a literal: `(0.5) days` is a compile error (E304).
            3 => {
                let n = match self.rng.below(4) {
                    0 => "limit".to_string(),
                    1 => format!("round({}, 0)", self.number(depth - 1)),
                    2 => format!("({}) + 1", self.number(depth - 1)),
                    _ => self
                        .field(Ty::Num, 0)
                        .map_or_else(|| "hours".into(), |f| f.0),
                };
                format!("({n}) {}", self.rng.pick(&["days", "weeks"]))
            }
            4 => format!("({}) - ({})", self.date(depth - 1), self.date(depth - 1)),
            _ => format!("({}) + (1 week)", self.duration(depth - 1)),
        }
    }

    fn boolean(&mut self, depth: u32) -> String {
        let vars = self.vars(Ty::Bool);
        if depth == 0 {
            return match self.rng.below(4) {
                0 if !vars.is_empty() => self
                    .rng
                    .pick(&vars.iter().map(String::as_str).collect::<Vec<_>>())
                    .to_string(),
                1 => self.rng.pick(&["true", "false", "strict"]).into(),
                // Whether another clause is violated (three-valued, like evidence).
                2 if self.in_clause && self.rng.chance(30) => match self.readable_clause() {
                    Some(j) => format!("violated(\"gen.c{j}\")"),
                    None => "strict".into(),
                },
                _ => self
                    .field(Ty::Bool, 0)
                    .map_or_else(|| "flag".into(), |f| f.0),
            };
        }
        let d = depth - 1;
        let cmp = ["==", "!=", "<", "<=", ">", ">="];
        match self.rng.below(26) {
            0..=3 => format!(
                "({}) {} ({})",
                self.number(d),
                self.rng.pick(&cmp),
                self.number(d)
            ),
            4 => format!(
                "({}) {} ({})",
                self.date(d),
                self.rng.pick(&cmp),
                self.date(d)
            ),
            5 => {
                let (mut a, set) = self.text(d);
                let b = match set {
                    Some(set) => format!("\"{}\"", self.rng.pick(set)),
                    None => {
                        let (b, set) = self.text(d);
                        // A text compared with an enumerated field must be one of its values.
                        if let Some(set) = set
                            && a.starts_with('"')
                        {
                            a = format!("\"{}\"", self.rng.pick(set));
                        }
                        b
                    }
                };
                format!("({a}) {} ({b})", self.rng.pick(&["==", "!=", "==", "<"]))
            }
            6 => format!(
                "({}) {} ({})",
                self.boolean(d),
                self.rng.pick(&["and", "or"]),
                self.boolean(d)
            ),
            7 => format!(
                "({}) {} ({})",
                self.boolean(d),
                self.rng.pick(&["and", "or"]),
                self.boolean(d)
            ),
            8 => format!("not ({})", self.boolean(d)),
            9 => {
                let t = self.rng.pick(&[Ty::Num, Ty::Str, Ty::Date, Ty::Bool]);
                let f = self.field(t, d);
                let f = f.map_or_else(|| "hours".into(), |f| f.0);
                format!("{}({f})", self.rng.pick(&["exists", "known"]))
            }
            10 => {
                let (a, set) = self.text(d);
                let op = self.rng.pick(&["in", "not in"]);
                match set {
                    Some(set) => format!("({a}) {op} [\"{}\"]", self.rng.pick(set)),
                    None if self.rng.chance(50) => format!("({a}) {op} codes"),
                    None => format!("({a}) {op} [\"SE\", \"MX\"]"),
                }
            }
            11 => format!("({}) in [1, 2, 60]", self.number(d)),
            12 => {
                let k = self.rng.pick(&["any", "all", "none"]);
                self.aggregate(k, Some(Ty::Bool), d)
            }
            13 => format!(
                "({}) ?? {}",
                self.boolean(d),
                self.rng.pick(&["true", "false"])
            ),
            14 => format!(
                "if {} then {} else {}",
                self.boolean(d),
                self.boolean(d),
                self.boolean(d)
            ),
            15 => format!(
                "{}({}, \"S\")",
                self.rng.pick(&["starts_with", "ends_with"]),
                self.text(d).0
            ),
            16 => format!("contains(codes, {})", self.text(d).0),
            17 => format!(
                "({}) {} ({})",
                self.duration(d),
                self.rng.pick(&["<", ">=", "=="]),
                self.rng.pick(&["30 days", "grace", "1 week"])
            ),
            18 => {
                let f = self
                    .field(Ty::Bool, d)
                    .map_or_else(|| "flag".into(), |f| f.0);
                if self.rng.chance(50) {
                    format!("({f}) == {}", self.rng.pick(&["true", "false"]))
                } else {
                    f
                }
            }
            19 => format!("exists({})", self.object(Kind::Site, d)),
            20 => format!("({}) / ({}) > 1", self.number(d), self.number(d)),
            _ => self.boolean(0),
        }
    }

    /// A message or remediation template; `{expr}` holes hold no text literals.
    fn template(&mut self, words: &str) -> String {
        let mut out = String::from(words);
        for _ in 0..self.rng.below(4) {
            let hole = match self.rng.below(9) {
                0 if self.in_message => "{actual}".to_string(),
                1 if self.in_message => "{expected}".to_string(),
                2 if self.in_message || self.in_remediation => "{severity}".to_string(),
                3 => format!("{{{}:%}}", self.leaf_number()),
                4 => {
                    let vars: Vec<String> = self.scope.iter().map(|(n, _)| n.clone()).collect();
                    if vars.is_empty() {
                        "{limit}".into()
                    } else {
                        format!(
                            "{{{}}}",
                            self.rng
                                .pick(&vars.iter().map(String::as_str).collect::<Vec<_>>())
                        )
                    }
                }
                5 => "{{literal}}".into(),
                6 => format!("{{{}}}", self.leaf_number()),
                7 => format!("{{{}}}", self.date(0)),
                _ => {
                    let t = self.rng.pick(&[Ty::Num, Ty::Str, Ty::Date, Ty::Bool]);
                    match self.field(t, 0) {
                        Some((f, _)) => format!("{{{f}}}"),
                        None => "{as_of}".into(),
                    }
                }
            };
            out.push(' ');
            out.push_str(&hole);
        }
        format!("\"{out}\"")
    }

    fn severity(&mut self, depth: u32) -> String {
        let levels = ["critical", "major", "minor"];
        if self.rng.chance(40) {
            return format!("severity {}", self.rng.pick(&levels));
        }
        let mut cases = Vec::new();
        for _ in 0..1 + self.rng.below(2) {
            cases.push(format!(
                "{} when {}",
                self.rng.pick(&levels),
                self.boolean(depth)
            ));
        }
        if self.rng.chance(60) {
            cases.push(format!("{} otherwise", self.rng.pick(&levels)));
        }
        format!("severity {}", cases.join(", "))
    }

    fn remediation(&mut self, depth: u32) -> String {
        self.in_remediation = true;
        let mut out = format!("remediation en {}", self.template("Fix it"));
        if self.rng.chance(40) {
            out.push_str(&format!(" sv {}", self.template("Rätta")));
        }
        match self.rng.below(4) {
            0 => {}
            1 => out.push_str(&format!(" due {}", self.date(depth))),
            2 => out.push_str(" within if severity == \"critical\" then 30 days else 90 days"),
            _ => out.push_str(&format!(" within {}", self.duration(0))),
        }
        self.in_remediation = false;
        out
    }

    fn require(&mut self, depth: u32) -> String {
        let mut out = format!("require {}\n", self.boolean(depth + 1));
        if self.rng.chance(90) {
            self.in_message = true;
            out.push_str(&format!("  message en {}", self.template("Found")));
            if self.rng.chance(50) {
                out.push_str(&format!(" sv {}", self.template("Fann")));
            }
            out.push('\n');
            self.in_message = false;
        }
        if self.rng.chance(25) {
            out.push_str(&format!("  {}\n", self.severity(depth)));
        }
        if self.rng.chance(20) {
            out.push_str(&format!("  {}\n", self.remediation(depth)));
        }
        if self.rng.chance(15) {
            out.push_str(&format!("  remedied when {}\n", self.boolean(depth)));
        }
        out
    }

    fn stmts(&mut self, depth: u32, nesting: u32) -> String {
        let mut out = String::new();
        let mark = self.scope.len();
        let n = 1 + self.rng.below(3);
        let mut required = false;
        for i in 0..n {
            // A block-level `remedied when`, first in a `for each` body (after a `require` it
            // would be that requirement's own).
            if nesting > 0 && i == 0 && self.rng.chance(25) {
                out.push_str(&format!("remedied when {}\n", self.boolean(depth)));
            }
            match self.rng.below(10) {
                // Two aggregates over the same items, which the engine computes in one pass
                // (`check/fuse.rs`): the reference computes each alone.
                0 | 1 if self.rng.chance(30) => {
                    let (b, n) = self.bindings(depth);
                    let mut values = Vec::new();
                    for _ in 0..2 {
                        let (name, ty) = self.rng.pick(&[
                            ("share", Ty::Bool),
                            ("count", Ty::Bool),
                            ("sum", Ty::Num),
                            ("average", Ty::Num),
                        ]);
                        let body = self.expr(ty, depth);
                        values.push(format!("{name}({b}: {body})"));
                    }
                    self.scope.truncate(self.scope.len() - n);
                    for value in values {
                        let v = self.name();
                        out.push_str(&format!("let {v} = {value}\n"));
                        self.scope.push((v, Ty::Num));
                    }
                }
                0 | 1 => {
                    let ty = self.rng.pick(&[
                        Ty::Num,
                        Ty::Num,
                        Ty::Bool,
                        Ty::Date,
                        Ty::Str,
                        Ty::Dur,
                        Ty::Obj(Kind::Site),
                    ]);
                    let value = self.expr(ty, depth);
                    let v = self.name();
                    out.push_str(&format!("let {v} = {value}\n"));
                    self.scope.push((v, ty));
                }
                2 => out.push_str(&format!("insufficient unless {}\n", self.boolean(depth))),
                3 | 4 if nesting < 2 => {
                    let inner = self.scope.len();
                    let (b, _) = self.bindings(depth.saturating_sub(1));
                    let body = self.stmts(depth, nesting + 1);
                    self.scope.truncate(inner);
                    out.push_str(&format!("for each {b}:\n{body}end\n"));
                    required = true;
                }
                _ => {
                    out.push_str(&self.require(depth));
                    required = true;
                }
            }
            if i + 1 == n && !required {
                out.push_str(&self.require(depth));
            }
        }
        self.scope.truncate(mark);
        out
    }

    /// A clause the one being generated may read: later ones or earlier ones, by the
    /// pack's direction.
    fn readable_clause(&mut self) -> Option<usize> {
        let (i, n) = (self.clause_no, self.clause_count);
        let range: Vec<usize> = if self.reads_forward {
            (i + 1..n).collect()
        } else {
            (0..i).collect()
        };
        (!range.is_empty()).then(|| self.rng.pick(&range))
    }

    fn clause(&mut self, i: usize) -> String {
        let depth = 2;
        self.in_clause = true;
        self.clause_no = i;
        let mut out = format!("clause gen.c{i}\n  title en \"Clause {i}\"");
        if self.rng.chance(50) {
            out.push_str(&format!(" sv \"Klausul {i}\""));
        }
        out.push('\n');
        if self.rng.chance(40) {
            out.push_str(&format!("  {}\n", self.severity(depth)));
        }
        if self.rng.chance(25) {
            out.push_str(&format!("  applies when {}\n", self.boolean(depth)));
        }
        if self.rng.chance(30) {
            out.push_str(&format!("  {}\n", self.remediation(depth)));
        }
        if self.rng.chance(15) {
            out.push_str(&format!("  remedied when {}\n", self.boolean(depth)));
        }
        out.push_str(&self.stmts(depth, 0));
        self.in_clause = false;
        out
    }

    fn pack(&mut self) -> String {
        let mut out =
            String::from("pack gen \"Generated\" languages en, sv\n  as_of from assessed_on\n");
        out.push_str(EVIDENCE_DECL);
        out.push_str(DECLARATIONS);
        for (name, ty) in [
            ("g_num", Ty::Num),
            ("g_bool", Ty::Bool),
            ("g_date", Ty::Date),
        ] {
            if self.rng.chance(50) {
                let e = self.expr(ty, 2);
                out.push_str(&format!("let {name} = {e}\n"));
                self.globals.push((name.into(), ty));
            }
        }
        self.clause_count = 2 + self.rng.below(4);
        self.reads_forward = self.rng.chance(50);
        for i in 0..self.clause_count {
            out.push('\n');
            out.push_str(&self.clause(i));
        }
        out
    }

    // ----- evidence -----

    fn scalar(&mut self, ty: Ty, set: Option<&'static [&'static str]>) -> Value {
        // Mostly the declared type; sometimes null or another type.
        match self.rng.below(100) {
            0..=4 => return Value::Null,
            5..=8 => {
                let wrong = [json!("x"), json!(3), json!(true), json!([]), json!({})];
                return wrong[self.rng.below(wrong.len())].clone();
            }
            _ => {}
        }
        match (ty, set) {
            (Ty::Str, Some(set)) => {
                if self.rng.chance(10) {
                    json!("other")
                } else {
                    json!(self.rng.pick(set))
                }
            }
            (Ty::Str, None) => json!(self.rng.pick(&[
                "SE", "MX", "BD", "CN", "IN", "S1", "S2", "W1", "Sx", "alice", ""
            ])),
            (Ty::Num, _) => {
                let nums = [
                    json!(0),
                    json!(1),
                    json!(15),
                    json!(40),
                    json!(48),
                    json!(60),
                    json!(61),
                    json!(72),
                    json!(0.5),
                    json!(0.15),
                    json!(12.25),
                    json!(-1),
                    json!(100),
                    // Beyond 18 decimal places: read exactly (1e-20 is not 0), or invalid.
                    wide("1e-20"),
                    wide("-2e-20"),
                    wide("5e-19"),
                    wide("1.5e-18"),
                    wide("1e-22"),
                    wide("1e-23"),
                ];
                nums[self.rng.below(nums.len())].clone()
            }
            (Ty::Bool, _) => json!(self.rng.chance(50)),
            (Ty::Date, _) => json!(self.rng.pick(&[
                "2024-10-31",
                "2024-02-29",
                "2023-02-28",
                "2008-02-29",
                "2009-03-01",
                "1990-01-01",
                "2024-01-31",
                "2030-06-15",
                "2024-11-30",
                "2024-13-01",
                "31/10/2024",
            ])),
            _ => Value::Null,
        }
    }

    fn object_value(&mut self, kind: Kind, depth: u32) -> Value {
        let mut map = serde_json::Map::new();
        for &(name, ty, set) in fields(kind) {
            if self.rng.chance(10) {
                continue;
            }
            let v = match ty {
                Ty::Obj(k) => {
                    if self.rng.chance(10) {
                        json!("not an object")
                    } else {
                        self.object_value(k, depth + 1)
                    }
                }
                Ty::List(k) => {
                    let n = self.rng.below(if depth == 0 { 4 } else { 3 });
                    let mut items = Vec::new();
                    for _ in 0..n {
                        items.push(match self.rng.below(30) {
                            0 => Value::Null,
                            1 => json!("stray"),
                            _ => self.object_value(k, depth + 1),
                        });
                    }
                    if self.rng.chance(5) {
                        json!({"not": "a list"})
                    } else {
                        Value::Array(items)
                    }
                }
                Ty::Texts => {
                    let n = self.rng.below(3);
                    let mut items: Vec<Value> = (0..n)
                        .map(|_| json!(self.rng.pick(&["SE", "MX", "S1"])))
                        .collect();
                    if self.rng.chance(10) {
                        items.push(json!(7));
                    }
                    Value::Array(items)
                }
                _ => self.scalar(ty, set),
            };
            map.insert(name.to_string(), v);
        }
        Value::Object(map)
    }

    fn evidence(&mut self) -> Value {
        let mut v = self.object_value(Kind::Root, 0);
        // Joins by id: findings point at sites (sometimes duplicated ids).
        let ids: Vec<Value> = v
            .get("sites")
            .and_then(Value::as_array)
            .map(|s| s.iter().filter_map(|x| x.get("id").cloned()).collect())
            .unwrap_or_default();
        if !ids.is_empty()
            && let Some(fs) = v.get_mut("findings").and_then(Value::as_array_mut)
        {
            for f in fs.iter_mut() {
                if let Some(obj) = f.as_object_mut()
                    && self.rng.chance(70)
                {
                    obj.insert(
                        "site".into(),
                        self.rng.pick(&ids.iter().collect::<Vec<_>>()).clone(),
                    );
                }
            }
        }
        v
    }
}

trait PipeNone {
    fn pipe_none(self) -> (String, Option<&'static [&'static str]>);
}

impl PipeNone for String {
    fn pipe_none(self) -> (String, Option<&'static [&'static str]>) {
        (self, None)
    }
}

/// One generated case: a pack and several evidence documents, each compared twice (as
/// read from the evidence, and as given, in one of the two languages).
fn run_seed(seed: u64) -> Result<(), TestCaseError> {
    let mut g = Gen::new(seed);
    let src = g.pack();
    let pack = build(&src);
    let file = reference::parse(&src);
    for _ in 0..4 {
        let evidence = g.evidence();
        let language = g.rng.pick(&["en", "sv"]);
        let as_of = if g.rng.chance(30) {
            Some("2024-10-31")
        } else {
            None
        };
        if let Err(e) = compare_parsed(&pack, &src, &file, &evidence, as_of, language) {
            return Err(TestCaseError::fail(format!(
                "seed {seed}: {e}\n--- pack ---\n{src}\n--- evidence ---\n{}",
                serde_json::to_string_pretty(&evidence).unwrap()
            )));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(1000),
        // A case is a seed: shrinking it gives nothing smaller.
        max_shrink_iters: 0,
        ..ProptestConfig::default()
    })]

    #[test]
    fn real_and_reference_evaluators_agree(seed in any::<u64>()) {
        run_seed(seed)?;
    }
}

/// A number as the JSON reader gives it from the text `text`.
fn wide(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap()
}

// ----- the completion check (issue 11) -----

/// Writes `value` at `pointer` as the completion check does: objects made on the way.
fn write_at(doc: &mut Value, pointer: &str, value: Value) {
    let segments: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect();
    let mut here = doc;
    for (i, key) in segments.iter().enumerate() {
        if here.is_null() {
            *here = json!({});
        }
        let last = i + 1 == segments.len();
        here = match here {
            Value::Object(map) => map.entry(key.clone()).or_insert(Value::Null),
            Value::Array(items) => match key.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                Some(item) => item,
                None => return,
            },
            _ => return,
        };
        if last {
            *here = value;
            return;
        }
    }
}

/// Whether a generated clause reads a `??` fallback or tests presence (`exists`, `known`),
/// itself or through a pack-level definition: the author's value for missing evidence, which
/// a completion of that evidence can overturn.
fn falls_back(src: &str, clause: &str) -> bool {
    const WORDS: [&str; 3] = ["??", "exists(", "known("];
    let mut words: Vec<String> = WORDS.iter().map(|w| (*w).to_string()).collect();
    for line in src
        .lines()
        .filter(|l| l.starts_with("let ") || l.starts_with("collection "))
    {
        if WORDS.iter().any(|w| line.contains(w)) {
            let name = line.split_whitespace().nth(1).unwrap_or_default();
            words.push(name.split('(').next().unwrap_or_default().to_string());
        }
    }
    let start = src.find(&format!("clause {clause}\n")).unwrap_or(0);
    let rest = &src[start + 1..];
    let block = &rest[..rest.find("\nclause ").unwrap_or(rest.len())];
    words.iter().any(|w| block.contains(w.as_str()))
}

/// On a generated pack and evidence (clauses without fallbacks, see [`falls_back`]): two completions of a clause's missing evidence that give
/// different (non-error) outcomes mean the clause is `insufficient_evidence` (a decided outcome
/// stays decided whatever its missing evidence turns out to be), and when it is, the engine's
/// `missing` covers every path where those completions differ; a completion re-run on the
/// whole pack gives the status the check saw.
fn completion_seed(seed: u64) -> Result<(), TestCaseError> {
    use conduct::Status;
    use conduct::tools::completion::check_outcome;
    let mut g = Gen::new(seed);
    let src = g.pack();
    let pack = build(&src);
    for _ in 0..2 {
        let evidence = g.evidence();
        let options = if g.rng.chance(50) {
            Options::default().as_of(Date::parse("2024-10-31").unwrap())
        } else {
            Options::default()
        };
        let report = pack.evaluate(&evidence, &options);
        for outcome in report
            .outcomes
            .iter()
            .filter(|o| !o.missing.is_empty() && !falls_back(&src, &o.clause))
        {
            let check = check_outcome(&pack, &evidence, &options, report.as_of, outcome);
            let missing: Vec<&str> = outcome.missing.iter().map(|m| m.path.as_str()).collect();
            let context = || {
                format!(
                    "seed {seed}, clause {}: {check:?}\n--- pack ---\n{src}\n--- evidence ---\n{}",
                    outcome.clause,
                    serde_json::to_string_pretty(&evidence).unwrap()
                )
            };
            if let Some((a, b)) = &check.differing
                && a.status != Status::Error
                && b.status != Status::Error
            {
                prop_assert_eq!(
                    outcome.status,
                    Status::InsufficientEvidence,
                    "completions disagree on a decided outcome: {}",
                    context()
                );
                for ((path, x), (_, y)) in a.values.iter().zip(&b.values) {
                    if x != y {
                        prop_assert!(missing.contains(&path.as_str()), "{}", context());
                    }
                }
            }
            // The first completion written by hand and the whole pack evaluated: the one
            // clause re-run by the check gave the same status.
            if let Some(first) = check.examples.first() {
                let mut doc = evidence.clone();
                for (path, value) in &first.values {
                    write_at(&mut doc, path, value.clone());
                }
                let again = pack.evaluate(&doc, &options);
                let completed = again.outcome(&outcome.clause).unwrap();
                prop_assert_eq!(completed.status, first.status, "{}", context());
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(200),
        max_shrink_iters: 0,
        ..ProptestConfig::default()
    })]

    #[test]
    fn completions_that_disagree_leave_the_clause_insufficient(seed in any::<u64>()) {
        completion_seed(seed)?;
    }
}
