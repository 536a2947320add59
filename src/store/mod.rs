//! A dataset folder on disk: load with precise errors, save atomically under a lock.
//!
//! Layout: `manifest.ron`, `items.ron`, `images/`, `responses/`, `views.ron` (saved filters), the edit
//! journal `journal.jsonl` and its archive `history.jsonl`, and the lock `.safeaware.lock`.

mod atomic;
pub mod cache;
pub mod columns;
pub mod items_layout;
pub mod journal;
mod layout;
pub mod leftovers;
mod lock;
pub mod responses;
mod responses_layout;
pub mod ron_format;
mod views;

pub use crate::model::LockHolder;
pub use atomic::{sync_dir, write_atomic};
pub use lock::{DatasetLock, LOCK_FILE, RESPONSES_LOCK_FILE, ResponsesLock};
pub use views::{VIEWS_FILE, load_views, save_views};

use crate::error::{Error, IoContext, Result};
use crate::model::{Dataset, FORMAT_VERSION, Item, Items, Manifest};
use std::collections::{BTreeSet, HashMap};
use std::path::{Component, Path};

/// File name of the manifest inside a dataset folder.
pub const MANIFEST_FILE: &str = "manifest.ron";
/// File name of the items file inside a dataset folder.
pub const ITEMS_FILE: &str = "items.ron";
/// Folder for images inside a dataset folder.
pub const IMAGES_DIR: &str = "images";

/// Seconds since the Unix epoch (0 if the clock is before it), for journal entries,
/// overrides and the lock.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Serializes a value in safeaware's RON style (deterministic, ends with a newline).
pub fn to_ron_string<T: serde::Serialize>(value: &T) -> String {
    ron_format::to_string(value)
}

/// Whether `dir` looks like a safeaware dataset (it has a manifest).
pub fn is_dataset(dir: &Path) -> bool {
    dir.join(MANIFEST_FILE).is_file()
}

/// Reads a dataset folder; errors name the file, line, column and item.
pub fn load(dir: &Path) -> Result<Dataset> {
    let manifest_path = dir.join(MANIFEST_FILE);
    if !manifest_path.exists() {
        let what = if dir.is_dir() {
            "is not a safeaware dataset (no manifest.ron)"
        } else {
            "does not exist"
        };
        return Err(Error::Refused(format!("{} {what}", dir.display())));
    }
    let manifest_text = std::fs::read_to_string(&manifest_path).at(&manifest_path)?;
    let manifest: Manifest = ron_format::parse(&manifest_path, &manifest_text)?;
    if manifest.format_version > FORMAT_VERSION {
        return Err(Error::Invalid {
            path: manifest_path,
            line: None,
            item: None,
            message: format!(
                "format_version {} is newer than this safeaware reads ({FORMAT_VERSION}); upgrade safeaware",
                manifest.format_version
            ),
        });
    }
    let items_path = dir.join(ITEMS_FILE);
    let items: Items = cache::load_fast_or_cached(dir, &items_path, items_layout::read)?;
    if check_items(&items_path, "", &items).is_err() {
        // Read the text only now, so that the error names the line.
        let items_text = std::fs::read_to_string(&items_path).at(&items_path)?;
        check_items(&items_path, &items_text, &items)?;
    }
    Ok(Dataset::new(manifest, items))
}

/// Writes the manifest and items of `dataset` into the locked folder, each file atomically.
/// Saving the same dataset twice gives byte-identical files.
pub fn save(lock: &DatasetLock, dataset: &Dataset) -> Result<()> {
    write_files(lock.dir(), dataset)
}

/// Writes manifest and items into `dir` (atomically per file).
pub fn write_files(dir: &Path, dataset: &Dataset) -> Result<()> {
    write_both(dir, dataset, write_atomic)
}

/// Writes manifest and items into `dir`, a new folder that nothing reads until its
/// builder (an importer or generator, see `import::Staging`) syncs it and renames it into
/// place: each file is written and fsync'd where it lies, with no temp file, rename or
/// folder sync of its own.
pub fn write_new_files(dir: &Path, dataset: &Dataset) -> Result<()> {
    write_both(dir, dataset, atomic::write_new)
}

/// Checks the items, then writes the two files side by side with `write`.
fn write_both(dir: &Path, dataset: &Dataset, write: fn(&Path, &[u8]) -> Result<()>) -> Result<()> {
    let items_path = dir.join(ITEMS_FILE);
    check_items(&items_path, "", &dataset.items)?;
    let (manifest, items) = std::thread::scope(|scope| {
        let manifest = scope.spawn(|| {
            write(
                &dir.join(MANIFEST_FILE),
                ron_format::to_string(&dataset.manifest).as_bytes(),
            )
        });
        let items = write(&items_path, items_layout::write(dataset.items.iter()).as_bytes());
        let manifest = manifest
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (manifest, items)
    });
    manifest.and(items)
}

