//! Aggregate tables (a row per school and procedure: participants, marks, mean score …),
//! with the checks a hand-filled table needs and the municipality subtotals of a code
//! hierarchy left out.

use super::Keyed;
use super::context::Ctx;
use super::procedure::row_procedure;
use super::shares;
use crate::model::{Issue, Origin, ProcResult, Procedure, Severity, Year};
use crate::read::parse_count;
use crate::recognize::Field;
use crate::recognize::canon;
use std::collections::BTreeMap;

/// The four mark shares of a row; an empty cell is no pupil with that mark. `Err` names the
/// column and value of a cell that is no share.
fn shares_of_row(
    cx: &Ctx<'_>,
    r: usize,
    fields: &[Field; 4],
    decimals: &[u32],
) -> Result<[shares::Share; 4], (Option<String>, Option<String>, String)> {
    let mut out = [shares::Share {
        percent: 0.0,
        decimals: 6,
    }; 4];
    for (i, f) in fields.iter().enumerate() {
        let Some(col) = cx.col(*f) else { continue };
        let cell = cx.sheet.cell(r, col.index);
        match shares::share_of(cell) {
            Ok(Some(s)) => {
                out[i] = shares::Share {
                    decimals: s.decimals.max(decimals.get(i).copied().unwrap_or(0)),
                    ..s
                }
            }
            Ok(None) => {}
            Err(e) => {
                return Err((
                    Some(col.heading.clone()),
                    Some(cell.text()),
                    format!("{e}: исправьте значение в файле"),
                ));
            }
        }
    }
    Ok(out)
}

