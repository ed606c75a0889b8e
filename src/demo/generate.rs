//! The synthetic results: ВПР participants, ОГЭ/ЕГЭ participants (aggregated by the writer),
//! olympiad entries and social passports, each generated for one school and year from its
//! own sub-seed, so files can be written one at a time with bounded memory.

use super::plan::{self, DemoOptions, Group, Role, SchoolPlan, Settlement};
use super::sample::{self, rng_for};
use crate::config::MarkBoundaries;
use crate::model::{Category, Exam, Year};
use rand::Rng;
use rand::seq::SliceRandom;

/// One ВПР work: subject, grade, maximum score of every task, lowest scores for «3», «4», «5».
#[derive(Clone, Debug, PartialEq)]
pub struct Work {
    pub subject: &'static str,
    /// Subject as written in ФИС ОКО file names («по математике»).
    pub subject_dative: &'static str,
    pub grade: u8,
    pub tasks: &'static [u32],
    pub min: [u32; 3],
}

impl Work {
    pub fn max(&self) -> u32 {
        self.tasks.iter().sum()
    }

    /// Mark boundaries for `shnor.toml`.
    pub fn boundaries(&self) -> MarkBoundaries {
        MarkBoundaries {
            exam: Exam::Vpr,
            subject: self.subject.to_string(),
            grade: Some(self.grade),
            years: Vec::new(),
            min_score: self.min.map(f64::from),
            max_score: Some(f64::from(self.max())),
        }
    }

    /// File name as ФИС ОКО gives it.
    pub fn file_name(&self, year: Year) -> String {
        format!(
            "Проведение работы по {}, {} класс. ВПР {year}.xlsx",
            self.subject_dative, self.grade
        )
    }
}

const MA: &str = "Математика";
const RU: &str = "Русский язык";
const MA_D: &str = "математике";
const RU_D: &str = "русскому языку";

/// The ВПР works of every year: Русский язык and Математика, grades 4–8.
pub const WORKS: [Work; 10] = [
    Work {
        subject: RU,
        subject_dative: RU_D,
        grade: 4,
        tasks: &[4, 3, 3, 3, 3, 2, 2, 3, 2, 2, 3, 2, 2, 2, 2],
        min: [12, 22, 31],
    },
    Work {
        subject: MA,
        subject_dative: MA_D,
        grade: 4,
        tasks: &[1, 1, 1, 2, 1, 2, 1, 2, 2, 2, 2, 3],
        min: [6, 10, 15],
    },
    Work {
        subject: RU,
        subject_dative: RU_D,
        grade: 5,
        tasks: &[9, 3, 3, 3, 4, 4, 4, 3, 3, 3, 3, 3],
        min: [14, 25, 37],
    },
    Work {
        subject: MA,
        subject_dative: MA_D,
        grade: 5,
        tasks: &[1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 1],
        min: [7, 11, 15],
    },
    Work {
        subject: RU,
        subject_dative: RU_D,
        grade: 6,
        tasks: &[9, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 2, 2],
        min: [16, 29, 42],
    },
    Work {
        subject: MA,
        subject_dative: MA_D,
        grade: 6,
        tasks: &[1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 1, 2],
        min: [6, 10, 14],
    },
    Work {
        subject: RU,
        subject_dative: RU_D,
        grade: 7,
        tasks: &[9, 3, 3, 3, 4, 4, 4, 3, 3, 3, 3, 3, 2, 2],
        min: [15, 27, 39],
    },
    Work {
        subject: MA,
        subject_dative: MA_D,
        grade: 7,
        tasks: &[1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 2, 1, 2],
        min: [6, 12, 16],
    },
    Work {
        subject: RU,
        subject_dative: RU_D,
        grade: 8,
        tasks: &[9, 3, 3, 3, 4, 4, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 1],
        min: [16, 29, 42],
    },
    Work {
        subject: MA,
        subject_dative: MA_D,
        grade: 8,
        tasks: &[1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 2, 2, 2, 2, 1],
        min: [7, 13, 19],
    },
];

