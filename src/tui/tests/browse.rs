//! The item list: moving, labelling, read-only, images.

use super::*;
use crate::tui::state::Mode;
use safeaware::model::{FieldValue, Gold, Status, Subset};

#[test]
fn navigation_moves_and_clamps_the_cursor() {
    let mut s = sample_state((120, 40));
    update(&mut s, Action::Up);
    assert_eq!(s.ws.cursor, 0);
    update(&mut s, Action::Down);
    update(&mut s, Action::Down);
    assert_eq!(s.ws.cursor, 2);
    update(&mut s, Action::Bottom);
    assert_eq!(s.ws.cursor, s.ws.view.len() - 1);
    update(&mut s, Action::PageUp);
    assert!(s.ws.cursor < s.ws.view.len() - 1);
    update(&mut s, Action::Top);
    assert_eq!(s.ws.cursor, 0);
    update(&mut s, Action::PageDown);
    assert!(s.ws.cursor > 10);
    update(&mut s, Action::Scroll(-100));
    assert_eq!(s.ws.cursor, 0);
}

#[test]
fn a_click_on_a_list_row_selects_it() {
    let mut s = sample_state((120, 40));
    update(&mut s, Action::Click(5, 1 + 2 + 3));
    assert_eq!(s.ws.cursor, 3);
}

#[test]
fn label_keys_send_one_edit_for_the_current_item_and_show_it_only_when_saved() {
    let mut s = sample_state((120, 40));
    update(&mut s, Action::Down);
    update(&mut s, Action::Down);
    update(&mut s, Action::Down);
    let cases = [
        (Action::GoldSafe, FieldValue::Gold(Gold::Safe)),
        (Action::GoldUnsafe, FieldValue::Gold(Gold::Unsafe)),
        (Action::Accept, FieldValue::Status(Status::Accepted)),
        (Action::NeedsFix, FieldValue::Status(Status::NeedsFix)),
        (Action::Reject, FieldValue::Status(Status::Rejected)),
        (Action::Unreview, FieldValue::Status(Status::Unreviewed)),
        (Action::CycleSubset, FieldValue::Subset(Subset::Attack)),
    ];
    for (action, value) in cases {
        update(&mut s, action);
        assert_eq!(s.ws.saving, 1);
        match s.ws.outbox.as_slice() {
            [Effect::Apply { edits, .. }] => assert_eq!(edits, &vec![("4".to_string(), value.clone())]),
            other => panic!("expected one Apply, got {other:?}"),
        }
        persist_outbox(&mut s);
        assert_eq!(s.ws.saving, 0);
    }
    assert_eq!(
        s.ws.dataset.items[3].subset,
        Subset::Attack,
        "applied once persisted"
    );
    assert_eq!(
        s.ws.dataset.items[3].gold,
        Gold::Unsafe,
        "changing the subset never changes the gold"
    );
}

#[test]
fn auto_advance_moves_on_after_a_decision() {
    let mut s = sample_state((120, 40));
    s.ws.config.auto_advance = true;
    update(&mut s, Action::Accept);
    assert_eq!(s.ws.cursor, 1);
    assert!(
        s.ws.message.as_ref().unwrap().0.contains("→ moved to item 2"),
        "the status line says it moved: {:?}",
        s.ws.message
    );
    persist_outbox(&mut s);
    assert!(s.ws.message.as_ref().unwrap().0.contains("→ moved to item 2"));
    update(&mut s, Action::GoldSafe);
    assert_eq!(s.ws.cursor, 2, "gold completes an item too");
}

#[test]
fn auto_advance_stays_on_the_item_for_notes_flags_subset_and_the_picker() {
    let mut s = sample_state((120, 40));
    s.ws.config.auto_advance = true;
    update(&mut s, Action::CycleSubset);
    update(&mut s, Action::Unreview);
    assert_eq!(s.ws.cursor, 0, "subset and unreview do not complete an item");
    update(&mut s, Action::PickScenario);
    assert!(matches!(s.mode, Mode::Scenario(_)));
    update(&mut s, Action::Submit);
    assert!(matches!(s.mode, Mode::Browse));
    assert_eq!(s.ws.cursor, 0, "a scenario does not move on");
    update(&mut s, Action::EditNote);
    type_text(&mut s, "x");
    update(&mut s, Action::SaveNote);
    assert_eq!(s.ws.cursor, 0, "a note does not move on");
    update(&mut s, Action::ToggleFlag);
    type_text(&mut s, "odd");
    update(&mut s, Action::Submit);
    assert_eq!(s.ws.cursor, 0, "a flag does not move on");
}

