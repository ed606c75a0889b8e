//! A heading → a canonical [`Field`]: the order config → word rules → dictionary
//! ([`lookup`]). The word rules (`vocabulary.rs`, `rules.rs`) read every heading made of
//! words; the dictionary here keeps only what they cannot express — headings made of
//! numbers (task scores «балл за 3», `a-3-grade`, mark counts «отметка 2», grades «5 класс»,
//! plan years «План 2026»), machine codes of known exports (`user`, `sum`, `otc`) and
//! headings shnor knows and ignores.
//!
//! Dictionary headings are compared after [`canon`]: `norm_text` (case, ё, NBSP, line
//! breaks), quotes removed, `Кол-во`/`Количество`/`Число` unified, trailing punctuation
//! dropped.

use super::fields::Field;
use super::vocabulary;
use crate::config::Config;
use crate::read::norm_text;
use std::cell::RefCell;
use std::collections::HashMap;

/// What a heading means to shnor.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Mapping {
    /// A canonical field.
    Field(Field),
    /// A per-task score column (`балл за 3`, `a-3-grade`, `3 (1б)`): proof of a participant
    /// file, not read one by one.
    Task,
    /// A known heading shnor does not need (пол, регион, %, успеваемость …).
    Known,
}

/// Heading normalised for dictionary lookup.
pub fn canon(heading: &str) -> String {
    let mut t = norm_text(heading);
    // Replaced only where present: `replace` builds a new string each time, and headings
    // are looked up for every cell of a table's first rows.
    for q in ['«', '»', '"', '“', '”', '„', '\''] {
        if t.contains(q) {
            t = t.replace(q, "");
        }
    }
    for (from, to) in [
        ("кол-во", "число"),
        ("количество", "число"),
        ("кол.", "число"),
        ("чел.", "чел"),
    ] {
        if t.contains(from) {
            t = t.replace(from, to);
        }
    }
    let t = t.trim_matches(|c: char| matches!(c, ' ' | ':' | '.' | '*' | ','));
    norm_text(t)
}

/// `canon` without a parenthesised remark: «Высокобалльники (80-99 баллов)» → «высокобалльники».
pub(super) fn without_parens(c: &str) -> Option<String> {
    let open = c.find('(')?;
    let close = c[open..].find(')').map(|i| open + i)?;
    let s = format!("{} {}", &c[..open], &c[close + 1..]);
    let s = norm_text(&s);
    (!s.is_empty() && s != c).then_some(s)
}

/// True for a sub-heading that means "the count" of its parent (`кол-во`, `чел.`, `абс.`).
pub fn is_count_word(c: &str) -> bool {
    matches!(
        c,
        "число"
            | "чел"
            | "человек"
            | "абс"
            | "абс."
            | "n"
            | "всего"
            | "число человек"
            | "обучающихся"
            | "учащихся"
            | "детей"
            | "число обучающихся"
    )
}

/// True for a sub-heading that counts something other than people (classes, groups):
/// «5 класс / Классов/групп» is not the number of fifth-graders.
pub fn is_other_count_word(c: &str) -> bool {
    matches!(
        c,
        "классов/групп"
            | "классов"
            | "групп"
            | "классы-комплекты"
            | "классов-комплектов"
            | "число классов"
    )
}

/// True for a heading that is a percentage or share (`%`, `доля`, `в %`).
pub fn is_percent_word(c: &str) -> bool {
    c == "%"
        || c.ends_with('%')
        || c.starts_with("доля")
        || c.starts_with("процент")
        || c.contains(", %")
        || c.contains("в %")
        || c.contains("(%)")
}

/// Looks a heading up in `cfg.columns` only (its value is a field key, or `ignore`).
pub fn lookup_config(heading: &str, cfg: &Config) -> Option<Mapping> {
    let n = norm_text(heading);
    for (h, key) in &cfg.columns {
        if norm_text(h) == n || canon(h) == canon(heading) {
            return match Field::from_key(key) {
                Some(f) => Some(Mapping::Field(f)),
                None => Some(Mapping::Known),
            };
        }
    }
    None
}

