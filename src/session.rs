//! An editing session on a dataset: durable edits, undo and redo, compaction, history.
//!
//! A writer session holds the dataset's lock. Each user action becomes one batch of
//! changes, appended to the journal and fsynced before [`Session::apply`] returns, so a
//! caller that shows an edit only after `apply` returned never shows a lost edit. The
//! journal is folded into `items.ron` by [`Session::compact`] (on quit and periodically)
//! and replayed on the next open if the process died first.

use crate::error::{Error, Result};
use crate::model::{Change, Dataset, FieldValue};
use crate::store::journal::{self, HISTORY_FILE, JOURNAL_FILE, Journal, JournalEntry, JournalRead};
use crate::store::{self, DatasetLock, LockHolder};
use std::path::{Path, PathBuf};

/// Journal entries after which a session folds them into the items file on its own.
pub const COMPACT_EVERY: usize = 500;

/// One change of one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemChange {
    /// The item's id.
    pub item: String,
    /// What changed.
    pub change: Change,
}

/// The changes of one user action, as applied.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Batch {
    /// The changes in the order they were applied.
    pub changes: Vec<ItemChange>,
}

/// What opening a dataset found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OpenReport {
    /// Journal entries of an earlier session that were replayed.
    pub replayed: usize,
    /// A dead holder whose lock was taken over.
    pub took_over: Option<LockHolder>,
    /// An unterminated last journal line (a write torn by a crash) was dropped.
    pub dropped_torn_line: bool,
}

/// A durable edit: the batch is in the journal. Folding the journal into `items.ron`
/// afterwards may still have failed; the edit is safe either way, but the caller should
/// say that compaction failed (it is retried later and on the next open).
#[derive(Debug)]
pub struct Saved {
    /// What changed.
    pub batch: Batch,
    /// The compaction that followed the edit failed with this error.
    pub compaction_error: Option<Error>,
}

/// Why a dataset was opened for reading only.
#[derive(Debug)]
pub enum ReadOnlyReason {
    /// Another live process holds the write lock.
    Locked {
        /// The lock file.
        path: PathBuf,
        /// Who holds it.
        holder: LockHolder,
    },
    /// The folder cannot be written (read-only mount, no permission): the error seen.
    Unwritable(Error),
    /// The journal has a complete line that is not an entry: the error naming it.
    BadJournal(Error),
}

impl Saved {
    fn nothing() -> Saved {
        Saved {
            batch: Batch::default(),
            compaction_error: None,
        }
    }
}

impl std::fmt::Display for ReadOnlyReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadOnlyReason::Locked { holder, .. } => {
                write!(f, "locked by pid {} on {}", holder.pid, holder.host)
            }
            ReadOnlyReason::Unwritable(e) => write!(f, "the dataset folder cannot be written ({e})"),
            ReadOnlyReason::BadJournal(e) => {
                write!(
                    f,
                    "the edit journal is damaged ({e}); fix or remove that line to edit"
                )
            }
        }
    }
}

impl ReadOnlyReason {
    /// The error a caller that needs to write reports.
    pub fn into_error(self) -> Error {
        match self {
            ReadOnlyReason::Locked { path, holder } => Error::Locked { path, holder },
            ReadOnlyReason::Unwritable(e) | ReadOnlyReason::BadJournal(e) => e,
        }
    }
}

/// A dataset opened for editing, or for reading only with the reason why.
#[derive(Debug)]
pub enum Opened {
    /// This process holds the lock and may edit.
    Editing(Box<Session>, OpenReport),
    /// The dataset as it is now (journal edits up to any damage applied), not writable.
    ReadOnly {
        /// The dataset.
        dataset: Box<Dataset>,
        /// Why it cannot be edited.
        reason: ReadOnlyReason,
    },
}

/// A dataset open for editing by this process.
#[derive(Debug)]
pub struct Session {
    lock: DatasetLock,
    dataset: Dataset,
    journal: Journal,
    pending: Vec<JournalEntry>,
    curator: String,
    next_seq: u64,
    next_batch: u64,
    undo: Vec<Batch>,
    redo: Vec<Batch>,
}

