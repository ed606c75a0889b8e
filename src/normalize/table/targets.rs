//! Target indicators of the municipal programme (not keyed by school).

use super::context::{Ctx, split_list};
use crate::model::{Population, Target, Year};
use crate::read::norm_text;
use crate::recognize::Field;
use std::collections::BTreeMap;

/// Target indicators of the programme: base, plan per year, actual.
pub(super) fn targets(cx: &mut Ctx<'_>) {
    let plans: Vec<(Year, Field)> = cx
        .table
        .columns
        .iter()
        .filter_map(|c| match c.field {
            Field::Plan(y) => Some((y, c.field)),
            _ => None,
        })
        .collect();
    let rows: Vec<usize> = cx.data_rows().collect();
    'rows: for r in rows {
        let Some(name) = cx.text(r, Field::TargetName) else {
            let h = cx.col(Field::TargetName).map(|c| c.heading.clone());
            cx.reject(
                r,
                h.as_deref(),
                None,
                "не указано название показателя".into(),
            );
            continue;
        };
        let Ok(base) = cx.number(r, Field::Base) else {
            continue;
        };
        let Ok(actual) = cx.number(r, Field::Actual) else {
            continue;
        };
        let mut plan = BTreeMap::new();
        for (y, f) in &plans {
            match cx.number(r, *f) {
                Ok(Some(v)) => {
                    plan.insert(*y, v);
                }
                Ok(None) => {}
                Err(()) => continue 'rows,
            }
        }
        let population = match cx.text(r, Field::Population) {
            Some(t) if norm_text(&t).contains("все") => Population::All,
            _ => Population::Program,
        };
        cx.out.targets.push(Target {
            key: cx.text(r, Field::TargetKey),
            name,
            unit: cx.text(r, Field::Unit),
            base,
            plan,
            actual,
            population,
            schools: cx
                .text(r, Field::ProgramSchools)
                .map(|s| split_list(&s))
                .unwrap_or_default(),
            origin: cx.origin(r),
        });
        cx.out.accepted += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::super::run;
    use crate::model::Population;
    use crate::read::Cell;
    use crate::read::testutil::{n, t};

    #[test]
    fn targets_with_plans_per_year() {
        let out = run(
            vec![
                vec![
                    t("Показатель"),
                    t("Ед. изм."),
                    t("Базовое значение"),
                    t("План 2026"),
                    t("2027 год"),
                    t("Совокупность"),
                ],
                vec![
                    t("Доля ШНОР"),
                    t("%"),
                    n(12.5),
                    t("10,0"),
                    n(8.0),
                    t("все школы"),
                ],
                vec![
                    t("Средний балл ОГЭ"),
                    t("балл"),
                    n(14.0),
                    n(15.0),
                    Cell::Empty,
                    Cell::Empty,
                ],
            ],
            "целевые показатели.xlsx",
        );
        assert_eq!(out.targets.len(), 2);
        let a = &out.targets[0];
        assert_eq!(a.base, Some(12.5));
        assert_eq!(a.plan.get(&2026), Some(&10.0));
        assert_eq!(a.plan.get(&2027), Some(&8.0));
        assert_eq!(a.population, Population::All);
        assert_eq!(out.targets[1].population, Population::Program);
        assert_eq!(out.targets[1].plan.len(), 1);
    }
}
