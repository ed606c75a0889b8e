//! Unit tests of `recognize/header.rs`, kept beside it so the rules read without them.

use super::*;
use crate::read::testutil::{n, sheet, t};
use crate::recognize::Field;

#[test]
fn title_rows_above_the_header() {
    let s = sheet(vec![
        vec![t("Результаты ОГЭ-2014 по математике")],
        vec![],
        vec![t("Код ОО"), t("Наименование ОО"), t("Средний балл")],
        vec![t("1"), t("2"), t("3")],
        vec![Cell::Number(101.0), t("Школа"), Cell::Number(15.0)],
    ]);
    let h = find(&s, &Config::default(), 2).unwrap();
    assert_eq!((h.first, h.last), (2, 2));
    // Row 4 (0-based 3) holds column numbers 1, 2, 3: data starts at 0-based row 4.
    assert_eq!(h.data_start, 4);
    assert_eq!(h.cols[2].mapping, Some(Mapping::Field(Field::MeanScore)));
}

#[test]
fn two_row_header_with_count_and_percent() {
    let s = sheet(vec![
        vec![
            t("Код МОУО/ОО"),
            t("Наименование МОУО/ОО"),
            t("Кол-во участников"),
            t("отметка \"2\""),
            Cell::Empty,
            t("отметка \"3\""),
            Cell::Empty,
            t("успеваемость"),
        ],
        vec![
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            t("кол-во"),
            t("%"),
            t("кол-во"),
            t("%"),
        ],
        vec![Cell::Number(101.0), t("Школа"), Cell::Number(10.0)],
    ]);
    let h = find(&s, &Config::default(), 2).unwrap();
    assert_eq!((h.first, h.last, h.data_start), (0, 1, 2));
    let by_index = |i: usize| h.cols.iter().find(|c| c.index == i).unwrap();
    assert_eq!(by_index(3).mapping, Some(Mapping::Field(Field::N2)));
    assert_eq!(by_index(3).heading, "отметка \"2\" / кол-во");
    assert_eq!(by_index(4).mapping, Some(Mapping::Known));
    assert_eq!(by_index(5).mapping, Some(Mapping::Field(Field::N3)));
    assert_eq!(by_index(0).mapping, Some(Mapping::Field(Field::SchoolId)));
}

#[test]
fn merged_ranges_decide_how_far_a_heading_reaches() {
    // «Средний балл» spans columns 1–2 (merged); column 3 has a sub-heading of its own
    // under a blank, unmerged cell: it must not inherit «Средний балл».
    let s = Sheet {
        name: None,
        rows: vec![
            vec![t("Код ОО"), t("отметка «2»"), Cell::Empty, Cell::Empty],
            vec![Cell::Empty, t("кол-во"), t("%"), t("Средний балл")],
            vec![n(1.0), n(2.0), n(3.0), n(4.0)],
        ],
        merges: vec![(0, 1, 0, 2)],
    };
    let h = find(&s, &Config::default(), 2).unwrap();
    let by_index = |i: usize| h.cols.iter().find(|c| c.index == i).unwrap();
    assert_eq!(by_index(1).mapping, Some(Mapping::Field(Field::N2)));
    assert_eq!(by_index(2).mapping, Some(Mapping::Known));
    assert_eq!(by_index(3).heading, "Средний балл");
    assert_eq!(by_index(3).mapping, Some(Mapping::Field(Field::MeanScore)));
}

#[test]
fn data_stored_as_text_is_not_a_second_header_row() {
    // ФИС ОКО stores every value as text: row 2 is the first participant.
    let s = sheet(vec![
        vec![t("логин школы"), t("пол"), t("класс"), t("всего баллов")],
        vec![t("sch220206"), t("ж"), t("НЕТ"), t("20")],
    ]);
    let h = find(&s, &Config::default(), 2).unwrap();
    assert_eq!((h.first, h.last, h.data_start), (0, 0, 1));
    assert_eq!(h.cols[3].heading, "всего баллов");
}

