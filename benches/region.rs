//! The benchmark regions, shared by the benches: 2,000 schools by default (50 municipalities
//! of the demo pattern), participant-level ВПР as ФИС ОКО gives it (one xlsx per work and
//! year), ОГЭ, ЕГЭ, ВсОШ, contingent and passports; class sizes ×2.5 (`shnor demo --size
//! 2.5`), ~1 million ВПР rows a year per 2,000 schools. Above 3,560 schools the demo is
//! several regions of 2,000 (`shnor demo --schools`), each region's files in its folder.
//! Generated once and cached in `<target>/bench-region-<schools>-size2.5[-history<N>]`
//! (the interim data of `--interim` beside it, `…-interim`); delete it to regenerate.
//! `SHNOR_BENCH_SCHOOLS` is a comma list of sizes (`2000,10000,40000`; default 2000; a bench
//! that reads one region takes the first); `SHNOR_BENCH_HISTORY` the years before the three
//! judged ones (default 2, for pooling; 0 gives exactly 3 years).
// Each bench uses part of this file.
#![allow(dead_code)]

use shnor::demo::{DemoOptions, generate_into};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The sizes of `SHNOR_BENCH_SCHOOLS` (default: 2,000).
pub fn sizes() -> Vec<usize> {
    let v: Vec<usize> = std::env::var("SHNOR_BENCH_SCHOOLS")
        .unwrap_or_default()
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .filter(|&n| (1..=40_000).contains(&n))
        .collect();
    if v.is_empty() { vec![2000] } else { v }
}

/// The demo options of a benchmark region of `schools` schools.
pub fn options(schools: usize) -> DemoOptions {
    // Years before the three judged ones (pooling reads up to two); 0 gives exactly the
    // issue's workload of 3 years, ~3 million ВПР rows per 2,000 schools.
    let history: u32 = std::env::var("SHNOR_BENCH_HISTORY")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DemoOptions::default().history);
    // Class sizes ×2.5: ~50 participants per work and school, the Russian average, so
    // 2,000 schools give ~1 million ВПР rows a year.
    DemoOptions {
        schools,
        size: 2.5,
        history,
        ..DemoOptions::default()
    }
}

/// The region of the first size (the benches that read one region).
pub fn region(target: &Path) -> PathBuf {
    region_of(target, sizes()[0]).0
}

/// The folder of a region of `schools` schools under `target` (generated now if it is not
/// cached) and its ВПР rows (`None` for a cache written before the count was kept).
pub fn region_of(target: &Path, schools: usize) -> (PathBuf, Option<u64>) {
    let opts = options(schools);
    let dir = if opts.history == DemoOptions::default().history {
        target.join(format!("bench-region-{schools}-size2.5"))
    } else {
        target.join(format!(
            "bench-region-{schools}-size2.5-history{}",
            opts.history
        ))
    };
    let done = dir.join(".готово");
    if done.exists() {
        println!("регион: {} (из кэша)", dir.display());
        let rows = std::fs::read_to_string(&done)
            .ok()
            .and_then(|s| s.trim().parse().ok());
        return (dir, rows);
    }
    let _ = std::fs::remove_dir_all(&dir);
    let t = Instant::now();
    let s = generate_into(&dir, &opts, &|m| eprintln!("{m}")).expect("generate");
    std::fs::write(&done, s.vpr_rows.to_string()).expect("marker");
    println!(
        "генерация: школ {}, файлов {}, строк ВПР {}, {:.0} МБ, {:.1} с",
        s.schools,
        s.files,
        s.vpr_rows,
        size_bytes(&dir) as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    (dir, Some(s.vpr_rows))
}

/// The interim data (`shnor demo --interim`) of the region `region` of `schools` schools,
/// beside it (generated now if it is not cached).
pub fn interim_of(region: &Path, schools: usize) -> PathBuf {
    let mut name = region.file_name().expect("region name").to_os_string();
    name.push("-interim");
    let dir = region.with_file_name(name);
    let done = dir.join(".готово");
    if done.exists() {
        println!("промежуточные данные: {} (из кэша)", dir.display());
        return dir;
    }
    let _ = std::fs::remove_dir_all(&dir);
    let t = Instant::now();
    let w = shnor::demo::interim::write_into(&dir, &options(schools)).expect("interim");
    std::fs::write(&done, "").expect("marker");
    println!(
        "промежуточные данные: файлов {}, строк КДР {}, {:.0} МБ, {:.1} с",
        w.files.len(),
        w.vpr_rows,
        size_bytes(&dir) as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    dir
}

/// Every file under `dir`, sorted (a region's files may lie in region folders).
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                todo.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Total size of the files under `dir`, bytes.
pub fn size_bytes(dir: &Path) -> u64 {
    files(dir)
        .iter()
        .map(|p| p.metadata().map_or(0, |m| m.len()))
        .sum()
}

/// The release `shnor` next to the bench binary (`<target>/release/deps/<bench>-…`).
pub fn shnor_binary() -> PathBuf {
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

/// What one child process took.
pub struct Measured {
    pub seconds: f64,
    /// Peak resident memory of this child alone, MB.
    pub peak_mb: f64,
    pub code: Option<i32>,
}

/// Runs `cmd` and waits for it with `wait4`, which gives this child's own resource usage
/// (`getrusage(RUSAGE_CHILDREN)` would give the largest of all children so far).
pub fn run_measured(cmd: &mut Command) -> Measured {
    let t = Instant::now();
    let child = cmd.spawn().expect("run shnor");
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: wait4 only writes into the two values we pass; the child is ours and not yet
    // waited for (the `Child` is dropped without waiting).
    let usage = unsafe {
        let mut u: libc::rusage = std::mem::zeroed();
        let got = libc::wait4(pid, &mut status, 0, &mut u);
        assert_eq!(got, pid, "wait4");
        u
    };
    drop(child);
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    Measured {
        seconds: t.elapsed().as_secs_f64(),
        // ru_maxrss is in KiB on Linux.
        peak_mb: usage.ru_maxrss as f64 / 1024.0,
        code,
    }
}
