//! The interim point of `progress` (docs/method.md §5): ОИП recomputed for the interim year with the
//! baseline's clusters, points bands and frozen thresholds, ИСБ of the new social passport,
//! and the flags that schools enter or leave by the interim data.
//!
//! Interim data are partial (an olympiad protocol, a passport, a diagnostic work), so the
//! interim ОИП is the baseline year's points with every indicator that has new data
//! re-scored against its cluster's new value; a school without any new indicator gets no
//! interim ОИП, and no flag moves on old numbers. Leaving a flag needs the bar cleared by a
//! margin (hysteresis), so a school hovering at the bar does not flap in and out.
//! Points and ИСБ are `identify`'s own (`points.rs`, `isb.rs`).

use super::dynamics::{Change, ChangeStatus};
use crate::config::{Config, IndicatorKind, Points};
use crate::judge::flags::{federal, judged_by_federal};
use crate::judge::frame::{Spread, variance_components};
use crate::judge::oip::oip;
use crate::judge::{Findings, FlagKind, uncertainty};
use crate::measure::{ProcStat, RawIndicator};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::judge::stats::EPS;
use crate::judge::text::{num, pct};

/// The interim ОИП of one school.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InterimOip {
    pub school: String,
    /// `None` when no indicator has new data or fewer than the minimum are reliable.
    pub value: Option<f64>,
    /// Indicators re-scored on interim data (ids).
    pub updated: Vec<String>,
    /// Reliable indicators used in all.
    pub used: usize,
    /// Points of every indicator used (re-scored or carried from the baseline year).
    pub points: BTreeMap<String, u8>,
    /// Share of the ОИП weight that rests on new data (0–1): below one half, the interim
    /// ОИП is last year's with a correction, not a new year.
    pub new_weight: f64,
}

/// Points of a school value against its cluster value (docs/method.md §4.3), as `identify` gives them.
pub fn points(kind: IndicatorKind, school: f64, cluster: f64, cfg: &Points) -> Option<u8> {
    crate::judge::points::score(kind, school, cluster, cfg).map(|(_, p)| p)
}

/// ОИП of the interim year for every baseline school. `cfg` is the baseline's configuration:
/// the comparison must be made by the methodology the baseline was made with.
pub fn interim_oip(f: &Findings, cfg: &Config, raw: &[RawIndicator]) -> Vec<InterimOip> {
    let cluster_of: BTreeMap<&str, &str> = f
        .schools
        .iter()
        .map(|s| (s.school.id.as_str(), s.cluster.as_str()))
        .collect();
    // Participant-weighted cluster values of the interim year.
    let mut acc: BTreeMap<(&str, &str), (f64, u32)> = BTreeMap::new();
    for r in raw {
        if let Some(c) = cluster_of.get(r.school.as_str()) {
            let e = acc.entry((c, r.indicator.as_str())).or_default();
            e.0 += r.value * f64::from(r.n);
            e.1 += r.n;
        }
    }
    let raw_by: BTreeMap<(&str, &str), &RawIndicator> = raw
        .iter()
        .map(|r| ((r.school.as_str(), r.indicator.as_str()), r))
        .collect();
    // A baseline made with shrunk values (docs/method.md §6.3) is compared with interim values
    // shrunk the same way: like with like.
    let shrunk = if f.shrink {
        shrink_interim(raw, &cluster_of, &acc, cfg)
    } else {
        BTreeMap::new()
    };
    let mut out = Vec::new();
    for s in &f.schools {
        let id = s.school.id.as_str();
        let mut items: Vec<(f64, u8)> = Vec::new();
        let mut updated = Vec::new();
        let mut used_points = BTreeMap::new();
        let mut new_w = 0.0;
        for spec in cfg.indicators.iter().filter(|sp| sp.weight > 0.0) {
            let new = raw_by
                .get(&(id, spec.id.as_str()))
                .copied()
                .filter(|r| r.n >= cfg.general.min_n)
                .and_then(|r| {
                    let (sum, n) = acc.get(&(s.cluster.as_str(), spec.id.as_str()))?;
                    (*n > 0).then_some(())?;
                    let value = shrunk.get(&(id, spec.id.as_str())).copied();
                    points(
                        spec.source.kind(),
                        value.unwrap_or(r.value),
                        sum / f64::from(*n),
                        &cfg.points,
                    )
                });
            if let Some(p) = new {
                items.push((spec.weight, p));
                updated.push(spec.id.clone());
                used_points.insert(spec.id.clone(), p);
                new_w += spec.weight;
            } else if let Some(p) = s
                .indicators
                .iter()
                .find(|i| i.year == f.year && i.indicator == spec.id && i.reliable)
                .and_then(|i| i.points)
            {
                items.push((spec.weight, p));
                used_points.insert(spec.id.clone(), p);
            }
        }
        let wsum: f64 = items.iter().map(|i| i.0).sum();
        // The same formula as identify's: without new data there is no interim ОИП.
        let (value, used) = oip(&items, &cfg.oip);
        out.push(InterimOip {
            school: id.to_string(),
            value: value.filter(|_| !updated.is_empty()),
            updated,
            used,
            points: used_points,
            new_weight: if wsum > 0.0 { new_w / wsum } else { 0.0 },
        });
    }
    out
}

