//! A parse cache for large RON files under `.cache/`. RON stays the only source of truth;
//! a cache entry is used only while its source file is the very version it was made from.
//!
//! An entry starts with a line naming that version: the file's size, modification time
//! and inode (safeaware writes by rename, so every save makes a new inode), then the
//! blake3 of its bytes (or the key of what else the entry depends on), then the blake3 of
//! the entry's own body. The stamp is checked without reading the RON file, so a warm load
//! reads only the cache; the body's hash makes an entry that a crash tore read as a miss,
//! so entries are written without waiting for the disk. The body is whatever encoding the caller chose: compact
//! JSON for any serde type, or the columnar layout of [`super::columns`] for responses.

use super::ron_format;
use crate::error::{Error, IoContext, Result};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};

/// The cache folder inside a dataset folder (safe to delete at any time).
pub const CACHE_DIR: &str = ".cache";

/// Files smaller than this are parsed directly; the cache would not pay for itself.
pub const MIN_CACHED_BYTES: u64 = 1 << 20;

/// Which version of a source file a cache entry was made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// Size, modification time (ns) and inode, as `size-mtime-inode`.
    version: String,
}

impl Stamp {
    /// The stamp of `path` as it is now (None when it cannot be read or is small).
    pub fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        if meta.len() < MIN_CACHED_BYTES {
            return None;
        }
        let mtime = meta
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_nanos();
        Some(Stamp {
            version: format!("{}-{mtime}-{}", meta.len(), inode(&meta)),
        })
    }
}

#[cfg(unix)]
fn inode(meta: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(meta)
}

#[cfg(not(unix))]
fn inode(_meta: &std::fs::Metadata) -> u64 {
    0
}

/// The cache file of `source` (a file in dataset `dir`) with this extension.
pub fn entry_path(dir: &Path, source: &Path, extension: &str) -> PathBuf {
    let name = source
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.join(CACHE_DIR).join(format!("{name}.{extension}"))
}

/// The body of the cache entry at `entry` when it was made from the version `stamp`.
pub fn read_entry(entry: &Path, stamp: &Stamp) -> Option<Vec<u8>> {
    read_checked(entry, stamp, None)
}

/// The body of an entry [`write_keyed_entry`] wrote, when it was made from the version
/// `stamp` with the same `key`.
pub fn read_keyed_entry(entry: &Path, stamp: &Stamp, key: &str) -> Option<Vec<u8>> {
    read_checked(entry, stamp, Some(key))
}

fn read_checked(entry: &Path, stamp: &Stamp, key: Option<&str>) -> Option<Vec<u8>> {
    let mut bytes = std::fs::read(entry).ok()?;
    let newline = bytes.iter().position(|&b| b == b'\n')?;
    let header = std::str::from_utf8(&bytes[..newline]).ok()?;
    let mut fields = header.split(' ');
    let (version, second, checksum) = (fields.next()?, fields.next()?, fields.next()?);
    if version != stamp.version || key.is_some_and(|key| key != second) {
        return None;
    }
    if blake3::hash(&bytes[newline + 1..]).to_hex().as_str() != checksum {
        return None;
    }
    bytes.drain(..=newline);
    Some(bytes)
}

/// Writes a cache entry derived from a source file and something else that `key` names
/// (e.g. the rules that read it), atomically and best effort like [`write_entry`].
pub fn write_keyed_entry(entry: &Path, stamp: &Stamp, key: &str, body: &[u8]) -> Result<()> {
    if key.contains(['\n', ' ']) {
        return Err(Error::Refused(format!(
            "cache key {key:?} has a space or newline"
        )));
    }
    write_checked(entry, stamp, key, body)
}

/// Writes a cache entry best effort (callers ignore failures, the cache is only an
/// accelerator).
pub fn write_entry(entry: &Path, stamp: &Stamp, source: &[u8], body: &[u8]) -> Result<()> {
    write_checked(entry, stamp, &blake3::hash(source).to_hex(), body)
}

/// Writes the header line and `body` by rename but without fsync: the header carries the
/// body's blake3, so an entry a crash tore or emptied reads as a miss, never as content,
/// and a cold run does not wait for the disk (about 5 ms per entry, 10 entries a report).
fn write_checked(entry: &Path, stamp: &Stamp, second: &str, body: &[u8]) -> Result<()> {
    if let Some(folder) = entry.parent() {
        std::fs::create_dir_all(folder).at(folder)?;
    }
    let checksum = blake3::hash(body).to_hex();
    let mut bytes = Vec::with_capacity(body.len() + 200);
    bytes.extend_from_slice(format!("{} {second} {checksum}\n", stamp.version).as_bytes());
    bytes.extend_from_slice(body);
    super::atomic::write_unsynced(entry, &bytes)
}

