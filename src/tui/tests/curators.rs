//! Several curators: blind mode hides what would give the answer away, the blind order is
//! seeded per curator, the detail pane shows the consensus rules, and the Adjudicate view
//! takes a curator's label durably and undoably. Each test opens a real session on a copy
//! of the sample and plays the writer's part synchronously.

use super::*;
use crate::tui::curators::snapshot;
use crate::tui::state::Mode;
use safeaware::labels::{ItemLabel, Layer, write_layer};
use safeaware::model::Gold;
use safeaware::session::Session;
use std::path::{Path, PathBuf};

/// Item 3 (position 2) is where bob and cy disagree on gold, with notes.
const DISPUTED: &str = "3";

fn other(gold: Gold) -> Gold {
    match gold {
        Gold::Safe => Gold::Unsafe,
        Gold::Unsafe => Gold::Safe,
    }
}

/// A copy of the sample where bob and cy labeled item 3 differently (bob with a note).
fn two_curators_disagree() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let ds = tmp.path().join("ds");
    let dataset = safeaware::synth::write_sample(&ds, false).unwrap();
    let base = dataset.items[dataset.position(DISPUTED).unwrap()].gold;
    for (name, gold, note) in [("bob", other(base), Some("BOBSECRETNOTE")), ("cy", base, None)] {
        let mut layer = Layer::new();
        layer.insert(
            DISPUTED.into(),
            ItemLabel {
                gold: Some(gold),
                notes: note.map(String::from),
                ..ItemLabel::default()
            },
        );
        write_layer(&ds, name, &layer).unwrap();
    }
    (tmp, ds)
}

/// Opens `ds` as the TUI does, as `curator`.
fn open_as(ds: &Path, curator: &str, blind: bool, size: (u16, u16)) -> (State, Session) {
    let mut s = settings();
    s.config.curator = Some(curator.into());
    let (state, session) = crate::tui::open(ds, &s, size, false, blind).unwrap();
    (state, session.expect("writable"))
}

/// Carries out the outbox the way the writer does, reporting back like it.
fn drive(state: &mut State, session: &mut Session) {
    for effect in std::mem::take(&mut state.ws.outbox) {
        let (saved, what) = match effect {
            Effect::Apply { edits, what } => (session.apply(edits), what),
            Effect::Adjudicate { from, edits, what } => (session.adjudicate_from(&from, edits), what),
            Effect::Undo => (session.undo(), "undo".into()),
            Effect::Redo => (session.redo(), "redo".into()),
            Effect::AddSeconds { item, seconds } => {
                session.add_seconds(&item, seconds);
                continue;
            }
            _ => continue,
        };
        let batch = saved.unwrap().batch;
        let labels = snapshot(session, &batch);
        update(state, Action::Persisted { batch, what });
        update(state, Action::LabelsChanged(labels));
    }
}

fn move_to_item(state: &mut State, id: &str) {
    let i = state.ws.dataset.position(id).unwrap();
    let at = state.ws.view.iter().position(|&v| v == i).unwrap();
    state.ws.move_to(at);
}

#[test]
fn blind_mode_shows_no_gold_no_other_curator_and_no_model_output() {
    let (_tmp, ds) = two_curators_disagree();
    let (mut s, mut session) = open_as(&ds, "ana", true, (120, 40));
    move_to_item(&mut s, DISPUTED);
    let shown = screen(&s);
    assert!(shown.contains("BLIND ana"), "{shown}");
    for hidden in [
        "BOBSECRETNOTE",
        "bob",
        "cy=",
        "Gold",
        "Decided",
        "Disagree",
        "Subset",
        "Findings",
        "accepted",
    ] {
        assert!(
            !shown.contains(hidden),
            "{hidden:?} is on the blind screen:\n{shown}"
        );
    }
    for (action, mode_stays) in [
        (Action::OpenCompare, "compare"),
        (Action::OpenStats, "stats"),
        (Action::OpenFamily, "family"),
        (Action::OpenAdjudicate, "adjudicate"),
        (Action::AcceptSuggestion, "suggestion"),
        (Action::OpenFilter, "filter"),
    ] {
        update(&mut s, action);
        assert!(
            matches!(s.mode, Mode::Browse),
            "{mode_stays} opened in blind mode"
        );
        assert!(
            s.ws.message.as_ref().is_some_and(|(m, _)| m.contains("blind")),
            "{mode_stays}"
        );
    }
    update(&mut s, Action::GoldUnsafe);
    drive(&mut s, &mut session);
    let shown = screen(&s);
    assert!(shown.contains("unsafe (No)"), "the own answer shows:\n{shown}");
    assert!(shown.contains(" 1/"), "progress counts the answer:\n{shown}");
    let label = &session.labels().layers["ana"][DISPUTED];
    assert_eq!((label.gold, label.blind), (Some(Gold::Unsafe), true));
}

#[test]
fn the_blind_order_is_stable_across_restarts_and_differs_per_curator() {
    let (_tmp, ds) = two_curators_disagree();
    let (ana, session) = open_as(&ds, "ana", true, (120, 40));
    let first = ana.ws.view.clone();
    drop(session);
    let (again, session) = open_as(&ds, "ana", true, (120, 40));
    assert_eq!(again.ws.view, first, "same order after a restart");
    drop(session);
    let (dan, _session) = open_as(&ds, "dan", true, (120, 40));
    assert_ne!(dan.ws.view, first, "another curator, another order");
    assert_ne!(first, (0..first.len()).collect::<Vec<_>>(), "not the file order");
}

