//! The words of the catalogues, one static per language: English, and Swedish in the terms of
//! the regions' code of conduct. [`super::Catalogue`] holds what they are and how they are used.

use super::docs::DocWords;
use super::{Catalogue, Counted, KeyWords, NBSP};

/// English.
pub(super) static EN: Catalogue = Catalogue {
    language: "en",
    edition: "edition",
    assessment_date: "Assessment date",
    document: "Document",
    result: "Result",
    deviation: "Deviation",
    alleged_deviation: "Alleged deviation",
    observed: "Observed",
    requirement: "Requirement",
    action: "Action",
    due_before: "by",
    plan: "Corrective-action plan",
    source: "Source",
    insufficient_evidence: "Insufficient evidence",
    missing: "Missing",
    missing_for: "Missing for",
    number: "no.",
    invalid_value: "the value given cannot be used",
    missing_as_of: "the assessment date (give --as-of)",
    whole_document: "the whole evidence document",
    not_examined: "Not examined in this follow-up",
    not_evaluated: "Could not be evaluated",
    technical_error: "a technical error in the evaluation; ask the rule authors",
    compliant: "Requirements met",
    not_applicable: "Not applicable",
    remediated: "put right",
    truncated: "… more deviations were found than can be listed",
    no_deviations: "no deviations",
    and: "and",
    id: "id",
    pointer: "evidence",
    found: "found",
    required: "required",
    rule: "rule",
    pack: "pack",
    references: "References",
    scope: "Scope of this follow-up",
    evidence_to_send: "Evidence to send",
    whole_supplier: "The supplier as a whole",
    attach: "Attach",
    docs: &DOCS_EN,
    verdicts: ["Compliant", "Non-compliant", "Incomplete"],
    statuses: [
        "Violated",
        "Compliant",
        "Insufficient evidence",
        "Not applicable",
        "Not examined",
        "Could not be evaluated",
    ],
    severities: [
        Counted {
            one: "critical deviation",
            other: "critical deviations",
        },
        Counted {
            one: "major deviation",
            other: "major deviations",
        },
        Counted {
            one: "minor deviation",
            other: "minor deviations",
        },
    ],
    severity_headings: [
        "Critical deviations",
        "Major deviations",
        "Minor deviations",
    ],
    severe: "Severe deviation",
    severe_duty: "the supplier must report it to the buyer within the contract's deadline",
    severe_categories: &[
        ("child_labour", "child labour"),
        ("forced_labour", "forced labour"),
        ("danger_to_life", "danger to life"),
        ("serious_environmental_harm", "serious environmental harm"),
        ("grand_corruption", "grand corruption"),
        (
            "attack_on_defenders",
            "attacks on human-rights or environmental defenders",
        ),
    ],
    bases: [
        "verified in an audit",
        "reported by the supplier",
        "alleged by others, not established",
    ],
    due_from: [
        "as agreed in the corrective-action plan",
        "counted from the date the evidence shows",
        "counted from the assessment date",
    ],
    plan_states: ["green", "yellow", "red"],
    plan_meanings: [
        "closed and verified",
        "open within its deadline",
        "overdue or no plan",
    ],
    keys: &[
        KeyWords {
            key: "site_id",
            one: "site",
            other: "sites",
        },
        KeyWords {
            key: "worker_ref",
            one: "worker",
            other: "workers",
        },
        KeyWords {
            key: "request_id",
            one: "request",
            other: "requests",
        },
        KeyWords {
            key: "finding_id",
            one: "audit finding",
            other: "audit findings",
        },
        KeyWords {
            key: "policy_id",
            one: "policy",
            other: "policies",
        },
        KeyWords {
            key: "audit_id",
            one: "audit",
            other: "audits",
        },
        KeyWords {
            key: "supplier",
            one: "supplier",
            other: "suppliers",
        },
        KeyWords {
            key: "contract",
            one: "contract",
            other: "contracts",
        },
        KeyWords {
            key: "org_number",
            one: "organisation number",
            other: "organisation numbers",
        },
        KeyWords {
            key: "category",
            one: "product category",
            other: "product categories",
        },
    ],
    insufficient_count: Counted {
        one: "insufficient evidence for {n} requirement",
        other: "insufficient evidence for {n} requirements",
    },
    error_count: Counted {
        one: "{n} requirement could not be evaluated",
        other: "{n} requirements could not be evaluated",
    },
    not_examined_count: Counted {
        one: "{n} requirement was not examined in this follow-up",
        other: "{n} requirements were not examined in this follow-up",
    },
    examined_count: Counted {
        one: "{k} of {n} requirement was examined in this follow-up",
        other: "{k} of {n} requirements were examined in this follow-up",
    },
    examined_of: Counted {
        one: "{k} of {n} examined",
        other: "{k} of {n} examined",
    },
    examined_of_noun: Counted {
        one: "{k} of {n} {noun} examined",
        other: "{k} of {n} {noun} examined",
    },
    failing: Counted {
        one: "{n} {noun}",
        other: "{n} {noun}",
    },
    and_more: "… and {n} more",
    thousands: ',',
    decimal_point: '.',
    percent_sign: "%",
};

