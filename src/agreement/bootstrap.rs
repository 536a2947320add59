//! Seeded bootstrap intervals: resample the units with replacement from a ChaCha8
//! stream, compute the statistic on each resample, keep the 2.5% and 97.5% percentiles.
//! The same data and seed always give the same interval.

use rand::{Rng, RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A 95% percentile interval of `statistic` over `reps` bootstrap resamples of the units,
/// from a seeded stream so the same data and seed give the same interval. `None` when
/// fewer than half the resamples give a value.
pub fn bootstrap95(
    units: &[usize],
    reps: usize,
    seed: u64,
    mut statistic: impl FnMut(&[usize]) -> Option<f64>,
) -> Option<[f64; 2]> {
    let mut sample = vec![0usize; units.len()];
    resample95(units.len(), reps, seed, |draws| {
        for (slot, i) in sample.iter_mut().zip(draws) {
            *slot = units[i];
        }
        statistic(&sample)
    })
}

/// [`bootstrap95`] on distinct rows: `rows_of_units` holds each unit's distinct row
/// (see [`super::patterns::Patterns::of_units`]) and `statistic` gets the resample's count per distinct
/// row. The same seed draws the same units as [`bootstrap95`], so the intervals match.
pub fn bootstrap95_counts(
    rows_of_units: &[u32],
    distinct_rows: usize,
    reps: usize,
    seed: u64,
    mut statistic: impl FnMut(&[u64]) -> Option<f64>,
) -> Option<[f64; 2]> {
    let mut counts = vec![0u64; distinct_rows];
    resample95(rows_of_units.len(), reps, seed, |draws| {
        counts.fill(0);
        for i in draws {
            counts[rows_of_units[i] as usize] += 1;
        }
        statistic(&counts)
    })
}

/// The `n` draws of one resample: positions in 0..n from the seeded stream.
struct Draws<'a> {
    rng: &'a mut ChaCha8Rng,
    n: usize,
    left: usize,
}

impl Iterator for Draws<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        Some(match u32::try_from(self.n) {
            Ok(range) => below(self.rng, range),
            Err(_) => self.rng.random_range(0..self.n),
        })
    }
}

/// A uniform position in 0..range, exactly as `rng.random_range(0..range)` draws it
/// (rand's single-sample method: one widening multiply of a 32-bit word, a second word
/// only when the first lands in the biased zone), without its per-call overhead: the
/// bootstrap makes millions of these. A test checks it against `random_range`.
fn below(rng: &mut ChaCha8Rng, range: u32) -> usize {
    let wide = u64::from(rng.next_u32()) * u64::from(range);
    let (mut high, low) = ((wide >> 32) as u32, wide as u32);
    if low > range.wrapping_neg() {
        let next_high = ((u64::from(rng.next_u32()) * u64::from(range)) >> 32) as u32;
        high += u32::from(low.checked_add(next_high).is_none());
    }
    high as usize
}

/// The seeded resampling loop: `reps` resamples of `n` draws, each handed to `statistic`
/// (which takes every draw); the 2.5% and 97.5% percentiles of the values it gives.
fn resample95(
    n: usize,
    reps: usize,
    seed: u64,
    mut statistic: impl FnMut(Draws<'_>) -> Option<f64>,
) -> Option<[f64; 2]> {
    if n == 0 || reps == 0 {
        return None;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut values = Vec::with_capacity(reps);
    for _ in 0..reps {
        let draws = Draws {
            rng: &mut rng,
            n,
            left: n,
        };
        if let Some(v) = statistic(draws).filter(|v| v.is_finite()) {
            values.push(v);
        }
    }
    if values.len() * 2 < reps {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let at = |q: f64| values[((values.len() - 1) as f64 * q).round() as usize];
    Some([at(0.025), at(0.975)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agreement::patterns::Patterns;
    use crate::agreement::stats::{fleiss, fleiss_counts};

    #[test]
    fn the_resampling_draw_is_rands_random_range() {
        for (seed, range) in [
            (1u64, 1u32),
            (2, 2),
            (3, 30),
            (4, 1523),
            (5, 4_000_000_000),
            (6, u32::MAX),
        ] {
            let mut ours = ChaCha8Rng::seed_from_u64(seed);
            let mut theirs = ChaCha8Rng::seed_from_u64(seed);
            for _ in 0..20_000 {
                assert_eq!(below(&mut ours, range), theirs.random_range(0..range as usize));
            }
        }
    }

    #[test]
    fn resampling_counts_of_distinct_rows_draws_the_units_resampling_draws() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let rows: Vec<Vec<Option<u32>>> = (0..40)
            .map(|_| (0..4).map(|_| Some(rng.random_range(0..3u32))).collect())
            .collect();
        let r: Vec<&[Option<u32>]> = rows.iter().map(|row| row.as_slice()).collect();
        let units: Vec<usize> = (0..rows.len()).collect();
        let patterns = Patterns::new(&r);
        let by_rows = bootstrap95_counts(&patterns.of_units(&units), patterns.len(), 300, 9, |c| {
            fleiss_counts(&patterns, c, 3)
        });
        // The same stream, units drawn one by one as before distinct rows were counted.
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let mut values: Vec<f64> = (0..300)
            .map(|_| {
                let sample: Vec<usize> = (0..units.len())
                    .map(|_| units[rng.random_range(0..units.len())])
                    .collect();
                fleiss(&r, &sample, 3).unwrap()
            })
            .collect();
        values.sort_by(f64::total_cmp);
        let at = |q: f64| values[((values.len() - 1) as f64 * q).round() as usize];
        assert_eq!(by_rows, Some([at(0.025), at(0.975)]));
    }
}
