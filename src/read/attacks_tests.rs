//! Issue 13: hostile and damaged files give one clear rejection of that file — never a
//! crash, never memory out of proportion to the content, never a partial read.

use super::attack_files::*;
use super::testutil::meter;
use super::{Budget, Cell, Limits, Meter, ReadError, Workbook, read_each};

/// Every workbook read from `bytes` saved as `name`, under `limits`.
fn read_as(name: &str, bytes: &[u8], limits: Limits) -> Vec<Result<Workbook, ReadError>> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let mut out = Vec::new();
    read_each(&path, &Budget::new(limits), &mut |wb| out.push(wb));
    out
}

fn small(cells: u64) -> Limits {
    Limits {
        file_cells: cells,
        ..Limits::default()
    }
}

/// The one result, which must be a rejection of `variant` whose text holds every `words`.
#[track_caller]
fn rejected(all: &[Result<Workbook, ReadError>], too_large: bool, words: &[&str]) {
    assert_eq!(all.len(), 1, "{all:?}");
    let e = all[0]
        .as_ref()
        .err()
        .unwrap_or_else(|| panic!("read: {all:?}"));
    match (too_large, e) {
        (true, ReadError::TooLarge { .. }) | (false, ReadError::Damaged { .. }) => {}
        _ => panic!("wrong kind: {e:?}"),
    }
    let text = e.to_string();
    for w in words {
        assert!(text.contains(w), "«{w}» not in: {text}");
    }
}

#[track_caller]
fn cells_of(all: &[Result<Workbook, ReadError>]) -> Vec<Vec<Cell>> {
    assert_eq!(all.len(), 1);
    all[0].as_ref().unwrap().sheets[0].rows.clone()
}

#[test]
fn far_column_xlsx_hits_the_cell_budget() {
    // 2,000 rows × a cell in XFD = 2000 × 16,384 cells once rows are filled out.
    let far = xlsx_of(&sheet_xml(2000, true), false);
    rejected(
        &read_as("far.xlsx", &far, small(1_000_000)),
        true,
        &[
            "far.xlsx",
            "1000000 ячеек",
            "XFD",
            "Ctrl+End",
            "[limits] file_cells",
        ],
    );
    // calamine's path counts the same cells.
    let m = Meter::new(Box::leak(Box::new(Budget::new(small(1_000_000)))));
    assert!(super::xlsx::read_xlsx_calamine("far.xlsx", &far, &m).is_err());
    assert!(m.exceeded().unwrap().contains("XFD"));
    // Without the far cell the same rows read whole: 2000 rows of (code, 13).
    let rows = cells_of(&read_as(
        "near.xlsx",
        &xlsx_of(&sheet_xml(2000, false), false),
        small(1_000_000),
    ));
    assert_eq!(rows.len(), 2000);
    assert_eq!(rows[1999], vec![Cell::Number(2000.0), Cell::Number(13.0)]);
}

#[test]
fn far_column_spreadsheetml_hits_the_cell_budget() {
    let far = spreadsheetml(2000, true);
    rejected(
        &read_as("far.xml", far.as_bytes(), small(1_000_000)),
        true,
        &["far.xml", "XFD", "[limits] file_cells"],
    );
    let rows = cells_of(&read_as(
        "near.xml",
        spreadsheetml(2000, false).as_bytes(),
        small(1_000_000),
    ));
    assert_eq!(rows.len(), 2000);
}