/// Interim values shrunk towards their cluster's interim value, as `identify` does with
/// `shrink = true`: τ² per cluster and indicator from the interim values themselves.
fn shrink_interim<'a>(
    raw: &'a [RawIndicator],
    cluster_of: &BTreeMap<&str, &'a str>,
    acc: &BTreeMap<(&str, &str), (f64, u32)>,
    cfg: &Config,
) -> BTreeMap<(&'a str, &'a str), f64> {
    let kind = |id: &str| {
        cfg.indicators
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.source.kind())
    };
    let cluster_value = |c: &str, id: &str| {
        acc.get(&(c, id))
            .filter(|(_, n)| *n > 0)
            .map(|(sum, n)| sum / f64::from(*n))
    };
    let sigma2 = |r: &RawIndicator, c: &str| {
        let share = kind(&r.indicator)? == IndicatorKind::Share;
        let sd =
            r.sd.or_else(|| cfg.uncertainty.sd.get(&r.indicator).copied());
        uncertainty::sampling_variance(share, sd, r.n, cluster_value(c, &r.indicator)?)
    };
    let rows: Vec<(&RawIndicator, &str, f64)> = raw
        .iter()
        .filter_map(|r| {
            let c = *cluster_of.get(r.school.as_str())?;
            Some((r, c, sigma2(r, c)?))
        })
        .collect();
    let spreads: Vec<Spread> = rows
        .iter()
        .map(|(r, c, s2)| Spread {
            cluster: c,
            year: r.year,
            indicator: r.indicator.as_str(),
            value: r.value,
            sigma2: *s2,
        })
        .collect();
    // A failure of polars here is a bug; without components nothing is shrunk and the
    // note of the report still says the baseline was shrunk.
    let components = variance_components(&spreads).unwrap_or_default();
    rows.iter()
        .filter_map(|(r, c, s2)| {
            let (var, mean_s2, _) =
                components.get(&(c.to_string(), r.year, r.indicator.clone()))?;
            let cv = cluster_value(c, &r.indicator)?;
            let (v, _) = uncertainty::shrink(r.value, *s2, uncertainty::tau2(*var, *mean_s2), cv);
            Some(((r.school.as_str(), r.indicator.as_str()), v))
        })
        .collect()
}

/// How a flag moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Movement {
    #[serde(rename = "вошла")]
    Entered,
    #[serde(rename = "вышла")]
    Left,
    #[serde(rename = "остаётся")]
    Stays,
}

impl Movement {
    /// The wording in reports.
    pub fn label(self) -> &'static str {
        match self {
            Movement::Entered => "вошла",
            Movement::Left => "вышла",
            Movement::Stays => "остаётся",
        }
    }
}

/// A flag a school entered, left, or keeps, with the основание.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FlagChange {
    pub school: String,
    pub kind: FlagKind,
    pub movement: Movement,
    pub basis: String,
}

