//! Columns by meaning (issue 9, item 1): `fixtures/handworked` with its headings rewritten
//! into unseen but ordinary wordings — units, abbreviations, word order swapped, a «из них
//! получили «2»» column before the participant column — gives the numbers worked out by
//! hand in `fixtures/handworked/README.md` (§7 «Итоговая таблица»), and the same
//! `schools.csv` as the unchanged fixture.

use crate::util::{root, shnor};
use std::path::Path;

/// README §7: school, ОИП 2023 / 2024 / 2025 (None — «—»), ИСБ.
const README_TABLE: [(&str, [Option<f64>; 3], f64); 8] = [
    ("101", [Some(28.0), Some(28.0), Some(29.0)], 56.0),
    ("102", [Some(21.0), Some(7.0), Some(8.0)], 70.0),
    ("103", [Some(21.0), Some(21.0), Some(21.0)], 72.0),
    ("104", [Some(14.0), Some(28.0), Some(26.0)], 74.0),
    ("201", [Some(21.0), Some(21.0), Some(21.0)], 76.0),
    ("202", [Some(21.0), Some(21.0), Some(21.0)], 58.0),
    ("203", [None, None, Some(19.0)], 78.0),
    ("204", [Some(21.0), Some(21.0), Some(21.0)], 80.0),
];

/// One rewording of the fixture: (file, heading as the fixture writes it, new heading).
type Rewording = &'static [(&'static str, &'static str, &'static str)];

const SDAVALI: Rewording = &[
    ("результаты.csv", "Количество участников", "Сдавали (чел.)"),
    ("результаты.csv", "Средний балл", "Ср. балл"),
    ("результаты.csv", "Код ОО", "ОО, код"),
    ("реестр.csv", "Код ОО", "Код ОУ"),
    (
        "реестр.csv",
        "Наименование ОО",
        "Наименование школы (краткое)",
    ),
    ("паспорт.csv", "Всего обучающихся", "Обучающихся всего"),
    ("паспорт.csv", "Код ОО", "Код школы"),
];

const PISAVSHIH: Rewording = &[
    (
        "результаты.csv",
        "Количество участников",
        "Кол-во уч-ся, писавших работу",
    ),
    ("результаты.csv", "Средний балл", "Балл средний"),
    (
        "паспорт.csv",
        "Всего обучающихся",
        "Кол-во уч-ся всего, чел.",
    ),
];

/// Copies the fixture into `dir`, rewrites headings, and moves the «2» column (renamed «из
/// них получили «2»») in front of the participant column.
fn reworded_fixture(dir: &Path, rewording: Rewording) {
    let fixture = root().join("fixtures/handworked");
    for entry in std::fs::read_dir(&fixture).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if !name.ends_with(".csv") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let mut lines: Vec<Vec<String>> = text
            .lines()
            .map(|l| l.split(';').map(str::to_string).collect())
            .collect();
        for (file, from, to) in rewording {
            if *file == name {
                let h = lines[0].iter_mut().find(|h| h == from).unwrap();
                *h = (*to).to_string();
            }
        }
        if name == "результаты.csv" {
            let two = lines[0].iter().position(|h| h == "Отметка «2»").unwrap();
            let n = two - 1;
            lines[0][two] = "из них получили «2»".into();
            for l in &mut lines {
                l.swap(n, two);
            }
        }
        let out: Vec<String> = lines.iter().map(|l| l.join(";")).collect();
        std::fs::write(dir.join(&name), out.join("\n") + "\n").unwrap();
    }
}

fn identify(input: &Path, out: &Path) -> String {
    shnor()
        .arg("identify")
        .arg(input)
        .arg("--out")
        .arg(out)
        .env("SHNOR_TODAY", "2026-12-04")
        .assert()
        .code(0);
    std::fs::read_to_string(out.join("schools.csv")).unwrap()
}

