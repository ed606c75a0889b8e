//! Layout zoo (issue 9, item 8): the hand-worked municipality (fixtures/handworked) written
//! in many layouts met in real exports, each a named variation (`variations::ALL`). Every
//! variation alone, and random combinations of them, must give the same schools.csv as the
//! plain fixture, and the numbers of fixtures/handworked/README.md §7 (hand-computed, not
//! program output).
//!
//! Variations that do not pass yet are listed in `variations::GAPS` with what goes wrong and
//! are left out of the run; `cargo test --test cli zoo_gaps -- --ignored --nocapture` shows
//! how each of them fails today.

mod model;
mod variations;

use crate::util::{root, shnor};
use model::Set;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;
use variations::{ALL, GAP_PAIRS, GAPS, Variation};

type Schools = BTreeMap<String, BTreeMap<String, String>>;

/// README §7, the hand-computed table the plain fixture is checked against.
use crate::handworked::EXPECTED as HAND;

fn base() -> Set {
    model::load(&root().join("fixtures/handworked"))
}

fn variation(name: &str) -> &'static Variation {
    ALL.iter()
        .find(|v| v.name == name)
        .unwrap_or_else(|| panic!("no variation {name}"))
}

fn is_gap(name: &str) -> bool {
    GAPS.iter().any(|(g, _)| *g == name)
}

/// The base fixture with `names` applied in the order of `ALL`.
fn build(names: &[&str]) -> Set {
    let mut set = base();
    for v in ALL.iter().filter(|v| names.contains(&v.name)) {
        (v.apply)(&mut set);
    }
    set
}

/// Writes the set, runs `identify --year 2025`, returns schools.csv or what went wrong.
fn run(set: &Set) -> Result<Schools, String> {
    let input = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    model::write(set, input.path());
    let o = shnor()
        .env("SHNOR_TODAY", "2026-12-04")
        .arg("identify")
        .arg(input.path())
        .args(["--year", "2025", "-q", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    let first = stderr.lines().next().unwrap_or("").to_string();
    if o.status.code() != Some(0) {
        return Err(format!("exit {:?}: {first}", o.status.code()));
    }
    let path = out.path().join("schools.csv");
    if !path.exists() {
        return Err(format!("no schools.csv: {first}"));
    }
    Ok(read_schools(&path))
}

fn read_schools(path: &Path) -> Schools {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let mut rd = csv::ReaderBuilder::new()
        .delimiter(b';')
        .flexible(true)
        .from_reader(text.as_bytes());
    let head: Vec<String> = rd.headers().unwrap().iter().map(str::to_string).collect();
    rd.records()
        .map(|r| {
            let row: BTreeMap<String, String> = head
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(str::to_string))
                .collect();
            // A registry may write codes with leading zeros («0101»): the same school.
            (row["id"].trim_start_matches('0').to_string(), row)
        })
        .collect()
}

/// schools.csv of the plain fixture, run once.
fn plain() -> &'static Schools {
    static PLAIN: OnceLock<Schools> = OnceLock::new();
    PLAIN.get_or_init(|| run(&base()).expect("plain fixture runs"))
}

fn number(v: &str) -> Option<f64> {
    let v = v.trim().replace(',', ".");
    if v.is_empty() || v == "—" {
        None
    } else {
        v.parse().ok()
    }
}

/// Compares with the plain run (every column but the name) and with the hand-computed table.
fn check(got: &Schools) -> Result<(), String> {
    let plain = plain();
    if got.keys().ne(plain.keys()) {
        return Err(format!("schools {:?}", got.keys().collect::<Vec<_>>()));
    }
    for (id, want) in plain {
        for (col, w) in want {
            let g = &got[id].get(col).cloned().unwrap_or_default();
            if col != "name" && col != "id" && g != w {
                return Err(format!("{id} {col}: «{g}», plain «{w}»"));
            }
        }
    }
    for (id, oip, isb, flags) in HAND {
        let row = &got[id];
        for (year, want) in [2023, 2024, 2025].into_iter().zip(oip) {
            let g = number(&row[&format!("oip_{year}")]);
            let same = match (g, want) {
                (Some(g), Some(w)) => (g - w).abs() < 0.01,
                (g, w) => g == w,
            };
            if !same {
                return Err(format!("{id} ОИП {year}: {g:?}, by hand {want:?}"));
            }
        }
        if number(&row["isb"]).is_none_or(|g| (g - isb).abs() > 0.01) {
            return Err(format!("{id} ИСБ {}, by hand {isb}", row["isb"]));
        }
        let g = ["flag_shnor", "flag_shnsu", "flag_risk", "flag_resilient"]
            .map(|c| number(&row[c]).is_some_and(|v| v != 0.0));
        if g != flags {
            return Err(format!("{id} flags {g:?}, by hand {flags:?}"));
        }
    }
    Ok(())
}

fn outcome(names: &[&str]) -> Result<(), String> {
    let set = std::panic::catch_unwind(|| build(names))
        .map_err(|_| "the generator panicked on this combination".to_string())?;
    run(&set).and_then(|s| check(&s))
}

#[test]
fn zoo_has_forty_named_variations() {
    let mut names: Vec<&str> = ALL.iter().map(|v| v.name).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), ALL.len(), "variation names are distinct");
    assert!(ALL.len() >= 40, "{} variations", ALL.len());
    assert!(ALL.iter().all(|v| !v.doc.is_empty()));
    for (g, why) in GAPS {
        variation(g);
        assert!(!why.is_empty());
    }
    for (a, b, why) in GAP_PAIRS {
        assert!(!is_gap(variation(a).name) && !is_gap(variation(b).name) && !why.is_empty());
    }
}

