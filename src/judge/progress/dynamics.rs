//! Dynamics of `progress` (docs/method.md §5): per school and comparable indicator, the baseline
//! value, the interim value, the change and a status decided by significance — a change
//! counts as «улучшение» or «ухудшение» only when a two-sided test rejects "no change" at
//! the configured level, so chance swings of a small school are «без изменений».
//!
//! Shares (справляемость, качество, доля «2», ВсОШ, сохранность) are tested by the pooled
//! two-proportion z-test. Means are tested by Welch's t-test on the **marks**: the exports
//! give mark counts (hence a variance) but no spread of scores, so a mean ОГЭ/ЕГЭ score is
//! shown as it is and its significance is judged on the mean mark of the same exam subject;
//! without mark counts the change is shown «без оценки значимости».

use crate::config::{IndicatorKind, IndicatorSource, IndicatorSpec, Progress};
use crate::judge::stats::{Test, mark_moments, two_proportion, welch};
use crate::judge::{Findings, SchoolResult, uncertainty};
use crate::measure::{ProcStat, RawIndicator, same_subject};
use crate::model::{Exam, Procedure, Year};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::RwLock;

/// What `progress` knows about the interim year, computed from the interim files.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Interim {
    /// The interim school year (baseline year + 1).
    pub year: Year,
    /// Raw ОИП indicators of the interim year.
    pub raw: Vec<RawIndicator>,
    /// Per-school statistics of the interim procedures (КДР, trial ОГЭ …).
    pub proc_stats: Vec<ProcStat>,
    /// ИСБ of the new social passport, per school.
    pub isb: BTreeMap<String, f64>,
    /// Schools that appear anywhere in the interim data.
    pub schools: BTreeSet<String>,
}

/// Status of a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ChangeStatus {
    #[serde(rename = "улучшение")]
    Improved,
    #[serde(rename = "без изменений")]
    Same,
    #[serde(rename = "ухудшение")]
    Worsened,
    /// n below the minimum on either side.
    #[serde(rename = "мало данных для вывода")]
    TooSmall,
    /// Both values exist, but there is nothing to test them with.
    #[serde(rename = "без оценки значимости")]
    NotTested,
    #[serde(rename = "нет данных для сравнения")]
    NoData,
}

impl ChangeStatus {
    /// The wording in reports.
    pub fn label(self) -> &'static str {
        match self {
            ChangeStatus::Improved => "улучшение",
            ChangeStatus::Same => "без изменений",
            ChangeStatus::Worsened => "ухудшение",
            ChangeStatus::TooSmall => "мало данных для вывода",
            ChangeStatus::NotTested => "без оценки значимости",
            ChangeStatus::NoData => "нет данных для сравнения",
        }
    }
}

/// How a value reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Fraction 0–1, shown as %.
    Share,
    /// Mean mark or score.
    Mean,
    /// ОИП or ИСБ points.
    Points,
}

/// One comparison of one school.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub school: String,
    /// Machine key: an indicator id, `oip`, `isb`, or `<procedure>|fail|pass|quality|mark`.
    pub key: String,
    /// The indicator in Russian.
    pub name: String,
    pub unit: Unit,
    /// Whether a higher value is better.
    pub higher_better: bool,
    pub baseline_year: Option<Year>,
    pub baseline: Option<f64>,
    pub n_baseline: Option<u32>,
    pub current: Option<f64>,
    pub n_current: Option<u32>,
    /// current − baseline (fractions for shares).
    pub change: Option<f64>,
    pub p_value: Option<f64>,
    pub status: ChangeStatus,
    /// What the analyst must know: the test used, why it was not judged.
    pub note: String,
    /// For a procedure: the baseline procedure it was compared with (a КДР may be compared
    /// with ВПР), e.g. «ВПР Математика 5 кл.».
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline_procedure: Option<String>,
    /// Intervals of both values at the level of the test (1 − alpha; docs/method.md §6.1):
    /// Wilson for shares, t for means with a distribution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline_interval: Option<(f64, f64)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_interval: Option<(f64, f64)>,
}

