//! The school key of a row as written: the code column, a code written before the name
//! («101 - МАОУ «Лицей»»), or, in files with no codes, «municipality / name». Rows without a
//! school (totals, section headings) are skipped and counted.

use super::context::Ctx;
use crate::model::InputKind;
use crate::read::{Cell, norm_text, parse_code, parse_ru_f64};
use crate::recognize::{Field, is_total_text};

impl Ctx<'_> {
    /// The school key of a row; `None` for rows without one (totals, sections: noted).
    pub(super) fn school_key(
        &mut self,
        row: usize,
        skipped_totals: &mut usize,
    ) -> Result<String, ()> {
        // Filled down: allocated only when it changes. A group of schools alone in its row
        // («Сельские школы»: a section row written over the first column, which is the
        // municipality's) is a section, no municipality.
        // Checked only when the municipality changes: participant files are long.
        let alone = || {
            self.sheet.rows[row]
                .iter()
                .filter(|c| !c.is_empty())
                .count()
                == 1
        };
        match self.cell(row, Field::Municipality) {
            Some(Cell::Text(m)) => {
                let m = m.trim();
                if !m.is_empty()
                    && self.municipality.as_deref() != Some(m)
                    && !(is_group_section(m) && alone())
                {
                    self.municipality = Some(m.into());
                }
            }
            Some(c @ Cell::Number(_)) => self.municipality = Some(c.text().into()),
            _ => {}
        }
        if self.name_key {
            return self.name_school_key(row, skipped_totals);
        }
        // Words in place of a code (rule «название вместо кода», recognize/rows.rs): a
        // section heading alone in its row («Городские школы», «Энский район» above the
        // schools), a municipality subtotal or a total with numbers; never a school.
        let code = self.cell(row, Field::SchoolId).and_then(parse_code);
        // A code with a digit is never such a label: the row is not counted (participant
        // files have ~10^5 rows, nearly all coded).
        if let Some(k) = code
            .as_deref()
            .filter(|k| !k.bytes().any(|b| b.is_ascii_digit()))
        {
            let alone = self.sheet.rows[row]
                .iter()
                .filter(|c| !c.is_empty())
                .count()
                == 1;
            if let Some(class) = crate::recognize::label_in_code_column(k, alone) {
                if class == crate::recognize::RowClass::Section {
                    self.section(k);
                }
                *skipped_totals += 1;
                return Err(());
            }
        }
        if let Some(k) = code
            && (k.is_ascii() || !is_total_text(&norm_text(&k)))
        {
            return Ok(k);
        }
        if self.code_in_name
            && let Some(name) = self.text(row, Field::SchoolName)
            && let Some((code, _)) = split_code_prefix(&name)
        {
            return Ok(code);
        }
        let row_text: String = self.sheet.rows[row]
            .iter()
            .map(|c| norm_text(&c.text()))
            .collect::<Vec<_>>()
            .join(" ");
        let filled = self.sheet.rows[row]
            .iter()
            .filter(|c| !c.is_empty())
            .count();
        if filled == 1 && !is_total_text(&row_text) && !has_numbers(&self.sheet.rows[row]) {
            // A section heading above the coded schools: one text cell («Городские школы»,
            // «Район А»), no school of its own; it names the block's municipality or group.
            let text = self.sheet.rows[row]
                .iter()
                .find(|c| !c.is_empty())
                .map(Cell::text);
            if let Some(t) = text {
                self.section(t.trim());
            }
            *skipped_totals += 1;
            return Err(());
        }
        if is_total_text(&row_text) || self.text(row, Field::SchoolName).is_some() {
            // Region / municipality totals and section rows carry no school code. A
            // municipality's own row (with its numbers, as ФИС ОКО writes it above its
            // schools) names the municipality of the rows below.
            if let Some(name) = self.text(row, Field::SchoolName)
                && self.col(Field::Municipality).is_none()
                && !is_total_text(&row_text)
                && crate::recognize::is_municipality_name(&name)
            {
                self.municipality = Some(name.trim().into());
            }
            *skipped_totals += 1;
            return Err(());
        }
        let heading = self.col(Field::SchoolId).map(|c| c.heading.clone());
        self.reject(
            row,
            heading.as_deref(),
            None,
            "не указан код школы: заполните код ОО в этой строке".into(),
        );
        Err(())
    }

    /// The key of a row in a file with no codes: «municipality / name». Section rows (text,
    /// no numbers) and municipality rows set the municipality of the rows below them.
    fn name_school_key(&mut self, row: usize, skipped_totals: &mut usize) -> Result<String, ()> {
        let cells = &self.sheet.rows[row];
        let row_text: String = cells
            .iter()
            .map(|c| norm_text(&c.text()))
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if is_total_text(&row_text) {
            *skipped_totals += 1;
            return Err(());
        }
        let numbers = has_numbers(cells);
        let name = self.text(row, Field::SchoolName);
        let texts: Vec<String> = cells
            .iter()
            .filter(|c| !c.is_empty())
            .map(|c| c.text().trim().to_string())
            .collect();
        if !numbers {
            // A section heading: the municipality of the block below, or a group of schools.
            if let Some(t) = texts.first() {
                self.section(&t.clone());
            }
            *skipped_totals += 1;
            return Err(());
        }
        let Some(name) = name else {
            let heading = self.col(Field::SchoolName).map(|c| c.heading.clone());
            self.reject(
                row,
                heading.as_deref(),
                None,
                "не указано название школы, а кодов в этом файле нет: заполните название".into(),
            );
            return Err(());
        };
        // A municipality subtotal written in the name column: without a municipality
        // column, or naming the row's own municipality («Энский район» in both) or when
        // the row has none (a municipality column left blank).
        let own = self
            .municipality
            .as_deref()
            .is_none_or(|m| norm_text(m) == norm_text(&name));
        if crate::recognize::is_municipality_name(&name)
            && (self.col(Field::Municipality).is_none() || own)
        {
            self.municipality = Some(name.into());
            *skipped_totals += 1;
            return Err(());
        }
        Ok(crate::normalize::schools::name_key(
            self.municipality.as_deref(),
            &name,
        ))
    }
}

