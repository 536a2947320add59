//! One file per screen. Each owns its state, its keys (a `commands!` table: the keymap
//! section of the screen), its `update` (which returns a [`Next`]), its `draw` and its
//! footer hints. Screens change the shared [`Workspace`](super::workspace::Workspace);
//! which screen is open is the business of `State` and the top-level `update`.

pub mod adjudicate;
pub mod browse;
pub mod compare;
pub mod confirm;
pub mod family;
pub mod filter;
pub mod global;
pub mod help;
pub mod history;
pub mod jump;
pub mod name_prompts;
pub mod note;
pub mod pager;
pub mod picker;
pub mod progress;
pub mod prompt;
pub mod stats;
pub mod views;

use super::labeling::BulkPlan;

/// What a screen's `update` asks for after an action.
#[derive(Debug)]
pub enum Next {
    /// Stay on this screen.
    Stay,
    /// Close it, back to the screen below (the item list).
    Close,
    /// Open another screen instead.
    Open(Open),
}

/// A screen to open, with what it starts from.
#[derive(Debug)]
pub enum Open {
    /// Key help.
    Help,
    /// The filter prompt holding `text`, with the error of a failed attempt.
    Filter {
        /// The query text.
        text: String,
        /// Why it did not parse.
        error: Option<String>,
    },
    /// The jump-to-id prompt.
    Jump,
    /// The flag prompt (for the whole view when bulk).
    Flag {
        /// Bulk edit.
        bulk: bool,
    },
    /// The prompt for the name of a saved view.
    ViewName,
    /// The scenario picker (for the whole view when bulk).
    Picker {
        /// Bulk edit.
        bulk: bool,
    },
    /// The note editor, holding the current note.
    Note(String),
    /// The bulk confirmation.
    Confirm(BulkPlan),
    /// An item's history.
    History(String),
    /// Queues and saved views.
    Views,
    /// Every model's response side by side.
    Compare,
    /// Error rates by model and slice.
    Stats,
    /// The variant family of an item.
    Family(family::FamilyView),
    /// The full sentence of an item (dataset index) in a pager.
    Pager(usize),
    /// The adjudication queue.
    Adjudicate(adjudicate::AdjudicateView),
    /// Every curator's progress.
    Progress,
}

impl Next {
    /// Stay when `plan` is None, else ask to confirm it.
    pub fn confirm_or_stay(plan: Option<BulkPlan>) -> Next {
        match plan {
            Some(plan) => Next::Open(Open::Confirm(plan)),
            None => Next::Stay,
        }
    }

    /// Close when `plan` is None, else ask to confirm it.
    pub fn confirm_or_close(plan: Option<BulkPlan>) -> Next {
        match plan {
            Some(plan) => Next::Open(Open::Confirm(plan)),
            None => Next::Close,
        }
    }
}
