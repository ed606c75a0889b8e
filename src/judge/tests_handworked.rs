//! The hand-worked municipality of `fixtures/handworked/` (8 schools, 2 clusters,
//! 2023–2025): every ОИП, ИСБ, the p25 threshold and every flag against the table at the
//! end of its README, where the arithmetic is written out. The CSVs are read by a tiny
//! loader here (not by `normalize`), so that this test checks the methodology alone.

use super::*;
use crate::model::{
    Category, Contingent, Exam, OlympiadRows, Origin, ProcResult, Procedure, Stage, Status,
};

const REGISTRY: &str = include_str!("../../fixtures/handworked/реестр.csv");
const RESULTS: &str = include_str!("../../fixtures/handworked/результаты.csv");
const CONTINGENT: &str = include_str!("../../fixtures/handworked/контингент.csv");
const PASSPORT: &str = include_str!("../../fixtures/handworked/паспорт.csv");
const OLYMPIAD: &str = include_str!("../../fixtures/handworked/всош.csv");

/// Rows of a `;` CSV as heading → value maps.
fn rows(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let head: Vec<String> = lines
        .next()
        .unwrap()
        .split(';')
        .map(|h| h.trim().to_string())
        .collect();
    lines
        .map(|l| {
            head.iter()
                .cloned()
                .zip(l.split(';').map(|v| v.trim().to_string()))
                .collect()
        })
        .collect()
}

fn num(s: &str) -> f64 {
    s.replace(',', ".").parse().unwrap()
}

fn load() -> Dataset {
    let mut ds = Dataset::default();
    for r in rows(REGISTRY) {
        ds.schools.push(School {
            id: r["Код ОО"].clone(),
            name: r["Наименование ОО"].clone(),
            municipality: Some(r["Муниципалитет"].clone()),
            settlement: Some(r["Тип населённого пункта"].clone()),
            level: Some(r["Тип ОО"].clone()),
            cluster: Some(r["Кластер"].clone()),
            ..School::default()
        });
    }
    for r in rows(RESULTS) {
        let marks = ["Отметка «2»", "Отметка «3»", "Отметка «4»", "Отметка «5»"]
            .map(|h| r[h].parse::<u32>().unwrap());
        ds.results.push(ProcResult {
            year: r["Год"].parse().unwrap(),
            school: r["Код ОО"].clone(),
            procedure: Procedure {
                exam: Exam::parse(&r["Процедура"]).unwrap(),
                subject: r["Предмет"].clone(),
                grade: r["Класс"].parse().ok(),
            },
            n: r["Количество участников"].parse().unwrap(),
            marks: Some(marks),
            mean_score: (!r["Средний балл"].is_empty()).then(|| num(&r["Средний балл"])),
            score_sd: None,
            mean_mark: None,
            n_fail: r["Не преодолели минимальный порог"].parse().ok(),
            n_high: None,
            origin: Origin::default(),
        });
    }
    for r in rows(CONTINGENT) {
        for g in 1..=11u8 {
            if let Some(v) = r.get(&format!("{g} класс")) {
                ds.contingent.push(Contingent {
                    year: r["Год"].parse().unwrap(),
                    school: r["Код ОО"].clone(),
                    grade: g,
                    students: v.parse().unwrap(),
                    origin: Origin::default(),
                });
            }
        }
    }
    for r in rows(PASSPORT) {
        ds.passports.push(Passport {
            year: r["Год"].parse().unwrap(),
            school: r["Код ОО"].clone(),
            total: r["Всего обучающихся"].parse().unwrap(),
            counts: Category::ALL
                .iter()
                .filter_map(|c| r.get(c.label()).map(|v| (*c, num(v))))
                .collect(),
            origin: Origin::default(),
        });
    }
    for r in rows(OLYMPIAD) {
        let stage = match r["Этап"].as_str() {
            "муниципальный" => Stage::Municipal,
            "школьный" => Stage::School,
            other => panic!("этап {other}"),
        };
        let status = match r["Статус"].as_str() {
            "победитель" => Status::Winner,
            "призёр" => Status::Prizewinner,
            _ => Status::Participant,
        };
        ds.olympiad.push(OlympiadRows::one(
            r["Год"].parse().unwrap(),
            &r["Код ОО"],
            (stage, r["Класс"].parse().ok(), status),
            &r["Код участника"],
            Origin::default(),
        ));
    }
    ds
}

