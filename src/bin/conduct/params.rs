//! `conduct params`: a pack in, its parameters out (name, type, default, title in the chosen
//! language, bounds, the evidence field that takes precedence and the source each cites), as
//! text or JSON: what `--param NAME=VALUE` can override.

use std::path::PathBuf;

use clap::ValueEnum;
use conduct::report::text::clean;

use indexmap::IndexMap;

use crate::common::{
    ErrorFormat, Exit, Failure, document_language, finish, load_pack, pretty_json, push_line,
    write_document,
};

const EXAMPLES: &str = "\
Examples:
  conduct params rules/regions
  conduct params rules/regions --lang sv
  conduct params rules/regions --format json
  conduct check rules/regions evidence.json --param max_weekly_hours=48

Each parameter is shown as the rule file declares it, `NAME: TYPE = DEFAULT`, then its title
(in `--lang`, else the pack's first language), the values `--param` may give (`at least`, `at
most`), the evidence field that takes precedence over `--param` and the default where a document
has it (`overridden by`), and the source it cites; values are written as `--param` takes them.
The JSON form has every field, with the titles in every language.

Exit codes: 0 the list is written, 3 the rules do not compile, or the command line is wrong.";

// The command's help (`about`) is the doc comment of its `Command` variant.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct ParamsArgs {
    /// A rule file, or a pack folder whose root file is `pack.conduct`.
    pack: PathBuf,

    /// Output format: text for people, json for programs.
    #[arg(long, value_enum, default_value_t = ParamsFormat::Text)]
    format: ParamsFormat,

    /// Language of the titles in the text: one the pack declares (its first when not given).
    #[arg(long, value_name = "LANG")]
    lang: Option<String>,

    /// Format of compile diagnostics on standard error.
    #[arg(long, value_enum, default_value_t = ErrorFormat::Text)]
    error_format: ErrorFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ParamsFormat {
    Text,
    Json,
}

/// One parameter in `--format json`, its fields in this order.
#[derive(serde::Serialize)]
struct ParamRecord<'a> {
    name: &'a str,
    #[serde(rename = "type")]
    ty: &'a str,
    default: &'a str,
    /// Language → title, in the order written.
    titles: IndexMap<&'a str, &'a str>,
    at_least: Option<&'a str>,
    at_most: Option<&'a str>,
    overridden_by: Option<&'a str>,
    source: Option<&'a str>,
}

/// `conduct params`: the pack's parameters.
pub fn run(args: &ParamsArgs) -> Exit {
    finish(params(args), args.error_format)
}

fn params(args: &ParamsArgs) -> Result<Exit, Failure> {
    let pack = load_pack(&args.pack)?;
    let language = match args.lang.as_deref() {
        Some(lang) => document_language(&pack, Some(lang))?,
        None => pack.languages().first().cloned().unwrap_or_default(),
    };
    let params = pack.params();
    let text = match args.format {
        ParamsFormat::Text => {
            let mut out = String::new();
            for p in &params {
                push_line(
                    &mut out,
                    &format!("{}: {} = {}", p.name, p.ty, clean(&p.default)),
                );
                if let Some(title) = p.title(&language) {
                    push_line(&mut out, &format!("  title: {}", clean(title)));
                }
                let bounds: Vec<String> = [("at least", &p.at_least), ("at most", &p.at_most)]
                    .into_iter()
                    .filter_map(|(word, b)| b.as_ref().map(|b| format!("{word} {}", clean(b))))
                    .collect();
                if !bounds.is_empty() {
                    push_line(&mut out, &format!("  bounds: {}", bounds.join(", ")));
                }
                if let Some(path) = &p.overridden_by {
                    push_line(&mut out, &format!("  overridden by: {}", clean(path)));
                }
                if let Some(source) = &p.source {
                    push_line(&mut out, &format!("  source: {}", clean(source)));
                }
            }
            out
        }
        ParamsFormat::Json => {
            let list: Vec<ParamRecord<'_>> = params
                .iter()
                .map(|p| ParamRecord {
                    name: &p.name,
                    ty: &p.ty,
                    default: &p.default,
                    titles: p
                        .titles
                        .iter()
                        .map(|(l, t)| (l.as_str(), t.as_str()))
                        .collect(),
                    at_least: p.at_least.as_deref(),
                    at_most: p.at_most.as_deref(),
                    overridden_by: p.overridden_by.as_deref(),
                    source: p.source.as_deref(),
                })
                .collect();
            pretty_json(&list, "the parameters")?
        }
    };
    write_document(&text, None)
}
