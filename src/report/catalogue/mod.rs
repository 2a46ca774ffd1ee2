//! The fixed words of the renderings, per language: a language code in, a [`Catalogue`] out
//! (English when the language has none), with the words for verdicts, statuses, severities,
//! bases, deadlines and plan states, the labels of a report, the names of the evidence's key
//! fields (`site_id` → "anläggning"), counted phrases ("3 av 30 granskade arbetstagare") and
//! the formatting of numbers and dates ("1 100", "22 %", "2024-11-30").
//!
//! Texts from the pack (titles, messages, actions) and from the evidence (names, ids) are not
//! here: they come in the report, already in its language. The catalogue returns plain text;
//! the text rendering makes evidence safe for a terminal with
//! [`clean`](super::text::clean), an HTML rendering escapes it.
//!
//! ```
//! use conduct::report::catalogue::Catalogue;
//! use conduct::Severity;
//!
//! let sv = Catalogue::for_language("sv");
//! assert_eq!(sv.severity(Severity::Critical), "allvarlig avvikelse");
//! assert_eq!(sv.severity_count(Severity::Major, 4), "4 större avvikelser");
//! assert_eq!(sv.integer(1100), "1\u{a0}100");
//! assert_eq!(sv.percent("0.22"), "22\u{a0}%");
//! assert_eq!(Catalogue::for_language("de").language, "en"); // English when the language has none
//! ```

use super::{Basis, DueFrom, Keys, PlanState, Severity, Status, Verdict};
use crate::date::{Date, Duration};

mod comparison;
mod docs;
pub mod portfolio;
mod words;

pub use self::comparison::ComparisonWords;
pub use self::docs::DocWords;
use self::words::{EN, SV};

/// The no-break space Swedish puts between thousands and before `%` ("1 100", "22 %"), so that
/// a number is never split over two lines.
pub const NBSP: char = '\u{a0}';

/// A phrase with a count, in the singular and the plural; `{n}` stands for the number (and in
/// some phrases `{k}` for a second number and `{noun}` for a word).
#[derive(Debug)]
struct Counted {
    one: &'static str,
    other: &'static str,
}

impl Counted {
    fn pick(&self, n: usize) -> &'static str {
        if n == 1 { self.one } else { self.other }
    }
}

/// The words for one key field of the evidence: `site_id` → "site" / "sites".
#[derive(Debug)]
struct KeyWords {
    key: &'static str,
    one: &'static str,
    other: &'static str,
}

