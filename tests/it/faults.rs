//! Fault injection on real storage: a full disk and a read-only mount. These mount a small
//! tmpfs, which needs root, so they are `#[ignore]`d (`.ci/run` runs them with
//! `--include-ignored`) and skip with a note where mounting is not permitted.

use safeaware::model::{FieldValue, Status};
use safeaware::session::{Opened, ReadOnlyReason, Session, open_for_editing};
use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// A tmpfs mounted for one test, unmounted on drop.
struct Tmpfs {
    dir: PathBuf,
    _parent: tempfile::TempDir,
}

impl Tmpfs {
    /// Mounts a tmpfs of `size` (e.g. "2m"), or `None` when this process may not mount.
    fn mount(size: &str) -> Option<Tmpfs> {
        let parent = tempfile::tempdir().unwrap();
        let dir = parent.path().join("mnt");
        std::fs::create_dir(&dir).unwrap();
        let status = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&dir)
            .stderr(std::process::Stdio::null())
            .status();
        if !matches!(status, Ok(s) if s.success()) {
            eprintln!("skipped: mounting a tmpfs is not permitted here");
            return None;
        }
        Some(Tmpfs { dir, _parent: parent })
    }

    fn remount_read_only(&self) {
        let status = std::process::Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&self.dir)
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let path = CString::new(self.dir.as_os_str().as_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path; umount2 has no other preconditions.
        unsafe { libc::umount2(path.as_ptr(), libc::MNT_DETACH) };
    }
}

/// Writes filler until the file system is full, then frees `room` bytes of it, so the
/// first edits fit and the later ones meet a full disk.
fn fill(dir: &Path, room: u64) -> PathBuf {
    use std::io::Write;
    let path = dir.join("filler");
    let mut file = std::fs::File::create(&path).unwrap();
    let block = vec![0u8; 4096];
    while file.write_all(&block).is_ok() {}
    let len = file.metadata().unwrap().len();
    file.set_len(len.saturating_sub(room)).unwrap();
    let _ = file.sync_all();
    path
}

#[test]
#[ignore = "fault test: mounts a tmpfs (root)"]
fn fault_disk_full_refuses_the_edit_and_the_next_open_keeps_every_saved_one() {
    let Some(fs) = Tmpfs::mount("4m") else { return };
    let dir = fs.dir.join("ds");
    safeaware::synth::write_sample(&dir, false).unwrap();
    let (mut session, _) = Session::open(&dir, "ana").unwrap();
    let filler = fill(&fs.dir, 32 * 1024);
    let journal = dir.join("journal.jsonl");
    let mut saved = Vec::new();
    let mut refused = 0;
    for n in 0..200 {
        let id = (n % 20 + 1).to_string();
        let note = format!("note {n} {}", "x".repeat(300));
        let before = std::fs::metadata(&journal).map(|m| m.len()).unwrap_or(0);
        match session.apply(vec![(id.clone(), FieldValue::Notes(note.clone()))]) {
            Ok(_) => saved.push((id, note)),
            Err(_) => {
                refused += 1;
                let after = std::fs::metadata(&journal).map(|m| m.len()).unwrap_or(0);
                assert_eq!(after, before, "a refused edit leaves nothing in the journal");
            }
        }
    }
    assert!(refused > 0, "the disk never filled");
    assert!(!saved.is_empty(), "no edit fitted before the disk filled");
    eprintln!(
        "disk full: {} edits saved, {refused} refused, none lost",
        saved.len()
    );
    drop(session);
    std::fs::remove_file(filler).unwrap();
    let (session, _) = Session::open(&dir, "ana").expect("reopens after a full disk");
    let mut expected = std::collections::HashMap::new();
    for (id, note) in saved {
        expected.insert(id, note);
    }
    for (id, note) in expected {
        let item = session.dataset().items.iter().find(|i| i.id == id).unwrap();
        assert_eq!(item.notes, note, "acknowledged edit of item {id} kept");
    }
}

#[test]
#[ignore = "fault test: mounts a tmpfs (root)"]
fn fault_a_read_only_mount_opens_read_only_with_the_reason() {
    let Some(fs) = Tmpfs::mount("4m") else { return };
    let dir = fs.dir.join("ds");
    safeaware::synth::write_sample(&dir, false).unwrap();
    {
        let (mut s, _) = Session::open(&dir, "ana").unwrap();
        s.apply(vec![("3".into(), FieldValue::Status(Status::Rejected))])
            .unwrap();
        s.compact().unwrap();
    }
    // Leave one edit in the journal, as after a crash.
    std::fs::write(
        dir.join("journal.jsonl"),
        "{\"seq\":100,\"batch\":1,\"time\":1,\"curator\":\"ana\",\"item\":\"4\",\"field\":\"status\",\"old\":\"unreviewed\",\"new\":\"accepted\",\"end\":true}\n",
    )
    .unwrap();
    fs.remount_read_only();
    match open_for_editing(&dir, "ana").unwrap() {
        Opened::ReadOnly { dataset, reason } => {
            assert!(matches!(reason, ReadOnlyReason::Unwritable(_)), "{reason}");
            assert!(reason.to_string().contains("cannot be written"), "{reason}");
            assert_eq!(dataset.items[2].status, Status::Rejected);
            assert_eq!(dataset.items[3].status, Status::Accepted, "journal edits shown");
        }
        Opened::Editing(..) => panic!("a read-only mount cannot be edited"),
    }
    let summary = std::process::Command::new(env!("CARGO_BIN_EXE_safeaware"))
        .arg("summary")
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        summary.status.success(),
        "{}",
        String::from_utf8_lossy(&summary.stderr)
    );
}

