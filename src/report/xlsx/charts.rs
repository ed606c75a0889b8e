//! «Диаграммы»: three charts an analyst shows the head of department, one per printed page,
//! and the tables they are drawn from below them:
//! - ОИП × ИСБ, one series per category (ШНОР, резильентные, зона риска, ШНСУ, остальные),
//!   the threshold lines, the quadrants named and the flagged schools labelled;
//! - ОИП of the schools on the program's lists by year, against the two thresholds;
//! - the share of schools with ОИП at or above the program threshold by year (the program's
//!   own target indicator).
//!
//! A school with several flags is drawn once, in the first category of the order above:
//! a resilient school is always ШНСУ too, and the result flags say more than the social one.

use super::SHEET_CHARTS;
use crate::config::Config;
use crate::judge::context::Verdict;
use crate::judge::{Findings, FlagKind, SchoolResult};
use crate::report::format;
use crate::report::sheet::{self, Styles, headers_at, num, put, put_with, row};
use anyhow::Result;
use rust_xlsxwriter::{
    Chart, ChartDataLabel, ChartDataLabelPosition, ChartErrorBars, ChartErrorBarsType, ChartFont,
    ChartFormat, ChartLine, ChartLineDashType, ChartMarker, ChartMarkerType, ChartRange,
    ChartSolidFill, ChartType, Color, Workbook, Worksheet,
};

/// The categories of the scatter, in the order a school is put in the first that fits.
const CATEGORIES: [(Option<FlagKind>, &str); 5] = [
    (Some(FlagKind::Shnor), "ШНОР"),
    (Some(FlagKind::Resilient), "Резильентные"),
    (Some(FlagKind::Risk), "Зона риска"),
    (Some(FlagKind::Shnsu), "ШНСУ"),
    (None, "Остальные школы"),
];

/// Marker colours of the categories: darker than the flags' fills, so points stand out.
fn marker_color(k: Option<FlagKind>) -> u32 {
    match k {
        Some(FlagKind::Shnor) => 0xC0_00_00,
        Some(FlagKind::Resilient) => 0x38_76_1D,
        Some(FlagKind::Risk) => 0xE0_7B_00,
        Some(FlagKind::Shnsu) => 0x2E_75_B6,
        None => 0xA6_A6_A6,
    }
}

/// A reference line of the scatter: name, two points, colour, dashed.
type Line = (String, [(f64, f64); 2], u32, bool);

/// More schools flagged for results than this and the scatter's labels would cover each
/// other.
const MAX_LABELS: usize = 40;
/// ШНСУ schools are labelled too only when all the labels together are at most this many.
const MAX_SHNSU_LABELS: usize = 10;
/// Lines in the chart of flagged schools by year; more are listed in the table only.
const MAX_LINES: usize = 12;
/// Where each chart starts, in rows; a page break before each keeps a chart on one page.
const CHART_ROWS: [u32; 4] = [1, 26, 50, 74];
/// The first row of the data tables, below the charts.
const DATA_ROW: u32 = 96;

/// The category of a school (index into [`CATEGORIES`]).
fn category(s: &SchoolResult) -> usize {
    CATEGORIES
        .iter()
        .position(|(k, _)| k.is_none_or(|k| s.flag(k).is_some()))
        .unwrap_or(CATEGORIES.len() - 1)
}

/// A school's name short enough for a label on a chart.
fn label(name: &str) -> String {
    const MAX: usize = 28;
    if name.chars().count() <= MAX {
        name.to_string()
    } else {
        name.chars().take(MAX - 1).collect::<String>() + "…"
    }
}

/// A table's title in bold; returns the row of its headings.
fn table_title(ws: &mut Worksheet, r: u32, title: &str, st: &Styles) -> Result<u32> {
    put_with(ws, r, 0, title, &st.bold)?;
    Ok(r + 1)
}

