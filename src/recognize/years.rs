//! Trend tables: several years side by side inside each measure («Число участников» over
//! «2013 год | 2012 год | 2011 год», then «Средний балл» over the same years), as РЦОИ
//! publishes them «за 2011–2013 годы». They are made long — one row per school × year with
//! a «Год» column — so the ordinary recognition and normalization read each year's
//! columns as that year's aggregates. The same idea as the subject blocks of `wide.rs`,
//! with the year in place of the subject. Found by content: a header row of bare years,
//! in runs under a heading that names a canonical field.

use super::Field;
use super::header::SCAN_ROWS;
use super::prepare::Reshaped;
use super::synonyms::{Mapping, canon, lookup};
use crate::config::Config;
use crate::model::Year;
use crate::read::{Cell, Sheet};
use crate::read::{norm_text, parse_count};

/// The heading given to the added year column.
pub const YEAR_HEADING: &str = "Год";

/// One measure of a trend table: its heading and a column per year.
#[derive(Clone, Debug, PartialEq)]
pub struct Measure {
    pub heading: String,
    pub field: Field,
    /// (year, 0-based column), in the file's order.
    pub cols: Vec<(Year, usize)>,
}

/// A trend layout found in a sheet.
#[derive(Clone, Debug, PartialEq)]
pub struct Trend {
    /// 0-based first header row (the measure headings) and the row of the years.
    pub head_first: usize,
    pub year_row: usize,
    /// Columns left of this one identify the row (code, name).
    pub first_col: usize,
    pub measures: Vec<Measure>,
    /// The code and name columns among the identity columns.
    pub code_col: Option<usize>,
    pub name_col: Option<usize>,
    /// Every year found, ascending.
    pub years: Vec<Year>,
    /// Runs of year columns under a heading that is no field (left unread), as written.
    pub unread: Vec<String>,
}

/// «2013 год», «2013 г.», «2013» → 2013; anything else (a span «2013-2012») → None.
fn bare_year(c: &Cell) -> Option<Year> {
    let t = match c {
        Cell::Number(x) if x.fract() == 0.0 => format!("{x}"),
        other => norm_text(&other.text()),
    };
    let t = t.trim();
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    if digits.len() != 4 {
        return None;
    }
    let rest = t[4..].trim().trim_end_matches('.');
    if !matches!(rest, "" | "год" | "г" | "гг" | "уч. год") {
        return None;
    }
    digits
        .parse::<Year>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
}

/// Looks for a header row of bare years grouped in runs (each year once per run) under
/// headings that name canonical fields, with a school column left of them. At least one
/// measure must span two years or more.
pub fn find(sheet: &Sheet, cfg: &Config) -> Option<Trend> {
    for r in 1..sheet.rows.len().min(SCAN_ROWS) {
        let years: Vec<(usize, Year)> = (0..sheet.rows[r].len())
            .filter_map(|c| bare_year(sheet.cell(r, c)).map(|y| (c, y)))
            .collect();
        if years.len() < 2 {
            continue;
        }
        // Runs: adjacent columns, a year at most once per run.
        let mut runs: Vec<Vec<(usize, Year)>> = Vec::new();
        for &(c, y) in &years {
            match runs.last_mut() {
                Some(run)
                    if run.last().is_some_and(|&(pc, _)| pc + 1 == c)
                        && !run.iter().any(|&(_, py)| py == y) =>
                {
                    run.push((c, y));
                }
                _ => runs.push(vec![(c, y)]),
            }
        }
        let mut measures = Vec::new();
        let mut unread = Vec::new();
        let mut head_first = r;
        for run in &runs {
            let (start, end) = (run[0].0, run[run.len() - 1].0);
            // The heading over the run: the nearest header row with text over it (a merged
            // heading sits in the first cell of its span).
            let Some((k, label)) = (0..r).rev().find_map(|k| {
                (start..=end)
                    .map(|c| sheet.cell(k, c).text())
                    .find(|t| !t.trim().is_empty())
                    .map(|t| (k, t.trim().to_string()))
            }) else {
                continue;
            };
            match lookup(&canon(&label), cfg) {
                Some(Mapping::Field(field))
                    if !measures.iter().any(|m: &Measure| m.field == field) =>
                {
                    head_first = head_first.min(k);
                    measures.push(Measure {
                        heading: label,
                        field,
                        cols: run.iter().map(|&(c, y)| (y, c)).collect(),
                    });
                }
                _ => unread.push(label),
            }
        }
        if !measures.iter().any(|m| m.cols.len() >= 2) {
            continue;
        }
        let first_col = measures
            .iter()
            .flat_map(|m| m.cols.iter().map(|&(_, c)| c))
            .min()
            .unwrap_or(0);
        let ident_col = |field: Field| {
            (0..first_col).find(|&c| {
                (head_first..r).any(|k| {
                    lookup(&canon(&sheet.cell(k, c).text()), cfg) == Some(Mapping::Field(field))
                })
            })
        };
        let (code_col, name_col) = (ident_col(Field::SchoolId), ident_col(Field::SchoolName));
        if code_col.is_none() && name_col.is_none() {
            continue;
        }
        // Other headed columns right of the school columns (growth rates «2013-2012»).
        let taken = |c: usize| {
            measures
                .iter()
                .any(|m| m.cols.iter().any(|&(_, mc)| mc == c))
        };
        for c in first_col..sheet.rows[head_first].len() {
            let h = sheet.cell(head_first, c).text().trim().to_string();
            if !taken(c) && !h.is_empty() && !unread.contains(&h) {
                unread.push(h);
            }
        }
        let mut all: Vec<Year> = measures
            .iter()
            .flat_map(|m| m.cols.iter().map(|&(y, _)| y))
            .collect();
        all.sort_unstable();
        all.dedup();
        return Some(Trend {
            head_first,
            year_row: r,
            first_col,
            code_col,
            name_col,
            measures,
            years: all,
            unread,
        });
    }
    None
}

