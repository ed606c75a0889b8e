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
