//! The portfolio summary: many [`Report`]s in — every supplier a region follows up, one or
//! more follow-ups each — and the counts a region reports out: per clause × status ×
//! severity, per country of the site and per product category, per supplier its latest
//! verdict and most serious finding, corrective-action plans by state, overdue findings,
//! findings by basis, and each supplier's change between its earliest and latest follow-up
//! ([`Report::compare`]). Its JSON form is `conduct-summary/1`
//! (`schemas/summary.schema.json`); [`text::render`] gives the tables in words.
//!
//! Counts over findings and clause outcomes take every report given; the supplier table and
//! the suppliers by verdict take each supplier's latest report.
//!
//! ```
//! use conduct::report::portfolio::Portfolio;
//! use conduct::{Options, RulePack, Severity};
//!
//! let pack = RulePack::load("rules/regions")?;
//! let read = |path| conduct::pack::evidence::read(std::fs::File::open(path)?);
//! let (gaps, clean) = (read("examples/supplier-with-gaps.json")?, read("examples/example-evidence.json")?);
//! let reports = [gaps.value(), clean.value()].map(|e| pack.evaluate(e, &Options::default()));
//!
//! let portfolio: Portfolio = reports.iter().collect();
//! assert_eq!(portfolio.reports, 2);
//! let findings: usize = reports.iter().map(|r| r.violations().count()).sum();
//! assert_eq!(portfolio.findings.len(), findings);
//! assert_eq!(portfolio.totals, reports.iter().map(|r| r.summary).sum());
//! let hours = portfolio.clause("working_hours.weekly_limit").expect("violated in both");
//! assert!(hours.findings.of(Severity::Major) > 0);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use indexmap::IndexMap;
use serde::Serialize;

use super::compare::Counts;
use super::{
    Basis, BySeverity, Date, PackInfo, PlanState, Report, Severity, Status, Summary, Verdict,
    Violation,
};

mod counts;
pub mod text;

pub use self::counts::{ByBasis, ByPlan, ByStatus, ByVerdict};

/// The summary format identifier of the JSON form.
pub const SUMMARY_FORMAT: &str = "conduct-summary/1";

/// Many reports summed up: built with [`Portfolio::new`] and [`Portfolio::add`], or collected
/// from an iterator of reports (in the first report's language).
///
/// Every list is in a fixed order: clauses as first seen (the pack's order), countries and
/// categories by name (the findings about no site, then the unknown, last), suppliers as first
/// seen, findings as added.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Portfolio {
    /// Always [`SUMMARY_FORMAT`].
    pub format: String,
    /// The language of the titles and words.
    pub language: String,
    /// The packs the reports were made with (name and digest), in the order first seen.
    pub packs: Vec<PackInfo>,
    /// Reports added.
    pub reports: usize,
    /// The earliest evaluation date among the reports.
    pub first_as_of: Option<Date>,
    /// The latest evaluation date among the reports.
    pub last_as_of: Option<Date>,
    /// The reports' summaries added up.
    pub totals: Summary,
    /// Suppliers per verdict of their latest report.
    pub verdicts: ByVerdict,
    /// Findings per state of their corrective-action plan.
    pub plans: ByPlan,
    /// Findings per basis.
    pub bases: ByBasis,
    /// Findings whose due date is before their report's evaluation date.
    pub overdue: usize,
    /// Per clause: outcomes per status and findings per severity.
    pub clauses: Vec<ClauseCounts>,
    /// Findings per country of the site they are about: a site's country is the `country`
    /// label its report records for it (the pack's `labels`, see [`Report::labels`]); findings
    /// about no site (the supplier's routines, a request) are one group of their own
    /// ([`GroupCounts::supplier_level`]), and site findings whose country the report does not
    /// give are the unknown group.
    pub countries: Vec<GroupCounts>,
    /// Findings per product category of the contract.
    pub categories: Vec<GroupCounts>,
    /// One line per supplier (under one contract), from its latest report.
    pub suppliers: Vec<SupplierLine>,
    /// Every finding of every report, one line each.
    pub findings: Vec<FindingLine>,
    /// Each supplier's earliest and latest report.
    #[serde(skip)]
    history: IndexMap<String, History>,
    /// Clause titles in the portfolio's language, from the pack.
    #[serde(skip)]
    titles: IndexMap<String, String>,
}

/// One clause's counts.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ClauseCounts {
    /// The clause id.
    pub clause: String,
    /// Its title, in the portfolio's language when a report or the pack gives it in that
    /// language.
    pub title: String,
    /// Reports per outcome status of the clause.
    pub statuses: ByStatus,
    /// Findings per severity.
    pub findings: BySeverity,
    /// Findings whose due date has passed.
    pub overdue: usize,
    /// Whether `title` is in the portfolio's language.
    #[serde(skip)]
    title_in_language: bool,
}

