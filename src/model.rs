//! Canonical records every input is reduced to (docs/method.md §3), and the data-quality findings
//! that accompany them. Every stage after `normalize` sees only these types.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// School year, named by the calendar year in which it ends (2024/25 → 2025).
pub type Year = i32;

/// Kind of assessment whose results come as marks and/or scores.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Exam {
    #[serde(rename = "ВПР")]
    Vpr,
    #[serde(rename = "ОГЭ")]
    Oge,
    #[serde(rename = "ЕГЭ")]
    Ege,
    /// Regional / municipal diagnostic works (КДР, МДР, trial ОГЭ): same shape as ВПР.
    #[serde(rename = "КДР")]
    Kdr,
}

impl Exam {
    pub const ALL: [Exam; 4] = [Exam::Vpr, Exam::Oge, Exam::Ege, Exam::Kdr];

    pub fn label(self) -> &'static str {
        match self {
            Exam::Vpr => "ВПР",
            Exam::Oge => "ОГЭ",
            Exam::Ege => "ЕГЭ",
            Exam::Kdr => "КДР",
        }
    }

    /// Parses a label as written in files and configs (case-insensitive, ГИА-9/ГИА-11 too).
    pub fn parse(s: &str) -> Option<Exam> {
        let u = s.trim().to_uppercase().replace('Ё', "Е");
        match u.as_str() {
            "ВПР" | "VPR" => Some(Exam::Vpr),
            "ОГЭ" | "OGE" | "ГИА-9" | "ГИА9" => Some(Exam::Oge),
            "ЕГЭ" | "EGE" | "ГИА-11" | "ГИА11" => Some(Exam::Ege),
            "КДР" | "МДР" | "KDR" => Some(Exam::Kdr),
            _ => None,
        }
    }
}

impl fmt::Display for Exam {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One assessment unit: (exam, subject, grade), e.g. ВПР Математика 5 кл.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Procedure {
    pub exam: Exam,
    /// Canonical subject name (see `recognize::subjects`), e.g. "Математика", "Русский язык".
    pub subject: String,
    /// Grade for ВПР/КДР; `None` for ОГЭ/ЕГЭ (grade 9 / 11 implied).
    pub grade: Option<u8>,
}

impl fmt::Display for Procedure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.grade {
            Some(g) => write!(f, "{} {} {} кл.", self.exam, self.subject, g),
            None => write!(f, "{} {}", self.exam, self.subject),
        }
    }
}

/// A school from the registry (or one invented from results when there is no registry).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct School {
    pub id: String,
    pub name: String,
    pub municipality: Option<String>,
    /// Region (субъект РФ) of a national or multi-region registry: `identify --split region`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// «город» / «село» (or whatever the registry says: пгт, …).
    pub settlement: Option<String>,
    /// Level / type as written: НОШ, ООШ, СОШ, гимназия, лицей, школа с УИОП, специальная …
    pub level: Option<String>,
    pub students: Option<u32>,
    /// Cluster given by the region, if any.
    pub cluster: Option<String>,
    /// Other keys of the same school: ФИС ОКО logins, ОГЭ/ЕГЭ codes, ИНН, ОГРН.
    pub aliases: Vec<String>,
    pub coordinator: Option<String>,
    pub phone: Option<String>,
}

/// Where a record came from: for data-quality messages and `explain`. The file and sheet
/// names are shared by every record of a sheet (a region's files give millions of records),
/// not copied into each.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Origin {
    pub file: Arc<str>,
    pub sheet: Option<Arc<str>>,
    /// 1-based row number as the analyst sees it in Excel (0 = whole file/sheet).
    pub row: usize,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(s) = &self.sheet {
            write!(f, ", лист «{s}»")?;
        }
        if self.row > 0 {
            write!(f, ", строка {}", self.row)?;
        }
        Ok(())
    }
}

/// Results of one school in one procedure and year (participant rows are aggregated to this).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProcResult {
    pub year: Year,
    pub school: String,
    pub procedure: Procedure,
    /// Participants (works written).
    pub n: u32,
    /// Counts of marks 2, 3, 4, 5 when known.
    pub marks: Option<[u32; 4]>,
    /// Mean primary score (ВПР/ОГЭ/КДР) or test score (ЕГЭ), over `n` participants.
    pub mean_score: Option<f64>,
    /// SD of the participants' scores (participant files only; docs/method.md §6.1).
    pub score_sd: Option<f64>,
    /// Mean mark when the file gives it but not the counts.
    pub mean_mark: Option<f64>,
    /// Participants below the minimum (ЕГЭ) or with «2» (others), when known.
    pub n_fail: Option<u32>,
    /// High scorers (ЕГЭ ≥ 80), when known.
    pub n_high: Option<u32>,
    pub origin: Origin,
}

