//! The registry of schools: id, name, municipality, settlement type, aliases, contacts.

use super::context::{Ctx, split_list};
use crate::model::School;
use crate::read::{Cell, parse_code};
use crate::recognize::Field;

/// The registry of schools: one school a row.
/// `sections`: a school with no «Кластер» cell takes the group of its section row as its
/// cluster (`[clusters] sections`, docs/recognition.md «Строки»).
pub(super) fn registry(cx: &mut Ctx<'_>, sections: bool) {
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
            region: cx.text(r, Field::Region),
            settlement: cx.text(r, Field::Settlement),
            level: cx.text(r, Field::Level),
            students,
            cluster: cx
                .text(r, Field::Cluster)
                .or_else(|| cx.group.clone().filter(|_| sections)),
            aliases: aliases(cx, r),
            coordinator: cx.text(r, Field::Coordinator),
            phone: cx.text(r, Field::Phone),
        };
        if !cx.keep() {
            break;
        }
        let origin = cx.origin(r);
        cx.out.registry.push(school);
        cx.out.registry_origins.push(origin);
        cx.out.accepted += 1;
    }
    cx.note_totals(totals);
}

/// Every alias of a row: the «Другие коды ОО» list and each column of ids of another system
/// (ФИС ОКО login, ОГРН, ИНН, РЦОИ code), in column order, without repeats.
fn aliases(cx: &Ctx<'_>, r: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in cx
        .table
        .columns
        .iter()
        .filter(|c| c.field == Field::Aliases)
    {
        let text = cx.sheet.cell(r, c.index);
        let text = match text {
            Cell::Text(_) => text.text().trim().to_string(),
            other => parse_code(other).unwrap_or_default(),
        };
        for a in split_list(&text)
            .iter()
            .filter_map(|s| parse_code(&Cell::Text(s.as_str().into())))
        {
            if !out.contains(&a) {
                out.push(a);
            }
        }
    }
    out
}
