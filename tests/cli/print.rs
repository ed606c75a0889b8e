//! Both workbooks print: read back from the xlsx XML, every sheet has its print settings
//! (A4, fit to width, margins, a footer with the page number) and every row holding a
//! wrapped text is tall enough for it at its column's width (issue 10, item 1).
//!
//! The height check is a lower bound independent of how shnor estimates lines: a line of a
//! column `w` characters wide holds at most 1.3·w characters of Calibri 11 (its narrowest
//! Cyrillic letters are ~0.8 of a digit, the unit of column widths), and a line of 11-point
//! text needs at least 12 points. Before this issue such rows had no height at all (15 pt,
//! one line), and «Основание» of neighbouring schools printed over each other.

use crate::util::{root, shnor};
use quick_xml::Reader;
use quick_xml::events::Event;
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

/// One worksheet part: its XML, and the workbook's name for it.
struct Part {
    name: String,
    xml: String,
}

fn unzip(path: &Path) -> (Vec<Part>, HashMap<String, String>) {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut files = HashMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut s = String::new();
        if f.read_to_string(&mut s).is_ok() {
            files.insert(f.name().unwrap().to_string(), s);
        }
    }
    // Sheet names in order (workbook.xml) ↔ sheetN.xml: rust_xlsxwriter numbers parts in
    // the order of the sheets.
    let names: Vec<String> = attr_values(&files["xl/workbook.xml"], "sheet", "name");
    let parts = names
        .into_iter()
        .enumerate()
        .map(|(i, name)| Part {
            name,
            xml: files[&format!("xl/worksheets/sheet{}.xml", i + 1)].clone(),
        })
        .collect();
    (parts, files)
}

/// The values of attribute `attr` of every element `tag`, in order.
fn attr_values(xml: &str, tag: &str, attr: &str) -> Vec<String> {
    let mut r = Reader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match r.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == tag => {
                if let Some(a) = e.try_get_attribute(attr).unwrap() {
                    out.push(quick_xml::escape::unescape(&a.value).unwrap().into_owned());
                }
            }
            Event::Eof => return out,
            _ => {}
        }
    }
}

/// Which cell styles (indexes into cellXfs) wrap their text.
fn wrapping_styles(styles: &str) -> Vec<bool> {
    let mut r = Reader::from_str(styles);
    let (mut in_xfs, mut out) = (false, Vec::new());
    loop {
        match r.read_event().unwrap() {
            Event::Start(e) if e.local_name().as_ref() == "cellXfs" => in_xfs = true,
            Event::End(e) if e.local_name().as_ref() == "cellXfs" => in_xfs = false,
            Event::Start(e) | Event::Empty(e) if in_xfs && e.local_name().as_ref() == "xf" => {
                out.push(false)
            }
            Event::Start(e) | Event::Empty(e)
                if in_xfs && e.local_name().as_ref() == "alignment" =>
            {
                if let Some(a) = e.try_get_attribute("wrapText").unwrap() {
                    *out.last_mut().unwrap() = &*a.value == "1";
                }
            }
            Event::Eof => return out,
            _ => {}
        }
    }
}

/// Column letters → 0-based index.
fn col_of(cell_ref: &str) -> u32 {
    cell_ref
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .fold(0, |n, ch| n * 26 + (ch as u32 - 'A' as u32 + 1))
        - 1
}

/// A wrapped cell: row (1-based), column (0-based), the last column it spans when merged,
/// its text.
struct Wrapped {
    row: u32,
    col: u32,
    last_col: u32,
    text: String,
}

