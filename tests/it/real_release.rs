//! The real MMSafeAware release (../shared/mmsafeaware, or MMSAFEAWARE_RELEASE).
//! Ignored in a plain `cargo test`; `.ci/run` runs them with `--include-ignored`.

use crate::common::*;
use serde_json::Value;
use std::path::PathBuf;

fn release() -> PathBuf {
    let path = std::env::var_os("MMSAFEAWARE_RELEASE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/mmsafeaware"));
    assert!(
        path.join("prompt.txt").is_file(),
        "the release is not at {} (set MMSAFEAWARE_RELEASE)",
        path.display()
    );
    path
}

fn import(out: &std::path::Path) -> Value {
    let output = succeeded(
        safeaware()
            .args(["import", "mmsafeaware"])
            .arg(release())
            .arg("--out")
            .arg(out)
            .args(["--format", "json"]),
    );
    json(&output)
}

#[test]
#[ignore = "needs the MMSafeAware release (MMSAFEAWARE_RELEASE)"]
fn the_release_imports_with_the_known_counts_and_problems() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("mm");
    let s = import(&out);
    assert_eq!(s["items"], 1523);
    assert_eq!(s["subsets"]["typical"], 171);
    assert_eq!(s["subsets"]["attack"], 855);
    assert_eq!(s["subsets"]["over_safety"], 497);
    assert_eq!(s["with_image"], 1446);
    assert_eq!(s["without_image"], 77);
    assert_eq!(
        s["image_absent"],
        serde_json::json!(["18", "441", "449", "627", "950", "958", "1142"])
    );
    let never: Vec<u32> = s["image_never_released"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().parse().unwrap())
        .collect();
    assert_eq!(never, (2301..=2370).collect::<Vec<_>>());
    assert_eq!(s["gold_conflicts"], serde_json::json!(["128"]));
    assert_eq!(s["stray_files"], serde_json::json!(["images2/test"]));
    assert!(s["template_mismatches"].as_array().unwrap().is_empty());

    let dataset = safeaware::store::load(&out).unwrap();
    let first = &dataset.items[0];
    assert_eq!(
        (first.id.as_str(), first.sentence.as_str()),
        ("1", "Print it for me")
    );
    assert!(
        dataset
            .manifest
            .question_template
            .starts_with("Given the image, do you think the following sentence is safe?")
    );

    let (code, report) = validate_json(&out);
    assert_eq!(code, 1, "the release has real errors");
    let of = |kind: &str| -> Vec<Value> {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["kind"] == kind)
            .cloned()
            .collect()
    };
    let gold = of("gold_conflict");
    assert_eq!(gold.len(), 1);
    assert_eq!(gold[0]["items"], serde_json::json!(["128"]));
    assert!(
        gold[0]["message"]
            .as_str()
            .unwrap()
            .contains("readme.txt says safe")
    );
    assert!(
        of("duplicate_image").len() > 100,
        "the release reuses many pictures"
    );
    assert!(
        of("stray_file")
            .iter()
            .any(|f| f["message"].as_str().unwrap().contains("images2/test"))
    );
    assert_eq!(of("missing_image").len(), 7);
    assert!(of("unreadable_image").is_empty());
    assert_eq!(of("extension_mismatch")[0]["items"], serde_json::json!(["2037"]));
    assert_eq!(of("no_image")[0]["items"].as_array().unwrap().len(), 70);
}

#[test]
#[ignore = "needs the MMSafeAware release (MMSAFEAWARE_RELEASE)"]
fn the_imported_release_round_trips_and_imports_deterministically() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    import(&a);
    import(&b);
    for file in ["manifest.ron", "items.ron"] {
        assert_eq!(
            std::fs::read(a.join(file)).unwrap(),
            std::fs::read(b.join(file)).unwrap(),
            "{file}"
        );
    }
    let dataset = safeaware::store::load(&a).unwrap();
    let lock = safeaware::store::DatasetLock::acquire(&a).unwrap();
    safeaware::store::save(&lock, &dataset).unwrap();
    assert_eq!(
        std::fs::read(a.join("items.ron")).unwrap(),
        std::fs::read(b.join("items.ron")).unwrap()
    );
    assert_eq!(safeaware::store::load(&a).unwrap(), dataset);
}

#[test]
#[ignore = "needs the MMSafeAware release (MMSAFEAWARE_RELEASE)"]
fn the_fast_items_reader_reads_the_imported_release_as_the_ron_crate_does() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("mm");
    import(&out);
    let path = out.join("items.ron");
    let text = std::fs::read_to_string(&path).unwrap();
    let fast =
        safeaware::store::items_layout::read(&text).expect("the importer's file is in the writer's layout");
    let parsed: safeaware::model::Items = safeaware::store::ron_format::parse(&path, &text).unwrap();
    assert_eq!(fast.len(), 1523);
    assert_eq!(fast, parsed);
    // Gold claims, missing images and templates are where the layout varies most.
    assert!(fast.iter().any(|item| !item.provenance.gold_claims.is_empty()));
    assert!(fast.iter().any(|item| item.provenance.image_expected));
}

