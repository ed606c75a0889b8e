//! One recognized sheet → records keyed by the school key *as written* (resolution through
//! the registry happens once all files are read). Participant rows are aggregated here,
//! sheet by sheet, so no participant row outlives its sheet.

use crate::config::{Config, MarkBoundaries};
use crate::model::{
    Contingent, Exam, InputKind, Issue, OlympiadEntry, Origin, Passport, Population, ProcResult,
    Procedure, School, Severity, Stage, Status, Target, Year,
};
use crate::read::{Cell, Sheet};
use crate::read::{
    is_not_done, norm_eq, norm_text, parse_code, parse_count, parse_number, parse_share,
};
use crate::recognize::subjects::{canonical_subject, for_exam};
use crate::recognize::synonyms::{canon, is_percent_word};
use crate::recognize::{Column, Field, Table, meta};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A record whose school is still the key written in the file.
#[derive(Clone, Debug)]
pub struct Keyed<T> {
    pub rec: T,
    pub key: String,
    /// School name from the same row, for schools invented when there is no registry.
    pub name: Option<String>,
    /// Input rows behind the record (participants: one per participant).
    pub rows: usize,
    /// Heading of the school key column, for messages.
    pub key_column: String,
}

/// What one sheet gave.
#[derive(Debug, Default)]
pub struct SheetOut {
    pub registry: Vec<School>,
    pub registry_origins: Vec<Origin>,
    pub results: Vec<Keyed<ProcResult>>,
    pub olympiad: Vec<Keyed<OlympiadEntry>>,
    pub contingent: Vec<Keyed<Contingent>>,
    pub passports: Vec<Keyed<Passport>>,
    pub targets: Vec<Target>,
    pub issues: Vec<Issue>,
    pub notes: Vec<String>,
    pub accepted: usize,
    pub rejected: usize,
}

struct Ctx<'a> {
    sheet: &'a Sheet,
    table: &'a Table,
    file: &'a str,
    out: SheetOut,
    /// No code column: the code is written before the name («101 - МАОУ «Лицей»»).
    code_in_name: bool,
    /// No codes at all: schools keyed by name within their municipality.
    name_key: bool,
    /// The municipality of the current block (filled down, or from a section row).
    municipality: Option<String>,
    /// Reshaped sheet: original row of each row, so messages name the analyst's row.
    row_map: Option<&'a [usize]>,
    /// Subjects as written in a subject column → canonical names: a protocol repeats a
    /// dozen names over 10^5 rows.
    subjects: RefCell<HashMap<String, String>>,
}

impl<'a> Ctx<'a> {
    fn origin(&self, row: usize) -> Origin {
        Origin {
            file: self.file.to_string(),
            sheet: self.sheet.name.clone(),
            row: self
                .row_map
                .and_then(|m| m.get(row).copied())
                .unwrap_or(row)
                + 1,
        }
    }

    fn col(&self, f: Field) -> Option<&Column> {
        self.table.column(f)
    }

    fn cell(&self, row: usize, f: Field) -> Option<&'a Cell> {
        let sheet: &'a Sheet = self.sheet;
        self.table.column(f).map(|c| sheet.cell(row, c.index))
    }

    fn text(&self, row: usize, f: Field) -> Option<String> {
        self.cell(row, f)
            .map(|c| c.text().trim().to_string())
            .filter(|t| !t.is_empty())
    }

    /// Records a rejected row (counted once per row by the caller).
    fn reject(&mut self, row: usize, column: Option<&str>, value: Option<String>, msg: String) {
        self.out.issues.push(Issue {
            severity: Severity::Rejected,
            origin: self.origin(row),
            column: column.map(str::to_string),
            value,
            message: msg,
        });
        self.out.rejected += 1;
    }

    /// Rejects the whole table: one issue, every data row counted.
    fn reject_table(&mut self, column: Option<&str>, msg: String) {
        self.out.issues.push(Issue {
            severity: Severity::Rejected,
            origin: Origin {
                row: 0,
                ..self.origin(0)
            },
            column: column.map(str::to_string),
            value: None,
            message: msg,
        });
        self.out.rejected += self.data_rows().count();
        self.out.accepted = 0;
    }

    /// A warning about the whole sheet.
    fn warn(&mut self, msg: String) {
        let origin = Origin {
            row: 0,
            ..self.origin(0)
        };
        self.out.issues.push(Issue {
            severity: Severity::Warning,
            origin,
            column: None,
            value: None,
            message: msg,
        });
    }

    /// Non-empty rows after the header.
    fn data_rows(&self) -> impl Iterator<Item = usize> + '_ {
        (self.table.data_start..self.sheet.rows.len())
            .filter(|&r| self.sheet.rows[r].iter().any(|c| !c.is_empty()))
    }

    /// The school name of a row, without a code written before it.
    fn school_name(&self, row: usize) -> Option<String> {
        let name = self.text(row, Field::SchoolName)?;
        Some(match split_code_prefix(&name) {
            Some((_, rest)) if self.code_in_name => rest,
            _ => name,
        })
    }

    /// A count from a column: `Err(())` when the row was rejected.
    fn count(&mut self, row: usize, f: Field) -> Result<Option<u32>, ()> {
        self.parsed(
            row,
            f,
            parse_count,
            "исправьте значение в файле (ожидается целое число ≥ 0)",
        )
    }

    fn number(&mut self, row: usize, f: Field) -> Result<Option<f64>, ()> {
        self.parsed(
            row,
            f,
            parse_number,
            "в этом столбце ожидается число — проверьте, не сдвинуты ли столбцы",
        )
    }

    /// A value parsed from a column; an unparsable cell rejects the row with `hint`.
    fn parsed<T>(
        &mut self,
        row: usize,
        f: Field,
        parse: fn(&Cell) -> Result<Option<T>, String>,
        hint: &str,
    ) -> Result<Option<T>, ()> {
        let (table, sheet) = (self.table, self.sheet);
        let Some(col) = table.column(f) else {
            return Ok(None);
        };
        let cell = sheet.cell(row, col.index);
        parse(cell).map_err(|e| {
            self.reject(
                row,
                Some(&col.heading),
                Some(cell.text()),
                format!("{e}: {hint}"),
            );
        })
    }

    /// The school key of a row; `None` for rows without one (totals, sections: noted).
    fn school_key(&mut self, row: usize, skipped_totals: &mut usize) -> Result<String, ()> {
        // Filled down: allocated only when it changes.
        match self.cell(row, Field::Municipality) {
            Some(Cell::Text(m)) => {
                let m = m.trim();
                if !m.is_empty() && self.municipality.as_deref() != Some(m) {
                    self.municipality = Some(m.to_string());
                }
            }
            Some(c @ Cell::Number(_)) => self.municipality = Some(c.text()),
            _ => {}
        }
        if self.name_key {
            return self.name_school_key(row, skipped_totals);
        }
        // Total rows are named in Russian: a code in Latin letters and digits (`sch220001`,
        // `010203`) is never one, and is the common case.
        if let Some(k) = self.cell(row, Field::SchoolId).and_then(parse_code)
            && (k.is_ascii() || !is_total_row(&norm_text(&k)))
        {
            return Ok(k);
        }
        if self.code_in_name
            && let Some(name) = self.text(row, Field::SchoolName)
            && let Some((code, _)) = split_code_prefix(&name)
        {
            return Ok(code);
        }
        let row_text: String = self.sheet.rows[row]
            .iter()
            .map(|c| norm_text(&c.text()))
            .collect::<Vec<_>>()
            .join(" ");
        if is_total_row(&row_text) || self.text(row, Field::SchoolName).is_some() {
            // Region / municipality totals and section rows carry no school code.
            *skipped_totals += 1;
            return Err(());
        }
        let heading = self.col(Field::SchoolId).map(|c| c.heading.clone());
        self.reject(
            row,
            heading.as_deref(),
            None,
            "не указан код школы: заполните код ОО в этой строке".into(),
        );
        Err(())
    }
}

