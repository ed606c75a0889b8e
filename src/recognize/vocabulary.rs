//! Columns by meaning: a heading becomes a bag of normalised words, and each field is a
//! small rule of word stems (`rules.rs`). This is the primary source of every field after
//! the config: «Сдавали (чел.)», «Обучающихся всего», «Кол-во уч-ся, писавших работу» are
//! read by what their words mean, whatever their order; the dictionary (`synonyms.rs`)
//! keeps only what words cannot express.
//!
//! The normaliser's tables live here: [`PHRASES`] and [`WORDS`], [`SUB_GROUP`] (markers of a
//! sub-group, never a participant count or a total); the rules are `rules::RULES` and
//! `rules::CATEGORY_RULES`. docs/recognition.md, «Столбцы», describes them.

use super::fields::Field;
use super::rules::{CATEGORY_RULES, HOW_MANY, PARTICIPANTS, RULES, Rule};
use crate::model::Category;
use crate::read::norm_text;

/// Phrases unified before the heading is cut into words (on the normalised text: lower
/// case, ё → е). A phrase of several words that means one thing becomes one word.
pub const PHRASES: [(&str, &str); 27] = [
    // «МОУО/ОО», «АТЕ/ОУ»: a column of both kinds of rows names the school (the rows shnor
    // reads); before «оу» and «оо» become one word.
    ("моуо/оо", " оо "),
    ("моуо/оу", " оо "),
    ("ате/оу", " оо "),
    ("ате/оо", " оо "),
    ("ату/оо", " оо "),
    ("ату/оу", " оо "),
    // The longer phrase first: «общеобразовательной организации» holds «образовательной
    // организации».
    ("общеобразовательной организации", " оо "),
    ("общеобразовательного учреждения", " оо "),
    ("общеобразовательное учреждение", " оо "),
    ("общеобразовательных организаций", " оо "),
    ("в т. ч.", " втч "),
    ("в т.ч.", " втч "),
    ("в т.ч", " втч "),
    ("в т ч", " втч "),
    ("в том числе", " втч "),
    ("из них", " изних "),
    ("кол-во", " количество "),
    ("кол.", " количество "),
    ("колич.", " количество "),
    ("уч-ся", " учащихся "),
    ("обуч-ся", " обучающихся "),
    ("ср.", " средний "),
    ("сред.", " средний "),
    ("образовательная организация", " оо "),
    ("образовательной организации", " оо "),
    ("образовательного учреждения", " оо "),
    ("общеобразовательная организация", " оо "),
];

/// Single words unified after cutting: the school (`ОО`, `ОУ`, `школа`) is one word;
/// units (`чел`, `человек`, `абс`, `ед`) carry no meaning and are dropped (empty).
pub const WORDS: [(&str, &str); 14] = [
    ("оу", "оо"),
    ("школа", "оо"),
    ("школы", "оо"),
    ("школе", "оо"),
    ("организации", "оо"),
    ("организация", "оо"),
    ("учреждения", "оо"),
    ("чел", ""),
    ("человек", ""),
    ("абс", ""),
    ("ед", ""),
    ("шт", ""),
    ("количестве", "количество"),
    ("число", "количество"),
];

/// Words that explain nothing and hurt nothing: prepositions and conjunctions.
const STOP: [&str; 11] = ["в", "на", "по", "и", "за", "о", "об", "с", "со", "от", "к"];

/// Markers of a sub-group of the participants or pupils (stems, as word prefixes, after
/// the normaliser). A heading with one of them is never the participant count nor a total:
/// «из них …», «в т. ч. …», «более 80 баллов», «зарегистрировано», «удалено», «не
/// явились», «не преодолели», «получили …», a share («%», «доля»).
pub const SUB_GROUP: [&str; 24] = [
    "изних",
    "втч",
    "более",
    "свыше",
    "менее",
    "больше",
    "меньше",
    "зарегистр",
    "удален",
    "неяв",
    "явк",
    "отсутств",
    "непреодол",
    "ненабрал",
    "несдал",
    "недопущ",
    "аннулир",
    "получ",
    "набрал",
    "%",
    "доля",
    "доли",
    "процент",
    "балл",
];

