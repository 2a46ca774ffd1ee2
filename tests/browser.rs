//! The printable report in a real browser: headless Chromium loads the page of
//! `conduct check --format html` without a console message (no script error, nothing refused
//! by the page's Content-Security-Policy), shows the verdict, and prints it to an A4 PDF.
//!
//! Without `chromium`, `chromium-browser` or `google-chrome` on `PATH` the tests print a note
//! and pass — except on CI (`CI=true`), where a missing browser fails them (`.ci/run`
//! installs Chromium).
#![cfg(feature = "cli")]
#![allow(
    clippy::expect_used,
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
use process::{TempDir, code, conduct, stdout};

/// The page of `conduct check --format html` for an example, written to `dir`.
fn page(dir: &TempDir, example: &str, language: &str) -> PathBuf {
    let output = conduct(&[
        "check",
        "rules/regions",
        &format!("examples/{example}.json"),
        "--lang",
        language,
        "--format",
        "html",
    ]);
    assert_eq!(code(&output), 1, "the example has deviations");
    dir.file(
        &format!("{}-{language}.html", example.replace('/', "-")),
        stdout(&output).as_bytes(),
    )
}

#[test]
fn the_page_loads_without_errors_and_shows_the_verdict() {
    let Some(browser) = browser() else { return };
    let dir = TempDir::new();
    for (example, language, verdict) in [
        ("example-evidence", "sv", "Uppfyller inte kraven"),
        ("example-evidence", "en", "Non-compliant"),
        ("follow-up/2025", "sv", "Uppfyller inte kraven"),
    ] {
        let page = page(&dir, example, language);
        let output = headless(&browser, &dir, &page, &["--dump-dom"]);
        assert!(output.status.success(), "the browser failed on {example}");
        let dom = String::from_utf8_lossy(&output.stdout);
        let log = String::from_utf8_lossy(&output.stderr);
        assert!(
            dom.contains(&format!(
                "<strong class=\"verdict-word\">{verdict}</strong>"
            )),
            "the loaded page shows the verdict of {example}:\n{dom}"
        );
        assert!(!dom.contains("<script"), "{example}");
        let problems = page_problems(&log);
        assert!(problems.is_empty(), "{example} {language}: {problems:#?}");
    }
}

#[test]
fn the_page_prints_to_an_a4_pdf() {
    let Some(browser) = browser() else { return };
    let dir = TempDir::new();
    for (example, language) in [("example-evidence", "sv"), ("follow-up/2025", "sv")] {
        let page = page(&dir, example, language);
        let pdf = dir.path(&format!("{}-{language}.pdf", example.replace('/', "-")));
        let output = headless(
            &browser,
            &dir,
            &page,
            &["--no-pdf-header-footer", &format!("--print-to-pdf={pdf}")],
        );
        assert!(output.status.success(), "the browser failed on {example}");
        let bytes = std::fs::read(&pdf).expect("the PDF is written");
        assert!(bytes.starts_with(b"%PDF"), "{pdf} is a PDF");
        let text = String::from_utf8_lossy(&bytes);
        // A4 is 595 × 842 points; Chromium writes each page's box uncompressed.
        let boxes = media_boxes(&text);
        assert!(
            boxes.len() >= 2,
            "{example}: the report takes more than one page"
        );
        for (width, height) in boxes {
            assert!(
                (width - 595.0).abs() < 2.0 && (height - 842.0).abs() < 2.0,
                "{example}: a page of {width} × {height} points is not A4"
            );
        }
        let log = String::from_utf8_lossy(&output.stderr);
        let problems = page_problems(&log);
        assert!(problems.is_empty(), "{example}: {problems:#?}");
    }
}

#[test]
fn the_problem_filter_sees_a_script_error_and_a_refused_load() {
    // The filter the tests above rely on, on the lines Chromium writes for such pages.
    let log = "\
[1:1:1207/123213.0:ERROR:dbus/bus.cc:405] Failed to connect to the bus
[1:1:1207/123213.6:INFO:CONSOLE:52] \"Uncaught ReferenceError: f is not defined\", source: file:///x.html (52)
[1:1:1207/123213.0:INFO:CONSOLE:52] \"Loading the image 'http://x/' violates the following Content Security Policy directive\"";
    assert_eq!(page_problems(log).len(), 2);
}
