//! Cell and sheet builders shared by the unit tests of every stage.

use super::{Cell, Sheet};

/// A text cell.
pub(crate) fn t(s: &str) -> Cell {
    Cell::Text(s.into())
}

/// A number cell.
pub(crate) fn n(x: f64) -> Cell {
    Cell::Number(x)
}

/// A worksheet «Лист1» without merges.
pub(crate) fn sheet(rows: Vec<Vec<Cell>>) -> Sheet {
    Sheet {
        name: Some("Лист1".into()),
        merges: Vec::new(),
        rows,
    }
}

/// A meter under the default budgets, for readers called directly.
pub(crate) fn meter() -> crate::read::Meter<'static> {
    crate::read::Meter::new(Box::leak(Box::default()))
}
