//! One reader for every tabular file an importer takes: JSON Lines, CSV/TSV with a header,
//! a JSON array of objects, a JSON object keyed by id, and Parquet (what Hugging Face
//! datasets publish). Each record becomes a JSON object; binary Parquet cells (embedded
//! images) are kept aside as bytes under their field path.

use crate::error::{Error, IoContext, Result};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::Path;

/// The layout of a tabular file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TableFormat {
    /// One JSON object per line.
    Jsonl,
    /// Comma-separated with a header row.
    Csv,
    /// Tab-separated with a header row.
    Tsv,
    /// A JSON array of objects, or an object keyed by id.
    Json,
    /// Apache Parquet (flat or nested columns; binary columns hold embedded files).
    Parquet,
}

impl TableFormat {
    /// The format a file name suggests.
    pub fn from_path(path: &Path) -> Option<TableFormat> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "jsonl" | "ndjson" => Some(TableFormat::Jsonl),
            "csv" => Some(TableFormat::Csv),
            "tsv" | "tab" => Some(TableFormat::Tsv),
            "json" => Some(TableFormat::Json),
            "parquet" | "pq" => Some(TableFormat::Parquet),
            _ => None,
        }
    }

    /// The given format, else the one the extension suggests, else an error naming the file.
    pub fn resolve(given: Option<TableFormat>, path: &Path) -> Result<TableFormat> {
        given.or_else(|| TableFormat::from_path(path)).ok_or_else(|| {
            Error::Refused(format!(
                "{}: cannot tell the format from the extension; name it (jsonl, csv, tsv, json or parquet)",
                crate::text::escape_path(path)
            ))
        })
    }
}

/// One record: where it is and its fields.
#[derive(Debug, Clone, Default)]
pub struct Row {
    /// 1-based line where the record starts (JSONL, CSV/TSV), else 0.
    pub line: usize,
    /// Where the record is, for messages: `file:line`, `file: entry N` or `file: row N`.
    pub at: String,
    /// The record's fields.
    pub fields: Map<String, Value>,
    /// Binary cells by field path (`image.bytes`); their place in `fields` holds null.
    pub blobs: HashMap<String, Vec<u8>>,
}

impl Row {
    /// The value at `path`: an exact field name wins; else a dotted path through objects
    /// and array indices (`conversation.0.text`).
    pub fn get(&self, path: &str) -> Option<&Value> {
        lookup(&self.fields, path)
    }