impl Ctx<'_> {
    /// A section row: a group of schools («Городские школы», «СОШ», «Кластер 2») leaves the
    /// municipality as it is; anything else names the municipality of the block below
    /// (docs/recognition.md «Строки», rule «строки-разделы»).
    fn section(&mut self, text: &str) {
        if is_group_section(text) {
            self.group = Some(text.to_string());
        } else {
            self.municipality = Some(text.into());
            self.group = None;
        }
    }
}

/// A section row that names a group of schools rather than a municipality: school words
/// («Городские школы», «СОШ»), «кластер», «группа», «краевые ОУ».
pub(crate) fn is_group_section(text: &str) -> bool {
    let t = norm_text(text);
    !crate::recognize::is_municipality_name(&t)
        && (crate::recognize::is_school_name(&t)
            || crate::recognize::is_school_group(&t)
            || ["кластер", "групп"].iter().any(|w| t.contains(w)))
}

/// How the rows of a table name their school: the code column, a code written before the
/// name, or the name within its municipality (each choice noted). `false` when the table has
/// no way to name a school: the table is rejected.
pub(super) fn choose_school_key(cx: &mut Ctx<'_>) -> bool {
    let table = cx.table;
    if table.column(Field::SchoolId).is_some() {
        return true;
    }
    let name_column = table.column(Field::SchoolName);
    let heading = name_column.map(|c| c.heading.clone()).unwrap_or_default();
    if codes_in_names(cx) {
        cx.code_in_name = true;
        cx.out.notes.push(format!(
            "столбца с кодом ОО нет: код школы взят из начала названия в столбце «{heading}» \
             («101 - МАОУ …» → 101)"
        ));
        return true;
    }
    if name_column.is_some() && table.kind != InputKind::Registry {
        cx.name_key = true;
        let within = table.column(Field::Municipality).map_or(
            "муниципалитет — из строк-разделов над школами".to_string(),
            |c| {
                format!(
                    "муниципалитет — из столбца «{}», пустые ячейки — как выше",
                    c.heading
                )
            },
        );
        cx.out.notes.push(format!(
            "кодов школ в файле нет: школа определяется по названию (столбец «{heading}») \
             внутри муниципалитета ({within}); с реестром названия сверяются без кавычек, «№», \
             регистра и МБОУ/МКОУ, неоднозначные и ненайденные перечислены в замечаниях"
        ));
        return true;
    }
    cx.reject_table(format!(
        "не найден столбец с кодом школы ({}): переименуйте столбец в «Код ОО» или укажите \
         его в shnor.toml: [columns] \"Заголовок\" = \"school_id\"",
        table.kind.label()
    ));
    false
}

