//! The rule table: one small rule of word stems per field (docs/recognition.md, «Столбцы»,
//! rule 2). The normaliser that makes the words and the scoring live in `vocabulary.rs`;
//! this file is data only, so the whole vocabulary of headings is read in one place.
//!
//! A stem is a word prefix («участ» meets «участников», «участие»); a stem ending in `$` is a
//! whole word («тип$» meets «тип», not «типовой»). Words of [`HOW_MANY`] and the stop words
//! of `vocabulary.rs` are explained for every rule.

use super::fields::Field;
use super::vocabulary::SUB_GROUP;
use crate::model::Category;

/// A field's rule: every group of `required` must be met by some word; `optional` stems
/// explain more words; a `forbidden` stem rules the heading out. A heading matches only
/// when each of its words is explained: word order is free, other words are not.
pub struct Rule {
    pub field: Field,
    pub required: &'static [&'static [&'static str]],
    pub optional: &'static [&'static str],
    pub forbidden: &'static [&'static str],
}

/// Words that, next to the count words, say «how many» (never required).
pub const HOW_MANY: [&str; 3] = ["количеств", "всего", "общ"];

/// Shares and averages of a region or a municipality: never a school's own value.
const NOT_OWN: &[&str] = &["%", "процент", "доля", "край", "регион", "муницип"];
/// Words that make a pupil count a count of something else: a start or an end of the year.
const WHEN: &[&str] = &[
    "начал",
    "конец",
    "конц",
    "уч$",
    "учебн",
    "год$",
    "года$",
    "оо$",
];

/// Stems of the participants of a procedure («участников», «сдавали», «писали»): the
/// participant count's rule, and never a social-passport category («из них участников с
/// ОВЗ» in a results table counts participants, not the school's pupils).
pub const PARTICIPANTS: &[&str] = &["участ", "сдав", "писа", "выполня", "выполнив", "приня"];

