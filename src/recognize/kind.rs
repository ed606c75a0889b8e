//! What kind of input a table is, from the set of fields its header maps to.

use super::Field;
use crate::model::InputKind;

/// Decides the kind from the fields found (`tasks`: the header has per-task score columns).
/// `None` when the fields do not add up to any known input.
/// `unmapped`: how many headings mapped to nothing (a school list with many unknown
/// columns is more likely a report shnor does not know than a registry).
pub fn detect(fields: &[Field], tasks: bool, unmapped: usize) -> Option<InputKind> {
    let has = |f: Field| fields.contains(&f);
    let any = |fs: &[Field]| fs.iter().any(|f| fields.contains(f));
    let school = any(&[Field::SchoolId, Field::SchoolName]);
    let categories = fields.iter().any(|f| matches!(f, Field::Category(_)));
    let grade_counts = fields.iter().any(|f| matches!(f, Field::GradeCount(_)));
    let scores = any(&[Field::PrimaryScore, Field::TestScore, Field::Mark]);
    let aggregates = fields.iter().any(|f| f.is_aggregate());
    if has(Field::TargetName) && any(&[Field::Base, Field::Actual, Field::TargetKey])
        || has(Field::TargetName) && fields.iter().any(|f| matches!(f, Field::Plan(_)))
    {
        return Some(InputKind::Targets);
    }
    if categories && school {
        return Some(InputKind::Passport);
    }
    if any(&[Field::Status, Field::Stage]) && (has(Field::ParticipantId) || has(Field::Score)) {
        return Some(InputKind::Olympiad);
    }
    if tasks || (scores && has(Field::ParticipantId)) {
        return Some(InputKind::Participants);
    }
    if aggregates && school {
        return Some(InputKind::Aggregates);
    }
    if school && (grade_counts || (has(Field::Grade) && has(Field::Students))) {
        return Some(InputKind::Contingent);
    }
    if scores && school {
        return Some(InputKind::Participants);
    }
    // A wrong registry would send every result to «not found»: ask for more than an id.
    let registry_fields = any(&[
        Field::Municipality,
        Field::Settlement,
        Field::Level,
        Field::Students,
        Field::Cluster,
        Field::Aliases,
        Field::Coordinator,
        Field::Phone,
    ]);
    if has(Field::SchoolId) && (registry_fields || (has(Field::SchoolName) && unmapped <= 2)) {
        return Some(InputKind::Registry);
    }
    None
}

