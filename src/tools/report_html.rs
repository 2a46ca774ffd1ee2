//! The printable report: [`Report`]s in, one self-contained HTML page out, for the procurement
//! officer's letter to the supplier. It says what the officer text of
//! [`report::text::render`](crate::report::text::render) says, entirely in the report's
//! language (the fixed words from the [`Catalogue`], the rest from the pack and the evidence):
//! who, which contract, when, the examined scope, the verdict with its counts in words, the
//! findings by severity (observation, grouped items, basis, action with its due date and what
//! it counts from, the plan's state as a badge that carries its word, the clause's
//! references), the evidence to send grouped by site and worker, and the clauses not
//! evaluated, met and not applicable. No id, JSON Pointer or rule location: those are for
//! rule authors (`conduct check --details`).
//!
//! The page is rendered by MiniJinja from `templates/report.html` (built in) with HTML
//! auto-escaping of every value — evidence is hostile until proven otherwise, and nothing is
//! escaped by hand. Every text also goes through [`clean`], so bidirectional overrides and
//! control characters cannot rearrange what the officer reads. Inline CSS for the screen and
//! for A4 paper; no scripts, no fonts or other resources from elsewhere.

use indexmap::IndexMap;
use minijinja::Environment;
use minijinja::syntax::SyntaxConfig;
use minijinja::value::Serde;
use serde::Serialize;

use crate::report::catalogue::Catalogue;
use crate::report::text::{capitalized, clean, described};
use crate::report::{
    Basis, FilledBy, Outcome, PlanState, Report, Severity, Status, Verdict, Violation, natural_cmp,
};

/// The template, kept under `templates/` and built in; its name ends in `.html`, which turns
/// MiniJinja's HTML auto-escaping on.
const TEMPLATE: (&str, &str) = ("report.html", include_str!("../../templates/report.html"));

/// How many item lines a grouped finding lists before "… and N more" (as the text does).
const ITEMS_SHOWN: usize = 5;

/// One report as a self-contained HTML page to print or attach to a letter, in the report's
/// language: `conduct check --format html` for one document.
///
/// The page has inline CSS only (no scripts, no external resources), prints on A4 with no
/// finding split over two pages, and every text from the report is HTML-escaped by the
/// template engine.
///
/// # Examples
/// ```
/// # let pack = conduct::RulePack::load("rules/regions")?;
/// let evidence = conduct::pack::evidence::read(std::fs::File::open("examples/example-evidence.json")?)?;
/// let report = pack.evaluate(evidence.value(), &conduct::Options::default().language("sv"));
/// let page = conduct::tools::report_html::render_html(&report);
/// assert!(page.starts_with("<!DOCTYPE html>"));
/// assert!(page.contains("Uppfyller inte kraven"));
/// assert!(!page.contains("<script") && !page.contains("/sites/")); // no script, no JSON Pointer
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn render_html(report: &Report) -> String {
    render_html_batch(&[(None, report)])
}

/// Several reports as one HTML page: one `<section>` per report, in the given order, each
/// starting on a new page when printed and each in its report's language. The label names
/// the document in a batch (a file name, `file:line` for NDJSON) and is shown when given.
/// The page's own language is the first report's. `conduct check --format html` with several
/// documents.
///
/// # Examples
/// ```
/// # let pack = conduct::RulePack::load("rules/regions")?;
/// let evidence = conduct::pack::evidence::read(std::fs::File::open("examples/example-evidence.json")?)?;
/// let en = pack.evaluate(evidence.value(), &conduct::Options::default());
/// let sv = pack.evaluate(evidence.value(), &conduct::Options::default().language("sv"));
/// let page = conduct::tools::report_html::render_html_batch(&[(Some("a.json"), &en), (Some("b.json"), &sv)]);
/// assert_eq!(page.matches("<section class=\"report\"").count(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn render_html_batch(reports: &[(Option<&str>, &Report)]) -> String {
    // The template is built in and covered by the tests, so rendering cannot fail on a
    // report's content; should it fail all the same, the page says so instead of panicking.
    render(reports).unwrap_or_else(|e| {
        format!(
            "<!DOCTYPE html>\n<html>\n<body>\n<p>The report cannot be rendered ({:?}).</p>\n</body>\n</html>\n",
            e.kind()
        )
    })
}