#[test]
fn blind_mode_keeps_to_the_assignment_and_resumes_at_the_first_unanswered() {
    let (_tmp, ds) = two_curators_disagree();
    let (s, session) = open_as(&ds, "ana", false, (120, 40));
    let ids: Vec<String> = s.ws.dataset.items.iter().take(4).map(|i| i.id.clone()).collect();
    let assignments = [("ana".to_string(), ids.clone())].into_iter().collect();
    safeaware::labels::assign::save(session.lock(), &assignments).unwrap();
    drop(session);
    let (mut s, mut session) = open_as(&ds, "ana", true, (120, 40));
    assert_eq!(s.ws.view.len(), 4, "only the assigned items");
    update(&mut s, Action::GoldSafe);
    drive(&mut s, &mut session);
    let answered = s.ws.dataset.items[s.ws.view[0]].id.clone();
    session.compact().unwrap();
    drop(session);
    let (s, _session) = open_as(&ds, "ana", true, (120, 40));
    assert_ne!(
        s.ws.current().unwrap().id,
        answered,
        "resumes after the answered item"
    );
}

#[test]
fn the_detail_pane_names_the_rule_and_who_disagrees() {
    let (_tmp, ds) = two_curators_disagree();
    let (mut s, _session) = open_as(&ds, "ana", false, (120, 40));
    move_to_item(&mut s, DISPUTED);
    let shown = screen(&s);
    assert!(shown.contains("Decided  gold: disputed"), "{shown}");
    assert!(shown.contains("gold: bob="), "{shown}");
    assert!(shown.contains("│ ana "), "the curator is in the header:\n{shown}");
}

#[test]
fn adjudicating_takes_a_curators_label_durably_and_undo_brings_the_item_back() {
    let (_tmp, ds) = two_curators_disagree();
    let (mut s, mut session) = open_as(&ds, "ana", false, (120, 40));
    update(&mut s, Action::OpenAdjudicate);
    let Mode::Adjudicate(view) = &s.mode else {
        panic!("the Adjudicate view did not open: {:?}", s.ws.message)
    };
    let i = s.ws.dataset.position(DISPUTED).unwrap();
    assert_eq!(view.queue, vec![i]);
    insta::assert_snapshot!("adjudicate_120x40", screen(&s));
    let bob = session.labels().layers["bob"][DISPUTED].gold;
    update(&mut s, Action::TakeLabel(1));
    drive(&mut s, &mut session);
    assert_eq!(
        session.labels().adjudications[DISPUTED].gold,
        bob,
        "bob is curator 1"
    );
    assert_eq!(
        session.labels().adjudications[DISPUTED].from.as_deref(),
        Some("bob"),
        "the adjudication records whose label it took"
    );
    assert_eq!(session.dataset().items[i].gold, bob.unwrap());
    let Mode::Adjudicate(view) = &s.mode else { panic!() };
    assert!(view.queue.is_empty(), "the queue shrinks");
    update(&mut s, Action::Undo);
    drive(&mut s, &mut session);
    assert!(!session.labels().adjudications.contains_key(DISPUTED), "undone");
    let Mode::Adjudicate(view) = &s.mode else { panic!() };
    assert_eq!(view.current(), Some(i), "the item is back in the queue");
    update(&mut s, Action::TakeMajority);
    assert!(s.ws.outbox.is_empty(), "two curators split: no majority");
    update(&mut s, Action::TakeLabel(7));
    assert!(s.ws.outbox.is_empty(), "no curator 7");
}

#[test]
fn screen_blind_browse() {
    for size in [(120, 40), (80, 24)] {
        let (_tmp, ds) = two_curators_disagree();
        let (mut s, mut session) = open_as(&ds, "ana", true, size);
        update(&mut s, Action::GoldSafe);
        drive(&mut s, &mut session);
        s.ws.message = None;
        insta::assert_snapshot!(format!("blind_browse_{}x{}", size.0, size.1), screen(&s));
    }
}

#[test]
fn screen_adjudicate_narrow() {
    let (_tmp, ds) = two_curators_disagree();
    let (mut s, _session) = open_as(&ds, "ana", false, (80, 24));
    update(&mut s, Action::OpenAdjudicate);
    insta::assert_snapshot!("adjudicate_80x24", screen(&s));
}

#[test]
fn the_progress_overlay_lists_every_curator() {
    let (_tmp, ds) = two_curators_disagree();
    let (mut s, _session) = open_as(&ds, "ana", false, (120, 40));
    update(&mut s, Action::OpenProgress);
    assert!(matches!(s.mode, Mode::Progress(_)));
    let shown = screen(&s);
    assert!(shown.contains("bob") && shown.contains("cy"), "{shown}");
    update(&mut s, Action::Cancel);
    assert!(matches!(s.mode, Mode::Browse));
}

#[test]
fn a_blind_answer_moves_on_and_blind_progress_gives_no_subset_away() {
    let (_tmp, ds) = two_curators_disagree();
    let (mut s, mut session) = open_as(&ds, "ana", true, (120, 40));
    let first = s.ws.current_index();
    update(&mut s, Action::GoldUnsafe);
    drive(&mut s, &mut session);
    assert_ne!(
        s.ws.current_index(),
        first,
        "one key per answer: the next item is up"
    );
    update(&mut s, Action::OpenProgress);
    let shown = screen(&s);
    assert!(shown.contains("ana") && shown.contains("1/"), "{shown}");
    for subset in ["typical", "attack", "over_safety"] {
        assert!(
            !shown.contains(subset),
            "the blind progress names a subset ({subset}), which hints at the gold just given:\n{shown}"
        );
    }
}
