//! Stage 2, recognize: a sheet of cells → a table: where the header is, which column is
//! which canonical field, what kind of input it is, and the year / procedure the sheet is
//! about (from title rows, sheet name, file name). Knows nothing about methodology.
//! Every decision is recorded in `Table::notes` so `inspect` and `validate` can show it.

pub mod fields;

use crate::config::Config;
use crate::model::{Exam, InputKind, Stage, Year};
use crate::read::Sheet;
pub use fields::Field;

/// Year / procedure / stage the sheet is about, from everything around the table.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Meta {
    pub year: Option<Year>,
    pub exam: Option<Exam>,
    pub subject: Option<String>,
    pub grade: Option<u8>,
    pub stage: Option<Stage>,
}

/// One column mapped to a canonical field.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    /// 0-based column index in the sheet.
    pub index: usize,
    /// Heading as written (flattened when it spans several rows).
    pub heading: String,
    pub field: Field,
}

/// A recognized table inside a sheet.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub kind: InputKind,
    /// 0-based rows of the header block, first..=last.
    pub header_rows: (usize, usize),
    /// 0-based first data row.
    pub data_start: usize,
    pub columns: Vec<Column>,
    /// Headings that mapped to nothing (shown by `inspect`, never silently dropped data).
    pub unmapped: Vec<(usize, String)>,
    pub meta: Meta,
    /// Decisions made, in Russian, for `inspect` / `validate`.
    pub notes: Vec<String>,
}

impl Table {
    pub fn column(&self, field: Field) -> Option<&Column> {
        self.columns.iter().find(|c| c.field == field)
    }
}

/// Why a sheet was not recognized: what was found, and how to map it in the config.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct Unrecognized {
    pub message: String,
}

/// Finds the table in a sheet.
///
/// # Errors
/// [`Unrecognized`] with a Russian message listing the headings found and the config
/// section (`[[files]]`, `[columns]`) that would fix it.
pub fn recognize(sheet: &Sheet, file_name: &str, cfg: &Config) -> Result<Table, Unrecognized> {
    let _ = (sheet, file_name, cfg);
    todo!("recognize/: header.rs, synonyms.rs, kind.rs, meta.rs")
}
