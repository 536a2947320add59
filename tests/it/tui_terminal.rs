//! The real binary in a real terminal (tmux): label, quit, reopen; a second instance is
//! read-only. Needs tmux; `.ci/run` installs it. Without tmux the tests say so and pass,
//! except under CI, where a missing tmux is a failure.

use crate::common::*;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// A private tmux server that is killed when dropped.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(command: &str) -> Option<Tmux> {
        if Command::new("tmux").arg("-V").output().is_err() {
            assert!(std::env::var_os("CI").is_none(), "tmux is required under CI");
            eprintln!("tmux not installed: skipping the real-terminal test");
            return None;
        }
        let socket = format!("safeaware-test-{}-{}", std::process::id(), rand_suffix());
        let status = Command::new("tmux")
            .args([
                "-L",
                &socket,
                "new-session",
                "-d",
                "-s",
                "t",
                "-x",
                "120",
                "-y",
                "40",
                command,
            ])
            .status()
            .unwrap();
        assert!(status.success());
        Some(Tmux { socket })
    }

    fn capture(&self) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p", "-t", "t"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        let status = Command::new("tmux")
            .args(["-L", &self.socket, "send-keys", "-t", "t"])
            .args(keys)
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Polls the screen until `pred` holds (10 s at most).
    fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.capture();
            if pred(&screen) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "timed out waiting for {what}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .status();
    }
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
        % 1_000_000
}

fn tui_command(dataset: &Path) -> String {
    let bin = assert_cmd::cargo::cargo_bin("safeaware");
    format!(
        "NO_COLOR=1 '{}' tui '{}' --curator ana --image-protocol halfblocks; echo SAFEAWARE-EXITED; sleep 60",
        bin.display(),
        dataset.display()
    )
}

fn row_of<'a>(screen: &'a str, id: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.trim_start_matches('│').split_whitespace().next() == Some(id))
        .unwrap_or("")
}

#[test]
fn label_two_items_quit_and_reopen_in_a_real_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ds");
    copy_dataset(&bundled_dataset(), &dir);
    let Some(tmux) = Tmux::start(&tui_command(&dir)) else {
        return;
    };
    tmux.wait_for("the first screen", |s| s.contains("1/34 of 34"));
    tmux.keys(&["j", "j", "j", "a"]);
    tmux.wait_for("item 4 accepted", |s| row_of(s, "4").contains("accepted"));
    tmux.keys(&["j", "x"]);
    tmux.wait_for("item 5 rejected", |s| row_of(s, "5").contains("rejected"));
    tmux.keys(&["q"]);
    tmux.wait_for("the TUI to exit", |s| s.contains("SAFEAWARE-EXITED"));

    let dataset = safeaware::session::load_with_journal(&dir).expect("the dataset parses after quit");
    assert_eq!(dataset.items[3].status, safeaware::model::Status::Accepted);
    assert_eq!(dataset.items[4].status, safeaware::model::Status::Rejected);
    assert_eq!(
        std::fs::read_to_string(dir.join("labels/ana.journal.jsonl")).unwrap(),
        "",
        "compacted into ana's layer on quit"
    );
    let history = safeaware::session::item_history(&dir, "5").unwrap();
    assert_eq!(history.len(), 1);

    let again = Tmux::start(&tui_command(&dir)).unwrap();
    let screen = again.wait_for("the reopened screen", |s| s.contains("1/34 of 34"));
    assert!(row_of(&screen, "4").contains("accepted"), "{screen}");
    assert!(row_of(&screen, "5").contains("rejected"), "{screen}");
}

#[test]
fn a_second_instance_is_read_only_and_cannot_write() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ds");
    copy_dataset(&bundled_dataset(), &dir);
    let Some(tmux) = Tmux::start(&tui_command(&dir)) else {
        return;
    };
    tmux.wait_for("the first instance", |s| s.contains("1/34 of 34"));
    let before = std::fs::read(dir.join("items.ron")).unwrap();

    let keys = tmp.path().join("keys");
    std::fs::write(&keys, "j\nj\nj\na\nB\nx\nq\n").unwrap();
    let output = safeaware()
        .arg("tui")
        .arg(&dir)
        .args(["--headless", "--size", "120x40", "--keys"])
        .arg(&keys)
        .output()
        .unwrap();
    assert!(output.status.success());
    let screen = String::from_utf8(output.stdout).unwrap();
    assert!(screen.contains("READ-ONLY: locked by pid"), "{screen}");
    assert!(
        screen.contains("read-only"),
        "edits are refused with a message: {screen}"
    );
    assert!(!String::from_utf8_lossy(&output.stderr).contains("saved item="));
    assert_eq!(std::fs::read(dir.join("items.ron")).unwrap(), before);
    assert_eq!(
        std::fs::read_to_string(dir.join("labels/ana.journal.jsonl")).unwrap(),
        ""
    );
}

#[test]
fn the_terminal_is_restored_after_a_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ds");
    copy_dataset(&bundled_dataset(), &dir);
    let bin = assert_cmd::cargo::cargo_bin("safeaware");
    let command = format!(
        "SAFEAWARE_PANIC_ON_QUIT=1 RUST_BACKTRACE=0 NO_COLOR=1 '{}' tui '{}' --image-protocol off 2>/dev/null; \
         stty -a | tr ' ' '\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '; echo TTY-CHECKED; sleep 60",
        bin.display(),
        dir.display()
    );
    let Some(tmux) = Tmux::start(&command) else { return };
    tmux.wait_for("the first screen", |s| s.contains("1/34 of 34"));
    tmux.keys(&["q"]);
    let screen = tmux.wait_for("the shell after the panic", |s| s.contains("TTY-CHECKED"));
    let line = screen.lines().find(|l| l.contains("TTY-CHECKED")).unwrap();
    assert!(
        line.contains("icanon") && !line.contains("-icanon"),
        "cooked mode restored: {line}"
    );
    assert!(
        line.contains("echo") && !line.contains("-echo"),
        "echo restored: {line}"
    );
    assert!(
        !screen.contains("1/34 of 34"),
        "the alternate screen is gone:\n{screen}"
    );
}
