//! The portfolio's tables in words: a [`Portfolio`] in, [`Table`]s out — each with its title,
//! column headings and cells in the portfolio's language, and the counts a chart draws — and
//! [`render`], the tables as plain text (`conduct summary`). The HTML page of `conduct
//! summary --format html` shows the same tables.
//!
//! Texts from the evidence (supplier names, ids) are cleaned for a terminal in the text; the
//! tables hold them as given, for a renderer to escape.
//!
//! ```
//! use conduct::report::portfolio::{Portfolio, text};
//!
//! let pack = conduct::RulePack::load("rules/regions")?;
//! let evidence = conduct::pack::evidence::read(std::fs::File::open("examples/example-evidence.json")?)?;
//! let report = pack.evaluate(evidence.value(), &conduct::Options::default().language("sv"));
//! let portfolio: Portfolio = [&report].into_iter().collect();
//! let summary = text::render(&portfolio);
//! assert!(summary.starts_with("Sammanställning av uppföljningen"));
//! assert!(summary.contains("Avvikelser per krav"));
//! assert_eq!(text::tables(&portfolio).iter().filter(|t| t.chart.is_some()).count(), 9);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use super::{ByStatus, ByVerdict, GroupCounts, Portfolio};
use crate::report::catalogue::Catalogue;
use crate::report::catalogue::portfolio::Words;
use crate::report::compare::Class;
use crate::report::text::{capitalized, clean};
use crate::report::{Basis, PlanState, Severity};

/// Severities, most serious first: the order of the columns.
const SEVERITIES: [Severity; 3] = [Severity::Critical, Severity::Major, Severity::Minor];

/// How many suppliers the chart of the supplier table shows (those with the most findings).
pub const CHART_SUPPLIERS: usize = 25;

/// One table of the summary.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Table {
    /// A stable name: `clauses`, `outcomes`, `verdicts`, `plans`, `bases`, `countries`,
    /// `categories`, `suppliers`, `changes`.
    pub id: &'static str,
    /// The title, in the portfolio's language.
    pub title: String,
    /// The column headings.
    pub columns: Vec<String>,
    /// Which columns hold numbers (aligned right).
    pub numeric: Vec<bool>,
    /// The rows, one cell per column; texts from the evidence as given.
    pub rows: Vec<Vec<String>>,
    /// What a chart of the table draws.
    pub chart: Option<Chart>,
}

/// Horizontal bars, one per label, each split into one segment per series (stacked).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Chart {
    /// The bars' labels.
    pub labels: Vec<String>,
    /// The series' names (severities, statuses, …), in the order of the segments.
    pub series: Vec<String>,
    /// Per bar, one value per series.
    pub values: Vec<Vec<usize>>,
}

