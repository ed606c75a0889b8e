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
    let bytes = render(&testdata::findings(), &testdata::dataset(), cfg, None).unwrap();
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
            "Профили школ",
            "Показатели школ",
            "Показатели по процедурам",
            "Признаки необъективности",
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
        hdr,
        [
            "№",
            "Код",
            "Наименование",
            "Муниципалитет",
            "Кластер",
            "ОИП 2024",
            "ОИП 2025",
            "ОИП 2025: интервал 95 %",
            "ИСБ",
            "Место в кластере",
            "Ожидаемый ОИП по ИСБ",
            "ОИП по контексту",
            "Признаки",
            "Устойчивость признака по ОИП",
            "Резильентная по контексту",
            "Основание, примечание"
        ]
    );
    // School 01 (testdata): ОИП 10 with bounds 8,74–12,26, неустойчивый, below expected 15.
    let r01 = rows.iter().find(|r| cell_text(&r[1]) == "01").unwrap();
    let at = |h: &str| hdr.iter().position(|x| x == h).unwrap();
    assert_eq!(cell_text(&r01[at("ОИП 2025: интервал 95 %")]), "8,7–12,3");
    assert_eq!(
        cell_text(&r01[at("Устойчивость признака по ОИП")]),
        "статистически неустойчивый"
    );
    assert_eq!(r01[at("Ожидаемый ОИП по ИСБ")], Data::Float(15.0));
    assert_eq!(
        cell_text(&r01[at("ОИП по контексту")]),
        "значимо ниже ожидаемого"
    );
    let at = |h: &str| hdr.iter().position(|x| x == h).unwrap();
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
        let flags: Vec<&str> = FLAG_ORDER
            .iter()
            .filter(|k| s.flag(**k).is_some())
            .map(|k| k.label())
            .collect();
        assert_eq!(
            cell_text(&r[at("Признаки")]),
            flags.join(", "),
            "{}",
            s.school.id
        );
        let basis = cell_text(&r[at("Основание, примечание")]);
        for k in FLAG_ORDER {
            if let Some(fl) = s.flag(k) {
                assert!(basis.contains(&fl.basis), "{}: {basis}", s.school.id);
            }
        }
    }
    // School 04: no ОИП in 2025, two reliable indicators of the three required.
    let note = cell_text(&find("04")[at("Основание, примечание")]);
    assert!(
        note.contains("ОИП 2025: недостаточно данных (надёжных показателей 2 < 3)"),
        "{note}"
    );
    // No internal indicator id in any heading or note a person reads.
    for r in &rows {
        for c in r {
            let t = cell_text(c);
            for id in cfg.indicators.iter().map(|s| s.id.as_str()) {
                assert!(!t.contains(&format!("{id}:")), "{t}");
            }
        }
    }
}