/// SD of the union of groups given as (mean, sd, n): Σx² = Σ[(nᵢ−1)·sdᵢ² + nᵢ·meanᵢ²],
/// var = (Σx² − N·M²)/(N − 1). `None` when a group has no SD or N < 2.
pub fn pooled_sd(groups: &[(f64, Option<f64>, u32)]) -> Option<f64> {
    let n: u32 = groups.iter().map(|g| g.2).sum();
    if n < 2 {
        return None;
    }
    let mut sum = 0.0;
    let mut squares = 0.0;
    for &(m, sd, k) in groups {
        let k = f64::from(k);
        let sd = if k >= 2.0 { sd? } else { sd.unwrap_or(0.0) };
        sum += k * m;
        squares += (k - 1.0).max(0.0) * sd * sd + k * m * m;
    }
    let n = f64::from(n);
    let mean = sum / n;
    Some(((squares - n * mean * mean) / (n - 1.0)).max(0.0).sqrt())
}

impl ProcResult {
    /// SD of the scores of this result's participants and `more`'s together.
    pub fn joint_score_sd(&self, more: &ProcResult) -> Option<f64> {
        pooled_sd(&[
            (self.mean_score?, self.score_sd, self.n),
            (more.mean_score?, more.score_sd, more.n),
        ])
    }

    /// Mean mark from the counts, or the file's own mean mark.
    pub fn mark_mean(&self) -> Option<f64> {
        if let Some(m) = self.marks {
            let total: u32 = m.iter().sum();
            if total > 0 {
                let s = 2 * m[0] + 3 * m[1] + 4 * m[2] + 5 * m[3];
                return Some(f64::from(s) / f64::from(total));
            }
        }
        self.mean_mark
    }

    /// Participants who failed: «2» or below the minimum.
    pub fn fails(&self) -> Option<u32> {
        self.n_fail.or(self.marks.map(|m| m[0]))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Stage {
    #[serde(rename = "школьный")]
    School,
    #[serde(rename = "муниципальный")]
    Municipal,
    #[serde(rename = "региональный")]
    Regional,
    #[serde(rename = "заключительный")]
    Final,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Status {
    #[serde(rename = "участник")]
    Participant,
    #[serde(rename = "призёр")]
    Prizewinner,
    #[serde(rename = "победитель")]
    Winner,
}

/// One school's rows of one ВсОШ protocol table for one year. A protocol has a row per
/// student and subject (hundreds of thousands in a region); only who took part, at which
/// stage and grade and with which status counts, so a row is kept as a few bytes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OlympiadRows {
    pub year: Year,
    pub school: String,
    pub entries: Vec<OlympiadEntry>,
    /// The first of the rows.
    pub origin: Origin,
}

/// One protocol row: a student's entry in one subject and stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OlympiadEntry {
    pub stage: Stage,
    pub grade: Option<u8>,
    pub status: Status,
    /// The student key as the protocol gives it (code, or ФИО + date of birth), trimmed and
    /// kept as a 64-bit hash: unique students are counted by it, and two different keys of
    /// one school share a hash with a chance of about n²/2⁶⁵ (10⁻¹³ for 1,000 students).
    pub participant: u64,
}

impl OlympiadRows {
    /// One protocol row as a record of its own (hand-made data: tests, examples).
    #[must_use]
    pub fn one(
        year: Year,
        school: &str,
        entry: (Stage, Option<u8>, Status),
        participant: &str,
        origin: Origin,
    ) -> Self {
        let (stage, grade, status) = entry;
        Self {
            year,
            school: school.to_string(),
            entries: vec![OlympiadEntry {
                stage,
                grade,
                status,
                participant: OlympiadEntry::participant_key(participant),
            }],
            origin,
        }
    }
}

impl OlympiadEntry {
    /// The compact key of a student as written in a protocol.
    #[must_use]
    pub fn participant_key(written: &str) -> u64 {
        use std::hash::{Hash, Hasher};
        // SipHash with fixed keys: the same key for the same text within and across runs.
        let mut h = std::hash::DefaultHasher::new();
        written.trim().hash(&mut h);
        h.finish()
    }
}

/// Students of one grade of one school in one year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Contingent {
    pub year: Year,
    pub school: String,
    pub grade: u8,
    pub students: u32,
    pub origin: Origin,
}

/// Social passport categories (docs/method.md §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    LowIncome,
    SingleParent,
    LargeFamily,
    Orphans,
    Guardianship,
    Disabled,
    Ovz,
    InSchoolRegister,
    PdnKdn,
    Sop,
    Migrants,
    ParentHigherEd,
    BothParentsHigherEd,
    UnemployedParents,
}

