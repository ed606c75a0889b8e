//! Canonical fields a column can map to, with the Russian heading shnor writes in its own
//! templates and demo files. The synonyms dictionary (`synonyms.rs`) maps real headings here.

use crate::model::{Category, Year};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Field {
    // school registry
    SchoolId,
    SchoolName,
    Municipality,
    /// Region (субъект РФ) of a national registry: kept as `School::region`.
    Region,
    Settlement,
    Level,
    Students,
    Cluster,
    Aliases,
    Coordinator,
    Phone,
    // participant results
    ParticipantId,
    Grade,
    Variant,
    PrimaryScore,
    TestScore,
    Mark,
    PrevMark,
    // per-school aggregates
    Exam,
    Subject,
    Year,
    N,
    N2,
    N3,
    N4,
    N5,
    /// A mark's share of the participants, in percent (ФИС ОКО «Распределение групп баллов
    /// в %» / 2…5): turned into counts with the participant count (normalize).
    MarkShare(u8),
    MeanScore,
    MeanMark,
    NFail,
    NHigh,
    // olympiad protocol
    Stage,
    Status,
    Score,
    // contingent: students of one grade (wide form), or `Grade` + `Students` (long form)
    GradeCount(u8),
    // social passport
    Total,
    Category(Category),
    // program targets
    TargetKey,
    TargetName,
    Unit,
    Base,
    Plan(Year),
    Actual,
    Population,
    ProgramSchools,
}

impl Field {
    /// The heading shnor itself writes (templates, demo, reports).
    pub fn heading(self) -> String {
        let s = match self {
            Field::SchoolId => "Код ОО",
            Field::SchoolName => "Наименование ОО",
            Field::Municipality => "Муниципалитет",
            Field::Region => "Субъект РФ",
            Field::Settlement => "Тип населённого пункта",
            Field::Level => "Тип ОО",
            Field::Students => "Число обучающихся",
            Field::Cluster => "Кластер",
            Field::Aliases => "Другие коды ОО",
            Field::Coordinator => "ФИО координатора",
            Field::Phone => "Телефон",
            Field::ParticipantId => "Код участника",
            Field::Grade => "Класс",
            Field::Variant => "Вариант",
            Field::PrimaryScore => "Первичный балл",
            Field::TestScore => "Тестовый балл",
            Field::Mark => "Отметка",
            Field::PrevMark => "Отметка за предыдущую четверть",
            Field::Exam => "Процедура",
            Field::Subject => "Предмет",
            Field::Year => "Год",
            Field::N => "Количество участников",
            Field::N2 => "Отметка «2»",
            Field::N3 => "Отметка «3»",
            Field::N4 => "Отметка «4»",
            Field::N5 => "Отметка «5»",
            Field::MarkShare(k) => return format!("Доля отметки «{k}», %"),
            Field::MeanScore => "Средний балл",
            Field::MeanMark => "Средняя отметка",
            Field::NFail => "Не преодолели минимальный порог",
            Field::NHigh => "Высокобалльники (80–100 баллов)",
            Field::Stage => "Этап",
            Field::Status => "Статус",
            Field::Score => "Балл",
            Field::GradeCount(g) => return format!("{g} класс"),
            Field::Total => "Всего обучающихся",
            Field::Category(c) => c.label(),
            Field::TargetKey => "Ключ показателя",
            Field::TargetName => "Показатель",
            Field::Unit => "Единица измерения",
            Field::Base => "Базовое значение",
            Field::Plan(y) => return format!("План {y}"),
            Field::Actual => "Факт",
            Field::Population => "Совокупность",
            Field::ProgramSchools => "Школы программы",
        };
        s.to_string()
    }