impl Ctx<'_> {
    /// The key of a row in a file with no codes: «municipality / name». Section rows (text,
    /// no numbers) and municipality rows set the municipality of the rows below them.
    fn name_school_key(&mut self, row: usize, skipped_totals: &mut usize) -> Result<String, ()> {
        let cells = &self.sheet.rows[row];
        let row_text: String = cells
            .iter()
            .map(|c| norm_text(&c.text()))
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if is_total_row(&row_text) {
            *skipped_totals += 1;
            return Err(());
        }
        let numbers = cells.iter().any(|c| match c {
            Cell::Number(_) => true,
            Cell::Text(t) => crate::read::parse_ru_f64(t).is_some(),
            Cell::Empty => false,
        });
        let name = self.text(row, Field::SchoolName);
        let texts: Vec<String> = cells
            .iter()
            .filter(|c| !c.is_empty())
            .map(|c| c.text().trim().to_string())
            .collect();
        if !numbers {
            // A section heading: the municipality of the block below.
            if let Some(t) = texts.first() {
                self.municipality = Some(t.clone());
            }
            *skipped_totals += 1;
            return Err(());
        }
        let Some(name) = name else {
            let heading = self.col(Field::SchoolName).map(|c| c.heading.clone());
            self.reject(
                row,
                heading.as_deref(),
                None,
                "не указано название школы, а кодов в этом файле нет: заполните название".into(),
            );
            return Err(());
        };
        if crate::recognize::rows::is_municipality_name(&name)
            && self.col(Field::Municipality).is_none()
        {
            // A municipality subtotal written in the name column.
            self.municipality = Some(name);
            *skipped_totals += 1;
            return Err(());
        }
        Ok(super::schools::name_key(
            self.municipality.as_deref(),
            &name,
        ))
    }
}

/// «101 - МАОУ «Лицей»», «101. Школа», «101 Школа» → («101», «МАОУ «Лицей»»).
pub fn split_code_prefix(name: &str) -> Option<(String, String)> {
    let t = name.trim();
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return None;
    }
    let rest = &t[digits.len()..];
    let trimmed = rest.trim_start_matches([' ', '-', '–', '—', '.', ')', ':']);
    let sep = &rest[..rest.len() - trimmed.len()];
    if sep.is_empty() || trimmed.is_empty() {
        return None;
    }
    Some((digits, trimmed.to_string()))
}

fn is_total_row(t: &str) -> bool {
    [
        "итого",
        "всего по",
        "всего",
        "в целом по",
        "по региону",
        "по району",
        "общий итог",
    ]
    .iter()
    // At the start, or after a space.
    .any(|w| {
        t.match_indices(w)
            .any(|(i, _)| i == 0 || t.as_bytes()[i - 1] == b' ')
    })
}

/// Procedure and year of one row: columns first, then the table's meta.
struct RowProc {
    exam: Option<Exam>,
    subject: Option<String>,
    grade: Option<u8>,
    year: Option<Year>,
}

/// The procedure and year of a data row; a row without them is counted as rejected and the
/// first such row's message kept (one message per sheet, not one per row).
fn row_procedure(
    cx: &mut Ctx<'_>,
    r: usize,
    missing_proc_msg: &mut Option<String>,
) -> Option<(Procedure, Year)> {
    let rp = row_proc(cx, r);
    let (Some(exam), Some(subject), Some(year)) = (rp.exam, rp.subject.clone(), rp.year) else {
        if missing_proc_msg.is_none() {
            *missing_proc_msg = missing_proc(cx, &rp, true);
        }
        cx.out.rejected += 1;
        return None;
    };
    let grade = matches!(exam, Exam::Vpr | Exam::Kdr)
        .then_some(rp.grade)
        .flatten();
    Some((
        Procedure {
            exam,
            subject,
            grade,
        },
        year,
    ))
}

fn row_proc(cx: &Ctx<'_>, row: usize) -> RowProc {
    let m = &cx.table.meta;
    let exam = cx
        .text(row, Field::Exam)
        .and_then(|t| Exam::parse(&t))
        .or(m.exam);
    let subject = cx
        .text(row, Field::Subject)
        .map(|s| {
            let mut memo = cx.subjects.borrow_mut();
            match memo.get(&s) {
                Some(c) => c.clone(),
                None => memo
                    .entry(s)
                    .or_insert_with_key(|s| canonical_subject(s))
                    .clone(),
            }
        })
        .or_else(|| m.subject.clone())
        .map(|s| for_exam(&s, exam));
    let grade = m
        .grade
        .or_else(|| cx.text(row, Field::Grade).and_then(|t| leading_grade(&t)));
    let year = cx
        .cell(row, Field::Year)
        .and_then(|c| match c {
            Cell::Number(x) if x.fract() == 0.0 => Some(*x as Year),
            other => meta::find_year(&norm_text(&other.text())),
        })
        .or(m.year);
    RowProc {
        exam,
        subject,
        grade,
        year,
    }
}

/// «4», «4а», «4 А» → 4.
fn leading_grade(t: &str) -> Option<u8> {
    let d: String = t.trim().chars().take_while(char::is_ascii_digit).collect();
    d.parse().ok().filter(|g| (1..=12).contains(g))
}

/// What is missing to name the procedure, as a config hint.
fn missing_proc(cx: &Ctx<'_>, rp: &RowProc, need_exam: bool) -> Option<String> {
    let mut miss = Vec::new();
    if rp.year.is_none() {
        miss.push(("год", "year = 2025"));
    }
    if need_exam && rp.exam.is_none() {
        miss.push(("процедуру", "exam = \"ВПР\""));
    }
    if rp.subject.is_none() {
        miss.push(("предмет", "subject = \"Математика\""));
    }
    if miss.is_empty() {
        return None;
    }
    let what: Vec<&str> = miss.iter().map(|m| m.0).collect();
    let keys: Vec<&str> = miss.iter().map(|m| m.1).collect();
    Some(format!(
        "не удалось определить {} ни по столбцам, ни по заголовку, имени листа или файла: \
         укажите в shnor.toml\n[[files]]\npattern = \"{}\"\n{}",
        what.join(", "),
        file_name(cx.file),
        keys.join("\n")
    ))
}

fn file_name(path: &str) -> String {
    std::path::Path::new(path)
        .file_name()
        .map_or(path.to_string(), |n| n.to_string_lossy().into_owned())
}

/// Normalizes one recognized sheet.
pub fn normalize_sheet(sheet: &Sheet, table: &Table, file: &str, cfg: &Config) -> SheetOut {
    normalize_mapped(sheet, table, file, cfg, None)
}

