//! «Показатели по процедурам»: mark shares, pass rate, quality and means per procedure, for
//! the municipality and every school.

use super::{SHEET_PROCEDURES, printable};
use crate::judge::Findings;
use crate::measure::ProcStat;
use crate::report::sheet::{self, Styles, col, header_row, num, row, text};
use anyhow::Result;
use rust_xlsxwriter::{Format, Workbook};

pub(super) fn write(wb: &mut Workbook, f: &Findings, st: &Styles) -> Result<()> {
    let ws = printable(wb, SHEET_PROCEDURES, &[(1, 30), (3, 40)], st)?;
    let headers = [
        "Год",
        "Процедура",
        "Код школы",
        "Школа",
        "n",
        "Доля «2»",
        "Доля «3»",
        "Доля «4»",
        "Доля «5»",
        "Справляемость",
        "Качество",
        "Доля «2» / ниже минимума",
        "Средний балл",
        "Средняя отметка",
        "Изменение доли «2» за год, п.п.",
    ];
    header_row(ws, 0, &headers, st)?;
    ws.set_freeze_panes(1, 0)?;
    ws.set_repeat_rows(0, 0)?;
    let names = sheet::names(f);
    let mut rows: Vec<&ProcStat> = f.proc_stats.iter().collect();
    // Municipality rows first, then schools by name; procedures and years in order.
    rows.sort_by(|a, b| {
        let key = |p: &ProcStat| {
            let name = p
                .school
                .as_deref()
                .map(|id| names.get(id).copied().unwrap_or(id).to_lowercase());
            (p.school.is_some(), name, p.procedure.clone(), p.year)
        };
        key(a).cmp(&key(b))
    });
    let signed = Format::new().set_num_format("+0.0;-0.0;0.0");
    for (i, p) in rows.iter().enumerate() {
        let r = row(i + 1);
        crate::report::sheet::number(ws, r, 0, f64::from(p.year))?;
        crate::report::sheet::put(ws, r, 1, p.procedure.to_string())?;
        match &p.school {
            Some(id) => {
                crate::report::sheet::put(ws, r, 2, id)?;
                text(ws, r, 3, sheet::name_of(&names, id))?;
            }
            None => {
                crate::report::sheet::put_with(ws, r, 3, "Муниципалитет (все школы)", &st.bold)?;
            }
        }
        crate::report::sheet::number(ws, r, 4, f64::from(p.n))?;
        if let Some(m) = p.mark_shares {
            for (k, v) in m.iter().enumerate() {
                num(ws, r, col(5 + k), Some(*v), &st.pct)?;
            }
        }
        num(ws, r, 9, p.pass_rate, &st.pct)?;
        num(ws, r, 10, p.quality, &st.pct)?;
        num(ws, r, 11, p.fail_share, &st.pct)?;
        num(ws, r, 12, p.mean_score, &st.one)?;
        num(ws, r, 13, p.mean_mark, &st.two)?;
        num(ws, r, 14, p.fail_change_pp, &signed)?;
    }
    ws.autofilter(0, 0, row(rows.len().max(1)), 14)?;
    Ok(())
}
