//! The portfolio summary page in a real browser: headless Chromium loads the page of
//! `conduct summary --format html` (English and Swedish) without a console message (no script
//! error, nothing refused by the page's Content-Security-Policy), shows its charts, and prints
//! it to A4 PDF pages.
//!
//! As `tests/browser.rs`: without `chromium`, `chromium-browser` or `google-chrome` on `PATH`
//! the tests print a note and pass — except on CI (`CI=true`), where a missing browser fails
//! them.
#![cfg(feature = "cli")]
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails loudly when the output is not what it expects"
)]

#[path = "support/browser.rs"]
mod chromium;
#[path = "support/process.rs"]
mod process;

use std::path::PathBuf;

use chromium::{browser, headless, media_boxes, page_problems};
use process::{TempDir, code, conduct, stderr, stdout};

/// The summary page of the worked examples' reports in `language`, written to `dir`.
fn page(dir: &TempDir, language: &str) -> PathBuf {
    let mut reports = String::new();
    for example in [
        "follow-up/2024",
        "clean-supplier",
        "supplier-with-gaps",
        "follow-up/2025",
    ] {
        let out = conduct(&[
            "check",
            "rules/regions",
            &format!("examples/{example}.json"),
            "--format",
            "ndjson",
        ]);
        reports.push_str(&stdout(&out));
    }
    let file = dir.file_str("reports.ndjson", reports.as_bytes());
    let out = conduct(&[
        "summary",
        &file,
        "--lang",
        language,
        "--pack",
        "rules/regions",
        "--format",
        "html",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    dir.file(&format!("summary-{language}.html"), stdout(&out).as_bytes())
}

#[test]
fn the_summary_page_loads_without_errors_and_shows_its_charts() {
    let Some(browser) = browser() else { return };
    let dir = TempDir::new();
    for (language, heading) in [
        ("sv", "Sammanställning av uppföljningen"),
        ("en", "Portfolio summary"),
    ] {
        let page = page(&dir, language);
        let output = headless(&browser, &dir, &page, &["--dump-dom"]);
        assert!(output.status.success(), "the browser failed on {language}");
        let dom = String::from_utf8_lossy(&output.stdout);
        assert!(dom.contains(&format!("<h1>{heading}</h1>")), "{dom}");
        assert_eq!(dom.matches("<svg class=\"chart\"").count(), 9, "{language}");
        assert!(!dom.contains("<script"), "{language}");
        let log = String::from_utf8_lossy(&output.stderr);
        let problems = page_problems(&log);
        assert!(problems.is_empty(), "{language}: {problems:#?}");
    }
}

#[test]
fn the_summary_page_prints_to_a4_pdf_pages() {
    let Some(browser) = browser() else { return };
    let dir = TempDir::new();
    for language in ["sv", "en"] {
        let page = page(&dir, language);
        let pdf = dir.path(&format!("summary-{language}.pdf"));
        let output = headless(
            &browser,
            &dir,
            &page,
            &["--no-pdf-header-footer", &format!("--print-to-pdf={pdf}")],
        );
        assert!(output.status.success(), "the browser failed on {language}");
        let bytes = std::fs::read(&pdf).expect("the PDF is written");
        assert!(bytes.starts_with(b"%PDF"), "{pdf} is a PDF");
        let boxes = media_boxes(&String::from_utf8_lossy(&bytes));
        assert!(
            boxes.len() >= 2,
            "{language}: the summary takes more than one page"
        );
        for (width, height) in boxes {
            assert!(
                (width - 595.0).abs() < 2.0 && (height - 842.0).abs() < 2.0,
                "{language}: a page of {width} × {height} points is not A4"
            );
        }
        let log = String::from_utf8_lossy(&output.stderr);
        let problems = page_problems(&log);
        assert!(problems.is_empty(), "{language}: {problems:#?}");
    }
}
