//! Benchmark: reads every file in ../shared/realdata/ru as `validate` does and prints the
//! time. Run: `cargo bench --bench read_realdata` (release build).

use shnor::config::Config;
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!(
            "read_realdata bench: пропущен (запускается через `cargo bench --bench read_realdata`)"
        );
        return;
    }
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let Some(root) = [
        here.join("../shared/realdata"),
        PathBuf::from("/work/shared/realdata"),
    ]
    .into_iter()
    .find(|p| p.is_dir()) else {
        println!("SKIPPED: нет ../shared/realdata");
        return;
    };
    let t = Instant::now();
    let ds = shnor::normalize::load(&[root.join("ru")], &Config::default()).expect("load");
    let rows: usize = ds
        .files
        .iter()
        .flat_map(|f| &f.tables)
        .map(|t| t.rows_accepted + t.rows_rejected)
        .sum();
    println!(
        "realdata: файлов и членов архивов {}, строк {rows}, {:.2} с",
        ds.files.len(),
        t.elapsed().as_secs_f64()
    );
}
