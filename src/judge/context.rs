//! Context (docs/method.md §6.4): the ОИП a school would be expected to have for its social
//! conditions, from the least-squares line ОИП = a + b·ИСБ over every school of the input
//! with both in the judged year. A school is значимо выше / ниже ожидаемого when its
//! residual is outside z·s·√(1 + hᵢ) (the prediction band, hᵢ the leverage). Pure functions.

use super::frame::LineSums;
use serde::{Deserialize, Serialize};

/// The fitted line, or why there is none.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContextFit {
    pub year: i32,
    /// Schools with ОИП and ИСБ in the year.
    pub n: usize,
    pub a: Option<f64>,
    pub b: Option<f64>,
    pub r2: Option<f64>,
    /// Residual standard error √(SSE/(n − 2)).
    pub s: Option<f64>,
    /// Mean ИСБ and Sxx, for the leverage of any ИСБ (the band of the chart).
    pub mean_x: Option<f64>,
    pub sxx: Option<f64>,
    pub z: f64,
    /// Why not computed (fewer schools than configured, no spread of ИСБ), in Russian.
    pub not_computed: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    #[serde(rename = "значимо выше ожидаемого")]
    Above,
    #[serde(rename = "в пределах ожидаемого")]
    Within,
    #[serde(rename = "значимо ниже ожидаемого")]
    Below,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Above => "значимо выше ожидаемого",
            Verdict::Within => "в пределах ожидаемого",
            Verdict::Below => "значимо ниже ожидаемого",
        }
    }
}

/// One school against the line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SchoolContext {
    pub expected: f64,
    /// ОИП − expected.
    pub residual: f64,
    /// hᵢ = 1/n + (xᵢ − x̄)²/Sxx.
    pub leverage: f64,
    /// z·s·√(1 + hᵢ).
    pub band: f64,
    pub verdict: Verdict,
    /// ШНСУ and значимо выше ожидаемого.
    pub resilient: bool,
}

impl ContextFit {
    /// The line from its sums; `None` parts and a reason when fewer than `min_schools`
    /// schools or no spread of ИСБ.
    pub fn from_sums(year: i32, sums: Option<LineSums>, min_schools: usize, z: f64) -> Self {
        let n = sums.map_or(0, |s| s.n);
        let mut fit = ContextFit {
            year,
            n,
            z,
            ..ContextFit::default()
        };
        let Some(s) = sums.filter(|s| s.n >= min_schools.max(3)) else {
            fit.not_computed = Some(format!(
                "не рассчитано: школ с ОИП и ИСБ за {year} г. — {n}, нужно не менее {}",
                min_schools.max(3)
            ));
            return fit;
        };
        if s.sxx <= 0.0 {
            fit.not_computed = Some(format!(
                "не рассчитано: у всех {n} школ одинаковый ИСБ, зависимость не оценить"
            ));
            return fit;
        }
        let b = s.sxy / s.sxx;
        let a = s.mean_y - b * s.mean_x;
        let sse = (s.syy - b * s.sxy).max(0.0);
        fit.a = Some(a);
        fit.b = Some(b);
        fit.r2 = (s.syy > 0.0).then(|| 1.0 - sse / s.syy);
        fit.s = Some((sse / (n as f64 - 2.0)).sqrt());
        fit.mean_x = Some(s.mean_x);
        fit.sxx = Some(s.sxx);
        fit
    }

    /// Expected ОИП and the half-width of the band at ИСБ x.
    pub fn at(&self, x: f64) -> Option<(f64, f64, f64)> {
        let (a, b, s, mx, sxx) = (self.a?, self.b?, self.s?, self.mean_x?, self.sxx?);
        let h = 1.0 / self.n as f64 + (x - mx).powi(2) / sxx;
        Some((a + b * x, h, self.z * s * (1.0 + h).sqrt()))
    }

