//! The writer session: a curator's edits into their layer (or the adjudications), undo
//! and redo per action, compaction into the layer file.

use super::{Batch, COMPACT_EVERY, ItemChange, OpenReport, Saved, replay};
use crate::error::{Error, Result};
use crate::labels::consensus::{self, Rules};
use crate::labels::{self, ItemLabel, Labels, Layer};
use crate::model::{Change, Dataset, FieldValue, Item};
use crate::store::journal::{self, HISTORY_FILE, Journal, JournalEntry, JournalRead};
use crate::store::{self, DatasetLock};
use std::path::{Path, PathBuf};

/// Where an action's labels go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The session curator's own layer (`labels/<curator>.ron`).
    Layer,
    /// The adjudications (`labels/adjudications.ron`), recorded under the curator's name.
    Adjudication,
}

#[derive(Debug, Clone)]
struct Action {
    batch: Batch,
    target: Target,
    /// Per change: the field was not set in the target layer before.
    unset_before: Vec<bool>,
    /// Adjudications: whose label the action took (redo records it again).
    from: Option<String>,
    /// Per change: the item's `from` before the action (undo restores it).
    from_before: Vec<Option<String>>,
}

/// One layer this session writes: its journal and the entries not yet folded.
#[derive(Debug)]
struct Writer {
    name: String,
    /// `labels/<name>.journal.jsonl`.
    path: PathBuf,
    /// Open once the file exists: opening a dataset creates no file, the first edit does.
    journal: Option<Journal>,
    pending: Vec<JournalEntry>,
    /// The layer changed outside the journal (time spent): write it at the next fold.
    dirty: bool,
}

impl Writer {
    fn open(dir: &Path, name: &str) -> Result<Writer> {
        let path = labels::journal_path(dir, name);
        let journal = if path.exists() {
            Some(Journal::open_file(path.clone())?)
        } else {
            None
        };
        Ok(Writer {
            name: name.to_string(),
            pending: journal::read_entries(&path)?,
            path,
            journal,
            dirty: false,
        })
    }

    /// Appends a batch durably. The first append creates the journal (and `labels/`)
    /// and makes the new directory entries durable before the batch is acknowledged.
    fn append(&mut self, entries: &[JournalEntry]) -> Result<()> {
        let journal = match &mut self.journal {
            Some(journal) => journal,
            None => {
                let folder = self.path.parent().unwrap_or(Path::new("."));
                if !folder.is_dir() {
                    std::fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
                    if let Some(dataset) = folder.parent() {
                        store::sync_dir(dataset)?;
                    }
                }
                let created = Journal::open_file(self.path.clone())?;
                store::sync_dir(folder)?;
                self.journal.insert(created)
            }
        };
        journal.append(entries)
    }

    /// Empties the journal file, if there is one.
    fn clear(&mut self) -> Result<()> {
        match &mut self.journal {
            Some(journal) => journal.clear(),
            None => Ok(()),
        }
    }

    /// Writes the layer file, archives and clears the journal.
    fn fold(&mut self, dir: &Path, layer: &Layer) -> Result<()> {
        if self.pending.is_empty() && !self.dirty {
            return Ok(());
        }
        labels::write_layer(dir, &self.name, layer)?;
        self.dirty = false;
        journal::archive_to(&labels::history_path(dir, &self.name), &self.pending)?;
        self.clear()?;
        self.pending.clear();
        Ok(())
    }
}

/// A dataset open for editing by this process, as one curator.
#[derive(Debug)]
pub struct Session {
    lock: DatasetLock,
    base: Dataset,
    labels: Labels,
    dataset: Dataset,
    rules: Vec<Rules>,
    curator: String,
    blind: bool,
    own: Writer,
    adjudication: Writer,
    next_seq: u64,
    next_batch: u64,
    undo: Vec<Action>,
    redo: Vec<Action>,
}

impl Session {
    /// Opens `dir` for writing as `curator`: takes the lock, loads, replays and compacts
    /// leftover journals. Anything that prevents editing is an error (see
    /// [`super::open_for_editing`] for a read-only fallback).
    pub fn open(dir: &Path, curator: &str) -> Result<(Session, OpenReport)> {
        match super::open_for_editing(dir, curator)? {
            super::Opened::Editing(session, report) => Ok((*session, report)),
            super::Opened::ReadOnly { reason, .. } => Err(reason.into_error()),
        }
    }

