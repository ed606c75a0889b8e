//! SpreadsheetML 2003 («XML-таблица»), which FastReport and old РЦОИ systems save under a
//! `.xls` name. Calamine does not read it, so it is parsed here with quick-xml.
//!
//! Layout: `<Worksheet ss:Name>` → `<Table>` → `<Row ss:Index?>` → `<Cell ss:Index?
//! ss:MergeAcross? ss:MergeDown?>` → `<Data ss:Type="Number|String|…">`. Indexes are
//! 1-based and optional (a missing one means "right after the previous"). A merged value
//! is put in its first cell; the spanned cells stay Empty and the range goes to
//! `Sheet::merges`. FastReport writes broken character references (`&#48` without `;`),
//! which are repaired before parsing.

use std::borrow::Cow;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::{Cell, Meter, ReadError, Sheet, put};

/// Reads a SpreadsheetML workbook from bytes.
/// Cells and rows are counted on `meter`. A document that ends before `</Workbook>` (cut
/// short, even at a row boundary) is damaged: read in part, it would lose rows silently.
pub(crate) fn read(name: &str, bytes: &[u8], meter: &Meter) -> Result<Vec<Sheet>, ReadError> {
    let text = decode(bytes);
    let text = repair_entities(&text);
    parse(&text, meter).map_err(|(pos, e)| {
        if pos == u64::MAX {
            return ReadError::Damaged {
                path: name.to_string(),
                detail: "таблица Excel 2003 XML обрывается, не дойдя до конца документа \
                         (</Workbook>): файл недокачан или обрезан"
                    .to_string(),
            };
        }
        ReadError::NotASpreadsheet {
            path: name.to_string(),
            detail: format!(
                "таблица Excel 2003 XML повреждена (ошибка разметки около символа {pos}: {e}); \
             откройте её в Excel и пересохраните как xlsx"
            ),
        }
    })
}

/// UTF-8 unless the XML declaration names another encoding (or the bytes are not UTF-8,
/// in which case windows-1251 is the only other encoding these exports use).
fn decode(bytes: &[u8]) -> Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let prolog = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).to_lowercase();
    let declared = prolog
        .split("encoding=")
        .nth(1)
        .and_then(|rest| {
            rest.trim_start_matches(['"', '\''])
                .split(['"', '\''])
                .next()
        })
        .and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()))
        .filter(|e| *e != encoding_rs::UTF_8);
    if let Some(enc) = declared {
        return Cow::Owned(enc.decode_without_bom_handling(bytes).0.into_owned());
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => Cow::Owned(
            encoding_rs::WINDOWS_1251
                .decode_without_bom_handling(bytes)
                .0
                .into_owned(),
        ),
    }
}

/// Adds the missing `;` to numeric character references (`&#48` → `&#48;`) and escapes
/// a bare `&` that starts no reference at all, so a strict XML parser accepts the text.
pub(crate) fn repair_entities(text: &str) -> Cow<'_, str> {
    let b = text.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    while let Some(off) = text[i..].find('&') {
        let amp = i + off;
        let mut j = amp + 1;
        let fix = if b.get(j) == Some(&b'#') {
            j += 1;
            let hex = matches!(b.get(j), Some(b'x' | b'X'));
            if hex {
                j += 1;
            }
            let digits_start = j;
            while j < b.len() && (b[j].is_ascii_digit() || (hex && b[j].is_ascii_hexdigit())) {
                j += 1;
            }
            if j == digits_start {
                Some("&amp;")
            } else if b.get(j) == Some(&b';') {
                None
            } else {
                // Insert `;` after the digits.
                Some(";")
            }
        } else {
            while j < b.len() && b[j].is_ascii_alphanumeric() {
                j += 1;
            }
            if j > amp + 1 && b.get(j) == Some(&b';') {
                None
            } else {
                Some("&amp;")
            }
        };
        match fix {
            None => i = j + 1,
            Some(";") => {
                let o = out.get_or_insert_with(|| String::with_capacity(text.len() + 16));
                o.push_str(&text[copied..j]);
                o.push(';');
                copied = j;
                i = j;
            }
            Some(_) => {
                let o = out.get_or_insert_with(|| String::with_capacity(text.len() + 16));
                o.push_str(&text[copied..amp]);
                o.push_str("&amp;");
                copied = amp + 1;
                i = amp + 1;
            }
        }
    }
    match out {
        None => Cow::Borrowed(text),
        Some(mut o) => {
            o.push_str(&text[copied..]);
            Cow::Owned(o)
        }
    }
}

