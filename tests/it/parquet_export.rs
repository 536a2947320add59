//! `safeaware export --format parquet`: items.parquet and the Hive-partitioned responses,
//! read back with the `parquet` crate's row reader.

use crate::common::*;
use parquet::basic::{LogicalType, Repetition, Type as Physical};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn sample_copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ds");
    copy_dataset(&bundled_dataset(), &dir);
    (tmp, dir)
}

fn export(dir: &Path, out: &Path, format: &str, extra: &[&str]) {
    succeeded(
        safeaware()
            .arg("export")
            .arg(dir)
            .args(["--format", format, "--images", "none", "--out"])
            .arg(out)
            .args(extra),
    );
}

/// A cell as JSON (lists as arrays), so rows compare with the JSONL export.
fn cell(field: &Field) -> Value {
    match field {
        Field::Null => Value::Null,
        Field::Bool(b) => json!(b),
        Field::Long(n) => json!(n),
        Field::Str(s) => json!(s),
        Field::ListInternal(list) => Value::Array(list.elements().iter().map(cell).collect()),
        other => panic!("unexpected cell type {other:?}"),
    }
}

/// Every row of a Parquet file, column name -> cell, in file order.
fn rows(path: &Path) -> Vec<BTreeMap<String, Value>> {
    let reader = SerializedFileReader::new(std::fs::File::open(path).unwrap()).unwrap();
    reader
        .get_row_iter(None)
        .unwrap()
        .map(|row| {
            row.unwrap()
                .get_column_iter()
                .map(|(name, field)| (name.clone(), cell(field)))
                .collect()
        })
        .collect()
}

/// Each leaf column: name -> (physical type, logical type, repetition of its top field).
fn schema(path: &Path) -> BTreeMap<String, (Physical, Option<LogicalType>, Repetition)> {
    let reader = SerializedFileReader::new(std::fs::File::open(path).unwrap()).unwrap();
    let descr = reader.metadata().file_metadata().schema_descr_ptr();
    descr
        .columns()
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let top = descr.get_column_root(i);
            (
                top.name().to_string(),
                (
                    c.physical_type(),
                    c.logical_type_ref().cloned(),
                    top.get_basic_info().repetition(),
                ),
            )
        })
        .collect()
}

