//! The words of the rule author's documents, per language: the pack reference (`conduct doc`:
//! what each severity means, what deadlines count from, durations in words), the
//! questionnaire's documents to attach (`conduct requirements`) and the labels of an
//! explanation (`conduct explain`). A [`Catalogue`](super::Catalogue) holds them as
//! [`docs`](super::Catalogue::docs); the words themselves are in `words.rs`.
//!
//! ```
//! use conduct::report::catalogue::Catalogue;
//! use conduct::Severity;
//!
//! let sv = Catalogue::for_language("sv").docs;
//! assert_eq!(sv.deadline("270 days"), "270 dagar");
//! assert_eq!(sv.deadline("1 year"), "1 år");
//! assert_eq!(sv.deadline("immediately"), "omedelbart");
//! assert!(sv.severity_meaning(Severity::Critical).starts_with("Allvarlig avvikelse"));
//! ```

use super::Severity;

/// The words of the documents for rule authors and officers in one language.
///
/// Labels are public fields; words that depend on a value are methods.
#[derive(Debug)]
#[non_exhaustive]
pub struct DocWords {
    /// Heading of the severities' meanings in the reference: "Severities" (*Allvarlighetsgrader*).
    pub severities_heading: &'static str,
    /// Heading of what deadlines count from: "Deadlines" (*Tidsfrister*).
    pub deadlines_heading: &'static str,
    /// What a due date is and what a deadline counts from.
    pub deadlines_from: &'static str,
    /// Label of the documents a supplier attaches, in the questionnaire: "Documents to attach"
    /// (*Bifoga*).
    pub documents_to_attach: &'static str,
    /// Explanation: before a clause id and title, "Clause" (*Klausul*).
    pub clause: &'static str,
    /// Explanation: before the rule's place, "defined at".
    pub defined_at: &'static str,
    /// Explanation: label of the outcome, "Outcome" (*Utfall*).
    pub outcome: &'static str,
    /// "Reads the outcomes of": the clauses a clause reads, in `explain`.
    pub reads_outcomes: &'static str,
    /// Explanation: label of an evaluation error, "error".
    pub error: &'static str,
    /// Explanation: before missing pointers, "missing".
    pub missing: &'static str,
    /// Explanation: before an invalid pointer, "invalid".
    pub invalid: &'static str,
    /// Explanation: label of `applies when`'s result, "Applies when".
    pub applies_when: &'static str,
    /// Explanation: label of an `insufficient unless` guard, "Insufficient unless".
    pub insufficient_unless: &'static str,
    /// Explanation: before the loop items a line is about, "for".
    pub for_items: &'static str,
    /// Explanation: heading of the `let` values, "Values computed".
    pub values_computed: &'static str,
    /// Explanation: `min` chose the smallest: "the smallest of".
    pub smallest_of: &'static str,
    /// Explanation: `max` chose the largest: "the largest of".
    pub largest_of: &'static str,
    /// Explanation: the argument `min` or `max` chose, "chosen".
    pub chosen: &'static str,
    /// Explanation: before a requirement's condition, "Requirement" (*Krav*).
    pub requirement: &'static str,
    /// Explanation: a requirement never reached, "not evaluated".
    pub not_evaluated: &'static str,
    /// Explanation: an item's result: holds, fails, remedied, unknown.
    pub results: [&'static str; 4],
    /// Explanation: a requirement about the clause as a whole, "(clause)".
    pub whole_clause: &'static str,
    /// Explanation: an unknown result without a missing pointer, "undecided".
    pub undecided: &'static str,
    /// Explanation: label of the value found, "found".
    pub found: &'static str,
    /// Explanation: label of the bound required, "required".
    pub required: &'static str,
    /// Explanation: between a value and the pointer it was read at, "at".
    pub at: &'static str,
    /// Explanation: truth values: true, false, unknown.
    pub truths: [&'static str; 3],
    /// Explanation: label of the severity decided, "severity".
    pub severity: &'static str,
    /// Explanation: a severity fixed by the rule.
    pub severity_fixed: &'static str,
    /// Explanation: a severity established by a case, before the case's condition.
    pub severity_established: &'static str,
    /// Explanation: the base severity, no case established.
    pub severity_base: &'static str,
    /// Explanation: between a severity and its case's condition, "when".
    pub when: &'static str,
    /// Explanation: an object value, `{n}` its number of fields.
    pub object_of: &'static str,
    /// Explanation: a list value, `{n}` its number of items.
    pub list_of: &'static str,
    /// Explanation: values or items beyond those listed, `{n}` their number.
    pub more_values: &'static str,
    /// Explanation: items beyond those listed, `{n}` their number.
    pub more_items: &'static str,
    pub(super) severity_meanings: [&'static str; 3],
    pub(super) immediately: &'static str,
    /// Duration units, singular and plural: day, week, month, year.
    pub(super) units: [(&'static str, &'static str); 4],
}

impl DocWords {
    /// What a severity means, as the reference explains it.
    #[must_use]
    pub fn severity_meaning(&self, severity: Severity) -> &'static str {
        let [critical, major, minor] = self.severity_meanings;
        match severity {
            Severity::Critical => critical,
            Severity::Major => major,
            Severity::Minor => minor,
        }
    }

    /// A default deadline as [`ClauseInfo::deadlines`](crate::pack::ClauseInfo) gives it
    /// ("30 days", "6 months", "1 year", "immediately", or a date) in words of this language;
    /// a date and any other text pass unchanged.
    #[must_use]
    pub fn deadline(&self, text: &str) -> String {
        if text == "immediately" {
            return self.immediately.to_string();
        }
        let mut parts = text.split(' ');
        let (Some(n), Some(unit), None) = (parts.next(), parts.next(), parts.next()) else {
            return text.to_string();
        };
        let Ok(count) = n.parse::<i64>() else {
            return text.to_string();
        };
        let index = match unit.trim_end_matches('s') {
            "day" => 0,
            "week" => 1,
            "month" => 2,
            "year" => 3,
            _ => return text.to_string(),
        };
        let Some((one, other)) = self.units.get(index) else {
            return text.to_string();
        };
        let word = if count.unsigned_abs() == 1 {
            one
        } else {
            other
        };
        format!("{count} {word}")
    }

    /// A phrase with `{n}` filled in.
    #[must_use]
    pub fn counted(phrase: &str, n: usize) -> String {
        phrase.replace("{n}", &n.to_string())
    }
}
