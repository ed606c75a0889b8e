//! «Рейтинг»: every school with its indicators, points, ОИП, ИСБ, rank and flags.

use super::{SHEET_RATING, flag_color, flag_column, printable};
use crate::config::Config;
use crate::judge::{Findings, SchoolResult};
use crate::report::format::{self, FLAG_ORDER};
use crate::report::sheet::{Styles, col, header_row, num, row, text};
use anyhow::Result;
use rust_xlsxwriter::{
    Color, ConditionalFormat3ColorScale, ConditionalFormatText, ConditionalFormatTextRule,
    ConditionalFormatType, Format, Workbook,
};

pub(super) fn write(wb: &mut Workbook, f: &Findings, cfg: &Config, st: &Styles) -> Result<()> {
    let ws = printable(
        wb,
        SHEET_RATING,
        &[(0, 5), (1, 10), (2, 40), (3, 18), (4, 20)],
    )?;

    let mut headers: Vec<String> = ["№", "Код", "Наименование", "Муниципалитет", "Кластер"]
        .map(String::from)
        .to_vec();
    for spec in &cfg.indicators {
        headers.push(format!("{} ({})", spec.name, f.year));
        headers.push(format!("{}: n", spec.id));
        headers.push(format!("{}: баллы", spec.id));
    }
    headers.push("Примечание".into());
    let oip_col = headers.len();
    headers.extend(f.years.iter().map(|y| format!("ОИП {y}")));
    let isb_col = headers.len();
    headers.push("ИСБ".into());
    headers.push("Место в кластере".into());
    let flag_col = headers.len();
    headers.extend(FLAG_ORDER.iter().map(|k| flag_column(*k).to_string()));
    headers.push("Основание".into());
    let last = headers.len() - 1;

    header_row(ws, 0, &headers, st)?;
    ws.set_row_height(0, 60)?;
    ws.set_freeze_panes(1, 3)?;
    ws.set_repeat_rows(0, 0)?;
    for c in 5..oip_col {
        ws.set_column_width(col(c), 10)?;
    }
    ws.set_column_width(col(oip_col - 1), 40)?;
    ws.set_column_width(col(last), 60)?;

    let mut schools: Vec<&SchoolResult> = f.schools.iter().collect();
    schools.sort_by(|a, b| {
        (
            &a.cluster,
            a.rank_in_cluster.unwrap_or(u32::MAX),
            a.school.name.to_lowercase(),
        )
            .cmp(&(
                &b.cluster,
                b.rank_in_cluster.unwrap_or(u32::MAX),
                b.school.name.to_lowercase(),
            ))
    });
    let formats: Vec<Format> = cfg
        .indicators
        .iter()
        .map(|s| Format::new().set_num_format(format::excel_format(&s.source)))
        .collect();

    for (i, s) in schools.iter().enumerate() {
        let r = row(i + 1);
        ws.write_number(r, 0, (i + 1) as f64)?;
        crate::report::sheet::put(ws, r, 1, &s.school.id)?;
        crate::report::sheet::put(ws, r, 2, &s.school.name)?;
        text(ws, r, 3, s.school.municipality.as_deref().unwrap_or(""))?;
        crate::report::sheet::put(ws, r, 4, &s.cluster)?;
        let mut notes = Vec::new();
        for (j, spec) in cfg.indicators.iter().enumerate() {
            let c = col(5 + 3 * j);
            let Some(ind) = format::indicator(s, f.year, &spec.id) else {
                continue;
            };
            if ind.value.is_none() {
                continue;
            }
            num(ws, r, c, ind.value, &formats[j])?;
            ws.write_number(r, c + 1, f64::from(ind.n))?;
            num(ws, r, c + 2, ind.points.map(f64::from), &st.int)?;
            if let Some(n) = format::note(ind, cfg) {
                notes.push(format!("{}: {n}", spec.id));
            }
        }
        if s.oip_in(f.year).is_none() {
            let used = s
                .oip
                .iter()
                .find(|o| o.year == f.year)
                .map_or(0, |o| o.indicators_used);
            notes.push(format!(
                "ОИП {}: недостаточно данных (надёжных показателей {used} < {})",
                f.year, cfg.oip.min_indicators
            ));
        }
        // Wrapped, so long notes and reasons stay inside their columns when printed.
        crate::report::sheet::put_with(ws, r, col(oip_col - 1), notes.join("; "), &st.wrap)?;
        for (k, y) in f.years.iter().enumerate() {
            num(ws, r, col(oip_col + k), s.oip_in(*y), &st.one)?;
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
        for (k, kind) in FLAG_ORDER.iter().enumerate() {
            if s.flag(*kind).is_some() {
                crate::report::sheet::put(ws, r, col(flag_col + k), "да")?;
            }
        }
        crate::report::sheet::put_with(ws, r, col(last), format::basis(s), &st.wrap)?;
    }

    let last_row = row(schools.len().max(1));
    ws.autofilter(0, 0, last_row, col(last))?;
    for (k, kind) in FLAG_ORDER.iter().enumerate() {
        let c = col(flag_col + k);
        let cf = ConditionalFormatText::new()
            .set_rule(ConditionalFormatTextRule::Contains("да".into()))
            .set_format(Format::new().set_background_color(Color::RGB(flag_color(*kind))));
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
    ws.add_conditional_format(1, col(oip_col), last_row, col(isb_col - 1), &cf)?;
    Ok(())
}