/// The normaliser: a heading as a sorted bag of distinct words.
/// «Сдавали (чел.)» → [сдавали]; «Кол-во уч-ся, писавших работу» → [количество, писавших,
/// работу, учащихся]; «Средний балл, %» → [%, балл, средний].
pub fn words(heading: &str) -> Vec<String> {
    let mut t = format!(" {} ", norm_text(heading));
    for (from, to) in PHRASES {
        // Most phrases are absent: looking costs no new string.
        if t.contains(from) {
            t = t.replace(from, to);
        }
    }
    let t: String = t
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '%' {
                c
            } else {
                ' '
            }
        })
        .collect();
    let t = t.replace('%', " % ");
    let mut out: Vec<String> = Vec::new();
    let mut negate = false;
    for w in t.split_whitespace() {
        let w = WORDS
            .iter()
            .find(|(from, _)| *from == w)
            .map_or(w, |(_, to)| *to);
        if w.is_empty() {
            continue;
        }
        if w == "не" {
            negate = true;
            continue;
        }
        out.push(if negate {
            format!("не{w}")
        } else {
            w.to_string()
        });
        negate = false;
    }
    out.sort();
    out.dedup();
    out
}

/// A field that counts people or points: only its headings may say «how many» («Кол-во
/// ОО» is a count of schools, never a school's name or code; «Количество баллов» is a score).
fn counts(field: Field) -> bool {
    matches!(
        field,
        Field::Score
            | Field::PrimaryScore
            | Field::TestScore
            | Field::N
            | Field::N2
            | Field::N3
            | Field::N4
            | Field::N5
            | Field::NFail
            | Field::NHigh
            | Field::Total
            | Field::Students
            | Field::GradeCount(_)
            | Field::Category(_)
    )
}

/// A stem is a word prefix; a stem ending in `$` is the whole word.
fn has_stem(word: &str, stems: &[&str]) -> bool {
    stems.iter().any(|s| match s.strip_suffix('$') {
        Some(whole) => word == whole,
        None => word.starts_with(s),
    })
}

/// True when the stem that meets the word is a whole word (`тип$`): it says more than a
/// prefix, so a required group met by it counts one more.
fn whole_word(word: &str, stems: &[&str]) -> bool {
    stems
        .iter()
        .any(|s| s.strip_suffix('$').is_some_and(|whole| word == whole))
}

/// The score of a rule on a bag of words: `None` when it does not match, else the number
/// of words the rule explains (required groups count twice, three times when met by a
/// whole word: «Участник» is a participant, not the count of «участ…»).
fn score(rule: &Rule, words: &[String]) -> Option<usize> {
    if words.is_empty() || words.iter().any(|w| has_stem(w, rule.forbidden)) {
        return None;
    }
    let mut explained = vec![false; words.len()];
    let mut exact = 0;
    for group in rule.required {
        let mut met = false;
        let mut whole = false;
        for (i, w) in words.iter().enumerate() {
            if has_stem(w, group) {
                explained[i] = true;
                met = true;
                whole |= whole_word(w, group);
            }
        }
        if !met {
            return None;
        }
        exact += usize::from(whole);
    }
    let mut optional = 0;
    for (i, w) in words.iter().enumerate() {
        if explained[i] {
            continue;
        }
        if has_stem(w, rule.optional) || (counts(rule.field) && has_stem(w, &HOW_MANY)) {
            explained[i] = true;
            optional += 1;
        } else if STOP.contains(&w.as_str()) {
            explained[i] = true;
        }
    }
    explained
        .iter()
        .all(|e| *e)
        .then_some(2 * rule.required.len() + exact + optional)
}

/// Every field whose rule fits the heading best (several when the heading fits several
/// fields equally: «Средний результат» is a score or a mark; the values decide).
pub fn candidates(heading: &str) -> Vec<Field> {
    let words = words(heading);
    let scored: Vec<(Field, usize)> = RULES
        .iter()
        .filter_map(|r| score(r, &words).map(|s| (r.field, s)))
        .collect();
    let Some(best) = scored.iter().map(|(_, s)| *s).max() else {
        return Vec::new();
    };
    let mut out: Vec<Field> = scored
        .into_iter()
        .filter(|(_, s)| *s == best)
        .map(|(f, _)| f)
        .collect();
    out.dedup();
    out
}

/// The field a heading names by its words, when exactly one rule fits best. A heading
/// fitting several fields maps to the first of them; `confirm` then looks at the values.
pub fn field_of(heading: &str) -> Option<Field> {
    candidates(heading).first().copied()
}

