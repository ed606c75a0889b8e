//! Tests of the xlsx scanner: it must read exactly what calamine reads, on hand-written
//! parts, on generated workbooks and on every xlsx of the repository and of realdata.

use std::io::Write;
use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::*;
use crate::read::sniff;
use crate::read::testutil::{meter, t};

/// The scanner under the default budgets: `None` when it leaves the workbook to calamine.
fn read(bytes: &[u8]) -> Option<Vec<Sheet>> {
    match super::read(bytes, &meter()) {
        Scanned::Sheets(s) => Some(s),
        Scanned::NotPlain => None,
        Scanned::Damaged(why) => panic!("damaged: {why}"),
    }
}

fn read_xlsx_calamine(
    label: &str,
    bytes: &[u8],
) -> Result<(Vec<Sheet>, Option<String>), crate::read::ReadError> {
    crate::read::xlsx::read_xlsx_calamine(label, bytes, &meter())
}

/// Both readers on one workbook: `Some(true)` when the scanner took it and agreed,
/// `Some(false)` when it left it to calamine; panics on any difference.
fn compare(label: &str, bytes: &[u8]) -> bool {
    let Some(fast) = read(bytes) else {
        return false;
    };
    let (slow, _) = read_xlsx_calamine(label, bytes)
        .unwrap_or_else(|e| panic!("{label}: scanner read a workbook calamine rejects: {e}"));
    assert_eq!(fast.len(), slow.len(), "{label}: sheet count");
    for (f, s) in fast.iter().zip(&slow) {
        assert_eq!(f.name, s.name, "{label}");
        assert_eq!(f.merges, s.merges, "{label}: merges of {:?}", f.name);
        assert_eq!(f.rows.len(), s.rows.len(), "{label}: rows of {:?}", f.name);
        for (r, (fr, sr)) in f.rows.iter().zip(&s.rows).enumerate() {
            assert_eq!(fr, sr, "{label}: sheet {:?}, row {}", f.name, r + 1);
        }
    }
    true
}

/// Every xlsx under `dir` (members of zip archives included): (taken, left to calamine).
fn compare_tree(dir: &Path) -> (usize, usize) {
    let mut counts = (0, 0);
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let bytes = std::fs::read(&p).unwrap();
            for (label, member) in xlsx_members(&p, bytes) {
                if compare(&label, &member) {
                    counts.0 += 1;
                } else {
                    counts.1 += 1;
                }
            }
        }
    }
    counts
}

fn xlsx_members(path: &Path, bytes: Vec<u8>) -> Vec<(String, Vec<u8>)> {
    let label = path.display().to_string();
    match sniff::sniff(&bytes) {
        sniff::Kind::Xlsx => vec![(label, bytes)],
        sniff::Kind::Zip => {
            let mut zip = zip::ZipArchive::new(Cursor::new(&bytes[..])).unwrap();
            let mut out = Vec::new();
            for i in 0..zip.len() {
                let mut m = zip.by_index(i).unwrap();
                let mut inner = Vec::new();
                m.read_to_end(&mut inner).unwrap();
                if sniff::sniff(&inner) == sniff::Kind::Xlsx {
                    out.push((format!("{label}/{}", m.name().unwrap()), inner));
                }
            }
            out
        }
        _ => Vec::new(),
    }
}

#[test]
fn agrees_with_calamine_on_the_repository_workbooks() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut taken = 0;
    for dir in ["examples", "fixtures"] {
        let (t, left) = compare_tree(&root.join(dir));
        eprintln!("{dir}: {t} workbooks scanned, {left} left to calamine");
        taken += t;
    }
    // The demo's ФИС ОКО-style exports are plain: the fast path must take them.
    assert!(
        taken >= 20,
        "only {taken} workbooks went through the scanner"
    );
}

#[test]
fn agrees_with_calamine_on_realdata() {
    let Some(dir) = crate::read::tests_realdata::realdata_root() else {
        return;
    };
    let (taken, left) = compare_tree(&dir);
    eprintln!("realdata: {taken} workbooks scanned, {left} left to calamine");
    // The ФИС ОКО exports there (Excel-written, shared strings) are plain.
    assert!(
        taken >= 5,
        "only {taken} realdata workbooks went through the scanner"
    );
}

/// An xlsx from hand-written parts: one sheet with the given `<sheetData>` and
/// shared strings.
fn workbook(sheet_data: &str, shared: &str) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let opts = zip::write::SimpleFileOptions::default();
    let mut part = |name: &str, body: &str| {
        zip.start_file(name, opts).unwrap();
        zip.write_all(body.as_bytes()).unwrap();
    };
    part(
        "[Content_Types].xml",
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#,
    );
    part(
        "_rels/.rels",
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    );
    part(
        "xl/workbook.xml",
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Лист &amp; 1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
    );
    part(
        "xl/_rels/workbook.xml.rels",
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
    );
    part(
        "xl/sharedStrings.xml",
        &format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{shared}</sst>"#
        ),
    );
    part(
        "xl/worksheets/sheet1.xml",
        &format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{sheet_data}</worksheet>"#
        ),
    );
    zip.finish().unwrap();
    out.into_inner()
}

