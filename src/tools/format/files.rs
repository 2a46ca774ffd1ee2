//! Formatting, the files: which rule files a folder holds, and reading a file and writing its
//! formatted text back atomically (what `conduct fmt` does with paths).

use std::path::{Path, PathBuf};

use super::{FormatError, format_source};
use crate::diagnostic::{Code, Diagnostic};
use crate::error::CompileError;

/// The rule files under `path`: `path` itself when it is a file, else every `*.conduct` file
/// in the folder and its sub-folders, in name order. Hidden folders, `target` and symbolic links
/// are skipped.
///
/// # Errors
/// [`FormatError::Io`] when `path` or a folder under it cannot be read.
pub fn rule_files(path: &Path) -> Result<Vec<PathBuf>, FormatError> {
    let io = |action, p: &Path| {
        let path = p.display().to_string();
        move |source| FormatError::Io {
            action,
            path,
            source,
        }
    };
    let meta = std::fs::metadata(path).map_err(io("read", path))?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    let mut folders = vec![path.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let entries = std::fs::read_dir(&folder).map_err(io("list", &folder))?;
        for entry in entries {
            let entry = entry.map_err(io("list", &folder))?;
            let p = entry.path();
            let kind = entry.file_type().map_err(io("read", &p))?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if kind.is_dir() {
                if !name.starts_with('.') && name != "target" {
                    folders.push(p);
                }
            } else if kind.is_file() && p.extension().is_some_and(|e| e == "conduct") {
                files.push(p);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Reads the rule file at `path` and formats it, writing nothing: its text before and after.
///
/// # Errors
/// [`FormatError::Io`] when the file cannot be read; [`FormatError::Syntax`] when it is not
/// UTF-8 or does not parse; [`FormatError::Unstable`] as for [`format_source`].
pub fn read_and_format(path: &Path) -> Result<(String, String), FormatError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| FormatError::Io {
        action: "read",
        path: name.clone(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        FormatError::Syntax(CompileError::new(vec![Diagnostic::file_level(
            Code::E104,
            &name,
            "rule file is not valid UTF-8".to_string(),
            None,
        )]))
    })?;
    let formatted = format_source(&name, &text)?;
    Ok((text, formatted))
}

/// Formats the rule file at `path`; returns whether its text changes. With `write`, a file that
/// changes is replaced atomically (the new text goes to a temporary file beside it, which is
/// then renamed over it), so a failure never leaves a half-written file; without, nothing is
/// written (`conduct fmt --check`).
///
/// # Errors
/// [`FormatError::Io`] when the file cannot be read or written; [`FormatError::Syntax`] and
/// [`FormatError::Unstable`] as for [`format_source`]. The file is left as it was.
pub fn format_file(path: &Path, write: bool) -> Result<bool, FormatError> {
    let (text, formatted) = read_and_format(path)?;
    if formatted == text {
        return Ok(false);
    }
    if write {
        let io = |source| FormatError::Io {
            action: "write",
            path: path.display().to_string(),
            source,
        };
        // A symbolic link named on the command line: replace the file it points to, not the link.
        let target = std::fs::canonicalize(path).map_err(io)?;
        replace(&target, &formatted).map_err(io)?;
    }
    Ok(true)
}

/// Writes `text` to a temporary file beside `path`, with `path`'s permissions, and renames it
/// over `path`.
fn replace(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = path.file_name().unwrap_or_default().to_string_lossy();
    let temp = folder.join(format!(".{file_name}.{}.fmt.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::set_permissions(&temp, std::fs::metadata(path)?.permissions())?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}
