//! Per-procedure statistics (docs/method.md §4.2, «also reported»): n, shares of marks,
//! справляемость, качество, share of «2» (ЕГЭ: below the minimum), means, and the change of
//! the fail share since last year — per school and for the municipality.

use super::ProcStat;
use crate::model::{Dataset, Procedure, Year};
use rustc_hash::FxHashMap;

/// Sums of one procedure over the rows that describe it.
#[derive(Default, Clone)]
struct Acc {
    n: u32,
    /// Mark counts, while every row has them.
    marks: Option<[u32; 4]>,
    marks_missing: bool,
    fails: u32,
    fails_missing: bool,
    score: (f64, u32),
    mark: (f64, u32),
}

impl Acc {
    fn add(&mut self, r: &crate::model::ProcResult) {
        self.n += r.n;
        match (r.marks, self.marks_missing) {
            (Some(m), false) => {
                let cur = self.marks.get_or_insert([0; 4]);
                for (c, v) in cur.iter_mut().zip(m) {
                    *c += v;
                }
            }
            _ => {
                self.marks_missing = true;
                self.marks = None;
            }
        }
        match r.fails() {
            Some(f) if !self.fails_missing => self.fails += f,
            _ => self.fails_missing = true,
        }
        if let Some(s) = r.mean_score {
            self.score.0 += s * f64::from(r.n);
            self.score.1 += r.n;
        }
        if let Some(m) = r.mark_mean() {
            self.mark.0 += m * f64::from(r.n);
            self.mark.1 += r.n;
        }
    }

    fn fail_share(&self) -> Option<f64> {
        (!self.fails_missing && self.n > 0).then(|| f64::from(self.fails) / f64::from(self.n))
    }

    fn stat(&self, year: Year, school: Option<String>, procedure: Procedure) -> ProcStat {
        let n = f64::from(self.n);
        let shares = self
            .marks
            .filter(|_| self.n > 0)
            .map(|m| m.map(|c| f64::from(c) / n));
        let mean = |(s, w): (f64, u32)| (w > 0).then(|| s / f64::from(w));
        ProcStat {
            year,
            school,
            procedure,
            n: self.n,
            mark_shares: shares,
            pass_rate: shares.map(|s| s[1] + s[2] + s[3]),
            quality: shares.map(|s| s[2] + s[3]),
            fail_share: self.fail_share(),
            mean_score: mean(self.score),
            mean_mark: mean(self.mark),
            fail_change_pp: None,
        }
    }
}

pub(super) fn stats(ds: &Dataset) -> Vec<ProcStat> {
    // Borrowed keys in a hash map: a country has ~2·10⁶ results, and cloning two strings
    // per result into a B-tree was a fifth of the single-threaded part of a run.
    type Key<'a> = (Option<&'a str>, &'a Procedure, Year);
    let mut acc: FxHashMap<Key, Acc> = FxHashMap::default();
    for r in &ds.results {
        for school in [Some(r.school.as_str()), None] {
            acc.entry((school, &r.procedure, r.year))
                .or_default()
                .add(r);
        }
    }
    let mut out: Vec<(Key, ProcStat)> = acc
        .iter()
        .map(|(&(school, procedure, year), a)| {
            let mut s = a.stat(year, school.map(str::to_string), procedure.clone());
            let prev = acc
                .get(&(school, procedure, year - 1))
                .and_then(Acc::fail_share);
            if let (Some(now), Some(prev)) = (s.fail_share, prev) {
                s.fail_change_pp = Some((now - prev) * 100.0);
            }
            ((school, procedure, year), s)
        })
        .collect();
    out.sort_unstable_by(|(a, _), (b, _)| (a.2, a.0, a.1).cmp(&(b.2, b.0, b.1)));
    out.into_iter().map(|(_, s)| s).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Exam, Origin, ProcResult};

    fn row(year: Year, school: &str, marks: [u32; 4]) -> ProcResult {
        ProcResult {
            year,
            school: school.into(),
            procedure: Procedure {
                exam: Exam::Vpr,
                subject: "Математика".into(),
                grade: Some(5),
            },
            n: marks.iter().sum(),
            marks: Some(marks),
            mean_score: None,
            score_sd: None,
            mean_mark: None,
            n_fail: None,
            n_high: None,
            origin: Origin::default(),
        }
    }

    #[test]
    fn shares_rates_and_change() {
        let ds = Dataset {
            results: vec![
                row(2024, "1", [2, 8, 6, 4]),
                row(2025, "1", [5, 5, 6, 4]),
                row(2025, "2", [0, 10, 5, 5]),
            ],
            ..Dataset::default()
        };
        let s = stats(&ds);
        // One stat per (school or municipality, procedure, year), by year, the
        // municipality before its schools.
        let order: Vec<(Year, Option<&str>)> =
            s.iter().map(|s| (s.year, s.school.as_deref())).collect();
        assert_eq!(
            order,
            [
                (2024, None),
                (2024, Some("1")),
                (2025, None),
                (2025, Some("1")),
                (2025, Some("2"))
            ]
        );
        let one = s
            .iter()
            .find(|s| s.year == 2025 && s.school.as_deref() == Some("1"))
            .unwrap();
        assert_eq!(one.n, 20);
        // справляемость (5+6+4)/20 = 0.75, качество (6+4)/20 = 0.5, «2» 5/20 = 0.25
        assert!((one.pass_rate.unwrap() - 0.75).abs() < 1e-12);
        assert!((one.quality.unwrap() - 0.5).abs() < 1e-12);
        assert!((one.fail_share.unwrap() - 0.25).abs() < 1e-12);
        // mean mark (10+15+24+20)/20 = 69/20 = 3.45
        assert!((one.mean_mark.unwrap() - 3.45).abs() < 1e-12);
        // «2»: 2/20 = 10 % → 25 %: +15 p.p.
        assert!((one.fail_change_pp.unwrap() - 15.0).abs() < 1e-9);
        let muni = s
            .iter()
            .find(|s| s.year == 2025 && s.school.is_none())
            .unwrap();
        // municipality 2025: n 40, «2» 5/40 = 0.125; 2024 only school 1: 0.1 → +2.5 p.p.
        assert_eq!(muni.n, 40);
        assert!((muni.fail_share.unwrap() - 0.125).abs() < 1e-12);
        assert!((muni.fail_change_pp.unwrap() - 2.5).abs() < 1e-9);
    }
}
