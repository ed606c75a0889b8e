//! docs/method.md §6.5: signs of non-objective ВПР results. Per school, ВПР work and judged
//! year: the ВПР mark against the journal mark, peaks of the score histogram at the mark
//! boundaries, and ВПР grade 8 against the same cohort's ОГЭ a year later. A school with
//! signs in `min_signs` works (or of `min_signs` kinds) in a year is marked. No flag depends
//! on it; `exclude_from_cluster` only takes the marked works out of the cluster values.
//!
//! The rules are plain functions of counts; the input-wide totals they compare against are
//! summed in `objectivity_frame` (polars).

use super::objectivity_frame::{self, WorkCounts};
use super::stats::at_least;
use super::text::{num, pct};
use crate::config::{Config, IndicatorSource, Objectivity};
use crate::measure::{RawIndicator, same_subject};
use crate::model::{Dataset, Exam, ParticipantStats, ProcResult, Procedure, Year};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// Kinds of sign, in the order the report lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SignKind {
    #[serde(rename = "ВПР выше журнала")]
    Raised,
    #[serde(rename = "журнал выше ВПР")]
    Lowered,
    #[serde(rename = "пик на границе отметки")]
    Peak,
    #[serde(rename = "ВПР и ОГЭ расходятся")]
    VprOge,
}

impl SignKind {
    pub fn label(self) -> &'static str {
        match self {
            SignKind::Raised => "ВПР выше журнала",
            SignKind::Lowered => "журнал выше ВПР",
            SignKind::Peak => "пик на границе отметки",
            SignKind::VprOge => "ВПР и ОГЭ расходятся",
        }
    }
}

/// The numbers behind a sign.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Evidence {
    /// ВПР mark against the journal mark: `count` of `n` compared participants (повысили or
    /// понизили), and the same over all schools of the input for the work.
    Journal {
        count: u32,
        n: u32,
        input_count: u32,
        input_n: u32,
    },
    /// `at` participants with the lowest score of `mark`, `below` one point under it; the
    /// same over all schools of the input.
    Peak {
        mark: u8,
        score: u32,
        at: u32,
        below: u32,
        input_at: u32,
        input_below: u32,
    },
    /// Shares of «4» and «5»: ВПР grade 8 in `vpr_year` and ОГЭ of the sign's year.
    VprOge {
        vpr_year: Year,
        vpr_good: u32,
        vpr_n: u32,
        oge_good: u32,
        oge_n: u32,
    },
}

/// One sign of one work.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sign {
    pub kind: SignKind,
    /// The work: a ВПР work, or for ВПР–ОГЭ the ОГЭ subject (its ВПР 8 is in the evidence).
    pub procedure: Procedure,
    /// The year judged (for ВПР–ОГЭ the ОГЭ year).
    pub year: Year,
    pub evidence: Evidence,
    /// The numbers in plain Russian, without the work's name.
    pub text: String,
}

/// The signs of one school in one judged year, and whether they mark it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ObjectivityResult {
    pub school: String,
    pub year: Year,
    pub signs: Vec<Sign>,
    /// Distinct works with a sign, and distinct kinds of sign.
    pub works: usize,
    pub kinds: usize,
    /// «признаки необъективности»: works or kinds ≥ `min_signs`.
    pub marked: bool,
    /// The основание of a marked school, all its signs with their numbers.
    pub basis: Option<String>,
}

/// What was checked, for the report's line when nothing is found.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ObjectivityChecked {
    pub years: Vec<Year>,
    /// ВПР works (school × work × year) of participant files with n ≥ `min_n`: histograms.
    pub score_works: usize,
    /// … of which without configured mark boundaries: their peaks are not checked.
    pub no_boundaries: usize,
    /// Works with at least `min_n` participants compared with the journal mark.
    pub journal_works: usize,
    /// Pairs ВПР 8 (y−1) – ОГЭ (y) with both n ≥ `min_n`.
    pub vpr_oge_pairs: usize,
    /// Participant-level ВПР data of the judged years exist at all.
    pub participant_data: bool,
}

