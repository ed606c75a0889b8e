//! Columns by meaning: a heading becomes a bag of normalised words, and each field is a
//! small rule of word stems. This is the fallback after the exact synonyms list
//! (`synonyms.rs`): a heading nobody wrote into that list («Сдавали (чел.)», «Обучающихся
//! всего», «Кол-во уч-ся, писавших работу») is still read by what its words mean.
//!
//! Everything the rules know lives in the tables of this file: [`PHRASES`] and [`WORDS`]
//! (the normaliser), [`SUB_GROUP`] (markers of a sub-group, never a participant count or a
//! total) and [`RULES`] (one rule per field). docs/recognition.md, «Столбцы», describes them.

use super::fields::Field;
use crate::read::norm_text;

/// Phrases unified before the heading is cut into words (on the normalised text: lower
/// case, ё → е). A phrase of several words that means one thing becomes one word.
pub const PHRASES: [(&str, &str); 17] = [
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

/// A field's rule: every group of `required` must be met by some word (a stem is a word
/// prefix); `optional` stems explain more words; a `forbidden` stem rules the heading out.
/// A heading matches only when each of its words is explained (by a required or optional
/// stem, or a stop word): word order is free, other words are not.
pub struct Rule {
    pub field: Field,
    pub required: &'static [&'static [&'static str]],
    pub optional: &'static [&'static str],
    pub forbidden: &'static [&'static str],
}

/// Words that, next to the count words, say «how many» (never required).
const HOW_MANY: [&str; 3] = ["количеств", "всего", "общ"];

/// The rule table: one rule per field the stems can name.
pub const RULES: &[Rule] = &[
    Rule {
        field: Field::N,
        required: &[&["участ", "сдав", "писа", "выполня", "выполнив", "приня"]],
        optional: &[
            "количеств",
            "всего",
            "общ",
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
            "оо",
            "участие",
        ],
        forbidden: &SUB_GROUP,
    },
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
        optional: &["количеств", "оо"],
        forbidden: &SUB_GROUP,
    },
    Rule {
        field: Field::Students,
        required: &[&["обучающ", "учащ", "контингент", "численн", "ученик"]],
        optional: &["количеств", "оо"],
        forbidden: &SUB_GROUP,
    },
    Rule {
        field: Field::MeanScore,
        required: &[&["средн"], &["балл"]],
        optional: &[
            "первичн",
            "тестов",
            "оо",
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
        optional: &["оо", "предмет", "работ", "значение"],
        forbidden: &["%", "процент", "доля", "край", "регион", "муницип"],
    },
    // «Средний результат», «Среднее значение»: a score or a mark, the values decide
    // (`confirm.rs`).
    Rule {
        field: Field::MeanScore,
        required: &[&["средн"], &["результат", "значение", "показател"]],
        optional: &["оо", "предмет", "работ"],
        forbidden: &["%", "процент", "доля", "край", "регион", "муницип"],
    },
    Rule {
        field: Field::MeanMark,
        required: &[&["средн"], &["результат", "значение", "показател"]],
        optional: &["оо", "предмет", "работ"],
        forbidden: &["%", "процент", "доля", "край", "регион", "муницип"],
    },
    Rule {
        field: Field::SchoolId,
        required: &[&["код", "логин", "идентификатор", "id"]],
        optional: &["оо", "фис", "око", "рцои", "образовательн", "ооо"],
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
        required: &[&["наименован", "название", "оо"]],
        optional: &[
            "полн",
            "кратк",
            "сокращ",
            "оо",
            "образовательн",
            "общеобразовательн",
        ],
        forbidden: &[
            "код",
            "логин",
            "муницип",
            "район",
            "показател",
            "предмет",
            "тип",
            "вид",
        ],
    },
    Rule {
        field: Field::Municipality,
        required: &[&["муницип", "район", "моуо", "ате", "округ", "территор"]],
        optional: &[
            "наименован",
            "название",
            "образован",
            "городск",
            "муниципальн",
        ],
        forbidden: &["код", "оо"],
    },
    // «Группа (кластер)», «Кластерная группа», «Группа ОО»: the registry checks the values
    // (labels shared by schools, `kind::not_a_cluster`).
    Rule {
        field: Field::Cluster,
        required: &[&["кластер", "групп"]],
        optional: &["оо", "школ"],
        forbidden: &["%"],
    },
    Rule {
        field: Field::NFail,
        required: &[&["непреодол", "ненабрал", "несдал", "ниже"]],
        optional: &[
            "миним",
            "min",
            "порог",
            "балл",
            "количеств",
            "границ",
            "установлен",
        ],
        forbidden: &["%", "процент", "доля"],
    },
    Rule {
        field: Field::NHigh,
        required: &[&["высокобалл"]],
        optional: &["количеств", "80", "99", "100", "балл", "до"],
        forbidden: &["%", "процент", "доля"],
    },
];

/// The normaliser: a heading as a sorted bag of distinct words.
/// «Сдавали (чел.)» → [сдавали]; «Кол-во уч-ся, писавших работу» → [количество, писавших,
/// работу, учащихся]; «Средний балл, %» → [%, балл, средний].
pub fn words(heading: &str) -> Vec<String> {
    let mut t = format!(" {} ", norm_text(heading));
    for (from, to) in PHRASES {
        t = t.replace(from, to);
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

fn has_stem(word: &str, stems: &[&str]) -> bool {
    stems.iter().any(|s| word.starts_with(s))
}

/// The score of a rule on a bag of words: `None` when it does not match, else the number
/// of words the rule explains (required groups count twice).
fn score(rule: &Rule, words: &[String]) -> Option<usize> {
    if words.is_empty() || words.iter().any(|w| has_stem(w, rule.forbidden)) {
        return None;
    }
    let mut explained = vec![false; words.len()];
    for group in rule.required {
        let mut met = false;
        for (i, w) in words.iter().enumerate() {
            if has_stem(w, group) {
                explained[i] = true;
                met = true;
            }
        }
        if !met {
            return None;
        }
    }
    let mut optional = 0;
    for (i, w) in words.iter().enumerate() {
        if explained[i] {
            continue;
        }
        if has_stem(w, rule.optional) || has_stem(w, &HOW_MANY) {
            explained[i] = true;
            optional += 1;
        } else if STOP.contains(&w.as_str()) {
            explained[i] = true;
        }
    }
    explained
        .iter()
        .all(|e| *e)
        .then_some(2 * rule.required.len() + optional)
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
}
