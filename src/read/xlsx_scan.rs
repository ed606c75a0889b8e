//! Fast path for xlsx workbooks: each worksheet part is inflated as a stream and its
//! `<sheetData>` is scanned for rows and cells with memchr instead of calamine's
//! event-by-event XML reader.
//!
//! Why: a ФИС ОКО participant export has ~10^5 rows × 28 columns, and a region sends 10
//! of them a year. calamine's streaming cell reader alone spends 0.55 s on the largest
//! (2.5 M cells), most of it in generic XML events, and 13.9 s on the 30 files of the
//! benchmark region — more than the whole run may take; this reader returns the same
//! sheets in 0.27 s and 7.1 s (`SHNOR_BENCH_HISTORY=0 cargo bench --bench read_xlsx`).
//!
//! Only the regular shape spreadsheet writers produce is taken: `<row>` and `<c>` elements
//! without namespace prefixes, with `<v>`, `<f>` and `<is>` children and the standard cell
//! types. Anything else — a prefix, an unknown type, a value that is not what its type
//! says — gives `None`, and the caller reads the workbook with calamine. The result must
//! be exactly calamine's (same cells, same positions, same merges), which the tests check
//! on every xlsx of the repository and of ../shared/realdata. Small parts (workbook,
//! relationships, shared strings, inline strings) go through quick-xml as calamine does.

use std::borrow::Cow;
use std::io::{Cursor, Read};
use std::sync::Arc;

use memchr::{memchr, memmem};
use quick_xml::Reader;
use quick_xml::escape::{resolve_xml_entity, unescape};
use quick_xml::events::Event;

use super::integrity::Tracked;
use super::xlsx_merges::{Merge, merges_in, sheet_parts};
use super::{Cell, Meter, Sheet, put};

/// What the scanner made of a workbook.
pub(crate) enum Scanned {
    Sheets(Vec<Sheet>),
    /// Some part is not in the plain shape this scanner reads: calamine reads the workbook
    /// (or a budget was exceeded: the meter says so).
    NotPlain,
    /// A part is damaged (a bad CRC, cut short): the reason, with the sheet's name.
    Damaged(String),
}

/// Every sheet of an xlsx held in memory; inflated bytes and cells are counted on `meter`.
pub(crate) fn read(bytes: &[u8], meter: &Meter) -> Scanned {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Scanned::NotPlain;
    };
    let parts = sheet_parts(&mut zip);
    if parts.is_empty() {
        return Scanned::NotPlain;
    }
    let strings = match shared_strings(&mut zip, meter) {
        Ok(Some(s)) => s,
        Ok(None) => return Scanned::NotPlain,
        // Over a budget (the caller reads the meter).
        Err(_) if meter.is_exceeded() => return Scanned::NotPlain,
        Err(why) => return Scanned::Damaged(format!("таблица строк книги: {why}")),
    };
    let mut sheets = Vec::with_capacity(parts.len());
    for (name, path) in parts {
        // Chart sheets and unresolved relationships are calamine's business.
        let Some(path) = path.filter(|p| p.starts_with("xl/worksheets/")) else {
            return Scanned::NotPlain;
        };
        let Ok(part) = zip.by_name(&path) else {
            return Scanned::NotPlain;
        };
        let mut part = Tracked::new(part, meter);
        let scanned = scan_part(&mut part, &strings, CHUNK, meter);
        if meter.is_exceeded() {
            return Scanned::NotPlain;
        }
        // The rest is read so the part's CRC is checked even when scanning stopped early.
        part.drain();
        if let Some(why) = part.damage(b"worksheet") {
            return Scanned::Damaged(format!("лист «{name}»: {why}"));
        }
        let Some((rows, merges)) = scanned else {
            return Scanned::NotPlain;
        };
        // `Scan::keep` stores no empty value, so no row ends in an empty cell and the last
        // row is not empty: `xlsx::finish`'s trimming would only walk a million rows.
        debug_assert!(
            rows.last().is_none_or(|r| !r.is_empty())
                && rows.iter().all(|r| r.last().is_none_or(|c| !c.is_empty()))
        );
        sheets.push(super::Sheet {
            name: Some(name),
            rows,
            merges,
        });
    }
    Scanned::Sheets(sheets)
}

