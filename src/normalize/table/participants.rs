//! Participant files (ВПР, ОГЭ, ЕГЭ protocols, one row a participant): aggregated here per
//! school × procedure × year, marks derived from scores with the configured boundaries.

use super::context::{Ctx, fmt_num};
use super::procedure::row_procedure;
use crate::config::{Config, MarkBoundaries};
use crate::model::{Exam, ParticipantStats, ProcResult, Procedure, Severity, Year};
use crate::read::{Cell, is_not_done, norm_eq, parse_number};
use crate::recognize::Field;
use rustc_hash::FxHashMap;
use std::collections::BTreeSet;

/// Running totals of one school × procedure × year while reading participant rows.
#[derive(Default)]
struct Acc {
    n: u32,
    marks: [u32; 4],
    with_mark: u32,
    score_sum: f64,
    score_squares: f64,
    with_score: u32,
    high: u32,
    first_row: usize,
    name: Option<String>,
    /// ВПР only (docs/method.md §6.5): participants by whole primary score.
    scores: Vec<u32>,
    /// ВПР mark below / equal to / above the journal mark.
    journal: [u32; 3],
}

/// Scores above this are not kept in a histogram: ВПР primary scores stay below 100, so
/// only a misread column could reach it, and it must not allocate a huge vector.
const HISTOGRAM_MAX: usize = 1_000;

/// The word that marks an absent participant anywhere in the row, normalised.
/// A cell shorter in bytes cannot normalise to it: each of its letters is a 2-byte Cyrillic
/// letter, and only a Cyrillic letter (also 2 bytes) normalises to one — so the length test
/// skips the scores, «X» and codes of every row before any normalising.
const ABSENT: &str = "отсутствовал";

/// What the journal-mark column (§6.5) held on a sheet, for its notes.
#[derive(Default)]
struct JournalSeen {
    /// Rows compared with their journal mark.
    compared: usize,
    /// Rows with an empty journal mark or «нет отметки».
    blank: usize,
    /// Rows whose journal mark is not 2–5, with the first such row and value.
    unreadable: usize,
    first_unreadable: Option<(usize, String)>,
    /// ВПР rows whose score is not whole: not in the score histogram.
    fractional: usize,
}

/// The columns a row's procedure is read from (`procedure::row_proc`).
const PROC_FIELDS: [Field; 4] = [Field::Exam, Field::Subject, Field::Grade, Field::Year];