/// Looks a heading up: `cfg.columns` first (its value is a field key, or `ignore`), then
/// the word rules (`vocabulary.rs`, `rules.rs`), then the dictionary below for what word
/// rules cannot express: numbers in headings (task scores, mark counts, grades, plan
/// years), machine codes of known exports, and headings shnor knows and ignores.
pub fn lookup(heading: &str, cfg: &Config) -> Option<Mapping> {
    let n = norm_text(heading);
    if n.is_empty() {
        return None;
    }
    if let Some(m) = lookup_config(heading, cfg) {
        return Some(m);
    }
    let c = canon(heading);
    let quoted_digit = {
        let t = heading.trim();
        t.starts_with(['"', '«', '“', '\'']) && c.len() == 1
    };
    if quoted_digit && let Some(f) = mark_field(&c) {
        return Some(Mapping::Field(f));
    }
    lookup_builtin(heading)
}

thread_local! {
    /// [`lookup_builtin`] is pure and asked of the same few headings over and over (every
    /// cell of a table's first rows, in every file of a region): remembered per thread.
    static BUILTIN: RefCell<HashMap<String, Option<Mapping>>> = RefCell::new(HashMap::new());
}

/// The word rules, then the dictionary, on a heading (no config).
fn lookup_builtin(heading: &str) -> Option<Mapping> {
    if let Some(m) = BUILTIN.with(|memo| memo.borrow().get(heading).copied()) {
        return m;
    }
    let m = lookup_uncached(heading);
    BUILTIN.with(|memo| {
        let mut memo = memo.borrow_mut();
        // Bounded: a sheet of free text must not grow it without end.
        if memo.len() >= 1 << 14 {
            memo.clear();
        }
        memo.insert(heading.to_string(), m);
    });
    m
}

fn lookup_uncached(heading: &str) -> Option<Mapping> {
    let c = canon(heading);
    by_words(heading)
        .or_else(|| dictionary(&c))
        .or_else(|| without_parens(&c).and_then(|s| dictionary(&s)))
        .or_else(|| sub_group_part(&c))
}

/// The word rules: a field's rule, the heading without its remark in parentheses
/// («Сдавали предмет (чел., %)»), then a social-passport category.
pub(super) fn by_words(heading: &str) -> Option<Mapping> {
    vocabulary::field_of(heading)
        .or_else(|| without_parens(&canon(heading)).and_then(|s| vocabulary::field_of(&s)))
        .map(Mapping::Field)
        .or_else(|| vocabulary::category_of(heading).map(|c| Mapping::Field(Field::Category(c))))
}

/// «из них получили «2»», «в т. ч. не преодолели порог»: a heading that names a sub-group
/// is read without its marker, but never as the participant count or a total.
fn sub_group_part(c: &str) -> Option<Mapping> {
    let rest = ["из них ", "в т.ч. ", "в т. ч. ", "в т.ч ", "в том числе "]
        .iter()
        .find_map(|p| c.strip_prefix(p))?;
    let rest = rest.trim_start_matches([' ', ':', ',']);
    let m = match mark_field(rest) {
        Some(f) => Mapping::Field(f),
        None => lookup_builtin(rest)?,
    };
    match m {
        Mapping::Field(Field::N | Field::Total | Field::Students) => None,
        m => Some(m),
    }
}

fn mark_field(d: &str) -> Option<Field> {
    match d {
        "2" => Some(Field::N2),
        "3" => Some(Field::N3),
        "4" => Some(Field::N4),
        "5" => Some(Field::N5),
        _ => None,
    }
}

