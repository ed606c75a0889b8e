//! Flags with their основания (docs/method.md §4.5), judged for the latest year Y:
//! - ШНОР: ОИП strictly below the ШНОР bar in at least `min_low_years` of the last `window`
//!   judged years; or the federal rule (share of «2» / below the minimum ≥ `fail_share` in
//!   ≥ `min_procedures` procedures of Y, and in one and the same procedure in Y−1 and Y);
//! - ШНСУ: ИСБ strictly below the threshold;
//! - зона риска (only if not ШНОР): ОИП below the ШНОР bar in Y; ОИП fell by ≥ `drop_points`
//!   since Y−1 to below the program threshold; the fail share of a procedure grew by
//!   ≥ `growth_pp` p.p. and the two-sided pooled z-test is significant at `alpha`,
//!   Bonferroni-corrected over the school's procedures tested in Y; the federal rule's first
//!   condition alone;
//! - резильентная (only if not ШНОР): ШНСУ and ОИП ≥ `resilient_bar` in Y.
//!
//! Several reasons for one flag are joined in one основание with «; ».
//!
//! An ОИП rule (ШНОР by ОИП, the two ОИП rules of зона риска) is **устойчивый** when it still
//! holds at the favourable end of the intervals (docs/method.md §6.2): ОИП_high below the bar in
//! enough years; for the fall, ОИП_low of Y−1 minus ОИП_high of Y still ≥ `drop_points` with
//! ОИП_high of Y below the program threshold. With `[uncertainty] robust_only` only
//! устойчивые count; otherwise the основание says which.
//!
//! Every rule is checked first into [`Checks`] (its inputs and outcome), and the flags are read
//! off that record alone; the record is kept beside the flags, so `explain` shows the numbers
//! the lists rest on and cannot disagree with them.

use super::stats::{Test, at_least, below, two_proportion};
use super::text::{in_years, join_and, num, pct};
use super::{Flag, FlagKind, FrozenThreshold, IsbResult};
use crate::config::Config;
use crate::measure::ProcStat;
use crate::model::{Exam, Procedure, Year};
use std::collections::BTreeMap;

/// What the flags of one school are judged on.
pub struct Facts<'a> {
    /// The latest judged year Y.
    pub year: Year,
    /// ОИП per judged year (`None` = недостаточно данных).
    pub oip: &'a BTreeMap<Year, Option<f64>>,
    /// (ОИП_low, ОИП_high) per judged year with an ОИП.
    pub bounds: &'a BTreeMap<Year, (f64, f64)>,
    /// The school's procedure statistics (any years; Y−1 and Y are used).
    pub procs: &'a [&'a ProcStat],
    pub isb: Option<&'a IsbResult>,
    pub threshold: Option<&'a FrozenThreshold>,
}

/// The federal rule's two conditions for one school.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Federal {
    /// Procedures of Y at or above the fail share (n ≥ min_n), with the share.
    pub failing: Vec<(Procedure, f64)>,
    /// Procedures at or above the fail share in both Y−1 and Y: (procedure, Y−1, Y).
    pub persistent: Vec<(Procedure, f64, f64)>,
}

impl Federal {
    pub fn first(&self, cfg: &Config) -> bool {
        self.failing.len() >= cfg.federal.min_procedures as usize
    }

    pub fn second(&self) -> bool {
        !self.persistent.is_empty()
    }

    pub fn fires(&self, cfg: &Config) -> bool {
        if cfg.federal.conjunction {
            self.first(cfg) && self.second()
        } else {
            self.first(cfg) || self.second()
        }
    }
}

/// Whether the federal rule judges a procedure statistic: enough participants, and a ВПР or
/// КДР unless the ГИА is included.
pub fn judged_by_federal(s: &ProcStat, cfg: &Config) -> bool {
    s.n >= cfg.federal.min_n
        && (cfg.federal.include_gia || matches!(s.procedure.exam, Exam::Vpr | Exam::Kdr))
}

/// The federal rule's conditions for one school in `year`, over its procedure statistics of
/// `year` and `year − 1` (others are ignored). `identify` judges its latest year with it,
/// `progress` the interim year against the baseline year.
pub fn federal(procs: &[&ProcStat], year: Year, cfg: &Config) -> Federal {
    let failing_in = |y: Year| -> BTreeMap<&Procedure, f64> {
        procs
            .iter()
            .filter(|s| s.year == y && judged_by_federal(s, cfg))
            .filter_map(|s| s.fail_share.map(|v| (&s.procedure, v)))
            .filter(|(_, v)| at_least(*v, cfg.federal.fail_share))
            .collect()
    };
    let now = failing_in(year);
    let before = failing_in(year - 1);
    Federal {
        failing: now.iter().map(|(p, v)| ((*p).clone(), *v)).collect(),
        persistent: now
            .iter()
            .filter_map(|(p, v)| before.get(p).map(|b| ((*p).clone(), *b, *v)))
            .collect(),
    }
}

