//! «Показатели по процедурам»: mark shares, pass rate, quality and means per procedure, for
//! the municipality and every school.

use super::{SHEET_PROCEDURES, printable};
use crate::judge::Findings;
use crate::measure::ProcStat;
use crate::report::sheet::{self, Styles, bare_number, bare_text, col, header_row, row};
use anyhow::Result;
use rust_xlsxwriter::{Format, Workbook};

/// What the rows of no school are: the whole input's figures. They are the municipality's
/// only when the input is one municipality; a part of a split report (one municipality of
/// a region) and an input of several municipalities say so, not «Муниципалитет».
fn whole_input_label(f: &Findings, part: bool) -> &'static str {
    let mut municipalities = f.schools.iter().map(|s| s.school.municipality.as_deref());
    let one = municipalities
        .next()
        .is_none_or(|first| municipalities.all(|m| m == first));
    match (part, one) {
        (true, _) => "Все школы выгрузки (не только этой книги)",
        (false, false) => "Все школы выгрузки (все муниципалитеты)",
        (false, true) => "Муниципалитет (все школы)",
    }
}

pub(super) fn write(wb: &mut Workbook, f: &Findings, st: &Styles, part: bool) -> Result<()> {
    write_rows(wb, f, st, part, sheet::EXCEL_ROWS)
}

/// `max_rows`: the sheet's rows (Excel's limit; smaller in tests). One book for a country
/// (`--split none`) holds more rows than fit (~38 a school): the first ones are shown and a
/// last row says where all of them are, so the run is not lost to Excel's limit.
fn write_rows(
    wb: &mut Workbook,
    f: &Findings,
    st: &Styles,
    part: bool,
    max_rows: usize,
) -> Result<()> {
    let whole = whole_input_label(f, part);
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
    // The whole input's rows first, then schools by name; procedures and years in order.
    // The key once per row (a stable sort either way): lower-casing a name per comparison
    // was most of this sheet's time at 10,000 schools.
    rows.sort_by_cached_key(|p| {
        let name = p
            .school
            .as_deref()
            .map(|id| names.get(id).copied().unwrap_or(id).to_lowercase());
        (p.school.is_some(), name, p.procedure.clone(), p.year)
    });
    let signed = Format::new().set_num_format("+0.0;-0.0;0.0");
    let mut formats: Vec<(u16, &Format)> = (5..=11).map(|c| (c, &st.pct)).collect();
    formats.extend([(12, &st.one), (13, &st.two), (14, &signed)]);
    sheet::column_formats(ws, &formats)?;
    let all = rows.len();
    let shown = sheet::rows_that_fit(all, max_rows);
    for (i, p) in rows.iter().take(shown).enumerate() {
        let r = row(i + 1);
        bare_number(ws, r, 0, Some(f64::from(p.year)))?;
        bare_text(ws, r, 1, &p.procedure.to_string())?;
        match &p.school {
            Some(id) => {
                bare_text(ws, r, 2, id)?;
                bare_text(ws, r, 3, sheet::name_of(&names, id))?;
            }
            None => {
                crate::report::sheet::put_with(ws, r, 3, whole, &st.bold)?;
            }
        }
        bare_number(ws, r, 4, Some(f64::from(p.n)))?;
        if let Some(m) = p.mark_shares {
            for (k, v) in m.iter().enumerate() {
                bare_number(ws, r, col(5 + k), Some(*v))?;
            }
        }
        let rest = [
            p.pass_rate,
            p.quality,
            p.fail_share,
            p.mean_score,
            p.mean_mark,
            p.fail_change_pp,
        ];
        for (k, v) in rest.into_iter().enumerate() {
            bare_number(ws, r, col(9 + k), v)?;
        }
    }
    if shown < all {
        let note = format!(
            "лист «{SHEET_PROCEDURES}»: строк {all}, на лист Excel помещается {shown}: показаны \
             первые {shown}; все строки — в identify-<год>.json (proc_stats), а по \
             муниципалитетам — в книгах частей (--split municipality)"
        );
        sheet::say_rows_cut(ws, shown, 3, note)?;
    }
    ws.autofilter(0, 0, row(shown.max(1)), 14)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};

    /// Three rows where two fit (a sheet of 3 rows: the header, one row, the note): the
    /// first row is shown, then the row that says 3 rows were made and where they all are.
    #[test]
    fn rows_past_excels_limit_are_cut_with_a_row_that_says_so() {
        let mut f = crate::report::testdata::findings();
        let extra = f.proc_stats[0].clone();
        f.proc_stats.push(extra);
        let mut wb = Workbook::new();
        let st = Styles::new("Выявление", None);
        let (made, notes) = sheet::collect_cuts(|| write_rows(&mut wb, &f, &st, false, 3));
        made.unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range(SHEET_PROCEDURES).unwrap();
        assert_eq!(range.height(), 3);
        let Some(Data::String(last)) = range.get_value((2, 3)) else {
            panic!("{:?}", range.get_value((2, 3)));
        };
        assert!(
            last.starts_with(
                "… лист «Показатели по процедурам»: строк 3, на лист Excel помещается 1"
            ),
            "{last}"
        );
        assert_eq!(notes.len(), 1);
    }
}
