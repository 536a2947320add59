//! Prompts, the picker, the note editor and bulk confirmation.

use super::*;
use crate::tui::state::Mode;
use safeaware::model::FieldValue;

#[test]
fn the_scenario_picker_filters_by_typing_and_sets_the_choice() {
    let mut s = sample_state((120, 40));
    update(&mut s, Action::PickScenario);
    type_text(&mut s, "hijack");
    update(&mut s, Action::Down);
    let Mode::Scenario(p) = &s.mode else {
        panic!("picker open")
    };
    assert_eq!(p.selected, 1, "goal hijacking, then fake goal hijacking");
    update(&mut s, Action::Submit);
    assert!(matches!(s.mode, Mode::Browse));
    match s.ws.outbox.as_slice() {
        [Effect::Apply { edits, .. }] => {
            assert_eq!(
                edits[0].1,
                FieldValue::Scenario(Some("fake_goal_hijacking".into()))
            );
        }
        other => panic!("{other:?}"),
    }
    update(&mut s, Action::PickScenario);
    update(&mut s, Action::Cancel);
    assert!(matches!(s.mode, Mode::Browse));
}

#[test]
fn the_note_editor_saves_multiple_lines_with_ctrl_s_and_esc_discards() {
    let mut s = sample_state((120, 40));
    update(&mut s, Action::EditNote);
    type_text(&mut s, "first");
    update(&mut s, Action::Newline);
    type_text(&mut s, "second");
    update(&mut s, Action::SaveNote);
    match s.ws.outbox.as_slice() {
        [Effect::Apply { edits, .. }] => assert_eq!(edits[0].1, FieldValue::Notes("first\nsecond".into())),
        other => panic!("{other:?}"),
    }
    s.ws.outbox.clear();
    update(&mut s, Action::EditNote);
    type_text(&mut s, "lost");
    update(&mut s, Action::Cancel);
    assert!(s.ws.outbox.is_empty());
}

#[test]
fn a_filter_narrows_the_view_and_a_bad_one_reports_its_error() {
    let mut s = sample_state((120, 40));
    update(&mut s, Action::OpenFilter);
    type_text(&mut s, "subset:attack");
    update(&mut s, Action::Submit);
    assert_eq!(s.ws.view.len(), 3);
    assert_eq!(s.ws.filter, "subset:attack");
    update(&mut s, Action::OpenFilter);
    for _ in 0.."subset:attack".len() {
        update(&mut s, Action::Backspace);
    }
    type_text(&mut s, "statuss:x");
    update(&mut s, Action::Submit);
    assert!(
        matches!(&s.mode, Mode::Filter(p) if p.error.as_deref().is_some_and(|e| e.contains("unknown field")))
    );
    update(&mut s, Action::Cancel);
    assert_eq!(s.ws.view.len(), 3, "a failed filter keeps the old view");
}

#[test]
fn bulk_asks_for_confirmation_with_the_count_and_sends_one_action() {
    let mut s = sample_state((120, 40));
    update(&mut s, Action::OpenFilter);
    type_text(&mut s, "subset:attack");
    update(&mut s, Action::Submit);
    update(&mut s, Action::BulkPrefix);
    update(&mut s, Action::Reject);
    let Mode::Confirm(plan) = &s.mode else {
        panic!("confirmation shown")
    };
    assert_eq!(plan.ids.len(), 3);
    assert!(s.ws.outbox.is_empty(), "nothing happens before the confirmation");
    update(&mut s, Action::Submit);
    match s.ws.outbox.as_slice() {
        [Effect::Apply { edits, .. }] => assert_eq!(edits.len(), 3),
        other => panic!("{other:?}"),
    }
    update(&mut s, Action::BulkPrefix);
    update(&mut s, Action::Cancel);
    assert!(!s.ws.bulk_armed);
}

#[test]
fn jump_finds_an_id_even_when_filtered_out() {
    let mut s = sample_state((120, 40));
    update(&mut s, Action::OpenFilter);
    type_text(&mut s, "subset:attack");
    update(&mut s, Action::Submit);
    update(&mut s, Action::OpenJump);
    type_text(&mut s, "30");
    update(&mut s, Action::Submit);
    assert_eq!(s.ws.current().unwrap().id, "30");
    assert!(s.ws.filter.is_empty());
    update(&mut s, Action::OpenJump);
    type_text(&mut s, "nope");
    update(&mut s, Action::Submit);
    assert!(matches!(&s.mode, Mode::Jump(p) if p.error.as_deref().is_some_and(|e| e.contains("no item"))));
}

#[test]
fn flags_toggle_and_views_are_saved_with_the_dataset() {
    let mut s = sample_state((120, 40));
    update(&mut s, Action::ToggleFlag);
    type_text(&mut s, "blurry");
    update(&mut s, Action::Submit);
    assert!(
        matches!(s.ws.outbox.as_slice(), [Effect::Apply { edits, .. }] if edits[0].1 == FieldValue::Flag("blurry".into(), true))
    );
    s.ws.outbox.clear();
    update(&mut s, Action::SaveView);
    assert!(matches!(s.mode, Mode::Browse), "no filter, nothing to save");
    s.ws.filter = "status:unreviewed".into();
    update(&mut s, Action::SaveView);
    type_text(&mut s, "todo");
    update(&mut s, Action::Submit);
    assert_eq!(
        s.ws.views.get("todo").map(String::as_str),
        Some("status:unreviewed")
    );
    assert!(matches!(s.ws.outbox.as_slice(), [Effect::SaveViews(_)]));
    update(&mut s, Action::OpenViews);
    for _ in 0..crate::tui::strings::QUEUES.len() {
        update(&mut s, Action::Down);
    }
    update(&mut s, Action::Submit);
    assert_eq!(s.ws.filter, "status:unreviewed");
}

