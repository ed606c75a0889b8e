//! Social passports of schools: categories of students as counts or shares of the total.

use super::context::{
    Ctx, MAX_SCHOOL_PUPILS, fmt_num, passport_what, repeat_issue, repeat_message,
};
use super::procedure::YearRows;
use crate::model::{Origin, Passport, Year};
use crate::read::{Cell, norm_text, parse_number, parse_ru_f64};
use crate::recognize::{Column, Field};
use crate::recognize::{canon, is_percent_word};
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};

/// How a category column's values are read — decided once for the column, never per cell
/// (docs/recognition.md «Паспорт: проценты, доли и числа»).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Reading {
    /// Pupils.
    Counts,
    /// Percent of the total: 0.6 is 0.6 %.
    Percent,
    /// A fraction of the total: 0.6 is 60 % (a «доля» column whose values are all ≤ 1).
    Fraction,
}

/// A cell's number and whether it was written with «%».
fn value_of(cell: &Cell) -> Result<Option<(f64, bool)>, String> {
    match cell {
        Cell::Text(s) if s.trim_end().ends_with('%') => {
            let t = s.trim_end().trim_end_matches('%');
            parse_ru_f64(t)
                .map(|x| Some((x, true)))
                .ok_or_else(|| "не число".to_string())
        }
        other => Ok(parse_number(other)?.map(|x| (x, false))),
    }
}

/// The reading of a category column from its heading and all its values; `Err` says, in
/// Russian, why the column cannot be read one way.
fn column_reading(heading: &str, cells: &[&Cell]) -> Result<Reading, String> {
    let values: Vec<(f64, bool)> = cells
        .iter()
        .filter_map(|c| value_of(c).ok().flatten())
        .collect();
    let marked = values.iter().filter(|(_, m)| *m).count();
    let small = values.iter().all(|(x, _)| *x <= 1.0);
    let example = values
        .iter()
        .find(|(x, _)| *x > 0.0)
        .map(|(x, _)| fmt_num(*x))
        .unwrap_or_default();
    let n = norm_text(heading);
    if n.contains('%') || n.contains("процент") {
        // Under «%» a value is a percent. A column of values all ≤ 1 is also what a
        // column of fractions looks like (Excel's percent format keeps 60 % as 0.6): which
        // one the file means it does not say.
        if marked == 0 && small && values.iter().any(|(x, _)| *x > 0.0) {
            return Err(format!(
                "в заголовке знак «%», а все значения не больше 1 (например, «{example}»): \
                 это доли (0,6 = 60 %) или проценты (0,6 %)? Столбец не прочитан. Если это \
                 доли, уберите «%» из заголовка (например, «Доля …»); если проценты — \
                 допишите к значениям знак % («{example} %»)"
            ));
        }
        return Ok(Reading::Percent);
    }
    if is_percent_word(&canon(heading)) {
        // «Доля …»: fractions when every value is ≤ 1, percents otherwise — for the whole
        // column, so 0.5 and 50 in one column are never read two ways.
        return Ok(if marked == 0 && small {
            Reading::Fraction
        } else {
            Reading::Percent
        });
    }
    match marked {
        0 => Ok(Reading::Counts),
        m if m == values.len() => Ok(Reading::Percent),
        _ => Err(
            "в столбце и проценты (со знаком %), и числа без него: непонятно, что из них \
             число обучающихся. Столбец не прочитан: запишите весь столбец одинаково"
                .into(),
        ),
    }
}

