//! `conduct diff`: two stored reports about one supplier in (an earlier one and a follow-up),
//! how each finding changed out — as text for people (English or Swedish), the comparison as
//! JSON (`conduct-diff/1`, `schemas/diff.schema.json`) or one CSV row per finding.
//!
//! The words of the text come from `report::catalogue` (its `comparison` words).

use std::io::Read;
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use conduct::Report;
use conduct::report::catalogue::Catalogue;
use conduct::report::compare::{Class, Comparison, FindingChange};
use conduct::report::text::clean;
use conduct::report::{Severity, Status};

use crate::common::{
    ErrorFormat, Exit, Failure, finish, input_name, is_stdin, neutralised, pretty_json, push_line,
    write_document,
};

const EXAMPLES: &str = "\
Examples:
  conduct check rules/regions evidence-2024.json --format json > 2024.json
  conduct check rules/regions evidence-2025.json --format json > 2025.json
  conduct diff 2024.json 2025.json
  conduct diff 2024.json 2025.json --lang sv
  conduct diff 2024.json 2025.json --format csv -o follow-up.csv

Each finding is new, persisting (with the earlier due date carried forward, overdue once it has
passed), escalated, de-escalated, unconfirmed (gone, but its clause could not be judged in the
newer report: not shown to be fixed), resolved or remediated.

Exit codes: 0 nothing is new, overdue or escalated, 1 something is, 3 a report cannot be read,
the reports are about different suppliers, the output cannot be written, or the command line is
wrong.";

// The command's help (`about`) is the doc comment of its `Command` variant.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct DiffArgs {
    /// The earlier report: JSON as `conduct check --format json` writes it (`-` for standard
    /// input).
    earlier: PathBuf,

    /// The newer report, about the same supplier.
    newer: PathBuf,

    /// Output format: text for people, the comparison as JSON, or one CSV row per finding.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    format: DiffFormat,

    /// Language of the text's words: `en` or `sv` (the newer report's language when it is one
    /// of these, else `en`). Titles and messages stay in the reports' language.
    #[arg(long, value_name = "LANG")]
    lang: Option<String>,

    /// Write to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum DiffFormat {
    Text,
    Json,
    Csv,
}

/// `conduct diff`: two reports compared.
pub fn run(args: &DiffArgs) -> Exit {
    finish(diff(args), ErrorFormat::Text)
}

fn diff(args: &DiffArgs) -> Result<Exit, Failure> {
    let words = match args.lang.as_deref() {
        None => None,
        Some(lang) => Some(catalogue_of(lang).ok_or_else(|| {
            let known: Vec<String> = Catalogue::languages()
                .iter()
                .map(|l| format!("`{l}`"))
                .collect();
            Failure::Error(format!(
                "`conduct diff` has no words for the language `{}`; expected {}",
                clean(lang),
                known.join(" or ")
            ))
        })?),
    };
    if is_stdin(&args.earlier) && is_stdin(&args.newer) {
        return Err(Failure::Error(
            "only one of the reports can be read from standard input".to_string(),
        ));
    }
    let earlier = read_report(&args.earlier)?;
    let newer = read_report(&args.newer)?;
    let comparison = newer.compare(&earlier).map_err(|e| {
        Failure::Error(clean(&format!(
            "{} and {}: {e}",
            input_name(&args.earlier),
            input_name(&args.newer)
        )))
    })?;
    let words = words.unwrap_or_else(|| Catalogue::for_language(&comparison.newer.language));
    let text = match args.format {
        DiffFormat::Text => render_text(&comparison, words),
        DiffFormat::Json => pretty_json(&comparison, "the comparison")?,
        DiffFormat::Csv => {
            for warning in &comparison.warnings {
                crate::common::warn_line(&format!("warning: {}", clean(&warning.to_string())));
            }
            render_csv(&comparison)?
        }
    };
    write_document(&text, args.output.as_deref())?;
    Ok(if comparison.worsened() {
        Exit::Worsened
    } else {
        Exit::Done
    })
}

