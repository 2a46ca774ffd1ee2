//! Many documents on every core (feature `parallel`): an iterator of inputs in, the results
//! handed to a sink in input order out, on a rayon pool of exactly `jobs` threads.
//!
//! The inputs are read on the calling thread into a bounded queue; one task of the pool takes
//! what has been read, up to a window of `jobs × `[`WINDOW_PER_JOB`] inputs, works on the
//! window with rayon's `par_iter` (the results collected in input order), and hands the
//! results of the window before to the sink while it does (`rayon::join`). Reading the next
//! window, working on this one and writing the one before overlap; the threads meet once a
//! window, not once a document. At most [`in_flight`]`(jobs)` inputs are between the iterator
//! and the sink at any time, so memory does not grow with the batch. When no more input has
//! been read, the results that are done go to the sink at once: a caller that feeds one input
//! and waits for its result gets it.
//!
//! [`RulePack::evaluate_batch`] evaluates evidence documents this way; [`map_ordered`] is the
//! same for any work per document (parsing it, checking it against the declared shape,
//! rendering the report), which is what `conduct check` does. Let the work end in what the
//! sink needs (the bytes to write, a count): what the work allocates is then best freed on the
//! thread that allocated it, since freeing a report's many small blocks on another thread makes
//! the threads contend in the allocator (measured: a third of the second core's gain).
//!
//! The results, their order and everything the sink sees are the same whatever `jobs` is: only
//! the time differs. `jobs == 1` runs everything on the calling thread, without a pool.

use std::borrow::Borrow;
use std::num::NonZeroUsize;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use rayon::prelude::*;
use serde_json::Value;

use super::RulePack;
use crate::options::Options;
use crate::report::Report;

/// How many inputs per thread one window holds: the pool works on `jobs × WINDOW_PER_JOB`
/// inputs together. Enough that the threads meet rarely (once a window) and that a thread
/// waits little at the end of a window for the others; few enough that memory stays that of a
/// few hundred documents.
pub const WINDOW_PER_JOB: usize = 32;

/// The number of threads `jobs == 0` stands for: the cores this process may use (1 when that
/// cannot be told).
///
/// ```
/// assert!(conduct::pack::batch::available_jobs() >= 1);
/// ```
#[must_use]
pub fn available_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, NonZeroUsize::get)
}

/// The most inputs [`map_ordered`] on `jobs` threads (`0`: [`available_jobs`]) takes from its
/// iterator and has not yet handed to the sink: three windows of `jobs × `[`WINDOW_PER_JOB`]
/// (one read ahead, one in work, one being handed to the sink) with more than one job, one
/// input with one job.
///
/// ```
/// use conduct::pack::batch::{WINDOW_PER_JOB, in_flight};
///
/// assert_eq!(in_flight(1), 1);
/// assert_eq!(in_flight(2), 3 * 2 * WINDOW_PER_JOB);
/// ```
#[must_use]
pub fn in_flight(jobs: usize) -> usize {
    match resolve(jobs) {
        1 => 1,
        jobs => window(jobs).saturating_mul(3),
    }
}

/// `jobs`, with `0` for every core.
fn resolve(jobs: usize) -> usize {
    if jobs == 0 { available_jobs() } else { jobs }
}

/// The inputs worked on together by `jobs` threads.
fn window(jobs: usize) -> usize {
    jobs.saturating_mul(WINDOW_PER_JOB)
}

