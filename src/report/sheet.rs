//! What the two workbooks (identify and progress) share: cell styles, the pinned document
//! properties, page setup, header rows, column widths, optional cells, school names and the
//! lines of a Методика sheet.

use crate::judge::Findings;
use anyhow::Result;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

/// Excel's limit on the text of a cell, in UTF-16 units; rust_xlsxwriter refuses longer.
const CELL_MAX: usize = 32_767;

thread_local! {
    /// Cells cut by [`put`] while a workbook is rendered on this thread (see [`collect_cuts`]).
    static CUTS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    /// Column widths and row heights of the workbook rendered on this thread.
    static LAYOUT: RefCell<Layout> = RefCell::new(Layout::default());
    /// Cells without a style of their own sit at the top of their row: a row grown for a
    /// wrapped «Основание» must read as one line, not as the name at the top and the
    /// numbers at the bottom.
    static TOP: Format = Format::new().set_align(FormatAlign::Top);
}

/// What wrapped text needs: a spreadsheet does not grow a row for wrapped text written by a
/// program, so without a height consecutive «Основание» print over each other.
#[derive(Default)]
struct Layout {
    /// Widths set through [`widths`], characters, by (sheet, column).
    widths: HashMap<(String, u16), f64>,
    /// The tallest height asked of a row so far, points, by (sheet, row).
    heights: HashMap<(String, u32), f64>,
}

/// Excel's default column width, characters.
const DEFAULT_WIDTH: f64 = 8.43;
/// Height of one line of the default font (Calibri 11), points.
const LINE_PT: f64 = 15.0;
/// Excel's tallest row, points.
const MAX_ROW_PT: f64 = 409.0;

/// Lines a text takes when wrapped in a column `width` characters wide. The width unit is
/// a digit of the default font; Cyrillic letters (capitals especially) and bold text are
/// wider, so a line holds fewer characters than the width says; words are not split, so
/// a line breaks early before a long word.
pub(super) fn wrapped_lines(text: &str, width: f64, bold: bool) -> usize {
    let per_char = if bold { 1.25 } else { 1.12 };
    // Excel keeps about a character of padding inside the cell.
    let cap = (((width - 1.0) / per_char).floor() as usize).max(1);
    text.split('\n').map(|para| para_lines(para, cap)).sum()
}

/// Lines of one paragraph, filled word by word.
fn para_lines(para: &str, cap: usize) -> usize {
    let mut lines = 1;
    let mut used = 0;
    for word in para.split(' ').filter(|w| !w.is_empty()) {
        let w = word.chars().count();
        if used > 0 && used + 1 + w <= cap {
            used += 1 + w;
            continue;
        }
        if used > 0 {
            lines += 1;
        }
        // A word longer than a line is broken inside it.
        lines += (w.max(1) - 1) / cap;
        used = (w.max(1) - 1) % cap + 1;
    }
    lines
}

/// Makes row `r` tall enough for a wrapped text across columns `c1..=c2` (one column when
/// they are equal; rows only grow: the tallest cell of the row decides).
fn fit_row(
    ws: &mut Worksheet,
    r: u32,
    (c1, c2): (u16, u16),
    s: &str,
    bold: bool,
) -> Result<(), XlsxError> {
    let sheet = ws.name();
    let width: f64 = LAYOUT.with(|l| {
        let l = l.borrow();
        (c1..=c2)
            .map(|c| {
                l.widths
                    .get(&(sheet.clone(), c))
                    .copied()
                    .unwrap_or(DEFAULT_WIDTH)
            })
            .sum()
    });
    grow_row(ws, r, wrapped_lines(s, width, bold))
}

/// Makes row `r` tall enough for `lines` lines of text (rows only grow).
fn grow_row(ws: &mut Worksheet, r: u32, lines: usize) -> Result<(), XlsxError> {
    let sheet = ws.name();
    if lines <= 1 {
        return Ok(());
    }
    let height = (lines as f64 * LINE_PT + 2.0).min(MAX_ROW_PT);
    let grow = LAYOUT.with(|l| {
        let mut l = l.borrow_mut();
        let h = l.heights.entry((sheet, r)).or_insert(0.0);
        let grow = height > *h;
        *h = h.max(height);
        grow
    });
    if grow {
        ws.set_row_height(r, height)?;
    }
    Ok(())
}

/// Whether a format wraps its text (rust_xlsxwriter has no getter: a format equal to itself
/// without wrapping does not wrap).
fn wraps(f: &Format) -> bool {
    f.clone().unset_text_wrap() != *f
}

