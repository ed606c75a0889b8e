//! The workbook read back with calamine and compared with the synthetic findings.

use super::*;
use crate::report::{format, testdata};
use calamine::{Data, Reader, Xlsx, open_workbook};

fn cell_text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(x) => x.to_string(),
        Data::Int(x) => x.to_string(),
        Data::Empty => String::new(),
        other => format!("{other:?}"),
    }
}

fn sheet(path: &std::path::Path, name: &str) -> Vec<Vec<Data>> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let r = wb.worksheet_range(name).unwrap();
    r.rows().map(<[Data]>::to_vec).collect()
}

fn write(cfg: &Config) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("identify-2025.xlsx");
    let bytes = render(&testdata::findings(), &testdata::dataset(), cfg).unwrap();
    std::fs::write(&p, bytes).unwrap();
    (dir, p)
}

#[test]
fn sheet_names_in_order() {
    let (_d, p) = write(&Config::default());
    let wb: Xlsx<_> = open_workbook(&p).unwrap();
    assert_eq!(
        wb.sheet_names(),
        [
            "Сводка",
            "Рейтинг",
            "ШНОР",
            "ШНСУ",
            "Зона риска",
            "Резильентные",
            "Показатели по процедурам",
            "Качество данных",
            "Методика",
            "Диаграммы"
        ]
    );
}

#[test]
fn rating_matches_findings() {
    let cfg = Config::default();
    let (_d, p) = write(&cfg);
    let rows = sheet(&p, "Рейтинг");
    let hdr: Vec<String> = rows[0].iter().map(cell_text).collect();
    assert_eq!(
        &hdr[..5],
        ["№", "Код", "Наименование", "Муниципалитет", "Кластер"]
    );
    // 7 default indicators × (value, n, points) after the five identity columns.
    assert_eq!(hdr[5], "Средняя отметка ВПР (2025)");
    assert_eq!(hdr[6], "vpr: n");
    assert_eq!(hdr[7], "vpr: баллы");
    assert_eq!(hdr[5 + 21], "Примечание");
    let at = |h: &str| hdr.iter().position(|x| x == h).unwrap();
    for h in [
        "ОИП 2024",
        "ОИП 2025",
        "ИСБ",
        "Место в кластере",
        "ШНОР",
        "ШНСУ",
        "Зона риска",
        "Резильентная",
        "Основание",
    ] {
        at(h);
    }
    assert_eq!(rows.len(), 5, "header + 4 schools");
    let find = |id: &str| rows.iter().find(|r| cell_text(&r[1]) == id).unwrap();
    let f = testdata::findings();
    for s in &f.schools {
        let r = find(&s.school.id);
        assert_eq!(cell_text(&r[2]), s.school.name);
        for (y, h) in [(2024, "ОИП 2024"), (2025, "ОИП 2025")] {
            match s.oip_in(y) {
                Some(v) => assert_eq!(r[at(h)], Data::Float(v), "{} {h}", s.school.id),
                None => assert_eq!(r[at(h)], Data::Empty),
            }
        }
        match &s.isb {
            Some(i) => assert_eq!(r[at("ИСБ")], Data::Float(i.value)),
            None => assert_eq!(r[at("ИСБ")], Data::Empty),
        }
        for (k, h) in [
            (FlagKind::Shnor, "ШНОР"),
            (FlagKind::Shnsu, "ШНСУ"),
            (FlagKind::Risk, "Зона риска"),
            (FlagKind::Resilient, "Резильентная"),
        ] {
            let want = if s.flag(k).is_some() { "да" } else { "" };
            assert_eq!(cell_text(&r[at(h)]), want, "{} {h}", s.school.id);
        }
    }
    // School 01: vpr 3,1 over 110 works, 1 point; retention n = 4 is flagged in the note.
    let r = find("01");
    assert_eq!(r[5], Data::Float(3.1));
    assert_eq!(r[6], Data::Float(110.0));
    assert_eq!(r[7], Data::Float(1.0));
    let note = cell_text(&r[at("Примечание")]);
    assert!(
        note.contains("retention: мало данных: n = 4 < 10"),
        "{note}"
    );
    // School 02: oge_ma pooled over 2 years.
    let note = cell_text(&find("02")[at("Примечание")]);
    assert!(
        note.contains("oge_ma: объединено за 2 года (n = 12)"),
        "{note}"
    );
    // School 04: no ОИП in 2025, two reliable indicators.
    let note = cell_text(&find("04")[at("Примечание")]);
    assert!(
        note.contains("недостаточно данных (надёжных показателей 2 < 3)"),
        "{note}"
    );
}

