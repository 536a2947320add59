//! The agreement statistics themselves, on category indices: Cohen's kappa for a pair,
//! Fleiss' kappa over units every rater labeled, Krippendorff's alpha (nominal, missing
//! labels allowed).
//!
//! Each statistic is computed from counts of distinct label rows ([`Patterns`]), so a
//! bootstrap resample ([`super::bootstrap`]) costs one counter increment per drawn unit,
//! and integer sums keep the figures exact whatever order the units come in.

use super::patterns::Patterns;

/// One unit's labels: one slot per rater, `None` where that rater gave no label.
pub type Row = [Option<u32>];

/// Cohen's kappa of two raters over the units both labeled, with the raw agreement and
/// the confusion matrix (rows: rater a, columns: rater b). `None` kappa when chance
/// agreement is 1 (both raters used one and the same category throughout).
#[derive(Debug, Clone, PartialEq)]
pub struct PairCounts {
    /// Units both raters labeled.
    pub n: u64,
    /// Share of those units with the same label, in [0, 1].
    pub agreement: Option<f64>,
    /// Cohen's kappa.
    pub kappa: Option<f64>,
    /// confusion[i][j]: units rater a put in category i and rater b in j.
    pub confusion: Vec<Vec<u64>>,
}

/// Cohen's kappa and the confusion matrix for the units in `units` (indices into `rows`).
pub fn cohen(rows: &[&Row], units: &[usize], a: usize, b: usize, categories: usize) -> PairCounts {
    let patterns = Patterns::new(rows);
    cohen_counts(&patterns, &patterns.counts(units), a, b, categories)
}

/// Cohen's kappa of raters `a` and `b` from the number of units with each distinct row.
pub fn cohen_counts(
    patterns: &Patterns,
    counts: &[u64],
    a: usize,
    b: usize,
    categories: usize,
) -> PairCounts {
    let mut confusion = vec![vec![0u64; categories]; categories];
    let mut n = 0u64;
    for (pattern, &count) in counts.iter().enumerate() {
        let row = patterns.row(pattern);
        if let (Some(x), Some(y)) = (row[a], row[b]) {
            confusion[x as usize][y as usize] += count;
            n += count;
        }
    }
    let (agreement, kappa) = kappa_of(&confusion, n);
    PairCounts {
        n,
        agreement,
        kappa,
        confusion,
    }
}

/// Raw agreement and Cohen's kappa of a confusion matrix over `n` units (`None` for
/// both when `n` is 0; `None` kappa when chance agreement is 1).
pub fn kappa_of(confusion: &[Vec<u64>], n: u64) -> (Option<f64>, Option<f64>) {
    if n == 0 {
        return (None, None);
    }
    let total = n as f64;
    let observed = (0..confusion.len()).map(|k| confusion[k][k]).sum::<u64>() as f64 / total;
    let chance: f64 = (0..confusion.len())
        .map(|k| {
            let row: u64 = confusion[k].iter().sum();
            let column: u64 = confusion.iter().map(|r| r[k]).sum();
            (row as f64 / total) * (column as f64 / total)
        })
        .sum();
    let kappa = if (1.0 - chance).abs() < 1e-12 {
        None
    } else {
        Some((observed - chance) / (1.0 - chance))
    };
    (Some(observed), kappa)
}

/// How many raters gave each category in one row, and how many labels it has.
fn category_counts(row: &Row, per_category: &mut [u64]) -> u64 {
    per_category.fill(0);
    let mut labels = 0;
    for label in row.iter().flatten() {
        per_category[*label as usize] += 1;
        labels += 1;
    }
    labels
}

/// Fleiss' kappa over the units every rater labeled (the statistic assumes the same
/// number of ratings per unit). `None` with fewer than two raters, no such unit, or
/// when chance agreement is 1.
pub fn fleiss(rows: &[&Row], units: &[usize], categories: usize) -> Option<f64> {
    let patterns = Patterns::new(rows);
    fleiss_counts(&patterns, &patterns.counts(units), categories)
}

