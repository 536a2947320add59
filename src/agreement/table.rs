//! Reading annotator columns from any CSV, TSV, JSONL or JSON-array file into
//! [`Ratings`], with an optional label map (raw value -> label), the shape public safety
//! sets ship human labels in (one column per annotator, then an adjudicated label).

use super::Ratings;
use crate::{Error, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A map from raw values to labels, e.g. `{"2_full_refusal": "full_refusal"}` (RON).
/// Values it does not name are kept as they are.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LabelMap(pub BTreeMap<String, String>);

impl LabelMap {
    /// Reads a RON map from `path`, naming line and column on a syntax error.
    pub fn load(path: &Path) -> Result<LabelMap> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let map: BTreeMap<String, String> = crate::store::ron_format::parse(path, &text)?;
        Ok(LabelMap(map))
    }

    /// The label for a raw value.
    pub fn apply<'a>(&'a self, raw: &'a str) -> &'a str {
        self.0.get(raw).map_or(raw, String::as_str)
    }
}

/// Which file layout to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    /// Comma-separated with a header row.
    Csv,
    /// Tab-separated with a header row.
    Tsv,
    /// One JSON object per line.
    Jsonl,
    /// A JSON array of objects.
    Json,
}

impl FileFormat {
    /// The format a file name implies (`.csv`, `.tsv`, `.jsonl`/`.ndjson`, `.json`).
    pub fn from_path(path: &Path) -> Option<FileFormat> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "csv" => Some(FileFormat::Csv),
            "tsv" | "tab" => Some(FileFormat::Tsv),
            "jsonl" | "ndjson" => Some(FileFormat::Jsonl),
            "json" => Some(FileFormat::Json),
            _ => None,
        }
    }
}

/// What to read from the file.
#[derive(Debug, Clone)]
pub struct ColumnSpec {
    /// The annotator columns, each one rater.
    pub columns: Vec<String>,
    /// The unit id column; the 1-based record number when absent.
    pub id_field: Option<String>,
    /// Raw value -> label.
    pub label_map: LabelMap,
}

/// Reads the annotator columns of every record. Empty cells and JSON nulls are missing
/// labels; a column absent from the header is an error naming the columns there are.
pub fn read_columns(path: &Path, format: FileFormat, spec: &ColumnSpec) -> Result<Ratings> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let records = match format {
        FileFormat::Csv => delimited(path, &bytes, b',')?,
        FileFormat::Tsv => delimited(path, &bytes, b'\t')?,
        FileFormat::Jsonl => json_lines(path, &crate::text::decode_utf8(path, bytes)?)?,
        FileFormat::Json => json_array(path, &crate::text::decode_utf8(path, bytes)?)?,
    };
    let mut ratings = Ratings::new(spec.columns.clone());
    let mut seen = std::collections::HashSet::new();
    for (number, record) in records.iter().enumerate() {
        for column in spec.columns.iter().chain(spec.id_field.iter()) {
            if !record.fields.contains_key(column) && !record.absent_is_missing {
                let known: Vec<&str> = record.fields.keys().map(String::as_str).collect();
                return Err(invalid(
                    path,
                    record.line,
                    format!("no column {column:?}; the file has: {}", known.join(", ")),
                ));
            }
        }
        let id = match &spec.id_field {
            Some(field) => match record.fields.get(field).and_then(Clone::clone) {
                Some(id) => id,
                None => return Err(invalid(path, record.line, format!("record has no {field:?}"))),
            },
            None => (number + 1).to_string(),
        };
        if !seen.insert(id.clone()) {
            return Err(Error::Invalid {
                path: path.to_path_buf(),
                line: Some(record.line),
                item: Some(id),
                message: "this id appears twice".into(),
            });
        }
        let labels: Vec<Option<&str>> = spec
            .columns
            .iter()
            .map(|c| {
                record
                    .fields
                    .get(c)
                    .and_then(|v| v.as_deref())
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(|v| spec.label_map.apply(v))
            })
            .collect();
        ratings.push(&id, &labels);
    }
    Ok(ratings.with_sorted_categories())
}

struct Record {
    line: usize,
    fields: BTreeMap<String, Option<String>>,
    /// JSON records may leave a key out instead of writing null.
    absent_is_missing: bool,
}

fn invalid(path: &Path, line: usize, message: String) -> Error {
    Error::Invalid {
        path: path.to_path_buf(),
        line: Some(line),
        item: None,
        message,
    }
}

fn delimited(path: &Path, bytes: &[u8], delimiter: u8) -> Result<Vec<Record>> {
    let bytes = crate::text::strip_bom(bytes);
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).from_reader(bytes);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| csv_error(path, &e))?
        .iter()
        .map(str::to_string)
        .collect();
    let mut out = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|e| csv_error(path, &e))?;
        let line = row.position().map_or(0, |p| p.line() as usize);
        let fields = header
            .iter()
            .cloned()
            .zip(row.iter().map(|v| Some(v.to_string())))
            .collect();
        out.push(Record {
            line,
            fields,
            absent_is_missing: false,
        });
    }
    Ok(out)
}