/// A row with a number in it: section headings, totals written as text and notes have none.
fn has_numbers(cells: &[Cell]) -> bool {
    cells.iter().any(|c| match c {
        Cell::Number(_) => true,
        Cell::Text(t) => parse_ru_f64(t).is_some(),
        Cell::Empty => false,
    })
}

/// Most names in the name column start with a code.
fn codes_in_names(cx: &Ctx<'_>) -> bool {
    if cx.col(Field::SchoolName).is_none() {
        return false;
    }
    // Only rows with numbers: section headings, totals and notes carry no code.
    let names: Vec<String> = cx
        .data_rows()
        .filter(|&r| has_numbers(&cx.sheet.rows[r]))
        .filter_map(|r| cx.school_name(r))
        .collect();
    let coded = names
        .iter()
        .filter(|n| split_code_prefix(n).is_some())
        .count();
    !names.is_empty() && coded * 2 >= names.len()
}

/// «101 - МАОУ «Лицей»», «101. Школа», «101 Школа» → («101», «МАОУ «Лицей»»); a login or
/// code in brackets before the name, as ФИС ОКО writes it: «(sch220001) МБОУ «СОШ № 1»» →
/// («sch220001», «МБОУ «СОШ № 1»»).
pub fn split_code_prefix(name: &str) -> Option<(String, String)> {
    let t = name.trim();
    if let Some(inner) = t.strip_prefix(['(', '[']) {
        let close = inner.find([')', ']'])?;
        let code = inner[..close].trim();
        let rest = inner[close + 1..].trim_start_matches([' ', '-', '–', '—', '.', ':']);
        // Latin letters and digits with at least one digit: a login or a code, not «(филиал)».
        let code_like = !code.is_empty()
            && code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            && code.chars().any(|c| c.is_ascii_digit());
        return (code_like && !rest.trim().is_empty())
            .then(|| (code.to_string(), rest.trim().to_string()));
    }
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return None;
    }
    let rest = &t[digits.len()..];
    let trimmed = rest.trim_start_matches([' ', '-', '–', '—', '.', ')', ':']);
    let sep = &rest[..rest.len() - trimmed.len()];
    if sep.is_empty() || trimmed.is_empty() {
        return None;
    }
    Some((digits, trimmed.to_string()))
}

#[cfg(test)]
mod tests {
    use super::super::run;
    use super::*;
    use crate::read::testutil::{n, t};

    #[test]
    fn section_rows_give_the_municipality_of_named_schools() {
        let out = run(
            vec![
                vec![t("ОГЭ 2025 математика")],
                vec![
                    t("Наименование ОО"),
                    t("Количество участников"),
                    t("Средний балл"),
                ],
                vec![t("Город N")],
                vec![t("Школа 1"), n(5.0), n(14.0)],
                vec![t("Район Z")],
                vec![t("Школа 1"), n(7.0), n(12.5)],
                vec![t("Итого"), n(12.0), n(13.2)],
            ],
            "огэ.xlsx",
        );
        let got: Vec<(String, u32)> = out
            .results
            .iter()
            .map(|k| (k.key.clone(), k.rec.n))
            .collect();
        // Two schools with the same name in different municipalities stay apart.
        assert_eq!(
            got,
            vec![
                ("Город N / Школа 1".into(), 5),
                ("Район Z / Школа 1".into(), 7)
            ]
        );
        assert_eq!(out.rejected, 0);
    }