/// The fixed words of the renderings in one language.
///
/// Labels are public fields; words that depend on a value of the report (a verdict, a
/// severity, …) or on a count are methods. Texts from evidence pass through unchanged: clean or
/// escape them where they are printed.
#[derive(Debug)]
#[non_exhaustive]
pub struct Catalogue {
    /// The language code of these words: `en` or `sv`.
    pub language: &'static str,
    /// Before the pack's edition: "edition".
    pub edition: &'static str,
    /// Label of the evaluation date: "Assessment date".
    pub assessment_date: &'static str,
    /// Label of the input document in a batch: "Document".
    pub document: &'static str,
    /// Label of the verdict line: "Result".
    pub result: &'static str,
    /// A numbered finding: "Deviation" (*Avvikelse*).
    pub deviation: &'static str,
    /// A numbered finding whose facts are only alleged: "Alleged deviation".
    pub alleged_deviation: &'static str,
    /// Label of what was found: "Observed" (*Iakttaget*).
    pub observed: &'static str,
    /// A requirement (a clause of the code), also the label of the required bound: "Requirement"
    /// (*Krav*).
    pub requirement: &'static str,
    /// Label of the corrective action: "Action" (*Åtgärd*).
    pub action: &'static str,
    /// Before a due date: "by" (*senast*).
    pub due_before: &'static str,
    /// Label of the corrective-action plan's state: "Corrective-action plan" (*Åtgärdsplan*).
    pub plan: &'static str,
    /// Label of the basis of a finding: "Source" (*Källa*).
    pub source: &'static str,
    /// Label of a severe deviation: "Severe deviation" (*Allvarlig avvikelse enligt koden*).
    pub severe: &'static str,
    /// The supplier's duty for a severe deviation: "the supplier must report it to the buyer
    /// within the contract's deadline".
    pub severe_duty: &'static str,
    /// Heading of the clauses that lack evidence: "Insufficient evidence" (*Otillräckligt
    /// underlag*).
    pub insufficient_evidence: &'static str,
    /// Label of missing evidence that belongs to no site or worker: "Missing" (*Saknas*).
    pub missing: &'static str,
    /// Label of missing evidence of a site, a worker, …: "Missing for" (*Saknas för*).
    pub missing_for: &'static str,
    /// Before a position in a list of the evidence, where the list's items have no declared
    /// keys: "no." (`workers no. 2`), *nr*.
    pub number: &'static str,
    /// Said of evidence that is present but unusable: "the value given cannot be used".
    pub invalid_value: &'static str,
    /// The missing evaluation date: "the assessment date (give --as-of)".
    pub missing_as_of: &'static str,
    /// Missing evidence that is the whole document: "the whole evidence document".
    pub whole_document: &'static str,
    /// Heading of the clauses the follow-up does not examine: "Not examined in this follow-up"
    /// (*Ej granskat i denna uppföljning*).
    pub not_examined: &'static str,
    /// Heading of the clauses that could not be evaluated: "Could not be evaluated".
    pub not_evaluated: &'static str,
    /// Said of a clause that could not be evaluated, in the officer's text: "a technical error
    /// in the evaluation; ask the rule authors".
    pub technical_error: &'static str,
    /// Heading of the compliant clauses: "Requirements met" (*Uppfyllda krav*).
    pub compliant: &'static str,
    /// Heading of the clauses that do not apply: "Not applicable".
    pub not_applicable: &'static str,
    /// After a clause whose past breach was put right: "put right" (*åtgärdat*).
    pub remediated: &'static str,
    /// After a list of findings cut at the limit.
    pub truncated: &'static str,
    /// The verdict line when there is no finding: "no deviations".
    pub no_deviations: &'static str,
    /// "and", between the last two items of a list.
    pub and: &'static str,
    /// Label of a finding's identity, in the details for rule authors: "id".
    pub id: &'static str,
    /// Label of a JSON Pointer, in the details: "evidence".
    pub pointer: &'static str,
    /// Label of the value found, in the details: "found".
    pub found: &'static str,
    /// Label of the bound required, in the details: "required" (*krav*).
    pub required: &'static str,
    /// Label of the rule's place, in the details: "rule".
    pub rule: &'static str,
    /// Label of the pack's name and digest, in the details: "pack".
    pub pack: &'static str,
    /// Label of a clause's references to conventions and laws, in the printable report:
    /// "References" (*Referenser*).
    pub references: &'static str,
    /// Heading of the examined scope, in the printable report: "Scope of this follow-up"
    /// (*Granskningens omfattning*).
    pub scope: &'static str,
    /// Heading of the evidence the supplier is asked to send, in the printable report:
    /// "Evidence to send" (*Underlag att skicka in*).
    pub evidence_to_send: &'static str,
    /// The group of evidence to send that belongs to no site or worker, in the printable
    /// report: "The supplier as a whole" (*Leverantören som helhet*).
    pub whole_supplier: &'static str,
    /// Before the documents a supplier sends with the evidence: "Attach" (*Bifoga*).
    pub attach: &'static str,
    /// Heading of the missing evidence the buyer or the auditor provides, not the supplier, in
    /// the printable report: "Evidence the buyer or the auditor provides" (*Underlag som
    /// köparen eller revisorn lämnar*).
    pub evidence_provided: &'static str,
    /// After a field the buyer fills in: "filled in by the buyer" (*fylls i av köparen*).
    pub by_buyer: &'static str,
    /// After a field the auditor fills in: "filled in by the auditor" (*fylls i av revisorn*).
    pub by_auditor: &'static str,
    /// The words of the rule author's documents: the reference, the questionnaire, an
    /// explanation.
    pub docs: &'static DocWords,
    verdicts: [&'static str; 3],
    statuses: [&'static str; 6],
    severities: [Counted; 3],
    severity_headings: [&'static str; 3],
    bases: [&'static str; 3],
    /// The code's severe-deviation categories and their words, by the category's name.
    severe_categories: &'static [(&'static str, &'static str)],
    due_from: [&'static str; 3],
    plan_states: [&'static str; 3],
    plan_meanings: [&'static str; 3],
    keys: &'static [KeyWords],
    insufficient_count: Counted,
    error_count: Counted,
    not_examined_count: Counted,
    examined_count: Counted,
    examined_of: Counted,
    examined_of_noun: Counted,
    failing: Counted,
    and_more: &'static str,
    /// Days, months and years: "{n} days", "{n} dagar".
    durations: [Counted; 3],
    /// A true and a false value in a sentence: "yes", "no"; "ja", "nej".
    yes_no: [&'static str; 2],
    /// The words of a comparison of two reports (`conduct diff`).
    pub comparison: ComparisonWords,
    thousands: char,
    decimal_point: char,
    percent_sign: &'static str,
}

/// The catalogues, the first the fallback.
static ALL: [&Catalogue; 2] = [&EN, &SV];

impl Catalogue {
    /// The words for `language` (a code such as `sv`, or `sv-SE`), English when there are
    /// none for it.
    ///
    /// ```
    /// use conduct::report::catalogue::Catalogue;
    ///
    /// assert_eq!(Catalogue::for_language("sv-SE").language, "sv");
    /// assert_eq!(Catalogue::for_language("fi").language, "en");
    /// ```
    #[must_use]
    pub fn for_language(language: &str) -> &'static Catalogue {
        let base = language.split(['-', '_']).next().unwrap_or(language);
        ALL.iter()
            .find(|c| c.language.eq_ignore_ascii_case(base))
            .copied()
            .unwrap_or(&EN)
    }

    /// Who fills in a field, after its name: "filled in by the buyer" (*fylls i av köparen*).
    ///
    /// ```
    /// use conduct::report::FilledBy;
    /// use conduct::report::catalogue::Catalogue;
    ///
    /// assert_eq!(Catalogue::for_language("sv").filled_by(FilledBy::Auditor), "fylls i av revisorn");
    /// ```
    #[must_use]
    pub fn filled_by(&self, who: crate::report::FilledBy) -> &'static str {
        match who {
            crate::report::FilledBy::Buyer => self.by_buyer,
            crate::report::FilledBy::Auditor => self.by_auditor,
        }
    }

    /// The languages that have a catalogue, English first.
    #[must_use]
    pub fn languages() -> Vec<&'static str> {
        ALL.iter().map(|c| c.language).collect()
    }

    /// The verdict, in sentence case: "Non-compliant", "Uppfyller inte kraven".
    #[must_use]
    pub fn verdict(&self, verdict: Verdict) -> &'static str {
        let [compliant, non_compliant, incomplete] = self.verdicts;
        match verdict {
            Verdict::Compliant => compliant,
            Verdict::NonCompliant => non_compliant,
            Verdict::Incomplete => incomplete,
        }
    }

    /// A clause's status: "Insufficient evidence", "Ej granskat".
    #[must_use]
    pub fn status(&self, status: Status) -> &'static str {
        let [
            violated,
            compliant,
            insufficient,
            not_applicable,
            not_examined,
            error,
        ] = self.statuses;
        match status {
            Status::Violated => violated,
            Status::Compliant => compliant,
            Status::InsufficientEvidence => insufficient,
            Status::NotApplicable => not_applicable,
            Status::NotExamined => not_examined,
            Status::Error => error,
        }
    }

    /// A severity as a kind of deviation: "major deviation", "större avvikelse".
    #[must_use]
    pub fn severity(&self, severity: Severity) -> &'static str {
        let [critical, major, minor] = &self.severities;
        match severity {
            Severity::Critical => critical.one,
            Severity::Major => major.one,
            Severity::Minor => minor.one,
        }
    }

    /// A count of deviations of one severity: "1 major deviation", "4 större avvikelser".
    #[must_use]
    pub fn severity_count(&self, severity: Severity, n: usize) -> String {
        let [critical, major, minor] = &self.severities;
        let counted = match severity {
            Severity::Critical => critical,
            Severity::Major => major,
            Severity::Minor => minor,
        };
        format!("{} {}", self.integer(n as u64), counted.pick(n))
    }

    /// The heading of the findings of one severity: "Major deviations", "Större avvikelser".
    #[must_use]
    pub fn severity_heading(&self, severity: Severity) -> &'static str {
        let [critical, major, minor] = self.severity_headings;
        match severity {
            Severity::Critical => critical,
            Severity::Major => major,
            Severity::Minor => minor,
        }
    }

    /// A severe deviation in words: "child labour — the supplier must report it to the buyer
    /// within the contract's deadline". A category the catalogue does not know is shown with
    /// its `_` read as spaces.
    #[must_use]
    pub fn severe_text(&self, category: &str) -> String {
        let words = self
            .severe_categories
            .iter()
            .find(|(name, _)| *name == category)
            .map_or_else(|| category.replace('_', " "), |(_, w)| (*w).to_string());
        format!("{words} — {}", self.severe_duty)
    }

    /// How the facts of a finding were obtained: "verified in an audit".
    #[must_use]
    pub fn basis(&self, basis: Basis) -> &'static str {
        let [verified, self_reported, alleged] = self.bases;
        match basis {
            Basis::Verified => verified,
            Basis::SelfReported => self_reported,
            Basis::Alleged => alleged,
        }
    }

