//! The context of one sheet being normalized: where its cells are, what was decided about
//! its school keys, and what it gave so far. Every input kind reads its rows through it.

use super::keys::split_code_prefix;
use super::{Keyed, SheetOut};
use crate::model::{Contingent, Issue, OlympiadRows, Origin, Passport, ProcResult, Severity};
use crate::read::{Cell, Sheet, parse_count, parse_number};
use crate::recognize::{Column, Field, Table};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// The list of [`SheetOut`] that records of a type go to.
pub(super) trait KeyedList: Sized {
    fn list(out: &mut SheetOut) -> &mut Vec<Keyed<Self>>;
}

macro_rules! keyed_list {
    ($($t:ty => $field:ident),*) => {$(
        impl KeyedList for $t {
            fn list(out: &mut SheetOut) -> &mut Vec<Keyed<Self>> {
                &mut out.$field
            }
        }
    )*};
}
keyed_list!(
    ProcResult => results,
    OlympiadRows => olympiad,
    Contingent => contingent,
    Passport => passports
);

/// The most pupils one row of a procedure or a grade can hold: about five times the
/// largest grade of the largest schools (multi-building Moscow complexes have some
/// 1,000 pupils in a grade), so a real school never reaches it, while a shifted column
/// (a code, a year, a sum of a municipality read as a school) does.
pub(crate) const MAX_ROW_PUPILS: u32 = 5_000;
/// The most pupils a whole school can have: eleven grades at [`MAX_ROW_PUPILS`].
pub(crate) const MAX_SCHOOL_PUPILS: u32 = 11 * MAX_ROW_PUPILS;

pub(super) struct Ctx<'a> {
    pub(super) sheet: &'a Sheet,
    pub(super) table: &'a Table,
    pub(super) file: &'a str,
    /// The file and sheet names every record's [`Origin`] shares.
    pub(super) origin_file: Arc<str>,
    pub(super) origin_sheet: Option<Arc<str>>,
    pub(super) out: SheetOut,
    /// No code column: the code is written before the name («101 - МАОУ «Лицей»»).
    pub(super) code_in_name: bool,
    /// No codes at all: schools keyed by name within their municipality.
    pub(super) name_key: bool,
    /// The municipality of the current block (filled down, or from a section row).
    pub(super) municipality: Option<Arc<str>>,
    /// The group of schools named by the current section row («Городские школы», «Кластер
    /// 2»): the cluster of a registry's schools when `[clusters] sections = true`.
    pub(super) group: Option<String>,
    /// Reshaped sheet: original row of each row, so messages name the analyst's row.
    pub(super) row_map: Option<&'a [usize]>,
    /// Subjects as written in a subject column → canonical names: a protocol repeats a
    /// dozen names over 10^5 rows.
    pub(super) subjects: RefCell<HashMap<String, String>>,
    /// Heading of the school key column (code, else name), for messages.
    pub(super) key_column: Arc<str>,
    /// The last year a row's «Год» may say: today's school year + 1 when the command knows
    /// the date, else the last plausible year (docs/recognition.md «Годы», rule 9).
    pub(super) last_year: crate::model::Year,
    /// Records and row messages this sheet may still keep (`[limits] sheet_records`).
    pub(super) records_left: u64,
    /// A budget ran out (the limit's key): the sheet is refused whole by [`Ctx::finish`].
    pub(super) over_budget: Option<&'static str>,
    /// Records kept by the whole run (files are normalized in parallel).
    pub(super) run: &'a AtomicU64,
    pub(super) run_limit: u64,
    /// Records this sheet added to `run`, given back when it is refused.
    pub(super) kept: u64,
    /// Row messages listed one by one so far, and those past [`ROWS_LISTED`]: rejected
    /// rows first, warnings second.
    pub(super) listed: [usize; 2],
    pub(super) unlisted: [Unlisted; 2],
}

/// Row messages of one sheet listed one by one, rejected rows and warnings each; the rest
/// are counted and summed up in one message. A damaged or doubled export can reject a
/// million rows of the same kind: as messages they took ~0,5 KB each (2 GB for a 229 MB
/// archive), would not fit the report's sheet (1,048,576 rows) and no one reads past the
/// first screens of them; the count of rejected rows stays exact.
pub(crate) const ROWS_LISTED: usize = 1_000;

/// The refusal of a record whose school (`key` as written, in `key_column`) already has one
/// for the same thing: the first counts.
pub(crate) fn repeat_issue(key: &str, key_column: &str, origin: &Origin, message: String) -> Issue {
    Issue {
        severity: Severity::Rejected,
        origin: origin.clone(),
        column: Some(key_column.to_string()),
        value: Some(key.to_string()),
        message,
    }
}

