//! Stage 5, judge: indicators → clusters, points, ОИП, ИСБ, flags with основания.
//! Pure functions of (data, config): no I/O, no clock, no randomness.

mod clusters;
mod coverage;
mod flags;
mod frame;
mod isb;
mod objectivity;
mod objectivity_frame;
mod oip;
mod points;
mod pooling;
pub mod progress;
mod stats;
mod text;

#[cfg(test)]
mod tests_flags;
#[cfg(test)]
mod tests_handworked;

pub use coverage::{CoverageNote, coverage};
pub use objectivity::{Evidence, ObjectivityChecked, ObjectivityResult, Sign, SignKind};

#[cfg(test)] // report's test data builds the records judge keeps beside ОИП and the flags
pub use {
    flags::{Facts, judge_school},
    oip::Calculation,
};

use crate::config::Config;
use crate::measure::{OlympiadSummary, ProcStat, RawIndicator};
use crate::model::{Dataset, Passport, School, Year};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
    /// Years pooled (1 = this year alone, 0 = no data this year).
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
    /// The terms behind the value, for `explain`; not written to the baseline.
    #[serde(skip)]
    pub calculation: oip::Calculation,
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
    /// What each flag rule was judged on, for `explain`; not written to the baseline.
    #[serde(skip)]
    pub checks: flags::Checks,
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
    /// Kinds of data wholly missing or rejected, or indicators no school has in the year:
    /// one line each, for the terminal and the «Сводка». Not written to the baseline.
    #[serde(skip)]
    pub coverage: Vec<CoverageNote>,
    /// §6.5: signs of non-objective ВПР results per school and judged year (only schools
    /// with a sign), and what was checked.
    #[serde(default)]
    pub objectivity: Vec<ObjectivityResult>,
    #[serde(default)]
    pub objectivity_checked: ObjectivityChecked,
}

