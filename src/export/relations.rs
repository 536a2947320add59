//! The family columns of an export: each item's family, attack type, base scenario and
//! suggested scenario with its reason, derived from the dataset's variant families.

use crate::families::{AttackPatterns, Families, base_scenarios, suggestions};
use crate::model::Dataset;
use std::path::Path;

/// What the families say about one item (None where nothing applies).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    /// The id of the family's base (the base's own id for a base).
    pub family: Option<String>,
    /// Taxonomy key of the attack type, for a variant.
    pub attack_type: Option<String>,
    /// The base's harm scenario: the item's stored one, else derived from its base.
    pub base_scenario: Option<String>,
    /// The scenario suggested for an unlabeled item.
    pub suggested_scenario: Option<String>,
    /// Why it is suggested.
    pub suggestion_reason: Option<String>,
}

impl Relation {
    /// No family, no suggestion.
    pub const NONE: Relation = Relation {
        family: None,
        attack_type: None,
        base_scenario: None,
        suggested_scenario: None,
        suggestion_reason: None,
    };
}

/// One [`Relation`] per item of `dataset` (dataset order), with the patterns of `dir`.
pub fn relations(dir: &Path, dataset: &Dataset) -> crate::error::Result<Vec<Relation>> {
    let patterns = AttackPatterns::for_dataset(dir)?;
    Ok(relations_with(dataset, &Families::build(dataset, &patterns)))
}

/// One [`Relation`] per item of `dataset`, from families already built.
pub fn relations_with(dataset: &Dataset, families: &Families) -> Vec<Relation> {
    let suggested = suggestions(dataset, families);
    let derived = base_scenarios(dataset, families);
    dataset
        .items
        .iter()
        .enumerate()
        .zip(suggested.into_iter().zip(derived))
        .map(|((position, item), (suggestion, derived))| {
            let membership = families.family_of(position);
            let (suggested_scenario, suggestion_reason) = match suggestion {
                Some(s) => (Some(s.scenario), Some(s.reason)),
                None => (None, None),
            };
            Relation {
                family: membership.map(|(f, _)| dataset.items[f.base].id.clone()),
                attack_type: membership.and_then(|(_, m)| m?.attack_type.clone()),
                base_scenario: item.base_scenario.clone().or(derived),
                suggested_scenario,
                suggestion_reason,
            }
        })
        .collect()
}
