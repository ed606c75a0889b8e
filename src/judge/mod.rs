//! Stage 5, judge: indicators → clusters, points, ОИП, ИСБ, flags with основания.
//! Pure functions of (data, config): no I/O, no clock, no randomness.

pub mod dynamics;
pub mod dynstats;
pub mod interim;
pub mod progress;
pub mod recommend;
pub mod stats;
pub mod targets;
#[cfg(test)]
pub(crate) mod tests_progress;

use crate::config::Config;
use crate::measure::{OlympiadSummary, ProcStat, RawIndicator};
use crate::model::{Dataset, School, Year};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum FlagKind {
    #[serde(rename = "ШНОР")]
    Shnor,
    #[serde(rename = "ШНСУ")]
    Shnsu,
    #[serde(rename = "зона риска")]
    Risk,
    #[serde(rename = "резильентная")]
    Resilient,
}

impl FlagKind {
    pub fn label(self) -> &'static str {
        match self {
            FlagKind::Shnor => "ШНОР",
            FlagKind::Shnsu => "ШНСУ",
            FlagKind::Risk => "зона риска",
            FlagKind::Resilient => "резильентная",
        }
    }
}

/// A flag with its основание (reason) in plain Russian.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Flag {
    pub kind: FlagKind,
    pub basis: String,
}

/// One indicator of one school in one judged year, after pooling and scoring.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorResult {
    pub year: Year,
    pub indicator: String,
    /// The school's value used for points (pooled when `pooled_years > 1`).
    pub value: Option<f64>,
    /// The school's own value for this year alone.
    pub raw_value: Option<f64>,
    /// n behind `value` (summed over pooled years).
    pub n: u32,
    /// n of this year alone.
    pub raw_n: u32,
    /// Years pooled (1 = this year alone).
    pub pooled_years: u32,
    /// n ≥ min_n (after pooling).
    pub reliable: bool,
    /// The cluster's own value for this year.
    pub cluster_value: Option<f64>,
    /// Ratio (mean indicators) or difference in p.p. (share indicators) to the cluster.
    pub comparison: Option<f64>,
    pub points: Option<u8>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OipYear {
    pub year: Year,
    pub value: Option<f64>,
    /// Reliable indicators used.
    pub indicators_used: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IsbComponent {
    /// Category key (or merged key such as `register`).
    pub category: String,
    pub share: f64,
    /// 100·(1 − share) or 100·share for protective ones.
    pub score: f64,
    pub weight: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IsbResult {
    pub year: Year,
    pub value: f64,
    pub components: Vec<IsbComponent>,
}

/// The ИСБ threshold as applied, frozen into the baseline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FrozenThreshold {
    /// As configured: «p25», «median», «42.7» …
    pub spec: String,
    pub value: f64,
    /// Year of the passports it was computed over (None when given as a number).
    pub year: Option<Year>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClusterInfo {
    pub name: String,
    pub schools: usize,
}

/// The cluster's value of an indicator in a year (participant-weighted over its schools).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClusterValue {
    pub cluster: String,
    pub year: Year,
    pub indicator: String,
    pub value: f64,
    pub n: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SchoolResult {
    pub school: School,
    pub cluster: String,
    /// Why the school is in this cluster, in Russian.
    pub cluster_reason: String,
    /// Every configured indicator for every judged year (value `None` when no data).
    pub indicators: Vec<IndicatorResult>,
    /// ОИП for each judged year, ascending.
    pub oip: Vec<OipYear>,
    pub isb: Option<IsbResult>,
    /// Rank by ОИП of the latest year within the cluster (1 = highest; ties share the rank).
    pub rank_in_cluster: Option<u32>,
    pub flags: Vec<Flag>,
    pub olympiad: Vec<OlympiadSummary>,
}

impl SchoolResult {
    pub fn flag(&self, kind: FlagKind) -> Option<&Flag> {
        self.flags.iter().find(|f| f.kind == kind)
    }

    pub fn oip_in(&self, year: Year) -> Option<f64> {
        self.oip
            .iter()
            .find(|o| o.year == year)
            .and_then(|o| o.value)
    }
}

/// Everything `identify` found: the input to every report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Findings {
    /// The identify year (latest judged year).
    pub year: Year,
    /// Judged years, ascending.
    pub years: Vec<Year>,
    pub schools: Vec<SchoolResult>,
    pub clusters: Vec<ClusterInfo>,
    pub cluster_values: Vec<ClusterValue>,
    pub isb_threshold: Option<FrozenThreshold>,
    pub proc_stats: Vec<ProcStat>,
    pub raw: Vec<RawIndicator>,
}

/// Runs the whole methodology of METHOD §4 on a dataset.
///
/// # Errors
/// When there is nothing to judge (no results for the requested year).
pub fn judge(ds: &Dataset, cfg: &Config, year: Option<Year>) -> anyhow::Result<Findings> {
    let _ = (ds, cfg, year);
    todo!("judge/: clusters, points, oip, isb, flags")
}
