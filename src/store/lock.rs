//! One writer per dataset folder.
//!
//! The lock is an OS file lock (`flock`) on `.safeaware.lock`, so it dies with its
//! process; the file's content says who holds it, for the message a second writer sees.
//! The file is never deleted (deleting a locked file lets two writers lock two inodes);
//! an empty file means nobody holds it.

use crate::error::{Error, IoContext, Result};
use crate::model::LockHolder;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// File name of the lock inside a dataset folder.
pub const LOCK_FILE: &str = ".safeaware.lock";

/// The holder this process writes into the lock file.
fn current_holder() -> LockHolder {
    LockHolder {
        pid: std::process::id(),
        host: gethostname::gethostname().to_string_lossy().into_owned(),
        since: super::unix_now(),
    }
}

/// Proof that this process may write a dataset folder; released on drop.
#[derive(Debug)]
pub struct DatasetLock {
    dir: PathBuf,
    file: File,
    previous: Option<LockHolder>,
}

impl DatasetLock {
    /// Takes the write lock of `dir`, or says who holds it.
    pub fn acquire(dir: &Path) -> Result<DatasetLock> {
        let path = dir.join(LOCK_FILE);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .at(&path)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let holder = read_holder(&mut file).unwrap_or(LockHolder {
                    pid: 0,
                    host: "an unknown host".into(),
                    since: 0,
                });
                return Err(Error::Locked { path, holder });
            }
            Err(TryLockError::Error(e)) => return Err(Error::io(&path, e)),
        }
        let previous = read_holder(&mut file);
        let me = ron::to_string(&current_holder()).expect("lock holder serializes");
        file.set_len(0).at(&path)?;
        file.seek(SeekFrom::Start(0)).at(&path)?;
        file.write_all(me.as_bytes()).at(&path)?;
        file.sync_all().at(&path)?;
        Ok(DatasetLock {
            dir: dir.to_path_buf(),
            file,
            previous,
        })
    }

    /// Who holds the lock of `dir` right now, if anyone does.
    pub fn holder(dir: &Path) -> Option<LockHolder> {
        let mut file = File::open(dir.join(LOCK_FILE)).ok()?;
        match file.try_lock_shared() {
            Ok(()) => None,
            Err(TryLockError::WouldBlock) => read_holder(&mut file),
            Err(TryLockError::Error(_)) => None,
        }
    }

    /// The dataset folder this lock guards.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// A holder that died without releasing the lock, whose lock this one took over.
    pub fn taken_over_from(&self) -> Option<&LockHolder> {
        self.previous.as_ref()
    }
}

impl Drop for DatasetLock {
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
        let _ = self.file.unlock();
    }
}

/// Lock file for writers of model response files, separate from the dataset lock.
pub const RESPONSES_LOCK_FILE: &str = ".safeaware-responses.lock";

/// Proof that this process alone writes model response files of a dataset. Response files
/// are separate from the items and written atomically, so this short-lived lock is all
/// `responses add` needs: it works while an editor holds the dataset lock, and two adds
/// wait for each other instead of racing.
#[derive(Debug)]
pub struct ResponsesLock {
    dir: PathBuf,
    file: File,
}

impl ResponsesLock {
    /// Takes the responses lock of `dir`, waiting while another writer of responses holds it.
    pub fn acquire(dir: &Path) -> Result<ResponsesLock> {
        let path = dir.join(RESPONSES_LOCK_FILE);
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .at(&path)?;
        file.lock().at(&path)?;
        Ok(ResponsesLock {
            dir: dir.to_path_buf(),
            file,
        })
    }

    /// The dataset folder whose responses this lock guards.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl Drop for ResponsesLock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

fn read_holder(file: &mut File) -> Option<LockHolder> {
    let mut text = String::new();
    file.seek(SeekFrom::Start(0)).ok()?;
    file.read_to_string(&mut text).ok()?;
    ron::from_str(text.trim()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_is_refused_with_the_holder_named() {
        let dir = tempfile::tempdir().unwrap();
        let first = DatasetLock::acquire(dir.path()).unwrap();
        assert!(first.taken_over_from().is_none());
        match DatasetLock::acquire(dir.path()) {
            Err(Error::Locked { holder, .. }) => assert_eq!(holder.pid, std::process::id()),
            other => panic!("expected Locked, got {other:?}"),
        }
        assert_eq!(
            DatasetLock::holder(dir.path()).map(|h| h.pid),
            Some(std::process::id())
        );
        drop(first);
        assert!(DatasetLock::holder(dir.path()).is_none());
        DatasetLock::acquire(dir.path()).expect("free again after drop");
    }

    #[test]
    fn a_lock_left_by_a_dead_process_is_taken_over_and_reported() {
        let dir = tempfile::tempdir().unwrap();
        let stale = LockHolder {
            pid: 999_999,
            host: "elsewhere".into(),
            since: 1,
        };
        std::fs::write(dir.path().join(LOCK_FILE), ron::to_string(&stale).unwrap()).unwrap();
        let lock = DatasetLock::acquire(dir.path()).unwrap();
        assert_eq!(lock.taken_over_from(), Some(&stale));
    }
}