/// The dictionary: what the word rules cannot express, on a canonical heading. Machine
/// codes of known exports (Latin identifiers, not words), headings shnor knows and does not
/// need, and headings made of numbers (task scores, mark counts, grades, plan years).
/// Every other heading is read by its words (`rules.rs`).
pub(super) fn dictionary(c: &str) -> Option<Mapping> {
    use Field as F;
    let f = |x: Field| Some(Mapping::Field(x));
    let exact = match c {
        // ФИС ОКО 2020 raw codes
        "user" => f(F::SchoolId),
        "code" => f(F::ParticipantId),
        "klass" => f(F::Grade),
        "var-1" | "var" => f(F::Variant),
        "sum" => f(F::PrimaryScore),
        "otc" => f(F::PrevMark),
        // open data (Moscow directory and ЕГЭ): the administrative okrug (12, 77–170
        // schools each, as many as a regional municipality has), not the rayon (126, a
        // handful of schools each)
        "school_id" => f(F::SchoolId),
        "edu_name" | "name" => f(F::SchoolName),
        "okrug" => f(F::Municipality),
        // the region of a national registry (ФИС ОКО, ФРДО give it as «Регион»)
        "регион" | "субъект рф" | "субъект" | "субъект российской федерации" => f(F::Region),
        "vid_uchrezhdeniya" => f(F::Level),
        "telephone" => f(F::Phone),
        "ogrn" | "inn" => f(F::Aliases),
        "year" => f(F::Year),
        "passed_number_full" => f(F::N),
        // known, not needed
        "пол"
        | "gender"
        | "учебник"
        | "groups"
        | "id"
        | "номер обучающегося"
        | "средний процент"
        | "мин. балл"
        | "макс. балл"
        | "минимальный балл"
        | "максимальный балл"
        | "успеваемость"
        | "качество"
        | "%"
        | "№"
        | "№ п/п"
        | "п/п"
        | "получили 100 баллов"
        | "100 баллов"
        | "число выпускников"
        | "var-2"
        | "качество знаний"
        | "обученность"
        | "сош"
        | "примечание"
        // Moscow open data (school directory): the row's own id, address, site, e-mail, …
        | "global_id"
        | "rownum"
        | "adress"
        | "rayon"
        | "form_of_incorporation"
        | "submission"
        | "tip_uchrezhdeniya"
        | "web_site"
        | "e_mail" => Some(Mapping::Known),
        _ => None,
    };
    if exact.is_some() {
        return exact;
    }
    if c.starts_with("набрали не меньше")
        || c.starts_with("рейтинг")
        || c.starts_with("справляемость")
        || c.starts_with("дата рождения")
    {
        return Some(Mapping::Known);
    }
    if is_task(c) {
        return Some(Mapping::Task);
    }
    if let Some(x) = mark_count(c) {
        return f(x);
    }
    if let Some(g) = grade_count(c) {
        return f(F::GradeCount(g));
    }
    if let Some(y) = plan_year(c) {
        return f(F::Plan(y));
    }
    None
}

/// `балл за 3`, `a-3-grade`, `3 (1б)`, `задание 3`, `№3`.
fn is_task(c: &str) -> bool {
    let digits_then = |s: &str| {
        let d: String = s.chars().take_while(char::is_ascii_digit).collect();
        (!d.is_empty()).then(|| s[d.len()..].to_string())
    };
    if let Some(rest) = c
        .strip_prefix("балл за ")
        .or_else(|| c.strip_prefix("задание "))
        .or_else(|| c.strip_prefix("задание №"))
        .or_else(|| c.strip_prefix("№"))
    {
        return digits_then(rest.trim())
            .is_some_and(|r| r.is_empty() || r.starts_with(['.', ' ', '(']));
    }
    if let Some(rest) = c.strip_prefix("a-") {
        return rest.ends_with("-grade");
    }
    // `3 (1б)`: task number with its max score, ФИС ОКО 2022.
    if let Some(rest) = digits_then(c) {
        let r = rest.trim();
        return r.starts_with('(') && r.ends_with("б)");
    }
    false
}

/// `отметка 2`, `отметка "2"`, `число 2`, `оценка «5»`, `получили 3`, `2 (кол-во)`.
fn mark_count(c: &str) -> Option<Field> {
    if let Some(rest) = c.strip_prefix("число ")
        && rest.chars().count() == 1
    {
        return mark_field(rest);
    }
    let c = c.replace("число ", "");
    for prefix in [
        "отметка ",
        "отметки ",
        "оценка ",
        "оценки ",
        "получили ",
        "получившие ",
        "на ",
        "число отметок ",
        "отметок ",
    ] {
        if let Some(rest) = c.strip_prefix(prefix) {
            let rest = rest.trim();
            let d = rest.chars().next()?;
            let tail = rest[d.len_utf8()..].trim();
            if tail.is_empty() || is_count_word(tail.trim_matches(['(', ')', ','].as_ref()).trim())
            {
                return mark_field(&d.to_string());
            }
            return None;
        }
    }
    None
}

