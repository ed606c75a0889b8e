//! Shared helpers for the integration tests.

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The `shnor` binary as a command.
pub fn shnor() -> Command {
    Command::cargo_bin("shnor").expect("binary built")
}

/// The crate root (where Cargo.toml is).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The demo as `shnor demo <demo> --interim <interim>` writes it with the default seed 1
/// (the one examples/demo was made with).
pub struct SharedDemo {
    pub demo: PathBuf,
    pub interim: PathBuf,
}

/// The demo, generated once per test run and shared by the tests that read it: a full
/// generation takes seconds, and five of them made `cargo test` slow. Tests must not change
/// these folders; one that modifies files copies them first. Kept in the target's tmp
/// folder, replaced on the next run.
pub fn shared_demo() -> &'static SharedDemo {
    static DEMO: OnceLock<SharedDemo> = OnceLock::new();
    DEMO.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("shared-demo");
        if dir.exists() {
            std::fs::remove_dir_all(&dir).expect("old shared demo removed");
        }
        let d = SharedDemo {
            demo: dir.join("demo"),
            interim: dir.join("interim"),
        };
        shnor()
            .arg("demo")
            .arg(&d.demo)
            .arg("--interim")
            .arg(&d.interim)
            .arg("-q")
            .assert()
            .success();
        d
    })
}

/// The folder of real exports: `$SHNOR_REALDATA` when set (point it at a missing folder to
/// see the skip path), else `../shared/realdata` beside the crate (CI and developer
/// machines; a fresh clone has none).
pub fn realdata_dir() -> PathBuf {
    match std::env::var_os("SHNOR_REALDATA") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => root().join("../shared/realdata"),
    }
}

/// `<realdata>/<rel>`, or `None` after printing the skip marker when the folder is absent;
/// the caller returns at once. A missing file inside a present folder is a failure, not a
/// skip: the folder is pinned by its SHA256SUMS, so the test's path is wrong.
pub fn realdata(rel: &str) -> Option<PathBuf> {
    let dir = realdata_dir();
    if !dir.is_dir() {
        skipped(&dir);
        return None;
    }
    let p = dir.join(rel);
    assert!(p.exists(), "нет файла {} в {}", rel, dir.display());
    Some(p)
}

/// The line `.ci/run` counts as a skipped test. Written to the process's stderr itself,
/// which libtest does not capture (it captures only `print!`/`eprint!`), so a plain
/// `cargo test` shows it too. libtest names each test's thread after the test.
pub fn skipped(dir: &Path) {
    use std::io::Write;
    let name = std::thread::current().name().unwrap_or("?").to_string();
    let _ = writeln!(std::io::stderr(), "SKIPPED (нет {}): {name}", dir.display());
}

/// Reads a CSV written by shnor (`;`, UTF-8 with BOM) into a header and rows.
#[allow(dead_code)] // for the report tests; unused until they land
pub fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(path).expect("csv readable");
    let text = text.trim_start_matches('\u{feff}');
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    let header = rdr
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    let rows = rdr
        .records()
        .map(|r| r.expect("row").iter().map(String::from).collect())
        .collect();
    (header, rows)
}