/// Participant rows (one a participant), aggregated per school, procedure and year.
pub(super) fn participants(cx: &mut Ctx<'_>, cfg: &Config) {
    let score_field = if cx.col(Field::TestScore).is_some()
        && (cx.table.meta.exam == Some(Exam::Ege) || cx.col(Field::PrimaryScore).is_none())
    {
        Field::TestScore
    } else {
        Field::PrimaryScore
    };
    let has_mark = cx.col(Field::Mark).is_some();
    if cx.col(score_field).is_none() && !has_mark {
        cx.reject_table(
            "нет столбца с баллом или отметкой (например, «всего баллов», «Первичный балл», \
             «Отметка»): укажите его в shnor.toml, [columns] \"Заголовок\" = \"primary_score\""
                .into(),
        );
        return;
    }
    // Per-task columns: a row with every task «X» is an absent participant.
    let task_cols: Vec<usize> = cx
        .table
        .unmapped
        .iter()
        .filter(|(_, h)| {
            let own = h.split(" / ").next().unwrap_or(h);
            crate::recognize::lookup(own, cfg) == Some(crate::recognize::Mapping::Task)
        })
        .map(|(i, _)| *i)
        .collect();
    // Per school, then an index into `procs`: a participant file has ~10^5 rows of one
    // or two works, and the procedure is not cloned for each of them.
    // Per (school, procedure) in order of first row, found through `at`; a row of the same
    // school and work as the row before (a file lists a school's pupils together) is not
    // looked up at all.
    let mut acc: Vec<((String, usize), Acc)> = Vec::new();
    let mut at: FxHashMap<(String, usize), usize> = FxHashMap::default();
    let mut last: Option<usize> = None;
    let mut procs: Vec<(Procedure, Year)> = Vec::new();
    let mut absent = 0usize;
    let mut totals = 0usize;
    let mut missing_marks: BTreeSet<(Procedure, Year)> = BTreeSet::new();
    let mut missing_proc_msg: Option<String> = None;
    let mut bounds_cache: Vec<Option<Option<&MarkBoundaries>>> = Vec::new();
    // Without per-row procedure columns every row has the table's procedure.
    let per_row_proc = PROC_FIELDS.iter().any(|&f| cx.col(f).is_some());
    let mut last_proc: Option<([Option<&Cell>; 4], usize)> = None;
    let mut table_proc: Option<Option<usize>> = None;
    let rows: Vec<usize> = cx.data_rows().collect();
    let has_journal = cx.col(Field::PrevMark).is_some();
    let mut seen = JournalSeen::default();
    for r in rows {
        let Ok(key) = cx.school_key(r, &mut totals) else {
            continue;
        };
        let proc_index = match table_proc {
            Some(Some(i)) if !per_row_proc => Some(i),
            Some(None) if !per_row_proc => {
                cx.out.rejected += 1;
                None
            }
            _ => {
                // The procedure is a function of these cells alone: a row with the same
                // cells as the last row that had one has the same (participant files list
                // ~10^5 rows of one or two works).
                let cells = PROC_FIELDS.map(|f| cx.cell(r, f));
                match last_proc {
                    Some((ref same, i)) if *same == cells => Some(i),
                    _ => {
                        let found = row_procedure(cx, r, &mut missing_proc_msg).map(|p| {
                            procs.iter().position(|q| *q == p).unwrap_or_else(|| {
                                procs.push(p);
                                procs.len() - 1
                            })
                        });
                        if let Some(i) = found {
                            last_proc = Some((cells, i));
                        }
                        table_proc = Some(found);
                        found
                    }
                }
            }
        };
        let Some(proc_index) = proc_index else {
            continue;
        };
        let (procedure, year) = (&procs[proc_index].0, procs[proc_index].1);
        let exam = procedure.exam;
        // Absent: «отсутствовал» anywhere in the row, or neither a score nor a mark.
        // (A number is never a «not done» mark.)
        let all_tasks_x = !task_cols.is_empty()
            && task_cols.iter().all(|&c| {
                let cell = cx.sheet.cell(r, c);
                cell.is_empty() || matches!(cell, Cell::Text(t) if is_not_done(t))
            });
        let row_absent = all_tasks_x
            || cx.sheet.rows[r].iter().any(
                |c| matches!(c, Cell::Text(t) if t.len() >= ABSENT.len() && norm_eq(t, ABSENT)),
            );
        let Ok(score) = cx.number(r, score_field) else {
            continue;
        };
        let mark_cell = cx.cell(r, Field::Mark).cloned();
        let Ok(mark) = cx.number(r, Field::Mark) else {
            continue;
        };
        if row_absent || (score.is_none() && mark.is_none()) {
            absent += 1;
            continue;
        }
        if let Some(m) = mark
            && !(m.fract() == 0.0 && (2.0..=5.0).contains(&m))
        {
            let heading = cx.col(Field::Mark).map(|c| c.heading.clone());
            cx.reject(
                r,
                heading.as_deref(),
                mark_cell.map(|c| c.text()),
                "отметка должна быть 2, 3, 4 или 5: исправьте значение".into(),
            );
            continue;
        }
        // Looked up once per procedure and year: a participant file has ~10^5 rows of one work.
        if bounds_cache.len() < procs.len() {
            bounds_cache.resize(procs.len(), None);
        }
        let bounds = *bounds_cache[proc_index].get_or_insert_with(|| {
            cfg.boundaries(procedure.exam, &procedure.subject, procedure.grade, year)
        });
        if let (Some(s), Some(max)) = (score, bounds.and_then(|b| b.max_score))
            && s > max
        {
            let heading = cx.col(score_field).map(|c| c.heading.clone());
            cx.reject(
                r,
                heading.as_deref(),
                Some(fmt_num(s)),
                format!(
                    "балл {} выше максимального ({}) для {procedure} {year}: проверьте строку \
                     или границы [[marks]] в shnor.toml",
                    fmt_num(s),
                    fmt_num(max)
                ),
            );
            continue;
        }
        if let Some(s) = score
            && s < 0.0
        {
            let heading = cx.col(score_field).map(|c| c.heading.clone());
            cx.reject(
                r,
                heading.as_deref(),
                Some(fmt_num(s)),
                "отрицательный балл".into(),
            );
            continue;
        }
        // Without configured boundaries, the procedure's scale still bounds a score.
        let scale = if score_field == Field::TestScore {
            crate::recognize::mean_scale(Field::MeanScore, Some(Exam::Ege))
        } else {
            crate::recognize::mean_scale(Field::MeanScore, Some(exam))
        };
        // The message is built only for a score outside the scale (one per row otherwise).
        if let Some(scale) = scale
            && score.is_some_and(|s| !(scale.low..=scale.high).contains(&s))
            && cx
                .in_range(
                    r,
                    score_field,
                    score,
                    (scale.low, scale.high),
                    &format!("балл вне шкалы ({})", scale.name),
                )
                .is_err()
        {
            continue;
        }
        let mark = match (mark, score, bounds) {
            (Some(m), _, _) => Some(m as usize),
            (None, Some(s), Some(b)) => Some(2 + b.min_score.iter().filter(|&&m| s >= m).count()),
            (None, Some(_), None) if procedure.exam == Exam::Ege => None,
            (None, _, None) => {
                missing_marks.insert((procedure.clone(), year));
                cx.out.rejected += 1;
                continue;
            }
            (None, None, Some(_)) => None,
        };
        let i = match last.filter(|&i| acc[i].0.1 == proc_index && acc[i].0.0 == key) {
            Some(i) => i,
            None => {
                let k = (key, proc_index);
                match at.get(&k) {
                    Some(&i) => i,
                    None => {
                        at.insert(k.clone(), acc.len());
                        let first = Acc {
                            first_row: r,
                            name: cx.school_name(r),
                            ..Acc::default()
                        };
                        acc.push((k, first));
                        acc.len() - 1
                    }
                }
            }
        };
        last = Some(i);
        let a = &mut acc[i].1;
        a.n += 1;
        if let Some(m) = mark {
            a.marks[m - 2] += 1;
            a.with_mark += 1;
        }
        // §6.5 needs the histogram and the journal comparison of ВПР works only.
        if exam == Exam::Vpr {
            if let Some(s) = score.filter(|_| score_field == Field::PrimaryScore) {
                if s.fract() == 0.0 && (0.0..=HISTOGRAM_MAX as f64).contains(&s) {
                    let i = s as usize;
                    if a.scores.len() <= i {
                        a.scores.resize(i + 1, 0);
                    }
                    a.scores[i] += 1;
                } else {
                    seen.fractional += 1;
                }
            }
            if has_journal && let Some(m) = mark {
                match journal_mark(cx.cell(r, Field::PrevMark)) {
                    Journal::Mark(j) => {
                        let side = match (m as u8).cmp(&j) {
                            std::cmp::Ordering::Less => 0,
                            std::cmp::Ordering::Equal => 1,
                            std::cmp::Ordering::Greater => 2,
                        };
                        a.journal[side] += 1;
                        seen.compared += 1;
                    }
                    Journal::Blank => seen.blank += 1,
                    Journal::Unreadable(v) => {
                        seen.unreadable += 1;
                        seen.first_unreadable.get_or_insert((r, v));
                    }
                }
            }
        }
        if let Some(s) = score {
            a.score_sum += s;
            a.score_squares += s * s;
            a.with_score += 1;
            if exam == Exam::Ege && s >= 80.0 {
                a.high += 1;
            }
        }
        cx.out.accepted += 1;
    }
    cx.flush_msg(missing_proc_msg);
    for (procedure, year) in &missing_marks {
        let grade = procedure
            .grade
            .map(|g| format!("grade = {g}\n"))
            .unwrap_or_default();
        cx.sheet_issue(
            Severity::Rejected,
            format!(
                "в файле нет отметок, а границы перевода баллов в отметки для {procedure} {year} \
                 не заданы: добавьте в shnor.toml\n[[marks]]\nexam = \"{}\"\nsubject = \"{}\"\n\
                 {grade}years = [{year}]\nmin_score = [?, ?, ?]   # наименьший балл для «3», «4», «5»\n\
                 max_score = ?",
                procedure.exam, procedure.subject
            ),
        );
    }
    if absent > 0 {
        cx.out.notes.push(format!(
            "{} — отсутствовавшие участники (нет балла и отметки или «отсутствовал»): не участники",
            crate::read::rows(absent)
        ));
    }
    cx.note_totals(totals);
    journal_notes(cx, &seen);
    // In the order of (school, procedure, year), as before the procedures were indexed.
    acc.sort_by(|((k1, p1), _), ((k2, p2), _)| (k1, &procs[*p1]).cmp(&(k2, &procs[*p2])));
    for ((key, proc_index), a) in acc {
        let (procedure, year) = procs[proc_index].clone();
        if procedure.exam == Exam::Vpr && (!a.scores.is_empty() || a.journal != [0; 3]) {
            cx.out.participant_stats.push((
                key.clone(),
                ParticipantStats {
                    year,
                    school: String::new(),
                    procedure: procedure.clone(),
                    // Grown a score at a time: its spare capacity would stay for the run.
                    scores: {
                        let mut s = a.scores;
                        s.shrink_to_fit();
                        s
                    },
                    journal: a.journal,
                },
            ));
        }
        let rec = ProcResult {
            year,
            school: key.clone(),
            n: a.n,
            marks: (a.with_mark == a.n).then_some(a.marks),
            mean_score: (a.with_score == a.n && a.n > 0).then(|| a.score_sum / f64::from(a.n)),
            score_sd: (a.with_score == a.n && a.n > 1).then(|| {
                let n = f64::from(a.n);
                ((a.score_squares - a.score_sum * a.score_sum / n) / (n - 1.0))
                    .max(0.0)
                    .sqrt()
            }),
            mean_mark: None,
            n_fail: None,
            n_high: (procedure.exam == Exam::Ege && a.with_score == a.n).then_some(a.high),
            procedure,
            origin: cx.origin(a.first_row),
        };
        cx.push_keyed(rec, key, a.name.map(Into::into), a.n as usize);
    }
}