/// `5 класс`, `5 кл.`, `5-й класс`, `5-е классы`, `обучающихся 5 классов`, `число обучающихся
/// в 5 классе`.
fn grade_count(c: &str) -> Option<u8> {
    let words: Vec<&str> = c.split(' ').collect();
    for (i, w) in words.iter().enumerate() {
        let num: String = w.chars().take_while(char::is_ascii_digit).collect();
        if num.is_empty() {
            continue;
        }
        let suffix = &w[num.len()..];
        if !matches!(
            suffix,
            "" | "-й" | "-е" | "-х" | "-ые" | "-ых" | "-м" | "кл" | "кл."
        ) {
            continue;
        }
        let next = if suffix.starts_with("кл") {
            "кл"
        } else {
            words.get(i + 1).copied().unwrap_or("")
        };
        if next.starts_with("класс") || next.starts_with("кл") {
            let g: u8 = num.parse().ok()?;
            // «5 класс / Классов/групп» counts classes, not students.
            let counts_classes = c.contains("групп")
                || c.contains("комплект")
                || (c.contains("классов")
                    && !["обуча", "учащ", "дет"].iter().any(|w| c.contains(w)));
            if (1..=12).contains(&g)
                && !c.contains("отметк")
                && !c.contains("балл")
                && !counts_classes
            {
                return Some(g);
            }
        }
    }
    None
}

