//! Every numeric key of the configuration has a range (docs/method.md §4): a NaN, an
//! infinity, a negative bar or inverted band edges would otherwise change a list silently.
//! The message names the key, the value and what is allowed.

use super::{Config, ThresholdSpec, parse_threshold_rule};
use anyhow::{Context, Result, bail};

/// Years a file or a mark boundary may speak of.
const YEARS: (i32, i32) = (2000, 2100);
/// Counts of participants, works, schools: generous, far above any real school.
const COUNT_MAX: u64 = 100_000;

/// A value as TOML writes it (`nan`, `inf`), so the analyst finds it in the file.
fn show(v: f64) -> String {
    if v.is_nan() {
        "nan".into()
    } else if v.is_infinite() {
        if v > 0.0 { "inf".into() } else { "-inf".into() }
    } else if v != 0.0 && !(1e-6..1e15).contains(&v.abs()) {
        format!("{v:e}")
    } else {
        v.to_string()
    }
}

/// A finite number in `lo..=hi`.
fn real(key: &str, v: f64, lo: f64, hi: f64, what: &str) -> Result<()> {
    if v.is_finite() && (lo..=hi).contains(&v) {
        return Ok(());
    }
    bail!(
        "{key} = {}: {what} — допустимо число от {} до {}",
        show(v),
        show(lo),
        show(hi)
    )
}

/// A finite number strictly between 0 and 1 (a level of significance).
fn level(key: &str, v: f64) -> Result<()> {
    if v.is_finite() && v > 0.0 && v < 1.0 {
        return Ok(());
    }
    bail!(
        "{key} = {}: уровень значимости — допустимо число больше 0 и меньше 1 (0.05 = 95 %)",
        show(v)
    )
}

/// A whole number in `lo..=hi`.
fn whole(key: &str, v: u64, lo: u64, hi: u64, what: &str) -> Result<()> {
    if (lo..=hi).contains(&v) {
        return Ok(());
    }
    bail!("{key} = {v}: {what} — допустимо целое число от {lo} до {hi}")
}

/// Band edges: finite, each in `lo..=hi`, strictly increasing.
fn bands(key: &str, v: &[f64], lo: f64, hi: f64, what: &str) -> Result<()> {
    for x in v {
        real(key, *x, lo, hi, what)?;
    }
    if !v.windows(2).all(|w| w[0] < w[1]) {
        let list: Vec<String> = v.iter().map(|x| show(*x)).collect();
        bail!(
            "{key} = [{}]: границы должны возрастать слева направо",
            list.join(", ")
        );
    }
    Ok(())
}

fn year(key: &str, y: i32) -> Result<()> {
    if (YEARS.0..=YEARS.1).contains(&y) {
        return Ok(());
    }
    bail!(
        "{key} = {y}: год — допустимо от {} до {} (учебный год по году окончания: 2024/25 → 2025)",
        YEARS.0,
        YEARS.1
    )
}

fn grade(key: &str, g: Option<u8>) -> Result<()> {
    match g {
        Some(g) => whole(key, u64::from(g), 1, 11, "класс"),
        None => Ok(()),
    }
}