/// Baseline level (share of the maximum) of a cluster in ВПР, before school effects.
fn vpr_base(s: &SchoolPlan) -> f64 {
    match (s.settlement, s.level.group()) {
        (_, Group::Advanced) => 0.66,
        (Settlement::City, _) => 0.58,
        (Settlement::Village, Group::Secondary) => 0.54,
        (Settlement::Village, Group::Basic) => 0.53,
        (Settlement::Village, _) => 0.55,
    }
}

/// The planted share of «2» for the procedures that carry the federal-rule and jump cases.
fn planted_fail_share(opts: &DemoOptions, s: &SchoolPlan, w: &Work, year: Year) -> Option<f64> {
    let latest = opts.year;
    match s.role {
        // ≥ 30 % «2» in Математика 6 two years running and in Русский язык 7 in the latest
        // year: the federal rule's both conditions (38 % leaves room for rounding).
        Role::FederalShnor => {
            let m6 = w.subject == MA && w.grade == 6 && (year == latest || year == latest - 1);
            let r7 = w.subject == RU && w.grade == 7 && year == latest;
            (m6 || r7).then_some(0.38)
        }
        // From ~7 % to 28 %: +21 p.p. at n ≈ 80 gives z ≈ 3.3 > 2.9 (Bonferroni over ≤ 14
        // procedures), yet stays below the federal rule's 30 %.
        Role::RiskJump => (w.subject == MA && w.grade == 5 && year == latest).then_some(0.28),
        _ => None,
    }
}

/// Level (share of the maximum score) of a school in a ВПР work and year.
pub fn vpr_level(opts: &DemoOptions, s: &SchoolPlan, w: &Work, year: Year) -> f64 {
    if let Some(f) = planted_fail_share(opts, s, w, year) {
        return sample::level_for_fail_share(f, w.max(), w.min[0]);
    }
    // Plant relative to the cluster on the indicator itself (the mean mark), not on scores.
    let base_mark = sample::expected_mark(vpr_base(s), w.max(), w.min);
    let target = base_mark * (1.0 + plan::result_level(opts, s, year));
    sample::level_for_mark(target.clamp(2.05, 4.95), w.max(), w.min)
}

/// One ВПР participant row.
#[derive(Clone, Debug, PartialEq)]
pub struct VprRow {
    pub number: u32,
    pub code: String,
    /// Journal mark of the previous term («нет отметки» possible).
    pub prev_mark: String,
    pub sex: &'static str,
    pub class: String,
    /// «1», «2» or «отсутствовал».
    pub variant: String,
    /// Total score, None for an absent student.
    pub total: Option<u32>,
    /// Per task: Some(score) or None = «X» (not done); empty when absent.
    pub tasks: Vec<Option<u32>>,
}

/// The participants of one school in one work and year (absent ones included).
pub fn vpr_rows(opts: &DemoOptions, s: &SchoolPlan, w: &Work, year: Year) -> Vec<VprRow> {
    let n = plan::contingent(opts, s, year, w.grade) as usize;
    vpr_rows_at(opts, s, w, year, n, vpr_level(opts, s, w, year))
}