/// What an export folder holds, checked against its `manifest.json`: the item count, or
/// why it is not a complete export (a file missing, changed or not listed).
fn verified_export(out: &Path) -> Result<u64, String> {
    let text =
        std::fs::read_to_string(out.join("manifest.json")).map_err(|e| format!("manifest.json: {e}"))?;
    let manifest: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("manifest.json: {e}"))?;
    let mut listed = std::collections::BTreeSet::new();
    for file in manifest["files"].as_array().ok_or("no file list")? {
        let path = file["path"].as_str().ok_or("a file without a path")?;
        let bytes = std::fs::read(out.join(path)).map_err(|e| format!("{path}: {e}"))?;
        if blake3::hash(&bytes).to_hex().as_str() != file["blake3"].as_str().unwrap_or_default() {
            return Err(format!("{path}: hash differs from the manifest"));
        }
        listed.insert(path.to_string());
    }
    let mut found = Vec::new();
    list_files(out, out, &mut found);
    for path in found {
        if path != "manifest.json" && path != ".safeaware.lock" && !listed.contains(&path) {
            return Err(format!("{path}: not in the manifest"));
        }
    }
    manifest["items"].as_u64().ok_or_else(|| "no item count".into())
}

/// Every file under `dir`, relative to `root`.
fn list_files(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            list_files(root, &path, out);
        } else {
            out.push(path.strip_prefix(root).unwrap().to_string_lossy().into_owned());
        }
    }
}

/// Leftovers of killed runs (temp files, build folders, set-aside targets) in `dir`.
fn leftovers(dir: &Path) -> Vec<String> {
    crate::common::entries(dir)
        .into_iter()
        .filter(|name| name.starts_with(".safeaware-"))
        .collect()
}

#[test]
#[ignore = "fault test: 20 SIGKILLs of a 2k-item export; run by .ci/run"]
fn fault_a_sigkill_during_export_force_leaves_the_old_or_the_new_export_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let dataset = tmp.path().join("ds");
    let options = safeaware::synth::SynthOptions {
        items: 2000,
        images: 200,
        seed: 7,
        models: 0,
    };
    safeaware::synth::write_synth(&dataset, options, false, &safeaware::import::no_progress).unwrap();
    let parent = tmp.path().join("exports");
    std::fs::create_dir(&parent).unwrap();
    let out = parent.join("clean");
    let bin = assert_cmd::cargo::cargo_bin("safeaware");
    // Two different exports, so the folder shows which one it holds.
    let run = |query: &str| {
        let mut cmd = std::process::Command::new(&bin);
        cmd.arg("export")
            .arg(&dataset)
            .args([
                "--format",
                "jsonl",
                "--include-rejected",
                "--keep-duplicates",
                "--force",
            ])
            .args(["--where", query, "--out"])
            .arg(&out)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        cmd
    };
    let queries = ["-subset:attack", "subset:attack"];
    let mut counts = Vec::new();
    let started = std::time::Instant::now();
    for query in queries {
        assert!(run(query).status().unwrap().success());
        counts.push(verified_export(&out).unwrap());
    }
    let full_run_ms = started.elapsed().as_millis() as u64 / 2;
    assert_ne!(counts[0], counts[1], "the two exports differ");

    let mut seed = 20261201u64;
    let (mut killed, mut old_kept, mut new_found) = (0, 0, 0);
    for round in 0..20 {
        let (old, new) = (counts[(round + 1) % 2], counts[round % 2]);
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let delay = (seed >> 33) % (full_run_ms + 50);
        let mut child = run(queries[round % 2]).spawn().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        child.kill().unwrap();
        if !child.wait().unwrap().success() {
            killed += 1;
        }
        let found = verified_export(&out).unwrap_or_else(|e| panic!("round {round} (after {delay} ms): {e}"));
        assert!(found == old || found == new, "round {round}: {found} items");
        if found == old {
            old_kept += 1;
        } else {
            new_found += 1;
        }
        // The next run cleans what the killed one left and finishes the export.
        assert!(
            run(queries[round % 2]).status().unwrap().success(),
            "round {round}: rerun"
        );
        assert_eq!(verified_export(&out), Ok(new), "round {round}: rerun result");
        assert_eq!(
            leftovers(&parent),
            Vec::<String>::new(),
            "round {round}: leftovers"
        );
    }
    eprintln!(
        "export kills: {killed}/20 killed mid-run ({old_kept} kept the old export, {new_found} had the new one); full run {full_run_ms} ms"
    );
    assert!(killed >= 10, "most rounds must be killed mid-run ({killed}/20)");
}
