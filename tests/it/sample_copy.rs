//! With no DATASET, safeaware edits a working copy of the bundled sample in the user data
//! folder and never writes under the source tree.

use crate::common::*;
use predicates::str::contains;
use std::collections::BTreeMap;
use std::path::Path;

/// Every file under `dir` (relative path -> blake3 of its bytes), hidden files included.
fn hashes(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type().unwrap().is_dir() {
            for (sub, hash) in hashes(&entry.path()) {
                out.insert(format!("{name}/{sub}"), hash);
            }
        } else {
            let bytes = std::fs::read(entry.path()).unwrap();
            out.insert(name, blake3::hash(&bytes).to_hex().to_string());
        }
    }
    out
}

#[test]
fn an_edit_without_a_dataset_goes_to_the_working_copy_not_the_source_tree() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let before = hashes(&bundled_dataset());
    let data = tempfile::tempdir().unwrap();
    let keys = data.path().join("keys");
    std::fs::write(&keys, "f\nq\n").unwrap();
    let run = || {
        safeaware()
            .env("XDG_DATA_HOME", data.path())
            .current_dir(repo)
            .args(["--headless", "--keys"])
            .arg(&keys)
            .assert()
            .success()
    };
    let copy = data.path().join("safeaware").join("sample");
    run()
        .stderr(contains("made a working copy of the bundled sample"))
        .stderr(contains(copy.display().to_string()))
        .stderr(contains("saved item=1 field=status new=needs_fix"));
    assert_eq!(hashes(&bundled_dataset()), before, "dataset/ is byte-unchanged");
    let edited = safeaware::session::load_with_journal(&copy).unwrap();
    assert_eq!(edited.items[0].status, safeaware::model::Status::NeedsFix);

    let again = run();
    let stderr = String::from_utf8(again.get_output().stderr.clone()).unwrap();
    assert!(!stderr.contains("made a working copy"), "made once: {stderr}");
    assert_eq!(hashes(&bundled_dataset()), before);
}