/// Swedish, in the terms of the regions' code of conduct.
pub(super) static SV: Catalogue = Catalogue {
    language: "sv",
    edition: "utgåva",
    assessment_date: "Bedömningsdatum",
    document: "Dokument",
    result: "Resultat",
    deviation: "Avvikelse",
    alleged_deviation: "Påstådd avvikelse",
    observed: "Iakttaget",
    requirement: "Krav",
    action: "Åtgärd",
    due_before: "senast",
    plan: "Åtgärdsplan",
    source: "Källa",
    insufficient_evidence: "Otillräckligt underlag",
    missing: "Saknas",
    missing_for: "Saknas för",
    number: "nr",
    invalid_value: "angivet värde kan inte användas",
    missing_as_of: "bedömningsdatum (ange --as-of)",
    whole_document: "hela underlaget",
    not_examined: "Ej granskat i denna uppföljning",
    not_evaluated: "Kunde inte bedömas",
    technical_error: "ett tekniskt fel i bedömningen; kontakta regelförfattarna",
    compliant: "Uppfyllda krav",
    not_applicable: "Ej tillämpliga krav",
    remediated: "åtgärdat",
    truncated: "… fler avvikelser hittades än som kan listas",
    no_deviations: "inga avvikelser",
    and: "och",
    id: "id",
    pointer: "fält",
    found: "värde",
    required: "krav",
    rule: "regel",
    pack: "regelpaket",
    references: "Referenser",
    scope: "Granskningens omfattning",
    evidence_to_send: "Underlag att skicka in",
    whole_supplier: "Leverantören som helhet",
    attach: "Bifoga",
    docs: &DOCS_SV,
    verdicts: [
        "Uppfyller kraven",
        "Uppfyller inte kraven",
        "Ofullständig bedömning",
    ],
    statuses: [
        "Avvikelse",
        "Uppfyllt",
        "Otillräckligt underlag",
        "Ej tillämpligt",
        "Ej granskat",
        "Kunde inte bedömas",
    ],
    severities: [
        Counted {
            one: "allvarlig avvikelse",
            other: "allvarliga avvikelser",
        },
        Counted {
            one: "större avvikelse",
            other: "större avvikelser",
        },
        Counted {
            one: "mindre avvikelse",
            other: "mindre avvikelser",
        },
    ],
    severity_headings: [
        "Allvarliga avvikelser",
        "Större avvikelser",
        "Mindre avvikelser",
    ],
    severe: "Allvarlig avvikelse",
    severe_duty: "leverantören ska rapportera den till köparen inom avtalets tidsfrist",
    severe_categories: &[
        ("child_labour", "barnarbete"),
        ("forced_labour", "tvångsarbete"),
        ("danger_to_life", "fara för liv"),
        ("serious_environmental_harm", "allvarlig miljöskada"),
        ("grand_corruption", "grov korruption"),
        (
            "attack_on_defenders",
            "angrepp på människorätts- eller miljöförsvarare",
        ),
    ],
    bases: [
        "verifierat vid revision",
        "uppgett av leverantören",
        "påstående från andra, inte fastställt",
    ],
    due_from: [
        "enligt överenskommen åtgärdsplan",
        "räknat från det datum underlaget visar",
        "räknat från bedömningsdatumet",
    ],
    plan_states: ["grön", "gul", "röd"],
    plan_meanings: [
        "åtgärdad och verifierad",
        "öppen inom tidsfristen",
        "försenad eller utan åtgärdsplan",
    ],
    keys: &[
        KeyWords {
            key: "site_id",
            one: "anläggning",
            other: "anläggningar",
        },
        KeyWords {
            key: "worker_ref",
            one: "arbetstagare",
            other: "arbetstagare",
        },
        KeyWords {
            key: "request_id",
            one: "begäran",
            other: "begäranden",
        },
        KeyWords {
            key: "finding_id",
            one: "revisionsiakttagelse",
            other: "revisionsiakttagelser",
        },
        KeyWords {
            key: "policy_id",
            one: "policy",
            other: "policyer",
        },
        KeyWords {
            key: "audit_id",
            one: "revision",
            other: "revisioner",
        },
        KeyWords {
            key: "supplier",
            one: "leverantör",
            other: "leverantörer",
        },
        KeyWords {
            key: "contract",
            one: "avtal",
            other: "avtal",
        },
        KeyWords {
            key: "org_number",
            one: "organisationsnummer",
            other: "organisationsnummer",
        },
        KeyWords {
            key: "category",
            one: "produktkategori",
            other: "produktkategorier",
        },
    ],
    insufficient_count: Counted {
        one: "otillräckligt underlag för {n} krav",
        other: "otillräckligt underlag för {n} krav",
    },
    error_count: Counted {
        one: "{n} krav kunde inte bedömas",
        other: "{n} krav kunde inte bedömas",
    },
    not_examined_count: Counted {
        one: "{n} krav granskades inte i denna uppföljning",
        other: "{n} krav granskades inte i denna uppföljning",
    },
    examined_count: Counted {
        one: "{k} av {n} krav granskades i denna uppföljning",
        other: "{k} av {n} krav granskades i denna uppföljning",
    },
    examined_of: Counted {
        one: "{k} av {n} granskad",
        other: "{k} av {n} granskade",
    },
    examined_of_noun: Counted {
        one: "{k} av {n} granskad {noun}",
        other: "{k} av {n} granskade {noun}",
    },
    failing: Counted {
        one: "{n} {noun}",
        other: "{n} {noun}",
    },
    and_more: "… och {n} till",
    thousands: NBSP,
    decimal_point: ',',
    percent_sign: "\u{a0}%",
};