pub(super) fn write(wb: &mut Workbook, f: &Findings, cfg: &Config, st: &Styles) -> Result<()> {
    let ws = sheet::named(wb, SHEET_CHARTS)?;
    sheet::print_setup(ws, st);
    sheet::widths(ws, &[(0, 34), (1, 18), (2, 10), (3, 10), (4, 10), (5, 10)])?;
    put_with(ws, 0, 0, format!("Диаграммы, {} год", f.year), &st.title)?;
    ws.set_page_breaks(
        &CHART_ROWS[1..]
            .iter()
            .chain([&DATA_ROW])
            .copied()
            .collect::<Vec<_>>(),
    )?;

    let mut r = DATA_ROW;
    let share = share_by_year(ws, r, f, cfg, st)?;
    r = share.next + 1;
    let by_year = flagged_by_year(ws, r, f, cfg, st)?;
    r = by_year.next + 1;
    let scatter = scatter_data(ws, r, f, cfg, st)?;
    r = scatter.next + 1;
    let context = context_data(ws, r, f, cfg, st)?;

    match &scatter.chart {
        Some(ch) => ws.insert_chart(CHART_ROWS[0], 0, ch)?,
        None => put(
            ws,
            CHART_ROWS[0] + 1,
            0,
            "Нет школ, у которых есть и ОИП, и ИСБ: диаграмма ОИП × ИСБ не построена",
        )?,
    };
    match &by_year.chart {
        Some(ch) => ws.insert_chart(CHART_ROWS[1], 0, ch)?,
        None => put(
            ws,
            CHART_ROWS[1] + 1,
            0,
            "Ни одна школа не вошла в перечни: диаграмма ОИП школ из перечней не построена",
        )?,
    };
    match &share.chart {
        Some(ch) => ws.insert_chart(CHART_ROWS[2], 0, ch)?,
        None => put(
            ws,
            CHART_ROWS[2] + 1,
            0,
            "Ни у одной школы нет ОИП: диаграмма доли школ не построена",
        )?,
    };
    match &context.chart {
        Some(ch) => ws.insert_chart(CHART_ROWS[3], 0, ch)?,
        None => put(
            ws,
            CHART_ROWS[3] + 1,
            0,
            format!(
                "Диаграмма «ОИП и ожидаемый по ИСБ» не построена: {}",
                f.context.not_computed.as_deref().unwrap_or("линии нет")
            ),
        )?,
    };
    Ok(())
}

/// Steps of the expected-ОИП line and its band across the ИСБ axis.
const LINE_STEPS: u32 = 20;

