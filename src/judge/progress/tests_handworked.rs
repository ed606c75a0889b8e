//! The hand-worked `progress` fixture (fixtures/progress/README.md): a baseline of four
//! schools made by hand, interim data made by hand, and the expectations computed by hand in
//! the README. The same baseline is stored as fixtures/progress/identify-2025.json for the
//! command-line tests; `report::json`'s `stored_progress_baseline_matches` keeps the two from
//! drifting apart (regenerate with `SHNOR_WRITE_FIXTURES=1 cargo test --lib
//! stored_progress_baseline`).

use super::dynamics::{ChangeStatus, Interim};
use super::interim::Movement;

use super::analyse;
use super::targets::{ActualSource, TargetStatus};
use crate::config::{Config, Progress};
use crate::judge::*;
use crate::measure::{OlympiadSummary, ProcStat, RawIndicator};
use crate::model::*;
use std::collections::BTreeMap;

fn ind(id: &str, value: f64, n: u32, points: u8) -> IndicatorResult {
    IndicatorResult {
        year: 2025,
        indicator: id.into(),
        value: Some(value),
        raw_value: Some(value),
        n,
        raw_n: n,
        pooled_years: 1,
        reliable: true,
        cluster_value: None,
        comparison: None,
        points: Some(points),
        certainty: Default::default(),
    }
}

fn stat(year: Year, school: &str, exam: Exam, n: u32, counts: [u32; 4]) -> ProcStat {
    let f = |c: u32| f64::from(c) / f64::from(n);
    ProcStat {
        year,
        school: Some(school.into()),
        procedure: Procedure {
            exam,
            subject: "Математика".into(),
            grade: Some(5),
        },
        n,
        mark_shares: Some(counts.map(f)),
        pass_rate: Some(f(counts[1] + counts[2] + counts[3])),
        quality: Some(f(counts[2] + counts[3])),
        fail_share: Some(f(counts[0])),
        mean_score: None,
        mean_mark: None,
        fail_change_pp: None,
    }
}

fn olymp(
    year: Year,
    school: &str,
    participants: u32,
    winners: u32,
    students: u32,
) -> OlympiadSummary {
    OlympiadSummary {
        school: school.into(),
        year,
        participants,
        winners,
        prizewinners: 0,
        students: Some(students),
    }
}

/// One school of the fixture: points of vpr, oge_ru, oge_ma, olymp in 2025, ОИП 2024/2025,
/// olympiad participants of 2025 over `students`.
fn school(
    id: &str,
    pts: [u8; 4],
    oip: [f64; 2],
    participants: u32,
    students: u32,
    flags: Vec<Flag>,
) -> SchoolResult {
    SchoolResult {
        school: School {
            id: id.into(),
            name: format!("МБОУ СОШ № {}", id.rsplit('-').next().unwrap_or(id)),
            ..School::default()
        },
        cluster: "город, СОШ".into(),
        cluster_reason: "кластер задан в реестре школ".into(),
        indicators: vec![
            ind("vpr", 3.5, 120, pts[0]),
            ind("oge_ru", 24.0, 25, pts[1]),
            ind("oge_ma", 14.0, 25, pts[2]),
            ind(
                "olymp",
                f64::from(participants) / f64::from(students),
                students,
                pts[3],
            ),
        ],
        oip: vec![
            OipYear {
                year: 2024,
                value: Some(oip[0]),
                indicators_used: 4,
                calculation: Default::default(),
                low: None,
                high: None,
            },
            OipYear {
                year: 2025,
                value: Some(oip[1]),
                indicators_used: 4,
                calculation: Default::default(),
                low: None,
                high: None,
            },
        ],
        isb: None,
        rank_in_cluster: None,
        flags,
        checks: Default::default(),
        olympiad: vec![olymp(2025, id, participants, 0, students)],
        oip_robust: None,
        context: None,
    }
}

