//! The portfolio's counts: per status, verdict, plan state and basis, and the arithmetic that
//! makes them — and the report's own [`Summary`] and [`BySeverity`] — add up (`+`, `+=`,
//! `Sum`).

use serde::{Deserialize, Serialize};

use crate::report::{Basis, BySeverity, PlanState, Severity, Status, Summary, Verdict};

/// Implements `Add`, `AddAssign` and `Sum` (of values and of references) for a struct of
/// counts, field by field.
macro_rules! summable {
    ($name:ident { $($field:ident),+ $(,)? }) => {
        impl std::ops::AddAssign<&$name> for $name {
            fn add_assign(&mut self, other: &$name) {
                $(self.$field += other.$field;)+
            }
        }

        impl std::ops::AddAssign for $name {
            fn add_assign(&mut self, other: $name) {
                *self += &other;
            }
        }

        impl std::ops::Add for $name {
            type Output = $name;

            fn add(mut self, other: $name) -> $name {
                self += &other;
                self
            }
        }

        impl std::iter::Sum for $name {
            fn sum<I: Iterator<Item = $name>>(iter: I) -> $name {
                iter.fold($name::default(), |a, b| a + b)
            }
        }

        impl<'a> std::iter::Sum<&'a $name> for $name {
            fn sum<I: Iterator<Item = &'a $name>>(iter: I) -> $name {
                iter.fold($name::default(), |mut a, b| {
                    a += b;
                    a
                })
            }
        }
    };
}

summable!(BySeverity {
    critical,
    major,
    minor
});

summable!(Summary {
    clauses,
    violated,
    compliant,
    insufficient_evidence,
    not_applicable,
    not_examined,
    error,
    violations,
    items,
    by_severity,
});

impl BySeverity {
    /// The count of one severity.
    ///
    /// ```
    /// use conduct::{Options, RulePack, Severity};
    ///
    /// let pack = RulePack::load("rules/regions")?;
    /// let evidence = conduct::pack::evidence::read(std::fs::File::open("examples/example-evidence.json")?)?;
    /// let report = pack.evaluate(evidence.value(), &Options::default());
    /// let twice = report.summary + report.summary;
    /// assert_eq!(twice.by_severity.of(Severity::Major), 2 * report.summary.by_severity.major);
    /// assert_eq!([report.summary, report.summary].iter().sum::<conduct::report::Summary>(), twice);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn of(&self, severity: Severity) -> usize {
        match severity {
            Severity::Critical => self.critical,
            Severity::Major => self.major,
            Severity::Minor => self.minor,
        }
    }

    /// Every finding counted.
    #[must_use]
    pub fn total(&self) -> usize {
        self.critical + self.major + self.minor
    }

    pub(crate) fn count(&mut self, severity: Severity) {
        match severity {
            Severity::Critical => self.critical += 1,
            Severity::Major => self.major += 1,
            Severity::Minor => self.minor += 1,
        }
    }
}

/// Clause outcomes per status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ByStatus {
    /// [`Status::Violated`].
    pub violated: usize,
    /// [`Status::Compliant`].
    pub compliant: usize,
    /// [`Status::InsufficientEvidence`].
    pub insufficient_evidence: usize,
    /// [`Status::NotApplicable`].
    pub not_applicable: usize,
    /// [`Status::NotExamined`].
    pub not_examined: usize,
    /// [`Status::Error`].
    pub error: usize,
}

summable!(ByStatus {
    violated,
    compliant,
    insufficient_evidence,
    not_applicable,
    not_examined,
    error,
});

impl ByStatus {
    /// Every status, in the order of the summary's columns.
    pub const ORDER: [Status; 6] = [
        Status::Violated,
        Status::InsufficientEvidence,
        Status::Error,
        Status::Compliant,
        Status::NotExamined,
        Status::NotApplicable,
    ];

    /// The count of one status.
    #[must_use]
    pub fn of(&self, status: Status) -> usize {
        match status {
            Status::Violated => self.violated,
            Status::Compliant => self.compliant,
            Status::InsufficientEvidence => self.insufficient_evidence,
            Status::NotApplicable => self.not_applicable,
            Status::NotExamined => self.not_examined,
            Status::Error => self.error,
        }
    }

