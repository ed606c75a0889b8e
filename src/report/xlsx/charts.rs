//! «Диаграммы»: ОИП × ИСБ with the threshold lines, and the mean ОИП per cluster.

use super::{SHEET_CHARTS, a4_landscape};
use crate::config::Config;
use crate::judge::{Findings, SchoolResult};
use crate::report::format;
use crate::report::sheet::{self, Styles, header_row, headers_at, row};
use anyhow::Result;
use rust_xlsxwriter::{
    Chart, ChartFormat, ChartLine, ChartLineDashType, ChartMarker, ChartMarkerType, ChartSolidFill,
    ChartType, Color, Workbook,
};

/// A reference line of the scatter chart: name, two points, colour, dashed.
type Line = (String, [(f64, f64); 2], u32, bool);

pub(super) fn write(wb: &mut Workbook, f: &Findings, cfg: &Config, st: &Styles) -> Result<()> {
    let ws = sheet::named(wb, SHEET_CHARTS)?;
    a4_landscape(ws);
    crate::report::sheet::put_with(
        ws,
        0,
        0,
        format!("Данные диаграмм ({} год)", f.year),
        &st.title,
    )?;
    let headers = ["Код", "Школа", "ИСБ", &format!("ОИП {}", f.year)];
    header_row(ws, 1, &headers, st)?;
    ws.set_column_width(1, 30)?;
    let points: Vec<(&SchoolResult, f64, f64)> = format::by_name(f.schools.iter())
        .into_iter()
        .filter_map(|s| Some((s, s.isb.as_ref()?.value, s.oip_in(f.year)?)))
        .collect();
    for (i, (s, isb, oip)) in points.iter().enumerate() {
        let r = row(i + 2);
        crate::report::sheet::put(ws, r, 0, &s.school.id)?;
        crate::report::sheet::put(ws, r, 1, &s.school.name)?;
        ws.write_number_with_format(r, 2, *isb, &st.one)?;
        ws.write_number_with_format(r, 3, *oip, &st.one)?;
    }

    // Lines as two-point scatter series (F:H): the quadrants are the typology.
    let y_min = cfg.oip.scale;
    let y_max = cfg.oip.scale * 5.0;
    let mut xs: Vec<f64> = points.iter().map(|p| p.1).collect();
    if let Some(t) = &f.isb_threshold {
        xs.push(t.value);
    }
    let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (x_min, x_max) = if lo.is_finite() {
        let a = (lo / 5.0).floor() * 5.0;
        let b = ((hi / 5.0).ceil() * 5.0).max(a + 5.0);
        (a.max(0.0), b.min(100.0).max(a + 5.0))
    } else {
        (0.0, 100.0)
    };
    headers_at(ws, 1, 5, &["Линия", "X (ИСБ)", "Y (ОИП)"], st)?;
    let mut lines: Vec<Line> = Vec::new();
    if let Some(t) = &f.isb_threshold {
        lines.push((
            format!("Порог ИСБ {}", format::fixed(t.value, 1)),
            [(t.value, y_min), (t.value, y_max)],
            0x1F_4E_79,
            false,
        ));
    }
    lines.push((
        format!("Порог ШНОР {}", format::trim(cfg.oip.shnor_bar)),
        [(x_min, cfg.oip.shnor_bar), (x_max, cfg.oip.shnor_bar)],
        0xC0_00_00,
        false,
    ));
    lines.push((
        format!(
            "Порог программы {}",
            format::trim(cfg.oip.program_threshold)
        ),
        [
            (x_min, cfg.oip.program_threshold),
            (x_max, cfg.oip.program_threshold),
        ],
        0x38_76_1D,
        true,
    ));
    for (i, (name, pts, _, _)) in lines.iter().enumerate() {
        for (k, (x, y)) in pts.iter().enumerate() {
            let r = row(2 + 2 * i + k);
            crate::report::sheet::put(ws, r, 5, name)?;
            ws.write_number(r, 6, *x)?;
            ws.write_number(r, 7, *y)?;
        }
    }

    // Mean ОИП per cluster (J:L).
    let mean = format!("Средний ОИП {}", f.year);
    headers_at(ws, 1, 9, &["Кластер", "Школ с ОИП", &mean], st)?;
    ws.set_column_width(9, 24)?;
    let mut cluster_rows = 0usize;
    for c in &f.clusters {
        let vals: Vec<f64> = f
            .schools
            .iter()
            .filter(|s| s.cluster == c.name)
            .filter_map(|s| s.oip_in(f.year))
            .collect();
        if vals.is_empty() {
            continue;
        }
        let r = row(2 + cluster_rows);
        crate::report::sheet::put(ws, r, 9, &c.name)?;
        ws.write_number(r, 10, vals.len() as f64)?;
        ws.write_number_with_format(r, 11, vals.iter().sum::<f64>() / vals.len() as f64, &st.one)?;
        cluster_rows += 1;
    }

    if points.is_empty() {
        crate::report::sheet::put(
            ws,
            row(2),
            13,
            "Нет школ, у которых есть и ОИП, и ИСБ: диаграмма ОИП × ИСБ не построена",
        )?;
    } else {
        let mut ch = Chart::new(ChartType::Scatter);
        let last = row(points.len() + 1);
        ch.add_series()
            .set_name("Школы")
            .set_categories((SHEET_CHARTS, 2, 2, last, 2))
            .set_values((SHEET_CHARTS, 2, 3, last, 3))
            .set_marker(
                ChartMarker::new()
                    .set_type(ChartMarkerType::Circle)
                    .set_size(6),
            );
        for (i, (name, _, color, dashed)) in lines.iter().enumerate() {
            let r0 = row(2 + 2 * i);
            let mut line = ChartLine::new();
            line.set_color(Color::RGB(*color)).set_width(1.5);
            if *dashed {
                line.set_dash_type(ChartLineDashType::Dash);
            }
            ch.add_series()
                .set_name(name.as_str())
                .set_categories((SHEET_CHARTS, r0, 6, r0 + 1, 6))
                .set_values((SHEET_CHARTS, r0, 7, r0 + 1, 7))
                .set_format(ChartFormat::new().set_line(&line))
                .set_marker(ChartMarker::new().set_none());
        }
        ch.title().set_name(&format!("ОИП × ИСБ, {} год", f.year));
        ch.x_axis()
            .set_name("ИСБ (выше — благополучнее)")
            .set_min(x_min)
            .set_max(x_max);
        ch.y_axis().set_name("ОИП").set_min(y_min).set_max(y_max);
        ch.set_width(720).set_height(460);
        ws.insert_chart(1, 13, &ch)?;
    }
    if cluster_rows > 0 {
        let last = row(cluster_rows + 1);
        let mut ch = Chart::new(ChartType::Column);
        ch.add_series()
            .set_name(format!("Средний ОИП {}", f.year).as_str())
            .set_categories((SHEET_CHARTS, 2, 9, last, 9))
            .set_values((SHEET_CHARTS, 2, 11, last, 11))
            .set_format(
                ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(0x5B_9B_D5)),
            );
        ch.title()
            .set_name(&format!("Средний ОИП школ по кластерам, {} год", f.year));
        ch.y_axis().set_name("ОИП").set_min(0.0).set_max(y_max);
        ch.legend().set_hidden();
        ch.set_width(720).set_height(360);
        ws.insert_chart(25, 13, &ch)?;
    }
    Ok(())
}