/// Reads and parses the RON file `path` (in dataset `dir`). `fast` reads safeaware's own
/// layout (None on anything else) faster than a cache entry decodes, so such files are
/// neither looked up in nor written to the cache; any other file (hand edits) is parsed
/// by the `ron` crate once and then read from the cache while it stays unchanged.
pub fn load_fast_or_cached<T: Serialize + DeserializeOwned>(
    dir: &Path,
    path: &Path,
    fast: impl FnOnce(&str) -> Option<T>,
) -> Result<T> {
    // The version before the read: a file replaced while it is read is not cached under
    // its new version.
    let stamp = Stamp::of(path);
    let text = std::fs::read_to_string(path).at(path)?;
    if let Some(value) = fast(&text) {
        // An entry made before the file was saved in the writer's layout again (after a
        // hand edit, or by a version that cached every file: 45 MB at 100k items) is never
        // read again; its space is freed, best effort.
        let _ = std::fs::remove_file(entry_path(dir, path, "json"));
        return Ok(value);
    }
    let entry = entry_path(dir, path, "json");
    if let Some(stamp) = &stamp
        && let Some(body) = read_entry(&entry, stamp)
        && let Ok(value) = serde_json::from_slice(&body)
    {
        return Ok(value);
    }
    let value: T = ron_format::parse(path, &text)?;
    if let Some(stamp) = stamp {
        let body = serde_json::to_vec(&value).map_err(|e| Error::Refused(e.to_string()))?;
        let _ = write_entry(&entry, &stamp, text.as_bytes(), &body);
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A RON file over the caching threshold in a temp folder, saved as safeaware saves,
    /// with the values it holds.
    fn big_file() -> (tempfile::TempDir, PathBuf, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.ron");
        let values: Vec<String> = (0..80_000).map(|i| format!("value number {i}")).collect();
        super::super::write_atomic(&path, ron_format::to_string(&values).as_bytes()).unwrap();
        (dir, path, values)
    }

    fn load_cached(dir: &Path, path: &Path) -> Result<Vec<String>> {
        load_fast_or_cached(dir, path, |_| None)
    }

    #[test]
    fn the_cache_is_used_only_while_the_file_is_unchanged() {
        let (dir, path, values) = big_file();
        let first = load_cached(dir.path(), &path).unwrap();
        assert_eq!(first, values);
        assert!(dir.path().join(CACHE_DIR).join("big.ron.json").is_file());
        assert_eq!(load_cached(dir.path(), &path).unwrap(), values);
        // A changed file (saved the way safeaware saves) is read again, not the cache.
        let mut changed = values.clone();
        changed[7] = "edited".into();
        super::super::write_atomic(&path, ron_format::to_string(&changed).as_bytes()).unwrap();
        let second = load_cached(dir.path(), &path).unwrap();
        assert_eq!(second, changed);
        // A corrupt cache is ignored too.
        std::fs::write(dir.path().join(CACHE_DIR).join("big.ron.json"), b"garbage").unwrap();
        let third = load_cached(dir.path(), &path).unwrap();
        assert_eq!(third, changed);
    }

    #[test]
    fn an_entry_damaged_on_disk_is_a_miss_not_content() {
        let (dir, path, _) = big_file();
        let stamp = Stamp::of(&path).unwrap();
        let entry = dir.path().join(CACHE_DIR).join("big.ron.cols");
        write_keyed_entry(&entry, &stamp, "rules-v1", b"0123456789").unwrap();
        assert_eq!(
            read_keyed_entry(&entry, &stamp, "rules-v1").unwrap(),
            b"0123456789"
        );
        assert!(read_keyed_entry(&entry, &stamp, "rules-v2").is_none());
        // What a crash can leave of an entry written without fsync: bytes of the same
        // length but other content, a cut body, an empty file.
        let good = std::fs::read(&entry).unwrap();
        let mut flipped = good.clone();
        *flipped.last_mut().unwrap() = b'X';
        for damaged in [
            flipped,
            good[..good.len() - 3].to_vec(),
            vec![0; good.len()],
            Vec::new(),
        ] {
            std::fs::write(&entry, &damaged).unwrap();
            assert!(read_keyed_entry(&entry, &stamp, "rules-v1").is_none());
        }
    }

    #[test]
    fn a_file_rewritten_in_place_with_another_size_is_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.ron");
        let values: Vec<String> = (0..80_000).map(|i| format!("value {i}")).collect();
        std::fs::write(&path, ron_format::to_string(&values)).unwrap();
        assert_eq!(load_cached(dir.path(), &path).unwrap(), values);
        let fewer = values[..79_000].to_vec();
        std::fs::write(&path, ron_format::to_string(&fewer)).unwrap();
        assert_eq!(load_cached(dir.path(), &path).unwrap(), fewer);
    }

    #[test]
    fn a_file_the_fast_reader_reads_is_not_cached_and_others_are() {
        let (dir, path, values) = big_file();
        let fast = |text: &str| text.starts_with("#![enable").then(|| vec!["fast".to_string()]);
        assert_eq!(load_fast_or_cached(dir.path(), &path, fast).unwrap(), ["fast"]);
        assert!(
            !dir.path().join(CACHE_DIR).exists(),
            "no cache for the writer's layout"
        );
        // A hand-edited file (a comment on top) is parsed once, then read from the cache.
        let edited = format!("// edited\n{}", ron_format::to_string(&values));
        super::super::write_atomic(&path, edited.as_bytes()).unwrap();
        assert_eq!(load_fast_or_cached(dir.path(), &path, fast).unwrap(), values);
        let entry = dir.path().join(CACHE_DIR).join("big.ron.json");
        let stamp = Stamp::of(&path).unwrap();
        let mut body = read_entry(&entry, &stamp).expect("cached");
        body.splice(2..2, b"cached ".iter().copied());
        write_entry(&entry, &stamp, edited.as_bytes(), &body).unwrap();
        let warm = load_fast_or_cached(dir.path(), &path, fast).unwrap();
        assert_eq!(warm[0], format!("cached {}", values[0]));
        // Saved in the writer's layout again: the entry is never read again, and goes.
        super::super::write_atomic(&path, ron_format::to_string(&values).as_bytes()).unwrap();
        assert_eq!(load_fast_or_cached(dir.path(), &path, fast).unwrap(), ["fast"]);
        assert!(!entry.exists(), "the stale entry is removed");
    }
}
