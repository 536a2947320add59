//! Blind labeling: each curator works through their items in their own seeded random
//! order (so neighbours in the file, which often share an image or a family, do not
//! prime the answer), and time per item is capped so an idle terminal does not count.

use super::assign::Assignments;
use crate::model::Dataset;
use rand::SeedableRng;
use rand::seq::SliceRandom;

/// Longest time one visit of an item counts (seconds): a curator who leaves the terminal
/// on an item does not make it look slow.
pub const MAX_SECONDS_PER_VISIT: u64 = 300;

/// The seed of a curator's order on a dataset: FNV-1a over the curator's name and the
/// dataset's name, stable across runs, machines and Rust versions.
pub fn seed(curator: &str, dataset_name: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in curator.bytes().chain([0u8]).chain(dataset_name.bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// Dataset positions of the items `curator` labels blind, in their seeded random order:
/// their assignment when `assignments` names them, else every item.
pub fn order(dataset: &Dataset, curator: &str, assignments: &Assignments) -> Vec<usize> {
    let mut items: Vec<usize> = match assignments.get(curator) {
        Some(ids) => {
            let mut positions: Vec<usize> = ids.iter().filter_map(|id| dataset.position(id)).collect();
            positions.sort_unstable();
            positions.dedup();
            positions
        }
        None => (0..dataset.items.len()).collect(),
    };
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed(curator, &dataset.manifest.name));
    items.shuffle(&mut rng);
    items
}

/// Seconds one visit counts: whole seconds rounded up (a quick answer still counts one
/// second), at most [`MAX_SECONDS_PER_VISIT`].
pub fn visit_seconds(elapsed: std::time::Duration) -> u64 {
    let whole = elapsed.as_secs() + u64::from(elapsed.subsec_nanos() > 0);
    whole.min(MAX_SECONDS_PER_VISIT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn sample() -> (tempfile::TempDir, Dataset) {
        let dir = tempfile::tempdir().unwrap();
        let ds = dir.path().join("ds");
        crate::synth::write_sample(&ds, false).unwrap();
        let d = crate::store::load(&ds).unwrap();
        (dir, d)
    }

    #[test]
    fn each_curator_has_a_stable_order_of_their_own() {
        let (_dir, d) = sample();
        let none = Assignments::new();
        let ana = order(&d, "ana", &none);
        assert_eq!(ana, order(&d, "ana", &none), "stable across calls (and runs)");
        assert_ne!(ana, order(&d, "bob", &none), "another curator, another order");
        assert_ne!(ana, (0..d.items.len()).collect::<Vec<_>>(), "shuffled");
        let mut sorted = ana.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..d.items.len()).collect::<Vec<_>>(), "every item once");
        assert_ne!(
            seed("ana", "x"),
            seed("ana", "y"),
            "another dataset, another order"
        );
        assert_ne!(
            seed("an", "ax"),
            seed("ana", "x"),
            "the name and the dataset do not run together"
        );
    }

    #[test]
    fn an_assignment_restricts_the_order() {
        let (_dir, d) = sample();
        let mut assignments = Assignments::new();
        let mine: Vec<String> = d.items.iter().take(5).map(|i| i.id.clone()).collect();
        assignments.insert("ana".into(), mine.clone());
        let got = order(&d, "ana", &assignments);
        let mut ids: Vec<String> = got.iter().map(|&i| d.items[i].id.clone()).collect();
        ids.sort();
        let mut want = mine;
        want.sort();
        assert_eq!(ids, want);
        assert_eq!(
            order(&d, "bob", &assignments).len(),
            d.items.len(),
            "bob has no assignment"
        );
    }

    #[test]
    fn in_blind_mode_the_curators_item_shows_no_other_curators_label() {
        let dir = tempfile::tempdir().unwrap();
        let ds = dir.path().join("ds");
        let d = crate::synth::write_sample(&ds, false).unwrap();
        let note = |text: &str| crate::labels::ItemLabel {
            notes: Some(text.into()),
            ..Default::default()
        };
        let layer: crate::labels::Layer = [(d.items[0].id.clone(), note("bob's note"))].into();
        crate::labels::write_layer(&ds, "bob", &layer).unwrap();
        let (mut s, _) = crate::session::Session::open(&ds, "ana").unwrap();
        assert_eq!(
            s.curator_item(0).unwrap().notes,
            "bob's note",
            "not blind: the consensus"
        );
        s.set_blind(true);
        assert_eq!(
            s.curator_item(0).unwrap().notes,
            d.items[0].notes,
            "blind: the base"
        );
        s.apply(vec![(
            d.items[0].id.clone(),
            crate::model::FieldValue::Notes("mine".into()),
        )])
        .unwrap();
        assert_eq!(s.curator_item(0).unwrap().notes, "mine", "their own layer on top");
    }

    #[test]
    fn a_visit_counts_whole_seconds_capped() {
        assert_eq!(visit_seconds(Duration::from_millis(300)), 1);
        assert_eq!(visit_seconds(Duration::from_secs(4)), 4);
        assert_eq!(visit_seconds(Duration::from_secs(3600)), MAX_SECONDS_PER_VISIT);
        assert_eq!(visit_seconds(Duration::ZERO), 0);
    }
}