/// The baseline of the README, table 1.
pub(crate) fn findings() -> Findings {
    let shnor = |b: &str| {
        vec![Flag {
            kind: FlagKind::Shnor,
            basis: b.into(),
        }]
    };
    let schools = vec![
        // 7·(2+2+2+0.5·1)/3.5 = 7·6.5/3.5 = 13.0
        school(
            "ОО-1",
            [2, 2, 2, 1],
            [12.0, 13.0],
            20,
            100,
            shnor("ОИП 12,0 и 13,0 в 2024 и 2025 гг. при пороге ШНОР 14"),
        ),
        // 7·(2+1+2+0.5·2)/3.5 = 7·6/3.5 = 12.0
        school(
            "ОО-2",
            [2, 1, 2, 2],
            [13.0, 12.0],
            30,
            100,
            shnor("ОИП 13,0 и 12,0 в 2024 и 2025 гг. при пороге ШНОР 14"),
        ),
        // 7·(3+3+3+0.5·3)/3.5 = 21.0
        school("ОО-3", [3, 3, 3, 3], [21.0, 21.0], 60, 200, Vec::new()),
        school("ОО-4", [3, 3, 3, 3], [21.0, 21.0], 30, 100, Vec::new()),
    ];
    let raw = schools
        .iter()
        .flat_map(|s| {
            s.indicators.iter().map(|i| RawIndicator {
                school: s.school.id.clone(),
                year: 2025,
                indicator: i.indicator.clone(),
                value: i.value.unwrap_or(0.0),
                n: i.n,
                sd: None,
            })
        })
        .collect();
    Findings {
        year: 2025,
        years: vec![2023, 2024, 2025],
        schools,
        clusters: vec![ClusterInfo {
            name: "город, СОШ".into(),
            schools: 4,
        }],
        cluster_values: Vec::new(),
        isb_threshold: None,
        proc_stats: vec![
            // ВПР Математика 5 кл. 2025: ОО-1 12 «2» of 40, ОО-3 2 «2» of 40.
            stat(2025, "ОО-1", Exam::Vpr, 40, [12, 16, 8, 4]),
            stat(2025, "ОО-3", Exam::Vpr, 40, [2, 18, 14, 6]),
        ],
        raw,
        coverage: Vec::new(),
        shrink: false,
        context: Default::default(),
        objectivity: Vec::new(),
        objectivity_checked: Default::default(),
    }
}

/// The interim data of the README, table 2, as `measure` would give them.
fn interim() -> (Interim, Vec<OlympiadSummary>) {
    let raw = |school: &str, value: f64, n: u32| RawIndicator {
        school: school.into(),
        year: 2026,
        indicator: "olymp".into(),
        value,
        n,
        sd: None,
    };
    let interim = Interim {
        year: 2026,
        raw: vec![
            raw("ОО-1", 0.50, 100),
            raw("ОО-2", 0.46, 100),
            raw("ОО-3", 0.32, 200),
        ],
        proc_stats: vec![
            stat(2026, "ОО-1", Exam::Kdr, 40, [4, 20, 12, 4]),
            stat(2026, "ОО-3", Exam::Kdr, 40, [14, 16, 8, 2]),
        ],
        isb: BTreeMap::new(),
        schools: ["ОО-1", "ОО-2", "ОО-3"].map(String::from).into(),
    };
    let olympiad = vec![
        olymp(2026, "ОО-1", 50, 5, 100),
        olymp(2026, "ОО-2", 46, 0, 100),
        olymp(2026, "ОО-3", 64, 3, 200),
    ];
    (interim, olympiad)
}

/// The targets of fixtures/progress/целевые показатели.csv.
fn targets() -> Vec<Target> {
    let t = |key: Option<&str>, name: &str, unit: &str, pop, base, plan, actual| Target {
        key: key.map(String::from),
        name: name.into(),
        unit: Some(unit.into()),
        base: Some(base),
        plan: BTreeMap::from([(2026, plan)]),
        actual,
        population: pop,
        schools: Vec::new(),
        origin: Origin::default(),
    };
    vec![
        t(
            Some("olymp_share"),
            "Доля обучающихся — участников МЭ ВсОШ",
            "%",
            Population::All,
            25.0,
            50.0,
            None,
        ),
        t(
            Some("oip_program_share"),
            "Доля школ, преодолевших порог ОИП не менее 21",
            "%",
            Population::Program,
            0.0,
            50.0,
            None,
        ),
        t(
            None,
            "Доля педагогов, прошедших адресное повышение квалификации",
            "%",
            Population::Program,
            40.0,
            60.0,
            Some(55.0),
        ),
        t(
            Some("network"),
            "Количество сетевых проектов с успешными школами",
            "ед.",
            Population::Program,
            0.0,
            3.0,
            None,
        ),
        t(
            Some("shnor_count"),
            "Количество ШНОР",
            "ед.",
            Population::All,
            2.0,
            1.0,
            None,
        ),
    ]
}

