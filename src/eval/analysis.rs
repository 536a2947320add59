//! Analyses over the scores: label-error candidates, items every model gets wrong,
//! reader disagreements, McNemar's test between two models, and contrast groups (items
//! sharing one image with safe and unsafe gold).

use super::outcome::Outcome;
use super::score::Evaluation;
use crate::model::{Dataset, Gold};
use serde::Serialize;

/// An item whose gold most models contradict: a candidate label error.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    /// The item's id.
    pub item: String,
    /// Models whose parsed verdict contradicts the gold.
    pub disagree: usize,
    /// Models with a parsed verdict on the item.
    pub voters: usize,
}

impl Evaluation {
    /// Counted items sharing one image (groups of two or more), in dataset order.
    fn image_groups(&self, dataset: &Dataset) -> Vec<Vec<usize>> {
        let mut groups: Vec<Vec<usize>> = dataset
            .image_groups()
            .shared()
            .map(|group| {
                group
                    .iter()
                    .copied()
                    .filter(|&i| self.counts(dataset, i))
                    .collect()
            })
            .filter(|group: &Vec<usize>| group.len() > 1)
            .collect();
        groups.sort_unstable_by_key(|g| g[0]);
        groups
    }

    /// Items where at least `min_share` (e.g. 2/3) of the models with a verdict contradict
    /// the gold, most contradicted first. Needs at least two voters.
    pub fn label_error_candidates(&self, dataset: &Dataset, min_share: f64) -> Vec<Candidate> {
        let mut out: Vec<Candidate> = (0..dataset.items.len())
            .filter(|&i| self.is_candidate(i, min_share))
            .map(|i| {
                let [right, wrong, _] = self.outcome_counts(i);
                Candidate {
                    item: dataset.items[i].id.clone(),
                    disagree: wrong,
                    voters: right + wrong,
                }
            })
            .collect();
        out.sort_by(|a, b| {
            let share = |c: &Candidate| c.disagree as f64 / c.voters as f64;
            share(b).total_cmp(&share(a)).then(b.voters.cmp(&a.voters))
        });
        out
    }

    /// Whether the strict and compat readers disagree on item `i` for some model.
    pub fn readers_differ_at(&self, dataset: &Dataset, i: usize) -> bool {
        let gold = dataset.items[i].gold;
        self.scored
            .iter()
            .any(|m| m[i].is_some_and(|s| s.readers_differ(gold)))
    }

    /// Whether every model that answered item `i` gets it wrong (unparsed counts as wrong).
    pub fn is_all_wrong(&self, i: usize) -> bool {
        let mut any = false;
        for m in 0..self.scored.len() {
            match self.outcome(m, i) {
                Some(Outcome::Right) => return false,
                Some(_) => any = true,
                None => {}
            }
        }
        any
    }

    /// Items every model with a response gets wrong.
    pub fn all_wrong(&self, dataset: &Dataset) -> Vec<String> {
        (0..dataset.items.len())
            .filter(|&i| self.counts(dataset, i) && self.is_all_wrong(i))
            .map(|i| dataset.items[i].id.clone())
            .collect()
    }