/// `n` participant rows of a work at a given level (share of the maximum score); the random
/// stream is the one of (school, `year`, work), so [`vpr_rows`] is this at the planted level.
pub fn vpr_rows_at(
    opts: &DemoOptions,
    s: &SchoolPlan,
    w: &Work,
    year: Year,
    n: usize,
    level: f64,
) -> Vec<VprRow> {
    if n == 0 {
        return Vec::new();
    }
    let k = plan::index(s);
    let wi = WORKS.iter().position(|x| x == w).unwrap_or(0) as u64;
    let mut rng = rng_for(opts.seed, &[10, k, year as u64, wi]);
    let absent: Vec<bool> = (0..n).map(|_| rng.random_bool(0.05)).collect();
    let present = absent.iter().filter(|a| !**a).count();
    let mut abil = sample::abilities(&mut rng, present, level).into_iter();
    let upper = k.is_multiple_of(2);
    let letters = if upper {
        ["А", "Б", "В", "Г"]
    } else {
        ["а", "б", "в", "г"]
    };
    let classes = n.div_ceil(30).max(1);
    let mut rows = Vec::with_capacity(n);
    // Per row: the draw that sets its journal mark (None: «нет отметки», or absent), applied
    // once the scores are final (a planted peak moves scores).
    let mut journal_draws: Vec<Option<f64>> = Vec::with_capacity(n);
    for (i, &is_absent) in absent.iter().enumerate() {
        let class = letters[(i * classes / n).min(3)].to_string();
        let sex = if rng.random_bool(0.5) { "м" } else { "ж" };
        let code = format!("{}{:04}", w.grade, i + 1);
        if is_absent {
            let pm = rng.random_range(3..=5u8).to_string();
            journal_draws.push(None);
            rows.push(VprRow {
                number: i as u32 + 1,
                code,
                prev_mark: pm,
                sex,
                class,
                variant: "отсутствовал".into(),
                total: None,
                tasks: Vec::new(),
            });
            continue;
        }
        let a = abil.next().unwrap_or(0.5);
        let total = sample::score(a, w.max());
        let tasks = split_score(&mut rng, total, w.tasks);
        // One draw each, as before the journal marks were made realistic: the stream of
        // every later row (and so every score) stays what it was.
        let draw = if rng.random_bool(0.01) {
            None
        } else {
            Some(rng.random::<f64>())
        };
        journal_draws.push(draw);
        rows.push(VprRow {
            number: i as u32 + 1,
            code,
            prev_mark: "нет отметки".to_string(),
            sex,
            class,
            variant: if rng.random_bool(0.5) { "1" } else { "2" }.into(),
            total: Some(total),
            tasks,
        });
    }
    let planted = plan::objectivity(s).filter(|_| year == opts.year);
    if planted == Some(plan::Objectivity::Peaks) {
        plant_peak(&mut rows, w, opts.seed, &[11, k, year as u64, wi]);
    }
    for (row, draw) in rows.iter_mut().zip(journal_draws) {
        if let (Some(total), Some(u)) = (row.total, draw) {
            let m = sample::mark(total, w.min);
            row.prev_mark =
                journal_mark(m, u, planted == Some(plan::Objectivity::Inflated)).to_string();
        }
    }
    rows
}

/// The journal mark of a participant with ВПР mark `m`, from a uniform draw `u`. As in real
/// ФИС ОКО reports: mostly confirmed, понизили (journal one higher) ~22 %, повысили (journal
/// one lower) ~5 %; a school with inflated ВПР marks: повысили 45 % of those with «3»–«5».
fn journal_mark(m: u8, u: f64, inflated: bool) -> u8 {
    let (higher, lower) = if inflated { (0.10, 0.45) } else { (0.22, 0.05) };
    if u < lower {
        m.saturating_sub(1).max(2)
    } else if u < lower + higher {
        (m + 1).min(5)
    } else {
        m
    }
}

/// A peak at the boundary of «4» (docs/method.md §6.5) without changing any mark count:
/// participants just under the boundary are pulled up onto it, and as many from the upper
/// part of «4» are pushed down into «3» (below the pulled-up ones). Tasks are re-split with
/// their own random stream, so the other rows stay as generated.
fn plant_peak(rows: &mut [VprRow], w: &Work, seed: u64, path: &[u64]) {
    let [b3, b, b5] = w.min;
    // Русский язык spreads over ~45 points: a wider window gives a peak as clear as maths'.
    let window = if w.max() > 30 { 4 } else { 2 };
    let target = b - window - 1;
    if target < b3 {
        return;
    }
    let up: Vec<usize> = (1..=window)
        .flat_map(|d| {
            rows.iter()
                .enumerate()
                .filter(move |(_, r)| r.total == Some(b - d))
                .map(|(i, _)| i)
        })
        .collect();
    let mut down: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.total.is_some_and(|t| t > b && t < b5))
        .map(|(i, _)| i)
        .collect();
    // The highest «4» first: the boundary keeps everyone who was on it.
    down.sort_by_key(|&i| std::cmp::Reverse(rows[i].total));
    let moves = up.len().min(down.len());
    let mut rng = rng_for(seed, path);
    for (&i, new) in up[..moves]
        .iter()
        .map(|i| (i, b))
        .chain(down[..moves].iter().map(|i| (i, target)))
    {
        rows[i].total = Some(new);
        rows[i].tasks = split_score(&mut rng, new, w.tasks);
    }
}

