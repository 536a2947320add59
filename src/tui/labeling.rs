//! Labeling from the item list: one item (moving on after a completing decision when
//! `auto_advance` or blind mode asks), or the whole view in bulk after a confirmation,
//! and undo / redo. Each sends one batch to the writer.

use super::effect::Effect;
use super::strings;
use super::workspace::{Tone, Workspace};
use safeaware::model::{Change, FieldValue, Status};
use safeaware::text::escape_for_display;

/// A label to apply, to one item or (in bulk) to the whole view.
#[derive(Debug, Clone, PartialEq)]
pub struct Labeling {
    /// The new value.
    pub value: FieldValue,
    /// What it does, for messages.
    pub what: String,
}

/// A bulk edit waiting for confirmation.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkPlan {
    /// The label.
    pub labeling: Labeling,
    /// Ids of the items it would change.
    pub ids: Vec<String>,
    /// Items in the view (some may already have the value).
    pub view_len: usize,
    /// A value per id when the items get different values (accepted suggestions); empty
    /// when every item gets `labeling.value`.
    pub values: Vec<FieldValue>,
}

impl Workspace {
    /// Asks the writer to undo (`redo: false`) or redo the last edit, unless read-only.
    pub fn undo_or_redo(&mut self, redo: bool) {
        if !self.refuse_if_read_only() {
            self.saving += 1;
            self.outbox.push(if redo { Effect::Redo } else { Effect::Undo });
        }
    }

    /// Applies a label to the current item, or plans it for the view when bulk is armed
    /// (the plan is returned for the confirmation screen).
    pub fn label(&mut self, value: FieldValue, what: &str) -> Option<BulkPlan> {
        if self.refuse_if_read_only() {
            return None;
        }
        let labeling = Labeling {
            value,
            what: what.to_string(),
        };
        if std::mem::take(&mut self.bulk_armed) {
            return self.plan_bulk(labeling);
        }
        let id = self.current()?.id.clone();
        let completes = completes_item(&labeling.value);
        self.saving += 1;
        let mut what = labeling.what;
        // Blind labeling is one key per answer: it always moves on, as Prodigy does.
        let advance = self.config.auto_advance || self.curators.blind;
        if advance && completes && self.cursor + 1 < self.view.len() {
            self.move_by(1);
            if let Some(next) = self.current() {
                let moved = strings::moved_to(&escape_for_display(&next.id));
                what = format!("{what} {moved}");
                self.say(moved, Tone::Info);
            }
        }
        self.outbox.push(Effect::Apply {
            edits: vec![(id, labeling.value)],
            what,
        });
        None
    }

    fn plan_bulk(&mut self, labeling: Labeling) -> Option<BulkPlan> {
        let ids: Vec<String> = self
            .view
            .iter()
            .map(|&i| &self.dataset.items[i])
            .filter(|item| Change::between(item, labeling.value.clone()).is_some())
            .map(|item| item.id.clone())
            .collect();
        if ids.is_empty() {
            self.say(strings::bulk_nothing(&labeling.what), Tone::Info);
            return None;
        }
        Some(BulkPlan {
            labeling,
            ids,
            view_len: self.view.len(),
            values: Vec::new(),
        })
    }

    /// Sends a confirmed bulk edit to the writer as one action.
    pub fn apply_bulk(&mut self, plan: BulkPlan) {
        let edits = if plan.values.len() == plan.ids.len() {
            plan.ids.into_iter().zip(plan.values).collect()
        } else {
            plan.ids
                .into_iter()
                .map(|id| (id, plan.labeling.value.clone()))
                .collect()
        };
        self.saving += 1;
        self.outbox.push(Effect::Apply {
            edits,
            what: strings::edit::bulk(&plan.labeling.what),
        });
    }
}

/// Whether setting `value` is the decision that completes an item (gold, or accept /
/// needs fix / reject), after which `auto_advance` (and blind mode) moves on. Notes, flags, scenario,
/// subset and "back to unreviewed" leave the cursor where it is.
pub fn completes_item(value: &FieldValue) -> bool {
    match value {
        FieldValue::Gold(_) => true,
        FieldValue::Status(status) => *status != Status::Unreviewed,
        _ => false,
    }
}
