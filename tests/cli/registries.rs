//! Issue 9, item 3 «Kinds by structure», bad input «a folder with two registries that
//! disagree on one school»: the handworked municipality plus a second registry that gives
//! each school its ФИС ОКО login (heading «Логин ФИС ОКО») and another municipality for one
//! school, with an extra sheet listing classes. Every number asserted is counted from the
//! rows written here and in `fixtures/handworked/результаты.csv`.

use assert_cmd::Command;
use std::path::Path;

/// The ФИС ОКО login written for a school code in this test (unrelated digits on purpose:
/// only the second registry links them).
fn login(code: &str) -> String {
    format!("sch77{code}5")
}

const CODES: [&str; 8] = ["101", "102", "103", "104", "201", "202", "203", "204"];

/// Writes an xlsx file: cells that parse as numbers are written as numbers.
fn xlsx(path: &Path, sheets: &[(&str, Vec<Vec<String>>)]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match v.parse::<f64>() {
                    Ok(x) => ws.write_number(r, c, x).map(|_| ()).unwrap(),
                    Err(_) => ws.write_string(r, c, v).map(|_| ()).unwrap(),
                }
            }
        }
    }
    wb.save(path).unwrap();
}

/// The handworked folder with the ВПР rows moved to `впр.csv` and keyed by login, and the
/// second registry `фис_око.xlsx` (named to sort after `реестр.csv`, so it is the later one). Returns the number of ВПР rows written.
fn folder(dir: &Path) -> usize {
    let src = crate::util::root().join("fixtures/handworked");
    for f in ["реестр.csv", "контингент.csv", "паспорт.csv", "всош.csv"]
    {
        std::fs::copy(src.join(f), dir.join(f)).unwrap();
    }
    let results = std::fs::read_to_string(src.join("результаты.csv")).unwrap();
    let mut lines = results.lines();
    let header = lines.next().unwrap();
    let cols: Vec<&str> = header.split(';').collect();
    let proc_col = cols.iter().position(|c| *c == "Процедура").unwrap();
    let code_col = cols.iter().position(|c| *c == "Код ОО").unwrap();
    let (mut vpr, mut other) = (vec![header.to_string()], vec![header.to_string()]);
    for l in lines {
        let mut cells: Vec<String> = l.split(';').map(str::to_string).collect();
        if cells[proc_col] == "ВПР" {
            cells[code_col] = login(&cells[code_col]);
            vpr.push(cells.join(";"));
        } else {
            other.push(l.to_string());
        }
    }
    let n_vpr = vpr.len() - 1;
    std::fs::write(dir.join("впр.csv"), vpr.join("\n") + "\n").unwrap();
    std::fs::write(dir.join("результаты.csv"), other.join("\n") + "\n").unwrap();

    let s = |x: &str| x.to_string();
    let mut reg = vec![vec![s("Код ОО"), s("Муниципалитет"), s("Логин ФИС ОКО")]];
    let mut classes = vec![vec![
        s("Код ОО"),
        s("Класс"),
        s("Литера"),
        s("Количество обучающихся"),
    ]];
    for c in CODES {
        // 203 is «Энский район» in реестр.csv: this file disagrees.
        let m = if c == "203" {
            "Северный район"
        } else {
            "Энский район"
        };
        reg.push(vec![s(c), s(m), login(c)]);
        for (grade, letter, n) in [("5", "а", "20"), ("5", "б", "18")] {
            classes.push(vec![s(c), s(grade), s(letter), s(n)]);
        }
    }
    xlsx(
        &dir.join("фис_око.xlsx"),
        &[("Логины", reg), ("Классы", classes)],
    );
    n_vpr
}

#[test]
fn a_second_registry_adds_logins_and_its_disagreement_is_a_warning() {
    let d = tempfile::tempdir().unwrap();
    let n_vpr = folder(d.path());
    // 8 schools × 2 subjects × 3 years.
    assert_eq!(n_vpr, 48);
    let o = Command::cargo_bin("shnor")
        .unwrap()
        .arg("validate")
        .arg(d.path())
        .output()
        .unwrap();
    let out = format!(
        "{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    // Warnings only: nothing was left out (docs: exit 3 only when rows were rejected).
    assert_eq!(o.status.code(), Some(0), "{out}");
    // Every ВПР row keyed by login is found through the second registry's logins.
    let line = out
        .lines()
        .find(|l| l.contains("ВПР Математика 5 кл."))
        .unwrap_or_else(|| panic!("нет строки ВПР:\n{out}"));
    assert!(
        line.contains(&format!("строк принято: {n_vpr}; отклонено: 0")),
        "{line}\n{out}"
    );
    // The disagreement names both files and both values; the first file's value is kept.
    let warn = out
        .lines()
        .find(|l| l.contains("Северный район"))
        .unwrap_or_else(|| panic!("нет предупреждения о муниципалитете:\n{out}"));
    for part in ["реестр.csv", "фис_око.xlsx", "Энский район", "203"] {
        assert!(warn.contains(part), "нет «{part}»: {warn}");
    }
    // The class list is neither a registry nor a reason to stop: it is named and skipped.
    assert!(
        out.contains("«Классы»") && out.contains("список классов"),
        "{out}"
    );
    assert!(!out.contains("означает две разные школы"), "{out}");
}

#[test]
fn identify_gives_the_handworked_oip_through_logins() {
    let d = tempfile::tempdir().unwrap();
    folder(d.path());
    let out = d.path().join("out");
    let o = Command::cargo_bin("shnor")
        .unwrap()
        .arg("identify")
        .arg(d.path())
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // fixtures/handworked/README.md §4: ОИП 2025 is 29 for 101 and 8 for 102; the ВПР
    // points in them (4 and 1) come only from rows keyed by login.
    let text = std::fs::read_to_string(out.join("schools.csv")).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let d = if text.lines().next().unwrap().contains(';') {
        ';'
    } else {
        ','
    };
    let head: Vec<&str> = text.lines().next().unwrap().split(d).collect();
    let (id, oip) = (
        head.iter().position(|h| *h == "id").unwrap(),
        head.iter().position(|h| *h == "oip_2025").unwrap(),
    );
    let got: Vec<(String, f64)> = text
        .lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split(d).collect();
            (c[id].to_string(), c[oip].replace(',', ".").parse().unwrap())
        })
        .filter(|(i, _)| i == "101" || i == "102")
        .collect();
    assert_eq!(
        got,
        vec![("101".to_string(), 29.0), ("102".to_string(), 8.0)]
    );
}
