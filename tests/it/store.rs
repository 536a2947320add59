//! The dataset folder on disk: round trips, byte-stable saves, precise load errors, the lock.

use crate::common::*;
use predicates::str::contains;
use safeaware::Error;
use safeaware::model::Status;
use safeaware::store::{self, DatasetLock};

fn sample_copy() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ds");
    copy_dataset(&bundled_dataset(), &dir);
    (tmp, dir)
}

#[test]
fn load_save_load_keeps_every_item_and_saving_twice_is_byte_identical() {
    let (_tmp, dir) = sample_copy();
    let original = std::fs::read(dir.join("items.ron")).unwrap();
    let mut dataset = store::load(&dir).unwrap();
    let lock = DatasetLock::acquire(&dir).unwrap();
    store::save(&lock, &dataset).unwrap();
    assert_eq!(
        std::fs::read(dir.join("items.ron")).unwrap(),
        original,
        "an unchanged save rewrites the same bytes"
    );

    dataset.items[3].status = Status::Rejected;
    dataset.items[3].notes = "line one\nline two with \"quotes\" and \x1b escape".into();
    dataset.items[3].flags.insert("blurry".into());
    store::save(&lock, &dataset).unwrap();
    let first = std::fs::read(dir.join("items.ron")).unwrap();
    store::save(&lock, &dataset).unwrap();
    assert_eq!(std::fs::read(dir.join("items.ron")).unwrap(), first);
    assert_eq!(store::load(&dir).unwrap(), dataset);
}

#[test]
fn a_syntax_error_in_the_items_file_names_line_and_column() {
    let (_tmp, dir) = sample_copy();
    let text = std::fs::read_to_string(dir.join("items.ron")).unwrap();
    let broken = text.replacen("subset: typical,", "subset: typical", 1);
    std::fs::write(dir.join("items.ron"), &broken).unwrap();
    let line = broken
        .lines()
        .position(|l| l.trim() == "subset: typical")
        .unwrap()
        + 2;
    match store::load(&dir) {
        Err(Error::Syntax { line: l, column, .. }) => {
            assert_eq!(l, line);
            assert!(column > 1);
        }
        other => panic!("expected a syntax error, got {other:?}"),
    }
    safeaware()
        .arg("validate")
        .arg(&dir)
        .assert()
        .code(2)
        .stderr(contains(format!("items.ron:{line}:")));
}

#[test]
fn an_unknown_value_is_reported_with_its_position() {
    let (_tmp, dir) = sample_copy();
    let text = std::fs::read_to_string(dir.join("items.ron")).unwrap();
    std::fs::write(
        dir.join("items.ron"),
        text.replacen("status: accepted", "status: approved", 1),
    )
    .unwrap();
    let err = store::load(&dir).unwrap_err().to_string();
    assert!(err.contains("items.ron:") && err.contains("approved"), "{err}");
}

#[test]
fn an_image_path_that_escapes_the_dataset_is_refused_naming_the_item() {
    let (_tmp, dir) = sample_copy();
    let text = std::fs::read_to_string(dir.join("items.ron")).unwrap();
    std::fs::write(
        dir.join("items.ron"),
        text.replacen("images/bleach.png", "../../etc/passwd", 1),
    )
    .unwrap();
    let err = store::load(&dir).unwrap_err().to_string();
    assert!(
        err.contains("item 2") && err.contains("escapes the dataset folder"),
        "{err}"
    );
    assert!(err.contains("items.ron:"), "names the line: {err}");
}

#[test]
fn a_duplicate_id_in_the_items_file_is_refused() {
    let (_tmp, dir) = sample_copy();
    let text = std::fs::read_to_string(dir.join("items.ron")).unwrap();
    std::fs::write(dir.join("items.ron"), text.replacen("id: \"2\"", "id: \"1\"", 1)).unwrap();
    let err = store::load(&dir).unwrap_err().to_string();
    assert!(err.contains("item 1") && err.contains("duplicate id"), "{err}");
}

#[test]
fn a_newer_format_version_is_refused_with_advice() {
    let (_tmp, dir) = sample_copy();
    let text = std::fs::read_to_string(dir.join("manifest.ron")).unwrap();
    std::fs::write(
        dir.join("manifest.ron"),
        text.replacen(
            &format!("format_version: {}", safeaware::model::FORMAT_VERSION),
            "format_version: 99",
            1,
        ),
    )
    .unwrap();
    let err = store::load(&dir).unwrap_err().to_string();
    assert!(
        err.contains("manifest.ron") && err.contains("upgrade safeaware"),
        "{err}"
    );
}

#[test]
fn a_folder_that_is_not_a_dataset_is_named_as_such() {
    let tmp = tempfile::tempdir().unwrap();
    safeaware()
        .arg("validate")
        .arg(tmp.path())
        .assert()
        .code(2)
        .stderr(contains("is not a safeaware dataset"));
    safeaware()
        .arg("validate")
        .arg(tmp.path().join("nope"))
        .assert()
        .code(2)
        .stderr(contains("does not exist"));
}

#[test]
fn only_one_writer_holds_a_dataset() {
    let (_tmp, dir) = sample_copy();
    let lock = DatasetLock::acquire(&dir).unwrap();
    assert!(matches!(DatasetLock::acquire(&dir), Err(Error::Locked { .. })));
    drop(lock);
    DatasetLock::acquire(&dir).unwrap();
}
