//! Any benchmark shipped as JSONL or CSV with an image path column: columns are mapped
//! to item fields (`--map field=column`), image paths are relative to the file, scenario
//! names go through a mapping file to taxonomy keys. A safeaware JSONL export reads back
//! to the same items.

use super::{ImageMode, Progress, Staging};
use crate::error::{Error, IoContext, Result};
use crate::media;
use crate::model::{
    Dataset, FORMAT_VERSION, Gold, ImageRef, Item, Manifest, Protocol, Provenance, SourceInfo, Status,
    Subset, Taxonomy,
};
use crate::store::{self, IMAGES_DIR};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// The layout of the input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One JSON object per line.
    Jsonl,
    /// Comma-separated with a header row.
    Csv,
}

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

/// How to read the file.
#[derive(Debug, Clone)]
pub struct Options {
    /// JSONL or CSV.
    pub layout: Layout,
    /// Item field -> column name; unmapped fields use their own name.
    pub map: HashMap<String, String>,
    /// Source scenario name -> taxonomy key.
    pub scenario_map: HashMap<String, String>,
    /// Copy or link images.
    pub images: ImageMode,
    /// Dataset name (default: the file's stem).
    pub name: Option<String>,
    /// Replace an existing dataset at the target.
    pub force: bool,
    /// Largest image file read.
    pub image_limits: media::ImageLimits,
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
}

/// Parses `field=column` mappings, refusing unknown fields.
pub fn parse_map(pairs: &[String]) -> Result<HashMap<String, String>> {
    let mut map = HashMap::new();
    for pair in pairs {
        let (field, column) = pair
            .split_once('=')
            .ok_or_else(|| Error::Refused(format!("--map {pair:?}: expected FIELD=COLUMN")))?;
        if !FIELDS.contains(&field) {
            return Err(Error::Refused(format!(
                "--map {pair:?}: unknown field {field:?}; fields: {}",
                FIELDS.join(", ")
            )));
        }
        map.insert(field.to_string(), column.to_string());
    }
    Ok(map)
}

/// Reads a scenario mapping file (RON map of source name to taxonomy key).
pub fn read_scenario_map(path: &Path) -> Result<HashMap<String, String>> {
    let text = crate::text::decode_utf8(path, std::fs::read(path).at(path)?)?;
    ron::from_str(&text).map_err(|e| Error::Syntax {
        path: path.to_path_buf(),
        line: e.span.start.line,
        column: e.span.start.col,
        message: e.code.to_string(),
    })
}

/// One input row: its line and its fields as JSON values.
struct Row {
    line: usize,
    fields: serde_json::Map<String, Value>,
}

