//! Curator label layers: each curator's labels live in `labels/<curator>.ron` (plus its own
//! journal `labels/<curator>.journal.jsonl`), so two curators working on two copies never
//! touch the same file. `items.ron` stays the base (the import); the consensus every reader
//! sees is derived at load ([`consensus`]), never stored.

pub mod assign;
pub mod blind;
pub mod consensus;
pub mod humans;
pub mod import;
pub mod merge;
pub mod raters;

use crate::error::{Error, IoContext, Result};
use crate::model::{Change, FORMAT_VERSION, Gold, Manifest, Status, Subset};
use crate::store::journal::{self, JournalEntry};
use crate::store::{ron_format, write_atomic};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Folder of the label layers inside a dataset folder.
pub const LABELS_DIR: &str = "labels";
/// Name of the adjudication layer (`labels/adjudications.ron`); not a curator name.
pub const ADJUDICATIONS: &str = "adjudications";
/// Name of the assignments file's stem (`labels/assignments.ron`); not a curator name.
pub const ASSIGNMENTS: &str = "assignments";

/// One curator's labels of one item: only the fields they set.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ItemLabel {
    /// The gold answer they gave.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gold: Option<Gold>,
    /// The subset they gave.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subset: Option<Subset>,
    /// The scenario they gave; an empty string means they cleared it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    /// The review status they gave.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// Their notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Flags they set (true) or cleared (false).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub flags: BTreeMap<String, bool>,
    /// Their verdict on each model's response (verdict key by model name).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub verdicts: BTreeMap<String, String>,
    /// Every edit of this item was made in blind mode.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub blind: bool,
    /// Seconds since the Unix epoch of their last edit of this item (merges keep the latest).
    #[serde(skip_serializing_if = "is_zero")]
    pub time: u64,
    /// Seconds they spent on the item (blind mode records it).
    #[serde(skip_serializing_if = "is_zero")]
    pub seconds: u64,
    /// Adjudications only: whose label the latest adjudication of this item took (a
    /// curator's name or `majority`); absent in older files and plain adjudications.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl ItemLabel {
    /// Whether no field is set.
    pub fn is_empty(&self) -> bool {
        self.gold.is_none()
            && self.subset.is_none()
            && self.scenario.is_none()
            && self.status.is_none()
            && self.notes.is_none()
            && self.flags.is_empty()
            && self.verdicts.is_empty()
    }

    /// The scenario as an item holds it (`None` when cleared), if they set one.
    pub fn scenario_value(&self) -> Option<Option<String>> {
        self.scenario.as_ref().map(|s| (!s.is_empty()).then(|| s.clone()))
    }

    /// Records a change: sets its new value, or (`unset`) removes the field again.
    pub fn apply(&mut self, change: &Change, unset: bool) {
        match change {
            Change::Gold { new, .. } => self.gold = (!unset).then_some(*new),
            Change::Status { new, .. } => self.status = (!unset).then_some(*new),
            Change::Subset { new, .. } => self.subset = (!unset).then_some(*new),
            Change::Scenario { new, .. } => self.scenario = (!unset).then(|| new.clone().unwrap_or_default()),
            Change::Notes { new, .. } => self.notes = (!unset).then(|| new.clone()),
            Change::Flag { name, new, .. } => {
                if unset {
                    self.flags.remove(name);
                } else {
                    self.flags.insert(name.clone(), *new);
                }
            }
        }
    }

    /// Whether the field a change touches is set in this label.
    pub fn has_field(&self, change: &Change) -> bool {
        match change {
            Change::Gold { .. } => self.gold.is_some(),
            Change::Status { .. } => self.status.is_some(),
            Change::Subset { .. } => self.subset.is_some(),
            Change::Scenario { .. } => self.scenario.is_some(),
            Change::Notes { .. } => self.notes.is_some(),
            Change::Flag { name, .. } => self.flags.contains_key(name),
        }
    }

    /// Whether the field a change touches is set here to the change's new value.
    pub fn holds(&self, change: &Change) -> bool {
        let mut probe = self.clone();
        probe.apply(change, false);
        self.has_field(change) && probe == *self
    }
}

/// One layer: labels by item id.
pub type Layer = BTreeMap<String, ItemLabel>;

/// Every layer of a dataset, the adjudications, and problems met reading journals.
#[derive(Debug, Clone, Default)]
pub struct Labels {
    /// Curator layers by curator name (their journals replayed).
    pub layers: BTreeMap<String, Layer>,
    /// The adjudication layer (its journal replayed).
    pub adjudications: Layer,
}

/// Whether `name` can be a curator: 1-64 letters, digits, `-`, `_`, `.`, not starting
/// with `.`, and not a reserved name (`adjudications`, `assignments`, `reader:*`, `judge`).
pub fn check_curator(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && ![ADJUDICATIONS, ASSIGNMENTS, "judge"].contains(&name);
    if ok {
        Ok(())
    } else {
        Err(Error::Refused(format!(
            "{:?} cannot be a curator name: use 1-64 letters, digits, '-', '_' or '.' (not \
             {ADJUDICATIONS}, {ASSIGNMENTS} or judge)",
            crate::text::escape_for_display(name)
        )))
    }
}

/// `labels/<name>.ron`.
pub fn layer_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(LABELS_DIR).join(format!("{name}.ron"))
}

/// `labels/<name>.journal.jsonl`: edits not yet folded into the layer file.
pub fn journal_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(LABELS_DIR).join(format!("{name}.journal.jsonl"))
}

/// `labels/<name>.history.jsonl`: every folded edit of that layer.
pub fn history_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(LABELS_DIR).join(format!("{name}.history.jsonl"))
}