/// Every table of the summary, in the order the text and the page show them.
#[must_use]
pub fn tables(p: &Portfolio) -> Vec<Table> {
    let (c, w) = (
        Catalogue::for_language(&p.language),
        Words::for_language(&p.language),
    );
    let n = |n: usize| c.integer(n as u64);
    let severity_columns = || SEVERITIES.iter().map(|s| w.severity(*s).to_string());
    let mut out = Vec::new();

    // Findings per clause × severity.
    let with_findings: Vec<_> = p
        .clauses
        .iter()
        .filter(|k| k.findings.total() > 0)
        .collect();
    out.push(Table {
        id: "clauses",
        title: w.by_clause.to_string(),
        columns: [w.clause.to_string()]
            .into_iter()
            .chain(severity_columns())
            .chain([w.total.to_string(), w.overdue.to_string()])
            .collect(),
        numeric: vec![false, true, true, true, true, true],
        rows: with_findings
            .iter()
            .map(|k| {
                let mut row = vec![k.title.clone()];
                row.extend(SEVERITIES.iter().map(|s| n(k.findings.of(*s))));
                row.extend([n(k.findings.total()), n(k.overdue)]);
                row
            })
            .collect(),
        chart: Some(Chart {
            labels: with_findings.iter().map(|k| k.title.clone()).collect(),
            series: severity_columns().collect(),
            values: with_findings
                .iter()
                .map(|k| SEVERITIES.iter().map(|s| k.findings.of(*s)).collect())
                .collect(),
        }),
    });

    // Outcomes per clause × status.
    let statuses = || ByStatus::ORDER.iter().map(|s| c.status(*s).to_string());
    out.push(Table {
        id: "outcomes",
        title: w.clause_outcomes.to_string(),
        columns: [w.clause.to_string()]
            .into_iter()
            .chain(statuses())
            .collect(),
        numeric: [false].into_iter().chain([true; 6]).collect(),
        rows: p
            .clauses
            .iter()
            .map(|k| {
                let mut row = vec![k.title.clone()];
                row.extend(ByStatus::ORDER.iter().map(|s| n(k.statuses.of(*s))));
                row
            })
            .collect(),
        chart: Some(Chart {
            labels: p.clauses.iter().map(|k| k.title.clone()).collect(),
            series: statuses().collect(),
            values: p
                .clauses
                .iter()
                .map(|k| ByStatus::ORDER.iter().map(|s| k.statuses.of(*s)).collect())
                .collect(),
        }),
    });

    // Suppliers by verdict, plans by state, findings by basis: one count each.
    let verdicts: Vec<(String, usize)> = ByVerdict::ORDER
        .iter()
        .map(|v| (c.verdict(*v).to_string(), p.verdicts.of(*v)))
        .collect();
    out.push(single(
        "verdicts",
        w.by_verdict,
        w.verdict,
        w.suppliers,
        &verdicts,
        &n,
    ));
    let plans: Vec<(String, usize)> = [
        Some(PlanState::Red),
        Some(PlanState::Yellow),
        Some(PlanState::Green),
        None,
    ]
    .iter()
    .map(|s| {
        let label = match s {
            Some(s) => format!("{} ({})", capitalized(c.plan_state(*s)), c.plan_meaning(*s)),
            None => capitalized(w.no_plan),
        };
        (label, p.plans.of(*s))
    })
    .collect();
    out.push(single("plans", w.by_plan, w.state, w.findings, &plans, &n));
    let bases: Vec<(String, usize)> = [
        Some(Basis::Verified),
        Some(Basis::SelfReported),
        Some(Basis::Alleged),
        None,
    ]
    .iter()
    .map(|b| {
        let label = b.map_or(w.no_basis, |b| c.basis(b));
        (capitalized(label), p.bases.of(*b))
    })
    .collect();
    out.push(single("bases", w.by_basis, w.basis, w.findings, &bases, &n));

    out.push(groups(
        "countries",
        w.by_country,
        w.country,
        &p.countries,
        w,
        c,
    ));
    out.push(groups(
        "categories",
        w.by_category,
        w.category,
        &p.categories,
        w,
        c,
    ));
    out.push(suppliers(p, w, c));
    out.push(changes(p, w, c));
    out
}

/// A table of labels and one count each, charted as one bar per label.
fn single(
    id: &'static str,
    title: &str,
    label: &str,
    counted: &str,
    rows: &[(String, usize)],
    n: &dyn Fn(usize) -> String,
) -> Table {
    Table {
        id,
        title: title.to_string(),
        columns: vec![label.to_string(), counted.to_string()],
        numeric: vec![false, true],
        rows: rows.iter().map(|(l, v)| vec![l.clone(), n(*v)]).collect(),
        chart: Some(Chart {
            labels: rows.iter().map(|(l, _)| l.clone()).collect(),
            series: vec![counted.to_string()],
            values: rows.iter().map(|(_, v)| vec![*v]).collect(),
        }),
    }
}

