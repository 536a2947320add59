//! `safeaware import`: build a dataset from a benchmark release.

use super::output::{Exit, Format, first_ids, print_json, with_progress};
use clap::{Args, Subcommand};
use safeaware::import::folder::{self, PathPattern};
use safeaware::import::items::{ItemOptions, MissingImages};
use safeaware::import::table::TableFormat;
use safeaware::import::{ImageMode, generic, mmsafeaware};
use safeaware::model::Protocol;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// The MMSafeAware release folder (prompt.txt, images/, images2/, readme.txt).
    Mmsafeaware(MmsafeawareArgs),
    /// A JSON Lines file, one item per line (e.g. a safeaware JSONL export).
    Jsonl(GenericArgs),
    /// A CSV file with a header row.
    Csv(GenericArgs),
    /// A TSV file with a header row.
    Tsv(GenericArgs),
    /// A JSON array of objects, or a JSON object keyed by id.
    Json(GenericArgs),
    /// A Parquet file (as Hugging Face publishes; images may be embedded as bytes).
    Parquet(GenericArgs),
    /// A folder tree of images whose path segments name fields (--path-pattern).
    Folder(FolderArgs),
}

/// Whose scenarios the dataset is labelled with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TaxonomyArg {
    /// The bundled MMSafeAware taxonomy (scenario names must map into it).
    Bundled,
    /// The benchmark's own scenario names become the dataset's taxonomy.
    Own,
}

/// How rows become items, shared by every table and folder import.
#[derive(Debug, Args)]
pub struct ItemArgs {
    /// Map an item field to a column or a nested path (`conversation.0.text`, `image.path`;
    /// an exact column name wins): FIELD=COLUMN (fields: id, image, sentence, subset,
    /// scenario, gold, status, flags, notes, provenance). Unmapped fields use their own name.
    #[arg(long = "map", value_name = "FIELD=COLUMN")]
    map: Vec<String>,
    /// Give every item the same value: FIELD=VALUE (e.g. subset=over_safety).
    #[arg(long = "set", value_name = "FIELD=VALUE")]
    set: Vec<String>,
    /// A RON map from the file's scenario names to taxonomy keys (or "none"), e.g. {"Self harm": "self_harm"}.
    #[arg(long)]
    scenario_map: Option<PathBuf>,
    /// A RON map from the file's subset values to typical, attack or over_safety.
    #[arg(long)]
    subset_map: Option<PathBuf>,
    /// Keep the bundled taxonomy or the benchmark's own scenario names.
    #[arg(long, value_enum, default_value = "bundled")]
    taxonomy: TaxonomyArg,
    /// How responses to this benchmark are scored (stored in the manifest; `report` follows it).
    #[arg(long, value_enum, default_value = "judgment")]
    protocol: Protocol,
    /// The prompt around each sentence, with `{sentence}` where it goes (stored in the manifest;
    /// default: MMSafeAware's question under the judgment protocol, the sentence itself under
    /// the refusal protocol).
    #[arg(long)]
    question_template: Option<String>,
    /// An absent image file: refuse the import, skip the item, or keep it and record a finding.
    #[arg(long, value_enum, default_value = "error")]
    missing_images: MissingImages,
    /// Copy images into the dataset's `images/`, or symlink each file there.
    #[arg(long, value_enum, default_value = "copy")]
    images: ImageMode,
    /// Largest image file read, in bytes; bigger files (and FIFOs, devices) are refused.
    #[arg(long, default_value_t = safeaware::media::DEFAULT_MAX_IMAGE_BYTES)]
    max_image_bytes: u64,
}

impl ItemArgs {
    fn options(&self) -> safeaware::Result<ItemOptions> {
        let read_map = |path: &Option<PathBuf>| {
            path.as_deref()
                .map(generic::read_scenario_map)
                .transpose()
                .map(Option::unwrap_or_default)
        };
        Ok(ItemOptions {
            map: generic::parse_map(&self.map)?,
            set: generic::parse_set(&self.set)?,
            scenario_map: read_map(&self.scenario_map)?,
            subset_map: read_map(&self.subset_map)?,
            taxonomy_own: self.taxonomy == TaxonomyArg::Own,
            images: self.images,
            image_limits: image_limits(self.max_image_bytes),
            missing_images: self.missing_images,
            protocol: self.protocol,
            question_template: self.question_template.clone(),
        })
    }
}