fn is_bold(f: &Format) -> bool {
    f.clone().unset_bold() != *f
}

/// Runs `render` and returns what it made with the notes on cells cut to Excel's limit: a
/// 40,000-character school name must not stop the run, and must not be cut silently.
///
/// A panic inside the xlsx writer (it panics when its temporary folder is full) becomes an
/// error in Russian: the run then writes nothing, as for any failed rendering.
pub(super) fn collect_cuts<T>(
    render: impl FnOnce() -> anyhow::Result<T>,
) -> (anyhow::Result<T>, Vec<String>) {
    CUTS.with(|c| c.borrow_mut().clear());
    let made = crate::panics::quietly(render)
        .unwrap_or_else(|msg| Err(book_failed(&msg)))
        .map_err(|e| match e.downcast_ref::<rust_xlsxwriter::XlsxError>() {
            Some(rust_xlsxwriter::XlsxError::TempFileError(dir, io)) => anyhow::anyhow!(
                "книгу Excel не удалось собрать: временная папка {} недоступна ({}) — укажите \
                 в переменной окружения TMPDIR папку, куда можно писать",
                dir.display(),
                match io.kind() {
                    std::io::ErrorKind::NotFound => "папки нет".to_string(),
                    std::io::ErrorKind::PermissionDenied => "нет прав на запись".to_string(),
                    _ => io.to_string(),
                }
            ),
            Some(rust_xlsxwriter::XlsxError::RowColumnLimitError) => anyhow::anyhow!(
                "книгу Excel не удалось собрать: на листе получается больше {EXCEL_ROWS} строк \
                 или 16 384 столбцов — это предел Excel. Так бывает, когда в одной книге \
                 слишком много школ: запустите с --split municipality (сводная книга и по \
                 книге на муниципалитет) или --split region"
            ),
            _ => e,
        });
    (made, CUTS.with(|c| std::mem::take(&mut *c.borrow_mut())))
}

/// Why the workbook could not be built, from the writer's panic text.
fn book_failed(msg: &str) -> anyhow::Error {
    if msg.contains("No space left") || msg.contains("os error 28") {
        anyhow::anyhow!(
            "книгу Excel не удалось собрать: во временной папке {} нет места (большие листы \
             собираются там) — освободите место или укажите другую папку в переменной \
             окружения TMPDIR",
            std::env::temp_dir().display()
        )
    } else {
        anyhow::anyhow!(
            "книгу Excel не удалось собрать (внутренняя ошибка: {msg}) — сообщите \
             разработчикам shnor, приложив команду"
        )
    }
}

/// Rows of an Excel sheet.
pub(super) const EXCEL_ROWS: usize = 1_048_576;

/// Of `all` rows under a header, how many a sheet of `max_rows` rows shows: all when they
/// fit, else all but the last row, which says the sheet was cut (see [`say_rows_cut`]).
pub(super) fn rows_that_fit(all: usize, max_rows: usize) -> usize {
    if all < max_rows { all } else { max_rows - 2 }
}

/// Writes `note` («… » first) in column `col` of the row after the `shown` rows, and keeps
/// it among the run's notes on cut cells.
pub(super) fn say_rows_cut(
    ws: &mut rust_xlsxwriter::Worksheet,
    shown: usize,
    col: u16,
    note: String,
) -> anyhow::Result<()> {
    put(ws, row(shown + 1), col, format!("… {note}"))?;
    note_cut(note);
    Ok(())
}

/// The most data-quality messages a report lists one per row. Reading caps each sheet's
/// rejected rows at a thousand messages, but a folder of hundreds of damaged exports could
/// still pass Excel's rows (the book would then not be written at all); past this they are
/// counted in one line, and `shnor validate` prints them all.
pub(crate) const ISSUES_LISTED: usize = 100_000;

/// The line that stands for the messages past [`ISSUES_LISTED`] (`listed` in tests).
pub(crate) fn issues_not_listed(hidden: usize, listed: usize) -> String {
    format!(
        "замечаний, не поместившихся на лист: {hidden} (перечислены первые {listed}, сначала \
         отклонённые строки); все замечания выводит команда «shnor validate» для той же папки"
    )
}

/// Notes, among the cut cells' (see [`collect_cuts`]), that a sheet was cut.
pub(super) fn note_cut(note: String) {
    CUTS.with(|n| n.borrow_mut().push(note));
}