#[test]
fn three_row_header_of_rcoi_ege() {
    let s = sheet(vec![
        vec![t("Результаты ЕГЭ по образовательным учреждениям")],
        vec![
            t("Код"),
            t("ОУ"),
            t("Число выпускников"),
            t("Сдавали предмет"),
            Cell::Empty,
            t("Средний балл"),
            t("Не набрали минимум"),
            Cell::Empty,
            t("Набрали не меньше среднего балла"),
        ],
        vec![
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            t("края"),
            Cell::Empty,
            t("своего района"),
        ],
        vec![
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            t("чел."),
            t("%"),
            Cell::Empty,
            t("чел."),
            t("%"),
            t("чел."),
            t("%"),
            t("чел."),
        ],
        vec![
            n(117.0),
            t("Школа"),
            n(6.0),
            n(6.0),
            n(100.0),
            n(61.0),
            n(0.0),
        ],
    ]);
    let h = find(&s, &Config::default(), 2).unwrap();
    assert_eq!((h.first, h.last, h.data_start), (1, 3, 4));
    let by_index = |i: usize| h.cols.iter().find(|c| c.index == i).unwrap();
    assert_eq!(by_index(1).mapping, Some(Mapping::Field(Field::SchoolName)));
    assert_eq!(by_index(3).mapping, Some(Mapping::Field(Field::N)));
    assert_eq!(by_index(4).mapping, Some(Mapping::Known));
    assert_eq!(by_index(6).mapping, Some(Mapping::Field(Field::NFail)));
    assert_eq!(
        by_index(8).heading,
        "Набрали не меньше среднего балла / края / чел."
    );
    assert_eq!(by_index(8).mapping, Some(Mapping::Known));
}

#[test]
fn a_section_row_under_the_header_is_data() {
    let s = sheet(vec![
        vec![t("Код ОО"), t("Наименование ОО"), t("Средний балл")],
        vec![t("Алейский район")],
        vec![n(101.0), t("Школа"), n(15.0)],
    ]);
    let h = find(&s, &Config::default(), 2).unwrap();
    assert_eq!((h.last, h.data_start), (0, 1));
}

#[test]
fn grades_under_a_merged_parent_are_sub_headings_not_column_numbers() {
    for merges in [true, false] {
        let s = crate::recognize::tests::contingent_by_grade(merges);
        let h = find(&s, &Config::default(), 2).unwrap();
        assert_eq!(
            (h.first, h.last, h.data_start),
            (0, 1, 2),
            "merges: {merges}"
        );
        let by_index = |i: usize| h.cols.iter().find(|c| c.index == i).unwrap();
        assert_eq!(by_index(0).mapping, Some(Mapping::Field(Field::SchoolId)));
        assert_eq!(by_index(1).mapping, Some(Mapping::Field(Field::SchoolName)));
        for g in 1..=11u8 {
            let col = by_index(usize::from(g) + 1);
            assert_eq!(
                col.heading,
                format!("Количество обучающихся по классам / {g}")
            );
            assert_eq!(col.mapping, Some(Mapping::Field(Field::GradeCount(g))));
        }
        assert!(
            !h.notes
                .iter()
                .any(|n| n.contains("номера столбцов, пропущена"))
        );
    }
}

#[test]
fn numbers_under_other_parents_map_to_nothing() {
    let cfg = Config::default();
    let parts = |p: &str| vec![p.to_string()];
    assert_eq!(
        numbered_part(&parts("Обучающихся, выполнивших задание"), 5, &cfg),
        None
    );
    assert_eq!(numbered_part(&parts("Средний балл"), 2021, &cfg), None);
    assert_eq!(numbered_part(&parts("Получили отметку"), 6, &cfg), None);
    assert_eq!(
        numbered_part(&parts("Получили отметку"), 4, &cfg),
        Some(Mapping::Field(Field::N4))
    );
    assert_eq!(
        numbered_part(&parts("Численность обучающихся"), 11, &cfg),
        Some(Mapping::Field(Field::GradeCount(11)))
    );
}