/// «ВПР выше журнала» (`count` = повысили) or «журнал выше ВПР» (`count` = понизили):
/// n ≥ min_n, share ≥ `share_pct` % and ≥ `ratio` × the share over all schools.
pub fn journal_rule(
    count: u32,
    n: u32,
    (input_count, input_n): (u32, u32),
    share_pct: f64,
    ratio: f64,
    min_n: u32,
) -> bool {
    if n < min_n || n == 0 || input_n == 0 {
        return false;
    }
    let share = 100.0 * f64::from(count) / f64::from(n);
    let input = 100.0 * f64::from(input_count) / f64::from(input_n);
    at_least(share, share_pct) && at_least(share, ratio * input)
}

/// Peak at a boundary: at ≥ `peak_min`, at ≥ `peak_ratio` × max(below, 1), and over all
/// schools Σat / max(Σbelow, 1) < `peak_input_ratio` (a peak the whole input has is the
/// scale's, not the school's).
pub fn peak_rule(
    at: u32,
    below: u32,
    (input_at, input_below): (u32, u32),
    o: &Objectivity,
) -> bool {
    let input_ratio = f64::from(input_at) / f64::from(input_below.max(1));
    at >= o.peak_min
        && at_least(f64::from(at), o.peak_ratio * f64::from(below.max(1)))
        && input_ratio < o.peak_input_ratio
}

/// ВПР grade 8 (y−1) against ОГЭ (y): both n ≥ min_n and the share of «4»+«5» on ВПР minus
/// that on ОГЭ ≥ `gap_pp` percentage points.
pub fn vpr_oge_rule(vpr: (u32, u32), oge: (u32, u32), gap_pp: f64, min_n: u32) -> bool {
    let ((vg, vn), (og, on)) = (vpr, oge);
    if vn < min_n || on < min_n || vn == 0 || on == 0 {
        return false;
    }
    let gap = 100.0 * (f64::from(vg) / f64::from(vn) - f64::from(og) / f64::from(on));
    at_least(gap, gap_pp)
}

/// Distinct works and kinds among the signs; marked when either reaches `min_signs`.
pub fn marking(signs: &[Sign], min_signs: u32) -> (usize, usize, bool) {
    let works: BTreeSet<(&Procedure, Year)> =
        signs.iter().map(|s| (&s.procedure, s.year)).collect();
    let kinds: BTreeSet<SignKind> = signs.iter().map(|s| s.kind).collect();
    let min = min_signs as usize;
    (
        works.len(),
        kinds.len(),
        works.len() >= min || kinds.len() >= min,
    )
}

/// «1 участник», «2 участника», «5 участников».
fn participants(n: u32) -> String {
    format!(
        "{n} {}",
        crate::read::plural(n as usize, "участник", "участника", "участников")
    )
}

/// «с 1 баллом», «с 15 баллами» (the instrumental case after «с»).
fn with_score(s: u32) -> String {
    let word = if s % 10 == 1 && s % 100 != 11 {
        "баллом"
    } else {
        "баллами"
    };
    format!("с {s} {word}")
}

fn share(count: u32, n: u32) -> f64 {
    if n == 0 {
        0.0
    } else {
        f64::from(count) / f64::from(n)
    }
}

