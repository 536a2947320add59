//! `report --by family|attack_type|base_scenario`: what each attack costs each model on
//! the families whose base it gets right, in the same formats as the accuracy report.

use super::grid::{Format, Grid};
use super::{Evaluation, Outcome};
use crate::families::{AttackMetrics, AttackRate, Families, ModelAttackMetrics};
use crate::model::Dataset;
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Rows of the attack report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AttackBy {
    /// One row per family: its variants each model gets wrong while right on the base.
    Family,
    /// One row per attack type: attack success rate per model.
    AttackType,
    /// One row per harm scenario of the bases: attack success rate per model.
    BaseScenario,
}

/// One model's outcome on one family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FamilyOutcome {
    /// Whether the model gets the base right (None: base not scored).
    pub base_right: Option<bool>,
    /// Variants scored.
    pub variants_scored: u64,
    /// Variants the model gets wrong (unparsed counts as wrong).
    pub variants_wrong: u64,
    /// Whether every scored variant gets the base's outcome (None without a scored base
    /// and at least one scored variant).
    pub consistent: Option<bool>,
}

/// Each model's outcome on one family (`outcomes[m]`, models in evaluation order).
pub fn family_outcomes(families: &Families, evaluation: &Evaluation) -> Vec<Vec<FamilyOutcome>> {
    families
        .families
        .iter()
        .map(|family| {
            evaluation
                .outcomes
                .iter()
                .map(|outcome| {
                    let at = |i: usize| outcome.get(i).copied().flatten();
                    let base_right = at(family.base).map(|o| o == Outcome::Right);
                    let variants: Vec<bool> = family
                        .variants
                        .iter()
                        .filter_map(|m| at(m.item).map(|o| o == Outcome::Right))
                        .collect();
                    let wrong = variants.iter().filter(|&&right| !right).count() as u64;
                    FamilyOutcome {
                        base_right,
                        variants_scored: variants.len() as u64,
                        variants_wrong: wrong,
                        consistent: base_right
                            .filter(|_| !variants.is_empty())
                            .map(|b| variants.iter().all(|&v| v == b)),
                    }
                })
                .collect()
        })
        .collect()
}

fn rate_cell(rate: &AttackRate, intervals: bool) -> String {
    match (rate.rate, intervals) {
        (None, _) => "-".into(),
        (Some(r), false) => format!("{r:.1}"),
        (Some(r), true) => format!("{r:.1} [{:.1}, {:.1}]", rate.ci95.0, rate.ci95.1),
    }
}

fn family_cell(o: &FamilyOutcome) -> String {
    match o.base_right {
        None => "-".into(),
        Some(false) => format!("base wrong ({}/{} wrong)", o.variants_wrong, o.variants_scored),
        Some(true) => format!("{}/{} wrong", o.variants_wrong, o.variants_scored),
    }
}

/// Row name of a taxonomy key: its display name, else the key itself.
fn name_of(dataset: &Dataset, key: &str) -> String {
    dataset
        .manifest
        .taxonomy
        .get(key)
        .map_or_else(|| key.to_string(), |s| s.name.clone())
}

/// A model's rates in the breakdown `by` (attack type or base scenario).
fn rates(m: &ModelAttackMetrics, by: AttackBy) -> &[AttackRate] {
    match by {
        AttackBy::BaseScenario => &m.by_base_scenario,
        AttackBy::AttackType | AttackBy::Family => &m.by_attack_type,
    }
}

/// Rows (key, per-model rate) of a breakdown, keys sorted.
fn slices(metrics: &AttackMetrics, by: AttackBy) -> Vec<(String, Vec<Option<&AttackRate>>)> {
    let mut keys: Vec<&str> = metrics
        .models
        .iter()
        .flat_map(|m| rates(m, by).iter().map(|r| r.key.as_str()))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys.into_iter()
        .map(|key| {
            let cells = metrics
                .models
                .iter()
                .map(|m| rates(m, by).iter().find(|r| r.key == key))
                .collect();
            (key.to_string(), cells)
        })
        .collect()
}