/// Per-school aggregates: participants, marks 2–5, mean score, fails, high scorers.
pub(super) fn aggregates(cx: &mut Ctx<'_>) {
    let mark_fields = [Field::N2, Field::N3, Field::N4, Field::N5];
    let has_marks = mark_fields.iter().any(|f| cx.col(*f).is_some());
    let share_fields = [2u8, 3, 4, 5].map(Field::MarkShare);
    // Shares stand in for counts only when there are no counts (and all four are there).
    let has_shares = !has_marks && share_fields.iter().all(|f| cx.col(*f).is_some());
    // Per column: a share stored as 43 in a column of «5,56» was written 43,00.
    let share_decimals: Vec<u32> = if has_shares {
        share_fields
            .iter()
            .map(|f| {
                let c = cx.col(*f).map_or(0, |c| c.index);
                shares::column_decimals(cx.data_rows().map(|r| cx.sheet.cell(r, c)))
            })
            .collect()
    } else {
        Vec::new()
    };
    if has_shares {
        cx.out.notes.push(
            "отметки даны в процентах: число «2»…«5» восстановлено как доля × число \
             участников — только там, где доли, с той точностью, что в файле, дают ровно одно \
             число учащихся на отметку и в сумме число участников; иначе строка отклонена"
                .into(),
        );
    }
    let mut totals = 0;
    let mut zero_n = 0;
    let mut blanks_as_zero = 0;
    let mut missing_proc_msg: Option<String> = None;
    let mut seen: BTreeMap<(String, Procedure, Year), usize> = BTreeMap::new();
    // A separate «100 баллов» column next to an «80–99» high-scorer column.
    let hundred = cx
        .col(Field::NHigh)
        .filter(|c| canon(&c.heading).contains("99"))
        .and_then(|_| {
            cx.table
                .unmapped
                .iter()
                .find(|(_, h)| canon(h).contains("100 балл"))
                .map(|(i, _)| *i)
        });
    if hundred.is_some() {
        cx.out.notes.push(
            "высокобалльники: столбец «80–99 баллов» сложен со столбцом «100 баллов» (80–100)"
                .into(),
        );
    }
    let rows: Vec<usize> = cx.data_rows().collect();
    'rows: for r in rows {
        let Ok(key) = cx.school_key(r, &mut totals) else {
            continue;
        };
        let Some((procedure, year)) = row_procedure(cx, r, &mut missing_proc_msg) else {
            continue;
        };
        let Ok(n) = cx.count(r, Field::N) else {
            continue;
        };
        let mut counts: [Option<u32>; 4] = [None; 4];
        for (i, f) in mark_fields.iter().enumerate() {
            match cx.count(r, *f) {
                Ok(c) => counts[i] = c,
                Err(()) => continue 'rows,
            }
        }
        // A row with no share filled has no marks (an ЕГЭ row in a table of all procedures).
        let shares_filled = has_shares
            && share_fields
                .iter()
                .filter_map(|f| cx.col(*f))
                .any(|c| !cx.sheet.cell(r, c.index).is_empty());
        if shares_filled && let Some(n) = n {
            match shares_of_row(cx, r, &share_fields, &share_decimals).and_then(|sh| {
                // The share at fault is named with its column and value.
                shares::counts_from_shares(n, sh).map_err(|(i, e)| {
                    let col = i.and_then(|i| cx.col(share_fields[i]));
                    (
                        col.map(|c| c.heading.clone()),
                        col.map(|c| cx.sheet.cell(r, c.index).text()),
                        e,
                    )
                })
            }) {
                Ok(c) => counts = c.map(Some),
                Err((heading, value, why)) => {
                    let heading = heading.or_else(|| cx.col(Field::N).map(|c| c.heading.clone()));
                    cx.reject(r, heading.as_deref(), value, why);
                    continue;
                }
            }
        }
        let filled = counts.iter().filter(|c| c.is_some()).count();
        let marks = if (has_marks || has_shares) && filled > 0 {
            if filled < 4 {
                blanks_as_zero += 1;
            }
            Some(counts.map(|c| c.unwrap_or(0)))
        } else {
            None
        };
        let n = match (n, marks) {
            (Some(n), Some(m)) => {
                let sum: u32 = m.iter().sum();
                if sum != n {
                    reject_marks_sum(cx, r, n, m, &mark_fields, has_shares);
                    continue;
                }
                n
            }
            (Some(n), None) => n,
            (None, Some(m)) => m.iter().sum(),
            (None, None) => {
                cx.reject(
                    r,
                    None,
                    None,
                    "не указано число участников и нет отметок: заполните строку или удалите её"
                        .into(),
                );
                continue;
            }
        };
        if n == 0 {
            zero_n += 1;
            continue;
        }
        let Ok(mean_score) = cx.number(r, Field::MeanScore) else {
            continue;
        };
        let Ok(mean_mark) = cx.number(r, Field::MeanMark) else {
            continue;
        };
        // Means inside the procedure's scale: a −5 or a 250 is a typo or a shifted column,
        // never a result to score.
        let mut out_of_scale = false;
        for (f, v) in [(Field::MeanScore, mean_score), (Field::MeanMark, mean_mark)] {
            if let Some(scale) = crate::recognize::mean_scale(f, Some(procedure.exam))
                && cx
                    .in_range(
                        r,
                        f,
                        v,
                        (scale.low, scale.high),
                        &format!("средний балл вне шкалы ({})", scale.name),
                    )
                    .is_err()
            {
                out_of_scale = true;
                break;
            }
        }
        if out_of_scale {
            continue;
        }
        let Ok(n_fail) = cx.count(r, Field::NFail) else {
            continue;
        };
        let Ok(mut n_high) = cx.count(r, Field::NHigh) else {
            continue;
        };
        // «высокобалльники (80-99 баллов)» next to «получили 100 баллов»: the field is 80–100.
        if let (Some(h), Some(col)) = (n_high, hundred) {
            match parse_count(cx.sheet.cell(r, col)) {
                Ok(Some(x)) if h + x <= n => n_high = Some(h + x),
                Ok(Some(x)) => {
                    // The 100-point column is not needed for anything else: an impossible
                    // value there is reported, and the row keeps its 80–99 count.
                    let o = cx.origin(r);
                    cx.row_issue(Issue {
                        severity: Severity::Warning,
                        origin: o,
                        column: Some("получили 100 баллов".into()),
                        value: Some(x.to_string()),
                        message: format!(
                            "«получили 100 баллов» ({x}) вместе с 80–99 баллами ({h}) больше \
                             числа участников ({n}): столбец «100 баллов» в этой строке не \
                             учтён — проверьте выгрузку"
                        ),
                    });
                }
                Ok(None) => {}
                Err(e) => {
                    let v = cx.sheet.cell(r, col).text();
                    cx.reject(
                        r,
                        Some("получили 100 баллов"),
                        Some(v),
                        format!("{e}: исправьте значение в файле (ожидается целое число ≥ 0)"),
                    );
                    continue;
                }
            }
        }
        for (what, v) in [
            ("не преодолевших порог", n_fail),
            ("высокобалльников", n_high),
        ] {
            if let Some(v) = v
                && v > n
            {
                cx.reject(
                    r,
                    None,
                    Some(v.to_string()),
                    format!("число {what} ({v}) больше числа участников ({n}): исправьте строку"),
                );
                continue 'rows;
            }
        }
        let k = (key.clone(), procedure.clone(), year);
        if let Some(prev) = seen.get(&k) {
            let heading = cx.key_column.clone();
            cx.reject(
                r,
                Some(&heading),
                Some(key.clone()),
                format!(
                    "школа уже есть в строке {} этого листа ({procedure} {year}): удалите повтор",
                    prev + 1
                ),
            );
            continue;
        }
        seen.insert(k, r);
        let rec = ProcResult {
            year,
            school: key.clone(),
            procedure,
            n,
            marks,
            mean_score,
            score_sd: None,
            mean_mark,
            n_fail,
            n_high,
            origin: cx.origin(r),
        };
        let name = cx.school_name(r);
        cx.push_keyed(rec, key, name.map(Into::into), 1);
        cx.out.accepted += 1;
    }
    cx.flush_msg(missing_proc_msg);
    let mut mismatches = Vec::new();
    let subtotals = drop_subtotals(&mut cx.out.results, &mut mismatches);
    for (origin, stated, summed) in mismatches {
        let column = cx.col(Field::N).map(|c| c.heading.clone());
        cx.row_issue(Issue {
            severity: Severity::Warning,
            origin,
            column,
            value: Some(stated.to_string()),
            message: format!(
                "итог муниципалитета ({stated}) не равен сумме школ под ним ({summed}): строка \
                 итога не считается школой, но проверьте выгрузку — возможно, пропущена школа"
            ),
        });
    }
    too_many_pupils(cx);
    if subtotals > 0 {
        cx.out.accepted -= subtotals;
        cx.out.notes.push(format!(
            "{} — итоги по муниципалитетам (код короче кодов школ, а число участников \
             равно сумме школ под ним): пропущено",
            crate::read::rows(subtotals)
        ));
    }
    if blanks_as_zero > 0 {
        cx.out.notes.push(format!(
            "{} с пустыми ячейками отметок при заполненных других: пустые считаются нулём",
            crate::read::rows(blanks_as_zero)
        ));
    }
    if zero_n > 0 {
        cx.out.notes.push(format!(
            "{} с нулём участников пропущено",
            crate::read::rows(zero_n)
        ));
    }
    cx.note_totals(totals);
}