/// Spreads a total over tasks (each within its maximum); some zero tasks become «X».
fn split_score(rng: &mut impl Rng, total: u32, max: &[u32]) -> Vec<Option<u32>> {
    let mut got = vec![0u32; max.len()];
    let mut left = total.min(max.iter().sum());
    let mut order: Vec<usize> = (0..max.len()).collect();
    while left > 0 {
        order.shuffle(rng);
        for &t in &order {
            if left == 0 {
                break;
            }
            if got[t] < max[t] && rng.random_bool(0.6) {
                got[t] += 1;
                left -= 1;
            }
        }
    }
    got.into_iter()
        .map(|g| {
            if g == 0 && rng.random_bool(0.4) {
                None
            } else {
                Some(g)
            }
        })
        .collect()
}

/// An ОГЭ/ЕГЭ subject: maximum score, lowest scores for «3», «4», «5» (ОГЭ) or the minimum
/// (ЕГЭ, in `min[0]`), and the baseline level by cluster group.
#[derive(Clone, Debug, PartialEq)]
pub struct GiaSubject {
    pub exam: Exam,
    pub subject: &'static str,
    /// For titles: «по русскому языку».
    pub dative: &'static str,
    pub max: u32,
    pub min: [u32; 3],
    /// Baseline level: city, advanced, village.
    pub base: [f64; 3],
    /// Share of grade 11 taking it (ЕГЭ profile mathematics is optional).
    pub takers: [f64; 3],
}

pub const OGE: [GiaSubject; 2] = [
    GiaSubject {
        exam: Exam::Oge,
        subject: RU,
        dative: RU_D,
        max: 33,
        min: [15, 23, 29],
        base: [0.72, 0.80, 0.68],
        takers: [1.0, 1.0, 1.0],
    },
    GiaSubject {
        exam: Exam::Oge,
        subject: MA,
        dative: MA_D,
        max: 31,
        min: [8, 15, 22],
        base: [0.55, 0.65, 0.50],
        takers: [1.0, 1.0, 1.0],
    },
];

pub const EGE: [GiaSubject; 2] = [
    GiaSubject {
        exam: Exam::Ege,
        subject: RU,
        dative: RU_D,
        max: 100,
        min: [24, 0, 0],
        base: [0.70, 0.78, 0.64],
        takers: [1.0, 1.0, 1.0],
    },
    GiaSubject {
        exam: Exam::Ege,
        subject: "Математика профильная",
        dative: "математике (профильный уровень)",
        max: 100,
        min: [27, 0, 0],
        base: [0.58, 0.68, 0.52],
        takers: [0.5, 0.7, 0.35],
    },
];

/// Per-school aggregate of one ОГЭ/ЕГЭ subject in one year.
#[derive(Clone, Debug, PartialEq)]
pub struct GiaAggregate {
    pub n: u32,
    pub mean_score: f64,
    /// Counts of «2», «3», «4», «5» (ОГЭ).
    pub marks: [u32; 4],
    /// Below the minimum (ЕГЭ).
    pub n_fail: u32,
    /// 80 and above (ЕГЭ).
    pub n_high: u32,
}

impl GiaAggregate {
    pub fn mean_mark(&self) -> f64 {
        let s: u32 = self.marks.iter().zip(2..).map(|(c, m)| c * m).sum();
        f64::from(s) / f64::from(self.n.max(1))
    }
}

/// A school's ОГЭ (grade 9) or ЕГЭ (grade 11) result in a subject, or None without takers.
pub fn gia(
    opts: &DemoOptions,
    s: &SchoolPlan,
    subj: &GiaSubject,
    year: Year,
) -> Option<GiaAggregate> {
    let grade = if subj.exam == Exam::Oge { 9 } else { 11 };
    let col = match (s.settlement, s.level.group()) {
        (_, Group::Advanced) => 1,
        (Settlement::City, _) => 0,
        _ => 2,
    };
    let all = plan::contingent(opts, s, year, grade);
    let n = (f64::from(all) * subj.takers[col]).round() as usize;
    if n == 0 {
        return None;
    }
    let k = plan::index(s);
    let si = if subj.exam == Exam::Oge { 0 } else { 2 } + u64::from(subj.subject != RU);
    let mut rng = rng_for(opts.seed, &[20, k, year as u64, si]);
    // Mean scores are linear in the level, so plant the relative shift on the level.
    let mu = subj.base[col] * (1.0 + plan::result_level(opts, s, year));
    let mut agg = GiaAggregate {
        n: n as u32,
        mean_score: 0.0,
        marks: [0; 4],
        n_fail: 0,
        n_high: 0,
    };
    let mut sum = 0u32;
    for a in sample::abilities(&mut rng, n, mu) {
        let sc = sample::score(a, subj.max);
        sum += sc;
        if subj.exam == Exam::Oge {
            agg.marks[usize::from(sample::mark(sc, subj.min) - 2)] += 1;
        } else {
            agg.n_fail += u32::from(sc < subj.min[0]);
            agg.n_high += u32::from(sc >= 80);
        }
    }
    agg.mean_score = f64::from(sum) / n as f64;
    Some(agg)
}

