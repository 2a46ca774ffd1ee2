//! Many documents on every core (feature `parallel`): an iterator of inputs in, the results
//! handed to a sink in input order out. `jobs` threads (the calling thread and scoped
//! threads of the standard library) each take the next input, work on it and put the result
//! in its place; the thread that finds the next result in order done hands it, and those after
//! it that are done, to the sink. At most `jobs × `[`WINDOW_PER_JOB`] inputs are between the
//! iterator and the sink at any time, so that memory does not grow with the batch: reading,
//! working and writing are streamed.
//!
//! [`RulePack::evaluate_batch`] evaluates evidence documents this way; [`map_ordered`] is the
//! same machinery for any work per document (reading and parsing it in the pool too, checking
//! it against the declared shape, rendering the report), which is what `conduct check` does.
//!
//! The results, their order and everything the sink sees are the same whatever `jobs` is: only
//! the time differs. `jobs == 1` runs everything on the calling thread.
//!
//! Why no thread pool crate: handing each input to a rayon pool and each result back to one
//! writing thread cost a third of the gain of the second core on `benches/batch.rs` (a wake-up
//! of the writer and of the reader per document, on two cores that are busy evaluating);
//! threads that take their own inputs and write their own results reach the speed of two
//! independent threads.

use std::any::Any;
use std::borrow::Borrow;
use std::collections::VecDeque;
use std::num::NonZeroUsize;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

use serde_json::Value;

use super::RulePack;
use crate::options::Options;
use crate::report::Report;

/// How many inputs per thread may be read, in work or waiting for their turn at the sink: the
/// window is `jobs × WINDOW_PER_JOB`. Enough to keep every thread busy while one slow document
/// holds up the sink, few enough that memory stays that of a handful of documents.
pub const WINDOW_PER_JOB: usize = 4;

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

