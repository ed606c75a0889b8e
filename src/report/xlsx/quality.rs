//! «Качество данных»: every rejected row and warning, and what was read from each file.

use super::{SHEET_QUALITY, printable};
use crate::model::{Dataset, Issue, Severity};
use crate::report::sheet::{Styles, header_row, num, text};
use anyhow::Result;
use rust_xlsxwriter::Workbook;

pub(super) fn write(wb: &mut Workbook, ds: &Dataset, st: &Styles) -> Result<()> {
    write_listing(wb, ds, st, crate::report::sheet::ISSUES_LISTED)
}

/// [`write`] listing at most `listed` messages one per row.
fn write_listing(wb: &mut Workbook, ds: &Dataset, st: &Styles, listed: usize) -> Result<()> {
    let ws = printable(
        wb,
        SHEET_QUALITY,
        &[
            (0, 16),
            (1, 30),
            (2, 16),
            (3, 8),
            (4, 20),
            (5, 18),
            (6, 70),
            (7, 10),
        ],
        st,
    )?;
    let mut issues: Vec<&Issue> = ds.issues.iter().collect();
    // Rejected rows first: they changed the numbers.
    issues.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.origin.cmp(&b.origin))
    });
    let headers = [
        "Важность",
        "Файл",
        "Лист",
        "Строка",
        "Столбец",
        "Значение",
        "Что не так",
    ];
    header_row(ws, 0, &headers, st)?;
    ws.set_freeze_panes(1, 0)?;
    let mut r = 1u32;
    if issues.is_empty() {
        crate::report::sheet::put(ws, r, 0, "Замечаний нет: все строки приняты")?;
        r += 1;
    }
    let hidden = issues.len().saturating_sub(listed);
    issues.truncate(listed);
    for i in &issues {
        let sev = match i.severity {
            Severity::Rejected => "отклонено",
            Severity::Warning => "предупреждение",
        };
        crate::report::sheet::put(ws, r, 0, sev)?;
        crate::report::sheet::put(ws, r, 1, &*i.origin.file)?;
        text(ws, r, 2, i.origin.sheet.as_deref().unwrap_or(""))?;
        if i.origin.row > 0 {
            crate::report::sheet::number(ws, r, 3, i.origin.row as f64)?;
        }
        text(ws, r, 4, i.column.as_deref().unwrap_or(""))?;
        text(ws, r, 5, i.value.as_deref().unwrap_or(""))?;
        crate::report::sheet::put_with(ws, r, 6, &i.message, &st.wrap)?;
        r += 1;
    }
    if hidden > 0 {
        let line = crate::report::sheet::issues_not_listed(hidden, listed);
        crate::report::sheet::put_with(ws, r, 6, &line, &st.wrap)?;
        r += 1;
    }
    r += 1;
    crate::report::sheet::put_with(ws, r, 0, "Входные файлы", &st.bold)?;
    r += 1;
    let headers = [
        "Файл",
        "Лист",
        "Вид данных",
        "Год",
        "Процедура",
        "Принято строк",
        "Отклонено строк",
        "Школ",
    ];
    header_row(ws, r, &headers, st)?;
    r += 1;
    for file in &ds.files {
        if file.tables.is_empty() {
            let what = match &file.copy_of {
                Some(first) => format!("копия «{first}», не учтён повторно"),
                None => "не распознан".to_string(),
            };
            crate::report::sheet::put(ws, r, 0, &file.path)?;
            crate::report::sheet::put(ws, r, 2, &what)?;
            r += 1;
        }
        for t in &file.tables {
            crate::report::sheet::put(ws, r, 0, &file.path)?;
            text(ws, r, 1, t.sheet.as_deref().unwrap_or(""))?;
            text(ws, r, 2, t.kind.map_or("не распознан", |k| k.label()))?;
            num(ws, r, 3, t.year.map(f64::from), &st.int)?;
            text(ws, r, 4, t.procedure.as_deref().unwrap_or(""))?;
            crate::report::sheet::number(ws, r, 5, t.rows_accepted as f64)?;
            crate::report::sheet::number(ws, r, 6, t.rows_rejected as f64)?;
            crate::report::sheet::number(ws, r, 7, t.schools as f64)?;
            r += 1;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Origin, Severity};
    use calamine::{Data, Reader, Xlsx};

    /// Three messages, two listed: the rejected one first, then the line that counts the
    /// third; the table of input files still follows.
    #[test]
    fn messages_past_the_listing_are_counted_in_one_line() {
        let issue = |severity, row: usize| Issue {
            severity,
            origin: Origin {
                file: "ОГЭ.csv".into(),
                sheet: None,
                row,
            },
            column: None,
            value: None,
            message: format!("строка {row}"),
        };
        let ds = Dataset {
            issues: vec![
                issue(Severity::Warning, 2),
                issue(Severity::Warning, 3),
                issue(Severity::Rejected, 4),
            ],
            files: vec![
                crate::model::InputFile {
                    path: "ОГЭ (копия).csv".into(),
                    copy_of: Some("ОГЭ.csv".into()),
                    ..Default::default()
                },
                crate::model::InputFile {
                    path: "цвета.csv".into(),
                    ..Default::default()
                },
            ],
            ..Dataset::default()
        };
        let mut wb = Workbook::new();
        let st = Styles::new("Выявление", None);
        write_listing(&mut wb, &ds, &st, 2).unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range(SHEET_QUALITY).unwrap();
        let col = |r: u32, c: u32| match range.get_value((r, c)) {
            Some(Data::String(s)) => s.clone(),
            Some(Data::Float(x)) => x.to_string(),
            _ => String::new(),
        };
        assert_eq!(
            (col(1, 0), col(1, 3)),
            ("отклонено".to_string(), "4".to_string())
        );
        assert_eq!(
            (col(2, 0), col(2, 3)),
            ("предупреждение".to_string(), "2".to_string())
        );
        assert!(
            col(3, 6).starts_with("замечаний, не поместившихся на лист: 1 (перечислены первые 2"),
            "{}",
            col(3, 6)
        );
        assert_eq!(col(5, 0), "Входные файлы");
        // A copy is named as one, a file with nothing recognized as such.
        assert_eq!(
            [col(7, 0), col(7, 2)],
            ["ОГЭ (копия).csv", "копия «ОГЭ.csv», не учтён повторно"]
        );
        assert_eq!([col(8, 0), col(8, 2)], ["цвета.csv", "не распознан"]);
    }
}
