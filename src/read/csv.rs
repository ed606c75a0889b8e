//! CSV/TSV/TXT: encoding (BOM → strict UTF-8 → windows-1251) and delimiter (`;`, tab,
//! `,`) are detected, then the text is split into cells. Every cell stays text: numbers
//! with decimal commas are parsed later by normalize, which knows the column's meaning.
//!
//! The splitter is our own rather than the `csv` crate's: real exports contain
//! unescaped inner quotes (`"МБОУ "СОШ №1""`), which the `csv` crate turns into
//! `МБОУ СОШ №1""` (it leaves quoted mode at the inner quote and keeps the rest
//! verbatim). Here a quote inside a quoted field closes it only when a delimiter or the
//! end of the line follows, so such names come out as `МБОУ "СОШ №1"`.

use super::{Cell, Sheet};

/// Reads CSV bytes into one sheet and a note of what was detected, e.g.
/// «UTF-8 (BOM), разделитель «;»».
pub(crate) fn read_csv(bytes: &[u8]) -> (Sheet, String) {
    let (text, encoding) = decode(bytes);
    let delim = detect_delimiter(&text);
    let rows = parse(&text, delim.unwrap_or(';'))
        .into_iter()
        .map(|rec| {
            let mut row: Vec<Cell> = rec
                .into_iter()
                .map(|f| {
                    if f.trim().is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(f)
                    }
                })
                .collect();
            // Trailing delimiters (`a;b;`) leave empty cells that carry nothing.
            while row.last() == Some(&Cell::Empty) {
                row.pop();
            }
            row
        })
        .collect();
    let delim_note = match delim {
        Some('\t') => "разделитель «табуляция»".to_string(),
        Some(d) => format!("разделитель «{d}»"),
        None => "один столбец (разделитель не найден)".to_string(),
    };
    (
        Sheet {
            name: None,
            rows,
            merges: Vec::new(),
        },
        format!("{encoding}, {delim_note}"),
    )
}

/// Decodes text: a BOM decides; else strict UTF-8; else windows-1251. cp1251 maps every
/// byte, so it can only be the last resort, never a test.
pub(crate) fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return (String::from_utf8_lossy(rest).into_owned(), "UTF-8 (BOM)");
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        let (t, _) = encoding_rs::UTF_16LE.decode_without_bom_handling(rest);
        return (t.into_owned(), "UTF-16LE (BOM)");
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        let (t, _) = encoding_rs::UTF_16BE.decode_without_bom_handling(rest);
        return (t.into_owned(), "UTF-16BE (BOM)");
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), "UTF-8"),
        Err(_) => {
            let (t, _) = encoding_rs::WINDOWS_1251.decode_without_bom_handling(bytes);
            (t.into_owned(), "windows-1251")
        }
    }
}

/// Picks the delimiter that splits the first non-empty lines into the same number (>1)
/// of fields most often; `;` wins ties because Russian numbers use decimal commas.
fn detect_delimiter(text: &str) -> Option<char> {
    // Detection looks only at the head of the file: cut after 20 non-empty lines.
    let mut end = text.len();
    let mut seen = 0;
    for (i, line) in text.split_inclusive('\n').scan(0usize, |pos, l| {
        let start = *pos;
        *pos += l.len();
        Some((start + l.len(), l))
    }) {
        if !line.trim().is_empty() {
            seen += 1;
            if seen == 20 {
                end = i;
                break;
            }
        }
    }
    let head = &text[..end];
    let mut best: Option<(char, f64)> = None;
    for d in [';', '\t', ','] {
        let counts: Vec<usize> = parse(head, d)
            .iter()
            .filter(|r| r.iter().any(|f| !f.trim().is_empty()))
            .map(Vec::len)
            .collect();
        if counts.is_empty() {
            continue;
        }
        let mode = mode(&counts);
        if mode < 2 {
            continue;
        }
        let share = counts.iter().filter(|&&c| c == mode).count() as f64 / counts.len() as f64;
        if best.is_none_or(|(_, s)| share > s) {
            best = Some((d, share));
        }
    }
    best.map(|(d, _)| d)
}

/// The most frequent value; the larger one on ties (a title line has fewer fields).
fn mode(counts: &[usize]) -> usize {
    let mut sorted = counts.to_vec();
    sorted.sort_unstable();
    let mut best = (0, 0);
    let mut i = 0;
    while i < sorted.len() {
        let j = sorted[i..].iter().take_while(|&&c| c == sorted[i]).count();
        if j >= best.1 {
            best = (sorted[i], j);
        }
        i += j;
    }
    best.0
}

