//! Shared helpers for the integration tests.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The `shnor` binary as a command.
pub fn shnor() -> Command {
    Command::cargo_bin("shnor").expect("binary built")
}

/// The crate root (where Cargo.toml is).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared/realdata` if present (CI and developer machines), else `None` — the caller
/// must print that it skipped.
#[allow(dead_code)] // used by the real-data tests (issue 3)
pub fn realdata() -> Option<PathBuf> {
    [
        root().join("../shared/realdata"),
        PathBuf::from("/work/shared/realdata"),
    ]
    .into_iter()
    .find(|p| p.is_dir())
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
