//! Stage 1, read: bytes → sheets of cells. Knows nothing about schools.
//!
//! CSV/TSV (encoding and delimiter detected), xlsx/xls/ods via calamine,
//! SpreadsheetML 2003 XML (FastReport «.xls») and plain zip archives of such files.
//! The format is sniffed from the bytes, not trusted from the extension: analysts
//! rename files freely, and regional systems save XML or HTML under `.xls`.
//!
//! How a cell's value is written (Russian numbers, codes stored as floats, «X» for "not
//! done", headings with NBSP and ё) is read here too, so every later stage parses a cell
//! the same way; so are the column letters messages use.

mod address;
#[cfg(test)]
mod attack_files;
#[cfg(test)]
mod attacks_tests;
mod budget;
mod csv;
mod integrity;
mod ods_scan;
mod sniff;
mod spreadsheetml;
#[cfg(test)]
mod tests_realdata;
#[cfg(test)]
pub(crate) mod testutil;
mod values;
mod words;
mod xls_scan;
mod xlsx;
mod xlsx_merges;
mod xlsx_scan;
mod zip;

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use address::column_letter;
pub use budget::{Budget, Limits};
use budget::{Meter, Unpacked};
pub use values::{
    is_not_done, norm_eq, norm_text, parse_code, parse_count, parse_number, parse_ru_f64,
};
pub use words::{count, plural, rows, schools};

/// One cell as read, before any interpretation.
///
/// Text is shared (`Arc<str>`): a participant export repeats a handful of strings
/// («X», school names) millions of times, and a clone of a shared-string cell must not
/// allocate.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Text(Arc<str>),
    Number(f64),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            // What `trim().is_empty()` says, stopping at the first letter (asked of
            // every cell read). Most texts are decided by their first byte: an ASCII
            // letter or digit, or the lead byte of a two-byte letter (Cyrillic among them;
            // the two-byte spaces U+0085 and U+00A0 start with 0xC2).
            Cell::Text(s) => match s.as_bytes().first() {
                Some(&b) if b.is_ascii_alphanumeric() || (0xC3..=0xDF).contains(&b) => false,
                _ => s.chars().all(char::is_whitespace),
            },
            Cell::Number(_) => false,
        }
    }

    /// The cell as text the analyst would recognise (numbers without a trailing `.0`).
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.to_string(),
            Cell::Number(x) => {
                if x.fract() == 0.0 && x.abs() < 1e15 {
                    format!("{}", *x as i64)
                } else {
                    format!("{x}")
                }
            }
        }
    }
}

/// A grid of cells: one worksheet, or the whole of a CSV file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sheet {
    /// Worksheet name; `None` for CSV.
    pub name: Option<String>,
    /// Rows from the top of the sheet (row 0 is Excel's row 1); short rows are not padded.
    pub rows: Vec<Vec<Cell>>,
    /// Merged ranges `(row1, col1, row2, col2)`, 0-based and inclusive. The value sits in
    /// the top-left cell; the other cells of the range are Empty.
    pub merges: Vec<(usize, usize, usize, usize)>,
}

impl Sheet {
    pub fn cell(&self, row: usize, col: usize) -> &Cell {
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .unwrap_or(&Cell::Empty)
    }
}

/// What was read from one file.
#[derive(Clone, Debug, Default)]
pub struct Workbook {
    pub path: PathBuf,
    pub sheets: Vec<Sheet>,
    /// For CSV: the encoding and delimiter detected, e.g. «windows-1251, разделитель «;»»;
    /// `None` for workbooks.
    pub detected: Option<String>,
    /// The SHA-256 of the bytes it was read from (the file's, or the archive member's):
    /// two workbooks with the same digest hold the same cells. `None` when not known.
    pub digest: Option<[u8; 32]>,
}

/// Why a file could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{path}: файл пуст")]
    Empty { path: String },
    #[error("{path}: это не таблица (ожидаются xlsx, xls, ods, csv или tsv): {detail}")]
    NotASpreadsheet { path: String, detail: String },
    #[error("{path}: не удалось прочитать файл: {detail}")]
    Io { path: String, detail: String },
    /// Broken bytes (cut short, a bad checksum, unclosed XML): never read in part.
    #[error(
        "{path}: файл повреждён ({detail}) — его содержимое нельзя прочитать полностью, поэтому \
         он не учтён вовсе; скачайте или выгрузите его заново (или откройте в Excel и \
         пересохраните, если Excel его откроет)"
    )]
    Damaged { path: String, detail: String },
    /// Over a reading budget ([`Limits`]).
    #[error("{path}: {detail}")]
    TooLarge { path: String, detail: String },
}

