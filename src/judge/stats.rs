//! Small statistics the methodology needs: percentiles as Excel's PERCENTILE.INC, the
//! normal distribution, and the two-sided tests of a change — the pooled two-proportion
//! z-test (growth of «2» in `identify`, a change of a share in `progress`) and Welch's t-test
//! for a change of a mean (Student's t through the regularized incomplete beta), with the
//! moments of a mark distribution it needs.

use crate::config::ThresholdRule;

/// Tolerance for comparisons with band edges and bars: a value computed as 0.8499999999999
/// from numbers that are 0.85 on paper must land where the analyst's hand arithmetic puts it.
pub const EPS: f64 = 1e-9;

/// `a ≥ b`, with values within [`EPS`] of the edge counted as on it.
pub fn at_least(a: f64, b: f64) -> bool {
    a >= b - EPS
}

/// `a < b` strictly («below a bar»), with values within [`EPS`] of the bar counted as on it.
pub fn below(a: f64, b: f64) -> bool {
    a < b - EPS
}

/// Complementary error function (Numerical Recipes `erfcc`, Chebyshev fit, fractional
/// error below 1.2·10⁻⁷ everywhere).
pub fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let ans = t * poly.exp();
    if x >= 0.0 { ans } else { 2.0 - ans }
}

/// Result of a two-sided test of a change.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Test {
    /// Test statistic (z or t), positive when the value grew.
    pub stat: f64,
    /// Two-sided p-value.
    pub p: f64,
}

/// Two-sided pooled two-proportion z-test of x₁/n₁ (before) against x₂/n₂ (after).
/// `None` when a sample is empty, x > n, or the pooled share is 0 or 1 (no variance to test).
pub fn two_proportion(x1: u32, n1: u32, x2: u32, n2: u32) -> Option<Test> {
    if n1 == 0 || n2 == 0 || x1 > n1 || x2 > n2 {
        return None;
    }
    let (x1, n1, x2, n2) = (f64::from(x1), f64::from(n1), f64::from(x2), f64::from(n2));
    let pooled = (x1 + x2) / (n1 + n2);
    let se = (pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)).sqrt();
    if se <= 0.0 {
        return None;
    }
    let z = (x2 / n2 - x1 / n1) / se;
    Some(Test {
        stat: z,
        p: erfc(z.abs() / std::f64::consts::SQRT_2),
    })
}

/// Percentile `p` (0–100) as Excel's PERCENTILE.INC: rank h = p/100·(n−1) over the sorted
/// values, linear interpolation between the order statistics around it.
pub fn percentile_inc(values: &[f64], p: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let h = (p / 100.0) * (v.len() - 1) as f64;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(v.len() - 1);
    Some(v[lo] + (h - lo as f64) * (v[hi] - v[lo]))
}

/// Arithmetic mean.
pub fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// Applies a threshold rule to the municipality's values.
pub fn apply_rule(rule: ThresholdRule, values: &[f64]) -> Option<f64> {
    match rule {
        ThresholdRule::Mean => mean(values),
        ThresholdRule::Percentile(p) => percentile_inc(values, p),
    }
}

/// ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms; relative error ~1e-15).
fn ln_gamma(x: f64) -> f64 {
    const G: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection keeps the series in its accurate range.
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = G[0];
    let t = x + 7.5;
    for (i, g) in G.iter().enumerate().skip(1) {
        a += g / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// Continued fraction of the incomplete beta (Numerical Recipes `betacf`, modified Lentz).
fn beta_cf(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    // Keeps a denominator off zero.
    let off_zero = |v: f64| if v.abs() < TINY { TINY } else { v };
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 / off_zero(1.0 - qab * x / qap);
    let mut h = d;
    for m in 1..=300 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        // Even and odd steps of the fraction.
        let even = m * (b - m) * x / ((qam + m2) * (a + m2));
        let odd = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        let mut del = 1.0;
        for aa in [even, odd] {
            d = 1.0 / off_zero(1.0 + aa * d);
            c = off_zero(1.0 + aa / c);
            del = d * c;
            h *= del;
        }
        if (del - 1.0).abs() < 1e-14 {
            break;
        }
    }
    h
}

/// Regularized incomplete beta I_x(a, b).
pub fn inc_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front =
        (ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln()).exp();
    // The continued fraction converges fast only below (a+1)/(a+b+2); use symmetry above.
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_cf(a, b, x) / a
    } else {
        1.0 - front * beta_cf(b, a, 1.0 - x) / b
    }
}

