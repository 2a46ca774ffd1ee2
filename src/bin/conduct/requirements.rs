//! `conduct requirements`: a pack in, the evidence each clause reads out: a questionnaire for
//! the supplier in plain language (text), or the fields as JSON Pointers (a Markdown checklist,
//! or JSON).

use std::path::PathBuf;

use clap::ValueEnum;

use crate::common::{
    ErrorFormat, Exit, Failure, document_language, finish, load_pack, pretty_json, write_document,
};

const EXAMPLES: &str = "\
Examples:
  conduct requirements rules/regions
  conduct requirements rules/regions --clause child_labour.minimum_age --lang sv
  conduct requirements rules/regions --format markdown
  conduct requirements rules/regions --format json > requirements.json

The text form asks the supplier, per clause, for what the evidence declaration describes, leaving
out the fields the buyer or the auditor fills in. In the Markdown and JSON forms a field is a JSON
Pointer into the evidence, `*` for every item of a list. Required fields are read where the
clause decides (conditions, `where` filters, `applies when`, `insufficient
unless`); supporting ones only with a fallback (left of `??`), in `exists`/`known`, severity
cases, messages or remediation.

Exit codes: 0 the checklist is written, 3 the rules do not compile, the clause is unknown, or the
command line is wrong.";

// The command's help (`about`) is the doc comment of its `Command` variant.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct RequirementsArgs {
    /// A rule file, or a pack folder whose root file is `pack.conduct`.
    pack: PathBuf,

    /// Only this clause.
    #[arg(long, value_name = "ID")]
    clause: Option<String>,

    /// Output format: questions for the supplier, a Markdown checklist of pointers, or JSON.
    #[arg(long, value_enum, default_value_t = RequirementsFormat::Text)]
    format: RequirementsFormat,

    /// Language of clause titles and headings: one the pack declares (`en` when not given).
    #[arg(long, value_name = "LANG")]
    lang: Option<String>,

    /// Format of compile diagnostics on standard error.
    #[arg(long, value_enum, default_value_t = ErrorFormat::Text)]
    error_format: ErrorFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum RequirementsFormat {
    Text,
    Markdown,
    Json,
}

/// `conduct requirements`: the evidence checklist.
pub fn run(args: &RequirementsArgs) -> Exit {
    finish(requirements(args), args.error_format)
}

fn requirements(args: &RequirementsArgs) -> Result<Exit, Failure> {
    let pack = load_pack(&args.pack)?;
    let mut clauses = conduct::tools::docs::requirements(&pack);
    if let Some(id) = &args.clause {
        clauses.retain(|c| c.clause == *id);
        if clauses.is_empty() {
            return Err(Failure::unknown_clause(&pack, id));
        }
    }
    let language = document_language(&pack, args.lang.as_deref())?;
    let language = language.as_str();
    let text = match args.format {
        RequirementsFormat::Text => {
            let mut text = conduct::tools::docs::requirements_questions(&pack, &clauses, language);
            text.push('\n');
            text
        }
        RequirementsFormat::Markdown => {
            let mut text = conduct::tools::docs::requirements_markdown(&pack, &clauses, language);
            text.push('\n');
            text
        }
        RequirementsFormat::Json => {
            let document = conduct::tools::docs::requirements_document(&pack, &clauses, language);
            pretty_json(&document, "the requirements")?
        }
    };
    write_document(&text, None)
}
