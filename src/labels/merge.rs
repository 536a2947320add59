//! `safeaware merge DIR OTHER`: brings another copy's curator layers (and adjudications)
//! into this one. A curator only in OTHER comes in whole; the same curator in both is
//! merged per item, the later edit winning, and each such item is reported as a conflict.

use super::{ADJUDICATIONS, Layer, read_layer};
use crate::error::{Error, Result};
use crate::store::journal::{self, JournalEntry};
use crate::store::{DatasetLock, write_atomic};
use serde::Serialize;
use std::path::Path;

/// What merging one layer did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LayerMerge {
    /// The curator (or `adjudications`).
    pub layer: String,
    /// Items only OTHER had, now here.
    pub added: usize,
    /// Items both had with different labels: the later edit was kept.
    pub conflicts: usize,
    /// Up to five conflicting item ids.
    pub conflict_examples: Vec<String>,
    /// Of the conflicts, how many took OTHER's label.
    pub taken_from_other: usize,
}

/// What a merge did, per layer that changed or conflicted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MergeReport {
    /// Layers in name order.
    pub layers: Vec<LayerMerge>,
    /// Labels in OTHER for ids this dataset does not have (kept in the layer, unused).
    pub unknown_ids: usize,
}

/// Merges one layer of OTHER into ours; returns the merged layer and what happened.
pub fn merge_layer(name: &str, mine: &Layer, other: &Layer) -> (Layer, LayerMerge) {
    let mut out = mine.clone();
    let mut report = LayerMerge {
        layer: name.to_string(),
        ..LayerMerge::default()
    };
    for (id, theirs) in other {
        match mine.get(id) {
            None => {
                out.insert(id.clone(), theirs.clone());
                report.added += 1;
            }
            Some(ours) if ours == theirs => {}
            Some(ours) => {
                report.conflicts += 1;
                if report.conflict_examples.len() < 5 {
                    report.conflict_examples.push(id.clone());
                }
                if theirs.time > ours.time {
                    out.insert(id.clone(), theirs.clone());
                    report.taken_from_other += 1;
                }
            }
        }
    }
    (out, report)
}

fn merged_history(dir: &Path, other: &Path, name: &str) -> Result<Option<Vec<JournalEntry>>> {
    let mine = journal::read_entries(&super::history_path(dir, name))?;
    let mut theirs = journal::read_entries(&super::history_path(other, name))?;
    theirs.extend(journal::read_entries(&super::journal_path(other, name))?);
    let mut extra: Vec<JournalEntry> = theirs.into_iter().filter(|e| !mine.contains(e)).collect();
    if extra.is_empty() {
        return Ok(None);
    }
    let mut all = mine;
    all.append(&mut extra);
    all.sort_by_key(|e| e.time);
    Ok(Some(all))
}

/// Merges OTHER's layers into `dir` (which the caller has locked). Our own pending layer
/// journals are folded first, so the written layer files hold everything.
pub fn merge(lock: &DatasetLock, other: &Path, known_ids: &dyn Fn(&str) -> bool) -> Result<MergeReport> {
    let dir = lock.dir();
    if !crate::store::is_dataset(other) {
        return Err(Error::Refused(format!(
            "{} is not a safeaware dataset (no manifest.ron)",
            crate::text::escape_path(other)
        )));
    }
    let mut names = super::curator_names(other)?;
    names.push(ADJUDICATIONS.to_string());
    let mut report = MergeReport::default();
    for name in names {
        let (theirs, bad) = read_layer(other, &name)?;
        if let Some(e) = bad {
            return Err(e);
        }
        report.unknown_ids += theirs.keys().filter(|id| !known_ids(id)).count();
        let layer_report = super::update_layer(lock, &name, |mine| {
            let (merged, layer_report) = merge_layer(&name, mine, &theirs);
            *mine = merged;
            Ok(layer_report)
        })?;
        if let Some(entries) = merged_history(dir, other, &name)? {
            let mut text = String::new();
            for e in &entries {
                text.push_str(&serde_json::to_string(e).map_err(|e| Error::Refused(e.to_string()))?);
                text.push('\n');
            }
            write_atomic(&super::history_path(dir, &name), text.as_bytes())?;
        }
        if layer_report.added > 0 || layer_report.conflicts > 0 {
            report.layers.push(layer_report);
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labels::ItemLabel;
    use crate::model::Gold;

    fn label(gold: Gold, time: u64) -> ItemLabel {
        ItemLabel {
            gold: Some(gold),
            time,
            ..ItemLabel::default()
        }
    }

    #[test]
    fn the_later_edit_wins_and_each_clash_is_reported() {
        let mine = Layer::from([
            ("1".into(), label(Gold::Safe, 10)),
            ("2".into(), label(Gold::Safe, 30)),
        ]);
        let theirs = Layer::from([
            ("1".into(), label(Gold::Unsafe, 20)),
            ("2".into(), label(Gold::Unsafe, 20)),
            ("3".into(), label(Gold::Unsafe, 5)),
        ]);
        let (merged, r) = merge_layer("ana", &mine, &theirs);
        assert_eq!(merged["1"].gold, Some(Gold::Unsafe));
        assert_eq!(merged["2"].gold, Some(Gold::Safe));
        assert_eq!(merged["3"].gold, Some(Gold::Unsafe));
        assert_eq!((r.added, r.conflicts, r.taken_from_other), (1, 2, 1));
        assert_eq!(r.conflict_examples, vec!["1", "2"]);
    }
}
