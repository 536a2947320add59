//! What a query may test beyond the item itself: image sharing, validation findings and
//! model scores, and the one implementation of it over a dataset.

use crate::eval::{Outcome, ScoreFacts};
use crate::families::Suggestion;
use crate::model::{Dataset, Item};

/// Derived facts a query may test that an item alone does not know.
pub trait Facts {
    /// How many items share the image of the item at `index` (1 when unique, 0 without image).
    fn image_shared_by(&self, index: usize, item: &Item) -> usize;
    /// Validation finding kinds (snake_case) that concern this item.
    fn findings(&self, index: usize, item: &Item) -> &[String];
    /// The outcome of one model on the item at `index` (None: unknown model or no response).
    fn model_outcome(&self, _model: &str, _index: usize) -> Option<Outcome> {
        None
    }
    /// How many models got the item right, wrong, and unreadable.
    fn outcome_counts(&self, _index: usize) -> [usize; 3] {
        [0; 3]
    }
    /// Whether most models contradict the item's gold (a label-error candidate).
    fn is_suspect(&self, _index: usize) -> bool {
        false
    }
    /// Whether the strict and compat readers disagree for some model on this item.
    fn readers_differ(&self, _index: usize) -> bool {
        false
    }
    /// Whether the item is in a group sharing one image, with both safe and unsafe gold,
    /// where some model gets exactly one side wrong.
    fn in_failed_contrast(&self, _index: usize) -> bool {
        false
    }
    /// Whether the item has a suggested scenario waiting for a curator (`is:suggested`).
    fn is_suggested(&self, _index: usize) -> bool {
        false
    }
}

/// Facts for contexts that have none (no sharing, no findings).
pub struct NoFacts;

impl Facts for NoFacts {
    fn image_shared_by(&self, _index: usize, item: &Item) -> usize {
        usize::from(item.image.is_some())
    }
    fn findings(&self, _index: usize, _item: &Item) -> &[String] {
        &[]
    }
}

/// The validation finding kinds of one item. Items with the same kinds share one list, so
/// the findings of 100k items take a pointer each, not a list of strings each.
pub type FindingKinds = std::sync::Arc<[String]>;

/// The facts of a dataset: image sharing from [`Dataset::image_groups`], validation
/// findings when they have been computed, model scores when they are loaded.
#[derive(Debug, Clone, Copy)]
pub struct DatasetFacts<'a> {
    /// The dataset the queried items belong to.
    pub dataset: &'a Dataset,
    /// Validation finding kinds per item, by dataset index (empty before validation).
    pub findings: &'a [FindingKinds],
    /// Outcomes and queues of the loaded scores, if any.
    pub scores: Option<ScoreFacts<'a>>,
    /// Suggested scenarios per item, by dataset index, once the families are built.
    pub suggestions: Option<&'a [Option<Suggestion>]>,
}

impl Facts for DatasetFacts<'_> {
    fn image_shared_by(&self, index: usize, _item: &Item) -> usize {
        self.dataset.image_shared_by(index)
    }
    fn findings(&self, index: usize, _item: &Item) -> &[String] {
        self.findings.get(index).map(|kinds| &kinds[..]).unwrap_or(&[])
    }
    fn model_outcome(&self, model: &str, index: usize) -> Option<Outcome> {
        self.scores?.model_outcome(model, index)
    }
    fn outcome_counts(&self, index: usize) -> [usize; 3] {
        self.scores.map_or([0; 3], |s| s.outcome_counts(index))
    }
    fn is_suspect(&self, index: usize) -> bool {
        self.scores.is_some_and(|s| s.is_suspect(index))
    }
    fn readers_differ(&self, index: usize) -> bool {
        self.scores.is_some_and(|s| s.readers_differ(index))
    }
    fn in_failed_contrast(&self, index: usize) -> bool {
        self.scores.is_some_and(|s| s.in_failed_contrast(index))
    }
    fn is_suggested(&self, index: usize) -> bool {
        self.suggestions
            .and_then(|s| s.get(index))
            .is_some_and(Option::is_some)
    }
}