/// Subtotal rows in a code hierarchy (РЦОИ: 1–2 digit municipality codes above 3–4 digit
/// school codes): a row with a shorter numeric code whose n equals the sum of the school
/// rows right below it. The sum check keeps real schools with short codes.
/// Marks that do not add up to the participants. A single mark above the participants is
/// that mark's column's fault; otherwise the message names both columns with their numbers
/// (which one is wrong the row does not tell).
fn reject_marks_sum(
    cx: &mut Ctx<'_>,
    r: usize,
    n: u32,
    m: [u32; 4],
    mark_fields: &[Field; 4],
    from_shares: bool,
) {
    let n_heading = cx
        .col(Field::N)
        .map(|c| c.heading.clone())
        .unwrap_or_default();
    let over = (0..4).find(|&i| m[i] > n);
    if let Some(i) = over
        && !from_shares
        && let Some(col) = cx.col(mark_fields[i]).cloned()
    {
        let value = cx.sheet.cell(r, col.index).text();
        cx.reject(
            r,
            Some(&col.heading),
            Some(value),
            format!(
                "число отметок «{}» ({}) больше числа участников {n} (столбец «{n_heading}»): \
                 исправьте значение",
                i + 2,
                m[i]
            ),
        );
        return;
    }
    let sum: u32 = m.iter().sum();
    let marks: Vec<String> = mark_fields
        .iter()
        .filter_map(|f| cx.col(*f).map(|c| format!("«{}»", c.heading)))
        .collect();
    cx.reject(
        r,
        None,
        None,
        format!(
            "сумма отметок «2»+«3»+«4»+«5» = {}+{}+{}+{} = {sum} (столбцы {}) не равна числу \
             участников {n} (столбец «{n_heading}»): исправьте строку",
            m[0],
            m[1],
            m[2],
            m[3],
            marks.join(", ")
        ),
    );
}

