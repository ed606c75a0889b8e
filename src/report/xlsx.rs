//! `identify-<year>.xlsx`: the December report in Russian, printable. One sheet per question
//! the analyst is asked (summary, rating, the program's lists, procedures, data quality,
//! methodology, charts). Large sheets are low-memory worksheets, written top to bottom.

use crate::config::{Config, IndicatorKind, ThresholdSpec};
use crate::judge::{Findings, FlagKind, SchoolResult};
use crate::model::{Dataset, Severity, Year};
use crate::report::format::{self, FLAG_ORDER};
use anyhow::Result;
use rust_xlsxwriter::{
    Chart, ChartFormat, ChartLine, ChartLineDashType, ChartMarker, ChartMarkerType, ChartSolidFill,
    ChartType, Color, ConditionalFormat3ColorScale, ConditionalFormatText,
    ConditionalFormatTextRule, ConditionalFormatType, DocProperties, ExcelDateTime, Format,
    FormatAlign, FormatBorder, Workbook, Worksheet,
};

pub const SHEET_SUMMARY: &str = "Сводка";
pub const SHEET_RATING: &str = "Рейтинг";
pub const SHEET_PROCEDURES: &str = "Показатели по процедурам";
pub const SHEET_QUALITY: &str = "Качество данных";
pub const SHEET_METHOD: &str = "Методика";
pub const SHEET_CHARTS: &str = "Диаграммы";

/// Sheet name of the program's list for a flag.
pub fn list_sheet(k: FlagKind) -> &'static str {
    match k {
        FlagKind::Shnor => "ШНОР",
        FlagKind::Shnsu => "ШНСУ",
        FlagKind::Risk => "Зона риска",
        FlagKind::Resilient => "Резильентные",
    }
}

/// Heading of a flag column in «Рейтинг».
fn flag_column(k: FlagKind) -> &'static str {
    match k {
        FlagKind::Shnor => "ШНОР",
        FlagKind::Shnsu => "ШНСУ",
        FlagKind::Risk => "Зона риска",
        FlagKind::Resilient => "Резильентная",
    }
}

/// Fill colour of a flag (light, so printed text stays readable).
fn flag_color(k: FlagKind) -> u32 {
    match k {
        FlagKind::Shnor => 0xF4_B0_B0,
        FlagKind::Shnsu => 0xB4_D2_F0,
        FlagKind::Risk => 0xF8_CB_94,
        FlagKind::Resilient => 0xB7_E1_B0,
    }
}

pub(crate) struct Styles {
    pub(crate) title: Format,
    pub(crate) header: Format,
    pub(crate) bold: Format,
    pub(crate) wrap: Format,
    int: Format,
    one: Format,
    pct: Format,
}

impl Styles {
    pub(crate) fn new() -> Styles {
        Styles {
            title: Format::new().set_bold().set_font_size(14),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(0xD9_E1_F2)
                .set_border(FormatBorder::Thin),
            bold: Format::new().set_bold(),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            int: Format::new().set_num_format("0"),
            one: Format::new().set_num_format("0.0"),
            pct: Format::new().set_num_format("0.0%"),
        }
    }
}

fn landscape(ws: &mut Worksheet) {
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_paper_size(9); // A4
}

fn num(ws: &mut Worksheet, r: u32, c: u16, v: Option<f64>, f: &Format) -> Result<()> {
    if let Some(v) = v.filter(|v| v.is_finite()) {
        ws.write_number_with_format(r, c, v, f)?;
    }
    Ok(())
}

fn text(ws: &mut Worksheet, r: u32, c: u16, s: &str) -> Result<()> {
    if !s.is_empty() {
        ws.write_string(r, c, s)?;
    }
    Ok(())
}

fn header_row(ws: &mut Worksheet, r: u32, headers: &[String], st: &Styles) -> Result<()> {
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(r, col(c), h, &st.header)?;
    }
    Ok(())
}

fn col(c: usize) -> u16 {
    u16::try_from(c).expect("fewer than 65536 columns")
}

fn row(r: usize) -> u32 {
    u32::try_from(r).expect("fewer than 2^32 rows")
}

/// Renders the whole workbook into memory.
///
/// # Errors
/// When rust_xlsxwriter fails (temporary files for low-memory sheets, invalid ranges).
pub fn render(findings: &Findings, ds: &Dataset, cfg: &Config) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    // A pinned creation time: the same inputs give the same workbook.
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("Выявление ШНОР и ШНСУ, {} год", findings.year))
            .set_author("shnor")
            .set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?),
    );
    let st = Styles::new();
    summary(&mut wb, findings, ds, cfg, &st)?;
    rating(&mut wb, findings, cfg, &st)?;
    for k in FLAG_ORDER {
        program_list(&mut wb, findings, k, &st)?;
    }
    procedures(&mut wb, findings, &st)?;
    quality(&mut wb, ds, &st)?;
    methodology(&mut wb, findings, ds, cfg, &st)?;
    charts(&mut wb, findings, cfg, &st)?;
    Ok(wb.save_to_buffer()?)
}

enum Val {
    Int(usize),
    Share(usize, usize),
    Num(f64),
    Text(String),
}