fn findings() -> Findings {
    judge(&load(), &Config::default(), None).unwrap()
}

fn school<'a>(f: &'a Findings, id: &str) -> &'a SchoolResult {
    f.schools.iter().find(|s| s.school.id == id).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

use FlagKind::{Resilient, Risk, Shnor, Shnsu};

/// README, «Итоговая таблица»: ОИП 2023, 2024, 2025; ИСБ; rank in cluster (2025); flags.
#[allow(clippy::type_complexity)]
const EXPECTED: [(&str, [Option<f64>; 3], f64, Option<u32>, &[FlagKind]); 8] = [
    (
        "101",
        [Some(28.0), Some(28.0), Some(29.0)],
        56.0,
        Some(1),
        &[Shnsu, Resilient],
    ),
    (
        "102",
        [Some(21.0), Some(7.0), Some(8.0)],
        70.0,
        Some(4),
        &[Shnor],
    ),
    (
        "103",
        [Some(21.0), Some(21.0), Some(21.0)],
        72.0,
        Some(3),
        &[Risk],
    ),
    (
        "104",
        [Some(14.0), Some(28.0), Some(26.0)],
        74.0,
        Some(2),
        &[],
    ),
    (
        "201",
        [Some(21.0), Some(21.0), Some(21.0)],
        76.0,
        Some(1),
        &[Shnor],
    ),
    (
        "202",
        [Some(21.0), Some(21.0), Some(21.0)],
        58.0,
        Some(1),
        &[Shnsu],
    ),
    ("203", [None, None, Some(19.0)], 78.0, Some(4), &[]),
    (
        "204",
        [Some(21.0), Some(21.0), Some(21.0)],
        80.0,
        Some(1),
        &[],
    ),
];

#[test]
fn oip_isb_ranks_and_flags_match_the_readme_table() {
    let f = findings();
    assert_eq!(f.year, 2025);
    assert_eq!(f.years, vec![2023, 2024, 2025]);
    let ids: Vec<&str> = f.schools.iter().map(|s| s.school.id.as_str()).collect();
    assert_eq!(ids, EXPECTED.map(|e| e.0));
    for (id, oip, isb, rank, flags) in EXPECTED {
        let s = school(&f, id);
        for (i, year) in [2023, 2024, 2025].into_iter().enumerate() {
            match (s.oip_in(year), oip[i]) {
                (Some(a), Some(b)) => assert!(close(a, b), "{id} {year}: ОИП {a}, ждали {b}"),
                (a, b) => assert_eq!(a, b, "{id} {year}"),
            }
        }
        let got = s.isb.as_ref().unwrap().value;
        assert!(close(got, isb), "{id}: ИСБ {got}, ждали {isb}");
        assert_eq!(s.rank_in_cluster, rank, "{id}");
        let kinds: Vec<FlagKind> = s.flags.iter().map(|f| f.kind).collect();
        assert_eq!(kinds, flags.to_vec(), "{id}: {:?}", s.flags);
    }
}

#[test]
fn p25_threshold_is_67() {
    // sorted ИСБ 56 58 70 72 74 76 78 80; h = 0.25·7 = 1.75 → 58 + 0.75·12 = 67
    let t = findings().isb_threshold.unwrap();
    assert!(close(t.value, 67.0));
    assert_eq!((t.spec.as_str(), t.year), ("p25", Some(2025)));
}