/// Each flag rule's inputs and outcome for one school, recorded by [`judge_school`] as it
/// decides the flags: `explain` shows these very numbers and never works them out again.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Checks {
    /// ОИП of the judged years within the window, ascending (`None` = недостаточно данных).
    pub window: Vec<(Year, Option<f64>)>,
    /// The years of the window with ОИП strictly below the ШНОР bar, with the values.
    pub low: Vec<(Year, f64)>,
    /// ШНОР by ОИП: `low` holds at least `min_low_years` years.
    pub shnor_by_oip: bool,
    /// The years of `low` whose ОИП_high is below the bar too.
    pub low_sure: Vec<Year>,
    /// `low_sure` holds at least `min_low_years` years: устойчивый.
    pub shnor_robust: bool,
    /// ОИП_high of Y below the ШНОР bar.
    pub latest_robust: bool,
    /// The fall holds between ОИП_low of Y−1 and ОИП_high of Y, and ОИП_high of Y is below
    /// the program threshold.
    pub dropped_robust: bool,
    /// `[uncertainty] robust_only`: неустойчивые ОИП rules do not count.
    pub robust_only: bool,
    /// The federal rule; `None` when it is switched off.
    pub federal: Option<FederalCheck>,
    /// ИСБ against the threshold; `None` without ИСБ or threshold.
    pub shnsu: Option<ShnsuCheck>,
    /// ОИП of Y−1 and of Y.
    pub previous: Option<f64>,
    pub latest: Option<f64>,
    /// ОИП of Y below the ШНОР bar while the ОИП rule of ШНОР does not hold.
    pub low_only_latest: bool,
    /// ОИП fell by ≥ `drop_points` from Y−1 to Y, to below the program threshold.
    pub dropped: bool,
    pub growth: GrowthCheck,
    /// ШНСУ with ОИП of Y at or above the resilience bar (the flag itself only if not ШНОР).
    pub resilient: bool,
}

impl Checks {
    /// ШНОР by ОИП counts: it holds, and is устойчивый or неустойчивые count too.
    pub fn shnor_by_oip_counts(&self) -> bool {
        self.shnor_by_oip && (self.shnor_robust || !self.robust_only)
    }

    fn low_latest_counts(&self) -> bool {
        self.low_only_latest && (self.latest_robust || !self.robust_only)
    }

    fn dropped_counts(&self) -> bool {
        self.dropped && (self.dropped_robust || !self.robust_only)
    }

    /// Whether the school's listed ОИП-based flag is устойчивый: ШНОР by ОИП when it
    /// counts, else the ОИП rules of зона риска that count (either one устойчивый is enough).
    /// `None` when no ОИП rule lists the school.
    pub fn oip_robust(&self) -> Option<bool> {
        if self.shnor_by_oip_counts() {
            return Some(self.shnor_robust);
        }
        let latest = self.low_latest_counts().then_some(self.latest_robust);
        let dropped = self.dropped_counts().then_some(self.dropped_robust);
        match (latest, dropped) {
            (None, None) => None,
            (a, b) => Some(a.unwrap_or(false) || b.unwrap_or(false)),
        }
    }
}

/// The federal rule's findings and the outcome of each condition.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FederalCheck {
    pub found: Federal,
    pub first: bool,
    pub second: bool,
    /// Both conditions (either one without `conjunction`).
    pub fires: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ShnsuCheck {
    pub isb: f64,
    /// The year of the passport ИСБ is computed from.
    pub year: Year,
    pub threshold: f64,
    /// ИСБ strictly below the threshold: ШНСУ.
    pub below: bool,
}

/// The growth of the fail share from Y−1 to Y.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GrowthCheck {
    /// Procedures with n ≥ `min_n_test` and a known fail share in both years; their number is
    /// the Bonferroni divisor.
    pub compared: Vec<Compared>,
    /// The level each test is held to: `alpha`, divided by `compared.len()` under Bonferroni.
    pub alpha: f64,
}