/// Rule «Вид по строению» (docs/recognition.md, «Вид таблицы»): a table the headings call a
/// registry (or a contingent) is checked against its rows. `Some(reason)` (Russian) when its
/// structure says it is something else; the sheet is then left unrecognised with that reason.
///
/// - `К1 один год`: a year column — a long table by year (contingent, passport), never a
///   registry.
/// - `К2 одна строка — одна школа`: a registry has one row per school; when most codes
///   repeat, the rows are years, classes or participants, not schools. One repeated row is a
///   mistake in a registry (rejected later as a repeat), not another kind.
/// - `К3 списки классов и участников`: a class letter («Литера»), a pupil («ФИО», «Фамилия»,
///   «Номер обучающегося») or a grade column in a registry — a list of classes or
///   participants. A class letter in a contingent makes it a class list too: the contingent
///   is by grade (one row per school and grade, or grade columns).
pub fn structure(
    kind: InputKind,
    fields: &[Field],
    headings: &[String],
    codes: &[String],
) -> Option<String> {
    if !matches!(kind, InputKind::Registry | InputKind::Contingent) {
        return None;
    }
    // «Литера», «Буква класса», «Буква»; not «Литература».
    let letter = headings.iter().find(|h| {
        let c = super::synonyms::canon(h);
        let words: Vec<&str> = c.split(|ch: char| !ch.is_alphanumeric()).collect();
        words
            .iter()
            .any(|w| ["литера", "литеры", "литер"].contains(w))
            || words.iter().any(|w| w.starts_with("букв"))
                && (c.contains("класс") || words.iter().filter(|w| !w.is_empty()).count() == 1)
    });
    if let Some(h) = letter.map(|h| h.trim()) {
        return Some(format!(
            "это список классов (столбец «{h}» — буква класса): ни реестр школ, ни контингент \
             по параллелям. Численность по классам shnor берёт из контингента (строка на школу \
             и параллель или столбцы «1 класс»…«11 класс»), поэтому лист не учитывается"
        ));
    }
    if kind != InputKind::Registry {
        return None;
    }
    if fields.contains(&Field::Year) {
        return Some(
            "это таблица по годам (есть столбец «Год»), а в реестре школ у каждой школы одна \
             строка: лист не учитывается как реестр. Если это контингент или паспорт по годам, \
             укажите вид в shnor.toml ([[files]] pattern = \"…\" kind = \"contingent\")"
                .into(),
        );
    }
    // A bare «ФИО» / «Фамилия» is a pupil; «ФИО директора» in a registry is not.
    let pupil = headings
        .iter()
        .find(|h| {
            let c = super::synonyms::canon(h);
            let words: Vec<&str> = c.split(|ch: char| !ch.is_alphanumeric()).collect();
            let bare = words
                .iter()
                .all(|w| w.is_empty() || ["фио", "фамилия", "имя", "отчество"].contains(w));
            let person = words
                .iter()
                .any(|w| w.starts_with("фио") || w.starts_with("фамил"));
            let pupil = ["обучающ", "участник", "ученик"]
                .iter()
                .any(|s| c.contains(s));
            person && bare || pupil && (person || c.contains("номер") || c.contains("код"))
        })
        .map(|h| h.trim().to_string());
    if let Some(h) = pupil.or_else(|| {
        fields
            .contains(&Field::ParticipantId)
            .then(|| "номер участника".to_string())
    }) {
        return Some(format!(
            "это список участников (столбец «{h}»), а не реестр школ: лист не учитывается"
        ));
    }
    if fields.contains(&Field::Grade) {
        return Some(
            "это список классов (есть столбец «Класс»), а не реестр школ: лист не учитывается"
                .into(),
        );
    }
    let (repeated, distinct) = repeated_codes(codes);
    if repeated >= 2 && repeated * 2 > distinct {
        return Some(format!(
            "коды школ повторяются ({repeated} из {distinct} кодов встречаются в нескольких \
             строках): это таблица по годам, классам или участникам, а в реестре у каждой \
             школы одна строка — лист не учитывается как реестр"
        ));
    }
    None
}

/// (codes met more than once, distinct codes); codes compared without leading zeros.
fn repeated_codes(codes: &[String]) -> (usize, usize) {
    let mut seen: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for c in codes {
        let t = c.trim();
        let k = if t.chars().all(|c| c.is_ascii_digit()) {
            t.trim_start_matches('0').to_string()
        } else {
            t.to_lowercase()
        };
        *seen.entry(k).or_default() += 1;
    }
    (seen.values().filter(|&&n| n > 1).count(), seen.len())
}

/// The shape of an id of another system, from its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdShape {
    /// ФИС ОКО login: `sch` / `edu` and digits.
    Login,
    /// ОГРН: 13 digits.
    Ogrn,
    /// ИНН of an organisation: 10 digits.
    Inn,
    /// Digits of another length (a РЦОИ code).
    Digits,
    /// Letters and digits without spaces.
    Code,
}

impl IdShape {
    pub fn of(value: &str) -> Option<IdShape> {
        let t = value.trim();
        let lower = t.to_lowercase();
        let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
        if ["sch", "edu"]
            .iter()
            .any(|p| lower.strip_prefix(p).is_some_and(digits))
        {
            return Some(IdShape::Login);
        }
        if digits(t) {
            return Some(match t.len() {
                13 => IdShape::Ogrn,
                10 => IdShape::Inn,
                _ => IdShape::Digits,
            });
        }
        let code = !t.is_empty()
            && t.chars().count() <= 24
            && t.chars().all(|c| c.is_alphanumeric() || "-_/.".contains(c))
            && t.chars().any(|c| c.is_ascii_digit());
        code.then_some(IdShape::Code)
    }

