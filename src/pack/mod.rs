//! Loading a pack: reading files (confined to the pack's folder), following imports,
//! parsing and checking, into an immutable, shareable [`RulePack`]; the options of one
//! evaluation ([`Options`], [`EvalLimits`]) and what a pack tells about itself ([`ClauseInfo`],
//! [`ParamInfo`]); with feature `parallel`, many documents on every core (`batch`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::check::{self, ParsedFile};
use crate::diagnostic::{Diagnostic, RawDiagnostic, did_you_mean};
use crate::error::{CompileError, Error};
use crate::program::Program;
use crate::report::{Report, Severity};
use crate::source::{FileId, SourceMap, Span};
use crate::syntax;

#[cfg(feature = "parallel")]
pub mod batch;
pub mod evidence;
pub(crate) mod labels;
mod params;

pub use crate::diagnostic::Code;
pub use crate::error::OptionsError;
pub use crate::limits::{CompileLimits, EvalLimits};
pub use crate::options::Options;
pub use params::ParamInfo;

/// The rule language reference (the same text as `grammar/README.md`).
#[doc = include_str!("../../grammar/README.md")]
pub mod language {}

/// A compiled pack of clauses: immutable, cheap to clone (an `Arc` inside), `Send + Sync`.
/// Compile once, evaluate many times.
///
/// ```
/// use conduct::{Options, RulePack, Status};
///
/// let pack = RulePack::builder()
///     .file(
///         "pack.conduct",
///         r#"
/// pack demo "Demo" languages en
/// evidence { workers: [{ worker_ref: string, age: number }] }
/// param minimum_age: number = 15
///
/// clause child_labour.minimum_age
///   title en "No child labour"
///   severity critical
///   for each w in workers:
///     require w.age >= minimum_age
///       message en "worker {w.worker_ref} is {actual}; the minimum is {minimum_age}"
///   end
/// "#,
///     )
///     .build()?;
/// let evidence = serde_json::json!({ "workers": [{ "worker_ref": "W1", "age": 14 }] });
/// let report = pack.evaluate(&evidence, &Options::default());
/// let outcome = report.outcome("child_labour.minimum_age").unwrap();
/// assert_eq!(outcome.status, Status::Violated);
/// assert_eq!(outcome.violations[0].path, "/workers/0/age");
/// assert_eq!(outcome.violations[0].message, "worker W1 is 14; the minimum is 15");
/// # Ok::<(), conduct::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct RulePack {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    program: Program,
    warnings: Vec<Diagnostic>,
}

/// What a clause is, for listings and documentation (e.g. the pack's README).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClauseInfo {
    /// The clause id.
    pub id: String,
    /// Titles per language, in the order written.
    pub titles: Vec<(String, String)>,
    /// The instruments the clause encodes.
    pub references: Vec<String>,
    /// The severities its violations can have, lowest first.
    pub severities: Vec<Severity>,
    /// The default deadline per severity (e.g. `30 days`), where it does not depend on the
    /// evidence; `None` where it does or where the clause sets none.
    pub deadlines: Vec<(Severity, Option<String>)>,
    /// Where the clause starts.
    pub location: crate::source::Location,
}

/// Builds a [`RulePack`] from source texts held in memory (e.g. rules stored in a database).
///
/// The root is the file that starts with the `pack` header (after comments and blank lines),
/// whatever the order the files are given in; `import "x.conduct"` resolves to another file
/// given to the builder. With no header at all the first file is taken as the root (and the
/// missing header is reported); two files with a header are an error (`E107`) naming both.
///
/// ```
/// use conduct::RulePack;
///
/// let pack = RulePack::builder()
///     .file("wages.conduct", "clause wages.paid\n  title en \"Wages are paid\"\n  require true\n    message en \"m\"\n")
///     .file("pack.conduct", "pack demo \"Demo\" languages en\nimport \"wages.conduct\"\n")
///     .build()?;
/// assert_eq!(pack.name(), "demo");
/// # Ok::<(), conduct::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct PackBuilder {
    files: Vec<(String, String)>,
    limits: CompileLimits,
}