fn jsonl_records(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn items_parquet_has_the_jsonl_fields_with_honest_types_in_dataset_order() {
    let (tmp, dir) = sample_copy();
    let (p, j) = (tmp.path().join("p"), tmp.path().join("j"));
    export(&dir, &p, "parquet", &[]);
    export(&dir, &j, "jsonl", &[]);
    let types = schema(&p.join("items.parquet"));
    let text = (Physical::BYTE_ARRAY, Some(LogicalType::String));
    for column in [
        "id", "sentence", "question", "subset", "gold", "status", "notes", "source",
    ] {
        let (physical, logical, repetition) = types[column].clone();
        assert_eq!((physical, logical), text, "{column}");
        assert_eq!(repetition, Repetition::REQUIRED, "{column}");
    }
    for column in [
        "image",
        "image_blake3",
        "scenario",
        "family",
        "attack_type",
        "base_scenario",
    ] {
        assert_eq!(types[column].2, Repetition::OPTIONAL, "{column} is nullable");
    }
    for column in ["image_bytes", "image_width", "image_height"] {
        assert_eq!(types[column].0, Physical::INT64, "{column}");
        assert_eq!(types[column].2, Repetition::OPTIONAL, "{column}");
    }
    assert_eq!(
        types["flags"].1,
        Some(LogicalType::String),
        "flags are a list of strings"
    );

    let parquet_rows = rows(&p.join("items.parquet"));
    let records = jsonl_records(&j.join("items.jsonl"));
    assert_eq!(
        parquet_rows.len(),
        33,
        "the rejected item is left out, as in JSONL"
    );
    assert_eq!(parquet_rows.len(), records.len());
    let dataset = safeaware::store::load(&dir).unwrap();
    for (row, record) in parquet_rows.iter().zip(&records) {
        for field in [
            "id",
            "image",
            "sentence",
            "question",
            "subset",
            "scenario",
            "gold",
            "status",
            "flags",
            "notes",
            "family",
            "attack_type",
            "base_scenario",
            "suggested_scenario",
            "suggestion_reason",
        ] {
            assert_eq!(row[field], record[field], "item {}: {field}", record["id"]);
        }
        assert_eq!(row["source"], record["provenance"]["source"]);
        let item = dataset.items.iter().find(|i| json!(i.id) == row["id"]).unwrap();
        let image = item.image.as_ref();
        assert_eq!(row["image_blake3"], json!(image.map(|i| &i.blake3)));
        assert_eq!(row["image_bytes"], json!(image.map(|i| i.bytes)));
        assert_eq!(row["image_width"], json!(image.map(|i| i.width)));
        assert_eq!(row["image_height"], json!(image.map(|i| i.height)));
    }
    // Dataset order, not sorted text order ("1", "10", "11", ... would come first).
    let ids: Vec<&Value> = parquet_rows.iter().map(|r| &r["id"]).collect();
    let expected: Vec<Value> = (1..=33).map(|n| json!(n.to_string())).collect();
    assert_eq!(ids, expected.iter().collect::<Vec<_>>());
    assert!(
        parquet_rows.iter().any(|r| r["family"].is_null())
            && parquet_rows.iter().any(|r| !r["family"].is_null()),
        "family is null where there is none"
    );
    assert!(
        parquet_rows
            .iter()
            .any(|r| r["flags"].as_array().is_some_and(|f| !f.is_empty()))
    );
}

#[test]
fn responses_are_long_format_one_hive_folder_per_model_and_give_the_reports_accuracy() {
    let (tmp, dir) = sample_copy();
    let out = tmp.path().join("p");
    export(&dir, &out, "parquet", &["--with-responses"]);
    assert_eq!(
        entries(&out.join("responses")),
        [
            "model=sample-cautious",
            "model=sample-noisy",
            "model=sample-permissive"
        ]
    );
    let items: BTreeMap<String, String> = rows(&out.join("items.parquet"))
        .into_iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().into(),
                r["subset"].as_str().unwrap().into(),
            )
        })
        .collect();
    let report = json(
        &safeaware()
            .arg("report")
            .arg(&dir)
            .args(["--format", "json"])
            .output()
            .unwrap(),
    );
    for model in report["models"].as_array().unwrap() {
        let name = model["model"].as_str().unwrap();
        let file = out.join(format!("responses/model={name}/part-0.parquet"));
        assert_eq!(entries(file.parent().unwrap()), ["part-0.parquet"]);
        let types = schema(&file);
        assert_eq!(
            types.keys().collect::<Vec<_>>(),
            ["correct", "id", "response", "rule", "verdict"],
            "the model is only in the folder name"
        );
        assert_eq!(types["correct"].0, Physical::BOOLEAN);
        assert_eq!(types["correct"].2, Repetition::OPTIONAL);
        let rows = rows(&file);
        let ids: Vec<u32> = rows
            .iter()
            .map(|r| r["id"].as_str().unwrap().parse().unwrap())
            .collect();
        assert!(
            ids.windows(2).all(|w| w[0] < w[1]),
            "{name}: rows in dataset order"
        );
        for row in &rows {
            assert!(!row["response"].as_str().unwrap().is_empty());
            assert!(
                !row["rule"].as_str().unwrap().is_empty(),
                "{name} {}: rule",
                row["id"]
            );
            assert_eq!(
                row["correct"].is_null(),
                row["verdict"] == "no_answer",
                "{name} {}: correct is null exactly when accuracy leaves the response out",
                row["id"]
            );
        }
        for subset in ["typical", "attack", "over_safety"] {
            let of_subset: Vec<_> = rows
                .iter()
                .filter(|r| items[r["id"].as_str().unwrap()] == subset)
                .collect();
            let correct = of_subset.iter().filter(|r| r["correct"] == json!(true)).count();
            let counted = of_subset.iter().filter(|r| !r["correct"].is_null()).count();
            assert_eq!(json!(counted), model[subset]["total"], "{name} {subset}");
            assert_eq!(json!(correct), model[subset]["correct"], "{name} {subset}");
        }
        assert_eq!(
            rows.iter().filter(|r| r["correct"].is_null()).count() as u64,
            model["no_answer"].as_u64().unwrap_or(0),
            "{name}"
        );
        assert_eq!(
            rows.iter().filter(|r| r["verdict"] == "unparsed").count() as u64,
            model["unparsed"].as_u64().unwrap(),
            "{name}: unparsed rows are there, counted wrong"
        );
    }
}