    /// The value at `path` as text: strings as they are, numbers and booleans printed.
    pub fn text(&self, path: &str) -> Option<String> {
        match self.get(path)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// The embedded bytes at `path` (exactly, or its `bytes` member for a `{bytes, path}` struct).
    pub fn blob(&self, path: &str) -> Option<&[u8]> {
        self.blobs
            .get(path)
            .or_else(|| self.blobs.get(&format!("{path}.bytes")))
            .map(Vec::as_slice)
    }
}

/// The value at `path` in `fields`: an exact key first, then a dotted path.
pub fn lookup<'a>(fields: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    if let Some(value) = fields.get(path) {
        return Some(value);
    }
    let mut parts = path.split('.');
    let mut value = fields.get(parts.next()?)?;
    for part in parts {
        value = match value {
            Value::Object(map) => map.get(part)?,
            Value::Array(items) => items.get(part.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(value)
}

/// How entries of a JSON object keyed by id become records.
#[derive(Debug, Clone, Copy)]
pub struct KeyedFields<'a> {
    /// The field the key fills when the entry does not have it.
    pub id: &'a str,
    /// The field a plain (non-object) entry fills.
    pub value: &'a str,
}

/// Reads every record of `path` in file order. A malformed record is an error, or with
/// `skip_bad` a message in the second list.
pub fn read(
    path: &Path,
    format: TableFormat,
    keyed: KeyedFields<'_>,
    skip_bad: bool,
) -> Result<(Vec<Row>, Vec<String>)> {
    if format == TableFormat::Parquet {
        let name = path.display();
        let rows = super::parquet::read(path)?
            .into_iter()
            .enumerate()
            .map(|(n, row)| Row {
                line: 0,
                at: format!("{name}: row {}", n + 1),
                fields: row.fields,
                blobs: row.blobs,
            })
            .collect();
        return Ok((rows, Vec::new()));
    }
    let raw = std::fs::read(path).at(path)?;
    let bytes: Vec<u8> = if skip_bad && format != TableFormat::Json {
        crate::text::strip_bom(&raw).to_vec()
    } else {
        crate::text::decode_utf8(path, raw)?.into_bytes()
    };
    let name = path.display().to_string();
    let mut rows = Vec::new();
    let mut skipped = Vec::new();
    let mut bad = |line: usize, column: usize, message: String| -> Result<()> {
        let e = Error::Syntax {
            path: path.to_path_buf(),
            line,
            column,
            message,
        };
        if skip_bad {
            skipped.push(e.to_string());
            Ok(())
        } else {
            Err(e)
        }
    };
    match format {
        TableFormat::Jsonl => {
            for (n, line) in bytes.split(|&b| b == b'\n').enumerate() {
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                match std::str::from_utf8(line) {
                    Err(e) => bad(n + 1, e.valid_up_to() + 1, "invalid UTF-8".into())?,
                    Ok(text) => match serde_json::from_str::<Value>(text) {
                        Ok(Value::Object(fields)) => rows.push(Row {
                            line: n + 1,
                            at: format!("{name}:{}", n + 1),
                            fields,
                            ..Row::default()
                        }),
                        Ok(_) => bad(n + 1, 1, "each line must be a JSON object".into())?,
                        Err(e) => bad(n + 1, e.column(), format!("malformed JSON: {e}"))?,
                    },
                }
            }
        }
        TableFormat::Csv | TableFormat::Tsv => {
            let delimiter = if format == TableFormat::Tsv { b'\t' } else { b',' };
            let unclosed = super::strict::unclosed_quote(&bytes, delimiter);
            let readable = &bytes[..unclosed.map_or(bytes.len(), |q| q.record_start)];
            let mut reader = csv::ReaderBuilder::new()
                .delimiter(delimiter)
                .flexible(false)
                .from_reader(readable);
            let headers = match reader.byte_headers() {
                Ok(h) => h.clone(),
                Err(e) => return Err(Error::Refused(format!("{name}:1: bad header: {e}"))),
            };
            let headers: Vec<String> = headers
                .iter()
                .map(|h| String::from_utf8_lossy(h).trim_end_matches('\r').to_string())
                .collect();
            let mut lines = LineCounter::default();
            for record in reader.byte_records() {
                let record = match record {
                    Ok(record) => record,
                    Err(e) => {
                        let line = e
                            .position()
                            .map_or(0, |p| lines.line_at(readable, p.byte() as usize));
                        bad(line, 1, format!("malformed row: {e}"))?;
                        continue;
                    }
                };
                let line = record
                    .position()
                    .map_or(0, |p| lines.line_at(readable, p.byte() as usize));
                let mut fields = Map::new();
                let mut invalid = None;
                for (column, (header, cell)) in headers.iter().zip(record.iter()).enumerate() {
                    match std::str::from_utf8(cell) {
                        Ok(text) => {
                            fields.insert(header.clone(), Value::String(text.to_string()));
                        }
                        Err(_) => invalid = invalid.or(Some(column + 1)),
                    }
                }
                match invalid {
                    Some(column) => bad(line, column, format!("invalid UTF-8 in field {column}"))?,
                    None => rows.push(Row {
                        line,
                        at: format!("{name}:{line}"),
                        fields,
                        ..Row::default()
                    }),
                }
            }
            if let Some(q) = unclosed {
                bad(
                    q.line,
                    q.column,
                    "a quote opened here is never closed; the rest of the file would be read as one field"
                        .into(),
                )?;
            }
        }
        TableFormat::Json => read_json(path, &bytes, keyed, &mut rows, &mut bad)?,
        TableFormat::Parquet => {}
    }
    Ok((rows, skipped))
}

/// The header of a CSV/TSV file, in file order (for messages naming the columns).
pub fn headers(path: &Path, format: TableFormat) -> Vec<String> {
    let delimiter = if format == TableFormat::Tsv { b'\t' } else { b',' };
    std::fs::read(path)
        .ok()
        .and_then(|bytes| {
            let bytes = crate::text::strip_bom(&bytes).to_vec();
            let mut reader = csv::ReaderBuilder::new()
                .delimiter(delimiter)
                .from_reader(&bytes[..]);
            let headers = reader.headers().ok()?;
            Some(headers.iter().map(str::to_string).collect())
        })
        .unwrap_or_default()
}

/// Line numbers from byte offsets, counted once through the file. The csv crate's own line
/// count is one short on CRLF files (a record's position is taken before the `\n`).
#[derive(Default)]
struct LineCounter {
    byte: usize,
    newlines: usize,
}

impl LineCounter {
    /// The 1-based line of the record starting at `byte` (line breaks before it skipped).
    fn line_at(&mut self, bytes: &[u8], mut byte: usize) -> usize {
        while matches!(bytes.get(byte), Some(b'\r' | b'\n')) {
            byte += 1;
        }
        let byte = byte.min(bytes.len());
        if byte < self.byte {
            *self = LineCounter::default();
        }
        self.newlines += bytes[self.byte..byte].iter().filter(|&&b| b == b'\n').count();
        self.byte = byte;
        self.newlines + 1
    }
}

fn read_json(
    path: &Path,
    bytes: &[u8],
    keyed: KeyedFields<'_>,
    rows: &mut Vec<Row>,
    bad: &mut dyn FnMut(usize, usize, String) -> Result<()>,
) -> Result<()> {
    let name = path.display().to_string();
    let text = std::str::from_utf8(bytes).map_err(|e| Error::Syntax {
        path: path.to_path_buf(),
        line: bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1,
        column: 1,
        message: "invalid UTF-8".into(),
    })?;
    let document: super::strict::Document = serde_json::from_str(text).map_err(|e| Error::Syntax {
        path: path.to_path_buf(),
        line: e.line(),
        column: e.column(),
        message: format!("malformed JSON: {e}"),
    })?;
    match document {
        super::strict::Document::Array(entries) => {
            for (n, entry) in entries.into_iter().enumerate() {
                match entry {
                    Value::Object(fields) => rows.push(Row {
                        at: format!("{name}: entry {}", n + 1),
                        fields,
                        ..Row::default()
                    }),
                    _ => bad(0, 0, format!("entry {} is not an object", n + 1))?,
                }
            }
        }
        super::strict::Document::Object(entries) => {
            let mut seen: HashMap<String, usize> = HashMap::new();
            for (key, entry) in entries {
                let count = seen.entry(key.clone()).or_insert(0);
                *count += 1;
                if *count > 1 {
                    let line = super::strict::line_of_key(text, &key, *count - 1).unwrap_or(0);
                    let first = super::strict::line_of_key(text, &key, 0).unwrap_or(0);
                    bad(
                        line,
                        1,
                        format!(
                            "duplicate key {:?} (first at line {first})",
                            crate::text::escape_for_display(&key)
                        ),
                    )?;
                    continue;
                }
                let mut fields = match entry {
                    Value::Object(fields) => fields,
                    Value::Array(_) => {
                        bad(
                            0,
                            0,
                            format!("the value of key {key:?} must be a string or an object"),
                        )?;
                        continue;
                    }
                    other => Map::from_iter([(keyed.value.to_string(), other)]),
                };
                fields
                    .entry(keyed.id.to_string())
                    .or_insert_with(|| Value::String(key.clone()));
                rows.push(Row {
                    at: format!("{name}: key {key:?}"),
                    fields,
                    ..Row::default()
                });
            }
        }
        super::strict::Document::Other => {
            return Err(Error::Refused(format!(
                "{name}: expected a JSON array or an object keyed by id"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEYED: KeyedFields<'static> = KeyedFields {
        id: "id",
        value: "response",
    };

    #[test]
    fn nested_paths_reach_into_objects_and_arrays_and_exact_names_win() {
        let fields: Map<String, Value> = serde_json::from_str(
            r#"{"conversation": [{"text": "hi"}], "image": {"path": "a.png"}, "image.path": "exact.png"}"#,
        )
        .unwrap();
        assert_eq!(lookup(&fields, "conversation.0.text"), Some(&Value::from("hi")));
        assert_eq!(lookup(&fields, "image.path"), Some(&Value::from("exact.png")));
        assert_eq!(lookup(&fields, "conversation.1.text"), None);
    }

    #[test]
    fn crlf_files_give_the_same_line_numbers_as_lf_files() {
        let dir = tempfile::tempdir().unwrap();
        for (name, format, text) in [
            (
                "a.csv",
                TableFormat::Csv,
                "id,text\r\n1,a\r\n2,\"b\r\nc\"\r\n3,d\r\n",
            ),
            ("a.jsonl", TableFormat::Jsonl, "{\"id\":1}\r\n\r\n{\"id\":3}\r\n"),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            let (rows, _) = read(&path, format, KEYED, false).unwrap();
            let lines: Vec<usize> = rows.iter().map(|r| r.line).collect();
            let want: &[usize] = if format == TableFormat::Csv {
                &[2, 3, 5]
            } else {
                &[1, 3]
            };
            assert_eq!(lines, want, "{name}");
            assert!(rows[0].fields.contains_key("id"), "header without \\r");
        }
        let bad = dir.path().join("bad.jsonl");
        std::fs::write(&bad, "{\"id\":1}\r\n{oops\r\n").unwrap();
        let err = read(&bad, TableFormat::Jsonl, KEYED, false)
            .unwrap_err()
            .to_string();
        assert!(err.contains("bad.jsonl:2:"), "{err}");
    }

    #[test]
    fn a_json_object_keyed_by_id_keeps_file_order_and_fills_the_id() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.json");
        std::fs::write(&path, r#"{"v2-9": "no", "v2-1": {"response": "yes"}}"#).unwrap();
        let (rows, _) = read(&path, TableFormat::Json, KEYED, false).unwrap();
        let ids: Vec<String> = rows.iter().map(|r| r.text("id").unwrap()).collect();
        assert_eq!(ids, ["v2-9", "v2-1"]);
        assert_eq!(rows[0].text("response").as_deref(), Some("no"));
    }
}
