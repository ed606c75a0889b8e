//! `progress-<date>.json` and `progress-<date>.csv`. Conventions as for `identify`
//! (docs/outputs.md): the CSV is UTF-8 with a BOM, `;` between fields, a decimal point,
//! shares as fractions 0–1; the JSON carries a `format_version`.

use super::ProgressReport;
use crate::report::format::{csv_number as num, csv_text};

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
            "baseline_low",
            "baseline_high",
            "current_low",
            "current_high",
        ])?;
        for c in &r.findings.changes {
            w.write_record(
                [
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
                    num(c.baseline_interval.map(|i| i.0)),
                    num(c.baseline_interval.map(|i| i.1)),
                    num(c.current_interval.map(|i| i.0)),
                    num(c.current_interval.map(|i| i.1)),
                ]
                .map(csv_text),
            )?;
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
