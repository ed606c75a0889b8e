//! Seeds and mutations. Input `i` of seed `s` depends only on `(s, i)`, so a run restarted
//! after an abort, or a finding replayed later, sees the same bytes.

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

/// Light mode (the CI slice on a debug build): amplifying mutations stay small.
pub static LIGHT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// A repeat count, cut to 2,000 in light mode.
fn amount(n: usize) -> usize {
    if LIGHT.load(std::sync::atomic::Ordering::Relaxed) {
        n.min(2000)
    } else {
        n
    }
}

/// splitmix64: tiny, deterministic on every platform, good enough to pick mutations.
pub struct Rng(u64);

impl Rng {
    pub fn for_input(seed: u64, i: u64) -> Rng {
        let mut r =
            Rng(seed.wrapping_mul(0xA076_1D64_78BD_642F) ^ i.wrapping_mul(0xE703_7ED1_A0B4_28DB));
        r.next();
        r
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    /// True with probability `pct` %.
    pub fn chance(&mut self, pct: u64) -> bool {
        self.next() % 100 < pct
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    Xlsx,
    Ods,
    Zip,
    Xls,
    Sml,
    Text,
}

pub struct Seed {
    pub name: String,
    pub ext: String,
    pub kind: Kind,
    pub bytes: Vec<u8>,
}

const EXTS: [&str; 9] = [
    "xlsx", "xlsm", "xls", "ods", "csv", "tsv", "txt", "xml", "zip",
];

pub fn kind_of(bytes: &[u8]) -> Kind {
    if bytes.starts_with(b"PK") {
        let has = |n: &[u8]| memchr::memmem::find(bytes, n).is_some();
        if has(b"xl/") {
            Kind::Xlsx
        } else if has(b"opendocument.spreadsheet") || has(b"content.xml") {
            Kind::Ods
        } else {
            Kind::Zip
        }
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Kind::Xls
    } else if memchr::memmem::find(
        &bytes[..bytes.len().min(4096)],
        b"urn:schemas-microsoft-com:office:spreadsheet",
    )
    .is_some()
    {
        Kind::Sml
    } else {
        Kind::Text
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if let Some(ext) = p.extension().map(|e| e.to_string_lossy().to_lowercase())
            && EXTS.contains(&ext.as_str())
        {
            out.push(p);
        }
    }
}

/// Every table file under the given folders (sorted, so the seed list is stable), plus
/// SpreadsheetML, ODS and zipped-CSV seeds generated from a few fixture CSVs: the repo
/// holds none of those formats.
pub fn load_seeds(dirs: &[PathBuf], root: &Path, max_len: usize) -> Vec<Seed> {
    let mut files = Vec::new();
    for d in dirs {
        walk(d, &mut files);
    }
    files.sort();
    let mut seeds: Vec<Seed> = files
        .iter()
        .filter_map(|p| {
            let bytes = std::fs::read(p).ok().filter(|b| b.len() <= max_len)?;
            let ext = p.extension()?.to_string_lossy().to_lowercase();
            let name = p.strip_prefix(root).unwrap_or(p).display().to_string();
            Some(Seed {
                name,
                kind: kind_of(&bytes),
                ext,
                bytes,
            })
        })
        .collect();
    let csvs: Vec<(String, Vec<u8>)> = seeds
        .iter()
        .filter(|s| s.kind == Kind::Text && s.bytes.len() < 20_000)
        .take(4)
        .map(|s| (s.name.clone(), s.bytes.clone()))
        .collect();
    for (name, bytes) in &csvs {
        let grid = csv_grid(bytes);
        seeds.push(Seed {
            name: format!("{name} → xml"),
            ext: "xml".into(),
            kind: Kind::Sml,
            bytes: sml(&grid),
        });
        seeds.push(Seed {
            name: format!("{name} → ods"),
            ext: "ods".into(),
            kind: Kind::Ods,
            bytes: ods(&grid),
        });
    }
    if csvs.len() >= 2 {
        let members: Vec<(String, Vec<u8>)> = csvs
            .iter()
            .enumerate()
            .map(|(i, (_, b))| (format!("папка/файл{i}.csv"), b.clone()))
            .collect();
        seeds.push(Seed {
            name: "csv → zip".into(),
            ext: "zip".into(),
            kind: Kind::Zip,
            bytes: zip(&members, true),
        });
    }
    seeds
}

fn csv_grid(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_start_matches('\u{feff}');
    let first = text.lines().next().unwrap_or("");
    let delim = [';', ',', '\t']
        .into_iter()
        .max_by_key(|d| first.matches(*d).count())
        .unwrap_or(';');
    text.lines()
        .map(|l| l.split(delim).map(str::to_string).collect())
        .collect()
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn is_num(s: &str) -> bool {
    !s.is_empty() && s.parse::<f64>().is_ok()
}

fn sml(grid: &[Vec<String>]) -> Vec<u8> {
    let mut x = String::from(
        "<?xml version=\"1.0\"?>\n<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\" \
         xmlns:ss=\"urn:schemas-microsoft-com:office:spreadsheet\">\n<Worksheet ss:Name=\"Лист1\"><Table>\n",
    );
    for row in grid {
        x.push_str("<Row>");
        for (j, c) in row.iter().enumerate() {
            if c.is_empty() {
                continue;
            }
            let t = if is_num(c) { "Number" } else { "String" };
            x.push_str(&format!(
                "<Cell ss:Index=\"{}\"><Data ss:Type=\"{t}\">{}</Data></Cell>",
                j + 1,
                esc(c)
            ));
        }
        x.push_str("</Row>\n");
    }
    x.push_str("</Table></Worksheet></Workbook>\n");
    x.into_bytes()
}

fn ods(grid: &[Vec<String>]) -> Vec<u8> {
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content \
         xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
         <office:body><office:spreadsheet><table:table table:name=\"Лист1\">\n",
    );
    for row in grid {
        x.push_str("<table:table-row>");
        for c in row {
            if c.is_empty() {
                x.push_str("<table:table-cell/>");
            } else if is_num(c) {
                x.push_str(&format!("<table:table-cell office:value-type=\"float\" office:value=\"{c}\"><text:p>{c}</text:p></table:table-cell>"));
            } else {
                x.push_str(&format!("<table:table-cell office:value-type=\"string\"><text:p>{}</text:p></table:table-cell>", esc(c)));
            }
        }
        x.push_str("</table:table-row>\n");
    }
    x.push_str("</table:table></office:spreadsheet></office:body></office:document-content>");
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest \
        xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">\
        <manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
        <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>";
    zip(
        &[
            (
                "mimetype".into(),
                b"application/vnd.oasis.opendocument.spreadsheet".to_vec(),
            ),
            ("META-INF/manifest.xml".into(), manifest.as_bytes().to_vec()),
            ("content.xml".into(), x.into_bytes()),
        ],
        true,
    )
}

/// Writes members into a new archive (`mimetype`, when present, first and stored, as ODS
/// requires).
pub fn zip(members: &[(String, Vec<u8>)], deflate: bool) -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in members {
        let method = if deflate && name != "mimetype" {
            zip::CompressionMethod::Deflated
        } else {
            zip::CompressionMethod::Stored
        };
        let opts = SimpleFileOptions::default()
            .compression_method(method)
            .large_file(data.len() >= u32::MAX as usize);
        w.start_file(name.as_str(), opts).expect("zip start");
        w.write_all(data).expect("zip write");
    }
    w.finish().expect("zip finish").into_inner()
}

/// Members of an archive, or `None` when it does not open; members over 64 MB are left
/// out so the fuzzer itself stays small.
fn unzip(bytes: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
    let mut a = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut out = Vec::new();
    for i in 0..a.len() {
        let mut f = a.by_index(i).ok()?;
        if f.size() > 64 << 20 {
            return None;
        }
        let name = String::from_utf8_lossy(f.name_raw()).into_owned();
        let mut data = Vec::new();
        f.read_to_end(&mut data).ok()?;
        out.push((name, data));
    }
    Some(out)
}

fn find_all(hay: &[u8], needle: &[u8]) -> Vec<usize> {
    memchr::memmem::find_iter(hay, needle).collect()
}

fn splice(b: &mut Vec<u8>, at: usize, del: usize, ins: &[u8]) {
    let at = at.min(b.len());
    let end = (at + del).min(b.len());
    b.splice(at..end, ins.iter().copied());
}

const HUGE: [&str; 12] = [
    "16384",
    "16385",
    "1048576",
    "1048577",
    "4294967295",
    "4294967296",
    "18446744073709551615",
    "0",
    "-1",
    "999999999999999999999999",
    "1e9",
    "65536",
];
const FAR_REFS: [&str; 10] = [
    "XFD1048576",
    "XFD1",
    "A1048576",
    "XFE1",
    "A1048577",
    "ZZZZ1",
    "A0",
    "A99999999999",
    "",
    "AAAAAAAAAAAAAAA1",
];
const WEIRD: [&str; 12] = [
    "",
    "-1",
    "1e309",
    "NaN",
    "inf",
    "99999999999999999999",
    "&#0;",
    "&#xD800;",
    "&unknown;",
    "-0",
    "1,5,5",
    "4 7",
];

/// Replaces the value of one random occurrence of `attr="…"`.
fn set_attr(rng: &mut Rng, b: &mut Vec<u8>, attr: &str, value: &str) -> bool {
    let pat = format!("{attr}=\"");
    let hits = find_all(b, pat.as_bytes());
    if hits.is_empty() {
        return false;
    }
    let start = rng.pick(&hits) + pat.len();
    let len = memchr::memchr(b'"', &b[start..]).unwrap_or(0);
    splice(b, start, len, value.as_bytes());
    true
}

/// Adds `attr` to one random start tag `<tag …`.
fn add_attr(rng: &mut Rng, b: &mut Vec<u8>, tag: &str, attr: &str) -> bool {
    let pat = format!("<{tag}");
    let hits: Vec<usize> = find_all(b, pat.as_bytes())
        .into_iter()
        .filter(|&h| matches!(b.get(h + pat.len()), Some(b' ' | b'>' | b'/')))
        .collect();
    if hits.is_empty() {
        return false;
    }
    let at = rng.pick(&hits) + pat.len();
    splice(b, at, 0, format!(" {attr}").as_bytes());
    true
}

/// One XML structure edit; returns its name, or `None` when it did not apply.
fn xml_edit(rng: &mut Rng, b: &mut Vec<u8>, kind: Kind) -> Option<String> {
    let n_rows = amount(*rng.pick(&[10usize, 200, 2000, 20_000]));
    match rng.below(16) {
        0 => {
            // Unclosed tag: drop one end tag.
            let hits = find_all(b, b"</");
            let at = *hits.get(rng.below(hits.len()))?;
            let len = memchr::memchr(b'>', &b[at..]).map_or(2, |l| l + 1);
            splice(b, at, len, b"");
            Some("xml: end tag removed".into())
        }
        1 => {
            let boundary: &[u8] = match kind {
                Kind::Sml => b"</Row>",
                Kind::Ods => b"</table:table-row>",
                _ => b"</row>",
            };
            let hits = find_all(b, boundary);
            let at = *hits.get(rng.below(hits.len()))? + boundary.len();
            b.truncate(at);
            Some("xml: member cut after a row".into())
        }
        2 => {
            let v = *rng.pick(&FAR_REFS);
            set_attr(rng, b, "r", v).then(|| format!("xml: r=\"{v}\""))
        }
        3 => {
            let v = *rng.pick(&HUGE);
            let tag = *rng.pick(&["Row", "Cell"]);
            (set_attr(rng, b, "ss:Index", v) || add_attr(rng, b, tag, &format!("ss:Index=\"{v}\"")))
                .then(|| format!("xml: ss:Index=\"{v}\""))
        }
        4 => {
            let v = *rng.pick(&HUGE);
            let a = *rng.pick(&["ss:MergeAcross", "ss:MergeDown"]);
            add_attr(rng, b, "Cell", &format!("{a}=\"{v}\"")).then(|| format!("xml: {a}=\"{v}\""))
        }
        5 => {
            let v = *rng.pick(&HUGE);
            let a = *rng.pick(&["ss:ExpandedColumnCount", "ss:ExpandedRowCount"]);
            add_attr(rng, b, "Table", &format!("{a}=\"{v}\"")).then(|| format!("xml: {a}=\"{v}\""))
        }
        6 => {
            let v = *rng.pick(&[
                "2",
                "1000",
                "16384",
                "1000000",
                "1048576",
                "4294967295",
                "0",
                "-1",
            ]);
            let (tag, a) = *rng.pick(&[
                ("table:table-cell", "table:number-columns-repeated"),
                ("table:table-row", "table:number-rows-repeated"),
                ("table:table-cell", "table:number-columns-spanned"),
                ("table:table-cell", "table:number-rows-spanned"),
                ("table:table-column", "table:number-columns-repeated"),
            ]);
            (set_attr(rng, b, a, v) || add_attr(rng, b, tag, &format!("{a}=\"{v}\"")))
                .then(|| format!("xml: {a}=\"{v}\""))
        }
        7 => {
            let v = *rng.pick(&["A1:XFD1048576", "A1:A1048576", "XFD1", "B2:A1", "A1:XFE1"]);
            if set_attr(rng, b, "ref", v) {
                return Some(format!("xml: ref=\"{v}\""));
            }
            let at = memchr::memmem::find(b, b"</worksheet>")?;
            splice(
                b,
                at,
                0,
                format!("<mergeCells count=\"1\"><mergeCell ref=\"{v}\"/></mergeCells>").as_bytes(),
            );
            Some(format!("xml: mergeCell {v}"))
        }
        8 => {
            // Sparse far cells: many rows, each with one cell at the last column.
            let (end, row): (&[u8], Box<dyn Fn(usize) -> String>) = match kind {
                Kind::Sml => (
                    b"</Table>",
                    Box::new(|_| {
                        "<Row><Cell ss:Index=\"16384\"><Data ss:Type=\"String\">x</Data></Cell></Row>".to_string()
                    }),
                ),
                Kind::Ods => (
                    b"</table:table>",
                    Box::new(|_| {
                        "<table:table-row><table:table-cell table:number-columns-repeated=\"16383\"/><table:table-cell office:value-type=\"string\"><text:p>x</text:p></table:table-cell></table:table-row>".to_string()
                    }),
                ),
                _ => (
                    b"</sheetData>",
                    Box::new(|r| {
                        format!(
                            "<row r=\"{r}\"><c r=\"XFD{r}\" t=\"inlineStr\"><is><t>x</t></is></c></row>"
                        )
                    }),
                ),
            };
            let at = memchr::memmem::rfind(b, end)?;
            let mut ins = String::new();
            for k in 0..n_rows {
                ins.push_str(&row(100_000 + k));
            }
            splice(b, at, 0, ins.as_bytes());
            Some(format!("xml: {n_rows} sparse far rows"))
        }
        9 => {
            // One row repeated many times (same row numbers).
            let (open, close): (&[u8], &[u8]) = match kind {
                Kind::Sml => (b"<Row", b"</Row>"),
                Kind::Ods => (b"<table:table-row", b"</table:table-row>"),
                _ => (b"<row", b"</row>"),
            };
            let hits = find_all(b, open);
            let s = *hits.get(rng.below(hits.len()))?;
            let e = s + memchr::memmem::find(&b[s..], close)? + close.len();
            let chunk = b[s..e].to_vec();
            let k = n_rows.min(50_000_000 / chunk.len().max(1));
            let ins: Vec<u8> = chunk
                .iter()
                .copied()
                .cycle()
                .take(chunk.len() * k)
                .collect();
            splice(b, e, 0, &ins);
            Some(format!("xml: row repeated {k}×"))
        }
        10 => {
            let hits = find_all(b, b"=\"");
            let s = *hits.get(rng.below(hits.len()))? + 2;
            let len = memchr::memchr(b'"', &b[s..]).unwrap_or(0);
            let v = *rng.pick(&WEIRD);
            splice(b, s, len, v.as_bytes());
            Some(format!("xml: attribute value «{v}»"))
        }
        11 => {
            let at = memchr::memmem::find(b, b"?>").map_or(0, |p| p + 2);
            let ent =
                "<!DOCTYPE d [<!ENTITY e \"Код ОО\"><!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;\">]>";
            splice(b, at, 0, ent.as_bytes());
            let gt = find_all(b, b"</");
            let p = *gt.get(rng.below(gt.len()))?;
            splice(b, p, 0, b"&f;");
            Some("xml: DOCTYPE with entities".into())
        }
        12 => {
            // Text content replaced: odd numbers, a 40,000-character string.
            let hits: Vec<usize> = find_all(b, b">")
                .into_iter()
                .filter(|&p| b.get(p + 1).is_some_and(|&c| c != b'<'))
                .collect();
            let s = *hits.get(rng.below(hits.len()))? + 1;
            let len = memchr::memchr(b'<', &b[s..]).unwrap_or(0);
            let v = if rng.chance(20) {
                "Ж".repeat(40_000)
            } else {
                rng.pick(&WEIRD).to_string()
            };
            splice(b, s, len, v.as_bytes());
            Some(format!(
                "xml: text «{}»",
                v.chars().take(20).collect::<String>()
            ))
        }
        13 => {
            let v = *rng.pick(&["4294967295", "-1", "1000000", "1e3", ""]);
            let hits = find_all(b, b"<v>");
            let s = *hits.get(rng.below(hits.len()))? + 3;
            let len = memchr::memchr(b'<', &b[s..]).unwrap_or(0);
            splice(b, s, len, v.as_bytes());
            Some(format!("xml: <v>{v}</v>"))
        }
        14 => {
            let (a, v) = *rng.pick(&[
                ("t", "s"),
                ("t", "b"),
                ("t", "e"),
                ("t", "d"),
                ("t", "n"),
                ("t", "str"),
                ("ss:Type", "Number"),
                ("ss:Type", "DateTime"),
                ("ss:Type", "Boolean"),
                ("office:value-type", "date"),
                ("office:value-type", "percentage"),
                ("office:value", "x"),
            ]);
            set_attr(rng, b, a, v).then(|| format!("xml: {a}=\"{v}\""))
        }
        _ => {
            let hits = find_all(b, b">");
            let at = *hits.get(rng.below(hits.len()))? + 1;
            let depth = amount(*rng.pick(&[100usize, 5000, 100_000]));
            splice(b, at, 0, "<b>".repeat(depth).as_bytes());
            Some(format!("xml: {depth} nested elements"))
        }
    }
}

/// Offsets of every zip header signature.
fn zip_headers(b: &[u8]) -> Vec<(usize, u32)> {
    let mut out = Vec::new();
    for p in find_all(b, b"PK") {
        if let Some(sig) = b.get(p..p + 4) {
            let s = u32::from_le_bytes(sig.try_into().unwrap());
            if matches!(s, 0x0403_4b50 | 0x0201_4b50 | 0x0605_4b50) {
                out.push((p, s));
            }
        }
    }
    out
}

fn put_le(b: &mut [u8], at: usize, width: usize, v: u64) {
    for k in 0..width {
        if let Some(x) = b.get_mut(at + k) {
            *x = (v >> (8 * k)) as u8;
        }
    }
}

/// One raw edit of a zip header field (sizes, CRC, method, offsets, counts).
fn zip_edit(rng: &mut Rng, b: &mut [u8]) -> Option<String> {
    let hs = zip_headers(b);
    let &(p, sig) = hs.get(rng.below(hs.len()))?;
    let fields: &[(&str, usize, usize)] = match sig {
        0x0403_4b50 => &[
            ("method", 8, 2),
            ("crc", 14, 4),
            ("csize", 18, 4),
            ("usize", 22, 4),
            ("name_len", 26, 2),
            ("extra_len", 28, 2),
            ("flags", 6, 2),
        ],
        0x0201_4b50 => &[
            ("method", 10, 2),
            ("crc", 16, 4),
            ("csize", 20, 4),
            ("usize", 24, 4),
            ("name_len", 28, 2),
            ("extra_len", 30, 2),
            ("local_offset", 42, 4),
            ("flags", 8, 2),
        ],
        _ => &[
            ("entries", 8, 2),
            ("entries_total", 10, 2),
            ("cd_size", 12, 4),
            ("cd_offset", 16, 4),
            ("comment_len", 20, 2),
        ],
    };
    let &(f, off, w) = rng.pick(fields);
    let v: u64 = if f == "method" {
        *rng.pick(&[0u64, 8, 9, 12, 14, 93, 99, 1])
    } else {
        let max = if w == 2 { 0xFFFF } else { 0xFFFF_FFFF };
        let r = rng.next() & max;
        *rng.pick(&[0u64, 1, 2, 100, max, max - 1, r, 1 << 20, 1 << 30])
    };
    put_le(b, p + off, w, v);
    let what = match sig {
        0x0403_4b50 => "local",
        0x0201_4b50 => "central",
        _ => "end",
    };
    Some(format!("zip: {what} {f} = {v}"))
}

/// Nests the input in 1–4 archive levels; sometimes many copies side by side.
fn nest(rng: &mut Rng, b: Vec<u8>, ext: &str) -> (Vec<u8>, String) {
    let levels = 1 + rng.below(4);
    let copies = *rng.pick(&[1usize, 1, 2, 20]);
    let mut cur = b;
    let mut name = format!("выгрузка.{ext}");
    for lvl in 0..levels {
        let members: Vec<(String, Vec<u8>)> = (0..if lvl == 0 { copies } else { 1 })
            .map(|c| (format!("{c}_{name}"), cur.clone()))
            .collect();
        cur = zip(&members, rng.chance(70));
        name = format!("уровень{lvl}.zip");
    }
    (
        cur,
        format!("zip: nested {levels} level(s), {copies} member(s)"),
    )
}

/// A highly compressible CSV in an archive: small on disk, large once inflated.
fn inflating_csv(rng: &mut Rng, seed: &[u8]) -> (Vec<u8>, String) {
    let mb = amount(*rng.pick(&[1usize, 8, 40, 120]) << 10) >> 10;
    let body = if seed.len() < 200 {
        b"101;40;0;4;16;20\n".to_vec()
    } else {
        seed.to_vec()
    };
    let head_end = memchr::memchr(b'\n', &body).map_or(body.len(), |p| p + 1);
    let mut csv = body[..head_end].to_vec();
    let line = body[head_end..]
        .split(|&c| c == b'\n')
        .find(|l| !l.is_empty())
        .unwrap_or(b"1;2")
        .to_vec();
    while csv.len() < mb << 20 {
        csv.extend_from_slice(&line);
        csv.push(b'\n');
    }
    (
        zip(&[("большой.csv".into(), csv)], true),
        format!("zip: CSV inflating to {mb} MB"),
    )
}

fn csv_edit(rng: &mut Rng, b: &mut Vec<u8>) -> Option<String> {
    match rng.below(8) {
        0 => {
            let text = String::from_utf8_lossy(b).into_owned();
            let (enc, name): (&'static encoding_rs::Encoding, &str) = *rng.pick(&[
                (encoding_rs::WINDOWS_1251, "windows-1251"),
                (encoding_rs::KOI8_R, "koi8-r"),
                (encoding_rs::IBM866, "cp866"),
            ]);
            *b = enc.encode(&text).0.into_owned();
            Some(format!("csv: re-encoded {name}"))
        }
        1 => {
            let text = String::from_utf8_lossy(b)
                .trim_start_matches('\u{feff}')
                .to_string();
            let be = rng.chance(50);
            let bom = rng.chance(70);
            let mut out = Vec::new();
            if bom {
                out.extend_from_slice(if be { &[0xFE, 0xFF] } else { &[0xFF, 0xFE] });
            }
            for u in text.encode_utf16() {
                out.extend_from_slice(&if be { u.to_be_bytes() } else { u.to_le_bytes() });
            }
            *b = out;
            Some(format!(
                "csv: UTF-16{} bom={bom}",
                if be { "BE" } else { "LE" }
            ))
        }
        2 => {
            let opts: [&[u8]; 6] = [b",", b"\t", b"|", b" ", b";;", b"\",\""];
            let to = *rng.pick(&opts);
            let from = *rng.pick(b";,\t");
            *b = b
                .iter()
                .flat_map(|&c| if c == from { to.to_vec() } else { vec![c] })
                .collect();
            Some(format!(
                "csv: delimiter {:?} → {:?}",
                from as char,
                String::from_utf8_lossy(to)
            ))
        }
        3 => {
            let at = rng.below(b.len() + 1);
            let opts: [&[u8]; 7] = [
                b"\"",
                b"\"\"\"",
                b"\0",
                b"\r",
                b"\n\n\n",
                b"\xEF\xBB\xBF",
                b"\xFF\xFE",
            ];
            let what = *rng.pick(&opts);
            splice(b, at, 0, what);
            Some(format!("csv: inserted {:?}", String::from_utf8_lossy(what)))
        }
        4 => {
            *b = b
                .iter()
                .map(|&c| if c == b'\n' { b'\r' } else { c })
                .collect();
            Some("csv: CR line ends".into())
        }
        5 => {
            let n = amount(*rng.pick(&[16_384usize, 100_000, 1_000_000]));
            let at = memchr::memchr(b'\n', b).map_or(b.len(), |p| p + 1);
            let mut line = vec![b';'; n];
            line.extend_from_slice(b"x\n");
            splice(b, at, 0, &line);
            Some(format!("csv: a row with {n} columns"))
        }
        6 => {
            let k = amount(*rng.pick(&[1000usize, 100_000, 1_000_000]));
            let last = b.split(|&c| c == b'\n').rfind(|l| !l.is_empty())?.to_vec();
            for _ in 0..k.min(80_000_000 / (last.len() + 1)) {
                b.extend_from_slice(&last);
                b.push(b'\n');
            }
            Some(format!("csv: last row repeated {k}×"))
        }
        _ => {
            let hits: Vec<usize> = (0..b.len()).filter(|&p| b[p].is_ascii_digit()).collect();
            let at = *hits.get(rng.below(hits.len()))?;
            let v = *rng.pick(&[
                "1e308",
                "NaN",
                "-0",
                "99999999999999999999999",
                "1,5,5",
                "4 7",
                "-5",
                "250",
                "0,6",
                "1e-320",
            ]);
            splice(b, at, 1, v.as_bytes());
            Some(format!("csv: number «{v}»"))
        }
    }
}

