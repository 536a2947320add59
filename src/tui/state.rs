//! The TUI's whole state: the dataset replica, the filtered view, the cursor, the open
//! overlay, and the effects waiting for the event loop to carry out.

use super::config::Settings;
use super::editor::Editor;
use super::images::{ImageCache, ImageRequest};
use safeaware::eval::{Evaluation, Outcome, Queues, ScoreFacts};
use safeaware::model::{Dataset, FieldValue, Item, ModelResponses, Status, Verdict};
use safeaware::query::{Facts, Query, searchable_text};
use safeaware::store::journal::JournalEntry;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

/// What the event loop must do for `update` (which does no I/O itself).
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Make these edits durable as one undoable action, then report back.
    Apply {
        /// (item id, new value) pairs.
        edits: Vec<(String, FieldValue)>,
        /// What the user did, for the status line.
        what: String,
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
}

/// The scenario picker: typed text and the highlighted choice.
#[derive(Debug, Clone, PartialEq)]
pub struct Picker {
    /// Filter text.
    pub input: Editor,
    /// Index into the filtered choices.
    pub selected: usize,
    /// Apply to the whole view (bulk) rather than the current item.
    pub bulk: bool,
}

/// Which overlay or prompt has the keyboard.
#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    /// The item list and detail.
    Browse,
    /// Key help.
    Help,
    /// Typing a filter query; the error of the last attempt, if any.
    Filter(Editor, Option<String>),
    /// Typing an id to jump to.
    Jump(Editor, Option<String>),
    /// Typing a flag name to toggle (bulk when true).
    Flag(Editor, bool),
    /// Typing a name for the current filter.
    ViewName(Editor),
    /// Choosing a scenario.
    Scenario(Picker),
    /// Editing the current item's note.
    Note(Editor),
    /// Confirming a bulk edit.
    Confirm(BulkPlan),
    /// An item's edit history (None while loading).
    History(String, Option<Result<Vec<JournalEntry>, String>>),
    /// Choosing a queue or saved view.
    Views(usize),
    /// Every model's response to the current item side by side.
    Compare(CompareView),
    /// Error rates by model and slice; Enter opens the wrong items of a cell.
    Stats(StatsView),
}

/// The Compare view's position: which model column is selected, which is leftmost,
/// how far the texts are scrolled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CompareView {
    /// Selected model (index into the evaluation's models).
    pub selected: usize,
    /// Leftmost visible model.
    pub first: usize,
    /// Lines scrolled in every column.
    pub scroll: u16,
}

/// The Stats view's selected cell: row (a slice) and column (a model).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StatsView {
    /// Row: 0-2 the subsets, then the scenarios in taxonomy order.
    pub row: usize,
    /// Column: the model.
    pub col: usize,
}

/// Stored responses and their scores, loaded off the UI thread.
#[derive(Debug)]
pub struct EvalData {
    /// Scores and reports.
    pub evaluation: Evaluation,
    /// The responses, for the Compare view.
    pub responses: Vec<ModelResponses>,
    /// Per model, item index -> position in its responses.
    pub positions: Vec<HashMap<String, usize>>,
    /// Label-error candidates and failed contrast groups, by dataset index.
    pub queues: Queues,
}

impl EvalData {
    /// Scores `responses` for the TUI.
    pub fn new(dataset: &Dataset, responses: Vec<ModelResponses>, evaluation: Evaluation) -> EvalData {
        let positions = responses
            .iter()
            .map(|m| {
                m.responses
                    .iter()
                    .enumerate()
                    .map(|(p, r)| (r.item.clone(), p))
                    .collect()
            })
            .collect();
        let mut data = EvalData {
            evaluation,
            responses,
            positions,
            queues: Queues::default(),
        };
        data.refresh(dataset);
        data
    }

    /// Updates outcomes and queues of items whose labels or verdicts changed; the reports
    /// wait for [`Evaluation::summarize_reports`].
    pub fn update_items(
        &mut self,
        dataset: &Dataset,
        items: &[usize],
        group_of: &dyn Fn(usize) -> Vec<usize>,
    ) {
        self.evaluation.rescore_items(dataset, items);
        self.queues
            .update_items(&self.evaluation, dataset, items, group_of);
    }