/// Findings per country or per category, by severity.
fn groups(
    id: &'static str,
    title: &str,
    label: &str,
    groups: &[GroupCounts],
    w: &Words,
    c: &Catalogue,
) -> Table {
    let name = |g: &GroupCounts| match (&g.name, g.supplier_level) {
        (Some(name), _) => name.clone(),
        (None, true) => capitalized(w.supplier_level),
        (None, false) => capitalized(w.not_stated),
    };
    let n = |n: usize| c.integer(n as u64);
    Table {
        id,
        title: title.to_string(),
        columns: [label.to_string(), w.reports.to_string()]
            .into_iter()
            .chain(SEVERITIES.iter().map(|s| w.severity(*s).to_string()))
            .chain([w.total.to_string()])
            .collect(),
        numeric: vec![false, true, true, true, true, true],
        rows: groups
            .iter()
            .map(|g| {
                let mut row = vec![name(g), n(g.reports)];
                row.extend(SEVERITIES.iter().map(|s| n(g.findings.of(*s))));
                row.push(n(g.findings.total()));
                row
            })
            .collect(),
        chart: Some(Chart {
            labels: groups.iter().map(name).collect(),
            series: SEVERITIES
                .iter()
                .map(|s| w.severity(*s).to_string())
                .collect(),
            values: groups
                .iter()
                .map(|g| SEVERITIES.iter().map(|s| g.findings.of(*s)).collect())
                .collect(),
        }),
    }
}

/// One row per supplier: its latest verdict, findings and most serious finding.
fn suppliers(p: &Portfolio, w: &Words, c: &Catalogue) -> Table {
    let n = |n: usize| c.integer(n as u64);
    let name = |s: &super::SupplierLine| {
        s.supplier
            .clone()
            .or_else(|| s.contract.clone())
            .unwrap_or_else(|| capitalized(w.not_stated))
    };
    let mut charted: Vec<&super::SupplierLine> = p.suppliers.iter().collect();
    charted.sort_by_key(|s| std::cmp::Reverse(s.findings.total()));
    charted.truncate(CHART_SUPPLIERS);
    Table {
        id: "suppliers",
        title: w.supplier_table.to_string(),
        columns: vec![
            w.supplier.to_string(),
            w.org_number.to_string(),
            w.contract.to_string(),
            c.assessment_date.to_string(),
            w.verdict.to_string(),
            w.findings.to_string(),
            w.overdue.to_string(),
            w.worst.to_string(),
        ],
        numeric: vec![false, false, false, false, false, true, true, false],
        rows: p
            .suppliers
            .iter()
            .map(|s| {
                let worst = s.worst.as_ref().map_or_else(String::new, |f| {
                    format!("{} ({})", p.title(&f.clause), c.severity(f.severity))
                });
                vec![
                    name(s),
                    s.org_number.clone().unwrap_or_default(),
                    s.contract.clone().unwrap_or_default(),
                    s.as_of.map(|d| c.date(d)).unwrap_or_default(),
                    c.verdict(s.verdict).to_string(),
                    n(s.findings.total()),
                    n(s.overdue),
                    worst,
                ]
            })
            .collect(),
        chart: Some(Chart {
            labels: charted.iter().map(|s| name(s)).collect(),
            series: SEVERITIES
                .iter()
                .map(|s| w.severity(*s).to_string())
                .collect(),
            values: charted
                .iter()
                .map(|s| SEVERITIES.iter().map(|v| s.findings.of(*v)).collect())
                .collect(),
        }),
    }
}

