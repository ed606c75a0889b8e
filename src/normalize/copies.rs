//! Copies: an input that repeats another byte for byte (a folder holding one export twice
//! under two names, a cron folder where each night's download lands beside the last, an
//! archive of archives holding one export many times over). Read as any file, every copy's
//! rows were kept until the run found them repeated, table by table: four hundred copies of
//! one real РЦОИ archive took 4.6 GB. Now a sheet whose workbook has the same bytes as an
//! earlier one and is recognized the same way ([`Memo`]) is not normalized at all, and the
//! run says which file it repeats. Same bytes alone are not enough: the file's name and
//! folders may give the year, the grade or the subject, and two such files are two tables.
//!
//! Which file is the original must not depend on which core got there first, so the
//! inputs are grouped by their bytes before reading ([`groups`]): a group (an input and
//! its later byte-for-byte copies) is read by one task, in input order, with one memo.
//! Archive members are compared with the members of the same input file and its copies,
//! not with other inputs' members. Only inputs sharing their size with another are hashed
//! here (the rest are hashed as they are read, as before).

use crate::recognize::Table;
use rayon::prelude::*;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::path::PathBuf;

/// An input and its later byte-for-byte copies, as indices into the inputs, in input order.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Group {
    pub files: Vec<usize>,
    /// The SHA-256 of their bytes, when it had to be computed here.
    pub sha: Option<String>,
}

/// The inputs in groups of identical bytes, in the order of each group's first input.
/// `left_aside(i)`: input `i` is not read (`ignore = true` in the settings), so it is
/// nobody's original and nobody's copy.
pub(super) fn groups(files: &[PathBuf], left_aside: impl Fn(usize) -> bool + Sync) -> Vec<Group> {
    // Empty files stay apart: each is refused as empty on its own.
    let sizes: Vec<Option<u64>> = files
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let size = std::fs::metadata(p).ok().map(|m| m.len());
            size.filter(|&n| n > 0 && !left_aside(i))
        })
        .collect();
    let mut same_size: HashMap<u64, usize> = HashMap::new();
    for s in sizes.iter().flatten() {
        *same_size.entry(*s).or_default() += 1;
    }
    let shas: Vec<Option<String>> = files
        .par_iter()
        .zip(&sizes)
        .map(|(p, s)| {
            s.filter(|s| same_size[s] > 1)
                .map(|_| super::sha256(p))
                // Unreadable now: it is refused as unreadable when it is read.
                .filter(|h| !h.is_empty())
        })
        .collect();
    let mut groups: Vec<Group> = Vec::new();
    let mut by_sha: HashMap<&str, usize> = HashMap::new();
    for (i, sha) in shas.iter().enumerate() {
        let at = sha.as_deref().map(|h| match by_sha.entry(h) {
            Entry::Occupied(e) => Err(*e.get()),
            Entry::Vacant(e) => Ok(*e.insert(groups.len())),
        });
        match at {
            Some(Err(g)) => groups[g].files.push(i),
            _ => groups.push(Group {
                files: vec![i],
                sha: sha.clone(),
            }),
        }
    }
    groups
}

/// The sheets read so far by one task, by their workbook's digest and their place in it:
/// what they were recognized as and the file that gave them.
#[derive(Default)]
pub(super) struct Memo(HashMap<([u8; 32], usize), Vec<Given>>);

/// A sheet as first read: its [`signature`], whether it was made long, and the file.
struct Given {
    table: Table,
    trend: bool,
    file: String,
}

impl Memo {
    /// The file that already gave sheet `sheet` of a workbook with these bytes (`digest`),
    /// recognized as `table` (`trend`: made long from years side by side): normalized, it
    /// would give the same records again. `None` (and the sheet is remembered as `file`'s)
    /// when there is none, or when the digest is not known.
    pub(super) fn earlier(
        &mut self,
        (digest, sheet): (Option<[u8; 32]>, usize),
        (table, trend): (&Table, bool),
        file: &str,
    ) -> Option<String> {
        let seen = self.0.entry((digest?, sheet)).or_default();
        let same = signature(table);
        if let Some(g) = seen.iter().find(|g| g.table == same && g.trend == trend) {
            return Some(g.file.clone());
        }
        seen.push(Given {
            table: same,
            trend,
            file: file.to_string(),
        });
        None
    }
}

