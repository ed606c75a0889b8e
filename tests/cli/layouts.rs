//! Layout habits of real exports, on the synthetic files in fixtures/layouts (see its
//! README). Every expected number is worked out by hand in a comment from the fixture.

use crate::util::{root, shnor};
use shnor::config::Config;
use shnor::model::{Dataset, Exam, Severity};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    root().join("fixtures/layouts").join(name)
}

fn load(name: &str) -> Dataset {
    shnor::normalize::load(&[fixture(name)], &Config::default()).unwrap()
}

/// subject → (schools, participants)
fn by_subject(ds: &Dataset) -> BTreeMap<String, (usize, u32)> {
    let mut m: BTreeMap<String, (usize, u32)> = BTreeMap::new();
    for r in &ds.results {
        let e = m.entry(r.procedure.subject.clone()).or_default();
        e.0 += 1;
        e.1 += r.n;
    }
    m
}

fn inspect(name: &str) -> String {
    let out = shnor().arg("inspect").arg(fixture(name)).output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn wide_subject_blocks_become_one_row_per_subject() {
    let ds = load("егэ_2024_широкая.csv");
    assert!(
        ds.results
            .iter()
            .all(|r| r.procedure.exam == Exam::Ege && r.year == 2024)
    );
    let m = by_subject(&ds);
    // Russian: 20 + 8 + 30 = 58 (= «Итого по краю»); mathematics: 12 + 25 = 37, the ООШ left
    // its block blank.
    assert_eq!(m["Русский язык"], (3, 58));
    assert_eq!(m["Математика профильная"], (2, 37));
    // The ООШ is in Район А (filled down from the row above).
    assert!(
        ds.results
            .iter()
            .any(|r| r.school == "Район А / МКОУ «ООШ № 2»")
    );
    let mean = ds
        .results
        .iter()
        .find(|r| {
            r.school == "Район Б / МБОУ «Лицей»" && r.procedure.subject == "Математика профильная"
        })
        .and_then(|r| r.mean_score);
    assert_eq!(mean, Some(70.2));
    let text = inspect("егэ_2024_широкая.csv");
    assert!(text.contains("2 блоков по 3 столбцов"), "{text}");
    assert!(!text.contains("расхождение"), "{text}");
}

#[test]
fn code_hierarchy_and_a_subtotal_that_does_not_add_up() {
    let ds = load("огэ_2025_иерархия_кодов.csv");
    let keys: Vec<&str> = ds.results.iter().map(|r| r.school.as_str()).collect();
    // Municipalities 1 and 2 and the region row are not schools.
    assert_eq!(keys, vec!["101", "102", "201", "202"]);
    // 15 + 10 + 20 + 15 = 60 = the region row.
    assert_eq!(ds.results.iter().map(|r| r.n).sum::<u32>(), 60);
    // Район Б says 36, its schools 20 + 15 = 35: a warning naming row 9.
    let w: Vec<_> = ds
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Warning && i.message.contains("не равен сумме школ"))
        .collect();
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].origin.row, 9);
    assert!(w[0].message.contains("(36)") && w[0].message.contains("(35)"));
    let text = inspect("огэ_2025_иерархия_кодов.csv");
    assert!(
        text.contains("строка 4 — номера столбцов, пропущена"),
        "{text}"
    );
    assert!(
        text.contains("школы 4, промежуточные итоги (муниципалитеты) 2, итоги по региону 1"),
        "{text}"
    );
    // n: 36 in the file vs 20 + 15 = 35; fives: 7 vs 4 + 2 = 6.
    assert!(text.contains("в файле 36, сумма 2 строк 35"), "{text}");
    assert!(text.contains("в файле 7, сумма 2 строк 6"), "{text}");
}

#[test]
fn sections_codes_in_names_and_numbers_as_text() {
    let ds = load("огэ_2025_русский_разделы.csv");
    let mut got: Vec<(String, u32, Option<[u32; 4]>)> = ds
        .results
        .iter()
        .map(|r| (r.school.clone(), r.n, r.marks))
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            // «1 020» read as 1020; 20 + 300 + 400 + 300 = 1020.
            ("101".into(), 1020, Some([20, 300, 400, 300])),
            // «X» for the twos: 0 + 10 + 20 + 10 = 40.
            ("102".into(), 40, Some([0, 10, 20, 10])),
            ("201".into(), 12, Some([0, 6, 4, 2])),
        ]
    );
    let text = inspect("огэ_2025_русский_разделы.csv");
    assert!(
        text.contains("школы 3, итоги по региону 1, заголовки разделов 2, примечания 1"),
        "{text}"
    );
    // Итого 1072 = 1020 + 40 + 12.
    assert!(!text.contains("расхождение"), "{text}");
}

