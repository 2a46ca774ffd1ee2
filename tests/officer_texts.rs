//! What an officer reads (issue 14): the regions pack's messages and actions, evaluated with the
//! library on the pack's fixtures in both languages. Fixtures assert statuses and paths; these
//! tests assert the words — no unknown value, no JSON list, no stored enum text and no clause id
//! inside a sentence, the action that fits the finding, and one finding per fact.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails loudly when the output is not what it expects"
)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use conduct::report::Date;
use conduct::{Options, Report, RulePack, Violation};
use serde_json::Value;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const LANGUAGES: [&str; 2] = ["en", "sv"];

fn regions() -> &'static RulePack {
    static PACK: OnceLock<RulePack> = OnceLock::new();
    PACK.get_or_init(|| RulePack::load(Path::new(ROOT).join("rules/regions")).unwrap())
}

/// A fixture of the regions pack: its evidence and its `as_of` override, if any.
fn fixture(relative: &str) -> (Value, Option<String>) {
    let path = Path::new(ROOT).join("rules/regions/tests").join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{relative}: {e}"));
    let fixture: Value = serde_json::from_str(&text).unwrap();
    let as_of = fixture["as_of"].as_str().map(str::to_owned);
    (fixture["evidence"].clone(), as_of)
}

fn evaluate(relative: &str, language: &str) -> Report {
    let (evidence, as_of) = fixture(relative);
    let mut options = Options::default().language(language);
    if let Some(date) = as_of {
        options = options.as_of(Date::parse(&date).unwrap());
    }
    regions().evaluate(&evidence, &options)
}

fn violations_of<'r>(report: &'r Report, clause: &str) -> Vec<&'r Violation> {
    report.violations().filter(|v| v.clause == clause).collect()
}

fn action(v: &Violation) -> &str {
    v.remediation.as_ref().map_or("", |r| r.action.as_str())
}

/// Every fixture file of the pack, in a stable order.
fn all_fixtures() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "json") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(ROOT).join("rules/regions/tests"), &mut out);
    out.sort();
    out
}

/// The pack's clause ids, read from its rule files (`clause a.b` at the start of a line).
fn clause_ids() -> BTreeSet<String> {
    let dir = Path::new(ROOT).join("rules/regions");
    let mut ids = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "conduct") {
            for line in std::fs::read_to_string(&path).unwrap().lines() {
                if let Some(id) = line.strip_prefix("clause ") {
                    ids.insert(id.trim().to_owned());
                }
            }
        }
    }
    ids
}

/// Dotted words `a_b.c_d` in a text (`\b[a-z_]+\.[a-z_]+\b`).
fn dotted_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_lowercase() || b == b'_';
    let mut i = 0;
    while i < bytes.len() {
        if is_word(bytes[i]) && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric()) {
            let start = i;
            while i < bytes.len() && is_word(bytes[i]) {
                i += 1;
            }
            if i + 1 < bytes.len() && bytes[i] == b'.' && is_word(bytes[i + 1]) {
                let mut end = i + 1;
                while end < bytes.len() && is_word(bytes[end]) {
                    end += 1;
                }
                if end == bytes.len() || !bytes[end].is_ascii_alphanumeric() {
                    words.push(text[start..end].to_owned());
                }
                i = end;
            }
        } else {
            i += 1;
        }
    }
    words
}

/// What is wrong with a text an officer reads, if anything.
fn problems(text: &str, ids: &BTreeSet<String>) -> Vec<String> {
    let mut found = Vec::new();
    let lower = text.to_lowercase();
    for word in ["unknown", "okänt"] {
        if lower.contains(word) {
            found.push(format!("contains {word:?}"));
        }
    }
    if text.contains("[\"") || text.contains("[ \"") {
        found.push("contains a JSON list".into());
    }
    for word in dotted_words(text) {
        if ids.contains(&word) {
            found.push(format!("names the clause id {word}"));
        }
    }
    found
}

/// The texts of a violation an officer reads: its message, its items' messages, its action.
fn texts(v: &Violation) -> Vec<(&'static str, &str)> {
    let mut out = vec![("message", v.message.as_str()), ("action", action(v))];
    out.extend(v.items.iter().map(|item| ("item", item.message.as_str())));
    out
}

