//! Docs, the questionnaire: [`ClauseRequirements`] and the evidence declaration's field
//! descriptions → per clause, in plain language, the questions a supplier answers (text, no JSON
//! Pointers). Fields the buyer or the auditor fills in (`filled by …`) are left out; where the
//! rules accept either of two sets of fields (`??`), the supplier is asked for one of them.
//!
//! A question is the field's description after a verb ("Give …" / "Ange …"); a field without a
//! description is named by its field name. Fields of list items are grouped under the lists
//! they belong to ("For each: production sites › wage records"). Each clause ends with the
//! documents to attach: the declared `document` of each field asked about (or of the field it
//! belongs to), each once.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::reads::ClauseRequirements;
use super::text::title;
use crate::pack::RulePack;
use crate::program::{FieldInfo, Program, Shape, ShapeId};
use crate::report::catalogue::Catalogue;

/// The words of the questionnaire in one language (English for a language without its own).
struct Words {
    heading: &'static str,
    intro: &'static str,
    give: &'static str,
    list: &'static str,
    for_each: &'static str,
    one_of: &'static str,
    or: &'static str,
    if_known: &'static str,
    nothing: &'static str,
}

const EN: Words = Words {
    heading: "Questions to the supplier",
    intro: "Answer each question for the requirement it is listed under. Where a list is asked \
            for, give every item. Questions under \"If known\" help to judge the deviation; \
            without the others the requirement cannot be judged.",
    give: "Give",
    list: "List",
    for_each: "For each",
    one_of: "Give one of",
    or: "or",
    if_known: "If known",
    nothing: "Nothing to answer: the buyer or the auditor provides this.",
};

const SV: Words = Words {
    heading: "Frågor till leverantören",
    intro: "Besvara varje fråga under det krav där den står. Där en förteckning efterfrågas, \
            ange varje post. Frågorna under \"Om känt\" hjälper till att bedöma avvikelsen; \
            utan de övriga kan kravet inte bedömas.",
    give: "Ange",
    list: "Förteckna",
    for_each: "För varje",
    one_of: "Ange ett av följande",
    or: "eller",
    if_known: "Om känt",
    nothing: "Inget att besvara: köparen eller revisorn lämnar underlaget.",
};

fn words(language: &str) -> &'static Words {
    if language == "sv" { &SV } else { &EN }
}

/// One evidence field as the declaration knows it.
struct Field<'p> {
    /// The field's name (the last segment).
    name: &'p str,
    info: Option<&'p FieldInfo>,
    /// Whether it holds a list (a question then asks to list the items).
    list: bool,
}

/// The declared field at a path pattern (`/sites/*/site_id`), if the declaration has it.
fn field<'p>(program: &'p Program, path: &'p str) -> Option<Field<'p>> {
    let mut shape = program.evidence_root?;
    let mut last = None;
    for seg in path.trim_start_matches('/').split('/') {
        match program.shapes.get(shape as usize)? {
            Shape::Object(fields) => {
                let id: ShapeId = *fields.get(seg)?;
                last = Some((seg, program.field_info.get(&(shape, seg.to_string()))));
                shape = id;
            }
            Shape::List(item) if seg == "*" => shape = *item,
            _ => return None,
        }
    }
    let (name, info) = last?;
    let list = matches!(program.shapes.get(shape as usize), Some(Shape::List(_)));
    Some(Field { name, info, list })
}

/// The field's description in `language` (else the pack's first, else its name).
fn describe(program: &Program, f: &Field<'_>, language: &str) -> String {
    let texts = f.info.map_or(&[][..], |i| i.descriptions.as_slice());
    texts
        .iter()
        .find(|(l, _)| l == language)
        .or_else(|| {
            let first = program.languages.first()?;
            texts.iter().find(|(l, _)| l == first)
        })
        .map_or_else(|| f.name.replace('_', " "), |(_, t)| t.clone())
}

