//! End-to-end benchmarks: compiling `rules/regions`, evaluating generated evidence with the
//! engine, and the same checks written by hand in Rust (the baseline).
//!
//! `cargo bench --bench pipeline -- --warm-up-time 1 --measurement-time 3`

// Bench code is exempt from the crate's panic lints, like tests: a failed setup should stop
// the run loudly.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use std::collections::BTreeSet;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use conduct::{Options, Report, RulePack};
use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};
use serde_json::Value;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

use support::{baseline, evidence, pack};

/// Counts allocations, for the allocations per evaluation in the summary table.
#[global_allocator]
static GLOBAL: &StatsAlloc<std::alloc::System> = &INSTRUMENTED_SYSTEM;

/// Sites × workers per site.
const SIZES: [(usize, usize); 3] = [(1, 20), (5, 200), (20, 2000)];

/// The pack timed: `rules/regions`, or the folder `CONDUCT_BENCH_PACK` names (to time the engine
/// on an earlier edition of the pack).
fn pack_dir() -> PathBuf {
    std::env::var_os("CONDUCT_BENCH_PACK").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rules/regions"),
        PathBuf::from,
    )
}

/// How the engine and the baseline compare on one evidence document.
#[derive(Default)]
struct Agreement {
    /// Clauses whose status or number of violations (or truncation) differ.
    core: Vec<String>,
    /// Differences in messages, pointers, severities or missing evidence.
    detail: Vec<String>,
}

fn compare(report: &Report, base: &[baseline::Outcome]) -> Agreement {
    let mut out = Agreement::default();
    // The baseline covers the 8 clauses of the brief; clauses added to the pack since would
    // make the engine do more work than the baseline.
    let extra: Vec<&str> = report
        .outcomes
        .iter()
        .map(|o| o.clause.as_str())
        .filter(|id| !base.iter().any(|b| b.clause == *id))
        .collect();
    if !extra.is_empty() {
        out.detail.push(format!(
            "the engine also evaluates {extra:?}, which the baseline does not: timings are not equal work"
        ));
    }
    for b in base {
        let Some(o) = report.outcome(b.clause) else {
            out.core
                .push(format!("{}: not in the engine's report", b.clause));
            continue;
        };
        let truncated = b.found > b.violations.len();
        // The engine groups failing items into findings (conduct-report/2); the baseline
        // lists one violation per item: compare item by item, in one order.
        let mut items: Vec<(conduct::Severity, &str, &str)> = o
            .violations
            .iter()
            .flat_map(|v| {
                if v.items.is_empty() {
                    vec![(v.severity, v.path.as_str(), v.message.as_str())]
                } else {
                    v.items
                        .iter()
                        .map(|i| (i.severity, i.path.as_str(), i.message.as_str()))
                        .collect()
                }
            })
            .collect();
        items.sort_by(|x, y| (x.1, x.2).cmp(&(y.1, y.2)));
        let mut base: Vec<(conduct::Severity, &str, &str)> = b
            .violations
            .iter()
            .map(|w| (w.severity, w.path.as_str(), w.message.as_str()))
            .collect();
        base.sort_by(|x, y| (x.1, x.2).cmp(&(y.1, y.2)));
        if o.status != b.status || items.len() != base.len() || o.truncated != truncated {
            out.core.push(format!(
                "{}: engine {:?} with {} violations (truncated {}), baseline {:?} with {} (found {})",
                o.clause,
                o.status,
                items.len(),
                o.truncated,
                b.status,
                b.violations.len(),
                b.found
            ));
        }
        let remediated =
            b.remedied > 0 && b.found == 0 && b.status != conduct::Status::NotApplicable;
        if o.remediated != remediated {
            out.detail.push(format!(
                "{}: remediated engine {} | baseline {remediated}",
                o.clause, o.remediated
            ));
        }
        for (i, (v, w)) in items.iter().zip(&base).enumerate() {
            if v != w {
                out.detail.push(format!(
                    "{} #{i}: engine {} {} {:?} | baseline {} {} {:?}",
                    o.clause, v.0, v.1, v.2, w.0, w.1, w.2
                ));
            }
        }
        let engine_missing: BTreeSet<&str> = o
            .missing
            .iter()
            .map(|m| m.path.as_str())
            .chain(o.invalid.iter().map(|i| i.path.as_str()))
            .collect();
        let base_missing: BTreeSet<&str> = b.missing.iter().map(String::as_str).collect();
        if engine_missing != base_missing {
            out.detail.push(format!(
                "{}: missing/invalid engine {engine_missing:?} | baseline {base_missing:?}",
                o.clause
            ));
        }
    }
    out
}

