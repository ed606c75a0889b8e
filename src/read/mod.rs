//! Stage 1, read: bytes → sheets of cells. Knows nothing about schools.
//!
//! CSV/TSV (encoding and delimiter detected), xlsx/xls/ods via calamine.

use std::path::{Path, PathBuf};

/// One cell as read, before any interpretation.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            Cell::Number(_) => false,
        }
    }

    /// The cell as text the analyst would recognise (numbers without a trailing `.0`).
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Number(x) => {
                if x.fract() == 0.0 && x.abs() < 1e15 {
                    format!("{}", *x as i64)
                } else {
                    format!("{x}")
                }
            }
        }
    }
}

/// A grid of cells: one worksheet, or the whole of a CSV file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sheet {
    /// Worksheet name; `None` for CSV.
    pub name: Option<String>,
    /// Rows from the top of the sheet (row 0 is Excel's row 1); short rows are not padded.
    pub rows: Vec<Vec<Cell>>,
}

impl Sheet {
    pub fn cell(&self, row: usize, col: usize) -> &Cell {
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .unwrap_or(&Cell::Empty)
    }
}

/// What was read from one file.
#[derive(Clone, Debug, Default)]
pub struct Workbook {
    pub path: PathBuf,
    pub sheets: Vec<Sheet>,
    /// For CSV: the encoding and delimiter detected, e.g. «windows-1251, ;».
    pub detected: Option<String>,
}

/// Why a file could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{path}: файл пуст")]
    Empty { path: String },
    #[error("{path}: это не таблица (ожидаются xlsx, xls, ods, csv или tsv): {detail}")]
    NotASpreadsheet { path: String, detail: String },
    #[error("{path}: не удалось прочитать файл: {detail}")]
    Io { path: String, detail: String },
}

/// File extensions shnor reads.
pub const EXTENSIONS: [&str; 7] = ["xlsx", "xlsm", "xls", "ods", "csv", "tsv", "txt"];

/// Reads one file into sheets.
///
/// # Errors
/// [`ReadError`] when the file is empty, unreadable or not a spreadsheet.
pub fn read_file(path: &Path) -> Result<Workbook, ReadError> {
    let _ = path;
    todo!("read/: csv.rs and xlsx.rs")
}
