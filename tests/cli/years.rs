//! Years of docs/recognition.md «Годы» end to end: a file named with a form code
//! («2070-12 …») is read for the year after the code, a file of a year after the next
//! school year is left out (exit 3) with its file and token named, and a file of the next
//! school year is not judged by default. The date is pinned with `SHNOR_TODAY`.

use crate::util::{root, shnor};
use std::path::Path;

/// 2026-12-04 belongs to the school year 2026/27 = 2027; files may speak of years up to 2028.
const TODAY: &str = "2026-12-04";

/// fixtures/handworked with its 2025 ОГЭ Математика rows moved out of `результаты.csv` into
/// a file with no year column, named `name`: its year comes from the name alone.
fn handworked_with_oge_file(dir: &Path, name: &str) {
    let fx = root().join("fixtures/handworked");
    for f in ["реестр.csv", "контингент.csv", "паспорт.csv", "всош.csv"]
    {
        std::fs::copy(fx.join(f), dir.join(f)).unwrap();
    }
    let results = std::fs::read_to_string(fx.join("результаты.csv")).unwrap();
    let (moved, kept): (Vec<&str>, Vec<&str>) = results
        .lines()
        .partition(|l| l.starts_with("2025;ОГЭ;Математика;"));
    assert_eq!(moved.len(), 8, "8 schools wrote ОГЭ Математика in 2025");
    std::fs::write(dir.join("результаты.csv"), kept.join("\n") + "\n").unwrap();
    write_oge(dir, name, &moved);
}

/// Rows «Год;Процедура;Предмет;Класс;…» written without their first four columns.
fn write_oge(dir: &Path, name: &str, rows: &[&str]) {
    let mut text = String::from(
        "Код ОО;Количество участников;Отметка «2»;Отметка «3»;Отметка «4»;Отметка «5»;\
         Средний балл;Не преодолели минимальный порог\n",
    );
    for r in rows {
        text += &r.splitn(5, ';').nth(4).unwrap().replace('\n', "");
        text += "\n";
    }
    std::fs::write(dir.join(name), text).unwrap();
}

/// ОИП 2025 of a school from schools.csv (columns `id` … `oip_2025`).
fn oip_2025(out: &Path, id: &str) -> f64 {
    let text = std::fs::read_to_string(out.join("schools.csv")).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let mut lines = text.lines();
    let sep = if text.contains(';') { ';' } else { ',' };
    let head: Vec<&str> = lines.next().unwrap().split(sep).collect();
    let col = |c: &str| head.iter().position(|h| h.trim() == c).unwrap();
    let (i, o) = (col("id"), col("oip_2025"));
    let row: Vec<&str> = lines
        .map(|l| l.split(sep).collect::<Vec<_>>())
        .find(|r| r[i].trim() == id)
        .unwrap();
    row[o].trim().replace(',', ".").parse().unwrap()
}