impl PackBuilder {
    /// Adds a file.
    #[must_use]
    pub fn file(mut self, name: &str, source: &str) -> PackBuilder {
        self.files.push((name.to_string(), source.to_string()));
        self
    }
    /// Sets compile limits (source size, nesting).
    #[must_use]
    pub fn limits(mut self, limits: CompileLimits) -> PackBuilder {
        self.limits = limits;
        self
    }
    /// Parses and checks every file.
    ///
    /// # Errors
    /// [`Error::Compile`] with every diagnostic when the rules do not compile.
    pub fn build(self) -> Result<RulePack, Error> {
        let root = self.root()?;
        // Names as a folder's imports are resolved (`./a.conduct` is `a.conduct`).
        let files: HashMap<String, String> = self
            .files
            .into_iter()
            .map(|(name, text)| (normalize(&name), text))
            .collect();
        let provider = Provider::Memory(files);
        load(&provider, &root, &self.limits)
    }
}

impl PackBuilder {
    /// The root file's name: the one file with a `pack` header, else the first file.
    fn root(&self) -> Result<String, Error> {
        let headers: Vec<(&str, &str, usize)> = self
            .files
            .iter()
            .filter_map(|(name, text)| Some((name.as_str(), text.as_str(), header_offset(text)?)))
            .collect();
        match headers.as_slice() {
            [] => Ok(self
                .files
                .first()
                .map(|(n, _)| n.clone())
                .unwrap_or_default()),
            [(name, _, _)] => Ok((*name).to_string()),
            [first, rest @ ..] => {
                let names: Vec<String> = headers.iter().map(|(n, ..)| format!("`{n}`")).collect();
                let listed = match names.as_slice() {
                    [all @ .., last] => format!("{} and {last}", all.join(", ")),
                    [] => String::new(),
                };
                let count = if rest.len() == 1 {
                    "two".to_string()
                } else {
                    headers.len().to_string()
                };
                let mut sources = SourceMap::default();
                let mut second = None;
                for (name, text, offset) in [first].into_iter().chain(rest.iter()).take(2) {
                    let id = sources.add((*name).to_string(), Arc::from(*text));
                    second = Some(Span::new(id, *offset, offset + "pack".len()));
                }
                let span = second.unwrap_or_default();
                let diagnostic = RawDiagnostic::new(
                    Code::E107,
                    span,
                    format!("{count} files have a `pack` header: {listed}"),
                )
                .label("a second header")
                .help("a pack has one root file with the header; the files it imports have none");
                Err(Error::Compile(CompileError::new(vec![
                    diagnostic.resolve(&sources),
                ])))
            }
        }
    }
}

/// The byte offset of the `pack` keyword when a file starts with the pack header (after
/// whitespace, a byte order mark and `#` comments).
fn header_offset(text: &str) -> Option<usize> {
    let mut rest = text;
    loop {
        let trimmed = rest.trim_start_matches([' ', '\t', '\r', '\n', '\u{FEFF}']);
        if let Some(comment) = trimmed.strip_prefix('#') {
            rest = comment
                .find('\n')
                .map_or("", |i| comment.get(i..).unwrap_or(""));
            continue;
        }
        let offset = text.len() - trimmed.len();
        let after = trimmed.strip_prefix("pack")?;
        return after.starts_with([' ', '\t', '\r', '\n']).then_some(offset);
    }
}

/// Where files come from.
enum Provider {
    Memory(HashMap<String, String>),
    Dir {
        root: PathBuf,
        canonical: PathBuf,
        display: String,
    },
}

/// Normalizes an import path: forward slashes, no `.` segments.
fn normalize(rel: &str) -> String {
    rel.split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect::<Vec<_>>()
        .join("/")
}

impl Provider {
    fn display(&self, rel: &str) -> String {
        match self {
            Provider::Memory(_) => rel.to_string(),
            Provider::Dir { display, .. } => {
                if display.is_empty() {
                    rel.to_string()
                } else {
                    format!("{}/{rel}", display.trim_end_matches('/'))
                }
            }
        }
    }

