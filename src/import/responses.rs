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
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// The layout of a responses file (the same formats every importer reads).
pub use super::table::TableFormat as ResponseFormat;

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
    /// Field holding the model's name: one response set per model (instead of one model).
    pub model_field: Option<String>,
    /// Field holding an external judge's verdict, stored beside each response.
    pub verdict_field: Option<String>,
    /// Raw judge labels -> verdict keys (labels that already are keys need no entry).
    pub judge_map: BTreeMap<String, String>,
    /// The verdict keys a judge label may become (the dataset protocol's).
    pub judge_keys: Vec<String>,
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
            model_field: None,
            verdict_field: None,
            judge_map: BTreeMap::new(),
            judge_keys: Vec::new(),
        }
    }
}

/// One response as read, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawResponse {
    /// The item id as text.
    pub id: String,
    /// The response; `None` when the field is null (counted as missing, not stored).
    pub text: Option<String>,
    /// Where: `file:line` (or `file: entry N` for JSON documents).
    pub at: String,
    /// The model, when read from a model field.
    pub model: Option<String>,
    /// The judge's verdict key, when a verdict field was named and the record has one.
    pub judge: Option<String>,
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
    /// Counts one more and keeps it as an example while there are fewer than five.
    pub fn push(&mut self, example: String) {
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
    /// Responses stored with an external judge's verdict.
    pub judged: usize,
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

/// A record from a row: its id, response, model and judge fields.
fn from_row(row: &super::table::Row, options: &ReadOptions) -> std::result::Result<RawResponse, String> {
    let id = row
        .get(&options.id_field)
        .ok_or_else(|| format!("no {:?} field", options.id_field))
        .and_then(|v| {
            id_of(v).ok_or_else(|| format!("field {:?} must be an integer or a string", options.id_field))
        })?;
    let text = match row.get(&options.response_field) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Null) => None,
        Some(_) => return Err(format!("field {:?} must be a string", options.response_field)),
        None => return Err(format!("no {:?} field", options.response_field)),
    };
    if let Some(text) = &text {
        check_size(text, &id, options.max_bytes)?;
    }
    let model = match &options.model_field {
        None => None,
        Some(field) => Some(
            row.text(field)
                .map(|m| m.trim().to_string())
                .filter(|m| !m.is_empty())
                .ok_or_else(|| format!("no model name in field {field:?}"))?,
        ),
    };
    let judge = match &options.verdict_field {
        None => None,
        Some(field) => match row.text(field).map(|l| l.trim().to_string()).filter(|l| !l.is_empty()) {
            None => None,
            Some(raw) => Some(
                options
                    .judge_map
                    .get(&raw)
                    .cloned()
                    .or_else(|| options.judge_keys.contains(&raw).then(|| raw.clone()))
                    .ok_or_else(|| {
                        format!(
                            "verdict {raw:?} in field {field:?} is not a verdict ({}); map it with --label-map FILE",
                            options.judge_keys.join(", ")
                        )
                    })?,
            ),
        },
    };
    Ok(RawResponse {
        id,
        text,
        at: row.at.clone(),
        model,
        judge,
    })
}

/// Reads one file; malformed records are errors unless `skip_bad`, then they are listed.
pub fn read_file(path: &Path, options: &ReadOptions) -> Result<(Vec<RawResponse>, Examples)> {
    let format = ResponseFormat::resolve(options.format, path)?;
    let keyed = super::table::KeyedFields {
        id: &options.id_field,
        value: &options.response_field,
    };
    let (rows, bad_rows) = super::table::read(path, format, keyed, options.skip_bad)?;
    if matches!(format, ResponseFormat::Csv | ResponseFormat::Tsv)
        && let Some(first) = rows.first()
    {
        let mut wanted = vec![&options.id_field, &options.response_field];
        wanted.extend(options.model_field.iter().chain(&options.verdict_field));
        if let Some(field) = wanted.into_iter().find(|f| !first.fields.contains_key(*f)) {
            let known = super::table::headers(path, format);
            return Err(bad(
                &format!("{}:1", path.display()),
                format!("no column {field:?} (columns: {})", known.join(", ")),
            ));
        }
    }
    let mut skipped = Examples::default();
    for why in bad_rows {
        skipped.push(why);
    }
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        match from_row(row, options) {
            Ok(r) => out.push(r),
            Err(message) if options.skip_bad => skipped.push(format!("{}: {message}", row.at)),
            Err(message) => return Err(bad(&row.at, message)),
        }
    }
    Ok((out, skipped))
}

