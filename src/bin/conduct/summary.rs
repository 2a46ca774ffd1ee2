//! `conduct summary`: stored reports in (JSON files, `conduct check --format json` arrays,
//! `.ndjson`/`.jsonl` streams, `-`), one portfolio summary out per pack — as text, JSON
//! (`conduct-summary/1`, `schemas/summary.schema.json`), one CSV row per finding, or one
//! self-contained HTML page with inline SVG charts (`templates/summary.html`). The counts and
//! tables are the library's (`conduct::report::portfolio`); `conduct check --summary` hands
//! its reports to [`render`] too.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use conduct::Report;
use conduct::report::catalogue::Catalogue;
use conduct::report::portfolio::text::{Chart, Table, tables};
use conduct::report::portfolio::{Portfolio, text};
use conduct::report::text::clean;
use indexmap::IndexMap;
use minijinja::value::Serde;
use minijinja::{Environment, syntax::SyntaxConfig};
use serde::Serialize;

use crate::common::{
    ErrorFormat, Exit, Failure, finish, input_name, is_stdin, load_pack, neutralised, pretty_json,
    warn_line, write_document,
};

const EXAMPLES: &str = "\
Examples:
  conduct check rules/regions suppliers.ndjson --format ndjson > reports.ndjson
  conduct summary reports.ndjson
  conduct summary reports/*.json --lang sv --format html -o summary.html
  conduct summary reports.ndjson --format csv -o findings.csv
  conduct check rules/regions evidence/*.json --summary --lang sv

Input: a report file is one JSON report or the array `conduct check --format json` writes;
*.ndjson and *.jsonl files (and standard input whose first line is a whole report) hold one
report a line. Reports made with different packs are summarised per pack, with a warning.

Exit codes: 0 the summary was written; 3 some input is not a report (named with its line and
skipped; the others are still summarised), there is no report at all, the output cannot be
written, or the command line is wrong.";

/// The page template, built in.
const TEMPLATE: (&str, &str) = (
    "summary.html",
    include_str!("../../../templates/summary.html"),
);

// The command's help (`about`) is the doc comment of its `Command` variant.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct SummaryArgs {
    /// Stored reports: JSON files, `.ndjson`/`.jsonl` streams of one report a line, `-` for
    /// standard input.
    #[arg(required = true)]
    reports: Vec<PathBuf>,

    /// Output format: text tables, the summary as JSON (an array, one element per pack), one
    /// CSV row per finding, or one printable HTML page with charts.
    #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
    format: SummaryFormat,

    /// Language of titles and labels: `en` or `sv` (the first report's when not given).
    #[arg(long, value_name = "LANG")]
    lang: Option<String>,

    /// The pack the reports were made with: clause titles are taken from it in `--lang`
    /// (without it, from reports in that language where there are any).
    #[arg(long, value_name = "PACK")]
    pack: Option<PathBuf>,

    /// Write to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// The formats of a summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SummaryFormat {
    /// Text tables.
    Text,
    /// `conduct-summary/1`: an array, one portfolio per pack.
    Json,
    /// One row per finding.
    Csv,
    /// One self-contained page.
    Html,
}

/// `conduct summary`: the whole command.
pub fn run(args: &SummaryArgs) -> Exit {
    finish(summary(args), ErrorFormat::Text)
}

fn summary(args: &SummaryArgs) -> Result<Exit, Failure> {
    let lang = args.lang.as_deref().map(checked_language).transpose()?;
    if args.reports.iter().filter(|p| is_stdin(p)).count() > 1 {
        return Err(Failure::Error(
            "standard input (`-`) can be given once".to_string(),
        ));
    }
    let mut reports = Vec::new();
    let mut exit = Exit::Done;
    for path in &args.reports {
        if !read_reports(path, &mut reports) {
            exit = Exit::BadInput;
        }
    }
    let pack = args.pack.as_deref().map(load_pack).transpose()?;
    let text = render(&reports, lang.as_deref(), pack.as_ref(), args.format)?;
    write_document(&text, args.output.as_deref())?;
    Ok(exit)
}

/// `en` or `sv`, else an error naming them.
fn checked_language(lang: &str) -> Result<String, Failure> {
    if Catalogue::languages().contains(&lang) {
        Ok(lang.to_string())
    } else {
        Err(Failure::Error(format!(
            "`conduct summary` has no words for the language `{}`; expected `en` or `sv`",
            clean(lang)
        )))
    }
}

/// The summaries of the reports in a format: one portfolio per pack (name and digest), with a
/// warning when there are several; no report at all is an error.
pub fn render(
    reports: &[Report],
    lang: Option<&str>,
    pack: Option<&conduct::RulePack>,
    format: SummaryFormat,
) -> Result<String, Failure> {
    let Some(first) = reports.first() else {
        return Err(Failure::Error(
            "no reports to summarise: nothing was read that is a report".to_string(),
        ));
    };
    let lang = lang.unwrap_or(&first.language);
    let lang = if Catalogue::languages().contains(&lang) {
        lang
    } else {
        "en"
    };
    let mut portfolios: IndexMap<(String, String), Portfolio> = IndexMap::new();
    for report in reports {
        let key = (report.pack.name.clone(), report.pack.digest.clone());
        portfolios
            .entry(key)
            .or_insert_with(|| Portfolio::new(lang))
            .add(report);
    }
    if portfolios.len() > 1 {
        let packs: Vec<String> = portfolios
            .keys()
            .map(|(name, digest)| format!("`{}` ({})", clean(name), clean(digest)))
            .collect();
        warn_line(&format!(
            "warning: the reports were made with {} packs ({}); each is summarised on its own",
            portfolios.len(),
            packs.join(", ")
        ));
    }
    let mut portfolios: Vec<Portfolio> = portfolios.into_values().collect();
    if pack.is_none() && reports.iter().any(|r| r.language != lang) {
        warn_line(&format!(
            "warning: some reports are not in `{lang}`: their clause titles stay in their own \
             language unless another report gives them in `{lang}`; give --pack PACK to take \
             the titles from the pack"
        ));
    }
    if let Some(pack) = pack {
        let clauses = pack.clauses();
        for p in &mut portfolios {
            p.use_titles(clauses.iter().map(|c| (c.id.as_str(), c.titles.as_slice())));
            // The pack's own title in the chosen language, as the clauses' titles.
            for info in p.packs.iter_mut().filter(|i| i.name == pack.name()) {
                pack.title_in(lang).clone_into(&mut info.title);
            }
        }
    }
    render_portfolios(portfolios, format)
}

/// Adds a report to the portfolio, started in the report's language (English when the
/// catalogue has no words for it): `conduct check --summary`.
pub fn add(portfolio: &mut Option<Box<Portfolio>>, report: &Report) {
    portfolio
        .get_or_insert_with(|| {
            let lang = Catalogue::for_language(&report.language).language;
            Box::new(Portfolio::new(lang))
        })
        .add(report);
}

/// Portfolios in a format; none at all is an error.
pub fn render_portfolios(
    portfolios: Vec<Portfolio>,
    format: SummaryFormat,
) -> Result<String, Failure> {
    if portfolios.is_empty() {
        return Err(Failure::Error(
            "no reports to summarise: nothing was read that is a report".to_string(),
        ));
    }
    match format {
        SummaryFormat::Text => Ok(portfolios
            .iter()
            .map(text::render)
            .collect::<Vec<_>>()
            .join("\n")),
        SummaryFormat::Json => pretty_json(&portfolios, "the summary"),
        SummaryFormat::Csv => render_csv(&portfolios),
        SummaryFormat::Html => render_html(&portfolios)
            .map_err(|e| Failure::Error(format!("cannot render the summary page: {e}"))),
    }
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

/// Reads every report of one input into `reports`; `false` when something in it is not a
/// report (each named on standard error with its line, and skipped).
fn read_reports(path: &Path, reports: &mut Vec<Report>) -> bool {
    let name = input_name(path);
    let reader: Box<dyn BufRead> = if is_stdin(path) {
        Box::new(BufReader::new(std::io::stdin().lock()))
    } else {
        match std::fs::File::open(path) {
            Ok(f) => Box::new(BufReader::new(f)),
            Err(e) => {
                warn_line(&format!("error: cannot read {name}: {e}"));
                return false;
            }
        }
    };
    let by_lines = {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        ext.eq_ignore_ascii_case("ndjson") || ext.eq_ignore_ascii_case("jsonl")
    };
    if by_lines {
        return read_lines(&name, reader, 0, reports);
    }
    let mut text = String::new();
    if let Err(e) = { reader }.read_to_string(&mut text) {
        warn_line(&format!("error: cannot read {name}: {e}"));
        return false;
    }
    // Standard input, like a file, can be one report a line: a first line that is a whole
    // report followed by more lines.
    if is_stdin(path) {
        let mut lines = text.lines();
        let first = lines.next().unwrap_or_default();
        if lines.any(|l| !l.trim().is_empty()) && Report::from_json(first).is_ok() {
            return read_lines(&name, Box::new(text.as_bytes()), 0, reports);
        }
    }
    read_document(&name, &text, reports)
}

/// One JSON document: a report, or an array of them (`conduct check --format json`).
fn read_document(name: &str, text: &str, reports: &mut Vec<Report>) -> bool {
    if let Ok(serde_json::Value::Array(list)) = serde_json::from_str::<serde_json::Value>(text) {
        let mut fine = true;
        for (i, element) in list.iter().enumerate() {
            let read = serde_json::to_string(element)
                .map_err(|e| e.to_string())
                .and_then(|one| Report::from_json(&one).map_err(|e| e.to_string()));
            match read {
                Ok(report) => reports.push(report),
                Err(e) => {
                    let line = line_of_element(text, i);
                    not_a_report(&format!("{name}:{line}: element {}", i + 1), &e);
                    fine = false;
                }
            }
        }
        if list.is_empty() {
            not_a_report(name, "an empty array holds no report");
            fine = false;
        }
        return fine;
    }
    match Report::from_json(text) {
        Ok(report) => {
            reports.push(report);
            true
        }
        Err(e) => {
            let line = match &e {
                conduct::report::ReadError::Json(j) if j.line() > 0 => j.line(),
                _ => 1,
            };
            not_a_report(&format!("{name}:{line}"), &e.to_string());
            false
        }
    }
}

/// One report a line (blank lines skipped), from line `skip + 1` on.
fn read_lines(
    name: &str,
    reader: Box<dyn BufRead + '_>,
    skip: usize,
    reports: &mut Vec<Report>,
) -> bool {
    let mut fine = true;
    for (i, line) in reader.lines().enumerate().skip(skip) {
        let line_no = i + 1;
        match line {
            Ok(line) if line.trim().is_empty() => {}
            Ok(line) => match Report::from_json(&line) {
                Ok(report) => reports.push(report),
                Err(e) => {
                    not_a_report(&format!("{name}:{line_no}"), &e.to_string());
                    fine = false;
                }
            },
            Err(e) => {
                warn_line(&format!("error: cannot read {name} after line {i}: {e}"));
                return false;
            }
        }
    }
    fine
}

/// The line where the `index`-th element of a top-level JSON array starts (1-based), found
/// by scanning the text's brackets outside strings.
fn line_of_element(text: &str, index: usize) -> usize {
    let (mut depth, mut in_string, mut escaped, mut line, mut seen) = (0usize, false, false, 1, 0);
    let mut expecting = false;
    for c in text.chars() {
        if c == '\n' {
            line += 1;
        }
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        if expecting && depth == 1 && !c.is_whitespace() && c != ',' {
            if seen == index {
                return line;
            }
            seen += 1;
            expecting = false;
        }
        match c {
            '"' => in_string = true,
            '[' | '{' => {
                depth += 1;
                if depth == 1 {
                    expecting = true;
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            ',' if depth == 1 => expecting = true,
            _ => {}
        }
    }
    line
}

fn not_a_report(place: &str, why: &str) {
    warn_line(&clean(&format!(
        "error: {place}: not a report, skipped: {why}"
    )));
}

// ---------------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------------

/// The CSV's columns, one row per finding.
pub const CSV_HEADER: [&str; 16] = [
    "supplier",
    "org_number",
    "contract",
    "as_of",
    "site",
    "country",
    "clause",
    "requirement",
    "severity",
    "basis",
    "status",
    "due",
    "overdue",
    "plan",
    "finding_id",
    "pack",
];

/// One row per finding of every portfolio, with the names of the JSON form (`major`,
/// `verified`); every cell a spreadsheet would run as a formula neutralised.
fn render_csv(portfolios: &[Portfolio]) -> Result<String, Failure> {
    let failed = |e: &dyn std::fmt::Display| Failure::Error(format!("cannot write the CSV: {e}"));
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(CSV_HEADER).map_err(|e| failed(&e))?;
    for p in portfolios {
        let pack = p.packs.first().map(|p| p.name.clone()).unwrap_or_default();
        for f in &p.findings {
            let text = |s: &Option<String>| s.clone().unwrap_or_default();
            let row = [
                text(&f.supplier),
                text(&f.org_number),
                text(&f.contract),
                f.as_of.map(|d| d.to_string()).unwrap_or_default(),
                text(&f.site),
                text(&f.country),
                f.clause.clone(),
                f.requirement.clone(),
                f.severity.as_str().to_string(),
                f.basis.map(|b| b.as_str().to_string()).unwrap_or_default(),
                f.status.as_str().to_string(),
                f.due.map(|d| d.to_string()).unwrap_or_default(),
                f.overdue.to_string(),
                f.plan.map(|s| s.as_str().to_string()).unwrap_or_default(),
                f.id.clone(),
                pack.clone(),
            ];
            writer
                .write_record(row.iter().map(|cell| neutralised(cell)))
                .map_err(|e| failed(&e))?;
        }
    }
    let bytes = writer.into_inner().map_err(|e| failed(&e))?;
    String::from_utf8(bytes).map_err(|e| failed(&e))
}

// ---------------------------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------------------------

/// The chart's geometry in the SVG's own units (a `viewBox`; the page scales it to its width).
const CHART_WIDTH: u32 = 720;
const LABEL_WIDTH: u32 = 230;
/// The height of a bar's row and of the bar, and of both in a chart of more than
/// [`MANY_BARS`] bars (so that a chart of every clause fits on a page with its heading).
const ROW_HEIGHT: u32 = 20;
const BAR_HEIGHT: u32 = 13;
const MANY_BARS: usize = 12;
const DENSE_ROW_HEIGHT: u32 = 12;
const DENSE_BAR_HEIGHT: u32 = 10;
/// The height of one line of the legend.
const LEGEND_LINE: u32 = 16;
/// The width of a character of the chart's 10-unit text, on average (for layout only).
const CHAR_WIDTH: u32 = 5;
/// The narrowest and widest the bars may be.
const MIN_BAR_AREA: u32 = 150;
const MAX_BAR_AREA: u32 = 330;
/// Longest bar label, in characters; longer ones are cut with "…" (the table beside it has
/// the whole text).
const LABEL_CHARS: usize = 42;

/// Everything `summary.html` shows.
#[derive(Serialize)]
struct Page {
    lang: String,
    title: String,
    parts: Vec<Part>,
}

/// One pack's summary.
#[derive(Serialize)]
struct Part {
    heading: String,
    facts: Vec<(String, String)>,
    sections: Vec<Section>,
}

/// One table and its chart.
#[derive(Serialize)]
struct Section {
    id: &'static str,
    title: String,
    columns: Vec<String>,
    numeric: Vec<bool>,
    rows: Vec<Vec<String>>,
    none: String,
    chart: Option<Svg>,
}

/// A chart drawn as SVG by the template.
#[derive(Serialize)]
struct Svg {
    width: u32,
    label_x: u32,
    axis_x: u32,
    axis_top: u32,
    height: u32,
    description: String,
    legend: Vec<LegendEntry>,
    bars: Vec<Bar>,
}

#[derive(Serialize)]
struct LegendEntry {
    name: String,
    class: String,
    x: u32,
    y: u32,
    text_x: u32,
    text_y: u32,
}

#[derive(Serialize)]
struct Bar {
    label: String,
    full_label: String,
    y: u32,
    height: u32,
    text_y: u32,
    segments: Vec<Segment>,
    /// The counts in words at the bar's end: "Major 3 · Minor 1".
    value_text: String,
    value_x: u32,
}

#[derive(Serialize)]
struct Segment {
    x: u32,
    width: u32,
    class: String,
    title: String,
}

fn render_html(portfolios: &[Portfolio]) -> Result<String, minijinja::Error> {
    let mut env = Environment::new();
    env.set_syntax(
        SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()?,
    );
    let (name, source) = TEMPLATE;
    env.add_template(name, source)?;
    let lang = portfolios
        .first()
        .map_or_else(|| "en".to_string(), |p| p.language.clone());
    let words = conduct::report::catalogue::portfolio::Words::for_language(&lang);
    let page = Page {
        title: words.heading.to_string(),
        parts: portfolios.iter().map(part).collect(),
        lang,
    };
    env.get_template(name)?.render(Serde(&page))
}

/// One portfolio's heading, facts and sections.
fn part(p: &Portfolio) -> Part {
    let (c, w) = (
        Catalogue::for_language(&p.language),
        conduct::report::catalogue::portfolio::Words::for_language(&p.language),
    );
    let n = |n: usize| c.integer(n as u64);
    let mut facts = Vec::new();
    for pack in &p.packs {
        let edition = pack
            .edition
            .as_ref()
            .map(|e| format!(" ({} {e})", c.edition))
            .unwrap_or_default();
        facts.push((w.pack.to_string(), format!("{}{edition}", pack.title)));
    }
    facts.push((w.reports.to_string(), n(p.reports)));
    facts.push((w.suppliers.to_string(), n(p.supplier_count())));
    if let (Some(first), Some(last)) = (p.first_as_of, p.last_as_of) {
        let period = if first == last {
            c.date(first)
        } else {
            format!("{} – {}", c.date(first), c.date(last))
        };
        facts.push((w.period.to_string(), period));
    }
    facts.push((w.findings.to_string(), n(p.totals.by_severity.total())));
    facts.push((w.overdue.to_string(), n(p.overdue)));
    Part {
        heading: w.heading.to_string(),
        facts,
        sections: tables(p)
            .into_iter()
            .map(|t| section(t, w.none, c))
            .collect(),
    }
}

fn section(t: Table, none: &str, c: &Catalogue) -> Section {
    // Bars of plan states and verdicts take the state's colour (and pattern); their labels say
    // the word.
    let row_classes: &[&str] = match t.id {
        "plans" => &["red", "yellow", "green", "neutral"],
        "verdicts" => &["red", "yellow", "green"],
        _ => &[],
    };
    let chart = t
        .chart
        .as_ref()
        .map(|chart| svg(&t.title, chart, row_classes, c));
    Section {
        id: t.id,
        title: t.title,
        columns: t.columns,
        numeric: t.numeric,
        rows: t.rows,
        none: none.to_string(),
        chart,
    }
}

/// A chart's bars, scaled to the largest total and leaving room for their counts in words;
/// every segment has a title, and every bar its counts in words, so that nothing is told by
/// colour alone. The legend wraps onto as many lines as it needs.
fn svg(title: &str, chart: &Chart, row_classes: &[&str], c: &Catalogue) -> Svg {
    let width = |text: &str| CHAR_WIDTH * u32::try_from(text.chars().count()).unwrap_or(60);
    let max = chart
        .values
        .iter()
        .map(|v| v.iter().sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1);
    // The legend: entries left to right from the bars' start, wrapping at the right edge.
    let (mut x, mut y) = (LABEL_WIDTH, 4);
    let mut legend = Vec::new();
    // One series needs no legend: the table's heading names it, the labels say the rest.
    let named = if chart.series.len() > 1 {
        chart.series.as_slice()
    } else {
        &[]
    };
    for (i, name) in named.iter().enumerate() {
        let w = 18 + width(name);
        if x + w > CHART_WIDTH && x > LABEL_WIDTH {
            x = LABEL_WIDTH;
            y += LEGEND_LINE;
        }
        legend.push(LegendEntry {
            name: name.clone(),
            class: format!("s{i}"),
            x,
            y,
            text_x: x + 13,
            text_y: y + 9,
        });
        x += w;
    }
    let top = if named.is_empty() {
        4
    } else {
        y + LEGEND_LINE + 2
    };
    // Each bar's counts in words, and the room the longest leaves for the bars.
    let words: Vec<String> = chart
        .values
        .iter()
        .map(|values| {
            let parts: Vec<String> = values
                .iter()
                .zip(&chart.series)
                .filter(|(v, _)| **v > 0)
                .map(|(v, name)| {
                    let count = c.integer(*v as u64);
                    if chart.series.len() > 1 {
                        format!("{name} {count}")
                    } else {
                        count
                    }
                })
                .collect();
            if parts.is_empty() {
                "0".to_string()
            } else {
                parts.join(" · ")
            }
        })
        .collect();
    let longest = words.iter().map(|w| width(w)).max().unwrap_or(0);
    let area = CHART_WIDTH
        .saturating_sub(LABEL_WIDTH + 8 + longest)
        .clamp(MIN_BAR_AREA, MAX_BAR_AREA);
    let (row_height, bar_height) = if chart.labels.len() > MANY_BARS {
        (DENSE_ROW_HEIGHT, DENSE_BAR_HEIGHT)
    } else {
        (ROW_HEIGHT, BAR_HEIGHT)
    };
    let bars = chart
        .labels
        .iter()
        .zip(&chart.values)
        .zip(words)
        .enumerate()
        .map(|(row, ((label, values), value_text))| {
            let y = top + row_height * u32::try_from(row).unwrap_or(0);
            let mut at = LABEL_WIDTH;
            let mut segments = Vec::new();
            for (i, (value, name)) in values.iter().zip(&chart.series).enumerate() {
                if *value == 0 {
                    continue;
                }
                let w = u32::try_from(value * area as usize / max)
                    .unwrap_or(area)
                    .max(2);
                let class = match row_classes.get(row) {
                    Some(class) => (*class).to_string(),
                    None if chart.series.len() == 1 => "neutral".to_string(),
                    None => format!("s{i}"),
                };
                segments.push(Segment {
                    x: at,
                    width: w,
                    class,
                    title: format!("{name}: {}", c.integer(*value as u64)),
                });
                at += w;
            }
            let short: String = if label.chars().count() > LABEL_CHARS {
                label.chars().take(LABEL_CHARS - 1).collect::<String>() + "…"
            } else {
                label.clone()
            };
            Bar {
                label: short,
                full_label: label.clone(),
                y,
                height: bar_height,
                text_y: y + bar_height - 1,
                segments,
                value_text,
                value_x: at + 4,
            }
        })
        .collect::<Vec<_>>();
    let rows = u32::try_from(bars.len()).unwrap_or(0);
    Svg {
        width: CHART_WIDTH,
        label_x: LABEL_WIDTH - 4,
        axis_x: LABEL_WIDTH,
        axis_top: top - 2,
        height: top + row_height * rows.max(1) + 2,
        description: title.to_string(),
        legend,
        bars,
    }
}

#[cfg(test)]
mod tests {
    use super::line_of_element;

    #[test]
    fn elements_of_an_array_are_found_by_line() {
        let text = "[\n  {\"a\": \"[,\\\"\"},\n  {\"b\": [1, 2]},\n  3\n]";
        assert_eq!(line_of_element(text, 0), 2);
        assert_eq!(line_of_element(text, 1), 3);
        assert_eq!(line_of_element(text, 2), 4);
    }
}
