//! Stage 6, report: findings → Excel workbook, CSV and JSON. Presentation only: no numbers
//! are computed here. A report's files are written as one set, all or nothing (`atomic`).
//!
//! `xlsx/` is the December workbook, a file per sheet; `progress/` the progress workbook and
//! files; `sheet` what both workbooks share; `format` the Russian number and text formats;
//! `explain` the step-by-step text of one school.

mod atomic;
mod certainty_text;
mod csv;
mod docx;
mod explain;
mod format;
pub(crate) mod json;
mod objectivity_text;
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

/// The previous December report's findings, to say who entered and who left each list.
pub struct Previous {
    /// Where it was read from, as the analyst named it or as found.
    pub path: String,
    pub findings: Findings,
}

/// Reads the previous December baseline: `given` (`--previous`), or `identify-<year − 1>.json`
/// in the output folder. A given file that cannot be used is an error; a found one that
/// cannot is a note, and the report goes on without the comparison.
///
/// # Errors
/// When the given file is not a baseline of the year before `year`.
pub fn previous(
    given: Option<&Path>,
    out: &Path,
    year: crate::model::Year,
) -> anyhow::Result<(Option<Previous>, Option<String>)> {
    let check = |p: &Path| -> anyhow::Result<Previous> {
        let b = json::read_baseline(p)?;
        if b.year != year - 1 {
            anyhow::bail!(
                "{}: это снимок за {} год, а для сравнения перечней нужен снимок за {} год",
                p.display(),
                b.year,
                year - 1
            );
        }
        Ok(Previous {
            path: p.display().to_string(),
            findings: b.findings,
        })
    };
    if let Some(p) = given {
        return Ok((Some(check(p)?), None));
    }
    let found = out.join(format!("identify-{}.json", year - 1));
    if !found.is_file() {
        return Ok((None, None));
    }
    match check(&found) {
        Ok(prev) => Ok((Some(prev), None)),
        Err(e) => Ok((
            None,
            Some(format!(
                "снимок прошлого года не использован для сравнения перечней: {e:#}"
            )),
        )),
    }
}

/// What a report run wrote: the files, and notes for the analyst (cells cut to Excel's limit).
#[derive(Debug)]
pub struct Written {
    pub paths: Vec<PathBuf>,
    pub notes: Vec<String>,
}

/// Writes `identify-<year>.xlsx`, `schools.csv`, `identify-<year>.json` and the справка
/// `identify-<year>.docx` into `out`.
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
    prev: Option<&Previous>,
    out: &Path,
) -> anyhow::Result<Written> {
    // The workbook takes most of the time (a region's «Показатели по процедурам» sheet is
    // tens of MB of XML); the JSON baseline and the CSV are built beside it.
    let (book, ((table, baseline), word)) = rayon::join(
        || sheet::collect_cuts(|| xlsx::render(findings, ds, cfg, prev)),
        || {
            rayon::join(
                || {
                    rayon::join(
                        || csv::render(findings, cfg),
                        || json::render(findings, ds, cfg),
                    )
                },
                || docx::render(findings, ds, cfg, prev),
            )
        },
    );
    let (book, notes) = book;
    let outputs = vec![
        (format!("identify-{}.xlsx", findings.year), book?),
        ("schools.csv".to_string(), table?),
        (format!("identify-{}.json", findings.year), baseline?),
        (format!("identify-{}.docx", findings.year), word?),
    ];
    let paths = atomic::write_set(out, outputs)?;
    Ok(Written { paths, notes })
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
            None,
            &out,
        )
        .unwrap()
        .paths;
        assert_eq!(
            testdata::file_names(&paths),
            [
                "identify-2025.xlsx",
                "schools.csv",
                "identify-2025.json",
                "identify-2025.docx"
            ]
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
            None,
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
                None,
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

    /// A 40,000-character school name (rust_xlsxwriter refuses cells over 32,767 UTF-16
    /// units, and the run used to stop with an English message): the workbook holds it cut
    /// with «…», a note names the cell, the CSV and JSON keep it whole.
    #[test]
    fn an_over_long_name_is_cut_in_the_workbook_with_a_note() {
        use calamine::{Reader, Xlsx, open_workbook};
        let mut f = testdata::findings();
        let long: String = "Ш".repeat(39_999) + "Я";
        f.schools[0].school.name = long.clone();
        let dir = tempfile::tempdir().unwrap();
        let w = write_identify(
            &f,
            &testdata::dataset(),
            &Config::default(),
            None,
            dir.path(),
        )
        .unwrap();
        assert!(
            w.notes
                .iter()
                .any(|n| n.starts_with("лист «Рейтинг», ячейка C")
                    && n.contains(
                        "текст из 40000 знаков длиннее предела Excel (32 767) и обрезан"
                    )),
            "{:?}",
            w.notes
        );
        let mut wb: Xlsx<_> = open_workbook(&w.paths[0]).unwrap();
        let rating = wb.worksheet_range("Рейтинг").unwrap();
        let cut: Vec<String> = rating
            .cells()
            .filter_map(|(_, _, c)| match c {
                calamine::Data::String(s) if s.starts_with("ШШШ") => Some(s.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(cut.len(), 1);
        // 32,766 letters (one UTF-16 unit each) and the ellipsis: Excel's 32,767.
        assert_eq!(cut[0].chars().count(), 32_767);
        assert!(cut[0].ends_with("Ш…"));
        let csv = std::fs::read_to_string(&w.paths[1]).unwrap();
        assert!(csv.contains(&long), "the CSV keeps the whole name");
    }
}