/// One procedure's fail share in Y−1 and Y.
#[derive(Clone, Debug, PartialEq)]
pub struct Compared {
    pub procedure: Procedure,
    pub before: f64,
    pub now: f64,
    /// (now − before) in percentage points.
    pub change_pp: f64,
    /// `change_pp` ≥ `growth_pp`: the z-test is run.
    pub grown: bool,
    /// The pooled z-test; `None` when not run or undefined (no variance).
    pub test: Option<Test>,
    /// p < `alpha`.
    pub significant: bool,
}

/// The growth of «2» per procedure: compared when n ≥ min_n_test in both years and fails
/// are known; tested when it grew by ≥ growth_pp p.p.; significant when p < α (Bonferroni
/// over the procedures compared).
fn growth(f: &Facts, cfg: &Config) -> GrowthCheck {
    let r = &cfg.risk;
    let of = |y: Year| -> BTreeMap<&Procedure, &ProcStat> {
        f.procs
            .iter()
            .filter(|s| s.year == y && s.n >= r.min_n_test && s.fail_share.is_some())
            .map(|s| (&s.procedure, *s))
            .collect()
    };
    let now = of(f.year);
    let before = of(f.year - 1);
    let pairs: Vec<(&ProcStat, &ProcStat)> = now
        .iter()
        .filter_map(|(p, s)| before.get(p).map(|b| (*b, *s)))
        .collect();
    let alpha = if r.bonferroni && !pairs.is_empty() {
        r.alpha / pairs.len() as f64
    } else {
        r.alpha
    };
    let fails = |s: &ProcStat| (s.fail_share.unwrap_or(0.0) * f64::from(s.n)).round() as u32;
    let compared = pairs
        .into_iter()
        .filter_map(|(b, s)| {
            let (before, now) = (b.fail_share?, s.fail_share?);
            let change_pp = (now - before) * 100.0;
            let grown = at_least(change_pp, r.growth_pp);
            let test = grown
                .then(|| two_proportion(fails(b), b.n, fails(s), s.n))
                .flatten();
            Some(Compared {
                procedure: s.procedure.clone(),
                before,
                now,
                change_pp,
                grown,
                test,
                significant: test.is_some_and(|t| t.p < alpha),
            })
        })
        .collect();
    GrowthCheck { compared, alpha }
}

/// Every rule of METHOD §4.5 checked for one school.
fn checks(f: &Facts, cfg: &Config) -> Checks {
    let o = &cfg.oip;
    let first = f.year - o.window.max(1) as Year + 1;
    let window: Vec<(Year, Option<f64>)> =
        f.oip.range(first..=f.year).map(|(y, v)| (*y, *v)).collect();
    let low: Vec<(Year, f64)> = window
        .iter()
        .filter_map(|(y, v)| v.map(|v| (*y, v)))
        .filter(|(_, v)| below(*v, o.shnor_bar))
        .collect();
    let shnor_by_oip = low.len() >= o.min_low_years.max(1) as usize;
    let high = |y: Year| f.bounds.get(&y).map(|b| b.1);
    let low_sure: Vec<Year> = low
        .iter()
        .map(|(y, _)| *y)
        .filter(|y| high(*y).is_some_and(|h| below(h, o.shnor_bar)))
        .collect();
    let shnor_robust = low_sure.len() >= o.min_low_years.max(1) as usize;
    let robust_only = cfg.uncertainty.robust_only;
    let federal = cfg.federal.enabled.then(|| {
        let found = federal(f.procs, f.year, cfg);
        FederalCheck {
            first: found.first(cfg),
            second: found.second(),
            fires: found.fires(cfg),
            found,
        }
    });
    let shnsu = match (f.isb, f.threshold) {
        (Some(i), Some(t)) => Some(ShnsuCheck {
            isb: i.value,
            year: i.year,
            threshold: t.value,
            below: below(i.value, t.value),
        }),
        _ => None,
    };
    let latest = f.oip.get(&f.year).copied().flatten();
    let previous = f.oip.get(&(f.year - 1)).copied().flatten();
    let dropped = match (previous, latest) {
        (Some(p), Some(v)) => at_least(p - v, o.drop_points) && below(v, o.program_threshold),
        _ => false,
    };
    let latest_high = high(f.year);
    let dropped_robust = match (f.bounds.get(&(f.year - 1)), latest_high) {
        (Some((p_low, _)), Some(h)) => {
            at_least(p_low - h, o.drop_points) && below(h, o.program_threshold)
        }
        _ => false,
    };
    let shnor_counts = shnor_by_oip && (shnor_robust || !robust_only);
    Checks {
        low_only_latest: !shnor_counts && latest.is_some_and(|v| below(v, o.shnor_bar)),
        low_sure,
        shnor_robust,
        latest_robust: latest_high.is_some_and(|h| below(h, o.shnor_bar)),
        dropped_robust,
        robust_only,
        resilient: shnsu.as_ref().is_some_and(|s| s.below)
            && latest.is_some_and(|v| at_least(v, o.resilient_bar)),
        window,
        low,
        shnor_by_oip,
        federal,
        shnsu,
        previous,
        latest,
        dropped,
        growth: growth(f, cfg),
    }
}

