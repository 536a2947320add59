//! Parquet files (as Hugging Face datasets publish them) read row by row into JSON records
//! (the table reader hands them to every importer). Binary cells, such as an image column
//! stored as a `{bytes, path}` struct, are kept as bytes beside the record under their path.

use crate::error::{Error, IoContext, Result};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use serde_json::{Map, Number, Value};
use std::collections::HashMap;
use std::path::Path;

/// One Parquet row: its cells as JSON, binary cells by field path (null in `fields`).
#[derive(Debug, Clone, Default)]
pub struct ParquetRow {
    /// The row's columns.
    pub fields: Map<String, Value>,
    /// Binary cells by field path (`image.bytes`).
    pub blobs: HashMap<String, Vec<u8>>,
}

/// Reads every row of the Parquet file at `path`, in file order.
pub fn read(path: &Path) -> Result<Vec<ParquetRow>> {
    let file = std::fs::File::open(path).at(path)?;
    let broken = |e: parquet::errors::ParquetError| {
        Error::Refused(format!("{}: not a readable Parquet file: {e}", path.display()))
    };
    let reader = SerializedFileReader::new(file).map_err(broken)?;
    let mut rows = Vec::new();
    for (n, row) in reader.get_row_iter(None).map_err(broken)?.enumerate() {
        let row = row.map_err(|e| Error::Refused(format!("{}: row {}: {e}", path.display(), n + 1)))?;
        let mut blobs = HashMap::new();
        let mut fields = Map::new();
        for (column, field) in row.get_column_iter() {
            fields.insert(column.clone(), to_json(field, column, &mut blobs));
        }
        rows.push(ParquetRow { fields, blobs });
    }
    Ok(rows)
}

/// One cell as JSON; bytes go to `blobs` under `path` and leave a null in their place.
fn to_json(field: &Field, path: &str, blobs: &mut HashMap<String, Vec<u8>>) -> Value {
    let number = |f: f64| Number::from_f64(f).map_or(Value::Null, Value::Number);
    match field {
        Field::Null => Value::Null,
        Field::Bool(b) => Value::Bool(*b),
        Field::Byte(n) => Value::from(*n),
        Field::Short(n) => Value::from(*n),
        Field::Int(n) => Value::from(*n),
        Field::Long(n) => Value::from(*n),
        Field::UByte(n) => Value::from(*n),
        Field::UShort(n) => Value::from(*n),
        Field::UInt(n) => Value::from(*n),
        Field::ULong(n) => Value::from(*n),
        Field::Float16(n) => number(f64::from(*n)),
        Field::Float(n) => number(f64::from(*n)),
        Field::Double(n) => number(*n),
        Field::Str(s) => Value::String(s.clone()),
        Field::Bytes(b) => {
            blobs.insert(path.to_string(), b.data().to_vec());
            Value::Null
        }
        Field::Group(row) => Value::Object(
            row.get_column_iter()
                .map(|(k, v)| (k.clone(), to_json(v, &format!("{path}.{k}"), blobs)))
                .collect(),
        ),
        Field::ListInternal(list) => Value::Array(
            list.elements()
                .iter()
                .enumerate()
                .map(|(i, v)| to_json(v, &format!("{path}.{i}"), blobs))
                .collect(),
        ),
        Field::MapInternal(map) => Value::Object(
            map.entries()
                .iter()
                .map(|(k, v)| {
                    let key = match k {
                        Field::Str(s) => s.clone(),
                        other => other.to_string(),
                    };
                    let value = to_json(v, &format!("{path}.{key}"), blobs);
                    (key, value)
                })
                .collect(),
        ),
        other => Value::String(other.to_string()),
    }
}