/// The numbers of a sign in plain Russian.
pub fn sign_text(kind: SignKind, e: &Evidence) -> String {
    match e {
        Evidence::Journal {
            count,
            n,
            input_count,
            input_n,
        } => {
            let verb = if kind == SignKind::Raised {
                "повысили"
            } else {
                "понизили"
            };
            format!(
                "{verb} {} ({count} из {n}; по всем школам {})",
                pct(share(*count, *n)),
                pct(share(*input_count, *input_n))
            )
        }
        Evidence::Peak {
            mark,
            score,
            at,
            below,
            input_at,
            input_below,
        } => format!(
            "пик на границе «{mark}»: {} {} при {below} {} (по всем школам {input_at} при \
             {input_below})",
            participants(*at),
            with_score(*score),
            with_score(score.saturating_sub(1)),
        ),
        Evidence::VprOge {
            vpr_year,
            vpr_good,
            vpr_n,
            oge_good,
            oge_n,
        } => {
            let gap = 100.0 * (share(*vpr_good, *vpr_n) - share(*oge_good, *oge_n));
            format!(
                "«4» и «5» на ВПР 8 кл. {vpr_year} г. у {} ({vpr_good} из {vpr_n}), на ОГЭ у {} \
                 ({oge_good} из {oge_n}): разрыв {} п. п.",
                pct(share(*vpr_good, *vpr_n)),
                pct(share(*oge_good, *oge_n)),
                num((gap * 10.0).round() / 10.0)
            )
        }
    }
}

/// «ВПР Математика 5 кл. 2025: повысили …; пик на границе «4»: …. ОГЭ Математика 2025: …».
pub fn basis(signs: &[Sign]) -> String {
    let mut by_work: BTreeMap<(Year, &Procedure), Vec<&str>> = BTreeMap::new();
    for s in signs {
        by_work
            .entry((s.year, &s.procedure))
            .or_default()
            .push(&s.text);
    }
    by_work
        .iter()
        .map(|((y, p), texts)| format!("{p} {y}: {}", texts.join("; ")))
        .collect::<Vec<_>>()
        .join(". ")
}

/// Whole mark boundaries (scores of «3», «4», «5») of a work, when configured.
fn whole_boundaries(cfg: &Config, p: &Procedure, year: Year) -> Option<[u32; 3]> {
    let b = cfg.boundaries(p.exam, &p.subject, p.grade, year)?;
    let ok = b.min_score.iter().all(|m| m.fract() == 0.0 && *m >= 1.0);
    ok.then(|| b.min_score.map(|m| m as u32))
}

/// Counts of «4» and «5», and n, when the marks are known.
fn good(r: &ProcResult) -> Option<(u32, u32)> {
    let m = r.marks?;
    let n: u32 = m.iter().sum();
    Some((m[2] + m[3], n))
}

