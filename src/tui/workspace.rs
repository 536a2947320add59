//! What every screen shares: the dataset replica, the filtered view and its cursor, the
//! status line, the loaded scores and images, and the outbox of effects. Screens change
//! it through the operations here (move, filter, label), which do no I/O themselves.

use super::config::Config;
use super::curators::Curators;
use super::effect::Effect;
use super::images::{ImageCache, ImageKey, ImageRequest};
use super::layout;
use super::scores::EvalStatus;
use super::strings;
use super::theme::Theme;
use safeaware::eval::ScoreFacts;
use safeaware::families::{Families, Suggestion};
use safeaware::model::{Change, Dataset, Item, Status};
use safeaware::query::{DatasetFacts, FindingKinds, Query, searchable_text};
use safeaware::session::Batch;
use safeaware::text::escape_for_display;
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

/// Severity of the status-line message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Neutral information.
    Info,
    /// Something was refused or failed.
    Error,
}

/// The shared part of the TUI state (the open screen is beside it, in `State`).
#[derive(Debug)]
pub struct Workspace {
    /// The dataset as last persisted.
    pub dataset: Dataset,
    /// The dataset folder.
    pub dir: PathBuf,
    /// Lower-cased sentence + notes per item, for text search.
    pub search_text: Vec<String>,
    /// Validation finding kinds per item, by dataset index (filled by a background check).
    pub findings: Vec<FindingKinds>,
    /// Whether the background validation has finished.
    pub findings_ready: bool,
    /// Edits sent to the validation worker so far; its findings carry the count they saw.
    pub findings_generation: u64,
    /// Durable changes the validation worker has not been sent yet.
    pub revalidate: Vec<safeaware::session::ItemChange>,
    /// Variant families, built off the UI thread at open (None until then).
    pub families: Option<Families>,
    /// Suggested scenario per item, by dataset index (empty until the families are built).
    pub suggestions: Vec<Option<Suggestion>>,
    /// How many times every suggestion was recomputed (when families arrive; an edit
    /// recomputes only the items it affects).
    pub suggestions_rebuilt: u64,
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
    /// config.ron.
    pub config: Config,
    /// Colours.
    pub theme: Theme,
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
    /// Set when an overlay closed: the terminal repaints everything on the next frame, so
    /// that sixel and kitty pictures it covered come back whole.
    pub full_redraw: bool,
    /// The curator, blind mode, every curator's labels and the consensus rules.
    pub curators: Curators,
}

impl Workspace {
    /// A workspace showing every item of `dataset`.
    pub fn new(
        dataset: Dataset,
        dir: PathBuf,
        config: Config,
        theme: Theme,
        images_on: bool,
        size: (u16, u16),
    ) -> Workspace {
        let search_text = dataset.items.iter().map(searchable_text).collect();
        let view = (0..dataset.items.len()).collect();
        let mut ws = Workspace {
            dataset,
            dir,
            search_text,
            findings: Vec::new(),
            findings_ready: false,
            findings_generation: 0,
            revalidate: Vec::new(),
            families: None,
            suggestions: Vec::new(),
            suggestions_rebuilt: 0,
            views: BTreeMap::new(),
            view,
            view_counts: [0; 4],
            cursor: 0,
            list_offset: 0,
            filter: String::new(),
            query: Query::default(),
            bulk_armed: false,
            read_only: None,
            message: None,
            saving: 0,
            eval: EvalStatus::Loading,
            eval_dirty: false,
            config,
            theme,
            images_on,
            images: ImageCache::default(),
            revealed: HashSet::new(),
            size,
            outbox: Vec::new(),
            quit: false,
            full_redraw: false,
            curators: Curators::default(),
        };
        ws.count_view();
        ws
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
        self.dataset.image_groups().group(i)
    }

    /// Sets the status line.
    pub fn say(&mut self, text: impl Into<String>, tone: Tone) {
        self.message = Some((text.into(), tone));
    }

    /// Says why editing is refused when the dataset is read-only; true then.
    pub fn refuse_if_read_only(&mut self) -> bool {
        match &self.read_only {
            Some(holder) => {
                let text = strings::read_only(holder);
                self.say(text, Tone::Error);
                true
            }
            None => false,
        }
    }

    /// Rows of the item list at the current size.
    pub fn page(&self) -> usize {
        layout::areas(self.size.0, self.size.1, self.read_only.is_some())
            .map(|a| layout::list_rows(&a))
            .unwrap_or(10)
    }

    /// Asks the image worker for the picture a pane is about to show, unless it is
    /// cached or on its way.
    pub fn load_image_now(&mut self, key: ImageKey, path: std::path::PathBuf) {
        if self.images.has(&key) {
            return;
        }
        self.images.mark_loading(key);
        self.outbox.push(Effect::LoadImages(vec![ImageRequest {
            key,
            path,
            current: true,
        }]));
    }