/// [`normalize_sheet`] for a reshaped sheet: `row_map` gives the original row of each row.
pub fn normalize_mapped(
    sheet: &Sheet,
    table: &Table,
    file: &str,
    cfg: &Config,
    row_map: Option<&[usize]>,
) -> SheetOut {
    let mut cx = Ctx {
        sheet,
        table,
        file,
        out: SheetOut::default(),
        code_in_name: false,
        name_key: false,
        municipality: None,
        row_map,
        subjects: RefCell::default(),
    };
    for w in &table.warnings {
        cx.warn(w.clone());
    }
    let needs_school = table.kind != InputKind::Targets;
    if needs_school && table.column(Field::SchoolId).is_none() && codes_in_names(&cx) {
        cx.code_in_name = true;
        let heading = table.column(Field::SchoolName).map(|c| c.heading.clone());
        cx.out.notes.push(format!(
            "столбца с кодом ОО нет: код школы взят из начала названия в столбце «{}» \
             («101 - МАОУ …» → 101)",
            heading.unwrap_or_default()
        ));
    }
    if needs_school
        && table.column(Field::SchoolId).is_none()
        && !cx.code_in_name
        && table.column(Field::SchoolName).is_some()
        && table.kind != InputKind::Registry
    {
        cx.name_key = true;
        let heading = table.column(Field::SchoolName).map(|c| c.heading.clone());
        let within = table.column(Field::Municipality).map_or(
            "муниципалитет — из строк-разделов над школами".to_string(),
            |c| {
                format!(
                    "муниципалитет — из столбца «{}», пустые ячейки — как выше",
                    c.heading
                )
            },
        );
        cx.out.notes.push(format!(
            "кодов школ в файле нет: школа определяется по названию (столбец «{}») внутри \
             муниципалитета ({within}); с реестром названия сверяются без кавычек, «№», \
             регистра и МБОУ/МКОУ, неоднозначные и ненайденные перечислены в замечаниях",
            heading.unwrap_or_default()
        ));
    }
    if needs_school && table.column(Field::SchoolId).is_none() && !cx.code_in_name && !cx.name_key {
        cx.reject_table(
            None,
            format!(
                "не найден столбец с кодом школы ({}): переименуйте столбец в «Код ОО» или \
                 укажите его в shnor.toml: [columns] \"Заголовок\" = \"school_id\"",
                table.kind.label()
            ),
        );
        return cx.out;
    }
    match table.kind {
        InputKind::Registry => registry(&mut cx),
        InputKind::Participants => participants(&mut cx, cfg),
        InputKind::Aggregates => aggregates(&mut cx),
        InputKind::Olympiad => olympiad(&mut cx),
        InputKind::Contingent => contingent(&mut cx),
        InputKind::Passport => passport(&mut cx),
        InputKind::Targets => targets(&mut cx),
    }
    cx.out
}

/// Most names in the name column start with a code.
fn codes_in_names(cx: &Ctx<'_>) -> bool {
    if cx.col(Field::SchoolName).is_none() {
        return false;
    }
    // Only rows with numbers: section headings, totals and notes carry no code.
    let has_numbers = |r: usize| {
        cx.sheet.rows[r].iter().any(|c| match c {
            Cell::Number(_) => true,
            Cell::Text(t) => crate::read::parse_ru_f64(t).is_some(),
            Cell::Empty => false,
        })
    };
    let names: Vec<String> = cx
        .data_rows()
        .filter(|&r| has_numbers(r))
        .filter_map(|r| cx.school_name(r))
        .collect();
    let coded = names
        .iter()
        .filter(|n| split_code_prefix(n).is_some())
        .count();
    !names.is_empty() && coded * 2 >= names.len()
}

