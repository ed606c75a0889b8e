//! `progress-<date>.docx`: the mid-year справка in Word — who entered and left the lists, the
//! program's targets with their status and where each fact comes from, the run's remarks.

use super::ProgressReport;
use crate::config::Config;
use crate::judge::Findings;
use crate::judge::progress::Movement;
use crate::report::docx::{TEXT, cell, heading, pack, page, para, run};
use crate::report::format;
use anyhow::Result;
use docx_rs::{AlignmentType, Paragraph, Table, TableRow};

/// Columns of the targets table in twips (the page's width less margins).
const TARGETS_GRID: [usize; 6] = [3_000, 900, 1_000, 1_000, 1_555, 1_900];
/// Columns of the list of movements.
const MOVES_GRID: [usize; 4] = [2_600, 1_300, 1_300, 4_155];

/// A figure as the справка prints it: one decimal, the Russian comma; empty when none.
fn figure(v: Option<f64>) -> String {
    v.map(|x| format::fixed(x, 1)).unwrap_or_default()
}

/// Renders the справка into memory.
///
/// # Errors
/// When the document cannot be packed.
pub(super) fn render(r: &ProgressReport, f: &Findings, cfg: &Config) -> Result<Vec<u8>> {
    let pf = &r.findings;
    let date = format::ru_date(&r.date);
    let mut doc = page()
        .add_paragraph(heading("СПРАВКА"))
        .add_paragraph(heading(&format!(
            "о промежуточных результатах программы поддержки школ в {}/{} учебном году (на {date})",
            pf.year - 1,
            pf.year % 100
        )))
        .add_paragraph(para(&format!(
            "Сравнение с базовым снимком {} года ({}); школ в программе — {}.",
            r.baseline.year,
            r.baseline.path,
            pf.program.len()
        )));
    let school_of = crate::report::format::by_id(f);
    let name = |id: &str| {
        school_of
            .get(id)
            .map_or(id.to_string(), |s| s.school.name.clone())
    };
    let mut counts = Vec::new();
    for (k, c) in super::list_counts(r, f) {
        counts.push(format!(
            "{}: было {}, вошли {}, вышли {}, сейчас {}",
            k.label(),
            c.before,
            c.entered,
            c.left,
            c.now
        ));
    }
    doc = doc.add_paragraph(para(&format!(
        "По промежуточным данным: {}.",
        counts.join("; ")
    )));

    doc = doc.add_paragraph(heading("Целевые показатели программы"));
    if pf.targets.is_empty() {
        doc = doc.add_paragraph(para(
            "Таблица целевых показателей не передана (--targets) или пуста.",
        ));
    } else {
        let mut rows = vec![TableRow::new(vec![
            cell("Показатель", true),
            cell("Ед.", true),
            cell("База", true),
            cell(&format!("План {}", pf.year), true),
            cell("Факт", true),
            cell("Статус", true),
        ])];
        for t in &pf.targets {
            // A fact of an earlier year is no fact: said with its year.
            let mut status = t.status.label(cfg.progress.target_tolerance);
            if let Some(why) = super::earlier_fact(t) {
                status.push_str(&format!(" ({why})"));
            }
            rows.push(TableRow::new(vec![
                cell(&t.name, false),
                cell(t.unit.as_deref().unwrap_or(""), false),
                cell(&figure(t.base), false),
                cell(&figure(t.plan), false),
                cell(&figure(t.actual), false),
                cell(&status, false),
            ]));
        }
        doc = doc.add_table(Table::new(rows).set_grid(TARGETS_GRID.to_vec()));
    }

    let moves: Vec<_> = pf
        .flags
        .iter()
        .filter(|c| c.movement != Movement::Stays)
        .collect();
    if !moves.is_empty() {
        doc = doc.add_paragraph(heading("Изменения перечней по промежуточным данным"));
        let mut rows = vec![TableRow::new(vec![
            cell("Школа", true),
            cell("Признак", true),
            cell("Движение", true),
            cell("Основание", true),
        ])];
        for c in moves {
            rows.push(TableRow::new(vec![
                cell(&name(&c.school), false),
                cell(c.kind.label(), false),
                cell(c.movement.label(), false),
                cell(&c.basis, false),
            ]));
        }
        doc = doc.add_table(Table::new(rows).set_grid(MOVES_GRID.to_vec()));
    }
    if !r.notes.is_empty() {
        doc = doc.add_paragraph(heading("Замечания"));
        for n in &r.notes {
            doc = doc.add_paragraph(para(n));
        }
    }
    doc = doc.add_paragraph(
        Paragraph::new()
            .add_run(run(
                &format!("Подробно — в отчёте progress-{}.xlsx.", r.date),
                TEXT,
            ))
            .align(AlignmentType::Left),
    );
    pack(doc)
}