/// Rows of more participants than a school can have ([`MAX_ROW_PUPILS`]) are rejected —
/// after the municipality subtotals are gone, which may well be larger.
fn too_many_pupils(cx: &mut Ctx<'_>) {
    let n_heading = cx.col(Field::N).map(|c| c.heading.clone());
    let max = super::context::MAX_ROW_PUPILS;
    let (keep, over): (Vec<_>, Vec<_>) = std::mem::take(&mut cx.out.results)
        .into_iter()
        .partition(|k| k.rec.n <= max);
    cx.out.results = keep;
    for k in over {
        cx.out.issues.push(Issue {
            severity: Severity::Rejected,
            origin: k.rec.origin.clone(),
            column: n_heading.clone(),
            value: Some(k.rec.n.to_string()),
            message: format!(
                "участников {} — больше, чем бывает в одной школе в одной параллели (не более \
                 {max}): исправьте значение или проверьте, не сдвинуты ли столбцы",
                k.rec.n
            ),
        });
        cx.out.accepted -= k.rows;
        cx.out.rejected += k.rows;
    }
}

fn drop_subtotals(
    results: &mut Vec<Keyed<ProcResult>>,
    mismatches: &mut Vec<(Origin, u64, u64)>,
) -> usize {
    let lens: Vec<Option<usize>> = results
        .iter()
        .map(|k| {
            let t = k.key.trim();
            (!t.is_empty() && t.chars().all(|c| c.is_ascii_digit())).then_some(t.len())
        })
        .collect();
    let n = results.len();
    let mut drop = vec![false; n];
    for i in 0..n {
        let Some(li) = lens[i] else { continue };
        // A parent is followed at once by its first school. A trend table names its
        // municipalities in rows of their own (no code), so a school «913» with a
        // municipality row and then «1007» under it is no parent, whatever the sum.
        let school_named = results[i].name.as_deref().is_some_and(|n| {
            !n.trim().is_empty()
                && !crate::recognize::is_municipality_name(n)
                && !crate::recognize::is_school_group(n)
        });
        let next_apart = results.get(i + 1).is_some_and(|next| {
            next.rec.origin.file == results[i].rec.origin.file
                && next.rec.origin.row > results[i].rec.origin.row + 1
        });
        if school_named && next_apart {
            continue;
        }
        let target = u64::from(results[i].rec.n);
        // Add up the school rows (longer codes) below, until the sum reaches
        // the row's n (a subtotal) or passes it (a school after all).
        let mut sum = 0u64;
        let mut j = i + 1;
        while j < n && sum < target {
            let Some(lj) = lens[j] else { break };
            if lj <= li
                || results[j].rec.procedure != results[i].rec.procedure
                || results[j].rec.year != results[i].rec.year
            {
                break;
            }
            let leaf = match lens.get(j + 1) {
                Some(Some(next)) => *next <= lj,
                _ => true,
            };
            if leaf {
                sum += u64::from(results[j].rec.n);
            }
            j += 1;
        }
        if j > i + 1 && sum == target {
            drop[i] = true;
        } else if j > i + 1
            && results[i]
                .name
                .as_deref()
                .is_some_and(crate::recognize::is_municipality_name)
        {
            // A municipality row above its schools whose sum does not match: still not a
            // school; the mismatch is a data-quality finding.
            drop[i] = true;
            let (mut all, mut k) = (0u64, i + 1);
            while k < n
                && lens[k].is_some_and(|l| l > li)
                && results[k].rec.procedure == results[i].rec.procedure
            {
                all += u64::from(results[k].rec.n);
                k += 1;
            }
            mismatches.push((results[i].rec.origin.clone(), target, all));
        }
    }
    let dropped = drop.iter().filter(|d| **d).count();
    let mut it = drop.into_iter();
    results.retain(|_| !it.next().unwrap_or(false));
    dropped
}