/// The shared-string table, read as calamine reads it (rich-text runs joined, phonetic
/// runs skipped, `_xHHHH_` escapes decoded). An empty table when the part is absent.
/// `Err` when the part is damaged (a bad CRC, cut short).
/// Its inflated bytes count against the file's budgets like a sheet's: a table of strings
/// can be a bomb too.
fn shared_strings(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    meter: &Meter,
) -> Result<Option<Vec<Arc<str>>>, String> {
    const PATH: &str = "xl/sharedStrings.xml";
    let Some(index) = zip.index_for_name(PATH) else {
        // calamine finds parts case-insensitively; a differently cased name is left to it.
        let other_case = zip
            .file_names()
            .any(|n| n.is_ok_and(|n| n.eq_ignore_ascii_case(PATH)));
        return Ok(if other_case { None } else { Some(Vec::new()) });
    };
    let mut xml = Vec::new();
    let Ok(part) = zip.by_index(index) else {
        return Ok(None);
    };
    if let Err(e) = Tracked::new(part, meter).read_to_end(&mut xml) {
        return Err(format!(
            "не распаковывается без ошибок: {}",
            super::zip::unpack_reason(&e)
        ));
    }
    // A table cut at an `</si>` boundary would shift no index but lose the last strings:
    // the document must end with its root's closing tag.
    let tail = xml.trim_ascii_end();
    if !(tail.ends_with(b"sst>") || tail.ends_with(b"/>")) {
        return Err("обрывается, не дойдя до конца".to_string());
    }
    Ok(strings_of(&xml))
}

fn strings_of(xml: &[u8]) -> Option<Vec<Arc<str>>> {
    let mut reader = xml_reader(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == "si" => {
                out.push(Arc::from(rich_text(&mut reader, "si")?));
            }
            Event::Eof => return Some(out),
            _ => {}
        }
    }
}

/// A quick-xml reader configured as calamine configures its own.
fn xml_reader(xml: &[u8]) -> Reader<&[u8]> {
    let mut reader = Reader::from_reader(xml);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    reader
}

/// The text of a `<si>` or `<is>` element whose start tag was just read.
fn rich_text(reader: &mut Reader<&[u8]>, closing: &str) -> Option<String> {
    let mut rich: Option<String> = None;
    let mut phonetic = false;
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == "r" && rich.is_none() => {
                rich = Some(String::new());
            }
            Event::Start(e) if e.local_name().as_ref() == "rPh" => phonetic = true,
            Event::End(e) if e.local_name().as_ref() == "rPh" => phonetic = false,
            Event::End(e) if e.name().as_ref() == closing => return Some(rich.unwrap_or_default()),
            Event::Start(e) if e.local_name().as_ref() == "t" && !phonetic => {
                let preserve = e
                    .try_get_attribute("xml:space")
                    .ok()?
                    .is_some_and(|a| &*a.value == "preserve");
                let mut value = String::new();
                loop {
                    match reader.read_event().ok()? {
                        Event::Text(t) => value.push_str(&t.xml10_content()),
                        Event::CData(t) => value.push_str(&t.xml10_content()),
                        Event::GeneralRef(r) => match resolve_xml_entity(r.as_ref()) {
                            Some(s) => value.push_str(s),
                            None => value.push(r.resolve_char_ref().ok()??),
                        },
                        Event::End(end) if end.name() == e.name() => break,
                        Event::Eof => return None,
                        _ => {}
                    }
                }
                let kept = if preserve {
                    value.as_str()
                } else {
                    // ASCII whitespace only: a leading NBSP is data.
                    value.trim_matches([' ', '\t', '\r', '\n'])
                };
                rich.get_or_insert_default().push_str(&unescape_ooxml(kept));
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// Decodes Excel's `_xHHHH_` escapes (UTF-16 code units, so surrogate pairs come as two).
fn unescape_ooxml(s: &str) -> Cow<'_, str> {
    let unit_at = |i: usize| -> Option<u16> {
        let b = s.as_bytes().get(i..i + 7)?;
        if b[0] != b'_'
            || b[1] != b'x'
            || b[6] != b'_'
            || !b[2..6].iter().all(u8::is_ascii_hexdigit)
        {
            return None;
        }
        u16::from_str_radix(std::str::from_utf8(&b[2..6]).ok()?, 16).ok()
    };
    let first = memmem::find_iter(s.as_bytes(), b"_x").find(|&i| unit_at(i).is_some());
    let Some(mut i) = first else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len());
    let mut copied = 0;
    while i < s.len() {
        let Some(unit) = unit_at(i) else {
            i += 1;
            continue;
        };
        out.push_str(&s[copied..i]);
        i += 7;
        let ch = match unit {
            0xD800..=0xDBFF => match unit_at(i) {
                Some(low @ 0xDC00..=0xDFFF) => {
                    i += 7;
                    char::from_u32(
                        0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00),
                    )
                }
                _ => None,
            },
            _ => char::from_u32(u32::from(unit)),
        };
        out.push(ch.unwrap_or(char::REPLACEMENT_CHARACTER));
        copied = i;
    }
    out.push_str(&s[copied..]);
    Cow::Owned(out)
}

