//! The flag rules of `flags.rs` on hand-built cases: every number in the assertions is worked
//! out in the comments beside it.

use super::flags::*;
use super::stats::two_proportion;
use super::{Flag, FlagKind, FrozenThreshold, IsbResult};
use crate::config::Config;
use crate::measure::ProcStat;
use crate::model::{Exam, Procedure, Year};
use std::collections::BTreeMap;

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

fn flags(f: &Facts, cfg: &Config) -> Vec<Flag> {
    judge_school(f, cfg).0
}

fn run(oip: &BTreeMap<Year, Option<f64>>, procs: &[ProcStat], cfg: &Config) -> Vec<Flag> {
    let refs: Vec<&ProcStat> = procs.iter().collect();
    flags(
        &Facts {
            year: 2025,
            oip,
            bounds: &BTreeMap::new(),
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
         из 3 последних лет), статистически неустойчиво: верхняя граница ОИП не ниже 14 ни в \
         одном из этих лет"
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
        "ОИП 12 в 2025 г. ниже порога ШНОР 14 (только в последнем году), статистически \
         неустойчиво: интервала ОИП нет"
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
        "ОИП снизился с 25 (2024) до 20 (2025), на 5 (не менее 5), и ниже порога программы \
         21, статистически неустойчиво: между границами интервалов снижение меньше"
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
    let none = BTreeMap::new();
    let facts = |isb, oip| Facts {
        year: 2025,
        oip,
        bounds: &none,
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

#[test]
fn checks_record_every_rule() {
    let cfg = Config::default();
    let ma = proc(Exam::Vpr, "Математика", Some(5));
    let ru = proc(Exam::Vpr, "Русский язык", Some(5));
    let oge = proc(Exam::Oge, "Математика", None);
    let o = oips(&[(2023, Some(15.0)), (2024, Some(20.0)), (2025, Some(13.0))]);
    let procs = [
        stat(2024, &ma, 2, 40),
        stat(2025, &ma, 10, 40),
        stat(2024, &ru, 12, 40),
        stat(2025, &ru, 12, 40),
        // n = 9: below min_n 10 (federal) and min_n_test 20 (growth): in neither check
        stat(2024, &oge, 1, 9),
        stat(2025, &oge, 5, 9),
    ];
    let refs: Vec<&ProcStat> = procs.iter().collect();
    let t = FrozenThreshold {
        spec: "p25".into(),
        value: 67.0,
        year: Some(2025),
    };
    let isb = IsbResult {
        year: 2025,
        value: 56.0,
        components: Vec::new(),
    };
    let facts = Facts {
        year: 2025,
        oip: &o,
        bounds: &BTreeMap::new(),
        procs: &refs,
        isb: Some(&isb),
        threshold: Some(&t),
    };
    let (f, c) = judge_school(&facts, &cfg);
    assert_eq!(kinds(&f), vec![FlagKind::Shnsu, FlagKind::Risk]);
    // window 2023–2025; only 13 < 14 → 1 low year of the 2 needed: not ШНОР by ОИП
    assert_eq!(
        c.window,
        vec![(2023, Some(15.0)), (2024, Some(20.0)), (2025, Some(13.0))]
    );
    assert_eq!(c.low, vec![(2025, 13.0)]);
    assert!(!c.shnor_by_oip && c.low_only_latest);
    // 20 → 13: fell by 7 ≥ 5, to below 21
    assert_eq!(
        (c.previous, c.latest, c.dropped),
        (Some(20.0), Some(13.0), true)
    );
    // Ru 12/40 = 30 % in both years: 1 failing procedure of the 2 needed, persistent
    let fed = c.federal.as_ref().unwrap();
    assert_eq!(fed.found.failing, vec![(ru.clone(), 0.3)]);
    assert_eq!(fed.found.persistent, vec![(ru.clone(), 0.3, 0.3)]);
    assert_eq!((fed.first, fed.second, fed.fires), (false, true, false));
    // ИСБ 56 < 67; ОИП 13 < 24,5 → not resilient
    assert_eq!(
        c.shnsu,
        Some(ShnsuCheck {
            isb: 56.0,
            year: 2025,
            threshold: 67.0,
            below: true
        })
    );
    assert!(!c.resilient);
    // Ma and Ru compared (n = 40 ≥ 20 both years) → α = 0,05 / 2 = 0,025.
    // Ma 2/40 = 5 % → 10/40 = 25 %: +20 p.p.; pooled 12/80 = 0,15;
    // se = √(0,15·0,85·(1/40 + 1/40)) = √0,006375 = 0,079844; z = 0,2 / 0,079844 = 2,5049;
    // p = 2·(1 − Φ(2,5049)) = 0,01225 < 0,025 → significant. Ru +0 p.p.: not tested.
    let g = &c.growth;
    assert!((g.alpha - 0.025).abs() < 1e-12);
    let names: Vec<&Procedure> = g.compared.iter().map(|x| &x.procedure).collect();
    assert_eq!(names, vec![&ma, &ru]);
    let (m, r) = (&g.compared[0], &g.compared[1]);
    assert_eq!((m.before, m.now), (0.05, 0.25));
    assert!((m.change_pp - 20.0).abs() < 1e-9 && m.grown && m.significant);
    let z = m.test.unwrap();
    assert!(
        (z.stat - 2.5049).abs() < 1e-4 && (z.p - 0.01225).abs() < 5e-5,
        "{z:?}"
    );
    assert!(r.change_pp.abs() < 1e-12 && !r.grown && r.test.is_none() && !r.significant);
    // the основание is written from the same record
    assert!(
        f[1].basis.contains("z = 2,5, p = 0,012 < 0,05 / 2 = 0,025"),
        "{}",
        f[1].basis
    );
}

/// ОИП with bounds (value, low, high) per year, and the flags under a config.
fn run_bounded(items: &[(Year, f64, f64, f64)], cfg: &Config) -> (Vec<Flag>, Checks) {
    let oip: BTreeMap<Year, Option<f64>> = items.iter().map(|i| (i.0, Some(i.1))).collect();
    let bounds: BTreeMap<Year, (f64, f64)> = items.iter().map(|i| (i.0, (i.2, i.3))).collect();
    judge_school(
        &Facts {
            year: 2025,
            oip: &oip,
            bounds: &bounds,
            procs: &[],
            isb: None,
            threshold: None,
        },
        cfg,
    )
}

#[test]
fn upper_bound_below_or_at_the_bar_decides_robustness() {
    let cfg = Config::default();
    // ОИП_high 13,9 in both low years: устойчивый
    let (f, c) = run_bounded(
        &[
            (2023, 20.0, 16.0, 24.0),
            (2024, 10.0, 7.0, 13.9),
            (2025, 11.0, 8.0, 13.9),
        ],
        &cfg,
    );
    assert_eq!(kinds(&f), vec![FlagKind::Shnor]);
    assert_eq!(c.oip_robust(), Some(true));
    assert_eq!(
        f[0].basis,
        "ОИП 10 (7–13,9) и 11 (8–13,9) в 2024 и 2025 гг. при пороге ШНОР 14 (ниже порога не \
         менее чем в 2 из 3 последних лет), устойчиво: верхняя граница ОИП ниже 14 в 2024 и \
         2025 гг."
    );
    // ОИП_high exactly 14 in 2025 is not below the bar: only 2024 is sure → неустойчивый
    let (f, c) = run_bounded(
        &[
            (2023, 20.0, 16.0, 24.0),
            (2024, 10.0, 7.0, 13.9),
            (2025, 11.0, 8.0, 14.0),
        ],
        &cfg,
    );
    assert_eq!(c.oip_robust(), Some(false));
    assert!(f[0].basis.ends_with(
        "статистически неустойчиво: верхняя граница ОИП ниже 14 только в 2024 г. (нужно не \
         менее 2 лет)"
    ));
    // robust_only: the неустойчивый ШНОР is not listed; its low latest year is зона риска by
    // ОИП, which is неустойчивый too (high 14) and not listed either → no flag at all.
    let only = Config {
        uncertainty: crate::config::Uncertainty {
            robust_only: true,
            ..Default::default()
        },
        ..Config::default()
    };
    let (f, c) = run_bounded(
        &[
            (2023, 20.0, 16.0, 24.0),
            (2024, 10.0, 7.0, 13.9),
            (2025, 11.0, 8.0, 14.0),
        ],
        &only,
    );
    assert!(f.is_empty(), "{f:?}");
    assert_eq!(c.oip_robust(), None);
    // … while a latest year with ОИП_high 13,5 stays зона риска under robust_only
    let (f, c) = run_bounded(
        &[
            (2023, 20.0, 16.0, 24.0),
            (2024, 10.0, 7.0, 14.5),
            (2025, 11.0, 8.0, 13.5),
        ],
        &only,
    );
    assert_eq!(kinds(&f), vec![FlagKind::Risk]);
    assert_eq!(c.oip_robust(), Some(true));
    assert!(f[0].basis.starts_with(
        "ОИП 11 (8–13,5) в 2025 г. ниже порога ШНОР 14 (только в последнем году), устойчиво"
    ));
}

#[test]
fn a_fall_is_robust_only_between_the_interval_ends() {
    let cfg = Config::default();
    // 26 (23–29) → 19 (16–20,5): 23 − 20,5 = 2,5 < 5 → неустойчиво
    let (f, c) = run_bounded(&[(2024, 26.0, 23.0, 29.0), (2025, 19.0, 16.0, 20.5)], &cfg);
    assert_eq!(kinds(&f), vec![FlagKind::Risk]);
    assert!(!c.dropped_robust);
    // 28 (26–30) → 19 (17–20,5): 26 − 20,5 = 5,5 ≥ 5 and 20,5 < 21 → устойчиво
    let (f, c) = run_bounded(&[(2024, 28.0, 26.0, 30.0), (2025, 19.0, 17.0, 20.5)], &cfg);
    assert!(c.dropped_robust);
    assert_eq!(
        f[0].basis,
        "ОИП снизился с 28 (2024 г., интервал 26–30) до 19 (2025 г., интервал 17–20,5), на 9 \
         (не менее 5), и ниже порога программы 21, устойчиво: снижение не меньше и между \
         границами интервалов"
    );
    // … but not when ОИП_high of 2025 reaches the program threshold: 28 (26–32) → 19 (17–21)
    let (_, c) = run_bounded(&[(2024, 28.0, 27.0, 32.0), (2025, 19.0, 17.0, 21.0)], &cfg);
    assert!(!c.dropped_robust);
}