impl Config {
    /// Checks ranges and orderings that serde cannot.
    ///
    /// # Errors
    /// Names the offending key, its value and the allowed range.
    pub fn validate(&self) -> Result<()> {
        let g = &self.general;
        whole(
            "general.min_n",
            g.min_n.into(),
            1,
            COUNT_MAX,
            "наименьшее n",
        )?;
        whole(
            "general.pool_years",
            g.pool_years.into(),
            1,
            5,
            "лет объединения",
        )?;
        whole(
            "general.years_judged",
            g.years_judged.into(),
            1,
            10,
            "оцениваемых лет",
        )?;

        if self.indicators.is_empty() {
            bail!("indicators: нужен хотя бы один показатель");
        }
        let mut ids = std::collections::BTreeSet::new();
        for i in &self.indicators {
            if !ids.insert(&i.id) {
                bail!("indicators: показатель «{}» указан дважды", i.id);
            }
            let key = format!("indicators «{}»: weight", i.id);
            real(&key, i.weight, 0.0, 100.0, "вес показателя")?;
        }
        if self.indicators.iter().all(|i| i.weight == 0.0) {
            bail!("indicators: у всех показателей вес 0 — ОИП не из чего считать");
        }

        let p = &self.points;
        bands(
            "points.ratio_bands",
            &p.ratio_bands,
            0.0,
            10.0,
            "отношение школа / кластер",
        )?;
        bands(
            "points.pp_bands",
            &p.pp_bands,
            -100.0,
            100.0,
            "разность школа − кластер, п. п.",
        )?;

        let o = &self.oip;
        real("oip.scale", o.scale, 0.001, 1000.0, "множитель ОИП")?;
        // ОИП = scale × weighted mean of points 1–5, so it lies within 0 … 5 × scale.
        let top = 5.0 * o.scale;
        let oip_key = |k: &str| format!("oip.{k}");
        for (k, v) in [
            ("shnor_bar", o.shnor_bar),
            ("program_threshold", o.program_threshold),
            ("resilient_bar", o.resilient_bar),
            ("drop_points", o.drop_points),
        ] {
            real(&oip_key(k), v, 0.0, top, "по шкале ОИП (0 … 5 × oip.scale)")?;
        }
        whole(
            "oip.min_indicators",
            o.min_indicators as u64,
            1,
            self.indicators.len() as u64,
            "наименьшее число показателей (не больше числа показателей в indicators)",
        )?;
        whole("oip.window", o.window.into(), 1, 10, "окно лет")?;
        whole(
            "oip.min_low_years",
            o.min_low_years.into(),
            1,
            o.window.into(),
            "лет ниже порога (не больше oip.window)",
        )?;
        if o.shnor_bar > o.program_threshold {
            bail!(
                "oip.shnor_bar = {} выше oip.program_threshold = {}: порог ШНОР не может быть выше порога программы",
                show(o.shnor_bar),
                show(o.program_threshold)
            );
        }

        let f = &self.federal;
        real(
            "federal.fail_share",
            f.fail_share,
            0.0,
            1.0,
            "доля (0.3 = 30 %)",
        )?;
        whole(
            "federal.min_procedures",
            f.min_procedures.into(),
            1,
            1000,
            "число процедур",
        )?;
        whole(
            "federal.min_n",
            f.min_n.into(),
            1,
            COUNT_MAX,
            "наименьшее n",
        )?;

        let r = &self.risk;
        real(
            "risk.growth_pp",
            r.growth_pp,
            0.0,
            100.0,
            "рост доли «2», п. п.",
        )?;
        level("risk.alpha", r.alpha)?;
        whole(
            "risk.min_n_test",
            r.min_n_test.into(),
            1,
            COUNT_MAX,
            "наименьшее n",
        )?;

        let u = &self.uncertainty;
        real(
            "uncertainty.level",
            u.level,
            0.5,
            0.999,
            "уровень доверия интервала",
        )?;
        for (k, sd) in &u.sd {
            real(
                &format!("uncertainty.sd.{k}"),
                *sd,
                0.001,
                1000.0,
                "стандартное отклонение балла",
            )?;
        }
        whole(
            "context.min_schools",
            self.context.min_schools as u64,
            3,
            COUNT_MAX,
            "наименьшее число школ",
        )?;
        real("context.z", self.context.z, 0.0, 10.0, "множитель полосы")?;

        match &self.isb.threshold {
            ThresholdSpec::Rule(rule) => {
                parse_threshold_rule(rule).context("isb.threshold")?;
            }
            ThresholdSpec::Number(v) => real("isb.threshold", *v, 0.0, 100.0, "порог ИСБ")?,
        }
        for (k, w) in &self.isb.weights {
            real(&format!("isb.weights.{k}"), *w, 0.0, 100.0, "вес категории")?;
        }

        whole(
            "clusters.min_size",
            self.clusters.min_size as u64,
            1,
            COUNT_MAX,
            "наименьший кластер",
        )?;

        for m in &self.marks {
            let key = format!("marks ({} {})", m.exam, m.subject);
            let at = |k: &str| format!("{key}: {k}");
            bands(&at("min_score"), &m.min_score, 0.0, 1000.0, "балл")?;
            if let Some(max) = m.max_score {
                real(
                    &at("max_score"),
                    max,
                    m.min_score[2],
                    1000.0,
                    "наибольший балл (не ниже границы «5»)",
                )?;
            }
            grade(&at("grade"), m.grade)?;
            for y in &m.years {
                year(&at("years"), *y)?;
            }
        }
        for h in &self.files {
            let at = |k: &str| format!("files «{}»: {k}", h.pattern);
            if let Some(y) = h.year {
                year(&at("year"), y)?;
            }
            grade(&at("grade"), h.grade)?;
        }

        let pr = &self.progress;
        level("progress.alpha", pr.alpha)?;
        whole(
            "progress.min_n",
            pr.min_n.into(),
            1,
            COUNT_MAX,
            "наименьшее n",
        )?;
        real(
            "progress.leave_margin",
            pr.leave_margin,
            0.0,
            top,
            "запас по ОИП",
        )?;
        real(
            "progress.leave_margin_isb",
            pr.leave_margin_isb,
            0.0,
            100.0,
            "запас по ИСБ",
        )?;
        let t = pr.target_tolerance;
        if !(t.is_finite() && (0.0..1.0).contains(&t)) {
            bail!(
                "progress.target_tolerance = {}: допуск — доля, допустимо число от 0 до 1, меньше 1 (0.1 = 10 %)",
                show(t)
            );
        }

        let ob = &self.objectivity;
        whole(
            "objectivity.min_n",
            ob.min_n.into(),
            1,
            COUNT_MAX,
            "наименьшее n",
        )?;
        for (key, v, what) in [
            (
                "objectivity.raised_share",
                ob.raised_share,
                "доля «повысили», %",
            ),
            (
                "objectivity.lowered_share",
                ob.lowered_share,
                "доля «понизили», %",
            ),
            ("objectivity.vpr_oge_gap", ob.vpr_oge_gap, "разрыв, п. п."),
        ] {
            real(key, v, 0.0, 100.0, what)?;
        }
        for (key, v) in [
            ("objectivity.raised_ratio", ob.raised_ratio),
            ("objectivity.lowered_ratio", ob.lowered_ratio),
            ("objectivity.peak_ratio", ob.peak_ratio),
            ("objectivity.peak_input_ratio", ob.peak_input_ratio),
        ] {
            real(key, v, 0.0, 1000.0, "во сколько раз")?;
        }
        whole(
            "objectivity.peak_min",
            ob.peak_min.into(),
            1,
            COUNT_MAX,
            "участников на границе",
        )?;
        whole(
            "objectivity.min_signs",
            ob.min_signs.into(),
            1,
            100,
            "признаков у школы",
        )?;

        // A zero budget refuses every file; the top is far above any machine's memory,
        // only there to catch a typo of extra digits.
        let l = &self.limits;
        let budgets = [
            (
                "limits.file_megabytes",
                l.file_megabytes,
                "мегабайт на файл",
            ),
            ("limits.file_cells", l.file_cells, "ячеек на файл"),
            ("limits.file_rows", l.file_rows, "строк на файл"),
            (
                "limits.run_megabytes",
                l.run_megabytes,
                "мегабайт на запуск",
            ),
            ("limits.run_cells", l.run_cells, "ячеек на запуск"),
            ("limits.sheet_records", l.sheet_records, "записей с листа"),
            ("limits.run_records", l.run_records, "записей за запуск"),
            (
                "limits.unpack_ratio",
                l.unpack_ratio,
                "во сколько раз файл может вырасти при распаковке",
            ),
            (
                "limits.unpack_ratio_from_megabytes",
                l.unpack_ratio_from_megabytes,
                "мегабайт распакованного, с которых проверяется сжатие",
            ),
        ];
        for (key, v, what) in budgets {
            whole(key, v, 1, 1_000_000_000_000, what)?;
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
