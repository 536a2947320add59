//! `safeaware labels import` / `export`: one curator's labels in from JSONL, CSV, TSV,
//! JSON or Parquet (the importers' shared table reader) and out as JSONL, CSV or TSV
//! (spreadsheets, Label Studio exports, another copy).
//!
//! A record has an id and any of `gold`, `scenario`, `subset`, `status`, `note`/`notes`;
//! or, for human verdicts on one model's responses, a verdict column. Unknown ids and
//! duplicates are counted with examples and not stored; a bad record stops the import
//! (nothing stored) unless `skip_bad`, when it is listed and left out.

use super::{ItemLabel, Layer};
use crate::agreement::table::LabelMap;
use crate::error::{Error, Result};
use crate::import::table::{self, KeyedFields, Row, TableFormat};
use crate::model::{Dataset, Gold, Status, Subset, Verdict};
use serde::Serialize;
use std::collections::HashSet;
use std::path::Path;

/// How many and the first few (escaped) examples.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Examples {
    /// How many.
    pub count: usize,
    /// Up to five.
    pub examples: Vec<String>,
}

impl Examples {
    fn push(&mut self, example: String) {
        self.count += 1;
        if self.examples.len() < 5 {
            self.examples.push(example);
        }
    }
}

/// File layouts `labels export` writes (also the CLI's `--format` values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LabelFormat {
    /// One JSON object per line.
    Jsonl,
    /// Comma-separated with a header.
    Csv,
    /// Tab-separated with a header.
    Tsv,
}

/// What to read.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The id column (default `id`).
    pub id_field: Option<String>,
    /// Read human verdicts on this model's responses instead of item labels.
    pub model: Option<String>,
    /// The verdict column (with `model`).
    pub verdict_field: Option<String>,
    /// Raw value -> label, applied before parsing.
    pub label_map: LabelMap,
    /// Leave bad records out (listed) instead of stopping.
    pub skip_bad: bool,
    /// The labels were made blind (e.g. a blind spreadsheet round).
    pub blind: bool,
}

/// What an import read and stored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    /// The curator.
    pub curator: String,
    /// Records read.
    pub records: usize,
    /// Items that got at least one label.
    pub stored: usize,
    /// Ids not in the dataset (not stored).
    pub unknown_ids: Examples,
    /// Ids seen again (the first record kept).
    pub duplicates: Examples,
    /// Bad records left out with `skip_bad`.
    pub skipped: Examples,
}

/// One record: its sort key (line, else record number), where it is for messages
/// (`line 3`, `record 3`), and its fields.
struct Record {
    line: usize,
    place: String,
    row: Row,
}

impl Record {
    /// The trimmed, non-empty text at `path` (a field name, a header with spaces around
    /// it, or a dotted path into nested fields).
    fn get(&self, path: &str) -> Option<String> {
        let text = self.row.text(path).or_else(|| {
            let (_, value) = self.row.fields.iter().find(|(k, _)| k.trim() == path)?;
            match value {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                serde_json::Value::Bool(b) => Some(b.to_string()),
                _ => None,
            }
        })?;
        (!text.trim().is_empty()).then_some(text)
    }
}

/// Reads every record through the importers' shared table reader. A malformed line
/// (bad JSON, a row with the wrong number of fields, a quote never closed) is an error
/// naming file, line and column, or with `skip_bad` a message in `skipped`.
fn read_records(
    path: &Path,
    format: TableFormat,
    skip_bad: bool,
    skipped: &mut Vec<String>,
) -> Result<Vec<Record>> {
    let keyed = KeyedFields {
        id: "id",
        value: "label",
    };
    let (rows, bad) = table::read(path, format, keyed, skip_bad)?;
    skipped.extend(bad);
    Ok(rows
        .into_iter()
        .enumerate()
        .map(|(n, row)| {
            let (line, place) = if row.line > 0 {
                (row.line, format!("line {}", row.line))
            } else {
                (n + 1, format!("record {}", n + 1))
            };
            Record { line, place, row }
        })
        .collect())
}

fn parse_key<T: Copy>(
    all: &[T],
    key: impl Fn(T) -> &'static str,
    raw: &str,
    what: &str,
) -> std::result::Result<T, String> {
    let wanted = raw.trim().to_ascii_lowercase().replace([' ', '-'], "_");
    all.iter().copied().find(|v| key(*v) == wanted).ok_or_else(|| {
        let known: Vec<&str> = all.iter().map(|v| key(*v)).collect();
        format!(
            "{what} {:?} is not one of {}",
            crate::text::escape_for_display(raw),
            known.join(", ")
        )
    })
}

