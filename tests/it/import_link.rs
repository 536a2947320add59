//! A release imported with `--images link`: the dataset's `images/` and `images2/` are links
//! to the release's own folders, so nothing safeaware does may write through them.
#![cfg(unix)]

use crate::common::*;
use predicates::str::contains;
use std::collections::BTreeMap;
use std::path::Path;

/// Every file under `dir` with its bytes, to show a release came out unchanged.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let name = entry.path().strip_prefix(dir).unwrap().display().to_string();
            files.insert(name, std::fs::read(entry.path()).unwrap());
        }
    }
    files
}

fn import(release: &Path, out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    safeaware()
        .args(["import", "mmsafeaware"])
        .arg(release)
        .arg("--out")
        .arg(out)
        .args(extra)
        .assert()
}

#[test]
fn an_export_into_a_linked_image_folder_is_refused_and_the_release_is_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let release = linked_release(tmp.path());
    let out = tmp.path().join("ds");
    import(&release, &out, &["--images", "link"]).success();
    let before = snapshot(&release);
    for target in ["images2/export", "images/sub/export"] {
        safeaware()
            .arg("export")
            .arg(&out)
            .args(["--format", "jsonl", "--out"])
            .arg(out.join(target))
            .assert()
            .code(2)
            .stderr(contains("never writes into a linked source"));
    }
    assert_eq!(snapshot(&release), before, "nothing written into the release");
    safeaware()
        .arg("export")
        .arg(&out)
        .args(["--format", "jsonl", "--out"])
        .arg(tmp.path().join("export"))
        .assert()
        .success();
}

#[test]
fn replacing_or_failing_a_linked_import_never_removes_release_files() {
    let tmp = tempfile::tempdir().unwrap();
    let release = linked_release(tmp.path());
    let out = tmp.path().join("ds");
    let before = snapshot(&release);
    import(&release, &out, &["--images", "link"]).success();
    import(&release, &out, &["--images", "link", "--force"]).success();
    import(&release, &out, &["--force"]).success();
    assert!(
        !std::fs::symlink_metadata(out.join("images"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    import(&release, &out, &["--images", "link", "--force"]).success();
    assert_eq!(snapshot(&release), before, "replacing a linked dataset");

    // An import that fails after linking the folders drops its build folder, links only.
    std::fs::write(release.join("images/2.png"), b"not a png").unwrap();
    let before = snapshot(&release);
    let failed = tmp.path().join("failed");
    import(&release, &failed, &["--images", "link"])
        .code(2)
        .stderr(contains("images/2.png"));
    assert!(!failed.exists());
    assert_eq!(snapshot(&release), before, "a failed import");
}

#[test]
fn a_dataset_export_copies_the_linked_images_into_real_folders() {
    let tmp = tempfile::tempdir().unwrap();
    let release = linked_release(tmp.path());
    let out = tmp.path().join("ds");
    import(&release, &out, &["--images", "link"]).success();
    let exported = tmp.path().join("copy");
    safeaware()
        .arg("export")
        .arg(&out)
        .args([
            "--format",
            "ron",
            "--images",
            "copy",
            "--include-rejected",
            "--keep-duplicates",
            "--out",
        ])
        .arg(&exported)
        .assert()
        .success();
    for folder in ["images", "images2"] {
        assert!(
            std::fs::symlink_metadata(exported.join(folder)).unwrap().is_dir(),
            "{folder}"
        );
    }
    assert_eq!(
        std::fs::read(exported.join("images2/1000.png")).unwrap(),
        std::fs::read(release.join("images2/1000.png")).unwrap()
    );
    let report = json(
        &safeaware()
            .arg("validate")
            .arg(&exported)
            .args(["--format", "json"])
            .output()
            .unwrap(),
    );
    let kinds: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert!(!kinds.contains(&"missing_image"), "{kinds:?}");
}
