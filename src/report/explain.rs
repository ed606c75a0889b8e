//! `shnor explain`: the whole calculation for one school as Russian text, step by step, so an
//! analyst can check every number by hand. Pure: findings + school + config → text. The flags
//! and every rule check behind them (`SchoolResult::checks`) come recorded from `judge`; this
//! file only formats them.

use super::certainty_text;
use crate::UsageError;
use crate::config::{Config, IndicatorKind};
use crate::judge::{Findings, IndicatorResult, SchoolResult};
use crate::model::{Procedure, Year};
use crate::read::norm_text;
use crate::report::format::threshold_how;
use crate::report::format::{self, FLAG_ORDER, fixed, trim};
use std::fmt::Write;

/// Finds a school by id, alias, or a case-insensitive part of its name.
///
/// # Errors
/// A [`UsageError`] in Russian: no school found (lists the likely ones with codes), or several
/// (lists them with their codes).
pub fn find_school<'a>(f: &'a Findings, query: &str) -> anyhow::Result<&'a SchoolResult> {
    let q = norm_text(query);
    if q.is_empty() {
        return Err(UsageError("укажите код или часть названия школы".into()).into());
    }
    let pick = |v: Vec<&'a SchoolResult>| -> Option<anyhow::Result<&'a SchoolResult>> {
        match v.len() {
            0 => None,
            1 => Some(Ok(v[0])),
            _ => Some(Err(ambiguous(query, &v))),
        }
    };
    let by_id: Vec<_> = f
        .schools
        .iter()
        .filter(|s| norm_text(&s.school.id) == q)
        .collect();
    if let Some(r) = pick(by_id) {
        return r;
    }
    let by_alias: Vec<_> = f
        .schools
        .iter()
        .filter(|s| s.school.aliases.iter().any(|a| norm_text(a) == q))
        .collect();
    if let Some(r) = pick(by_alias) {
        return r;
    }
    let by_name: Vec<_> = f
        .schools
        .iter()
        .filter(|s| norm_text(&s.school.name) == q)
        .collect();
    if let Some(r) = pick(by_name) {
        return r;
    }
    let by_part: Vec<_> = f
        .schools
        .iter()
        .filter(|s| norm_text(&s.school.name).contains(&q))
        .collect();
    pick(by_part).unwrap_or_else(|| Err(not_found(query, &q, f)))
}

/// The school was not found: the schools that share a word with the query (or the first by
/// name), with their codes, so the analyst can copy one.
fn not_found(query: &str, q: &str, f: &Findings) -> anyhow::Error {
    const SHOWN: usize = 10;
    let words: Vec<&str> = q
        .split_whitespace()
        .filter(|w| w.chars().count() >= 3)
        .collect();
    let near: Vec<&SchoolResult> = format::by_name(f.schools.iter().filter(|s| {
        let name = norm_text(&s.school.name);
        words.iter().any(|w| name.contains(w))
    }));
    let (title, list) = if near.is_empty() {
        (
            format!("школы в данных ({}), первые по алфавиту", f.schools.len()),
            format::by_name(f.schools.iter()),
        )
    } else {
        ("похожие по названию".to_string(), near)
    };
    let lines: Vec<String> = list
        .iter()
        .take(SHOWN)
        .map(|s| format!("  {} — {}", s.school.id, s.school.name))
        .collect();
    let more = list.len().saturating_sub(SHOWN);
    let more = if more > 0 {
        format!("\n  … и ещё {more}; все коды и названия — в schools.csv отчёта identify")
    } else {
        String::new()
    };
    UsageError(format!(
        "школа «{query}» не найдена ни по коду, ни по названию. Проверьте написание; {title}:\n{}{more}",
        lines.join("\n")
    ))
    .into()
}

fn ambiguous(query: &str, v: &[&SchoolResult]) -> anyhow::Error {
    let mut list: Vec<String> = format::by_name(v.iter().copied())
        .iter()
        .map(|s| format!("  {} — {}", s.school.id, s.school.name))
        .collect();
    let more = list.len().saturating_sub(20);
    list.truncate(20);
    if more > 0 {
        list.push(format!("  … и ещё {more}"));
    }
    UsageError(format!(
        "под «{query}» подходят несколько школ; укажите код или название точнее:\n{}",
        list.join("\n")
    ))
    .into()
}

