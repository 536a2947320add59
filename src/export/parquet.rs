//! Parquet for DuckDB, polars, Spark and Hugging Face `datasets`: `items.parquet` (one row
//! per item, the JSONL columns with honest types) and, with responses,
//! `responses/model=<name>/part-0.parquet` in long format (`id`, `response`, `verdict`,
//! `rule`, `correct`). The model is only in the folder name, as Hive partitioning expects:
//! `read_parquet('OUT/responses/**/*.parquet', hive_partitioning = true)` adds it back as a
//! `model` column. Written with the `parquet` crate's column writers (no arrow), Snappy.

use super::{Context, copy_images, same_path};
use crate::error::{Error, Result};
use crate::eval::item_verdicts::{ItemVerdict, item_verdicts};
use crate::eval::{self, refusal};
use crate::import::Progress;
use crate::model::Dataset;
use parquet::basic::Compression;
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use parquet::schema::types::ColumnPath;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

/// The file of the items inside a Parquet export.
pub const ITEMS_FILE: &str = "items.parquet";

/// The schema of `items.parquet`: text as UTF8, counts as INT64, absent values as nulls,
/// flags as a list of strings. Column order is the JSONL field order.
pub const ITEMS_SCHEMA: &str = "message item {
    required binary id (STRING);
    optional binary image (STRING);
    optional binary image_blake3 (STRING);
    optional int64 image_bytes;
    optional int64 image_width;
    optional int64 image_height;
    required binary sentence (STRING);
    required binary question (STRING);
    required binary subset (STRING);
    optional binary scenario (STRING);
    required binary gold (STRING);
    required binary status (STRING);
    required group flags (LIST) {
        repeated group list {
            required binary element (STRING);
        }
    }
    required binary notes (STRING);
    required binary source (STRING);
    optional binary family (STRING);
    optional binary attack_type (STRING);
    optional binary base_scenario (STRING);
    optional binary suggested_scenario (STRING);
    optional binary suggestion_reason (STRING);
}";

/// The schema of each model's responses: `correct` is null when no verdict could be read
/// (`report` counts those as wrong).
pub const RESPONSES_SCHEMA: &str = "message response {
    required binary id (STRING);
    required binary response (STRING);
    required binary verdict (STRING);
    required binary rule (STRING);
    optional boolean correct;
}";

