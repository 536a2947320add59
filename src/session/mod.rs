//! An editing session on a dataset: durable edits, undo and redo, compaction, history.
//!
//! A writer session holds the dataset's lock and edits as one curator. Each user action
//! becomes one batch of changes, appended to the curator's layer journal
//! (`labels/<curator>.journal.jsonl`) and fsynced before [`Session::apply`] returns, so a
//! caller that shows an edit only after `apply` returned never shows a lost edit. The
//! journal is folded into `labels/<curator>.ron` by [`Session::compact`] (on quit and
//! periodically) and replayed on the next open if the process died first. `items.ron` is
//! the base; what callers see ([`Session::dataset`]) is the consensus of all layers
//! ([`crate::labels::consensus`]). A dataset's old `journal.jsonl` (edits made before
//! layers existed) is still replayed into `items.ron` on open.

mod editing;

use crate::error::{Error, Result};
use crate::labels::consensus::{self, Rules};
use crate::labels::{self, Labels};
use crate::model::{Change, Dataset};
use crate::store::journal::{self, HISTORY_FILE, JOURNAL_FILE, JournalEntry};
use crate::store::{self, DatasetLock, LockHolder};
use std::path::{Path, PathBuf};

pub use editing::{Session, Target};

/// Journal entries after which a session folds them into the layer file on its own.
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

/// Applies old-style journal entries (`journal.jsonl`) to the base; an entry for an
/// unknown item is an error.
pub(crate) fn replay(dir: &Path, dataset: &mut Dataset, entries: &[JournalEntry]) -> Result<()> {
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

/// A dataset as read from disk: the base, every label layer, and the consensus view.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// `items.ron` with the old-style journal replayed.
    pub base: Dataset,
    /// Every curator layer and the adjudications, journals replayed.
    pub labels: Labels,
    /// The consensus: what reports, exports and screens use.
    pub dataset: Dataset,
    /// Which rule gave each item's consensus fields (item order).
    pub rules: Vec<Rules>,
}

/// Loads a dataset with the edits of its journals applied, without writing anything or
/// taking the lock: the consensus an editor sees. A damaged journal is an error.
pub fn load_with_journal(dir: &Path) -> Result<Dataset> {
    let (dataset, bad_line) = load_readable(dir)?;
    match bad_line {
        Some(e) => Err(e),
        None => Ok(dataset),
    }
}

/// Loads a dataset's consensus with the journals' complete batches before any damaged line
/// applied, and that damage, if any (for read-only viewers, which show what they can).
pub fn load_readable(dir: &Path) -> Result<(Dataset, Option<Error>)> {
    let (loaded, damage) = load_layers(dir)?;
    Ok((loaded.dataset, damage))
}

/// Loads base, layers and consensus, with the first damaged journal line, if any. The
/// layers are read on a second thread while `items.ron` is parsed (the two are
/// independent, and parsing is most of `agree`'s and `report`'s start-up).
pub fn load_layers(dir: &Path) -> Result<(Loaded, Option<Error>)> {
    let (base, layers) = std::thread::scope(|scope| {
        let layers = scope.spawn(|| labels::load(dir));
        let base = load_base(dir);
        match layers.join() {
            Ok(layers) => (base, layers),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    });
    let (base, read) = base?;
    let (labels, layer_damage) = layers?;
    let (dataset, rules) = consensus::view(&base, &labels);
    let loaded = Loaded {
        base,
        labels,
        dataset,
        rules,
    };
    Ok((loaded, read.bad_line.or(layer_damage)))
}

/// `items.ron` with the old-style journal replayed, and what reading that journal found.
fn load_base(dir: &Path) -> Result<(Dataset, journal::JournalRead)> {
    let mut base = store::load(dir)?;
    let read = journal::read_journal(&dir.join(JOURNAL_FILE))?;
    replay(dir, &mut base, &read.entries)?;
    Ok((base, read))
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
    labels::check_curator(curator)?;
    let mut read = journal::read_journal(&dir.join(JOURNAL_FILE))?;
    let layer_damage = labels::load(dir)?.1;
    if let Some(bad) = read.bad_line.take().or(layer_damage) {
        drop(lock);
        return read_only(ReadOnlyReason::BadJournal(bad));
    }
    let (session, report) = Session::open_locked(lock, read, curator)?;
    Ok(Opened::Editing(Box::new(session), report))
}

/// Every recorded change of one item, oldest first: the old-style history and journal,
/// then every layer's and the adjudications' history and journal (by time).
pub fn item_history(dir: &Path, item: &str) -> Result<Vec<JournalEntry>> {
    let mut files: Vec<PathBuf> = vec![dir.join(HISTORY_FILE), dir.join(JOURNAL_FILE)];
    let mut names = labels::curator_names(dir)?;
    names.push(labels::ADJUDICATIONS.to_string());
    for name in &names {
        files.push(labels::history_path(dir, name));
        files.push(labels::journal_path(dir, name));
    }
    let mut out = Vec::new();
    for file in files {
        let mut seen = std::collections::HashSet::new();
        for entry in journal::read_entries(&file)? {
            if entry.item == item && seen.insert(entry.seq) {
                out.push(entry);
            }
        }
    }
    out.sort_by_key(|e| e.time);
    Ok(out)
}

#[cfg(test)]
mod tests;