/// Applies journal entries to a dataset; an entry for an unknown item is an error.
fn replay(dir: &Path, dataset: &mut Dataset, entries: &[JournalEntry]) -> Result<()> {
    for entry in entries {
        let Some(i) = dataset.position(&entry.item) else {
            return Err(Error::Invalid {
                path: dir.join(JOURNAL_FILE),
                line: None,
                item: Some(entry.item.clone()),
                message: format!(
                    "journal entry {} is for an item the dataset does not have",
                    entry.seq
                ),
            });
        };
        dataset.apply_change(i, &entry.change);
    }
    Ok(())
}

/// Loads a dataset with the edits of its journal applied, without writing anything or
/// taking the lock: the dataset as an editor sees it. A damaged journal is an error.
pub fn load_with_journal(dir: &Path) -> Result<Dataset> {
    let (dataset, bad_line) = load_readable(dir)?;
    match bad_line {
        Some(e) => Err(e),
        None => Ok(dataset),
    }
}

/// Loads a dataset with the journal's complete batches before any damaged line applied,
/// and that damage, if any (for read-only viewers, which show what they can).
pub fn load_readable(dir: &Path) -> Result<(Dataset, Option<Error>)> {
    let mut dataset = store::load(dir)?;
    let read = journal::read_journal(&dir.join(JOURNAL_FILE))?;
    replay(dir, &mut dataset, &read.entries)?;
    Ok((dataset, read.bad_line))
}

/// Tries to create (and removes) a file in `dir`: a read-only mount or a folder without
/// write permission shows up here, before any edit is acknowledged.
fn check_writable(dir: &Path) -> Result<()> {
    tempfile::Builder::new()
        .prefix(&store::leftovers::owned_prefix(store::leftovers::TEMP_PREFIX))
        .tempfile_in(dir)
        .map(drop)
        .map_err(|e| Error::io(dir, e))
}

/// Opens `dir` for editing when it can; otherwise for reading with the reason (locked by a
/// live process, storage not writable, damaged journal). Other problems are errors.
pub fn open_for_editing(dir: &Path, curator: &str) -> Result<Opened> {
    let read_only = |reason: ReadOnlyReason| -> Result<Opened> {
        let (dataset, _) = load_readable(dir)?;
        Ok(Opened::ReadOnly {
            dataset: Box::new(dataset),
            reason,
        })
    };
    if !dir.join(crate::store::MANIFEST_FILE).is_file() {
        store::load(dir)?;
    }
    if let Err(e) = check_writable(dir) {
        return read_only(ReadOnlyReason::Unwritable(e));
    }
    let lock = match DatasetLock::acquire(dir) {
        Ok(lock) => lock,
        Err(Error::Locked { path, holder }) => {
            return read_only(ReadOnlyReason::Locked { path, holder });
        }
        Err(e @ Error::Io { .. }) => return read_only(ReadOnlyReason::Unwritable(e)),
        Err(e) => return Err(e),
    };
    let read = journal::read_journal(&dir.join(JOURNAL_FILE))?;
    if let Some(bad) = read.bad_line {
        drop(lock);
        return read_only(ReadOnlyReason::BadJournal(bad));
    }
    let (session, report) = Session::open_locked(lock, read, curator)?;
    Ok(Opened::Editing(Box::new(session), report))
}

impl Session {
    /// Opens `dir` for writing: takes the lock, loads, replays and compacts a leftover
    /// journal. Anything that prevents editing is an error (see [`open_for_editing`] for
    /// a read-only fallback).
    pub fn open(dir: &Path, curator: &str) -> Result<(Session, OpenReport)> {
        match open_for_editing(dir, curator)? {
            Opened::Editing(session, report) => Ok((*session, report)),
            Opened::ReadOnly { reason, .. } => Err(reason.into_error()),
        }
    }

