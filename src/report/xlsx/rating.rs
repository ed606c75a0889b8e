//! «Рейтинг»: every school on one printable row — cluster, ОИП by year, ИСБ, place in the
//! cluster, flags and основание. The indicator values behind the points are on
//! «Показатели школ» (see `details`).

use super::{SHEET_RATING, flag_color, printable};
use crate::config::Config;
use crate::judge::{Findings, SchoolResult};
use crate::report::format::{self, FLAG_ORDER};
use crate::report::sheet::{Styles, col, header_row, num, put, put_with, row, text};
use anyhow::Result;
use rust_xlsxwriter::{
    Color, ConditionalFormat3ColorScale, ConditionalFormatText, ConditionalFormatTextRule,
    ConditionalFormatType, Format, Workbook,
};

pub(super) fn write(wb: &mut Workbook, f: &Findings, cfg: &Config, st: &Styles) -> Result<()> {
    let mut headers: Vec<String> = ["№", "Код", "Наименование", "Муниципалитет", "Кластер"]
        .map(String::from)
        .to_vec();
    let oip_col = headers.len();
    headers.extend(f.years.iter().map(|y| format!("ОИП {y}")));
    let band_col = headers.len();
    headers.push(format!(
        "ОИП {}: интервал {} %",
        f.year,
        format::trim(cfg.uncertainty.level * 100.0)
    ));
    let isb_col = headers.len();
    headers.push("ИСБ".into());
    headers.push("Место в кластере".into());
    let context_col = headers.len();
    headers.push("Ожидаемый ОИП по ИСБ".into());
    headers.push("ОИП по контексту".into());
    let flag_col = headers.len();
    headers.push("Признаки".into());
    headers.push("Устойчивость признака по ОИП".into());
    headers.push("Резильентная по контексту".into());
    headers.push("Основание, примечание".into());
    let last = headers.len() - 1;

    let mut w = vec![(0, 5), (1, 9), (2, 34), (3, 14), (4, 16)];
    w.extend((oip_col..band_col).map(|c| (col(c), 8)));
    w.extend([
        (col(band_col), 11),
        (col(isb_col), 8),
        (col(isb_col + 1), 8),
    ]);
    w.extend([(col(context_col), 11), (col(context_col + 1), 13)]);
    w.extend([
        (col(flag_col), 14),
        (col(flag_col + 1), 14),
        (col(flag_col + 2), 13),
        (col(last), 50),
    ]);
    let ws = printable(wb, SHEET_RATING, &w, st)?;
    header_row(ws, 0, &headers, st)?;
    ws.set_freeze_panes(1, 3)?;
    ws.set_repeat_rows(0, 0)?;

    let mut schools: Vec<&SchoolResult> = f.schools.iter().collect();
    schools.sort_by_cached_key(|s| {
        (
            s.cluster.clone(),
            s.rank_in_cluster.unwrap_or(u32::MAX),
            s.school.name.to_lowercase(),
        )
    });

    for (i, s) in schools.iter().enumerate() {
        let r = row(i + 1);
        crate::report::sheet::number(ws, r, 0, (i + 1) as f64)?;
        put(ws, r, 1, &s.school.id)?;
        put_with(ws, r, 2, &s.school.name, &st.wrap)?;
        put_with(
            ws,
            r,
            3,
            s.school.municipality.as_deref().unwrap_or(""),
            &st.wrap,
        )?;
        put_with(ws, r, 4, &s.cluster, &st.wrap)?;
        for (k, y) in f.years.iter().enumerate() {
            num(ws, r, col(oip_col + k), s.oip_in(*y), &st.one)?;
        }
        if let Some(band) = format::oip_band_in(s, f.year) {
            put(ws, r, col(band_col), band)?;
        }
        if let Some(c) = &s.context {
            num(ws, r, col(context_col), Some(c.expected), &st.one)?;
            put_with(ws, r, col(context_col + 1), c.verdict.label(), &st.wrap)?;
            if c.resilient {
                put(ws, r, col(flag_col + 2), "да")?;
            }
        }
        if let Some(label) = format::robust_label(s) {
            put_with(ws, r, col(flag_col + 1), label, &st.wrap)?;
        }
        num(
            ws,
            r,
            col(isb_col),
            s.isb.as_ref().map(|i| i.value),
            &st.one,
        )?;
        num(
            ws,
            r,
            col(isb_col + 1),
            s.rank_in_cluster.map(f64::from),
            &st.int,
        )?;
        let flags = format::flag_labels(s);
        text(ws, r, col(flag_col), &flags.join(", "))?;
        let mut lines = format::basis_lines(s);
        if s.oip_in(f.year).is_none() {
            let used = s
                .oip
                .iter()
                .find(|o| o.year == f.year)
                .map_or(0, |o| o.indicators_used);
            lines.push(format!(
                "ОИП {}: недостаточно данных (надёжных показателей {used} < {})",
                f.year, cfg.oip.min_indicators
            ));
        }
        // Wrapped, so long reasons stay inside their column when printed.
        put_with(ws, r, col(last), lines.join("\n"), &st.wrap)?;
    }

    let last_row = row(schools.len().max(1));
    ws.autofilter(0, 0, last_row, col(last))?;
    // The first flag of a school (in the program's order) colours its «Признаки».
    let c = col(flag_col);
    for kind in FLAG_ORDER {
        let cf = ConditionalFormatText::new()
            .set_rule(ConditionalFormatTextRule::BeginsWith(kind.label().into()))
            .set_format(Format::new().set_background_color(Color::RGB(flag_color(kind))));
        ws.add_conditional_format(1, c, last_row, c, &cf)?;
    }
    let scale = cfg.oip.scale;
    let cf = ConditionalFormat3ColorScale::new()
        .set_minimum(ConditionalFormatType::Number, scale)
        .set_midpoint(ConditionalFormatType::Number, cfg.oip.program_threshold)
        .set_maximum(ConditionalFormatType::Number, scale * 5.0)
        .set_minimum_color(0xF8_69_6B)
        .set_midpoint_color(0xFF_EB_84)
        .set_maximum_color(0x63_BE_7B);
    ws.add_conditional_format(1, col(oip_col), last_row, col(band_col - 1), &cf)?;
    Ok(())
}
