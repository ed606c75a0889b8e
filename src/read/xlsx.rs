//! Excel and OpenDocument workbooks via calamine: xlsx/xlsm streamed cell by cell
//! (bounded memory, no trust in the declared `<dimension>`), BIFF `.xls` and `.ods`
//! through calamine's ranges (those formats are small by construction).
//!
//! Rows keep Excel's numbering: row 0 is Excel's row 1, empty rows stay in place, and
//! trailing empty cells of each row are dropped.

use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use calamine::{Data, DataRef, Dimensions, Ods, Reader, Xls, Xlsx};

use super::integrity::Tracked;
use super::xlsx_scan::Scanned;
use super::{Cell, Meter, ReadError, Sheet, guard, put};

type Sheets = (Vec<Sheet>, Option<String>);

/// Reads an xlsx/xlsm workbook held in memory, every sheet in workbook order: by the
/// byte scanner when the workbook has the plain shape it reads, else by calamine.
/// `SHNOR_XLSX_READER=calamine` skips the scanner for a run.
pub(crate) fn read_xlsx(name: &str, bytes: &[u8], meter: &Meter) -> Result<Sheets, ReadError> {
    if !calamine_forced(std::env::var_os(READER_VAR).as_deref()) {
        let mark = meter.mark();
        // A panic in the scanner on a broken file is no verdict: calamine then decides.
        let scanned = catch_unwind(AssertUnwindSafe(|| super::xlsx_scan::read(bytes, meter)));
        match scanned {
            Ok(Scanned::Sheets(sheets)) => return Ok((sheets, None)),
            Ok(Scanned::Damaged(detail)) => return Err(damaged(name, detail)),
            // Over a budget: calamine would only exceed it again.
            _ if meter.is_exceeded() => return Err(too_large(name, meter)),
            // What the scanner read is freed: calamine reads and counts the file afresh.
            _ => meter.rewind(&mark),
        }
    }
    read_xlsx_calamine(name, bytes, meter)
}

fn damaged(name: &str, detail: String) -> ReadError {
    ReadError::Damaged {
        path: name.to_string(),
        detail,
    }
}

fn too_large(name: &str, meter: &Meter) -> ReadError {
    ReadError::TooLarge {
        path: name.to_string(),
        detail: meter.exceeded().unwrap_or_default(),
    }
}

/// Reads every worksheet part to its end before calamine sees it: a part with a bad CRC
/// or cut short (no closing `</worksheet>`) would otherwise be read in part, silently.
fn check_parts(name: &str, bytes: &[u8], meter: &Meter) -> Result<(), ReadError> {
    let Ok(mut zip) = ::zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(()); // calamine says why
    };
    // The table of strings is inflated whole by calamine: counted first, like the sheets.
    if let Ok(strings) = zip.by_name("xl/sharedStrings.xml") {
        Tracked::new(strings, meter).drain();
        if meter.is_exceeded() {
            return Err(too_large(name, meter));
        }
    }
    let parts = super::xlsx_merges::sheet_parts(&mut zip);
    for (sheet, path) in parts {
        let Some(Ok(part)) = path.map(|p| zip.by_name(&p)) else {
            continue;
        };
        let root: &[u8] = if part.name().is_ok_and(|n| n.contains("chartsheets/")) {
            b"chartsheet"
        } else {
            b"worksheet"
        };
        let mut tracked = Tracked::new(part, meter);
        tracked.drain();
        if meter.is_exceeded() {
            return Err(too_large(name, meter));
        }
        if let Some(why) = tracked.damage(root) {
            return Err(damaged(name, format!("лист «{sheet}»: {why}")));
        }
    }
    Ok(())
}

/// The environment switch that sends every xlsx to calamine: when a workbook reads oddly,
/// one run tells a scanner bug from a problem of the file, without a rebuild.
const READER_VAR: &str = "SHNOR_XLSX_READER";

/// Whether the switch's value forces calamine: `calamine` does; unset or anything else
/// keeps the scanner first.
fn calamine_forced(value: Option<&std::ffi::OsStr>) -> bool {
    value.is_some_and(|v| v.eq_ignore_ascii_case("calamine"))
}

