//! `safeaware import`: build a dataset from a benchmark release.

use super::output::{Exit, Format, first_ids, print_json, with_progress};
use clap::{Args, Subcommand};
use safeaware::import::{ImageMode, generic, mmsafeaware};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// The MMSafeAware release folder (prompt.txt, images/, images2/, readme.txt).
    Mmsafeaware(MmsafeawareArgs),
    /// A JSON Lines file, one item per line (e.g. a safeaware JSONL export).
    Jsonl(GenericArgs),
    /// A CSV file with a header row.
    Csv(GenericArgs),
}

#[derive(Debug, Args)]
pub struct GenericArgs {
    /// The file to read; image paths in it are relative to its folder.
    file: PathBuf,
    /// The dataset folder to create.
    #[arg(long)]
    out: PathBuf,
    /// Map an item field to a column: FIELD=COLUMN (fields: id, image, sentence, subset,
    /// scenario, gold, status, flags, notes, provenance). Unmapped fields use their own name.
    #[arg(long = "map", value_name = "FIELD=COLUMN")]
    map: Vec<String>,
    /// A RON map from the file's scenario names to taxonomy keys, e.g. {"Self harm": "self_harm"}.
    #[arg(long)]
    scenario_map: Option<PathBuf>,
    /// Copy images or symlink them.
    #[arg(long, value_enum, default_value = "copy")]
    images: ImageMode,
    /// Dataset name (default: the file's stem).
    #[arg(long)]
    name: Option<String>,
    /// Replace an existing dataset at --out.
    #[arg(long)]
    force: bool,
    /// Largest image file read, in bytes; bigger files (and FIFOs, devices) are refused.
    #[arg(long, default_value_t = safeaware::media::DEFAULT_MAX_IMAGE_BYTES)]
    max_image_bytes: u64,
    /// Skip malformed rows (they are listed) instead of refusing the import.
    #[arg(long)]
    skip_bad: bool,
    /// Output format of the summary.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

#[derive(Debug, Args)]
pub struct MmsafeawareArgs {
    /// The release folder.
    release: PathBuf,
    /// The dataset folder to create.
    #[arg(long)]
    out: PathBuf,
    /// Copy images or symlink them.
    #[arg(long, value_enum, default_value = "copy")]
    images: ImageMode,
    /// Replace an existing dataset at --out.
    #[arg(long)]
    force: bool,
    /// Largest image file read, in bytes; bigger files (and FIFOs, devices) are refused.
    #[arg(long, default_value_t = safeaware::media::DEFAULT_MAX_IMAGE_BYTES)]
    max_image_bytes: u64,
    /// Output format of the summary.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

pub fn run(cmd: ImportCommand) -> safeaware::Result<Exit> {
    let args = match cmd {
        ImportCommand::Mmsafeaware(args) => args,
        ImportCommand::Jsonl(args) => return generic(args, generic::Layout::Jsonl),
        ImportCommand::Csv(args) => return generic(args, generic::Layout::Csv),
    };
    let mode = args.images;
    let summary = with_progress("importing", |progress| {
        mmsafeaware::import_with_limits(
            &args.release,
            &args.out,
            mode,
            args.force,
            image_limits(args.max_image_bytes),
            progress,
        )
    });
    let s = summary?;
    if args.format == Format::Json {
        print_json(&s);
        return Ok(Exit::Ok);
    }
    println!(
        "Imported {} items into {}",
        s.items,
        safeaware::text::escape_path(&s.out)
    );
    println!(
        "  subsets      typical {} · attack {} · over_safety {}",
        s.subsets.typical, s.subsets.attack, s.subsets.over_safety
    );
    println!(
        "  images       {} present, {} without ({} absent from the source: {}; {} never released)",
        s.with_image,
        s.without_image,
        s.image_absent.len(),
        first_ids(&s.image_absent, 10),
        s.image_never_released.len()
    );
    println!(
        "  duplicates   {} groups of items share a byte-identical image",
        s.duplicate_image_groups
    );
    if !s.gold_conflicts.is_empty() {
        println!(
            "  conflicts    {} item(s) where the release's sources disagree on gold: {}",
            s.gold_conflicts.len(),
            first_ids(&s.gold_conflicts, 10)
        );
    }
    if !s.template_mismatches.is_empty() {
        println!(
            "  templates    {} record(s) use another question template: {}",
            s.template_mismatches.len(),
            first_ids(&s.template_mismatches, 10)
        );
    }
    if !s.stray_files.is_empty() {
        println!("  stray files  {}", first_ids(&s.stray_files, 10));
    }
    println!(
        "Run `safeaware validate {}` for every finding.",
        safeaware::text::escape_path(&s.out)
    );
    Ok(Exit::Ok)
}

fn generic(args: GenericArgs, layout: generic::Layout) -> safeaware::Result<Exit> {
    let options = generic::Options {
        layout,
        map: generic::parse_map(&args.map)?,
        scenario_map: args
            .scenario_map
            .as_deref()
            .map(generic::read_scenario_map)
            .transpose()?
            .unwrap_or_default(),
        images: args.images,
        name: args.name,
        force: args.force,
        image_limits: image_limits(args.max_image_bytes),
        skip_bad: args.skip_bad,
    };
    let result = with_progress("importing", |progress| {
        generic::import(&args.file, &args.out, &options, progress)
    });
    let s = result?;
    if args.format == Format::Json {
        print_json(&s);
    } else {
        println!(
            "Imported {} items ({} with an image) into {}: typical {} · attack {} · over_safety {}",
            s.items,
            s.with_image,
            safeaware::text::escape_path(&s.out),
            s.subsets.typical,
            s.subsets.attack,
            s.subsets.over_safety
        );
        if !s.skipped.is_empty() {
            println!("Skipped {} malformed rows:", s.skipped.len());
            for why in s.skipped.iter().take(10) {
                println!("  {}", safeaware::text::escape_for_display(why));
            }
        }
    }
    Ok(Exit::Ok)
}

/// The image limits with the file size given on the command line.
pub fn image_limits(max_bytes: u64) -> safeaware::media::ImageLimits {
    safeaware::media::ImageLimits {
        max_bytes,
        ..Default::default()
    }
}