#[test]
fn names_within_municipality_matched_ambiguous_and_unmatched_listed() {
    let dir = fixture("names");
    let ds = shnor::normalize::load(std::slice::from_ref(&dir), &Config::default()).unwrap();
    let mut got: Vec<(String, u32)> = ds.results.iter().map(|r| (r.school.clone(), r.n)).collect();
    got.sort();
    // «Средняя школа № 1» in Район А → 5001; «средняя школа №1» in Район Б → 5002.
    assert_eq!(got, vec![("5001".into(), 10), ("5002".into(), 12)]);
    let msgs: Vec<&str> = ds
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Rejected)
        .map(|i| i.message.as_str())
        .collect();
    assert_eq!(msgs.len(), 2, "{msgs:?}");
    // «СОШ №3» (Район Б, filled down) fits 5003 and 5004.
    assert!(
        msgs.iter().any(|m| m.contains("коды 5003, 5004")),
        "{msgs:?}"
    );
    // «Гимназия 7» of Район А, a municipality of the registry, is not in it: listed.
    assert!(
        msgs.iter()
            .any(|m| m.contains("«Район А / Гимназия 7» не найдена")),
        "{msgs:?}"
    );
    // «Школа 9» of Район В, which has no school in the registry while the file's other rows
    // were found: another municipality's school, one warning, not a rejection.
    let other: Vec<&str> = ds
        .issues
        .iter()
        .filter(|i| i.message.contains("других муниципалитетов"))
        .map(|i| i.message.as_str())
        .collect();
    assert_eq!(other.len(), 1, "{other:?}");
    assert!(
        other[0].starts_with("1 строка школ других муниципалитетов («Район В»)"),
        "{}",
        other[0]
    );
    let out = shnor().arg("validate").arg(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    // 5 result rows: 2 matched, 2 listed, 1 of another municipality counted apart; the
    // registry's 4 rows all taken.
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("ОГЭ Математика; 2025 год; строк принято: 2; отклонено: 2; школ: 2"),
        "{text}"
    );
    assert!(text.contains("строк принято 6, отклонено 2"), "{text}");
}

#[test]
fn one_column_per_subject() {
    let ds = load("егэ_2025_форма_22.csv");
    let m = by_subject(&ds);
    // Russian 18 + 12 = 30, mathematics 17 + 11 = 28, physics 3 + 2 = 5: the АТЕ row and the
    // «Итого» row say the same and are not schools.
    assert_eq!(m["Русский язык"], (2, 30));
    assert_eq!(m["Математика профильная"], (2, 28));
    assert_eq!(m["Физика"], (2, 5));
    assert!(
        ds.results
            .iter()
            .all(|r| r.year == 2025 && r.procedure.exam == Exam::Ege)
    );
}

#[test]
fn districts_are_a_warning_with_totals_in_inspect() {
    let out = shnor()
        .arg("validate")
        .arg(fixture("гиа9_2011_по_районам.csv"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("предупреждение") && text.contains("свод без школ"),
        "{text}"
    );
    let text = inspect("гиа9_2011_по_районам.csv");
    // Общий итог 150 = 100 + 50; twos 5 = 5 + 0; … fives 25 = 15 + 10: 5 checks pass.
    assert!(text.contains("сошлось 5 из 5"), "{text}");
}

#[test]
fn unknown_layout_says_what_was_found_and_how_to_map_it() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("что-то.csv");
    std::fs::write(&p, "Фамилия;Любимый цвет\nИванов;синий\n").unwrap();
    let out = shnor().arg("inspect").arg(&p).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3));
    assert!(text.contains("НЕ РАСПОЗНАН"), "{text}");
    assert!(text.contains("«Фамилия» | «Любимый цвет»"), "{text}");
    assert!(text.contains("pattern = \"что-то.csv\""), "{text}");
}

/// year → (schools, participants) of ЕГЭ Russian.
fn by_year(ds: &Dataset) -> BTreeMap<i32, (usize, u32)> {
    let mut m: BTreeMap<i32, (usize, u32)> = BTreeMap::new();
    for r in ds
        .results
        .iter()
        .filter(|r| r.procedure.exam == Exam::Ege && r.procedure.subject == "Русский язык")
    {
        let e = m.entry(r.year).or_default();
        e.0 += 1;
        e.1 += r.n;
    }
    m
}

