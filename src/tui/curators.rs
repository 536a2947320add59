//! What the TUI knows about the curators: who is editing, whether blind, every layer and
//! the adjudications (a replica the writer keeps fresh with [`LabelUpdate`]s), the rule
//! behind each consensus field, the assignments, and the time spent on the current item.

use safeaware::labels::assign::{self, Assignments, Progress};
use safeaware::labels::consensus::{self, Rule, Rules};
use safeaware::labels::{ItemLabel, Labels, blind};
use safeaware::model::{Dataset, FieldValue};
use safeaware::session::{Batch, Session};
use std::path::Path;
use std::time::Instant;

/// One item's labels as the writer holds them after an edit.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelUpdate {
    /// The item's dataset position.
    pub index: usize,
    /// The item's id.
    pub id: String,
    /// The session curator's label of it.
    pub own: Option<ItemLabel>,
    /// Its adjudication.
    pub adjudication: Option<ItemLabel>,
    /// The rules of its consensus now.
    pub rules: Rules,
}

/// The labels of the items a batch touched, read from the session that applied it.
pub fn snapshot(session: &Session, batch: &Batch) -> Vec<LabelUpdate> {
    let mut out: Vec<LabelUpdate> = Vec::new();
    for change in &batch.changes {
        let Some(index) = session.dataset().position(&change.item) else {
            continue;
        };
        if out.iter().any(|u| u.index == index) {
            continue;
        }
        let labels = session.labels();
        out.push(LabelUpdate {
            index,
            id: change.item.clone(),
            own: labels
                .layers
                .get(session.curator())
                .and_then(|l| l.get(&change.item))
                .cloned(),
            adjudication: labels.adjudications.get(&change.item).cloned(),
            rules: session.rules().get(index).copied().unwrap_or_default(),
        });
    }
    out
}

/// The curators' side of the workspace.
#[derive(Debug, Default)]
pub struct Curators {
    /// The curator this TUI edits as (empty when unknown, as in tests without a session).
    pub name: String,
    /// Blind mode: no gold, other labels, responses, suggestions or findings are shown.
    pub blind: bool,
    /// Every layer and the adjudications.
    pub labels: Labels,
    /// The rules of each item's consensus (dataset order; empty: all base).
    pub rules: Vec<Rules>,
    /// `labels/assignments.ron`.
    pub assignments: Assignments,
    /// The item being looked at in blind mode and since when.
    visit: Option<(usize, Instant)>,
}

impl Curators {
    /// The curators of an editing session.
    pub fn of_session(session: &Session, dir: &Path) -> Curators {
        Curators {
            name: session.curator().to_string(),
            labels: session.labels().clone(),
            rules: session.rules().to_vec(),
            assignments: assign::load(dir).unwrap_or_default(),
            ..Curators::default()
        }
    }

    /// The curators of a dataset opened read-only (as far as they can be read).
    pub fn of_folder(dir: &Path, name: String) -> Curators {
        let (labels, rules) = match safeaware::session::load_layers(dir) {
            Ok((loaded, _)) => (loaded.labels, loaded.rules),
            Err(_) => Default::default(),
        };
        Curators {
            name,
            labels,
            rules,
            assignments: assign::load(dir).unwrap_or_default(),
            ..Curators::default()
        }
    }

    /// This curator's label of item `id`.
    pub fn own(&self, id: &str) -> Option<&ItemLabel> {
        self.labels.layers.get(&self.name)?.get(id)
    }

    /// Whether this curator has answered item `id` (gave it a gold answer).
    pub fn answered(&self, id: &str) -> bool {
        self.own(id).is_some_and(|l| l.gold.is_some())
    }

    /// The rules of item `i` (base when unknown).
    pub fn rules_of(&self, i: usize) -> Rules {
        self.rules.get(i).copied().unwrap_or_default()
    }

    /// Every curator's label of item `id`, by name (sorted).
    pub fn labels_of(&self, id: &str) -> Vec<(&str, &ItemLabel)> {
        self.labels
            .layers
            .iter()
            .filter_map(|(name, layer)| layer.get(id).map(|l| (name.as_str(), l)))
            .filter(|(_, l)| !l.is_empty())
            .collect()
    }

    /// Takes in what the writer reports after an edit.
    pub fn apply(&mut self, updates: Vec<LabelUpdate>) {
        for u in updates {
            let layer = self.labels.layers.entry(self.name.clone()).or_default();
            match u.own {
                Some(label) => layer.insert(u.id.clone(), label),
                None => layer.remove(&u.id),
            };
            match u.adjudication {
                Some(label) => self.labels.adjudications.insert(u.id, label),
                None => self.labels.adjudications.remove(&u.id),
            };
            if self.rules.len() <= u.index {
                self.rules.resize(u.index + 1, Rules::default());
            }
            self.rules[u.index] = u.rules;
        }
    }

