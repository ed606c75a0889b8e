//! Merged ranges of xlsx sheets, found by a byte scan of the sheet XML.
//!
//! calamine's `merge_cells_by_sheet_name` parses the whole sheet XML a second time as XML
//! events, which doubled the reading time of large participant files. `<mergeCell>`
//! elements are simple and come after `<sheetData>`, so a substring search over the
//! inflated stream finds them at a fraction of the cost.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::Event;

/// A merged range: (row1, col1, row2, col2), 0-based, inclusive.
pub(crate) type Merge = (usize, usize, usize, usize);

/// Merged ranges per sheet name.
pub(crate) type Merges = BTreeMap<String, Vec<Merge>>;

/// Scans every sheet of an xlsx held in memory. Any structural surprise yields no merges
/// for that sheet rather than an error: merges only help to read headers.
pub(crate) fn scan(bytes: &[u8]) -> Merges {
    let mut out = Merges::new();
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return out;
    };
    for (name, path) in sheet_parts(&mut zip) {
        let Some(Ok(mut part)) = path.map(|p| zip.by_name(&p)) else {
            continue;
        };
        out.insert(name, merges_in(&mut part));
    }
    out
}

/// Every sheet in workbook order with its part path (`None` when its relationship is
/// missing), from `xl/workbook.xml` and its relationships.
pub(super) fn sheet_parts(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
) -> Vec<(String, Option<String>)> {
    let read = |zip: &mut zip::ZipArchive<Cursor<&[u8]>>, p: &str| -> Option<String> {
        let mut s = String::new();
        zip.by_name(p).ok()?.read_to_string(&mut s).ok()?;
        Some(s)
    };
    let (Some(wb), Some(rels)) = (
        read(zip, "xl/workbook.xml"),
        read(zip, "xl/_rels/workbook.xml.rels"),
    ) else {
        return Vec::new();
    };
    let targets: BTreeMap<String, String> = elements(&rels, "Relationship")
        .into_iter()
        .filter_map(|a| Some((a.get("Id")?.clone(), a.get("Target")?.clone())))
        .collect();
    elements(&wb, "sheet")
        .into_iter()
        .filter_map(|a| {
            let name = a.get("name")?.clone();
            let path = a.get("r:id").and_then(|id| targets.get(id)).map(|target| {
                match target.strip_prefix('/') {
                    Some(abs) => abs.to_string(),
                    None => format!("xl/{target}"),
                }
            });
            Some((name, path))
        })
        .collect()
}

/// Attributes (unescaped) of every element with the given local name.
fn elements(xml: &str, local: &str) -> Vec<BTreeMap<String, String>> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == local => {
                let attrs = e
                    .attributes()
                    .flatten()
                    .filter_map(|a| {
                        let key: &str = a.key.as_ref();
                        let value = quick_xml::escape::unescape(&a.value).ok()?.into_owned();
                        let key = key.to_string();
                        Some((key, value))
                    })
                    .collect();
                out.push(attrs);
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

/// Streams a sheet part and collects `<mergeCell ref="A1:B2"/>` ranges.
pub(super) fn merges_in(part: &mut impl Read) -> Vec<Merge> {
    const NEEDLE: &[u8] = b"<mergeCell ";
    let finder = memchr::memmem::Finder::new(NEEDLE);
    let mut out = Vec::new();
    let mut buf: Vec<u8> = Vec::with_capacity(1 << 17);
    let mut chunk = vec![0u8; 1 << 16];
    loop {
        let n = match part.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        buf.extend_from_slice(&chunk[..n]);
        let mut search_from = 0;
        let mut unfinished = None;
        while let Some(pos) = finder.find(&buf[search_from..]) {
            let start = search_from + pos;
            let Some(end) = memchr::memchr(b'>', &buf[start..]).map(|e| start + e) else {
                unfinished = Some(start); // the element continues in the next chunk
                break;
            };
            if let Some(r) = ref_attr(&buf[start..end]).and_then(parse_range) {
                out.push(r);
            }
            search_from = end + 1;
        }
        // Keep what may still start a needle: an unfinished element, or the last bytes.
        let cut = unfinished
            .unwrap_or_else(|| buf.len().saturating_sub(NEEDLE.len() - 1).max(search_from));
        buf.drain(..cut);
    }
    out
}

fn ref_attr(element: &[u8]) -> Option<&str> {
    let at = memchr::memmem::find(element, b"ref=\"")? + 5;
    let len = memchr::memchr(b'"', &element[at..])?;
    std::str::from_utf8(&element[at..at + len]).ok()
}

/// `B3:D4` → (2, 1, 3, 3); a single cell `C5` is a 1×1 range.
fn parse_range(r: &str) -> Option<(usize, usize, usize, usize)> {
    let (a, b) = r.split_once(':').unwrap_or((r, r));
    let (r1, c1) = parse_cell(a)?;
    let (r2, c2) = parse_cell(b)?;
    Some((r1.min(r2), c1.min(c2), r1.max(r2), c1.max(c2)))
}

fn parse_cell(s: &str) -> Option<(usize, usize)> {
    let s = s.trim().trim_start_matches('$');
    let letters = s.bytes().take_while(u8::is_ascii_alphabetic).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let col = s[..letters].bytes().fold(0usize, |acc, b| {
        acc * 26 + usize::from(b.to_ascii_uppercase() - b'A' + 1)
    });
    let row: usize = s[letters..].trim_start_matches('$').parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(parse_range("A6:D6"), Some((5, 0, 5, 3)));
        assert_eq!(parse_range("CB6:CF6"), Some((5, 79, 5, 83)));
        assert_eq!(parse_range("$B$3:$C$4"), Some((2, 1, 3, 2)));
        assert_eq!(parse_range("A0:B1"), None);
    }

    #[test]
    fn needle_split_across_chunks() {
        // A reader that hands out 7 bytes at a time splits every element.
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
                let n = self.0.len().min(7).min(out.len());
                out[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let xml = br#"<sheetData><row r="1"/></sheetData><mergeCells count="2"><mergeCell ref="A1:C1"/><mergeCell ref="B2:B4"/></mergeCells>"#;
        assert_eq!(
            merges_in(&mut Trickle(xml)),
            vec![(0, 0, 0, 2), (1, 1, 3, 1)]
        );
        assert_eq!(merges_in(&mut &xml[..]), vec![(0, 0, 0, 2), (1, 1, 3, 1)]);
    }
}