/// Why a repeat is refused: `what` of `school` was already given at `first`.
pub(crate) fn repeat_message(what: &str, school: &str, first: &Origin) -> String {
    format!("повтор: {what} для школы {school} уже есть ({first}); удалите лишнюю строку")
}

/// What a contingent record gives, in a repeat's message.
pub(crate) fn contingent_what(grade: u8, year: crate::model::Year) -> String {
    format!("число обучающихся {grade} класса за {year} год")
}

/// What a social passport gives, in a repeat's message.
pub(crate) fn passport_what(year: crate::model::Year) -> String {
    format!("социальный паспорт за {year} год")
}

/// The row messages of one severity not listed one by one.
#[derive(Debug, Default)]
pub(super) struct Unlisted {
    rows: usize,
    /// The first and the last of them, as the analyst numbers rows.
    first: usize,
    last: usize,
    /// How many name each column (`None`: the row as a whole).
    by_column: std::collections::BTreeMap<Option<String>, usize>,
    /// The first one's message, as an example.
    example: Option<String>,
}

impl<'a> Ctx<'a> {
    pub(super) fn origin(&self, row: usize) -> Origin {
        Origin {
            file: self.origin_file.clone(),
            sheet: self.origin_sheet.clone(),
            row: self
                .row_map
                .and_then(|m| m.get(row).copied())
                .unwrap_or(row)
                + 1,
        }
    }

    pub(super) fn col(&self, f: Field) -> Option<&Column> {
        self.table.column(f)
    }

