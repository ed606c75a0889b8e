//! `progress-<date>.xlsx`: the mid-year monitoring report in Russian (docs/method.md §5). Сводка —
//! the program's targets with traffic-light fills; Школы — every comparison per school;
//! Динамика — ОИП and indicator points over the years with the interim point, a chart per
//! flagged school; Флаги — entered, left, kept; Рекомендации — editable; Методика.

use super::ProgressReport;
use crate::config::Config;
use crate::judge::progress::{ChangeStatus, Movement, TargetStatus, Unit};
use crate::judge::{Findings, FlagKind, SchoolResult};
use crate::model::Population;
use crate::report::format;
use crate::report::sheet::{self, Names, Styles, header_row, num, widths};
use anyhow::Result;
use rust_xlsxwriter::{
    Chart, ChartMarker, ChartType, Color, Format, FormatAlign, Workbook, Worksheet,
};
use std::collections::HashSet;

const SHEET_SUMMARY: &str = "Сводка";
const SHEET_SCHOOLS: &str = "Школы";
const SHEET_DYNAMICS: &str = "Динамика";
const SHEET_FLAGS: &str = "Флаги";
const SHEET_RECS: &str = "Рекомендации";
const SHEET_METHOD: &str = "Методика";

/// Headings of the Школы, Флаги and Рекомендации sheets.
const SCHOOLS_HEADERS: [&str; 14] = [
    "Код ОО",
    "Школа",
    "Показатель",
    "Год базы",
    "База",
    "n (база)",
    "Промежуточно",
    "n",
    "Изменение",
    "p",
    "Статус",
    "Пояснение",
    "Интервал базы",
    "Интервал сейчас",
];

const FLAGS_HEADERS: [&str; 6] = [
    "Код ОО",
    "Школа",
    "Признак",
    "Движение",
    "Основание (промежуточные данные)",
    "Основание в базовом снимке",
];

const RECS_HEADERS: [&str; 10] = [
    "Код ОО",
    "Школа",
    "Признаки",
    "Слабый показатель",
    "Значение",
    "Возможный дефицит (профиль рисков)",
    "Рекомендуемые меры",
    "Ответственный",
    "Срок",
    "Отметка о выполнении",
];

const GREEN: u32 = 0xC6_EF_CE;
const YELLOW: u32 = 0xFF_EB_9C;
const RED: u32 = 0xFF_C7_CE;
const GREY: u32 = 0xE7_E6_E6;

fn fill(color: u32) -> Format {
    Format::new()
        .set_background_color(Color::RGB(color))
        .set_text_wrap()
        .set_align(FormatAlign::Top)
}

fn target_color(s: TargetStatus) -> u32 {
    match s {
        TargetStatus::Achieved => GREEN,
        TargetStatus::Within => YELLOW,
        TargetStatus::NotAchieved => RED,
        TargetStatus::NoPlan | TargetStatus::NoActual => GREY,
    }
}

fn change_color(s: ChangeStatus) -> Option<u32> {
    match s {
        ChangeStatus::Improved => Some(GREEN),
        ChangeStatus::Worsened => Some(RED),
        ChangeStatus::NoData => Some(GREY),
        _ => None,
    }
}

/// Код ОО and the school's name in columns A:B.
fn school_cells(ws: &mut Worksheet, row: u32, id: &str, nm: &Names) -> Result<()> {
    crate::report::sheet::put(ws, row, 0, id)?;
    crate::report::sheet::put(ws, row, 1, sheet::name_of(nm, id))?;
    Ok(())
}

/// The number format of a value in its unit: a share as a percentage, a mean mark with two
/// decimals, ОИП points with one.
fn value_format(unit: Unit) -> Format {
    let f = match unit {
        Unit::Share => "0.0%",
        Unit::Mean => "0.00",
        Unit::Points => "0.0",
    };
    Format::new().set_num_format(f).set_align(FormatAlign::Top)
}

/// The number format of a change: a share's in percentage points (the cell holds points,
/// not a fraction), the others signed in their unit.
fn change_format(unit: Unit) -> Format {
    let f = match unit {
        Unit::Share => "+0.0\" п.п.\";-0.0\" п.п.\";0.0\" п.п.\"",
        Unit::Mean => "+0.00;-0.00;0.00",
        Unit::Points => "+0.0;-0.0;0.0",
    };
    Format::new().set_num_format(f).set_align(FormatAlign::Top)
}

