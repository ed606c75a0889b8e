//! Program targets of `progress` (docs/method.md §5): every row of the analyst's targets table gets
//! its actual value (computed when the tool can, as typed in otherwise), the plan for the
//! year, % of the plan and a status. Each target is measured over its population — the
//! program's schools or all schools — with the thresholds frozen in the baseline: a
//! cluster-relative share over all schools cannot move, over the program's schools it can.

use crate::measure::{OlympiadSummary, ProcStat};
use crate::model::{Exam, Population, Target, Year};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

use crate::judge::stats::EPS;

/// Indicators the tool computes itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Known {
    /// Share of schools with ОИП ≥ the program threshold.
    OipProgramShare,
    /// Share of schools with ИСБ ≥ the frozen threshold.
    IsbShare,
    /// Share of students of grades 7–11 at the municipal stage of ВсОШ.
    OlympShare,
    /// Share of winners and prize-winners among the municipal-stage participants.
    OlympWinnersShare,
    /// Справляемость of ВПР and ГИА together.
    PassRate,
    VprPass,
    GiaPass,
    /// Качество of ВПР and ГИА together.
    Quality,
    VprQuality,
    GiaQuality,
    ShnorCount,
    ShnorShare,
}

impl Known {
    pub const ALL: [Known; 12] = [
        Known::OipProgramShare,
        Known::IsbShare,
        Known::OlympShare,
        Known::OlympWinnersShare,
        Known::PassRate,
        Known::VprPass,
        Known::GiaPass,
        Known::Quality,
        Known::VprQuality,
        Known::GiaQuality,
        Known::ShnorCount,
        Known::ShnorShare,
    ];

    /// The key written in the targets table's «Ключ показателя» column.
    pub fn key(self) -> &'static str {
        match self {
            Known::OipProgramShare => "oip_program_share",
            Known::IsbShare => "isb_share",
            Known::OlympShare => "olymp_share",
            Known::OlympWinnersShare => "olymp_winners_share",
            Known::PassRate => "pass_rate",
            Known::VprPass => "vpr_pass",
            Known::GiaPass => "gia_pass",
            Known::Quality => "quality",
            Known::VprQuality => "vpr_quality",
            Known::GiaQuality => "gia_quality",
            Known::ShnorCount => "shnor_count",
            Known::ShnorShare => "shnor_share",
        }
    }

    /// Whether the program wants the value to grow.
    pub fn higher_better(self) -> bool {
        !matches!(self, Known::ShnorCount | Known::ShnorShare)
    }

    fn from_key(k: &str) -> Option<Known> {
        let k = k.trim().to_lowercase();
        if k == "oip_share" {
            return Some(Known::OipProgramShare);
        }
        Known::ALL.into_iter().find(|x| x.key() == k)
    }

    /// Recognizes a program's wording, e.g. «Доля школ, преодолевших порог ОИП не менее 21».
    fn from_name(name: &str) -> Option<Known> {
        let n = name.to_lowercase().replace('ё', "е");
        let has = |w: &str| n.contains(w);
        let vpr = has("впр");
        let gia = has("гиа") || has("огэ") || has("егэ");
        let pick = |both, v, g| match (vpr, gia) {
            (true, false) => Some(v),
            (false, true) => Some(g),
            (true, true) => Some(both),
            (false, false) => None,
        };
        if has("оип") {
            Some(Known::OipProgramShare)
        } else if has("исб") {
            Some(Known::IsbShare)
        } else if has("шнор") && (has("количеств") || has("число")) {
            Some(Known::ShnorCount)
        } else if has("шнор") && (has("доля") || has("процент")) {
            Some(Known::ShnorShare)
        } else if (has("всош") || has("олимпиад")) && (has("победител") || has("призер"))
        {
            Some(Known::OlympWinnersShare)
        } else if (has("всош") || has("олимпиад")) && has("участ") {
            Some(Known::OlympShare)
        } else if has("справляемост") || has("успеваемост") {
            pick(Known::PassRate, Known::VprPass, Known::GiaPass)
        } else if has("качеств") && (has("знани") || has("обученност") || vpr || gia)
        {
            pick(Known::Quality, Known::VprQuality, Known::GiaQuality)
        } else {
            None
        }
    }
}