pub const OLYMPIAD_SUBJECTS: [&str; 10] = [
    "Математика",
    "Русский язык",
    "Литература",
    "Биология",
    "История",
    "Обществознание",
    "Физика",
    "Химия",
    "Английский язык",
    "География",
];

/// One line of the municipal-stage protocol.
#[derive(Clone, Debug, PartialEq)]
pub struct OlympiadRow {
    pub participant: String,
    pub grade: u8,
    pub subject: &'static str,
    pub score: f64,
    pub status: &'static str,
}

/// The municipal-stage entries of one school in one year: a share of grades 7–11 take part,
/// each student in 1–3 subjects.
pub fn olympiad(opts: &DemoOptions, s: &SchoolPlan, year: Year) -> Vec<OlympiadRow> {
    let students: Vec<(u8, u32)> = (7..=11)
        .map(|g| (g, plan::contingent(opts, s, year, g)))
        .collect();
    olympiad_with(
        opts,
        s,
        year,
        &students,
        plan::olympiad_share(opts, s, year),
    )
}

/// The entries of one school in one year, given its students per grade 7–11 and the share
/// of them taking part.
pub fn olympiad_with(
    opts: &DemoOptions,
    s: &SchoolPlan,
    year: Year,
    students: &[(u8, u32)],
    share: f64,
) -> Vec<OlympiadRow> {
    let students: Vec<(u8, u32)> = students.iter().copied().filter(|x| x.1 > 0).collect();
    let total: u32 = students.iter().map(|x| x.1).sum();
    let take = (f64::from(total) * share).round() as u32;
    let k = plan::index(s);
    let mut rng = rng_for(opts.seed, &[30, k, year as u64]);
    let mut pool: Vec<u8> = students
        .iter()
        .flat_map(|&(g, n)| std::iter::repeat_n(g, n as usize))
        .collect();
    pool.shuffle(&mut rng);
    let level = 1.0 + plan::result_level(opts, s, year);
    let mut rows = Vec::new();
    for (i, &grade) in pool.iter().take(take as usize).enumerate() {
        let participant = format!("МЭ{:02}-{}-{:03}", year % 100, s.id, i + 1);
        let mut subjects = OLYMPIAD_SUBJECTS.to_vec();
        subjects.shuffle(&mut rng);
        let m = rng.random_range(1..=3);
        for subject in subjects.into_iter().take(m) {
            let score = (rng.random_range(15.0..80.0) * level).clamp(0.0, 100.0);
            let score = (score * 2.0).round() / 2.0;
            let status = if score >= 85.0 {
                "победитель"
            } else if score >= 70.0 {
                "призёр"
            } else {
                "участник"
            };
            rows.push(OlympiadRow {
                participant: participant.clone(),
                grade,
                subject,
                score,
                status,
            });
        }
    }
    rows
}

/// Social passport of a school for a year: total and counts per category.
pub fn passport(opts: &DemoOptions, s: &SchoolPlan, year: Year) -> (u32, Vec<(Category, u32)>) {
    let total: u32 = (1..=11).map(|g| plan::contingent(opts, s, year, g)).sum();
    let soc = (s.social + 0.005 * sample::jitter(opts.seed, &[40, plan::index(s), year as u64]))
        .clamp(0.0, 1.0);
    passport_at(total, soc)
}