/// A change as stored: a share's in percentage points.
fn change_value(unit: Unit, v: f64) -> f64 {
    match unit {
        Unit::Share => v * 100.0,
        Unit::Mean | Unit::Points => v,
    }
}

fn summary(
    wb: &mut Workbook,
    r: &ProgressReport,
    f: &Findings,
    cfg: &Config,
    st: &Styles,
) -> Result<()> {
    let pf = &r.findings;
    let ws = sheet::named(wb, SHEET_SUMMARY)?;
    sheet::print_setup(ws, st);
    widths(ws, &[(0, 48), (2, 16), (8, 18), (9, 30), (10, 60)])?;
    crate::report::sheet::put_with(
        ws,
        0,
        0,
        format!(
            "Промежуточный мониторинг {}/{} учебного года (на {})",
            pf.year - 1,
            pf.year % 100,
            format::ru_date(&r.date)
        ),
        &st.title,
    )?;
    crate::report::sheet::put(
        ws,
        1,
        0,
        format!(
            "Базовый снимок: {} ({} год, shnor {}). Программа: {}.",
            r.baseline.path,
            r.baseline.year,
            r.baseline.shnor_version,
            crate::read::schools(pf.program.len())
        ),
    )?;
    let mut row = 3u32;
    header_row(
        ws,
        row,
        &["Признак", "Было в снимке", "Вошли", "Вышли", "Сейчас"],
        st,
    )?;
    for (k, c) in super::list_counts(r, f) {
        row += 1;
        crate::report::sheet::put(ws, row, 0, k.label())?;
        for (col, n) in [(1, c.before), (2, c.entered), (3, c.left), (4, c.now)] {
            crate::report::sheet::number(ws, row, col, n as f64)?;
        }
    }
    row += 2;
    crate::report::sheet::put_with(ws, row, 0, "Целевые показатели программы", &st.bold)?;
    row += 1;
    let plan_h = format!("План {}", pf.year);
    header_row(
        ws,
        row,
        &[
            "Показатель",
            "Единица",
            "Совокупность",
            "Школ",
            "База",
            &plan_h,
            "Факт",
            "% плана",
            "Статус",
            "Откуда факт",
            "Пояснение",
        ],
        st,
    )?;
    for t in &pf.targets {
        row += 1;
        let f_st = fill(target_color(t.status));
        crate::report::sheet::put_with(ws, row, 0, &t.name, &st.wrap)?;
        crate::report::sheet::put(ws, row, 1, t.unit.as_deref().unwrap_or(""))?;
        crate::report::sheet::put(
            ws,
            row,
            2,
            match t.population {
                Population::Program => "школы программы",
                Population::All => "все школы",
            },
        )?;
        crate::report::sheet::number(ws, row, 3, t.schools as f64)?;
        for (c, v) in [(4u16, t.base), (5, t.plan), (6, t.actual)] {
            num(ws, row, c, v, &st.one)?;
        }
        num(ws, row, 7, t.percent_of_plan.map(|p| p / 100.0), &st.pct)?;
        crate::report::sheet::put_with(
            ws,
            row,
            8,
            t.status.label(cfg.progress.target_tolerance),
            &f_st,
        )?;
        let source = super::earlier_fact(t).unwrap_or_else(|| t.source.label().to_string());
        crate::report::sheet::put_with(ws, row, 9, source, &st.wrap)?;
        crate::report::sheet::put_with(ws, row, 10, &t.note, &st.wrap)?;
    }
    if pf.targets.is_empty() {
        row += 1;
        crate::report::sheet::put(
            ws,
            row,
            0,
            "Таблица целевых показателей не передана (--targets) или пуста: шаблон — shnor template",
        )?;
    }
    if !r.notes.is_empty() {
        row += 2;
        crate::report::sheet::put_with(ws, row, 0, "Замечания", &st.bold)?;
        for n in &r.notes {
            row += 1;
            crate::report::sheet::put(ws, row, 0, n)?;
        }
    }
    Ok(())
}

