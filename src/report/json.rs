//! `identify-<year>.json`: everything the run found; `baseline-<year>.json.gz`: the compact
//! baseline `progress` reads back — the same layout trimmed to what `progress` uses (the
//! identify year's indicators and procedure statistics, the latest raw value of each
//! indicator), gzip-compressed, so a country of 40,000 schools is tens of MB, not gigabytes
//! (docs/outputs.md). Either file carries a `format_version` (1 full, 2 compact); a reader
//! refuses versions it does not know rather than misread a baseline written by another shnor.

use crate::config::Config;
use crate::judge::Findings;
use crate::model::{Dataset, InputFile, Issue, Year};
use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Version of the JSON layout; bump it when a field changes meaning or is removed.
pub const FORMAT_VERSION: u32 = 1;
/// The compact baseline: layout 1 trimmed to what `progress` uses, gzip-compressed.
pub const COMPACT_VERSION: u32 = 2;
/// Name of the compact baseline of a year.
pub fn compact_name(year: Year) -> String {
    format!("baseline-{year}.json.gz")
}
/// A baseline inflated beyond this is not one shnor wrote (a country's is ~100 MB): refused
/// before it fills the memory.
const MAX_INFLATED: u64 = 4 << 30;

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

/// The compact baseline: what `progress` (and the next December's comparison of lists)
/// reads, gzip-compressed JSON. Trimmed: indicators and procedure statistics of the
/// identify year only, the latest raw value of each school's indicator up to that year,
/// cluster values of that year, no data-quality findings (they are in the workbook).
///
/// # Errors
/// Only on an internal serialization failure.
pub fn render_compact(findings: &Findings, ds: &Dataset, cfg: &Config) -> anyhow::Result<Vec<u8>> {
    use std::io::Write;
    let b = Baseline {
        format_version: COMPACT_VERSION,
        shnor_version: env!("CARGO_PKG_VERSION").into(),
        year: findings.year,
        config: cfg.clone(),
        findings: for_progress(findings),
        files: ds.files.clone(),
        issues: Vec::new(),
    };
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(3));
    serde_json::to_writer(&mut gz, &b)?;
    gz.write_all(b"\n")?;
    Ok(gz.finish()?)
}

/// The findings trimmed to what `progress` reads (see `render_compact`).
fn for_progress(f: &Findings) -> Findings {
    let y = f.year;
    let schools = f
        .schools
        .iter()
        .map(|s| {
            let mut s = s.clone();
            s.indicators.retain(|i| i.year == y);
            s
        })
        .collect();
    // `progress` compares with the latest value of each indicator up to the identify year.
    let mut latest: std::collections::HashMap<(&str, &str), &crate::measure::RawIndicator> =
        std::collections::HashMap::new();
    for r in f.raw.iter().filter(|r| r.year <= y) {
        let e = latest
            .entry((r.school.as_str(), r.indicator.as_str()))
            .or_insert(r);
        if r.year > e.year {
            *e = r;
        }
    }
    let mut raw: Vec<_> = latest.into_values().cloned().collect();
    raw.sort_by(|a, b| (&a.school, &a.indicator).cmp(&(&b.school, &b.indicator)));
    Findings {
        year: y,
        years: f.years.clone(),
        schools,
        clusters: f.clusters.clone(),
        cluster_values: f
            .cluster_values
            .iter()
            .filter(|c| c.year == y)
            .cloned()
            .collect(),
        isb_threshold: f.isb_threshold.clone(),
        proc_stats: f
            .proc_stats
            .iter()
            .filter(|p| p.year == y)
            .cloned()
            .collect(),
        raw,
        shrink: f.shrink,
        context: f.context.clone(),
        coverage: Vec::new(),
        objectivity: f.objectivity.clone(),
        objectivity_checked: f.objectivity_checked.clone(),
    }
}

/// Reads a baseline written by `identify`: the compact `baseline-<year>.json.gz`, the full
/// `identify-<year>.json`, or a folder holding one of them (the latest year; the compact
/// one when both are there).
///
/// # Errors
/// A Russian message when the file cannot be read, is not a shnor baseline, or has a
/// `format_version` this shnor does not know.
pub fn read_baseline(path: &Path) -> anyhow::Result<Baseline> {
    if path.is_dir() {
        let Some(found) = latest_baseline(path) else {
            bail!(
                "--baseline {}: в папке нет базового снимка ({} или identify-<год>.json), \
                 который shnor identify записывает рядом с отчётом",
                path.display(),
                compact_name_hint()
            );
        };
        return read_baseline_file(&found);
    }
    read_baseline_file(path)
}