/// Splits text into records of fields. Quoted fields may hold delimiters, doubled
/// quotes and line breaks; a quote inside them that is not followed by a delimiter or
/// the end of line is taken literally (unescaped inner quote). Blank lines are kept as
/// empty records so row numbers follow the file's lines.
fn parse(text: &str, delim: char) -> Vec<Vec<String>> {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let is_end = |i: usize| {
        i >= n || chars[i] == '\n' || (chars[i] == '\r' && (i + 1 >= n || chars[i + 1] == '\n'))
    };
    // After a quote at i-1: does only whitespace stand between it and a field end?
    let closes_at = |mut i: usize| {
        while i < n && (chars[i] == ' ' || (chars[i] == '\t' && delim != '\t')) {
            i += 1;
        }
        if i >= n || chars[i] == delim || is_end(i) {
            Some(i)
        } else {
            None
        }
    };
    let mut records = Vec::new();
    let mut record: Vec<String> = Vec::new();
    let mut i = 0;
    while i < n {
        // Start of a field.
        let mut field = String::new();
        if chars[i] == '"' {
            i += 1;
            let mut inner_open = false;
            loop {
                if i >= n {
                    break;
                }
                let c = chars[i];
                if c != '"' {
                    field.push(c);
                    i += 1;
                    continue;
                }
                if i + 1 < n && chars[i + 1] == '"' {
                    // `""`: an escaped quote, unless it closes an unescaped inner quote
                    // right before the end of the field (`"МБОУ "СОШ №1""`).
                    if inner_open && let Some(j) = closes_at(i + 2) {
                        field.push('"');
                        i = j;
                        break;
                    }
                    field.push('"');
                    i += 2;
                    continue;
                }
                if let Some(j) = closes_at(i + 1) {
                    i = j;
                    break;
                }
                field.push('"');
                inner_open = !inner_open;
                i += 1;
            }
        } else {
            while i < n && chars[i] != delim && !is_end(i) {
                field.push(chars[i]);
                i += 1;
            }
        }
        record.push(field);
        // Now at a delimiter, a line end or the end of text.
        if i < n && chars[i] == delim {
            i += 1;
            if is_end(i) {
                // A delimiter right before the line end leaves one empty last field.
                record.push(String::new());
            } else {
                continue;
            }
        }
        if i < n && chars[i] == '\r' {
            i += 1;
        }
        if i < n && chars[i] == '\n' {
            i += 1;
        }
        records.push(std::mem::take(&mut record));
        // Blank lines: keep as empty records.
        while i < n && is_end(i) {
            if chars[i] == '\r' {
                i += 1;
            }
            if i < n && chars[i] == '\n' {
                i += 1;
            }
            records.push(Vec::new());
        }
    }
    records
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn texts(sheet: &Sheet) -> Vec<Vec<String>> {
        sheet
            .rows
            .iter()
            .map(|r| r.iter().map(Cell::text).collect())
            .collect()
    }

    fn cp1251(s: &str) -> Vec<u8> {
        let (b, _, unmappable) = encoding_rs::WINDOWS_1251.encode(s);
        assert!(!unmappable);
        b.into_owned()
    }

    #[test]
    fn utf8_semicolon_with_decimal_commas() {
        let (sheet, det) = read_csv("Школа;Балл\nСОШ 1;12,5\nСОШ 2;7\n".as_bytes());
        assert_eq!(det, "UTF-8, разделитель «;»");
        assert_eq!(
            texts(&sheet),
            vec![
                vec!["Школа", "Балл"],
                vec!["СОШ 1", "12,5"],
                vec!["СОШ 2", "7"]
            ]
        );
        // Decimal commas stay text for normalize.
        assert_eq!(sheet.rows[1][1], Cell::Text("12,5".into()));
    }

    #[test]
    fn utf8_bom_is_stripped() {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice("Код;Имя\n1;А\n".as_bytes());
        let (sheet, det) = read_csv(&bytes);
        assert_eq!(det, "UTF-8 (BOM), разделитель «;»");
        assert_eq!(sheet.rows[0][0], Cell::Text("Код".into()));
    }

    #[test]
    fn cp1251_is_decoded() {
        let bytes = cp1251("Наименование;Математика\nШкола №5;4,2\n");
        assert!(std::str::from_utf8(&bytes).is_err());
        let (sheet, det) = read_csv(&bytes);
        assert_eq!(det, "windows-1251, разделитель «;»");
        assert_eq!(
            texts(&sheet),
            vec![vec!["Наименование", "Математика"], vec!["Школа №5", "4,2"]]
        );
    }

    #[test]
    fn comma_and_tab_delimiters() {
        let (s, det) = read_csv(b"a,b,c\n1,2,3\n");
        assert_eq!(det, "UTF-8, разделитель «,»");
        assert_eq!(texts(&s), vec![vec!["a", "b", "c"], vec!["1", "2", "3"]]);
        let (s, det) = read_csv("a\tb\n1,5\t2\n".as_bytes());
        assert_eq!(det, "UTF-8, разделитель «табуляция»");
        assert_eq!(texts(&s), vec![vec!["a", "b"], vec!["1,5", "2"]]);
    }

    #[test]
    fn semicolon_wins_over_decimal_commas() {
        // `,` splits each line into 2 too: a tie, and `;` must win.
        let (s, det) = read_csv(b"x;y\n1,5;2\n3;4,5\n");
        assert_eq!(det, "UTF-8, разделитель «;»");
        assert_eq!(s.rows[1][0], Cell::Text("1,5".into()));
    }

    #[test]
    fn trailing_delimiter_and_quotes() {
        let text =
            "\"EDU_NAME\";\"YEAR\";\n\"Школа; филиал\";\"2016\";\n\"Он сказал \"\"да\"\"\";\"\";\n";
        let (s, _) = read_csv(text.as_bytes());
        assert_eq!(
            texts(&s),
            vec![
                vec!["EDU_NAME", "YEAR"],
                vec!["Школа; филиал", "2016"],
                vec!["Он сказал \"да\""],
            ]
        );
    }

    #[test]
    fn unescaped_inner_quotes() {
        let text = "Код;Название;Балл\n1;\"МБОУ \"СОШ №1\"\";55\n2;\"МБОУ \"Лицей\" г. Н\";60\n";
        let (s, _) = read_csv(text.as_bytes());
        assert_eq!(s.rows[1][1], Cell::Text("МБОУ \"СОШ №1\"".into()));
        assert_eq!(s.rows[1][2], Cell::Text("55".into()));
        assert_eq!(s.rows[2][1], Cell::Text("МБОУ \"Лицей\" г. Н".into()));
        assert_eq!(s.rows[2][2], Cell::Text("60".into()));
    }

    #[test]
    fn multiline_quoted_field_and_blank_lines() {
        let (s, _) = read_csv(b"a;b\r\n\"x\r\ny\";2\r\n\r\nc;3\r\n");
        assert_eq!(
            texts(&s),
            vec![vec!["a", "b"], vec!["x\r\ny", "2"], vec![], vec!["c", "3"]]
        );
    }

    #[test]
    fn single_column() {
        let (s, det) = read_csv("Школа\nСОШ 1\n".as_bytes());
        assert_eq!(det, "UTF-8, один столбец (разделитель не найден)");
        assert_eq!(texts(&s), vec![vec!["Школа"], vec!["СОШ 1"]]);
    }

    proptest! {
        #[test]
        fn cp1251_round_trip(s in "[а-яА-Я][а-яА-Я0-9 .-]{0,40}") {
            // Without ё/Ё/№ every non-ASCII cp1251 byte is >= 0xC0 and so can never be
            // followed by a UTF-8 continuation byte: strict UTF-8 must fail.
            let bytes = cp1251(&format!("Название\n{s}\n"));
            let (sheet, det) = read_csv(&bytes);
            prop_assert!(det.starts_with("windows-1251"), "{}", det);
            prop_assert_eq!(sheet.rows[1][0].text(), s);
        }

        #[test]
        fn cp1251_round_trip_with_yo(s in "[а-яА-ЯёЁ№ .,-]{0,40}") {
            // `Рё` in cp1251 (D0 B8) is valid UTF-8 («и»); a letter >= 0xC0 at the end
            // makes the bytes invalid UTF-8 so the cp1251 path is taken.
            let mut text = s.clone();
            text.push('Я');
            let (back, enc) = decode(&cp1251(&text));
            prop_assert_eq!(enc, "windows-1251");
            prop_assert_eq!(back, text);
        }
    }
}
