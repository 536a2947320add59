//! `safeaware export`: cleaned dataset files.

use super::output::{Exit, Format, first_ids, print_json, with_progress};
use clap::{Args, ValueEnum};
use safeaware::export::{self, Options, Target};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportImages {
    /// Copy the images into the export.
    Copy,
    /// Leave them out; image paths point into the source dataset.
    None,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The dataset folder.
    dataset: PathBuf,
    /// Output format.
    #[arg(long, value_enum)]
    format: Target,
    /// The folder to create.
    #[arg(long)]
    out: PathBuf,
    /// Only items matching this filter query (the TUI's language; may start with `-`).
    #[arg(long = "where", allow_hyphen_values = true)]
    query: Option<String>,
    /// Keep rejected items.
    #[arg(long)]
    include_rejected: bool,
    /// Keep exact duplicate pairs (same image bytes and sentence).
    #[arg(long)]
    keep_duplicates: bool,
    /// Copy images or leave them out.
    #[arg(long, value_enum, default_value = "copy")]
    images: ExportImages,
    /// Add every model's response, verdict and correctness.
    #[arg(long)]
    with_responses: bool,
    /// Replace an earlier export (or dataset) at --out.
    #[arg(long)]
    force: bool,
    /// Summary format.
    #[arg(long, value_enum, default_value = "text")]
    output: Format,
}

pub fn run(args: ExportArgs) -> safeaware::Result<Exit> {
    let options = Options {
        target: args.format,
        query: args.query,
        include_rejected: args.include_rejected,
        keep_duplicates: args.keep_duplicates,
        copy_images: matches!(args.images, ExportImages::Copy),
        with_responses: args.with_responses,
        force: args.force,
    };
    let result = with_progress("exporting", |progress| {
        export::export(&args.dataset, &args.out, &options, progress)
    });
    let m = result?;
    if args.output == Format::Json {
        print_json(&m);
        return Ok(Exit::Ok);
    }
    println!(
        "Exported {} items to {} ({} files)",
        m.items,
        safeaware::text::escape_path(&args.out),
        m.files.len() + 1
    );
    let subsets: Vec<String> = m.subsets.iter().map(|(k, v)| format!("{k} {v}")).collect();
    println!("  subsets   {}", subsets.join(" · "));
    let mut reasons: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
    for e in &m.excluded {
        let key = if e.reason.starts_with("duplicate of") {
            "duplicate pair"
        } else {
            e.reason.as_str()
        };
        reasons.entry(key).or_default().push(e.id.clone());
    }
    for (reason, ids) in reasons {
        println!("  left out  {:>5} {reason}: {}", ids.len(), first_ids(&ids, 8));
    }
    println!(
        "Every exclusion is listed with its reason in {}",
        safeaware::text::escape_path(&export::manifest_path(&args.out))
    );
    Ok(Exit::Ok)
}
