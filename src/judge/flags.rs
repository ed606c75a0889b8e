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

use super::stats::{at_least, below, two_proportion};
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
    /// The school's procedure statistics (any years; Y−1 and Y are used).
    pub procs: &'a [&'a ProcStat],
    pub isb: Option<&'a IsbResult>,
    pub threshold: Option<&'a FrozenThreshold>,
}

/// Years of the window with ОИП strictly below the ШНОР bar, with the values.
pub fn low_years(f: &Facts, cfg: &Config) -> Vec<(Year, f64)> {
    let first = f.year - cfg.oip.window.max(1) as Year + 1;
    f.oip
        .iter()
        .filter(|(y, _)| (first..=f.year).contains(*y))
        .filter_map(|(y, v)| v.map(|v| (*y, v)))
        .filter(|(_, v)| below(*v, cfg.oip.shnor_bar))
        .collect()
}

/// The federal rule's two conditions for one school.
#[derive(Debug, Default, PartialEq)]
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

/// A procedure whose fail share grew significantly.
#[derive(Debug, PartialEq)]
pub struct Growth {
    pub procedure: Procedure,
    pub before: f64,
    pub now: f64,
    pub z: f64,
    pub p: f64,
    /// Procedures tested that year (the Bonferroni divisor).
    pub tested: usize,
}