#[test]
fn school_indicators_sheet_holds_every_value_with_its_cluster() {
    let cfg = Config::default();
    let (_d, p) = write(&cfg);
    let rows = sheet(&p, "Показатели школ");
    let hdr: Vec<String> = rows[0].iter().map(cell_text).collect();
    assert_eq!(
        hdr,
        [
            "Год",
            "Код",
            "Школа",
            "Кластер",
            "Показатель",
            "Значение",
            "Интервал 95 %: от",
            "до",
            "n",
            "По кластеру",
            "Отношение к кластеру",
            "Баллы",
            "Баллы по границам",
            "Сжатое значение",
            "Вес B",
            "Примечание"
        ]
    );
    let f = testdata::findings();
    let with_value: usize = f
        .schools
        .iter()
        .map(|s| s.indicators.iter().filter(|i| i.value.is_some()).count())
        .sum();
    assert_eq!(rows.len(), 1 + with_value);
    let find = |y: f64, id: &str, ind: &str| {
        rows.iter()
            .find(|r| r[0] == Data::Float(y) && cell_text(&r[1]) == id && cell_text(&r[4]) == ind)
            .unwrap_or_else(|| panic!("{y} {id} {ind}"))
    };
    // School 01 in 2025 (testdata): ВПР 3,1 over 110 works, cluster 3,8, ratio 3,1/3,8, 1 point.
    let r = find(2025.0, "01", "Средняя отметка ВПР");
    assert_eq!(r[5], Data::Float(3.1));
    assert_eq!(r[8], Data::Float(110.0));
    assert_eq!(r[9], Data::Float(3.8));
    assert_eq!(r[10], Data::Float(3.1 / 3.8));
    assert_eq!(r[11], Data::Float(1.0));
    // … with the interval, points at its ends, the shrunk value and B set in testdata.
    assert_eq!(
        (r[6].clone(), r[7].clone()),
        (Data::Float(2.95), Data::Float(3.25))
    );
    assert_eq!(cell_text(&r[12]), "1–1");
    assert_eq!(
        (r[13].clone(), r[14].clone()),
        (Data::Float(3.2), Data::Float(0.85))
    );
    // Retention n = 4 < 10: no points, and the note says why.
    let name = |id: &str| {
        cfg.indicators
            .iter()
            .find(|s| s.id == id)
            .unwrap()
            .name
            .clone()
    };
    let r = find(2025.0, "01", &name("retention"));
    assert_eq!(r[11], Data::Empty);
    assert!(
        cell_text(&r[15]).contains("мало данных: n = 4 < 10"),
        "{r:?}"
    );
    // School 02: ОГЭ mathematics pooled over 2 years.
    let r = find(2025.0, "02", &name("oge_ma"));
    // Testdata: pooled 15,0 over n = 12; the one year 2025 alone 16,0 over n = 7.
    assert!(
        cell_text(&r[15]).contains(
            "объединено за 2 года (n = 12); за один 2025 г.: 16,0 (n = 7) — с ним сравнивает \
             промежуточный мониторинг"
        ),
        "{r:?}"
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
    assert_eq!(
        cell_text(&rows[1][0]),
        "4 школы, кластеров 2; оцениваемые годы: 2024, 2025"
    );
    // 1 of 4 schools is ШНОР → 25 %.
    let r = line("ШНОР");
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
    // Each list by name, with the first clause of its основание.
    let at = |label: &str| rows.iter().position(|r| cell_text(&r[0]) == label).unwrap();
    let h = at("ШНОР — 1 школа");
    assert_eq!(cell_text(&rows[h + 1][0]), "МБОУ СОШ № 1");
    assert_eq!(
        cell_text(&rows[h + 1][1]),
        "ОИП 12,6 и 10,0 в 2024 и 2025 гг. при пороге ШНОР 14"
    );
    let h = at("ШНСУ — 1 школа");
    assert_eq!(cell_text(&rows[h + 1][0]), "Гимназия № 2");
    // No previous baseline: said, not silently skipped.
    assert!(
        rows.iter().any(|r| cell_text(&r[0]).starts_with(
            "Снимок прошлого года (baseline-2024.json.gz или identify-2024.json) не найден"
        )),
        "{rows:?}"
    );
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
fn charts_and_their_tables() {
    let (_d, p) = write(&Config::default());
    let rows = sheet(&p, "Диаграммы");
    let text = |r: usize, c: usize| rows[r].get(c).map(cell_text).unwrap_or_default();
    let titled = |t: &str| {
        rows.iter()
            .position(|r| r.first().map(cell_text).as_deref() == Some(t))
            .unwrap_or_else(|| panic!("no table «{t}»"))
    };
    // Share at or above 21 (testdata): 2024 ОИП 12,6, 27, 18, 21 → 2 of 4; 2025 ОИП 10, 28,
    // 13,5 (04 has none) → 1 of 3.
    let t = titled("Доля школ с ОИП не ниже порога программы (21)");
    assert_eq!(text(t + 1, 3), "Доля");
    assert_eq!(rows[t + 2][..4], [2024.0, 4.0, 2.0, 0.5].map(Data::Float));
    assert_eq!(
        rows[t + 3][..4],
        [2025.0, 3.0, 1.0, 1.0 / 3.0].map(Data::Float)
    );
    // Flagged schools by year, after the two threshold rows, ШНОР first, then резильентные,
    // then зона риска.
    let t = titled("ОИП школ из перечней по годам");
    assert_eq!(text(t + 2, 0), "Порог ШНОР (14)");
    assert_eq!(rows[t + 2][2..4], [14.0, 14.0].map(Data::Float));
    assert_eq!(text(t + 3, 0), "Порог программы (21)");
    let got: Vec<(String, String, Data, Data)> = (t + 4..t + 7)
        .map(|r| {
            (
                text(r, 0),
                text(r, 1),
                rows[r][2].clone(),
                rows[r][3].clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "МБОУ СОШ № 1".into(),
                "ШНОР".into(),
                Data::Float(12.6),
                Data::Float(10.0)
            ),
            (
                "Гимназия № 2".into(),
                "ШНСУ, резильентная".into(),
                Data::Float(27.0),
                Data::Float(28.0)
            ),
            (
                "МКОУ Ивановская ООШ".into(),
                "зона риска".into(),
                Data::Float(18.0),
                Data::Float(13.5)
            ),
        ]
    );
    assert_eq!(text(t + 7, 0), "", "only flagged schools");
    // Threshold lines: ИСБ 60 from y = 7 to 35; ШНОР bar at y = 14 from x = 55 to 75
    // (ИСБ 55…72,5 rounded out to 5).
    let t = titled("Линии порогов и подписи четвертей диаграммы ОИП × ИСБ");
    let pt = |r: usize| (rows[r][1].clone(), rows[r][2].clone());
    assert_eq!(text(t + 2, 0), "Порог ИСБ 60,0");
    assert_eq!(pt(t + 2), (Data::Float(60.0), Data::Float(7.0)));
    assert_eq!(pt(t + 3), (Data::Float(60.0), Data::Float(35.0)));
    assert_eq!(pt(t + 4), (Data::Float(55.0), Data::Float(14.0)));
    assert_eq!(pt(t + 5), (Data::Float(75.0), Data::Float(14.0)));
    // The scatter's schools (both ОИП 2025 and ИСБ: 01, 02, 03), by category.
    let t = titled("Школы на диаграмме ОИП × ИСБ, 2025 год");
    let got: Vec<(String, String)> = (t + 2..t + 5).map(|r| (text(r, 4), text(r, 1))).collect();
    assert_eq!(
        got,
        [
            ("01".into(), "ШНОР".into()),
            ("02".into(), "Резильентные".into()),
            ("03".into(), "Зона риска".into())
        ]
    );
    assert_eq!(rows[t + 2][2..4], [72.5, 10.0].map(Data::Float));
    // Three charts; the scatter has a series per category present, the flagged schools'
    // names as labels and the quadrants named.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&p).unwrap()).unwrap();
    let mut xml = |name: &str| {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut s).unwrap();
        s
    };
    let scatter = xml("xl/charts/chart1.xml");
    for want in [
        "ШНОР",
        "Резильентные",
        "Зона риска",
        "МКОУ Ивановская ООШ",
        "Трудные условия, высокие результаты",
        "Благополучные условия, низкие результаты",
    ] {
        assert!(scatter.contains(want), "{want}");
    }
    assert!(!scatter.contains("Остальные школы"), "no empty category");
    assert!(xml("xl/charts/chart2.xml").contains("Гимназия № 2"));
    assert!(xml("xl/charts/chart3.xml").contains("Доля школ"));
}

#[test]
fn summary_names_who_entered_and_left_the_lists() {
    // Last December (testdata): 03 was ШНОР, 01 on no list.
    let before = testdata::previous_year();
    let prev = crate::report::Previous {
        path: "отчёты/identify-2024.json".into(),
        findings: before,
    };
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("identify-2025.xlsx");
    let bytes = render(
        &testdata::findings(),
        &testdata::dataset(),
        &Config::default(),
        Some(&prev),
    )
    .unwrap();
    std::fs::write(&p, bytes).unwrap();
    let rows = sheet(&p, "Сводка");
    let at = |label: &str| {
        rows.iter()
            .position(|r| cell_text(&r[0]) == label)
            .unwrap_or_else(|| panic!("{label}: {rows:?}"))
    };
    at("Изменения перечней с отчёта за 2024 год (отчёты/identify-2024.json)");
    // ШНОР: was 03, now 01 → 1 entered, 1 left, 1 now.
    let r = at("ШНОР: было 1, вошли 1, вышли 1, стало");
    assert_eq!(rows[r][1], Data::Float(1.0));
    assert_eq!(cell_text(&rows[r + 1][0]), "вошла: МБОУ СОШ № 1");
    assert_eq!(
        cell_text(&rows[r + 1][1]),
        "ОИП 12,6 и 10,0 в 2024 и 2025 гг. при пороге ШНОР 14"
    );
    assert_eq!(cell_text(&rows[r + 2][0]), "вышла: МКОУ Ивановская ООШ");
    // 03 in 2025: ОИП 13,5, on the risk list now.
    assert_eq!(
        cell_text(&rows[r + 2][1]),
        "ОИП 2025 г. — 13,5 при пороге ШНОР 14; теперь: зона риска"
    );
    // The other lists did not change: no line for them.
    assert!(
        !rows
            .iter()
            .any(|r| cell_text(&r[0]).starts_with("ШНСУ: было"))
    );
}

#[test]
fn a_profile_page_per_listed_school() {
    let cfg = Config::default();
    let (_d, p) = write(&cfg);
    let rows = sheet(&p, "Профили школ");
    let text = |r: &[Data], c: usize| r.get(c).map(cell_text).unwrap_or_default();
    // Listed schools in the lists' order: 01 (ШНОР), 02 (ШНСУ, резильентная), 03 (зона
    // риска); 04 is on no list.
    let titles: Vec<(usize, String)> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            text(r, 1).is_empty()
                && [
                    "МБОУ СОШ № 1",
                    "Гимназия № 2",
                    "МКОУ Ивановская ООШ",
                    "Лицей «Эрудит»",
                ]
                .contains(&text(r, 0).as_str())
        })
        .map(|(i, r)| (i, text(r, 0)))
        .collect();
    let names: Vec<&str> = titles.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(
        names,
        ["МБОУ СОШ № 1", "Гимназия № 2", "МКОУ Ивановская ООШ"]
    );
    // School 01's page: its reason, ВПР 2025 3,1 against the cluster's 3,8 for 1 point (the
    // 2025 columns are the last three of the year groups: 4, 5, 6), ОИП 12,6 and 10,0.
    let page = &rows[titles[0].0..titles[1].0];
    assert!(page.iter().any(|r| text(r, 0) == "Признаки: ШНОР"));
    assert!(
        page.iter()
            .any(|r| text(r, 0).starts_with("ШНОР: ОИП 12,6 и 10,0 в 2024 и 2025 гг."))
    );
    let vpr = page
        .iter()
        .find(|r| text(r, 0) == "Средняя отметка ВПР")
        .unwrap();
    assert_eq!(vpr[4..7], [3.1, 3.8, 1.0].map(Data::Float));
    let oip = page.iter().find(|r| text(r, 0) == "ОИП").unwrap();
    assert_eq!(
        (oip[1].clone(), oip[4].clone()),
        (Data::Float(12.6), Data::Float(10.0))
    );
    // The weakest indicators with a deficit of the risk profile.
    let weak = page
        .iter()
        .position(|r| text(r, 0).starts_with("Слабые показатели 2025 г."))
        .unwrap();
    // 2025 at 1–2 points (testdata): ОГЭ русский 20 and ВПР 3,1 at 1, ОГЭ математика and the
    // olympiad at 2 (by points, then by key); retention is unreliable (n = 4) and not listed;
    // then the passport's low-income share 20 % ≥ 15 %.
    let listed: Vec<String> = page[weak + 1..]
        .iter()
        .map(|r| text(r, 0))
        .take_while(|t| !t.is_empty())
        .collect();
    assert_eq!(
        listed,
        [
            "ОГЭ: средний первичный балл, русский язык",
            "Средняя отметка ВПР",
            "ОГЭ: средний первичный балл, математика",
            "Доля обучающихся 7–11 кл. — участников МЭ ВсОШ",
            "социальный паспорт: Из малообеспеченных семей"
        ]
    );
    let vpr = page[weak + 1..]
        .iter()
        .find(|r| text(r, 0) == "Средняя отметка ВПР")
        .unwrap();
    assert!(
        text(vpr, 1).starts_with("3,1 в 2025 г.: 1 балл из 5")
            && text(vpr, 1).contains("компетентность"),
        "{vpr:?}"
    );
    // A page break before each school but the first; printed portrait.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&p).unwrap()).unwrap();
    // Sheets are numbered in their order: «Профили школ» is the 7th.
    assert_eq!(
        open_workbook::<Xlsx<_>, _>(&p).unwrap().sheet_names()[6],
        "Профили школ"
    );
    let xml = [7]
        .iter()
        .map(|i| {
            let mut s = String::new();
            let name = format!("xl/worksheets/sheet{i}.xml");
            std::io::Read::read_to_string(&mut zip.by_name(&name).unwrap(), &mut s).unwrap();
            s
        })
        .find(|s| s.contains("orientation=\"portrait\""))
        .expect("the profiles sheet prints portrait");
    assert!(
        xml.contains("<rowBreaks count=\"2\""),
        "two breaks for three schools"
    );
}

