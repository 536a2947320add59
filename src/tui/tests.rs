//! Tests of the TUI without a terminal: `update` for every action, and snapshots of the
//! screens drawn by `draw` into an in-memory buffer (images off).

use super::action::Action;
use super::config::{Config, Settings};
use super::draw::draw;
use super::editor::Editor;
use super::headless::screen_text;
use super::keymap::Keymap;
use super::state::{Effect, EvalStatus, Mode, State};
use super::theme::Theme;
use super::update::update;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use safeaware::model::{FieldValue, Gold, Status, Subset};
use safeaware::session::{Batch, ItemChange};

fn settings() -> Settings {
    Settings {
        config: Config::default(),
        keymap: Keymap::default(),
        theme: Theme {
            color: false,
            ..Theme::default()
        },
    }
}

fn sample_state(size: (u16, u16)) -> State {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("dataset");
    let dataset = safeaware::store::load(&dir).expect("bundled dataset loads");
    State::new(dataset, dir, settings(), false, size)
}

fn screen(state: &State) -> String {
    let mut terminal = Terminal::new(TestBackend::new(state.size.0, state.size.1)).unwrap();
    terminal.draw(|f| draw(state, f)).unwrap();
    screen_text(terminal.backend().buffer())
}

fn type_text(state: &mut State, text: &str) {
    for c in text.chars() {
        update(state, Action::Input(c));
    }
}

/// What the writer would report after applying the state's pending edits.
fn persist_outbox(state: &mut State) {
    for effect in std::mem::take(&mut state.outbox) {
        if let Effect::Apply { edits, what } = effect {
            let changes = edits
                .into_iter()
                .filter_map(|(id, value)| {
                    let item = &state.dataset.items[state.index[&id]];
                    safeaware::model::Change::between(item, value)
                        .map(|change| ItemChange { item: id, change })
                })
                .collect();
            update(
                state,
                Action::Persisted {
                    batch: Batch { changes },
                    what,
                },
            );
        }
    }
}

#[test]
fn navigation_moves_and_clamps_the_cursor() {
    let mut s = sample_state((120, 40));
    update(&mut s, Action::Up);
    assert_eq!(s.cursor, 0);
    update(&mut s, Action::Down);
    update(&mut s, Action::Down);
    assert_eq!(s.cursor, 2);
    update(&mut s, Action::Bottom);
    assert_eq!(s.cursor, s.view.len() - 1);
    update(&mut s, Action::PageUp);
    assert!(s.cursor < s.view.len() - 1);
    update(&mut s, Action::Top);
    assert_eq!(s.cursor, 0);
    update(&mut s, Action::PageDown);
    assert!(s.cursor > 10);
    update(&mut s, Action::Scroll(-100));
    assert_eq!(s.cursor, 0);
}

#[test]
fn a_click_on_a_list_row_selects_it() {
    let mut s = sample_state((120, 40));
    update(&mut s, Action::Click(5, 1 + 2 + 3));
    assert_eq!(s.cursor, 3);
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
        assert_eq!(s.saving, 1);
        match s.outbox.as_slice() {
            [Effect::Apply { edits, .. }] => assert_eq!(edits, &vec![("4".to_string(), value.clone())]),
            other => panic!("expected one Apply, got {other:?}"),
        }
        persist_outbox(&mut s);
        assert_eq!(s.saving, 0);
    }
    assert_eq!(
        s.dataset.items[3].subset,
        Subset::Attack,
        "applied once persisted"
    );
    assert_eq!(
        s.dataset.items[3].gold,
        Gold::Unsafe,
        "changing the subset never changes the gold"
    );
}

#[test]
fn auto_advance_moves_on_after_a_decision() {
    let mut s = sample_state((120, 40));
    s.settings.config.auto_advance = true;
    update(&mut s, Action::Accept);
    assert_eq!(s.cursor, 1);
}

