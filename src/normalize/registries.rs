//! Several registry tables merged into one registry: later tables add aliases and fill
//! empty fields of known schools, disagreements are warnings naming both files, and the run
//! stops only when one code names two different schools (docs/recognition.md «Вид таблицы»,
//! К5).

use super::schools;
use crate::model::{Issue, Origin, School, Severity};
use anyhow::{Result, bail};
use std::collections::BTreeMap;

/// How one registry table joined the registry read so far.
pub(super) enum RegistryMerge {
    /// Its new schools were added and known ones enriched; `repeats`: the rows repeating a
    /// school of the same table (rejected, `rejected` of them) and the disagreements with an
    /// earlier registry (warnings).
    Added {
        repeats: Vec<Issue>,
        rejected: usize,
    },
    /// Every school in it was already read (a second copy of the registry): left out whole.
    AllKnown { rows: usize, first: String },
}

/// Two registry rows with one code are the same school when their names agree (after
/// normalisation, or one contains the other) or one has no name.
fn same_school(a: &School, b: &School) -> bool {
    let (x, y) = (
        schools::norm_school_name(&a.name),
        schools::norm_school_name(&b.name),
    );
    x.is_empty() || y.is_empty() || x.contains(&y) || y.contains(&x)
}

/// Adds one registry table to the registry read so far. A row for a school an earlier
/// registry table already has adds its aliases and the fields left empty there; where the
/// two disagree (name, municipality, an alias of the same system…) a warning names both
/// rows and the first value is kept. A code repeated inside one table is a repeat
/// (rejected); a table that brings nothing new is left out whole. The run stops only when
/// one code provably names two different schools.
///
/// # Errors
/// One code, two different school names: a Russian message naming both rows and files.
pub(super) fn merge_registry(
    registry: &mut Vec<School>,
    origins: &mut Vec<Origin>,
    rows: Vec<School>,
    row_origins: Vec<Origin>,
) -> Result<RegistryMerge> {
    let mut by_code: BTreeMap<String, usize> = registry
        .iter()
        .enumerate()
        .map(|(i, s)| (schools::code_key(&s.id), i))
        .collect();
    let before = registry.len();
    let total = rows.len();
    let mut issues = Vec::new();
    let mut repeats = 0;
    let mut enriched = 0;
    let mut first_file: Option<String> = None;
    for (s, o) in rows.into_iter().zip(row_origins) {
        let key = schools::code_key(&s.id);
        if let Some(&j) = by_code.get(&key) {
            let (a, ao) = (&registry[j], &origins[j]);
            if !same_school(a, &s) {
                bail!(
                    "код ОО «{}» означает две разные школы: «{}» ({ao}) и «{}» ({o}). \
                     Результаты нельзя отнести к школе, поэтому отчёт не составлен: исправьте \
                     код в одном из файлов или исключите лишний файл ([[files]] pattern = \"…\" \
                     ignore = true)",
                    s.id,
                    a.name,
                    s.name
                );
            }
            if j >= before {
                // The same table twice: a mistake in the table, not a second registry.
                repeats += 1;
                issues.push(Issue {
                    severity: Severity::Rejected,
                    origin: o,
                    column: None,
                    value: Some(s.id.clone()),
                    message: format!(
                        "повтор: школа с кодом ОО «{}» уже есть в реестре ({ao}); строка не \
                         учтена",
                        s.id
                    ),
                });
                continue;
            }
            first_file.get_or_insert_with(|| ao.file.to_string());
            let ao = ao.clone();
            let owner = |alias: &str| {
                let k = schools::code_key(alias);
                registry
                    .iter()
                    .find(|x| {
                        schools::code_key(&x.id) == k
                            || x.aliases.iter().any(|y| schools::code_key(y) == k)
                    })
                    .map(|x| x.id.clone())
            };
            let owners: BTreeMap<String, String> = s
                .aliases
                .iter()
                .filter_map(|a| owner(a).map(|o| (a.clone(), o)))
                .collect();
            let e = schools::enrich(&mut registry[j], &s, |a| owners.get(a).cloned());
            if e.added {
                enriched += 1;
            }
            for (what, kept, other) in e.disagreements {
                issues.push(Issue {
                    severity: Severity::Warning,
                    origin: o.clone(),
                    column: None,
                    value: Some(other.clone()),
                    message: format!(
                        "реестры расходятся у школы с кодом ОО «{}» ({what}): «{kept}» в {ao}, \
                         «{other}» в {o}; взято «{kept}» — из первого реестра",
                        registry[j].id
                    ),
                });
            }
            continue;
        }
        by_code.insert(key, registry.len());
        registry.push(s);
        origins.push(o);
    }
    let added = registry.len() - before;
    match first_file {
        Some(first) if added == 0 && enriched == 0 && issues.is_empty() && total > 0 => {
            Ok(RegistryMerge::AllKnown { rows: total, first })
        }
        _ => Ok(RegistryMerge::Added {
            repeats: issues,
            rejected: repeats,
        }),
    }
}
