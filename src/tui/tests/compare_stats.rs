//! Compare and Stats over the bundled responses.

use super::*;
use crate::tui::scores::EvalStatus;
use crate::tui::state::Mode;
use safeaware::model::Gold;

#[test]
fn compare_and_stats_wait_for_responses_and_say_why() {
    let mut s = sample_state((120, 40));
    update(&mut s, Action::OpenCompare);
    assert!(matches!(s.mode, Mode::Browse));
    assert!(s.ws.message.as_ref().unwrap().0.contains("still loading"));
    update(&mut s, Action::EvalLoaded(Ok(None)));
    update(&mut s, Action::OpenStats);
    assert!(
        s.ws.message
            .as_ref()
            .unwrap()
            .0
            .contains("safeaware responses add")
    );
}

#[test]
fn compare_moves_between_items_and_models_and_chooses_an_override() {
    let mut s = scored_state((120, 40));
    update(&mut s, Action::OpenCompare);
    update(&mut s, Action::Down);
    assert_eq!(
        s.ws.current().unwrap().id,
        "2",
        "j moves to the next item inside Compare"
    );
    update(&mut s, Action::Right);
    update(&mut s, Action::Right);
    update(&mut s, Action::Right);
    assert!(
        matches!(&s.mode, Mode::Compare(v) if v.selected == 2),
        "clamped to the last model"
    );
    update(&mut s, Action::Override);
    assert!(
        matches!(&s.mode, Mode::Compare(v) if v.choosing == Some(0)),
        "o opens the chooser on the parsed verdict"
    );
    update(&mut s, Action::Down);
    update(&mut s, Action::Submit);
    match s.ws.outbox.as_slice() {
        [Effect::SetOverride { model, item, verdict }] => {
            assert_eq!(
                (model.as_str(), item.as_str(), *verdict),
                ("sample-permissive", "2", Some(safeaware::model::Verdict::Safe))
            );
        }
        other => panic!("{other:?}"),
    }
    s.ws.outbox.clear();
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
    let EvalStatus::Ready(data) = &s.ws.eval else {
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
    assert!(matches!(s.mode, Mode::Browse));
    assert_eq!(s.ws.filter, "wrong:sample-permissive subset:typical");
    let EvalStatus::Ready(data) = &s.ws.eval else {
        panic!("ready")
    };
    let wrong = data.evaluation.reports[2].typical.total - data.evaluation.reports[2].typical.correct;
    assert_eq!(s.ws.view.len() as u64, wrong);
}

#[test]
fn relabeling_an_item_changes_the_scores() {
    let mut s = scored_state((120, 40));
    let before = match &s.ws.eval {
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
    let after = match &s.ws.eval {
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
    assert!(!s.ws.view.is_empty());
    for &i in &s.ws.view {
        let group = s.ws.image_group(i);
        let golds: std::collections::HashSet<Gold> =
            group.iter().map(|&g| s.ws.dataset.items[g].gold).collect();
        assert_eq!(
            golds.len(),
            2,
            "item {} is in a mixed-gold group",
            s.ws.dataset.items[i].id
        );
    }
}

#[test]
fn label_keys_work_in_compare_and_u_takes_back_labels_and_verdicts() {
    let mut s = scored_state((120, 40));
    update(&mut s, Action::OpenCompare);
    update(&mut s, Action::Reject);
    match s.ws.outbox.as_slice() {
        [Effect::Apply { edits, .. }] => assert_eq!(
            edits,
            &vec![(
                "1".to_string(),
                safeaware::model::FieldValue::Status(safeaware::model::Status::Rejected)
            )]
        ),
        other => panic!("{other:?}"),
    }
    persist_outbox(&mut s);
    update(&mut s, Action::Override);
    update(&mut s, Action::Down);
    update(&mut s, Action::Down);
    update(&mut s, Action::Submit);
    assert!(matches!(
        s.ws.outbox.as_slice(),
        [Effect::SetOverride {
            verdict: Some(safeaware::model::Verdict::Unsafe),
            ..
        }]
    ));
    s.ws.outbox.clear();
    update(&mut s, Action::Undo);
    assert!(
        matches!(
            s.ws.outbox.as_slice(),
            [Effect::SetOverride { verdict: None, .. }]
        ),
        "u restores the verdict the override replaced: {:?}",
        s.ws.outbox
    );
    s.ws.outbox.clear();
    update(&mut s, Action::Undo);
    assert_eq!(s.ws.outbox, vec![Effect::Undo], "then the label");
    s.ws.outbox.clear();
    update(&mut s, Action::Undo);
    assert!(s.ws.outbox.is_empty());
    assert!(s.ws.message.as_ref().unwrap().0.contains("nothing to undo"));
}

#[test]
fn compare_shows_which_lines_of_a_long_response_are_visible() {
    let mut s = scored_state((120, 40));
    if let EvalStatus::Ready(data) = &mut s.ws.eval {
        let long: Vec<String> = (1..=500).map(|n| format!("line {n}")).collect();
        data.replace_response(0, "1", &long.join("\n"));
    }
    update(&mut s, Action::OpenCompare);
    update(&mut s, Action::PageDown);
    let text = screen(&s);
    assert!(text.contains("line 6\n") || text.contains("line 6 "), "{text}");
    assert!(!text.contains("line 5 "), "scrolled past line 5");
    assert!(text.contains("lines 6-"), "{text}");
    assert!(text.contains("of 500"), "{text}");
}

#[test]
fn stats_apply_the_filter_and_say_so_with_a_total_row() {
    let mut s = scored_state((120, 40));
    update(&mut s, Action::OpenFilter);
    type_text(&mut s, "subset:attack");
    update(&mut s, Action::Submit);
    update(&mut s, Action::OpenStats);
    let text = screen(&s);
    assert!(text.contains("filtered: 3 of 34 items"), "{text}");
    let Mode::Stats(view) = &s.mode else {
        panic!("stats")
    };
    assert_eq!(
        view.counts.subsets[0][0].total, 0,
        "no typical item passes the filter"
    );
    assert_eq!(view.counts.subsets[0][1].total, 3);
    assert!(text.contains("Total"), "{text}");
    assert!(text.contains("Responses"), "{text}");
    assert!(text.contains("3 / 3"), "{text}");
}

#[test]
fn stats_count_responses_with_nothing_to_read_apart_from_unparsed_ones() {
    let mut s = sample_state((120, 40));
    let mut models = safeaware::store::responses::load_all(&s.ws.dir).unwrap();
    models[0].responses[0].text = "FinishReason.SAFETY".into();
    let evaluation = safeaware::eval::evaluate(&s.ws.dataset, &models, &[], &Default::default());
    assert_eq!(evaluation.reports[0].no_answer, 1);
    let data = crate::tui::scores::EvalData::new(&s.ws.dataset, models, evaluation);
    update(&mut s, Action::EvalLoaded(Ok(Some(Box::new(data)))));
    update(&mut s, Action::OpenStats);
    let Mode::Stats(view) = &s.mode else {
        panic!("stats")
    };
    assert_eq!(view.counts.no_answer[0], 1);
    let text = screen(&s);
    assert!(text.contains("+1 no answer"), "{text}");
    update(&mut s, Action::Cancel);
    update(&mut s, Action::OpenCompare);
    let text = screen(&s);
    assert!(text.contains("no_answer - left out of accuracy"), "{text}");
}
