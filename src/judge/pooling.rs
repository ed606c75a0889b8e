//! Pooling of small schools (docs/method.md §4.2): when a year's n is above zero but below `min_n`,
//! the school's previous years are added one at a time (y−1, then y−2 …, at most
//! `pool_years` calendar years in all), participant-weighted, until n ≥ `min_n`. Still
//! below → the value is shown but unreliable and gets no points. Years without data inside
//! the window are skipped (they add nothing) but still use up the window.

use crate::model::Year;
use std::collections::BTreeMap;

/// One school's indicator by year: (value, n).
pub type Series = BTreeMap<Year, (f64, u32)>;

/// SD of one participant's value behind a year's value, where the data give it.
pub type Spread = BTreeMap<Year, f64>;

/// A school's indicator for one year after pooling.
#[derive(Clone, Debug, PartialEq)]
pub struct Pooled {
    pub value: Option<f64>,
    pub n: u32,
    pub raw_value: Option<f64>,
    pub raw_n: u32,
    /// Years whose data were merged (1 = this year alone, 0 = no data).
    pub pooled_years: u32,
    pub reliable: bool,
    /// SD over the pooled participants (docs/method.md §6.1); `None` when a pooled year
    /// has no distribution.
    pub sd: Option<f64>,
}

/// Pools `series` (year → (value, n)) for `year`.
pub fn pool(
    series: &BTreeMap<Year, (f64, u32)>,
    spread: &Spread,
    year: Year,
    min_n: u32,
    pool_years: u32,
) -> Pooled {
    let Some(&(raw_value, raw_n)) = series.get(&year).filter(|(_, n)| *n > 0) else {
        return Pooled {
            value: None,
            n: 0,
            raw_value: None,
            raw_n: 0,
            pooled_years: 0,
            reliable: false,
            sd: None,
        };
    };
    let mut sum = raw_value * f64::from(raw_n);
    let mut n = raw_n;
    let mut years = 1;
    let mut groups = vec![(raw_value, spread.get(&year).copied(), raw_n)];
    for back in 1..pool_years.max(1) {
        if n >= min_n {
            break;
        }
        if let Some(&(v, k)) = series.get(&(year - back as Year)).filter(|(_, k)| *k > 0) {
            sum += v * f64::from(k);
            n += k;
            years += 1;
            groups.push((v, spread.get(&(year - back as Year)).copied(), k));
        }
    }
    Pooled {
        value: Some(sum / f64::from(n)),
        n,
        raw_value: Some(raw_value),
        raw_n,
        pooled_years: years,
        reliable: n >= min_n,
        sd: super::uncertainty::pooled_sd(&groups),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(items: &[(Year, f64, u32)]) -> BTreeMap<Year, (f64, u32)> {
        items.iter().map(|&(y, v, n)| (y, (v, n))).collect()
    }

    #[test]
    fn small_school_pools_three_years() {
        // n 4 (2023), 5 (2024), 6 (2025); values 3.0, 3.4, 4.0
        let s = series(&[(2023, 3.0, 4), (2024, 3.4, 5), (2025, 4.0, 6)]);
        let p = pool(&s, &Spread::new(), 2025, 10, 3);
        // 6 < 10 → +5 = 11 ≥ 10: two years; (4.0·6 + 3.4·5) / 11 = (24 + 17) / 11 = 41/11
        assert_eq!((p.n, p.pooled_years, p.reliable), (11, 2, true));
        assert!((p.value.unwrap() - 41.0 / 11.0).abs() < 1e-12);
        assert_eq!((p.raw_value, p.raw_n), (Some(4.0), 6));
        // with min_n 15: 6 + 5 + 4 = 15 over three years;
        // (24 + 17 + 3.0·4) / 15 = 53 / 15 = 3.5333…
        let p = pool(&s, &Spread::new(), 2025, 15, 3);
        assert_eq!((p.n, p.pooled_years, p.reliable), (15, 3, true));
        assert!((p.value.unwrap() - 53.0 / 15.0).abs() < 1e-12);
    }

    #[test]
    fn still_too_small_is_unreliable() {
        // 3 + 3 + 3 = 9 < 10 after three years; 2022 is outside the window
        let s = series(&[
            (2022, 5.0, 50),
            (2023, 3.0, 3),
            (2024, 4.0, 3),
            (2025, 5.0, 3),
        ]);
        let p = pool(&s, &Spread::new(), 2025, 10, 3);
        assert_eq!((p.n, p.pooled_years, p.reliable), (9, 3, false));
        // (15 + 12 + 9) / 9 = 4
        assert!((p.value.unwrap() - 4.0).abs() < 1e-12);
    }

    #[test]
    fn large_school_and_missing_year() {
        let s = series(&[(2024, 3.0, 8), (2025, 4.0, 12)]);
        let p = pool(&s, &Spread::new(), 2025, 10, 3);
        assert_eq!(
            (p.value, p.n, p.pooled_years, p.reliable),
            (Some(4.0), 12, 1, true)
        );
        let p = pool(&s, &Spread::new(), 2023, 10, 3);
        assert_eq!(
            (p.value, p.n, p.pooled_years, p.reliable),
            (None, 0, 0, false)
        );
        // a gap year inside the window is skipped: 2025 (5) + 2023 (6) = 11
        let s = series(&[(2023, 2.0, 6), (2025, 4.0, 5)]);
        let p = pool(&s, &Spread::new(), 2025, 10, 3);
        assert_eq!((p.n, p.pooled_years, p.reliable), (11, 2, true));
        // (20 + 12) / 11
        assert!((p.value.unwrap() - 32.0 / 11.0).abs() < 1e-12);
    }

    #[test]
    fn pooled_sd_follows_the_pooled_years() {
        // 2025: 2 works, mean 4, sd √2; 2024: 3 works, mean 4, sd 2 → pooled sd √2,5
        // (uncertainty::tests::pooled_sd_by_hand); 2023 is not needed (5 ≥ min_n 5).
        let s = series(&[(2023, 3.0, 10), (2024, 4.0, 3), (2025, 4.0, 2)]);
        let spread: Spread = [(2023, 9.0), (2024, 2.0), (2025, 2f64.sqrt())].into();
        let p = pool(&s, &spread, 2025, 5, 3);
        assert_eq!((p.n, p.pooled_years), (5, 2));
        assert!((p.sd.unwrap() - 2.5f64.sqrt()).abs() < 1e-12);
        // without a distribution in 2024 there is none for the pooled value
        let spread: Spread = [(2025, 2f64.sqrt())].into();
        assert_eq!(pool(&s, &spread, 2025, 5, 3).sd, None);
    }
}