/// ОИП against ИСБ with the least-squares line and its prediction band (docs/method.md §6.4);
/// schools значимо выше / ниже ожидаемого as their own series.
fn context_data(
    ws: &mut Worksheet,
    r0: u32,
    f: &Findings,
    cfg: &Config,
    st: &Styles,
) -> Result<Drawn> {
    let fit = &f.context;
    if fit.a.is_none() {
        return Ok(Drawn {
            chart: None,
            next: r0,
        });
    }
    let mut points: Vec<(&SchoolResult, f64, f64, Verdict)> = format::by_name(f.schools.iter())
        .into_iter()
        .filter_map(|s| {
            Some((
                s,
                s.isb.as_ref()?.value,
                s.oip_in(f.year)?,
                s.context.as_ref()?.verdict,
            ))
        })
        .collect();
    points.sort_by_key(|p| p.3 as u8);
    let (x_min, x_max) = isb_axis(points.iter().map(|p| p.1));

    let h = table_title(
        ws,
        r0,
        &format!("Ожидаемый ОИП по ИСБ и граница значимости, {} год", f.year),
        st,
    )?;
    headers_at(
        ws,
        h,
        0,
        &["ИСБ", "Ожидаемый ОИП", "Нижняя граница", "Верхняя граница"],
        st,
    )?;
    let first = h + 1;
    for k in 0..=LINE_STEPS {
        let x = x_min + (x_max - x_min) * f64::from(k) / f64::from(LINE_STEPS);
        let Some((e, _, band)) = fit.at(x) else {
            continue;
        };
        let r = first + k;
        ws.write_number_with_format(r, 0, x, &st.one)?;
        ws.write_number_with_format(r, 1, e, &st.one)?;
        ws.write_number_with_format(r, 2, e - band, &st.one)?;
        ws.write_number_with_format(r, 3, e + band, &st.one)?;
    }
    let last_line = first + LINE_STEPS;
    let h2 = table_title(ws, last_line + 2, "Школы на диаграмме", st)?;
    headers_at(ws, h2, 0, &["Школа", "По контексту", "ИСБ", "ОИП"], st)?;
    let mut r = h2 + 1;
    let ranges = runs(points.iter().map(|p| p.3), r);
    for (s, isb, oip, v) in &points {
        put_with(ws, r, 0, &s.school.name, &st.wrap)?;
        put(ws, r, 1, v.label())?;
        ws.write_number_with_format(r, 2, *isb, &st.one)?;
        ws.write_number_with_format(r, 3, *oip, &st.one)?;
        r += 1;
    }

    let mut ch = Chart::new(ChartType::Scatter);
    for (v, a, b) in &ranges {
        let color = match v {
            Verdict::Above => 0x38_76_1D,
            Verdict::Within => 0xA6_A6_A6,
            Verdict::Below => 0xC0_00_00,
        };
        ch.add_series()
            .set_name(v.label())
            .set_categories((SHEET_CHARTS, *a, 2, *b, 2))
            .set_values((SHEET_CHARTS, *a, 3, *b, 3))
            .set_marker(&dot(color, 5));
    }
    for (c, name, dashed) in [
        (1u16, "Ожидаемый ОИП", false),
        (2, "Граница «значимо ниже»", true),
        (3, "Граница «значимо выше»", true),
    ] {
        ch.add_series()
            .set_name(name)
            .set_categories((SHEET_CHARTS, first, 0, last_line, 0))
            .set_values((SHEET_CHARTS, first, c, last_line, c))
            .set_format(ChartFormat::new().set_line(&threshold_line(0x1F_4E_79, dashed)))
            .set_marker(ChartMarker::new().set_none());
    }
    ch.title().set_name(&format!(
        "ОИП и ожидаемый по ИСБ, {} год (R² = {})",
        f.year,
        format::fixed(fit.r2.unwrap_or_default(), 2)
    ));
    ch.x_axis()
        .set_name("ИСБ (выше — благополучнее)")
        .set_min(x_min)
        .set_max(x_max);
    ch.y_axis()
        .set_name("ОИП")
        .set_min(cfg.oip.scale)
        .set_max(cfg.oip.scale * 5.0);
    ch.legend()
        .set_position(rust_xlsxwriter::ChartLegendPosition::Bottom);
    ch.set_width(720).set_height(440);
    Ok(Drawn {
        chart: Some(ch),
        next: r,
    })
}

/// A round marker of one colour, as every scatter of the sheet draws its points.
fn dot(color: u32, size: u8) -> ChartMarker {
    let mut m = ChartMarker::new();
    m.set_type(ChartMarkerType::Circle)
        .set_size(size)
        .set_format(
            ChartFormat::new()
                .set_solid_fill(ChartSolidFill::new().set_color(Color::RGB(color)))
                .set_border(ChartLine::new().set_color(Color::RGB(color))),
        );
    m
}

/// A threshold or reference line: 1,5 pt, dashed when asked.
fn threshold_line(color: u32, dashed: bool) -> ChartLine {
    let mut line = ChartLine::new();
    line.set_color(Color::RGB(color)).set_width(1.5);
    if dashed {
        line.set_dash_type(ChartLineDashType::Dash);
    }
    line
}

/// The ИСБ axis around the values, rounded out to 5, at least 5 wide, within 0–100.
fn isb_axis(xs: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
        (lo.min(x), hi.max(x))
    });
    if !lo.is_finite() {
        return (0.0, 100.0);
    }
    let a = (lo / 5.0).floor() * 5.0;
    let b = ((hi / 5.0).ceil() * 5.0).max(a + 5.0);
    (a.max(0.0), b.min(100.0).max(a + 5.0))
}