/// All signs of §6.5 in the judged `years`, per school and year (schools with no sign are
/// left out), and what was checked.
///
/// # Errors
/// Only if polars fails on a well-formed frame (a bug).
pub fn judge(
    ds: &Dataset,
    cfg: &Config,
    years: &[Year],
) -> anyhow::Result<(Vec<ObjectivityResult>, ObjectivityChecked)> {
    let o = &cfg.objectivity;
    let stats: Vec<&ParticipantStats> = ds
        .participant_stats
        .iter()
        .filter(|s| s.procedure.exam == Exam::Vpr && years.contains(&s.year))
        .collect();
    let mut checked = ObjectivityChecked {
        years: years.to_vec(),
        participant_data: !stats.is_empty(),
        ..ObjectivityChecked::default()
    };

    // Each work (procedure × year) once; every school's counts of it, for the input totals.
    let mut works: Vec<(&Procedure, Year)> = Vec::new();
    let mut work_of: BTreeMap<(&Procedure, Year), usize> = BTreeMap::new();
    // A work's boundaries, looked up once (a country has ~10⁶ school-works).
    let mut bounds_of: Vec<Option<[u32; 3]>> = Vec::new();
    let mut counts = Vec::with_capacity(stats.len());
    for s in &stats {
        let w = *work_of.entry((&s.procedure, s.year)).or_insert_with(|| {
            works.push((&s.procedure, s.year));
            bounds_of.push(whole_boundaries(cfg, &s.procedure, s.year));
            works.len() - 1
        });
        let (at, below) = match bounds_of[w] {
            Some(b) => (b.map(|x| s.at(x as usize)), b.map(|x| s.at(x as usize - 1))),
            None => ([0; 3], [0; 3]),
        };
        counts.push(WorkCounts {
            work: w,
            journal: s.journal,
            at,
            below,
        });
    }
    let totals = objectivity_frame::input_totals(&counts, works.len())?;

    let mut signs: BTreeMap<(&str, Year), Vec<Sign>> = BTreeMap::new();
    for (s, c) in stats.iter().zip(&counts) {
        let t = &totals[c.work];
        let mut add = |kind: SignKind, evidence: Evidence| {
            signs
                .entry((s.school.as_str(), s.year))
                .or_default()
                .push(Sign {
                    kind,
                    procedure: s.procedure.clone(),
                    year: s.year,
                    text: sign_text(kind, &evidence),
                    evidence,
                });
        };
        let compared: u32 = s.journal.iter().sum();
        let input_compared: u32 = t.journal.iter().sum();
        if compared >= o.min_n {
            checked.journal_works += 1;
            for (kind, i, share_pct, ratio) in [
                (SignKind::Raised, 2, o.raised_share, o.raised_ratio),
                (SignKind::Lowered, 0, o.lowered_share, o.lowered_ratio),
            ] {
                let input = (t.journal[i], input_compared);
                if journal_rule(s.journal[i], compared, input, share_pct, ratio, o.min_n) {
                    add(
                        kind,
                        Evidence::Journal {
                            count: s.journal[i],
                            n: compared,
                            input_count: input.0,
                            input_n: input.1,
                        },
                    );
                }
            }
        }
        let n: u32 = s.scores.iter().sum();
        if n >= o.min_n {
            checked.score_works += 1;
            match bounds_of[c.work] {
                None => checked.no_boundaries += 1,
                Some(b) => {
                    for (k, &score) in b.iter().enumerate() {
                        let input = (t.at[k], t.below[k]);
                        if peak_rule(c.at[k], c.below[k], input, o) {
                            add(
                                SignKind::Peak,
                                Evidence::Peak {
                                    mark: 3 + k as u8,
                                    score,
                                    at: c.at[k],
                                    below: c.below[k],
                                    input_at: input.0,
                                    input_below: input.1,
                                },
                            );
                        }
                    }
                }
            }
        }
    }

    // ВПР 8 (y−1) against ОГЭ (y), the same cohort, from the schools' mark counts.
    let vpr8: BTreeMap<(&str, Year), Vec<&ProcResult>> = ds
        .results
        .iter()
        .filter(|r| r.procedure.exam == Exam::Vpr && r.procedure.grade == Some(8))
        .fold(BTreeMap::new(), |mut m, r| {
            m.entry((r.school.as_str(), r.year)).or_default().push(r);
            m
        });
    for oge in ds
        .results
        .iter()
        .filter(|r| r.procedure.exam == Exam::Oge && years.contains(&r.year))
    {
        let Some(og) = good(oge) else { continue };
        let Some(v) = vpr8
            .get(&(oge.school.as_str(), oge.year - 1))
            .and_then(|rs| {
                rs.iter()
                    .find(|r| same_subject(&r.procedure.subject, &oge.procedure.subject))
            })
        else {
            continue;
        };
        let Some(vg) = good(v) else { continue };
        if vg.1 < o.min_n || og.1 < o.min_n {
            continue;
        }
        checked.vpr_oge_pairs += 1;
        if vpr_oge_rule(vg, og, o.vpr_oge_gap, o.min_n) {
            let evidence = Evidence::VprOge {
                vpr_year: v.year,
                vpr_good: vg.0,
                vpr_n: vg.1,
                oge_good: og.0,
                oge_n: og.1,
            };
            signs
                .entry((oge.school.as_str(), oge.year))
                .or_default()
                .push(Sign {
                    kind: SignKind::VprOge,
                    procedure: oge.procedure.clone(),
                    year: oge.year,
                    text: sign_text(SignKind::VprOge, &evidence),
                    evidence,
                });
        }
    }

    let results = signs
        .into_iter()
        .map(|((school, year), mut signs)| {
            signs.sort_by(|a, b| {
                (a.year, &a.procedure, a.kind).cmp(&(b.year, &b.procedure, b.kind))
            });
            let (works, kinds, marked) = marking(&signs, o.min_signs);
            ObjectivityResult {
                school: school.to_string(),
                year,
                basis: marked.then(|| basis(&signs)),
                signs,
                works,
                kinds,
                marked,
            }
        })
        .collect();
    Ok((results, checked))
}