/// One cell being read.
struct Pending {
    row: usize,
    col: usize,
    kind: String,
    text: String,
    has_data: bool,
}

fn parse(text: &str, meter: &Meter) -> Result<Vec<Sheet>, (u64, String)> {
    let mut reader = Reader::from_str(text);
    let err = |r: &Reader<&[u8]>, e: &dyn std::fmt::Display| (r.buffer_position(), e.to_string());
    let mut sheets: Vec<Sheet> = Vec::new();
    let mut row: usize = 0; // next row index (0-based)
    let mut col: usize = 0; // next column index (0-based)
    let mut cell: Option<Pending> = None;
    let mut in_data = 0usize; // depth inside <Data>, counting rich-text children
    let mut in_comment = 0usize;
    // Open elements, and whether the root `<Workbook>` was closed.
    let mut depth = 0usize;
    let mut closed = false;
    loop {
        let ev = reader.read_event().map_err(|e| err(&reader, &e))?;
        match &ev {
            Event::Start(_) => depth += 1,
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                closed |= depth == 0 && local_end(e.name().as_ref()) == "Workbook";
            }
            _ => {}
        }
        match ev {
            Event::Eof => break,
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(ev, Event::Empty(_));
                let local = local(e);
                if in_data > 0 {
                    if !empty {
                        in_data += 1;
                    }
                    continue;
                }
                match local.as_str() {
                    "Worksheet" => {
                        sheets.push(Sheet {
                            name: attr(e, "Name"),
                            ..Sheet::default()
                        });
                        row = 0;
                    }
                    "Row" => {
                        if let Some(i) = attr_index(e, "Index") {
                            row = i;
                        }
                        col = 0;
                        if empty {
                            row = row.saturating_add(1);
                        }
                    }
                    "Cell" => {
                        if let Some(i) = attr_index(e, "Index") {
                            col = i;
                        }
                        let across = attr_num(e, "MergeAcross");
                        let down = attr_num(e, "MergeDown");
                        if (across > 0 || down > 0)
                            && let Some(s) = sheets.last_mut()
                        {
                            s.merges.push((
                                row,
                                col,
                                row.saturating_add(down),
                                col.saturating_add(across),
                            ));
                        }
                        let here = col;
                        col = col.saturating_add(across).saturating_add(1);
                        if !empty {
                            cell = Some(Pending {
                                row,
                                col: here,
                                kind: String::new(),
                                text: String::new(),
                                has_data: false,
                            });
                        }
                    }
                    "Comment" if !empty => in_comment += 1,
                    "Data" if in_comment == 0 && !empty => {
                        if let Some(c) = cell.as_mut() {
                            c.kind = attr(e, "Type").unwrap_or_default();
                            c.has_data = true;
                            in_data = 1;
                        }
                    }
                    _ => {}
                }
            }
            Event::End(ref e) => {
                if in_data > 0 {
                    in_data -= 1;
                    continue;
                }
                match local_end(e.name().as_ref()) {
                    "Row" => row = row.saturating_add(1),
                    "Comment" => in_comment = in_comment.saturating_sub(1),
                    "Cell" => {
                        if let (Some(c), Some(s)) = (cell.take(), sheets.last_mut())
                            && c.has_data
                        {
                            let value = to_cell(&c.kind, c.text);
                            if !value.is_empty() {
                                put(&mut s.rows, c.row, c.col, value, meter)
                                    .map_err(|e| (reader.buffer_position(), e))?;
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if in_data > 0 => {
                if let Some(c) = cell.as_mut() {
                    c.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) if in_data > 0 => {
                if let Some(c) = cell.as_mut() {
                    c.text.push_str(&t);
                }
            }
            Event::GeneralRef(r) if in_data > 0 => {
                if let Some(c) = cell.as_mut() {
                    match r.resolve_char_ref() {
                        Ok(Some(ch)) => c.text.push(ch),
                        Ok(None) => match quick_xml::escape::resolve_predefined_entity(&r) {
                            Some(s) => c.text.push_str(s),
                            None => {
                                c.text.push('&');
                                c.text.push_str(&r);
                                c.text.push(';');
                            }
                        },
                        Err(e) => return Err(err(&reader, &e)),
                    }
                }
            }
            _ => {}
        }
    }
    if !closed {
        return Err((u64::MAX, String::new()));
    }
    for s in &mut sheets {
        while s.rows.last().is_some_and(Vec::is_empty) {
            s.rows.pop();
        }
    }
    Ok(sheets)
}

/// `Number` data becomes a number when it parses; everything else is text.
fn to_cell(kind: &str, text: String) -> Cell {
    if text.trim().is_empty() {
        return Cell::Empty;
    }
    match kind {
        "Number" => match text.trim().parse::<f64>() {
            Ok(x) if x.is_finite() => Cell::Number(x),
            _ => Cell::Text(text.into()),
        },
        "Boolean" => Cell::Text(
            if text.trim() == "1" {
                "ИСТИНА"
            } else {
                "ЛОЖЬ"
            }
            .into(),
        ),
        _ => Cell::Text(text.into()),
    }
}

fn local(e: &BytesStart<'_>) -> String {
    local_end(e.name().as_ref()).to_string()
}

fn local_end(qname: &str) -> &str {
    qname.rsplit(':').next().unwrap_or(qname)
}

/// An attribute by local name (`ss:Name` → `Name`), unescaped.
fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        let key: &str = a.key.as_ref();
        (local_end(key) == name).then(|| {
            quick_xml::escape::unescape(&a.value)
                .map(Cow::into_owned)
                .unwrap_or_else(|_| a.value.to_string())
        })
    })
}

/// A 1-based index attribute as a 0-based position.
fn attr_index(e: &BytesStart<'_>, name: &str) -> Option<usize> {
    attr(e, name)?.trim().parse::<usize>().ok()?.checked_sub(1)
}

fn attr_num(e: &BytesStart<'_>, name: &str) -> usize {
    attr(e, name)
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::testutil::meter;

    const HEAD: &str = r#"<?xml version="1.0"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">"#;

    fn book(body: &str) -> Vec<Sheet> {
        read(
            "t.xls",
            format!("{HEAD}{body}</Workbook>").as_bytes(),
            &meter(),
        )
        .unwrap()
    }

    #[test]
    fn indexes_merges_and_types() {
        let sheets = book(
            r#"<Worksheet ss:Name="Page 1"><Table>
<Row><Cell ss:Index="1" ss:MergeAcross="2"><Data ss:Type="String">Результаты&#10;&#48&#49 Русский язык</Data></Cell><Cell ss:Index="5"/></Row>
<Row ss:Index="3"><Cell ss:MergeDown="1"><Data ss:Type="String">Код</Data></Cell><Cell ss:Index="3"><Data ss:Type="Number">12.5</Data></Cell><Cell><Data ss:Type="String">&quot;СОШ&quot; &amp; К</Data></Cell></Row>
<Row/>
<Row><Cell><Data ss:Type="Number">7</Data><Comment><ss:Data>не значение</ss:Data></Comment></Cell></Row>
</Table></Worksheet>
<Worksheet ss:Name="Второй"><Table><Row ss:Index="2"><Cell ss:Index="2"><ss:Data ss:Type="String" xmlns="http://www.w3.org/TR/REC-html40"><B>жирный</B> текст</ss:Data></Cell></Row></Table></Worksheet>"#,
        );
        assert_eq!(sheets.len(), 2);
        let s = &sheets[0];
        assert_eq!(s.name.as_deref(), Some("Page 1"));
        // `&#10;&#48&#49` = "\n01" once the missing `;` are restored.
        assert_eq!(
            s.cell(0, 0),
            &Cell::Text("Результаты\n01 Русский язык".into())
        );
        // Row ss:Index="3" is Excel row 3 → index 2; row index 1 stays empty.
        assert!(s.rows[1].is_empty());
        assert_eq!(s.cell(2, 0), &Cell::Text("Код".into()));
        assert_eq!(s.cell(2, 2), &Cell::Number(12.5));
        // The cell after ss:Index="3" without an index is column 4 → index 3.
        assert_eq!(s.cell(2, 3), &Cell::Text("\"СОШ\" & К".into()));
        // <Row/> is row 4 (index 3); the next row is index 4, the comment is not a value.
        assert!(s.rows[3].is_empty());
        assert_eq!(s.rows[4], vec![Cell::Number(7.0)]);
        assert_eq!(s.merges, vec![(0, 0, 0, 2), (2, 0, 3, 0)]);
        assert_eq!(s.rows[0].len(), 1);
        let s2 = &sheets[1];
        assert_eq!(s2.name.as_deref(), Some("Второй"));
        assert_eq!(s2.cell(1, 1), &Cell::Text("жирный текст".into()));
    }

    #[test]
    fn merge_across_moves_the_next_cell() {
        let sheets = book(
            r#"<Worksheet ss:Name="L"><Table><Row><Cell ss:MergeAcross="1"><Data ss:Type="String">a</Data></Cell><Cell><Data ss:Type="String">b</Data></Cell></Row></Table></Worksheet>"#,
        );
        // a spans A:B, so the next cell without an index is C (index 2).
        assert_eq!(
            sheets[0].rows[0],
            vec![Cell::Text("a".into()), Cell::Empty, Cell::Text("b".into())]
        );
    }

    #[test]
    fn entity_repair() {
        assert_eq!(repair_entities("a&#48b"), "a&#48;b");
        assert_eq!(repair_entities("&#10;&#48&#50"), "&#10;&#48;&#50;");
        assert_eq!(repair_entities("x &amp; y"), "x &amp; y");
        assert_eq!(
            repair_entities("ООО Рога & Копыта"),
            "ООО Рога &amp; Копыта"
        );
        assert_eq!(repair_entities("&#x4A"), "&#x4A;");
        assert!(matches!(repair_entities("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn positions_beyond_excel_are_refused() {
        // Excel has 1,048,576 rows; row 2,000,000 can only come from a broken file and
        // must not allocate two million empty rows.
        let r = read(
            "t.xls",
            format!(
                "{HEAD}<Worksheet ss:Name=\"L\"><Table><Row ss:Index=\"2000000\"><Cell ss:MergeAcross=\"18446744073709551615\"><Data ss:Type=\"String\">x</Data></Cell></Row></Table></Worksheet></Workbook>"
            )
            .as_bytes(),
            &meter(),
        );
        assert!(
            matches!(r, Err(ReadError::NotASpreadsheet { ref detail, .. }) if detail.contains("строке 2000000")),
            "{r:?}"
        );
    }

    #[test]
    fn broken_xml_is_an_error() {
        let r = read(
            "t.xls",
            format!("{HEAD}<Worksheet><Table><Row></Cell>").as_bytes(),
            &meter(),
        );
        assert!(matches!(r, Err(ReadError::NotASpreadsheet { .. })));
    }
}
