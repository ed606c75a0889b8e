//! `progress-<date>.json` and `progress-<date>.csv`. Conventions as for `identify`
//! (docs/outputs.md): the CSV is UTF-8 with a BOM, `;` between fields, a decimal point,
//! shares as fractions 0–1; the JSON carries a `format_version`.

use super::ProgressReport;
use crate::report::format::csv_number as num;

/// The CSV: one row per school and comparison.
///
/// # Errors
/// Only on an internal CSV writer failure.
pub fn render_csv(r: &ProgressReport) -> anyhow::Result<Vec<u8>> {
    let mut buf = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut buf);
        w.write_record([
            "school",
            "key",
            "indicator",
            "baseline_year",
            "baseline",
            "n_baseline",
            "current",
            "n_current",
            "change",
            "p_value",
            "status",
            "note",
        ])?;
        for c in &r.findings.changes {
            w.write_record([
                c.school.clone(),
                c.key.clone(),
                c.name.clone(),
                c.baseline_year.map(|y| y.to_string()).unwrap_or_default(),
                num(c.baseline),
                c.n_baseline.map(|n| n.to_string()).unwrap_or_default(),
                num(c.current),
                c.n_current.map(|n| n.to_string()).unwrap_or_default(),
                num(c.change),
                num(c.p_value),
                c.status.label().to_string(),
                c.note.clone(),
            ])?;
        }
        w.flush()?;
    }
    Ok(buf)
}

/// The JSON text (pretty-printed).
///
/// # Errors
/// Only on an internal serialization failure.
pub fn render_json(r: &ProgressReport) -> anyhow::Result<Vec<u8>> {
    let mut v = serde_json::to_vec_pretty(r)?;
    v.push(b'\n');
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::judge::tests_progress;
    use crate::report::progress::{BaselineInfo, PROGRESS_FORMAT_VERSION, write_progress};
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
    fn writes_three_files_that_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let r = report();
        let f = tests_progress::findings();
        let paths = write_progress(&r, &f, &Config::default(), dir.path()).unwrap();
        let names: Vec<String> = paths
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            [
                "progress-2026-02-15.xlsx",
                "progress-2026-02-15.json",
                "progress-2026-02-15.csv"
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
        let flags = wb.worksheet_range("Флаги").unwrap();
        let cells: Vec<String> = flags.cells().map(|(_, _, c)| c.to_string()).collect();
        assert!(cells.iter().any(|c| c == "вышла"));
        assert!(cells.iter().any(|c| c == "вошла"));

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
}