    pub(super) fn cell(&self, row: usize, f: Field) -> Option<&'a Cell> {
        let sheet: &'a Sheet = self.sheet;
        self.table.column(f).map(|c| sheet.cell(row, c.index))
    }

    /// The trimmed text of a cell, cut to [`MAX_TEXT_CHARS`] ([`Ctx::warn_long_texts`] has
    /// said so for the row).
    pub(super) fn text(&self, row: usize, f: Field) -> Option<String> {
        self.cell(row, f)
            .map(|c| cut(c.text().trim(), MAX_TEXT_CHARS).trim().to_string())
            .filter(|t| !t.is_empty())
    }

    /// A warning for every text cell of a mapped column longer than [`MAX_TEXT_CHARS`]:
    /// such a cell is cut (a name pasted many times over, a whole document in one cell), and
    /// the analyst is told where.
    pub(super) fn warn_long_texts(&mut self) {
        let (table, sheet) = (self.table, self.sheet);
        let rows: Vec<usize> = self.data_rows().collect();
        // Row by row first, as the rows lie in memory: nearly every table has no such
        // cell; the warnings themselves go column by column.
        let long = |r: &usize| {
            table.columns.iter().any(
                |col| matches!(sheet.cell(*r, col.index), Cell::Text(t) if t.len() > MAX_TEXT_CHARS),
            )
        };
        if !rows.iter().any(long) {
            return;
        }
        for col in &table.columns {
            for &r in &rows {
                let Cell::Text(t) = sheet.cell(r, col.index) else {
                    continue;
                };
                // Bytes first: most cells are short, and counting chars is not free.
                if t.len() <= MAX_TEXT_CHARS {
                    continue;
                }
                let chars = t.trim().chars().count();
                if chars <= MAX_TEXT_CHARS {
                    continue;
                }
                let origin = self.origin(r);
                self.row_issue(Issue {
                    severity: Severity::Warning,
                    origin,
                    column: Some(col.heading.clone()),
                    value: Some(shown(t)),
                    message: format!(
                        "текст ячейки длиннее {MAX_TEXT_CHARS} знаков ({chars}): взяты первые \
                         {MAX_TEXT_CHARS} — проверьте ячейку в файле"
                    ),
                });
            }
        }
    }

    /// Records a rejected row (counted once per row by the caller).
    pub(super) fn reject(
        &mut self,
        row: usize,
        column: Option<&str>,
        value: Option<String>,
        msg: String,
    ) {
        self.out.rejected += 1;
        let origin = self.origin(row);
        self.row_issue(Issue {
            severity: Severity::Rejected,
            origin,
            column: column.map(str::to_string),
            value: value.map(|v| shown(&v)),
            message: msg,
        });
    }

    /// A message about one row: listed while fewer than [`ROWS_LISTED`] of its severity
    /// are, else counted for [`Self::sum_up_unlisted`].
    pub(super) fn row_issue(&mut self, issue: Issue) {
        let k = usize::from(issue.severity == Severity::Warning);
        if self.listed[k] >= ROWS_LISTED {
            let at = issue.origin.row;
            let u = &mut self.unlisted[k];
            if u.rows == 0 {
                u.first = at;
                u.example = Some(match &issue.value {
                    Some(v) => format!("строка {at}, значение «{v}»: {}", issue.message),
                    None => format!("строка {at}: {}", issue.message),
                });
            }
            u.rows += 1;
            u.last = at;
            *u.by_column.entry(issue.column).or_default() += 1;
            return;
        }
        if !self.keep() {
            return;
        }
        self.listed[k] += 1;
        self.out.issues.push(issue);
    }

    /// One message for each severity's row messages not listed one by one (see
    /// [`ROWS_LISTED`]).
    fn sum_up_unlisted(&mut self) {
        for (k, severity) in [Severity::Rejected, Severity::Warning]
            .into_iter()
            .enumerate()
        {
            let u = std::mem::take(&mut self.unlisted[k]);
            if u.rows > 0 {
                self.sum_up(severity, u);
            }
        }
    }

    fn sum_up(&mut self, severity: Severity, u: Unlisted) {
        let what = if severity == Severity::Rejected {
            // The message below is one rejected issue; the other rows are counted here.
            self.out.unlisted = u.rows - 1;
            "отклонённых строк"
        } else {
            "предупреждений о строках"
        };
        let columns: Vec<String> = u
            .by_column
            .iter()
            .map(|(c, n)| match c {
                Some(c) => format!("столбец «{c}» — {n}"),
                None => format!("строка в целом — {n}"),
            })
            .collect();
        let message = format!(
            "{what}, не перечисленных по отдельности: {} (строки {}–{} листа; по отдельности \
             перечислены первые {}); по столбцам: {}. Первое из них — {}. Обычно так много \
             замечаний у повреждённой, склеенной или повторённой выгрузки: проверьте файл",
            u.rows,
            u.first,
            u.last,
            ROWS_LISTED,
            columns.join(", "),
            u.example.unwrap_or_default()
        );
        self.sheet_issue_at(u.first, severity, message);
    }

    /// Takes one record or row message from the sheet's budget; `false` once it is spent.
    pub(super) fn keep(&mut self) -> bool {
        if self.over_budget.is_some() {
            return false;
        }
        if self.records_left == 0 {
            self.over_budget = Some("sheet_records");
            return false;
        }
        if self.run.fetch_add(1, Ordering::Relaxed) >= self.run_limit {
            self.run.fetch_sub(1, Ordering::Relaxed);
            self.over_budget = Some("run_records");
            return false;
        }
        self.records_left -= 1;
        self.kept += 1;
        true
    }

    /// The sheet's output; a sheet over its record budget is refused whole with one
    /// message, never kept in part (a part would change counts silently).
    pub(super) fn finish(mut self) -> SheetOut {
        self.sum_up_unlisted();
        if let Some(key) = self.over_budget {
            self.run.fetch_sub(self.kept, Ordering::Relaxed);
            let rows = self.data_rows().count();
            self.out = SheetOut::default();
            let what = if key == "sheet_records" {
                format!(
                    "с листа получается больше {} записей (результаты школ, численность по \
                     классам, строки паспорта, школы реестра) и сообщений о строках",
                    self.table_limit()
                )
            } else {
                format!(
                    "за этот запуск набралось больше {} записей (результаты школ, численность \
                     по классам, строки паспорта, школы реестра) и сообщений о строках",
                    self.run_limit
                )
            };
            self.sheet_issue(
                Severity::Rejected,
                format!(
                    "{what} — это предел [limits] {key} в файле настроек: каждая занимает в \
                     памяти около 0,5 КБ. Лист не учтён вовсе. Проверьте, не повторяются ли \
                     строки и нет ли в папке лишних архивов (обычно это повреждённая или \
                     склеенная выгрузка); если данных действительно столько, увеличьте предел \
                     или запустите shnor на меньшей папке"
                ),
            );
            self.out.rejected = rows;
        }
        self.out
    }

    /// The sheet's record budget as configured (`records_left` counts it down).
    fn table_limit(&self) -> u64 {
        self.records_left + self.kept
    }

    /// Rejects the whole table: one issue, every data row counted.
    pub(super) fn reject_table(&mut self, msg: String) {
        self.sheet_issue(Severity::Rejected, msg);
        self.out.rejected += self.data_rows().count();
        self.out.accepted = 0;
    }

    /// An issue about the whole sheet (row 0).
    pub(super) fn sheet_issue(&mut self, severity: Severity, message: String) {
        self.sheet_issue_at(0, severity, message);
    }

    /// An issue about the sheet, placed at `row` as the analyst numbers rows (0: above
    /// every row), with no column or value.
    fn sheet_issue_at(&mut self, row: usize, severity: Severity, message: String) {
        let origin = Origin {
            row,
            ..self.origin(0)
        };
        self.out.issues.push(Issue {
            severity,
            origin,
            column: None,
            value: None,
            message,
        });
    }

    /// A warning about the whole sheet.
    pub(super) fn warn(&mut self, msg: String) {
        self.sheet_issue(Severity::Warning, msg);
    }

    /// The first message kept while reading the rows, as one issue for the sheet.
    pub(super) fn flush_msg(&mut self, msg: Option<String>) {
        if let Some(m) = msg {
            self.sheet_issue(Severity::Rejected, m);
        }
    }

    /// Notes the rows skipped for having no school code.
    pub(super) fn note_totals(&mut self, totals: usize) {
        if totals > 0 {
            self.out.notes.push(format!(
                "{} без кода школы (итоги, муниципалитеты, разделы) пропущено",
                crate::read::rows(totals)
            ));
        }
    }

    /// Adds a record keyed by the school key as written; `rows` input rows stand behind it.
    pub(super) fn push_keyed<T: KeyedList>(
        &mut self,
        rec: T,
        key: String,
        name: Option<Arc<str>>,
        rows: usize,
    ) {
        if !self.keep() {
            return;
        }
        let municipality = self.municipality.clone();
        self.push_kept(rec, key, name, rows, municipality);
    }

    /// [`Self::push_keyed`] for a record already let through [`Self::keep`], gathered under
    /// the municipality its rows were read in.
    pub(super) fn push_kept<T: KeyedList>(
        &mut self,
        rec: T,
        key: String,
        name: Option<Arc<str>>,
        rows: usize,
        municipality: Option<Arc<str>>,
    ) {
        let key_column = self.key_column.clone();
        T::list(&mut self.out).push(Keyed {
            rec,
            key,
            name,
            rows,
            key_column,
            municipality,
        });
    }

    /// Non-empty rows after the header.
    pub(super) fn data_rows(&self) -> impl Iterator<Item = usize> + '_ {
        (self.table.data_start..self.sheet.rows.len())
            .filter(|&r| self.sheet.rows[r].iter().any(|c| !c.is_empty()))
    }

    /// The school name of a row, without a code written before it.
    pub(super) fn school_name(&self, row: usize) -> Option<String> {
        let name = self.text(row, Field::SchoolName)?;
        Some(match split_code_prefix(&name) {
            Some((_, rest)) if self.code_in_name => rest,
            _ => name,
        })
    }

    /// A count from a column: `Err(())` when the row was rejected.
    pub(super) fn count(&mut self, row: usize, f: Field) -> Result<Option<u32>, ()> {
        self.parsed(
            row,
            f,
            parse_count,
            "исправьте значение в файле (ожидается целое число ≥ 0)",
        )
    }

    pub(super) fn number(&mut self, row: usize, f: Field) -> Result<Option<f64>, ()> {
        self.parsed(
            row,
            f,
            parse_number,
            "в этом столбце ожидается число — проверьте, не сдвинуты ли столбцы",
        )
    }

    /// Rejects the row when a value of field `f` lies outside `low..=high` (`what` names
    /// the value and its scale in the analyst's words): `Err(())` when rejected.
    pub(super) fn in_range(
        &mut self,
        row: usize,
        f: Field,
        v: Option<f64>,
        (low, high): (f64, f64),
        what: &str,
    ) -> Result<(), ()> {
        let Some(x) = v else { return Ok(()) };
        if (low..=high).contains(&x) {
            return Ok(());
        }
        let col = self.col(f).map(|c| c.heading.clone());
        let value = self.cell(row, f).map_or_else(|| fmt_num(x), Cell::text);
        self.reject(
            row,
            col.as_deref(),
            Some(value),
            format!(
                "{what}: {} вне допустимого ({}–{}) — исправьте значение в файле или проверьте, \
                 не сдвинуты ли столбцы",
                fmt_num(x),
                fmt_num(low),
                fmt_num(high)
            ),
        );
        Err(())
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
}