impl ReadError {
    /// The file (or zip member) the error is about.
    pub fn path(&self) -> &str {
        match self {
            ReadError::Empty { path }
            | ReadError::NotASpreadsheet { path, .. }
            | ReadError::Io { path, .. }
            | ReadError::Damaged { path, .. }
            | ReadError::TooLarge { path, .. } => path,
        }
    }
}

/// File extensions shnor reads. An `.xml` file is read only when its content is a
/// SpreadsheetML 2003 workbook ([`admit`]).
pub const EXTENSIONS: [&str; 8] = ["xlsx", "xlsm", "xls", "ods", "csv", "tsv", "txt", "xml"];

/// Whether a file met in a folder is one shnor reads: by its extension (a zip archive
/// too), and an `.xml` by its content — Excel 2003 «XML-таблица» (SpreadsheetML) is read,
/// any other XML (settings, a manifest, a report form) is not a table. `Err` says why the
/// file is left aside, in Russian; the caller lists it, it is no error of the data.
///
/// # Errors
/// The reason the file is not read.
pub fn admit(path: &Path) -> Result<(), String> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if ext == "zip" || (EXTENSIONS.contains(&ext.as_str()) && ext != "xml") {
        return Ok(());
    }
    if ext != "xml" {
        return Err(
            "shnor читает только xlsx, xlsm, xls, ods, csv, tsv, txt, xml (таблица Excel 2003) \
             и zip — сохраните файл в одном из этих форматов, если он нужен"
                .into(),
        );
    }
    // The sniffer looks at the first 8 KB only: no need to read a large file whole.
    let mut head = Vec::with_capacity(8192);
    let read = std::fs::File::open(path).and_then(|f| {
        use std::io::Read;
        f.take(8192).read_to_end(&mut head)
    });
    match (read, sniff::sniff(&head)) {
        (Err(e), _) => Err(format!("не удалось прочитать файл: {}", io_reason(&e))),
        (Ok(_), sniff::Kind::SpreadsheetMl) => Ok(()),
        (Ok(_), sniff::Kind::Other(what)) => Err(what),
        (Ok(_), _) => Err(
            "это не таблица Excel 2003 («XML-таблица»): shnor читает из XML-файлов только их"
                .into(),
        ),
    }
}

/// Reads one file into sheets, with the default budgets.
///
/// # Errors
/// [`ReadError`] when the file is empty, unreadable, damaged, over a budget or not a
/// spreadsheet.
pub fn read_file(path: &Path) -> Result<Workbook, ReadError> {
    let budget = Budget::default();
    let name = path.display().to_string();
    let bytes = read_whole(path, &name, &Meter::new(&budget))?;
    let mut wb = read_bytes(&name, &bytes, &Meter::new(&budget))?;
    wb.path = path.to_path_buf();
    Ok(wb)
}

/// Every workbook of a file collected, with the default budgets (tests and tools; a run
/// uses [`read_each`], which keeps one archive member at a time).
pub fn read_all(path: &Path) -> Vec<Result<Workbook, ReadError>> {
    let mut out = Vec::new();
    read_each(path, &Budget::default(), &mut |wb| out.push(wb));
    out
}

/// Reads every spreadsheet in a file and hands each to `each` as soon as it is read: one
/// for an ordinary file, one per member for a zip archive of exports (members unpacked
/// and parsed one at a time, nested archives opened in place; a member that is not a
/// table is handed over as an error so nothing vanishes silently). `Workbook::path` of a
/// member is `<archive path>/<member name>`. A panic inside a reader becomes a rejection
/// of that file.
pub fn read_each(path: &Path, budget: &Budget, each: &mut dyn FnMut(Result<Workbook, ReadError>)) {
    read_each_seen(path, budget, &mut |_| {}, each);
}