fn parse_gold(raw: &str) -> std::result::Result<Gold, String> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "yes" => Ok(Gold::Safe),
        "no" => Ok(Gold::Unsafe),
        _ => parse_key(&[Gold::Safe, Gold::Unsafe], Gold::key, raw, "gold"),
    }
}

const VERDICTS: [Verdict; 8] = Verdict::ALL;

fn label_of(
    record: &Record,
    dataset: &Dataset,
    options: &ImportOptions,
) -> std::result::Result<ItemLabel, String> {
    let get = |k: &str| {
        record
            .get(k)
            .map(|v| options.label_map.apply(v.trim()).to_string())
    };
    let mut label = ItemLabel::default();
    if let Some(model) = &options.model {
        let field = options.verdict_field.as_deref().unwrap_or("verdict");
        if let Some(raw) = get(field) {
            let v = parse_key(&VERDICTS, Verdict::key, &raw, "verdict")?;
            label.verdicts.insert(model.clone(), v.key().to_string());
        }
        return Ok(label);
    }
    if let Some(raw) = get("gold") {
        label.gold = Some(parse_gold(&raw)?);
    }
    if let Some(raw) = get("subset") {
        label.subset = Some(parse_key(&Subset::ALL, Subset::key, &raw, "subset")?);
    }
    if let Some(raw) = get("status") {
        let all = [
            Status::Unreviewed,
            Status::Accepted,
            Status::NeedsFix,
            Status::Rejected,
        ];
        label.status = Some(parse_key(&all, Status::key, &raw, "status")?);
    }
    if let Some(raw) = get("scenario") {
        let cleared = raw.eq_ignore_ascii_case("none");
        if !cleared && dataset.manifest.taxonomy.get(&raw).is_none() {
            return Err(format!(
                "scenario {:?} is not in the dataset's taxonomy",
                crate::text::escape_for_display(&raw)
            ));
        }
        label.scenario = Some(if cleared { String::new() } else { raw });
    }
    if let Some(raw) = record.get("note").or_else(|| record.get("notes")) {
        label.notes = Some(raw);
    }
    Ok(label)
}

/// Reads a labels file (JSONL, CSV/TSV, JSON, Parquet) into `layer` (labels it sets
/// replace the layer's; others stay). Returns the summary; on a bad record without
/// `skip_bad`, an error and `layer` untouched.
pub fn import(
    path: &Path,
    format: TableFormat,
    dataset: &Dataset,
    layer: &mut Layer,
    options: &ImportOptions,
    time: u64,
) -> Result<ImportSummary> {
    let mut malformed = Vec::new();
    let records = read_records(path, format, options.skip_bad, &mut malformed)?;
    let id_field = options.id_field.as_deref().unwrap_or("id");
    let mut summary = ImportSummary {
        records: records.len() + malformed.len(),
        ..ImportSummary::default()
    };
    let mut bad: Vec<(&Record, String)> = Vec::new();
    let mut seen = HashSet::new();
    let mut parsed = Vec::new();
    for record in &records {
        let Some(id) = record.get(id_field).map(|s| s.trim().to_string()) else {
            bad.push((record, format!("no {id_field:?} field")));
            continue;
        };
        let shown = crate::text::escape_for_display(&id).into_owned();
        let place = &record.place;
        if !seen.insert(id.clone()) {
            summary.duplicates.push(format!("{shown} ({place})"));
            continue;
        }
        if dataset.position(&id).is_none() {
            summary.unknown_ids.push(format!("{shown} ({place})"));
            continue;
        }
        match label_of(record, dataset, options) {
            Ok(label) if label.is_empty() => {}
            Ok(label) => parsed.push((id, label)),
            Err(message) => bad.push((record, format!("item {shown}: {message}"))),
        }
    }
    if let Some((record, message)) = bad.first()
        && !options.skip_bad
    {
        let at = if record.row.line > 0 {
            String::new()
        } else {
            format!("{}: ", record.place)
        };
        return Err(Error::Invalid {
            path: path.to_path_buf(),
            line: (record.row.line > 0).then_some(record.line),
            item: None,
            message: format!(
                "{at}{message} ({} bad record{}; nothing imported; --skip-bad leaves them out)",
                bad.len(),
                if bad.len() == 1 { "" } else { "s" }
            ),
        });
    }
    summary.skipped.count = malformed.len();
    summary.skipped.examples = malformed
        .iter()
        .take(5)
        .map(|m| crate::text::escape_for_display(m).into_owned())
        .collect();
    for (record, message) in bad {
        summary.skipped.push(format!("{}: {message}", record.place));
    }
    for (id, new) in parsed {
        let entry = layer.entry(id).or_default();
        let fresh = entry.is_empty();
        if new.gold.is_some() {
            entry.gold = new.gold;
        }
        if new.subset.is_some() {
            entry.subset = new.subset;
        }
        if new.status.is_some() {
            entry.status = new.status;
        }
        if new.scenario.is_some() {
            entry.scenario = new.scenario;
        }
        if new.notes.is_some() {
            entry.notes = new.notes;
        }
        entry.verdicts.extend(new.verdicts);
        entry.blind = if fresh {
            options.blind
        } else {
            entry.blind && options.blind
        };
        entry.time = entry.time.max(time);
        summary.stored += 1;
    }
    Ok(summary)
}

