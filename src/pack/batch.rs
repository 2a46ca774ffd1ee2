//! Many documents on every core (feature `parallel`): an iterator of inputs in, the results
//! handed to a sink in input order out. The inputs are taken from the iterator on a reading
//! thread, the work runs on a pool of `jobs` threads (rayon), the sink on the calling thread,
//! and at most
//! `jobs × `[`WINDOW_PER_JOB`] inputs are between the iterator and the sink at any time, so
//! that memory does not grow with the batch: reading, working and writing are streamed.
//!
//! [`RulePack::evaluate_batch`] evaluates evidence documents this way; [`map_ordered`] is the
//! same machinery for any work per document (reading and parsing it in the pool too, checking
//! it against the declared shape, rendering the report), which is what `conduct check` does.
//!
//! The results, their order and everything the sink sees are the same whatever `jobs` is: only
//! the time differs. `jobs == 1` runs everything on the calling thread, without a pool.

use std::borrow::Borrow;
use std::collections::VecDeque;
use std::num::NonZeroUsize;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc;

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
/// Inputs are taken from `inputs` on a reading thread of their own, only when the window has
/// room: keep producing them cheap (e.g. read a line) and leave the heavy part (parsing,
/// evaluating, rendering) to `work`. `sink` runs on the calling thread, one result at a time,
/// as soon as a result and all those before it are done (not when the next input comes: a
/// caller that feeds one document and waits for its result before the next gets it). The
/// first error `sink` returns stops taking inputs; the inputs already in work are finished
/// and dropped, and the error is returned. `jobs == 1`, or a pool that cannot be started,
/// runs everything on the calling thread; the results are the same. A panic in `work` or in
/// `inputs` is passed on to the caller once the inputs in work are done.
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
    mut sink: impl FnMut(R) -> Result<(), E>,
) -> Result<(), E>
where
    T: Send,
    R: Send,
{
    let jobs = if jobs == 0 { available_jobs() } else { jobs };
    let pool = (jobs > 1)
        .then(|| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(jobs)
                .build()
                .ok()
        })
        .flatten();
    let Some(pool) = pool else {
        return inputs.into_iter().try_for_each(|input| sink(work(input)));
    };
    let window = jobs.saturating_mul(WINDOW_PER_JOB);
    // A permit for each input in flight: the reading thread takes one before it takes an
    // input, the calling thread gives it back once the result is through the sink.
    let (give_back, permits) = mpsc::sync_channel::<()>(window);
    for _ in 0..window {
        let _ = give_back.send(());
    }
    let (done, results) = mpsc::channel::<(usize, std::thread::Result<R>)>();
    let work = &work;
    let pool = &pool;
    let mut inputs = inputs.into_iter();
    // `move`: when the sink fails, `give_back` is dropped as the closure returns, which stops
    // the reader before the scope waits for it.
    std::thread::scope(move |threads| {
        // Reading on a thread of its own: a result is written as soon as it and those before
        // it are done, also while the next input is slow to come (a pipe that waits for it).
        threads.spawn(move || {
            // The work goes to the pool, first in first started; the scope waits for it.
            pool.in_place_scope_fifo(|scope| {
                // A permit first, then an input: never more than `window` taken. No permit:
                // the calling thread stopped (the sink failed).
                let mut index = 0_usize;
                while permits.recv().is_ok() {
                    let Some(input) = inputs.next() else {
                        break;
                    };
                    let done = done.clone();
                    scope.spawn_fifo(move |_| {
                        let result = panic::catch_unwind(AssertUnwindSafe(|| work(input)));
                        // The receiver lives until every sender is dropped: sending fails
                        // only when the calling thread stopped, and then nobody waits.
                        let _ = done.send((index, result));
                    });
                    index += 1;
                }
                drop(done);
            });
        });
        // INVARIANT: `waiting[k]` holds the result of input `handed + k` once it is done;
        // fewer than `window` results wait, since each holds a permit.
        let mut waiting: VecDeque<Option<R>> = VecDeque::with_capacity(window);
        let mut handed = 0_usize;
        // The channel closes once the reader has finished and every work has sent its result.
        while let Ok((index, result)) = results.recv() {
            let result = result.unwrap_or_else(|payload| panic::resume_unwind(payload));
            let Some(k) = index.checked_sub(handed) else {
                continue;
            };
            if waiting.len() <= k {
                waiting.resize_with(k + 1, || None);
            }
            if let Some(slot) = waiting.get_mut(k) {
                *slot = Some(result);
            }
            while waiting.front().is_some_and(Option::is_some) {
                if let Some(result) = waiting.pop_front().flatten() {
                    handed += 1;
                    // On an error, `give_back` is dropped on return, which stops the reader.
                    sink(result)?;
                    let _ = give_back.send(());
                }
            }
        }
        Ok(())
    })
}

impl RulePack {
    /// Evaluates many evidence documents on `jobs` threads (`0`: every core, see
    /// [`available_jobs`]) and hands each document and its report to `sink` in input order;
    /// the reports are those of [`RulePack::evaluate`], whatever `jobs` is. At most
    /// `jobs × `[`WINDOW_PER_JOB`] documents are taken from `documents` and not yet handed to
    /// `sink`, so a lazy iterator (documents read as they are needed, on a thread of their own:
    /// hence `Send`) keeps memory bounded however long the batch. See [`map_ordered`] for errors, panics and the threads used
    /// (a pool of `jobs` threads started for the call: give one long iterator rather than
    /// many short ones). Feature `parallel`.
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
        mut sink: impl FnMut(D, Report) -> Result<(), E>,
    ) -> Result<(), E>
    where
        D: Borrow<Value> + Send,
    {
        map_ordered(
            documents,
            jobs,
            |document| {
                let report = self.evaluate(document.borrow(), options);
                (document, report)
            },
            |(document, report)| sink(document, report),
        )
    }
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
