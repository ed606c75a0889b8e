//! Wide tables: one block of columns per subject (a merged subject heading over repeated
//! sub-headings «приняло участие | не преодолен min порог | … | средний балл»). They are
//! made long — one row per school × subject with a «Предмет» column — so the ordinary
//! recognition and normalization read them. Found by content: a run of sub-headings that
//! repeats with a fixed period, with a label above each block.

use super::Field;
use super::header::SCAN_ROWS;
use super::prepare::Reshaped;
use super::synonyms::{Mapping, canon, lookup};
use crate::config::Config;
use crate::read::parse_count;
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
    /// First column of each block.
    pub starts: Vec<usize>,
    /// One column per subject holding the participant count (form 22: «1 — Русский язык |
    /// 2 — Математика | …» next to «Код | Название»): the sub-heading is implied.
    pub single: bool,
}

/// The implied sub-heading of a one-column-per-subject table.
const SINGLE_HEADING: &str = "Количество участников";

/// A header row holding both the school columns and three or more subject names, one
/// column each, with numbers under them.
fn find_single(sheet: &Sheet, cfg: &Config) -> Option<Wide> {
    for r in 0..sheet.rows.len().min(SCAN_ROWS) {
        let row = &sheet.rows[r];
        let school = row.iter().any(|c| {
            matches!(
                lookup(&canon(&c.text()), cfg),
                Some(Mapping::Field(Field::SchoolId | Field::SchoolName))
            )
        });
        if !school {
            continue;
        }
        let subj: Vec<usize> = (0..row.len())
            .filter(|&c| {
                let t = row[c].text();
                !t.trim().is_empty()
                    && crate::recognize::subjects::find_subject(&t).is_some()
                    && !matches!(lookup(&canon(&t), cfg), Some(Mapping::Field(_)))
            })
            .collect();
        if subj.len() < 3 {
            continue;
        }
        let start = subj[0];
        let end = *subj.last().unwrap_or(&start);
        // Blank heading cells inside the run (a merged «Физика» over two columns) are
        // skipped: only the labelled columns become subjects.
        let labels: Vec<String> = subj.iter().map(|&c| strip_number(&row[c].text())).collect();
        let numbers_below = (r + 1..sheet.rows.len().min(r + 6)).any(|k| {
            matches!(sheet.cell(k, start), Cell::Number(_))
                || crate::read::parse_ru_f64(&sheet.cell(k, start).text()).is_some()
        });
        if !numbers_below {
            continue;
        }
        let _ = end;
        return Some(Wide {
            sub_row: r,
            label_row: r,
            start,
            width: 1,
            labels,
            starts: subj,
            single: true,
        });
    }
    None
}

/// « 1 — Русский язык» → «Русский язык».
fn strip_number(t: &str) -> String {
    let t = t.trim();
    let rest = t.trim_start_matches(|c: char| c.is_ascii_digit());
    if rest.len() < t.len() {
        rest.trim_start_matches([' ', '—', '–', '-', '.', ')'])
            .trim()
            .to_string()
    } else {
        t.to_string()
    }
}

fn row_text(sheet: &Sheet, r: usize, c: usize) -> String {
    canon(&sheet.cell(r, c).text())
}

/// Looks for repeated sub-headings with a label above each block. At least two blocks,
/// and the sub-headings must name at least two canonical fields.
pub fn find(sheet: &Sheet, cfg: &Config) -> Option<Wide> {
    find_blocks(sheet, cfg).or_else(|| find_single(sheet, cfg))
}

fn find_blocks(sheet: &Sheet, cfg: &Config) -> Option<Wide> {
    for r in 1..sheet.rows.len().min(SCAN_ROWS) {
        let w = sheet.rows[r].len();
        if w < 4 {
            continue;
        }
        // Each heading normalised once, and where it repeats next found in one pass: when every
        // start scanned the rest of the row again, a fuzz input (seed 1, 680214) took 50 s.
        let texts: Vec<String> = (0..w).map(|c| row_text(sheet, r, c)).collect();
        let mut next: Vec<Option<usize>> = vec![None; w];
        let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for c in (0..w).rev() {
            next[c] = seen.insert(texts[c].as_str(), c);
        }
        // First non-empty heading that repeats further right.
        for start in 0..w {
            let first = &texts[start];
            if first.is_empty() {
                continue;
            }
            let Some(width) = next[start].map(|c| c - start) else {
                continue;
            };
            if width < 2 {
                continue;
            }
            let block = &texts[start..start + width];
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
                let same = texts[start + b * width..start + (b + 1) * width] == *block;
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
                    starts: (0..labels.len()).map(|b| start + b * width).collect(),
                    labels,
                    single: false,
                });
            }
            break;
        }
    }
    None
}

