//! The words for stored texts: a program and the report it produced → the words, in the
//! report's language, for the enumerated texts the report's keys hold
//! ([`Report::value_words`]); and a report → a copy for people to read, its keys in words
//! ([`Report::worded`]).
//!
//! A pack gives the words with tables: its table `value_words` names, for each key, the
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

/// Words by key, then by stored text.
pub(crate) type ValueWords = IndexMap<String, IndexMap<String, String>>;

/// The words for the texts `report`'s keys hold, as `word(key, text)` gives them (the pack's
/// tables in the report's language: `Program::value_word`), leaving out a word that is the
/// text itself.
pub(crate) fn value_words(
    report: &Report,
    word: impl Fn(&str, &str) -> Option<String>,
) -> ValueWords {
    let mut out = ValueWords::new();
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]

    use crate::{Options, RulePack};

    const PACK: &str = r#"pack p title en "P" sv "P" languages en, sv subject category from contract.category
evidence { contract: { category: string }, sites: [{ key site_id: string, deductions: [{ key type: "ppe" | "tools" | "fine", amount: number }] }] }
table kind_en: string source "the schema" { ppe: "protective equipment", tools: "tools" }
table kind_sv: string source en "the schema" sv "schemat" { ppe: "skyddsutrustning", tools: "verktyg" }
table category_sv: string source "x" { gloves: "handskar" }
table value_words: string source "x" { type: "kind", category: "category" }
clause wages.deductions
  title en "Deductions" sv "Avdrag"
  for each s in sites, d in s.deductions:
    require d.amount == 0
      message en "deducted {d.amount}" sv "drog av {d.amount}"
  end
"#;

    #[test]
    fn key_texts_read_in_the_language_and_stay_data() {
        let pack = RulePack::builder().file("p.conduct", PACK).build().unwrap();
        assert!(pack.warnings().is_empty(), "{:?}", pack.warnings());
        let evidence = serde_json::json!({
            "contract": {"category": "gloves"},
            "sites": [{"site_id": "S1", "deductions": [
                {"type": "ppe", "amount": 5}, {"type": "fine", "amount": 2}
            ]}]
        });
        let sv = pack.evaluate(&evidence, &Options::default().language("sv"));
        assert_eq!(sv.value_words["type"]["ppe"], "skyddsutrustning");
        assert!(
            !sv.value_words["type"].contains_key("fine"),
            "no word: shown as written"
        );
        assert_eq!(sv.value_words["category"]["gloves"], "handskar");
        let v = &sv.outcomes[0].violations[0];
        assert_eq!(
            v.items[0].keys["type"], "ppe",
            "the report keeps the stored text"
        );
        let worded = sv.worded();
        let w = &worded.outcomes[0].violations[0];
        assert_eq!(w.items[0].keys["type"], "skyddsutrustning");
        assert_eq!(w.items[1].keys["type"], "fine");
        assert_eq!(w.id, v.id, "ids do not change");
        assert_eq!(worded.subject["category"], "handskar");
        // English: `tools` reads as itself (left out), `category` has no English table.
        let en = pack.evaluate(&evidence, &Options::default().language("en"));
        assert_eq!(en.value_words["type"]["ppe"], "protective equipment");
        assert!(!en.value_words.contains_key("category"));
    }
}
