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
