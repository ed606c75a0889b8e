//! `identify-<year>.xlsx`: the December report in Russian, printable. One sheet per question
//! the analyst is asked (summary, rating, the program's lists, procedures, data quality,
//! methodology, charts), a file per sheet here; what the sheets share is in `report::sheet`.
//! Large sheets are low-memory worksheets, written top to bottom.

mod charts;
mod details;
mod lists;
mod methodology;
mod objectivity;
mod parts;
mod procedures;
mod profiles;
mod quality;
mod rating;
mod summary;
#[cfg(test)]
mod tests;
#[cfg(test)]
pub(crate) use objectivity::tests::marked_findings as objectivity_test_findings;

use super::format::FLAG_ORDER;
use super::sheet::{self, Styles, printable};
use crate::config::Config;
use crate::judge::{Findings, FlagKind};
use crate::model::Dataset;
use anyhow::Result;

const SHEET_SUMMARY: &str = "Сводка";
const SHEET_RATING: &str = "Рейтинг";
const SHEET_DETAILS: &str = "Показатели школ";
const SHEET_PROFILES: &str = "Профили школ";
const SHEET_PROCEDURES: &str = "Показатели по процедурам";
const SHEET_QUALITY: &str = "Качество данных";
const SHEET_METHOD: &str = "Методика";
const SHEET_CHARTS: &str = "Диаграммы";

/// Sheet name of the program's list for a flag.
fn list_sheet(k: FlagKind) -> &'static str {
    match k {
        FlagKind::Shnor => "ШНОР",
        FlagKind::Shnsu => "ШНСУ",
        FlagKind::Risk => "Зона риска",
        FlagKind::Resilient => "Резильентные",
    }
}

/// Heading of a flag column in «Рейтинг».
fn flag_column(k: FlagKind) -> &'static str {
    match k {
        FlagKind::Shnor => "ШНОР",
        FlagKind::Shnsu => "ШНСУ",
        FlagKind::Risk => "Зона риска",
        FlagKind::Resilient => "Резильентная",
    }
}

/// Fill colour of a flag (light, so printed text stays readable).
fn flag_color(k: FlagKind) -> u32 {
    match k {
        FlagKind::Shnor => 0xF4_B0_B0,
        FlagKind::Shnsu => 0xB4_D2_F0,
        FlagKind::Risk => 0xF8_CB_94,
        FlagKind::Resilient => 0xB7_E1_B0,
    }
}

/// Which workbook of a report is rendered (`report::split`).
#[derive(Clone, Copy, Debug)]
pub enum Scope<'a> {
    /// The one workbook of the whole input.
    Whole,
    /// The summary workbook of a split report: the whole input's Сводка, lists, data quality
    /// and methodology, and a table of the parts; no per-school sheets.
    Summary {
        by: super::split::By,
        parts: &'a [super::split::PartRow],
    },
    /// One part's workbook: every sheet about its schools; the data quality of all files is
    /// in the summary workbook `summary`.
    Part { name: &'a str, summary: &'a str },
}

/// Renders the whole workbook into memory.
///
/// # Errors
/// When rust_xlsxwriter fails (temporary files for low-memory sheets, invalid ranges).
pub fn render(
    findings: &Findings,
    ds: &Dataset,
    cfg: &Config,
    prev: Option<&super::Previous>,
) -> Result<Vec<u8>> {
    render_scoped(findings, ds, cfg, prev, Scope::Whole)
}

/// Renders one workbook of a report (`scope`) into memory.
///
/// # Errors
/// As [`render`].
pub fn render_scoped(
    findings: &Findings,
    ds: &Dataset,
    cfg: &Config,
    prev: Option<&super::Previous>,
    scope: Scope<'_>,
) -> Result<Vec<u8>> {
    let title = match scope {
        Scope::Part { name, .. } => {
            format!("Выявление ШНОР и ШНСУ, {} год: {name}", findings.year)
        }
        _ => format!("Выявление ШНОР и ШНСУ, {} год", findings.year),
    };
    let mut wb = sheet::workbook(title.clone())?;
    let st = Styles::new(&title, cfg.report_date.as_deref());
    let per_school = !matches!(scope, Scope::Summary { .. });
    summary::write(&mut wb, findings, ds, cfg, prev, &st, scope)?;
    if let Scope::Summary { by, parts } = scope {
        parts::write(&mut wb, findings, by, parts, &st)?;
    } else {
        rating::write(&mut wb, findings, cfg, &st)?;
    }
    for k in FLAG_ORDER {
        lists::write(&mut wb, findings, k, &st)?;
    }
    if per_school {
        profiles::write(&mut wb, findings, cfg, &st)?;
        details::write(&mut wb, findings, cfg, &st)?;
        procedures::write(&mut wb, findings, &st, matches!(scope, Scope::Part { .. }))?;
    }
    objectivity::write(&mut wb, findings, cfg, &st)?;
    if !matches!(scope, Scope::Part { .. }) {
        quality::write(&mut wb, ds, &st)?;
    }
    methodology::write(&mut wb, findings, ds, cfg, &st)?;
    if per_school {
        charts::write(&mut wb, findings, cfg, &st)?;
    }
    Ok(wb.save_to_buffer()?)
}

/// The number format of each configured indicator's values (in the order of
/// `cfg.indicators`), top-aligned like every cell of a grown row.
fn value_formats(cfg: &Config) -> Vec<rust_xlsxwriter::Format> {
    cfg.indicators
        .iter()
        .map(|s| {
            rust_xlsxwriter::Format::new()
                .set_num_format(super::format::excel_format(&s.source))
                .set_align(rust_xlsxwriter::FormatAlign::Top)
        })
        .collect()
}