    #[test]
    fn a_name_that_is_the_rows_own_municipality_is_a_subtotal() {
        // «Энский район» in both the municipality and the name column, with the sums of
        // its schools (5 + 7 = 12): not a school, not rejected.
        let out = run(
            vec![
                vec![t("ОГЭ 2025 математика")],
                vec![
                    t("Муниципалитет"),
                    t("Наименование ОО"),
                    t("Количество участников"),
                ],
                vec![t("Энский район"), t("Энский район"), n(12.0)],
                vec![t("Энский район"), t("Школа 1"), n(5.0)],
                vec![t("Энский район"), t("Школа 2"), n(7.0)],
            ],
            "огэ.xlsx",
        );
        let got: Vec<(String, u32)> = out
            .results
            .iter()
            .map(|k| (k.key.clone(), k.rec.n))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Энский район / Школа 1".into(), 5),
                ("Энский район / Школа 2".into(), 7)
            ]
        );
        assert_eq!(out.rejected, 0);
    }

    #[test]
    fn a_group_section_in_the_municipality_column_is_no_municipality() {
        // «Сельские школы» written over the first column, which is the municipality's
        // (filled only on the first row of its block): the school under it stays in
        // «Энский район».
        let out = run(
            vec![
                vec![t("ОГЭ 2025 математика")],
                vec![t("АТЕ"), t("Наименование ОО"), t("Количество участников")],
                vec![t("Энский район"), t("Школа 1"), n(5.0)],
                vec![t("Сельские школы")],
                vec![Cell::Empty, t("Школа 2"), n(7.0)],
            ],
            "огэ.xlsx",
        );
        let keys: Vec<String> = out.results.iter().map(|k| k.key.clone()).collect();
        assert_eq!(keys, ["Энский район / Школа 1", "Энский район / Школа 2"]);
        assert_eq!(out.rejected, 0);
    }

    #[test]
    fn code_before_the_name() {
        assert_eq!(
            split_code_prefix("101 - МАОУ «Лицей»"),
            Some(("101".into(), "МАОУ «Лицей»".into()))
        );
        assert_eq!(split_code_prefix("Школа №5"), None);
        assert_eq!(
            split_code_prefix("(sch220001) МБОУ «СОШ № 1»"),
            Some(("sch220001".into(), "МБОУ «СОШ № 1»".into()))
        );
        assert_eq!(
            split_code_prefix("[0101] Лицей"),
            Some(("0101".into(), "Лицей".into()))
        );
        assert_eq!(split_code_prefix("(филиал) СОШ № 2"), None);
        assert_eq!(split_code_prefix("(sch220001)"), None);
        assert_eq!(split_code_prefix("2024"), None);
    }

    #[test]
    fn group_sections_are_not_municipalities() {
        use super::is_group_section;
        for g in [
            "Городские школы",
            "Сельские школы",
            "СОШ",
            "Кластер 2",
            "Краевые ОУ",
        ] {
            assert!(is_group_section(g), "{g}");
        }
        for m in ["Район А", "Городской округ В", "Балашиха"] {
            assert!(!is_group_section(m), "{m}");
        }
    }

    #[test]
    fn registry_sections_give_the_cluster_when_asked() {
        use crate::config::Config;
        use crate::read::testutil::t;
        let sheet = crate::read::Sheet {
            name: None,
            merges: Vec::new(),
            rows: vec![
                vec![t("Код ОО"), t("Наименование ОО"), t("Муниципалитет")],
                vec![t("Городские школы")],
                vec![t("101"), t("МБОУ СОШ №1"), t("Энский район")],
                vec![t(""), t("Сельские школы")],
                vec![t("201"), t("МБОУ ООШ с. Липово"), t("Энский район")],
            ],
        };
        let mut cfg = Config::default();
        let table = crate::recognize::recognize(&sheet, "реестр.csv", &cfg).unwrap();
        let clusters = |cfg: &Config| -> Vec<(String, Option<String>)> {
            super::super::normalize_mapped(&sheet, &table, "реестр.csv", cfg, None)
                .registry
                .iter()
                .map(|s| (s.id.clone(), s.cluster.clone()))
                .collect()
        };
        // Off by default: two schools, no cluster from the sections.
        assert_eq!(
            clusters(&cfg),
            vec![("101".to_string(), None), ("201".to_string(), None)]
        );
        cfg.clusters.sections = true;
        assert_eq!(
            clusters(&cfg),
            vec![
                ("101".to_string(), Some("Городские школы".to_string())),
                ("201".to_string(), Some("Сельские школы".to_string()))
            ]
        );
    }
}
