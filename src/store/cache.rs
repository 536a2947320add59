//! A parse cache for large RON files: the parsed value stored as compact JSON under
//! `.cache/`, keyed by the blake3 of the RON bytes. RON stays the only source of truth;
//! the cache is used only when its hash matches the file, and is rewritten (best effort)
//! after every fresh parse. JSON parses several times faster than RON, which keeps a
//! 100k-item dataset with ten models' responses well under a second to load.

use super::ron_format;
use crate::error::{Error, Result};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::path::Path;

/// The cache folder inside a dataset folder (safe to delete at any time).
pub const CACHE_DIR: &str = ".cache";

/// Files smaller than this are parsed directly; the cache would not pay for itself.
const MIN_CACHED_BYTES: usize = 1 << 20;

/// Parses `text` read from `path` (in dataset `dir`), through the cache when it is valid.
pub fn parse_cached<T: Serialize + DeserializeOwned>(dir: &Path, path: &Path, text: &str) -> Result<T> {
    if text.len() < MIN_CACHED_BYTES {
        return ron_format::parse(path, text);
    }
    let hash = blake3::hash(text.as_bytes()).to_hex().to_string();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let folder = dir.join(CACHE_DIR);
    let cache_path = folder.join(format!("{name}.json"));
    if let Ok(bytes) = std::fs::read(&cache_path)
        && let Some((header, body)) = split_header(&bytes)
        && header == hash.as_bytes()
        && let Ok(value) = serde_json::from_slice(body)
    {
        return Ok(value);
    }
    let value: T = ron_format::parse(path, text)?;
    let _ = write_cache(&folder, &cache_path, &hash, &value);
    Ok(value)
}

fn split_header(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let newline = bytes.iter().position(|&b| b == b'\n')?;
    Some((&bytes[..newline], &bytes[newline + 1..]))
}

fn write_cache<T: Serialize>(folder: &Path, cache_path: &Path, hash: &str, value: &T) -> Result<()> {
    std::fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
    let mut bytes = Vec::with_capacity(1 << 20);
    bytes.extend_from_slice(hash.as_bytes());
    bytes.push(b'\n');
    serde_json::to_writer(&mut bytes, value).map_err(|e| Error::Refused(e.to_string()))?;
    super::write_atomic(cache_path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_is_used_only_while_the_file_is_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.ron");
        let values: Vec<String> = (0..80_000).map(|i| format!("value number {i}")).collect();
        let text = ron_format::to_string(&values);
        let first: Vec<String> = parse_cached(dir.path(), &path, &text).unwrap();
        assert_eq!(first, values);
        assert!(dir.path().join(CACHE_DIR).join("big.ron.json").is_file());
        // A stale cache (the file changed) is ignored.
        let mut changed = values.clone();
        changed[7] = "edited".into();
        let text2 = ron_format::to_string(&changed);
        let second: Vec<String> = parse_cached(dir.path(), &path, &text2).unwrap();
        assert_eq!(second, changed);
        // A corrupt cache is ignored too.
        std::fs::write(dir.path().join(CACHE_DIR).join("big.ron.json"), b"garbage").unwrap();
        let third: Vec<String> = parse_cached(dir.path(), &path, &text2).unwrap();
        assert_eq!(third, changed);
    }
}
