//! Rows of any table (or folder tree) turned into items: field mapping with nested paths,
//! constants, subset and scenario maps, the dataset's own taxonomy, and images read from a
//! path or embedded as bytes (stored in `images/` under their blake3 hash).

use super::ImageMode;
use super::table::Row;
use crate::error::{Error, IoContext, Result};
use crate::media;
use crate::model::{Gold, ImageRef, Item, Protocol, Provenance, Scenario, Status, Subset, Taxonomy};
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// Item fields a column can be mapped to.
pub const FIELDS: [&str; 10] = [
    "id",
    "image",
    "sentence",
    "subset",
    "scenario",
    "gold",
    "status",
    "flags",
    "notes",
    "provenance",
];

/// What to do with an item whose image file is absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum MissingImages {
    /// Refuse the import, naming the item and the file.
    #[default]
    Error,
    /// Leave the item out (listed in the summary).
    Skip,
    /// Keep the item without its image; `validate` reports a `missing_image` finding.
    Record,
}

/// How rows become items.
#[derive(Debug, Clone, Default)]
pub struct ItemOptions {
    /// Item field -> column name or dotted path; unmapped fields use their own name.
    pub map: HashMap<String, String>,
    /// Item field -> constant value for every row (wins over the column).
    pub set: HashMap<String, String>,
    /// Source scenario name -> taxonomy key, or `none` for no scenario.
    pub scenario_map: HashMap<String, String>,
    /// Source subset value -> subset name (`typical`, `attack`, `over_safety`).
    pub subset_map: HashMap<String, String>,
    /// Keep the benchmark's own scenario names as the dataset's taxonomy.
    pub taxonomy_own: bool,
    /// Copy or link images.
    pub images: ImageMode,
    /// Largest image file read.
    pub image_limits: media::ImageLimits,
    /// What an absent image file does.
    pub missing_images: MissingImages,
    /// The protocol stored in the manifest.
    pub protocol: Protocol,
    /// The question template stored in the manifest (default: MMSafeAware's).
    pub question_template: Option<String>,
}

impl ItemOptions {
    /// The column (or path) an item field is read from.
    pub fn column<'a>(&'a self, field: &'a str) -> &'a str {
        self.map.get(field).map_or(field, String::as_str)
    }
}

/// The items built, with what the build noticed.
pub struct Built {
    /// The items, in row order.
    pub items: Vec<Item>,
    /// The taxonomy: the bundled one, or the benchmark's own.
    pub taxonomy: Taxonomy,
    /// Ids whose image file was absent (skipped or recorded).
    pub missing_images: Vec<String>,
    /// Scenarios in the dataset's own taxonomy (0 unless `taxonomy_own`).
    pub own_scenarios: usize,
}

/// A scenario name as a snake_case key.
fn key_of(name: &str) -> String {
    let mut key = String::new();
    for c in name.trim().chars() {
        if c.is_alphanumeric() {
            key.extend(c.to_lowercase());
        } else if !key.ends_with('_') && !key.is_empty() {
            key.push('_');
        }
    }
    key.trim_end_matches('_').to_string()
}

fn parse_subset(value: &str) -> Option<Subset> {
    match value.to_lowercase().as_str() {
        "typical" => Some(Subset::Typical),
        "attack" => Some(Subset::Attack),
        "over_safety" | "over-safety" | "oversafety" => Some(Subset::OverSafety),
        _ => None,
    }
}