fn compact_name_hint() -> &'static str {
    "baseline-<год>.json.gz"
}

/// The baseline of the latest year in a folder: the compact one when there is one.
pub fn latest_baseline(dir: &Path) -> Option<std::path::PathBuf> {
    let mut best: Option<(Year, bool, std::path::PathBuf)> = None;
    for e in std::fs::read_dir(dir).ok()?.filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().into_owned();
        let (year, compact) = if let Some(y) = name
            .strip_prefix("baseline-")
            .and_then(|r| r.strip_suffix(".json.gz"))
        {
            (y, true)
        } else if let Some(y) = name
            .strip_prefix("identify-")
            .and_then(|r| r.strip_suffix(".json"))
        {
            (y, false)
        } else {
            continue;
        };
        let Ok(year) = year.parse::<Year>() else {
            continue;
        };
        if best.as_ref().is_none_or(|b| (year, compact) > (b.0, b.1)) {
            best = Some((year, compact, e.path()));
        }
    }
    best.map(|b| b.2)
}

#[derive(Deserialize)]
struct VersionProbe {
    format_version: Option<u64>,
}

fn read_baseline_file(path: &Path) -> anyhow::Result<Baseline> {
    use std::io::Read;
    let mut bytes = std::fs::read(path)
        .with_context(|| format!("не удалось прочитать базовый снимок {}", path.display()))?;
    // An xlsx (a zip) or an xls (OLE) is the report next to the baseline, not the baseline.
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        bail!(
            "--baseline {}: это книга Excel, а базовый снимок — файл {} (или identify-<год>.json), \
             который shnor identify записывает рядом с отчётом{}",
            path.display(),
            compact_name_hint(),
            path.parent().map(baselines_hint).unwrap_or_default()
        );
    }
    if bytes.starts_with(&[0x1F, 0x8B]) {
        let mut text = Vec::new();
        flate2::read::MultiGzDecoder::new(bytes.as_slice())
            .take(MAX_INFLATED + 1)
            .read_to_end(&mut text)
            .map_err(|e| {
                anyhow::anyhow!(
                    "{}: сжатый снимок повреждён ({e}); пересоздайте его командой shnor identify",
                    path.display()
                )
            })?;
        if text.len() as u64 > MAX_INFLATED {
            bail!(
                "{}: после распаковки больше 4 ГБ — это не базовый снимок shnor",
                path.display()
            );
        }
        bytes = text;
    }
    if std::str::from_utf8(&bytes).is_err() {
        bail!(
            "--baseline {}: файл не текстовый — это не базовый снимок shnor (ожидается \
             {} или identify-<год>.json, записанный командой shnor identify)",
            path.display(),
            compact_name_hint()
        );
    }
    let probe: VersionProbe = serde_json::from_slice(&bytes).with_context(|| {
        format!(
            "{}: это не JSON-файл shnor (ожидается {} или identify-<год>.json, записанный \
             командой shnor identify)",
            path.display(),
            compact_name_hint()
        )
    })?;
    match probe.format_version {
        Some(v) if v == u64::from(FORMAT_VERSION) || v == u64::from(COMPACT_VERSION) => {}
        Some(v) => bail!(
            "{}: версия формата {v} не поддерживается этой версией shnor ({}; поддерживаются \
             версии {FORMAT_VERSION} и {COMPACT_VERSION}). Пересоздайте снимок командой shnor \
             identify или обновите shnor.",
            path.display(),
            env!("CARGO_PKG_VERSION")
        ),
        None => bail!(
            "{}: нет поля format_version — это не базовый снимок shnor (ожидается {} или \
             identify-<год>.json)",
            path.display(),
            compact_name_hint()
        ),
    }
    serde_json::from_slice(&bytes).with_context(|| {
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
        .filter(|n| {
            (n.starts_with("identify-") && n.ends_with(".json"))
                || (n.starts_with("baseline-") && n.ends_with(".json.gz"))
        })
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
        let e = format!("{:#}", read_baseline(dir.path()).unwrap_err());
        assert!(e.contains("в папке нет базового снимка"), "{e}");
        std::fs::write(dir.path().join("identify-2025.json"), "{}").unwrap();
        let xlsx = dir.path().join("identify-2025.xlsx");
        std::fs::write(&xlsx, b"PK\x03\x04rest of a zip").unwrap();
        let e = format!("{:#}", read_baseline(&xlsx).unwrap_err());
        assert!(
            e.contains("это книга Excel") && e.contains("есть: identify-2025.json"),
            "{e}"
        );
        // A folder is read as its latest baseline: «{}» has no format_version.
        let e = format!("{:#}", read_baseline(dir.path()).unwrap_err());
        assert!(
            e.contains("identify-2025.json") && e.contains("нет поля format_version"),
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

    /// The compact baseline keeps what `progress` reads and nothing else: fixtures of
    /// `testdata` have 2 judged years (2024, 2025), so the 2024 indicators, procedure
    /// statistics and cluster values go, and of the raw values only the latest of each school
    /// and indicator stays.
    #[test]
    fn the_compact_baseline_keeps_the_identify_year() {
        let mut f = testdata::findings();
        assert!(f.schools[0].indicators.iter().any(|i| i.year == 2024));
        let raw = |school: &str, year, value| crate::measure::RawIndicator {
            school: school.into(),
            year,
            indicator: "vpr_pass".into(),
            value,
            n: 20,
            sd: None,
        };
        // School 01 has 2023–2025 and a stray 2026; school 02 only 2024.
        f.raw = vec![
            raw("01", 2023, 0.5),
            raw("01", 2025, 0.7),
            raw("01", 2024, 0.6),
            raw("01", 2026, 0.9),
            raw("02", 2024, 0.4),
        ];
        let mut old = f.proc_stats[0].clone();
        old.year = 2024;
        f.proc_stats.push(old);
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(compact_name(2025));
        let bytes = render_compact(&f, &testdata::dataset(), &Config::default()).unwrap();
        assert_eq!(&bytes[..2], &[0x1F, 0x8B], "gzip");
        std::fs::write(&p, &bytes).unwrap();
        let b = read_baseline(&p).unwrap();
        assert_eq!(b.format_version, COMPACT_VERSION);
        assert!(b.issues.is_empty());
        assert_eq!(b.findings.schools.len(), f.schools.len());
        for (s, full) in b.findings.schools.iter().zip(&f.schools) {
            assert!(s.indicators.iter().all(|i| i.year == 2025));
            let want: Vec<_> = full.indicators.iter().filter(|i| i.year == 2025).collect();
            assert_eq!(s.indicators.iter().collect::<Vec<_>>(), want);
            assert_eq!(s.oip, full.oip, "ОИП of every judged year stays");
            assert_eq!(s.flags, full.flags);
        }
        assert!(b.findings.proc_stats.iter().all(|p| p.year == 2025));
        assert_eq!(
            b.findings.proc_stats.len(),
            f.proc_stats.iter().filter(|p| p.year == 2025).count()
        );
        // One raw value per (school, indicator): the latest up to 2025.
        let kept: Vec<(&str, i32, f64)> = b
            .findings
            .raw
            .iter()
            .map(|r| (r.school.as_str(), r.year, r.value))
            .collect();
        assert_eq!(kept, [("01", 2025, 0.7), ("02", 2024, 0.4)]);
        // In a folder with both, the compact baseline of the latest year is read.
        std::fs::write(
            dir.path().join("identify-2025.json"),
            render(&f, &testdata::dataset(), &Config::default()).unwrap(),
        )
        .unwrap();
        std::fs::write(dir.path().join("identify-2024.json"), "{}").unwrap();
        assert_eq!(latest_baseline(dir.path()).unwrap(), p);
        assert_eq!(read_baseline(dir.path()).unwrap().format_version, 2);
    }

    #[test]
    fn a_damaged_compact_baseline_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(compact_name(2025));
        let mut bytes = render_compact(
            &testdata::findings(),
            &testdata::dataset(),
            &Config::default(),
        )
        .unwrap();
        bytes.truncate(bytes.len() / 2);
        std::fs::write(&p, &bytes).unwrap();
        let e = format!("{:#}", read_baseline(&p).unwrap_err());
        assert!(e.contains("сжатый снимок повреждён"), "{e}");
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