/// Renders `report.html` for the reports.
fn render(reports: &[(Option<&str>, &Report)]) -> Result<String, minijinja::Error> {
    let mut env = Environment::new();
    env.set_syntax(
        SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()?,
    );
    let (name, source) = TEMPLATE;
    env.add_template(name, source)?;
    let sections: Vec<Section> = reports
        .iter()
        .map(|(label, report)| Section::new(&report.worded(), *label))
        .collect();
    let page = Page {
        lang: sections
            .first()
            .map_or_else(|| "en".to_string(), |s| s.lang.clone()),
        title: sections
            .iter()
            .map(|s| s.title.clone())
            .collect::<Vec<_>>()
            .join(" · "),
        reports: sections,
    };
    env.get_template(name)?.render(Serde(&page))
}

/// Everything `report.html` shows.
#[derive(Serialize)]
struct Page {
    lang: String,
    title: String,
    reports: Vec<Section>,
}

/// The catalogue's labels the template prints.
#[derive(Serialize)]
struct Labels {
    result: &'static str,
    observed: &'static str,
    source: &'static str,
    severe: &'static str,
    action: &'static str,
    plan: &'static str,
    references: &'static str,
    scope: &'static str,
    evidence_to_send: &'static str,
    evidence_provided: &'static str,
    attach: &'static str,
    not_evaluated: &'static str,
    compliant: &'static str,
    not_applicable: &'static str,
    document: &'static str,
}

impl Labels {
    fn new(w: &Catalogue) -> Labels {
        Labels {
            result: w.result,
            observed: w.observed,
            source: w.source,
            severe: w.severe,
            action: w.action,
            plan: w.plan,
            references: w.references,
            scope: w.scope,
            evidence_to_send: w.evidence_to_send,
            evidence_provided: w.evidence_provided,
            attach: w.attach,
            not_evaluated: w.not_evaluated,
            compliant: w.compliant,
            not_applicable: w.not_applicable,
            document: w.document,
        }
    }
}

