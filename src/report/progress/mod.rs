//! The progress report (METHOD §5): `progress-<date>.xlsx`, `.json` and `.csv`, and the
//! writer of all three.

mod out;
mod xlsx;

use super::atomic;
use crate::config::Config;
use crate::judge::Findings;
use crate::judge::progress::ProgressFindings;
use crate::model::{InputFile, Issue, Year};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Version of the progress JSON layout.
pub const PROGRESS_FORMAT_VERSION: u32 = 1;

/// What the baseline was, for the reader of a progress report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BaselineInfo {
    pub path: String,
    pub year: Year,
    pub shnor_version: String,
    pub format_version: u32,
}

/// The whole progress report as written to JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgressReport {
    pub format_version: u32,
    pub shnor_version: String,
    /// Date of the report, ГГГГ-ММ-ДД.
    pub date: String,
    pub baseline: BaselineInfo,
    /// Messages about the run (another config, files left out …), in Russian.
    pub notes: Vec<String>,
    pub findings: ProgressFindings,
    pub files: Vec<InputFile>,
    pub issues: Vec<Issue>,
}

/// Writes `progress-<date>.xlsx`, `.json` and `.csv` into `dir`. All three are rendered in
/// memory first, so a rendering failure writes nothing; each is then renamed into place.
///
/// # Errors
/// When a file cannot be written.
pub fn write_progress(
    r: &ProgressReport,
    f: &Findings,
    cfg: &Config,
    dir: &Path,
) -> anyhow::Result<Vec<PathBuf>> {
    let stem = format!("progress-{}", r.date);
    let outputs = [
        (dir.join(format!("{stem}.xlsx")), xlsx::render(r, f, cfg)?),
        (dir.join(format!("{stem}.json")), out::render_json(r)?),
        (dir.join(format!("{stem}.csv")), out::render_csv(r)?),
    ];
    atomic::write_all(outputs)
}
