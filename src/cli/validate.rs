//! `safeaware validate`: every finding, grouped by kind.

use super::output::{Exit, Format, first_ids, print_json, with_progress};
use clap::Args;
use safeaware::validate::{self, Finding, Kind, Options, Report};
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The dataset folder.
    dataset: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Skip the full decode of each distinct image (header and hash checks still run).
    #[arg(long)]
    no_decode: bool,
    /// Largest image file read, in bytes; bigger files (and FIFOs, devices) are refused.
    #[arg(long, default_value_t = safeaware::media::DEFAULT_MAX_IMAGE_BYTES)]
    max_image_bytes: u64,
    /// Largest gradient-hash distance (of 64 bits) at which two different images are
    /// reported as near duplicates.
    #[arg(long, default_value_t = validate::phash::DEFAULT_PHASH_DISTANCE)]
    phash_distance: u32,
}

pub fn run(args: ValidateArgs) -> safeaware::Result<Exit> {
    let dataset = safeaware::session::load_with_journal(&args.dataset)?;
    let options = Options {
        decode_images: !args.no_decode,
        image_limits: super::import::image_limits(args.max_image_bytes),
        phash_distance: args.phash_distance,
        relations: true,
    };
    let report = with_progress("checking", |progress| {
        validate::validate(&args.dataset, &dataset, options, progress)
    });
    match args.format {
        Format::Json => print_json(&report),
        Format::Text => print_text(&args.dataset, &report),
    }
    Ok(if report.has_errors() {
        Exit::Findings
    } else {
        Exit::Ok
    })
}

fn print_text(dir: &std::path::Path, report: &Report) {
    let s = &report.subsets;
    println!(
        "{}: {} items (typical {}, attack {}, over_safety {})",
        safeaware::text::escape_path(dir),
        report.items,
        s.typical,
        s.attack,
        s.over_safety
    );
    let mut by_kind: BTreeMap<(validate::Severity, Kind), Vec<&Finding>> = BTreeMap::new();
    for f in &report.findings {
        by_kind.entry((f.severity, f.kind)).or_default().push(f);
    }
    for ((severity, kind), findings) in &by_kind {
        let mut seen: HashSet<&str> = HashSet::new();
        let ids: Vec<String> = findings
            .iter()
            .flat_map(|f| &f.items)
            .filter(|id| seen.insert(id.as_str()))
            .cloned()
            .collect();
        let severity = format!("{severity:?}").to_lowercase();
        let items = if ids.is_empty() {
            String::new()
        } else {
            format!("  items: {}", first_ids(&ids, 8))
        };
        println!("{severity:<8} {:<24} {:>5}{items}", kind.name(), findings.len());
        println!(
            "{:33}e.g. {}",
            "",
            safeaware::text::escape_for_display(&findings[0].message)
        );
    }
    let n = &report.severities;
    println!("{} errors, {} warnings, {} info", n.error, n.warning, n.info);
}
