//! «Методика»: the methodology in words with the configured numbers, the input files with
//! their checksums, and the whole configuration as TOML.

use super::{SHEET_METHOD, printable};
use crate::config::{Config, IndicatorKind, ThresholdSpec};
use crate::judge::Findings;
use crate::model::Dataset;
use crate::report::format::{self, threshold_how};
use crate::report::sheet::{self, Styles};
use anyhow::Result;
use rust_xlsxwriter::Workbook;

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
             (ООШ / СОШ / гимназия, лицей, УИОП / специальная). Кластер меньше {} {} объединяется \
             с кластером своего типа поселения, затем со всем муниципалитетом. Почему школа в своём \
             кластере — см. `shnor explain`.",
            cfg.clusters.min_size,
            crate::read::plural(cfg.clusters.min_size, "школы", "школ", "школ")
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
        .map(|(k, w)| format!("{} {}", format::category_label(k, cfg), t(*w)))
        .collect();
    let merged: Vec<String> = cfg
        .isb
        .merged
        .iter()
        .map(|(k, v)| {
            let parts: Vec<String> = v.iter().map(|p| format::category_label(p, cfg)).collect();
            format!("«{k}» = {}", parts.join(" + "))
        })
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
            cfg.isb
                .protective
                .iter()
                .map(|p| format::category_label(p, cfg))
                .collect::<Vec<_>>()
                .join(", "),
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
        "Признаки необъективности",
        crate::report::objectivity_text::method_text(cfg),
    );
    add(
        "Порог программы",
        format!(
            "ОИП {} — уровень кластера; доля школ с ОИП не ниже него — целевой показатель программы.",
            t(cfg.oip.program_threshold)
        ),
    );
    let u = &cfg.uncertainty;
    let level = t(u.level * 100.0);
    let sds: Vec<String> =
        u.sd.iter()
            .map(|(k, sd)| {
                let name = format::spec(cfg, k).map_or(k.as_str(), |s| s.name.as_str());
                format!("{name} {}", t(*sd))
            })
            .collect();
    add(
        "Интервалы",
        format!(
            "У каждого значения показателя — интервал {level} %: для долей — Уилсона; для средних — \
             t-интервал (среднее ± t·SD/√n, SD по распределению отметок или баллов участников); \
             если распределения в выгрузке нет — SD из настроек ({}), это сказано в примечании. \
             Объединённое значение — с объединённым n. Отношение к кластеру — интервал школы, \
             делённый на значение кластера.",
            sds.join(", ")
        ),
    );
    add(
        "Устойчивость ОИП",
        format!(
            "ОИП_low и ОИП_high — ОИП, пересчитанный с каждым надёжным показателем на нижней / \
             верхней границе интервала (те же полосы баллов); показан как «12,3 (9,8–15,1)». \
             ШНОР по ОИП устойчивый, если ОИП_high ниже {} в нужном числе лет; иначе статистически \
             неустойчивый. Так же для правил зоны риска по ОИП (для снижения: ОИП_low прошлого года \
             минус ОИП_high последнего не меньше {}). {}",
            t(cfg.oip.shnor_bar),
            t(cfg.oip.drop_points),
            if u.robust_only {
                "Настройка robust_only = true: в перечни входят только устойчивые."
            } else {
                "Неустойчивые остаются в перечнях с пометкой в основании (robust_only = false)."
            }
        ),
    );
    add(
        "Сжатие малых школ",
        format!(
            "По каждому показателю, году и кластеру: σᵢ² = SD²/nᵢ (доли: p̄(1 − p̄)/nᵢ), τ² = \
             max(0; дисперсия значений школ − среднее σᵢ²), B = τ²/(τ² + σᵢ²), сжатое = кластер + \
             B·(значение − кластер). Показано рядом с исходным на листе «Показатели школ». {}",
            if f.shrink {
                "ОИП рассчитан по сжатым значениям (shrink = true)."
            } else {
                "ОИП рассчитан по исходным значениям (shrink = false)."
            }
        ),
    );
    let c = &f.context;
    let context = match (c.a, c.b) {
        (Some(a), Some(b)) => format!(
            "ОИП = a + b·ИСБ по {} школам с ОИП и ИСБ за {} г.: a = {}, b = {}, R² = {}, \
             s = {}. Значимо выше / ниже ожидаемого — отклонение не меньше {}·s·√(1 + h) \
             (h — рычаг школы). «Резильентная по контексту» — ШНСУ и значимо выше ожидаемого; \
             признак «резильентная» по порогу ОИП от этого не меняется.",
            c.n,
            c.year,
            format::fixed(a, 3),
            format::fixed(b, 4),
            format::fixed(c.r2.unwrap_or_default(), 3),
            format::fixed(c.s.unwrap_or_default(), 3),
            t(c.z)
        ),
        _ => c
            .not_computed
            .clone()
            .unwrap_or_else(|| "не рассчитано".into()),
    };
    add("Контекст: ожидаемый ОИП", context);
    v
}

pub(super) fn write(
    wb: &mut Workbook,
    f: &Findings,
    ds: &Dataset,
    cfg: &Config,
    st: &Styles,
) -> Result<()> {
    let ws = printable(wb, SHEET_METHOD, &[(0, 34), (1, 110)], st)?;
    let mut r = sheet::method_lines(ws, "Методика расчёта", &methodology_lines(f, cfg), st)? + 1;
    crate::report::sheet::put_with(ws, r, 0, "Входные файлы", &st.bold)?;
    crate::report::sheet::put_with(ws, r, 1, "контрольная сумма SHA-256", &st.bold)?;
    r += 1;
    for file in &ds.files {
        crate::report::sheet::put(ws, r, 0, &file.path)?;
        crate::report::sheet::put(ws, r, 1, &file.sha256)?;
        r += 1;
    }
    r += 1;
    crate::report::sheet::put_with(ws, r, 0, "Настройки (TOML)", &st.bold)?;
    crate::report::sheet::put(
        ws,
        r,
        1,
        "полная конфигурация запуска; сохраните в файл и передайте через --config, чтобы повторить расчёт",
    )?;
    r += 1;
    let toml = toml::to_string_pretty(cfg)?;
    for line in toml.lines() {
        if !line.is_empty() {
            crate::report::sheet::put(ws, r, 1, line)?;
        }
        r += 1;
    }
    Ok(())
}