fn fail_noun(p: &Procedure) -> &'static str {
    if p.exam == Exam::Ege {
        "доля не преодолевших минимальный порог"
    } else {
        "доля «2»"
    }
}

fn failing_text(fed: &Federal, y: Year, cfg: &Config) -> String {
    let items: Vec<String> = fed
        .failing
        .iter()
        .map(|(p, v)| format!("{p} — {}", pct(*v)))
        .collect();
    let noun = if fed.failing.iter().any(|(p, _)| p.exam == Exam::Ege) {
        "доля «2» (ЕГЭ — не преодолевших минимальный порог)"
    } else {
        "доля «2»"
    };
    format!(
        "{} {noun} не менее {} в {}: {}",
        in_years(&[y]),
        pct(cfg.federal.fail_share),
        in_procedures(fed.failing.len()),
        join_and(&items)
    )
}

/// «в 1 процедуре», «в 2 процедурах».
fn in_procedures(n: usize) -> String {
    crate::read::count(n, "процедуре", "процедурах", "процедурах")
}

fn persistent_text(fed: &Federal, y: Year) -> String {
    let items: Vec<String> = fed
        .persistent
        .iter()
        .map(|(p, b, n)| {
            format!(
                "{} по {p} {} ({}) и {} ({y})",
                fail_noun(p),
                pct(*b),
                y - 1,
                pct(*n)
            )
        })
        .collect();
    join_and(&items)
}

