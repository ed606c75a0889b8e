//! Row classes of a recognized table, by content: what a row says and how it relates to
//! the rows around it — a school, a municipality subtotal, a region total, a section
//! heading, a blank line or a note — and the cross-check of totals against the schools
//! under them. Subtotals are not schools, but they are kept to check the sum: a mismatch
//! is a data-quality finding, shown by `inspect`.

use super::{Field, Table};
use crate::read::{Cell, Sheet};
use crate::read::{norm_text, parse_code, parse_count};

/// What a data row is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum RowClass {
    School,
    /// A municipality (or other group) subtotal: shorter code or a municipality name with
    /// the sum of the schools below it.
    Subtotal,
    /// The region / grand total («Итого», «Всего», «Общий итог», an empty code).
    Total,
    /// A heading row between blocks (a municipality written once, with no numbers).
    Section,
    Blank,
    /// Text under or between the data: footnotes, signatures.
    Note,
}

impl RowClass {
    /// Russian label for `inspect`.
    pub fn label(self) -> &'static str {
        match self {
            RowClass::School => "школы",
            RowClass::Subtotal => "промежуточные итоги (муниципалитеты)",
            RowClass::Total => "итоги по региону",
            RowClass::Section => "заголовки разделов",
            RowClass::Blank => "пустые",
            RowClass::Note => "примечания",
        }
    }
}

/// «Итого», «Всего по …», «Общий итог», «В целом по …», «По региону».
pub fn is_total_text(t: &str) -> bool {
    [
        "итого",
        "всего по",
        "всего",
        "в целом по",
        "по региону",
        "по району",
        "общий итог",
        "по субъекту",
        // ФИС ОКО: the whole country's participants, above the region.
        "вся выборка",
    ]
    .iter()
    .any(|w| t.starts_with(w) || t.contains(&format!(" {w}")))
}

/// Words that name a municipality rather than a school.
pub fn is_municipality_name(t: &str) -> bool {
    let t = norm_text(t);
    let school = [
        "школ",
        "лицей",
        "гимнази",
        "учрежд",
        "организац",
        "сош",
        "оош",
        "центр",
    ];
    if school.iter().any(|w| t.contains(w)) {
        return false;
    }
    [
        "район",
        "городской округ",
        "муниципальный округ",
        "г.о.",
        "зато",
        "город ",
        "г. ",
        "край",
        "область",
        "республик",
        "мр ",
        "управление образования",
        "комитет образования",
        "отдел образования",
    ]
    .iter()
    .any(|w| t.contains(w) || t.starts_with(w.trim()))
        || t.starts_with("г.")
        || words(&t).any(|w| ["моуо", "ате", "муниципальный", "муниципальное"].contains(&w))
}

/// The words of a normalised text, without quotes and punctuation around them.
fn words(t: &str) -> impl Iterator<Item = &str> {
    t.split(|c: char| c.is_whitespace() || c == '/' || c == ',')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '№'))
        .filter(|w| !w.is_empty())
}

/// Words that name a school (an educational organisation): «школа», «лицей», «гимназия»,
/// «интернат», «СОШ», «МБОУ», «№ 5». Rule «слова школы» of docs/recognition.md «Строки».
pub fn is_school_name(t: &str) -> bool {
    let t = norm_text(t);
    let stems = [
        "школ",
        "лицей",
        "лицея",
        "гимнази",
        "интернат",
        "кадет",
        "учрежд",
    ];
    let abbr = [
        "сош", "оош", "нош", "сокш", "моу", "мбоу", "маоу", "мкоу", "гбоу", "гоу", "гаоу", "гкоу",
        "чоу", "ноу", "ану", "оу", "мобу", "мау", "оо",
    ];
    stems.iter().any(|w| t.contains(w)) || t.contains('№') || words(&t).any(|w| abbr.contains(&w))
}

/// A group of schools counted like a municipality: «Краевые ОУ», «Негосударственные ОУ».
pub fn is_school_group(t: &str) -> bool {
    let t = norm_text(t);
    let group = [
        "краевые",
        "областные",
        "республиканские",
        "государственные",
        "негосударственные",
        "федеральные",
        "частные",
        "ведомственные",
    ];
    let plural = ["оу", "оо", "оу.", "оо."];
    let words: Vec<&str> = t.split(' ').collect();
    words.first().is_some_and(|w| group.contains(w))
        && words.last().is_some_and(|w| plural.contains(w))
}