/// The documents' words in English.
static DOCS_EN: DocWords = DocWords {
    severities_heading: "Severities",
    deadlines_heading: "Deadlines",
    deadlines_from: "A finding is due by the deadline agreed in a corrective-action plan for it, where \
        there is one. Otherwise the clause's deadline counts from the date the evidence establishes \
        the deviation (the date of the audit report, of the request, of the report of the \
        finding) and, without such a date, from the assessment date. The deadlines below are the \
        defaults of each clause; a contract's own deadlines take their place.",
    documents_to_attach: "Documents to attach",
    clause: "Clause",
    defined_at: "defined at",
    outcome: "Outcome",
    reads_outcomes: "Reads the outcomes of",
    error: "error",
    missing: "missing",
    invalid: "invalid",
    applies_when: "Applies when",
    insufficient_unless: "Insufficient unless",
    for_items: "for",
    values_computed: "Values computed",
    smallest_of: "the smallest of",
    largest_of: "the largest of",
    chosen: "chosen",
    requirement: "Requirement",
    not_evaluated: "not evaluated",
    results: ["holds", "FAILS", "REMEDIED", "UNKNOWN"],
    whole_clause: "(clause)",
    undecided: "undecided",
    found: "found",
    required: "required",
    at: "at",
    truths: ["true", "false", "unknown"],
    severity: "severity",
    severity_fixed: "fixed by the rule",
    severity_established: "established by",
    severity_base: "base severity, no case established",
    when: "when",
    object_of: "an object of {n} fields",
    list_of: "a list of {n} items",
    more_values: "… and {n} more values",
    more_items: "… and {n} more items",
    severity_meanings: [
        "Critical deviation: a severe deviation under the code (child labour, forced labour, \
         danger to life or health, serious harm to the environment, grand corruption, attacks on \
         human-rights defenders) or a breach of a fundamental right. The supplier reports it \
         within the contract's deadline and puts it right first.",
        "Major deviation: a requirement of the code is not met in a way that affects workers, \
         their rights or the environment. It is put right within the clause's deadline.",
        "Minor deviation: a single or administrative lapse (a record, a routine, a document) \
         that does not by itself harm anyone. It is put right within the longer deadline.",
    ],
    immediately: "immediately",
    units: [
        ("day", "days"),
        ("week", "weeks"),
        ("month", "months"),
        ("year", "years"),
    ],
};