/// «12,0–18,3 %» for a share, «3,02–3,38» for a mean.
fn interval_text(unit: Unit, lo: f64, hi: f64) -> String {
    use crate::report::format::fixed;
    match unit {
        Unit::Share => format!("{}–{} %", fixed(lo * 100.0, 1), fixed(hi * 100.0, 1)),
        _ => format!("{}–{}", fixed(lo, 2), fixed(hi, 2)),
    }
}

/// `max_rows`: the sheet's rows (Excel's limit; smaller in tests). A country with more
/// comparisons than fit gets the first ones and a last row saying where the rest are.
fn schools_sheet(
    wb: &mut Workbook,
    r: &ProgressReport,
    nm: &Names,
    st: &Styles,
    max_rows: usize,
) -> Result<()> {
    let ws = sheet::printable(
        wb,
        SHEET_SCHOOLS,
        &[(1, 28), (2, 36), (10, 22), (11, 70), (12, 14), (13, 14)],
        st,
    )?;
    header_row(ws, 0, &SCHOOLS_HEADERS, st)?;
    ws.set_repeat_rows(0, 0)?;
    // Built once, not per cell.
    let units = [Unit::Share, Unit::Mean, Unit::Points];
    let value_formats: Vec<Format> = units.iter().map(|u| value_format(*u)).collect();
    let change_formats: Vec<Format> = units.iter().map(|u| change_format(*u)).collect();
    let all = r.findings.changes.len();
    let shown = sheet::rows_that_fit(all, max_rows);
    for (i, c) in r.findings.changes.iter().take(shown).enumerate() {
        let row = sheet::row(i + 1);
        school_cells(ws, row, &c.school, nm)?;
        crate::report::sheet::put(ws, row, 2, &c.name)?;
        if let Some(y) = c.baseline_year {
            crate::report::sheet::number(ws, row, 3, f64::from(y))?;
        }
        let k = units.iter().position(|u| *u == c.unit).unwrap_or(0);
        let (vf, cf) = (&value_formats[k], &change_formats[k]);
        num(ws, row, 4, c.baseline, vf)?;
        if let Some(n) = c.n_baseline {
            crate::report::sheet::number(ws, row, 5, f64::from(n))?;
        }
        num(ws, row, 6, c.current, vf)?;
        if let Some(n) = c.n_current {
            crate::report::sheet::number(ws, row, 7, f64::from(n))?;
        }
        num(ws, row, 8, c.change.map(|v| change_value(c.unit, v)), cf)?;
        num(ws, row, 9, c.p_value, &st.three)?;
        match change_color(c.status) {
            Some(col) => crate::report::sheet::put_with(ws, row, 10, c.status.label(), &fill(col))?,
            None => crate::report::sheet::put(ws, row, 10, c.status.label())?,
        };
        crate::report::sheet::put(ws, row, 11, &c.note)?;
        for (col, iv) in [(12, c.baseline_interval), (13, c.current_interval)] {
            if let Some(text) = iv.map(|(lo, hi)| interval_text(c.unit, lo, hi)) {
                crate::report::sheet::put(ws, row, col, text)?;
            }
        }
    }
    if shown < all {
        let note = format!(
            "лист «{SHEET_SCHOOLS}»: строк сравнения {all}, на лист Excel помещается {shown}: \
             показаны первые {shown}, все строки — в CSV и JSON отчёта"
        );
        sheet::say_rows_cut(ws, shown, 0, note)?;
    }
    ws.set_freeze_panes(1, 3)?;
    ws.autofilter(0, 0, sheet::row(shown.max(1)), 13)?;
    Ok(())
}

/// Schools shown on the Динамика sheet: flagged in the baseline or entering a flag.
fn dynamic_schools<'a>(r: &ProgressReport, f: &'a Findings) -> Vec<&'a SchoolResult> {
    let entered: HashSet<&str> = r
        .findings
        .flags
        .iter()
        .filter(|c| c.movement == Movement::Entered)
        .map(|c| c.school.as_str())
        .collect();
    format::by_name(f.schools.iter().filter(|s| {
        [FlagKind::Shnor, FlagKind::Shnsu, FlagKind::Risk]
            .iter()
            .any(|k| s.flag(*k).is_some())
            || entered.contains(s.school.id.as_str())
    }))
}