/// Reads a stored report: one JSON report, or the one-report array `conduct check --format
/// json` writes.
fn read_report(path: &Path) -> Result<Report, Failure> {
    let name = input_name(path);
    let mut text = String::new();
    let read = if is_stdin(path) {
        std::io::stdin()
            .lock()
            .read_to_string(&mut text)
            .map(|_| ())
    } else {
        std::fs::read_to_string(path).map(|t| text = t)
    };
    read.map_err(|e| Failure::Error(format!("cannot read {name}: {e}")))?;
    let not_a_report = |e: &dyn std::fmt::Display| Failure::Error(clean(&format!("{name}: {e}")));
    if let Ok(serde_json::Value::Array(list)) = serde_json::from_str(&text) {
        return match list.as_slice() {
            [one] => {
                let one = serde_json::to_string(one).map_err(|e| not_a_report(&e))?;
                Report::from_json(&one).map_err(|e| not_a_report(&e))
            }
            _ => Err(Failure::Error(format!(
                "{name}: holds {} reports; `conduct diff` compares one report with one",
                list.len()
            ))),
        };
    }
    Report::from_json(&text).map_err(|e| not_a_report(&e))
}

// ---------------------------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------------------------

/// The catalogue of a language `--lang` names, `None` when the library has no words for it.
fn catalogue_of(lang: &str) -> Option<&'static Catalogue> {
    let catalogue = Catalogue::for_language(lang);
    let base = lang.split(['-', '_']).next().unwrap_or(lang);
    base.eq_ignore_ascii_case(catalogue.language)
        .then_some(catalogue)
}

/// A clause's status in a report, or that the report's pack lacks the clause.
fn status(w: &Catalogue, status: Option<Status>) -> &'static str {
    status.map_or(w.comparison.absent, |s| w.status(s))
}

/// The first letter in upper case.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The comparison as text: a header naming the supplier and the two reports, the warnings,
/// the counts, one block per class (worst first) with one line per finding, and the clauses
/// whose status changed.
fn render_text(c: &Comparison, w: &Catalogue) -> String {
    let cw = &w.comparison;
    let mut out = String::new();
    let supplier: Vec<String> = c
        .newer
        .subject
        .values()
        .filter(|v| !v.is_null())
        .map(|v| clean(&w.value(v)))
        .collect();
    let mut header = "conduct diff".to_string();
    for part in &supplier {
        header.push_str(" · ");
        header.push_str(part);
    }
    push_line(&mut out, &header);
    for (label, info) in [(cw.earlier, &c.earlier), (cw.newer, &c.newer)] {
        let mut line = format!("{label}:");
        if let Some(date) = info.as_of {
            line.push_str(&format!(" {} {} ·", cw.as_of, w.date(date)));
        }
        let edition = info
            .pack
            .edition
            .as_deref()
            .map(|e| format!(" {}", clean(e)))
            .unwrap_or_default();
        // The digests are in the JSON form, and a warning says when they differ: the text
        // names the pack as people know it.
        line.push_str(&format!(" {} {}{edition}", w.pack, clean(&info.pack.name)));
        push_line(&mut out, &line);
    }
    for warning in &c.warnings {
        push_line(
            &mut out,
            &clean(&format!("{}: {}", cw.warning, cw.warning(warning))),
        );
    }
    let mut counts: Vec<String> = Class::ALL
        .iter()
        .filter(|class| c.summary.of(**class) > 0)
        .map(|class| {
            format!(
                "{} {}",
                cw.class(*class),
                w.integer(c.summary.of(*class) as u64)
            )
        })
        .collect();
    if c.summary.overdue > 0 {
        counts.push(format!(
            "{} {}",
            cw.overdue.to_lowercase(),
            w.integer(c.summary.overdue as u64)
        ));
    }
    if counts.is_empty() {
        push_line(&mut out, cw.no_findings);
    } else {
        push_line(&mut out, &format!("{}: {}", cw.summary, counts.join(" · ")));
    }
    for class in Class::ALL {
        let group: Vec<&FindingChange> = c.findings.iter().filter(|f| f.class == *class).collect();
        if group.is_empty() {
            continue;
        }
        out.push('\n');
        push_line(
            &mut out,
            &format!(
                "{} ({})",
                capitalized(cw.class(*class)),
                w.integer(group.len() as u64)
            ),
        );
        if *class == Class::Unconfirmed {
            push_line(&mut out, &format!("  ({})", cw.unconfirmed_note));
        }
        for f in group {
            push_line(&mut out, &format!("  {}", finding_line(f, w)));
        }
    }
    if !c.outcomes.is_empty() {
        out.push('\n');
        push_line(&mut out, cw.outcomes);
        for o in &c.outcomes {
            push_line(
                &mut out,
                &format!(
                    "  {}: {} → {}",
                    clean(&o.title),
                    status(w, o.before),
                    status(w, o.after)
                ),
            );
        }
    }
    out
}

