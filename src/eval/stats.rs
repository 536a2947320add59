//! Interval estimates and paired tests for accuracies.

/// The 95% Wilson score interval of `successes` out of `trials`, as fractions in [0, 1].
/// (0, 0) trials give (0, 1): nothing is known.
pub fn wilson95(successes: u64, trials: u64) -> (f64, f64) {
    if trials == 0 {
        return (0.0, 1.0);
    }
    let z = 1.959_963_984_540_054_f64;
    let n = trials as f64;
    let p = successes as f64 / n;
    let z2 = z * z;
    let denominator = 1.0 + z2 / n;
    let center = (p + z2 / (2.0 * n)) / denominator;
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denominator;
    ((center - half).max(0.0), (center + half).min(1.0))
}

/// McNemar's exact test (two-sided) for two classifiers on the same items: `b` items the
/// first gets right and the second wrong, `c` the other way round. Returns the p-value.
pub fn mcnemar_exact(b: u64, c: u64) -> f64 {
    let n = b + c;
    if n == 0 {
        return 1.0;
    }
    let k = b.min(c);
    // Sum of Binomial(n, 1/2) probabilities of 0..=k, in log space to stay finite for large n.
    let ln_half_n = n as f64 * 0.5f64.ln();
    let mut ln_choose = 0.0f64;
    let mut tail = 0.0f64;
    for i in 0..=k {
        if i > 0 {
            ln_choose += ((n - i + 1) as f64).ln() - (i as f64).ln();
        }
        tail += (ln_choose + ln_half_n).exp();
    }
    (2.0 * tail).min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() < tolerance
    }

    #[test]
    fn wilson_matches_published_values() {
        // Newcombe (1998), example: 81/263 -> 0.2553 to 0.3662.
        let (lo, hi) = wilson95(81, 263);
        assert!(close(lo, 0.2553, 5e-4) && close(hi, 0.3662, 5e-4), "{lo} {hi}");
        // 0/10 -> 0 to 0.2775; 10/10 -> 0.7225 to 1.
        let (lo, hi) = wilson95(0, 10);
        assert!(close(lo, 0.0, 1e-9) && close(hi, 0.2775, 5e-4), "{lo} {hi}");
        let (lo, hi) = wilson95(10, 10);
        assert!(close(lo, 0.7225, 5e-4) && close(hi, 1.0, 1e-9), "{lo} {hi}");
        assert_eq!(wilson95(0, 0), (0.0, 1.0));
    }

    #[test]
    fn mcnemar_exact_matches_the_binomial_tail() {
        // b=1, c=9: 2 * P(X <= 1 | n=10, p=1/2) = 2 * 11/1024.
        assert!(close(mcnemar_exact(1, 9), 22.0 / 1024.0, 1e-12));
        assert!(close(mcnemar_exact(9, 1), 22.0 / 1024.0, 1e-12));
        // Balanced disagreement is no evidence at all.
        assert_eq!(mcnemar_exact(5, 5), 1.0);
        assert_eq!(mcnemar_exact(0, 0), 1.0);
        // b=0, c=6: 2 / 64.
        assert!(close(mcnemar_exact(0, 6), 2.0 / 64.0, 1e-12));
        // Large n stays finite and tiny.
        let p = mcnemar_exact(1000, 2000);
        assert!(p > 0.0 && p < 1e-60, "{p}");
    }
}
