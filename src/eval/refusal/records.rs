//! Records of any responses file (JSONL, CSV/TSV with a header, a JSON array, or a JSON
//! object keyed by id), with the id, response and optional label fields the caller names.

use crate::error::{Error, Result};
use crate::import::responses::ResponseFormat;
use crate::import::table::{self, KeyedFields, TableFormat};
use std::path::Path;

/// Which fields to read.
#[derive(Debug, Clone)]
pub struct RecordFields {
    /// The input format (default: from the extension).
    pub format: Option<ResponseFormat>,
    /// Field or column with the record id (absent: the record number stands in).
    pub id: String,
    /// Field or column with the response text.
    pub response: String,
    /// Field or column with a human label, when comparing.
    pub label: Option<String>,
}

/// One record as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// 1-based record number in file order.
    pub row: usize,
    /// 1-based line where the record starts (0 inside a JSON document).
    pub line: usize,
    /// The id as text (the record number when the file has no id field).
    pub id: String,
    /// The response; `None` when the field is missing or null.
    pub response: Option<String>,
    /// The label as text, when a label field was named and the record has it.
    pub label: Option<String>,
}

fn invalid(path: &Path, line: usize, message: String) -> Error {
    Error::Invalid {
        path: path.to_path_buf(),
        line: (line > 0).then_some(line),
        item: None,
        message,
    }
}

/// Reads every record of `path` in file order, through the importers' shared table reader
/// (so every format `responses add` takes, Parquet included, is read the same way).
pub fn read_records(path: &Path, fields: &RecordFields) -> Result<Vec<Record>> {
    let format = TableFormat::resolve(fields.format, path)?;
    let keyed = KeyedFields {
        id: &fields.id,
        value: &fields.response,
    };
    let (rows, _) = table::read(path, format, keyed, false)?;
    if matches!(format, TableFormat::Csv | TableFormat::Tsv)
        && let Some(first) = rows.first()
    {
        let known: Vec<&str> = first.fields.keys().map(String::as_str).collect();
        if !first.fields.contains_key(&fields.response) {
            return Err(invalid(
                path,
                1,
                format!("no column {:?} (columns: {})", fields.response, known.join(", ")),
            ));
        }
        if let Some(label) = fields.label.as_ref().filter(|l| !first.fields.contains_key(*l)) {
            return Err(invalid(path, 1, format!("no label column {label:?}")));
        }
    }
    Ok(rows
        .iter()
        .enumerate()
        .map(|(n, row)| Record {
            row: n + 1,
            line: row.line,
            id: row
                .text(&fields.id)
                .map_or_else(|| (n + 1).to_string(), |id| id.trim().to_string()),
            response: row.text(&fields.response),
            label: fields.label.as_ref().and_then(|f| row.text(f)),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(label: Option<&str>) -> RecordFields {
        RecordFields {
            format: None,
            id: "id".into(),
            response: "response".into(),
            label: label.map(str::to_string),
        }
    }

    #[test]
    fn every_format_reads_in_file_order() {
        let dir = tempfile::tempdir().unwrap();
        let jsonl = dir.path().join("r.jsonl");
        std::fs::write(
            &jsonl,
            "{\"id\": 7, \"response\": \"a\", \"l\": \"x\"}\n\n{\"response\": null}\n",
        )
        .unwrap();
        let got = read_records(&jsonl, &fields(Some("l"))).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!((got[0].id.as_str(), got[0].label.as_deref()), ("7", Some("x")));
        assert_eq!((got[1].row, got[1].line, got[1].id.as_str()), (2, 3, "2"));
        assert_eq!(got[1].response, None);
        let csv = dir.path().join("r.csv");
        std::fs::write(&csv, "id,response\nv2-1,\"hi, there\"\n").unwrap();
        let got = read_records(&csv, &fields(None)).unwrap();
        assert_eq!(
            (got[0].id.as_str(), got[0].response.as_deref(), got[0].line),
            ("v2-1", Some("hi, there"), 2)
        );
        let json = dir.path().join("r.json");
        std::fs::write(&json, r#"{"b": "one", "a": {"response": "two"}}"#).unwrap();
        let got = read_records(&json, &fields(None)).unwrap();
        let ids: Vec<&str> = got.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["b", "a"], "entries keep file order");
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let jsonl = dir.path().join("bad.jsonl");
        std::fs::write(&jsonl, "{\"response\": \"ok\"}\n{oops\n").unwrap();
        let err = read_records(&jsonl, &fields(None)).unwrap_err().to_string();
        assert!(err.contains("bad.jsonl:2:"), "{err}");
        let csv = dir.path().join("bad.csv");
        std::fs::write(&csv, "id,text\n1,hi\n").unwrap();
        let err = read_records(&csv, &fields(None)).unwrap_err().to_string();
        assert!(
            err.contains("bad.csv:1") && err.contains("no column \"response\""),
            "{err}"
        );
    }

    #[test]
    fn parquet_files_read_through_the_shared_reader() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.parquet");
        crate::import::parquet::write_test_file(&path, &[("v2-1", "Sorry, I can't.", None, "")]);
        let mut wanted = fields(None);
        wanted.response = "sentence".into();
        let got = read_records(&path, &wanted).unwrap();
        assert_eq!(
            (got[0].id.as_str(), got[0].response.as_deref()),
            ("v2-1", Some("Sorry, I can't."))
        );
    }
}
