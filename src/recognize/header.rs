//! Finding the header block of a sheet: title rows above it are allowed, a second header
//! row of sub-headings (`кол-во | %` under each mark) is combined with the merged heading
//! above it, and a row of column numbers under the header is skipped.
//!
//! The block is a range of rows with one flattened heading per column, so deeper merged
//! headers (three rows, a subject spanning several columns) can be added here without
//! touching the callers.

use super::synonyms::{Mapping, canon, is_count_word, is_percent_word, lookup};
use crate::config::Config;
use crate::read::{Cell, Sheet};

/// How many rows from the top may hold titles before the header.
pub const SCAN_ROWS: usize = 30;

/// One column of the header block.
#[derive(Clone, Debug, PartialEq)]
pub struct HeadCol {
    pub index: usize,
    /// Flattened heading: «отметка "2" / кол-во».
    pub heading: String,
    pub mapping: Option<Mapping>,
}

/// The header block found in a sheet.
#[derive(Clone, Debug, PartialEq)]
pub struct HeaderBlock {
    /// 0-based first and last header rows.
    pub first: usize,
    pub last: usize,
    /// 0-based first data row (after a row of column numbers, if any).
    pub data_start: usize,
    pub cols: Vec<HeadCol>,
    pub notes: Vec<String>,
}

fn score(cols: &[HeadCol]) -> usize {
    let mut fields: Vec<_> = cols
        .iter()
        .filter_map(|c| match c.mapping {
            Some(Mapping::Field(f)) => Some(f),
            _ => None,
        })
        .collect();
    fields.sort();
    fields.dedup();
    let tasks = cols.iter().any(|c| c.mapping == Some(Mapping::Task));
    fields.len() + usize::from(tasks)
}

fn width(sheet: &Sheet, rows: std::ops::RangeInclusive<usize>) -> usize {
    rows.filter_map(|r| sheet.rows.get(r))
        .map(|r| r.iter().rposition(|c| !c.is_empty()).map_or(0, |p| p + 1))
        .max()
        .unwrap_or(0)
}

fn single_row(sheet: &Sheet, r: usize, cfg: &Config) -> Vec<HeadCol> {
    (0..width(sheet, r..=r))
        .filter_map(|c| {
            let cell = sheet.cell(r, c);
            if cell.is_empty() {
                return None;
            }
            let heading = cell.text().trim().to_string();
            Some(HeadCol {
                index: c,
                mapping: lookup(&heading, cfg),
                heading,
            })
        })
        .collect()
}

/// Several header rows flattened: an upper heading reaches over the columns of its merged
/// range (or, without merge information, over the blank cells to its right while lower rows
/// have sub-headings). The heading of a column is its parts joined with « / ».
fn multi_rows(sheet: &Sheet, first: usize, last: usize, cfg: &Config) -> Vec<HeadCol> {
    let mut out = Vec::new();
    let levels = last - first + 1;
    let mut spread: Vec<Option<String>> = vec![None; levels];
    let known_merges = !sheet.merges.is_empty();
    for c in 0..width(sheet, first..=last) {
        let mut parts: Vec<String> = Vec::new();
        for (lvl, r) in (first..=last).enumerate() {
            let cell = sheet.cell(r, c);
            let below = (r + 1..=last).any(|k| !sheet.cell(k, c).is_empty());
            let part = if !cell.is_empty() {
                let t = cell.text().trim().to_string();
                spread[lvl] = Some(t.clone());
                Some(t)
            } else if known_merges {
                sheet
                    .merges
                    .iter()
                    .find(|&&(r1, c1, r2, c2)| r1 <= r && r <= r2 && c1 <= c && c <= c2)
                    .map(|&(r1, c1, _, _)| sheet.cell(r1, c1).text().trim().to_string())
                    .filter(|t| !t.is_empty())
            } else if below {
                spread[lvl].clone()
            } else {
                spread[lvl] = None;
                None
            };
            if let Some(p) = part
                && parts.last() != Some(&p)
            {
                parts.push(p);
            }
        }
        if parts.is_empty() {
            continue;
        }
        let heading = parts.join(" / ");
        let mapping =
            super::synonyms::lookup_config(&heading, cfg).or_else(|| map_parts(&parts, cfg));
        out.push(HeadCol {
            index: c,
            heading,
            mapping,
        });
    }
    out
}

