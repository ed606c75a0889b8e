//! `shnor validate`: what `identify` would read, file by file, and every rejected row.

use crate::cli::Context;
use crate::model::{Severity, TableSummary};
use crate::normalize::SheetNotes;
use anyhow::Result;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Примеры:\n  shnor validate выгрузки/\n  shnor validate реестр.xlsx впр_2025.xlsx\n\n\
Код завершения 3 — часть строк или файлов отклонена (список выше); 0 — всё прочитано; 1 — \
файлов нет (пустая папка или неверный путь)."
)]
pub struct Args {
    /// Папка с выгрузками или отдельные файлы
    #[arg(required = true, value_name = "ПАПКА_ИЛИ_ФАЙЛЫ")]
    pub inputs: Vec<PathBuf>,
}

fn table_line(t: &TableSummary) -> String {
    let mut parts = Vec::new();
    if let Some(s) = &t.sheet {
        parts.push(format!("лист «{s}»"));
    }
    parts.push(t.kind.map_or("не распознан", |k| k.label()).to_string());
    if let Some(p) = &t.procedure {
        parts.push(p.clone());
    }
    if let Some(y) = t.year {
        parts.push(format!("{y} год"));
    }
    parts.push(format!("строк принято: {}", t.rows_accepted));
    parts.push(format!("отклонено: {}", t.rows_rejected));
    parts.push(format!("школ: {}", t.schools));
    parts.join("; ")
}

fn notes_for<'a>(
    notes: &'a [SheetNotes],
    file: &'a str,
    sheet: Option<&'a str>,
) -> impl Iterator<Item = &'a String> + 'a {
    notes
        .iter()
        .filter(move |n| n.file == file && n.sheet.as_deref() == sheet)
        .flat_map(|n| n.notes.iter())
}

/// Runs the check; exit 3 when any row or file was rejected.
///
/// # Errors
/// Fatal input problems (duplicate school ids, two files for one procedure and year).
pub fn run(args: &Args, ctx: &Context) -> Result<u8> {
    let (cfg, today) = super::dated_config(&ctx.config)?;
    ctx.progress("Читаю файлы…");
    let loaded = crate::normalize::load_with(&args.inputs, &cfg, ctx.walk)?;
    let ds = &loaded.dataset;
    for f in &ds.files {
        ctx.say(&f.path);
        // A file without sheets (csv) has its notes under its table, said once there.
        if !f.tables.iter().any(|t| t.sheet.is_none()) {
            for n in notes_for(&loaded.notes, &f.path, None) {
                ctx.say(&format!("    · {n}"));
            }
        }
        for t in &f.tables {
            ctx.say(&format!("  {}", table_line(t)));
            for n in notes_for(&loaded.notes, &f.path, t.sheet.as_deref()) {
                for (i, line) in n.lines().enumerate() {
                    let mark = if i == 0 { "·" } else { " " };
                    ctx.say(&format!("    {mark} {line}"));
                }
            }
        }
        // Sheets skipped as empty have notes but no table.
        for n in loaded.notes.iter().filter(|n| {
            n.file == f.path && n.sheet.is_some() && !f.tables.iter().any(|t| t.sheet == n.sheet)
        }) {
            for line in &n.notes {
                ctx.say(&format!(
                    "  лист «{}»: {line}",
                    n.sheet.as_deref().unwrap_or_default()
                ));
            }
        }
    }
    let accepted: usize = ds
        .files
        .iter()
        .flat_map(|f| &f.tables)
        .map(|t| t.rows_accepted)
        .sum();
    let rejected_rows: usize = ds
        .files
        .iter()
        .flat_map(|f| &f.tables)
        .map(|t| t.rows_rejected)
        .sum();
    ctx.say("");
    ctx.say(&format!(
        "Итого: файлов {}, школ {}, строк принято {accepted}, отклонено {rejected_rows}.",
        ds.files.len(),
        ds.schools.len()
    ));
    // Whole kinds that would count for no school in identify: the same lines it prints.
    // Printed even with --quiet, like the problems below.
    let coverage = super::coverage_notes(ds, &cfg, today);
    if !coverage.is_empty() {
        crate::cli::print("\nНеполные данные (как их назовёт identify):\n")?;
        for note in &coverage {
            crate::cli::print(&format!("  {}\n", note.line()))?;
        }
    }
    let rejected = ds
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Rejected)
        .count();
    if !ds.issues.is_empty() {
        ctx.say("");
        ctx.say("Замечания (файл, лист, строка, столбец, значение — что не так и что сделать):");
        for i in &ds.issues {
            let tag = match i.severity {
                Severity::Rejected => "ОТКЛОНЕНО",
                Severity::Warning => "предупреждение",
            };
            // Problems are printed even with --quiet: that is what --quiet keeps.
            if i.origin.file.is_empty() {
                crate::cli::print(&format!("{tag}: {}\n", i.message))?;
            } else {
                crate::cli::print(&format!("{tag}: {i}\n"))?;
            }
        }
    }
    // No file at all: a wrong path or an empty folder. identify would refuse it, so
    // validate does not say «всё прочитано» with 0. (Files that are not recognized are
    // rejected rows, code 3, above.)
    if ds.files.is_empty() {
        let inputs: Vec<String> = args
            .inputs
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        anyhow::bail!(
            "{}: файлов нет — проверьте путь; shnor читает таблицы xlsx, xls, xml \
             (SpreadsheetML), ods и csv, в том числе в архивах zip",
            inputs.join(", ")
        );
    }
    if rejected > 0 || rejected_rows > 0 {
        Ok(crate::exit::ROWS_REJECTED)
    } else {
        Ok(crate::exit::OK)
    }
}
