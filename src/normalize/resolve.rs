//! School keys as written → registry ids, once all files are read; keys that lead nowhere
//! (or to several schools) become issues.

use super::TableId;
use super::schools;
use super::table::Keyed;
use crate::model::{Issue, Origin, ProcResult, School, Severity};
use crate::read::norm_text;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// A key not found in the registry, on one sheet.
struct Unresolved {
    first_row: usize,
    rows: usize,
    column: String,
    table: TableId,
}

/// Why a key has no registry id.
pub(super) enum Miss {
    /// Not in the registry: the rows are rejected.
    Unknown,
    /// The row sits under a municipality the registry has no school of (a region's file in
    /// a municipality's folder): not this registry's school, counted apart.
    OtherMunicipality,
}

/// Rows of other municipalities in one table: (file, sheet, their municipalities, rows).
type Others = (Arc<str>, Option<Arc<str>>, BTreeSet<String>, usize);

/// A row under a municipality the registry has no school of, before it is settled.
struct OtherRow {
    tid: TableId,
    municipality: String,
    key: String,
    origin: Origin,
    rows: usize,
    column: String,
}

/// Resolves the keys written in files to registry ids (or invents schools when there is no
/// registry), remembering every key it could not resolve.
pub(super) struct Resolver {
    index: schools::Index,
    has_registry: bool,
    /// Without a registry: bare key → school made from the results.
    pub(super) invented: BTreeMap<String, School>,
    /// (file, sheet, key) → rows left out.
    unresolved: BTreeMap<SheetKey, Unresolved>,
    /// (file, sheet, name key) → (first row, registry ids it fits, rows left out).
    ambiguous: BTreeMap<SheetKey, Ambiguous>,
    /// The registry's municipalities (normalised); empty when it names none.
    municipalities: BTreeSet<String>,
    /// Rows under municipalities the registry has no school of ([`Resolver::settle`]).
    others: Vec<OtherRow>,
    /// Per table: the municipalities (normalised; "" for none) of the rows it resolved.
    resolved_in: BTreeMap<TableId, BTreeSet<String>>,
}

/// (file, sheet, key as written).
type SheetKey = (Arc<str>, Option<Arc<str>>, String);
/// (first row, registry ids the name fits, rows left out).
type Ambiguous = (usize, Vec<String>, usize);

impl Resolver {
    pub(super) fn new(index: schools::Index, registry: &[School]) -> Self {
        Resolver {
            index,
            has_registry: !registry.is_empty(),
            invented: BTreeMap::new(),
            unresolved: BTreeMap::new(),
            ambiguous: BTreeMap::new(),
            municipalities: registry
                .iter()
                .filter_map(|s| s.municipality.as_deref())
                .map(norm_text)
                .filter(|m| !m.is_empty())
                .collect(),
            others: Vec::new(),
            resolved_in: BTreeMap::new(),
        }
    }

    /// The registry id of a record's school; `Err` when it is not found (remembered).
    pub(super) fn resolve<T: HasOrigin>(
        &mut self,
        k: &Keyed<T>,
        tid: TableId,
    ) -> Result<String, Miss> {
        let r = self.lookup(k, tid);
        if r.is_ok() && self.has_registry {
            let m = k.municipality.as_deref().map(norm_text).unwrap_or_default();
            self.resolved_in.entry(tid).or_default().insert(m);
        }
        r
    }

    /// Rule «школы других муниципалитетов», decided once every table is read: rows under a
    /// municipality the registry has no school of are another municipality's only in a table
    /// that did give schools of the registry, from none of their municipality. Otherwise
    /// (a table whose every code is unknown, or a municipality spelled otherwise than in the
    /// registry) they are unknown keys, rejected as such. Returns, per table, the rows moved
    /// from «other municipalities» to the rejected.
    pub(super) fn settle(&mut self) -> BTreeMap<TableId, usize> {
        let mut back = BTreeMap::new();
        let rows = std::mem::take(&mut self.others);
        for r in rows {
            let other = self
                .resolved_in
                .get(&r.tid)
                .is_some_and(|ms| !ms.is_empty() && !ms.contains(&norm_text(&r.municipality)));
            if other {
                self.others.push(r);
                continue;
            }
            *back.entry(r.tid).or_default() += r.rows;
            let u = self
                .unresolved
                .entry((r.origin.file.clone(), r.origin.sheet.clone(), r.key.clone()))
                .or_insert(Unresolved {
                    first_row: r.origin.row,
                    rows: 0,
                    column: r.column.clone(),
                    table: r.tid,
                });
            u.rows += r.rows;
            u.first_row = u.first_row.min(r.origin.row);
        }
        back
    }

