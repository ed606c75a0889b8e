//! Social passports of schools: categories of students as counts or shares of the total.

use super::context::{Ctx, fmt_num};
use super::procedure::YearRows;
use crate::model::Passport;
use crate::read::{Cell, parse_number, parse_share};
use crate::recognize::{Column, Field};
use crate::recognize::{canon, is_percent_word};
use std::collections::BTreeMap;

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
    let cats: Vec<Column> = cx
        .table
        .columns
        .iter()
        .filter(|c| matches!(c.field, Field::Category(_)))
        .cloned()
        .collect();
    let mut year_rows = YearRows::default();
    let rows: Vec<usize> = cx.data_rows().collect();
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
        let mut counts = BTreeMap::new();
        for c in &cats {
            let Field::Category(cat) = c.field else {
                continue;
            };
            let cell = cx.sheet.cell(r, c.index).clone();
            let as_share = is_percent_word(&canon(&c.heading))
                || matches!(&cell, Cell::Text(t) if t.trim_end().ends_with('%'));
            let parsed = if as_share {
                parse_share(&cell).map(|s| s.map(|s| s * f64::from(total)))
            } else {
                parse_number(&cell).and_then(|v| match v {
                    Some(x) if x < 0.0 => Err("отрицательное количество".to_string()),
                    v => Ok(v),
                })
            };
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
        let name = cx.school_name(r);
        let rec = Passport {
            year,
            school: key.clone(),
            total,
            counts,
            origin: cx.origin(r),
        };
        cx.push_keyed(rec, key, name, 1);
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
}
