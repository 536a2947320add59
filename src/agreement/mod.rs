//! Inter-rater agreement: who labeled what (a [`Ratings`] table of units x raters),
//! and the statistics reviewers ask for (raw agreement, Cohen's kappa per pair with its
//! confusion matrix, Fleiss' kappa, Krippendorff's alpha, bootstrap intervals, coverage).
//! Raters may be curators, readers (`reader:strict`) or annotator columns of any file.

pub mod bootstrap;
pub mod patterns;
pub mod stats;
pub mod table;

use patterns::Patterns;

use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Labels of several raters on a set of units, categories interned to small integers.
#[derive(Debug, Clone, Default)]
pub struct Ratings {
    raters: Vec<String>,
    units: Vec<String>,
    categories: Vec<String>,
    category_index: HashMap<String, u32>,
    cells: Vec<Option<u32>>,
}

impl Ratings {
    /// An empty table for these raters (in the order labels are pushed).
    pub fn new(raters: Vec<String>) -> Ratings {
        Ratings {
            raters,
            ..Ratings::default()
        }
    }

    /// Adds one unit with one optional label per rater (missing where a rater did not label
    /// it). Panics in debug builds if the label count differs from the rater count.
    pub fn push(&mut self, unit: &str, labels: &[Option<&str>]) {
        debug_assert_eq!(labels.len(), self.raters.len());
        self.units.push(unit.to_string());
        for label in labels {
            let cell = label.map(|l| self.intern(l));
            self.cells.push(cell);
        }
    }

    fn intern(&mut self, label: &str) -> u32 {
        if let Some(&i) = self.category_index.get(label) {
            return i;
        }
        let i = self.categories.len() as u32;
        self.categories.push(label.to_string());
        self.category_index.insert(label.to_string(), i);
        i
    }

    /// The same table with categories in sorted order, so confusion matrices read the
    /// same whatever order the labels came in.
    pub fn with_sorted_categories(mut self) -> Ratings {
        let mut order: Vec<u32> = (0..self.categories.len() as u32).collect();
        order.sort_by(|&a, &b| self.categories[a as usize].cmp(&self.categories[b as usize]));
        let mut new_index = vec![0u32; order.len()];
        for (new, &old) in order.iter().enumerate() {
            new_index[old as usize] = new as u32;
        }
        for cell in self.cells.iter_mut().flatten() {
            *cell = new_index[*cell as usize];
        }
        self.categories = order
            .iter()
            .map(|&old| self.categories[old as usize].clone())
            .collect();
        self.category_index = self.categories.iter().cloned().zip(0u32..).collect();
        self
    }

    /// The raters, in column order.
    pub fn raters(&self) -> &[String] {
        &self.raters
    }

    /// The unit ids, in row order.
    pub fn units(&self) -> &[String] {
        &self.units
    }

    /// Every category seen, in first-seen order (the confusion matrices' order).
    pub fn categories(&self) -> &[String] {
        &self.categories
    }

    /// One unit's labels (category indices), one slot per rater.
    pub fn row(&self, unit: usize) -> &[Option<u32>] {
        let width = self.raters.len();
        &self.cells[unit * width..(unit + 1) * width]
    }

    /// The label rater `rater` gave unit `unit`, as text.
    pub fn label(&self, unit: usize, rater: usize) -> Option<&str> {
        self.row(unit)[rater].map(|c| self.categories[c as usize].as_str())
    }

    /// Keeps only the given raters (by name, in the given order); unknown names are
    /// returned as the error.
    pub fn select_raters(&self, names: &[String]) -> Result<Ratings, Vec<String>> {
        let mut columns = Vec::new();
        let mut unknown = Vec::new();
        for name in names {
            match self.raters.iter().position(|r| r == name) {
                Some(i) => columns.push(i),
                None => unknown.push(name.clone()),
            }
        }
        if !unknown.is_empty() {
            return Err(unknown);
        }
        let mut out = Ratings::new(names.to_vec());
        for u in 0..self.units.len() {
            let labels: Vec<Option<&str>> = columns.iter().map(|&c| self.label(u, c)).collect();
            out.push(&self.units[u], &labels);
        }
        Ok(out)
    }
}

/// How to measure: bootstrap resamples and the seed of their random stream.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Number of bootstrap resamples (0 turns the intervals off).
    pub resamples: usize,
    /// Seed of the resampling stream: the same data and seed give the same intervals.
    pub seed: u64,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            resamples: 1000,
            seed: 20250101,
        }
    }
}

