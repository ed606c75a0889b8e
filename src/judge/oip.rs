//! ОИП (docs/method.md §4.3): scale × Σ wᵢ·pointsᵢ / Σ wᵢ over the school's reliable indicators with
//! a weight above zero. Fewer than `min_indicators` of them → no ОИП («недостаточно данных»).
//!
//! The calculation is recorded term by term (which indicators entered, with what weight and
//! points, which were left out and why), so `explain` shows it without working it out again.

use super::IndicatorResult;
use crate::config::Oip;

/// Why a configured indicator does not enter a year's ОИП.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeftOut {
    /// No value for the year, even after pooling.
    NoData,
    /// n below `min_n` after pooling: shown, not scored.
    Unreliable,
    /// The cluster has no value for the year: nothing to compare with.
    NoClusterValue,
    /// The cluster value allows no ratio (zero or negative): not scored.
    NotScored,
    /// Scored, but weight 0: adds nothing and does not count towards `min_indicators`.
    ZeroWeight,
}

/// One configured indicator's part in a year's ОИП.
#[derive(Clone, Debug, PartialEq)]
pub struct Term {
    pub indicator: String,
    pub weight: f64,
    pub points: Option<u8>,
    /// `None` when the indicator entered ОИП.
    pub left_out: Option<LeftOut>,
}

impl Term {
    /// The term of an indicator after pooling and scoring, with its configured weight.
    pub fn new(ind: &IndicatorResult, weight: f64) -> Term {
        let left_out = if ind.value.is_none() {
            Some(LeftOut::NoData)
        } else if !ind.reliable {
            Some(LeftOut::Unreliable)
        } else if ind.cluster_value.is_none() {
            Some(LeftOut::NoClusterValue)
        } else if ind.points.is_none() {
            Some(LeftOut::NotScored)
        } else if weight <= 0.0 {
            Some(LeftOut::ZeroWeight)
        } else {
            None
        };
        Term {
            indicator: ind.indicator.clone(),
            weight,
            points: ind.points,
            left_out,
        }
    }
}

/// How one school's ОИП of one year is reached: every configured indicator's term, in the
/// configured order, and the two sums over the terms that entered.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Calculation {
    pub terms: Vec<Term>,
    /// Indicators that entered.
    pub used: usize,
    /// Σ wᵢ·pointsᵢ.
    pub weighted_points: f64,
    /// Σ wᵢ.
    pub weights: f64,
}

impl Calculation {
    /// The calculation over a year's indicators, each with its configured weight.
    pub fn new<'a>(indicators: impl IntoIterator<Item = (&'a IndicatorResult, f64)>) -> Self {
        let terms: Vec<Term> = indicators
            .into_iter()
            .map(|(ind, w)| Term::new(ind, w))
            .collect();
        let (used, weighted_points, weights) = sums(
            terms
                .iter()
                .filter(|t| t.left_out.is_none())
                .filter_map(|t| Some((t.weight, t.points?))),
        );
        Calculation {
            terms,
            used,
            weighted_points,
            weights,
        }
    }

    /// ОИП, or `None` when fewer than `min_indicators` entered («недостаточно данных»).
    pub fn value(&self, cfg: &Oip) -> Option<f64> {
        value(self.used, self.weighted_points, self.weights, cfg)
    }

    /// ОИП_low and ОИП_high (docs/method.md §6.2): the same terms, each at the points of the
    /// lower / upper end of its interval; a term without an interval keeps its points.
    /// `indicators` are the ones the calculation was made of, in the same order.
    pub fn bounds(&self, indicators: &[IndicatorResult], cfg: &Oip) -> Option<(f64, f64)> {
        let entered: Vec<(f64, u8, u8)> = self
            .terms
            .iter()
            .zip(indicators)
            .filter(|(t, _)| t.left_out.is_none())
            .filter_map(|(t, ind)| {
                let p = t.points?;
                let c = &ind.certainty;
                Some((
                    t.weight,
                    c.points_low.unwrap_or(p),
                    c.points_high.unwrap_or(p),
                ))
            })
            .collect();
        let (used, low, w) = sums(entered.iter().map(|&(w, l, _)| (w, l)));
        let (_, high, _) = sums(entered.iter().map(|&(w, _, h)| (w, h)));
        Some((value(used, low, w, cfg)?, value(used, high, w, cfg)?))
    }
}

/// ОИП from (weight, points) of the scored indicators, and how many were used.
pub fn oip(items: &[(f64, u8)], cfg: &Oip) -> (Option<f64>, usize) {
    let (used, wp, w) = sums(items.iter().copied());
    (value(used, wp, w, cfg), used)
}

/// How many terms have a weight above zero, Σ wᵢ·pointsᵢ and Σ wᵢ over them.
fn sums(items: impl Iterator<Item = (f64, u8)>) -> (usize, f64, f64) {
    items
        .filter(|(w, _)| *w > 0.0)
        .fold((0, 0.0, 0.0), |(n, wp, ws), (w, p)| {
            (n + 1, wp + w * f64::from(p), ws + w)
        })
}

