//! Candidates confirmed by the values: when two columns of one table name the same field,
//! or one heading fits two fields, the data rows decide — never the column order.
//!
//! - counts (participants, marks, pupils): non-negative whole numbers; the participant
//!   count is not below any other count of the same row (a sub-group: «из них …») and not
//!   above the pupils of the same row (the total, when the table has one);
//! - means: inside the procedure's scale ([`MEAN_SCALES`]: marks 2–5, ЕГЭ 0–100, ОГЭ and
//!   ВПР primary scores); a column of values all inside 2–5 is a mark, not a score;
//! - shares: 0–1 or 0–100;
//! - codes: distinct from row to row.

use super::fields::Field;
use super::header::{HeadCol, HeaderBlock};
use super::synonyms::Mapping;
use super::{Column, meta, vocabulary};
use crate::config::{Config, FileHint};
use crate::model::Exam;
use crate::read::{Cell, Sheet, parse_number};

/// The scale a mean must lie inside, by field and procedure (`None` — any procedure, or
/// the procedure is not known): the first entry of the field that names the procedure or
/// none. The primary-score bounds are the largest maxima of the procedure's forms (ОГЭ:
/// иностранный язык, 68–70 баллов; ВПР: русский язык 6 и 8 кл., 51 балл) with room for a
/// new form, so a scale refuses only what no form of the procedure can give.
pub const MEAN_SCALES: &[MeanScale] = &[
    MeanScale {
        field: Field::MeanMark,
        exam: None,
        low: 2.0,
        high: 5.0,
        name: "отметки от 2 до 5",
    },
    MeanScale {
        field: Field::MeanScore,
        exam: Some(Exam::Ege),
        low: 0.0,
        high: 100.0,
        name: "тестовый балл ЕГЭ от 0 до 100",
    },
    MeanScale {
        field: Field::MeanScore,
        exam: Some(Exam::Oge),
        low: 0.0,
        high: 70.0,
        name: "первичный балл ОГЭ от 0 до 70",
    },
    MeanScale {
        field: Field::MeanScore,
        exam: Some(Exam::Vpr),
        low: 0.0,
        high: 60.0,
        name: "первичный балл ВПР от 0 до 60",
    },
    MeanScale {
        field: Field::MeanScore,
        exam: None,
        low: 0.0,
        high: 100.0,
        name: "балл от 0 до 100",
    },
];

/// One row of [`MEAN_SCALES`].
pub struct MeanScale {
    pub field: Field,
    pub exam: Option<Exam>,
    pub low: f64,
    pub high: f64,
    /// In the analyst's words, for notes.
    pub name: &'static str,
}

/// The scale of a mean field for a procedure (a procedure without its own entry takes the
/// field's general one).
pub fn mean_scale(field: Field, exam: Option<Exam>) -> Option<&'static MeanScale> {
    MEAN_SCALES
        .iter()
        .filter(|s| s.field == field)
        .find(|s| s.exam.is_none() || s.exam == exam)
}

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

/// True when the values of a column can be those of the field, whatever the procedure.
pub fn fits(field: Field, cells: &[&Cell]) -> bool {
    fits_in(field, None, cells)
}

