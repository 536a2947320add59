//! `safeaware config` and bad config files.

use crate::common::*;
use predicates::str::contains;

#[test]
fn print_defaults_shows_every_file_and_the_keymap_names_each_action() {
    safeaware()
        .args(["config", "--print-defaults"])
        .assert()
        .success()
        .stdout(contains("config.ron"))
        .stdout(contains("auto_advance: false"))
        .stdout(contains("\"gold_safe\": [\"y\"]"))
        .stdout(contains("\"redo\": [\"Ctrl-r\"]"))
        .stdout(contains("theme.ron"));
}

#[test]
fn a_bad_config_file_is_named_in_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("config.ron");
    std::fs::write(&config, "(auto_advance: maybe)").unwrap();
    safeaware()
        .args(["tui", "--headless", "--config"])
        .arg(&config)
        .arg(bundled_dataset())
        .assert()
        .code(2)
        .stderr(contains("config.ron:1:"));
    std::fs::write(&config, "(mouse: false)").unwrap();
    std::fs::write(tmp.path().join("keymap.ron"), "{\"acept\": [\"a\"]}").unwrap();
    safeaware()
        .args(["tui", "--headless", "--config"])
        .arg(&config)
        .arg(bundled_dataset())
        .assert()
        .code(2)
        .stderr(contains("keymap.ron"))
        .stderr(contains("unknown action \"acept\""));
}

#[test]
fn a_keymap_override_changes_the_key_in_headless_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ds");
    copy_dataset(&bundled_dataset(), &dir);
    let config = tmp.path().join("config.ron");
    std::fs::write(&config, "(curator: Some(\"ana\"))").unwrap();
    std::fs::write(
        tmp.path().join("keymap.ron"),
        "{\"down\": [\"Ctrl-n\"], \"reject\": [\"X\"]}",
    )
    .unwrap();
    let keys = tmp.path().join("keys");
    std::fs::write(&keys, "Ctrl-n\nCtrl-n\nCtrl-n\nX\nq\n").unwrap();
    safeaware()
        .args(["tui", "--headless", "--config"])
        .arg(&config)
        .arg(&dir)
        .arg("--keys")
        .arg(&keys)
        .assert()
        .success()
        .stderr(contains("saved item=4 field=status new=rejected"));
    let history = safeaware::session::item_history(&dir, "4").unwrap();
    assert_eq!(history[0].curator, "ana");
}
