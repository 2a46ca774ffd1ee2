//! Evaluates a pack on an evidence file and prints the report as JSON:
//! `cargo run --example check -- rules/regions examples/example-evidence.json`.

use conduct::{Options, RulePack};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(pack), Some(evidence)) = (args.next(), args.next()) else {
        eprintln!("usage: check PACK EVIDENCE");
        std::process::exit(3);
    };
    let pack = RulePack::load(&pack)?;
    for warning in pack.warnings() {
        eprintln!("{warning}\n");
    }
    let evidence: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&evidence)?)?;
    let report = pack.evaluate(&evidence, &Options::default());
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
