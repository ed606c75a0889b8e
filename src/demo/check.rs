//! A test-only, deliberately simple re-computation of docs/method.md §4 straight from the generator
//! (no files, no shnor pipeline): it checks that the planted effects are strong enough and
//! the noise small enough that the default rules find exactly the planted truth. It is an
//! independent second implementation, so the pipeline's own result can be compared with it.

use super::generate::{self, EGE, OGE, WORKS};
use super::plan::{self, DemoOptions, Group, SchoolPlan, Settlement};
use crate::model::{Category, Year};
use std::collections::BTreeMap;

/// (sum, n) of an indicator; value = sum / n.
type Acc = (f64, f64);

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Mean,
    Share,
}

const INDICATORS: [(&str, f64, Kind); 7] = [
    ("vpr", 1.0, Kind::Mean),
    ("oge_ru", 1.0, Kind::Mean),
    ("oge_ma", 1.0, Kind::Mean),
    ("ege_ru", 1.0, Kind::Mean),
    ("ege_ma", 1.0, Kind::Mean),
    ("olymp", 0.5, Kind::Share),
    ("retention", 0.5, Kind::Share),
];

/// Per procedure: (n, fails) for the federal and jump rules.
type Procs = BTreeMap<String, (f64, f64)>;

fn raw(o: &DemoOptions, s: &SchoolPlan, y: Year) -> (BTreeMap<&'static str, Acc>, Procs) {
    let mut ind = BTreeMap::new();
    let mut procs = Procs::new();
    let mut vpr = (0.0, 0.0);
    for w in WORKS.iter().filter(|w| w.grade <= s.level.top_grade()) {
        let (mut n, mut f) = (0.0, 0.0);
        for r in generate::vpr_rows(o, s, w, y) {
            if let Some(t) = r.total {
                let m = super::sample::mark(t, w.min);
                vpr.0 += f64::from(m);
                vpr.1 += 1.0;
                n += 1.0;
                f += f64::from(u8::from(m == 2));
            }
        }
        procs.insert(format!("ВПР {} {}", w.subject, w.grade), (n, f));
    }
    if vpr.1 > 0.0 {
        ind.insert("vpr", vpr);
    }
    for (key, subj) in [
        ("oge_ru", &OGE[0]),
        ("oge_ma", &OGE[1]),
        ("ege_ru", &EGE[0]),
        ("ege_ma", &EGE[1]),
    ] {
        if let Some(a) = generate::gia(o, s, subj, y) {
            let n = f64::from(a.n);
            ind.insert(key, (a.mean_score * n, n));
            let fails = if subj.exam == crate::model::Exam::Oge {
                a.marks[0]
            } else {
                a.n_fail
            };
            procs.insert(key.to_string(), (n, f64::from(fails)));
        }
    }
    let students: u32 = (7..=11).map(|g| plan::contingent(o, s, y, g)).sum();
    if students > 0 {
        let mut ids: Vec<String> = generate::olympiad(o, s, y)
            .into_iter()
            .map(|e| e.participant)
            .collect();
        ids.sort();
        ids.dedup();
        ind.insert("olymp", (ids.len() as f64, f64::from(students)));
    }
    let g10 = plan::contingent(o, s, y, 10);
    let g9 = plan::contingent(o, s, y - 1, 9);
    if g10 > 0 && g9 > 0 {
        ind.insert("retention", (f64::from(g10), f64::from(g9)));
    }
    (ind, procs)
}

fn isb(o: &DemoOptions, s: &SchoolPlan, y: Year) -> f64 {
    let (total, counts) = generate::passport(o, s, y);
    let t = f64::from(total);
    let c = |k: Category| f64::from(counts.iter().find(|x| x.0 == k).unwrap().1) / t;
    let register = (c(Category::InSchoolRegister) + c(Category::PdnKdn)).min(1.0);
    let parts = [
        (1.0, 1.0 - c(Category::LowIncome)),
        (1.0, 1.0 - c(Category::SingleParent)),
        (1.0, c(Category::ParentHigherEd)),
        (1.0, 1.0 - c(Category::UnemployedParents)),
        (1.0, 1.0 - register),
        (0.5, 1.0 - c(Category::LargeFamily)),
        (0.5, 1.0 - c(Category::Guardianship)),
        (0.5, 1.0 - c(Category::Migrants)),
    ];
    let w: f64 = parts.iter().map(|p| p.0).sum();
    parts.iter().map(|p| p.0 * 100.0 * p.1).sum::<f64>() / w
}

fn percentile_inc(mut v: Vec<f64>, p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    let h = (v.len() - 1) as f64 * p;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    v[lo] + (h - h.floor()) * (v[hi] - v[lo])
}

