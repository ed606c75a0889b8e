//! Hostile and damaged files of issue 13, generated small: shared by the read tests and by
//! `cargo test --lib write_attack_files -- --ignored` (writes them to `$SHNOR_ATTACKS`
//! for measuring a run's peak memory with `/usr/bin/time -v shnor validate <dir>`).

use std::io::{Cursor, Write};

/// A zip of `(name, bytes)` members, deflated unless `stored`.
pub(crate) fn zip_of(members: &[(&str, &[u8])], stored: bool) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let method = if stored {
        zip::CompressionMethod::Stored
    } else {
        zip::CompressionMethod::Deflated
    };
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(method)
        .large_file(false);
    for (name, data) in members {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// The parts of a one-sheet xlsx around a worksheet part.
pub(crate) fn xlsx_of(sheet_xml: &str, stored: bool) -> Vec<u8> {
    xlsx_with(sheet_xml, &[], stored)
}

/// [`xlsx_of`] with more parts (a table of shared strings, `xl/sharedStrings.xml`).
pub(crate) fn xlsx_with(sheet_xml: &str, more: &[(&str, &[u8])], stored: bool) -> Vec<u8> {
    let mut members: Vec<(&str, &[u8])> = vec![
        (
            "[Content_Types].xml",
            br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Лист1" sheetId="1" r:id="rId1"/></sheets></workbook>"#.as_bytes(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
        ("xl/worksheets/sheet1.xml", sheet_xml.as_bytes()),
    ];
    members.extend_from_slice(more);
    zip_of(&members, stored)
}

/// Worksheet XML of `rows` rows: a code in A and a number, and with `far` one more cell
/// in column XFD (the last of Excel) on every row.
pub(crate) fn sheet_xml(rows: usize, far: bool) -> String {
    let mut s = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for r in 1..=rows {
        s.push_str(&format!(
            "<row r=\"{r}\"><c r=\"A{r}\"><v>{r}</v></c><c r=\"B{r}\"><v>13</v></c>"
        ));
        if far {
            s.push_str(&format!("<c r=\"XFD{r}\"><v>1</v></c>"));
        }
        s.push_str("</row>");
    }
    s.push_str("</sheetData></worksheet>");
    s
}

/// SpreadsheetML 2003 of `rows` rows, with `far` a cell at column 16384 on every row.
pub(crate) fn spreadsheetml(rows: usize, far: bool) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\"?>\n<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\" \
         xmlns:ss=\"urn:schemas-microsoft-com:office:spreadsheet\"><Worksheet ss:Name=\"Лист1\"><Table>\n",
    );
    for r in 1..=rows {
        s.push_str(&format!(
            "<Row><Cell><Data ss:Type=\"Number\">{r}</Data></Cell><Cell><Data ss:Type=\"Number\">13</Data></Cell>"
        ));
        if far {
            s.push_str("<Cell ss:Index=\"16384\"><Data ss:Type=\"Number\">1</Data></Cell>");
        }
        s.push_str("</Row>\n");
    }
    s.push_str("</Table></Worksheet></Workbook>\n");
    s
}

fn record(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
    out.extend_from_slice(&typ.to_le_bytes());
    out.extend_from_slice(&(data.len() as u16).to_le_bytes());
    out.extend_from_slice(data);
}

/// A BIFF8 workbook stream: one sheet «Лист1» with numbers `(row, col, value)` and a
/// DIMENSIONS record declaring `rows` × `cols`.
pub(crate) fn biff(cells: &[(u16, u16, f64)], rows: u32, cols: u16) -> Vec<u8> {
    biff_with(cells, rows, cols, &[], &[])
}