#[cfg(test)]
mod tests {
    use super::super::run;
    use crate::model::{Exam, Procedure};
    use crate::read::Cell;
    use crate::read::testutil::{n, t};

    #[test]
    fn aggregates_checks() {
        let out = run(
            vec![
                vec![t("Результаты ОГЭ 2023 по математике")],
                vec![
                    t("Код ОО"),
                    t("Кол-во участников"),
                    t("отметка \"2\""),
                    t("отметка \"3\""),
                    t("отметка \"4\""),
                    t("отметка \"5\""),
                ],
                vec![n(1.0), n(10.0), n(1.0), n(4.0), n(3.0), n(2.0)],
                vec![n(2.0), n(10.0), n(1.0), n(4.0), n(3.0), n(3.0)],
                vec![n(3.0), n(-1.0), n(1.0), n(4.0), n(3.0), n(3.0)],
                vec![
                    n(4.0),
                    n(5.0),
                    Cell::Empty,
                    n(5.0),
                    Cell::Empty,
                    Cell::Empty,
                ],
                vec![t("Итого"), n(25.0)],
            ],
            "огэ.xlsx",
        );
        assert_eq!(out.accepted, 2);
        assert_eq!(out.rejected, 2);
        assert_eq!(out.results[0].rec.marks, Some([1, 4, 3, 2]));
        assert_eq!(out.results[1].rec.marks, Some([0, 5, 0, 0]));
        assert_eq!(
            out.results[0].rec.procedure,
            Procedure {
                exam: Exam::Oge,
                subject: "Математика".into(),
                grade: None
            }
        );
        // 1+4+3+3 = 11 ≠ 10
        assert!(out.issues[0].message.contains("= 11"));
        assert_eq!(out.issues[0].origin.row, 4);
        assert!(out.issues[1].message.contains("отрицательное"));
    }

    #[test]
    fn municipality_subtotals_are_dropped() {
        let out = run(
            vec![
                vec![t("ОГЭ 2014 математика")],
                vec![
                    t("Код МОУО/ОО"),
                    t("Наименование МОУО/ОО"),
                    t("Кол-во участников"),
                ],
                vec![t(""), t("Край"), n(60.0)],
                vec![n(1.0), t("Район 1"), n(30.0)],
                vec![n(101.0), t("Школа"), n(10.0)],
                vec![n(102.0), t("Школа"), n(20.0)],
                vec![n(2.0), t("Район 2"), n(30.0)],
                vec![n(201.0), t("Школа"), n(30.0)],
                // Район 10 (two digits) after район 2's schools: not a school of район 1.
                vec![n(10.0), t("Район 10"), n(7.0)],
                vec![n(1001.0), t("Школа"), n(7.0)],
                // A short code whose n does not add up is kept: it may be a real school.
                vec![n(3.0), t("Школа 3"), n(5.0)],
                vec![n(301.0), t("Школа"), n(4.0)],
            ],
            "огэ.xlsx",
        );
        let keys: Vec<&str> = out.results.iter().map(|k| k.key.as_str()).collect();
        // Районы 1 (10 + 20 = 30), 2 (30) and 10 (7) are subtotals; 3 (5 ≠ 4) is not.
        assert_eq!(keys, ["101", "102", "201", "1001", "3", "301"]);
        assert_eq!(out.accepted, 6);
    }