/// The value of `column` for school `id` in schools.csv.
fn value(csv: &str, id: &str, column: &str) -> Option<f64> {
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    let head: Vec<&str> = lines.next().unwrap().split(';').collect();
    let at = head
        .iter()
        .position(|h| *h == column)
        .unwrap_or_else(|| panic!("нет столбца {column}: {head:?}"));
    let id_at = head.iter().position(|h| *h == "id").unwrap();
    let row: Vec<&str> = lines
        .map(|l| l.split(';').collect::<Vec<_>>())
        .find(|r| r[id_at] == id)
        .unwrap_or_else(|| panic!("нет школы {id}"));
    let v = row[at].trim().replace(',', ".");
    (!v.is_empty() && v != "—" && v != "-").then(|| v.parse().unwrap())
}

#[test]
fn unseen_headings_give_the_hand_worked_numbers() {
    let tmp = tempfile::tempdir().unwrap();
    let plain = identify(
        &root().join("fixtures/handworked"),
        &tmp.path().join("plain"),
    );
    assert!(
        plain.lines().next().unwrap().contains(';'),
        "schools.csv: «;»"
    );
    for (name, rewording) in [("сдавали", SDAVALI), ("писавших", PISAVSHIH)] {
        let input = tmp.path().join(name);
        std::fs::create_dir(&input).unwrap();
        reworded_fixture(&input, rewording);
        let got = identify(&input, &tmp.path().join(format!("{name}-out")));
        for (id, oip, isb) in README_TABLE {
            for (year, want) in [2023, 2024, 2025].into_iter().zip(oip) {
                let g = value(&got, id, &format!("oip_{year}"));
                match (g, want) {
                    (Some(g), Some(w)) => {
                        assert!((g - w).abs() < 0.01, "{name}: {id} ОИП {year}: {g} ≠ {w}")
                    }
                    (g, w) => assert_eq!(g, w, "{name}: {id} ОИП {year}"),
                }
            }
            let g = value(&got, id, "isb").unwrap_or_else(|| panic!("{name}: {id} без ИСБ"));
            assert!((g - isb).abs() < 0.01, "{name}: {id} ИСБ: {g} ≠ {isb}");
        }
        assert_eq!(
            got, plain,
            "{name}: schools.csv differs from the plain fixture's"
        );
    }
}

/// `shnor inspect` on one csv file written into a fresh folder: its output.
fn inspect_one(name: &str, text: &str) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join(name);
    std::fs::write(&path, text).unwrap();
    let out = shnor().arg("inspect").arg(&path).output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

