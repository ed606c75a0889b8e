//! Candidates confirmed by the values: when two columns of one table name the same field,
//! or one heading fits two fields, the data rows decide — never the column order.
//!
//! - counts (participants, marks, pupils): non-negative whole numbers; the participant
//!   count is not below any other count of the same row (a sub-group: «из них …»);
//! - means: a mean mark inside 2–5, a mean score inside 0–100 (ЕГЭ 0–100, ОГЭ and ВПР
//!   primary scores lower); a column of values all inside 2–5 is a mark, not a score;
//! - shares: 0–1 or 0–100;
//! - codes: distinct from row to row.

use super::fields::Field;
use crate::read::{Cell, Sheet, parse_number};

/// Rows looked at: enough to judge a column, few enough for a participant file.
const SAMPLE: usize = 5000;

/// A column's cells in the data rows (blank cells left out).
pub fn cells(sheet: &Sheet, data_start: usize, index: usize) -> Vec<&Cell> {
    sheet
        .rows
        .iter()
        .skip(data_start)
        .take(SAMPLE)
        .filter_map(|r| r.get(index))
        .filter(|c| !c.is_empty())
        .collect()
}

fn numbers(cells: &[&Cell]) -> Option<Vec<f64>> {
    let xs: Vec<f64> = cells
        .iter()
        .filter_map(|c| parse_number(c).ok().flatten())
        .collect();
    // Mostly numbers (a stray «-» or «X» aside), and at least one.
    (!xs.is_empty() && xs.len() * 10 >= cells.len() * 9).then_some(xs)
}

fn is_count_field(f: Field) -> bool {
    matches!(
        f,
        Field::N
            | Field::N2
            | Field::N3
            | Field::N4
            | Field::N5
            | Field::NFail
            | Field::NHigh
            | Field::Total
            | Field::Students
            | Field::GradeCount(_)
    )
}

/// True when the values of a column can be those of the field.
pub fn fits(field: Field, cells: &[&Cell]) -> bool {
    if cells.is_empty() {
        return true;
    }
    match field {
        Field::SchoolId => {
            let mut v: Vec<String> = cells.iter().map(|c| c.text().trim().to_string()).collect();
            let n = v.len();
            v.sort();
            v.dedup();
            v.len() == n
        }
        Field::MeanMark => {
            numbers(cells).is_some_and(|xs| xs.iter().all(|x| (2.0..=5.0).contains(x)))
        }
        Field::MeanScore => {
            numbers(cells).is_some_and(|xs| xs.iter().all(|x| (0.0..=100.0).contains(x)))
        }
        f if is_count_field(f) => {
            numbers(cells).is_some_and(|xs| xs.iter().all(|x| *x >= 0.0 && x.fract() == 0.0))
        }
        _ => true,
    }
}

/// True when a column's values are good enough to *propose* it for a field in advice
/// (`inspect`): they fit the field, and for a school code they are also not a running
/// number 1…N (the «№» column), not outline numbers (2.1, 2.2), not municipality names,
/// and look like codes (digits and no spaces: school names have spaces, words no digits).
pub fn proposable(field: Field, cells: &[&Cell]) -> bool {
    if cells.len() < 2 || !fits(field, cells) {
        return false;
    }
    if field != Field::SchoolId {
        return true;
    }
    let texts: Vec<String> = cells.iter().map(|c| c.text().trim().to_string()).collect();
    // Every school code of every system carries digits (101, sch220013, ОГРН, ИНН); a word
    // without one (a colour, a type) is not a code.
    if texts.iter().any(|t| {
        t.is_empty() || t.contains(char::is_whitespace) || !t.contains(|c: char| c.is_ascii_digit())
    }) {
        return false;
    }
    if texts.iter().any(|t| super::rows::is_municipality_name(t)) {
        return false;
    }
    // Outline numbers («1», «2.1», «2.2» — elements of a test description) are not codes.
    let fractional = cells.iter().any(|c| {
        parse_number(c)
            .ok()
            .flatten()
            .is_some_and(|x| x.fract() != 0.0)
    });
    !fractional && !is_running_number(cells)
}

