//! Hostile input: names and data that try to act on the terminal, special files posing as
//! images, and malformed files that used to be read silently.

mod common;

use common::*;

/// An OSC 52 sequence: writes "hi" to the clipboard of a terminal that prints it raw.
const OSC52: &str = "\x1b]52;c;aGk=\x07";

fn text_of(output: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn file_names_with_escape_sequences_never_reach_the_terminal_raw() {
    let tmp = tempfile::tempdir().unwrap();
    let release = small_release(tmp.path());
    std::fs::write(
        release.join("images").join(format!("{OSC52}.png")),
        png([1, 2, 3]),
    )
    .unwrap();
    let out = tmp.path().join(format!("ds{OSC52}"));
    let import = safeaware()
        .args(["import", "mmsafeaware"])
        .arg(&release)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(import.status.success(), "{}", text_of(&import));
    assert!(!text_of(&import).contains('\x1b'), "{}", text_of(&import));

    let mut dataset = safeaware::store::load(&out).unwrap();
    let image = dataset.items[0].image.as_mut().unwrap();
    image.path = format!("images/{OSC52}.png");
    let other_gold = match dataset.items[1].gold {
        safeaware::model::Gold::Safe => safeaware::model::Gold::Unsafe,
        _ => safeaware::model::Gold::Safe,
    };
    dataset.items[1]
        .provenance
        .gold_claims
        .push(safeaware::model::GoldClaim {
            source: format!("readme{OSC52}"),
            gold: other_gold,
        });
    safeaware::store::write_files(&out, &dataset).unwrap();
    std::fs::write(
        out.join("images").join(format!("stray{OSC52}.png")),
        png([9, 9, 9]),
    )
    .unwrap();

    let validate = safeaware().arg("validate").arg(&out).output().unwrap();
    let shown = text_of(&validate);
    assert!(shown.contains("\\x1b]52"), "{shown}");
    assert!(!shown.contains('\x1b'), "{shown}");

    let show = safeaware().arg("show").arg(&out).arg("1").output().unwrap();
    assert!(show.status.success(), "{}", text_of(&show));
    assert!(!text_of(&show).contains('\x1b'), "{}", text_of(&show));

    let json = safeaware()
        .arg("validate")
        .arg(&out)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(!String::from_utf8_lossy(&json.stdout).contains('\x1b'));
    assert!(report["findings"].as_array().unwrap().len() > 1);
}
