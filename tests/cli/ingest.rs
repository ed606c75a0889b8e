//! `shnor validate` on generated inputs: one test per kind of bad input, and a happy path.
//! Every number asserted is counted from the rows written here.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// Writes an xlsx file: cells that parse as numbers are written as numbers.
pub(super) fn xlsx(path: &Path, sheets: &[(&str, Vec<Vec<&str>>)]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if v.is_empty() {
                    continue;
                }
                let (r, c) = (r as u32, c as u16);
                match v.parse::<f64>() {
                    Ok(x) => ws.write_number(r, c, x).map(|_| ()).unwrap(),
                    Err(_) => ws.write_string(r, c, *v).map(|_| ()).unwrap(),
                }
            }
        }
    }
    wb.save(path).unwrap();
}

fn registry(dir: &Path, ids: &[&str]) -> PathBuf {
    let p = dir.join("реестр.xlsx");
    let mut rows = vec![vec!["Код ОО", "Наименование ОО", "Муниципалитет"]];
    for id in ids {
        rows.push(vec![id, "Школа", "Район"]);
    }
    xlsx(&p, &[("Реестр", rows)]);
    p
}

/// The header of an aggregates table: school code, participants, counts of each mark.
pub(super) const OGE_HEADER: [&str; 6] = [
    "Код ОО",
    "Кол-во участников",
    "отметка \"2\"",
    "отметка \"3\"",
    "отметка \"4\"",
    "отметка \"5\"",
];

/// ОГЭ-2023 mathematics aggregates: rows of (code, n, n2, n3, n4, n5).
fn oge(dir: &Path, name: &str, rows: &[[&str; 6]]) -> PathBuf {
    let p = dir.join(name);
    let mut all = vec![
        vec!["Результаты ОГЭ-2023 по математике"],
        OGE_HEADER.to_vec(),
    ];
    for r in rows {
        all.push(r.to_vec());
    }
    xlsx(&p, &[("Лист1", all)]);
    p
}

pub(super) struct Run {
    pub(super) code: i32,
    pub(super) out: String,
}

pub(super) fn validate(dir: &Path) -> Run {
    let o = Command::cargo_bin("shnor")
        .unwrap()
        .arg("validate")
        .arg(dir)
        .output()
        .unwrap();
    Run {
        code: o.status.code().unwrap_or(-1),
        out: format!(
            "{}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
    }
}

pub(super) fn assert_has(r: &Run, parts: &[&str]) {
    for p in parts {
        assert!(r.out.contains(p), "нет «{p}» в выводе:\n{}", r.out);
    }
}

#[test]
fn unknown_file_kind() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("цвета.csv"), "Фамилия;Цвет\nИванов;синий\n").unwrap();
    let r = validate(d.path());
    assert_eq!(r.code, 3, "{}", r.out);
    assert_has(
        &r,
        &["цвета.csv", "не удалось понять", "[[files]]", "«Фамилия»"],
    );
}

/// No code column: the school is named by its name (issue 3, item 4) and the note says so;
/// with a registry of codes only the name is not found and the row is listed.
#[test]
fn no_code_column_keys_schools_by_name() {
    let d = tempfile::tempdir().unwrap();
    xlsx(
        &d.path().join("огэ.xlsx"),
        &[(
            "Лист1",
            vec![
                vec!["ОГЭ 2023 математика"],
                vec!["Наименование ОО", "Кол-во участников", "Средний балл"],
                vec!["Школа №1", "10", "15.5"],
            ],
        )],
    );
    let r = validate(d.path());
    assert_eq!(r.code, 0, "{}", r.out);
    assert_has(
        &r,
        &["огэ.xlsx", "лист «Лист1»", "школа определяется по названию"],
    );
    registry(d.path(), &["101"]);
    let r = validate(d.path());
    assert_eq!(r.code, 3, "{}", r.out);
    assert_has(&r, &["«Школа №1» не найдена в реестре по названию"]);
}