/// Social passports: total students and the count (or share) in each category.
pub(super) fn passport(cx: &mut Ctx<'_>) {
    let Some(total_col) = cx.col(Field::Total).cloned() else {
        cx.reject_table(
            "нет столбца с общим числом обучающихся («Всего обучающихся»): без него доли \
             категорий не посчитать — добавьте столбец или укажите его в [columns] = \"total\""
                .into(),
        );
        return;
    };
    let rows: Vec<usize> = cx.data_rows().collect();
    let mut cats: Vec<(Column, Reading)> = Vec::new();
    for c in cx
        .table
        .columns
        .iter()
        .filter(|c| matches!(c.field, Field::Category(_)))
    {
        let cells: Vec<&Cell> = rows.iter().map(|&r| cx.sheet.cell(r, c.index)).collect();
        match column_reading(&c.heading, &cells) {
            Ok(reading) => cats.push((c.clone(), reading)),
            Err(why) => {
                // A passport without one of its categories would give another ИСБ: the
                // sheet is not read rather than read in part.
                let heading = c.heading.clone();
                cx.reject_table(format!(
                    "столбец «{heading}»: {why}; паспорт этого листа не учтён"
                ));
                if let Some(i) = cx.out.issues.last_mut() {
                    i.column = Some(heading);
                }
                return;
            }
        }
    }
    let mut year_rows = YearRows::default();
    // A school's passport already given on this sheet is a repeat: refused here, as the run
    // would refuse it later (the first counts), so a sheet of copies of one row keeps one
    // record (contingent does the same: a 736-byte zip of such sheets took 3.3 GB there).
    let mut seen: HashMap<(String, Year), Origin> = HashMap::new();
    'rows: for r in rows {
        let Some((key, year, _)) = year_rows.key_and_year(cx, r) else {
            continue;
        };
        let total = match cx.count(r, Field::Total) {
            Ok(Some(t)) => t,
            Ok(None) => {
                cx.reject(
                    r,
                    Some(&total_col.heading),
                    None,
                    "не указано общее число обучающихся".into(),
                );
                continue;
            }
            Err(()) => continue,
        };
        if cx
            .in_range(
                r,
                Field::Total,
                Some(f64::from(total)),
                (0.0, f64::from(MAX_SCHOOL_PUPILS)),
                "обучающихся больше, чем бывает в одной школе",
            )
            .is_err()
        {
            continue;
        }
        let mut counts = BTreeMap::new();
        for (c, reading) in &cats {
            let Field::Category(cat) = c.field else {
                continue;
            };
            let cell = cx.sheet.cell(r, c.index).clone();
            let parsed = value_of(&cell).and_then(|v| match (v, reading) {
                (None, _) => Ok(None),
                (Some((x, _)), _) if x < 0.0 => Err("отрицательное значение".to_string()),
                (Some((x, _)), Reading::Counts) => Ok(Some(x)),
                (Some((x, _)), Reading::Percent) if x > 100.0 => {
                    Err("доля больше 100 %".to_string())
                }
                (Some((x, _)), Reading::Percent) => Ok(Some(x / 100.0 * f64::from(total))),
                (Some((x, _)), Reading::Fraction) => Ok(Some(x * f64::from(total))),
            });
            match parsed {
                Ok(Some(v)) => {
                    if v > f64::from(total) + 1e-9 {
                        cx.reject(
                            r,
                            Some(&c.heading),
                            Some(cell.text()),
                            format!(
                                "подмножество больше общего числа: {} > {total} обучающихся \
                                 (столбец «{}»): исправьте строку",
                                fmt_num(v),
                                total_col.heading
                            ),
                        );
                        continue 'rows;
                    }
                    counts.insert(cat, v);
                }
                Ok(None) => {}
                Err(e) => {
                    cx.reject(
                        r,
                        Some(&c.heading),
                        Some(cell.text()),
                        format!("{e}: исправьте значение"),
                    );
                    continue 'rows;
                }
            }
        }
        let origin = cx.origin(r);
        match seen.entry((key.clone(), year)) {
            Entry::Occupied(first) => {
                let why = repeat_message(&passport_what(year), &key, first.get());
                cx.row_issue(repeat_issue(&key, &cx.key_column, &origin, why));
                cx.out.rejected += 1;
                continue;
            }
            Entry::Vacant(v) => {
                v.insert(origin.clone());
            }
        }
        let name = cx.school_name(r);
        let rec = Passport {
            year,
            school: key.clone(),
            total,
            counts,
            origin,
        };
        cx.push_keyed(rec, key, name.map(Into::into), 1);
        cx.out.accepted += 1;
    }
    year_rows.finish(cx);
}

#[cfg(test)]
mod tests {
    use super::super::run;
    use crate::read::testutil::{n, t};

    #[test]
    fn passport_shares_and_subsets() {
        let out = run(
            vec![
                vec![
                    t("Код ОО"),
                    t("Всего обучающихся"),
                    t("Малообеспеченные, %"),
                    t("Дети с ОВЗ"),
                ],
                vec![n(1.0), n(200.0), t("25%"), n(10.0)],
                vec![n(2.0), n(100.0), n(10.0), n(150.0)],
            ],
            "паспорт 2024-2025.xlsx",
        );
        assert_eq!(out.passports.len(), 1);
        let p = &out.passports[0].rec;
        assert_eq!(p.year, 2025);
        // 25 % of 200
        assert_eq!(p.counts[&crate::model::Category::LowIncome], 50.0);
        assert_eq!(out.rejected, 1);
        assert!(
            out.issues[0]
                .message
                .contains("подмножество больше общего числа")
        );
    }

    fn header() -> Vec<crate::read::Cell> {
        vec![
            t("Код ОО"),
            t("Всего обучающихся"),
            t("Малообеспеченные, %"),
            t("Дети с ОВЗ"),
        ]
    }

    #[test]
    fn a_value_under_a_percent_heading_is_a_percent() {
        // 0.6 % of 500 is 3 pupils (not 60 % = 300); 20 % of 200 is 40.
        let out = run(
            vec![
                header(),
                vec![n(1.0), n(500.0), n(0.6), n(10.0)],
                vec![n(2.0), n(200.0), n(20.0), n(5.0)],
            ],
            "паспорт 2024-2025.xlsx",
        );
        assert_eq!(out.rejected, 0, "{:?}", out.issues);
        let low = |i: usize| out.passports[i].rec.counts[&crate::model::Category::LowIncome];
        assert!((low(0) - 3.0).abs() < 1e-9, "{}", low(0));
        assert!((low(1) - 40.0).abs() < 1e-9);
    }