#[test]
fn program_lists_hold_exactly_the_flagged_schools() {
    let (_d, p) = write(&Config::default());
    let f = testdata::findings();
    for k in FLAG_ORDER {
        let rows = sheet(&p, list_sheet(k));
        let hdr: Vec<String> = rows[1].iter().map(cell_text).collect();
        assert_eq!(
            hdr,
            [
                "№ п/п",
                "Полное наименование ОО",
                "Основание",
                "ФИО координатора",
                "Телефон"
            ]
        );
        let got: Vec<(String, String)> = rows[2..]
            .iter()
            .filter(|r| matches!(r[0], Data::Float(_)))
            .map(|r| (cell_text(&r[1]), cell_text(&r[2])))
            .collect();
        let want: Vec<(String, String)> = format::by_name(f.schools.iter())
            .into_iter()
            .filter_map(|s| {
                s.flag(k)
                    .map(|fl| (s.school.name.clone(), fl.basis.clone()))
            })
            .collect();
        assert_eq!(got, want, "{}", list_sheet(k));
    }
    let rows = sheet(&p, "ШНОР");
    assert_eq!(cell_text(&rows[2][1]), "МБОУ СОШ № 1");
    assert_eq!(cell_text(&rows[2][3]), "Координатор 01");
    assert_eq!(cell_text(&rows[2][4]), "+7 900 000-00-01");
    // Зона риска: school 03 has no coordinator or phone → blank.
    let rows = sheet(&p, "Зона риска");
    assert_eq!(cell_text(&rows[2][1]), "МКОУ Ивановская ООШ");
    assert_eq!(rows[2].get(3).map(cell_text).unwrap_or_default(), "");
}

#[test]
fn methodology_shows_checksums_and_configured_numbers() {
    let mut cfg = Config::default();
    cfg.oip.shnor_bar = 13.5;
    cfg.general.min_n = 12;
    let (_d, p) = write(&cfg);
    let text: Vec<String> = sheet(&p, "Методика")
        .iter()
        .flat_map(|r| r.iter().map(cell_text))
        .collect();
    let all = text.join("\n");
    assert!(all.contains(testdata::SHA));
    assert!(all.contains("выгрузки/впр_2025.xlsx"));
    assert!(
        all.contains("ОИП ниже порога ШНОР 13,5 не менее чем в 2 из 3 последних лет"),
        "{all}"
    );
    assert!(all.contains("Показатель надёжен при n ≥ 12"));
    assert!(all.contains("порог программы") || all.contains("ОИП 21 — уровень кластера"));
    assert!(all.contains("применено значение 60,0"));
    assert!(all.contains(env!("CARGO_PKG_VERSION")));
    // The TOML lines of the configuration, e.g. the changed bar.
    assert!(text.iter().any(|l| l == "shnor_bar = 13.5"), "TOML line");
}