    pub(super) fn open_locked(
        lock: DatasetLock,
        read: JournalRead,
        curator: &str,
    ) -> Result<(Session, OpenReport)> {
        let dir = lock.dir().to_path_buf();
        let dir = dir.as_path();
        store::leftovers::clean_stale(dir);
        store::leftovers::clean_stale(&dir.join(store::responses::RESPONSES_DIR));
        store::leftovers::clean_stale(&dir.join(labels::LABELS_DIR));
        let mut base = store::load(dir)?;
        let leftover = read.entries;
        replay(dir, &mut base, &leftover)?;
        if !leftover.is_empty() {
            store::save(&lock, &base)?;
            journal::archive(dir, &leftover)?;
        }
        if !leftover.is_empty() || read.torn_tail {
            Journal::open(dir)?.clear()?;
        }
        let (labels, _) = labels::load(dir)?;
        let own = Writer::open(dir, curator)?;
        let adjudication = Writer::open(dir, labels::ADJUDICATIONS)?;
        let last_seq = [
            dir.join(HISTORY_FILE),
            labels::history_path(dir, curator),
            labels::history_path(dir, labels::ADJUDICATIONS),
        ]
        .iter()
        .map(|p| journal::read_entries(p))
        .collect::<Result<Vec<_>>>()?
        .iter()
        .flatten()
        .chain(&leftover)
        .chain(&own.pending)
        .chain(&adjudication.pending)
        .map(|e| e.seq)
        .max()
        .unwrap_or(0);
        let report = OpenReport {
            replayed: leftover.len() + own.pending.len() + adjudication.pending.len(),
            took_over: lock.taken_over_from().cloned(),
            dropped_torn_line: read.torn_tail,
        };
        let (dataset, rules) = consensus::view(&base, &labels);
        let mut session = Session {
            lock,
            base,
            labels,
            dataset,
            rules,
            curator: curator.to_string(),
            blind: false,
            own,
            adjudication,
            next_seq: last_seq + 1,
            next_batch: 1,
            undo: Vec::new(),
            redo: Vec::new(),
        };
        session.compact()?;
        // Everything complete is folded now; what is left is a torn line or a batch
        // without its end (a crash mid-write): neither was acknowledged.
        for (writer, name) in [
            (&mut session.own, curator),
            (&mut session.adjudication, labels::ADJUDICATIONS),
        ] {
            let path = labels::journal_path(dir, name);
            if std::fs::metadata(&path).map(|m| m.len() > 0).unwrap_or(false) {
                writer.clear()?;
            }
        }
        Ok((session, report))
    }

    /// The dataset as it is now: the consensus of every layer, all applied edits included.
    pub fn dataset(&self) -> &Dataset {
        &self.dataset
    }

    /// `items.ron` as imported (old-style journal edits included), without any layer.
    pub fn base(&self) -> &Dataset {
        &self.base
    }

    /// Every layer and the adjudications as they are now.
    pub fn labels(&self) -> &Labels {
        &self.labels
    }

    /// Which rule gave each item's consensus fields (item order, like `dataset().items`).
    pub fn rules(&self) -> &[Rules] {
        &self.rules
    }

    /// The curator this session edits as.
    pub fn curator(&self) -> &str {
        &self.curator
    }

    /// Marks the following edits as made blind (or not): blind mode sets it while the
    /// curator sees neither gold, other labels nor model output.
    pub fn set_blind(&mut self, blind: bool) {
        self.blind = blind;
    }

    /// Adds time the curator spent on an item to their layer (blind mode measures it). Kept
    /// in memory and written with the next compaction: a crash loses only this timing.
    pub fn add_seconds(&mut self, item: &str, seconds: u64) {
        if seconds == 0 || self.dataset.position(item).is_none() {
            return;
        }
        let layer = self.labels.layers.entry(self.curator.clone()).or_default();
        layer.entry(item.to_string()).or_default().seconds += seconds;
        self.own.dirty = true;
    }