/// Agreement of one pair of raters.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Pair {
    /// First rater (rows of the confusion matrix).
    pub a: String,
    /// Second rater (columns).
    pub b: String,
    /// Units both labeled.
    pub n: u64,
    /// Raw agreement in [0, 1] over those units.
    pub agreement: Option<f64>,
    /// Cohen's kappa (kappa units, not percent).
    pub cohen_kappa: Option<f64>,
    /// Bootstrap 95% interval of the kappa.
    pub ci95: Option<[f64; 2]>,
    /// confusion[i][j]: units a put in category i and b in category j (see `categories`).
    pub confusion: Vec<Vec<u64>>,
}

/// Every agreement figure for one set of units; serialises as `agree --format json`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Agreement {
    /// The labeled field (gold, scenario, verdict, or a file's column set).
    pub field: String,
    /// The model whose responses were judged, for verdicts.
    pub model: Option<String>,
    /// Whether every rater labeled blind (agreement with labels in view is inflated).
    pub blind: bool,
    /// Units measured.
    pub items: usize,
    /// The raters, in order.
    pub curators: Vec<String>,
    /// Number of units labeled by exactly k raters, keyed by k.
    pub coverage: BTreeMap<usize, usize>,
    /// The categories, in confusion-matrix order.
    pub categories: Vec<String>,
    /// Each pair of raters.
    pub pairs: Vec<Pair>,
    /// Fleiss' kappa over the units every rater labeled.
    pub fleiss_kappa: Option<f64>,
    /// Its bootstrap 95% interval.
    pub fleiss_ci95: Option<[f64; 2]>,
    /// Units every rater labeled (Fleiss' kappa is computed on these).
    pub fleiss_items: usize,
    /// Krippendorff's alpha (nominal; missing labels allowed).
    pub krippendorff_alpha: Option<f64>,
    /// Its bootstrap 95% interval.
    pub alpha_ci95: Option<[f64; 2]>,
}

/// Measures agreement over the units at `units` (indices into the table). The units are
/// grouped by their row of labels first, so each bootstrap resample is a count per
/// distinct row (same draws, same intervals as resampling the units themselves).
pub fn measure(ratings: &Ratings, units: &[usize], field: &str, options: Options) -> Agreement {
    let rows: Vec<&stats::Row> = (0..ratings.units.len()).map(|u| ratings.row(u)).collect();
    let patterns = Patterns::new(&rows);
    let k = ratings.categories.len();
    let counts = patterns.counts(units);
    let mut coverage = BTreeMap::new();
    for (pattern, &count) in counts.iter().enumerate() {
        if count > 0 {
            let labels = patterns.row(pattern).iter().flatten().count();
            *coverage.entry(labels).or_insert(0) += count as usize;
        }
    }
    let n_raters = ratings.raters.len();
    let pair_indices: Vec<(usize, usize)> = (0..n_raters)
        .flat_map(|a| (a + 1..n_raters).map(move |b| (a, b)))
        .collect();
    let complete: Vec<usize> = units
        .iter()
        .copied()
        .filter(|&u| rows[u].iter().all(Option::is_some))
        .collect();
    let fleiss_kappa = stats::fleiss_counts(&patterns, &patterns.counts(&complete), k);
    let krippendorff_alpha = stats::krippendorff_counts(&patterns, &counts, k);

    // The bootstrap intervals: independent seeded streams, so they run side by side.
    let all_rows = patterns.of_units(units);
    let complete_rows = patterns.of_units(&complete);
    let mut jobs: Vec<(Statistic, &[u32], u64)> = pair_indices
        .iter()
        .map(|&(a, b)| {
            (
                Statistic::Cohen(a, b),
                all_rows.as_slice(),
                (a * n_raters + b) as u64,
            )
        })
        .collect();
    if fleiss_kappa.is_some() {
        jobs.push((Statistic::Fleiss, &complete_rows, 1 << 20));
    }
    if krippendorff_alpha.is_some() {
        jobs.push((Statistic::Alpha, &all_rows, 1 << 21));
    }
    let mut intervals = crate::parallel::map(&jobs, |&(statistic, rows_of_units, seed_offset)| {
        bootstrap::bootstrap95_counts(
            rows_of_units,
            patterns.len(),
            options.resamples,
            options.seed.wrapping_add(seed_offset),
            |c| statistic.of(&patterns, c, k),
        )
    })
    .into_iter();
    let pairs: Vec<Pair> = pair_indices
        .iter()
        .map(|&(a, b)| {
            let pair = stats::cohen_counts(&patterns, &counts, a, b, k);
            Pair {
                a: ratings.raters[a].clone(),
                b: ratings.raters[b].clone(),
                n: pair.n,
                agreement: pair.agreement,
                cohen_kappa: pair.kappa,
                ci95: intervals.next().flatten(),
                confusion: pair.confusion,
            }
        })
        .collect();
    let fleiss_ci95 = fleiss_kappa.and_then(|_| intervals.next().flatten());
    let alpha_ci95 = krippendorff_alpha.and_then(|_| intervals.next().flatten());
    Agreement {
        field: field.to_string(),
        model: None,
        blind: false,
        items: units.len(),
        curators: ratings.raters.clone(),
        coverage,
        categories: ratings.categories.clone(),
        pairs,
        fleiss_kappa,
        fleiss_ci95,
        fleiss_items: complete.len(),
        krippendorff_alpha,
        alpha_ci95,
    }
}

