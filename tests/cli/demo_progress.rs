//! `identify` on the committed demo, then `progress` on its interim data
//! (examples/demo-progress): every planted change is found, and nothing else changes. The
//! truth comes from the generator (`shnor::demo::interim`), not from the program's output.

use crate::util::{read_csv, root, shared_demo, shnor};
use serde_json::Value;
use shnor::demo::generate::{self, WORKS};
use shnor::demo::interim::{self, InterimChange};
use shnor::demo::plan::{self, DemoOptions};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const DATE: &str = "2026-02-15";

/// Runs identify on examples/demo and progress on examples/demo-progress into `out`.
fn run_both(out: &Path) {
    let a = shnor()
        .arg("identify")
        .arg(root().join("examples/demo"))
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    assert!(
        a.status.success(),
        "identify: {}",
        String::from_utf8_lossy(&a.stderr)
    );
    let p = shnor()
        .arg("progress")
        .arg(root().join("examples/demo-progress"))
        .arg("--baseline")
        .arg(out.join("identify-2025.json"))
        .arg("--targets")
        .arg(root().join("examples/demo/целевые показатели.xlsx"))
        .args(["--date", DATE, "--out"])
        .arg(out)
        .output()
        .unwrap();
    assert!(
        p.status.success(),
        "progress: {}",
        String::from_utf8_lossy(&p.stderr)
    );
}

/// Share of «2» among those present in participant rows: (twos, present).
fn twos(rows: &[generate::VprRow], min3: u32) -> (usize, usize) {
    let present: Vec<u32> = rows.iter().filter_map(|r| r.total).collect();
    (present.iter().filter(|&&t| t < min3).count(), present.len())
}

#[test]
fn progress_on_the_demo_finds_every_planted_change() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    run_both(out);
    let opts = DemoOptions::default();
    let planted: BTreeMap<String, InterimChange> = interim::planted(&opts).into_iter().collect();
    let report: Value =
        serde_json::from_slice(&std::fs::read(out.join(format!("progress-{DATE}.json"))).unwrap())
            .unwrap();
    let f = &report["findings"];
    // КДР are keyed by ФИС ОКО login and the folder has no registry: every school is matched
    // through the baseline's registry, none is a stranger, and no «one cluster» warning.
    let notes: Vec<&str> = report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("по реестру базового снимка")),
        "{notes:?}"
    );
    assert!(
        !notes.iter().any(|n| n.contains("нет в базовом снимке")),
        "{notes:?}"
    );
    assert!(
        !report["issues"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["message"]
                .as_str()
                .unwrap()
                .contains("реестр школ не найден")),
        "{}",
        report["issues"]
    );

    // Flags: exactly the planted movements; every other flag of the baseline stays.
    let mut moved: BTreeSet<(String, String, String)> = BTreeSet::new();
    for c in f["flags"].as_array().unwrap() {
        let (school, kind, mv) = (
            c["school"].as_str().unwrap(),
            c["kind"].as_str().unwrap(),
            c["movement"].as_str().unwrap(),
        );
        if mv != "остаётся" {
            moved.insert((school.into(), kind.into(), mv.into()));
        }
    }
    let expected_moves: BTreeSet<(String, String, String)> = planted
        .iter()
        .filter_map(|(id, c)| c.flag_move().map(|(k, m)| (id.clone(), k.into(), m.into())))
        .filter(|(_, _, m)| m != "остаётся")
        .collect();
    assert_eq!(moved, expected_moves, "flags entered / left");
    assert_eq!(expected_moves.len(), 4);
    // The ШНОР by ОИП stays, on an interim ОИП that is still below the bar.
    let stays = planted
        .iter()
        .find(|(_, c)| **c == InterimChange::StaysShnor)
        .unwrap()
        .0;
    assert!(
        f["flags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["school"] == *stays && c["kind"] == "ШНОР" && c["movement"] == "остаётся"),
        "{stays} must stay ШНОР"
    );

    // Changes: the planted ones are significant in the planted direction; no other school
    // has any significant change, and the planted schools none in the other direction.
    let (head, rows) = read_csv(&out.join(format!("progress-{DATE}.csv")));
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let (school, key, status) = (col("school"), col("key"), col("status"));
    for (id, c) in &planted {
        for (k, st) in c.significant() {
            let row = rows
                .iter()
                .find(|r| r[school] == *id && r[key] == *k)
                .unwrap_or_else(|| panic!("{id}: no row {k}"));
            assert_eq!(row[status], *st, "{id} {k}: {row:?}");
        }
    }
    for r in &rows {
        let st = r[status].as_str();
        if st != "улучшение" && st != "ухудшение" {
            continue;
        }
        let c = planted
            .get(&r[school])
            .unwrap_or_else(|| panic!("unplanted significant change: {r:?}"));
        // Besides the planted comparison, the same work's pass rate, quality and mean mark
        // move with it; statuses read «better / worse», so they must equal the planted one.
        let main = c.significant();
        let work = r[key].split('|').next();
        let same_work = main
            .iter()
            .any(|(k, s)| k.split('|').next() == work && st == *s);
        assert!(same_work, "{r:?} is not the planted change {main:?}");
    }

    // The worsened school's «2» in КДР Математика 5 кл., from the generator's own rows.
    let schools = plan::schools(&opts);
    let worse = planted
        .iter()
        .find(|(_, c)| **c == InterimChange::Worsens)
        .unwrap()
        .0;
    let s = schools.iter().find(|s| s.id == *worse).unwrap();
    let m5 = &WORKS[3];
    let (x1, n1) = twos(&generate::vpr_rows(&opts, s, m5, 2025), m5.min[0]);
    let (x2, n2) = twos(&interim::kdr_rows(&opts, s, m5), m5.min[0]);
    let row = rows
        .iter()
        .find(|r| r[school] == *worse && r[key] == "КДР Математика 5 кл.|fail")
        .unwrap();
    let num = |c: &str| row[col(c)].parse::<f64>().unwrap();
    assert_eq!(row[col("n_baseline")], n1.to_string());
    assert_eq!(row[col("n_current")], n2.to_string());
    assert!((num("baseline") - x1 as f64 / n1 as f64).abs() < 1e-6);
    assert!((num("current") - x2 as f64 / n2 as f64).abs() < 1e-6);
    // ≥ 10 p.p. of growth (risk.growth_pp) — the entry rule.
    assert!(num("change") >= 0.10, "{row:?}");

    // Targets: every row of the targets file, each with a status; the ВсОШ share of all
    // schools is participants / students of grades 7–11, both from the generator.
    let targets = f["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 4, "{targets:?}");
    for t in targets {
        let st = t["status"].as_str().unwrap_or("");
        assert!(
            [
                "достигнуто",
                "в пределах допуска",
                "не достигнуто",
                "нет плана на год",
                "нет факта"
            ]
            .contains(&st),
            "{t}"
        );
        assert_eq!(t["year"], 2026, "{t}");
    }
    let olymp = targets
        .iter()
        .find(|t| t["known"] == "olymp_share")
        .unwrap();
    let (mut takers, mut students) = (0usize, 0u32);
    for s in &schools {
        let ids: BTreeSet<String> = interim::olympiad(&opts, s)
            .into_iter()
            .map(|e| e.participant)
            .collect();
        takers += ids.len();
        students += (7..=11)
            .map(|g| interim::contingent(&opts, s, g))
            .sum::<u32>();
    }
    let share = 100.0 * takers as f64 / f64::from(students);
    assert!(
        (olymp["actual"].as_f64().unwrap() - share).abs() < 1e-9,
        "{olymp} vs {takers}/{students}"
    );
}

#[test]
fn committed_interim_data_is_what_the_generator_writes() {
    let dp = shared_demo().interim.as_path();
    let committed = root().join("examples/demo-progress");
    let names = |d: &Path| -> BTreeSet<String> {
        std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != "README.md")
            .collect()
    };
    assert_eq!(names(dp), names(&committed));
    for n in names(dp) {
        assert!(
            std::fs::read(dp.join(&n)).unwrap() == std::fs::read(committed.join(&n)).unwrap(),
            "{n} differs: regenerate with `shnor demo examples/demo --interim examples/demo-progress`"
        );
    }
}

