//! `shnor inspect`: for each sheet, what was recognized and why — kind, procedure, year,
//! header rows, every heading with the field it maps to, row counts by class, schools, and
//! the cross-check of total rows against the schools under them. An analyst sees why a file
//! was read the way it was, and which `shnor.toml` lines would fix it.

use crate::cli::Context;
use crate::normalize::normalize_mapped;
use crate::read::{Workbook, column_letter};
use crate::recognize::prepare_sheet;
use crate::recognize::{
    Field, Mapping, RowClass, check_totals, classify, column_cells, proposable,
};
use anyhow::Result;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// `println!` into a report string (writing to a String cannot fail).
macro_rules! w {
    ($out:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = writeln!($out, $($arg)*);
    }};
}

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Примеры:\n  shnor inspect огэ_2025.xlsx\n  shnor inspect выгрузки/\n  \
shnor inspect выгрузки/ --toml выгрузки/shnor.toml\n\n\
Если таблица прочитана не так, укажите вид файла, год, процедуру и столбцы в shnor.toml \
([[files]] и [columns], все ключи — docs/columns-and-files.md) и запустите inspect ещё раз \
с --config. Для того, что распознать не удалось, inspect печатает готовый блок настроек; \
столбец предлагается, только когда его значения подходят (код школы — разные в каждой \
строке, не номер по порядку 1…N и не названия муниципалитетов); --toml ФАЙЛ записывает блок."
)]
pub struct Args {
    /// Файлы или папки с выгрузками
    #[arg(required = true, value_name = "ФАЙЛЫ")]
    pub inputs: Vec<PathBuf>,
    /// Записать готовый блок настроек ([[files]] и [columns]) для того, что не удалось
    /// распознать, в этот файл (существующий файл не перезаписывается)
    #[arg(long, value_name = "ФАЙЛ")]
    pub toml: Option<PathBuf>,
}

/// What inspect could not decide for one sheet, as `shnor.toml` lines.
#[derive(Debug, Default)]
struct Advice {
    /// A `[[files]]` entry for a file whose kind was not recognized.
    pattern: Option<String>,
    /// `[columns]` lines: heading and field key, proposed only when the values fit the field.
    columns: Vec<(String, String)>,
    /// A field with no column to propose: a commented line names it.
    missing: Option<Field>,
}

/// How rule К3 (docs/recognition.md «Вид таблицы») begins the reason for a class list.
const CLASS_LIST: &str = "это список классов";

/// What to do with a class list: shnor does not sum classes into the contingent yet.
const CLASS_LIST_ADVICE: &str = "лист похож на список классов; чтобы учесть его как \
    контингент, сложите число обучающихся по параллелям (5А + 5Б → 5 класс) в таблицу «Год | \
    Код ОО | 1 класс | … | 11 класс» (шаблон «контингент по классам.xlsx» — shnor template) и \
    положите её рядом: сам shnor классы в контингент пока не складывает";

/// Kinds a `[[files]]` entry may name (the order of `docs/columns-and-files.md`).
const KINDS: &str = "registry, participants, aggregates, olympiad, contingent, passport, targets";

/// A TOML basic string (quotes and backslashes escaped).
fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The `[[files]]` entries, then one `[columns]` table (a heading named once), as TOML.
fn advice_toml(advice: &[&Advice]) -> String {
    let mut out = String::new();
    for a in advice {
        if let Some(p) = &a.pattern {
            w!(out, "[[files]]");
            w!(out, "pattern = {}", toml_str(p));
            w!(
                out,
                "# kind = \"aggregates\"   # вид файла — одно из: {KINDS}"
            );
            w!(out, "");
        }
    }
    let mut seen = BTreeSet::new();
    let mut lines = Vec::new();
    for a in advice {
        for (h, key) in &a.columns {
            if seen.insert(crate::read::norm_text(h)) {
                lines.push(format!("{} = {}", toml_str(h), toml_str(key)));
            }
        }
        if let Some(f) = a.missing
            && a.columns.is_empty()
        {
            lines.push(format!(
                "# \"Заголовок столбца\" = {}   # подходящий столбец не найден",
                toml_str(&f.key())
            ));
        }
    }
    if !lines.is_empty() {
        w!(out, "[columns]");
        for l in lines {
            w!(out, "{l}");
        }
    }
    out
}

/// Prints a sheet's advice block, indented.
fn print_advice(advice: &Advice, out: &mut String) {
    w!(
        out,
        "    готовый блок для shnor.toml (проверьте; shnor inspect --toml ФАЙЛ запишет его):"
    );
    for line in advice_toml(&[advice]).lines() {
        if line.is_empty() {
            w!(out, "");
        } else {
            w!(out, "      {line}");
        }
    }
}