    #[test]
    fn a_percent_column_of_values_all_below_one_is_refused() {
        // 0.6 and 0.25 under «%»: 0.6 % or 60 %? The sheet is refused, the column named.
        let out = run(
            vec![
                header(),
                vec![n(1.0), n(500.0), n(0.6), n(10.0)],
                vec![n(2.0), n(200.0), n(0.25), n(5.0)],
            ],
            "паспорт 2024-2025.xlsx",
        );
        assert!(out.passports.is_empty());
        assert_eq!(out.rejected, 2);
        let i = &out.issues[0];
        assert_eq!(i.column.as_deref(), Some("Малообеспеченные, %"));
        assert!(
            i.message.contains("доли (0,6 = 60 %) или проценты"),
            "{}",
            i.message
        );
        assert!(i.message.contains("уберите «%» из заголовка"));
    }

    #[test]
    fn a_share_column_is_read_one_way() {
        // «Доля …» with every value ≤ 1: fractions (0.5 of 200 = 100, 0.1 of 100 = 10).
        let rows = |a: f64, b: f64| {
            vec![
                vec![
                    t("Код ОО"),
                    t("Всего обучающихся"),
                    t("Доля малообеспеченных"),
                ],
                vec![n(1.0), n(200.0), n(a)],
                vec![n(2.0), n(100.0), n(b)],
            ]
        };
        let low = |out: &crate::normalize::SheetOut, i: usize| {
            out.passports[i].rec.counts[&crate::model::Category::LowIncome]
        };
        let out = run(rows(0.5, 0.1), "паспорт 2024-2025.xlsx");
        assert_eq!((low(&out, 0), low(&out, 1)), (100.0, 10.0));
        // With a value above 1 the column is percents, 0.5 included: 0.5 % of 200 = 1,
        // 30 % of 100 = 30 (before, 0.5 was read as 50 % beside a 30 %).
        let out = run(rows(0.5, 30.0), "паспорт 2024-2025.xlsx");
        assert!((low(&out, 0) - 1.0).abs() < 1e-9);
        assert!((low(&out, 1) - 30.0).abs() < 1e-9);
    }

    #[test]
    fn percents_and_counts_in_one_column_are_refused() {
        let out = run(
            vec![
                header(),
                vec![n(1.0), n(200.0), n(10.0), t("5%")],
                vec![n(2.0), n(100.0), n(10.0), n(5.0)],
            ],
            "паспорт 2024-2025.xlsx",
        );
        assert!(out.passports.is_empty());
        assert_eq!(out.issues[0].column.as_deref(), Some("Дети с ОВЗ"));
        assert!(out.issues[0].message.contains("и проценты"));
    }

    #[test]
    fn a_school_larger_than_any_is_refused() {
        let out = run(
            vec![
                header(),
                vec![n(1.0), n(60_000.0), n(10.0), n(5.0)],
                vec![n(2.0), n(100.0), n(10.0), n(5.0)],
            ],
            "паспорт 2024-2025.xlsx",
        );
        assert_eq!(out.passports.len(), 1);
        assert_eq!(out.issues[0].value.as_deref(), Some("60000"));
        assert_eq!(out.issues[0].column.as_deref(), Some("Всего обучающихся"));
    }

    #[test]
    fn repeats_of_a_school_on_one_sheet_are_refused_and_not_kept() {
        let mut rows = vec![
            vec![t("Код ОО"), t("Всего обучающихся"), t("Дети с ОВЗ")],
            vec![n(101.0), n(200.0), n(10.0)],
            // Same school, another count: a repeat all the same (the first counts).
            vec![n(101.0), n(300.0), n(20.0)],
            vec![n(102.0), n(150.0), n(3.0)],
        ];
        rows.extend((0..1_999).map(|_| vec![n(101.0), n(200.0), n(10.0)]));
        let out = run(rows, "паспорт 2024-2025.csv");
        let got: Vec<(&str, u32)> = out
            .passports
            .iter()
            .map(|p| (p.rec.school.as_str(), p.rec.total))
            .collect();
        assert_eq!(got, [("101", 200), ("102", 150)]);
        // 2 accepted; the second row and the 1,999 copies refused.
        assert_eq!((out.accepted, out.rejected), (2, 2_000));
        // Rows 3 and 5..1003 are listed (1,000); rows 1004..2003 are summed up.
        super::super::assert_sheet_repeats(
            &out,
            "повтор: социальный паспорт за 2025 год",
            (
                1_000,
                3,
                "для школы 101 уже есть (паспорт 2024-2025.csv, лист «Лист1», строка 2)",
            ),
            "не перечисленных по отдельности: 1000 (строки 1004–2003",
        );
    }
}