fn written(out: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_form_code_in_the_file_name_is_not_the_year() {
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    handworked_with_oge_file(dir.path(), "2070-12 ОГЭ 2025 Математика.csv");
    shnor()
        .env("SHNOR_TODAY", TODAY)
        .arg("identify")
        .arg(dir.path())
        .arg("--out")
        .arg(out.path())
        .assert()
        .code(0);
    let names = written(out.path());
    assert!(
        names.contains(&"identify-2025.xlsx".to_string()),
        "{names:?}"
    );
    assert!(!names.iter().any(|n| n.contains("2070")), "{names:?}");
    // fixtures/handworked/README.md §7: ОИП 2025 of 101 is 29, of 102 is 8 — reached only
    // when the moved ОГЭ rows count for 2025.
    assert!((oip_2025(out.path(), "101") - 29.0).abs() < 0.01);
    assert!((oip_2025(out.path(), "102") - 8.0).abs() < 0.01);
}

#[test]
fn a_future_year_is_left_out_and_the_next_year_not_judged() {
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    handworked_with_oge_file(dir.path(), "2070-12 ОГЭ 2025 Математика.csv");
    let fx = std::fs::read_to_string(root().join("fixtures/handworked/результаты.csv")).unwrap();
    let rows: Vec<&str> = fx
        .lines()
        .filter(|l| l.starts_with("2025;ОГЭ;Математика;"))
        .collect();
    // 2031 > 2028 (today's school year 2027 + 1): left out. 2028 is read, not judged.
    write_oge(dir.path(), "ОГЭ 2031 Математика.csv", &rows);
    write_oge(dir.path(), "ОГЭ 2028 Математика.csv", &rows);
    let run = shnor()
        .env("SHNOR_TODAY", TODAY)
        .arg("identify")
        .arg(dir.path())
        .arg("--out")
        .arg(out.path())
        .assert()
        .code(3);
    let stderr = String::from_utf8_lossy(&run.get_output().stderr).into_owned();
    let stdout = String::from_utf8_lossy(&run.get_output().stdout).into_owned();
    assert!(stdout.contains("Год 2025"), "{stdout}");
    let future = stderr
        .lines()
        .find(|l| l.contains("ОГЭ 2031 Математика.csv"))
        .unwrap_or_else(|| panic!("the 2031 file is named: {stderr}"));
    assert!(
        future.contains("(имя файла: «2031»)") && future.contains("2026/27"),
        "{future}"
    );
    let next = stderr
        .lines()
        .find(|l| l.contains("ОГЭ 2028 Математика.csv"))
        .unwrap_or_else(|| panic!("the 2028 file is named: {stderr}"));
    assert!(
        next.contains("2028") && next.contains("--year 2028"),
        "{next}"
    );
    let names = written(out.path());
    assert!(
        names.contains(&"identify-2025.xlsx".to_string()),
        "{names:?}"
    );
    assert!(
        !names
            .iter()
            .any(|n| n.contains("2070") || n.contains("2031") || n.contains("2028")),
        "{names:?}"
    );
    assert!((oip_2025(out.path(), "101") - 29.0).abs() < 0.01);
}

#[test]
fn year_asks_for_a_future_file_and_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    handworked_with_oge_file(dir.path(), "ОГЭ 2025 Математика.csv");
    let fx = std::fs::read_to_string(root().join("fixtures/handworked/результаты.csv")).unwrap();
    let rows: Vec<&str> = fx
        .lines()
        .filter(|l| l.starts_with("2025;ОГЭ;Математика;"))
        .collect();
    write_oge(dir.path(), "ОГЭ 2031 Математика.csv", &rows);
    // `--year 2031` is the analyst's word: the 2031 file is read, not refused, and judged.
    let run = shnor()
        .env("SHNOR_TODAY", TODAY)
        .arg("identify")
        .arg(dir.path())
        .arg("--year")
        .arg("2031")
        .arg("--out")
        .arg(out.path())
        .assert()
        .code(0);
    let stderr = String::from_utf8_lossy(&run.get_output().stderr).into_owned();
    assert!(!stderr.contains("позже текущего учебного года"), "{stderr}");
    let names = written(out.path());
    assert!(
        names.contains(&"identify-2031.xlsx".to_string()),
        "{names:?}"
    );
}

/// fixtures/handworked copied into `dir` (files already there are kept), with `edit` applied
/// to the data lines of `file`; returns the number of data lines.
fn handworked_with(dir: &Path, file: &str, edit: impl Fn(usize, &str) -> String) -> usize {
    let fx = root().join("fixtures/handworked");
    for e in std::fs::read_dir(&fx).unwrap() {
        let p = e.unwrap().path();
        let to = dir.join(p.file_name().unwrap());
        // A file edited by an earlier call is kept.
        if p.extension().is_some_and(|x| x == "csv") && !to.exists() {
            std::fs::copy(&p, to).unwrap();
        }
    }
    let text = std::fs::read_to_string(fx.join(file)).unwrap();
    let mut lines = text.lines();
    let mut out = vec![lines.next().unwrap().to_string()];
    let data: Vec<&str> = lines.filter(|l| !l.trim().is_empty()).collect();
    out.extend(data.iter().enumerate().map(|(i, l)| edit(i, l)));
    std::fs::write(dir.join(file), out.join("\n") + "\n").unwrap();
    data.len()
}

