//! School keys: the registry id, its aliases (`Другие коды ОО`), zero padding (`000378` =
//! `378`) and ФИС ОКО logins (`sch220123` / `edu220123` = `220123`) all lead to one school.
//! Files with no codes at all are keyed by the school name within its municipality
//! («Район А / МБОУ «СОШ № 1»»): names are compared normalised (quotes, №, case, NBSP,
//! МБОУ/МКОУ and the long legal forms dropped); a name that fits several registry schools is
//! ambiguous and never guessed.

use crate::model::{Origin, School};
use crate::read::norm_text;
use crate::recognize::IdShape;
use std::collections::BTreeMap;

/// A code with leading zeros removed, for matching `000378` with `378`.
pub(super) fn code_key(code: &str) -> String {
    let t = code.trim();
    if t.chars().all(|c| c.is_ascii_digit()) {
        let z = t.trim_start_matches('0');
        if z.is_empty() { "0".into() } else { z.into() }
    } else {
        norm_text(t)
    }
}

/// Forms under which a key may be written elsewhere.
fn forms(key: &str) -> Vec<String> {
    let k = code_key(key);
    let mut out = vec![k.clone()];
    for prefix in ["sch", "edu"] {
        if let Some(rest) = k.strip_prefix(prefix)
            && !rest.is_empty()
            && rest.chars().all(|c| c.is_ascii_digit())
        {
            out.push(code_key(rest));
        }
    }
    out
}

/// Legal-form prefixes dropped from school names before comparing them.
const FORMS: [&str; 16] = [
    "муниципальное бюджетное общеобразовательное учреждение",
    "муниципальное казенное общеобразовательное учреждение",
    "муниципальное автономное общеобразовательное учреждение",
    "муниципальное общеобразовательное учреждение",
    "государственное бюджетное общеобразовательное учреждение",
    "государственное общеобразовательное учреждение",
    "частное общеобразовательное учреждение",
    "негосударственное общеобразовательное учреждение",
    "мбоу",
    "мкоу",
    "маоу",
    "моу",
    "гбоу",
    "гоу",
    "чоу",
    "ноу",
];

/// A school name as compared: lower case, ё → е, quotes and punctuation dropped, «№ 5» →
/// «№5», legal-form prefixes dropped.
pub fn norm_school_name(name: &str) -> String {
    let t = norm_text(name);
    let t: String = t
        .chars()
        .map(|c| match c {
            '«' | '»' | '"' | '“' | '”' | '„' | '\'' | '`' => ' ',
            c if c.is_alphanumeric() || c == '№' || c == ' ' || c == '-' => c,
            _ => ' ',
        })
        .collect();
    let mut t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    t = t.replace("№ ", "№");
    loop {
        let before = t.len();
        for f in FORMS {
            if let Some(rest) = t.strip_prefix(f)
                && (rest.is_empty() || rest.starts_with(' '))
            {
                t = rest.trim_start().to_string();
            }
        }
        if t.len() == before {
            break;
        }
    }
    t
}

/// The key of a school written by name: «municipality / name» (the separator is what
/// [`name_parts`] splits on).
pub fn name_key(municipality: Option<&str>, name: &str) -> String {
    match municipality.map(str::trim).filter(|m| !m.is_empty()) {
        Some(m) => format!("{m} / {}", name.trim()),
        None => name.trim().to_string(),
    }
}

/// True when a key is a name rather than a code (Cyrillic letters or spaces in it).
pub fn is_name_key(key: &str) -> bool {
    key.chars()
        .any(|c| c.is_whitespace() || ('а'..='я').contains(&c.to_lowercase().next().unwrap_or(c)))
}

/// (normalised municipality, normalised name) of a name key.
fn name_parts(key: &str) -> (String, String) {
    match key.split_once(" / ") {
        Some((m, n)) => (norm_text(m), norm_school_name(n)),
        None => (String::new(), norm_school_name(key)),
    }
}