    /// Reads one file; the error is a message and help.
    fn read(
        &self,
        rel: &str,
        limits: &CompileLimits,
    ) -> Result<String, (Code, String, Option<String>)> {
        if rel.starts_with('/')
            || rel.contains('\\')
            || rel.contains(':')
            || rel.split('/').any(|s| s == "..")
        {
            return Err((
                Code::E105,
                format!("import `{rel}` leaves the pack's folder"),
                Some("imports name files inside the pack's folder, e.g. `import \"parameters.conduct\"`".into()),
            ));
        }
        match self {
            Provider::Memory(files) => match files.get(rel) {
                Some(text) => {
                    if text.len() > limits.max_source_bytes {
                        return Err((
                            Code::E103,
                            format!(
                                "`{rel}` is {} bytes; the limit is {}",
                                text.len(),
                                limits.max_source_bytes
                            ),
                            None,
                        ));
                    }
                    Ok(text.clone())
                }
                None => Err((
                    Code::E105,
                    format!("no file `{rel}` in the pack"),
                    did_you_mean(rel, files.keys().map(String::as_str)),
                )),
            },
            Provider::Dir {
                root, canonical, ..
            } => {
                let path = root.join(rel);
                let meta = std::fs::symlink_metadata(&path).map_err(|e| {
                    let siblings: Vec<String> = std::fs::read_dir(root)
                        .map(|d| {
                            d.filter_map(|e| e.ok())
                                .map(|e| e.file_name().to_string_lossy().into_owned())
                                .collect()
                        })
                        .unwrap_or_default();
                    (
                        Code::E105,
                        format!("cannot read `{rel}`: {e}"),
                        did_you_mean(rel, siblings.iter().map(String::as_str)),
                    )
                })?;
                if meta.file_type().is_symlink() {
                    return Err((
                        Code::E105,
                        format!("`{rel}` is a symbolic link; rule files must be regular files"),
                        None,
                    ));
                }
                if !meta.is_file() {
                    return Err((Code::E105, format!("`{rel}` is not a regular file"), None));
                }
                let real = path
                    .canonicalize()
                    .map_err(|e| (Code::E105, format!("cannot read `{rel}`: {e}"), None))?;
                if !real.starts_with(canonical) {
                    return Err((
                        Code::E105,
                        format!("import `{rel}` leaves the pack's folder"),
                        None,
                    ));
                }
                if meta.len() > limits.max_source_bytes as u64 {
                    return Err((
                        Code::E103,
                        format!(
                            "`{rel}` is {} bytes; the limit is {}",
                            meta.len(),
                            limits.max_source_bytes
                        ),
                        Some("split the pack into several files".into()),
                    ));
                }
                let bytes = std::fs::read(&real)
                    .map_err(|e| (Code::E105, format!("cannot read `{rel}`: {e}"), None))?;
                String::from_utf8(bytes).map_err(|e| {
                    let at = e.utf8_error().valid_up_to();
                    (
                        Code::E104,
                        format!("`{rel}` is not valid UTF-8 (at byte {at})"),
                        Some("save the file as UTF-8".into()),
                    )
                })
            }
        }
    }
}

struct Loader<'p> {
    provider: &'p Provider,
    limits: &'p CompileLimits,
    sources: SourceMap,
    files: Vec<Option<ParsedFile>>,
    ids: HashMap<String, FileId>,
    stack: Vec<String>,
    diags: Vec<RawDiagnostic>,
    file_errors: Vec<Diagnostic>,
    hasher: Sha256,
}

/// How the loader came to a file.
#[derive(Clone, Copy)]
enum Via {
    /// The pack's root file: a problem reading it has no position.
    Root,
    /// An import of a file that parsed: problems point at the import.
    Import(Span),
    /// An `import` line of a file with a syntax error, followed only to parse the files it
    /// names: a problem reading one (or a cycle) is left for when that file parses.
    Recovery,
}

