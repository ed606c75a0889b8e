//! `identify-<year>.xlsx`: the December report in Russian, printable. One sheet per question
//! the analyst is asked (summary, rating, the program's lists, procedures, data quality,
//! methodology, charts), a file per sheet here; what the sheets share is in `report::sheet`.
//! Large sheets are low-memory worksheets, written top to bottom.

mod charts;
mod details;
mod lists;
mod methodology;
mod objectivity;
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
use super::sheet::{self, Styles};
use crate::config::Config;
use crate::judge::{Findings, FlagKind};
use crate::model::Dataset;
use anyhow::Result;
use rust_xlsxwriter::{Workbook, Worksheet};

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
    let mut wb = sheet::workbook(format!("Выявление ШНОР и ШНСУ, {} год", findings.year))?;
    let st = Styles::new(
        &format!("Выявление ШНОР и ШНСУ, {} год", findings.year),
        cfg.report_date.as_deref(),
    );
    summary::write(&mut wb, findings, ds, cfg, prev, &st)?;
    rating::write(&mut wb, findings, cfg, &st)?;
    for k in FLAG_ORDER {
        lists::write(&mut wb, findings, k, &st)?;
    }
    profiles::write(&mut wb, findings, cfg, &st)?;
    details::write(&mut wb, findings, cfg, &st)?;
    procedures::write(&mut wb, findings, &st)?;
    objectivity::write(&mut wb, findings, cfg, &st)?;
    quality::write(&mut wb, ds, &st)?;
    methodology::write(&mut wb, findings, ds, cfg, &st)?;
    charts::write(&mut wb, findings, cfg, &st)?;
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

/// A new low-memory sheet (written top to bottom), printed landscape on A4, with its column
/// widths as (column, characters).
fn printable<'a>(
    wb: &'a mut Workbook,
    name: &str,
    widths: &[(u16, u16)],
    st: &Styles,
) -> Result<&'a mut Worksheet> {
    let ws = wb.add_worksheet_with_low_memory()?;
    ws.set_name(name)?;
    sheet::print_setup(ws, st);
    sheet::widths(ws, widths)?;
    Ok(ws)
}
