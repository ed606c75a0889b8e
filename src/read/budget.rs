//! Reading budgets: bytes read (unpacked), cells and rows, per file and per run.
//!
//! Why: a small hostile or broken file can describe a huge grid — one cell at column XFD
//! on every row (each row is filled out to it), a zip member that inflates to a gigabyte,
//! repeat counts of a million rows. Memory must follow real content, so every reader
//! counts what it allocates here and stops at the budget with one clear Russian
//! rejection of that file; the run goes on with the other files.

use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

pub use crate::config::Limits;

/// The budgets of one run and what the run has used so far (files are read in parallel).
#[derive(Debug, Default)]
pub struct Budget {
    pub limits: Limits,
    run_bytes: AtomicU64,
    run_cells: AtomicU64,
    /// Held by the one file at a time that has grown past a quarter of a file budget:
    /// files are read in parallel, and two files near the budget at once could exhaust
    /// memory that one alone does not. A real export never gets here, so the run's
    /// parallelism is untouched; a waiting file holds little, so no file waits forever.
    large: Mutex<()>,
}

impl Budget {
    pub fn new(limits: Limits) -> Self {
        Budget {
            limits,
            ..Budget::default()
        }
    }
}

const MB: u64 = 1 << 20;

/// What one input file on disk unpacks to in all: an archive's members at every depth
/// (each also a file for the budgets above), an xlsx's or ods's sheets. Shared by the
/// meters of everything inside that file; it is read on one thread.
#[derive(Debug)]
pub(crate) struct Unpacked {
    /// The file's size on disk.
    packed: u64,
    total: Cell<u64>,
    /// Set once the ratio is exceeded (or would be, by the sizes an archive declares):
    /// the rest of an archive is then not read.
    over: Cell<bool>,
}

impl Unpacked {
    pub(crate) fn new(packed: u64) -> Self {
        Unpacked {
            packed,
            total: Cell::new(0),
            over: Cell::new(false),
        }
    }

    fn limit(&self, l: &Limits) -> u64 {
        l.unpack_ratio_from_megabytes
            .saturating_mul(MB)
            .max(l.unpack_ratio.saturating_mul(self.packed))
    }

    /// Bytes that may still be unpacked.
    pub(crate) fn room(&self, l: &Limits) -> u64 {
        self.limit(l).saturating_sub(self.total.get())
    }

    pub(crate) fn is_over(&self) -> bool {
        self.over.get()
    }

    /// Whether `more` bytes (not yet unpacked — an archive's declared sizes) would take
    /// the file over the ratio; the reason if so, and the file is then over.
    pub(crate) fn would_exceed(&self, l: &Limits, more: u64) -> Result<(), String> {
        let total = self.total.get().saturating_add(more);
        if total <= self.limit(l) {
            return Ok(());
        }
        self.over.set(true);
        Err(self.reason(l, total))
    }

    fn add(&self, l: &Limits, n: u64) -> Result<(), String> {
        self.total.set(self.total.get().saturating_add(n));
        if self.total.get() <= self.limit(l) {
            return Ok(());
        }
        self.over.set(true);
        Err(self.reason(l, self.total.get()))
    }

    fn reason(&self, l: &Limits, total: u64) -> String {
        format!(
            "файл распаковывается больше чем в {} раз: из {} на диске получается больше {} \
             (предел [limits] unpack_ratio в файле настроек). Так сжимаются только нарочно \
             собранные или испорченные архивы («zip-бомбы»), настоящие выгрузки сжимаются \
             в 5–20 раз. Если это архив, его следующие файлы тоже не читались. Если \
             файл настоящий, распакуйте архив и положите таблицы в папку отдельно или \
             увеличьте предел",
            l.unpack_ratio,
            size(self.packed),
            size(total.min(self.limit(l).saturating_add(1)))
        )
    }
}

/// A size in the analyst's units: КБ below a megabyte, else МБ.
fn size(bytes: u64) -> String {
    if bytes < MB {
        format!("{} КБ", bytes.div_ceil(1024))
    } else {
        format!("{} МБ", bytes / MB)
    }
}

/// A meter's counts at one point (see [`Meter::mark`]).
#[derive(Debug)]
pub(crate) struct Mark {
    bytes: u64,
    cells: u64,
    rows: u64,
    unpacked: u64,
}

/// Cells counted on a file before they are added to the run's shared count.
const CELL_BATCH: u64 = 1 << 16;

/// What one file (or zip member) has used; the first budget exceeded is kept as the
/// reason, so a reader that can only say "no" (`None`) still reports it.
#[derive(Debug)]
pub(crate) struct Meter<'a> {
    budget: &'a Budget,
    bytes: Cell<u64>,
    cells: Cell<u64>,
    /// Cells not yet added to the run's count, and the run's count last seen: a shared
    /// counter bumped per cell made two reading threads fight over one cache line (12 % of
    /// the regional benchmark's time), so the run total is updated in batches.
    cells_pending: Cell<u64>,
    run_cells_seen: Cell<u64>,
    rows: Cell<u64>,
    exceeded: RefCell<Option<String>>,
    large: RefCell<Option<MutexGuard<'a, ()>>>,
    /// The input file this one is, or is inside of (its unpacking ratio).
    unpacked: Option<&'a Unpacked>,
}

