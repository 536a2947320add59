//! Everything that can happen to the TUI, as one flat enum: keys (after the keymap),
//! mouse, resize, and results coming back from the worker threads.

use super::images::{ImageKey, ImageResult};
use super::scores::EvalData;
use safeaware::query::FindingKinds;
use safeaware::session::Batch;
use safeaware::store::journal::JournalEntry;

/// One thing that happened; `update` turns it into a new state.
#[derive(Debug)]
pub enum Action {
    /// Move the cursor down one item.
    Down,
    /// Move the cursor up one item.
    Up,
    /// Move down one page.
    PageDown,
    /// Move up one page.
    PageUp,
    /// First item of the view.
    Top,
    /// Last item of the view.
    Bottom,
    /// Next unreviewed item of the view (wraps).
    NextUnreviewed,
    /// Previous unreviewed item of the view (wraps).
    PrevUnreviewed,
    /// Next item with the same image (the contrast group).
    NextSameImage,
    /// Previous item with the same image.
    PrevSameImage,
    /// Gold: safe (the benchmark's Yes).
    GoldSafe,
    /// Gold: unsafe (the benchmark's No).
    GoldUnsafe,
    /// Status: accepted.
    Accept,
    /// Status: needs fix.
    NeedsFix,
    /// Status: rejected.
    Reject,
    /// Status back to unreviewed.
    Unreview,
    /// Subset: typical -> attack -> over-safety -> typical.
    CycleSubset,
    /// Open the scenario picker.
    PickScenario,
    /// Open the note editor.
    EditNote,
    /// Ask for a flag name to toggle.
    ToggleFlag,
    /// The next label key applies to every item of the view (after a confirmation).
    BulkPrefix,
    /// Undo the last edit of this session.
    Undo,
    /// Redo the last undone edit.
    Redo,
    /// Open the filter prompt.
    OpenFilter,
    /// Open the jump-to-id prompt.
    OpenJump,
    /// Open the list of queues and saved views.
    OpenViews,
    /// Save the current filter as a named view.
    SaveView,
    /// Show or hide the key help.
    ToggleHelp,
    /// Show the current item's edit history.
    OpenHistory,
    /// Reveal (or hide again) the current item's image when images are hidden.
    RevealImage,
    /// Read the current item's whole sentence in a pager (when it is too long to show).
    OpenFullText,
    /// Open the side-by-side view of every model's response to the current item.
    OpenCompare,
    /// Open the error-rate view.
    OpenStats,
    /// In Compare: cycle the curator's verdict of the selected model's response.
    Override,
    /// Accept the suggested scenario of the current item (or, in bulk, of the view).
    AcceptSuggestion,
    /// Open the family (base and variants) of the current item.
    OpenFamily,
    /// Jump to the selected item (family view).
    JumpToItem,
    /// In the views menu: delete the selected saved view.
    DeleteView,
    /// Open the adjudication queue.
    OpenAdjudicate,
    /// Open every curator's progress.
    OpenProgress,
    /// In Adjudicate: take the label of the curator numbered so (1-based).
    TakeLabel(usize),
    /// In Adjudicate: take the majority's label.
    TakeMajority,
    /// Leave the TUI.
    Quit,

    /// A typed character in a prompt or editor.
    Input(char),
    /// Backspace in a prompt or editor.
    Backspace,
    /// Delete the character under the cursor.
    Delete,
    /// Cursor left in a prompt or editor.
    Left,
    /// Cursor right in a prompt or editor.
    Right,
    /// Start of line in a prompt or editor.
    Home,
    /// End of line in a prompt or editor.
    End,
    /// Ctrl-u in a prompt: delete from the start of the line to the cursor.
    KillToStart,
    /// Ctrl-w in a prompt: delete the word before the cursor.
    KillWord,
    /// New line in the note editor.
    Newline,
    /// Enter: accept the prompt or choice.
    Submit,
    /// Esc: leave the prompt or overlay without changes.
    Cancel,
    /// Ctrl-s in the note editor: save the note.
    SaveNote,
    /// Pasted text (bracketed paste).
    Paste(String),

    /// The terminal has a new size.
    Resize(u16, u16),
    /// Mouse wheel: positive scrolls down.
    Scroll(i16),
    /// Mouse click at (column, row).
    Click(u16, u16),

    /// The writer made a batch durable; `what` says which user action it was.
    Persisted {
        /// The applied changes.
        batch: Batch,
        /// A short description for the status line.
        what: String,
    },
    /// The labels of the items an edit touched, as the writer holds them now.
    LabelsChanged(Vec<super::curators::LabelUpdate>),
    /// The writer could not save; nothing was applied.
    SaveFailed(String),
    /// Edits are saved in the journal, but folding them into the items file failed.
    CompactionFailed(String),
    /// An image finished loading (or failed), and how long decoding and encoding took.
    ImageLoaded(ImageKey, ImageResult, std::time::Duration),
    /// Validation finding kinds per item (by dataset index), computed off the UI thread
    /// after the given number of edits.
    FindingsReady(u64, Vec<FindingKinds>),
    /// The variant families, built off the UI thread at open (or why they could not be).
    FamiliesReady(Result<Box<safeaware::families::Families>, String>),
    /// The response files changed on disk and were read and scored again.
    EvalReloaded(Result<Option<Box<EvalData>>, String>),
    /// The history of one item, read off the UI thread.
    HistoryLoaded(String, Result<Vec<JournalEntry>, String>),
    /// The saved views were written (or not).
    ViewsSaved(Result<(), String>),
    /// Stored responses were read and scored (or there are none, or they failed to load).
    EvalLoaded(Result<Option<Box<EvalData>>, String>),
    /// A curator verdict was saved: (model, item, verdict or none to clear).
    OverrideSaved(Result<(String, String, Option<safeaware::model::Verdict>), String>),
}