/// A region rather than a municipality: «Алтайский край», «Новосибирская область».
fn is_region_name(t: &str) -> bool {
    let t = norm_text(t);
    ["край", "область", "республик", "автономный округ"]
        .iter()
        .any(|w| t.split(' ').any(|x| x.starts_with(w)))
        || is_total_text(&t)
}

/// Rule «название вместо кода» (docs/recognition.md «Строки»): a cell of the code column
/// that holds no code — no digit in it, only words — is no school. `alone`: nothing else is
/// filled in the row. Such a cell alone in its row is a section heading («Энский район»,
/// «Городские школы» above the schools of a registry); in a row with numbers it is a
/// subtotal when it names a municipality or a group of schools («Энский район» with the
/// sums of its schools in a table keyed by logins), a total when it names the region or
/// says «Итого». `None`: a code, or words that name none of these (a school written in the
/// code column is looked up and, if unknown, rejected with advice — never dropped).
pub fn label_in_code_column(code: &str, alone: bool) -> Option<RowClass> {
    let t = norm_text(code);
    if t.is_empty() || t.chars().any(|c| c.is_ascii_digit()) || !t.chars().any(char::is_alphabetic)
    {
        return None;
    }
    if is_total_text(&t) {
        return Some(RowClass::Total);
    }
    if alone {
        return Some(RowClass::Section);
    }
    if is_region_name(&t) {
        return Some(RowClass::Total);
    }
    (is_municipality_name(&t) || is_school_group(&t)).then_some(RowClass::Subtotal)
}

fn value_columns(table: &Table) -> Vec<usize> {
    let id_like = [
        Field::SchoolId,
        Field::SchoolName,
        Field::Municipality,
        Field::Aliases,
        Field::Subject,
        Field::Exam,
        Field::Year,
        Field::Grade,
    ];
    table
        .columns
        .iter()
        .filter(|c| !id_like.contains(&c.field))
        .map(|c| c.index)
        .collect()
}

