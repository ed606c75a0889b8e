//! Writes the synthetic municipality the way real exports come: ФИС ОКО ВПР files (one per
//! work and year, every value as text), РЦОИ ОГЭ CSVs (Windows-1251, `;`, decimal commas,
//! a title row), ЕГЭ workbooks (a sheet per subject under title rows), ВсОШ protocols,
//! contingent, social passports, the registry, the targets and `shnor.toml` with the ВПР
//! mark boundaries. Big files go through low-memory worksheets, one file at a time.

use super::generate::{self, EGE, OGE, WORKS, Work};
use super::plan::{self, DemoOptions, SchoolPlan};
use crate::model::{Category, Year};
use crate::recognize::Field;
use anyhow::{Context, Result};
use rayon::prelude::*;
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use std::path::{Path, PathBuf};

/// A workbook with a fixed creation time, so that the same seed gives byte-identical files
/// (regenerating examples/demo does not churn git).
pub fn new_workbook() -> Result<Workbook> {
    let mut wb = Workbook::new();
    let when = rust_xlsxwriter::ExcelDateTime::from_ymd(2025, 1, 1)?;
    wb.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&when));
    Ok(wb)
}

/// What was written.
#[derive(Clone, Debug, Default)]
pub struct Written {
    pub files: Vec<PathBuf>,
    pub vpr_rows: u64,
}

pub(super) fn save(mut wb: Workbook, path: &Path, out: &mut Written) -> Result<()> {
    wb.save(path)
        .with_context(|| format!("не удалось записать {}", path.display()))?;
    out.files.push(path.to_path_buf());
    Ok(())
}

/// A participant's «всего баллов» in column `col` and the task scores after it («X»: the
/// task not done), as ФИС ОКО writes them in ВПР and КДР files alike.
pub(super) fn scores(
    ws: &mut Worksheet,
    r: u32,
    col: u16,
    p: &super::generate::VprRow,
) -> Result<()> {
    if let Some(t) = p.total {
        ws.write_string(r, col, t.to_string())?;
    }
    for (j, t) in p.tasks.iter().enumerate() {
        let v = t.map_or_else(|| "X".to_string(), |x| x.to_string());
        ws.write_string(r, col + 1 + j as u16, v)?;
    }
    Ok(())
}

pub(super) fn header(ws: &mut Worksheet, row: u32, cells: &[String]) -> Result<()> {
    let bold = Format::new().set_bold();
    for (c, h) in cells.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, h, &bold)?;
    }
    Ok(())
}

/// Decimal comma, as Russian exports write numbers.
fn ru(x: f64, digits: usize) -> String {
    format!("{x:.digits$}").replace('.', ",")
}

/// Heading of the registry's region column (recognised as the region field).
pub const REGION_HEADING: &str = "Субъект РФ";

/// `реестр.xlsx`; with several regions a «Субъект РФ» column after the school's name.
pub fn registry(
    dir: &Path,
    o: &DemoOptions,
    schools: &[SchoolPlan],
    out: &mut Written,
) -> Result<()> {
    let mut wb = new_workbook()?;
    let ws = wb.add_worksheet_with_low_memory()?;
    ws.set_name("Реестр")?;
    let fields = [
        Field::SchoolId,
        Field::SchoolName,
        Field::Municipality,
        Field::Settlement,
        Field::Level,
        Field::Students,
        Field::Aliases,
        Field::Coordinator,
        Field::Phone,
    ];
    let mut head = fields.map(Field::heading).to_vec();
    let split = super::regions::Layout::of(o).split();
    if split {
        head.insert(2, REGION_HEADING.to_string());
    }
    header(ws, 0, &head)?;
    // Columns from «Муниципалитет» on move right by one when the region is written.
    let c = u16::from(split);
    for (i, s) in schools.iter().enumerate() {
        let r = i as u32 + 1;
        let students: u32 = (1..=11).map(|g| plan::contingent(o, s, o.year, g)).sum();
        ws.write_string(r, 0, &s.id)?;
        ws.write_string(r, 1, &s.name)?;
        if split {
            ws.write_string(r, 2, super::regions::name(s.region))?;
        }
        ws.write_string(r, 2 + c, &s.municipality)?;
        ws.write_string(r, 3 + c, s.settlement.label())?;
        ws.write_string(r, 4 + c, s.level.label())?;
        ws.write_number(r, 5 + c, f64::from(students))?;
        ws.write_string(r, 6 + c, format!("{}; {}", s.login, s.gia_code))?;
        ws.write_string(r, 7 + c, &s.coordinator)?;
        ws.write_string(r, 8 + c, &s.phone)?;
    }
    save(wb, &dir.join("реестр.xlsx"), out)
}