    /// (model index, item index) pairs where the strict and compat readers disagree.
    pub fn reader_disagreements(&self, dataset: &Dataset) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for (m, model) in self.scored.iter().enumerate() {
            for (i, s) in model.iter().enumerate() {
                if let Some(s) = s
                    && self.counts(dataset, i)
                    && s.readers_differ(dataset.items[i].gold)
                {
                    out.push((m, i));
                }
            }
        }
        out
    }

    /// McNemar's exact test of models `a` and `b` on the items both answered:
    /// (a right & b wrong, a wrong & b right, p-value).
    pub fn mcnemar(&self, _dataset: &Dataset, a: usize, b: usize) -> (u64, u64, f64) {
        // Outcomes are None for items that do not count, so no status check is needed.
        let (mut only_a, mut only_b) = (0, 0);
        for (x, y) in self.outcomes[a].iter().zip(&self.outcomes[b]) {
            match (x, y) {
                (Some(Outcome::Right), Some(Outcome::Wrong | Outcome::Unparsed)) => only_a += 1,
                (Some(Outcome::Wrong | Outcome::Unparsed), Some(Outcome::Right)) => only_b += 1,
                _ => {}
            }
        }
        (only_a, only_b, super::stats::mcnemar_exact(only_a, only_b))
    }

    /// Per model: groups of items sharing one image (2+ items) that the model gets
    /// entirely right, out of all such groups it answered.
    pub fn contrast_groups(&self, dataset: &Dataset) -> Vec<ContrastReport> {
        let groups = self.image_groups(dataset);
        (0..self.scored.len())
            .map(|m| {
                let mut report = ContrastReport {
                    model: self.models[m].name.clone(),
                    ..ContrastReport::default()
                };
                for group in &groups {
                    let outcomes: Vec<(Gold, Outcome)> = group
                        .iter()
                        .filter_map(|&i| self.outcome(m, i).map(|o| (dataset.items[i].gold, o)))
                        .collect();
                    if outcomes.len() < 2 {
                        continue;
                    }
                    report.groups += 1;
                    report.all_right += u64::from(outcomes.iter().all(|(_, o)| *o == Outcome::Right));
                    let mixed = outcomes.iter().any(|(g, _)| *g == Gold::Safe)
                        && outcomes.iter().any(|(g, _)| *g == Gold::Unsafe);
                    if mixed {
                        report.mixed_groups += 1;
                        let fails =
                            |gold: Gold| outcomes.iter().any(|(g, o)| *g == gold && *o != Outcome::Right);
                        if fails(Gold::Safe) != fails(Gold::Unsafe) {
                            report.one_side_failed.push(dataset.items[group[0]].id.clone());
                        }
                    }
                }
                report
            })
            .collect()
    }
    /// Items of mixed-gold image groups (items sharing one image, some safe, some unsafe)
    /// where at least one model fails exactly one side: the contrast the benchmark tests.
    pub fn failed_contrast_items(&self, dataset: &Dataset) -> Vec<usize> {
        let mut out = Vec::new();
        for group in &self.image_groups(dataset) {
            if self.group_fails_one_side(dataset, group) {
                out.extend(group);
            }
        }
        out.sort_unstable();
        out
    }

    /// Whether a group of items sharing one image mixes safe and unsafe gold and some
    /// model fails exactly one side of it (items that do not count are ignored).
    pub fn group_fails_one_side(&self, dataset: &Dataset, group: &[usize]) -> bool {
        let counted: Vec<usize> = group
            .iter()
            .copied()
            .filter(|&i| self.counts(dataset, i))
            .collect();
        let mixed = counted.iter().any(|&i| dataset.items[i].gold == Gold::Safe)
            && counted.iter().any(|&i| dataset.items[i].gold == Gold::Unsafe);
        mixed
            && (0..self.scored.len()).any(|m| {
                let fails = |gold: Gold| {
                    counted.iter().any(|&i| {
                        dataset.items[i].gold == gold
                            && matches!(self.outcome(m, i), Some(o) if o != Outcome::Right)
                    })
                };
                fails(Gold::Safe) != fails(Gold::Unsafe)
            })
    }

    /// Whether at least `min_share` of the models with a verdict on item `i` contradict its
    /// gold (two voters at least): a label-error candidate.
    pub fn is_candidate(&self, i: usize, min_share: f64) -> bool {
        let [right, wrong, _] = self.outcome_counts(i);
        right + wrong >= 2 && wrong as f64 >= min_share * (right + wrong) as f64 - 1e-9
    }
}

/// How a model does on groups of items that share one image.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ContrastReport {
    /// The model.
    pub model: String,
    /// Groups with at least two answered items.
    pub groups: u64,
    /// Groups answered entirely right.
    pub all_right: u64,
    /// Groups mixing safe and unsafe gold.
    pub mixed_groups: u64,
    /// Mixed groups where the model fails exactly one side (first item id of each group).
    pub one_side_failed: Vec<String>,
}

#[cfg(test)]
mod tests {
    use crate::eval::fixtures::{dataset, model};
    use crate::eval::{Options, evaluate};

    #[test]
    fn label_error_candidates_all_wrong_and_mcnemar() {
        let d = dataset();
        let a = model("a", &[("t1", "Yes"), ("t2", "No"), ("o1", "No")]);
        let b = model("b", &[("t1", "Yes"), ("t2", "Yes"), ("o1", "No")]);
        let c = model("c", &[("t1", "Yes"), ("t2", "No"), ("o1", "Yes")]);
        let e = evaluate(&d, &[a, b, c], &[], &Options::default());
        let candidates = e.label_error_candidates(&d, 2.0 / 3.0);
        let ids: Vec<&str> = candidates.iter().map(|c| c.item.as_str()).collect();
        assert_eq!(ids, vec!["t1", "o1"], "t1: 3/3 disagree, o1: 2/3");
        assert_eq!(e.all_wrong(&d), vec!["t1".to_string()]);
        // a vs b: t2 right only for a -> b=1, c=0 -> p = 1.
        let (only_a, only_b, p) = e.mcnemar(&d, 0, 1);
        assert_eq!((only_a, only_b), (1, 0));
        assert_eq!(p, 1.0);
    }
}
