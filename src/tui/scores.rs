//! The stored responses and their scores as the TUI holds them, loaded off the UI thread.

use safeaware::eval::{Evaluation, Queues};
use safeaware::model::Dataset;
use safeaware::store::columns::{ResponseColumns, StringColumn};
use std::collections::HashMap;

/// Stored responses and their scores, loaded off the UI thread.
///
/// The texts are kept in columns (one buffer per model) by dataset index: Compare shows
/// one item at a time, so 1M responses cost their bytes plus 4 bytes each, not two
/// allocations and a map entry each.
#[derive(Debug)]
pub struct EvalData {
    /// Scores and reports.
    pub evaluation: Evaluation,
    /// Per model, the response texts in file order.
    texts: Vec<StringColumn>,
    /// Per model, by dataset index: the position of its response in `texts` (NONE: no response).
    positions: Vec<Vec<u32>>,
    /// Item id -> dataset index, for lookups by id.
    index: HashMap<String, usize>,
    /// Label-error candidates and failed contrast groups, by dataset index.
    pub queues: Queues,
    /// Per model, the number of lines of each response, by position (counted off the UI
    /// thread, so that Compare never scans a huge response to draw it).
    line_counts: Vec<Vec<u32>>,
}

/// No response from this model to this item.
const NONE: u32 = u32::MAX;

impl EvalData {
    /// Scores `responses` for the TUI (their texts move into columns).
    #[cfg(test)]
    pub fn new(
        dataset: &Dataset,
        responses: Vec<safeaware::model::ModelResponses>,
        evaluation: Evaluation,
    ) -> EvalData {
        let mut data = EvalData::without_models(dataset, evaluation);
        for model in responses {
            let columns = ResponseColumns::new(&model.responses).unwrap_or_default();
            data.keep_texts(dataset, columns);
        }
        data.refresh(dataset);
        data
    }

    /// Scores whose models' texts come next, model by model, in the evaluation's model
    /// order, through [`EvalData::keep_texts`]; [`EvalData::refresh`] ends the loading.
    pub fn without_models(dataset: &Dataset, evaluation: Evaluation) -> EvalData {
        EvalData {
            evaluation,
            texts: Vec::new(),
            positions: Vec::new(),
            index: dataset.index().clone(),
            line_counts: Vec::new(),
            queues: Queues::default(),
        }
    }

    /// Keeps the next model's response texts (the column moves in, nothing is copied),
    /// each found by its item; when an item is answered twice, the first answer shows.
    pub fn keep_texts(&mut self, dataset: &Dataset, columns: ResponseColumns) {
        let mut by_item = vec![NONE; dataset.items.len()];
        let mut lines = Vec::with_capacity(columns.len());
        for k in 0..columns.len() {
            let text = columns.texts.get(k);
            lines.push(u32::try_from(text.split('\n').count()).unwrap_or(u32::MAX));
            if let Some(&i) = self.index.get(columns.items.get(k))
                && by_item[i] == NONE
            {
                by_item[i] = u32::try_from(k).unwrap_or(NONE);
            }
        }
        self.texts.push(columns.texts);
        self.positions.push(by_item);
        self.line_counts.push(lines);
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

    fn position(&self, m: usize, id: &str) -> Option<usize> {
        let i = *self.index.get(id)?;
        let at = *self.positions.get(m)?.get(i)?;
        (at != NONE).then_some(at as usize)
    }

    /// Model `m`'s response text to item `id`.
    pub fn response(&self, m: usize, id: &str) -> Option<&str> {
        self.position(m, id).map(|p| self.texts[m].get(p))
    }

    /// How many lines model `m`'s response to item `id` has (0 without a response).
    pub fn line_count(&self, m: usize, id: &str) -> usize {
        self.position(m, id)
            .and_then(|p| self.line_counts[m].get(p))
            .map_or(0, |&n| n as usize)
    }

    /// Replaces model `m`'s response to item `id` (tests: a response too long to show).
    #[cfg(test)]
    pub fn replace_response(&mut self, m: usize, id: &str, text: &str) {
        let Some(p) = self.position(m, id) else { return };
        let old = &self.texts[m];
        let mut column = StringColumn::with_capacity(old.len(), 0);
        for k in 0..old.len() {
            column.push(if k == p { text } else { old.get(k) });
        }
        self.texts[m] = column;
        self.line_counts[m][p] = text.split('\n').count() as u32;
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