/// Rows from `first` on, grouped into runs of equal keys: (key, first row, last row) — the
/// ranges of one series each, for points written sorted by series.
fn runs<K: PartialEq>(keys: impl Iterator<Item = K>, first: u32) -> Vec<(K, u32, u32)> {
    let mut out: Vec<(K, u32, u32)> = Vec::new();
    for (i, k) in keys.enumerate() {
        let r = first + i as u32;
        match out.last_mut() {
            Some((last, _, end)) if *last == k => *end = r,
            _ => out.push((k, r, r)),
        }
    }
    out
}

/// A table written and the chart drawn from it.
struct Drawn {
    chart: Option<Chart>,
    /// The row after the table.
    next: u32,
}

/// The share of schools with ОИП at or above the program threshold, by year.
fn share_by_year(
    ws: &mut Worksheet,
    r0: u32,
    f: &Findings,
    cfg: &Config,
    st: &Styles,
) -> Result<Drawn> {
    let bar = cfg.oip.program_threshold;
    let title = format!(
        "Доля школ с ОИП не ниже порога программы ({})",
        format::trim(bar)
    );
    let h = table_title(ws, r0, &title, st)?;
    headers_at(
        ws,
        h,
        0,
        &["Год", "Школ с ОИП", "Не ниже порога", "Доля"],
        st,
    )?;
    let mut r = h + 1;
    for y in &f.years {
        let vals: Vec<f64> = f.schools.iter().filter_map(|s| s.oip_in(*y)).collect();
        crate::report::sheet::number(ws, r, 0, f64::from(*y))?;
        crate::report::sheet::number(ws, r, 1, vals.len() as f64)?;
        let above = vals.iter().filter(|v| **v >= bar).count();
        crate::report::sheet::number(ws, r, 2, above as f64)?;
        let share = (!vals.is_empty()).then(|| above as f64 / vals.len() as f64);
        num(ws, r, 3, share, &st.pct)?;
        r += 1;
    }
    let any = f
        .years
        .iter()
        .any(|y| f.schools.iter().any(|s| s.oip_in(*y).is_some()));
    let chart = any.then(|| {
        let mut ch = Chart::new(ChartType::Column);
        ch.add_series()
            .set_name(title.as_str())
            .set_categories((SHEET_CHARTS, h + 1, 0, r - 1, 0))
            .set_values((SHEET_CHARTS, h + 1, 3, r - 1, 3))
            .set_format(
                ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(0x5B_9B_D5)),
            )
            .set_data_label(
                ChartDataLabel::new()
                    .show_value()
                    .set_num_format("0%")
                    .set_position(ChartDataLabelPosition::OutsideEnd),
            );
        ch.title().set_name(&title);
        ch.y_axis()
            .set_name("Доля школ")
            .set_min(0.0)
            .set_max(1.0)
            .set_num_format("0%");
        ch.x_axis().set_name("Год");
        ch.legend().set_hidden();
        ch.set_width(720).set_height(360);
        ch
    });
    Ok(Drawn { chart, next: r })
}

