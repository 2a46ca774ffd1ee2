//! Support for the pipeline benchmarks: a civil-date helper, the evidence generator and the
//! hand-written baseline, and the pack restricted to the baseline's clauses.

pub mod baseline;
pub mod civil;
pub mod evidence;
pub mod pack;