/// BIFF records worth corrupting, with the size of their fixed part.
const BIFF: [(u16, &str); 9] = [
    (0x0200, "DIMENSIONS"),
    (0x0208, "ROW"),
    (0x0203, "NUMBER"),
    (0x00FD, "LABELSST"),
    (0x00FC, "SST"),
    (0x00E5, "MERGEDCELLS"),
    (0x027E, "RK"),
    (0x00BD, "MULRK"),
    (0x0085, "BOUNDSHEET"),
];

fn xls_edit(rng: &mut Rng, b: &mut [u8]) -> Option<String> {
    if rng.chance(15) {
        // Compound-file header: sector shifts, FAT counts, directory start.
        let &(f, off, w) = rng.pick(&[
            ("sector_shift", 30usize, 2usize),
            ("mini_shift", 32, 2),
            ("fat_sectors", 44, 4),
            ("dir_start", 48, 4),
            ("mini_cutoff", 56, 4),
            ("minifat_start", 60, 4),
            ("difat_start", 68, 4),
        ]);
        let v = *rng.pick(&[
            0u64,
            1,
            7,
            12,
            0xFFFF,
            0xFFFF_FFFE,
            0xFFFF_FFFF,
            0x7FFF_FFFF,
        ]);
        put_le(b, off, w, v);
        return Some(format!("xls: CFB header {f} = {v}"));
    }
    let (ty, name) = *rng.pick(&BIFF);
    let hits: Vec<usize> = find_all(b, &ty.to_le_bytes())
        .into_iter()
        .filter(|&p| {
            b.get(p + 2..p + 4).is_some_and(|l| {
                let len = u16::from_le_bytes([l[0], l[1]]) as usize;
                (4..=8224).contains(&len) && p + 4 + len <= b.len()
            })
        })
        .collect();
    let p = *hits.get(rng.below(hits.len()))?;
    let len = u16::from_le_bytes([b[p + 2], b[p + 3]]) as usize;
    if ty == 0x0200 && len >= 14 {
        let rows = *rng.pick(&[1_048_576u64, 65_536, 0xFFFF_FFFF, 100_000]);
        let cols = *rng.pick(&[16_384u64, 256, 0xFFFF]);
        put_le(b, p + 8, 4, rows);
        put_le(b, p + 14, 2, cols);
        return Some(format!("xls: DIMENSIONS {rows}×{cols}"));
    }
    let off = 4 + 2 * rng.below(len / 2);
    let w = *rng.pick(&[2usize, 4]);
    let r = rng.next();
    let v = *rng.pick(&[0u64, 0xFFFF, 0xFFFF_FFFF, 0x3FFF, 0x10000, r]);
    put_le(b, p + off, w, v);
    Some(format!("xls: {name} field +{} = {v}", off - 4))
}