/// The rule table. Order matters only between rules of equal score (the first is the
/// default, the values decide: `confirm.rs`).
pub const RULES: &[Rule] = &[
    // --- per-school aggregates
    Rule {
        field: Field::N,
        required: &[PARTICIPANTS],
        optional: &[
            "работ",
            "предмет",
            "экзамен",
            "обучающ",
            "учащ",
            "выпускник",
            "огэ",
            "егэ",
            "впр",
            "гиа",
            "оо$",
            "участие",
        ],
        forbidden: &SUB_GROUP,
    },
    Rule {
        field: Field::MeanScore,
        required: &[&["средн"], &["балл"]],
        optional: &[
            "первичн",
            "тестов",
            "оо$",
            "предмет",
            "работ",
            "результат",
            "значение",
        ],
        forbidden: &[
            "отметк",
            "оценк",
            "%",
            "процент",
            "доля",
            "край",
            "регион",
            "муницип",
        ],
    },
    Rule {
        field: Field::MeanMark,
        required: &[&["средн"], &["отметк", "оценк"]],
        // «Средний балл (отметка)»: the mean of the marks.
        optional: &["оо$", "предмет", "работ", "значение", "балл"],
        forbidden: NOT_OWN,
    },
    // «Средний результат», «Среднее значение»: a score or a mark, the values decide.
    Rule {
        field: Field::MeanScore,
        required: &[&["средн"], &["результат", "значение", "показател"]],
        optional: &["оо$", "предмет", "работ"],
        forbidden: NOT_OWN,
    },
    Rule {
        field: Field::MeanMark,
        required: &[&["средн"], &["результат", "значение", "показател"]],
        optional: &["оо$", "предмет", "работ"],
        forbidden: NOT_OWN,
    },
    Rule {
        field: Field::NFail,
        required: &[&["непреодол", "ненабрал", "несдал", "ниже"]],
        optional: &[
            "миним",
            "min",
            "порог",
            "балл",
            "границ",
            "установлен",
            "значен",
            "участ",
        ],
        forbidden: &["%", "процент", "доля"],
    },
    Rule {
        field: Field::NHigh,
        required: &[&["высокобалл"]],
        optional: &["80", "99", "100", "балл", "до$", "участ"],
        forbidden: &["%", "процент", "доля"],
    },
    // «80–100 баллов», «Набрали 80 и более баллов».
    Rule {
        field: Field::NHigh,
        required: &[&["80$"], &["балл"]],
        optional: &["99$", "100$", "до$", "набрал", "более", "выше", "участ"],
        forbidden: &["%", "процент", "доля"],
    },
    // --- pupils: the school's pupils, all of them (a passport's base), one grade
    Rule {
        field: Field::Total,
        required: &[
            &[
                "обучающ",
                "учащ",
                "детей",
                "дети",
                "контингент",
                "численн",
                "ученик",
            ],
            &["всего", "общ", "итого"],
        ],
        optional: WHEN,
        forbidden: &SUB_GROUP,
    },
    Rule {
        field: Field::Students,
        required: &[&["обучающ", "учащ", "контингент", "численн", "ученик"]],
        optional: WHEN,
        forbidden: &SUB_GROUP,
    },
    // --- the school and where it is
    Rule {
        field: Field::SchoolId,
        required: &[&["код$", "логин", "идентификатор", "пользовател"]],
        optional: &["оо$", "ооо$", "фис", "око", "рцои", "образовательн"],
        forbidden: &[
            "участ",
            "обучающ",
            "учащ",
            "показател",
            "предмет",
            "муницип",
            "моуо",
        ],
    },
    Rule {
        field: Field::SchoolName,
        required: &[&["наименован", "название", "оо$", "имя$"]],
        optional: &[
            "полн",
            "кратк",
            "сокращ",
            "образовательн",
            "общеобразовательн",
        ],
        forbidden: &[
            "код$",
            "логин",
            "муницип",
            "район",
            "показател",
            "предмет",
            "тип$",
            "вид$",
        ],
    },
    Rule {
        field: Field::Municipality,
        required: &[&[
            "муницип",
            "район",
            "моуо",
            "ате$",
            "ату$",
            "округ",
            "территор",
            "мо$",
        ]],
        optional: &[
            "наименован",
            "название",
            "образован",
            "городск",
            "муниципальн",
        ],
        forbidden: &["код$", "оо$"],
    },
    Rule {
        field: Field::Settlement,
        // A bare «Город» may be the town's name: «город/село», «городская/сельская» name
        // the type by their rural word.
        required: &[&[
            "населен",
            "поселен",
            "местност",
            "сельск",
            "село$",
            "располож",
        ]],
        optional: &["тип$", "пункт", "город"],
        forbidden: &["наименован", "название"],
    },
    Rule {
        field: Field::Level,
        required: &[&["тип$", "вид$", "уровен"]],
        optional: &["оо$", "образовательн"],
        forbidden: &[],
    },
    Rule {
        field: Field::Cluster,
        required: &[&["кластер", "групп"]],
        optional: &["оо$", "школ"],
        forbidden: &[],
    },
    // Codes of the same school in other systems («ИНН», «ОГРН», «Другие коды ОО»).
    Rule {
        field: Field::Aliases,
        required: &[&["инн$", "огрн$", "псевдоним", "друг"]],
        optional: &["код", "оо$", "систем"],
        forbidden: &[],
    },
    Rule {
        field: Field::Coordinator,
        required: &[&["координатор", "ответственн"]],
        optional: &["фио$", "программ"],
        forbidden: &[],
    },
    Rule {
        field: Field::Phone,
        required: &[&["телефон", "тел$"]],
        optional: &["контактн", "директор"],
        forbidden: &[],
    },
    // --- one participant
    // «ФИО», «Фамилия, имя, отчество», «ФИО обучающегося»: the pupil's name is their key.
    Rule {
        field: Field::ParticipantId,
        required: &[&["фио$", "фамил"]],
        optional: &["имя$", "отчеств", "участ", "обучающ", "учащ", "ученик"],
        forbidden: &["координатор", "директор", "ответственн"],
    },
    // «Код участника», «Идентификатор участника», «Код обучающегося».
    Rule {
        field: Field::ParticipantId,
        required: &[
            &["код$", "идентификатор", "шифр"],
            &["участ", "обучающ", "учащ", "ученик"],
        ],
        optional: &[],
        forbidden: &[],
    },
    // «Шифр» alone: olympiad protocols code their participants; schools are never «шифр».
    Rule {
        field: Field::ParticipantId,
        required: &[&["шифр"]],
        optional: &[],
        forbidden: &[],
    },
    // «Участник» (singular): a column of participants, not their number.
    Rule {
        field: Field::ParticipantId,
        required: &[&["участник$"]],
        optional: &[],
        forbidden: &[],
    },
    Rule {
        field: Field::Grade,
        required: &[&["класс$", "параллел"]],
        optional: &["обучен"],
        forbidden: &[],
    },
    Rule {
        field: Field::Variant,
        required: &[&["вариант"]],
        optional: &["номер"],
        forbidden: &[],
    },
    Rule {
        field: Field::PrimaryScore,
        required: &[&["первичн", "сумм", "всего", "итого$", "общ"], &["балл"]],
        optional: &[],
        forbidden: &["средн", "%", "процент"],
    },
    Rule {
        field: Field::TestScore,
        required: &[&["тестов", "шкал"], &["балл"]],
        optional: &["100$"],
        forbidden: &["средн", "%", "процент"],
    },
    Rule {
        field: Field::Mark,
        required: &[&["отметк", "оценк"]],
        optional: &["работ", "итогов", "пятибалльн", "шкал"],
        forbidden: &["средн", "%", "процент", "доля"],
    },
    // The term mark: «Отметка за предыдущую четверть/триместр», «Оценка по журналу».
    Rule {
        field: Field::PrevMark,
        required: &[
            &["отметк", "оценк"],
            &["четверт", "журнал", "предыдущ", "триместр", "полугод"],
        ],
        optional: &["четверт", "триместр", "полугод"],
        forbidden: &["средн", "%", "процент", "доля"],
    },
    // --- what and when
    Rule {
        field: Field::Exam,
        required: &[&["процедур", "экзамен"]],
        optional: &["оценочн", "вид$"],
        forbidden: &[],
    },
    Rule {
        field: Field::Subject,
        required: &[&["предмет", "дисциплин"]],
        optional: &["учебн", "олимпиад", "общеобразовательн"],
        forbidden: &[],
    },
    Rule {
        field: Field::Year,
        required: &[&["год$"]],
        optional: &["учебн", "проведен"],
        forbidden: &[],
    },
    // --- olympiad protocol
    Rule {
        field: Field::Stage,
        required: &[&["этап"]],
        optional: &["олимпиад", "всош"],
        forbidden: &[],
    },
    // «Статус», «Результат», «Результат участия», «Статус участника», «Тип диплома».
    Rule {
        field: Field::Status,
        required: &[&["статус", "результат", "диплом"]],
        optional: &["участ", "олимпиад", "тип$", "всош"],
        forbidden: &[],
    },
    Rule {
        field: Field::Score,
        required: &[&["балл"]],
        optional: &["итогов", "набран"],
        forbidden: &["средн", "%", "процент"],
    },
    // --- program targets
    Rule {
        field: Field::TargetKey,
        required: &[&["ключ"]],
        optional: &["показател"],
        forbidden: &[],
    },
    Rule {
        field: Field::TargetKey,
        required: &[&["код$"], &["показател"]],
        optional: &[],
        forbidden: &[],
    },
    Rule {
        field: Field::TargetName,
        required: &[&["показател"]],
        optional: &["наименован", "целев"],
        forbidden: &[],
    },
    Rule {
        field: Field::Unit,
        required: &[&["единиц", "изм$", "измерен"]],
        optional: &["измерен"],
        forbidden: &[],
    },
    Rule {
        field: Field::Base,
        required: &[&["баз"]],
        optional: &["значен"],
        forbidden: &[],
    },
    Rule {
        field: Field::Actual,
        required: &[&["факт"]],
        optional: &["значен"],
        forbidden: &[],
    },
    Rule {
        field: Field::Population,
        required: &[&["совокупност"]],
        optional: &[],
        forbidden: &[],
    },
    Rule {
        field: Field::ProgramSchools,
        required: &[&["программ", "перечен"]],
        optional: &["оо$", "школ"],
        forbidden: &[],
    },
];