#[test]
fn trend_table_gives_each_year_its_own_results() {
    let ds = load("егэ_2021-2023_по_годам.csv");
    // 2023: 18 + 12 + 10 = 40; 2022: 16 + 12 + 9 = 37; 2021: 12 + 8 + 5 = 25 (school 201
    // blank that year, school 202 only that year) — each equal to the «Энский край» row.
    assert_eq!(
        by_year(&ds),
        BTreeMap::from([(2021, (3, 25)), (2022, (3, 37)), (2023, (3, 40))])
    );
    let mean = |school: &str, year: i32| {
        ds.results
            .iter()
            .find(|r| r.school == school && r.year == year)
            .and_then(|r| r.mean_score)
    };
    assert_eq!(mean("102", 2022), Some(59.67));
    assert_eq!(mean("202", 2021), Some(63.0));
    // Municipality and region rows (names in the code column) are not schools.
    assert_eq!(ds.schools.len(), 4);
    let text = inspect("егэ_2021-2023_по_годам.csv");
    assert!(
        text.contains("ЕГЭ Русский язык 2021; ЕГЭ Русский язык 2022; ЕГЭ Русский язык 2023"),
        "{text}"
    );
    // Per year: the region row and Район А, Район Б — 3 × 3 = 9 checks, all agree.
    assert!(
        text.contains("промежуточные итоги (муниципалитеты) 6, итоги по региону 3"),
        "{text}"
    );
    assert!(text.contains("сошлось 9 из 9"), "{text}");
    assert!(
        text.contains("«Темпы прироста среднего балла» не читаются"),
        "{text}"
    );
}

#[test]
fn trend_year_also_in_a_one_year_file_is_cross_checked_not_doubled() {
    // Either order of the files: the one-year file gives 2023.
    for files in [
        ["егэ_2021-2023_по_годам.csv", "егэ_2023_русский_язык.csv"],
        ["егэ_2023_русский_язык.csv", "егэ_2021-2023_по_годам.csv"],
    ] {
        let paths: Vec<PathBuf> = files.iter().map(|f| fixture(f)).collect();
        let loaded = shnor::normalize::load_with_notes(&paths, &Config::default()).unwrap();
        let ds = &loaded.dataset;
        // 2023 counted once: 18 + 12 + 10 = 40, not 80.
        assert_eq!(by_year(ds)[&2023], (3, 40));
        assert_eq!(by_year(ds)[&2021], (3, 25));
        // School 102: 62,00 in the one-year file, 61,00 in the trend table → the one-year
        // file's value, and one warning naming both.
        let r = ds
            .results
            .iter()
            .find(|r| r.school == "102" && r.year == 2023)
            .unwrap();
        assert_eq!(r.mean_score, Some(62.0));
        assert!(r.origin.file.ends_with("егэ_2023_русский_язык.csv"));
        let warns: Vec<&str> = ds
            .issues
            .iter()
            .filter(|i| i.message.contains("таблица за несколько лет расходится"))
            .map(|i| i.message.as_str())
            .collect();
        assert_eq!(warns.len(), 1, "{warns:?}");
        assert!(warns[0].contains("средний балл 62 и 61"), "{}", warns[0]);
        // Schools 101, 102, 201 in 2023: 3 rows cross-checked, 1 differs.
        assert!(loaded.notes.iter().any(|n| n.notes.iter().any(|t| t
            .contains("годы 2023 есть и в других файлах: 3 строки этой таблицы за эти годы сверены с ними (расхождений 1)"))));
    }
}

#[test]
fn fis_oko_mark_shares_become_counts_only_when_exact() {
    let ds = load("впр_2025_статистика_по_отметкам.csv");
    let got: BTreeMap<&str, (u32, Option<[u32; 4]>)> = ds
        .results
        .iter()
        .map(|r| (r.school.as_str(), (r.n, r.marks)))
        .collect();
    // The README of fixtures/layouts works each count out from its share: 3/54 = 5,56 % …
    let want: BTreeMap<&str, (u32, Option<[u32; 4]>)> = [
        ("sch220001", (54, Some([3, 18, 22, 11]))),
        ("sch220002", (20, Some([1, 7, 8, 4]))),
        ("sch220003", (30, Some([1, 9, 12, 8]))),
        // «12» in a column written to two decimals is 12,00 %: 30 of 250, 100, 75, 45.
        ("sch220004", (250, Some([30, 100, 75, 45]))),
    ]
    .into_iter()
    .collect();
    // «Вся выборка», the region and the municipalities are no schools.
    assert_eq!(got, want);
    assert!(ds.results.iter().all(|r| r.procedure.exam == Exam::Vpr
        && r.procedure.subject == "Математика"
        && r.procedure.grade == Some(5)
        && r.year == 2025));
    let refused: Vec<&str> = ds
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Rejected)
        .map(|i| i.message.as_str())
        .collect();
    assert!(refused.is_empty(), "{refused:?}");
}