/// Runs `work` on every input on `jobs` threads (`0`: [`available_jobs`]) and hands each result
/// to `sink` in input order, with at most `jobs × `[`WINDOW_PER_JOB`] inputs in flight.
///
/// Inputs are taken from `inputs` one thread at a time, only when the window has room: keep
/// producing them cheap (e.g. read a line) and leave the heavy part (parsing, evaluating,
/// rendering) to `work`. `sink` is called one result at a time, on whichever thread finds the
/// result next in order done, as soon as it and all those before it are done (not when the
/// next input comes: a caller that feeds one document and waits for its result before the
/// next gets it). The first error `sink` returns stops taking inputs; the inputs already in
/// work are finished and dropped, and the error is returned. `jobs == 1` runs everything on
/// the calling thread; the results are the same. A panic in `inputs`, `work` or `sink` stops
/// the batch and is passed on to the caller once the other threads are done. The threads are
/// started for the call: give one long iterator rather than many short ones.
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
    inputs: impl IntoIterator<Item = T, IntoIter: Send>,
    jobs: usize,
    work: impl Fn(T) -> R + Sync,
    mut sink: impl FnMut(R) -> Result<(), E> + Send,
) -> Result<(), E>
where
    T: Send,
    R: Send,
    E: Send,
{
    let jobs = if jobs == 0 { available_jobs() } else { jobs };
    if jobs <= 1 {
        return inputs.into_iter().try_for_each(|input| sink(work(input)));
    }
    let batch = Batch {
        window: jobs.saturating_mul(WINDOW_PER_JOB),
        work: &work,
        reader: Mutex::new(Reader {
            inputs: inputs.into_iter(),
            taken: 0,
            exhausted: false,
        }),
        room_lock: Mutex::new(false),
        room: Condvar::new(),
        handed: AtomicUsize::new(0),
        stopped: AtomicBool::new(false),
        results: Mutex::new(Results {
            waiting: VecDeque::new(),
            popped: 0,
            committing: false,
        }),
        sink: Mutex::new(Sink { sink, error: None }),
        panic: Mutex::new(None),
    };
    std::thread::scope(|scope| {
        for _ in 1..jobs {
            // A thread that cannot be started leaves the work to the others.
            let _ = std::thread::Builder::new().spawn_scoped(scope, || batch.run());
        }
        batch.run();
    });
    if let Some(payload) = lock(&batch.panic).take() {
        panic::resume_unwind(payload);
    }
    match lock(&batch.sink).error.take() {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// One batch, shared by its threads. Each thread takes an input (under `reader`), works on it,
/// and puts the result in `results`; the thread that finds the next result in order there
/// hands it and those after it that are done to the sink (one such thread at a time), so that
/// no thread waits for another to write, and the sink sees the results in input order.
struct Batch<'w, I, R, E, W, S> {
    /// At most this many inputs are taken and not yet handed to the sink.
    window: usize,
    work: &'w W,
    reader: Mutex<Reader<I>>,
    /// Whether the reading thread waits for room (it does holding `reader` too).
    room_lock: Mutex<bool>,
    /// Signalled when inputs are handed (the window has room) or the batch stops.
    room: Condvar,
    /// Results handed to the sink so far.
    handed: AtomicUsize,
    /// The sink failed or a thread panicked: take no more inputs.
    stopped: AtomicBool,
    results: Mutex<Results<R>>,
    sink: Mutex<Sink<S, E>>,
    panic: Mutex<Option<Box<dyn Any + Send>>>,
}

struct Reader<I> {
    inputs: I,
    /// Inputs taken so far: the next input's index.
    taken: usize,
    exhausted: bool,
}

struct Results<R> {
    /// INVARIANT: `waiting[k]` is the result of input `popped + k` once it is done.
    waiting: VecDeque<Option<R>>,
    /// Results taken out of `waiting` for the sink.
    popped: usize,
    /// A thread is handing results to the sink.
    committing: bool,
}

struct Sink<S, E> {
    sink: S,
    /// The first error the sink returned.
    error: Option<E>,
}

impl<T, R, E, I, W, S> Batch<'_, I, R, E, W, S>
where
    I: Iterator<Item = T>,
    W: Fn(T) -> R,
    S: FnMut(R) -> Result<(), E>,
{
    /// One thread's part: take, work, put back, until the inputs are exhausted or the batch
    /// stops. A panic stops the batch and is kept for the caller.
    fn run(&self) {
        let ran = panic::catch_unwind(AssertUnwindSafe(|| {
            while let Some((index, input)) = self.take() {
                let result = (self.work)(input);
                self.put(index, result);
            }
        }));
        if let Err(payload) = ran {
            lock(&self.panic).get_or_insert(payload);
            self.stop();
        }
    }

    /// The next input and its index, once the window has room; `None` when there are no more
    /// or the batch stopped. The thread that holds `reader` is the one that reads, or waits
    /// for room to read; the others wait for it.
    fn take(&self) -> Option<(usize, T)> {
        let mut reader = lock(&self.reader);
        if reader.exhausted {
            return None;
        }
        {
            let mut waiting = lock(&self.room_lock);
            while reader.taken >= self.handed.load(Ordering::SeqCst) + self.window
                && !self.stopped.load(Ordering::SeqCst)
            {
                *waiting = true;
                waiting = self
                    .room
                    .wait(waiting)
                    .unwrap_or_else(PoisonError::into_inner);
                *waiting = false;
            }
        }
        if self.stopped.load(Ordering::SeqCst) {
            return None;
        }
        let Some(input) = reader.inputs.next() else {
            reader.exhausted = true;
            return None;
        };
        let index = reader.taken;
        reader.taken += 1;
        Some((index, input))
    }

    /// Puts a result in its place and, unless another thread is at it, hands the results that
    /// are next in order to the sink.
    fn put(&self, index: usize, result: R) {
        let mut results = lock(&self.results);
        if let Some(k) = index.checked_sub(results.popped) {
            if results.waiting.len() <= k {
                results.waiting.resize_with(k + 1, || None);
            }
            if let Some(slot) = results.waiting.get_mut(k) {
                *slot = Some(result);
            }
        }
        if results.committing {
            return;
        }
        results.committing = true;
        loop {
            let mut ready = Vec::new();
            while results.waiting.front().is_some_and(Option::is_some) {
                ready.extend(results.waiting.pop_front().flatten());
            }
            if ready.is_empty() || self.stopped.load(Ordering::SeqCst) {
                results.committing = false;
                return;
            }
            results.popped += ready.len();
            // The sink runs without the lock: the other threads put their results meanwhile.
            drop(results);
            let mut sink = lock(&self.sink);
            for result in ready {
                if sink.error.is_none()
                    && let Err(e) = (sink.sink)(result)
                {
                    sink.error = Some(e);
                    self.stop();
                }
                self.handed.fetch_add(1, Ordering::SeqCst);
            }
            drop(sink);
            // INVARIANT: `handed` grows before `room_lock` is taken here, and the reader checks
            // it holding `room_lock`: it sees the new count or is woken.
            let waiting = lock(&self.room_lock);
            if *waiting {
                self.room.notify_one();
            }
            drop(waiting);
            results = lock(&self.results);
        }
    }

    /// Takes no more inputs.
    fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
        let _waiting = lock(&self.room_lock);
        self.room.notify_all();
    }
}