/// The folders of a dataset that hold images: `images/` and the first folder of every
/// item's image path (a release imported with `--images link` keeps `images2/` beside
/// `images/`, each a link to the release's own folder). Sorted, each once.
pub fn image_folders<'a>(items: impl IntoIterator<Item = &'a Item>) -> BTreeSet<String> {
    let mut folders = BTreeSet::from([IMAGES_DIR.to_string()]);
    for image in items.into_iter().filter_map(|i| i.image.as_ref()) {
        if let Some((folder, _)) = image.path.split_once('/')
            && !folders.contains(folder)
        {
            folders.insert(folder.to_string());
        }
    }
    folders
}

/// Refuses to write at `target` when it lies inside a folder of the dataset at `dir` that
/// is a symlink (a release's image folder linked by `--images link`): writing there would
/// change the release itself, which safeaware only ever reads. `target` need not exist;
/// its nearest existing ancestor is resolved.
pub fn refuse_write_through_links(dir: &Path, target: &Path) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    let Some(resolved) = resolve_existing_prefix(target) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let is_link = entry.file_type().is_ok_and(|t| t.is_symlink());
        let Some(linked) = is_link
            .then(|| std::fs::canonicalize(entry.path()).ok())
            .flatten()
        else {
            continue;
        };
        if resolved.starts_with(&linked) {
            return Err(Error::Refused(format!(
                "{} is inside {}, a link to {} (the source's own folder); safeaware never \
                 writes into a linked source: choose a folder outside it",
                crate::text::escape_path(target),
                crate::text::escape_path(&entry.path()),
                crate::text::escape_path(&linked)
            )));
        }
    }
    Ok(())
}

/// `path` with its nearest existing ancestor resolved (symlinks followed) and the rest
/// appended as given; `None` when nothing of it can be resolved.
fn resolve_existing_prefix(path: &Path) -> Option<std::path::PathBuf> {
    let absolute = std::path::absolute(path).ok()?;
    let mut rest = Vec::new();
    let mut current = absolute.as_path();
    loop {
        if let Ok(real) = std::fs::canonicalize(current) {
            return Some(rest.iter().rev().fold(real, |p, name| p.join(name)));
        }
        rest.push(current.file_name()?.to_os_string());
        current = current.parent()?;
    }
}

/// Rules every items file obeys: non-empty unique ids, image paths inside the folder.
fn check_items<'a>(path: &Path, text: &str, items: impl IntoIterator<Item = &'a Item>) -> Result<()> {
    let items = items.into_iter();
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(items.size_hint().0);
    let invalid = |item: &Item, message: String| Error::Invalid {
        path: path.to_path_buf(),
        line: ron_format::line_of_item(text, &item.id),
        item: Some(item.id.clone()),
        message,
    };
    for (index, item) in items.enumerate() {
        if item.id.trim().is_empty() {
            return Err(Error::Invalid {
                path: path.to_path_buf(),
                line: None,
                item: None,
                message: format!("item number {} has an empty id", index + 1),
            });
        }
        if let Some(first) = seen.insert(&item.id, index) {
            return Err(invalid(
                item,
                format!("duplicate id (items number {} and {})", first + 1, index + 1),
            ));
        }
        if let Some(image) = &item.image
            && let Err(why) = check_relative_path(&image.path)
        {
            return Err(invalid(item, format!("image path {:?} {why}", image.path)));
        }
    }
    Ok(())
}

/// Accepts only plain relative paths that stay inside the dataset folder.
pub fn check_relative_path(path: &str) -> Result<(), &'static str> {
    if path.is_empty() {
        return Err("is empty");
    }
    if path.contains('\\') {
        return Err("uses a backslash; use / as the separator");
    }
    let p = Path::new(path);
    for component in p.components() {
        match component {
            Component::Normal(_) => {}
            Component::CurDir => {}
            Component::ParentDir => return Err("escapes the dataset folder (..)"),
            Component::RootDir | Component::Prefix(_) => {
                return Err("is absolute; it must be relative to the dataset folder");
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_the_dataset_are_refused() {
        assert!(check_relative_path("images/1.png").is_ok());
        assert!(check_relative_path("../secret.png").is_err());
        assert!(check_relative_path("images/../../x.png").is_err());
        assert!(check_relative_path("/etc/passwd").is_err());
        assert!(check_relative_path("images\\1.png").is_err());
        assert!(check_relative_path("").is_err());
    }
}