    /// Moves to the next (or previous, wrapping around) position of the view whose item
    /// `wanted` accepts; false when none does.
    pub fn seek(&mut self, forward: bool, wanted: impl Fn(&Workspace, usize) -> bool) -> bool {
        let n = self.view.len();
        let found = (1..=n)
            .map(|step| {
                if forward {
                    (self.cursor + step) % n
                } else {
                    (self.cursor + n * 2 - step) % n
                }
            })
            .find(|&p| wanted(self, self.view[p]));
        if let Some(p) = found {
            self.move_to(p);
        }
        found.is_some()
    }

    /// Moves the cursor to `position` (clamped), scrolling and fetching images.
    pub fn move_to(&mut self, position: usize) {
        if self.view.is_empty() {
            self.cursor = 0;
            return;
        }
        self.cursor = position.min(self.view.len() - 1);
        self.scroll_into_view();
        self.request_images();
        self.time_visit(self.current_index());
    }

    /// In blind mode, starts timing the visit of item `now` and sends the time of the
    /// visit that ended to the writer (at most `labels::blind::MAX_SECONDS_PER_VISIT`).
    pub fn time_visit(&mut self, now: Option<usize>) {
        if let Some((i, seconds)) = self.curators.visit(now, std::time::Instant::now()) {
            let item = self.dataset.items[i].id.clone();
            self.outbox.push(Effect::AddSeconds { item, seconds });
        }
    }

    /// Moves the cursor by `delta` rows.
    pub fn move_by(&mut self, delta: isize) {
        let target = (self.cursor as isize + delta).max(0) as usize;
        self.move_to(target);
    }

    /// Keeps the cursor's row on screen.
    pub fn scroll_into_view(&mut self) {
        let rows = layout::areas(self.size.0, self.size.1, self.read_only.is_some())
            .map(|a| layout::list_rows(&a))
            .unwrap_or(1);
        if self.cursor < self.list_offset {
            self.list_offset = self.cursor;
        } else if self.cursor >= self.list_offset + rows {
            self.list_offset = self.cursor + 1 - rows;
        }
        self.list_offset = self.list_offset.min(self.view.len().saturating_sub(rows));
    }

    /// Parses and applies a filter; the parse error otherwise.
    pub fn apply_filter(&mut self, text: &str) -> Result<(), String> {
        let query = Query::parse(text, &self.dataset.manifest.taxonomy).map_err(|e| e.to_string())?;
        self.query = query;
        self.filter = text.trim().to_string();
        self.refilter();
        if !self.findings_ready && self.query.uses_findings() {
            self.say(strings::VALIDATION_RUNNING, Tone::Info);
        }
        Ok(())
    }

    /// Re-applies the query, keeping the current item under the cursor when it still matches.
    pub fn refilter(&mut self) {
        if self.curators.blind {
            return;
        }
        let current = self.current_index();
        let view: Vec<usize> = {
            let taxonomy = &self.dataset.manifest.taxonomy;
            (0..self.dataset.items.len())
                .filter(|&i| {
                    self.query.matches(
                        i,
                        &self.dataset.items[i],
                        &self.search_text[i],
                        taxonomy,
                        &self.facts(),
                    )
                })
                .collect()
        };
        self.view = view;
        self.count_view();
        let position = current
            .and_then(|c| self.view.binary_search(&c).ok())
            .unwrap_or(0);
        self.list_offset = 0;
        self.move_to(position);
    }

    /// Re-tests the query on items that just changed: one that no longer matches leaves
    /// the view, one that now matches joins it; the cursor stays on the same item, or on
    /// the one after it when it left (so a queue shrinks as it is worked through).
    pub fn rematch_items(&mut self, items: &[usize]) {
        if self.curators.blind {
            return;
        }
        let mut changed = false;
        for &i in items {
            let matches = self.query.matches(
                i,
                &self.dataset.items[i],
                &self.search_text[i],
                &self.dataset.manifest.taxonomy,
                &self.facts(),
            );
            match (self.view.binary_search(&i), matches) {
                (Ok(at), false) => {
                    self.view.remove(at);
                    if at < self.cursor {
                        self.cursor -= 1;
                    }
                    changed = true;
                }
                (Err(at), true) => {
                    self.view.insert(at, i);
                    if at <= self.cursor && self.view.len() > 1 {
                        self.cursor += 1;
                    }
                    changed = true;
                }
                _ => {}
            }
        }
        if changed {
            self.count_view();
            self.move_to(self.cursor);
        }
    }

