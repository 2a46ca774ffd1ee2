//! Running the `conduct` binary from the crate's root (so that paths in its output are
//! stable), and temporary folders, for the test crates that need them.
#![allow(dead_code, reason = "each test crate uses part of it")]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The exit code of a run that ended normally (not by a signal).
pub fn code(output: &Output) -> i32 {
    output
        .status
        .code()
        .expect("the binary exits normally, not by a signal")
}

/// Standard output, as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

/// Standard error, as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

/// Runs `conduct` with `args`.
pub fn conduct(args: &[&str]) -> Output {
    conduct_with_stdin(args, None)
}

/// Runs `conduct` with `args`, feeding `stdin` when given.
pub fn conduct_with_stdin(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_conduct"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        pipe.write_all(input).expect("stdin accepts the input");
    }
    child.wait_with_output().expect("the binary finishes")
}

/// A temporary folder, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new() -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let name = format!(
            "conduct-test-{}-{}-{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let path = std::env::temp_dir().join(name);
        std::fs::create_dir_all(&path).expect("the temp folder can be created");
        TempDir(path)
    }

    /// Writes `contents` at `name` (sub-folders created); returns its path.
    pub fn file(&self, name: &str, contents: &[u8]) -> PathBuf {
        let path = self.0.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("the temp folder can be created");
        }
        std::fs::write(&path, contents).expect("the temp file can be written");
        path
    }

    /// [`TempDir::file`], the path as text.
    pub fn file_str(&self, name: &str, contents: &[u8]) -> String {
        path_str(&self.file(name, contents)).to_string()
    }

    /// The path of `name` in the folder, as text.
    pub fn path(&self, name: &str) -> String {
        path_str(&self.0.join(name)).to_string()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A path as text (temporary paths are UTF-8).
pub fn path_str(path: &Path) -> &str {
    path.to_str().expect("the temp path is UTF-8")
}