/// A text no longer than Excel allows: cut with «…» and noted when longer.
fn fit(ws: &Worksheet, r: u32, c: u16, s: String) -> String {
    // Bytes bound UTF-16 units from above: the common case costs nothing.
    if s.len() <= CELL_MAX || s.encode_utf16().count() <= CELL_MAX {
        return s;
    }
    let mut units = 0;
    let mut cut: String = s
        .chars()
        .take_while(|ch| {
            units += ch.len_utf16();
            units < CELL_MAX
        })
        .collect();
    cut.push('…');
    CUTS.with(|n| {
        n.borrow_mut().push(format!(
            "лист «{}», ячейка {}: текст из {} знаков длиннее предела Excel (32 767) и обрезан \
             в книге; полностью он записан в CSV и JSON",
            ws.name(),
            rust_xlsxwriter::utility::row_col_to_cell(r, c),
            s.chars().count()
        ));
    });
    cut
}

/// Writes a text cell, cut to Excel's limit (see [`fit`]).
pub(super) fn put(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    s: impl Into<String>,
) -> Result<&mut Worksheet, XlsxError> {
    let s = fit(ws, r, c, s.into());
    TOP.with(|top| ws.write_string_with_format(r, c, s, top))
}

/// Writes a number without a format of its own, at the top of its row (see [`TOP`]).
pub(super) fn number(ws: &mut Worksheet, r: u32, c: u16, v: f64) -> Result<(), XlsxError> {
    TOP.with(|top| ws.write_number_with_format(r, c, v, top))?;
    Ok(())
}

/// Gives each listed column a format, the others up to the last listed [`TOP`], for a long
/// sheet whose every cell has its column's format: its cells are then written without one
/// ([`bare_text`], [`bare_number`]) and take the column's. Why: rust_xlsxwriter hashes a
/// cell's whole format on every write — most of «Показатели по процедурам»' time at
/// 10,000 schools. The cells come out with the same style as when written with it.
pub(super) fn column_formats(ws: &mut Worksheet, formats: &[(u16, &Format)]) -> Result<()> {
    let last = formats.iter().map(|(c, _)| *c).max().unwrap_or(0);
    TOP.with(|top| -> Result<()> {
        for c in 0..=last {
            let f = formats
                .iter()
                .find(|(k, _)| *k == c)
                .map_or(top, |(_, f)| *f);
            ws.set_column_format(c, f)?;
        }
        Ok(())
    })
}

/// A text in a column given its format by [`column_formats`]; nothing when it is empty.
pub(super) fn bare_text(ws: &mut Worksheet, r: u32, c: u16, s: &str) -> Result<()> {
    if !s.is_empty() {
        let s = fit(ws, r, c, s.to_string());
        ws.write_string(r, c, s)?;
    }
    Ok(())
}

/// A finite number in a column given its format by [`column_formats`]; nothing otherwise.
pub(super) fn bare_number(ws: &mut Worksheet, r: u32, c: u16, v: Option<f64>) -> Result<()> {
    if let Some(v) = v.filter(|v| v.is_finite()) {
        ws.write_number(r, c, v)?;
    }
    Ok(())
}

/// Writes a text cell with a format, cut to Excel's limit (see [`fit`]); a wrapping format
/// makes the row tall enough for the text at the column's width (set the widths first).
pub(super) fn put_with<'a>(
    ws: &'a mut Worksheet,
    r: u32,
    c: u16,
    s: impl Into<String>,
    f: &Format,
) -> Result<&'a mut Worksheet, XlsxError> {
    let s = fit(ws, r, c, s.into());
    if wraps(f) {
        fit_row(ws, r, (c, c), &s, is_bold(f))?;
    }
    ws.write_string_with_format(r, c, s, f)
}

/// Writes a text across the merged cells `c1..=c2` of row `r`; a wrapping format makes the
/// row tall enough for the text at the merged width.
pub(super) fn put_merged(
    ws: &mut Worksheet,
    r: u32,
    c1: u16,
    c2: u16,
    s: &str,
    f: &Format,
) -> Result<(), XlsxError> {
    let s = fit(ws, r, c1, s.to_string());
    if wraps(f) {
        fit_row(ws, r, (c1, c2), &s, is_bold(f))?;
    }
    ws.merge_range(r, c1, r, c2, &s, f)?;
    Ok(())
}