/// Fleiss' kappa from the number of units with each distinct row (rows with a missing
/// label are left out).
pub fn fleiss_counts(patterns: &Patterns, counts: &[u64], categories: usize) -> Option<f64> {
    let raters = patterns.width() as u64;
    if raters < 2 {
        return None;
    }
    let mut totals = vec![0u64; categories];
    let mut per_category = vec![0u64; categories];
    // Sum over units of the agreeing ordered rater pairs (sum of squares minus m).
    let mut agreeing_pairs = 0u64;
    let mut complete = 0u64;
    for (pattern, &count) in counts.iter().enumerate() {
        let row = patterns.row(pattern);
        if count == 0 || row.iter().any(Option::is_none) {
            continue;
        }
        category_counts(row, &mut per_category);
        let squares: u64 = per_category.iter().map(|c| c * c).sum();
        agreeing_pairs += count * (squares - raters);
        for (t, c) in totals.iter_mut().zip(&per_category) {
            *t += count * c;
        }
        complete += count;
    }
    if complete == 0 {
        return None;
    }
    let m = raters as f64;
    let observed = agreeing_pairs as f64 / (m * (m - 1.0)) / complete as f64;
    let all = (complete * raters) as f64;
    let chance: f64 = totals.iter().map(|&t| (t as f64 / all).powi(2)).sum();
    if (1.0 - chance).abs() < 1e-12 {
        return None;
    }
    Some((observed - chance) / (1.0 - chance))
}

/// Krippendorff's alpha for nominal data from the coincidence matrix; units with fewer
/// than two labels are not pairable and drop out. `None` when no unit is pairable or
/// every pairable label is the same category (no expected disagreement).
pub fn krippendorff_nominal(rows: &[&Row], units: &[usize], categories: usize) -> Option<f64> {
    let patterns = Patterns::new(rows);
    krippendorff_counts(&patterns, &patterns.counts(units), categories)
}

