//! Real exports in ../shared/realdata, one test per file family. Every number asserted was
//! read from the file itself with a separate script (Python xlrd/openpyxl/csv: a region or
//! municipality total row, a count of rows with school codes) — never from shnor's output.
//! School names are never printed. Without ../shared each test prints the SKIPPED line
//! `.ci/run` counts (see `util::realdata`).

use crate::util::{realdata, shnor};
use shnor::config::Config;
use shnor::model::{Dataset, Exam, InputKind, Severity};
use std::collections::BTreeSet;
use std::path::PathBuf;

/// The real file, or return from the test (marked skipped) when ../shared is absent.
macro_rules! real {
    ($rel:expr) => {
        match realdata($rel) {
            Some(p) => p,
            None => return,
        }
    };
}

fn load(p: &PathBuf) -> Dataset {
    shnor::normalize::load(std::slice::from_ref(p), &Config::default()).unwrap()
}

/// (n, [n2, n3, n4, n5]) summed over the schools of one procedure and year.
fn sums(ds: &Dataset, exam: Exam, subject: &str, year: i32) -> (u32, [u32; 4], usize) {
    let mut n = 0;
    let mut m = [0u32; 4];
    let mut schools = BTreeSet::new();
    for r in ds
        .results
        .iter()
        .filter(|r| r.procedure.exam == exam && r.procedure.subject == subject && r.year == year)
    {
        n += r.n;
        if let Some(k) = r.marks {
            for i in 0..4 {
                m[i] += k[i];
            }
        }
        schools.insert(r.school.clone());
    }
    (n, m, schools.len())
}

fn rejected(ds: &Dataset) -> Vec<String> {
    ds.issues
        .iter()
        .filter(|i| i.severity == Severity::Rejected)
        .map(|i| i.message.chars().take(200).collect())
        .collect()
}

/// Altai ОГЭ-2014 mathematics: the region row says 20285 participants with marks
/// 7 / 13359 / 5188 / 1731; 72 municipality rows (1–2 digit codes) and 1047 schools
/// (3–4 digit codes: 121 + 926). The schools must add up to the region row.
#[test]
fn altai_oge_2014_math_schools_add_up_to_region_row() {
    let p = real!("ru/altai_ege_oge_2013-2015/oge-2014-results-schools.zip");
    let ds = load(&p);
    let (n, marks, schools) = sums(&ds, Exam::Oge, "Математика", 2014);
    assert_eq!(n, 20285);
    assert_eq!(marks, [7, 13359, 5188, 1731]);
    assert_eq!(schools, 1047);
    // inspect: the mathematics member shows its row classes and no total that fails.
    let out = shnor().arg("inspect").arg(&p).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let block = text
        .split("\n/")
        .find(|b| b.contains("-02--ОГЭ-14"))
        .expect("mathematics member listed");
    assert!(
        block.contains("школы 1047, промежуточные итоги (муниципалитеты) 72, итоги по региону 1"),
        "{block}"
    );
    assert!(!block.contains("расхождение"), "{block}");
}

