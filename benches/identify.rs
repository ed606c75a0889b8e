//! Benchmark of `shnor identify` on the benchmark regions (benches/region.rs): 2,000
//! schools by default, participant-level ВПР as ФИС ОКО gives it, 5 years by default (3
//! judged + 2 for pooling); `SHNOR_BENCH_HISTORY=0` for the workload of 3 years,
//! ~3 million ВПР rows per 2,000 schools; `SHNOR_BENCH_SCHOOLS=2000,10000,40000` for several
//! sizes in turn.
//!
//! Run: `cargo bench --bench identify` (builds the release binary too). Prints a line per
//! size: schools, ВПР rows, the wall time of `identify` and that child's own peak RSS
//! (`wait4`).

#[path = "region.rs"]
mod region;

use std::path::Path;
use std::process::Command;

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --all-targets` does not: then skip, a
    // debug build would take many minutes to generate the region.
    if !std::env::args().any(|a| a == "--bench") {
        println!("identify bench: пропущен (запускается через `cargo bench --bench identify`)");
        return;
    }
    let bin = region::shnor_binary();
    let target = bin.parent().and_then(Path::parent).expect("target dir");
    for schools in region::sizes() {
        let (dir, rows) = region::region_of(target, schools);
        let out = tempfile::tempdir().expect("tempdir");
        let m = region::run_measured(
            Command::new(&bin)
                .arg("identify")
                .arg(&dir)
                .arg("--out")
                .arg(out.path())
                .arg("--quiet"),
        );
        println!(
            "shnor identify: школ {schools}, строк ВПР {}, {:.1} с, пиковая память {:.0} МБ, \
             код завершения {:?}",
            rows.map_or_else(|| "н/д".to_string(), |r| r.to_string()),
            m.seconds,
            m.peak_mb,
            m.code
        );
    }
}
