//! «Части отчёта» (summary workbook of a split report): one line per municipality or region
//! — its schools, how many are on each list, the median ОИП — and a link to its workbook.

use super::{flag_column, printable};
use crate::judge::Findings;
use crate::report::format::FLAG_ORDER;
use crate::report::sheet::{Styles, header_row, num, number, put};
use crate::report::split::{By, PartRow};
use anyhow::Result;
use rust_xlsxwriter::{Url, Workbook};

pub(super) const SHEET_PARTS: &str = "Части отчёта";

pub(super) fn write(
    wb: &mut Workbook,
    f: &Findings,
    by: By,
    parts: &[PartRow],
    st: &Styles,
) -> Result<()> {
    let ws = printable(
        wb,
        SHEET_PARTS,
        &[
            (0, 40),
            (1, 8),
            (2, 8),
            (3, 8),
            (4, 10),
            (5, 13),
            (6, 12),
            (7, 50),
        ],
        st,
    )?;
    let mut headers = vec![by.label().to_string(), "Школ".to_string()];
    headers.extend(FLAG_ORDER.map(|k| flag_column(k).to_string()));
    headers.push(format!("Медиана ОИП {}", f.year));
    headers.push("Книга отчёта".to_string());
    header_row(ws, 0, &headers, st)?;
    ws.set_freeze_panes(1, 1)?;
    for (i, p) in parts.iter().enumerate() {
        let r = i as u32 + 1;
        put(ws, r, 0, &p.name)?;
        number(ws, r, 1, p.schools as f64)?;
        for (j, n) in p.flagged.iter().enumerate() {
            number(ws, r, 2 + j as u16, *n as f64)?;
        }
        num(ws, r, 6, p.median_oip, &st.one)?;
        // A relative link opens the part's workbook from wherever the folder was copied.
        ws.write_url_with_text(r, 7, Url::new(format!("file:///{}", p.file)), &p.file)?;
    }
    Ok(())
}