#[test]
fn xls_declared_dimensions_never_drive_allocation() {
    let cells = [(0, 0, 1.0), (1, 1, 13.0)];
    // Declared 1,048,576 × 16,384: calamine would reserve 1.7·10^10 cells.
    let bomb = cfb(&biff(&cells, 1 << 20, 1 << 14), None);
    assert!(bomb.len() < 16 << 10);
    rejected(
        &read_as("dims.xls", &bomb, Limits::default()),
        false,
        &["dims.xls", "повреждён", "17179869184", "65 536 × 256"],
    );
    // The most a .xls may declare, 65,536 × 256 (some writers declare the whole sheet),
    // with two cells: read, whatever the cell budget (calamine only reserves it).
    let whole = cfb(&biff(&cells, 65_536, 256), None);
    let rows = cells_of(&read_as("whole.xls", &whole, small(1_000)));
    assert_eq!(rows[1][1], Cell::Number(13.0));
    // Honest dimensions: the two numbers where they were written.
    let fine = read_as("ok.xls", &cfb(&biff(&cells, 2, 2), None), Limits::default());
    let rows = cells_of(&fine);
    assert_eq!(rows[0][0], Cell::Number(1.0));
    assert_eq!(rows[1][1], Cell::Number(13.0));
    // Cells far apart make a dense grid of their bounding box: counted before calamine.
    let sparse = cfb(&biff(&[(0, 0, 1.0), (60000, 250, 2.0)], 60001, 251), None);
    rejected(
        &read_as("sparse.xls", &sparse, small(1_000_000)),
        true,
        &["[limits] file_cells"],
    );
}

#[test]
fn xls_cut_short_is_damaged() {
    let stream = biff(&[(0, 0, 1.0), (1, 0, 2.0), (2, 0, 3.0)], 3, 1);
    // The stream ends inside the sheet (the last NUMBER and EOF records are gone).
    let cut = cfb(&stream, Some(stream.len() - 10));
    rejected(
        &read_as("cut.xls", &cut, Limits::default()),
        false,
        &["cut.xls", "повреждён", "обрывается"],
    );
    // The file itself cut: sectors the directory points at are missing.
    let whole = cfb(&stream, None);
    let short = &whole[..whole.len() - 2048];
    rejected(
        &read_as("short.xls", short, Limits::default()),
        false,
        &["повреждён"],
    );
}

/// A FORMULA record at A3 whose value is 5 and whose formula is `tokens`, declared `cce`
/// bytes long.
fn formula(cce: u16, tokens: &[u8]) -> (u16, Vec<u8>) {
    let mut d = Vec::new();
    d.extend_from_slice(&2u16.to_le_bytes()); // row 3
    d.extend_from_slice(&0u16.to_le_bytes()); // column A
    d.extend_from_slice(&0u16.to_le_bytes()); // format
    d.extend_from_slice(&5f64.to_le_bytes()); // cached value
    d.extend_from_slice(&[0; 6]); // flags, chn
    d.extend_from_slice(&cce.to_le_bytes());
    d.extend_from_slice(tokens);
    (0x0006, d)
}

/// A LBL record (BIFF8) named «Обл» whose formula is `tokens`, declared `cce` bytes long.
fn defined_name(cce: u16, tokens: &[u8]) -> (u16, Vec<u8>) {
    let mut d = vec![0, 0, 0, 3]; // flags, shortcut, name length 3
    d.extend_from_slice(&cce.to_le_bytes());
    d.extend_from_slice(&[0; 8]); // reserved, sheet index, text lengths
    d.extend_from_slice(&[0, b'O', b'b', b'l']); // compressed name
    d.extend_from_slice(tokens);
    (0x0018, d)
}

