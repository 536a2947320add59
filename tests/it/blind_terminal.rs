//! Blind mode in a real terminal (tmux): a curator answers two items and quits; their
//! layer holds blind answers with the time spent, and another curator's label never
//! showed on screen.

use crate::common::*;
use crate::tui_terminal::{Tmux, state_home};
use safeaware::labels::{ItemLabel, Layer, layer_path, read_layer_file, write_layer};

const OTHER_NOTE: &str = "BOBSECRETNOTE";

#[test]
fn a_blind_curator_answers_two_items_and_sees_no_one_elses_label() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ds");
    copy_dataset(&bundled_dataset(), &dir);
    let dataset = safeaware::store::load(&dir).unwrap();
    let bob: Layer = dataset
        .items
        .iter()
        .map(|item| {
            let label = ItemLabel {
                gold: Some(item.gold),
                notes: Some(OTHER_NOTE.into()),
                ..ItemLabel::default()
            };
            (item.id.clone(), label)
        })
        .collect();
    write_layer(&dir, "bob", &bob).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("safeaware");
    let command = format!(
        "XDG_STATE_HOME='{}' NO_COLOR=1 '{}' tui '{}' --blind --curator x --image-protocol off; echo SAFEAWARE-EXITED; sleep 60",
        state_home(&dir).display(),
        bin.display(),
        dir.display()
    );
    let Some(tmux) = Tmux::start(&command) else {
        return;
    };
    let first = tmux.wait_for("the blind screen", |s| s.contains("BLIND x 0/34 done"));
    tmux.keys(&["n"]);
    let answered = tmux.wait_for("the first answer", |s| s.contains("1/34 done"));
    tmux.keys(&["j", "y"]);
    let second = tmux.wait_for("the second answer", |s| s.contains("2/34 done"));
    for screen in [&first, &answered, &second] {
        assert!(
            !screen.contains(OTHER_NOTE),
            "bob's label is on screen:\n{screen}"
        );
        assert!(!screen.contains("bob"), "bob is on screen:\n{screen}");
    }
    tmux.keys(&["c"]);
    let refused = tmux.wait_for("compare refused", |s| s.contains("not in blind mode"));
    assert!(!refused.contains("Compare"), "{refused}");
    tmux.keys(&["q"]);
    tmux.wait_for("the TUI to exit", |s| s.contains("SAFEAWARE-EXITED"));

    let layer = read_layer_file(&layer_path(&dir, "x")).expect("x's layer was written on quit");
    let answers: Vec<&ItemLabel> = layer.values().filter(|l| l.gold.is_some()).collect();
    assert_eq!(answers.len(), 2, "{layer:?}");
    for label in answers {
        assert!(label.blind, "made blind: {label:?}");
        assert!(label.seconds > 0, "time recorded: {label:?}");
        assert!(label.notes.is_none(), "nothing of bob's in x's layer");
    }
}
