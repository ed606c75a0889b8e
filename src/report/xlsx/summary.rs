//! «Сводка»: the справка for the head of department, in the order it is read — kinds of data
//! that counted for no school (on top), the counts, the names on each list with a one-line
//! reason, who entered and left each list since the previous December report, how ОИП moved
//! across the thresholds, the thresholds used and the data-quality line.

use super::{SHEET_QUALITY, SHEET_SUMMARY, flag_column, list_sheet, printable};
use crate::config::Config;
use crate::judge::Findings;
use crate::model::{Dataset, Severity};
use crate::read::schools as schools_n;
use crate::report::Previous;
use crate::report::format::{self, FLAG_ORDER, threshold_how};
use crate::report::sheet::{Styles, put, put_merged, put_with, text};
use anyhow::Result;
use rust_xlsxwriter::{Workbook, Worksheet};

/// Column widths: the label or school (A), a count (B), a share (C), the note (D); a reason
/// spans B:D.
const WIDTHS: [(u16, u16); 4] = [(0, 50), (1, 12), (2, 10), (3, 70)];
/// Schools named per list on the справка; the rest are on the list's own sheet.
const MAX_NAMED: usize = 30;
/// Schools named in one cell of «ОИП … по сравнению с прошлым годом». A row is at most
/// 409 pt high, about 36 wrapped lines in column D, and a school takes one or two: past
/// ~25 names the rest of the cell, its «… и ещё» included, is not shown or printed (seen at
/// 40,000 schools, where 1,000–1,337 schools crossed a threshold: 75–99 thousand characters).
const MAX_NAMED_IN_CELL: usize = 20;

/// The sheet being written, row by row.
struct Page<'a> {
    ws: &'a mut Worksheet,
    st: &'a Styles,
    r: u32,
}

impl Page<'_> {
    fn heading(&mut self, s: &str) -> Result<()> {
        self.r += 1;
        put_with(self.ws, self.r, 0, s, &self.st.bold)?;
        self.r += 1;
        Ok(())
    }

    /// A label with a count, the count's share of `of` (when given) and a note.
    fn count(&mut self, label: &str, n: usize, of: Option<usize>, note: &str) -> Result<()> {
        put_with(self.ws, self.r, 0, label, &self.st.wrap)?;
        self.ws
            .write_number_with_format(self.r, 1, n as f64, &self.st.int)?;
        if let Some(d) = of.filter(|d| *d > 0) {
            self.ws
                .write_number_with_format(self.r, 2, n as f64 / d as f64, &self.st.pct)?;
        }
        if !note.is_empty() {
            put_with(self.ws, self.r, 3, note, &self.st.wrap)?;
        }
        self.r += 1;
        Ok(())
    }

    /// A label with a value in words or a number with one decimal, and a note.
    fn value(&mut self, label: &str, v: Option<f64>, words: &str, note: &str) -> Result<()> {
        put_with(self.ws, self.r, 0, label, &self.st.wrap)?;
        match v {
            Some(x) => {
                self.ws
                    .write_number_with_format(self.r, 1, x, &self.st.one)?;
            }
            None => text(self.ws, self.r, 1, words)?,
        }
        if !note.is_empty() {
            put_with(self.ws, self.r, 3, note, &self.st.wrap)?;
        }
        self.r += 1;
        Ok(())
    }

    /// A school and a one-line reason across B:D.
    fn school(&mut self, name: &str, reason: &str) -> Result<()> {
        put_with(self.ws, self.r, 0, name, &self.st.wrap)?;
        put_merged(self.ws, self.r, 1, 3, reason, &self.st.wrap)?;
        self.r += 1;
        Ok(())
    }

    /// A line of text alone.
    fn line(&mut self, s: &str) -> Result<()> {
        put(self.ws, self.r, 0, s)?;
        self.r += 1;
        Ok(())
    }
}