/// The first of `columns` (index, heading) whose values fit a school code, skipping headings
/// that already name another field.
fn school_id_column(
    sheet: &crate::read::Sheet,
    data_start: usize,
    columns: &[(usize, String)],
    cfg: &crate::config::Config,
) -> Option<String> {
    columns
        .iter()
        .filter(|(_, h)| {
            !h.trim().is_empty()
                && match crate::recognize::lookup(h, cfg) {
                    Some(Mapping::Field(f)) => f == Field::SchoolId,
                    Some(_) => false,
                    None => true,
                }
        })
        .find(|(i, _)| proposable(Field::SchoolId, &column_cells(sheet, data_start, *i)))
        .map(|(_, h)| h.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Advice for a sheet that was not recognized: its header is taken to be the first row with
/// two filled cells; a column whose values fit a school code is proposed for `school_id`.
fn unrecognized_advice(
    sheet: &crate::read::Sheet,
    file_name: &str,
    cfg: &crate::config::Config,
) -> Advice {
    let header = sheet
        .rows
        .iter()
        .take(30)
        .position(|r| r.iter().filter(|c| !c.is_empty()).count() >= 2);
    let columns: Vec<(usize, String)> = header
        .map(|h| {
            sheet.rows[h]
                .iter()
                .enumerate()
                .map(|(i, c)| (i, c.text()))
                .collect()
        })
        .unwrap_or_default();
    let id = header.and_then(|h| school_id_column(sheet, h + 1, &columns, cfg));
    Advice {
        pattern: Some(file_name.to_string()),
        columns: id.into_iter().map(|h| (h, Field::SchoolId.key())).collect(),
        missing: Some(Field::SchoolId),
    }
}

/// Advice for a table read as municipality-level: when the municipality column repeats
/// (several rows per municipality — the rows are schools after all) and an unused column
/// fits a school code, that column is proposed for `school_id`.
fn district_advice(
    sheet: &crate::read::Sheet,
    table: &crate::recognize::Table,
    cfg: &crate::config::Config,
) -> Option<Advice> {
    let repeats = table
        .columns
        .iter()
        .filter(|c| matches!(c.field, Field::Municipality | Field::SchoolName))
        .any(|c| {
            let cells = column_cells(sheet, table.data_start, c.index);
            let distinct: BTreeSet<String> = cells.iter().map(|c| c.text()).collect();
            distinct.len() < cells.len()
        });
    if !repeats || table.column(Field::SchoolId).is_some() {
        return None;
    }
    let id = school_id_column(sheet, table.data_start, &table.unmapped, cfg)?;
    Some(Advice {
        pattern: None,
        columns: vec![(id, Field::SchoolId.key())],
        missing: None,
    })
}

/// Runs inspect; exit 0 when every sheet with data was recognized, 3 otherwise.
///
/// # Errors
/// When an input path does not exist.
pub fn run(args: &Args, ctx: &Context) -> Result<u8> {
    use rayon::prelude::*;
    if let Some(t) = &args.toml
        && t.exists()
    {
        return Err(crate::UsageError(format!(
            "файл {} уже есть: shnor inspect --toml его не перезаписывает — укажите другое имя \
             или перенесите нужное из него сами",
            t.display()
        ))
        .into());
    }
    // Years are read as identify reads them (docs/recognition.md «Годы», rule 7).
    let (cfg, _) = super::dated_config(&ctx.config)?;
    let cfg = &cfg;
    let expanded = crate::normalize::expand_with(&args.inputs, ctx.walk)?;
    let files = expanded.files;
    let budget = crate::read::Budget::new(cfg.limits.clone());
    // Files are inspected in parallel; the reports are printed in input order.
    let reports: Vec<(String, bool, Vec<Advice>, Seen)> = files
        .par_iter()
        .map(|path| {
            let mut out = String::new();
            let mut ok = true;
            let mut advice = Vec::new();
            let mut seen = Seen::default();
            crate::read::read_each(path, &budget, &mut |wb| match wb {
                Ok(wb) => {
                    ok &= inspect_workbook(&wb, cfg, &mut out, &mut advice, &mut seen);
                }
                Err(e) => {
                    ok = false;
                    w!(out, "{}\n  не прочитан: {e}", path.display());
                    seen.unread(path.display().to_string(), e.to_string());
                }
            });
            (out, ok, advice, seen)
        })
        .collect();
    let mut all_ok = true;
    let mut advice: Vec<&Advice> = Vec::new();
    let mut seen = crate::model::Dataset::default();
    for (text, ok, a, s) in &reports {
        crate::cli::print(text)?;
        all_ok &= ok;
        advice.extend(a);
        seen.files.extend(s.files.iter().cloned());
        seen.issues.extend(s.issues.iter().cloned());
    }
    // Files in the folders that are not spreadsheets are named, never dropped silently.
    for issue in &expanded.skipped {
        crate::cli::print(&format!("{issue}\n"))?;
    }
    // Whole kinds of data missing or wholly rejected: the lines identify prints. inspect
    // judges nothing (that would read every file a second time), so an indicator left with
    // no school is named by validate and identify only.
    // Only for a folder: of files named one by one, every kind not among them is missing.
    let coverage = if args.inputs.iter().any(|p| p.is_dir()) {
        crate::judge::coverage(&seen, cfg, None)
    } else {
        Vec::new()
    };
    if !coverage.is_empty() {
        crate::cli::print(
            "\nНеполные данные по видам (как их назовёт identify; показатели без школ — \
             shnor validate):\n",
        )?;
        for note in &coverage {
            crate::cli::print(&format!("  {}\n", note.line()))?;
        }
    }
    if let Some(path) = &args.toml {
        if advice.is_empty() {
            ctx.say("Все листы распознаны — записывать в настройки нечего, файл не создан.");
        } else {
            let text = format!(
                "# Предложено shnor inspect: проверьте каждую строку, затем запустите\n\
                 # shnor inspect --config {} … ещё раз.\n\n{}",
                path.display(),
                advice_toml(&advice)
            );
            crate::report::write_bytes(path, text.as_bytes())?;
            ctx.say(&format!("Блок настроек записан в {}", path.display()));
        }
    }
    Ok(if all_ok {
        crate::exit::OK
    } else {
        crate::exit::ROWS_REJECTED
    })
}

/// What the sheets of one input gave, as `validate` would count it: the input of the
/// coverage lines.
#[derive(Default)]
struct Seen {
    files: Vec<crate::model::InputFile>,
    issues: Vec<crate::model::Issue>,
}

impl Seen {
    /// A file not counted at all (unreadable, or no sheet recognized).
    fn unread(&mut self, path: String, why: String) {
        self.issues.push(crate::model::Issue::of_file(
            crate::model::Severity::Rejected,
            &path,
            format!("файл не учтён: {why}"),
        ));
        self.files.push(crate::model::InputFile {
            path,
            sha256: String::new(),
            tables: Vec::new(),
            copy_of: None,
        });
    }
}

/// Writes one workbook's report; false when a sheet with data was not recognized.
fn inspect_workbook(
    wb: &Workbook,
    cfg: &crate::config::Config,
    out: &mut String,
    advice: &mut Vec<Advice>,
    seen: &mut Seen,
) -> bool {
    let shown = wb.path.display().to_string();
    let mut tables = Vec::new();
    let name = wb
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    w!(out, "{shown}");
    if let Some(d) = &wb.detected {
        w!(out, "  кодировка и разделитель: {d}");
    }
    let mut ok = true;
    for raw in &wb.sheets {
        let sheet_label = raw
            .name
            .as_ref()
            .map_or("таблица".to_string(), |s| format!("лист «{s}»"));
        if raw
            .rows
            .iter()
            .all(|r| r.iter().all(crate::read::Cell::is_empty))
        {
            w!(out, "  {sheet_label}: пуст — пропущен");
            continue;
        }
        let prepared = prepare_sheet(raw, &wb.path, cfg);
        let table = match prepared.table {
            Ok(t) => t,
            Err(u) if u.message.starts_with(crate::recognize::DISTRICT_TABLE) => {
                w!(out, "  {sheet_label}: {}", u.message);
                if let Some(t) = crate::recognize::recognize_district(raw, &name, cfg) {
                    show_summary(raw, &t, out);
                    if let Some(a) = district_advice(raw, &t, cfg) {
                        print_advice(&a, out);
                        advice.push(a);
                    }
                }
                continue;
            }
            Err(u) => {
                ok = false;
                w!(out, "  {sheet_label}: НЕ РАСПОЗНАН");
                // The recognizer's own example block is replaced by one built from the
                // values (it names the first heading, often «№»).
                for line in u.message.lines() {
                    if line.starts_with("Укажите вид файла") {
                        break;
                    }
                    w!(out, "    {line}");
                }
                // No `[[files]]` kind reads a class list (rule К3): a block would mislead.
                if u.message.starts_with(CLASS_LIST) {
                    w!(out, "    {CLASS_LIST_ADVICE}");
                    continue;
                }
                let a = unrecognized_advice(raw, &name, cfg);
                print_advice(&a, out);
                advice.push(a);
                continue;
            }
        };
        let sheet = prepared.sheet.as_ref();
        let so = normalize_mapped(sheet, &table, &shown, cfg, prepared.row_map.as_deref());
        tables.push(crate::normalize::table_summary(
            raw.name.clone(),
            &table,
            &so,
        ));
        let orig = |r: usize| {
            prepared
                .row_map
                .as_ref()
                .and_then(|m| m.get(r).copied())
                .unwrap_or(r)
                + 1
        };
        w!(out, "  {sheet_label}: {}", table.kind.label());
        for n in &prepared.notes {
            w!(out, "    · {n}");
        }
        let m = &table.meta;
        let mut meta = Vec::new();
        if let Some(e) = m.exam {
            meta.push(format!("процедура {}", e.label()));
        }
        if let Some(s) = &m.subject {
            meta.push(format!("предмет {s}"));
        }
        if let Some(g) = m.grade {
            meta.push(format!("{g} класс"));
        }
        if let Some(y) = m.year {
            meta.push(format!("год {y}"));
        }
        if !meta.is_empty() {
            w!(
                out,
                "    по заголовку, имени листа и файла: {}",
                meta.join(", ")
            );
        }
        let procs: BTreeSet<String> = so
            .results
            .iter()
            .map(|r| format!("{} {}", r.rec.procedure, r.rec.year))
            .collect();
        if !procs.is_empty() {
            w!(
                out,
                "    процедуры в строках: {}",
                procs.into_iter().collect::<Vec<_>>().join("; ")
            );
        }
        let (h1, h2) = table.header_rows;
        if h1 == h2 {
            w!(out, "    заголовок: строка {}", h1 + 1);
        } else {
            w!(out, "    заголовок: строки {}–{}", h1 + 1, h2 + 1);
        }
        w!(out, "    данные со строки {}", orig(table.data_start));
        print_columns(&table, out);
        for n in table.notes.iter().chain(so.notes.iter()) {
            for (i, line) in n.lines().enumerate() {
                let mark = if i == 0 { "·" } else { " " };
                w!(out, "    {mark} {line}");
            }
        }
        let classes = classify(sheet, &table);
        print_classes(&classes, "строки", out);
        let keys: BTreeSet<&str> = so
            .results
            .iter()
            .map(|k| k.key.as_str())
            .chain(so.contingent.iter().map(|k| k.key.as_str()))
            .chain(so.passports.iter().map(|k| k.key.as_str()))
            .chain(so.olympiad.iter().map(|k| k.key.as_str()))
            .collect();
        let schools = if so.registry.is_empty() {
            keys.len()
        } else {
            so.registry.len()
        };
        w!(
            out,
            "    строк принято {}, отклонено {}, школ {schools}",
            so.accepted,
            so.rejected
        );
        print_checks(&check_totals(sheet, &table, &classes), &orig, out);
        let rejected: Vec<_> = so.issues.iter().collect();
        for i in rejected.iter().take(5) {
            w!(
                out,
                "    замечание: {}",
                i.message.lines().next().unwrap_or_default()
            );
        }
        if rejected.len() > 5 {
            w!(
                out,
                "    … ещё замечаний: {} (полный список — shnor validate)",
                rejected.len() - 5
            );
        }
    }
    if tables.is_empty() && !ok {
        seen.unread(shown, "ни один лист не распознан".into());
    } else {
        seen.files.push(crate::model::InputFile {
            path: shown,
            sha256: String::new(),
            tables,
            copy_of: None,
        });
    }
    ok
}

/// A table without schools (municipalities or years in rows): its columns, row classes and
/// totals, so the analyst can still check it.
fn show_summary(sheet: &crate::read::Sheet, table: &crate::recognize::Table, out: &mut String) {
    let (h1, h2) = table.header_rows;
    w!(
        out,
        "    заголовок: строки {}–{}, данные со строки {}",
        h1 + 1,
        h2 + 1,
        table.data_start + 1
    );
    print_columns(table, out);
    let classes = classify(sheet, table);
    print_classes(&classes, "summary", out);
    print_checks(&check_totals(sheet, table, &classes), &|r| r + 1, out);
}

fn print_columns(table: &crate::recognize::Table, out: &mut String) {
    w!(out, "    столбцы:");
    let mut cols: Vec<(usize, String, Option<String>)> = table
        .columns
        .iter()
        .map(|c| {
            (
                c.index,
                c.heading.clone(),
                Some(format!("{} ({})", c.field.heading(), c.field.key())),
            )
        })
        .chain(table.unmapped.iter().map(|(i, h)| (*i, h.clone(), None)))
        .collect();
    cols.sort_by_key(|c| c.0);
    for (i, h, f) in &cols {
        let h = crate::read::norm_text(h);
        match f {
            Some(f) => w!(out, "      {} «{h}» → {f}", column_letter(*i)),
            None => w!(out, "      {} «{h}» — не используется", column_letter(*i)),
        }
    }
}

fn print_classes(classes: &[(usize, RowClass)], what: &str, out: &mut String) {
    let mut counts: BTreeMap<RowClass, usize> = BTreeMap::new();
    for (_, c) in classes {
        *counts.entry(*c).or_default() += 1;
    }
    let by_class: Vec<String> = counts
        .iter()
        .map(|(c, n)| match (c, what) {
            // In a table without schools the data rows are municipalities or years.
            (RowClass::School, "summary") => format!("строки данных {n}"),
            _ => format!("{} {n}", c.label()),
        })
        .collect();
    w!(out, "    строки по видам: {}", by_class.join(", "));
}

fn print_checks(
    checks: &[crate::recognize::TotalCheck],
    orig: &dyn Fn(usize) -> usize,
    out: &mut String,
) {
    if checks.is_empty() {
        return;
    }
    let passed = checks.iter().filter(|c| c.passed()).count();
    w!(
        out,
        "    проверка итогов (сумма строк под итоговой строкой): сошлось {passed} из {}",
        checks.len()
    );
    for c in checks.iter().filter(|c| !c.passed()).take(10) {
        w!(
            out,
            "      строка {} ({}), «{}»: в файле {}, сумма {} {} {} — расхождение {}",
            orig(c.row),
            c.class.label(),
            crate::read::norm_text(&c.what),
            c.stated,
            c.schools,
            crate::read::plural(c.schools, "строки", "строк", "строк"),
            c.summed,
            c.summed as i64 - c.stated as i64
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_block_is_a_config() {
        let a = Advice {
            pattern: Some("отчёт \"2025\".xlsx".into()),
            columns: vec![("Рег. \\ номер".into(), "school_id".into())],
            missing: Some(Field::SchoolId),
        };
        let b = Advice {
            pattern: Some("второй.csv".into()),
            columns: vec![("рег. \\ номер".into(), "school_id".into())],
            missing: Some(Field::SchoolId),
        };
        let c = Advice {
            pattern: None,
            columns: vec![],
            missing: Some(Field::SchoolId),
        };
        let text = advice_toml(&[&a, &b, &c]);
        let cfg: crate::config::Config = toml::from_str(&text).expect(&text);
        cfg.validate().unwrap();
        assert_eq!(cfg.files.len(), 2);
        assert_eq!(cfg.files[0].pattern, "отчёт \"2025\".xlsx");
        // One heading, named once; the missing field only as a comment.
        assert_eq!(cfg.columns.len(), 1, "{text}");
        assert_eq!(cfg.columns["Рег. \\ номер"], "school_id");
        assert!(
            text.contains("# \"Заголовок столбца\" = \"school_id\""),
            "{text}"
        );
        // The commented kind line is valid once uncommented.
        let kinds: crate::config::Config =
            toml::from_str(&text.replace("# kind =", "kind =")).expect(&text);
        assert_eq!(
            kinds.files[0].kind,
            Some(crate::model::InputKind::Aggregates)
        );
    }

    /// Every `[[files]]` key and every `[columns]` value is documented, with an example.
    #[test]
    fn every_key_is_documented() {
        let doc = include_str!("../../docs/columns-and-files.md");
        let keys = crate::recognize::SIMPLE_FIELDS
            .iter()
            .map(|f| f.key())
            .chain(
                crate::model::Category::ALL
                    .iter()
                    .map(|c| c.key().to_string()),
            )
            .chain(["grade_1", "grade_12", "plan_2026", "ignore"].map(String::from));
        for key in keys {
            assert!(doc.contains(&format!("`{key}`")), "[columns] {key}");
            assert!(doc.contains(&format!("= \"{key}\"")), "example for {key}");
        }
        for key in [
            "pattern", "kind", "year", "exam", "subject", "grade", "ignore",
        ] {
            assert!(doc.contains(&format!("| `{key}` |")), "[[files]] {key}");
            assert!(doc.contains(&format!("{key} = ")), "example for {key}");
        }
        for kind in KINDS.split(", ") {
            assert!(doc.contains(&format!("`{kind}`")), "kind {kind}");
        }
    }
}
