//! Copies among the inputs: a file (or sheet) with the same bytes as an earlier one and
//! read the same way is left out and said once; one whose name gives another year is read.

use super::ingest::{OGE_HEADER, assert_has, validate, xlsx};

/// Three files with the same bytes, the year only in their names: «2024» and «2025» are two
/// tables (one school, 10 participants each year), the second «2025» is a copy of the
/// first, said once and not counted. Exit 3: a file was left out.
#[test]
fn a_byte_for_byte_copy_is_left_out_unless_its_name_reads_otherwise() {
    let d = tempfile::tempdir().unwrap();
    let csv = "Код ОО;Кол-во участников;отметка \"2\";отметка \"3\";отметка \"4\";отметка \"5\"\n\
               101;10;1;4;3;2\n";
    for name in [
        "1 ОГЭ 2024 математика.csv",
        "2 ОГЭ 2025 математика.csv",
        "3 ОГЭ 2025 математика.csv",
    ] {
        std::fs::write(d.path().join(name), csv).unwrap();
    }
    let r = validate(d.path());
    assert_eq!(r.code, 3, "{}", r.out);
    let copy = format!(
        "{}: файл не учтён: совпадает байт в байт с «{}» и читается так же",
        d.path().join("3 ОГЭ 2025 математика.csv").display(),
        d.path().join("2 ОГЭ 2025 математика.csv").display()
    );
    assert_has(
        &r,
        &[
            &copy,
            "2024 год; строк принято: 1",
            "2025 год; строк принято: 1",
        ],
    );
    assert_eq!(r.out.matches("строк принято: 1;").count(), 2, "{}", r.out);
    // The copy was recognized: nothing is missing through it.
    assert!(!r.out.contains("не распознано файлов"), "{}", r.out);
    // Each file read says its encoding once, under its table; the copy was not read.
    assert_eq!(
        r.out.matches("кодировка и разделитель").count(),
        2,
        "{}",
        r.out
    );
}

/// Two files with the same bytes whose names give different years: the sheet whose title
/// names its year (2023) is the same table in both and is left out of the second, said
/// for that sheet; the sheet that takes its year from the file name is read in both.
#[test]
fn only_the_sheets_a_copy_reads_the_same_way_are_left_out() {
    let d = tempfile::tempdir().unwrap();
    let header = OGE_HEADER.to_vec();
    let row = vec!["101", "10", "1", "4", "3", "2"];
    let first = d.path().join("ОГЭ 2024 математика.xlsx");
    xlsx(
        &first,
        &[
            (
                "Итоги",
                vec![
                    vec!["Результаты ОГЭ-2023 по математике"],
                    header.clone(),
                    row.clone(),
                ],
            ),
            ("Лист2", vec![header, row]),
        ],
    );
    let second = d.path().join("ОГЭ 2025 математика.xlsx");
    std::fs::copy(&first, &second).unwrap();
    let r = validate(d.path());
    assert_eq!(r.code, 3, "{}", r.out);
    let copy = format!(
        "{}, лист «Итоги»: таблица не учтена: совпадает байт в байт с тем же листом «{}» и \
         читается так же",
        second.display(),
        first.display()
    );
    assert_has(
        &r,
        &[
            &copy,
            "2023 год; строк принято: 1",
            "2024 год; строк принято: 1",
            "2025 год; строк принято: 1",
        ],
    );
    assert_eq!(r.out.matches("строк принято: 1;").count(), 3, "{}", r.out);
}
