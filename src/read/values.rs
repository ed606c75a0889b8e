//! Parsing of cell values as real exports write them: numbers stored as text, decimal
//! commas, NBSP thousands separators, `X`/`-` for "not done", codes stored as floats.

use crate::read::Cell;

/// Normalises text for matching headings, names and codes: NBSP and line breaks become
/// spaces, runs of spaces collapse, ё → е, lower case, trimmed.
pub fn norm_text(s: &str) -> String {
    norm_chars(s).collect()
}

/// The characters of [`norm_text`], without building the string.
fn norm_chars(s: &str) -> NormChars<'_> {
    NormChars {
        chars: s.chars(),
        space: false,
        started: false,
        queued: None,
    }
}

/// A hand-rolled iterator rather than split/flat_map adapters: [`norm_eq`] runs on
/// every cell of a participant file and mostly fails at the first character.
struct NormChars<'a> {
    chars: std::str::Chars<'a>,
    /// Spaces seen since the last character.
    space: bool,
    started: bool,
    /// The rest of a lower-cased character (or the character after a space).
    queued: Option<std::char::ToLowercase>,
}

impl Iterator for NormChars<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        if let Some(rest) = &mut self.queued {
            if let Some(c) = rest.next() {
                return Some(c);
            }
            self.queued = None;
        }
        loop {
            let c = match self.chars.next()? {
                '\u{a0}' | '\u{2007}' | '\u{202f}' | '\n' | '\r' | '\t' | ' ' => {
                    self.space = true;
                    continue;
                }
                'ё' | 'Ё' => 'е',
                c => c,
            };
            // ASCII and Russian letters without the Unicode case tables.
            let simple = match c {
                c if c.is_ascii() => Some(c.to_ascii_lowercase()),
                'а'..='я' => Some(c),
                'А'..='Я' => char::from_u32(c as u32 + 0x20),
                _ => None,
            };
            if let Some(lower) = simple
                && !(self.space && self.started)
            {
                self.started = true;
                self.space = false;
                return Some(lower);
            }
            let mut lower = c.to_lowercase();
            if self.space && self.started {
                self.space = false;
                self.queued = Some(lower);
                return Some(' ');
            }
            self.started = true;
            self.space = false;
            let first = lower.next();
            self.queued = Some(lower);
            return first;
        }
    }
}

/// `norm_text(s) == normalized`, without allocating: participant files ask it of every
/// cell of every row.
pub fn norm_eq(s: &str, normalized: &str) -> bool {
    norm_chars(s).eq(normalized.chars())
}

/// True for the marks real files use for "not done / absent": `X`, `Х`, `-`, `—`,
/// `отсутствовал`, `нет отметки`, `н/я`.
pub fn is_not_done(s: &str) -> bool {
    // Every mark below starts with one of these: a score or a name fails at the first
    // character, without walking the list (participant files ask it of every text cell).
    if !norm_chars(s)
        .next()
        .is_some_and(|c| matches!(c, 'x' | 'х' | '-' | '—' | '–' | 'н' | 'о'))
    {
        return false;
    }
    [
        "x",
        "х",
        "-",
        "—",
        "–",
        "н/я",
        "неявка",
        "отсутствовал",
        "нет отметки",
        "нет",
    ]
    .iter()
    .any(|t| norm_eq(s, t))
}