/// An interval end to one decimal, as the reports show ОИП: 15,1667 → 15,2.
fn tenth(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// «21 (2023)», or with the interval «21 (2023 г., интервал 14–28)».
fn in_year(v: f64, y: Year, bounds: Option<&(f64, f64)>) -> String {
    match bounds {
        Some((lo, hi)) => format!(
            "{} ({y} г., интервал {}–{})",
            num(v),
            num(tenth(*lo)),
            num(tenth(*hi))
        ),
        None => format!("{} ({y})", num(v)),
    }
}

/// «12,3 (9,8–15,1)»: ОИП with its interval when there is one.
pub fn with_bounds(v: f64, bounds: Option<&(f64, f64)>) -> String {
    match bounds {
        Some((lo, hi)) => format!("{} ({}–{})", num(v), num(tenth(*lo)), num(tenth(*hi))),
        None => num(v),
    }
}

fn p_value(p: f64) -> String {
    if p < 0.001 {
        "< 0,001".into()
    } else {
        format!("{p:.3}").replace('.', ",")
    }
}

/// All flags of one school, with their основания, and the checks they were decided on.
pub fn judge_school(f: &Facts, cfg: &Config) -> (Vec<Flag>, Checks) {
    let c = checks(f, cfg);
    (decide(&c, f, cfg), c)
}

/// The flags, read off the checks alone.
fn decide(c: &Checks, f: &Facts, cfg: &Config) -> Vec<Flag> {
    let y = f.year;
    let bar = cfg.oip.shnor_bar;
    let mut out = Vec::new();

    // ШНОР
    let mut shnor = Vec::new();
    if c.shnor_by_oip_counts() {
        let values: Vec<String> = c
            .low
            .iter()
            .map(|(y, v)| with_bounds(*v, f.bounds.get(y)))
            .collect();
        let years: Vec<Year> = c.low.iter().map(|(y, _)| *y).collect();
        let sure = if c.shnor_robust {
            format!(
                "устойчиво: верхняя граница ОИП ниже {} {}",
                num(bar),
                in_years(&c.low_sure)
            )
        } else if c.low_sure.is_empty() {
            format!(
                "статистически неустойчиво: верхняя граница ОИП не ниже {} ни в одном из этих лет",
                num(bar)
            )
        } else {
            format!(
                "статистически неустойчиво: верхняя граница ОИП ниже {} только {} (нужно не менее {})",
                num(bar),
                in_years(&c.low_sure),
                crate::read::count(cfg.oip.min_low_years as usize, "года", "лет", "лет")
            )
        };
        shnor.push(format!(
            "ОИП {} {} при пороге ШНОР {} (ниже порога не менее чем в {} из {} последних лет), {sure}",
            join_and(&values),
            in_years(&years),
            num(bar),
            cfg.oip.min_low_years,
            cfg.oip.window
        ));
    }
    if let Some(fed) = c.federal.as_ref().filter(|x| x.fires) {
        let mut parts = Vec::new();
        if fed.first {
            parts.push(failing_text(&fed.found, y, cfg));
        }
        if fed.second {
            parts.push(persistent_text(&fed.found, y));
        }
        shnor.push(format!("федеральный критерий: {}", parts.join("; ")));
    }
    let is_shnor = !shnor.is_empty();
    if is_shnor {
        out.push(Flag {
            kind: FlagKind::Shnor,
            basis: shnor.join("; "),
        });
    }

    // ШНСУ
    if let Some(s) = c.shnsu.as_ref().filter(|s| s.below) {
        let how = match f.threshold.and_then(|t| Some((&t.spec, t.year?))) {
            Some((spec, ty)) => format!("{spec} по школам муниципалитета за {ty} г."),
            None => "задан в настройках".into(),
        };
        out.push(Flag {
            kind: FlagKind::Shnsu,
            basis: format!(
                "ИСБ {} ({} г.) ниже порога {} ({how})",
                num(s.isb),
                s.year,
                num(s.threshold)
            ),
        });
    }

    if is_shnor {
        out.sort_by_key(|f| f.kind);
        return out;
    }

    // Зона риска
    let mut risk = Vec::new();
    if let Some(v) = c.latest.filter(|_| c.low_latest_counts()) {
        risk.push(format!(
            "ОИП {} {} ниже порога ШНОР {} (только в последнем году), {}",
            with_bounds(v, f.bounds.get(&y)),
            in_years(&[y]),
            num(bar),
            match (c.latest_robust, f.bounds.get(&y)) {
                (true, _) => "устойчиво: верхняя граница тоже ниже порога".to_string(),
                (false, Some((_, hi))) => format!(
                    "статистически неустойчиво: верхняя граница {} не ниже порога",
                    num(tenth(*hi))
                ),
                (false, None) => "статистически неустойчиво: интервала ОИП нет".to_string(),
            }
        ));
    }
    if let (true, Some(p), Some(v)) = (c.dropped_counts(), c.previous, c.latest) {
        risk.push(format!(
            "ОИП снизился с {} до {}, на {} (не менее {}), и ниже порога программы {}, {}",
            in_year(p, y - 1, f.bounds.get(&(y - 1))),
            in_year(v, y, f.bounds.get(&y)),
            num(p - v),
            num(cfg.oip.drop_points),
            num(cfg.oip.program_threshold),
            if c.dropped_robust {
                "устойчиво: снижение не меньше и между границами интервалов"
            } else {
                "статистически неустойчиво: между границами интервалов снижение меньше"
            }
        ));
    }
    let tested = c.growth.compared.len();
    for g in c.growth.compared.iter().filter(|g| g.significant) {
        let Some(t) = g.test else { continue };
        let correction = if cfg.risk.bonferroni {
            format!(
                "{} / {tested} = {} (поправка Бонферрони: проверено процедур — {tested})",
                num(cfg.risk.alpha),
                p_value(c.growth.alpha),
            )
        } else {
            num(cfg.risk.alpha)
        };
        risk.push(format!(
            "{} по {} выросла с {} ({}) до {} ({y}), на {} п.п.; рост значим: z = {}, p = {} < {}",
            fail_noun(&g.procedure),
            g.procedure,
            pct(g.before),
            y - 1,
            pct(g.now),
            num(g.change_pp),
            num(t.stat),
            p_value(t.p),
            correction
        ));
    }
    if let Some(fed) = c.federal.as_ref().filter(|x| x.first) {
        risk.push(format!(
            "{} (первое условие федерального критерия)",
            failing_text(&fed.found, y, cfg)
        ));
    }
    if !risk.is_empty() {
        out.push(Flag {
            kind: FlagKind::Risk,
            basis: risk.join("; "),
        });
    }

    // Резильентная
    if let (true, Some(s), Some(v)) = (c.resilient, &c.shnsu, c.latest) {
        out.push(Flag {
            kind: FlagKind::Resilient,
            basis: format!(
                "ШНСУ (ИСБ {} ниже порога {}), при этом ОИП {} {} не ниже {}",
                num(s.isb),
                num(s.threshold),
                num(v),
                in_years(&[y]),
                num(cfg.oip.resilient_bar)
            ),
        });
    }
    out.sort_by_key(|f| f.kind);
    out
}
