//! Stage 6, report: findings → Excel workbook, CSV and JSON. Presentation only: no numbers
//! are computed here. Every file is written to a temporary file and renamed into place.

pub mod atomic;

use crate::config::Config;
use crate::judge::Findings;
use crate::model::Dataset;
use std::path::{Path, PathBuf};

/// Writes `identify-<year>.xlsx`, `schools.csv` and `identify-<year>.json` into `out`.
///
/// # Errors
/// When a file cannot be written; nothing half-written is left behind.
pub fn write_identify(
    findings: &Findings,
    ds: &Dataset,
    cfg: &Config,
    out: &Path,
) -> anyhow::Result<Vec<PathBuf>> {
    let _ = (findings, ds, cfg, out);
    todo!("report/xlsx.rs, csv.rs, json.rs")
}