/// Zabaykalsky ЕГЭ, one sheet per year, 21 subject blocks side by side. The «Итого»/«Всего»
/// rows say: 2023 Russian 4955, profile mathematics 1721; 2022 Russian 5211, mathematics
/// 1886. 314 schools (municipality + name) with participants in each year. The 2024 sheet
/// is applications, not results: refused with a message.
#[test]
fn zabaykalsky_wide_subject_blocks() {
    let p = real!("ru/zabaykalsky_eao_ege_2022-2024/directories_Забайкальский край.xlsx");
    let ds = load(&p);
    for (year, rus, math) in [(2023, 4955, 1721), (2022, 5211, 1886)] {
        let (n, _, schools) = sums(&ds, Exam::Ege, "Русский язык", year);
        assert_eq!(n, rus, "{year}");
        assert_eq!(schools, 314, "{year}");
        assert_eq!(sums(&ds, Exam::Ege, "Математика профильная", year).0, math);
        let all: BTreeSet<&str> = ds
            .results
            .iter()
            .filter(|r| r.year == year)
            .map(|r| r.school.as_str())
            .collect();
        assert_eq!(all.len(), 314, "{year}");
    }
    // High scorers are 80–100: the total rows say 80–99 = 763 (2022), 687 (2023) and
    // 100 = 1, 2 for Russian: 764 and 689.
    for (year, high) in [(2022, 764), (2023, 689)] {
        let got: u32 = ds
            .results
            .iter()
            .filter(|r| r.year == year && r.procedure.subject == "Русский язык")
            .filter_map(|r| r.n_high)
            .sum();
        assert_eq!(got, high, "{year}");
    }
    let t = &ds.files[0].tables;
    assert_eq!(t.len(), 2, "2022 and 2023 read, 2024 (applications) not");
    assert!(
        t.iter()
            .all(|t| t.kind == Some(InputKind::Aggregates) && t.rows_rejected == 0)
    );
    // The 2024 sheet is named in a warning that says what was found.
    assert!(
        ds.issues
            .iter()
            .any(|i| i.origin.sheet.as_deref() == Some("2024")
                && i.message.contains("Муниципальное образование"))
    );
}

/// Moscow oblast ОГЭ-2014: 13 subject sheets, no school codes, the АТЕ name only on the
/// first row of its block. Rows per sheet and the Russian sheet's sums (column sums of the
/// file: 54960 participants, marks 41 / 8115 / 23509 / 23295).
#[test]
fn moscow_oblast_oge_2014_by_name_within_ate() {
    let p = real!(
        "ru/moscow_oblast_ege2012_oge2014/oge2014/04_Участники основного государственного экзамена, освоившие программы основного общего образования.xls"
    );
    let ds = load(&p);
    assert!(rejected(&ds).is_empty(), "{:?}", rejected(&ds));
    let (n, marks, schools) = sums(&ds, Exam::Oge, "Русский язык", 2014);
    assert_eq!((n, marks, schools), (54960, [41, 8115, 23509, 23295], 1331));
    let (n, marks, schools) = sums(&ds, Exam::Oge, "Математика", 2014);
    assert_eq!((n, marks, schools), (54974, [59, 26436, 23012, 5467], 1331));
    let rows: Vec<usize> = ds.files[0].tables.iter().map(|t| t.rows_accepted).collect();
    assert_eq!(
        rows,
        vec![
            1331, 1331, 362, 340, 306, 539, 227, 207, 353, 6, 7, 605, 154
        ]
    );
    // Schools are keyed within their АТЕ: 72 АТЕ on the Russian sheet.
    let ate: BTreeSet<&str> = ds
        .results
        .iter()
        .filter(|r| r.procedure.subject == "Русский язык")
        .filter_map(|r| r.school.split_once(" / ").map(|(m, _)| m))
        .collect();
    assert_eq!(ate.len(), 72);
}

/// Moscow oblast form 22 (ЕГЭ-2012 participants by АТЕ): one column per subject, 74 АТЕ
/// rows each above its schools, «Итого по субъекту РФ» 34287 Russian / 34217 mathematics.
/// 1181 schools (codes ≥ 100).
#[test]
fn moscow_oblast_form_22() {
    let p = real!(
        "ru/moscow_oblast_ege2012_oge2014/19_Статистические данные по участию в ЕГЭ выпускников по АТЕ.xls"
    );
    let ds = load(&p);
    assert!(rejected(&ds).is_empty(), "{:?}", rejected(&ds));
    assert_eq!(sums(&ds, Exam::Ege, "Русский язык", 2012).0, 34287);
    assert_eq!(sums(&ds, Exam::Ege, "Математика профильная", 2012).0, 34217);
    assert_eq!(ds.schools.len(), 1181);
    let out = shnor().arg("inspect").arg(&p).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("промежуточные итоги (муниципалитеты)"),
        "{text}"
    );
    assert!(!text.contains("расхождение"), "{text}");
}

