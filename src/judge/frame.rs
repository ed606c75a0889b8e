//! The table work of `judge`, in polars: participant-weighted cluster values (group by
//! cluster, year, indicator), the rank of ОИП within a cluster, the variance components of
//! shrinkage (docs/method.md §6.3) and the sums of the context regression (§6.4). Kept in
//! one module so that polars' prelude never meets `anyhow::Context`.

use super::ClusterValue;
use crate::measure::RawIndicator;
use polars::prelude::{
    DataType, IntoLazy, RankMethod, RankOptions, SortMultipleOptions, col, df, lit,
};
use std::collections::BTreeMap;

/// Cluster value of every indicator and year: Σ value·n / Σ n over the cluster's schools
/// that have the indicator that year (own values, not pooled). Schools without a cluster
/// (not in the registry) are left out. Sorted by cluster, year, indicator.
///
/// # Errors
/// Only if polars fails on a well-formed frame (a bug).
pub fn cluster_values(
    raw: &[RawIndicator],
    cluster_of: &BTreeMap<String, String>,
) -> anyhow::Result<Vec<ClusterValue>> {
    let rows: Vec<(&str, &RawIndicator)> = raw
        .iter()
        .filter(|r| r.n > 0)
        .filter_map(|r| cluster_of.get(&r.school).map(|c| (c.as_str(), r)))
        .collect();
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let frame = df!(
        "cluster" => rows.iter().map(|(c, _)| *c).collect::<Vec<_>>(),
        "year" => rows.iter().map(|(_, r)| r.year).collect::<Vec<_>>(),
        "indicator" => rows.iter().map(|(_, r)| r.indicator.as_str()).collect::<Vec<_>>(),
        "value" => rows.iter().map(|(_, r)| r.value).collect::<Vec<_>>(),
        "n" => rows.iter().map(|(_, r)| f64::from(r.n)).collect::<Vec<_>>(),
    )?;
    let out = frame
        .lazy()
        .with_column((col("value") * col("n")).alias("weighted"))
        .group_by([col("cluster"), col("year"), col("indicator")])
        .agg([
            col("weighted").sum().alias("sum"),
            col("n").sum().alias("n"),
        ])
        .with_column((col("sum") / col("n")).alias("value"))
        .sort(
            ["cluster", "year", "indicator"],
            SortMultipleOptions::default(),
        )
        .collect()?;
    let cluster = out.column("cluster")?.str()?;
    let year = out.column("year")?.i32()?;
    let indicator = out.column("indicator")?.str()?;
    let value = out.column("value")?.f64()?;
    let n = out.column("n")?.f64()?;
    let mut res = Vec::with_capacity(out.height());
    for i in 0..out.height() {
        let (Some(c), Some(y), Some(ind), Some(v), Some(k)) = (
            cluster.get(i),
            year.get(i),
            indicator.get(i),
            value.get(i),
            n.get(i),
        ) else {
            continue;
        };
        res.push(ClusterValue {
            cluster: c.to_string(),
            year: y,
            indicator: ind.to_string(),
            value: v,
            n: k as u32,
        });
    }
    Ok(res)
}

/// Rank by ОИП within the cluster, 1 = highest, ties share the lowest rank (competition
/// ranking «1, 2, 2, 4»). Schools without ОИП get no rank.
///
/// # Errors
/// Only if polars fails on a well-formed frame (a bug).
pub fn rank_in_cluster(
    items: &[(String, String, Option<f64>)],
) -> anyhow::Result<BTreeMap<String, u32>> {
    let with: Vec<&(String, String, Option<f64>)> =
        items.iter().filter(|(_, _, v)| v.is_some()).collect();
    if with.is_empty() {
        return Ok(BTreeMap::new());
    }
    let frame = df!(
        "school" => with.iter().map(|(s, _, _)| s.as_str()).collect::<Vec<_>>(),
        "cluster" => with.iter().map(|(_, c, _)| c.as_str()).collect::<Vec<_>>(),
        "oip" => with.iter().map(|(_, _, v)| v.unwrap_or_default()).collect::<Vec<_>>(),
    )?;
    let out = frame
        .lazy()
        .with_column(
            col("oip")
                .rank(
                    RankOptions {
                        method: RankMethod::Min,
                        descending: true,
                    },
                    None,
                )
                .over([col("cluster")])?
                .cast(DataType::UInt32)
                .alias("rank"),
        )
        .collect()?;
    let school = out.column("school")?.str()?;
    let rank = out.column("rank")?.u32()?;
    Ok((0..out.height())
        .filter_map(|i| Some((school.get(i)?.to_string(), rank.get(i)?)))
        .collect())
}

/// One school's value of an indicator in a year, with its sampling variance σᵢ²: a row of
/// the shrinkage table.
pub struct Spread<'a> {
    pub cluster: &'a str,
    pub year: i32,
    pub indicator: &'a str,
    pub value: f64,
    pub sigma2: f64,
}

/// (cluster, year, indicator) → (variance of the school values, mean σᵢ², k).
pub type Components = BTreeMap<(String, i32, String), (f64, f64, u32)>;

