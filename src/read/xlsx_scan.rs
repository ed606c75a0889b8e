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

use super::xlsx_merges::{Merge, merges_in, sheet_parts};
use super::{Cell, Sheet, put};

/// Every sheet of an xlsx held in memory, or `None` when some part is not in the plain
/// shape this scanner reads (then calamine reads the workbook).
pub(crate) fn read(bytes: &[u8]) -> Option<Vec<Sheet>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let parts = sheet_parts(&mut zip);
    if parts.is_empty() {
        return None;
    }
    let strings = shared_strings(&mut zip)?;
    let mut sheets = Vec::with_capacity(parts.len());
    for (name, path) in parts {
        // Chart sheets and unresolved relationships are calamine's business.
        let path = path.filter(|p| p.starts_with("xl/worksheets/"))?;
        let part = zip.by_name(&path).ok()?;
        let (rows, merges) = scan_part(part, &strings, CHUNK)?;
        sheets.push(super::xlsx::finish(name, rows, merges));
    }
    Some(sheets)
}

/// The shared-string table, read as calamine reads it (rich-text runs joined, phonetic
/// runs skipped, `_xHHHH_` escapes decoded). An empty table when the part is absent.
fn shared_strings(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Option<Vec<Arc<str>>> {
    const PATH: &str = "xl/sharedStrings.xml";
    let Some(index) = zip.index_for_name(PATH) else {
        // calamine finds parts case-insensitively; a differently cased name is left to it.
        let other_case = zip
            .file_names()
            .any(|n| n.is_ok_and(|n| n.eq_ignore_ascii_case(PATH)));
        return if other_case { None } else { Some(Vec::new()) };
    };
    let mut xml = Vec::new();
    zip.by_index(index).ok()?.read_to_end(&mut xml).ok()?;
    let mut reader = xml_reader(&xml);
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
/// A single row larger than this is not a table row: calamine handles such a part.
const MAX_ROW_BYTES: usize = 64 << 20;

/// Rows and merges of one worksheet part.
fn scan_part(
    mut part: impl Read,
    strings: &[Arc<str>],
    chunk: usize,
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

struct Scan<'s> {
    strings: &'s [Arc<str>],
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

impl Scan<'_> {
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
        if !value.is_empty() {
            let (row, col) = (row as usize, col as usize);
            self.width = self.width.max(col + 1);
            if self.rows.len() <= row {
                // A new row gets the widest row's capacity at once rather than growing.
                self.rows.resize_with(row, Vec::new);
                self.rows.push(Vec::with_capacity(self.width));
            }
            put(&mut self.rows, row, col, value).ok()?;
        }
        Some(end)
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
                    _ => self.v(text, t)?,
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

    /// A `<v>` value by the cell's type.
    fn v(&self, raw: &[u8], t: Option<&[u8]>) -> Option<Cell> {
        match t {
            Some(b"s") => {
                if raw.is_empty() {
                    return Some(Cell::Empty);
                }
                if !raw.iter().all(u8::is_ascii_digit) {
                    return None;
                }
                let idx: usize = std::str::from_utf8(raw).ok()?.parse().ok()?;
                let s = self.strings.get(idx)?;
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
    let letters = r.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let digits = &r[letters..];
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut col: u32 = 0;
    for b in &r[..letters] {
        col = col
            .checked_mul(26)?
            .checked_add(u32::from(b.to_ascii_uppercase() - b'A') + 1)?;
    }
    let mut row: u32 = 0;
    for b in digits {
        row = row.checked_mul(10)?.checked_add(u32::from(b - b'0'))?;
    }
    Some((row, col))
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::path::{Path, PathBuf};

    use proptest::prelude::*;

    use super::*;
    use crate::read::sniff;
    use crate::read::testutil::t;
    use crate::read::xlsx::read_xlsx_calamine;

    /// Both readers on one workbook: `Some(true)` when the scanner took it and agreed,
    /// `Some(false)` when it left it to calamine; panics on any difference.
    fn compare(label: &str, bytes: &[u8]) -> bool {
        let Some(fast) = read(bytes) else {
            return false;
        };
        let (slow, _) = read_xlsx_calamine(label, bytes)
            .unwrap_or_else(|e| panic!("{label}: scanner read a workbook calamine rejects: {e}"));
        assert_eq!(fast.len(), slow.len(), "{label}: sheet count");
        for (f, s) in fast.iter().zip(&slow) {
            assert_eq!(f.name, s.name, "{label}");
            assert_eq!(f.merges, s.merges, "{label}: merges of {:?}", f.name);
            assert_eq!(f.rows.len(), s.rows.len(), "{label}: rows of {:?}", f.name);
            for (r, (fr, sr)) in f.rows.iter().zip(&s.rows).enumerate() {
                assert_eq!(fr, sr, "{label}: sheet {:?}, row {}", f.name, r + 1);
            }
        }
        true
    }

    /// Every xlsx under `dir` (members of zip archives included): (taken, left to calamine).
    fn compare_tree(dir: &Path) -> (usize, usize) {
        let mut counts = (0, 0);
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else {
                continue;
            };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                let bytes = std::fs::read(&p).unwrap();
                for (label, member) in xlsx_members(&p, bytes) {
                    if compare(&label, &member) {
                        counts.0 += 1;
                    } else {
                        counts.1 += 1;
                    }
                }
            }
        }
        counts
    }

    fn xlsx_members(path: &Path, bytes: Vec<u8>) -> Vec<(String, Vec<u8>)> {
        let label = path.display().to_string();
        match sniff::sniff(&bytes) {
            sniff::Kind::Xlsx => vec![(label, bytes)],
            sniff::Kind::Zip => {
                let mut zip = zip::ZipArchive::new(Cursor::new(&bytes[..])).unwrap();
                let mut out = Vec::new();
                for i in 0..zip.len() {
                    let mut m = zip.by_index(i).unwrap();
                    let mut inner = Vec::new();
                    m.read_to_end(&mut inner).unwrap();
                    if sniff::sniff(&inner) == sniff::Kind::Xlsx {
                        out.push((format!("{label}/{}", m.name().unwrap()), inner));
                    }
                }
                out
            }
            _ => Vec::new(),
        }
    }

    #[test]
    fn agrees_with_calamine_on_the_repository_workbooks() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let mut taken = 0;
        for dir in ["examples", "fixtures"] {
            let (t, left) = compare_tree(&root.join(dir));
            eprintln!("{dir}: {t} workbooks scanned, {left} left to calamine");
            taken += t;
        }
        // The demo's ФИС ОКО-style exports are plain: the fast path must take them.
        assert!(
            taken >= 20,
            "only {taken} workbooks went through the scanner"
        );
    }

    #[test]
    fn agrees_with_calamine_on_realdata() {
        let near = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/realdata");
        let dir = if near.is_dir() {
            near
        } else {
            PathBuf::from("/work/shared/realdata")
        };
        if !dir.is_dir() {
            eprintln!("SKIPPED: ../shared/realdata absent");
            return;
        }
        let (taken, left) = compare_tree(&dir);
        eprintln!("realdata: {taken} workbooks scanned, {left} left to calamine");
        // The ФИС ОКО exports there (Excel-written, shared strings) are plain.
        assert!(
            taken >= 5,
            "only {taken} realdata workbooks went through the scanner"
        );
    }

    /// An xlsx from hand-written parts: one sheet with the given `<sheetData>` and
    /// shared strings.
    fn workbook(sheet_data: &str, shared: &str) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default();
        let mut part = |name: &str, body: &str| {
            zip.start_file(name, opts).unwrap();
            zip.write_all(body.as_bytes()).unwrap();
        };
        part(
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#,
        );
        part(
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        );
        part(
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Лист &amp; 1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        );
        part(
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
        );
        part(
            "xl/sharedStrings.xml",
            &format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{shared}</sst>"#
            ),
        );
        part(
            "xl/worksheets/sheet1.xml",
            &format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{sheet_data}</worksheet>"#
            ),
        );
        zip.finish().unwrap();
        out.into_inner()
    }

    const SHARED: &str = concat!(
        "<si><t>Код ОО</t></si>",
        "<si><t xml:space=\"preserve\"> с пробелом </t></si>",
        "<si><r><rPr><b/></rPr><t>жир</t></r><r><t>ный</t></r><rPh><t>ふり</t></rPh></si>",
        "<si><t>СОШ &amp; «Лицей» &#1025;</t></si>",
        "<si><t>строка_x000D_\nвторая</t></si>",
        "<si><t/></si>",
        "<si><t>  обрезается  </t></si>",
    );

    #[test]
    fn cells_of_every_kind_as_calamine_reads_them() {
        let data = concat!(
            "<sheetData>\n",
            "<row r=\"1\" spans=\"1:6\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>",
            "<c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"s\"><v>3</v></c><c r=\"E1\" t=\"s\"><v>4</v></c>",
            "<c r=\"F1\" t=\"s\"><v>5</v></c><c r=\"G1\" t=\"s\"><v>6</v></c></row>\n",
            "<row r=\"2\"><c r=\"A2\"><v>12.5</v></c><c r=\"B2\" s=\"3\"><v>1E-3</v></c>",
            "<c r=\"C2\" t=\"b\"><v>1</v></c><c r=\"D2\" t=\"e\"><v>#DIV/0!</v></c>",
            "<c r=\"E2\" t=\"str\"><f>A1&amp;\"x\"</f><v>a &lt; b_x000A_</v></c>",
            "<c r=\"F2\" t=\"inlineStr\"><is><t>встроенная</t></is></c><c r=\"G2\" s=\"1\"/>",
            "<c r=\"H2\"><f>SUM(A2:B2)</f><v>12.501</v></c><c r=\"I2\" t=\"d\"><v>2024-05-01T00:00:00</v></c></row>\n",
            "<row r=\"4\"/>",
            "<row><c><v>1</v></c><c t=\"s\"><v>0</v></c><c s=\"2\"/><c><v>3</v></c></row>",
            "<row r=\"7\"><c r=\"C7\" t=\"n\"><v>-4</v></c><c><v>5</v></c></row>",
            "</sheetData><mergeCells count=\"1\"><mergeCell ref=\"A1:B1\"/></mergeCells>",
        );
        let bytes = workbook(data, SHARED);
        let sheets = read(&bytes).expect("plain shape");
        assert!(compare("cells", &bytes));
        let s = &sheets[0];
        assert_eq!(s.name.as_deref(), Some("Лист & 1"));
        // Row 1: the shared strings as calamine builds them.
        assert_eq!(s.cell(0, 0), &t("Код ОО"));
        assert_eq!(s.cell(0, 1), &t(" с пробелом "));
        assert_eq!(s.cell(0, 2), &t("жирный"));
        assert_eq!(s.cell(0, 3), &t("СОШ & «Лицей» Ё"));
        assert_eq!(s.cell(0, 4), &t("строка\r\nвторая"));
        assert_eq!(s.cell(0, 5), &Cell::Empty);
        assert_eq!(s.cell(0, 6), &t("обрезается"));
        // Row 2: the cell types.
        assert_eq!(s.cell(1, 0), &Cell::Number(12.5));
        assert_eq!(s.cell(1, 1), &Cell::Number(0.001));
        assert_eq!(s.cell(1, 2), &t("ИСТИНА"));
        assert_eq!(s.cell(1, 3), &t("#DIV/0!"));
        assert_eq!(s.cell(1, 4), &t("a < b\n"));
        assert_eq!(s.cell(1, 5), &t("встроенная"));
        assert_eq!(s.cell(1, 7), &Cell::Number(12.501));
        assert_eq!(s.cell(1, 8), &t("2024-05-01T00:00:00"));
        // `<row r="4"/>` then a row without `r`: it is row 5; its cells without `r`
        // take columns 1, 2, (styled blank), 4.
        assert!(s.rows[3].is_empty());
        assert_eq!(
            s.rows[4],
            vec![
                Cell::Number(1.0),
                t("Код ОО"),
                Cell::Empty,
                Cell::Number(3.0)
            ]
        );
        // A cell without `r` follows the previous cell's column.
        assert_eq!(
            s.rows[6],
            vec![
                Cell::Empty,
                Cell::Empty,
                Cell::Number(-4.0),
                Cell::Number(5.0)
            ]
        );
        assert_eq!(s.merges, vec![(0, 0, 0, 1)]);
    }

    #[test]
    fn unusual_shapes_are_left_to_calamine() {
        let prefixed =
            "<x:sheetData><x:row r=\"1\"><x:c r=\"A1\"><x:v>1</x:v></x:c></x:row></x:sheetData>";
        let hex = "<sheetData><row r=\"1\"><c r=\"A1\"><v>0x1F</v></c></row></sheetData>";
        let unknown_type =
            "<sheetData><row r=\"1\"><c r=\"A1\" t=\"z\"><v>1</v></c></row></sheetData>";
        let missing_string =
            "<sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>99</v></c></row></sheetData>";
        for data in [prefixed, hex, unknown_type, missing_string] {
            assert!(read(&workbook(data, SHARED)).is_none(), "{data}");
        }
        // The public reader still reads the prefixed sheet, through calamine.
        let (sheets, _) = crate::read::xlsx::read_xlsx("x", &workbook(prefixed, SHARED)).unwrap();
        assert_eq!(sheets[0].cell(0, 0), &Cell::Number(1.0));
    }

    #[test]
    fn rows_split_across_chunks() {
        // 7-byte chunks cut every element somewhere; the result must not change.
        let mut data = String::from("<sheetData>");
        for r in 1..=40 {
            data.push_str(&format!(
                "<row r=\"{r}\"><c r=\"A{r}\" t=\"s\"><v>{}</v></c><c r=\"B{r}\"><v>{r}.5</v></c></row>",
                r % 7
            ));
        }
        data.push_str("</sheetData><mergeCells><mergeCell ref=\"A1:A2\"/></mergeCells>");
        let bytes = workbook(&data, SHARED);
        let mut zip = zip::ZipArchive::new(Cursor::new(&bytes[..])).unwrap();
        let strings = shared_strings(&mut zip).unwrap();
        let whole = {
            let part = zip.by_name("xl/worksheets/sheet1.xml").unwrap();
            scan_part(part, &strings, CHUNK).unwrap()
        };
        let part = zip.by_name("xl/worksheets/sheet1.xml").unwrap();
        let trickled = scan_part(part, &strings, 7).unwrap();
        assert_eq!(whole, trickled);
        assert_eq!(whole.0.len(), 40);
        assert_eq!(whole.0[39][1], Cell::Number(40.5));
        assert_eq!(whole.1, vec![(0, 0, 1, 0)]);
        assert!(compare("chunks", &bytes));
    }

    #[test]
    fn ooxml_escapes() {
        assert_eq!(unescape_ooxml("a_x000D_b"), "a\rb");
        assert_eq!(unescape_ooxml("_xD83D__xDCF7_"), "📷");
        assert_eq!(unescape_ooxml("_xD83D_x"), "\u{fffd}x");
        assert_eq!(unescape_ooxml("_x005F_x000D_"), "_x000D_");
        assert_eq!(unescape_ooxml("нет_x12"), "нет_x12");
    }

    /// A cell value for the property test: what analysts' files hold.
    fn any_cell() -> impl Strategy<Value = Option<Result<f64, String>>> {
        prop_oneof![
            2 => Just(None),
            3 => (-1e6f64..1e6).prop_map(|x| Some(Ok(x))),
            1 => (0u32..100).prop_map(|x| Some(Ok(f64::from(x)))),
            4 => "[ А-Яа-яЁё0-9&<>\"'_x\\n№«»-]{0,12}".prop_map(|s| Some(Err(s))),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        /// Whatever rust_xlsxwriter writes (shared or inline strings), both readers agree.
        #[test]
        fn agrees_with_calamine_on_written_workbooks(
            grid in proptest::collection::vec(proptest::collection::vec(any_cell(), 0..8), 0..12),
            inline in any::<bool>(),
        ) {
            let mut wb = rust_xlsxwriter::Workbook::new();
            let ws = if inline {
                wb.add_worksheet_with_constant_memory().unwrap()
            } else {
                wb.add_worksheet()
            };
            for (r, row) in grid.iter().enumerate() {
                for (c, cell) in row.iter().enumerate() {
                    match cell {
                        Some(Ok(x)) => { ws.write_number(r as u32, c as u16, *x).unwrap(); }
                        Some(Err(s)) => { ws.write_string(r as u32, c as u16, s).unwrap(); }
                        None => {}
                    }
                }
            }
            let bytes = wb.save_to_buffer().unwrap();
            prop_assert!(compare("written", &bytes));
        }
    }
}