/// Krippendorff's nominal alpha from the number of units with each distinct row.
pub fn krippendorff_counts(patterns: &Patterns, counts: &[u64], categories: usize) -> Option<f64> {
    // Only the diagonal and the marginals of the coincidence matrix are needed for the
    // nominal metric: observed disagreement = n - sum_c o_cc. A unit with m labels adds
    // k(k-1)/(m-1) to o_cc for a category it got k times: summed exactly per m first.
    let width = patterns.width();
    let mut pairs_by_labels = vec![0u64; (width + 1) * categories];
    let mut marginal = vec![0u64; categories];
    let mut per_category = vec![0u64; categories];
    for (pattern, &count) in counts.iter().enumerate() {
        if count == 0 {
            continue;
        }
        let m = category_counts(patterns.row(pattern), &mut per_category) as usize;
        if m < 2 {
            continue;
        }
        for (c, &k) in per_category.iter().enumerate() {
            if k > 0 {
                pairs_by_labels[m * categories + c] += count * k * (k - 1);
                marginal[c] += count * k;
            }
        }
    }
    let n = marginal.iter().sum::<u64>() as f64;
    if n < 2.0 {
        return None;
    }
    let diagonal: f64 = (2..=width)
        .map(|m| {
            let pairs: u64 = pairs_by_labels[m * categories..(m + 1) * categories].iter().sum();
            pairs as f64 / (m as f64 - 1.0)
        })
        .sum();
    let observed_disagreement = n - diagonal;
    let squares = marginal.iter().map(|&m| (m as f64) * (m as f64)).sum::<f64>();
    let expected_disagreement = (n * n - squares) / (n - 1.0);
    if expected_disagreement <= 0.0 {
        return None;
    }
    Some(1.0 - observed_disagreement / expected_disagreement)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agreement::bootstrap::bootstrap95;
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn table(data: &[&[Option<u32>]]) -> Vec<Vec<Option<u32>>> {
        data.iter().map(|r| r.to_vec()).collect()
    }

    fn refs(rows: &[Vec<Option<u32>>]) -> Vec<&Row> {
        rows.iter().map(|r| r.as_slice()).collect()
    }

    /// Fleiss (1971), Table 1: 30 patients, 6 psychiatrists each, 5 diagnoses; the paper
    /// gives kappa = .430.
    const FLEISS_1971: [[u32; 6]; 30] = [
        [4, 4, 4, 4, 4, 4],
        [2, 2, 2, 5, 5, 5],
        [2, 3, 3, 3, 3, 5],
        [5, 5, 5, 5, 5, 5],
        [2, 2, 2, 4, 4, 4],
        [1, 1, 3, 3, 3, 3],
        [3, 3, 3, 3, 5, 5],
        [1, 1, 3, 3, 3, 4],
        [1, 1, 4, 4, 4, 4],
        [5, 5, 5, 5, 5, 5],
        [1, 4, 4, 4, 4, 4],
        [1, 2, 4, 4, 4, 4],
        [2, 2, 2, 3, 3, 3],
        [1, 4, 4, 4, 4, 4],
        [2, 2, 4, 4, 4, 5],
        [3, 3, 3, 3, 3, 5],
        [1, 1, 1, 4, 5, 5],
        [1, 1, 1, 1, 1, 2],
        [2, 2, 4, 4, 4, 4],
        [1, 3, 3, 5, 5, 5],
        [5, 5, 5, 5, 5, 5],
        [2, 4, 4, 4, 4, 4],
        [2, 2, 4, 5, 5, 5],
        [1, 1, 4, 4, 4, 4],
        [1, 4, 4, 4, 4, 5],
        [2, 2, 2, 2, 2, 5],
        [1, 1, 1, 1, 5, 5],
        [2, 2, 4, 4, 4, 4],
        [1, 3, 3, 3, 3, 3],
        [5, 5, 5, 5, 5, 5],
    ];

    #[test]
    fn fleiss_kappa_matches_fleiss_1971() {
        let rows: Vec<Vec<Option<u32>>> = FLEISS_1971
            .iter()
            .map(|r| r.iter().map(|&d| Some(d - 1)).collect())
            .collect();
        let units: Vec<usize> = (0..rows.len()).collect();
        let kappa = fleiss(&refs(&rows), &units, 5).unwrap();
        assert!((kappa - 0.430).abs() < 0.001, "{kappa}");
    }

    #[test]
    fn krippendorff_alpha_matches_krippendorffs_reliability_data_with_missing_values() {
        // Krippendorff (2011), "Computing Krippendorff's alpha-reliability": 4 observers,
        // 12 units, values 1..5, missing labels; nominal alpha = 0.743.
        let n = None;
        let s = |v: u32| Some(v - 1);
        let observers = [
            [s(1), s(2), s(3), s(3), s(2), s(1), s(4), s(1), s(2), n, n, n],
            [
                s(1),
                s(2),
                s(3),
                s(3),
                s(2),
                s(2),
                s(4),
                s(1),
                s(2),
                s(5),
                n,
                s(3),
            ],
            [n, s(3), s(3), s(3), s(2), s(3), s(4), s(2), s(2), s(5), s(1), n],
            [
                s(1),
                s(2),
                s(3),
                s(3),
                s(2),
                s(4),
                s(4),
                s(1),
                s(2),
                s(5),
                s(1),
                n,
            ],
        ];
        let rows: Vec<Vec<Option<u32>>> = (0..12)
            .map(|u| observers.iter().map(|o| o[u]).collect())
            .collect();
        let units: Vec<usize> = (0..12).collect();
        let alpha = krippendorff_nominal(&refs(&rows), &units, 5).unwrap();
        assert!((alpha - 0.743).abs() < 0.0005, "{alpha}");
    }

    #[test]
    fn cohen_kappa_matches_a_textbook_table() {
        // 100 units, categories V/N/P: the irr package's kappa2 example gives 0.429
        // with 70% raw agreement.
        let cells = [[53, 5, 2], [11, 14, 5], [1, 6, 3]];
        let mut rows = Vec::new();
        for (i, row) in cells.iter().enumerate() {
            for (j, &count) in row.iter().enumerate() {
                for _ in 0..count {
                    rows.push(vec![Some(i as u32), Some(j as u32)]);
                }
            }
        }
        let units: Vec<usize> = (0..rows.len()).collect();
        let pair = cohen(&refs(&rows), &units, 0, 1, 3);
        assert_eq!(pair.n, 100);
        assert!((pair.agreement.unwrap() - 0.70).abs() < 1e-12);
        assert!((pair.kappa.unwrap() - 0.429).abs() < 0.0005, "{:?}", pair.kappa);
        assert_eq!(pair.confusion[1][0], 11);
    }

    #[test]
    fn perfect_and_degenerate_agreement() {
        let rows = table(&[&[Some(0), Some(0)], &[Some(1), Some(1)], &[Some(0), None]]);
        let units = [0, 1, 2];
        let pair = cohen(&refs(&rows), &units, 0, 1, 2);
        assert_eq!(pair.n, 2);
        assert_eq!(pair.kappa, Some(1.0));
        assert_eq!(krippendorff_nominal(&refs(&rows), &units, 2), Some(1.0));
        let same = table(&[&[Some(0), Some(0)], &[Some(0), Some(0)]]);
        assert_eq!(cohen(&refs(&same), &[0, 1], 0, 1, 2).kappa, None);
        assert_eq!(krippendorff_nominal(&refs(&same), &[0, 1], 2), None);
        assert_eq!(fleiss(&refs(&same), &[0, 1], 2), None);
    }

    /// A second, direct implementation of each statistic (from its textbook definition,
    /// not the shortcuts above), compared on random tables with missing labels.
    mod second_implementation {
        use super::*;

        fn alpha_by_pairs(rows: &[Vec<Option<u32>>]) -> Option<f64> {
            // D_o: mean disagreement over ordered pairs of labels within a unit, each
            // unit weighted by 1/(m-1); D_e: over all ordered pairs of pairable labels.
            let pairable: Vec<Vec<u32>> = rows
                .iter()
                .map(|r| r.iter().flatten().copied().collect::<Vec<_>>())
                .filter(|v: &Vec<u32>| v.len() >= 2)
                .collect();
            let all: Vec<u32> = pairable.iter().flatten().copied().collect();
            let n = all.len() as f64;
            let mut observed = 0.0;
            for unit in &pairable {
                let m = unit.len() as f64;
                for (i, x) in unit.iter().enumerate() {
                    for (j, y) in unit.iter().enumerate() {
                        if i != j && x != y {
                            observed += 1.0 / (m - 1.0);
                        }
                    }
                }
            }
            let mut expected = 0.0;
            for (i, x) in all.iter().enumerate() {
                for (j, y) in all.iter().enumerate() {
                    if i != j && x != y {
                        expected += 1.0;
                    }
                }
            }
            if expected == 0.0 {
                return None;
            }
            Some(1.0 - (n - 1.0) * observed / expected)
        }

        fn cohen_direct(a: &[u32], b: &[u32], k: u32) -> Option<f64> {
            let n = a.len() as f64;
            let po = a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / n;
            let pe: f64 = (0..k)
                .map(|c| {
                    (a.iter().filter(|&&x| x == c).count() as f64 / n)
                        * (b.iter().filter(|&&y| y == c).count() as f64 / n)
                })
                .sum();
            (pe < 1.0).then(|| (po - pe) / (1.0 - pe))
        }

        fn fleiss_direct(rows: &[Vec<u32>], k: u32) -> Option<f64> {
            // Fleiss' formula written with explicit agreeing rater pairs per unit.
            let m = rows[0].len();
            let mut agreeing = 0.0;
            for r in rows {
                let mut same = 0;
                for i in 0..m {
                    for j in 0..m {
                        if i != j && r[i] == r[j] {
                            same += 1;
                        }
                    }
                }
                agreeing += same as f64 / (m * (m - 1)) as f64;
            }
            let p_bar = agreeing / rows.len() as f64;
            let total = (rows.len() * m) as f64;
            let pe: f64 = (0..k)
                .map(|c| (rows.iter().flatten().filter(|&&x| x == c).count() as f64 / total).powi(2))
                .sum();
            (pe < 1.0).then(|| (p_bar - pe) / (1.0 - pe))
        }

        #[test]
        fn every_statistic_agrees_with_a_direct_implementation_on_random_tables() {
            let mut rng = ChaCha8Rng::seed_from_u64(7);
            for round in 0..200 {
                let raters = rng.random_range(2..6usize);
                let k = rng.random_range(2..5u32);
                let units = rng.random_range(3..40usize);
                let missing = if round % 2 == 0 { 0.0 } else { 0.3 };
                let rows: Vec<Vec<Option<u32>>> = (0..units)
                    .map(|_| {
                        (0..raters)
                            .map(|_| (!rng.random_bool(missing)).then(|| rng.random_range(0..k)))
                            .collect()
                    })
                    .collect();
                let all: Vec<usize> = (0..units).collect();
                let r = refs(&rows);

                let ours = krippendorff_nominal(&r, &all, k as usize);
                let theirs = alpha_by_pairs(&rows);
                match (ours, theirs) {
                    (Some(x), Some(y)) => assert!((x - y).abs() < 1e-9, "alpha {x} vs {y}"),
                    (x, y) => assert_eq!(x.is_some(), y.is_some(), "alpha {x:?} vs {y:?}"),
                }

                let both: Vec<(u32, u32)> = rows.iter().filter_map(|row| Some((row[0]?, row[1]?))).collect();
                if !both.is_empty() {
                    let (a, b): (Vec<u32>, Vec<u32>) = both.into_iter().unzip();
                    let ours = cohen(&r, &all, 0, 1, k as usize).kappa;
                    let theirs = cohen_direct(&a, &b, k);
                    match (ours, theirs) {
                        (Some(x), Some(y)) => assert!((x - y).abs() < 1e-9, "kappa {x} vs {y}"),
                        (x, y) => assert_eq!(x.is_some(), y.is_some()),
                    }
                }

                let complete: Vec<Vec<u32>> = rows
                    .iter()
                    .filter_map(|row| row.iter().copied().collect::<Option<Vec<u32>>>())
                    .collect();
                if !complete.is_empty() {
                    let ours = fleiss(&r, &all, k as usize);
                    let theirs = fleiss_direct(&complete, k);
                    match (ours, theirs) {
                        (Some(x), Some(y)) => assert!((x - y).abs() < 1e-9, "fleiss {x} vs {y}"),
                        (x, y) => assert_eq!(x.is_some(), y.is_some()),
                    }
                }
            }
        }
    }

    #[test]
    fn bootstrap_is_seeded_and_brackets_the_estimate() {
        let rows: Vec<Vec<Option<u32>>> = FLEISS_1971
            .iter()
            .map(|r| r.iter().map(|&d| Some(d - 1)).collect())
            .collect();
        let r = refs(&rows);
        let units: Vec<usize> = (0..rows.len()).collect();
        let ci = bootstrap95(&units, 500, 1, |s| fleiss(&r, s, 5)).unwrap();
        let again = bootstrap95(&units, 500, 1, |s| fleiss(&r, s, 5)).unwrap();
        assert_eq!(ci, again);
        assert!(ci[0] < 0.430 && 0.430 < ci[1], "{ci:?}");
    }
}