/// «1 балл», «2 балла», «5 баллов».
fn points_word(p: u8) -> String {
    let w = match p {
        1 => "балл",
        2..=4 => "балла",
        _ => "баллов",
    };
    format!("{p} {w}")
}

fn yes(b: bool) -> &'static str {
    if b {
        "выполнено"
    } else {
        "не выполнено"
    }
}

fn indicator_lines(out: &mut String, ind: &IndicatorResult, cfg: &Config) {
    let Some(spec) = format::spec(cfg, &ind.indicator) else {
        return;
    };
    let kind = spec.source.kind();
    let v = |x: f64| format::value_text(&spec.source, x);
    let _ = writeln!(
        out,
        "  • {} ({}, вес {}):",
        spec.name,
        spec.id,
        trim(spec.weight)
    );
    let Some(value) = ind.value else {
        let _ = writeln!(out, "      нет данных — показатель не учитывается");
        return;
    };
    match ind.raw_value {
        Some(raw) => {
            let _ = writeln!(
                out,
                "      значение школы за год: {} (n = {})",
                v(raw),
                ind.raw_n
            );
        }
        None => {
            let _ = writeln!(out, "      за сам год данных нет (n = {})", ind.raw_n);
        }
    }
    if ind.pooled_years > 1 {
        let added: Vec<String> = (1..ind.pooled_years)
            .map(|k| (ind.year - k as Year).to_string())
            .collect();
        let _ = writeln!(
            out,
            "      n < {}: добавлены {} {} → объединено за {} {}: {} (n = {})",
            cfg.general.min_n,
            added.join(" и "),
            if added.len() == 1 { "г." } else { "гг." },
            ind.pooled_years,
            format::years_word(ind.pooled_years),
            v(value),
            ind.n
        );
    }
    certainty_text::certainty_lines(out, ind, kind, cfg, &v);
    if !ind.reliable {
        let _ = writeln!(
            out,
            "      n = {} < {} — показатель ненадёжен: показан, но в баллы и ОИП не входит",
            ind.n, cfg.general.min_n
        );
        return;
    }
    let Some(cv) = ind.cluster_value else {
        let _ = writeln!(out, "      значения кластера нет — баллы не начисляются");
        return;
    };
    let _ = writeln!(out, "      значение кластера за {} г.: {}", ind.year, v(cv));
    let cmp = match (kind, ind.comparison) {
        (IndicatorKind::Mean, Some(r)) => {
            format!("отношение {} / {} = {}", v(value), v(cv), fixed(r, 3))
        }
        (IndicatorKind::Share, Some(d)) => format!(
            "разность {} − {} = {} п.п.",
            fixed(value * 100.0, 1),
            fixed(cv * 100.0, 1),
            format::signed(d, 1)
        ),
        (_, None) => "сравнение с кластером не рассчитано".into(),
    };
    match ind.points {
        Some(p) => {
            let _ = writeln!(
                out,
                "      {cmp} → полоса «{}» → {}",
                format::band_text(cfg, kind, p),
                points_word(p)
            );
            let c = &ind.certainty;
            if let (Some(lo), Some(hi)) = (c.points_low, c.points_high) {
                let _ = writeln!(
                    out,
                    "      на нижней и верхней границе интервала: {} и {}",
                    points_word(lo),
                    points_word(hi)
                );
            }
        }
        None => {
            let _ = writeln!(out, "      {cmp} → баллы не начислены");
        }
    }
}

fn oip_line(out: &mut String, s: &SchoolResult, year: Year, cfg: &Config) {
    let Some(o) = s.oip.iter().find(|o| o.year == year) else {
        return;
    };
    let calc = &o.calculation;
    match o.value {
        Some(value) => {
            // Every scored term is written out, a weight-0 one too (it adds nothing).
            let scored: Vec<(f64, u8)> = calc
                .terms
                .iter()
                .filter_map(|t| Some((t.weight, t.points?)))
                .collect();
            let terms: Vec<String> = scored
                .iter()
                .map(|(w, p)| format!("{}·{p}", trim(*w)))
                .collect();
            let weights: Vec<String> = scored.iter().map(|(w, _)| trim(*w)).collect();
            let _ = writeln!(
                out,
                "  ОИП {year} = {} × ({}) / ({}) = {} × {} / {} = {}",
                trim(cfg.oip.scale),
                terms.join(" + "),
                weights.join(" + "),
                trim(cfg.oip.scale),
                trim(calc.weighted_points),
                trim(calc.weights),
                fixed(value, 1)
            );
            certainty_text::bounds_line(out, s, o, cfg);
        }
        None => {
            let _ = writeln!(
                out,
                "  ОИП {year}: надёжных показателей {} < {} — ОИП не рассчитывается (недостаточно данных)",
                o.indicators_used, cfg.oip.min_indicators
            );
        }
    }
}