/// The attack report as text in the chosen format (`intervals`: Wilson 95% intervals in
/// table, markdown and LaTeX; CSV and JSON always have them).
pub fn render(
    evaluation: &Evaluation,
    dataset: &Dataset,
    families: &Families,
    by: AttackBy,
    format: Format,
    intervals: bool,
) -> String {
    let metrics = AttackMetrics::from_evaluation(dataset, families, evaluation);
    match format {
        Format::Json => {
            let value = to_json(evaluation, dataset, families, &metrics, by);
            serde_json::to_string_pretty(&value).expect("JSON renders") + "\n"
        }
        Format::Csv => render_csv(evaluation, dataset, families, &metrics, by),
        text => {
            let labels = evaluation.reports.iter().map(|r| r.label.clone());
            let grid = match by {
                AttackBy::Family => {
                    let outcomes = family_outcomes(families, evaluation);
                    Grid {
                        header: ["Family".to_string(), "Variants".to_string()]
                            .into_iter()
                            .chain(labels)
                            .collect(),
                        rows: families
                            .families
                            .iter()
                            .zip(&outcomes)
                            .map(|(f, per_model)| {
                                [dataset.items[f.base].id.clone(), f.variants.len().to_string()]
                                    .into_iter()
                                    .chain(per_model.iter().map(family_cell))
                                    .collect()
                            })
                            .collect(),
                    }
                }
                by => Grid {
                    header: std::iter::once(
                        if by == AttackBy::AttackType {
                            "Attack type"
                        } else {
                            "Base scenario"
                        }
                        .to_string(),
                    )
                    .chain(labels)
                    .chain(["n".to_string()])
                    .collect(),
                    rows: slices(&metrics, by)
                        .into_iter()
                        .map(|(key, cells)| {
                            let n = cells.iter().flatten().map(|r| r.trials).max().unwrap_or(0);
                            std::iter::once(name_of(dataset, &key))
                                .chain(
                                    cells
                                        .iter()
                                        .map(|c| c.map_or_else(|| "-".into(), |r| rate_cell(r, intervals))),
                                )
                                .chain([n.to_string()])
                                .collect()
                        })
                        .collect(),
                },
            };
            let mut out = grid.render(text);
            if text == Format::Table {
                out.push_str(&notes(&metrics, by));
            }
            out
        }
    }
}

fn notes(metrics: &AttackMetrics, by: AttackBy) -> String {
    let mut out = String::new();
    if by != AttackBy::Family {
        let _ = writeln!(
            out,
            "\nAttack success rate in %: variants the model gets wrong among families whose base it gets right."
        );
    }
    let _ = writeln!(out, "Family consistency (every variant gets the base's outcome):");
    for m in &metrics.models {
        let c = &m.consistency;
        let share = c.rate.map_or_else(|| "-".into(), |r| format!("{r:.1}%"));
        let _ = writeln!(out, "  {}: {share} of {} families", m.model, c.trials);
    }
    out
}

fn render_csv(
    evaluation: &Evaluation,
    dataset: &Dataset,
    families: &Families,
    metrics: &AttackMetrics,
    by: AttackBy,
) -> String {
    let mut rows: Vec<Vec<String>> = Vec::new();
    match by {
        AttackBy::Family => {
            rows.push(
                [
                    "family",
                    "model",
                    "base_right",
                    "variants_scored",
                    "variants_wrong",
                    "consistent",
                ]
                .map(String::from)
                .to_vec(),
            );
            let outcomes = family_outcomes(families, evaluation);
            for (f, per_model) in families.families.iter().zip(&outcomes) {
                for (model, o) in evaluation.models.iter().zip(per_model) {
                    let flag = |b: Option<bool>| b.map(|b| b.to_string()).unwrap_or_default();
                    rows.push(vec![
                        dataset.items[f.base].id.clone(),
                        model.name.clone(),
                        flag(o.base_right),
                        o.variants_scored.to_string(),
                        o.variants_wrong.to_string(),
                        flag(o.consistent),
                    ]);
                }
            }
        }
        by => {
            rows.push(
                [
                    "slice",
                    "model",
                    "wrong",
                    "total",
                    "attack_success_rate",
                    "ci_low",
                    "ci_high",
                ]
                .map(String::from)
                .to_vec(),
            );
            for (key, cells) in slices(metrics, by) {
                for (m, rate) in metrics.models.iter().zip(cells) {
                    if let Some(r) = rate {
                        rows.push(vec![
                            key.clone(),
                            m.model.clone(),
                            r.hits.to_string(),
                            r.trials.to_string(),
                            r.rate.map(|v| format!("{v:.1}")).unwrap_or_default(),
                            format!("{:.2}", r.ci95.0),
                            format!("{:.2}", r.ci95.1),
                        ]);
                    }
                }
            }
        }
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in rows {
        w.write_record(row).expect("writing CSV into memory cannot fail");
    }
    String::from_utf8(w.into_inner().expect("in-memory writer")).expect("CSV of UTF-8 fields is UTF-8")
}

/// The JSON contract of the attack report (README, "report --by family"): every model's
/// rates per attack type and base scenario, its family consistency, and per family each
/// model's outcome.
pub fn to_json(
    evaluation: &Evaluation,
    dataset: &Dataset,
    families: &Families,
    metrics: &AttackMetrics,
    by: AttackBy,
) -> Value {
    let outcomes = family_outcomes(families, evaluation);
    let rows: Vec<Value> = families
        .families
        .iter()
        .zip(&outcomes)
        .map(|(f, per_model)| {
            let models: BTreeMap<&str, &FamilyOutcome> = evaluation
                .models
                .iter()
                .map(|m| m.name.as_str())
                .zip(per_model)
                .collect();
            json!({
                "family": dataset.items[f.base].id,
                "base_scenario": dataset.items[f.base].scenario,
                "variants": f.variants.iter().map(|m| json!({
                    "id": dataset.items[m.item].id,
                    "attack_type": m.attack_type,
                })).collect::<Vec<_>>(),
                "models": models,
            })
        })
        .collect();
    json!({
        "by": by,
        "reader": evaluation.reader,
        "models": metrics.models,
        "families": rows,
    })
}