/// Inflated bytes read from a part at a time; the buffer holds one chunk plus the tail
/// of an unfinished row.
const CHUNK: usize = 1 << 20;
/// The most cells a new row reserves ahead.
const MAX_RESERVED: usize = 256;
/// A single row larger than this is not a table row: calamine handles such a part.
const MAX_ROW_BYTES: usize = 64 << 20;

/// Rows and merges of one worksheet part.
fn scan_part(
    mut part: impl Read,
    strings: &[Arc<str>],
    chunk: usize,
    meter: &Meter,
) -> Option<(Vec<Vec<Cell>>, Vec<Merge>)> {
    let mut buf: Vec<u8> = Vec::with_capacity(2 * chunk);
    let mut eof = false;
    // Up to and including the `<sheetData>` start tag.
    loop {
        if let Some(p) = memmem::find(&buf, b"<sheetData")
            && let Some(gt) = memchr(b'>', &buf[p..]).map(|g| p + g)
        {
            if buf[gt - 1] == b'/' {
                // `<sheetData/>`: an empty sheet.
                let rest = buf.split_off(gt + 1);
                return Some((Vec::new(), merges_in(&mut Cursor::new(rest).chain(part))));
            }
            buf.drain(..=gt);
            break;
        }
        if eof {
            return None;
        }
        eof = fill(&mut part, &mut buf, chunk)?;
    }
    let mut scan = Scan {
        strings,
        meter,
        rows: Vec::new(),
        width: 0,
        row: 0,
        col: 0,
    };
    loop {
        if !eof {
            eof = fill(&mut part, &mut buf, chunk)?;
        }
        // Scan whole rows only: up to `</sheetData>`, else to the last `</row>`.
        let (end, last) = match memmem::find(&buf, b"</sheetData>") {
            Some(p) => (p + b"</sheetData>".len(), true),
            None if eof => return None,
            None => match memmem::rfind(&buf, b"</row>") {
                Some(p) => (p + b"</row>".len(), false),
                None if buf.len() > MAX_ROW_BYTES => return None,
                None => continue,
            },
        };
        let finished = scan.segment(&buf[..end])?;
        if finished != last {
            return None;
        }
        if last {
            let rest = buf.split_off(end);
            let merges = merges_in(&mut Cursor::new(rest).chain(part));
            return Some((scan.rows, merges));
        }
        buf.drain(..end);
    }
}