/// The paths of a file's `import "…"` lines, found without the parser (for a file that does
/// not parse). Only lines that start with `import` count, so commented-out ones do not.
fn scan_imports(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        let mut rest = line.trim_start();
        while let Some(after) = rest.strip_prefix("import") {
            let Some(quoted) = after
                .strip_prefix([' ', '\t'])
                .and_then(|a| a.trim_start().strip_prefix('"'))
            else {
                break;
            };
            let Some((path, tail)) = quoted.split_once('"') else {
                break;
            };
            if !path.contains('\\') {
                found.push(path.to_string());
            }
            rest = tail.trim_start();
        }
    }
    found
}

impl Loader<'_> {
    /// Loads `rel` and, depth first, what it imports: also when `rel` has a syntax error (its
    /// `import` lines are followed, so that every file's syntax errors are reported at once).
    fn visit(&mut self, rel: &str, via: Via) -> Option<FileId> {
        let from = match via {
            Via::Import(span) => Some(span),
            Via::Root | Via::Recovery => None,
        };
        if let Some(pos) = self.stack.iter().position(|s| s == rel) {
            let cycle: Vec<&str> = self
                .stack
                .iter()
                .skip(pos)
                .map(String::as_str)
                .chain([rel])
                .collect();
            if let Some(span) = from {
                self.diags.push(
                    RawDiagnostic::new(
                        Code::E106,
                        span,
                        format!("import cycle: {}", cycle.join(" → ")),
                    )
                    .help("move what both files need into a third file that both import"),
                );
            }
            return None;
        }
        if let Some(id) = self.ids.get(rel) {
            return Some(*id);
        }
        let text = match self.provider.read(rel, self.limits) {
            Ok(t) => t,
            Err((code, message, help)) => {
                match via {
                    Via::Import(span) => self
                        .diags
                        .push(RawDiagnostic::new(code, span, message).maybe_help(help)),
                    Via::Root => self.file_errors.push(Diagnostic::file_level(
                        code,
                        &self.provider.display(rel),
                        message,
                        help,
                    )),
                    Via::Recovery => {}
                }
                return None;
            }
        };
        self.hasher.update(rel.as_bytes());
        self.hasher.update([0]);
        self.hasher.update(text.as_bytes());
        self.hasher.update([0]);
        // INVARIANT: `rel` is normalized (`/`-separated, no `.` segments) and relative to the
        // pack's root: the report's `rule.file`, the same however the pack was given.
        let id = self.sources.add_in_pack(
            self.provider.display(rel),
            rel.to_string(),
            Arc::from(text.as_str()),
        );
        self.ids.insert(rel.to_string(), id);
        let slot = self.files.len();
        self.files.push(None);
        let ast = match syntax::parse_file(id, &text, self.limits.max_depth) {
            Ok(ast) => ast,
            Err(diags) => {
                self.diags.extend(diags);
                self.stack.push(rel.to_string());
                for target in scan_imports(&text) {
                    self.visit(&normalize(&target), Via::Recovery);
                }
                self.stack.pop();
                return Some(id);
            }
        };
        self.stack.push(rel.to_string());
        let mut imports = Vec::new();
        for import in &ast.imports {
            let target = normalize(&import.path);
            if let Some(child) = self.visit(&target, Via::Import(import.span.0)) {
                imports.push(child);
            }
        }
        self.stack.pop();
        if let Some(s) = self.files.get_mut(slot) {
            *s = Some(ParsedFile { id, ast, imports });
        }
        Some(id)
    }
}

/// The root file of a pack folder.
const ROOT_FILE: &str = "pack.conduct";

