//! The worked follow-up example (`examples/follow-up/`): the example supplier in 2024 and a year
//! later, checked and compared with `conduct diff`. The classification is a snapshot, and the
//! README shows exactly this output.
#![cfg(feature = "cli")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails loudly when the output is not what it expects"
)]

#[path = "support/process.rs"]
mod process;

use process::{TempDir, code, conduct, stdout};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The two years' reports as `conduct check --format json` stores them.
fn stored_reports(dir: &TempDir) -> (String, String) {
    let mut paths = Vec::new();
    for year in ["2024", "2025"] {
        let evidence = format!("{ROOT}/examples/follow-up/{year}.json");
        let out = conduct(&[
            "check",
            &format!("{ROOT}/rules/regions"),
            &evidence,
            "--format",
            "json",
        ]);
        assert_eq!(code(&out), 1, "{year}: {}", stdout(&out));
        let path = dir.file(&format!("report-{year}.json"), stdout(&out).as_bytes());
        paths.push(path.display().to_string());
    }
    (paths[0].clone(), paths[1].clone())
}

#[test]
fn the_worked_example_classifies_each_finding_and_exits_1() {
    let dir = TempDir::new();
    let (earlier, newer) = stored_reports(&dir);
    let out = conduct(&["diff", &earlier, &newer]);
    assert_eq!(code(&out), 1, "something is new and overdue");
    let text = stdout(&out);
    insta::assert_snapshot!("follow_up_diff", text);

    // The README shows this output, between the command and the end of its block.
    let readme = std::fs::read_to_string(format!("{ROOT}/README.md")).unwrap();
    let start = readme
        .find("$ conduct diff report-2024.json report-2025.json\n")
        .expect("the README shows the worked example");
    let shown = &readme[start..];
    let shown = &shown[shown.find('\n').unwrap() + 1..];
    let shown = &shown[..shown.find("```").unwrap()];
    assert_eq!(shown, text, "README's worked example is not the real output");
}

#[test]
fn the_worked_example_in_json_has_the_expected_classes() {
    let dir = TempDir::new();
    let (earlier, newer) = stored_reports(&dir);
    let out = conduct(&["diff", &earlier, &newer, "--format", "json"]);
    let diff: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let class_of = |id: &str| -> String {
        diff["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == id)
            .map(|f| f["class"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("no finding {id} in {diff:#}"))
    };
    // Fixed: the hand-over to buying and HR, and the full disclosure of sites.
    assert_eq!(class_of("management.responsible_person/implementation_assigned"), "resolved");
    assert_eq!(class_of("supply_chain.sites_disclosed/answer_complete@request_id=DR-1"), "resolved");
    // Persisting past the corrective-action plan's deadline agreed in 2024.
    let weekly = diff["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "working_hours.weekly_limit/weekly_cap@site_id=MY-KLG-01")
        .unwrap();
    assert_eq!(weekly["class"], "persisting");
    assert_eq!(weekly["due"], "2024-12-31");
    assert_eq!(weekly["overdue"], true);
    // New: the overtime premium, for two of the three sampled workers' payslips.
    assert_eq!(class_of("wages.overtime_premium/overtime_premium@site_id=MY-KLG-01"), "new");
}
