//! Benchmark of reading the ФИС ОКО participant workbooks of the benchmark region
//! (benches/region.rs; `SHNOR_BENCH_HISTORY=0` for the 3-year region): every ВПР xlsx
//! read (1) by calamine's streaming cell reader alone, doing nothing with the cells —
//! the floor for any reader built on it — and (2) by shnor's reader (`read::read_file`,
//! the sheet scanner with calamine as fallback), which returns the cells as sheets.
//! One file at a time, one core. Run: `cargo bench --bench read_xlsx`.

#[path = "region.rs"]
mod region;

use calamine::{Reader, Xlsx, open_workbook};
use std::path::Path;
use std::time::Instant;

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("read_xlsx bench: пропущен (запускается через `cargo bench --bench read_xlsx`)");
        return;
    }
    let exe = std::env::current_exe().expect("current_exe");
    // <target>/release/deps/read_xlsx-… → <target>
    let target = exe
        .parent()
        .and_then(Path::parent)
        .and_then(Path::parent)
        .expect("target dir");
    let dir = region::region(target);
    // Above 3,560 schools each region's files lie in its folder.
    let files: Vec<_> = region::files(&dir)
        .into_iter()
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            name.contains("ВПР") && name.ends_with(".xlsx")
        })
        .collect();
    let (mut cells, mut t_calamine, mut t_shnor) = (0usize, 0.0, 0.0);
    let mut largest = (0u64, 0.0, 0.0, String::new());
    for f in &files {
        let t = Instant::now();
        let mut wb: Xlsx<_> = open_workbook(f).expect("open");
        let mut n = 0usize;
        for name in wb.sheet_names() {
            let mut r = wb.worksheet_cells_reader(&name).expect("sheet");
            while r.next_cell().expect("cell").is_some() {
                n += 1;
            }
        }
        let a = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let book = shnor::read::read_file(f).expect("read");
        let b = t.elapsed().as_secs_f64();
        assert!(!book.sheets.is_empty());
        cells += n;
        t_calamine += a;
        t_shnor += b;
        let size = std::fs::metadata(f).map(|m| m.len()).unwrap_or(0);
        if size > largest.0 {
            largest = (size, a, b, f.file_name().unwrap().to_string_lossy().into());
        }
    }
    println!(
        "файлов ВПР: {}, ячеек: {cells}; calamine (только обход ячеек): {t_calamine:.2} с; \
         shnor read_file (листы готовы): {t_shnor:.2} с",
        files.len()
    );
    println!(
        "самый большой: {} ({:.1} МБ): calamine {:.2} с, shnor {:.2} с",
        largest.3,
        largest.0 as f64 / 1e6,
        largest.1,
        largest.2
    );
}