/// Findings of one country or product category.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct GroupCounts {
    /// The country or category; `None` for findings where the reports do not say, and for
    /// the findings about no site.
    pub name: Option<String>,
    /// The group of the findings about no site (of countries only): the supplier's own
    /// routines, its requests and reports. Left out of the JSON when false.
    #[serde(skip_serializing_if = "is_false")]
    pub supplier_level: bool,
    /// Reports counted in the group: for a category, every report of it; for a country, the
    /// reports with a finding there.
    pub reports: usize,
    /// Findings per severity.
    pub findings: BySeverity,
}

/// One supplier (under one contract), from its latest report.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SupplierLine {
    /// The supplier's name, as its report's subject gives it.
    pub supplier: Option<String>,
    /// Its organisation number.
    pub org_number: Option<String>,
    /// The contract.
    pub contract: Option<String>,
    /// The contract's product category.
    pub category: Option<String>,
    /// How many of its reports were added.
    pub reports: usize,
    /// The evaluation date of its latest report.
    pub as_of: Option<Date>,
    /// The verdict of its latest report.
    pub verdict: Verdict,
    /// The findings of its latest report per severity.
    pub findings: BySeverity,
    /// The findings of its latest report that are overdue.
    pub overdue: usize,
    /// The most serious finding of its latest report (the first of the highest severity).
    pub worst: Option<Worst>,
    /// The change between its earliest and latest report, when there are two dates.
    pub change: Option<Change>,
}

/// A supplier's most serious finding.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Worst {
    /// The finding's clause.
    pub clause: String,
    /// The finding's id.
    pub id: String,
    /// Its severity.
    pub severity: Severity,
    /// Its basis.
    pub basis: Option<Basis>,
    /// What was found, in the report's language.
    pub message: String,
}

/// A supplier's change between two follow-ups.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Change {
    /// The earliest report's evaluation date.
    pub earlier: Option<Date>,
    /// The latest report's evaluation date.
    pub newer: Option<Date>,
    /// Findings per class of change, and how many are overdue.
    pub counts: Counts,
}

/// One finding of one report, with who and where it is about.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct FindingLine {
    /// The supplier's name.
    pub supplier: Option<String>,
    /// Its organisation number.
    pub org_number: Option<String>,
    /// The contract.
    pub contract: Option<String>,
    /// The contract's product category.
    pub category: Option<String>,
    /// The site the finding is about (its `site_id`).
    pub site: Option<String>,
    /// The site's country, where the report says (the `country` label of the site); `None`
    /// for a finding about no site.
    pub country: Option<String>,
    /// The report's evaluation date.
    pub as_of: Option<Date>,
    /// The clause.
    pub clause: String,
    /// The requirement within the clause.
    pub requirement: String,
    /// The finding's severity.
    pub severity: Severity,
    /// How the facts were obtained.
    pub basis: Option<Basis>,
    /// The clause's outcome in the report.
    pub status: Status,
    /// The due date of the corrective action.
    pub due: Option<Date>,
    /// `due` is before the report's evaluation date.
    pub overdue: bool,
    /// The state of the corrective-action plan.
    pub plan: Option<PlanState>,
    /// The finding's id.
    pub id: String,
}

/// A supplier's earliest and latest reports.
#[derive(Clone, Debug, PartialEq)]
struct History {
    earliest: Report,
    latest: Report,
    /// Its line in `suppliers`.
    line: usize,
}

impl Portfolio {
    /// An empty portfolio whose titles and words are in `language`.
    #[must_use]
    pub fn new(language: &str) -> Portfolio {
        Portfolio {
            format: SUMMARY_FORMAT.to_string(),
            language: language.to_string(),
            packs: Vec::new(),
            reports: 0,
            first_as_of: None,
            last_as_of: None,
            totals: Summary::default(),
            verdicts: ByVerdict::default(),
            plans: ByPlan::default(),
            bases: ByBasis::default(),
            overdue: 0,
            clauses: Vec::new(),
            countries: Vec::new(),
            categories: Vec::new(),
            suppliers: Vec::new(),
            findings: Vec::new(),
            history: IndexMap::new(),
            titles: IndexMap::new(),
        }
    }

