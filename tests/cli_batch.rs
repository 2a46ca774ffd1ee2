//! `conduct check` on every core (issue 15, "Every core"): a batch gives the same standard
//! output, standard error and exit code byte for byte with `--jobs 1`, 2 and 4, in every
//! format, with unreadable files and bad lines kept in their place; and its memory does not
//! grow with the batch (peak RSS of the process, read from `/proc`, for a small and a five
//! times larger batch, beside a format that does hold every report, to show the measurement
//! can tell).
//!
//! The normal suite runs a few hundred documents in every format (a document takes milliseconds
//! in a debug build). The 10,000-document batch of the issue and the memory at 2,000 and
//! 10,000 documents are `#[ignore]`d here and run by `.ci/run` in release:
//! `cargo test --release --features cli --test cli_batch -- --ignored`.
#![cfg(feature = "cli")]
#![allow(
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "a test fails loudly when the output is not what it expects"
)]

#[path = "support/process.rs"]
mod process;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use process::{TempDir, code, conduct, stderr};
use serde_json::Value;

const REGIONS: &str = "rules/regions";
const FORMATS: [&str; 4] = ["text", "json", "ndjson", "html"];

/// The three shipped examples: a supplier with violations, a clean one, one with gaps.
fn examples() -> Vec<Value> {
    [
        "examples/example-evidence.json",
        "examples/clean-supplier.json",
        "examples/supplier-with-gaps.json",
    ]
    .iter()
    .map(|path| {
        let text = std::fs::read_to_string(path).expect("example");
        serde_json::from_str(&text).expect("example JSON")
    })
    .collect()
}

/// `n` documents a line, the examples in turn, each supplier renamed (so that every report
/// differs from its neighbours); with `bad_lines`, every 23rd line (from line 14) is one that
/// cannot be read or that the reader warns about, in turn ([`bad_line`]).
fn batch(n: usize, bad_lines: bool) -> String {
    let examples = examples();
    let mut text = String::new();
    for i in 0..n {
        let mut doc = examples[i % examples.len()].clone();
        doc["supplier"]["name"] = Value::from(format!("Supplier {i}"));
        let line = serde_json::to_string(&doc).expect("serializes");
        if let Some(kind) = bad_line(i).filter(|_| bad_lines) {
            match kind {
                0 => text.push_str("{\"supplier\": \n"),
                1 => text.push_str("[1, 2]\n"),
                2 => {
                    text.push_str(&line.replacen('{', "{\"schema_version\":\"0\",", 1));
                    text.push('\n');
                }
                3 => {
                    text.push_str(&line.replacen('{', "{\"extra\":1e400,", 1));
                    text.push('\n');
                }
                4 => text.push_str("   \n"),
                _ => {
                    text.push_str(&line);
                    text.push_str("\r\n");
                }
            }
            continue;
        }
        text.push_str(&line);
        text.push('\n');
    }
    text
}

/// Which bad line the `i`th line of a batch is, if any: 0 not JSON, 1 not an object, 2 a
/// duplicate key, 3 a number out of range, 4 a blank line, 5 a CRLF line end.
fn bad_line(i: usize) -> Option<usize> {
    (i % 23 == 13).then_some((i / 23) % 6)
}

/// Runs `conduct check` with `args` and `--jobs N` for each N: every run's output, code and
/// standard error are those of `--jobs 1`. Returns the `--jobs 1` run.
fn same_for_every_jobs(args: &[&str], jobs: &[&str]) -> Output {
    let with = |n: &str| {
        let mut all = args.to_vec();
        all.extend(["--jobs", n]);
        conduct(&all)
    };
    let one = with("1");
    for n in jobs {
        let other = with(n);
        assert_eq!(code(&other), code(&one), "exit code, --jobs {n}, {args:?}");
        assert!(
            other.stdout == one.stdout,
            "standard output differs with --jobs {n}, {args:?}"
        );
        assert_eq!(
            stderr(&other),
            stderr(&one),
            "standard error, --jobs {n}, {args:?}"
        );
    }
    one
}

