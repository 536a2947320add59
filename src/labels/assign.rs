//! Assignments (`labels/assignments.ron`: item ids per curator) and each curator's progress.

use super::{ASSIGNMENTS, LABELS_DIR, Labels};
use crate::error::{Error, IoContext, Result};
use crate::model::{Dataset, Subset};
use crate::store::{DatasetLock, ron_format, write_atomic};
use rand::SeedableRng;
use rand::seq::SliceRandom;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// Item ids per curator, in dataset order.
pub type Assignments = BTreeMap<String, Vec<String>>;

/// `labels/assignments.ron`.
pub fn path(dir: &Path) -> std::path::PathBuf {
    dir.join(LABELS_DIR).join(format!("{ASSIGNMENTS}.ron"))
}

/// Gives every item to `overlap` distinct curators, balanced within each subset: items of
/// a subset go round the curators in a seeded random order, so each curator gets the same
/// number of each subset (within one).
pub fn assign(dataset: &Dataset, curators: &[String], overlap: usize, seed: u64) -> Result<Assignments> {
    for c in curators {
        super::check_curator(c)?;
    }
    let mut unique = curators.to_vec();
    unique.sort();
    unique.dedup();
    if unique.len() != curators.len() || curators.is_empty() {
        return Err(Error::Refused("name each curator once: --curators a,b,c".into()));
    }
    if overlap == 0 || overlap > curators.len() {
        return Err(Error::Refused(format!(
            "--overlap must be between 1 and the number of curators ({})",
            curators.len()
        )));
    }
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut chosen: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut turn = 0usize;
    for subset in Subset::ALL {
        let mut members: Vec<usize> = (0..dataset.items.len())
            .filter(|&i| dataset.items[i].subset == subset)
            .collect();
        members.shuffle(&mut rng);
        for i in members {
            let who = (0..overlap).map(|t| (turn + t) % curators.len()).collect();
            chosen.insert(i, who);
            turn += overlap;
        }
    }
    let mut out: Assignments = curators.iter().map(|c| (c.clone(), Vec::new())).collect();
    for (i, who) in chosen {
        for c in who {
            if let Some(list) = out.get_mut(&curators[c]) {
                list.push(dataset.items[i].id.clone());
            }
        }
    }
    Ok(out)
}

/// Writes the assignments atomically under the dataset's lock.
pub fn save(lock: &DatasetLock, assignments: &Assignments) -> Result<()> {
    let folder = lock.dir().join(LABELS_DIR);
    std::fs::create_dir_all(&folder).at(&folder)?;
    write_atomic(&path(lock.dir()), ron_format::to_string(assignments).as_bytes())
}

/// Reads the assignments (none when the file is absent).
pub fn load(dir: &Path) -> Result<Assignments> {
    let p = path(dir);
    match std::fs::read_to_string(&p) {
        Ok(text) => ron_format::parse(&p, &text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Assignments::new()),
        Err(e) => Err(Error::io(&p, e)),
    }
}

/// Done and assigned counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Count {
    /// Assigned items this curator labeled.
    pub done: usize,
    /// Items assigned.
    pub assigned: usize,
}

/// One curator's progress on their assignment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Progress {
    /// The curator.
    pub curator: String,
    /// Over all their items.
    pub total: Count,
    /// Per subset key.
    pub subsets: BTreeMap<&'static str, Count>,
    /// Items they label per hour (recorded time per item, else the span of their edits).
    pub items_per_hour: Option<f64>,
    /// Hours left at that rate.
    pub hours_left: Option<f64>,
}

/// Progress of every assigned curator (and of curators with labels but no assignment,
/// whose "assigned" is what they labeled).
pub fn progress(dataset: &Dataset, labels: &Labels, assignments: &Assignments) -> Vec<Progress> {
    let mut names: Vec<&String> = assignments.keys().chain(labels.layers.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .map(|name| {
            let layer = labels.layers.get(name);
            let labeled: Vec<String> = layer.map(|l| l.keys().cloned().collect()).unwrap_or_default();
            let ids = assignments.get(name).unwrap_or(&labeled);
            let mut p = Progress {
                curator: name.clone(),
                total: Count::default(),
                subsets: BTreeMap::new(),
                items_per_hour: None,
                hours_left: None,
            };
            let (mut seconds, mut first, mut last) = (0u64, u64::MAX, 0u64);
            for id in ids {
                let Some(i) = dataset.position(id) else { continue };
                let label = layer.and_then(|l| l.get(id));
                let done = label.is_some_and(|l| !l.is_empty());
                let entry = p.subsets.entry(dataset.items[i].subset.key()).or_default();
                entry.assigned += 1;
                p.total.assigned += 1;
                if done {
                    entry.done += 1;
                    p.total.done += 1;
                }
                if let Some(l) = label {
                    seconds += l.seconds;
                    if l.time > 0 {
                        first = first.min(l.time);
                        last = last.max(l.time);
                    }
                }
            }
            let hours = if seconds > 0 {
                seconds as f64 / 3600.0
            } else if last > first {
                (last - first) as f64 / 3600.0
            } else {
                0.0
            };
            if hours > 0.0 && p.total.done > 0 {
                let rate = p.total.done as f64 / hours;
                p.items_per_hour = Some(rate);
                p.hours_left = Some((p.total.assigned - p.total.done) as f64 / rate);
            }
            p
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_goes_to_k_curators_balanced_per_subset() {
        let dir = tempfile::tempdir().unwrap();
        let ds = dir.path().join("ds");
        crate::synth::write_sample(&ds, false).unwrap();
        let d = crate::store::load(&ds).unwrap();
        let names: Vec<String> = ["ana", "bob", "cy"].map(String::from).to_vec();
        let a = assign(&d, &names, 2, 7).unwrap();
        let total: usize = a.values().map(Vec::len).sum();
        assert_eq!(total, 2 * d.items.len());
        for subset in Subset::ALL {
            let counts: Vec<usize> = a
                .values()
                .map(|ids| {
                    ids.iter()
                        .filter(|id| d.items[d.position(id).unwrap()].subset == subset)
                        .count()
                })
                .collect();
            let (lo, hi) = (counts.iter().min().unwrap(), counts.iter().max().unwrap());
            assert!(hi - lo <= 1, "{subset}: {counts:?}");
        }
        assert_eq!(a, assign(&d, &names, 2, 7).unwrap(), "seeded");
        assert!(assign(&d, &names, 4, 7).is_err());
    }
}