/// True when the values of a column can be those of the field in the procedure's scale.
pub fn fits_in(field: Field, exam: Option<Exam>, cells: &[&Cell]) -> bool {
    if cells.is_empty() {
        return true;
    }
    if let Some(scale) = mean_scale(field, exam) {
        return numbers(cells)
            .is_some_and(|xs| xs.iter().all(|x| (scale.low..=scale.high).contains(x)));
    }
    match field {
        Field::SchoolId => {
            let mut v: Vec<String> = cells.iter().map(|c| c.text().trim().to_string()).collect();
            let n = v.len();
            v.sort();
            v.dedup();
            v.len() == n
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

/// The values of a share: all inside 0–1, or all inside 0–100 (a percentage).
pub fn is_share(cells: &[&Cell]) -> bool {
    numbers(cells).is_some_and(|xs| {
        xs.iter().all(|x| (0.0..=1.0).contains(x)) || xs.iter().all(|x| (0.0..=100.0).contains(x))
    })
}

/// Of a heading's candidate fields (in rule order), the one its values fit in the
/// procedure's scale; a mean whose values all lie inside 2–5 is a mark. `None` when the
/// values fit none.
pub fn choose_field(candidates: &[Field], exam: Option<Exam>, cells: &[&Cell]) -> Option<Field> {
    if candidates.contains(&Field::MeanMark) && fits(Field::MeanMark, cells) {
        return Some(Field::MeanMark);
    }
    candidates
        .iter()
        .copied()
        .find(|&f| fits_in(f, exam, cells))
}

/// Rows where a count is above the whole it is part of (participants above the pupils of
/// the same row): such a column is not the count it seems.
pub fn rows_above(sheet: &Sheet, data_start: usize, part: usize, whole: usize) -> usize {
    sheet
        .rows
        .iter()
        .skip(data_start)
        .take(SAMPLE)
        .filter(|row| {
            let get = |i: usize| row.get(i).and_then(|c| parse_number(c).ok().flatten());
            matches!((get(part), get(whole)), (Some(p), Some(w)) if p > w)
        })
        .count()
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

// --- decisions of one sheet: the column of a heading, and which of two columns

/// What the values of a sheet are checked against (`confirm.rs`): where the data start,
/// the procedure named by the config, the title, the sheet or the file name (the scale of a
/// mean), and the column of the school's pupils on the same row (the whole a participant
/// count cannot exceed).
pub(super) struct ValuesScale {
    data_start: usize,
    exam: Option<Exam>,
    pupils: Option<(usize, String)>,
    /// Columns whose field the config names (`[columns]`): never second-guessed.
    configured: Vec<usize>,
}

pub(super) fn values_scale(
    sheet: &Sheet,
    file_name: &str,
    cfg: &Config,
    hint: Option<&FileHint>,
    block: &HeaderBlock,
) -> ValuesScale {
    let title: Vec<String> = (0..block.first)
        .flat_map(|r| sheet.rows[r].iter().map(Cell::text))
        .collect();
    let exam = hint.and_then(|h| h.exam).or_else(|| {
        [
            Some(title.join(" ")),
            sheet.name.clone(),
            Some(file_name.to_string()),
        ]
        .into_iter()
        .flatten()
        .find_map(|t| meta::from_text(&t).exam)
    });
    let pupils = block
        .cols
        .iter()
        .find(|c| {
            matches!(
                c.mapping,
                Some(Mapping::Field(Field::Total | Field::Students))
            )
        })
        .map(|c| (c.index, c.heading.trim().to_string()));
    let configured = block
        .cols
        .iter()
        .filter(|c| super::synonyms::lookup_config(&c.heading, cfg).is_some())
        .map(|c| c.index)
        .collect();
    ValuesScale {
        data_start: block.data_start,
        exam,
        pupils,
        configured,
    }
}

/// A heading that fits two fields equally («Средний результат»: a score or a mark) is
/// decided by the values of the data rows in the procedure's scale
/// (`choose_field`), with a note.
pub(super) fn two_fields_by_values(
    sheet: &Sheet,
    scale: &ValuesScale,
    col: &HeadCol,
    field: Field,
    notes: &mut Vec<String>,
) -> Field {
    let candidates = vocabulary::candidates(&col.heading);
    if candidates.len() < 2 || !candidates.contains(&field) {
        return field;
    }
    let cells = cells(sheet, scale.data_start, col.index);
    let chosen = choose_field(&candidates, scale.exam, &cells).unwrap_or(field);
    let names: Vec<String> = candidates
        .iter()
        .map(|f| format!("«{}»", f.heading()))
        .collect();
    notes.push(format!(
        "заголовок «{}» подходит к полям {}: по значениям столбца — «{}»",
        col.heading.trim(),
        names.join(" и "),
        chosen.heading()
    ));
    chosen
}

/// A mean column is taken only when its values lie inside the procedure's scale
/// (`MEAN_SCALES`): a «средний балл» of 140 in an ЕГЭ table is not a test score.
/// `None` — the column is left out, with a note saying why and how to map it.
pub(super) fn mean_in_scale(
    sheet: &Sheet,
    scale: &ValuesScale,
    col: &HeadCol,
    field: Field,
    notes: &mut Vec<String>,
) -> Option<Field> {
    // A column mapped in the config is taken as it is: the analyst has decided.
    if scale.configured.contains(&col.index) {
        return Some(field);
    }
    let Some(range) = mean_scale(field, scale.exam) else {
        return Some(field);
    };
    let cells = cells(sheet, scale.data_start, col.index);
    if fits_in(field, scale.exam, &cells) || mostly_in_scale(range, &cells) {
        return Some(field);
    }
    let heading = col.heading.trim();
    notes.push(format!(
        "столбец «{heading}» по заголовку — «{}», но его значения не укладываются в шкалу \
         ({}): столбец не взят. Если процедура другая, укажите её в [[files]] exam; если \
         это всё же {}, укажите в [columns] \"{heading}\" = \"{}\"",
        field.heading(),
        range.name,
        field.heading().to_lowercase(),
        field.key()
    ));
    None
}

/// A mean column with a few values outside the scale (at most one in five): the column is
/// the mean, and `normalize` refuses the rows outside, each with its value. A column mostly
/// outside is another measure (primary scores under an ЕГЭ heading) and is left out whole.
fn mostly_in_scale(range: &MeanScale, cells: &[&Cell]) -> bool {
    let Some(xs) = numbers(cells) else {
        return false;
    };
    let outside = xs
        .iter()
        .filter(|x| !(range.low..=range.high).contains(*x))
        .count();
    outside * 5 <= xs.len()
}

/// Two columns named the same field: the one whose values fit the field, and of two
/// counts the whole rather than its part, but never above the pupils of the same row
/// (`confirm.rs`). `(true, why)` — the second column wins; `None` — the values do not tell.
pub(super) fn same_field_by_values(
    sheet: &Sheet,
    scale: &ValuesScale,
    old: &Column,
    new: &Column,
) -> Option<(bool, String)> {
    let data_start = scale.data_start;
    let fits = |c: &Column| fits_in(c.field, scale.exam, &cells(sheet, data_start, c.index));
    match (fits(old), fits(new)) {
        (true, false) => return Some((false, "значения другого не подходят к полю".into())),
        (false, true) => return Some((true, "значения другого не подходят к полю".into())),
        _ => {}
    }
    // «Код ОО» and «Код РЦОИ»: the code of another system is an alias (rule «Коды других
    // систем»), the school's own code is the key, whatever the column order.
    if old.field == Field::SchoolId {
        let other = |c: &Column| super::kind::names_other_system(&c.heading) == Some(true);
        match (other(old), other(new)) {
            (true, false) => return Some((true, "другой — код в другой системе".into())),
            (false, true) => return Some((false, "другой — код в другой системе".into())),
            _ => {}
        }
    }
    if matches!(old.field, Field::N | Field::Total | Field::Students) {
        match (
            vocabulary::is_sub_group(&old.heading),
            vocabulary::is_sub_group(&new.heading),
        ) {
            (true, false) => {
                return Some((true, "другой заголовок называет подгруппу".into()));
            }
            (false, true) => {
                return Some((false, "другой заголовок называет подгруппу".into()));
            }
            _ => {}
        }
        if old.field == Field::N
            && let Some((pupils, pupils_heading)) = &scale.pupils
        {
            let above = |c: &Column| rows_above(sheet, data_start, c.index, *pupils);
            match (above(old), above(new)) {
                (0, k) if k > 0 => {
                    return Some((
                        false,
                        format!(
                            "у другого больше, чем обучающихся («{pupils_heading}»), в строках: {k}"
                        ),
                    ));
                }
                (k, 0) if k > 0 => {
                    return Some((
                        true,
                        format!(
                            "у другого больше, чем обучающихся («{pupils_heading}»), в строках: {k}"
                        ),
                    ));
                }
                _ => {}
            }
        }
        return whole_of_two(sheet, data_start, old.index, new.index).map(|old_whole| {
            (
                !old_whole,
                "ни в одной строке он не меньше другого: другой — подгруппа".into(),
            )
        });
    }
    None
}

/// A column headed as a share («%», «доля») against a count column of the same field:
/// the share loses when its values are shares (0–1 or 0–100); when they are not and the
/// count column's values do not fit the field while its do, the heading misleads and it
/// wins. `(true, why)` — the second column wins; `None` — the values do not tell.
pub(super) fn share_against_count(
    sheet: &Sheet,
    scale: &ValuesScale,
    old: &Column,
    new: &Column,
    old_is_share: bool,
) -> Option<(bool, String)> {
    let cells = |c: &Column| cells(sheet, scale.data_start, c.index);
    let (share, count) = if old_is_share { (old, new) } else { (new, old) };
    let share_wins = if is_share(&cells(share)) {
        false
    } else if fits_in(share.field, scale.exam, &cells(share))
        && !fits_in(count.field, scale.exam, &cells(count))
    {
        true
    } else {
        return None;
    };
    let why = if share_wins {
        format!(
            "значения «{}» не доли, а значения другого не подходят к полю",
            share.heading
        )
    } else {
        format!("значения «{}» — доли (от 0 до 1 или до 100)", share.heading)
    };
    // The new column wins when it is the share that wins, or the count that does.
    Some((share_wins != old_is_share, why))
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
            choose_field(&both, None, &cells(&marks, 0, 0)),
            Some(Field::MeanMark)
        );
        assert_eq!(
            choose_field(&both, None, &cells(&scores, 0, 0)),
            Some(Field::MeanScore)
        );
        assert_eq!(
            choose_field(&both, None, &cells(&col(&["140"]), 0, 0)),
            None
        );
    }

    #[test]
    fn a_mean_score_lies_inside_its_procedure_s_scale() {
        // 71 test points are a ЕГЭ mean; no ОГЭ form has 71 primary points (the largest
        // maximum is 70), no ВПР form 61 (60).
        let ege = col(&["58,2", "71", "44,5"]);
        assert!(fits_in(
            Field::MeanScore,
            Some(Exam::Ege),
            &cells(&ege, 0, 0)
        ));
        assert!(!fits_in(
            Field::MeanScore,
            Some(Exam::Oge),
            &cells(&ege, 0, 0)
        ));
        assert!(!fits_in(
            Field::MeanScore,
            Some(Exam::Vpr),
            &cells(&col(&["61"]), 0, 0)
        ));
        assert!(fits_in(
            Field::MeanScore,
            Some(Exam::Vpr),
            &cells(&col(&["60"]), 0, 0)
        ));
        assert!(!fits_in(
            Field::MeanScore,
            Some(Exam::Ege),
            &cells(&col(&["100,5"]), 0, 0)
        ));
        assert!(!fits_in(
            Field::MeanScore,
            None,
            &cells(&col(&["-1"]), 0, 0)
        ));
        // КДР has no scale of its own: the general 0–100.
        assert!(fits_in(
            Field::MeanScore,
            Some(Exam::Kdr),
            &cells(&col(&["99"]), 0, 0)
        ));
        // Marks are 2–5 in every procedure.
        for exam in [None, Some(Exam::Oge), Some(Exam::Ege)] {
            assert!(fits_in(
                Field::MeanMark,
                exam,
                &cells(&col(&["2", "5", "3,7"]), 0, 0)
            ));
            assert!(!fits_in(
                Field::MeanMark,
                exam,
                &cells(&col(&["1,9"]), 0, 0)
            ));
        }
        // «Средний результат» of an ОГЭ file with 3,9 and 4,2: a mark; with 25 and 31: a
        // primary score; with 75: neither.
        let both = [Field::MeanScore, Field::MeanMark];
        let oge = Some(Exam::Oge);
        let pick = |v: &[&str]| choose_field(&both, oge, &cells(&col(v), 0, 0));
        assert_eq!(pick(&["3,9", "4,2"]), Some(Field::MeanMark));
        assert_eq!(pick(&["25", "31"]), Some(Field::MeanScore));
        assert_eq!(pick(&["75", "31"]), None);
    }

    #[test]
    fn shares_and_counts_within_the_row_total() {
        assert!(is_share(&cells(&col(&["0,25", "1"]), 0, 0)));
        assert!(is_share(&cells(&col(&["25", "100"]), 0, 0)));
        assert!(!is_share(&cells(&col(&["25", "140"]), 0, 0)));
        // Participants 30, 50, 12 of pupils 40, 45, 12: one row (50 > 45) above the total.
        let s = sheet(vec![
            vec![t("30"), t("40")],
            vec![t("50"), t("45")],
            vec![t("12"), t("12")],
        ]);
        assert_eq!(rows_above(&s, 0, 0, 1), 1);
        assert_eq!(rows_above(&s, 0, 1, 0), 1);
        let s = sheet(vec![vec![t("30"), t("40")], vec![t("12"), t("12")]]);
        assert_eq!(rows_above(&s, 0, 0, 1), 0);
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
