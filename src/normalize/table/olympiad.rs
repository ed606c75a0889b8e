//! Olympiad protocols (ВсОШ): participant, stage, subject, status.

use super::context::Ctx;
use super::procedure::{YearRows, leading_grade, missing_proc};
use crate::model::{OlympiadEntry, Stage, Status};
use crate::read::norm_text;
use crate::recognize::Field;

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

/// ВсОШ protocols: one row a participant with a status.
pub(super) fn olympiad(cx: &mut Ctx<'_>) {
    let mut year_rows = YearRows::default();
    let mut assumed_stage = false;
    let rows: Vec<usize> = cx.data_rows().collect();
    for r in rows {
        let Some((key, year, rp)) = year_rows.key_and_year(cx, r) else {
            continue;
        };
        let Some(subject) = rp.subject.clone() else {
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
        let rec = OlympiadEntry {
            year,
            school: key.clone(),
            stage,
            subject,
            participant,
            grade: cx.text(r, Field::Grade).and_then(|t| leading_grade(&t)),
            status,
            origin: cx.origin(r),
        };
        let name = cx.school_name(r);
        cx.push_keyed(rec, key, name, 1);
        cx.out.accepted += 1;
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
    use crate::model::{Stage, Status};
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
        assert_eq!(out.olympiad.len(), 3);
        let e = &out.olympiad[0].rec;
        assert_eq!(
            (e.year, e.stage, e.status),
            (2025, Stage::Municipal, Status::Winner)
        );
        assert_eq!(e.subject, "Математика");
        assert_eq!(e.grade, Some(9));
        assert_eq!(out.olympiad[1].rec.status, Status::Prizewinner);
        assert_eq!(out.rejected, 1);
        assert_eq!(out.issues[0].origin.row, 6);
        assert_eq!(out.issues[0].column.as_deref(), Some("Результат"));
    }
}