pub(crate) fn run() -> super::ProgressFindings {
    let (i, o) = interim();
    analyse(
        &findings(),
        &Config::default(),
        &Progress::default(),
        &i,
        &o,
        &targets(),
    )
}

#[test]
fn interim_oip_by_hand() {
    let pf = run();
    let oip = |id: &str| pf.oip.iter().find(|o| o.school == id).unwrap().value;
    // Cluster olympiad share 2026: (50 + 46 + 64) / (100 + 100 + 200) = 160/400 = 0.40.
    // ОО-1: 0.50 − 0.40 = +10 п.п. → 5 points: 7·(2+2+2+0.5·5)/3.5 = 7·8.5/3.5 = 17.0.
    assert!((oip("ОО-1").unwrap() - 17.0).abs() < 1e-9);
    // ОО-2: +6 п.п. → 4 points: 7·(2+1+2+0.5·4)/3.5 = 7·7/3.5 = 14.0.
    assert!((oip("ОО-2").unwrap() - 14.0).abs() < 1e-9);
    // ОО-3: −8 п.п. → 2 points: 7·(3+3+3+0.5·2)/3.5 = 7·10/3.5 = 20.0.
    assert!((oip("ОО-3").unwrap() - 20.0).abs() < 1e-9);
    // ОО-4 has no interim data: no interim ОИП.
    assert_eq!(oip("ОО-4"), None);
}

#[test]
fn changes_by_hand() {
    let pf = run();
    let ch = |id: &str, key: &str| {
        pf.changes
            .iter()
            .find(|c| c.school == id && c.key == key)
            .unwrap_or_else(|| panic!("{id} {key}: {:#?}", pf.changes))
    };
    // ОО-1, доля «2»: ВПР 12/40 (2025) → КДР 4/40: z = −2.236, p = 0.0253 → улучшение.
    let c = ch("ОО-1", "КДР Математика 5 кл.|fail");
    assert_eq!(c.status, ChangeStatus::Improved);
    assert!((c.p_value.unwrap() - 0.025_347).abs() < 1e-5);
    assert!((c.change.unwrap() + 0.20).abs() < 1e-12);
    assert!(
        c.note.contains("с ВПР того же предмета и класса"),
        "{}",
        c.note
    );
    // ОО-3, доля «2»: 2/40 → 14/40: pooled 0.2, se = 0.0894427, z = 0.30/0.0894427 = 3.354,
    // p = 0.0008 → ухудшение.
    let c = ch("ОО-3", "КДР Математика 5 кл.|fail");
    assert_eq!(c.status, ChangeStatus::Worsened);
    assert!((c.p_value.unwrap() - 0.000_796).abs() < 2e-5, "{c:?}");
    // ОО-2, ВсОШ: 30/100 → 46/100: pooled 0.38, se = 0.068644, z = 2.331, p = 0.0198 → улучшение.
    let c = ch("ОО-2", "olymp");
    assert_eq!(c.status, ChangeStatus::Improved);
    assert!((c.p_value.unwrap() - 0.019_76).abs() < 1e-4, "{c:?}");
    // ОО-3, ВсОШ: 60/200 → 64/200: z = 0.432 → без изменений.
    assert_eq!(ch("ОО-3", "olymp").status, ChangeStatus::Same);
    // ОО-1, ОГЭ: a baseline value, no interim data → listed, not dropped.
    assert_eq!(ch("ОО-1", "oge_ma").status, ChangeStatus::NoData);
    // ОО-4 is missing from the interim data.
    let c = ch("ОО-4", "—");
    assert_eq!(c.status, ChangeStatus::NoData);
    assert!(c.note.contains("школы нет в промежуточных данных"));
}

