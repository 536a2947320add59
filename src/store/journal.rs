//! The edit journal: every change is appended and fsynced before anyone is told it
//! happened; compaction folds it into `items.ron` and archives it in `history.jsonl`.
//!
//! One JSON object per line. A batch (one user action, possibly many items) ends with an
//! entry marked `"end": true`; on replay a batch without its end (a crash mid-write) is
//! dropped whole, so a bulk edit is never half-applied.

use crate::error::{Error, IoContext, Result};
use crate::model::Change;
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Edits not yet folded into `items.ron`.
pub const JOURNAL_FILE: &str = "journal.jsonl";
/// Every edit ever compacted, for per-item history.
pub const HISTORY_FILE: &str = "history.jsonl";

/// One recorded change of one item field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// Increasing number of the entry within the dataset's history.
    pub seq: u64,
    /// The user action this change belongs to (undo works per batch).
    pub batch: u64,
    /// Seconds since the Unix epoch.
    pub time: u64,
    /// Who made the change.
    pub curator: String,
    /// The item's id.
    pub item: String,
    /// What changed.
    #[serde(flatten)]
    pub change: Change,
    /// Set on the last entry of a batch.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub end: bool,
    /// In a curator layer's journal: the field is removed from the layer again (an undo
    /// of the curator's first label of it); `new` is what the item shows afterwards.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unset: bool,
    /// Made in blind mode (no gold, other labels or model output visible).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub blind: bool,
    /// In the adjudications' journal: whose label was taken (a curator or `majority`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
}

/// The journal file, open for appending.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: File,
    /// Set when a failed append could not be cut back: the file may end in a partial
    /// line, so appending more would turn it into a corrupt complete line.
    broken: bool,
}

impl Journal {
    /// Opens (creating if needed) the journal of `dir` for appending.
    pub fn open(dir: &Path) -> Result<Journal> {
        Journal::open_file(dir.join(JOURNAL_FILE))
    }

    /// Opens (creating if needed) the journal file at `path` for appending.
    pub fn open_file(path: PathBuf) -> Result<Journal> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .at(&path)?;
        Ok(Journal {
            path,
            file,
            broken: false,
        })
    }

    /// Appends a whole batch in one write and makes it durable. On failure (disk full,
    /// I/O error) the file is cut back to its previous length, so nothing of an edit that
    /// was not acknowledged stays behind.
    pub fn append(&mut self, entries: &[JournalEntry]) -> Result<()> {
        if self.broken {
            return Err(Error::Refused(format!(
                "{}: an earlier write failed and could not be undone; reopen the dataset",
                self.path.display()
            )));
        }
        let mut text = String::new();
        for entry in entries {
            text.push_str(&serde_json::to_string(entry).expect("journal entries serialize"));
            text.push('\n');
        }
        let before = self.file.metadata().at(&self.path)?.len();
        let written = self
            .file
            .write_all(text.as_bytes())
            .and_then(|()| self.file.sync_data());
        if let Err(e) = written {
            if self
                .file
                .set_len(before)
                .and_then(|()| self.file.sync_data())
                .is_err()
            {
                self.broken = true;
            }
            return Err(Error::io(&self.path, e));
        }
        Ok(())
    }

    /// Empties the journal (after its entries were folded into the items file).
    pub fn clear(&mut self) -> Result<()> {
        self.file.set_len(0).at(&self.path)?;
        self.file.sync_all().at(&self.path)?;
        self.broken = false;
        Ok(())
    }
}

/// What reading a journal found: the complete batches before any bad line.
#[derive(Debug, Default)]
pub struct JournalRead {
    /// Entries of complete batches, in file order.
    pub entries: Vec<JournalEntry>,
    /// The last line had no newline and did not parse: a write torn by a crash, dropped.
    pub torn_tail: bool,
    /// A complete line that is not a journal entry (the first one); entries after it were
    /// not read. Such a journal must not be written to until someone looks at it.
    pub bad_line: Option<Error>,
}