/// A statistic a bootstrap interval is computed for.
#[derive(Debug, Clone, Copy)]
enum Statistic {
    Cohen(usize, usize),
    Fleiss,
    Alpha,
}

impl Statistic {
    fn of(self, patterns: &Patterns, counts: &[u64], categories: usize) -> Option<f64> {
        match self {
            Statistic::Cohen(a, b) => stats::cohen_counts(patterns, counts, a, b, categories).kappa,
            Statistic::Fleiss => stats::fleiss_counts(patterns, counts, categories),
            Statistic::Alpha => stats::krippendorff_counts(patterns, counts, categories),
        }
    }
}

/// Measures agreement over every unit of the table.
pub fn measure_all(ratings: &Ratings, field: &str, options: Options) -> Agreement {
    let units: Vec<usize> = (0..ratings.units.len()).collect();
    measure(ratings, &units, field, options)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_curators() -> Ratings {
        let mut r = Ratings::new(vec!["ana".into(), "bo".into(), "cy".into()]);
        r.push("1", &[Some("safe"), Some("safe"), Some("safe")]);
        r.push("2", &[Some("unsafe"), Some("unsafe"), None]);
        r.push("3", &[Some("safe"), Some("unsafe"), Some("unsafe")]);
        r.push("4", &[Some("unsafe"), Some("unsafe"), Some("unsafe")]);
        r.push("5", &[None, None, Some("safe")]);
        r
    }

    #[test]
    fn pairs_coverage_and_fleiss_items_follow_who_labeled_what() {
        let a = measure_all(
            &two_curators(),
            "gold",
            Options {
                resamples: 200,
                seed: 3,
            },
        );
        assert_eq!(a.items, 5);
        assert_eq!(a.coverage, BTreeMap::from([(1, 1), (2, 1), (3, 3)]));
        assert_eq!(a.pairs.len(), 3);
        let ab = &a.pairs[0];
        assert_eq!((ab.a.as_str(), ab.b.as_str(), ab.n), ("ana", "bo", 4));
        assert_eq!(ab.agreement, Some(0.75));
        assert_eq!(a.categories, ["safe", "unsafe"]);
        assert_eq!(ab.confusion, vec![vec![1, 1], vec![0, 2]]);
        assert_eq!(a.fleiss_items, 3);
        assert!(a.krippendorff_alpha.is_some());
    }

    #[test]
    fn json_has_the_documented_fields_in_kappa_units() {
        let a = measure_all(
            &two_curators(),
            "gold",
            Options {
                resamples: 50,
                seed: 3,
            },
        );
        let v = serde_json::to_value(&a).unwrap();
        for key in [
            "field",
            "model",
            "blind",
            "items",
            "curators",
            "coverage",
            "pairs",
            "fleiss_kappa",
            "fleiss_ci95",
            "krippendorff_alpha",
            "alpha_ci95",
        ] {
            assert!(v.get(key).is_some(), "{key}");
        }
        let kappa = v["pairs"][0]["cohen_kappa"].as_f64().unwrap();
        assert!((-1.0..=1.0).contains(&kappa));
        assert!(v["pairs"][0]["confusion"].is_array());
    }

    #[test]
    fn selecting_raters_keeps_their_labels_and_names_unknown_ones() {
        let r = two_curators();
        let picked = r.select_raters(&["cy".into(), "ana".into()]).unwrap();
        assert_eq!(picked.raters(), ["cy", "ana"]);
        assert_eq!(picked.label(2, 0), Some("unsafe"));
        assert_eq!(picked.label(2, 1), Some("safe"));
        assert_eq!(
            r.select_raters(&["zed".into()]).unwrap_err(),
            vec!["zed".to_string()]
        );
    }
}
