//! The zoo's in-memory fixture: tables with a header (one or more rows, horizontal merges),
//! rows, and how each is written (csv with an encoding and delimiter, xlsx, SpreadsheetML,
//! inside a zip or not). Variations transform this model; `write` puts it on disk.

use std::io::Write;
use std::path::Path;

/// A horizontal merge: (row, first column, last column).
pub type Merge = (usize, usize, usize);

/// How a table's text is encoded in a csv file.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Enc {
    Utf8,
    Utf8Bom,
    Cp1251,
}

/// The container a table is written in.
#[derive(Clone, Debug, PartialEq)]
pub enum Format {
    Csv {
        enc: Enc,
        delim: u8,
        quote_all: bool,
        crlf: bool,
        trailing_delim: bool,
    },
    /// `numbers`: numeric-looking cells written as numbers (else all cells are text).
    Xlsx { numbers: bool },
    /// SpreadsheetML 2003 XML, with the given extension ("xml" or "xls").
    SpreadsheetMl { ext: &'static str },
}

impl Format {
    pub fn plain_csv() -> Format {
        Format::Csv {
            enc: Enc::Utf8,
            delim: b';',
            quote_all: false,
            crlf: false,
            trailing_delim: false,
        }
    }
}

/// One table: a sheet of a file.
#[derive(Clone, Debug)]
pub struct Table {
    /// The file stem it is written to; tables sharing a stem in a workbook format become sheets.
    pub file: String,
    pub sheet: Option<String>,
    /// Rows above the header (first cell only), each followed by nothing; a blank row follows them.
    pub titles: Vec<String>,
    /// The canonical heading of each column (a stable key that renames do not change).
    pub keys: Vec<String>,
    /// Header rows as written.
    pub header: Vec<Vec<String>>,
    /// Horizontal merges in the header: (header row, first column, last column).
    pub merges: Vec<Merge>,
    /// Rows between the header and the data (column numbers).
    pub under: Vec<Vec<String>>,
    /// Data rows (and inserted section / subtotal / blank rows).
    pub rows: Vec<Vec<String>>,
    /// Empty columns and rows before the table.
    pub offset: (usize, usize),
    pub format: Format,
}

impl Table {
    /// The column index of a canonical key.
    pub fn col(&self, key: &str) -> Option<usize> {
        self.keys.iter().position(|k| k == key)
    }

    /// Sets the written heading of the column `key` (in the top header row).
    pub fn rename(&mut self, key: &str, heading: &str) {
        if let Some(i) = self.col(key) {
            self.header[0][i] = heading.to_string();
        }
    }

    /// Inserts a column at `at` with its heading and one value per row (computed from the row).
    pub fn insert_col(
        &mut self,
        at: usize,
        key: &str,
        heading: &str,
        value: impl Fn(&Table, &[String]) -> String,
    ) {
        let values: Vec<String> = self.rows.iter().map(|r| value(self, r)).collect();
        self.keys.insert(at, key.to_string());
        for m in &mut self.merges {
            if m.1 >= at {
                m.1 += 1;
            }
            if m.2 >= at {
                m.2 += 1;
            }
        }
        for (i, h) in self.header.iter_mut().enumerate() {
            h.insert(
                at,
                if i == 0 {
                    heading.to_string()
                } else {
                    String::new()
                },
            );
        }
        for r in &mut self.under {
            r.insert(at, String::new());
        }
        for (r, v) in self.rows.iter_mut().zip(values) {
            if !r.is_empty() {
                r.insert(at, v);
            }
        }
    }

    pub fn remove_col(&mut self, key: &str) {
        if let Some(i) = self.col(key) {
            assert!(
                self.merges.iter().all(|m| i < m.1 || i > m.2),
                "{key} is under a merged heading"
            );
            for m in &mut self.merges {
                if m.1 > i {
                    m.1 -= 1;
                    m.2 -= 1;
                }
            }
            self.keys.remove(i);
            for h in &mut self.header {
                h.remove(i);
            }
            for r in &mut self.under {
                r.remove(i);
            }
            for r in self.rows.iter_mut().filter(|r| r.len() > i) {
                r.remove(i);
            }
        }
    }

    /// Turns the one-row header into two rows: the columns `keys` go under a merged parent
    /// `parent` with sub-headings `subs`; the other columns keep their heading on the top row.
    pub fn group(&mut self, keys: &[&str], parent: &str, subs: &[&str]) {
        if self.header.len() == 1 {
            let width = self.keys.len();
            self.header.push(vec![String::new(); width]);
        }
        let cols: Vec<usize> = keys.iter().filter_map(|k| self.col(k)).collect();
        assert_eq!(cols.len(), keys.len(), "group {parent}: columns {keys:?}");
        for (&c, s) in cols.iter().zip(subs) {
            self.header[0][c] = String::new();
            self.header[1][c] = s.to_string();
        }
        let (first, last) = (*cols.iter().min().unwrap(), *cols.iter().max().unwrap());
        assert_eq!(
            last - first + 1,
            cols.len(),
            "group {parent}: adjacent columns"
        );
        self.header[0][first] = parent.to_string();
        self.merges.push((0, first, last));
    }