#[test]
fn clusters_and_cluster_values() {
    let f = findings();
    let names: Vec<(&str, usize)> = f
        .clusters
        .iter()
        .map(|c| (c.name.as_str(), c.schools))
        .collect();
    assert_eq!(names, vec![("Город", 4), ("Село", 4)]);
    assert_eq!(
        school(&f, "203").cluster_reason,
        "кластер указан в реестре школ"
    );
    let cv = |c: &str, y: Year, i: &str| {
        f.cluster_values
            .iter()
            .find(|v| v.cluster == c && v.year == y && v.indicator == i)
            .map(|v| v.value)
    };
    // README §2
    for y in [2023, 2024, 2025] {
        assert!(close(cv("Город", y, "vpr").unwrap(), 4.0));
        assert!(close(cv("Город", y, "oge_ru").unwrap(), 20.0));
        assert!(close(cv("Город", y, "oge_ma").unwrap(), 15.0));
        assert!(close(cv("Село", y, "vpr").unwrap(), 3.5));
    }
    assert!(close(cv("Село", 2023, "oge_ru").unwrap(), 483.0 / 33.0));
    assert!(close(cv("Село", 2024, "oge_ru").unwrap(), 489.0 / 33.0));
    assert!(close(cv("Село", 2025, "oge_ru").unwrap(), 15.0));
    assert!(close(cv("Село", 2023, "oge_ma").unwrap(), 387.0 / 33.0));
    assert!(close(cv("Село", 2024, "oge_ma").unwrap(), 390.0 / 33.0));
    assert!(close(cv("Село", 2025, "oge_ma").unwrap(), 12.0));
    assert!(close(cv("Город", 2025, "olymp").unwrap(), 20.0 / 200.0));
    assert!(close(cv("Село", 2025, "olymp").unwrap(), 15.0 / 132.0));
    assert_eq!(cv("Город", 2024, "olymp"), None);
    assert_eq!(cv("Город", 2025, "ege_ru"), None);
}

#[test]
fn small_school_pools_three_years() {
    let f = findings();
    let s = school(&f, "203");
    let ind = |y: Year, id: &str| {
        s.indicators
            .iter()
            .find(|i| i.year == y && i.indicator == id)
            .unwrap()
    };
    // 2025 ОГЭ русский: n 4 + 3 + 3 = 10 over three years;
    // (4·15 + 3·13 + 3·11) / 10 = 132 / 10 = 13,2; 13,2 / 15 = 0,88 → 2 балла
    let ru = ind(2025, "oge_ru");
    assert_eq!(
        (ru.n, ru.raw_n, ru.pooled_years, ru.reliable),
        (10, 4, 3, true)
    );
    assert!(close(ru.value.unwrap(), 13.2));
    assert_eq!(ru.raw_value, Some(15.0));
    assert_eq!(ru.points, Some(2));
    // математика: (4·12 + 3·10 + 3·9) / 10 = 10,5; 10,5 / 12 = 0,875 → 2
    let ma = ind(2025, "oge_ma");
    assert!(close(ma.value.unwrap(), 10.5));
    assert_eq!(ma.points, Some(2));
    // 2024: 3 + 3 = 6 < 10, nothing before 2023 → shown, unreliable, no points
    let ru24 = ind(2024, "oge_ru");
    assert_eq!(
        (ru24.n, ru24.pooled_years, ru24.reliable, ru24.points),
        (6, 2, false, None)
    );
    // (3·13 + 3·11) / 6 = 12
    assert!(close(ru24.value.unwrap(), 12.0));
    // олимпиада: 3 / 12 = 25 % против 15/132 = 11,36 % → +13,64 п.п. → 5
    assert_eq!(ind(2025, "olymp").points, Some(5));
    assert_eq!(s.oip[1].indicators_used, 1);
}

