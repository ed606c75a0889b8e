//! Benchmark of `shnor identify` on the benchmark region (benches/region.rs): 2,000
//! schools, participant-level ВПР as ФИС ОКО gives it, 5 years by default (3 judged + 2
//! for pooling); `SHNOR_BENCH_HISTORY=0` for the workload of 3 years, ~3 million
//! ВПР rows.
//!
//! Run: `cargo bench --bench identify` (builds the release binary too). Prints the wall
//! time of `identify` and the child's peak RSS (`getrusage(RUSAGE_CHILDREN).ru_maxrss`).

#[path = "region.rs"]
mod region;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The release `shnor` next to this bench binary (`<target>/release/deps/identify-…`).
fn shnor_binary() -> PathBuf {
    if let Some(p) = option_env!("CARGO_BIN_EXE_shnor") {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().expect("current_exe");
    let release = exe.parent().and_then(Path::parent).expect("target/release");
    let bin = release.join(format!("shnor{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "не найден {}: сначала соберите `cargo build --release`",
        bin.display()
    );
    bin
}

fn peak_rss_children_kib() -> i64 {
    // SAFETY: getrusage only writes into the struct we pass.
    unsafe {
        let mut u: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut u);
        u.ru_maxrss
    }
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --all-targets` does not: then skip, a
    // debug build would take many minutes to generate the region.
    if !std::env::args().any(|a| a == "--bench") {
        println!("identify bench: пропущен (запускается через `cargo bench --bench identify`)");
        return;
    }
    let bin = shnor_binary();
    let target = bin.parent().and_then(Path::parent).expect("target dir");
    let dir = region::region(target);
    let out = tempfile::tempdir().expect("tempdir");
    let t = Instant::now();
    let status = Command::new(&bin)
        .arg("identify")
        .arg(&dir)
        .arg("--out")
        .arg(out.path())
        .arg("--quiet")
        .status()
        .expect("run shnor");
    let wall = t.elapsed().as_secs_f64();
    println!(
        "shnor identify: {wall:.1} с, пиковая память {:.0} МБ, код завершения {:?}",
        peak_rss_children_kib() as f64 / 1024.0,
        status.code()
    );
}
