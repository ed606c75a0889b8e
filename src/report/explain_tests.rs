//! Tests of `explain`: the arithmetic it prints, checked against hand-worked numbers.

use super::*;
use crate::report::testdata;

#[test]
fn objectivity_section_with_its_arithmetic() {
    let f = crate::report::xlsx::objectivity_test_findings();
    let cfg = Config::default();
    let s = f.schools.iter().find(|s| s.school.id == "01").unwrap();
    let text = explain_school(&f, s, &cfg);
    assert!(text.contains("Признаки необъективности ВПР (§6.5"));
    assert!(text.contains(
        "2025 год: работ с признаками 1, видов признаков 2 (нужно не меньше 2 того или \
         другого) — «признаки необъективности»"
    ));
    // 8 / 23 = 34,8 %, 11 / 73 = 15,1 %, 2 × 15,07 % = 30,1 %.
    assert!(text.contains("повысили 8 из 23 = 34,8 %"), "{text}");
    let other = f.schools.iter().find(|s| s.school.id == "02").unwrap();
    assert!(explain_school(&f, other, &cfg).contains("не найдено. Проверено за 2024–2025"));
}

#[test]
fn oip_arithmetic_for_school_01() {
    let f = testdata::judged();
    let cfg = Config::default();
    let s = find_school(&f, "01").unwrap();
    let t = explain_school(&f, s, &cfg);
    // Weights 1, 1, 1, 0,5 and points 1, 1, 2, 2 (testdata): Σ w·p = 1 + 1 + 2 + 1 = 5,
    // Σ w = 3,5; 7 × 5 / 3,5 = 10.
    assert!(
        t.contains(
            "ОИП 2025 = 7 × (1·1 + 1·1 + 1·2 + 0,5·2) / (1 + 1 + 1 + 0,5) = 7 × 5 / 3,5 = 10,0"
        ),
        "{t}"
    );
    // vpr: 3,10 / 3,80 = 0,816 < 0,85 → 1 point.
    assert!(
        t.contains("отношение 3,10 / 3,80 = 0,816 → полоса «меньше 0,85» → 1 балл"),
        "{t}"
    );
    // olymp: 5,0 − 12,0 = −7,0 p.p. → band −10…−4 → 2 points.
    assert!(
        t.contains(
            "разность 5,0 − 12,0 = −7,0 п.п. → полоса «от −10,0 п.п. до −4,0 п.п.» → 2 балла"
        ),
        "{t}"
    );
    assert!(t.contains("n = 4 < 10 — показатель ненадёжен"), "{t}");
    // ИСБ: (1·80 + 1·65) / 2 = 145 / 2 = 72,5, above the threshold 60.
    // 2024: 7 × (2 + 2 + 0,5·1) / 2,5 = 7 × 4,5 / 2,5 = 12,6.
    assert!(
        t.contains("ОИП 2024 = 7 × (1·2 + 1·2 + 0,5·1) / (1 + 1 + 0,5) = 7 × 4,5 / 2,5 = 12,6"),
        "{t}"
    );
    assert!(t.contains("всего не более 3 лет"));
    assert!(
        t.contains("ИСБ = (1·80 + 1·65) / (1 + 1) = 145 / 2 = 72,5"),
        "{t}"
    );
    assert!(t.contains("ИСБ 72,5 не ниже порога"), "{t}");
    // Both judged years below 14 → the ОИП rule of ШНОР holds.
    assert!(
        t.contains("2024 — 12,6, 2025 — 10,0: ниже порога 2 → выполнено"),
        "{t}"
    );
    // 34 % «2» in one procedure: condition 1 (two procedures) is not met.
    assert!(
        t.contains("ВПР Математика 5 кл. — 34 % → не выполнено"),
        "{t}"
    );
    assert!(t.contains("Основание (ШНОР): ОИП 12,6 и 10,0 в 2024 и 2025 гг. при пороге ШНОР 14"));
    assert!(t.contains("Кластер: «город, СОШ», школ в кластере: 3 — кластер задан в реестре школ"));
    // §6 as testdata sets it on 01 (2025): ВПР 3,10 with SD 0,8 over 110 works and t 1,982:
    // half 1,982·0,8/√110 = 0,151; the interval 2,95–3,25 as stored; B 0,85 → 3,20.
    assert!(
        t.contains(
            "интервал 95 %: 3,10 ± t(109) 1,982 · SD 0,800 / √110 = 3,10 ± 0,151 → 2,95–3,25 \
             (SD по распределению)"
        ),
        "{t}"
    );
    assert!(
        t.contains("сжатое к кластеру: 3,80 + B·(3,10 − 3,80) при B = τ²/(τ² + σ²) = 0,850"),
        "{t}"
    );
    assert!(t.contains("на нижней и верхней границе интервала: 1 балл и 1 балл"));
    // ОИП 2025 bounds 8,74–12,26 (2024 has none): only 2025 below 14 at its upper end.
    assert!(
        t.contains(
            "устойчивость: верхняя граница ОИП ниже 14 в годах: 2025 → статистически неустойчивый"
        ),
        "{t}"
    );
    assert!(
        t.contains("Признак по ОИП статистически неустойчивый"),
        "{t}"
    );
    // Context as testdata sets it: not computed for the input (the fit has no line).
    assert!(
        t.contains("Контекст (ОИП, ожидаемый по ИСБ): не рассчитан"),
        "{t}"
    );
}

#[test]
fn pooled_and_missing_oip() {
    let f = testdata::judged();
    let cfg = Config::default();
    let t = explain_school(&f, find_school(&f, "гимназия").unwrap(), &cfg);
    assert!(t.contains("значение школы за год: 16,0 (n = 7)"), "{t}");
    assert!(
        t.contains("n < 10: добавлены 2024 г. → объединено за 2 года: 15,0 (n = 12)"),
        "{t}"
    );
    assert!(
        t.contains("ШНСУ: ИСБ 55,0 ниже порога 60,0 → выполнено"),
        "{t}"
    );
    let t = explain_school(&f, find_school(&f, "04").unwrap(), &cfg);
    assert!(
        t.contains("ОИП 2025: надёжных показателей 2 < 3 — ОИП не рассчитывается"),
        "{t}"
    );
    assert!(t.contains("Итог: признаков нет"));
}

#[test]
fn finding_a_school() {
    let f = testdata::judged();
    assert_eq!(find_school(&f, "03").unwrap().school.id, "03");
    assert_eq!(
        find_school(&f, "SCH02").unwrap().school.id,
        "02",
        "alias, any case"
    );
    assert_eq!(find_school(&f, "ивановская").unwrap().school.id, "03");
    assert_eq!(find_school(&f, "лицей «эрудит»").unwrap().school.id, "04");
    let e = find_school(&f, "ОУ").unwrap_err();
    assert!(e.downcast_ref::<UsageError>().is_some());
    let m = e.to_string();
    assert!(
        m.contains("несколько школ")
            && m.contains("01 — МБОУ СОШ № 1")
            && m.contains("03 — МКОУ Ивановская ООШ"),
        "{m}"
    );
    let m = find_school(&f, "Школа № 99").unwrap_err().to_string();
    assert!(
        m.contains("не найдена")
            && m.contains("школы в данных (4), первые по алфавиту")
            && m.contains("01 — МБОУ СОШ № 1"),
        "{m}"
    );
    // A word of the name is enough to be offered the school with its code.
    let m = find_school(&f, "Ивановская школа").unwrap_err().to_string();
    assert!(
        m.contains("похожие по названию:\n  03 — МКОУ Ивановская ООШ") && !m.contains("01 —"),
        "{m}"
    );
}
