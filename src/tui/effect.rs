//! The outbox: what `update` (which does no I/O) asks the event loop to carry out. The
//! writer thread consumes these directly; image loads go to the image worker.

use super::images::ImageRequest;
use safeaware::model::{FieldValue, Verdict};
use std::collections::BTreeMap;

/// One piece of work for the workers.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Make these edits durable as one undoable action, then report back.
    Apply {
        /// (item id, new value) pairs.
        edits: Vec<(String, FieldValue)>,
        /// What the user did, for the status line.
        what: String,
    },
    /// Record these adjudicated values as one undoable action, then report back.
    Adjudicate {
        /// Whose label was taken: a curator's name or `majority` (kept in adjudications.ron).
        from: String,
        /// (item id, adjudicated value) pairs.
        edits: Vec<(String, FieldValue)>,
        /// What the user did, for the status line.
        what: String,
    },
    /// Add time spent on an item to the curator's layer (blind mode).
    AddSeconds {
        /// The item's id.
        item: String,
        /// Whole seconds.
        seconds: u64,
    },
    /// Undo the last action.
    Undo,
    /// Redo the last undone action.
    Redo,
    /// Load these images.
    LoadImages(Vec<ImageRequest>),
    /// Read one item's history.
    LoadHistory(String),
    /// Write the saved views.
    SaveViews(BTreeMap<String, String>),
    /// Save (or clear) a curator's verdict for one model's response to one item.
    SetOverride {
        /// The model's short name.
        model: String,
        /// The item's id.
        item: String,
        /// The verdict, or None to go back to the parsed one.
        verdict: Option<Verdict>,
    },
}

impl PartialEq for ImageRequest {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key && self.current == other.current
    }
}
