//! `safeaware merge DIR OTHER`: bring another copy's curator layers into this one.

use super::output::{Exit, Format, print_json};
use clap::Args;
use safeaware::store::DatasetLock;
use safeaware::text::escape_for_display as esc;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The dataset folder that receives the labels.
    pub dataset: PathBuf,
    /// Another copy of the dataset (e.g. a colleague's), read only.
    pub other: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

pub fn run(args: MergeArgs) -> safeaware::Result<Exit> {
    let dataset = safeaware::session::load_with_journal(&args.dataset)?;
    let lock = DatasetLock::acquire(&args.dataset)?;
    let known = |id: &str| dataset.position(id).is_some();
    let report = safeaware::labels::merge::merge(&lock, &args.other, &known)?;
    if args.format == Format::Json {
        print_json(&report);
        return Ok(Exit::Ok);
    }
    if report.layers.is_empty() {
        println!("Nothing new: every label of the other copy is already here");
    }
    for l in &report.layers {
        println!(
            "{}: {} items added, {} conflicts ({} took the other copy's later edit){}",
            esc(&l.layer),
            l.added,
            l.conflicts,
            l.taken_from_other,
            if l.conflict_examples.is_empty() {
                String::new()
            } else {
                format!(
                    "; e.g. {}",
                    l.conflict_examples
                        .iter()
                        .map(|id| esc(id).into_owned())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        );
    }
    if report.unknown_ids > 0 {
        println!(
            "{} labels are for ids this dataset does not have (kept, unused)",
            report.unknown_ids
        );
    }
    Ok(Exit::Ok)
}