/// Procedures whose share of «2» grew by ≥ growth_pp p.p. from Y−1 to Y with a significant
/// z-test; `tested` = procedures with n ≥ min_n_test in both years and known fails.
pub fn growth(f: &Facts, cfg: &Config) -> Vec<Growth> {
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
    let tested = pairs.len();
    let alpha = if r.bonferroni && tested > 0 {
        r.alpha / tested as f64
    } else {
        r.alpha
    };
    let fails = |s: &ProcStat| (s.fail_share.unwrap_or(0.0) * f64::from(s.n)).round() as u32;
    pairs
        .into_iter()
        .filter_map(|(b, s)| {
            let (pb, pn) = (b.fail_share?, s.fail_share?);
            if !at_least((pn - pb) * 100.0, r.growth_pp) {
                return None;
            }
            let t = two_proportion(fails(b), b.n, fails(s), s.n)?;
            (t.p < alpha).then(|| Growth {
                procedure: s.procedure.clone(),
                before: pb,
                now: pn,
                z: t.stat,
                p: t.p,
                tested,
            })
        })
        .collect()
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
    if n % 10 == 1 && n % 100 != 11 {
        format!("{n} процедуре")
    } else {
        format!("{n} процедурах")
    }
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

fn p_value(p: f64) -> String {
    if p < 0.001 {
        "< 0,001".into()
    } else {
        format!("{p:.3}").replace('.', ",")
    }
}

/// All flags of one school, with their основания.
pub fn flags(f: &Facts, cfg: &Config) -> Vec<Flag> {
    let y = f.year;
    let bar = cfg.oip.shnor_bar;
    let mut out = Vec::new();

    // ШНОР
    let mut shnor = Vec::new();
    let low = low_years(f, cfg);
    if low.len() >= cfg.oip.min_low_years.max(1) as usize {
        let values: Vec<String> = low.iter().map(|(_, v)| num(*v)).collect();
        let years: Vec<Year> = low.iter().map(|(y, _)| *y).collect();
        shnor.push(format!(
            "ОИП {} {} при пороге ШНОР {} (ниже порога не менее чем в {} из {} последних лет)",
            join_and(&values),
            in_years(&years),
            num(bar),
            cfg.oip.min_low_years,
            cfg.oip.window
        ));
    }
    let fed = federal(f.procs, f.year, cfg);
    if cfg.federal.enabled && fed.fires(cfg) {
        let mut parts = Vec::new();
        if fed.first(cfg) {
            parts.push(failing_text(&fed, y, cfg));
        }
        if fed.second() {
            parts.push(persistent_text(&fed, y));
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
    let shnsu = match (f.isb, f.threshold) {
        (Some(i), Some(t)) if below(i.value, t.value) => {
            let how = match t.year {
                Some(ty) => format!("{} по школам муниципалитета за {ty} г.", t.spec),
                None => "задан в настройках".into(),
            };
            Some(format!(
                "ИСБ {} ({} г.) ниже порога {} ({how})",
                num(i.value),
                i.year,
                num(t.value)
            ))
        }
        _ => None,
    };
    if let Some(b) = &shnsu {
        out.push(Flag {
            kind: FlagKind::Shnsu,
            basis: b.clone(),
        });
    }

    if is_shnor {
        out.sort_by_key(|f| f.kind);
        return out;
    }

    // Зона риска
    let mut risk = Vec::new();
    let now = f.oip.get(&y).copied().flatten();
    let prev = f.oip.get(&(y - 1)).copied().flatten();
    if let Some(v) = now.filter(|v| below(*v, bar)) {
        risk.push(format!(
            "ОИП {} {} ниже порога ШНОР {} (только в последнем году)",
            num(v),
            in_years(&[y]),
            num(bar)
        ));
    }
    if let (Some(v), Some(p)) = (now, prev)
        && at_least(p - v, cfg.oip.drop_points)
        && below(v, cfg.oip.program_threshold)
    {
        risk.push(format!(
            "ОИП снизился с {} ({}) до {} ({y}), на {} (не менее {}), и ниже порога программы {}",
            num(p),
            y - 1,
            num(v),
            num(p - v),
            num(cfg.oip.drop_points),
            num(cfg.oip.program_threshold)
        ));
    }
    for g in growth(f, cfg) {
        let correction = if cfg.risk.bonferroni {
            format!(
                "{} / {} = {} (поправка Бонферрони: проверено процедур — {})",
                num(cfg.risk.alpha),
                g.tested,
                p_value(cfg.risk.alpha / g.tested as f64),
                g.tested
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
            num((g.now - g.before) * 100.0),
            num(g.z),
            p_value(g.p),
            correction
        ));
    }
    if cfg.federal.enabled && fed.first(cfg) {
        risk.push(format!(
            "{} (первое условие федерального критерия)",
            failing_text(&fed, y, cfg)
        ));
    }
    if !risk.is_empty() {
        out.push(Flag {
            kind: FlagKind::Risk,
            basis: risk.join("; "),
        });
    }

    // Резильентная
    if let (Some(_), Some(v), Some(i), Some(t)) = (&shnsu, now, f.isb, f.threshold)
        && at_least(v, cfg.oip.resilient_bar)
    {
        out.push(Flag {
            kind: FlagKind::Resilient,
            basis: format!(
                "ШНСУ (ИСБ {} ниже порога {}), при этом ОИП {} {} не ниже {}",
                num(i.value),
                num(t.value),
                num(v),
                in_years(&[y]),
                num(cfg.oip.resilient_bar)
            ),
        });
    }
    out.sort_by_key(|f| f.kind);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn oips(v: &[(Year, Option<f64>)]) -> BTreeMap<Year, Option<f64>> {
        v.iter().copied().collect()
    }

    fn proc(exam: Exam, subject: &str, grade: Option<u8>) -> Procedure {
        Procedure {
            exam,
            subject: subject.into(),
            grade,
        }
    }

    fn stat(year: Year, p: &Procedure, fails: u32, n: u32) -> ProcStat {
        ProcStat {
            year,
            school: Some("1".into()),
            procedure: p.clone(),
            n,
            mark_shares: None,
            pass_rate: None,
            quality: None,
            fail_share: Some(f64::from(fails) / f64::from(n)),
            mean_score: None,
            mean_mark: None,
            fail_change_pp: None,
        }
    }

    fn run(oip: &BTreeMap<Year, Option<f64>>, procs: &[ProcStat], cfg: &Config) -> Vec<Flag> {
        let refs: Vec<&ProcStat> = procs.iter().collect();
        flags(
            &Facts {
                year: 2025,
                oip,
                procs: &refs,
                isb: None,
                threshold: None,
            },
            cfg,
        )
    }

    fn kinds(f: &[Flag]) -> Vec<FlagKind> {
        f.iter().map(|f| f.kind).collect()
    }

    #[test]
    fn shnor_bar_not_program_threshold() {
        let cfg = Config::default();
        // ОИП 15 in all years: below the program threshold 21, but not below the bar 14
        let o = oips(&[(2023, Some(15.0)), (2024, Some(15.0)), (2025, Some(15.0))]);
        assert!(run(&o, &[], &cfg).is_empty());
        // 13.9 in 2 of 3 years → ШНОР; exactly 14 is not below the bar
        let o = oips(&[(2023, Some(14.0)), (2024, Some(13.9)), (2025, Some(13.9))]);
        let f = run(&o, &[], &cfg);
        assert_eq!(kinds(&f), vec![FlagKind::Shnor]);
        assert_eq!(
            f[0].basis,
            "ОИП 13,9 и 13,9 в 2024 и 2025 гг. при пороге ШНОР 14 (ниже порога не менее чем в 2 \
             из 3 последних лет)"
        );
        // low in 2023 and 2025 (not consecutive) also counts
        let o = oips(&[(2023, Some(10.0)), (2024, Some(20.0)), (2025, Some(12.0))]);
        assert_eq!(kinds(&run(&o, &[], &cfg)), vec![FlagKind::Shnor]);
    }

    #[test]
    fn low_only_in_latest_year_is_risk() {
        let cfg = Config::default();
        let o = oips(&[(2023, Some(16.0)), (2024, Some(16.0)), (2025, Some(12.0))]);
        let f = run(&o, &[], &cfg);
        assert_eq!(kinds(&f), vec![FlagKind::Risk]);
        assert_eq!(
            f[0].basis,
            "ОИП 12 в 2025 г. ниже порога ШНОР 14 (только в последнем году)"
        );
        // no ОИП in a year does not count as low
        let o = oips(&[(2023, None), (2024, Some(13.0)), (2025, None)]);
        assert!(run(&o, &[], &cfg).is_empty());
    }

    #[test]
    fn drop_of_five_points_to_below_21() {
        let cfg = Config::default();
        // 25 → 20: fell by 5 (≥ 5) to below 21 → risk
        let o = oips(&[(2024, Some(25.0)), (2025, Some(20.0))]);
        let f = run(&o, &[], &cfg);
        assert_eq!(kinds(&f), vec![FlagKind::Risk]);
        assert_eq!(
            f[0].basis,
            "ОИП снизился с 25 (2024) до 20 (2025), на 5 (не менее 5), и ниже порога программы 21"
        );
        // 25.9 → 21: fell by 4.9 → no; 28 → 21: fell by 7 but not below 21 → no
        assert!(run(&oips(&[(2024, Some(25.9)), (2025, Some(21.0))]), &[], &cfg).is_empty());
        assert!(run(&oips(&[(2024, Some(28.0)), (2025, Some(21.0))]), &[], &cfg).is_empty());
    }

    #[test]
    fn federal_rule_both_conditions() {
        let cfg = Config::default();
        let ma = proc(Exam::Vpr, "Математика", Some(5));
        let ru = proc(Exam::Vpr, "Русский язык", Some(5));
        let o = oips(&[(2025, Some(21.0))]);
        // 2025: Ma 6/20 = 30 %, Ru 7/20 = 35 % (two procedures); 2024: Ma 6/20 = 30 %
        let both = [
            stat(2024, &ma, 6, 20),
            stat(2024, &ru, 2, 20),
            stat(2025, &ma, 6, 20),
            stat(2025, &ru, 7, 20),
        ];
        let f = run(&o, &both, &cfg);
        assert_eq!(kinds(&f), vec![FlagKind::Shnor]);
        assert_eq!(
            f[0].basis,
            "федеральный критерий: в 2025 г. доля «2» не менее 30\u{a0}% в 2 процедурах: ВПР Математика 5 кл. — 30\u{a0}% и ВПР Русский \
             язык 5 кл. — 35\u{a0}%; доля «2» по ВПР Математика 5 кл. 30\u{a0}% (2024) и \
             30\u{a0}% (2025)"
        );
        // only the first condition (2024 Ma 5/20 = 25 %) → not ШНОР, but risk
        let first_only = [
            stat(2024, &ma, 5, 20),
            stat(2025, &ma, 6, 20),
            stat(2025, &ru, 7, 20),
        ];
        let f = run(&o, &first_only, &cfg);
        assert_eq!(kinds(&f), vec![FlagKind::Risk]);
        assert!(
            f[0].basis
                .ends_with("(первое условие федерального критерия)")
        );
        // with conjunction = false either condition is enough
        let mut or = cfg.clone();
        or.federal.conjunction = false;
        assert_eq!(kinds(&run(&o, &first_only, &or)), vec![FlagKind::Shnor]);
        let second_only = [stat(2024, &ma, 6, 20), stat(2025, &ma, 6, 20)];
        assert!(run(&o, &second_only, &cfg).is_empty());
        assert_eq!(kinds(&run(&o, &second_only, &or)), vec![FlagKind::Shnor]);
    }

    #[test]
    fn federal_rule_small_procedures_and_gia() {
        let cfg = Config::default();
        let ma = proc(Exam::Vpr, "Математика", Some(5));
        let oge = proc(Exam::Oge, "Математика", None);
        let o = oips(&[(2025, Some(21.0))]);
        // ОГЭ 5/9 = 56 % but n = 9 < 10: not judged → only one failing procedure
        let small = [
            stat(2024, &ma, 6, 20),
            stat(2025, &ma, 6, 20),
            stat(2025, &oge, 5, 9),
        ];
        assert!(run(&o, &small, &cfg).is_empty());
        // ОГЭ with n = 10 (4/10 = 40 %) counts by default …
        let gia = [
            stat(2024, &ma, 6, 20),
            stat(2025, &ma, 6, 20),
            stat(2025, &oge, 4, 10),
        ];
        assert_eq!(kinds(&run(&o, &gia, &cfg)), vec![FlagKind::Shnor]);
        // … and not with include_gia = false
        let mut vpr_only = cfg.clone();
        vpr_only.federal.include_gia = false;
        assert!(run(&o, &gia, &vpr_only).is_empty());
        // ЕГЭ: below the minimum counts as failing, and the wording says so
        let ege = proc(Exam::Ege, "Русский язык", None);
        let with_ege = [
            stat(2024, &ma, 6, 20),
            stat(2025, &ma, 6, 20),
            stat(2025, &ege, 4, 10),
        ];
        let f = run(&o, &with_ege, &cfg);
        assert_eq!(
            f[0].basis,
            "федеральный критерий: в 2025 г. доля «2» (ЕГЭ — не преодолевших минимальный \
             порог) не менее 30\u{a0}% в 2 процедурах: ВПР Математика 5 кл. — 30\u{a0}% и ЕГЭ \
             Русский язык — 40\u{a0}%; доля «2» по ВПР Математика 5 кл. 30\u{a0}% (2024) и \
             30\u{a0}% (2025)"
        );
        // disabled rule
        let mut off = cfg.clone();
        off.federal.enabled = false;
        assert!(run(&o, &gia, &off).is_empty());
    }

    #[test]
    fn significant_growth_of_fails() {
        let cfg = Config::default();
        let ma = proc(Exam::Vpr, "Математика", Some(5));
        let ru = proc(Exam::Vpr, "Русский язык", Some(5));
        let o = oips(&[(2024, Some(21.0)), (2025, Some(21.0))]);
        // Ma 2/40 = 5 % → 10/40 = 25 %: +20 p.p.; z = 2.5049, p = 0.01225 (see stats.rs);
        // Ru flat 4/40 → 4/40; two procedures tested → α = 0.05 / 2 = 0.025 > 0.01225
        let procs = [
            stat(2024, &ma, 2, 40),
            stat(2025, &ma, 10, 40),
            stat(2024, &ru, 4, 40),
            stat(2025, &ru, 4, 40),
        ];
        let f = run(&o, &procs, &cfg);
        assert_eq!(kinds(&f), vec![FlagKind::Risk]);
        assert_eq!(
            f[0].basis,
            "доля «2» по ВПР Математика 5 кл. выросла с 5\u{a0}% (2024) до 25\u{a0}% (2025), на \
             20 п.п.; рост значим: z = 2,5, p = 0,012 < 0,05 / 2 = 0,025 (поправка Бонферрони: \
             проверено процедур — 2)"
        );
        // n < 20 in a year: not tested at all
        let small = [stat(2024, &ma, 1, 19), stat(2025, &ma, 5, 19)];
        assert!(run(&o, &small, &cfg).is_empty());
    }

    #[test]
    fn twelve_points_not_significant_after_bonferroni() {
        let cfg = Config::default();
        let grows = proc(Exam::Vpr, "Математика", Some(6));
        let o = oips(&[(2024, Some(21.0)), (2025, Some(21.0))]);
        // 40/200 = 20 % → 64/200 = 32 %: +12 p.p.; pooled 104/400 = 0.26;
        // se = √(0.26·0.74·(2/200)) = √0.001924 = 0.043863; z = 0.12 / 0.043863 = 2.7358;
        // p = 2·(1 − Φ(2.7358)) = 0.00622
        let t = two_proportion(40, 200, 64, 200).unwrap();
        assert!(
            (t.stat - 2.7358).abs() < 1e-3 && (t.p - 0.00622).abs() < 5e-5,
            "{t:?}"
        );
        let mut procs = vec![stat(2024, &grows, 40, 200), stat(2025, &grows, 64, 200)];
        // alone: p 0.00622 < 0.05 → risk
        assert_eq!(kinds(&run(&o, &procs, &cfg)), vec![FlagKind::Risk]);
        // with 9 more flat procedures: 10 tested, α = 0.005 < 0.00622 → not significant
        for g in 1..=9u8 {
            let p = proc(Exam::Vpr, "Русский язык", Some(g));
            procs.push(stat(2024, &p, 20, 200));
            procs.push(stat(2025, &p, 20, 200));
        }
        assert!(run(&o, &procs, &cfg).is_empty());
        // without the correction the same growth fires
        let mut raw = cfg.clone();
        raw.risk.bonferroni = false;
        assert_eq!(kinds(&run(&o, &procs, &raw)), vec![FlagKind::Risk]);
    }

    #[test]
    fn shnsu_and_resilient() {
        let cfg = Config::default();
        let t = FrozenThreshold {
            spec: "p25".into(),
            value: 67.0,
            year: Some(2025),
        };
        let isb = |v: f64| IsbResult {
            year: 2025,
            value: v,
            components: Vec::new(),
        };
        let o = oips(&[(2025, Some(29.0))]);
        let low = isb(56.0);
        let refs: Vec<&ProcStat> = Vec::new();
        let facts = |isb, oip| Facts {
            year: 2025,
            oip,
            procs: &refs,
            isb,
            threshold: Some(&t),
        };
        let f = flags(&facts(Some(&low), &o), &cfg);
        assert_eq!(kinds(&f), vec![FlagKind::Shnsu, FlagKind::Resilient]);
        assert_eq!(
            f[0].basis,
            "ИСБ 56 (2025 г.) ниже порога 67 (p25 по школам муниципалитета за 2025 г.)"
        );
        assert_eq!(
            f[1].basis,
            "ШНСУ (ИСБ 56 ниже порога 67), при этом ОИП 29 в 2025 г. не ниже 24,5"
        );
        // ОИП 24.4 < 24.5 → ШНСУ only; ИСБ exactly at the threshold → nothing
        let mid = oips(&[(2025, Some(24.4))]);
        assert_eq!(
            kinds(&flags(&facts(Some(&low), &mid), &cfg)),
            vec![FlagKind::Shnsu]
        );
        let at = isb(67.0);
        assert!(flags(&facts(Some(&at), &o), &cfg).is_empty());
        // ШНОР cannot be resilient or at risk
        let shnor = oips(&[(2024, Some(10.0)), (2025, Some(10.0))]);
        assert_eq!(
            kinds(&flags(&facts(Some(&low), &shnor), &cfg)),
            vec![FlagKind::Shnor, FlagKind::Shnsu]
        );
    }
}
