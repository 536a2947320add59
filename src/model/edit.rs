//! Edits of one item field, as the journal records them and undo reverses them.

use super::{Gold, Item, Status, Subset};
use serde::{Deserialize, Serialize};

/// A new value for one field of an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    /// Set the gold answer.
    Gold(Gold),
    /// Set the review status.
    Status(Status),
    /// Set the subset.
    Subset(Subset),
    /// Set or clear the scenario.
    Scenario(Option<String>),
    /// Replace the notes.
    Notes(String),
    /// Set (true) or clear (false) one flag.
    Flag(String, bool),
}

/// One field's change: its old and new value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "field", rename_all = "snake_case")]
pub enum Change {
    /// Gold answer changed.
    Gold {
        /// Before.
        old: Gold,
        /// After.
        new: Gold,
    },
    /// Review status changed.
    Status {
        /// Before.
        old: Status,
        /// After.
        new: Status,
    },
    /// Subset changed.
    Subset {
        /// Before.
        old: Subset,
        /// After.
        new: Subset,
    },
    /// Scenario set or cleared.
    Scenario {
        /// Before.
        old: Option<String>,
        /// After.
        new: Option<String>,
    },
    /// Notes replaced.
    Notes {
        /// Before.
        old: String,
        /// After.
        new: String,
    },
    /// A flag set or cleared.
    Flag {
        /// The flag.
        name: String,
        /// Whether it was set before.
        old: bool,
        /// Whether it is set after.
        new: bool,
    },
}

impl Change {
    /// The change `value` would make to `item`, or none when it already has that value.
    pub fn between(item: &Item, value: FieldValue) -> Option<Change> {
        let change = Change::to(item, value);
        (!change.is_noop()).then_some(change)
    }

    /// The change from `item`'s value to `value`, even when they are equal (a curator
    /// confirming a value records a label of their own).
    pub fn to(item: &Item, value: FieldValue) -> Change {
        match value {
            FieldValue::Gold(new) => Change::Gold { old: item.gold, new },
            FieldValue::Status(new) => Change::Status {
                old: item.status,
                new,
            },
            FieldValue::Subset(new) => Change::Subset {
                old: item.subset,
                new,
            },
            FieldValue::Scenario(new) => Change::Scenario {
                old: item.scenario.clone(),
                new,
            },
            FieldValue::Notes(new) => Change::Notes {
                old: item.notes.clone(),
                new,
            },
            FieldValue::Flag(name, new) => Change::Flag {
                old: item.flags.contains(&name),
                name,
                new,
            },
        }
    }

    /// Whether old and new are equal.
    pub fn is_noop(&self) -> bool {
        match self {
            Change::Gold { old, new } => old == new,
            Change::Status { old, new } => old == new,
            Change::Subset { old, new } => old == new,
            Change::Scenario { old, new } => old == new,
            Change::Notes { old, new } => old == new,
            Change::Flag { old, new, .. } => old == new,
        }
    }

    /// The change that undoes this one.
    pub fn inverse(&self) -> Change {
        match self.clone() {
            Change::Gold { old, new } => Change::Gold { old: new, new: old },
            Change::Status { old, new } => Change::Status { old: new, new: old },
            Change::Subset { old, new } => Change::Subset { old: new, new: old },
            Change::Scenario { old, new } => Change::Scenario { old: new, new: old },
            Change::Notes { old, new } => Change::Notes { old: new, new: old },
            Change::Flag { name, old, new } => Change::Flag {
                name,
                old: new,
                new: old,
            },
        }
    }

    /// Writes the new value into `item` (setting, so applying twice is harmless).
    pub fn apply_to(&self, item: &mut Item) {
        match self {
            Change::Gold { new, .. } => item.gold = *new,
            Change::Status { new, .. } => item.status = *new,
            Change::Subset { new, .. } => item.subset = *new,
            Change::Scenario { new, .. } => item.scenario = new.clone(),
            Change::Notes { new, .. } => item.notes = new.clone(),
            Change::Flag { name, new, .. } => {
                if *new {
                    item.flags.insert(name.clone());
                } else {
                    item.flags.remove(name);
                }
            }
        }
    }

    /// The field's name as the journal and history show it.
    pub fn field(&self) -> String {
        match self {
            Change::Gold { .. } => "gold".into(),
            Change::Status { .. } => "status".into(),
            Change::Subset { .. } => "subset".into(),
            Change::Scenario { .. } => "scenario".into(),
            Change::Notes { .. } => "notes".into(),
            Change::Flag { name, .. } => format!("flag {name}"),
        }
    }

    /// Old and new value as short text, for history views.
    pub fn describe(&self) -> (String, String) {
        fn opt(s: &Option<String>) -> String {
            s.clone().unwrap_or_else(|| "none".into())
        }
        match self {
            Change::Gold { old, new } => (old.to_string(), new.to_string()),
            Change::Status { old, new } => (old.to_string(), new.to_string()),
            Change::Subset { old, new } => (old.to_string(), new.to_string()),
            Change::Scenario { old, new } => (opt(old), opt(new)),
            Change::Notes { old, new } => (old.clone(), new.clone()),
            Change::Flag { old, new, .. } => (
                if *old { "set" } else { "unset" }.into(),
                if *new { "set" } else { "unset" }.into(),
            ),
        }
    }
}