fn csv_error(path: &Path, e: &csv::Error) -> Error {
    let line = e.position().map_or(1, |p| p.line() as usize);
    Error::Syntax {
        path: PathBuf::from(path),
        line,
        column: 1,
        message: e.to_string(),
    }
}

fn json_value_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn json_record(path: &Path, line: usize, value: serde_json::Value) -> Result<Record> {
    let serde_json::Value::Object(map) = value else {
        return Err(invalid(path, line, "a record must be a JSON object".into()));
    };
    let fields = map.iter().map(|(k, v)| (k.clone(), json_value_text(v))).collect();
    Ok(Record {
        line,
        fields,
        absent_is_missing: true,
    })
}

fn json_lines(path: &Path, text: &str) -> Result<Vec<Record>> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value = serde_json::from_str(line).map_err(|e| Error::Syntax {
            path: path.to_path_buf(),
            line: i + 1,
            column: e.column(),
            message: e.to_string(),
        })?;
        out.push(json_record(path, i + 1, value)?);
    }
    Ok(out)
}

fn json_array(path: &Path, text: &str) -> Result<Vec<Record>> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| Error::Syntax {
        path: path.to_path_buf(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    let serde_json::Value::Array(records) = value else {
        return Err(invalid(path, 1, "expected a JSON array of records".into()));
    };
    records
        .into_iter()
        .enumerate()
        .map(|(i, r)| json_record(path, i + 1, r))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(columns: &[&str], id: Option<&str>) -> ColumnSpec {
        ColumnSpec {
            columns: columns.iter().map(|c| c.to_string()).collect(),
            id_field: id.map(str::to_string),
            label_map: LabelMap::default(),
        }
    }

    #[test]
    fn csv_columns_become_raters_and_empty_cells_are_missing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("labels.csv");
        std::fs::write(
            &path,
            "\u{feff}id,a1,a2,final\nx,1_full,1_full,1_full\ny,2_partial,,2_partial\n",
        )
        .unwrap();
        let mut s = spec(&["a1", "a2"], Some("id"));
        s.label_map.0.insert("1_full".into(), "full_refusal".into());
        let r = read_columns(&path, FileFormat::Csv, &s).unwrap();
        assert_eq!(r.units(), ["x", "y"]);
        assert_eq!(r.categories(), ["2_partial", "full_refusal"]);
        assert_eq!(r.label(0, 1), Some("full_refusal"));
        assert_eq!(r.label(1, 0), Some("2_partial"));
        assert_eq!(r.label(1, 1), None);
    }

    #[test]
    fn a_missing_column_names_the_columns_there_are() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("labels.tsv");
        std::fs::write(&path, "id\tann_1\n1\tyes\n").unwrap();
        let err = read_columns(&path, FileFormat::Tsv, &spec(&["ann_2"], Some("id")))
            .unwrap_err()
            .to_string();
        assert!(err.contains("labels.tsv:2") && err.contains("ann_1"), "{err}");
    }

    #[test]
    fn jsonl_numbers_nulls_and_duplicate_ids() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("labels.jsonl");
        std::fs::write(
            &path,
            "{\"id\": 1, \"a\": 0, \"b\": null}\n\n{\"id\": 2, \"a\": 1}\n",
        )
        .unwrap();
        let r = read_columns(&path, FileFormat::Jsonl, &spec(&["a", "b"], Some("id"))).unwrap();
        assert_eq!(r.units(), ["1", "2"]);
        assert_eq!(r.label(0, 0), Some("0"));
        assert_eq!(r.label(0, 1), None);
        std::fs::write(&path, "{\"id\": 1, \"a\": 0}\n{\"id\": 1, \"a\": 1}\n").unwrap();
        let err = read_columns(&path, FileFormat::Jsonl, &spec(&["a"], Some("id")))
            .unwrap_err()
            .to_string();
        assert!(err.contains("labels.jsonl:2") && err.contains("item 1"), "{err}");
        std::fs::write(&path, "{\"id\": 1, \"a\": 0}\n{\"id\": 2, \"a\"\n").unwrap();
        let err = read_columns(&path, FileFormat::Jsonl, &spec(&["a"], Some("id")))
            .unwrap_err()
            .to_string();
        assert!(err.contains("labels.jsonl:2:"), "{err}");
    }

    #[test]
    fn without_an_id_field_records_are_numbered() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("labels.json");
        std::fs::write(&path, r#"[{"a": "x", "b": "x"}, {"a": "y", "b": "x"}]"#).unwrap();
        let r = read_columns(&path, FileFormat::Json, &spec(&["a", "b"], None)).unwrap();
        assert_eq!(r.units(), ["1", "2"]);
    }
}