fn isb_lines(out: &mut String, f: &Findings, s: &SchoolResult, cfg: &Config) {
    let Some(isb) = &s.isb else {
        let _ = writeln!(
            out,
            "ИСБ: социального паспорта школы нет — ИСБ не рассчитан, признак ШНСУ не оценивается"
        );
        return;
    };
    let _ = writeln!(out, "ИСБ (социальный паспорт {} учебного года):", isb.year);
    for c in &isb.components {
        let protective = cfg.isb.protective.contains(&c.category);
        let how = if protective {
            "100·доля"
        } else {
            "100·(1 − доля)"
        };
        let weight = if c.weight > 0.0 {
            format!("вес {}", trim(c.weight))
        } else {
            "вес 0: показано, в ИСБ не входит".into()
        };
        let _ = writeln!(
            out,
            "  • {}: доля {} → {how} = {} ({weight})",
            format::category_label(&c.category, cfg),
            format::percent(c.share, 1),
            fixed(c.score, 1)
        );
    }
    let used: Vec<_> = isb.components.iter().filter(|c| c.weight > 0.0).collect();
    if used.is_empty() {
        let _ = writeln!(out, "  ИСБ = {}", fixed(isb.value, 1));
    } else {
        let terms: Vec<String> = used
            .iter()
            .map(|c| format!("{}·{}", trim(c.weight), trim(c.score)))
            .collect();
        let weights: Vec<String> = used.iter().map(|c| trim(c.weight)).collect();
        let sum: f64 = used.iter().map(|c| c.weight * c.score).sum();
        let wsum: f64 = used.iter().map(|c| c.weight).sum();
        let _ = writeln!(
            out,
            "  ИСБ = ({}) / ({}) = {} / {} = {}",
            terms.join(" + "),
            weights.join(" + "),
            trim(sum),
            trim(wsum),
            fixed(isb.value, 1)
        );
    }
    match &f.isb_threshold {
        Some(t) => {
            let below = isb.value < t.value;
            let _ = writeln!(
                out,
                "  Порог ИСБ {} ({}): ИСБ {} {} порога",
                fixed(t.value, 1),
                threshold_how(t),
                fixed(isb.value, 1),
                if below { "ниже" } else { "не ниже" }
            );
        }
        None => {
            let _ = writeln!(out, "  Порог ИСБ не определён");
        }
    }
}