    fn open_locked(lock: DatasetLock, read: JournalRead, curator: &str) -> Result<(Session, OpenReport)> {
        let dir = lock.dir().to_path_buf();
        let dir = dir.as_path();
        store::leftovers::clean_stale(dir);
        store::leftovers::clean_stale(&dir.join(store::responses::RESPONSES_DIR));
        let mut dataset = store::load(dir)?;
        let leftover = read.entries;
        replay(dir, &mut dataset, &leftover)?;
        let last_seq = journal::read_entries(&dir.join(HISTORY_FILE))?
            .iter()
            .chain(&leftover)
            .map(|e| e.seq)
            .max()
            .unwrap_or(0);
        let report = OpenReport {
            replayed: leftover.len(),
            took_over: lock.taken_over_from().cloned(),
            dropped_torn_line: read.torn_tail,
        };
        let mut session = Session {
            journal: Journal::open(dir)?,
            lock,
            dataset,
            pending: leftover,
            curator: curator.to_string(),
            next_seq: last_seq + 1,
            next_batch: 1,
            undo: Vec::new(),
            redo: Vec::new(),
        };
        session.compact()?;
        if read.torn_tail {
            session.journal.clear()?;
        }
        Ok((session, report))
    }

    /// The dataset as it is now, all applied edits included.
    pub fn dataset(&self) -> &Dataset {
        &self.dataset
    }

    /// The write lock this session holds (for writing other files of the dataset).
    pub fn lock(&self) -> &DatasetLock {
        &self.lock
    }

    /// The dataset folder.
    pub fn dir(&self) -> &Path {
        self.lock.dir()
    }

    /// Sets each item's field to a value, as one undoable action; returns what changed
    /// (empty when nothing did). Durable when it returns `Ok`; an `Err` means nothing was
    /// saved or applied.
    pub fn apply(&mut self, edits: Vec<(String, FieldValue)>) -> Result<Saved> {
        let mut changes = Vec::new();
        for (item, value) in edits {
            let Some(i) = self.dataset.position(&item) else {
                return Err(Error::Refused(format!("no item with id {item:?}")));
            };
            if let Some(change) = Change::between(&self.dataset.items[i], value) {
                changes.push(ItemChange { item, change });
            }
        }
        let saved = self.record(changes)?;
        if !saved.batch.changes.is_empty() {
            self.undo.push(saved.batch.clone());
            self.redo.clear();
        }
        Ok(saved)
    }

    /// Reverts the last action of this session; returns what changed (empty if nothing to undo).
    pub fn undo(&mut self) -> Result<Saved> {
        let Some(batch) = self.undo.pop() else {
            return Ok(Saved::nothing());
        };
        let inverse = batch
            .changes
            .iter()
            .rev()
            .map(|c| ItemChange {
                item: c.item.clone(),
                change: c.change.inverse(),
            })
            .collect();
        match self.record(inverse) {
            Ok(applied) => {
                self.redo.push(batch);
                Ok(applied)
            }
            Err(e) => {
                self.undo.push(batch);
                Err(e)
            }
        }
    }

    /// Re-applies the last undone action; returns what changed (empty if nothing to redo).
    pub fn redo(&mut self) -> Result<Saved> {
        let Some(batch) = self.redo.pop() else {
            return Ok(Saved::nothing());
        };
        match self.record(batch.changes.clone()) {
            Ok(applied) => {
                self.undo.push(batch);
                Ok(applied)
            }
            Err(e) => {
                self.redo.push(batch);
                Err(e)
            }
        }
    }

    /// Whether there is something to undo / redo.
    pub fn can_undo(&self) -> (bool, bool) {
        (!self.undo.is_empty(), !self.redo.is_empty())
    }

