//! «Показатели школ»: the value of every indicator of every school in every year, next to its
//! cluster's value, with n, points and what to know about it (pooled years, too few
//! participants) — what «Рейтинг» sums into ОИП. One row per school, year and indicator, so
//! it prints at a readable size and filters by any of them.

use super::{SHEET_DETAILS, printable};
use crate::config::{Config, IndicatorKind};
use crate::judge::{Findings, SchoolResult};
use crate::report::format;
use crate::report::sheet::{Styles, header_row, num, put, put_with, row};
use anyhow::Result;
use rust_xlsxwriter::{Format, FormatAlign, Workbook};

pub(super) fn write(wb: &mut Workbook, f: &Findings, cfg: &Config, st: &Styles) -> Result<()> {
    let ws = printable(
        wb,
        SHEET_DETAILS,
        &[
            (0, 6),
            (1, 9),
            (2, 30),
            (3, 16),
            (4, 28),
            (5, 10),
            (6, 9),
            (7, 9),
            (8, 7),
            (9, 10),
            (10, 12),
            (11, 7),
            (12, 9),
            (13, 10),
            (14, 8),
            (15, 40),
        ],
        st,
    )?;
    let level = format::trim(cfg.uncertainty.level * 100.0);
    let headers = [
        "Год".to_string(),
        "Код".into(),
        "Школа".into(),
        "Кластер".into(),
        "Показатель".into(),
        "Значение".into(),
        format!("Интервал {level} %: от"),
        "до".into(),
        "n".into(),
        "По кластеру".into(),
        "Отношение к кластеру".into(),
        "Баллы".into(),
        "Баллы по границам".into(),
        "Сжатое значение".into(),
        "Вес B".into(),
        "Примечание".into(),
    ];
    header_row(ws, 0, &headers, st)?;
    ws.set_freeze_panes(1, 0)?;
    ws.set_repeat_rows(0, 0)?;

    let values = super::value_formats(cfg);
    // A mean is compared as a ratio to the cluster's, a share as a difference in points.
    let ratio = Format::new()
        .set_num_format("0.00")
        .set_align(FormatAlign::Top);
    let pp = Format::new()
        .set_num_format("+0.0\" п.п.\";-0.0\" п.п.\";0.0\" п.п.\"")
        .set_align(FormatAlign::Top);

    let centre = Format::new()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::Top);
    let schools: Vec<&SchoolResult> = format::by_name(f.schools.iter());
    let mut r = 1u32;
    for s in &schools {
        for y in &f.years {
            for (j, spec) in cfg.indicators.iter().enumerate() {
                let Some(ind) = format::indicator(s, *y, &spec.id) else {
                    continue;
                };
                if ind.value.is_none() {
                    continue;
                }
                crate::report::sheet::number(ws, r, 0, f64::from(*y))?;
                put(ws, r, 1, &s.school.id)?;
                put_with(ws, r, 2, &s.school.name, &st.wrap)?;
                put_with(ws, r, 3, &s.cluster, &st.wrap)?;
                put_with(ws, r, 4, &spec.name, &st.wrap)?;
                let c = &ind.certainty;
                num(ws, r, 5, ind.value, &values[j])?;
                num(ws, r, 6, c.low, &values[j])?;
                num(ws, r, 7, c.high, &values[j])?;
                crate::report::sheet::number(ws, r, 8, f64::from(ind.n))?;
                num(ws, r, 9, ind.cluster_value, &values[j])?;
                let cmp = match spec.source.kind() {
                    IndicatorKind::Mean => &ratio,
                    IndicatorKind::Share => &pp,
                };
                num(ws, r, 10, ind.comparison, cmp)?;
                num(ws, r, 11, ind.points.map(f64::from), &st.int)?;
                if let (Some(lo), Some(hi)) = (c.points_low, c.points_high) {
                    put_with(ws, r, 12, format!("{lo}–{hi}"), &centre)?;
                }
                num(ws, r, 13, c.shrunk, &values[j])?;
                num(ws, r, 14, c.weight, &ratio)?;
                if let Some(mut n) = format::note(ind, cfg) {
                    // The one-year value is what progress compares with: said here, so the
                    // two reports' numbers are seen to be the same.
                    if let (true, Some(raw)) = (ind.pooled_years > 1, ind.raw_value) {
                        n.push_str(&format!(
                            "; за один {y} г.: {} (n = {}) — с ним сравнивает промежуточный \
                             мониторинг",
                            format::value_text(&spec.source, raw),
                            ind.raw_n
                        ));
                    }
                    put_with(ws, r, 15, n, &st.wrap)?;
                }
                r += 1;
            }
        }
    }
    if r == 1 {
        put(ws, 1, 0, "Значений показателей нет")?;
    }
    ws.autofilter(0, 0, row(r.max(2) as usize - 1), 15)?;
    Ok(())
}
