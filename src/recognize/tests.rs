//! Unit tests of `recognize/mod.rs`, kept beside it so the rules read without them.

use super::*;
use crate::read::Cell;
use crate::read::testutil::{n, sheet, t};

#[test]
fn vpr_participants_2021() {
    let mut header: Vec<Cell> = [
        "логин школы",
        "регион",
        "номер обучающегося",
        "код обучающегося",
        "отметка за предыдущую четверть/триместр",
        "пол",
        "класс",
        "вариант",
        "всего баллов",
    ]
    .iter()
    .map(|s| t(s))
    .collect();
    header.extend((1..=12).map(|i| t(&format!("балл за {i}"))));
    let sheet = sheet(vec![header, vec![t("sch220001"), t("22")]]);
    let table = recognize(
        &sheet,
        "Проведение работы по математике, 4 класс. ВПР 2021.xlsx",
        &Config::default(),
    )
    .unwrap();
    assert_eq!(table.kind, InputKind::Participants);
    assert_eq!(table.column(Field::PrimaryScore).unwrap().index, 8);
    assert_eq!(table.column(Field::SchoolId).unwrap().index, 0);
    assert_eq!(table.meta.year, Some(2021));
    assert_eq!(table.meta.exam, Some(Exam::Vpr));
    assert_eq!(table.meta.grade, Some(4));
    assert_eq!(table.meta.subject.as_deref(), Some("Математика"));
    assert_eq!(table.data_start, 1);
}

#[test]
fn contingent_with_grades_under_a_merged_parent() {
    // Issue 9, bad input «a grade row under a merged parent»: not a registry, not column
    // numbers.
    let sheet = contingent_by_grade(true);
    let table = recognize(&sheet, "контингент.xlsx", &Config::default()).unwrap();
    assert_eq!(table.kind, InputKind::Contingent);
    assert_eq!((table.header_rows, table.data_start), ((0, 1), 2));
    for g in 1..=11u8 {
        let col = table.column(Field::GradeCount(g)).unwrap();
        assert_eq!(col.index, usize::from(g) + 1);
        let value = crate::read::parse_count(&sheet.rows[table.data_start][col.index]);
        // The builder writes 10·g pupils in grade g.
        assert_eq!(value, Ok(Some(10 * u32::from(g))), "grade {g}");
    }
}

/// A contingent header as exported: «Код ОО», «Наименование ОО» merged down over two
/// rows, «Количество обучающихся по классам» merged across the 11 grade columns, grades
/// «1»…«11» as numbers in the second row.
pub(super) fn contingent_by_grade(merges: bool) -> Sheet {
    let mut top = vec![
        t("Код ОО"),
        t("Наименование ОО"),
        t("Количество обучающихся по классам"),
    ];
    top.extend((0..10).map(|_| Cell::Empty));
    let mut grades = vec![Cell::Empty, Cell::Empty];
    grades.extend((1..=11).map(|g| n(f64::from(g))));
    // Pupils of grade g in school 101: 10·g (10, 20, …, 110).
    let mut data = vec![n(101.0), t("Школа № 1")];
    data.extend((1..=11).map(|g| n(f64::from(10 * g))));
    Sheet {
        name: Some("Контингент".into()),
        rows: vec![top, grades, data],
        merges: if merges {
            vec![(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 12)]
        } else {
            Vec::new()
        },
    }
}

#[test]
fn unknown_sheet_explains_itself() {
    let sheet = Sheet {
        name: None,
        merges: Vec::new(),
        rows: vec![vec![t("Фамилия"), t("Любимый цвет")], vec![t("a"), t("b")]],
    };
    let e = recognize(&sheet, "цвета.csv", &Config::default()).unwrap_err();
    assert!(
        e.message.contains("«Фамилия» | «Любимый цвет»"),
        "{}",
        e.message
    );
    assert!(
        e.message.contains("pattern = \"цвета.csv\""),
        "{}",
        e.message
    );
    assert!(e.message.contains("[columns]"));
}

#[test]
fn unknown_sheet_proposes_a_code_column_only_when_its_values_fit() {
    // «№» runs 1, 2, 3 (row numbers), «Шифр» holds distinct codes: only «Шифр» is proposed.
    let sheet = Sheet {
        name: None,
        merges: Vec::new(),
        rows: vec![
            vec![t("№"), t("Шифр"), t("Любимый цвет")],
            vec![n(1.0), t("A-17"), t("синий")],
            vec![n(2.0), t("B-22"), t("красный")],
            vec![n(3.0), t("C-31"), t("зелёный")],
        ],
    };
    let e = recognize(&sheet, "цвета.csv", &Config::default()).unwrap_err();
    assert!(
        e.message.contains("\"Шифр\" = \"school_id\""),
        "{}",
        e.message
    );
    assert!(!e.message.contains("\"№\" = "), "{}", e.message);
    // Without «Шифр» nothing fits: a commented placeholder, no mapping of «№».
    let mut sheet = sheet;
    for row in &mut sheet.rows {
        row.remove(1);
    }
    let e = recognize(&sheet, "цвета.csv", &Config::default()).unwrap_err();
    assert!(!e.message.contains("\"№\" = "), "{}", e.message);
    assert!(
        e.message.contains("# \"<заголовок столбца с кодом ОО>\""),
        "{}",
        e.message
    );
}