/// The document that proves the field at a path pattern, in `language` (else the pack's
/// first): the innermost declared along the path.
fn document(program: &Program, path: &str, language: &str) -> Option<String> {
    let mut shape = program.evidence_root?;
    let mut found: Option<&[(String, String)]> = None;
    for seg in path.trim_start_matches('/').split('/') {
        match program.shapes.get(shape as usize)? {
            Shape::Object(fields) => {
                let id: ShapeId = *fields.get(seg)?;
                if let Some(info) = program.field_info.get(&(shape, seg.to_string()))
                    && !info.documents.is_empty()
                {
                    found = Some(&info.documents);
                }
                shape = id;
            }
            Shape::List(item) if seg == "*" => shape = *item,
            _ => break,
        }
    }
    let texts = found?;
    let first = program.languages.first();
    texts
        .iter()
        .find(|(l, _)| l == language)
        .or_else(|| texts.iter().find(|(l, _)| Some(l) == first))
        .or_else(|| texts.first())
        .map(|(_, t)| t.clone())
}

/// Whether the supplier fills the field in (no `filled by` on it or around it).
fn supplier_fills(program: &Program, path: &str) -> bool {
    field(program, path).is_none_or(|f| f.info.and_then(|i| i.filled_by).is_none())
}

/// `Give the date …`: the description with its first letter in lower case (unless it starts an
/// abbreviation), after the verb.
fn question(program: &Program, path: &str, language: &str) -> String {
    let w = words(language);
    let Some(f) = field(program, path) else {
        return format!("{} {}", w.give, path.rsplit('/').next().unwrap_or(path));
    };
    let text = describe(program, &f, language);
    let mut chars = text.chars();
    let lowered = match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if !b.is_uppercase() => {
            format!("{}{b}{}", a.to_lowercase(), chars.as_str())
        }
        _ => text.clone(),
    };
    let verb = if f.list { w.list } else { w.give };
    format!("{verb} {lowered}")
}

/// The lists a path's field belongs to (`/sites/*/wage_records/*/due_on` → `/sites`,
/// `/sites/*/wage_records`).
fn lists_of(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = path.get(at..).and_then(|p| p.find("/*")) {
        out.push(path.get(..at + i).unwrap_or_default().to_string());
        at += i + 2;
    }
    out
}

/// The group heading of the fields of list items: `For each: production sites › wage records`.
fn group_heading(program: &Program, lists: &[String], language: &str) -> String {
    let names: Vec<String> = lists
        .iter()
        .map(|l| {
            field(program, l).map_or_else(
                || l.rsplit('/').next().unwrap_or(l).to_string(),
                |f| describe(program, &f, language),
            )
        })
        .collect();
    format!("{}: {}", words(language).for_each, names.join(" › "))
}

/// The questions for some paths, grouped by the lists their fields belong to (fields of the
/// whole document first), as Markdown list items.
fn grouped(program: &Program, paths: &[&str], language: &str, out: &mut String) {
    let mut groups: BTreeMap<Vec<String>, Vec<String>> = BTreeMap::new();
    for p in paths {
        groups
            .entry(lists_of(p))
            .or_default()
            .push(question(program, p, language));
    }
    for (lists, questions) in groups {
        let indent = if lists.is_empty() {
            ""
        } else {
            let _ = writeln!(out, "- {}:", group_heading(program, &lists, language));
            "  "
        };
        for q in questions {
            let _ = writeln!(out, "{indent}- {q}");
        }
    }
}

/// The paths to ask the supplier about: those the supplier fills in, outside any "one of", and
/// a list or object only when none of its fields is asked about.
fn asked<'a>(program: &Program, c: &ClauseRequirements, paths: Vec<&'a str>) -> Vec<&'a str> {
    let in_alternative = |p: &str| {
        c.alternatives
            .iter()
            .any(|a| a.first.iter().chain(&a.otherwise).any(|x| x == p))
    };
    // An item of a list of texts or numbers (`…/nationalities/*`) is asked as the list.
    let mut kept: Vec<&str> = paths
        .into_iter()
        .map(|p| p.strip_suffix("/*").unwrap_or(p))
        .filter(|p| supplier_fills(program, p) && !in_alternative(p))
        .collect();
    kept.dedup();
    kept.iter()
        .copied()
        .filter(|p| {
            let inside = format!("{p}/");
            !kept.iter().any(|q| q.starts_with(&inside))
        })
        .collect()
}