    /// In Russian, for `inspect`.
    pub fn label(self) -> &'static str {
        match self {
            IdShape::Login => "логины ФИС ОКО",
            IdShape::Ogrn => "ОГРН",
            IdShape::Inn => "ИНН",
            IdShape::Digits | IdShape::Code => "коды",
        }
    }

    /// Strong shapes name a system by themselves; the others need a heading.
    fn strong(self) -> bool {
        matches!(self, IdShape::Login | IdShape::Ogrn | IdShape::Inn)
    }
}

/// Stems of headings naming a code or login of another system.
/// «РИС», «ГИА», «ЕГЭ», «ОГЭ» name the systems of the exams («Код ОУ в РИС ГИА»); a bare
/// «Код ОО» is the school's own code, never another system's. The values still have to
/// confirm it ([`other_system_id`]).
const OTHER_SYSTEM: [&str; 12] = [
    "фис",
    "око",
    "рцои",
    "огрн",
    "инн",
    "егрюл",
    "логин",
    "рис",
    "гиа",
    "егэ",
    "огэ",
    "идентификатор",
];

/// `None` when the heading names a pupil or participant (their codes are not the school's);
/// else whether it names another system's code or login.
pub(super) fn names_other_system(heading: &str) -> Option<bool> {
    let c = super::synonyms::canon(heading);
    let person = ["обучающ", "участник", "ученик", "фио"]
        .iter()
        .any(|s| c.contains(s));
    if person {
        return None;
    }
    Some(
        c.split(|ch: char| !ch.is_alphanumeric())
            .any(|w| OTHER_SYSTEM.iter().any(|s| w.starts_with(s))),
    )
}

/// Rule «К6. Кластер — общие метки»: a registry column read as the cluster must hold labels
/// shared by schools — two or more filled cells and at most half as many distinct labels as
/// filled cells («Город», «Село» over eight schools). A column with a label of its own for
/// most schools would make each school its own cluster (compared with itself, every ОИП
/// 21): `Some(note)` (Russian) says so, and the column is not used.
pub fn not_a_cluster(heading: &str, values: &[String]) -> Option<String> {
    let filled: Vec<String> = values
        .iter()
        .map(|v| crate::read::norm_text(v))
        .filter(|v| !v.is_empty())
        .collect();
    let mut distinct = filled.clone();
    distinct.sort();
    distinct.dedup();
    (filled.len() < 2 || distinct.len() * 2 > filled.len()).then(|| {
        format!(
            "столбец «{}» не взят как кластер: в нём {} разных значений на {} школ, а кластер \
             — группа школ с общей меткой; кластеры строятся по методике. Если это всё же \
             кластер, укажите в shnor.toml: [columns] \"{}\" = \"cluster\"",
            heading.trim(),
            distinct.len(),
            filled.len(),
            heading.trim()
        )
    })
}

/// Rule «Коды других систем» between two columns that both read as «Код ОО»: the one whose
/// heading names another system («Код РЦОИ», «Логин ФИС ОКО») loses to the plain code
/// («Код ОО») whatever the column order, and is then read as an alias in a registry.
/// `Some((new_wins, why))` when exactly one of the two names another system.
pub fn other_system_loses(field: Field, old: &str, new: &str) -> Option<(bool, String)> {
    if field != Field::SchoolId {
        return None;
    }
    let other = |h: &str| names_other_system(h) == Some(true);
    (other(old) != other(new)).then(|| {
        let loser = if other(old) { old } else { new };
        (
            other(old),
            format!("«{}» — код в другой системе", loser.trim()),
        )
    })
}

/// A cheap first look before [`other_system_id`] reads the whole column: the heading names
/// another system, or the first filled value has a strong shape.
pub fn may_be_other_id(heading: &str, first: Option<&str>) -> bool {
    match names_other_system(heading) {
        None => false,
        Some(true) => true,
        Some(false) => first.and_then(IdShape::of).is_some_and(IdShape::strong),
    }
}

