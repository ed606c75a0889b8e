//! Format sniffing from the first bytes of a file. Extensions lie (ФИС ОКО and РЦОИ
//! exports are renamed, FastReport writes XML as `.xls`), so the content decides.

/// What a file looks like.
#[derive(Debug, PartialEq)]
pub(crate) enum Kind {
    /// Zero bytes or only whitespace.
    Empty,
    /// Office Open XML workbook (xlsx/xlsm).
    Xlsx,
    /// OpenDocument spreadsheet.
    Ods,
    /// Legacy BIFF `.xls` (an OLE compound file).
    Xls,
    /// SpreadsheetML 2003 XML (Excel 2003 «XML-таблица», FastReport `.xls`).
    SpreadsheetMl,
    /// A plain zip archive (not an Office document).
    Zip,
    /// Text: read as CSV/TSV.
    Text,
    /// Not a spreadsheet; the string says what it looks like, in Russian.
    Other(String),
}

/// Decides the kind of a file from its bytes.
pub(crate) fn sniff(bytes: &[u8]) -> Kind {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Kind::Empty;
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return sniff_zip(bytes);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Kind::Xls;
    }
    if let Some(what) = known_binary(bytes) {
        return Kind::Other(what.to_string());
    }
    // UTF-16 text starts with a BOM and is full of NULs, so check it before the NUL test.
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Kind::Text;
    }
    let head = &bytes[..bytes.len().min(8192)];
    let start = String::from_utf8_lossy(&head[..head.len().min(2048)]).to_lowercase();
    let start_trim = start.trim_start_matches('\u{feff}').trim_start();
    if start_trim.starts_with("<?xml")
        || start.contains("urn:schemas-microsoft-com:office:spreadsheet")
    {
        if start.contains("urn:schemas-microsoft-com:office:spreadsheet")
            || start.contains("<workbook")
        {
            return Kind::SpreadsheetMl;
        }
        return Kind::Other(
            "это XML-файл, но не таблица Excel 2003 (нет элемента Workbook)".to_string(),
        );
    }
    if start_trim.starts_with("<!doctype html") || start_trim.starts_with("<html") {
        return Kind::Other(
            "это веб-страница (HTML), а не таблица; откройте её в Excel и сохраните как xlsx"
                .to_string(),
        );
    }
    let controls = head
        .iter()
        .filter(|&&b| b == 0 || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)))
        .count();
    if head.contains(&0) || controls * 20 > head.len() {
        return Kind::Other(
            "двоичный файл неизвестного формата (не текст и не книга Excel)".to_string(),
        );
    }
    Kind::Text
}

/// Magic numbers of files analysts most often confuse with tables.
fn known_binary(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: [(&[u8], &str); 9] = [
        (b"%PDF", "это PDF-документ; нужна выгрузка в Excel или CSV"),
        (b"\x89PNG", "это изображение PNG"),
        (b"\xFF\xD8\xFF", "это изображение JPEG"),
        (b"GIF8", "это изображение GIF"),
        (
            b"Rar!",
            "это архив RAR; распакуйте его или пересохраните как zip",
        ),
        (
            b"7z\xBC\xAF",
            "это архив 7z; распакуйте его или пересохраните как zip",
        ),
        (b"\x1F\x8B", "это архив gzip; распакуйте его"),
        (b"{\\rtf", "это документ RTF, а не таблица"),
        (b"\x00\x00\x01\x00", "это значок (ico)"),
    ];
    MAGIC
        .iter()
        .find(|(m, _)| bytes.starts_with(m))
        .map(|(_, what)| *what)
}

/// Tells an Office document from a plain archive by the member names, which are stored
/// uncompressed in the local headers and the central directory.
fn sniff_zip(bytes: &[u8]) -> Kind {
    // The central directory at the end lists every name; look there (and at the head,
    // where `mimetype` sits in ODS) before scanning the whole file.
    let find = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
    let tail = &bytes[bytes.len().saturating_sub(1 << 18)..];
    let head = &bytes[..bytes.len().min(1 << 16)];
    let has = |needle: &[u8]| find(tail, needle) || find(head, needle) || find(bytes, needle);
    if has(b"xl/workbook.xml") {
        Kind::Xlsx
    } else if has(b"application/vnd.oasis.opendocument.spreadsheet") {
        Kind::Ods
    } else if has(b"xl/workbook.bin") {
        Kind::Other("это двоичная книга Excel (xlsb); пересохраните её как xlsx".to_string())
    } else if has(b"word/document.xml") || has(b"application/vnd.oasis.opendocument.text") {
        Kind::Other(
            "это текстовый документ (Word/ODT), а не таблица; нужна выгрузка в Excel или CSV"
                .to_string(),
        )
    } else {
        Kind::Zip
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_whitespace_are_empty() {
        assert_eq!(sniff(b""), Kind::Empty);
        assert_eq!(sniff(b" \r\n\t"), Kind::Empty);
    }

    #[test]
    fn pictures_and_pdf_are_not_tables() {
        assert!(matches!(sniff(b"%PDF-1.7\n%\xE2\xE3"), Kind::Other(d) if d.contains("PDF")));
        assert!(
            matches!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Kind::Other(d) if d.contains("PNG"))
        );
    }

    #[test]
    fn binary_garbage_is_not_text() {
        let bytes: Vec<u8> = (0..2000u32).map(|i| (i * 7919 % 251) as u8).collect();
        assert!(matches!(sniff(&bytes), Kind::Other(_)));
    }

    #[test]
    fn text_and_xml() {
        assert_eq!(sniff("a;b\n1;2\n".as_bytes()), Kind::Text);
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?><Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\">"),
            Kind::SpreadsheetMl
        );
        assert_eq!(sniff(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1]), Kind::Xls);
    }
}