#[test]
fn same_input_same_bytes() {
    let f = testdata::findings();
    let ds = testdata::dataset();
    let cfg = Config::default();
    // Not assert_eq: a difference would print two workbooks byte by byte.
    assert!(render(&f, &ds, &cfg, None).unwrap() == render(&f, &ds, &cfg, None).unwrap());
}

#[test]
fn a_cell_names_at_most_twenty_schools_that_crossed_an_oip_threshold() {
    // 120 copies of school 01 (ОИП in 2024 and 2025, testdata), each with ОИП 20 in 2024
    // and 10 in 2025: all 120 fell below the ШНОР bar 14.
    let mut f = testdata::findings();
    let model = f.schools[0].clone();
    f.schools = (0..120)
        .map(|i| {
            let mut s = model.clone();
            s.school.id = format!("x{i:03}");
            s.school.name = format!("Школа {i:03}");
            for o in &mut s.oip {
                o.value = Some(if o.year == 2024 { 20.0 } else { 10.0 });
            }
            s
        })
        .collect();
    let cfg = Config::default();
    let label = "ОИП опустился ниже порога ШНОР 14: школ";
    let parts = [];
    let scopes = [
        (Scope::Whole, "на листе «Рейтинг», столбцы ОИП по годам"),
        (
            Scope::Summary {
                by: crate::report::split::By::Municipality,
                parts: &parts,
            },
            "в книгах частей отчёта, лист «Сводка» (книги — на листе «Части отчёта»)",
        ),
    ];
    for (scope, rest_at) in scopes {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("identify-2025.xlsx");
        let bytes = render_scoped(&f, &testdata::dataset(), &cfg, None, scope).unwrap();
        std::fs::write(&p, bytes).unwrap();
        let rows = sheet(&p, "Сводка");
        let r = rows
            .iter()
            .find(|r| cell_text(&r[0]) == label)
            .unwrap_or_else(|| panic!("{label}: {rows:?}"));
        assert_eq!(r[1], Data::Float(120.0));
        let note = cell_text(&r[3]);
        assert_eq!(note.matches("(20,0 → 10,0)").count(), 20, "{note}");
        assert!(note.contains("Школа 019"), "{note}");
        assert!(!note.contains("Школа 020"), "{note}");
        assert!(
            note.ends_with(&format!("; … и ещё 100 школ — {rest_at}")),
            "{note}"
        );
    }
}

