//! The progress report (docs/method.md §5): `progress-<date>.xlsx`, `.json` and `.csv`, and the
//! writer of all three.

mod docx;
mod out;
mod xlsx;

use super::atomic;
use crate::config::Config;
use crate::judge::progress::Movement;
use crate::judge::progress::ProgressFindings;
use crate::judge::{Findings, FlagKind};
use crate::model::{InputFile, Issue, Year};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;

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

/// «данные 2025 г.: новых результатов нет» when a target's fact comes from an earlier year
/// than the plan's (the target is then «нет факта»).
pub(super) fn earlier_fact(t: &crate::judge::progress::TargetResult) -> Option<String> {
    t.data_year
        .filter(|y| *y != t.year)
        .map(|y| format!("данные {y} г.: новых результатов нет"))
}

/// A list at the interim date: schools on it in the baseline, entered, left, on it now.
pub(super) struct ListCount {
    pub before: usize,
    pub entered: usize,
    pub left: usize,
    pub now: usize,
}

/// How the lists (ШНОР, ШНСУ, зона риска) moved by the interim data, in that order; the
/// flags in force are found once for all three.
pub(super) fn list_counts(r: &ProgressReport, f: &Findings) -> [(FlagKind, ListCount); 3] {
    let pf = &r.findings;
    let in_force = pf.flags_now(f);
    [FlagKind::Shnor, FlagKind::Shnsu, FlagKind::Risk].map(|k| {
        let moved = |m: Movement| {
            pf.flags
                .iter()
                .filter(|c| c.kind == k && c.movement == m)
                .count()
        };
        let count = ListCount {
            before: f.schools.iter().filter(|s| s.flag(k).is_some()).count(),
            entered: moved(Movement::Entered),
            left: moved(Movement::Left),
            now: f
                .schools
                .iter()
                .filter(|s| in_force.contains(&(s.school.id.as_str(), k)))
                .count(),
        };
        (k, count)
    })
}

