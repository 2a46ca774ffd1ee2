//! `conduct diff`: two stored reports about one supplier in (an earlier one and a follow-up),
//! how each finding changed out — as text for people (English or Swedish), the comparison as
//! JSON (`conduct-diff/1`, `schemas/diff.schema.json`) or one CSV row per finding.
//!
//! The words of the text are in one small table per language ([`EN`], [`SV`]).

use std::io::Read;
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use conduct::Report;
use conduct::report::compare::{Class, Comparison, FindingChange, Side, Warning};
use conduct::report::text::clean;
use conduct::report::{Keys, Severity, Status};

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
        Some(lang) => Some(Words::of(lang).ok_or_else(|| {
            Failure::Error(format!(
                "`conduct diff` has no words for the language `{}`; expected `en` or `sv`",
                clean(lang)
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
    let words = words
        .or_else(|| Words::of(&comparison.newer.language))
        .unwrap_or(&EN);
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

/// The words of the text in one language. (The officer-report work will move them into a
/// shared catalogue.)
struct Words {
    classes: [&'static str; 7],
    severities: [&'static str; 3],
    statuses: [&'static str; 6],
    earlier: &'static str,
    newer: &'static str,
    as_of: &'static str,
    pack: &'static str,
    due: &'static str,
    overdue: &'static str,
    summary: &'static str,
    no_findings: &'static str,
    unconfirmed_note: &'static str,
    outcomes: &'static str,
    absent: &'static str,
    warning: &'static str,
    /// {earlier}, {newer}: pack digests.
    pack_digests: &'static str,
    /// {report}: "earlier"/"newer", {format}.
    no_ids: &'static str,
    /// {earlier}, {newer}: dates.
    order: &'static str,
    subject_unchecked: &'static str,
}

/// English.
const EN: Words = Words {
    classes: [
        "escalated",
        "new",
        "persisting",
        "de-escalated",
        "unconfirmed",
        "resolved",
        "remediated",
    ],
    severities: ["critical", "major", "minor"],
    statuses: [
        "violated",
        "compliant",
        "insufficient evidence",
        "not applicable",
        "not examined",
        "evaluation error",
    ],
    earlier: "earlier",
    newer: "newer",
    as_of: "as of",
    pack: "pack",
    due: "due",
    overdue: "OVERDUE",
    summary: "summary",
    no_findings: "No findings in either report.",
    unconfirmed_note: "gone from the newer report, but its clause could not be judged there: not shown to be fixed",
    outcomes: "Clause outcomes that changed",
    absent: "not in the pack",
    warning: "warning",
    pack_digests: "the reports were made with different packs ({earlier}, {newer}): findings are matched by id, and a renamed requirement shows as one finding resolved and one new",
    no_ids: "the {report} report ({format}) has no finding ids: findings are compared clause by clause",
    order: "the newer report ({newer}) is dated before the earlier one ({earlier}): are the files in the right order?",
    subject_unchecked: "the reports share no subject field: it cannot be confirmed that they are about the same supplier",
};

/// Swedish.
const SV: Words = Words {
    classes: [
        "skärpt",
        "ny",
        "kvarstår",
        "mildrad",
        "ej bekräftad",
        "åtgärdad",
        "avhjälpt",
    ],
    severities: [
        "allvarlig avvikelse",
        "större avvikelse",
        "mindre avvikelse",
    ],
    statuses: [
        "ej uppfylld",
        "uppfylld",
        "otillräckligt underlag",
        "ej tillämplig",
        "ej granskad",
        "fel vid utvärderingen",
    ],
    earlier: "tidigare",
    newer: "senare",
    as_of: "per",
    pack: "regelpaket",
    due: "åtgärdas senast",
    overdue: "FÖRSENAD",
    summary: "sammanfattning",
    no_findings: "Inga avvikelser i någon av rapporterna.",
    unconfirmed_note: "finns inte i den senare rapporten, men klausulen kunde inte bedömas där: inte visat att den är åtgärdad",
    outcomes: "Klausuler med ändrat utfall",
    absent: "finns inte i regelpaketet",
    warning: "varning",
    pack_digests: "rapporterna gjordes med olika regelpaket ({earlier}, {newer}): avvikelserna jämförs på id, och ett krav som bytt namn visas som en åtgärdad och en ny avvikelse",
    no_ids: "den {report} rapporten ({format}) saknar id för avvikelserna: jämförelsen görs klausul för klausul",
    order: "den senare rapporten ({newer}) är daterad före den tidigare ({earlier}): är filerna i rätt ordning?",
    subject_unchecked: "rapporterna har inga gemensamma uppgifter om leverantören: det går inte att bekräfta att de gäller samma leverantör",
};

impl Words {
    fn of(lang: &str) -> Option<&'static Words> {
        match lang {
            "en" => Some(&EN),
            "sv" => Some(&SV),
            _ => None,
        }
    }

    fn class(&self, class: Class) -> &'static str {
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

    fn severity(&self, severity: Severity) -> &'static str {
        let [critical, major, minor] = self.severities;
        match severity {
            Severity::Critical => critical,
            Severity::Major => major,
            Severity::Minor => minor,
        }
    }

    fn status(&self, status: Option<Status>) -> &'static str {
        let [
            violated,
            compliant,
            insufficient,
            not_applicable,
            not_examined,
            error,
        ] = self.statuses;
        match status {
            Some(Status::Violated) => violated,
            Some(Status::Compliant) => compliant,
            Some(Status::InsufficientEvidence) => insufficient,
            Some(Status::NotApplicable) => not_applicable,
            Some(Status::NotExamined) => not_examined,
            Some(Status::Error) => error,
            None => self.absent,
        }
    }

    fn side(&self, side: Side) -> &'static str {
        match side {
            Side::Earlier => self.earlier,
            Side::Newer => self.newer,
        }
    }

    fn warning(&self, warning: &Warning) -> String {
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
            other => other.to_string(),
        }
    }
}

/// The first letter in upper case.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A JSON value as text: a string without its quotes.
fn plain(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => clean(s),
        other => clean(&other.to_string()),
    }
}

/// `site MY-KLG-01, worker W4`: each key without its `_id`/`_ref` suffix.
fn subject_text(subject: &Keys) -> String {
    subject
        .iter()
        .map(|(key, value)| {
            let name = key
                .strip_suffix("_id")
                .or_else(|| key.strip_suffix("_ref"))
                .unwrap_or(key)
                .replace('_', " ");
            format!("{} {}", clean(&name), plain(value))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The comparison as text: a header naming the supplier and the two reports, the warnings,
/// the counts, one block per class (worst first) with one line per finding, and the clauses
/// whose status changed.
fn render_text(c: &Comparison, w: &Words) -> String {
    let mut out = String::new();
    let supplier: Vec<String> = c
        .newer
        .subject
        .values()
        .filter(|v| !v.is_null())
        .map(plain)
        .collect();
    let mut header = "conduct diff".to_string();
    for part in &supplier {
        header.push_str(" · ");
        header.push_str(part);
    }
    push_line(&mut out, &header);
    for (label, info) in [(w.earlier, &c.earlier), (w.newer, &c.newer)] {
        let mut line = format!("{label}:");
        if let Some(date) = info.as_of {
            line.push_str(&format!(" {} {date} ·", w.as_of));
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
            &clean(&format!("{}: {}", w.warning, w.warning(warning))),
        );
    }
    let mut counts: Vec<String> = Class::ALL
        .iter()
        .filter(|class| c.summary.of(**class) > 0)
        .map(|class| format!("{} {}", w.class(*class), c.summary.of(*class)))
        .collect();
    if c.summary.overdue > 0 {
        counts.push(format!(
            "{} {}",
            w.overdue.to_lowercase(),
            c.summary.overdue
        ));
    }
    if counts.is_empty() {
        push_line(&mut out, w.no_findings);
    } else {
        push_line(&mut out, &format!("{}: {}", w.summary, counts.join(" · ")));
    }
    for class in Class::ALL {
        let group: Vec<&FindingChange> = c.findings.iter().filter(|f| f.class == *class).collect();
        if group.is_empty() {
            continue;
        }
        out.push('\n');
        push_line(
            &mut out,
            &format!("{} ({})", capitalized(w.class(*class)), group.len()),
        );
        if *class == Class::Unconfirmed {
            push_line(&mut out, &format!("  ({})", w.unconfirmed_note));
        }
        for f in group {
            push_line(&mut out, &format!("  {}", finding_line(f, w)));
        }
    }
    if !c.outcomes.is_empty() {
        out.push('\n');
        push_line(&mut out, w.outcomes);
        for o in &c.outcomes {
            push_line(
                &mut out,
                &format!(
                    "  {}: {} → {}",
                    clean(&o.title),
                    w.status(o.before),
                    w.status(o.after)
                ),
            );
        }
    }
    out
}

/// `persisting · major · Weekly working hours · site MY-KLG-01 · message · due 2024-12-31 ·
/// OVERDUE`.
fn finding_line(f: &FindingChange, w: &Words) -> String {
    let severity = match (f.before, f.after) {
        (Some(b), Some(a)) if a != b => format!("{} → {}", w.severity(b), w.severity(a)),
        _ => f
            .severity()
            .map(|s| w.severity(s))
            .unwrap_or_default()
            .to_string(),
    };
    let mut parts = vec![w.class(f.class).to_string(), severity, clean(&f.title)];
    let subject = subject_text(&f.subject);
    if !subject.is_empty() {
        parts.push(subject);
    }
    parts.push(clean(&f.message));
    // A resolved or remediated finding's due date is history: only the JSON and CSV keep it.
    if let Some(due) = f
        .due
        .filter(|_| !matches!(f.class, Class::Resolved | Class::Remediated))
    {
        parts.push(format!("{} {due}", w.due));
    }
    if f.overdue {
        parts.push(w.overdue.to_string());
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
    use super::{EN, SV, Words, capitalized};
    use crate::common::neutralised;

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
    fn both_languages_have_a_word_for_everything() {
        for words in [&EN, &SV] {
            let all: Vec<&str> = words
                .classes
                .iter()
                .chain(&words.severities)
                .chain(&words.statuses)
                .copied()
                .collect();
            assert!(all.iter().all(|w| !w.is_empty() && !w.contains('_')));
        }
        assert!(Words::of("de").is_none());
        assert_eq!(capitalized("åtgärdad"), "Åtgärdad");
    }
}