/// Key → registry id.
#[derive(Debug, Default)]
pub struct Index {
    map: BTreeMap<String, String>,
    /// Normalised name → ids: by (municipality, name) and by name alone.
    names: BTreeMap<(String, String), Vec<String>>,
}

/// How a name key matched the registry.
#[derive(Clone, Debug, PartialEq)]
pub enum NameMatch<'a> {
    One(&'a str),
    /// Several registry schools have this name (in this municipality): never guessed.
    Ambiguous(&'a [String]),
    None,
}

impl Index {
    /// Builds the index; duplicate ids are an error naming both rows.
    ///
    /// # Errors
    /// A Russian message naming both rows with the same id.
    pub fn build(schools: &[School], origins: &[Origin]) -> anyhow::Result<Index> {
        let mut ids: BTreeMap<String, usize> = BTreeMap::new();
        for (i, s) in schools.iter().enumerate() {
            if let Some(&j) = ids.get(&code_key(&s.id)) {
                anyhow::bail!(
                    "в реестре школ код ОО «{}» повторяется: {} и {}. Оставьте одну строку \
                     (у каждой школы свой код), иначе результаты нельзя отнести к школе",
                    s.id,
                    origins[j],
                    origins[i]
                );
            }
            ids.insert(code_key(&s.id), i);
        }
        let mut map = BTreeMap::new();
        // Ids first so an alias never shadows another school's id.
        for s in schools {
            for f in forms(&s.id) {
                map.entry(f).or_insert_with(|| s.id.clone());
            }
        }
        for s in schools {
            for a in &s.aliases {
                for f in forms(a) {
                    map.entry(f).or_insert_with(|| s.id.clone());
                }
            }
        }
        let mut names: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
        for s in schools {
            let n = norm_school_name(&s.name);
            if n.is_empty() {
                continue;
            }
            let m = s.municipality.as_deref().map(norm_text).unwrap_or_default();
            names
                .entry((m.clone(), n.clone()))
                .or_default()
                .push(s.id.clone());
            if !m.is_empty() {
                names
                    .entry((String::new(), n))
                    .or_default()
                    .push(s.id.clone());
            }
        }
        Ok(Index { map, names })
    }

    /// A school written by name: within its municipality when the file names one (the
    /// registry's municipality spelled the same after normalisation), else by name alone.
    pub fn resolve_name(&self, key: &str) -> NameMatch<'_> {
        let (m, n) = name_parts(key);
        let found = self
            .names
            .get(&(m.clone(), n.clone()))
            .or_else(|| self.names.get(&(String::new(), n)).filter(|_| m.is_empty()));
        match found.map(Vec::as_slice) {
            Some([one]) => NameMatch::One(one),
            Some(many) if !many.is_empty() => NameMatch::Ambiguous(many),
            _ => NameMatch::None,
        }
    }

    /// The registry id a key written in a file refers to.
    pub fn resolve(&self, key: &str) -> Option<&str> {
        forms(key)
            .iter()
            .find_map(|f| self.map.get(f))
            .map(String::as_str)
    }
}

/// A key's grouping form when there is no registry: `000378` and `378` are one school;
/// «МБОУ "СОШ № 1"» and «СОШ №1» in one municipality are one school.
pub fn bare_key(key: &str) -> String {
    if is_name_key(key) {
        let (m, n) = name_parts(key);
        return format!("{m}|{n}");
    }
    forms(key).pop().unwrap_or_default()
}

/// What a later registry row told about a school already read.
#[derive(Debug, Default, PartialEq)]
pub struct Enriched {
    /// It added something (an alias or a field the first registry left empty).
    pub added: bool,
    /// (what, the first registry's value, the later one): the first value is kept.
    pub disagreements: Vec<(String, String, String)>,
}

