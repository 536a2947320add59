//! Variant families and suggested scenarios in the TUI: the families arrive from a worker
//! at open, and every suggestion is computed then. After a scenario or subset edit only
//! the items it can affect (the edited item, the items sharing its image, its family) are
//! recomputed, on the UI thread: labeling a base updates its variants' suggestions at
//! once, at the same cost on a 100k-item dataset as on the sample. Accepting a
//! suggestion is an ordinary labeled edit.

use super::labeling::{BulkPlan, Labeling};
use super::strings;
use super::workspace::{Tone, Workspace};
use safeaware::families::{Families, Suggestion, affected_by_edit, suggestion, suggestions};
use safeaware::model::{Change, FieldValue};

impl Workspace {
    /// Takes the families built by the worker and computes the suggestions.
    pub fn on_families(&mut self, families: Families) {
        self.families = Some(families);
        self.refresh_suggestions();
        if self.query.uses_suggestions() {
            self.refilter();
        }
    }

    /// Recomputes every suggestion from the families and the current labels.
    pub fn refresh_suggestions(&mut self) {
        let Some(families) = &self.families else {
            return;
        };
        self.suggestions_rebuilt += 1;
        let before = std::mem::replace(&mut self.suggestions, suggestions(&self.dataset, families));
        if self.query.uses_suggestions() {
            let changed: Vec<usize> = (0..self.suggestions.len())
                .filter(|&i| before.get(i).map(Option::is_some) != Some(self.suggestions[i].is_some()))
                .collect();
            self.rematch_items(&changed);
        }
    }

    /// Recomputes the suggestions the scenario or subset edits of `edited` (dataset
    /// positions) can change, and re-tests those items against the filter.
    pub fn refresh_suggestions_after(&mut self, edited: &[usize]) {
        let Some(families) = &self.families else {
            return;
        };
        if self.suggestions.len() != self.dataset.items.len() {
            return self.refresh_suggestions();
        }
        let mut affected: Vec<usize> = edited
            .iter()
            .flat_map(|&i| affected_by_edit(&self.dataset, families, i))
            .collect();
        affected.sort_unstable();
        affected.dedup();
        let mut changed = Vec::new();
        for i in affected {
            let now = suggestion(&self.dataset, families, i);
            if now.is_some() != self.suggestions[i].is_some() {
                changed.push(i);
            }
            self.suggestions[i] = now;
        }
        if self.query.uses_suggestions() {
            self.rematch_items(&changed);
        }
    }

    /// The suggestion for item `i`, if any.
    pub fn suggestion(&self, i: usize) -> Option<&Suggestion> {
        self.suggestions.get(i).and_then(Option::as_ref)
    }

    /// Sets the current item's scenario to its suggestion; in bulk, plans every
    /// suggestion of the view as one edit (returned for the confirmation screen).
    pub fn accept_suggestion(&mut self) -> Option<BulkPlan> {
        if self.refuse_if_read_only() {
            return None;
        }
        if self.families.is_none() {
            self.say(strings::FAMILIES_LOADING, Tone::Info);
            return None;
        }
        if std::mem::take(&mut self.bulk_armed) {
            return self.plan_accept_all();
        }
        let i = self.current_index()?;
        let Some(suggestion) = self.suggestion(i) else {
            self.say(strings::NO_SUGGESTION, Tone::Info);
            return None;
        };
        let key = suggestion.scenario.clone();
        let what = strings::edit::accepted_suggestion(&key);
        self.label(FieldValue::Scenario(Some(key)), &what)
    }

    fn plan_accept_all(&mut self) -> Option<BulkPlan> {
        let mut ids = Vec::new();
        let mut values = Vec::new();
        for &i in &self.view {
            let item = &self.dataset.items[i];
            let Some(s) = self.suggestion(i) else { continue };
            let value = FieldValue::Scenario(Some(s.scenario.clone()));
            if Change::between(item, value.clone()).is_some() {
                ids.push(item.id.clone());
                values.push(value);
            }
        }
        let what = strings::edit::ACCEPT_SUGGESTIONS.to_string();
        if ids.is_empty() {
            self.say(strings::bulk_nothing(&what), Tone::Info);
            return None;
        }
        Some(BulkPlan {
            labeling: Labeling {
                value: values[0].clone(),
                what,
            },
            ids,
            view_len: self.view.len(),
            values,
        })
    }
}