#[test]
fn undo_and_redo_go_to_the_writer() {
    let mut s = sample_state((120, 40));
    update(&mut s, Action::Undo);
    update(&mut s, Action::Redo);
    assert_eq!(s.ws.outbox, vec![Effect::Undo, Effect::Redo]);
    assert_eq!(s.ws.saving, 2);
}

#[test]
fn next_unreviewed_and_same_image_step_through_the_view() {
    let mut s = sample_state((120, 40));
    update(&mut s, Action::NextUnreviewed);
    assert_eq!(s.ws.current().unwrap().id, "4");
    update(&mut s, Action::PrevUnreviewed);
    assert_eq!(s.ws.current().unwrap().id, "34".replace("34", "33"));
    update(&mut s, Action::Top);
    update(&mut s, Action::NextSameImage);
    assert_eq!(s.ws.current().unwrap().id, "13", "pills: items 1, 13, 18");
    update(&mut s, Action::PrevSameImage);
    assert_eq!(s.ws.current().unwrap().id, "1");
}

#[test]
fn read_only_refuses_every_edit() {
    let mut s = sample_state((120, 40));
    s.ws.read_only = Some("locked by pid 1 on host since then".into());
    for action in [
        Action::Accept,
        Action::Undo,
        Action::BulkPrefix,
        Action::EditNote,
        Action::PickScenario,
    ] {
        update(&mut s, action);
    }
    assert!(s.ws.outbox.is_empty());
    assert!(matches!(s.mode, Mode::Browse));
    assert!(s.ws.message.as_ref().unwrap().0.contains("read-only"));
}

#[test]
fn help_history_reveal_and_quit() {
    let mut s = sample_state((120, 40));
    update(&mut s, Action::ToggleHelp);
    assert!(matches!(s.mode, Mode::Help(_)));
    update(&mut s, Action::Cancel);
    update(&mut s, Action::OpenHistory);
    assert!(matches!(s.ws.outbox.as_slice(), [Effect::LoadHistory(id)] if id == "1"));
    update(&mut s, Action::HistoryLoaded("1".into(), Ok(vec![])));
    assert!(matches!(&s.mode, Mode::History(h) if matches!(&h.entries, Some(Ok(v)) if v.is_empty())));
    update(&mut s, Action::Cancel);
    update(&mut s, Action::RevealImage);
    assert!(s.ws.revealed.contains(&0));
    update(&mut s, Action::Quit);
    assert!(s.ws.quit);
}

#[test]
fn text_from_data_is_shown_escaped() {
    let mut s = sample_state((120, 40));
    s.ws.dataset.items[0].sentence = "clear\x1b[2J ring\x07".into();
    let text = screen(&s);
    assert!(text.contains("clear\\x1b[2J ring\\x07"), "{text}");
    assert!(!text.contains('\x1b') && !text.contains('\x07'));
}

#[test]
fn resize_relayouts_and_drops_encoded_images() {
    let mut s = sample_state((120, 40));
    update(&mut s, Action::Resize(80, 24));
    assert_eq!(s.ws.size, (80, 24));
    update(&mut s, Action::Bottom);
    let rows = crate::tui::layout::list_rows(&crate::tui::layout::areas(80, 24, false).unwrap());
    assert_eq!(
        s.ws.list_offset,
        s.ws.view.len() - rows,
        "the cursor row stays on screen after a resize"
    );
    assert!(screen(&s).contains("34/34 of 34"));
}