pub(super) fn write(
    wb: &mut Workbook,
    f: &Findings,
    ds: &Dataset,
    cfg: &Config,
    prev: Option<&Previous>,
    st: &Styles,
    scope: super::Scope<'_>,
) -> Result<()> {
    let ws = printable(wb, SHEET_SUMMARY, &WIDTHS, st)?;
    let total = f.schools.len();
    let bar = cfg.oip.shnor_bar;
    let program = cfg.oip.program_threshold;
    put_with(
        ws,
        0,
        0,
        match scope {
            super::Scope::Part { name, .. } => {
                format!("Выявление ШНОР и ШНСУ: сводка за {} год — {name}", f.year)
            }
            _ => format!("Выявление ШНОР и ШНСУ: сводка за {} год", f.year),
        },
        &st.title,
    )?;
    let years: Vec<String> = f.years.iter().map(ToString::to_string).collect();
    put(
        ws,
        1,
        0,
        format!(
            "{}, кластеров {}; оцениваемые годы: {}",
            schools_n(total),
            f.clusters.len(),
            years.join(", ")
        ),
    )?;
    let mut p = Page { ws, st, r: 2 };
    match scope {
        super::Scope::Whole => {}
        super::Scope::Summary { by, parts } => {
            put_merged(
                p.ws,
                p.r,
                0,
                3,
                &format!(
                    "Отчёт разделён на {} книг ({}): папка {} рядом с этой книгой; перечень с \
                     числом школ в каждом списке — на листе «{}». Показатели и профили школ — \
                     в книгах частей.",
                    parts.len(),
                    by.label().to_lowercase(),
                    by.folder(f.year),
                    super::parts::SHEET_PARTS
                ),
                &st.wrap,
            )?;
            p.r += 1;
        }
        super::Scope::Part { summary, .. } => {
            put_merged(
                p.ws,
                p.r,
                0,
                3,
                &format!(
                    "Часть отчёта: школы одного муниципалитета (региона), оценённые вместе со \
                     всеми школами входных данных — кластеры, значения кластеров и пороги общие. \
                     Сводка по всем школам, замечания о качестве данных и входные файлы — в \
                     сводной книге {summary}."
                ),
                &st.wrap,
            )?;
            p.r += 1;
        }
    }

    // What judge recorded about kinds of data that counted for no school, on top: the
    // report never looks complete when a whole kind is missing or rejected.
    if !f.coverage.is_empty() {
        p.heading("Неполные данные")?;
        let loud = st.bold.clone().set_text_wrap();
        for note in &f.coverage {
            let fmt = if note.loud { &loud } else { &st.wrap };
            put_merged(p.ws, p.r, 0, 3, &note.text, fmt)?;
            p.r += 1;
        }
    }

    p.heading("Итоги выявления")?;
    for k in FLAG_ORDER {
        let n = f.schools.iter().filter(|s| s.flag(k).is_some()).count();
        p.count(
            flag_column(k),
            n,
            Some(total),
            &format!(
                "школ и доля от всех; перечень — на листе «{}»",
                list_sheet(k)
            ),
        )?;
    }

    let labels = format::Labels::new(f);
    for k in FLAG_ORDER {
        let list = format::listed(f, k);
        if list.is_empty() {
            continue;
        }
        p.heading(&format!("{} — {}", flag_column(k), schools_n(list.len())))?;
        for s in list.iter().take(MAX_NAMED) {
            let basis = s.flag(k).map(|fl| fl.basis.as_str()).unwrap_or_default();
            p.school(labels.of(s), &format::short_reason(basis))?;
        }
        if list.len() > MAX_NAMED {
            p.line(&format!(
                "… и ещё {} — на листе «{}»",
                schools_n(list.len() - MAX_NAMED),
                list_sheet(k)
            ))?;
        }
    }

    lists_changed(&mut p, f, cfg, prev)?;
    // Where every school's ОИП by year can be read when a cell names only some of them.
    let rest_at = match scope {
        super::Scope::Summary { .. } => format!(
            "в книгах частей отчёта, лист «{}» (книги — на листе «{}»)",
            super::SHEET_SUMMARY,
            super::parts::SHEET_PARTS
        ),
        _ => format!("на листе «{}», столбцы ОИП по годам", super::SHEET_RATING),
    };
    oip_moved(&mut p, f, cfg, &rest_at)?;

    p.heading("Пороги")?;
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
    let no_oip = total - with_oip;
    p.count(
        &format!(
            "ОИП не ниже порога программы {} в {} г.",
            format::trim(program),
            f.year
        ),
        above,
        Some(total),
        &if no_oip > 0 {
            format!(
                "доля от всех школ; ОИП не рассчитан (недостаточно данных): {}",
                schools_n(no_oip)
            )
        } else {
            "доля от всех школ".to_string()
        },
    )?;
    let below_bar = f
        .schools
        .iter()
        .filter(|s| s.oip_in(f.year).is_some_and(|v| v < bar))
        .count();
    p.count(
        &format!("ОИП ниже порога ШНОР {} в {} г.", format::trim(bar), f.year),
        below_bar,
        Some(total),
        "",
    )?;
    match &f.isb_threshold {
        Some(t) => {
            let with_isb = f.schools.iter().filter(|s| s.isb.is_some()).count();
            let ok = f
                .schools
                .iter()
                .filter(|s| s.isb.as_ref().is_some_and(|i| i.value >= t.value))
                .count();
            let missing = total - with_isb;
            p.count(
                &format!("ИСБ не ниже порога {}", format::fixed(t.value, 1)),
                ok,
                Some(total),
                &if missing > 0 {
                    format!(
                        "доля от всех школ; нет социального паспорта: {}",
                        schools_n(missing)
                    )
                } else {
                    "доля от всех школ".to_string()
                },
            )?;
            p.value("Порог ИСБ", Some(t.value), "", &threshold_how(t))?;
        }
        None => p.value(
            "Порог ИСБ",
            None,
            "не определён",
            "нет социальных паспортов",
        )?,
    }
    p.value(
        "Порог ШНОР по ОИП",
        Some(bar),
        "",
        &format!(
            "ОИП ниже {} в {} из {} последних лет",
            format::trim(bar),
            cfg.oip.min_low_years,
            cfg.oip.window
        ),
    )?;
    p.value(
        "Порог программы по ОИП",
        Some(program),
        "",
        "уровень кластера",
    )?;

    p.heading("Качество данных")?;
    if let super::Scope::Part { summary, .. } = scope {
        p.line(&format!(
            "Отклонённые строки и предупреждения по всем файлам — в сводной книге {summary}, лист «{SHEET_QUALITY}»"
        ))?;
        return Ok(());
    }
    let warnings = ds
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Warning)
        .count();
    let quality = format!("подробно — на листе «{SHEET_QUALITY}»");
    p.count(
        "Отклонено строк (не учтены в расчёте)",
        ds.rejected_rows(),
        None,
        &quality,
    )?;
    p.count("Предупреждений", warnings, None, &quality)?;
    Ok(())
}