/// Flags entered, left or kept by the interim data. `cfg` is the baseline's configuration
/// (its bars), `isb_now` the ИСБ of the new passports, `changes` the output of
/// [`super::dynamics::compare`] (for significant growth of the share of «2»).
pub fn flag_changes<'a>(
    f: &'a Findings,
    cfg: &Config,
    progress: &crate::config::Progress,
    oip: &[InterimOip],
    isb_now: &BTreeMap<String, f64>,
    interim_stats: &'a [ProcStat],
    changes: &[Change],
) -> Vec<FlagChange> {
    let bar = cfg.oip.shnor_bar;
    let prog = cfg.oip.program_threshold;
    let margin = progress.leave_margin;
    let mut out = Vec::new();
    let mut schools: Vec<_> = f.schools.iter().collect();
    schools.sort_by(|a, b| a.school.id.cmp(&b.school.id));
    // Per-school lists, built once: a region has thousands of schools.
    let group = |stats: &'a [ProcStat]| {
        let mut m: BTreeMap<&'a str, Vec<&'a ProcStat>> = BTreeMap::new();
        for p in stats {
            if let Some(id) = p.school.as_deref() {
                m.entry(id).or_default().push(p);
            }
        }
        m
    };
    let cur_by = group(interim_stats);
    let base_by = group(&f.proc_stats);
    let mut changes_by: BTreeMap<&str, Vec<&Change>> = BTreeMap::new();
    for c in changes {
        changes_by.entry(c.school.as_str()).or_default().push(c);
    }
    let oip_by: BTreeMap<&str, &InterimOip> = oip.iter().map(|o| (o.school.as_str(), o)).collect();
    let none: Vec<&ProcStat> = Vec::new();
    for s in schools {
        let id = s.school.id.as_str();
        let cur = cur_by.get(id).unwrap_or(&none);
        let base = base_by.get(id).unwrap_or(&none);
        let push = |out: &mut Vec<FlagChange>, kind, movement, basis: String| {
            out.push(FlagChange {
                school: id.to_string(),
                kind,
                movement,
                basis,
            });
        };
        let o = oip_by
            .get(id)
            .and_then(|x| x.value.map(|v| (v, x.new_weight)));
        let oy = s.oip_in(f.year);
        // The federal rule of `identify` for the interim year: its works against the
        // baseline year's.
        let procs: Vec<&ProcStat> = cur.iter().chain(base.iter()).copied().collect();
        let rule = federal(&procs, f.year + 1, cfg);
        let fails = &rule.failing;
        let c1 = cfg.federal.enabled && rule.first(cfg);
        let fed = cfg.federal.enabled && rule.fires(cfg);
        let fed_text = || {
            let list: Vec<String> = fails
                .iter()
                .map(|(p, v)| format!("{p} — {}", pct(*v)))
                .collect();
            format!(
                "доля «2» не ниже {} в промежуточных работах: {}",
                pct(cfg.federal.fail_share),
                list.join("; ")
            )
        };
        let fail_growth: Vec<&Change> = changes_by
            .get(id)
            .into_iter()
            .flatten()
            .copied()
            .filter(|c| {
                c.key.ends_with("|fail")
                    && c.status == ChangeStatus::Worsened
                    && c.change
                        .is_some_and(|d| d * 100.0 >= cfg.risk.growth_pp - EPS)
            })
            .collect();

        // ШНОР
        let was_shnor = s.flag(FlagKind::Shnor).is_some();
        let mut shnor_now = was_shnor;
        if was_shnor {
            // Why the baseline flagged it: ОИП below the bar in enough years of the window,
            // or else the federal rule — which only new works can clear.
            let low_years = (0..cfg.oip.window as i32)
                .filter(|k| s.oip_in(f.year - k).is_some_and(|v| v < bar - EPS))
                .count();
            let by_oip = low_years >= cfg.oip.min_low_years as usize;
            let tested = cur
                .iter()
                .filter(|p| judged_by_federal(p, cfg) && p.fail_share.is_some())
                .count();
            let (mv, basis) = if !by_oip {
                let need = cfg.federal.min_procedures as usize;
                let not_low = o.as_ref().is_none_or(|(v, _)| *v >= bar - EPS);
                if tested >= need && fails.is_empty() && not_low {
                    (
                        Movement::Left,
                        format!(
                            "признак по федеральному критерию: в промежуточных работах (процедур с n ≥ {}: {tested}) доля «2» везде ниже {}",
                            cfg.federal.min_n,
                            pct(cfg.federal.fail_share)
                        ),
                    )
                } else if !fails.is_empty() {
                    (Movement::Stays, fed_text())
                } else {
                    (
                        Movement::Stays,
                        format!(
                            "признак по федеральному критерию (доля «2»): для снятия нужны промежуточные работы не менее чем по {need} процедурам с n ≥ {}, все с долей «2» ниже {}; таких процедур {tested}",
                            cfg.federal.min_n,
                            pct(cfg.federal.fail_share)
                        ),
                    )
                }
            } else {
                match &o {
                    None => (
                        Movement::Stays,
                        "нет новых данных для пересчёта ОИП: признак базового снимка сохраняется"
                            .into(),
                    ),
                    Some((v, _)) if *v >= bar + margin - EPS && !fed => (
                        Movement::Left,
                        format!(
                            "ОИП {} на промежуточную дату не ниже порога ШНОР {} с запасом {} (нужно ≥ {})",
                            num(*v),
                            num(bar),
                            num(margin),
                            num(bar + margin)
                        ),
                    ),
                    Some((v, _)) if *v >= bar - EPS && !fed => (
                        Movement::Stays,
                        format!(
                            "ОИП {} выше порога ШНОР {}, но без запаса {} (нужно ≥ {}): признак сохраняется",
                            num(*v),
                            num(bar),
                            num(margin),
                            num(bar + margin)
                        ),
                    ),
                    Some((v, _)) => (
                        Movement::Stays,
                        if fed {
                            fed_text()
                        } else {
                            format!("ОИП {} ниже порога ШНОР {}", num(*v), num(bar))
                        },
                    ),
                }
            };
            shnor_now = mv != Movement::Left;
            push(&mut out, FlagKind::Shnor, mv, basis);
        } else {
            // Of the last `window` years (the interim point included) at least
            // `min_low_years` below the bar.
            let earlier: Vec<(i32, f64)> = (0..cfg.oip.window.saturating_sub(1) as i32)
                .filter_map(|k| s.oip_in(f.year - k).map(|v| (f.year - k, v)))
                .filter(|(_, v)| *v < bar - EPS)
                .collect();
            // The interim point counts as a year only when it rests mostly on new data.
            let by_oip = o
                .as_ref()
                .is_some_and(|(v, w)| *v < bar - EPS && *w >= 0.5 - EPS)
                && earlier.len() + 1 >= cfg.oip.min_low_years as usize;
            if by_oip || fed {
                let basis = if by_oip {
                    let (v, _) = o.as_ref().expect("by_oip implies a value");
                    let yrs: Vec<String> = earlier
                        .iter()
                        .map(|(y, x)| format!("{} в {y} г.", num(*x)))
                        .collect();
                    format!(
                        "ОИП {} на промежуточную дату и {} — ниже порога ШНОР {}",
                        num(*v),
                        yrs.join(", "),
                        num(bar)
                    )
                } else {
                    fed_text()
                };
                shnor_now = true;
                push(&mut out, FlagKind::Shnor, Movement::Entered, basis);
            }
        }

        // ШНСУ
        if let Some(th) = &f.isb_threshold {
            let now = isb_now.get(id).copied();
            let m = progress.leave_margin_isb;
            if s.flag(FlagKind::Shnsu).is_some() {
                let (mv, basis) = match now {
                    None => (
                        Movement::Stays,
                        "нового социального паспорта нет".to_string(),
                    ),
                    Some(v) if v >= th.value + m - EPS => (
                        Movement::Left,
                        format!(
                            "ИСБ {} по новому паспорту не ниже порога {} с запасом {}",
                            num(v),
                            num(th.value),
                            num(m)
                        ),
                    ),
                    Some(v) => (
                        Movement::Stays,
                        format!(
                            "ИСБ {} по новому паспорту; для снятия нужно ≥ {} (порог {} + запас {})",
                            num(v),
                            num(th.value + m),
                            num(th.value),
                            num(m)
                        ),
                    ),
                };
                push(&mut out, FlagKind::Shnsu, mv, basis);
            } else if let Some(v) = now
                && v < th.value - EPS
            {
                push(
                    &mut out,
                    FlagKind::Shnsu,
                    Movement::Entered,
                    format!(
                        "ИСБ {} по новому паспорту ниже замороженного порога {}",
                        num(v),
                        num(th.value)
                    ),
                );
            }
        }

        // зона риска (only for schools that are not ШНОР)
        if shnor_now {
            continue;
        }
        if s.flag(FlagKind::Risk).is_some() {
            let low = oy.is_some_and(|v| v < bar - EPS);
            let prev = s.oip_in(f.year - 1);
            let drop = matches!((prev, oy), (Some(p), Some(y)) if p - y >= cfg.oip.drop_points - EPS && y < prog - EPS);
            let (mv, basis) = if low || drop {
                let need = if low { bar } else { prog } + margin;
                match &o {
                    None => (
                        Movement::Stays,
                        "нет новых данных для пересчёта ОИП".to_string(),
                    ),
                    Some((v, _)) if *v >= need - EPS && !c1 && fail_growth.is_empty() => (
                        Movement::Left,
                        format!(
                            "ОИП {} на промежуточную дату не ниже {} ({} + запас {})",
                            num(*v),
                            num(need),
                            num(need - margin),
                            num(margin)
                        ),
                    ),
                    Some((v, _)) => (
                        Movement::Stays,
                        format!("ОИП {}; для снятия нужно ≥ {}", num(*v), num(need)),
                    ),
                }
            } else {
                // Flagged for the share of «2»: only new works can clear it. A procedure whose
                // «2» grew into the flag must come back down significantly — the same share
                // again is not a recovery, even below the federal 30 %.
                let tested = cur
                    .iter()
                    .any(|p| p.n >= cfg.federal.min_n && p.fail_share.is_some());
                let grown: Vec<String> = base
                    .iter()
                    .filter(|b| {
                        b.year == f.year
                            && b.n >= cfg.risk.min_n_test
                            && b.fail_change_pp
                                .is_some_and(|d| d >= cfg.risk.growth_pp - EPS)
                    })
                    .map(|b| b.procedure.to_string())
                    .collect();
                let not_recovered: Vec<&String> = grown
                    .iter()
                    .filter(|g| {
                        !changes_by.get(id).into_iter().flatten().any(|c| {
                            c.key.ends_with("|fail")
                                && c.baseline_procedure.as_ref() == Some(*g)
                                && c.status == ChangeStatus::Improved
                        })
                    })
                    .collect();
                if !tested {
                    (
                        Movement::Stays,
                        "признак по доле «2»: новых работ с достаточным числом участников нет"
                            .into(),
                    )
                } else if c1 || !fails.is_empty() {
                    (Movement::Stays, fed_text())
                } else if !not_recovered.is_empty() {
                    let list: Vec<&str> = not_recovered.iter().map(|g| g.as_str()).collect();
                    (
                        Movement::Stays,
                        format!(
                            "доля «2» выросла в {} г. по: {}; для снятия нужно значимое снижение в новых работах по этой процедуре (или КДР того же предмета и класса)",
                            f.year,
                            list.join(", ")
                        ),
                    )
                } else if fail_growth.is_empty() {
                    (
                        Movement::Left,
                        format!(
                            "в промежуточных работах нет процедур с долей «2» не ниже {}, рост доли «2» не подтвердился",
                            pct(cfg.federal.fail_share)
                        ),
                    )
                } else {
                    (
                        Movement::Stays,
                        "доля «2» в новых работах значимо выросла".into(),
                    )
                }
            };
            push(&mut out, FlagKind::Risk, mv, basis);
        } else {
            let mut why = Vec::new();
            if let Some((v, _)) = &o {
                if *v < bar - EPS {
                    why.push(format!("ОИП {} ниже порога ШНОР {}", num(*v), num(bar)));
                } else if let Some(y) = oy
                    && y - v >= cfg.oip.drop_points - EPS
                    && *v < prog - EPS
                {
                    why.push(format!(
                        "ОИП снизился с {} до {} (на {} и более) и ниже {}",
                        num(y),
                        num(*v),
                        num(cfg.oip.drop_points),
                        num(prog)
                    ));
                }
            }
            for c in &fail_growth {
                why.push(format!(
                    "{}: рост на {} п.п., значимый ({})",
                    c.name,
                    num(c.change.unwrap_or(0.0) * 100.0),
                    c.note
                ));
            }
            if c1 {
                why.push(fed_text());
            }
            if !why.is_empty() {
                push(&mut out, FlagKind::Risk, Movement::Entered, why.join("; "));
            }
        }
    }
    out
}
