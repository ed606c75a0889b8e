//! How sure each number is (docs/method.md §6.1–6.3): an interval for every indicator value,
//! the pooled SD of a small school's pooled years, and the empirical-Bayes shrinkage of a
//! value towards its cluster. Pure functions; the cluster-wide sums come from `frame`.

use super::stats::{erfc, student_t_p};
use serde::{Deserialize, Serialize};

/// How sure one indicator value is: its interval and what the interval rests on.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Certainty {
    /// SD of one participant's value (means only): from the distribution, or assumed.
    pub sd: Option<f64>,
    /// `sd` is the configured `[uncertainty.sd]`, not the school's distribution.
    pub sd_assumed: bool,
    /// The quantile the half-width is multiplied by: t(level, n − 1) for means, z for shares.
    pub quantile: Option<f64>,
    /// Interval of the value scored (raw, pooled, or shrunk with `shrink = true`).
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// Empirical-Bayes value: cluster + B·(value − cluster), with B.
    pub shrunk: Option<f64>,
    pub weight: Option<f64>,
    /// Points of `low` and `high` (same bands as the value's points).
    pub points_low: Option<u8>,
    pub points_high: Option<u8>,
}

/// Bisection of a decreasing function `f` on [lo, hi] for `f(x) = target`.
fn solve_decreasing(f: impl Fn(f64) -> f64, target: f64, mut lo: f64, mut hi: f64) -> f64 {
    // 80 halvings of a range up to 10⁴ leave less than 10⁻¹⁹: far below any printed digit.
    for _ in 0..80 {
        let mid = 0.5 * (lo + hi);
        if f(mid) > target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// z with P(|Z| > z) = 1 − level (1,959964 for 95 %).
pub fn z_quantile(level: f64) -> f64 {
    solve_decreasing(
        |z| erfc(z / std::f64::consts::SQRT_2),
        1.0 - level,
        0.0,
        40.0,
    )
}

/// t with P(|T| > t) = 1 − level for `df` degrees of freedom (t(0,975; 9) = 2,262).
pub fn t_quantile(level: f64, df: f64) -> f64 {
    solve_decreasing(|t| student_t_p(t, df), 1.0 - level, 0.0, 1.0e4)
}

/// Wilson interval of a share p of n at quantile z. A share above 1 (retention with
/// pupils arriving) has no binomial interval: the interval of 1 is moved up to the value.
pub fn wilson(p: f64, n: u32, z: f64) -> Option<(f64, f64)> {
    if n == 0 || !p.is_finite() || p < 0.0 {
        return None;
    }
    let over = (p - 1.0).max(0.0);
    let p = p.min(1.0);
    let n = f64::from(n);
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = z / denom * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some((
        (centre - half).max(0.0) + over,
        (centre + half).min(1.0) + over,
    ))
}

/// t-interval of a mean: mean ± t(level, n − 1)·sd/√n, with the t used. `None` below n = 2.
/// (The tests' form; the program passes a cache of t to [`mean_interval_with`].)
#[cfg(test)]
pub fn mean_interval(mean: f64, sd: f64, n: u32, level: f64) -> Option<((f64, f64), f64)> {
    mean_interval_with(mean, sd, n, &mut |df| t_quantile(level, f64::from(df)))
}

/// The t-interval of a mean (mean ± t(level, n − 1)·sd/√n, with the t used; `None` below
/// n = 2), the quantile of `df` degrees of freedom from `t` — a cache, since
/// a region has tens of thousands of values and a few hundred distinct n.
pub fn mean_interval_with(
    mean: f64,
    sd: f64,
    n: u32,
    t: &mut dyn FnMut(u32) -> f64,
) -> Option<((f64, f64), f64)> {
    if n < 2 || !sd.is_finite() || sd < 0.0 {
        return None;
    }
    let t = t(n - 1);
    let half = t * sd / f64::from(n).sqrt();
    Some(((mean - half, mean + half), t))
}

pub use crate::model::pooled_sd;

/// Sampling variance of a school's value: SD²/n for means, p̄(1 − p̄)/n for shares with p̄
/// the cluster share (clamped to 0…1: a retention above 1 has no binomial variance of its own).
pub fn sampling_variance(share: bool, sd: Option<f64>, n: u32, cluster: f64) -> Option<f64> {
    if n == 0 {
        return None;
    }
    let n = f64::from(n);
    if share {
        let p = cluster.clamp(0.0, 1.0);
        Some(p * (1.0 - p) / n)
    } else {
        sd.map(|s| s * s / n)
    }
}

/// Between-school variance τ² = max(0, var of school values − mean σᵢ²), from the sample
/// variance (divisor k − 1) of the k school values.
pub fn tau2(var_values: f64, mean_sigma2: f64) -> f64 {
    (var_values - mean_sigma2).max(0.0)
}

/// B = τ²/(τ² + σ²) and the shrunk value cluster + B·(x − cluster). With τ² = σ² = 0 the
/// school is its own cluster (B = 1).
pub fn shrink(x: f64, sigma2: f64, tau2: f64, cluster: f64) -> (f64, f64) {
    let b = if tau2 + sigma2 > 0.0 {
        tau2 / (tau2 + sigma2)
    } else {
        1.0
    };
    (cluster + b * (x - cluster), b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() < tol
    }

    #[test]
    fn quantiles_match_published_tables() {
        // Standard normal table: z(0,975) = 1,960; Student's t table (two-sided 95 %):
        // df 1 → 12,706; 4 → 2,776; 9 → 2,262; 29 → 2,045; 120 → 1,980.
        assert!(close(z_quantile(0.95), 1.959_964, 1e-5));
        assert!(close(z_quantile(0.90), 1.644_854, 1e-5));
        for (df, t) in [
            (1.0, 12.706),
            (4.0, 2.776),
            (9.0, 2.262),
            (29.0, 2.045),
            (120.0, 1.980),
        ] {
            assert!(close(t_quantile(0.95, df), t, 1e-3), "df {df}");
        }
        // 99 %, df 9: 3,250
        assert!(close(t_quantile(0.99, 9.0), 3.250, 1e-3));
    }

    #[test]
    fn wilson_matches_the_worked_example() {
        // Newcombe (1998), Table I: 81 of 263 → 0,2553–0,3662; 15 of 148 → 0,0624–0,1605.
        let z = z_quantile(0.95);
        let (lo, hi) = wilson(81.0 / 263.0, 263, z).unwrap();
        assert!(
            close(lo, 0.2553, 1e-4) && close(hi, 0.3662, 1e-4),
            "{lo} {hi}"
        );
        let (lo, hi) = wilson(15.0 / 148.0, 148, z).unwrap();
        assert!(
            close(lo, 0.0624, 1e-4) && close(hi, 0.1605, 1e-4),
            "{lo} {hi}"
        );
        // 0 of 10: lower end 0, upper z²/(n + z²) = 3,8415/13,8415 = 0,2775.
        let (lo, hi) = wilson(0.0, 10, z).unwrap();
        assert!(close(lo, 0.0, 1e-12) && close(hi, 0.2775, 1e-4));
        // A share above 1 keeps the interval of 1, moved up: 1,2 of 10 → 0,7225+0,2 … 1,2.
        let (lo, hi) = wilson(1.2, 10, z).unwrap();
        assert!(close(lo, 0.9225, 1e-4) && close(hi, 1.2, 1e-12));
        assert_eq!(wilson(0.5, 0, z), None);
    }

    #[test]
    fn t_interval_by_hand() {
        // mean 3,5, sd 0,8, n 10: half = 2,262·0,8/√10 = 2,262·0,25298 = 0,5723
        let ((lo, hi), t) = mean_interval(3.5, 0.8, 10, 0.95).unwrap();
        assert!(close(t, 2.2622, 1e-4));
        assert!(close(lo, 3.5 - 0.5723, 1e-4) && close(hi, 3.5 + 0.5723, 1e-4));
        assert_eq!(mean_interval(3.5, 0.8, 1, 0.95), None);
    }

    #[test]
    fn pooled_sd_by_hand() {
        // Year 1: marks 3, 5 → mean 4, sd √2; year 2: marks 2, 4, 6 → mean 4, sd 2.
        // All five: 3 5 2 4 6, mean 4, squares 1+1+4+0+4 = 10, var 10/4 = 2,5.
        let sd = pooled_sd(&[(4.0, Some(2f64.sqrt()), 2), (4.0, Some(2.0), 3)]).unwrap();
        assert!(close(sd, 2.5f64.sqrt(), 1e-12));
        // A year without a distribution leaves the pooled value without one.
        assert_eq!(pooled_sd(&[(4.0, None, 2), (4.0, Some(2.0), 3)]), None);
        // A single participant has no SD of its own and adds only its value: 3 and 5 ± √2
        // … {5} ∪ {3, 5}: mean 13/3, squares (5−13/3)²·2 + (3−13/3)² = 8/9 + 16/9 = 24/9,
        // var 24/9 / 2 = 4/3.
        let sd = pooled_sd(&[(5.0, None, 1), (4.0, Some(2f64.sqrt()), 2)]).unwrap();
        assert!(close(sd, (4.0f64 / 3.0).sqrt(), 1e-12));
    }

    #[test]
    fn shrinkage_edges() {
        // τ² = 0: everything goes to the cluster; σ² = 0: the value stays.
        assert_eq!(shrink(3.0, 0.1, 0.0, 4.0), (4.0, 0.0));
        assert_eq!(shrink(3.0, 0.0, 0.2, 4.0), (3.0, 1.0));
        assert_eq!(tau2(0.1, 0.3), 0.0);
        // shares: 0,3·0,7/50 = 0,0042
        assert!(close(
            sampling_variance(true, None, 50, 0.3).unwrap(),
            0.0042,
            1e-12
        ));
        assert_eq!(sampling_variance(false, None, 50, 3.0), None);
    }

    #[test]
    fn tau2_and_b_for_a_five_school_cluster_by_hand() {
        // fixtures/uncertainty/README.md «Сжатие»: ВПР means 3,2 3,6 4,0 4,4 3,8,
        // n 10 20 40 20 10, sd 0,8 → σ² = 0,64/n = 0,064 0,032 0,016 0,032 0,064.
        let xs = [(3.2, 10), (3.6, 20), (4.0, 40), (4.4, 20), (3.8, 10)];
        let rows: Vec<crate::judge::frame::Spread> = xs
            .iter()
            .map(|&(x, n)| crate::judge::frame::Spread {
                cluster: "A",
                year: 2025,
                indicator: "vpr",
                value: x,
                sigma2: sampling_variance(false, Some(0.8), n, 3.9).unwrap(),
            })
            .collect();
        let comp = crate::judge::frame::variance_components(&rows).unwrap();
        let (var, mean_s2, k) = comp[&("A".to_string(), 2025, "vpr".to_string())];
        // mean 3,8; squares 0,36 0,04 0,04 0,36 0 = 0,8; var 0,8/4 = 0,2; mean σ² 0,208/5
        assert_eq!(k, 5);
        assert!(close(var, 0.2, 1e-12) && close(mean_s2, 0.0416, 1e-12));
        let t2 = tau2(var, mean_s2);
        assert!(close(t2, 0.1584, 1e-12));
        // cluster (32 + 72 + 160 + 88 + 38)/100 = 3,9; school 1: B = 0,1584/0,2224 = 0,712230,
        // 3,9 + 0,712230·(3,2 − 3,9) = 3,401439; school 3: B = 0,1584/0,1744 = 0,908257,
        // 3,9 + 0,908257·0,1 = 3,990826
        let (v, b) = shrink(3.2, 0.064, t2, 3.9);
        assert!(close(b, 0.712_230, 1e-6) && close(v, 3.401_439, 1e-6));
        let (v, b) = shrink(4.0, 0.016, t2, 3.9);
        assert!(close(b, 0.908_257, 1e-6) && close(v, 3.990_826, 1e-6));
        // a cluster of one school has no variance between schools: no row
        let comp = crate::judge::frame::variance_components(&rows[..1]).unwrap();
        assert!(comp.is_empty());
    }
}
