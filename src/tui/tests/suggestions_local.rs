//! After a scenario edit only the suggestions it can change are recomputed.

use super::*;
use safeaware::families::{AttackPatterns, Families, suggestions};
use safeaware::model::FieldValue;

/// The sample with no scenario labels at all, its families built.
fn unlabeled_state() -> State {
    let mut s = sample_state((120, 40));
    for item in s.ws.dataset.items.iter_mut() {
        item.scenario = None;
    }
    let families = Families::build(&s.ws.dataset, &AttackPatterns::default());
    update(&mut s, Action::FamiliesReady(Ok(Box::new(families))));
    s
}

fn label_scenario(s: &mut State, id: &str, key: &str) {
    let i = s.ws.dataset.position(id).unwrap();
    let p = s.ws.view.binary_search(&i).unwrap();
    s.ws.move_to(p);
    s.ws.label(FieldValue::Scenario(Some(key.into())), "scenario");
    persist_outbox(s);
}

#[test]
fn labeling_an_item_suggests_its_label_to_the_items_sharing_its_image_without_a_full_recompute() {
    let mut s = unlabeled_state();
    assert_eq!(s.ws.suggestions_rebuilt, 1, "once, when the families arrive");
    let six = s.ws.dataset.position("6").unwrap();
    assert!(s.ws.suggestion(six).is_none(), "nothing to go by yet");
    label_scenario(&mut s, "4", "pornography");
    let suggestion = s.ws.suggestion(six).expect("item 6 shares item 4's image");
    assert_eq!(suggestion.scenario, "pornography");
    assert!(suggestion.reason.contains("item 4"), "{}", suggestion.reason);
    assert_eq!(
        s.ws.suggestions_rebuilt, 1,
        "the edit recomputed only the items it affects"
    );
    let families = s.ws.families.as_ref().unwrap();
    assert_eq!(
        s.ws.suggestions,
        suggestions(&s.ws.dataset, families),
        "and they equal a full recompute"
    );
}

#[test]
fn labeling_a_base_keeps_every_suggestion_equal_to_a_full_recompute() {
    let mut s = unlabeled_state();
    let families = s.ws.families.clone().unwrap();
    let family = families.families.first().expect("the sample has a family");
    let base = s.ws.dataset.items[family.base].id.clone();
    label_scenario(&mut s, &base, "crime");
    let variant = family.variants[0].item;
    assert!(
        s.ws.suggestion(variant).is_some(),
        "its variants keep their suggestion"
    );
    assert!(s.ws.suggestion(family.base).is_none(), "the base is labeled");
    assert_eq!(s.ws.suggestions, suggestions(&s.ws.dataset, &families));
    assert_eq!(s.ws.suggestions_rebuilt, 1);
}