    pub(crate) fn count(&mut self, status: Status) {
        let slot = match status {
            Status::Violated => &mut self.violated,
            Status::Compliant => &mut self.compliant,
            Status::InsufficientEvidence => &mut self.insufficient_evidence,
            Status::NotApplicable => &mut self.not_applicable,
            Status::NotExamined => &mut self.not_examined,
            Status::Error => &mut self.error,
        };
        *slot += 1;
    }
}

/// Suppliers (or reports) per verdict.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ByVerdict {
    /// [`Verdict::NonCompliant`].
    pub non_compliant: usize,
    /// [`Verdict::Incomplete`].
    pub incomplete: usize,
    /// [`Verdict::Compliant`].
    pub compliant: usize,
}

summable!(ByVerdict {
    non_compliant,
    incomplete,
    compliant,
});

impl ByVerdict {
    /// Every verdict, most serious first.
    pub const ORDER: [Verdict; 3] = [
        Verdict::NonCompliant,
        Verdict::Incomplete,
        Verdict::Compliant,
    ];

    /// The count of one verdict.
    #[must_use]
    pub fn of(&self, verdict: Verdict) -> usize {
        match verdict {
            Verdict::NonCompliant => self.non_compliant,
            Verdict::Incomplete => self.incomplete,
            Verdict::Compliant => self.compliant,
        }
    }

    pub(crate) fn count(&mut self, verdict: Verdict) {
        match verdict {
            Verdict::NonCompliant => self.non_compliant += 1,
            Verdict::Incomplete => self.incomplete += 1,
            Verdict::Compliant => self.compliant += 1,
        }
    }
}

/// Findings per state of their corrective-action plan.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ByPlan {
    /// [`PlanState::Green`]: closed and verified.
    pub green: usize,
    /// [`PlanState::Yellow`]: open within its deadline.
    pub yellow: usize,
    /// [`PlanState::Red`]: overdue or no plan.
    pub red: usize,
    /// Findings whose report gives no plan state (the pack follows no plans for them).
    pub none: usize,
}

summable!(ByPlan {
    green,
    yellow,
    red,
    none,
});

impl ByPlan {
    /// The count of one state; `None` counts the findings with no state.
    #[must_use]
    pub fn of(&self, state: Option<PlanState>) -> usize {
        match state {
            Some(PlanState::Green) => self.green,
            Some(PlanState::Yellow) => self.yellow,
            Some(PlanState::Red) => self.red,
            None => self.none,
        }
    }

    pub(crate) fn count(&mut self, state: Option<PlanState>) {
        match state {
            Some(PlanState::Green) => self.green += 1,
            Some(PlanState::Yellow) => self.yellow += 1,
            Some(PlanState::Red) => self.red += 1,
            None => self.none += 1,
        }
    }
}

/// Findings per basis: how their facts were obtained.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ByBasis {
    /// [`Basis::Verified`].
    pub verified: usize,
    /// [`Basis::SelfReported`].
    pub self_reported: usize,
    /// [`Basis::Alleged`].
    pub alleged: usize,
    /// Findings whose report states no basis.
    pub none: usize,
}

summable!(ByBasis {
    verified,
    self_reported,
    alleged,
    none,
});

impl ByBasis {
    /// The count of one basis; `None` counts the findings with none.
    #[must_use]
    pub fn of(&self, basis: Option<Basis>) -> usize {
        match basis {
            Some(Basis::Verified) => self.verified,
            Some(Basis::SelfReported) => self.self_reported,
            Some(Basis::Alleged) => self.alleged,
            None => self.none,
        }
    }

    pub(crate) fn count(&mut self, basis: Option<Basis>) {
        match basis {
            Some(Basis::Verified) => self.verified += 1,
            Some(Basis::SelfReported) => self.self_reported += 1,
            Some(Basis::Alleged) => self.alleged += 1,
            None => self.none += 1,
        }
    }
}