#[test]
fn a_batch_is_the_same_byte_for_byte_whatever_the_jobs_in_every_format() {
    let dir = TempDir::new();
    let first = dir.file_str("first.ndjson", batch(200, true).as_bytes());
    let second = dir.file_str("second.jsonl", batch(40, false).as_bytes());
    let missing = dir.path("missing.json");
    let empty = dir.file_str("empty.ndjson", b"\n\n");
    let inputs = [
        first.as_str(),
        "examples/example-evidence.json",
        missing.as_str(),
        second.as_str(),
        empty.as_str(),
    ];
    for format in FORMATS {
        let mut args = vec!["check", REGIONS];
        args.extend(inputs);
        args.extend(["--format", format]);
        let one = same_for_every_jobs(&args, &["2", "4"]);
        // Unreadable lines and files are in the batch, so the worst code is 3.
        assert_eq!(code(&one), 3, "{format}: {}", stderr(&one));
        let errors = stderr(&one);
        let ordered: Vec<&str> = errors
            .lines()
            .filter(|l| l.starts_with("error: "))
            .collect();
        let missing_at = ordered.iter().position(|l| l.contains("missing.json"));
        let empty_at = ordered.iter().position(|l| l.contains("empty.ndjson"));
        assert!(
            missing_at < empty_at && missing_at.is_some(),
            "{format}: errors in input order: {ordered:?}"
        );
        assert!(
            ordered
                .first()
                .is_some_and(|l| l.contains("first.ndjson: ") && l.contains(" line 14 ")),
            "{format}: {ordered:?}"
        );
        if format == "ndjson" {
            let lines: Vec<Value> = one
                .stdout
                .split(|b| *b == b'\n')
                .filter(|l| !l.is_empty())
                .map(|l| serde_json::from_slice(l).expect("a JSON line"))
                .collect();
            // 200 + 1 + 1 + 40 + 1 documents, less the blank line among the bad ones.
            let blank = (0..200).filter(|i| bad_line(*i) == Some(4)).count();
            assert_eq!(blank, 1);
            assert_eq!(lines.len(), 200 - blank + 1 + 1 + 40 + 1);
            // In input order: the supplier names count up, with the error records in place.
            let names: Vec<&str> = lines
                .iter()
                .filter_map(|l| l["subject"]["supplier"].as_str())
                .collect();
            assert_eq!(names[0], "Supplier 0");
            assert_eq!(names[12], "Supplier 12");
            assert_eq!(lines[13]["format"], "conduct-error/1");
            assert_eq!(lines[13]["line"], 14);
            assert_eq!(names[13], "Supplier 14");
        }
    }
}

/// Runs `conduct` with `args`, writing `input` to its standard input while its output is read
/// (a large output would otherwise fill its pipe before the input is all written).
fn with_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_conduct"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut pipe = child.stdin.take().expect("piped");
    let input = input.to_vec();
    let feed = std::thread::spawn(move || pipe.write_all(&input));
    let output = child.wait_with_output().expect("the binary finishes");
    feed.join()
        .expect("fed")
        .expect("the binary reads all its input");
    output
}

#[test]
fn details_validation_and_standard_input_are_the_same_whatever_the_jobs() {
    let text = batch(120, true);
    for format in ["text", "ndjson"] {
        let args = [
            "check",
            REGIONS,
            "-",
            "--input",
            "ndjson",
            "--validate",
            "--details",
            "--lang",
            "sv",
            "--format",
            format,
        ];
        let run = |jobs: &str| {
            let mut all = args.to_vec();
            all.extend(["--jobs", jobs]);
            with_stdin(&all, text.as_bytes())
        };
        let one = run("1");
        assert_eq!(code(&one), 3);
        assert!(
            stderr(&one).contains("duplicate key \"schema_version\""),
            "{}",
            stderr(&one)
        );
        for jobs in ["2", "4"] {
            let other = run(jobs);
            assert_eq!(code(&other), code(&one));
            assert!(other.stdout == one.stdout, "{format}, --jobs {jobs}");
            assert_eq!(stderr(&other), stderr(&one), "{format}, --jobs {jobs}");
        }
    }
}

#[test]
fn the_exit_code_is_the_worst_of_the_batch_whatever_the_jobs() {
    let dir = TempDir::new();
    // Violations but every line readable: 1; the clean supplier alone: 0.
    let mixed = dir.file_str("mixed.ndjson", batch(30, false).as_bytes());
    let one = same_for_every_jobs(&["check", REGIONS, &mixed, "--format", "ndjson"], &["2"]);
    assert_eq!(code(&one), 1, "{}", stderr(&one));
    let clean = examples()[1].to_string();
    let clean = dir.file_str("clean.ndjson", format!("{clean}\n{clean}\n").as_bytes());
    let one = same_for_every_jobs(&["check", REGIONS, &clean, "--format", "ndjson"], &["2"]);
    assert_eq!(code(&one), 0, "{}", stderr(&one));
}