fn summary(wb: &mut Workbook, f: &Findings, ds: &Dataset, cfg: &Config, st: &Styles) -> Result<()> {
    let ws = wb.add_worksheet_with_low_memory()?;
    ws.set_name(SHEET_SUMMARY)?;
    landscape(ws);
    ws.set_column_width(0, 58)?;
    ws.set_column_width(1, 14)?;
    ws.set_column_width(2, 12)?;
    ws.set_column_width(3, 70)?;

    let total = f.schools.len();
    let years: Vec<String> = f.years.iter().map(ToString::to_string).collect();
    let bar = cfg.oip.shnor_bar;
    let program = cfg.oip.program_threshold;
    let mut lines: Vec<(String, Option<Val>, String)> = Vec::new();
    let mut push = |l: &str, v: Option<Val>, note: String| lines.push((l.to_string(), v, note));

    push(
        "Год выявления",
        Some(Val::Int(usize::try_from(f.year).unwrap_or(0))),
        String::new(),
    );
    push(
        "Оцениваемые годы",
        Some(Val::Text(years.join(", "))),
        String::new(),
    );
    push("Число школ", Some(Val::Int(total)), String::new());
    push(
        "Число кластеров",
        Some(Val::Int(f.clusters.len())),
        String::new(),
    );
    for c in &f.clusters {
        push(
            &format!("   кластер «{}»", c.name),
            Some(Val::Int(c.schools)),
            "школ".into(),
        );
    }
    push("", None, String::new());
    push("Итоги выявления", None, String::new());
    for k in FLAG_ORDER {
        let n = f.schools.iter().filter(|s| s.flag(k).is_some()).count();
        push(
            &format!("{}: школ", flag_column(k)),
            Some(Val::Share(n, total)),
            format!("список — на листе «{}»", list_sheet(k)),
        );
    }
    push("", None, String::new());
    let with_oip = f
        .schools
        .iter()
        .filter(|s| s.oip_in(f.year).is_some())
        .count();
    let above = f
        .schools
        .iter()
        .filter(|s| s.oip_in(f.year).is_some_and(|v| v >= program))
        .count();
    push(
        &format!(
            "ОИП не ниже порога программы {} в {} г.",
            format::trim(program),
            f.year
        ),
        Some(Val::Share(above, total)),
        format!(
            "доля от всех школ; ОИП не рассчитан (недостаточно данных) у {}",
            total - with_oip
        ),
    );
    let below_bar = f
        .schools
        .iter()
        .filter(|s| s.oip_in(f.year).is_some_and(|v| v < bar))
        .count();
    push(
        &format!("ОИП ниже порога ШНОР {} в {} г.", format::trim(bar), f.year),
        Some(Val::Share(below_bar, total)),
        String::new(),
    );
    match &f.isb_threshold {
        Some(t) => {
            let with_isb = f.schools.iter().filter(|s| s.isb.is_some()).count();
            let ok = f
                .schools
                .iter()
                .filter(|s| s.isb.as_ref().is_some_and(|i| i.value >= t.value))
                .count();
            push(
                &format!("ИСБ не ниже порога {}", format::fixed(t.value, 1)),
                Some(Val::Share(ok, total)),
                format!(
                    "доля от всех школ; нет социального паспорта у {}",
                    total - with_isb
                ),
            );
            push("Порог ИСБ", Some(Val::Num(t.value)), threshold_how(t));
        }
        None => push(
            "Порог ИСБ",
            Some(Val::Text("не определён".into())),
            "нет социальных паспортов".into(),
        ),
    }
    push(
        "Порог ШНОР по ОИП",
        Some(Val::Num(bar)),
        format!(
            "ОИП ниже {} в {} из {} последних лет",
            format::trim(bar),
            cfg.oip.min_low_years,
            cfg.oip.window
        ),
    );
    push(
        "Порог программы по ОИП",
        Some(Val::Num(program)),
        "уровень кластера".into(),
    );

    push("", None, String::new());
    push("Что изменилось с прошлого года", None, String::new());
    let prev = f.years.iter().rev().nth(1).copied();
    match prev {
        None => push(
            "Предыдущий год не оценивался — сравнение невозможно",
            None,
            String::new(),
        ),
        Some(p) => {
            let below = |y: Year, t: f64| {
                f.schools
                    .iter()
                    .filter(|s| s.oip_in(y).is_some_and(|v| v < t))
                    .count()
            };
            push(
                &format!("ОИП ниже порога ШНОР: {p} г."),
                Some(Val::Int(below(p, bar))),
                String::new(),
            );
            push(
                &format!("ОИП ниже порога ШНОР: {} г.", f.year),
                Some(Val::Int(below(f.year, bar))),
                String::new(),
            );
            let crossed = |t: f64, down: bool| -> Vec<String> {
                format::by_name(f.schools.iter())
                    .into_iter()
                    .filter_map(|s| {
                        let (a, b) = (s.oip_in(p)?, s.oip_in(f.year)?);
                        let hit = if down {
                            a >= t && b < t
                        } else {
                            a < t && b >= t
                        };
                        hit.then(|| {
                            format!(
                                "{} ({} → {})",
                                s.school.name,
                                format::fixed(a, 1),
                                format::fixed(b, 1)
                            )
                        })
                    })
                    .collect()
            };
            for (t, name) in [(bar, "порога ШНОР"), (program, "порога программы")]
            {
                for down in [true, false] {
                    let v = crossed(t, down);
                    let what = if down {
                        "опустился ниже"
                    } else {
                        "поднялся до уровня не ниже"
                    };
                    push(
                        &format!("ОИП {what} {name} {}: школ", format::trim(t)),
                        Some(Val::Int(v.len())),
                        v.join("; "),
                    );
                }
            }
        }
    }
    push("", None, String::new());
    push("Качество данных", None, String::new());
    push(
        "Отклонено строк (не учтены в расчёте)",
        Some(Val::Int(ds.rejected_rows())),
        format!("подробно — на листе «{SHEET_QUALITY}»"),
    );
    let warnings = ds
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Warning)
        .count();
    push(
        "Предупреждений",
        Some(Val::Int(warnings)),
        format!("подробно — на листе «{SHEET_QUALITY}»"),
    );

    ws.write_string_with_format(
        0,
        0,
        format!("Выявление ШНОР и ШНСУ: сводка за {} год", f.year),
        &st.title,
    )?;
    for (i, (label, v, note)) in lines.iter().enumerate() {
        let r = row(i + 2);
        let heading = v.is_none();
        if heading {
            if !label.is_empty() {
                ws.write_string_with_format(r, 0, label, &st.bold)?;
            }
            continue;
        }
        text(ws, r, 0, label)?;
        match v {
            Some(Val::Int(n)) => {
                ws.write_number_with_format(r, 1, *n as f64, &st.int)?;
            }
            Some(Val::Share(n, d)) => {
                ws.write_number_with_format(r, 1, *n as f64, &st.int)?;
                if *d > 0 {
                    ws.write_number_with_format(r, 2, *n as f64 / *d as f64, &st.pct)?;
                }
            }
            Some(Val::Num(x)) => {
                ws.write_number_with_format(r, 1, *x, &st.one)?;
            }
            Some(Val::Text(t)) => text(ws, r, 1, t)?,
            None => {}
        }
        if !note.is_empty() {
            ws.write_string_with_format(r, 3, note, &st.wrap)?;
        }
    }
    Ok(())
}

/// How the ИСБ threshold was set, in words.
pub fn threshold_how(t: &crate::judge::FrozenThreshold) -> String {
    let what = match t.spec.trim().to_lowercase().as_str() {
        "mean" => "среднее".to_string(),
        "median" => "медиана".to_string(),
        s if s.starts_with('p') && s[1..].parse::<f64>().is_ok() => {
            format!("{}-й процентиль (как ПРОЦЕНТИЛЬ.ВКЛ в Excel)", &s[1..])
        }
        _ => return format!("задан числом в настройках ({})", t.spec),
    };
    match t.year {
        Some(y) => {
            format!("{what} ИСБ школ муниципалитета в {y} г.; зафиксирован в базовом снимке")
        }
        None => format!("{what} ИСБ школ муниципалитета; зафиксирован в базовом снимке"),
    }
}