/// Reads a journal or history file (missing file: nothing), keeping going as far as it can.
/// Only an unterminated last line counts as a torn write; any complete line that does not
/// parse is reported in `bad_line`. A batch without its end entry is dropped whole.
pub fn read_journal(path: &Path) -> Result<JournalRead> {
    let text = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(JournalRead::default()),
        Err(e) => return Err(Error::io(path, e)),
    };
    let mut read = JournalRead::default();
    let mut complete = 0;
    let mut rest: &[u8] = &text;
    let mut number = 0;
    while !rest.is_empty() {
        number += 1;
        let (line, terminated) = match rest.iter().position(|&b| b == b'\n') {
            Some(end) => {
                let line = &rest[..end];
                rest = &rest[end + 1..];
                (line, true)
            }
            None => (std::mem::take(&mut rest), false),
        };
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<JournalEntry>(line) {
            Ok(entry) => {
                let end = entry.end;
                read.entries.push(entry);
                if end {
                    complete = read.entries.len();
                }
            }
            Err(_) if !terminated => read.torn_tail = true,
            Err(e) => {
                read.bad_line = Some(Error::Syntax {
                    path: path.to_path_buf(),
                    line: number,
                    column: e.column(),
                    message: format!("bad journal entry: {e}"),
                });
                break;
            }
        }
    }
    read.entries.truncate(complete);
    Ok(read)
}

/// Reads the complete batches of a journal or history file (missing file: none).
/// A torn (unterminated) last line and an unfinished last batch are dropped; a complete
/// line that is not an entry is an error naming it.
pub fn read_entries(path: &Path) -> Result<Vec<JournalEntry>> {
    let read = read_journal(path)?;
    match read.bad_line {
        Some(e) => Err(e),
        None => Ok(read.entries),
    }
}

/// Appends entries to the history archive durably.
pub fn archive(dir: &Path, entries: &[JournalEntry]) -> Result<()> {
    archive_to(&dir.join(HISTORY_FILE), entries)
}

/// Appends entries to the history file at `path` durably.
pub fn archive_to(path: &Path, entries: &[JournalEntry]) -> Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    Journal::open_file(path.to_path_buf())?.append(entries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Status;

    fn entry(seq: u64, batch: u64, end: bool) -> JournalEntry {
        JournalEntry {
            seq,
            batch,
            time: 1,
            curator: "ana".into(),
            item: seq.to_string(),
            change: Change::Status {
                old: Status::Unreviewed,
                new: Status::Accepted,
            },
            end,
            unset: false,
            blind: false,
            from: None,
        }
    }

    #[test]
    fn entries_are_one_json_line_each_with_the_field_named() {
        let line = serde_json::to_string(&entry(3, 2, true)).unwrap();
        assert_eq!(
            line,
            r#"{"seq":3,"batch":2,"time":1,"curator":"ana","item":"3","field":"status","old":"unreviewed","new":"accepted","end":true}"#
        );
    }

    #[test]
    fn a_torn_tail_and_an_unfinished_batch_are_dropped_whole() {
        let dir = tempfile::tempdir().unwrap();
        let mut j = Journal::open(dir.path()).unwrap();
        j.append(&[entry(1, 1, true)]).unwrap();
        j.append(&[entry(2, 2, false), entry(3, 2, false)]).unwrap();
        let path = dir.path().join(JOURNAL_FILE);
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("{\"seq\":4,\"ba");
        std::fs::write(&path, text).unwrap();
        let read = read_entries(&path).unwrap();
        assert_eq!(read, vec![entry(1, 1, true)]);
    }

    #[test]
    fn a_complete_bad_last_line_is_an_error_not_a_torn_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(JOURNAL_FILE);
        let good = serde_json::to_string(&entry(1, 1, true)).unwrap();
        std::fs::write(&path, format!("{good}\n{{\"seq\":2}}\n")).unwrap();
        let err = read_entries(&path).unwrap_err().to_string();
        assert!(err.contains("journal.jsonl:2:"), "{err}");
        let read = read_journal(&path).unwrap();
        assert_eq!(read.entries, vec![entry(1, 1, true)]);
        assert!(!read.torn_tail);

        std::fs::write(&path, format!("{good}\n{{\"seq\":2")).unwrap();
        let read = read_journal(&path).unwrap();
        assert!(read.torn_tail && read.bad_line.is_none());
        assert_eq!(read.entries, vec![entry(1, 1, true)]);
    }

    #[test]
    fn a_bad_line_in_the_middle_is_an_error_with_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(JOURNAL_FILE);
        let good = serde_json::to_string(&entry(1, 1, true)).unwrap();
        std::fs::write(&path, format!("{good}\nnot json\n{good}\n")).unwrap();
        let err = read_entries(&path).unwrap_err().to_string();
        assert!(err.contains("journal.jsonl:2:"), "{err}");
    }
}