    /// A school with ОИП y and ИСБ x; `resilient` needs the school's ШНСУ.
    pub fn judge(&self, x: f64, y: f64, shnsu: bool) -> Option<SchoolContext> {
        let (expected, leverage, band) = self.at(x)?;
        let residual = y - expected;
        let eps = super::stats::EPS;
        let verdict = if residual >= band - eps {
            Verdict::Above
        } else if residual <= -band + eps {
            Verdict::Below
        } else {
            Verdict::Within
        };
        Some(SchoolContext {
            expected,
            residual,
            leverage,
            band,
            verdict,
            resilient: shnsu && verdict == Verdict::Above,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Six schools (ИСБ, ОИП), the line worked out by hand in
    /// fixtures/uncertainty/README.md («Контекст»).
    pub const SIX: [(f64, f64); 6] = [
        (60.0, 14.0),
        (65.0, 17.5),
        (70.0, 21.0),
        (75.0, 21.0),
        (80.0, 24.5),
        (90.0, 28.0),
    ];

    #[test]
    fn ols_with_leverage_by_hand() {
        let sums = crate::judge::frame::line_sums(&SIX).unwrap();
        let fit = ContextFit::from_sums(2025, sums, 6, 1.96);
        // x̄ = 440/6 = 73,3333; ȳ = 126/6 = 21; Sxx = 583,3333; Sxy = 262,5; Syy = 122,5
        // b = 262,5/583,3333 = 0,45; a = 21 − 0,45·73,3333 = −12
        let (a, b) = (fit.a.unwrap(), fit.b.unwrap());
        assert!((b - 0.45).abs() < 1e-12, "{b}");
        assert!((a + 12.0).abs() < 1e-10, "{a}");
        // SSE = Syy − b·Sxy = 122,5 − 118,125 = 4,375; R² = 1 − 4,375/122,5 = 0,964286
        assert!((fit.r2.unwrap() - 0.964_286).abs() < 1e-6);
        // s = √(4,375/4) = √1,09375 = 1,045825
        assert!((fit.s.unwrap() - 1.045_825).abs() < 1e-6);
        // school 6: x = 90, h = 1/6 + 16,6667²/583,3333 = 0,166667 + 0,476190 = 0,642857
        let c = fit.judge(90.0, 28.0, false).unwrap();
        assert!((c.leverage - 0.642_857).abs() < 1e-6);
        // expected −12 + 0,45·90 = 28,5; residual −0,5
        assert!((c.expected - 28.5).abs() < 1e-10);
        assert!((c.residual + 0.5).abs() < 1e-10);
        // band 1,96·1,045825·√1,642857 = 1,96·1,045825·1,281740 = 2,627333 → в пределах
        assert!((c.band - 2.627_333).abs() < 1e-5, "{}", c.band);
        assert_eq!(c.verdict, Verdict::Within);
        // a school at ИСБ 60 with ОИП 21: expected 15, residual 6; h = 1/6 + 13,3333²/583,3333
        // = 0,471429, band 1,96·1,045825·1,213025 = 2,486482 → 6 ≥ 2,486: выше
        let c = fit.judge(60.0, 21.0, true).unwrap();
        assert!((c.band - 2.486_482).abs() < 1e-5, "{}", c.band);
        assert_eq!(c.verdict, Verdict::Above);
        assert!(c.resilient);
        assert_eq!(fit.judge(60.0, 10.0, true).unwrap().verdict, Verdict::Below);
    }

    #[test]
    fn too_few_schools_or_no_spread() {
        let sums = crate::judge::frame::line_sums(&SIX).unwrap();
        let fit = ContextFit::from_sums(2025, sums, 30, 1.96);
        assert_eq!(fit.a, None);
        assert_eq!(
            fit.not_computed.as_deref(),
            Some("не рассчитано: школ с ОИП и ИСБ за 2025 г. — 6, нужно не менее 30")
        );
        assert_eq!(fit.judge(60.0, 21.0, true), None);
        let flat =
            crate::judge::frame::line_sums(&[(70.0, 14.0), (70.0, 21.0), (70.0, 28.0)]).unwrap();
        let fit = ContextFit::from_sums(2025, flat, 3, 1.96);
        assert!(fit.not_computed.unwrap().contains("одинаковый ИСБ"));
    }
}