/// What to say about a folder with no root file: the packs in its sub-folders, else the rule
/// files in it that start with a `pack` header, else what a pack folder holds.
fn not_a_pack_help(dir: &Path) -> Option<String> {
    let mut packs = Vec::new();
    let mut roots = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.join(ROOT_FILE).is_file() {
            packs.push(format!("`{}`", path.display()));
        } else if path.extension().is_some_and(|e| e == "conduct")
            && std::fs::read_to_string(&path).is_ok_and(|t| header_offset(&t).is_some())
        {
            roots.push(format!("`{}`", path.display()));
        }
    }
    packs.sort();
    roots.sort();
    Some(match (packs.as_slice(), roots.as_slice()) {
        ([one], _) => format!("did you mean {one}?"),
        ([_, ..], _) => format!("the packs inside it are {}", packs.join(", ")),
        ([], [one]) => format!("{one} has the `pack` header: load that file"),
        _ => "a pack folder holds `pack.conduct`, the file with the `pack` header, and the \
              files it imports"
            .to_string(),
    })
}

fn load(provider: &Provider, root: &str, limits: &CompileLimits) -> Result<RulePack, Error> {
    let mut loader = Loader {
        provider,
        limits,
        sources: SourceMap::default(),
        files: Vec::new(),
        ids: HashMap::new(),
        stack: Vec::new(),
        diags: Vec::new(),
        file_errors: Vec::new(),
        hasher: Sha256::new(),
    };
    loader.visit(&normalize(root), Via::Root);
    if !loader.file_errors.is_empty() || !loader.diags.is_empty() {
        let mut all = loader.file_errors;
        let sources = loader.sources;
        loader.diags.sort_by_key(|d| (d.span.file, d.span.start));
        all.extend(loader.diags.into_iter().map(|d| d.resolve(&sources)));
        return Err(Error::Compile(CompileError::new(all)));
    }
    let digest = format!("sha256:{:x}", loader.hasher.finalize());
    let files: Vec<ParsedFile> = loader.files.into_iter().flatten().collect();
    match check::check(loader.sources, &files, digest) {
        Ok((program, warnings)) => {
            let warnings = warnings
                .into_iter()
                .map(|d| d.resolve(&program.sources))
                .collect();
            Ok(RulePack {
                inner: Arc::new(Inner { program, warnings }),
            })
        }
        Err((sources, diags)) => {
            // Errors first: warnings come back once the pack compiles.
            let all = diags
                .into_iter()
                .filter(|d| !d.code.is_warning())
                .map(|d| d.resolve(&sources))
                .collect();
            Err(Error::Compile(CompileError::new(all)))
        }
    }
}

impl RulePack {
    /// Loads a pack from a folder (its root file is `pack.conduct`) or from one file.
    /// Imports are resolved inside that folder and may not leave it.
    ///
    /// # Errors
    /// [`Error::Compile`] with every diagnostic (file, line, column) when the rules do not
    /// compile or a file cannot be read.
    pub fn load(path: impl AsRef<Path>) -> Result<RulePack, Error> {
        RulePack::load_with(path, &CompileLimits::default())
    }