/// Appends up to a chunk; `Some(true)` at the end of the part.
fn fill(part: &mut impl Read, buf: &mut Vec<u8>, chunk: usize) -> Option<bool> {
    let start = buf.len();
    buf.resize(start + chunk, 0);
    let mut filled = start;
    while filled < buf.len() {
        match part.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
    let eof = filled < buf.len();
    buf.truncate(filled);
    Some(eof)
}

struct Scan<'s, 'm> {
    strings: &'s [Arc<str>],
    meter: &'s Meter<'m>,
    rows: Vec<Vec<Cell>>,
    /// The widest row so far.
    width: usize,
    /// Row and column of a cell without `r`, tracked as calamine tracks them.
    row: u32,
    col: u32,
}

/// A byte that may follow an element name in a tag.
fn ends_name(b: Option<&u8>) -> bool {
    matches!(b, Some(b' ' | b'>' | b'/' | b'\t' | b'\n' | b'\r'))
}

impl Scan<'_, '_> {
    /// Scans complete rows; `Some(true)` when `</sheetData>` was reached.
    fn segment(&mut self, s: &[u8]) -> Option<bool> {
        let mut i = 0;
        while let Some(off) = memchr(b'<', &s[i..]) {
            let lt = i + off;
            let rest = &s[lt + 1..];
            i = if rest.first() == Some(&b'c') && ends_name(rest.get(1)) {
                self.cell(s, lt)?
            } else if rest.starts_with(b"/row>") {
                self.row = self.row.checked_add(1)?;
                self.col = 0;
                lt + 6
            } else if rest.starts_with(b"row") && ends_name(rest.get(3)) {
                let (attrs, after, closed) = tag(s, lt + 4)?;
                if let [Some(r)] = attrs_named(attrs, [b"r"])? {
                    self.row = row_number(r)?;
                }
                if closed {
                    // `<row/>` is a start and an end for calamine.
                    self.row = self.row.checked_add(1)?;
                    self.col = 0;
                }
                after
            } else if rest.starts_with(b"/sheetData>") {
                return Some(true);
            } else {
                return None;
            };
        }
        Some(false)
    }

    /// One `<c>` element starting at `lt`; returns the offset after it.
    fn cell(&mut self, s: &[u8], lt: usize) -> Option<usize> {
        if let Some((row, col, value, end)) = plain_cell(s, lt, self.strings) {
            self.col = col.checked_add(1)?;
            self.keep(row, col, value)?;
            return Some(end);
        }
        let (attrs, after, closed) = tag(s, lt + 2)?;
        let [r, t] = attrs_named(attrs, [b"r", b"t"])?;
        let (row, col) = match r {
            Some(r) => {
                let (row, col) = cell_ref(r)?;
                self.col = col;
                (row, col)
            }
            None => (self.row, self.col),
        };
        self.col = self.col.checked_add(1)?;
        if closed {
            return Some(after);
        }
        let (value, end) = self.value(s, after, t)?;
        self.keep(row, col, value)?;
        Some(end)
    }

    /// Puts a non-empty value at its place.
    fn keep(&mut self, row: u32, col: u32, value: Cell) -> Option<()> {
        if !value.is_empty() {
            let (row, col) = (row as usize, col as usize);
            self.width = self.width.max(col + 1);
            // The next cell of the last row, nearly always: what `put` does, without its
            // other cases.
            if row + 1 == self.rows.len()
                && col < super::MAX_COLS
                && let Some(last) = self.rows.last_mut()
                && last.len() == col
            {
                self.meter.cells(1, row, col).ok()?;
                last.push(value);
                return Some(());
            }
            if self.rows.len() <= row {
                // A new row gets the widest row's capacity at once rather than growing
                // (up to a plain table's width: a far cell must not reserve every row).
                self.meter.rows((row + 1 - self.rows.len()) as u64).ok()?;
                self.rows.resize_with(row, Vec::new);
                self.rows
                    .push(Vec::with_capacity(self.width.min(MAX_RESERVED)));
            }
            put(&mut self.rows, row, col, value, self.meter).ok()?;
        }
        Some(())
    }

    /// The value of a cell from its children up to `</c>` (the last child wins, as in
    /// calamine), and the offset after `</c>`. Character data holds no `<` (it is
    /// escaped), so the first `<` after a start tag is its end tag.
    fn value(&self, s: &[u8], from: usize, t: Option<&[u8]>) -> Option<(Cell, usize)> {
        let mut value = Cell::Empty;
        let mut i = from;
        loop {
            let lt = i + memchr(b'<', &s[i..])?;
            let rest = &s[lt + 1..];
            if rest.starts_with(b"/c>") {
                return Some((value, lt + 4));
            } else if rest.starts_with(b"v>") {
                let (text, end) = element_text(s, lt + 3, b"</v>")?;
                value = match t {
                    Some(b"inlineStr" | b"is") => Cell::Empty,
                    _ => typed_value(self.strings, text, t)?,
                };
                i = end;
            } else if rest.starts_with(b"v/>") {
                value = Cell::Empty;
                i = lt + 4;
            } else if rest.first() == Some(&b'f') && ends_name(rest.get(1)) {
                let (_, after, closed) = tag(s, lt + 2)?;
                i = if closed {
                    after
                } else {
                    element_text(s, after, b"</f>")?.1
                };
                value = Cell::Empty;
            } else if rest.starts_with(b"is") && ends_name(rest.get(2)) {
                let end = lt + memmem::find(&s[lt..], b"</is>")? + 5;
                let mut reader = xml_reader(&s[lt..end]);
                match reader.read_event().ok()? {
                    Event::Start(e) if e.name().as_ref() == "is" => {}
                    _ => return None,
                }
                value = text_cell(rich_text(&mut reader, "is")?);
                i = end;
            } else {
                return None;
            }
        }
    }
}

/// A `<v>` value by the cell's type, `strings` being the workbook's shared strings; `None`
/// for a value that is not what its type says (calamine then reads the workbook).
fn typed_value(strings: &[Arc<str>], raw: &[u8], t: Option<&[u8]>) -> Option<Cell> {
    match t {
        Some(b"s") => {
            if raw.is_empty() {
                return Some(Cell::Empty);
            }
            let idx = usize::try_from(ascii_integer(raw)?).ok()?;
            let s = strings.get(idx)?;
            Some(if s.is_empty() {
                Cell::Empty
            } else {
                Cell::Text(Arc::clone(s))
            })
        }
        None | Some(b"n") => {
            if raw.is_empty() {
                return Some(Cell::Empty);
            }
            // Whole numbers (most cells: scores, marks, counts) exactly, without the float
            // parser: below 10^15 every integer is an f64.
            if raw.len() < 16
                && let Some(x) = ascii_integer(raw)
            {
                return Some(Cell::Number(x as f64));
            }
            // Plain decimal notation only; anything else is left to calamine.
            if !raw
                .iter()
                .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
            {
                return None;
            }
            let x: f64 = std::str::from_utf8(raw).ok()?.parse().ok()?;
            Some(Cell::Number(x))
        }
        Some(b"b") => match std::str::from_utf8(raw).ok()?.trim() {
            "" => Some(Cell::Empty),
            "0" => Some(super::xlsx::bool_cell(false)),
            "1" => Some(super::xlsx::bool_cell(true)),
            b if b.eq_ignore_ascii_case("false") => Some(super::xlsx::bool_cell(false)),
            b if b.eq_ignore_ascii_case("true") => Some(super::xlsx::bool_cell(true)),
            _ => None,
        },
        Some(b"e") => match raw {
            b"#DIV/0!" | b"#N/A" | b"#NAME?" | b"#NULL!" | b"#NUM!" | b"#REF!" | b"#VALUE!"
            | b"#DATA!" => Some(Cell::Text(std::str::from_utf8(raw).ok()?.into())),
            _ => None,
        },
        Some(b"str") => Some(text_cell(unescape_ooxml(&xml_text(raw)?).into_owned())),
        Some(b"d") => Some(text_cell(xml_text(raw)?)),
        Some(_) => None,
    }
}

/// Digits only, as a number; `None` for anything else or past `u64`.
fn ascii_integer(raw: &[u8]) -> Option<u64> {
    if raw.is_empty() {
        return None;
    }
    raw.iter().try_fold(0u64, |n, &b| {
        b.is_ascii_digit()
            .then(|| n.checked_mul(10)?.checked_add(u64::from(b - b'0')))
            .flatten()
    })
}

/// The shape spreadsheet writers give nearly every cell, read in one pass without
/// searching (a participant export has millions of them): `<c` with one-letter attributes
/// `r`, `s`, `t` (`t` only `s` or `n`; single spaces, double quotes, `r` required), then
/// `/>` or `><v>…</v></c>`. Returns (row, column, value, offset after the element).
/// `None` for anything else, which [`Scan::cell`] then reads the general way — so a
/// `Some` here is always exactly what the general way would give.
fn plain_cell(s: &[u8], lt: usize, strings: &[Arc<str>]) -> Option<(u32, u32, Cell, usize)> {
    let mut i = lt + 2;
    let mut r = None;
    let mut t: Option<&[u8]> = None;
    loop {
        match *s.get(i)? {
            b' ' => {
                let key = *s.get(i + 1)?;
                if s.get(i + 2..i + 4)? != b"=\"" {
                    return None;
                }
                let start = i + 4;
                let len = s.get(start..)?.iter().take(24).position(|&b| b == b'"')?;
                let value = &s[start..start + len];
                if value.contains(&b'>') {
                    return None; // the general reader ends the tag there
                }
                match (key, value) {
                    (b'r', _) => r = Some(value),
                    (b't', b"s" | b"n") => t = Some(value),
                    (b's', _) => {}
                    _ => return None,
                }
                i = start + len + 1;
            }
            b'>' => break,
            b'/' if s.get(i + 1) == Some(&b'>') => {
                let (row, col) = cell_ref(r?)?;
                return Some((row, col, Cell::Empty, i + 2));
            }
            _ => return None,
        }
    }
    let (row, col) = cell_ref(r?)?;
    let from = i + 1;
    if s.get(from..from + 3)? != b"<v>" {
        return None;
    }
    let start = from + 3;
    let len = s.get(start..)?.iter().take(64).position(|&b| b == b'<')?;
    let raw = &s[start..start + len];
    let end = start + len + b"</v></c>".len();
    if s.get(start + len..end)? != b"</v></c>" {
        return None;
    }
    let value = typed_value(strings, raw, t)?;
    Some((row, col, value, end))
}

fn text_cell(s: String) -> Cell {
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s.into())
    }
}