/// Builds every item; images are written into `images_dir`.
pub fn build(
    rows: &[Row],
    base: &Path,
    options: &ItemOptions,
    images_dir: &Path,
    progress: super::Progress<'_>,
) -> Result<Built> {
    let mut taxonomy = if options.taxonomy_own {
        Taxonomy { scenarios: vec![] }
    } else {
        Taxonomy::mmsafeaware()
    };
    let mut items: Vec<Item> = Vec::with_capacity(rows.len());
    let mut seen_ids: HashMap<String, String> = HashMap::new();
    let mut image_names: HashMap<String, PathBuf> = HashMap::new();
    let mut missing_images = Vec::new();
    for (n, row) in rows.iter().enumerate() {
        progress(n as u64 + 1, rows.len() as u64);
        let at = |item: Option<&str>, message: String| {
            Error::Refused(match item {
                Some(id) => format!(
                    "{}: item {}: {message}",
                    row.at,
                    crate::text::escape_for_display(id)
                ),
                None => format!("{}: {message}", row.at),
            })
        };
        let text = |field: &str| -> Option<String> {
            if let Some(value) = options.set.get(field) {
                return Some(value.clone());
            }
            row.text(options.column(field)).filter(|s| !s.is_empty())
        };
        let id = text("id").map(|s| s.trim().to_string()).ok_or_else(|| {
            at(
                None,
                format!(
                    "no {:?} value (map it with --map id=COLUMN)",
                    options.column("id")
                ),
            )
        })?;
        if let Some(first) = seen_ids.insert(id.clone(), row.at.clone()) {
            return Err(at(Some(&id), format!("duplicate id (first at {first})")));
        }
        let sentence = text("sentence")
            .ok_or_else(|| at(Some(&id), format!("no {:?} text", options.column("sentence"))))?;
        let subset_raw = text("subset").ok_or_else(|| {
            at(
                Some(&id),
                format!("no {:?} value (or --set subset=...)", options.column("subset")),
            )
        })?;
        let mapped = options.subset_map.get(&subset_raw).unwrap_or(&subset_raw);
        let subset = parse_subset(mapped).ok_or_else(|| {
            at(
                Some(&id),
                format!("unknown subset {subset_raw:?}; use typical, attack or over_safety, or map it with --subset-map FILE"),
            )
        })?;
        let gold = match text("gold").as_deref().map(str::to_lowercase).as_deref() {
            None => subset.implied_gold(),
            Some("safe" | "yes") => Gold::Safe,
            Some("unsafe" | "no") => Gold::Unsafe,
            Some(other) => {
                return Err(at(
                    Some(&id),
                    format!("unknown gold {other:?}; use safe or unsafe"),
                ));
            }
        };
        let status = match text("status") {
            None => Status::Unreviewed,
            Some(s) => serde_json::from_value(Value::String(s.clone()))
                .map_err(|_| at(Some(&id), format!("unknown status {s:?}")))?,
        };
        let scenario = match text("scenario") {
            None => None,
            Some(name) => {
                let mapped = options.scenario_map.get(&name).cloned().unwrap_or(name.clone());
                if mapped == "none" {
                    None
                } else if options.taxonomy_own {
                    let key = key_of(&mapped);
                    if taxonomy.get(&key).is_none() {
                        taxonomy.scenarios.push(Scenario {
                            key: key.clone(),
                            name: mapped.clone(),
                            subset,
                            group: None,
                            description: String::new(),
                        });
                    }
                    Some(key)
                } else {
                    let lower = mapped.to_lowercase();
                    let found = taxonomy
                        .scenarios
                        .iter()
                        .find(|s| s.key == lower || s.name.to_lowercase() == lower);
                    Some(found.map(|s| s.key.clone()).ok_or_else(|| {
                        at(
                            Some(&id),
                            format!("scenario {name:?} is not in the taxonomy; map it with --scenario-map FILE or keep the benchmark's own with --taxonomy own"),
                        )
                    })?)
                }
            }
        };
        let flags: BTreeSet<String> = match row.get(options.column("flags")) {
            Some(Value::Array(values)) => values
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            Some(Value::String(s)) => s
                .split(';')
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .map(str::to_string)
                .collect(),
            _ => BTreeSet::new(),
        };
        let notes = text("notes").unwrap_or_default();
        let mut provenance = match row.get(options.column("provenance")) {
            Some(v @ Value::Object(_)) => serde_json::from_value(v.clone())
                .map_err(|e| at(Some(&id), format!("bad provenance: {e}")))?,
            _ => Provenance {
                source: row.at.rsplit('/').next().unwrap_or(&row.at).to_string(),
                ..Provenance::default()
            },
        };
        let image_field = options.column("image");
        let image = if let Some(bytes) = row.blob(image_field) {
            Some(embedded(bytes, images_dir).map_err(|why| at(Some(&id), why))?)
        } else {
            let rel = options
                .set
                .get("image")
                .cloned()
                .or_else(|| row.text(image_field))
                .or_else(|| row.text(&format!("{image_field}.path")))
                .filter(|s| !s.is_empty());
            match rel {
                None => None,
                Some(rel) => {
                    let source = if Path::new(&rel).is_absolute() {
                        PathBuf::from(&rel)
                    } else {
                        base.join(&rel)
                    };
                    if !source.exists() && options.missing_images != MissingImages::Error {
                        missing_images.push(id.clone());
                        if options.missing_images == MissingImages::Skip {
                            continue;
                        }
                        provenance.image_expected = true;
                        provenance.original_image = Some(rel.clone());
                        None
                    } else {
                        Some(
                            from_file(&source, &id, options, images_dir, &mut image_names)
                                .map_err(|why| at(Some(&id), why))?,
                        )
                    }
                }
            }
        };
        items.push(Item {
            id,
            image,
            sentence,
            subset,
            scenario,
            gold,
            status,
            flags,
            notes,
            provenance,
            base_scenario: None,
        });
    }
    let own_scenarios = if options.taxonomy_own {
        taxonomy.scenarios.len()
    } else {
        0
    };
    Ok(Built {
        items,
        taxonomy,
        missing_images,
        own_scenarios,
    })
}

