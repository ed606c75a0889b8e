//! Stage 5, judge: indicators → clusters, points, ОИП, ИСБ, flags with основания.
//! Pure functions of (data, config): no I/O, no clock, no randomness.

mod clusters;
pub mod context;
mod coverage;
mod flags;
pub(crate) mod frame;
mod isb;
mod objectivity;
mod objectivity_frame;
mod oip;
mod points;
mod pooling;
pub mod progress;
mod stats;
mod text;
pub mod uncertainty;

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

use crate::config::{Config, IndicatorKind};
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
    /// The interval and the shrunk value (docs/method.md §6.1, §6.3).
    #[serde(default)]
    pub certainty: uncertainty::Certainty,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OipYear {
    pub year: Year,
    pub value: Option<f64>,
    /// Reliable indicators used.
    pub indicators_used: usize,
    /// ОИП with every indicator at the lower / upper end of its interval (§6.2).
    #[serde(default)]
    pub low: Option<f64>,
    #[serde(default)]
    pub high: Option<f64>,
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
    /// For a school listed by an ОИП rule (ШНОР or зона риска): whether the rule holds at the
    /// favourable end of the intervals (устойчивый) or not (§6.2).
    #[serde(default)]
    pub oip_robust: Option<bool>,
    /// ОИП of Y against the ОИП expected for the school's ИСБ (§6.4).
    #[serde(default)]
    pub context: Option<context::SchoolContext>,
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
    /// ОИП computed from shrunk values (`[uncertainty] shrink`): `progress` compares like
    /// with like.
    #[serde(default)]
    pub shrink: bool,
    /// The context line of the identify year (§6.4).
    #[serde(default)]
    pub context: context::ContextFit,
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

    // Four independent passes over the dataset, side by side: at a country's size
    // (~2·10⁶ results) each takes seconds, and the rest of the run waits for them.
    let ((raw, proc_stats), (olympiad, objectivity)) = rayon::join(
        || {
            rayon::join(
                || {
                    crate::measure::indicators(ds, cfg)
                        .into_iter()
                        .filter(|r| in_range(r.year))
                        .collect::<Vec<RawIndicator>>()
                },
                || {
                    crate::measure::procedure_stats(ds)
                        .into_iter()
                        .filter(|s| in_range(s.year))
                        .collect::<Vec<ProcStat>>()
                },
            )
        },
        || {
            rayon::join(
                || {
                    crate::measure::olympiad(ds)
                        .into_iter()
                        .filter(|o| in_range(o.year))
                        .collect::<Vec<OlympiadSummary>>()
                },
                || objectivity::judge(ds, cfg, &years),
            )
        },
    );
    let (signs, signs_checked) = objectivity?;

    let mut registry: Vec<&School> = ds.schools.iter().collect();
    registry.sort_by(|a, b| a.id.cmp(&b.id));
    let (assigned, clusters) = clusters::assign(&ds.schools, cfg);
    let cluster_of: BTreeMap<String, String> = assigned
        .iter()
        .map(|(id, a)| (id.clone(), a.cluster.clone()))
        .collect();
    let all_values = frame::cluster_values(
        &objectivity::cluster_input(&raw, ds, cfg, &signs),
        &cluster_of,
    )?;
    let cv: BTreeMap<(&str, Year, &str), f64> = all_values
        .iter()
        .map(|c| ((c.cluster.as_str(), c.year, c.indicator.as_str()), c.value))
        .collect();

    // (school, indicator) → year → (value, n) and the SD behind it: the input of pooling.
    let mut series: BTreeMap<(&str, &str), (pooling::Series, pooling::Spread)> = BTreeMap::new();
    for r in &raw {
        let e = series
            .entry((r.school.as_str(), r.indicator.as_str()))
            .or_default();
        e.0.insert(r.year, (r.value, r.n));
        if let Some(sd) = r.sd {
            e.1.insert(r.year, sd);
        }
    }
    let empty = Default::default();

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

    // Pass 1: every school's pooled values, with the SD of one unit behind them.
    let mut pooled: Vec<Vec<IndicatorResult>> = Vec::with_capacity(registry.len());
    for school in &registry {
        let a = &assigned[&school.id];
        let mut indicators = Vec::new();
        for &yr in &years {
            for spec in &cfg.indicators {
                let (s, spread) = series
                    .get(&(school.id.as_str(), spec.id.as_str()))
                    .unwrap_or(&empty);
                let p = pooling::pool(s, spread, yr, cfg.general.min_n, cfg.general.pool_years);
                let mean = spec.source.kind() == IndicatorKind::Mean;
                let assumed = cfg.uncertainty.sd.get(&spec.id).copied();
                let (sd, sd_assumed) = match (p.sd, assumed) {
                    (Some(sd), _) if mean => (Some(sd), false),
                    (None, Some(sd)) if mean && p.value.is_some() => (Some(sd), true),
                    _ => (None, false),
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
                    cluster_value: cv.get(&(a.cluster.as_str(), yr, spec.id.as_str())).copied(),
                    comparison: None,
                    points: None,
                    certainty: uncertainty::Certainty {
                        sd,
                        sd_assumed,
                        ..Default::default()
                    },
                });
            }
        }
        pooled.push(indicators);
    }

    // Pass 2: variance components per cluster, year and indicator (§6.3).
    let kinds: BTreeMap<&str, IndicatorKind> = cfg
        .indicators
        .iter()
        .map(|s| (s.id.as_str(), s.source.kind()))
        .collect();
    let sigma2 = |ind: &IndicatorResult| -> Option<f64> {
        uncertainty::sampling_variance(
            kinds.get(ind.indicator.as_str()) == Some(&IndicatorKind::Share),
            ind.certainty.sd,
            ind.n,
            ind.cluster_value?,
        )
    };
    let mut spreads = Vec::new();
    for (school, inds) in registry.iter().zip(&pooled) {
        let cluster = assigned[&school.id].cluster.as_str();
        for ind in inds {
            if let (Some(value), Some(s2)) = (ind.value, sigma2(ind)) {
                spreads.push(frame::Spread {
                    cluster,
                    year: ind.year,
                    indicator: ind.indicator.as_str(),
                    value,
                    sigma2: s2,
                });
            }
        }
    }
    let components = frame::variance_components(&spreads)?;
    drop(spreads);

    // Pass 3: shrinkage, intervals, points and ОИП.
    let z = uncertainty::z_quantile(cfg.uncertainty.level);
    let mut t_cache: BTreeMap<u32, f64> = BTreeMap::new();
    let mut t_of = |df: u32| {
        *t_cache
            .entry(df)
            .or_insert_with(|| uncertainty::t_quantile(cfg.uncertainty.level, f64::from(df)))
    };
    let mut schools = Vec::with_capacity(registry.len());
    for (school, mut indicators) in registry.iter().zip(pooled) {
        let a = &assigned[&school.id];
        for ind in &mut indicators {
            let kind = kinds[ind.indicator.as_str()];
            let tau = components
                .get(&(a.cluster.clone(), ind.year, ind.indicator.clone()))
                .map(|(var, s2, _)| uncertainty::tau2(*var, *s2));
            certify(ind, kind, sigma2(ind), tau, z, &mut t_of, cfg);
        }
        let mut oip = Vec::new();
        for (k, &yr) in years.iter().enumerate() {
            let these = &indicators[k * cfg.indicators.len()..(k + 1) * cfg.indicators.len()];
            let weights = cfg.indicators.iter().map(|s| s.weight);
            let calculation = oip::Calculation::new(these.iter().zip(weights));
            let (low, high) = calculation.bounds(these, &cfg.oip).unzip();
            oip.push(OipYear {
                year: yr,
                value: calculation.value(&cfg.oip),
                indicators_used: calculation.used,
                low,
                high,
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
            oip_robust: None,
            context: None,
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
        let bounds: BTreeMap<Year, (f64, f64)> = s
            .oip
            .iter()
            .filter_map(|o| Some((o.year, (o.low?, o.high?))))
            .collect();
        let procs = procs_of
            .get(s.school.id.as_str())
            .map_or(&[][..], Vec::as_slice);
        (s.flags, s.checks) = flags::judge_school(
            &flags::Facts {
                year: y,
                oip: &oip_by_year,
                bounds: &bounds,
                procs,
                isb: s.isb.as_ref(),
                threshold: isb_threshold.as_ref(),
            },
            cfg,
        );
        s.oip_robust = s.checks.oip_robust();
    }

    // Context (§6.4): ОИП of Y against ИСБ over every school with both.
    let pairs: Vec<(f64, f64)> = schools
        .iter()
        .filter_map(|s| Some((s.isb.as_ref()?.value, s.oip_in(y)?)))
        .collect();
    let context = context::ContextFit::from_sums(
        y,
        frame::line_sums(&pairs)?,
        cfg.context.min_schools,
        cfg.context.z,
    );
    for s in &mut schools {
        let shnsu = s.flag(FlagKind::Shnsu).is_some();
        s.context = match (s.isb.as_ref(), s.oip_in(y)) {
            (Some(i), Some(v)) => context.judge(i.value, v, shnsu),
            _ => None,
        };
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
        shrink: cfg.uncertainty.shrink,
        context,
        coverage,
        objectivity: signs,
        objectivity_checked: signs_checked,
    })
}

/// Shrinkage, interval and points of one indicator value (docs/method.md §6.1–6.3). The
/// value scored is the raw (or pooled) one, or the shrunk one under `shrink = true`, whose
/// interval is then narrowed by √B (the posterior SD of the empirical-Bayes model).
fn certify(
    ind: &mut IndicatorResult,
    kind: IndicatorKind,
    sigma2: Option<f64>,
    tau2: Option<f64>,
    z: f64,
    t_of: &mut dyn FnMut(u32) -> f64,
    cfg: &Config,
) {
    let Some(value) = ind.value else { return };
    let c = &mut ind.certainty;
    if let (Some(s2), Some(t2), Some(cluster)) = (sigma2, tau2, ind.cluster_value) {
        let (shrunk, b) = uncertainty::shrink(value, s2, t2, cluster);
        c.shrunk = Some(shrunk);
        c.weight = Some(b);
    }
    let interval = match kind {
        IndicatorKind::Mean => c.sd.and_then(|sd| {
            let (iv, t) = uncertainty::mean_interval_with(value, sd, ind.n, t_of)?;
            c.quantile = Some(t);
            Some(iv)
        }),
        IndicatorKind::Share => {
            c.quantile = Some(z);
            uncertainty::wilson(value, ind.n, z)
        }
    };
    let (scored, interval) = match (cfg.uncertainty.shrink, c.shrunk, c.weight) {
        (true, Some(shrunk), Some(b)) => (
            shrunk,
            interval.map(|(lo, hi)| {
                let k = b.sqrt();
                (shrunk - (value - lo) * k, shrunk + (hi - value) * k)
            }),
        ),
        _ => (value, interval),
    };
    if let Some((lo, hi)) = interval {
        c.low = Some(lo);
        c.high = Some(hi);
    }
    if let (true, Some(cluster)) = (ind.reliable, ind.cluster_value)
        && let Some((cmp, pts)) = points::score(kind, scored, cluster, &cfg.points)
    {
        ind.comparison = Some(cmp);
        ind.points = Some(pts);
        let at = |x: f64| points::score(kind, x, cluster, &cfg.points).map(|(_, p)| p);
        c.points_low = c.low.and_then(at);
        c.points_high = c.high.and_then(at);
    }
}

/// The year `identify` judges when none is given: the latest year with results not after
/// today's school year (docs/recognition.md «Годы»). Results of later years are not judged:
/// the files that carry them come back with their latest year, in file order, so the
/// command can say which file made it think of a later year.
pub fn default_year(ds: &Dataset, today: Year) -> (Option<Year>, Vec<(String, Year)>) {
    let year = years_with_results(ds).into_iter().rfind(|&y| y <= today);
    let mut later: BTreeMap<String, Year> = BTreeMap::new();
    for r in ds.results.iter().filter(|r| r.year > today) {
        let y = later.entry(r.origin.file.to_string()).or_insert(r.year);
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
