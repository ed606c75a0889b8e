//! Addressed recommendations of `progress` (docs/method.md §5): for each school under a flag, its
//! weakest indicators mapped to the deficits of the federal risk profile, so that the
//! analyst starts the school's plan from its numbers rather than from a blank sheet.
//!
//! The mapping is a plausible first guess, documented here and on the Методика sheet, and
//! the sheet is meant to be edited:
//! - mean ВПР mark, ОГЭ/ЕГЭ scores at 1–2 points, a growing share of «2» → высокая доля
//!   обучающихся с рисками учебной неуспешности; недостаточная предметная и методическая
//!   компетентность педагогов (Russian with migrant pupils → языковые и культурные барьеры);
//! - olympiad participation → низкая учебная мотивация;
//! - retention of grade 10 → низкая учебная мотивация; качество образовательной среды;
//! - passport: migrants → языковые барьеры; few parents with higher education, single-parent
//!   families → вовлечённость родителей; registers, ПДН/КДН, СОП → воспитательная среда;
//!   low income, unemployed parents → риски учебной неуспешности; ОВЗ → доля ОВЗ.
//!   Дефицит педагогических кадров, внутришкольная система повышения квалификации and
//!   оснащение are not in any export: they are offered «проверить по данным школы».

use super::dynamics::{Change, ChangeStatus};
use crate::config::{Config, IndicatorSource};
use crate::judge::{Findings, FlagKind, SchoolResult};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Risk factors of the federal risk profile of a school (ФИОКО, «500+»).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Deficit {
    LowMotivation,
    TeacherShortage,
    LearningRisk,
    LanguageBarriers,
    ParentEngagement,
    SubjectCompetence,
    NoTrainingSystem,
    Ovz,
    Environment,
    Equipment,
}

impl Deficit {
    /// The wording in reports.
    pub fn label(self) -> &'static str {
        match self {
            Deficit::LowMotivation => "низкая учебная мотивация обучающихся",
            Deficit::TeacherShortage => "дефицит педагогических кадров",
            Deficit::LearningRisk => "высокая доля обучающихся с рисками учебной неуспешности",
            Deficit::LanguageBarriers => {
                "низкое качество преодоления языковых и культурных барьеров"
            }
            Deficit::ParentEngagement => "низкий уровень вовлечённости родителей",
            Deficit::SubjectCompetence => {
                "недостаточная предметная и методическая компетентность педагогических работников"
            }
            Deficit::NoTrainingSystem => {
                "несформированность внутришкольной системы повышения квалификации"
            }
            Deficit::Ovz => "высокая доля обучающихся с ОВЗ",
            Deficit::Environment => {
                "пониженный уровень качества школьной образовательной и воспитательной среды"
            }
            Deficit::Equipment => "низкий уровень оснащения школы",
        }
    }

    /// A first step the analyst can keep, edit or replace.
    pub fn action(self) -> &'static str {
        match self {
            Deficit::LowMotivation => {
                "вовлечь обучающихся во внеурочную и олимпиадную подготовку, проектную деятельность"
            }
            Deficit::TeacherShortage => "проверить укомплектованность кадрами; сетевое замещение",
            Deficit::LearningRisk => {
                "выявить обучающихся с рисками неуспешности, индивидуальные планы, дополнительные занятия"
            }
            Deficit::LanguageBarriers => {
                "занятия по русскому языку как неродному, адаптационные программы"
            }
            Deficit::ParentEngagement => "программа работы с родителями, родительский всеобуч",
            Deficit::SubjectCompetence => {
                "адресное повышение квалификации учителей-предметников, наставничество, методическая пара со школой с высокими результатами"
            }
            Deficit::NoTrainingSystem => "проверить внутришкольную систему повышения квалификации",
            Deficit::Ovz => "проверить условия инклюзивного обучения, тьюторское сопровождение",
            Deficit::Environment => {
                "профилактическая работа, программа воспитания, школьная служба медиации"
            }
            Deficit::Equipment => "проверить оснащение (паспорт школы, мониторинг оснащения)",
        }
    }
}

