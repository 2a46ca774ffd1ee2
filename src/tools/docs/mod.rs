//! Documents derived from a compiled pack, for rule authors and procurement officers: the
//! evidence each clause reads (a checklist to send a supplier) and a reference of the pack
//! (clauses, parameters and tables with their sources) as Markdown or one
//! self-contained HTML page.
//!
//! # How the evidence fields are found
//!
//! [`requirements`] walks the compiled program of each clause. A field is an evidence path
//! written as a JSON-Pointer-like pattern, `*` standing for every item of a list (e.g.
//! `/sites/*/workers/*/date_of_birth`). Paths read through a local (`for each`, an aggregate's
//! binding, a `let`) are resolved through the binding's collection plus `*`, or through the
//! `let`'s value; a local whose origin is not an evidence path is skipped. Pack-level
//! definitions and functions the clause uses are followed.
//!
//! A field is **required** when it is read where a decision is made: a requirement's
//! condition, a `for each` collection or `where` filter, `applies when`, or an
//! `insufficient unless` guard. It is **supporting** when it is read only on the left of `??`
//! (the rule has a fallback), inside `exists(...)` or `known(...)`, in severity cases,
//! messages, remediation texts and deadlines, or `remedied when`. A `let` counts where it is
//! used, not where it is written (an unused `let` reads nothing). Fields read by the pack's
//! header (`as_of from`, `subject`) are not listed per clause.
//!
//! The rooms: `reads` finds what each clause reads; `questions` writes it as a questionnaire
//! for the supplier (plain language from the declaration's field descriptions); `checklist`
//! writes it as a checklist of pointers (Markdown or `conduct-requirements/1` JSON); `reference` collects the pack reference and
//! writes it as Markdown, `html` as one page; `text` holds the words both share.

mod checklist;
mod html;
mod questions;
mod reads;
mod reference;
mod text;

pub use checklist::{
    ClauseChecklist, RequirementsDocument, requirements_document, requirements_json,
    requirements_markdown,
};
pub use html::reference_html;
pub use questions::requirements_questions;
pub use reads::{Alternative, ClauseRequirements, FieldRequirement, Need, requirements};
pub use reference::reference_markdown;

use crate::pack::RulePack;

/// `did you mean …?` for a clause id the pack does not have, when one is close.
///
/// ```
/// # let pack = conduct::RulePack::load("rules/regions")?;
/// let help = conduct::tools::docs::suggest_clause(&pack, "child_labour.minimum_ag");
/// assert_eq!(help.as_deref(), Some("did you mean `child_labour.minimum_age`?"));
/// # Ok::<(), conduct::Error>(())
/// ```
#[must_use]
pub fn suggest_clause(pack: &RulePack, id: &str) -> Option<String> {
    crate::diagnostic::did_you_mean(id, pack.clause_ids())
}
