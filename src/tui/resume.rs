//! Where the curator left off, per dataset: the item under the cursor and the filter,
//! stored in the XDG state folder (`~/.local/state/safeaware/cursors/<hash>.json`),
//! keyed by a hash of the dataset's canonical path; never in the dataset or the source tree.

use super::workspace::Workspace;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// What is remembered of a dataset between sessions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resume {
    /// The id of the item under the cursor.
    pub item: Option<String>,
    /// The filter text.
    pub filter: String,
}

/// The per-user state folder: XDG state, or the data folder where there is none.
pub fn state_dir() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "safeaware")?;
    Some(
        dirs.state_dir()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| dirs.data_dir().to_path_buf()),
    )
}

/// The file that holds `dataset`'s state inside `state_dir`.
pub fn state_file(state_dir: &Path, dataset: &Path) -> PathBuf {
    let canonical = dataset.canonicalize().unwrap_or_else(|_| dataset.to_path_buf());
    let hash = blake3::hash(canonical.as_os_str().as_encoded_bytes());
    state_dir
        .join("cursors")
        .join(format!("{}.json", &hash.to_hex()[..32]))
}

/// Reads the saved state of `dataset` (none when missing or unreadable).
pub fn load(state_dir: &Path, dataset: &Path) -> Option<Resume> {
    let text = std::fs::read_to_string(state_file(state_dir, dataset)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Saves the workspace's cursor item and filter for its dataset.
pub fn save(state_dir: &Path, ws: &Workspace) -> std::io::Result<()> {
    let resume = Resume {
        item: ws.current().map(|item| item.id.clone()),
        filter: ws.filter.clone(),
    };
    let path = state_file(state_dir, &ws.dir);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let text = serde_json::to_string(&resume).map_err(std::io::Error::other)?;
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, &path)
}

/// Puts the filter and cursor back as they were; a filter that no longer parses is
/// dropped, an item that is gone leaves the cursor at the top.
pub fn restore(ws: &mut Workspace, resume: &Resume) {
    if !resume.filter.trim().is_empty() && ws.apply_filter(&resume.filter).is_err() {
        ws.filter.clear();
    }
    if let Some(id) = &resume.item
        && let Some(i) = ws.dataset.position(id)
        && let Some(position) = ws.view.iter().position(|&v| v == i)
    {
        ws.move_to(position);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::tests::sample_state;

    #[test]
    fn the_cursor_and_filter_come_back_on_reopen() {
        let state = tempfile::tempdir().unwrap();
        let mut s = sample_state((120, 40));
        s.ws.apply_filter("subset:attack").unwrap();
        s.ws.move_to(2);
        let id = s.ws.current().unwrap().id.clone();
        save(state.path(), &s.ws).unwrap();
        let file = state_file(state.path(), &s.ws.dir);
        assert!(file.starts_with(state.path()), "state goes to the state folder");

        let mut reopened = sample_state((120, 40));
        let resume = load(state.path(), &reopened.ws.dir).expect("saved state");
        restore(&mut reopened.ws, &resume);
        assert_eq!(reopened.ws.filter, "subset:attack");
        assert_eq!(reopened.ws.current().unwrap().id, id);
    }

    #[test]
    fn missing_items_and_bad_filters_fall_back_quietly() {
        let mut s = sample_state((120, 40));
        let resume = Resume {
            item: Some("no such item".into()),
            filter: "subsett:attack".into(),
        };
        restore(&mut s.ws, &resume);
        assert_eq!((s.ws.cursor, s.ws.filter.as_str()), (0, ""));
    }
}
