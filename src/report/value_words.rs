//! The words for stored texts: a program and the report it produced → the words, in the
//! report's language, for the enumerated texts the report's keys hold
//! ([`Report::value_words`]); and a report → a copy for people to read, its keys in words
//! ([`Report::worded`]).
//!
//! A pack gives the words with tables: its table [`VALUE_WORDS_TABLE`] names, for each key, the
//! tables (one per language, `NAME_en`, `NAME_sv`) that give its texts in words; several names,
//! separated by spaces, are tried in order. In the regions' pack:
//!
//! ```text
//! table value_words: string source "…" {
//!   type: "deduction_type",              # deduction_type_en, deduction_type_sv
//!   topic: "policy_topic clause_title",  # a policy's topics; a risk's clause ids
//! }
//! ```
//!
//! The keys keep the stored texts (ids, grouping and comparison use them); only renderings
//! show the words.

use indexmap::IndexMap;

use super::{Keys, Report};
use crate::program::{Const, Program};

/// The name of the pack table that names, for each key, the tables giving its texts in words.
pub(crate) const VALUE_WORDS_TABLE: &str = "value_words";

/// Words by key, then by stored text.
pub(crate) type ValueWords = IndexMap<String, IndexMap<String, String>>;

/// The words, in `report`'s language, for the texts its keys hold that `program`'s tables
/// word (see the module's documentation); empty when the pack has no [`VALUE_WORDS_TABLE`].
pub(crate) fn value_words(program: &Program, report: &Report) -> ValueWords {
    let mut out = ValueWords::new();
    let Some(links) = program.tables.iter().find(|t| t.name == VALUE_WORDS_TABLE) else {
        return out;
    };
    let word = |key: &str, text: &str| -> Option<String> {
        let Some(Const::Str(names)) = links.entries.get(key) else {
            return None;
        };
        names.split_whitespace().find_map(|name| {
            let table = format!("{name}_{}", report.language);
            let table = program.tables.iter().find(|t| t.name == table)?;
            match table.entries.get(text) {
                Some(Const::Str(word)) => Some(word.to_string()),
                _ => None,
            }
        })
    };
    for keys in all_keys(report) {
        for (key, value) in keys {
            let Some(text) = value.as_str() else {
                continue;
            };
            if out.get(key).is_some_and(|w| w.contains_key(text)) {
                continue;
            }
            if let Some(w) = word(key, text).filter(|w| w != text) {
                out.entry(key.clone())
                    .or_default()
                    .insert(text.to_string(), w);
            }
        }
    }
    out
}

/// Every set of keys a report holds: its subject, then per outcome its findings' subjects and
/// items' keys, its missing and invalid entries' subjects.
fn all_keys(report: &Report) -> impl Iterator<Item = &Keys> {
    std::iter::once(&report.subject).chain(report.outcomes.iter().flat_map(|o| {
        o.violations
            .iter()
            .flat_map(|v| std::iter::once(&v.subject).chain(v.items.iter().map(|i| &i.keys)))
            .chain(o.missing.iter().map(|m| &m.subject))
            .chain(o.invalid.iter().map(|i| &i.subject))
    }))
}

/// `keys` with the texts `words` has words for replaced by them.
fn in_words(keys: &mut Keys, words: &ValueWords) {
    for (key, value) in keys.iter_mut() {
        if let Some(word) = value
            .as_str()
            .and_then(|text| words.get(key).and_then(|w| w.get(text)))
        {
            *value = serde_json::Value::String(word.clone());
        }
    }
}

impl Report {
    /// A copy for people to read: the stored texts its keys hold (its subject's and its
    /// findings', items' and missing and invalid entries' subjects) replaced by their words in
    /// [`Report::value_words`]; ids, messages and everything else unchanged. The text and HTML
    /// renderings show this copy.
    ///
    /// ```
    /// # let pack = conduct::RulePack::load("rules/regions")?;
    /// let evidence = conduct::pack::evidence::read(std::fs::File::open("examples/example-evidence.json")?)?;
    /// let report = pack.evaluate(evidence.value(), &conduct::Options::default().language("sv"));
    /// assert_eq!(report.subject["category"], "gloves"); // the data as the buyer wrote it
    /// assert_eq!(report.worded().subject["category"], "handskar"); // for people, in words
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn worded(&self) -> Report {
        let mut out = self.clone();
        if self.value_words.is_empty() {
            return out;
        }
        let words = &self.value_words;
        in_words(&mut out.subject, words);
        for outcome in &mut out.outcomes {
            for v in &mut outcome.violations {
                in_words(&mut v.subject, words);
                for item in &mut v.items {
                    in_words(&mut item.keys, words);
                }
            }
            for m in &mut outcome.missing {
                in_words(&mut m.subject, words);
            }
            for i in &mut outcome.invalid {
                in_words(&mut i.subject, words);
            }
        }
        out
    }
}
