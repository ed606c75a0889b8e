//! The procedure (exam, subject, grade) and year of a row: its own columns first, then
//! what recognition found in the title, sheet and file name.

use super::context::Ctx;
use crate::model::{Exam, Procedure, Year};
use crate::read::{Cell, norm_text};
use crate::recognize::{FIRST_YEAR, Field, find_year};
use crate::recognize::{canonical_subject, for_exam};

/// Procedure and year of one row: columns first, then the table's meta.
pub(super) struct RowProc {
    pub(super) exam: Option<Exam>,
    pub(super) subject: Option<String>,
    pub(super) grade: Option<u8>,
    pub(super) year: Option<Year>,
    /// A «Год» cell that is not a year in 2000…last year («2070», «15»): the row is rejected
    /// with this message (docs/recognition.md «Годы», rule 9).
    pub(super) bad_year: Option<String>,
}

/// Rejects a row whose «Год» cell is not a year; true when it was.
fn reject_bad_year(cx: &mut Ctx<'_>, row: usize, rp: &RowProc) -> bool {
    let Some(msg) = &rp.bad_year else {
        return false;
    };
    let heading = cx.col(Field::Year).map(|c| c.heading.clone());
    let value = cx.cell(row, Field::Year).map(Cell::text);
    cx.reject(row, heading.as_deref(), value, msg.clone());
    true
}

/// The procedure and year of a data row; a row without them is counted as rejected and the
/// first such row's message kept (one message per sheet, not one per row).
pub(super) fn row_procedure(
    cx: &mut Ctx<'_>,
    r: usize,
    missing_proc_msg: &mut Option<String>,
) -> Option<(Procedure, Year)> {
    let rp = row_proc(cx, r);
    if reject_bad_year(cx, r, &rp) {
        return None;
    }
    let (Some(exam), Some(subject), Some(year)) = (rp.exam, rp.subject.clone(), rp.year) else {
        if missing_proc_msg.is_none() {
            *missing_proc_msg = missing_proc(cx, &rp, true);
        }
        cx.out.rejected += 1;
        return None;
    };
    let grade = matches!(exam, Exam::Vpr | Exam::Kdr)
        .then_some(rp.grade)
        .flatten();
    Some((
        Procedure {
            exam,
            subject,
            grade,
        },
        year,
    ))
}

pub(super) fn row_proc(cx: &Ctx<'_>, row: usize) -> RowProc {
    let m = &cx.table.meta;
    let exam = cx
        .text(row, Field::Exam)
        .and_then(|t| Exam::parse(&t))
        .or(m.exam);
    let subject = cx
        .text(row, Field::Subject)
        .map(|s| {
            let mut memo = cx.subjects.borrow_mut();
            match memo.get(&s) {
                Some(c) => c.clone(),
                None => memo
                    .entry(s)
                    .or_insert_with_key(|s| canonical_subject(s))
                    .clone(),
            }
        })
        .or_else(|| m.subject.clone())
        .map(|s| for_exam(&s, exam));
    let grade = m
        .grade
        .or_else(|| cx.text(row, Field::Grade).and_then(|t| leading_grade(&t)));
    // A filled «Год» cell says the row's year; one that is no year in 2000…last year is not
    // read as one (a code, a typo, a two-digit «15»), nor replaced by the title's year.
    let (year, bad_year) = match cx.cell(row, Field::Year).filter(|c| !c.is_empty()) {
        Some(c) => {
            let y = match c {
                Cell::Number(x) if x.fract() == 0.0 => Some(*x as Year),
                Cell::Number(_) => None,
                other => find_year(&norm_text(&other.text()))
                    .or_else(|| other.text().trim().parse::<Year>().ok()),
            };
            match y {
                Some(y) if (FIRST_YEAR..=cx.last_year).contains(&y) => (Some(y), None),
                _ => (None, Some(bad_year_message(cx.last_year))),
            }
        }
        None => (m.year, None),
    };
    RowProc {
        exam,
        subject,
        grade,
        year,
        bad_year,
    }
}

/// Why a «Год» cell is not read as a year, and what to do.
fn bad_year_message(last: Year) -> String {
    format!(
        "не год: год строки должен быть от {FIRST_YEAR} до {last} (учебный год по году \
         окончания: 2024/25 — это 2025; позже {last} — позже следующего учебного года): строка \
         не учтена — исправьте год в строке"
    )
}

/// «4», «4а», «4 А» → 4.
pub(super) fn leading_grade(t: &str) -> Option<u8> {
    let d: String = t.trim().chars().take_while(char::is_ascii_digit).collect();
    d.parse().ok().filter(|g| (1..=12).contains(g))
}

/// What is missing to name the procedure, as a config hint.
pub(super) fn missing_proc(cx: &Ctx<'_>, rp: &RowProc, need_exam: bool) -> Option<String> {
    let mut miss = Vec::new();
    if rp.year.is_none() {
        miss.push(("год", "year = 2025"));
    }
    if need_exam && rp.exam.is_none() {
        miss.push(("процедуру", "exam = \"ВПР\""));
    }
    if rp.subject.is_none() {
        miss.push(("предмет", "subject = \"Математика\""));
    }
    if miss.is_empty() {
        return None;
    }
    let what: Vec<&str> = miss.iter().map(|m| m.0).collect();
    let keys: Vec<&str> = miss.iter().map(|m| m.1).collect();
    Some(format!(
        "не удалось определить {} ни по столбцам, ни по заголовку, имени листа или файла: \
         укажите в shnor.toml\n[[files]]\npattern = \"{}\"\n{}",
        what.join(", "),
        file_name(cx.file),
        keys.join("\n")
    ))
}

fn file_name(path: &str) -> String {
    std::path::Path::new(path)
        .file_name()
        .map_or(path.to_string(), |n| n.to_string_lossy().into_owned())
}

/// The year of a row; a row without one keeps the first such message for the sheet.
pub(super) fn require_year(
    cx: &mut Ctx<'_>,
    rp: &RowProc,
    msg: &mut Option<String>,
) -> Option<Year> {
    if rp.year.is_none() && msg.is_none() {
        *msg = Some(format!(
            "не удалось определить год (учебный год по году окончания): укажите в shnor.toml\n\
             [[files]]\npattern = \"{}\"\nyear = 2025",
            file_name(cx.file)
        ));
    }
    rp.year
}

/// The rows of a table about a school in a year (olympiad, contingent, passport): what was
/// skipped on the way, reported once for the sheet at the end.
#[derive(Default)]
pub(super) struct YearRows {
    /// Rows without a school (totals, sections).
    totals: usize,
    /// The first message about a row whose year or procedure is unknown.
    pub(super) msg: Option<String>,
}

impl YearRows {
    /// The school key and year of a row, with what else the row says of its procedure;
    /// `None` for a row without a school (counted) or without a year (rejected).
    pub(super) fn key_and_year(
        &mut self,
        cx: &mut Ctx<'_>,
        row: usize,
    ) -> Option<(String, Year, RowProc)> {
        let key = cx.school_key(row, &mut self.totals).ok()?;
        let rp = row_proc(cx, row);
        if reject_bad_year(cx, row, &rp) {
            return None;
        }
        let Some(year) = require_year(cx, &rp, &mut self.msg) else {
            cx.out.rejected += 1;
            return None;
        };
        Some((key, year, rp))
    }

    /// Reports the message kept and the rows without a school.
    pub(super) fn finish(self, cx: &mut Ctx<'_>) {
        cx.flush_msg(self.msg);
        cx.note_totals(self.totals);
    }
}
