//! «Признаки необъективности» (docs/method.md §6.5): the schools marked, with their
//! основание, then every sign found with its numbers; what was checked when nothing is.

use super::printable;
use crate::config::Config;
use crate::judge::{Evidence, Findings, ObjectivityResult, Sign};
use crate::report::objectivity_text::{arithmetic, checked_line};
use crate::report::sheet::{
    Styles, header_row, name_of, names, number, put, put_merged, put_with, row,
};
use anyhow::Result;
use rust_xlsxwriter::Workbook;

pub(super) const SHEET_OBJECTIVITY: &str = "Признаки необъективности";

/// n of the school behind a sign (participants compared or scored; ВПР for ВПР–ОГЭ).
fn sign_n(s: &Sign) -> Option<u32> {
    match &s.evidence {
        Evidence::Journal { n, .. } => Some(*n),
        Evidence::Peak { .. } => None,
        Evidence::VprOge { vpr_n, .. } => Some(*vpr_n),
    }
}

pub(super) fn write(wb: &mut Workbook, f: &Findings, cfg: &Config, st: &Styles) -> Result<()> {
    let ws = printable(
        wb,
        SHEET_OBJECTIVITY,
        &[(0, 6), (1, 40), (2, 8), (3, 26), (4, 22), (5, 8), (6, 80)],
        st,
    )?;
    put_with(
        ws,
        0,
        0,
        format!(
            "Признаки необъективности результатов ВПР, {} год (методика, §6.5)",
            f.year
        ),
        &st.title,
    )?;
    let note = format!(
        "Ни один признак школы (ШНОР, ШНСУ, зона риска, резильентная) от них не зависит. \
         Школа отмечена, когда признаки есть не меньше чем в {} работах или {} видов за год. \
         Значения кластера по ВПР {}.",
        cfg.objectivity.min_signs,
        cfg.objectivity.min_signs,
        if cfg.objectivity.exclude_from_cluster {
            "считаются без работ отмеченных школ (exclude_from_cluster = true)"
        } else {
            "считаются по всем работам (exclude_from_cluster = false)"
        }
    );
    put_merged(ws, 1, 0, 6, &note, &st.wrap)?;
    let names = names(f);
    let marked: Vec<&ObjectivityResult> = f.objectivity.iter().filter(|r| r.marked).collect();

    let mut r = 3u32;
    put_with(ws, r, 0, "Школы с признаками необъективности", &st.bold)?;
    r += 1;
    header_row(
        ws,
        r,
        &[
            "№ п/п",
            "Полное наименование ОО",
            "Год",
            "Работ с признаками",
            "Видов признаков",
            "",
            "Основание",
        ],
        st,
    )?;
    ws.set_repeat_rows(r, r)?;
    r += 1;
    if marked.is_empty() {
        put(ws, r, 1, "Школ с признаками необъективности нет")?;
        r += 1;
    }
    for (i, m) in marked.iter().enumerate() {
        number(ws, r, 0, (i + 1) as f64)?;
        put_with(ws, r, 1, name_of(&names, &m.school), &st.wrap)?;
        number(ws, r, 2, f64::from(m.year))?;
        number(ws, r, 3, m.works as f64)?;
        number(ws, r, 4, m.kinds as f64)?;
        put_with(ws, r, 6, m.basis.as_deref().unwrap_or(""), &st.wrap)?;
        r += 1;
    }

    r += 1;
    put_with(ws, r, 0, "Все найденные признаки", &st.bold)?;
    r += 1;
    header_row(
        ws,
        r,
        &[
            "Код ОО",
            "Полное наименование ОО",
            "Год",
            "Работа",
            "Признак",
            "n",
            "Расчёт",
        ],
        st,
    )?;
    r += 1;
    let mut any = false;
    for res in &f.objectivity {
        for s in &res.signs {
            any = true;
            put(ws, r, 0, &res.school)?;
            put_with(ws, r, 1, name_of(&names, &res.school), &st.wrap)?;
            number(ws, r, 2, f64::from(s.year))?;
            put_with(ws, r, 3, s.procedure.to_string(), &st.wrap)?;
            put_with(ws, r, 4, s.kind.label(), &st.wrap)?;
            if let Some(n) = sign_n(s) {
                number(ws, r, 5, f64::from(n))?;
            }
            put_with(ws, r, 6, arithmetic(s, cfg), &st.wrap)?;
            r = row(r as usize + 1);
        }
    }
    if !any {
        put(ws, r, 1, "Признаков не найдено")?;
        r += 1;
    }
    r += 1;
    put_merged(ws, r, 0, 6, &checked_line(f, cfg), &st.wrap)?;
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::judge::{ObjectivityChecked, SignKind};
    use crate::model::{Exam, Procedure};
    use crate::report::testdata;
    use calamine::{Data, Reader, Xlsx, open_workbook};

    /// School 01 of the test data marked in 2025 by one work with two kinds of sign.
    pub(crate) fn marked_findings() -> Findings {
        let mut f = testdata::findings();
        let procedure = Procedure {
            exam: Exam::Vpr,
            subject: "Математика".into(),
            grade: Some(5),
        };
        let journal = Evidence::Journal {
            count: 8,
            n: 23,
            input_count: 11,
            input_n: 73,
        };
        let peak = Evidence::Peak {
            mark: 4,
            score: 11,
            at: 8,
            below: 1,
            input_at: 13,
            input_below: 10,
        };
        f.objectivity = vec![ObjectivityResult {
            school: "01".into(),
            year: 2025,
            signs: vec![
                Sign {
                    kind: SignKind::Raised,
                    procedure: procedure.clone(),
                    year: 2025,
                    evidence: journal,
                    text: "повысили 34,8 %".into(),
                },
                Sign {
                    kind: SignKind::Peak,
                    procedure,
                    year: 2025,
                    evidence: peak,
                    text: "пик на границе «4»".into(),
                },
            ],
            works: 1,
            kinds: 2,
            marked: true,
            basis: Some("ВПР Математика 5 кл. 2025: повысили 34,8 %; пик на границе «4»".into()),
        }];
        f.objectivity_checked = ObjectivityChecked {
            years: vec![2024, 2025],
            score_works: 7,
            no_boundaries: 0,
            journal_works: 6,
            vpr_oge_pairs: 2,
            participant_data: true,
        };
        f
    }

    fn rows(f: &Findings) -> Vec<Vec<String>> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("identify-2025.xlsx");
        let cfg = Config::default();
        let bytes = super::super::render(f, &testdata::dataset(), &cfg, None).unwrap();
        std::fs::write(&p, bytes).unwrap();
        let mut wb: Xlsx<_> = open_workbook(&p).unwrap();
        let r = wb.worksheet_range(SHEET_OBJECTIVITY).unwrap();
        r.rows()
            .map(|row| {
                row.iter()
                    .map(|d| match d {
                        Data::String(s) => s.clone(),
                        Data::Float(x) => x.to_string(),
                        _ => String::new(),
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn marked_school_then_every_sign_with_its_arithmetic() {
        let rows = rows(&marked_findings());
        let at = |text: &str| {
            rows.iter()
                .position(|r| r.iter().any(|c| c == text))
                .unwrap_or_else(|| panic!("no «{text}»"))
        };
        let first = &rows[at("Школы с признаками необъективности") + 2];
        assert_eq!(first[0], "1");
        assert_eq!(first[2], "2025");
        assert_eq!((first[3].as_str(), first[4].as_str()), ("1", "2"));
        assert!(first[6].starts_with("ВПР Математика 5 кл. 2025: повысили"));
        let signs = at("Все найденные признаки");
        let raised = &rows[signs + 2];
        assert_eq!(raised[0], "01");
        assert_eq!(raised[4], "ВПР выше журнала");
        assert_eq!(raised[5], "23");
        // 8 / 23 = 34,8 %; 11 / 73 = 15,1 %; 2 × 15,07 % = 30,1 %.
        assert_eq!(
            raised[6],
            "повысили 8 из 23 = 34,8 % (порог 25 %); по всем школам 11 из 73 = 15,1 %; \
             34,8 % ≥ 2 × 15,1 % = 30,1 %"
        );
        let peak = &rows[signs + 3];
        assert_eq!(peak[4], "пик на границе отметки");
        // 8 ≥ 5, 8 ≥ 3 × max(1, 1) = 3; 13 / 10 = 1,3 < 1,5.
        assert_eq!(
            peak[6],
            "граница «4» — 11 баллов: на ней 8, на 10 баллах 1; 8 ≥ 5 и 8 ≥ 3 × max(1, 1) = 3; \
             по всем школам 13 / max(10, 1) = 1,3 < 1,5"
        );
        assert!(
            rows.iter()
                .flatten()
                .any(|c| c.starts_with("Проверено за 2024–2025:"))
        );
    }

    #[test]
    fn nothing_found_says_what_was_checked_or_why_not() {
        let mut f = testdata::findings();
        f.objectivity_checked.years = vec![2025];
        let rows = rows(&f);
        let all: Vec<&String> = rows.iter().flatten().collect();
        assert!(
            all.iter()
                .any(|c| *c == "Школ с признаками необъективности нет")
        );
        assert!(all.iter().any(|c| *c == "Признаков не найдено"));
        assert!(
            all.iter()
                .any(|c| c.contains("нет выгрузок ВПР по участникам (ФИС ОКО)")),
            "{all:?}"
        );
    }
}
