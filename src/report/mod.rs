//! Stage 6, report: findings → Excel workbook, CSV and JSON. Presentation only: no numbers
//! are computed here. A report's files are written as one set, all or nothing (`atomic`).
//!
//! `xlsx/` is the December workbook, a file per sheet; `progress/` the progress workbook and
//! files; `sheet` what both workbooks share; `format` the Russian number and text formats;
//! `explain` the step-by-step text of one school.

mod atomic;
mod csv;
mod explain;
mod format;
pub(crate) mod json;
mod progress;
mod sheet;
#[cfg(test)]
mod testdata;
mod xlsx;

use crate::config::Config;
use crate::judge::Findings;
use crate::model::Dataset;
use std::path::{Path, PathBuf};

pub use atomic::write_bytes;
pub use explain::{explain_school, find_school};
pub use json::read_baseline;
pub use progress::{BaselineInfo, PROGRESS_FORMAT_VERSION, ProgressReport, write_progress};

/// Writes `identify-<year>.xlsx`, `schools.csv` and `identify-<year>.json` into `out`.
///
/// All three are rendered in memory first, so a rendering failure writes nothing; then they
/// replace the previous set all or nothing (`atomic::write_set`).
///
/// # Errors
/// When a file cannot be written; the previous set is left as it was.
pub fn write_identify(
    findings: &Findings,
    ds: &Dataset,
    cfg: &Config,
    out: &Path,
) -> anyhow::Result<Vec<PathBuf>> {
    // The workbook takes most of the time (a region's «Показатели по процедурам» sheet is
    // tens of MB of XML); the JSON baseline and the CSV are built beside it.
    let (book, (table, baseline)) = rayon::join(
        || xlsx::render(findings, ds, cfg),
        || {
            rayon::join(
                || csv::render(findings, cfg),
                || json::render(findings, ds, cfg),
            )
        },
    );
    let outputs = vec![
        (format!("identify-{}.xlsx", findings.year), book?),
        ("schools.csv".to_string(), table?),
        (format!("identify-{}.json", findings.year), baseline?),
    ];
    atomic::write_set(out, outputs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_three_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("отчёт");
        let paths = write_identify(
            &testdata::findings(),
            &testdata::dataset(),
            &Config::default(),
            &out,
        )
        .unwrap();
        assert_eq!(
            testdata::file_names(&paths),
            ["identify-2025.xlsx", "schools.csv", "identify-2025.json"]
        );
        for p in &paths {
            assert!(std::fs::metadata(p).unwrap().len() > 0);
        }
        // No temporary files left next to the outputs.
        let left: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".shnor-"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn unwritable_folder_leaves_no_partial_workbook() {
        let dir = tempfile::tempdir().unwrap();
        // A regular file where the output folder should be: creating the folder fails even
        // for root (a read-only folder would not stop root).
        let blocker = dir.path().join("занято");
        std::fs::write(&blocker, "не папка").unwrap();
        let out = blocker.join("отчёт");
        let err = write_identify(
            &testdata::findings(),
            &testdata::dataset(),
            &Config::default(),
            &out,
        )
        .unwrap_err();
        assert!(
            format!("{err:#}").contains("не удалось создать папку"),
            "{err:#}"
        );
        let entries: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(entries, ["занято"]);

        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let ro = dir.path().join("только-чтение");
            std::fs::create_dir(&ro).unwrap();
            std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
            let res = write_identify(
                &testdata::findings(),
                &testdata::dataset(),
                &Config::default(),
                &ro,
            );
            // root ignores permissions; then the write succeeds and there is nothing to check.
            if res.is_err() {
                let n = std::fs::read_dir(&ro).unwrap().count();
                assert_eq!(n, 0, "nothing left in a read-only folder");
            }
            std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
}