    /// Journals `changes` durably, then applies them in memory; compacts when due.
    fn record(&mut self, changes: Vec<ItemChange>) -> Result<Saved> {
        if changes.is_empty() {
            return Ok(Saved::nothing());
        }
        let batch = self.next_batch;
        let time = store::unix_now();
        let last = changes.len() - 1;
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
            })
            .collect();
        self.journal.append(&entries)?;
        self.next_seq += entries.len() as u64;
        self.next_batch += 1;
        for c in &changes {
            if let Some(i) = self.dataset.position(&c.item) {
                self.dataset.apply_change(i, &c.change);
            }
        }
        self.pending.extend(entries);
        let compaction_error = if self.pending.len() >= COMPACT_EVERY {
            self.compact().err()
        } else {
            None
        };
        Ok(Saved {
            batch: Batch { changes },
            compaction_error,
        })
    }

    /// Folds the journal into `items.ron` (atomically) and archives it in the history.
    pub fn compact(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        store::save(&self.lock, &self.dataset)?;
        journal::archive(self.lock.dir(), &self.pending)?;
        self.journal.clear()?;
        self.pending.clear();
        Ok(())
    }

    /// Replaces the dataset's saved views (atomically, under this session's lock).
    pub fn save_views(&self, views: &std::collections::BTreeMap<String, String>) -> Result<()> {
        store::save_views(&self.lock, views)
    }

    /// Number of journal entries not yet folded into the items file.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }
}

