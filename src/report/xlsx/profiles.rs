//! «Профили школ»: one printed page per school on a list — what a methodologist takes on a
//! school visit. Its flags and reasons; every indicator by year against its cluster with the
//! points; ОИП and ИСБ by year; the weakest indicators with the deficits of the federal risk
//! profile they point to (the same mapping as progress's «Рекомендации»).

use super::{SHEET_PROFILES, printable};
use crate::config::Config;
use crate::judge::progress::for_school;
use crate::judge::{Findings, SchoolResult};
use crate::report::format::{self, FLAG_ORDER};
use crate::report::sheet::{Styles, col, headers_at, num, put, put_merged, put_with};
use anyhow::Result;
use rust_xlsxwriter::Workbook;

/// The indicator column, then school / cluster / points for each judged year.
const NAME_WIDTH: u16 = 40;
const VALUE_WIDTH: u16 = 9;
const POINTS_WIDTH: u16 = 7;

pub(super) fn write(wb: &mut Workbook, f: &Findings, cfg: &Config, st: &Styles) -> Result<()> {
    let years = f.years.len();
    let mut widths = vec![(0, NAME_WIDTH)];
    for k in 0..years {
        let c = 1 + 3 * k;
        widths.extend([
            (col(c), VALUE_WIDTH),
            (col(c + 1), VALUE_WIDTH),
            (col(c + 2), POINTS_WIDTH),
        ]);
    }
    let last = col(3 * years.max(1));
    let ws = printable(wb, SHEET_PROFILES, &widths, st)?;
    // A profile is a page taken on a visit: portrait, so one school fits one page.
    ws.set_portrait();
    // Flagged schools in the order of the program's lists, by name within a list.
    let mut schools: Vec<&SchoolResult> = Vec::new();
    for k in FLAG_ORDER {
        for s in format::listed(f, k) {
            if !schools.iter().any(|x| x.school.id == s.school.id) {
                schools.push(s);
            }
        }
    }
    if schools.is_empty() {
        put(ws, 0, 0, "Школ в перечнях нет — профилей нет")?;
        return Ok(());
    }
    let values = super::value_formats(cfg);
    let loud = st.bold.clone().set_text_wrap();
    let mut r = 0u32;
    let mut breaks = Vec::new();
    for s in schools {
        if r > 0 {
            breaks.push(r);
        }
        ws.set_row_height(r, 21)?;
        put_merged(ws, r, 0, last, &s.school.name, &st.title)?;
        r += 1;
        let flags = format::flag_labels(s);
        let mut who = vec![format!("код {}", s.school.id)];
        if let Some(m) = &s.school.municipality {
            who.push(m.clone());
        }
        who.push(format!("кластер «{}»", s.cluster));
        if let Some(c) = &s.school.coordinator {
            who.push(format!("координатор {c}"));
        }
        put_merged(ws, r, 0, last, &who.join("; "), &st.wrap)?;
        r += 1;
        put_merged(
            ws,
            r,
            0,
            last,
            &format!("Признаки: {}", flags.join(", ")),
            &loud,
        )?;
        r += 1;
        for k in FLAG_ORDER {
            if let Some(fl) = s.flag(k) {
                put_merged(
                    ws,
                    r,
                    0,
                    last,
                    &format!("{}: {}", k.label(), fl.basis),
                    &st.wrap,
                )?;
                r += 1;
            }
        }

        // Indicators by year: the school, its cluster and the points.
        r += 1;
        put_with(ws, r, 0, "Показатель", &st.header)?;
        for (k, y) in f.years.iter().enumerate() {
            let c = col(1 + 3 * k);
            put_merged(ws, r, c, c + 2, &y.to_string(), &st.header)?;
        }
        r += 1;
        ws.write_blank(r, 0, &st.header)?;
        for k in 0..years {
            headers_at(ws, r, 1 + 3 * k, &["школа", "кластер", "баллы"], st)?;
        }
        r += 1;
        for (j, spec) in cfg.indicators.iter().enumerate() {
            put_with(ws, r, 0, &spec.name, &st.wrap)?;
            for (k, y) in f.years.iter().enumerate() {
                let c = col(1 + 3 * k);
                if let Some(ind) = format::indicator(s, *y, &spec.id) {
                    num(ws, r, c, ind.value, &values[j])?;
                    num(ws, r, c + 1, ind.cluster_value, &values[j])?;
                    num(ws, r, c + 2, ind.points.map(f64::from), &st.int)?;
                }
            }
            r += 1;
        }
        put_with(ws, r, 0, "ОИП", &st.bold)?;
        for (k, y) in f.years.iter().enumerate() {
            num(ws, r, col(1 + 3 * k), s.oip_in(*y), &st.one)?;
            if let Some(band) = format::oip_band_in(s, *y) {
                let c = col(2 + 3 * k);
                put_merged(ws, r, c, c + 1, &format!("интервал {band}"), &st.wrap)?;
            }
        }
        r += 1;
        if let Some(label) = format::robust_label(s) {
            put_with(ws, r, 0, "Признак по ОИП", &st.bold)?;
            put_merged(ws, r, 1, last, label, &st.wrap)?;
            r += 1;
        }
        put_with(ws, r, 0, "ИСБ", &st.bold)?;
        match &s.isb {
            Some(i) => {
                let k = f
                    .years
                    .iter()
                    .position(|y| *y == i.year)
                    .unwrap_or(years - 1);
                num(ws, r, col(1 + 3 * k), Some(i.value), &st.one)?;
                if let Some(t) = &f.isb_threshold {
                    put(
                        ws,
                        r,
                        col(2 + 3 * k),
                        format!("порог {}", format::fixed(t.value, 1)),
                    )?;
                }
            }
            None => {
                put(ws, r, 1, "нет социального паспорта")?;
            }
        }
        r += 1;
        if let Some(c) = &s.context {
            put_with(ws, r, 0, "ОИП по ИСБ", &st.bold)?;
            let text = format!(
                "ожидаемый {}, отклонение {}: {}{}",
                format::fixed(c.expected, 1),
                format::signed(c.residual, 1),
                c.verdict.label(),
                if c.resilient {
                    "; резильентная по контексту"
                } else {
                    ""
                }
            );
            put_merged(ws, r, 1, last, &text, &st.wrap)?;
            r += 1;
        }
        r += 1;

        // The weakest indicators and what they may point to.
        put_merged(
            ws,
            r,
            0,
            last,
            &format!(
                "Слабые показатели {} г. и возможные дефициты (профиль рисков)",
                f.year
            ),
            &st.bold,
        )?;
        r += 1;
        for rec in for_school(f, cfg, s, &flags.join(", "), &[]) {
            put_with(ws, r, 0, &rec.indicator, &st.wrap)?;
            let deficits: Vec<&str> = rec.deficits.iter().map(|d| d.label()).collect();
            put_merged(
                ws,
                r,
                1,
                last,
                &format!("{} — {}", rec.evidence, deficits.join("; ")),
                &st.wrap,
            )?;
            r += 1;
        }
        r += 1;
    }
    // One school per printed page.
    crate::report::sheet::page_breaks(ws, &breaks)?;
    Ok(())
}
