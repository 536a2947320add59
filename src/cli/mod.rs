//! Command-line definitions and dispatch; each subcommand lives in its own module.

mod agree;
mod agree_dataset;
mod assign;
mod diff_show;
mod export;
mod families;
mod import;
mod labels;
mod merge;
mod output;
mod responses;
mod shell;
mod summary;
mod synth;
mod tui;
mod validate;
mod verdicts;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

pub use output::Exit;

/// safeaware: curate and audit multimodal LLM safety benchmarks.
///
/// With no subcommand it opens the curation TUI on a working copy of the bundled sample in
/// the user data folder (made on first run); nothing is written under the source tree.
#[derive(Debug, Parser)]
#[command(name = "safeaware", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    tui: tui::TuiArgs,
    /// Use this config file (its folder's keymap.ron and theme.ron too); before or after
    /// the subcommand.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Who is labeling: edits go to `labels/<NAME>.ron` (overrides the config's `curator`);
    /// before or after the subcommand.
    #[arg(long, global = true, value_name = "NAME")]
    curator: Option<String>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Open the curation TUI on a dataset.
    Tui(tui::TuiArgs),
    /// Import a benchmark release into a new dataset folder.
    #[command(subcommand)]
    Import(import::ImportCommand),
    /// Check a dataset: missing or broken images, duplicates, label conflicts, text lints.
    ///
    /// Exit code 0: no error-severity finding; 1: some; 2: the dataset cannot be read.
    Validate(validate::ValidateArgs),
    /// Write a deterministic synthetic dataset of any size (for benchmarks and tests).
    Synth(synth::SynthArgs),
    /// Regenerate the bundled sample dataset (drawn by safeaware's own code).
    Sample(synth::SampleArgs),
    /// Print a dataset's summary: counts per subset, status and scenario.
    Summary(summary::SummaryArgs),
    /// Show the config folder, or print the default config, keymap and theme.
    Config(tui::ConfigArgs),
    /// Store, list or remove model responses.
    #[command(subcommand)]
    Responses(responses::ResponsesCommand),
    /// The paper's error table (and breakdowns) from the stored responses.
    Report(responses::ReportArgs),
    /// Write the cleaned dataset (JSONL, CSV, a dataset folder, or the release layout).
    Export(Box<export::ExportArgs>),
    /// What changed between two versions of a dataset, and how the model scores moved.
    Diff(diff_show::DiffArgs),
    /// Print one item (image, text, labels, every model's response) to a plain terminal.
    Show(diff_show::ShowArgs),
    /// Attack variants grouped with their typical base (derived), orphans and anomalies.
    Families(families::FamiliesArgs),
    /// Inter-rater agreement (Cohen, Fleiss, Krippendorff) of a dataset's curators (and
    /// readers, for verdicts) or of annotator columns in a file.
    Agree(agree::AgreeArgs),
    /// One curator's labels in (from JSONL/CSV/TSV) and out of their layer.
    #[command(subcommand)]
    Labels(labels::LabelsCommand),
    /// Bring another copy's curator layers into this dataset (later edit wins per item).
    Merge(merge::MergeArgs),
    /// Give each item to k curators, balanced per subset (`labels/assignments.ron`).
    Assign(assign::AssignArgs),
    /// Print a shell completion script (bash, zsh or fish) on stdout.
    Completions(shell::CompletionsArgs),
    /// Print the man page (roff) on stdout: `safeaware man | man -l -`.
    Man,
    /// Read each response of a file into a verdict with the rule that fired; with
    /// --labels, compare with human labels (agreement, confusion, disagreements).
    Verdicts(verdicts::VerdictsArgs),
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> safeaware::Result<Exit> {
    match cli.command {
        None => tui::run(cli.tui, cli.config, cli.curator),
        Some(Command::Tui(args)) => tui::run(args, cli.config, cli.curator),
        Some(Command::Config(args)) => tui::run_config(args),
        Some(Command::Responses(cmd)) => responses::run(cmd),
        Some(Command::Report(args)) => responses::report(args),
        Some(Command::Export(args)) => export::run(*args),
        Some(Command::Diff(args)) => diff_show::run_diff(args),
        Some(Command::Show(args)) => diff_show::run_show(args),
        Some(Command::Import(cmd)) => import::run(cmd),
        Some(Command::Validate(args)) => validate::run(args),
        Some(Command::Synth(args)) => synth::run_synth(args),
        Some(Command::Sample(args)) => synth::run_sample(args),
        Some(Command::Summary(args)) => summary::run(args),
        Some(Command::Families(args)) => families::run(args),
        Some(Command::Agree(args)) if safeaware::store::is_dataset(&args.source) => agree_dataset::run(args),
        Some(Command::Agree(args)) => agree::run(args),
        Some(Command::Labels(cmd)) => labels::run(cmd, cli.curator.as_deref()),
        Some(Command::Merge(args)) => merge::run(args),
        Some(Command::Assign(args)) => assign::run(args),
        Some(Command::Completions(args)) => shell::run_completions(args),
        Some(Command::Man) => shell::run_man(),
        Some(Command::Verdicts(args)) => verdicts::run(args),
    }
}