/// ОИП by year of the schools on the program's lists, with the ШНОР and program thresholds.
fn flagged_by_year(
    ws: &mut Worksheet,
    r0: u32,
    f: &Findings,
    cfg: &Config,
    st: &Styles,
) -> Result<Drawn> {
    let mut flagged: Vec<&SchoolResult> = format::by_name(
        f.schools
            .iter()
            .filter(|s| category(s) < CATEGORIES.len() - 1),
    );
    flagged.sort_by_key(|s| category(s));
    let h = table_title(ws, r0, "ОИП школ из перечней по годам", st)?;
    let mut hs = vec!["Школа".to_string(), "Признаки".to_string()];
    hs.extend(f.years.iter().map(|y| y.to_string()));
    headers_at(ws, h, 0, &hs, st)?;
    let mut r = h + 1;
    let thresholds = [
        (
            format!("Порог ШНОР ({})", format::trim(cfg.oip.shnor_bar)),
            cfg.oip.shnor_bar,
            0xC0_00_00,
        ),
        (
            format!(
                "Порог программы ({})",
                format::trim(cfg.oip.program_threshold)
            ),
            cfg.oip.program_threshold,
            0x38_76_1D,
        ),
    ];
    for (name, v, _) in &thresholds {
        put(ws, r, 0, name)?;
        for k in 0..f.years.len() {
            crate::report::sheet::number(ws, r, sheet::col(2 + k), *v)?;
        }
        r += 1;
    }
    let first_school = r;
    for s in &flagged {
        put_with(ws, r, 0, &s.school.name, &st.wrap)?;
        let flags = format::flag_labels(s);
        put_with(ws, r, 1, flags.join(", "), &st.wrap)?;
        for (k, y) in f.years.iter().enumerate() {
            num(ws, r, sheet::col(2 + k), s.oip_in(*y), &st.one)?;
        }
        r += 1;
    }
    let drawn = flagged.len().min(MAX_LINES);
    if flagged.len() > MAX_LINES {
        put(
            ws,
            r,
            0,
            format!(
                "На диаграмме — первые {MAX_LINES} из {} школ (ШНОР первыми); остальные — в \
                 этой таблице",
                flagged.len()
            ),
        )?;
        r += 1;
    }
    let last_col = sheet::col(1 + f.years.len());
    let chart = (drawn > 0).then(|| {
        let mut ch = Chart::new(ChartType::Line);
        for (i, s) in flagged.iter().take(drawn).enumerate() {
            let sr = first_school + row(i);
            let color = marker_color(CATEGORIES[category(s)].0);
            ch.add_series()
                .set_name(label(&s.school.name).as_str())
                .set_categories((SHEET_CHARTS, h, 2, h, last_col))
                .set_values((SHEET_CHARTS, sr, 2, sr, last_col))
                .set_format(
                    ChartFormat::new().set_line(ChartLine::new().set_width(1.5).set_color(color)),
                )
                .set_marker(
                    ChartMarker::new()
                        .set_type(ChartMarkerType::Circle)
                        .set_size(6)
                        .set_format(
                            ChartFormat::new()
                                .set_solid_fill(ChartSolidFill::new().set_color(Color::RGB(color))),
                        ),
                );
        }
        for (i, (name, _, color)) in thresholds.iter().enumerate() {
            let tr = h + 1 + row(i);
            ch.add_series()
                .set_name(name.as_str())
                .set_categories((SHEET_CHARTS, h, 2, h, last_col))
                .set_values((SHEET_CHARTS, tr, 2, tr, last_col))
                .set_format(
                    ChartFormat::new().set_line(
                        ChartLine::new()
                            .set_color(Color::RGB(*color))
                            .set_width(1.25)
                            .set_dash_type(ChartLineDashType::Dash),
                    ),
                )
                .set_marker(ChartMarker::new().set_none());
        }
        ch.title().set_name("ОИП школ из перечней по годам");
        ch.y_axis()
            .set_name("ОИП")
            .set_min(cfg.oip.scale)
            .set_max(cfg.oip.scale * 5.0);
        ch.x_axis().set_name("Год");
        ch.set_width(720).set_height(440);
        ch
    });
    Ok(Drawn { chart, next: r })
}