fn rating(wb: &mut Workbook, f: &Findings, cfg: &Config, st: &Styles) -> Result<()> {
    let ws = wb.add_worksheet_with_low_memory()?;
    ws.set_name(SHEET_RATING)?;
    landscape(ws);

    let mut headers: Vec<String> = ["№", "Код", "Наименование", "Муниципалитет", "Кластер"]
        .map(String::from)
        .to_vec();
    for spec in &cfg.indicators {
        headers.push(format!("{} ({})", spec.name, f.year));
        headers.push(format!("{}: n", spec.id));
        headers.push(format!("{}: баллы", spec.id));
    }
    headers.push("Примечание".into());
    let oip_col = headers.len();
    headers.extend(f.years.iter().map(|y| format!("ОИП {y}")));
    let isb_col = headers.len();
    headers.push("ИСБ".into());
    headers.push("Место в кластере".into());
    let flag_col = headers.len();
    headers.extend(FLAG_ORDER.iter().map(|k| flag_column(*k).to_string()));
    headers.push("Основание".into());
    let last = headers.len() - 1;

    header_row(ws, 0, &headers, st)?;
    ws.set_row_height(0, 60)?;
    ws.set_freeze_panes(1, 3)?;
    ws.set_repeat_rows(0, 0)?;
    ws.set_column_width(0, 5)?;
    ws.set_column_width(1, 10)?;
    ws.set_column_width(2, 40)?;
    ws.set_column_width(3, 18)?;
    ws.set_column_width(4, 20)?;
    for c in 5..oip_col {
        ws.set_column_width(col(c), 10)?;
    }
    ws.set_column_width(col(oip_col - 1), 40)?;
    ws.set_column_width(col(last), 60)?;

    let mut schools: Vec<&SchoolResult> = f.schools.iter().collect();
    schools.sort_by(|a, b| {
        (
            &a.cluster,
            a.rank_in_cluster.unwrap_or(u32::MAX),
            a.school.name.to_lowercase(),
        )
            .cmp(&(
                &b.cluster,
                b.rank_in_cluster.unwrap_or(u32::MAX),
                b.school.name.to_lowercase(),
            ))
    });
    let formats: Vec<Format> = cfg
        .indicators
        .iter()
        .map(|s| Format::new().set_num_format(format::excel_format(&s.source)))
        .collect();

    for (i, s) in schools.iter().enumerate() {
        let r = row(i + 1);
        ws.write_number(r, 0, (i + 1) as f64)?;
        ws.write_string(r, 1, &s.school.id)?;
        ws.write_string(r, 2, &s.school.name)?;
        text(ws, r, 3, s.school.municipality.as_deref().unwrap_or(""))?;
        ws.write_string(r, 4, &s.cluster)?;
        let mut notes = Vec::new();
        for (j, spec) in cfg.indicators.iter().enumerate() {
            let c = col(5 + 3 * j);
            let Some(ind) = format::indicator(s, f.year, &spec.id) else {
                continue;
            };
            if ind.value.is_none() {
                continue;
            }
            num(ws, r, c, ind.value, &formats[j])?;
            ws.write_number(r, c + 1, f64::from(ind.n))?;
            num(ws, r, c + 2, ind.points.map(f64::from), &st.int)?;
            if let Some(n) = format::note(ind, cfg) {
                notes.push(format!("{}: {n}", spec.id));
            }
        }
        if s.oip_in(f.year).is_none() {
            let used = s
                .oip
                .iter()
                .find(|o| o.year == f.year)
                .map_or(0, |o| o.indicators_used);
            notes.push(format!(
                "ОИП {}: недостаточно данных (надёжных показателей {used} < {})",
                f.year, cfg.oip.min_indicators
            ));
        }
        // Wrapped, so long notes and reasons stay inside their columns when printed.
        ws.write_string_with_format(r, col(oip_col - 1), notes.join("; "), &st.wrap)?;
        for (k, y) in f.years.iter().enumerate() {
            num(ws, r, col(oip_col + k), s.oip_in(*y), &st.one)?;
        }
        num(
            ws,
            r,
            col(isb_col),
            s.isb.as_ref().map(|i| i.value),
            &st.one,
        )?;
        num(
            ws,
            r,
            col(isb_col + 1),
            s.rank_in_cluster.map(f64::from),
            &st.int,
        )?;
        for (k, kind) in FLAG_ORDER.iter().enumerate() {
            if s.flag(*kind).is_some() {
                ws.write_string(r, col(flag_col + k), "да")?;
            }
        }
        ws.write_string_with_format(r, col(last), format::basis(s), &st.wrap)?;
    }

    let last_row = row(schools.len().max(1));
    ws.autofilter(0, 0, last_row, col(last))?;
    for (k, kind) in FLAG_ORDER.iter().enumerate() {
        let c = col(flag_col + k);
        let cf = ConditionalFormatText::new()
            .set_rule(ConditionalFormatTextRule::Contains("да".into()))
            .set_format(Format::new().set_background_color(Color::RGB(flag_color(*kind))));
        ws.add_conditional_format(1, c, last_row, c, &cf)?;
    }
    let scale = cfg.oip.scale;
    let cf = ConditionalFormat3ColorScale::new()
        .set_minimum(ConditionalFormatType::Number, scale)
        .set_midpoint(ConditionalFormatType::Number, cfg.oip.program_threshold)
        .set_maximum(ConditionalFormatType::Number, scale * 5.0)
        .set_minimum_color(0xF8_69_6B)
        .set_midpoint_color(0xFF_EB_84)
        .set_maximum_color(0x63_BE_7B);
    ws.add_conditional_format(1, col(oip_col), last_row, col(isb_col - 1), &cf)?;
    Ok(())
}

fn program_list(wb: &mut Workbook, f: &Findings, k: FlagKind, st: &Styles) -> Result<()> {
    let ws = wb.add_worksheet_with_low_memory()?;
    ws.set_name(list_sheet(k))?;
    landscape(ws);
    ws.set_column_width(0, 6)?;
    ws.set_column_width(1, 45)?;
    ws.set_column_width(2, 70)?;
    ws.set_column_width(3, 28)?;
    ws.set_column_width(4, 18)?;
    let title = match k {
        FlagKind::Shnor => "Перечень школ с низкими образовательными результатами (ШНОР)",
        FlagKind::Shnsu => {
            "Перечень школ, функционирующих в неблагоприятных социальных условиях (ШНСУ)"
        }
        FlagKind::Risk => "Перечень школ зоны риска",
        FlagKind::Resilient => "Перечень резильентных школ",
    };
    ws.write_string_with_format(0, 0, format!("{title}, {} год", f.year), &st.title)?;
    let headers = [
        "№ п/п",
        "Полное наименование ОО",
        "Основание",
        "ФИО координатора",
        "Телефон",
    ]
    .map(String::from);
    header_row(ws, 1, &headers, st)?;
    ws.set_repeat_rows(1, 1)?;
    let list = format::by_name(f.schools.iter().filter(|s| s.flag(k).is_some()));
    if list.is_empty() {
        ws.write_string(2, 0, "Школ с этим признаком нет")?;
    }
    for (i, s) in list.iter().enumerate() {
        let r = row(i + 2);
        ws.write_number(r, 0, (i + 1) as f64)?;
        ws.write_string_with_format(r, 1, &s.school.name, &st.wrap)?;
        let basis = s.flag(k).map(|fl| fl.basis.as_str()).unwrap_or_default();
        ws.write_string_with_format(r, 2, basis, &st.wrap)?;
        text(ws, r, 3, s.school.coordinator.as_deref().unwrap_or(""))?;
        text(ws, r, 4, s.school.phone.as_deref().unwrap_or(""))?;
    }
    Ok(())
}

