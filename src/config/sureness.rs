//! The `[uncertainty]`, `[context]` and `[objectivity]` sections (docs/method.md §6): how sure
//! each number is, the context line, and the signs of non-objective ВПР results.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Uncertainty {
    /// Confidence level of every interval (two-sided).
    pub level: f64,
    /// List as ШНОР (and зона риска by ОИП) only when the rule holds at the favourable end
    /// of every interval (устойчивый); by default неустойчивые stay listed, marked.
    pub robust_only: bool,
    /// ОИП from shrunk values (empirical Bayes) instead of raw ones.
    pub shrink: bool,
    /// SD of one participant's score, for means given without a distribution, by indicator
    /// id (ЕГЭ: test points, ОГЭ: primary points).
    pub sd: BTreeMap<String, f64>,
}

impl Default for Uncertainty {
    fn default() -> Self {
        Uncertainty {
            level: 0.95,
            robust_only: false,
            shrink: false,
            sd: [
                ("ege_ru", 14.0),
                ("ege_ma", 18.0),
                ("oge_ru", 5.0),
                ("oge_ma", 5.0),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ContextRule {
    /// Fewer schools with ОИП and ИСБ in the judged year → no regression.
    pub min_schools: usize,
    /// Multiplier of the prediction band: значимо выше / ниже ожидаемого beyond it.
    pub z: f64,
}

impl Default for ContextRule {
    fn default() -> Self {
        ContextRule {
            min_schools: 30,
            z: 1.96,
        }
    }
}

/// Thresholds of the signs of non-objective ВПР results. Shares and gaps are in percent
/// (25 = 25 %), as the analyst reads them in the report; ratios are plain multiples.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Objectivity {
    /// Works (and ОГЭ) with fewer participants are not judged.
    pub min_n: u32,
    /// «ВПР выше журнала»: share of participants whose ВПР mark is above the journal mark, %.
    pub raised_share: f64,
    /// … and at least this multiple of the same share over all schools of the input.
    pub raised_ratio: f64,
    /// «журнал выше ВПР»: share whose ВПР mark is below the journal mark, %.
    pub lowered_share: f64,
    /// … and at least this multiple of the share over all schools.
    pub lowered_ratio: f64,
    /// Peak at a mark boundary: at least this many participants exactly on the boundary …
    pub peak_min: u32,
    /// … and at least this multiple of those one point below it (at least 1) …
    pub peak_ratio: f64,
    /// … while over all schools of the input the same ratio stays below this.
    pub peak_input_ratio: f64,
    /// ВПР grade 8 (y−1) against ОГЭ (y): gap of the share of «4» and «5», percentage points.
    pub vpr_oge_gap: f64,
    /// Signs (in different works, or of different kinds) that mark a school in a year.
    pub min_signs: u32,
    /// Leave the marked works out of the cluster values of the ВПР indicator.
    pub exclude_from_cluster: bool,
}

impl Default for Objectivity {
    fn default() -> Self {
        Objectivity {
            min_n: 20,
            raised_share: 25.0,
            raised_ratio: 2.0,
            lowered_share: 50.0,
            lowered_ratio: 1.5,
            peak_min: 5,
            peak_ratio: 3.0,
            peak_input_ratio: 1.5,
            vpr_oge_gap: 30.0,
            min_signs: 2,
            exclude_from_cluster: false,
        }
    }
}
