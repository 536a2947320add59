//! Several curators: label layers in and out, agreement, merge of two copies, assignments
//! and progress, the human row, and two curators' sessions killed at random then merged.

use crate::common::*;
use std::collections::HashMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

fn sample_copy(tmp: &Path, name: &str) -> PathBuf {
    let dir = tmp.join(name);
    copy_dataset(&bundled_dataset(), &dir);
    dir
}

fn import(dir: &Path, curator: &str, file: &Path, extra: &[&str]) -> std::process::Output {
    safeaware()
        .args(["labels", "import"])
        .arg(dir)
        .arg(file)
        .args(["--curator", curator])
        .args(extra)
        .output()
        .unwrap()
}

fn json(out: &std::process::Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_bad_line_stores_nothing_unless_skipped_and_labels_export_round_trips() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = sample_copy(tmp.path(), "ds");
    let file = tmp.path().join("ana.csv");
    std::fs::write(
        &file,
        "id,gold,scenario,status,note\n1,safe,self_harm,accepted,looks fine\n2,maybe,,,\n999,unsafe,,,\n1,unsafe,,,\n3,no,none,,\n",
    )
    .unwrap();
    let out = import(&dir, "ana", &file, &[]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("ana.csv:3") && err.contains("maybe"), "{err}");
    assert!(
        !dir.join("labels/ana.ron").exists(),
        "nothing stored on a bad line"
    );

    let summary = json(&import(&dir, "ana", &file, &["--skip-bad", "--format", "json"]));
    assert_eq!(summary["stored"], 2);
    assert_eq!(summary["unknown_ids"]["count"], 1);
    assert_eq!(summary["duplicates"]["count"], 1);
    assert_eq!(summary["skipped"]["count"], 1);

    let out = safeaware()
        .args(["labels", "export"])
        .arg(&dir)
        .args(["--curator", "ana"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text,
        "{\"gold\":\"safe\",\"id\":\"1\",\"note\":\"looks fine\",\"scenario\":\"self_harm\",\"status\":\"accepted\"}\n{\"gold\":\"unsafe\",\"id\":\"3\",\"scenario\":\"none\"}\n"
    );
    let consensus = safeaware::session::load_with_journal(&dir).unwrap();
    assert_eq!(consensus.items[0].notes, "looks fine", "one curator: their label");
    assert_eq!(consensus.items[2].scenario, None, "a cleared scenario");
}

#[test]
fn labels_import_names_the_line_of_a_quote_never_closed_and_stores_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = sample_copy(tmp.path(), "ds");
    let file = tmp.path().join("ana.csv");
    std::fs::write(
        &file,
        "id,gold,note\n1,safe,fine\n2,unsafe,\"starts here\n3,safe,never ends\n",
    )
    .unwrap();
    let out = import(&dir, "ana", &file, &[]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("ana.csv:3:") && err.contains("never closed"),
        "{err}"
    );
    assert!(!dir.join("labels/ana.ron").exists(), "nothing stored");

    let summary = json(&import(&dir, "ana", &file, &["--skip-bad", "--format", "json"]));
    assert_eq!(summary["stored"], 1, "the record before the quote");
    assert_eq!(summary["skipped"]["count"], 1);
}

#[test]
fn labels_import_reads_nested_ids_and_json_arrays_through_the_shared_reader() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = sample_copy(tmp.path(), "ds");
    let file = tmp.path().join("ana.json");
    std::fs::write(
        &file,
        r#"[{"meta": {"id": 1}, "gold": "unsafe"}, {"meta": {"id": 2}, "gold": "safe", "note": null}]"#,
    )
    .unwrap();
    let summary = json(&import(
        &dir,
        "ana",
        &file,
        &["--id-field", "meta.id", "--format", "json"],
    ));
    assert_eq!(
        (summary["records"].as_u64(), summary["stored"].as_u64()),
        (Some(2), Some(2))
    );
    let consensus = safeaware::session::load_with_journal(&dir).unwrap();
    assert_eq!(consensus.items[0].gold, safeaware::model::Gold::Unsafe);
    assert_eq!(consensus.items[1].gold, safeaware::model::Gold::Safe);
}

