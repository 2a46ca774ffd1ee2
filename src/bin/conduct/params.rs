//! `conduct params`: a pack in, its parameters out (name, type, default and the source each
//! cites), as text or JSON: what `--param NAME=VALUE` can override.

use std::path::PathBuf;

use clap::ValueEnum;
use conduct::report::text::clean;

use crate::common::{
    ErrorFormat, Exit, Failure, finish, load_pack, pretty_json, push_line, write_document,
};

const EXAMPLES: &str = "\
Examples:
  conduct params rules/regions
  conduct params rules/regions --format json
  conduct check rules/regions evidence.json --param max_weekly_hours=48

Each parameter is shown as the rule file declares it, `NAME: TYPE = DEFAULT`, with the source it
cites; the default is written as `--param` takes it. The rule language gives parameters no titles
and no bounds.

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
    source: Option<&'a str>,
}

/// `conduct params`: the pack's parameters.
pub fn run(args: &ParamsArgs) -> Exit {
    finish(params(args), args.error_format)
}

fn params(args: &ParamsArgs) -> Result<Exit, Failure> {
    let pack = load_pack(&args.pack)?;
    let params = pack.params();
    let text = match args.format {
        ParamsFormat::Text => {
            let mut out = String::new();
            for p in &params {
                push_line(
                    &mut out,
                    &format!("{}: {} = {}", p.name, p.ty, clean(&p.default)),
                );
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
                    source: p.source.as_deref(),
                })
                .collect();
            pretty_json(&list, "the parameters")?
        }
    };
    write_document(&text, None)
}