/// The character data from `start` to the end tag `end` (which must be the next tag),
/// and the offset after the end tag.
fn element_text<'a>(s: &'a [u8], start: usize, end: &[u8]) -> Option<(&'a [u8], usize)> {
    let lt = start + memchr(b'<', s.get(start..)?)?;
    s[lt..]
        .starts_with(end)
        .then(|| (&s[start..lt], lt + end.len()))
}

/// Character data of an element: line ends normalised as XML 1.0 does, then entities.
fn xml_text(raw: &[u8]) -> Option<String> {
    let s = std::str::from_utf8(raw).ok()?;
    let s: Cow<'_, str> = if s.contains('\r') {
        Cow::Owned(s.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(s)
    };
    Some(unescape(&s).ok()?.into_owned())
}

/// The attributes of a tag whose name ends just before `from`: (attributes, offset after
/// `>`, self-closing).
fn tag(s: &[u8], from: usize) -> Option<(&[u8], usize, bool)> {
    let gt = from + memchr(b'>', s.get(from..)?)?;
    let closed = gt > from && s[gt - 1] == b'/';
    let attrs = &s[from..if closed { gt - 1 } else { gt }];
    Some((attrs, gt + 1, closed))
}

/// The raw values of the named attributes, in one pass; `None` when the attributes are
/// malformed.
fn attrs_named<'a, const N: usize>(
    mut attrs: &'a [u8],
    names: [&[u8]; N],
) -> Option<[Option<&'a [u8]>; N]> {
    let mut out = [None; N];
    loop {
        let start = attrs.iter().position(|b| !b.is_ascii_whitespace());
        let Some(start) = start else {
            return Some(out);
        };
        attrs = &attrs[start..];
        let eq = memchr(b'=', attrs)?;
        let key = attrs[..eq].trim_ascii_end();
        let after = attrs[eq + 1..].trim_ascii_start();
        let quote = *after.first()?;
        if quote != b'"' && quote != b'\'' {
            return None;
        }
        let close = memchr(quote, &after[1..])?;
        if let Some(i) = names.iter().position(|n| *n == key) {
            out[i] = Some(&after[1..=close]);
        }
        attrs = &after[close + 2..];
    }
}