    /// Asks the worker for the images of the current item and its neighbours.
    pub fn request_images(&mut self) {
        if !self.images_on || self.image_key(0).is_none() {
            return;
        }
        let mut requests = Vec::new();
        for offset in [0isize, 1, -1, 2, -2] {
            let position = self.cursor as isize + offset;
            if position < 0 || position as usize >= self.view.len() {
                continue;
            }
            let i = self.view[position as usize];
            if self.config.hide_images && !self.revealed.contains(&i) {
                continue;
            }
            let Some(image) = &self.dataset.items[i].image else {
                continue;
            };
            let path = self.dir.join(&image.path);
            let Some(key) = self.image_key(i) else { continue };
            if self.images.has(&key) {
                continue;
            }
            self.images.mark_loading(key);
            requests.push(ImageRequest {
                key,
                path,
                current: offset == 0,
            });
        }
        if !requests.is_empty() {
            self.outbox.push(Effect::LoadImages(requests));
        }
    }

    /// The cache key of item `i`'s image at the current screen size (None: no image area).
    pub fn image_key(&self, item: usize) -> Option<ImageKey> {
        let areas = layout::areas(self.size.0, self.size.1, self.read_only.is_some())?;
        let (width, height) = (areas.image.width, areas.image.height);
        (width >= 2 && height >= 2).then_some(ImageKey { item, width, height })
    }

    /// Applies a batch the writer made durable.
    pub fn on_persisted(&mut self, batch: &Batch, what: &str) {
        self.saving = self.saving.saturating_sub(1);
        let mut rescore = Vec::new();
        let mut touched = Vec::new();
        let mut suggestion_inputs = Vec::new();
        for c in &batch.changes {
            let Some(i) = self.dataset.position(&c.item) else {
                continue;
            };
            touched.push(i);
            if matches!(c.change, Change::Scenario { .. } | Change::Subset { .. }) {
                suggestion_inputs.push(i);
            }
            if !matches!(c.change, Change::Notes { .. } | Change::Flag { .. }) {
                rescore.push(i);
            }
            if let Change::Status { old, new } = &c.change
                && self.view.binary_search(&i).is_ok()
            {
                self.view_counts[status_slot(*old)] = self.view_counts[status_slot(*old)].saturating_sub(1);
                self.view_counts[status_slot(*new)] += 1;
            }
            self.dataset.apply_change(i, &c.change);
            if matches!(c.change, Change::Notes { .. }) {
                self.search_text[i] = searchable_text(&self.dataset.items[i]);
            }
        }
        self.rescore_items(&rescore);
        self.refresh_suggestions_after(&suggestion_inputs);
        self.findings_generation += 1;
        self.revalidate.extend(batch.changes.iter().cloned());
        self.rematch_items(&touched);
        let ids: Vec<String> = batch
            .changes
            .iter()
            .map(|c| escape_for_display(&c.item).into_owned())
            .collect();
        self.say(strings::persisted(what, &ids), Tone::Info);
    }

    /// Brings the scores of items whose labels or verdicts changed up to date: their
    /// outcomes and queues at once (a few items, cheap), the reports on the next Stats
    /// view. Before the scores have loaded, remembers that they must be recomputed.
    pub fn rescore_items(&mut self, items: &[usize]) {
        if items.is_empty() {
            return;
        }
        self.eval_dirty = true;
        let dataset = &self.dataset;
        if let EvalStatus::Ready(data) = &mut self.eval {
            data.update_items(dataset, items, &|i| match dataset.image_groups().group(i) {
                [] => vec![i],
                group => group.to_vec(),
            });
        }
    }

    /// Makes sure scores are loaded and their reports fresh; otherwise says why not.
    pub fn eval_ready(&mut self) -> bool {
        let why = match &mut self.eval {
            EvalStatus::Ready(data) => {
                if std::mem::take(&mut self.eval_dirty) {
                    data.evaluation.summarize_reports(&self.dataset);
                }
                return true;
            }
            EvalStatus::Loading => strings::RESPONSES_LOADING.to_string(),
            EvalStatus::NoResponses => strings::NO_RESPONSES.to_string(),
            EvalStatus::Failed(why) => strings::responses_failed(why),
        };
        self.say(why, Tone::Error);
        false
    }

    /// What a query may test beyond the item: image sharing, findings, loaded scores.
    pub fn facts(&self) -> DatasetFacts<'_> {
        DatasetFacts {
            dataset: &self.dataset,
            findings: &self.findings,
            scores: self.scores(),
            suggestions: self.families.is_some().then_some(self.suggestions.as_slice()),
        }
    }

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

/// The position of a status in [`Workspace::view_counts`].
pub fn status_slot(status: Status) -> usize {
    match status {
        Status::Unreviewed => 0,
        Status::Accepted => 1,
        Status::NeedsFix => 2,
        Status::Rejected => 3,
    }
}