/// The folder of one model's responses, relative to the export: `responses/model=<name>`.
/// Every byte of the name outside `A-Z a-z 0-9 - _ . ~` is written as `%XX` (the escaping
/// DuckDB, Spark and pandas decode in Hive partition values); stored model names are
/// already letters, digits, `.`, `_` and `-`, so in practice the name is kept as it is.
pub fn partition_folder(model: &str) -> String {
    let mut out = String::from("responses/model=");
    for byte in model.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// One column's cells, ready for the column writer: values plus definition (null or not)
/// and repetition (list) levels where the schema needs them.
enum Column {
    Text {
        values: Vec<ByteArray>,
        definitions: Option<Vec<i16>>,
    },
    Int {
        values: Vec<i64>,
        definitions: Vec<i16>,
    },
    Bool {
        values: Vec<bool>,
        definitions: Vec<i16>,
    },
    TextList {
        values: Vec<ByteArray>,
        definitions: Vec<i16>,
        repetitions: Vec<i16>,
    },
}

impl Column {
    /// A required text column.
    fn text<S: AsRef<str>>(cells: impl IntoIterator<Item = S>) -> Column {
        Column::Text {
            values: cells.into_iter().map(|s| ByteArray::from(s.as_ref())).collect(),
            definitions: None,
        }
    }

    /// A nullable text column.
    fn optional_text<S: AsRef<str>>(cells: impl IntoIterator<Item = Option<S>>) -> Column {
        let mut values = Vec::new();
        let mut definitions = Vec::new();
        for cell in cells {
            definitions.push(i16::from(cell.is_some()));
            values.extend(cell.map(|s| ByteArray::from(s.as_ref())));
        }
        Column::Text {
            values,
            definitions: Some(definitions),
        }
    }

    /// A nullable INT64 column.
    fn optional_int(cells: impl IntoIterator<Item = Option<i64>>) -> Column {
        let mut values = Vec::new();
        let mut definitions = Vec::new();
        for cell in cells {
            definitions.push(i16::from(cell.is_some()));
            values.extend(cell);
        }
        Column::Int { values, definitions }
    }

    /// A nullable BOOLEAN column.
    fn optional_bool(cells: impl IntoIterator<Item = Option<bool>>) -> Column {
        let mut values = Vec::new();
        let mut definitions = Vec::new();
        for cell in cells {
            definitions.push(i16::from(cell.is_some()));
            values.extend(cell);
        }
        Column::Bool { values, definitions }
    }

    /// A required list of strings (an empty list is `[]`, not null): definition level 0 for
    /// an empty list, 1 for an element; repetition 0 starts a row, 1 continues its list.
    fn text_list<'a, L: IntoIterator<Item = &'a String>>(rows: impl IntoIterator<Item = L>) -> Column {
        let mut values = Vec::new();
        let mut definitions = Vec::new();
        let mut repetitions = Vec::new();
        for row in rows {
            let mut first = true;
            for element in row {
                values.push(ByteArray::from(element.as_str()));
                definitions.push(1);
                repetitions.push(if first { 0 } else { 1 });
                first = false;
            }
            if first {
                definitions.push(0);
                repetitions.push(0);
            }
        }
        Column::TextList {
            values,
            definitions,
            repetitions,
        }
    }
}

/// Columns whose values never repeat: a dictionary would only cost time before the writer
/// falls back to plain encoding. (Responses, sentences and image paths do repeat: judgment
/// answers are mostly "No." or "Yes.", and the release reuses images.)
const UNIQUE_TEXT: [&str; 1] = ["id"];

/// Writes `columns` (in the schema's leaf order) as one row group of a Snappy Parquet file.
fn write_file(path: &Path, schema: &str, columns: Vec<Column>) -> Result<()> {
    let broken = |e: parquet::errors::ParquetError| {
        Error::Refused(format!("{}: writing Parquet: {e}", path.display()))
    };
    let schema = Arc::new(parse_message_type(schema).map_err(broken)?);
    let properties = Arc::new(
        UNIQUE_TEXT
            .iter()
            .fold(
                WriterProperties::builder().set_compression(Compression::SNAPPY),
                |builder, column| builder.set_column_dictionary_enabled(ColumnPath::from(*column), false),
            )
            .build(),
    );
    let mut buffer = Vec::new();
    let mut writer = SerializedFileWriter::new(&mut buffer, schema, properties).map_err(broken)?;
    let mut row_group = writer.next_row_group().map_err(broken)?;
    for column in columns {
        let Some(mut out) = row_group.next_column().map_err(broken)? else {
            return Err(Error::Refused(format!(
                "{}: writing Parquet: more columns than the schema has",
                path.display()
            )));
        };
        match &column {
            Column::Text { values, definitions } => {
                out.typed::<ByteArrayType>()
                    .write_batch(values, definitions.as_deref(), None)
            }
            Column::Int { values, definitions } => {
                out.typed::<Int64Type>()
                    .write_batch(values, Some(definitions), None)
            }
            Column::Bool { values, definitions } => {
                out.typed::<BoolType>()
                    .write_batch(values, Some(definitions), None)
            }
            Column::TextList {
                values,
                definitions,
                repetitions,
            } => out
                .typed::<ByteArrayType>()
                .write_batch(values, Some(definitions), Some(repetitions)),
        }
        .map_err(broken)?;
        out.close().map_err(broken)?;
    }
    row_group.close().map_err(broken)?;
    writer.close().map_err(broken)?;
    crate::store::write_atomic(path, &buffer)
}

fn count(n: u64) -> Option<i64> {
    i64::try_from(n).ok()
}

/// `items.parquet`: the exported items in dataset order.
fn write_items(ctx: &Context, out: &Path) -> Result<()> {
    let items: Vec<_> = ctx.items().map(|(item, _)| item).collect();
    let relations: Vec<_> = ctx.relations().collect();
    let image = |f: fn(&crate::model::ImageRef) -> Option<i64>| {
        Column::optional_int(items.iter().map(|i| i.image.as_ref().and_then(f)))
    };
    let relation = |f: fn(&super::Relation) -> &Option<String>| {
        Column::optional_text(relations.iter().map(|r| f(r).as_deref()))
    };
    let columns = vec![
        Column::text(items.iter().map(|i| &i.id)),
        Column::optional_text(items.iter().map(|i| ctx.image_path(i))),
        Column::optional_text(items.iter().map(|i| i.image.as_ref().map(|img| &img.blake3))),
        image(|img| count(img.bytes)),
        image(|img| count(u64::from(img.width))),
        image(|img| count(u64::from(img.height))),
        Column::text(items.iter().map(|i| &i.sentence)),
        Column::text(
            items
                .iter()
                .map(|i| ctx.dataset.manifest.question_for(&i.sentence)),
        ),
        Column::text(items.iter().map(|i| i.subset.key())),
        Column::optional_text(items.iter().map(|i| i.scenario.as_deref())),
        Column::text(items.iter().map(|i| i.gold.key())),
        Column::text(items.iter().map(|i| i.status.key())),
        Column::text_list(items.iter().map(|i| &i.flags)),
        Column::text(items.iter().map(|i| &i.notes)),
        Column::text(items.iter().map(|i| &i.provenance.source)),
        relation(|r| &r.family),
        relation(|r| &r.attack_type),
        relation(|r| &r.base_scenario),
        relation(|r| &r.suggested_scenario),
        relation(|r| &r.suggestion_reason),
    ];
    write_file(&out.join(ITEMS_FILE), ITEMS_SCHEMA, columns)
}

/// Every stored model's scored responses, loaded before the writing starts (so that
/// [`super::export`] can load them while the family columns are computed).
pub(super) struct LoadedResponses {
    /// Per model (folder name order of the store): its name and its rows in dataset order.
    models: Vec<ModelRows>,
}

/// One model's rows, owned, so that their text moves into the Parquet pages uncopied.
struct ModelRows {
    name: String,
    rows: Vec<(ItemVerdict, String)>,
}

/// Reads and scores every stored model's responses of the dataset in `dir` with the strict
/// reader and the dataset's refusal rules: the verdicts and rules of `report --items`, for
/// every item (the export's selection is applied when writing).
pub(super) fn load_responses(dir: &Path, dataset: &Dataset) -> Result<LoadedResponses> {
    let (mut models, evaluation) = eval::load_and_evaluate(dir, dataset, eval::Reader::Strict, true)?;
    let reader = refusal::RefusalReader::new(&refusal::VerdictRules::for_dataset(dir)?);
    let verdicts = item_verdicts(&evaluation, dataset, &models, &reader);
    let mut by_name: HashMap<String, Vec<(ItemVerdict, String)>> = HashMap::new();
    let mut texts: Vec<HashMap<String, String>> = models
        .iter_mut()
        .map(|m| m.responses.drain(..).map(|r| (r.item, r.text)).collect())
        .collect();
    let position: HashMap<&str, usize> = evaluation
        .models
        .iter()
        .enumerate()
        .map(|(m, info)| (info.name.as_str(), m))
        .collect();
    for verdict in verdicts {
        let text = position
            .get(verdict.model.as_str())
            .and_then(|&m| texts.get_mut(m)?.remove(&verdict.id))
            .unwrap_or_default();
        by_name
            .entry(verdict.model.clone())
            .or_default()
            .push((verdict, text));
    }
    let models = evaluation
        .models
        .iter()
        .map(|info| ModelRows {
            name: info.name.clone(),
            rows: by_name.remove(&info.name).unwrap_or_default(),
        })
        .collect();
    Ok(LoadedResponses { models })
}

/// Moves a string's bytes into a Parquet value without copying them.
fn owned(text: String) -> ByteArray {
    ByteArray::from(text.into_bytes())
}

/// One model's file: its rows for the exported items, in dataset order.
fn write_model(out: &Path, model: ModelRows, exported: &HashSet<&str>) -> Result<()> {
    let mut ids = Vec::new();
    let mut responses = Vec::new();
    let mut verdicts = Vec::new();
    let mut rules = Vec::new();
    let mut correct = Vec::new();
    for (verdict, text) in model.rows {
        if exported.contains(verdict.id.as_str()) {
            ids.push(owned(verdict.id));
            responses.push(owned(text));
            verdicts.push(owned(verdict.verdict));
            rules.push(owned(verdict.rule));
            correct.push(verdict.correct);
        }
    }
    let required = |values| Column::Text {
        values,
        definitions: None,
    };
    let columns = vec![
        required(ids),
        required(responses),
        required(verdicts),
        required(rules),
        Column::optional_bool(correct),
    ];
    let folder = out.join(partition_folder(&model.name));
    std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
    write_file(&folder.join("part-0.parquet"), RESPONSES_SCHEMA, columns)
}

/// Writes the models' files, on as many threads as there are cores (each file is
/// independent; the output does not depend on the order they finish in).
fn write_responses(ctx: &Context, out: &Path, loaded: LoadedResponses) -> Result<()> {
    let exported: HashSet<&str> = ctx.items().map(|(item, _)| item.id.as_str()).collect();
    let workers = std::thread::available_parallelism().map_or(1, usize::from).max(1);
    let queue = std::sync::Mutex::new(loaded.models.into_iter());
    let next = || queue.lock().ok().and_then(|mut models| models.next());
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    while let Some(model) = next() {
                        write_model(out, model, &exported)?;
                    }
                    Ok(())
                })
            })
            .collect();
        handles.into_iter().try_for_each(|h| {
            h.join()
                .map_err(|_| Error::Refused("writing Parquet: a writer thread failed".into()))?
        })
    })
}

/// Writes `items.parquet`, the responses loaded by [`load_responses`] (with
/// `--with-responses`) and the images (with `--images copy`).
pub(super) fn write(
    ctx: &Context,
    out: &Path,
    responses: Option<LoadedResponses>,
    progress: Progress<'_>,
) -> Result<()> {
    write_items(ctx, out)?;
    if let Some(responses) = responses {
        write_responses(ctx, out, responses)?;
    }
    if ctx.options.copy_images {
        copy_images(ctx, out, &same_path, progress)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_folders_keep_safe_names_and_percent_encode_the_rest() {
        assert_eq!(partition_folder("gpt-4o_v1.2"), "responses/model=gpt-4o_v1.2");
        assert_eq!(partition_folder("a b/c=d%"), "responses/model=a%20b%2Fc%3Dd%25");
        assert_eq!(partition_folder("é"), "responses/model=%C3%A9");
    }
}
