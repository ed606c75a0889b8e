//! Unit tests of `recognize/rows.rs`, kept beside it so the rules read without them.

use super::*;
use crate::read::testutil::{n, t};
use crate::recognize::Column;
use crate::recognize::Meta;

fn table(cols: &[(usize, Field)]) -> Table {
    Table {
        kind: crate::model::InputKind::Aggregates,
        header_rows: (0, 0),
        data_start: 1,
        columns: cols
            .iter()
            .map(|(i, f)| Column {
                index: *i,
                heading: f.heading().to_string(),
                field: *f,
            })
            .collect(),
        unmapped: Vec::new(),
        meta: Meta::default(),
        notes: Vec::new(),
        warnings: Vec::new(),
    }
}

#[test]
fn code_hierarchy_totals_and_notes() {
    let sheet = Sheet {
        name: None,
        merges: Vec::new(),
        rows: vec![
            vec![t("Код"), t("Наименование"), t("Участников")],
            vec![t(""), t("Алтайский край"), n(30.0)],
            vec![n(1.0), t("Район А"), n(12.0)],
            vec![n(101.0), t("Школа 1"), n(5.0)],
            vec![n(102.0), t("Школа 2"), n(7.0)],
            vec![n(2.0), t("Район Б"), n(18.0)],
            vec![n(201.0), t("Школа 3"), n(10.0)],
            vec![n(202.0), t("Школа 4"), n(9.0)],
            vec![],
            vec![t("Примечание: данные на 1 июля")],
        ],
    };
    let tb = table(&[(0, Field::SchoolId), (1, Field::SchoolName), (2, Field::N)]);
    let classes = classify(&sheet, &tb);
    let cls: Vec<RowClass> = classes.iter().map(|(_, c)| *c).collect();
    use RowClass::*;
    assert_eq!(
        cls,
        vec![
            Total, Subtotal, School, School, Subtotal, School, School, Blank, Note
        ]
    );
    let checks = check_totals(&sheet, &tb, &classes);
    // Район А: 5 + 7 = 12 ✓; Район Б: 10 + 9 = 19 ≠ 18 ✗.
    let sub: Vec<(u64, u64)> = checks
        .iter()
        .filter(|c| c.class == Subtotal)
        .map(|c| (c.stated, c.summed))
        .collect();
    assert_eq!(sub, vec![(12, 12), (18, 19)]);
    // The region row above everything sums the schools after it: 5+7+10+9 = 31 ≠ 30.
    let total = checks.iter().find(|c| c.class == Total).unwrap();
    assert_eq!((total.stated, total.summed, total.schools), (30, 31, 4));
}

#[test]
fn section_rows_and_total_at_the_bottom() {
    let sheet = Sheet {
        name: None,
        merges: Vec::new(),
        rows: vec![
            vec![t("Наименование"), t("Участников")],
            vec![t("Город N")],
            vec![t("Школа 1"), n(5.0)],
            vec![t("Школа 2"), n(6.0)],
            vec![t("Итого"), n(11.0)],
        ],
    };
    let tb = table(&[(0, Field::SchoolName), (1, Field::N)]);
    let classes = classify(&sheet, &tb);
    use RowClass::*;
    let cls: Vec<RowClass> = classes.iter().map(|(_, c)| *c).collect();
    assert_eq!(cls, vec![Section, School, School, Total]);
    let checks = check_totals(&sheet, &tb, &classes);
    // 5 + 6 = 11 ✓
    assert_eq!(checks.len(), 1);
    assert!(checks[0].passed());
    assert_eq!(checks[0].schools, 2);
}

#[test]
fn words_in_the_code_column_are_no_school() {
    use RowClass::*;
    // Alone in the row: a section, whatever it names.
    assert_eq!(label_in_code_column("Энский район", true), Some(Section));
    assert_eq!(label_in_code_column("Городские школы", true), Some(Section));
    // With numbers: a municipality or a group of schools is a subtotal, the region a
    // total; a school's name or other words are left to the lookup.
    assert_eq!(label_in_code_column("Энский район", false), Some(Subtotal));
    assert_eq!(label_in_code_column("Краевые ОУ", false), Some(Subtotal));
    assert_eq!(label_in_code_column("Алтайский край", false), Some(Total));
    assert_eq!(label_in_code_column("Итого", false), Some(Total));
    assert_eq!(label_in_code_column("МБОУ СОШ №1", false), None);
    // Codes: digits anywhere.
    for code in ["101", "sch220101", "0101", "1001.0", "Р-101"] {
        assert_eq!(label_in_code_column(code, true), None, "{code}");
    }
    // A table keyed by logins with the municipality's sums on its first row, and a
    // registry with the municipality as a section row in the code column.
    let sheet = Sheet {
        name: None,
        merges: Vec::new(),
        rows: vec![
            vec![t("Логин ОО"), t("Участников")],
            vec![t("Энский район"), n(12.0)],
            vec![t("sch220101"), n(5.0)],
            vec![t("sch220102"), n(7.0)],
        ],
    };
    let tb = table(&[(0, Field::SchoolId), (1, Field::N)]);
    let classes = classify(&sheet, &tb);
    let cls: Vec<RowClass> = classes.iter().map(|(_, c)| *c).collect();
    assert_eq!(cls, vec![Subtotal, School, School]);
    // 5 + 7 = 12 ✓
    let checks = check_totals(&sheet, &tb, &classes);
    assert_eq!((checks[0].stated, checks[0].summed), (12, 12));
    let sheet = Sheet {
        name: None,
        merges: Vec::new(),
        rows: vec![
            vec![t("Код ОО"), t("Наименование ОО"), t("Муниципалитет")],
            vec![t("Энский район")],
            vec![n(101.0), t("МБОУ СОШ №1"), t("Энский район")],
            vec![n(102.0), t("МБОУ СОШ №2"), t("Энский район")],
        ],
    };
    let tb = table(&[
        (0, Field::SchoolId),
        (1, Field::SchoolName),
        (2, Field::Municipality),
    ]);
    let cls: Vec<RowClass> = classify(&sheet, &tb).iter().map(|(_, c)| *c).collect();
    assert_eq!(cls, vec![Section, School, School]);
}