fn procedures(wb: &mut Workbook, f: &Findings, st: &Styles) -> Result<()> {
    let ws = wb.add_worksheet_with_low_memory()?;
    ws.set_name(SHEET_PROCEDURES)?;
    landscape(ws);
    let headers = [
        "Год",
        "Процедура",
        "Код школы",
        "Школа",
        "n",
        "Доля «2»",
        "Доля «3»",
        "Доля «4»",
        "Доля «5»",
        "Справляемость",
        "Качество",
        "Доля «2» / ниже минимума",
        "Средний балл",
        "Средняя отметка",
        "Изменение доли «2» за год, п.п.",
    ]
    .map(String::from);
    header_row(ws, 0, &headers, st)?;
    ws.set_row_height(0, 45)?;
    ws.set_freeze_panes(1, 0)?;
    ws.set_repeat_rows(0, 0)?;
    ws.set_column_width(1, 30)?;
    ws.set_column_width(3, 40)?;
    let names: std::collections::BTreeMap<&str, &str> = f
        .schools
        .iter()
        .map(|s| (s.school.id.as_str(), s.school.name.as_str()))
        .collect();
    let mut rows: Vec<&crate::measure::ProcStat> = f.proc_stats.iter().collect();
    // Municipality rows first, then schools by name; procedures and years in order.
    rows.sort_by(|a, b| {
        let key = |p: &crate::measure::ProcStat| {
            let name = p
                .school
                .as_deref()
                .map(|id| names.get(id).copied().unwrap_or(id).to_lowercase());
            (p.school.is_some(), name, p.procedure.clone(), p.year)
        };
        key(a).cmp(&key(b))
    });
    let signed = Format::new().set_num_format("+0.0;-0.0;0.0");
    for (i, p) in rows.iter().enumerate() {
        let r = row(i + 1);
        ws.write_number(r, 0, f64::from(p.year))?;
        ws.write_string(r, 1, p.procedure.to_string())?;
        match &p.school {
            Some(id) => {
                ws.write_string(r, 2, id)?;
                text(ws, r, 3, names.get(id.as_str()).copied().unwrap_or(""))?;
            }
            None => {
                ws.write_string_with_format(r, 3, "Муниципалитет (все школы)", &st.bold)?;
            }
        }
        ws.write_number(r, 4, f64::from(p.n))?;
        if let Some(m) = p.mark_shares {
            for (k, v) in m.iter().enumerate() {
                num(ws, r, col(5 + k), Some(*v), &st.pct)?;
            }
        }
        num(ws, r, 9, p.pass_rate, &st.pct)?;
        num(ws, r, 10, p.quality, &st.pct)?;
        num(ws, r, 11, p.fail_share, &st.pct)?;
        num(ws, r, 12, p.mean_score, &st.one)?;
        num(
            ws,
            r,
            13,
            p.mean_mark,
            &Format::new().set_num_format("0.00"),
        )?;
        num(ws, r, 14, p.fail_change_pp, &signed)?;
    }
    ws.autofilter(0, 0, row(rows.len().max(1)), 14)?;
    Ok(())
}

fn quality(wb: &mut Workbook, ds: &Dataset, st: &Styles) -> Result<()> {
    let ws = wb.add_worksheet_with_low_memory()?;
    ws.set_name(SHEET_QUALITY)?;
    landscape(ws);
    for (c, w) in [
        (0, 16),
        (1, 30),
        (2, 16),
        (3, 8),
        (4, 20),
        (5, 18),
        (6, 70),
        (7, 10),
    ] {
        ws.set_column_width(c, w)?;
    }
    let mut issues: Vec<&crate::model::Issue> = ds.issues.iter().collect();
    // Rejected rows first: they changed the numbers.
    issues.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.origin.cmp(&b.origin))
    });
    let headers = [
        "Важность",
        "Файл",
        "Лист",
        "Строка",
        "Столбец",
        "Значение",
        "Что не так",
    ]
    .map(String::from);
    header_row(ws, 0, &headers, st)?;
    ws.set_freeze_panes(1, 0)?;
    let mut r = 1u32;
    if issues.is_empty() {
        ws.write_string(r, 0, "Замечаний нет: все строки приняты")?;
        r += 1;
    }
    for i in &issues {
        let sev = match i.severity {
            Severity::Rejected => "отклонено",
            Severity::Warning => "предупреждение",
        };
        ws.write_string(r, 0, sev)?;
        ws.write_string(r, 1, &i.origin.file)?;
        text(ws, r, 2, i.origin.sheet.as_deref().unwrap_or(""))?;
        if i.origin.row > 0 {
            ws.write_number(r, 3, i.origin.row as f64)?;
        }
        text(ws, r, 4, i.column.as_deref().unwrap_or(""))?;
        text(ws, r, 5, i.value.as_deref().unwrap_or(""))?;
        ws.write_string_with_format(r, 6, &i.message, &st.wrap)?;
        r += 1;
    }
    r += 1;
    ws.write_string_with_format(r, 0, "Входные файлы", &st.bold)?;
    r += 1;
    let headers = [
        "Файл",
        "Лист",
        "Вид данных",
        "Год",
        "Процедура",
        "Принято строк",
        "Отклонено строк",
        "Школ",
    ]
    .map(String::from);
    header_row(ws, r, &headers, st)?;
    r += 1;
    for file in &ds.files {
        if file.tables.is_empty() {
            ws.write_string(r, 0, &file.path)?;
            ws.write_string(r, 2, "не распознан")?;
            r += 1;
        }
        for t in &file.tables {
            ws.write_string(r, 0, &file.path)?;
            text(ws, r, 1, t.sheet.as_deref().unwrap_or(""))?;
            text(ws, r, 2, t.kind.map_or("не распознан", |k| k.label()))?;
            num(ws, r, 3, t.year.map(f64::from), &st.int)?;
            text(ws, r, 4, t.procedure.as_deref().unwrap_or(""))?;
            ws.write_number(r, 5, t.rows_accepted as f64)?;
            ws.write_number(r, 6, t.rows_rejected as f64)?;
            ws.write_number(r, 7, t.schools as f64)?;
            r += 1;
        }
    }
    Ok(())
}

