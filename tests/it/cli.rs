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

#[test]
fn show_lists_the_items_edits_with_local_time_and_curator() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ds");
    copy_dataset(&bundled_dataset(), &dir);
    let keys = tmp.path().join("keys");
    std::fs::write(&keys, "f\nq\n").unwrap();
    safeaware()
        .env("USER", "ana")
        .args(["tui", "--headless", "--keys"])
        .arg(&keys)
        .arg(&dir)
        .assert()
        .success();
    let out = safeaware()
        .env("TZ", "UTC")
        .args(["show", "--no-image"])
        .arg(&dir)
        .arg("1")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text
        .lines()
        .skip_while(|l| *l != "History")
        .nth(1)
        .unwrap_or_else(|| panic!("no history in {text}"));
    // `  2026-12-01 14:03  ana  status: accepted -> needs_fix`
    let date = &line[2..18];
    assert!(
        date.chars().enumerate().all(|(n, c)| match n {
            4 | 7 => c == '-',
            10 => c == ' ',
            13 => c == ':',
            _ => c.is_ascii_digit(),
        }),
        "{line}"
    );
    assert!(line.ends_with("ana  status: accepted -> needs_fix"), "{line}");
}

#[test]
fn a_locked_dataset_names_the_holder_and_when_in_local_time() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ds");
    copy_dataset(&bundled_dataset(), &dir);
    let _lock = safeaware::store::DatasetLock::acquire(&dir).unwrap();
    let out = safeaware()
        .env("TZ", "UTC")
        .args(["responses", "remove", "--model", "sample-cautious"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let today = safeaware::time::rfc3339(safeaware::store::unix_now());
    assert!(stderr.contains("locked by pid"), "{stderr}");
    assert!(!stderr.contains("unix time"), "{stderr}");
    assert!(stderr.contains(&today[..10]), "{stderr}");
}

#[test]
fn tables_align_cjk_and_emoji_model_names_by_display_width() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ds");
    copy_dataset(&bundled_dataset(), &dir);
    let file = tmp.path().join("r.jsonl");
    std::fs::write(
        &file,
        "{\"id\": 1, \"response\": \"No\"}\n{\"id\": 2, \"response\": \"Yes\"}\n",
    )
    .unwrap();
    safeaware()
        .args(["responses", "add", "--model", "cjk", "--display-name", "模型🚀"])
        .arg(&dir)
        .arg(&file)
        .assert()
        .success();
    let width = safeaware::text::display_width;
    let report = safeaware().arg("report").arg(&dir).output().unwrap();
    let report = String::from_utf8(report.stdout).unwrap();
    let table: Vec<&str> = report.lines().take_while(|l| !l.is_empty()).collect();
    assert!(table.iter().any(|l| l.starts_with("模型🚀")), "{report}");
    assert!(
        table.iter().all(|l| width(l) == width(table[0])),
        "every row as wide as the header:\n{report}"
    );
    let list = safeaware()
        .args(["responses", "list"])
        .arg(&dir)
        .output()
        .unwrap();
    let list = String::from_utf8(list.stdout).unwrap();
    let counts: Vec<usize> = list
        .lines()
        .map(|l| width(&l[..l.find(" responses").unwrap()]))
        .collect();
    assert!(counts.iter().all(|&c| c == counts[0]), "{list}");
}

#[test]
fn help_lists_the_values_of_every_choice() {
    for (args, values) in [
        (
            &["report", "--help"][..],
            &["table", "markdown", "latex", "scenario", "compat"][..],
        ),
        (
            &["responses", "add", "--help"],
            &["jsonl", "tsv", "judgment", "refusal"],
        ),
        (&["export", "--help"], &["jsonl", "mmsafeaware", "none"]),
        (&["import", "mmsafeaware", "--help"], &["copy", "link"]),
    ] {
        let out = safeaware().args(args).output().unwrap();
        let help = String::from_utf8(out.stdout).unwrap();
        for value in values {
            assert!(help.contains(value), "{args:?} --help lacks {value}:\n{help}");
        }
    }
    safeaware()
        .args(["report", "--format", "pdf"])
        .arg(bundled_dataset())
        .assert()
        .code(2)
        .stderr(contains("possible values: table, markdown, csv, json, latex"));
}