/// Row heights (points, by 1-based row), column widths (characters, by 0-based column) and
/// the wrapped text cells of a sheet.
fn layout(
    xml: &str,
    wrap: &[bool],
    shared: &[String],
) -> (HashMap<u32, f64>, HashMap<u32, f64>, Vec<Wrapped>) {
    let mut r = Reader::from_str(xml);
    let (mut heights, mut widths, mut cells) = (HashMap::new(), HashMap::new(), Vec::new());
    let mut row = 0u32;
    // The open cell: column, wraps, is a shared string; and the text read so far.
    let mut open: Option<(u32, bool, bool)> = None;
    let mut text = String::new();
    loop {
        match r.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "row" => {
                let get = |k: &str| {
                    e.try_get_attribute(k)
                        .unwrap()
                        .map(|a| quick_xml::escape::unescape(&a.value).unwrap().into_owned())
                };
                row = get("r").unwrap().parse().unwrap();
                if let Some(h) = get("ht") {
                    heights.insert(row, h.parse().unwrap());
                }
            }
            Event::Empty(e) if e.local_name().as_ref() == "col" => {
                let get = |k: &str| {
                    e.try_get_attribute(k)
                        .unwrap()
                        .map(|a| quick_xml::escape::unescape(&a.value).unwrap().into_owned())
                        .unwrap()
                };
                let (min, max): (u32, u32) =
                    (get("min").parse().unwrap(), get("max").parse().unwrap());
                let w: f64 = get("width").parse().unwrap();
                for c in min..=max {
                    widths.insert(c - 1, w);
                }
            }
            Event::Start(e) if e.local_name().as_ref() == "c" => {
                let get = |k: &str| {
                    e.try_get_attribute(k)
                        .unwrap()
                        .map(|a| quick_xml::escape::unescape(&a.value).unwrap().into_owned())
                };
                let s: usize = get("s").map_or(0, |s| s.parse().unwrap());
                let t = get("t");
                let is_text = matches!(t.as_deref(), Some("s" | "inlineStr" | "str"));
                open = Some((
                    col_of(&get("r").unwrap()),
                    wrap.get(s).copied().unwrap_or(false) && is_text,
                    t.as_deref() == Some("s"),
                ));
                text.clear();
            }
            Event::Text(t) if open.is_some() => text.push_str(&t.xml10_content()),
            Event::GeneralRef(g) if open.is_some() => {
                text.push_str(quick_xml::escape::resolve_xml_entity(g.as_ref()).unwrap_or("?"));
            }
            Event::End(e) if e.local_name().as_ref() == "c" => {
                if let Some((col, true, is_shared)) = open.take() {
                    let text = if is_shared {
                        shared[text.trim().parse::<usize>().unwrap()].clone()
                    } else {
                        text.clone()
                    };
                    cells.push(Wrapped {
                        row,
                        col,
                        last_col: col,
                        text,
                    });
                }
                open = None;
            }
            // A merged range «B5:D5»: its text wraps across B:D.
            Event::Empty(e) if e.local_name().as_ref() == "mergeCell" => {
                let range = e
                    .try_get_attribute("ref")
                    .unwrap()
                    .map(|a| quick_xml::escape::unescape(&a.value).unwrap().into_owned())
                    .unwrap();
                let (a, b) = range.split_once(':').unwrap();
                let first_row: u32 = a.trim_start_matches(char::is_alphabetic).parse().unwrap();
                for c in cells
                    .iter_mut()
                    .filter(|c| c.row == first_row && c.col == col_of(a))
                {
                    c.last_col = col_of(b);
                }
            }
            Event::Eof => return (heights, widths, cells),
            _ => {}
        }
    }
}

/// The shared strings of a workbook, in order.
fn shared_strings(files: &HashMap<String, String>) -> Vec<String> {
    let Some(xml) = files.get("xl/sharedStrings.xml") else {
        return Vec::new();
    };
    let mut r = Reader::from_str(xml);
    let (mut out, mut cur, mut inside) = (Vec::new(), String::new(), false);
    loop {
        match r.read_event().unwrap() {
            Event::Start(e) if e.local_name().as_ref() == "si" => {
                inside = true;
                cur.clear();
            }
            Event::Text(t) if inside => cur.push_str(&t.xml10_content()),
            Event::GeneralRef(g) if inside => {
                cur.push_str(quick_xml::escape::resolve_xml_entity(g.as_ref()).unwrap_or("?"));
            }
            Event::End(e) if e.local_name().as_ref() == "si" => {
                inside = false;
                out.push(cur.clone());
            }
            Event::Eof => return out,
            _ => {}
        }
    }
}

/// Checks one workbook; returns how many wrapped cells needed more than one line.
fn check_workbook(path: &Path) -> usize {
    let (parts, files) = unzip(path);
    let wrap = wrapping_styles(&files["xl/styles.xml"]);
    let shared = shared_strings(&files);
    let book = path.file_name().unwrap().to_string_lossy().into_owned();
    let mut tall = 0;
    for p in &parts {
        let at = format!("{book}, лист «{}»", p.name);
        // Fit to one page wide: fitToPage on, fitToWidth absent (Excel's default is 1) or 1.
        for needle in [
            "<pageSetup",
            "paperSize=\"9\"",
            "fitToPage=\"1\"",
            "<pageMargins",
        ] {
            assert!(p.xml.contains(needle), "{at}: нет {needle}");
        }
        let fit = attr_values(&p.xml, "pageSetup", "fitToWidth");
        assert!(fit.iter().all(|w| w == "1"), "{at}: fitToWidth {fit:?}");
        let footer = attr_or_text(&p.xml, "oddFooter");
        assert!(
            footer.contains("&P") && footer.contains("&N"),
            "{at}: в колонтитуле нет номера страницы: {footer:?}"
        );
        let (heights, widths, cells) = layout(&p.xml, &wrap, &shared);
        for c in cells {
            let width: f64 = (c.col..=c.last_col)
                .map(|k| widths.get(&k).copied().unwrap_or(8.43))
                .sum();
            // Each paragraph takes at least one line; a line holds at most 1.3·width chars.
            let lines: usize = c
                .text
                .split('\n')
                .map(|para| {
                    (para.chars().count() as f64 / (1.3 * width))
                        .ceil()
                        .max(1.0) as usize
                })
                .sum();
            if lines <= 1 {
                continue;
            }
            tall += 1;
            let need = (lines as f64 * 12.0).min(409.0);
            let got = heights.get(&c.row).copied().unwrap_or(15.0);
            assert!(
                got >= need,
                "{at}, строка {}, столбец {}: высота {got} пт, а тексту из {} знаков в столбце \
                 шириной {width} нужно не меньше {need} пт ({lines} строк): {:?}",
                c.row,
                c.col + 1,
                c.text.chars().count(),
                c.text.chars().take(80).collect::<String>()
            );
        }
    }
    tall
}