/// A target's status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TargetStatus {
    #[serde(rename = "достигнуто")]
    Achieved,
    #[serde(rename = "в пределах допуска")]
    Within,
    #[serde(rename = "не достигнуто")]
    NotAchieved,
    #[serde(rename = "нет плана на год")]
    NoPlan,
    #[serde(rename = "нет факта")]
    NoActual,
}

impl TargetStatus {
    /// The label, with the configured tolerance: «в пределах 10 %».
    pub fn label(self, tolerance: f64) -> String {
        match self {
            TargetStatus::Achieved => "достигнуто".into(),
            TargetStatus::Within => format!(
                "в пределах {} %",
                crate::judge::text::num(tolerance * 100.0)
            ),
            TargetStatus::NotAchieved => "не достигнуто".into(),
            TargetStatus::NoPlan => "нет плана на год".into(),
            TargetStatus::NoActual => "нет факта".into(),
        }
    }
}

/// Where the actual value came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActualSource {
    #[serde(rename = "вычислено")]
    Computed,
    #[serde(rename = "не вычисляется, взято как введено")]
    Typed,
    #[serde(rename = "не вычисляется, нет факта")]
    Missing,
}

impl ActualSource {
    /// The wording in reports.
    pub fn label(self) -> &'static str {
        match self {
            ActualSource::Computed => "вычислено",
            ActualSource::Typed => "не вычисляется, взято как введено",
            ActualSource::Missing => "не вычисляется, нет факта",
        }
    }
}

/// One target as reported.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TargetResult {
    pub name: String,
    pub key: Option<String>,
    /// The indicator the tool matched, if any.
    pub known: Option<Known>,
    pub unit: Option<String>,
    pub population: Population,
    /// Schools in the population.
    pub schools: usize,
    pub base: Option<f64>,
    pub year: Year,
    pub plan: Option<f64>,
    pub actual: Option<f64>,
    pub source: ActualSource,
    /// The year of the data a computed actual comes from: earlier than `year` when the
    /// interim data have none, and then the status is «нет факта».
    #[serde(default)]
    pub data_year: Option<Year>,
    pub percent_of_plan: Option<f64>,
    pub status: TargetStatus,
    pub higher_better: bool,
    /// How the actual was obtained, or why it is missing.
    pub note: String,
}

/// % of the plan and the status. Higher-better: actual/plan; lower-better (the number of
/// ШНОР): plan/actual. «В пределах допуска» is a shortfall of at most `tolerance` of the plan.
pub fn status(
    actual: f64,
    plan: f64,
    higher_better: bool,
    tolerance: f64,
) -> (Option<f64>, TargetStatus) {
    if higher_better {
        let pct = (plan.abs() > EPS).then(|| actual / plan * 100.0);
        let st = if actual >= plan - EPS {
            TargetStatus::Achieved
        } else if actual >= plan * (1.0 - tolerance) - EPS {
            TargetStatus::Within
        } else {
            TargetStatus::NotAchieved
        };
        (pct, st)
    } else {
        let pct = if actual.abs() > EPS {
            Some(plan / actual * 100.0)
        } else {
            Some(100.0)
        };
        let st = if actual <= plan + EPS {
            TargetStatus::Achieved
        } else if actual <= plan * (1.0 + tolerance) + EPS {
            TargetStatus::Within
        } else {
            TargetStatus::NotAchieved
        };
        (pct, st)
    }
}

/// One school as it stands at the interim date.
#[derive(Clone, Debug, PartialEq)]
pub struct SchoolNow {
    pub id: String,
    pub oip: Option<f64>,
    pub isb: Option<f64>,
    pub shnor: bool,
}

/// Everything a computable target needs.
#[derive(Clone, Debug)]
pub struct TargetInputs<'a> {
    /// The year of the plan (the interim year).
    pub year: Year,
    pub base_year: Year,
    pub schools: Vec<SchoolNow>,
    /// The program's schools by default (flagged in the baseline).
    pub program: Vec<String>,
    /// ОИП program threshold and ИСБ threshold, frozen in the baseline.
    pub oip_threshold: f64,
    pub isb_threshold: Option<f64>,
    pub olympiad_now: &'a [OlympiadSummary],
    pub olympiad_base: &'a [OlympiadSummary],
    pub stats_now: &'a [ProcStat],
    pub stats_base: &'a [ProcStat],
    pub tolerance: f64,
}