/// Adds to `first` what a later registry row `later` of the same school knows: missing
/// fields and new aliases. A field both give differently, an alias of the same system
/// (ФИС ОКО login, ОГРН, ИНН) with another value, or an alias that already names another
/// school (`owner` → the school's id) is a disagreement: the first value is kept.
pub fn enrich(
    first: &mut School,
    later: &School,
    owner: impl Fn(&str) -> Option<String>,
) -> Enriched {
    let mut e = Enriched::default();
    let (a, b) = (norm_school_name(&first.name), norm_school_name(&later.name));
    if first.name.trim().is_empty() && !later.name.trim().is_empty() {
        first.name = later.name.clone();
        e.added = true;
    } else if !b.is_empty() && a != b {
        e.disagreements
            .push(("название".into(), first.name.clone(), later.name.clone()));
    }
    let fields: [(&str, &mut Option<String>, &Option<String>); 7] = [
        (
            "муниципалитет",
            &mut first.municipality,
            &later.municipality,
        ),
        ("регион", &mut first.region, &later.region),
        (
            "тип населённого пункта",
            &mut first.settlement,
            &later.settlement,
        ),
        ("тип ОО", &mut first.level, &later.level),
        ("кластер", &mut first.cluster, &later.cluster),
        ("координатор", &mut first.coordinator, &later.coordinator),
        ("телефон", &mut first.phone, &later.phone),
    ];
    for (what, mine, theirs) in fields {
        match (mine.as_deref(), theirs.as_deref()) {
            (None, Some(t)) => {
                *mine = Some(t.to_string());
                e.added = true;
            }
            (Some(m), Some(t)) if norm_text(m) != norm_text(t) => {
                e.disagreements
                    .push((what.into(), m.to_string(), t.to_string()));
            }
            _ => {}
        }
    }
    match (first.students, later.students) {
        (None, Some(n)) => {
            first.students = Some(n);
            e.added = true;
        }
        (Some(m), Some(n)) if m != n => {
            e.disagreements
                .push(("число обучающихся".into(), m.to_string(), n.to_string()))
        }
        _ => {}
    }
    let known = |s: &School, a: &str| {
        code_key(&s.id) == code_key(a) || s.aliases.iter().any(|x| code_key(x) == code_key(a))
    };
    for alias in &later.aliases {
        if known(first, alias) {
            continue;
        }
        if let Some(other) = owner(alias).filter(|o| code_key(o) != code_key(&first.id)) {
            e.disagreements.push((
                "другой код".into(),
                format!("«{alias}» — код школы {other}"),
                format!("«{alias}» — код школы {}", first.id),
            ));
            continue;
        }
        let shape = IdShape::of(alias)
            .filter(|s| matches!(s, IdShape::Login | IdShape::Ogrn | IdShape::Inn));
        let same_system = shape.and_then(|sh| {
            first
                .aliases
                .iter()
                .find(|x| IdShape::of(x) == Some(sh))
                .cloned()
        });
        if let (Some(sh), Some(mine)) = (shape, same_system) {
            e.disagreements
                .push((sh.label().to_string(), mine, alias.clone()));
            continue;
        }
        first.aliases.push(alias.clone());
        e.added = true;
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    fn school(id: &str, aliases: &[&str]) -> School {
        School {
            id: id.into(),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            ..School::default()
        }
    }

    #[test]
    fn resolves_padding_aliases_and_logins() {
        let schools = [school("220123", &["sch999", "0456"]), school("000378", &[])];
        let idx = Index::build(&schools, &[Origin::default(), Origin::default()]).unwrap();
        assert_eq!(idx.resolve("sch220123"), Some("220123"));
        assert_eq!(idx.resolve("edu220123"), Some("220123"));
        assert_eq!(idx.resolve("999"), Some("220123"));
        assert_eq!(idx.resolve("456"), Some("220123"));
        assert_eq!(idx.resolve("378"), Some("000378"));
        assert_eq!(idx.resolve("SCH220123"), Some("220123"));
        assert_eq!(idx.resolve("777"), None);
    }

    #[test]
    fn code_keys_drop_zero_padding_only() {
        assert_eq!(code_key("000378"), "378");
        assert_eq!(code_key("000"), "0");
        assert_eq!(code_key("sch220123"), "sch220123");
    }

    #[test]
    fn names_within_a_municipality() {
        let mk = |id: &str, name: &str, m: &str| School {
            id: id.into(),
            name: name.into(),
            municipality: Some(m.into()),
            ..School::default()
        };
        let schools = [
            mk("1", "МБОУ «Средняя школа № 1»", "Район А"),
            mk(
                "2",
                "Муниципальное бюджетное общеобразовательное учреждение \"Средняя школа №1\"",
                "Район Б",
            ),
            mk("3", "МКОУ Средняя школа №2", "Район Б"),
            mk("4", "МАОУ \"Средняя школа №2\"", "Район Б"),
        ];
        let idx = Index::build(
            &schools,
            &[
                Origin::default(),
                Origin::default(),
                Origin::default(),
                Origin::default(),
            ],
        )
        .unwrap();
        assert_eq!(
            idx.resolve_name("район а / средняя школа  № 1"),
            NameMatch::One("1")
        );
        assert_eq!(
            idx.resolve_name("Район\u{a0}Б / МКОУ «СРЕДНЯЯ ШКОЛА №1»"),
            NameMatch::One("2")
        );
        // Two schools of Район Б normalise to the same name: ambiguous, not guessed.
        assert!(
            matches!(idx.resolve_name("Район Б / Средняя школа № 2"), NameMatch::Ambiguous(ids) if ids.len() == 2)
        );
        // Without a municipality a name found in two municipalities is ambiguous too.
        assert!(matches!(
            idx.resolve_name("Средняя школа №1"),
            NameMatch::Ambiguous(_)
        ));
        assert_eq!(
            idx.resolve_name("Район В / Средняя школа №1"),
            NameMatch::None
        );
        assert_eq!(
            bare_key("Район А / МБОУ «СОШ № 5»"),
            bare_key("район а / СОШ №5")
        );
        assert!(
            is_name_key("Район А / СОШ 5") && !is_name_key("sch220001") && !is_name_key("0456")
        );
    }

    #[test]
    fn a_later_registry_adds_aliases_and_fields_and_keeps_the_first_value() {
        let mut first = School {
            id: "203".into(),
            name: "МКОУ «Дубровская ООШ»".into(),
            municipality: Some("Энский район".into()),
            aliases: vec!["sch771035".into()],
            ..School::default()
        };
        let later = School {
            id: "0203".into(),
            name: "Дубровская ООШ".into(),
            municipality: Some("Северный район".into()),
            settlement: Some("село".into()),
            aliases: vec!["sch779995".into(), "1022200000001".into(), "555".into()],
            ..School::default()
        };
        // «555» is already another school's code.
        let e = enrich(&mut first, &later, |a| {
            (a == "555").then(|| "204".to_string())
        });
        assert!(e.added);
        // Missing field filled, new ОГРН added; the name agrees after normalisation.
        assert_eq!(first.settlement.as_deref(), Some("село"));
        assert_eq!(first.aliases, vec!["sch771035", "1022200000001"]);
        assert_eq!(first.municipality.as_deref(), Some("Энский район"));
        let what: Vec<&str> = e.disagreements.iter().map(|d| d.0.as_str()).collect();
        assert_eq!(what, vec!["муниципалитет", "логины ФИС ОКО", "другой код"]);
        assert_eq!(
            e.disagreements[1],
            (
                "логины ФИС ОКО".to_string(),
                "sch771035".to_string(),
                "sch779995".to_string()
            )
        );
        // The same row again brings nothing.
        let again = enrich(&mut first, &later, |a| {
            (a == "555").then(|| "204".to_string())
        });
        assert!(!again.added);
    }

    #[test]
    fn duplicate_ids_name_both_rows() {
        let o = |row| Origin {
            file: "реестр.xlsx".into(),
            sheet: None,
            row,
        };
        let e = Index::build(&[school("12", &[]), school("012", &[])], &[o(2), o(5)]).unwrap_err();
        let m = e.to_string();
        assert!(m.contains("строка 2") && m.contains("строка 5"), "{m}");
    }
}