/// Most schools the Динамика sheet draws a chart for. A region's program (2,000 schools:
/// ~800 flagged) gets its charts; a country's (16,000 at 40,000 schools) would be a workbook
/// no spreadsheet program opens, and its charts alone took ~0.8 GB to write. Above it every
/// school keeps its table and the sheet says why there are no charts.
const MAX_DYNAMICS_CHARTS: usize = 1000;

fn dynamics_sheet(
    wb: &mut Workbook,
    r: &ProgressReport,
    f: &Findings,
    cfg: &Config,
    st: &Styles,
    max_charts: usize,
) -> Result<()> {
    let specs: Vec<_> = cfg.indicators.iter().filter(|s| s.weight > 0.0).collect();
    let mut w = vec![(0, 14), (1, 8)];
    w.extend((0..specs.len()).map(|j| (sheet::col(2 + j), 14)));
    let ws = sheet::printable(wb, SHEET_DYNAMICS, &w, st)?;
    crate::report::sheet::put_with(
        ws,
        0,
        0,
        "ОИП (левая ось) и баллы показателей 1–5 (правая ось) по годам; последняя точка — промежуточная",
        &st.bold,
    )?;
    let mut top = 2u32;
    let mut breaks = Vec::new();
    let schools = dynamic_schools(r, f);
    let charts = schools.len() <= max_charts;
    if !charts {
        crate::report::sheet::put(
            ws,
            1,
            0,
            format!(
                "Школ с признаками — {}, больше {max_charts}: графики не построены (книга с \
                 тысячами графиков не открывается за разумное время). Таблица по годам — для \
                 каждой школы; график по её блоку можно построить в Excel: Вставка → Диаграмма.",
                schools.len()
            ),
        )?;
        top = 3;
    }
    let interim_of = r.findings.oip_by_school();
    if schools.is_empty() {
        crate::report::sheet::put(ws, 2, 0, "Школ с признаками нет")?;
    }
    for s in schools {
        let id = &s.school.id;
        crate::report::sheet::put_with(
            ws,
            top,
            0,
            format!("{} ({})", s.school.name, id),
            &st.bold,
        )?;
        let mut hs: Vec<String> = vec!["Год".into(), "ОИП".into()];
        hs.extend(specs.iter().map(|sp| sp.name.clone()));
        header_row(ws, top + 1, &hs, st)?;
        let interim = interim_of.get(id.as_str());
        let mut rr = top + 2;
        for y in &f.years {
            crate::report::sheet::put(ws, rr, 0, y.to_string())?;
            num(ws, rr, 1, s.oip_in(*y), &st.one)?;
            for (j, sp) in specs.iter().enumerate() {
                let p = format::indicator(s, *y, &sp.id).and_then(|i| i.points);
                num(ws, rr, sheet::col(2 + j), p.map(f64::from), &st.int)?;
            }
            rr += 1;
        }
        crate::report::sheet::put(ws, rr, 0, format!("{} (пром.)", r.findings.year))?;
        if let Some(o) = interim {
            num(ws, rr, 1, o.value, &st.one)?;
            for (j, sp) in specs.iter().enumerate() {
                let p = o.points.get(&sp.id).map(|p| f64::from(*p));
                num(ws, rr, sheet::col(2 + j), p, &st.int)?;
            }
        }
        if !charts {
            top = rr + 2;
            continue;
        }
        let (first, last) = (top + 2, rr);
        let mut ch = Chart::new(ChartType::Line);
        ch.add_series()
            .set_name("ОИП")
            .set_categories((SHEET_DYNAMICS, first, 0, last, 0))
            .set_values((SHEET_DYNAMICS, first, 1, last, 1))
            .set_marker(ChartMarker::new().set_automatic());
        for (j, sp) in specs.iter().enumerate() {
            ch.add_series()
                .set_name(sp.name.as_str())
                .set_categories((SHEET_DYNAMICS, first, 0, last, 0))
                .set_values((
                    SHEET_DYNAMICS,
                    first,
                    sheet::col(2 + j),
                    last,
                    sheet::col(2 + j),
                ))
                .set_secondary_axis(true)
                .set_marker(ChartMarker::new().set_automatic());
        }
        ch.title().set_name(&s.school.name);
        ch.y_axis().set_name("ОИП").set_min(7.0).set_max(35.0);
        ch.y2_axis().set_name("баллы").set_min(1.0).set_max(5.0);
        // Under the table, the legend below the plot: beside the table the long indicator
        // names took the chart's whole width and left the lines a strip.
        ch.legend()
            .set_position(rust_xlsxwriter::ChartLegendPosition::Bottom);
        ch.set_width(760).set_height(420);
        ws.insert_chart(rr + 2, 0, &ch)?;
        if top > 2 {
            breaks.push(top);
        }
        // 420 px are 21 default rows.
        top = rr + 2 + 23;
    }
    // One school's block and chart per printed page: a chart is never cut across pages.
    crate::report::sheet::page_breaks(ws, &breaks)?;
    Ok(())
}

