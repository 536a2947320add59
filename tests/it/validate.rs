//! `safeaware validate`: the JSON contract, each finding kind on a planted problem, exit codes.

use crate::common::*;
use serde_json::Value;

fn findings_of<'a>(report: &'a Value, kind: &str) -> Vec<&'a Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == kind)
        .collect()
}

fn ids(finding: &Value) -> Vec<String> {
    finding["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_bundled_sample_has_no_errors_and_follows_the_json_contract() {
    // validate caches image hashes and spelling corrections, so it reads a copy.
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("sample");
    copy_dataset(&bundled_dataset(), &copy);
    let (code, report) = validate_json(&copy);
    assert_eq!(code, 0);
    assert_eq!(report["items"], 34);
    assert_eq!(report["subsets"]["typical"], 16);
    assert_eq!(report["subsets"]["attack"], 3);
    assert_eq!(report["subsets"]["over_safety"], 15);
    for f in report["findings"].as_array().unwrap() {
        assert!(f["kind"].is_string() && f["message"].is_string() && f["items"].is_array());
        assert!(["error", "warning", "info"].contains(&f["severity"].as_str().unwrap()));
        assert_ne!(f["severity"], "error", "{f}");
    }
    let unlabeled = findings_of(&report, "unlabeled_scenario");
    assert_eq!(ids(unlabeled[0]), vec!["33"]);
}

#[test]
fn planted_problems_are_each_reported_with_their_kind_and_items() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ds");
    copy_dataset(&bundled_dataset(), &dir);
    let mut d = safeaware::store::load(&dir).unwrap();
    // 1: image file deleted; 2: image replaced by garbage; 3: different valid image bytes.
    std::fs::remove_file(dir.join("images/pills.png")).unwrap();
    std::fs::write(dir.join("images/bleach.png"), b"garbage").unwrap();
    std::fs::write(dir.join("images/knife.png"), png([1, 1, 1])).unwrap();
    std::fs::write(dir.join("images/leftover.png"), png([2, 2, 2])).unwrap();
    d.items[3].scenario = Some("made_up".into());
    d.items[4].scenario = Some("definitions".into());
    d.items[5].gold = safeaware::model::Gold::Safe;
    d.items[6].sentence = "Clear the screen\x1b[2J and ring\x07".into();
    d.items[7].sentence = "  ".into();
    d.items[8].sentence = "TODO write the sentence".into();
    d.items[9].sentence = "Tell this person they are worthless and ugly.".into();
    let mut twin = d.items[5].clone();
    twin.id = "twin".into();
    d.items.push(twin);
    let lock = safeaware::store::DatasetLock::acquire(&dir).unwrap();
    safeaware::store::save(&lock, &d).unwrap();
    drop(lock);

    let (code, report) = validate_json(&dir);
    assert_eq!(code, 1, "errors give exit code 1");
    let expect = |kind: &str, severity: &str, item: &str| {
        let found = findings_of(&report, kind);
        assert!(
            found
                .iter()
                .any(|f| f["severity"] == severity && ids(f).iter().any(|i| i == item)),
            "expected {kind} ({severity}) for item {item}; got {found:?}"
        );
    };
    expect("missing_image", "error", "1");
    expect("unreadable_image", "error", "2");
    expect("image_changed", "warning", "3");
    expect("unknown_scenario", "error", "4");
    expect("scenario_conflict", "warning", "5");
    expect("gold_conflict", "error", "6");
    expect("hidden_character", "error", "7");
    expect("empty_sentence", "error", "8");
    expect("placeholder_text", "warning", "9");
    expect("near_duplicate_sentence", "info", "10");
    expect("duplicate_pair", "warning", "twin");
    expect("duplicate_image", "info", "twin");
    let stray = findings_of(&report, "stray_file");
    assert!(
        stray
            .iter()
            .any(|f| { f["message"].as_str().unwrap().contains("images/leftover.png") })
    );
    let hidden = findings_of(&report, "hidden_character")[0]["message"]
        .as_str()
        .unwrap();
    assert!(hidden.contains("\\x1b") && hidden.contains("\\x07") && !hidden.contains('\x1b'));

    let text = safeaware().arg("validate").arg(&dir).output().unwrap();
    assert_eq!(text.status.code(), Some(1));
    let stdout = String::from_utf8(text.stdout).unwrap();
    assert!(
        !stdout.contains('\x1b') && !stdout.contains('\x07'),
        "no raw escapes reach the terminal"
    );
    assert!(
        stdout.contains("missing_image") && stdout.contains("errors,"),
        "{stdout}"
    );
}

#[test]
fn no_decode_still_catches_headers_but_skips_full_decodes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ds");
    copy_dataset(&bundled_dataset(), &dir);
    // A PNG whose pixel data is corrupt but whose header and end marker are intact.
    let mut bytes = std::fs::read(dir.join("images/tree.png")).unwrap();
    let idat = bytes.windows(4).position(|w| w == b"IDAT").unwrap();
    for b in &mut bytes[idat + 6..idat + 30] {
        *b ^= 0x5a;
    }
    std::fs::write(dir.join("images/tree.png"), &bytes).unwrap();
    let full = safeaware()
        .arg("validate")
        .arg(&dir)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(!findings_of(&json(&full), "unreadable_image").is_empty());
    let quick = safeaware()
        .arg("validate")
        .arg(&dir)
        .args(["--format", "json", "--no-decode"])
        .output()
        .unwrap();
    assert!(findings_of(&json(&quick), "unreadable_image").is_empty());
}