fn split_list(s: &str) -> Vec<String> {
    s.split([',', ';', '\n'])
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

fn registry(cx: &mut Ctx<'_>) {
    let rows: Vec<usize> = cx.data_rows().collect();
    let mut totals = 0;
    for r in rows {
        let Ok(id) = cx.school_key(r, &mut totals) else {
            continue;
        };
        let Ok(students) = cx.count(r, Field::Students) else {
            continue;
        };
        let school = School {
            id,
            name: cx.school_name(r).unwrap_or_default(),
            municipality: cx.text(r, Field::Municipality),
            settlement: cx.text(r, Field::Settlement),
            level: cx.text(r, Field::Level),
            students,
            cluster: cx.text(r, Field::Cluster),
            aliases: cx
                .text(r, Field::Aliases)
                .map(|a| {
                    split_list(&a)
                        .iter()
                        .filter_map(|s| parse_code(&Cell::Text(s.as_str().into())))
                        .collect()
                })
                .unwrap_or_default(),
            coordinator: cx.text(r, Field::Coordinator),
            phone: cx.text(r, Field::Phone),
        };
        let origin = cx.origin(r);
        cx.out.registry.push(school);
        cx.out.registry_origins.push(origin);
        cx.out.accepted += 1;
    }
    note_totals(cx, totals);
}

fn note_totals(cx: &mut Ctx<'_>, totals: usize) {
    if totals > 0 {
        cx.out.notes.push(format!(
            "{totals} строк без кода школы (итоги, муниципалитеты, разделы) пропущено"
        ));
    }
}

/// Running totals of one school × procedure × year while reading participant rows.
#[derive(Default)]
struct Acc {
    n: u32,
    marks: [u32; 4],
    with_mark: u32,
    score_sum: f64,
    with_score: u32,
    high: u32,
    first_row: usize,
    name: Option<String>,
    key_column: String,
}

fn participants(cx: &mut Ctx<'_>, cfg: &Config) {
    let score_field = if cx.col(Field::TestScore).is_some()
        && (cx.table.meta.exam == Some(Exam::Ege) || cx.col(Field::PrimaryScore).is_none())
    {
        Field::TestScore
    } else {
        Field::PrimaryScore
    };
    let has_mark = cx.col(Field::Mark).is_some();
    if cx.col(score_field).is_none() && !has_mark {
        cx.reject_table(
            None,
            "нет столбца с баллом или отметкой (например, «всего баллов», «Первичный балл», \
             «Отметка»): укажите его в shnor.toml, [columns] \"Заголовок\" = \"primary_score\""
                .into(),
        );
        return;
    }
    let key_column = cx
        .col(Field::SchoolId)
        .or_else(|| cx.col(Field::SchoolName))
        .map(|c| c.heading.clone())
        .unwrap_or_default();
    // Per-task columns: a row with every task «X» is an absent participant.
    let task_cols: Vec<usize> = cx
        .table
        .unmapped
        .iter()
        .filter(|(_, h)| {
            let own = h.split(" / ").next().unwrap_or(h);
            crate::recognize::synonyms::lookup(own, cfg)
                == Some(crate::recognize::synonyms::Mapping::Task)
        })
        .map(|(i, _)| *i)
        .collect();
    // Per school, then an index into `procs`: a participant file has ~10^5 rows of one
    // or two works, and the procedure is not cloned for each of them.
    let mut acc: BTreeMap<(String, usize), Acc> = BTreeMap::new();
    let mut procs: Vec<(Procedure, Year)> = Vec::new();
    let mut absent = 0usize;
    let mut totals = 0usize;
    let mut missing_marks: BTreeSet<(Procedure, Year)> = BTreeSet::new();
    let mut missing_proc_msg: Option<String> = None;
    let mut bounds_cache: Vec<Option<Option<&MarkBoundaries>>> = Vec::new();
    // Without per-row procedure columns every row has the table's procedure.
    let per_row_proc = [Field::Exam, Field::Subject, Field::Grade, Field::Year]
        .iter()
        .any(|&f| cx.col(f).is_some());
    let mut table_proc: Option<Option<usize>> = None;
    let rows: Vec<usize> = cx.data_rows().collect();
    for r in rows {
        let Ok(key) = cx.school_key(r, &mut totals) else {
            continue;
        };
        let proc_index = match table_proc {
            Some(Some(i)) if !per_row_proc => Some(i),
            Some(None) if !per_row_proc => {
                cx.out.rejected += 1;
                None
            }
            _ => {
                let found = row_procedure(cx, r, &mut missing_proc_msg).map(|p| {
                    procs.iter().position(|q| *q == p).unwrap_or_else(|| {
                        procs.push(p);
                        procs.len() - 1
                    })
                });
                table_proc = Some(found);
                found
            }
        };
        let Some(proc_index) = proc_index else {
            continue;
        };
        let (procedure, year) = (&procs[proc_index].0, procs[proc_index].1);
        let exam = procedure.exam;
        // Absent: «отсутствовал» anywhere in the row, or neither a score nor a mark.
        // (A number is never a «not done» mark.)
        let all_tasks_x = !task_cols.is_empty()
            && task_cols.iter().all(|&c| match cx.sheet.cell(r, c) {
                Cell::Text(t) => t.trim().is_empty() || is_not_done(t),
                Cell::Empty => true,
                Cell::Number(_) => false,
            });
        let row_absent = all_tasks_x
            || cx.sheet.rows[r]
                .iter()
                .any(|c| matches!(c, Cell::Text(t) if norm_eq(t, "отсутствовал")));
        let Ok(score) = cx.number(r, score_field) else {
            continue;
        };
        let mark_cell = cx.cell(r, Field::Mark).cloned();
        let Ok(mark) = cx.number(r, Field::Mark) else {
            continue;
        };
        if row_absent || (score.is_none() && mark.is_none()) {
            absent += 1;
            continue;
        }
        if let Some(m) = mark
            && !(m.fract() == 0.0 && (2.0..=5.0).contains(&m))
        {
            let heading = cx.col(Field::Mark).map(|c| c.heading.clone());
            cx.reject(
                r,
                heading.as_deref(),
                mark_cell.map(|c| c.text()),
                "отметка должна быть 2, 3, 4 или 5: исправьте значение".into(),
            );
            continue;
        }
        // Looked up once per procedure and year: a participant file has ~10^5 rows of one work.
        if bounds_cache.len() < procs.len() {
            bounds_cache.resize(procs.len(), None);
        }
        let bounds = *bounds_cache[proc_index].get_or_insert_with(|| {
            cfg.boundaries(procedure.exam, &procedure.subject, procedure.grade, year)
        });
        if let (Some(s), Some(max)) = (score, bounds.and_then(|b| b.max_score))
            && s > max
        {
            let heading = cx.col(score_field).map(|c| c.heading.clone());
            cx.reject(
                r,
                heading.as_deref(),
                Some(fmt_num(s)),
                format!(
                    "балл {} выше максимального ({}) для {procedure} {year}: проверьте строку \
                     или границы [[marks]] в shnor.toml",
                    fmt_num(s),
                    fmt_num(max)
                ),
            );
            continue;
        }
        if let Some(s) = score
            && s < 0.0
        {
            let heading = cx.col(score_field).map(|c| c.heading.clone());
            cx.reject(
                r,
                heading.as_deref(),
                Some(fmt_num(s)),
                "отрицательный балл".into(),
            );
            continue;
        }
        let mark = match (mark, score, bounds) {
            (Some(m), _, _) => Some(m as usize),
            (None, Some(s), Some(b)) => Some(2 + b.min_score.iter().filter(|&&m| s >= m).count()),
            (None, Some(_), None) if procedure.exam == Exam::Ege => None,
            (None, _, None) => {
                missing_marks.insert((procedure.clone(), year));
                cx.out.rejected += 1;
                continue;
            }
            (None, None, Some(_)) => None,
        };
        let a = acc.entry((key, proc_index)).or_insert_with(|| Acc {
            first_row: r,
            name: cx.school_name(r),
            key_column: key_column.clone(),
            ..Acc::default()
        });
        a.n += 1;
        if let Some(m) = mark {
            a.marks[m - 2] += 1;
            a.with_mark += 1;
        }
        if let Some(s) = score {
            a.score_sum += s;
            a.with_score += 1;
            if exam == Exam::Ege && s >= 80.0 {
                a.high += 1;
            }
        }
        cx.out.accepted += 1;
    }
    if let Some(msg) = missing_proc_msg {
        cx.out.issues.push(Issue {
            severity: Severity::Rejected,
            origin: Origin {
                row: 0,
                ..cx.origin(0)
            },
            column: None,
            value: None,
            message: msg,
        });
    }
    for (procedure, year) in &missing_marks {
        let grade = procedure
            .grade
            .map(|g| format!("grade = {g}\n"))
            .unwrap_or_default();
        cx.out.issues.push(Issue {
            severity: Severity::Rejected,
            origin: Origin {
                row: 0,
                ..cx.origin(0)
            },
            column: None,
            value: None,
            message: format!(
                "в файле нет отметок, а границы перевода баллов в отметки для {procedure} {year} \
                 не заданы: добавьте в shnor.toml\n[[marks]]\nexam = \"{}\"\nsubject = \"{}\"\n\
                 {grade}years = [{year}]\nmin_score = [?, ?, ?]   # наименьший балл для «3», «4», «5»\n\
                 max_score = ?",
                procedure.exam, procedure.subject
            ),
        });
    }
    if absent > 0 {
        cx.out.notes.push(format!(
            "{absent} строк — отсутствовавшие участники (нет балла и отметки или «отсутствовал»): не участники"
        ));
    }
    note_totals(cx, totals);
    // In the order of (school, procedure, year), as before the procedures were indexed.
    let mut acc: Vec<((String, usize), Acc)> = acc.into_iter().collect();
    acc.sort_by(|((k1, p1), _), ((k2, p2), _)| (k1, &procs[*p1]).cmp(&(k2, &procs[*p2])));
    for ((key, proc_index), a) in acc {
        let (procedure, year) = procs[proc_index].clone();
        let rec = ProcResult {
            year,
            school: key.clone(),
            n: a.n,
            marks: (a.with_mark == a.n).then_some(a.marks),
            mean_score: (a.with_score == a.n && a.n > 0).then(|| a.score_sum / f64::from(a.n)),
            mean_mark: None,
            n_fail: None,
            n_high: (procedure.exam == Exam::Ege && a.with_score == a.n).then_some(a.high),
            procedure,
            origin: cx.origin(a.first_row),
        };
        cx.out.results.push(Keyed {
            rec,
            key,
            name: a.name,
            rows: a.n as usize,
            key_column: a.key_column,
        });
    }
}

fn fmt_num(x: f64) -> String {
    Cell::Number(x).text()
}

fn aggregates(cx: &mut Ctx<'_>) {
    let key_column = cx
        .col(Field::SchoolId)
        .or_else(|| cx.col(Field::SchoolName))
        .map(|c| c.heading.clone())
        .unwrap_or_default();
    let mark_fields = [Field::N2, Field::N3, Field::N4, Field::N5];
    let has_marks = mark_fields.iter().any(|f| cx.col(*f).is_some());
    let mut totals = 0;
    let mut zero_n = 0;
    let mut blanks_as_zero = 0;
    let mut missing_proc_msg: Option<String> = None;
    let mut seen: BTreeMap<(String, Procedure, Year), usize> = BTreeMap::new();
    // A separate «100 баллов» column next to an «80–99» high-scorer column.
    let hundred = cx
        .col(Field::NHigh)
        .filter(|c| canon(&c.heading).contains("99"))
        .and_then(|_| {
            cx.table
                .unmapped
                .iter()
                .find(|(_, h)| canon(h).contains("100 балл"))
                .map(|(i, _)| *i)
        });
    if hundred.is_some() {
        cx.out.notes.push(
            "высокобалльники: столбец «80–99 баллов» сложен со столбцом «100 баллов» (80–100)"
                .into(),
        );
    }
    let rows: Vec<usize> = cx.data_rows().collect();
    'rows: for r in rows {
        let Ok(key) = cx.school_key(r, &mut totals) else {
            continue;
        };
        let Some((procedure, year)) = row_procedure(cx, r, &mut missing_proc_msg) else {
            continue;
        };
        let Ok(n) = cx.count(r, Field::N) else {
            continue;
        };
        let mut counts: [Option<u32>; 4] = [None; 4];
        for (i, f) in mark_fields.iter().enumerate() {
            match cx.count(r, *f) {
                Ok(c) => counts[i] = c,
                Err(()) => continue 'rows,
            }
        }
        let filled = counts.iter().filter(|c| c.is_some()).count();
        let marks = if has_marks && filled > 0 {
            if filled < 4 {
                blanks_as_zero += 1;
            }
            Some(counts.map(|c| c.unwrap_or(0)))
        } else {
            None
        };
        let n = match (n, marks) {
            (Some(n), Some(m)) => {
                let sum: u32 = m.iter().sum();
                if sum != n {
                    let heading = cx.col(Field::N).map(|c| c.heading.clone());
                    cx.reject(
                        r,
                        heading.as_deref(),
                        Some(n.to_string()),
                        format!(
                            "сумма отметок «2»+«3»+«4»+«5» = {}+{}+{}+{} = {sum} не равна числу \
                             участников {n}: исправьте строку",
                            m[0], m[1], m[2], m[3]
                        ),
                    );
                    continue;
                }
                n
            }
            (Some(n), None) => n,
            (None, Some(m)) => m.iter().sum(),
            (None, None) => {
                cx.reject(
                    r,
                    None,
                    None,
                    "не указано число участников и нет отметок: заполните строку или удалите её"
                        .into(),
                );
                continue;
            }
        };
        if n == 0 {
            zero_n += 1;
            continue;
        }
        let Ok(mean_score) = cx.number(r, Field::MeanScore) else {
            continue;
        };
        let Ok(mean_mark) = cx.number(r, Field::MeanMark) else {
            continue;
        };
        let Ok(n_fail) = cx.count(r, Field::NFail) else {
            continue;
        };
        let Ok(mut n_high) = cx.count(r, Field::NHigh) else {
            continue;
        };
        // «высокобалльники (80-99 баллов)» next to «получили 100 баллов»: the field is 80–100.
        if let (Some(h), Some(col)) = (n_high, hundred) {
            match parse_count(cx.sheet.cell(r, col)) {
                Ok(Some(x)) if h + x <= n => n_high = Some(h + x),
                Ok(Some(x)) => {
                    // The 100-point column is not needed for anything else: an impossible
                    // value there is reported, and the row keeps its 80–99 count.
                    let o = cx.origin(r);
                    cx.out.issues.push(Issue {
                        severity: Severity::Warning,
                        origin: o,
                        column: Some("получили 100 баллов".into()),
                        value: Some(x.to_string()),
                        message: format!(
                            "«получили 100 баллов» ({x}) вместе с 80–99 баллами ({h}) больше \
                             числа участников ({n}): столбец «100 баллов» в этой строке не \
                             учтён — проверьте выгрузку"
                        ),
                    });
                }
                Ok(None) => {}
                Err(e) => {
                    let v = cx.sheet.cell(r, col).text();
                    cx.reject(
                        r,
                        Some("получили 100 баллов"),
                        Some(v),
                        format!("{e}: исправьте значение в файле (ожидается целое число ≥ 0)"),
                    );
                    continue;
                }
            }
        }
        for (what, v) in [
            ("не преодолевших порог", n_fail),
            ("высокобалльников", n_high),
        ] {
            if let Some(v) = v
                && v > n
            {
                cx.reject(
                    r,
                    None,
                    Some(v.to_string()),
                    format!("число {what} ({v}) больше числа участников ({n}): исправьте строку"),
                );
                continue 'rows;
            }
        }
        let k = (key.clone(), procedure.clone(), year);
        if let Some(prev) = seen.get(&k) {
            let heading = key_column.clone();
            cx.reject(
                r,
                Some(&heading),
                Some(key.clone()),
                format!(
                    "школа уже есть в строке {} этого листа ({procedure} {year}): удалите повтор",
                    prev + 1
                ),
            );
            continue;
        }
        seen.insert(k, r);
        let rec = ProcResult {
            year,
            school: key.clone(),
            procedure,
            n,
            marks,
            mean_score,
            mean_mark,
            n_fail,
            n_high,
            origin: cx.origin(r),
        };
        let name = cx.school_name(r);
        cx.out.results.push(Keyed {
            rec,
            key,
            name,
            rows: 1,
            key_column: key_column.clone(),
        });
        cx.out.accepted += 1;
    }
    if let Some(msg) = missing_proc_msg {
        let o = Origin {
            row: 0,
            ..cx.origin(0)
        };
        cx.out.issues.push(Issue {
            severity: Severity::Rejected,
            origin: o,
            column: None,
            value: None,
            message: msg,
        });
    }
    let mut mismatches = Vec::new();
    let subtotals = drop_subtotals(&mut cx.out.results, &mut mismatches);
    for (origin, stated, summed) in mismatches {
        cx.out.issues.push(Issue {
            severity: Severity::Warning,
            origin,
            column: cx.col(Field::N).map(|c| c.heading.clone()),
            value: Some(stated.to_string()),
            message: format!(
                "итог муниципалитета ({stated}) не равен сумме школ под ним ({summed}): строка \
                 итога не считается школой, но проверьте выгрузку — возможно, пропущена школа"
            ),
        });
    }
    if subtotals > 0 {
        cx.out.accepted -= subtotals;
        cx.out.notes.push(format!(
            "{subtotals} строк — итоги по муниципалитетам (код короче кодов школ, а число \
             участников равно сумме школ под ним): пропущено"
        ));
    }
    if blanks_as_zero > 0 {
        cx.out.notes.push(format!(
            "{blanks_as_zero} строк с пустыми ячейками отметок при заполненных других: пустые считаются нулём"
        ));
    }
    if zero_n > 0 {
        cx.out
            .notes
            .push(format!("{zero_n} строк с нулём участников пропущено"));
    }
    note_totals(cx, totals);
}

