//! §6.5 by hand: the rules at and around every threshold (an edge value is a sign), and the
//! fixture `fixtures/objectivity/` read through the whole pipeline, against the
//! arithmetic written out in its README.

use super::*;
use crate::config::Config;
use std::path::PathBuf;

fn cfg() -> Objectivity {
    Objectivity::default()
}

#[test]
fn raised_share_and_ratio_edges() {
    let o = cfg();
    // 5 of 20 = 25 % ≥ 25 %; all schools 1 of 20 = 5 %, 2 × 5 % = 10 %: a sign.
    assert!(journal_rule(
        5,
        20,
        (1, 20),
        o.raised_share,
        o.raised_ratio,
        o.min_n
    ));
    // 4 of 20 = 20 % < 25 %.
    assert!(!journal_rule(
        4,
        20,
        (1, 20),
        o.raised_share,
        o.raised_ratio,
        o.min_n
    ));
    // 6 of 20 = 30 %; all schools 3 of 20 = 15 %, 2 × 15 % = 30 %: on the edge, a sign.
    assert!(journal_rule(
        6,
        20,
        (3, 20),
        o.raised_share,
        o.raised_ratio,
        o.min_n
    ));
    // All schools 31 of 200 = 15,5 %, 2 × 15,5 % = 31 % > 30 %.
    assert!(!journal_rule(
        6,
        20,
        (31, 200),
        o.raised_share,
        o.raised_ratio,
        o.min_n
    ));
    // n = 19 < 20: not judged, however high the share.
    assert!(!journal_rule(
        19,
        19,
        (19, 500),
        o.raised_share,
        o.raised_ratio,
        o.min_n
    ));
}

#[test]
fn lowered_share_and_ratio_edges() {
    let o = cfg();
    // 10 of 20 = 50 % ≥ 50 %; all schools 1 of 3 = 33,3 %, 1,5 × 33,3 % = 50 %: a sign.
    assert!(journal_rule(
        10,
        20,
        (1, 3),
        o.lowered_share,
        o.lowered_ratio,
        o.min_n
    ));
    // 9 of 20 = 45 % < 50 %.
    assert!(!journal_rule(
        9,
        20,
        (1, 10),
        o.lowered_share,
        o.lowered_ratio,
        o.min_n
    ));
    // 12 of 20 = 60 %; all schools 41 %, 1,5 × 41 % = 61,5 % > 60 %.
    assert!(!journal_rule(
        12,
        20,
        (41, 100),
        o.lowered_share,
        o.lowered_ratio,
        o.min_n
    ));
}

#[test]
fn peak_edges() {
    let o = cfg();
    // at 5 ≥ 5 and 5 ≥ 3 × max(1, 1) = 3; all schools 14 / 10 = 1,4 < 1,5.
    assert!(peak_rule(5, 1, (14, 10), &o));
    // at 4 < 5.
    assert!(!peak_rule(4, 0, (14, 10), &o));
    // at 6 = 3 × 2: on the edge, a sign; at 6 < 3 × 3 = 9: none.
    assert!(peak_rule(6, 2, (14, 10), &o));
    assert!(!peak_rule(6, 3, (14, 10), &o));
    // Nobody one point below: max(0, 1) = 1, 5 ≥ 3.
    assert!(peak_rule(5, 0, (14, 10), &o));
    // All schools 15 / 10 = 1,5: not below 1,5 — the peak is the whole input's.
    assert!(!peak_rule(8, 1, (15, 10), &o));
    // All schools with nobody below: 3 / max(0, 1) = 3 ≥ 1,5.
    assert!(!peak_rule(8, 0, (3, 0), &o));
}

#[test]
fn vpr_oge_edges() {
    let o = cfg();
    // 16 of 20 = 80 % against 10 of 20 = 50 %: 30 p.p., on the edge.
    assert!(vpr_oge_rule((16, 20), (10, 20), o.vpr_oge_gap, o.min_n));
    // 80 % − 11 of 20 = 55 % = 25 p.p.
    assert!(!vpr_oge_rule((16, 20), (11, 20), o.vpr_oge_gap, o.min_n));
    // ВПР n = 19 < 20.
    assert!(!vpr_oge_rule((19, 19), (0, 20), o.vpr_oge_gap, o.min_n));
    // ОГЭ n = 19 < 20.
    assert!(!vpr_oge_rule((20, 20), (0, 19), o.vpr_oge_gap, o.min_n));
}

