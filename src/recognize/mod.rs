//! Stage 2, recognize: a sheet of cells → a table: where the header is, which column is
//! which canonical field, what kind of input it is, and the year / procedure the sheet is
//! about (from title rows, sheet name, file name). Knows nothing about methodology.
//! Every decision is recorded in `Table::notes` so `inspect` and `validate` can show it.

mod confirm;
mod fields;
mod header;
#[cfg(test)]
mod heading_table;
mod kind;
mod meta;
mod prepare;
mod rows;
mod rules;
mod subjects;
mod synonyms;
mod vocabulary;
mod wide;
mod years;

use crate::config::Config;
use crate::model::{Exam, InputKind, Stage, Year};
use crate::read::{Cell, Sheet};
pub use confirm::{cells as column_cells, mean_scale, proposable};
pub use fields::Field;
#[cfg(test)]
pub use fields::SIMPLE as SIMPLE_FIELDS;
pub use kind::IdShape;
pub use meta::{FIRST_YEAR, LAST_PLAUSIBLE_YEAR, find_year, school_year_of};
pub use prepare::prepare_sheet;
pub use rows::{
    RowClass, TotalCheck, check_totals, classify, is_municipality_name, is_school_group,
    is_school_name, is_total_text, label_in_code_column,
};
pub use subjects::{canonical_subject, for_exam};
pub use synonyms::{Mapping, canon, is_percent_word, lookup};

/// Year / procedure / stage the sheet is about, from everything around the table.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Meta {
    pub year: Option<Year>,
    /// What gave the year, for messages: the token and where it was («2031» (имя файла)).
    pub year_from: Option<String>,
    pub exam: Option<Exam>,
    pub subject: Option<String>,
    pub grade: Option<u8>,
    pub stage: Option<Stage>,
}

/// One column mapped to a canonical field.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    /// 0-based column index in the sheet.
    pub index: usize,
    /// Heading as written (flattened when it spans several rows).
    pub heading: String,
    pub field: Field,
}

/// A recognized table inside a sheet.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub kind: InputKind,
    /// 0-based rows of the header block, first..=last.
    pub header_rows: (usize, usize),
    /// 0-based first data row.
    pub data_start: usize,
    pub columns: Vec<Column>,
    /// Headings that mapped to nothing (shown by `inspect`, never silently dropped data).
    pub unmapped: Vec<(usize, String)>,
    pub meta: Meta,
    /// Decisions made, in Russian, for `inspect` / `validate`.
    pub notes: Vec<String>,
    /// Doubts worth a Warning issue (e.g. the title and the sheet name give different years).
    pub warnings: Vec<String>,
}

impl Table {
    pub fn column(&self, field: Field) -> Option<&Column> {
        self.columns.iter().find(|c| c.field == field)
    }
}

/// Why a sheet was not recognized: what was found, and how to map it in the config.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct Unrecognized {
    pub message: String,
}