/// Reads a judge label map (a RON map of raw label to verdict key).
pub fn read_label_map(path: &Path, keys: &[&str]) -> Result<BTreeMap<String, String>> {
    let text = crate::text::decode_utf8(path, std::fs::read(path).at(path)?)?;
    let map: BTreeMap<String, String> = ron::from_str(&text).map_err(|e| Error::Syntax {
        path: path.to_path_buf(),
        line: e.span.start.line,
        column: e.span.start.col,
        message: e.code.to_string(),
    })?;
    for (raw, verdict) in &map {
        if !keys.contains(&verdict.as_str()) {
            return Err(Error::Refused(format!(
                "{}: label {raw:?} maps to {verdict:?}, which is not a verdict (one of: {})",
                path.display(),
                keys.join(", ")
            )));
        }
    }
    Ok(map)
}

/// Reads `files` and stores them as the responses of `model` (under the responses lock,
/// so it works while an editor holds the dataset). With a model field, every model named
/// in it gets its own response set (named by the field; `model` gives the other details).
/// Storing no response at all is an error that says why.
pub fn add(
    lock: &ResponsesLock,
    dataset: &Dataset,
    model: ModelInfo,
    files: &[PathBuf],
    options: &ReadOptions,
) -> Result<Vec<AddSummary>> {
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
    let mut groups: Vec<(String, Vec<RawResponse>)> = Vec::new();
    for r in raw {
        let name = r.model.clone().unwrap_or_else(|| model.name.clone());
        match groups.iter_mut().find(|(n, _)| *n == name) {
            Some((_, group)) => group.push(r),
            None => groups.push((name, vec![r])),
        }
    }
    if groups.is_empty() {
        groups.push((model.name.clone(), Vec::new()));
    }
    let mut prepared = Vec::new();
    for (name, raw) in groups {
        store::responses::check_model_name(&name).map_err(Error::Refused)?;
        let info = ModelInfo {
            name: name.clone(),
            display_name: if options.model_field.is_some() {
                String::new()
            } else {
                model.display_name.clone()
            },
            ..model.clone()
        };
        prepared.push(collect(lock, dataset, info, raw, skipped.clone(), options)?);
    }
    let stored: usize = prepared.iter().map(|(s, _)| s.stored).sum();
    if stored == 0 {
        let s = &prepared[0].0;
        let why = if s.records == 0 {
            format!("no records read ({} malformed skipped)", s.skipped.count)
        } else {
            let nulls = s.records - s.unknown_ids.count - s.duplicates.count;
            format!(
                "of {} records, {} have an id not in the dataset (e.g. {}; check --id-field), {} repeat an id, {} have a null response",
                s.records,
                s.unknown_ids.count,
                s.unknown_ids.examples.join(", "),
                s.duplicates.count,
                nulls
            )
        };
        return Err(Error::Refused(format!("no responses stored: {why}")));
    }
    let mut summaries = Vec::new();
    for (summary, responses) in prepared {
        store::responses::save_model(lock, &responses)?;
        summaries.push(summary);
    }
    Ok(summaries)
}

/// One model's responses in dataset order, with the counts and examples of the summary.
fn collect(
    lock: &ResponsesLock,
    dataset: &Dataset,
    model: ModelInfo,
    raw: Vec<RawResponse>,
    skipped: Examples,
    options: &ReadOptions,
) -> Result<(AddSummary, ModelResponses)> {
    let mut summary = AddSummary {
        model: model.name.clone(),
        records: raw.len(),
        stored: 0,
        unknown_ids: Examples::default(),
        duplicates: Examples::default(),
        empty: Examples::default(),
        missing: Examples::default(),
        skipped,
        judged: 0,
        replaced: store::responses::model_names(lock.dir())?.contains(&model.name),
    };
    let mut by_item: Vec<Option<(String, Option<String>)>> = vec![None; dataset.items.len()];
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
        let Some(text) = r.text else {
            continue;
        };
        if text.trim().is_empty() {
            summary.empty.push(shown);
        }
        by_item[i] = Some((text, r.judge));
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
        .filter_map(|(i, found)| {
            found.map(|(text, judge)| Response {
                item: dataset.items[i].id.clone(),
                text,
                judge,
            })
        })
        .collect();
    summary.stored = responses.len();
    summary.judged = responses.iter().filter(|r| r.judge.is_some()).count();
    Ok((summary, ModelResponses { model, responses }))
}