#[test]
fn classes_counted_by_grade_are_not_pupils() {
    let mut s = crate::recognize::tests::contingent_by_grade(true);
    s.rows[0][2] = t("Количество классов по параллелям");
    let h = find(&s, &Config::default(), 2).unwrap();
    let col = h.cols.iter().find(|c| c.index == 6).unwrap();
    assert_ne!(col.mapping, Some(Mapping::Field(Field::GradeCount(5))));
}

#[test]
fn column_numbers_under_a_one_row_header_are_still_skipped() {
    // Five headings, numbers 1…5 under every one of them: column numbering.
    let s = sheet(vec![
        vec![
            t("Код ОО"),
            t("Наименование ОО"),
            t("5 класс"),
            t("6 класс"),
            t("7 класс"),
        ],
        vec![n(1.0), n(2.0), n(3.0), n(4.0), n(5.0)],
        vec![n(101.0), t("Школа"), n(20.0), n(21.0), n(22.0)],
    ]);
    let h = find(&s, &Config::default(), 2).unwrap();
    assert_eq!((h.first, h.last, h.data_start), (0, 0, 2));
    assert!(
        h.notes
            .iter()
            .any(|n| n == "строка 2 — номера столбцов, пропущена")
    );
    // Also as text and numbered by the sheet's columns: the table starts in column C,
    // its numbers run «3», «4», … «7».
    let mut s = s;
    for row in &mut s.rows {
        row.splice(0..0, [Cell::Empty, Cell::Empty]);
    }
    s.rows[1] = (0..7)
        .map(|x| {
            if x < 2 {
                Cell::Empty
            } else {
                t(&(x + 1).to_string())
            }
        })
        .collect();
    let h = find(&s, &Config::default(), 2).unwrap();
    assert_eq!(h.data_start, 2);
    // Numbers 2…6 in columns C…G are neither from 1 nor the columns' own numbers, but they
    // run along the whole header: numbering left after its first column was deleted.
    s.rows[1] = (0..7)
        .map(|x| if x < 2 { Cell::Empty } else { n(f64::from(x)) })
        .collect();
    let h = find(&s, &Config::default(), 2).unwrap();
    assert_eq!(h.data_start, 2);
    // 1, 3, 4, 5, 6: the second column deleted (one number missing): numbering too.
    s.rows[1][2] = n(1.0);
    let h = find(&s, &Config::default(), 2).unwrap();
    assert_eq!(h.data_start, 2);
    // 2, 3, 6, 7, 8: counted from 1, three numbers are missing (1, 4, 5) — more than two
    // deleted columns: no numbering, data from row 2.
    s.rows[1] = [0.0, 0.0, 2.0, 3.0, 6.0, 7.0, 8.0]
        .iter()
        .map(|&x| if x == 0.0 { Cell::Empty } else { n(x) })
        .collect();
    let h = find(&s, &Config::default(), 2).unwrap();
    assert_eq!(h.data_start, 1);
    // Not increasing (1, 2, 2, 3, 4): no numbering.
    s.rows[1] = [0.0, 0.0, 1.0, 2.0, 2.0, 3.0, 4.0]
        .iter()
        .map(|&x| if x == 0.0 { Cell::Empty } else { n(x) })
        .collect();
    let h = find(&s, &Config::default(), 2).unwrap();
    assert_eq!(h.data_start, 1);
}

