//! Canonical subject names from any spelling: «по математике», «РУсский язык », «матем.»,
//! РЦОИ subject codes (01 Русский язык, 02 Математика, 22 Математика базовая …).

use crate::model::Exam;
use crate::read::norm_text;

/// Stems (on `norm_text`) → canonical name. Order matters: the first match wins.
const STEMS: [(&str, &str); 24] = [
    ("русск", "Русский язык"),
    ("рус.", "Русский язык"),
    ("математ", "Математика"),
    ("матем", "Математика"),
    ("алгебр", "Математика"),
    ("физическ", "Физическая культура"),
    ("физик", "Физика"),
    ("хими", "Химия"),
    ("информат", "Информатика"),
    ("икт", "Информатика"),
    ("биолог", "Биология"),
    ("истори", "История"),
    ("географ", "География"),
    ("английск", "Английский язык"),
    ("немецк", "Немецкий язык"),
    ("французск", "Французский язык"),
    ("испанск", "Испанский язык"),
    ("китайск", "Китайский язык"),
    ("обществ", "Обществознание"),
    ("литератур", "Литература"),
    ("окружающ", "Окружающий мир"),
    ("экономик", "Экономика"),
    ("астроном", "Астрономия"),
    ("экологи", "Экология"),
];

/// Finds a subject named anywhere in a text (a title, a sheet or file name).
/// «Математика» stays «Математика»; «базовая»/«профильная» are kept when written.
pub fn find_subject(text: &str) -> Option<String> {
    let t = norm_text(text);
    let t = t.replace(['_', '-'], " ");
    let (pos, name) = STEMS
        .iter()
        .filter_map(|(stem, name)| t.find(stem).map(|p| (p, *name)))
        .filter(|(p, _)| *p == 0 || !t[..*p].ends_with(|c: char| c.is_alphabetic()))
        .min_by_key(|(p, _)| *p)?;
    let _ = pos;
    if name == "Математика" {
        if t.contains("баз") {
            return Some("Математика базовая".into());
        }
        if t.contains("проф") {
            return Some("Математика профильная".into());
        }
    }
    Some(name.to_string())
}

/// A subject name as written in a cell → canonical, or the trimmed text itself (with a
/// capital letter) when it is not a known subject, so nothing is lost.
pub fn canonical_subject(text: &str) -> String {
    if let Some(s) = find_subject(text) {
        return s;
    }
    let t = norm_text(text);
    let mut chars = t.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// ЕГЭ mathematics without «базовая» is the profile exam.
pub fn for_exam(subject: &str, exam: Option<Exam>) -> String {
    if exam == Some(Exam::Ege) && subject == "Математика" {
        "Математика профильная".into()
    } else {
        subject.to_string()
    }
}

/// РЦОИ subject codes used in ОГЭ/ЕГЭ file and sheet names.
pub fn subject_by_code(code: u32) -> Option<&'static str> {
    Some(match code {
        1 => "Русский язык",
        2 => "Математика",
        3 => "Физика",
        4 => "Химия",
        5 => "Информатика",
        6 => "Биология",
        7 => "История",
        8 => "География",
        9 => "Английский язык",
        10 => "Немецкий язык",
        11 => "Французский язык",
        12 => "Обществознание",
        13 => "Испанский язык",
        18 => "Литература",
        22 => "Математика базовая",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings() {
        assert_eq!(find_subject("по математике").as_deref(), Some("Математика"));
        assert_eq!(
            find_subject("РУсский язык ").as_deref(),
            Some("Русский язык")
        );
        assert_eq!(find_subject("матем.").as_deref(), Some("Математика"));
        assert_eq!(find_subject("02-Математика").as_deref(), Some("Математика"));
        assert_eq!(
            find_subject("Математика (базовый уровень)").as_deref(),
            Some("Математика базовая")
        );
        assert_eq!(
            find_subject("математика профильная").as_deref(),
            Some("Математика профильная")
        );
        assert_eq!(
            find_subject("Физическая культура").as_deref(),
            Some("Физическая культура")
        );
        assert_eq!(find_subject("физика").as_deref(), Some("Физика"));
        assert_eq!(
            find_subject("Окружающий мир").as_deref(),
            Some("Окружающий мир")
        );
        assert_eq!(
            find_subject("Английский язык").as_deref(),
            Some("Английский язык")
        );
        assert_eq!(
            find_subject("Обществознание").as_deref(),
            Some("Обществознание")
        );
        assert_eq!(find_subject("Результаты 2023"), None);
        assert_eq!(
            for_exam("Математика", Some(Exam::Ege)),
            "Математика профильная"
        );
        assert_eq!(for_exam("Математика", Some(Exam::Oge)), "Математика");
        assert_eq!(canonical_subject("мхк"), "Мхк");
    }
}