/// Stores embedded image bytes under their blake3 hash.
fn embedded(bytes: &[u8], images_dir: &Path) -> std::result::Result<ImageRef, String> {
    let facts = media::inspect(bytes).map_err(|why| format!("embedded image: {why}"))?;
    let name = format!("{}.{}", facts.blake3, facts.format);
    let dest = images_dir.join(&name);
    if !dest.exists() {
        std::fs::write(&dest, bytes).map_err(|e| format!("{}: {e}", dest.display()))?;
    }
    Ok(image_ref(name, facts))
}

fn image_ref(name: String, facts: media::ImageFacts) -> ImageRef {
    ImageRef {
        path: format!("{}/{name}", crate::store::IMAGES_DIR),
        blake3: facts.blake3,
        bytes: facts.bytes,
        format: facts.format.to_string(),
        width: facts.width,
        height: facts.height,
    }
}

/// Copies or links an image file into the dataset under its file name.
fn from_file(
    source: &Path,
    id: &str,
    options: &ItemOptions,
    images_dir: &Path,
    image_names: &mut HashMap<String, PathBuf>,
) -> std::result::Result<ImageRef, String> {
    let data = media::read_image_file(source, options.image_limits)
        .map_err(|e| format!("image {}: {e}", source.display()))?;
    let facts = media::inspect(&data).map_err(|why| format!("image {}: {why}", source.display()))?;
    let name = source
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| id.to_string());
    let canonical = std::fs::canonicalize(source).unwrap_or(source.to_path_buf());
    match image_names.get(&name) {
        Some(existing) if *existing != canonical => {
            return Err(format!("two different images are named {name:?}; rename one"));
        }
        Some(_) => {}
        None => {
            let dest = images_dir.join(&name);
            let written = match options.images {
                ImageMode::Copy => std::fs::write(&dest, &data).at(&dest),
                #[cfg(unix)]
                ImageMode::Link => std::os::unix::fs::symlink(&canonical, &dest).at(&dest),
                #[cfg(not(unix))]
                ImageMode::Link => Err(Error::Refused("--images link needs a Unix system".into())),
            };
            written.map_err(|e| e.to_string())?;
            image_names.insert(name.clone(), canonical);
        }
    }
    Ok(image_ref(name, facts))
}