fn flag_lines(out: &mut String, f: &Findings, s: &SchoolResult, cfg: &Config) {
    let c = &s.checks;
    let bar = cfg.oip.shnor_bar;
    let y = f.year;
    let oips: Vec<String> = c
        .window
        .iter()
        .map(|(yr, v)| match v {
            Some(v) => format!("{yr} — {}", fixed(*v, 1)),
            None => format!("{yr} — нет"),
        })
        .collect();
    let _ = writeln!(
        out,
        "Признаки (итог — по расчёту judge, ниже — числа, на которых он основан):"
    );
    let _ = writeln!(
        out,
        "  ШНОР по ОИП: ОИП ниже {} не менее чем в {} из {} последних лет. {}: ниже порога {} → {}",
        trim(bar),
        cfg.oip.min_low_years,
        cfg.oip.window,
        oips.join(", "),
        c.low.len(),
        yes(c.shnor_by_oip)
    );
    if c.shnor_by_oip {
        let sure: Vec<String> = c.low_sure.iter().map(ToString::to_string).collect();
        let _ = writeln!(
            out,
            "    устойчивость: верхняя граница ОИП ниже {} в годах: {} → {}{}",
            trim(bar),
            if sure.is_empty() {
                "ни в одном".to_string()
            } else {
                sure.join(", ")
            },
            if c.shnor_robust {
                "устойчивый"
            } else {
                "статистически неустойчивый"
            },
            if c.robust_only && !c.shnor_robust {
                " — при robust_only = true не учитывается"
            } else {
                ""
            }
        );
    }
    let fr = &cfg.federal;
    match &c.federal {
        Some(fed) => {
            let list = |v: &[(&Procedure, f64)]| -> String {
                if v.is_empty() {
                    "нет".into()
                } else {
                    v.iter()
                        .map(|(p, share)| format!("{p} — {}", format::percent(*share, 0)))
                        .collect::<Vec<_>>()
                        .join("; ")
                }
            };
            let failing: Vec<(&Procedure, f64)> =
                fed.found.failing.iter().map(|(p, v)| (p, *v)).collect();
            // The same procedure in both years, listed with its share in Y.
            let persistent: Vec<(&Procedure, f64)> = fed
                .found
                .persistent
                .iter()
                .map(|(p, _, v)| (p, *v))
                .collect();
            let _ = writeln!(
                out,
                "  Федеральное правило, условие 1: в {y} г. доля «2» (ниже минимума) ≥ {} хотя бы в {} {} (n ≥ {}): {} → {}",
                format::percent(fr.fail_share, 0),
                fr.min_procedures,
                crate::read::plural(
                    fr.min_procedures as usize,
                    "процедуре",
                    "процедурах",
                    "процедурах"
                ),
                fr.min_n,
                list(&failing),
                yes(fed.first)
            );
            let _ = writeln!(
                out,
                "  Федеральное правило, условие 2: та же процедура ≥ {} два года подряд: {} → {}",
                format::percent(fr.fail_share, 0),
                list(&persistent),
                yes(fed.second)
            );
            let _ = writeln!(
                out,
                "  Федеральное правило ({}): {}",
                if fr.conjunction {
                    "нужны оба условия"
                } else {
                    "достаточно одного условия"
                },
                yes(fed.fires)
            );
        }
        None => {
            let _ = writeln!(out, "  Федеральное правило отключено в настройках");
        }
    }
    match &c.shnsu {
        Some(sh) => {
            let _ = writeln!(
                out,
                "  ШНСУ: ИСБ {} {} порога {} → {}",
                fixed(sh.isb, 1),
                if sh.below {
                    "ниже"
                } else {
                    "не ниже"
                },
                fixed(sh.threshold, 1),
                yes(sh.below)
            );
        }
        None => {
            let _ = writeln!(out, "  ШНСУ: нет ИСБ или порога → не оценивается");
        }
    }
    let cur = c.latest;
    let latest_low = c.low.last().is_some_and(|(yr, _)| *yr == y);
    let _ = writeln!(
        out,
        "  Зона риска (только не ШНОР), ОИП ниже {} только в последнем году: {} → {}{}{}",
        trim(bar),
        cur.map_or("ОИП нет".into(), |v| format!("{y} — {}", fixed(v, 1))),
        yes(c.low_only_latest),
        match (c.low_only_latest, c.latest_robust) {
            (true, true) => " (устойчиво: верхняя граница тоже ниже порога)",
            (true, false) => " (статистически неустойчиво: верхняя граница не ниже порога)",
            _ => "",
        },
        if c.shnor_by_oip_counts() && latest_low {
            " (ОИП ниже порога не только в последнем году — это правило ШНОР)"
        } else {
            ""
        }
    );
    match (c.previous, cur) {
        (Some(a), Some(b)) => {
            let _ = writeln!(
                out,
                "  Зона риска, снижение ОИП не менее чем на {} до значения ниже {}: {} → {} ({}) → {}",
                trim(cfg.oip.drop_points),
                trim(cfg.oip.program_threshold),
                fixed(a, 1),
                fixed(b, 1),
                format::signed(b - a, 1),
                yes(c.dropped)
            );
            if c.dropped {
                let _ = writeln!(
                    out,
                    "    устойчивость (ОИП_low {} минус ОИП_high {} не меньше {}): {}",
                    y - 1,
                    y,
                    trim(cfg.oip.drop_points),
                    if c.dropped_robust {
                        "устойчиво"
                    } else {
                        "статистически неустойчиво"
                    }
                );
            }
        }
        _ => {
            let _ = writeln!(
                out,
                "  Зона риска, снижение ОИП: нет ОИП за два года подряд → не оценивается"
            );
        }
    }
    let grown: Vec<String> = c
        .growth
        .compared
        .iter()
        .filter(|g| g.grown)
        .map(|g| format!("{} ({} п.п.)", g.procedure, format::signed(g.change_pp, 1)))
        .collect();
    let _ = writeln!(
        out,
        "  Зона риска, рост доли «2» на {} п.п. и больше (n ≥ {}): {}{}",
        trim(cfg.risk.growth_pp),
        cfg.risk.min_n_test,
        if grown.is_empty() {
            "нет".into()
        } else {
            grown.join("; ")
        },
        if grown.is_empty() {
            String::new()
        } else {
            format!(
                "; значимость роста проверяется z-тестом (уровень {}{})",
                trim(cfg.risk.alpha),
                if cfg.risk.bonferroni {
                    ", с поправкой Бонферрони"
                } else {
                    ""
                }
            )
        }
    );
    let _ = writeln!(
        out,
        "  Резильентная: ШНСУ и ОИП {y} не ниже {}: {} → {}",
        trim(cfg.oip.resilient_bar),
        cur.map_or("ОИП нет".into(), |v| fixed(v, 1)),
        yes(c.resilient)
    );
}