#[test]
fn string_ids_export_and_two_exports_are_byte_identical() {
    let (tmp, dir) = sample_copy();
    // Ids such as XSTest's `v2-1`: items and stored responses renamed.
    let mut dataset = safeaware::store::load(&dir).unwrap();
    let mut items = dataset.items.clone().into_vec();
    for item in &mut items {
        item.id = format!("v2-{}", item.id);
    }
    dataset = safeaware::model::Dataset::new(dataset.manifest.clone(), items);
    let lock = safeaware::store::DatasetLock::acquire(&dir).unwrap();
    safeaware::store::save(&lock, &dataset).unwrap();
    drop(lock);
    std::fs::remove_dir_all(dir.join("responses")).unwrap();
    let answers: String = (1..=34)
        .map(|n| format!("{{\"id\": \"v2-{n}\", \"response\": \"No.\"}}\n"))
        .collect();
    std::fs::write(tmp.path().join("no.jsonl"), answers).unwrap();
    let added = safeaware()
        .args(["responses", "add"])
        .arg(&dir)
        .args(["--model", "always-no"])
        .arg(tmp.path().join("no.jsonl"))
        .output()
        .unwrap();
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );

    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    export(&dir, &a, "parquet", &["--with-responses"]);
    export(&dir, &b, "parquet", &["--with-responses"]);
    for file in [
        "items.parquet",
        "responses/model=always-no/part-0.parquet",
        "manifest.json",
    ] {
        assert_eq!(
            std::fs::read(a.join(file)).unwrap(),
            std::fs::read(b.join(file)).unwrap(),
            "{file}"
        );
    }
    let ids: Vec<Value> = rows(&a.join("items.parquet"))
        .into_iter()
        .map(|r| r["id"].clone())
        .collect();
    assert_eq!(ids[0], "v2-1");
    assert_eq!(ids[9], "v2-10");
    let responses = rows(&a.join("responses/model=always-no/part-0.parquet"));
    assert_eq!(responses.len(), 33);
    assert_eq!(responses[0]["id"], "v2-1");
    assert!(
        responses
            .iter()
            .all(|r| r["verdict"] == "unsafe" && r["response"] == "No.")
    );
    let manifest: Value = serde_json::from_slice(&std::fs::read(a.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["format"], "parquet");
    let files: Vec<&str> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        ["items.parquet", "responses/model=always-no/part-0.parquet"]
    );
}

#[test]
fn agree_reads_annotator_columns_of_a_parquet_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sample");
    copy_dataset(&bundled_dataset(), &dir);
    let out = tmp.path().join("out");
    export(
        &dir,
        &out,
        "parquet",
        &["--include-rejected", "--keep-duplicates"],
    );
    let items = out.join("items.parquet");
    let report = json(&succeeded(safeaware().arg("agree").arg(&items).args([
        "--columns",
        "gold,gold",
        "--input-format",
        "parquet",
        "--format",
        "json",
    ])));
    let items = safeaware::store::load(&dir).unwrap().items.len();
    assert_eq!(report["items"], json!(items), "{report}");
    assert_eq!(report["pairs"][0]["agreement"], json!(1.0), "{report}");
}

#[test]
fn each_response_row_carries_its_items_text_whatever_the_files_order() {
    let (tmp, dir) = sample_copy();
    // A hand-written file: responses in reverse dataset order, one item answered twice
    // (the last answer counts, as for scoring), one item not answered at all.
    let mut entries: Vec<String> = (2..=34)
        .rev()
        .map(|i| format!("(item: \"{i}\", text: \"No, item {i} is unsafe.\\n\\\"quoted\\\"\")"))
        .collect();
    entries.push("(item: \"7\", text: \"Yes, item 7 on second thought.\")".into());
    let file = format!(
        "(model: (name: \"shuffled\"), responses: [{}])\n",
        entries.join(",\n")
    );
    std::fs::write(dir.join("responses/shuffled.ron"), file).unwrap();
    let out = tmp.path().join("p");
    export(&dir, &out, "parquet", &["--with-responses"]);
    let rows = rows(&out.join("responses/model=shuffled/part-0.parquet"));
    let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let expected: Vec<String> = (2..=33).map(|i| i.to_string()).collect();
    assert_eq!(
        ids, expected,
        "one row per answered item in dataset order (34 is rejected, so not exported)"
    );
    for row in &rows {
        let id = row["id"].as_str().unwrap();
        let text = row["response"].as_str().unwrap();
        if id == "7" {
            assert_eq!(text, "Yes, item 7 on second thought.");
            assert_eq!(row["verdict"], "safe", "the last answer is the one scored");
        } else {
            assert_eq!(text, format!("No, item {id} is unsafe.\n\"quoted\""));
            assert_eq!(row["verdict"], "unsafe", "item {id}");
        }
    }
}