#[test]
fn flags_with_margin_by_hand() {
    let pf = run();
    let fl = |id: &str, k: FlagKind| pf.flags.iter().find(|c| c.school == id && c.kind == k);
    // ОО-1: 17.0 ≥ 14 + 1 → вышла из ШНОР.
    let c = fl("ОО-1", FlagKind::Shnor).unwrap();
    assert_eq!(c.movement, Movement::Left);
    assert_eq!(
        c.basis,
        "ОИП 17 на промежуточную дату не ниже порога ШНОР 14 с запасом 1 (нужно ≥ 15)"
    );
    // ОО-2: 14.0 is not below the bar, but below 15 → остаётся.
    let c = fl("ОО-2", FlagKind::Shnor).unwrap();
    assert_eq!(c.movement, Movement::Stays);
    assert!(c.basis.contains("без запаса"), "{}", c.basis);
    // ОО-3: доля «2» +30 п.п., significant → вошла в зону риска.
    let c = fl("ОО-3", FlagKind::Risk).unwrap();
    assert_eq!(c.movement, Movement::Entered);
    assert!(c.basis.contains("рост на 30 п.п."), "{}", c.basis);
    // ОО-4: nothing moves without data.
    assert!(pf.flags.iter().all(|c| c.school != "ОО-4"));
}

#[test]
fn targets_by_hand() {
    let pf = run();
    let t = &pf.targets;
    // ВсОШ over all schools: 160/400 = 40 %; plan 50 → 80 % of plan → не достигнуто.
    assert!((t[0].actual.unwrap() - 40.0).abs() < 1e-9);
    assert!((t[0].percent_of_plan.unwrap() - 80.0).abs() < 1e-9);
    assert_eq!(t[0].status, TargetStatus::NotAchieved);
    // ОИП ≥ 21 over the program (ОО-1, ОО-2: 17.0 and 14.0): 0 of 2 = 0 %.
    assert_eq!(pf.program, ["ОО-1", "ОО-2"]);
    assert_eq!(t[1].actual, Some(0.0));
    assert_eq!(t[1].schools, 2);
    // Typed in: 55 of a plan of 60 = 91.7 % ≥ 90 % → в пределах 10 %.
    assert_eq!(t[2].source, ActualSource::Typed);
    assert_eq!(t[2].status, TargetStatus::Within);
    // Unknown key and no fact.
    assert_eq!(t[3].source, ActualSource::Missing);
    assert_eq!(t[3].status, TargetStatus::NoActual);
    // ШНОР: ОО-2 only (ОО-1 left) = 1, plan 1 → достигнуто.
    assert_eq!(t[4].actual, Some(1.0));
    assert_eq!(t[4].status, TargetStatus::Achieved);
}

#[test]
fn recommendations_for_flagged_schools() {
    let pf = run();
    let ids: std::collections::BTreeSet<&str> = pf
        .recommendations
        .iter()
        .map(|r| r.school.as_str())
        .collect();
    // ШНОР ОО-1, ОО-2 and ОО-3 (entered зона риска); ОО-4 is not flagged.
    assert_eq!(ids, ["ОО-1", "ОО-2", "ОО-3"].into());
    // ОО-2's weakest indicator, ОГЭ Russian at 1 point, comes first.
    let first = pf
        .recommendations
        .iter()
        .find(|r| r.school == "ОО-2")
        .unwrap();
    assert_eq!(first.indicator, "ОГЭ: средний первичный балл, русский язык");
}