/// One report.
#[derive(Serialize)]
struct Section {
    lang: String,
    l: Labels,
    /// The page title's part: the pack's title and the subject's values.
    title: String,
    /// The document in a batch.
    label: Option<String>,
    /// The page's heading: the subject's first value (the supplier), else the pack's title.
    heading: String,
    /// The pack's title and edition, above the heading when that is the supplier.
    pack: Option<String>,
    /// "Supplier: …", "Contract: …", "Assessment date: …".
    facts: Vec<(String, String)>,
    verdict: &'static str,
    /// `compliant`, `non-compliant` or `incomplete`, for the style.
    verdict_class: &'static str,
    /// The findings counted by severity, insufficient evidence and errors, in words.
    counts: String,
    /// "13 of 39 requirements were examined in this follow-up".
    scope: String,
    /// "26 requirements were not examined in this follow-up", with their titles.
    not_examined: Option<TitledList>,
    groups: Vec<SeverityGroup>,
    /// "Insufficient evidence for 6 requirements", above the evidence to send.
    insufficient: Option<String>,
    evidence: Vec<EvidenceGroup>,
    /// The missing evidence the buyer or the auditor provides, each line saying who.
    provided: Vec<EvidenceGroup>,
    not_evaluated: Vec<(String, &'static str)>,
    compliant: Option<TitledList>,
    not_applicable: Option<TitledList>,
}

/// A sentence or heading followed by clause titles.
#[derive(Serialize)]
struct TitledList {
    head: String,
    titles: Vec<String>,
}

/// The findings of one severity.
#[derive(Serialize)]
struct SeverityGroup {
    heading: String,
    /// `critical`, `major` or `minor`, for the style.
    class: &'static str,
    findings: Vec<Finding>,
}

/// One finding.
#[derive(Serialize)]
struct Finding {
    /// "Deviation 3", "Alleged deviation 1".
    kind: String,
    alleged: bool,
    title: String,
    subject: Option<String>,
    /// What was observed: the finding's message, or the count of its items.
    observed: String,
    /// The count of a grouped finding's items when it does not stand as the observation.
    count: Option<String>,
    items: Vec<String>,
    more: Option<String>,
    basis: Option<&'static str>,
    /// The severe-deviation category and the supplier's duty, in words.
    severe: Option<String>,
    action: Option<String>,
    /// "by 2024-11-30".
    due: Option<String>,
    /// "as agreed in the corrective-action plan".
    due_from: Option<&'static str>,
    plan: Option<Plan>,
    references: Vec<String>,
    /// The note on a cut list, after the clause's last finding listed.
    truncated: Option<&'static str>,
}

/// A plan state: its class for the badge's colour, its word and what it means.
#[derive(Serialize)]
struct Plan {
    class: &'static str,
    word: &'static str,
    meaning: &'static str,
}

/// The evidence to send for one site, worker, … (or the supplier as a whole).
#[derive(Serialize)]
struct EvidenceGroup {
    subject: String,
    lines: Vec<EvidenceLine>,
    /// The documents to attach for this site, worker, …, each once.
    documents: Vec<String>,
}

/// One piece of evidence to send and the requirements that need it.
#[derive(Serialize)]
struct EvidenceLine {
    field: String,
    clauses: Vec<String>,
}

impl Section {
    fn new(report: &Report, label: Option<&str>) -> Section {
        let w = Catalogue::for_language(&report.language);
        let pack = &report.pack;
        let mut pack_line = clean(if pack.title.trim().is_empty() {
            &pack.name
        } else {
            &pack.title
        });
        if let Some(edition) = &pack.edition {
            pack_line = format!("{pack_line} · {} {}", w.edition, clean(edition));
        }
        let mut facts: Vec<(String, String)> = report
            .subject
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(key, value)| {
                (
                    clean(&capitalized(&w.key_word(key, false))),
                    clean(&w.value(value)),
                )
            })
            .collect();
        let heading = facts.first().map(|(_, v)| v.clone());
        let mut title_parts = vec![pack_line.clone()];
        title_parts.extend(facts.iter().map(|(_, v)| v.clone()));
        if let Some(as_of) = report.as_of {
            facts.push((w.assessment_date.to_string(), w.date(as_of)));
        }
        let titles = |status: Status| titles(report, w, status);
        let not_examined = titles(Status::NotExamined);
        let examined = report.outcomes.len() - not_examined.len();
        let listed = |head: &str, titles: Vec<String>| {
            (!titles.is_empty()).then(|| TitledList {
                head: format!("{head} ({})", w.integer(titles.len() as u64)),
                titles,
            })
        };
        Section {
            lang: language_tag(&report.language, w),
            l: Labels::new(w),
            title: title_parts.join(" · "),
            label: label.map(clean),
            heading: heading.clone().unwrap_or_else(|| pack_line.clone()),
            pack: heading.is_some().then_some(pack_line),
            facts,
            verdict: w.verdict(report.verdict),
            verdict_class: match report.verdict {
                Verdict::Compliant => "compliant",
                Verdict::NonCompliant => "non-compliant",
                Verdict::Incomplete => "incomplete",
            },
            counts: counts(report, w),
            scope: w.examined_count(examined, report.outcomes.len()),
            not_examined: (!not_examined.is_empty()).then(|| TitledList {
                head: w.not_examined_count(not_examined.len()),
                titles: not_examined,
            }),
            groups: groups(report, w),
            insufficient: (report.summary.insufficient_evidence > 0)
                .then(|| capitalized(&w.insufficient_count(report.summary.insufficient_evidence))),
            evidence: evidence(report, w, false),
            provided: evidence(report, w, true),
            not_evaluated: report
                .outcomes
                .iter()
                .filter(|o| o.status == Status::Error)
                .map(|o| (title(o), w.technical_error))
                .collect(),
            compliant: listed(w.compliant, titles(Status::Compliant)),
            not_applicable: listed(w.not_applicable, titles(Status::NotApplicable)),
        }
    }
}

