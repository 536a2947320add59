//! `safeaware synth` and `safeaware sample`: generated datasets.

use super::output::{Exit, with_progress};
use clap::Args;
use safeaware::synth::{self, SynthOptions};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct SynthArgs {
    /// Number of items.
    #[arg(long)]
    items: usize,
    /// Number of distinct pictures the items share.
    #[arg(long, default_value_t = 300)]
    images: usize,
    /// The dataset folder to create.
    #[arg(long)]
    out: PathBuf,
    /// Seed of the random stream; the same seed gives the same dataset.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Synthetic responders whose responses are stored too (0 to 12).
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=12))]
    models: u8,
    /// Replace an existing dataset at --out.
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Args)]
pub struct SampleArgs {
    /// The dataset folder to create.
    #[arg(long)]
    out: PathBuf,
    /// Replace an existing dataset at --out.
    #[arg(long)]
    force: bool,
}

pub fn run_synth(args: SynthArgs) -> safeaware::Result<Exit> {
    let options = SynthOptions {
        items: args.items,
        images: args.images,
        seed: args.seed,
        models: usize::from(args.models),
    };
    let result = with_progress("generating", |progress| {
        synth::write_synth(&args.out, options, args.force, progress)
    });
    let dataset = result?;
    println!(
        "Wrote {} synthetic items to {}",
        dataset.items.len(),
        safeaware::text::escape_path(&args.out)
    );
    Ok(Exit::Ok)
}

pub fn run_sample(args: SampleArgs) -> safeaware::Result<Exit> {
    let dataset = synth::write_sample(&args.out, args.force)?;
    println!(
        "Wrote the sample dataset ({} items) to {}",
        dataset.items.len(),
        safeaware::text::escape_path(&args.out)
    );
    Ok(Exit::Ok)
}