fn sign(kind: SignKind, subject: &str) -> Sign {
    Sign {
        kind,
        procedure: Procedure {
            exam: Exam::Vpr,
            subject: subject.into(),
            grade: Some(5),
        },
        year: 2025,
        evidence: Evidence::Peak {
            mark: 4,
            score: 11,
            at: 8,
            below: 1,
            input_at: 13,
            input_below: 10,
        },
        text: String::new(),
    }
}

#[test]
fn two_works_or_two_kinds_mark_a_school() {
    let one = [sign(SignKind::Peak, "Математика")];
    assert_eq!(marking(&one, 2), (1, 1, false));
    let two_works = [
        sign(SignKind::Peak, "Математика"),
        sign(SignKind::Peak, "Русский язык"),
    ];
    assert_eq!(marking(&two_works, 2), (2, 1, true));
    let two_kinds = [
        sign(SignKind::Peak, "Математика"),
        sign(SignKind::Raised, "Математика"),
    ];
    assert_eq!(marking(&two_kinds, 2), (1, 2, true));
    assert_eq!(marking(&one, 1), (1, 1, true));
}

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/objectivity")
}

fn load(exclude: bool) -> (Dataset, Config) {
    let mut cfg = Config::load(&fixture().join("shnor.toml")).unwrap();
    cfg.objectivity.exclude_from_cluster = exclude;
    let ds = crate::normalize::load(&[fixture()], &cfg).unwrap();
    (ds, cfg)
}

#[test]
fn histograms_and_journal_counts_of_the_fixture() {
    let (ds, _) = load(false);
    let st = |id: &str| {
        ds.participant_stats
            .iter()
            .find(|s| s.school == id)
            .unwrap_or_else(|| panic!("no statistics of {id}"))
    };
    // README, table 1: ОО 101 — 8 on 11 points, 1 on 10; journal: понизили 2 (the two
    // 12-point «4» with a «5» in the journal), подтвердили 13, повысили 8 (the 11-point «4»
    // with a «3»); the 16-point row has «нет отметки»: 23 compared of 24.
    assert_eq!((st("101").at(11), st("101").at(10)), (8, 1));
    assert_eq!(st("101").journal, [2, 13, 8]);
    assert_eq!(st("101").scores.iter().sum::<u32>(), 24);
    // ОО 102: 10 понизили (1 + 4 + 5 rows of 8, 9, 10 points with a «4»), 2 повысили.
    assert_eq!(st("102").journal, [10, 28, 2]);
    assert_eq!((st("102").at(11), st("102").at(10)), (3, 6));
    // ОО 103: 1 повысили of 10.
    assert_eq!(st("103").journal, [0, 9, 1]);
    // Only the participant file has statistics; the aggregates (ВПР 8, Русский язык 5) do not.
    assert_eq!(ds.participant_stats.len(), 3);
}