    /// Takes the clause titles in the portfolio's language from the pack: each clause's id
    /// and titles per language, as [`ClauseInfo`](crate::pack::ClauseInfo) gives them. A
    /// clause without a title in the language keeps the title its reports give. Applies to
    /// the clauses already counted and those still to come.
    ///
    /// ```
    /// use conduct::report::portfolio::Portfolio;
    ///
    /// let pack = conduct::RulePack::load("rules/regions")?;
    /// let evidence = conduct::pack::evidence::read(std::fs::File::open("examples/example-evidence.json")?)?;
    /// let english = pack.evaluate(evidence.value(), &conduct::Options::default());
    /// let mut portfolio = Portfolio::new("sv");
    /// portfolio.add(&english);
    /// let clauses = pack.clauses();
    /// portfolio.use_titles(clauses.iter().map(|c| (c.id.as_str(), c.titles.as_slice())));
    /// assert_eq!(portfolio.title("child_labour.minimum_age"), "Inget barnarbete: lägsta ålder för arbete");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn use_titles<'a>(
        &mut self,
        clauses: impl IntoIterator<Item = (&'a str, &'a [(String, String)])>,
    ) {
        for (id, titles) in clauses {
            if let Some((_, title)) = titles.iter().find(|(l, _)| *l == self.language) {
                self.titles.insert(id.to_string(), title.clone());
            }
        }
        for c in &mut self.clauses {
            if let Some(title) = self.titles.get(&c.clause) {
                c.title.clone_from(title);
                c.title_in_language = true;
            }
        }
    }

    /// The counts of one clause.
    #[must_use]
    pub fn clause(&self, id: &str) -> Option<&ClauseCounts> {
        self.clauses.iter().find(|c| c.clause == id)
    }

    /// A clause's title as the portfolio shows it; the id when the clause was never counted.
    #[must_use]
    pub fn title<'a>(&'a self, clause: &'a str) -> &'a str {
        self.clause(clause).map_or(clause, |c| c.title.as_str())
    }

    /// The number of distinct suppliers (under one contract each).
    #[must_use]
    pub fn supplier_count(&self) -> usize {
        self.suppliers.len()
    }

    /// Adds one report: its outcomes, findings, supplier and category.
    pub fn add(&mut self, report: &Report) {
        if !self
            .packs
            .iter()
            .any(|p| p.name == report.pack.name && p.digest == report.pack.digest)
        {
            self.packs.push(report.pack.clone());
        }
        self.reports += 1;
        if let Some(as_of) = report.as_of {
            self.first_as_of = Some(self.first_as_of.map_or(as_of, |d| d.min(as_of)));
            self.last_as_of = Some(self.last_as_of.map_or(as_of, |d| d.max(as_of)));
        }
        self.totals += report.summary;
        let who = Who::of(report);
        let mut countries: Vec<Place> = Vec::new();
        for outcome in &report.outcomes {
            let index = self.clause_index(report, &outcome.clause, &outcome.title);
            let mut overdue = 0;
            let mut by_severity = BySeverity::default();
            for v in &outcome.violations {
                let line = self.finding(report, &who, outcome.status, v);
                overdue += usize::from(line.overdue);
                by_severity.count(line.severity);
                let place = Place::of(&line);
                add_to_group(&mut self.countries, &place, 0, one(v.severity));
                if !countries.contains(&place) {
                    countries.push(place);
                }
                self.findings.push(line);
            }
            if let Some(c) = self.clauses.get_mut(index) {
                c.statuses.count(outcome.status);
                c.findings += by_severity;
                c.overdue += overdue;
            }
        }
        for place in countries {
            add_to_group(&mut self.countries, &place, 1, BySeverity::default());
        }
        let by_severity = report.summary.by_severity;
        let category = Place {
            name: who.category.clone(),
            supplier_level: false,
        };
        add_to_group(&mut self.categories, &category, 1, by_severity);
        self.supplier(report, who);
    }

    /// The index of a clause's counts, added when new; its title in the best language known.
    fn clause_index(&mut self, report: &Report, clause: &str, title: &str) -> usize {
        let in_language = report.language == self.language;
        if let Some(i) = self.clauses.iter().position(|c| c.clause == clause) {
            if let Some(c) = self.clauses.get_mut(i)
                && in_language
                && !c.title_in_language
            {
                c.title = title.to_string();
                c.title_in_language = true;
            }
            return i;
        }
        let (title, title_in_language) = match self.titles.get(clause) {
            Some(t) => (t.clone(), true),
            None => (title.to_string(), in_language),
        };
        self.clauses.push(ClauseCounts {
            clause: clause.to_string(),
            title,
            statuses: ByStatus::default(),
            findings: BySeverity::default(),
            overdue: 0,
            title_in_language,
        });
        self.clauses.len() - 1
    }

    /// One finding's line, counted by plan state, basis and overdue.
    fn finding(
        &mut self,
        report: &Report,
        who: &Who,
        status: Status,
        v: &Violation,
    ) -> FindingLine {
        let remediation = v.remediation.as_ref();
        let due = remediation.and_then(|r| r.due);
        let plan = remediation.and_then(|r| r.plan);
        let overdue = matches!((due, report.as_of), (Some(due), Some(as_of)) if due < as_of);
        self.plans.count(plan);
        self.bases.count(v.basis);
        self.overdue += usize::from(overdue);
        FindingLine {
            supplier: who.supplier.clone(),
            org_number: who.org_number.clone(),
            contract: who.contract.clone(),
            category: who.category.clone(),
            site: text_of(v.subject.get("site_id")),
            country: country_of(report, v),
            as_of: report.as_of,
            clause: v.clause.clone(),
            requirement: v.requirement.clone(),
            severity: v.severity,
            basis: v.basis,
            status,
            due,
            overdue,
            plan,
            id: v.id.clone(),
        }
    }

    /// Records the report in its supplier's history and updates the supplier's line.
    fn supplier(&mut self, report: &Report, who: Who) {
        let key = who.key(self.history.len());
        if !self.history.contains_key(&key) {
            self.suppliers.push(SupplierLine {
                supplier: who.supplier,
                org_number: who.org_number,
                contract: who.contract,
                category: who.category,
                reports: 0,
                as_of: None,
                verdict: report.verdict,
                findings: BySeverity::default(),
                overdue: 0,
                worst: None,
                change: None,
            });
            self.verdicts.count(report.verdict);
            let line = self.suppliers.len() - 1;
            self.history.insert(
                key.clone(),
                History {
                    earliest: report.clone(),
                    latest: report.clone(),
                    line,
                },
            );
        }
        let Some(history) = self.history.get_mut(&key) else {
            return;
        };
        if report.as_of < history.earliest.as_of {
            history.earliest = report.clone();
        }
        if report.as_of >= history.latest.as_of {
            history.latest = report.clone();
        }
        let Some(line) = self.suppliers.get_mut(history.line) else {
            return;
        };
        let latest = &history.latest;
        line.reports += 1;
        if line.verdict != latest.verdict {
            uncount(&mut self.verdicts, line.verdict);
            self.verdicts.count(latest.verdict);
        }
        line.verdict = latest.verdict;
        line.as_of = latest.as_of;
        line.findings = latest.summary.by_severity;
        line.overdue = latest
            .violations()
            .filter(|v| {
                let due = v.remediation.as_ref().and_then(|r| r.due);
                matches!((due, latest.as_of), (Some(due), Some(as_of)) if due < as_of)
            })
            .count();
        line.worst = latest
            .violations()
            .fold(None::<&Violation>, |worst, v| match worst {
                Some(w) if w.severity >= v.severity => Some(w),
                _ => Some(v),
            })
            .map(|v| Worst {
                clause: v.clause.clone(),
                id: v.id.clone(),
                severity: v.severity,
                basis: v.basis,
                message: v.message.clone(),
            });
        line.change = (history.earliest.as_of != latest.as_of)
            .then(|| latest.compare(&history.earliest).ok())
            .flatten()
            .map(|c| Change {
                earlier: c.earlier.as_of,
                newer: c.newer.as_of,
                counts: c.summary,
            });
    }
}

