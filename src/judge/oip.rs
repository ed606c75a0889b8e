//! ОИП (METHOD §4.3): scale × Σ wᵢ·pointsᵢ / Σ wᵢ over the school's reliable indicators with
//! a weight above zero. Fewer than `min_indicators` of them → no ОИП («недостаточно данных»).

use crate::config::Oip;

/// ОИП from (weight, points) of the reliable indicators, and how many were used.
pub fn oip(items: &[(f64, u8)], cfg: &Oip) -> (Option<f64>, usize) {
    let used: Vec<&(f64, u8)> = items.iter().filter(|(w, _)| *w > 0.0).collect();
    let wsum: f64 = used.iter().map(|(w, _)| w).sum();
    if used.len() < cfg.min_indicators || wsum <= 0.0 {
        return (None, used.len());
    }
    let psum: f64 = used.iter().map(|(w, p)| w * f64::from(*p)).sum();
    (Some(cfg.scale * psum / wsum), used.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_and_scaling() {
        let c = Oip::default();
        // weights 1, 1, 0.5 and points 2, 4, 5: 7 × (2 + 4 + 2.5) / 2.5 = 7 × 3.4 = 23.8
        let (v, n) = oip(&[(1.0, 2), (1.0, 4), (0.5, 5)], &c);
        assert!((v.unwrap() - 23.8).abs() < 1e-12);
        assert_eq!(n, 3);
        // points 3, 3, 3 with the 0.5-weight indicator missing: 7 × 9 / 3 = 21
        let (v, _) = oip(&[(1.0, 3), (1.0, 3), (1.0, 3)], &c);
        assert!((v.unwrap() - 21.0).abs() < 1e-12);
        // the same plus 1 point with weight 0.5: 7 × (9 + 0.5) / 3.5 = 19
        let (v, _) = oip(&[(1.0, 3), (1.0, 3), (1.0, 3), (0.5, 1)], &c);
        assert!((v.unwrap() - 19.0).abs() < 1e-12);
        // all 5 → 35, all 1 → 7
        assert_eq!(oip(&[(1.0, 5), (1.0, 5), (0.5, 5)], &c).0, Some(35.0));
        assert_eq!(oip(&[(1.0, 1), (1.0, 1), (0.5, 1)], &c).0, Some(7.0));
    }

    #[test]
    fn too_few_indicators() {
        let c = Oip::default();
        assert_eq!(oip(&[(1.0, 3), (1.0, 3)], &c), (None, 2));
        // a weight-0 indicator does not count towards the three
        assert_eq!(oip(&[(1.0, 3), (1.0, 3), (0.0, 5)], &c), (None, 2));
    }
}