/// Runs the whole methodology of docs/method.md §4 on a dataset.
///
/// The identify year Y is `year`, or the latest year with results. Judged years are Y and
/// the `years_judged − 1` before it; data of earlier years (down to what pooling can
/// reach) are read for pooling, data after Y are ignored (they belong to `progress`).
///
/// # Errors
/// When there is nothing to judge (no results for the requested year).
pub fn judge(ds: &Dataset, cfg: &Config, year: Option<Year>) -> anyhow::Result<Findings> {
    let y = match year {
        Some(y) => {
            let have = years_with_results(ds);
            if !have.contains(&y) {
                let have: Vec<String> = have.iter().map(ToString::to_string).collect();
                let known = if have.is_empty() {
                    "результатов нет ни за один год".to_string()
                } else {
                    format!("результаты есть за: {}", have.join(", "))
                };
                anyhow::bail!(
                    "нет результатов оценочных процедур за {y} год (учебный год {}/{:02}); \
                     {known}. Укажите другой год (--year) или добавьте выгрузки",
                    y - 1,
                    y % 100,
                );
            }
            y
        }
        None => *years_with_results(ds).last().ok_or_else(|| {
            anyhow::anyhow!(
                "во входных файлах нет результатов оценочных процедур (ВПР, ОГЭ, ЕГЭ, КДР): \
                 выявлять ШНОР не по чему. Проверьте, что выгрузки результатов распознаны \
                 (shnor validate)"
            )
        })?,
    };
    let judged_n = cfg.general.years_judged.max(1) as Year;
    let years: Vec<Year> = (y - judged_n + 1..=y).collect();
    let earliest = years[0] - cfg.general.pool_years.max(1) as Year + 1;
    let in_range = |yr: Year| (earliest..=y).contains(&yr);

    let raw: Vec<RawIndicator> = crate::measure::indicators(ds, cfg)
        .into_iter()
        .filter(|r| in_range(r.year))
        .collect();
    let proc_stats: Vec<ProcStat> = crate::measure::procedure_stats(ds)
        .into_iter()
        .filter(|s| in_range(s.year))
        .collect();
    let olympiad: Vec<OlympiadSummary> = crate::measure::olympiad(ds)
        .into_iter()
        .filter(|o| in_range(o.year))
        .collect();

    let mut registry: Vec<&School> = ds.schools.iter().collect();
    registry.sort_by(|a, b| a.id.cmp(&b.id));
    let (assigned, clusters) = clusters::assign(&ds.schools, cfg);
    let cluster_of: BTreeMap<String, String> = assigned
        .iter()
        .map(|(id, a)| (id.clone(), a.cluster.clone()))
        .collect();
    let (signs, signs_checked) = objectivity::judge(ds, cfg, &years)?;
    let all_values = frame::cluster_values(
        &objectivity::cluster_input(&raw, ds, cfg, &signs),
        &cluster_of,
    )?;
    let cv: BTreeMap<(&str, Year, &str), f64> = all_values
        .iter()
        .map(|c| ((c.cluster.as_str(), c.year, c.indicator.as_str()), c.value))
        .collect();

    // (school, indicator) → year → (value, n): the input of pooling.
    let mut series: BTreeMap<(&str, &str), pooling::Series> = BTreeMap::new();
    for r in &raw {
        series
            .entry((r.school.as_str(), r.indicator.as_str()))
            .or_default()
            .insert(r.year, (r.value, r.n));
    }
    let empty = BTreeMap::new();

    // ИСБ: each school's latest passport up to Y; the threshold over the passports of the
    // latest passport year up to Y (the identify year's passports).
    let mut passports: BTreeMap<&str, &Passport> = BTreeMap::new();
    for p in ds.passports.iter().filter(|p| p.year <= y) {
        let e = passports.entry(p.school.as_str()).or_insert(p);
        if p.year > e.year {
            *e = p;
        }
    }
    let isb_of: BTreeMap<&str, IsbResult> = passports
        .iter()
        .filter_map(|(s, p)| isb::isb(p, &cfg.isb).map(|r| (*s, r)))
        .collect();
    let passport_year = ds
        .passports
        .iter()
        .map(|p| p.year)
        .filter(|py| *py <= y)
        .max();
    let isb_threshold = passport_year.and_then(|py| {
        let values: Vec<f64> = registry
            .iter()
            .filter_map(|s| isb_of.get(s.id.as_str()))
            .filter(|r| r.year == py)
            .map(|r| r.value)
            .collect();
        isb::threshold(&cfg.isb.threshold, &values, py)
    });

    // Grouped once: a region has thousands of schools and tens of thousands of procedures.
    let mut olympiad_of: BTreeMap<&str, Vec<OlympiadSummary>> = BTreeMap::new();
    for o in &olympiad {
        olympiad_of
            .entry(o.school.as_str())
            .or_default()
            .push(o.clone());
    }
    let mut procs_of: BTreeMap<&str, Vec<&ProcStat>> = BTreeMap::new();
    for p in &proc_stats {
        if let Some(s) = p.school.as_deref() {
            procs_of.entry(s).or_default().push(p);
        }
    }

    let mut schools = Vec::with_capacity(registry.len());
    for school in &registry {
        let a = &assigned[&school.id];
        let mut indicators = Vec::new();
        let mut oip = Vec::new();
        for &yr in &years {
            let first = indicators.len();
            for spec in &cfg.indicators {
                let s = series
                    .get(&(school.id.as_str(), spec.id.as_str()))
                    .unwrap_or(&empty);
                let p = pooling::pool(s, yr, cfg.general.min_n, cfg.general.pool_years);
                let cluster_value = cv.get(&(a.cluster.as_str(), yr, spec.id.as_str())).copied();
                let scored = match (p.reliable, p.value, cluster_value) {
                    (true, Some(v), Some(c)) => {
                        points::score(spec.source.kind(), v, c, &cfg.points)
                    }
                    _ => None,
                };
                indicators.push(IndicatorResult {
                    year: yr,
                    indicator: spec.id.clone(),
                    value: p.value,
                    raw_value: p.raw_value,
                    n: p.n,
                    raw_n: p.raw_n,
                    pooled_years: p.pooled_years,
                    reliable: p.reliable,
                    cluster_value,
                    comparison: scored.map(|(c, _)| c),
                    points: scored.map(|(_, p)| p),
                });
            }
            let weights = cfg.indicators.iter().map(|s| s.weight);
            let calculation = oip::Calculation::new(indicators[first..].iter().zip(weights));
            oip.push(OipYear {
                year: yr,
                value: calculation.value(&cfg.oip),
                indicators_used: calculation.used,
                calculation,
            });
        }
        schools.push(SchoolResult {
            school: (*school).clone(),
            cluster: a.cluster.clone(),
            cluster_reason: a.reason.clone(),
            indicators,
            oip,
            isb: isb_of.get(school.id.as_str()).cloned(),
            rank_in_cluster: None,
            flags: Vec::new(),
            checks: flags::Checks::default(),
            olympiad: olympiad_of
                .get(school.id.as_str())
                .cloned()
                .unwrap_or_default(),
        });
    }

    let ranks = frame::rank_in_cluster(
        &schools
            .iter()
            .map(|s| (s.school.id.clone(), s.cluster.clone(), s.oip_in(y)))
            .collect::<Vec<_>>(),
    )?;
    for s in &mut schools {
        s.rank_in_cluster = ranks.get(&s.school.id).copied();
        let oip_by_year: BTreeMap<Year, Option<f64>> =
            s.oip.iter().map(|o| (o.year, o.value)).collect();
        let procs = procs_of
            .get(s.school.id.as_str())
            .map_or(&[][..], Vec::as_slice);
        (s.flags, s.checks) = flags::judge_school(
            &flags::Facts {
                year: y,
                oip: &oip_by_year,
                procs,
                isb: s.isb.as_ref(),
                threshold: isb_threshold.as_ref(),
            },
            cfg,
        );
    }

    let coverage = coverage::coverage(ds, cfg, Some((y, &schools)));
    Ok(Findings {
        year: y,
        cluster_values: all_values
            .into_iter()
            .filter(|c| years.contains(&c.year))
            .collect(),
        years,
        schools,
        clusters,
        isb_threshold,
        proc_stats,
        raw,
        coverage,
        objectivity: signs,
        objectivity_checked: signs_checked,
    })
}

/// The year `identify` judges when none is given: the latest year with results not after
/// today's school year (docs/recognition.md «Годы»). Results of later years are not judged:
/// the files that carry them come back with their latest year, in file order, so the
/// command can say which file made it think of a later year.
pub fn default_year(ds: &Dataset, today: Year) -> (Option<Year>, Vec<(String, Year)>) {
    let year = years_with_results(ds).into_iter().rfind(|&y| y <= today);
    let mut later: BTreeMap<String, Year> = BTreeMap::new();
    for r in ds.results.iter().filter(|r| r.year > today) {
        let y = later.entry(r.origin.file.clone()).or_insert(r.year);
        *y = (*y).max(r.year);
    }
    (year, later.into_iter().collect())
}

fn years_with_results(ds: &Dataset) -> Vec<Year> {
    let mut ys: Vec<Year> = ds.results.iter().map(|r| r.year).collect();
    ys.sort_unstable();
    ys.dedup();
    ys
}