#[test]
fn xls_records_calamine_would_slice_past_their_end_are_damage() {
    let cells = [(0, 0, 1.0), (1, 0, 13.0)];
    let read = |globals: &[(u16, Vec<u8>)], sheet: &[(u16, Vec<u8>)]| {
        let bytes = cfb(&biff_with(&cells, 3, 1, globals, sheet), None);
        read_as("f.xls", &bytes, Limits::default())
    };
    // A formula of 3 bytes (PtgInt 7) declared as 3 and as 300.
    let fine = cells_of(&read(&[], &[formula(3, &[0x1E, 7, 0])]));
    assert_eq!(fine[2][0], Cell::Number(5.0));
    assert_eq!(fine[1][0], Cell::Number(13.0));
    rejected(
        &read(&[], &[formula(300, &[0x1E, 7, 0])]),
        false,
        &[
            "f.xls",
            "повреждён",
            "формулы",
            "строка 3, столбец 1",
            "300 байт",
        ],
    );
    // A record too short to hold the formula's length at all.
    let (t, mut short) = formula(0, &[]);
    short.truncate(21);
    rejected(&read(&[], &[(t, short)]), false, &["минимум 22"]);
    // Tokens inside a formula of the right length (seed 1, input 75807). Whole: a string
    // "ab" (PtgStr, 1 + 1 + 2 bytes), PtgRefErr (BIFF8: 4 bytes), a binary op; an unknown
    // token calamine stops at, with bytes after it. Cut: PtgRefErr with 2 of its 4 bytes.
    let whole = [0x17, 2, 0, b'a', b'b', 0x2A, 0, 0, 0, 0, 0x03];
    let fine = cells_of(&read(&[], &[formula(11, &whole)]));
    assert_eq!(fine[1][0], Cell::Number(13.0));
    let fine = cells_of(&read(&[], &[formula(3, &[0xFF, 0x2A, 0])]));
    assert_eq!(fine[1][0], Cell::Number(13.0));
    rejected(
        &read(&[], &[formula(8, &[0x17, 2, 0, b'a', b'b', 0x2A, 0, 0])]),
        false,
        &[
            "f.xls",
            "повреждён",
            "формулы",
            "0x2A занимает 4 байт",
            "их 2",
        ],
    );
    // A defined name: PtgRef3d (BIFF8: 7 bytes) whole; declared longer than the record;
    // cut after 4 of its 7 bytes.
    let ref3d = [0x3a, 0, 0, 0, 0, 0, 0];
    let fine = cells_of(&read(&[defined_name(7, &ref3d)], &[]));
    assert_eq!(fine[1][0], Cell::Number(13.0));
    rejected(
        &read(&[defined_name(700, &ref3d)], &[]),
        false,
        &["f.xls", "повреждён", "имени диапазона", "700 байт"],
    );
    rejected(
        &read(&[defined_name(4, &ref3d[..4])], &[]),
        false,
        &["имени диапазона", "7 байт", "записано 4"],
    );
    // Merged ranges: one range whole (A1:B1) reads; a count of 65,535 ranges in a record of
    // one; a record too short for the count.
    let merge = |count: u16, ranges: &[[u16; 4]]| {
        let mut d = count.to_le_bytes().to_vec();
        for r in ranges {
            d.extend(r.iter().flat_map(|v| v.to_le_bytes()));
        }
        (0x00E5u16, d)
    };
    let fine = cells_of(&read(&[], &[merge(1, &[[0, 0, 0, 1]])]));
    assert_eq!(fine[1][0], Cell::Number(13.0));
    rejected(
        &read(&[], &[merge(65535, &[[0, 0, 0, 1]])]),
        false,
        &[
            "f.xls",
            "повреждён",
            "объединённых ячеек в листе № 1",
            "65535 (524282 байт)",
            "10 байт",
        ],
    );
    rejected(&read(&[], &[(0x00E5, vec![1])]), false, &["минимум 2"]);
    // A sheet said to start beyond the end of the workbook stream.
    let mut stream = biff_with(&cells, 3, 1, &[], &[]);
    let at = stream
        .windows(4)
        .position(|w| w == [0x85, 0, 14, 0])
        .unwrap()
        + 4;
    stream[at..at + 4].copy_from_slice(&9_000_000u32.to_le_bytes());
    rejected(
        &read_as("f.xls", &cfb(&stream, None), Limits::default()),
        false,
        &["f.xls", "повреждён", "листе № 1", "9000000"],
    );
}

#[test]
fn zip_members_are_read_one_at_a_time_under_budgets() {
    // 4 MB of CSV deflates to a few KB.
    let big = csv_lines(200_000);
    let archive = zip_of(
        &[
            ("big.csv", &big),
            ("ok.csv", "Код;Участников\n101;13\n".as_bytes()),
        ],
        false,
    );
    assert!(archive.len() < 64 << 10);
    let bytes_limit = Limits {
        file_megabytes: 1,
        ..Limits::default()
    };
    let all = read_as("a.zip", &archive, bytes_limit);
    assert_eq!(all.len(), 2);
    rejected(
        &all[..1],
        true,
        &["a.zip/big.csv", "1 МБ", "[limits] file_megabytes"],
    );
    // The next member is read all the same.
    let ok = all[1].as_ref().unwrap();
    assert_eq!(ok.sheets[0].cell(1, 1), &Cell::Text("13".into()));
    // Under the byte budget, the cell budget stops the parse: 2·10^6 fields > 10^6.
    let all = read_as("a.zip", &archive, small(1_000_000));
    rejected(&all[..1], true, &["a.zip/big.csv", "[limits] file_cells"]);
    assert!(all[1].is_ok());
}