/// Whether `text` holds `word` as a whole word (not inside a longer identifier).
fn holds_word(text: &str, word: &str) -> bool {
    let ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    text.match_indices(word).any(|(i, _)| {
        !ident(text[..i].chars().next_back()) && !ident(text[i + word.len()..].chars().next())
    })
}

/// No cell a person reads — every sheet but «Методика», which lists the configuration with
/// its keys on purpose — and no chart holds an internal key of an indicator or of a
/// social-passport category.
fn check_no_internal_ids(path: &Path, ids: &[String]) {
    use calamine::{Reader, open_workbook_auto};
    let book = path.file_name().unwrap().to_string_lossy().into_owned();
    let mut wb = open_workbook_auto(path).unwrap();
    for name in wb.sheet_names() {
        if name == "Методика" {
            continue;
        }
        let range = wb.worksheet_range(&name).unwrap();
        for (r, c, v) in range.cells() {
            let text = v.to_string();
            for id in ids {
                assert!(
                    !holds_word(&text, id),
                    "{book}, лист «{name}», строка {}, столбец {}: внутренний код «{id}» в {text:?}",
                    r + 1,
                    c + 1
                );
            }
        }
    }
    let (_, files) = unzip(path);
    for (name, xml) in files
        .iter()
        .filter(|(n, _)| n.starts_with("xl/charts/chart"))
    {
        for id in ids {
            assert!(
                !holds_word(xml, id),
                "{book}, {name}: внутренний код «{id}»"
            );
        }
    }
}

/// The text of the first element `tag`.
fn attr_or_text(xml: &str, tag: &str) -> String {
    let Some(i) = xml.find(&format!("<{tag}>")) else {
        return String::new();
    };
    let rest = &xml[i + tag.len() + 2..];
    let end = rest.find(&format!("</{tag}>")).unwrap_or(rest.len());
    quick_xml::escape::unescape(&rest[..end])
        .unwrap()
        .into_owned()
}

#[test]
fn both_workbooks_print_with_rows_tall_enough_for_their_text() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    shnor()
        .arg("identify")
        .arg(root().join("examples/demo"))
        .arg("--out")
        .arg(out)
        .arg("-q")
        .env("SHNOR_TODAY", "2026-12-04")
        .assert()
        .success();
    shnor()
        .arg("progress")
        .arg(root().join("examples/demo-progress"))
        .arg("--baseline")
        .arg(out.join("identify-2025.json"))
        .arg("--targets")
        .arg(root().join("examples/demo/целевые показатели.xlsx"))
        .args(["--date", "2026-02-15", "-q", "--out"])
        .arg(out)
        .assert()
        .success();
    // The demo's lists hold reasons of several lines: the check must have met some.
    let tall = check_workbook(&out.join("identify-2025.xlsx"));
    assert!(
        tall >= 10,
        "в книге identify мало многострочных ячеек: {tall}"
    );
    let tall = check_workbook(&out.join("progress-2026-02-15.xlsx"));
    assert!(
        tall >= 5,
        "в книге progress мало многострочных ячеек: {tall}"
    );
    let cfg = shnor::config::Config::load(&root().join("examples/demo/shnor.toml")).unwrap();
    let mut ids: Vec<String> = cfg.indicators.iter().map(|s| s.id.clone()).collect();
    ids.extend(cfg.isb.weights.keys().cloned());
    assert!(ids.len() >= 10, "{ids:?}");
    check_no_internal_ids(&out.join("identify-2025.xlsx"), &ids);
    check_no_internal_ids(&out.join("progress-2026-02-15.xlsx"), &ids);
    // The footer carries the report's date as a Russian reader writes it.
    let (parts, _) = unzip(&out.join("identify-2025.xlsx"));
    let footer = attr_or_text(&parts[0].xml, "oddFooter");
    assert!(footer.contains("отчёт от 04.12.2026"), "{footer}");
    let (parts, _) = unzip(&out.join("progress-2026-02-15.xlsx"));
    let footer = attr_or_text(&parts[0].xml, "oddFooter");
    assert!(footer.contains("на 15.02.2026"), "{footer}");
}