    /// [`RulePack::load`] with compile limits.
    ///
    /// # Errors
    /// As [`RulePack::load`].
    pub fn load_with(path: impl AsRef<Path>, limits: &CompileLimits) -> Result<RulePack, Error> {
        let path = path.as_ref();
        let shown = path.to_string_lossy().into_owned();
        let io = |e: std::io::Error| Error::Io {
            path: shown.clone(),
            source: e,
        };
        let meta = std::fs::metadata(path).map_err(io)?;
        let (dir, root, display) = if meta.is_dir() {
            if std::fs::symlink_metadata(path.join(ROOT_FILE)).is_err() {
                return Err(Error::NotAPack {
                    help: not_a_pack_help(path),
                    path: shown,
                });
            }
            (path.to_path_buf(), ROOT_FILE.to_string(), shown.clone())
        } else {
            let dir = path
                .parent()
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
            let dir = if dir.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                dir
            };
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let display = path
                .parent()
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_default();
            (dir, name, display)
        };
        let canonical = dir.canonicalize().map_err(io)?;
        let provider = Provider::Dir {
            root: dir,
            canonical,
            display,
        };
        load(&provider, &root, limits)
    }

    /// The compiled program, for read-only tools in the crate (e.g. `crate::tools::docs`).
    #[cfg(feature = "tools")]
    pub(crate) fn program(&self) -> &Program {
        &self.inner.program
    }

    /// A builder for packs held in memory.
    #[must_use]
    pub fn builder() -> PackBuilder {
        PackBuilder::default()
    }

    /// Warnings found while compiling (unused parameters, missing messages).
    #[must_use]
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.inner.warnings
    }

    /// The pack's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.inner.program.name
    }

    /// The pack's title in its first language.
    #[must_use]
    pub fn title(&self) -> &str {
        let program = &self.inner.program;
        program.title(program.languages.first().map_or("", String::as_str))
    }

    /// The pack's title in `language`; in the pack's first language when it has none in
    /// `language` (a title written once, `pack NAME "…"`, is the title in every language).
    ///
    /// ```
    /// let pack = conduct::RulePack::load("rules/regions")?;
    /// assert_eq!(pack.title_in("sv"), "Regionernas gemensamma uppförandekod för leverantörer");
    /// assert_eq!(pack.title_in("de"), pack.title());
    /// # Ok::<(), conduct::Error>(())
    /// ```
    #[must_use]
    pub fn title_in(&self, language: &str) -> &str {
        self.inner.program.title(language)
    }

    /// `sha256:` of the pack's source files.
    #[must_use]
    pub fn digest(&self) -> &str {
        &self.inner.program.digest
    }

    /// The languages the pack offers messages in.
    #[must_use]
    pub fn languages(&self) -> &[String] {
        &self.inner.program.languages
    }

    /// A warning about a clause, pointing at its id in the rules.
    #[cfg(feature = "tools")]
    pub(crate) fn clause_warning(
        &self,
        clause: &str,
        code: crate::diagnostic::Code,
        message: String,
        help: String,
    ) -> Option<Diagnostic> {
        let program = &self.inner.program;
        let c = program.clauses.iter().find(|c| c.id == clause)?;
        let span = program
            .sources
            .span_at(&c.location, "clause ".len() + c.id.len())?;
        Some(
            crate::diagnostic::RawDiagnostic::new(code, span, message)
                .help(help)
                .resolve(&program.sources),
        )
    }

    /// The clause ids, in declaration order.
    pub fn clause_ids(&self) -> impl Iterator<Item = &str> {
        self.inner.program.clauses.iter().map(|c| c.id.as_str())
    }

    /// What each clause is: titles, references, reachable severities and default deadlines,
    /// in declaration order.
    #[must_use]
    pub fn clauses(&self) -> Vec<ClauseInfo> {
        let program = &self.inner.program;
        program
            .clauses
            .iter()
            .map(|c| {
                let severities = crate::check::analysis::reachable_severities(c);
                let deadlines = severities
                    .iter()
                    .map(|s| {
                        (
                            *s,
                            c.remediation.as_ref().and_then(|r| {
                                crate::check::analysis::describe_deadline(program, r, *s)
                            }),
                        )
                    })
                    .collect();
                ClauseInfo {
                    id: c.id.clone(),
                    titles: c.titles.clone(),
                    references: c.references.clone(),
                    severities,
                    deadlines,
                    location: c.location.clone(),
                }
            })
            .collect()
    }

    /// The parameter names, in declaration order.
    pub fn param_names(&self) -> impl Iterator<Item = &str> {
        self.inner.program.params.iter().map(|p| p.name.as_str())
    }

    /// Evaluates one evidence document. Never fails: a clause that cannot be evaluated gets
    /// an `error` outcome, and options that do not fit the pack (an unknown parameter, a value
    /// not of its type, a language the pack does not declare: see
    /// [`RulePack::check_options`], which lists them all) make every outcome `error`.
    #[must_use]
    pub fn evaluate(&self, evidence: &serde_json::Value, options: &Options) -> Report {
        let program = &self.inner.program;
        let mut report = crate::eval::evaluate(program, evidence, options);
        // The pack's `labels`, read once per document apart from the clauses.
        (report.labels, report.invalid_labels) = labels::read(program, evidence);
        report
    }
}
