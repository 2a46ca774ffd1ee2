//! The report's findings: a [`Violation`] (one per requirement and subject), the failing
//! [`Item`]s it groups, its [`Remediation`] with a due date that does not move, and the evidence
//! that was [`Missing`] or [`Invalid`].
//!
//! Built by the evaluator, read back by serde; the JSON field names are part of
//! `conduct-report/2`.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use super::Severity;
use crate::date::Date;
use crate::source::Location;

/// The keys that name a subject or an item in the evidence's own terms, in the order of the
/// loops that reached it: `{"site_id": "MY-KLG-01"}`, `{"worker_ref": "W4"}`.
pub type Keys = IndexMap<String, serde_json::Value>;

/// Defines a unit-variant enum read and written by its report name (`Display`, `FromStr`,
/// serde), ordered as declared. Shared with the other report modules (`compare`).
macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal, { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash,
            ::serde::Serialize, ::serde::Deserialize,
        )]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant,)+
        }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name used in reports.
            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::report::ParseNameError;

            /// The name used in reports.
            fn from_str(text: &str) -> Result<$name, $crate::report::ParseNameError> {
                $crate::report::from_name($what, text, $name::ALL, $name::as_str)
            }
        }
    };
}

pub(super) use named_enum;

named_enum! {
    /// How the facts behind a finding were obtained. Ordered from the strongest:
    /// `Verified < SelfReported < Alleged`.
    ///
    /// ```
    /// use conduct::report::Basis;
    ///
    /// assert_eq!("self_reported".parse::<Basis>()?, Basis::SelfReported);
    /// assert_eq!(Basis::Alleged.to_string(), "alleged");
    /// # Ok::<(), conduct::report::ParseNameError>(())
    /// ```
    Basis, "basis", {
        /// Seen by an auditor (an office or factory audit, or an audit's finding).
        Verified => "verified",
        /// Stated by the supplier (a self-assessment).
        SelfReported => "self_reported",
        /// Reported by others (an NGO, a union, a researcher, the media): never an
        /// established deviation.
        Alleged => "alleged",
    }
}

named_enum! {
    /// Who fills in an evidence field when it is not the supplier, as the pack's evidence
    /// declaration says (`filled by buyer`): such a field is not asked of the supplier.
    ///
    /// ```
    /// use conduct::report::FilledBy;
    ///
    /// assert_eq!("auditor".parse::<FilledBy>()?, FilledBy::Auditor);
    /// assert_eq!(FilledBy::Buyer.to_string(), "buyer");
    /// # Ok::<(), conduct::report::ParseNameError>(())
    /// ```
    FilledBy, "filled by", {
        /// The buying organisation (the contract, the assessment).
        Buyer => "buyer",
        /// The auditor (audits, how a site was observed).
        Auditor => "auditor",
    }
}

named_enum! {
    /// Where a remediation's due date counts from, in the order it is chosen.
    ///
    /// ```
    /// use conduct::report::DueFrom;
    ///
    /// assert_eq!("plan".parse::<DueFrom>()?, DueFrom::Plan);
    /// assert_eq!(DueFrom::AsOf.to_string(), "as_of");
    /// # Ok::<(), conduct::report::ParseNameError>(())
    /// ```
    DueFrom, "due_from", {
        /// The deadline agreed in the corrective-action plan the evidence links to the finding.
        Plan => "plan",
        /// The date the evidence establishes the deviation, plus the pack's deadline.
        Evidence => "evidence",
        /// The evaluation date plus the pack's deadline: nothing earlier is known.
        AsOf => "as_of",
    }
}

named_enum! {
    /// The state of the corrective-action plan for a finding, in the regions' follow-up terms.
    /// Ordered from the best: `Green < Yellow < Red`.
    ///
    /// ```
    /// use conduct::report::PlanState;
    ///
    /// assert!(PlanState::Green < PlanState::Red);
    /// assert_eq!("yellow".parse::<PlanState>()?, PlanState::Yellow);
    /// # Ok::<(), conduct::report::ParseNameError>(())
    /// ```
    PlanState, "plan state", {
        /// Closed and verified.
        Green => "green",
        /// Open, within its deadline.
        Yellow => "yellow",
        /// Overdue, or no plan.
        Red => "red",
    }
}

/// What must be done about a violation, and by when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Remediation {
    /// The corrective action, in the report's language.
    pub action: String,
    /// The due date, when the pack gives a deadline and it could be computed.
    pub due: Option<Date>,
    /// What `due` counts from; `null` when there is no due date.
    #[serde(default)]
    pub due_from: Option<DueFrom>,
    /// The state of the linked corrective-action plan, when the pack follows plans.
    #[serde(default)]
    pub plan: Option<PlanState>,
}

/// One failing item of a grouped violation: a worker, a week, a payslip.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Item {
    /// The item's keys in the evidence (`{"worker_ref": "W4"}`).
    pub keys: Keys,
    /// JSON Pointer to the evidence the requirement is about, for this item.
    pub path: String,
    /// The value found for this item.
    pub actual: serde_json::Value,
    /// What was required of this item, as a readable bound.
    pub expected: String,
    /// How serious this item's failure is (the finding has the highest of its items').
    pub severity: Severity,
    /// What was found, for this item, in the report's language.
    pub message: String,
}