/// `план 2026`, `2026 год`, `значение на 2026`, `2026`, `план на 2026 г`.
fn plan_year(c: &str) -> Option<i32> {
    let words: Vec<&str> = c.split(' ').collect();
    let year_pos = words
        .iter()
        .position(|w| w.len() == 4 && w.chars().all(|ch| ch.is_ascii_digit()))?;
    let y: i32 = words[year_pos].parse().ok()?;
    if !(2000..=2100).contains(&y) {
        return None;
    }
    let others: Vec<&str> = words
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != year_pos)
        .map(|(_, w)| *w)
        .collect();
    let allowed = [
        "план",
        "плановое",
        "значение",
        "на",
        "год",
        "г",
        "г.",
        "целевое",
        "годы",
    ];
    others.iter().all(|w| allowed.contains(w)).then_some(y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Category;

    fn map(h: &str) -> Option<Field> {
        match lookup(h, &Config::default()) {
            Some(Mapping::Field(f)) => Some(f),
            _ => None,
        }
    }

    #[test]
    fn own_headings_map_to_themselves() {
        for f in [
            Field::SchoolId,
            Field::N2,
            Field::NHigh,
            Field::GradeCount(9),
            Field::Plan(2026),
            Field::Category(Category::Migrants),
            Field::Category(Category::PdnKdn),
            Field::ProgramSchools,
        ] {
            assert_eq!(map(&f.heading()), Some(f), "{}", f.heading());
        }
    }

    #[test]
    fn fis_oko_2021_participants() {
        let h = [
            ("логин школы", Some(Field::SchoolId)),
            ("номер обучающегося", None),
            ("код обучающегося", Some(Field::ParticipantId)),
            (
                "отметка за предыдущую\nчетверть/триместр",
                Some(Field::PrevMark),
            ),
            ("класс", Some(Field::Grade)),
            ("вариант", Some(Field::Variant)),
            ("всего баллов", Some(Field::PrimaryScore)),
        ];
        for (heading, want) in h {
            assert_eq!(map(heading), want, "{heading}");
        }
        assert_eq!(
            lookup("балл за 12", &Config::default()),
            Some(Mapping::Task)
        );
        assert_eq!(lookup("пол", &Config::default()), Some(Mapping::Known));
        assert_eq!(lookup("Учебник", &Config::default()), Some(Mapping::Known));
    }

    #[test]
    fn fis_oko_2020_raw_codes() {
        assert_eq!(map("user"), Some(Field::SchoolId));
        assert_eq!(map("sum"), Some(Field::PrimaryScore));
        assert_eq!(map("klass"), Some(Field::Grade));
        assert_eq!(map("otc"), Some(Field::PrevMark));
        assert_eq!(map("code"), Some(Field::ParticipantId));
        assert_eq!(lookup("a-7-grade", &Config::default()), Some(Mapping::Task));
        assert_eq!(lookup("7 (2б)", &Config::default()), Some(Mapping::Task));
    }

    #[test]
    fn rcoi_oge_and_ege_aggregates() {
        let h = [
            ("Код МОУО/ОО", Field::SchoolId),
            ("Наименование МОУО/ОО", Field::SchoolName),
            ("Кол-во участников", Field::N),
            ("Средний балл", Field::MeanScore),
            ("Средняя отметка", Field::MeanMark),
            ("отметка \"2\"", Field::N2),
            ("отметка «3»", Field::N3),
            ("Отметка 4", Field::N4),
            ("\"5\"", Field::N5),
            ("Получившие  \"2\"", Field::N2),
            ("Количество \"5\"", Field::N5),
            ("Сдавали предмет", Field::N),
            ("Сдавали предмет (чел., %)", Field::N),
            ("Не набрали минимум", Field::NFail),
            ("приняло участие", Field::N),
            ("не преодолен min порог", Field::NFail),
            ("высокобалльники (80-99 баллов)", Field::NHigh),
            ("средний\u{a0}балл", Field::MeanScore),
        ];
        for (heading, want) in h {
            assert_eq!(map(heading), Some(want), "{heading}");
        }
        assert_eq!(
            lookup("успеваемость", &Config::default()),
            Some(Mapping::Known)
        );
        assert_eq!(map("Мин. балл"), None);
    }

    #[test]
    fn registry_passport_contingent_targets() {
        let h = [
            ("Название школы", Field::SchoolName),
            ("ОО", Field::SchoolName),
            ("ИНН", Field::Aliases),
            ("Логин", Field::SchoolId),
            ("Муниципальный район", Field::Municipality),
            ("Местность", Field::Settlement),
            ("Вид ОО", Field::Level),
            ("ФИО участника", Field::ParticipantId),
            ("Результат", Field::Status),
            ("5 класс", Field::GradeCount(5)),
            ("10 кл.", Field::GradeCount(10)),
            ("9-й класс", Field::GradeCount(9)),
            ("Обучающихся 11 классов", Field::GradeCount(11)),
            ("1 класс\nОбучающихся", Field::GradeCount(1)),
            ("имя", Field::SchoolName),
            ("План 2026", Field::Plan(2026)),
            ("2027 год", Field::Plan(2027)),
            ("Значение на 2028", Field::Plan(2028)),
            ("Малоимущие семьи", Field::Category(Category::LowIncome)),
            (
                "Неполные семьи, чел.",
                Field::Category(Category::SingleParent),
            ),
            ("Дети с ОВЗ", Field::Category(Category::Ovz)),
            ("Состоят на учёте в ПДН", Field::Category(Category::PdnKdn)),
            ("Семьи в СОП", Field::Category(Category::Sop)),
            (
                "Оба родителя имеют высшее образование",
                Field::Category(Category::BothParentsHigherEd),
            ),
            (
                "Один из родителей с высшим образованием",
                Field::Category(Category::ParentHigherEd),
            ),
            (
                "Русский язык не родной",
                Field::Category(Category::Migrants),
            ),
        ];
        for (heading, want) in h {
            assert_eq!(map(heading), Some(want), "{heading}");
        }
        assert_eq!(map("Класс"), Some(Field::Grade));
        assert_eq!(map("1 класс\nКлассов/групп"), None);
    }

    #[test]
    fn config_columns_override_dictionary() {
        let mut cfg = Config::default();
        cfg.columns.insert("Шифр".into(), "school_id".into());
        cfg.columns.insert("Класс".into(), "ignore".into());
        assert_eq!(lookup("ШИФР", &cfg), Some(Mapping::Field(Field::SchoolId)));
        assert_eq!(lookup("класс", &cfg), Some(Mapping::Known));
    }
}