/// The identity cells of a row. A text merged over several identity columns («Алейский
/// район» over «Код | АТЕ/ОУ»), or a text with no digit in the code column next to an
/// empty name (the same row saved without its merge, as CSV), is the row's name, not a
/// code: it is moved to the name column, so a municipality row is not read as a school
/// with a strange code.
fn identity(sheet: &Sheet, r: usize, t: &Trend) -> Vec<Cell> {
    let mut row: Vec<Cell> = (0..t.first_col).map(|c| sheet.cell(r, c).clone()).collect();
    for &(r1, c1, r2, c2) in &sheet.merges {
        if (r1..=r2).contains(&r) && c1 < c2 && c2 < t.first_col && !row[c1].is_empty() {
            row[c2] = std::mem::replace(&mut row[c1], Cell::Empty);
        }
    }
    if let (Some(code), Some(name)) = (t.code_col, t.name_col)
        && let Cell::Text(text) = &row[code]
        && !text.trim().is_empty()
        && !text.chars().any(|c| c.is_ascii_digit())
        && row[name].is_empty()
    {
        row[name] = std::mem::replace(&mut row[code], Cell::Empty);
    }
    row
}

/// The long form of a trend sheet: title rows kept, one header row (identity headings,
/// «Год», one heading per measure), then, year by year (oldest first), a row per data row
/// with a value that year — so each year's rows stay together with their subtotals and
/// total, as in a one-year file. A row whose participant count that year is blank or zero
/// did not take part that year and is left out (counted in a note).
///
/// Returns the sheet, notes, and for every row of the long sheet the row of the original.
pub fn unpivot(sheet: &Sheet, t: &Trend) -> Reshaped {
    let heading = |c: usize| -> Cell {
        let parts: Vec<String> = (t.head_first..t.year_row)
            .map(|k| sheet.cell(k, c).text().trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        Cell::Text(parts.join(" / ").into())
    };
    let ident: Vec<usize> = (0..t.first_col).collect();
    let mut rows: Vec<Vec<Cell>> = sheet.rows[..t.head_first].to_vec();
    let mut map: Vec<usize> = (0..t.head_first).collect();
    let mut head: Vec<Cell> = ident.iter().map(|&c| heading(c)).collect();
    head.push(Cell::Text(YEAR_HEADING.into()));
    head.extend(
        t.measures
            .iter()
            .map(|m| Cell::Text(m.heading.as_str().into())),
    );
    rows.push(head);
    map.push(t.year_row);
    let n_measure = t.measures.iter().position(|m| m.field == Field::N);
    let mut out_rows = 0;
    let mut not_taken = 0;
    for &year in &t.years {
        for r in t.year_row + 1..sheet.rows.len() {
            let cells: Vec<Cell> = t
                .measures
                .iter()
                .map(|m| {
                    m.cols
                        .iter()
                        .find(|&&(y, _)| y == year)
                        .map_or(Cell::Empty, |&(_, c)| sheet.cell(r, c).clone())
                })
                .collect();
            if cells.iter().all(Cell::is_empty) {
                continue;
            }
            if let Some(j) = n_measure
                && matches!(parse_count(&cells[j]), Ok(None | Some(0)))
            {
                not_taken += 1;
                continue;
            }
            let mut row = identity(sheet, r, t);
            row.push(Cell::Number(f64::from(year)));
            row.extend(cells);
            rows.push(row);
            map.push(r);
            out_rows += 1;
        }
    }
    let years: Vec<String> = t.years.iter().map(ToString::to_string).collect();
    let measures: Vec<String> = t
        .measures
        .iter()
        .map(|m| format!("«{}»", m.heading))
        .collect();
    let mut notes = vec![format!(
        "таблица за несколько лет: {} по столбцу на год ({}; строка {} — годы) развёрнуто в \
         {out_rows} строк «школа × год», каждый год — результаты своего года; номера строк в \
         замечаниях — по исходному листу",
        measures.join(", "),
        years.join(", "),
        t.year_row + 1
    )];
    if not_taken > 0 {
        notes.push(format!(
            "{not_taken} ячеек лет с пустым или нулевым числом участников (в тот год экзамен \
             не сдавали) пропущено"
        ));
    }
    if !t.unread.is_empty() {
        notes.push(format!(
            "столбцы {} не читаются: это не результаты одного года",
            t.unread
                .iter()
                .map(|u| format!("«{u}»"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Reshaped::new(sheet, rows, notes, map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::testutil::{n, t};

    #[test]
    fn bare_years_only() {
        assert_eq!(bare_year(&t("2013 год")), Some(2013));
        assert_eq!(bare_year(&t("2013 г.")), Some(2013));
        assert_eq!(bare_year(&n(2012.0)), Some(2012));
        assert_eq!(bare_year(&t("2013-2012")), None);
        assert_eq!(bare_year(&t("2013 год, %")), None);
        assert_eq!(bare_year(&t("1999")), None);
    }

    #[test]
    fn year_columns_become_rows() {
        let sheet = Sheet {
            name: Some("Page 1".into()),
            merges: Vec::new(),
            rows: vec![
                vec![t("Результаты ЕГЭ по ОУ. Русский язык")],
                vec![
                    t("Код"),
                    t("ОУ"),
                    t("Число участников"),
                    t(""),
                    t("Средний балл"),
                    t(""),
                    t("Темпы прироста"),
                ],
                vec![
                    t(""),
                    t(""),
                    t("2013 год"),
                    t("2012 год"),
                    t("2013 год"),
                    t("2012 год"),
                    t("2013-2012"),
                ],
                vec![
                    t("101"),
                    t("Школа 1"),
                    n(10.0),
                    n(8.0),
                    n(60.0),
                    n(55.0),
                    n(9.1),
                ],
                // Not examined in 2012 (a zero count): one year only.
                vec![t("102"), t("Школа 2"), n(4.0), n(0.0), n(70.0), t("")],
            ],
        };
        let cfg = Config::default();
        let tr = find(&sheet, &cfg).expect("trend layout found");
        assert_eq!((tr.head_first, tr.year_row, tr.first_col), (1, 2, 2));
        assert_eq!(tr.years, vec![2012, 2013]);
        assert_eq!(tr.measures.len(), 2);
        assert_eq!(tr.unread, vec!["Темпы прироста"]);
        let Reshaped {
            sheet: long,
            notes,
            row_map: map,
        } = unpivot(&sheet, &tr);
        // 2012: school 1 only; 2013: both schools → 3 rows after title + header.
        assert_eq!(long.rows.len(), 1 + 1 + 3);
        assert_eq!(&map[2..], &[3, 3, 4]);
        assert_eq!(
            long.rows[2],
            vec![t("101"), t("Школа 1"), n(2012.0), n(8.0), n(55.0)]
        );
        assert_eq!(
            long.rows[4],
            vec![t("102"), t("Школа 2"), n(2013.0), n(4.0), n(70.0)]
        );
        assert!(notes.iter().any(|n| n.contains("1 ячеек лет")), "{notes:?}");
        let table = crate::recognize::recognize(&long, "егэ за 2012-2013 годы.xls", &cfg).unwrap();
        assert_eq!(table.kind, crate::model::InputKind::Aggregates);
        assert!(table.column(Field::Year).is_some());
        assert_eq!(table.meta.year, None);
    }
}