/// Finds the table in a sheet.
///
/// # Errors
/// [`Unrecognized`] with a Russian message listing the headings found and the config
/// section (`[[files]]`, `[columns]`) that would fix it.
pub fn recognize(sheet: &Sheet, file_name: &str, cfg: &Config) -> Result<Table, Unrecognized> {
    use synonyms::{Mapping, canon, is_percent_word};
    let hint = cfg.files.iter().find(|h| h.matches(file_name));
    if sheet.rows.iter().all(|r| r.iter().all(Cell::is_empty)) {
        return Err(Unrecognized {
            message: "лист пуст".into(),
        });
    }
    let min_fields = if hint.is_some_and(|h| h.kind.is_some()) {
        1
    } else {
        2
    };
    let Some(block) = header::find(sheet, cfg, min_fields) else {
        return Err(unrecognized(sheet, file_name, None));
    };
    let mut notes = block.notes.clone();
    let scale = confirm::values_scale(sheet, file_name, cfg, hint, &block);
    let mut columns: Vec<Column> = Vec::new();
    let mut unmapped = Vec::new();
    let mut tasks = 0;
    let mut known = 0;
    for col in &block.cols {
        match col.mapping {
            Some(Mapping::Field(field)) => {
                let field = confirm::two_fields_by_values(sheet, &scale, col, field, &mut notes);
                let Some(field) = confirm::mean_in_scale(sheet, &scale, col, field, &mut notes)
                else {
                    unmapped.push((col.index, col.heading.clone()));
                    continue;
                };
                let new = Column {
                    index: col.index,
                    heading: col.heading.clone(),
                    field,
                };
                if let Some(pos) = columns.iter().position(|c| c.field == field) {
                    // A share column loses to a count column of the same field; otherwise
                    // the values decide (`confirm.rs`), and the first column stays only
                    // when they do not tell.
                    let old_pct = is_percent_word(&canon(&columns[pos].heading));
                    let new_pct = is_percent_word(&canon(&col.heading));
                    // Rule К4: a code of another system («Код РЦОИ») loses to the plain
                    // school code and is read as an alias; else the values decide.
                    if let Some((new_wins, why)) =
                        kind::other_system_loses(field, &columns[pos].heading, &new.heading)
                    {
                        let dropped = if new_wins {
                            std::mem::replace(&mut columns[pos], new)
                        } else {
                            new
                        };
                        notes.push(format!(
                            "столбцы «{}» и «{}» оба похожи на «{}»: взят «{}» ({why})",
                            columns[pos].heading,
                            dropped.heading,
                            field.heading(),
                            columns[pos].heading
                        ));
                        unmapped.push((dropped.index, dropped.heading));
                        continue;
                    }
                    let by_values = if old_pct == new_pct {
                        confirm::same_field_by_values(sheet, &scale, &columns[pos], &new)
                    } else {
                        confirm::share_against_count(sheet, &scale, &columns[pos], &new, old_pct)
                    };
                    let take_new = match &by_values {
                        Some((new_wins, _)) => *new_wins,
                        None => old_pct && !new_pct,
                    };
                    let (kept, dropped) = if take_new {
                        let old = std::mem::replace(&mut columns[pos], new);
                        (columns[pos].heading.clone(), old)
                    } else {
                        (columns[pos].heading.clone(), new)
                    };
                    match by_values {
                        Some((_, why)) => notes.push(format!(
                            "столбцы «{kept}» и «{}» оба похожи на «{}»: по значениям взят \
                             «{kept}» ({why}; порядок столбцов не важен)",
                            dropped.heading,
                            field.heading()
                        )),
                        None => notes.push(format!(
                            "столбцы «{kept}» и «{}» означают одно и то же ({}): взят «{kept}»",
                            dropped.heading,
                            field.heading()
                        )),
                    }
                    unmapped.push((dropped.index, dropped.heading));
                } else {
                    columns.push(new);
                }
            }
            Some(Mapping::Task) => {
                tasks += 1;
                unmapped.push((col.index, col.heading.clone()));
            }
            Some(Mapping::Known) => {
                known += 1;
                unmapped.push((col.index, col.heading.clone()));
            }
            None => unmapped.push((col.index, col.heading.clone())),
        }
    }
    if tasks > 0 {
        notes.push(format!(
            "{tasks} столбцов с баллами за отдельные задания: берётся общий балл"
        ));
    }
    fix_ambiguous(&mut columns, &mut notes);
    if id_from_global_id(&mut columns, &mut unmapped, &mut notes) {
        // `global_id` is a known heading: it was counted among the known ones.
        known -= 1;
    }
    municipality_by_content(
        sheet,
        block.data_start,
        &mut columns,
        &mut unmapped,
        &mut notes,
    );
    school_names_by_content(
        sheet,
        block.data_start,
        &mut columns,
        &mut unmapped,
        &mut notes,
    );
    let fields: Vec<Field> = columns.iter().map(|c| c.field).collect();
    let column_values = |index: usize| -> Vec<String> {
        (block.data_start..sheet.rows.len())
            .map(|r| crate::read::parse_code(sheet.cell(r, index)).unwrap_or_default())
            .collect()
    };
    // Ids of other systems among the unmapped columns (rule «Коды других систем»): they
    // count as understood when the kind is decided, and are kept only in a registry.
    let other_ids: Vec<(usize, String, kind::IdShape)> = unmapped
        .iter()
        .filter(|(i, h)| {
            let first = (block.data_start..sheet.rows.len())
                .find_map(|r| crate::read::parse_code(sheet.cell(r, *i)));
            kind::may_be_other_id(h, first.as_deref())
        })
        .filter_map(|(i, h)| {
            kind::other_system_id(h, &column_values(*i)).map(|shape| (*i, h.clone(), shape))
        })
        .collect();
    let kind = match hint.and_then(|h| h.kind) {
        Some(k) => {
            notes.push(format!(
                "вид данных «{}» задан в настройках ([[files]] pattern = \"{}\")",
                k.label(),
                hint.map(|h| h.pattern.as_str()).unwrap_or_default()
            ));
            k
        }
        None => match kind::detect(
            &fields,
            tasks > 0,
            (unmapped.len() - known - tasks).saturating_sub(other_ids.len()),
        ) {
            Some(k) => {
                let headings: Vec<String> = columns
                    .iter()
                    .map(|c| c.heading.clone())
                    .chain(unmapped.iter().map(|(_, h)| h.clone()))
                    .collect();
                let codes: Vec<String> = columns
                    .iter()
                    .find(|c| c.field == Field::SchoolId)
                    .map(|c| column_values(c.index))
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|v| !v.trim().is_empty())
                    .collect();
                if let Some(reason) = kind::structure(k, &fields, &headings, &codes) {
                    return Err(Unrecognized { message: reason });
                }
                k
            }
            None if is_district_table(&fields) => {
                let rows_are = match columns.iter().find(|c| c.field == Field::Municipality) {
                    Some(c) => format!("муниципалитеты (столбец «{}»)", c.heading.trim()),
                    None => "годы или отметки, а не школы".to_string(),
                };
                return Err(Unrecognized {
                    message: format!(
                        "{DISTRICT_TABLE}: в строках — {rows_are}, столбца со школами (Код ОО, \
                         Наименование ОО) нет. shnor называет школы, поэтому лист не \
                         учитывается; его столбцы, строки и итоги показывает shnor inspect. \
                         Нужны выгрузки по школам"
                    ),
                });
            }
            None => return Err(unrecognized(sheet, file_name, Some(&block))),
        },
    };
    fix_for_kind(kind, &mut columns, &mut notes);
    // Rule К6: a registry's cluster is a label shared by schools (a column named in
    // `[columns]` is taken as is).
    if kind == InputKind::Registry
        && let Some(pos) = columns.iter().position(|c| c.field == Field::Cluster)
        && synonyms::lookup_config(&columns[pos].heading, cfg).is_none()
        && let Some(why) =
            kind::not_a_cluster(&columns[pos].heading, &column_values(columns[pos].index))
    {
        let c = columns.remove(pos);
        notes.push(why);
        unmapped.push((c.index, c.heading));
    }
    if kind == InputKind::Registry {
        for (index, heading, shape) in other_ids {
            unmapped.retain(|(i, _)| *i != index);
            notes.push(format!(
                "столбец «{}» — коды школ в другой системе ({}): взят как «{}»",
                heading.trim(),
                shape.label(),
                Field::Aliases.heading()
            ));
            columns.push(Column {
                index,
                heading,
                field: Field::Aliases,
            });
        }
    }

    let title: Vec<String> = (0..block.first)
        .flat_map(|r| sheet.rows[r].iter().map(Cell::text))
        .filter(|t| !t.trim().is_empty())
        .collect();
    let mut sources = Vec::new();
    if let Some(h) = hint {
        sources.push(meta::Source {
            name: "настройки",
            meta: Meta {
                year: h.year,
                year_from: None,
                exam: h.exam,
                subject: h.subject.as_deref().map(subjects::canonical_subject),
                grade: h.grade,
                stage: None,
            },
        });
    }
    if let Some(m) = meta_from_headings(&unmapped) {
        notes.push(
            "столбцы «сдали на 220 баллов и выше» / «ниже 160» — это ЕГЭ по сумме трёх \
             предметов (открытые данные Москвы): процедура «ЕГЭ Три предмета»"
                .into(),
        );
        sources.push(meta::Source {
            name: "столбцы таблицы",
            meta: m,
        });
    }
    sources.push(meta::Source {
        name: "заголовок над таблицей",
        meta: meta::from_text(&title.join(" ")),
    });
    if let Some(name) = &sheet.name {
        sources.push(meta::Source {
            name: "имя листа",
            meta: meta::from_text(name),
        });
    }
    sources.push(meta::Source {
        name: "имя файла",
        meta: meta::from_text(file_name),
    });
    let hinted_year = hint.and_then(|h| h.year).is_some();
    let span = [
        title.join(" "),
        sheet.name.clone().unwrap_or_default(),
        file_name.to_string(),
    ]
    .iter()
    .find_map(|t| meta::find_year_span(t));
    let year_column = columns.iter().any(|c| c.field == Field::Year);
    if let (Some((a, b)), false, false) = (span, hinted_year, year_column) {
        return Err(Unrecognized {
            message: format!(
                "в таблице результаты за несколько лет ({a}–{b}) рядом: shnor читает один год \
                 на лист и не станет угадывать, какие столбцы к какому году относятся. \
                 Возьмите выгрузки по каждому году отдельно или пропустите этот файл:\n\
                 [[files]]\npattern = \"{file_name}\"\nignore = true"
            ),
        });
    }
    let (mut meta, conflicts) = meta::combine(&sources);
    notes.extend(conflicts.iter().cloned());
    if year_column && !hinted_year && meta.year.take().is_some() {
        // A year column says the year row by row; a year in the title or file name
        // (the span's first or last year) would only mislead.
        notes.push("год берётся из столбца «Год» в каждой строке, а не из заголовка".into());
    }
    if let Some(message) = meta::beyond_latest(&meta, cfg.latest_year, hinted_year, file_name) {
        return Err(Unrecognized { message });
    }
    let table = Table {
        kind,
        header_rows: (block.first, block.last),
        data_start: block.data_start,
        columns,
        unmapped,
        meta,
        notes,
        warnings: conflicts,
    };
    // Rows that are all municipalities: not school data, whatever the headings say. A kind
    // given in the config is taken as is.
    if hint.and_then(|h| h.kind).is_none()
        && !matches!(kind, InputKind::Registry | InputKind::Targets)
        && let Some((n, names)) = rows::municipal_level(sheet, &table)
    {
        return Err(Unrecognized {
            message: format!(
                "{DISTRICT_TABLE}: таблица по муниципалитетам: {n} строк, школ нет («{}»…). \
                 shnor называет школы, поэтому лист не учитывается; его столбцы, строки и \
                 итоги показывает shnor inspect. Нужны выгрузки по школам",
                names.join("», «")
            ),
        });
    }
    Ok(table)
}

