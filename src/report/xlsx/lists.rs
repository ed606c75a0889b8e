//! The program's lists, one sheet per flag: ШНОР, ШНСУ, зона риска, резильентные.

use super::{list_sheet, printable};
use crate::judge::{Findings, FlagKind};
use crate::report::format;
use crate::report::sheet::{Styles, header_row, row, text};
use anyhow::Result;
use rust_xlsxwriter::Workbook;

pub(super) fn write(wb: &mut Workbook, f: &Findings, k: FlagKind, st: &Styles) -> Result<()> {
    let ws = printable(
        wb,
        list_sheet(k),
        &[(0, 6), (1, 45), (2, 70), (3, 28), (4, 18)],
        st,
    )?;
    let title = match k {
        FlagKind::Shnor => "Перечень школ с низкими образовательными результатами (ШНОР)",
        FlagKind::Shnsu => {
            "Перечень школ, функционирующих в неблагоприятных социальных условиях (ШНСУ)"
        }
        FlagKind::Risk => "Перечень школ зоны риска",
        FlagKind::Resilient => "Перечень резильентных школ",
    };
    crate::report::sheet::put_with(ws, 0, 0, format!("{title}, {} год", f.year), &st.title)?;
    let headers = [
        "№ п/п",
        "Полное наименование ОО",
        "Основание",
        "ФИО координатора",
        "Телефон",
    ];
    header_row(ws, 1, &headers, st)?;
    ws.set_repeat_rows(1, 1)?;
    let list = format::listed(f, k);
    if list.is_empty() {
        crate::report::sheet::put(ws, 2, 0, "Школ с этим признаком нет")?;
    }
    for (i, s) in list.iter().enumerate() {
        let r = row(i + 2);
        crate::report::sheet::number(ws, r, 0, (i + 1) as f64)?;
        crate::report::sheet::put_with(ws, r, 1, &s.school.name, &st.wrap)?;
        let basis = s.flag(k).map(|fl| fl.basis.as_str()).unwrap_or_default();
        crate::report::sheet::put_with(ws, r, 2, basis, &st.wrap)?;
        text(ws, r, 3, s.school.coordinator.as_deref().unwrap_or(""))?;
        text(ws, r, 4, s.school.phone.as_deref().unwrap_or(""))?;
    }
    Ok(())
}