/// Omsk ГИА-9 by district: not schools, so a warning (not a rejected file); and its own
/// Успеваемость, Качество and both ratings are reproduced from its counts:
/// успеваемость = (n3+n4+n5)/n·100, качество = (n4+n5)/n·100 (docs/method.md §2), ratings = dense
/// ranks (ties share a place, the next place is +1) of those values rounded to 0.1, highest
/// first. The «Общий итог» row equals the sum of the 33 district rows.
#[test]
fn omsk_districts_reproduce_the_files_own_columns() {
    let p = real!("ru/omsk_2011/omsk_2011_gia_stats.xls");
    let ds = load(&p);
    assert!(rejected(&ds).is_empty(), "{:?}", rejected(&ds));
    assert!(
        ds.issues
            .iter()
            .any(|i| i.message.contains("свод без школ"))
    );
    let wb = shnor::read::read_file(&p).unwrap();
    let num = |c: &shnor::read::Cell| match c {
        shnor::read::Cell::Number(x) => Some(*x),
        other => other.text().trim().parse::<f64>().ok(),
    };
    for (sheet, total) in [("русский_правки", 11376.0), ("матем_правки", 9729.0)]
    {
        let s = wb
            .sheets
            .iter()
            .find(|s| s.name.as_deref() == Some(sheet))
            .unwrap();
        // District rows: a number in column A (1…33).
        let rows: Vec<Vec<f64>> = s
            .rows
            .iter()
            .filter(|r| r.first().and_then(num).is_some())
            .map(|r| {
                (2..15)
                    .map(|c| r.get(c).and_then(num).unwrap_or(f64::NAN))
                    .collect()
            })
            .collect();
        assert_eq!(rows.len(), 33, "{sheet}");
        // Columns from C: 0 n, 1–4 n2..n5, 5–8 %, 9 успеваемость, 10 качество, 11–12 ranks.
        let succ: Vec<f64> = rows
            .iter()
            .map(|r| (r[2] + r[3] + r[4]) / r[0] * 100.0)
            .collect();
        let qual: Vec<f64> = rows.iter().map(|r| (r[3] + r[4]) / r[0] * 100.0).collect();
        for (i, r) in rows.iter().enumerate() {
            // The mathematics sheet stores one decimal: agree within rounding.
            assert!((succ[i] - r[9]).abs() <= 0.05 + 1e-9, "{sheet} row {i}");
            assert!((qual[i] - r[10]).abs() <= 0.05 + 1e-9, "{sheet} row {i}");
        }
        let dense = |v: &[f64]| -> Vec<f64> {
            let r: Vec<i64> = v.iter().map(|x| (x * 10.0).round() as i64).collect();
            let mut distinct = r.clone();
            distinct.sort_unstable_by(|a, b| b.cmp(a));
            distinct.dedup();
            r.iter()
                .map(|x| (distinct.iter().position(|d| d == x).unwrap() + 1) as f64)
                .collect()
        };
        let (rs, rq) = (dense(&succ), dense(&qual));
        for (i, r) in rows.iter().enumerate() {
            assert_eq!(rs[i], r[11], "{sheet}: рейтинг по успеваемости, строка {i}");
            assert_eq!(rq[i], r[12], "{sheet}: рейтинг по качеству, строка {i}");
        }
        let sum: f64 = rows.iter().map(|r| r[0]).sum();
        assert_eq!(sum, total, "{sheet}: Общий итог");
    }
}

/// Moscow open data, ЕГЭ 2015/16 by school: 626 rows, each with its own OGRN; the column
/// PASSED_NUMBER_FULL sums to 66461. Read as «ЕГЭ Три предмета» 2016 keyed by OGRN.
#[test]
fn moscow_open_data_ege() {
    let p = real!("ru/moscow_ege_2015-16/data-9722-2016-10-31.csv");
    let ds = load(&p);
    assert!(rejected(&ds).is_empty(), "{:?}", rejected(&ds));
    let (n, _, schools) = sums(&ds, Exam::Ege, "Три предмета", 2016);
    assert_eq!((n, schools), (66461, 626));
    assert!(ds.results.iter().all(|r| r.school.len() == 13), "OGRN keys");
}

