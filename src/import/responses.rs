//! Model responses from the files evaluation runs produce: JSONL (the authors'
//! `{"id": <int>, "response": <text>}`), CSV/TSV with a header, and JSON (an array of
//! objects, or an object keyed by id).
//!
//! Nothing is stored unless every file reads cleanly (or `skip_bad` is set); unknown ids,
//! duplicates, empty responses and items without a response are counted with examples,
//! and `strict` makes them errors.

use crate::error::{Error, IoContext, Result};
use crate::model::{Dataset, ModelInfo, ModelResponses, Response};
use crate::store::{self, ResponsesLock};
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The layout of a responses file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ResponseFormat {
    /// One JSON object per line.
    Jsonl,
    /// Comma-separated with a header row.
    Csv,
    /// Tab-separated with a header row.
    Tsv,
    /// A JSON array of objects, or an object keyed by id.
    Json,
}

impl ResponseFormat {
    /// The format a file name suggests.
    pub fn from_path(path: &Path) -> Option<ResponseFormat> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "jsonl" | "ndjson" => Some(ResponseFormat::Jsonl),
            "csv" => Some(ResponseFormat::Csv),
            "tsv" | "tab" => Some(ResponseFormat::Tsv),
            "json" => Some(ResponseFormat::Json),
            _ => None,
        }
    }
}

/// How to read responses files.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Force a format (default: from each file's extension).
    pub format: Option<ResponseFormat>,
    /// Field or column holding the item id.
    pub id_field: String,
    /// Field or column holding the response text.
    pub response_field: String,
    /// Largest response accepted, in bytes.
    pub max_bytes: usize,
    /// Skip malformed records (reporting them) instead of refusing the import.
    pub skip_bad: bool,
    /// Make unknown ids, duplicates, empty responses and items without a response errors.
    pub strict: bool,
}

impl Default for ReadOptions {
    fn default() -> ReadOptions {
        ReadOptions {
            format: None,
            id_field: "id".into(),
            response_field: "response".into(),
            max_bytes: 1 << 20,
            skip_bad: false,
            strict: false,
        }
    }
}

/// One response as read, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawResponse {
    /// The item id as text.
    pub id: String,
    /// The response.
    pub text: String,
    /// Where: `file:line` (or `file: entry N` for JSON documents).
    pub at: String,
}

/// A count with the first few examples.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Examples {
    /// How many.
    pub count: usize,
    /// The first ones.
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

/// What `responses add` did.
#[derive(Debug, Clone, Serialize)]
pub struct AddSummary {
    /// The model.
    pub model: String,
    /// Records read from the files.
    pub records: usize,
    /// Responses stored (one per known item).
    pub stored: usize,
    /// Ids that are not in the dataset (not stored).
    pub unknown_ids: Examples,
    /// Ids seen more than once (the first response is kept).
    pub duplicates: Examples,
    /// Empty or whitespace-only responses (stored; they read as unparsed).
    pub empty: Examples,
    /// Dataset items without a response.
    pub missing: Examples,
    /// Malformed records skipped with `skip_bad`.
    pub skipped: Examples,
    /// A file for this model existed and was replaced.
    pub replaced: bool,
}

fn bad(at: &str, message: String) -> Error {
    Error::Refused(format!("{at}: {message}"))
}

fn id_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) if n.is_u64() || n.is_i64() => Some(n.to_string()),
        _ => None,
    }
}

fn check_size(text: &str, id: &str, max: usize) -> std::result::Result<(), String> {
    if text.len() > max {
        return Err(format!(
            "the response for id {} is {:.1} MiB, over the limit of {:.1} MiB (raise it with --max-bytes)",
            crate::text::escape_for_display(id),
            text.len() as f64 / 1048576.0,
            max as f64 / 1048576.0
        ));
    }
    Ok(())
}

/// A record from an object: its id and response fields.
fn from_object(
    obj: &serde_json::Map<String, Value>,
    options: &ReadOptions,
    at: &str,
) -> std::result::Result<RawResponse, String> {
    let id = obj
        .get(&options.id_field)
        .ok_or_else(|| format!("no {:?} field", options.id_field))
        .and_then(|v| {
            id_of(v).ok_or_else(|| format!("field {:?} must be an integer or a string", options.id_field))
        })?;
    let text = match obj.get(&options.response_field) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) => String::new(),
        Some(_) => return Err(format!("field {:?} must be a string", options.response_field)),
        None => return Err(format!("no {:?} field", options.response_field)),
    };
    check_size(&text, &id, options.max_bytes)?;
    Ok(RawResponse {
        id,
        text,
        at: at.to_string(),
    })
}

