//! Checking, tests of what the follow-up syntax fills in the [`Program`]: evidence keys by
//! shape and on every binding, requirement names, a remediation's `from`, `agreed` and
//! `plan`, and a clause's `examined when` — independently of evaluation.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::Arc;

use super::{ParsedFile, check};
use crate::program::{Binding, ExprKind, Program, Requirement, Shape, Stmt};
use crate::source::SourceMap;

/// Compiles one file; panics on an error.
fn compile(src: &str) -> Program {
    let mut sources = SourceMap::default();
    let id = sources.add("pack.conduct".into(), Arc::from(src));
    let ast = crate::syntax::parse_file(id, src, 64).unwrap_or_else(|e| panic!("{e:?}"));
    let files = [ParsedFile {
        id,
        ast,
        imports: Vec::new(),
    }];
    match check(sources, &files, String::new()) {
        Ok((program, _)) => program,
        Err((_, diags)) => panic!("{diags:?}"),
    }
}

const PACK: &str = r#"
pack demo "Follow-up" languages en
evidence {
  sites: [{ key site_id: string, country: string, key line: number,
            workers: [{ key worker_ref: string, hours: number }] }]
  methods: [string]
  audits: [{ finding_id: string, site_id: string, report_date: date,
             plan: { due: date, state: "green" | "yellow" | "red" } }]
}

collection visited = s in sites where s.country != "SE"

clause working_hours.weekly_limit
  title en "Weekly hours"
  examined when "site_visit" in methods
  for each site in visited, w in site.workers:
    let over = count(x in site.workers where x.hours > 60)
    let methods_seen = count(m in methods)
    require w.hours <= 60
      named weekly_cap
      message en "{w.worker_ref}"
      remediation en "Reduce hours"
        within 30 days from first(a in audits where a.site_id == site.site_id: a.report_date)
        agreed first(a in audits where a.site_id == site.site_id: a.plan.due)
        plan first(a in audits where a.site_id == site.site_id: a.plan.state) ?? "red"
    require over < 5
      message en "{over}"
  end

clause other.clause
  title en "Other"
  require length(methods) > 0
    message en "none"
"#;

fn names(keys: &[Arc<str>]) -> Vec<&str> {
    keys.iter().map(|k| &**k).collect()
}

/// The key fields of the object shape that declares field `field`.
fn keys_of_shape_with(p: &Program, field: &str) -> Vec<String> {
    let id = p
        .shapes
        .iter()
        .position(|s| matches!(s, Shape::Object(f) if f.contains_key(field)))
        .unwrap();
    p.object_keys[id].iter().map(|k| k.to_string()).collect()
}

/// Every requirement of a body, in order, and every binding (of loops and of aggregates in
/// `let`s), in order.
fn walk<'p>(body: &'p [Stmt], reqs: &mut Vec<&'p Requirement>, binds: &mut Vec<&'p Binding>) {
    for s in body {
        match s {
            Stmt::For { bindings, body } => {
                binds.extend(bindings);
                walk(body, reqs, binds);
            }
            Stmt::Let { value, .. } => {
                if let ExprKind::Aggregate { bindings, .. } = &value.kind {
                    binds.extend(bindings);
                }
            }
            Stmt::Require(r) => reqs.push(r),
            Stmt::Insufficient { .. } => {}
        }
    }
}

#[test]
fn object_keys_are_the_fields_marked_key_in_declaration_order() {
    let p = compile(PACK);
    assert_eq!(p.object_keys.len(), p.shapes.len());
    assert_eq!(keys_of_shape_with(&p, "site_id"), ["site_id", "line"]);
    assert_eq!(keys_of_shape_with(&p, "worker_ref"), ["worker_ref"]);
    assert!(keys_of_shape_with(&p, "finding_id").is_empty());
    assert!(keys_of_shape_with(&p, "sites").is_empty());
}

#[test]
fn bindings_over_keyed_objects_carry_their_keys() {
    let p = compile(PACK);
    let (mut reqs, mut binds) = (Vec::new(), Vec::new());
    walk(&p.clauses[0].body, &mut reqs, &mut binds);
    let keys: Vec<Vec<&str>> = binds.iter().map(|b| names(&b.keys)).collect();
    assert_eq!(
        keys,
        [
            vec!["site_id", "line"], // `site in visited`: a collection of sites
            vec!["worker_ref"],      // `w in site.workers`
            vec!["worker_ref"],      // `count(x in site.workers …)`
            vec![],                  // `count(m in methods)`: texts have no keys
        ]
    );
    // The aggregates of the remediation (`first(a in audits …)`): objects without keys.
    let Some(rem) = &reqs[0].remediation else {
        panic!("no remediation")
    };
    let Some(agreed) = &rem.agreed else {
        panic!("no agreed")
    };
    let ExprKind::Aggregate { bindings, .. } = &agreed.kind else {
        panic!("{agreed:?}")
    };
    assert!(bindings[0].keys.is_empty());
}

#[test]
fn requirements_are_named_or_numbered_by_their_place() {
    let p = compile(PACK);
    let (mut reqs, mut binds) = (Vec::new(), Vec::new());
    walk(&p.clauses[0].body, &mut reqs, &mut binds);
    let names: Vec<&str> = reqs.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["weekly_cap", "r2"]);
    let (mut reqs, mut binds) = (Vec::new(), Vec::new());
    walk(&p.clauses[1].body, &mut reqs, &mut binds);
    assert_eq!(reqs[0].name, "r1");
}

#[test]
fn remediation_links_and_examined_are_filled() {
    let p = compile(PACK);
    let (mut reqs, mut binds) = (Vec::new(), Vec::new());
    walk(&p.clauses[0].body, &mut reqs, &mut binds);
    let rem = reqs[0].remediation.as_ref().unwrap();
    assert!(rem.deadline.is_some());
    assert!(rem.from.is_some() && rem.agreed.is_some() && rem.plan.is_some());
    assert!(matches!(
        rem.plan.as_ref().map(|e| &e.kind),
        Some(ExprKind::Coalesce(..))
    ));
    assert!(reqs[1].remediation.is_none());
    assert!(p.clauses[0].examined.is_some());
    assert!(p.clauses[1].examined.is_none());
}
