//! Benchmark of `shnor identify` on a region: 2,000 schools (50 municipalities of the demo
//! pattern), participant-level ВПР as ФИС ОКО gives it (one xlsx per work and year), ОГЭ,
//! ЕГЭ, ВсОШ, contingent and passports for 5 years (3 judged + 2 for pooling;
//! `SHNOR_BENCH_HISTORY=0` for the 3 judged years only); class sizes
//! ×2.5 (`shnor demo --size 2.5`), ~1 million ВПР rows a year.
//!
//! Run: `cargo bench --bench identify` (builds the release binary too). The region is
//! generated once and cached in `<target>/bench-region-<schools>-size2.5`; delete it to regenerate.
//! Prints the generation time, the wall time of `identify` and the child's peak RSS
//! (`getrusage(RUSAGE_CHILDREN).ru_maxrss`). `SHNOR_BENCH_SCHOOLS` overrides 2,000.

use shnor::demo::{DemoOptions, generate_into};
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
    let schools: usize = std::env::var("SHNOR_BENCH_SCHOOLS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    // Years before the three judged ones (pooling reads up to two); 0 gives exactly the
    // issue's workload of 3 years, ~3 million ВПР rows.
    let history: u32 = std::env::var("SHNOR_BENCH_HISTORY")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DemoOptions::default().history);
    let bin = shnor_binary();
    let target = bin.parent().and_then(Path::parent).expect("target dir");
    let dir = if history == DemoOptions::default().history {
        target.join(format!("bench-region-{schools}-size2.5"))
    } else {
        target.join(format!("bench-region-{schools}-size2.5-history{history}"))
    };
    let done = dir.join(".готово");
    // Class sizes ×2.5: ~50 participants per work and school, the Russian average, so
    // 2,000 schools give ~1 million ВПР rows a year.
    let opts = DemoOptions {
        schools,
        size: 2.5,
        history,
        ..DemoOptions::default()
    };
    if done.exists() {
        println!("регион: {} (из кэша)", dir.display());
    } else {
        let _ = std::fs::remove_dir_all(&dir);
        let t = Instant::now();
        let s = generate_into(&dir, &opts, &|m| eprintln!("{m}")).expect("generate");
        std::fs::write(&done, "").expect("marker");
        let size: u64 = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().metadata().unwrap().len())
            .sum();
        println!(
            "генерация: школ {}, файлов {}, строк ВПР {}, {:.0} МБ, {:.1} с",
            s.schools,
            s.files,
            s.vpr_rows,
            size as f64 / 1e6,
            t.elapsed().as_secs_f64()
        );
    }
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