/// Maps a column from its heading parts, lowest first: `кол-во`/`чел.` under a heading mean
/// the heading itself, `%` a share shnor does not need, `Классов/групп` not a head count.
fn map_parts(parts: &[String], cfg: &Config) -> Option<Mapping> {
    let (last, upper) = parts.split_last()?;
    let cc = canon(last);
    if upper.is_empty() {
        return lookup(last, cfg);
    }
    if super::synonyms::is_other_count_word(&cc) || is_percent_word(&cc) {
        return Some(Mapping::Known);
    }
    if is_count_word(&cc) {
        return map_parts(upper, cfg);
    }
    lookup(last, cfg).or_else(|| map_parts(upper, cfg))
}

fn has_sub_words(sheet: &Sheet, r: usize) -> bool {
    sheet.rows.get(r).is_some_and(|row| {
        row.iter().any(|c| {
            let cc = canon(&c.text());
            !cc.is_empty()
                && (is_count_word(&cc)
                    || is_percent_word(&cc)
                    || super::synonyms::is_other_count_word(&cc))
        })
    })
}

fn filled(sheet: &Sheet, r: usize) -> usize {
    sheet
        .rows
        .get(r)
        .map_or(0, |row| row.iter().filter(|c| !c.is_empty()).count())
}

/// A row that may be sub-headings: words only, no numbers (also none stored as text, as
/// ФИС ОКО does with every value).
fn is_text_row(sheet: &Sheet, r: usize) -> bool {
    sheet.rows.get(r).is_some_and(|row| {
        row.iter().all(|c| match c {
            Cell::Number(_) => false,
            Cell::Text(t) => crate::read::parse_ru_f64(t).is_none(),
            Cell::Empty => true,
        })
    })
}

/// A row `1 2 3 4 …` (numbers of columns) right under the header.
fn is_column_numbers(sheet: &Sheet, r: usize) -> bool {
    let Some(row) = sheet.rows.get(r) else {
        return false;
    };
    let nums: Vec<f64> = row
        .iter()
        .filter(|c| !c.is_empty())
        .map(|c| match c {
            Cell::Number(x) => Some(*x),
            Cell::Text(t) => t.trim().parse::<f64>().ok(),
            Cell::Empty => None,
        })
        .collect::<Option<Vec<_>>>()
        .unwrap_or_default();
    nums.len() >= 3 && nums[0] == 1.0 && nums.windows(2).all(|w| w[1] == w[0] + 1.0)
}