fn points(kind: Kind, school: f64, cluster: f64) -> f64 {
    let (x, bands) = match kind {
        Kind::Mean => (school / cluster, [0.85, 0.95, 1.05, 1.15]),
        Kind::Share => (100.0 * (school - cluster), [-10.0, -4.0, 4.0, 10.0]),
    };
    1.0 + bands.iter().filter(|&&b| x >= b).count() as f64
}

/// Two-sided p-value of the pooled two-proportion z-test.
fn p_value(f1: f64, n1: f64, f2: f64, n2: f64) -> f64 {
    let p = (f1 + f2) / (n1 + n2);
    let se = (p * (1.0 - p) * (1.0 / n1 + 1.0 / n2)).sqrt();
    if se == 0.0 {
        return 1.0;
    }
    let z = (f2 / n2 - f1 / n1) / se;
    2.0 * (1.0 - super::sample::norm_cdf(z.abs()))
}

/// Flags by docs/method.md §4 defaults and the ОИП of the judged years, per school id.
pub fn judge(o: &DemoOptions) -> BTreeMap<String, (plan::Expected, Vec<Option<f64>>)> {
    let schools = plan::schools(o);
    let years = o.all_years();
    let data: Vec<BTreeMap<Year, _>> = schools
        .iter()
        .map(|s| years.iter().map(|&y| (y, raw(o, s, y))).collect())
        .collect();
    let cluster = |s: &SchoolPlan| -> (usize, Settlement, Group) {
        let g = if s.level.group() == Group::Primary {
            Group::Basic
        } else {
            s.level.group()
        };
        (s.muni, s.settlement, g)
    };
    let mut oip: Vec<Vec<Option<f64>>> = vec![Vec::new(); schools.len()];
    for &y in &o.judged_years() {
        let mut cv: BTreeMap<(_, &str), Acc> = BTreeMap::new();
        for (i, s) in schools.iter().enumerate() {
            for (k, a) in &data[i][&y].0 {
                let e = cv.entry((cluster(s), *k)).or_insert((0.0, 0.0));
                e.0 += a.0;
                e.1 += a.1;
            }
        }
        for (i, s) in schools.iter().enumerate() {
            let (mut sw, mut sp, mut used) = (0.0, 0.0, 0);
            for (key, w, kind) in INDICATORS {
                let Some(mut acc) = data[i][&y].0.get(key).copied() else {
                    continue;
                };
                let mut back = 1;
                while acc.1 < 10.0 && back < 3 {
                    if let Some(p) = data[i].get(&(y - back)).and_then(|d| d.0.get(key)) {
                        acc.0 += p.0;
                        acc.1 += p.1;
                    }
                    back += 1;
                }
                if acc.1 < 10.0 {
                    continue;
                }
                let c = cv[&(cluster(s), key)];
                sp += w * points(kind, acc.0 / acc.1, c.0 / c.1);
                sw += w;
                used += 1;
            }
            oip[i].push((used >= 3).then(|| 7.0 * sp / sw));
        }
    }
    let isbs: Vec<f64> = schools.iter().map(|s| isb(o, s, o.year)).collect();
    let thr = percentile_inc(isbs.clone(), 0.25);
    let mut out = BTreeMap::new();
    for (i, s) in schools.iter().enumerate() {
        let v = &oip[i];
        let last = v.last().copied().flatten();
        let prev = v.len().checked_sub(2).and_then(|j| v[j]);
        let low = v.iter().filter(|x| x.is_some_and(|x| x < 14.0)).count();
        let cur = &data[i][&o.year].1;
        let before = &data[i][&(o.year - 1)].1;
        let bad =
            |p: &Procs, k: &String| p.get(k).is_some_and(|&(n, f)| n >= 10.0 && f / n >= 0.30);
        let failed: Vec<&String> = cur.keys().filter(|k| bad(cur, k)).collect();
        let federal1 = failed.len() >= 2;
        let federal = federal1 && failed.iter().any(|k| bad(before, k));
        let shnor = low >= 2 || federal;
        let tested: Vec<&String> = cur
            .keys()
            .filter(|k| cur[*k].0 >= 20.0 && before.get(*k).is_some_and(|b| b.0 >= 20.0))
            .collect();
        let jump = tested.iter().any(|k| {
            let ((n2, f2), (n1, f1)) = (cur[*k], before[*k]);
            f2 / n2 - f1 / n1 >= 0.10 && p_value(f1, n1, f2, n2) < 0.05 / tested.len() as f64
        });
        let latest_low = last.is_some_and(|x| x < 14.0);
        let dropped = matches!((prev, last), (Some(p), Some(l)) if p - l >= 5.0 && l < 21.0);
        let shnsu = isbs[i] < thr;
        let e = plan::Expected {
            shnor,
            shnsu,
            risk: !shnor && (latest_low || dropped || jump || federal1),
            resilient: !shnor && shnsu && last.is_some_and(|x| x >= 24.5),
        };
        out.insert(s.id.clone(), (e, v.clone()));
    }
    out
}