/// A column left of the school names whose cells, where filled, name municipalities
/// («Код АТЕ» holding «Балашиха городской округ» on the first row of each block): it is
/// the municipality column, filled down.
fn municipality_by_content(
    sheet: &Sheet,
    data_start: usize,
    columns: &mut Vec<Column>,
    unmapped: &mut Vec<(usize, String)>,
    notes: &mut Vec<String>,
) {
    if columns.iter().any(|c| c.field == Field::Municipality) {
        return;
    }
    let Some(name_col) = columns
        .iter()
        .find(|c| c.field == Field::SchoolName)
        .map(|c| c.index)
    else {
        return;
    };
    let Some(pos) = unmapped.iter().position(|(i, _)| {
        if *i >= name_col {
            return false;
        }
        let texts: Vec<String> = (data_start..sheet.rows.len())
            .map(|r| sheet.cell(r, *i).text())
            .filter(|t| !t.trim().is_empty())
            .collect();
        let named = texts
            .iter()
            .filter(|t| rows::is_municipality_name(t))
            .count();
        texts.len() >= 2 && named * 10 >= texts.len() * 7
    }) else {
        return;
    };
    let (index, heading) = unmapped.remove(pos);
    notes.push(format!(
        "в столбце «{}» — названия муниципалитетов: он понят как «Муниципалитет» (пустая \
         ячейка — муниципалитет строки выше)",
        heading.trim()
    ));
    columns.push(Column {
        index,
        heading,
        field: Field::Municipality,
    });
}