/// `r` of a row: 1-based number → 0-based index.
fn row_number(r: &[u8]) -> Option<u32> {
    parse_ref(r)?.0.checked_sub(1)
}

/// `r` of a cell: «AB12» → (11, 27).
fn cell_ref(r: &[u8]) -> Option<(u32, u32)> {
    let (row, col) = parse_ref(r)?;
    Some((row.checked_sub(1)?, col.checked_sub(1)?))
}

/// Letters then digits, both optional, as calamine accepts them: (row, column), 1-based,
/// 0 where absent.
fn parse_ref(r: &[u8]) -> Option<(u32, u32)> {
    // One pass: every cell of a participant export has a reference.
    let mut col: u32 = 0;
    let mut i = 0;
    while let Some(b) = r.get(i).filter(|b| b.is_ascii_alphabetic()) {
        col = col
            .checked_mul(26)?
            .checked_add(u32::from(b.to_ascii_uppercase() - b'A') + 1)?;
        i += 1;
    }
    let mut row: u32 = 0;
    for b in &r[i..] {
        if !b.is_ascii_digit() {
            return None;
        }
        row = row.checked_mul(10)?.checked_add(u32::from(b - b'0'))?;
    }
    Some((row, col))
}

#[cfg(test)]
#[path = "xlsx_scan_tests.rs"]
mod tests;
