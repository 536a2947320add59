//! Crash safety: run edits in the real binary, SIGKILL it at a random moment, reopen, and
//! check that every edit it reported as saved (what the screen would have shown) survived
//! and that every file still parses. 50 rounds.

use crate::common::*;
use std::collections::HashMap;
use std::io::BufRead;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

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

#[test]
fn every_edit_reported_saved_survives_a_sigkill() {
    let tmp = tempfile::tempdir().unwrap();
    let template = tmp.path().join("template");
    let options = safeaware::synth::SynthOptions {
        items: 400,
        images: 10,
        seed: 3,
        models: 0,
    };
    safeaware::synth::write_synth(&template, options, false, &safeaware::import::no_progress).unwrap();
    let keys = tmp.path().join("keys");
    let labels = ["a", "x", "f", "y", "n", "r"];
    let script: String = (0..399)
        .map(|i| format!("{}\nj\n", labels[i % labels.len()]))
        .collect();
    std::fs::write(&keys, format!("{script}q\n")).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("safeaware");

    let mut rng = Lcg(20261122);
    let mut interrupted = 0;
    let mut checked = 0;
    for round in 0..50 {
        let dir = tmp.path().join(format!("round{round}"));
        copy_dataset(&template, &dir);
        let mut child = Command::new(&bin)
            .arg("tui")
            .arg(&dir)
            .args(["--headless", "--size", "100x30", "--keys"])
            .arg(&keys)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let saved: Arc<Mutex<Vec<String>>> = Arc::default();
        let stderr = child.stderr.take().unwrap();
        let sink = Arc::clone(&saved);
        let (first_saved, started) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            // Only whole lines count: a line cut by the kill was never fully reported.
            let mut reader = std::io::BufReader::new(stderr);
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap_or(0) > 0 {
                if line.ends_with('\n') && line.starts_with("saved ") {
                    sink.lock().unwrap().push(line.trim_end().to_string());
                    let _ = first_saved.send(());
                }
                line.clear();
            }
        });
        // Kill at a random point while edits are flowing: after a random number of saved
        // edits (plus a random few milliseconds), not at a time from the spawn, so a loaded
        // machine's slow start does not decide the round.
        for _ in 0..1 + rng.next(120) {
            if started.recv_timeout(Duration::from_secs(30)).is_err() {
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(rng.next(5)));
        child.kill().unwrap();
        let status = child.wait().unwrap();
        reader.join().unwrap();
        let lines = saved.lock().unwrap().clone();
        if !status.success() {
            interrupted += 1;
        }

        // What the dead process acknowledged: the last value per (item, field).
        let mut expected: HashMap<(String, String), String> = HashMap::new();
        for line in &lines {
            let mut parts = HashMap::new();
            for kv in line.trim_start_matches("saved ").split(' ') {
                let (k, v) = kv.split_once('=').unwrap();
                parts.insert(k, v.to_string());
            }
            expected.insert(
                (parts["item"].clone(), parts["field"].clone()),
                parts["new"].clone(),
            );
        }
        let viewer =
            safeaware::session::load_with_journal(&dir).unwrap_or_else(|e| panic!("round {round}: {e}"));
        let (session, _) = safeaware::session::Session::open(&dir, "test").unwrap();
        assert_eq!(
            session.dataset(),
            &viewer,
            "round {round}: reopening replays exactly the journal"
        );
        drop(session);
        let reopened =
            safeaware::session::load_with_journal(&dir).unwrap_or_else(|e| panic!("round {round}: {e}"));
        checked += expected.len();
        for ((id, field), new) in &expected {
            let item = reopened.items.iter().find(|i| &i.id == id).unwrap();
            let actual = match field.as_str() {
                "status" => item.status.key().to_string(),
                "gold" => item.gold.key().to_string(),
                other => panic!("unexpected field {other}"),
            };
            assert_eq!(
                &actual, new,
                "round {round}: item {id} {field} was shown as {new}, found {actual}"
            );
        }
    }
    eprintln!("{interrupted}/50 rounds killed mid-run; {checked} acknowledged edits checked");
    assert!(
        checked >= 200,
        "the rounds must acknowledge edits before the kill ({checked})"
    );
    assert!(
        interrupted >= 25,
        "most rounds must be killed mid-run to mean anything ({interrupted}/50)"
    );
}
