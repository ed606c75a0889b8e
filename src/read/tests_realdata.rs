//! Readers against the real exports in `../shared/realdata` (absent in a fresh clone: then
//! every test prints the SKIPPED line `.ci/run` counts). Expected values were taken from the
//! files themselves with independent tools (`unzip -l`, `wc -l`, the sheet XML); no school
//! names printed.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{Cell, ReadError, read_all, read_file};

/// The folder of real exports: `$SHNOR_REALDATA` when set (point it at a missing folder to
/// see the skip path), else `../shared/realdata` beside the crate. `None` after printing the
/// skip marker when it is absent; the caller returns at once.
pub(super) fn realdata_root() -> Option<PathBuf> {
    let dir = match std::env::var_os("SHNOR_REALDATA") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/realdata"),
    };
    if dir.is_dir() {
        Some(dir)
    } else {
        skipped(&dir);
        None
    }
}

/// `<realdata>/ru/<rel>`. A missing file inside a present folder is a failure, not a skip:
/// the folder is pinned by its SHA256SUMS, so the test's path is wrong.
fn realdata(rel: &str) -> Option<PathBuf> {
    let p = realdata_root()?.join("ru").join(rel);
    assert!(p.exists(), "нет файла {}", p.display());
    Some(p)
}

/// The line `.ci/run` counts as a skipped test (as tests/cli/util.rs prints it). Written to
/// the process's stderr itself, which libtest does not capture (only `print!`/`eprint!`
/// are), so a plain `cargo test` shows it; libtest names each test's thread after the test.
fn skipped(dir: &Path) {
    let name = std::thread::current().name().unwrap_or("?").to_string();
    let _ = writeln!(std::io::stderr(), "SKIPPED (нет {}): {name}", dir.display());
}

#[test]
fn moscow_csv_utf8_trailing_semicolons() {
    let Some(p) = realdata("moscow_ege_2015-16/data-9722-2016-10-31.csv") else {
        return;
    };
    let wb = read_file(&p).unwrap();
    assert_eq!(wb.detected.as_deref(), Some("UTF-8, разделитель «;»"));
    let s = &wb.sheets[0];
    // `wc -l` counts 627 lines; no field spans lines.
    assert_eq!(s.rows.len(), 627);
    // The header line names 13 columns, then a trailing `;`.
    assert_eq!(s.rows[0].len(), 13);
    assert_eq!(s.cell(0, 6), &Cell::Text("EDU_NAME".into()));
    assert_eq!(s.cell(0, 12), &Cell::Text("LINK".into()));
}

#[test]
fn moscow_csv_bom() {
    let Some(p) = realdata("moscow_ege_2015-16/data-20130909T0800.csv") else {
        return;
    };
    let wb = read_file(&p).unwrap();
    assert_eq!(wb.detected.as_deref(), Some("UTF-8 (BOM), разделитель «;»"));
    let s = &wb.sheets[0];
    assert_eq!(s.cell(0, 0), &Cell::Text("ROWNUM".into()));
    assert_eq!(s.cell(0, 12), &Cell::Text("X".into()));
    assert_eq!(s.rows[0].len(), 15);
}

#[test]
fn zabaykalsky_xlsx_sheets_headers_merges() {
    let Some(p) = realdata("zabaykalsky_eao_ege_2022-2024/directories_Забайкальский край.xlsx")
    else {
        return;
    };
    let wb = read_file(&p).unwrap();
    // Workbook order from xl/workbook.xml.
    let names: Vec<_> = wb.sheets.iter().map(|s| s.name.clone().unwrap()).collect();
    assert_eq!(names, ["2024", "2023", "2022"]);
    let s = &wb.sheets[1];
    // Row 7 sub-headers start at column E (index 4).
    assert_eq!(s.cell(6, 4), &Cell::Text("приняло участие".into()));
    assert_eq!(s.cell(6, 5), &Cell::Text("не преодолен min порог".into()));
    // 28 <mergeCell> elements; CB6:CF6 → row 5, columns 79..=83.
    assert_eq!(s.merges.len(), 28);
    assert!(s.merges.contains(&(5, 79, 5, 83)));
    assert!(s.merges.contains(&(1, 0, 1, 3))); // A2:D2
    // <dimension ref="A2:DE381">: nothing beyond row 381.
    assert!(s.rows.len() <= 381);
}

#[test]
fn logins_phantom_width() {
    let Some(p) = realdata("altai_vpr_2020-2022/logins.xlsx") else {
        return;
    };
    let wb = read_file(&p).unwrap();
    let s = &wb.sheets[0];
    // <dimension ref="A1:AMI693">: 1023 columns declared, 3 used.
    assert_eq!(s.rows.len(), 693);
    assert!(s.rows.iter().all(|r| r.len() <= 3));
}

#[test]
fn biff_xls_reads() {
    let Some(p) = realdata(
        "moscow_oblast_ege2012_oge2014/19_Статистические данные по участию в ЕГЭ выпускников по АТЕ.xls",
    ) else {
        return;
    };
    let wb = read_file(&p).unwrap();
    let s = &wb.sheets[0];
    // The report ends with the region total row.
    let last = s.rows.iter().rev().find(|r| !r.is_empty()).unwrap();
    assert!(
        last.iter()
            .any(|c| c.text().contains("Итого по субъекту РФ")),
        "the last non-empty row is not the region total"
    );
}

#[test]
fn altai_oge_zip_of_spreadsheetml() {
    let Some(p) = realdata("altai_ege_oge_2013-2015/oge-2014-results-schools.zip") else {
        return;
    };
    let all = read_all(&p);
    // `unzip -l`: 12 files.
    assert_eq!(all.len(), 12);
    for r in &all {
        let wb = r.as_ref().unwrap();
        // CP866 member names decoded (seen with `unzip -O cp866 -l`).
        assert!(
            wb.path.to_string_lossy().ends_with("Результаты_по_ОО.xls"),
            "{}",
            wb.path.display()
        );
        assert!(!wb.sheets.is_empty());
    }
    // read_file on the archive itself explains it is an archive.
    assert!(matches!(
        read_file(&p),
        Err(ReadError::NotASpreadsheet { .. })
    ));
}

#[test]
fn altai_ege_broken_entities_repaired() {
    let Some(p) = realdata("altai_ege_oge_2013-2015/ege-2014-results-schools.zip") else {
        return;
    };
    let all = read_all(&p);
    // `unzip -l`: 26 files.
    assert_eq!(all.len(), 26);
    let wb = all[0].as_ref().unwrap();
    let s = &wb.sheets[0];
    assert_eq!(s.name.as_deref(), Some("Page 1"));
    // The title is `…ЕГЭ-2014…)&#10;&#48&#49 Русский язык` in the XML.
    let title = s.cell(0, 0).text();
    assert!(title.contains("ЕГЭ-2014"));
    assert!(title.ends_with(")\n01 Русский язык"));
    // `<Cell ss:Index="1" ss:MergeDown="2"><Data>Код</Data>` in the second row.
    assert_eq!(s.cell(1, 0), &Cell::Text("Код".into()));
    assert!(s.merges.contains(&(0, 0, 0, 15))); // ss:MergeAcross="15"
    assert!(s.merges.contains(&(1, 0, 3, 0))); // ss:MergeDown="2"
}