    fn lookup<T: HasOrigin>(&mut self, k: &Keyed<T>, tid: TableId) -> Result<String, Miss> {
        if !self.has_registry {
            let bare = schools::bare_key(&k.key);
            let municipality = schools::is_name_key(&k.key)
                .then(|| k.key.split_once(" / ").map(|(m, _)| m.to_string()))
                .flatten();
            let s = self.invented.entry(bare).or_insert_with(|| School {
                id: k.key.clone(),
                name: k.name.as_deref().unwrap_or_default().to_string(),
                municipality,
                ..School::default()
            });
            if s.name.is_empty()
                && let Some(n) = &k.name
            {
                s.name = n.to_string();
            }
            return Ok(s.id.clone());
        }
        if let Some(id) = self.index.resolve(&k.key) {
            return Ok(id.to_string());
        }
        let o = k.rec.origin();
        if schools::is_name_key(&k.key) {
            match self.index.resolve_name(&k.key) {
                schools::NameMatch::One(id) => return Ok(id.to_string()),
                schools::NameMatch::Ambiguous(ids) => {
                    let a = self
                        .ambiguous
                        .entry((o.file.clone(), o.sheet.clone(), k.key.clone()))
                        .or_insert((o.row, ids.to_vec(), 0));
                    a.2 += k.rows;
                    return Err(Miss::Unknown);
                }
                schools::NameMatch::None => {}
            }
        }
        // Rule «школы других муниципалитетов»: a row under a municipality the registry has
        // no school of is another municipality's school, not a mistake of this file.
        if let Some(m) = k.municipality.as_deref().map(norm_text)
            && !m.is_empty()
            && !self.municipalities.is_empty()
            && !self.municipalities.contains(&m)
        {
            self.others.push(OtherRow {
                tid,
                municipality: k.municipality.as_deref().unwrap_or_default().to_string(),
                key: k.key.clone(),
                origin: o.clone(),
                rows: k.rows,
                column: k.key_column.to_string(),
            });
            return Err(Miss::OtherMunicipality);
        }
        let u = self
            .unresolved
            .entry((o.file.clone(), o.sheet.clone(), k.key.clone()))
            .or_insert(Unresolved {
                first_row: o.row,
                rows: 0,
                column: k.key_column.to_string(),
                table: tid,
            });
        u.rows += k.rows;
        u.first_row = u.first_row.min(o.row);
        Err(Miss::Unknown)
    }