#[test]
fn images_are_requested_for_the_item_and_its_neighbours_and_hidden_ones_wait() {
    let mut s = sample_state((120, 40));
    s.ws.images_on = true;
    update(&mut s, Action::Down);
    let requested: Vec<usize> =
        s.ws.outbox
            .iter()
            .flat_map(|e| match e {
                Effect::LoadImages(r) => r.iter().map(|r| r.key.item).collect::<Vec<_>>(),
                _ => vec![],
            })
            .collect();
    assert_eq!(requested[0], 1, "the current item first");
    assert!(requested.contains(&0) && requested.contains(&2) && requested.contains(&3));
    let mut hidden = sample_state((120, 40));
    hidden.ws.images_on = true;
    hidden.ws.config.hide_images = true;
    update(&mut hidden, Action::Down);
    assert!(hidden.ws.outbox.is_empty(), "hidden images are not even decoded");
    assert!(screen(&hidden).contains("image hidden"));
    update(&mut hidden, Action::RevealImage);
    assert!(
        matches!(hidden.ws.outbox.as_slice(), [Effect::LoadImages(r)] if r.len() == 1 && r[0].key.item == 1)
    );
}

#[test]
fn closing_an_overlay_asks_for_a_full_repaint_of_the_image() {
    let mut s = sample_state((120, 40));
    let opens = [Action::ToggleHelp, Action::PickScenario, Action::EditNote];
    for open in opens {
        update(&mut s, open);
        assert!(
            !s.mode.is_overlay() || !s.ws.full_redraw,
            "opening does not repaint"
        );
        update(&mut s, Action::Cancel);
        assert!(matches!(s.mode, Mode::Browse));
        assert!(
            std::mem::take(&mut s.ws.full_redraw),
            "closing the overlay repaints the picture under it"
        );
    }
    update(&mut s, Action::Down);
    assert!(!s.ws.full_redraw, "moving does not repaint everything");
}

#[test]
fn a_huge_sentence_is_cut_with_a_marker_and_read_whole_in_the_pager() {
    let mut s = sample_state((120, 40));
    let huge = "a very long sentence ".repeat(1_500_000);
    s.ws.dataset.items[0].sentence = huge.clone();
    let text = screen(&s);
    let marker = text
        .lines()
        .find(|l| l.contains("more bytes; o opens the full text"))
        .unwrap_or_else(|| panic!("a marker says the sentence is cut:\n{text}"));
    assert!(marker.contains("… ("), "{marker}");
    assert!(text.len() < 20_000, "only what fits is drawn");
    update(&mut s, Action::OpenFullText);
    let Mode::Pager(view) = &s.mode else {
        panic!("the pager opens")
    };
    assert_eq!(view.offset, 0);
    update(&mut s, Action::PageDown);
    let Mode::Pager(view) = &s.mode else {
        panic!("still in the pager")
    };
    assert!(view.offset > 0 && view.offset < huge.len());
    let text = screen(&s);
    assert!(text.contains(&format!("of {}", huge.len())), "{text}");
    update(&mut s, Action::Cancel);
    assert!(matches!(s.mode, Mode::Browse));
}

#[test]
fn the_list_marks_findings_and_notes_and_cuts_sentences_with_an_ellipsis() {
    let mut s = sample_state((120, 40));
    s.ws.findings = vec![Vec::new().into(); s.ws.dataset.items.len()];
    s.ws.findings[1] = vec!["hidden_character".to_string()].into();
    s.ws.findings[2] = vec!["duplicate_image".to_string()].into();
    s.ws.dataset.items[3].notes = "check the source".into();
    let text = screen(&s);
    let row = |id: &str| {
        text.lines()
            .find(|l| {
                l.trim_start_matches('│')
                    .split_whitespace()
                    .find(|t| !matches!(*t, "!" | "✎" | "!✎"))
                    == Some(id)
            })
            .unwrap()
            .to_string()
    };
    assert!(
        row("2").starts_with("│! "),
        "an error finding is marked: {}",
        row("2")
    );
    assert!(
        row("3").starts_with("│  "),
        "an info finding is not: {}",
        row("3")
    );
    assert!(row("4").starts_with("│ ✎"), "a note is marked: {}", row("4"));
    assert!(
        row("1").contains("How many …"),
        "the sentence is cut with …: {}",
        row("1")
    );
    assert!(text.lines().nth(2).unwrap().contains("sentence"), "column title");
}