const SHARED: &str = concat!(
    "<si><t>Код ОО</t></si>",
    "<si><t xml:space=\"preserve\"> с пробелом </t></si>",
    "<si><r><rPr><b/></rPr><t>жир</t></r><r><t>ный</t></r><rPh><t>ふり</t></rPh></si>",
    "<si><t>СОШ &amp; «Лицей» &#1025;</t></si>",
    "<si><t>строка_x000D_\nвторая</t></si>",
    "<si><t/></si>",
    "<si><t>  обрезается  </t></si>",
);

#[test]
fn cells_of_every_kind_as_calamine_reads_them() {
    let data = concat!(
        "<sheetData>\n",
        "<row r=\"1\" spans=\"1:6\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>",
        "<c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"s\"><v>3</v></c><c r=\"E1\" t=\"s\"><v>4</v></c>",
        "<c r=\"F1\" t=\"s\"><v>5</v></c><c r=\"G1\" t=\"s\"><v>6</v></c></row>\n",
        "<row r=\"2\"><c r=\"A2\"><v>12.5</v></c><c r=\"B2\" s=\"3\"><v>1E-3</v></c>",
        "<c r=\"C2\" t=\"b\"><v>1</v></c><c r=\"D2\" t=\"e\"><v>#DIV/0!</v></c>",
        "<c r=\"E2\" t=\"str\"><f>A1&amp;\"x\"</f><v>a &lt; b_x000A_</v></c>",
        "<c r=\"F2\" t=\"inlineStr\"><is><t>встроенная</t></is></c><c r=\"G2\" s=\"1\"/>",
        "<c r=\"H2\"><f>SUM(A2:B2)</f><v>12.501</v></c><c r=\"I2\" t=\"d\"><v>2024-05-01T00:00:00</v></c></row>\n",
        "<row r=\"4\"/>",
        "<row><c><v>1</v></c><c t=\"s\"><v>0</v></c><c s=\"2\"/><c><v>3</v></c></row>",
        "<row r=\"7\"><c r=\"C7\" t=\"n\"><v>-4</v></c><c><v>5</v></c></row>",
        "</sheetData><mergeCells count=\"1\"><mergeCell ref=\"A1:B1\"/></mergeCells>",
    );
    let bytes = workbook(data, SHARED);
    let sheets = read(&bytes).expect("plain shape");
    assert!(compare("cells", &bytes));
    let s = &sheets[0];
    assert_eq!(s.name.as_deref(), Some("Лист & 1"));
    // Row 1: the shared strings as calamine builds them.
    assert_eq!(s.cell(0, 0), &t("Код ОО"));
    assert_eq!(s.cell(0, 1), &t(" с пробелом "));
    assert_eq!(s.cell(0, 2), &t("жирный"));
    assert_eq!(s.cell(0, 3), &t("СОШ & «Лицей» Ё"));
    assert_eq!(s.cell(0, 4), &t("строка\r\nвторая"));
    assert_eq!(s.cell(0, 5), &Cell::Empty);
    assert_eq!(s.cell(0, 6), &t("обрезается"));
    // Row 2: the cell types.
    assert_eq!(s.cell(1, 0), &Cell::Number(12.5));
    assert_eq!(s.cell(1, 1), &Cell::Number(0.001));
    assert_eq!(s.cell(1, 2), &t("ИСТИНА"));
    assert_eq!(s.cell(1, 3), &t("#DIV/0!"));
    assert_eq!(s.cell(1, 4), &t("a < b\n"));
    assert_eq!(s.cell(1, 5), &t("встроенная"));
    assert_eq!(s.cell(1, 7), &Cell::Number(12.501));
    assert_eq!(s.cell(1, 8), &t("2024-05-01T00:00:00"));
    // `<row r="4"/>` then a row without `r`: it is row 5; its cells without `r`
    // take columns 1, 2, (styled blank), 4.
    assert!(s.rows[3].is_empty());
    assert_eq!(
        s.rows[4],
        vec![
            Cell::Number(1.0),
            t("Код ОО"),
            Cell::Empty,
            Cell::Number(3.0)
        ]
    );
    // A cell without `r` follows the previous cell's column.
    assert_eq!(
        s.rows[6],
        vec![
            Cell::Empty,
            Cell::Empty,
            Cell::Number(-4.0),
            Cell::Number(5.0)
        ]
    );
    assert_eq!(s.merges, vec![(0, 0, 0, 1)]);
}

