//! «Признаки необъективности» (docs/method.md §6.5): the schools marked, with their
//! основание, then every sign found with its numbers; what was checked when nothing is.

use super::printable;
use crate::config::Config;
use crate::judge::{Evidence, Findings, ObjectivityResult, Sign};
use crate::report::objectivity_text::{arithmetic, checked_line};
use crate::report::sheet::{
    Styles, header_row, name_of, names, number, put, put_merged, put_with, row,
};
use anyhow::Result;
use rust_xlsxwriter::Workbook;

pub(super) const SHEET_OBJECTIVITY: &str = "Признаки необъективности";

/// n of the school behind a sign (participants compared or scored; ВПР for ВПР–ОГЭ).
fn sign_n(s: &Sign) -> Option<u32> {
    match &s.evidence {
        Evidence::Journal { n, .. } => Some(*n),
        Evidence::Peak { .. } => None,
        Evidence::VprOge { vpr_n, .. } => Some(*vpr_n),
    }
}

pub(super) fn write(wb: &mut Workbook, f: &Findings, cfg: &Config, st: &Styles) -> Result<()> {
    let ws = printable(
        wb,
        SHEET_OBJECTIVITY,
        &[(0, 6), (1, 40), (2, 8), (3, 26), (4, 22), (5, 8), (6, 80)],
        st,
    )?;
    put_with(
        ws,
        0,
        0,
        format!(
            "Признаки необъективности результатов ВПР, {} год (методика, §6.5)",
            f.year
        ),
        &st.title,
    )?;
    let note = format!(
        "Ни один признак школы (ШНОР, ШНСУ, зона риска, резильентная) от них не зависит. \
         Школа отмечена, когда признаки есть не меньше чем в {} работах или {} видов за год. \
         Значения кластера по ВПР {}.",
        cfg.objectivity.min_signs,
        cfg.objectivity.min_signs,
        if cfg.objectivity.exclude_from_cluster {
            "считаются без работ отмеченных школ (exclude_from_cluster = true)"
        } else {
            "считаются по всем работам (exclude_from_cluster = false)"
        }
    );
    put_merged(ws, 1, 0, 6, &note, &st.wrap)?;
    let names = names(f);
    let marked: Vec<&ObjectivityResult> = f.objectivity.iter().filter(|r| r.marked).collect();

    let mut r = 3u32;
    put_with(ws, r, 0, "Школы с признаками необъективности", &st.bold)?;
    r += 1;
    header_row(
        ws,
        r,
        &[
            "№ п/п",
            "Полное наименование ОО",
            "Год",
            "Работ с признаками",
            "Видов признаков",
            "",
            "Основание",
        ],
        st,
    )?;
    ws.set_repeat_rows(r, r)?;
    r += 1;
    if marked.is_empty() {
        put(ws, r, 1, "Школ с признаками необъективности нет")?;
        r += 1;
    }
    for (i, m) in marked.iter().enumerate() {
        number(ws, r, 0, (i + 1) as f64)?;
        put_with(ws, r, 1, name_of(&names, &m.school), &st.wrap)?;
        number(ws, r, 2, f64::from(m.year))?;
        number(ws, r, 3, m.works as f64)?;
        number(ws, r, 4, m.kinds as f64)?;
        put_with(ws, r, 6, m.basis.as_deref().unwrap_or(""), &st.wrap)?;
        r += 1;
    }

    r += 1;
    put_with(ws, r, 0, "Все найденные признаки", &st.bold)?;
    r += 1;
    header_row(
        ws,
        r,
        &[
            "Код ОО",
            "Полное наименование ОО",
            "Год",
            "Работа",
            "Признак",
            "n",
            "Расчёт",
        ],
        st,
    )?;
    r += 1;
    let mut any = false;
    for res in &f.objectivity {
        for s in &res.signs {
            any = true;
            put(ws, r, 0, &res.school)?;
            put_with(ws, r, 1, name_of(&names, &res.school), &st.wrap)?;
            number(ws, r, 2, f64::from(s.year))?;
            put_with(ws, r, 3, s.procedure.to_string(), &st.wrap)?;
            put_with(ws, r, 4, s.kind.label(), &st.wrap)?;
            if let Some(n) = sign_n(s) {
                number(ws, r, 5, f64::from(n))?;
            }
            put_with(ws, r, 6, arithmetic(s, cfg), &st.wrap)?;
            r = row(r as usize + 1);
        }
    }
    if !any {
        put(ws, r, 1, "Признаков не найдено")?;
        r += 1;
    }
    r += 1;
    put_merged(ws, r, 0, 6, &checked_line(f, cfg), &st.wrap)?;
    Ok(())
}