/// One curator's layer as text: one record per labeled item, in dataset order (ids the
/// dataset lacks last). Columns: id, gold, subset, scenario, status, note, then
/// `verdict:<model>` per model with verdicts.
pub fn export(dataset: &Dataset, layer: &Layer, format: LabelFormat) -> Result<String> {
    let mut ids: Vec<&String> = dataset
        .items
        .iter()
        .map(|i| &i.id)
        .filter(|id| layer.contains_key(*id))
        .collect();
    ids.extend(layer.keys().filter(|id| dataset.position(id).is_none()));
    let models: Vec<String> = layer
        .values()
        .flat_map(|l| l.verdicts.keys().cloned())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut header: Vec<String> = ["id", "gold", "subset", "scenario", "status", "note"]
        .map(String::from)
        .to_vec();
    header.extend(models.iter().map(|m| format!("verdict:{m}")));
    let rows: Vec<Vec<Option<String>>> = ids
        .iter()
        .map(|id| {
            let l = &layer[*id];
            let mut row = vec![
                Some((*id).clone()),
                l.gold.map(|g| g.key().to_string()),
                l.subset.map(|s| s.key().to_string()),
                l.scenario
                    .as_ref()
                    .map(|s| if s.is_empty() { "none".into() } else { s.clone() }),
                l.status.map(|s| s.key().to_string()),
                l.notes.clone(),
            ];
            row.extend(models.iter().map(|m| l.verdicts.get(m).cloned()));
            row
        })
        .collect();
    match format {
        LabelFormat::Jsonl => {
            let mut out = String::new();
            for row in rows {
                let map: serde_json::Map<String, serde_json::Value> = header
                    .iter()
                    .zip(row)
                    .filter_map(|(k, v)| v.map(|v| (k.clone(), serde_json::Value::String(v))))
                    .collect();
                out.push_str(&serde_json::Value::Object(map).to_string());
                out.push('\n');
            }
            Ok(out)
        }
        LabelFormat::Csv | LabelFormat::Tsv => {
            let delimiter = if format == LabelFormat::Csv { b',' } else { b'\t' };
            let mut w = csv::WriterBuilder::new()
                .delimiter(delimiter)
                .from_writer(Vec::new());
            let io = |e: csv::Error| Error::Refused(e.to_string());
            w.write_record(&header).map_err(io)?;
            for row in rows {
                w.write_record(row.iter().map(|v| v.as_deref().unwrap_or("")))
                    .map_err(io)?;
            }
            let bytes = w.into_inner().map_err(|e| Error::Refused(e.to_string()))?;
            String::from_utf8(bytes).map_err(|e| Error::Refused(e.to_string()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parquet_labels_come_in_through_the_shared_reader() {
        let tmp = tempfile::tempdir().unwrap();
        let ds = tmp.path().join("ds");
        crate::synth::write_sample(&ds, false).unwrap();
        let dataset = crate::store::load(&ds).unwrap();
        let path = tmp.path().join("verdicts.parquet");
        crate::import::parquet::write_test_file(
            &path,
            &[
                ("1", "2_full_refusal", None, "a.png"),
                ("2", "compliance", None, "b.png"),
            ],
        );
        let mut map = LabelMap::default();
        map.0.insert("2_full_refusal".into(), "full_refusal".into());
        let options = ImportOptions {
            model: Some("m".into()),
            verdict_field: Some("sentence".into()),
            label_map: map,
            ..ImportOptions::default()
        };
        let mut layer = Layer::new();
        let summary = import(&path, TableFormat::Parquet, &dataset, &mut layer, &options, 7).unwrap();
        assert_eq!((summary.records, summary.stored), (2, 2));
        assert_eq!(layer["1"].verdicts["m"], "full_refusal");
        assert_eq!(layer["2"].verdicts["m"], "compliance");
    }
}