#[test]
fn numbering_that_stops_short_of_the_last_columns_is_skipped() {
    // Seven headings, numbers 1…5 under the first five: each number is its column's own
    // (A = 1 … E = 5), column by column: the row numbers the columns (the form got two
    // columns later).
    let head: Vec<Cell> = [
        "Код ОО",
        "Наименование ОО",
        "Количество участников",
        "Отметка «2»",
        "Отметка «3»",
        "Отметка «4»",
        "Отметка «5»",
    ]
    .iter()
    .map(|h| t(h))
    .collect();
    let s = sheet(vec![
        head.clone(),
        (1..=5).map(|x| n(f64::from(x))).collect(),
        vec![
            n(101.0),
            t("Школа"),
            n(20.0),
            n(1.0),
            n(5.0),
            n(9.0),
            n(5.0),
        ],
    ]);
    let h = find(&s, &Config::default(), 2).unwrap();
    assert_eq!(h.data_start, 2);
    // Numbers 2…6 under the first five columns: the same, one column deleted before them.
    let s = sheet(vec![
        head.clone(),
        (2..=6).map(|x| n(f64::from(x))).collect(),
        vec![
            n(101.0),
            t("Школа"),
            n(20.0),
            n(1.0),
            n(5.0),
            n(9.0),
            n(5.0),
        ],
    ]);
    let h = find(&s, &Config::default(), 2).unwrap();
    assert_eq!(h.data_start, 2);
    // Numbers 4…8 (three columns deleted before them?) under the first five columns are
    // too far from their columns and do not run along the whole header: the row stays
    // (it is then rejected as a row without a known school).
    let s = sheet(vec![
        head,
        (4..=8).map(|x| n(f64::from(x))).collect(),
        vec![
            n(101.0),
            t("Школа"),
            n(20.0),
            n(1.0),
            n(5.0),
            n(9.0),
            n(5.0),
        ],
    ]);
    let h = find(&s, &Config::default(), 2).unwrap();
    assert_eq!(h.data_start, 1);
}

#[test]
fn a_header_named_only_with_the_grades_under_it_is_found() {
    // «Код ОО» is the only field of row 1; with the grades 5…9 under the merged «Количество
    // обучающихся по классам» it names six (the school and five grades): the header is
    // rows 1–2, though no year column gives a second field by itself.
    let mut s = sheet(vec![
        vec![t("Код ОО"), t("Количество обучающихся по классам")],
        vec![Cell::Empty, n(5.0), n(6.0), n(7.0), n(8.0), n(9.0)],
        vec![n(101.0), n(40.0), n(40.0), n(20.0), n(15.0), n(15.0)],
    ]);
    for merges in [false, true] {
        if merges {
            s.merges = vec![(0, 0, 1, 0), (0, 1, 0, 5)];
        }
        let h = find(&s, &Config::default(), 2).unwrap();
        assert_eq!(
            (h.first, h.last, h.data_start),
            (0, 1, 2),
            "merges: {merges}"
        );
        let fields: Vec<Option<Mapping>> = h.cols.iter().map(|c| c.mapping).collect();
        assert_eq!(fields[0], Some(Mapping::Field(Field::SchoolId)));
        for g in 5..=9u8 {
            assert_eq!(
                fields[usize::from(g) - 4],
                Some(Mapping::Field(Field::GradeCount(g)))
            );
        }
    }
    // Without the numbers the row names one field only: no header.
    s.rows.remove(1);
    s.merges.clear();
    assert!(find(&s, &Config::default(), 2).is_none());
}

#[test]
fn a_numbering_row_that_misses_header_columns_is_not_column_numbers() {
    // 1, 2, 3 under the three grade columns only, the code and name columns blank: not
    // column numbering (it does not run along the whole header).
    let s = sheet(vec![
        vec![
            t("Код ОО"),
            t("Наименование ОО"),
            t("5 класс"),
            t("6 класс"),
            t("7 класс"),
        ],
        vec![Cell::Empty, Cell::Empty, n(1.0), n(2.0), n(3.0)],
    ]);
    let h = find(&s, &Config::default(), 2).unwrap();
    assert_eq!(h.data_start, 1);
}