/// One ФИС ОКО file per ВПР work and year; counts the participant rows in `out`. The files
/// are written in parallel, each streamed school by school through a low-memory worksheet.
pub fn vpr(dir: &Path, o: &DemoOptions, schools: &[SchoolPlan], out: &mut Written) -> Result<()> {
    let jobs: Vec<(Year, &Work)> = o
        .all_years()
        .into_iter()
        .flat_map(|y| WORKS.iter().map(move |w| (y, w)))
        .collect();
    let done: Vec<Result<(PathBuf, u64)>> = jobs
        .par_iter()
        .map(|&(year, w)| vpr_file(dir, o, schools, w, year))
        .collect();
    for d in done {
        let (path, rows) = d?;
        out.files.push(path);
        out.vpr_rows += rows;
    }
    Ok(())
}

/// One ФИС ОКО file: its path and participant rows.
fn vpr_file(
    dir: &Path,
    o: &DemoOptions,
    schools: &[SchoolPlan],
    w: &Work,
    year: Year,
) -> Result<(PathBuf, u64)> {
    let mut wb = new_workbook()?;
    let ws = wb.add_worksheet_with_low_memory()?;
    ws.set_name("Лист1")?;
    let mut head: Vec<String> = [
        "логин школы",
        "регион",
        "номер обучающегося",
        "код обучающегося",
        "отметка за предыдущую четверть/триместр",
        "пол",
        "класс",
        "вариант",
        "всего баллов",
    ]
    .map(String::from)
    .to_vec();
    head.extend((1..=w.tasks.len()).map(|t| format!("балл за {t}")));
    for (c, h) in head.iter().enumerate() {
        ws.write_string(0, c as u16, h)?;
    }
    let mut r = 1u32;
    for s in schools {
        for p in generate::vpr_rows(o, s, w, year) {
            ws.write_string(r, 0, &s.login)?;
            ws.write_string(r, 1, &s.municipality)?;
            ws.write_string(r, 2, p.number.to_string())?;
            ws.write_string(r, 3, &p.code)?;
            ws.write_string(r, 4, &p.prev_mark)?;
            ws.write_string(r, 5, p.sex)?;
            ws.write_string(r, 6, &p.class)?;
            ws.write_string(r, 7, &p.variant)?;
            scores(ws, r, 8, &p)?;
            r += 1;
        }
    }
    let mut done = Written::default();
    save(wb, &dir.join(w.file_name(year)), &mut done)?;
    Ok((done.files.remove(0), u64::from(r - 1)))
}

