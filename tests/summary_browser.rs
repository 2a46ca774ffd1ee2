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

#[path = "support/process.rs"]
mod process;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use process::{TempDir, code, conduct, stderr, stdout};

/// The browsers tried, in order.
const BROWSERS: [&str; 3] = ["chromium", "chromium-browser", "google-chrome"];

/// How long one browser run may take.
const TIMEOUT: Duration = Duration::from_secs(120);

/// The first browser on `PATH`; `None` (after a note) when there is none and this is not CI.
fn browser() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = BROWSERS.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    });
    if found.is_none() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!(
                "no browser on PATH ({}): CI must run the browser tests (.ci/run installs chromium)",
                BROWSERS.join(", ")
            );
        }
        println!(
            "note: skipped, no browser on PATH ({}); install chromium to run this test",
            BROWSERS.join(", ")
        );
    }
    found
}

/// Runs the browser headless on `page` with `args`, with its own profile folder, killed after
/// [`TIMEOUT`].
fn headless(browser: &Path, dir: &TempDir, page: &Path, args: &[&str]) -> Output {
    let profile = dir.path(&format!(
        "profile-{}",
        page.file_stem().and_then(|s| s.to_str()).unwrap_or("page")
    ));
    let mut child = Command::new(browser)
        .args([
            "--headless=new",
            "--disable-gpu",
            "--no-sandbox",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={profile}"))
        .args(args)
        .arg(page)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the browser starts");
    let start = Instant::now();
    while child
        .try_wait()
        .expect("the browser can be waited for")
        .is_none()
    {
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            panic!(
                "the browser ran longer than {TIMEOUT:?} on {}",
                page.display()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().expect("the browser's output")
}

/// Lines of the browser's log that tell of a problem with the page: any console message
/// (script errors, loads refused by the Content-Security-Policy), uncaught errors, refusals.
fn page_problems(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|line| {
            line.contains(":CONSOLE")
                || line.contains("Uncaught")
                || line.contains("Refused")
                || line.contains("violates the following Content Security Policy")
        })
        .collect()
}

/// The width and height of every page's `/MediaBox [0 0 W H]`.
fn media_boxes(pdf: &str) -> Vec<(f64, f64)> {
    pdf.split("/MediaBox [")
        .skip(1)
        .filter_map(|rest| {
            let numbers: Vec<f64> = rest
                .split(']')
                .next()?
                .split_whitespace()
                .map(str::parse)
                .collect::<Result<_, _>>()
                .ok()?;
            match numbers[..] {
                [_, _, width, height] => Some((width, height)),
                _ => None,
            }
        })
        .collect()
}

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