/// The ВПР works a marked school's cluster value leaves out: (school, ВПР work, year). For
/// ВПР–ОГЭ it is the ВПР grade 8 work of the year before.
pub fn excluded_works(results: &[ObjectivityResult]) -> BTreeSet<(String, Procedure, Year)> {
    let mut out = BTreeSet::new();
    for r in results.iter().filter(|r| r.marked) {
        for s in &r.signs {
            match &s.evidence {
                Evidence::VprOge { vpr_year, .. } => {
                    out.insert((
                        r.school.clone(),
                        Procedure {
                            exam: Exam::Vpr,
                            subject: s.procedure.subject.clone(),
                            grade: Some(8),
                        },
                        *vpr_year,
                    ));
                }
                _ => {
                    out.insert((r.school.clone(), s.procedure.clone(), s.year));
                }
            }
        }
    }
    out
}

/// The raw indicators the cluster values are computed from: as they are, or with
/// `exclude_from_cluster` the ВПР indicator of a marked school recomputed without its marked
/// works (the school's own value stays as it is). The ВПР indicator is Σ mark / Σ works over
/// the works of the year, so taking a work out subtracts its mark sum and its works.
pub fn cluster_input<'a>(
    raw: &'a [RawIndicator],
    ds: &Dataset,
    cfg: &Config,
    results: &[ObjectivityResult],
) -> Cow<'a, [RawIndicator]> {
    if !cfg.objectivity.exclude_from_cluster || !results.iter().any(|r| r.marked) {
        return Cow::Borrowed(raw);
    }
    let excluded = excluded_works(results);
    // (school, year) → (mark sum, works) of the excluded works.
    let mut minus: BTreeMap<(&str, Year), (f64, u32)> = BTreeMap::new();
    for r in &ds.results {
        if !excluded.contains(&(r.school.clone(), r.procedure.clone(), r.year)) {
            continue;
        }
        let Some(mean) = r.mark_mean() else { continue };
        let works = match r.marks {
            Some(m) if m.iter().sum::<u32>() > 0 => m.iter().sum(),
            _ => r.n,
        };
        let e = minus.entry((r.school.as_str(), r.year)).or_default();
        e.0 += mean * f64::from(works);
        e.1 += works;
    }
    let vpr_ids: BTreeSet<&str> = cfg
        .indicators
        .iter()
        .filter(|s| s.source == IndicatorSource::VprMark)
        .map(|s| s.id.as_str())
        .collect();
    let out = raw
        .iter()
        .filter_map(|r| {
            let m = vpr_ids
                .contains(r.indicator.as_str())
                .then(|| minus.get(&(r.school.as_str(), r.year)))
                .flatten();
            match m {
                None => Some(r.clone()),
                Some(&(_, works)) if works >= r.n => None,
                Some(&(sum, works)) => {
                    let n = r.n - works;
                    Some(RawIndicator {
                        value: (r.value * f64::from(r.n) - sum) / f64::from(n),
                        n,
                        ..r.clone()
                    })
                }
            }
        })
        .collect();
    Cow::Owned(out)
}

#[cfg(test)]
#[path = "objectivity_tests.rs"]
mod tests;
