//! Excel templates for the inputs that have no national form (реестр школ, социальный
//! паспорт, контингент по классам, протокол ВсОШ, целевые показатели): the data sheet with
//! shnor's own headings (`Field::heading`) and a «Пояснения» sheet that says what each column
//! means, its unit, allowed values and an example.

use crate::model::{Category, Year};
use crate::recognize::Field;
use anyhow::{Context, Result};
use rust_xlsxwriter::Format;
use std::path::{Path, PathBuf};

/// One column of a template: field, meaning, unit / allowed values, example value.
pub struct Column {
    pub field: Field,
    pub meaning: &'static str,
    pub unit: &'static str,
    pub example: String,
}

fn col(field: Field, meaning: &'static str, unit: &'static str, example: &str) -> Column {
    Column {
        field,
        meaning,
        unit,
        example: example.to_string(),
    }
}

/// A template: file name, data sheet name, columns, and pre-filled rows (targets only).
pub struct Template {
    pub file: &'static str,
    pub sheet: &'static str,
    pub about: &'static str,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
}

/// Registry columns (the demo's реестр uses the same, without «Кластер»).
pub fn registry_columns() -> Vec<Column> {
    vec![
        col(
            Field::SchoolId,
            "Код образовательной организации в реестре муниципалитета — ключ, по которому связываются все файлы",
            "текст, уникальный",
            "1101",
        ),
        col(
            Field::SchoolName,
            "Полное наименование школы",
            "текст",
            "МБОУ «СОШ № 1»",
        ),
        col(
            Field::Municipality,
            "Муниципальный район / округ",
            "текст",
            "Берёзовский муниципальный округ",
        ),
        col(
            Field::Settlement,
            "Тип населённого пункта",
            "город / село",
            "город",
        ),
        col(
            Field::Level,
            "Тип школы",
            "НОШ / ООШ / СОШ / Гимназия / Лицей / СОШ с УИОП / специальная",
            "СОШ",
        ),
        col(
            Field::Students,
            "Число обучающихся на начало учебного года",
            "человек, целое число",
            "540",
        ),
        col(
            Field::Cluster,
            "Кластер, если его задаёт регион (иначе оставьте пустым — кластер будет тип поселения × тип школы)",
            "текст, необязательно",
            "",
        ),
        col(
            Field::Aliases,
            "Другие коды этой же школы: логин ФИС ОКО, код РЦОИ (ОГЭ/ЕГЭ), ИНН, ОГРН — через «;»",
            "текст",
            "sch220001; 11001",
        ),
        col(
            Field::Coordinator,
            "ФИО ответственного за программу в школе",
            "текст",
            "Иванова А. А.",
        ),
        col(Field::Phone, "Телефон", "текст", "8-900-000-00-01"),
    ]
}

fn templates(year: Year) -> Vec<Template> {
    let mut passport = vec![
        col(
            Field::Year,
            "Учебный год по году окончания (паспорт сентября 2024 г. — год 2025)",
            "год",
            &year.to_string(),
        ),
        col(
            Field::SchoolId,
            "Код ОО из реестра (или логин ФИС ОКО)",
            "текст",
            "1101",
        ),
        col(
            Field::Total,
            "Всего обучающихся на дату паспорта",
            "человек",
            "540",
        ),
    ];
    let examples = [60, 85, 45, 3, 9, 6, 25, 8, 4, 5, 12, 300, 150, 20];
    for (c, e) in Category::ALL.iter().zip(examples) {
        passport.push(Column {
            field: Field::Category(*c),
            meaning: "Число обучающихся этой категории (не больше «Всего обучающихся»)",
            unit: "человек (или доля, %)",
            example: e.to_string(),
        });
    }
    let mut contingent = vec![
        col(
            Field::Year,
            "Учебный год по году окончания",
            "год",
            &year.to_string(),
        ),
        col(Field::SchoolId, "Код ОО из реестра", "текст", "1101"),
    ];
    for g in 1..=11u8 {
        contingent.push(Column {
            field: Field::GradeCount(g),
            meaning: "Число обучающихся в параллели на начало года (пусто или 0 — нет такого класса)",
            unit: "человек",
            example: (50 - u32::from(g)).to_string(),
        });
    }
    let plan1 = year + 1;
    let plan2 = year + 2;
    let targets = vec![
        col(
            Field::TargetKey,
            "Машинный ключ показателя, который shnor считает сам (пусто — значение вносится в «Факт»)",
            "oip_program_share / isb_share / olymp_share / pass_rate или пусто",
            "oip_program_share",
        ),
        col(
            Field::TargetName,
            "Формулировка показателя из программы",
            "текст",
            "Доля школ, преодолевших порог ОИП не менее 21",
        ),
        col(
            Field::Unit,
            "Единица измерения",
            "% / человек / единиц",
            "%",
        ),
        col(
            Field::Population,
            "По каким школам считается доля",
            "школы программы / все школы",
            "школы программы",
        ),
        col(
            Field::Base,
            "Базовое значение (на начало программы)",
            "число",
            "50",
        ),
        col(
            Field::Plan(plan1),
            "Плановое значение на год",
            "число",
            "75",
        ),
        col(
            Field::Plan(plan2),
            "Плановое значение на год",
            "число",
            "100",
        ),
        col(
            Field::Actual,
            "Фактическое значение, если shnor не может его посчитать",
            "число, необязательно",
            "",
        ),
        col(
            Field::ProgramSchools,
            "Коды школ программы через «;» (пусто — школы, выявленные в декабре)",
            "текст, необязательно",
            "1101; 1119",
        ),
    ];
    let row = |k: &str, n: &str, u: &str, p: &str, b: &str, p1: &str, p2: &str| {
        vec![k, n, u, p, b, p1, p2, "", ""]
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>()
    };
    let target_rows = vec![
        row(
            "oip_program_share",
            "Доля школ, преодолевших порог ОИП не менее 21",
            "%",
            "школы программы",
            "50",
            "75",
            "100",
        ),
        row(
            "isb_share",
            "Доля школ, преодолевших порог ИСБ",
            "%",
            "школы программы",
            "25",
            "50",
            "75",
        ),
        row(
            "olymp_share",
            "Доля обучающихся — участников муниципального этапа ВсОШ",
            "%",
            "все школы",
            "11",
            "15",
            "20",
        ),
        row(
            "pass_rate",
            "Процент справляемости ГИА и ВПР",
            "%",
            "школы программы",
            "70",
            "75",
            "75",
        ),
    ];
    vec![
        Template {
            file: "реестр школ.xlsx",
            sheet: "Реестр",
            about: "Реестр школ: одна строка — одна школа (филиал — отдельной строкой).",
            columns: registry_columns(),
            rows: Vec::new(),
        },
        Template {
            file: "социальный паспорт.xlsx",
            sheet: "Социальный паспорт",
            about: "Социальный паспорт: одна строка — одна школа за один учебный год; числа — количество обучающихся.",
            columns: passport,
            rows: Vec::new(),
        },
        Template {
            file: "контингент по классам.xlsx",
            sheet: "Контингент",
            about: "Контингент: одна строка — одна школа за один учебный год, число обучающихся по параллелям.",
            columns: contingent,
            rows: Vec::new(),
        },
        Template {
            file: "протокол ВсОШ.xlsx",
            sheet: "Протокол",
            about: "Протокол этапа ВсОШ: одна строка — один участник по одному предмету (ученик по трём предметам — три строки).",
            columns: vec![
                col(Field::SchoolId, "Код ОО из реестра", "текст", "1101"),
                col(
                    Field::ParticipantId,
                    "Код участника (один и тот же у ученика по всем предметам)",
                    "текст",
                    "МЭ25-1101-001",
                ),
                col(Field::Grade, "Класс обучения", "7–11", "8"),
                col(Field::Subject, "Предмет олимпиады", "текст", "Математика"),
                col(Field::Score, "Балл участника", "число", "42,5"),
                col(
                    Field::Status,
                    "Статус",
                    "участник / призёр / победитель",
                    "призёр",
                ),
            ],
            rows: Vec::new(),
        },
        Template {
            file: "целевые показатели.xlsx",
            sheet: "Целевые показатели",
            about: "Целевые показатели муниципальной программы: строки — показатели; заполнены типовые примеры, замените их своими.",
            columns: targets,
            rows: target_rows,
        },
    ]
}