/// A required column missing: a social passport without «Всего обучающихся» cannot give
/// shares, so the table is rejected with a message naming the file, the sheet and the column.
#[test]
fn required_column_missing() {
    let d = tempfile::tempdir().unwrap();
    xlsx(
        &d.path().join("паспорт.xlsx"),
        &[(
            "2025",
            vec![
                vec!["Социальный паспорт 2025"],
                vec!["Код ОО", "Из малообеспеченных семей", "Из неполных семей"],
                vec!["101", "12", "20"],
            ],
        )],
    );
    let r = validate(d.path());
    assert_eq!(r.code, 3, "{}", r.out);
    assert_has(&r, &["паспорт.xlsx", "лист «2025»", "«Всего обучающихся»"]);
}

#[test]
fn school_not_in_registry() {
    let d = tempfile::tempdir().unwrap();
    registry(d.path(), &["101", "102"]);
    oge(
        d.path(),
        "огэ.xlsx",
        &[
            ["101", "10", "1", "4", "3", "2"],
            ["103", "10", "1", "4", "3", "2"],
        ],
    );
    let r = validate(d.path());
    assert_eq!(r.code, 3, "{}", r.out);
    // Header at Excel row 2, school 103 on row 4.
    assert_has(
        &r,
        &[
            "огэ.xlsx, лист «Лист1», строка 4, столбец «Код ОО», значение «103»",
            "не найдена в реестре",
            "строк принято: 1; отклонено: 1; школ: 1",
        ],
    );
}

#[test]
fn no_registry_warns_and_continues() {
    let d = tempfile::tempdir().unwrap();
    oge(
        d.path(),
        "огэ.xlsx",
        &[
            ["101", "10", "1", "4", "3", "2"],
            ["102", "5", "0", "1", "2", "2"],
        ],
    );
    let r = validate(d.path());
    assert_eq!(r.code, 0, "{}", r.out);
    assert_has(
        &r,
        &[
            "реестр школ не найден",
            "ОГЭ Математика",
            "2023 год",
            "строк принято: 2; отклонено: 0; школ: 2",
        ],
    );
}

#[test]
fn a_repeated_school_id_is_rejected_one_id_of_two_schools_is_fatal() {
    // The same school twice (101 and 0101, both «Школа»): the repeat is left out (exit 3).
    let d = tempfile::tempdir().unwrap();
    registry(d.path(), &["101", "102", "0101"]);
    let r = validate(d.path());
    assert_eq!(r.code, 3, "{}", r.out);
    // 101 on Excel row 2, 0101 on row 4.
    assert_has(
        &r,
        &[
            "реестр.xlsx, лист «Реестр», строка 4",
            "уже есть в реестре (",
            "реестр.xlsx, лист «Реестр», строка 2",
        ],
    );
    // One code, two different names: nothing can be trusted, the run stops naming both.
    let d = tempfile::tempdir().unwrap();
    let rows = vec![
        vec!["Код ОО", "Наименование ОО", "Муниципалитет"],
        vec!["101", "Школа № 1", "Район"],
        vec!["102", "Школа № 2", "Район"],
        vec!["0101", "Гимназия", "Район"],
    ];
    xlsx(&d.path().join("реестр.xlsx"), &[("Реестр", rows)]);
    let r = validate(d.path());
    assert_eq!(r.code, 1, "{}", r.out);
    assert_has(
        &r,
        &[
            "означает две разные школы",
            "реестр.xlsx, лист «Реестр», строка 2",
            "реестр.xlsx, лист «Реестр», строка 4",
        ],
    );
}

#[test]
fn negative_count() {
    let d = tempfile::tempdir().unwrap();
    oge(d.path(), "огэ.xlsx", &[["101", "10", "-1", "5", "4", "2"]]);
    let r = validate(d.path());
    assert_eq!(r.code, 3, "{}", r.out);
    assert_has(
        &r,
        &[
            "строка 3, столбец «отметка \"2\"», значение «-1»",
            "отрицательное количество",
        ],
    );
}

#[test]
fn mark_counts_do_not_add_up() {
    let d = tempfile::tempdir().unwrap();
    oge(d.path(), "огэ.xlsx", &[["101", "10", "1", "4", "3", "3"]]);
    let r = validate(d.path());
    assert_eq!(r.code, 3, "{}", r.out);
    // 1 + 4 + 3 + 3 = 11 ≠ 10
    assert_has(
        &r,
        &[
            // Which of the columns is wrong the row does not tell: both are named.
            "строка 3: сумма отметок",
            "= 11 (столбцы «",
            "не равна числу участников 10 (столбец «Кол-во участников»)",
        ],
    );
}

