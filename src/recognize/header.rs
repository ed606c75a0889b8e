//! Finding the header block of a sheet: title rows above it are allowed, a second header
//! row of sub-headings (`кол-во | %` under each mark) is combined with the merged heading
//! above it, a row of numeric sub-headings under a parent spanning several columns (grades
//! «1»…«11» under «Количество обучающихся по классам», marks «2»…«5» under «Отметка») is
//! combined with it too, and a row of column numbers under the header is skipped.
//! The rules are named and explained in docs/recognition.md («Заголовок»).
//!
//! The block is a range of rows with one flattened heading per column, so deeper merged
//! headers (three rows, a subject spanning several columns) can be added here without
//! touching the callers.

use super::fields::Field;
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
/// the heading itself, `%` a share shnor does not need, `Классов/групп` not a head count,
/// a bare number the numbered part of its parent ([`numbered_part`]).
fn map_parts(parts: &[String], cfg: &Config) -> Option<Mapping> {
    let (last, upper) = parts.split_last()?;
    let cc = canon(last);
    if upper.is_empty() {
        return lookup(last, cfg);
    }
    if let Some(n) = whole_number_text(last) {
        return numbered_part(upper, n, cfg);
    }
    if super::synonyms::is_other_count_word(&cc) || is_percent_word(&cc) {
        return Some(Mapping::Known);
    }
    if is_count_word(&cc) {
        return map_parts(upper, cfg);
    }
    lookup(last, cfg).or_else(|| map_parts(upper, cfg))
}

/// Words of a parent heading whose numbered sub-headings are marks «2»…«5».
const MARK_PARENT: [&str; 2] = ["отметк", "оценк"];
/// Words of a parent heading whose numbered sub-headings are grades «1»…«12».
const GRADE_PARENT: [&str; 6] = [
    "класс",
    "параллел",
    "контингент",
    "обуча",
    "учащ",
    "численн",
];
/// Rule «доли отметок под общим заголовком»: a parent that is a percentage or share and
/// names marks or their distribution («Распределение групп баллов в %», «Доля отметок, %»,
/// «Получили отметку, %») has the marks' shares under it, not their counts.
fn is_mark_share_parent(parent: &str) -> bool {
    let share = parent.contains('%')
        || ["процент", "доля", "доли"]
            .iter()
            .any(|w| parent.contains(w));
    let marks = MARK_PARENT.iter().any(|w| parent.contains(w)) || parent.contains("распределен");
    share && marks
}

/// Words that make the numbers under a parent something else (tasks, scores, variants).
const NOT_GRADE_OR_MARK: [&str; 4] = ["задан", "балл", "выполн", "вариант"];

/// Rule «числа под общим заголовком» (meaning): a bare number under a parent heading is a
/// part of it. Under a parent naming marks (`отметка`, `получили оценку`) a number 2…5 is
/// the count of that mark; under a parent naming pupils or grades (`обучающихся`, `по
/// классам`, `параллели`, `контингент`, `численность`) a number 1…12 is the count of pupils
/// of that grade — unless the parent counts classes («Количество классов» / 5 is not
/// fifth-graders). A parent about tasks, scores or variants maps nothing. Any other number
/// (a year, a variant) maps to nothing either: it is a part of its parent, never the
/// parent's whole value. Years under a measure are read earlier, as a trend table
/// (`years.rs`).
fn numbered_part(upper: &[String], n: i64, cfg: &Config) -> Option<Mapping> {
    let parent = canon(&upper.join(" "));
    if is_mark_share_parent(&parent) {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        return (2..=5)
            .contains(&n)
            .then_some(Mapping::Field(Field::MarkShare(n as u8)));
    }
    if NOT_GRADE_OR_MARK.iter().any(|w| parent.contains(w)) {
        return None;
    }
    if MARK_PARENT.iter().any(|w| parent.contains(w)) {
        return (2..=5)
            .contains(&n)
            .then(|| lookup(&format!("отметка {n}"), cfg))
            .flatten();
    }
    if GRADE_PARENT.iter().any(|w| parent.contains(w)) && (1..=12).contains(&n) {
        return lookup(&format!("{parent} {n} класс"), cfg);
    }
    None
}

