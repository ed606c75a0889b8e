//! Contingent: how many students a school has in each grade.

use super::context::{Ctx, contingent_what, repeat_issue, repeat_message};
use super::procedure::{YearRows, leading_grade};
use crate::model::{Contingent, Origin, Year};
use crate::recognize::Field;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// Students per school and grade (long: a grade column; wide: a column per grade).
pub(super) fn contingent(cx: &mut Ctx<'_>) {
    let wide: Vec<(u8, Field)> = cx
        .table
        .columns
        .iter()
        .filter_map(|c| match c.field {
            Field::GradeCount(g) => Some((g, c.field)),
            _ => None,
        })
        .collect();
    let mut no_counts = 0;
    let mut year_rows = YearRows::default();
    let rows: Vec<usize> = cx.data_rows().collect();
    // A grade already given on this sheet is a repeat: refused here as the run would refuse
    // it later (the first one counts), so that a sheet of 40,000 copies of one row keeps one
    // record, not 200,000 (a 736-byte zip of such sheets took 3.3 GB).
    let mut seen: HashMap<(String, Year, u8), Origin> = HashMap::new();
    'rows: for r in rows {
        let Some((key, year, _)) = year_rows.key_and_year(cx, r) else {
            continue;
        };
        let mut recs = Vec::new();
        if wide.is_empty() {
            let grade = cx.text(r, Field::Grade).and_then(|t| leading_grade(&t));
            let Ok(students) = cx.count(r, Field::Students) else {
                continue;
            };
            match (grade, students) {
                (Some(g), Some(s)) => recs.push((g, s, Field::Students)),
                _ => {
                    let h = cx.col(Field::Grade).map(|c| c.heading.clone());
                    cx.reject(
                        r,
                        h.as_deref(),
                        cx.text(r, Field::Grade),
                        "не указан класс (1–11) или число обучающихся".into(),
                    );
                    continue;
                }
            }
        } else {
            for (g, f) in &wide {
                match cx.count(r, *f) {
                    Ok(Some(s)) => recs.push((*g, s, *f)),
                    Ok(None) => {}
                    Err(()) => continue 'rows,
                }
            }
        }
        if recs.is_empty() {
            no_counts += 1;
            continue;
        }
        // A grade of more pupils than any school has is a shifted column or a sum.
        for &(_, s, f) in &recs {
            let max = super::context::MAX_ROW_PUPILS;
            if cx
                .in_range(
                    r,
                    f,
                    Some(f64::from(s)),
                    (0.0, f64::from(max)),
                    "обучающихся в параллели больше, чем бывает в одной школе",
                )
                .is_err()
            {
                continue 'rows;
            }
        }
        let origin = cx.origin(r);
        recs.retain(
            |&(grade, _, _)| match seen.entry((key.clone(), year, grade)) {
                Entry::Occupied(first) => {
                    let why = repeat_message(&contingent_what(grade, year), &key, first.get());
                    cx.row_issue(repeat_issue(&key, &cx.key_column, &origin, why));
                    false
                }
                Entry::Vacant(v) => {
                    v.insert(origin.clone());
                    true
                }
            },
        );
        if recs.is_empty() {
            cx.out.rejected += 1;
            continue;
        }
        // One name for the row's grades: shared, not copied per grade.
        let name: Option<std::sync::Arc<str>> = cx.school_name(r).map(Into::into);
        for (i, (grade, students, _)) in recs.into_iter().enumerate() {
            let rec = Contingent {
                year,
                school: key.clone(),
                grade,
                students,
                origin: origin.clone(),
            };
            // One input row gives several grades: count the row once.
            cx.push_keyed(rec, key.clone(), name.clone(), usize::from(i == 0));
        }
        cx.out.accepted += 1;
    }
    if no_counts > 0 {
        cx.out.notes.push(format!(
            "{} без единого числа обучающихся по классам пропущено",
            crate::read::rows(no_counts)
        ));
    }
    year_rows.finish(cx);
}

#[cfg(test)]
mod tests {
    use super::super::run;
    use crate::read::testutil::{n, t};

    #[test]
    fn contingent_long_form_with_year_column() {
        let out = run(
            vec![
                vec![t("Код ОО"), t("Год"), t("Класс"), t("Число обучающихся")],
                vec![n(101.0), n(2024.0), t("9"), n(25.0)],
                vec![n(101.0), t("2024/25"), t("10"), n(18.0)],
            ],
            "контингент.xlsx",
        );
        let got: Vec<(i32, u8, u32)> = out
            .contingent
            .iter()
            .map(|c| (c.rec.year, c.rec.grade, c.rec.students))
            .collect();
        assert_eq!(got, [(2024, 9, 25), (2025, 10, 18)]);
    }

