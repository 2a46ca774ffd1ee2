//! The words of `conduct diff`'s text, per language: a [`Class`], [`Side`] or [`Warning`] of a
//! [`Comparison`](crate::report::compare::Comparison) in, its words out. Severities, statuses,
//! due dates and numbers come from the [`Catalogue`](super::Catalogue) itself.

use crate::report::compare::{Class, Side, Warning};

/// The words of a comparison of two reports (`conduct diff`), in one language; a
/// [`Catalogue`](super::Catalogue) holds them as its `comparison`.
///
/// ```
/// use conduct::report::catalogue::Catalogue;
/// use conduct::report::compare::Class;
///
/// let sv = &Catalogue::for_language("sv").comparison;
/// assert_eq!(sv.class(Class::Persisting), "kvarstår");
/// assert_eq!(sv.earlier, "tidigare");
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub struct ComparisonWords {
    /// The earlier report: "earlier".
    pub earlier: &'static str,
    /// The newer report: "newer".
    pub newer: &'static str,
    /// Before a report's date: "as of" (*per*).
    pub as_of: &'static str,
    /// A finding open after its due date: "OVERDUE".
    pub overdue: &'static str,
    /// Label of the counts by class: "summary".
    pub summary: &'static str,
    /// Said when neither report has a finding.
    pub no_findings: &'static str,
    /// Said of the unconfirmed findings: gone, but not shown to be fixed.
    pub unconfirmed_note: &'static str,
    /// Heading of the clauses whose status changed.
    pub outcomes: &'static str,
    /// The status of a clause a report's pack lacks: "not in the pack".
    pub absent: &'static str,
    /// Before a warning: "warning".
    pub warning: &'static str,
    pub(super) classes: [&'static str; 7],
    /// `{earlier}`, `{newer}`: pack digests.
    pub(super) pack_digests: &'static str,
    /// `{report}`: earlier or newer; `{format}`.
    pub(super) no_ids: &'static str,
    /// `{earlier}`, `{newer}`: dates.
    pub(super) order: &'static str,
    pub(super) subject_unchecked: &'static str,
}

impl ComparisonWords {
    /// How a finding changed, in lower case: "persisting", "kvarstår".
    #[must_use]
    pub fn class(&self, class: Class) -> &'static str {
        let [
            escalated,
            new,
            persisting,
            de_escalated,
            unconfirmed,
            resolved,
            remediated,
        ] = self.classes;
        match class {
            Class::Escalated => escalated,
            Class::New => new,
            Class::Persisting => persisting,
            Class::DeEscalated => de_escalated,
            Class::Unconfirmed => unconfirmed,
            Class::Resolved => resolved,
            Class::Remediated => remediated,
        }
    }

    /// Which report: "earlier", "senare".
    #[must_use]
    pub fn side(&self, side: Side) -> &'static str {
        match side {
            Side::Earlier => self.earlier,
            Side::Newer => self.newer,
        }
    }

    /// A warning of the comparison in words.
    #[must_use]
    pub fn warning(&self, warning: &Warning) -> String {
        match warning {
            Warning::PackDigests { earlier, newer } => self
                .pack_digests
                .replace("{earlier}", earlier)
                .replace("{newer}", newer),
            Warning::NoIds { report, format } => self
                .no_ids
                .replace("{report}", self.side(*report))
                .replace("{format}", format),
            Warning::Order { earlier, newer } => self
                .order
                .replace("{earlier}", &earlier.to_string())
                .replace("{newer}", &newer.to_string()),
            Warning::SubjectUnchecked => self.subject_unchecked.to_string(),
        }
    }
}
