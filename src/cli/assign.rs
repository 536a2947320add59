//! `safeaware assign DIR --curators a,b,c --overlap 2`: who labels which items.

use super::output::{Exit, Format, print_json};
use clap::Args;
use safeaware::labels::assign;
use safeaware::store::DatasetLock;
use safeaware::text::escape_for_display as esc;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct AssignArgs {
    /// The dataset folder.
    pub dataset: PathBuf,
    /// The curators.
    #[arg(long, value_delimiter = ',', required = true)]
    pub curators: Vec<String>,
    /// How many curators label each item.
    #[arg(long, default_value_t = 2)]
    pub overlap: usize,
    /// Seed of the random order (the same seed gives the same assignment).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

pub fn run(args: AssignArgs) -> safeaware::Result<Exit> {
    let dataset = safeaware::session::load_with_journal(&args.dataset)?;
    let assignments = assign::assign(&dataset, &args.curators, args.overlap, args.seed)?;
    let lock = DatasetLock::acquire(&args.dataset)?;
    assign::save(&lock, &assignments)?;
    if args.format == Format::Json {
        print_json(&assignments);
        return Ok(Exit::Ok);
    }
    println!(
        "Assigned {} items to {} curators each:",
        dataset.items.len(),
        args.overlap
    );
    for (curator, ids) in &assignments {
        println!("  {:<16} {:>6} items", esc(curator), ids.len());
    }
    Ok(Exit::Ok)
}