/// Reads every row; a malformed row is an error, or with `skip_bad` an entry of the
/// second list.
fn read_rows(path: &Path, layout: Layout, skip_bad: bool) -> Result<(Vec<Row>, Vec<String>)> {
    let raw = std::fs::read(path).at(path)?;
    let bytes: Vec<u8> = if skip_bad {
        crate::text::strip_bom(&raw).to_vec()
    } else {
        crate::text::decode_utf8(path, raw)?.into_bytes()
    };
    let mut skipped = Vec::new();
    let mut bad_row = |e: Error| -> Result<()> {
        if skip_bad {
            skipped.push(e.to_string());
            Ok(())
        } else {
            Err(e)
        }
    };
    let bad = |line: usize, message: String| Error::Syntax {
        path: path.to_path_buf(),
        line,
        column: 1,
        message,
    };
    let mut rows = Vec::new();
    match layout {
        Layout::Jsonl => {
            for (n, line) in bytes.split(|&b| b == b'\n').enumerate() {
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                let text = match std::str::from_utf8(line) {
                    Ok(text) => text,
                    Err(e) => {
                        bad_row(Error::Syntax {
                            path: path.to_path_buf(),
                            line: n + 1,
                            column: e.valid_up_to() + 1,
                            message: "invalid UTF-8".into(),
                        })?;
                        continue;
                    }
                };
                match serde_json::from_str::<Value>(text) {
                    Ok(Value::Object(fields)) => rows.push(Row { line: n + 1, fields }),
                    Ok(_) => bad_row(bad(n + 1, "each line must be a JSON object".into()))?,
                    Err(e) => bad_row(Error::Syntax {
                        path: path.to_path_buf(),
                        line: n + 1,
                        column: e.column(),
                        message: format!("malformed JSON: {e}"),
                    })?,
                }
            }
        }
        Layout::Csv => {
            let unclosed = super::strict::unclosed_quote(&bytes, b',');
            let readable = &bytes[..unclosed.map_or(bytes.len(), |q| q.record_start)];
            let mut reader = ::csv::Reader::from_reader(readable);
            let headers = reader
                .headers()
                .map_err(|e| bad(1, format!("bad header: {e}")))?
                .clone();
            for record in reader.records() {
                let record = match record {
                    Ok(record) => record,
                    Err(e) => {
                        bad_row(bad(
                            e.position().map_or(0, |p| p.line() as usize),
                            format!("malformed row: {e}"),
                        ))?;
                        continue;
                    }
                };
                let line = record.position().map_or(0, |p| p.line() as usize);
                let fields = headers
                    .iter()
                    .zip(record.iter())
                    .map(|(h, v)| (h.to_string(), Value::String(v.to_string())))
                    .collect();
                rows.push(Row { line, fields });
            }
            if let Some(q) = unclosed {
                bad_row(Error::Syntax {
                    path: path.to_path_buf(),
                    line: q.line,
                    column: q.column,
                    message:
                        "a quote opened here is never closed; the rest of the file would be read as one field"
                            .into(),
                })?;
            }
        }
    }
    Ok((rows, skipped))
}

