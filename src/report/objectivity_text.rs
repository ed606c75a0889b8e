//! Texts of docs/method.md §6.5 (signs of non-objective ВПР results) shared by the sheet,
//! `explain` and the methodology: what was checked, and the arithmetic of each sign.

use crate::config::Config;
use crate::judge::{Evidence, Findings, ObjectivityResult, Sign, SignKind};
use crate::report::format::percent;
use std::fmt::Write;

/// A number the Russian way with at most `d` decimals.
fn dec(x: f64, d: usize) -> String {
    let s = format!("{x:.d$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    s.replace('.', ",")
}

fn share(count: u32, n: u32) -> f64 {
    if n == 0 {
        0.0
    } else {
        f64::from(count) / f64::from(n)
    }
}

/// The years of the check, «2023–2025» or «2025».
fn years(f: &Findings) -> String {
    let ys = &f.objectivity_checked.years;
    match (ys.first(), ys.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
        (Some(a), _) => a.to_string(),
        _ => f.year.to_string(),
    }
}

/// What was checked, and why a part could not be: the line shown when nothing is found
/// (and under the lists when something is).
pub fn checked_line(f: &Findings, cfg: &Config) -> String {
    let c = &f.objectivity_checked;
    let o = &cfg.objectivity;
    let mut parts = Vec::new();
    if c.participant_data {
        parts.push(format!(
            "распределение баллов — {} работ ВПР с n ≥ {} (школа × работа × год){}",
            c.score_works,
            o.min_n,
            if c.no_boundaries > 0 {
                format!(
                    ", из них у {} не заданы границы отметок в shnor.toml ([[marks]]) — пики не проверялись",
                    c.no_boundaries
                )
            } else {
                String::new()
            }
        ));
        if c.journal_works > 0 {
            parts.push(format!(
                "отметки журнала — {} работ с n ≥ {} участников, у которых есть и отметка ВПР, и \
                 отметка за предыдущую четверть/триместр",
                c.journal_works, o.min_n
            ));
        } else {
            parts.push(
                "отметки журнала не сравнивались: в выгрузках ВПР по участникам нет столбца \
                 «Отметка за предыдущую четверть/триместр» (или в нём меньше n участников на работу)"
                    .to_string(),
            );
        }
    } else {
        parts.push(
            "распределение баллов и отметки журнала не вычислены: во входных файлах нет выгрузок \
             ВПР по участникам (ФИС ОКО) — баллы и отметки за четверть есть только в них"
                .to_string(),
        );
    }
    parts.push(format!(
        "ВПР 8 кл. и ОГЭ того же класса через год — {} пар с n ≥ {} в обоих",
        c.vpr_oge_pairs, o.min_n
    ));
    format!("Проверено за {}: {}.", years(f), parts.join("; "))
}

/// The arithmetic of one sign against its thresholds.
pub fn arithmetic(s: &Sign, cfg: &Config) -> String {
    let o = &cfg.objectivity;
    match &s.evidence {
        Evidence::Journal {
            count,
            n,
            input_count,
            input_n,
        } => {
            let (verb, min, ratio) = if s.kind == SignKind::Raised {
                ("повысили", o.raised_share, o.raised_ratio)
            } else {
                ("понизили", o.lowered_share, o.lowered_ratio)
            };
            let mine = share(*count, *n);
            let all = share(*input_count, *input_n);
            format!(
                "{verb} {count} из {n} = {} (порог {} %); по всем школам {input_count} из \
                 {input_n} = {}; {} ≥ {} × {} = {}",
                percent(mine, 1),
                dec(min, 1),
                percent(all, 1),
                percent(mine, 1),
                dec(ratio, 2),
                percent(all, 1),
                percent(ratio * all, 1)
            )
        }
        Evidence::Peak {
            mark,
            score,
            at,
            below,
            input_at,
            input_below,
        } => format!(
            "граница «{mark}» — {score} баллов: на ней {at}, на {} баллах {below}; {at} ≥ {} и \
             {at} ≥ {} × max({below}, 1) = {}; по всем школам {input_at} / max({input_below}, 1) \
             = {} < {}",
            score.saturating_sub(1),
            o.peak_min,
            dec(o.peak_ratio, 2),
            dec(o.peak_ratio * f64::from((*below).max(1)), 2),
            dec(f64::from(*input_at) / f64::from((*input_below).max(1)), 2),
            dec(o.peak_input_ratio, 2)
        ),
        Evidence::VprOge {
            vpr_year,
            vpr_good,
            vpr_n,
            oge_good,
            oge_n,
        } => {
            let (v, g) = (share(*vpr_good, *vpr_n), share(*oge_good, *oge_n));
            format!(
                "«4» и «5»: ВПР 8 кл. {vpr_year} г. {vpr_good} из {vpr_n} = {}, ОГЭ {} г. \
                 {oge_good} из {oge_n} = {}; разрыв {} п. п. ≥ {}",
                percent(v, 1),
                s.year,
                percent(g, 1),
                dec(100.0 * (v - g), 1),
                dec(o.vpr_oge_gap, 1)
            )
        }
    }
}

/// Whether a result marks the school, with the count against `min_signs`.
pub fn verdict(r: &ObjectivityResult, cfg: &Config) -> String {
    let min = cfg.objectivity.min_signs;
    format!(
        "работ с признаками {}, видов признаков {} (нужно не меньше {min} того или другого) — {}",
        r.works,
        r.kinds,
        if r.marked {
            "«признаки необъективности»"
        } else {
            "не отмечена"
        }
    )
}

/// The `explain` section: every sign of the school with its arithmetic.
pub fn explain_section(f: &Findings, school: &str, cfg: &Config) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Признаки необъективности ВПР (§6.5; ни один признак школы от них не зависит):"
    );
    let mine: Vec<&ObjectivityResult> = f
        .objectivity
        .iter()
        .filter(|r| r.school == school)
        .collect();
    if mine.is_empty() {
        let _ = writeln!(out, "  не найдено. {}", checked_line(f, cfg));
        return out;
    }
    for r in mine {
        let _ = writeln!(out, "  {} год: {}", r.year, verdict(r, cfg));
        for s in &r.signs {
            let _ = writeln!(
                out,
                "    {} {}, {}: {}",
                s.procedure,
                s.year,
                s.kind.label(),
                arithmetic(s, cfg)
            );
        }
        if let Some(b) = &r.basis {
            let _ = writeln!(out, "  Основание: {b}");
        }
    }
    out
}