/// «z = −2,24, p = 0,025» (p below 0.001 as «p < 0,001»), as a Russian reader writes it.
pub fn stat_text(name: &str, t: Test) -> String {
    let comma = |x: f64, d: usize| format!("{x:.d$}").replace('.', ",").replace('-', "−");
    let p = if t.p < 0.001 {
        "p < 0,001".to_string()
    } else {
        format!("p = {}", comma(t.p, 3))
    };
    format!("{name} = {}, {p}", comma(t.stat, 2))
}

/// The status of a tested change: significant at `alpha` → direction, else «без изменений».
pub fn decide(test: Test, higher_better: bool, alpha: f64) -> ChangeStatus {
    if test.p >= alpha || test.stat == 0.0 {
        ChangeStatus::Same
    } else if (test.stat > 0.0) == higher_better {
        ChangeStatus::Improved
    } else {
        ChangeStatus::Worsened
    }
}

/// Groups too small to judge (either side below `min_n`).
fn too_small(n1: u32, n2: u32, cfg: &Progress) -> Option<(ChangeStatus, Option<f64>, String)> {
    (n1 < cfg.min_n || n2 < cfg.min_n).then(|| {
        (
            ChangeStatus::TooSmall,
            None,
            format!(
                "n = {n1} и {n2}: меньше {} — изменение не оценивается",
                cfg.min_n
            ),
        )
    })
}

/// Judges a change of a share x₁/n₁ → x₂/n₂: status, p-value and a note.
pub fn judge_share(
    (x1, n1): (u32, u32),
    (x2, n2): (u32, u32),
    higher_better: bool,
    cfg: &Progress,
) -> (ChangeStatus, Option<f64>, String) {
    if let Some(small) = too_small(n1, n2, cfg) {
        return small;
    }
    if x1 > n1 || x2 > n2 {
        return (
            ChangeStatus::NotTested,
            None,
            "значение больше 100 % (прибыли обучающиеся): критерий для долей неприменим".into(),
        );
    }
    match two_proportion(x1, n1, x2, n2) {
        Some(t) => (
            decide(t, higher_better, cfg.alpha),
            Some(t.p),
            format!("z-критерий для двух долей: {}", stat_text("z", t)),
        ),
        // Pooled share 0 or 1: both samples are all-or-nothing and equal.
        None => (
            ChangeStatus::Same,
            None,
            "доли равны (0 % или 100 % в обоих случаях)".into(),
        ),
    }
}

/// Judges a change of a mean from moments (mean, sample variance, n) on both sides.
pub fn judge_mean(
    (m1, v1, n1): (f64, f64, u32),
    (m2, v2, n2): (f64, f64, u32),
    higher_better: bool,
    cfg: &Progress,
) -> (ChangeStatus, Option<f64>, String) {
    if let Some(small) = too_small(n1, n2, cfg) {
        return small;
    }
    match welch(m1, v1, n1, m2, v2, n2) {
        Some(t) => (
            decide(t, higher_better, cfg.alpha),
            Some(t.p),
            format!("t-критерий Уэлча по отметкам: {}", stat_text("t", t)),
        ),
        None if (m1 - m2).abs() < 1e-12 => (
            ChangeStatus::Same,
            None,
            "все отметки одинаковы в обоих случаях".into(),
        ),
        None => (
            ChangeStatus::NotTested,
            None,
            "нет разброса отметок: значимость не оценивается".into(),
        ),
    }
}

/// Mark counts of a procedure statistic (from its shares and n).
fn counts(p: &ProcStat) -> Option<[u32; 4]> {
    let s = p.mark_shares?;
    Some(s.map(|x| (x * f64::from(p.n)).round() as u32))
}

/// One school's data on one side of the comparison (the baseline, or the interim year),
/// gathered once so that a region of thousands of schools is not scanned per school.
#[derive(Default)]
struct Side<'a> {
    /// The baseline year, or the interim year.
    year: Year,
    raw: Vec<&'a RawIndicator>,
    stats: Vec<&'a ProcStat>,
}

