//! Parquet for DuckDB, polars, Spark and Hugging Face `datasets`: `items.parquet` (one row
//! per item, the JSONL columns with honest types) and, with responses,
//! `responses/model=<name>/part-0.parquet` in long format (`id`, `response`, `verdict`,
//! `rule`, `correct`). The model is only in the folder name, as Hive partitioning expects:
//! `read_parquet('OUT/responses/**/*.parquet', hive_partitioning = true)` adds it back as a
//! `model` column. Written with the `parquet` crate's column writers (no arrow), Snappy.

use super::{Context, copy_images, same_path};
use crate::error::{Error, Result};
use crate::eval::{Evaluation, item_verdicts, refusal};
use crate::import::Progress;
use crate::model::Dataset;
use crate::store::columns::StringColumn;
use crate::store::responses;
use bytes::Bytes;
use parquet::basic::Compression;
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use parquet::schema::types::ColumnPath;
use std::borrow::Cow;
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
/// and repetition (list) levels where the schema needs them, or a required text column
/// made row by row while it is written.
enum Column<'a> {
    Cells {
        rows: &'a [ResponseRow],
        cell: &'a dyn Fn(&ResponseRow) -> ByteArray,
    },
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

impl Column<'_> {
    /// A required text column whose cell of each row is `cell(row)`.
    fn cells<'a>(rows: &'a [ResponseRow], cell: &'a dyn Fn(&ResponseRow) -> ByteArray) -> Column<'a> {
        Column::Cells { rows, cell }
    }

    /// A required text column.
    fn text<S: AsRef<str>>(cells: impl IntoIterator<Item = S>) -> Column<'static> {
        Column::Text {
            values: cells.into_iter().map(|s| ByteArray::from(s.as_ref())).collect(),
            definitions: None,
        }
    }

    /// A nullable text column.
    fn optional_text<S: AsRef<str>>(cells: impl IntoIterator<Item = Option<S>>) -> Column<'static> {
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
    fn optional_int(cells: impl IntoIterator<Item = Option<i64>>) -> Column<'static> {
        let mut values = Vec::new();
        let mut definitions = Vec::new();
        for cell in cells {
            definitions.push(i16::from(cell.is_some()));
            values.extend(cell);
        }
        Column::Int { values, definitions }
    }

    /// A nullable BOOLEAN column.
    fn optional_bool(cells: impl IntoIterator<Item = Option<bool>>) -> Column<'static> {
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
    fn text_list<'a, L: IntoIterator<Item = &'a String>>(
        rows: impl IntoIterator<Item = L>,
    ) -> Column<'static> {
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

/// Rows per batch handed to the column writer when cells are made while writing: enough
/// to amortise the call, few enough that the batch stays in cache.
const CHUNK: usize = 8192;

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
            Column::Cells { rows, cell } => {
                let writer = out.typed::<ByteArrayType>();
                let mut values = Vec::with_capacity(CHUNK.min(rows.len()));
                rows.chunks(CHUNK)
                    .try_for_each(|chunk| {
                        values.clear();
                        values.extend(chunk.iter().map(cell));
                        writer.write_batch(&values, None, None).map(drop)
                    })
                    .map(|()| 0)
            }
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

/// A text column's cells as slices of shared buffers: each cell is a reference-counted
/// view, so no cell is copied or allocated on its way into the Parquet pages.
struct SharedText {
    bytes: Bytes,
    ends: Vec<u32>,
}

impl SharedText {
    fn new(column: StringColumn) -> SharedText {
        let (bytes, ends) = column.into_parts();
        SharedText {
            bytes: Bytes::from(bytes),
            ends,
        }
    }

    /// String `i` (empty when out of range).
    fn cell(&self, i: usize) -> ByteArray {
        let Some(&end) = self.ends.get(i) else {
            return ByteArray::from(Bytes::new());
        };
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        ByteArray::from(self.bytes.slice(start as usize..end as usize))
    }
}

/// One exported response: where its text is in the model's file, and how it was read.
struct ResponseRow {
    /// Position in the model's responses (None: the file no longer has it).
    at: Option<usize>,
    /// The dataset index of its item (for the id when `at` is None).
    item: usize,
    verdict: &'static str,
    rule: Cow<'static, str>,
    correct: Option<bool>,
}