/// One failed requirement for one subject: a site, a request, an audit finding, or the
/// supplier as a whole.
///
/// A requirement inside nested loops (`for each site …` and `for each w in site.workers`)
/// gives one violation per subject (the site), with the failing workers as its `items` and
/// `examined` saying how many were looked at. Its `id` names the same deviation in every
/// follow-up: clause, requirement and the subject's keys, never array indexes, file paths
/// or lines.
///
/// Its `clause` is not in its JSON form (the outcome names it); reading an [`Outcome`](super::Outcome)
/// back with serde fills it in from the outcome.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Violation {
    /// The clause id (not serialized: the outcome names it).
    #[serde(skip)]
    pub clause: String,
    /// The finding's identity across follow-ups: `clause/requirement` followed by the
    /// subject's keys, e.g. `working_hours.weekly_limit/weekly-cap@site_id=MY-KLG-01`.
    pub id: String,
    /// The requirement's name within its clause.
    pub requirement: String,
    /// The subject's keys in the evidence; empty when the finding is about the supplier.
    pub subject: Keys,
    /// How serious this violation is (the highest of its items).
    pub severity: Severity,
    /// How the facts were obtained, when the pack declares where evidence comes from.
    #[serde(default)]
    pub basis: Option<Basis>,
    /// The code's severe-deviation category the finding is in (`child_labour`,
    /// `forced_labour`, `danger_to_life`, `serious_environmental_harm`, `grand_corruption`,
    /// `attack_on_defenders` in the regions' pack), which the supplier must report within the
    /// contract's deadline; `None` for any other finding.
    #[serde(default)]
    pub severe: Option<String>,
    /// What was found, in the report's language.
    pub message: String,
    /// JSON Pointer to the evidence the requirement is about (the first failing item's).
    pub path: String,
    /// The value found (the first failing item's).
    pub actual: serde_json::Value,
    /// What was required, as a readable bound, e.g. `<= 60`.
    pub expected: String,
    /// The failing items, when the requirement is judged per item of the subject; in
    /// evidence order. Empty when the requirement is about the subject itself.
    #[serde(default)]
    pub items: Vec<Item>,
    /// How many items of the subject were examined (`items` failed of these).
    #[serde(default)]
    pub examined: Option<usize>,
    /// The corrective action and its due date, when the clause defines one.
    pub remediation: Option<Remediation>,
    /// The requirement in the rule source, with the file relative to the pack's root.
    pub rule: Location,
}

/// Evidence that was needed but absent or null.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Missing {
    /// JSON Pointer into the evidence (or `as_of`, when no evaluation date is known).
    pub path: String,
    /// The keys of the site, worker, … the missing field belongs to.
    #[serde(default)]
    pub subject: Keys,
    /// What the field holds, from the pack's evidence declaration, in the report's language.
    #[serde(default)]
    pub description: Option<String>,
    /// The document the supplier sends to prove the field (payslips, the audit report), from
    /// the evidence declaration (the field's own, else that of the field it belongs to), in
    /// the report's language; absent when the declaration names none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// Who fills the field in when not the supplier (the evidence declaration's `filled by`):
    /// the buyer or the auditor is asked for it, not the supplier; absent for the supplier's
    /// own fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filled_by: Option<FilledBy>,
}

impl Missing {
    /// A missing entry for `path` with no subject, description or document.
    #[must_use]
    pub fn at(path: impl Into<String>) -> Missing {
        Missing {
            path: path.into(),
            subject: Keys::new(),
            description: None,
            document: None,
            filled_by: None,
        }
    }
}

/// Evidence that is present but not usable: the wrong type, an unparsable date.
///
/// Ordered by pointer, then reason (the subject follows from the pointer).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Invalid {
    /// JSON Pointer into the evidence.
    pub path: String,
    /// What is wrong with it.
    pub reason: String,
    /// The keys of the site, worker, … the field belongs to.
    #[serde(default)]
    pub subject: Keys,
    /// What the field holds, from the pack's evidence declaration, in the report's language
    /// (as a [`Missing`] entry's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The document the supplier sends to prove the field, from the evidence declaration, in
    /// the report's language (as a [`Missing`] entry's); absent when the declaration names none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// Who fills the field in when not the supplier (as a [`Missing`] entry's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filled_by: Option<FilledBy>,
}

impl Invalid {
    /// An invalid entry for `path` with no subject, description or document.
    #[must_use]
    pub fn at(path: impl Into<String>, reason: impl Into<String>) -> Invalid {
        Invalid {
            path: path.into(),
            reason: reason.into(),
            subject: Keys::new(),
            description: None,
            document: None,
            filled_by: None,
        }
    }
}

impl PartialOrd for Invalid {
    fn partial_cmp(&self, other: &Invalid) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Invalid {
    fn cmp(&self, other: &Invalid) -> std::cmp::Ordering {
        natural_cmp(&self.path, &other.path).then_with(|| self.reason.cmp(&other.reason))
    }
}

/// Orders JSON Pointers naturally: numbers as numbers (`/sites/2` before `/sites/10`).
#[must_use]
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let mut x = a.split('/');
    let mut y = b.split('/');
    loop {
        match (x.next(), y.next()) {
            (None, None) => return std::cmp::Ordering::Equal,
            (None, Some(_)) => return std::cmp::Ordering::Less,
            (Some(_), None) => return std::cmp::Ordering::Greater,
            (Some(p), Some(q)) => {
                let order = match (p.parse::<u64>(), q.parse::<u64>()) {
                    (Ok(m), Ok(n)) => m.cmp(&n),
                    _ => p.cmp(q),
                };
                if order != std::cmp::Ordering::Equal {
                    return order;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::natural_cmp;

    #[test]
    fn pointers_sort_naturally() {
        let mut paths = vec!["/sites/10/a", "/sites/2/b", "/sites/2/a", "/sites", "/a"];
        paths.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            paths,
            ["/a", "/sites", "/sites/2/a", "/sites/2/b", "/sites/10/a"]
        );
    }
}