/// Reads an xlsx/xlsm workbook with calamine's streaming cell reader.
pub(crate) fn read_xlsx_calamine(
    name: &str,
    bytes: &[u8],
    meter: &Meter,
) -> Result<Sheets, ReadError> {
    check_parts(name, bytes, meter)?;
    guard(name, || {
        let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| corrupt(name, &e))?;
        let mut merges = super::xlsx_merges::scan(bytes);
        let mut sheets = Vec::new();
        for sheet_name in wb.sheet_names() {
            let mut rows: Vec<Vec<Cell>> = Vec::new();
            {
                let mut reader = wb
                    .worksheet_cells_reader(&sheet_name)
                    .map_err(|e| sheet_error(name, &sheet_name, &e))?;
                while let Some(c) = reader
                    .next_cell()
                    .map_err(|e| sheet_error(name, &sheet_name, &e))?
                {
                    let (r, col) = c.get_position();
                    let cell = from_data_ref(c.get_value());
                    // Styled blanks are skipped so phantom ranges allocate nothing.
                    if cell.is_empty() {
                        continue;
                    }
                    put(&mut rows, r as usize, col as usize, cell, meter).map_err(|detail| {
                        ReadError::Io {
                            path: name.to_string(),
                            detail: format!("лист «{sheet_name}»: {detail}"),
                        }
                    })?;
                }
            }
            let sheet_merges = merges.remove(&sheet_name).unwrap_or_default();
            sheets.push(finish(sheet_name, rows, sheet_merges));
        }
        Ok((sheets, None))
    })
}

/// Reads a legacy BIFF `.xls` workbook.
pub(crate) fn read_xls(name: &str, bytes: &[u8], meter: &Meter) -> Result<Sheets, ReadError> {
    // Declared sizes and a stream cut short are checked before calamine allocates.
    match super::xls_scan::check(bytes, meter.limits().file_cells) {
        Ok(()) => {}
        Err(super::xls_scan::Problem::Damaged(detail)) => return Err(damaged(name, detail)),
        Err(super::xls_scan::Problem::TooLarge(detail)) => {
            return Err(ReadError::TooLarge {
                path: name.to_string(),
                detail,
            });
        }
    }
    guard(name, || {
        let mut wb: Xls<_> =
            Xls::new(Cursor::new(bytes)).map_err(|e| ReadError::NotASpreadsheet {
                path: name.to_string(),
                detail: format!(
                    "файл в формате старого Office, но прочитать его как книгу Excel не \
                     удалось (возможно, это документ Word или книга защищена паролем — \
                     снимите пароль и пересохраните как xlsx): {e}"
                ),
            })?;
        let mut sheets = Vec::new();
        for sheet_name in wb.sheet_names() {
            let range = wb
                .worksheet_range(&sheet_name)
                .map_err(|e| sheet_error(name, &sheet_name, &e))?;
            let merges = wb
                .merge_cells_by_sheet_name(&sheet_name)
                .map(|dims| dims.iter().map(merge).collect())
                .unwrap_or_default();
            let rows = range_rows(&range, meter).map_err(|_| too_large(name, meter))?;
            sheets.push(finish(sheet_name, rows, merges));
        }
        Ok((sheets, None))
    })
}

/// Reads an OpenDocument spreadsheet.
pub(crate) fn read_ods(name: &str, bytes: &[u8], meter: &Meter) -> Result<Sheets, ReadError> {
    // Repeat counts are checked before calamine expands them.
    match super::ods_scan::check(bytes, meter, meter.limits().file_cells) {
        _ if meter.is_exceeded() => return Err(too_large(name, meter)),
        Ok(()) => {}
        Err(super::ods_scan::Problem::Damaged(detail)) => return Err(damaged(name, detail)),
        Err(super::ods_scan::Problem::TooLarge(detail)) => {
            return Err(ReadError::TooLarge {
                path: name.to_string(),
                detail,
            });
        }
    }
    guard(name, || {
        let mut wb: Ods<_> = Ods::new(Cursor::new(bytes)).map_err(|e| corrupt(name, &e))?;
        let mut sheets = Vec::new();
        for sheet_name in wb.sheet_names() {
            let range = wb
                .worksheet_range(&sheet_name)
                .map_err(|e| sheet_error(name, &sheet_name, &e))?;
            let rows = range_rows(&range, meter).map_err(|_| too_large(name, meter))?;
            sheets.push(finish(sheet_name, rows, Vec::new()));
        }
        Ok((sheets, None))
    })
}