/// Bad input: a heading that fits two fields («Средний результат»: a mean score or a mean
/// mark) is decided by its values in the procedure's scale, not by the rule order.
#[test]
fn a_heading_fitting_two_fields_is_decided_by_the_values() {
    let head = "Код ОО;Наименование ОО;Количество участников;Средний результат\n";
    // 3,8 / 4,1 / 3,5: every value inside the marks' 2–5 — a mean mark.
    let marks = inspect_one(
        "огэ_2025_математика.csv",
        &format!("{head}101;Школа 1;20;3,8\n102;Школа 2;18;4,1\n103;Школа 3;15;3,5\n"),
    );
    assert!(
        marks.contains("«средний результат» → Средняя отметка (mean_mark)"),
        "{marks}"
    );
    assert!(
        marks.contains("по значениям столбца — «Средняя отметка»"),
        "{marks}"
    );
    // 17,5 / 21 / 12,4: above 5, inside ОГЭ primary scores 0–70 — a mean score.
    let scores = inspect_one(
        "огэ_2025_математика.csv",
        &format!("{head}101;Школа 1;20;17,5\n102;Школа 2;18;21\n103;Школа 3;15;12,4\n"),
    );
    assert!(
        scores.contains("«средний результат» → Средний балл (mean_score)"),
        "{scores}"
    );
    // 71,5 in an ОГЭ table: no ОГЭ form has more than 70 primary points, and it is not a
    // mark: the column is left out with a note, never read as a wrong mean.
    let neither = inspect_one(
        "огэ_2025_математика.csv",
        "Код ОО;Наименование ОО;Количество участников;Средний балл\n\
         101;Школа 1;20;71,5\n102;Школа 2;18;21\n103;Школа 3;15;12,4\n",
    );
    assert!(
        neither.contains("«средний балл» — не используется"),
        "{neither}"
    );
    assert!(
        neither.contains("не укладываются в шкалу (первичный балл ОГЭ от 0 до 70)"),
        "{neither}"
    );
    // Mapped in the config, the column is taken as it is: the analyst has decided.
    let tmp = tempfile::tempdir().unwrap();
    let cfg = tmp.path().join("shnor.toml");
    std::fs::write(&cfg, "[columns]\n\"Средний балл\" = \"mean_score\"\n").unwrap();
    let path = tmp.path().join("огэ_2025_математика.csv");
    std::fs::write(
        &path,
        "Код ОО;Наименование ОО;Количество участников;Средний балл\n\
         101;Школа 1;20;71,5\n102;Школа 2;18;21\n103;Школа 3;15;12,4\n",
    )
    .unwrap();
    let out = shnor()
        .arg("--config")
        .arg(&cfg)
        .arg("inspect")
        .arg(&path)
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.contains("«средний балл» → Средний балл (mean_score)"),
        "{out}"
    );
    // The same 71,5 in an ЕГЭ table is a test score (0–100).
    let ege = inspect_one(
        "егэ_2025_русский_язык.csv",
        "Код ОО;Наименование ОО;Количество участников;Средний балл\n\
         101;Школа 1;20;71,5\n102;Школа 2;18;21\n103;Школа 3;15;12,4\n",
    );
    assert!(
        ege.contains("«средний балл» → Средний балл (mean_score)"),
        "{ege}"
    );
}

/// Bad input: a participant column next to a «из них …» column. The sub-group is never the
/// participant count, whichever stands first; the rows are accepted only when the count
/// is the right column: 2 + 8 + 6 + 4 = 20 participants at school 101, 3 of them with ОВЗ;
/// 1 + 5 + 8 + 4 = 18 at 102, 2 with ОВЗ.
#[test]
fn a_participant_column_next_to_a_sub_group_column() {
    let out = inspect_one(
        "огэ_2025_математика.csv",
        "Код ОО;Наименование ОО;из них участников с ОВЗ;Количество участников;\
         Отметка «2»;Отметка «3»;Отметка «4»;Отметка «5»\n\
         101;Школа 1;3;20;2;8;6;4\n102;Школа 2;2;18;1;5;8;4\n",
    );
    assert!(
        out.contains("«количество участников» → Количество участников (n)"),
        "{out}"
    );
    assert!(
        out.contains("«из них участников с овз» — не используется"),
        "{out}"
    );
    assert!(out.contains("строк принято 2, отклонено 0"), "{out}");
}

/// Two participant columns: the values decide. Without a pupils column the whole (never
/// below the other, above it at school 101: 25 > 20) is taken; with one, a column above
/// the school's pupils on some row (101: 25 participants of 22 pupils) is not the count.
#[test]
fn of_two_participant_columns_the_one_within_the_pupils_is_taken() {
    let whole = inspect_one(
        "огэ_2025_математика.csv",
        "Код ОО;Наименование ОО;Писали работу;Сдавали экзамен\n\
         101;Школа 1;20;25\n102;Школа 2;18;18\n103;Школа 3;15;15\n",
    );
    assert!(
        whole.contains("«сдавали экзамен» → Количество участников (n)"),
        "{whole}"
    );
    let within = inspect_one(
        "огэ_2025_математика.csv",
        "Код ОО;Наименование ОО;Численность обучающихся;Писали работу;Сдавали экзамен\n\
         101;Школа 1;22;20;25\n102;Школа 2;30;18;18\n103;Школа 3;15;15;15\n",
    );
    assert!(
        within.contains("«писали работу» → Количество участников (n)"),
        "{within}"
    );
    assert!(
        within.contains("больше, чем обучающихся («Численность обучающихся»), в строках: 1"),
        "{within}"
    );
}