#[test]
fn passport_subset_above_total() {
    let d = tempfile::tempdir().unwrap();
    xlsx(
        &d.path().join("паспорт 2025.xlsx"),
        &[(
            "Лист1",
            vec![
                vec!["Код ОО", "Всего обучающихся", "Из многодетных семей"],
                vec!["101", "200", "30"],
                vec!["102", "100", "120"],
            ],
        )],
    );
    let r = validate(d.path());
    assert_eq!(r.code, 3, "{}", r.out);
    assert_has(
        &r,
        &[
            "строка 3, столбец «Из многодетных семей», значение «120»",
            "подмножество больше общего числа",
            "строк принято: 1; отклонено: 1",
        ],
    );
}

/// ВПР 2021 math grade 4 participants (default boundaries: max 20).
fn vpr(dir: &Path, rows: &[[&str; 4]]) {
    let mut all = vec![vec![
        "логин школы",
        "код обучающегося",
        "всего баллов",
        "Отметка",
    ]];
    for r in rows {
        all.push(r.to_vec());
    }
    xlsx(
        &dir.join("Проведение работы по математике, 4 класс. ВПР 2021.xlsx"),
        &[("Лист1", all)],
    );
}

#[test]
fn mark_outside_two_to_five() {
    let d = tempfile::tempdir().unwrap();
    vpr(
        d.path(),
        &[["sch1", "1", "12", "4"], ["sch1", "2", "12", "6"]],
    );
    let r = validate(d.path());
    assert_eq!(r.code, 3, "{}", r.out);
    assert_has(
        &r,
        &["строка 3, столбец «Отметка», значение «6»", "2, 3, 4 или 5"],
    );
}

#[test]
fn score_above_maximum() {
    let d = tempfile::tempdir().unwrap();
    vpr(
        d.path(),
        &[["sch1", "1", "25", ""], ["sch1", "2", "12", ""]],
    );
    let r = validate(d.path());
    assert_eq!(r.code, 3, "{}", r.out);
    assert_has(
        &r,
        &[
            "строка 2, столбец «всего баллов», значение «25»",
            "выше максимального (20)",
        ],
    );
}

#[test]
fn empty_file() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("пусто.csv"), "").unwrap();
    let r = validate(d.path());
    assert_eq!(r.code, 3, "{}", r.out);
    assert_has(&r, &["пусто.csv", "пуст"]);
}

#[test]
fn not_a_spreadsheet() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("отчёт.xlsx"), "это не таблица").unwrap();
    std::fs::write(d.path().join("письмо.docx"), "x").unwrap();
    let r = validate(d.path());
    assert_eq!(r.code, 3, "{}", r.out);
    assert_has(
        &r,
        &[
            "ОТКЛОНЕНО: ",
            "отчёт.xlsx: файл не учтён",
            "письмо.docx: пропущен",
        ],
    );
}