/// Rule «Коды других систем» (docs/recognition.md): a column of a registry that holds the
/// school's id in another system becomes an alias column whatever its heading. Its heading
/// names another system («Логин ФИС ОКО», «Код РЦОИ», «ОГРН», «ИНН», «ЕГРЮЛ»), or its values
/// all look like ФИС ОКО logins, ОГРН or ИНН; either way the values must confirm it: every
/// filled cell one shape, at least two, all distinct. `Some(shape)` when confirmed.
pub fn other_system_id(heading: &str, values: &[String]) -> Option<IdShape> {
    let named = names_other_system(heading)?;
    let filled: Vec<&str> = values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect();
    if filled.len() < 2 {
        return None;
    }
    let shape = IdShape::of(filled[0])?;
    if !filled.iter().all(|v| IdShape::of(v) == Some(shape)) {
        return None;
    }
    let mut distinct: Vec<String> = filled.iter().map(|v| v.to_lowercase()).collect();
    distinct.sort();
    distinct.dedup();
    if distinct.len() != filled.len() {
        return None;
    }
    // 1, 2, 3 … in row order is a running number («№ п/п»), not anybody's code.
    let running = filled
        .iter()
        .enumerate()
        .all(|(i, v)| v.parse::<usize>().ok() == Some(i + 1));
    if running {
        return None;
    }
    (named || shape.strong()).then_some(shape)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Category;

    #[test]
    fn a_cluster_is_a_label_shared_by_schools() {
        let v = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        // The headings: the group / cluster words and nothing unexplained.
        let cfg = crate::config::Config::default();
        for h in [
            "Группа (кластер)",
            "Кластерная группа",
            "Кластер",
            "Группа ОО",
            "Группа школ",
        ] {
            let m = super::super::synonyms::lookup(h, &cfg);
            assert_eq!(m, Some(super::super::Mapping::Field(Field::Cluster)), "{h}");
        }
        for h in ["Группа здоровья", "Номер группы", "Код группы"]
        {
            let m = super::super::synonyms::lookup(h, &cfg);
            assert_ne!(m, Some(super::super::Mapping::Field(Field::Cluster)), "{h}");
        }
        // Two labels over four schools (2 × 2 ≤ 4), case and spaces aside: a cluster.
        assert_eq!(
            not_a_cluster("Группа (кластер)", &v(&["Город", "город ", "Село", "Село"])),
            None
        );
        // Three labels over four schools (3 × 2 > 4), one school only, or nothing: not.
        assert!(not_a_cluster("Группа", &v(&["1", "2", "3", "3"])).is_some());
        assert!(not_a_cluster("Группа", &v(&["Город", "", ""])).is_some());
        let why = not_a_cluster("Группа", &v(&["А", "Б", "В"])).unwrap();
        assert!(why.contains("3 разных значений на 3 школ"), "{why}");
    }

    #[test]
    fn a_code_of_another_system_loses_to_the_school_code() {
        // «Код РЦОИ» first, «Код ОО» second: the second is the school code.
        let got = other_system_loses(Field::SchoolId, "Код РЦОИ", "Код ОО");
        assert_eq!(got.map(|g| g.0), Some(true));
        let got = other_system_loses(Field::SchoolId, "Код ОО", "Логин ФИС ОКО");
        assert_eq!(got.map(|g| g.0), Some(false));
        // Both plain, both of other systems, or another field: the values decide.
        assert_eq!(
            other_system_loses(Field::SchoolId, "Код ОО", "Код ОУ"),
            None
        );
        assert_eq!(other_system_loses(Field::SchoolId, "ОГРН", "ИНН"), None);
        assert_eq!(other_system_loses(Field::N, "Код РЦОИ", "Код ОО"), None);
    }

    #[test]
    fn kinds() {
        use Field as F;
        assert_eq!(
            detect(&[F::SchoolId, F::ParticipantId, F::PrimaryScore], true, 0),
            Some(InputKind::Participants)
        );
        assert_eq!(
            detect(&[F::SchoolId, F::Grade, F::PrimaryScore], true, 0),
            Some(InputKind::Participants)
        );
        assert_eq!(
            detect(&[F::SchoolId, F::SchoolName, F::N, F::N2, F::N3], false, 0),
            Some(InputKind::Aggregates)
        );
        assert_eq!(
            detect(&[F::SchoolId, F::N, F::MeanScore, F::NFail], false, 0),
            Some(InputKind::Aggregates)
        );
        assert_eq!(
            detect(
                &[F::SchoolId, F::ParticipantId, F::Status, F::Subject],
                false,
                0
            ),
            Some(InputKind::Olympiad)
        );
        assert_eq!(
            detect(&[F::SchoolId, F::GradeCount(1), F::GradeCount(2)], false, 0),
            Some(InputKind::Contingent)
        );
        assert_eq!(
            detect(&[F::SchoolId, F::Grade, F::Students], false, 0),
            Some(InputKind::Contingent)
        );
        assert_eq!(
            detect(
                &[F::SchoolId, F::Total, F::Category(Category::Ovz)],
                false,
                0
            ),
            Some(InputKind::Passport)
        );
        assert_eq!(
            detect(&[F::TargetName, F::Base, F::Plan(2026)], false, 0),
            Some(InputKind::Targets)
        );
        assert_eq!(
            detect(
                &[F::SchoolId, F::SchoolName, F::Municipality, F::Students],
                false,
                0
            ),
            Some(InputKind::Registry)
        );
        assert_eq!(detect(&[F::Subject, F::Year], false, 0), None);
    }

    fn strings(xs: &[&str]) -> Vec<String> {
        xs.iter().map(|s| s.to_string()).collect()
    }

    const REG: InputKind = InputKind::Registry;

    #[test]
    fn a_registry_has_one_row_per_school() {
        use Field as F;
        let f = [F::SchoolId, F::SchoolName, F::Municipality];
        let h = strings(&["Код ОО", "Наименование ОО", "Муниципалитет"]);
        // Four schools, one row each.
        assert_eq!(
            structure(REG, &f, &h, &strings(&["1", "2", "3", "4"])),
            None
        );
        // One repeated row (0002 = 2) is a mistake in a registry, not another kind.
        assert_eq!(
            structure(REG, &f, &h, &strings(&["1", "2", "3", "0002"])),
            None
        );
        // Three schools, two rows each: a long table.
        let m = structure(REG, &f, &h, &strings(&["1", "1", "2", "2", "3", "3"])).unwrap();
        assert!(m.contains("3 из 3 кодов"), "{m}");
    }

    #[test]
    fn a_year_column_is_never_a_registry() {
        use Field as F;
        let f = [F::SchoolId, F::Municipality, F::Year];
        let h = strings(&["Код ОО", "Муниципалитет", "Год"]);
        let m = structure(REG, &f, &h, &strings(&["1", "2"])).unwrap();
        assert!(m.contains("«Год»"), "{m}");
    }

    #[test]
    fn lists_of_classes_and_participants_are_not_registries() {
        use Field as F;
        // «Код ОО; Класс; Литера; Количество обучающихся» reads as a contingent by its fields.
        let f = [F::SchoolId, F::Grade, F::Students];
        let h = strings(&["Код ОО", "Класс", "Литера", "Количество обучающихся"]);
        let m = structure(InputKind::Contingent, &f, &h, &strings(&["1", "1"])).unwrap();
        assert!(
            m.contains("список классов") && m.contains("«Литера»"),
            "{m}"
        );
        let h = strings(&["Код ОО", "Класс", "Буква класса", "Обучающихся"]);
        assert!(structure(InputKind::Contingent, &f, &h, &strings(&["1"])).is_some());
        // «Литература» is a subject, not a class letter.
        let h = strings(&["Код ОО", "Класс", "Учителей литературы", "Обучающихся"]);
        assert_eq!(
            structure(InputKind::Contingent, &f, &h, &strings(&["1"])),
            None
        );
        // A contingent by grade (one row per school and grade) stays a contingent.
        let h2 = strings(&["Код ОО", "Класс", "Количество обучающихся"]);
        assert_eq!(
            structure(InputKind::Contingent, &f, &h2, &strings(&["1", "1"])),
            None
        );
        let f = [F::SchoolId, F::SchoolName];
        let h = strings(&["Код ОО", "Наименование ОО", "ФИО"]);
        let m = structure(REG, &f, &h, &strings(&["1", "2"])).unwrap();
        assert!(
            m.contains("список участников") && m.contains("«ФИО»"),
            "{m}"
        );
        let h = strings(&["Код ОО", "Наименование ОО", "Номер обучающегося"]);
        let m = structure(REG, &f, &h, &strings(&["1", "2"])).unwrap();
        assert!(m.contains("«Номер обучающегося»"), "{m}");
        // A registry names its director or coordinator: that is not a pupil.
        let h = strings(&[
            "Код ОО",
            "Наименование ОО",
            "ФИО координатора",
            "ФИО директора",
        ]);
        assert_eq!(structure(REG, &f, &h, &strings(&["1", "2"])), None);
        let f = [F::SchoolId, F::SchoolName, F::Grade];
        let h = strings(&["Код ОО", "Наименование ОО", "Класс"]);
        let m = structure(REG, &f, &h, &strings(&["1", "2"])).unwrap();
        assert!(m.contains("список классов"), "{m}");
        // Other kinds are not judged here: a protocol has ФИО and grades by nature.
        assert_eq!(
            structure(InputKind::Olympiad, &f, &h, &strings(&["1", "1"])),
            None
        );
    }

    #[test]
    fn ids_of_other_systems_by_heading_or_values() {
        let v = |xs: &[&str]| strings(xs);
        // Heading names ФИС ОКО; values are logins, distinct.
        assert_eq!(
            other_system_id("Логин ФИС ОКО", &v(&["sch220101", "sch220102", ""])),
            Some(IdShape::Login)
        );
        // No heading needed for strong shapes: ОГРН (13 digits), ИНН (10 digits).
        assert_eq!(
            other_system_id("Столбец 7", &v(&["1022200000001", "1022200000002"])),
            Some(IdShape::Ogrn)
        );
        assert_eq!(
            other_system_id("реквизит", &v(&["2201000001", "2201000002"])),
            Some(IdShape::Inn)
        );
        // A РЦОИ code is digits of any length: its heading must say so.
        assert_eq!(
            other_system_id("Код ОО в РЦОИ", &v(&["1001", "1002"])),
            Some(IdShape::Digits)
        );
        assert_eq!(other_system_id("Примечание", &v(&["1001", "1002"])), None);
        // Confirmed by values, not by heading alone: repeated, mixed or words are refused.
        assert_eq!(
            other_system_id("Логин ФИС ОКО", &v(&["sch220101", "sch220101"])),
            None
        );
        assert_eq!(
            other_system_id("ИНН", &v(&["2201000001", "1022200000002"])),
            None
        );
        assert_eq!(other_system_id("ОГРН", &v(&["нет", "нет данных"])), None);
        assert_eq!(other_system_id("ИНН", &v(&["2201000001"])), None);
        // A pupil's code is not the school's.
        assert_eq!(
            other_system_id("Код обучающегося", &v(&["sch1", "sch2"])),
            None
        );
        // The exams' system (РИС ГИА) names the school by a code of its own.
        assert_eq!(
            other_system_id("Код ОУ в РИС ГИА", &v(&["11001", "11002", "11003"])),
            Some(IdShape::Digits)
        );
        // A running number is nobody's code, whatever the heading.
        assert_eq!(
            other_system_id("Код ОО в РИС ГИА", &v(&["1", "2", "3"])),
            None
        );
    }
}
