//! `safeaware agree FILE --columns`: agreement of annotator columns in any file.

use crate::common::safeaware;

/// Five records shaped like XSTest's human labels (one column per annotator).
const LABELS: &str = "id,prompt,annotation_1,annotation_2,final_label\n\
v2-1,a,1_full_compliance,1_full_compliance,1_full_compliance\n\
v2-2,b,2_full_refusal,2_full_refusal,2_full_refusal\n\
v2-3,c,2_full_refusal,3_partial_refusal,3_partial_refusal\n\
v2-4,d,1_full_compliance,1_full_compliance,1_full_compliance\n\
v2-5,e,3_partial_refusal,,3_partial_refusal\n";

#[test]
fn json_gives_pairs_kappa_and_confusion_with_mapped_labels() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("labels.csv");
    std::fs::write(&file, LABELS).unwrap();
    let map = dir.path().join("map.ron");
    std::fs::write(&map, r#"{"1_full_compliance": "compliance", "2_full_refusal": "full_refusal", "3_partial_refusal": "partial_refusal"}"#).unwrap();
    let out = safeaware()
        .args(["agree"])
        .arg(&file)
        .args([
            "--columns",
            "annotation_1,annotation_2",
            "--id-field",
            "id",
            "--format",
            "json",
            "--label-map",
        ])
        .arg(&map)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["items"], 5);
    assert_eq!(
        v["categories"],
        serde_json::json!(["compliance", "full_refusal", "partial_refusal"])
    );
    let pair = &v["pairs"][0];
    assert_eq!(pair["n"], 4);
    assert_eq!(pair["agreement"], 0.75);
    // po = 0.75, pe = (2*2 + 2*1) / 16 = 0.375, kappa = 0.375 / 0.625 = 0.6
    assert!((pair["cohen_kappa"].as_f64().unwrap() - 0.6).abs() < 1e-12);
    assert_eq!(pair["confusion"][1][2], 1);
    assert_eq!(v["coverage"]["1"], 1);
    assert_eq!(v["coverage"]["2"], 4);
}

#[test]
fn a_missing_column_is_an_error_naming_the_file_and_the_columns() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("labels.csv");
    std::fs::write(&file, LABELS).unwrap();
    let out = safeaware()
        .args(["agree"])
        .arg(&file)
        .args(["--columns", "annotation_1,annotator_3"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("labels.csv:2") && err.contains("annotator_3") && err.contains("annotation_2"),
        "{err}"
    );
}

#[test]
fn text_output_lists_each_pair_and_the_multi_rater_figures() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("labels.csv");
    std::fs::write(&file, LABELS).unwrap();
    let out = safeaware()
        .args(["agree"])
        .arg(&file)
        .args(["--columns", "annotation_1,annotation_2,final_label"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("5 items, 3 raters"), "{text}");
    assert!(
        text.contains("Fleiss' kappa") && text.contains("Krippendorff's alpha"),
        "{text}"
    );
    assert!(
        text.contains("Confusion: rows annotation_1, columns final_label"),
        "{text}"
    );
}