/// The methodology as the analyst would explain it, with the configured numbers.
pub fn methodology_lines(f: &Findings, cfg: &Config) -> Vec<(String, String)> {
    let t = format::trim;
    let mut v: Vec<(String, String)> = Vec::new();
    let mut add = |a: &str, b: String| v.push((a.to_string(), b));
    add("Версия shnor", env!("CARGO_PKG_VERSION").to_string());
    add("Год выявления", f.year.to_string());
    add(
        "Оцениваемые годы",
        f.years
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
    );
    add(
        "Кластеры",
        format!(
            "Кластер берётся из реестра школ или из настроек; иначе — тип поселения × уровень школы \
             (ООШ / СОШ / гимназия, лицей, УИОП / специальная). Кластер меньше {} школ объединяется \
             с кластером своего типа поселения, затем со всем муниципалитетом. Почему школа в своём \
             кластере — см. `shnor explain`.",
            cfg.clusters.min_size
        ),
    );
    add("Показатели", "код — название — вид — вес".into());
    for s in &cfg.indicators {
        let kind = match s.source.kind() {
            IndicatorKind::Mean => "среднее: баллы по отношению школа / кластер",
            IndicatorKind::Share => "доля: баллы по разности школа − кластер, п.п.",
        };
        add(
            "",
            format!("{} — {} — {kind} — вес {}", s.id, s.name, t(s.weight)),
        );
    }
    add(
        "Малые школы",
        format!(
            "Показатель надёжен при n ≥ {}. При меньшем n (но больше нуля) добавляются предыдущие \
             годы по одному, всего не более {} лет, со взвешиванием по числу участников («объединено \
             за N лет»). Если n всё ещё меньше {}, значение показано, но в баллы не входит.",
            cfg.general.min_n, cfg.general.pool_years, cfg.general.min_n
        ),
    );
    let rb = &cfg.points.ratio_bands;
    let pb = &cfg.points.pp_bands;
    add(
        "Баллы: средние",
        format!(
            "Отношение r = школа / кластер (значение кластера того же года, взвешенное по участникам): \
             r < {} → 1; {}–{} → 2; {}–{} → 3; {}–{} → 4; r ≥ {} → 5. Значение на границе относится к верхней полосе.",
            t(rb[0]),
            t(rb[0]),
            t(rb[1]),
            t(rb[1]),
            t(rb[2]),
            t(rb[2]),
            t(rb[3]),
            t(rb[3])
        ),
    );
    add(
        "Баллы: доли",
        format!(
            "Разность d = школа − кластер в процентных пунктах: d < {} → 1; {}…{} → 2; {}…{} → 3; {}…{} → 4; d ≥ {} → 5.",
            t(pb[0]),
            t(pb[0]),
            t(pb[1]),
            t(pb[1]),
            t(pb[2]),
            t(pb[2]),
            t(pb[3]),
            t(pb[3])
        ),
    );
    add(
        "ОИП",
        format!(
            "ОИП = {} × (Σ вес·баллы / Σ вес) по надёжным показателям школы; от {} до {}; школа на \
             уровне кластера по всем показателям получает {}. При менее чем {} надёжных показателях \
             ОИП не рассчитывается («недостаточно данных»).",
            t(cfg.oip.scale),
            t(cfg.oip.scale),
            t(cfg.oip.scale * 5.0),
            t(cfg.oip.scale * 3.0),
            cfg.oip.min_indicators
        ),
    );
    let weights: Vec<String> = cfg
        .isb
        .weights
        .iter()
        .map(|(k, w)| format!("{k} {}", t(*w)))
        .collect();
    let merged: Vec<String> = cfg
        .isb
        .merged
        .iter()
        .map(|(k, v)| format!("{k} = {}", v.join(" + ")))
        .collect();
    let threshold = match &cfg.isb.threshold {
        ThresholdSpec::Number(x) => format!("число {}", t(*x)),
        ThresholdSpec::Rule(r) => r.clone(),
    };
    let frozen = f
        .isb_threshold
        .as_ref()
        .map(|ft| {
            format!(
                "применено значение {} ({})",
                format::fixed(ft.value, 1),
                threshold_how(ft)
            )
        })
        .unwrap_or_else(|| "порог не определён (нет социальных паспортов)".into());
    add(
        "ИСБ",
        format!(
            "Каждая категория социального паспорта — доля обучающихся; категории риска входят как \
             100·(1 − доля), защитные ({}) — как 100·доля. ИСБ — взвешенное среднее по имеющимся \
             категориям, 0–100, выше — благополучнее. Веса: {}. Объединяемые категории (сумма, не \
             больше численности): {}. Порог: {threshold}; {frozen}.",
            cfg.isb.protective.join(", "),
            weights.join(", "),
            merged.join("; ")
        ),
    );
    let fr = &cfg.federal;
    let federal = if fr.enabled {
        format!(
            "или федеральное правило: в последнем году доля «2» (ниже минимума) ≥ {} хотя бы в {} \
             процедурах {} доля ≥ {} в одной и той же процедуре два года подряд (процедуры с n < {} \
             не оцениваются; ОГЭ/ЕГЭ {}).",
            format::percent(fr.fail_share, 0),
            fr.min_procedures,
            if fr.conjunction { "и" } else { "или" },
            format::percent(fr.fail_share, 0),
            fr.min_n,
            if fr.include_gia {
                "учитываются"
            } else {
                "не учитываются"
            }
        )
    } else {
        "федеральное правило отключено в настройках.".into()
    };
    add(
        "ШНОР",
        format!(
            "ОИП ниже порога ШНОР {} не менее чем в {} из {} последних лет; {federal}",
            t(cfg.oip.shnor_bar),
            cfg.oip.min_low_years,
            cfg.oip.window
        ),
    );
    add(
        "ШНСУ",
        "ИСБ ниже порога в последнем году, за который есть социальный паспорт.".into(),
    );
    add(
        "Зона риска",
        format!(
            "Только не ШНОР: ОИП ниже {} лишь в последнем году; или ОИП снизился не менее чем на {} \
             за год до значения ниже {}; или доля «2» (ЕГЭ — ниже минимума) в процедуре выросла на \
             {} п.п. и больше и рост значим (двусторонний z-тест двух долей, уровень {}{}, процедуры \
             с n ≥ {} в оба года); или выполнено только первое условие федерального правила.",
            t(cfg.oip.shnor_bar),
            t(cfg.oip.drop_points),
            t(cfg.oip.program_threshold),
            t(cfg.risk.growth_pp),
            t(cfg.risk.alpha),
            if cfg.risk.bonferroni {
                ", с поправкой Бонферрони на число процедур школы"
            } else {
                ""
            },
            cfg.risk.min_n_test
        ),
    );
    add(
        "Резильентная",
        format!(
            "Только не ШНОР: ШНСУ и ОИП не ниже {} в последнем году.",
            t(cfg.oip.resilient_bar)
        ),
    );
    add(
        "Порог программы",
        format!(
            "ОИП {} — уровень кластера; доля школ с ОИП не ниже него — целевой показатель программы.",
            t(cfg.oip.program_threshold)
        ),
    );
    v
}