#[test]
fn summary_procedures_and_quality() {
    let (_d, p) = write(&Config::default());
    let rows = sheet(&p, "Сводка");
    let line = |label: &str| {
        rows.iter()
            .find(|r| cell_text(&r[0]) == label)
            .unwrap()
            .clone()
    };
    assert_eq!(line("Число школ")[1], Data::Float(4.0));
    // 1 of 4 schools is ШНОР → 25 %.
    let r = line("ШНОР: школ");
    assert_eq!(
        (r[1].clone(), r[2].clone()),
        (Data::Float(1.0), Data::Float(0.25))
    );
    // ОИП ≥ 21 in 2025: only school 02 (28,0) → 1 of 4.
    assert_eq!(
        line("ОИП не ниже порога программы 21 в 2025 г.")[1],
        Data::Float(1.0)
    );
    // ИСБ ≥ 60: schools 01 (72,5) and 03 (61,0) → 2.
    assert_eq!(line("ИСБ не ниже порога 60,0")[1], Data::Float(2.0));
    // Below the bar 14: 2024 — school 01 (12,6); 2025 — 01 (10,0) and 03 (13,5).
    assert_eq!(line("ОИП ниже порога ШНОР: 2024 г.")[1], Data::Float(1.0));
    assert_eq!(line("ОИП ниже порога ШНОР: 2025 г.")[1], Data::Float(2.0));
    let r = line("ОИП опустился ниже порога ШНОР 14: школ");
    assert_eq!(r[1], Data::Float(1.0));
    assert!(cell_text(&r[3]).contains("МКОУ Ивановская ООШ (18,0 → 13,5)"));
    assert_eq!(
        line("Отклонено строк (не учтены в расчёте)")[1],
        Data::Float(1.0)
    );

    let rows = sheet(&p, "Показатели по процедурам");
    assert_eq!(
        cell_text(&rows[1][3]),
        "Муниципалитет (все школы)",
        "municipality first"
    );
    assert_eq!(cell_text(&rows[2][2]), "01");
    assert_eq!(rows[2][11], Data::Float(0.34));

    let rows = sheet(&p, "Качество данных");
    assert_eq!(cell_text(&rows[1][0]), "отклонено", "rejected first");
    assert_eq!(rows[1][3], Data::Float(17.0));
    assert_eq!(cell_text(&rows[1][5]), "7");
    assert_eq!(cell_text(&rows[2][0]), "предупреждение");
    let files = rows
        .iter()
        .find(|r| cell_text(&r[0]) == "выгрузки/впр_2025.xlsx")
        .unwrap();
    assert_eq!(files[5], Data::Float(412.0));
}

#[test]
fn chart_data_has_threshold_lines() {
    let (_d, p) = write(&Config::default());
    let rows = sheet(&p, "Диаграммы");
    // Schools with both ОИП 2025 and ИСБ: 01, 02, 03 (04 has no ОИП).
    let ids: Vec<String> = rows[2..]
        .iter()
        .map(|r| cell_text(&r[0]))
        .filter(|s| !s.is_empty())
        .collect();
    assert_eq!(ids, ["02", "01", "03"], "sorted by name: Г < МБ < МК");
    // ИСБ threshold line at x = 60 from y = 7 to 35.
    assert_eq!(
        (rows[2][6].clone(), rows[2][7].clone()),
        (Data::Float(60.0), Data::Float(7.0))
    );
    assert_eq!(
        (rows[3][6].clone(), rows[3][7].clone()),
        (Data::Float(60.0), Data::Float(35.0))
    );
    // ШНОР bar at y = 14 from x = 55 to 75 (ИСБ 55…72,5 rounded out to 5).
    assert_eq!(
        (rows[4][6].clone(), rows[4][7].clone()),
        (Data::Float(55.0), Data::Float(14.0))
    );
    assert_eq!(
        (rows[5][6].clone(), rows[5][7].clone()),
        (Data::Float(75.0), Data::Float(14.0))
    );
    let bytes = std::fs::read(&p).unwrap();
    // Two charts in the package.
    let names = String::from_utf8_lossy(&bytes);
    assert!(names.contains("xl/charts/chart1.xml") && names.contains("xl/charts/chart2.xml"));
}

#[test]
fn same_input_same_bytes() {
    let f = testdata::findings();
    let ds = testdata::dataset();
    let cfg = Config::default();
    assert_eq!(
        render(&f, &ds, &cfg).unwrap(),
        render(&f, &ds, &cfg).unwrap()
    );
}