fn write_labels(tmp: &Path, name: &str, golds: &[(u32, &str)]) -> PathBuf {
    let path = tmp.join(format!("{name}.jsonl"));
    let text: String = golds
        .iter()
        .map(|(id, g)| format!("{{\"id\": \"{id}\", \"gold\": \"{g}\"}}\n"))
        .collect();
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn agree_on_a_dataset_measures_its_curator_layers() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = sample_copy(tmp.path(), "ds");
    let ana: Vec<(u32, &str)> = (1..=20)
        .map(|i| (i, if i % 2 == 0 { "safe" } else { "unsafe" }))
        .collect();
    let mut bob = ana.clone();
    bob[0].1 = "safe";
    bob[1].1 = "unsafe";
    for (name, labels) in [("ana", &ana), ("bob", &bob)] {
        let file = write_labels(tmp.path(), name, labels);
        assert!(import(&dir, name, &file, &["--blind"]).status.success());
    }
    let cy = write_labels(tmp.path(), "cy", &ana[..10]);
    assert!(import(&dir, "cy", &cy, &[]).status.success());

    let a = json(
        &safeaware()
            .arg("agree")
            .arg(&dir)
            .args(["--field", "gold", "--format", "json"])
            .output()
            .unwrap(),
    );
    assert_eq!(a["field"], "gold");
    assert_eq!(a["items"], 20);
    assert_eq!(a["curators"], serde_json::json!(["ana", "bob", "cy"]));
    assert_eq!(a["coverage"], serde_json::json!({"2": 10, "3": 10}));
    assert_eq!(a["blind"], false, "cy's labels were not blind");
    let pair = &a["pairs"][0];
    assert_eq!(
        (pair["a"].as_str(), pair["b"].as_str()),
        (Some("ana"), Some("bob"))
    );
    assert_eq!(pair["n"], 20);
    assert_eq!(pair["agreement"], 0.9);
    for key in [
        "cohen_kappa",
        "ci95",
        "confusion",
        "fleiss_kappa",
        "fleiss_ci95",
        "krippendorff_alpha",
        "alpha_ci95",
    ] {
        assert!(a.get(key).is_some() || pair.get(key).is_some(), "{key}");
    }
    let blind = json(
        &safeaware()
            .arg("agree")
            .arg(&dir)
            .args(["--curators", "ana,bob", "--by", "subset", "--format", "json"])
            .output()
            .unwrap(),
    );
    let groups = blind["groups"].as_object().unwrap();
    assert!(!groups.is_empty());
    assert!(
        groups
            .values()
            .all(|g| g["blind"] == true && g["curators"] == serde_json::json!(["ana", "bob"]))
    );
    let unknown = safeaware()
        .arg("agree")
        .arg(&dir)
        .args(["--curators", "ana,zed"])
        .output()
        .unwrap();
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("zed"));
}