/// Classifies every row from `table.data_start`. Returns (0-based row, class).
pub fn classify(sheet: &Sheet, table: &Table) -> Vec<(usize, RowClass)> {
    let values = value_columns(table);
    let id_col = table.column(Field::SchoolId).map(|c| c.index);
    let name_col = table.column(Field::SchoolName).map(|c| c.index);
    let numeric_code = |r: usize| -> Option<usize> {
        let c = parse_code(sheet.cell(r, id_col?))?;
        let t = c.trim();
        (!t.is_empty() && t.chars().all(|ch| ch.is_ascii_digit())).then_some(t.len())
    };
    // A parent precedes its children: a numeric code shorter than the next row's code is a
    // municipality (РЦОИ: «1» above «116», «10» above «1001»; form 22: «1» above «101»).
    let coded: Vec<(usize, usize)> = (table.data_start..sheet.rows.len())
        .filter_map(|r| numeric_code(r).map(|l| (r, l)))
        .collect();
    let parent_rows: std::collections::BTreeSet<usize> = coded
        .windows(2)
        // Only when the child follows at once: a named row between them (a municipality
        // written in place of a code) means the shorter code is a school of its own.
        .filter(|w| {
            w[0].1 < w[1].1
                && (w[0].0 + 1..w[1].0).all(|r| sheet.rows[r].iter().all(Cell::is_empty))
        })
        .map(|w| w[0].0)
        .collect();
    let last_data = (table.data_start..sheet.rows.len())
        .rev()
        .find(|&r| values.iter().any(|&c| !sheet.cell(r, c).is_empty()));
    // Names of regions and municipalities are (sub)totals only beside school names: a table
    // of districts has no school rows, and its rows are its data.
    let names_schools = name_col.is_some_and(|c| {
        (table.data_start..sheet.rows.len()).any(|r| is_school_name(&sheet.cell(r, c).text()))
    });
    let mut out = Vec::new();
    for r in table.data_start..sheet.rows.len() {
        let row = &sheet.rows[r];
        let filled: Vec<&Cell> = row.iter().filter(|c| !c.is_empty()).collect();
        if filled.is_empty() {
            out.push((r, RowClass::Blank));
            continue;
        }
        // A registry has no value columns: a row with a code or a name is a school.
        let has_values = if values.is_empty() {
            id_col
                .or(name_col)
                .is_some_and(|c| !sheet.cell(r, c).is_empty())
        } else {
            values.iter().any(|&c| !sheet.cell(r, c).is_empty())
        };
        let text: String = row
            .iter()
            .map(|c| norm_text(&c.text()))
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if !has_values {
            let after = last_data.is_none_or(|l| r > l);
            let long = filled.len() == 1 && text.chars().count() > 60;
            let class = if after || long || text.starts_with("примечан") || text.starts_with('*')
            {
                RowClass::Note
            } else {
                RowClass::Section
            };
            out.push((r, class));
            continue;
        }
        let code_text = id_col
            .and_then(|c| parse_code(sheet.cell(r, c)))
            .map(|c| norm_text(&c));
        if is_total_text(&text)
            && !code_text
                .as_deref()
                .is_some_and(|c| c.chars().all(|ch| ch.is_ascii_digit()))
        {
            out.push((r, RowClass::Total));
            continue;
        }
        if parent_rows.contains(&r) {
            out.push((r, RowClass::Subtotal));
            continue;
        }
        if id_col.is_none()
            && names_schools
            && let Some(n) = name_col.map(|c| norm_text(&sheet.cell(r, c).text()))
            && !is_school_name(&n)
        {
            // No codes: a region or municipality named in the name column is a total or a
            // subtotal of the schools under it (ФИС ОКО: «Энская область», «… район»).
            if is_region_name(&n) {
                out.push((r, RowClass::Total));
                continue;
            }
            if is_municipality_name(&n) {
                out.push((r, RowClass::Subtotal));
                continue;
            }
        }
        if let Some(class) = code_text
            .as_deref()
            .and_then(|c| label_in_code_column(c, filled.len() == 1))
        {
            out.push((r, class));
            continue;
        }
        if id_col.is_some() && code_text.is_none() {
            // A row of numbers with no code under a coded table: a total.
            let named_school = name_col.map(|c| sheet.cell(r, c).text()).is_some_and(|n| {
                !n.trim().is_empty() && !is_municipality_name(&n) && !is_school_group(&n)
            });
            if !named_school {
                // A municipality named in place of a code (РЦОИ trend tables) is a subtotal;
                // the region and «Итого» rows are the total.
                let name = name_col.map(|c| norm_text(&sheet.cell(r, c).text()));
                let class = match name {
                    Some(n)
                        if (is_municipality_name(&n) || is_school_group(&n))
                            && !is_region_name(&n) =>
                    {
                        RowClass::Subtotal
                    }
                    _ => RowClass::Total,
                };
                out.push((r, class));
                continue;
            }
        }
        out.push((r, RowClass::School));
    }
    out
}

/// The column, among `candidates`, whose cells on rows with numbers name schools (rule 2 of
/// docs/recognition.md «Строки») for at least half of them, two or more: the school names of
/// a table whose heading said nothing of schools («Территория», «АТЕ / ОО»).
pub fn school_names_column(
    sheet: &Sheet,
    data_start: usize,
    candidates: &[usize],
) -> Option<usize> {
    // Per data row, once: how many numeric cells and the first one's column. Asked per
    // candidate column instead, a wide sheet cost columns² parses per row.
    let numbers: Vec<(usize, usize)> = (data_start..sheet.rows.len())
        .map(|r| {
            let mut found = sheet.rows[r].iter().enumerate().filter(|(_, c)| match c {
                Cell::Number(_) => true,
                Cell::Text(t) => crate::read::parse_ru_f64(t).is_some(),
                Cell::Empty => false,
            });
            match (found.next(), found.next()) {
                (None, _) => (0, 0),
                (Some((i, _)), None) => (1, i),
                (Some((i, _)), Some(_)) => (2, i),
            }
        })
        .collect();
    // A numeric cell in row `r` outside column `skip`.
    let numeric = |r: usize, skip: usize| match numbers[r - data_start] {
        (0, _) => false,
        (1, i) => i != skip,
        _ => true,
    };
    candidates.iter().copied().find(|&col| {
        let texts: Vec<String> = (data_start..sheet.rows.len())
            .filter(|&r| numeric(r, col))
            .map(|r| sheet.cell(r, col).text())
            .filter(|t| !t.trim().is_empty() && !is_total_text(&norm_text(t)))
            .collect();
        let schools = texts.iter().filter(|t| is_school_name(t)).count();
        schools >= 2 && schools * 2 >= texts.len()
    })
}