/// No school column by heading, but a column whose cells name schools (a sectioned table
/// headed «Территория» or «АТЕ / ОО»: the municipality on section rows, schools under it):
/// it is the school name column (docs/recognition.md «Строки», rule «названия школ»).
fn school_names_by_content(
    sheet: &Sheet,
    data_start: usize,
    columns: &mut Vec<Column>,
    unmapped: &mut Vec<(usize, String)>,
    notes: &mut Vec<String>,
) {
    if columns
        .iter()
        .any(|c| matches!(c.field, Field::SchoolId | Field::SchoolName))
    {
        return;
    }
    let mut candidates: Vec<usize> = columns
        .iter()
        .filter(|c| c.field == Field::Municipality)
        .map(|c| c.index)
        .collect();
    candidates.extend(unmapped.iter().map(|(i, _)| *i));
    let Some(col) = rows::school_names_column(sheet, data_start, &candidates) else {
        return;
    };
    let heading = if let Some(c) = columns.iter_mut().find(|c| c.index == col) {
        c.field = Field::SchoolName;
        c.heading.clone()
    } else {
        let pos = unmapped
            .iter()
            .position(|(i, _)| *i == col)
            .unwrap_or_default();
        let (index, heading) = unmapped.remove(pos);
        columns.push(Column {
            index,
            heading: heading.clone(),
            field: Field::SchoolName,
        });
        heading
    };
    notes.push(format!(
        "в столбце «{}» названия школ (СОШ, лицей, «№»…): он понят как «Наименование ОО»; \
         строки без чисел над ними — разделы",
        heading.trim()
    ));
}

