//! A check of an `.ods` before calamine reads it: `content.xml` is walked once for the
//! grid its repeat counts imply.
//!
//! Why: `table:number-rows-repeated` and `table:number-columns-repeated` let 858 bytes
//! describe a million rows; calamine expands repeats of non-empty cells and rows into a
//! dense grid. The size calamine would build is computed here first (rows from the first
//! to the last non-empty one, with their repeats, times the widest row) and compared
//! with the budget; a part with a bad CRC or cut short is damaged.

use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::Meter;
use super::integrity::Tracked;

pub(crate) enum Problem {
    Damaged(String),
    TooLarge(String),
}

fn repeat(e: &BytesStart<'_>, key: &str) -> u64 {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .and_then(|a| a.value.trim().parse().ok())
        .unwrap_or(1)
}

/// A table being walked.
#[derive(Default)]
struct Table {
    /// Rows so far (with repeats) and the extent up to the last non-empty row.
    rows: u64,
    first: Option<u64>,
    last: u64,
    width: u64,
    /// Cells calamine keeps unrepeated (its row-by-row list).
    listed: u64,
}

impl Table {
    fn area(&self) -> u64 {
        match self.first {
            Some(f) => (self.last - f)
                .saturating_mul(self.width)
                .saturating_add(self.listed),
            None => 0,
        }
    }
}

/// Checks an `.ods` held in memory against the per-file cell budget; bytes inflated are
/// counted on `meter`.
pub(crate) fn check(bytes: &[u8], meter: &Meter, max_cells: u64) -> Result<(), Problem> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(()); // calamine says why
    };
    let Ok(part) = zip.by_name("content.xml") else {
        return Ok(());
    };
    let mut part = Tracked::new(part, meter);
    let mut xml = Vec::new();
    let read = part.read_to_end(&mut xml);
    if meter.is_exceeded() {
        return Ok(()); // the caller reports the budget
    }
    if let Some(why) = part.damage(b"document-content") {
        return Err(Problem::Damaged(why));
    }
    if let Err(e) = read {
        return Err(Problem::Damaged(e.to_string()));
    }
    let mut reader = Reader::from_reader(&xml[..]);
    let mut table = Table::default();
    let mut sheet = 0usize;
    // The current row: its repeat, column so far, end of its last non-empty cell.
    let (mut row_repeat, mut col, mut row_end) = (1u64, 0u64, 0u64);
    let mut cell: Option<u64> = None; // repeat of an open cell
    let mut cell_filled = false;
    let too_large = |sheet: usize, t: &Table| {
        Problem::TooLarge(format!(
            "лист № {sheet} с учётом повторов строк и столбцов (number-rows-repeated, \
             number-columns-repeated) занимает больше {max_cells} ячеек (около {}) — это \
             предел [limits] file_cells в файле настроек. Удалите лишние строки и столбцы \
             и пересохраните файл; если таблица действительно такая большая, увеличьте \
             предел",
            t.area()
        ))
    };
    loop {
        let ev = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => return Err(Problem::Damaged(format!("ошибка разметки: {e}"))),
        };
        let empty = matches!(ev, Event::Empty(_));
        match ev {
            Event::Eof => break,
            Event::Start(ref e) | Event::Empty(ref e) => match e.name().as_ref() {
                "table:table" => {
                    sheet += 1;
                    table = Table::default();
                }
                "table:table-row" => {
                    row_repeat = repeat(e, "table:number-rows-repeated");
                    (col, row_end) = (0, 0);
                    if empty {
                        table.rows = table.rows.saturating_add(row_repeat);
                    }
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    let n = repeat(e, "table:number-columns-repeated");
                    let valued = e
                        .attributes()
                        .flatten()
                        .any(|a| a.key.as_ref() == "office:value-type");
                    if empty {
                        col = col.saturating_add(n);
                        if valued {
                            row_end = col;
                        }
                    } else {
                        cell = Some(n);
                        cell_filled = valued;
                    }
                }
                // Any content inside a cell (a paragraph) may make it non-empty.
                _ if cell.is_some() => cell_filled = true,
                _ => {}
            },
            Event::Text(_) if cell.is_some() => cell_filled = true,
            Event::End(ref e) => match e.name().as_ref() {
                "table:table-cell" | "table:covered-table-cell" => {
                    let n = cell.take().unwrap_or(1);
                    col = col.saturating_add(n);
                    if cell_filled {
                        row_end = col;
                    }
                }
                "table:table-row" => {
                    let start = table.rows;
                    table.rows = table.rows.saturating_add(row_repeat);
                    if row_end > 0 {
                        table.first.get_or_insert(start);
                        table.last = table.rows;
                        table.width = table.width.max(row_end);
                        table.listed = table.listed.saturating_add(row_end);
                    }
                    if table.area() > max_cells {
                        return Err(too_large(sheet, &table));
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
    Ok(())
}
