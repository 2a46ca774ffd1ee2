//! Headless Chromium for the browser tests (`tests/browser.rs`, `tests/summary_browser.rs`):
//! finding the browser (a missing one fails on CI), running it on a page with its own profile
//! and a time limit, the log lines that tell of a problem with the page, and the page sizes of
//! a printed PDF. A test that uses it also declares `mod process` (`support/process.rs`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use super::process::TempDir;

/// The browsers tried, in order.
pub const BROWSERS: [&str; 3] = ["chromium", "chromium-browser", "google-chrome"];

/// How long one browser run may take.
pub const TIMEOUT: Duration = Duration::from_secs(120);

/// The first browser on `PATH`; `None` (after a note) when there is none and this is not CI.
pub fn browser() -> Option<PathBuf> {
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
pub fn headless(browser: &Path, dir: &TempDir, page: &Path, args: &[&str]) -> Output {
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
pub fn page_problems(stderr: &str) -> Vec<&str> {
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
pub fn media_boxes(pdf: &str) -> Vec<(f64, f64)> {
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
