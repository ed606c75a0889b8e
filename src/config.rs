//! The methodology's knobs (docs/method.md §4) as a TOML file. Every default is written out by
//! `shnor config --default`; a user file overrides any subset of it.

use crate::model::{Category, Exam, InputKind, Year};
use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

mod sureness;
mod validate;

pub use sureness::{ContextRule, Objectivity, Uncertainty};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub general: General,
    /// Indicators that make up ОИП (docs/method.md §4.2).
    pub indicators: Vec<IndicatorSpec>,
    pub points: Points,
    pub oip: Oip,
    pub federal: FederalRule,
    pub risk: RiskRule,
    pub isb: Isb,
    /// Intervals, robust flags and shrinkage (docs/method.md §6.1–6.3).
    pub uncertainty: Uncertainty,
    /// Expected ОИП for the school's social conditions (docs/method.md §6.4).
    pub context: ContextRule,
    pub clusters: Clusters,
    /// Score → mark boundaries per year and procedure, for files with scores only.
    pub marks: Vec<MarkBoundaries>,
    /// Which file is which kind, when recognition by columns is not enough.
    pub files: Vec<FileHint>,
    /// Column heading (as written in the file, any case) → canonical field name.
    pub columns: BTreeMap<String, String>,
    /// `shnor progress` (docs/method.md §5).
    #[serde(default)]
    pub progress: Progress,
    /// Signs of non-objective ВПР results (docs/method.md §6.5).
    #[serde(default)]
    pub objectivity: Objectivity,
    /// Reading budgets (see [`Limits`]); left out of written configs while default.
    #[serde(default, skip_serializing_if = "Limits::is_default")]
    pub limits: Limits,
    /// The last year a file may speak of (today's school year + 1), set by `identify` from
    /// the clock; never read from the file (docs/recognition.md «Годы»).
    #[serde(skip)]
    pub latest_year: Option<Year>,
    /// The date the report is made, ДД.ММ.ГГГГ, for the printed pages' footer; set by
    /// `identify` from the clock (or `SHNOR_TODAY`).
    #[serde(skip)]
    pub report_date: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            general: General::default(),
            indicators: default_indicators(),
            points: Points::default(),
            oip: Oip::default(),
            federal: FederalRule::default(),
            risk: RiskRule::default(),
            isb: Isb::default(),
            uncertainty: Uncertainty::default(),
            context: ContextRule::default(),
            clusters: Clusters::default(),
            marks: default_marks(),
            files: Vec::new(),
            columns: BTreeMap::new(),
            progress: Progress::default(),
            objectivity: Objectivity::default(),
            limits: Limits::default(),
            latest_year: None,
            report_date: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct General {
    /// Smallest n for which an indicator is reliable on its own.
    pub min_n: u32,
    /// Most years pooled for a small school (the year itself included).
    pub pool_years: u32,
    /// Years judged: the latest and the ones before it.
    pub years_judged: u32,
    /// Exit with code 3 (not 0) when rows were rejected; set false for cron jobs that must not fail.
    pub fail_on_rejected_rows: bool,
}

impl Default for General {
    fn default() -> Self {
        General {
            min_n: 10,
            pool_years: 3,
            years_judged: 3,
            fail_on_rejected_rows: true,
        }
    }
}

/// What an indicator is computed from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum IndicatorSource {
    /// Mean ВПР mark over all works of the year (n = works).
    VprMark,
    /// Mean score in one exam subject (ОГЭ primary, ЕГЭ test score).
    ExamScore { exam: Exam, subject: String },
    /// Share of students of grades 7–11 who took part in the municipal stage of ВсОШ.
    Olympiad,
    /// Grade 10 (y) / grade 9 (y−1).
    Retention,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorKind {
    /// Points by the ratio school / cluster.
    Mean,
    /// Points by the difference school − cluster in percentage points.
    Share,
}

impl IndicatorSource {
    pub fn kind(&self) -> IndicatorKind {
        match self {
            IndicatorSource::VprMark | IndicatorSource::ExamScore { .. } => IndicatorKind::Mean,
            IndicatorSource::Olympiad | IndicatorSource::Retention => IndicatorKind::Share,
        }
    }
}

// No deny_unknown_fields here: serde does not support it together with `flatten`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorSpec {
    pub id: String,
    pub name: String,
    pub weight: f64,
    #[serde(flatten)]
    pub source: IndicatorSource,
}