/// The social-passport category a heading names ([`CATEGORY_RULES`]: the first entry whose
/// every group of stems meets some word). Category headings are free phrases («Дети-сироты
/// и оставшиеся без попечения родителей»), so other words do not matter here — except
/// the participants of a procedure («из них участников с ОВЗ»): never a category.
pub fn category_of(heading: &str) -> Option<Category> {
    let words = words(heading);
    if words.iter().any(|w| has_stem(w, PARTICIPANTS)) {
        return None;
    }
    CATEGORY_RULES
        .iter()
        .find(|(_, groups)| groups.iter().all(|g| words.iter().any(|w| has_stem(w, g))))
        .map(|(c, _)| *c)
}

/// True when the heading names a sub-group («из них …», «в т. ч. …», «более 80 баллов»,
/// «не явились»): such a column is never the participant count or a total.
pub fn is_sub_group(heading: &str) -> bool {
    words(heading).iter().any(|w| has_stem(w, &SUB_GROUP[..19]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(h: &str) -> Vec<&'static str> {
        words(h)
            .into_iter()
            .map(|s| &*Box::leak(s.into_boxed_str()))
            .collect()
    }

    #[test]
    fn the_general_education_school_is_one_word_in_every_case() {
        for h in [
            "Наименование общеобразовательной организации",
            "Наименование общеобразовательного учреждения",
            "Общеобразовательное учреждение",
        ] {
            assert_eq!(field_of(h), Some(Field::SchoolName), "{h}");
        }
    }

    #[test]
    fn a_count_of_schools_is_not_a_school_field() {
        // ФИС ОКО «Статистика по отметкам»: «Кол-во ОО» is 1 on every school row.
        assert_eq!(field_of("Кол-во ОО"), None);
        assert_eq!(field_of("Количество ОО"), None);
        assert_eq!(field_of("Наименование ОО"), Some(Field::SchoolName));
    }

    #[test]
    fn normaliser_unifies_units_and_abbreviations() {
        assert_eq!(w("Сдавали (чел.)"), ["сдавали"]);
        assert_eq!(w("Сдавали, чел"), ["сдавали"]);
        assert_eq!(w("Сдавали человек"), ["сдавали"]);
        assert_eq!(w("Участники (абс.)"), ["участники"]);
        assert_eq!(w("Кол-во участников"), ["количество", "участников"]);
        assert_eq!(w("Кол. участников"), ["количество", "участников"]);
        assert_eq!(w("Число участников"), ["количество", "участников"]);
        assert_eq!(
            w("Кол-во уч-ся, писавших работу"),
            ["количество", "писавших", "работу", "учащихся"]
        );
        assert_eq!(w("Код ОУ"), ["код", "оо"]);
        assert_eq!(w("Код школы"), ["код", "оо"]);
        assert_eq!(w("Код образовательной организации"), ["код", "оо"]);
        assert_eq!(w("Средний балл, %"), ["%", "балл", "средний"]);
        assert_eq!(w("Ср. балл"), ["балл", "средний"]);
        assert_eq!(w("Учёт"), ["учет"]);
        assert_eq!(w("из них не явились"), ["изних", "неявились"]);
        assert_eq!(w("в т. ч. девочек"), ["втч", "девочек"]);
        assert_eq!(w("в том числе девочек"), ["втч", "девочек"]);
    }

    #[test]
    fn rules_read_words_in_any_order() {
        for h in [
            "Сдавали (чел.)",
            "Кол-во уч-ся, писавших работу",
            "Количество участников",
            "Участников, количество",
            "Приняли участие, чел.",
            "Выполняли работу (чел.)",
            "Писали ВПР",
        ] {
            assert_eq!(field_of(h), Some(Field::N), "{h}");
        }
        for h in [
            "Обучающихся всего",
            "Всего обучающихся",
            "Общая численность обучающихся",
            "Итого учащихся",
            "Кол-во уч-ся всего, чел.",
        ] {
            assert_eq!(field_of(h), Some(Field::Total), "{h}");
        }
        for h in [
            "Ср. балл",
            "Балл средний",
            "Средний балл по ОО",
            "Средний тестовый балл (чел.)",
        ] {
            assert_eq!(field_of(h), Some(Field::MeanScore), "{h}");
        }
        assert_eq!(field_of("Отметка средняя"), Some(Field::MeanMark));
        assert_eq!(field_of("Средняя оценка ОУ"), Some(Field::MeanMark));
        assert_eq!(field_of("Логин ОО в ФИС ОКО"), Some(Field::SchoolId));
        assert_eq!(field_of("Код ОУ"), Some(Field::SchoolId));
        assert_eq!(field_of("ОО, наименование"), Some(Field::SchoolName));
        assert_eq!(
            field_of("Наименование школы (краткое)"),
            Some(Field::SchoolName)
        );
        assert_eq!(field_of("Район (муниципалитет)"), Some(Field::Municipality));
        assert_eq!(
            field_of("Не преодолели min порог, чел."),
            Some(Field::NFail)
        );
        assert_eq!(field_of("Кол-во высокобалльников"), Some(Field::NHigh));
        assert_eq!(field_of("Численность учащихся ОО"), Some(Field::Students));
    }

    #[test]
    fn unexplained_words_match_nothing() {
        assert_eq!(
            field_of("Количество обучающихся по адаптированным программам"),
            None
        );
        assert_eq!(field_of("Код АТЕ"), None);
        assert_eq!(field_of("Количество педагогов"), None);
    }

    #[test]
    fn a_sub_group_is_never_the_participant_count_or_a_total() {
        for h in [
            "из них получили «2»",
            "Из них участников с ОВЗ",
            "в т. ч. участников с ОВЗ",
            "Участников, набравших более 80 баллов",
            "Зарегистрировано участников",
            "Удалено участников",
            "Не явились участники",
            "Не преодолели порог, участников",
            "Доля участников, %",
            "Всего обучающихся, из них девочек",
            "Обучающихся всего, в т.ч. с ОВЗ",
        ] {
            let c = candidates(h);
            assert!(
                !c.contains(&Field::N)
                    && !c.contains(&Field::Total)
                    && !c.contains(&Field::Students),
                "{h}: {c:?}"
            );
        }
        assert!(is_sub_group("из них получили «2»"));
        assert!(is_sub_group("Не явились"));
        assert!(!is_sub_group("Сдавали (чел.)"));
    }

    #[test]
    fn a_heading_fitting_two_fields_lists_both() {
        assert_eq!(
            candidates("Средний результат"),
            [Field::MeanScore, Field::MeanMark]
        );
    }

    fn lookup(h: &str) -> Option<Field> {
        match super::super::synonyms::lookup(h, &crate::config::Config::default()) {
            Some(super::super::synonyms::Mapping::Field(f)) => Some(f),
            _ => None,
        }
    }

    #[test]
    fn wordings_of_real_forms_the_dictionary_never_listed() {
        use crate::model::Category;
        for (h, want) in [
            ("Результат участия", Field::Status),
            ("Статус участника", Field::Status),
            ("Тип диплома", Field::Status),
            ("Результат участия в олимпиаде", Field::Status),
            ("Предмет олимпиады", Field::Subject),
            ("Этап олимпиады", Field::Stage),
            ("Параллель", Field::Grade),
            ("Класс обучения", Field::Grade),
            ("Учебный год", Field::Year),
            ("Сумма первичных баллов", Field::PrimaryScore),
            ("Тестовый балл", Field::TestScore),
            ("Итоговая отметка", Field::Mark),
            ("Оценка по журналу", Field::PrevMark),
            ("ФИО обучающегося", Field::ParticipantId),
            ("Идентификатор участника", Field::ParticipantId),
            ("Участник", Field::ParticipantId),
            ("Количество участников", Field::N),
            ("Средний тестовый балл", Field::MeanScore),
            ("Кол-во обучающихся, выполнявших работу", Field::N),
            (
                "Не преодолели минимального порогового значения",
                Field::NFail,
            ),
            (
                "Численность обучающихся на начало уч. года",
                Field::Students,
            ),
            ("Код МОУО/ОО", Field::SchoolId),
            ("АТЕ/ОУ", Field::SchoolName),
            ("Группа школ", Field::Cluster),
            ("Ед. изм.", Field::Unit),
            ("Код показателя", Field::TargetKey),
            ("Сдавали предмет (чел., %)", Field::N),
            (
                "Дети-сироты и оставшиеся без попечения родителей",
                Field::Category(Category::Orphans),
            ),
            (
                "Семьи с низким доходом",
                Field::Category(Category::LowIncome),
            ),
        ] {
            assert_eq!(lookup(h), Some(want), "{h}");
        }
        // Words no rule explains stay unmapped; «100 баллов» is a known heading, no field.
        assert_eq!(lookup("Номер обучающегося"), None);
        assert_eq!(lookup("Количество школ"), None);
        assert_eq!(lookup("Год рождения"), None);
        assert_eq!(lookup("100 баллов"), None);
        // A bare «Город» may be the town's name, not the settlement type.
        assert_eq!(lookup("Город"), None);
        assert_eq!(lookup("Город/село"), Some(Field::Settlement));
    }
}
