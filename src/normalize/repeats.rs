//! Repeats found while the tables are put together (a school's contingent, passport or
//! result given twice, in one table or in two): listed one by one up to
//! [`ROWS_LISTED`] a table, as a sheet's own row messages are, and the rest summed up in
//! one message for the table. A folder holding one export twice over would otherwise list
//! every row of it (a region's contingent: ~10^5 messages in the report).

use std::collections::BTreeMap;

use super::TableId;
use super::table::{ROWS_LISTED, repeat_issue};
use crate::model::{Issue, Origin, Severity};

#[derive(Default)]
pub(super) struct Repeats {
    listed: Vec<Issue>,
    per_table: BTreeMap<TableId, Tally>,
}

#[derive(Default)]
struct Tally {
    listed: usize,
    /// Not listed: how many, the rows of the first and the last, the first as an example.
    more: usize,
    first: Option<Issue>,
    last_row: usize,
}

impl Repeats {
    /// The refusal of `key` (in `key_column`, at `origin`) of table `tid`: `message` says what
    /// it repeats.
    pub(super) fn refuse(
        &mut self,
        tid: TableId,
        (key, key_column): (&str, &str),
        origin: &Origin,
        message: String,
    ) {
        self.push(tid, repeat_issue(key, key_column, origin, message));
    }

    /// A rejected repeat in table `tid`.
    pub(super) fn push(&mut self, tid: TableId, issue: Issue) {
        let t = self.per_table.entry(tid).or_default();
        if t.listed < ROWS_LISTED {
            t.listed += 1;
            self.listed.push(issue);
            return;
        }
        t.more += 1;
        t.last_row = issue.origin.row;
        t.first.get_or_insert(issue);
    }

    /// Where the list stands, for [`Self::forget`].
    pub(super) fn mark(&self) -> usize {
        self.listed.len()
    }

    /// Forgets what table `tid` added since `mark` (the table is left out whole).
    pub(super) fn forget(&mut self, tid: TableId, mark: usize) {
        self.listed.truncate(mark);
        self.per_table.remove(&tid);
    }

    /// The messages, each table's summing-up after its listed ones' end, and the rejected
    /// rows the summing-up messages stand for beyond themselves
    /// ([`crate::model::Dataset::rejected_unlisted`]).
    pub(super) fn finish(self) -> (Vec<Issue>, usize) {
        let mut out = self.listed;
        let mut unlisted = 0;
        for t in self.per_table.into_values() {
            let Some(first) = t.first else { continue };
            unlisted += t.more - 1;
            let example = match &first.value {
                Some(v) => format!(
                    "строка {}, значение «{v}»: {}",
                    first.origin.row, first.message
                ),
                None => format!("строка {}: {}", first.origin.row, first.message),
            };
            out.push(Issue {
                severity: Severity::Rejected,
                message: format!(
                    "повторов, не перечисленных по отдельности: {} (строки {}–{} листа; по \
                     отдельности перечислены первые {ROWS_LISTED}). Первый из них — {example}. \
                     Обычно так бывает, когда одна выгрузка лежит в папке дважды (под двумя \
                     именами или в двух папках): уберите лишний файл",
                    t.more, first.origin.row, t.last_row
                ),
                ..first
            });
        }
        (out, unlisted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repeat(row: usize) -> Issue {
        Issue {
            severity: Severity::Rejected,
            origin: Origin {
                file: "к.csv".into(),
                sheet: None,
                row,
            },
            column: Some("Код ОО".into()),
            value: Some("101".into()),
            message: "повтор".into(),
        }
    }

    #[test]
    fn a_table_left_out_takes_its_repeats_and_tally_with_it() {
        let mut r = Repeats::default();
        // Table A: rows 2..=1004, 1,003 repeats — 1,000 listed, 3 summed up.
        for row in 2..=1004 {
            r.push((0, 0), repeat(row));
        }
        let mark = r.mark();
        for row in 2..=1500 {
            r.push((1, 0), repeat(row));
        }
        r.forget((1, 0), mark);
        let (list, unlisted) = r.finish();
        assert_eq!(list.len(), 1001);
        // The summing-up message stands for itself and two more rows.
        assert_eq!(unlisted, 2);
        assert!(
            list[1000].message.starts_with(
                "повторов, не перечисленных по отдельности: 3 (строки 1002–1004 листа"
            ),
            "{}",
            list[1000].message
        );
        assert_eq!(list[1000].origin.row, 1002);
    }
}
