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

#[path = "support/process.rs"]
mod process;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use process::{TempDir, code, conduct, stdout};

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

#[test]
fn the_problem_filter_sees_a_script_error_and_a_refused_load() {
    // The filter the tests above rely on, on the lines Chromium writes for such pages.
    let log = "\
[1:1:1207/123213.0:ERROR:dbus/bus.cc:405] Failed to connect to the bus
[1:1:1207/123213.6:INFO:CONSOLE:52] \"Uncaught ReferenceError: f is not defined\", source: file:///x.html (52)
[1:1:1207/123213.0:INFO:CONSOLE:52] \"Loading the image 'http://x/' violates the following Content Security Policy directive\"";
    assert_eq!(page_problems(log).len(), 2);
}