#[test]
fn undo_and_redo_go_to_the_writer() {
    let mut s = sample_state((120, 40));
    update(&mut s, Action::Undo);
    update(&mut s, Action::Redo);
    assert_eq!(s.outbox, vec![Effect::Undo, Effect::Redo]);
    assert_eq!(s.saving, 2);
}

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
    assert_eq!(s.mode, Mode::Browse);
    match s.outbox.as_slice() {
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
    assert_eq!(s.mode, Mode::Browse);
}

#[test]
fn the_note_editor_saves_multiple_lines_with_ctrl_s_and_esc_discards() {
    let mut s = sample_state((120, 40));
    update(&mut s, Action::EditNote);
    type_text(&mut s, "first");
    update(&mut s, Action::Newline);
    type_text(&mut s, "second");
    update(&mut s, Action::SaveNote);
    match s.outbox.as_slice() {
        [Effect::Apply { edits, .. }] => assert_eq!(edits[0].1, FieldValue::Notes("first\nsecond".into())),
        other => panic!("{other:?}"),
    }
    s.outbox.clear();
    update(&mut s, Action::EditNote);
    type_text(&mut s, "lost");
    update(&mut s, Action::Cancel);
    assert!(s.outbox.is_empty());
}

#[test]
fn a_filter_narrows_the_view_and_a_bad_one_reports_its_error() {
    let mut s = sample_state((120, 40));
    update(&mut s, Action::OpenFilter);
    type_text(&mut s, "subset:attack");
    update(&mut s, Action::Submit);
    assert_eq!(s.view.len(), 3);
    assert_eq!(s.filter, "subset:attack");
    update(&mut s, Action::OpenFilter);
    for _ in 0.."subset:attack".len() {
        update(&mut s, Action::Backspace);
    }
    type_text(&mut s, "statuss:x");
    update(&mut s, Action::Submit);
    assert!(matches!(&s.mode, Mode::Filter(_, Some(e)) if e.contains("unknown field")));
    update(&mut s, Action::Cancel);
    assert_eq!(s.view.len(), 3, "a failed filter keeps the old view");
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
    assert!(s.outbox.is_empty(), "nothing happens before the confirmation");
    update(&mut s, Action::Submit);
    match s.outbox.as_slice() {
        [Effect::Apply { edits, .. }] => assert_eq!(edits.len(), 3),
        other => panic!("{other:?}"),
    }
    update(&mut s, Action::BulkPrefix);
    update(&mut s, Action::Cancel);
    assert!(!s.bulk_armed);
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
    assert_eq!(s.current().unwrap().id, "30");
    assert!(s.filter.is_empty());
    update(&mut s, Action::OpenJump);
    type_text(&mut s, "nope");
    update(&mut s, Action::Submit);
    assert!(matches!(&s.mode, Mode::Jump(_, Some(e)) if e.contains("no item")));
}

#[test]
fn next_unreviewed_and_same_image_step_through_the_view() {
    let mut s = sample_state((120, 40));
    update(&mut s, Action::NextUnreviewed);
    assert_eq!(s.current().unwrap().id, "4");
    update(&mut s, Action::PrevUnreviewed);
    assert_eq!(s.current().unwrap().id, "34".replace("34", "33"));
    update(&mut s, Action::Top);
    update(&mut s, Action::NextSameImage);
    assert_eq!(s.current().unwrap().id, "13", "pills: items 1, 13, 18");
    update(&mut s, Action::PrevSameImage);
    assert_eq!(s.current().unwrap().id, "1");
}