/// "4 major deviations and 3 minor deviations; insufficient evidence for 6 requirements".
fn counts(report: &Report, w: &Catalogue) -> String {
    capitalized(&w.summary(&report.summary))
}

/// The findings by severity, worst first; within a severity in pack order; numbered across.
fn groups(report: &Report, w: &Catalogue) -> Vec<SeverityGroup> {
    let mut number = 0;
    let mut groups = Vec::new();
    for severity in [Severity::Critical, Severity::Major, Severity::Minor] {
        let found: Vec<(&Outcome, &Violation)> = report
            .outcomes
            .iter()
            .flat_map(|o| o.violations.iter().map(move |v| (o, v)))
            .filter(|(_, v)| v.severity == severity)
            .collect();
        if found.is_empty() {
            continue;
        }
        let mut findings = Vec::with_capacity(found.len());
        for (i, (outcome, v)) in found.iter().enumerate() {
            number += 1;
            let last_of_clause = found
                .get(i + 1)
                .is_none_or(|(next, _)| next.clause != outcome.clause);
            let mut finding = finding(w, number, outcome, v);
            if outcome.truncated && last_of_clause {
                finding.truncated = Some(w.truncated);
            }
            findings.push(finding);
        }
        groups.push(SeverityGroup {
            heading: format!(
                "{} ({})",
                w.severity_heading(severity),
                w.integer(found.len() as u64)
            ),
            class: severity.as_str(),
            findings,
        });
    }
    groups
}

fn finding(w: &Catalogue, number: usize, outcome: &Outcome, v: &Violation) -> Finding {
    let alleged = v.basis == Some(Basis::Alleged);
    let kind = if alleged {
        w.alleged_deviation
    } else {
        w.deviation
    };
    let message = clean(&v.message);
    let (observed, count) = if v.items.is_empty() {
        (message, None)
    } else {
        let count = clean(&w.grouped_items(v));
        // The evaluator may write the first item's message as the finding's: the items
        // below say it in full, so the count is the observation.
        if v.items
            .iter()
            .any(|item| !item.message.is_empty() && v.message.starts_with(&item.message))
        {
            (count, None)
        } else {
            (message, Some(count))
        }
    };
    let remediation = v.remediation.as_ref();
    Finding {
        kind: format!("{kind} {}", w.integer(number as u64)),
        alleged,
        title: title(outcome),
        subject: w.subject(&v.subject).map(|s| clean(&s)),
        observed,
        count,
        items: v
            .items
            .iter()
            .take(ITEMS_SHOWN)
            .map(|item| clean(&item.message))
            .collect(),
        more: (v.items.len() > ITEMS_SHOWN).then(|| w.and_more(v.items.len() - ITEMS_SHOWN)),
        basis: v.basis.map(|b| w.basis(b)),
        severe: v.severe.as_deref().map(|c| w.severe_text(c)),
        action: remediation.map(|r| clean(&r.action)),
        due: remediation.and_then(|r| r.due).map(|d| w.due(d)),
        due_from: remediation
            .filter(|r| r.due.is_some())
            .and_then(|r| r.due_from)
            .map(|f| w.due_from(f)),
        plan: remediation.and_then(|r| r.plan).map(|state| Plan {
            class: match state {
                PlanState::Green => "green",
                PlanState::Yellow => "yellow",
                PlanState::Red => "red",
            },
            word: w.plan_state(state),
            meaning: w.plan_meaning(state),
        }),
        references: outcome.references.iter().map(|r| clean(r)).collect(),
        truncated: None,
    }
}

