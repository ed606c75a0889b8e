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
pub mod split;
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

/// Reads the previous December baseline: `given` (`--previous`), or `baseline-<year − 1>.json.gz`
/// (else `identify-<year − 1>.json`) in the output folder. A given file that cannot be used is an error; a found one that
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
    let compact = out.join(json::compact_name(year - 1));
    let found = if compact.is_file() {
        compact
    } else {
        out.join(format!("identify-{}.json", year - 1))
    };
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

/// Writes the December report into `out`: `identify-<year>.xlsx`, `schools.csv`, the full
/// `identify-<year>.json`, the compact baseline `baseline-<year>.json.gz` and the справка
/// `identify-<year>.docx`. A split report (`split`, docs/outputs.md «Отчёт по частям»)
/// writes a summary `identify-<year>.xlsx` and one workbook per part in a folder beside it,
/// and no full JSON (a country's would be gigabytes; schools.csv and the baseline hold it).
///
/// Everything is rendered in memory first, so a rendering failure writes nothing; then the
/// set replaces the previous one all or nothing (`atomic::write_set`).
///
/// # Errors
/// When a file cannot be written, or a split cannot be made (`--split region` without
/// regions); the previous set is left as it was.
pub fn write_identify(
    findings: &Findings,
    ds: &Dataset,
    cfg: &Config,
    prev: Option<&Previous>,
    out: &Path,
    split: split::Split,
) -> anyhow::Result<Written> {
    let plan = split::plan(split, findings).map_err(crate::UsageError)?;
    let y = findings.year;
    // The workbooks take most of the time (a region's «Показатели по процедурам» sheet is
    // tens of MB of XML); the CSV, the baselines and the справка are built beside them.
    let (books, (((table, full), compact), word)) = rayon::join(
        || sheet::collect_cuts(|| workbooks(findings, ds, cfg, prev, plan.as_ref())),
        || {
            rayon::join(
                || {
                    rayon::join(
                        || {
                            rayon::join(
                                || csv::render(findings, cfg),
                                || {
                                    plan.is_none()
                                        .then(|| json::render(findings, ds, cfg))
                                        .transpose()
                                },
                            )
                        },
                        || json::render_compact(findings, ds, cfg),
                    )
                },
                || docx::render(findings, ds, cfg, prev),
            )
        },
    );
    let (books, notes) = books;
    let mut outputs = books?;
    outputs.push(("schools.csv".to_string(), table?));
    if let Some(full) = full? {
        outputs.push((format!("identify-{y}.json"), full));
    }
    outputs.push((json::compact_name(y), compact?));
    outputs.push((format!("identify-{y}.docx"), word?));
    // What an earlier run of this year wrote and this one does not (a full JSON beside a
    // split report, a folder of parts beside a whole one) goes with the commit: never a
    // mixed set.
    let remove: Vec<String> = [
        format!("identify-{y}.json"),
        split::By::Municipality.folder(y),
        split::By::Region.folder(y),
    ]
    .into_iter()
    .filter(|n| {
        !outputs
            .iter()
            .any(|(o, _)| o == n || o.starts_with(&format!("{n}/")))
    })
    .collect();
    let paths = atomic::write_set_replacing(out, outputs, &remove)?;
    Ok(Written { paths, notes })
}