/// A whole number written as a heading or a cell: `5`, `5.0`, «5», ` 11 `.
fn whole_number_text(t: &str) -> Option<i64> {
    let t = t
        .trim()
        .trim_matches(['"', '«', '»', '“', '”', '\''])
        .trim();
    if t.is_empty() || t.len() > 6 {
        return None;
    }
    let x: f64 = t.replace(',', ".").parse().ok()?;
    #[allow(clippy::cast_possible_truncation)]
    (x.fract() == 0.0).then_some(x as i64)
}

fn whole_number(c: &Cell) -> Option<i64> {
    match c {
        #[allow(clippy::cast_possible_truncation)]
        Cell::Number(x) if x.fract() == 0.0 && x.abs() < 1e6 => Some(*x as i64),
        Cell::Text(t) => whole_number_text(t),
        _ => None,
    }
}

/// Columns `(first, last)` of the heading that column `c` sits under, in header rows
/// `first..below` (the lowest such row that has a heading over `c`): a merged range, or,
/// without merge information, a heading followed by blank cells to its right (up to the
/// next heading of that row). `merges_only` ignores that second way.
fn parent_span(
    sheet: &Sheet,
    first: usize,
    below: usize,
    c: usize,
    merges_only: bool,
) -> Option<(usize, usize)> {
    let known_merges = !sheet.merges.is_empty();
    for rr in (first..below).rev() {
        if let Some(&(_, c1, _, c2)) = sheet
            .merges
            .iter()
            .find(|&&(r1, c1, r2, c2)| r1 <= rr && rr <= r2 && r2 < below && c1 <= c && c <= c2)
        {
            return Some((c1, c2));
        }
        if !sheet.cell(rr, c).is_empty() {
            // The column's own heading in this row, merged with nothing.
            if known_merges || merges_only {
                return Some((c, c));
            }
        } else if known_merges || merges_only {
            continue;
        }
        // No merge information: a heading reaches over the blanks to its right.
        let Some(c0) = (0..=c).rev().find(|&x| !sheet.cell(rr, x).is_empty()) else {
            continue;
        };
        let row_width = width(sheet, first..=below);
        let end = (c0 + 1..row_width)
            .find(|&x| !sheet.cell(rr, x).is_empty())
            .map_or(row_width.saturating_sub(1), |x| x - 1);
        return Some((c0, end));
    }
    None
}