/// Counts per category for `total` students at social profile `soc` (0 = most
/// disadvantaged … 1).
pub fn passport_at(total: u32, soc: f64) -> (u32, Vec<(Category, u32)>) {
    let d = 1.0 - soc;
    let share = |c: Category| -> f64 {
        match c {
            Category::LowIncome => 0.05 + 0.45 * d,
            Category::SingleParent => 0.10 + 0.30 * d,
            Category::LargeFamily => 0.08 + 0.20 * d,
            Category::Orphans => 0.002 + 0.01 * d,
            Category::Guardianship => 0.01 + 0.04 * d,
            Category::Disabled => 0.01 + 0.01 * d,
            Category::Ovz => 0.04 + 0.06 * d,
            Category::InSchoolRegister => 0.006 + 0.03 * d,
            Category::PdnKdn => 0.004 + 0.02 * d,
            Category::Sop => 0.002 + 0.02 * d,
            Category::Migrants => 0.01 + 0.06 * d,
            Category::ParentHigherEd => 0.20 + 0.60 * soc,
            Category::BothParentsHigherEd => 0.08 + 0.40 * soc,
            Category::UnemployedParents => 0.02 + 0.20 * d,
        }
    };
    let counts = Category::ALL
        .iter()
        .map(|&c| (c, ((share(c) * f64::from(total)).round() as u32).min(total)))
        .collect();
    (total, counts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::plan::schools;

    #[test]
    fn task_maxima_add_up_and_boundaries_fit() {
        for w in &WORKS {
            assert!(
                w.min[0] < w.min[1] && w.min[1] < w.min[2] && w.min[2] <= w.max(),
                "{w:?}"
            );
        }
        // ВПР Математика 4: 20 points in 12 tasks, as in the real 2021 specification.
        assert_eq!(WORKS[1].max(), 20);
        assert_eq!(WORKS[1].tasks.len(), 12);
    }

    #[test]
    fn task_scores_sum_to_the_total() {
        let mut rng = rng_for(3, &[]);
        for total in [0, 1, 7, 20] {
            let t = split_score(&mut rng, total, WORKS[1].tasks);
            assert_eq!(t.iter().map(|x| x.unwrap_or(0)).sum::<u32>(), total);
            for (got, max) in t.iter().zip(WORKS[1].tasks) {
                assert!(got.unwrap_or(0) <= *max);
            }
        }
    }

    /// The planted federal-rule procedures really have ≥ 30 % «2» among those present, and
    /// the jump procedure stays below 30 % with n ≥ 40.
    #[test]
    fn planted_fail_shares_hold_in_the_data() {
        let o = DemoOptions::default();
        let all = schools(&o);
        let share2 = |s: &SchoolPlan, w: &Work, y: Year| {
            let rows = vpr_rows(&o, s, w, y);
            let present: Vec<_> = rows.iter().filter_map(|r| r.total).collect();
            let twos = present.iter().filter(|&&t| t < w.min[0]).count();
            (twos as f64 / present.len() as f64, present.len())
        };
        let fed = all.iter().find(|s| s.role == Role::FederalShnor).unwrap();
        let m6 = &WORKS[5];
        let r7 = &WORKS[6];
        for (w, y) in [(m6, 2025), (m6, 2024), (r7, 2025)] {
            let (sh, n) = share2(fed, w, y);
            assert!(sh >= 0.30 && n >= 10, "{} {y}: {sh} of {n}", w.subject);
        }
        let jump = all.iter().find(|s| s.role == Role::RiskJump).unwrap();
        let (before, n1) = share2(jump, &WORKS[3], 2024);
        let (after, n2) = share2(jump, &WORKS[3], 2025);
        assert!(n1 >= 40 && n2 >= 40);
        assert!(after < 0.30 && after - before >= 0.15, "{before} → {after}");
    }

    #[test]
    fn passport_subsets_do_not_exceed_totals() {
        let o = DemoOptions::default();
        for s in schools(&o) {
            let (total, counts) = passport(&o, &s, 2025);
            let get = |c| counts.iter().find(|x| x.0 == c).unwrap().1;
            assert!(counts.iter().all(|x| x.1 <= total));
            assert!(get(Category::BothParentsHigherEd) <= get(Category::ParentHigherEd));
        }
    }
}
