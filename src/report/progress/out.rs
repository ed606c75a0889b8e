//! `progress-<date>.json` and `progress-<date>.csv`. Conventions as for `identify`
//! (docs/outputs.md): the CSV is UTF-8 with a BOM, `;` between fields, a decimal point,
//! shares as fractions 0–1; the JSON carries a `format_version`.

use super::ProgressReport;
use crate::report::format::{csv_number as num, csv_text};
use std::io::Write;

/// The CSV: one row per school and comparison, written into `w` (a file of the staging
/// folder: a country's CSV is hundreds of MB).
///
/// # Errors
/// When `w` cannot be written.
pub fn write_csv(r: &ProgressReport, mut w: impl Write) -> anyhow::Result<()> {
    w.write_all(b"\xEF\xBB\xBF")?;
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .buffer_capacity(1 << 20)
        .from_writer(w);
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
    Ok(())
}

/// The JSON text (pretty-printed), written into `w` as it is serialised.
///
/// # Errors
/// When `w` cannot be written.
pub fn write_json(r: &ProgressReport, w: impl Write) -> anyhow::Result<()> {
    let mut w = std::io::BufWriter::with_capacity(1 << 20, w);
    serde_json::to_writer_pretty(&mut w, r)?;
    w.write_all(b"\n")?;
    w.flush()?;
    Ok(())
}