/// Rule «числа под общим заголовком» (structure): row `k` under header rows `first..k`
/// holds numeric sub-headings when it has at least two cells, every filled cell is a
/// whole number, and each sits under a parent heading spanning several columns with at
/// least one other number under the same parent — grades «1»…«11» under a merged
/// «Количество обучающихся по классам», with «Код ОО» and «Наименование ОО» merged down
/// over both rows (blank in row `k`). A data row has its code or name in a column of its
/// own, so it never qualifies.
fn is_numbered_sub_row(sheet: &Sheet, first: usize, k: usize) -> bool {
    let Some(row) = sheet.rows.get(k) else {
        return false;
    };
    let cells: Vec<usize> = (0..row.len()).filter(|&c| !row[c].is_empty()).collect();
    if cells.len() < 2 {
        return false;
    }
    let mut spans = Vec::new();
    for &c in &cells {
        if whole_number(&row[c]).is_none() {
            return false;
        }
        match parent_span(sheet, first, k, c, false) {
            Some((c1, c2)) if c2 > c1 => spans.push((c1, c2)),
            _ => return false,
        }
    }
    spans
        .iter()
        .all(|s| spans.iter().filter(|t| *t == s).count() >= 2)
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

/// Rule «номера столбцов»: row `r` right under the header rows `first..=last` is a row of
/// column numbers `1 2 3 4 …` only when
/// - its filled cells are three or more whole numbers, each greater than the one before,
///   and counted from 1 (or from the number of the table's first column: `3 4 5 …` from
///   column C) at most two numbers are missing — columns deleted after the numbering was
///   made leave `2 3 4 …` or `1 3 4 …`;
/// - it runs along the whole header (every column with a heading has a number), or column
///   by column without a gap from the table's first column (or from column A), even when
///   it stops short of the last columns — the numbering of a form that got more columns
///   later;
/// - no number sits right under a merged heading spanning several columns (numbers there
///   are sub-headings: grades, marks — see [`is_numbered_sub_row`]).
fn is_column_numbers(sheet: &Sheet, first: usize, last: usize, cols: &[HeadCol], r: usize) -> bool {
    let Some(row) = sheet.rows.get(r) else {
        return false;
    };
    let filled: Vec<usize> = (0..row.len()).filter(|&c| !row[c].is_empty()).collect();
    let Some(nums) = filled
        .iter()
        .map(|&c| whole_number(&row[c]))
        .collect::<Option<Vec<_>>>()
    else {
        return false;
    };
    if nums.len() < 3 || nums.windows(2).any(|w| w[1] <= w[0]) {
        return false;
    }
    let table_start = cols.iter().map(|h| h.index).min().unwrap_or(0);
    // Numbers missing when counting from `from` (the row starts at or after it).
    let count = i64::try_from(nums.len()).unwrap_or(i64::MAX);
    let missing = |from: i64| (nums[0] >= from).then(|| nums[nums.len() - 1] - from + 1 - count);
    let from_table = i64::try_from(table_start + 1).unwrap_or(1);
    let few_missing = [1, from_table]
        .iter()
        .any(|&from| missing(from).is_some_and(|m| m <= 2));
    let along = cols
        .iter()
        .all(|h| row.get(h.index).is_some_and(|c| !c.is_empty()));
    let from_start = |base: usize| filled.iter().enumerate().all(|(i, &c)| c == base + i);
    let column_by_column = from_start(0) || from_start(table_start);
    let under_parent = filled.iter().any(|&c| {
        sheet.cell(last, c).is_empty()
            && parent_span(sheet, first, last + 1, c, true).is_some_and(|(c1, c2)| c2 > c1)
    });
    few_missing && (along || column_by_column) && !under_parent
}

/// Rule «номера столбцов» for a header already known to span rows `first..=last` (a wide
/// table's subject labels and sub-headings): whether the row right under it numbers the
/// columns and is to be skipped.
pub(super) fn column_numbers_under(sheet: &Sheet, first: usize, last: usize, cfg: &Config) -> bool {
    let cols = multi_rows(sheet, first, last, cfg);
    is_column_numbers(sheet, first, last, &cols, last + 1)
}

/// Finds the header block: the row (among the first [`SCAN_ROWS`]) where most headings map
/// to fields, at least `min_fields` of them.
pub fn find(sheet: &Sheet, cfg: &Config, min_fields: usize) -> Option<HeaderBlock> {
    let last_row = sheet.rows.len().min(SCAN_ROWS);
    let mut best: Option<(usize, Vec<HeadCol>, usize)> = None;
    for r in 0..last_row {
        let cols = single_row(sheet, r, cfg);
        // Rule «числа под общим заголовком»: a row whose fields are named only together
        // with the numbers under it («Код ОО | Количество обучающихся по классам» over
        // «5 | 6 | 7»; «Распределение групп баллов в %» over «2 | 3 | 4 | 5») is scored
        // with them.
        let s = score(&cols).max(
            if r + 1 < sheet.rows.len() && is_numbered_sub_row(sheet, r, r + 1) {
                score(&multi_rows(sheet, r, r + 1, cfg))
            } else {
                0
            },
        );
        if s >= min_fields && best.as_ref().is_none_or(|(_, _, b)| s > *b) {
            best = Some((r, cols, s));
        }
    }
    let (r, single, _) = best?;
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
        if is_numbered_sub_row(sheet, r, k) {
            let combined = multi_rows(sheet, r, k, cfg);
            if score(&combined) < score(&cols) {
                break;
            }
            notes.push(format!(
                "строка {} — числа под общим заголовком (классы, отметки): это подзаголовки, \
                 а не номера столбцов",
                k + 1
            ));
            cols = combined;
            last = k;
            k += 1;
            continue;
        }
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
    if is_column_numbers(sheet, r, last, &cols, data_start) {
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
#[path = "header_tests.rs"]
mod tests;