impl Default for Portfolio {
    /// An empty portfolio in English.
    fn default() -> Portfolio {
        Portfolio::new("en")
    }
}

impl<'a> FromIterator<&'a Report> for Portfolio {
    /// A portfolio of the reports, in the first report's language (English when there is
    /// none).
    fn from_iter<I: IntoIterator<Item = &'a Report>>(reports: I) -> Portfolio {
        let mut portfolio: Option<Portfolio> = None;
        for report in reports {
            portfolio
                .get_or_insert_with(|| Portfolio::new(&report.language))
                .add(report);
        }
        portfolio.unwrap_or_default()
    }
}

impl FromIterator<Report> for Portfolio {
    /// A portfolio of the reports, in the first report's language.
    fn from_iter<I: IntoIterator<Item = Report>>(reports: I) -> Portfolio {
        let mut portfolio: Option<Portfolio> = None;
        for report in reports {
            portfolio
                .get_or_insert_with(|| Portfolio::new(&report.language))
                .add(&report);
        }
        portfolio.unwrap_or_default()
    }
}

impl Extend<Report> for Portfolio {
    fn extend<I: IntoIterator<Item = Report>>(&mut self, reports: I) {
        for report in reports {
            self.add(&report);
        }
    }
}

/// Who a report is about, from its subject (`supplier`, `org_number`, `contract`,
/// `category`, as the regions' pack names them).
struct Who {
    supplier: Option<String>,
    org_number: Option<String>,
    contract: Option<String>,
    category: Option<String>,
}

