//! `safeaware labels import|export`: one curator's labels in and out of their layer.

use super::output::{Exit, Format, print_json};
use clap::{Args, Subcommand};
use safeaware::agreement::table::LabelMap;
use safeaware::import::table::TableFormat;
use safeaware::labels::import::{self, ImportOptions, LabelFormat};
use safeaware::labels::{self, Layer};
use safeaware::store::DatasetLock;
use safeaware::text::{escape_for_display as esc, escape_path};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum LabelsCommand {
    /// Read one curator's labels (JSONL/CSV/TSV/JSON/Parquet: id + gold, scenario, subset,
    /// status, note; or with --model a verdict column) into their layer `labels/<curator>.ron`.
    Import(ImportArgs),
    /// Print one curator's layer as JSONL, CSV or TSV.
    Export(ExportArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The dataset folder.
    pub dataset: PathBuf,
    /// The labels file.
    pub file: PathBuf,
    /// The id column (a dotted path reaches into nested fields: `meta.id`).
    #[arg(long, default_value = "id")]
    pub id_field: String,
    /// Read human verdicts on this model's responses (with --verdict-field).
    #[arg(long)]
    pub model: Option<String>,
    /// The verdict column (with --model).
    #[arg(long, requires = "model")]
    pub verdict_field: Option<String>,
    /// A RON map from raw values to labels, e.g. `{"2_full_refusal": "full_refusal"}`.
    #[arg(long)]
    pub label_map: Option<PathBuf>,
    /// Leave bad records out (listed) instead of importing nothing.
    #[arg(long)]
    pub skip_bad: bool,
    /// The labels were made blind (no gold, other labels or model output seen).
    #[arg(long)]
    pub blind: bool,
    /// The file's layout (by default from its extension).
    #[arg(long = "input-format", value_enum)]
    pub input_format: Option<TableFormat>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The dataset folder.
    pub dataset: PathBuf,
    /// Output layout.
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: LabelFormat,
}

fn curator(name: Option<&str>) -> safeaware::Result<String> {
    let name =
        name.ok_or_else(|| safeaware::Error::Refused("say whose labels these are: --curator NAME".into()))?;
    labels::check_curator(name)?;
    Ok(name.to_string())
}

pub fn run(cmd: LabelsCommand, curator_name: Option<&str>) -> safeaware::Result<Exit> {
    match cmd {
        LabelsCommand::Import(args) => run_import(args, &curator(curator_name)?),
        LabelsCommand::Export(args) => run_export(args, &curator(curator_name)?),
    }
}

fn run_import(args: ImportArgs, curator: &str) -> safeaware::Result<Exit> {
    let format = TableFormat::resolve(args.input_format, &args.file)?;
    let dataset = safeaware::session::load_with_journal(&args.dataset)?;
    let options = ImportOptions {
        id_field: Some(args.id_field),
        model: args.model,
        verdict_field: args.verdict_field,
        label_map: match &args.label_map {
            Some(path) => LabelMap::load(path)?,
            None => LabelMap::default(),
        },
        skip_bad: args.skip_bad,
        blind: args.blind,
    };
    let lock = DatasetLock::acquire(&args.dataset)?;
    let now = safeaware::store::unix_now();
    let mut summary = labels::update_layer(&lock, curator, |layer: &mut Layer| {
        import::import(&args.file, format, &dataset, layer, &options, now)
    })?;
    summary.curator = curator.to_string();
    if args.format == Format::Json {
        print_json(&summary);
        return Ok(Exit::Ok);
    }
    println!(
        "Stored labels of {} items for {} ({} records read)",
        summary.stored,
        esc(curator),
        summary.records
    );
    for (what, e) in [
        ("unknown ids (not stored)", &summary.unknown_ids),
        ("duplicate ids (first kept)", &summary.duplicates),
        ("bad records skipped", &summary.skipped),
    ] {
        if e.count > 0 {
            println!("  {what:<28} {:>6}  e.g. {}", e.count, e.examples.join("; "));
        }
    }
    Ok(Exit::Ok)
}

fn run_export(args: ExportArgs, curator: &str) -> safeaware::Result<Exit> {
    let (loaded, damage) = safeaware::session::load_layers(&args.dataset)?;
    if let Some(e) = damage {
        return Err(e);
    }
    let Some(layer) = loaded.labels.layers.get(curator) else {
        return Err(safeaware::Error::Refused(format!(
            "{} has no labels from {}",
            escape_path(&args.dataset),
            esc(curator)
        )));
    };
    print!("{}", import::export(&loaded.dataset, layer, args.format)?);
    Ok(Exit::Ok)
}
