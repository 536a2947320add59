//! The consensus: what `report`, `export`, `validate` and the TUI read as an item's labels.
//!
//! Per item and field: an adjudication if there is one; else the value a strict majority of
//! the layers that labeled the field gives (two curators: the value both gave; one curator:
//! theirs); else the base (`items.ron`). Each field remembers which [`Rule`] decided it.

use super::{ItemLabel, Labels};
use crate::model::{Dataset, Item};
use serde::Serialize;

/// Which rule gave a field's consensus value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// `labels/adjudications.ron` decides.
    Adjudication,
    /// A strict majority of three or more labeling curators, with dissent.
    Majority,
    /// Two or more curators labeled it and all agree.
    Agreed,
    /// Exactly one curator labeled it.
    Single,
    /// No curator labeled it: the imported value.
    #[default]
    Base,
    /// Curators labeled it and no value has a strict majority: the imported value stands.
    Disputed,
}

impl Rule {
    /// The stable snake_case name.
    pub fn key(self) -> &'static str {
        match self {
            Rule::Adjudication => "adjudication",
            Rule::Majority => "majority",
            Rule::Agreed => "agreed",
            Rule::Single => "single",
            Rule::Base => "base",
            Rule::Disputed => "disputed",
        }
    }
}

/// The rule behind each consensus field of one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Rules {
    /// Gold answer.
    pub gold: Rule,
    /// Subset.
    pub subset: Rule,
    /// Scenario.
    pub scenario: Rule,
    /// Review status.
    pub status: Rule,
    /// Notes.
    pub notes: Rule,
}

impl Rules {
    /// Whether any field is disputed or decided by a majority over dissent (the
    /// adjudication queue).
    pub fn needs_adjudication(&self) -> bool {
        [self.gold, self.subset, self.scenario, self.status]
            .iter()
            .any(|r| matches!(r, Rule::Disputed | Rule::Majority))
    }
}

/// The vote over the values the labeling layers gave: the winner and its rule, or none
/// when nobody labeled (base) / nobody has a strict majority (disputed).
pub fn vote<T: PartialEq + Clone>(values: &[T]) -> Result<(T, Rule), Rule> {
    if values.is_empty() {
        return Err(Rule::Base);
    }
    let mut tally: Vec<(&T, usize)> = Vec::new();
    for v in values {
        match tally.iter_mut().find(|(t, _)| *t == v) {
            Some((_, n)) => *n += 1,
            None => tally.push((v, 1)),
        }
    }
    let Some(&(best, count)) = tally.iter().max_by_key(|(_, n)| *n) else {
        return Err(Rule::Base);
    };
    if count * 2 <= values.len() {
        return Err(Rule::Disputed);
    }
    let rule = match (values.len(), tally.len()) {
        (1, _) => Rule::Single,
        (_, 1) => Rule::Agreed,
        _ => Rule::Majority,
    };
    Ok((best.clone(), rule))
}

fn decide<T: PartialEq + Clone>(
    base: &mut T,
    adjudicated: Option<T>,
    layers: &[&ItemLabel],
    get: impl Fn(&ItemLabel) -> Option<T>,
) -> Rule {
    if let Some(v) = adjudicated {
        *base = v;
        return Rule::Adjudication;
    }
    let values: Vec<T> = layers.iter().filter_map(|l| get(l)).collect();
    match vote(&values) {
        Ok((v, rule)) => {
            *base = v;
            rule
        }
        Err(rule) => rule,
    }
}

/// One item's consensus from its base and the labels.
pub fn item(base: &Item, labels: &Labels) -> (Item, Rules) {
    let layers: Vec<&ItemLabel> = labels.layers.values().filter_map(|l| l.get(&base.id)).collect();
    let adj = labels.adjudications.get(&base.id);
    if layers.is_empty() && adj.is_none() {
        return (base.clone(), Rules::default());
    }
    let mut out = base.clone();
    let rules = Rules {
        gold: decide(&mut out.gold, adj.and_then(|a| a.gold), &layers, |l| l.gold),
        subset: decide(&mut out.subset, adj.and_then(|a| a.subset), &layers, |l| l.subset),
        scenario: decide(
            &mut out.scenario,
            adj.and_then(|a| a.scenario_value()),
            &layers,
            |l| l.scenario_value(),
        ),
        status: decide(&mut out.status, adj.and_then(|a| a.status), &layers, |l| l.status),
        notes: decide(&mut out.notes, adj.and_then(|a| a.notes.clone()), &layers, |l| {
            l.notes.clone()
        }),
    };
    let mut names: Vec<&String> = layers.iter().flat_map(|l| l.flags.keys()).collect();
    if let Some(a) = adj {
        names.extend(a.flags.keys());
    }
    names.sort();
    names.dedup();
    for name in names {
        let mut set = out.flags.contains(name);
        decide(
            &mut set,
            adj.and_then(|a| a.flags.get(name).copied()),
            &layers,
            |l| l.flags.get(name).copied(),
        );
        if set {
            out.flags.insert(name.clone());
        } else {
            out.flags.remove(name);
        }
    }
    (out, rules)
}