/// Per (cluster, year, indicator) with at least two schools: the sample variance of the
/// school values (divisor k − 1), the mean σᵢ² and k — the inputs of τ².
///
/// # Errors
/// Only if polars fails on a well-formed frame (a bug).
pub fn variance_components(rows: &[Spread<'_>]) -> anyhow::Result<Components> {
    if rows.is_empty() {
        return Ok(BTreeMap::new());
    }
    let frame = df!(
        "cluster" => rows.iter().map(|r| r.cluster).collect::<Vec<_>>(),
        "year" => rows.iter().map(|r| r.year).collect::<Vec<_>>(),
        "indicator" => rows.iter().map(|r| r.indicator).collect::<Vec<_>>(),
        "value" => rows.iter().map(|r| r.value).collect::<Vec<_>>(),
        "sigma2" => rows.iter().map(|r| r.sigma2).collect::<Vec<_>>(),
    )?;
    let out = frame
        .lazy()
        .group_by([col("cluster"), col("year"), col("indicator")])
        .agg([
            col("value").var(1).alias("var"),
            col("sigma2").mean().alias("sigma2"),
            col("value").count().cast(DataType::UInt32).alias("k"),
        ])
        .filter(col("k").gt_eq(lit(2u32)))
        .collect()?;
    let cluster = out.column("cluster")?.str()?;
    let year = out.column("year")?.i32()?;
    let indicator = out.column("indicator")?.str()?;
    let var = out.column("var")?.f64()?;
    let sigma2 = out.column("sigma2")?.f64()?;
    let k = out.column("k")?.u32()?;
    Ok((0..out.height())
        .filter_map(|i| {
            Some((
                (
                    cluster.get(i)?.to_string(),
                    year.get(i)?,
                    indicator.get(i)?.to_string(),
                ),
                (var.get(i)?, sigma2.get(i)?, k.get(i)?),
            ))
        })
        .collect())
}

/// Sums of a least-squares line y = a + b·x: n, x̄, ȳ, Sxx = Σ(x − x̄)², Sxy, Syy.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LineSums {
    pub n: usize,
    pub mean_x: f64,
    pub mean_y: f64,
    pub sxx: f64,
    pub sxy: f64,
    pub syy: f64,
}

/// The sums of the context regression over (x, y) pairs; `None` when there are none.
///
/// # Errors
/// Only if polars fails on a well-formed frame (a bug).
pub fn line_sums(points: &[(f64, f64)]) -> anyhow::Result<Option<LineSums>> {
    if points.is_empty() {
        return Ok(None);
    }
    let frame = df!(
        "x" => points.iter().map(|p| p.0).collect::<Vec<_>>(),
        "y" => points.iter().map(|p| p.1).collect::<Vec<_>>(),
    )?;
    let dx = col("x") - col("x").mean();
    let dy = col("y") - col("y").mean();
    let out = frame
        .lazy()
        .select([
            col("x").mean().alias("mean_x"),
            col("y").mean().alias("mean_y"),
            (dx.clone() * dx.clone()).sum().alias("sxx"),
            (dx * dy.clone()).sum().alias("sxy"),
            (dy.clone() * dy).sum().alias("syy"),
        ])
        .collect()?;
    let get = |name: &str| -> anyhow::Result<f64> {
        Ok(out.column(name)?.f64()?.get(0).unwrap_or(f64::NAN))
    };
    Ok(Some(LineSums {
        n: points.len(),
        mean_x: get("mean_x")?,
        mean_y: get("mean_y")?,
        sxx: get("sxx")?,
        sxy: get("sxy")?,
        syy: get("syy")?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(school: &str, year: i32, value: f64, n: u32) -> RawIndicator {
        RawIndicator {
            school: school.into(),
            year,
            indicator: "vpr".into(),
            value,
            n,
            sd: None,
        }
    }

    #[test]
    fn participant_weighted_cluster_value() {
        let map: BTreeMap<String, String> = [("1", "A"), ("2", "A"), ("3", "B")]
            .iter()
            .map(|(s, c)| (s.to_string(), c.to_string()))
            .collect();
        let v = cluster_values(
            &[
                raw("1", 2025, 4.0, 30),
                raw("2", 2025, 3.0, 10),
                raw("3", 2025, 5.0, 5),
                raw("9", 2025, 1.0, 100), // not in the registry
            ],
            &map,
        )
        .unwrap();
        assert_eq!(v.len(), 2);
        // A: (4·30 + 3·10) / 40 = 150 / 40 = 3.75
        assert_eq!((v[0].cluster.as_str(), v[0].n), ("A", 40));
        assert!((v[0].value - 3.75).abs() < 1e-12);
        assert_eq!((v[1].cluster.as_str(), v[1].value, v[1].n), ("B", 5.0, 5));
    }

    #[test]
    fn competition_rank_within_cluster() {
        let s = |a: &str, c: &str, v: Option<f64>| (a.to_string(), c.to_string(), v);
        let r = rank_in_cluster(&[
            s("1", "A", Some(21.0)),
            s("2", "A", Some(28.0)),
            s("3", "A", Some(21.0)),
            s("4", "A", Some(7.0)),
            s("5", "B", Some(10.0)),
            s("6", "B", None),
        ])
        .unwrap();
        assert_eq!(r["2"], 1);
        assert_eq!((r["1"], r["3"]), (2, 2));
        assert_eq!(r["4"], 4);
        assert_eq!(r["5"], 1);
        assert!(!r.contains_key("6"));
    }
}