#[test]
fn marks_under_a_merged_parent_are_mark_counts() {
    // «Получили отметку» merged over four columns, marks 2…5 under it; a second table
    // with «Отметка» and a third level «чел. | %» under each mark.
    let s = Sheet {
        name: None,
        rows: vec![
            vec![
                t("Код ОО"),
                t("Наименование ОО"),
                t("Число участников"),
                t("Получили отметку"),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
            ],
            vec![
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                n(2.0),
                n(3.0),
                n(4.0),
                n(5.0),
            ],
            vec![
                n(101.0),
                t("Школа"),
                n(20.0),
                n(1.0),
                n(5.0),
                n(9.0),
                n(5.0),
            ],
        ],
        merges: vec![(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 1, 2), (0, 3, 0, 6)],
    };
    let h = find(&s, &Config::default(), 2).unwrap();
    assert_eq!((h.first, h.last, h.data_start), (0, 1, 2));
    let by_index = |i: usize| h.cols.iter().find(|c| c.index == i).unwrap();
    assert_eq!(by_index(2).mapping, Some(Mapping::Field(Field::N)));
    for (i, f) in [
        (3, Field::N2),
        (4, Field::N3),
        (5, Field::N4),
        (6, Field::N5),
    ] {
        assert_eq!(by_index(i).mapping, Some(Mapping::Field(f)), "column {i}");
    }

    let s = Sheet {
        name: None,
        rows: vec![
            vec![
                t("Код ОО"),
                t("Кол-во участников"),
                t("Отметка"),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
            ],
            vec![
                Cell::Empty,
                Cell::Empty,
                t("2"),
                Cell::Empty,
                t("3"),
                Cell::Empty,
                t("4"),
                Cell::Empty,
                t("5"),
                Cell::Empty,
            ],
            vec![
                Cell::Empty,
                Cell::Empty,
                t("чел."),
                t("%"),
                t("чел."),
                t("%"),
                t("чел."),
                t("%"),
                t("чел."),
                t("%"),
            ],
            vec![
                n(101.0),
                n(20.0),
                n(1.0),
                n(5.0),
                n(5.0),
                n(25.0),
                n(9.0),
                n(45.0),
                n(5.0),
                n(25.0),
            ],
        ],
        merges: vec![
            (0, 0, 2, 0),
            (0, 1, 2, 1),
            (0, 2, 0, 9),
            (1, 2, 1, 3),
            (1, 4, 1, 5),
            (1, 6, 1, 7),
            (1, 8, 1, 9),
        ],
    };
    let h = find(&s, &Config::default(), 2).unwrap();
    assert_eq!((h.first, h.last, h.data_start), (0, 2, 3));
    let by_index = |i: usize| h.cols.iter().find(|c| c.index == i).unwrap();
    assert_eq!(by_index(4).heading, "Отметка / 3 / чел.");
    for (i, f) in [
        (2, Field::N2),
        (4, Field::N3),
        (6, Field::N4),
        (8, Field::N5),
    ] {
        assert_eq!(by_index(i).mapping, Some(Mapping::Field(f)), "column {i}");
    }
    assert_eq!(by_index(3).mapping, Some(Mapping::Known));
}

#[test]
fn no_header_when_fewer_than_two_fields() {
    let s = sheet(vec![vec![t("Что-то"), t("Средний балл")]]);
    assert!(find(&s, &Config::default(), 2).is_none());
}

#[test]
fn column_numbers_under_a_subject_block_header() {
    // A wide table: subjects in row 1 over blocks of sub-headings in row 2, numbers 1…6
    // in row 3 (each its column's own): the numbering is skipped by the reshaping too.
    let s = sheet(vec![
        vec![
            t("Код ОО"),
            t("Математика"),
            Cell::Empty,
            t("Русский язык"),
            Cell::Empty,
        ],
        vec![
            Cell::Empty,
            t("Количество участников"),
            t("Средний балл"),
            t("Количество участников"),
            t("Средний балл"),
        ],
        (1..=5).map(|x| n(f64::from(x))).collect(),
        vec![n(101.0), n(20.0), n(15.5), n(18.0), n(30.1)],
    ]);
    assert!(column_numbers_under(&s, 0, 1, &Config::default()));
    // A data row right under the sub-headings is not numbering.
    let mut s = s;
    s.rows.remove(2);
    assert!(!column_numbers_under(&s, 0, 1, &Config::default()));
}
