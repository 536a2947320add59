//! Importers: each reads one source format into a new dataset folder.
//!
//! Every importer builds into a temp folder beside the target and renames it into place
//! at the end, so a failed import never leaves a partial dataset.

pub mod generic;
pub mod mmsafeaware;
pub mod responses;
pub mod strict;

use crate::error::{Error, IoContext, Result};
use crate::store::{self, DatasetLock};
use std::path::{Path, PathBuf};

/// How an importer puts images into the dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ImageMode {
    /// Copy the files (a self-contained dataset).
    #[default]
    Copy,
    /// Symlink to the source files (no extra disk; the source must stay put).
    Link,
}

/// Reports progress of long work: called with (done, total).
pub type Progress<'a> = &'a (dyn Fn(u64, u64) + Sync);

/// A progress callback that ignores every report.
pub fn no_progress(_done: u64, _total: u64) {}

/// A private folder beside `target` where a dataset is built before it is moved in place.
pub(crate) struct Staging {
    dir: tempfile::TempDir,
    target: PathBuf,
    force: bool,
}

impl Staging {
    /// Checks the target can be (re)placed and creates the staging folder next to it.
    pub(crate) fn new(target: &Path, force: bool) -> Result<Staging> {
        check_target(target, force)?;
        let parent = parent_of(target);
        std::fs::create_dir_all(&parent).at(&parent)?;
        let mut builder = tempfile::Builder::new();
        builder.prefix(".safeaware-build-");
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o755));
        let dir = builder.tempdir_in(&parent).at(&parent)?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            force,
        })
    }

    /// The folder to build in.
    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Moves the finished build to the target, replacing an old dataset when forced.
    pub(crate) fn finish(self) -> Result<()> {
        check_target(&self.target, self.force)?;
        let parent = parent_of(&self.target);
        store::sync_dir(self.dir.path())?;
        let built = self.dir.keep();
        let result = if self.target.exists() {
            replace(&built, &self.target, &parent)
        } else {
            std::fs::rename(&built, &self.target).at(&self.target)
        };
        if result.is_err() {
            let _ = std::fs::remove_dir_all(&built);
        }
        result?;
        store::sync_dir(&parent)
    }
}

fn parent_of(target: &Path) -> PathBuf {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Swaps `built` in for the existing `target`; the old one is removed only after the swap.
fn replace(built: &Path, target: &Path, parent: &Path) -> Result<()> {
    let _lock = DatasetLock::acquire(target)?;
    let old = tempfile::Builder::new()
        .prefix(".safeaware-old-")
        .tempdir_in(parent)
        .at(parent)?
        .keep();
    std::fs::remove_dir(&old).at(&old)?;
    std::fs::rename(target, &old).at(target)?;
    if let Err(e) = std::fs::rename(built, target) {
        let _ = std::fs::rename(&old, target);
        return Err(Error::io(target, e));
    }
    std::fs::remove_dir_all(&old).at(&old)
}

/// Whether `dir` holds an earlier safeaware export (its manifest.json says so).
fn is_export(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("manifest.json"))
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .is_some_and(|v| v["tool"] == "safeaware")
}

/// Refuses an existing target unless forced, and even then only a dataset or an empty folder.
fn check_target(target: &Path, force: bool) -> Result<()> {
    if !target.exists() {
        return Ok(());
    }
    if !force {
        return Err(Error::Refused(format!(
            "{} already exists; pass --force to replace it",
            target.display()
        )));
    }
    let empty_dir = target.is_dir() && std::fs::read_dir(target).at(target)?.next().is_none();
    if !(store::is_dataset(target) || is_export(target) || empty_dir) {
        return Err(Error::Refused(format!(
            "{} exists and is not a safeaware dataset or export; refusing to replace it even with --force",
            target.display()
        )));
    }
    if let Some(holder) = DatasetLock::holder(target) {
        return Err(Error::Locked {
            path: target.join(store::LOCK_FILE),
            holder,
        });
    }
    Ok(())
}
