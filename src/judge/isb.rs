//! ИСБ, the index of a school's social well-being (docs/method.md §4.4). Each passport category is a
//! share of students; risk categories enter as 100·(1 − share), protective ones as
//! 100·share. Merged categories (in-school register + ПДН/КДН = `register`) are summed and
//! capped at the total. ИСБ = weighted mean over the categories present with a weight above
//! zero; weight-0 categories are reported as components with weight 0.

use super::stats::apply_rule;
use super::{FrozenThreshold, IsbComponent, IsbResult};
use crate::config::{Isb, ThresholdSpec, parse_threshold_rule};
use crate::model::{Category, Passport, Year};

/// ИСБ of one passport; `None` when the total is zero or no weighted category is present.
pub fn isb(p: &Passport, cfg: &Isb) -> Option<IsbResult> {
    if p.total == 0 {
        return None;
    }
    let total = f64::from(p.total);
    let merged_into = |c: Category| {
        cfg.merged
            .iter()
            .find(|(_, members)| members.iter().any(|m| m == c.key()))
            .map(|(k, _)| k.clone())
    };
    // Components in the order of Category::ALL; a merged one where its first member is.
    let mut components: Vec<(String, f64)> = Vec::new();
    for c in Category::ALL {
        let Some(&count) = p.counts.get(&c) else {
            continue;
        };
        let key = merged_into(c).unwrap_or_else(|| c.key().to_string());
        match components.iter_mut().find(|(k, _)| *k == key) {
            Some((_, sum)) => *sum += count,
            None => components.push((key, count)),
        }
    }
    let components: Vec<IsbComponent> = components
        .into_iter()
        .map(|(category, count)| {
            // Counts above the total are a data error reported by `normalize`; the share
            // is capped so that one bad cell cannot push ИСБ outside 0–100.
            let share = (count.min(total) / total).max(0.0);
            let protective = cfg.protective.contains(&category);
            let score = if protective {
                100.0 * share
            } else {
                100.0 * (1.0 - share)
            };
            let weight = cfg.weights.get(&category).copied().unwrap_or(0.0);
            IsbComponent {
                category,
                share,
                score,
                weight,
            }
        })
        .collect();
    let wsum: f64 = components
        .iter()
        .filter(|c| c.weight > 0.0)
        .map(|c| c.weight)
        .sum();
    if wsum <= 0.0 {
        return None;
    }
    let value = components
        .iter()
        .filter(|c| c.weight > 0.0)
        .map(|c| c.weight * c.score)
        .sum::<f64>()
        / wsum;
    Some(IsbResult {
        year: p.year,
        value,
        components,
    })
}

/// The threshold as configured: a number as it is, or a statistic over `values` (the
/// municipality's ИСБ in `year`). `None` when a statistic has no values to work on.
pub fn threshold(spec: &ThresholdSpec, values: &[f64], year: Year) -> Option<FrozenThreshold> {
    match spec {
        ThresholdSpec::Number(v) => Some(FrozenThreshold {
            spec: v.to_string(),
            value: *v,
            year: None,
        }),
        ThresholdSpec::Rule(r) => {
            let rule = parse_threshold_rule(r).ok()?;
            Some(FrozenThreshold {
                spec: r.trim().to_string(),
                value: apply_rule(rule, values)?,
                year: Some(year),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Origin;

    fn passport(total: u32, counts: &[(Category, f64)]) -> Passport {
        Passport {
            year: 2025,
            school: "1".into(),
            total,
            counts: counts.iter().copied().collect(),
            origin: Origin::default(),
        }
    }

    #[test]
    fn orientation_weights_and_merge() {
        use Category::*;
        let p = passport(
            200,
            &[
                (LowIncome, 50.0),       // share 0.25 → 75, w 1
                (ParentHigherEd, 90.0),  // protective 0.45 → 45, w 1
                (LargeFamily, 40.0),     // 0.2 → 80, w 0.5
                (InSchoolRegister, 6.0), // register 6 + 4 = 10 → 0.05 → 95, w 1
                (PdnKdn, 4.0),
                (Ovz, 20.0), // 0.1 → 90, w 0 (reported only)
            ],
        );
        let r = isb(&p, &Isb::default()).unwrap();
        // (75 + 45 + 0.5·80 + 95) / 3.5 = 255 / 3.5 = 72.857…
        assert!((r.value - 255.0 / 3.5).abs() < 1e-9, "{r:?}");
        let keys: Vec<&str> = r.components.iter().map(|c| c.category.as_str()).collect();
        assert_eq!(
            keys,
            vec![
                "low_income",
                "large_family",
                "ovz",
                "register",
                "parent_higher_ed"
            ]
        );
        let ovz = r.components.iter().find(|c| c.category == "ovz").unwrap();
        assert_eq!((ovz.weight, ovz.score), (0.0, 90.0));
        let reg = r
            .components
            .iter()
            .find(|c| c.category == "register")
            .unwrap();
        assert!((reg.share - 0.05).abs() < 1e-12);
    }

    #[test]
    fn register_capped_at_total() {
        use Category::*;
        let p = passport(10, &[(InSchoolRegister, 8.0), (PdnKdn, 7.0)]);
        let r = isb(&p, &Isb::default()).unwrap();
        // 15 > 10 → share 1 → 100·(1 − 1) = 0
        assert_eq!(r.value, 0.0);
        // only weight-0 categories present → no ИСБ
        assert_eq!(isb(&passport(10, &[(Ovz, 1.0)]), &Isb::default()), None);
        assert_eq!(
            isb(&passport(0, &[(LowIncome, 1.0)]), &Isb::default()),
            None
        );
    }

    #[test]
    fn thresholds_number_mean_median_p25() {
        // sorted: 56 58 70 72 74 76 78 80
        let v = [70.0, 56.0, 80.0, 58.0, 72.0, 74.0, 76.0, 78.0];
        let t = threshold(&ThresholdSpec::Number(42.7), &v, 2025).unwrap();
        assert_eq!((t.value, t.year, t.spec.as_str()), (42.7, None, "42.7"));
        // mean = 564 / 8 = 70.5
        let t = threshold(&ThresholdSpec::Rule("mean".into()), &v, 2025).unwrap();
        assert!((t.value - 70.5).abs() < 1e-12);
        assert_eq!(t.year, Some(2025));
        // median: h = 0.5·7 = 3.5 → 72 + 0.5·(74 − 72) = 73
        let t = threshold(&ThresholdSpec::Rule("median".into()), &v, 2025).unwrap();
        assert!((t.value - 73.0).abs() < 1e-12);
        // p25: h = 1.75 → 58 + 0.75·(70 − 58) = 67
        let t = threshold(&ThresholdSpec::Rule("p25".into()), &v, 2025).unwrap();
        assert!((t.value - 67.0).abs() < 1e-12);
        assert_eq!(
            threshold(&ThresholdSpec::Rule("p25".into()), &[], 2025),
            None
        );
    }
}