fn flags_sheet(
    wb: &mut Workbook,
    r: &ProgressReport,
    f: &Findings,
    nm: &Names,
    st: &Styles,
) -> Result<()> {
    let ws = sheet::printable(wb, SHEET_FLAGS, &[(1, 28), (4, 70), (5, 60)], st)?;
    header_row(ws, 0, &FLAGS_HEADERS, st)?;
    let mut flags: Vec<_> = r.findings.flags.iter().collect();
    flags.sort_by(|a, b| (a.movement, &a.school, a.kind).cmp(&(b.movement, &b.school, b.kind)));
    let school_of = format::by_id(f);
    for (i, c) in flags.iter().enumerate() {
        let row = sheet::row(i + 1);
        school_cells(ws, row, &c.school, nm)?;
        crate::report::sheet::put(ws, row, 2, c.kind.label())?;
        let color = match c.movement {
            Movement::Entered => RED,
            Movement::Left => GREEN,
            Movement::Stays => GREY,
        };
        crate::report::sheet::put_with(ws, row, 3, c.movement.label(), &fill(color))?;
        crate::report::sheet::put_with(ws, row, 4, &c.basis, &st.wrap)?;
        let before = school_of
            .get(c.school.as_str())
            .and_then(|s| s.flag(c.kind))
            .map_or(String::new(), |fl| fl.basis.clone());
        crate::report::sheet::put_with(ws, row, 5, before, &st.wrap)?;
    }
    if flags.is_empty() {
        crate::report::sheet::put(
            ws,
            1,
            0,
            "Ни одна школа не вошла в признаки и не вышла из них",
        )?;
    }
    Ok(())
}

fn recs_sheet(wb: &mut Workbook, r: &ProgressReport, nm: &Names, st: &Styles) -> Result<()> {
    let ws = sheet::printable(
        wb,
        SHEET_RECS,
        &[
            (1, 28),
            (3, 34),
            (4, 34),
            (5, 50),
            (6, 60),
            (7, 20),
            (9, 20),
        ],
        st,
    )?;
    crate::report::sheet::put_with(
        ws,
        0,
        0,
        "Адресные рекомендации: слабые показатели → дефициты профиля рисков. Лист можно править: \
         дополните меры, ответственных и сроки.",
        &st.bold,
    )?;
    header_row(ws, 1, &RECS_HEADERS, st)?;
    for (i, rec) in r.findings.recommendations.iter().enumerate() {
        let row = sheet::row(i + 2);
        school_cells(ws, row, &rec.school, nm)?;
        crate::report::sheet::put(ws, row, 2, &rec.flags)?;
        crate::report::sheet::put_with(ws, row, 3, &rec.indicator, &st.wrap)?;
        crate::report::sheet::put_with(ws, row, 4, &rec.evidence, &st.wrap)?;
        let d: Vec<&str> = rec.deficits.iter().map(|d| d.label()).collect();
        crate::report::sheet::put_with(ws, row, 5, d.join("; "), &st.wrap)?;
        let a: Vec<&str> = rec.deficits.iter().map(|d| d.action()).collect();
        crate::report::sheet::put_with(ws, row, 6, a.join("; "), &st.wrap)?;
    }
    Ok(())
}