/// The Moscow school directory 2013 (open data): no school code, no ИНН/ОГРН — read as a
/// registry keyed by the dataset's `global_id`. Python (csv, utf-8-sig, `;`): 1230 rows,
/// 1230 distinct global_id; okrug «Южный административный округ» on 170 rows, empty on 40;
/// telephone empty on 5; vid_uchrezhdeniya «Средняя общеобразовательная школа» on all.
#[test]
fn moscow_directory_is_a_registry() {
    let p = real!("ru/moscow_ege_2015-16/data-20130909T0800.csv");
    let ds = load(&p);
    assert!(rejected(&ds).is_empty(), "{:?}", rejected(&ds));
    assert_eq!(ds.schools.len(), 1230);
    let okrug = |m: Option<&str>| {
        ds.schools
            .iter()
            .filter(|s| s.municipality.as_deref() == m)
            .count()
    };
    assert_eq!(okrug(Some("Южный административный округ")), 170);
    assert_eq!(okrug(None), 40);
    assert_eq!(ds.schools.iter().filter(|s| s.phone.is_none()).count(), 5);
    assert!(
        ds.schools
            .iter()
            .all(|s| s.level.as_deref() == Some("Средняя общеобразовательная школа"))
    );
    assert!(
        ds.schools
            .iter()
            .all(|s| s.id.chars().all(|c| c.is_ascii_digit()))
    );
    let out = shnor().arg("inspect").arg(&p).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("таблица: реестр школ"), "{text}");
    assert!(
        text.contains("O «global_id» → Код ОО (school_id)"),
        "{text}"
    );
    assert!(
        text.contains("D «okrug» → Муниципалитет (municipality)"),
        "{text}"
    );
    assert!(
        text.contains("строк принято 1230, отклонено 0, школ 1230"),
        "{text}"
    );
}

/// Altai ВПР-2021 participant file through inspect: kind, procedure and year shown.
#[test]
fn inspect_shows_kind_procedure_year_and_columns() {
    let p = real!(
        "ru/altai_vpr_2020-2022/2021/Проведение работы по математике, 4 класс. ВПР 2021.xlsx"
    );
    let out = shnor().arg("inspect").arg(&p).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("результаты участников"), "{text}");
    assert!(
        text.contains("процедура ВПР, предмет Математика, 4 класс, год 2021"),
        "{text}"
    );
    assert!(text.contains("«всего баллов» → "), "{text}");
}

/// ВПР-2020 with raw ФИС ОКО column codes (`user | otc | sum | a-1-grade …`): the year and
/// grade are only in the folders (`2020/4/`), the procedure only in the columns (the term
/// mark). No marks in the file and no 2020 boundaries configured: the rows are held back
/// with a message saying which boundaries to add.
#[test]
fn vpr_2020_year_and_grade_from_folders() {
    let p = real!("ru/altai_vpr_2020-2022/2020/4/Математика.xlsx");
    let out = shnor().arg("inspect").arg(&p).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("результаты участников"), "{text}");
    assert!(
        text.contains("процедура ВПР, предмет Математика, 4 класс, год 2020"),
        "{text}"
    );
    assert!(text.contains("границы перевода баллов в отметки"), "{text}");
}

/// logins.xlsx: 692 logins (rows with a login under the header `логин | имя | регион`).
#[test]
fn altai_logins_registry() {
    let p = real!("ru/altai_vpr_2020-2022/logins.xlsx");
    let ds = load(&p);
    assert_eq!(ds.schools.len(), 692);
    assert_eq!(ds.files[0].tables[0].kind, Some(InputKind::Registry));
}