/// Every recorded change of one item, oldest first (history archive and live journal).
pub fn item_history(dir: &Path, item: &str) -> Result<Vec<JournalEntry>> {
    let mut seen = std::collections::HashSet::new();
    let files: [PathBuf; 2] = [dir.join(HISTORY_FILE), dir.join(JOURNAL_FILE)];
    let mut out = Vec::new();
    for file in files {
        for entry in journal::read_entries(&file)? {
            if entry.item == item && seen.insert(entry.seq) {
                out.push(entry);
            }
        }
    }
    out.sort_by_key(|e| e.seq);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Gold, Status};

    fn sample() -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("ds");
        crate::synth::write_sample(&dir, false).unwrap();
        (tmp, dir)
    }

    #[test]
    fn edits_survive_a_crash_before_compaction() {
        let (_tmp, dir) = sample();
        let (mut s, _) = Session::open(&dir, "ana").unwrap();
        s.apply(vec![("4".into(), FieldValue::Status(Status::Accepted))])
            .unwrap();
        s.apply(vec![("5".into(), FieldValue::Notes("two\nlines".into()))])
            .unwrap();
        drop(s); // like a crash: the journal is not compacted
        let viewer = load_with_journal(&dir).unwrap();
        assert_eq!(viewer.items[3].status, Status::Accepted);
        let (s, report) = Session::open(&dir, "ana").unwrap();
        assert_eq!(report.replayed, 2);
        assert_eq!(s.dataset().items[4].notes, "two\nlines");
        assert_eq!(s.pending(), 0, "replayed edits are compacted at once");
        assert_eq!(store::load(&dir).unwrap().items[3].status, Status::Accepted);
    }

    #[test]
    fn undo_and_redo_cover_a_whole_bulk_action() {
        let (_tmp, dir) = sample();
        let (mut s, _) = Session::open(&dir, "ana").unwrap();
        let ids: Vec<String> = (1..=5).map(|i| i.to_string()).collect();
        let before: Vec<Gold> = s.dataset().items[..5].iter().map(|i| i.gold).collect();
        let batch = s
            .apply(
                ids.iter()
                    .map(|id| (id.clone(), FieldValue::Gold(Gold::Safe)))
                    .collect(),
            )
            .unwrap()
            .batch;
        assert_eq!(batch.changes.len(), 5);
        s.undo().unwrap();
        let after: Vec<Gold> = s.dataset().items[..5].iter().map(|i| i.gold).collect();
        assert_eq!(after, before);
        s.redo().unwrap();
        assert!(s.dataset().items[..5].iter().all(|i| i.gold == Gold::Safe));
        assert_eq!(s.dataset().position("5"), Some(4), "edits keep the id index");
        s.compact().unwrap();
        drop(s);
        assert!(
            store::load(&dir).unwrap().items[..5]
                .iter()
                .all(|i| i.gold == Gold::Safe)
        );
        let history = item_history(&dir, "1").unwrap();
        assert_eq!(history.len(), 3, "set, undo, redo");
        assert!(history.windows(2).all(|w| w[0].seq < w[1].seq));
    }

    #[test]
    fn a_no_op_edit_records_nothing() {
        let (_tmp, dir) = sample();
        let (mut s, _) = Session::open(&dir, "ana").unwrap();
        let status = s.dataset().items[0].status;
        assert!(
            s.apply(vec![("1".into(), FieldValue::Status(status))])
                .unwrap()
                .batch
                .changes
                .is_empty()
        );
        assert_eq!(s.can_undo(), (false, false));
        assert!(
            s.apply(vec![("nope".into(), FieldValue::Status(status))])
                .is_err()
        );
    }

    #[test]
    fn a_damaged_journal_opens_read_only_naming_the_line() {
        let (_tmp, dir) = sample();
        let (mut s, _) = Session::open(&dir, "ana").unwrap();
        s.apply(vec![("4".into(), FieldValue::Status(Status::Accepted))])
            .unwrap();
        drop(s);
        let path = dir.join(JOURNAL_FILE);
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("{\"seq\":99}\n");
        std::fs::write(&path, text).unwrap();
        match open_for_editing(&dir, "ana").unwrap() {
            Opened::ReadOnly { dataset, reason } => {
                assert!(matches!(reason, ReadOnlyReason::BadJournal(_)));
                assert!(reason.to_string().contains("journal.jsonl:2:"), "{reason}");
                assert_eq!(dataset.items[3].status, Status::Accepted, "edits before it shown");
            }
            Opened::Editing(..) => panic!("a damaged journal must not be written to"),
        }
        assert!(Session::open(&dir, "ana").is_err());
        assert!(load_with_journal(&dir).is_err());
    }

    #[test]
    fn a_torn_last_line_is_dropped_with_a_note_and_editing_goes_on() {
        let (_tmp, dir) = sample();
        let path = dir.join(JOURNAL_FILE);
        std::fs::write(&path, "{\"seq\":1,\"ba").unwrap();
        let (mut s, report) = Session::open(&dir, "ana").unwrap();
        assert!(report.dropped_torn_line);
        s.apply(vec![("4".into(), FieldValue::Status(Status::Accepted))])
            .unwrap();
        drop(s);
        assert_eq!(load_with_journal(&dir).unwrap().items[3].status, Status::Accepted);
    }

    #[test]
    fn a_failed_compaction_still_reports_the_edit_as_saved() {
        let (_tmp, dir) = sample();
        let (mut s, _) = Session::open(&dir, "ana").unwrap();
        let items = dir.join(crate::store::ITEMS_FILE);
        let kept = std::fs::read(&items).unwrap();
        std::fs::remove_file(&items).unwrap();
        std::fs::create_dir_all(items.join("blocker")).unwrap();
        let statuses = [Status::Accepted, Status::Rejected];
        let mut last = None;
        for n in 0..COMPACT_EVERY {
            let status = statuses[n % 2];
            last = Some(
                s.apply(vec![("4".into(), FieldValue::Status(status))])
                    .expect("the edit itself is saved"),
            );
        }
        let last = last.unwrap();
        assert_eq!(last.batch.changes.len(), 1);
        assert!(
            last.compaction_error.is_some(),
            "compaction could not replace items.ron"
        );
        drop(s);
        std::fs::remove_dir_all(&items).unwrap();
        std::fs::write(&items, kept).unwrap();
        let status = load_with_journal(&dir).unwrap().items[3].status;
        assert_eq!(status, statuses[(COMPACT_EVERY - 1) % 2]);
    }

    #[test]
    fn a_second_session_is_refused_while_the_first_is_open() {
        let (_tmp, dir) = sample();
        let (_s, _) = Session::open(&dir, "ana").unwrap();
        assert!(matches!(Session::open(&dir, "bob"), Err(Error::Locked { .. })));
    }
}