#[test]
fn bases_name_rules_years_values_and_thresholds() {
    let f = findings();
    let basis = |id: &str, k: FlagKind| school(&f, id).flag(k).unwrap().basis.clone();
    assert_eq!(
        basis("102", Shnor),
        // Intervals by hand in fixtures/handworked/README.md, «Интервалы ОИП школы 102».
        "ОИП 7 (7–14) и 8 (8–15) в 2024 и 2025 гг. при пороге ШНОР 14 (ниже порога не менее \
         чем в 2 из 3 последних лет), статистически неустойчиво: верхняя граница ОИП не ниже \
         14 ни в одном из этих лет"
    );
    assert_eq!(
        basis("201", Shnor),
        "федеральный критерий: в 2025 г. доля «2» не менее 30\u{a0}% в 2 процедурах: ВПР Математика 5 кл. — 30\u{a0}% и ВПР Русский \
         язык 5 кл. — 35\u{a0}%; доля «2» по ВПР Математика 5 кл. 30\u{a0}% (2024) и \
         30\u{a0}% (2025)"
    );
    // z = 2,5049, p = 0,01225 < 0,05 / 2 (README §5)
    assert_eq!(
        basis("103", Risk),
        "доля «2» по ВПР Математика 5 кл. выросла с 5\u{a0}% (2024) до 25\u{a0}% (2025), на \
         20 п.п.; рост значим: z = 2,5, p = 0,012 < 0,05 / 2 = 0,025 (поправка Бонферрони: \
         проверено процедур — 2)"
    );
    assert_eq!(
        basis("202", Shnsu),
        "ИСБ 58 (2025 г.) ниже порога 67 (p25 по школам муниципалитета за 2025 г.)"
    );
    assert_eq!(
        basis("101", Resilient),
        "ШНСУ (ИСБ 56 ниже порога 67), при этом ОИП 29 в 2025 г. не ниже 24,5"
    );
}

#[test]
fn olympiad_summaries() {
    let f = findings();
    let o = &school(&f, "101").olympiad;
    assert_eq!(o.len(), 1);
    // 15 unique students (101-01 twice), winner 101-01, prize-winners 101-02, 101-03;
    // students 7–11: 20 + 15 + 15 = 50
    assert_eq!(
        (
            o[0].participants,
            o[0].winners,
            o[0].prizewinners,
            o[0].students
        ),
        (15, 1, 2, Some(50))
    );
    // 102: only a school-stage entry → 0 of 50; 104: only a grade-6 entry → 0
    assert_eq!(school(&f, "102").olympiad[0].participants, 0);
    assert_eq!(school(&f, "104").olympiad[0].participants, 0);
}

#[test]
fn judging_2024_ignores_2025_and_joins_reasons() {
    let f = judge(&load(), &Config::default(), Some(2024)).unwrap();
    assert_eq!(f.years, vec![2022, 2023, 2024]);
    // no passport up to 2024 → no ИСБ, no threshold, no ШНСУ
    assert_eq!(f.isb_threshold, None);
    let s = school(&f, "102");
    assert_eq!(s.oip_in(2022), None);
    assert!(close(s.oip_in(2024).unwrap(), 7.0));
    // 102 low only in 2024 (21 in 2023) → not ШНОР, but at risk for several reasons at once:
    // low in the latest year; a fall 21 → 7 = 14 ≥ 5 to below 21; and «2» in both ВПР works
    // 0/40 → 8/40 (+20 p.p.): pooled 8/80 = 0.1, se = √(0.1·0.9·(2/40)) = √0.0045 = 0.067082,
    // z = 0.2 / 0.067082 = 2.9814, p = 0.00287 < 0.05 / 2
    let kinds: Vec<FlagKind> = s.flags.iter().map(|f| f.kind).collect();
    assert_eq!(kinds, vec![Risk]);
    assert_eq!(
        s.flags[0].basis,
        "ОИП 7 (7–14) в 2024 г. ниже порога ШНОР 14 (только в последнем году), статистически \
         неустойчиво: верхняя граница 14 не ниже порога; ОИП снизился с 21 (2023 г., интервал \
         14–28) до 7 (2024 г., интервал 7–14), на 14 (не менее 5), и ниже порога программы 21, \
         статистически неустойчиво: между границами интервалов снижение меньше; доля «2» по ВПР \
         Математика 5 кл. выросла с 0\u{a0}% (2023) до 20\u{a0}% (2024), на 20 п.п.; рост \
         значим: z = 2,98, p = 0,003 < 0,05 / 2 = 0,025 (поправка Бонферрони: проверено \
         процедур — 2); доля «2» по ВПР Русский язык 5 кл. выросла с 0\u{a0}% (2023) до \
         20\u{a0}% (2024), на 20 п.п.; рост значим: z = 2,98, p = 0,003 < 0,05 / 2 = 0,025 \
         (поправка Бонферрони: проверено процедур — 2)"
    );
    // 201 in 2024: «2» ≥ 30 % only in mathematics (1 procedure < 2); growth 10 % → 30 %
    // (2/20 → 6/20): z = 0,2 / √(0,2·0,8·0,1) = 1,581, p = 0,114 — not significant
    assert!(school(&f, "201").flags.is_empty());
}

