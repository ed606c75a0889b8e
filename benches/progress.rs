//! Benchmark of `shnor progress` on the benchmark regions (benches/region.rs) and their
//! interim data (`shnor demo --interim`: ВсОШ, contingent, КДР by participant, passport of
//! the next school year): `identify` runs once per size for the baseline (cached beside the
//! region, `…-baseline`), then `progress` is timed against it. `SHNOR_BENCH_SCHOOLS` and
//! `SHNOR_BENCH_HISTORY` as for the identify bench.
//!
//! Run: `cargo bench --bench progress`. Prints a line per size: schools, КДР rows, the wall
//! time of `progress` and that child's own peak RSS (`wait4`).

#[path = "region.rs"]
mod region;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The `identify` output of `dir` with its baseline `baseline-<год>.json.gz` (run now if it
/// is not cached).
fn baseline(bin: &Path, dir: &Path, year: i32) -> PathBuf {
    let mut name = dir.file_name().expect("region name").to_os_string();
    name.push("-baseline");
    let out = dir.with_file_name(name);
    let json = out.join(format!("baseline-{year}.json.gz"));
    if json.exists() {
        println!("база: {} (из кэша)", json.display());
        return json;
    }
    let m = region::run_measured(
        Command::new(bin)
            .arg("identify")
            .arg(dir)
            .arg("--out")
            .arg(&out)
            .arg("--quiet"),
    );
    println!(
        "база (identify): {:.1} с, пиковая память {:.0} МБ, код завершения {:?}",
        m.seconds, m.peak_mb, m.code
    );
    assert!(json.exists(), "identify не записал {}", json.display());
    json
}

fn main() {
    // As the identify bench: only under `cargo bench`.
    if !std::env::args().any(|a| a == "--bench") {
        println!("progress bench: пропущен (запускается через `cargo bench --bench progress`)");
        return;
    }
    let bin = region::shnor_binary();
    let target = bin.parent().and_then(Path::parent).expect("target dir");
    for schools in region::sizes() {
        let (dir, _) = region::region_of(target, schools);
        let interim = region::interim_of(&dir, schools);
        let json = baseline(&bin, &dir, region::options(schools).year);
        let out = tempfile::tempdir().expect("tempdir");
        let m = region::run_measured(
            Command::new(&bin)
                .arg("progress")
                .arg(&interim)
                .arg("--baseline")
                .arg(&json)
                .arg("--targets")
                .arg(dir.join("целевые показатели.xlsx"))
                .arg("--out")
                .arg(out.path())
                .arg("--quiet"),
        );
        println!(
            "shnor progress: школ {schools}, {:.1} с, пиковая память {:.0} МБ, код завершения {:?}",
            m.seconds, m.peak_mb, m.code
        );
    }
}
