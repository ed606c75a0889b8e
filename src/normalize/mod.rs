//! Stage 3, normalize: recognized tables → canonical records (model.rs). Parses numbers and
//! codes, resolves school keys through the registry and its aliases, derives marks from
//! scores. Every rejected or doubtful value becomes an [`Issue`](crate::model::Issue).
//!
//! Files are read and normalized in parallel, each on its own (participant rows are
//! aggregated per sheet and dropped); school keys are resolved afterwards, once the
//! registry is known, in input order so every run gives the same dataset.

mod copies;
mod files;
mod inputs;
mod registries;
mod repeats;
mod resolve;
mod schools;
mod stats;
mod table;

pub use inputs::{Walk, expand, expand_with};
pub use schools::Index;
pub use table::{SheetOut, normalize_mapped};

use crate::config::Config;
use crate::model::{
    Dataset, InputFile, InputKind, Issue, Origin, ProcResult, School, Severity, TableSummary,
};
use anyhow::Result;
use files::{FileOut, ignored_by, read_one, sha256};
use rayon::prelude::*;
use registries::{RegistryMerge, merge_registry};
use resolve::{Miss, Resolver};
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::atomic::AtomicU64;

/// Notes on one sheet: what was decided while reading it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SheetNotes {
    pub file: String,
    pub sheet: Option<String>,
    pub notes: Vec<String>,
}

/// The dataset and the reading notes (for `validate` / `inspect`).
#[derive(Debug, Default)]
pub struct Loaded {
    pub dataset: Dataset,
    pub notes: Vec<SheetNotes>,
}

/// Reads every input into one dataset. Inputs may be folders (expanded here, with a
/// warning for every file left aside) or files.
///
/// Rows that cannot be trusted are left out and recorded as issues; so is a whole table that
/// repeats another (a second copy of the registry, a second file for the same procedure and
/// year: the first in input order is kept); a file or archive member that is a byte-for-byte
/// copy of an earlier one, read the same way, is not normalized again ([`copies`]). Only a
/// problem that makes every number untrustworthy — one school code naming two differently
/// named schools — is an error, and nothing is computed.
///
/// # Errors
/// See above; the message names the file, sheet, row and column.
pub fn load(files: &[PathBuf], cfg: &Config) -> Result<Dataset> {
    Ok(load_with_notes(files, cfg)?.dataset)
}

/// [`load`], keeping the notes made on every sheet; it fails as [`load`] does.
pub fn load_with_notes(inputs: &[PathBuf], cfg: &Config) -> Result<Loaded> {
    load_with(inputs, cfg, Walk::default())
}

