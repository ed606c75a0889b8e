//! `shnor inspect`: for each sheet, what was recognized and why — kind, procedure, year,
//! header rows, every heading with the field it maps to, row counts by class, schools, and
//! the cross-check of total rows against the schools under them. An analyst sees why a file
//! was read the way it was, and which `shnor.toml` lines would fix it.

use crate::cli::Context;
use crate::normalize::normalize_mapped;
use crate::read::{Workbook, column_letter};
use crate::recognize::prepare_sheet;
use crate::recognize::{RowClass, check_totals, classify};
use anyhow::Result;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Примеры:\n  shnor inspect огэ_2025.xlsx\n  shnor inspect выгрузки/\n\n\
Если таблица прочитана не так, укажите вид файла, год, процедуру и столбцы в shnor.toml \
([[files]] и [columns]) и запустите inspect ещё раз с --config."
)]
pub struct Args {
    /// Файлы или папки с выгрузками
    #[arg(required = true, value_name = "ФАЙЛЫ")]
    pub inputs: Vec<PathBuf>,
}

/// `println!` into a report string (writing to a String cannot fail).
macro_rules! w {
    ($out:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = writeln!($out, $($arg)*);
    }};
}

/// Runs inspect; exit 0 when every sheet with data was recognized, 3 otherwise.
///
/// # Errors
/// When an input path does not exist.
pub fn run(args: &Args, ctx: &Context) -> Result<u8> {
    use rayon::prelude::*;
    let expanded = crate::normalize::expand(&args.inputs)?;
    let files = expanded.files;
    // Files are inspected in parallel; the reports are printed in input order.
    let reports: Vec<(String, bool)> = files
        .par_iter()
        .map(|path| {
            let mut out = String::new();
            let mut ok = true;
            for wb in crate::read::read_all(path) {
                match wb {
                    Ok(wb) => ok &= inspect_workbook(&wb, ctx, &mut out),
                    Err(e) => {
                        ok = false;
                        w!(out, "{}\n  не прочитан: {e}", path.display());
                    }
                }
            }
            (out, ok)
        })
        .collect();
    let mut all_ok = true;
    for (text, ok) in reports {
        crate::cli::print(&text)?;
        all_ok &= ok;
    }
    // Files in the folders that are not spreadsheets are named, never dropped silently.
    for issue in &expanded.skipped {
        crate::cli::print(&format!("{issue}\n"))?;
    }
    Ok(if all_ok {
        crate::exit::OK
    } else {
        crate::exit::ROWS_REJECTED
    })
}

/// Writes one workbook's report; false when a sheet with data was not recognized.
fn inspect_workbook(wb: &Workbook, ctx: &Context, out: &mut String) -> bool {
    let cfg = &ctx.config;
    let shown = wb.path.display().to_string();
    let name = wb
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    w!(out, "{shown}");
    if let Some(d) = &wb.detected {
        w!(out, "  кодировка и разделитель: {d}");
    }
    let mut ok = true;
    for raw in &wb.sheets {
        let sheet_label = raw
            .name
            .as_ref()
            .map_or("таблица".to_string(), |s| format!("лист «{s}»"));
        if raw
            .rows
            .iter()
            .all(|r| r.iter().all(crate::read::Cell::is_empty))
        {
            w!(out, "  {sheet_label}: пуст — пропущен");
            continue;
        }
        let prepared = prepare_sheet(raw, &wb.path, cfg);
        let table = match prepared.table {
            Ok(t) => t,
            Err(u) if u.message.starts_with(crate::recognize::DISTRICT_TABLE) => {
                w!(out, "  {sheet_label}: {}", u.message);
                if let Some(t) = crate::recognize::recognize_district(raw, &name, cfg) {
                    show_summary(raw, &t, out);
                }
                continue;
            }
            Err(u) => {
                ok = false;
                w!(out, "  {sheet_label}: НЕ РАСПОЗНАН");
                for line in u.message.lines() {
                    w!(out, "    {line}");
                }
                continue;
            }
        };
        let sheet = prepared.sheet.as_ref();
        let so = normalize_mapped(sheet, &table, &shown, cfg, prepared.row_map.as_deref());
        let orig = |r: usize| {
            prepared
                .row_map
                .as_ref()
                .and_then(|m| m.get(r).copied())
                .unwrap_or(r)
                + 1
        };
        w!(out, "  {sheet_label}: {}", table.kind.label());
        for n in &prepared.notes {
            w!(out, "    · {n}");
        }
        let m = &table.meta;
        let mut meta = Vec::new();
        if let Some(e) = m.exam {
            meta.push(format!("процедура {}", e.label()));
        }
        if let Some(s) = &m.subject {
            meta.push(format!("предмет {s}"));
        }
        if let Some(g) = m.grade {
            meta.push(format!("{g} класс"));
        }
        if let Some(y) = m.year {
            meta.push(format!("год {y}"));
        }
        if !meta.is_empty() {
            w!(
                out,
                "    по заголовку, имени листа и файла: {}",
                meta.join(", ")
            );
        }
        let procs: BTreeSet<String> = so
            .results
            .iter()
            .map(|r| format!("{} {}", r.rec.procedure, r.rec.year))
            .collect();
        if !procs.is_empty() {
            w!(
                out,
                "    процедуры в строках: {}",
                procs.into_iter().collect::<Vec<_>>().join("; ")
            );
        }
        let (h1, h2) = table.header_rows;
        if h1 == h2 {
            w!(out, "    заголовок: строка {}", h1 + 1);
        } else {
            w!(out, "    заголовок: строки {}–{}", h1 + 1, h2 + 1);
        }
        w!(out, "    данные со строки {}", orig(table.data_start));
        print_columns(&table, out);
        for n in table.notes.iter().chain(so.notes.iter()) {
            for (i, line) in n.lines().enumerate() {
                let mark = if i == 0 { "·" } else { " " };
                w!(out, "    {mark} {line}");
            }
        }
        let classes = classify(sheet, &table);
        print_classes(&classes, "строки", out);
        let keys: BTreeSet<&str> = so
            .results
            .iter()
            .map(|k| k.key.as_str())
            .chain(so.contingent.iter().map(|k| k.key.as_str()))
            .chain(so.passports.iter().map(|k| k.key.as_str()))
            .chain(so.olympiad.iter().map(|k| k.key.as_str()))
            .collect();
        let schools = if so.registry.is_empty() {
            keys.len()
        } else {
            so.registry.len()
        };
        w!(
            out,
            "    строк принято {}, отклонено {}, школ {schools}",
            so.accepted,
            so.rejected
        );
        print_checks(&check_totals(sheet, &table, &classes), &orig, out);
        let rejected: Vec<_> = so.issues.iter().collect();
        for i in rejected.iter().take(5) {
            w!(
                out,
                "    замечание: {}",
                i.message.lines().next().unwrap_or_default()
            );
        }
        if rejected.len() > 5 {
            w!(
                out,
                "    … ещё замечаний: {} (полный список — shnor validate)",
                rejected.len() - 5
            );
        }
    }
    ok
}

