//! Work queues and query facts derived from the scores: label-error suspects and items of
//! failed contrast groups, kept current item by item as labels change.

use super::outcome::Outcome;
use super::score::Evaluation;
use crate::model::Dataset;
use std::collections::HashSet;

/// Item sets derived from the scores that filters and queues test, by dataset index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Queues {
    /// Label-error candidates: items at least 2/3 of the models contradict.
    pub suspects: HashSet<usize>,
    /// Items of mixed-gold image groups where some model fails exactly one side.
    pub contrast_failures: HashSet<usize>,
}

/// The share of models that makes an item a label-error candidate in the queues.
pub const SUSPECT_SHARE: f64 = 2.0 / 3.0;

impl Queues {
    /// The queues of `evaluation` on `dataset` (after [`Evaluation::summarize`]).
    pub fn new(evaluation: &Evaluation, dataset: &Dataset) -> Queues {
        Queues {
            suspects: (0..dataset.items.len())
                .filter(|&i| evaluation.is_candidate(i, SUSPECT_SHARE))
                .collect(),
            contrast_failures: evaluation.failed_contrast_items(dataset).into_iter().collect(),
        }
    }

    /// Updates the queues for items whose labels changed (after
    /// [`Evaluation::rescore_items`]); `group_of` gives the items sharing an item's image.
    pub fn update_items(
        &mut self,
        evaluation: &Evaluation,
        dataset: &Dataset,
        items: &[usize],
        group_of: &dyn Fn(usize) -> Vec<usize>,
    ) {
        for &i in items {
            if evaluation.is_candidate(i, SUSPECT_SHARE) {
                self.suspects.insert(i);
            } else {
                self.suspects.remove(&i);
            }
            let group = group_of(i);
            let failed = group.len() > 1 && evaluation.group_fails_one_side(dataset, &group);
            for g in group {
                if failed {
                    self.contrast_failures.insert(g);
                } else {
                    self.contrast_failures.remove(&g);
                }
            }
        }
    }
}

/// Model facts for queries: outcomes and queues of one evaluation of one dataset.
#[derive(Debug, Clone, Copy)]
pub struct ScoreFacts<'a> {
    /// The scores.
    pub evaluation: &'a Evaluation,
    /// Their queues.
    pub queues: &'a Queues,
    /// The dataset scored.
    pub dataset: &'a Dataset,
}

impl ScoreFacts<'_> {
    /// The outcome of model `name` on item `i`.
    pub fn model_outcome(&self, name: &str, i: usize) -> Option<Outcome> {
        self.evaluation.outcome(self.evaluation.model_index(name)?, i)
    }
    /// Right, wrong and unparsed counts of item `i`.
    pub fn outcome_counts(&self, i: usize) -> [usize; 3] {
        self.evaluation.outcome_counts(i)
    }
    /// Whether item `i` is a label-error candidate.
    pub fn is_suspect(&self, i: usize) -> bool {
        self.queues.suspects.contains(&i)
    }
    /// Whether the readers disagree on item `i`.
    pub fn readers_differ(&self, i: usize) -> bool {
        self.evaluation.readers_differ_at(self.dataset, i)
    }
    /// Whether item `i` is in a contrast group some model fails on one side.
    pub fn in_failed_contrast(&self, i: usize) -> bool {
        self.queues.contrast_failures.contains(&i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::fixtures::{dataset, model};
    use crate::eval::{Options, evaluate};
    use crate::model::{Gold, Status};

    #[test]
    fn incremental_rescoring_matches_a_full_summarize() {
        let mut d = dataset();
        let a = model("a", &[("t1", "Yes"), ("t2", "No"), ("o1", "No"), ("o2", "Yes")]);
        let b = model("b", &[("t1", "Yes"), ("t2", "No"), ("o1", "No"), ("o2", "No")]);
        let mut e = evaluate(&d, &[a, b], &[], &Options::default());
        let mut queues = Queues::new(&e, &d);
        assert!(
            queues.suspects.contains(&0) && queues.suspects.contains(&6),
            "t1 and o1: both models contradict"
        );
        d.items[0].gold = Gold::Safe;
        d.items[6].status = Status::Rejected;
        e.rescore_items(&d, &[0, 6]);
        queues.update_items(&e, &d, &[0, 6], &|i| vec![i]);
        let mut full = e.clone();
        full.summarize(&d);
        assert_eq!(e.outcomes, full.outcomes);
        assert_eq!(queues, Queues::new(&full, &d));
        assert!(queues.suspects.is_empty());
        e.summarize_reports(&d);
        assert_eq!(e.reports[0].typical, full.reports[0].typical);
    }
}
