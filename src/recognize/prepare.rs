//! Before a sheet is recognized: layouts that are not one row per school are reshaped
//! into one (a wide table with a block of columns per subject becomes long). Shared by
//! `load` and `inspect`, so both read a sheet the same way.

use super::{Field, Table, Unrecognized, meta, recognize};
use crate::config::Config;
use crate::model::{Exam, InputKind};
use crate::read::{Cell, Sheet};
use std::borrow::Cow;
use std::path::Path;

/// A sheet as it will be read, with its recognized table.
pub struct Prepared<'a> {
    /// The sheet itself, or its reshaped copy.
    pub sheet: Cow<'a, Sheet>,
    pub table: Result<Table, Unrecognized>,
    /// What was done to the sheet before recognition (Russian).
    pub notes: Vec<String>,
    /// For a reshaped sheet: the original row of each row (for messages).
    pub row_map: Option<Vec<usize>>,
    /// A trend table (several years side by side, made long): its years may repeat
    /// years that single-year files give, see `load`.
    pub trend: bool,
}

/// Reshapes the sheet when its layout asks for it, then recognizes it. `path` is the file
/// as given: its folders may say the year and grade (`2020/4/Математика.xlsx`).
pub fn prepare_sheet<'a>(sheet: &'a Sheet, path: &Path, cfg: &Config) -> Prepared<'a> {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let file_name = file_name.as_str();
    let trend = super::years::find(sheet, cfg);
    let is_trend = trend.is_some();
    let reshaped = match trend {
        Some(t) => Some(super::years::unpivot(sheet, &t)),
        None => super::wide::find(sheet, cfg).map(|w| super::wide::unpivot(sheet, &w, cfg)),
    };
    let (sheet, notes, row_map) = match reshaped {
        Some(r) => (Cow::Owned(r.sheet), r.notes, Some(r.row_map)),
        None => (Cow::Borrowed(sheet), Vec::new(), None),
    };
    let table = recognize(&sheet, file_name, cfg).and_then(|mut t| {
        from_folders(&mut t, path, cfg, file_name)?;
        Ok(t)
    });
    Prepared {
        sheet,
        table,
        notes,
        row_map,
        trend: is_trend,
    }
}

/// A sheet made long (one row per school and year or subject): the new grid, what was done
/// (Russian), and the original row of each of its rows.
pub struct Reshaped {
    pub sheet: Sheet,
    pub notes: Vec<String>,
    pub row_map: Vec<usize>,
}

impl Reshaped {
    /// The long rows under the original sheet's name; merges do not survive reshaping.
    pub(super) fn new(
        original: &Sheet,
        rows: Vec<Vec<Cell>>,
        notes: Vec<String>,
        row_map: Vec<usize>,
    ) -> Self {
        Reshaped {
            sheet: Sheet {
                name: original.name.clone(),
                rows,
                merges: Vec::new(),
            },
            notes,
            row_map,
        }
    }
}

/// What the file's folders and columns say when the title, sheet and file name did not:
/// a year folder (`2020/`), a grade folder (`4/`) right under it, and for a participant file
/// with the previous term's mark (only ФИС ОКО ВПР exports carry it) the procedure ВПР.
fn from_folders(
    t: &mut Table,
    path: &Path,
    cfg: &Config,
    file_name: &str,
) -> Result<(), Unrecognized> {
    let folders: Vec<String> = path
        .parent()
        .into_iter()
        .flat_map(|p| p.components().rev().take(3))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    // The nearest folder that names one year (a span «2019-2021» names none).
    let folder_year = folders
        .iter()
        .filter(|f| meta::find_year_span(f).is_none())
        .find_map(|f| meta::find_year(f).map(|y| (y, f.clone())));
    let dated = t.kind != InputKind::Registry && t.column(Field::Year).is_none();
    if let (true, Some((y, f))) = (dated, &folder_year) {
        match t.meta.year {
            None => {
                t.meta.year = Some(*y);
                t.meta.year_from = Some(format!("имя папки: «{f}»"));
                t.notes.push(format!("год {y} — по имени папки «{f}»"));
                if let Some(message) =
                    meta::beyond_latest(&t.meta, cfg.latest_year, false, file_name)
                {
                    return Err(Unrecognized { message });
                }
            }
            // The file itself is more specific than its folder.
            Some(own) if own != *y => {
                let w = format!(
                    "год «{y}» (имя папки «{f}») расходится с «{own}» ({}): взято «{own}» как \
                     более надёжное",
                    t.meta.year_from.as_deref().unwrap_or("таблица")
                );
                t.notes.push(w.clone());
                t.warnings.push(w);
            }
            Some(_) => {}
        }
    }
    if t.meta.grade.is_none()
        && t.kind != InputKind::Registry
        && let Some(g) = folders
            .iter()
            .find_map(|f| f.trim().parse::<u8>().ok().filter(|g| (1..=11).contains(g)))
    {
        t.meta.grade = Some(g);
        t.notes.push(format!("{g} класс — по имени папки «{g}»"));
    }
    if t.meta.exam.is_none()
        && t.kind == InputKind::Participants
        && t.column(Field::PrevMark).is_some()
    {
        t.meta.exam = Some(Exam::Vpr);
        t.notes.push(
            "процедура ВПР — файл участников с отметкой за предыдущую четверть (так выгружает \
             ФИС ОКО только ВПР)"
                .into(),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::testutil::t;

    #[test]
    fn year_and_grade_from_folders_and_vpr_from_the_term_mark() {
        let sheet = Sheet {
            name: Some("Sheet1".into()),
            merges: Vec::new(),
            rows: vec![
                vec![
                    t("user"),
                    t("otc"),
                    t("sum"),
                    t("a-1-grade"),
                    t("a-2-grade"),
                ],
                vec![t("sch220001"), t("4"), t("10"), t("1"), t("2")],
            ],
        };
        let p = prepare_sheet(
            &sheet,
            Path::new("впр_2019-2021/2020/4/Математика.xlsx"),
            &Config::default(),
        );
        let m = p.table.unwrap().meta;
        // «2019-2021» is a span, not a year: the «2020» folder gives it.
        assert_eq!(
            (m.year, m.grade, m.exam),
            (Some(2020), Some(4), Some(Exam::Vpr))
        );
    }
}