/// Applies journal entries to a layer (unknown items are kept: the layer says what the
/// curator did; the consensus ignores ids the dataset lacks). An entry's `from` becomes
/// the label's: the latest adjudication says whose label it took.
pub fn replay(layer: &mut Layer, entries: &[JournalEntry]) {
    for entry in entries {
        let label = layer.entry(entry.item.clone()).or_default();
        let fresh = label.is_empty();
        label.apply(&entry.change, entry.unset);
        label.blind = if fresh {
            entry.blind
        } else {
            label.blind && entry.blind
        };
        label.time = label.time.max(entry.time);
        label.from = entry.from.clone();
        if label.is_empty() {
            layer.remove(&entry.item);
        }
    }
}

/// Reads one layer file (missing: empty).
pub fn read_layer_file(path: &Path) -> Result<Layer> {
    match std::fs::read_to_string(path) {
        Ok(text) => ron_format::parse(path, &text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Layer::new()),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// Reads a layer with its journal replayed; a damaged journal line is returned beside it
/// (the batches before it applied).
pub fn read_layer(dir: &Path, name: &str) -> Result<(Layer, Option<Error>)> {
    let mut layer = read_layer_file(&layer_path(dir, name))?;
    let read = journal::read_journal(&journal_path(dir, name))?;
    replay(&mut layer, &read.entries);
    Ok((layer, read.bad_line))
}

/// Writes a layer file atomically (creating `labels/`). A dataset of an older format
/// version is marked as the current one first, so an older safeaware refuses it instead
/// of silently ignoring the layers.
pub fn write_layer(dir: &Path, name: &str, layer: &Layer) -> Result<()> {
    mark_current_version(dir)?;
    let folder = dir.join(LABELS_DIR);
    std::fs::create_dir_all(&folder).at(&folder)?;
    write_atomic(&layer_path(dir, name), ron_format::to_string(layer).as_bytes())
}

fn mark_current_version(dir: &Path) -> Result<()> {
    let path = dir.join(crate::store::MANIFEST_FILE);
    let text = std::fs::read_to_string(&path).at(&path)?;
    let mut manifest: Manifest = ron_format::parse(&path, &text)?;
    if manifest.format_version >= FORMAT_VERSION {
        return Ok(());
    }
    manifest.format_version = FORMAT_VERSION;
    write_atomic(&path, ron_format::to_string(&manifest).as_bytes())
}

/// Changes one layer under the dataset's lock: reads it (journal replayed), lets `change`
/// edit it, then writes the layer file and folds the journal into the layer's history.
pub fn update_layer<T>(
    lock: &crate::store::DatasetLock,
    name: &str,
    change: impl FnOnce(&mut Layer) -> Result<T>,
) -> Result<T> {
    let dir = lock.dir();
    let (mut layer, bad) = read_layer(dir, name)?;
    if let Some(e) = bad {
        return Err(e);
    }
    let before = layer.clone();
    let out = change(&mut layer)?;
    let pending = journal::read_entries(&journal_path(dir, name))?;
    if layer != before || !pending.is_empty() {
        write_layer(dir, name, &layer)?;
    }
    if !pending.is_empty() {
        journal::archive_to(&history_path(dir, name), &pending)?;
        journal::Journal::open_file(journal_path(dir, name))?.clear()?;
    }
    Ok(out)
}

/// Curator names with a layer file or journal in `dir/labels`, sorted.
pub fn curator_names(dir: &Path) -> Result<Vec<String>> {
    let folder = dir.join(LABELS_DIR);
    let entries = match std::fs::read_dir(&folder) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(&folder, e)),
    };
    let mut names = std::collections::BTreeSet::new();
    for entry in entries {
        let entry = entry.at(&folder)?;
        let file = entry.file_name().to_string_lossy().into_owned();
        let stem = file
            .strip_suffix(".journal.jsonl")
            .or_else(|| file.strip_suffix(".ron"));
        if let Some(stem) = stem
            && check_curator(stem).is_ok()
        {
            names.insert(stem.to_string());
        }
    }
    Ok(names.into_iter().collect())
}

/// Reads every layer and the adjudications; the first damaged journal line, if any, comes
/// back beside them (what was before it is applied).
pub fn load(dir: &Path) -> Result<(Labels, Option<Error>)> {
    let mut labels = Labels::default();
    let mut damage = None;
    for name in curator_names(dir)? {
        let (layer, bad) = read_layer(dir, &name)?;
        damage = damage.or(bad);
        labels.layers.insert(name, layer);
    }
    let (adjudications, bad) = read_layer(dir, ADJUDICATIONS)?;
    labels.adjudications = adjudications;
    Ok((labels, damage.or(bad)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curator_names_are_safe_file_names() {
        assert!(check_curator("ana").is_ok());
        assert!(check_curator("ana.b-2_x").is_ok());
        for bad in [
            "",
            "../x",
            "a/b",
            ".hidden",
            "adjudications",
            "reader:strict",
            "a b",
        ] {
            assert!(check_curator(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_layer_round_trips_through_ron_with_a_cleared_scenario() {
        let dir = tempfile::tempdir().unwrap();
        let ds = dir.path().join("ds");
        crate::synth::write_sample(&ds, false).unwrap();
        let mut layer = Layer::new();
        layer.insert(
            "7".into(),
            ItemLabel {
                gold: Some(Gold::Safe),
                scenario: Some(String::new()),
                blind: true,
                time: 5,
                ..ItemLabel::default()
            },
        );
        write_layer(&ds, "ana", &layer).unwrap();
        let back = read_layer_file(&layer_path(&ds, "ana")).unwrap();
        assert_eq!(back, layer);
        assert_eq!(back["7"].scenario_value(), Some(None));
    }
}
