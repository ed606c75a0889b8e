//! `identify-<year>.json`: everything the run found, and the baseline `progress` reads back.
//! The file carries a `format_version`; a reader refuses versions it does not know rather than
//! misread a baseline written by another shnor.

use crate::config::Config;
use crate::judge::Findings;
use crate::model::{Dataset, InputFile, Issue, Year};
use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Version of the JSON layout; bump it when a field changes meaning or is removed.
pub const FORMAT_VERSION: u32 = 1;

/// The whole `identify` result as written to JSON and read back by `progress`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    pub format_version: u32,
    /// shnor version that wrote the file.
    pub shnor_version: String,
    /// The identify year.
    pub year: Year,
    /// The configuration in force (the methodology behind every number).
    pub config: Config,
    /// Per-school indicators, ОИП, ИСБ, flags; cluster values; the frozen ИСБ threshold.
    pub findings: Findings,
    /// Input files with their SHA-256 and what was recognized in them.
    pub files: Vec<InputFile>,
    /// Data-quality findings.
    pub issues: Vec<Issue>,
}

impl Baseline {
    /// Assembles the baseline of a run.
    pub fn new(findings: &Findings, ds: &Dataset, cfg: &Config) -> Baseline {
        Baseline {
            format_version: FORMAT_VERSION,
            shnor_version: env!("CARGO_PKG_VERSION").into(),
            year: findings.year,
            config: cfg.clone(),
            findings: findings.clone(),
            files: ds.files.clone(),
            issues: ds.issues.clone(),
        }
    }
}

/// The JSON text of a baseline (pretty-printed, so a diff between two years is readable).
///
/// # Errors
/// Only on an internal serialization failure.
pub fn render(findings: &Findings, ds: &Dataset, cfg: &Config) -> anyhow::Result<Vec<u8>> {
    let mut v = serde_json::to_vec_pretty(&Baseline::new(findings, ds, cfg))?;
    v.push(b'\n');
    Ok(v)
}

/// Reads a baseline written by `identify`.
///
/// # Errors
/// A Russian message when the file cannot be read, is not a shnor baseline, or has a
/// `format_version` this shnor does not know.
pub fn read_baseline(path: &Path) -> anyhow::Result<Baseline> {
    if path.is_dir() {
        bail!(
            "--baseline {}: указана папка, а нужен файл базового снимка identify-<год>.json{}",
            path.display(),
            baselines_hint(path)
        );
    }
    let bytes = std::fs::read(path)
        .with_context(|| format!("не удалось прочитать базовый снимок {}", path.display()))?;
    // An xlsx (a zip) or an xls (OLE) is the report next to the baseline, not the baseline.
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        bail!(
            "--baseline {}: это книга Excel, а базовый снимок — файл identify-<год>.json, \
             который shnor identify записывает рядом с отчётом{}",
            path.display(),
            path.parent().map(baselines_hint).unwrap_or_default()
        );
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        anyhow::anyhow!(
            "--baseline {}: файл не текстовый — это не базовый снимок shnor (ожидается \
             identify-<год>.json, записанный командой shnor identify)",
            path.display()
        )
    })?;
    let value: serde_json::Value = serde_json::from_str(&text).with_context(|| {
        format!(
            "{}: это не JSON-файл shnor (ожидается identify-<год>.json, записанный командой shnor identify)",
            path.display()
        )
    })?;
    match value
        .get("format_version")
        .and_then(serde_json::Value::as_u64)
    {
        Some(v) if v == u64::from(FORMAT_VERSION) => {}
        Some(v) => bail!(
            "{}: версия формата {v} не поддерживается этой версией shnor ({}; поддерживается версия {FORMAT_VERSION}). \
             Пересоздайте снимок командой shnor identify или обновите shnor.",
            path.display(),
            env!("CARGO_PKG_VERSION")
        ),
        None => bail!(
            "{}: нет поля format_version — это не базовый снимок shnor (ожидается identify-<год>.json)",
            path.display()
        ),
    }
    serde_json::from_value(value).with_context(|| {
        format!(
            "{}: файл повреждён или изменён вручную; пересоздайте его командой shnor identify",
            path.display()
        )
    })
}