/// A zip bomb whose every member stays under the per-file budgets: the archive as a
/// whole is measured against its size on disk.
#[test]
fn an_archive_unpacking_past_the_ratio_is_one_rejection_and_the_rest_unread() {
    // 20 + 200,000 × 20 = 4,000,020 bytes of CSV per member, deflated to a few KB.
    let big = csv_lines(200_000);
    let inner = zip_of(&[("a.csv", &big), ("b.csv", &big)], false);
    let ok = "Код;Участников\n101;13\n".as_bytes();
    let outer = zip_of(
        &[("1.zip", &inner), ("2.zip", &inner), ("ok.csv", ok)],
        false,
    );
    assert!(outer.len() < 100 << 10, "{}", outer.len());
    // Room: max(1 MB, 10 × under 100 KB) = 1 MB; 1.zip declares 2 × 4,000,020 bytes.
    let ratio = Limits {
        unpack_ratio: 10,
        unpack_ratio_from_megabytes: 1,
        ..Limits::default()
    };
    rejected(
        &read_as("bomb.zip", &outer, ratio.clone()),
        true,
        &[
            "bomb.zip/1.zip",
            "больше чем в 10 раз",
            "больше 1 МБ",
            "[limits] unpack_ratio",
            "zip-бомбы",
            "следующие файлы тоже не читались",
        ],
    );
    // Under the default floor (100 MB; 16 MB here) every member is read: 2 × 2 + 1.
    let all = read_as("bomb.zip", &outer, Limits::default());
    assert_eq!(all.len(), 5);
    assert!(all.iter().all(Result::is_ok), "{all:?}");
    // An xlsx declares no sizes worth trusting: its sheet is counted as it inflates.
    // 200,000 rows of ~60 bytes of XML from an xlsx of well under 6 MB: over 12 MB, past
    // max(1 MB, 2 × its size).
    let xlsx = xlsx_of(&sheet_xml(200_000, false), false);
    assert!(xlsx.len() < 6 << 20, "{}", xlsx.len());
    let two = Limits {
        unpack_ratio: 2,
        ..ratio
    };
    rejected(
        &read_as("many.xlsx", &xlsx, two),
        true,
        &["many.xlsx", "больше чем в 2 раз", "[limits] unpack_ratio"],
    );
    assert_eq!(
        cells_of(&read_as("many.xlsx", &xlsx, Limits::default())).len(),
        200_000
    );
}

#[test]
fn run_budget_spans_files() {
    let budget = Budget::new(Limits {
        run_cells: 30,
        ..Limits::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let mut results = Vec::new();
    for name in ["1.csv", "2.csv"] {
        let path = dir.path().join(name);
        // 10 rows × 2 cells each: the second file crosses 30.
        std::fs::write(&path, "Код;Балл\n".repeat(10)).unwrap();
        read_each(&path, &budget, &mut |wb| results.push(wb));
    }
    assert!(results[0].is_ok());
    rejected(&results[1..], true, &["2.csv", "[limits] run_cells"]);
}

#[test]
fn ods_repeats_are_refused_before_expansion() {
    // One filled cell repeated 16,384 times across, its row a million times down.
    let bomb = ods_of(
        r#"<table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>"#,
    );
    assert!(bomb.len() < 2048);
    rejected(
        &read_as("rep.ods", &bomb, Limits::default()),
        true,
        &["rep.ods", "number-rows-repeated", "[limits] file_cells"],
    );
    // Trailing empty repeats (as LibreOffice writes them) are no content.
    let table = format!(
        r#"{}{}<table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#,
        ods_row(101),
        ods_row(102)
    );
    let rows = cells_of(&read_as("ok.ods", &ods_of(&table), Limits::default()));
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1], vec![Cell::Number(102.0), Cell::Number(13.0)]);
}