fn corrupt(name: &str, e: &dyn std::fmt::Display) -> ReadError {
    ReadError::NotASpreadsheet {
        path: name.to_string(),
        detail: format!(
            "книга повреждена или имеет неверный формат ({e}); откройте её в Excel и \
             пересохраните"
        ),
    }
}

fn sheet_error(name: &str, sheet: &str, e: &dyn std::fmt::Display) -> ReadError {
    ReadError::Io {
        path: name.to_string(),
        detail: format!("лист «{sheet}» не читается ({e}); откройте книгу в Excel и пересохраните"),
    }
}

/// Drops trailing empty cells and rows, and names the sheet.
pub(super) fn finish(
    name: String,
    mut rows: Vec<Vec<Cell>>,
    merges: Vec<(usize, usize, usize, usize)>,
) -> Sheet {
    for row in &mut rows {
        while row.last().is_some_and(Cell::is_empty) {
            row.pop();
        }
    }
    while rows.last().is_some_and(Vec::is_empty) {
        rows.pop();
    }
    Sheet {
        name: Some(name),
        rows,
        merges,
    }
}

/// A calamine range as rows at absolute positions (a range may start below A1), each
/// row's cells counted on `meter` before they are allocated.
fn range_rows(range: &calamine::Range<Data>, meter: &Meter) -> Result<Vec<Vec<Cell>>, String> {
    let Some((r0, c0)) = range.start() else {
        return Ok(Vec::new());
    };
    meter.rows(r0 as u64 + range.height() as u64)?;
    let mut rows: Vec<Vec<Cell>> = Vec::with_capacity(r0 as usize + range.height());
    rows.resize_with(r0 as usize, Vec::new);
    for src in range.rows() {
        let width = c0 as usize + src.len();
        meter.cells(width as u64, rows.len(), width.saturating_sub(1))?;
        let mut row = vec![Cell::Empty; c0 as usize];
        row.extend(src.iter().map(from_data));
        rows.push(row);
    }
    Ok(rows)
}

fn merge(d: &Dimensions) -> (usize, usize, usize, usize) {
    (
        d.start.0 as usize,
        d.start.1 as usize,
        d.end.0 as usize,
        d.end.1 as usize,
    )
}

/// Excel values as cells: numbers stay numbers (dates as their serial), everything
/// else becomes the text Excel shows.
fn from_data(d: &Data) -> Cell {
    match d {
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(x) => Cell::Number(*x),
        Data::String(s) => text(s),
        Data::Bool(b) => bool_cell(*b),
        Data::DateTime(dt) => Cell::Number(dt.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => text(s),
        Data::Error(e) => Cell::Text(e.to_string().into()),
        Data::Empty => Cell::Empty,
    }
}

fn from_data_ref(d: &DataRef<'_>) -> Cell {
    match d {
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(x) => Cell::Number(*x),
        DataRef::String(s) => text(s),
        DataRef::SharedString(s) => text(s),
        DataRef::Bool(b) => bool_cell(*b),
        DataRef::DateTime(dt) => Cell::Number(dt.as_f64()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => text(s),
        DataRef::Error(e) => Cell::Text(e.to_string().into()),
        DataRef::Empty => Cell::Empty,
    }
}

fn text(s: &str) -> Cell {
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s.into())
    }
}