fn value(used: usize, weighted_points: f64, weights: f64, cfg: &Oip) -> Option<f64> {
    (used >= cfg.min_indicators && weights > 0.0).then(|| cfg.scale * weighted_points / weights)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scored indicators with (weight, points).
    fn calc(items: &[(f64, u8)]) -> Calculation {
        let inds: Vec<IndicatorResult> = items
            .iter()
            .enumerate()
            .map(|(i, (_, p))| IndicatorResult {
                year: 2025,
                indicator: format!("i{i}"),
                value: Some(1.0),
                raw_value: Some(1.0),
                n: 20,
                raw_n: 20,
                pooled_years: 1,
                reliable: true,
                cluster_value: Some(1.0),
                comparison: Some(1.0),
                points: Some(*p),
                certainty: Default::default(),
            })
            .collect();
        Calculation::new(inds.iter().zip(items.iter().map(|(w, _)| *w)))
    }

    #[test]
    fn from_weights_and_points() {
        let c = Oip::default();
        // weights 1, 1, 0.5 and points 2, 4, 5: 7 × (2 + 4 + 2.5) / 2.5 = 7 × 3.4 = 23.8
        let (v, n) = oip(&[(1.0, 2), (1.0, 4), (0.5, 5)], &c);
        assert!((v.unwrap() - 23.8).abs() < 1e-12);
        assert_eq!(n, 3);
        assert_eq!(oip(&[(1.0, 3), (1.0, 3)], &c), (None, 2));
        // a weight-0 indicator does not count towards the three
        assert_eq!(oip(&[(1.0, 3), (1.0, 3), (0.0, 5)], &c), (None, 2));
    }

    #[test]
    fn weights_and_scaling() {
        let c = Oip::default();
        // weights 1, 1, 0.5 and points 2, 4, 5: 7 × (2 + 4 + 2.5) / 2.5 = 7 × 3.4 = 23.8
        let k = calc(&[(1.0, 2), (1.0, 4), (0.5, 5)]);
        assert!((k.value(&c).unwrap() - 23.8).abs() < 1e-12);
        assert_eq!((k.used, k.weighted_points, k.weights), (3, 8.5, 2.5));
        // points 3, 3, 3 with the 0.5-weight indicator missing: 7 × 9 / 3 = 21
        let v = calc(&[(1.0, 3), (1.0, 3), (1.0, 3)]).value(&c);
        assert!((v.unwrap() - 21.0).abs() < 1e-12);
        // the same plus 1 point with weight 0.5: 7 × (9 + 0.5) / 3.5 = 19
        let v = calc(&[(1.0, 3), (1.0, 3), (1.0, 3), (0.5, 1)]).value(&c);
        assert!((v.unwrap() - 19.0).abs() < 1e-12);
        // all 5 → 35, all 1 → 7
        assert_eq!(calc(&[(1.0, 5), (1.0, 5), (0.5, 5)]).value(&c), Some(35.0));
        assert_eq!(calc(&[(1.0, 1), (1.0, 1), (0.5, 1)]).value(&c), Some(7.0));
    }

    #[test]
    fn too_few_indicators() {
        let c = Oip::default();
        let k = calc(&[(1.0, 3), (1.0, 3)]);
        assert_eq!((k.value(&c), k.used), (None, 2));
        // a weight-0 indicator does not count towards the three
        let k = calc(&[(1.0, 3), (1.0, 3), (0.0, 5)]);
        assert_eq!((k.value(&c), k.used), (None, 2));
        assert_eq!(k.terms[2].left_out, Some(LeftOut::ZeroWeight));
        assert_eq!(k.terms[2].points, Some(5));
    }

    #[test]
    fn left_out_reasons() {
        let base = IndicatorResult {
            year: 2025,
            indicator: "vpr".into(),
            value: Some(3.5),
            raw_value: Some(3.5),
            n: 4,
            raw_n: 4,
            pooled_years: 1,
            reliable: false,
            cluster_value: Some(3.8),
            comparison: None,
            points: None,
            certainty: Default::default(),
        };
        let reason = |i: &IndicatorResult| Term::new(i, 1.0).left_out;
        assert_eq!(reason(&base), Some(LeftOut::Unreliable));
        let none = IndicatorResult {
            value: None,
            ..base.clone()
        };
        assert_eq!(reason(&none), Some(LeftOut::NoData));
        let alone = IndicatorResult {
            reliable: true,
            cluster_value: None,
            ..base.clone()
        };
        assert_eq!(reason(&alone), Some(LeftOut::NoClusterValue));
        let zero = IndicatorResult {
            reliable: true,
            cluster_value: Some(0.0),
            ..base.clone()
        };
        assert_eq!(reason(&zero), Some(LeftOut::NotScored));
        let scored = IndicatorResult {
            reliable: true,
            points: Some(3),
            ..base
        };
        assert_eq!(reason(&scored), None);
    }
}