    /// The issues for every key left unresolved: one per sheet whose codes come from another
    /// system, one per ambiguous name, one per key otherwise. `table_schools`: the schools
    /// each table did give.
    pub(super) fn issues(&self, table_schools: &BTreeMap<TableId, BTreeSet<String>>) -> Vec<Issue> {
        let mut issues = Vec::new();
        // One warning per table: (file, sheet) → (municipalities, rows).
        let mut per_table: BTreeMap<TableId, Others> = BTreeMap::new();
        for r in &self.others {
            let e = per_table.entry(r.tid).or_insert_with(|| {
                (
                    r.origin.file.clone(),
                    r.origin.sheet.clone(),
                    BTreeSet::new(),
                    0,
                )
            });
            e.2.insert(r.municipality.clone());
            e.3 += r.rows;
        }
        for (file, sheet, munis, rows) in per_table.values() {
            let names: Vec<String> = munis.iter().take(3).map(|m| format!("«{m}»")).collect();
            let more = if munis.len() > 3 {
                " и другие"
            } else {
                ""
            };
            issues.push(Issue {
                severity: Severity::Warning,
                origin: Origin {
                    file: file.clone(),
                    sheet: sheet.clone(),
                    row: 0,
                },
                column: None,
                value: None,
                message: format!(
                    "{} школ других муниципалитетов ({}{more}) не учтены: в реестре нет ни \
                     одной школы этих муниципалитетов. Если это ошибка, добавьте их школы в \
                     реестр",
                    crate::read::rows(*rows),
                    names.join(", ")
                ),
            });
        }
        let mut unresolved: Vec<_> = self.unresolved.iter().collect();
        unresolved.sort_by_key(|((file, sheet, key), u)| (file, sheet, u.first_row, key));
        // A sheet none of whose codes is in the registry uses another code system: one issue
        // for the sheet reads better than hundreds, and the rows are counted all the same.
        let mut per_table: BTreeMap<TableId, Vec<&String>> = BTreeMap::new();
        for ((_, _, key), u) in &unresolved {
            per_table.entry(u.table).or_default().push(key);
        }
        let foreign = |t: &TableId| {
            per_table.get(t).is_some_and(|keys| keys.len() > 20)
                && table_schools.get(t).is_none_or(BTreeSet::is_empty)
        };
        for (tid, keys) in &per_table {
            if !foreign(tid) {
                continue;
            }
            let rows: usize = unresolved
                .iter()
                .filter(|(_, u)| u.table == *tid)
                .map(|(_, u)| u.rows)
                .sum();
            let (first, u) = unresolved
                .iter()
                .find(|(_, u)| u.table == *tid)
                .map(|((f, s, _), u)| ((f, s), u))
                .expect("table has unresolved keys");
            let examples: Vec<String> = keys.iter().take(5).map(|k| format!("«{k}»")).collect();
            issues.push(Issue {
                severity: Severity::Rejected,
                origin: Origin {
                    file: first.0.clone(),
                    sheet: first.1.clone(),
                    row: 0,
                },
                column: Some(u.column.clone()),
                value: None,
                message: format!(
                    "ни один из {} {} школ этого листа не найден в реестре (например, {}): \
                     похоже, коды здесь из другой системы. Добавьте их в столбец «Другие коды ОО» \
                     реестра (строк не учтено: {rows})",
                    keys.len(),
                    crate::read::plural(keys.len(), "кода", "кодов", "кодов"),
                    examples.join(", ")
                ),
            });
        }
        for ((file, sheet, key), (row, ids, rows)) in &self.ambiguous {
            issues.push(Issue {
                severity: Severity::Rejected,
                origin: Origin {
                    file: file.clone(),
                    sheet: sheet.clone(),
                    row: *row,
                },
                column: None,
                value: Some(key.clone()),
                message: format!(
                    "название школы подходит к нескольким школам реестра (коды {}): shnor не \
                     угадывает — добавьте код этой школы в её строку или в «Другие коды ОО» реестра \
                     (строк не учтено: {rows})",
                    ids.join(", ")
                ),
            });
        }
        for ((file, sheet, key), u) in unresolved {
            if foreign(&u.table) {
                continue;
            }
            let message = if schools::is_name_key(key) {
                format!(
                    "школа «{key}» не найдена в реестре по названию в своём муниципалитете: \
                     добавьте в реестр её название как в этом файле или в «Другие коды ОО» \
                     (строк не учтено: {})",
                    u.rows
                )
            } else {
                format!(
                    "школа с кодом «{key}» не найдена в реестре: добавьте её в реестр или укажите \
                     код в столбце «Другие коды ОО» (строк с этим кодом не учтено: {})",
                    u.rows
                )
            };
            issues.push(Issue {
                severity: Severity::Rejected,
                origin: Origin {
                    file: file.clone(),
                    sheet: sheet.clone(),
                    row: u.first_row,
                },
                column: Some(u.column.clone()),
                value: Some(key.clone()),
                message,
            });
        }
        issues
    }
}

/// Records that say where they were read.
pub(super) trait HasOrigin {
    fn origin(&self) -> &Origin;
}

macro_rules! has_origin {
    ($($t:ty),*) => {$(
        impl HasOrigin for $t {
            fn origin(&self) -> &Origin {
                &self.origin
            }
        }
    )*};
}
has_origin!(
    ProcResult,
    crate::model::OlympiadRows,
    crate::model::Contingent,
    crate::model::Passport
);
