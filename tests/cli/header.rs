//! Header structure (issue 9, item 2), bad input «a grade row under a merged parent»: a
//! contingent xlsx as exported, with «Год», «Код ОО», «Наименование ОО» merged down over two
//! header rows and «Количество обучающихся по классам» merged across eleven columns over the
//! grades «1»…«11» (numbers). The grade row is sub-headings, not column numbers: the file is
//! read as a contingent (not a registry) and retention — 10th grade of 2025 / 9th grade of
//! 2024 (docs/method.md) — comes out of the counts written here.

use crate::util::{root, shnor};
use rust_xlsxwriter::{Format, Workbook};
use std::collections::BTreeMap;
use std::path::Path;

/// Schools of fixtures/handworked (реестр.csv) with (grade 9 in 2024, grade 10 in 2025).
/// Grades 5–9 of 2025 are the fixture's own (контингент.csv).
const SCHOOLS: [(&str, &str, [u32; 5], u32, u32); 8] = [
    (
        "101",
        "МБОУ «Средняя школа №1»",
        [40, 40, 20, 15, 15],
        20,
        15,
    ),
    (
        "102",
        "МБОУ «Средняя школа №2»",
        [40, 40, 20, 15, 15],
        20,
        10,
    ),
    ("103", "МБОУ «Гимназия №3»", [40, 40, 20, 15, 15], 16, 16),
    (
        "104",
        "МБОУ «Средняя школа №4»",
        [40, 40, 20, 15, 15],
        25,
        20,
    ),
    ("201", "МКОУ «Берёзовская СОШ»", [20, 20, 15, 15, 10], 10, 8),
    ("202", "МКОУ «Липовская СОШ»", [20, 20, 15, 15, 10], 10, 6),
    ("203", "МКОУ «Дубровская ООШ»", [20, 20, 4, 4, 4], 4, 0),
    ("204", "МКОУ «Сосновская СОШ»", [20, 20, 15, 15, 10], 12, 9),
];

/// Pupils of grade `g` (1…11) of a school in a year: grades 1–4 and 11 are 10 everywhere,
/// 5–9 of 2025 as in the fixture, 9 of 2024 and 10 of 2025 from [`SCHOOLS`], the rest 10.
fn pupils(school: &(&str, &str, [u32; 5], u32, u32), year: u32, g: u32) -> u32 {
    let (_, _, five_to_nine, nine_2024, ten_2025) = *school;
    match (year, g) {
        (2025, 5..=9) => five_to_nine[(g - 5) as usize],
        (2024, 9) => nine_2024,
        (2025, 10) => ten_2025,
        _ => 10,
    }
}

fn write_contingent(path: &Path) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Контингент").unwrap();
    let head = Format::new().set_bold();
    // Row 0–1: «Год», «Код ОО», «Наименование ОО» merged down; the parent over columns 3–13.
    ws.merge_range(0, 0, 1, 0, "Год", &head).unwrap();
    ws.merge_range(0, 1, 1, 1, "Код ОО", &head).unwrap();
    ws.merge_range(0, 2, 1, 2, "Наименование ОО", &head)
        .unwrap();
    ws.merge_range(0, 3, 0, 13, "Количество обучающихся по классам", &head)
        .unwrap();
    for g in 1..=11u16 {
        ws.write_number(1, 2 + g, f64::from(g)).unwrap();
    }
    let mut r = 2u32;
    for year in [2024u32, 2025] {
        for s in &SCHOOLS {
            ws.write_number(r, 0, f64::from(year)).unwrap();
            ws.write_number(r, 1, s.0.parse::<f64>().unwrap()).unwrap();
            ws.write_string(r, 2, s.1).unwrap();
            for g in 1..=11u16 {
                ws.write_number(r, 2 + g, f64::from(pupils(s, year, u32::from(g))))
                    .unwrap();
            }
            r += 1;
        }
    }
    wb.save(path).unwrap();
}

fn number(v: &str) -> Option<f64> {
    let v = v.trim().replace(',', ".");
    if v.is_empty() || v == "—" || v == "-" {
        None
    } else {
        v.parse().ok()
    }
}

#[test]
fn grade_row_under_a_merged_parent_is_read_as_grades() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    std::fs::create_dir(&dir).unwrap();
    for e in std::fs::read_dir(root().join("fixtures/handworked")).unwrap() {
        let p = e.unwrap().path();
        if p.file_name().is_some_and(|n| n == "контингент.csv") {
            continue;
        }
        std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
    }
    write_contingent(&dir.join("контингент.xlsx"));

    let inspect = shnor()
        .arg("inspect")
        .arg(dir.join("контингент.xlsx"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&inspect.stdout).to_lowercase();
    assert!(text.contains("контингент"), "{text}");
    assert!(!text.contains("номера столбцов, пропущена"), "{text}");
    assert!(
        text.contains("«количество обучающихся по классам / 10» → 10 класс (grade_10)"),
        "{text}"
    );

    let out = tmp.path().join("out");
    let o = shnor()
        .env("SHNOR_TODAY", "2026-12-04")
        .arg("identify")
        .arg(&dir)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stderr}");

    let (head, rows) = crate::util::read_csv(&out.join("schools.csv"));
    let col = |name: &str| {
        head.iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("нет столбца {name}: {head:?}"))
    };
    let (id, retention) = (col("id"), col("retention"));
    let got: BTreeMap<&str, Option<f64>> = rows
        .iter()
        .map(|r| (r[id].as_str(), number(&r[retention])))
        .collect();
    // By hand: 101 — 15 / 20 = 0,75; 102 — 10 / 20 = 0,5; 103 — 16 / 16 = 1; 104 — 20 / 25
    // = 0,8; 201 — 8 / 10 = 0,8; 202 — 6 / 10 = 0,6; 204 — 9 / 12 = 0,75; 203 has no 10th
    // grade (0 pupils): no retention.
    let want = [
        ("101", Some(0.75)),
        ("102", Some(0.5)),
        ("103", Some(1.0)),
        ("104", Some(0.8)),
        ("201", Some(0.8)),
        ("202", Some(0.6)),
        ("203", None),
        ("204", Some(0.75)),
    ];
    for (school, w) in want {
        let g = got
            .get(school)
            .copied()
            .unwrap_or_else(|| panic!("нет школы {school}: {got:?}"));
        match (g, w) {
            (Some(g), Some(w)) => assert!((g - w).abs() < 1e-6, "{school}: {g} ≠ {w}"),
            (g, w) => assert_eq!(g, w, "{school}"),
        }
    }
}
