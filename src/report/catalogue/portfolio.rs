//! The words of the portfolio summary (`conduct summary`), per language: a language code in,
//! [`Words`] out (English when the language has none). Table titles, column headings and the
//! short labels of counts; verdicts, statuses, bases and plan states come from the
//! [`Catalogue`](super::Catalogue) itself.
//!
//! ```
//! use conduct::report::catalogue::portfolio::Words;
//!
//! assert_eq!(Words::for_language("sv").by_clause, "Avvikelser per krav");
//! assert_eq!(Words::for_language("de").language, "en");
//! ```

use crate::report::Severity;

/// The fixed words of the portfolio summary in one language.
#[derive(Debug)]
#[non_exhaustive]
pub struct Words {
    /// The language code of these words: `en` or `sv`.
    pub language: &'static str,
    /// The summary's heading: "Portfolio summary".
    pub heading: &'static str,
    /// Label of the number of reports: "Reports".
    pub reports: &'static str,
    /// Label of the number of suppliers: "Suppliers".
    pub suppliers: &'static str,
    /// Label of the period the reports cover: "Assessment dates".
    pub period: &'static str,
    /// Label of the pack: "Rule pack".
    pub pack: &'static str,
    /// Label of the number of findings: "Findings".
    pub findings: &'static str,
    /// Label of findings whose due date has passed: "Overdue".
    pub overdue: &'static str,
    /// Title of the clause table: "Findings per clause".
    pub by_clause: &'static str,
    /// Title of the clause status table: "Clause outcomes per clause".
    pub clause_outcomes: &'static str,
    /// Title of the verdict table: "Suppliers by result".
    pub by_verdict: &'static str,
    /// Title of the plan table: "Corrective-action plans by state".
    pub by_plan: &'static str,
    /// Title of the basis table: "Findings by source".
    pub by_basis: &'static str,
    /// Title of the country table: "Findings per country of the site".
    pub by_country: &'static str,
    /// Title of the product category table: "Findings per product category".
    pub by_category: &'static str,
    /// Title of the supplier table: "Suppliers".
    pub supplier_table: &'static str,
    /// Title of the change table: "Change since the earliest follow-up".
    pub changes: &'static str,
    /// Column: "Clause".
    pub clause: &'static str,
    /// Column: "Country".
    pub country: &'static str,
    /// Column: "Product category".
    pub category: &'static str,
    /// Column: "Supplier".
    pub supplier: &'static str,
    /// Column: "Organisation number".
    pub org_number: &'static str,
    /// Column: "Contract".
    pub contract: &'static str,
    /// Column: "Result".
    pub verdict: &'static str,
    /// Column: "Most serious finding".
    pub worst: &'static str,
    /// Column: "Total".
    pub total: &'static str,
    /// Column: "State".
    pub state: &'static str,
    /// Column: "Source".
    pub basis: &'static str,
    /// A value that is not known: "not stated".
    pub not_stated: &'static str,
    /// The findings about no site, in the country table: "supplier level, no site".
    pub supplier_level: &'static str,
    /// A finding with no linked plan state: "no plan state".
    pub no_plan: &'static str,
    /// A finding with no source: "source not stated".
    pub no_basis: &'static str,
    /// Column: "Period".
    pub between: &'static str,
    /// Column headings of the change table, in the order of
    /// [`Class::ALL`](crate::report::compare::Class::ALL): escalated, new, persisting,
    /// de-escalated, unconfirmed, resolved, remediated.
    pub change_columns: [&'static str; 7],
    /// Severities as column headings, most serious first: "Critical", "Major", "Minor".
    pub severities: [&'static str; 3],
    /// Said when a table has no rows: "none".
    pub none: &'static str,
    /// Before the reports of another pack: "Reports of the pack".
    pub other_pack: &'static str,
}

impl Words {
    /// The words for `language`, or English.
    #[must_use]
    pub fn for_language(language: &str) -> &'static Words {
        match language {
            "sv" => &SV,
            _ => &EN,
        }
    }

    /// A severity as a column heading: "Major", "Större".
    #[must_use]
    pub fn severity(&self, severity: Severity) -> &'static str {
        let [critical, major, minor] = self.severities;
        match severity {
            Severity::Critical => critical,
            Severity::Major => major,
            Severity::Minor => minor,
        }
    }
}

/// English.
static EN: Words = Words {
    language: "en",
    heading: "Portfolio summary",
    reports: "Reports",
    suppliers: "Suppliers",
    period: "Assessment dates",
    pack: "Rule pack",
    findings: "Findings",
    overdue: "Overdue",
    by_clause: "Findings per clause",
    clause_outcomes: "Outcomes per clause",
    by_verdict: "Suppliers by result",
    by_plan: "Corrective-action plans by state",
    by_basis: "Findings by source",
    by_country: "Findings per country of the site",
    by_category: "Findings per product category",
    supplier_table: "Suppliers",
    changes: "Change since the earliest follow-up",
    clause: "Clause",
    country: "Country",
    category: "Product category",
    supplier: "Supplier",
    org_number: "Organisation number",
    contract: "Contract",
    verdict: "Result",
    worst: "Most serious finding",
    total: "Total",
    state: "State",
    basis: "Source",
    not_stated: "not stated",
    supplier_level: "supplier level, no site",
    no_plan: "no plan state",
    no_basis: "source not stated",
    between: "Period",
    change_columns: [
        "Escalated",
        "New",
        "Persisting",
        "De-escalated",
        "Unconfirmed",
        "Resolved",
        "Remediated",
    ],
    severities: ["Critical", "Major", "Minor"],
    none: "none",
    other_pack: "Reports of the pack",
};

/// Swedish, in the terms of the regions' code of conduct.
static SV: Words = Words {
    language: "sv",
    heading: "Sammanställning av uppföljningen",
    reports: "Rapporter",
    suppliers: "Leverantörer",
    period: "Bedömningsdatum",
    pack: "Regelpaket",
    findings: "Avvikelser",
    overdue: "Försenade",
    by_clause: "Avvikelser per krav",
    clause_outcomes: "Utfall per krav",
    by_verdict: "Leverantörer per resultat",
    by_plan: "Åtgärdsplaner per status",
    by_basis: "Avvikelser per källa",
    by_country: "Avvikelser per land för anläggningen",
    by_category: "Avvikelser per produktkategori",
    supplier_table: "Leverantörer",
    changes: "Förändring sedan den första uppföljningen",
    clause: "Krav",
    country: "Land",
    category: "Produktkategori",
    supplier: "Leverantör",
    org_number: "Organisationsnummer",
    contract: "Avtal",
    verdict: "Resultat",
    worst: "Allvarligaste avvikelsen",
    total: "Totalt",
    state: "Status",
    basis: "Källa",
    not_stated: "ej angivet",
    supplier_level: "leverantörsnivå, ingen anläggning",
    no_plan: "ingen planstatus",
    no_basis: "källa ej angiven",
    between: "Period",
    change_columns: [
        "Skärpta",
        "Nya",
        "Kvarstående",
        "Mildrade",
        "Ej bekräftade",
        "Åtgärdade",
        "Avhjälpta",
    ],
    severities: ["Allvarlig", "Större", "Mindre"],
    none: "inga",
    other_pack: "Rapporter från regelpaketet",
};