/// How the message about a table of municipalities begins (`load` makes it a warning,
/// `inspect` shows the table all the same).
pub const DISTRICT_TABLE: &str = "свод без школ";

/// Results by municipality (or by year): counts, but no school column.
fn is_district_table(fields: &[Field]) -> bool {
    !fields.contains(&Field::SchoolId)
        && !fields.contains(&Field::SchoolName)
        && fields
            .iter()
            .any(|f| matches!(f, Field::N | Field::N2 | Field::N3 | Field::N4 | Field::N5))
}

/// The table of a sheet of municipality results, read as aggregates with the municipality
/// in place of the school — for `inspect` only (row classes, totals, the file's own
/// columns), never for the dataset.
pub fn recognize_district(sheet: &Sheet, file_name: &str, cfg: &Config) -> Option<Table> {
    let mut cfg2 = cfg.clone();
    cfg2.files.push(crate::config::FileHint {
        pattern: file_name.to_string(),
        kind: Some(InputKind::Aggregates),
        year: None,
        exam: None,
        subject: None,
        grade: None,
        ignore: false,
    });
    let mut t = recognize(sheet, file_name, &cfg2).ok()?;
    if let Some(c) = t
        .columns
        .iter_mut()
        .find(|c| c.field == Field::Municipality)
    {
        c.field = Field::SchoolName;
    }
    t.notes.retain(|n| !n.starts_with("вид данных"));
    Some(t)
}

/// Procedure told by the headings themselves: Moscow's open data counts graduates with 220+
/// and under 160 points over three ЕГЭ subjects, per school, with no subject column.
fn meta_from_headings(unmapped: &[(usize, String)]) -> Option<Meta> {
    let has = |w: &str| unmapped.iter().any(|(_, h)| synonyms::canon(h).contains(w));
    (has("over_220") && has("under_160")).then(|| Meta {
        exam: Some(Exam::Ege),
        subject: Some("Три предмета".into()),
        ..Meta::default()
    })
}

/// Moscow open data: a school directory with no code, no ИНН/ОГРН, only the dataset's own
/// `global_id`. With a name and a registry field next to it (okrug, phone, type), that id
/// is the school's code (true when it was taken): it is unique per row and stable across the dataset's editions.
/// Results files of the same portal carry their own `global_id` (of the result row, not
/// of the school) next to an ОГРН, which keys them instead.
fn id_from_global_id(
    columns: &mut Vec<Column>,
    unmapped: &mut Vec<(usize, String)>,
    notes: &mut Vec<String>,
) -> bool {
    let has = |cs: &[Column], f: Field| cs.iter().any(|c| c.field == f);
    if has(columns, Field::SchoolId)
        || !has(columns, Field::SchoolName)
        || ![Field::Municipality, Field::Phone, Field::Level]
            .iter()
            .any(|&f| has(columns, f))
    {
        return false;
    }
    let Some(pos) = unmapped
        .iter()
        .position(|(_, h)| synonyms::canon(h) == "global_id")
    else {
        return false;
    };
    let (index, heading) = unmapped.remove(pos);
    notes.push(format!(
        "столбца с кодом ОО нет: кодом школы служит «{}» (номер записи в наборе открытых \
         данных, у каждой школы свой)",
        heading.trim()
    ));
    columns.push(Column {
        index,
        heading,
        field: Field::SchoolId,
    });
    true
}