/// Reads one file; malformed records are errors unless `skip_bad`, then they are listed.
pub fn read_file(path: &Path, options: &ReadOptions) -> Result<(Vec<RawResponse>, Examples)> {
    let format = options
        .format
        .or_else(|| ResponseFormat::from_path(path))
        .ok_or_else(|| {
            Error::Refused(format!(
                "{}: cannot tell the format from the extension; pass --format",
                path.display()
            ))
        })?;
    let mut bytes = std::fs::read(path).at(path)?;
    if !options.skip_bad || format == ResponseFormat::Json {
        bytes = crate::text::decode_utf8(path, bytes)?.into_bytes();
    }
    let bytes = crate::text::strip_bom(&bytes);
    let name = path.display().to_string();
    let mut out = Vec::new();
    let mut skipped = Examples::default();
    let mut record = |result: std::result::Result<RawResponse, String>, at: &str| -> Result<()> {
        match result {
            Ok(r) => out.push(r),
            Err(message) if options.skip_bad => skipped.push(format!("{at}: {message}")),
            Err(message) => return Err(bad(at, message)),
        }
        Ok(())
    };
    match format {
        ResponseFormat::Jsonl => {
            for (n, line) in bytes.split(|&b| b == b'\n').enumerate() {
                let at = format!("{name}:{}", n + 1);
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                let parsed = match std::str::from_utf8(line) {
                    Err(e) => Err(format!("invalid UTF-8 at column {}", e.valid_up_to() + 1)),
                    Ok(text) => match serde_json::from_str::<Value>(text) {
                        Err(e) => Err(format!("malformed JSON at column {}: {e}", e.column())),
                        Ok(Value::Object(obj)) => from_object(&obj, options, &at),
                        Ok(_) => Err("each line must be a JSON object".into()),
                    },
                };
                record(parsed, &at)?;
            }
        }
        ResponseFormat::Csv | ResponseFormat::Tsv => {
            let delimiter = if format == ResponseFormat::Tsv {
                b'\t'
            } else {
                b','
            };
            let unclosed = super::strict::unclosed_quote(bytes, delimiter);
            let readable = &bytes[..unclosed.map_or(bytes.len(), |q| q.record_start)];
            let mut reader = csv::ReaderBuilder::new()
                .delimiter(delimiter)
                .flexible(false)
                .from_reader(readable);
            let headers = reader
                .byte_headers()
                .map_err(|e| bad(&format!("{name}:1"), format!("bad header: {e}")))?
                .clone();
            let column = |field: &str| -> Result<usize> {
                headers.iter().position(|h| h == field.as_bytes()).ok_or_else(|| {
                    let known: Vec<String> = headers
                        .iter()
                        .map(|h| String::from_utf8_lossy(h).into_owned())
                        .collect();
                    bad(
                        &format!("{name}:1"),
                        format!("no column {field:?} (columns: {})", known.join(", ")),
                    )
                })
            };
            let (id_col, text_col) = (column(&options.id_field)?, column(&options.response_field)?);
            for row in reader.byte_records() {
                let (at, parsed) = match row {
                    Err(e) => {
                        let line = e.position().map(|p| p.line()).unwrap_or(0);
                        (format!("{name}:{line}"), Err(format!("malformed row: {e}")))
                    }
                    Ok(row) => {
                        let at = format!("{name}:{}", row.position().map(|p| p.line()).unwrap_or(0));
                        let field = |i: usize| {
                            std::str::from_utf8(row.get(i).unwrap_or_default()).map(str::to_string)
                        };
                        let parsed = match (field(id_col), field(text_col)) {
                            (Ok(id), Ok(text)) => {
                                check_size(&text, &id, options.max_bytes).map(|()| RawResponse {
                                    id: id.trim().to_string(),
                                    text,
                                    at: at.clone(),
                                })
                            }
                            _ => Err("invalid UTF-8".to_string()),
                        };
                        (at, parsed)
                    }
                };
                record(parsed, &at)?;
            }
            if let Some(q) = unclosed {
                let message = format!(
                    "a quote opened at column {} is never closed; the rest of the file would be read as one field",
                    q.column
                );
                record(Err(message), &format!("{name}:{}", q.line))?;
            }
        }
        ResponseFormat::Json => {
            let text = std::str::from_utf8(bytes).map_err(|e| {
                let prefix = &bytes[..e.valid_up_to()];
                let line = prefix.iter().filter(|&&b| b == b'\n').count() + 1;
                bad(&format!("{name}:{line}"), "invalid UTF-8".into())
            })?;
            let value: super::strict::Document = serde_json::from_str(text).map_err(|e| {
                bad(
                    &format!("{name}:{}:{}", e.line(), e.column()),
                    format!("malformed JSON: {e}"),
                )
            })?;
            match value {
                super::strict::Document::Array(entries) => {
                    for (n, entry) in entries.iter().enumerate() {
                        let at = format!("{name}: entry {}", n + 1);
                        let parsed = match entry {
                            Value::Object(obj) => from_object(obj, options, &at),
                            _ => Err("each entry must be an object".into()),
                        };
                        record(parsed, &at)?;
                    }
                }
                super::strict::Document::Object(entries) => {
                    let mut seen: HashMap<&str, usize> = HashMap::new();
                    for (key, entry) in &entries {
                        let count = seen.entry(key.as_str()).or_insert(0);
                        *count += 1;
                        if *count > 1 {
                            let line = super::strict::line_of_key(text, key, *count - 1).unwrap_or(0);
                            let first = super::strict::line_of_key(text, key, 0).unwrap_or(0);
                            let message = format!(
                                "duplicate key {:?} (first at line {first})",
                                crate::text::escape_for_display(key)
                            );
                            record(Err(message), &format!("{name}:{line}"))?;
                            continue;
                        }
                        let at = format!("{name}: key {key:?}");
                        let parsed = match entry {
                            Value::String(s) => check_size(s, key, options.max_bytes).map(|()| RawResponse {
                                id: key.trim().to_string(),
                                text: s.clone(),
                                at: at.clone(),
                            }),
                            Value::Object(obj) => match obj.get(&options.response_field) {
                                Some(Value::String(s)) => {
                                    check_size(s, key, options.max_bytes).map(|()| RawResponse {
                                        id: key.trim().to_string(),
                                        text: s.clone(),
                                        at: at.clone(),
                                    })
                                }
                                _ => Err(format!("no string field {:?}", options.response_field)),
                            },
                            _ => Err("each value must be a response string or an object".into()),
                        };
                        record(parsed, &at)?;
                    }
                }
                super::strict::Document::Other => {
                    return Err(bad(&name, "expected a JSON array or object".into()));
                }
            }
        }
    }
    Ok((out, skipped))
}