fn generic_edit(rng: &mut Rng, b: &mut Vec<u8>, others: &[Seed]) -> String {
    match rng.below(6) {
        0 => {
            let n = 1 + rng.below(8);
            for _ in 0..n {
                if b.is_empty() {
                    break;
                }
                let at = rng.below(b.len());
                b[at] = match rng.below(3) {
                    0 => b[at] ^ (1 << rng.below(8)),
                    1 => *rng.pick(&[0u8, 0xFF, 0x7F, 0x80, b'"', b'<', b';']),
                    _ => rng.next() as u8,
                };
            }
            format!("bytes: {n} flipped")
        }
        1 => {
            let at = rng.below(b.len() + 1);
            b.truncate(at);
            format!("bytes: truncated at {at}")
        }
        2 => {
            let tokens: &[&[u8]] = &[
                b"</row>",
                b"</Row>",
                b"</table:table-row>",
                b"\n",
                b"PK\x03\x04",
                b"PK\x01\x02",
                b"PK\x05\x06",
            ];
            let t = *rng.pick(tokens);
            let hits = find_all(b, t);
            if let Some(&h) = hits.get(rng.below(hits.len())) {
                let at = if t.starts_with(b"PK") { h } else { h + t.len() };
                b.truncate(at);
                format!(
                    "bytes: truncated at boundary {:?} ({at})",
                    String::from_utf8_lossy(t)
                )
            } else {
                b.truncate(b.len() / 2);
                "bytes: truncated at half".into()
            }
        }
        3 => {
            let s = rng.below(b.len() + 1);
            let e = (s + 1 + rng.below(64)).min(b.len());
            let chunk = b[s..e].to_vec();
            let k = amount(*rng.pick(&[2usize, 10, 1000]));
            let ins: Vec<u8> = chunk
                .iter()
                .copied()
                .cycle()
                .take(chunk.len() * k)
                .collect();
            splice(b, e, 0, &ins);
            format!("bytes: chunk of {} repeated {k}×", chunk.len())
        }
        4 => {
            let s = rng.below(b.len() + 1);
            let n = 1 + rng.below(256);
            splice(b, s, n, b"");
            format!("bytes: {n} deleted at {s}")
        }
        _ => {
            let o = &rng.pick(others).bytes;
            let at = rng.below(b.len() + 1);
            let from = rng.below(o.len() + 1);
            b.truncate(at);
            b.extend_from_slice(&o[from..]);
            format!("bytes: spliced another seed at {at}")
        }
    }
}