/// What of a recognized table decides its records: all of it but the words about it (notes,
/// warnings, where the year was read), which name the file.
fn signature(t: &Table) -> Table {
    let mut s = t.clone();
    s.notes.clear();
    s.warnings.clear();
    s.meta.year_from = None;
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// f = a but left aside by the settings, a, b = a, c (same size as a, one byte
    /// different), an empty file, d = c, e (another size), another empty file: the groups
    /// are f; a and b; c and d; each empty file; e.
    #[test]
    fn inputs_with_the_same_bytes_are_one_group_in_input_order() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, bytes: &[u8]| {
            let p = dir.path().join(name);
            std::fs::write(&p, bytes).unwrap();
            p
        };
        let files = vec![
            write("f.csv", b"code;mean\n1;15\n"),
            write("a.csv", b"code;mean\n1;15\n"),
            write("b.csv", b"code;mean\n1;15\n"),
            write("c.csv", b"code;mean\n1;16\n"),
            write("e1.csv", b""),
            write("d.csv", b"code;mean\n1;16\n"),
            write("e.csv", b"code;mean\n1;150\n"),
            write("e2.csv", b""),
        ];
        let found = groups(&files, |i| i == 0);
        let members: Vec<Vec<usize>> = found.iter().map(|g| g.files.clone()).collect();
        assert_eq!(
            members,
            [vec![0], vec![1, 2], vec![3, 5], vec![4], vec![6], vec![7]]
        );
        // Hashed: the files of 15 bytes not left aside; f, e and the empty ones are not.
        let hashed: Vec<bool> = found.iter().map(|g| g.sha.is_some()).collect();
        assert_eq!(hashed, [false, true, true, false, false, false]);
        assert_ne!(found[1].sha, found[2].sha);
    }

    /// Same bytes, same sheet: a copy only when recognized the same way (a year from the
    /// file name makes another table); notes and warnings do not count; no digest, no copy.
    #[test]
    fn a_sheet_is_a_copy_when_its_bytes_and_its_reading_are_the_same() {
        let t = Table {
            kind: crate::model::InputKind::Aggregates,
            header_rows: (0, 0),
            data_start: 1,
            columns: Vec::new(),
            unmapped: Vec::new(),
            meta: crate::recognize::Meta::default(),
            notes: vec!["из «a.csv»".into()],
            warnings: Vec::new(),
        };
        let mut other_note = t.clone();
        other_note.notes = vec!["из «b.csv»".into()];
        other_note.meta.year_from = Some("имя файла".into());
        let mut other_year = t.clone();
        other_year.meta.year = Some(2031);
        let d = Some([7u8; 32]);
        let mut memo = Memo::default();
        assert_eq!(memo.earlier((d, 0), (&t, false), "a.csv"), None);
        assert_eq!(
            memo.earlier((d, 0), (&other_note, false), "b.csv")
                .as_deref(),
            Some("a.csv")
        );
        assert_eq!(memo.earlier((d, 0), (&other_year, false), "c.csv"), None);
        assert_eq!(
            memo.earlier((d, 0), (&other_year, false), "d.csv")
                .as_deref(),
            Some("c.csv")
        );
        assert_eq!(memo.earlier((d, 1), (&t, false), "e.csv"), None);
        assert_eq!(memo.earlier((d, 0), (&t, true), "f.csv"), None);
        assert_eq!(
            memo.earlier((Some([8u8; 32]), 0), (&t, false), "g.csv"),
            None
        );
        assert_eq!(memo.earlier((None, 0), (&t, false), "h.csv"), None);
        assert_eq!(memo.earlier((None, 0), (&t, false), "i.csv"), None);
    }
}
