//! Reading annotator columns from any CSV, TSV, JSONL or JSON-array file into
//! [`Ratings`], with an optional label map (raw value -> label), the shape public safety
//! sets ship human labels in (one column per annotator, then an adjudicated label).

use super::Ratings;
use crate::import::table::{self, KeyedFields};
use crate::{Error, Result};
use std::collections::BTreeMap;
use std::path::Path;

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

/// Which file layout to read: the importers' formats (Parquet included).
use crate::import::table::TableFormat;

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

/// Reads the annotator columns of every record through the importers' shared table
/// reader. Empty cells and JSON nulls are missing labels; a column absent from a CSV/TSV
/// header is an error naming the columns there are.
pub fn read_columns(path: &Path, format: TableFormat, spec: &ColumnSpec) -> Result<Ratings> {
    let keyed = KeyedFields {
        id: spec.id_field.as_deref().unwrap_or("id"),
        value: "label",
    };
    let (rows, _) = table::read(path, format, keyed, false)?;
    if matches!(format, TableFormat::Csv | TableFormat::Tsv)
        && let Some(first) = rows.first()
    {
        for column in spec.columns.iter().chain(spec.id_field.iter()) {
            if !first.fields.contains_key(column) {
                let known: Vec<&str> = first.fields.keys().map(String::as_str).collect();
                return Err(invalid(
                    path,
                    first.line,
                    format!("no column {column:?}; the file has: {}", known.join(", ")),
                ));
            }
        }
    }
    let mut ratings = Ratings::new(spec.columns.clone());
    let mut seen = std::collections::HashSet::new();
    for (number, row) in rows.iter().enumerate() {
        let id = match &spec.id_field {
            Some(field) => match row.text(field) {
                Some(id) => id,
                None => return Err(invalid(path, row.line, format!("record has no {field:?}"))),
            },
            None => (number + 1).to_string(),
        };
        if !seen.insert(id.clone()) {
            return Err(Error::Invalid {
                path: path.to_path_buf(),
                line: Some(row.line),
                item: Some(id),
                message: "this id appears twice".into(),
            });
        }
        let texts: Vec<Option<String>> = spec
            .columns
            .iter()
            .map(|c| {
                row.text(c)
                    .map(|v| v.trim().to_string())
                    .filter(|v| !v.is_empty())
            })
            .collect();
        let labels: Vec<Option<&str>> = texts
            .iter()
            .map(|t| t.as_deref().map(|v| spec.label_map.apply(v)))
            .collect();
        ratings.push(&id, &labels);
    }
    Ok(ratings.with_sorted_categories())
}

fn invalid(path: &Path, line: usize, message: String) -> Error {
    Error::Invalid {
        path: path.to_path_buf(),
        line: (line > 0).then_some(line),
        item: None,
        message,
    }
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
        let r = read_columns(&path, TableFormat::Csv, &s).unwrap();
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
        let err = read_columns(&path, TableFormat::Tsv, &spec(&["ann_2"], Some("id")))
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
        let r = read_columns(&path, TableFormat::Jsonl, &spec(&["a", "b"], Some("id"))).unwrap();
        assert_eq!(r.units(), ["1", "2"]);
        assert_eq!(r.label(0, 0), Some("0"));
        assert_eq!(r.label(0, 1), None);
        std::fs::write(&path, "{\"id\": 1, \"a\": 0}\n{\"id\": 1, \"a\": 1}\n").unwrap();
        let err = read_columns(&path, TableFormat::Jsonl, &spec(&["a"], Some("id")))
            .unwrap_err()
            .to_string();
        assert!(err.contains("labels.jsonl:2") && err.contains("item 1"), "{err}");
        std::fs::write(&path, "{\"id\": 1, \"a\": 0}\n{\"id\": 2, \"a\"\n").unwrap();
        let err = read_columns(&path, TableFormat::Jsonl, &spec(&["a"], Some("id")))
            .unwrap_err()
            .to_string();
        assert!(err.contains("labels.jsonl:2:"), "{err}");
    }

    #[test]
    fn without_an_id_field_records_are_numbered() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("labels.json");
        std::fs::write(&path, r#"[{"a": "x", "b": "x"}, {"a": "y", "b": "x"}]"#).unwrap();
        let r = read_columns(&path, TableFormat::Json, &spec(&["a", "b"], None)).unwrap();
        assert_eq!(r.units(), ["1", "2"]);
    }
}
