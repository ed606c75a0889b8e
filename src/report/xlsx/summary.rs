//! «Сводка»: kinds of data that counted for no school (on top), the year's totals, thresholds, what changed since last year, data quality.

use super::{SHEET_QUALITY, SHEET_SUMMARY, flag_column, list_sheet, printable};
use crate::config::Config;
use crate::judge::Findings;
use crate::model::{Dataset, Severity, Year};
use crate::report::format::{self, FLAG_ORDER, threshold_how};
use crate::report::sheet::{Styles, row, text};
use anyhow::Result;
use rust_xlsxwriter::Workbook;

enum Val {
    Int(usize),
    Share(usize, usize),
    Num(f64),
    Text(String),
}

pub(super) fn write(
    wb: &mut Workbook,
    f: &Findings,
    ds: &Dataset,
    cfg: &Config,
    st: &Styles,
) -> Result<()> {
    let ws = printable(wb, SHEET_SUMMARY, &[(0, 58), (1, 14), (2, 12), (3, 70)])?;

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

    crate::report::sheet::put_with(
        ws,
        0,
        0,
        format!("Выявление ШНОР и ШНСУ: сводка за {} год", f.year),
        &st.title,
    )?;
    // What judge recorded about kinds of data that counted for no school, on top: the
    // report never looks complete when a whole kind is missing or rejected.
    let top = if f.coverage.is_empty() {
        0
    } else {
        crate::report::sheet::put_with(ws, 2, 0, "Неполные данные", &st.bold)?;
        for (i, note) in f.coverage.iter().enumerate() {
            let r = row(i + 3);
            if note.loud {
                crate::report::sheet::put_with(ws, r, 0, &note.text, &st.bold)?;
            } else {
                text(ws, r, 0, &note.text)?;
            }
        }
        f.coverage.len() + 2
    };
    for (i, (label, v, note)) in lines.iter().enumerate() {
        let r = row(i + 2 + top);
        let heading = v.is_none();
        if heading {
            if !label.is_empty() {
                crate::report::sheet::put_with(ws, r, 0, label, &st.bold)?;
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
            crate::report::sheet::put_with(ws, r, 3, note, &st.wrap)?;
        }
    }
    Ok(())
}
