//! The parts of `explain` about how sure the numbers are (docs/method.md §6.1–6.4): the
//! interval of each value with its arithmetic, the shrunk value, ОИП_low / ОИП_high by terms
//! and the school against the ОИП expected for its ИСБ.

use crate::config::{Config, IndicatorKind};
use crate::judge::{Findings, IndicatorResult, OipYear, SchoolResult};
use crate::report::format::{self, fixed, trim};
use std::fmt::Write as _;

/// The interval of a value with its arithmetic (docs/method.md §6.1) and the shrunk value
/// (§6.3).
pub(super) fn certainty_lines(
    out: &mut String,
    ind: &IndicatorResult,
    kind: IndicatorKind,
    cfg: &Config,
    v: &dyn Fn(f64) -> String,
) {
    let (Some(value), c) = (ind.value, &ind.certainty) else {
        return;
    };
    let level = trim(cfg.uncertainty.level * 100.0);
    match (kind, c.low, c.high, c.quantile) {
        (IndicatorKind::Mean, Some(lo), Some(hi), Some(t)) => {
            let sd = c.sd.unwrap_or_default();
            let whose = if c.sd_assumed {
                "принято в настройках [uncertainty.sd]: распределения баллов в выгрузке нет"
            } else {
                "по распределению"
            };
            let _ = writeln!(
                out,
                "      интервал {level} %: {} ± t({}) {} · SD {} / √{} = {} ± {} → {}–{} (SD {whose})",
                v(value),
                ind.n.saturating_sub(1),
                fixed(t, 3),
                fixed(sd, 3),
                ind.n,
                v(value),
                fixed(t * sd / f64::from(ind.n).sqrt(), 3),
                v(lo),
                v(hi)
            );
        }
        (IndicatorKind::Share, Some(lo), Some(hi), Some(z)) => {
            let _ = writeln!(
                out,
                "      интервал {level} % (Уилсона, z = {}, n = {}): {}–{}",
                fixed(z, 3),
                ind.n,
                v(lo),
                v(hi)
            );
        }
        _ => {
            let _ = writeln!(
                out,
                "      интервал не рассчитан: нет распределения и не задано SD в [uncertainty.sd]"
            );
        }
    }
    if let (Some(shrunk), Some(b), Some(cv)) = (c.shrunk, c.weight, ind.cluster_value) {
        let used = if cfg.uncertainty.shrink {
            "в баллы идёт оно (shrink = true)"
        } else {
            "показано рядом, в баллы идёт исходное"
        };
        let _ = writeln!(
            out,
            "      сжатое к кластеру: {} + B·({} − {}) при B = τ²/(τ² + σ²) = {} → {} — {used}",
            v(cv),
            v(value),
            v(cv),
            fixed(b, 3),
            v(shrunk)
        );
    }
}

/// ОИП_low / ОИП_high with their terms (§6.2).
pub(super) fn bounds_line(out: &mut String, s: &SchoolResult, o: &OipYear, cfg: &Config) {
    let (Some(lo), Some(hi)) = (o.low, o.high) else {
        return;
    };
    let side = |low: bool| -> String {
        let terms: Vec<String> = o
            .calculation
            .terms
            .iter()
            .filter(|t| t.left_out.is_none())
            .filter_map(|t| {
                let p = t.points?;
                let c = &format::indicator(s, o.year, &t.indicator)?.certainty;
                let q = if low { c.points_low } else { c.points_high }.unwrap_or(p);
                Some(format!("{}·{q}", trim(t.weight)))
            })
            .collect();
        terms.join(" + ")
    };
    let _ = writeln!(
        out,
        "  ОИП_low {} = {} × ({}) / {} = {}; ОИП_high = {} × ({}) / {} = {} → ОИП {}",
        o.year,
        trim(cfg.oip.scale),
        side(true),
        trim(o.calculation.weights),
        fixed(lo, 1),
        trim(cfg.oip.scale),
        side(false),
        trim(o.calculation.weights),
        fixed(hi, 1),
        format::oip_text(o).unwrap_or_default()
    );
}

/// The school against the ОИП expected for its ИСБ (§6.4).
pub(super) fn context_lines(out: &mut String, f: &Findings, s: &SchoolResult) {
    let fit = &f.context;
    let (Some(a), Some(b)) = (fit.a, fit.b) else {
        let _ = writeln!(
            out,
            "Контекст (ОИП, ожидаемый по ИСБ): {}",
            fit.not_computed.as_deref().unwrap_or("не рассчитан")
        );
        return;
    };
    let (Some(c), Some(isb), Some(oip)) = (&s.context, &s.isb, s.oip_in(f.year)) else {
        let _ = writeln!(
            out,
            "Контекст: у школы нет ОИП {} или ИСБ — не сравнивается",
            f.year
        );
        return;
    };
    let _ = writeln!(
        out,
        "Контекст (линия по {} школам: ОИП = {} + {}·ИСБ, R² = {}, s = {}):",
        fit.n,
        fixed(a, 3),
        fixed(b, 4),
        fixed(fit.r2.unwrap_or_default(), 3),
        fixed(fit.s.unwrap_or_default(), 3)
    );
    let _ = writeln!(
        out,
        "  ожидаемый ОИП = {} + {}·{} = {}; отклонение {} − {} = {}; граница {}·s·√(1 + h) = {}·{}·√(1 + {}) = {} → {}{}",
        fixed(a, 3),
        fixed(b, 4),
        fixed(isb.value, 1),
        fixed(c.expected, 1),
        fixed(oip, 1),
        fixed(c.expected, 1),
        format::signed(c.residual, 1),
        trim(fit.z),
        trim(fit.z),
        fixed(fit.s.unwrap_or_default(), 3),
        fixed(c.leverage, 3),
        fixed(c.band, 2),
        c.verdict.label(),
        if c.resilient {
            "; ШНСУ — резильентная по контексту"
        } else {
            ""
        }
    );
}