/// Social-passport categories, tried in order: an entry matches when each of its groups of
/// stems meets some word of the heading (both parents before one parent).
pub const CATEGORY_RULES: &[(Category, &[&[&str]])] = &[
    (
        Category::BothParentsHigherEd,
        &[&["высш"], &["оба$", "обоих"]],
    ),
    (Category::ParentHigherEd, &[&["высш"], &["родител"]]),
    (Category::UnemployedParents, &[&["безработ", "неработающ"]]),
    (Category::LowIncome, &[&["малообеспеч", "малоимущ"]]),
    (Category::LowIncome, &[&["низк"], &["доход"]]),
    (Category::SingleParent, &[&["неполн"]]),
    (Category::LargeFamily, &[&["многодетн"]]),
    (Category::Orphans, &[&["сирот"]]),
    (Category::Orphans, &[&["попечени"], &["без$"]]),
    (Category::Guardianship, &[&["опек", "попечител", "приемн"]]),
    (Category::Disabled, &[&["инвалид"]]),
    (Category::Ovz, &[&["овз$"]]),
    (Category::Ovz, &[&["ограничен"], &["возможност"]]),
    (Category::InSchoolRegister, &[&["внутришкольн", "вшу$"]]),
    (Category::PdnKdn, &[&["пдн", "кдн"]]),
    (Category::Sop, &[&["соп$"]]),
    (Category::Sop, &[&["социальн"], &["опасн"]]),
    (Category::Migrants, &[&["мигрант", "неродн", "инофон"]]),
];
