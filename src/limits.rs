//! Resource limits: source size and nesting when compiling; steps, violations and evidence
//! depth when evaluating. Each exceeded limit is a diagnostic or an `error` outcome.

/// Bounds on what compiling and evaluating may consume. The defaults are far above what an
/// honest pack or evidence document needs.
///
/// ```
/// use conduct::Limits;
/// let limits = Limits::default().max_steps(100_000);
/// assert_eq!(limits.max_steps_value(), 100_000);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest rule file, in bytes (default 1 MiB).
    pub(crate) max_source_bytes: usize,
    /// Deepest nesting of brackets, prefix operators and expression trees (default 64).
    pub(crate) max_depth: usize,
    /// Most evaluation steps (items visited, requirements checked) per clause (default 10,000,000).
    pub(crate) max_steps: u64,
    /// Most violations listed per clause; more set `truncated` (default 1,000).
    pub(crate) max_violations: usize,
    /// Deepest evidence nesting accepted (default 128, as serde_json's parser).
    pub(crate) max_evidence_depth: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_source_bytes: 1 << 20,
            max_depth: 64,
            max_steps: 10_000_000,
            max_violations: 1_000,
            max_evidence_depth: 128,
        }
    }
}

impl Limits {
    /// Sets the largest rule file accepted, in bytes.
    #[must_use]
    pub fn max_source_bytes(mut self, n: usize) -> Limits {
        self.max_source_bytes = n;
        self
    }
    /// Sets the deepest nesting accepted in rule source.
    #[must_use]
    pub fn max_depth(mut self, n: usize) -> Limits {
        self.max_depth = n;
        self
    }
    /// Sets the most evaluation steps per clause.
    #[must_use]
    pub fn max_steps(mut self, n: u64) -> Limits {
        self.max_steps = n;
        self
    }
    /// Sets the most violations listed per clause.
    #[must_use]
    pub fn max_violations(mut self, n: usize) -> Limits {
        self.max_violations = n;
        self
    }
    /// Sets the deepest evidence nesting accepted.
    #[must_use]
    pub fn max_evidence_depth(mut self, n: usize) -> Limits {
        self.max_evidence_depth = n;
        self
    }
    /// The nesting limit in force.
    #[must_use]
    pub fn max_depth_value(&self) -> usize {
        self.max_depth
    }
    /// The step limit in force.
    #[must_use]
    pub fn max_steps_value(&self) -> u64 {
        self.max_steps
    }
}
