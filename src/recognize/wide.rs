//! Wide tables: one block of columns per subject (a merged subject heading over repeated
//! sub-headings «приняло участие | не преодолен min порог | … | средний балл»). They are
//! made long — one row per school × subject with a «Предмет» column — so the ordinary
//! recognition and normalization read them. Found by content: a run of sub-headings that
//! repeats with a fixed period, with a label above each block.

use super::Field;
use super::header::SCAN_ROWS;
use super::synonyms::{Mapping, canon, lookup};
use crate::config::Config;
use crate::normalize::values::parse_count;
use crate::read::{Cell, Sheet};

/// The heading given to the added subject column.
pub const SUBJECT_HEADING: &str = "Предмет";

/// A wide layout found in a sheet.
#[derive(Clone, Debug, PartialEq)]
pub struct Wide {
    /// 0-based row of the repeated sub-headings.
    pub sub_row: usize,
    /// 0-based row of the block labels (subjects).
    pub label_row: usize,
    /// First column of the first block and the block width.
    pub start: usize,
    pub width: usize,
    /// Block labels as written, one per block.
    pub labels: Vec<String>,
}

fn row_text(sheet: &Sheet, r: usize, c: usize) -> String {
    canon(&sheet.cell(r, c).text())
}

/// Looks for repeated sub-headings with a label above each block. At least two blocks,
/// and the sub-headings must name at least two canonical fields.
pub fn find(sheet: &Sheet, cfg: &Config) -> Option<Wide> {
    for r in 1..sheet.rows.len().min(SCAN_ROWS) {
        let w = sheet.rows[r].len();
        if w < 4 {
            continue;
        }
        // First non-empty heading that repeats further right.
        for start in 0..w {
            let first = row_text(sheet, r, start);
            if first.is_empty() {
                continue;
            }
            let Some(width) = (start + 1..w)
                .find(|&c| row_text(sheet, r, c) == first)
                .map(|c| c - start)
            else {
                continue;
            };
            if width < 2 {
                continue;
            }
            let block: Vec<String> = (0..width).map(|j| row_text(sheet, r, start + j)).collect();
            let fields = block
                .iter()
                .filter(|h| matches!(lookup(h, cfg), Some(Mapping::Field(_))))
                .count();
            if fields < 2 {
                break;
            }
            let mut labels = Vec::new();
            let label_row = r - 1;
            let mut b = 0;
            while start + (b + 1) * width <= w {
                let same =
                    (0..width).all(|j| row_text(sheet, r, start + b * width + j) == block[j]);
                let label = sheet
                    .cell(label_row, start + b * width)
                    .text()
                    .trim()
                    .to_string();
                if !same || label.is_empty() {
                    break;
                }
                labels.push(label);
                b += 1;
            }
            if labels.len() >= 2 {
                return Some(Wide {
                    sub_row: r,
                    label_row,
                    start,
                    width,
                    labels,
                });
            }
            break;
        }
    }
    None
}