#[test]
fn signs_of_the_fixture_by_hand() {
    let (ds, cfg) = load(false);
    let f = crate::judge::judge(&ds, &cfg, None).unwrap();
    assert_eq!(f.year, 2025);
    let of = |id: &str| f.objectivity.iter().find(|r| r.school == id).unwrap();
    // ОО 101, ВПР Математика 5 кл. 2025 (README, steps 1–3):
    // повысили 8 / 23 = 34,8 % ≥ 25 %; all schools (8 + 2 + 1) / (23 + 40 + 10) = 11 / 73
    // = 15,1 %, 2 × 15,1 % = 30,1 % ≤ 34,8 %: «ВПР выше журнала».
    // Peak at «4» = 11 points: 8 ≥ 5, 8 ≥ 3 × 1; all schools (8 + 3 + 2) / (1 + 6 + 3)
    // = 13 / 10 = 1,3 < 1,5: a peak. One work, two kinds: marked.
    let a = of("101");
    assert_eq!(a.year, 2025);
    assert_eq!((a.works, a.kinds, a.marked), (1, 2, true));
    assert_eq!(a.signs.len(), 2);
    assert_eq!(
        a.signs[0].evidence,
        Evidence::Journal {
            count: 8,
            n: 23,
            input_count: 11,
            input_n: 73
        }
    );
    assert_eq!(
        a.signs[1].evidence,
        Evidence::Peak {
            mark: 4,
            score: 11,
            at: 8,
            below: 1,
            input_at: 13,
            input_below: 10
        }
    );
    assert_eq!(
        a.basis.as_deref(),
        Some(
            "ВПР Математика 5 кл. 2025: повысили 34,8\u{a0}% (8 из 23; по всем школам \
             15,1\u{a0}%); пик на границе «4»: 8 участников с 11 баллами при 1 с 10 баллами \
             (по всем школам 13 при 10)"
        )
    );
    // ОО 102: ВПР 8 кл. 2024 18 / 25 = 72 % «4»+«5», ОГЭ 2025 10 / 24 = 41,7 %: 30,3 p.p.
    // ≥ 30 — one sign, not marked.
    let b = of("102");
    assert_eq!((b.works, b.kinds, b.marked), (1, 1, false));
    assert_eq!(b.signs[0].kind, SignKind::VprOge);
    assert_eq!(
        b.signs[0].evidence,
        Evidence::VprOge {
            vpr_year: 2024,
            vpr_good: 18,
            vpr_n: 25,
            oge_good: 10,
            oge_n: 24
        }
    );
    // ОО 103: 16 / 20 = 80 % against 10 / 20 = 50 %: exactly 30 p.p., a sign.
    assert_eq!(of("103").signs[0].kind, SignKind::VprOge);
    assert!(!of("103").marked);
    assert_eq!(f.objectivity.len(), 3);
    // ОО 101's ВПР 8 has n = 19: that pair is not checked; two pairs are.
    assert_eq!(f.objectivity_checked.vpr_oge_pairs, 2);
    assert_eq!(f.objectivity_checked.journal_works, 2, "ОО 103 has n = 10");
    assert_eq!(f.objectivity_checked.score_works, 2);
}

fn cluster_vpr(f: &crate::judge::Findings, year: Year) -> f64 {
    f.cluster_values
        .iter()
        .find(|c| c.indicator == "vpr" && c.year == year)
        .unwrap()
        .value
}

#[test]
fn exclude_from_cluster_takes_out_the_marked_work_only() {
    let (ds, cfg) = load(false);
    let kept = crate::judge::judge(&ds, &cfg, None).unwrap();
    // README, step 5: mark sums Математика 5 — 89, 137, 36 over 24, 40, 10 works;
    // Русский язык 5 — 70, 105, 35 over 20, 30, 10: (89+70+137+105+36+35) / 134 = 472 / 134.
    assert!((cluster_vpr(&kept, 2025) - 472.0 / 134.0).abs() < 1e-12);
    let (ds, cfg) = load(true);
    let out = crate::judge::judge(&ds, &cfg, None).unwrap();
    // Without ОО 101's Математика 5 (89 over 24): 383 / 110.
    assert!((cluster_vpr(&out, 2025) - 383.0 / 110.0).abs() < 1e-12);
    // −0,0406: the whole change.
    let change = cluster_vpr(&out, 2025) - cluster_vpr(&kept, 2025);
    assert!((change - (383.0 / 110.0 - 472.0 / 134.0)).abs() < 1e-12);
    assert!((change + 0.040_569_877_9).abs() < 1e-9);
    // The school's own value is unchanged, and 2024 (no marked school) is the same.
    assert_eq!(cluster_vpr(&out, 2024), cluster_vpr(&kept, 2024));
    let own = |f: &crate::judge::Findings| {
        f.schools
            .iter()
            .find(|s| s.school.id == "101")
            .unwrap()
            .indicators
            .iter()
            .find(|i| i.indicator == "vpr" && i.year == 2025)
            .unwrap()
            .value
    };
    assert_eq!(own(&out), own(&kept));
}

#[test]
fn exclude_false_changes_nothing() {
    let (ds, cfg) = load(false);
    let with_signs = crate::judge::judge(&ds, &cfg, None).unwrap();
    // The same data with the signs off entirely (min_signs above any school): the same
    // cluster values, indicators and flags.
    let mut off = cfg.clone();
    off.objectivity.min_signs = 100;
    let without = crate::judge::judge(&ds, &off, None).unwrap();
    assert_eq!(with_signs.cluster_values, without.cluster_values);
    assert_eq!(with_signs.schools, without.schools);
}
