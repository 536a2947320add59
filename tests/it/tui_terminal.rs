//! The real binary in a real terminal (tmux): label, quit, reopen; a second instance is
//! read-only. Needs tmux; `.ci/run` installs it. Without tmux the tests say so and pass,
//! except under CI, where a missing tmux is a failure.

use crate::common::*;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// A private tmux server that is killed when dropped.
pub(crate) struct Tmux {
    socket: String,
}

impl Tmux {
    pub(crate) fn start(command: &str) -> Option<Tmux> {
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

    pub(crate) fn capture(&self) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p", "-t", "t"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub(crate) fn keys(&self, keys: &[&str]) {
        let status = Command::new("tmux")
            .args(["-L", &self.socket, "send-keys", "-t", "t"])
            .args(keys)
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Polls the screen until `pred` holds (10 s at most).
    pub(crate) fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
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

/// The per-user state folder of a test: beside its dataset, never the tester's own.
pub(crate) fn state_home(dataset: &Path) -> std::path::PathBuf {
    dataset.parent().unwrap().join("state")
}

fn tui_command(dataset: &Path) -> String {
    let bin = assert_cmd::cargo::cargo_bin("safeaware");
    format!(
        "XDG_STATE_HOME='{}' NO_COLOR=1 '{}' tui '{}' --curator ana --image-protocol halfblocks; echo SAFEAWARE-EXITED; sleep 60",
        state_home(dataset).display(),
        bin.display(),
        dataset.display()
    )
}

/// The list row of item `id` (after the marks column: "!" and "✎").
fn row_of<'a>(screen: &'a str, id: &str) -> &'a str {
    screen
        .lines()
        .find(|l| {
            l.trim_start_matches('│')
                .split_whitespace()
                .find(|t| !matches!(*t, "!" | "✎" | "!✎"))
                == Some(id)
        })
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
    let screen = again.wait_for("the reopened screen, on the last item labelled", |s| {
        s.contains("5/34 of 34") && row_of(s, "5").contains("rejected")
    });
    assert!(
        state_home(&dir).join("safeaware").is_dir(),
        "the cursor is kept in XDG_STATE_HOME"
    );
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
        std::fs::read_to_string(dir.join("labels/ana.journal.jsonl")).unwrap_or_default(),
        "",
        "no journal line (the first instance has not edited: no journal file yet)"
    );
}

#[test]
fn the_terminal_is_restored_after_a_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ds");
    copy_dataset(&bundled_dataset(), &dir);
    let bin = assert_cmd::cargo::cargo_bin("safeaware");
    let command = format!(
        "XDG_STATE_HOME='{}' SAFEAWARE_PANIC_ON_QUIT=1 RUST_BACKTRACE=0 NO_COLOR=1 '{}' tui '{}' --image-protocol off 2>/dev/null; \
         stty -a | tr ' ' '\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '; echo TTY-CHECKED; sleep 60",
        state_home(&dir).display(),
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

/// Sends `signal` to the TUI running in tmux after one edit: the terminal comes back to
/// the shell (cooked mode, no alternate screen), the exit code is 128 + the signal, and
/// the edit is in the dataset on the next open.
fn signal_restores_the_terminal_and_keeps_the_edit(signal: &str, number: i32) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ds");
    copy_dataset(&bundled_dataset(), &dir);
    let bin = assert_cmd::cargo::cargo_bin("safeaware");
    let pid_file = tmp.path().join("pid");
    let command = format!(
        "XDG_STATE_HOME='{state}' NO_COLOR=1 sh -c 'echo $$ > {pid}; exec \"{bin}\" tui \"{dir}\" --image-protocol off'; echo EXIT=$?; \
         stty -a | tr ' ' '\\n' | grep -x -e icanon -e -icanon | tr '\\n' ' '; echo TTY-CHECKED; sleep 60",
        state = state_home(&dir).display(),
        pid = pid_file.display(),
        bin = bin.display(),
        dir = dir.display()
    );
    let Some(tmux) = Tmux::start(&command) else { return };
    tmux.wait_for("the first screen", |s| s.contains("1/34 of 34"));
    tmux.keys(&["j", "j", "j", "x"]);
    tmux.wait_for("the edit saved", |s| s.contains("rejected: item 4"));
    let pid = std::fs::read_to_string(&pid_file).unwrap();
    let status = Command::new("kill")
        .args([&format!("-{signal}"), pid.trim()])
        .status()
        .unwrap();
    assert!(status.success());
    let screen = tmux.wait_for("the shell after the signal", |s| s.contains("TTY-CHECKED"));
    assert!(
        screen.contains(&format!("EXIT={}", 128 + number)),
        "exit code 128 + {signal}:\n{screen}"
    );
    let line = screen.lines().find(|l| l.contains("TTY-CHECKED")).unwrap();
    assert!(
        line.contains("icanon") && !line.contains("-icanon"),
        "raw mode is off after {signal}: {line}"
    );
    assert!(
        !screen.contains("1/34 of 34"),
        "the alternate screen is left after {signal}:\n{screen}"
    );
    // The dataset as the next open sees it: the curator's layer over items.ron.
    let reopened = safeaware::session::load_with_journal(&dir).unwrap();
    let item = reopened.items.iter().find(|i| i.id == "4").unwrap();
    assert_eq!(
        item.status,
        safeaware::model::Status::Rejected,
        "the edit survives {signal}"
    );
}

#[test]
fn sigterm_restores_the_terminal_and_keeps_the_edit() {
    signal_restores_the_terminal_and_keeps_the_edit("TERM", 15);
}

#[test]
fn sigint_restores_the_terminal_and_keeps_the_edit() {
    signal_restores_the_terminal_and_keeps_the_edit("INT", 2);
}

#[test]
fn sighup_restores_the_terminal_and_keeps_the_edit() {
    signal_restores_the_terminal_and_keeps_the_edit("HUP", 1);
}

#[test]
fn sigquit_restores_the_terminal_and_keeps_the_edit() {
    signal_restores_the_terminal_and_keeps_the_edit("QUIT", 3);
}