#[test]
fn evidence_words() {
    for m in [
        "Район А",
        "Городской округ В",
        "г. Бийск",
        "г.Бийск",
        "МОУО Энского района",
        "АТЕ Балашиха",
        "Управление образования",
        "Муниципальный округ Н",
    ] {
        assert!(is_municipality_name(m), "{m}");
        assert!(!is_school_name(m), "{m}");
    }
    for s in [
        "МБОУ «Средняя школа №1»",
        "Лицей 2",
        "СОШ с. Берёзовка",
        "Гимназия",
    ] {
        assert!(is_school_name(s), "{s}");
        assert!(!is_municipality_name(s), "{s}");
    }
}

#[test]
fn district_table_with_a_region_total_is_municipal_level() {
    let sheet = Sheet {
        name: None,
        merges: Vec::new(),
        rows: vec![
            vec![t("Код"), t("Наименование"), t("Участников")],
            vec![n(1.0), t("Район А"), n(100.0)],
            vec![n(2.0), t("Район Б"), n(50.0)],
            vec![n(3.0), t("Городской округ В"), n(80.0)],
            vec![t(""), t("Итого по региону"), n(230.0)],
        ],
    };
    let tb = table(&[(0, Field::SchoolId), (1, Field::SchoolName), (2, Field::N)]);
    let (rows, names) = municipal_level(&sheet, &tb).unwrap();
    assert_eq!(rows, 3);
    assert_eq!(names, vec!["Район А", "Район Б", "Городской округ В"]);
}

#[test]
fn school_table_with_municipality_subtotals_stays_a_school_table() {
    let sheet = Sheet {
        name: None,
        merges: Vec::new(),
        rows: vec![
            vec![t("Код"), t("Наименование"), t("Участников")],
            vec![n(1.0), t("Район А"), n(12.0)],
            vec![n(101.0), t("Берёзовская"), n(5.0)],
            vec![n(102.0), t("Осиновская"), n(7.0)],
            vec![n(2.0), t("Район Б"), n(9.0)],
            vec![n(201.0), t("Липовская"), n(9.0)],
            vec![t(""), t("Итого"), n(21.0)],
        ],
    };
    let tb = table(&[(0, Field::SchoolId), (1, Field::SchoolName), (2, Field::N)]);
    assert_eq!(municipal_level(&sheet, &tb), None);
    // Named schools under municipality subtotals without codes: schools too.
    let sheet = Sheet {
        name: None,
        merges: Vec::new(),
        rows: vec![
            vec![t("Наименование"), t("Участников")],
            vec![t("Район А"), n(12.0)],
            vec![t("МБОУ СОШ №1"), n(5.0)],
            vec![t("МБОУ СОШ №2"), n(7.0)],
        ],
    };
    let tb = table(&[(0, Field::SchoolName), (1, Field::N)]);
    assert_eq!(municipal_level(&sheet, &tb), None);
}

#[test]
fn schools_keyed_by_code_beside_a_municipality_column_are_schools() {
    // Three codes, one municipality: each row is finer than its name, so a school.
    let sheet = Sheet {
        name: None,
        merges: Vec::new(),
        rows: vec![
            vec![t("Муниципалитет"), t("Код ОО"), t("Участников")],
            vec![t("Энский район"), n(101.0), n(40.0)],
            vec![t("Энский район"), n(102.0), n(40.0)],
            vec![t("Энский район"), n(201.0), n(20.0)],
        ],
    };
    let tb = table(&[
        (0, Field::Municipality),
        (1, Field::SchoolId),
        (2, Field::N),
    ]);
    assert_eq!(municipal_level(&sheet, &tb), None);
}

#[test]
fn sectioned_school_names_found_by_content() {
    // «Территория»: a municipality on the section row, schools with numbers under it.
    let sheet = Sheet {
        name: None,
        merges: Vec::new(),
        rows: vec![
            vec![t("Территория"), t("Участников")],
            vec![t("Энский район")],
            vec![t("МБОУ «Средняя школа №1»"), n(40.0)],
            vec![t("МБОУ «Средняя школа №2»"), n(40.0)],
            vec![t("Итого по району"), n(80.0)],
        ],
    };
    assert_eq!(school_names_column(&sheet, 1, &[0]), Some(0));
    // Rows naming districts are no school names.
    let sheet = Sheet {
        name: None,
        merges: Vec::new(),
        rows: vec![
            vec![t("Территория"), t("Участников")],
            vec![t("Район А"), n(40.0)],
            vec![t("Район Б"), n(40.0)],
        ],
    };
    assert_eq!(school_names_column(&sheet, 1, &[0]), None);
}