#[test]
fn flags_toggle_and_views_are_saved_with_the_dataset() {
    let mut s = sample_state((120, 40));
    update(&mut s, Action::ToggleFlag);
    type_text(&mut s, "blurry");
    update(&mut s, Action::Submit);
    assert!(
        matches!(s.outbox.as_slice(), [Effect::Apply { edits, .. }] if edits[0].1 == FieldValue::Flag("blurry".into(), true))
    );
    s.outbox.clear();
    update(&mut s, Action::SaveView);
    assert_eq!(s.mode, Mode::Browse, "no filter, nothing to save");
    s.filter = "status:unreviewed".into();
    update(&mut s, Action::SaveView);
    type_text(&mut s, "todo");
    update(&mut s, Action::Submit);
    assert_eq!(s.views.get("todo").map(String::as_str), Some("status:unreviewed"));
    assert!(matches!(s.outbox.as_slice(), [Effect::SaveViews(_)]));
    update(&mut s, Action::OpenViews);
    for _ in 0..super::state::QUEUES.len() {
        update(&mut s, Action::Down);
    }
    update(&mut s, Action::Submit);
    assert_eq!(s.filter, "status:unreviewed");
}

#[test]
fn read_only_refuses_every_edit() {
    let mut s = sample_state((120, 40));
    s.read_only = Some("locked by pid 1 on host since then".into());
    for action in [
        Action::Accept,
        Action::Undo,
        Action::BulkPrefix,
        Action::EditNote,
        Action::PickScenario,
    ] {
        update(&mut s, action);
    }
    assert!(s.outbox.is_empty());
    assert_eq!(s.mode, Mode::Browse);
    assert!(s.message.as_ref().unwrap().0.contains("read-only"));
}

#[test]
fn help_history_reveal_and_quit() {
    let mut s = sample_state((120, 40));
    update(&mut s, Action::ToggleHelp);
    assert_eq!(s.mode, Mode::Help);
    update(&mut s, Action::Cancel);
    update(&mut s, Action::OpenHistory);
    assert!(matches!(s.outbox.as_slice(), [Effect::LoadHistory(id)] if id == "1"));
    update(&mut s, Action::HistoryLoaded("1".into(), Ok(vec![])));
    assert!(matches!(&s.mode, Mode::History(_, Some(Ok(v))) if v.is_empty()));
    update(&mut s, Action::Cancel);
    update(&mut s, Action::RevealImage);
    assert!(s.revealed.contains(&0));
    update(&mut s, Action::Quit);
    assert!(s.quit);
}

#[test]
fn text_from_data_is_shown_escaped() {
    let mut s = sample_state((120, 40));
    s.dataset.items[0].sentence = "clear\x1b[2J ring\x07".into();
    let text = screen(&s);
    assert!(text.contains("clear\\x1b[2J ring\\x07"), "{text}");
    assert!(!text.contains('\x1b') && !text.contains('\x07'));
}

