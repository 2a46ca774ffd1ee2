//! Docs, the pack reference as one self-contained HTML page: inline CSS, no scripts, every
//! text escaped.

use std::fmt::Write as _;

use super::reference::{deadlines_text, reference};
use super::text::{labels, title};
use crate::pack::RulePack;

/// Escapes text for HTML element content and attribute values.
fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;\
max-width:72rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.45}\
h1{font-size:1.7rem}h2{margin-top:2.2rem;border-bottom:1px solid #ccc}\
table{border-collapse:collapse;width:100%;margin:0.8rem 0 1.6rem}\
th,td{border:1px solid #ccc;padding:0.3rem 0.5rem;text-align:left;vertical-align:top}\
th{background:#f2f2f2}code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:0.92em}\
dl{display:grid;grid-template-columns:max-content auto;gap:0.2rem 1rem}dt{font-weight:600}\
dd{margin:0}.sev-critical{color:#a40000;font-weight:600}.sev-major{color:#8a4b00}\
@media print{body{margin:0;max-width:none}}";

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
    let l = labels(language);
    let r = reference(pack);
    let lang = if r.languages.iter().any(|x| x == language) {
        language
    } else {
        r.languages.first().map_or("en", String::as_str)
    };
    let mut out = String::new();
    let _ = writeln!(out, "<!DOCTYPE html>");
    let _ = writeln!(out, "<html lang=\"{}\">", html(lang));
    let _ = writeln!(out, "<head>\n<meta charset=\"utf-8\">");
    let _ = writeln!(
        out,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    );
    let _ = writeln!(out, "<title>{}</title>", html(&r.title));
    let _ = writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>");
    let _ = writeln!(out, "<h1>{}</h1>", html(&r.title));
    let _ = writeln!(out, "<dl>");
    let _ = writeln!(
        out,
        "<dt>{}</dt><dd><code>{}</code></dd>",
        l.pack,
        html(&r.name)
    );
    if let Some(e) = &r.edition {
        let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", l.edition, html(e));
    }
    let _ = writeln!(
        out,
        "<dt>{}</dt><dd>{}</dd>",
        l.languages,
        html(&r.languages.join(", "))
    );
    let _ = writeln!(
        out,
        "<dt>{}</dt><dd><code>{}</code></dd>",
        l.digest,
        html(&r.digest)
    );
    let _ = writeln!(out, "</dl>");

    let _ = writeln!(out, "<h2 id=\"clauses\">{}</h2>", l.clauses);
    let _ = writeln!(out, "<table>");
    let _ = writeln!(
        out,
        "<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
        l.clause, l.title, l.references, l.severities, l.deadlines
    );
    for c in &r.clauses {
        let refs: Vec<String> = c.references.iter().map(|s| html(s)).collect();
        let sev: Vec<String> = c
            .severities
            .iter()
            .map(|s| format!("<span class=\"sev-{0}\">{0}</span>", s.as_str()))
            .collect();
        let _ = writeln!(
            out,
            "<tr id=\"{}\"><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            html(&c.id),
            html(&c.id),
            html(title(c, language)),
            refs.join("<br>"),
            sev.join(", "),
            html(&deadlines_text(c, l))
        );
    }
    let _ = writeln!(out, "</tbody>\n</table>");

    let _ = writeln!(out, "<h2 id=\"parameters\">{}</h2>", l.parameters);
    let _ = writeln!(out, "<table>");
    let _ = writeln!(
        out,
        "<thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
        l.parameter, l.default, l.source
    );
    for p in &r.params {
        let _ = writeln!(
            out,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
            html(&p.name),
            html(&p.default),
            html(&p.source)
        );
    }
    let _ = writeln!(out, "</tbody>\n</table>");

    let _ = writeln!(out, "<h2 id=\"tables\">{}</h2>", l.tables);
    for t in &r.tables {
        let _ = writeln!(out, "<h3><code>{}</code></h3>", html(&t.name));
        if !t.source.is_empty() {
            let _ = writeln!(out, "<p>{}: {}</p>", l.source, html(&t.source));
        }
        let _ = writeln!(
            out,
            "<p>{}: {}</p>",
            l.other_countries,
            html(t.default.as_deref().unwrap_or(l.no_default))
        );
        let _ = writeln!(out, "<table>");
        let _ = writeln!(
            out,
            "<thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
            l.key, l.value, l.source
        );
        for (k, v, s) in &t.entries {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                html(k),
                html(v),
                html(s)
            );
        }
        let _ = writeln!(out, "</tbody>\n</table>");
    }
    let _ = writeln!(out, "</body>\n</html>");
    out
}