#[test]
fn zip_member_with_a_bad_crc_is_damaged() {
    let mut archive = zip_of(
        &[("школа.csv", "Код;Участников\n101;13\n".as_bytes())],
        true,
    );
    let fine = read_as("a.zip", &archive, Limits::default());
    assert_eq!(
        fine[0].as_ref().unwrap().sheets[0].cell(1, 1),
        &Cell::Text("13".into())
    );
    corrupt_stored(&mut archive, "школа.csv", b"101;13", b"101;93");
    rejected(
        &read_as("a.zip", &archive, Limits::default()),
        false,
        &[
            "a.zip/школа.csv",
            "повреждён",
            "контрольная сумма (CRC) не сходится",
        ],
    );
}

#[test]
fn xlsx_part_with_a_bad_crc_is_damaged() {
    let mut book = xlsx_of(&sheet_xml(3, false), true);
    corrupt_stored(
        &mut book,
        "xl/worksheets/sheet1.xml",
        b"<v>13</v>",
        b"<v>93</v>",
    );
    rejected(
        &read_as("b.xlsx", &book, Limits::default()),
        false,
        &["b.xlsx", "повреждён", "Лист1"],
    );
    let m = meter();
    assert!(matches!(
        super::xlsx::read_xlsx_calamine("b.xlsx", &book, &m),
        Err(ReadError::Damaged { .. })
    ));
}

#[test]
fn xml_cut_at_a_row_boundary_is_damaged() {
    // SpreadsheetML: 10 rows, cut after the 5th `</Row>`.
    let full = spreadsheetml(10, false);
    let cut_at = full.match_indices("</Row>").nth(4).unwrap().0 + "</Row>".len();
    let cut = &full[..cut_at];
    assert_eq!(
        cells_of(&read_as("full.xml", full.as_bytes(), Limits::default())).len(),
        10
    );
    rejected(
        &read_as("cut.xml", cut.as_bytes(), Limits::default()),
        false,
        &["cut.xml", "повреждён", "обрывается"],
    );
    // xlsx: the sheet part cut after a `</row>`, zipped again with a valid CRC.
    let xml = sheet_xml(10, false);
    let cut_at = xml.match_indices("</row>").nth(4).unwrap().0 + "</row>".len();
    let book = xlsx_of(&xml[..cut_at], false);
    rejected(
        &read_as("cut.xlsx", &book, Limits::default()),
        false,
        &["cut.xlsx", "обрывается"],
    );
    let m = meter();
    assert!(matches!(
        super::xlsx::read_xlsx_calamine("cut.xlsx", &book, &m),
        Err(ReadError::Damaged { .. })
    ));
}

#[test]
fn a_panic_in_a_reader_is_a_rejection() {
    let r: Result<(), ReadError> = super::guard("x.xlsx", || panic!("boom"));
    assert!(matches!(r, Err(ReadError::Damaged { ref path, .. }) if path == "x.xlsx"));
}

/// Writes the attack files into `$SHNOR_ATTACKS/<attack>/` (one folder per attack) for
/// measuring a run: `for d in $SHNOR_ATTACKS/*; do /usr/bin/time -v shnor validate $d; done`.
#[test]
#[ignore = "writes files for a manual measurement"]
fn write_attack_files() {
    let root = std::path::PathBuf::from(std::env::var_os("SHNOR_ATTACKS").expect("SHNOR_ATTACKS"));
    let w = |dir: &str, name: &str, bytes: &[u8]| {
        let d = root.join(dir);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join(name), bytes).unwrap();
    };
    w(
        "1-far-xlsx",
        "far.xlsx",
        &xlsx_of(&sheet_xml(60_000, true), false),
    );
    w(
        "1-far-xml",
        "far.xml",
        spreadsheetml(20_000, true).as_bytes(),
    );
    w(
        "2-xls-dims",
        "dims.xls",
        &cfb(&biff(&[(0, 0, 1.0), (1, 1, 13.0)], 1 << 20, 1 << 14), None),
    );
    w(
        "3-zip-csv",
        "big.zip",
        &zip_of(&[("big.csv", &csv_lines(40_000_000))], false),
    );
    let members: Vec<(String, Vec<u8>)> = (0..4)
        .map(|i| (format!("m{i}.csv"), csv_lines(10_000_000)))
        .collect();
    let refs: Vec<(&str, &[u8])> = members
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    w("3-zip-members", "many.zip", &zip_of(&refs, false));
    w(
        "4-ods-repeat",
        "rep.ods",
        &ods_of(
            r#"<table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>"#,
        ),
    );
    let mut crc = zip_of(
        &[("школа.csv", "Код;Участников\n101;13\n".as_bytes())],
        true,
    );
    corrupt_stored(&mut crc, "школа.csv", b"101;13", b"101;93");
    w("6-zip-crc", "crc.zip", &crc);
    let full = spreadsheetml(10, false);
    let cut_at = full.match_indices("</Row>").nth(4).unwrap().0 + 6;
    w("6-xml-cut", "cut.xml", &full.as_bytes()[..cut_at]);
}

