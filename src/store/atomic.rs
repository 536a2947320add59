//! Crash-safe file replacement: a reader sees the old file or the new one, never a mix.

use crate::error::{IoContext, Result};
use std::io::Write;
use std::path::Path;

/// Replaces `path` with `bytes`: temp file in the same folder, fsync, rename, fsync the folder.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = replace(path, bytes, true)?;
    sync_dir(dir)
}

/// Writes `bytes` to `path`, which must not exist yet, and fsyncs it: for a file in a folder
/// that its builder syncs and renames into place as a whole (a reader never sees the file
/// before that).
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // As `write_atomic` makes new files: readable by others, writable by the owner.
        options.mode(0o644);
    }
    let mut file = options.open(path).at(path)?;
    file.write_all(bytes).at(path)?;
    file.sync_all().at(path)
}

/// Replaces `path` with `bytes` by temp file and rename, without waiting for the disk:
/// a reader sees the old file or the new one, but a crash may leave the new one torn or
/// empty. Only for derived files that check their own content (cache entries).
pub fn write_unsynced(path: &Path, bytes: &[u8]) -> Result<()> {
    replace(path, bytes, false).map(|_| ())
}

/// Writes `bytes` to a temp file beside `path` (fsync'd when `sync`) and renames it over
/// `path`, keeping `path`'s permissions; returns the folder.
fn replace<'a>(path: &'a Path, bytes: &[u8], sync: bool) -> Result<&'a Path> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    let prefix = super::leftovers::owned_prefix(super::leftovers::TEMP_PREFIX);
    builder.prefix(&prefix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map(|m| m.permissions().mode() & 0o7777)
            .unwrap_or(0o644);
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    let mut tmp = builder.tempfile_in(dir).at(dir)?;
    tmp.write_all(bytes).at(tmp.path())?;
    if sync {
        tmp.as_file().sync_all().at(tmp.path())?;
    }
    tmp.persist(path).map_err(|e| crate::Error::io(path, e.error))?;
    Ok(dir)
}

/// Makes a folder's entries (creations, renames) durable.
pub fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir).and_then(|f| f.sync_all()).at(dir)?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_content_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ron");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("a.ron")]);
    }

    #[cfg(unix)]
    #[test]
    fn new_files_are_readable_by_others_and_existing_modes_are_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ron");
        write_atomic(&path, b"one").unwrap();
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o644
        );
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}
