//! `conduct doc`: a pack in, a reference of it for procurement officers out (clauses,
//! references, severities, deadlines, parameters, tables), as Markdown or HTML.

use std::path::PathBuf;

use clap::ValueEnum;

use crate::common::{
    ErrorFormat, Exit, Failure, document_language, finish, load_pack, write_document,
};

const EXAMPLES: &str = "\
Examples:
  conduct doc rules/regions > regions.md
  conduct doc rules/regions --format html --lang sv -o regions.html

Exit codes: 0 the reference is written, 3 the rules do not compile, the output file cannot be
written, or the command line is wrong.";

// The command's help (`about`) is the doc comment of its `Command` variant.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct DocArgs {
    /// A rule file, or a pack folder whose root file is `pack.conduct`.
    pack: PathBuf,

    /// Output format: Markdown, or one self-contained HTML page.
    #[arg(long, value_enum, default_value_t = DocFormat::Markdown)]
    format: DocFormat,

    /// Language of clause titles and headings: one the pack declares (`en` when not given).
    #[arg(long, value_name = "LANG")]
    lang: Option<String>,

    /// Write to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Format of compile diagnostics on standard error.
    #[arg(long, value_enum, default_value_t = ErrorFormat::Text)]
    error_format: ErrorFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum DocFormat {
    Markdown,
    Html,
}

/// `conduct doc`: the pack reference.
pub fn run(args: &DocArgs) -> Exit {
    finish(doc(args), args.error_format)
}

fn doc(args: &DocArgs) -> Result<Exit, Failure> {
    let pack = load_pack(&args.pack)?;
    let language = document_language(&pack, args.lang.as_deref())?;
    let language = language.as_str();
    let text = match args.format {
        DocFormat::Markdown => {
            let mut text = conduct::tools::docs::reference_markdown(&pack, language);
            text.push('\n');
            text
        }
        DocFormat::Html => conduct::tools::docs::reference_html(&pack, language),
    };
    write_document(&text, args.output.as_deref())
}