/// [`read_each`], with `seen` given the SHA-256 of the file's bytes once they are in
/// memory, before any workbook: hashed here rather than by reading every file twice (at
/// 40,000 schools the second read was 4.3 GB of copying). Not called when the file could
/// not be loaded (unreadable, over the byte budget). Every workbook handed to `each` has
/// its [`Workbook::digest`].
pub fn read_each_seen(
    path: &Path,
    budget: &Budget,
    seen: &mut dyn FnMut([u8; 32]),
    each: &mut dyn FnMut(Result<Workbook, ReadError>),
) {
    let name = path.display().to_string();
    let bytes = match read_whole(path, &name, &Meter::new(budget)) {
        Ok(b) => b,
        Err(e) => return each(Err(e)),
    };
    let digest: [u8; 32] = Sha256::digest(&bytes).into();
    seen(digest);
    let unpacked = Unpacked::new(bytes.len() as u64);
    if sniff::sniff(&bytes) == sniff::Kind::Zip {
        return self::zip::read_archive(&name, &bytes, 0, budget, &unpacked, each);
    }
    // The meter lives while the workbook is used: a large file keeps its place till then.
    let meter = Meter::inside(budget, &unpacked);
    let wb = read_bytes(&name, &bytes, &meter).map(|mut wb| {
        wb.path = path.to_path_buf();
        wb.digest = Some(digest);
        wb
    });
    drop(bytes);
    each(wb);
    drop(meter);
}

/// A whole file in memory, its size counted against the byte budgets first.
fn read_whole(path: &Path, name: &str, meter: &Meter) -> Result<Vec<u8>, ReadError> {
    let io = |e: std::io::Error| ReadError::Io {
        path: name.to_string(),
        detail: io_reason(&e),
    };
    let size = std::fs::metadata(path).map_err(io)?.len();
    meter.bytes(size).map_err(|detail| ReadError::TooLarge {
        path: name.to_string(),
        detail,
    })?;
    std::fs::read(path).map_err(io)
}

/// Reads a file already in memory; `name` is used in messages and as `Workbook::path`.
/// Every format runs under [`guard`], so a panic in any reader is a rejection.
pub(crate) fn read_bytes(name: &str, bytes: &[u8], meter: &Meter) -> Result<Workbook, ReadError> {
    let result = guard(name, || read_bytes_unguarded(name, bytes, meter));
    // A budget exceeded inside a reader that could only fail is the real reason.
    match (result, meter.exceeded()) {
        (Err(_), Some(detail)) => Err(ReadError::TooLarge {
            path: name.to_string(),
            detail,
        }),
        (r, _) => r,
    }
}

fn read_bytes_unguarded(name: &str, bytes: &[u8], meter: &Meter) -> Result<Workbook, ReadError> {
    let sheets_and_detected = match sniff::sniff(bytes) {
        sniff::Kind::Empty => {
            return Err(ReadError::Empty {
                path: name.to_string(),
            });
        }
        sniff::Kind::Xlsx => xlsx::read_xlsx(name, bytes, meter)?,
        sniff::Kind::Ods => xlsx::read_ods(name, bytes, meter)?,
        sniff::Kind::Xls => xlsx::read_xls(name, bytes, meter)?,
        sniff::Kind::Text => {
            let (sheet, detected) =
                csv::read_csv(bytes, meter).map_err(|detail| ReadError::TooLarge {
                    path: name.to_string(),
                    detail,
                })?;
            (vec![sheet], Some(detected))
        }
        sniff::Kind::SpreadsheetMl => (spreadsheetml::read(name, bytes, meter)?, None),
        sniff::Kind::Zip => {
            return Err(ReadError::NotASpreadsheet {
                path: name.to_string(),
                detail: "это zip-архив, а не отдельная таблица; распакуйте его".to_string(),
            });
        }
        sniff::Kind::Other(detail) => {
            return Err(ReadError::NotASpreadsheet {
                path: name.to_string(),
                detail,
            });
        }
    };
    let (sheets, detected) = sheets_and_detected;
    Ok(Workbook {
        path: PathBuf::from(name),
        sheets,
        detected,
        digest: None,
    })
}