/// Subtotal rows in a code hierarchy (РЦОИ: 1–2 digit municipality codes above 3–4 digit
/// school codes): a row with a shorter numeric code whose n equals the sum of the school
/// rows right below it. The sum check keeps real schools with short codes.
fn drop_subtotals(
    results: &mut Vec<Keyed<ProcResult>>,
    mismatches: &mut Vec<(Origin, u64, u64)>,
) -> usize {
    let lens: Vec<Option<usize>> = results
        .iter()
        .map(|k| {
            let t = k.key.trim();
            (!t.is_empty() && t.chars().all(|c| c.is_ascii_digit())).then_some(t.len())
        })
        .collect();
    let n = results.len();
    let mut drop = vec![false; n];
    for i in 0..n {
        let Some(li) = lens[i] else { continue };
        // A parent is followed at once by its first school. A trend table names its
        // municipalities in rows of their own (no code), so a school «913» with a
        // municipality row and then «1007» under it is no parent, whatever the sum.
        let school_named = results[i].name.as_deref().is_some_and(|n| {
            !n.trim().is_empty()
                && !crate::recognize::rows::is_municipality_name(n)
                && !crate::recognize::rows::is_school_group(n)
        });
        let next_apart = results.get(i + 1).is_some_and(|next| {
            next.rec.origin.file == results[i].rec.origin.file
                && next.rec.origin.row > results[i].rec.origin.row + 1
        });
        if school_named && next_apart {
            continue;
        }
        let target = u64::from(results[i].rec.n);
        // Add up the school rows (longer codes) below, until the sum reaches
        // the row's n (a subtotal) or passes it (a school after all).
        let mut sum = 0u64;
        let mut j = i + 1;
        while j < n && sum < target {
            let Some(lj) = lens[j] else { break };
            if lj <= li
                || results[j].rec.procedure != results[i].rec.procedure
                || results[j].rec.year != results[i].rec.year
            {
                break;
            }
            let leaf = match lens.get(j + 1) {
                Some(Some(next)) => *next <= lj,
                _ => true,
            };
            if leaf {
                sum += u64::from(results[j].rec.n);
            }
            j += 1;
        }
        if j > i + 1 && sum == target {
            drop[i] = true;
        } else if j > i + 1
            && results[i]
                .name
                .as_deref()
                .is_some_and(crate::recognize::rows::is_municipality_name)
        {
            // A municipality row above its schools whose sum does not match: still not a
            // school; the mismatch is a data-quality finding.
            drop[i] = true;
            let (mut all, mut k) = (0u64, i + 1);
            while k < n
                && lens[k].is_some_and(|l| l > li)
                && results[k].rec.procedure == results[i].rec.procedure
            {
                all += u64::from(results[k].rec.n);
                k += 1;
            }
            mismatches.push((results[i].rec.origin.clone(), target, all));
        }
    }
    let dropped = drop.iter().filter(|d| **d).count();
    let mut it = drop.into_iter();
    results.retain(|_| !it.next().unwrap_or(false));
    dropped
}