/// The whole calculation for one school, in Russian.
pub fn explain_school(f: &Findings, s: &SchoolResult, cfg: &Config) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Школа: {}", s.school.name);
    let _ = write!(out, "Код: {}", s.school.id);
    if !s.school.aliases.is_empty() {
        let _ = write!(out, " (другие коды: {})", s.school.aliases.join(", "));
    }
    let _ = writeln!(out);
    if let Some(m) = &s.school.municipality {
        let _ = writeln!(out, "Муниципалитет: {m}");
    }
    let size = f
        .clusters
        .iter()
        .find(|c| c.name == s.cluster)
        .map(|c| format!(", школ в кластере: {}", c.schools))
        .unwrap_or_default();
    let _ = writeln!(out, "Кластер: «{}»{size} — {}", s.cluster, s.cluster_reason);
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Показатели и баллы (надёжен показатель с n ≥ {}; при меньшем n добавляются предыдущие годы, всего не более {} {}):",
        cfg.general.min_n,
        cfg.general.pool_years,
        if cfg.general.pool_years == 1 {
            "года"
        } else {
            "лет"
        }
    );
    for &year in &f.years {
        let _ = writeln!(out, "{year} год");
        for spec in &cfg.indicators {
            if let Some(ind) = format::indicator(s, year, &spec.id) {
                indicator_lines(&mut out, ind, cfg);
            }
        }
        oip_line(&mut out, s, year, cfg);
    }
    if let Some(r) = s.rank_in_cluster {
        let _ = writeln!(out, "Место в кластере по ОИП {}: {r}", f.year);
    }
    let _ = writeln!(out);
    isb_lines(&mut out, f, s, cfg);
    let _ = writeln!(out);
    flag_lines(&mut out, f, s, cfg);
    if let Some(label) = format::robust_label(s) {
        let _ = writeln!(
            out,
            "  Признак по ОИП {label}{}",
            if cfg.uncertainty.robust_only {
                " (robust_only = true: в перечни входят только устойчивые)"
            } else {
                " (в перечне остаётся; robust_only = true оставил бы только устойчивые)"
            }
        );
    }
    let _ = writeln!(out);
    certainty_text::context_lines(&mut out, f, s);
    let _ = writeln!(out);
    out.push_str(&super::objectivity_text::explain_section(
        f,
        &s.school.id,
        cfg,
    ));
    let _ = writeln!(out);
    let flags = format::flag_labels(s);
    if flags.is_empty() {
        let _ = writeln!(
            out,
            "Итог: признаков нет (не ШНОР, не ШНСУ, не в зоне риска, не резильентная)."
        );
    } else {
        let _ = writeln!(out, "Итог: {}.", flags.join(", "));
        for k in FLAG_ORDER {
            if let Some(fl) = s.flag(k) {
                let _ = writeln!(out, "Основание ({}): {}", k.label(), fl.basis);
            }
        }
    }
    out
}

#[cfg(test)]
#[path = "explain_tests.rs"]
mod tests;
