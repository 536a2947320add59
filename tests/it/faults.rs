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

/// Writes filler until the file system is full.
fn fill(dir: &Path) -> PathBuf {
    use std::io::Write;
    let path = dir.join("filler");
    let mut file = std::fs::File::create(&path).unwrap();
    let block = vec![0u8; 4096];
    while file.write_all(&block).is_ok() {}
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
    let filler = fill(&fs.dir);
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