/// An `.xml` file is read when its content is an Excel 2003 table (SpreadsheetML), not by
/// its extension; other XML beside the exports is listed as skipped, not as an error.
#[test]
fn xml_files_by_content() {
    let d = tempfile::tempdir().unwrap();
    registry(d.path(), &["101"]);
    let cell = |v: &str| {
        let ty = if v.parse::<f64>().is_ok() {
            "Number"
        } else {
            "String"
        };
        format!("<Cell><Data ss:Type=\"{ty}\">{v}</Data></Cell>")
    };
    let row = |vs: &[&str]| {
        format!(
            "<Row>{}</Row>",
            vs.iter().map(|v| cell(v)).collect::<String>()
        )
    };
    let xml = format!(
        "<?xml version=\"1.0\"?>\n<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\" \
         xmlns:ss=\"urn:schemas-microsoft-com:office:spreadsheet\"><Worksheet ss:Name=\"Лист1\">\
         <Table>{}{}{}</Table></Worksheet></Workbook>",
        row(&["Результаты ОГЭ-2023 по математике"]),
        row(&[
            "Код ОО",
            "Кол-во участников",
            "отметка 2",
            "отметка 3",
            "отметка 4",
            "отметка 5"
        ]),
        // 10 = 1 + 4 + 3 + 2
        row(&["101", "10", "1", "4", "3", "2"]),
    );
    std::fs::write(d.path().join("огэ.xml"), xml).unwrap();
    std::fs::write(
        d.path().join("настройки.xml"),
        "<?xml version=\"1.0\"?><settings><school>101</school></settings>",
    )
    .unwrap();
    let r = validate(d.path());
    assert_eq!(r.code, 0, "{}", r.out);
    assert_has(
        &r,
        &[
            "настройки.xml: пропущен: это XML-файл, но не таблица Excel 2003",
            "огэ.xml\n  лист «Лист1»; результаты по школам; ОГЭ Математика; 2023 год; строк \
             принято: 1; отклонено: 0; школ: 1",
        ],
    );
    assert!(!r.out.contains("огэ.xml: пропущен"), "{}", r.out);
    assert!(!r.out.contains("ОТКЛОНЕНО"), "{}", r.out);
}

#[test]
fn two_files_for_one_procedure_and_year() {
    let d = tempfile::tempdir().unwrap();
    // Not a byte-for-byte copy (that is said otherwise, see coverage.rs): other marks.
    oge(d.path(), "огэ_1.xlsx", &[["101", "10", "1", "4", "3", "2"]]);
    oge(d.path(), "огэ_2.xlsx", &[["101", "10", "1", "3", "4", "2"]]);
    let r = validate(d.path());
    // The second file is left out whole and listed (issue 9, item 6): exit 3, not a stop.
    assert_eq!(r.code, 3, "{}", r.out);
    assert_has(
        &r,
        &[
            "огэ_1.xlsx",
            "огэ_2.xlsx",
            "учтён первый файл",
            "ignore = true",
        ],
    );
}

#[test]
fn happy_path_counts_from_the_input() {
    let d = tempfile::tempdir().unwrap();
    registry(d.path(), &["220001", "220002", "220003"]);
    // Participants in a cp1251 csv, keyed by ФИС ОКО logins: 3 schools, 6 rows, of which
    // one absent («отсутствовал») → 5 accepted.
    let csv = "логин школы;вариант;всего баллов;балл за 1\n\
               sch220001;1;12;1\n\
               sch220001;2;5;0\n\
               sch220002;1;18;1\n\
               sch220002;отсутствовал;;X\n\
               sch220003;2;7;1\n\
               sch220003;1;9;1\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(csv);
    std::fs::write(
        d.path()
            .join("Проведение работы по математике, 4 класс. ВПР 2021.csv"),
        bytes,
    )
    .unwrap();
    let r = validate(d.path());
    assert_eq!(r.code, 0, "{}", r.out);
    assert_has(
        &r,
        &[
            "результаты участников; ВПР Математика 4 кл.; 2021 год; строк принято: 5; отклонено: 0; школ: 3",
            "реестр школ; строк принято: 3",
        ],
    );
}

/// The real Altai ВПР 2021 file, when the shared data is there.
#[test]
fn real_altai_vpr_2021_math4() {
    let Some(path) = crate::util::realdata(
        "ru/altai_vpr_2020-2022/2021/Проведение работы по математике, 4 класс. ВПР 2021.xlsx",
    ) else {
        return;
    };
    let o = Command::cargo_bin("shnor")
        .unwrap()
        .arg("validate")
        .arg(path)
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    // Counted from the file itself (a plain XML read of sheet1, independent of shnor):
    // 26 666 participant rows; 1 733 absent («отсутствовал» or no total score);
    // 24 933 present, of which 16 have «всего баллов» above the 2021 maximum of 20 →
    // 24 917 accepted, 16 rejected; 631 of the file's 635 logins have a participant left.
    assert!(
        out.contains(
            "результаты участников; ВПР Математика 4 кл.; 2021 год; строк принято: 24917; \
             отклонено: 16; школ: 631"
        ),
        "{out}"
    );
    assert_eq!(o.status.code(), Some(3));
}