/// A journal mark («отметка за предыдущую четверть/триместр») as the row gives it.
enum Journal {
    Mark(u8),
    /// Empty, «нет отметки», «-»: the row is not compared.
    Blank,
    /// Anything else (a 7, a word): not compared, and said so.
    Unreadable(String),
}

fn journal_mark(cell: Option<&Cell>) -> Journal {
    let Some(cell) = cell else {
        return Journal::Blank;
    };
    match parse_number(cell) {
        Ok(None) => Journal::Blank,
        Ok(Some(v)) if v.fract() == 0.0 && (2.0..=5.0).contains(&v) => Journal::Mark(v as u8),
        _ => Journal::Unreadable(cell.text()),
    }
}

/// The journal comparison is an extra: a row without a usable journal mark still counts
/// in the results, and the notes say how many were left out of the comparison and why.
fn journal_notes(cx: &mut Ctx<'_>, seen: &JournalSeen) {
    if seen.blank > 0 {
        cx.out.notes.push(format!(
            "{} без отметки за предыдущую четверть/триместр: в сравнении с журналом (§6.5) \
             не участвуют",
            crate::read::rows(seen.blank)
        ));
    }
    if seen.fractional > 0 {
        cx.out.notes.push(format!(
            "{} с дробным баллом ВПР: в распределении баллов (пики на границах, §6.5) не \
             учтены",
            crate::read::rows(seen.fractional)
        ));
    }
    if let Some((row, value)) = &seen.first_unreadable {
        let heading = cx.col(Field::PrevMark).map(|c| c.heading.clone());
        let origin = cx.origin(*row);
        cx.out.issues.push(crate::model::Issue {
            severity: Severity::Warning,
            origin,
            column: heading,
            value: Some(value.clone()),
            message: format!(
                "отметка за четверть должна быть 2, 3, 4 или 5; строк с другим значением: {} — \
                 результат ВПР учтён, в сравнении с журналом (§6.5) эти строки не участвуют",
                seen.unreadable
            ),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::run;
    use crate::read::testutil::t;

    #[test]
    fn participants_aggregate_with_2021_boundaries() {
        // Boundaries ВПР Математика 4 кл. 2021: 0–5 → 2, 6–9 → 3, 10–14 → 4, 15–20 → 5.
        let out = run(
            vec![
                vec![
                    t("логин школы"),
                    t("вариант"),
                    t("всего баллов"),
                    t("балл за 1"),
                ],
                vec![t("sch1"), t("1"), t("5"), t("1")],
                vec![t("sch1"), t("1"), t("6"), t("1")],
                vec![t("sch1"), t("2"), t("15"), t("1")],
                vec![t("sch1"), t("отсутствовал"), t(""), t("X")],
                vec![t("sch1"), t("1"), t("0"), t("X")],
                vec![t("sch2"), t("2"), t("21"), t("1")],
                vec![t("sch2"), t("2"), t("10"), t("1")],
                // Tasks done, but the word in another column, capitalised (24 bytes, as long
                // as the word itself).
                vec![t("sch2"), t("Отсутствовал"), t("3"), t("1")],
            ],
            "Проведение работы по математике, 4 класс. ВПР 2021.xlsx",
        );
        assert_eq!(out.results.len(), 2);
        let s1 = &out.results[0].rec;
        assert_eq!(s1.school, "sch1");
        assert_eq!(s1.n, 3);
        // 5 → «2», 6 → «3», 15 → «5»
        assert_eq!(s1.marks, Some([1, 1, 0, 1]));
        // (5 + 6 + 15) / 3
        assert!((s1.mean_score.unwrap() - 26.0 / 3.0).abs() < 1e-9);
        let s2 = &out.results[1].rec;
        assert_eq!(s2.n, 1); // 21 > max 20 rejected
        assert_eq!(s2.marks, Some([0, 0, 1, 0]));
        assert_eq!(out.rejected, 1);
        assert_eq!(out.accepted, 4);
        let issue = &out.issues[0];
        assert_eq!(issue.origin.row, 7);
        assert_eq!(issue.column.as_deref(), Some("всего баллов"));
        // «отсутствовал» twice, and a row whose only task is «X» (total 0): 3 absent.
        assert!(
            out.notes
                .iter()
                .any(|n| n.starts_with("3 строки — отсутствовавшие")),
            "{:?}",
            out.notes
        );
    }
}