/// Runs `work` on every input on `jobs` threads (`0`: [`available_jobs`]) and hands each result
/// to `sink` in input order, with at most [`in_flight`]`(jobs)` inputs taken and not yet
/// handed.
///
/// The inputs are taken from `inputs` on the calling thread, only as far as there is room:
/// keep producing them cheap (e.g. read a line) and leave the heavy part (parsing, evaluating,
/// rendering) to `work`, which runs on the pool. `sink` runs on one thread of the pool, one
/// result at a time, in input order; results go to it a window at a time, and at once when no
/// more input has come (a caller that feeds one input and waits for its result before the
/// next gets it). The first error `sink` returns stops taking inputs; the inputs already in
/// work are finished and dropped, and the error is returned. `jobs == 1` runs everything on
/// the calling thread without a pool, and so does a pool that cannot be started; the results
/// are the same. A panic in `inputs`, `work` or `sink` stops the batch and is passed on to the
/// caller once the work in progress is done. The pool is started for the call: give one long
/// iterator rather than many short ones.
///
/// # Errors
/// The first error `sink` returns.
///
/// # Examples
///
/// ```
/// use conduct::pack::batch::map_ordered;
///
/// let mut squares = Vec::new();
/// map_ordered(1..=100_u64, 2, |n| n * n, |square| {
///     squares.push(square);
///     Ok::<(), std::convert::Infallible>(())
/// })?;
/// assert_eq!(squares, (1..=100).map(|n| n * n).collect::<Vec<u64>>());
/// # Ok::<(), std::convert::Infallible>(())
/// ```
pub fn map_ordered<T, R, E>(
    inputs: impl IntoIterator<Item = T>,
    jobs: usize,
    work: impl Fn(T) -> R + Sync,
    mut sink: impl FnMut(R) -> Result<(), E> + Send,
) -> Result<(), E>
where
    T: Send,
    R: Send,
    E: Send,
{
    let jobs = resolve(jobs);
    let pool = (jobs > 1)
        .then(|| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(jobs)
                .thread_name(|i| format!("conduct-batch-{i}"))
                .build()
                .ok()
        })
        .flatten();
    let Some(pool) = pool else {
        return inputs.into_iter().try_for_each(|input| sink(work(input)));
    };
    let pending = Pending::new(window(jobs));
    let mut handed = Ok(());
    let work = &work;
    pool.in_place_scope(|scope| {
        let (pending, handed) = (&pending, &mut handed);
        scope.spawn(move |_| *handed = process(pending, work, &mut sink));
        // Reading, here, until the inputs end or the pool stops. A panic in `inputs` ends the
        // inputs (the pool finishes what was read) and is passed on by the scope once the
        // pool's task is done; a panic in the task stops the reader likewise.
        let reading = Reading(pending);
        let mut inputs = inputs.into_iter();
        while pending.room() {
            let Some(input) = inputs.next() else { break };
            pending.push(input);
        }
        drop(reading);
    });
    handed
}

/// The pool's side of [`map_ordered`]: windows of inputs from `pending` worked on in parallel,
/// each window's results handed to `sink` while the next window is worked on; returns when
/// the inputs end or `sink` fails, and then (or on a panic) stops the reader.
fn process<T, R, E>(
    pending: &Pending<T>,
    work: &(impl Fn(T) -> R + Sync),
    sink: &mut (impl FnMut(R) -> Result<(), E> + Send),
) -> Result<(), E>
where
    T: Send,
    R: Send,
    E: Send,
{
    let _working = Working(pending);
    // INVARIANT: `done` holds the results of the inputs taken before those in `pending`, in
    // input order, none of them handed yet.
    let mut done: Vec<R> = Vec::new();
    loop {
        // With results waiting, waiting for input could hold them up forever (a caller that
        // waits for a result before feeding the next input): hand them first.
        let next = match pending.take(done.is_empty()) {
            Taken::Window(next) => next,
            Taken::Nothing => {
                done.drain(..).try_for_each(&mut *sink)?;
                continue;
            }
            Taken::End => return done.drain(..).try_for_each(&mut *sink),
        };
        let (handed, results) = rayon::join(
            || done.drain(..).try_for_each(&mut *sink),
            // One input a piece: a thread out of work takes the next input from another's
            // share, so that the threads end a window together (within one input).
            || {
                next.into_par_iter()
                    .with_max_len(1)
                    .map(work)
                    .collect::<Vec<R>>()
            },
        );
        handed?;
        done = results;
    }
}