pub(super) struct Styles {
    pub(super) title: Format,
    pub(super) header: Format,
    pub(super) bold: Format,
    pub(super) wrap: Format,
    /// Whole numbers.
    pub(super) int: Format,
    /// One decimal (ОИП, ИСБ, planned and actual targets).
    pub(super) one: Format,
    /// Two decimals (mean marks).
    pub(super) two: Format,
    /// Three decimals (p-values).
    pub(super) three: Format,
    /// A share as a percentage with one decimal.
    pub(super) pct: Format,
    /// The printed pages' footer (Excel's header/footer codes).
    footer: String,
}

impl Styles {
    /// The styles of a workbook whose pages say `report` and `date` in the footer, with
    /// the page number.
    pub(super) fn new(report: &str, date: Option<&str>) -> Styles {
        // «&» starts a code in a footer; a literal one is doubled.
        let report = report.replace('&', "&&");
        let date = date.map(|d| format!(", отчёт от {d}")).unwrap_or_default();
        Styles {
            footer: format!("&L&8{report}{date}&R&8Страница &P из &N"),
            title: Format::new().set_bold().set_font_size(14),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(0xD9_E1_F2)
                .set_border(FormatBorder::Thin),
            bold: Format::new().set_bold().set_align(FormatAlign::Top),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            int: Format::new()
                .set_num_format("0")
                .set_align(FormatAlign::Top),
            one: Format::new()
                .set_num_format("0.0")
                .set_align(FormatAlign::Top),
            two: Format::new()
                .set_num_format("0.00")
                .set_align(FormatAlign::Top),
            three: Format::new()
                .set_num_format("0.000")
                .set_align(FormatAlign::Top),
            pct: Format::new()
                .set_num_format("0.0%")
                .set_align(FormatAlign::Top),
        }
    }
}

/// A new workbook with its title; the creation time is pinned, so the same inputs give the
/// same bytes.
pub(super) fn workbook(title: String) -> Result<Workbook> {
    // Widths and heights are the new workbook's own.
    LAYOUT.with(|l| *l.borrow_mut() = Layout::default());
    let mut wb = Workbook::new();
    // zlib's level 6 spent a third of the writing time of a country's workbooks on
    // compression; level 3 makes the files ~10 % larger.
    wb.set_zip_compression_level(3);
    wb.set_properties(
        &DocProperties::new()
            .set_title(title)
            .set_author("shnor")
            .set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?),
    );
    Ok(wb)
}

/// A new sheet with its name, kept in memory until the workbook is saved.
pub(super) fn named<'a>(wb: &'a mut Workbook, name: &str) -> Result<&'a mut Worksheet> {
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    Ok(ws)
}

/// A new sheet written top to bottom (rust_xlsxwriter's low-memory mode: each finished row
/// goes to a temporary file): a country's progress sheets hold millions of cells.
pub(super) fn named_streamed<'a>(wb: &'a mut Workbook, name: &str) -> Result<&'a mut Worksheet> {
    let ws = wb.add_worksheet_with_low_memory()?;
    ws.set_name(name)?;
    Ok(ws)
}

/// A new low-memory sheet (written top to bottom), printed landscape on A4, with its column
/// widths as (column, characters).
pub(super) fn printable<'a>(
    wb: &'a mut Workbook,
    name: &str,
    widths: &[(u16, u16)],
    st: &Styles,
) -> Result<&'a mut Worksheet> {
    let ws = named_streamed(wb, name)?;
    print_setup(ws, st);
    self::widths(ws, widths)?;
    Ok(ws)
}

/// Print settings of every sheet: A4 landscape, as wide as one page, narrow margins, the
/// footer with the report, its date and the page number.
pub(super) fn print_setup(ws: &mut Worksheet, st: &Styles) {
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    // Inches: 1.5 cm at the sides, 2 cm top and bottom, room for the footer.
    ws.set_margins(0.6, 0.6, 0.8, 0.8, 0.3, 0.3);
    ws.set_footer(&st.footer);
}

/// Page breaks before the given rows. Excel takes at most 1,023 on a sheet and the writer
/// refuses more: past that, pages break where they fall (a region's thousand profiles
/// must not stop the report).
pub(super) fn page_breaks(ws: &mut Worksheet, rows: &[u32]) -> Result<()> {
    const EXCEL_MAX: usize = 1023;
    ws.set_page_breaks(&rows[..rows.len().min(EXCEL_MAX)])?;
    Ok(())
}

/// Column widths in characters, (column, width); set before the cells they hold, so that
/// wrapped text gets its row height.
pub(super) fn widths(ws: &mut Worksheet, w: &[(u16, u16)]) -> Result<()> {
    let sheet = ws.name();
    for &(c, width) in w {
        ws.set_column_width(c, width)?;
        LAYOUT.with(|l| {
            l.borrow_mut()
                .widths
                .insert((sheet.clone(), c), f64::from(width))
        });
    }
    Ok(())
}

