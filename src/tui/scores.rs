//! The stored responses and their scores as the TUI holds them, loaded off the UI thread.

use safeaware::eval::{Evaluation, Queues};
use safeaware::model::{Dataset, ModelResponses};
use std::collections::HashMap;

/// Stored responses and their scores, loaded off the UI thread.
#[derive(Debug)]
pub struct EvalData {
    /// Scores and reports.
    pub evaluation: Evaluation,
    /// The responses, for the Compare view.
    pub responses: Vec<ModelResponses>,
    /// Per model, item index -> position in its responses.
    pub positions: Vec<HashMap<String, usize>>,
    /// Label-error candidates and failed contrast groups, by dataset index.
    pub queues: Queues,
    /// Per model, the number of lines of each response (counted off the UI thread, so
    /// that Compare never scans a huge response to draw it).
    pub line_counts: Vec<Vec<usize>>,
}

impl EvalData {
    /// Scores `responses` for the TUI.
    pub fn new(dataset: &Dataset, responses: Vec<ModelResponses>, evaluation: Evaluation) -> EvalData {
        let positions = responses
            .iter()
            .map(|m| {
                m.responses
                    .iter()
                    .enumerate()
                    .map(|(p, r)| (r.item.clone(), p))
                    .collect()
            })
            .collect();
        let line_counts = responses
            .iter()
            .map(|m| m.responses.iter().map(|r| r.text.split('\n').count()).collect())
            .collect();
        let mut data = EvalData {
            evaluation,
            responses,
            line_counts,
            positions,
            queues: Queues::default(),
        };
        data.refresh(dataset);
        data
    }

    /// Updates outcomes and queues of items whose labels or verdicts changed; the reports
    /// wait for [`Evaluation::summarize_reports`].
    pub fn update_items(
        &mut self,
        dataset: &Dataset,
        items: &[usize],
        group_of: &dyn Fn(usize) -> Vec<usize>,
    ) {
        self.evaluation.rescore_items(dataset, items);
        self.queues
            .update_items(&self.evaluation, dataset, items, group_of);
    }

    /// Recomputes everything after label edits made before the scores loaded.
    pub fn refresh(&mut self, dataset: &Dataset) {
        self.evaluation.summarize(dataset);
        self.queues = Queues::new(&self.evaluation, dataset);
    }

    /// Model `m`'s response text to item `id`.
    pub fn response(&self, m: usize, id: &str) -> Option<&str> {
        self.positions[m]
            .get(id)
            .map(|&p| self.responses[m].responses[p].text.as_str())
    }
}

impl EvalData {
    /// How many lines model `m`'s response to item `id` has (0 without a response).
    pub fn line_count(&self, m: usize, id: &str) -> usize {
        self.positions[m].get(id).map_or(0, |&p| self.line_counts[m][p])
    }
}

/// Where the stored responses stand.
#[derive(Debug)]
pub enum EvalStatus {
    /// Being read and scored.
    Loading,
    /// Ready (boxed: large).
    Ready(Box<EvalData>),
    /// The dataset has no stored responses.
    NoResponses,
    /// Reading them failed.
    Failed(String),
}
