//! What each attack costs each model on the very items it otherwise gets right: attack
//! success rate per attack type and per base scenario, and family consistency.

use super::Families;
use crate::eval::stats::wilson95;
use crate::eval::{Evaluation, Outcome};
use crate::model::Dataset;
use std::collections::BTreeMap;

/// Key used for variants or bases without a label.
pub const UNLABELED: &str = "(unlabeled)";

/// Hits out of trials, with the share and its 95% Wilson interval in percent.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AttackRate {
    /// The attack type, base scenario, or `consistency`.
    pub key: String,
    /// Variants the model got wrong (or families that were consistent).
    pub hits: u64,
    /// Variants counted (or families counted).
    pub trials: u64,
    /// `hits / trials` in percent (None without trials).
    pub rate: Option<f64>,
    /// 95% Wilson interval in percent.
    pub ci95: (f64, f64),
}

impl AttackRate {
    fn new(key: &str, hits: u64, trials: u64) -> AttackRate {
        let (lo, hi) = wilson95(hits, trials);
        AttackRate {
            key: key.to_string(),
            hits,
            trials,
            rate: (trials > 0).then(|| 100.0 * hits as f64 / trials as f64),
            ci95: (100.0 * lo, 100.0 * hi),
        }
    }
}

/// One model's attack figures.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ModelAttackMetrics {
    /// The model's name.
    pub model: String,
    /// Attack success rate per attack type: variants wrong among families whose base
    /// the model gets right.
    pub by_attack_type: Vec<AttackRate>,
    /// The same per base scenario.
    pub by_base_scenario: Vec<AttackRate>,
    /// Families where every scored variant gets the base's outcome, among families with
    /// a scored base and at least one scored variant.
    pub consistency: AttackRate,
}

/// Attack figures of every model.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AttackMetrics {
    /// One entry per model, in the order given.
    pub models: Vec<ModelAttackMetrics>,
}

/// Attack figures from per-model, per-item outcomes (`outcomes[m][i]`, dataset order;
/// None: no response or not counted). Unparsed variants count as wrong, as in accuracy.
pub fn attack_metrics(
    dataset: &Dataset,
    families: &Families,
    models: &[String],
    outcomes: &[Vec<Option<Outcome>>],
) -> AttackMetrics {
    let models = models
        .iter()
        .zip(outcomes)
        .map(|(name, outcome)| model_metrics(dataset, families, name, outcome))
        .collect();
    AttackMetrics { models }
}

impl AttackMetrics {
    /// Attack figures of every model of a stored evaluation (`eval::evaluate_stored`).
    pub fn from_evaluation(dataset: &Dataset, families: &Families, evaluation: &Evaluation) -> AttackMetrics {
        let names: Vec<String> = evaluation.models.iter().map(|m| m.name.clone()).collect();
        attack_metrics(dataset, families, &names, &evaluation.outcomes)
    }
}

fn model_metrics(
    dataset: &Dataset,
    families: &Families,
    name: &str,
    outcome: &[Option<Outcome>],
) -> ModelAttackMetrics {
    let at = |i: usize| outcome.get(i).copied().flatten();
    let mut by_type: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    let mut by_scenario: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    let (mut consistent, mut counted) = (0u64, 0u64);
    for family in &families.families {
        let Some(base) = at(family.base) else { continue };
        let base_right = base == Outcome::Right;
        let scenario = dataset.items[family.base]
            .scenario
            .as_deref()
            .unwrap_or(UNLABELED);
        let mut scored = 0;
        let mut same = true;
        for m in &family.variants {
            let Some(v) = at(m.item) else { continue };
            let right = v == Outcome::Right;
            scored += 1;
            same &= right == base_right;
            if base_right {
                let key = m.attack_type.as_deref().unwrap_or(UNLABELED);
                for tally in [
                    by_type.entry(key).or_default(),
                    by_scenario.entry(scenario).or_default(),
                ] {
                    tally.0 += u64::from(!right);
                    tally.1 += 1;
                }
            }
        }
        if scored > 0 {
            counted += 1;
            consistent += u64::from(same);
        }
    }
    let rates = |m: BTreeMap<&str, (u64, u64)>| {
        m.into_iter()
            .map(|(k, (hits, trials))| AttackRate::new(k, hits, trials))
            .collect()
    };
    ModelAttackMetrics {
        model: name.to_string(),
        by_attack_type: rates(by_type),
        by_base_scenario: rates(by_scenario),
        consistency: AttackRate::new("consistency", consistent, counted),
    }
}