/// The questionnaire: per clause (its title in the language) the questions a decision needs,
/// "one of" where either of two sets of fields will do, then the questions that only help
/// ("If known"), then the documents to attach; without the fields the buyer or the auditor fills in, and without JSON
/// Pointers.
///
/// ```
/// # let pack = conduct::RulePack::load("rules/regions")?;
/// use conduct::tools::docs::{requirements, requirements_questions};
/// let all = requirements(&pack);
/// let one: Vec<_> = all.into_iter().filter(|c| c.clause == "wages.payment_records").collect();
/// let text = requirements_questions(&pack, &one, "sv");
/// assert!(text.contains("- Ange datum då lönen betalades"));
/// assert!(!text.contains("/sites"));
/// # Ok::<(), conduct::Error>(())
/// ```
#[must_use]
pub fn requirements_questions<'a>(
    pack: &RulePack,
    clauses: &'a [ClauseRequirements],
    language: &str,
) -> String {
    let program = pack.program();
    let w = words(language);
    let infos = pack.clauses();
    let mut out = String::new();
    let _ = writeln!(out, "# {}: {}\n", w.heading, pack.title_in(language));
    let _ = writeln!(out, "{}\n", w.intro);
    for c in clauses {
        let t = infos
            .iter()
            .find(|i| i.id == c.clause)
            .map_or(c.clause.as_str(), |i| title(i, language));
        let _ = writeln!(out, "## {t}\n");
        let ask = |paths: Vec<&'a str>| asked(program, c, paths);
        let required = ask(c.required().collect());
        let supporting: Vec<&str> = ask(c.supporting().collect())
            .into_iter()
            .filter(|p| !required.iter().any(|r| r.starts_with(&format!("{p}/"))))
            .collect();
        let alternatives: Vec<_> = c
            .alternatives
            .iter()
            .filter(|a| {
                a.first.iter().any(|p| supplier_fills(program, p))
                    && a.otherwise.iter().any(|p| supplier_fills(program, p))
            })
            .collect();
        if required.is_empty() && supporting.is_empty() && alternatives.is_empty() {
            let _ = writeln!(out, "{}\n", w.nothing);
            continue;
        }
        grouped(program, &required, language, &mut out);
        for a in alternatives {
            let _ = writeln!(out, "- {}:", w.one_of);
            for (i, side) in [&a.first, &a.otherwise].into_iter().enumerate() {
                let paths: Vec<&str> = side
                    .iter()
                    .map(String::as_str)
                    .filter(|p| supplier_fills(program, p))
                    .collect();
                let mut qs: Vec<String> = Vec::new();
                for q in paths.iter().map(|p| question(program, p, language)) {
                    if !qs.contains(&q) {
                        qs.push(q);
                    }
                }
                let lead = if i == 0 { "" } else { w.or };
                let _ = writeln!(
                    out,
                    "  - {}{}{}",
                    lead,
                    if i == 0 { "" } else { ": " },
                    qs.join("; ")
                );
            }
        }
        if !supporting.is_empty() {
            let _ = writeln!(out, "\n{}:\n", w.if_known);
            grouped(program, &supporting, language, &mut out);
        }
        let mut documents: Vec<String> = Vec::new();
        let alternative_paths = c
            .alternatives
            .iter()
            .flat_map(|a| a.first.iter().chain(&a.otherwise))
            .map(String::as_str)
            .filter(|p| supplier_fills(program, p));
        for p in required
            .iter()
            .copied()
            .chain(alternative_paths)
            .chain(supporting.iter().copied())
        {
            if let Some(d) = document(program, p, language)
                && !documents.contains(&d)
            {
                documents.push(d);
            }
        }
        if !documents.is_empty() {
            let attach = Catalogue::for_language(language).docs.documents_to_attach;
            let _ = writeln!(out, "\n{attach}:\n");
            for d in documents {
                let _ = writeln!(out, "- {d}");
            }
        }
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}