/// Both sides for every school, in one pass over each list.
fn sides<'a>(f: &'a Findings, interim: &'a Interim) -> BTreeMap<&'a str, (Side<'a>, Side<'a>)> {
    let mut m: BTreeMap<&str, (Side, Side)> = BTreeMap::new();
    for r in &f.raw {
        side_entry(&mut m, &r.school, f.year, interim.year)
            .0
            .raw
            .push(r);
    }
    for p in &f.proc_stats {
        if let Some(id) = p.school.as_deref() {
            side_entry(&mut m, id, f.year, interim.year).0.stats.push(p);
        }
    }
    for r in &interim.raw {
        side_entry(&mut m, &r.school, f.year, interim.year)
            .1
            .raw
            .push(r);
    }
    for p in &interim.proc_stats {
        if let Some(id) = p.school.as_deref() {
            side_entry(&mut m, id, f.year, interim.year).1.stats.push(p);
        }
    }
    m
}

fn side_entry<'a, 'm>(
    m: &'m mut BTreeMap<&'a str, (Side<'a>, Side<'a>)>,
    id: &'a str,
    base_year: Year,
    year: Year,
) -> &'m mut (Side<'a>, Side<'a>) {
    m.entry(id).or_insert_with(|| {
        (
            Side {
                year: base_year,
                ..Side::default()
            },
            Side {
                year,
                ..Side::default()
            },
        )
    })
}

/// Summed mark counts of a school's procedures of a year that pass `keep`.
fn summed_counts(
    stats: &[&ProcStat],
    year: Year,
    keep: impl Fn(&Procedure) -> bool,
) -> Option<[u32; 4]> {
    let mut total = [0u32; 4];
    let mut any = false;
    for p in stats
        .iter()
        .filter(|p| p.year == year && keep(&p.procedure))
    {
        if let Some(c) = counts(p) {
            any = true;
            for i in 0..4 {
                total[i] += c[i];
            }
        }
    }
    any.then_some(total)
}

/// Which procedures stand behind a mean ОИП indicator, for the variance of its marks.
/// A filter over procedures.
type ProcFilter<'a> = Box<dyn Fn(&Procedure) -> bool + 'a>;

fn mark_filter(spec: &IndicatorSpec) -> Option<ProcFilter<'_>> {
    match &spec.source {
        IndicatorSource::VprMark => Some(Box::new(|p: &Procedure| p.exam == Exam::Vpr)),
        IndicatorSource::ExamScore { exam, subject } => Some(Box::new(move |p: &Procedure| {
            p.exam == *exam && same_subject(&p.subject, subject)
        })),
        _ => None,
    }
}

/// The latest value of an ОИП indicator on one side (the baseline may lack the last year).
fn latest_raw<'a>(d: &Side<'a>, id: &str) -> Option<&'a RawIndicator> {
    d.raw
        .iter()
        .filter(|r| r.indicator == id && r.year <= d.year)
        .max_by_key(|r| r.year)
        .copied()
}

#[allow(clippy::too_many_arguments)]
fn row(
    school: &str,
    key: String,
    name: String,
    unit: Unit,
    higher_better: bool,
    base: Option<(Year, f64, Option<u32>)>,
    cur: Option<(f64, Option<u32>)>,
    judged: (ChangeStatus, Option<f64>, String),
) -> Change {
    Change {
        school: school.to_string(),
        key,
        name,
        unit,
        higher_better,
        baseline_year: base.map(|b| b.0),
        baseline: base.map(|b| b.1),
        n_baseline: base.and_then(|b| b.2),
        current: cur.map(|c| c.0),
        n_current: cur.and_then(|c| c.1),
        change: base.zip(cur).map(|(b, c)| c.0 - b.1),
        p_value: judged.1,
        status: judged.0,
        note: judged.2,
        baseline_procedure: None,
        baseline_interval: None,
        current_interval: None,
    }
}