/// Runs a reader so that a panic inside it on a broken file becomes a rejection.
pub(crate) fn guard<T>(
    name: &str,
    f: impl FnOnce() -> Result<T, ReadError>,
) -> Result<T, ReadError> {
    crate::panics::quietly(f).unwrap_or_else(|_| {
        Err(ReadError::Damaged {
            path: name.to_string(),
            detail: "его не удалось разобрать".to_string(),
        })
    })
}

/// Excel's sheet limits: 1,048,576 rows × 16,384 columns. Positions beyond them come
/// only from broken or hostile files and would make the grid allocation explode.
const MAX_ROWS: usize = 1 << 20;
pub(crate) const MAX_COLS: usize = 1 << 14;

/// Puts a cell at an absolute 0-based position, growing the grid only as far as real
/// data goes. `Err` with a Russian reason when the position is outside Excel's sheet.
/// Every cell and row allocated is counted on `meter` (empty cells to the left included),
/// so a far cell on many rows hits the budget instead of exhausting memory.
pub(crate) fn put(
    rows: &mut Vec<Vec<Cell>>,
    r: usize,
    c: usize,
    cell: Cell,
    meter: &Meter,
) -> Result<(), String> {
    if r >= MAX_ROWS || c >= MAX_COLS {
        return Err(format!(
            "ячейка в строке {} столбце {} лежит за пределами листа Excel — файл повреждён; \
             откройте его в Excel и пересохраните",
            r.saturating_add(1),
            c.saturating_add(1)
        ));
    }
    if rows.len() <= r {
        meter.rows((r + 1 - rows.len()) as u64)?;
        rows.resize_with(r + 1, Vec::new);
    }
    let row = &mut rows[r];
    if row.len() <= c {
        meter.cells((c + 1 - row.len()) as u64, r, c)?;
        // The next cell of a row, nearly always: pushed, not filled then overwritten.
        row.resize(c, Cell::Empty);
        row.push(cell);
    } else {
        row[c] = cell;
    }
    Ok(())
}

/// An I/O error in the analyst's words.
fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "файл не найден — проверьте путь".to_string(),
        std::io::ErrorKind::PermissionDenied => {
            "нет прав на чтение — проверьте доступ к файлу".to_string()
        }
        _ => format!("ошибка чтения ({e})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_empty_exactly_when_it_is_all_white_space() {
        // Every character first, alone and before a letter or a space.
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            for tail in ["", "я", " ", "\u{a0}"] {
                let s = format!("{c}{tail}");
                let want = s.chars().all(char::is_whitespace);
                assert_eq!(Cell::Text(s.as_str().into()).is_empty(), want, "{s:?}");
            }
        }
        assert!(Cell::Text("".into()).is_empty());
        assert!(Cell::Empty.is_empty());
        assert!(!Cell::Number(0.0).is_empty());
    }

    #[test]
    fn xml_is_admitted_by_content() {
        let d = tempfile::tempdir().unwrap();
        let w = |n: &str, body: &str| {
            let p = d.path().join(n);
            std::fs::write(&p, body).unwrap();
            p
        };
        let table = w(
            "огэ.xml",
            "<?xml version=\"1.0\"?>\n<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\">\
             <Worksheet><Table><Row><Cell><Data ss:Type=\"String\">Код ОО</Data></Cell></Row>\
             </Table></Worksheet></Workbook>",
        );
        assert_eq!(admit(&table), Ok(()));
        // The same content under .XML (upper case) is the same table.
        let upper = w("ОГЭ.XML", &std::fs::read_to_string(&table).unwrap());
        assert_eq!(admit(&upper), Ok(()));
        // Other XML is left aside with the reason, as is a text file named .xml.
        let manifest = w(
            "manifest.xml",
            "<?xml version=\"1.0\"?><manifest><file/></manifest>",
        );
        assert!(
            admit(&manifest)
                .unwrap_err()
                .contains("не таблица Excel 2003")
        );
        let text = w("заметки.xml", "Код ОО;Участников\n101;5\n");
        assert!(admit(&text).unwrap_err().contains("не таблица Excel 2003"));
        // By extension: csv and zip are read without looking inside; docx is not.
        assert_eq!(admit(&w("a.csv", "")), Ok(()));
        assert_eq!(admit(&w("a.zip", "")), Ok(()));
        assert!(
            admit(&w("a.docx", ""))
                .unwrap_err()
                .contains("xml (таблица Excel 2003)")
        );
    }
}
