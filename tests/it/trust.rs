//! Hostile input: names and data that try to act on the terminal, special files posing as
//! images, and malformed files that used to be read silently.

use crate::common::*;

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

#[test]
fn summary_and_validate_include_edits_still_in_the_journal() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ds");
    safeaware::synth::write_sample(&dir, false).unwrap();
    let before = safeaware()
        .arg("summary")
        .arg(&dir)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let rejected = json(&before)["statuses"]["rejected"].as_u64().unwrap();
    let (mut session, _) = safeaware::session::Session::open(&dir, "ana").unwrap();
    session
        .apply(vec![(
            "4".into(),
            safeaware::model::FieldValue::Status(safeaware::model::Status::Rejected),
        )])
        .unwrap();
    session
        .apply(vec![(
            "5".into(),
            safeaware::model::FieldValue::Scenario(Some("no_such_scenario".into())),
        )])
        .unwrap();
    // The TUI still holds the lock and has not compacted: items.ron is unchanged.
    let summary = safeaware()
        .arg("summary")
        .arg(&dir)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(summary.status.success(), "{}", text_of(&summary));
    assert_eq!(
        json(&summary)["statuses"]["rejected"].as_u64().unwrap(),
        rejected + 1
    );
    let validate = safeaware()
        .arg("validate")
        .arg(&dir)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let report = json(&validate);
    let unknown: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "unknown_scenario")
        .collect();
    assert_eq!(unknown.len(), 1, "{report}");
    assert_eq!(unknown[0]["items"], serde_json::json!(["5"]));
    drop(session);
}

fn mkfifo(path: &std::path::Path) {
    use std::os::unix::ffi::OsStrExt;
    let name = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o644) }, 0);
}