#[test]
fn interim_into_the_demo_folder_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = shnor()
        .arg("demo")
        .arg(tmp.path())
        .arg("--interim")
        .arg(tmp.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("отдельную папку"), "{err}");
    // Nothing written.
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
}

/// The compact baseline (`baseline-2025.json.gz`, found in the report folder) carries all that
/// `progress` uses: the same interim data against it gives the same table, finding for finding,
/// as against the full `identify-2025.json`.
#[test]
fn the_compact_baseline_gives_the_same_progress_as_the_full_one() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    run_both(out);
    let compact = out.join("compact");
    let p = shnor()
        .arg("progress")
        .arg(root().join("examples/demo-progress"))
        .arg("--baseline")
        .arg(out)
        .arg("--targets")
        .arg(root().join("examples/demo/целевые показатели.xlsx"))
        .args(["--date", DATE, "--out"])
        .arg(&compact)
        .output()
        .unwrap();
    assert!(
        p.status.success(),
        "progress: {}",
        String::from_utf8_lossy(&p.stderr)
    );
    let csv = format!("progress-{DATE}.csv");
    let full = std::fs::read(out.join(&csv)).unwrap();
    assert!(full.len() > 1000, "a real table: {} bytes", full.len());
    assert_eq!(std::fs::read(compact.join(&csv)).unwrap(), full);
    let json = |d: &Path| -> Value {
        serde_json::from_slice(&std::fs::read(d.join(format!("progress-{DATE}.json"))).unwrap())
            .unwrap()
    };
    let (a, b) = (json(out), json(&compact));
    assert_eq!(a["findings"], b["findings"]);
    assert_eq!(a["issues"], b["issues"]);
    let gz = std::fs::metadata(out.join("baseline-2025.json.gz"))
        .unwrap()
        .len();
    let full_json = std::fs::metadata(out.join("identify-2025.json"))
        .unwrap()
        .len();
    assert!(gz * 10 < full_json, "compact {gz} B vs full {full_json} B");
}