    /// The cell of `key` in `row`.
    pub fn get<'a>(&self, row: &'a [String], key: &str) -> &'a str {
        self.col(key)
            .and_then(|i| row.get(i))
            .map(String::as_str)
            .unwrap_or("")
    }

    /// Every row as written, from the top-left cell of the sheet, and the merges at their
    /// absolute positions (row, first column, last column).
    pub fn grid(&self) -> (Vec<Vec<String>>, Vec<Merge>) {
        let (dr, dc) = self.offset;
        let mut out: Vec<Vec<String>> = vec![Vec::new(); dr];
        for t in &self.titles {
            out.push(vec![t.clone()]);
        }
        if !self.titles.is_empty() {
            out.push(Vec::new());
        }
        let top = out.len();
        out.extend(self.header.iter().cloned());
        out.extend(self.under.iter().cloned());
        out.extend(self.rows.iter().cloned());
        for (i, r) in out.iter_mut().enumerate() {
            if i >= dr && !r.is_empty() {
                r.splice(0..0, std::iter::repeat_n(String::new(), dc));
            }
        }
        let merges = self
            .merges
            .iter()
            .map(|&(r, a, b)| (top + r, a + dc, b + dc))
            .collect();
        (out, merges)
    }
}

/// The whole folder: tables and whether they go into one zip.
#[derive(Clone, Debug)]
pub struct Set {
    pub tables: Vec<Table>,
    pub zip: bool,
}

impl Set {
    /// The table written from the canonical file `stem` (first one with that key set).
    pub fn table(&mut self, stem: &str) -> &mut Table {
        self.tables
            .iter_mut()
            .find(|t| t.file == stem)
            .unwrap_or_else(|| panic!("no table {stem}"))
    }

    pub fn each(&mut self, f: impl Fn(&mut Table)) {
        self.tables.iter_mut().for_each(f);
    }

    pub fn set_format(&mut self, format: Format) {
        self.each(|t| t.format = format.clone());
    }
}

/// Reads the canonical fixture: one table per csv file of `dir` (UTF-8, `;`).
pub fn load(dir: &Path) -> Set {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    names.sort();
    let tables = names
        .iter()
        .map(|p| {
            let mut rd = csv::ReaderBuilder::new()
                .delimiter(b';')
                .has_headers(false)
                .from_path(p)
                .unwrap();
            let mut rows: Vec<Vec<String>> = rd
                .records()
                .map(|r| r.unwrap().iter().map(str::to_string).collect())
                .collect();
            let keys = rows.remove(0);
            Table {
                file: p.file_stem().unwrap().to_string_lossy().into_owned(),
                sheet: None,
                titles: Vec::new(),
                header: vec![keys.clone()],
                keys,
                merges: Vec::new(),
                under: Vec::new(),
                rows,
                offset: (0, 0),
                format: Format::plain_csv(),
            }
        })
        .collect();
    Set { tables, zip: false }
}

/// Writes the set into `dir`: one file per distinct `file` (workbook formats gather sheets).
pub fn write(set: &Set, dir: &Path) {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut done: Vec<&str> = Vec::new();
    for t in &set.tables {
        if done.contains(&t.file.as_str()) {
            continue;
        }
        done.push(&t.file);
        let same: Vec<&Table> = set.tables.iter().filter(|u| u.file == t.file).collect();
        let (ext, bytes) = match &t.format {
            Format::Csv { .. } => {
                assert_eq!(same.len(), 1, "csv {} has one table", t.file);
                ("csv", csv_bytes(t))
            }
            Format::Xlsx { numbers } => ("xlsx", xlsx_bytes(&same, *numbers)),
            Format::SpreadsheetMl { ext } => (*ext, spreadsheetml_bytes(&same)),
        };
        files.push((format!("{}.{ext}", t.file), bytes));
    }
    if set.zip {
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut buf);
        for (name, bytes) in &files {
            z.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
                .unwrap();
            z.write_all(bytes).unwrap();
        }
        z.finish().unwrap();
        std::fs::write(dir.join("выгрузка.zip"), buf.into_inner()).unwrap();
    } else {
        for (name, bytes) in files {
            std::fs::write(dir.join(name), bytes).unwrap();
        }
    }
}