/// Test support: writes a small Parquet file with a utf8 `id`, utf8 `sentence` and an
/// `image` struct `{bytes, path}` (HF's layout), one row per entry.
#[cfg(test)]
pub(crate) fn write_test_file(path: &Path, rows: &[(&str, &str, Option<&[u8]>, &str)]) {
    use parquet::data_type::{ByteArray, ByteArrayType};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use std::sync::Arc;
    let schema = parquet::schema::parser::parse_message_type(
        "message item { required binary id (UTF8); required binary sentence (UTF8);
         optional group image { optional binary bytes; optional binary path (UTF8); } }",
    )
    .unwrap();
    let file = std::fs::File::create(path).unwrap();
    let props = Arc::new(WriterProperties::builder().build());
    let mut writer = SerializedFileWriter::new(file, Arc::new(schema), props).unwrap();
    let mut group = writer.next_row_group().unwrap();
    let ids: Vec<ByteArray> = rows.iter().map(|r| ByteArray::from(r.0)).collect();
    let sentences: Vec<ByteArray> = rows.iter().map(|r| ByteArray::from(r.1)).collect();
    let bytes: Vec<ByteArray> = rows
        .iter()
        .filter_map(|r| r.2.map(|b| ByteArray::from(b.to_vec())))
        .collect();
    let byte_levels: Vec<i16> = rows.iter().map(|r| if r.2.is_some() { 2 } else { 1 }).collect();
    let paths: Vec<ByteArray> = rows.iter().map(|r| ByteArray::from(r.3)).collect();
    let columns: [(&[ByteArray], Option<&[i16]>); 4] = [
        (&ids, None),
        (&sentences, None),
        (&bytes, Some(&byte_levels)),
        (&paths, Some(&vec![2; rows.len()])),
    ];
    for (values, levels) in columns {
        let mut column = group.next_column().unwrap().unwrap();
        column
            .typed::<ByteArrayType>()
            .write_batch(values, levels, None)
            .unwrap();
        column.close().unwrap();
    }
    group.close().unwrap();
    writer.close().unwrap();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_image_struct_keeps_its_bytes_and_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        write_test_file(
            &path,
            &[
                ("v2-1", "hello", Some(b"\x89PNG"), "a.png"),
                ("v2-2", "bye", None, "b.png"),
            ],
        );
        let rows = read(&path).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].fields["id"], "v2-1");
        assert_eq!(rows[0].fields["image"]["path"], "a.png");
        assert_eq!(rows[0].blobs["image.bytes"], b"\x89PNG");
        assert!(rows[1].blobs.is_empty());
    }

    fn png() -> Vec<u8> {
        let img = image::RgbImage::from_pixel(4, 3, image::Rgb([9, 8, 7]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn embedded_images_are_stored_under_their_hash_and_responses_read_too() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("hf.parquet");
        let bytes = png();
        write_test_file(
            &file,
            &[
                ("uuid-1", "look", Some(&bytes), "x.png"),
                ("uuid-2", "again", Some(&bytes), "y.png"),
            ],
        );
        let options = crate::import::generic::Options {
            format: crate::import::table::TableFormat::Parquet,
            items: crate::import::items::ItemOptions {
                set: [("subset".to_string(), "typical".to_string())].into(),
                ..Default::default()
            },
            name: None,
            force: false,
            skip_bad: false,
        };
        let out = dir.path().join("ds");
        let summary =
            crate::import::generic::import(&file, &out, &options, &crate::import::no_progress).unwrap();
        assert_eq!((summary.items, summary.with_image), (2, 2));
        let hash = blake3::hash(&bytes).to_hex().to_string();
        let stored = out.join("images").join(format!("{hash}.png"));
        assert_eq!(std::fs::read(stored).unwrap(), bytes);
        assert_eq!(std::fs::read_dir(out.join("images")).unwrap().count(), 1);
        let read = crate::import::responses::ReadOptions {
            response_field: "sentence".into(),
            ..Default::default()
        };
        let (responses, _) = crate::import::responses::read_file(&file, &read).unwrap();
        assert_eq!(responses[1].id, "uuid-2");
        assert_eq!(responses[1].text.as_deref(), Some("again"));
    }

    #[test]
    fn image_paths_in_a_struct_are_read_relative_to_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x.png"), png()).unwrap();
        let file = dir.path().join("hf.parquet");
        write_test_file(&file, &[("a", "look", None, "x.png")]);
        let options = crate::import::generic::Options {
            format: crate::import::table::TableFormat::Parquet,
            items: crate::import::items::ItemOptions {
                map: [("image".to_string(), "image.path".to_string())].into(),
                set: [("subset".to_string(), "typical".to_string())].into(),
                ..Default::default()
            },
            name: None,
            force: false,
            skip_bad: false,
        };
        let out = dir.path().join("ds");
        let summary =
            crate::import::generic::import(&file, &out, &options, &crate::import::no_progress).unwrap();
        assert_eq!(summary.with_image, 1);
        assert!(out.join("images/x.png").is_file());
    }
}