/// Headings that mean different things in different files.
fn fix_ambiguous(columns: &mut [Column], notes: &mut Vec<String>) {
    // No code column but an ИНН/ОГРН column: the school is keyed by it.
    if !columns.iter().any(|c| c.field == Field::SchoolId)
        && let Some(c) = columns.iter_mut().find(|c| c.field == Field::Aliases)
    {
        c.field = Field::SchoolId;
        notes.push(format!(
            "столбца с кодом ОО нет: школы определяются по столбцу «{}»",
            c.heading
        ));
    }
}

fn fix_for_kind(kind: InputKind, columns: &mut [Column], notes: &mut Vec<String>) {
    let has = |cs: &[Column], f: Field| cs.iter().any(|c| c.field == f);
    let (from, to) = match kind {
        InputKind::Passport => (Field::Students, Field::Total),
        InputKind::Registry => (Field::Total, Field::Students),
        _ => return,
    };
    if !has(columns, to)
        && let Some(c) = columns.iter_mut().find(|c| c.field == from)
    {
        c.field = to;
        notes.push(format!(
            "столбец «{}» понят как «{}»",
            c.heading,
            to.heading()
        ));
    }
}

/// The message for a sheet shnor cannot place: the first rows as found, and the config
/// snippet that would tell shnor what it is.
fn unrecognized(
    sheet: &Sheet,
    file_name: &str,
    block: Option<&header::HeaderBlock>,
) -> Unrecognized {
    let mut lines = Vec::new();
    // Taken to be the header: the first row with two filled cells.
    let mut header_row = None;
    for (i, row) in sheet.rows.iter().enumerate().take(header::SCAN_ROWS) {
        let cells: Vec<String> = row
            .iter()
            .filter(|c| !c.is_empty())
            .take(12)
            .map(|c| {
                let t: String = c.text().chars().take(40).collect();
                format!("«{}»", t.trim())
            })
            .collect();
        if cells.is_empty() {
            continue;
        }
        if header_row.is_none() && cells.len() >= 2 {
            header_row = Some(i);
        }
        lines.push(format!("  строка {}: {}", i + 1, cells.join(" | ")));
        if lines.len() >= 5 {
            break;
        }
    }
    let found = block.map_or(String::new(), |b| {
        let known: Vec<String> = b
            .cols
            .iter()
            .filter_map(|c| match c.mapping {
                Some(synonyms::Mapping::Field(f)) => Some(format!("«{}» → {}", c.heading, f.key())),
                _ => None,
            })
            .collect();
        format!("\nУзнаны столбцы: {}.", known.join(", "))
    });
    // A column is proposed as the school code only when its values fit one (distinct per
    // row, not a running number 1…N, not municipality names): never «№» by position.
    let id_line = header_row
        .and_then(|h| {
            sheet.rows[h].iter().enumerate().find(|(i, c)| {
                !c.is_empty() && proposable(Field::SchoolId, &column_cells(sheet, h + 1, *i))
            })
        })
        .map_or_else(
            || {
                "# \"<заголовок столбца с кодом ОО>\" = \"school_id\"   # столбца, похожего на \
                 код ОО, не найдено"
                    .to_string()
            },
            |(_, c)| format!("\"{}\" = \"school_id\"", c.text().trim()),
        );
    // A title about applications (заявления на ЕГЭ) is not results: say so first.
    let title_text: String = sheet
        .rows
        .iter()
        .take(header::SCAN_ROWS)
        .flat_map(|r| r.iter().map(|c| crate::read::norm_text(&c.text())))
        .collect::<Vec<_>>()
        .join(" ");
    let applications = if title_text.contains("заявлен") {
        "Похоже, это заявления на участие в экзаменах, а не результаты: shnor их не \
         учитывает (если это всё же результаты — укажите вид в настройках).\n"
    } else {
        ""
    };
    Unrecognized {
        message: format!(
            "{applications}не удалось понять, что это за таблица (реестр, результаты, олимпиада, \
             контингент, паспорт или целевые показатели).{found}\nПервые строки:\n{}\n\
             Укажите вид файла и столбцы в файле настроек (shnor.toml), например:\n\
             [[files]]\npattern = \"{file_name}\"\nkind = \"aggregates\"   # registry, participants, \
             aggregates, olympiad, contingent, passport, targets\n\n\
             [columns]\n{id_line}",
            lines.join("\n")
        ),
    }
}

#[cfg(test)]
mod tests;
