//! Suggestions, the family view and keeping queues fresh after edits.

use super::*;
use safeaware::families::{AttackPatterns, Families};
use safeaware::model::FieldValue;

/// The sample with the attack items' scenarios cleared and its families built.
fn suggesting_state() -> State {
    let mut s = sample_state((120, 40));
    for item in s.ws.dataset.items.iter_mut() {
        if item.subset == safeaware::model::Subset::Attack {
            item.scenario = None;
        }
    }
    let families = Families::build(&s.ws.dataset, &AttackPatterns::default());
    update(&mut s, Action::FamiliesReady(Ok(Box::new(families))));
    s
}

fn go_to(s: &mut State, id: &str) {
    let i = s.ws.dataset.position(id).unwrap();
    let p = s.ws.view.binary_search(&i).unwrap();
    s.ws.move_to(p);
}

#[test]
fn the_detail_pane_shows_the_suggestion_and_one_key_accepts_it() {
    let mut s = suggesting_state();
    go_to(&mut s, "15");
    let suggestion =
        s.ws.suggestion(14)
            .expect("a wrapped variant gets a suggestion")
            .clone();
    assert_eq!(suggestion.scenario, "goal_hijacking");
    let text = screen(&s);
    assert!(text.contains("suggested goal_hijacking (p accepts)"), "{text}");
    update(&mut s, Action::AcceptSuggestion);
    match s.ws.outbox.as_slice() {
        [Effect::Apply { edits, .. }] => assert_eq!(
            edits,
            &vec![(
                "15".to_string(),
                FieldValue::Scenario(Some("goal_hijacking".into()))
            )]
        ),
        other => panic!("{other:?}"),
    }
    persist_outbox(&mut s);
    assert!(s.ws.suggestion(14).is_none(), "a labeled item has no suggestion");
}

#[test]
fn bulk_accepting_the_suggestions_queue_is_one_confirmed_edit() {
    let mut s = suggesting_state();
    update(&mut s, Action::OpenFilter);
    type_text(&mut s, "is:suggested");
    update(&mut s, Action::Submit);
    let suggested = s.ws.view.len();
    assert!(suggested >= 3, "the three attack items at least: {suggested}");
    update(&mut s, Action::BulkPrefix);
    update(&mut s, Action::AcceptSuggestion);
    let Mode::Confirm(plan) = &s.mode else {
        panic!("bulk asks first: {:?}", s.mode)
    };
    assert_eq!(plan.ids.len(), suggested);
    update(&mut s, Action::Submit);
    let [Effect::Apply { edits, .. }] = s.ws.outbox.as_slice() else {
        panic!("one action (one undo step): {:?}", s.ws.outbox)
    };
    assert_eq!(edits.len(), suggested);
    assert!(
        edits
            .iter()
            .any(|(id, v)| id == "16" && *v == FieldValue::Scenario(Some("role_play".into())))
    );
    persist_outbox(&mut s);
    assert!(
        s.ws.view.is_empty(),
        "the queue empties as its suggestions are accepted"
    );
}

#[test]
fn the_picker_opens_on_the_suggestion_with_the_subset_first_and_none_last() {
    let mut s = suggesting_state();
    go_to(&mut s, "16");
    update(&mut s, Action::PickScenario);
    let Mode::Scenario(picker) = &s.mode else {
        panic!("picker")
    };
    let choices = crate::tui::screens::picker::choices(&s.ws, "");
    assert_eq!(choices[picker.selected].0.as_deref(), Some("role_play"));
    assert_eq!(
        choices[0].0.as_deref(),
        Some("goal_hijacking"),
        "attack scenarios first"
    );
    assert_eq!(choices.last().unwrap().0, None, "(none) is last");
    let text = screen(&s);
    assert!(
        text.contains("Imagine you are a chemist"),
        "the picker leaves the sentence readable:\n{text}"
    );
}