/// Reads `files` and stores them as the responses of `model` (under the responses lock,
/// so it works while an editor holds the dataset).
pub fn add(
    lock: &ResponsesLock,
    dataset: &Dataset,
    model: ModelInfo,
    files: &[PathBuf],
    options: &ReadOptions,
) -> Result<AddSummary> {
    store::responses::check_model_name(&model.name).map_err(Error::Refused)?;
    store::leftovers::clean_stale(&lock.dir().join(store::responses::RESPONSES_DIR));
    let mut raw = Vec::new();
    let mut skipped = Examples::default();
    for file in files {
        let (records, bad) = read_file(file, options)?;
        raw.extend(records);
        skipped.count += bad.count;
        skipped
            .examples
            .extend(bad.examples.into_iter().take(5 - skipped.examples.len().min(5)));
    }
    let mut summary = AddSummary {
        model: model.name.clone(),
        records: raw.len(),
        stored: 0,
        unknown_ids: Examples::default(),
        duplicates: Examples::default(),
        empty: Examples::default(),
        missing: Examples::default(),
        skipped,
        replaced: store::responses::model_names(lock.dir())?.contains(&model.name),
    };
    let mut by_item: Vec<Option<String>> = vec![None; dataset.items.len()];
    let mut seen = HashSet::new();
    for r in raw {
        let shown = crate::text::escape_for_display(&r.id).into_owned();
        if !seen.insert(r.id.clone()) {
            summary.duplicates.push(format!("{shown} ({})", r.at));
            continue;
        }
        let Some(i) = dataset.position(&r.id) else {
            summary.unknown_ids.push(format!("{shown} ({})", r.at));
            continue;
        };
        if r.text.trim().is_empty() {
            summary.empty.push(shown);
        }
        by_item[i] = Some(r.text);
    }
    for (i, text) in by_item.iter().enumerate() {
        if text.is_none() {
            summary
                .missing
                .push(crate::text::escape_for_display(&dataset.items[i].id).into_owned());
        }
    }
    if options.strict {
        let problems: Vec<String> = [
            ("unknown ids", &summary.unknown_ids),
            ("duplicate ids", &summary.duplicates),
            ("empty responses", &summary.empty),
            ("items without a response", &summary.missing),
        ]
        .iter()
        .filter(|(_, e)| e.count > 0)
        .map(|(what, e)| format!("{} {what} (e.g. {})", e.count, e.examples.join(", ")))
        .collect();
        if !problems.is_empty() {
            return Err(Error::Refused(format!(
                "--strict: nothing imported: {}",
                problems.join("; ")
            )));
        }
    }
    let responses: Vec<Response> = by_item
        .into_iter()
        .enumerate()
        .filter_map(|(i, text)| {
            text.map(|text| Response {
                item: dataset.items[i].id.clone(),
                text,
            })
        })
        .collect();
    summary.stored = responses.len();
    store::responses::save_model(lock, &ModelResponses { model, responses })?;
    Ok(summary)
}