/// A table whose data rows are municipalities, not schools (rule «таблица по
/// муниципалитетам» of docs/recognition.md «Строки»): no data row names a school, and at
/// least 7 in 10 of them (two or more) name a municipality or a group of schools, or are
/// subtotals of a code hierarchy. Returns the number of data rows and the first names.
pub fn municipal_level(sheet: &Sheet, table: &Table) -> Option<(usize, Vec<String>)> {
    let name_col = table
        .column(Field::SchoolName)
        .or_else(|| table.column(Field::Municipality))
        .map(|c| c.index)?;
    let classes = classify(sheet, table);
    let data: Vec<(usize, RowClass)> = classes
        .into_iter()
        .filter(|(_, c)| matches!(c, RowClass::School | RowClass::Subtotal))
        .collect();
    // A code hierarchy (municipality codes above longer school codes): the rows under the
    // subtotals are schools.
    if data.iter().any(|(_, c)| *c == RowClass::Subtotal)
        && data.iter().any(|(_, c)| *c == RowClass::School)
    {
        return None;
    }
    // Rows finer than their names: more distinct codes than distinct names means each row
    // is a school of a municipality named beside it (a «Муниципалитет» column), not the
    // municipality itself.
    if let Some(id_col) = table.column(Field::SchoolId).map(|c| c.index) {
        let distinct = |col: usize| {
            data.iter()
                .map(|&(r, _)| norm_text(&sheet.cell(r, col).text()))
                .filter(|t| !t.is_empty())
                .collect::<std::collections::BTreeSet<_>>()
                .len()
        };
        if distinct(id_col) > distinct(name_col) {
            return None;
        }
    }
    let mut municipal = 0;
    let mut names = Vec::new();
    for &(r, class) in &data {
        let name = sheet.cell(r, name_col).text();
        let name = name.trim();
        if is_school_group(name) || is_municipality_name(name) || class == RowClass::Subtotal {
            municipal += 1;
        } else if is_school_name(name) {
            return None;
        }
        if names.len() < 3 && !name.is_empty() {
            names.push(name.to_string());
        }
    }
    (municipal >= 2 && municipal * 10 >= data.len() * 7).then_some((data.len(), names))
}

/// One cross-check of a total row against the schools under it.
#[derive(Clone, Debug, PartialEq)]
pub struct TotalCheck {
    /// 0-based row of the total.
    pub row: usize,
    pub class: RowClass,
    /// What is summed: a field heading («Число участников», «Отметка "2"»).
    pub what: String,
    pub stated: u64,
    pub summed: u64,
    pub schools: usize,
}

impl TotalCheck {
    pub fn passed(&self) -> bool {
        self.stated == self.summed
    }
}

/// For every subtotal: the schools between it and the next subtotal/total; for every total:
/// all schools since the previous total. Checked on the participant count and mark counts.
/// A table with a subject or year column (a wide or trend table made long) is checked
/// subject by subject, year by year.
pub fn check_totals(
    sheet: &Sheet,
    table: &Table,
    classes: &[(usize, RowClass)],
) -> Vec<TotalCheck> {
    // Checked group by group: a subject (wide table made long) or a year (trend table).
    let keys: Vec<usize> = [Field::Subject, Field::Year]
        .iter()
        .filter_map(|f| table.column(*f).map(|c| c.index))
        .collect();
    if keys.is_empty() {
        return check_group(sheet, table, classes);
    }
    let mut groups: Vec<(String, Vec<(usize, RowClass)>)> = Vec::new();
    for &(r, c) in classes {
        if matches!(c, RowClass::Blank | RowClass::Note | RowClass::Section) {
            continue;
        }
        let s = keys
            .iter()
            .map(|&k| norm_text(&sheet.cell(r, k).text()))
            .collect::<Vec<_>>()
            .join("|");
        match groups.iter_mut().find(|g| g.0 == s) {
            Some(g) => g.1.push((r, c)),
            None => groups.push((s, vec![(r, c)])),
        }
    }
    let mut out: Vec<TotalCheck> = groups
        .iter()
        .flat_map(|(_, g)| check_group(sheet, table, g))
        .collect();
    out.sort_by_key(|c| c.row);
    out
}

