//! Importers: each reads one source format into a new dataset folder.
//!
//! Every importer builds into a temp folder beside the target and renames it into place
//! at the end, so a failed import never leaves a partial dataset.

pub mod folder;
pub mod generic;
pub mod items;
pub mod mmsafeaware;
pub mod parquet;
mod release_images;
pub mod responses;
pub mod strict;
pub mod table;

use crate::error::{Error, IoContext, Result};
use crate::store::{self, DatasetLock};
use std::path::{Path, PathBuf};

/// How an importer puts images into the dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ImageMode {
    /// Copy the files (a self-contained dataset).
    #[default]
    Copy,
    /// Symlink to the source (no extra disk; the source must stay put): the MMSafeAware
    /// importer links each of the release's image folders, the generic ones each file.
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
    /// Leftovers of killed runs beside the target are cleaned (or restored) first.
    pub(crate) fn new(target: &Path, force: bool) -> Result<Staging> {
        let parent = parent_of(target);
        std::fs::create_dir_all(&parent).at(&parent)?;
        store::leftovers::clean_stale(&parent);
        check_target(target, force)?;
        let prefix = store::leftovers::owned_prefix(store::leftovers::BUILD_PREFIX);
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix);
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
/// On Linux one `renameat2(RENAME_EXCHANGE)` swaps them, so the target always exists;
/// elsewhere (or on a file system without it) the old target is renamed aside first, under
/// a name the next run uses to put it back if this one dies between the two renames.
fn replace(built: &Path, target: &Path, parent: &Path) -> Result<()> {
    let _lock = DatasetLock::acquire(target)?;
    if exchange(built, target).is_ok() {
        // `built` now holds the old target; a kill here leaves a build folder the next
        // run removes.
        return std::fs::remove_dir_all(built).at(built);
    }
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let old = parent.join(format!(
        "{}{name}",
        store::leftovers::owned_prefix(store::leftovers::OLD_PREFIX)
    ));
    std::fs::rename(target, &old).at(target)?;
    if let Err(e) = std::fs::rename(built, target) {
        let _ = std::fs::rename(&old, target);
        return Err(Error::io(target, e));
    }
    std::fs::remove_dir_all(&old).at(&old)
}

/// Atomically swaps two paths (Linux `renameat2` with `RENAME_EXCHANGE`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let a = std::ffi::CString::new(a.as_os_str().as_bytes())?;
    let b = std::ffi::CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: two valid NUL-terminated paths; the syscall reads them and nothing else.
    let result = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if result == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// No atomic exchange here: the caller renames aside instead.
#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn exchange_swaps_two_folders_in_one_step() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        std::fs::create_dir(&a).unwrap();
        std::fs::create_dir(&b).unwrap();
        std::fs::write(a.join("new"), "").unwrap();
        std::fs::write(b.join("old"), "").unwrap();
        exchange(&a, &b).unwrap();
        assert!(b.join("new").is_file() && a.join("old").is_file());
    }

    #[test]
    fn a_forced_replace_leaves_only_the_new_target() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("ds");
        crate::synth::write_sample(&target, false).unwrap();
        let staging = Staging::new(&target, true).unwrap();
        std::fs::write(staging.path().join("manifest.json"), "{\"tool\":\"safeaware\"}").unwrap();
        staging.finish().unwrap();
        let names: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("ds")]);
        assert!(!target.join("items.ron").exists());
    }
}