/// The suppliers followed up more than once: how their findings changed.
fn changes(p: &Portfolio, w: &Words, c: &Catalogue) -> Table {
    let n = |n: usize| c.integer(n as u64);
    let changed: Vec<_> = p
        .suppliers
        .iter()
        .filter_map(|s| s.change.as_ref().map(|ch| (s, ch)))
        .collect();
    let mut columns = vec![w.supplier.to_string(), w.between.to_string()];
    columns.extend(w.change_columns.iter().map(|s| (*s).to_string()));
    columns.push(w.overdue.to_string());
    let totals: Vec<usize> = Class::ALL
        .iter()
        .map(|class| changed.iter().map(|(_, ch)| ch.counts.of(*class)).sum())
        .collect();
    Table {
        id: "changes",
        title: w.changes.to_string(),
        numeric: [false, false].into_iter().chain([true; 8]).collect(),
        columns,
        rows: changed
            .iter()
            .map(|(s, ch)| {
                let date =
                    |d: Option<crate::report::Date>| d.map(|d| c.date(d)).unwrap_or_default();
                let mut row = vec![
                    s.supplier
                        .clone()
                        .unwrap_or_else(|| capitalized(w.not_stated)),
                    format!("{} – {}", date(ch.earlier), date(ch.newer)),
                ];
                row.extend(Class::ALL.iter().map(|class| n(ch.counts.of(*class))));
                row.push(n(ch.counts.overdue));
                row
            })
            .collect(),
        chart: Some(Chart {
            labels: w.change_columns.iter().map(|s| (*s).to_string()).collect(),
            series: vec![w.findings.to_string()],
            values: totals.iter().map(|t| vec![*t]).collect(),
        }),
    }
}

/// The summary as plain text: a heading with the totals, then every table, with titles and
/// every label in the portfolio's language. Texts from the evidence are cleaned for a terminal.
#[must_use]
pub fn render(p: &Portfolio) -> String {
    let (c, w) = (
        Catalogue::for_language(&p.language),
        Words::for_language(&p.language),
    );
    let n = |n: usize| c.integer(n as u64);
    let mut out = String::new();
    out.push_str(w.heading);
    out.push('\n');
    for pack in &p.packs {
        let edition = pack
            .edition
            .as_ref()
            .map(|e| format!(" ({} {})", c.edition, clean(e)))
            .unwrap_or_default();
        out.push_str(&format!("{}: {}{edition}\n", w.pack, clean(&pack.title)));
    }
    out.push_str(&format!(
        "{}: {} · {}: {}",
        w.reports,
        n(p.reports),
        w.suppliers,
        n(p.supplier_count())
    ));
    if let (Some(first), Some(last)) = (p.first_as_of, p.last_as_of) {
        let period = if first == last {
            c.date(first)
        } else {
            format!("{} – {}", c.date(first), c.date(last))
        };
        out.push_str(&format!(" · {}: {period}", w.period));
    }
    out.push('\n');
    let by_severity = p.totals.by_severity;
    let parts: Vec<String> = SEVERITIES
        .iter()
        .map(|s| {
            format!(
                "{} {}",
                w.severity(*s).to_lowercase(),
                n(by_severity.of(*s))
            )
        })
        .collect();
    out.push_str(&format!(
        "{}: {} ({}) · {}: {}\n",
        w.findings,
        n(by_severity.total()),
        parts.join(", "),
        w.overdue,
        n(p.overdue)
    ));
    for table in tables(p) {
        out.push('\n');
        out.push_str(&table_text(&table, w));
    }
    out
}

/// One table as aligned columns under its title.
fn table_text(t: &Table, w: &Words) -> String {
    let mut out = format!("{}\n", t.title);
    if t.rows.is_empty() {
        out.push_str(&format!("  ({})\n", w.none));
        return out;
    }
    let rows: Vec<Vec<String>> = std::iter::once(t.columns.clone())
        .chain(t.rows.iter().map(|r| r.iter().map(|c| clean(c)).collect()))
        .collect();
    let widths: Vec<usize> = (0..t.columns.len())
        .map(|i| {
            rows.iter()
                .map(|r| r.get(i).map_or(0, |c| c.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in &rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .zip(&t.numeric)
            .map(|((cell, width), numeric)| {
                let pad = " ".repeat(width.saturating_sub(cell.chars().count()));
                if *numeric {
                    format!("{pad}{cell}")
                } else {
                    format!("{cell}{pad}")
                }
            })
            .collect();
        out.push_str(&format!("  {}\n", cells.join("  ").trim_end()));
    }
    out
}