    /// Machine name used in `[columns]` of the config (e.g. `n2`, `grade_9`, `plan_2026`,
    /// `low_income`).
    pub fn key(self) -> String {
        let s = match self {
            Field::SchoolId => "school_id",
            Field::SchoolName => "school_name",
            Field::Municipality => "municipality",
            Field::Region => "region",
            Field::Settlement => "settlement",
            Field::Level => "level",
            Field::Students => "students",
            Field::Cluster => "cluster",
            Field::Aliases => "aliases",
            Field::Coordinator => "coordinator",
            Field::Phone => "phone",
            Field::ParticipantId => "participant_id",
            Field::Grade => "grade",
            Field::Variant => "variant",
            Field::PrimaryScore => "primary_score",
            Field::TestScore => "test_score",
            Field::Mark => "mark",
            Field::PrevMark => "prev_mark",
            Field::Exam => "exam",
            Field::Subject => "subject",
            Field::Year => "year",
            Field::N => "n",
            Field::N2 => "n2",
            Field::N3 => "n3",
            Field::N4 => "n4",
            Field::N5 => "n5",
            Field::MarkShare(k) => return format!("p{k}"),
            Field::MeanScore => "mean_score",
            Field::MeanMark => "mean_mark",
            Field::NFail => "n_fail",
            Field::NHigh => "n_high",
            Field::Stage => "stage",
            Field::Status => "status",
            Field::Score => "score",
            Field::GradeCount(g) => return format!("grade_{g}"),
            Field::Total => "total",
            Field::Category(c) => c.key(),
            Field::TargetKey => "target_key",
            Field::TargetName => "target_name",
            Field::Unit => "unit",
            Field::Base => "base",
            Field::Plan(y) => return format!("plan_{y}"),
            Field::Actual => "actual",
            Field::Population => "population",
            Field::ProgramSchools => "program_schools",
        };
        s.to_string()
    }

    /// A per-school aggregate: participants, counts of marks, means, fails, high scorers.
    pub fn is_aggregate(self) -> bool {
        matches!(
            self,
            Field::N
                | Field::N2
                | Field::N3
                | Field::N4
                | Field::N5
                | Field::MarkShare(_)
                | Field::MeanScore
                | Field::MeanMark
                | Field::NFail
                | Field::NHigh
        )
    }

    /// Inverse of [`Field::key`].
    pub fn from_key(key: &str) -> Option<Field> {
        let key = key.trim().to_lowercase();
        if let Some(g) = key.strip_prefix("grade_") {
            return g
                .parse()
                .ok()
                .filter(|g| (1..=12).contains(g))
                .map(Field::GradeCount);
        }
        if let Some(k) = key.strip_prefix('p')
            && let Ok(k) = k.parse::<u8>()
        {
            return (2..=5).contains(&k).then_some(Field::MarkShare(k));
        }
        if let Some(y) = key.strip_prefix("plan_") {
            return y.parse().ok().map(Field::Plan);
        }
        if let Some(c) = Category::ALL.iter().find(|c| c.key() == key) {
            return Some(Field::Category(*c));
        }
        SIMPLE.iter().copied().find(|f| f.key() == key)
    }
}

/// Every field without a parameter (all but grade counts, categories and plans).
pub const SIMPLE: [Field; 41] = [
    Field::SchoolId,
    Field::SchoolName,
    Field::Municipality,
    Field::Region,
    Field::Settlement,
    Field::Level,
    Field::Students,
    Field::Cluster,
    Field::Aliases,
    Field::Coordinator,
    Field::Phone,
    Field::ParticipantId,
    Field::Grade,
    Field::Variant,
    Field::PrimaryScore,
    Field::TestScore,
    Field::Mark,
    Field::PrevMark,
    Field::Exam,
    Field::Subject,
    Field::Year,
    Field::N,
    Field::N2,
    Field::N3,
    Field::N4,
    Field::N5,
    Field::MeanScore,
    Field::MeanMark,
    Field::NFail,
    Field::NHigh,
    Field::Stage,
    Field::Status,
    Field::Score,
    Field::Total,
    Field::TargetKey,
    Field::TargetName,
    Field::Unit,
    Field::Base,
    Field::Actual,
    Field::Population,
    Field::ProgramSchools,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        for f in SIMPLE {
            assert_eq!(Field::from_key(&f.key()), Some(f));
        }
        assert_eq!(Field::from_key("grade_9"), Some(Field::GradeCount(9)));
        assert_eq!(Field::from_key("plan_2026"), Some(Field::Plan(2026)));
        assert_eq!(
            Field::from_key("low_income"),
            Some(Field::Category(Category::LowIncome))
        );
        assert_eq!(Field::from_key("nonsense"), None);
    }
}
