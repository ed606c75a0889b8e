//! Small statistics the methodology needs: percentiles as Excel's PERCENTILE.INC,
//! the pooled two-proportion z-test, the normal distribution.

use anyhow::{Result, bail};

/// A threshold rule over the municipality's schools.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ThresholdRule {
    Mean,
    /// Percentile 0–100 (median = 50).
    Percentile(f64),
}

/// Parses «mean», «median», «pNN».
///
/// # Errors
/// Anything else, with a Russian message.
pub fn parse_threshold_rule(s: &str) -> Result<ThresholdRule> {
    let t = s.trim().to_lowercase();
    match t.as_str() {
        "mean" | "среднее" => return Ok(ThresholdRule::Mean),
        "median" | "медиана" => return Ok(ThresholdRule::Percentile(50.0)),
        _ => {}
    }
    if let Some(p) = t.strip_prefix('p')
        && let Ok(v) = p.parse::<f64>()
        && (0.0..=100.0).contains(&v)
    {
        return Ok(ThresholdRule::Percentile(v));
    }
    bail!("порог «{s}» не понят: укажите число, «mean», «median» или «pNN» (например p25)")
}

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

/// Standard normal distribution function Φ(x).
pub fn normal_cdf(x: f64) -> f64 {
    0.5 * erfc(-x / std::f64::consts::SQRT_2)
}

/// Result of the pooled two-proportion z-test.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ZTest {
    /// (p₂ − p₁) / se, positive when the share grew.
    pub z: f64,
    /// Two-sided p-value.
    pub p: f64,
}

/// Two-sided pooled two-proportion z-test of x₁/n₁ (before) against x₂/n₂ (after).
/// `None` when a sample is empty or the pooled share is 0 or 1 (no variance to test).
pub fn two_proportion_z(x1: u32, n1: u32, x2: u32, n2: u32) -> Option<ZTest> {
    if n1 == 0 || n2 == 0 {
        return None;
    }
    let (x1, n1, x2, n2) = (f64::from(x1), f64::from(n1), f64::from(x2), f64::from(n2));
    let pooled = (x1 + x2) / (n1 + n2);
    let se = (pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)).sqrt();
    if se <= 0.0 {
        return None;
    }
    let z = (x2 / n2 - x1 / n1) / se;
    Some(ZTest {
        z,
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

/// Median (= PERCENTILE.INC at 50).
pub fn median(values: &[f64]) -> Option<f64> {
    percentile_inc(values, 50.0)
}

/// Applies a threshold rule to the municipality's values.
pub fn apply_rule(rule: ThresholdRule, values: &[f64]) -> Option<f64> {
    match rule {
        ThresholdRule::Mean => mean(values),
        ThresholdRule::Percentile(p) => percentile_inc(values, p),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_parse() {
        assert_eq!(
            parse_threshold_rule("p25").unwrap(),
            ThresholdRule::Percentile(25.0)
        );
        assert_eq!(
            parse_threshold_rule(" Median ").unwrap(),
            ThresholdRule::Percentile(50.0)
        );
        assert_eq!(parse_threshold_rule("mean").unwrap(), ThresholdRule::Mean);
        assert!(parse_threshold_rule("p125").is_err());
        assert!(parse_threshold_rule("квартиль").is_err());
    }

    #[test]
    fn normal_cdf_known_values() {
        // Tables: Φ(0) = 0.5, Φ(1.96) = 0.975002, Φ(−1) = 0.158655, Φ(2.5758) = 0.995
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(1.96) - 0.975_002).abs() < 1e-6);
        assert!((normal_cdf(-1.0) - 0.158_655).abs() < 1e-6);
        assert!((normal_cdf(2.5758) - 0.995).abs() < 1e-5);
    }

    #[test]
    fn z_test_2_of_40_vs_10_of_40() {
        // p₁ = 0.05, p₂ = 0.25, pooled = 12/80 = 0.15;
        // se = √(0.15·0.85·(1/40 + 1/40)) = √0.006375 = 0.0798436;
        // z = 0.20 / 0.0798436 = 2.50490; p = 2·(1 − Φ(2.5049)) = 0.01225
        let t = two_proportion_z(2, 40, 10, 40).unwrap();
        assert!((t.z - 2.50490).abs() < 1e-4, "{t:?}");
        assert!((t.p - 0.01225).abs() < 5e-5, "{t:?}");
        // direction: a fall gives negative z, the same p
        let d = two_proportion_z(10, 40, 2, 40).unwrap();
        assert!((d.z + t.z).abs() < 1e-12 && (d.p - t.p).abs() < 1e-12);
        assert_eq!(two_proportion_z(0, 40, 0, 40), None);
        assert_eq!(two_proportion_z(1, 0, 0, 40), None);
    }

    #[test]
    fn percentile_inc_by_hand() {
        // sorted 56 58 70 72 74 76 78 80 (n = 8)
        let v = [80.0, 56.0, 74.0, 58.0, 70.0, 78.0, 72.0, 76.0];
        // p25: h = 0.25·7 = 1.75 → 58 + 0.75·(70 − 58) = 67
        assert!((percentile_inc(&v, 25.0).unwrap() - 67.0).abs() < 1e-12);
        // median: h = 3.5 → 72 + 0.5·2 = 73
        assert!((median(&v).unwrap() - 73.0).abs() < 1e-12);
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
}
