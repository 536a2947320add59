//! Records of any responses file (JSONL, CSV/TSV with a header, a JSON array, or a JSON
//! object keyed by id), with the id, response and optional label fields the caller names.

use crate::error::{Error, Result};
use crate::import::responses::ResponseFormat;
use serde_json::Value;
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

/// A JSON value as record text: strings as they are, numbers and booleans printed.
fn as_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn from_object(
    obj: &serde_json::Map<String, Value>,
    key: Option<&str>,
    fields: &RecordFields,
    row: usize,
    line: usize,
) -> Record {
    let id = obj
        .get(&fields.id)
        .and_then(as_text)
        .or_else(|| key.map(str::to_string))
        .unwrap_or_else(|| row.to_string());
    Record {
        row,
        line,
        id: id.trim().to_string(),
        response: obj.get(&fields.response).and_then(as_text),
        label: fields.label.as_ref().and_then(|f| obj.get(f)).and_then(as_text),
    }
}

/// Reads every record of `path` in file order.
pub fn read_records(path: &Path, fields: &RecordFields) -> Result<Vec<Record>> {
    let format = fields
        .format
        .or_else(|| ResponseFormat::from_path(path))
        .ok_or_else(|| {
            Error::Refused(format!(
                "{}: cannot tell the format from the extension; pass --format",
                path.display()
            ))
        })?;
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    match format {
        ResponseFormat::Jsonl => read_jsonl(path, &bytes, fields),
        ResponseFormat::Csv => read_delimited(path, &bytes, fields, b','),
        ResponseFormat::Tsv => read_delimited(path, &bytes, fields, b'\t'),
        ResponseFormat::Json => read_json(path, &bytes, fields),
    }
}

fn read_jsonl(path: &Path, bytes: &[u8], fields: &RecordFields) -> Result<Vec<Record>> {
    let mut records = Vec::new();
    for (n, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let text = std::str::from_utf8(line).map_err(|e| Error::Syntax {
            path: path.to_path_buf(),
            line: n + 1,
            column: e.valid_up_to() + 1,
            message: "invalid UTF-8".into(),
        })?;
        let value: Value = serde_json::from_str(text).map_err(|e| Error::Syntax {
            path: path.to_path_buf(),
            line: n + 1,
            column: e.column(),
            message: format!("malformed JSON: {e}"),
        })?;
        let Value::Object(obj) = value else {
            return Err(invalid(path, n + 1, "each line must be a JSON object".into()));
        };
        records.push(from_object(&obj, None, fields, records.len() + 1, n + 1));
    }
    Ok(records)
}

fn read_delimited(path: &Path, bytes: &[u8], fields: &RecordFields, delimiter: u8) -> Result<Vec<Record>> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|e| invalid(path, 1, format!("bad header: {e}")))?
        .clone();
    let column = |name: &str| headers.iter().position(|h| h == name);
    let response_col = column(&fields.response).ok_or_else(|| {
        let known: Vec<&str> = headers.iter().collect();
        invalid(
            path,
            1,
            format!("no column {:?} (columns: {})", fields.response, known.join(", ")),
        )
    })?;
    let label_col = match &fields.label {
        Some(name) => {
            Some(column(name).ok_or_else(|| invalid(path, 1, format!("no label column {name:?}")))?)
        }
        None => None,
    };
    let id_col = column(&fields.id);
    let mut records = Vec::new();
    for result in reader.records() {
        let row = result.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            invalid(path, line, format!("malformed row: {e}"))
        })?;
        let line = row.position().map_or(0, |p| p.line() as usize);
        let n = records.len() + 1;
        let cell = |i: Option<usize>| i.and_then(|i| row.get(i)).map(str::to_string);
        records.push(Record {
            row: n,
            line,
            id: cell(id_col).map_or_else(|| n.to_string(), |id| id.trim().to_string()),
            response: cell(Some(response_col)),
            label: cell(label_col),
        });
    }
    Ok(records)
}

fn read_json(path: &Path, bytes: &[u8], fields: &RecordFields) -> Result<Vec<Record>> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| Error::Syntax {
        path: path.to_path_buf(),
        line: e.line(),
        column: e.column(),
        message: format!("malformed JSON: {e}"),
    })?;
    let mut records = Vec::new();
    match value {
        Value::Array(entries) => {
            for (n, entry) in entries.iter().enumerate() {
                let Value::Object(obj) = entry else {
                    return Err(invalid(path, 0, format!("entry {} is not an object", n + 1)));
                };
                records.push(from_object(obj, None, fields, n + 1, 0));
            }
        }
        Value::Object(_) => {
            // serde_json's map sorts its keys; read the entries again in file order.
            let ordered: OrderedEntries = serde_json::from_slice(bytes).map_err(|e| Error::Syntax {
                path: path.to_path_buf(),
                line: e.line(),
                column: e.column(),
                message: format!("malformed JSON: {e}"),
            })?;
            for (n, (key, entry)) in ordered.0.iter().enumerate() {
                let record = match entry {
                    Value::Object(obj) => from_object(obj, Some(key), fields, n + 1, 0),
                    other => Record {
                        row: n + 1,
                        line: 0,
                        id: key.trim().to_string(),
                        response: as_text(other),
                        label: None,
                    },
                };
                records.push(record);
            }
        }
        _ => {
            return Err(invalid(
                path,
                1,
                "expected a JSON array or an object keyed by id".into(),
            ));
        }
    }
    Ok(records)
}

/// A JSON object's entries in file order.
struct OrderedEntries(Vec<(String, Value)>);

impl<'de> serde::Deserialize<'de> for OrderedEntries {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct Entries;
        impl<'de> serde::de::Visitor<'de> for Entries {
            type Value = OrderedEntries;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object keyed by id")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<OrderedEntries, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(OrderedEntries(entries))
            }
        }
        deserializer.deserialize_map(Entries)
    }
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
}