/// Who entered and who left each list since the previous December report, and why.
fn lists_changed(p: &mut Page, f: &Findings, cfg: &Config, prev: Option<&Previous>) -> Result<()> {
    let Some(prev) = prev else {
        p.heading("Изменения перечней с прошлого года")?;
        p.line(&format!(
            "Снимок прошлого года (baseline-{0}.json.gz или identify-{0}.json) не найден в папке \
             отчёта и не указан (--previous): сравнение перечней не проводилось",
            f.year - 1
        ))?;
        return Ok(());
    };
    p.heading(&format!(
        "Изменения перечней с отчёта за {} год ({})",
        prev.findings.year, prev.path
    ))?;
    let now_of = |id: &str| f.schools.iter().find(|s| s.school.id == id);
    let (labels, prev_labels) = (format::Labels::new(f), format::Labels::new(&prev.findings));
    let mut any = false;
    for k in FLAG_ORDER {
        let ch = format::list_changes(&prev.findings, f, k);
        let (entered, left) = (ch.entered, ch.left);
        if entered.is_empty() && left.is_empty() {
            continue;
        }
        any = true;
        p.count(
            &format!(
                "{}: было {}, вошли {}, вышли {}, стало",
                flag_column(k),
                ch.before,
                entered.len(),
                left.len()
            ),
            ch.now,
            None,
            "",
        )?;
        for s in entered {
            let basis = s.flag(k).map(|fl| fl.basis.as_str()).unwrap_or_default();
            p.school(
                &format!("вошла: {}", labels.of(s)),
                &format::short_reason(basis),
            )?;
        }
        for s in left {
            p.school(
                &format!("вышла: {}", prev_labels.of(s)),
                &format::why_not_listed(now_of(&s.school.id), k, f, cfg),
            )?;
        }
    }
    if !any {
        p.line("Перечни не изменились")?;
    }
    Ok(())
}

/// Schools whose ОИП crossed the ШНОР or the program threshold since the previous year.
/// At most [`MAX_NAMED_IN_CELL`] schools are named in a cell; `rest_at` says where the
/// others are.
fn oip_moved(p: &mut Page, f: &Findings, cfg: &Config, rest_at: &str) -> Result<()> {
    let Some(prev) = f.years.iter().rev().nth(1).copied() else {
        p.heading("ОИП по сравнению с прошлым годом")?;
        return p.line("Предыдущий год не оценивался — сравнение невозможно");
    };
    let labels = format::Labels::new(f);
    p.heading(&format!("ОИП {} г. по сравнению с {prev} г.", f.year))?;
    for (t, name) in [
        (cfg.oip.shnor_bar, "порога ШНОР"),
        (cfg.oip.program_threshold, "порога программы"),
    ] {
        for down in [true, false] {
            let moved: Vec<String> = format::by_name(f.schools.iter())
                .into_iter()
                .filter_map(|s| {
                    let (a, b) = (s.oip_in(prev)?, s.oip_in(f.year)?);
                    let hit = if down {
                        a >= t && b < t
                    } else {
                        a < t && b >= t
                    };
                    hit.then(|| {
                        format!(
                            "{} ({} → {})",
                            labels.of(s),
                            format::fixed(a, 1),
                            format::fixed(b, 1)
                        )
                    })
                })
                .collect();
            let what = if down {
                "опустился ниже"
            } else {
                "поднялся до уровня не ниже"
            };
            let mut note = moved[..moved.len().min(MAX_NAMED_IN_CELL)].join("; ");
            if moved.len() > MAX_NAMED_IN_CELL {
                note.push_str(&format!(
                    "; … и ещё {} — {rest_at}",
                    schools_n(moved.len() - MAX_NAMED_IN_CELL)
                ));
            }
            p.count(
                &format!("ОИП {what} {name} {}: школ", format::trim(t)),
                moved.len(),
                None,
                &note,
            )?;
        }
    }
    Ok(())
}