/// Parses a Russian-style number: `1 234,5`, `12,5`, `12.5`, `-3`, NBSP separators.
/// Returns `None` for anything that is not a plain number. A space (or `'`) inside the
/// digits is a thousands separator only between groups of three (`1 234 567`): «4 7» is two
/// numbers typed into one cell, not 47.
pub fn parse_ru_f64(s: &str) -> Option<f64> {
    // Plain digits, the common case, without building a cleaned copy.
    let plain = s.trim();
    if !plain.is_empty() && plain.bytes().all(|b| b.is_ascii_digit()) {
        return plain.parse::<f64>().ok().filter(|x| x.is_finite());
    }
    // A leading apostrophe is Excel's «store as text» mark, not part of the number.
    let body = plain.strip_prefix('\'').unwrap_or(plain).trim();
    let is_sep = |c: char| matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2007}' | '\'');
    // Any other character makes it no number (checked below too): stop at the first one,
    // so a long text cell costs one character, not a split and a copy (recognition asks
    // this of every cell, some of them many times).
    if !body
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '-' | '+') || is_sep(c))
    {
        return None;
    }
    let groups: Vec<&str> = body.split(is_sep).collect();
    if groups.len() > 1 && !thousands_groups(&groups) {
        return None;
    }
    let mut t: String = groups.concat();
    if t.is_empty() {
        return None;
    }
    if t.contains(',') {
        if t.contains('.') {
            return None;
        }
        if t.matches(',').count() > 1 {
            return None;
        }
        t = t.replace(',', ".");
    }
    let ok = t
        .chars()
        .enumerate()
        .all(|(i, c)| c.is_ascii_digit() || c == '.' || (i == 0 && (c == '-' || c == '+')));
    if !ok || !t.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    t.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// Whether the pieces of a number split at its separators are thousands groups: the first
/// 1–3 digits (after a sign), every other exactly 3 digits, the last one possibly followed by
/// a decimal part (`1 234,5`).
fn thousands_groups(groups: &[&str]) -> bool {
    let digits = |g: &str| g.bytes().all(|b| b.is_ascii_digit());
    let (first, rest) = groups
        .split_first()
        .expect("split gives one piece at least");
    let first = first.strip_prefix(['-', '+']).unwrap_or(first);
    if first.is_empty() || first.len() > 3 || !digits(first) {
        return false;
    }
    rest.iter().enumerate().all(|(i, g)| {
        let whole = if i + 1 == rest.len() {
            g.split_once([',', '.']).map_or(*g, |(w, _)| w)
        } else {
            g
        };
        whole.len() == 3 && digits(whole)
    })
}

/// A number from a cell. `Ok(None)` for blank or "not done"; `Err` with a Russian reason
/// when the cell holds something that is not a number (a shifted column, a letter).
pub fn parse_number(cell: &Cell) -> Result<Option<f64>, String> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Number(x) => Ok(Some(*x)),
        Cell::Text(s) => {
            if s.trim().is_empty() || is_not_done(s) {
                return Ok(None);
            }
            parse_ru_f64(s)
                .map(Some)
                .ok_or_else(|| "не число".to_string())
        }
    }
}

/// A count of people: a whole number ≥ 0 (`12.0` is accepted, `12.5` and `-3` are not).
/// Blank and "not done" are `Ok(None)`; callers decide whether blank means zero.
pub fn parse_count(cell: &Cell) -> Result<Option<u32>, String> {
    let Some(x) = parse_number(cell)? else {
        return Ok(None);
    };
    if x < 0.0 {
        return Err("отрицательное количество".into());
    }
    if x.fract() != 0.0 {
        return Err("количество должно быть целым числом".into());
    }
    if x > f64::from(u32::MAX) {
        return Err("слишком большое число".into());
    }
    Ok(Some(x as u32))
}

