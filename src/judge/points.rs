//! Points 1–5 for one indicator against its cluster (docs/method.md §4.3): mean indicators by the
//! ratio school / cluster, share indicators by the difference in percentage points. A
//! value exactly on an edge belongs to the upper band.

use super::stats::at_least;
use crate::config::{IndicatorKind, Points};

/// Points for a comparison value against four increasing lower edges of points 2…5.
pub fn band(x: f64, edges: &[f64; 4]) -> u8 {
    1 + edges.iter().filter(|&&e| at_least(x, e)).count() as u8
}

/// The comparison (ratio, or difference in p.p.) and the points; `None` when the cluster
/// value does not allow a ratio (zero or negative).
pub fn score(kind: IndicatorKind, school: f64, cluster: f64, cfg: &Points) -> Option<(f64, u8)> {
    match kind {
        IndicatorKind::Mean => {
            if cluster <= 0.0 {
                return None;
            }
            let r = school / cluster;
            Some((r, band(r, &cfg.ratio_bands)))
        }
        IndicatorKind::Share => {
            let d = (school - cluster) * 100.0;
            Some((d, band(d, &cfg.pp_bands)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratio_bands_with_exact_edges() {
        let p = Points::default(); // 0.85 0.95 1.05 1.15
        let pts = |r: f64| band(r, &p.ratio_bands);
        assert_eq!(pts(0.8499), 1);
        assert_eq!(pts(0.85), 2);
        assert_eq!(pts(0.9499), 2);
        assert_eq!(pts(0.95), 3);
        assert_eq!(pts(1.0), 3);
        assert_eq!(pts(1.05), 4);
        assert_eq!(pts(1.1499), 4);
        assert_eq!(pts(1.15), 5);
        assert_eq!(pts(2.0), 5);
        // computed ratios that are on an edge on paper: 3.4 / 4 = 0.85, 3.8 / 4 = 0.95
        assert_eq!(
            score(IndicatorKind::Mean, 3.4, 4.0, &p),
            Some((3.4 / 4.0, 2))
        );
        assert_eq!(score(IndicatorKind::Mean, 3.8, 4.0, &p).unwrap().1, 3);
        assert_eq!(score(IndicatorKind::Mean, 3.0, 0.0, &p), None);
    }

    #[test]
    fn pp_bands_with_exact_edges() {
        let p = Points::default(); // −10 −4 +4 +10
        let pts = |d: f64| band(d, &p.pp_bands);
        assert_eq!(pts(-10.01), 1);
        assert_eq!(pts(-10.0), 2);
        assert_eq!(pts(-4.01), 2);
        assert_eq!(pts(-4.0), 3);
        assert_eq!(pts(3.99), 3);
        assert_eq!(pts(4.0), 4);
        assert_eq!(pts(9.99), 4);
        assert_eq!(pts(10.0), 5);
        // shares: 0 % vs cluster 10 % → d = −10 p.p. → 2; 30 % vs 20 % → +10 → 5
        assert_eq!(score(IndicatorKind::Share, 0.0, 0.1, &p).unwrap().1, 2);
        assert_eq!(score(IndicatorKind::Share, 0.3, 0.2, &p).unwrap().1, 5);
        // 0.24 vs 0.20 → +4 p.p. → 4
        assert_eq!(score(IndicatorKind::Share, 0.24, 0.2, &p).unwrap().1, 4);
    }
}