#[test]
fn a_fifo_or_a_device_posing_as_an_image_is_refused_not_read_forever() {
    let tmp = tempfile::tempdir().unwrap();
    let release = small_release(tmp.path());
    let fifo = release.join("images").join("2.png");
    std::fs::remove_file(&fifo).unwrap();
    mkfifo(&fifo);
    let import = safeaware()
        .args(["import", "mmsafeaware"])
        .arg(&release)
        .arg("--out")
        .arg(tmp.path().join("ds"))
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(import.status.code(), Some(2), "{}", text_of(&import));
    assert!(text_of(&import).contains("FIFO"), "{}", text_of(&import));

    // A dataset whose image became a FIFO or a link to /dev/zero after import.
    std::fs::remove_file(&fifo).unwrap();
    std::fs::write(&fifo, png([0, 0, 200])).unwrap();
    let out = tmp.path().join("ds");
    safeaware()
        .args(["import", "mmsafeaware"])
        .arg(&release)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    std::fs::remove_file(out.join("images/2.png")).unwrap();
    mkfifo(&out.join("images/2.png"));
    std::fs::remove_file(out.join("images/200.png")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", out.join("images/200.png")).unwrap();
    let validate = safeaware()
        .arg("validate")
        .arg(&out)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let shown = text_of(&validate);
    assert_eq!(validate.status.code(), Some(1), "{shown}");
    assert!(shown.contains("unreadable_image"), "{shown}");
    assert!(shown.contains("not a regular file"), "{shown}");
}

#[test]
fn images_over_max_image_bytes_are_refused_by_import_and_validate() {
    let tmp = tempfile::tempdir().unwrap();
    let release = small_release(tmp.path());
    let import = safeaware()
        .args(["import", "mmsafeaware"])
        .arg(&release)
        .arg("--out")
        .arg(tmp.path().join("ds"))
        .args(["--max-image-bytes", "10"])
        .output()
        .unwrap();
    assert_eq!(import.status.code(), Some(2), "{}", text_of(&import));
    assert!(
        text_of(&import).contains("over the limit"),
        "{}",
        text_of(&import)
    );
    let out = tmp.path().join("ds");
    safeaware()
        .args(["import", "mmsafeaware"])
        .arg(&release)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let validate = safeaware()
        .arg("validate")
        .arg(&out)
        .args(["--max-image-bytes", "10", "--format", "json"])
        .output()
        .unwrap();
    let report = json(&validate);
    assert_eq!(report["severities"]["error"], 3, "{report}");
}

fn sample_dataset(tmp: &std::path::Path) -> std::path::PathBuf {
    let dir = tmp.join("ds");
    safeaware::synth::write_sample(&dir, false).unwrap();
    dir
}

fn responses_add(dir: &std::path::Path, file: &std::path::Path, extra: &[&str]) -> std::process::Output {
    safeaware()
        .args(["responses", "add"])
        .arg(dir)
        .args(["--model", "m", "--output", "json"])
        .arg(file)
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn an_unclosed_csv_quote_is_an_error_naming_the_line_or_a_skipped_record() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = sample_dataset(tmp.path());
    let file = tmp.path().join("r.csv");
    std::fs::write(&file, "id,response\n1,No\n2,\"never closed\n3,Yes\n4,No\n").unwrap();
    let refused = responses_add(&dir, &file, &[]);
    assert_eq!(refused.status.code(), Some(2), "{}", text_of(&refused));
    assert!(text_of(&refused).contains("r.csv:3"), "{}", text_of(&refused));
    assert!(
        text_of(&refused).contains("never closed"),
        "{}",
        text_of(&refused)
    );
    let skipped = responses_add(&dir, &file, &["--skip-bad"]);
    assert!(skipped.status.success(), "{}", text_of(&skipped));
    let s = json(&skipped);
    assert_eq!(s["records"], 1);
    assert_eq!(s["skipped"]["count"], 1);

    let items = tmp.path().join("items.csv");
    std::fs::write(
        &items,
        "id,sentence,subset\n1,fine,typical\n2,\"open quote,typical\n3,gone,typical\n",
    )
    .unwrap();
    let import = safeaware()
        .args(["import", "csv"])
        .arg(&items)
        .arg("--out")
        .arg(tmp.path().join("imported"))
        .output()
        .unwrap();
    assert_eq!(import.status.code(), Some(2), "{}", text_of(&import));
    assert!(text_of(&import).contains("items.csv:3:"), "{}", text_of(&import));
    let lenient = safeaware()
        .args(["import", "csv"])
        .arg(&items)
        .arg("--out")
        .arg(tmp.path().join("imported"))
        .args(["--skip-bad", "--format", "json"])
        .output()
        .unwrap();
    assert!(lenient.status.success(), "{}", text_of(&lenient));
    let s = json(&lenient);
    assert_eq!(s["items"], 1);
    assert_eq!(s["skipped"].as_array().unwrap().len(), 1);
}

#[test]
fn duplicate_keys_in_a_json_object_are_an_error_naming_the_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = sample_dataset(tmp.path());
    let file = tmp.path().join("r.json");
    std::fs::write(
        &file,
        "{\n  \"1\": \"No\",\n  \"2\": \"Yes\",\n  \"1\": \"Yes\"\n}\n",
    )
    .unwrap();
    let refused = responses_add(&dir, &file, &[]);
    assert_eq!(refused.status.code(), Some(2), "{}", text_of(&refused));
    assert!(text_of(&refused).contains("r.json:4"), "{}", text_of(&refused));
    assert!(
        text_of(&refused).contains("duplicate key"),
        "{}",
        text_of(&refused)
    );
    let skipped = responses_add(&dir, &file, &["--skip-bad"]);
    assert!(skipped.status.success(), "{}", text_of(&skipped));
    let s = json(&skipped);
    assert_eq!(s["records"], 2);
    assert_eq!(s["skipped"]["count"], 1);
}