/// ОГЭ: one CSV per subject and year, Windows-1251, `;`, decimal commas, a title row.
pub fn oge(dir: &Path, o: &DemoOptions, schools: &[SchoolPlan], out: &mut Written) -> Result<()> {
    for year in o.all_years() {
        for subj in &OGE {
            let mut w = csv::WriterBuilder::new()
                .delimiter(b';')
                .flexible(true)
                // РЦОИ writes `отметка "2"` as is, without CSV quoting.
                .quote_style(csv::QuoteStyle::Never)
                .from_writer(Vec::new());
            w.write_record([format!("Результаты ОГЭ {year} по {}", subj.dative)])?;
            w.write_record([
                "Код ОО",
                "Наименование ОО",
                "Кол-во участников",
                "Средний балл",
                "Средняя отметка",
                "отметка \"2\"",
                "отметка \"3\"",
                "отметка \"4\"",
                "отметка \"5\"",
            ])?;
            for s in schools {
                let Some(a) = generate::gia(o, s, subj, year) else {
                    continue;
                };
                let mut rec = vec![
                    s.gia_code.clone(),
                    s.name.clone(),
                    a.n.to_string(),
                    ru(a.mean_score, 2),
                    ru(a.mean_mark(), 2),
                ];
                rec.extend(a.marks.iter().map(u32::to_string));
                w.write_record(&rec)?;
            }
            let text = String::from_utf8(w.into_inner()?)?;
            let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&text);
            let path = dir.join(format!("ОГЭ {year} {}.csv", subj.subject));
            std::fs::write(&path, &bytes)
                .with_context(|| format!("не удалось записать {}", path.display()))?;
            out.files.push(path);
        }
    }
    Ok(())
}

/// ЕГЭ: one workbook per year, a sheet per subject under title rows.
pub fn ege(dir: &Path, o: &DemoOptions, schools: &[SchoolPlan], out: &mut Written) -> Result<()> {
    for year in o.all_years() {
        let mut wb = new_workbook()?;
        for subj in &EGE {
            let ws = wb.add_worksheet_with_low_memory()?;
            ws.set_name(subj.subject)?;
            ws.write_string(
                0,
                0,
                format!("Результаты ЕГЭ-{year} по общеобразовательным организациям"),
            )?;
            ws.write_string(1, 0, format!("Предмет: {}", subj.subject))?;
            let head = [
                "Код ОО",
                "Наименование ОО",
                "Приняли участие",
                "Средний тестовый балл",
                "Не преодолели минимальный порог",
                "Высокобалльники (80-100 баллов)",
            ]
            .map(String::from);
            header(ws, 3, &head)?;
            let mut r = 4;
            for s in schools {
                let Some(a) = generate::gia(o, s, subj, year) else {
                    continue;
                };
                ws.write_string(r, 0, &s.gia_code)?;
                ws.write_string(r, 1, &s.name)?;
                ws.write_number(r, 2, f64::from(a.n))?;
                ws.write_number(r, 3, (a.mean_score * 10.0).round() / 10.0)?;
                ws.write_number(r, 4, f64::from(a.n_fail))?;
                ws.write_number(r, 5, f64::from(a.n_high))?;
                r += 1;
            }
        }
        save(wb, &dir.join(format!("ЕГЭ {year}.xlsx")), out)?;
    }
    Ok(())
}

/// ВсОШ municipal-stage protocol per year.
pub fn olympiad(
    dir: &Path,
    o: &DemoOptions,
    schools: &[SchoolPlan],
    out: &mut Written,
) -> Result<()> {
    for year in o.all_years() {
        olympiad_protocol(dir, year, schools, |s| generate::olympiad(o, s, year), out)?;
    }
    Ok(())
}

/// One municipal-stage protocol file for `year`, entries of each school from `entries`
/// (the December demo and the interim data differ only in where the entries come from).
pub(super) fn olympiad_protocol(
    dir: &Path,
    year: Year,
    schools: &[SchoolPlan],
    entries: impl Fn(&SchoolPlan) -> Vec<generate::OlympiadRow>,
    out: &mut Written,
) -> Result<()> {
    let mut wb = new_workbook()?;
    let ws = wb.add_worksheet_with_low_memory()?;
    ws.set_name("Протокол")?;
    ws.write_string(
        0,
        0,
        format!(
            "Протокол муниципального этапа ВсОШ {}/{:02} учебного года",
            year - 1,
            year % 100
        ),
    )?;
    let head = [
        Field::SchoolId,
        Field::ParticipantId,
        Field::Grade,
        Field::Subject,
        Field::Score,
        Field::Status,
    ]
    .map(Field::heading);
    header(ws, 2, &head)?;
    let mut r = 3;
    for s in schools {
        for e in entries(s) {
            ws.write_string(r, 0, &s.id)?;
            ws.write_string(r, 1, &e.participant)?;
            ws.write_number(r, 2, f64::from(e.grade))?;
            ws.write_string(r, 3, e.subject)?;
            ws.write_number(r, 4, e.score)?;
            ws.write_string(r, 5, e.status)?;
            r += 1;
        }
    }
    let name = format!("Протокол МЭ ВсОШ {}-{:02}.xlsx", year - 1, year % 100);
    save(wb, &dir.join(name), out)
}