#[test]
fn unusual_shapes_are_left_to_calamine() {
    let prefixed =
        "<x:sheetData><x:row r=\"1\"><x:c r=\"A1\"><x:v>1</x:v></x:c></x:row></x:sheetData>";
    let hex = "<sheetData><row r=\"1\"><c r=\"A1\"><v>0x1F</v></c></row></sheetData>";
    let unknown_type = "<sheetData><row r=\"1\"><c r=\"A1\" t=\"z\"><v>1</v></c></row></sheetData>";
    let missing_string =
        "<sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>99</v></c></row></sheetData>";
    for data in [prefixed, hex, unknown_type, missing_string] {
        assert!(read(&workbook(data, SHARED)).is_none(), "{data}");
    }
    // The public reader still reads the prefixed sheet, through calamine.
    let (sheets, _) =
        crate::read::xlsx::read_xlsx("x", &workbook(prefixed, SHARED), &meter()).unwrap();
    assert_eq!(sheets[0].cell(0, 0), &Cell::Number(1.0));
}

#[test]
fn rows_split_across_chunks() {
    // 7-byte chunks cut every element somewhere; the result must not change.
    let mut data = String::from("<sheetData>");
    for r in 1..=40 {
        data.push_str(&format!(
            "<row r=\"{r}\"><c r=\"A{r}\" t=\"s\"><v>{}</v></c><c r=\"B{r}\"><v>{r}.5</v></c></row>",
            r % 7
        ));
    }
    data.push_str("</sheetData><mergeCells><mergeCell ref=\"A1:A2\"/></mergeCells>");
    let bytes = workbook(&data, SHARED);
    let mut zip = zip::ZipArchive::new(Cursor::new(&bytes[..])).unwrap();
    let strings = shared_strings(&mut zip, &meter()).unwrap().unwrap();
    let whole = {
        let part = zip.by_name("xl/worksheets/sheet1.xml").unwrap();
        scan_part(part, &strings, CHUNK, &meter()).unwrap()
    };
    let part = zip.by_name("xl/worksheets/sheet1.xml").unwrap();
    let trickled = scan_part(part, &strings, 7, &meter()).unwrap();
    assert_eq!(whole, trickled);
    assert_eq!(whole.0.len(), 40);
    assert_eq!(whole.0[39][1], Cell::Number(40.5));
    assert_eq!(whole.1, vec![(0, 0, 1, 0)]);
    assert!(compare("chunks", &bytes));
}

#[test]
fn ooxml_escapes() {
    assert_eq!(unescape_ooxml("a_x000D_b"), "a\rb");
    assert_eq!(unescape_ooxml("_xD83D__xDCF7_"), "📷");
    assert_eq!(unescape_ooxml("_xD83D_x"), "\u{fffd}x");
    assert_eq!(unescape_ooxml("_x005F_x000D_"), "_x000D_");
    assert_eq!(unescape_ooxml("нет_x12"), "нет_x12");
}

/// A cell value for the property test: what analysts' files hold.
fn any_cell() -> impl Strategy<Value = Option<Result<f64, String>>> {
    prop_oneof![
        2 => Just(None),
        3 => (-1e6f64..1e6).prop_map(|x| Some(Ok(x))),
        1 => (0u32..100).prop_map(|x| Some(Ok(f64::from(x)))),
        4 => "[ А-Яа-яЁё0-9&<>\"'_x\\n№«»-]{0,12}".prop_map(|s| Some(Err(s))),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// Whatever rust_xlsxwriter writes (shared or inline strings), both readers agree.
    #[test]
    fn agrees_with_calamine_on_written_workbooks(
        grid in proptest::collection::vec(proptest::collection::vec(any_cell(), 0..8), 0..12),
        inline in any::<bool>(),
    ) {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = if inline {
            wb.add_worksheet_with_constant_memory().unwrap()
        } else {
            wb.add_worksheet()
        };
        for (r, row) in grid.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                match cell {
                    Some(Ok(x)) => { ws.write_number(r as u32, c as u16, *x).unwrap(); }
                    Some(Err(s)) => { ws.write_string(r as u32, c as u16, s).unwrap(); }
                    None => {}
                }
            }
        }
        let bytes = wb.save_to_buffer().unwrap();
        prop_assert!(compare("written", &bytes));
    }
}