fn require_year(cx: &mut Ctx<'_>, rp: &RowProc, msg: &mut Option<String>) -> Option<Year> {
    if rp.year.is_none() && msg.is_none() {
        *msg = Some(format!(
            "не удалось определить год (учебный год по году окончания): укажите в shnor.toml\n\
             [[files]]\npattern = \"{}\"\nyear = 2025",
            file_name(cx.file)
        ));
    }
    rp.year
}

fn flush_msg(cx: &mut Ctx<'_>, msg: Option<String>) {
    if let Some(m) = msg {
        let o = Origin {
            row: 0,
            ..cx.origin(0)
        };
        cx.out.issues.push(Issue {
            severity: Severity::Rejected,
            origin: o,
            column: None,
            value: None,
            message: m,
        });
    }
}

fn parse_status(t: &str) -> Option<Status> {
    let t = norm_text(t);
    if t.contains("побед") {
        Some(Status::Winner)
    } else if t.contains("призер") || t.contains("призов") {
        Some(Status::Prizewinner)
    } else if t.contains("участ") {
        Some(Status::Participant)
    } else {
        None
    }
}

fn parse_stage(t: &str) -> Option<Stage> {
    let t = norm_text(t);
    if t.starts_with("школьн") {
        Some(Stage::School)
    } else if t.starts_with("муницип") {
        Some(Stage::Municipal)
    } else if t.starts_with("регион") {
        Some(Stage::Regional)
    } else if t.starts_with("заключ") || t.starts_with("всеросс") {
        Some(Stage::Final)
    } else {
        None
    }
}

fn olympiad(cx: &mut Ctx<'_>) {
    let key_column = cx
        .col(Field::SchoolId)
        .or_else(|| cx.col(Field::SchoolName))
        .map(|c| c.heading.clone())
        .unwrap_or_default();
    let mut totals = 0;
    let mut msg = None;
    let mut assumed_stage = false;
    let rows: Vec<usize> = cx.data_rows().collect();
    for r in rows {
        let Ok(key) = cx.school_key(r, &mut totals) else {
            continue;
        };
        let rp = row_proc(cx, r);
        let Some(year) = require_year(cx, &rp, &mut msg) else {
            cx.out.rejected += 1;
            continue;
        };
        let Some(subject) = rp.subject.clone() else {
            if msg.is_none() {
                msg = missing_proc(cx, &rp, false);
            }
            cx.out.rejected += 1;
            continue;
        };
        let Some(participant) = cx.text(r, Field::ParticipantId) else {
            let h = cx.col(Field::ParticipantId).map(|c| c.heading.clone());
            cx.reject(
                r,
                h.as_deref(),
                None,
                "не указан участник (код или ФИО): заполните ячейку".into(),
            );
            continue;
        };
        let status_text = cx.text(r, Field::Status).unwrap_or_default();
        let Some(status) = parse_status(&status_text) else {
            let h = cx.col(Field::Status).map(|c| c.heading.clone());
            cx.reject(
                r,
                h.as_deref(),
                Some(status_text),
                "статус должен быть «победитель», «призёр» или «участник»".into(),
            );
            continue;
        };
        let stage = match cx.text(r, Field::Stage).and_then(|t| parse_stage(&t)) {
            Some(s) => s,
            None => match cx.table.meta.stage {
                Some(s) => s,
                None => {
                    assumed_stage = true;
                    Stage::Municipal
                }
            },
        };
        let rec = OlympiadEntry {
            year,
            school: key.clone(),
            stage,
            subject,
            participant,
            grade: cx.text(r, Field::Grade).and_then(|t| leading_grade(&t)),
            status,
            origin: cx.origin(r),
        };
        let name = cx.school_name(r);
        cx.out.olympiad.push(Keyed {
            rec,
            key,
            name,
            rows: 1,
            key_column: key_column.clone(),
        });
        cx.out.accepted += 1;
    }
    if assumed_stage {
        cx.warn(
            "этап олимпиады не указан ни в столбце «Этап», ни в заголовке: принят муниципальный"
                .into(),
        );
    }
    flush_msg(cx, msg);
    note_totals(cx, totals);
}

fn contingent(cx: &mut Ctx<'_>) {
    let key_column = cx
        .col(Field::SchoolId)
        .or_else(|| cx.col(Field::SchoolName))
        .map(|c| c.heading.clone())
        .unwrap_or_default();
    let wide: Vec<(u8, Field)> = cx
        .table
        .columns
        .iter()
        .filter_map(|c| match c.field {
            Field::GradeCount(g) => Some((g, c.field)),
            _ => None,
        })
        .collect();
    let mut no_counts = 0;
    let mut totals = 0;
    let mut msg = None;
    let rows: Vec<usize> = cx.data_rows().collect();
    'rows: for r in rows {
        let Ok(key) = cx.school_key(r, &mut totals) else {
            continue;
        };
        let rp = row_proc(cx, r);
        let Some(year) = require_year(cx, &rp, &mut msg) else {
            cx.out.rejected += 1;
            continue;
        };
        let mut recs = Vec::new();
        if wide.is_empty() {
            let grade = cx.text(r, Field::Grade).and_then(|t| leading_grade(&t));
            let Ok(students) = cx.count(r, Field::Students) else {
                continue;
            };
            match (grade, students) {
                (Some(g), Some(s)) => recs.push((g, s)),
                _ => {
                    let h = cx.col(Field::Grade).map(|c| c.heading.clone());
                    cx.reject(
                        r,
                        h.as_deref(),
                        cx.text(r, Field::Grade),
                        "не указан класс (1–11) или число обучающихся".into(),
                    );
                    continue;
                }
            }
        } else {
            for (g, f) in &wide {
                match cx.count(r, *f) {
                    Ok(Some(s)) => recs.push((*g, s)),
                    Ok(None) => {}
                    Err(()) => continue 'rows,
                }
            }
        }
        if recs.is_empty() {
            no_counts += 1;
            continue;
        }
        let name = cx.school_name(r);
        for (i, (grade, students)) in recs.into_iter().enumerate() {
            cx.out.contingent.push(Keyed {
                rec: Contingent {
                    year,
                    school: key.clone(),
                    grade,
                    students,
                    origin: cx.origin(r),
                },
                key: key.clone(),
                name: name.clone(),
                // One input row gives several grades: count the row once.
                rows: usize::from(i == 0),
                key_column: key_column.clone(),
            });
        }
        cx.out.accepted += 1;
    }
    if no_counts > 0 {
        cx.out.notes.push(format!(
            "{no_counts} строк без единого числа обучающихся по классам пропущено"
        ));
    }
    flush_msg(cx, msg);
    note_totals(cx, totals);
}