impl Who {
    fn of(report: &Report) -> Who {
        let field = |name: &str| text_of(report.subject.get(name));
        Who {
            supplier: field("supplier"),
            org_number: field("org_number"),
            contract: field("contract"),
            category: field("category"),
        }
    }

    /// The key that tells suppliers apart: the organisation number, else the name (case and
    /// white space aside), with the contract; a report that names none is a supplier of its own.
    fn key(&self, n: usize) -> String {
        let normal = |s: &Option<String>| {
            s.as_deref().map(|s| {
                s.split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .to_lowercase()
            })
        };
        match (
            normal(&self.org_number),
            normal(&self.supplier),
            normal(&self.contract),
        ) {
            (None, None, None) => format!("\u{0}{n}"),
            (Some(org), _, contract) => {
                format!("org\u{0}{org}\u{0}{}", contract.unwrap_or_default())
            }
            (None, name, contract) => format!(
                "name\u{0}{}\u{0}{}",
                name.unwrap_or_default(),
                contract.unwrap_or_default()
            ),
        }
    }
}

/// A string value's text; numbers as written; `None` for null, absent or an empty string.
fn text_of(value: Option<&serde_json::Value>) -> Option<String> {
    match value? {
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The country a finding is about: a `country` among the finding's subject keys, else the
/// `country` label the report records for one of its subject keys (a site's), else the one its
/// items share, else the report subject's `country`.
fn country_of(report: &Report, v: &Violation) -> Option<String> {
    if let Some(c) = text_of(v.subject.get("country")) {
        return Some(c);
    }
    if let Some(c) = v
        .subject
        .iter()
        .find_map(|(key, value)| text_of(report.label(key, value, "country")))
    {
        return Some(c);
    }
    let mut items = v.items.iter().map(|i| text_of(i.keys.get("country")));
    if let Some(Some(first)) = items.next()
        && items.all(|c| c.as_deref() == Some(first.as_str()))
    {
        return Some(first);
    }
    text_of(report.subject.get("country"))
}

/// The group of a finding among the countries or categories: a name, the findings about no
/// site, or the unknown.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Place {
    name: Option<String>,
    supplier_level: bool,
}

impl Place {
    /// A finding's country: its site's, none for a finding about no site (and no country),
    /// else unknown.
    fn of(line: &FindingLine) -> Place {
        Place {
            name: line.country.clone(),
            supplier_level: line.country.is_none() && line.site.is_none(),
        }
    }
}

/// The order of the groups: names in order, then the findings about no site, then the unknown.
fn order(name: Option<&str>, supplier_level: bool) -> (u8, Option<&str>) {
    let rank = match (name, supplier_level) {
        (Some(_), _) => 0,
        (None, true) => 1,
        (None, false) => 2,
    };
    (rank, name)
}

/// Adds to the counts of one country or category, added in [`order`] when new.
fn add_to_group(
    groups: &mut Vec<GroupCounts>,
    place: &Place,
    reports: usize,
    findings: BySeverity,
) {
    let wanted = order(place.name.as_deref(), place.supplier_level);
    let at = groups
        .binary_search_by(|g| order(g.name.as_deref(), g.supplier_level).cmp(&wanted))
        .unwrap_or_else(|at| {
            groups.insert(
                at,
                GroupCounts {
                    name: place.name.clone(),
                    supplier_level: place.supplier_level,
                    reports: 0,
                    findings: BySeverity::default(),
                },
            );
            at
        });
    if let Some(g) = groups.get_mut(at) {
        g.reports += reports;
        g.findings += findings;
    }
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes a reference"
)]
fn is_false(b: &bool) -> bool {
    !*b
}

/// One finding of a severity.
fn one(severity: Severity) -> BySeverity {
    let mut counts = BySeverity::default();
    counts.count(severity);
    counts
}

fn uncount(verdicts: &mut ByVerdict, verdict: Verdict) {
    let slot = match verdict {
        Verdict::NonCompliant => &mut verdicts.non_compliant,
        Verdict::Incomplete => &mut verdicts.incomplete,
        Verdict::Compliant => &mut verdicts.compliant,
    };
    *slot = slot.saturating_sub(1);
}