#[test]
fn jobs_zero_is_refused() {
    let out = conduct(&[
        "check",
        REGIONS,
        "examples/example-evidence.json",
        "--jobs",
        "0",
    ]);
    assert_eq!(code(&out), 3);
    assert!(stderr(&out).contains("--jobs"), "{}", stderr(&out));
}

#[test]
#[ignore = "10,000 documents: run in release by .ci/run"]
fn ten_thousand_documents_are_the_same_byte_for_byte_whatever_the_jobs() {
    let dir = TempDir::new();
    let path = dir.file_str("batch.ndjson", batch(10_000, true).as_bytes());
    // HTML is left out: one page of 10,000 reports is not a batch output anyone reads.
    for format in ["text", "json", "ndjson"] {
        let one = same_for_every_jobs(&["check", REGIONS, &path, "--format", format], &["2", "4"]);
        assert_eq!(code(&one), 3);
    }
}

// ---------------------------------------------------------------------------------------------
// Memory
// ---------------------------------------------------------------------------------------------

/// The peak resident memory (kB) of `conduct check - --format FORMAT --jobs 2` over
/// `documents` small documents fed on standard input, each with a duplicate key: its warning on
/// standard error shows that the document has been written out. Once every warning is in,
/// standard input is still open, so the process is alive and `/proc/PID/status` gives its
/// high-water mark (`VmHWM`) over the whole batch.
#[cfg(target_os = "linux")]
fn peak_rss_kb(format: &str, documents: usize) -> u64 {
    let mut child = Command::new(env!("CARGO_BIN_EXE_conduct"))
        .args(["check", REGIONS, "-", "--input", "ndjson", "--jobs", "2"])
        .args(["--format", format])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut out = child.stdout.take().expect("piped");
    let drain = std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    let err = child.stderr.take().expect("piped");
    let (warned, warnings) = mpsc::channel();
    let watch = std::thread::spawn(move || {
        for line in BufReader::new(err).lines().map_while(Result::ok) {
            if line.contains("duplicate key") {
                let _ = warned.send(());
            }
        }
    });
    let mut input = child.stdin.take().expect("piped");
    for i in 0..documents {
        writeln!(
            input,
            r#"{{"supplier":{{"name":"Supplier {i}","name":"Supplier {i}"}}}}"#
        )
        .expect("the process reads its input");
    }
    input.flush().expect("flushed");
    for i in 0..documents {
        warnings
            .recv_timeout(Duration::from_secs(300))
            .unwrap_or_else(|_| panic!("document {i} of {documents} was not written in time"));
    }
    let status =
        std::fs::read_to_string(format!("/proc/{}/status", child.id())).expect("/proc readable");
    drop(input);
    assert!(child.wait().expect("the process ends").code() == Some(2));
    drain.join().expect("drained").expect("stdout read");
    watch.join().expect("watched");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/PID/status")
}

/// Peak memory with NDJSON output stays flat from `small` to `5 × small` documents (within
/// a quarter); HTML, which holds every report for its one page, grows at least half as fast as
/// the batch, so the measurement does see reports that are kept.
#[cfg(target_os = "linux")]
fn memory_does_not_grow_with_the_batch(small: usize) {
    let big = small * 5;
    let streamed = (peak_rss_kb("ndjson", small), peak_rss_kb("ndjson", big));
    let held = (peak_rss_kb("html", small), peak_rss_kb("html", big));
    eprintln!(
        "peak RSS, {small} and {big} documents: ndjson {} and {} kB, html {} and {} kB",
        streamed.0, streamed.1, held.0, held.1
    );
    assert!(
        streamed.1 * 4 <= streamed.0 * 5,
        "NDJSON output: {} kB for {small} documents, {} kB for {big}",
        streamed.0,
        streamed.1
    );
    let base = streamed.0;
    assert!(
        held.1.saturating_sub(base) * 2 >= held.0.saturating_sub(base) * 5,
        "HTML (holds every report): {} kB for {small} documents, {} kB for {big}, {base} kB base",
        held.0,
        held.1
    );
}

#[test]
#[cfg(target_os = "linux")]
fn memory_does_not_grow_with_a_batch_of_thousands() {
    memory_does_not_grow_with_the_batch(500);
}

#[test]
#[cfg(target_os = "linux")]
#[ignore = "2,000 and 10,000 documents: run in release by .ci/run"]
fn memory_does_not_grow_from_two_to_ten_thousand_documents() {
    memory_does_not_grow_with_the_batch(2_000);
}
