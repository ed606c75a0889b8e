//! Raw indicators of docs/method.md §4.2 per school and year, each with the n behind it: mean ВПР
//! mark, mean exam score, share of olympiad participants, retention. Pooling of small
//! schools and the comparison with the cluster happen later, in `judge`.

use super::RawIndicator;
use crate::config::{Config, IndicatorSource};
use crate::model::{Dataset, Exam, OlympiadEntry, OlympiadRows, Stage, Year};
use std::collections::{BTreeMap, BTreeSet};

/// Grades whose students count for the olympiad share (municipal stage is for 7–11).
pub(crate) const OLYMPIAD_GRADES: std::ops::RangeInclusive<u8> = 7..=11;

/// Weighted sum and weight, for participant-weighted means, and the sum of squares over
/// the units while every part brings its distribution (for the SD of docs/method.md §6.1).
#[derive(Clone, Copy)]
struct Acc {
    sum: f64,
    n: u32,
    squares: f64,
    complete: bool,
}

impl Default for Acc {
    fn default() -> Self {
        Acc {
            sum: 0.0,
            n: 0,
            squares: 0.0,
            complete: true,
        }
    }
}

impl Acc {
    /// A part of n units with its mean and, when known, the SD of its units.
    fn add(&mut self, value: f64, n: u32, sd: Option<f64>) {
        let k = f64::from(n);
        self.sum += value * k;
        self.n += n;
        match sd {
            Some(sd) => self.squares += (k - 1.0).max(0.0) * sd * sd + k * value * value,
            None if n == 1 => self.squares += value * value,
            None => self.complete = false,
        }
    }

    fn sd(&self) -> Option<f64> {
        if !self.complete || self.n < 2 {
            return None;
        }
        let n = f64::from(self.n);
        let mean = self.sum / n;
        Some(
            ((self.squares - n * mean * mean) / (n - 1.0))
                .max(0.0)
                .sqrt(),
        )
    }
}

/// Subject names compared as an analyst would: case and «ё» do not matter.
pub(crate) fn same_subject(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.trim().to_lowercase().replace('ё', "е");
    norm(a) == norm(b)
}

pub(super) fn compute(ds: &Dataset, cfg: &Config) -> Vec<RawIndicator> {
    use rayon::prelude::*;
    // Each indicator is a pass over the whole dataset, independent of the others.
    let per_spec: Vec<Vec<RawIndicator>> = cfg
        .indicators
        .par_iter()
        .map(|spec| {
            let values = match &spec.source {
                IndicatorSource::VprMark => vpr_mark(ds),
                IndicatorSource::ExamScore { exam, subject } => exam_score(ds, *exam, subject),
                IndicatorSource::Olympiad => olympiad_share(ds),
                IndicatorSource::Retention => retention(ds),
            };
            values
                .into_iter()
                .map(|((school, year), (value, n, sd))| RawIndicator {
                    school,
                    year,
                    indicator: spec.id.clone(),
                    value,
                    n,
                    sd,
                })
                .collect()
        })
        .collect();
    let mut out: Vec<RawIndicator> = per_spec.into_iter().flatten().collect();
    out.sort_by(|a, b| (&a.school, a.year, &a.indicator).cmp(&(&b.school, b.year, &b.indicator)));
    out
}

/// (value, n, SD of one unit) per school and year.
type PerSchoolYear = BTreeMap<(String, Year), (f64, u32, Option<f64>)>;

fn finish(acc: BTreeMap<(String, Year), Acc>) -> PerSchoolYear {
    acc.into_iter()
        .filter(|(_, a)| a.n > 0)
        .map(|(k, a)| (k, (a.sum / f64::from(a.n), a.n, a.sd())))
        .collect()
}

/// Mean ВПР mark over all works of the year: each procedure's mean mark weighted by its
/// works (the mark counts when given, else n).
fn vpr_mark(ds: &Dataset) -> PerSchoolYear {
    let mut acc: BTreeMap<(String, Year), Acc> = BTreeMap::new();
    for r in ds.results.iter().filter(|r| r.procedure.exam == Exam::Vpr) {
        let Some(mean) = r.mark_mean() else { continue };
        // The marks' own SD when the counts are given; a file's mean mark alone has none.
        let (works, sd) = match r.marks.filter(|m| m.iter().sum::<u32>() > 0) {
            Some(m) => (
                m.iter().sum(),
                super::mark_moments(m).map(|(_, v, _)| v.sqrt()),
            ),
            None => (r.n, None),
        };
        acc.entry((r.school.clone(), r.year))
            .or_default()
            .add(mean, works, sd);
    }
    finish(acc)
}