/// Writes every model of `evaluation` (read from the dataset in `dir`) as
/// `responses/model=<name>/part-0.parquet` under `out`: one row per scored response of
/// the `exported` items (dataset indices, in that order), with the verdicts and rules of
/// `report --items`. Two models are written at a time (each file is independent).
pub(super) fn write_responses(
    dir: &Path,
    dataset: &Dataset,
    exported: &[usize],
    evaluation: &Evaluation,
    out: &Path,
) -> Result<()> {
    let refusal = refusal::RefusalReader::new(&refusal::VerdictRules::for_dataset(dir)?);
    let models = std::sync::atomic::AtomicUsize::new(0);
    let write_next = || -> Result<()> {
        loop {
            let m = models.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if m >= evaluation.models.len() {
                return Ok(());
            }
            write_model(dir, dataset, exported, evaluation, m, &refusal, out)?;
        }
    };
    std::thread::scope(|scope| {
        let other = scope.spawn(write_next);
        let mine = write_next();
        let theirs = other
            .join()
            .map_err(|_| Error::Refused("writing Parquet: a writer thread failed".into()))?;
        mine.and(theirs)
    })
}

/// Model `m`'s file.
fn write_model(
    dir: &Path,
    dataset: &Dataset,
    exported: &[usize],
    evaluation: &Evaluation,
    m: usize,
    refusal: &refusal::RefusalReader,
    out: &Path,
) -> Result<()> {
    let name = &evaluation.models[m].name;
    let (_, columns) = responses::read_model_columns(dir, name)?;
    // Each item's response (the last one when a file repeats an item), found in one pass:
    // a file written in dataset order needs no lookup.
    let mut position = vec![None; dataset.items.len()];
    let mut next = 0;
    for at in 0..columns.items.len() {
        let id = columns.items.get(at);
        let item = match dataset.items.get(next) {
            Some(item) if item.id == id => Some(next),
            _ => dataset.position(id),
        };
        if let Some(i) = item {
            position[i] = Some(at);
            next = i + 1;
        }
    }
    let scored = &evaluation.scored[m];
    let rows: Vec<ResponseRow> = exported
        .iter()
        .filter_map(|&i| {
            let (Some(Some(score)), Some(item)) = (scored.get(i), dataset.items.get(i)) else {
                return None;
            };
            let at = position[i];
            let verdict = score.verdict(evaluation.reader, item.gold);
            let text = at.map(|at| columns.texts.get(at));
            Some(ResponseRow {
                at,
                item: i,
                verdict: verdict.key(),
                rule: item_verdicts::rule(evaluation, m, score, verdict, text, refusal),
                correct: item_verdicts::correct(evaluation, score, item.gold),
            })
        })
        .collect();
    let ids = SharedText::new(columns.items);
    let texts = SharedText::new(columns.texts);
    let id = |r: &ResponseRow| match r.at {
        Some(at) => ids.cell(at),
        None => ByteArray::from(dataset.items[r.item].id.as_str()),
    };
    let response = |r: &ResponseRow| match r.at {
        Some(at) => texts.cell(at),
        None => ByteArray::from(Bytes::new()),
    };
    let verdict = |r: &ResponseRow| ByteArray::from(Bytes::from_static(r.verdict.as_bytes()));
    let rule = |r: &ResponseRow| match &r.rule {
        Cow::Borrowed(rule) => ByteArray::from(Bytes::from_static(rule.as_bytes())),
        Cow::Owned(rule) => ByteArray::from(rule.as_str()),
    };
    let columns = vec![
        Column::cells(&rows, &id),
        Column::cells(&rows, &response),
        Column::cells(&rows, &verdict),
        Column::cells(&rows, &rule),
        Column::optional_bool(rows.iter().map(|r| r.correct)),
    ];
    let folder = out.join(partition_folder(name));
    std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
    write_file(&folder.join("part-0.parquet"), RESPONSES_SCHEMA, columns)
}

/// Writes `items.parquet` and the images (with `--images copy`); the responses are
/// written beside the family columns by [`write_responses`].
pub(super) fn write(ctx: &Context, out: &Path, progress: Progress<'_>) -> Result<()> {
    write_items(ctx, out)?;
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