#[test]
fn nothing_to_judge_is_an_error() {
    let e = judge(&Dataset::default(), &Config::default(), None).unwrap_err();
    assert!(
        e.to_string().contains("нет результатов оценочных процедур"),
        "{e}"
    );
    let e = judge(&load(), &Config::default(), Some(2030)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "нет результатов оценочных процедур за 2030 год (учебный год 2029/30); результаты \
         есть за: 2023, 2024, 2025. Укажите другой год (--year) или добавьте выгрузки"
    );
}

#[test]
fn intervals_of_school_102_by_hand() {
    // fixtures/handworked/README.md, «Интервалы ОИП школы 102».
    let f = findings();
    let s = school(&f, "102");
    let ind = |y: i32, id: &str| {
        s.indicators
            .iter()
            .find(|i| i.year == y && i.indicator == id)
            .unwrap()
    };
    // ВПР 2024: 80 works, sd √(52,8/79) = 0,817529, t(79) = 1,990450,
    // half 1,990450·0,817529/√80 = 0,181936 → 3,018064–3,381936
    let v = &ind(2024, "vpr").certainty;
    assert!(!v.sd_assumed);
    assert!(close(v.sd.unwrap(), (52.8f64 / 79.0).sqrt()));
    assert!((v.low.unwrap() - 3.018_064).abs() < 1e-5);
    assert!((v.high.unwrap() - 3.381_936).abs() < 1e-5);
    assert_eq!((v.points_low, v.points_high), (Some(1), Some(1)));
    // ОГЭ русский 2024: no score distribution in the file → sd 5 assumed, t(14) = 2,144787,
    // half 2,144787·5/√15 = 2,144787·1,290994 = 2,768908 → 13,231092–18,768908;
    // /20 → 0,66 → 1, 0,938 → 2
    let r = &ind(2024, "oge_ru").certainty;
    assert!(r.sd_assumed);
    assert!((r.low.unwrap() - 13.231_092).abs() < 1e-5);
    assert_eq!((r.points_low, r.points_high), (Some(1), Some(2)));
    // ОГЭ математика 2024: 12 ± 2,768908, /15 → 0,615 → 1, 0,985 → 3
    let m = &ind(2024, "oge_ma").certainty;
    assert_eq!((m.points_low, m.points_high), (Some(1), Some(3)));
    // ОИП 2024 = 7 (7·3/3), low 7·(1+1+1)/3 = 7, high 7·(1+2+3)/3 = 14
    let o = s.oip.iter().find(|o| o.year == 2024).unwrap();
    assert_eq!((o.low, o.high), (Some(7.0), Some(14.0)));
    // Олимпиада 2025: 0 of 50, Wilson 0 … 3,841459/53,841459 = 0,071347 → −10 и −2,87 п.п.
    // → 2 и 3 балла; ВПР and ОГЭ 2025 as in 2024 (1–1, 1–2, 1–3) → high
    // 7·(1 + 2 + 3 + 0,5·3)/3,5 = 15, low 7·(1 + 1 + 1 + 0,5·2)/3,5 = 8.
    let ol = &ind(2025, "olymp").certainty;
    assert!((ol.high.unwrap() - 0.071_347).abs() < 1e-5);
    assert_eq!((ol.points_low, ol.points_high), (Some(2), Some(3)));
    let o = s.oip.iter().find(|o| o.year == 2025).unwrap();
    assert!(close(o.low.unwrap(), 8.0) && close(o.high.unwrap(), 15.0));
    assert_eq!(s.oip_robust, Some(false));
}