fn passport(cx: &mut Ctx<'_>) {
    let key_column = cx
        .col(Field::SchoolId)
        .or_else(|| cx.col(Field::SchoolName))
        .map(|c| c.heading.clone())
        .unwrap_or_default();
    let Some(total_col) = cx.col(Field::Total).cloned() else {
        cx.reject_table(
            None,
            "нет столбца с общим числом обучающихся («Всего обучающихся»): без него доли \
             категорий не посчитать — добавьте столбец или укажите его в [columns] = \"total\""
                .into(),
        );
        return;
    };
    let cats: Vec<Column> = cx
        .table
        .columns
        .iter()
        .filter(|c| matches!(c.field, Field::Category(_)))
        .cloned()
        .collect();
    let mut totals = 0;
    let mut msg = None;
    let rows: Vec<usize> = cx.data_rows().collect();
    'rows: for r in rows {
        let Ok(key) = cx.school_key(r, &mut totals) else {
            continue;
        };
        let rp = row_proc(cx, r);
        let Some(year) = require_year(cx, &rp, &mut msg) else {
            cx.out.rejected += 1;
            continue;
        };
        let total = match cx.count(r, Field::Total) {
            Ok(Some(t)) => t,
            Ok(None) => {
                cx.reject(
                    r,
                    Some(&total_col.heading),
                    None,
                    "не указано общее число обучающихся".into(),
                );
                continue;
            }
            Err(()) => continue,
        };
        let mut counts = BTreeMap::new();
        for c in &cats {
            let Field::Category(cat) = c.field else {
                continue;
            };
            let cell = cx.sheet.cell(r, c.index).clone();
            let as_share = is_percent_word(&canon(&c.heading))
                || matches!(&cell, Cell::Text(t) if t.trim_end().ends_with('%'));
            let parsed = if as_share {
                parse_share(&cell).map(|s| s.map(|s| s * f64::from(total)))
            } else {
                parse_number(&cell).and_then(|v| match v {
                    Some(x) if x < 0.0 => Err("отрицательное количество".to_string()),
                    v => Ok(v),
                })
            };
            match parsed {
                Ok(Some(v)) => {
                    if v > f64::from(total) + 1e-9 {
                        cx.reject(
                            r,
                            Some(&c.heading),
                            Some(cell.text()),
                            format!(
                                "подмножество больше общего числа: {} > {total} обучающихся \
                                 (столбец «{}»): исправьте строку",
                                fmt_num(v),
                                total_col.heading
                            ),
                        );
                        continue 'rows;
                    }
                    counts.insert(cat, v);
                }
                Ok(None) => {}
                Err(e) => {
                    cx.reject(
                        r,
                        Some(&c.heading),
                        Some(cell.text()),
                        format!("{e}: исправьте значение"),
                    );
                    continue 'rows;
                }
            }
        }
        let name = cx.school_name(r);
        cx.out.passports.push(Keyed {
            rec: Passport {
                year,
                school: key.clone(),
                total,
                counts,
                origin: cx.origin(r),
            },
            key,
            name,
            rows: 1,
            key_column: key_column.clone(),
        });
        cx.out.accepted += 1;
    }
    flush_msg(cx, msg);
    note_totals(cx, totals);
}