/// A table without schools (municipalities or years in rows): its columns, row classes and
/// totals, so the analyst can still check it.
fn show_summary(sheet: &crate::read::Sheet, table: &crate::recognize::Table, out: &mut String) {
    let (h1, h2) = table.header_rows;
    w!(
        out,
        "    заголовок: строки {}–{}, данные со строки {}",
        h1 + 1,
        h2 + 1,
        table.data_start + 1
    );
    print_columns(table, out);
    let classes = classify(sheet, table);
    print_classes(&classes, "summary", out);
    print_checks(&check_totals(sheet, table, &classes), &|r| r + 1, out);
}

fn print_columns(table: &crate::recognize::Table, out: &mut String) {
    w!(out, "    столбцы:");
    let mut cols: Vec<(usize, String, Option<String>)> = table
        .columns
        .iter()
        .map(|c| {
            (
                c.index,
                c.heading.clone(),
                Some(format!("{} ({})", c.field.heading(), c.field.key())),
            )
        })
        .chain(table.unmapped.iter().map(|(i, h)| (*i, h.clone(), None)))
        .collect();
    cols.sort_by_key(|c| c.0);
    for (i, h, f) in &cols {
        let h = crate::read::norm_text(h);
        match f {
            Some(f) => w!(out, "      {} «{h}» → {f}", column_letter(*i)),
            None => w!(out, "      {} «{h}» — не используется", column_letter(*i)),
        }
    }
}

fn print_classes(classes: &[(usize, RowClass)], what: &str, out: &mut String) {
    let mut counts: BTreeMap<RowClass, usize> = BTreeMap::new();
    for (_, c) in classes {
        *counts.entry(*c).or_default() += 1;
    }
    let by_class: Vec<String> = counts
        .iter()
        .map(|(c, n)| match (c, what) {
            // In a table without schools the data rows are municipalities or years.
            (RowClass::School, "summary") => format!("строки данных {n}"),
            _ => format!("{} {n}", c.label()),
        })
        .collect();
    w!(out, "    строки по видам: {}", by_class.join(", "));
}

fn print_checks(
    checks: &[crate::recognize::TotalCheck],
    orig: &dyn Fn(usize) -> usize,
    out: &mut String,
) {
    if checks.is_empty() {
        return;
    }
    let passed = checks.iter().filter(|c| c.passed()).count();
    w!(
        out,
        "    проверка итогов (сумма строк под итоговой строкой): сошлось {passed} из {}",
        checks.len()
    );
    for c in checks.iter().filter(|c| !c.passed()).take(10) {
        w!(
            out,
            "      строка {} ({}), «{}»: в файле {}, сумма {} строк {} — расхождение {}",
            orig(c.row),
            c.class.label(),
            crate::read::norm_text(&c.what),
            c.stated,
            c.schools,
            c.summed,
            c.summed as i64 - c.stated as i64
        );
    }
}