    /// Recomputes everything after label edits made before the scores loaded.
    pub fn refresh(&mut self, dataset: &Dataset) {
        self.evaluation.summarize(dataset);
        self.queues = Queues::new(&self.evaluation, dataset);
    }

    /// Model `m`'s response text to item `id`.
    pub fn response(&self, m: usize, id: &str) -> Option<&str> {
        self.positions[m]
            .get(id)
            .map(|&p| self.responses[m].responses[p].text.as_str())
    }
}

/// Where the stored responses stand.
#[derive(Debug)]
pub enum EvalStatus {
    /// Being read and scored.
    Loading,
    /// Ready (boxed: large).
    Ready(Box<EvalData>),
    /// The dataset has no stored responses.
    NoResponses,
    /// Reading them failed.
    Failed(String),
}

/// Severity of the status-line message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Neutral information.
    Info,
    /// Something was refused or failed.
    Error,
}

/// The built-in queues, offered before the saved views.
pub const QUEUES: [(&str, &str); 10] = [
    ("all items", ""),
    ("unreviewed", "status:unreviewed"),
    ("unlabeled scenario", "scenario:none"),
    ("validation findings", "finding:any"),
    ("conflicts", "is:conflict"),
    ("label-error candidates", "is:suspect"),
    ("every model wrong", "is:all_wrong"),
    ("models disagree", "disagree"),
    ("readers disagree", "is:reader_diff"),
    ("contrast groups failed on one side", "is:contrast_fail"),
];

/// The TUI state.
#[derive(Debug)]
pub struct State {
    /// The dataset as last persisted.
    pub dataset: Dataset,
    /// The dataset folder.
    pub dir: PathBuf,
    /// Item index by id.
    pub index: HashMap<String, usize>,
    /// Lower-cased sentence + notes per item, for text search.
    pub search_text: Vec<String>,
    /// Items sharing each image hash, in dataset order.
    pub image_groups: HashMap<String, Vec<usize>>,
    /// Validation finding kinds per item, by dataset index (filled by a background check).
    pub findings: Vec<Vec<String>>,
    /// How many items share each item's image, by dataset index (0 without image).
    pub shared_by: Vec<usize>,
    /// Whether the background validation has finished.
    pub findings_ready: bool,
    /// Saved views: name -> query.
    pub views: BTreeMap<String, String>,
    /// Item indices that pass the filter, in dataset order.
    pub view: Vec<usize>,
    /// Items of the view per status (unreviewed, accepted, needs fix, rejected).
    pub view_counts: [usize; 4],
    /// Cursor position within `view`.
    pub cursor: usize,
    /// First row of the list on screen.
    pub list_offset: usize,
    /// The active filter text.
    pub filter: String,
    /// The active filter, parsed.
    pub query: Query,
    /// The overlay or prompt with the keyboard.
    pub mode: Mode,
    /// The next label applies to the whole view.
    pub bulk_armed: bool,
    /// Set when another process holds the lock: who, for the banner.
    pub read_only: Option<String>,
    /// The status line.
    pub message: Option<(String, Tone)>,
    /// Actions sent to the writer and not yet durable.
    pub saving: usize,
    /// Stored responses and their scores.
    pub eval: EvalStatus,
    /// Labels changed since the reports were computed (or, before the scores load, since
    /// they were read: then everything is recomputed when they arrive).
    pub eval_dirty: bool,
    /// Config, keymap, theme.
    pub settings: Settings,
    /// Whether images are drawn at all.
    pub images_on: bool,
    /// Encoded images.
    pub images: ImageCache,
    /// Items whose hidden image the curator revealed.
    pub revealed: HashSet<usize>,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    /// Effects for the event loop.
    pub outbox: Vec<Effect>,
    /// Set when the user quits.
    pub quit: bool,
}