/// The quantiles of one level, each computed once: z, and t per degrees of freedom as they
/// are met. Each is 80 evaluations of a distribution function; a country has 750,000
/// intervals and a few hundred distinct n.
struct Quantiles {
    level: f64,
    z: f64,
    t: RwLock<HashMap<u32, f64>>,
}

impl Quantiles {
    fn new(level: f64) -> Self {
        Quantiles {
            level,
            z: uncertainty::z_quantile(level),
            t: RwLock::new(HashMap::new()),
        }
    }

    fn t(&self, df: u32) -> f64 {
        let known = self.t.read().map(|m| m.get(&df).copied());
        if let Ok(Some(t)) = known {
            return t;
        }
        let t = uncertainty::t_quantile(self.level, f64::from(df));
        if let Ok(mut m) = self.t.write() {
            m.insert(df, t);
        }
        t
    }
}

/// A value's interval at the level of `q`: Wilson for a share of n, t for a mean with its SD.
fn interval(
    unit: Unit,
    value: f64,
    n: Option<u32>,
    sd: Option<f64>,
    q: &Quantiles,
) -> Option<(f64, f64)> {
    let n = n?;
    match unit {
        Unit::Share => uncertainty::wilson(value, n, q.z),
        Unit::Mean => {
            uncertainty::mean_interval_with(value, sd?, n, &mut |df| q.t(df)).map(|(iv, _)| iv)
        }
        Unit::Points => None,
    }
}

/// A composite index (ИСБ, ОИП) of a school: its shift is not tested (`why_not`); without
/// one of the two values, the side that is missing is named.
fn index_row(
    school: &str,
    (key, name): (&str, &str),
    base: Option<(Year, f64, Option<u32>)>,
    cur: Option<(f64, Option<u32>)>,
    why_not: &str,
) -> Option<Change> {
    let judged = match (base.is_some(), cur.is_some()) {
        (false, false) => return None,
        (true, true) => (ChangeStatus::NotTested, None, why_not.to_string()),
        (has_base, _) => no_data(has_base),
    };
    Some(row(
        school,
        key.into(),
        name.into(),
        Unit::Points,
        true,
        base,
        cur,
        judged,
    ))
}

fn no_data(base: bool) -> (ChangeStatus, Option<f64>, String) {
    let why = if base {
        "нет промежуточных данных"
    } else {
        "нет значения в базовом снимке"
    };
    (ChangeStatus::NoData, None, why.to_string())
}

/// The ОИП indicators of a school: baseline vs interim.
fn indicator_changes(
    specs: &[IndicatorSpec],
    id: &str,
    (bs, cs): &(Side, Side),
    cfg: &Progress,
    assumed_sd: &BTreeMap<String, f64>,
    q: &Quantiles,
) -> Vec<Change> {
    let mut out = Vec::new();
    for spec in specs {
        let base = latest_raw(bs, &spec.id);
        let cur = latest_raw(cs, &spec.id);
        if base.is_none() && cur.is_none() {
            continue; // not applicable to this school (an ООШ has no ЕГЭ)
        }
        let kind = spec.source.kind();
        let unit = match kind {
            IndicatorKind::Share => Unit::Share,
            IndicatorKind::Mean => Unit::Mean,
        };
        let judged = match (base, cur) {
            (Some(b), Some(c)) => match kind {
                IndicatorKind::Share => {
                    let x = |r: &RawIndicator| (r.value * f64::from(r.n)).round() as u32;
                    judge_share((x(b), b.n), (x(c), c.n), true, cfg)
                }
                IndicatorKind::Mean => {
                    let moments = |stats: &[&ProcStat], year| {
                        let filter = mark_filter(spec)?;
                        mark_moments(summed_counts(stats, year, filter)?)
                    };
                    match (moments(&bs.stats, b.year), moments(&cs.stats, cs.year)) {
                        (Some(m1), Some(m2)) => judge_mean(m1, m2, true, cfg),
                        _ if b.n < cfg.min_n || c.n < cfg.min_n => (
                            ChangeStatus::TooSmall,
                            None,
                            format!("n = {} и {}: меньше {}", b.n, c.n, cfg.min_n),
                        ),
                        _ => (
                            ChangeStatus::NotTested,
                            None,
                            "нет распределения отметок: значимость не оценивается".into(),
                        ),
                    }
                }
            },
            (b, _) => no_data(b.is_some()),
        };
        let mut change = row(
            id,
            spec.id.clone(),
            spec.name.clone(),
            unit,
            true,
            base.map(|b| (b.year, b.value, Some(b.n))),
            cur.map(|c| (c.value, Some(c.n))),
            judged,
        );
        // A mean without a distribution gets identify's configured SD ([uncertainty.sd]).
        let sd = |r: &RawIndicator| r.sd.or_else(|| assumed_sd.get(&spec.id).copied());
        change.baseline_interval = base.and_then(|b| interval(unit, b.value, Some(b.n), sd(b), q));
        change.current_interval = cur.and_then(|c| interval(unit, c.value, Some(c.n), sd(c), q));
        out.push(change);
    }
    out
}