/// The long form of a wide sheet: title rows kept, one header row (identity headings,
/// «Предмет», the block's sub-headings), then, subject by subject, a row per data row with
/// participants in that subject (so each subject's rows stay together, with their
/// subtotals and total, as in a one-subject file). Identity columns whose heading is a value
/// field the blocks also carry (e.g. «Участников всего» next to each subject's count) are
/// left out, so the subject's own column is the one read.
///
/// Returns the sheet, notes, and for every row of the long sheet the row of the original.
pub fn unpivot(sheet: &Sheet, w: &Wide, cfg: &Config) -> Reshaped {
    let sub_heading = |j: usize| -> Cell {
        if w.single {
            Cell::Text(SINGLE_HEADING.into())
        } else {
            sheet.cell(w.sub_row, w.start + j).clone()
        }
    };
    let block_fields: Vec<Mapping> = (0..w.width)
        .filter_map(|j| lookup(&canon(&sub_heading(j).text()), cfg))
        .collect();
    let heading = |c: usize| {
        let h = sheet.cell(w.label_row, c).clone();
        if h.is_empty() {
            sheet.cell(w.sub_row, c).clone()
        } else {
            h
        }
    };
    let mut ident: Vec<usize> = Vec::new();
    let mut dropped = Vec::new();
    for c in 0..w.start {
        let h = heading(c).text();
        let m = lookup(&canon(&h), cfg);
        if matches!(m, Some(Mapping::Field(_))) && m.is_some_and(|m| block_fields.contains(&m)) {
            dropped.push(h.trim().to_string());
        } else {
            ident.push(c);
        }
    }
    let mut rows: Vec<Vec<Cell>> = sheet.rows[..w.label_row].to_vec();
    let mut map: Vec<usize> = (0..w.label_row).collect();
    let mut head: Vec<Cell> = ident.iter().map(|&c| heading(c)).collect();
    head.push(Cell::Text(SUBJECT_HEADING.into()));
    head.extend((0..w.width).map(sub_heading));
    rows.push(head);
    map.push(w.sub_row);
    // The block's participant column: a blank (or zero) there means the school did not
    // take this subject, whatever else the block holds (a «0» average, say).
    let n_col = (0..w.width)
        .find(|&j| lookup(&canon(&sub_heading(j).text()), cfg) == Some(Mapping::Field(Field::N)));
    let mut out_rows = 0;
    let mut not_taken = 0;
    // A row of column numbers under the sub-headings is no school (rule «номера столбцов»).
    let numbers = super::header::column_numbers_under(sheet, w.label_row, w.sub_row, cfg);
    for (b, label) in w.labels.iter().enumerate() {
        for r in w.sub_row + 1 + usize::from(numbers)..sheet.rows.len() {
            let cells: Vec<Cell> = (0..w.width)
                .map(|j| sheet.cell(r, w.starts[b] + j).clone())
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
            row.push(Cell::Text(label.as_str().into()));
            row.extend(cells);
            rows.push(row);
            map.push(r);
            out_rows += 1;
        }
    }
    let end = w.starts.last().map_or(w.start, |s| s + w.width);
    let trailing = sheet.rows[w.sub_row + 1..]
        .iter()
        .any(|row| row.iter().skip(end).any(|c| !c.is_empty()));
    let shape = if w.single {
        format!(
            "по столбцу на предмет (строка {} — предметы: {}; в столбце — число участников)",
            w.label_row + 1,
            w.labels.join(", ")
        )
    } else {
        format!(
            "{} блоков по {} столбцов (строка {} — предметы: {}; строка {} — подзаголовки)",
            w.labels.len(),
            w.width,
            w.label_row + 1,
            w.labels.join(", "),
            w.sub_row + 1
        )
    };
    let mut notes = vec![format!(
        "широкая таблица: {shape} развёрнута в {out_rows} строк «школа × предмет»; номера \
         строк в замечаниях — по исходному листу"
    )];
    if numbers {
        notes.push(format!(
            "строка {} — номера столбцов, пропущена",
            w.sub_row + 2
        ));
    }
    if not_taken > 0 {
        notes.push(format!(
            "{not_taken} ячеек предметов с пустым или нулевым числом участников (предмет не сдавали) пропущено"
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
            crate::read::column_letter(end - 1)
        ));
    }
    Reshaped::new(sheet, rows, notes, map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::testutil::{n, t};

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
        let Reshaped {
            sheet: long,
            notes,
            row_map: map,
        } = unpivot(&sheet, &w, &cfg);
        // Subject by subject: Russian for both schools (rows 4, 5), then mathematics (row 5).
        assert_eq!(&map[2..], &[3, 4, 4]);
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