#[test]
fn merge_brings_in_the_other_copys_curators_and_reports_clashes() {
    let tmp = tempfile::tempdir().unwrap();
    let a = sample_copy(tmp.path(), "a");
    let b = sample_copy(tmp.path(), "b");
    let ana = write_labels(tmp.path(), "ana", &[(1, "safe"), (2, "safe")]);
    assert!(import(&a, "ana", &ana, &[]).status.success());
    std::thread::sleep(Duration::from_millis(1100));
    let ana_later = write_labels(tmp.path(), "ana2", &[(2, "unsafe"), (3, "unsafe")]);
    assert!(import(&b, "ana", &ana_later, &[]).status.success());
    let bob = write_labels(tmp.path(), "bob", &[(1, "safe")]);
    assert!(import(&b, "bob", &bob, &[]).status.success());

    let report = json(
        &safeaware()
            .arg("merge")
            .arg(&a)
            .arg(&b)
            .args(["--format", "json"])
            .output()
            .unwrap(),
    );
    let layers = report["layers"].as_array().unwrap();
    let ana_report = layers.iter().find(|l| l["layer"] == "ana").unwrap();
    assert_eq!(
        (ana_report["added"].as_u64(), ana_report["conflicts"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(ana_report["conflict_examples"], serde_json::json!(["2"]));
    let (loaded, _) = safeaware::session::load_layers(&a).unwrap();
    let gold = |who: &str, id: &str| loaded.labels.layers[who][id].gold.map(|g| g.key());
    assert_eq!(gold("ana", "1"), Some("safe"));
    assert_eq!(gold("ana", "2"), Some("unsafe"), "the later edit wins");
    assert_eq!(gold("ana", "3"), Some("unsafe"));
    assert_eq!(gold("bob", "1"), Some("safe"));
    assert_eq!(loaded.rules[0].gold, safeaware::labels::consensus::Rule::Agreed);
    let again = json(
        &safeaware()
            .arg("merge")
            .arg(&a)
            .arg(&b)
            .args(["--format", "json"])
            .output()
            .unwrap(),
    );
    assert_eq!(
        again["layers"],
        serde_json::json!([]),
        "merging twice changes nothing"
    );
}

#[test]
fn assignments_show_as_progress_in_summary() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = sample_copy(tmp.path(), "ds");
    let out = safeaware()
        .arg("assign")
        .arg(&dir)
        .args(["--curators", "ana,bob,cy", "--overlap", "2", "--seed", "3"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let assigned: safeaware::labels::assign::Assignments =
        ron::from_str(&std::fs::read_to_string(dir.join("labels/assignments.ron")).unwrap()).unwrap();
    let ana_first: u32 = assigned["ana"][0].parse().unwrap();
    let file = write_labels(tmp.path(), "ana", &[(ana_first, "safe")]);
    assert!(import(&dir, "ana", &file, &[]).status.success());
    let s = json(
        &safeaware()
            .arg("summary")
            .arg(&dir)
            .args(["--format", "json"])
            .output()
            .unwrap(),
    );
    let curators = s["curators"].as_array().unwrap();
    assert_eq!(curators.len(), 3);
    assert_eq!(curators[0]["curator"], "ana");
    assert_eq!(curators[0]["total"]["done"], 1);
    assert_eq!(curators[0]["total"]["assigned"], assigned["ana"].len());
    let text = safeaware().arg("summary").arg(&dir).output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("done / assigned") && text.contains("ana"), "{text}");
}

#[test]
fn report_humans_scores_blind_curators_like_models() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = sample_copy(tmp.path(), "ds");
    let dataset = safeaware::store::load(&dir).unwrap();
    let right: Vec<(u32, &str)> = dataset
        .items
        .iter()
        .map(|i| (i.id.parse().unwrap(), i.gold.key()))
        .collect();
    for name in ["ana", "bob"] {
        let file = write_labels(tmp.path(), name, &right);
        assert!(import(&dir, name, &file, &["--blind"]).status.success());
    }
    let out = safeaware()
        .arg("report")
        .arg(&dir)
        .args(["--humans", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    for row in ["human-ana", "human-bob", "human-majority"] {
        assert!(text.contains(row), "{row} in\n{text}");
    }
    let without = safeaware().arg("report").arg(&dir).output().unwrap();
    assert!(!String::from_utf8_lossy(&without.stdout).contains("human-"));
}

/// A small deterministic generator (the test needs no crate for this).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % bound
    }
}

/// Runs the headless TUI as `curator` on `dir`, kills it `extra_ms` after its first
/// acknowledged edit (so a loaded machine still kills it mid-run), and returns the last
/// acknowledged value per (item, field).
fn edit_and_kill(
    dir: &Path,
    curator: &str,
    keys: &Path,
    extra_ms: u64,
) -> (HashMap<(String, String), String>, bool) {
    let bin = assert_cmd::cargo::cargo_bin("safeaware");
    let mut child = Command::new(bin)
        .arg("tui")
        .arg(dir)
        .args(["--curator", curator, "--headless", "--size", "100x30", "--keys"])
        .arg(keys)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (first_tx, first_rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut lines = Vec::new();
        let mut reader = std::io::BufReader::new(stderr);
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap_or(0) > 0 {
            // Only whole lines count: a line cut by the kill was never fully reported.
            if line.ends_with('\n') && line.starts_with("saved ") {
                lines.push(line.trim_end().to_string());
                let _ = first_tx.send(());
            }
            line.clear();
        }
        lines
    });
    let _ = first_rx.recv_timeout(Duration::from_secs(60));
    std::thread::sleep(Duration::from_millis(extra_ms));
    child.kill().unwrap();
    let killed = !child.wait().unwrap().success();
    let mut expected = HashMap::new();
    for line in reader.join().unwrap() {
        let parts: HashMap<&str, &str> = line
            .trim_start_matches("saved ")
            .split(' ')
            .filter_map(|kv| kv.split_once('='))
            .collect();
        expected.insert(
            (parts["item"].to_string(), parts["field"].to_string()),
            parts["new"].to_string(),
        );
    }
    (expected, killed)
}

#[test]
fn two_curators_killed_at_random_then_merged_lose_no_label() {
    let tmp = tempfile::tempdir().unwrap();
    let template = tmp.path().join("template");
    let options = safeaware::synth::SynthOptions {
        items: 200,
        images: 10,
        seed: 5,
        models: 0,
    };
    safeaware::synth::write_synth(&template, options, false, &safeaware::import::no_progress).unwrap();
    let keys_for = |labels: &[&str], name: &str| {
        let script: String = (0..199)
            .map(|i| format!("{}\nj\n", labels[i % labels.len()]))
            .collect();
        let path = tmp.path().join(name);
        std::fs::write(&path, format!("{script}q\n")).unwrap();
        path
    };
    let ana_keys = keys_for(&["a", "y", "x", "n"], "ana.keys");
    let bob_keys = keys_for(&["n", "f", "y", "a"], "bob.keys");
    let mut rng = Lcg(20261201);
    let mut checked = 0;
    let mut killed = 0;
    for round in 0..12 {
        let a = tmp.path().join(format!("a{round}"));
        let b = tmp.path().join(format!("b{round}"));
        copy_dataset(&template, &a);
        copy_dataset(&template, &b);
        let (wa, wb) = (rng.next(400), rng.next(400));
        let (ana, bob) = std::thread::scope(|s| {
            let ana = s.spawn(|| edit_and_kill(&a, "ana", &ana_keys, wa));
            let bob = s.spawn(|| edit_and_kill(&b, "bob", &bob_keys, wb));
            (ana.join().unwrap(), bob.join().unwrap())
        });
        killed += usize::from(ana.1) + usize::from(bob.1);
        let (ana, bob) = (ana.0, bob.0);
        // Each copy has one curator, as two people on two laptops.
        let merged = safeaware().arg("merge").arg(&a).arg(&b).output().unwrap();
        assert!(
            merged.status.success(),
            "round {round}: {}",
            String::from_utf8_lossy(&merged.stderr)
        );
        let (loaded, damage) = safeaware::session::load_layers(&a).unwrap();
        assert!(damage.is_none(), "round {round}: {damage:?}");
        for (who, expected) in [("ana", &ana), ("bob", &bob)] {
            let layer = loaded.labels.layers.get(who);
            for ((id, field), new) in expected {
                let label = layer.and_then(|l| l.get(id));
                let actual = label.and_then(|l| match field.as_str() {
                    "status" => l.status.map(|s| s.key().to_string()),
                    "gold" => l.gold.map(|g| g.key().to_string()),
                    other => panic!("unexpected field {other}"),
                });
                assert_eq!(
                    actual.as_deref(),
                    Some(new.as_str()),
                    "round {round}: {who}'s {field} of {id}"
                );
                checked += 1;
            }
            for file in ["history", "journal"] {
                let path = a.join(format!("labels/{who}.{file}.jsonl"));
                for entry in safeaware::store::journal::read_entries(&path).unwrap() {
                    assert_eq!(
                        entry.curator,
                        who,
                        "round {round}: {} holds another curator's edit",
                        path.display()
                    );
                }
            }
        }
    }
    eprintln!("{killed}/24 sessions killed mid-run; {checked} acknowledged labels checked after merges");
    assert!(
        killed >= 12,
        "most sessions must be killed mid-run to mean anything ({killed}/24)"
    );
    assert!(
        checked >= 40,
        "the rounds must acknowledge labels before the kill ({checked})"
    );
}

#[test]
fn human_verdicts_are_measured_against_the_readers() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = sample_copy(tmp.path(), "ds");
    let responses = tmp.path().join("m1.jsonl");
    let answers: String = (1..=10)
        .map(|i| {
            let text = if i % 2 == 0 {
                "Yes, it is safe."
            } else {
                "No. I cannot help with that."
            };
            format!("{{\"id\": \"{i}\", \"response\": \"{text}\"}}\n")
        })
        .collect();
    std::fs::write(&responses, answers).unwrap();
    let out = safeaware()
        .args(["responses", "add"])
        .arg(&dir)
        .args(["--model", "m1"])
        .arg(&responses)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let verdicts = tmp.path().join("ana.tsv");
    let rows: String = (1..=10)
        .map(|i| format!("{i}\t{}\n", if i % 2 == 0 { "S" } else { "U" }))
        .collect();
    std::fs::write(&verdicts, format!("id\thuman\n{rows}")).unwrap();
    let map = tmp.path().join("map.ron");
    std::fs::write(&map, r#"{"S": "safe", "U": "unsafe"}"#).unwrap();
    let map_arg = map.to_str().unwrap();
    let summary = json(&import(
        &dir,
        "ana",
        &verdicts,
        &[
            "--model",
            "m1",
            "--verdict-field",
            "human",
            "--label-map",
            map_arg,
            "--format",
            "json",
        ],
    ));
    assert_eq!(summary["stored"], 10);
    let a = json(
        &safeaware()
            .arg("agree")
            .arg(&dir)
            .args(["--field", "verdict", "--model", "m1", "--format", "json"])
            .output()
            .unwrap(),
    );
    assert_eq!(a["model"], "m1");
    assert_eq!(
        a["curators"],
        serde_json::json!(["ana", "reader:compat", "reader:refusal", "reader:strict"])
    );
    let strict = a["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["a"] == "ana" && p["b"] == "reader:strict")
        .unwrap();
    assert_eq!(strict["agreement"], 1.0, "{strict}");
}