#[test]
fn screen_list_and_detail_wide() {
    let mut s = sample_state((120, 40));
    update(&mut s, Action::Down);
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn screen_list_and_detail_narrow() {
    let mut s = sample_state((80, 24));
    update(&mut s, Action::Down);
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn screen_too_small() {
    let s = sample_state((50, 12));
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn screen_scenario_picker() {
    for size in [(120, 40), (80, 24)] {
        let mut s = sample_state(size);
        update(&mut s, Action::PickScenario);
        type_text(&mut s, "priv");
        insta::assert_snapshot!(format!("scenario_picker_{}x{}", size.0, size.1), screen(&s));
    }
}

#[test]
fn screen_filter_with_an_error() {
    for size in [(120, 40), (80, 24)] {
        let mut s = sample_state(size);
        s.mode = Mode::Filter(Editor::line("subset:atack"), None);
        update(&mut s, Action::Submit);
        insta::assert_snapshot!(format!("filter_error_{}x{}", size.0, size.1), screen(&s));
    }
}

#[test]
fn screen_help() {
    for size in [(120, 40), (80, 24)] {
        let mut s = sample_state(size);
        update(&mut s, Action::ToggleHelp);
        insta::assert_snapshot!(format!("help_{}x{}", size.0, size.1), screen(&s));
    }
}

#[test]
fn screen_bulk_confirmation() {
    for size in [(120, 40), (80, 24)] {
        let mut s = sample_state(size);
        update(&mut s, Action::BulkPrefix);
        update(&mut s, Action::Accept);
        insta::assert_snapshot!(format!("bulk_confirm_{}x{}", size.0, size.1), screen(&s));
    }
}

#[test]
fn screen_read_only_banner() {
    for size in [(120, 40), (80, 24)] {
        let mut s = sample_state(size);
        s.read_only = Some("locked by pid 4242 on lab-1 since 2026-11-22 09:00 UTC".into());
        update(&mut s, Action::Accept);
        insta::assert_snapshot!(format!("read_only_{}x{}", size.0, size.1), screen(&s));
    }
}

/// The sample state with its bundled responses scored, as the evaluation worker would.
fn scored_state(size: (u16, u16)) -> State {
    let mut s = sample_state(size);
    let models = safeaware::store::responses::load_all(&s.dir).unwrap();
    let evaluation = safeaware::eval::evaluate(&s.dataset, &models, &[], &Default::default());
    let data = super::state::EvalData::new(&s.dataset, models, evaluation);
    update(&mut s, Action::EvalLoaded(Ok(Some(Box::new(data)))));
    s
}

#[test]
fn compare_and_stats_wait_for_responses_and_say_why() {
    let mut s = sample_state((120, 40));
    update(&mut s, Action::OpenCompare);
    assert_eq!(s.mode, Mode::Browse);
    assert!(s.message.as_ref().unwrap().0.contains("still loading"));
    update(&mut s, Action::EvalLoaded(Ok(None)));
    update(&mut s, Action::OpenStats);
    assert!(s.message.as_ref().unwrap().0.contains("safeaware responses add"));
}

#[test]
fn compare_moves_between_items_and_models_and_cycles_an_override() {
    let mut s = scored_state((120, 40));
    update(&mut s, Action::OpenCompare);
    update(&mut s, Action::Down);
    assert_eq!(
        s.current().unwrap().id,
        "2",
        "j moves to the next item inside Compare"
    );
    update(&mut s, Action::Right);
    update(&mut s, Action::Right);
    update(&mut s, Action::Right);
    assert!(
        matches!(s.mode, Mode::Compare(v) if v.selected == 2),
        "clamped to the last model"
    );
    update(&mut s, Action::Override);
    match s.outbox.as_slice() {
        [Effect::SetOverride { model, item, verdict }] => {
            assert_eq!(
                (model.as_str(), item.as_str(), *verdict),
                ("sample-permissive", "2", Some(safeaware::model::Verdict::Safe))
            );
        }
        other => panic!("{other:?}"),
    }
    s.outbox.clear();
    update(
        &mut s,
        Action::OverrideSaved(Ok((
            "sample-permissive".into(),
            "2".into(),
            Some(safeaware::model::Verdict::Unsafe),
        ))),
    );
    update(&mut s, Action::Cancel);
    update(&mut s, Action::OpenStats);
    let EvalStatus::Ready(data) = &s.eval else {
        panic!("ready")
    };
    assert_eq!(
        data.evaluation.reports[2].overrides, 1,
        "the override counts once the view refreshes"
    );
}

#[test]
fn enter_on_a_stats_cell_filters_to_that_models_wrong_items_in_the_slice() {
    let mut s = scored_state((120, 40));
    update(&mut s, Action::OpenStats);
    update(&mut s, Action::Right);
    update(&mut s, Action::Right);
    update(&mut s, Action::Submit);
    assert_eq!(s.mode, Mode::Browse);
    assert_eq!(s.filter, "wrong:sample-permissive subset:typical");
    let EvalStatus::Ready(data) = &s.eval else {
        panic!("ready")
    };
    let wrong = data.evaluation.reports[2].typical.total - data.evaluation.reports[2].typical.correct;
    assert_eq!(s.view.len() as u64, wrong);
}

#[test]
fn relabeling_an_item_changes_the_scores() {
    let mut s = scored_state((120, 40));
    let before = match &s.eval {
        EvalStatus::Ready(d) => d.evaluation.reports[0].typical.correct,
        _ => unreachable!(),
    };
    let change = safeaware::model::Change::Gold {
        old: Gold::Unsafe,
        new: Gold::Safe,
    };
    update(
        &mut s,
        Action::Persisted {
            batch: Batch {
                changes: vec![ItemChange {
                    item: "1".into(),
                    change,
                }],
            },
            what: "gold".into(),
        },
    );
    update(&mut s, Action::OpenStats);
    let after = match &s.eval {
        EvalStatus::Ready(d) => d.evaluation.reports[0].typical.correct,
        _ => unreachable!(),
    };
    assert_eq!(
        after + 1,
        before,
        "the cautious model said No to item 1, now wrong"
    );
}

#[test]
fn the_contrast_queue_holds_mixed_groups_a_model_fails_on_one_side() {
    let mut s = scored_state((120, 40));
    update(&mut s, Action::OpenFilter);
    type_text(&mut s, "is:contrast_fail");
    update(&mut s, Action::Submit);
    assert!(!s.view.is_empty());
    for &i in &s.view {
        let group = s.image_group(i);
        let golds: std::collections::HashSet<Gold> = group.iter().map(|&g| s.dataset.items[g].gold).collect();
        assert_eq!(
            golds.len(),
            2,
            "item {} is in a mixed-gold group",
            s.dataset.items[i].id
        );
    }
}

#[test]
fn screen_compare() {
    for size in [(120, 40), (80, 24)] {
        let mut s = scored_state(size);
        update(&mut s, Action::OpenCompare);
        insta::assert_snapshot!(format!("compare_{}x{}", size.0, size.1), screen(&s));
    }
}

#[test]
fn screen_stats() {
    for size in [(120, 40), (80, 24)] {
        let mut s = scored_state(size);
        update(&mut s, Action::OpenStats);
        insta::assert_snapshot!(format!("stats_{}x{}", size.0, size.1), screen(&s));
    }
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
    assert_eq!(s.filter, "subset:attack");
    assert_eq!(s.view.len(), 3);
}

#[test]
fn resize_relayouts_and_drops_encoded_images() {
    let mut s = sample_state((120, 40));
    update(&mut s, Action::Resize(80, 24));
    assert_eq!(s.size, (80, 24));
    update(&mut s, Action::Bottom);
    let rows = super::layout::list_rows(&super::layout::areas(80, 24, false).unwrap());
    assert_eq!(
        s.list_offset,
        s.view.len() - rows,
        "the cursor row stays on screen after a resize"
    );
    assert!(screen(&s).contains("34/34 of 34"));
}

#[test]
fn images_are_requested_for_the_item_and_its_neighbours_and_hidden_ones_wait() {
    let mut s = sample_state((120, 40));
    s.images_on = true;
    update(&mut s, Action::Down);
    let requested: Vec<usize> = s
        .outbox
        .iter()
        .flat_map(|e| match e {
            Effect::LoadImages(r) => r.iter().map(|r| r.key.item).collect::<Vec<_>>(),
            _ => vec![],
        })
        .collect();
    assert_eq!(requested[0], 1, "the current item first");
    assert!(requested.contains(&0) && requested.contains(&2) && requested.contains(&3));
    let mut hidden = sample_state((120, 40));
    hidden.images_on = true;
    hidden.settings.config.hide_images = true;
    update(&mut hidden, Action::Down);
    assert!(hidden.outbox.is_empty(), "hidden images are not even decoded");
    assert!(screen(&hidden).contains("image hidden"));
    update(&mut hidden, Action::RevealImage);
    assert!(
        matches!(hidden.outbox.as_slice(), [Effect::LoadImages(r)] if r.len() == 1 && r[0].key.item == 1)
    );
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
