//! Olympiad protocols (ВсОШ): participant, stage, subject, status.

use super::context::Ctx;
use super::procedure::{YearRows, leading_grade, missing_proc};
use crate::model::{OlympiadEntry, OlympiadRows, Stage, Status, Year};
use crate::read::norm_text;
use crate::recognize::Field;
use std::collections::BTreeMap;

fn parse_status(t: &str) -> Option<Status> {
    let t = norm_text(t);
    if t.contains("побед") {
        Some(Status::Winner)
    } else if t.contains("призер") || t.contains("призов") {
        Some(Status::Prizewinner)
    } else if t.contains("участ") {
        Some(Status::Participant)
    } else {
        None
    }
}

fn parse_stage(t: &str) -> Option<Stage> {
    let t = norm_text(t);
    if t.starts_with("школьн") {
        Some(Stage::School)
    } else if t.starts_with("муницип") {
        Some(Stage::Municipal)
    } else if t.starts_with("регион") {
        Some(Stage::Regional)
    } else if t.starts_with("заключ") || t.starts_with("всеросс") {
        Some(Stage::Final)
    } else {
        None
    }
}

/// One school's rows of one year while the protocol is read.
struct Group {
    name: Option<std::sync::Arc<str>>,
    first_row: usize,
    entries: Vec<OlympiadEntry>,
}

/// ВсОШ protocols: one row a participant with a status, gathered per school and year as they
/// are read (a row becomes an [`OlympiadEntry`] of a few bytes).
pub(super) fn olympiad(cx: &mut Ctx<'_>) {
    let mut year_rows = YearRows::default();
    // By school key, its municipality (a name key can repeat in two municipalities' blocks)
    // and year.
    let mut groups: BTreeMap<(String, Option<std::sync::Arc<str>>, Year), Group> = BTreeMap::new();
    let mut assumed_stage = false;
    let rows: Vec<usize> = cx.data_rows().collect();
    for r in rows {
        let Some((key, year, rp)) = year_rows.key_and_year(cx, r) else {
            continue;
        };
        if rp.subject.is_none() {
            if year_rows.msg.is_none() {
                year_rows.msg = missing_proc(cx, &rp, false);
            }
            cx.out.rejected += 1;
            continue;
        };
        let Some(participant) = cx.text(r, Field::ParticipantId) else {
            let h = cx.col(Field::ParticipantId).map(|c| c.heading.clone());
            cx.reject(
                r,
                h.as_deref(),
                None,
                "не указан участник (код или ФИО): заполните ячейку".into(),
            );
            continue;
        };
        let status_text = cx.text(r, Field::Status).unwrap_or_default();
        let Some(status) = parse_status(&status_text) else {
            let h = cx.col(Field::Status).map(|c| c.heading.clone());
            cx.reject(
                r,
                h.as_deref(),
                Some(status_text),
                "статус должен быть «победитель», «призёр» или «участник»".into(),
            );
            continue;
        };
        let stage = match cx.text(r, Field::Stage).and_then(|t| parse_stage(&t)) {
            Some(s) => s,
            None => match cx.table.meta.stage {
                Some(s) => s,
                None => {
                    assumed_stage = true;
                    Stage::Municipal
                }
            },
        };
        let entry = OlympiadEntry {
            stage,
            grade: cx.text(r, Field::Grade).and_then(|t| leading_grade(&t)),
            status,
            participant: OlympiadEntry::participant_key(&participant),
        };
        let gkey = (key, cx.municipality.clone(), year);
        // A school's rows of a year are one record of the run's budget.
        if !groups.contains_key(&gkey) && !cx.keep() {
            continue;
        }
        let group = groups.entry(gkey).or_insert_with(|| Group {
            name: None,
            first_row: r,
            entries: Vec::new(),
        });
        if group.name.is_none() {
            group.name = cx.school_name(r).map(Into::into);
        }
        group.entries.push(entry);
        cx.out.accepted += 1;
    }
    for ((key, municipality, year), g) in groups {
        let rows = g.entries.len();
        let rec = OlympiadRows {
            year,
            school: key.clone(),
            entries: g.entries,
            origin: cx.origin(g.first_row),
        };
        cx.push_kept(rec, key, g.name, rows, municipality);
    }
    if assumed_stage {
        cx.warn(
            "этап олимпиады не указан ни в столбце «Этап», ни в заголовке: принят муниципальный"
                .into(),
        );
    }
    year_rows.finish(cx);
}

#[cfg(test)]
mod tests {
    use super::super::run;
    use crate::model::{OlympiadEntry, Stage, Status};
    use crate::read::testutil::{n, t};

    #[test]
    fn olympiad_protocol() {
        let out = run(
            vec![
                vec![t(
                    "Протокол муниципального этапа ВсОШ 2024/25 учебного года по математике",
                )],
                vec![
                    t("Код ОО"),
                    t("ФИО участника"),
                    t("Класс"),
                    t("Результат"),
                    t("Балл"),
                ],
                vec![n(101.0), t("Иванов И."), t("9 А"), t("Победитель"), n(35.0)],
                vec![n(101.0), t("Петров П."), t("8"), t("призер"), n(30.0)],
                vec![n(102.0), t("Сидоров С."), t("7"), t("участник"), n(5.0)],
                vec![n(102.0), t("Смирнов С."), t("7"), t("лауреат?"), n(5.0)],
            ],
            "протокол.xlsx",
        );
        // Schools 101 (two rows) and 102 (one row kept).
        assert_eq!(out.olympiad.len(), 2);
        let g = &out.olympiad[0].rec;
        assert_eq!(
            (g.year, g.school.as_str(), g.entries.len()),
            (2025, "101", 2)
        );
        assert_eq!(g.origin.row, 3);
        let e = g.entries[0];
        assert_eq!((e.stage, e.status), (Stage::Municipal, Status::Winner));
        assert_eq!(e.grade, Some(9));
        assert_eq!(e.participant, OlympiadEntry::participant_key(" Иванов И."));
        assert_eq!(g.entries[1].status, Status::Prizewinner);
        assert_eq!(out.olympiad[1].rec.entries.len(), 1);
        assert_eq!(out.accepted, 3);
        assert_eq!(out.rejected, 1);
        assert_eq!(out.issues[0].origin.row, 6);
        assert_eq!(out.issues[0].column.as_deref(), Some("Результат"));
    }
}