impl State {
    /// A state showing every item of `dataset`.
    pub fn new(
        dataset: Dataset,
        dir: PathBuf,
        settings: Settings,
        images_on: bool,
        size: (u16, u16),
    ) -> State {
        let index = dataset
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| (item.id.clone(), i))
            .collect();
        let search_text = dataset.items.iter().map(searchable_text).collect();
        let mut image_groups: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, item) in dataset.items.iter().enumerate() {
            if let Some(image) = &item.image {
                image_groups.entry(image.blake3.clone()).or_default().push(i);
            }
        }
        let shared_by = dataset
            .items
            .iter()
            .map(|it| it.image.as_ref().map_or(0, |img| image_groups[&img.blake3].len()))
            .collect();
        let view = (0..dataset.items.len()).collect();
        let mut state = State {
            dataset,
            dir,
            index,
            search_text,
            image_groups,
            findings: Vec::new(),
            shared_by,
            findings_ready: false,
            views: BTreeMap::new(),
            view,
            view_counts: [0; 4],
            cursor: 0,
            list_offset: 0,
            filter: String::new(),
            query: Query::default(),
            mode: Mode::Browse,
            bulk_armed: false,
            read_only: None,
            message: None,
            saving: 0,
            eval: EvalStatus::Loading,
            eval_dirty: false,
            settings,
            images_on,
            images: ImageCache::default(),
            revealed: HashSet::new(),
            size,
            outbox: Vec::new(),
            quit: false,
        };
        state.count_view();
        state
    }

    /// Recounts the statuses of the view (after a filter or an edit).
    pub fn count_view(&mut self) {
        let mut counts = [0usize; 4];
        for &i in &self.view {
            counts[status_slot(self.dataset.items[i].status)] += 1;
        }
        self.view_counts = counts;
    }

    /// The dataset index of the item under the cursor.
    pub fn current_index(&self) -> Option<usize> {
        self.view.get(self.cursor).copied()
    }

    /// The item under the cursor.
    pub fn current(&self) -> Option<&Item> {
        self.current_index().map(|i| &self.dataset.items[i])
    }

    /// The items sharing the image of item `i` (itself included).
    pub fn image_group(&self, i: usize) -> &[usize] {
        self.dataset.items[i]
            .image
            .as_ref()
            .and_then(|img| self.image_groups.get(&img.blake3))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
}

/// The position of a status in [`State::view_counts`].
pub fn status_slot(status: Status) -> usize {
    match status {
        Status::Unreviewed => 0,
        Status::Accepted => 1,
        Status::NeedsFix => 2,
        Status::Rejected => 3,
    }
}

impl State {
    /// The model facts of the loaded scores, if any.
    fn scores(&self) -> Option<ScoreFacts<'_>> {
        match &self.eval {
            EvalStatus::Ready(data) => Some(ScoreFacts {
                evaluation: &data.evaluation,
                queues: &data.queues,
                dataset: &self.dataset,
            }),
            _ => None,
        }
    }
}

impl Facts for State {
    fn image_shared_by(&self, index: usize, _item: &Item) -> usize {
        self.shared_by[index]
    }

    fn findings(&self, index: usize, _item: &Item) -> &[String] {
        self.findings.get(index).map(Vec::as_slice).unwrap_or(&[])
    }

    fn model_outcome(&self, model: &str, index: usize) -> Option<Outcome> {
        self.scores()?.model_outcome(model, index)
    }

    fn outcome_counts(&self, index: usize) -> [usize; 3] {
        self.scores().map_or([0; 3], |s| s.outcome_counts(index))
    }

    fn is_suspect(&self, index: usize) -> bool {
        self.scores().is_some_and(|s| s.is_suspect(index))
    }

    fn in_failed_contrast(&self, index: usize) -> bool {
        self.scores().is_some_and(|s| s.in_failed_contrast(index))
    }

    fn readers_differ(&self, index: usize) -> bool {
        self.scores().is_some_and(|s| s.readers_differ(index))
    }
}