/// The inputs read and not yet taken by the pool: at most a window, taken a whole window at a
/// time. Each side waits only when it has nothing to do (the reader: the window is full; the
/// pool: nothing read and nothing to write) and is woken once for it. (A bounded channel of
/// inputs, `std::sync::mpsc::sync_channel`, woke the reader for every input the pool took, and
/// the pool's threads in turn: a context switch per document, a tenth of the second core.)
struct Pending<T> {
    window: usize,
    queue: Mutex<Queue<T>>,
    /// Signalled when the pool waits for inputs and one comes, or the inputs end.
    filled: Condvar,
    /// Signalled when the reader waits for room and the pool takes the window, or stops.
    emptied: Condvar,
}

struct Queue<T> {
    /// At most `window` inputs, in input order.
    inputs: Vec<T>,
    /// The reader is done: no more inputs come.
    ended: bool,
    /// The pool is done (its sink failed, or a panic): read no more.
    stopped: bool,
    /// The pool waits on `filled`.
    pool_waits: bool,
    /// The reader waits on `emptied`.
    reader_waits: bool,
}

/// What the pool finds in [`Pending`].
enum Taken<T> {
    /// The inputs read since the last window (at least one).
    Window(Vec<T>),
    /// Nothing read yet, and the pool does not wait.
    Nothing,
    /// Nothing read, and nothing more will be.
    End,
}

impl<T> Pending<T> {
    fn new(window: usize) -> Self {
        Pending {
            window,
            queue: Mutex::new(Queue {
                inputs: Vec::with_capacity(window),
                ended: false,
                stopped: false,
                pool_waits: false,
                reader_waits: false,
            }),
            filled: Condvar::new(),
            emptied: Condvar::new(),
        }
    }

    /// The reader's turn: waits while the window is full; whether to read on (the pool has not
    /// stopped).
    fn room(&self) -> bool {
        let mut queue = lock(&self.queue);
        while queue.inputs.len() >= self.window && !queue.stopped {
            queue.reader_waits = true;
            queue = wait(&self.emptied, queue);
            queue.reader_waits = false;
        }
        !queue.stopped
    }

    /// One input read, after [`Pending::room`].
    fn push(&self, input: T) {
        let mut queue = lock(&self.queue);
        queue.inputs.push(input);
        if queue.pool_waits {
            self.filled.notify_one();
        }
    }

    /// The pool's turn: every input read so far; when there are none, waits for one (`wait`)
    /// or returns at once.
    fn take(&self, wait_for_input: bool) -> Taken<T> {
        let mut queue = lock(&self.queue);
        loop {
            if !queue.inputs.is_empty() {
                let window = Vec::with_capacity(self.window);
                let taken = std::mem::replace(&mut queue.inputs, window);
                if queue.reader_waits {
                    self.emptied.notify_one();
                }
                return Taken::Window(taken);
            }
            if queue.ended {
                return Taken::End;
            }
            if !wait_for_input {
                return Taken::Nothing;
            }
            queue.pool_waits = true;
            queue = wait(&self.filled, queue);
            queue.pool_waits = false;
        }
    }
}

/// The reader's end, also when a panic in the inputs unwinds it: no more inputs.
struct Reading<'p, T>(&'p Pending<T>);

impl<T> Drop for Reading<'_, T> {
    fn drop(&mut self) {
        lock(&self.0.queue).ended = true;
        self.0.filled.notify_one();
    }
}

/// The pool's end, also when a panic in the work or the sink unwinds it: read no more.
struct Working<'p, T>(&'p Pending<T>);

impl<T> Drop for Working<'_, T> {
    fn drop(&mut self) {
        lock(&self.0.queue).stopped = true;
        self.0.emptied.notify_one();
    }
}

/// Locks the queue; a thread that panicked while holding it left nothing half-done that
/// matters here (the batch stops, and the panic is passed on).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Waits on a condition variable, whatever a panicking thread left.
fn wait<'m, T>(condvar: &Condvar, guard: MutexGuard<'m, T>) -> MutexGuard<'m, T> {
    condvar.wait(guard).unwrap_or_else(PoisonError::into_inner)
}