/// One fuzz input: its bytes, the extension to save it under, the seed's name and the
/// mutations applied.
pub struct Input {
    pub bytes: Vec<u8>,
    pub ext: String,
    pub seed: String,
    pub desc: String,
}

/// Inputs `0..seeds.len()` are the seeds themselves; later ones are 1–3 stacked mutations of
/// a seed picked by the PRNG.
pub fn input(seeds: &[Seed], seed: u64, i: u64) -> Input {
    if (i as usize) < seeds.len() {
        let s = &seeds[i as usize];
        return Input {
            bytes: s.bytes.clone(),
            ext: s.ext.clone(),
            seed: s.name.clone(),
            desc: "seed as is".into(),
        };
    }
    let mut rng = Rng::for_input(seed, i);
    let s = rng.pick(seeds);
    let mut b = s.bytes.clone();
    let mut ext = s.ext.clone();
    let mut kind = s.kind;
    let mut desc = Vec::new();
    for _ in 0..1 + rng.below(3) {
        let structural = rng.chance(65);
        let d = match kind {
            Kind::Xlsx | Kind::Ods | Kind::Zip if structural => {
                if rng.chance(55) {
                    // Edit the XML of one member and pack the archive again.
                    unzip(&b).and_then(|mut ms| {
                        let xml: Vec<usize> = (0..ms.len())
                            .filter(|&k| ms[k].0.ends_with(".xml") || ms[k].0.ends_with(".csv"))
                            .collect();
                        let prefer: Vec<usize> = xml
                            .iter()
                            .copied()
                            .filter(|&k| {
                                ms[k].0.contains("sheet")
                                    || ms[k].0 == "content.xml"
                                    || ms[k].0.ends_with(".csv")
                            })
                            .collect();
                        let k = if !prefer.is_empty() && rng.chance(75) {
                            *rng.pick(&prefer)
                        } else {
                            *xml.get(rng.below(xml.len()))?
                        };
                        let inner = if ms[k].0.ends_with(".csv") {
                            Kind::Text
                        } else {
                            kind
                        };
                        let d = if inner == Kind::Text {
                            csv_edit(&mut rng, &mut ms[k].1)
                        } else {
                            xml_edit(&mut rng, &mut ms[k].1, kind)
                        }?;
                        let name = ms[k].0.clone();
                        b = zip(&ms, rng.chance(80));
                        Some(format!("{d} in {name}"))
                    })
                } else if rng.chance(75) {
                    zip_edit(&mut rng, &mut b)
                } else if rng.chance(80) {
                    let (n, d) = nest(&mut rng, std::mem::take(&mut b), &ext);
                    b = n;
                    ext = "zip".into();
                    kind = Kind::Zip;
                    Some(d)
                } else {
                    let (n, d) = inflating_csv(&mut rng, &s.bytes);
                    b = n;
                    ext = "zip".into();
                    kind = Kind::Zip;
                    Some(d)
                }
            }
            Kind::Sml if structural => xml_edit(&mut rng, &mut b, Kind::Sml),
            Kind::Text if structural => {
                if rng.chance(8) {
                    let (n, d) = if rng.chance(50) {
                        nest(&mut rng, std::mem::take(&mut b), &ext)
                    } else {
                        inflating_csv(&mut rng, &s.bytes)
                    };
                    b = n;
                    ext = "zip".into();
                    kind = Kind::Zip;
                    Some(d)
                } else {
                    csv_edit(&mut rng, &mut b)
                }
            }
            Kind::Xls if structural => xls_edit(&mut rng, &mut b),
            _ => None,
        };
        desc.push(d.unwrap_or_else(|| generic_edit(&mut rng, &mut b, seeds)));
    }
    if rng.chance(5) {
        ext = rng.pick(&EXTS).to_string();
        desc.push(format!("saved as .{ext}"));
    }
    Input {
        bytes: b,
        ext,
        seed: s.name.clone(),
        desc: desc.join("; "),
    }
}