#[test]
fn zoo_plain_fixture_matches_the_hand_worked_table() {
    check(plain()).unwrap();
}

#[test]
fn zoo_each_variation_alone() {
    let failed: Vec<String> = ALL
        .iter()
        .filter(|v| !is_gap(v.name))
        .filter_map(|v| {
            outcome(&[v.name])
                .err()
                .map(|e| format!("{} ({}): {e}", v.name, v.doc))
        })
        .collect();
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// How each variation listed in GAPS fails today (run with `--ignored --nocapture`).
#[test]
#[ignore]
fn zoo_gaps() {
    for (name, why) in GAPS {
        match outcome(&[name]) {
            Ok(()) => println!("PASSES NOW  {name}"),
            Err(e) => println!("gap {name}: {e}  [listed: {why}]"),
        }
    }
    for (a, b, why) in GAP_PAIRS {
        match outcome(&[a, b]) {
            Ok(()) => println!("PASSES NOW  {a} + {b}"),
            Err(e) => println!("gap {a} + {b}: {e}  [listed: {why}]"),
        }
    }
}

/// The groups of the passing variations, in the order of `ALL`.
fn groups() -> Vec<Vec<&'static str>> {
    let mut out: Vec<(&str, Vec<&str>)> = Vec::new();
    for v in ALL.iter().filter(|v| !is_gap(v.name)) {
        match out.iter_mut().find(|(g, _)| *g == v.group) {
            Some((_, names)) => names.push(v.name),
            None => out.push((v.group, vec![v.name])),
        }
    }
    out.into_iter().map(|(_, n)| n).collect()
}

proptest! {
    // 8 cases keep `cargo test` quick; SHNOR_ZOO_CASES=500 explores further. The seed is
    // fixed so that CI runs the same combinations every time (a red run must be
    // reproducible); SHNOR_ZOO_SEED=<u64> explores other combinations.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("SHNOR_ZOO_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(8),
        rng_seed: proptest::test_runner::RngSeed::Fixed(
            std::env::var("SHNOR_ZOO_SEED").ok().and_then(|c| c.parse().ok()).unwrap_or(2025),
        ),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Random combinations (at most one variation of each group, each group taken with
    /// probability 0.3, never both of a pair in `GAP_PAIRS`) give the same numbers as the
    /// plain layout. A failing case shrinks by dropping variations.
    #[test]
    fn zoo_random_combinations(
        picks in proptest::collection::vec(proptest::option::weighted(0.3, 0usize..1000), 64)
    ) {
        let groups = groups();
        let names: Vec<&str> = groups
            .iter()
            .zip(picks)
            .filter_map(|(g, p)| p.map(|p| g[p % g.len()]))
            .fold(Vec::new(), |mut names, n| {
                if !GAP_PAIRS.iter().any(|(a, b, _)| (*a == n && names.contains(b)) || (*b == n && names.contains(a))) {
                    names.push(n);
                }
                names
            });
        let result = outcome(&names);
        prop_assert!(result.is_ok(), "{names:?}: {}", result.unwrap_err());
    }
}

/// Every pair of passing variations from different groups, except those in `GAP_PAIRS`
/// (about 2 300 runs, 3 minutes: run with `--ignored --nocapture` after changing the zoo or
/// the recognizer to find which two variations do not combine).
#[test]
#[ignore]
fn zoo_pairs() {
    let names: Vec<&Variation> = ALL.iter().filter(|v| !is_gap(v.name)).collect();
    let mut pairs = Vec::new();
    for (i, a) in names.iter().enumerate() {
        for b in &names[i + 1..] {
            let listed = GAP_PAIRS
                .iter()
                .any(|(x, y, _)| [*x, *y] == [a.name, b.name] || [*y, *x] == [a.name, b.name]);
            if a.group != b.group && !listed {
                pairs.push([a.name, b.name]);
            }
        }
    }
    let failed: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = pairs
            .chunks(pairs.len().div_ceil(2))
            .map(|chunk| {
                s.spawn(move || {
                    chunk
                        .iter()
                        .filter_map(|p| outcome(p).err().map(|e| format!("{p:?}: {e}")))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    for f in &failed {
        println!("{f}");
    }
    assert!(
        failed.is_empty(),
        "{} of {} pairs fail",
        failed.len(),
        pairs.len()
    );
}

/// One combination named in `SHNOR_ZOO` (comma-separated), to study a failure the property
/// test found: `SHNOR_ZOO=a,b cargo test --test cli zoo_one -- --ignored --nocapture`.
/// With `SHNOR_ZOO_KEEP=<dir>` the written input is also left in that folder.
#[test]
#[ignore]
fn zoo_one() {
    let names = std::env::var("SHNOR_ZOO").unwrap_or_default();
    let names: Vec<&str> = names.split(',').filter(|n| !n.is_empty()).collect();
    names.iter().for_each(|n| {
        variation(n);
    });
    if let Some(dir) = std::env::var_os("SHNOR_ZOO_KEEP") {
        std::fs::create_dir_all(&dir).unwrap();
        model::write(&build(&names), Path::new(&dir));
    }
    println!("{names:?}: {:?}", outcome(&names));
}