#[test]
fn robust_only_removes_exactly_the_unstable() {
    let cfg = Config {
        uncertainty: crate::config::Uncertainty {
            robust_only: true,
            ..Default::default()
        },
        ..Config::default()
    };
    let base = findings();
    let only = judge(&load(), &cfg, None).unwrap();
    for (a, b) in base.schools.iter().zip(&only.schools) {
        let kinds = |s: &SchoolResult| s.flags.iter().map(|f| f.kind).collect::<Vec<_>>();
        if a.oip_robust == Some(false) {
            // 102: ШНОР by ОИП only, неустойчивый (ОИП_high 14 and 15) → off every list
            // (the low latest year is неустойчивый too: high 15 ≥ 14)
            assert_eq!(a.school.id, "102");
            assert!(b.flags.is_empty(), "{:?}", b.flags);
        } else {
            assert_eq!(kinds(a), kinds(b), "{}", a.school.id);
        }
    }
}

#[test]
fn shrink_true_scores_the_shrunk_value_by_hand() {
    // fixtures/uncertainty/README.md «Сжатие», school 1: x 3,2, n 10, sd 0,8, cluster 3,9,
    // σ² 0,064, τ² 0,1584 → B 0,712230, shrunk 3,401439.
    let ind = || IndicatorResult {
        year: 2025,
        indicator: "vpr".into(),
        value: Some(3.2),
        raw_value: Some(3.2),
        n: 10,
        raw_n: 10,
        pooled_years: 1,
        reliable: true,
        cluster_value: Some(3.9),
        comparison: None,
        points: None,
        certainty: crate::judge::uncertainty::Certainty {
            sd: Some(0.8),
            ..Default::default()
        },
    };
    let z = crate::judge::uncertainty::z_quantile(0.95);
    // Raw: 3,2/3,9 = 0,8205 → 1 point; interval 3,2 ± 2,2622·0,8/√10 = ± 0,5723.
    let mut raw = ind();
    super::certify(
        &mut raw,
        IndicatorKind::Mean,
        Some(0.064),
        Some(0.1584),
        z,
        &mut |df| crate::judge::uncertainty::t_quantile(0.95, f64::from(df)),
        &Config::default(),
    );
    assert_eq!(raw.points, Some(1));
    assert!((raw.certainty.shrunk.unwrap() - 3.401_439).abs() < 1e-6);
    assert!((raw.certainty.low.unwrap() - (3.2 - 0.572_3)).abs() < 1e-4);
    // shrink = true: 3,401439/3,9 = 0,8722 → 2 points; the interval narrowed by
    // √B = 0,843937: 0,5723·0,843937 = 0,48298 → 2,91846–3,88442; /3,9 → 0,748 → 1 and
    // 0,996 → 3.
    let cfg = Config {
        uncertainty: crate::config::Uncertainty {
            shrink: true,
            ..Default::default()
        },
        ..Config::default()
    };
    let mut shrunk = ind();
    super::certify(
        &mut shrunk,
        IndicatorKind::Mean,
        Some(0.064),
        Some(0.1584),
        z,
        &mut |df| crate::judge::uncertainty::t_quantile(0.95, f64::from(df)),
        &cfg,
    );
    assert_eq!(shrunk.points, Some(2));
    let c = &shrunk.certainty;
    assert!((c.low.unwrap() - 2.918_46).abs() < 1e-4, "{c:?}");
    assert!((c.high.unwrap() - 3.884_42).abs() < 1e-4, "{c:?}");
    assert_eq!((c.points_low, c.points_high), (Some(1), Some(3)));
}