/// Schools marked with «признаки необъективности» (docs/method.md §6.5, defaults) in the
/// judged years, re-counted straight from the generator: (school id, year) → (works with a
/// sign, kinds of sign).
pub fn objectivity(o: &DemoOptions) -> BTreeMap<(String, Year), (usize, usize)> {
    use std::collections::BTreeSet;
    let schools = plan::schools(o);
    // Per (work, year): per school (понизили, подтвердили, повысили) and score histogram.
    type Counts = ([f64; 3], BTreeMap<u32, f64>);
    let mut per: BTreeMap<(usize, Year), Vec<(usize, Counts)>> = BTreeMap::new();
    for &y in &o.judged_years() {
        for (wi, w) in WORKS.iter().enumerate() {
            for (si, s) in schools.iter().enumerate() {
                if w.grade > s.level.top_grade() {
                    continue;
                }
                let mut c: Counts = ([0.0; 3], BTreeMap::new());
                for r in generate::vpr_rows(o, s, w, y) {
                    let Some(t) = r.total else { continue };
                    *c.1.entry(t).or_default() += 1.0;
                    if let Ok(j) = r.prev_mark.parse::<u8>() {
                        let m = super::sample::mark(t, w.min);
                        c.0[usize::from(m >= j) + usize::from(m > j)] += 1.0;
                    }
                }
                per.entry((wi, y)).or_default().push((si, c));
            }
        }
    }
    // (school, year) → set of (work, kind); kinds 0 raised, 1 lowered, 2 peak, 3 ВПР–ОГЭ.
    let mut signs: BTreeMap<(usize, Year), BTreeSet<(usize, u8)>> = BTreeMap::new();
    for (&(wi, y), list) in &per {
        let w = &WORKS[wi];
        let mut all = [0.0; 3];
        let mut at_all = [0.0; 3];
        let mut below_all = [0.0; 3];
        let at = |h: &BTreeMap<u32, f64>, s: u32| h.get(&s).copied().unwrap_or(0.0);
        for (_, (j, h)) in list {
            for k in 0..3 {
                all[k] += j[k];
                at_all[k] += at(h, w.min[k]);
                below_all[k] += at(h, w.min[k] - 1);
            }
        }
        let n_all: f64 = all.iter().sum();
        for (si, (j, h)) in list {
            let n: f64 = j.iter().sum();
            let mut add = |kind| {
                signs.entry((*si, y)).or_default().insert((wi, kind));
            };
            if n >= 20.0 {
                if j[2] / n >= 0.25 && j[2] / n >= 2.0 * all[2] / n_all {
                    add(0);
                }
                if j[0] / n >= 0.50 && j[0] / n >= 1.5 * all[0] / n_all {
                    add(1);
                }
            }
            if h.values().sum::<f64>() >= 20.0 {
                for k in 0..3 {
                    let (a, b) = (at(h, w.min[k]), at(h, w.min[k] - 1));
                    if a >= 5.0 && a >= 3.0 * b.max(1.0) && at_all[k] / below_all[k].max(1.0) < 1.5
                    {
                        add(2);
                    }
                }
            }
        }
        // ВПР 8 of this year against ОГЭ of the next, when that year is judged.
        if w.grade == 8 && o.judged_years().contains(&(y + 1)) {
            let oge = OGE
                .iter()
                .find(|g| g.subject == w.subject)
                .expect("ОГЭ subject");
            for (si, (_, h)) in list {
                let vn: f64 = h.values().sum();
                let vg: f64 = h
                    .iter()
                    .filter(|&(&t, _)| t >= w.min[1])
                    .map(|(_, c)| c)
                    .sum();
                let Some(g) = generate::gia(o, &schools[*si], oge, y + 1) else {
                    continue;
                };
                let on = f64::from(g.n);
                let og = f64::from(g.marks[2] + g.marks[3]);
                if vn >= 20.0 && on >= 20.0 && vg / vn - og / on >= 0.30 {
                    signs.entry((*si, y + 1)).or_default().insert((100 + wi, 3));
                }
            }
        }
    }
    signs
        .into_iter()
        .map(|((si, y), set)| {
            let works: BTreeSet<usize> = set.iter().map(|x| x.0).collect();
            let kinds: BTreeSet<u8> = set.iter().map(|x| x.1).collect();
            ((schools[si].id.clone(), y), (works.len(), kinds.len()))
        })
        .filter(|(_, (w, k))| *w >= 2 || *k >= 2)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Exactly the two planted schools carry «признаки необъективности», in the latest year.
    #[test]
    fn objectivity_marks_exactly_the_planted_schools() {
        let o = DemoOptions::default();
        let want: Vec<(String, Year)> = plan::schools(&o)
            .iter()
            .filter(|s| plan::objectivity(s).is_some())
            .map(|s| (s.id.clone(), o.year))
            .collect();
        let got: Vec<(String, Year)> = objectivity(&o).into_keys().collect();
        assert_eq!(got, want);
    }

    #[test]
    fn the_default_rules_find_exactly_the_planted_truth() {
        truth_found(&DemoOptions::default());
    }

    /// The benchmark's region uses classes 2.5 times bigger: the truth must hold there too.
    #[test]
    fn bigger_classes_keep_the_truth() {
        truth_found(&DemoOptions {
            size: 2.5,
            ..DemoOptions::default()
        });
    }

    fn truth_found(o: &DemoOptions) {
        let o = o.clone();
        let got = judge(&o);
        let mut wrong = Vec::new();
        for s in plan::schools(&o) {
            let (e, oip) = &got[&s.id];
            if *e != s.expected() {
                wrong.push(format!(
                    "{} {:?}: {:?} ≠ {:?}, ОИП {:?}",
                    s.id,
                    s.role,
                    e,
                    s.expected(),
                    oip
                ));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}
#[cfg(test)]
mod debug {
    /// Not a gate: how robust the plant is to the seed (run with --ignored --nocapture).
    #[test]
    #[ignore]
    fn other_seeds() {
        for seed in 1..=20 {
            let o = super::DemoOptions {
                seed,
                ..Default::default()
            };
            let got = super::judge(&o);
            for s in super::plan::schools(&o) {
                let (e, oip) = &got[&s.id];
                if *e != s.expected() {
                    println!("seed {seed}: {} {:?}: {:?} ОИП {:?}", s.id, s.role, e, oip);
                }
            }
            let planted: Vec<String> = super::plan::schools(&o)
                .iter()
                .filter(|s| super::plan::objectivity(s).is_some())
                .map(|s| s.id.clone())
                .collect();
            let marked = super::objectivity(&o);
            for ((id, y), (w, k)) in &marked {
                if !planted.contains(id) || *y != o.year {
                    println!(
                        "seed {seed}: {id} {y} не заложена, но отмечена (работ {w}, видов {k})"
                    );
                }
            }
            for id in &planted {
                if !marked.contains_key(&(id.clone(), o.year)) {
                    println!("seed {seed}: {id} заложена, но не отмечена");
                }
            }
        }
    }
}

#[cfg(test)]
mod table {
    /// Prints the README's table of planted cases (run with --ignored --nocapture).
    #[test]
    #[ignore]
    fn readme_table() {
        let o = super::DemoOptions::default();
        let got = super::judge(&o);
        let isbs: Vec<f64> = super::plan::schools(&o)
            .iter()
            .map(|s| super::isb(&o, s, o.year))
            .collect();
        println!("p25 = {:.1}", super::percentile_inc(isbs.clone(), 0.25));
        let jump = &super::plan::schools(&o)[2];
        let (a, b) = (super::raw(&o, jump, 2024).1, super::raw(&o, jump, 2025).1);
        let k = "ВПР Математика 5".to_string();
        let ((n1, f1), (n2, f2)) = (a[&k], b[&k]);
        let p = (f1 + f2) / (n1 + n2);
        let z = (f2 / n2 - f1 / n1) / (p * (1.0 - p) * (1.0 / n1 + 1.0 / n2)).sqrt();
        println!(
            "jump: {f1}/{n1} → {f2}/{n2}, z = {z:.2}, tested {}",
            b.keys()
                .filter(|k| b[*k].0 >= 20.0 && a.get(*k).is_some_and(|x| x.0 >= 20.0))
                .count()
        );
        for (s, isb) in super::plan::schools(&o).iter().zip(isbs) {
            let (_, oip) = &got[&s.id];
            let f = |x: &Option<f64>| {
                x.map_or("—".to_string(), |v| format!("{v:.1}").replace('.', ","))
            };
            println!(
                "| {} | {} | {} {} | {} | {} | {} | {:.1} | {:?} |",
                s.id,
                s.login,
                s.settlement.label(),
                s.level.label(),
                s.name,
                oip.iter().map(f).collect::<Vec<_>>().join(" / "),
                (1..=11)
                    .map(|g| super::plan::contingent(&o, s, o.year, g))
                    .sum::<u32>(),
                isb,
                s.role
            );
        }
    }
}