/// «; в папке есть identify-2025.json» — the baselines lying in a folder, if any.
fn baselines_hint(dir: &Path) -> String {
    let mut found: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("identify-") && n.ends_with(".json"))
        .collect();
    found.sort();
    if found.is_empty() {
        String::new()
    } else {
        format!("; в папке {} есть: {}", dir.display(), found.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testdata;

    #[test]
    fn round_trips_through_read_baseline() {
        let f = testdata::findings();
        let ds = testdata::dataset();
        let cfg = Config::default();
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("identify-2025.json");
        std::fs::write(&p, render(&f, &ds, &cfg).unwrap()).unwrap();
        let b = read_baseline(&p).unwrap();
        assert_eq!(b.format_version, 1);
        assert_eq!(b.year, 2025);
        assert_eq!(b.findings, f);
        assert_eq!(b.config, cfg);
        assert_eq!(b.files[0].sha256, testdata::SHA);
        assert_eq!(b.issues, ds.issues);
        assert_eq!(b.findings.isb_threshold.as_ref().unwrap().value, 60.0);
    }

    #[test]
    fn a_folder_or_a_workbook_given_as_baseline_gets_advice() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("identify-2025.json"), "{}").unwrap();
        let e = format!("{:#}", read_baseline(dir.path()).unwrap_err());
        assert!(
            e.contains("указана папка") && e.contains("есть: identify-2025.json"),
            "{e}"
        );
        let xlsx = dir.path().join("identify-2025.xlsx");
        std::fs::write(&xlsx, b"PK\x03\x04rest of a zip").unwrap();
        let e = format!("{:#}", read_baseline(&xlsx).unwrap_err());
        assert!(
            e.contains("это книга Excel") && e.contains("есть: identify-2025.json"),
            "{e}"
        );
        let binary = dir.path().join("снимок.json");
        std::fs::write(&binary, [0xFF, 0xFE, 0x00, 0x81]).unwrap();
        let e = format!("{:#}", read_baseline(&binary).unwrap_err());
        assert!(e.contains("файл не текстовый"), "{e}");
    }

    #[test]
    fn unknown_version_is_refused_in_russian() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("identify-2025.json");
        let mut v: serde_json::Value = serde_json::from_slice(
            &render(
                &testdata::findings(),
                &testdata::dataset(),
                &Config::default(),
            )
            .unwrap(),
        )
        .unwrap();
        v["format_version"] = 99.into();
        std::fs::write(&p, v.to_string()).unwrap();
        let e = format!("{:#}", read_baseline(&p).unwrap_err());
        assert!(e.contains("версия формата 99 не поддерживается"), "{e}");

        std::fs::write(&p, "{\"year\": 2025}").unwrap();
        let e = format!("{:#}", read_baseline(&p).unwrap_err());
        assert!(e.contains("нет поля format_version"), "{e}");
    }

    /// fixtures/progress/identify-2025.json is the hand-worked progress baseline of
    /// judge::progress::tests_handworked, rendered (regenerate with
    /// `SHNOR_WRITE_FIXTURES=1 cargo test --lib stored_progress_baseline`).
    #[test]
    fn stored_progress_baseline_matches() {
        use crate::judge::progress::tests_handworked::findings;
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/progress/identify-2025.json");
        let bytes = render(&findings(), &Dataset::default(), &Config::default()).unwrap();
        if std::env::var_os("SHNOR_WRITE_FIXTURES").is_some() {
            std::fs::write(&path, &bytes).unwrap();
        }
        let stored = read_baseline(&path).unwrap();
        assert_eq!(stored.findings, findings());
        assert_eq!(stored.config, Config::default());
    }
}