/// Imports `file` into a new dataset folder `out`.
pub fn import(file: &Path, out: &Path, options: &Options, progress: Progress<'_>) -> Result<Summary> {
    let (rows, skipped) = read_rows(file, options.layout, options.skip_bad)?;
    let taxonomy = Taxonomy::mmsafeaware();
    let base = file.parent().map(Path::to_path_buf).unwrap_or_default();
    let column = |field: &str| {
        options
            .map
            .get(field)
            .cloned()
            .unwrap_or_else(|| field.to_string())
    };
    let staging = Staging::new(out, options.force)?;
    let images_dir = staging.path().join(IMAGES_DIR);
    std::fs::create_dir(&images_dir).at(&images_dir)?;
    let file_name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut items: Vec<Item> = Vec::with_capacity(rows.len());
    let mut seen_ids: HashMap<String, usize> = HashMap::new();
    let mut image_names: HashMap<String, PathBuf> = HashMap::new();
    for (n, row) in rows.iter().enumerate() {
        let at = |item: Option<&str>, message: String| Error::Invalid {
            path: file.to_path_buf(),
            line: Some(row.line),
            item: item.map(str::to_string),
            message,
        };
        let text = |field: &str| -> Option<String> {
            match row.fields.get(&column(field)) {
                Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
                Some(Value::Number(num)) => Some(num.to_string()),
                _ => None,
            }
        };
        let id = text("id").ok_or_else(|| {
            at(
                None,
                format!("no {:?} value (map it with --map id=COLUMN)", column("id")),
            )
        })?;
        if let Some(first) = seen_ids.insert(id.clone(), row.line) {
            return Err(at(Some(&id), format!("duplicate id (first at line {first})")));
        }
        let sentence = match row.fields.get(&column("sentence")) {
            Some(Value::String(s)) => s.clone(),
            _ => return Err(at(Some(&id), format!("no {:?} text", column("sentence")))),
        };
        let subset = match text("subset").as_deref().map(str::to_lowercase).as_deref() {
            Some("typical") => Subset::Typical,
            Some("attack") => Subset::Attack,
            Some("over_safety" | "over-safety" | "oversafety") => Subset::OverSafety,
            Some(other) => {
                return Err(at(
                    Some(&id),
                    format!("unknown subset {other:?}; use typical, attack or over_safety"),
                ));
            }
            None => return Err(at(Some(&id), format!("no {:?} value", column("subset")))),
        };
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
        let status = match text("status").as_deref() {
            None => Status::Unreviewed,
            Some(s) => serde_json::from_value(Value::String(s.to_string()))
                .map_err(|_| at(Some(&id), format!("unknown status {s:?}")))?,
        };
        let scenario = match text("scenario") {
            None => None,
            Some(name) => {
                let mapped = options.scenario_map.get(&name).cloned().unwrap_or(name.clone());
                let lower = mapped.to_lowercase();
                match taxonomy
                    .scenarios
                    .iter()
                    .find(|s| s.key == lower || s.name.to_lowercase() == lower)
                {
                    Some(s) => Some(s.key.clone()),
                    None => {
                        return Err(at(
                            Some(&id),
                            format!(
                                "scenario {name:?} is not in the taxonomy; map it with --scenario-map FILE"
                            ),
                        ));
                    }
                }
            }
        };
        let flags: BTreeSet<String> = match row.fields.get(&column("flags")) {
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
        let provenance = match row.fields.get(&column("provenance")) {
            Some(v @ Value::Object(_)) => serde_json::from_value(v.clone())
                .map_err(|e| at(Some(&id), format!("bad provenance: {e}")))?,
            _ => Provenance {
                source: format!("{file_name}:{}", row.line),
                ..Provenance::default()
            },
        };
        let image = match text("image") {
            None => None,
            Some(rel) => {
                let source = if Path::new(&rel).is_absolute() {
                    PathBuf::from(&rel)
                } else {
                    base.join(&rel)
                };
                let data = media::read_image_file(&source, options.image_limits)
                    .map_err(|e| at(Some(&id), format!("image {}: {e}", source.display())))?;
                let facts = media::inspect(&data)
                    .map_err(|why| at(Some(&id), format!("image {}: {why}", source.display())))?;
                let name = source
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| id.clone());
                let canonical = std::fs::canonicalize(&source).unwrap_or(source.clone());
                match image_names.get(&name) {
                    Some(existing) if *existing != canonical => {
                        return Err(at(
                            Some(&id),
                            format!("two different images are named {name:?}; rename one"),
                        ));
                    }
                    Some(_) => {}
                    None => {
                        let dest = images_dir.join(&name);
                        match options.images {
                            ImageMode::Copy => std::fs::write(&dest, &data).at(&dest)?,
                            ImageMode::Link => {
                                #[cfg(unix)]
                                std::os::unix::fs::symlink(&canonical, &dest).at(&dest)?;
                                #[cfg(not(unix))]
                                return Err(Error::Refused("--images link needs a Unix system".into()));
                            }
                        }
                        image_names.insert(name.clone(), canonical);
                    }
                }
                Some(ImageRef {
                    path: format!("{IMAGES_DIR}/{name}"),
                    blake3: facts.blake3,
                    bytes: facts.bytes,
                    format: facts.format.to_string(),
                    width: facts.width,
                    height: facts.height,
                })
            }
        };
        items.push(Item {
            id,
            image,
            sentence,
            subset,
            scenario,
            base_scenario: None,
            gold,
            status,
            flags,
            notes,
            provenance,
        });
        progress(n as u64 + 1, rows.len() as u64);
    }
    let name = options.name.clone().unwrap_or_else(|| {
        file.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "imported".into())
    });
    let dataset = Dataset {
        manifest: Manifest {
            format_version: FORMAT_VERSION,
            name,
            version: "1".into(),
            description: format!("Imported from {file_name}."),
            question_template: crate::model::JUDGMENT_TEMPLATE.into(),
            protocol: Protocol::Judgment,
            source: SourceInfo {
                kind: "generic".into(),
                stray_files: vec![],
            },
            taxonomy,
        },
        items: items.into(),
    };
    store::write_files(staging.path(), &dataset)?;
    staging.finish()?;
    Ok(Summary {
        out: out.to_path_buf(),
        items: dataset.items.len(),
        with_image: dataset.items.iter().filter(|i| i.image.is_some()).count(),
        skipped,
        subsets: dataset.subset_counts(),
    })
}