/// The points of the scatter (schools with both ОИП and ИСБ in the year, by category), its
/// threshold lines and quadrant names, and the chart.
fn scatter_data(
    ws: &mut Worksheet,
    r0: u32,
    f: &Findings,
    cfg: &Config,
    st: &Styles,
) -> Result<Drawn> {
    let mut points: Vec<(&SchoolResult, f64, f64)> = format::by_name(f.schools.iter())
        .into_iter()
        .filter_map(|s| Some((s, s.isb.as_ref()?.value, s.oip_in(f.year)?)))
        .collect();
    points.sort_by_key(|p| category(p.0));

    // The axes: ОИП over its whole scale, ИСБ around the points rounded out to 5.
    let y_min = cfg.oip.scale;
    let y_max = cfg.oip.scale * 5.0;
    let (x_min, x_max) = isb_axis(
        points
            .iter()
            .map(|p| p.1)
            .chain(f.isb_threshold.as_ref().map(|t| t.value)),
    );

    // Threshold lines and quadrant names, as two-point and one-point series.
    let h = table_title(
        ws,
        r0,
        "Линии порогов и подписи четвертей диаграммы ОИП × ИСБ",
        st,
    )?;
    headers_at(ws, h, 0, &["Линия или подпись", "X (ИСБ)", "Y (ОИП)"], st)?;
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
    let mut r = h + 1;
    let mut line_rows = Vec::new();
    for (name, pts, _, _) in &lines {
        line_rows.push(r);
        for (x, y) in pts {
            put(ws, r, 0, name)?;
            crate::report::sheet::number(ws, r, 1, *x)?;
            crate::report::sheet::number(ws, r, 2, *y)?;
            r += 1;
        }
    }
    // Quadrants exist only with an ИСБ threshold: left ones labelled to the right of their
    // point, right ones to the left, so the text stays inside the plot.
    let dx = (x_max - x_min) * 0.01;
    let quadrants: Vec<(&str, f64, f64)> = match &f.isb_threshold {
        Some(_) => vec![
            (
                "Трудные условия, высокие результаты",
                x_min + dx,
                y_max - 1.5,
            ),
            (
                "Трудные условия, низкие результаты",
                x_min + dx,
                y_min + 1.5,
            ),
            (
                "Благополучные условия, высокие результаты",
                x_max - dx,
                y_max - 1.5,
            ),
            (
                "Благополучные условия, низкие результаты",
                x_max - dx,
                y_min + 1.5,
            ),
        ],
        None => Vec::new(),
    };
    let quadrant_row = r;
    for (name, x, y) in &quadrants {
        put(ws, r, 0, *name)?;
        crate::report::sheet::number(ws, r, 1, *x)?;
        crate::report::sheet::number(ws, r, 2, *y)?;
        r += 1;
    }

    // The schools, grouped by category so each category is one range.
    let h2 = table_title(
        ws,
        r + 1,
        &format!("Школы на диаграмме ОИП × ИСБ, {} год", f.year),
        st,
    )?;
    let oip_h = format!("ОИП {}", f.year);
    headers_at(
        ws,
        h2,
        0,
        &[
            "Школа",
            "Категория",
            "ИСБ",
            &oip_h,
            "Код",
            "ОИП_high − ОИП",
            "ОИП − ОИП_low",
        ],
        st,
    )?;
    let mut r = h2 + 1;
    let ranges = runs(points.iter().map(|p| category(p.0)), r);
    for (s, isb, oip) in &points {
        let c = category(s);
        put_with(ws, r, 0, &s.school.name, &st.wrap)?;
        put(ws, r, 1, CATEGORIES[c].1)?;
        ws.write_number_with_format(r, 2, *isb, &st.one)?;
        ws.write_number_with_format(r, 3, *oip, &st.one)?;
        put(ws, r, 4, &s.school.id)?;
        // The ОИП interval as error bars: distances from the point, 0 without an interval.
        let o = s.oip.iter().find(|o| o.year == f.year);
        let (lo, hi) = o.map_or((*oip, *oip), |o| {
            (o.low.unwrap_or(*oip), o.high.unwrap_or(*oip))
        });
        ws.write_number_with_format(r, 5, hi - oip, &st.one)?;
        ws.write_number_with_format(r, 6, oip - lo, &st.one)?;
        r += 1;
    }
    if points.is_empty() {
        return Ok(Drawn {
            chart: None,
            next: r,
        });
    }
    // Schools flagged for results are labelled; ШНСУ schools too when few, since a
    // municipality's ШНСУ are a quarter of its schools and their names would cover the plot.
    let count = |c: &[usize]| points.iter().filter(|p| c.contains(&category(p.0))).count();
    let by_results = count(&[0, 1, 2]);
    let with_shnsu = by_results + count(&[3]);
    let labelled: &[usize] = if with_shnsu <= MAX_SHNSU_LABELS {
        &[0, 1, 2, 3]
    } else if by_results <= MAX_LABELS {
        &[0, 1, 2]
    } else {
        &[]
    };

    let mut ch = Chart::new(ChartType::Scatter);
    let mut small = ChartFont::new();
    small.set_size(7);
    for (c, first, last) in &ranges {
        let (kind, name) = CATEGORIES[*c];
        let color = marker_color(kind);
        let series = ch
            .add_series()
            .set_name(name)
            .set_categories((SHEET_CHARTS, *first, 2, *last, 2))
            .set_values((SHEET_CHARTS, *first, 3, *last, 3))
            .set_marker(&dot(color, if kind.is_some() { 7 } else { 5 }))
            .set_y_error_bars(
                ChartErrorBars::new()
                    .set_type(ChartErrorBarsType::Custom(
                        ChartRange::new_from_range(SHEET_CHARTS, *first, 5, *last, 5),
                        ChartRange::new_from_range(SHEET_CHARTS, *first, 6, *last, 6),
                    ))
                    .set_end_cap(true)
                    .set_format(
                        ChartLine::new()
                            .set_color(Color::RGB(color))
                            .set_width(0.75),
                    ),
            );
        if labelled.contains(c) {
            let labels: Vec<ChartDataLabel> = points
                [(*first - h2 - 1) as usize..=(*last - h2 - 1) as usize]
                .iter()
                .map(|p| {
                    ChartDataLabel::new()
                        .set_value(label(&p.0.school.name).as_str())
                        .to_custom()
                })
                .collect();
            series
                .set_data_label(
                    ChartDataLabel::new()
                        .show_value()
                        .set_position(ChartDataLabelPosition::Right)
                        .set_font(&small),
                )
                .set_custom_data_labels(&labels);
        }
    }
    for ((name, _, color, dashed), lr) in lines.iter().zip(&line_rows) {
        ch.add_series()
            .set_name(name.as_str())
            .set_categories((SHEET_CHARTS, *lr, 1, *lr + 1, 1))
            .set_values((SHEET_CHARTS, *lr, 2, *lr + 1, 2))
            .set_format(ChartFormat::new().set_line(&threshold_line(*color, *dashed)))
            .set_marker(ChartMarker::new().set_none());
    }
    if !quadrants.is_empty() {
        // Two invisible series carry the quadrant names; their legend entries are removed.
        let hidden_from = ranges.len() + lines.len();
        for (k, pos) in [
            (0u32, ChartDataLabelPosition::Right),
            (2, ChartDataLabelPosition::Left),
        ] {
            let qr = quadrant_row + k;
            let labels: Vec<ChartDataLabel> = quadrants[k as usize..k as usize + 2]
                .iter()
                .map(|q| ChartDataLabel::new().set_value(q.0).to_custom())
                .collect();
            ch.add_series()
                .set_name("Четверти")
                .set_categories((SHEET_CHARTS, qr, 1, qr + 1, 1))
                .set_values((SHEET_CHARTS, qr, 2, qr + 1, 2))
                .set_marker(ChartMarker::new().set_none())
                .set_data_label(
                    ChartDataLabel::new()
                        .show_value()
                        .set_position(pos)
                        .set_font(
                            ChartFont::new()
                                .set_size(8)
                                .set_italic()
                                .set_color(0x59_59_59),
                        ),
                )
                .set_custom_data_labels(&labels);
        }
        ch.legend().delete_entries(&[hidden_from, hidden_from + 1]);
    }
    ch.title().set_name(&format!("ОИП × ИСБ, {} год", f.year));
    ch.x_axis()
        .set_name("ИСБ (выше — благополучнее)")
        .set_min(x_min)
        .set_max(x_max);
    ch.y_axis().set_name("ОИП").set_min(y_min).set_max(y_max);
    ch.legend()
        .set_position(rust_xlsxwriter::ChartLegendPosition::Bottom);
    ch.set_width(720).set_height(460);
    if labelled.len() < 4 {
        let which = if labelled.is_empty() {
            format!(
                "школ из перечней ШНОР, зоны риска и резильентных {by_results} — больше {MAX_LABELS}, подписи не поставлены"
            )
        } else {
            format!(
                "школ из перечней {with_shnsu} — больше {MAX_SHNSU_LABELS}: подписаны ШНОР, зона риска и резильентные, школы ШНСУ без подписей"
            )
        };
        put(ws, h2 - 1, 2, format!("На диаграмме: {which}"))?;
    }
    Ok(Drawn {
        chart: Some(ch),
        next: r,
    })
}