    /// Wide form, 3 schools × 4 grades = 12 records. With `[limits] sheet_records = 11`
    /// the sheet is refused whole (never 11 of 12 kept); with 12 every record is kept.
    #[test]
    fn a_sheet_over_its_record_budget_is_refused_whole() {
        let rows = vec![
            vec![
                t("Код ОО"),
                t("Год"),
                t("1 класс"),
                t("2 класс"),
                t("3 класс"),
                t("4 класс"),
            ],
            vec![n(101.0), n(2025.0), n(20.0), n(21.0), n(22.0), n(23.0)],
            vec![n(102.0), n(2025.0), n(10.0), n(11.0), n(12.0), n(13.0)],
            vec![n(103.0), n(2025.0), n(30.0), n(31.0), n(32.0), n(33.0)],
        ];
        let sheet = crate::read::testutil::sheet(rows);
        let mut cfg = crate::config::Config::default();
        let table = crate::recognize::recognize(&sheet, "к.csv", &cfg).unwrap();
        cfg.limits.sheet_records = 12;
        let out = super::super::normalize_mapped(&sheet, &table, "к.csv", &cfg, None);
        assert_eq!(out.contingent.len(), 12);
        cfg.limits.sheet_records = 11;
        let out = super::super::normalize_mapped(&sheet, &table, "к.csv", &cfg, None);
        assert!(out.contingent.is_empty());
        assert_eq!((out.accepted, out.rejected), (0, 3));
        assert_eq!(out.issues.len(), 1);
        let m = &out.issues[0].message;
        assert!(
            m.contains("больше 11 записей") && m.contains("sheet_records"),
            "{m}"
        );
    }

    /// The run's budget is shared by every sheet: with `run_records = 20` the first sheet
    /// of 12 records is kept, the second (12 more) is refused whole and gives its records
    /// back, so a third small sheet still fits.
    #[test]
    fn the_run_record_budget_refuses_the_sheet_that_crosses_it() {
        use std::sync::atomic::{AtomicU64, Ordering};
        let rows = vec![
            vec![
                t("Код ОО"),
                t("Год"),
                t("1 класс"),
                t("2 класс"),
                t("3 класс"),
                t("4 класс"),
            ],
            vec![n(101.0), n(2025.0), n(20.0), n(21.0), n(22.0), n(23.0)],
            vec![n(102.0), n(2025.0), n(10.0), n(11.0), n(12.0), n(13.0)],
            vec![n(103.0), n(2025.0), n(30.0), n(31.0), n(32.0), n(33.0)],
        ];
        let big = crate::read::testutil::sheet(rows.clone());
        let small = crate::read::testutil::sheet(rows[..2].to_vec());
        let mut cfg = crate::config::Config::default();
        cfg.limits.run_records = 20;
        let tb = crate::recognize::recognize(&big, "к.csv", &cfg).unwrap();
        let ts = crate::recognize::recognize(&small, "м.csv", &cfg).unwrap();
        let run = AtomicU64::new(0);
        let go = |s, t, f| super::super::normalize_counted(s, t, f, &cfg, None, &run);
        assert_eq!(go(&big, &tb, "к.csv").contingent.len(), 12);
        let second = go(&big, &tb, "к2.csv");
        assert!(second.contingent.is_empty());
        assert_eq!((second.accepted, second.rejected), (0, 3));
        let m = &second.issues[0].message;
        assert!(
            m.contains("больше 20 записей") && m.contains("run_records"),
            "{m}"
        );
        assert_eq!(run.load(Ordering::Relaxed), 12);
        assert_eq!(go(&small, &ts, "м.csv").contingent.len(), 4);
        assert_eq!(run.load(Ordering::Relaxed), 16);
    }

    /// School 101's grade 9 of 2025 given on row 2, then repeated on rows 3–2002 (2,000
    /// repeats, another count on row 3): the first counts, every repeat is refused on the
    /// sheet (not kept to be refused later), 1,000 named one by one and 1,000 in one message.
    #[test]
    fn repeats_of_a_grade_on_one_sheet_are_refused_and_not_kept() {
        let mut rows = vec![
            vec![t("Код ОО"), t("Год"), t("Класс"), t("Число обучающихся")],
            vec![n(101.0), n(2025.0), t("9"), n(25.0)],
            vec![n(101.0), n(2025.0), t("9"), n(26.0)],
        ];
        rows.extend((0..1_999).map(|_| vec![n(101.0), n(2025.0), t("9"), n(25.0)]));
        let out = run(rows, "контингент.csv");
        let got: Vec<u32> = out.contingent.iter().map(|c| c.rec.students).collect();
        assert_eq!(got, [25]);
        assert_eq!((out.accepted, out.rejected), (1, 2_000));
        super::super::assert_sheet_repeats(
            &out,
            "повтор: число обучающихся 9 класса за 2025 год",
            (
                1_000,
                3,
                "для школы 101 уже есть (контингент.csv, лист «Лист1», строка 2)",
            ),
            "не перечисленных по отдельности: 1000 (строки 1003–2002",
        );
    }
}