#[test]
fn contingent_repeated_school_is_rejected_once() {
    let d = tempfile::tempdir().unwrap();
    xlsx(
        &d.path().join("контингент 2024-2025.xlsx"),
        &[(
            "Лист1",
            vec![
                vec!["Код ОО", "9 класс", "10 класс"],
                vec!["101", "25", "20"],
                vec!["102", "30", ""],
                vec!["101", "26", "21"],
            ],
        )],
    );
    let r = validate(d.path());
    assert_eq!(r.code, 3, "{}", r.out);
    // Rows 2 and 3 accepted (2 schools), row 4 repeats school 101: one row rejected,
    // even though it carries two grades.
    assert_has(
        &r,
        &[
            "контингент по классам; 2025 год; строк принято: 2; отклонено: 1; школ: 2",
            "строка 4, столбец «Код ОО», значение «101»: повтор",
        ],
    );
}

/// The same contingent twice in one folder (saved again under another name, with CRLF line
/// ends: not a byte-for-byte copy, which is not read again): the second file's 1,002 rows
/// all repeat the first's; 1,000 are listed one by one, the last two summed up in
/// one message, and the count of rejected rows stays exact.
#[test]
fn a_contingent_given_twice_lists_a_thousand_repeats_and_sums_up_the_rest() {
    let d = tempfile::tempdir().unwrap();
    let mut csv = String::from("Код ОО;9 класс\n");
    for i in 0..1002 {
        csv.push_str(&format!("{};25\n", 100_000 + i));
    }
    std::fs::write(d.path().join("контингент 2024-2025.csv"), &csv).unwrap();
    let crlf = csv.replace('\n', "\r\n");
    std::fs::write(d.path().join("контингент 2024-2025 (копия).csv"), crlf).unwrap();
    let ds = shnor::normalize::load(&[d.path().to_path_buf()], &shnor::config::Config::default())
        .unwrap();
    assert_eq!(ds.contingent.len(), 1002);
    assert_eq!(ds.rejected_rows(), 1002);
    let repeats: Vec<_> = ds
        .issues
        .iter()
        .filter(|i| i.message.starts_with("повтор"))
        .collect();
    // Data rows are 2..=1003: rows 2..=1001 listed, 1002 and 1003 summed up.
    assert_eq!(repeats.len(), 1001);
    assert_eq!(repeats[999].origin.row, 1001);
    let sum = &repeats[1000].message;
    assert!(
        sum.starts_with("повторов, не перечисленных по отдельности: 2 (строки 1002–1003 листа"),
        "{sum}"
    );
    assert!(
        sum.contains("строка 1002, значение «101000»: повтор"),
        "{sum}"
    );
}

/// РЦОИ ОГЭ-2014 by school (Altai): after dropping municipality subtotals, the schools'
/// participants must add up to the region total row the file itself gives.
#[test]
fn real_altai_oge_2014_schools_add_up_to_the_region_total() {
    use shnor::model::Exam;
    use shnor::read::Cell;
    let Some(path) =
        crate::util::realdata("ru/altai_ege_oge_2013-2015/oge-2014-results-schools.zip")
    else {
        return;
    };
    let ds = shnor::normalize::load(
        std::slice::from_ref(&path),
        &shnor::config::Config::default(),
    )
    .unwrap();
    for (code, subject) in [("-01--", "Русский язык"), ("-02--", "Математика")]
    {
        let books = shnor::read::read_all(&path);
        let wb = books
            .iter()
            .flatten()
            .find(|w| w.path.display().to_string().contains(code))
            .unwrap();
        let sheet = &wb.sheets[0];
        // The region total: the first row with a name and a count but no code.
        let total = sheet
            .rows
            .iter()
            .find_map(|r| {
                let code_empty = r.first().is_none_or(Cell::is_empty);
                let name = r.get(1).map(Cell::text).unwrap_or_default();
                let n = r.get(2).map(Cell::text).unwrap_or_default();
                (code_empty && !name.trim().is_empty())
                    .then(|| n.trim().parse::<u32>().ok())
                    .flatten()
            })
            .unwrap();
        let sum: u32 = ds
            .results
            .iter()
            .filter(|r| r.procedure.exam == Exam::Oge && r.procedure.subject == subject)
            .map(|r| r.n)
            .sum();
        assert_eq!(sum, total, "{subject}");
    }
}