#[test]
fn plain_cells_take_only_the_common_shape() {
    let strings: Vec<Arc<str>> = vec!["Код ОО".into(), "".into()];
    let plain = |x: &str| plain_cell(x.as_bytes(), 0, &strings);
    // Taken: row and column from `r`, the value by type, the offset after `</c>`.
    let e = r#"<c r="B7" s="3" t="s"><v>0</v></c>"#;
    assert_eq!(plain(e), Some((6, 1, t("Код ОО"), e.len())));
    let e = r#"<c r="AB12"><v>-1.5E2</v></c><c r="AC12">"#;
    assert_eq!(plain(e), Some((11, 27, Cell::Number(-150.0), 29)));
    assert_eq!(
        plain(r#"<c r="A1" t="n"><v>3</v></c>"#).unwrap().2,
        Cell::Number(3.0)
    );
    assert_eq!(
        plain(r#"<c r="A1" t="s"><v>1</v></c>"#).unwrap().2,
        Cell::Empty
    );
    assert_eq!(
        plain(r#"<c r="A1" t="s"><v></v></c>"#).unwrap().2,
        Cell::Empty
    );
    assert_eq!(plain(r#"<c r="C3" s="1"/>"#), Some((2, 2, Cell::Empty, 17)));
    // Left to the general reader: every other shape, and anything it would refuse.
    for other in [
        r#"<c><v>1</v></c>"#,                                    // no `r`
        r#"<c r="A1"  t="s"><v>0</v></c>"#,                      // two spaces
        r#"<c r='A1'><v>1</v></c>"#,                             // single quotes
        r#"<c r="A1" t="str"><v>x</v></c>"#,                     // another type
        r#"<c r="A1" cm="1"><v>1</v></c>"#,                      // a longer attribute name
        r#"<c r="A1" s="1>2"><v>1</v></c>"#,                     // `>` inside a value
        r#"<c r="A1"><f>B1</f><v>1</v></c>"#,                    // a formula
        r#"<c r="A1"><v>1</v><f>B1</f></c>"#,                    // a child after the value
        r#"<c r="A1"><v> 1</v></c>"#,                            // not plain decimal
        r#"<c r="A1" t="s"><v>9</v></c>"#,                       // no such string
        r#"<c r="A1" t="s"><v>99999999999999999999999</v></c>"#, // overflow
        r#"<c r="1A"><v>1</v></c>"#,                             // not a reference
        r#"<c r="A1"><v>1</v></c"#,                              // cut
    ] {
        assert_eq!(plain(other), None, "{other}");
    }
    // And where both readers take a cell, the workbook reads as calamine reads it.
    let data = concat!(
        "<sheetData><row r=\"1\"><c r=\"A1\" s=\"3\" t=\"s\"><v>0</v></c>",
        "<c r=\"B1\" t=\"n\"><v>2.25</v></c><c r=\"C1\" s=\"1\"/><c r=\"D1\"><v>1E-3</v></c>",
        "<c r=\"E1\"  t=\"s\"><v>1</v></c></row></sheetData>",
    );
    assert!(compare("plain", &workbook(data, SHARED)));
}

#[test]
fn whole_numbers_and_string_indices_read_as_the_float_parser_reads_them() {
    let strings: Vec<Arc<str>> = vec!["ноль".into(), "один".into()];
    let num = |raw: &[u8]| typed_value(&strings, raw, None);
    assert_eq!(num(b"13"), Some(Cell::Number(13.0)));
    assert_eq!(num(b"0012"), Some(Cell::Number(12.0)));
    assert_eq!(num(b"0"), Some(Cell::Number(0.0)));
    // 15 digits by the fast path, 16 and more by the parser: both exact here.
    assert_eq!(
        num(b"999999999999999"),
        Some(Cell::Number(999_999_999_999_999.0))
    );
    assert_eq!(
        num(b"12345678901234567"),
        Some(Cell::Number(12_345_678_901_234_567.0))
    );
    assert_eq!(num(b"-5"), Some(Cell::Number(-5.0)));
    assert_eq!(num(b"2.5"), Some(Cell::Number(2.5)));
    assert_eq!(num(b"1E3"), Some(Cell::Number(1000.0)));
    assert_eq!(num(b"1 3"), None);
    let s = |raw: &[u8]| typed_value(&strings, raw, Some(b"s"));
    assert_eq!(s(b"1"), Some(Cell::Text("один".into())));
    assert_eq!(s(b"01"), Some(Cell::Text("один".into())));
    assert_eq!(s(b"2"), None);
    assert_eq!(s(b"-1"), None);
    assert_eq!(s(b"99999999999999999999999"), None);
    // Any digits read the same by both ways (the parser being the reference).
    proptest!(|(n in 0u64..10_000_000_000_000_000)| {
        let raw = n.to_string();
        prop_assert_eq!(num(raw.as_bytes()), Some(Cell::Number(raw.parse::<f64>().unwrap())));
    });
}