#[derive(Debug, Args)]
pub struct FolderArgs {
    /// The folder tree; image paths are relative to it.
    root: PathBuf,
    /// The dataset folder to create.
    #[arg(long)]
    out: PathBuf,
    /// Path segments to fields, e.g. '{subset}/{_}/{scenario}/{id}.{ext}' ({_} skips one
    /// segment, {**} any number); without {id} the path (less its extension) is the id.
    #[arg(long)]
    path_pattern: String,
    /// A table (JSONL, CSV, TSV, JSON, Parquet) whose rows join the images by id (e.g. questions).
    #[arg(long)]
    questions: Option<PathBuf>,
    #[command(flatten)]
    items: ItemArgs,
    /// Dataset name (default: the folder's name).
    #[arg(long)]
    name: Option<String>,
    /// Replace an existing dataset at --out.
    #[arg(long)]
    force: bool,
    /// Output format of the summary.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

#[derive(Debug, Args)]
pub struct GenericArgs {
    /// The file to read; image paths in it are relative to its folder.
    file: PathBuf,
    /// The dataset folder to create.
    #[arg(long)]
    out: PathBuf,
    #[command(flatten)]
    items: ItemArgs,
    /// Dataset name (default: the file's stem).
    #[arg(long)]
    name: Option<String>,
    /// Replace an existing dataset at --out.
    #[arg(long)]
    force: bool,
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
    /// Copy the images into the dataset's `images/`, or link the release's image folders:
    /// `images` and `images2` in the dataset become symlinks to the release's own folders
    /// (no copy; the release must stay put, and safeaware never writes into it).
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
        ImportCommand::Jsonl(args) => return generic(args, TableFormat::Jsonl),
        ImportCommand::Csv(args) => return generic(args, TableFormat::Csv),
        ImportCommand::Tsv(args) => return generic(args, TableFormat::Tsv),
        ImportCommand::Json(args) => return generic(args, TableFormat::Json),
        ImportCommand::Parquet(args) => return generic(args, TableFormat::Parquet),
        ImportCommand::Folder(args) => return folder(args),
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

fn generic(args: GenericArgs, format: TableFormat) -> safeaware::Result<Exit> {
    let options = generic::Options {
        format,
        items: args.items.options()?,
        name: args.name,
        force: args.force,
        skip_bad: args.skip_bad,
    };
    let result = with_progress("importing", |progress| {
        generic::import(&args.file, &args.out, &options, progress)
    });
    let s = result?;
    if args.format == Format::Json {
        print_json(&s);
    } else {
        print_summary(&s);
    }
    Ok(Exit::Ok)
}

fn folder(args: FolderArgs) -> safeaware::Result<Exit> {
    let pattern = PathPattern::parse(&args.path_pattern)?;
    let options = generic::Options {
        format: TableFormat::Jsonl,
        items: args.items.options()?,
        name: args.name,
        force: args.force,
        skip_bad: false,
    };
    let result = with_progress("importing", |progress| {
        folder::import(
            &args.root,
            &args.out,
            &pattern,
            args.questions.as_deref(),
            &options,
            progress,
        )
    });
    let s = result?;
    if args.format == Format::Json {
        print_json(&s);
        return Ok(Exit::Ok);
    }
    print_summary(&s.import);
    for (what, e) in [
        ("files matching no pattern (not imported)", &s.walk.unmatched),
        ("symlink loops (not followed)", &s.walk.symlink_loops),
        ("unreadable folders or files", &s.walk.unreadable),
    ] {
        if e.count > 0 {
            println!("  {what}: {}  e.g. {}", e.count, first_ids(&e.examples, 5));
        }
    }
    Ok(Exit::Ok)
}

fn print_summary(s: &generic::Summary) {
    println!(
        "Imported {} items ({} with an image) into {}: typical {} · attack {} · over_safety {}",
        s.items,
        s.with_image,
        safeaware::text::escape_path(&s.out),
        s.subsets.typical,
        s.subsets.attack,
        s.subsets.over_safety
    );
    if s.own_scenarios > 0 {
        println!("  taxonomy: the benchmark's own {} scenarios", s.own_scenarios);
    }
    if !s.missing_images.is_empty() {
        println!(
            "  {} items without their image file: {}",
            s.missing_images.len(),
            first_ids(&s.missing_images, 10)
        );
    }
    if !s.skipped.is_empty() {
        println!("Skipped {} malformed rows:", s.skipped.len());
        for why in s.skipped.iter().take(10) {
            println!("  {}", safeaware::text::escape_for_display(why));
        }
    }
}

/// The image limits with the file size given on the command line.
pub fn image_limits(max_bytes: u64) -> safeaware::media::ImageLimits {
    safeaware::media::ImageLimits {
        max_bytes,
        ..Default::default()
    }
}