/// Contingent by grade for every year, one workbook.
pub fn contingent(
    dir: &Path,
    o: &DemoOptions,
    schools: &[SchoolPlan],
    out: &mut Written,
) -> Result<()> {
    let mut wb = new_workbook()?;
    let ws = wb.add_worksheet_with_low_memory()?;
    ws.set_name("Контингент")?;
    let mut head = vec![Field::Year.heading(), Field::SchoolId.heading()];
    head.extend((1..=11).map(|g| Field::GradeCount(g).heading()));
    header(ws, 0, &head)?;
    let mut r = 1;
    for year in o.all_years() {
        for s in schools {
            ws.write_number(r, 0, f64::from(year))?;
            ws.write_string(r, 1, &s.id)?;
            for g in 1..=11u8 {
                let n = plan::contingent(o, s, year, g);
                if g <= s.level.top_grade() {
                    ws.write_number(r, 1 + u16::from(g), f64::from(n))?;
                }
            }
            r += 1;
        }
    }
    save(wb, &dir.join("контингент.xlsx"), out)
}

/// Social passports, one workbook per school year (2025 = collected September 2024).
pub fn passports(
    dir: &Path,
    o: &DemoOptions,
    schools: &[SchoolPlan],
    out: &mut Written,
) -> Result<()> {
    for year in o.all_years() {
        let mut wb = new_workbook()?;
        let ws = wb.add_worksheet_with_low_memory()?;
        ws.set_name("Социальный паспорт")?;
        let mut head = vec![
            Field::Year.heading(),
            Field::SchoolId.heading(),
            Field::Total.heading(),
        ];
        head.extend(Category::ALL.iter().map(|c| Field::Category(*c).heading()));
        header(ws, 0, &head)?;
        for (i, s) in schools.iter().enumerate() {
            let r = i as u32 + 1;
            let (total, counts) = generate::passport(o, s, year);
            ws.write_number(r, 0, f64::from(year))?;
            ws.write_string(r, 1, &s.id)?;
            ws.write_number(r, 2, f64::from(total))?;
            for (j, (_, n)) in counts.iter().enumerate() {
                ws.write_number(r, 3 + j as u16, f64::from(*n))?;
            }
        }
        save(
            wb,
            &dir.join(format!("Социальный паспорт {year}.xlsx")),
            out,
        )?;
    }
    Ok(())
}

/// `shnor.toml` with the mark boundaries of every ВПР work generated (other settings default).
pub fn config(dir: &Path, out: &mut Written) -> Result<()> {
    #[derive(serde::Serialize)]
    struct MarksOnly {
        marks: Vec<crate::config::MarkBoundaries>,
    }
    let body = toml::to_string(&MarksOnly {
        marks: WORKS.iter().map(|w| w.boundaries()).collect(),
    })?;
    let text = format!(
        "# Границы отметок ВПР демонстрационного муниципалитета (в выгрузках ФИС ОКО отметок нет,\n\
         # только «всего баллов»). Остальные настройки — по умолчанию (shnor config --default).\n\n{body}"
    );
    let path = dir.join("shnor.toml");
    std::fs::write(&path, text)
        .with_context(|| format!("не удалось записать {}", path.display()))?;
    out.files.push(path);
    Ok(())
}

/// Year label used in file names, for the README.
pub fn years_label(o: &DemoOptions) -> String {
    let y: Vec<Year> = o.all_years();
    format!("{}–{}", y[0], y[y.len() - 1])
}
