//! Whether an item passes a test, from its fields and the facts around it.

use super::facts::Facts;
use super::syntax::{Condition, Query, Test};
use crate::eval::Outcome;
use crate::model::{Item, Taxonomy};

impl Query {
    /// Whether `item` (at `index` in its dataset) matches every term. `lower_text` is the
    /// item's sentence and notes in lower case (callers cache it so that re-filtering
    /// allocates nothing).
    pub fn matches(
        &self,
        index: usize,
        item: &Item,
        lower_text: &str,
        taxonomy: &Taxonomy,
        facts: &dyn Facts,
    ) -> bool {
        self.terms
            .iter()
            .all(|t| t.test.matches(index, item, lower_text, taxonomy, facts) != t.negated)
    }
}

/// The text a query's word search looks in: sentence and notes, lower-cased.
pub fn searchable_text(item: &Item) -> String {
    let mut s = item.sentence.to_lowercase();
    if !item.notes.is_empty() {
        s.push('\n');
        s.push_str(&item.notes.to_lowercase());
    }
    s
}

impl Test {
    pub(super) fn matches(
        &self,
        index: usize,
        item: &Item,
        lower: &str,
        taxonomy: &Taxonomy,
        facts: &dyn Facts,
    ) -> bool {
        match self {
            Test::Text(t) => lower.contains(t.as_str()),
            Test::Id(ids) => ids.contains(&item.id),
            Test::Subset(v) => v.contains(&item.subset),
            Test::Scenario(v) => v.contains(&item.scenario),
            Test::AnyScenario => item.scenario.is_some(),
            Test::Group(groups) => item
                .scenario
                .as_deref()
                .and_then(|k| taxonomy.get(k))
                .and_then(|s| s.group.as_deref())
                .is_some_and(|g| groups.iter().any(|x| x.eq_ignore_ascii_case(g))),
            Test::Gold(v) => v.contains(&item.gold),
            Test::Status(v) => v.contains(&item.status),
            Test::Flag(v) => v.iter().any(|f| item.flags.contains(f)),
            Test::AnyFlag => !item.flags.is_empty(),
            Test::NoFlag => item.flags.is_empty(),
            Test::HasImage(want) => item.image.is_some() == *want,
            Test::Is(conditions) => conditions.iter().any(|c| match c {
                Condition::Conflict => is_conflict(item, taxonomy),
                Condition::Shared => facts.image_shared_by(index, item) > 1,
                Condition::Noted => !item.notes.is_empty(),
                Condition::Suspect => facts.is_suspect(index),
                Condition::AllWrong => {
                    let [right, wrong, unparsed] = facts.outcome_counts(index);
                    right == 0 && wrong + unparsed > 0
                }
                Condition::ReaderDiff => facts.readers_differ(index),
                Condition::ContrastFail => facts.in_failed_contrast(index),
                Condition::Suggested => facts.is_suggested(index),
            }),
            Test::Finding(kinds) => facts.findings(index, item).iter().any(|k| kinds.contains(k)),
            Test::AnyFinding => !facts.findings(index, item).is_empty(),
            Test::Model(want, model) => {
                // `wrong:` counts unparsed answers too, as accuracy does.
                let hit = |o: Outcome| {
                    if *want == Outcome::Wrong {
                        o != Outcome::Right
                    } else {
                        o == *want
                    }
                };
                match model {
                    Some(m) => facts.model_outcome(m, index).is_some_and(hit),
                    None => {
                        let [right, wrong, unparsed] = facts.outcome_counts(index);
                        match want {
                            Outcome::Right => right > 0,
                            Outcome::Wrong => wrong + unparsed > 0,
                            Outcome::Unparsed => unparsed > 0,
                        }
                    }
                }
            }
            Test::Disagree => {
                let [right, wrong, unparsed] = facts.outcome_counts(index);
                right > 0 && wrong + unparsed > 0
            }
        }
    }
}

/// Whether an item's labels contradict each other or a source: gold vs subset, scenario vs
/// subset, a source's gold claim vs gold.
pub fn is_conflict(item: &Item, taxonomy: &Taxonomy) -> bool {
    item.gold_conflicts_with_subset()
        || item.provenance.gold_claims.iter().any(|c| c.gold != item.gold)
        || item
            .scenario
            .as_deref()
            .and_then(|k| taxonomy.get(k))
            .is_some_and(|s| s.subset != item.subset)
}