/// A table of one shared string of 1,000,000 letters, and a sheet citing it in A1 (with 13
/// in B1) written plain (read by the scanner) and with prefixed elements (left to calamine).
fn long_string_parts() -> (String, String, String) {
    let long = "а".repeat(1_000_000);
    let sst = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>{long}</t></si></sst>"#
    );
    let ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    let plain = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{ns}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>13</v></c></row></sheetData></worksheet>"#
    );
    let prefixed = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="{ns}"><x:sheetData><x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1"><x:v>13</x:v></x:c></x:row></x:sheetData></x:worksheet>"#
    );
    (sst, plain, prefixed)
}

#[test]
fn a_table_of_strings_counts_against_the_unpacking_ratio() {
    // One shared string of 1,000,000 letters (2 MB of XML) in an xlsx of a few KB, read by
    // the scanner (plain sheet) and by calamine (a prefixed sheet the scanner leaves).
    let (sst, plain, prefixed) = long_string_parts();
    let tight = Limits {
        unpack_ratio: 2,
        unpack_ratio_from_megabytes: 1,
        ..Limits::default()
    };
    for (sheet, how) in [(plain, "scanner"), (prefixed, "calamine")] {
        let xlsx = xlsx_with(&sheet, &[("xl/sharedStrings.xml", sst.as_bytes())], false);
        assert!(xlsx.len() < 256 << 10, "{how}: {}", xlsx.len());
        rejected(
            &read_as("s.xlsx", &xlsx, tight.clone()),
            true,
            &["s.xlsx", "больше чем в 2 раз", "[limits] unpack_ratio"],
        );
        let rows = cells_of(&read_as("s.xlsx", &xlsx, Limits::default()));
        assert_eq!(rows[0][1], Cell::Number(13.0), "{how}");
        assert!(
            matches!(&rows[0][0], Cell::Text(t) if t.chars().count() == 1_000_000),
            "{how}"
        );
    }
}

#[test]
fn a_workbook_the_scanner_leaves_to_calamine_is_counted_once() {
    // A prefixed sheet: the scanner reads the table of strings (2 MB of XML), then leaves
    // the workbook to calamine, which reads it again. Under a 3 MB ratio floor it fits
    // once (2,000,1xx bytes), not twice (over 4 MB): the scanner's count is forgotten.
    let (sst, _, prefixed) = long_string_parts();
    let xlsx = xlsx_with(
        &prefixed,
        &[("xl/sharedStrings.xml", sst.as_bytes())],
        false,
    );
    let once = Limits {
        unpack_ratio: 2,
        unpack_ratio_from_megabytes: 3,
        ..Limits::default()
    };
    let rows = cells_of(&read_as("s.xlsx", &xlsx, once));
    assert_eq!(rows[0][1], Cell::Number(13.0));
    // And the strings alone still count: under a 1 MB floor the file is refused.
    let under = Limits {
        unpack_ratio: 2,
        unpack_ratio_from_megabytes: 1,
        ..Limits::default()
    };
    rejected(
        &read_as("s.xlsx", &xlsx, under),
        true,
        &["s.xlsx", "[limits] unpack_ratio"],
    );
}
