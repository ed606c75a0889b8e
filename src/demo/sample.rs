//! Sampling helpers for the synthetic municipality: seeded sub-generators, the normal
//! distribution, and *stratified* abilities. Stratification (one draw per quantile stratum)
//! makes a school's mean equal its planted level up to rounding, so chance alone does not
//! push ordinary schools across the methodology's bands — the planted truth stays the truth.

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

/// A generator for one part of the data (school, year, file …), derived from the seed and
/// a path of numbers, so each file can be generated on its own and in any order.
pub fn rng_for(seed: u64, path: &[u64]) -> StdRng {
    let mut h = splitmix(seed ^ 0x5348_4e4f_5200_0000);
    for &p in path {
        h = splitmix(h ^ p.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    }
    StdRng::seed_from_u64(h)
}

/// A deterministic number in [−1, 1] for a path (cohort sizes, small jitters).
pub fn jitter(seed: u64, path: &[u64]) -> f64 {
    rng_for(seed, path).random_range(-1.0..=1.0)
}

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Standard normal CDF (Abramowitz–Stegun 7.1.26 via erf; error < 1.5e-7).
pub fn norm_cdf(z: f64) -> f64 {
    let x = z / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * x.abs());
    let y = 1.0
        - (((((1.061_405_429 * t - 1.453_152_027) * t) + 1.421_413_741) * t - 0.284_496_736) * t
            + 0.254_829_592)
            * t
            * (-x * x).exp();
    let erf = if x >= 0.0 { y } else { -y };
    0.5 * (1.0 + erf)
}

/// Standard normal quantile (Acklam's rational approximation; relative error < 1.2e-9).
pub fn norm_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let p = p.clamp(1e-12, 1.0 - 1e-12);
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < 0.02425 {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - 0.02425 {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

/// Spread of students' abilities (share of the maximum score) around the school's level.
pub const SIGMA: f64 = 0.17;

/// `n` abilities (shares of the maximum score, 0..1) with mean `mu`: one per quantile
/// stratum, jittered inside the stratum's middle, in random order.
pub fn abilities(rng: &mut StdRng, n: usize, mu: f64) -> Vec<f64> {
    let mut v: Vec<f64> = (0..n)
        .map(|i| {
            let u = (i as f64 + rng.random_range(0.4..0.6)) / n as f64;
            (mu + SIGMA * norm_quantile(u)).clamp(0.0, 1.0)
        })
        .collect();
    v.shuffle(rng);
    v
}

/// Score out of `max` for an ability (rounded to whole points).
pub fn score(ability: f64, max: u32) -> u32 {
    ((ability * f64::from(max)).round() as u32).min(max)
}

/// Mark 2–5 for a score, given the lowest scores for «3», «4», «5».
pub fn mark(score: u32, min: [u32; 3]) -> u8 {
    2 + min.iter().filter(|&&b| score >= b).count() as u8
}

/// Expected share of students scoring at least `b` of `max` at level `mu` (rounding included).
fn share_at_least(b: u32, max: u32, mu: f64) -> f64 {
    let edge = (f64::from(b) - 0.5) / f64::from(max);
    1.0 - norm_cdf((edge - mu) / SIGMA)
}

/// Expected mean mark at level `mu`.
pub fn expected_mark(mu: f64, max: u32, min: [u32; 3]) -> f64 {
    2.0 + min.iter().map(|&b| share_at_least(b, max, mu)).sum::<f64>()
}

/// The level at which the expected mean mark is `target` (bisection; the mark rises with mu).
pub fn level_for_mark(target: f64, max: u32, min: [u32; 3]) -> f64 {
    let (mut lo, mut hi) = (0.0, 1.0);
    for _ in 0..60 {
        let mid = (lo + hi) / 2.0;
        if expected_mark(mid, max, min) < target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (lo + hi) / 2.0
}

/// The level at which a share `fail` of students get «2» (score below `min3`).
pub fn level_for_fail_share(fail: f64, max: u32, min3: u32) -> f64 {
    let edge = (f64::from(min3) - 0.5) / f64::from(max);
    edge - SIGMA * norm_quantile(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_functions() {
        // Φ(0) = 0.5, Φ(1.96) ≈ 0.975 (table value), Φ⁻¹(0.975) ≈ 1.96.
        assert!((norm_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((norm_cdf(1.96) - 0.975).abs() < 1e-4);
        assert!((norm_quantile(0.975) - 1.959_964).abs() < 1e-5);
        assert!((norm_quantile(0.01) + 2.326_348).abs() < 1e-5);
    }

    #[test]
    fn stratified_mean_is_the_level() {
        // Symmetric strata: the mean of the abilities is mu up to the jitter (±0.1 of a
        // stratum), far inside one band of the methodology (±5 %).
        let mut rng = rng_for(1, &[1]);
        for n in [5usize, 12, 40, 200] {
            let v = abilities(&mut rng, n, 0.55);
            let mean = v.iter().sum::<f64>() / n as f64;
            assert!((mean - 0.55).abs() < 0.02, "n={n} mean={mean}");
        }
    }

    #[test]
    fn marks_and_levels() {
        // ВПР Математика 4 (2021): 0–5 → 2, 6–9 → 3, 10–14 → 4, 15–20 → 5.
        let b = [6, 10, 15];
        assert_eq!(mark(5, b), 2);
        assert_eq!(mark(6, b), 3);
        assert_eq!(mark(14, b), 4);
        assert_eq!(mark(20, b), 5);
        let mu = level_for_mark(3.5, 20, b);
        assert!((expected_mark(mu, 20, b) - 3.5).abs() < 1e-6);
        // A fail share of 50 % puts the level exactly on the «3» edge: (6 − 0.5) / 20.
        assert!((level_for_fail_share(0.5, 20, 6) - 0.275).abs() < 1e-9);
    }

    #[test]
    fn derived_generators_are_reproducible() {
        let a: f64 = rng_for(7, &[1, 2]).random();
        let b: f64 = rng_for(7, &[1, 2]).random();
        let c: f64 = rng_for(7, &[2, 1]).random();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }
}