/// The lines of the Методика sheet.
fn methodology_lines(r: &ProgressReport, cfg: &Config) -> Vec<(String, String)> {
    let p = &cfg.progress;
    let t = format::trim;
    let mut v: Vec<(String, String)> = vec![
        ("Версия shnor".into(), env!("CARGO_PKG_VERSION").into()),
        (
            "Базовый снимок".into(),
            format!(
                "{} — {} год, записан shnor {}, формат {}",
                r.baseline.path, r.baseline.year, r.baseline.shnor_version, r.baseline.format_version
            ),
        ),
        (
            "База".into(),
            format!(
                "значение показателя школы за один {} год (год базового снимка), без объединения \
                 лет: промежуточные данные — тоже один год, и сравниваются одинаковые величины. \
                 В отчёте identify у малых школ показатель объединён за 2–3 года, поэтому на его \
                 листе «Показатели школ» значение может быть другим — там в примечании указано \
                 и значение за один год, равное этой базе",
                r.baseline.year
            ),
        ),
        (
            "Промежуточный год".into(),
            format!(
                "{} (данные {}/{} учебного года; более ранние в сравнение не берутся)",
                r.findings.year,
                r.findings.year - 1,
                r.findings.year % 100
            ),
        ),
        (
            "Значимость изменений".into(),
            format!(
                "Двусторонние критерии на уровне {} % (alpha = {}): доли (доля «2», справляемость, \
                 качество, участие в ВсОШ, сохранность) — z-критерий для двух долей с объединённой долей; \
                 средние — t-критерий Уэлча (степени свободы по Уэлчу–Саттертуэйту) по распределению \
                 отметок «2»–«5» (разброс баллов в выгрузках не приводится, поэтому значимость изменения \
                 среднего балла ОГЭ/ЕГЭ оценивается по отметкам того же предмета). «Улучшение» и \
                 «ухудшение» — только при значимом изменении; иначе «без изменений». При n < {} \
                 хотя бы в одном из сравниваемых значений — «мало данных для вывода».",
                t((1.0 - p.alpha) * 100.0),
                t(p.alpha),
                p.min_n
            ),
        ),
        (
            "Сопоставимость".into(),
            "Сравниваются одинаковые показатели: показатели ОИП, ИСБ и процедуры (экзамен, предмет, \
             класс). КДР без пары в снимке сравнивается с ВПР того же предмета и класса последнего \
             года снимка (отмечено в пояснении). Показатели без пары — «нет данных для сравнения»."
                .into(),
        ),
        (
            "ОИП на промежуточную дату".into(),
            "Баллы последнего года снимка, в которых показатели с новыми данными пересчитаны против \
             нового значения своего кластера (по школам кластера, у которых есть новые данные; \
             школа с n меньше минимального не пересчитывается — её балл остаётся из снимка); \
             кластеры, полосы баллов и пороги — из снимка. Без новых \
             данных промежуточный ОИП не считается и признаки не меняются. Вход в ШНОР по ОИП: \
             промежуточная точка считается новым годом ниже порога, только если новые данные дают \
             не меньше половины веса ОИП (иначе это прошлый год с поправкой)."
                .into(),
        ),
        (
            "Выход из признаков".into(),
            format!(
                "ШНОР по ОИП: ОИП не ниже порога ШНОР + {} и нет доли «2» ≥ порога федерального \
                 правила в двух и более работах; ШНОР по федеральному критерию: промежуточные работы \
                 не менее чем по стольким процедурам, сколько требует критерий, все с долей «2» ниже \
                 порога; зона риска: ОИП не ниже своего порога + {} (порог ШНОР или \
                 порог программы, если школа попала за падение ОИП), а попавшая по доле «2» — новые \
                 работы без доли «2» ≥ порога федерального правила и со значимым снижением доли «2» \
                 по процедуре, где она выросла; ШНСУ: ИСБ не ниже замороженного порога + {}. Запас исключает \
                 «мигание» у порога.",
                t(p.leave_margin),
                t(p.leave_margin),
                t(p.leave_margin_isb)
            ),
        ),
        (
            "Целевые показатели".into(),
            format!(
                "Факт вычисляется для ключей oip_program_share, isb_share, olymp_share, \
                 olymp_winners_share, pass_rate, vpr_pass, gia_pass, quality, vpr_quality, gia_quality, \
                 shnor_count, shnor_share (или по названию показателя); остальное берётся из столбца \
                 «Факт». % плана = факт / план (для показателей, которые должны снижаться, — план / \
                 факт). Статус: достигнуто; в пределах {} % (недобор не больше {} % плана); не \
                 достигнуто. Совокупность — школы программы (по умолчанию школы с признаками {} в \
                 снимке) или все школы: доля школ выше относительного порога по всем школам почти не \
                 может меняться.",
                t(p.target_tolerance * 100.0),
                t(p.target_tolerance * 100.0),
                p.program_flags.join(", ")
            ),
        ),
        (
            "Рекомендации".into(),
            "Показатели года снимка с 1–2 баллами, заметные категории социального паспорта и \
             значимые ухудшения сопоставлены с дефицитами профиля рисков: средняя отметка ВПР, баллы \
             ОГЭ/ЕГЭ, рост доли «2» → риски учебной неуспешности, предметная и методическая \
             компетентность педагогов (русский язык при детях-мигрантах — языковые барьеры); участие \
             в ВсОШ → учебная мотивация; сохранность контингента → мотивация, образовательная среда; \
             мигранты → языковые барьеры; родители без высшего образования, неполные семьи → \
             вовлечённость родителей; учёт, ПДН/КДН, СОП → воспитательная среда; ОВЗ → доля ОВЗ. \
             Кадры, система повышения квалификации и оснащение по выгрузкам не видны — проверить по \
             данным школы."
                .into(),
        ),
    ];
    for f in &r.files {
        v.push((
            "Входной файл".into(),
            format!("{} (SHA-256 {})", f.path, f.sha256),
        ));
    }
    let listed = sheet::ISSUES_LISTED;
    for i in r.issues.iter().take(listed) {
        v.push(("Замечание к данным".into(), i.to_string()));
    }
    if r.issues.len() > listed {
        let line = sheet::issues_not_listed(r.issues.len() - listed, listed);
        v.push(("Замечание к данным".into(), line));
    }
    v
}

