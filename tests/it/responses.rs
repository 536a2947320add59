//! `safeaware responses` and `safeaware report` on the bundled sample and hand-made files.

use crate::common::*;
use predicates::str::contains;
use std::path::{Path, PathBuf};

fn sample_copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ds");
    copy_dataset(&bundled_dataset(), &dir);
    (tmp, dir)
}

fn add(dir: &Path, model: &str, file: &Path, extra: &[&str]) -> std::process::Output {
    safeaware()
        .args(["responses", "add"])
        .arg(dir)
        .args(["--model", model, "--output", "json"])
        .arg(file)
        .args(extra)
        .output()
        .unwrap()
}

fn responses_files(dir: &Path) -> Vec<String> {
    let folder = dir.join("responses");
    if folder.is_dir() { entries(&folder) } else { vec![] }
}

#[test]
fn jsonl_with_integer_ids_is_stored_and_problems_are_counted() {
    let (tmp, dir) = sample_copy();
    let file = tmp.path().join("r.jsonl");
    let mut lines: Vec<String> = (1..=30)
        .map(|i| format!("{{\"id\": {i}, \"response\": \"No.\"}}"))
        .collect();
    lines.push("{\"id\": 5, \"response\": \"Yes\"}".into());
    lines.push("{\"id\": 999, \"response\": \"No\"}".into());
    lines.push("{\"id\": \"31\", \"response\": \"   \"}".into());
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let out = add(&dir, "m1", &file, &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let s = json(&out);
    assert_eq!(s["records"], 33);
    assert_eq!(s["stored"], 31);
    assert_eq!(s["unknown_ids"]["count"], 1);
    assert!(
        s["unknown_ids"]["examples"][0]
            .as_str()
            .unwrap()
            .starts_with("999 (")
    );
    assert_eq!(s["duplicates"]["count"], 1);
    assert_eq!(s["empty"]["count"], 1);
    assert_eq!(s["missing"]["count"], 3, "items 32, 33, 34");
    let stored = safeaware::store::responses::load_model(&dir, "m1").unwrap();
    assert_eq!(
        stored.responses[4].text, "No.",
        "the first of duplicate ids is kept"
    );
    safeaware()
        .args(["responses", "list"])
        .arg(&dir)
        .assert()
        .success()
        .stdout(contains("m1"))
        .stdout(contains("31 responses"));
}

#[test]
fn a_byte_order_mark_at_the_start_of_a_responses_file_is_ignored() {
    let (tmp, dir) = sample_copy();
    for (name, text) in [
        ("b.jsonl", "\u{feff}{\"id\": 1, \"response\": \"No\"}\n"),
        ("b.csv", "\u{feff}id,response\n1,No\n"),
    ] {
        let file = tmp.path().join(name);
        std::fs::write(&file, text).unwrap();
        let out = add(&dir, "bom", &file, &[]);
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(json(&out)["stored"], 1, "{name}");
    }
}

#[test]
fn csv_tsv_and_json_layouts_with_custom_fields() {
    let (tmp, dir) = sample_copy();
    let csv = tmp.path().join("r.csv");
    std::fs::write(
        &csv,
        "item_id,answer,extra\n1,\"No, because\nof the pills\",x\n2,Yes,y\n",
    )
    .unwrap();
    let out = add(
        &dir,
        "csv-model",
        &csv,
        &["--id-field", "item_id", "--response-field", "answer"],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(json(&out)["stored"], 2);
    let stored = safeaware::store::responses::load_model(&dir, "csv-model").unwrap();
    assert_eq!(stored.responses[0].text, "No, because\nof the pills");

    let tsv = tmp.path().join("r.tsv");
    std::fs::write(&tsv, "id\tresponse\n3\tNo\n").unwrap();
    assert_eq!(json(&add(&dir, "tsv-model", &tsv, &[]))["stored"], 1);

    let arr = tmp.path().join("a.json");
    std::fs::write(
        &arr,
        r#"[{"id": 1, "response": "No"}, {"id": "2", "response": "Yes"}]"#,
    )
    .unwrap();
    assert_eq!(json(&add(&dir, "json-array", &arr, &[]))["stored"], 2);
    let obj = tmp.path().join("o.json");
    std::fs::write(&obj, r#"{"1": "No", "2": {"response": "Yes"}}"#).unwrap();
    assert_eq!(json(&add(&dir, "json-object", &obj, &[]))["stored"], 2);

    let bad_column = add(&dir, "x", &csv, &[]);
    assert_eq!(bad_column.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&bad_column.stderr)
            .contains("no column \"id\" (columns: item_id, answer, extra)")
    );
}

fn assert_refused(dir: &Path, file: &Path, extra: &[&str], expected: &[&str]) {
    let before = responses_files(dir);
    let out = add(dir, "bad", file, extra);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    for e in expected {
        assert!(stderr.contains(e), "expected {e:?} in {stderr}");
    }
    assert_eq!(responses_files(dir), before, "nothing half-imported");
}

#[test]
fn bad_input_is_refused_whole_with_the_line_named() {
    let (tmp, dir) = sample_copy();
    let malformed = tmp.path().join("m.jsonl");
    std::fs::write(
        &malformed,
        "{\"id\": 1, \"response\": \"No\"}\n{\"id\": 2, \"response\": \"No\"\n",
    )
    .unwrap();
    assert_refused(&dir, &malformed, &[], &["m.jsonl:2", "malformed JSON"]);

    let utf8 = tmp.path().join("u.jsonl");
    std::fs::write(
        &utf8,
        b"{\"id\": 1, \"response\": \"No\"}\n{\"id\": 2, \"response\": \"N\xffo\"}\n",
    )
    .unwrap();
    assert_refused(
        &dir,
        &utf8,
        &[],
        &["u.jsonl is not UTF-8 at byte 52", "(line 2, column 25)"],
    );

    let huge = tmp.path().join("h.jsonl");
    let big = "A".repeat(10 * 1024 * 1024);
    std::fs::write(
        &huge,
        format!("{{\"id\": 1, \"response\": \"No\"}}\n{{\"id\": 2, \"response\": \"{big}\"}}\n"),
    )
    .unwrap();
    assert_refused(
        &dir,
        &huge,
        &[],
        &["h.jsonl:2", "response for id 2 is 10.0 MiB", "--max-bytes"],
    );

    let dupes = tmp.path().join("d.jsonl");
    std::fs::write(
        &dupes,
        "{\"id\": 1, \"response\": \"No\"}\n{\"id\": 1, \"response\": \"Yes\"}\n",
    )
    .unwrap();
    assert_refused(
        &dir,
        &dupes,
        &["--strict"],
        &["--strict: nothing imported", "1 duplicate ids"],
    );

    let wrong_type = tmp.path().join("w.jsonl");
    std::fs::write(&wrong_type, "{\"id\": 1.5, \"response\": \"No\"}\n").unwrap();
    assert_refused(
        &dir,
        &wrong_type,
        &[],
        &["w.jsonl:1", "must be an integer or a string"],
    );

    let skipped = add(&dir, "lenient", &malformed, &["--skip-bad"]);
    assert!(skipped.status.success());
    let s = json(&skipped);
    assert_eq!(
        (s["stored"].as_u64(), s["skipped"]["count"].as_u64()),
        (Some(1), Some(1))
    );
}

#[test]
fn report_matches_hand_computed_accuracies_in_every_format() {
    let (tmp, dir) = sample_copy();
    for model in ["sample-cautious", "sample-permissive", "sample-noisy"] {
        safeaware()
            .args(["responses", "remove"])
            .arg(&dir)
            .args(["--model", model])
            .assert()
            .success();
    }
    safeaware()
        .arg("report")
        .arg(&dir)
        .assert()
        .code(2)
        .stderr(contains("no stored responses"));
    // The sample: typical 1-14 and 32 and 34 (34 rejected), attack 15-17, over-safety 18-31 and 33.
    // "No" to everything: typical and attack all right, over-safety all wrong.
    let file = tmp.path().join("no.jsonl");
    let lines: Vec<String> = (1..=34)
        .map(|i| format!("{{\"id\": {i}, \"response\": \"No\"}}"))
        .collect();
    std::fs::write(&file, lines.join("\n")).unwrap();
    assert!(
        add(&dir, "always-no", &file, &["--display-name", "Always No"])
            .status
            .success()
    );
    // "Yes" except "I cannot tell" on the three attack items: over-safety right, typical wrong,
    // attack unparsed under strict but right under compat ("cannot" contains "no").
    let file = tmp.path().join("yes.jsonl");
    let lines: Vec<String> = (1..=34)
        .map(|i| {
            let text = if (15..=17).contains(&i) {
                "I cannot tell"
            } else {
                "Yes"
            };
            format!("{{\"id\": {i}, \"response\": \"{text}\"}}")
        })
        .collect();
    std::fs::write(&file, lines.join("\n")).unwrap();
    assert!(add(&dir, "mostly-yes", &file, &[]).status.success());

    let out = safeaware()
        .arg("report")
        .arg(&dir)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let r = json(&out);
    let no = &r["models"][0];
    assert_eq!(no["model"], "always-no");
    assert_eq!(
        (no["typical"]["correct"].as_u64(), no["typical"]["total"].as_u64()),
        (Some(15), Some(15)),
        "34 is rejected"
    );
    assert_eq!(no["attack"]["accuracy"], 100.0);
    assert_eq!(no["over_safety"]["accuracy"], 0.0);
    assert!((no["total_macro"].as_f64().unwrap() - 200.0 / 3.0).abs() < 1e-9);
    assert!((no["pooled"].as_f64().unwrap() - 100.0 * 18.0 / 33.0).abs() < 1e-9);
    assert_eq!(no["typical"]["ci95"].as_array().unwrap().len(), 2);
    let yes = &r["models"][1];
    assert_eq!(yes["attack"]["correct"], 0);
    assert_eq!(yes["unparsed"], 3);
    assert_eq!(yes["reader_differences"], 3);
    assert_eq!(r["excluded_rejected"], 1);
    assert_eq!(r["pairs"][0]["a_only_right"], 18);
    assert_eq!(r["pairs"][0]["b_only_right"], 15);

    let compat = json(
        &safeaware()
            .arg("report")
            .arg(&dir)
            .args(["--format", "json", "--reader", "compat"])
            .output()
            .unwrap(),
    );
    assert_eq!(
        compat["models"][1]["attack"]["correct"], 3,
        "the authors' rule reads 'cannot' as No"
    );

    let table = safeaware().arg("report").arg(&dir).output().unwrap();
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(
        text.contains("Always No") && text.contains("100.0") && text.contains("66.7"),
        "{text}"
    );
    let latex = String::from_utf8(
        safeaware()
            .arg("report")
            .arg(&dir)
            .args(["--format", "latex"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(
        latex.contains("\\toprule") && latex.contains("Always No & 100.0 & 100.0 & 0.0 & 66.7 \\\\"),
        "{latex}"
    );
    assert!(latex.contains("mostly-yes & 0.0 & 0.0 & 100.0 & 33.3"), "{latex}");
    let md = String::from_utf8(
        safeaware()
            .arg("report")
            .arg(&dir)
            .args(["--format", "markdown", "--by", "group"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(md.starts_with("| Group | Always No | mostly-yes | n |"), "{md}");

    let csv_out = safeaware()
        .arg("report")
        .arg(&dir)
        .args(["--format", "csv", "--by", "scenario"])
        .output()
        .unwrap();
    let mut reader = csv::Reader::from_reader(csv_out.stdout.as_slice());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "slice", "model", "correct", "total", "accuracy", "ci_low", "ci_high"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(
        rows.iter()
            .any(|r| &r[0] == "Self-Harm" && &r[1] == "always-no" && &r[4] == "100.0")
    );

    let only = json(
        &safeaware()
            .arg("report")
            .arg(&dir)
            .args(["--format", "json", "--models", "mostly-yes"])
            .output()
            .unwrap(),
    );
    assert_eq!(only["models"].as_array().unwrap().len(), 1);
    safeaware()
        .arg("report")
        .arg(&dir)
        .args(["--models", "gpt-9"])
        .assert()
        .code(2)
        .stderr(contains("no responses for model \"gpt-9\""));
}

#[test]
fn an_override_set_in_the_compare_view_is_stored_and_counted_by_report() {
    let (tmp, dir) = sample_copy();
    let keys = tmp.path().join("keys");
    // o opens the verdict chooser on the parsed verdict; two down is "unsafe".
    std::fs::write(&keys, "c\nRight\no\nj\nj\nEnter\nEsc\nq\n").unwrap();
    let out = safeaware()
        .arg("tui")
        .arg(&dir)
        .args(["--headless", "--size", "120x40", "--keys"])
        .arg(&keys)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let overrides = safeaware::store::responses::load_overrides(&dir).unwrap();
    assert_eq!(overrides.len(), 1);
    assert_eq!(
        (overrides[0].model.as_str(), overrides[0].item.as_str()),
        ("sample-noisy", "1")
    );
    assert_eq!(
        overrides[0].verdict,
        safeaware::model::Verdict::Unsafe,
        "chosen: parsed, safe, unsafe"
    );
    let report = json(
        &safeaware()
            .arg("report")
            .arg(&dir)
            .args(["--format", "json"])
            .output()
            .unwrap(),
    );
    let noisy = report["models"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["model"] == "sample-noisy")
        .unwrap();
    assert_eq!(noisy["overrides"], 1);
    let table = String::from_utf8(safeaware().arg("report").arg(&dir).output().unwrap().stdout).unwrap();
    assert!(table.contains("1 curator overrides"), "{table}");
}
