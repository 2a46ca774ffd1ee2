//! `conduct explain`: a pack, one evidence document and a clause in, why the clause came out
//! as it did out (each requirement, the items it ran over, the values read, the bounds and the
//! severity chosen), as text or JSON.

use std::path::PathBuf;

use clap::ValueEnum;

use crate::common::{
    ErrorFormat, EvalArgs, Exit, Failure, check_argument_order, finish, input_name, load_pack,
    pretty_json, read_evidence, unreadable, write_document,
};

const EXAMPLES: &str = "\
Examples:
  conduct explain rules/regions examples/example-evidence.json working_hours.weekly_limit
  conduct explain rules/regions examples/example-evidence.json child_labour.minimum_age --format json
  cat evidence.json | conduct explain rules/regions - wages.minimum_wage --as-of 2024-10-31

Exit codes: 0 the clause is explained (whatever its outcome), 3 the rules do not compile, the
evidence is not readable JSON, the clause is unknown, or the command line is wrong.";

// The command's help (`about`) is the doc comment of its `Command` variant.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct ExplainArgs {
    /// A rule file, or a pack folder whose root file is `pack.conduct`.
    pack: PathBuf,

    /// One evidence JSON document, `-` for standard input.
    evidence: PathBuf,

    /// The clause to explain (e.g. `working_hours.weekly_limit`).
    clause: String,

    /// Output format: text for people, json for programs.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
    format: ExplainFormat,

    #[command(flatten)]
    eval: EvalArgs,

    /// Format of compile diagnostics on standard error.
    #[arg(long, value_enum, default_value_t = ErrorFormat::Text)]
    error_format: ErrorFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ExplainFormat {
    Text,
    Json,
}

/// `conduct explain`: one clause's outcome explained.
pub fn run(args: &ExplainArgs) -> Exit {
    finish(explain(args), args.error_format)
}

fn explain(args: &ExplainArgs) -> Result<Exit, Failure> {
    check_argument_order(
        "explain",
        &args.pack,
        &[&args.evidence],
        "the second the evidence",
        &format!(" {}", args.clause),
    )?;
    let pack = load_pack(&args.pack)?;
    if !pack.clause_ids().any(|id| id == args.clause) {
        return Err(Failure::unknown_clause(&pack, &args.clause));
    }
    let options = args.eval.options(&pack)?;
    let evidence = read_evidence(&args.evidence)
        .map_err(|e| Failure::Error(unreadable(&input_name(&args.evidence), &e).0))?;
    let options = options.replaced(evidence.replaced());
    let explanation =
        conduct::tools::explain::explain(&pack, evidence.value(), &options, &args.clause)
            .map_err(|e| Failure::Error(e.to_string()))?;
    let text = match args.format {
        // The labels in the report's language (the one the evaluation used).
        ExplainFormat::Text => {
            conduct::tools::explain::render_text_in(&explanation, &args.eval.language(&pack))
        }
        ExplainFormat::Json => pretty_json(&explanation, "the explanation")?,
    };
    write_document(&text, None)
}