fn csv_bytes(t: &Table) -> Vec<u8> {
    let Format::Csv {
        enc,
        delim,
        quote_all,
        crlf,
        trailing_delim,
    } = t.format
    else {
        unreachable!()
    };
    let (grid, _) = t.grid();
    let mut w = csv::WriterBuilder::new()
        .delimiter(delim)
        .flexible(true)
        .quote_style(if quote_all {
            csv::QuoteStyle::Always
        } else {
            csv::QuoteStyle::Necessary
        })
        .terminator(if crlf {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        })
        .from_writer(Vec::new());
    for r in &grid {
        let mut r = r.clone();
        if trailing_delim {
            r.push(String::new());
        }
        if r.is_empty() {
            // A blank row as Excel saves it: empty fields across the table.
            w.write_record(vec![""; t.keys.len().max(2)]).unwrap();
        } else {
            w.write_record(&r).unwrap();
        }
    }
    let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
    match enc {
        Enc::Utf8 => text.into_bytes(),
        Enc::Utf8Bom => {
            let mut b = "\u{feff}".as_bytes().to_vec();
            b.extend(text.into_bytes());
            b
        }
        Enc::Cp1251 => {
            let (b, _, bad) = encoding_rs::WINDOWS_1251.encode(&text);
            assert!(!bad, "cp1251 cannot hold {}", t.file);
            b.into_owned()
        }
    }
}

/// A cell as a number when it looks like one (decimal comma or point).
fn as_number(v: &str) -> Option<f64> {
    let t = v.trim();
    if t.is_empty() || t.starts_with('0') && t.len() > 1 && !t.starts_with("0,") {
        return None;
    }
    if !t
        .chars()
        .all(|c| c.is_ascii_digit() || c == ',' || c == '.' || c == '-')
    {
        return None;
    }
    t.replace(',', ".").parse().ok()
}

fn xlsx_bytes(tables: &[&Table], numbers: bool) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (i, t) in tables.iter().enumerate() {
        let ws = wb.add_worksheet();
        ws.set_name(t.sheet.clone().unwrap_or_else(|| format!("Лист{}", i + 1)))
            .unwrap();
        let (grid, merges) = t.grid();
        for (r, row) in grid.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if v.is_empty() {
                    continue;
                }
                match as_number(v).filter(|_| numbers) {
                    Some(n) => ws.write_number(r as u32, c as u16, n).unwrap(),
                    None => ws.write_string(r as u32, c as u16, v).unwrap(),
                };
            }
        }
        let fmt = rust_xlsxwriter::Format::new();
        for (r, a, b) in merges {
            let text = grid[r][a].clone();
            ws.merge_range(r as u32, a as u16, r as u32, b as u16, &text, &fmt)
                .unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

fn xml_escape(v: &str) -> String {
    v.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn spreadsheetml_bytes(tables: &[&Table]) -> Vec<u8> {
    let mut s = String::from(
        "<?xml version=\"1.0\"?>\n<?mso-application progid=\"Excel.Sheet\"?>\n\
         <Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\" \
         xmlns:ss=\"urn:schemas-microsoft-com:office:spreadsheet\">\n",
    );
    for (i, t) in tables.iter().enumerate() {
        let name = t.sheet.clone().unwrap_or_else(|| format!("Лист{}", i + 1));
        s += &format!("<Worksheet ss:Name=\"{}\">\n<Table>\n", xml_escape(&name));
        let (grid, merges) = t.grid();
        for (r, row) in grid.iter().enumerate() {
            s += "<Row>";
            let mut c = 0;
            let mut next_index = false;
            while c < row.len() {
                let v = &row[c];
                let across = merges
                    .iter()
                    .find(|m| m.0 == r && m.1 == c)
                    .map(|m| m.2 - m.1);
                if v.is_empty() && across.is_none() {
                    next_index = true;
                    c += 1;
                    continue;
                }
                s += "<Cell";
                if next_index {
                    s += &format!(" ss:Index=\"{}\"", c + 1);
                    next_index = false;
                }
                if let Some(a) = across {
                    s += &format!(" ss:MergeAcross=\"{a}\"");
                }
                let (ty, text) = match as_number(v) {
                    Some(n) => ("Number", n.to_string()),
                    None => ("String", xml_escape(v)),
                };
                s += &format!("><Data ss:Type=\"{ty}\">{text}</Data></Cell>");
                c += 1 + across.unwrap_or(0);
                if across.is_some() {
                    next_index = true;
                }
            }
            s += "</Row>\n";
        }
        s += "</Table>\n</Worksheet>\n";
    }
    s += "</Workbook>\n";
    s.into_bytes()
}
