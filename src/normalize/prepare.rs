//! Before a sheet is recognized: layouts that are not one row per school are reshaped
//! into one (a wide table with a block of columns per subject becomes long). Shared by
//! `load` and `inspect`, so both read a sheet the same way.

use crate::config::Config;
use crate::read::Sheet;
use crate::recognize::{Table, Unrecognized, recognize};
use std::borrow::Cow;

/// A sheet as it will be read, with its recognized table.
pub struct Prepared<'a> {
    /// The sheet itself, or its reshaped copy.
    pub sheet: Cow<'a, Sheet>,
    pub table: Result<Table, Unrecognized>,
    /// What was done to the sheet before recognition (Russian).
    pub notes: Vec<String>,
    /// For a reshaped sheet: the original row of each row (for messages).
    pub row_map: Option<Vec<usize>>,
}

/// Reshapes the sheet when its layout asks for it, then recognizes it.
pub fn prepare_sheet<'a>(sheet: &'a Sheet, file_name: &str, cfg: &Config) -> Prepared<'a> {
    let mut notes = Vec::new();
    let mut row_map = None;
    let sheet = match crate::recognize::wide::find(sheet, cfg) {
        Some(w) => {
            let (long, n, map) = crate::recognize::wide::unpivot(sheet, &w, cfg);
            notes.extend(n);
            row_map = Some(map);
            Cow::Owned(long)
        }
        None => Cow::Borrowed(sheet),
    };
    let table = recognize(&sheet, file_name, cfg);
    Prepared {
        sheet,
        table,
        notes,
        row_map,
    }
}