/// Locks a mutex; a thread that panicked while holding it left nothing half-done that matters
/// here (the batch stops, and the panic is passed on).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
impl RulePack {
    /// Evaluates many evidence documents on `jobs` threads (`0`: every core, see
    /// [`available_jobs`]) and hands each document and its report to `sink` in input order;
    /// the reports are those of [`RulePack::evaluate`], whatever `jobs` is. At most
    /// `jobs × `[`WINDOW_PER_JOB`] documents are taken from `documents` and not yet handed to
    /// `sink`, so a lazy iterator (documents read as they are needed) keeps memory bounded
    /// however long the batch. The sink sees each report (keep what you need of it: a summary,
    /// its JSON); the report is then dropped on the thread that made it. See [`map_ordered`]
    /// for the threads used, errors and panics. Feature `parallel`.
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
    /// pack.evaluate_batch(documents, &Options::default(), 2, |document, report| {
    ///     // In input order, whatever the number of jobs.
    ///     if report.verdict == Verdict::NonCompliant {
    ///         non_compliant.push(document["workers"][0]["age"].as_u64().unwrap_or(0));
    ///     }
    ///     Ok::<(), std::io::Error>(())
    /// })?;
    /// assert_eq!(non_compliant, [10, 11, 12, 13, 14]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn evaluate_batch<D, E>(
        &self,
        documents: impl IntoIterator<Item = D, IntoIter: Send>,
        options: &Options,
        jobs: usize,
        mut sink: impl FnMut(D, &Report) -> Result<(), E> + Send,
    ) -> Result<(), E>
    where
        D: Borrow<Value> + Send,
        E: Send,
    {
        let handed = map_ordered(
            documents,
            jobs,
            |document| {
                // The reports this thread made that the sink has seen are dropped here, where
                // they were allocated: freeing a report's many small blocks on another thread
                // makes the threads contend in the allocator (a third of the gain, measured).
                let spent = SPENT.with(Arc::clone);
                drop(std::mem::take(&mut *lock(&spent)));
                let report = self.evaluate(document.borrow(), options);
                (document, report, spent)
            },
            |(document, report, spent)| {
                let handed = sink(document, &report);
                lock(&spent).push(report);
                handed
            },
        );
        // What is left on this thread (the others' ends with them).
        SPENT.with(|spent| drop(std::mem::take(&mut *lock(spent))));
        handed
    }
}

thread_local! {
    /// Per thread, the reports it made that are through the sink, to drop on this thread.
    static SPENT: Arc<Mutex<Vec<Report>>> = Arc::default();
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::mpsc;
    use std::time::Duration;

    use super::{WINDOW_PER_JOB, map_ordered};

    /// Inputs are taken only when the window has room: counted between the iterator and the
    /// sink, never more than `jobs × WINDOW_PER_JOB`, even when the first input is the slowest.
    #[test]
    fn at_most_a_window_of_inputs_is_in_flight() {
        for jobs in [1, 2, 3] {
            let taken = AtomicUsize::new(0);
            let mut handed = 0_usize;
            let mut most = 0_usize;
            let inputs = (0..200_usize).inspect(|_| {
                taken.fetch_add(1, Ordering::SeqCst);
            });
            let mut order = Vec::new();
            let result = map_ordered(
                inputs,
                jobs,
                |i| {
                    // Input 0 is slow: later ones finish first and must wait for it.
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
            assert_eq!(order, (0..200).collect::<Vec<_>>(), "jobs {jobs}");
            let window = if jobs == 1 { 1 } else { jobs * WINDOW_PER_JOB };
            assert!(most <= window, "jobs {jobs}: {most} in flight");
            if jobs > 1 {
                // The slow inputs let the window fill: it is used, not just bounded.
                assert_eq!(most, window, "jobs {jobs}");
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
        let taken = AtomicUsize::new(0);
        let inputs = (0..10_000_usize).inspect(|_| {
            taken.fetch_add(1, Ordering::SeqCst);
        });
        let mut seen = Vec::new();
        let result = map_ordered(
            inputs,
            2,
            |i| i,
            |i| {
                seen.push(i);
                if i == 10 { Err(i) } else { Ok(()) }
            },
        );
        assert_eq!(result, Err(10));
        assert_eq!(seen, (0..=10).collect::<Vec<_>>());
        assert!(taken.load(Ordering::SeqCst) <= 11 + 2 * WINDOW_PER_JOB);
    }

    #[test]
    fn a_panic_in_the_work_reaches_the_caller() {
        let caught = std::panic::catch_unwind(|| {
            map_ordered(
                0..100_u32,
                2,
                |i| assert_ne!(i, 42, "input 42"),
                |()| Ok::<(), ()>(()),
            )
        });
        assert!(caught.is_err());
    }
}
