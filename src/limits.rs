//! Resource limits, one type per stage: [`CompileLimits`] bound what loading a pack may
//! consume (source size, nesting), [`EvalLimits`] what one evaluation may (steps, violations,
//! evidence depth, function calls). An exceeded compile limit is a diagnostic; an exceeded
//! evaluation limit is the `error` outcome of the clause that hit it.

/// Bounds on what compiling a pack may consume. The defaults are far above what an honest
/// pack needs.
///
/// ```
/// use conduct::pack::CompileLimits;
/// let limits = CompileLimits::default().max_source_bytes(64 * 1024).max_depth(32);
/// assert_eq!(limits.max_depth_value(), 32);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CompileLimits {
    /// Largest rule file, in bytes (default 1 MiB).
    pub(crate) max_source_bytes: usize,
    /// Deepest nesting of brackets, prefix operators and expression trees (default 64).
    pub(crate) max_depth: usize,
}

impl Default for CompileLimits {
    fn default() -> CompileLimits {
        CompileLimits {
            max_source_bytes: 1 << 20,
            max_depth: 64,
        }
    }
}

impl CompileLimits {
    /// Sets the largest rule file accepted, in bytes.
    #[must_use]
    pub fn max_source_bytes(mut self, n: usize) -> CompileLimits {
        self.max_source_bytes = n;
        self
    }
    /// Sets the deepest nesting accepted in rule source.
    #[must_use]
    pub fn max_depth(mut self, n: usize) -> CompileLimits {
        self.max_depth = n;
        self
    }
    /// The largest rule file accepted, in bytes.
    #[must_use]
    pub fn max_source_bytes_value(&self) -> usize {
        self.max_source_bytes
    }
    /// The nesting limit in force.
    #[must_use]
    pub fn max_depth_value(&self) -> usize {
        self.max_depth
    }
}

/// Bounds on what one evaluation may consume. The defaults are far above what an honest
/// evidence document needs.
///
/// ```
/// use conduct::pack::EvalLimits;
/// let limits = EvalLimits::default().max_steps(100_000);
/// assert_eq!(limits.max_steps_value(), 100_000);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EvalLimits {
    /// Most evaluation steps (items visited, requirements checked) per clause (default 10,000,000).
    pub(crate) max_steps: u64,
    /// Most failures listed per clause, counting each finding without items and each item of
    /// a grouped finding; more set `truncated` (default 1,000).
    pub(crate) max_violations: usize,
    /// Deepest evidence nesting a clause may read (default 128); a value below it is invalid
    /// evidence at its pointer for the clause that reads it. (`pack::evidence::read` replaces
    /// containers nested deeper than 127, serde_json's own limit, with a listed `null`.)
    pub(crate) max_evidence_depth: usize,
    /// Deepest nesting of function calls while evaluating (default 64).
    pub(crate) max_call_depth: usize,
}

impl Default for EvalLimits {
    fn default() -> EvalLimits {
        EvalLimits {
            max_steps: 10_000_000,
            max_violations: 1_000,
            max_evidence_depth: 128,
            max_call_depth: 64,
        }
    }
}

impl EvalLimits {
    /// Sets the most evaluation steps per clause.
    #[must_use]
    pub fn max_steps(mut self, n: u64) -> EvalLimits {
        self.max_steps = n;
        self
    }
    /// Sets the most failures listed per clause (findings without items, and items).
    #[must_use]
    pub fn max_violations(mut self, n: usize) -> EvalLimits {
        self.max_violations = n;
        self
    }
    /// Sets the deepest evidence nesting accepted.
    #[must_use]
    pub fn max_evidence_depth(mut self, n: usize) -> EvalLimits {
        self.max_evidence_depth = n;
        self
    }
    /// Sets the deepest nesting of function calls.
    #[must_use]
    pub fn max_call_depth(mut self, n: usize) -> EvalLimits {
        self.max_call_depth = n;
        self
    }
    /// The step limit in force.
    #[must_use]
    pub fn max_steps_value(&self) -> u64 {
        self.max_steps
    }
    /// The violation limit in force.
    #[must_use]
    pub fn max_violations_value(&self) -> usize {
        self.max_violations
    }
}