#[test]
fn results_found_through_aliases_padding_and_logins() {
    let d = tempfile::tempdir().unwrap();
    xlsx(
        &d.path().join("реестр.xlsx"),
        &[(
            "Реестр",
            vec![
                vec!["Код ОО", "Наименование ОО", "Другие коды ОО"],
                vec!["220001", "Школа 1", "0555; 12-34"],
                vec!["000378", "Школа 2", ""],
            ],
        )],
    );
    // 555 is an alias of 220001 (written 0555), 378 is 000378 without zeros, 12-34 an alias.
    oge(
        d.path(),
        "огэ.xlsx",
        &[
            ["555", "10", "1", "4", "3", "2"],
            ["378", "5", "0", "1", "2", "2"],
        ],
    );
    let r = validate(d.path());
    assert_eq!(r.code, 0, "{}", r.out);
    assert_has(&r, &["строк принято: 2; отклонено: 0; школ: 2"]);
}

#[test]
fn quiet_prints_only_problems() {
    let d = tempfile::tempdir().unwrap();
    oge(d.path(), "огэ.xlsx", &[["101", "10", "-1", "5", "4", "2"]]);
    let o = Command::cargo_bin("shnor")
        .unwrap()
        .args(["validate", "--quiet"])
        .arg(d.path())
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(3));
    assert!(out.contains("ОТКЛОНЕНО: "), "{out}");
    assert!(!out.contains("Итого"), "{out}");
    assert!(!out.contains("строк принято"), "{out}");
}

#[test]
fn a_sheet_with_codes_from_another_system_gives_one_issue() {
    let d = tempfile::tempdir().unwrap();
    registry(d.path(), &["220001"]);
    let codes: Vec<String> = (101..=121).map(|c| c.to_string()).collect();
    let rows: Vec<[&str; 6]> = codes
        .iter()
        .map(|c| [c.as_str(), "10", "1", "4", "3", "2"])
        .collect();
    oge(d.path(), "огэ.xlsx", &rows);
    let r = validate(d.path());
    assert_eq!(r.code, 3, "{}", r.out);
    // 121 − 101 + 1 = 21 codes, none in the registry: one issue, all 21 rows counted («из 21
    // кода»: the genitive agrees with 21).
    assert_has(
        &r,
        &[
            "ни один из 21 кода школ этого листа не найден в реестре",
            "строк не учтено: 21",
            "строк принято: 0; отклонено: 21",
        ],
    );
    assert!(!r.out.contains("школа с кодом «101»"), "{}", r.out);
}

/// `SHNOR_XLSX_READER=calamine` sends every xlsx to calamine instead of the scanner: both
/// readers must show the same sheets. Compared through `inspect`, which prints every sheet's
/// header, columns and row kinds.
#[test]
fn calamine_forced_reads_the_same() {
    let d = tempfile::tempdir().unwrap();
    let own = oge(
        d.path(),
        "огэ.xlsx",
        &[
            ["101", "10", "1", "4", "3", "2"],
            ["102", "5", "0", "1", "2", "2"],
        ],
    );
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo");
    let files = [
        own,
        demo.join("Проведение работы по математике, 5 класс. ВПР 2025.xlsx"),
        demo.join("ЕГЭ 2025.xlsx"),
        demo.join("реестр.xlsx"),
    ];
    let inspect = |reader: Option<&str>| {
        let mut c = Command::cargo_bin("shnor").unwrap();
        c.arg("inspect").args(&files);
        match reader {
            Some(r) => c.env("SHNOR_XLSX_READER", r),
            None => c.env_remove("SHNOR_XLSX_READER"),
        };
        let o = c.output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{o:?}");
        String::from_utf8(o.stdout).unwrap()
    };
    let scanned = inspect(None);
    // Read from the files: the headers written above and in the demo's ВПР export.
    assert!(scanned.contains("B «кол-во участников»"), "{scanned}");
    assert!(scanned.contains("A «логин школы»"), "{scanned}");
    assert_eq!(scanned, inspect(Some("calamine")));
}