    /// What a due date counts from: "enligt överenskommen åtgärdsplan", "räknat från
    /// bedömningsdatumet".
    #[must_use]
    pub fn due_from(&self, due_from: DueFrom) -> &'static str {
        let [plan, evidence, as_of] = self.due_from;
        match due_from {
            DueFrom::Plan => plan,
            DueFrom::Evidence => evidence,
            DueFrom::AsOf => as_of,
        }
    }

    /// A plan state's name: "yellow", "gul".
    #[must_use]
    pub fn plan_state(&self, state: PlanState) -> &'static str {
        let [green, yellow, red] = self.plan_states;
        match state {
            PlanState::Green => green,
            PlanState::Yellow => yellow,
            PlanState::Red => red,
        }
    }

    /// What a plan state means: "open within its deadline", "öppen inom tidsfristen".
    #[must_use]
    pub fn plan_meaning(&self, state: PlanState) -> &'static str {
        let [green, yellow, red] = self.plan_meanings;
        match state {
            PlanState::Green => green,
            PlanState::Yellow => yellow,
            PlanState::Red => red,
        }
    }

    /// The word for a key field of the evidence, for one (`plural` false) or several:
    /// `site_id` → "site" / "anläggning". A key the catalogue does not know is named by
    /// itself, `_` read as a space (`batch_no` → "batch no").
    ///
    /// ```
    /// use conduct::report::catalogue::Catalogue;
    ///
    /// let sv = Catalogue::for_language("sv");
    /// assert_eq!(sv.key_word("worker_ref", false), "arbetstagare");
    /// assert_eq!(sv.key_word("site_id", true), "anläggningar");
    /// assert_eq!(sv.key_word("batch_no", false), "batch no");
    /// ```
    #[must_use]
    pub fn key_word(&self, key: &str, plural: bool) -> String {
        match self.keys.iter().find(|k| k.key == key) {
            Some(words) if plural => words.other.to_string(),
            Some(words) => words.one.to_string(),
            None => key.replace('_', " "),
        }
    }

    /// A subject or an item in words: `{"site_id": "MY-KLG-01", "worker_ref": "W4"}` →
    /// "site MY-KLG-01, worker W4". Keys whose value is a digest (`sha256:…`, the name the
    /// evaluator gives an item without declared keys) are left out; `None` when nothing is
    /// left.
    ///
    /// ```
    /// use conduct::report::{catalogue::Catalogue, Keys};
    ///
    /// let mut keys = Keys::new();
    /// keys.insert("site_id".into(), "MY-KLG-01".into());
    /// assert_eq!(Catalogue::for_language("sv").subject(&keys).as_deref(), Some("anläggning MY-KLG-01"));
    /// keys.insert("item".into(), "sha256:d3f2d045".into());
    /// assert_eq!(Catalogue::for_language("en").subject(&keys).as_deref(), Some("site MY-KLG-01"));
    /// ```
    #[must_use]
    pub fn subject(&self, keys: &Keys) -> Option<String> {
        let parts: Vec<String> = readable_keys(keys)
            .map(|(key, value)| format!("{} {}", self.key_word(key, false), self.value(value)))
            .collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    }

    /// An item by its key values alone, as in a list of items: `{"worker_ref": "W4"}` → "W4";
    /// with more keys, the first and the others in parentheses: a discrimination ground and
    /// the area it concerns read "kön (befordran)". `None` when it has no readable key (see
    /// [`Catalogue::subject`]).
    ///
    /// ```
    /// use conduct::report::Keys;
    /// use conduct::report::catalogue::Catalogue;
    ///
    /// let mut keys = Keys::new();
    /// keys.insert("ground".into(), "kön".into());
    /// keys.insert("area".into(), "befordran".into());
    /// assert_eq!(Catalogue::for_language("sv").item_name(&keys).as_deref(), Some("kön (befordran)"));
    /// ```
    #[must_use]
    pub fn item_name(&self, keys: &Keys) -> Option<String> {
        let mut parts = readable_keys(keys).map(|(_, v)| self.value(v));
        let first = parts.next()?;
        let rest: Vec<String> = parts.collect();
        Some(if rest.is_empty() {
            first
        } else {
            format!("{first} ({})", rest.join(", "))
        })
    }

    /// A key value as text: a string as it is, a number in this language's form, a boolean in
    /// words ("ja", "nej"), anything else as JSON.
    #[must_use]
    pub fn value(&self, value: &serde_json::Value) -> String {
        match value {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(n) => self.decimal(&n.to_string()),
            serde_json::Value::Bool(b) => self.yes_no(*b).to_string(),
            other => other.to_string(),
        }
    }

    /// A true or false value in words: "yes", "no"; "ja", "nej".
    #[must_use]
    pub fn yes_no(&self, value: bool) -> &'static str {
        let [yes, no] = self.yes_no;
        if value { yes } else { no }
    }

    /// How many items of a grouped finding fail, of how many examined, named by the items'
    /// key field when known: "3 of 30 workers examined", "3 av 30 granskade arbetstagare";
    /// without `examined`, "3 workers".
    ///
    /// ```
    /// use conduct::report::catalogue::Catalogue;
    ///
    /// let sv = Catalogue::for_language("sv");
    /// assert_eq!(sv.examined(3, Some(30), Some("worker_ref")), "3 av 30 granskade arbetstagare");
    /// assert_eq!(sv.examined(3, Some(30), None), "3 av 30 granskade");
    /// let en = Catalogue::for_language("en");
    /// assert_eq!(en.examined(1, Some(1), Some("site_id")), "1 of 1 site examined");
    /// ```
    #[must_use]
    pub fn examined(&self, failing: usize, examined: Option<usize>, key: Option<&str>) -> String {
        let k = self.integer(failing as u64);
        match (examined, key) {
            (Some(n), Some(key)) => self
                .examined_of_noun
                .pick(n)
                .replace("{k}", &k)
                .replace("{n}", &self.integer(n as u64))
                .replace("{noun}", &self.key_word(key, n != 1)),
            (Some(n), None) => self
                .examined_of
                .pick(n)
                .replace("{k}", &k)
                .replace("{n}", &self.integer(n as u64)),
            (None, Some(key)) => self
                .failing
                .pick(failing)
                .replace("{n}", &k)
                .replace("{noun}", &self.key_word(key, failing != 1)),
            (None, None) => k,
        }
    }

    /// The line that sums up a grouped finding's items: how many fail, of how many examined,
    /// and their names when every item has readable keys — "3 of 30 workers examined: W1, W4,
    /// W9", "2 av 3 granskade arbetstagare: W3, W2"; a finding whose items were not examined
    /// one by one (a list of names) only counts them: "1 site: MY-PKG-02". The text and the
    /// printable report both print this line. Names come from the evidence: clean or escape
    /// the line where it is printed.
    ///
    /// ```
    /// use conduct::report::{catalogue::Catalogue, Item, Keys, Violation};
    ///
    /// let item = |worker: &str| {
    ///     let mut keys = Keys::new();
    ///     keys.insert("worker_ref".into(), worker.into());
    ///     serde_json::from_value::<Item>(serde_json::json!({
    ///         "keys": keys, "path": "", "actual": null, "expected": "", "severity": "major",
    ///         "message": ""
    ///     })).unwrap()
    /// };
    /// let mut v: Violation = serde_json::from_value(serde_json::json!({
    ///     "clause": "c", "id": "c/r", "requirement": "r", "subject": {}, "severity": "major",
    ///     "message": "", "path": "", "actual": null, "expected": "",
    ///     "rule": {"file": "a.conduct", "line": 1, "column": 1}
    /// })).unwrap();
    /// v.items = vec![item("W3"), item("W2")];
    /// v.examined = Some(3);
    /// let sv = Catalogue::for_language("sv");
    /// assert_eq!(sv.grouped_items(&v), "2 av 3 granskade arbetstagare: W3, W2");
    /// v.examined = None;
    /// assert_eq!(sv.grouped_items(&v), "2 arbetstagare: W3, W2");
    /// ```
    #[must_use]
    pub fn grouped_items(&self, v: &super::Violation) -> String {
        let key = v
            .items
            .first()
            .and_then(|item| item.keys.keys().next())
            .filter(|_| {
                v.items
                    .iter()
                    .all(|item| self.item_name(&item.keys).is_some())
            })
            .map(String::as_str);
        let count = self.examined(v.items.len(), v.examined, key);
        let names: Vec<String> = v
            .items
            .iter()
            .filter_map(|item| self.item_name(&item.keys))
            .collect();
        if key.is_some() && !names.is_empty() {
            format!("{count}: {}", names.join(", "))
        } else {
            count
        }
    }

    /// The end of a list cut short: "… and 4 more", "… och 4 till".
    #[must_use]
    pub fn and_more(&self, n: usize) -> String {
        self.and_more.replace("{n}", &self.integer(n as u64))
    }

    /// What a report found, in words: "4 major deviations and 3 minor deviations; insufficient
    /// evidence for 6 requirements" (the findings by severity, or none; the clauses lacking
    /// evidence; those in error).
    #[must_use]
    pub fn summary(&self, s: &super::Summary) -> String {
        let by = &s.by_severity;
        let counts: Vec<String> = [
            (Severity::Critical, by.critical),
            (Severity::Major, by.major),
            (Severity::Minor, by.minor),
        ]
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(severity, n)| self.severity_count(severity, n))
        .collect();
        let mut parts = vec![if counts.is_empty() {
            self.no_deviations.to_string()
        } else {
            self.list(&counts)
        }];
        if s.insufficient_evidence > 0 {
            parts.push(self.insufficient_count(s.insufficient_evidence));
        }
        if s.error > 0 {
            parts.push(self.error_count(s.error));
        }
        parts.join("; ")
    }

    /// "insufficient evidence for 6 requirements".
    #[must_use]
    pub fn insufficient_count(&self, n: usize) -> String {
        self.insufficient_count
            .pick(n)
            .replace("{n}", &self.integer(n as u64))
    }

    /// "2 requirements could not be evaluated".
    #[must_use]
    pub fn error_count(&self, n: usize) -> String {
        self.error_count
            .pick(n)
            .replace("{n}", &self.integer(n as u64))
    }

    /// The examined scope: "26 requirements were not examined in this follow-up", "26 krav
    /// granskades inte i denna uppföljning".
    #[must_use]
    pub fn not_examined_count(&self, n: usize) -> String {
        self.not_examined_count
            .pick(n)
            .replace("{n}", &self.integer(n as u64))
    }

    /// How many of the pack's requirements this follow-up examined: "13 of 39 requirements
    /// were examined in this follow-up", "13 av 39 krav granskades i denna uppföljning".
    ///
    /// ```
    /// use conduct::report::catalogue::Catalogue;
    ///
    /// let sv = Catalogue::for_language("sv");
    /// assert_eq!(sv.examined_count(39, 39), "39 av 39 krav granskades i denna uppföljning");
    /// ```
    #[must_use]
    pub fn examined_count(&self, examined: usize, total: usize) -> String {
        self.examined_count
            .pick(total)
            .replace("{k}", &self.integer(examined as u64))
            .replace("{n}", &self.integer(total as u64))
    }

    /// A list in words: "a, b and c", "a, b och c".
    #[must_use]
    pub fn list(&self, parts: &[String]) -> String {
        match parts {
            [] => String::new(),
            [only] => only.clone(),
            [init @ .., last] => format!("{} {} {last}", init.join(", "), self.and),
        }
    }

    /// A whole number with this language's thousands separator: "1,100", "1 100" (a no-break
    /// space, [`NBSP`]), from four digits on.
    ///
    /// ```
    /// use conduct::report::catalogue::Catalogue;
    ///
    /// assert_eq!(Catalogue::for_language("en").integer(1_234_567), "1,234,567");
    /// assert_eq!(Catalogue::for_language("sv").integer(999), "999");
    /// ```
    #[must_use]
    pub fn integer(&self, n: u64) -> String {
        self.group(&n.to_string())
    }

    /// Digits grouped by three from the right.
    fn group(&self, digits: &str) -> String {
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 2);
        self.group_into(&mut out, digits);
        out
    }

    /// Appends digits grouped by three from the right.
    fn group_into(&self, out: &mut String, digits: &str) {
        let count = digits.chars().count();
        if count <= 3 {
            out.push_str(digits);
            return;
        }
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (count - i).is_multiple_of(3) {
                out.push(self.thousands);
            }
            out.push(c);
        }
    }

    /// A decimal number given as text (as JSON writes it: `-1234.5`) in this language's form:
    /// "-1,234.5" in English, "-1 234,5" in Swedish. Trailing zeros of the fraction are
    /// dropped. A text that is not a plain decimal (an exponent, a word) comes back unchanged.
    ///
    /// ```
    /// use conduct::report::catalogue::Catalogue;
    ///
    /// assert_eq!(Catalogue::for_language("sv").decimal("61.5"), "61,5");
    /// assert_eq!(Catalogue::for_language("sv").decimal("-1100.25"), "-1\u{a0}100,25");
    /// assert_eq!(Catalogue::for_language("en").decimal("1e21"), "1e21");
    /// ```
    #[must_use]
    pub fn decimal(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 4);
        self.decimal_into(&mut out, text);
        out
    }

    /// Appends [`Catalogue::decimal`] of `text` to `out`.
    pub(crate) fn decimal_into(&self, out: &mut String, text: &str) {
        let Some((negative, whole, fraction)) = split_decimal(text) else {
            out.push_str(text);
            return;
        };
        if negative {
            out.push('-');
        }
        self.group_into(out, whole);
        if !fraction.is_empty() {
            out.push(self.decimal_point);
            out.push_str(fraction);
        }
    }

    /// A fraction given as decimal text, as a percentage: `0.22` → "22%", "22 %" (with a
    /// no-break space); `0.075` → "7.5%", "7,5 %". Exact: the decimal point moves, nothing is
    /// rounded. A text that is not a plain decimal comes back unchanged.
    ///
    /// ```
    /// use conduct::report::catalogue::Catalogue;
    ///
    /// assert_eq!(Catalogue::for_language("en").percent("0.22"), "22%");
    /// assert_eq!(Catalogue::for_language("sv").percent("0.075"), "7,5\u{a0}%");
    /// ```
    #[must_use]
    pub fn percent(&self, fraction: &str) -> String {
        let Some((negative, whole, decimals)) = split_decimal(fraction) else {
            return fraction.to_string();
        };
        // Move the decimal point two places to the right.
        let mut digits = String::from(whole);
        let mut rest = decimals.chars();
        for _ in 0..2 {
            digits.push(rest.next().unwrap_or('0'));
        }
        let rest: String = rest.collect();
        let digits = digits.trim_start_matches('0');
        let digits = if digits.is_empty() { "0" } else { digits };
        let mut text = String::new();
        if negative && (digits != "0" || !rest.is_empty()) {
            text.push('-');
        }
        text.push_str(digits);
        if !rest.is_empty() {
            text.push('.');
            text.push_str(&rest);
        }
        format!("{}{}", self.decimal(&text), self.percent_sign)
    }

    /// A date: ISO 8601 in both languages ("2024-11-30"), as Swedish writes dates and as
    /// English procurement letters read without ambiguity.
    #[must_use]
    pub fn date(&self, date: Date) -> String {
        date.to_string()
    }

    /// A duration in words, its number in this language's form: "14 days", "14 dagar",
    /// "2 år" (months divisible by twelve are years, as the rule language writes them).
    pub(crate) fn duration(&self, duration: Duration) -> String {
        let [days, months, years] = &self.durations;
        let (n, counted) = match duration {
            Duration::Days(n) => (n, days),
            Duration::Months(n) if n != 0 && n % 12 == 0 => (n / 12, years),
            Duration::Months(n) => (n, months),
        };
        let digits = self.integer(n.unsigned_abs());
        let number = if n < 0 { format!("-{digits}") } else { digits };
        counted
            .pick(usize::try_from(n.unsigned_abs()).unwrap_or(usize::MAX))
            .replace("{n}", &number)
    }

    /// The due-date phrase: "by 2024-11-30", "senast 2024-11-30".
    #[must_use]
    pub fn due(&self, date: Date) -> String {
        format!("{} {}", self.due_before, self.date(date))
    }
}