/// Writes one template workbook.
fn write_template(dir: &Path, t: &Template) -> Result<PathBuf> {
    let path = dir.join(t.file);
    let mut wb = super::write::new_workbook()?;
    let bold = Format::new().set_bold().set_text_wrap();
    let ws = wb.add_worksheet();
    ws.set_name(t.sheet)?;
    for (c, column) in t.columns.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, column.field.heading(), &bold)?;
        ws.set_column_width(c as u16, 18)?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            match v.parse::<f64>() {
                Ok(x) => ws.write_number(r as u32 + 1, c as u16, x)?,
                Err(_) => ws.write_string(r as u32 + 1, c as u16, v)?,
            };
        }
    }
    ws.set_freeze_panes(1, 0)?;
    let ex = wb.add_worksheet();
    ex.set_name("Пояснения")?;
    ex.write_string_with_format(0, 0, t.about, &Format::new().set_bold())?;
    for (c, h) in [
        "Столбец",
        "Что означает",
        "Единица / допустимые значения",
        "Пример",
    ]
    .iter()
    .enumerate()
    {
        ex.write_string_with_format(2, c as u16, *h, &bold)?;
    }
    for (r, column) in t.columns.iter().enumerate() {
        let r = r as u32 + 3;
        ex.write_string(r, 0, column.field.heading())?;
        ex.write_string(r, 1, column.meaning)?;
        ex.write_string(r, 2, column.unit)?;
        ex.write_string(r, 3, &column.example)?;
    }
    ex.set_column_width(0, 40)?;
    ex.set_column_width(1, 80)?;
    ex.set_column_width(2, 40)?;
    ex.set_column_width(3, 30)?;
    wb.save(&path)
        .with_context(|| format!("не удалось записать шаблон {}", path.display()))?;
    Ok(path)
}

/// Writes every template into `dir`; returns the paths written.
///
/// # Errors
/// When the folder cannot be created or a file cannot be written.
pub fn write_all(dir: &Path, year: Year) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("не удалось создать папку {}", dir.display()))?;
    templates(year)
        .iter()
        .map(|t| write_template(dir, t))
        .collect()
}

/// Writes only the targets template (the demo's `целевые показатели.xlsx`).
///
/// # Errors
/// When the file cannot be written.
pub fn write_targets(dir: &Path, year: Year) -> Result<PathBuf> {
    let all = templates(year);
    let t = all
        .iter()
        .find(|t| t.file == "целевые показатели.xlsx")
        .expect("targets template");
    write_template(dir, t)
}

/// Template file names with the headings of their data sheet (for tests and help).
pub fn headings(year: Year) -> Vec<(&'static str, Vec<String>)> {
    templates(year)
        .into_iter()
        .map(|t| {
            (
                t.file,
                t.columns.iter().map(|c| c.field.heading()).collect(),
            )
        })
        .collect()
}