fn targets(cx: &mut Ctx<'_>) {
    let plans: Vec<(Year, Field)> = cx
        .table
        .columns
        .iter()
        .filter_map(|c| match c.field {
            Field::Plan(y) => Some((y, c.field)),
            _ => None,
        })
        .collect();
    let rows: Vec<usize> = cx.data_rows().collect();
    'rows: for r in rows {
        let Some(name) = cx.text(r, Field::TargetName) else {
            let h = cx.col(Field::TargetName).map(|c| c.heading.clone());
            cx.reject(
                r,
                h.as_deref(),
                None,
                "не указано название показателя".into(),
            );
            continue;
        };
        let Ok(base) = cx.number(r, Field::Base) else {
            continue;
        };
        let Ok(actual) = cx.number(r, Field::Actual) else {
            continue;
        };
        let mut plan = BTreeMap::new();
        for (y, f) in &plans {
            match cx.number(r, *f) {
                Ok(Some(v)) => {
                    plan.insert(*y, v);
                }
                Ok(None) => {}
                Err(()) => continue 'rows,
            }
        }
        let population = match cx.text(r, Field::Population) {
            Some(t) if norm_text(&t).contains("все") => Population::All,
            _ => Population::Program,
        };
        cx.out.targets.push(Target {
            key: cx.text(r, Field::TargetKey),
            name,
            unit: cx.text(r, Field::Unit),
            base,
            plan,
            actual,
            population,
            schools: cx
                .text(r, Field::ProgramSchools)
                .map(|s| split_list(&s))
                .unwrap_or_default(),
            origin: cx.origin(r),
        });
        cx.out.accepted += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::testutil::{n, t};
    use crate::recognize::recognize;

    fn run(rows: Vec<Vec<Cell>>, file: &str) -> SheetOut {
        let sheet = Sheet {
            name: Some("Лист1".into()),
            merges: Vec::new(),
            rows,
        };
        let cfg = Config::default();
        let table = recognize(&sheet, file, &cfg).unwrap();
        normalize_sheet(&sheet, &table, file, &cfg)
    }

    #[test]
    fn participants_aggregate_with_2021_boundaries() {
        // Boundaries ВПР Математика 4 кл. 2021: 0–5 → 2, 6–9 → 3, 10–14 → 4, 15–20 → 5.
        let out = run(
            vec![
                vec![
                    t("логин школы"),
                    t("вариант"),
                    t("всего баллов"),
                    t("балл за 1"),
                ],
                vec![t("sch1"), t("1"), t("5"), t("1")],
                vec![t("sch1"), t("1"), t("6"), t("1")],
                vec![t("sch1"), t("2"), t("15"), t("1")],
                vec![t("sch1"), t("отсутствовал"), t(""), t("X")],
                vec![t("sch1"), t("1"), t("0"), t("X")],
                vec![t("sch2"), t("2"), t("21"), t("1")],
                vec![t("sch2"), t("2"), t("10"), t("1")],
            ],
            "Проведение работы по математике, 4 класс. ВПР 2021.xlsx",
        );
        assert_eq!(out.results.len(), 2);
        let s1 = &out.results[0].rec;
        assert_eq!(s1.school, "sch1");
        assert_eq!(s1.n, 3);
        // 5 → «2», 6 → «3», 15 → «5»
        assert_eq!(s1.marks, Some([1, 1, 0, 1]));
        // (5 + 6 + 15) / 3
        assert!((s1.mean_score.unwrap() - 26.0 / 3.0).abs() < 1e-9);
        let s2 = &out.results[1].rec;
        assert_eq!(s2.n, 1); // 21 > max 20 rejected
        assert_eq!(s2.marks, Some([0, 0, 1, 0]));
        assert_eq!(out.rejected, 1);
        assert_eq!(out.accepted, 4);
        let issue = &out.issues[0];
        assert_eq!(issue.origin.row, 7);
        assert_eq!(issue.column.as_deref(), Some("всего баллов"));
        // «отсутствовал», and a row whose only task is «X» (total 0): 2 absent.
        assert!(
            out.notes
                .iter()
                .any(|n| n.starts_with("2 строк — отсутствовавшие"))
        );
    }

    #[test]
    fn aggregates_checks() {
        let out = run(
            vec![
                vec![t("Результаты ОГЭ 2023 по математике")],
                vec![
                    t("Код ОО"),
                    t("Кол-во участников"),
                    t("отметка \"2\""),
                    t("отметка \"3\""),
                    t("отметка \"4\""),
                    t("отметка \"5\""),
                ],
                vec![n(1.0), n(10.0), n(1.0), n(4.0), n(3.0), n(2.0)],
                vec![n(2.0), n(10.0), n(1.0), n(4.0), n(3.0), n(3.0)],
                vec![n(3.0), n(-1.0), n(1.0), n(4.0), n(3.0), n(3.0)],
                vec![
                    n(4.0),
                    n(5.0),
                    Cell::Empty,
                    n(5.0),
                    Cell::Empty,
                    Cell::Empty,
                ],
                vec![t("Итого"), n(25.0)],
            ],
            "огэ.xlsx",
        );
        assert_eq!(out.accepted, 2);
        assert_eq!(out.rejected, 2);
        assert_eq!(out.results[0].rec.marks, Some([1, 4, 3, 2]));
        assert_eq!(out.results[1].rec.marks, Some([0, 5, 0, 0]));
        assert_eq!(
            out.results[0].rec.procedure,
            Procedure {
                exam: Exam::Oge,
                subject: "Математика".into(),
                grade: None
            }
        );
        // 1+4+3+3 = 11 ≠ 10
        assert!(out.issues[0].message.contains("= 11"));
        assert_eq!(out.issues[0].origin.row, 4);
        assert!(out.issues[1].message.contains("отрицательное"));
    }

    #[test]
    fn municipality_subtotals_are_dropped() {
        let out = run(
            vec![
                vec![t("ОГЭ 2014 математика")],
                vec![
                    t("Код МОУО/ОО"),
                    t("Наименование МОУО/ОО"),
                    t("Кол-во участников"),
                ],
                vec![t(""), t("Край"), n(60.0)],
                vec![n(1.0), t("Район 1"), n(30.0)],
                vec![n(101.0), t("Школа"), n(10.0)],
                vec![n(102.0), t("Школа"), n(20.0)],
                vec![n(2.0), t("Район 2"), n(30.0)],
                vec![n(201.0), t("Школа"), n(30.0)],
                // Район 10 (two digits) after район 2's schools: not a school of район 1.
                vec![n(10.0), t("Район 10"), n(7.0)],
                vec![n(1001.0), t("Школа"), n(7.0)],
                // A short code whose n does not add up is kept: it may be a real school.
                vec![n(3.0), t("Школа 3"), n(5.0)],
                vec![n(301.0), t("Школа"), n(4.0)],
            ],
            "огэ.xlsx",
        );
        let keys: Vec<&str> = out.results.iter().map(|k| k.key.as_str()).collect();
        // Районы 1 (10 + 20 = 30), 2 (30) and 10 (7) are subtotals; 3 (5 ≠ 4) is not.
        assert_eq!(keys, ["101", "102", "201", "1001", "3", "301"]);
        assert_eq!(out.accepted, 6);
    }

    #[test]
    fn olympiad_protocol() {
        let out = run(
            vec![
                vec![t(
                    "Протокол муниципального этапа ВсОШ 2024/25 учебного года по математике",
                )],
                vec![
                    t("Код ОО"),
                    t("ФИО участника"),
                    t("Класс"),
                    t("Результат"),
                    t("Балл"),
                ],
                vec![n(101.0), t("Иванов И."), t("9 А"), t("Победитель"), n(35.0)],
                vec![n(101.0), t("Петров П."), t("8"), t("призер"), n(30.0)],
                vec![n(102.0), t("Сидоров С."), t("7"), t("участник"), n(5.0)],
                vec![n(102.0), t("Смирнов С."), t("7"), t("лауреат?"), n(5.0)],
            ],
            "протокол.xlsx",
        );
        assert_eq!(out.olympiad.len(), 3);
        let e = &out.olympiad[0].rec;
        assert_eq!(
            (e.year, e.stage, e.status),
            (2025, Stage::Municipal, Status::Winner)
        );
        assert_eq!(e.subject, "Математика");
        assert_eq!(e.grade, Some(9));
        assert_eq!(out.olympiad[1].rec.status, Status::Prizewinner);
        assert_eq!(out.rejected, 1);
        assert_eq!(out.issues[0].origin.row, 6);
        assert_eq!(out.issues[0].column.as_deref(), Some("Результат"));
    }

    #[test]
    fn targets_with_plans_per_year() {
        let out = run(
            vec![
                vec![
                    t("Показатель"),
                    t("Ед. изм."),
                    t("Базовое значение"),
                    t("План 2026"),
                    t("2027 год"),
                    t("Совокупность"),
                ],
                vec![
                    t("Доля ШНОР"),
                    t("%"),
                    n(12.5),
                    t("10,0"),
                    n(8.0),
                    t("все школы"),
                ],
                vec![
                    t("Средний балл ОГЭ"),
                    t("балл"),
                    n(14.0),
                    n(15.0),
                    Cell::Empty,
                    Cell::Empty,
                ],
            ],
            "целевые показатели.xlsx",
        );
        assert_eq!(out.targets.len(), 2);
        let a = &out.targets[0];
        assert_eq!(a.base, Some(12.5));
        assert_eq!(a.plan.get(&2026), Some(&10.0));
        assert_eq!(a.plan.get(&2027), Some(&8.0));
        assert_eq!(a.population, Population::All);
        assert_eq!(out.targets[1].population, Population::Program);
        assert_eq!(out.targets[1].plan.len(), 1);
    }

    #[test]
    fn contingent_long_form_with_year_column() {
        let out = run(
            vec![
                vec![t("Код ОО"), t("Год"), t("Класс"), t("Число обучающихся")],
                vec![n(101.0), n(2024.0), t("9"), n(25.0)],
                vec![n(101.0), t("2024/25"), t("10"), n(18.0)],
            ],
            "контингент.xlsx",
        );
        let got: Vec<(i32, u8, u32)> = out
            .contingent
            .iter()
            .map(|c| (c.rec.year, c.rec.grade, c.rec.students))
            .collect();
        assert_eq!(got, [(2024, 9, 25), (2025, 10, 18)]);
    }

    #[test]
    fn section_rows_give_the_municipality_of_named_schools() {
        let out = run(
            vec![
                vec![t("ОГЭ 2025 математика")],
                vec![
                    t("Наименование ОО"),
                    t("Количество участников"),
                    t("Средний балл"),
                ],
                vec![t("Город N")],
                vec![t("Школа 1"), n(5.0), n(14.0)],
                vec![t("Район Z")],
                vec![t("Школа 1"), n(7.0), n(12.5)],
                vec![t("Итого"), n(12.0), n(13.2)],
            ],
            "огэ.xlsx",
        );
        let got: Vec<(String, u32)> = out
            .results
            .iter()
            .map(|k| (k.key.clone(), k.rec.n))
            .collect();
        // Two schools with the same name in different municipalities stay apart.
        assert_eq!(
            got,
            vec![
                ("Город N / Школа 1".into(), 5),
                ("Район Z / Школа 1".into(), 7)
            ]
        );
        assert_eq!(out.rejected, 0);
    }

    #[test]
    fn code_before_the_name() {
        assert_eq!(
            split_code_prefix("101 - МАОУ «Лицей»"),
            Some(("101".into(), "МАОУ «Лицей»".into()))
        );
        assert_eq!(split_code_prefix("Школа №5"), None);
        assert_eq!(split_code_prefix("2024"), None);
    }

    #[test]
    fn passport_shares_and_subsets() {
        let out = run(
            vec![
                vec![
                    t("Код ОО"),
                    t("Всего обучающихся"),
                    t("Малообеспеченные, %"),
                    t("Дети с ОВЗ"),
                ],
                vec![n(1.0), n(200.0), t("25%"), n(10.0)],
                vec![n(2.0), n(100.0), n(10.0), n(150.0)],
            ],
            "паспорт 2024-2025.xlsx",
        );
        assert_eq!(out.passports.len(), 1);
        let p = &out.passports[0].rec;
        assert_eq!(p.year, 2025);
        // 25 % of 200
        assert_eq!(p.counts[&crate::model::Category::LowIncome], 50.0);
        assert_eq!(out.rejected, 1);
        assert!(
            out.issues[0]
                .message
                .contains("подмножество больше общего числа")
        );
    }
}