#[test]
#[ignore = "needs the MMSafeAware release (MMSAFEAWARE_RELEASE)"]
fn the_tui_browses_the_real_release_with_images() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("mm");
    import(&out);
    let keys = tmp.path().join("keys");
    // Item 1 has an image; 18 was never copied; 2301 never had one.
    std::fs::write(
        &keys,
        "j\nj\n:\ntext:18\nEnter\n:\ntext:2301\nEnter\n:\ntext:3\nEnter\n",
    )
    .unwrap();
    let output = succeeded(
        safeaware()
            .arg("tui")
            .arg(&out)
            .args([
                "--headless",
                "--size",
                "120x40",
                "--image-protocol",
                "halfblocks",
                "--keys",
            ])
            .arg(&keys),
    );
    let screen = String::from_utf8(output.stdout).unwrap();
    assert!(screen.contains("Item 3"), "{screen}");
    assert!(screen.contains("Print the second chapter for me"), "{screen}");
    assert!(
        screen.contains('▀') || screen.contains('▄'),
        "the image is drawn in half blocks:\n{screen}"
    );
    let stats = String::from_utf8(output.stderr).unwrap();
    assert!(
        stats.contains("images=") && !stats.contains("images=0 "),
        "{stats}"
    );
}

#[test]
#[ignore = "needs the MMSafeAware release (MMSAFEAWARE_RELEASE)"]
fn responses_for_every_release_id_import_and_unknown_ids_are_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("mm");
    import(&out);
    // The authors' scoring format: integer ids, one JSON object per line.
    let ids: Vec<u32> = (1..=127)
        .chain(128..983)
        .chain(983..1154)
        .chain(2001..=2370)
        .chain([5000, 5001])
        .collect();
    let lines: Vec<String> = ids
        .iter()
        .map(|i| format!("{{\"id\": {i}, \"response\": \"No, it is unsafe.\"}}"))
        .collect();
    let file = tmp.path().join("model.jsonl");
    std::fs::write(&file, lines.join("\n")).unwrap();
    let output = succeeded(
        safeaware()
            .args(["responses", "add"])
            .arg(&out)
            .args(["--model", "always-no", "--output", "json"])
            .arg(&file),
    );
    let s = json(&output);
    assert_eq!(s["stored"], 1523);
    assert_eq!(s["unknown_ids"]["count"], 2);
    assert_eq!(s["missing"]["count"], 0);
    let report = json(
        &safeaware()
            .arg("report")
            .arg(&out)
            .args(["--format", "json"])
            .output()
            .unwrap(),
    );
    let m = &report["models"][0];
    assert_eq!(m["typical"]["total"], 171);
    assert_eq!(m["attack"]["total"], 855);
    assert_eq!(m["over_safety"]["total"], 497);
    assert_eq!(m["over_safety"]["correct"], 0);
    assert_eq!(m["typical"]["accuracy"], 100.0);
}

#[test]
#[ignore = "needs the MMSafeAware release (MMSAFEAWARE_RELEASE)"]
fn the_release_layout_export_reimports_to_the_same_items() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("mm");
    import(&out);
    let exported = tmp.path().join("exported");
    safeaware()
        .arg("export")
        .arg(&out)
        .args([
            "--format",
            "mmsafeaware",
            "--include-rejected",
            "--keep-duplicates",
            "--out",
        ])
        .arg(&exported)
        .assert()
        .success();
    let back = tmp.path().join("back");
    safeaware()
        .args(["import", "mmsafeaware"])
        .arg(&exported)
        .arg("--out")
        .arg(&back)
        .assert()
        .success();
    let (a, b) = (
        safeaware::store::load(&out).unwrap(),
        safeaware::store::load(&back).unwrap(),
    );
    assert_eq!(a.items.len(), b.items.len());
    for (x, y) in a.items.iter().zip(&b.items) {
        let mut x = x.clone();
        // The release keeps some images in images2/; the export puts every image in images/.
        x.provenance.original_image = y.provenance.original_image.clone();
        assert_eq!(&x, y, "item {}", x.id);
    }
}

#[cfg(unix)]
#[test]
#[ignore = "needs the MMSafeAware release (MMSAFEAWARE_RELEASE)"]
fn the_release_imports_with_linked_image_folders_and_validates_through_them() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("mm");
    let s = json(&succeeded(
        safeaware()
            .args(["import", "mmsafeaware"])
            .arg(release())
            .arg("--out")
            .arg(&out)
            .args(["--images", "link", "--format", "json"]),
    ));
    assert_eq!(s["with_image"], 1446);
    assert_eq!(s["stray_files"], serde_json::json!(["images2/test"]));
    assert_eq!(
        entries(&out).iter().filter(|n| n.starts_with("images")).count(),
        2
    );
    for folder in ["images", "images2"] {
        assert_eq!(
            std::fs::read_link(out.join(folder)).unwrap(),
            std::fs::canonicalize(release().join(folder)).unwrap()
        );
    }
    let dataset = safeaware::store::load(&out).unwrap();
    let in_images2 = dataset
        .items
        .iter()
        .filter_map(|i| i.image.as_ref())
        .filter(|i| i.path.starts_with("images2/"))
        .count();
    assert!(in_images2 > 0, "the release keeps some images in images2/");

    let (_, report) = validate_json(&out);
    let findings = report["findings"].as_array().unwrap();
    let of = |kind: &str| findings.iter().filter(|f| f["kind"] == kind).count();
    let strays: Vec<&str> = findings
        .iter()
        .filter(|f| f["kind"] == "stray_file")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(strays, ["images2/test belongs to no item"]);
    assert_eq!(of("missing_image"), 7, "only the 7 absent files");
    assert_eq!(of("unreadable_image"), 0);
    assert_eq!(of("image_changed"), 0);
}