/// Participant-weighted mean score of one exam subject.
fn exam_score(ds: &Dataset, exam: Exam, subject: &str) -> PerSchoolYear {
    let mut acc: BTreeMap<(String, Year), Acc> = BTreeMap::new();
    for r in ds
        .results
        .iter()
        .filter(|r| r.procedure.exam == exam && same_subject(&r.procedure.subject, subject))
    {
        let Some(mean) = r.mean_score else { continue };
        acc.entry((r.school.clone(), r.year))
            .or_default()
            .add(mean, r.n, r.score_sd);
    }
    finish(acc)
}

/// Students of grades 7–11 per school and year, from the contingent.
pub(crate) fn students_7_11(ds: &Dataset) -> BTreeMap<(String, Year), u32> {
    let mut out: BTreeMap<(String, Year), u32> = BTreeMap::new();
    for c in ds
        .contingent
        .iter()
        .filter(|c| OLYMPIAD_GRADES.contains(&c.grade))
    {
        *out.entry((c.school.clone(), c.year)).or_default() += c.students;
    }
    out
}

/// Unique municipal-stage participants of grades 7–11 per school and year. An entry without
/// a grade is counted: the municipal stage is held for grades 7–11, and dropping the row
/// would undercount silently.
pub(crate) fn municipal_participants(ds: &Dataset) -> BTreeMap<(String, Year), BTreeSet<u64>> {
    let mut out: BTreeMap<(String, Year), BTreeSet<u64>> = BTreeMap::new();
    for g in &ds.olympiad {
        let mut students = municipal_7_11(g).map(|e| e.participant).peekable();
        if students.peek().is_some() {
            out.entry((g.school.clone(), g.year))
                .or_default()
                .extend(students);
        }
    }
    out
}

/// The municipal-stage rows of grades 7–11 (or of no grade) of one school's protocol rows.
pub(crate) fn municipal_7_11(g: &OlympiadRows) -> impl Iterator<Item = &OlympiadEntry> {
    g.entries.iter().filter(|e| {
        e.stage == Stage::Municipal && e.grade.is_none_or(|g| OLYMPIAD_GRADES.contains(&g))
    })
}

/// Years for which a municipal-stage protocol was read at all: in other years the share is
/// unknown, not zero.
pub(crate) fn protocol_years(ds: &Dataset) -> BTreeSet<Year> {
    ds.olympiad
        .iter()
        .filter(|g| g.entries.iter().any(|e| e.stage == Stage::Municipal))
        .map(|g| g.year)
        .collect()
}

/// Share of students of grades 7–11 who took part in the municipal stage (n = students).
fn olympiad_share(ds: &Dataset) -> PerSchoolYear {
    let years = protocol_years(ds);
    let participants = municipal_participants(ds);
    students_7_11(ds)
        .into_iter()
        .filter(|((_, y), students)| years.contains(y) && *students > 0)
        .map(|(key, students)| {
            let p = participants.get(&key).map_or(0, BTreeSet::len) as f64;
            (key, (p / f64::from(students), students, None))
        })
        .collect()
}