/// Two-sided p-value of Student's t with `df` degrees of freedom: I_{df/(df+t²)}(df/2, 1/2).
pub fn student_t_p(t: f64, df: f64) -> f64 {
    inc_beta(df / 2.0, 0.5, df / (df + t * t))
}

/// Welch's t-test of mean₂ (interim) against mean₁ (baseline) from means, sample variances
/// and sizes; degrees of freedom by Welch–Satterthwaite. `None` when a sample has fewer
/// than 2 units or both variances are zero.
pub fn welch(m1: f64, v1: f64, n1: u32, m2: f64, v2: f64, n2: u32) -> Option<Test> {
    if n1 < 2 || n2 < 2 {
        return None;
    }
    let (n1, n2) = (f64::from(n1), f64::from(n2));
    let (a, b) = (v1 / n1, v2 / n2);
    let se2 = a + b;
    if se2 <= 0.0 {
        return None;
    }
    let t = (m2 - m1) / se2.sqrt();
    let df = se2 * se2 / (a * a / (n1 - 1.0) + b * b / (n2 - 1.0));
    Some(Test {
        stat: t,
        p: student_t_p(t, df),
    })
}

pub use crate::measure::mark_moments;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erfc_gives_the_normal_distribution() {
        // Tables: Φ(0) = 0.5, Φ(1.96) = 0.975002, Φ(−1) = 0.158655, Φ(2.5758) = 0.995,
        // with Φ(x) = erfc(−x/√2) / 2.
        let phi = |x: f64| 0.5 * erfc(-x / std::f64::consts::SQRT_2);
        assert!((phi(0.0) - 0.5).abs() < 1e-7);
        assert!((phi(1.96) - 0.975_002).abs() < 1e-6);
        assert!((phi(-1.0) - 0.158_655).abs() < 1e-6);
        assert!((phi(2.5758) - 0.995).abs() < 1e-5);
    }

    #[test]
    fn z_test_2_of_40_vs_10_of_40() {
        // p₁ = 0.05, p₂ = 0.25, pooled = 12/80 = 0.15;
        // se = √(0.15·0.85·(1/40 + 1/40)) = √0.006375 = 0.0798436;
        // z = 0.20 / 0.0798436 = 2.50490; p = 2·(1 − Φ(2.5049)) = 0.01225
        let t = two_proportion(2, 40, 10, 40).unwrap();
        assert!((t.stat - 2.50490).abs() < 1e-4, "{t:?}");
        assert!((t.p - 0.01225).abs() < 5e-5, "{t:?}");
        // direction: a fall gives negative z, the same p
        let d = two_proportion(10, 40, 2, 40).unwrap();
        assert!((d.stat + t.stat).abs() < 1e-12 && (d.p - t.p).abs() < 1e-12);
        assert_eq!(two_proportion(0, 40, 0, 40), None);
        assert_eq!(two_proportion(1, 0, 0, 40), None);
        assert_eq!(two_proportion(11, 10, 0, 10), None);
    }

    #[test]
    fn percentile_inc_by_hand() {
        // sorted 56 58 70 72 74 76 78 80 (n = 8)
        let v = [80.0, 56.0, 74.0, 58.0, 70.0, 78.0, 72.0, 76.0];
        // p25: h = 0.25·7 = 1.75 → 58 + 0.75·(70 − 58) = 67
        assert!((percentile_inc(&v, 25.0).unwrap() - 67.0).abs() < 1e-12);
        // median: h = 3.5 → 72 + 0.5·2 = 73
        assert!((percentile_inc(&v, 50.0).unwrap() - 73.0).abs() < 1e-12);
        // mean: 564 / 8 = 70.5
        assert!((mean(&v).unwrap() - 70.5).abs() < 1e-12);
        // 5 values 10 20 30 40 50: p25 h = 1 → 20; p90 h = 3.6 → 40 + 0.6·10 = 46
        let w = [50.0, 10.0, 40.0, 20.0, 30.0];
        assert!((percentile_inc(&w, 25.0).unwrap() - 20.0).abs() < 1e-12);
        assert!((percentile_inc(&w, 90.0).unwrap() - 46.0).abs() < 1e-12);
        assert_eq!(percentile_inc(&[7.0], 25.0), Some(7.0));
        assert_eq!(percentile_inc(&[], 25.0), None);
    }

    #[test]
    fn edges_and_bars() {
        assert!(at_least(0.85, 0.85));
        assert!(at_least(0.849_999_999_999_9, 0.85));
        assert!(!at_least(0.8499, 0.85));
        assert!(!below(14.0, 14.0));
        assert!(below(13.9, 14.0));
    }

    #[test]
    fn two_proportion_by_hand() {
        // 12/40 = 0.30 → 4/40 = 0.10. Pooled p = 16/80 = 0.2;
        // se = √(0.2·0.8·(1/40 + 1/40)) = √0.008 = 0.0894427; z = −0.2/0.0894427 = −2.23607;
        // p = 2·(1 − Φ(2.23607)) = 2·0.012674 = 0.025347.
        let t = two_proportion(12, 40, 4, 40).unwrap();
        assert!((t.stat + 2.236_068).abs() < 1e-5, "{t:?}");
        assert!((t.p - 0.025_347).abs() < 1e-5, "{t:?}");
        assert!(two_proportion(0, 10, 0, 10).is_none());
        assert!(two_proportion(11, 10, 0, 10).is_none());
        assert!(two_proportion(1, 0, 0, 10).is_none());
    }

    #[test]
    fn student_t_known_values() {
        // Tables: t = 2.228 at df = 10 is the two-sided 5 % point; t = 1.96 at df = ∞ ≈ 0.05;
        // df = 1 is Cauchy: P(|T| > 1) = 0.5.
        assert!((student_t_p(2.228_139, 10.0) - 0.05).abs() < 1e-6);
        assert!((student_t_p(1.0, 1.0) - 0.5).abs() < 1e-9);
        assert!((student_t_p(1.959_964, 1e7) - 0.05).abs() < 1e-5);
        assert!((student_t_p(0.0, 5.0) - 1.0).abs() < 1e-12);
        // df = 2 has a closed form: p = 1 − t/√(2 + t²); t = 2 → 1 − 2/√6 = 0.183503.
        assert!((student_t_p(2.0, 2.0) - 0.183_503).abs() < 1e-6);
    }

    #[test]
    fn welch_by_hand() {
        // Means 3.0 and 3.5, variances 0.5 and 0.8, n 20 and 25:
        // a = 0.5/20 = 0.025, b = 0.8/25 = 0.032, se = √0.057 = 0.238747, t = 0.5/0.238747 = 2.09427;
        // df = 0.057² / (0.025²/19 + 0.032²/24) = 0.003249 / (0.0000328947 + 0.0000426667)
        //    = 0.003249 / 0.0000755614 = 42.998.
        let t = welch(3.0, 0.5, 20, 3.5, 0.8, 25).unwrap();
        assert!((t.stat - 2.094_27).abs() < 1e-4, "{t:?}");
        // With df ≈ 43, the 5 % two-sided point is 2.0167: 2.094 is just significant.
        assert!(t.p < 0.05 && t.p > 0.035, "{t:?}");
        assert!(welch(3.0, 0.0, 20, 3.0, 0.0, 20).is_none());
        assert!(welch(3.0, 0.5, 1, 3.0, 0.5, 20).is_none());
    }

    #[test]
    fn mark_moments_by_hand() {
        // 2×«2», 3×«3», 4×«4», 1×«5»: mean = (4 + 9 + 16 + 5)/10 = 3.4;
        // SS = 2·1.96 + 3·0.16 + 4·0.36 + 1·2.56 = 3.92 + 0.48 + 1.44 + 2.56 = 8.4; var = 8.4/9.
        let (m, v, n) = mark_moments([2, 3, 4, 1]).unwrap();
        assert!((m - 3.4).abs() < 1e-12);
        assert!((v - 8.4 / 9.0).abs() < 1e-12);
        assert_eq!(n, 10);
        assert!(mark_moments([1, 0, 0, 0]).is_none());
    }
}