impl Category {
    pub const ALL: [Category; 14] = [
        Category::LowIncome,
        Category::SingleParent,
        Category::LargeFamily,
        Category::Orphans,
        Category::Guardianship,
        Category::Disabled,
        Category::Ovz,
        Category::InSchoolRegister,
        Category::PdnKdn,
        Category::Sop,
        Category::Migrants,
        Category::ParentHigherEd,
        Category::BothParentsHigherEd,
        Category::UnemployedParents,
    ];

    /// The heading used in templates and reports.
    pub fn label(self) -> &'static str {
        match self {
            Category::LowIncome => "Из малообеспеченных семей",
            Category::SingleParent => "Из неполных семей",
            Category::LargeFamily => "Из многодетных семей",
            Category::Orphans => "Дети-сироты и оставшиеся без попечения родителей",
            Category::Guardianship => "Опекаемые",
            Category::Disabled => "Дети-инвалиды",
            Category::Ovz => "Обучающиеся с ОВЗ",
            Category::InSchoolRegister => "На внутришкольном учёте",
            Category::PdnKdn => "На учёте в ПДН, КДН и ЗП",
            Category::Sop => "Из семей в СОП",
            Category::Migrants => "Дети мигрантов (русский язык не родной)",
            Category::ParentHigherEd => "Хотя бы один родитель с высшим образованием",
            Category::BothParentsHigherEd => "Оба родителя с высшим образованием",
            Category::UnemployedParents => "Из семей с безработными родителями",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Category::LowIncome => "low_income",
            Category::SingleParent => "single_parent",
            Category::LargeFamily => "large_family",
            Category::Orphans => "orphans",
            Category::Guardianship => "guardianship",
            Category::Disabled => "disabled",
            Category::Ovz => "ovz",
            Category::InSchoolRegister => "in_school_register",
            Category::PdnKdn => "pdn_kdn",
            Category::Sop => "sop",
            Category::Migrants => "migrants",
            Category::ParentHigherEd => "parent_higher_ed",
            Category::BothParentsHigherEd => "both_parents_higher_ed",
            Category::UnemployedParents => "unemployed_parents",
        }
    }
}

/// A school's social passport for one school year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Passport {
    pub year: Year,
    pub school: String,
    pub total: u32,
    /// Counts of students per category (shares in the file are converted to counts).
    pub counts: BTreeMap<Category, f64>,
    pub origin: Origin,
}

/// Whose share a program target is measured over (docs/method.md §5, «Чья доля?»).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum Population {
    /// The program's schools: those flagged in the baseline, or the list given.
    #[default]
    #[serde(rename = "школы программы")]
    Program,
    #[serde(rename = "все школы")]
    All,
}

/// A target indicator of the municipal program.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// Machine key of an indicator the tool computes itself, if given.
    pub key: Option<String>,
    pub name: String,
    pub unit: Option<String>,
    pub base: Option<f64>,
    pub plan: BTreeMap<Year, f64>,
    /// Actual value typed in by the analyst (for indicators the tool cannot compute).
    pub actual: Option<f64>,
    pub population: Population,
    /// Program schools listed in the targets file (ids), if any.
    pub schools: Vec<String>,
    pub origin: Origin,
}

/// What kind of input a file (or sheet) is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InputKind {
    Registry,
    /// Participant-level results (ФИС ОКО ВПР export, КДР, РЦОИ participant lists).
    Participants,
    /// Per-school aggregates of a procedure (counts of marks, mean score …).
    Aggregates,
    Olympiad,
    Contingent,
    Passport,
    Targets,
}

impl InputKind {
    pub fn label(self) -> &'static str {
        match self {
            InputKind::Registry => "реестр школ",
            InputKind::Participants => "результаты участников",
            InputKind::Aggregates => "результаты по школам",
            InputKind::Olympiad => "протокол ВсОШ",
            InputKind::Contingent => "контингент по классам",
            InputKind::Passport => "социальный паспорт",
            InputKind::Targets => "целевые показатели",
        }
    }

    pub fn parse(s: &str) -> Option<InputKind> {
        let l = s.trim().to_lowercase();
        Some(match l.as_str() {
            "registry" | "реестр" | "реестр школ" => InputKind::Registry,
            "participants" | "результаты участников" => InputKind::Participants,
            "aggregates" | "результаты по школам" => InputKind::Aggregates,
            "olympiad" | "всош" | "протокол всош" => InputKind::Olympiad,
            "contingent" | "контингент" | "контингент по классам" => {
                InputKind::Contingent
            }
            "passport" | "социальный паспорт" => InputKind::Passport,
            "targets" | "целевые показатели" => InputKind::Targets,
            _ => return None,
        })
    }
}

