//! Stage 4, measure: canonical records → raw indicators per school and year, with n, and the
//! per-procedure statistics. No pooling or judging here (that is `judge`).

mod indicators;
mod olympiad;
mod procedures;

pub(crate) use indicators::same_subject;

use crate::config::Config;
use crate::model::{Dataset, Procedure, Year};
use serde::{Deserialize, Serialize};

/// One indicator of one school in one year, before pooling: `value` is over `n` units
/// (works, participants, students). Shares are fractions 0–1.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RawIndicator {
    pub school: String,
    pub year: Year,
    pub indicator: String,
    pub value: f64,
    pub n: u32,
    /// SD of one unit's value (means with a distribution: marks of every work, or the
    /// participants' scores); `None` for shares and for means given without a distribution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sd: Option<f64>,
}

/// Olympiad figures reported alongside the indicator.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OlympiadSummary {
    pub school: String,
    pub year: Year,
    /// Unique students of grades 7–11 at the municipal stage.
    pub participants: u32,
    pub winners: u32,
    pub prizewinners: u32,
    /// Students of grades 7–11 from the contingent, if known.
    pub students: Option<u32>,
}

/// Statistics of one procedure for one school (or the municipality: `school = None`) and year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProcStat {
    pub year: Year,
    pub school: Option<String>,
    pub procedure: Procedure,
    pub n: u32,
    /// Shares of marks 2, 3, 4, 5 (fractions), when counts are known.
    pub mark_shares: Option<[f64; 4]>,
    /// (n3+n4+n5)/n.
    pub pass_rate: Option<f64>,
    /// (n4+n5)/n.
    pub quality: Option<f64>,
    /// Share of «2» or below the minimum.
    pub fail_share: Option<f64>,
    pub mean_score: Option<f64>,
    pub mean_mark: Option<f64>,
    /// Change of `fail_share` from the previous year, percentage points.
    pub fail_change_pp: Option<f64>,
}

/// Computes the raw indicators configured in `cfg.indicators` for every school and year.
pub fn indicators(ds: &Dataset, cfg: &Config) -> Vec<RawIndicator> {
    indicators::compute(ds, cfg)
}

/// Olympiad figures per school and year.
pub fn olympiad(ds: &Dataset) -> Vec<OlympiadSummary> {
    olympiad::summaries(ds)
}

/// Per-procedure statistics per school and for the municipality.
pub fn procedure_stats(ds: &Dataset) -> Vec<ProcStat> {
    procedures::stats(ds)
}

/// Mean and sample variance (divisor n − 1) of marks from the counts of «2», «3», «4», «5».
/// `None` for fewer than 2 works.
pub fn mark_moments(counts: [u32; 4]) -> Option<(f64, f64, u32)> {
    let n: u32 = counts.iter().sum();
    if n < 2 {
        return None;
    }
    let nf = f64::from(n);
    let mean = counts
        .iter()
        .zip(2..=5)
        .map(|(&c, m)| f64::from(c) * f64::from(m))
        .sum::<f64>()
        / nf;
    let ss = counts
        .iter()
        .zip(2..=5)
        .map(|(&c, m)| f64::from(c) * (f64::from(m) - mean).powi(2))
        .sum::<f64>();
    Some((mean, ss / (nf - 1.0), n))
}
