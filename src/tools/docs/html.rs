//! Docs, the pack reference as one self-contained HTML page: what [`reference`] collects in,
//! the page out, rendered by MiniJinja from `templates/reference.html` (built into the
//! binary) with HTML auto-escaping of every value: inline CSS, no scripts.

use minijinja::Environment;
use minijinja::syntax::SyntaxConfig;
use minijinja::value::Serde;
use serde::Serialize;

use super::reference::{Reference, deadlines_text, reference};
use super::text::{Labels, labels, title};
use crate::pack::RulePack;
use crate::report::Severity;
use crate::report::catalogue::Catalogue;

/// The HTML templates, kept under `templates/` and built in; the file name ends in `.html`,
/// which turns MiniJinja's HTML auto-escaping on.
const TEMPLATES: &[(&str, &str)] = &[(
    "reference.html",
    include_str!("../../../templates/reference.html"),
)];

/// The template environment of the HTML pages: every template of [`TEMPLATES`], HTML
/// auto-escaping, block tags that leave no blank lines, the final newline kept.
fn environment() -> Result<Environment<'static>, minijinja::Error> {
    let mut env = Environment::new();
    env.set_syntax(
        SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()?,
    );
    for (name, source) in TEMPLATES {
        env.add_template(name, source)?;
    }
    Ok(env)
}

/// The labels the page uses, in the page's language.
#[derive(Serialize)]
struct PageLabels {
    pack: &'static str,
    edition: &'static str,
    languages: &'static str,
    digest: &'static str,
    clauses: &'static str,
    clause: &'static str,
    title: &'static str,
    references: &'static str,
    severities: &'static str,
    deadlines: &'static str,
    parameters: &'static str,
    parameter: &'static str,
    default: &'static str,
    source: &'static str,
    tables: &'static str,
    key: &'static str,
    value: &'static str,
    other_countries: &'static str,
    severities_heading: &'static str,
    deadlines_heading: &'static str,
    deadlines_from: &'static str,
}

impl PageLabels {
    fn new(l: &Labels, w: &Catalogue) -> PageLabels {
        PageLabels {
            pack: l.pack,
            edition: l.edition,
            languages: l.languages,
            digest: l.digest,
            clauses: l.clauses,
            clause: l.clause,
            title: l.title,
            references: l.references,
            severities: l.severities,
            deadlines: l.deadlines,
            parameters: l.parameters,
            parameter: l.parameter,
            default: l.default,
            source: l.source,
            tables: l.tables,
            key: l.key,
            value: l.value,
            other_countries: l.other_countries,
            severities_heading: w.docs.severities_heading,
            deadlines_heading: w.docs.deadlines_heading,
            deadlines_from: w.docs.deadlines_from,
        }
    }
}

/// Everything `reference.html` shows.
#[derive(Serialize)]
struct Page<'a> {
    /// The page's language: the one asked for if the pack has it, else the pack's first.
    lang: &'a str,
    l: PageLabels,
    title: &'a str,
    name: &'a str,
    edition: Option<&'a str>,
    languages: &'a [String],
    digest: &'a str,
    /// What each severity means, most severe first.
    meanings: Vec<SeverityMeaning>,
    clauses: Vec<ClauseRow<'a>>,
    params: Vec<ParamView<'a>>,
    tables: Vec<TableView<'a>>,
}

/// One severity and what it means.
#[derive(Serialize)]
struct SeverityMeaning {
    meaning: &'static str,
}

/// One severity of a clause: its name for the style and its words in the language.
#[derive(Serialize)]
struct SeverityView {
    class: &'static str,
    word: &'static str,
}

/// One row of the clauses table.
#[derive(Serialize)]
struct ClauseRow<'a> {
    id: &'a str,
    title: &'a str,
    references: &'a [String],
    severities: Vec<SeverityView>,
    deadlines: String,
}

/// One row of a country table.
#[derive(Serialize)]
struct EntryRow<'a> {
    key: &'a str,
    value: &'a str,
    source: &'a str,
}

/// One country table.
#[derive(Serialize)]
struct TableView<'a> {
    name: &'a str,
    /// The title in the page's language (see [`TableRow`](super::reference::TableRow)).
    title: Option<&'a str>,
    source: &'a str,
    /// The value for other countries, or the label saying there is none.
    default: &'a str,
    entries: Vec<EntryRow<'a>>,
}

/// One row of the parameters table.
#[derive(Serialize)]
struct ParamView<'a> {
    name: &'a str,
    /// The title in the page's language, if the parameter has titles.
    title: Option<&'a str>,
    /// The default with its bounds and the evidence field that takes precedence.
    default: String,
    source: &'a str,
}

/// The reference of [`reference_markdown`](super::reference_markdown) as one self-contained HTML page: inline CSS, no
/// scripts, no external resources, every text HTML-escaped.
///
/// ```
/// # let pack = conduct::RulePack::load("rules/regions")?;
/// let page = conduct::tools::docs::reference_html(&pack, "en");
/// assert!(page.starts_with("<!DOCTYPE html>"));
/// assert!(!page.contains("<script"));
/// # Ok::<(), conduct::Error>(())
/// ```
#[must_use]
pub fn reference_html(pack: &RulePack, language: &str) -> String {
    let r = reference(pack, language);
    // The template is built in and covered by the tests, so rendering cannot fail on a
    // pack's content; should it fail all the same, the page says so instead of panicking.
    render(&r, language).unwrap_or_else(|e| {
        format!(
            "<!DOCTYPE html>\n<html>\n<body>\n<p>The reference page cannot be rendered ({:?}).</p>\n</body>\n</html>\n",
            e.kind()
        )
    })
}

/// Renders `reference.html` for the reference `r` in `language`.
fn render(r: &Reference, language: &str) -> Result<String, minijinja::Error> {
    let l = labels(language);
    let w = Catalogue::for_language(language);
    let lang = if r.languages.iter().any(|x| x == language) {
        language
    } else {
        r.languages.first().map_or("en", String::as_str)
    };
    let clauses: Vec<ClauseRow<'_>> = r
        .clauses
        .iter()
        .map(|c| ClauseRow {
            id: &c.id,
            title: title(c, language),
            references: &c.references,
            severities: c
                .severities
                .iter()
                .map(|s| SeverityView {
                    class: s.as_str(),
                    word: w.severity(*s),
                })
                .collect(),
            deadlines: deadlines_text(c, l, w),
        })
        .collect();
    let params: Vec<ParamView<'_>> = r
        .params
        .iter()
        .map(|p| ParamView {
            name: &p.name,
            title: p.title(language),
            default: p.default_text(language),
            source: &p.source,
        })
        .collect();
    let tables: Vec<TableView<'_>> = r
        .tables
        .iter()
        .map(|t| TableView {
            name: &t.name,
            title: t.title.as_deref(),
            source: &t.source,
            default: t.default.as_deref().unwrap_or(l.no_default),
            entries: t
                .entries
                .iter()
                .map(|(key, value, source)| EntryRow { key, value, source })
                .collect(),
        })
        .collect();
    let page = Page {
        lang,
        l: PageLabels::new(l, w),
        title: &r.title,
        name: &r.name,
        edition: r.edition.as_deref(),
        languages: &r.languages,
        digest: &r.digest,
        meanings: [Severity::Critical, Severity::Major, Severity::Minor]
            .into_iter()
            .map(|s| SeverityMeaning {
                meaning: w.docs.severity_meaning(s),
            })
            .collect(),
        clauses,
        params,
        tables,
    };
    environment()?
        .get_template("reference.html")?
        .render(Serde(&page))
}
