//! Per-item verdicts of every model (`report --format json --items`): what each response
//! was read as, by which rule, and whether that is right against the gold.

use super::refusal::RefusalReader;
use super::{Evaluation, Outcome, Reader, RefusalSource, Scored};
use crate::model::{Dataset, Gold, ModelResponses, Protocol, Verdict};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;

/// One model's verdict on one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemVerdict {
    /// The model's short name.
    pub model: String,
    /// The item id.
    pub id: String,
    /// The verdict key (`safe`, `full_refusal`, `unparsed` ...).
    pub verdict: String,
    /// What decided it: a refusal rule (`refusal:i cannot`), `strict`, `compat`, `judge`
    /// or `override` (a curator's verdict).
    pub rule: String,
    /// Right against the gold (an unparsed response is wrong, as `report` counts it);
    /// `None` for a `no_answer`, which accuracy leaves out.
    pub correct: Option<bool>,
}

/// Every scored response of `eval`, model by model in dataset order. `models` are the
/// responses the evaluation scored (same order); `refusal` re-reads refusal responses
/// for their rule.
pub fn item_verdicts(
    eval: &Evaluation,
    dataset: &Dataset,
    models: &[ModelResponses],
    refusal: &RefusalReader,
) -> Vec<ItemVerdict> {
    let mut out = Vec::new();
    for (m, scored) in eval.scored.iter().enumerate() {
        let Some(responses) = models.get(m) else {
            continue;
        };
        let texts: HashMap<&str, &str> = responses
            .responses
            .iter()
            .map(|r| (r.item.as_str(), r.text.as_str()))
            .collect();
        for (i, score) in scored.iter().enumerate() {
            let (Some(score), Some(item)) = (score, dataset.items.get(i)) else {
                continue;
            };
            let verdict = score.verdict(eval.reader, item.gold);
            let text = texts.get(item.id.as_str()).copied();
            out.push(ItemVerdict {
                model: eval.models[m].name.clone(),
                id: item.id.clone(),
                verdict: verdict.key().to_string(),
                rule: rule(eval, m, score, verdict, text, refusal).into_owned(),
                correct: correct(eval, score, item.gold),
            });
        }
    }
    out
}

/// What decided model `m`'s `verdict` on one item (see [`ItemVerdict::rule`]); `text` is
/// its response, re-read by `refusal` when a refusal rule decided.
pub fn rule(
    eval: &Evaluation,
    m: usize,
    score: &Scored,
    verdict: Verdict,
    text: Option<&str>,
    refusal: &RefusalReader,
) -> Cow<'static, str> {
    if score.human.is_some() {
        "override".into()
    } else if eval.protocols[m] == Protocol::Judgment {
        match (verdict, eval.reader) {
            (Verdict::NoAnswer, _) => text
                .and_then(|text| refusal.read_no_answer(text))
                .map(|reading| Cow::Owned(reading.rule))
                .unwrap_or_default(),
            (_, Reader::Strict) => "strict".into(),
            (_, Reader::Compat) => "compat".into(),
        }
    } else if eval.refusal_source == RefusalSource::Judge {
        "judge".into()
    } else {
        text.map(|text| Cow::Owned(refusal.read(text).rule))
            .unwrap_or_default()
    }
}

/// Whether a scored response is right against `gold` (an unparsed one is wrong, as
/// `report` counts it); `None` for a `no_answer`, which accuracy leaves out.
pub fn correct(eval: &Evaluation, score: &Scored, gold: Gold) -> Option<bool> {
    score
        .counted_outcome(eval.reader, gold)
        .map(|o| o == Outcome::Right)
}