#[test]
fn the_whole_inputs_procedure_rows_are_named_for_what_they_hold() {
    // The rows of no school hold the whole input's figures: the municipality's only when
    // the input is one municipality, never in a part of a split report.
    let base = testdata::findings();
    let mut two = testdata::findings();
    two.schools[0].school.municipality = Some("Другой район".into());
    let cfg = Config::default();
    let part = Scope::Part {
        name: "Энский район",
        summary: "identify-2025.xlsx",
    };
    for (f, scope, want) in [
        (&base, Scope::Whole, "Муниципалитет (все школы)"),
        (
            &two,
            Scope::Whole,
            "Все школы выгрузки (все муниципалитеты)",
        ),
        (&base, part, "Все школы выгрузки (не только этой книги)"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("b.xlsx");
        let bytes = render_scoped(f, &testdata::dataset(), &cfg, None, scope).unwrap();
        std::fs::write(&p, bytes).unwrap();
        let rows = sheet(&p, "Показатели по процедурам");
        let whole: Vec<String> = rows
            .iter()
            .filter(|r| cell_text(&r[2]).is_empty() && !cell_text(&r[3]).is_empty())
            .map(|r| cell_text(&r[3]))
            .collect();
        assert!(!whole.is_empty(), "{scope:?}");
        assert!(whole.iter().all(|t| t == want), "{scope:?}: {whole:?}");
    }
}
