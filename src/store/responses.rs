//! Stored model responses (`responses/<model>.ron`), curator overrides
//! (`responses/overrides.ron`) and a dataset's own refusal rules (`verdict_rules.ron`).

use super::cache::{self, Stamp};
use super::columns::{self, ResponseColumns, ResponseSink};
use super::{DatasetLock, ResponsesLock, responses_layout, ron_format, write_atomic};
use crate::error::{Error, IoContext, Result};
use crate::model::{ModelInfo, ModelResponses, Override};
use std::path::{Path, PathBuf};

/// Folder of the responses inside a dataset folder.
pub const RESPONSES_DIR: &str = "responses";
/// File of the curator overrides inside the responses folder.
pub const OVERRIDES_FILE: &str = "overrides.ron";
/// A dataset's additions to the refusal rules.
pub const RULES_FILE: &str = "verdict_rules.ron";

/// Whether a model name is usable as a file name: letters, digits, `.`, `_`, `-`.
pub fn check_model_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name != "overrides"
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "model name {:?} must be letters, digits, '.', '_' or '-' (and not \"overrides\")",
            crate::text::escape_for_display(name)
        ))
    }
}

fn model_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(RESPONSES_DIR).join(format!("{name}.ron"))
}

/// The names of the models with stored responses, sorted.
pub fn model_names(dir: &Path) -> Result<Vec<String>> {
    let folder = dir.join(RESPONSES_DIR);
    let entries = match std::fs::read_dir(&folder) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(&folder, e)),
    };
    let mut names = Vec::new();
    for entry in entries {
        let name = entry.at(&folder)?.file_name().to_string_lossy().into_owned();
        if let Some(stem) = name.strip_suffix(".ron")
            && stem != "overrides"
            && !stem.starts_with('.')
        {
            names.push(stem.to_string());
        }
    }
    names.sort();
    Ok(names)
}

/// Reads one model's responses, from the columnar cache while it matches the file.
pub fn load_model(dir: &Path, name: &str) -> Result<ModelResponses> {
    let (model, columns) = load_model_columns(dir, name)?;
    Ok(ModelResponses {
        model,
        responses: columns.to_rows(),
    })
}

/// Reads one model's responses in columns (no row per response), from the columnar cache
/// while it matches the file, else from the RON file (then caching it).
pub fn load_model_columns(dir: &Path, name: &str) -> Result<(ModelInfo, ResponseColumns)> {
    columns_of(dir, name, true)
}

/// [`load_model_columns`] for a single pass over the texts (e.g. to cache what they say):
/// uses the columnar cache when it is valid but does not write one.
pub fn read_model_columns(dir: &Path, name: &str) -> Result<(ModelInfo, ResponseColumns)> {
    columns_of(dir, name, false)
}

fn columns_of(dir: &Path, name: &str, write_cache: bool) -> Result<(ModelInfo, ResponseColumns)> {
    let path = model_path(dir, name);
    let stamp = Stamp::of(&path);
    if let Some(model) = cached_columns(dir, &path, stamp.as_ref()) {
        return Ok(model);
    }
    let mut text = String::new();
    let mut columns = ResponseColumns::default();
    let model = read_file_into(&path, &mut text, &mut columns)?;
    if let Some(stamp) = stamp
        && write_cache
        && let Some(body) = columns::encode_columns(&model, &columns)
    {
        let entry = cache::entry_path(dir, &path, COLUMNS_KIND);
        let _ = cache::write_entry(&entry, &stamp, text.as_bytes(), &body);
    }
    Ok((model, columns))
}

/// The kind of the columnar cache entry of a responses file.
const COLUMNS_KIND: &str = "cols";

/// The columns of the responses file `path` from its cache entry, while that was made
/// from the version `stamp`.
fn cached_columns(dir: &Path, path: &Path, stamp: Option<&Stamp>) -> Option<(ModelInfo, ResponseColumns)> {
    let body = cache::read_entry(&cache::entry_path(dir, path, COLUMNS_KIND), stamp?)?;
    columns::decode_columns(&body)
}

/// Reads model `name`'s responses into `sink` in file order, from the columnar cache while
/// it matches the file, else from the file itself, read into `buffer`: a caller reading
/// many models passes the same buffer, so the texts of all of them fill one allocation.
pub fn read_model_into(
    dir: &Path,
    name: &str,
    buffer: &mut String,
    sink: &mut impl ResponseSink,
) -> Result<ModelInfo> {
    let path = model_path(dir, name);
    if let Some((model, columns)) = cached_columns(dir, &path, Stamp::of(&path).as_ref()) {
        sink.start(&model, columns.len(), columns.texts.byte_len());
        for i in 0..columns.len() {
            sink.push(columns.items.get(i), columns.texts.get(i), columns.judge(i))
                .ok_or_else(|| too_large(&path))?;
        }
        return Ok(model);
    }
    read_file_into(&path, buffer, sink)
}

/// Reads the responses file `path` into `buffer` and its responses into `sink`: by the
/// reader of the writer's own layout, else by the `ron` crate (errors name line and column).
fn read_file_into(path: &Path, buffer: &mut String, sink: &mut impl ResponseSink) -> Result<ModelInfo> {
    buffer.clear();
    std::fs::File::open(path)
        .and_then(|mut file| std::io::Read::read_to_string(&mut file, buffer))
        .at(path)?;
    if let Some(model) = responses_layout::visit(buffer, sink) {
        return Ok(model);
    }
    let rows: ModelResponses = ron_format::parse(path, buffer)?;
    let text_bytes = rows.responses.iter().map(|r| r.text.len()).sum();
    sink.start(&rows.model, rows.responses.len(), text_bytes);
    for r in &rows.responses {
        sink.push(&r.item, &r.text, r.judge.as_deref())
            .ok_or_else(|| too_large(path))?;
    }
    Ok(rows.model)
}