/// `validate` with the date pinned: (exit code, stdout).
fn validate(dir: &Path, today: &str) -> (i32, String) {
    let o = shnor()
        .env("SHNOR_TODAY", today)
        .arg("validate")
        .arg(dir)
        .output()
        .unwrap();
    (
        o.status.code().unwrap(),
        String::from_utf8(o.stdout).unwrap(),
    )
}

#[test]
fn validate_and_inspect_leave_out_a_future_file_as_identify_does() {
    let dir = tempfile::tempdir().unwrap();
    handworked_with_oge_file(dir.path(), "ОГЭ 2025 Математика.csv");
    let fx = std::fs::read_to_string(root().join("fixtures/handworked/результаты.csv")).unwrap();
    let rows: Vec<&str> = fx
        .lines()
        .filter(|l| l.starts_with("2025;ОГЭ;Математика;"))
        .collect();
    write_oge(dir.path(), "ОГЭ 2031 Математика.csv", &rows);
    // The words identify says (its test above): the file and the token that gave the year.
    let said = "год 2031 (имя файла: «2031») позже текущего учебного года 2026/27";
    let (code, stdout) = validate(dir.path(), TODAY);
    assert_eq!(code, 3, "{stdout}");
    assert!(
        stdout
            .lines()
            .any(|l| l.contains("ОГЭ 2031 Математика.csv") && l.contains(said)),
        "{stdout}"
    );
    let o = shnor()
        .env("SHNOR_TODAY", TODAY)
        .arg("inspect")
        .arg(dir.path().join("ОГЭ 2031 Математика.csv"))
        .output()
        .unwrap();
    let inspected = String::from_utf8(o.stdout).unwrap();
    assert!(inspected.contains(said), "{inspected}");
    // Five years later the same file is of the current school year: read, nothing rejected.
    let (code, stdout) = validate(dir.path(), "2031-05-20");
    assert!(!stdout.contains(said), "{stdout}");
    assert!(
        stdout.contains("ОГЭ Математика; 2031 год; строк принято: 8; отклонено: 0"),
        "{stdout}"
    );
    assert_eq!(code, 0, "{stdout}");
}

#[test]
fn a_row_year_outside_2000_to_next_school_year_is_rejected_not_read() {
    let dir = tempfile::tempdir().unwrap();
    // Data rows 1 and 2 (file rows 2 and 3) of the results get «2070» and «15» in «Год».
    let n = handworked_with(dir.path(), "результаты.csv", |i, l| match i {
        0 => l.replacen("2023;", "2070;", 1),
        1 => l.replacen("2023;", "15;", 1),
        _ => l.to_string(),
    });
    // The contingent's first row gets «2029» (> 2028 = today's school year 2027 + 1).
    let m = handworked_with(dir.path(), "контингент.csv", |i, l| {
        if i == 0 {
            l.replacen("2025;", "2029;", 1)
        } else {
            l.to_string()
        }
    });
    let (code, stdout) = validate(dir.path(), TODAY);
    assert_eq!(code, 3, "{stdout}");
    for (file, row, value) in [
        ("результаты.csv", 2, "2070"),
        ("результаты.csv", 3, "15"),
        ("контингент.csv", 2, "2029"),
    ] {
        let line = format!(
            "{file}, строка {row}, столбец «Год», значение «{value}»: не год: год строки должен \
             быть от 2000 до 2028"
        );
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with("ОТКЛОНЕНО: ") && l.contains(&line)),
            "{line}\n{stdout}"
        );
    }
    // Only those rows are left out: n − 2 and m − 1 rows read.
    assert!(
        stdout.contains(&format!("строк принято: {}; отклонено: 2", n - 2)),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("строк принято: {}; отклонено: 1", m - 1)),
        "{stdout}"
    );
    // No year 2070, 15 or 2029 was taken for a table's year.
    for y in ["2070 год", "15 год", "2029 год"] {
        assert!(!stdout.contains(y), "{y}: {stdout}");
    }
}