fn check_group(sheet: &Sheet, table: &Table, classes: &[(usize, RowClass)]) -> Vec<TotalCheck> {
    let fields = [Field::N, Field::N2, Field::N3, Field::N4, Field::N5];
    let cols: Vec<(usize, String)> = fields
        .iter()
        .filter_map(|f| table.column(*f).map(|c| (c.index, c.heading.clone())))
        .collect();
    let num = |r: usize, c: usize| parse_count(sheet.cell(r, c)).ok().flatten().map(u64::from);
    let mut checks = Vec::new();
    // Subtotals placed above their schools (РЦОИ) or below them: decide by which gives a
    // match on the first subtotal that has schools on both sides.
    let schools_after = |i: usize| -> Vec<usize> {
        classes[i + 1..]
            .iter()
            .take_while(|(_, c)| !matches!(c, RowClass::Subtotal | RowClass::Total))
            .filter(|(_, c)| *c == RowClass::School)
            .map(|(r, _)| *r)
            .collect()
    };
    let schools_before = |i: usize| -> Vec<usize> {
        classes[..i]
            .iter()
            .rev()
            .take_while(|(_, c)| !matches!(c, RowClass::Subtotal | RowClass::Total))
            .filter(|(_, c)| *c == RowClass::School)
            .map(|(r, _)| *r)
            .collect()
    };
    let sum = |rows: &[usize], c: usize| rows.iter().filter_map(|&r| num(r, c)).sum::<u64>();
    let below = classes
        .iter()
        .enumerate()
        .filter(|(_, (_, c))| *c == RowClass::Subtotal)
        .filter_map(|(i, (r, _))| {
            let (c, _) = cols.first()?;
            let stated = num(*r, *c)?;
            Some(sum(&schools_after(i), *c) == stated)
        })
        .filter(|ok| *ok)
        .count()
        * 2
        >= classes
            .iter()
            .filter(|(_, c)| *c == RowClass::Subtotal)
            .count();
    let mut since_total: Vec<usize> = Vec::new();
    let mut all: Vec<usize> = Vec::new();
    for (i, (r, class)) in classes.iter().enumerate() {
        // The rows a subtotal or total row sums.
        let rows: Vec<usize> = match class {
            RowClass::School => {
                since_total.push(*r);
                all.push(*r);
                continue;
            }
            RowClass::Subtotal => {
                if below {
                    schools_after(i)
                } else {
                    schools_before(i)
                }
            }
            RowClass::Total => {
                // A region row above the table (РЦОИ) sums the schools after it.
                let after: Vec<usize> = classes[i + 1..]
                    .iter()
                    .take_while(|(_, c)| *c != RowClass::Total)
                    .filter(|(_, c)| *c == RowClass::School)
                    .map(|(r, _)| *r)
                    .collect();
                if since_total.is_empty() && after.is_empty() {
                    // A grand total right under a partial one («Итого по сельским районам»,
                    // «Общий итог»): all the rows of the table.
                    all.clone()
                } else if since_total.is_empty() {
                    after
                } else {
                    std::mem::take(&mut since_total)
                }
            }
            _ => continue,
        };
        if *class == RowClass::Total && rows.is_empty() {
            // Nothing of the table under it (ФИС ОКО «Вся выборка» above the region row).
            continue;
        }
        for (c, h) in &cols {
            if let Some(stated) = num(*r, *c) {
                checks.push(TotalCheck {
                    row: *r,
                    class: *class,
                    what: h.clone(),
                    stated,
                    summed: sum(&rows, *c),
                    schools: rows.len(),
                });
            }
        }
    }
    checks
}

#[cfg(test)]
#[path = "rows_tests.rs"]
mod tests;
