//! `identify --split` (docs/outputs.md «Отчёт по частям»): the demo municipality's registry
//! rewritten as a CSV with two municipalities and a «Субъект РФ» column gives a summary
//! workbook and one workbook per part, each rating only its own schools; schools.csv and the
//! compact baseline stay whole. Which school is in which part comes from the registry this
//! test writes, not from the program's output.

use crate::util::{read_csv, root, shnor};
use calamine::{Reader, Xlsx, open_workbook};
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// examples/demo copied into `dir`, its registry replaced by a CSV where the first `north`
/// schools (registry order) are «Северный район» in «Регион А», the rest «Энский район» in
/// «Регион Б». Returns id → (municipality, region).
fn two_part_demo(dir: &Path, north: usize) -> BTreeMap<String, (String, String)> {
    let src = root().join("examples/demo");
    for e in fs::read_dir(&src).unwrap() {
        let e = e.unwrap();
        let name = e.file_name();
        if name != "реестр.xlsx" && name != "README.md" {
            fs::copy(e.path(), dir.join(&name)).unwrap();
        }
    }
    let mut wb: Xlsx<_> = open_workbook(src.join("реестр.xlsx")).unwrap();
    let range = wb.worksheet_range("Реестр").unwrap();
    let mut rows = range.rows();
    let head: Vec<String> = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
    let muni = head.iter().position(|h| h == "Муниципалитет").unwrap();
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_path(dir.join("реестр.csv"))
        .unwrap();
    let mut h = head.clone();
    h.push("Субъект РФ".into());
    w.write_record(&h).unwrap();
    let mut truth = BTreeMap::new();
    for (i, r) in rows.enumerate() {
        let mut cells: Vec<String> = r.iter().map(|c| c.to_string()).collect();
        let (m, reg) = if i < north {
            ("Северный район", "Регион А")
        } else {
            ("Энский район", "Регион Б")
        };
        cells[muni] = m.into();
        cells.push(reg.into());
        truth.insert(cells[0].clone(), (m.to_string(), reg.to_string()));
        w.write_record(&cells).unwrap();
    }
    w.flush().unwrap();
    truth
}

fn identify(input: &Path, out: &Path, split: &str) {
    let o = shnor()
        .arg("identify")
        .arg(input)
        .args(["--out"])
        .arg(out)
        .args(["--split", split, "-q"])
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "identify --split {split}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Codes of the registry found in a workbook's «Рейтинг» sheet.
fn rated(book: &Path, ids: &BTreeMap<String, (String, String)>) -> Vec<String> {
    let mut wb: Xlsx<_> = open_workbook(book).unwrap();
    let r = wb.worksheet_range("Рейтинг").unwrap();
    let cells: std::collections::BTreeSet<String> = r
        .rows()
        .flat_map(|row| row.iter().map(|c| c.to_string()))
        .collect();
    ids.keys()
        .filter(|id| cells.contains(*id))
        .cloned()
        .collect()
}

#[test]
fn a_registry_with_regions_splits_by_region_and_by_municipality() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("вход");
    fs::create_dir(&input).unwrap();
    let truth = two_part_demo(&input, 12);
    assert_eq!(truth.len(), 40);
    let of = |reg: &str| -> Vec<String> {
        truth
            .iter()
            .filter(|(_, (_, r))| r == reg)
            .map(|(id, _)| id.clone())
            .collect()
    };

    let out = tmp.path().join("по регионам");
    identify(&input, &out, "region");
    let parts = out.join("identify-2025-регионы");
    assert_eq!(rated(&parts.join("Регион А.xlsx"), &truth), of("Регион А"));
    assert_eq!(rated(&parts.join("Регион Б.xlsx"), &truth), of("Регион Б"));
    assert_eq!(of("Регион А").len(), 12);
    // The summary: no per-school sheets, a line per part with its count of schools.
    let mut wb: Xlsx<_> = open_workbook(out.join("identify-2025.xlsx")).unwrap();
    assert!(!wb.sheet_names().contains(&"Рейтинг".to_string()));
    let t = wb.worksheet_range("Части отчёта").unwrap();
    let lines: Vec<(String, String)> = t
        .rows()
        .filter(|r| r[0].to_string().starts_with("Регион "))
        .map(|r| (r[0].to_string(), r[1].to_string()))
        .collect();
    assert_eq!(
        lines,
        [
            ("Регион А".to_string(), "12".to_string()),
            ("Регион Б".to_string(), "28".to_string())
        ]
    );
    // schools.csv stays one file of every school, with its region at the end.
    let (h, rows) = read_csv(&out.join("schools.csv"));
    assert_eq!(h.last().unwrap(), "region");
    let got: BTreeMap<String, String> = rows
        .iter()
        .map(|r| (r[0].clone(), r.last().unwrap().clone()))
        .collect();
    let want: BTreeMap<String, String> = truth
        .iter()
        .map(|(id, (_, r))| (id.clone(), r.clone()))
        .collect();
    assert_eq!(got, want);
    assert!(out.join("baseline-2025.json.gz").exists());
    assert!(
        !out.join("identify-2025.json").exists(),
        "no full JSON of a split report"
    );

    // Into the same folder by municipality: the region folder goes, the municipal one comes.
    identify(&input, &out, "municipality");
    assert!(!parts.exists());
    let parts = out.join("identify-2025-муниципалитеты");
    let names: Vec<String> = fs::read_dir(&parts)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    // Schools of two regions: a municipality is named with its region (names repeat from
    // region to region).
    assert_eq!(
        names,
        [
            "Регион А — Северный район.xlsx",
            "Регион Б — Энский район.xlsx"
        ]
    );
    assert_eq!(
        rated(&parts.join("Регион А — Северный район.xlsx"), &truth),
        of("Регион А")
    );

    // 40 schools: `auto` writes one workbook, and the municipal folder goes.
    identify(&input, &out, "auto");
    assert!(!parts.exists());
    assert!(out.join("identify-2025.json").exists());
    assert_eq!(rated(&out.join("identify-2025.xlsx"), &truth).len(), 40);
}