/// Finds the header block: the row (among the first [`SCAN_ROWS`]) where most headings map
/// to fields, at least `min_fields` of them.
pub fn find(sheet: &Sheet, cfg: &Config, min_fields: usize) -> Option<HeaderBlock> {
    let last_row = sheet.rows.len().min(SCAN_ROWS);
    let mut best: Option<(usize, Vec<HeadCol>)> = None;
    for r in 0..last_row {
        let cols = single_row(sheet, r, cfg);
        let s = score(&cols);
        if s >= min_fields && best.as_ref().is_none_or(|(_, b)| s > score(b)) {
            best = Some((r, cols));
        }
    }
    let (r, single) = best?;
    let mut notes = Vec::new();
    let mut last = r;
    let mut cols = single;
    // Sub-heading rows below: text only, sparser than the header row, and either with
    // sub-words (кол-во, %, чел.) or adding fields. A row of words right above such a row is
    // a middle level («края | своего района» above «чел. | %»). At most 3 extra rows.
    let mut k = r + 1;
    while k <= r + 3 && k < sheet.rows.len() {
        let text = |k: usize| is_text_row(sheet, k) && filled(sheet, k) > 0;
        let sparse = |k: usize| text(k) && filled(sheet, k) < filled(sheet, r);
        if !text(k) {
            break;
        }
        let combined = multi_rows(sheet, r, k, cfg);
        let own = has_sub_words(sheet, k);
        let middle = !own
            && filled(sheet, k) >= 2
            && sparse(k)
            && text(k + 1)
            && has_sub_words(sheet, k + 1);
        if middle {
            let deeper = multi_rows(sheet, r, k + 1, cfg);
            if score(&deeper) < score(&cols) {
                break;
            }
            cols = deeper;
            last = k + 1;
            k += 2;
        } else if (own && score(&combined) >= score(&cols))
            || (sparse(k) && score(&combined) > score(&cols))
        {
            cols = combined;
            last = k;
            k += 1;
        } else {
            break;
        }
    }
    if last > r {
        notes.push(format!(
            "заголовок в строках {}–{}: подзаголовки объединены с общим заголовком над ними",
            r + 1,
            last + 1
        ));
    }
    if r > 0 {
        notes.push(format!(
            "строки 1–{r} над заголовком считаются заголовком таблицы (название, год, предмет)"
        ));
    }
    let mut data_start = last + 1;
    if is_column_numbers(sheet, data_start) {
        notes.push(format!(
            "строка {} — номера столбцов, пропущена",
            data_start + 1
        ));
        data_start += 1;
    }
    Some(HeaderBlock {
        first: r,
        last,
        data_start,
        cols,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::testutil::{n, sheet, t};
    use crate::recognize::Field;

    #[test]
    fn title_rows_above_the_header() {
        let s = sheet(vec![
            vec![t("Результаты ОГЭ-2014 по математике")],
            vec![],
            vec![t("Код ОО"), t("Наименование ОО"), t("Средний балл")],
            vec![t("1"), t("2"), t("3")],
            vec![Cell::Number(101.0), t("Школа"), Cell::Number(15.0)],
        ]);
        let h = find(&s, &Config::default(), 2).unwrap();
        assert_eq!((h.first, h.last), (2, 2));
        // Row 4 (0-based 3) holds column numbers 1, 2, 3: data starts at 0-based row 4.
        assert_eq!(h.data_start, 4);
        assert_eq!(h.cols[2].mapping, Some(Mapping::Field(Field::MeanScore)));
    }

    #[test]
    fn two_row_header_with_count_and_percent() {
        let s = sheet(vec![
            vec![
                t("Код МОУО/ОО"),
                t("Наименование МОУО/ОО"),
                t("Кол-во участников"),
                t("отметка \"2\""),
                Cell::Empty,
                t("отметка \"3\""),
                Cell::Empty,
                t("успеваемость"),
            ],
            vec![
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                t("кол-во"),
                t("%"),
                t("кол-во"),
                t("%"),
            ],
            vec![Cell::Number(101.0), t("Школа"), Cell::Number(10.0)],
        ]);
        let h = find(&s, &Config::default(), 2).unwrap();
        assert_eq!((h.first, h.last, h.data_start), (0, 1, 2));
        let by_index = |i: usize| h.cols.iter().find(|c| c.index == i).unwrap();
        assert_eq!(by_index(3).mapping, Some(Mapping::Field(Field::N2)));
        assert_eq!(by_index(3).heading, "отметка \"2\" / кол-во");
        assert_eq!(by_index(4).mapping, Some(Mapping::Known));
        assert_eq!(by_index(5).mapping, Some(Mapping::Field(Field::N3)));
        assert_eq!(by_index(0).mapping, Some(Mapping::Field(Field::SchoolId)));
    }

    #[test]
    fn merged_ranges_decide_how_far_a_heading_reaches() {
        // «Средний балл» spans columns 1–2 (merged); column 3 has a sub-heading of its own
        // under a blank, unmerged cell: it must not inherit «Средний балл».
        let s = Sheet {
            name: None,
            rows: vec![
                vec![t("Код ОО"), t("отметка «2»"), Cell::Empty, Cell::Empty],
                vec![Cell::Empty, t("кол-во"), t("%"), t("Средний балл")],
                vec![n(1.0), n(2.0), n(3.0), n(4.0)],
            ],
            merges: vec![(0, 1, 0, 2)],
        };
        let h = find(&s, &Config::default(), 2).unwrap();
        let by_index = |i: usize| h.cols.iter().find(|c| c.index == i).unwrap();
        assert_eq!(by_index(1).mapping, Some(Mapping::Field(Field::N2)));
        assert_eq!(by_index(2).mapping, Some(Mapping::Known));
        assert_eq!(by_index(3).heading, "Средний балл");
        assert_eq!(by_index(3).mapping, Some(Mapping::Field(Field::MeanScore)));
    }

    #[test]
    fn data_stored_as_text_is_not_a_second_header_row() {
        // ФИС ОКО stores every value as text: row 2 is the first participant.
        let s = sheet(vec![
            vec![t("логин школы"), t("пол"), t("класс"), t("всего баллов")],
            vec![t("sch220206"), t("ж"), t("НЕТ"), t("20")],
        ]);
        let h = find(&s, &Config::default(), 2).unwrap();
        assert_eq!((h.first, h.last, h.data_start), (0, 0, 1));
        assert_eq!(h.cols[3].heading, "всего баллов");
    }

    #[test]
    fn three_row_header_of_rcoi_ege() {
        let s = sheet(vec![
            vec![t("Результаты ЕГЭ по образовательным учреждениям")],
            vec![
                t("Код"),
                t("ОУ"),
                t("Число выпускников"),
                t("Сдавали предмет"),
                Cell::Empty,
                t("Средний балл"),
                t("Не набрали минимум"),
                Cell::Empty,
                t("Набрали не меньше среднего балла"),
            ],
            vec![
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                t("края"),
                Cell::Empty,
                t("своего района"),
            ],
            vec![
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                t("чел."),
                t("%"),
                Cell::Empty,
                t("чел."),
                t("%"),
                t("чел."),
                t("%"),
                t("чел."),
            ],
            vec![
                n(117.0),
                t("Школа"),
                n(6.0),
                n(6.0),
                n(100.0),
                n(61.0),
                n(0.0),
            ],
        ]);
        let h = find(&s, &Config::default(), 2).unwrap();
        assert_eq!((h.first, h.last, h.data_start), (1, 3, 4));
        let by_index = |i: usize| h.cols.iter().find(|c| c.index == i).unwrap();
        assert_eq!(by_index(1).mapping, Some(Mapping::Field(Field::SchoolName)));
        assert_eq!(by_index(3).mapping, Some(Mapping::Field(Field::N)));
        assert_eq!(by_index(4).mapping, Some(Mapping::Known));
        assert_eq!(by_index(6).mapping, Some(Mapping::Field(Field::NFail)));
        assert_eq!(
            by_index(8).heading,
            "Набрали не меньше среднего балла / края / чел."
        );
        assert_eq!(by_index(8).mapping, Some(Mapping::Known));
    }

    #[test]
    fn a_section_row_under_the_header_is_data() {
        let s = sheet(vec![
            vec![t("Код ОО"), t("Наименование ОО"), t("Средний балл")],
            vec![t("Алейский район")],
            vec![n(101.0), t("Школа"), n(15.0)],
        ]);
        let h = find(&s, &Config::default(), 2).unwrap();
        assert_eq!((h.last, h.data_start), (0, 1));
    }

    #[test]
    fn no_header_when_fewer_than_two_fields() {
        let s = sheet(vec![vec![t("Что-то"), t("Средний балл")]]);
        assert!(find(&s, &Config::default(), 2).is_none());
    }
}
