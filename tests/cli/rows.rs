//! Rows of docs/recognition.md «Строки» end to end: a table by municipality dropped into
//! fixtures/handworked is named on stderr and not counted (schools.csv byte-identical to the
//! run without it, exit 0 as for every table of municipalities).

use crate::util::{root, shnor};
use std::path::Path;

const TODAY: &str = "2026-12-04";

fn handworked(dir: &Path) {
    let fx = root().join("fixtures/handworked");
    for e in std::fs::read_dir(&fx).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "csv") {
            std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
        }
    }
}

fn identify(input: &Path, out: &Path) -> (i32, String) {
    let o = shnor()
        .env("SHNOR_TODAY", TODAY)
        .arg("identify")
        .arg(input)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap();
    (
        o.status.code().unwrap(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn municipal_level_table_is_named_and_not_counted() {
    let tmp = tempfile::tempdir().unwrap();
    let plain = tmp.path().join("plain");
    let with = tmp.path().join("with");
    std::fs::create_dir_all(&plain).unwrap();
    std::fs::create_dir_all(&with).unwrap();
    handworked(&plain);
    handworked(&with);
    // ОГЭ 2025 by district: codes 1–3, each row a municipality; 100+50+80 = 230.
    std::fs::write(
        with.join("огэ_по_районам.csv"),
        "ОГЭ 2025 Математика по районам\n\
         Код;Наименование ОО;Количество участников;Отметка «2»;Отметка «3»;Отметка «4»;Отметка «5»\n\
         1;Район А;100;10;30;40;20\n\
         2;Район Б;50;5;15;20;10\n\
         3;Городской округ В;80;8;24;32;16\n\
         ;Итого;230;23;69;92;46\n",
    )
    .unwrap();
    let (code_plain, _) = identify(&plain, &tmp.path().join("out_plain"));
    let (code_with, err) = identify(&with, &tmp.path().join("out_with"));
    assert_eq!(code_plain, 0);
    assert_eq!(code_with, 0, "{err}");
    assert!(
        err.lines().any(|l| l.contains("огэ_по_районам.csv")
            && l.contains("таблица по муниципалитетам: 3 строк, школ нет")),
        "{err}"
    );
    let a = std::fs::read(tmp.path().join("out_plain/schools.csv")).unwrap();
    let b = std::fs::read(tmp.path().join("out_with/schools.csv")).unwrap();
    assert!(
        a == b,
        "schools.csv differs with a municipal-level table in the folder"
    );
}

/// fixtures/handworked with `результаты.csv` laid out in sections: «Городские школы» above
/// 101–104 and «Сельские школы» above 201–204 (rows unchanged, only regrouped).
#[test]
fn sectioned_results_give_the_same_numbers() {
    let tmp = tempfile::tempdir().unwrap();
    let plain = tmp.path().join("plain");
    let sec = tmp.path().join("sec");
    std::fs::create_dir_all(&plain).unwrap();
    std::fs::create_dir_all(&sec).unwrap();
    handworked(&plain);
    handworked(&sec);
    let text = std::fs::read_to_string(plain.join("результаты.csv")).unwrap();
    let mut lines = text.lines();
    let head = lines.next().unwrap();
    let rows: Vec<&str> = lines.collect();
    let code = |r: &&str| r.split(';').nth(4).unwrap().to_string();
    let city: Vec<&str> = rows
        .iter()
        .filter(|r| code(r).starts_with('1'))
        .copied()
        .collect();
    let village: Vec<&str> = rows
        .iter()
        .filter(|r| code(r).starts_with('2'))
        .copied()
        .collect();
    assert_eq!(city.len() + village.len(), 96, "8 schools × 12 procedures");
    let mut out = vec![head, "Городские школы"];
    out.extend(city);
    out.push("Сельские школы");
    out.extend(village);
    std::fs::write(sec.join("результаты.csv"), out.join("\n") + "\n").unwrap();
    let (code_plain, _) = identify(&plain, &tmp.path().join("out_plain"));
    let (code_sec, err) = identify(&sec, &tmp.path().join("out_sec"));
    assert_eq!((code_plain, code_sec), (0, 0), "{err}");
    let a = std::fs::read(tmp.path().join("out_plain/schools.csv")).unwrap();
    let b = std::fs::read(tmp.path().join("out_sec/schools.csv")).unwrap();
    assert!(
        a == b,
        "a sectioned results file gives other numbers: {err}"
    );
}

/// The handworked results with their last row repeated 3,000 times: every repeat is
/// rejected (the school and procedure are already on the sheet), the numbers stay those of
/// the plain run, the first 1,000 repeats are named one by one and the other 2,000 in one
/// message, and the count of rejected rows is 3,000 (exit 3).
#[test]
fn thousands_of_rejected_rows_are_counted_not_listed() {
    let tmp = tempfile::tempdir().unwrap();
    let plain = tmp.path().join("plain");
    let many = tmp.path().join("many");
    std::fs::create_dir_all(&plain).unwrap();
    std::fs::create_dir_all(&many).unwrap();
    handworked(&plain);
    handworked(&many);
    let text = std::fs::read_to_string(plain.join("результаты.csv")).unwrap();
    let last = text.lines().rfind(|l| !l.trim().is_empty()).unwrap();
    let repeats = format!("{last}\n").repeat(3_000);
    std::fs::write(many.join("результаты.csv"), format!("{text}{repeats}")).unwrap();
    let (code_plain, _) = identify(&plain, &tmp.path().join("out_plain"));
    let (code_many, err) = identify(&many, &tmp.path().join("out_many"));
    assert_eq!((code_plain, code_many), (0, 3), "{err}");
    let listed = err.lines().filter(|l| l.contains("школа уже есть")).count();
    // 1,000 rows one by one, and the message of the other 2,000 quotes the first of them.
    assert_eq!(listed, 1_001, "{err}");
    assert!(
        err.contains("не перечисленных по отдельности: 2000"),
        "{err}"
    );
    assert!(err.contains("с ошибками (3000)"), "{err}");
    let a = std::fs::read(tmp.path().join("out_plain/schools.csv")).unwrap();
    let b = std::fs::read(tmp.path().join("out_many/schools.csv")).unwrap();
    assert!(a == b, "repeated rows changed the numbers");
}