/// The long form of a wide sheet: title rows kept, one header row (identity headings,
/// «Предмет», the block's sub-headings), then a row per data row × block with any value.
/// Identity columns whose heading is a value field that the blocks also carry (e.g.
/// «Всего выпускников» next to each subject's «приняло участие») are left out, so the
/// subject's own column is the one read.
pub fn unpivot(sheet: &Sheet, w: &Wide, cfg: &Config) -> (Sheet, Vec<String>) {
    let block_fields: Vec<Mapping> = (0..w.width)
        .filter_map(|j| lookup(&row_text(sheet, w.sub_row, w.start + j), cfg))
        .collect();
    let mut ident: Vec<usize> = Vec::new();
    let mut dropped = Vec::new();
    for c in 0..w.start {
        let h = sheet.cell(w.label_row, c).text();
        let h = if h.trim().is_empty() {
            sheet.cell(w.sub_row, c).text()
        } else {
            h
        };
        let m = lookup(&canon(&h), cfg);
        if matches!(m, Some(Mapping::Field(_))) && m.is_some_and(|m| block_fields.contains(&m)) {
            dropped.push(h.trim().to_string());
        } else {
            ident.push(c);
        }
    }
    let heading = |c: usize| {
        let h = sheet.cell(w.label_row, c).clone();
        if h.is_empty() {
            sheet.cell(w.sub_row, c).clone()
        } else {
            h
        }
    };
    let mut rows: Vec<Vec<Cell>> = sheet.rows[..w.label_row].to_vec();
    let mut head: Vec<Cell> = ident.iter().map(|&c| heading(c)).collect();
    head.push(Cell::Text(SUBJECT_HEADING.into()));
    head.extend((0..w.width).map(|j| sheet.cell(w.sub_row, w.start + j).clone()));
    rows.push(head);
    // The block's participant column: a blank (or zero) there means the school did not
    // take this subject, whatever else the block holds (a «0» average, say).
    let n_col = (0..w.width).find(|&j| {
        lookup(&row_text(sheet, w.sub_row, w.start + j), cfg) == Some(Mapping::Field(Field::N))
    });
    let mut out_rows = 0;
    let mut not_taken = 0;
    for r in w.sub_row + 1..sheet.rows.len() {
        for (b, label) in w.labels.iter().enumerate() {
            let cells: Vec<Cell> = (0..w.width)
                .map(|j| sheet.cell(r, w.start + b * w.width + j).clone())
                .collect();
            if cells.iter().all(Cell::is_empty) {
                continue;
            }
            if let Some(j) = n_col
                && matches!(parse_count(&cells[j]), Ok(None | Some(0)))
            {
                not_taken += 1;
                continue;
            }
            let mut row: Vec<Cell> = ident.iter().map(|&c| sheet.cell(r, c).clone()).collect();
            row.push(Cell::Text(label.clone()));
            row.extend(cells);
            rows.push(row);
            out_rows += 1;
        }
    }
    let end = w.start + w.labels.len() * w.width;
    let trailing = sheet.rows[w.sub_row + 1..]
        .iter()
        .any(|row| row.iter().skip(end).any(|c| !c.is_empty()));
    let mut notes = vec![format!(
        "широкая таблица: {} блоков по {} столбцов (строка {} — предметы: {}; строка {} — \
         подзаголовки) развёрнута в {out_rows} строк «школа × предмет»",
        w.labels.len(),
        w.width,
        w.label_row + 1,
        w.labels.join(", "),
        w.sub_row + 1
    )];
    if not_taken > 0 {
        notes.push(format!(
            "{not_taken} блоков с пустым или нулевым числом участников (предмет не сдавали) пропущено"
        ));
    }
    if !dropped.is_empty() {
        notes.push(format!(
            "столбцы {} не используются: у каждого предмета своё число участников",
            dropped
                .iter()
                .map(|d| format!("«{}»", canon(d)))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if trailing {
        notes.push(format!(
            "столбцы правее {} не входят ни в один блок предметов и не читаются",
            crate::cmd::inspect::column_letter(end - 1)
        ));
    }
    let long = Sheet {
        name: sheet.name.clone(),
        rows,
        merges: Vec::new(),
    };
    (long, notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Cell {
        Cell::Text(s.into())
    }
    fn n(x: f64) -> Cell {
        Cell::Number(x)
    }

    #[test]
    fn subject_blocks_become_rows() {
        let sub = ["приняло участие", "не преодолен min порог", "средний балл"];
        let mut r2 = vec![t(""), t(""), t("")];
        for _ in 0..2 {
            r2.extend(sub.iter().map(|s| t(s)));
        }
        let sheet = Sheet {
            name: Some("2023".into()),
            merges: Vec::new(),
            rows: vec![
                vec![t("Результаты ЕГЭ 2023")],
                vec![
                    t("Муниципальное образование"),
                    t("Образовательная организация"),
                    t("Всего выпускников"),
                    t("Русский язык"),
                    t(""),
                    t(""),
                    t("Математика профильная"),
                ],
                r2,
                vec![
                    t("Район А"),
                    t("Школа 1"),
                    n(10.0),
                    n(10.0),
                    n(0.0),
                    n(70.5),
                    t(""),
                    t(""),
                    t(""),
                ],
                vec![
                    t("Район А"),
                    t("Школа 2"),
                    n(5.0),
                    n(5.0),
                    n(1.0),
                    n(60.0),
                    n(3.0),
                    n(1.0),
                    n(40.0),
                ],
            ],
        };
        let cfg = Config::default();
        let w = find(&sheet, &cfg).expect("wide layout found");
        assert_eq!((w.sub_row, w.label_row, w.start, w.width), (2, 1, 3, 3));
        assert_eq!(w.labels, vec!["Русский язык", "Математика профильная"]);
        let (long, notes) = unpivot(&sheet, &w, &cfg);
        // Title row + header + (1 + 2) school × subject rows: Школа 1 took only Russian.
        assert_eq!(long.rows.len(), 1 + 1 + 3);
        assert!(notes[0].contains("2 блоков по 3 столбцов"), "{notes:?}");
        // 3 identity columns + «Предмет» + 3 sub-headings.
        assert_eq!(long.rows[1].len(), 3 + 1 + 3);
        assert_eq!(long.rows[4][3], t("Математика профильная"));
        assert_eq!(long.rows[4][4], n(3.0));
        // The long form is recognized as results with a subject column.
        let table = crate::recognize::recognize(&long, "егэ.xlsx", &cfg).unwrap();
        assert_eq!(table.kind, crate::model::InputKind::Aggregates);
        assert!(table.column(crate::recognize::Field::Subject).is_some());
    }
}
