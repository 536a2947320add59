//! Suggested scenarios with reasons, and the derived `base_scenario` of attack items.
//! Cheap to recompute after a label edit: they read the current labels and the
//! families built once.

use super::wrappers::quote;
use super::{Families, TypeSource};
use crate::model::{Dataset, Subset};
use std::collections::BTreeMap;

/// A scenario suggested for an unlabeled item, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// Taxonomy key of the suggested scenario.
    pub scenario: String,
    /// Why ("variant of item 57, role-play wrapper 'Imagine you are...'").
    pub reason: String,
}

/// Per item position: a suggestion for every item without a scenario that has some
/// evidence (its wrapper, or labeled items of its subset sharing its image).
pub fn suggestions(dataset: &Dataset, families: &Families) -> Vec<Option<Suggestion>> {
    (0..dataset.items.len())
        .map(|i| suggestion(dataset, families, i))
        .collect()
}

/// The suggestion for the item at position `i` alone (see [`suggestions`]).
pub fn suggestion(dataset: &Dataset, families: &Families, i: usize) -> Option<Suggestion> {
    let item = dataset.items.get(i)?;
    if item.scenario.is_some() {
        return None;
    }
    from_family(dataset, families, i)
        .or_else(|| from_lone_wrapper(families, i, item.subset))
        .or_else(|| {
            let peers = dataset.image_groups().group(i);
            (!peers.is_empty())
                .then(|| from_image_peers(dataset, i, peers))
                .flatten()
        })
}

/// The items whose suggestion may change when the scenario or subset of the item at
/// position `i` changes: itself, the items sharing its image, and its family (base and
/// variants). Sorted, without repeats.
pub fn affected_by_edit(dataset: &Dataset, families: &Families, i: usize) -> Vec<usize> {
    let mut out = vec![i];
    out.extend_from_slice(dataset.image_groups().group(i));
    if let Some((family, _)) = families.family_of(i) {
        out.push(family.base);
        out.extend(family.variants.iter().map(|m| m.item));
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn from_family(dataset: &Dataset, families: &Families, i: usize) -> Option<Suggestion> {
    let (family, member) = families.family_of(i)?;
    let member = member?;
    let key = member.attack_type.clone()?;
    let base = &dataset.items[family.base].id;
    let label = families.label(&key);
    let reason = match &member.type_source {
        Some(TypeSource::Elimination) => {
            format!("variant of item {base}, no known wrapper; its family lacks a {label} variant")
        }
        _ => format!(
            "variant of item {base}, {label} wrapper '{}'",
            quote(&member.wrapper)
        ),
    };
    Some(Suggestion {
        scenario: key,
        reason,
    })
}

fn from_lone_wrapper(families: &Families, i: usize, subset: Subset) -> Option<Suggestion> {
    let w = families.lone_wrapper(i)?;
    let orphan = if subset == Subset::Attack {
        " (no base found)"
    } else {
        ""
    };
    Some(Suggestion {
        scenario: w.key.clone(),
        reason: format!(
            "{} wrapper '{}'{orphan}",
            w.label,
            w.pattern.trim_start_matches('^')
        ),
    })
}

/// The most common scenario among labeled items of the same subset sharing the image.
fn from_image_peers(dataset: &Dataset, i: usize, peers: &[usize]) -> Option<Suggestion> {
    let subset = dataset.items[i].subset;
    let mut votes: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
    for &p in peers {
        let peer = &dataset.items[p];
        if p == i || peer.subset != subset {
            continue;
        }
        if let Some(s) = peer.scenario.as_deref() {
            let vote = votes.entry(s).or_insert((0, peer.id.as_str()));
            vote.0 += 1;
        }
    }
    let (scenario, (count, first)) = votes
        .into_iter()
        .max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.0.cmp(a.0)))?;
    let others = if count > 1 {
        format!(" and {} more", count - 1)
    } else {
        String::new()
    };
    Some(Suggestion {
        scenario: scenario.to_string(),
        reason: format!("shares its image with item {first}{others} labeled {scenario}"),
    })
}

/// Per item position: for an attack item in a family, its base's scenario (derived;
/// None while the base is unlabeled); None for every other item.
pub fn base_scenarios(dataset: &Dataset, families: &Families) -> Vec<Option<String>> {
    let mut out = vec![None; dataset.items.len()];
    for family in &families.families {
        let scenario = &dataset.items[family.base].scenario;
        for m in &family.variants {
            out[m.item].clone_from(scenario);
        }
    }
    out
}
