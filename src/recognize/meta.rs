//! Year / exam / subject / grade / olympiad stage from the text around a table: title rows,
//! sheet name, file name. Sources are combined in order of trust (config hint, title,
//! sheet, file name); a less trusted source that disagrees is noted, not obeyed.

use super::Meta;
use super::subjects::{find_subject, for_exam, subject_by_code};
use crate::model::{Exam, Stage, Year};
use crate::read::norm_text;

/// Everything a piece of text says about the table.
pub fn from_text(text: &str) -> Meta {
    let t = norm_text(text);
    let exam = find_exam(&t);
    let mut subject = find_subject(text);
    if subject.is_none() && matches!(exam, Some(Exam::Oge | Exam::Ege)) {
        subject = find_subject_code(&t).map(str::to_string);
    }
    Meta {
        year: find_year(&t),
        exam,
        subject,
        grade: find_grade(&t),
        stage: find_stage(&t),
    }
}

fn find_exam(t: &str) -> Option<Exam> {
    if t.contains("основного государственного экзамена")
        || t.contains("основной государственный экзамен")
    {
        return Some(Exam::Oge);
    }
    if t.contains("единого государственного экзамена")
        || t.contains("единый государственный экзамен")
    {
        return Some(Exam::Ege);
    }
    let words: Vec<&str> = t
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .collect();
    for w in &words {
        let parts: Vec<&str> = w.split('-').collect();
        for (i, p) in parts.iter().enumerate() {
            let with_next = parts.get(i + 1).map(|n| format!("{p}-{n}"));
            if let Some(e) = with_next
                .as_deref()
                .and_then(Exam::parse)
                .or_else(|| Exam::parse(p))
            {
                return Some(e);
            }
        }
    }
    None
}