impl<'a> Meter<'a> {
    pub(crate) fn new(budget: &'a Budget) -> Self {
        Meter {
            budget,
            bytes: Cell::new(0),
            cells: Cell::new(0),
            cells_pending: Cell::new(0),
            run_cells_seen: Cell::new(budget.run_cells.load(Ordering::Relaxed)),
            rows: Cell::new(0),
            exceeded: RefCell::new(None),
            large: RefCell::new(None),
            unpacked: None,
        }
    }

    /// A meter for a file that is, or is inside of, the input file `unpacked`.
    pub(crate) fn inside(budget: &'a Budget, unpacked: &'a Unpacked) -> Self {
        let mut m = Meter::new(budget);
        m.unpacked = Some(unpacked);
        m
    }

    fn fail(&self, why: String) -> Result<(), String> {
        self.exceeded
            .borrow_mut()
            .get_or_insert_with(|| why.clone());
        Err(why)
    }

    pub(crate) fn limits(&self) -> &Limits {
        &self.budget.limits
    }

    /// Whether a budget was exceeded (the reason stays for [`Meter::exceeded`]).
    pub(crate) fn is_exceeded(&self) -> bool {
        self.exceeded.borrow().is_some()
    }

    /// The first budget exceeded, taken.
    pub(crate) fn exceeded(&self) -> Option<String> {
        self.exceeded.borrow_mut().take()
    }

    fn add(c: &Cell<u64>, n: u64) -> u64 {
        c.set(c.get().saturating_add(n));
        c.get()
    }

    /// Past a quarter of a file budget, waits for the run's one place for a large file
    /// (kept until this meter is dropped, after the workbook has been used).
    fn grown(&self, used: u64, limit: u64) {
        if used > limit / 4 && self.large.borrow().is_none() {
            let guard = self
                .budget
                .large
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            *self.large.borrow_mut() = Some(guard);
        }
    }

    /// Bytes read (unpacked) from the file.
    pub(crate) fn bytes(&self, n: u64) -> Result<(), String> {
        let file = Self::add(&self.bytes, n);
        let run = self.budget.run_bytes.fetch_add(n, Ordering::Relaxed) + n;
        let l = &self.budget.limits;
        self.grown(file, l.file_megabytes.saturating_mul(MB));
        if file > l.file_megabytes.saturating_mul(MB) {
            return self.fail(format!(
                "после распаковки файл больше {} МБ — это предел [limits] file_megabytes в \
                 файле настроек; настоящие выгрузки много меньше, так что файл, скорее \
                 всего, повреждён или собран неверно; если он нужен, разделите его на части \
                 или увеличьте предел",
                l.file_megabytes
            ));
        }
        if run > l.run_megabytes.saturating_mul(MB) {
            return self.fail(format!(
                "за этот запуск прочитано больше {} МБ — это предел [limits] run_megabytes в \
                 файле настроек; запустите shnor на меньшей папке или увеличьте предел",
                l.run_megabytes
            ));
        }
        if let Some(u) = self.unpacked
            && let Err(why) = u.add(l, n)
        {
            return self.fail(why);
        }
        Ok(())
    }

    /// Cells allocated for row `row` (0-based), whose last cell is in column `col`
    /// (0-based): `added` counts the empty cells to its left too.
    pub(crate) fn cells(&self, added: u64, row: usize, col: usize) -> Result<(), String> {
        let file = Self::add(&self.cells, added);
        let l = &self.budget.limits;
        let pending = Self::add(&self.cells_pending, added);
        // Exact whenever this file's own cells could cross the run budget; otherwise the
        // other threads' counts are seen at most one batch late, far below any budget.
        let run = if pending >= CELL_BATCH
            || self.run_cells_seen.get().saturating_add(pending) > l.run_cells
        {
            self.flush_cells()
        } else {
            0
        };
        self.grown(file, l.file_cells);
        if file > l.file_cells {
            return self.fail(format!(
                "в файле больше {} ячеек, считая пустые ячейки слева от последней заполненной \
                 в каждой строке (например, в строке {} заполнен столбец {}) — это предел \
                 [limits] file_cells в файле настроек. Обычно это ячейки, разбросанные далеко \
                 вправо или вниз: удалите лишние строки и столбцы (Ctrl+End в Excel \
                 показывает последнюю ячейку) и пересохраните файл; если таблица \
                 действительно такая большая, увеличьте предел",
                l.file_cells,
                row.saturating_add(1),
                super::column_letter(col)
            ));
        }
        if run > l.run_cells {
            return self.fail(format!(
                "за этот запуск прочитано больше {} ячеек — это предел [limits] run_cells в \
                 файле настроек; запустите shnor на меньшей папке или увеличьте предел",
                l.run_cells
            ));
        }
        Ok(())
    }