fn describe(report: &Report) -> String {
    report
        .outcomes
        .iter()
        .map(|o| {
            format!(
                "{} {} {}{}",
                o.clause,
                o.status.as_str(),
                o.violations.len(),
                if o.truncated { "+" } else { "" }
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Runs once before benchmarking: the engine and the baseline must agree on every document
/// (each size, the example and small edited documents: absent evidence, fallbacks, guards)
/// down to statuses, violations, messages, pointers, severities and missing evidence, so
/// that the timings compare equal work.
fn sanity_check(pack: &RulePack, docs: &[(String, Value)]) {
    let options = Options::default();
    let example = evidence::example();
    let variants = evidence::variants();
    let mut checks: Vec<(String, &Value)> = docs.iter().map(|(n, d)| (n.clone(), d)).collect();
    checks.push(("example".into(), &example));
    checks.extend(variants.iter().map(|(n, d)| (format!("variant `{n}`"), d)));
    let mut agreeing = 0;
    for (i, (name, doc)) in checks.iter().enumerate() {
        let report = pack.evaluate(doc, &options);
        let base = baseline::evaluate(doc);
        let agreement = compare(&report, &base);
        if i <= docs.len() {
            eprintln!("[sanity] {name}: {}", describe(&report));
        }
        for line in agreement.core.iter().chain(&agreement.detail).take(20) {
            eprintln!("[sanity]   {name}: {line}");
        }
        if agreement.core.is_empty() && agreement.detail.is_empty() {
            agreeing += 1;
        }
    }
    eprintln!(
        "[sanity] engine and baseline agree on {agreeing} of {} documents (statuses, violations, messages, pointers, severities, missing)",
        checks.len()
    );
    assert_eq!(
        agreeing,
        checks.len(),
        "engine and baseline disagree (see [sanity] above): the timings would not compare equal work"
    );
}

/// Benchmarks evaluations of `docs`, one per size, with `run`; from `slow_from` workers on,
/// ten samples of one iteration each (an evaluation takes hundreds of milliseconds).
fn evaluations(
    c: &mut Criterion,
    group: &str,
    docs: &[(String, Value)],
    slow_from: usize,
    run: &dyn Fn(&Value) -> usize,
) {
    let mut group = c.benchmark_group(group);
    for ((name, doc), &(n, m)) in docs.iter().zip(&SIZES) {
        group.throughput(Throughput::Elements((n * m) as u64));
        if n * m >= slow_from {
            group.sample_size(10).sampling_mode(SamplingMode::Flat);
        }
        group.bench_with_input(BenchmarkId::from_parameter(name), doc, |b, doc| {
            b.iter(|| run(black_box(doc)));
        });
    }
    group.finish();
}

fn pipeline(c: &mut Criterion) {
    let full = RulePack::load(pack_dir()).expect("compile rules/regions");
    // The clauses of the brief, which the baseline implements. `rules/regions` may hold more
    // by now; the engine is timed on these so that both sides do the same work.
    let pack = pack::restricted(&pack_dir(), &baseline::CLAUSES);
    let docs: Vec<(String, Value)> = SIZES
        .iter()
        .map(|&(n, m)| (format!("{n}x{m}"), evidence::generate(n, m)))
        .collect();
    sanity_check(&pack, &docs);

    let mut group = c.benchmark_group("compile");
    group.bench_function("regions", |b| {
        let dir = pack_dir();
        b.iter(|| RulePack::load(black_box(&dir)).expect("compile"));
    });
    group.finish();

    let options = Options::default();
    // The returned report is dropped inside the timed loop, like the baseline's outcomes.
    evaluations(c, "evaluate", &docs, 10_000, &|doc| {
        pack.evaluate(doc, black_box(&options)).outcomes.len()
    });
    evaluations(c, "baseline", &docs, 10_000, &|doc| {
        baseline::evaluate(doc).len()
    });
    // For information: the whole pack as it stands, which the baseline does not cover.
    let extra = full.clause_ids().count() - baseline::CLAUSES.len();
    if extra > 0 {
        eprintln!(
            "[info] rules/regions has {extra} clauses besides the baseline's 8: evaluate_full times the whole pack (1x20 and 5x200)"
        );
        if let Some((name, doc)) = docs.last() {
            for o in full.evaluate(doc, &options).outcomes {
                if let Some(error) = &o.error {
                    eprintln!("[info] whole pack on {name}: {}: {error}", o.clause);
                }
            }
        }
        let small = &docs[..docs.len() - 1];
        evaluations(c, "evaluate_full", small, 1_000, &|doc| {
            full.evaluate(doc, black_box(&options)).outcomes.len()
        });
    }
    // `CONDUCT_BENCH_TABLE=0` skips the table (when timing one group).
    if std::env::var_os("CONDUCT_BENCH_TABLE").is_none_or(|v| v != "0") {
        summary_table(&pack, &full, &docs);
    }
}

/// The median time of one call of `run`, over `rounds` rounds of calls lasting at least
/// `budget` each.
fn median_time(rounds: usize, budget: Duration, run: &mut dyn FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..rounds)
        .map(|_| {
            let start = Instant::now();
            let mut calls = 0u32;
            while calls == 0 || start.elapsed() < budget {
                run();
                calls += 1;
            }
            start.elapsed() / calls
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// Allocations (and reallocations) made by one call of `run`, what it returns included.
fn allocations<T>(run: impl FnOnce() -> T) -> usize {
    let region = Region::new(GLOBAL);
    let kept = black_box(run());
    let change = region.change();
    drop(kept);
    change.allocations + change.reallocations
}

/// Allocations per evaluation of the generated document of size `name` (`NxM`) with every
/// value within limits, by the engine and the baseline; every clause must be compliant on it.
fn compliant_allocations(pack: &RulePack, name: &str) -> (usize, usize) {
    let (n, m) = name.split_once('x').expect("a size NxM");
    let doc = evidence::generate_compliant(n.parse().unwrap(), m.parse().unwrap());
    let options = Options::default();
    let report = pack.evaluate(&doc, &options);
    for o in &report.outcomes {
        assert!(
            matches!(
                o.status,
                conduct::Status::Compliant | conduct::Status::NotApplicable
            ),
            "the compliant document {name} is {} under {}",
            o.status.as_str(),
            o.clause
        );
    }
    (
        allocations(|| pack.evaluate(&doc, &options)),
        allocations(|| baseline::evaluate(&doc)),
    )
}

fn micros(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us >= 10_000.0 {
        format!("{:.1} ms", us / 1000.0)
    } else if us >= 1000.0 {
        format!("{:.2} ms", us / 1000.0)
    } else {
        format!("{us:.1} µs")
    }
}

/// The table for the README's performance section: per size, the engine and the baseline
/// on the 8 clauses, their ratio, allocations per evaluation, and the whole pack; then the
/// pack's compile time. Medians of a few rounds, measured after the criterion groups.
fn summary_table(pack: &RulePack, full: &RulePack, docs: &[(String, Value)]) {
    let options = Options::default();
    let mut lines = vec![
        "| sites × workers | engine (8 clauses) | baseline | ratio | allocations/eval (engine, baseline) | compliant document: allocations/eval (engine, baseline) | whole pack |".to_string(),
        "|---|---|---|---|---|---|---|".to_string(),
    ];
    for (name, doc) in docs {
        let budget = Duration::from_millis(200);
        let engine = median_time(7, budget, &mut || {
            black_box(pack.evaluate(black_box(doc), &options));
        });
        let base = median_time(7, budget, &mut || {
            black_box(baseline::evaluate(black_box(doc)));
        });
        let whole = median_time(5, budget, &mut || {
            black_box(full.evaluate(black_box(doc), &options));
        });
        let engine_allocs = allocations(|| pack.evaluate(doc, &options));
        let base_allocs = allocations(|| baseline::evaluate(doc));
        let (clean_engine, clean_base) = compliant_allocations(pack, name);
        lines.push(format!(
            "| {} | {} | {} | {:.1}× | {engine_allocs}, {base_allocs} | {clean_engine}, {clean_base} | {} |",
            name.replace('x', " × "),
            micros(engine),
            micros(base),
            engine.as_secs_f64() / base.as_secs_f64(),
            micros(whole)
        ));
    }
    // Reading evidence on the compliant path allocates nothing per item: at one site, the
    // count stays the same from 20 workers to 2,000.
    let per_worker: Vec<String> = [20, 200, 2000]
        .iter()
        .map(|&m| format!("{}", compliant_allocations(pack, &format!("1x{m}")).0))
        .collect();
    lines.push(String::new());
    lines.push(format!(
        "Compliant document of 1 site × 20 / 200 / 2,000 workers: {} allocations per evaluation.",
        per_worker.join(" / ")
    ));
    let dir = pack_dir();
    let compile = median_time(5, Duration::from_millis(300), &mut || {
        black_box(RulePack::load(black_box(&dir)).expect("compile"));
    });
    lines.push(String::new());
    lines.push(format!(
        "Compiling `rules/regions` ({} clauses): {}.",
        full.clause_ids().count(),
        micros(compile)
    ));
    eprintln!("[table]\n{}", lines.join("\n"));
}

/// What `criterion_group!` and `criterion_main!` expand to, written out so that the lint for
/// missing documentation has nothing to say about generated public functions.
fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    pipeline(&mut criterion);
    criterion.final_summary();
}