fn methodology(
    wb: &mut Workbook,
    f: &Findings,
    ds: &Dataset,
    cfg: &Config,
    st: &Styles,
) -> Result<()> {
    let ws = wb.add_worksheet_with_low_memory()?;
    ws.set_name(SHEET_METHOD)?;
    landscape(ws);
    ws.set_column_width(0, 34)?;
    ws.set_column_width(1, 110)?;
    ws.write_string_with_format(0, 0, "Методика расчёта", &st.title)?;
    let mut r = 2u32;
    for (a, b) in methodology_lines(f, cfg) {
        if !a.is_empty() {
            ws.write_string_with_format(r, 0, &a, &st.bold)?;
        }
        ws.write_string_with_format(r, 1, &b, &st.wrap)?;
        r += 1;
    }
    r += 1;
    ws.write_string_with_format(r, 0, "Входные файлы", &st.bold)?;
    ws.write_string_with_format(r, 1, "контрольная сумма SHA-256", &st.bold)?;
    r += 1;
    for file in &ds.files {
        ws.write_string(r, 0, &file.path)?;
        ws.write_string(r, 1, &file.sha256)?;
        r += 1;
    }
    r += 1;
    ws.write_string_with_format(r, 0, "Настройки (TOML)", &st.bold)?;
    ws.write_string(r, 1, "полная конфигурация запуска; сохраните в файл и передайте через --config, чтобы повторить расчёт")?;
    r += 1;
    let toml = toml::to_string_pretty(cfg)?;
    for line in toml.lines() {
        if !line.is_empty() {
            ws.write_string(r, 1, line)?;
        }
        r += 1;
    }
    Ok(())
}

/// A reference line of the scatter chart: name, two points, colour, dashed.
type Line = (String, [(f64, f64); 2], u32, bool);