/// The most characters a text field keeps: ten times the longest full name of a Russian
/// school (about 300 characters with its municipality), far below the 32,767 an Excel cell
/// holds.
pub(crate) const MAX_TEXT_CHARS: usize = 1_000;

/// The first `max` characters of `s`.
fn cut(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// A value as an issue shows it: a long one cut to its start and «…».
fn shown(v: &str) -> String {
    const SHOWN: usize = 100;
    if v.len() <= SHOWN {
        return v.to_string();
    }
    let start = cut(v, SHOWN);
    if start.len() == v.len() {
        v.to_string()
    } else {
        format!("{start}…")
    }
}

/// A number as the analyst would write it (no trailing `.0`).
pub(super) fn fmt_num(x: f64) -> String {
    Cell::Number(x).text()
}

/// «101, 102; 103» → the items, trimmed.
pub(super) fn split_list(s: &str) -> Vec<String> {
    s.split([',', ';', '\n'])
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::ROWS_LISTED;
    use crate::model::Severity;
    use crate::read::testutil::{n, t};

    /// An ОГЭ table with one good row, 2,500 repeats of its school (rows 3–2502 as the
    /// analyst numbers them) and a row with no participants (row 2503): 2,501 rejected.
    /// Rows 3–1002 are listed one by one (1,000); the other 1,501 (rows 1003–2503: 1,500
    /// repeats named by «Код ОО», 1 row as a whole) are one message.
    #[test]
    fn rejected_rows_past_the_first_thousand_are_counted_in_one_message() {
        let mut rows = vec![
            vec![
                t("Код ОО"),
                t("Наименование ОО"),
                t("Кол-во участников"),
                t("Средний балл"),
            ],
            vec![n(101.0), t("МБОУ «СОШ № 1»"), n(30.0), n(19.0)],
        ];
        rows.extend((0..2_500).map(|_| vec![n(101.0), t("МБОУ «СОШ № 1»"), n(30.0), n(19.0)]));
        rows.push(vec![n(102.0), t("МБОУ «СОШ № 2»")]);
        let out = super::super::run(rows, "ОГЭ 2025 Русский язык.csv");
        assert_eq!((out.accepted, out.rejected), (1, 2_501));
        let rejected: Vec<_> = out
            .issues
            .iter()
            .filter(|i| i.severity == Severity::Rejected)
            .collect();
        assert_eq!(rejected.len(), ROWS_LISTED + 1);
        assert_eq!(rejected[0].origin.row, 3);
        assert_eq!(rejected[ROWS_LISTED - 1].origin.row, 1_002);
        // Counted in the run's rejected rows: 1,001 messages and 1,500 more rows.
        assert_eq!(out.unlisted, 1_500);
        assert_eq!(rejected.len() + out.unlisted, out.rejected);
        let sum = rejected[ROWS_LISTED];
        assert_eq!(sum.origin.row, 1_003);
        let m = &sum.message;
        for part in [
            "отклонённых строк, не перечисленных по отдельности: 1501 (строки 1003–2503",
            "столбец «Код ОО» — 1500",
            "строка в целом — 1",
            "Первое из них — строка 1003, значение «101»",
        ] {
            assert!(m.contains(part), "{part}: {m}");
        }
    }

    /// 1,200 schools whose names are 1,001 letters long: each row is kept, with a warning
    /// that its name was cut; warnings are listed for rows 2–1001 (1,000) and the other 200
    /// (rows 1002–1201) are one warning. No row is rejected.
    #[test]
    fn warnings_past_the_first_thousand_are_counted_in_one_message() {
        let long = "Ш".repeat(1_001);
        let mut rows = vec![vec![
            t("Код ОО"),
            t("Наименование ОО"),
            t("Кол-во участников"),
            t("Средний балл"),
        ]];
        rows.extend(
            (0..1_200).map(|i| vec![n(1_000.0 + f64::from(i)), t(&long), n(30.0), n(19.0)]),
        );
        let out = super::super::run(rows, "ОГЭ 2025 Русский язык.csv");
        assert_eq!((out.accepted, out.rejected, out.unlisted), (1_200, 0, 0));
        let warned: Vec<_> = out
            .issues
            .iter()
            .filter(|i| i.severity == Severity::Warning && i.origin.row > 0)
            .collect();
        assert_eq!(warned.len(), ROWS_LISTED + 1);
        assert_eq!(warned[ROWS_LISTED - 1].origin.row, 1_001);
        let m = &warned[ROWS_LISTED].message;
        assert!(
            m.starts_with(
                "предупреждений о строках, не перечисленных по отдельности: 200 (строки 1002–1201"
            ),
            "{m}"
        );
        assert!(m.contains("столбец «Наименование ОО» — 200"), "{m}");
    }
}
