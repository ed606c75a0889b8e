//! `shnor identify fixtures/handworked` end to end: `schools.csv` must carry the numbers
//! worked out by hand in `fixtures/handworked/README.md` (table «Итоговая таблица»).

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::Path;

/// README §7: id, ОИП 2023/2024/2025, ИСБ, ШНОР, ШНСУ, зона риска, резильентная.
#[allow(clippy::type_complexity)]
pub(crate) const EXPECTED: [(&str, [Option<f64>; 3], f64, [bool; 4]); 8] = [
    (
        "101",
        [Some(28.0), Some(28.0), Some(29.0)],
        56.0,
        [false, true, false, true],
    ),
    (
        "102",
        [Some(21.0), Some(7.0), Some(8.0)],
        70.0,
        [true, false, false, false],
    ),
    (
        "103",
        [Some(21.0), Some(21.0), Some(21.0)],
        72.0,
        [false, false, true, false],
    ),
    (
        "104",
        [Some(14.0), Some(28.0), Some(26.0)],
        74.0,
        [false, false, false, false],
    ),
    (
        "201",
        [Some(21.0), Some(21.0), Some(21.0)],
        76.0,
        [true, false, false, false],
    ),
    (
        "202",
        [Some(21.0), Some(21.0), Some(21.0)],
        58.0,
        [false, true, false, false],
    ),
    (
        "203",
        [None, None, Some(19.0)],
        78.0,
        [false, false, false, false],
    ),
    (
        "204",
        [Some(21.0), Some(21.0), Some(21.0)],
        80.0,
        [false, false, false, false],
    ),
];

/// schools.csv as id → (column → value), whatever the delimiter and decimal separator.
fn read_schools(path: &Path) -> BTreeMap<String, BTreeMap<String, String>> {
    let text = std::fs::read_to_string(path).expect("schools.csv");
    let text = text.trim_start_matches('\u{feff}');
    let first = text.lines().next().unwrap_or_default();
    let delimiter = if first.contains(';') { b';' } else { b',' };
    let mut rd = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let head: Vec<String> = rd
        .headers()
        .unwrap()
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    assert!(head.iter().any(|h| h == "id"), "нет столбца id: {head:?}");
    rd.records()
        .map(|r| {
            let r = r.unwrap();
            let row: BTreeMap<String, String> = head
                .iter()
                .cloned()
                .zip(r.iter().map(|v| v.trim().to_string()))
                .collect();
            (row["id"].clone(), row)
        })
        .collect()
}

fn number(v: &str) -> Option<f64> {
    let v = v.replace(',', ".").replace(['\u{a0}', ' '], "");
    if v.is_empty() || v == "—" || v == "-" {
        None
    } else {
        Some(v.parse().unwrap_or_else(|_| panic!("не число: {v}")))
    }
}

fn flag(v: &str) -> bool {
    let v = v.trim().to_lowercase();
    !(v.is_empty() || ["0", "false", "нет", "-", "—"].contains(&v.as_str()))
}

#[test]
fn identify_reproduces_the_hand_worked_table() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/handworked");
    Command::cargo_bin("shnor")
        .unwrap()
        .arg("identify")
        .arg(&fixture)
        .arg("--out")
        .arg(dir.path())
        .assert()
        .code(0);
    let rows = read_schools(&dir.path().join("schools.csv"));
    assert_eq!(rows.len(), EXPECTED.len(), "{:?}", rows.keys());
    for (id, oip, isb, flags) in EXPECTED {
        let row = rows.get(id).unwrap_or_else(|| panic!("нет школы {id}"));
        for (year, want) in [2023, 2024, 2025].into_iter().zip(oip) {
            let got = number(&row[&format!("oip_{year}")]);
            match (got, want) {
                (Some(g), Some(w)) => assert!((g - w).abs() < 0.01, "{id} ОИП {year}: {g} ≠ {w}"),
                (g, w) => assert_eq!(g, w, "{id} ОИП {year}"),
            }
        }
        let got = number(&row["isb"]).unwrap();
        assert!((got - isb).abs() < 0.01, "{id} ИСБ: {got} ≠ {isb}");
        let got =
            ["flag_shnor", "flag_shnsu", "flag_risk", "flag_resilient"].map(|c| flag(&row[c]));
        assert_eq!(got, flags, "{id}: ШНОР, ШНСУ, зона риска, резильентная");
    }
}