#[test]
fn prompts_edit_with_paste_cursor_keys_and_delete() {
    let mut s = sample_state((120, 40));
    update(&mut s, Action::OpenFilter);
    update(&mut s, Action::Paste("subset:atack".into()));
    update(&mut s, Action::Home);
    for _ in 0.."subset:at".len() {
        update(&mut s, Action::Right);
    }
    update(&mut s, Action::Input('t'));
    update(&mut s, Action::End);
    update(&mut s, Action::Left);
    update(&mut s, Action::Delete);
    update(&mut s, Action::Input('k'));
    update(&mut s, Action::Submit);
    assert_eq!(s.ws.filter, "subset:attack");
    assert_eq!(s.ws.view.len(), 3);
}

#[test]
fn a_huge_paste_into_a_prompt_draws_without_overflow() {
    let mut s = sample_state((80, 24));
    update(&mut s, Action::OpenFilter);
    update(&mut s, Action::Paste("x".repeat(70_000)));
    let text = screen(&s);
    assert!(text.contains("xxxxxxxxxx"));
    update(&mut s, Action::Cancel);
    update(&mut s, Action::EditNote);
    update(&mut s, Action::Paste("line\n".repeat(70_000)));
    screen(&s);
}

#[test]
fn a_filter_error_puts_a_caret_under_the_offending_term() {
    let mut s = sample_state((120, 40));
    s.mode = Mode::Filter(FilterPrompt::new("gold:safe subsett:attack"));
    update(&mut s, Action::Submit);
    let text = screen(&s);
    let lines: Vec<&str> = text.lines().collect();
    let query_row = lines
        .iter()
        .position(|l| l.contains("> gold:safe subsett:attack"))
        .expect("the query is shown");
    let term_at = lines[query_row].find("subsett").unwrap();
    let caret_at = lines[query_row + 1]
        .find('^')
        .expect("a caret line below the query");
    assert_eq!(
        caret_at, term_at,
        "the caret points at the unknown field:\n{text}"
    );
    assert!(lines[query_row + 1].contains(&"^".repeat("subsett:attack".len())));
}

#[test]
fn ctrl_u_and_ctrl_w_edit_every_one_line_prompt() {
    use crate::tui::input::translate_key;
    use crate::tui::keys::parse_key;
    let mut s = sample_state((120, 40));
    update(&mut s, Action::OpenFilter);
    type_text(&mut s, "gold:safe status:done");
    let key = |s: &State, k: &str| translate_key(&parse_key(k).unwrap(), &s.mode, &s.keymap).unwrap();
    let ctrl_w = key(&s, "Ctrl-w");
    update(&mut s, ctrl_w);
    let Mode::Filter(p) = &s.mode else {
        panic!("filter open")
    };
    assert_eq!(p.editor.text(), "gold:safe ");
    let ctrl_u = key(&s, "Ctrl-u");
    update(&mut s, ctrl_u);
    let Mode::Filter(p) = &s.mode else {
        panic!("filter open")
    };
    assert_eq!(p.editor.text(), "");
    update(&mut s, Action::Cancel);
    update(&mut s, Action::OpenJump);
    type_text(&mut s, "12 34");
    let ctrl_w = key(&s, "Ctrl-w");
    update(&mut s, ctrl_w);
    let Mode::Jump(p) = &s.mode else {
        panic!("jump open")
    };
    assert_eq!(p.editor.text(), "12 ");
}

#[test]
fn help_documents_the_filter_language() {
    let mut s = sample_state((120, 40));
    update(&mut s, Action::ToggleHelp);
    let Mode::Help(view) = &s.mode else {
        panic!("help open")
    };
    let section = view.sections.last().unwrap();
    assert!(section.screen.contains("filter language"));
    let rows: Vec<&str> = section.rows.iter().map(|(k, _)| k.as_str()).collect();
    for example in [
        "subset:attack",
        "status:unreviewed",
        "is:conflict",
        "-term",
        "wrong:MODEL",
    ] {
        assert!(rows.contains(&example), "{example} in {rows:?}");
    }
}

#[test]
fn help_scrolls_to_its_last_line_at_80x24() {
    let mut s = sample_state((80, 24));
    update(&mut s, Action::ToggleHelp);
    let first = screen(&s);
    assert!(first.contains("lines 1-"), "the title says where it is:\n{first}");
    assert!(!first.contains("filter language"), "the end is below:\n{first}");
    for _ in 0..40 {
        update(&mut s, Action::PageDown);
    }
    let end = screen(&s);
    assert!(
        end.contains("subset:attack scenario:none -gold:safe"),
        "the last example shows:\n{end}"
    );
    let Mode::Help(view) = &s.mode else {
        panic!("help open")
    };
    let scrolled = view.scroll;
    update(&mut s, Action::Down);
    let Mode::Help(view) = &s.mode else {
        panic!("help open")
    };
    assert_eq!(view.scroll, scrolled, "no scrolling past the end");
}

#[test]
fn the_footer_at_80x24_keeps_quit_and_points_at_more_keys() {
    let s = sample_state((80, 24));
    let text = screen(&s);
    let footer = text.lines().last().unwrap();
    assert!(footer.contains("? more") && footer.contains("q quit"), "{footer}");
    assert!(footer.chars().count() <= 80);
}