/// Grade 10 of year y over grade 9 of year y−1, for schools with grade-10 students in y
/// (n = grade 9 of y−1).
fn retention(ds: &Dataset) -> PerSchoolYear {
    let mut grade: BTreeMap<(String, Year, u8), u32> = BTreeMap::new();
    for c in ds
        .contingent
        .iter()
        .filter(|c| c.grade == 9 || c.grade == 10)
    {
        *grade
            .entry((c.school.clone(), c.year, c.grade))
            .or_default() += c.students;
    }
    let mut out = PerSchoolYear::new();
    for ((school, year, g), tenth) in &grade {
        if *g != 10 || *tenth == 0 {
            continue;
        }
        let Some(&ninth) = grade.get(&(school.clone(), year - 1, 9)) else {
            continue;
        };
        if ninth > 0 {
            out.insert(
                (school.clone(), *year),
                (f64::from(*tenth) / f64::from(ninth), ninth, None),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Contingent, Origin, ProcResult, Procedure, Status};

    fn res(school: &str, exam: Exam, subject: &str, n: u32) -> ProcResult {
        ProcResult {
            year: 2025,
            school: school.into(),
            procedure: Procedure {
                exam,
                subject: subject.into(),
                grade: None,
            },
            n,
            marks: None,
            mean_score: None,
            score_sd: None,
            mean_mark: None,
            n_fail: None,
            n_high: None,
            origin: Origin::default(),
        }
    }

    fn get<'a>(v: &'a [RawIndicator], id: &str, school: &str) -> Option<&'a RawIndicator> {
        v.iter().find(|r| r.indicator == id && r.school == school)
    }

    #[test]
    fn vpr_mark_is_weighted_over_all_works() {
        let mut a = res("1", Exam::Vpr, "Математика", 10);
        a.marks = Some([0, 0, 10, 0]); // mean 4
        let mut b = res("1", Exam::Vpr, "Русский язык", 30);
        b.marks = Some([0, 30, 0, 0]); // mean 3
        let ds = Dataset {
            results: vec![a, b],
            ..Dataset::default()
        };
        let v = compute(&ds, &Config::default());
        let r = get(&v, "vpr", "1").unwrap();
        // (4·10 + 3·30) / 40 = 130 / 40 = 3.25
        assert!((r.value - 3.25).abs() < 1e-12);
        assert_eq!(r.n, 40);
    }

    #[test]
    fn exam_score_matches_subject_case_insensitively() {
        let mut a = res("1", Exam::Oge, "русский ЯЗЫК", 10);
        a.mean_score = Some(20.0);
        let mut b = res("1", Exam::Oge, "Русский язык", 30);
        b.mean_score = Some(24.0);
        let mut c = res("1", Exam::Ege, "Русский язык", 30);
        c.mean_score = Some(70.0);
        let ds = Dataset {
            results: vec![a, b, c],
            ..Dataset::default()
        };
        let v = compute(&ds, &Config::default());
        let r = get(&v, "oge_ru", "1").unwrap();
        // (20·10 + 24·30) / 40 = 920 / 40 = 23
        assert!((r.value - 23.0).abs() < 1e-12);
        assert_eq!(r.n, 40);
        assert_eq!(get(&v, "ege_ru", "1").unwrap().value, 70.0);
    }

    fn cont(school: &str, year: Year, grade: u8, students: u32) -> Contingent {
        Contingent {
            year,
            school: school.into(),
            grade,
            students,
            origin: Origin::default(),
        }
    }

    fn entry(school: &str, who: &str, grade: u8, stage: Stage) -> OlympiadRows {
        let row = (stage, Some(grade), Status::Participant);
        OlympiadRows::one(2025, school, row, who, Origin::default())
    }

    #[test]
    fn olympiad_counts_unique_students_of_7_to_11() {
        let ds = Dataset {
            contingent: vec![
                cont("1", 2025, 6, 100), // not 7–11
                cont("1", 2025, 7, 20),
                cont("1", 2025, 9, 20),
                cont("2", 2025, 7, 10), // no entries: share 0
                cont("2", 2024, 7, 10), // no protocol in 2024: no indicator
            ],
            olympiad: vec![
                entry("1", "A", 7, Stage::Municipal),
                entry("1", "A", 7, Stage::Municipal), // same student, counted once
                entry("1", "B", 9, Stage::Municipal),
                entry("1", "C", 6, Stage::Municipal), // grade 6
                entry("1", "D", 8, Stage::School),    // school stage
            ],
            ..Dataset::default()
        };
        let v = compute(&ds, &Config::default());
        let r = get(&v, "olymp", "1").unwrap();
        // unique A, B = 2 of 20 + 20 = 40 students → 0.05
        assert!((r.value - 0.05).abs() < 1e-12);
        assert_eq!(r.n, 40);
        let r2 = get(&v, "olymp", "2").unwrap();
        assert_eq!((r2.value, r2.n, r2.year), (0.0, 10, 2025));
        assert_eq!(v.iter().filter(|r| r.indicator == "olymp").count(), 2);
    }

    #[test]
    fn retention_needs_grade_10_and_last_years_grade_9() {
        let ds = Dataset {
            contingent: vec![
                cont("1", 2024, 9, 40),
                cont("1", 2025, 10, 30),
                cont("2", 2024, 9, 40),  // no grade 10: not applicable
                cont("3", 2025, 10, 25), // no grade 9 last year
            ],
            ..Dataset::default()
        };
        let v = compute(&ds, &Config::default());
        let r: Vec<_> = v.iter().filter(|r| r.indicator == "retention").collect();
        assert_eq!(r.len(), 1);
        // 30 / 40 = 0.75, n = 40
        assert_eq!((r[0].school.as_str(), r[0].value, r[0].n), ("1", 0.75, 40));
    }
}