/// How bad a data-quality finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Severity {
    /// Accepted, but worth a look.
    #[serde(rename = "предупреждение")]
    Warning,
    /// The row (or file) was left out of the calculation.
    #[serde(rename = "отклонено")]
    Rejected,
}

/// One data-quality finding: file, sheet, row, column, value and what is wrong.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Issue {
    pub severity: Severity,
    pub origin: Origin,
    /// Column heading as written in the file (or letter), if the finding is about a cell.
    pub column: Option<String>,
    pub value: Option<String>,
    /// What is wrong and what to do, in Russian.
    pub message: String,
}

impl Issue {
    /// A finding about a whole file (no sheet, row or cell).
    pub fn of_file(severity: Severity, file: &str, message: String) -> Issue {
        Issue {
            severity,
            origin: Origin {
                file: file.into(),
                sheet: None,
                row: 0,
            },
            column: None,
            value: None,
            message,
        }
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.origin)?;
        if let Some(c) = &self.column {
            write!(f, ", столбец «{c}»")?;
        }
        if let Some(v) = &self.value {
            write!(f, ", значение «{v}»")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// One input file as read: for the Методика sheet and `validate`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InputFile {
    pub path: String,
    pub sha256: String,
    /// One entry per recognized table (sheet) in the file.
    pub tables: Vec<TableSummary>,
    /// The earlier input this one repeats byte for byte and reads the same way: it was not
    /// counted again (its `tables` are empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy_of: Option<String>,
}

/// What was recognized in one sheet and how many rows were taken.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TableSummary {
    pub sheet: Option<String>,
    pub kind: Option<InputKind>,
    pub year: Option<Year>,
    /// Procedure(s) as text, e.g. «ВПР Математика 5 кл.».
    pub procedure: Option<String>,
    pub rows_accepted: usize,
    pub rows_rejected: usize,
    pub schools: usize,
}

/// What participant rows of one school's ВПР work in a year say beyond the aggregate: the
/// score histogram and the comparison with the journal mark (docs/method.md §6.5). Only
/// participant-level exports give it; a region's millions of rows shrink to a few dozen
/// counts per work.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParticipantStats {
    pub year: Year,
    pub school: String,
    pub procedure: Procedure,
    /// Participants by whole primary score: `scores[s]` participants scored `s`.
    pub scores: Vec<u32>,
    /// Participants with both marks: ВПР mark below the journal mark (понизили), equal
    /// (подтвердили), above it (повысили).
    pub journal: [u32; 3],
}

impl ParticipantStats {
    /// Participants with score `s` (0 beyond the histogram).
    pub fn at(&self, s: usize) -> u32 {
        self.scores.get(s).copied().unwrap_or(0)
    }

    /// Adds another part of the same school's work (two logins of one school).
    pub fn absorb(&mut self, other: &ParticipantStats) {
        if self.scores.len() < other.scores.len() {
            self.scores.resize(other.scores.len(), 0);
        }
        for (a, b) in self.scores.iter_mut().zip(&other.scores) {
            *a += b;
        }
        for (a, b) in self.journal.iter_mut().zip(other.journal) {
            *a += b;
        }
    }
}

/// Everything read from the inputs, in canonical form.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Dataset {
    pub schools: Vec<School>,
    pub results: Vec<ProcResult>,
    /// Score histograms and journal-mark comparisons of ВПР participant files (§6.5).
    #[serde(default)]
    pub participant_stats: Vec<ParticipantStats>,
    pub olympiad: Vec<OlympiadRows>,
    pub contingent: Vec<Contingent>,
    pub passports: Vec<Passport>,
    pub targets: Vec<Target>,
    pub issues: Vec<Issue>,
    /// Rejected rows that one message sums up (a sheet lists its first thousand one by
    /// one), beyond the one row each such message counts for in [`Dataset::rejected_rows`].
    #[serde(default)]
    pub rejected_unlisted: usize,
    pub files: Vec<InputFile>,
}

impl Dataset {
    /// Years for which there are results, olympiad, contingent or passports.
    pub fn years(&self) -> Vec<Year> {
        let mut ys: Vec<Year> = self
            .results
            .iter()
            .map(|r| r.year)
            .chain(self.olympiad.iter().map(|o| o.year))
            .chain(self.contingent.iter().map(|c| c.year))
            .chain(self.passports.iter().map(|p| p.year))
            .collect();
        ys.sort_unstable();
        ys.dedup();
        ys
    }

    /// Rejected rows and files: one per rejected message, and the rows the summing-up
    /// messages stand for.
    pub fn rejected_rows(&self) -> usize {
        self.issues
            .iter()
            .filter(|i| i.severity == Severity::Rejected)
            .count()
            + self.rejected_unlisted
    }
}