    #[test]
    fn means_outside_the_scale_are_refused() {
        let out = run(
            vec![
                vec![t("Результаты ЕГЭ 2024 по математике профильной")],
                vec![
                    t("Код ОО"),
                    t("Кол-во участников"),
                    t("Средний тестовый балл"),
                ],
                vec![n(101.0), n(10.0), n(72.5)],
                vec![n(102.0), n(10.0), n(-5.0)],
                vec![n(103.0), n(10.0), n(250.0)],
                vec![n(104.0), n(10.0), n(100.0)],
                vec![n(105.0), n(10.0), n(64.0)],
                vec![n(106.0), n(10.0), n(58.0)],
                vec![n(107.0), n(10.0), n(70.0)],
                vec![n(108.0), n(10.0), n(49.0)],
                vec![n(109.0), n(10.0), n(81.0)],
                vec![n(110.0), n(10.0), n(66.0)],
            ],
            "егэ.xlsx",
        );
        // Two typos in ten rows: the column is the mean, the two rows are refused.
        let keys: Vec<&str> = out.results.iter().map(|k| k.key.as_str()).collect();
        assert_eq!(
            keys,
            ["101", "104", "105", "106", "107", "108", "109", "110"]
        );
        assert_eq!(out.results[0].rec.mean_score, Some(72.5));
        assert_eq!(out.rejected, 2);
        let bad: Vec<(usize, Option<&str>)> = out
            .issues
            .iter()
            .map(|i| (i.origin.row, i.value.as_deref()))
            .collect();
        assert_eq!(bad, [(4, Some("-5")), (5, Some("250"))]);
        assert_eq!(
            out.issues[0].column.as_deref(),
            Some("Средний тестовый балл")
        );
        assert!(
            out.issues[0]
                .message
                .contains("тестовый балл ЕГЭ от 0 до 100")
        );
        // ОГЭ primary scores end at 70; a mean mark outside 2–5 is no mark.
        let out = run(
            vec![
                vec![t("Результаты ОГЭ 2024 по математике")],
                vec![
                    t("Код ОО"),
                    t("Кол-во участников"),
                    t("Средний первичный балл"),
                    t("Средняя отметка"),
                ],
                vec![n(1.0), n(10.0), n(15.0), n(3.5)],
                vec![n(2.0), n(10.0), n(85.0), n(3.5)],
                vec![n(3.0), n(10.0), n(15.0), n(5.5)],
                vec![n(4.0), n(10.0), n(20.0), n(4.0)],
                vec![n(5.0), n(10.0), n(18.0), n(3.8)],
            ],
            "огэ.xlsx",
        );
        assert_eq!(out.results.len(), 3);
        let values: Vec<Option<&str>> = out.issues.iter().map(|i| i.value.as_deref()).collect();
        assert_eq!(values, [Some("85"), Some("5.5")]);
    }

    #[test]
    fn a_bad_mark_count_is_blamed_on_its_column() {
        let out = run(
            vec![
                vec![t("Результаты ОГЭ 2023 по математике")],
                vec![
                    t("Код ОО"),
                    t("Кол-во участников"),
                    t("отметка \"2\""),
                    t("отметка \"3\""),
                    t("отметка \"4\""),
                    t("отметка \"5\""),
                ],
                vec![n(1.0), n(10.0), n(99.0), n(4.0), n(3.0), n(2.0)],
            ],
            "огэ.xlsx",
        );
        let i = &out.issues[0];
        assert_eq!(i.column.as_deref(), Some("отметка \"2\""));
        assert_eq!(i.value.as_deref(), Some("99"));
        assert!(
            i.message.contains("больше числа участников 10"),
            "{}",
            i.message
        );
    }

    #[test]
    fn more_participants_than_a_school_has_are_refused_after_subtotals() {
        let out = run(
            vec![
                vec![t("ОГЭ 2014 математика")],
                vec![
                    t("Код МОУО/ОО"),
                    t("Наименование МОУО/ОО"),
                    t("Кол-во участников"),
                ],
                // A municipality of 6,000 is its schools' sum: dropped as a subtotal.
                vec![n(1.0), t("Район 1"), n(6000.0)],
                vec![n(101.0), t("Школа"), n(3000.0)],
                vec![n(102.0), t("Школа"), n(3000.0)],
                // A school of 5,001 participants in one procedure is a wrong number.
                vec![n(2.0), t("Школа 2"), n(5001.0)],
                vec![n(3.0), t("Школа 3"), n(20.0)],
            ],
            "огэ.xlsx",
        );
        let keys: Vec<&str> = out.results.iter().map(|k| k.key.as_str()).collect();
        assert_eq!(keys, ["101", "102", "3"]);
        assert_eq!(out.rejected, 1);
        assert_eq!(out.issues[0].value.as_deref(), Some("5001"));
        assert_eq!(out.issues[0].column.as_deref(), Some("Кол-во участников"));
        assert_eq!(out.accepted, 3);
    }
}