/// [`load_with_notes`] with the folder walk's options (`--follow-symlinks`).
///
/// # Errors
/// See [`load`].
pub fn load_with(inputs: &[PathBuf], cfg: &Config, walk: Walk) -> Result<Loaded> {
    let expanded = inputs::expand_with(inputs, walk)?;
    // A national input reads best with freed pages kept; a small one keeps its peak low.
    crate::memory::keep_freed_for(expanded.bytes());
    let budget = crate::read::Budget::new(cfg.limits.clone());
    let records = AtomicU64::new(0);
    let files = &expanded.files;
    let groups = copies::groups(files, |i| ignored_by(cfg, &files[i]).is_some());
    // One task per group: a file and its copies in input order, one memo (see `copies`).
    let mut outs: Vec<(usize, FileOut)> = groups
        .par_iter()
        .with_max_len(1) // one group per task: runs of files left one core alone at the end
        .flat_map_iter(|g| {
            let mut memo = copies::Memo::default();
            let sha = g.sha.as_deref();
            g.files
                .iter()
                .map(|&i| {
                    (
                        i,
                        read_one(&files[i], sha, &mut memo, cfg, &budget, &records),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect();
    outs.sort_by_key(|o| o.0);
    let outs = outs.into_iter().map(|o| o.1).collect();
    assemble(outs, expanded.skipped)
}

/// What one normalized sheet gave, as `validate` lists it (and coverage counts it): kind,
/// procedures, year, rows accepted and rejected. `schools` is filled once keys are resolved.
pub fn table_summary(
    sheet: Option<String>,
    t: &crate::recognize::Table,
    out: &SheetOut,
) -> TableSummary {
    let procs: BTreeSet<String> = out
        .results
        .iter()
        .map(|r| r.rec.procedure.to_string())
        .collect();
    let years: BTreeSet<i32> = out
        .results
        .iter()
        .map(|r| r.rec.year)
        .chain(out.olympiad.iter().map(|o| o.rec.year))
        .chain(out.contingent.iter().map(|c| c.rec.year))
        .chain(out.passports.iter().map(|p| p.rec.year))
        .collect();
    let year = if years.len() == 1 {
        years.first().copied()
    } else {
        t.meta.year
    };
    let procedure = if procs.is_empty() {
        meta_procedure(&t.meta)
    } else {
        Some(procs.into_iter().collect::<Vec<_>>().join(", "))
    };
    TableSummary {
        sheet,
        kind: Some(t.kind),
        year,
        procedure,
        rows_accepted: out.accepted,
        rows_rejected: out.rejected,
        schools: 0,
    }
}

/// Sheets that explain a form rather than hold data.
fn is_notes_sheet(name: &str) -> bool {
    matches!(
        crate::read::norm_text(name).as_str(),
        "пояснения" | "инструкция" | "инструкция по заполнению" | "памятка"
    )
}

/// The procedure named by a table's title, sheet or file name, when no row gave one.
fn meta_procedure(m: &crate::recognize::Meta) -> Option<String> {
    let exam = m.exam?;
    let subject = m.subject.clone()?;
    let grade = matches!(exam, crate::model::Exam::Vpr | crate::model::Exam::Kdr)
        .then_some(m.grade)
        .flatten();
    Some(
        crate::model::Procedure {
            exam,
            subject,
            grade,
        }
        .to_string(),
    )
}

/// Global position of a table: (index in `Dataset::files`, index in its `tables`).
type TableId = (usize, usize);

fn assemble(outs: Vec<FileOut>, skipped: Vec<Issue>) -> Result<Loaded> {
    let mut ds = Dataset {
        issues: skipped,
        ..Dataset::default()
    };
    let mut notes = Vec::new();
    let mut sheets: Vec<(TableId, InputKind, SheetOut, bool)> = Vec::new();
    for fo in outs {
        let base = ds.files.len();
        ds.files.extend(fo.files);
        ds.issues.extend(fo.issues);
        notes.extend(fo.notes);
        for s in fo.sheets {
            sheets.push(((base + s.file, s.table), s.kind, s.out, s.trend));
        }
    }
    // Trend tables («за 2011–2013 годы») last: a year they share with a one-year file is
    // taken from the one-year file (the fuller export of that year) and only cross-checked
    // against the trend table; a year no other file has comes from the trend table.
    // Between two trend tables the first in input order gives the year. Stable, so the
    // input order stays otherwise.
    sheets.sort_by_key(|s| s.3);
    let mut overlaps: BTreeMap<TableId, Overlap> = BTreeMap::new();

    // The registry first: every other record is resolved through it.
    let mut registry: Vec<School> = Vec::new();
    let mut reg_origins: Vec<Origin> = Vec::new();
    let mut skipped: BTreeSet<TableId> = BTreeSet::new();
    let mut rejected_rows: BTreeMap<TableId, usize> = BTreeMap::new();
    for (tid, _, out, _) in &mut sheets {
        if out.registry.is_empty() {
            continue;
        }
        let rows = std::mem::take(&mut out.registry);
        let origins = std::mem::take(&mut out.registry_origins);
        match merge_registry(&mut registry, &mut reg_origins, rows, origins)? {
            RegistryMerge::Added { repeats, rejected } => {
                *rejected_rows.entry(*tid).or_default() += rejected;
                ds.issues.extend(repeats);
            }
            RegistryMerge::AllKnown { rows, first } => {
                skipped.insert(*tid);
                ds.issues.push(skipped_table(
                    &ds.files[tid.0],
                    tid.1,
                    format!(
                        "{} этого реестра уже есть в «{first}» — второй реестр не учтён. \
                         Если нужен именно этот, удалите лишний файл или укажите для него \
                         `ignore = true` ([[files]] pattern = \"…\" ignore = true)",
                        if rows == 1 {
                            "единственная школа".to_string()
                        } else {
                            format!("все {}", crate::read::schools(rows))
                        }
                    ),
                ));
            }
        }
    }
    let index = schools::Index::build(&registry, &reg_origins)?;
    let has_registry = !registry.is_empty();
    let mut resolver = Resolver::new(index, &registry);
    // Other municipalities' rows per table: not accepted, not rejected (one warning each).
    let mut other_rows: BTreeMap<TableId, usize> = BTreeMap::new();

    let mut table_schools: BTreeMap<TableId, BTreeSet<String>> = BTreeMap::new();
    // (school, procedure, year) → the table that gave it (two = a fatal duplicate) and its
    // place in `ds.results`. Sized once, and the results too: at 40,000 schools (~10^6
    // results) growing them was half of this loop, which runs on one core.
    let n: usize = sheets.iter().map(|s| s.2.results.len()).sum();
    let mut result_at: FxHashMap<(String, crate::model::Procedure, i32), (TableId, usize)> =
        FxHashMap::with_capacity_and_hasher(n, Default::default());
    ds.results.reserve(n);
    ds.participant_stats
        .reserve(sheets.iter().map(|s| s.2.participant_stats.len()).sum());
    let mut repeats = repeats::Repeats::default();
    let mut stats = stats::Collector::default();
    let mut seen_contingent: BTreeMap<(String, i32, u8), Origin> = BTreeMap::new();
    let mut seen_passport: BTreeMap<(String, i32), Origin> = BTreeMap::new();

    for (tid, kind, out, trend) in sheets {
        if skipped.contains(&tid) {
            continue;
        }
        // Undone when the table turns out to repeat another file's results (below).
        let (results_before, dups_before) = (ds.results.len(), repeats.mark());
        let mut conflict: Option<String> = None;
        for k in out.results {
            let id = match resolver.resolve(&k, tid) {
                Ok(id) => id,
                Err(Miss::OtherMunicipality) => {
                    *other_rows.entry(tid).or_default() += k.rows;
                    continue;
                }
                Err(Miss::Unknown) => {
                    *rejected_rows.entry(tid).or_default() += k.rows;
                    continue;
                }
            };
            stats.resolved(&k.key, &id);
            let mut rec = k.rec;
            rec.school = id.clone();
            let owner_key = (id.clone(), rec.procedure.clone(), rec.year);
            if let Some(&(other, p)) = result_at.get(&owner_key)
                && other != tid
                && trend
            {
                let first = &ds.results[p];
                let o = overlaps.entry(tid).or_default();
                o.years.insert(rec.year);
                o.checked += 1;
                if let Some(diff) = trend_differs(first, &rec) {
                    o.differ += 1;
                    ds.issues.push(Issue {
                        severity: Severity::Warning,
                        origin: rec.origin.clone(),
                        column: None,
                        value: Some(k.key.clone()),
                        message: format!(
                            "таблица за несколько лет расходится с «{}» (строка {}) для школы {id}, {} {} год: {diff}. Учтены данные однолетнего файла; проверьте выгрузки",
                            first.origin.file,
                            first.origin.row,
                            rec.procedure,
                            rec.year
                        ),
                    });
                }
                table_schools.entry(tid).or_default().insert(id);
                continue;
            }
            if let Some(&(other, _)) = result_at.get(&owner_key)
                && other != tid
            {
                let (a, b) = (&ds.files[other.0], &ds.files[tid.0]);
                let sheet = |t: TableId| {
                    ds.files[t.0].tables[t.1]
                        .sheet
                        .as_ref()
                        .map(|s| format!(", лист «{s}»"))
                        .unwrap_or_default()
                };
                conflict = Some(format!(
                    "«{}»{} и «{}»{} содержат результаты {} за {} год для одних и тех же школ \
                     (например, {}): учтён первый файл, этот пропущен. Если нужен этот, \
                     удалите лишний файл или укажите для него `ignore = true` ([[files]] \
                     pattern = \"…\" ignore = true)",
                    a.path,
                    sheet(other),
                    b.path,
                    sheet(tid),
                    rec.procedure,
                    rec.year,
                    id
                ));
                break;
            }
            // Here the key is this table's or no table's yet.
            if let Some(&(_, pos)) = result_at.get(&owner_key) {
                if kind == InputKind::Participants {
                    merge(&mut ds.results[pos], &rec);
                } else {
                    repeats.refuse(
                        tid,
                        (&k.key, &k.key_column),
                        &rec.origin,
                        format!(
                            "этот код указывает на школу {id}, которая уже есть в строке {}: \
                             удалите повтор",
                            ds.results[pos].origin.row
                        ),
                    );
                    *rejected_rows.entry(tid).or_default() += k.rows;
                    continue;
                }
            } else {
                result_at.insert(owner_key, (tid, ds.results.len()));
                ds.results.push(rec);
            }
            table_schools.entry(tid).or_default().insert(id);
        }
        if let Some(reason) = conflict {
            // Two files with the same procedure and year: the later one is left out whole,
            // listed with the reason; the run goes on with the first.
            ds.results.truncate(results_before);
            repeats.forget(tid, dups_before);
            result_at.retain(|_, (t, _)| *t != tid);
            table_schools.remove(&tid);
            rejected_rows.remove(&tid);
            skipped.insert(tid);
            ds.issues
                .push(skipped_table(&ds.files[tid.0], tid.1, reason));
            continue;
        }
        stats.take(&mut ds, out.participant_stats, |k| {
            result_at.get(k).map(|e| e.0) == Some(tid)
        });
        ds.issues.extend(out.issues);
        ds.rejected_unlisted += out.unlisted;
        ds.targets.extend(out.targets);
        macro_rules! resolve_all {
            ($list:expr, $dest:expr, $seen:expr, $key:expr, $what:expr) => {
                for k in $list {
                    let id = match resolver.resolve(&k, tid) {
                        Ok(id) => id,
                        Err(Miss::OtherMunicipality) => {
                            *other_rows.entry(tid).or_default() += k.rows;
                            continue;
                        }
                        Err(Miss::Unknown) => {
                            *rejected_rows.entry(tid).or_default() += k.rows;
                            continue;
                        }
                    };
                    let mut rec = k.rec;
                    rec.school = id.clone();
                    if let Some(seen) = $seen.as_mut() {
                        let key = $key(&rec);
                        if let Some(first) = seen.get(&key) {
                            repeats.refuse(
                                tid,
                                (&k.key, &k.key_column),
                                &rec.origin,
                                table::repeat_message(&$what(&rec), &id, first),
                            );
                            *rejected_rows.entry(tid).or_default() += k.rows;
                            continue;
                        }
                        seen.insert(key, rec.origin.clone());
                    }
                    table_schools.entry(tid).or_default().insert(id);
                    $dest.push(rec);
                }
            };
        }
        resolve_all!(
            out.olympiad,
            ds.olympiad,
            None::<BTreeMap<(), Origin>>,
            |_: &crate::model::OlympiadRows| (),
            |_: &crate::model::OlympiadRows| String::new()
        );
        resolve_all!(
            out.contingent,
            ds.contingent,
            Some(&mut seen_contingent),
            |c: &crate::model::Contingent| (c.school.clone(), c.year, c.grade),
            |c: &crate::model::Contingent| table::contingent_what(c.grade, c.year)
        );
        resolve_all!(
            out.passports,
            ds.passports,
            Some(&mut seen_passport),
            |p: &crate::model::Passport| (p.school.clone(), p.year),
            |p: &crate::model::Passport| table::passport_what(p.year)
        );
        if kind == InputKind::Registry {
            // Registry rows are schools themselves.
            table_schools.entry(tid).or_default();
        }
    }
    let (listed, unlisted) = repeats.finish();
    ds.issues.extend(listed);
    ds.rejected_unlisted += unlisted;
    for (tid, o) in &overlaps {
        let f = &ds.files[tid.0];
        let years: Vec<String> = o.years.iter().map(ToString::to_string).collect();
        notes.push(SheetNotes {
            file: f.path.clone(),
            sheet: f.tables[tid.1].sheet.clone(),
            notes: vec![format!(
                "годы {} есть и в других файлах: {} этой таблицы за эти годы сверены с ними (расхождений {}) и повторно не учтены — берутся данные файла за один год",
                years.join(", "),
                crate::read::rows(o.checked),
                o.differ
            )],
        });
    }

    // Summaries: schools found and rows rejected after resolution.
    for (tid, n) in resolver.settle() {
        *other_rows.entry(tid).or_default() -= n;
        *rejected_rows.entry(tid).or_default() += n;
    }
    for (tid, n) in &rejected_rows {
        let t = &mut ds.files[tid.0].tables[tid.1];
        t.rows_rejected += n;
        t.rows_accepted = t.rows_accepted.saturating_sub(*n);
    }
    for (tid, n) in &other_rows {
        let t = &mut ds.files[tid.0].tables[tid.1];
        t.rows_accepted = t.rows_accepted.saturating_sub(*n);
    }
    for (tid, s) in &table_schools {
        ds.files[tid.0].tables[tid.1].schools = s.len();
    }
    for f in &mut ds.files {
        for t in &mut f.tables {
            if t.kind == Some(InputKind::Registry) {
                t.schools = t.rows_accepted;
            }
        }
    }
    // A table left out whole: every row it had is not counted.
    let mut skipped_sheets = BTreeSet::new();
    for tid in &skipped {
        let f = &mut ds.files[tid.0];
        let t = &mut f.tables[tid.1];
        t.rows_rejected += t.rows_accepted;
        t.rows_accepted = 0;
        t.schools = 0;
        let sheet: Option<std::sync::Arc<str>> = t.sheet.as_deref().map(Into::into);
        skipped_sheets.insert((std::sync::Arc::<str>::from(f.path.as_str()), sheet));
    }

    // Keys of a table left out whole are not reported one by one: the table is.
    let kept =
        |i: &Issue| !skipped_sheets.contains(&(i.origin.file.clone(), i.origin.sheet.clone()));
    ds.issues
        .extend(resolver.issues(&table_schools).into_iter().filter(kept));

    if has_registry {
        ds.schools = registry;
    } else {
        // Only schools some table still gives (not those of a table left out whole).
        let given: BTreeSet<&String> = table_schools.values().flatten().collect();
        ds.schools = resolver
            .invented
            .into_values()
            .filter(|s| given.contains(&s.id))
            .collect();
        if !ds.schools.is_empty() {
            ds.issues.push(Issue::of_file(
                Severity::Warning,
                "",
                format!(
                    "реестр школ не найден: все школы в одном кластере, список школ ({}) \
                     составлен по файлам результатов. Положите рядом файл реестра (Код ОО, \
                     Наименование ОО, Муниципалитет, Тип населённого пункта …)",
                    ds.schools.len()
                ),
            ));
        }
    }
    Ok(Loaded { dataset: ds, notes })
}

/// A file-level issue for a table left out whole.
fn skipped_table(file: &InputFile, table: usize, reason: String) -> Issue {
    let mut i = Issue::of_file(
        Severity::Rejected,
        &file.path,
        format!("таблица не учтена: {reason}"),
    );
    i.origin.sheet = file
        .tables
        .get(table)
        .and_then(|t| t.sheet.as_deref().map(Into::into));
    i
}

/// A record rejected as a repeat of a school already read, at the key as written.
/// What a trend table repeated of years other files give.
#[derive(Default)]
struct Overlap {
    years: BTreeSet<i32>,
    checked: usize,
    differ: usize,
}

/// How a trend table's row differs from the one-year file's (participants, mean score to
/// the hundredth as both print it), in Russian; `None` when they agree.
fn trend_differs(first: &ProcResult, trend: &ProcResult) -> Option<String> {
    let mut out = Vec::new();
    if first.n != trend.n {
        out.push(format!("участников {} и {}", first.n, trend.n));
    }
    if let (Some(a), Some(b)) = (first.mean_score, trend.mean_score)
        && (a - b).abs() > 0.005 + 1e-9
    {
        out.push(format!("средний балл {a} и {b}"));
    }
    (!out.is_empty()).then(|| out.join(", "))
}

/// Adds one school's participants found under a second key of the same school.
fn merge(into: &mut ProcResult, more: &ProcResult) {
    let n = into.n + more.n;
    into.marks = match (into.marks, more.marks) {
        (Some(a), Some(b)) => Some([a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]]),
        _ => None,
    };
    into.score_sd = into.joint_score_sd(more);
    into.mean_score = match (into.mean_score, more.mean_score) {
        (Some(a), Some(b)) if n > 0 => {
            Some((a * f64::from(into.n) + b * f64::from(more.n)) / f64::from(n))
        }
        _ => None,
    };
    into.n_high = match (into.n_high, more.n_high) {
        (Some(a), Some(b)) => Some(a + b),
        _ => None,
    };
    into.n = n;
}