/// A share over the population: (numerator, denominator) summed over schools.
fn ratio(num: f64, den: f64) -> Option<f64> {
    (den > 0.0).then(|| num / den)
}

/// Computes a known indicator (a fraction for shares, a count for `ShnorCount`), a note and
/// the year of the data it comes from (the baseline's year when the interim data have none).
fn compute(k: Known, pop: &BTreeSet<&str>, inp: &TargetInputs) -> (Option<f64>, String, Year) {
    let schools: Vec<&SchoolNow> = inp
        .schools
        .iter()
        .filter(|s| pop.contains(s.id.as_str()))
        .collect();
    match k {
        Known::OipProgramShare | Known::IsbShare => {
            let (vals, thr, what): (Vec<f64>, Option<f64>, &str) = if k == Known::OipProgramShare {
                (
                    schools.iter().filter_map(|s| s.oip).collect(),
                    Some(inp.oip_threshold),
                    "ОИП",
                )
            } else {
                (
                    schools.iter().filter_map(|s| s.isb).collect(),
                    inp.isb_threshold,
                    "ИСБ",
                )
            };
            let Some(thr) = thr else {
                return (None, "в базовом снимке нет порога ИСБ".into(), inp.year);
            };
            let above = vals.iter().filter(|v| **v >= thr - EPS).count();
            let missing = schools.len() - vals.len();
            let mut note = format!(
                "{above} из {} {} с {what} не ниже {}",
                vals.len(),
                crate::read::plural(vals.len(), "школы", "школ", "школ"),
                crate::judge::text::num(thr)
            );
            if missing > 0 {
                note.push_str(&format!("; без {what}: {missing}"));
            }
            (ratio(above as f64, vals.len() as f64), note, inp.year)
        }
        Known::OlympShare | Known::OlympWinnersShare => {
            let (data, year) = if inp.olympiad_now.is_empty() {
                (inp.olympiad_base, inp.base_year)
            } else {
                (inp.olympiad_now, inp.year)
            };
            let rows: Vec<&OlympiadSummary> = data
                .iter()
                .filter(|o| o.year == year && pop.contains(o.school.as_str()))
                .collect();
            let part: u32 = rows.iter().map(|o| o.participants).sum();
            let (num, den, what) = if k == Known::OlympShare {
                let with_students: Vec<_> = rows.iter().filter(|o| o.students.is_some()).collect();
                (
                    with_students.iter().map(|o| o.participants).sum::<u32>(),
                    with_students.iter().filter_map(|o| o.students).sum::<u32>(),
                    "участников МЭ ВсОШ из обучающихся 7–11 кл.",
                )
            } else {
                (
                    rows.iter().map(|o| o.winners + o.prizewinners).sum(),
                    part,
                    "победителей и призёров из участников МЭ ВсОШ",
                )
            };
            (
                ratio(f64::from(num), f64::from(den)),
                format!("{num} {what} {den} ({year} г.)"),
                year,
            )
        }
        Known::PassRate
        | Known::VprPass
        | Known::GiaPass
        | Known::Quality
        | Known::VprQuality
        | Known::GiaQuality => {
            let exams: &[Exam] = match k {
                Known::VprPass | Known::VprQuality => &[Exam::Vpr],
                Known::GiaPass | Known::GiaQuality => &[Exam::Oge, Exam::Ege],
                _ => &[Exam::Vpr, Exam::Oge, Exam::Ege],
            };
            let pass = matches!(k, Known::PassRate | Known::VprPass | Known::GiaPass);
            let pick = |stats: &[ProcStat], year: Year| -> (f64, f64) {
                stats
                    .iter()
                    .filter(|p| {
                        p.year == year
                            && exams.contains(&p.procedure.exam)
                            && p.school.as_deref().is_some_and(|s| pop.contains(s))
                    })
                    .filter_map(|p| {
                        let v = if pass { p.pass_rate } else { p.quality }?;
                        Some((v * f64::from(p.n), f64::from(p.n)))
                    })
                    .fold((0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1))
            };
            let (mut acc, mut year) = (pick(inp.stats_now, inp.year), inp.year);
            if acc.1 <= 0.0 {
                acc = pick(inp.stats_base, inp.base_year);
                year = inp.base_year;
            }
            let what = if pass {
                "справляемость"
            } else {
                "качество"
            };
            let note = if year == inp.year {
                format!("{what} по {} работам {year} г.", acc.1)
            } else {
                format!(
                    "{what} по {} работам {year} г. (новых результатов нет)",
                    acc.1
                )
            };
            (ratio(acc.0, acc.1), note, year)
        }
        Known::ShnorCount | Known::ShnorShare => {
            let n = schools.iter().filter(|s| s.shnor).count();
            let note = format!(
                "ШНОР {n} из {} {} (с учётом промежуточных данных)",
                schools.len(),
                crate::read::plural(schools.len(), "школы", "школ", "школ")
            );
            if k == Known::ShnorCount {
                (Some(n as f64), note, inp.year)
            } else {
                (ratio(n as f64, schools.len() as f64), note, inp.year)
            }
        }
    }
}

