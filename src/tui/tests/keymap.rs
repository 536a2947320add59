//! Keys through the keymap in force: every screen's keys remap, `?` help works over any
//! screen without a text field, and the note editor wraps.

use super::*;
use crate::tui::input::translate_key;
use crate::tui::keys::parse_key;
use crate::tui::scores::EvalStatus;
use crate::tui::state::Mode;

/// Presses `key` as the terminal would send it; false when it means nothing here.
fn press(s: &mut State, key: &str) -> bool {
    let event = parse_key(key).unwrap();
    match translate_key(&event, &s.mode, &s.keymap) {
        Some(action) => {
            update(s, action);
            true
        }
        None => false,
    }
}

#[test]
fn a_remapped_compare_key_and_stats_key_drive_their_screens() {
    let mut s = scored_state((120, 40));
    s.keymap = Keymap::from_ron(
        r#"{
            "compare": {"next_model": ["N"], "close": ["X"]},
            "stats": {"right": ["w"], "open": ["o"]},
        }"#,
    )
    .unwrap();
    assert!(press(&mut s, "c"));
    assert!(matches!(s.mode, Mode::Compare(_)));
    assert!(press(&mut s, "N"));
    assert!(
        matches!(&s.mode, Mode::Compare(v) if v.selected == 1),
        "N selects the next model"
    );
    assert!(!press(&mut s, "l"), "the old key is free");
    assert!(press(&mut s, "X"));
    assert!(matches!(s.mode, Mode::Browse), "X closes Compare");
    assert!(press(&mut s, "t"));
    assert!(press(&mut s, "w"));
    assert!(press(&mut s, "w"));
    assert!(!press(&mut s, "Enter"), "Enter no longer opens the cell");
    assert!(press(&mut s, "o"));
    assert!(matches!(s.mode, Mode::Browse));
    assert_eq!(s.ws.filter, "wrong:sample-permissive subset:typical");
    let text = screen(&s);
    assert!(text.contains("safe"), "{text}");
}

#[test]
fn the_footer_and_help_follow_the_keymap_in_force() {
    let mut s = scored_state((120, 40));
    s.keymap = Keymap::from_ron(r#"{"global": {"help": ["F1"]}, "stats": {"close": ["Esc", "z"]}}"#).unwrap();
    assert!(press(&mut s, "t"));
    assert!(screen(&s).contains("z close") || screen(&s).contains("Esc close"));
    assert!(press(&mut s, "F1"), "global help works over Stats");
    let Mode::Help(view) = &s.mode else {
        panic!("help open")
    };
    let stats = view.sections.iter().find(|sec| sec.screen == "stats").unwrap();
    assert!(
        stats
            .rows
            .iter()
            .any(|(keys, what)| keys == "Esc z" && what == "close")
    );
    assert!(press(&mut s, "Esc"));
    assert!(
        matches!(s.mode, Mode::Stats(_)),
        "closing help goes back to Stats"
    );
    let EvalStatus::Ready(_) = &s.ws.eval else {
        panic!("scores stay loaded")
    };
}

#[test]
fn the_note_editor_wraps_long_lines_and_takes_a_pasted_page() {
    let mut s = sample_state((120, 40));
    update(&mut s, Action::EditNote);
    update(&mut s, Action::Paste("lorem ipsum ".repeat(30)));
    let text = screen(&s);
    let wrapped = text.lines().filter(|l| l.contains("lorem ipsum lorem")).count();
    assert!(wrapped >= 3, "one long line shows on several rows:\n{text}");
    update(&mut s, Action::Paste("x".repeat(70_000)));
    screen(&s);
    update(&mut s, Action::SaveNote);
    match s.ws.outbox.as_slice() {
        [Effect::Apply { edits, .. }] => match &edits[0].1 {
            safeaware::model::FieldValue::Notes(n) => {
                assert!(n.contains("lorem ipsum lorem") && n.ends_with(&"x".repeat(70_000)));
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
}

#[test]
fn history_read_while_help_is_open_over_it_is_shown_after() {
    let mut s = sample_state((120, 40));
    assert!(press(&mut s, "h"));
    assert!(press(&mut s, "?"));
    assert!(matches!(s.mode, Mode::Help(_)));
    update(&mut s, Action::HistoryLoaded("1".into(), Ok(vec![])));
    assert!(press(&mut s, "Esc"));
    assert!(
        matches!(&s.mode, Mode::History(h) if matches!(&h.entries, Some(Ok(v)) if v.is_empty())),
        "{:?}",
        s.mode
    );
}
