//! A batch on every core (feature `parallel`): 10,000 evidence documents through
//! `rules/regions` with one job and with two, by the library's batch path.
//!
//! - `batch_evaluate`: `RulePack::evaluate_batch` over documents already in memory (the
//!   evaluation alone: each report reduced to its number of outcomes on the pool);
//! - `batch_ndjson`: `pack::batch::map_ordered` over NDJSON lines, each parsed with
//!   `pack::evidence::parse`, evaluated and serialized as a compact report line in the pool,
//!   the lines collected in input order: what `conduct check --format ndjson` does per line.
//!
//! `flock /tmp/cargo.lock cargo bench --features parallel --bench batch -- --measurement-time 5`
//!
//! Before criterion, timed passes of each path (the best of three per number of jobs; the
//! machine is shared) print the speed-up of two jobs over one.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

use conduct::pack::{batch, evidence};
use conduct::{Options, RulePack};
use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};
use serde_json::Value;

/// Documents in the batch.
const DOCUMENTS: usize = 10_000;
/// Distinct documents, repeated to make up the batch.
const DISTINCT: usize = 300;
/// The jobs compared.
const JOBS: [usize; 2] = [1, 2];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `DISTINCT` documents: the three shipped examples (a supplier with violations, a clean one,
/// one with gaps), each supplier renamed.
fn documents() -> Vec<Value> {
    let examples: Vec<Value> = [
        "example-evidence.json",
        "clean-supplier.json",
        "supplier-with-gaps.json",
    ]
    .iter()
    .map(|name| {
        let text = std::fs::read_to_string(root().join("examples").join(name)).unwrap();
        serde_json::from_str(&text).unwrap()
    })
    .collect();
    (0..DISTINCT)
        .map(|i| {
            let mut doc = examples[i % examples.len()].clone();
            doc["supplier"]["name"] = Value::from(format!("Supplier {i}"));
            doc["supplier"]["org_number"] = Value::from(format!("556{:03}-{:04}", i % 1000, i));
            doc
        })
        .collect()
}

/// The NDJSON path: parse, evaluate and serialize every line in the pool; the number of bytes
/// written, in input order.
fn ndjson(pack: &RulePack, options: &Options, lines: &[Vec<u8>], jobs: usize) -> usize {
    let mut written = 0;
    batch::map_ordered(
        (0..DOCUMENTS).map(|i| &lines[i % lines.len()]),
        jobs,
        |line| {
            let document = evidence::parse(line, 1).unwrap();
            serde_json::to_string(&pack.evaluate(document.value(), options)).unwrap()
        },
        |report| {
            written += report.len() + 1;
            Ok::<(), std::convert::Infallible>(())
        },
    )
    .unwrap();
    written
}

/// The evaluation alone: the number of outcomes, in input order.
fn evaluate(pack: &RulePack, options: &Options, docs: &[Value], jobs: usize) -> usize {
    let mut outcomes = 0;
    pack.evaluate_batch(
        (0..DOCUMENTS).map(|i| &docs[i % docs.len()]),
        options,
        jobs,
        |_, report| report.outcomes.len(),
        |n| {
            outcomes += n;
            Ok::<(), std::convert::Infallible>(())
        },
    )
    .unwrap();
    outcomes
}

/// The best of three timed passes per path and number of jobs, and the speed-up.
fn speed_up(name: &str, run: &dyn Fn(usize) -> usize) {
    let mut seconds = Vec::new();
    for jobs in JOBS {
        let elapsed = (0..3)
            .map(|_| {
                let start = Instant::now();
                black_box(run(jobs));
                start.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min);
        eprintln!(
            "[info] {name}, {jobs} job(s): {DOCUMENTS} documents in {elapsed:.2} s, {:.0} documents/s",
            DOCUMENTS as f64 / elapsed
        );
        seconds.push(elapsed);
    }
    eprintln!(
        "[info] {name}: {} jobs are {:.2}x one job",
        JOBS[1],
        seconds[0] / seconds[1]
    );
}

/// The ceiling the machine allows: the documents split between plain threads that share
/// nothing but the pack, no ordering, no window (the best of three passes).
fn ceiling(pack: &RulePack, docs: &[Value], options: &Options) {
    let mut seconds = Vec::new();
    for threads in JOBS {
        let pass = || {
            let start = Instant::now();
            std::thread::scope(|scope| {
                for t in 0..threads {
                    scope.spawn(move || {
                        let mut outcomes = 0;
                        for i in (t..DOCUMENTS).step_by(threads) {
                            outcomes +=
                                pack.evaluate(&docs[i % docs.len()], options).outcomes.len();
                        }
                        black_box(outcomes)
                    });
                }
            });
            start.elapsed().as_secs_f64()
        };
        seconds.push((0..3).map(|_| pass()).fold(f64::INFINITY, f64::min));
    }
    eprintln!(
        "[info] ceiling, two plain threads without order or window: {:.2}x one",
        seconds[0] / seconds[1]
    );
}

fn batches(c: &mut Criterion) {
    let pack = RulePack::load(root().join("rules/regions")).expect("compile rules/regions");
    let options = Options::default();
    let docs = documents();
    let lines: Vec<Vec<u8>> = docs
        .iter()
        .map(|d| serde_json::to_vec(d).unwrap())
        .collect();
    // The same reports whatever the number of jobs.
    assert_eq!(
        ndjson(&pack, &options, &lines[..10], 1),
        ndjson(&pack, &options, &lines[..10], 2)
    );
    eprintln!("[info] {} cores available", batch::available_jobs());
    ceiling(&pack, &docs, &options);
    speed_up("batch_evaluate", &|jobs| {
        evaluate(&pack, &options, &docs, jobs)
    });
    speed_up("batch_ndjson", &|jobs| {
        ndjson(&pack, &options, &lines, jobs)
    });

    timed(c, "batch_evaluate", &|jobs| {
        evaluate(&pack, black_box(&options), &docs, jobs)
    });
    timed(c, "batch_ndjson", &|jobs| {
        ndjson(&pack, black_box(&options), &lines, jobs)
    });
}

/// One criterion group `name`: the batch of [`DOCUMENTS`] run by `run` at each of [`JOBS`].
fn timed<T>(c: &mut Criterion, name: &str, run: &dyn Fn(usize) -> T) {
    let mut group = c.benchmark_group(name);
    group
        .throughput(Throughput::Elements(DOCUMENTS as u64))
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat);
    for jobs in JOBS {
        group.bench_with_input(BenchmarkId::new("jobs", jobs), &jobs, |b, &jobs| {
            b.iter(|| run(jobs));
        });
    }
    group.finish();
}

/// What `criterion_group!` and `criterion_main!` expand to, written out so that the lint for
/// missing documentation has nothing to say about generated public functions.
fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    batches(&mut criterion);
    criterion.final_summary();
}