    /// Item `i` as this curator labeled it: their own layer over the consensus; in blind
    /// mode over the base (`items.ron`), so no other curator's label shows through. The
    /// base's gold, subset and scenario are the import's: a blind screen shows only what
    /// the curator's own layer sets (as the TUI does).
    pub fn curator_item(&self, i: usize) -> Option<Item> {
        let under = if self.blind { &self.base } else { &self.dataset };
        let item = under.items.get(i)?;
        Some(overlay(item, self.layer(Target::Layer).get(&item.id)))
    }

    /// The write lock this session holds (for writing other files of the dataset).
    pub fn lock(&self) -> &DatasetLock {
        &self.lock
    }

    /// The dataset folder.
    pub fn dir(&self) -> &Path {
        self.lock.dir()
    }

    /// Sets each item's field to a value in the curator's layer, as one undoable action;
    /// returns what changed (empty when the layer already held every value). Durable when
    /// it returns `Ok`; an `Err` means nothing was saved or applied.
    pub fn apply(&mut self, edits: Vec<(String, FieldValue)>) -> Result<Saved> {
        self.apply_to(Target::Layer, edits)
    }

    /// Records adjudicated values (durable, in history, undoable like any edit).
    pub fn adjudicate(&mut self, edits: Vec<(String, FieldValue)>) -> Result<Saved> {
        self.apply_to(Target::Adjudication, edits)
    }

    /// Records adjudicated values taken from `from` (a curator's name or `majority`),
    /// which the adjudication keeps beside the values (`from` in adjudications.ron).
    pub fn adjudicate_from(&mut self, from: &str, edits: Vec<(String, FieldValue)>) -> Result<Saved> {
        self.apply_from(Target::Adjudication, Some(from.to_string()), edits)
    }

    fn layer(&self, target: Target) -> &Layer {
        static EMPTY: Layer = Layer::new();
        match target {
            Target::Layer => self.labels.layers.get(&self.curator).unwrap_or(&EMPTY),
            Target::Adjudication => &self.labels.adjudications,
        }
    }

    fn apply_to(&mut self, target: Target, edits: Vec<(String, FieldValue)>) -> Result<Saved> {
        self.apply_from(target, None, edits)
    }

    fn apply_from(
        &mut self,
        target: Target,
        from: Option<String>,
        edits: Vec<(String, FieldValue)>,
    ) -> Result<Saved> {
        let mut changes = Vec::new();
        let mut unset_before = Vec::new();
        let mut from_before = Vec::new();
        for (item, value) in edits {
            let Some(i) = self.dataset.position(&item) else {
                return Err(Error::Refused(format!("no item with id {item:?}")));
            };
            let label = self.layer(target).get(&item);
            let shown = overlay(&self.dataset.items[i], label);
            let change = Change::to(&shown, value);
            if label.is_some_and(|l| l.holds(&change) && l.from == from) {
                continue;
            }
            unset_before.push(!label.is_some_and(|l| l.has_field(&change)));
            from_before.push(label.and_then(|l| l.from.clone()));
            changes.push(ItemChange { item, change });
        }
        let unset = vec![false; changes.len()];
        let froms = vec![from.clone(); changes.len()];
        let saved = self.record(target, changes, &unset, &froms)?;
        if !saved.batch.changes.is_empty() {
            self.undo.push(Action {
                batch: saved.batch.clone(),
                target,
                unset_before,
                from,
                from_before,
            });
            self.redo.clear();
        }
        Ok(saved)
    }

    /// Reverts the last action of this session; returns what changed (empty if nothing to undo).
    pub fn undo(&mut self) -> Result<Saved> {
        let Some(action) = self.undo.pop() else {
            return Ok(Saved::nothing());
        };
        let inverse = action
            .batch
            .changes
            .iter()
            .rev()
            .map(|c| ItemChange {
                item: c.item.clone(),
                change: c.change.inverse(),
            })
            .collect();
        let unset: Vec<bool> = action.unset_before.iter().rev().copied().collect();
        let froms: Vec<Option<String>> = action.from_before.iter().rev().cloned().collect();
        match self.record(action.target, inverse, &unset, &froms) {
            Ok(applied) => {
                self.redo.push(action);
                Ok(applied)
            }
            Err(e) => {
                self.undo.push(action);
                Err(e)
            }
        }
    }