/// One row of the «Рекомендации» sheet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    pub school: String,
    /// Flags of the school (baseline and entered), e.g. «ШНОР, ШНСУ».
    pub flags: String,
    /// The weak indicator in Russian.
    pub indicator: String,
    /// Its value and why it is weak.
    pub evidence: String,
    pub deficits: Vec<Deficit>,
}

/// Deficits plausibly behind a weak ОИП indicator.
pub fn deficits_for_indicator(source: &IndicatorSource, migrants: bool) -> Vec<Deficit> {
    match source {
        IndicatorSource::VprMark => vec![Deficit::LearningRisk, Deficit::SubjectCompetence],
        IndicatorSource::ExamScore { subject, .. } => {
            let mut v = vec![Deficit::SubjectCompetence, Deficit::LearningRisk];
            if migrants && subject.to_lowercase().contains("русск") {
                v.push(Deficit::LanguageBarriers);
            }
            v
        }
        IndicatorSource::Olympiad => vec![Deficit::LowMotivation],
        IndicatorSource::Retention => vec![Deficit::LowMotivation, Deficit::Environment],
    }
}

/// Deficit plausibly behind a passport category, and whether its share is high enough to
/// mention: a risk category at 15 % or more, a protective one below 30 %, ОВЗ at 10 % or more.
pub fn deficit_for_category(category: &str, share: f64) -> Option<Deficit> {
    let d = match category {
        "migrants" => Deficit::LanguageBarriers,
        "single_parent" | "parent_higher_ed" => Deficit::ParentEngagement,
        "register" | "in_school_register" | "pdn_kdn" | "sop" => Deficit::Environment,
        "low_income" | "unemployed_parents" => Deficit::LearningRisk,
        "ovz" => Deficit::Ovz,
        _ => return None,
    };
    let notable = match category {
        "parent_higher_ed" => share < 0.30,
        "ovz" => share >= 0.10,
        _ => share >= 0.15,
    };
    notable.then_some(d)
}

use crate::judge::text::pct;

/// The recommendations for one school: its indicators at 1–2 points in the baseline year
/// (weakest first), notable passport categories, and significant worsening in the interim
/// data; a school with nothing notable gets the deficits that only the school can check.
pub fn for_school(
    f: &Findings,
    cfg: &Config,
    s: &SchoolResult,
    flags: &str,
    changes: &[Change],
) -> Vec<Recommendation> {
    let id = &s.school.id;
    let mk = |indicator: String, evidence: String, deficits: Vec<Deficit>| Recommendation {
        school: id.clone(),
        flags: flags.to_string(),
        indicator,
        evidence,
        deficits,
    };
    let migrants = s.isb.as_ref().is_some_and(|i| {
        i.components
            .iter()
            .any(|c| c.category == "migrants" && c.share >= 0.05)
    });
    let mut out = Vec::new();
    let mut weak: Vec<_> = s
        .indicators
        .iter()
        .filter(|i| i.year == f.year && i.reliable && i.points.is_some_and(|p| p <= 2))
        .collect();
    weak.sort_by_key(|i| (i.points, i.indicator.clone()));
    for i in weak {
        let Some(spec) = cfg.indicators.iter().find(|sp| sp.id == i.indicator) else {
            continue;
        };
        let value = i
            .value
            .map_or_else(String::new, |v| match spec.source.kind() {
                crate::config::IndicatorKind::Share => pct(v),
                crate::config::IndicatorKind::Mean => crate::judge::text::num(v),
            });
        out.push(mk(
            spec.name.clone(),
            {
                let p = i.points.unwrap_or(0);
                format!(
                    "{value} в {} г.: {p} {} из 5 относительно кластера",
                    f.year,
                    crate::read::plural(usize::from(p), "балл", "балла", "баллов")
                )
            },
            deficits_for_indicator(&spec.source, migrants),
        ));
    }
    if let Some(isb) = &s.isb {
        let mut comps: Vec<_> = isb.components.iter().collect();
        comps.sort_by(|a, b| {
            a.score
                .total_cmp(&b.score)
                .then(a.category.cmp(&b.category))
        });
        for c in comps {
            if let Some(d) = deficit_for_category(&c.category, c.share) {
                out.push(mk(
                    format!(
                        "социальный паспорт: {}",
                        cfg.isb.category_label(&c.category)
                    ),
                    format!("доля {} ({} г.)", pct(c.share), isb.year),
                    vec![d],
                ));
            }
        }
    }
    for c in changes
        .iter()
        .filter(|c| c.school == *id && c.status == ChangeStatus::Worsened)
    {
        let d = if c.key == "olymp" {
            vec![Deficit::LowMotivation]
        } else {
            vec![Deficit::LearningRisk, Deficit::SubjectCompetence]
        };
        out.push(mk(
            c.name.clone(),
            format!("ухудшение в промежуточных данных ({})", c.note),
            d,
        ));
    }
    if out.is_empty() {
        out.push(mk(
            "слабые показатели по данным не выделены".into(),
            "проверить по данным школы".into(),
            vec![
                Deficit::TeacherShortage,
                Deficit::NoTrainingSystem,
                Deficit::Equipment,
            ],
        ));
    }
    out
}