fn charts(wb: &mut Workbook, f: &Findings, cfg: &Config, st: &Styles) -> Result<()> {
    let ws = wb.add_worksheet();
    ws.set_name(SHEET_CHARTS)?;
    landscape(ws);
    ws.write_string_with_format(0, 0, format!("Данные диаграмм ({} год)", f.year), &st.title)?;
    let headers = ["Код", "Школа", "ИСБ", &format!("ОИП {}", f.year)].map(String::from);
    header_row(ws, 1, &headers, st)?;
    ws.set_column_width(1, 30)?;
    let points: Vec<(&SchoolResult, f64, f64)> = format::by_name(f.schools.iter())
        .into_iter()
        .filter_map(|s| Some((s, s.isb.as_ref()?.value, s.oip_in(f.year)?)))
        .collect();
    for (i, (s, isb, oip)) in points.iter().enumerate() {
        let r = row(i + 2);
        ws.write_string(r, 0, &s.school.id)?;
        ws.write_string(r, 1, &s.school.name)?;
        ws.write_number_with_format(r, 2, *isb, &st.one)?;
        ws.write_number_with_format(r, 3, *oip, &st.one)?;
    }

    // Lines as two-point scatter series (F:H): the quadrants are the typology.
    let y_min = cfg.oip.scale;
    let y_max = cfg.oip.scale * 5.0;
    let mut xs: Vec<f64> = points.iter().map(|p| p.1).collect();
    if let Some(t) = &f.isb_threshold {
        xs.push(t.value);
    }
    let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (x_min, x_max) = if lo.is_finite() {
        let a = (lo / 5.0).floor() * 5.0;
        let b = ((hi / 5.0).ceil() * 5.0).max(a + 5.0);
        (a.max(0.0), b.min(100.0).max(a + 5.0))
    } else {
        (0.0, 100.0)
    };
    for (c, h) in ["Линия", "X (ИСБ)", "Y (ОИП)"].iter().enumerate() {
        ws.write_string_with_format(1, col(5 + c), *h, &st.header)?;
    }
    let mut lines: Vec<Line> = Vec::new();
    if let Some(t) = &f.isb_threshold {
        lines.push((
            format!("Порог ИСБ {}", format::fixed(t.value, 1)),
            [(t.value, y_min), (t.value, y_max)],
            0x1F_4E_79,
            false,
        ));
    }
    lines.push((
        format!("Порог ШНОР {}", format::trim(cfg.oip.shnor_bar)),
        [(x_min, cfg.oip.shnor_bar), (x_max, cfg.oip.shnor_bar)],
        0xC0_00_00,
        false,
    ));
    lines.push((
        format!(
            "Порог программы {}",
            format::trim(cfg.oip.program_threshold)
        ),
        [
            (x_min, cfg.oip.program_threshold),
            (x_max, cfg.oip.program_threshold),
        ],
        0x38_76_1D,
        true,
    ));
    for (i, (name, pts, _, _)) in lines.iter().enumerate() {
        for (k, (x, y)) in pts.iter().enumerate() {
            let r = row(2 + 2 * i + k);
            ws.write_string(r, 5, name)?;
            ws.write_number(r, 6, *x)?;
            ws.write_number(r, 7, *y)?;
        }
    }

    // Mean ОИП per cluster (J:L).
    for (c, h) in ["Кластер", "Школ с ОИП", &format!("Средний ОИП {}", f.year)]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(1, col(9 + c), *h, &st.header)?;
    }
    ws.set_column_width(9, 24)?;
    let mut cluster_rows = 0usize;
    for c in &f.clusters {
        let vals: Vec<f64> = f
            .schools
            .iter()
            .filter(|s| s.cluster == c.name)
            .filter_map(|s| s.oip_in(f.year))
            .collect();
        if vals.is_empty() {
            continue;
        }
        let r = row(2 + cluster_rows);
        ws.write_string(r, 9, &c.name)?;
        ws.write_number(r, 10, vals.len() as f64)?;
        ws.write_number_with_format(r, 11, vals.iter().sum::<f64>() / vals.len() as f64, &st.one)?;
        cluster_rows += 1;
    }

    if points.is_empty() {
        ws.write_string(
            row(2),
            13,
            "Нет школ, у которых есть и ОИП, и ИСБ: диаграмма ОИП × ИСБ не построена",
        )?;
    } else {
        let mut ch = Chart::new(ChartType::Scatter);
        let last = row(points.len() + 1);
        ch.add_series()
            .set_name("Школы")
            .set_categories((SHEET_CHARTS, 2, 2, last, 2))
            .set_values((SHEET_CHARTS, 2, 3, last, 3))
            .set_marker(
                ChartMarker::new()
                    .set_type(ChartMarkerType::Circle)
                    .set_size(6),
            );
        for (i, (name, _, color, dashed)) in lines.iter().enumerate() {
            let r0 = row(2 + 2 * i);
            let mut line = ChartLine::new();
            line.set_color(Color::RGB(*color)).set_width(1.5);
            if *dashed {
                line.set_dash_type(ChartLineDashType::Dash);
            }
            ch.add_series()
                .set_name(name.as_str())
                .set_categories((SHEET_CHARTS, r0, 6, r0 + 1, 6))
                .set_values((SHEET_CHARTS, r0, 7, r0 + 1, 7))
                .set_format(ChartFormat::new().set_line(&line))
                .set_marker(ChartMarker::new().set_none());
        }
        ch.title().set_name(&format!("ОИП × ИСБ, {} год", f.year));
        ch.x_axis()
            .set_name("ИСБ (выше — благополучнее)")
            .set_min(x_min)
            .set_max(x_max);
        ch.y_axis().set_name("ОИП").set_min(y_min).set_max(y_max);
        ch.set_width(720).set_height(460);
        ws.insert_chart(1, 13, &ch)?;
    }
    if cluster_rows > 0 {
        let last = row(cluster_rows + 1);
        let mut ch = Chart::new(ChartType::Column);
        ch.add_series()
            .set_name(format!("Средний ОИП {}", f.year).as_str())
            .set_categories((SHEET_CHARTS, 2, 9, last, 9))
            .set_values((SHEET_CHARTS, 2, 11, last, 11))
            .set_format(
                ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(0x5B_9B_D5)),
            );
        ch.title()
            .set_name(&format!("Средний ОИП школ по кластерам, {} год", f.year));
        ch.y_axis().set_name("ОИП").set_min(0.0).set_max(y_max);
        ch.legend().set_hidden();
        ch.set_width(720).set_height(360);
        ws.insert_chart(25, 13, &ch)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testdata;
    use calamine::{Data, Reader, Xlsx, open_workbook};

    fn cell_text(d: &Data) -> String {
        match d {
            Data::String(s) => s.clone(),
            Data::Float(x) => x.to_string(),
            Data::Int(x) => x.to_string(),
            Data::Empty => String::new(),
            other => format!("{other:?}"),
        }
    }

    fn sheet(path: &std::path::Path, name: &str) -> Vec<Vec<Data>> {
        let mut wb: Xlsx<_> = open_workbook(path).unwrap();
        let r = wb.worksheet_range(name).unwrap();
        r.rows().map(<[Data]>::to_vec).collect()
    }

    fn write(cfg: &Config) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("identify-2025.xlsx");
        let bytes = render(&testdata::findings(), &testdata::dataset(), cfg).unwrap();
        std::fs::write(&p, bytes).unwrap();
        (dir, p)
    }

    #[test]
    fn sheet_names_in_order() {
        let (_d, p) = write(&Config::default());
        let wb: Xlsx<_> = open_workbook(&p).unwrap();
        assert_eq!(
            wb.sheet_names(),
            [
                "Сводка",
                "Рейтинг",
                "ШНОР",
                "ШНСУ",
                "Зона риска",
                "Резильентные",
                "Показатели по процедурам",
                "Качество данных",
                "Методика",
                "Диаграммы"
            ]
        );
    }

    #[test]
    fn rating_matches_findings() {
        let cfg = Config::default();
        let (_d, p) = write(&cfg);
        let rows = sheet(&p, "Рейтинг");
        let hdr: Vec<String> = rows[0].iter().map(cell_text).collect();
        assert_eq!(
            &hdr[..5],
            ["№", "Код", "Наименование", "Муниципалитет", "Кластер"]
        );
        // 7 default indicators × (value, n, points) after the five identity columns.
        assert_eq!(hdr[5], "Средняя отметка ВПР (2025)");
        assert_eq!(hdr[6], "vpr: n");
        assert_eq!(hdr[7], "vpr: баллы");
        assert_eq!(hdr[5 + 21], "Примечание");
        let at = |h: &str| hdr.iter().position(|x| x == h).unwrap();
        for h in [
            "ОИП 2024",
            "ОИП 2025",
            "ИСБ",
            "Место в кластере",
            "ШНОР",
            "ШНСУ",
            "Зона риска",
            "Резильентная",
            "Основание",
        ] {
            at(h);
        }
        assert_eq!(rows.len(), 5, "header + 4 schools");
        let find = |id: &str| rows.iter().find(|r| cell_text(&r[1]) == id).unwrap();
        let f = testdata::findings();
        for s in &f.schools {
            let r = find(&s.school.id);
            assert_eq!(cell_text(&r[2]), s.school.name);
            for (y, h) in [(2024, "ОИП 2024"), (2025, "ОИП 2025")] {
                match s.oip_in(y) {
                    Some(v) => assert_eq!(r[at(h)], Data::Float(v), "{} {h}", s.school.id),
                    None => assert_eq!(r[at(h)], Data::Empty),
                }
            }
            match &s.isb {
                Some(i) => assert_eq!(r[at("ИСБ")], Data::Float(i.value)),
                None => assert_eq!(r[at("ИСБ")], Data::Empty),
            }
            for (k, h) in [
                (FlagKind::Shnor, "ШНОР"),
                (FlagKind::Shnsu, "ШНСУ"),
                (FlagKind::Risk, "Зона риска"),
                (FlagKind::Resilient, "Резильентная"),
            ] {
                let want = if s.flag(k).is_some() { "да" } else { "" };
                assert_eq!(cell_text(&r[at(h)]), want, "{} {h}", s.school.id);
            }
        }
        // School 01: vpr 3,1 over 110 works, 1 point; retention n = 4 is flagged in the note.
        let r = find("01");
        assert_eq!(r[5], Data::Float(3.1));
        assert_eq!(r[6], Data::Float(110.0));
        assert_eq!(r[7], Data::Float(1.0));
        let note = cell_text(&r[at("Примечание")]);
        assert!(
            note.contains("retention: мало данных: n = 4 < 10"),
            "{note}"
        );
        // School 02: oge_ma pooled over 2 years.
        let note = cell_text(&find("02")[at("Примечание")]);
        assert!(
            note.contains("oge_ma: объединено за 2 года (n = 12)"),
            "{note}"
        );
        // School 04: no ОИП in 2025, two reliable indicators.
        let note = cell_text(&find("04")[at("Примечание")]);
        assert!(
            note.contains("недостаточно данных (надёжных показателей 2 < 3)"),
            "{note}"
        );
    }

    #[test]
    fn program_lists_hold_exactly_the_flagged_schools() {
        let (_d, p) = write(&Config::default());
        let f = testdata::findings();
        for k in FLAG_ORDER {
            let rows = sheet(&p, list_sheet(k));
            let hdr: Vec<String> = rows[1].iter().map(cell_text).collect();
            assert_eq!(
                hdr,
                [
                    "№ п/п",
                    "Полное наименование ОО",
                    "Основание",
                    "ФИО координатора",
                    "Телефон"
                ]
            );
            let got: Vec<(String, String)> = rows[2..]
                .iter()
                .filter(|r| matches!(r[0], Data::Float(_)))
                .map(|r| (cell_text(&r[1]), cell_text(&r[2])))
                .collect();
            let want: Vec<(String, String)> = format::by_name(f.schools.iter())
                .into_iter()
                .filter_map(|s| {
                    s.flag(k)
                        .map(|fl| (s.school.name.clone(), fl.basis.clone()))
                })
                .collect();
            assert_eq!(got, want, "{}", list_sheet(k));
        }
        let rows = sheet(&p, "ШНОР");
        assert_eq!(cell_text(&rows[2][1]), "МБОУ СОШ № 1");
        assert_eq!(cell_text(&rows[2][3]), "Координатор 01");
        assert_eq!(cell_text(&rows[2][4]), "+7 900 000-00-01");
        // Зона риска: school 03 has no coordinator or phone → blank.
        let rows = sheet(&p, "Зона риска");
        assert_eq!(cell_text(&rows[2][1]), "МКОУ Ивановская ООШ");
        assert_eq!(rows[2].get(3).map(cell_text).unwrap_or_default(), "");
    }

    #[test]
    fn methodology_shows_checksums_and_configured_numbers() {
        let mut cfg = Config::default();
        cfg.oip.shnor_bar = 13.5;
        cfg.general.min_n = 12;
        let (_d, p) = write(&cfg);
        let text: Vec<String> = sheet(&p, "Методика")
            .iter()
            .flat_map(|r| r.iter().map(cell_text))
            .collect();
        let all = text.join("\n");
        assert!(all.contains(testdata::SHA));
        assert!(all.contains("выгрузки/впр_2025.xlsx"));
        assert!(
            all.contains("ОИП ниже порога ШНОР 13,5 не менее чем в 2 из 3 последних лет"),
            "{all}"
        );
        assert!(all.contains("Показатель надёжен при n ≥ 12"));
        assert!(all.contains("порог программы") || all.contains("ОИП 21 — уровень кластера"));
        assert!(all.contains("применено значение 60,0"));
        assert!(all.contains(env!("CARGO_PKG_VERSION")));
        // The TOML lines of the configuration, e.g. the changed bar.
        assert!(text.iter().any(|l| l == "shnor_bar = 13.5"), "TOML line");
    }

    #[test]
    fn summary_procedures_and_quality() {
        let (_d, p) = write(&Config::default());
        let rows = sheet(&p, "Сводка");
        let line = |label: &str| {
            rows.iter()
                .find(|r| cell_text(&r[0]) == label)
                .unwrap()
                .clone()
        };
        assert_eq!(line("Число школ")[1], Data::Float(4.0));
        // 1 of 4 schools is ШНОР → 25 %.
        let r = line("ШНОР: школ");
        assert_eq!(
            (r[1].clone(), r[2].clone()),
            (Data::Float(1.0), Data::Float(0.25))
        );
        // ОИП ≥ 21 in 2025: only school 02 (28,0) → 1 of 4.
        assert_eq!(
            line("ОИП не ниже порога программы 21 в 2025 г.")[1],
            Data::Float(1.0)
        );
        // ИСБ ≥ 60: schools 01 (72,5) and 03 (61,0) → 2.
        assert_eq!(line("ИСБ не ниже порога 60,0")[1], Data::Float(2.0));
        // Below the bar 14: 2024 — school 01 (12,6); 2025 — 01 (10,0) and 03 (13,5).
        assert_eq!(line("ОИП ниже порога ШНОР: 2024 г.")[1], Data::Float(1.0));
        assert_eq!(line("ОИП ниже порога ШНОР: 2025 г.")[1], Data::Float(2.0));
        let r = line("ОИП опустился ниже порога ШНОР 14: школ");
        assert_eq!(r[1], Data::Float(1.0));
        assert!(cell_text(&r[3]).contains("МКОУ Ивановская ООШ (18,0 → 13,5)"));
        assert_eq!(
            line("Отклонено строк (не учтены в расчёте)")[1],
            Data::Float(1.0)
        );

        let rows = sheet(&p, "Показатели по процедурам");
        assert_eq!(
            cell_text(&rows[1][3]),
            "Муниципалитет (все школы)",
            "municipality first"
        );
        assert_eq!(cell_text(&rows[2][2]), "01");
        assert_eq!(rows[2][11], Data::Float(0.34));

        let rows = sheet(&p, "Качество данных");
        assert_eq!(cell_text(&rows[1][0]), "отклонено", "rejected first");
        assert_eq!(rows[1][3], Data::Float(17.0));
        assert_eq!(cell_text(&rows[1][5]), "7");
        assert_eq!(cell_text(&rows[2][0]), "предупреждение");
        let files = rows
            .iter()
            .find(|r| cell_text(&r[0]) == "выгрузки/впр_2025.xlsx")
            .unwrap();
        assert_eq!(files[5], Data::Float(412.0));
    }

    #[test]
    fn chart_data_has_threshold_lines() {
        let (_d, p) = write(&Config::default());
        let rows = sheet(&p, "Диаграммы");
        // Schools with both ОИП 2025 and ИСБ: 01, 02, 03 (04 has no ОИП).
        let ids: Vec<String> = rows[2..]
            .iter()
            .map(|r| cell_text(&r[0]))
            .filter(|s| !s.is_empty())
            .collect();
        assert_eq!(ids, ["02", "01", "03"], "sorted by name: Г < МБ < МК");
        // ИСБ threshold line at x = 60 from y = 7 to 35.
        assert_eq!(
            (rows[2][6].clone(), rows[2][7].clone()),
            (Data::Float(60.0), Data::Float(7.0))
        );
        assert_eq!(
            (rows[3][6].clone(), rows[3][7].clone()),
            (Data::Float(60.0), Data::Float(35.0))
        );
        // ШНОР bar at y = 14 from x = 55 to 75 (ИСБ 55…72,5 rounded out to 5).
        assert_eq!(
            (rows[4][6].clone(), rows[4][7].clone()),
            (Data::Float(55.0), Data::Float(14.0))
        );
        assert_eq!(
            (rows[5][6].clone(), rows[5][7].clone()),
            (Data::Float(75.0), Data::Float(14.0))
        );
        let bytes = std::fs::read(&p).unwrap();
        // Two charts in the package.
        let names = String::from_utf8_lossy(&bytes);
        assert!(names.contains("xl/charts/chart1.xml") && names.contains("xl/charts/chart2.xml"));
    }

    #[test]
    fn same_input_same_bytes() {
        let f = testdata::findings();
        let ds = testdata::dataset();
        let cfg = Config::default();
        assert_eq!(
            render(&f, &ds, &cfg).unwrap(),
            render(&f, &ds, &cfg).unwrap()
        );
    }
}