/// School years «2024/25», «2024/2025», «2024-2025» are named by the end year; a plain
/// 20xx is taken as is; «ЕГЭ-15» / «ОГЭ_14» means 2015 / 2014.
pub fn find_year(t: &str) -> Option<Year> {
    let chars: Vec<char> = t.chars().collect();
    let n = chars.len();
    let digits_at = |i: usize| {
        let mut j = i;
        while j < n && chars[j].is_ascii_digit() {
            j += 1;
        }
        j
    };
    let mut i = 0;
    while i < n {
        if !chars[i].is_ascii_digit() || (i > 0 && chars[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let j = digits_at(i);
        let num: String = chars[i..j].iter().collect();
        if num.len() == 4
            && let Ok(y) = num.parse::<Year>()
            && (2000..=2100).contains(&y)
        {
            // «2024/25», «2024-2025», «2024 - 2025»: the school year ends in the second.
            let mut k = j;
            while k < n && chars[k] == ' ' {
                k += 1;
            }
            if k < n && matches!(chars[k], '/' | '-' | '–' | '—') {
                let mut m = k + 1;
                while m < n && chars[m] == ' ' {
                    m += 1;
                }
                let e = digits_at(m);
                let second: String = chars[m..e].iter().collect();
                if second.len() == 2 && second.parse::<Year>().ok() == Some((y + 1) % 100) {
                    return Some(y + 1);
                }
                if second.len() == 4 && second.parse::<Year>().ok() == Some(y + 1) {
                    return Some(y + 1);
                }
            }
            return Some(y);
        }
        i = j;
    }
    // Two-digit year right after an exam name: «ЕГЭ-15», «огэ_14».
    for exam in ["егэ", "огэ", "впр", "гиа"] {
        let mut from = 0;
        while let Some(p) = t[from..].find(exam) {
            let rest = &t[from + p + exam.len()..];
            let rest = rest.trim_start_matches(['-', '_', ' ']);
            let d: String = rest.chars().take_while(char::is_ascii_digit).collect();
            if d.len() == 2 {
                return d.parse::<Year>().ok().map(|y| 2000 + y);
            }
            from += p + exam.len();
        }
    }
    None
}

/// A span of several years («за 2011-2013 годы»): such a table holds results of several
/// years side by side. A school year («2024-2025», «2024/25») is not a span.
pub fn find_year_span(t: &str) -> Option<(Year, Year)> {
    let t = norm_text(t);
    let bytes: Vec<char> = t.chars().collect();
    let mut i = 0;
    while i + 9 <= bytes.len() {
        let a: String = bytes[i..i + 4].iter().collect();
        let b: String = bytes[i + 5..i + 9].iter().collect();
        let sep = bytes[i + 4];
        if matches!(sep, '-' | '–' | '—')
            && a.chars().all(|c| c.is_ascii_digit())
            && b.chars().all(|c| c.is_ascii_digit())
            && (i == 0 || !bytes[i - 1].is_ascii_digit())
            && bytes.get(i + 9).is_none_or(|c| !c.is_ascii_digit())
            && let (Ok(a), Ok(b)) = (a.parse::<Year>(), b.parse::<Year>())
            && (2000..=2100).contains(&a)
            && b > a + 1
            && b - a < 20
        {
            return Some((a, b));
        }
        i += 1;
    }
    None
}

/// «4 класс», «4 кл.», «4-й класс», «класс 4», «4кл».
pub fn find_grade(t: &str) -> Option<u8> {
    let words: Vec<&str> = t
        .split([' ', ',', '_', '(', ')'])
        .filter(|w| !w.is_empty())
        .collect();
    for (i, w) in words.iter().enumerate() {
        let num: String = w.chars().take_while(char::is_ascii_digit).collect();
        let ok_grade = |s: &str| s.parse::<u8>().ok().filter(|g| (1..=11).contains(g));
        if !num.is_empty() {
            let suffix = &w[num.len()..];
            let next = words.get(i + 1).copied().unwrap_or("");
            let glued = suffix.starts_with("кл");
            let spaced =
                matches!(suffix, "" | "-й" | "-х" | "-е" | "-ые") && next.starts_with("кл");
            if glued || spaced {
                return ok_grade(&num);
            }
        }
        if w.starts_with("класс")
            && let Some(next) = words.get(i + 1)
        {
            let num: String = next.chars().take_while(char::is_ascii_digit).collect();
            if let Some(g) = ok_grade(&num) {
                return Some(g);
            }
        }
    }
    None
}

fn find_stage(t: &str) -> Option<Stage> {
    if !(t.contains("олимпиад") || t.contains("всош") || t.contains("этап")) {
        return None;
    }
    if t.contains("школьн") {
        Some(Stage::School)
    } else if t.contains("муниципальн") {
        Some(Stage::Municipal)
    } else if t.contains("регионал") {
        Some(Stage::Regional)
    } else if t.contains("заключит") {
        Some(Stage::Final)
    } else {
        None
    }
}

/// A two-digit РЦОИ subject code between dashes: `…-02--ЕГЭ-15-…`. Codes glued to words by
/// `_` or a space are report numbers as often as subjects («04_Участники …»), so not taken.
fn find_subject_code(t: &str) -> Option<&'static str> {
    let chars: Vec<char> = t.chars().collect();
    let mut i = 0;
    while i + 1 < chars.len() {
        if chars[i].is_ascii_digit()
            && chars[i + 1].is_ascii_digit()
            && i > 0
            && chars[i - 1] == '-'
            && chars.get(i + 2) == Some(&'-')
            && let Some(s) = subject_by_code(
                chars[i].to_digit(10).unwrap_or(0) * 10 + chars[i + 1].to_digit(10).unwrap_or(0),
            )
        {
            return Some(s);
        }
        i += 1;
    }
    None
}

/// A named source of meta, for notes.
pub struct Source<'a> {
    pub name: &'a str,
    pub meta: Meta,
}

