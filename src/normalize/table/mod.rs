//! One recognized sheet → records keyed by the school key *as written* (resolution through
//! the registry happens once all files are read). Participant rows are aggregated here,
//! sheet by sheet, so no participant row outlives its sheet.
//!
//! A file per input kind; [`context`] holds what they share: the sheet being read, the
//! issues and notes made, and the one way a record keyed by school is added.

mod aggregates;
mod context;
mod contingent;
mod keys;
mod olympiad;
mod participants;
mod passport;
mod procedure;
mod registry;
mod shares;
mod targets;

use crate::config::Config;
use crate::model::{
    Contingent, InputKind, Issue, OlympiadRows, Origin, ParticipantStats, Passport, ProcResult,
    School, Target,
};
use crate::read::Sheet;
use crate::recognize::{Field, Table};
use context::Ctx;
pub(super) use context::{
    ROWS_LISTED, contingent_what, passport_what, repeat_issue, repeat_message,
};
use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

/// A record whose school is still the key written in the file.
#[derive(Clone, Debug)]
pub struct Keyed<T> {
    pub rec: T,
    pub key: String,
    /// School name from the same row, for schools invented when there is no registry
    /// (shared by the records of one row: a contingent row gives one a grade).
    pub name: Option<Arc<str>>,
    /// Input rows behind the record (participants: one per participant).
    pub rows: usize,
    /// Heading of the school key column, for messages (shared by the sheet's records).
    pub key_column: Arc<str>,
    /// The municipality the row sits in (a column, or the section row above it), if any;
    /// shared by the records of a block.
    pub municipality: Option<Arc<str>>,
}

/// What one sheet gave.
#[derive(Debug, Default)]
pub struct SheetOut {
    pub registry: Vec<School>,
    pub registry_origins: Vec<Origin>,
    pub results: Vec<Keyed<ProcResult>>,
    pub olympiad: Vec<Keyed<OlympiadRows>>,
    pub contingent: Vec<Keyed<Contingent>>,
    pub passports: Vec<Keyed<Passport>>,
    /// ВПР score histograms and journal comparisons (§6.5), by the school key as written;
    /// taken only beside a result of the same key, procedure and year that was kept.
    pub participant_stats: Vec<(String, ParticipantStats)>,
    pub targets: Vec<Target>,
    pub issues: Vec<Issue>,
    /// Rejected rows summed up in one message (past the first thousand), not counting the
    /// row that message stands for itself: [`crate::model::Dataset::rejected_unlisted`].
    pub unlisted: usize,
    pub notes: Vec<String>,
    pub accepted: usize,
    pub rejected: usize,
}

/// Normalizes one recognized sheet; for a reshaped sheet `row_map` gives the original row of
/// each row.
pub fn normalize_mapped(
    sheet: &Sheet,
    table: &Table,
    file: &str,
    cfg: &Config,
    row_map: Option<&[usize]>,
) -> SheetOut {
    normalize_counted(sheet, table, file, cfg, row_map, &AtomicU64::new(0))
}

/// [`normalize_mapped`] within a run: `run` counts the records kept by every sheet of the
/// run so far, against `[limits] run_records`.
pub fn normalize_counted(
    sheet: &Sheet,
    table: &Table,
    file: &str,
    cfg: &Config,
    row_map: Option<&[usize]>,
    run: &AtomicU64,
) -> SheetOut {
    let key_column = table
        .column(Field::SchoolId)
        .or_else(|| table.column(Field::SchoolName))
        .map(|c| Arc::from(c.heading.as_str()))
        .unwrap_or_else(|| Arc::from(""));
    let mut cx = Ctx {
        sheet,
        table,
        file,
        origin_file: file.into(),
        origin_sheet: sheet.name.as_deref().map(Into::into),
        out: SheetOut::default(),
        code_in_name: false,
        name_key: false,
        municipality: None,
        group: None,
        row_map,
        subjects: RefCell::default(),
        key_column,
        last_year: cfg
            .latest_year
            .unwrap_or(crate::recognize::LAST_PLAUSIBLE_YEAR),
        records_left: cfg.limits.sheet_records,
        over_budget: None,
        run,
        run_limit: cfg.limits.run_records,
        kept: 0,
        listed: [0; 2],
        unlisted: Default::default(),
    };
    for w in &table.warnings {
        cx.warn(w.clone());
    }
    cx.warn_long_texts();
    // Targets are about the programme, not about a school.
    if table.kind != InputKind::Targets && !keys::choose_school_key(&mut cx) {
        return cx.finish();
    }
    match table.kind {
        InputKind::Registry => registry::registry(&mut cx, cfg.clusters.sections),
        InputKind::Participants => participants::participants(&mut cx, cfg),
        InputKind::Aggregates => aggregates::aggregates(&mut cx),
        InputKind::Olympiad => olympiad::olympiad(&mut cx),
        InputKind::Contingent => contingent::contingent(&mut cx),
        InputKind::Passport => passport::passport(&mut cx),
        InputKind::Targets => targets::targets(&mut cx),
    }
    cx.finish()
}

/// Runs recognition and normalization on a sheet «Лист1» built by a test.
#[cfg(test)]
fn run(rows: Vec<Vec<crate::read::Cell>>, file: &str) -> SheetOut {
    let sheet = crate::read::testutil::sheet(rows);
    let cfg = Config::default();
    let table = crate::recognize::recognize(&sheet, file, &cfg).unwrap();
    normalize_mapped(&sheet, &table, file, &cfg, None)
}

/// Asserts a sheet's repeats of one record: `listed` messages starting with `what`, the
/// first at `first_row` naming `first_at`, and the rest summed up as `unlisted` says.
#[cfg(test)]
fn assert_sheet_repeats(
    out: &SheetOut,
    what: &str,
    (listed, first_row, first_at): (usize, usize, &str),
    unlisted: &str,
) {
    let repeats: Vec<_> = out
        .issues
        .iter()
        .filter(|i| i.message.starts_with(what))
        .collect();
    assert_eq!(repeats.len(), listed);
    assert_eq!(repeats[0].origin.row, first_row);
    assert!(
        repeats[0].message.contains(first_at),
        "{}",
        repeats[0].message
    );
    assert!(
        out.issues.iter().any(|i| i.message.contains(unlisted)),
        "{:?}",
        out.issues.last()
    );
}