/// [`biff`] with extra records `(type, data)`: `globals` after the sheet's BOUNDSHEET,
/// `sheet` after its cells.
pub(crate) fn biff_with(
    cells: &[(u16, u16, f64)],
    rows: u32,
    cols: u16,
    globals_extra: &[(u16, Vec<u8>)],
    sheet_extra: &[(u16, Vec<u8>)],
) -> Vec<u8> {
    let bof = |dt: u16| {
        let mut d = Vec::new();
        d.extend_from_slice(&0x0600u16.to_le_bytes());
        d.extend_from_slice(&dt.to_le_bytes());
        d.extend_from_slice(&0x0DBBu16.to_le_bytes());
        d.extend_from_slice(&0x07CCu16.to_le_bytes());
        d.extend_from_slice(&0u32.to_le_bytes());
        d.extend_from_slice(&6u32.to_le_bytes());
        d
    };
    let name: Vec<u8> = "Sheet1".bytes().collect();
    let mut globals = Vec::new();
    record(&mut globals, 0x0809, &bof(0x0005));
    let boundsheet_at = globals.len();
    let mut bs = vec![0u8; 4];
    bs.extend_from_slice(&[0, 0, name.len() as u8, 0]);
    bs.extend_from_slice(&name);
    record(&mut globals, 0x0085, &bs);
    for (t, d) in globals_extra {
        record(&mut globals, *t, d);
    }
    record(&mut globals, 0x000A, &[]);
    let sheet_at = globals.len() as u32;
    globals[boundsheet_at + 4..boundsheet_at + 8].copy_from_slice(&sheet_at.to_le_bytes());
    let mut sheet = Vec::new();
    record(&mut sheet, 0x0809, &bof(0x0010));
    let mut dims = Vec::new();
    dims.extend_from_slice(&0u32.to_le_bytes());
    dims.extend_from_slice(&rows.to_le_bytes());
    dims.extend_from_slice(&0u16.to_le_bytes());
    dims.extend_from_slice(&cols.to_le_bytes());
    dims.extend_from_slice(&0u16.to_le_bytes());
    record(&mut sheet, 0x0200, &dims);
    for &(r, c, v) in cells {
        let mut d = Vec::new();
        d.extend_from_slice(&r.to_le_bytes());
        d.extend_from_slice(&c.to_le_bytes());
        d.extend_from_slice(&0u16.to_le_bytes());
        d.extend_from_slice(&v.to_le_bytes());
        record(&mut sheet, 0x0203, &d);
    }
    for (t, d) in sheet_extra {
        record(&mut sheet, *t, d);
    }
    record(&mut sheet, 0x000A, &[]);
    globals.extend_from_slice(&sheet);
    globals
}