#[test]
fn whole_percentages_of_a_large_school_are_refused_not_guessed() {
    let ds = load("впр_2025_проценты_целые.csv");
    let got: Vec<(&str, u32, Option<[u32; 4]>)> = ds
        .results
        .iter()
        .map(|r| (r.school.as_str(), r.n, r.marks))
        .collect();
    // 20 pupils: each is 5 %, so 5/35/40/20 % are exactly 1/7/8/4.
    assert_eq!(got, vec![("sch220002", 20, Some([1, 7, 8, 4]))]);
    // 250 pupils: 12 % ± 0,5 % is 28,75…31,25 pupils — 29, 30 or 31.
    let refused: Vec<&str> = ds
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Rejected)
        .map(|i| i.message.as_str())
        .collect();
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(
        refused[0].contains("ей подходит любое из чисел учащихся 29, 30, 31"),
        "{}",
        refused[0]
    );
}

#[test]
fn a_regions_file_in_a_municipalitys_folder_counts_other_municipalities_apart() {
    // The registry has the three schools of «Энский муниципальный район» only; the ФИС ОКО
    // file also lists «Заречный муниципальный район» with its one school (sch220004).
    let dir = tempfile::tempdir().unwrap();
    let registry = dir.path().join("реестр.csv");
    std::fs::write(
        &registry,
        "Код ОО;Наименование ОО;Муниципалитет;Другие коды ОО\n\
         101;МБОУ «СОШ № 1»;Энский муниципальный район;sch220001\n\
         102;МКОУ «Сосновская ООШ»;Энский муниципальный район;sch220002\n\
         103;МБОУ «Лицей № 3»;Энский муниципальный район;sch220003\n",
    )
    .unwrap();
    let ds = shnor::normalize::load(
        &[fixture("впр_2025_статистика_по_отметкам.csv"), registry],
        &Config::default(),
    )
    .unwrap();
    let got: Vec<(&str, u32)> = ds
        .results
        .iter()
        .map(|r| (r.school.as_str(), r.n))
        .collect();
    assert_eq!(got, vec![("101", 54), ("102", 20), ("103", 30)]);
    // Not a rejection: one warning names the other municipality and its one row.
    assert!(
        ds.issues.iter().all(|i| i.severity != Severity::Rejected),
        "{:?}",
        ds.issues
    );
    let other: Vec<&str> = ds
        .issues
        .iter()
        .filter(|i| i.message.contains("других муниципалитетов"))
        .map(|i| i.message.as_str())
        .collect();
    assert_eq!(other.len(), 1, "{other:?}");
    assert!(
        other[0]
            .starts_with("1 строка школ других муниципалитетов («Заречный муниципальный район»)"),
        "{}",
        other[0]
    );
}

#[test]
fn other_municipalities_are_not_assumed_when_no_row_of_the_file_is_found() {
    // The same file, but the registry does not know the logins: no row resolves, so rows
    // under «Заречный муниципальный район» are unknown codes like the rest, not «another
    // municipality's» (a registry spelling its municipality otherwise must not hide them).
    let dir = tempfile::tempdir().unwrap();
    let registry = dir.path().join("реестр.csv");
    std::fs::write(
        &registry,
        "Код ОО;Наименование ОО;Муниципалитет\n\
         101;МБОУ «СОШ № 1»;Энский муниципальный район\n\
         102;МКОУ «Сосновская ООШ»;Энский муниципальный район\n",
    )
    .unwrap();
    let ds = shnor::normalize::load(
        &[fixture("впр_2025_статистика_по_отметкам.csv"), registry],
        &Config::default(),
    )
    .unwrap();
    assert!(ds.results.is_empty());
    assert!(
        !ds.issues
            .iter()
            .any(|i| i.message.contains("других муниципалитетов"))
    );
    // All four school rows of the file are rejected: sch220001…sch220004.
    let rejected: usize = ds
        .files
        .iter()
        .flat_map(|f| &f.tables)
        .map(|t| t.rows_rejected)
        .sum();
    assert_eq!(rejected, 4);
}