/// Excel shows booleans as ИСТИНА/ЛОЖЬ in a Russian locale.
pub(super) fn bool_cell(b: bool) -> Cell {
    Cell::Text(if b { "ИСТИНА" } else { "ЛОЖЬ" }.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{ReadError, read_file};

    #[test]
    fn xlsx_round_trip_two_sheets() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("книга.xlsx");
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("Математика").unwrap();
        ws.write_string(0, 0, "Код").unwrap();
        ws.write_string(0, 1, "Балл").unwrap();
        ws.write_string(1, 0, "001234").unwrap();
        ws.write_number(1, 1, 12.5).unwrap();
        // Row 3 (index 2) left blank; data resumes at Excel row 4.
        ws.write_number(3, 0, 7).unwrap();
        ws.write_string(3, 2, "#ошибка").unwrap();
        ws.merge_range(5, 0, 5, 3, "Итого", &rust_xlsxwriter::Format::new())
            .unwrap();
        let ws2 = wb.add_worksheet();
        ws2.set_name("Русский").unwrap();
        ws2.write_string(2, 1, "только B3").unwrap();
        wb.save(&path).unwrap();

        let book = read_file(&path).unwrap();
        assert_eq!(book.sheets.len(), 2);
        let s = &book.sheets[0];
        assert_eq!(s.name.as_deref(), Some("Математика"));
        assert_eq!(s.cell(0, 0), &Cell::Text("Код".into()));
        assert_eq!(s.cell(1, 0), &Cell::Text("001234".into()));
        assert_eq!(s.cell(1, 1), &Cell::Number(12.5));
        assert!(s.rows[2].is_empty());
        assert_eq!(s.cell(3, 0), &Cell::Number(7.0));
        assert_eq!(s.cell(3, 2), &Cell::Text("#ошибка".into()));
        assert_eq!(s.cell(5, 0), &Cell::Text("Итого".into()));
        // A6:D6 merged → (5,0)-(5,3); the spanned cells are blank and trimmed.
        assert_eq!(s.merges, vec![(5, 0, 5, 3)]);
        assert_eq!(s.rows[5].len(), 1);
        assert_eq!(s.rows.len(), 6);
        let s2 = &book.sheets[1];
        assert_eq!(s2.name.as_deref(), Some("Русский"));
        assert_eq!(s2.rows.len(), 3);
        assert_eq!(s2.cell(2, 1), &Cell::Text("только B3".into()));
        assert_eq!(s2.rows[2][0], Cell::Empty);
    }

    #[test]
    fn only_calamine_forces_calamine() {
        use std::ffi::OsStr;
        assert!(calamine_forced(Some(OsStr::new("calamine"))));
        assert!(calamine_forced(Some(OsStr::new("Calamine"))));
        assert!(!calamine_forced(None));
        assert!(!calamine_forced(Some(OsStr::new(""))));
        assert!(!calamine_forced(Some(OsStr::new("scanner"))));
    }

    #[test]
    fn corrupt_xlsx_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("битый.xlsx");
        let mut bytes = b"PK\x03\x04".to_vec();
        bytes.extend_from_slice(b"\x14\x00\x00\x00xl/workbook.xml garbage");
        std::fs::write(&path, &bytes).unwrap();
        match read_file(&path) {
            Err(ReadError::NotASpreadsheet { detail, .. }) | Err(ReadError::Io { detail, .. }) => {
                assert!(detail.contains("пересохраните"), "{detail}");
            }
            other => panic!("expected an error, got {other:?}"),
        }
    }

    #[test]
    fn renamed_files_are_sniffed() {
        let dir = tempfile::tempdir().unwrap();
        let png = dir.path().join("результаты.xlsx");
        std::fs::write(&png, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0").unwrap();
        assert!(matches!(
            read_file(&png),
            Err(ReadError::NotASpreadsheet { ref detail, .. }) if detail.contains("PNG")
        ));
        let pdf = dir.path().join("отчёт.xlsx");
        std::fs::write(&pdf, b"%PDF-1.4\n").unwrap();
        assert!(matches!(
            read_file(&pdf),
            Err(ReadError::NotASpreadsheet { ref detail, .. }) if detail.contains("PDF")
        ));
        let random = dir.path().join("данные.csv");
        let bytes: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        std::fs::write(&random, &bytes).unwrap();
        assert!(matches!(
            read_file(&random),
            Err(ReadError::NotASpreadsheet { .. })
        ));
        let empty = dir.path().join("пусто.csv");
        std::fs::write(&empty, b"").unwrap();
        assert!(matches!(read_file(&empty), Err(ReadError::Empty { .. })));
        // A CSV saved as .xlsx is still read as CSV.
        let csv = dir.path().join("на_самом_деле_csv.xlsx");
        std::fs::write(&csv, "Код;Балл\n1;5\n").unwrap();
        let wb = read_file(&csv).unwrap();
        assert_eq!(wb.sheets[0].cell(1, 1), &Cell::Text("5".into()));
        assert_eq!(wb.detected.as_deref(), Some("UTF-8, разделитель «;»"));
        let missing = dir.path().join("нет.xlsx");
        assert!(matches!(read_file(&missing), Err(ReadError::Io { .. })));
    }
}