/// The baseline counterpart of an interim procedure: the same procedure in the latest
/// baseline year; for a КДР without one, ВПР of the same subject and grade (noted).
fn counterpart<'a>(base: &Side<'a>, p: &ProcStat) -> Option<(&'a ProcStat, bool)> {
    let latest = |want: &dyn Fn(&Procedure) -> bool| {
        base.stats
            .iter()
            .filter(|b| b.year <= base.year && want(&b.procedure))
            .max_by_key(|b| b.year)
            .copied()
    };
    if let Some(b) = latest(&|q| *q == p.procedure) {
        return Some((b, false));
    }
    if p.procedure.exam == Exam::Kdr {
        return latest(&|q| {
            q.exam == Exam::Vpr
                && q.grade == p.procedure.grade
                && same_subject(&q.subject, &p.procedure.subject)
        })
        .map(|b| (b, true));
    }
    None
}

/// The interim procedures of a school against their baseline counterparts.
fn procedure_changes(id: &str, (bs, cs): &(Side, Side), cfg: &Progress) -> Vec<Change> {
    let mut out = Vec::new();
    let mut stats: Vec<&ProcStat> = cs
        .stats
        .iter()
        .filter(|p| p.year == cs.year)
        .copied()
        .collect();
    stats.sort_by(|a, b| a.procedure.cmp(&b.procedure));
    for cur in stats {
        let pname = cur.procedure.to_string();
        let Some((base, substituted)) = counterpart(bs, cur) else {
            out.push(row(
                id,
                format!("{pname}|fail"),
                format!("{pname}: доля «2»"),
                Unit::Share,
                false,
                None,
                cur.fail_share.map(|v| (v, Some(cur.n))),
                (
                    ChangeStatus::NoData,
                    None,
                    "этой процедуры нет в базовом снимке".into(),
                ),
            ));
            continue;
        };
        let prefix = if substituted {
            format!(
                "сравнение с {} {} г. (КДР — с ВПР того же предмета и класса); ",
                base.procedure, base.year
            )
        } else {
            String::new()
        };
        let shares = [
            ("fail", "доля «2»", false, base.fail_share, cur.fail_share),
            ("pass", "справляемость", true, base.pass_rate, cur.pass_rate),
            ("quality", "качество", true, base.quality, cur.quality),
        ];
        let bname = base.procedure.to_string();
        let with_base = |mut c: Change| {
            c.baseline_procedure = Some(bname.clone());
            c
        };
        for (key, label, hb, b, c) in shares {
            let (Some(b), Some(c)) = (b, c) else { continue };
            let x = |v: f64, n: u32| (v * f64::from(n)).round() as u32;
            let mut judged = judge_share((x(b, base.n), base.n), (x(c, cur.n), cur.n), hb, cfg);
            judged.2 = format!("{prefix}{}", judged.2);
            out.push(with_base(row(
                id,
                format!("{pname}|{key}"),
                format!("{pname}: {label}"),
                Unit::Share,
                hb,
                Some((base.year, b, Some(base.n))),
                Some((c, Some(cur.n))),
                judged,
            )));
        }
        if let (Some(cb), Some(cc)) = (counts(base), counts(cur))
            && let (Some(m1), Some(m2)) = (mark_moments(cb), mark_moments(cc))
        {
            let mut judged = judge_mean(m1, m2, true, cfg);
            judged.2 = format!("{prefix}{}", judged.2);
            out.push(with_base(row(
                id,
                format!("{pname}|mark"),
                format!("{pname}: средняя отметка"),
                Unit::Mean,
                true,
                Some((base.year, m1.0, Some(m1.2))),
                Some((m2.0, Some(m2.2))),
                judged,
            )));
        }
    }
    out
}