/// A code or id as text: floats such as `1001.0` become `1001`; zero padding is kept
/// (`000378` stays as written; matching across padding is the registry's job).
pub fn parse_code(cell: &Cell) -> Option<String> {
    match cell {
        Cell::Empty => None,
        Cell::Number(x) => Some(if x.fract() == 0.0 {
            format!("{}", *x as i64)
        } else {
            format!("{x}")
        }),
        Cell::Text(s) => {
            let t = s.trim().trim_matches('\'').trim();
            if t.is_empty() {
                return None;
            }
            // "1001.0" / "1001,0" stored as text by some exporters.
            if let Some(stripped) = t.strip_suffix(".0").or_else(|| t.strip_suffix(",0"))
                && !stripped.is_empty()
                && stripped.chars().all(|c| c.is_ascii_digit())
            {
                return Some(stripped.to_string());
            }
            Some(t.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::testutil::t;
    use proptest::prelude::*;

    #[test]
    fn numbers_as_real_files_write_them() {
        assert_eq!(parse_ru_f64("1\u{a0}234,5"), Some(1234.5));
        assert_eq!(parse_ru_f64(" 12.5 "), Some(12.5));
        assert_eq!(parse_ru_f64("-3"), Some(-3.0));
        assert_eq!(parse_ru_f64("'0"), Some(0.0));
        assert_eq!(parse_ru_f64("1,234.5"), None);
        assert_eq!(parse_ru_f64("12а"), None);
        assert_eq!(parse_ru_f64("."), None);
        assert_eq!(parse_ru_f64("1 234 567"), Some(1_234_567.0));
        assert_eq!(parse_ru_f64("-1\u{202f}234,25"), Some(-1234.25));
        assert_eq!(parse_ru_f64("1'234"), Some(1234.0));
    }

    #[test]
    fn spaces_inside_digits_only_between_thousands() {
        // «4 7» is two numbers in one cell, not 47; so are «12 34» and «1 2345».
        assert_eq!(parse_ru_f64("4 7"), None);
        assert_eq!(parse_ru_f64("12 34"), None);
        assert_eq!(parse_ru_f64("1 2345"), None);
        assert_eq!(parse_ru_f64("1234 567"), None);
        assert_eq!(parse_ru_f64("1 234,5 6"), None);
        assert_eq!(parse_number(&t("4 7")), Err("не число".into()));
        assert_eq!(parse_count(&t("4 7")), Err("не число".into()));
        assert_eq!(parse_number(&t("X")), Ok(None));
        assert_eq!(parse_number(&t("Х")), Ok(None)); // Cyrillic Ха
        assert_eq!(parse_number(&t("отсутствовал")), Ok(None));
        assert!(parse_number(&t("ж")).is_err());
    }

    #[test]
    fn counts() {
        assert_eq!(parse_count(&Cell::Number(12.0)), Ok(Some(12)));
        assert!(parse_count(&Cell::Number(12.5)).is_err());
        assert_eq!(
            parse_count(&t("-3")),
            Err("отрицательное количество".into())
        );
        assert_eq!(parse_count(&Cell::Empty), Ok(None));
    }

    #[test]
    fn codes() {
        assert_eq!(parse_code(&Cell::Number(1001.0)), Some("1001".into()));
        assert_eq!(parse_code(&t("1001.0")), Some("1001".into()));
        assert_eq!(parse_code(&t("000378")), Some("000378".into()));
    }

    #[test]
    fn text_normalisation() {
        assert_eq!(
            norm_text("  Кол-во\u{a0}участников\nЁЛКИ "),
            "кол-во участников елки"
        );
    }

    proptest! {
        #[test]
        fn decimal_comma_round_trip(x in -1.0e6f64..1.0e6) {
            let s = format!("{x:.3}").replace('.', ",");
            let back = parse_ru_f64(&s).unwrap();
            prop_assert!((back - x).abs() < 1e-3);
        }

        #[test]
        fn letters_are_rejected(s in "[а-яa-z]{1,5}") {
            prop_assert_eq!(parse_ru_f64(&s), None);
        }

        /// The iterator form agrees with the rule written out char by char.
        #[test]
        fn norm_text_is_the_documented_rule(s in "[ \u{a0}\u{2007}\n\tА-Яа-яЁёXx/ÄΣİ-]{0,12}") {
            let mut expected = String::new();
            let mut space = false;
            for ch in s.chars() {
                let ch = match ch {
                    '\u{a0}' | '\u{2007}' | '\u{202f}' | '\n' | '\r' | '\t' => ' ',
                    'ё' | 'Ё' => 'е',
                    c => c,
                };
                if ch == ' ' {
                    space = true;
                    continue;
                }
                if space && !expected.is_empty() {
                    expected.push(' ');
                }
                space = false;
                expected.extend(ch.to_lowercase());
            }
            prop_assert_eq!(&norm_text(&s), &expected);
            prop_assert!(norm_eq(&s, &expected));
            prop_assert!(!norm_eq(&s, &(expected.clone() + ".")));
        }
    }
}