/// The rule in words with the configured numbers, for the «Методика» sheet.
pub fn method_text(cfg: &Config) -> String {
    let o = &cfg.objectivity;
    format!(
        "§6.5, по выгрузкам ВПР по участникам, в работах с n ≥ {}: «ВПР выше журнала» — повысили \
         ≥ {} % и ≥ {} × доли по всем школам; «журнал выше ВПР» — понизили ≥ {} % и ≥ {} × доли по \
         всем школам; пик на границе отметки — на наименьшем балле «3», «4» или «5» не меньше {} \
         участников и не меньше {} × max(на балл ниже, 1), а по всем школам это отношение меньше \
         {}; «ВПР и ОГЭ расходятся» — доля «4» и «5» ВПР 8 кл. года y − 1 выше, чем на ОГЭ года y, \
         на {} п. п. и больше. Признаки в {} работах или {} видов за год — «признаки \
         необъективности». Ни один признак школы от них не зависит; работы с признаками {} \
         значение кластера по ВПР.",
        o.min_n,
        dec(o.raised_share, 1),
        dec(o.raised_ratio, 2),
        dec(o.lowered_share, 1),
        dec(o.lowered_ratio, 2),
        o.peak_min,
        dec(o.peak_ratio, 2),
        dec(o.peak_input_ratio, 2),
        dec(o.vpr_oge_gap, 1),
        o.min_signs,
        o.min_signs,
        if o.exclude_from_cluster {
            "не входят в"
        } else {
            "входят в"
        }
    )
}