/// The evidence to send, by site, worker, … in natural order, the supplier as a whole first;
/// each piece with the titles of the requirements that need it. With `provided`, instead the
/// missing evidence the buyer or the auditor fills in (the evidence declaration's `filled by`),
/// each piece saying who.
fn evidence(report: &Report, w: &Catalogue, provided: bool) -> Vec<EvidenceGroup> {
    // subject (None: the supplier as a whole) → field → clause titles
    let mut groups: IndexMap<Option<String>, IndexMap<String, Vec<String>>> = IndexMap::new();
    // subject → the documents to attach, each once
    let mut documents: IndexMap<Option<String>, Vec<String>> = IndexMap::new();
    let mut attach = |subject: &Option<String>, document: Option<&str>| {
        if let Some(document) = document.map(clean)
            && !document.trim().is_empty()
        {
            let attach = documents.entry(subject.clone()).or_default();
            if !attach.contains(&document) {
                attach.push(document);
            }
        }
    };
    let mut add = |subject: Option<String>, field: String, clause: String| {
        let clauses = groups.entry(subject).or_default().entry(field).or_default();
        if !clauses.contains(&clause) {
            clauses.push(clause);
        }
    };
    for outcome in report
        .outcomes
        .iter()
        .filter(|o| matches!(o.status, Status::InsufficientEvidence | Status::Violated))
    {
        let who = |filled_by: Option<FilledBy>| filled_by.map(|f| w.filled_by(f));
        for missing in outcome
            .missing
            .iter()
            .filter(|m| m.filled_by.is_some() == provided)
        {
            let subject = w
                .subject(&missing.subject)
                .or_else(|| position(w, &missing.path))
                .map(|s| clean(&s));
            let mut field = described(w, missing.description.as_deref(), &missing.path);
            if let Some(by) = who(missing.filled_by) {
                field = format!("{field}, {by}");
            }
            attach(&subject, missing.document.as_deref());
            add(subject, field, title(outcome));
        }
        for invalid in outcome
            .invalid
            .iter()
            .filter(|i| i.filled_by.is_some() == provided)
        {
            let mut field = format!(
                "{}: {}",
                capitalized(&described(w, invalid.description.as_deref(), &invalid.path)),
                w.invalid_value
            );
            if let Some(by) = who(invalid.filled_by) {
                field = format!("{field}, {by}");
            }
            let subject = w
                .subject(&invalid.subject)
                .or_else(|| position(w, &invalid.path))
                .map(|s| clean(&s));
            attach(&subject, invalid.document.as_deref());
            add(subject, field, title(outcome));
        }
    }
    groups.sort_by(|a, _, b, _| match (a, b) {
        (None, None) => std::cmp::Ordering::Equal,
        (None, Some(_)) => std::cmp::Ordering::Less,
        (Some(_), None) => std::cmp::Ordering::Greater,
        (Some(a), Some(b)) => natural_cmp(a, b),
    });
    groups
        .into_iter()
        .map(|(subject, fields)| EvidenceGroup {
            documents: documents.get(&subject).cloned().unwrap_or_default(),
            subject: subject.map_or_else(|| w.whole_supplier.to_string(), |s| capitalized(&s)),
            lines: fields
                .into_iter()
                .map(|(field, clauses)| EvidenceLine { field, clauses })
                .collect(),
        })
        .collect()
}

/// A clause's title; its id when it has none.
fn title(outcome: &Outcome) -> String {
    if outcome.title.trim().is_empty() {
        clean(&outcome.clause)
    } else {
        clean(&outcome.title)
    }
}

/// The titles of the clauses with this status, "(put right)" after those remediated.
fn titles(report: &Report, w: &Catalogue, status: Status) -> Vec<String> {
    report
        .outcomes
        .iter()
        .filter(|o| o.status == status)
        .map(|o| {
            if o.remediated {
                format!("{} ({})", title(o), w.remediated)
            } else {
                title(o)
            }
        })
        .collect()
}

/// The report's language as a tag for the `lang` attribute: its leading letters, digits and
/// hyphens (`sv-SE`), else the catalogue's language. Escaped all the same by the template.
fn language_tag(language: &str, w: &Catalogue) -> String {
    let tag: String = language
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    if tag.is_empty() {
        w.language.to_string()
    } else {
        tag
    }
}

/// Where in the evidence's lists a pointer leads (the text report's words), cleaned.
fn position(w: &Catalogue, path: &str) -> Option<String> {
    crate::report::text::position(w, path).map(|p| clean(&p))
}