/// Every comparison of every baseline school, sorted by school id then key order of
/// appearance: ОИП indicators, ИСБ, procedures, ОИП.
///
/// `interim_oip` is the school's ОИП recomputed for the interim year (see `interim`).
pub fn compare(
    f: &Findings,
    specs: &[IndicatorSpec],
    interim: &Interim,
    interim_oip: &BTreeMap<String, Option<f64>>,
    cfg: &Progress,
    assumed_sd: &BTreeMap<String, f64>,
) -> Vec<Change> {
    let mut schools: Vec<&SchoolResult> = f.schools.iter().collect();
    schools.sort_by(|a, b| a.school.id.cmp(&b.school.id));
    let data = sides(f, interim);
    let empty = (Side::default(), Side::default());
    let q = Quantiles::new(1.0 - cfg.alpha);
    // Schools are independent; a country's 750,000 comparisons (p-values, intervals) take
    // seconds on one core.
    schools
        .par_iter()
        .flat_map_iter(|s| {
            let mut out = Vec::new();
            let id = &s.school.id;
            let d = data.get(id.as_str()).unwrap_or(&empty);
            if !interim.schools.contains(id) {
                out.push(row(
                    id,
                    "—".into(),
                    "все показатели".into(),
                    Unit::Points,
                    true,
                    None,
                    None,
                    (
                        ChangeStatus::NoData,
                        None,
                        "школы нет в промежуточных данных: сравнение невозможно, признаки базового снимка сохраняются".into(),
                    ),
                ));
                return out;
            }
            out.extend(indicator_changes(specs, id, d, cfg, assumed_sd, &q));
            out.extend(index_row(
                id,
                ("isb", "ИСБ"),
                s.isb.as_ref().map(|i| (i.year, i.value, None)),
                interim.isb.get(id).map(|v| (*v, None)),
                "сводный индекс: значим не сдвиг, а положение относительно порога (см. «Флаги»)",
            ));
            out.extend(procedure_changes(id, d, cfg).into_iter().map(|mut c| {
                if c.unit == Unit::Share {
                    c.baseline_interval = c
                        .baseline
                        .and_then(|v| interval(c.unit, v, c.n_baseline, None, &q));
                    c.current_interval = c
                        .current
                        .and_then(|v| interval(c.unit, v, c.n_current, None, &q));
                }
                c
            }));
            out.extend(index_row(
                id,
                ("oip", "ОИП"),
                s.oip_in(f.year).map(|v| (f.year, v, None)),
                interim_oip.get(id).copied().flatten().map(|v| (v, None)),
                "сводный индекс: пересчитан по новым данным с кластерами снимка; значимость — по показателям выше",
            ));
            out
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> Progress {
        Progress::default()
    }

    #[test]
    fn decide_by_significance_and_direction() {
        let sig_up = Test {
            stat: 2.5,
            p: 0.012,
        };
        let not_sig = Test { stat: 1.5, p: 0.13 };
        assert_eq!(decide(sig_up, true, 0.05), ChangeStatus::Improved);
        assert_eq!(decide(sig_up, false, 0.05), ChangeStatus::Worsened);
        assert_eq!(decide(not_sig, true, 0.05), ChangeStatus::Same);
        // At 99 % the same change is not enough.
        assert_eq!(decide(sig_up, true, 0.01), ChangeStatus::Same);
    }

    #[test]
    fn share_of_twos_falling_is_improvement() {
        // Доля «2»: 12/40 → 4/40, z = −2.236, p = 0.025 < 0.05; lower is better → улучшение.
        let (st, p, note) = judge_share((12, 40), (4, 40), false, &cfg());
        assert_eq!(st, ChangeStatus::Improved);
        assert!((p.unwrap() - 0.025_347).abs() < 1e-5);
        assert_eq!(note, "z-критерий для двух долей: z = −2,24, p = 0,025");
        // 12/40 → 9/40: z = −0.75/… not significant → без изменений, although it fell.
        let (st, _, _) = judge_share((12, 40), (9, 40), false, &cfg());
        assert_eq!(st, ChangeStatus::Same);
    }

    #[test]
    fn small_p_is_written_as_a_bound() {
        assert_eq!(
            stat_text(
                "z",
                Test {
                    stat: 4.447,
                    p: 0.000_009
                }
            ),
            "z = 4,45, p < 0,001"
        );
    }

    #[test]
    fn tiny_groups_are_not_judged() {
        // 5/9 → 0/9: a huge change, but n = 9 < 10.
        let (st, p, note) = judge_share((5, 9), (0, 9), false, &cfg());
        assert_eq!(st, ChangeStatus::TooSmall);
        assert_eq!(p, None);
        assert!(note.contains("меньше 10"), "{note}");
        let (st, _, _) = judge_mean((3.0, 0.5, 9), (4.0, 0.5, 30), true, &cfg());
        assert_eq!(st, ChangeStatus::TooSmall);
    }

    #[test]
    fn both_values_get_an_interval_at_the_level_of_the_test() {
        // alpha 0,05 → 95 %. A share 10 of 50: Wilson, z = 1,959964: 1 + z²/50 = 1,076832;
        // centre (0,2 + 0,038415)/1,076832 = 0,221405; half 1,959964/1,076832 ·
        // √(0,2·0,8/50 + 3,841459/10000) = 0,108967 → 0,112438–0,330371.
        let level = 1.0 - cfg().alpha;
        let q = Quantiles::new(level);
        let (lo, hi) = interval(Unit::Share, 0.2, Some(50), None, &q).unwrap();
        assert!((lo - 0.112_438).abs() < 1e-6 && (hi - 0.330_371).abs() < 1e-6);
        // A mean 3,5 with SD 0,8 over 10: 3,5 ± 2,2622·0,8/√10 = ± 0,5723
        // (fixtures/uncertainty/README.md).
        let (lo, hi) = interval(Unit::Mean, 3.5, Some(10), Some(0.8), &q).unwrap();
        assert!((lo - 2.927_7).abs() < 1e-4 && (hi - 4.072_3).abs() < 1e-4);
        // The second time the t of 9 df comes from the cache: the same interval.
        assert_eq!(
            interval(Unit::Mean, 3.5, Some(10), Some(0.8), &q),
            Some((lo, hi))
        );
        // No SD, no n, or an index: no interval.
        assert_eq!(interval(Unit::Mean, 3.5, Some(10), None, &q), None);
        assert_eq!(interval(Unit::Share, 0.2, None, None, &q), None);
        assert_eq!(interval(Unit::Points, 21.0, Some(10), None, &q), None);
    }

    #[test]
    fn share_above_one_is_not_tested() {
        let (st, _, _) = judge_share((12, 10), (9, 10), true, &cfg());
        assert_eq!(st, ChangeStatus::NotTested);
    }

    #[test]
    fn mean_mark_welch() {
        // Hand numbers of stats::welch_by_hand: t = 2.094, p ≈ 0.042 < 0.05 → улучшение.
        let (st, p, _) = judge_mean((3.0, 0.5, 20), (3.5, 0.8, 25), true, &cfg());
        assert_eq!(st, ChangeStatus::Improved);
        assert!(p.unwrap() < 0.05);
    }
}
