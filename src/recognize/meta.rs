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
    let year = find_year_token(&t);
    Meta {
        year: year.as_ref().map(|y| y.year),
        year_from: year.map(|y| y.token),
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

/// The first year a file may speak of (docs/recognition.md «Годы»).
pub const FIRST_YEAR: Year = 2000;
/// The last year taken for a year at all when the run gives no bound (`inspect`,
/// `validate`): `identify` passes its own, today's school year + 1 (`Config::latest_year`).
pub const LAST_PLAUSIBLE_YEAR: Year = 2100;

/// The school year a date belongs to, named by its end year: from September on a date
/// belongs to the next year's school year (2026-12-04 → 2027, 2027-05-20 → 2027).
pub fn school_year_of(year: Year, month: u32) -> Year {
    if month >= 9 { year + 1 } else { year }
}

/// A year found in a text and the token that said it («2014», «2014-15», «егэ-15»).
#[derive(Clone, Debug, PartialEq)]
pub struct YearToken {
    pub year: Year,
    pub token: String,
}

/// The year a text speaks of, see [`find_year_token`].
pub fn find_year(t: &str) -> Option<Year> {
    find_year_token(t).map(|y| y.year)
}

/// The year rules of docs/recognition.md «Годы», on normalised text (the first match wins):
/// 1. a four-digit group 2000…2100 standing alone is that year («ВПР 2021» → 2021);
/// 2. a school year names its end year: «2024/25», «2024-2025», «2024 - 2025» → 2025;
/// 3. a code-like token is never a year: a digit group joined by a dash to another digit
///    group that is neither rule 2 nor a span of years («2070-12», «9722-2016-10-31»), and
///    groups of more than four digits («20701», «20130909»);
/// 4. a two-digit year right after a procedure name is decoded: «ЕГЭ-15», «огэ_14»,
///    «ГИА9-15», «ГИА-11 15» → 2015, 2014, 2015, 2015 (the 9 / 11 after ГИА is the grade).
///
/// A span of years («2011-2013») gives its first year here; [`find_year_span`] tells it apart.
pub fn find_year_token(t: &str) -> Option<YearToken> {
    let chars: Vec<char> = t.chars().collect();
    let n = chars.len();
    let run_end = |i: usize| {
        let mut j = i;
        while j < n && chars[j].is_ascii_digit() {
            j += 1;
        }
        j
    };
    let is_dash = |c: char| matches!(c, '-' | '–' | '—');
    let number = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    let plausible = |y: Year| (FIRST_YEAR..=LAST_PLAUSIBLE_YEAR).contains(&y);
    let mut i = 0;
    while i < n {
        if !chars[i].is_ascii_digit() || (i > 0 && chars[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let j = run_end(i);
        let Some(y) = (j - i == 4)
            .then(|| number(i, j).parse::<Year>().ok())
            .flatten()
            .filter(|&y| plausible(y))
        else {
            i = j;
            continue;
        };
        // Rule 2: «2024/25», «2024-2025», «2024 - 2025».
        let mut k = j;
        while k < n && chars[k] == ' ' {
            k += 1;
        }
        let mut second: Option<(usize, usize)> = None;
        if k < n && (is_dash(chars[k]) || chars[k] == '/') {
            let mut m = k + 1;
            while m < n && chars[m] == ' ' {
                m += 1;
            }
            second = Some((m, run_end(m)));
        }
        if let Some((m, e)) = second {
            let s = number(m, e);
            let end = s.parse::<Year>().ok();
            let school_year = (s.len() == 2 && end == Some((y + 1) % 100))
                || (s.len() == 4 && end == Some(y + 1));
            if school_year {
                return Some(YearToken {
                    year: y + 1,
                    token: number(i, e),
                });
            }
        }
        // Rule 3: joined by a dash (no space) to another digit group, and not a span.
        let dash_after = j < n && is_dash(chars[j]) && j + 1 < n && chars[j + 1].is_ascii_digit();
        let dash_before = i >= 2 && is_dash(chars[i - 1]) && chars[i - 2].is_ascii_digit();
        let span_after = dash_after && {
            let e = run_end(j + 1);
            e - (j + 1) == 4
                && number(j + 1, e)
                    .parse::<Year>()
                    .is_ok_and(|b| b > y && b - y < 20)
        };
        let span_before = dash_before && {
            let mut a = i - 1;
            while a > 0 && chars[a - 1].is_ascii_digit() {
                a -= 1;
            }
            i - 1 - a == 4
                && number(a, i - 1)
                    .parse::<Year>()
                    .is_ok_and(|f| plausible(f) && y > f && y - f < 20)
        };
        if (dash_after && !span_after) || (dash_before && !span_before) {
            i = j;
            continue;
        }
        return Some(YearToken {
            year: y,
            token: number(i, j),
        });
    }
    // Rule 4: a two-digit year right after a procedure name.
    for exam in ["егэ", "огэ", "впр", "гиа", "кдр"] {
        let mut from = 0;
        while let Some(p) = t[from..].find(exam) {
            let at = from + p;
            let mut rest = &t[at + exam.len()..];
            if exam == "гиа" {
                // «ГИА9», «ГИА-9», «ГИА-11»: the grade, not the year.
                let r = rest.trim_start_matches(['-', '_', ' ']);
                for g in ["11", "9"] {
                    if let Some(after) = r.strip_prefix(g)
                        && !after.starts_with(|c: char| c.is_ascii_digit())
                    {
                        rest = after;
                        break;
                    }
                }
            }
            let trimmed = rest.trim_start_matches(['-', '_', ' ']);
            let d: String = trimmed.chars().take_while(char::is_ascii_digit).collect();
            if d.len() == 2 {
                let end = t.len() - trimmed.len() + 2;
                return d.parse::<Year>().ok().map(|y| YearToken {
                    year: 2000 + y,
                    token: t[at..end].to_string(),
                });
            }
            from = at + exam.len();
        }
    }
    None
}

/// A year after the last one a file may speak of (today's school year + 1): the sheet is
/// left out, with the token that gave the year — a form code or a typo as often as a year.
/// A year set in the config is the user's word and is kept.
pub fn beyond_latest(
    meta: &Meta,
    latest: Option<Year>,
    hinted: bool,
    file_name: &str,
) -> Option<String> {
    let (Some(y), Some(latest)) = (meta.year, latest) else {
        return None;
    };
    if y <= latest || hinted {
        return None;
    }
    let today = latest - 1;
    Some(format!(
        "год {y} ({}) позже текущего учебного года {}/{:02}: строки не учтены. Если это не \
         год (код формы, номер) или год другой, укажите его в shnor.toml:\n[[files]]\n\
         pattern = \"{file_name}\"\nyear = {today}",
        meta.year_from.as_deref().unwrap_or("тексту вокруг таблицы"),
        today - 1,
        today % 100,
    ))
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

/// The olympiad stage (rule «этап олимпиады», docs/recognition.md «Годы»): the word right
/// before «этап» («муниципального этапа», «школьный этап»), else the abbreviations ШЭ, МЭ,
/// РЭ, ЗЭ, else a stage adjective anywhere — but «олимпиады школьников» is the olympiad's
/// name, not its school stage.
fn find_stage(t: &str) -> Option<Stage> {
    if !(t.contains("олимпиад") || t.contains("всош") || t.contains("этап")) {
        return None;
    }
    let of_word = |w: &str| -> Option<Stage> {
        if w.starts_with("школьн") {
            Some(Stage::School)
        } else if w.starts_with("муниципальн") {
            Some(Stage::Municipal)
        } else if w.starts_with("регионал") {
            Some(Stage::Regional)
        } else if w.starts_with("заключит") {
            Some(Stage::Final)
        } else {
            None
        }
    };
    let words: Vec<&str> = t
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if let Some(s) = words.windows(2).find_map(|w| {
        if w[1].starts_with("этап") {
            of_word(w[0])
        } else {
            None
        }
    }) {
        return Some(s);
    }
    let abbr = words.iter().find_map(|w| match *w {
        "шэ" => Some(Stage::School),
        "мэ" => Some(Stage::Municipal),
        "рэ" => Some(Stage::Regional),
        "зэ" => Some(Stage::Final),
        _ => None,
    });
    if abbr.is_some() {
        return abbr;
    }
    let t = t
        .replace("олимпиады школьников", " ")
        .replace("олимпиада школьников", " ")
        .replace("олимпиаде школьников", " ");
    ["школьн", "муниципальн", "регионал", "заключит"]
        .iter()
        .find(|w| t.contains(*w))
        .and_then(|w| of_word(w))
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
    if out.year.is_some()
        && let Some(s) = sources.iter().find(|s| s.name == from[0])
    {
        out.year_from = Some(match &s.meta.year_from {
            Some(token) => format!("{}: «{token}»", s.name),
            None => s.name.to_string(),
        });
    }
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

        // «олимпиады школьников» is the olympiad's name, not the school stage.
        let m = from_text(
            "Рейтинговая таблица участников муниципального этапа всероссийской олимпиады школьников",
        );
        assert_eq!(m.stage, Some(Stage::Municipal));
        assert_eq!(
            from_text("Всероссийская олимпиада школьников, школьный этап").stage,
            Some(Stage::School)
        );
        assert_eq!(from_text("Олимпиада МЭ").stage, Some(Stage::Municipal));
        assert_eq!(
            from_text("Протокол школьного этапа ВсОШ муниципального образования").stage,
            Some(Stage::School)
        );
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
    #[test]
    fn years_rules() {
        let y = |t: &str| find_year(&norm_text(t));
        // Rule 3: a form code joined by a dash is no year; the year after it is.
        assert_eq!(y("2070-12 ЕГЭ 2014.xls"), Some(2014));
        let tok = find_year_token(&norm_text("2070-12 ЕГЭ 2014.xls")).unwrap();
        assert_eq!(tok.token, "2014");
        assert_eq!(y("19_Статистические данные ЕГЭ 2012.xls"), Some(2012));
        assert_eq!(y("data-9722-2016-10-31.csv"), None);
        // Five-digit and longer groups are codes.
        assert_eq!(y("20701 свод.xls"), None);
        assert_eq!(y("data-20130909T0800.csv"), None);
        // Rule 4: two-digit years after a procedure name; ГИА's 9 / 11 is the grade.
        assert_eq!(y("ЕГЭ-15"), Some(2015));
        assert_eq!(y("ГИА9-15"), Some(2015));
        assert_eq!(y("ГИА-11 14"), Some(2014));
        assert_eq!(y("ГИА-11"), None);
        let tok = find_year_token(&norm_text("итоги ГИА9-15.xls")).unwrap();
        assert_eq!((tok.year, tok.token.as_str()), (2015, "гиа9-15"));
        // Rule 2: a school year is named by its end year.
        assert_eq!(y("2014-15"), Some(2015));
        assert_eq!(y("2014/2015"), Some(2015));
        assert_eq!(y("2014 - 2015 уч. год"), Some(2015));
        // A span stays a span (its first year here, find_year_span tells it apart).
        assert_eq!(y("за 2011-2013 годы"), Some(2011));
        assert_eq!(find_year_span("за 2011-2013 годы"), Some((2011, 2013)));
        // Outside 2000…2100: not a year.
        assert_eq!(y("1999"), None);
        assert_eq!(y("2101"), None);
    }

    #[test]
    fn school_year_of_a_date() {
        assert_eq!(school_year_of(2026, 12), 2027);
        assert_eq!(school_year_of(2026, 9), 2027);
        assert_eq!(school_year_of(2026, 8), 2026);
        assert_eq!(school_year_of(2027, 5), 2027);
    }

    #[test]
    fn a_year_after_the_next_school_year_is_left_out() {
        let (m, _) = combine(&[Source {
            name: "имя файла",
            meta: from_text("ОГЭ 2031.xlsx"),
        }]);
        assert_eq!(m.year_from.as_deref(), Some("имя файла: «2031»"));
        // Today's school year 2027: files may speak of 2028, not of 2029.
        let msg = beyond_latest(&m, Some(2028), false, "ОГЭ 2031.xlsx").unwrap();
        assert!(msg.contains("год 2031 (имя файла: «2031»)"), "{msg}");
        assert!(msg.contains("2026/27"), "{msg}");
        assert_eq!(beyond_latest(&m, Some(2031), false, "x"), None);
        // No bound given (inspect, validate), or a year set in the config: kept.
        assert_eq!(beyond_latest(&m, None, false, "x"), None);
        assert_eq!(beyond_latest(&m, Some(2028), true, "x"), None);
    }

    #[test]
    fn title_sheet_and_file_disagree_the_most_specific_wins() {
        let (m, conflicts) = combine(&[
            Source {
                name: "заголовок над таблицей",
                meta: from_text("Результаты ОГЭ 2024/25"),
            },
            Source {
                name: "имя листа",
                meta: from_text("2024"),
            },
            Source {
                name: "имя файла",
                meta: from_text("2070-12 ОГЭ 2023.xls"),
            },
        ]);
        assert_eq!(m.year, Some(2025));
        assert_eq!(
            m.year_from.as_deref(),
            Some("заголовок над таблицей: «2024/25»")
        );
        assert_eq!(conflicts.len(), 2, "{conflicts:?}");
        assert!(conflicts[0].contains("2024") && conflicts[0].contains("имя листа"));
        assert!(conflicts[1].contains("2023") && conflicts[1].contains("имя файла"));
    }
}