/// The documents' words in Swedish, in the terms of the regions' code of conduct.
static DOCS_SV: DocWords = DocWords {
    severities_heading: "Allvarlighetsgrader",
    deadlines_heading: "Tidsfrister",
    deadlines_from: "En avvikelse ska vara åtgärdad senast den dag som har avtalats i en åtgärdsplan \
        för den, om det finns en. Annars räknas klausulens tidsfrist från det datum då underlaget \
        visar avvikelsen (revisionsrapportens, begärans eller rapportens datum) och, utan ett \
        sådant datum, från bedömningsdatumet. Tidsfristerna nedan gäller när avtalet inte anger \
        egna; avtalets tidsfrister går före.",
    documents_to_attach: "Bifoga",
    clause: "Klausul",
    defined_at: "definierad i",
    outcome: "Utfall",
    reads_outcomes: "Läser utfallen av",
    error: "fel",
    missing: "saknas",
    invalid: "ogiltigt",
    applies_when: "Tillämplig",
    insufficient_unless: "Otillräckligt underlag om inte",
    for_items: "för",
    values_computed: "Beräknade värden",
    smallest_of: "det minsta av",
    largest_of: "det största av",
    chosen: "valt",
    requirement: "Krav",
    not_evaluated: "inte bedömt",
    results: ["uppfyllt", "BRIST", "ÅTGÄRDAT", "OKÄNT"],
    whole_clause: "(klausulen)",
    undecided: "oavgjort",
    found: "funnet",
    required: "krav",
    at: "i",
    truths: ["sant", "falskt", "okänt"],
    severity: "allvarlighetsgrad",
    severity_fixed: "fastställd av regeln",
    severity_established: "fastställd av",
    severity_base: "grundnivå, inget fall fastställt",
    when: "när",
    object_of: "ett objekt med {n} fält",
    list_of: "en lista med {n} poster",
    more_values: "… och {n} värden till",
    more_items: "… och {n} poster till",
    severity_meanings: [
        "Allvarlig avvikelse: en allvarlig avvikelse enligt uppförandekoden (barnarbete, \
         tvångsarbete, fara för liv eller hälsa, allvarlig miljöskada, grov korruption, angrepp \
         på människorättsförsvarare) eller ett brott mot en grundläggande rättighet. \
         Leverantören rapporterar den inom avtalets tidsfrist och åtgärdar den först.",
        "Större avvikelse: ett krav i uppförandekoden är inte uppfyllt på ett sätt som påverkar \
         arbetstagarna, deras rättigheter eller miljön. Den åtgärdas inom klausulens tidsfrist.",
        "Mindre avvikelse: en enstaka eller administrativ brist (ett register, en rutin, en \
         handling) som inte i sig skadar någon. Den åtgärdas inom den längre tidsfristen.",
    ],
    immediately: "omedelbart",
    units: [
        ("dag", "dagar"),
        ("vecka", "veckor"),
        ("månad", "månader"),
        ("år", "år"),
    ],
};