#[test]
fn global_id_keys_a_directory_but_not_a_results_file() {
    let dir = Sheet {
        name: None,
        merges: Vec::new(),
        rows: vec![
            vec![
                t("ROWNUM"),
                t("name"),
                t("okrug"),
                t("telephone"),
                t("global_id"),
            ],
            vec![
                t("1"),
                t("Школа № 1"),
                t("Южный административный округ"),
                t("1"),
                t("77"),
            ],
        ],
    };
    let table = recognize(&dir, "data.csv", &Config::default()).unwrap();
    assert_eq!(table.kind, InputKind::Registry);
    assert_eq!(table.column(Field::SchoolId).map(|c| c.index), Some(4));
    let ege = Sheet {
        name: None,
        merges: Vec::new(),
        rows: vec![
            vec![
                t("global_id"),
                t("EDU_NAME"),
                t("OGRN"),
                t("PASSED_NUMBER_FULL"),
            ],
            vec![t("5"), t("Школа № 1"), t("1027700000000"), t("10")],
        ],
    };
    let table = recognize(&ege, "data.csv", &Config::default()).unwrap();
    assert_eq!(table.column(Field::SchoolId).map(|c| c.index), Some(2));
}

#[test]
fn config_hint_sets_kind_and_year() {
    let mut cfg = Config::default();
    cfg.files.push(crate::config::FileHint {
        pattern: "*свод*".into(),
        kind: Some(InputKind::Aggregates),
        year: Some(2024),
        exam: Some(Exam::Oge),
        subject: Some("математика".into()),
        grade: None,
        ignore: false,
    });
    let sheet = Sheet {
        name: Some("2023".into()),
        merges: Vec::new(),
        rows: vec![vec![t("Код ОО"), t("Средний балл")]],
    };
    let table = recognize(&sheet, "свод.xlsx", &cfg).unwrap();
    assert_eq!(table.kind, InputKind::Aggregates);
    assert_eq!(table.meta.year, Some(2024));
    assert_eq!(table.meta.subject.as_deref(), Some("Математика"));
    assert_eq!(table.warnings.len(), 1, "{:?}", table.warnings);
}

fn results(header: &[&str], rows: &[&[&str]]) -> Table {
    let mut all = vec![header.iter().map(|h| t(h)).collect::<Vec<_>>()];
    all.extend(rows.iter().map(|r| r.iter().map(|v| t(v)).collect()));
    recognize(&sheet(all), "ОГЭ 2025 математика.csv", &Config::default()).unwrap()
}

#[test]
fn a_participant_column_next_to_a_sub_group_column() {
    let table = results(
        &[
            "Код ОО",
            "из них получили «2»",
            "Сдавали (чел.)",
            "Ср. балл",
        ],
        &[&["101", "3", "40", "14,5"], &["102", "0", "25", "16"]],
    );
    assert_eq!(table.kind, InputKind::Aggregates);
    assert_eq!(table.column(Field::N).unwrap().index, 2);
    assert_eq!(table.column(Field::N2).unwrap().index, 1);
    assert_eq!(table.column(Field::MeanScore).unwrap().index, 3);
}

#[test]
fn two_participant_columns_are_decided_by_the_values_not_the_order() {
    for (header, whole) in [
        (["Код ОО", "Участники (чел.)", "Количество участников"], 2),
        (["Код ОО", "Количество участников", "Участники (чел.)"], 1),
    ] {
        // The whole is column `whole`; the other is a part of it in every row.
        let rows: Vec<Vec<&str>> = [("101", "40", "38"), ("102", "25", "25")]
            .iter()
            .map(|&(id, all, part)| {
                if whole == 2 {
                    vec![id, part, all]
                } else {
                    vec![id, all, part]
                }
            })
            .collect();
        let rows: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
        let table = results(&header, &rows);
        assert_eq!(table.column(Field::N).unwrap().index, whole, "{header:?}");
        assert!(
            table.notes.iter().any(|n| n.contains("по значениям взят")),
            "{:?}",
            table.notes
        );
    }
}

#[test]
fn a_heading_fitting_two_fields_is_decided_by_the_values() {
    let marks = results(
        &["Код ОО", "Количество участников", "Средний результат"],
        &[&["101", "40", "3,8"], &["102", "25", "4,1"]],
    );
    assert_eq!(marks.column(Field::MeanMark).unwrap().index, 2);
    assert!(marks.column(Field::MeanScore).is_none());
    assert!(
        marks
            .notes
            .iter()
            .any(|n| n.contains("по значениям столбца")),
        "{:?}",
        marks.notes
    );
    let scores = results(
        &["Код ОО", "Количество участников", "Средний результат"],
        &[&["101", "40", "58,5"], &["102", "25", "61"]],
    );
    assert_eq!(scores.column(Field::MeanScore).unwrap().index, 2);
}