fn method_sheet(wb: &mut Workbook, r: &ProgressReport, cfg: &Config, st: &Styles) -> Result<()> {
    let ws = sheet::named(wb, SHEET_METHOD)?;
    sheet::print_setup(ws, st);
    widths(ws, &[(0, 30), (1, 110)])?;
    let title = "Методика промежуточного мониторинга";
    sheet::method_lines(ws, title, &methodology_lines(r, cfg), st)?;
    Ok(())
}

/// Renders the workbook into memory. `cfg` carries the baseline's methodology and the
/// current `[progress]` settings.
///
/// # Errors
/// When rust_xlsxwriter fails.
pub(super) fn render(r: &ProgressReport, f: &Findings, cfg: &Config) -> Result<Vec<u8>> {
    render_with(r, f, cfg, MAX_DYNAMICS_CHARTS, sheet::EXCEL_ROWS)
}

/// [`render`] with the most charts the Динамика sheet draws and the rows of a sheet.
pub(super) fn render_with(
    r: &ProgressReport,
    f: &Findings,
    cfg: &Config,
    max_charts: usize,
    max_rows: usize,
) -> Result<Vec<u8>> {
    let mut wb = sheet::workbook(format!("Промежуточный мониторинг, {}", r.date))?;
    let st = Styles::new(
        &format!(
            "Промежуточный мониторинг на {}",
            crate::report::format::ru_date(&r.date)
        ),
        None,
    );
    summary(&mut wb, r, f, cfg, &st)?;
    let nm = sheet::names(f);
    schools_sheet(&mut wb, r, &nm, &st, max_rows)?;
    dynamics_sheet(&mut wb, r, f, cfg, &st, max_charts)?;
    flags_sheet(&mut wb, r, f, &nm, &st)?;
    recs_sheet(&mut wb, r, &nm, &st)?;
    method_sheet(&mut wb, r, cfg, &st)?;
    Ok(wb.save_to_buffer()?)
}