#[test]
fn federal_rule_shnor_needs_new_works_to_leave() {
    // ОО-4 flagged ШНОР by the federal rule (its ОИП is 21.0 in both years). With no interim
    // works it stays, whatever its ОИП; with two КДР of n = 20 and 2/20 = 10 % «2» it leaves.
    let mut f = findings();
    f.schools[3].flags = vec![Flag {
        kind: FlagKind::Shnor,
        basis: "федеральный критерий".into(),
    }];
    let (mut i, o) = interim();
    i.schools.insert("ОО-4".into());
    let shnor_of_4 = |i: &Interim| {
        let pf = analyse(&f, &Config::default(), &Progress::default(), i, &o, &[]);
        pf.flags
            .into_iter()
            .find(|c| c.school == "ОО-4" && c.kind == FlagKind::Shnor)
            .unwrap()
    };
    let c = shnor_of_4(&i);
    assert_eq!(c.movement, Movement::Stays);
    assert_eq!(
        c.basis,
        "признак по федеральному критерию (доля «2»): для снятия нужны промежуточные работы \
         не менее чем по 2 процедурам с n ≥ 10, все с долей «2» ниже 30\u{a0}%; таких процедур 0"
    );

    let mut ru = stat(2026, "ОО-4", Exam::Kdr, 20, [2, 10, 6, 2]);
    ru.procedure.subject = "Русский язык".into();
    i.proc_stats
        .push(stat(2026, "ОО-4", Exam::Kdr, 20, [2, 10, 6, 2]));
    i.proc_stats.push(ru);
    let c = shnor_of_4(&i);
    assert_eq!(c.movement, Movement::Left, "{}", c.basis);
}

#[test]
fn interim_point_of_mostly_old_data_is_not_a_new_low_year() {
    // ОО-3 with ОИП 21.0 (2024) and 11.0 (2025: points 1,2,2,1 → 7·(1+2+2+0.5)/3.5 = 11.0),
    // flagged зона риска. Its interim ОИП re-scores only ВсОШ (weight 0.5 of 3.5 = 14 % new):
    // 7·(1+2+2+0.5·2)/3.5 = 12.0 < 14, but that is 2025 again, not a second low year →
    // it does not enter ШНОР; it stays in зона риска.
    let mut f = findings();
    let s = &mut f.schools[2];
    for (ind, p) in s.indicators.iter_mut().zip([1u8, 2, 2, 1]) {
        ind.points = Some(p);
    }
    s.oip[1].value = Some(11.0);
    s.flags = vec![Flag {
        kind: FlagKind::Risk,
        basis: "ОИП ниже порога ШНОР в последнем году".into(),
    }];
    let (i, o) = interim();
    let pf = analyse(&f, &Config::default(), &Progress::default(), &i, &o, &[]);
    let io = pf.oip.iter().find(|x| x.school == "ОО-3").unwrap();
    assert!((io.value.unwrap() - 12.0).abs() < 1e-9);
    assert!((io.new_weight - 0.5 / 3.5).abs() < 1e-12);
    assert!(
        !pf.flags
            .iter()
            .any(|c| c.school == "ОО-3" && c.kind == FlagKind::Shnor),
        "{:?}",
        pf.flags
    );
    let c = pf
        .flags
        .iter()
        .find(|c| c.school == "ОО-3" && c.kind == FlagKind::Risk)
        .unwrap();
    assert_eq!(c.movement, Movement::Stays);
}

#[test]
fn shnsu_moves_by_the_frozen_threshold_with_a_margin() {
    // Frozen ИСБ threshold 60 (p25 of 2025), margin 1. New passports: ОО-1 (ШНСУ) 60.5 —
    // above the threshold but not by 1 → остаётся; ОО-2 (ШНСУ) 61.0 = 60 + 1 → вышла;
    // ОО-3 (not ШНСУ) 59.9 < 60 → вошла; ОО-4 has no new passport → nothing.
    let mut f = findings();
    f.isb_threshold = Some(FrozenThreshold {
        spec: "p25".into(),
        value: 60.0,
        year: Some(2025),
    });
    for s in &mut f.schools[..2] {
        s.flags.push(Flag {
            kind: FlagKind::Shnsu,
            basis: "ИСБ ниже порога".into(),
        });
    }
    let (mut i, o) = interim();
    i.isb = BTreeMap::from([
        ("ОО-1".to_string(), 60.5),
        ("ОО-2".to_string(), 61.0),
        ("ОО-3".to_string(), 59.9),
    ]);
    let pf = analyse(&f, &Config::default(), &Progress::default(), &i, &o, &[]);
    let mv = |id: &str| {
        pf.flags
            .iter()
            .find(|c| c.school == id && c.kind == FlagKind::Shnsu)
            .map(|c| c.movement)
    };
    assert_eq!(mv("ОО-1"), Some(Movement::Stays));
    assert_eq!(mv("ОО-2"), Some(Movement::Left));
    assert_eq!(mv("ОО-3"), Some(Movement::Entered));
    assert_eq!(mv("ОО-4"), None);
    // The ИСБ comparison is listed, but a composite index is not tested for significance.
    let c = pf
        .changes
        .iter()
        .find(|c| c.school == "ОО-3" && c.key == "isb")
        .unwrap();
    assert_eq!(
        c.status,
        ChangeStatus::NoData,
        "no baseline ИСБ in this fixture"
    );
}