    /// Dataset positions of the items where curators disagree, in dataset order.
    pub fn queue(&self, dataset: &Dataset) -> Vec<usize> {
        if self.rules.len() != dataset.items.len() {
            return Vec::new();
        }
        consensus::adjudication_queue(dataset, &self.rules)
            .iter()
            .filter_map(|id| dataset.position(id))
            .collect()
    }

    /// Progress of every curator on their assignment (as `summary` reports it).
    pub fn progress(&self, dataset: &Dataset) -> Vec<Progress> {
        assign::progress(dataset, &self.labels, &self.assignments)
    }

    /// This curator's blind order of the dataset's items.
    pub fn blind_order(&self, dataset: &Dataset) -> Vec<usize> {
        blind::order(dataset, &self.name, &self.assignments)
    }

    /// Starts timing a visit of item `now` (None: no item, as on quit) and returns the
    /// item and seconds of the visit that ended, if it counts (blind mode only).
    pub fn visit(&mut self, now: Option<usize>, at: Instant) -> Option<(usize, u64)> {
        if !self.blind {
            return None;
        }
        if self.visit.is_some_and(|(i, _)| Some(i) == now) {
            return None;
        }
        let ended = self.visit.take();
        self.visit = now.map(|i| (i, at));
        let (item, since) = ended?;
        let seconds = blind::visit_seconds(at.saturating_duration_since(since));
        (seconds > 0).then_some((item, seconds))
    }
}

/// One field of a label, for display and adjudication.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The gold answer.
    Gold,
    /// The subset.
    Subset,
    /// The scenario.
    Scenario,
    /// The review status.
    Status,
}

impl Field {
    /// The fields curators vote on, in display order.
    pub const ALL: [Field; 4] = [Field::Gold, Field::Subset, Field::Scenario, Field::Status];

    /// Its name as the item shows it.
    pub fn key(self) -> &'static str {
        match self {
            Field::Gold => "gold",
            Field::Subset => "subset",
            Field::Scenario => "scenario",
            Field::Status => "status",
        }
    }

    /// The rule that decided this field.
    pub fn rule(self, rules: &Rules) -> Rule {
        match self {
            Field::Gold => rules.gold,
            Field::Subset => rules.subset,
            Field::Scenario => rules.scenario,
            Field::Status => rules.status,
        }
    }

    /// The value a label gives this field, as an edit (None: the label leaves it unset).
    pub fn value(self, label: &ItemLabel) -> Option<FieldValue> {
        match self {
            Field::Gold => label.gold.map(FieldValue::Gold),
            Field::Subset => label.subset.map(FieldValue::Subset),
            Field::Scenario => label.scenario_value().map(FieldValue::Scenario),
            Field::Status => label.status.map(FieldValue::Status),
        }
    }

    /// The value a label gives this field, as text (None: unset).
    pub fn text(self, label: &ItemLabel) -> Option<String> {
        value_text(self.value(label)?)
    }
}

/// A label value as text (unescaped); None for notes and flags.
pub fn value_text(value: FieldValue) -> Option<String> {
    Some(match value {
        FieldValue::Gold(g) => g.key().to_string(),
        FieldValue::Subset(s) => s.key().to_string(),
        FieldValue::Scenario(s) => s.unwrap_or_else(|| "-".into()),
        FieldValue::Status(s) => s.key().to_string(),
        FieldValue::Notes(_) | FieldValue::Flag(..) => return None,
    })
}

/// Whether the curators who labeled a field gave it more than one value.
pub fn disagree(field: Field, labels: &[(&str, &ItemLabel)]) -> bool {
    let mut values = labels.iter().filter_map(|(_, l)| field.text(l));
    match values.next() {
        Some(first) => values.any(|v| v != first),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_visit_is_timed_only_in_blind_mode_and_only_when_it_ends() {
        let mut c = Curators::default();
        let t0 = Instant::now();
        assert_eq!(c.visit(Some(1), t0), None, "not blind");
        c.blind = true;
        assert_eq!(c.visit(Some(1), t0), None, "first visit starts");
        assert_eq!(c.visit(Some(1), t0 + Duration::from_secs(2)), None, "same item");
        assert_eq!(c.visit(Some(2), t0 + Duration::from_millis(4500)), Some((1, 5)));
        assert_eq!(
            c.visit(None, t0 + Duration::from_secs(4000)),
            Some((2, blind::MAX_SECONDS_PER_VISIT)),
            "idle time is capped"
        );
    }
}