/// Altai ЕГЭ 2013 zip: the `5020-…` members are trend tables «за 2011-2013 годы» (a block
/// of year columns per measure). Read with Python (zipfile + the SpreadsheetML XML) for
/// Russian: rows with a numeric code and participants — 2011: 780 schools, 10823
/// participants; 2012: 813, 13900; 2013: 805, 12540 (each equal to the «Алтайский край»
/// row); 842 distinct codes; 72 municipality-level rows a year (70 municipalities, «Краевые
/// ОУ», «Негосударственные ОУ»), of which 72 / 72 / 69 add up to their schools. 2013 is also
/// in the one-year member 5010-…-01 (805 schools, 12540): it is taken from there once, and
/// the trend table's 805 rows of 2013 are cross-checked without a difference.
#[test]
fn altai_ege_trend_members_give_each_year() {
    let p = real!("ru/altai_ege_oge_2013-2015/ege-2013-results-schools.zip");
    let loaded =
        shnor::normalize::load_with_notes(std::slice::from_ref(&p), &Config::default()).unwrap();
    let ds = &loaded.dataset;
    for (year, n, schools) in [(2011, 10823, 780), (2012, 13900, 813), (2013, 12540, 805)] {
        let (got, _, s) = sums(ds, Exam::Ege, "Русский язык", year);
        assert_eq!((got, s), (n, schools), "{year}");
    }
    assert!(rejected(ds).is_empty(), "{:?}", rejected(ds));
    assert!(
        !ds.issues
            .iter()
            .any(|i| i.message.contains("таблица за несколько лет расходится"))
    );
    assert!(loaded.notes.iter().any(|n| n.file.contains("5020-00-0000-01")
        && n.notes.iter().any(|t| t.contains(
            "годы 2013 есть и в других файлах: 805 строк этой таблицы за эти годы сверены с ними (расхождений 0)"
        ))));
    let out = shnor().arg("inspect").arg(&p).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("НЕ РАСПОЗНАН"), "{text}");
    let block = text
        .split("\n/")
        .find(|b| b.contains("5020-00-0000-01"))
        .expect("Russian trend member listed");
    assert!(
        block.contains("ЕГЭ Русский язык 2011; ЕГЭ Русский язык 2012; ЕГЭ Русский язык 2013"),
        "{block}"
    );
    // 780 + 813 + 805 = 2398 school rows; 3 region rows; 3 × 72 municipality-level rows.
    assert!(
        block.contains(
            "строки по видам: школы 2398, промежуточные итоги (муниципалитеты) 216, итоги по региону 3"
        ),
        "{block}"
    );
    assert!(block.contains("школ 842"), "{block}");
    // 3 region + 72 + 72 + 69 municipality rows that add up = 216 of 3 + 3 × 72 = 219.
    assert!(block.contains("сошлось 216 из 219"), "{block}");
}

/// Both Altai ЕГЭ zips: years 2012 and 2013 are in both trend tables and 2013, 2014 in
/// one-year members — no «two files for the same year» stop. Russian 2014 from the one-year
/// member 5010-…-01 of the 2014 zip (Python: 793 schools with 3–4 digit codes and
/// participants, 11632 = the region row); 2011 only in the 2013 zip's trend table.
#[test]
fn altai_ege_both_zips_take_each_year_once() {
    let a = real!("ru/altai_ege_oge_2013-2015/ege-2013-results-schools.zip");
    let b = real!("ru/altai_ege_oge_2013-2015/ege-2014-results-schools.zip");
    let ds = shnor::normalize::load(&[b, a], &Config::default()).unwrap();
    for (year, n, schools) in [
        (2011, 10823, 780),
        (2012, 13900, 813),
        (2013, 12540, 805),
        (2014, 11632, 793),
    ] {
        let (got, _, s) = sums(&ds, Exam::Ege, "Русский язык", year);
        assert_eq!((got, s), (n, schools), "{year}");
    }
}