#[test]
fn risk_by_growth_of_twos_leaves_only_after_a_significant_fall() {
    // ОО-3 in зона риска for the growth of «2» in ВПР Математика 5 кл.: 5 % (2024) → 25 %
    // (2025: 10 of 40), +20 п.п. Its ОИП is 21, so only new works can clear the flag.
    let mut f = findings();
    f.proc_stats[1] = stat(2025, "ОО-3", Exam::Vpr, 40, [10, 16, 10, 4]);
    f.proc_stats[1].fail_change_pp = Some(20.0);
    f.schools[2].flags = vec![Flag {
        kind: FlagKind::Risk,
        basis: "рост доли «2»".into(),
    }];
    let movement = |kdr: [u32; 4]| {
        let (mut i, o) = interim();
        i.proc_stats[1] = stat(2026, "ОО-3", Exam::Kdr, 40, kdr);
        let pf = analyse(&f, &Config::default(), &Progress::default(), &i, &o, &[]);
        let c = pf
            .flags
            .iter()
            .find(|c| c.school == "ОО-3" && c.kind == FlagKind::Risk)
            .unwrap()
            .clone();
        (c.movement, c.basis)
    };
    // The same 10/40 = 25 % in the КДР: below the federal 30 %, but no recovery → остаётся.
    let (mv, basis) = movement([10, 16, 10, 4]);
    assert_eq!(mv, Movement::Stays);
    assert!(basis.contains("ВПР Математика 5 кл."), "{basis}");
    // 2/40 = 5 %: pooled 12/80 = 0.15, se = √(0.15·0.85·(2/40)) = 0.079844,
    // z = −0.20/0.079844 = −2.505, p = 0.012 → significant fall → вышла.
    let (mv, basis) = movement([2, 24, 10, 4]);
    assert_eq!(mv, Movement::Left, "{basis}");
}

#[test]
fn federal_rule_is_identifys_for_the_interim_year() {
    // ОО-4 (no flags) writes two КДР in 2026 with 8/20 = 40 % «2» (≥ 30 %, n ≥ 10): the first
    // condition holds. The same mathematics КДР in 2025 had 4/8 = 50 % «2», but n = 8 < 10,
    // so, as in `identify`, it does not count for the second condition: no ШНОР, and the
    // first condition alone makes зона риска. With 5/10 = 50 % in 2025 both hold: ШНОР.
    let entered = |base_n: u32, base_fails: u32| {
        let mut f = findings();
        f.proc_stats.push(stat(
            2025,
            "ОО-4",
            Exam::Kdr,
            base_n,
            [base_fails, base_n - base_fails, 0, 0],
        ));
        let (mut i, o) = interim();
        let mut ru = stat(2026, "ОО-4", Exam::Kdr, 20, [8, 8, 4, 0]);
        ru.procedure.subject = "Русский язык".into();
        i.proc_stats
            .push(stat(2026, "ОО-4", Exam::Kdr, 20, [8, 8, 4, 0]));
        i.proc_stats.push(ru);
        i.schools.insert("ОО-4".into());
        let pf = analyse(&f, &Config::default(), &Progress::default(), &i, &o, &[]);
        pf.flags
            .iter()
            .filter(|c| c.school == "ОО-4" && c.movement == Movement::Entered)
            .map(|c| c.kind)
            .collect::<Vec<_>>()
    };
    assert_eq!(entered(8, 4), [FlagKind::Risk]);
    assert_eq!(entered(10, 5), [FlagKind::Shnor]);
}