/// Writes `progress-<date>.xlsx`, `.json`, `.csv` and the справка `.docx` into `dir` as one
/// set, all or nothing (`atomic::write_set_filled`): the four are made side by side in the
/// staging folder, the JSON and the CSV written as they are serialised (a country's are
/// hundreds of MB each). A failure at any step writes nothing.
///
/// # Errors
/// When a file cannot be written.
pub fn write_progress(
    r: &ProgressReport,
    f: &Findings,
    cfg: &Config,
    dir: &Path,
) -> anyhow::Result<super::Written> {
    let stem = format!("progress-{}", r.date);
    let cuts = std::sync::Mutex::new(Vec::new());
    let book: atomic::Fill = Box::new(|w| {
        let (book, notes) = super::sheet::collect_cuts(|| xlsx::render(r, f, cfg));
        *cuts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = notes;
        Ok(w.write_all(&book?)?)
    });
    let outputs: Vec<(String, atomic::Fill)> = vec![
        (format!("{stem}.xlsx"), book),
        (format!("{stem}.json"), Box::new(|w| out::write_json(r, w))),
        (format!("{stem}.csv"), Box::new(|w| out::write_csv(r, w))),
        (
            format!("{stem}.docx"),
            Box::new(|w| Ok(w.write_all(&docx::render(r, f, cfg)?)?)),
        ),
    ];
    let paths = atomic::write_set_filled(dir, outputs)?;
    let notes = cuts
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    Ok(super::Written { paths, notes })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::judge::progress::tests_handworked as tests_progress;
    use crate::report::testdata;
    use calamine::{Reader, Xlsx, open_workbook};

    fn report() -> ProgressReport {
        ProgressReport {
            format_version: PROGRESS_FORMAT_VERSION,
            shnor_version: "test".into(),
            date: "2026-02-15".into(),
            baseline: BaselineInfo {
                path: "identify-2025.json".into(),
                year: 2025,
                shnor_version: "test".into(),
                format_version: 1,
            },
            notes: vec!["замечание".into()],
            findings: tests_progress::run(),
            files: Vec::new(),
            issues: Vec::new(),
        }
    }

    #[test]
    fn writes_four_files_that_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let r = report();
        let f = tests_progress::findings();
        let paths = write_progress(&r, &f, &Config::default(), dir.path())
            .unwrap()
            .paths;
        assert_eq!(
            testdata::file_names(&paths),
            [
                "progress-2026-02-15.xlsx",
                "progress-2026-02-15.json",
                "progress-2026-02-15.csv",
                "progress-2026-02-15.docx"
            ]
        );

        let back: ProgressReport =
            serde_json::from_slice(&std::fs::read(&paths[1]).unwrap()).unwrap();
        assert_eq!(back, r);

        let mut wb: Xlsx<_> = open_workbook(&paths[0]).unwrap();
        assert_eq!(
            wb.sheet_names(),
            [
                "Сводка",
                "Школы",
                "Динамика",
                "Флаги",
                "Рекомендации",
                "Методика"
            ]
        );
        let sum = wb.worksheet_range("Сводка").unwrap();
        let cells: Vec<String> = sum.cells().map(|(_, _, c)| c.to_string()).collect();
        // The ВсОШ target at 80 % of plan, the typed one within 10 %, ШНОР achieved.
        assert!(cells.iter().any(|c| c == "не достигнуто"));
        assert!(cells.iter().any(|c| c == "в пределах 10 %"));
        assert!(cells.iter().any(|c| c == "достигнуто"));
        // Школы holds numbers, not text: ОО-1, доля «2» 0.3 (n 40) → 0.1 (n 40), change
        // −0.2 stored as −20 percentage points.
        let schools = wb.worksheet_range("Школы").unwrap();
        let f64_at = |r: &[calamine::Data], c: usize| match r[c] {
            calamine::Data::Float(v) => Some(v),
            _ => None,
        };
        let fail = schools
            .rows()
            .find(|r| r[0] == "ОО-1" && f64_at(r, 4) == Some(0.3) && f64_at(r, 6) == Some(0.1))
            .expect("ОО-1 доля «2» as numbers");
        assert_eq!((f64_at(fail, 5), f64_at(fail, 7)), (Some(40.0), Some(40.0)));
        assert!((f64_at(fail, 8).unwrap() + 20.0).abs() < 1e-9, "{fail:?}");
        let flags = wb.worksheet_range("Флаги").unwrap();
        let cells: Vec<String> = flags.cells().map(|(_, _, c)| c.to_string()).collect();
        assert!(cells.iter().any(|c| c == "вышла"));
        assert!(cells.iter().any(|c| c == "вошла"));

        // The справка: the targets with their statuses and the schools that left a list.
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&paths[3]).unwrap()).unwrap();
        let mut word = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut word)
            .unwrap();
        for want in [
            "на 15.02.2026",
            "не достигнуто",
            "в пределах 10 %",
            "Изменения перечней по промежуточным данным",
            "вышла",
        ] {
            assert!(word.contains(want), "{want}");
        }

        let text = std::fs::read_to_string(&paths[2]).unwrap();
        assert!(text.starts_with('\u{feff}'));
        let missing = text
            .lines()
            .find(|l| l.starts_with("ОО-4;"))
            .expect("school without interim data is listed");
        assert!(missing.contains("нет данных для сравнения"), "{missing}");
        // ОО-1, доля «2»: 0.3 → 0.1, change −0.2, p = 0.025347 (hand value, README).
        let fail = text
            .lines()
            .find(|l| l.starts_with("ОО-1;КДР Математика 5 кл.|fail;"))
            .unwrap();
        assert!(fail.contains(";0.3;40;0.1;40;-0.2;0.0253"), "{fail}");
        assert!(fail.contains(";улучшение;"), "{fail}");
    }

    /// Above the chart limit every school of the Динамика sheet keeps its table, no chart is
    /// drawn and the sheet says so; at the limit each school has its chart.
    #[test]
    fn dynamics_charts_stop_above_the_limit() {
        use crate::judge::FlagKind;
        let r = report();
        let f = tests_progress::findings();
        // The sheet's schools by its rule: a baseline ШНОР, ШНСУ or зона риска, or entered.
        let shown: Vec<&crate::judge::SchoolResult> = f
            .schools
            .iter()
            .filter(|s| {
                [FlagKind::Shnor, FlagKind::Shnsu, FlagKind::Risk]
                    .iter()
                    .any(|k| s.flag(*k).is_some())
                    || r.findings.flags.iter().any(|c| {
                        c.school == s.school.id
                            && c.movement == crate::judge::progress::Movement::Entered
                    })
            })
            .collect();
        let n = shown.len();
        assert!(n >= 2, "the test needs several schools on the sheet: {n}");
        let charts = |bytes: &[u8]| {
            let z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            z.file_names()
                .filter(|f| matches!(f, Ok(n) if n.starts_with("xl/charts/chart")))
                .count()
        };
        let cells = |bytes: Vec<u8>| -> Vec<String> {
            let mut wb = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
            let ws = wb.worksheet_range("Динамика").unwrap();
            ws.cells().map(|(_, _, c)| c.to_string()).collect()
        };
        let at = xlsx::render_with(
            &r,
            &f,
            &Config::default(),
            n,
            crate::report::sheet::EXCEL_ROWS,
        )
        .unwrap();
        assert_eq!(charts(&at), n);
        let at = cells(at);
        assert!(!at.iter().any(|c| c.contains("графики не построены")));

        let over = xlsx::render_with(
            &r,
            &f,
            &Config::default(),
            n - 1,
            crate::report::sheet::EXCEL_ROWS,
        )
        .unwrap();
        assert_eq!(charts(&over), 0);
        let over = cells(over);
        let note = format!(
            "Школ с признаками — {n}, больше {}: графики не построены",
            n - 1
        );
        assert!(over.iter().any(|c| c.starts_with(&note)), "{over:?}");
        for s in shown {
            let title = format!("{} ({})", s.school.name, s.school.id);
            assert!(over.contains(&title), "{title}");
        }
    }

    /// More comparisons than a sheet holds: the first ones, then a row (and a run note) that
    /// says how many there are and where all of them are. Rows limited to 4 here: the
    /// header, two comparisons, the note.
    #[test]
    fn the_schools_sheet_stops_at_the_row_limit_and_says_where_the_rest_are() {
        let r = report();
        let f = tests_progress::findings();
        let all = r.findings.changes.len();
        assert!(all > 3, "the test needs more than 3 comparisons: {all}");
        let (book, notes) = crate::report::sheet::collect_cuts(|| {
            xlsx::render_with(&r, &f, &Config::default(), 1000, 4)
        });
        let mut wb = Xlsx::new(std::io::Cursor::new(book.unwrap())).unwrap();
        let ws = wb.worksheet_range("Школы").unwrap();
        let rows: Vec<Vec<String>> = ws
            .rows()
            .map(|r| r.iter().map(ToString::to_string).collect())
            .collect();
        assert_eq!(rows.len(), 4, "{rows:?}");
        // The two shown are the first two comparisons, in their order.
        for (row, c) in rows[1..3].iter().zip(&r.findings.changes) {
            assert_eq!(
                (row[0].as_str(), row[2].as_str()),
                (c.school.as_str(), c.name.as_str())
            );
        }
        let want = format!(
            "лист «Школы»: строк сравнения {all}, на лист Excel помещается 2: показаны первые 2, \
             все строки — в CSV и JSON отчёта"
        );
        assert_eq!(rows[3][0], format!("… {want}"));
        assert_eq!(notes, [want]);
        // Without the limit every comparison has its row and nothing is noted.
        let (book, notes) =
            crate::report::sheet::collect_cuts(|| xlsx::render(&r, &f, &Config::default()));
        let mut wb = Xlsx::new(std::io::Cursor::new(book.unwrap())).unwrap();
        assert_eq!(wb.worksheet_range("Школы").unwrap().rows().count(), all + 1);
        assert!(notes.is_empty(), "{notes:?}");
    }
}