/// A compound file (OLE, version 3) holding `stream` as «Workbook»; the stream is padded
/// to 4096 bytes so it lives in ordinary sectors. `declared` overrides the stream size
/// written in the directory (a stream cut short).
pub(crate) fn cfb(stream: &[u8], declared: Option<usize>) -> Vec<u8> {
    const FREE: u32 = 0xFFFF_FFFF;
    const END: u32 = 0xFFFF_FFFE;
    let mut data = stream.to_vec();
    let size = declared.unwrap_or(data.len().max(4096));
    data.resize(data.len().max(4096).div_ceil(512) * 512, 0);
    let sectors = data.len() / 512;
    let mut out = vec![0u8; 512];
    out[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    let put16 =
        |o: &mut Vec<u8>, at: usize, v: u16| o[at..at + 2].copy_from_slice(&v.to_le_bytes());
    let put32 =
        |o: &mut Vec<u8>, at: usize, v: u32| o[at..at + 4].copy_from_slice(&v.to_le_bytes());
    put16(&mut out, 0x18, 0x3E);
    put16(&mut out, 0x1A, 3);
    put16(&mut out, 0x1C, 0xFFFE);
    put16(&mut out, 0x1E, 9);
    put16(&mut out, 0x20, 6);
    put32(&mut out, 0x2C, 1); // one FAT sector
    put32(&mut out, 0x30, 1); // directory in sector 1
    put32(&mut out, 0x38, 4096);
    put32(&mut out, 0x3C, END);
    put32(&mut out, 0x44, END);
    put32(&mut out, 0x4C, 0); // FAT in sector 0
    for i in 1..109 {
        put32(&mut out, 0x4C + 4 * i, FREE);
    }
    // Sector 0: the FAT.
    let mut fat = vec![FREE; 128];
    fat[0] = 0xFFFF_FFFD;
    fat[1] = END;
    for s in 0..sectors {
        fat[2 + s] = if s + 1 == sectors {
            END
        } else {
            (3 + s) as u32
        };
    }
    for v in fat {
        out.extend_from_slice(&v.to_le_bytes());
    }
    // Sector 1: the directory.
    let mut dir = vec![0u8; 512];
    let entry =
        |dir: &mut Vec<u8>, i: usize, name: &str, typ: u8, child: u32, start: u32, size: u32| {
            let e = &mut dir[i * 128..(i + 1) * 128];
            let units: Vec<u16> = name.encode_utf16().collect();
            for (k, u) in units.iter().enumerate() {
                e[2 * k..2 * k + 2].copy_from_slice(&u.to_le_bytes());
            }
            e[0x40..0x42].copy_from_slice(&(((units.len() + 1) * 2) as u16).to_le_bytes());
            e[0x42] = typ;
            e[0x43] = 1;
            e[0x44..0x48].copy_from_slice(&FREE.to_le_bytes());
            e[0x48..0x4C].copy_from_slice(&FREE.to_le_bytes());
            e[0x4C..0x50].copy_from_slice(&child.to_le_bytes());
            e[0x74..0x78].copy_from_slice(&start.to_le_bytes());
            e[0x78..0x7C].copy_from_slice(&size.to_le_bytes());
        };
    entry(&mut dir, 0, "Root Entry", 5, 1, END, 0);
    entry(&mut dir, 1, "Workbook", 2, FREE, 2, size as u32);
    for i in 2..4 {
        dir[i * 128 + 0x44..i * 128 + 0x50].fill(0xFF);
    }
    out.extend_from_slice(&dir);
    out.extend_from_slice(&data);
    out
}

/// An OpenDocument spreadsheet around a `<table:table>` body.
pub(crate) fn ods_of(table: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Лист1">{table}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = zip::write::SimpleFileOptions::default();
    w.start_file("mimetype", stored).unwrap();
    w.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    w.start_file("META-INF/manifest.xml", deflated).unwrap();
    w.write_all(manifest.as_bytes()).unwrap();
    w.start_file("content.xml", deflated).unwrap();
    w.write_all(content.as_bytes()).unwrap();
    w.finish().unwrap().into_inner()
}

/// A row of two numbers (`code`, 13) as ODS.
pub(crate) fn ods_row(code: u32) -> String {
    format!(
        r#"<table:table-row><table:table-cell office:value-type="float" office:value="{code}"><text:p>{code}</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="13"><text:p>13</text:p></table:table-cell></table:table-row>"#
    )
}

/// A CSV of `rows` lines of ten short fields (inflates ~1000× in a zip).
pub(crate) fn csv_lines(rows: usize) -> Vec<u8> {
    let mut out = b"a;b;c;d;e;f;g;h;i;j\n".to_vec();
    for _ in 0..rows {
        out.extend_from_slice(b"1;2;3;4;5;6;7;8;9;0\n");
    }
    out
}

/// Flips the first occurrence of `from` after the local header of the member named
/// `member` in a stored zip (the CRC then no longer matches).
pub(crate) fn corrupt_stored(zip: &mut [u8], member: &str, from: &[u8], to: &[u8]) {
    let at = memchr::memmem::find(zip, member.as_bytes()).unwrap() + member.len();
    let off = at + memchr::memmem::find(&zip[at..], from).unwrap();
    zip[off..off + to.len()].copy_from_slice(to);
}