/// Whether a target's values are written as fractions 0–1 («доля» without %) rather than %.
fn written_as_fraction(t: &Target) -> bool {
    let unit = t.unit.as_deref().unwrap_or("").to_lowercase();
    !unit.contains('%')
        && !unit.contains("процент")
        && unit.contains("дол")
        && t.base.iter().chain(t.plan.values()).all(|v| *v <= 1.0)
}

/// Evaluates every target of the table.
pub fn evaluate(targets: &[Target], inp: &TargetInputs) -> Vec<TargetResult> {
    let all: BTreeSet<&str> = inp.schools.iter().map(|s| s.id.as_str()).collect();
    targets
        .iter()
        .map(|t| {
            let mut notes = Vec::new();
            let known = match &t.key {
                Some(k) if !k.trim().is_empty() => {
                    let kn = Known::from_key(k);
                    if kn.is_none() {
                        notes.push(format!("ключ «{k}» shnor не знает"));
                    }
                    kn
                }
                _ => Known::from_name(&t.name),
            };
            let pop: BTreeSet<&str> = match t.population {
                Population::All => all.clone(),
                Population::Program if !t.schools.is_empty() => {
                    let unknown: Vec<&str> = t
                        .schools
                        .iter()
                        .map(String::as_str)
                        .filter(|s| !all.contains(s))
                        .collect();
                    if !unknown.is_empty() {
                        notes.push(format!(
                            "школ нет в базовом снимке: {} — не учтены",
                            unknown.join(", ")
                        ));
                    }
                    t.schools
                        .iter()
                        .map(String::as_str)
                        .filter(|s| all.contains(s))
                        .collect()
                }
                Population::Program => inp.program.iter().map(String::as_str).collect(),
            };
            let higher_better = match known {
                Some(k) => k.higher_better(),
                None => match (t.base, t.plan.get(&inp.year)) {
                    (Some(b), Some(p)) => *p >= b,
                    _ => true,
                },
            };
            let mut data_year = None;
            let (actual, source) = match known {
                Some(k) => {
                    let (v, note, year) = compute(k, &pop, inp);
                    notes.push(note);
                    data_year = v.is_some().then_some(year);
                    let scale = if k == Known::ShnorCount || written_as_fraction(t) {
                        1.0
                    } else {
                        100.0
                    };
                    match v {
                        Some(v) => (Some(v * scale), ActualSource::Computed),
                        None => {
                            notes.push("нет данных для расчёта".into());
                            (
                                t.actual,
                                if t.actual.is_some() {
                                    ActualSource::Typed
                                } else {
                                    ActualSource::Missing
                                },
                            )
                        }
                    }
                }
                None => match t.actual {
                    Some(a) => (Some(a), ActualSource::Typed),
                    None => (None, ActualSource::Missing),
                },
            };
            let plan = t.plan.get(&inp.year).copied();
            // A figure of an earlier year is not this year's fact: it is shown with its year,
            // and the target is not judged on it.
            let stale = data_year.filter(|y| *y != inp.year);
            let (percent_of_plan, status) = match (actual, plan) {
                (None, _) => (None, TargetStatus::NoActual),
                (Some(_), _) if stale.is_some() => (None, TargetStatus::NoActual),
                (Some(_), None) => (None, TargetStatus::NoPlan),
                (Some(a), Some(p)) => status(a, p, higher_better, inp.tolerance),
            };
            TargetResult {
                name: t.name.clone(),
                key: t.key.clone(),
                known,
                unit: t.unit.clone(),
                population: t.population.clone(),
                schools: pop.len(),
                base: t.base,
                year: inp.year,
                plan,
                actual,
                source,
                data_year,
                percent_of_plan,
                status,
                higher_better,
                note: notes.join("; "),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Origin;
    use std::collections::BTreeMap;

    #[test]
    fn eighty_percent_of_plan_is_not_achieved() {
        // Plan 75, actual 60: 60/75 = 80 % of plan; 60 < 75·0.9 = 67.5 → не достигнуто.
        let (pct, st) = status(60.0, 75.0, true, 0.10);
        assert!((pct.unwrap() - 80.0).abs() < 1e-9);
        assert_eq!(st, TargetStatus::NotAchieved);
        // Actual 70: 93.3 % ≥ 90 % → в пределах 10 %.
        assert_eq!(status(70.0, 75.0, true, 0.10).1, TargetStatus::Within);
        // Exactly 90 % is within (67.5 = 75·0.9).
        assert_eq!(status(67.5, 75.0, true, 0.10).1, TargetStatus::Within);
        assert_eq!(status(75.0, 75.0, true, 0.10).1, TargetStatus::Achieved);
        // Lower is better: plan 2 ШНОР, actual 4 → 2/4 = 50 % of plan, не достигнуто.
        let (pct, st) = status(4.0, 2.0, false, 0.10);
        assert!((pct.unwrap() - 50.0).abs() < 1e-9);
        assert_eq!(st, TargetStatus::NotAchieved);
        assert_eq!(status(1.0, 2.0, false, 0.10).1, TargetStatus::Achieved);
        assert_eq!(TargetStatus::Within.label(0.10), "в пределах 10 %");
    }

    #[test]
    fn names_are_recognized() {
        let n = Known::from_name;
        assert_eq!(
            n("Доля школ, преодолевших порог ОИП не менее 21"),
            Some(Known::OipProgramShare)
        );
        assert_eq!(
            n("Доля школ, преодолевших порог ИСБ не менее 42,7"),
            Some(Known::IsbShare)
        );
        assert_eq!(
            n("Доля обучающихся — участников МЭ ВсОШ"),
            Some(Known::OlympShare)
        );
        assert_eq!(
            n("Доля победителей и призёров ВсОШ"),
            Some(Known::OlympWinnersShare)
        );
        assert_eq!(n("Процент справляемости ГИА и ВПР"), Some(Known::PassRate));
        assert_eq!(n("Справляемость ВПР"), Some(Known::VprPass));
        assert_eq!(n("Количество ШНОР"), Some(Known::ShnorCount));
        assert_eq!(n("Доля педагогов, прошедших повышение квалификации"), None);
        assert_eq!(
            Known::from_key(" OIP_PROGRAM_SHARE "),
            Some(Known::OipProgramShare)
        );
    }

    fn target(key: Option<&str>, name: &str, pop: Population, plan: f64) -> Target {
        Target {
            key: key.map(String::from),
            name: name.into(),
            unit: Some("%".into()),
            base: Some(50.0),
            plan: BTreeMap::from([(2026, plan)]),
            actual: None,
            population: pop,
            schools: Vec::new(),
            origin: Origin::default(),
        }
    }

    fn school(id: &str, oip: f64, shnor: bool) -> SchoolNow {
        SchoolNow {
            id: id.into(),
            oip: Some(oip),
            isb: None,
            shnor,
        }
    }

    fn inputs(schools: Vec<SchoolNow>) -> TargetInputs<'static> {
        TargetInputs {
            year: 2026,
            base_year: 2025,
            schools,
            program: vec!["A".into(), "B".into(), "C".into(), "D".into()],
            oip_threshold: 21.0,
            isb_threshold: None,
            olympiad_now: &[],
            olympiad_base: &[],
            stats_now: &[],
            stats_base: &[],
            tolerance: 0.10,
        }
    }

    #[test]
    fn population_decides_the_share() {
        // Program A–D: ОИП 22, 21, 15, 12 → 2 of 4 ≥ 21 = 50 %; with E, F (25, 30) over all
        // schools: 4 of 6 = 66.7 %.
        let inp = inputs(vec![
            school("A", 22.0, false),
            school("B", 21.0, false),
            school("C", 15.0, true),
            school("D", 12.0, true),
            school("E", 25.0, false),
            school("F", 30.0, false),
        ]);
        let ts = [
            target(Some("oip_program_share"), "x", Population::Program, 62.5),
            target(None, "Доля школ с ОИП не ниже 21", Population::All, 75.0),
            target(Some("shnor_count"), "x", Population::Program, 1.0),
        ];
        let r = evaluate(&ts, &inp);
        assert_eq!(r[0].actual, Some(50.0));
        // 50 / 62.5 = 80 % of plan → не достигнуто.
        assert!((r[0].percent_of_plan.unwrap() - 80.0).abs() < 1e-9);
        assert_eq!(r[0].status, TargetStatus::NotAchieved);
        assert!((r[1].actual.unwrap() - 400.0 / 6.0).abs() < 1e-9);
        assert_eq!(r[1].schools, 6);
        // ШНОР among the program: C, D = 2 against a plan of 1 → 50 %, не достигнуто.
        assert_eq!(r[2].actual, Some(2.0));
        assert_eq!(r[2].status, TargetStatus::NotAchieved);
    }

    #[test]
    fn unknown_indicators_are_taken_as_typed() {
        let inp = inputs(vec![school("A", 22.0, false)]);
        let mut typed = target(None, "Доля педагогов, прошедших КПК", Population::All, 80.0);
        typed.actual = Some(76.0);
        let missing = target(
            Some("teachers_network"),
            "Сетевое взаимодействие",
            Population::All,
            3.0,
        );
        let r = evaluate(&[typed, missing], &inp);
        assert_eq!(r[0].source, ActualSource::Typed);
        // 76 ≥ 80·0.9 = 72 → в пределах 10 %.
        assert_eq!(r[0].status, TargetStatus::Within);
        assert_eq!(r[1].source, ActualSource::Missing);
        assert_eq!(r[1].status, TargetStatus::NoActual);
        assert!(
            r[1].note.contains("ключ «teachers_network» shnor не знает"),
            "{}",
            r[1].note
        );
    }

    #[test]
    fn fraction_units_stay_fractions() {
        let inp = inputs(vec![school("A", 22.0, false), school("B", 10.0, false)]);
        let mut t = target(Some("oip_program_share"), "x", Population::All, 0.5);
        t.unit = Some("доля".into());
        t.base = Some(0.25);
        let r = evaluate(&[t], &inp);
        assert_eq!(r[0].actual, Some(0.5));
        assert_eq!(r[0].status, TargetStatus::Achieved);
    }

    #[test]
    fn a_figure_of_the_baseline_year_is_no_fact() {
        // No olympiad in the interim data: the 2025 figure, 30 participants of 120 students
        // = 25 %, is shown with its year and the 2026 target is not judged on it.
        let base = [crate::measure::OlympiadSummary {
            school: "A".into(),
            year: 2025,
            participants: 30,
            winners: 2,
            prizewinners: 4,
            students: Some(120),
        }];
        let mut inp = inputs(vec![school("A", 22.0, false)]);
        inp.olympiad_base = &base;
        let r = evaluate(
            &[target(Some("olymp_share"), "x", Population::All, 20.0)],
            &inp,
        );
        assert_eq!(r[0].actual, Some(25.0));
        assert_eq!(r[0].data_year, Some(2025));
        assert_eq!(r[0].status, TargetStatus::NoActual);
        assert_eq!(r[0].percent_of_plan, None);
        // The same figure in the interim data is this year's fact: 25 ≥ 20 → достигнуто.
        let now = [crate::measure::OlympiadSummary {
            year: 2026,
            ..base[0].clone()
        }];
        inp.olympiad_now = &now;
        let r = evaluate(
            &[target(Some("olymp_share"), "x", Population::All, 20.0)],
            &inp,
        );
        assert_eq!(r[0].data_year, Some(2026));
        assert_eq!(r[0].status, TargetStatus::Achieved);
    }
}