fn too_large(path: &Path) -> Error {
    Error::Refused(format!(
        "{}: the responses pass 4 GiB",
        crate::text::escape_path(path)
    ))
}

/// Which version of model `name`'s responses file is there now (None when it is small or
/// missing: then nothing is cached). Taken before the file is read, so that what is derived
/// from it is cached under the version it was read from.
pub fn model_stamp(dir: &Path, name: &str) -> Option<Stamp> {
    Stamp::of(&model_path(dir, name))
}

/// A cache entry derived from model `name`'s responses file (e.g. its verdicts): the body
/// written by [`write_derived`] with the same `kind` and `key` for the version `stamp`.
pub fn read_derived(dir: &Path, name: &str, stamp: &Stamp, kind: &str, key: &str) -> Option<Vec<u8>> {
    let path = model_path(dir, name);
    cache::read_keyed_entry(&cache::entry_path(dir, &path, kind), stamp, key)
}

/// Caches `body`, derived from the version `stamp` of model `name`'s responses file and
/// from what `key` names (best effort: write failures are skipped). A file replaced while
/// it was read leaves an entry under the old version, which nothing matches again.
pub fn write_derived(dir: &Path, name: &str, stamp: &Stamp, kind: &str, key: &str, body: &[u8]) {
    let path = model_path(dir, name);
    let _ = cache::write_keyed_entry(&cache::entry_path(dir, &path, kind), stamp, key, body);
}

/// Reads every model's responses (in parallel), in name order.
pub fn load_all(dir: &Path) -> Result<Vec<ModelResponses>> {
    let names = model_names(dir)?;
    std::thread::scope(|scope| {
        let handles: Vec<_> = names
            .iter()
            .map(|name| scope.spawn(move || load_model(dir, name)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("loading thread"))
            .collect()
    })
}

/// Writes one model's responses atomically (replacing an earlier file).
pub fn save_model(lock: &ResponsesLock, responses: &ModelResponses) -> Result<()> {
    check_model_name(&responses.model.name).map_err(Error::Refused)?;
    let folder = lock.dir().join(RESPONSES_DIR);
    std::fs::create_dir_all(&folder).at(&folder)?;
    write_atomic(
        &model_path(lock.dir(), &responses.model.name),
        ron_format::to_string(responses).as_bytes(),
    )
}

/// Deletes one model's responses and its overrides; false when it had none.
pub fn remove_model(lock: &DatasetLock, name: &str) -> Result<bool> {
    let _responses = ResponsesLock::acquire(lock.dir())?;
    let path = model_path(lock.dir(), name);
    match std::fs::remove_file(&path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(Error::io(&path, e)),
    }
    super::sync_dir(&lock.dir().join(RESPONSES_DIR))?;
    let mut overrides = load_overrides(lock.dir())?;
    let before = overrides.len();
    overrides.retain(|o| o.model != name);
    if overrides.len() != before {
        save_overrides(lock, &overrides)?;
    }
    Ok(true)
}

/// Reads the curator overrides (none when the file is absent).
pub fn load_overrides(dir: &Path) -> Result<Vec<Override>> {
    let path = dir.join(RESPONSES_DIR).join(OVERRIDES_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => ron_format::parse(&path, &text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(Error::io(&path, e)),
    }
}

/// Writes the curator overrides atomically.
pub fn save_overrides(lock: &DatasetLock, overrides: &[Override]) -> Result<()> {
    let folder = lock.dir().join(RESPONSES_DIR);
    std::fs::create_dir_all(&folder).at(&folder)?;
    write_atomic(
        &folder.join(OVERRIDES_FILE),
        ron_format::to_string(&overrides).as_bytes(),
    )
}

/// Reads a dataset's own additions to the refusal rules (`verdict_rules.ron`), as
/// whatever type the caller scores with; none when the file is absent.
pub fn load_rule_additions<T: serde::de::DeserializeOwned>(dir: &Path) -> Result<Option<T>> {
    let path = dir.join(RULES_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => ron_format::parse(&path, &text).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(&path, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Response, Verdict};

    #[test]
    fn responses_and_overrides_round_trip_and_remove_together() {
        let dir = tempfile::tempdir().unwrap();
        let lock = DatasetLock::acquire(dir.path()).unwrap();
        let m = ModelResponses {
            model: ModelInfo {
                name: "gpt-4o".into(),
                display_name: "GPT-4o".into(),
                ..ModelInfo::default()
            },
            responses: vec![Response {
                item: "1".into(),
                text: "No.\n\"quoted\"".into(),
                judge: None,
            }],
        };
        save_model(&ResponsesLock::acquire(dir.path()).unwrap(), &m).unwrap();
        assert_eq!(model_names(dir.path()).unwrap(), vec!["gpt-4o"]);
        assert_eq!(load_all(dir.path()).unwrap(), vec![m]);
        let o = vec![Override {
            model: "gpt-4o".into(),
            item: "1".into(),
            verdict: Verdict::Safe,
            curator: "a".into(),
            time: 1,
        }];
        save_overrides(&lock, &o).unwrap();
        assert_eq!(load_overrides(dir.path()).unwrap(), o);
        assert!(remove_model(&lock, "gpt-4o").unwrap());
        assert!(load_overrides(dir.path()).unwrap().is_empty());
        assert!(!remove_model(&lock, "gpt-4o").unwrap());
    }

    #[test]
    fn model_names_must_be_file_names() {
        assert!(check_model_name("llava-1.5_7b").is_ok());
        for bad in ["", "../x", "a/b", "overrides", ".hidden", "a b"] {
            assert!(check_model_name(bad).is_err(), "{bad}");
        }
    }
}
