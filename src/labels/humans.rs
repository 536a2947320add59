//! The paper's human row: each blind curator's gold labels, and their majority, as
//! responses a reader scores like a model's (same table, same intervals).

use super::Labels;
use super::consensus::vote;
use crate::model::{Dataset, Gold, ModelInfo, ModelResponses, Response};

/// Model name of a curator's row (`human-<curator>`).
pub fn row_name(curator: &str) -> String {
    format!("human-{curator}")
}

/// Model name of the majority row.
pub const MAJORITY_ROW: &str = "human-majority";

fn answer(gold: Gold) -> String {
    match gold {
        Gold::Safe => "Yes".into(),
        Gold::Unsafe => "No".into(),
    }
}

fn row(name: String, display: String, answers: Vec<(String, Gold)>) -> ModelResponses {
    ModelResponses {
        model: ModelInfo {
            name,
            display_name: display,
            organisation: String::new(),
            date: String::new(),
            condition: "blind curator labels".into(),
            notes: String::new(),
            protocol: None,
        },
        responses: answers
            .into_iter()
            .map(|(item, gold)| Response {
                item,
                text: answer(gold),
                judge: None,
            })
            .collect(),
    }
}

/// One row per curator with blind gold labels, then (with two or more such curators) the
/// row of their strict majority; items a curator did not label blind have no response.
pub fn rows(dataset: &Dataset, labels: &Labels) -> Vec<ModelResponses> {
    let mut out = Vec::new();
    let mut per_item: Vec<Vec<Gold>> = vec![Vec::new(); dataset.items.len()];
    for (curator, layer) in &labels.layers {
        let mut answers = Vec::new();
        for (i, item) in dataset.items.iter().enumerate() {
            if let Some(gold) = layer.get(&item.id).filter(|l| l.blind).and_then(|l| l.gold) {
                answers.push((item.id.clone(), gold));
                per_item[i].push(gold);
            }
        }
        if !answers.is_empty() {
            out.push(row(row_name(curator), format!("Human ({curator})"), answers));
        }
    }
    if out.len() >= 2 {
        let answers = dataset
            .items
            .iter()
            .zip(&per_item)
            .filter_map(|(item, golds)| vote(golds).ok().map(|(g, _)| (item.id.clone(), g)))
            .collect();
        out.push(row(MAJORITY_ROW.into(), "Human majority".into(), answers));
    }
    out
}