#[test]
fn mmsafeaware_export_with_responses_writes_the_authors_jsonl_per_model() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ds");
    copy_dataset(&bundled_dataset(), &dir);
    let out = tmp.path().join("release");
    let export = safeaware()
        .arg("export")
        .arg(&dir)
        .args(["--format", "mmsafeaware", "--with-responses", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(export.status.success(), "{}", text_of(&export));
    let models = safeaware::store::responses::model_names(&dir).unwrap();
    assert!(!models.is_empty());
    for model in &models {
        let path = out.join("responses").join(format!("{model}.jsonl"));
        let text = std::fs::read_to_string(&path).unwrap();
        let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
        assert!(first["id"].is_u64(), "{first}");
        assert!(first["response"].is_string(), "{first}");
        assert_eq!(first.as_object().unwrap().len(), 2);
        let stored = safeaware::store::responses::load_model(&dir, model).unwrap();
        let id = first["id"].as_u64().unwrap().to_string();
        let expected = stored.responses.iter().find(|r| r.item == id).unwrap();
        assert_eq!(first["response"], expected.text.as_str());
    }
}

/// The id of a process that has exited.
fn dead_pid() -> u32 {
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

#[test]
fn export_restores_a_target_a_killed_replace_set_aside_and_cleans_leftovers() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ds");
    copy_dataset(&bundled_dataset(), &dir);
    let out = tmp.path().join("export");
    let run = |force: bool| {
        let mut cmd = safeaware();
        cmd.arg("export")
            .arg(&dir)
            .args(["--format", "jsonl", "--out"])
            .arg(&out);
        if force {
            cmd.arg("--force");
        }
        cmd.output().unwrap()
    };
    assert!(run(false).status.success());
    let first = std::fs::read(out.join("manifest.json")).unwrap();
    // A run killed between "target aside" and "build in place", plus its build folder and a
    // temp file of another killed run.
    let dead = dead_pid();
    std::fs::rename(&out, tmp.path().join(format!(".safeaware-old-{dead}-export"))).unwrap();
    std::fs::create_dir(tmp.path().join(format!(".safeaware-build-{dead}-Ab12"))).unwrap();
    std::fs::write(tmp.path().join(format!(".safeaware-tmp-{dead}-Cd34")), "x").unwrap();
    let again = run(false);
    assert_eq!(
        again.status.code(),
        Some(2),
        "the restored export is not replaced unforced"
    );
    assert_eq!(std::fs::read(out.join("manifest.json")).unwrap(), first);
    assert_eq!(entries(tmp.path()), vec!["ds", "export"]);

    let forced = run(true);
    assert!(forced.status.success(), "{}", text_of(&forced));
    assert_eq!(
        entries(tmp.path()),
        vec!["ds", "export"],
        "the swap leaves nothing behind"
    );
    assert!(out.join("items.jsonl").is_file() || out.join("manifest.json").is_file());
}

#[test]
fn responses_can_be_added_while_an_editor_holds_the_dataset() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = sample_dataset(tmp.path());
    let (_editor, _) = safeaware::session::Session::open(&dir, "ana").unwrap();
    let files: Vec<std::path::PathBuf> = (0..2)
        .map(|n| {
            let file = tmp.path().join(format!("r{n}.jsonl"));
            std::fs::write(&file, "{\"id\": 1, \"response\": \"No\"}\n").unwrap();
            file
        })
        .collect();
    let adds: Vec<std::process::Child> = files
        .iter()
        .enumerate()
        .map(|(n, file)| {
            std::process::Command::new(env!("CARGO_BIN_EXE_safeaware"))
                .args(["responses", "add"])
                .arg(&dir)
                .args(["--model", &format!("m{n}")])
                .arg(file)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in adds {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", text_of(&out));
    }
    let names = safeaware::store::responses::model_names(&dir).unwrap();
    assert!(
        names.contains(&"m0".to_string()) && names.contains(&"m1".to_string()),
        "{names:?}"
    );
}