/// `(negative, whole digits, fraction digits)` of a plain decimal (`-12.50`); `None` for
/// anything else. Trailing zeros of the fraction are dropped.
fn split_decimal(text: &str) -> Option<(bool, &str, &str)> {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) {
        return None;
    }
    Some((negative, whole, fraction.trim_end_matches('0')))
}

/// The keys whose values name something to a reader: not digests, not `null`.
fn readable_keys(keys: &Keys) -> impl Iterator<Item = (&str, &serde_json::Value)> {
    keys.iter()
        .filter(|(_, v)| !v.is_null() && !v.as_str().is_some_and(|s| s.starts_with("sha256:")))
        .map(|(k, v)| (k.as_str(), v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_by_three() {
        let (en, sv) = (Catalogue::for_language("en"), Catalogue::for_language("sv"));
        assert_eq!(en.integer(0), "0");
        assert_eq!(en.integer(100), "100");
        assert_eq!(en.integer(1100), "1,100");
        assert_eq!(en.integer(100_000), "100,000");
        assert_eq!(sv.integer(1100), "1\u{a0}100");
        assert_eq!(sv.integer(30), "30");
        assert_eq!(sv.integer(1_000_000), "1\u{a0}000\u{a0}000");
    }

    #[test]
    fn decimals_take_the_language_separator_and_drop_trailing_zeros() {
        let (en, sv) = (Catalogue::for_language("en"), Catalogue::for_language("sv"));
        assert_eq!(en.decimal("61.5"), "61.5");
        assert_eq!(sv.decimal("61.50"), "61,5");
        assert_eq!(sv.decimal("60.0"), "60");
        assert_eq!(sv.decimal("1100"), "1\u{a0}100");
        assert_eq!(en.decimal("-2500.75"), "-2,500.75");
        assert_eq!(sv.decimal("0.07"), "0,07");
        for odd in ["", "-", ".5", "1.2.3", "1e5", "abc", "12a"] {
            assert_eq!(sv.decimal(odd), odd, "{odd:?} is not a plain decimal");
        }
    }

    #[test]
    fn percentages_move_the_point_exactly() {
        let (en, sv) = (Catalogue::for_language("en"), Catalogue::for_language("sv"));
        assert_eq!(en.percent("0.22"), "22%");
        assert_eq!(sv.percent("0.22"), "22\u{a0}%");
        assert_eq!(sv.percent("0.07"), "7\u{a0}%");
        assert_eq!(sv.percent("0.075"), "7,5\u{a0}%");
        assert_eq!(en.percent("1"), "100%");
        assert_eq!(en.percent("12"), "1,200%");
        assert_eq!(en.percent("0"), "0%");
        assert_eq!(en.percent("-0.5"), "-50%");
        assert_eq!(en.percent("0.333333"), "33.3333%");
        assert_eq!(en.percent("n/a"), "n/a");
    }

    #[test]
    fn dates_are_iso_in_every_language() {
        let date = Date::from_ymd(2024, 11, 30).unwrap();
        assert_eq!(Catalogue::for_language("sv").date(date), "2024-11-30");
        assert_eq!(Catalogue::for_language("en").due(date), "by 2024-11-30");
        assert_eq!(Catalogue::for_language("sv").due(date), "senast 2024-11-30");
    }

    #[test]
    fn durations_are_counted_in_words() {
        let (en, sv) = (Catalogue::for_language("en"), Catalogue::for_language("sv"));
        assert_eq!(sv.duration(Duration::Days(14)), "14 dagar");
        assert_eq!(sv.duration(Duration::Days(1)), "1 dag");
        assert_eq!(sv.duration(Duration::Months(24)), "2 år");
        assert_eq!(sv.duration(Duration::Months(1)), "1 månad");
        assert_eq!(en.duration(Duration::Days(-1100)), "-1,100 days");
        assert_eq!(en.duration(Duration::Months(12)), "1 year");
        assert_eq!(en.duration(Duration::Months(0)), "0 months");
    }

    #[test]
    fn severities_are_counted_in_words() {
        let sv = Catalogue::for_language("sv");
        assert_eq!(sv.severity(Severity::Major), "större avvikelse");
        assert_eq!(sv.severity(Severity::Minor), "mindre avvikelse");
        assert_eq!(
            sv.severity_count(Severity::Critical, 1),
            "1 allvarlig avvikelse"
        );
        assert_eq!(
            sv.severity_count(Severity::Critical, 2),
            "2 allvarliga avvikelser"
        );
        let en = Catalogue::for_language("en");
        assert_eq!(en.severity_count(Severity::Minor, 1), "1 minor deviation");
        assert_eq!(en.severity_heading(Severity::Major), "Major deviations");
    }

    #[test]
    fn counted_phrases_agree_with_their_number() {
        let (en, sv) = (Catalogue::for_language("en"), Catalogue::for_language("sv"));
        assert_eq!(
            en.not_examined_count(1),
            "1 requirement was not examined in this follow-up"
        );
        assert_eq!(
            sv.not_examined_count(26),
            "26 krav granskades inte i denna uppföljning"
        );
        assert_eq!(
            en.examined(3, Some(30), Some("worker_ref")),
            "3 of 30 workers examined"
        );
        assert_eq!(
            sv.examined(1, Some(1), Some("site_id")),
            "1 av 1 granskad anläggning"
        );
        assert_eq!(sv.examined(2, None, Some("site_id")), "2 anläggningar");
        assert_eq!(sv.and_more(25), "… och 25 till");
        assert_eq!(en.list(&["a".into(), "b".into(), "c".into()]), "a, b and c");
        assert_eq!(sv.list(&["a".into(), "b".into()]), "a och b");
    }

    #[test]
    fn every_catalogue_has_every_known_key() {
        for catalogue in ALL {
            let keys: Vec<&str> = catalogue.keys.iter().map(|k| k.key).collect();
            let english: Vec<&str> = EN.keys.iter().map(|k| k.key).collect();
            assert_eq!(keys, english, "{}", catalogue.language);
        }
    }

    #[test]
    fn subjects_leave_out_digests_and_read_numbers_in_the_language() {
        let sv = Catalogue::for_language("sv");
        // Inserted in order: `json!` sorts its keys unless serde_json's `preserve_order` is on.
        let mut keys = Keys::new();
        keys.insert("site_id".into(), "MY-KLG-01".into());
        keys.insert("worker_ref".into(), "W4".into());
        keys.insert("line".into(), 1200.into());
        assert_eq!(
            sv.subject(&keys).as_deref(),
            Some("anläggning MY-KLG-01, arbetstagare W4, line 1\u{a0}200")
        );
        assert_eq!(
            sv.item_name(&keys).as_deref(),
            Some("MY-KLG-01 (W4, 1\u{a0}200)")
        );
        let hashed: Keys =
            serde_json::from_value(serde_json::json!({"item": "sha256:00"})).unwrap();
        assert_eq!(sv.subject(&hashed), None);
        assert_eq!(sv.item_name(&hashed), None);
    }
}