#[test]
fn no_message_or_action_of_any_fixture_shows_unknown_json_or_a_clause_id() {
    let ids = clause_ids();
    assert!(ids.contains("working_hours.weekly_limit"), "{ids:?}");
    let fixtures = all_fixtures();
    assert!(fixtures.len() > 900, "{} fixtures", fixtures.len());
    let mut failures = Vec::new();
    let mut checked = 0;
    for path in &fixtures {
        let relative = path
            .strip_prefix(Path::new(ROOT).join("rules/regions/tests"))
            .unwrap()
            .to_string_lossy()
            .into_owned();
        for language in LANGUAGES {
            let report = evaluate(&relative, language);
            for v in report.violations() {
                for (kind, text) in texts(v) {
                    checked += 1;
                    for problem in problems(text, &ids) {
                        failures.push(format!(
                            "{relative} [{language}] {} {kind}: {problem}: {text}",
                            v.id
                        ));
                    }
                }
            }
        }
    }
    assert!(checked > 1000, "only {checked} texts checked");
    assert!(
        failures.is_empty(),
        "{} texts:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_word_tables_hold_every_clause_title() {
    // `clause_title_en` / `clause_title_sv` in parameters.conduct must say what the clauses say.
    let parameters =
        std::fs::read_to_string(Path::new(ROOT).join("rules/regions/parameters.conduct")).unwrap();
    for (language, table) in [("en", "clause_title_en"), ("sv", "clause_title_sv")] {
        let start = parameters.find(&format!("table {table}:")).unwrap();
        let body = &parameters[start..start + parameters[start..].find("\n}").unwrap()];
        let report = evaluate("management.policy/compliant.json", language);
        assert_eq!(report.outcomes.len(), clause_ids().len());
        for outcome in &report.outcomes {
            let row = format!("\"{}\":", outcome.clause);
            let line = body.lines().find(|l| l.trim_start().starts_with(&row));
            let line = line.unwrap_or_else(|| panic!("{table} lacks {}", outcome.clause));
            assert!(
                line.trim_end()
                    .ends_with(&format!("\"{}\",", outcome.title)),
                "{table}: {line} is not the title {:?}",
                outcome.title
            );
        }
    }
}

#[test]
fn the_grievance_finding_blames_the_list_and_says_who_is_left_out() {
    let relative = "due_diligence.grievance_mechanism/violated-minor-representatives-missing-blamed-on-list.json";
    for language in LANGUAGES {
        let report = evaluate(relative, language);
        let found = violations_of(&report, "due_diligence.grievance_mechanism");
        let names: Vec<&str> = found.iter().map(|v| v.requirement.as_str()).collect();
        assert_eq!(
            names,
            [
                "open_to_representatives",
                "open_to_rights_defenders",
                "open_to_environmental_defenders"
            ]
        );
        let representatives = found[0];
        assert_eq!(representatives.path, "/grievance_mechanism/accessible_to");
        // The found value is the list the supplier gave, not the group it lacks.
        assert_eq!(
            representatives.actual,
            serde_json::json!(["own_employees", "supply_chain_workers"])
        );
        for v in &found {
            for (kind, text) in texts(v) {
                for raw in [
                    "worker_representatives",
                    "human_rights_defenders",
                    "own_employees",
                    "\"",
                    "[",
                ] {
                    assert!(
                        !text.contains(raw),
                        "[{language}] {kind} shows {raw:?}: {text}"
                    );
                }
            }
            assert!(
                !v.expected.contains('"'),
                "[{language}] expected in words: {}",
                v.expected
            );
        }
        let (message, expected, act) = match language {
            "sv" => (
                "Klagomålsmekanismen är inte öppen för arbetstagarnas företrädare eller fackföreningar",
                "öppen för arbetstagarnas företrädare eller fackföreningar (eller för allmänheten)",
                "Öppna klagomålsmekanismen för arbetstagarnas företrädare och fackföreningar",
            ),
            _ => (
                "The grievance mechanism is not open to workers' representatives or trade unions",
                "open to workers' representatives or trade unions (or to the public)",
                "Open the grievance mechanism to workers' representatives and trade unions",
            ),
        };
        assert_eq!(representatives.message, message);
        assert_eq!(representatives.expected, expected);
        assert_eq!(action(representatives), act);
    }
}

#[test]
fn a_discrimination_finding_never_shows_unknown_or_a_stored_enum_text() {
    let relative =
        "discrimination.equal_treatment/violated-major-finding-without-ground-or-area.json";
    for language in LANGUAGES {
        let report = evaluate(relative, language);
        let found = violations_of(&report, "discrimination.equal_treatment");
        assert_eq!(found.len(), 1, "one finding at the site, two items");
        let v = found[0];
        let items: Vec<&str> = v.items.iter().map(|i| i.message.as_str()).collect();
        assert_eq!(items.len(), 2);
        for text in items.iter().copied().chain([action(v)]) {
            for raw in [
                "unknown",
                "okänt",
                "migrant_status",
                "working_conditions",
                "(not given)",
                "(uppgift saknas)",
            ] {
                assert!(!text.contains(raw), "[{language}] shows {raw:?}: {text}");
            }
            // The action is the one for a finding, not the tests that were not found.
            assert!(
                !text.contains("pregnancy") && !text.contains("graviditet"),
                "{text}"
            );
        }
        let expected = match language {
            "sv" => [
                "Diskriminering på grund av migrantstatus i fråga om arbetsvillkor vid S1: Migrant workers assigned all night shifts",
                "Diskriminering på grund av en grund som inte anges i fråga om ett område som inte anges vid S1: Workers over 45 not offered new contracts",
            ],
            _ => [
                "Discrimination on the ground of migrant status in working conditions at site S1: Migrant workers assigned all night shifts",
                "Discrimination on the ground of a ground not stated in an area not stated at site S1: Workers over 45 not offered new contracts",
            ],
        };
        assert_eq!(items, expected);
    }
}

#[test]
fn an_existing_owner_is_asked_for_the_hand_over_alone() {
    let relative = "management.responsible_person/violated-owner-exists-hand-over-missing.json";
    for language in LANGUAGES {
        let report = evaluate(relative, language);
        let found = violations_of(&report, "management.responsible_person");
        assert_eq!(found.len(), 1);
        let v = found[0];
        assert_eq!(v.requirement, "implementation_assigned");
        let act = action(v);
        let (want, not) = match language {
            "sv" => (
                "Fördela genomförandet av tillbörlig aktsamhet till inköp och HR",
                "Utse",
            ),
            _ => (
                "Assign the implementation of due diligence to the buying and HR functions",
                "Appoint",
            ),
        };
        assert_eq!(act, want);
        assert!(!act.contains(not), "the owner exists: {act}");
        assert!(!v.expected.contains("any("), "{}", v.expected);
    }
}

#[test]
fn pregnancy_testing_is_the_only_finding_that_asks_to_stop_testing() {
    for (relative, asks_to_stop) in [
        (
            "discrimination.equal_treatment/violated-major-pay-gap.json",
            false,
        ),
        (
            "discrimination.equal_treatment/violated-major-two-findings.json",
            false,
        ),
        (
            "discrimination.equal_treatment/violated-major-pregnancy-testing.json",
            true,
        ),
    ] {
        let report = evaluate(relative, "en");
        let found = violations_of(&report, "discrimination.equal_treatment");
        assert!(!found.is_empty(), "{relative}");
        let stops = found
            .iter()
            .any(|v| action(v).contains("pregnancy testing"));
        assert_eq!(
            stops,
            asks_to_stop,
            "{relative}: {:?}",
            found.iter().map(|v| action(v)).collect::<Vec<_>>()
        );
    }
}

#[test]
fn one_unpaid_fee_is_one_finding_with_one_deadline_across_the_pack() {
    let relative =
        "forced_labour.recruitment_fees/violated-one-fee-one-finding-across-the-pack.json";
    for language in LANGUAGES {
        let report = evaluate(relative, language);
        let about_the_fee: Vec<&Violation> = report
            .violations()
            .filter(|v| {
                v.message.contains("W-0117") || v.items.iter().any(|i| i.message.contains("W-0117"))
            })
            .collect();
        assert_eq!(
            about_the_fee.len(),
            1,
            "{:?}",
            about_the_fee.iter().map(|v| &v.id).collect::<Vec<_>>()
        );
        let v = about_the_fee[0];
        assert_eq!(v.clause, "forced_labour.recruitment_fees");
        let due = v
            .remediation
            .as_ref()
            .and_then(|r| r.due)
            .map(|d| d.to_string());
        // 90 days after the fee was found (the site's observation, 2024-03-10).
        assert_eq!(due.as_deref(), Some("2024-06-08"));
        assert!(violations_of(&report, "due_diligence.remediation").is_empty());
    }
}

#[test]
fn a_child_is_counted_once_and_only_told_to_leave_work() {
    let relative = "child_labour.minimum_age/violated-13-year-old-counted-once.json";
    for language in LANGUAGES {
        let report = evaluate(relative, language);
        let about_the_child: Vec<&Violation> = report
            .violations()
            .filter(|v| {
                v.message.contains("C1") || v.items.iter().any(|i| i.message.contains("C1"))
            })
            .collect();
        assert_eq!(
            about_the_child.len(),
            1,
            "{:?}",
            about_the_child.iter().map(|v| &v.id).collect::<Vec<_>>()
        );
        let v = about_the_child[0];
        assert_eq!(v.id, "child_labour.minimum_age/minimum_age@site_id=S1");
        let remove = match language {
            "sv" => "Ta bort barnet från arbetet",
            _ => "Remove the child from work",
        };
        assert!(action(v).starts_with(remove), "{}", action(v));
        // Young workers judges the 17-year-old only.
        let young = violations_of(&report, "child_labour.young_workers");
        assert_eq!(young.len(), 1);
        assert!(
            young[0].message.contains("Y2") && !young[0].message.contains("C1"),
            "{}",
            young[0].message
        );
    }
}

#[test]
fn the_reviewers_swedish_terms_are_in_the_report() {
    let report = evaluate(
        "forced_labour.identity_documents/violated-employer-holds.json",
        "sv",
    );
    let titles: Vec<&str> = report.outcomes.iter().map(|o| o.title.as_str()).collect();
    for title in [
        "Inga kvarhållna pass eller id-handlingar",
        "Tillträde för revision",
        "Boende för arbetstagare",
    ] {
        assert!(titles.contains(&title), "{title} not among {titles:?}");
    }
    let example = Path::new(ROOT).join("examples/example-evidence.json");
    let evidence: Value = serde_json::from_str(&std::fs::read_to_string(example).unwrap()).unwrap();
    let report = regions().evaluate(&evidence, &Options::default().language("sv"));
    let all: Vec<String> = report
        .violations()
        .flat_map(|v| {
            texts(v)
                .into_iter()
                .map(|(_, t)| t.to_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    let joined = all.join("\n");
    for phrase in [
        "Följande produktionsanläggningar har inte redovisats: MY-PKG-02",
        "Redovisa skriftligen juridiskt namn och fysisk adress",
        "arbetade mer övertid än lagens gräns på 104 timmar per månad",
    ] {
        assert!(joined.contains(phrase), "{phrase:?} not in:\n{joined}");
    }
    for wrong in [
        "Lämna skriftligen",
        "innehållande",
        "rättighetsinnehavare",
        "[\"",
    ] {
        assert!(!joined.contains(wrong), "{wrong:?} in:\n{joined}");
    }
}

/// Evidence the buyer or the auditor fills in (the declaration's `filled by`) is not asked of
/// the supplier: the report's entry says who fills it in, the text says so after "Missing",
/// and the printable report lists it under its own heading, not under the evidence to send.
#[cfg(feature = "tools")]
#[test]
fn evidence_the_buyer_fills_in_is_not_asked_of_the_supplier() {
    let path = Path::new(ROOT).join("examples/example-evidence.json");
    let mut evidence: Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    evidence["contract"]
        .as_object_mut()
        .unwrap()
        .remove("transparency_scope");
    let report = regions().evaluate(&evidence, &Options::default().language("sv"));
    let entries: Vec<&conduct::report::Missing> =
        report.outcomes.iter().flat_map(|o| &o.missing).collect();
    let scope: Vec<_> = entries
        .iter()
        .filter(|m| m.path == "/contract/transparency_scope")
        .collect();
    assert!(
        !scope.is_empty(),
        "the contract's scope is not missing: {entries:?}"
    );
    for m in &scope {
        assert_eq!(m.filled_by, Some(conduct::report::FilledBy::Buyer), "{m:?}");
    }
    assert!(
        entries
            .iter()
            .filter(|m| m.path.starts_with("/sites/"))
            .all(|m| m.filled_by.is_none()),
        "a site's own field said to be filled in by someone else: {entries:?}"
    );
    let json = serde_json::to_value(&report).unwrap();
    let text = json.to_string();
    assert!(text.contains(r#""filled_by":"buyer""#), "{text}");
    let back = Report::from_json(&json.to_string()).unwrap();
    assert_eq!(
        back, report,
        "a report with `filled_by` reads back the same"
    );

    let plain = conduct::report::text::render(&report, None);
    let described = "Hur långt in i leveranskedjan avtalet kräver insyn";
    let lines: Vec<&str> = plain.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains(described))
        .unwrap_or_else(|| panic!("the scope is not in the text:\n{plain}"));
    assert_eq!(
        lines[at].trim(),
        format!("Saknas, fylls i av köparen: {described}"),
        "{plain}"
    );

    let html = conduct::tools::report_html::render_html(&report);
    let send = html
        .find("Underlag att skicka in")
        .expect("the evidence to send");
    let provided = html
        .find("Underlag som köparen eller revisorn lämnar")
        .unwrap_or_else(|| panic!("no heading for the buyer's evidence:\n{html}"));
    assert!(
        send < provided,
        "the buyer's evidence comes after the evidence to send"
    );
    let field = html.rfind(described).expect("the scope in the page");
    assert!(
        field > provided,
        "the buyer's field is listed among the evidence to send"
    );
    assert_eq!(
        html.matches(described).count(),
        1,
        "the buyer's field is listed more than once"
    );
    assert!(html.contains(&format!("{described}, fylls i av köparen")));
}