/// Whole numbers that go up by one from row to row (1, 2, 3… or 5, 6, 7…): row numbers.
fn is_running_number(cells: &[&Cell]) -> bool {
    let Some(xs) = numbers(cells) else {
        return false;
    };
    xs.len() == cells.len()
        && xs.iter().all(|x| x.fract() == 0.0)
        && xs
            .windows(2)
            .all(|w| (w[1] - w[0] - 1.0).abs() < f64::EPSILON)
}

/// Of a heading's candidate fields (in rule order), the one its values fit; a mean whose
/// values all lie inside 2–5 is a mark. `None` when the values fit none.
pub fn choose_field(candidates: &[Field], cells: &[&Cell]) -> Option<Field> {
    if candidates.contains(&Field::MeanMark) && fits(Field::MeanMark, cells) {
        return Some(Field::MeanMark);
    }
    candidates.iter().copied().find(|&f| fits(f, cells))
}

/// Of two columns named the same count field, the one that is the whole: not below the
/// other in any row, and above it in some. `Some(true)` — the first, `Some(false)` — the
/// second, `None` — the values do not tell.
pub fn whole_of_two(sheet: &Sheet, data_start: usize, a: usize, b: usize) -> Option<bool> {
    let (mut a_above, mut b_above) = (false, false);
    for row in sheet.rows.iter().skip(data_start).take(SAMPLE) {
        let get = |i: usize| row.get(i).and_then(|c| parse_number(c).ok().flatten());
        let (Some(x), Some(y)) = (get(a), get(b)) else {
            continue;
        };
        a_above |= x > y;
        b_above |= y > x;
    }
    match (a_above, b_above) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::testutil::{sheet, t};

    fn col(values: &[&str]) -> Sheet {
        sheet(values.iter().map(|v| vec![t(v)]).collect())
    }

    #[test]
    fn means_by_scale() {
        let marks = col(&["3,8", "4,1", "3,25"]);
        let scores = col(&["58,2", "71", "44,5"]);
        let both = [Field::MeanScore, Field::MeanMark];
        assert_eq!(
            choose_field(&both, &cells(&marks, 0, 0)),
            Some(Field::MeanMark)
        );
        assert_eq!(
            choose_field(&both, &cells(&scores, 0, 0)),
            Some(Field::MeanScore)
        );
        assert_eq!(choose_field(&both, &cells(&col(&["140"]), 0, 0)), None);
    }

    #[test]
    fn counts_codes() {
        assert!(fits(Field::N, &cells(&col(&["12", "0", "40"]), 0, 0)));
        assert!(!fits(Field::N, &cells(&col(&["12,5", "3"]), 0, 0)));
        assert!(!fits(Field::N, &cells(&col(&["-1", "3"]), 0, 0)));
        assert!(fits(Field::SchoolId, &cells(&col(&["101", "102"]), 0, 0)));
        assert!(!fits(Field::SchoolId, &cells(&col(&["101", "101"]), 0, 0)));
    }

    #[test]
    fn proposals_for_school_id() {
        let ok = |v: &[&str]| proposable(Field::SchoolId, &cells(&col(v), 0, 0));
        assert!(ok(&["X-0101", "X-0102", "X-0201"]));
        assert!(ok(&["220101", "220205", "220317"]));
        assert!(!ok(&["1", "2", "3", "4"]), "a running number is «№»");
        assert!(!ok(&["7", "8", "9"]), "a running number is «№»");
        assert!(!ok(&["Бийский район", "город Бийск"]), "municipalities");
        assert!(!ok(&["МБОУ СОШ №1", "МБОУ СОШ №2"]), "names have spaces");
        assert!(!ok(&["X-0101", "X-0101"]), "codes are distinct");
        assert!(!ok(&["X-0101"]), "one value tells nothing");
        assert!(!ok(&["1", "2.1", "2.2", "3.1"]), "outline numbers");
    }

    #[test]
    fn the_whole_is_not_below_its_part() {
        let s = sheet(vec![
            vec![t("3"), t("40")],
            vec![t("0"), t("25")],
            vec![t("7"), t("7")],
        ]);
        assert_eq!(whole_of_two(&s, 0, 0, 1), Some(false));
        assert_eq!(whole_of_two(&s, 0, 1, 0), Some(true));
        assert_eq!(whole_of_two(&s, 0, 0, 0), None);
    }
}