/// The consensus view of a whole dataset and the rules per item (in item order).
///
/// The view shares every item the labels leave as it is with the base (copy on write per
/// item), so a large dataset with a few labels is held about once.
pub fn view(base: &Dataset, labels: &Labels) -> (Dataset, Vec<Rules>) {
    let mut view = base.clone();
    let mut rules = Vec::with_capacity(base.items.len());
    for (i, b) in base.items.iter().enumerate() {
        let (decided, rule) = item(b, labels);
        if decided != *b {
            view.set_labels(i, &decided);
        }
        rules.push(rule);
    }
    (view, rules)
}

/// Ids of the items whose curators disagree (the adjudication queue), in item order.
pub fn adjudication_queue(base: &Dataset, rules: &[Rules]) -> Vec<String> {
    base.items
        .iter()
        .zip(rules)
        .filter(|(_, r)| r.needs_adjudication())
        .map(|(i, _)| i.id.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Gold;

    #[test]
    fn strict_majority_rules() {
        assert_eq!(vote::<u8>(&[]), Err(Rule::Base));
        assert_eq!(vote(&[1]), Ok((1, Rule::Single)));
        assert_eq!(vote(&[1, 1]), Ok((1, Rule::Agreed)));
        assert_eq!(vote(&[1, 2]), Err(Rule::Disputed));
        assert_eq!(vote(&[1, 2, 1]), Ok((1, Rule::Majority)));
        assert_eq!(vote(&[1, 2, 3]), Err(Rule::Disputed));
        assert_eq!(vote(&[1, 1, 2, 2]), Err(Rule::Disputed));
    }

    #[test]
    fn an_adjudication_beats_the_layers_and_disputes_keep_the_base() {
        let dir = tempfile::tempdir().unwrap();
        let ds = dir.path().join("ds");
        crate::synth::write_sample(&ds, false).unwrap();
        let base = crate::store::load(&ds).unwrap();
        let first = base.items[0].clone();
        let other = match first.gold {
            Gold::Safe => Gold::Unsafe,
            Gold::Unsafe => Gold::Safe,
        };
        let mut labels = Labels::default();
        for (name, gold) in [("ana", other), ("bob", first.gold)] {
            let label = ItemLabel {
                gold: Some(gold),
                ..ItemLabel::default()
            };
            labels
                .layers
                .entry(name.into())
                .or_default()
                .insert(first.id.clone(), label);
        }
        let (item0, rules) = item(&first, &labels);
        assert_eq!((item0.gold, rules.gold), (first.gold, Rule::Disputed));
        assert!(rules.needs_adjudication());
        labels.adjudications.insert(
            first.id.clone(),
            ItemLabel {
                gold: Some(other),
                ..ItemLabel::default()
            },
        );
        let (view, rules) = view(&base, &labels);
        assert_eq!(view.items[0].gold, other);
        assert_eq!(rules[0].gold, Rule::Adjudication);
        assert_eq!(rules[1], Rules::default(), "unlabeled items keep the base");
        assert_eq!(view.items[1], base.items[1]);
    }

    #[test]
    fn an_unlabeled_dataset_views_as_its_base_and_a_label_shows_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let ds = dir.path().join("ds");
        crate::synth::write_sample(&ds, false).unwrap();
        let base = crate::store::load(&ds).unwrap();
        let mut labels = Labels::default();
        labels.layers.insert("ana".into(), crate::labels::Layer::new());
        let (view, rules) = super::view(&base, &labels);
        assert_eq!(view, base);
        assert!(rules.iter().all(|r| *r == Rules::default()) && rules.len() == base.items.len());
        let first = &base.items[0];
        let other = match first.gold {
            Gold::Safe => Gold::Unsafe,
            Gold::Unsafe => Gold::Safe,
        };
        let label = ItemLabel {
            gold: Some(other),
            ..ItemLabel::default()
        };
        labels
            .layers
            .get_mut("ana")
            .unwrap()
            .insert(first.id.clone(), label);
        let (view, rules) = super::view(&base, &labels);
        assert_eq!((view.items[0].gold, rules[0].gold), (other, Rule::Single));
    }
}