impl RulePack {
    /// Evaluates many evidence documents on `jobs` threads (`0`: every core, see
    /// [`available_jobs`]): `keep` turns each document and its report into what the caller
    /// needs of it (its JSON, its verdict, a count), on the thread that evaluated it, and
    /// `sink` gets those in input order. The reports are those of [`RulePack::evaluate`],
    /// whatever `jobs` is. At most [`in_flight`]`(jobs)` documents are taken from `documents`
    /// and not yet handed to `sink`, so a lazy iterator (documents read as they are needed)
    /// keeps memory bounded however long the batch. This is [`map_ordered`] with the
    /// evaluation in the work: see there for the threads used (a rayon pool of `jobs`
    /// threads, started for the call), errors and panics. Feature `parallel`.
    ///
    /// Keep little: a report is best dropped in `keep`, where it was made. `keep` may return
    /// the report itself, but freeing a report's many small blocks on another thread makes the
    /// threads contend in the allocator (measured: a third of the second core's gain).
    ///
    /// # Errors
    /// The first error `sink` returns; no more documents are taken after it.
    ///
    /// # Examples
    ///
    /// ```
    /// use conduct::{Options, RulePack, Verdict};
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
    /// // A lazy stream of documents: one age a document.
    /// let documents = (10..30).map(|age| {
    ///     serde_json::json!({ "workers": [{ "worker_ref": "W1", "age": age }] })
    /// });
    /// let mut non_compliant = Vec::new();
    /// pack.evaluate_batch(
    ///     documents,
    ///     &Options::default(),
    ///     2,
    ///     // On the pool: what to keep of each document and its report.
    ///     |document, report| {
    ///         (report.verdict == Verdict::NonCompliant)
    ///             .then(|| document["workers"][0]["age"].as_u64().unwrap_or(0))
    ///     },
    ///     // In input order, whatever the number of jobs.
    ///     |age| {
    ///         non_compliant.extend(age);
    ///         Ok::<(), std::io::Error>(())
    ///     },
    /// )?;
    /// assert_eq!(non_compliant, [10, 11, 12, 13, 14]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn evaluate_batch<D, R, E>(
        &self,
        documents: impl IntoIterator<Item = D>,
        options: &Options,
        jobs: usize,
        keep: impl Fn(D, Report) -> R + Sync,
        sink: impl FnMut(R) -> Result<(), E> + Send,
    ) -> Result<(), E>
    where
        D: Borrow<Value> + Send,
        R: Send,
        E: Send,
    {
        map_ordered(
            documents,
            jobs,
            |document| {
                let report = self.evaluate(document.borrow(), options);
                keep(document, report)
            },
            sink,
        )
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::mpsc;
    use std::time::Duration;

    use super::{in_flight, map_ordered, window};

    /// Inputs are taken only as far as there is room: counted between the iterator and the
    /// sink, never more than `in_flight(jobs)`, even when every window holds a slow input;
    /// with more than one job, a window is read ahead while one is in work.
    #[test]
    fn at_most_in_flight_inputs_are_taken_and_not_handed() {
        for jobs in [1, 2, 3] {
            let taken = AtomicUsize::new(0);
            let mut handed = 0_usize;
            let mut most = 0_usize;
            let inputs = (0..1000_usize).inspect(|_| {
                taken.fetch_add(1, Ordering::SeqCst);
            });
            let mut order = Vec::new();
            let result = map_ordered(
                inputs,
                jobs,
                |i| {
                    // A slow input in every window: the ones after it finish first and wait.
                    if i % 50 == 0 {
                        std::thread::sleep(Duration::from_millis(20));
                    }
                    i
                },
                |i| {
                    most = most.max(taken.load(Ordering::SeqCst) - handed);
                    handed += 1;
                    order.push(i);
                    Ok::<(), ()>(())
                },
            );
            assert_eq!(result, Ok(()));
            assert_eq!(order, (0..1000).collect::<Vec<_>>(), "jobs {jobs}");
            assert!(most <= in_flight(jobs), "jobs {jobs}: {most} in flight");
            if jobs > 1 {
                // A window's results are handed while the next, read ahead, is in work.
                assert!(most >= 2 * window(jobs), "jobs {jobs}: {most} in flight");
            }
        }
    }

    /// The work runs on a pool of exactly `jobs` threads, not on the calling thread (which
    /// reads); with one job, everything runs on the calling thread.
    #[test]
    fn the_work_runs_on_exactly_jobs_threads() {
        for jobs in [1, 2, 3] {
            let threads = Mutex::new(BTreeSet::new());
            map_ordered(
                0..600_u32,
                jobs,
                |i| {
                    std::thread::sleep(Duration::from_micros(200));
                    let name = std::thread::current().name().map(str::to_owned);
                    threads.lock().unwrap().insert(name);
                    i
                },
                |_| Ok::<(), ()>(()),
            )
            .unwrap();
            let threads = threads.into_inner().unwrap();
            let here = std::thread::current().name().map(str::to_owned);
            if jobs == 1 {
                assert_eq!(threads, BTreeSet::from([here]));
            } else {
                let pool: BTreeSet<_> = (0..jobs)
                    .map(|i| Some(format!("conduct-batch-{i}")))
                    .collect();
                assert_eq!(threads, pool, "jobs {jobs}");
            }
        }
    }

    /// A caller that feeds one input and waits for its result before the next (a co-process
    /// on a pipe) gets each result without more inputs coming.
    #[test]
    fn each_result_comes_out_without_waiting_for_more_inputs() {
        let (feed, inputs) = mpsc::channel::<u32>();
        let (back, outputs) = mpsc::channel::<u32>();
        let runner = std::thread::spawn(move || {
            map_ordered(inputs, 2, |i| i * 2, |r| back.send(r).map_err(|_| ()))
        });
        for i in 0..20 {
            feed.send(i).unwrap();
            assert_eq!(outputs.recv_timeout(Duration::from_secs(30)), Ok(i * 2));
        }
        drop(feed);
        assert_eq!(runner.join().unwrap(), Ok(()));
    }

    #[test]
    fn a_sink_error_stops_taking_inputs() {
        for jobs in [1, 2] {
            let taken = AtomicUsize::new(0);
            let inputs = (0..10_000_usize).inspect(|_| {
                taken.fetch_add(1, Ordering::SeqCst);
            });
            let mut seen = Vec::new();
            let result = map_ordered(
                inputs,
                jobs,
                |i| i,
                |i| {
                    seen.push(i);
                    if i == 10 { Err(i) } else { Ok(()) }
                },
            );
            assert_eq!(result, Err(10));
            assert_eq!(seen, (0..=10).collect::<Vec<_>>());
            assert!(taken.load(Ordering::SeqCst) <= 11 + in_flight(jobs));
        }
    }

    #[test]
    fn a_panic_in_the_work_reaches_the_caller() {
        let caught = std::panic::catch_unwind(|| {
            map_ordered(
                0..1000_u32,
                2,
                |i| assert_ne!(i, 42, "input 42"),
                |()| Ok::<(), ()>(()),
            )
        });
        assert!(caught.is_err());
    }

    /// A panic while reading or in the sink stops the batch and reaches the caller; nothing
    /// waits forever for the other side.
    #[test]
    fn a_panic_in_the_inputs_or_the_sink_reaches_the_caller() {
        let caught = std::panic::catch_unwind(|| {
            let inputs = (0..1000_u32).inspect(|&i| assert_ne!(i, 300, "input 300"));
            map_ordered(inputs, 2, |i| i, |_| Ok::<(), ()>(()))
        });
        assert!(caught.is_err());
        let caught = std::panic::catch_unwind(|| {
            map_ordered(
                0..1000_u32,
                2,
                |i| i,
                |i| {
                    assert_ne!(i, 300, "result 300");
                    Ok::<(), ()>(())
                },
            )
        });
        assert!(caught.is_err());
    }
}