/// A row of headings from column A.
pub(super) fn header_row<S: AsRef<str>>(
    ws: &mut Worksheet,
    r: u32,
    headers: &[S],
    st: &Styles,
) -> Result<()> {
    headers_at(ws, r, 0, headers, st)
}

/// A row of headings from column `c0`.
pub(super) fn headers_at<S: AsRef<str>>(
    ws: &mut Worksheet,
    r: u32,
    c0: usize,
    headers: &[S],
    st: &Styles,
) -> Result<()> {
    for (c, h) in headers.iter().enumerate() {
        put_with(ws, r, col(c0 + c), h.as_ref(), &st.header)?;
    }
    Ok(())
}

/// A number, or an empty cell when there is none (or it is not finite).
pub(super) fn num(ws: &mut Worksheet, r: u32, c: u16, v: Option<f64>, f: &Format) -> Result<()> {
    if let Some(v) = v.filter(|v| v.is_finite()) {
        ws.write_number_with_format(r, c, v, f)?;
    }
    Ok(())
}

/// A text, or an empty cell when it is empty.
pub(super) fn text(ws: &mut Worksheet, r: u32, c: u16, s: &str) -> Result<()> {
    if !s.is_empty() {
        put(ws, r, c, s)?;
    }
    Ok(())
}

pub(super) fn col(c: usize) -> u16 {
    u16::try_from(c).expect("fewer than 65536 columns")
}

pub(super) fn row(r: usize) -> u32 {
    u32::try_from(r).expect("fewer than 2^32 rows")
}

/// School id → name, built once (a region's sheets have tens of thousands of rows).
pub(super) type Names<'a> = BTreeMap<&'a str, &'a str>;

pub(super) fn names(f: &Findings) -> Names<'_> {
    f.schools
        .iter()
        .map(|s| (s.school.id.as_str(), s.school.name.as_str()))
        .collect()
}

pub(super) fn name_of<'a>(names: &Names<'a>, id: &str) -> &'a str {
    names.get(id).copied().unwrap_or("")
}

/// The head of a Методика sheet: the title in A1, then (label, text) lines from row 3 with
/// the label in bold (an empty label continues the line above) and the text wrapped.
/// Returns the row after the last line.
pub(super) fn method_lines(
    ws: &mut Worksheet,
    title: &str,
    lines: &[(String, String)],
    st: &Styles,
) -> Result<u32> {
    put_with(ws, 0, 0, title, &st.title)?;
    let mut r = 2u32;
    for (a, b) in lines {
        if !a.is_empty() {
            put_with(ws, r, 0, a, &st.bold)?;
        }
        put_with(ws, r, 1, b, &st.wrap)?;
        r += 1;
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    /// rust_xlsxwriter 0.102 panics with this text when its temporary folder is full
    /// (worksheet.rs, seen with a 64 KB tmpfs as TMPDIR).
    #[test]
    fn a_writer_panic_on_a_full_disk_becomes_a_russian_error() {
        let (made, notes) = super::collect_cuts(|| -> anyhow::Result<u8> {
            panic!(
                "Couldn't write to xml file: Os {{ code: 28, kind: StorageFull, message: \"No space left on device\" }}"
            )
        });
        let e = format!("{:#}", made.unwrap_err());
        assert!(e.contains("нет места") && e.contains("TMPDIR"), "{e}");
        assert!(notes.is_empty());
        let (made, _) = super::collect_cuts(|| -> anyhow::Result<u8> { panic!("index 3") });
        let e = format!("{:#}", made.unwrap_err());
        assert!(e.contains("внутренняя ошибка: index 3"), "{e}");
    }

    /// A row past Excel's last, as rust_xlsxwriter refuses it, is a Russian error that
    /// says how to split the book.
    #[test]
    fn a_sheet_past_excels_rows_is_a_russian_error() {
        let (made, _) = super::collect_cuts(|| -> anyhow::Result<u8> {
            let mut wb = rust_xlsxwriter::Workbook::new();
            let ws = wb.add_worksheet();
            ws.write_number(1_048_576, 0, 1.0)?;
            Ok(0)
        });
        let e = format!("{:#}", made.unwrap_err());
        assert!(
            e.starts_with(
                "книгу Excel не удалось собрать: на листе получается больше 1048576 строк"
            ),
            "{e}"
        );
        assert!(e.contains("--split municipality"), "{e}");
    }
}