    /// Adds the pending cells to the run's count; returns the run's count.
    fn flush_cells(&self) -> u64 {
        let n = self.cells_pending.replace(0);
        let run = self.budget.run_cells.fetch_add(n, Ordering::Relaxed) + n;
        self.run_cells_seen.set(run);
        run
    }

    /// What this meter has counted so far, to [`Meter::rewind`] to.
    pub(crate) fn mark(&self) -> Mark {
        Mark {
            bytes: self.bytes.get(),
            cells: self.cells.get(),
            rows: self.rows.get(),
            unpacked: self.unpacked.map_or(0, |u| u.total.get()),
        }
    }

    /// Forgets what was counted since `mark` — in this file's counts, the run's and the
    /// unpacking ratio's: a reader that gives a file up to another reader has freed what
    /// it read, and the file must not be counted twice (which halved its budgets).
    /// Only for a meter not exceeded: an exceeded file is refused, never re-read.
    pub(crate) fn rewind(&self, mark: &Mark) {
        debug_assert!(!self.is_exceeded());
        let bytes = self.bytes.replace(mark.bytes).saturating_sub(mark.bytes);
        self.budget.run_bytes.fetch_sub(bytes, Ordering::Relaxed);
        let cells = self.cells.replace(mark.cells).saturating_sub(mark.cells);
        let pending = self.cells_pending.get();
        let from_pending = cells.min(pending);
        self.cells_pending.set(pending - from_pending);
        self.budget
            .run_cells
            .fetch_sub(cells - from_pending, Ordering::Relaxed);
        self.rows.set(mark.rows);
        if let Some(u) = self.unpacked {
            u.total.set(mark.unpacked);
        }
    }

    /// Rows allocated.
    pub(crate) fn rows(&self, added: u64) -> Result<(), String> {
        let file = Self::add(&self.rows, added);
        let l = &self.budget.limits;
        if file > l.file_rows {
            return self.fail(format!(
                "в файле больше {} строк — это предел [limits] file_rows в файле настроек; \
                 удалите лишние строки (Ctrl+End в Excel показывает последнюю ячейку) или \
                 увеличьте предел",
                l.file_rows
            ));
        }
        Ok(())
    }
}

impl Drop for Meter<'_> {
    fn drop(&mut self) {
        // The next file's meter must see this file's cells in the run's count.
        self.flush_cells();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_large_file_at_a_time() {
        let budget = Budget::new(Limits {
            file_cells: 100,
            ..Limits::default()
        });
        let small = Meter::new(&budget);
        small.cells(25, 0, 24).unwrap();
        // A quarter of the budget is no large file yet.
        assert!(budget.large.try_lock().is_ok());
        let large = Meter::new(&budget);
        large.cells(26, 0, 25).unwrap();
        assert!(budget.large.try_lock().is_err());
        // More cells on the same meter do not lock twice.
        large.cells(10, 1, 9).unwrap();
        drop(large);
        assert!(budget.large.try_lock().is_ok());
        // Over the budget: the reason names the limit, the row and the column.
        let over = Meter::new(&budget);
        let why = over.cells(101, 4, 16383).unwrap_err();
        assert!(why.contains("строке 5 заполнен столбец XFD"), "{why}");
        assert!(why.contains("[limits] file_cells"), "{why}");
        assert_eq!(over.exceeded().as_deref(), Some(why.as_str()));
    }

    #[test]
    fn a_rewound_meter_gives_back_what_it_counted_since_the_mark() {
        let budget = Budget::new(Limits {
            run_megabytes: 1,
            run_cells: 3 * CELL_BATCH,
            ..Limits::default()
        });
        let unpacked = Unpacked::new(1);
        let m = Meter::inside(&budget, &unpacked);
        m.bytes(100).unwrap();
        m.cells(10, 0, 9).unwrap();
        m.rows(1).unwrap();
        let mark = m.mark();
        // A batch and a half of cells: one batch reaches the run's count, half is pending.
        m.bytes(MB - 200).unwrap();
        m.cells(CELL_BATCH + CELL_BATCH / 2, 1, 9).unwrap();
        m.rows(7).unwrap();
        m.rewind(&mark);
        assert_eq!(budget.run_bytes.load(Ordering::Relaxed), 100);
        assert_eq!(unpacked.total.get(), 100);
        assert_eq!((m.bytes.get(), m.cells.get(), m.rows.get()), (100, 10, 1));
        drop(m);
        assert_eq!(budget.run_cells.load(Ordering::Relaxed), 10);
        // The run's 1 MB holds another 1 MB - 100 bytes again, not more.
        let again = Meter::new(&budget);
        again.bytes(MB - 100).unwrap();
        assert!(again.bytes(1).is_err());
    }
}
