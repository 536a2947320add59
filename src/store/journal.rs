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
}

/// The journal file, open for appending.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: File,
}

impl Journal {
    /// Opens (creating if needed) the journal of `dir` for appending.
    pub fn open(dir: &Path) -> Result<Journal> {
        let path = dir.join(JOURNAL_FILE);
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .at(&path)?;
        Ok(Journal { path, file })
    }

    /// Appends a whole batch in one write and makes it durable.
    pub fn append(&mut self, entries: &[JournalEntry]) -> Result<()> {
        let mut text = String::new();
        for entry in entries {
            text.push_str(&serde_json::to_string(entry).expect("journal entries serialize"));
            text.push('\n');
        }
        self.file.write_all(text.as_bytes()).at(&self.path)?;
        self.file.sync_data().at(&self.path)
    }

    /// Empties the journal (after its entries were folded into the items file).
    pub fn clear(&mut self) -> Result<()> {
        self.file.set_len(0).at(&self.path)?;
        self.file.sync_all().at(&self.path)
    }
}

/// Reads the complete batches of a journal or history file (missing file: none).
/// A torn or incomplete last batch is dropped; a bad line elsewhere is an error naming it.
pub fn read_entries(path: &Path) -> Result<Vec<JournalEntry>> {
    let text = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(path, e)),
    };
    let lines: Vec<&[u8]> = text.split(|&b| b == b'\n').collect();
    let mut entries = Vec::new();
    let mut complete = 0;
    for (index, line) in lines.iter().enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let is_last = lines[index + 1..]
            .iter()
            .all(|l| l.iter().all(u8::is_ascii_whitespace));
        match serde_json::from_slice::<JournalEntry>(line) {
            Ok(entry) => {
                let end = entry.end;
                entries.push(entry);
                if end {
                    complete = entries.len();
                }
            }
            Err(_) if is_last => break,
            Err(e) => {
                return Err(Error::Syntax {
                    path: path.to_path_buf(),
                    line: index + 1,
                    column: e.column(),
                    message: format!("bad journal entry: {e}"),
                });
            }
        }
    }
    entries.truncate(complete);
    Ok(entries)
}

/// Appends entries to the history archive durably.
pub fn archive(dir: &Path, entries: &[JournalEntry]) -> Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let path = dir.join(HISTORY_FILE);
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .at(&path)?;
    Journal { path, file }.append(entries)
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
    fn a_bad_line_in_the_middle_is_an_error_with_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(JOURNAL_FILE);
        let good = serde_json::to_string(&entry(1, 1, true)).unwrap();
        std::fs::write(&path, format!("{good}\nnot json\n{good}\n")).unwrap();
        let err = read_entries(&path).unwrap_err().to_string();
        assert!(err.contains("journal.jsonl:2:"), "{err}");
    }
}