    /// Re-applies the last undone action; returns what changed (empty if nothing to redo).
    pub fn redo(&mut self) -> Result<Saved> {
        let Some(action) = self.redo.pop() else {
            return Ok(Saved::nothing());
        };
        let unset = vec![false; action.batch.changes.len()];
        let froms = vec![action.from.clone(); action.batch.changes.len()];
        match self.record(action.target, action.batch.changes.clone(), &unset, &froms) {
            Ok(applied) => {
                self.undo.push(action);
                Ok(applied)
            }
            Err(e) => {
                self.redo.push(action);
                Err(e)
            }
        }
    }

    /// Whether there is something to undo / redo.
    pub fn can_undo(&self) -> (bool, bool) {
        (!self.undo.is_empty(), !self.redo.is_empty())
    }

    /// Journals `changes` durably into the target's journal, then applies them to the
    /// layer and the consensus; compacts when due. `unset` and `from` go with each change.
    fn record(
        &mut self,
        target: Target,
        changes: Vec<ItemChange>,
        unset: &[bool],
        from: &[Option<String>],
    ) -> Result<Saved> {
        if changes.is_empty() {
            return Ok(Saved::nothing());
        }
        let batch = self.next_batch;
        let time = store::unix_now();
        let last = changes.len() - 1;
        let blind = self.blind && target == Target::Layer;
        let entries: Vec<JournalEntry> = changes
            .iter()
            .enumerate()
            .map(|(n, c)| JournalEntry {
                seq: self.next_seq + n as u64,
                batch,
                time,
                curator: self.curator.clone(),
                item: c.item.clone(),
                change: c.change.clone(),
                end: n == last,
                unset: unset.get(n).copied().unwrap_or(false),
                blind,
                from: from.get(n).cloned().flatten(),
            })
            .collect();
        let writer = match target {
            Target::Layer => &mut self.own,
            Target::Adjudication => &mut self.adjudication,
        };
        writer.append(&entries)?;
        writer.pending.extend(entries.iter().cloned());
        self.next_seq += entries.len() as u64;
        self.next_batch += 1;
        let layer = match target {
            Target::Layer => self.labels.layers.entry(self.curator.clone()).or_default(),
            Target::Adjudication => &mut self.labels.adjudications,
        };
        labels::replay(layer, &entries);
        for c in &changes {
            if let Some(i) = self.dataset.position(&c.item) {
                let (item, rules) = consensus::item(&self.base.items[i], &self.labels);
                self.dataset.set_labels(i, &item);
                self.rules[i] = rules;
            }
        }
        let compaction_error = if self.pending() >= COMPACT_EVERY {
            self.compact().err()
        } else {
            None
        };
        Ok(Saved {
            batch: Batch { changes },
            compaction_error,
        })
    }

    /// Folds the journals into the layer files (atomically) and archives them in the
    /// layers' histories.
    pub fn compact(&mut self) -> Result<()> {
        let dir = self.lock.dir().to_path_buf();
        static EMPTY: Layer = Layer::new();
        let own = self.labels.layers.get(&self.curator).unwrap_or(&EMPTY);
        self.own.fold(&dir, own)?;
        self.adjudication.fold(&dir, &self.labels.adjudications)
    }

    /// Replaces the dataset's saved views (atomically, under this session's lock).
    pub fn save_views(&self, views: &std::collections::BTreeMap<String, String>) -> Result<()> {
        store::save_views(&self.lock, views)
    }

    /// Number of journal entries not yet folded into the layer files.
    pub fn pending(&self) -> usize {
        self.own.pending.len() + self.adjudication.pending.len()
    }
}

/// `item` with the fields a layer label sets written over it.
pub fn overlay(item: &Item, label: Option<&ItemLabel>) -> Item {
    let mut out = item.clone();
    let Some(l) = label else { return out };
    if let Some(v) = l.gold {
        out.gold = v;
    }
    if let Some(v) = l.subset {
        out.subset = v;
    }
    if let Some(v) = l.scenario_value() {
        out.scenario = v;
    }
    if let Some(v) = l.status {
        out.status = v;
    }
    if let Some(v) = &l.notes {
        out.notes = v.clone();
    }
    for (name, set) in &l.flags {
        if *set {
            out.flags.insert(name.clone());
        } else {
            out.flags.remove(name);
        }
    }
    out
}