/// Combines sources, most trusted first. Returns the meta and the conflicts found
/// (Russian, for notes and warnings).
pub fn combine(sources: &[Source<'_>]) -> (Meta, Vec<String>) {
    let mut out = Meta::default();
    let mut conflicts = Vec::new();
    let mut from: [&str; 5] = [""; 5];
    macro_rules! take {
        ($field:ident, $idx:expr, $show:expr) => {
            for s in sources {
                if let Some(v) = s.meta.$field.clone() {
                    match &out.$field {
                        None => {
                            out.$field = Some(v);
                            from[$idx] = s.name;
                        }
                        Some(cur) if *cur != v => conflicts.push(format!(
                            "{} «{}» ({}) расходится с «{}» ({}): взято «{}» как более надёжное",
                            $show,
                            fmt_dbg(&v),
                            s.name,
                            fmt_dbg(cur),
                            from[$idx],
                            fmt_dbg(cur)
                        )),
                        Some(_) => {}
                    }
                }
            }
        };
    }
    take!(year, 0, "год");
    take!(exam, 1, "процедура");
    take!(grade, 3, "класс");
    take!(stage, 4, "этап");
    // Subjects are compared after the ЕГЭ rule so «Математика» (sheet) and «Математика
    // профильная» (config) do not conflict.
    let exam = out.exam;
    for s in sources {
        if let Some(v) = s.meta.subject.as_deref().map(|v| for_exam(v, exam)) {
            match &out.subject {
                None => {
                    out.subject = Some(v);
                    from[2] = s.name;
                }
                Some(cur) if *cur != v => conflicts.push(format!(
                    "предмет «{v}» ({}) расходится с «{cur}» ({}): взято «{cur}» как более надёжное",
                    s.name, from[2]
                )),
                Some(_) => {}
            }
        }
    }
    (out, conflicts)
}

fn fmt_dbg<T: std::fmt::Debug>(v: &T) -> String {
    let s = format!("{v:?}");
    match s.as_str() {
        "Vpr" => "ВПР".into(),
        "Oge" => "ОГЭ".into(),
        "Ege" => "ЕГЭ".into(),
        "Kdr" => "КДР".into(),
        "School" => "школьный".into(),
        "Municipal" => "муниципальный".into(),
        "Regional" => "региональный".into(),
        "Final" => "заключительный".into(),
        _ => s.trim_matches('"').to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles() {
        let m = from_text("Результаты ОГЭ-2014 по математике");
        assert_eq!(m.year, Some(2014));
        assert_eq!(m.exam, Some(Exam::Oge));
        assert_eq!(m.subject.as_deref(), Some("Математика"));

        let m = from_text("ВПР 2021 Математика 4 класс");
        assert_eq!(
            (m.year, m.exam, m.grade),
            (Some(2021), Some(Exam::Vpr), Some(4))
        );
        assert_eq!(m.subject.as_deref(), Some("Математика"));

        let m = from_text("Протокол муниципального этапа ВсОШ 2024/25 учебного года");
        assert_eq!(m.year, Some(2025));
        assert_eq!(m.stage, Some(Stage::Municipal));
        assert_eq!(m.exam, None);

        assert_eq!(from_text("2024-2025 учебный год").year, Some(2025));
        assert_eq!(from_text("2024/2025").year, Some(2025));
    }

    #[test]
    fn sheet_and_file_names() {
        let m = from_text("02-Математика");
        assert_eq!(m.subject.as_deref(), Some("Математика"));
        assert_eq!(
            from_text("Русский язык").subject.as_deref(),
            Some("Русский язык")
        );
        assert_eq!(from_text("2023").year, Some(2023));

        let m = from_text("Проведение работы по математике, 4 класс. ВПР 2021.xlsx");
        assert_eq!(
            (m.year, m.exam, m.grade),
            (Some(2021), Some(Exam::Vpr), Some(4))
        );
        assert_eq!(m.subject.as_deref(), Some("Математика"));

        let m = from_text("results-02--ЕГЭ-15-schools.xls");
        assert_eq!(m.year, Some(2015));
        assert_eq!(m.exam, Some(Exam::Ege));
        assert_eq!(m.subject.as_deref(), Some("Математика"));
        let m = from_text("rez-22-ЕГЭ-15.xls");
        assert_eq!(m.subject.as_deref(), Some("Математика базовая"));
        // A report number is not a subject code.
        let m = from_text("04_Участники основного государственного экзамена.xls");
        assert_eq!((m.exam, m.subject), (Some(Exam::Oge), None));
    }

    #[test]
    fn spans_of_years() {
        assert_eq!(
            find_year_span("Результаты ЕГЭ по ОУ за 2011-2013 годы.xls"),
            Some((2011, 2013))
        );
        assert_eq!(find_year_span("2024-2025 учебный год"), None);
        assert_eq!(find_year_span("ВПР 2021"), None);
    }

    #[test]
    fn conflict_takes_the_more_trusted_source() {
        let (m, conflicts) = combine(&[
            Source {
                name: "заголовок",
                meta: from_text("Результаты ЕГЭ 2023"),
            },
            Source {
                name: "имя листа",
                meta: from_text("2022"),
            },
            Source {
                name: "имя файла",
                meta: from_text("Математика.xlsx"),
            },
        ]);
        assert_eq!(m.year, Some(2023));
        assert_eq!(m.subject.as_deref(), Some("Математика профильная"));
        assert_eq!(conflicts.len(), 1);
        assert!(conflicts[0].contains("2022") && conflicts[0].contains("2023"));
    }
}