fn default_indicators() -> Vec<IndicatorSpec> {
    let spec = |id: &str, name: &str, weight: f64, source| IndicatorSpec {
        id: id.into(),
        name: name.into(),
        weight,
        source,
    };
    let exam = |exam, subject: &str| IndicatorSource::ExamScore {
        exam,
        subject: subject.into(),
    };
    vec![
        spec("vpr", "Средняя отметка ВПР", 1.0, IndicatorSource::VprMark),
        spec(
            "oge_ru",
            "ОГЭ: средний первичный балл, русский язык",
            1.0,
            exam(Exam::Oge, "Русский язык"),
        ),
        spec(
            "oge_ma",
            "ОГЭ: средний первичный балл, математика",
            1.0,
            exam(Exam::Oge, "Математика"),
        ),
        spec(
            "ege_ru",
            "ЕГЭ: средний тестовый балл, русский язык",
            1.0,
            exam(Exam::Ege, "Русский язык"),
        ),
        spec(
            "ege_ma",
            "ЕГЭ: средний тестовый балл, математика (профиль)",
            1.0,
            exam(Exam::Ege, "Математика профильная"),
        ),
        spec(
            "olymp",
            "Доля обучающихся 7–11 кл. — участников МЭ ВсОШ",
            0.5,
            IndicatorSource::Olympiad,
        ),
        spec(
            "retention",
            "Сохранность контингента (10 кл. / 9 кл. прошлого года)",
            0.5,
            IndicatorSource::Retention,
        ),
    ]
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Points {
    /// Lower edges of points 2, 3, 4, 5 for mean indicators (ratio school / cluster).
    pub ratio_bands: [f64; 4],
    /// Lower edges of points 2, 3, 4, 5 for share indicators (school − cluster, p.p.).
    pub pp_bands: [f64; 4],
}

impl Default for Points {
    fn default() -> Self {
        Points {
            ratio_bands: [0.85, 0.95, 1.05, 1.15],
            pp_bands: [-10.0, -4.0, 4.0, 10.0],
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Oip {
    /// ОИП = scale × weighted mean of points.
    pub scale: f64,
    /// Fewer reliable indicators than this → no ОИП.
    pub min_indicators: usize,
    /// ШНОР bar: ОИП strictly below it counts as low.
    pub shnor_bar: f64,
    /// Program threshold (cluster level).
    pub program_threshold: f64,
    /// Resilient: ШНСУ with ОИП at least this in the latest year.
    pub resilient_bar: f64,
    /// Risk: ОИП fell by at least this many points to below the program threshold.
    pub drop_points: f64,
    /// Of the last `window` years, at least `min_low_years` below the ШНОР bar → ШНОР.
    pub min_low_years: u32,
    pub window: u32,
}

impl Default for Oip {
    fn default() -> Self {
        Oip {
            scale: 7.0,
            min_indicators: 3,
            shnor_bar: 14.0,
            program_threshold: 21.0,
            resilient_bar: 24.5,
            drop_points: 5.0,
            min_low_years: 2,
            window: 3,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FederalRule {
    pub enabled: bool,
    /// Share of «2» (or below the minimum) that counts as failing a procedure.
    pub fail_share: f64,
    /// Procedures failed in the latest year.
    pub min_procedures: u32,
    /// Procedures with fewer participants are not judged.
    pub min_n: u32,
    /// Require both conditions (true) or either (false).
    pub conjunction: bool,
    /// Whether ОГЭ/ЕГЭ count besides ВПР.
    pub include_gia: bool,
}

impl Default for FederalRule {
    fn default() -> Self {
        FederalRule {
            enabled: true,
            fail_share: 0.30,
            min_procedures: 2,
            min_n: 10,
            conjunction: true,
            include_gia: true,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RiskRule {
    /// Growth of the share of «2» year on year, percentage points.
    pub growth_pp: f64,
    /// Significance level of the two-proportion test (two-sided).
    pub alpha: f64,
    /// Bonferroni correction over the school's procedures tested that year.
    pub bonferroni: bool,
    /// Procedures with fewer participants in either year are not tested.
    pub min_n_test: u32,
}

impl Default for RiskRule {
    fn default() -> Self {
        RiskRule {
            growth_pp: 10.0,
            alpha: 0.05,
            bonferroni: true,
            min_n_test: 20,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Isb {
    /// «p25» (default), «mean», «median», «pNN» or a number.
    pub threshold: ThresholdSpec,
    /// Category key → weight. Missing categories weigh 0.
    pub weights: BTreeMap<String, f64>,
    /// Categories that are protective (enter as 100·share, not 100·(1 − share)).
    pub protective: Vec<String>,
    /// Categories summed into one (in-school register + ПДН/КДН → register), capped at total.
    pub merged: BTreeMap<String, Vec<String>>,
}

impl Isb {
    /// A social-passport category (or a merged group of them) in the analyst's words; a key
    /// shnor does not know stays as written in the configuration.
    pub fn category_label(&self, key: &str) -> String {
        if let Some(c) = Category::ALL.iter().find(|c| c.key() == key) {
            return c.label().to_string();
        }
        match self.merged.get(key) {
            Some(parts) => parts
                .iter()
                .map(|p| self.category_label(p))
                .collect::<Vec<_>>()
                .join(" + "),
            None => key.to_string(),
        }
    }
}

/// ИСБ threshold: a number, or a statistic of the municipality's schools.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ThresholdSpec {
    Number(f64),
    Rule(String),
}

/// A threshold rule over the municipality's schools.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ThresholdRule {
    Mean,
    /// Percentile 0–100 (median = 50).
    Percentile(f64),
}

/// Parses «mean», «median», «pNN».
///
/// # Errors
/// Anything else, with a Russian message.
pub fn parse_threshold_rule(s: &str) -> Result<ThresholdRule> {
    let t = s.trim().to_lowercase();
    match t.as_str() {
        "mean" | "среднее" => return Ok(ThresholdRule::Mean),
        "median" | "медиана" => return Ok(ThresholdRule::Percentile(50.0)),
        _ => {}
    }
    if let Some(p) = t.strip_prefix('p')
        && let Ok(v) = p.parse::<f64>()
        && (0.0..=100.0).contains(&v)
    {
        return Ok(ThresholdRule::Percentile(v));
    }
    bail!("порог «{s}» не понят: укажите число, «mean», «median» или «pNN» (например p25)")
}

impl Default for Isb {
    fn default() -> Self {
        let w = |k: &str, v: f64| (k.to_string(), v);
        Isb {
            threshold: ThresholdSpec::Rule("p25".into()),
            weights: [
                w("low_income", 1.0),
                w("single_parent", 1.0),
                w("parent_higher_ed", 1.0),
                w("unemployed_parents", 1.0),
                w("register", 1.0),
                w("large_family", 0.5),
                w("guardianship", 0.5),
                w("migrants", 0.5),
                w("ovz", 0.0),
                w("disabled", 0.0),
                w("sop", 0.0),
                w("orphans", 0.0),
                w("both_parents_higher_ed", 0.0),
            ]
            .into_iter()
            .collect(),
            protective: vec!["parent_higher_ed".into(), "both_parents_higher_ed".into()],
            merged: [(
                "register".to_string(),
                vec![
                    Category::InSchoolRegister.key().into(),
                    Category::PdnKdn.key().into(),
                ],
            )]
            .into_iter()
            .collect(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Clusters {
    /// A cluster with fewer schools is merged into its settlement-level cluster, then into
    /// the whole municipality.
    pub min_size: usize,
    /// School id → cluster, overriding the registry.
    pub assign: BTreeMap<String, String>,
    /// A registry school with no «Кластер» cell takes the group of the section row above it
    /// («Городские школы», «Кластер 2») as its cluster. Off by default (and then not written
    /// into the saved configuration, so outputs stay as they were).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub sections: bool,
}

impl Default for Clusters {
    fn default() -> Self {
        Clusters {
            min_size: 5,
            assign: BTreeMap::new(),
            sections: false,
        }
    }
}

/// Minimum scores for marks 3, 4, 5 in one procedure and year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkBoundaries {
    pub exam: Exam,
    pub subject: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<u8>,
    /// Years this applies to; empty = every year.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub years: Vec<Year>,
    /// Lowest score for «3», «4», «5».
    pub min_score: [f64; 3],
    /// Highest possible score (higher scores are rejected).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_score: Option<f64>,
}

fn default_marks() -> Vec<MarkBoundaries> {
    let b = |exam, subject: &str, grade, years: Vec<Year>, min_score, max| MarkBoundaries {
        exam,
        subject: subject.into(),
        grade,
        years,
        min_score,
        max_score: Some(max),
    };
    vec![
        b(
            Exam::Vpr,
            "Математика",
            Some(4),
            vec![2021],
            [6.0, 10.0, 15.0],
            20.0,
        ),
        b(
            Exam::Oge,
            "Русский язык",
            None,
            vec![2023],
            [15.0, 23.0, 29.0],
            33.0,
        ),
        b(
            Exam::Oge,
            "Математика",
            None,
            vec![2023],
            [8.0, 15.0, 22.0],
            31.0,
        ),
    ]
}

/// Tells shnor what a file is when its columns do not.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileHint {
    /// File name or a glob with `*` (matched against the file name only).
    pub pattern: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<InputKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<Year>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exam: Option<Exam>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<u8>,
    /// Skip this file altogether.
    #[serde(default)]
    pub ignore: bool,
}

impl FileHint {
    /// Whether the hint's pattern matches a file name (`*` matches any run of characters).
    pub fn matches(&self, file_name: &str) -> bool {
        glob_match(&self.pattern.to_lowercase(), &file_name.to_lowercase())
    }
}

/// Case-insensitive equality without allocating (Cyrillic included).
fn eq_ignore_case(a: &str, b: &str) -> bool {
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

fn glob_match(pattern: &str, name: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == name;
    }
    let mut rest = name;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            let Some(r) = rest.strip_prefix(part) else {
                return false;
            };
            rest = r;
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            let Some(pos) = rest.find(part) else {
                return false;
            };
            rest = &rest[pos + part.len()..];
        }
    }
    true
}

impl Config {
    /// Reads and validates a config file.
    ///
    /// # Errors
    /// A Russian message naming the file and the key when the TOML is malformed or a value
    /// is out of range.
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("не удалось прочитать файл настроек {}", path.display()))?;
        let cfg: Config = toml::from_str(&text)
            .with_context(|| format!("ошибка в файле настроек {}", path.display()))?;
        cfg.validate()
            .with_context(|| format!("ошибка в файле настроек {}", path.display()))?;
        Ok(cfg)
    }

    /// The defaults as commented TOML, for `shnor config --default`.
    pub fn default_toml() -> String {
        let body = toml::to_string_pretty(&Config::default()).expect("defaults serialize");
        format!(
            "# Настройки shnor: методика по умолчанию (docs/method.md §4). Измените нужное, остальное\n\
             # можно удалить — отсутствующие ключи берутся по умолчанию.\n\n{body}"
        )
    }

    /// The mark boundaries for a procedure in a year, if configured.
    pub fn boundaries(
        &self,
        exam: Exam,
        subject: &str,
        grade: Option<u8>,
        year: Year,
    ) -> Option<&MarkBoundaries> {
        self.marks.iter().find(|m| {
            m.exam == exam
                && eq_ignore_case(&m.subject, subject)
                && (m.grade.is_none() || m.grade == grade)
                && (m.years.is_empty() || m.years.contains(&year))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_parse() {
        assert_eq!(
            parse_threshold_rule("p25").unwrap(),
            ThresholdRule::Percentile(25.0)
        );
        assert_eq!(
            parse_threshold_rule(" Median ").unwrap(),
            ThresholdRule::Percentile(50.0)
        );
        assert_eq!(parse_threshold_rule("mean").unwrap(), ThresholdRule::Mean);
        assert!(parse_threshold_rule("p125").is_err());
        assert!(parse_threshold_rule("квартиль").is_err());
    }

    #[test]
    fn default_toml_round_trips() {
        let text = Config::default_toml();
        let back: Config = toml::from_str(&text).unwrap();
        assert_eq!(back, Config::default());
        back.validate().unwrap();
    }

    #[test]
    fn partial_config_keeps_defaults() {
        let c: Config = toml::from_str("[oip]\nshnor_bar = 12.5\n").unwrap();
        assert_eq!(c.oip.shnor_bar, 12.5);
        assert_eq!(c.oip.program_threshold, 21.0);
        assert_eq!(c.general.min_n, 10);
    }

    #[test]
    fn threshold_as_number_or_rule() {
        let c: Config = toml::from_str("[isb]\nthreshold = 42.7\n").unwrap();
        assert_eq!(c.isb.threshold, ThresholdSpec::Number(42.7));
        let c: Config = toml::from_str("[isb]\nthreshold = \"median\"\n").unwrap();
        assert_eq!(c.isb.threshold, ThresholdSpec::Rule("median".into()));
    }

    #[test]
    fn glob() {
        let h = FileHint {
            pattern: "впр*2025*.xlsx".into(),
            kind: None,
            year: None,
            exam: None,
            subject: None,
            grade: None,
            ignore: false,
        };
        assert!(h.matches("ВПР_математика_2025_5кл.xlsx"));
        assert!(!h.matches("ОГЭ_2025.xlsx"));
    }
}

/// Knobs of `shnor progress` (docs/method.md §5): significance of changes, hysteresis of flags,
/// tolerance of program targets.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Progress {
    /// Significance level of the two-sided tests of a change (0.05 = 95 %).
    pub alpha: f64,
    /// A change is judged only when both the baseline and the interim n are at least this.
    pub min_n: u32,
    /// Leaving ШНОР / зона риска needs ОИП at least this many points above the bar.
    pub leave_margin: f64,
    /// Leaving ШНСУ needs ИСБ at least this many points above the frozen threshold.
    pub leave_margin_isb: f64,
    /// A target within this fraction below its plan is «в пределах 10 %» (0.10 = 10 %).
    pub target_tolerance: f64,
    /// Flags whose schools make up the program by default (when the targets file lists none).
    pub program_flags: Vec<String>,
}

impl Default for Progress {
    fn default() -> Self {
        Progress {
            alpha: 0.05,
            min_n: 10,
            leave_margin: 1.0,
            leave_margin_isb: 1.0,
            target_tolerance: 0.10,
            program_flags: vec!["ШНОР".into(), "ШНСУ".into()],
        }
    }
}

// ---- [limits]: reading budgets (issue 13). Kept in one block for merging. ----

/// Budgets that turn a hostile or broken file (a zip bomb, cells scattered to column XFD,
/// repeat counts of a million rows) into one clear rejection of that file instead of
/// exhausting memory. The defaults are far above the largest real export: a ФИС ОКО
/// participant workbook of ~10^5 rows × 28 columns (2.8 M cells); the largest file of
/// ../shared/realdata (ВПР 2021, Алтайский край) has 0.77 M cells in 26,596 rows and
/// inflates to 55 MB.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Bytes read from one file, MB: its size, or unpacked (a zip member, the sheets of
    /// an xlsx).
    pub file_megabytes: u64,
    /// Cells of one file, counting the empty cells to the left of each row's last
    /// filled cell (they take memory too).
    pub file_cells: u64,
    /// Rows of one file.
    pub file_rows: u64,
    /// Bytes read by the whole run, MB.
    pub run_megabytes: u64,
    /// Cells read by the whole run.
    pub run_cells: u64,
    /// Records (a school's result, a grade's count, a passport line) and row messages
    /// kept from one sheet: each takes ~0.4 KB, ~20× its cell, so the cell budget alone
    /// lets a million-row file outgrow memory.
    pub sheet_records: u64,
    /// The same for the whole run: records stay in memory until the report is written.
    pub run_records: u64,
    /// How many times one input file may grow when unpacked (an archive's members at
    /// every depth, an xlsx's sheets) once it is past `unpack_ratio_from_megabytes`: real
    /// exports compress 5–20×, a zip bomb thousands of times, and its members can each
    /// stay under `file_megabytes` while the archive holds gigabytes.
    pub unpack_ratio: u64,
    /// Unpacked MB below which the ratio is not checked (small files of empty cells
    /// compress far better than 20× and are harmless).
    pub unpack_ratio_from_megabytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            file_megabytes: 512,
            file_cells: 10_000_000,
            file_rows: 2_000_000,
            // The whole country (40,000 schools × 3 years of participant ВПР files) unpacks
            // to ~46 GB, 1.7·10⁹ cells and ~4·10⁶ records: the run budgets leave it room
            // twice over; one file's budgets above are what keeps memory in check.
            run_megabytes: 131_072,
            run_cells: 4_000_000_000,
            sheet_records: 2_000_000,
            run_records: 10_000_000,
            unpack_ratio: 100,
            unpack_ratio_from_megabytes: 100,
        }
    }
}

impl Limits {
    fn is_default(&self) -> bool {
        *self == Limits::default()
    }
}