/// Recommendations for every school under ШНОР or зона риска in the baseline or by the
/// interim data (`entered`: ids of schools that entered a flag), sorted by school id.
pub fn recommend(
    f: &Findings,
    cfg: &Config,
    entered: &BTreeSet<(String, FlagKind)>,
    changes: &[Change],
) -> Vec<Recommendation> {
    let mut schools: Vec<&SchoolResult> = f.schools.iter().collect();
    schools.sort_by(|a, b| a.school.id.cmp(&b.school.id));
    // Only worsening matters here; it is rare, so the per-school scan stays cheap.
    let worse: Vec<Change> = changes
        .iter()
        .filter(|c| c.status == ChangeStatus::Worsened)
        .cloned()
        .collect();
    let mut out = Vec::new();
    for s in schools {
        let mut flags: Vec<&str> = Vec::new();
        for k in [FlagKind::Shnor, FlagKind::Shnsu, FlagKind::Risk] {
            if s.flag(k).is_some() || entered.contains(&(s.school.id.clone(), k)) {
                flags.push(k.label());
            }
        }
        if !flags.contains(&"ШНОР") && !flags.contains(&"зона риска") {
            continue;
        }
        out.extend(for_school(f, cfg, s, &flags.join(", "), &worse));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indicator_mapping() {
        assert_eq!(
            deficits_for_indicator(&IndicatorSource::Olympiad, false),
            [Deficit::LowMotivation]
        );
        let ru = IndicatorSource::ExamScore {
            exam: crate::model::Exam::Oge,
            subject: "Русский язык".into(),
        };
        assert!(!deficits_for_indicator(&ru, false).contains(&Deficit::LanguageBarriers));
        assert!(deficits_for_indicator(&ru, true).contains(&Deficit::LanguageBarriers));
    }

    #[test]
    fn category_thresholds() {
        assert_eq!(
            deficit_for_category("migrants", 0.15),
            Some(Deficit::LanguageBarriers)
        );
        assert_eq!(deficit_for_category("migrants", 0.14), None);
        assert_eq!(
            deficit_for_category("parent_higher_ed", 0.2),
            Some(Deficit::ParentEngagement)
        );
        assert_eq!(deficit_for_category("parent_higher_ed", 0.5), None);
        assert_eq!(deficit_for_category("ovz", 0.1), Some(Deficit::Ovz));
        assert_eq!(deficit_for_category("large_family", 0.9), None);
    }
}
