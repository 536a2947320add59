//! The command line itself: completions, the man page, argument edge cases.

use crate::common::*;
use predicates::str::contains;

#[test]
fn completions_name_every_subcommand_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let out = safeaware().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        for name in ["validate", "export", "responses", "completions", "man"] {
            assert!(script.contains(name), "{shell} completions lack {name}");
        }
    }
    safeaware()
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stderr(contains("bash"));
}

#[test]
fn man_prints_a_roff_page_with_the_subcommands() {
    let out = safeaware().arg("man").output().unwrap();
    assert!(out.status.success());
    let page = String::from_utf8(out.stdout).unwrap();
    // roff: after the string definitions (`.ie`/`.el`), the page opens with its title.
    let first = page
        .lines()
        .find(|l| !l.starts_with(".ie") && !l.starts_with(".el"))
        .unwrap();
    assert!(first.starts_with(".TH safeaware"), "{first}");
    assert!(page.contains(".SH NAME") && page.contains(".SH SUBCOMMANDS"));
    assert!(page.contains("validate") && page.contains("export"));
}

#[test]
fn a_where_query_may_start_with_a_negated_term() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ds");
    copy_dataset(&bundled_dataset(), &dir);
    let out = tmp.path().join("out");
    safeaware()
        .arg("export")
        .arg(&dir)
        .args(["--format", "jsonl", "--where", "-status:rejected", "--out"])
        .arg(&out)
        .assert()
        .success();
    assert!(out.join("manifest.json").is_file());
}

#[test]
fn a_where_query_naming_an_unknown_model_is_an_error_listing_the_models() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ds");
    copy_dataset(&bundled_dataset(), &dir);
    let out = tmp.path().join("out");
    safeaware()
        .arg("export")
        .arg(&dir)
        .args(["--format", "jsonl", "--where", "wrong:typo", "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(contains("\"typo\""))
        .stderr(contains("sample-cautious"))
        .stderr(contains("sample-permissive"));
    assert!(!out.exists());
}

#[test]
fn a_huge_headless_size_is_refused_clearly() {
    safeaware()
        .args(["tui", "--headless", "--size", "65535x65535"])
        .arg(bundled_dataset())
        .assert()
        .code(2)
        .stderr(contains("1 to 1000"));
}

#[test]
fn a_config_given_before_the_subcommand_is_honoured() {
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("config.ron");
    std::fs::write(&config, "(auto_advance: maybe)").unwrap();
    safeaware()
        .arg("--config")
        .arg(&config)
        .args(["tui", "--headless"])
        .arg(bundled_dataset())
        .assert()
        .code(2)
        .stderr(contains("config.ron:1:"));
}