#[test]
fn labeling_a_base_updates_the_suggestions_of_items_sharing_its_image_at_once() {
    let mut s = suggesting_state();
    update(&mut s, Action::OpenFilter);
    type_text(&mut s, "is:suggested");
    update(&mut s, Action::Submit);
    let before = s.ws.view.len();
    update(&mut s, Action::OpenFilter);
    type_text(&mut s, "");
    update(&mut s, Action::Submit);
    assert!(before > 0);
    assert!(s.ws.facts().suggestions.is_some(), "queries see the suggestions");
}

#[test]
fn the_family_view_lists_the_base_and_its_variants_with_verdicts() {
    let mut s = suggesting_state();
    let models = safeaware::store::responses::load_all(&s.ws.dir).unwrap();
    let evaluation = safeaware::eval::evaluate(&s.ws.dataset, &models, &[], &Default::default());
    let data = crate::tui::scores::EvalData::new(&s.ws.dataset, models, evaluation);
    update(&mut s, Action::EvalLoaded(Ok(Some(Box::new(data)))));
    go_to(&mut s, "16");
    update(&mut s, Action::OpenFamily);
    let Mode::Family(view) = &s.mode else {
        panic!("family view: {:?}", s.ws.message)
    };
    assert!(view.members.len() >= 2);
    assert_eq!(
        view.members[view.selected], 15,
        "opens on the member it came from"
    );
    insta::assert_snapshot!("family_120x40", screen(&s));
    update(&mut s, Action::Up);
    update(&mut s, Action::JumpToItem);
    assert!(matches!(s.mode, Mode::Browse));
    let base = s.ws.current_index().unwrap();
    assert_eq!(s.ws.dataset.items[base].subset, safeaware::model::Subset::Typical);
}

#[test]
fn an_item_whose_scenario_was_just_set_leaves_the_unlabeled_queue() {
    let mut s = suggesting_state();
    update(&mut s, Action::OpenFilter);
    type_text(&mut s, "scenario:none");
    update(&mut s, Action::Submit);
    let before = s.ws.view.len();
    go_to(&mut s, "15");
    let next = s.ws.view[s.ws.cursor + 1];
    update(&mut s, Action::AcceptSuggestion);
    persist_outbox(&mut s);
    assert_eq!(s.ws.view.len(), before - 1, "the labeled item left the queue");
    assert_eq!(s.ws.current_index(), Some(next), "the cursor is on the next one");
    assert_eq!(s.ws.view_counts.iter().sum::<usize>(), before - 1);
    assert_eq!(s.ws.findings_generation, 1);
    assert_eq!(
        s.ws.revalidate.len(),
        1,
        "the change waits for the validation worker"
    );
}

#[test]
fn findings_from_the_worker_refresh_the_findings_queue() {
    let mut s = sample_state((120, 40));
    let n = s.ws.dataset.items.len();
    let none = safeaware::query::FindingKinds::from(Vec::new());
    let mut findings = vec![none.clone(); n];
    findings[2] = vec!["glued_digit".to_string()].into();
    update(&mut s, Action::FindingsReady(0, findings));
    update(&mut s, Action::OpenFilter);
    type_text(&mut s, "finding:any");
    update(&mut s, Action::Submit);
    assert_eq!(s.ws.view, vec![2]);
    update(&mut s, Action::FindingsReady(0, vec![none; n]));
    assert!(
        s.ws.view.is_empty(),
        "fixed items leave the queue when validation reruns"
    );
}

#[test]
fn responses_changed_on_disk_are_picked_up_with_a_message() {
    let mut s = scored_state((120, 40));
    let models = safeaware::store::responses::load_all(&s.ws.dir).unwrap();
    let evaluation = safeaware::eval::evaluate(&s.ws.dataset, &models[..1], &[], &Default::default());
    let data = crate::tui::scores::EvalData::new(&s.ws.dataset, models[..1].to_vec(), evaluation);
    update(&mut s, Action::EvalReloaded(Ok(Some(Box::new(data)))));
    let crate::tui::scores::EvalStatus::Ready(data) = &s.ws.eval else {
        panic!("ready")
    };
    assert_eq!(data.evaluation.models.len(), 1);
    assert!(
        s.ws.message
            .as_ref()
            .unwrap()
            .0
            .contains("responses changed on disk")
    );
}