/// `persisting · major · Weekly working hours · site MY-KLG-01 · message · due 2024-12-31 ·
/// OVERDUE`.
fn finding_line(f: &FindingChange, w: &Catalogue) -> String {
    let cw = &w.comparison;
    let severity = match (f.before, f.after) {
        (Some(b), Some(a)) if a != b => format!("{} → {}", w.severity(b), w.severity(a)),
        _ => f
            .severity()
            .map(|s| w.severity(s))
            .unwrap_or_default()
            .to_string(),
    };
    let mut parts = vec![cw.class(f.class).to_string(), severity, clean(&f.title)];
    if let Some(subject) = w.subject(&f.subject) {
        parts.push(clean(&subject));
    }
    parts.push(clean(&f.message));
    // A resolved or remediated finding's due date is history: only the JSON and CSV keep it.
    if let Some(due) = f
        .due
        .filter(|_| !matches!(f.class, Class::Resolved | Class::Remediated))
    {
        parts.push(w.due(due));
    }
    if f.overdue {
        parts.push(cw.overdue.to_string());
    }
    parts.retain(|p| !p.is_empty());
    parts.join(" · ")
}

// ---------------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------------

const CSV_HEADER: [&str; 11] = [
    "class",
    "clause",
    "title",
    "requirement",
    "id",
    "subject",
    "severity_before",
    "severity_after",
    "due",
    "overdue",
    "message",
];

/// One row per finding, with the names of the JSON form (`persisting`, `major`).
fn render_csv(c: &Comparison) -> Result<String, Failure> {
    let failed = |e: &dyn std::fmt::Display| Failure::Error(format!("cannot write the CSV: {e}"));
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(CSV_HEADER).map_err(|e| failed(&e))?;
    for f in &c.findings {
        let subject = f
            .subject
            .iter()
            .map(|(k, v)| match v {
                serde_json::Value::String(s) => format!("{k}={s}"),
                other => format!("{k}={other}"),
            })
            .collect::<Vec<_>>()
            .join("; ");
        let severity = |s: Option<Severity>| s.map(Severity::as_str).unwrap_or_default();
        let row = [
            f.class.as_str().to_string(),
            f.clause.clone(),
            f.title.clone(),
            f.requirement.clone(),
            f.id.clone(),
            subject,
            severity(f.before).to_string(),
            severity(f.after).to_string(),
            f.due.map(|d| d.to_string()).unwrap_or_default(),
            f.overdue.to_string(),
            f.message.clone(),
        ];
        writer
            .write_record(row.iter().map(|cell| neutralised(cell)))
            .map_err(|e| failed(&e))?;
    }
    let bytes = writer.into_inner().map_err(|e| failed(&e))?;
    String::from_utf8(bytes).map_err(|e| failed(&e))
}

#[cfg(test)]
mod tests {
    use super::{capitalized, catalogue_of, neutralised};

    #[test]
    fn formulas_are_neutralised_and_other_cells_kept() {
        for cell in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralised(cell), format!("'{cell}"));
        }
        for cell in ["", "site MY-KLG-01", "1-2", "a=b"] {
            assert_eq!(neutralised(cell), cell);
        }
    }

    #[test]
    fn the_languages_of_the_catalogue_are_known_and_others_not() {
        assert_eq!(catalogue_of("sv").map(|c| c.language), Some("sv"));
        assert_eq!(catalogue_of("en").map(|c| c.language), Some("en"));
        assert!(catalogue_of("de").is_none());
        assert_eq!(capitalized("åtgärdad"), "Åtgärdad");
    }
}