/// The workbooks of a report as (path in the output folder, bytes): one, or the summary and
/// the parts (rendered in parallel: each is a few hundred schools).
fn workbooks(
    findings: &Findings,
    ds: &Dataset,
    cfg: &Config,
    prev: Option<&Previous>,
    plan: Option<&(split::By, Vec<split::Part>)>,
) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    use rayon::prelude::*;
    let y = findings.year;
    let main = format!("identify-{y}.xlsx");
    let Some((by, parts)) = plan else {
        return Ok(vec![(main, xlsx::render(findings, ds, cfg, prev)?)]);
    };
    let rows: Vec<split::PartRow> = parts.iter().map(|p| split::row(findings, *by, p)).collect();
    let summary = xlsx::render_scoped(
        findings,
        ds,
        cfg,
        prev,
        xlsx::Scope::Summary {
            by: *by,
            parts: &rows,
        },
    )?;
    // A part's workbook lists the input files (Методика) but not the data-quality findings:
    // those are the whole input's, in the summary.
    let part_ds = Dataset {
        files: ds.files.clone(),
        ..Dataset::default()
    };
    let folder = by.folder(y);
    let mut out = vec![(main.clone(), summary)];
    let rows = split::PartRows::new(findings, parts);
    let books: Vec<anyhow::Result<(String, Vec<u8>)>> = parts
        .par_iter()
        .enumerate()
        .map(|(k, part)| {
            let f = split::part_findings(findings, parts, &rows, k);
            let p = prev.map(|p| Previous {
                path: p.path.clone(),
                findings: split::part_previous(&p.findings, *by, &part.name),
            });
            let bytes = xlsx::render_scoped(
                &f,
                &part_ds,
                cfg,
                p.as_ref(),
                xlsx::Scope::Part {
                    name: &part.name,
                    summary: &main,
                },
            )?;
            Ok((format!("{folder}/{}", part.file), bytes))
        })
        .collect();
    for b in books {
        out.push(b?);
    }
    Ok(out)
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
            split::Split::None,
        )
        .unwrap()
        .paths;
        assert_eq!(
            testdata::file_names(&paths),
            [
                "identify-2025.xlsx",
                "schools.csv",
                "identify-2025.json",
                "baseline-2025.json.gz",
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

    /// Two municipalities, split: the summary workbook, a workbook per municipality with
    /// only its schools, no full JSON — and the JSON of an earlier whole report of the same
    /// year is removed with the commit; a later whole report removes the parts' folder.
    #[test]
    fn a_split_report_writes_a_workbook_per_municipality() {
        use calamine::{Reader, Xlsx, open_workbook};
        let mut f = testdata::findings();
        let n = f.schools.len();
        assert!(n >= 3, "testdata has {n} schools");
        f.schools[0].school.municipality = Some("Северный район".into());
        let dir = tempfile::tempdir().unwrap();
        let (ds, cfg) = (testdata::dataset(), Config::default());
        write_identify(&f, &ds, &cfg, None, dir.path(), split::Split::None).unwrap();
        assert!(dir.path().join("identify-2025.json").exists());
        let w =
            write_identify(&f, &ds, &cfg, None, dir.path(), split::Split::Municipality).unwrap();
        assert!(
            !dir.path().join("identify-2025.json").exists(),
            "stale JSON removed"
        );
        let parts = dir.path().join("identify-2025-муниципалитеты");
        let mut names: Vec<String> = std::fs::read_dir(&parts)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["Северный район.xlsx", "Энский район.xlsx"]);
        assert!(w.paths.contains(&parts.join("Северный район.xlsx")));
        // The northern workbook rates only school 0; the other one the rest.
        let ids_in = |file: &str| -> Vec<String> {
            let mut wb: Xlsx<_> = open_workbook(parts.join(file)).unwrap();
            let r = wb.worksheet_range("Рейтинг").unwrap();
            let names: Vec<String> = r
                .rows()
                .flat_map(|row| row.iter().map(|c| c.to_string()))
                .collect();
            f.schools
                .iter()
                .filter(|s| names.contains(&s.school.name))
                .map(|s| s.school.id.clone())
                .collect()
        };
        assert_eq!(
            ids_in("Северный район.xlsx"),
            [f.schools[0].school.id.clone()]
        );
        assert_eq!(ids_in("Энский район.xlsx").len(), n - 1);
        // The summary: no «Рейтинг», a line per municipality with its number of schools.
        let mut wb: Xlsx<_> = open_workbook(dir.path().join("identify-2025.xlsx")).unwrap();
        assert!(!wb.sheet_names().contains(&"Рейтинг".to_string()));
        let t = wb.worksheet_range("Части отчёта").unwrap();
        let rows: Vec<(String, f64)> = t
            .rows()
            .skip(1)
            .map(|r| (r[0].to_string(), calamine::DataType::as_f64(&r[1]).unwrap()))
            .collect();
        assert_eq!(
            rows,
            [
                ("Северный район".to_string(), 1.0),
                ("Энский район".to_string(), (n - 1) as f64)
            ]
        );
        // Back to one workbook: the parts' folder goes.
        write_identify(&f, &ds, &cfg, None, dir.path(), split::Split::None).unwrap();
        assert!(!parts.exists());
        assert!(dir.path().join("identify-2025.json").exists());
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
            split::Split::None,
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
                split::Split::None,
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
            split::Split::None,
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
