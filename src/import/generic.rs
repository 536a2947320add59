//! Any benchmark shipped as a table (JSONL, CSV/TSV, JSON, Parquet): fields are mapped to
//! item fields (`--map field=path`, nested paths allowed), constants set (`--set`), image
//! paths are relative to the file (or embedded bytes, stored under their hash), scenario
//! names go through a mapping file to taxonomy keys or become the dataset's own taxonomy.
//! A safeaware JSONL export reads back to the same items.

use super::items::{self, Built, ItemOptions};
use super::table::{self, KeyedFields, TableFormat};
use super::{Progress, Staging};
use crate::error::{Error, Result};
use crate::model::{Dataset, FORMAT_VERSION, Manifest, SourceInfo};
use crate::store::{self, IMAGES_DIR};
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use super::items::{FIELDS, MissingImages};

/// How to read the file.
#[derive(Debug, Clone)]
pub struct Options {
    /// The file's layout.
    pub format: TableFormat,
    /// How rows become items.
    pub items: ItemOptions,
    /// Dataset name (default: the file's stem).
    pub name: Option<String>,
    /// Replace an existing dataset at the target.
    pub force: bool,
    /// Skip malformed rows (listing them in the summary) instead of refusing the import.
    pub skip_bad: bool,
}

/// What the import did.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// The dataset folder written.
    pub out: PathBuf,
    /// Items imported.
    pub items: usize,
    /// Items with an image.
    pub with_image: usize,
    /// Items per subset.
    pub subsets: crate::model::SubsetCounts,
    /// Malformed rows skipped with `skip_bad`, each as `file:line: why`.
    pub skipped: Vec<String>,
    /// Items whose image file was absent (skipped or recorded, per `--missing-images`).
    pub missing_images: Vec<String>,
    /// Scenarios of the dataset's own taxonomy (with `--taxonomy own`).
    pub own_scenarios: usize,
}

/// Parses `field=column` mappings, refusing unknown fields.
pub fn parse_map(pairs: &[String]) -> Result<HashMap<String, String>> {
    parse_pairs("--map", pairs)
}

/// Parses `field=value` constants (`--set subset=over_safety`), refusing unknown fields.
pub fn parse_set(pairs: &[String]) -> Result<HashMap<String, String>> {
    parse_pairs("--set", pairs)
}

fn parse_pairs(flag: &str, pairs: &[String]) -> Result<HashMap<String, String>> {
    let mut map = HashMap::new();
    for pair in pairs {
        let (field, column) = pair
            .split_once('=')
            .ok_or_else(|| Error::Refused(format!("{flag} {pair:?}: expected FIELD=VALUE")))?;
        if !FIELDS.contains(&field) {
            return Err(Error::Refused(format!(
                "{flag} {pair:?}: unknown field {field:?}; fields: {}",
                FIELDS.join(", ")
            )));
        }
        map.insert(field.to_string(), column.to_string());
    }
    Ok(map)
}

/// Reads a mapping file (RON map of source value to key, e.g. a scenario map).
pub fn read_scenario_map(path: &Path) -> Result<HashMap<String, String>> {
    let text = crate::text::decode_utf8(path, std::fs::read(path).map_err(|e| Error::io(path, e))?)?;
    ron::from_str(&text).map_err(|e| Error::Syntax {
        path: path.to_path_buf(),
        line: e.span.start.line,
        column: e.span.start.col,
        message: e.code.to_string(),
    })
}

/// Imports `file` into a new dataset folder `out`.
pub fn import(file: &Path, out: &Path, options: &Options, progress: Progress<'_>) -> Result<Summary> {
    let keyed = KeyedFields {
        id: options.items.column("id"),
        value: options.items.column("sentence"),
    };
    let (rows, skipped) = table::read(file, options.format, keyed, options.skip_bad)?;
    let base = file.parent().map(Path::to_path_buf).unwrap_or_default();
    let file_name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = options.name.clone().unwrap_or_else(|| {
        file.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "imported".into())
    });
    write(
        out,
        &rows,
        &base,
        options,
        (name, format!("Imported from {file_name}."), "generic"),
        skipped,
        progress,
    )
}

/// Builds items from `rows` and writes the dataset (shared with the folder importer).
pub(crate) fn write(
    out: &Path,
    rows: &[table::Row],
    base: &Path,
    options: &Options,
    (name, description, kind): (String, String, &str),
    skipped: Vec<String>,
    progress: Progress<'_>,
) -> Result<Summary> {
    let staging = Staging::new(out, options.force)?;
    let images_dir = staging.path().join(IMAGES_DIR);
    std::fs::create_dir(&images_dir).map_err(|e| Error::io(&images_dir, e))?;
    let Built {
        items,
        taxonomy,
        missing_images,
        own_scenarios,
    } = items::build(rows, base, &options.items, &images_dir, progress)?;
    let dataset = Dataset {
        manifest: Manifest {
            format_version: FORMAT_VERSION,
            name,
            version: "1".into(),
            description,
            // Under the refusal protocol the model answers the prompt itself; the
            // judgment protocol asks MMSafeAware's question about it.
            question_template: options.items.question_template.clone().unwrap_or_else(|| {
                match options.items.protocol {
                    crate::model::Protocol::Judgment => crate::model::JUDGMENT_TEMPLATE.into(),
                    crate::model::Protocol::Refusal => "{sentence}".into(),
                }
            }),
            protocol: options.items.protocol,
            source: SourceInfo {
                kind: kind.into(),
                stray_files: vec![],
            },
            taxonomy,
        },
        items: items.into(),
    };
    store::write_new_files(staging.path(), &dataset)?;
    staging.finish()?;
    Ok(Summary {
        out: out.to_path_buf(),
        items: dataset.items.len(),
        with_image: dataset.items.iter().filter(|i| i.image.is_some()).count(),
        skipped,
        subsets: dataset.subset_counts(),
        missing_images,
        own_scenarios,
    })
}
