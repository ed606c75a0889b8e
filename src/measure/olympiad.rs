//! Olympiad figures reported next to the participation indicator: unique participants,
//! winners and prize-winners of grades 7–11 at the municipal stage, and the students 7–11.

use super::OlympiadSummary;
use super::indicators::{municipal_7_11, municipal_participants, protocol_years, students_7_11};
use crate::model::{Dataset, Status, Year};
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn summaries(ds: &Dataset) -> Vec<OlympiadSummary> {
    let years = protocol_years(ds);
    let participants = municipal_participants(ds);
    let students = students_7_11(ds);
    let mut by_status: BTreeMap<(String, Year, Status), BTreeSet<u64>> = BTreeMap::new();
    for g in &ds.olympiad {
        // Grouped by status first: the school's code is copied once per status, not per row.
        let mut own: BTreeMap<Status, Vec<u64>> = BTreeMap::new();
        for e in municipal_7_11(g) {
            own.entry(e.status).or_default().push(e.participant);
        }
        for (status, students) in own {
            by_status
                .entry((g.school.clone(), g.year, status))
                .or_default()
                .extend(students);
        }
    }
    // Every school-year with participants, plus schools with a contingent in a protocol
    // year (they took part with nobody: 0, not «no data»).
    let mut keys: BTreeSet<(String, Year)> = participants.keys().cloned().collect();
    keys.extend(students.keys().filter(|(_, y)| years.contains(y)).cloned());
    keys.into_iter()
        .map(|(school, year)| {
            let count = |st| {
                by_status
                    .get(&(school.clone(), year, st))
                    .map_or(0, |s| s.len() as u32)
            };
            OlympiadSummary {
                participants: participants
                    .get(&(school.clone(), year))
                    .map_or(0, |s| s.len() as u32),
                winners: count(Status::Winner),
                prizewinners: count(Status::Prizewinner),
                students: students.get(&(school.clone(), year)).copied(),
                school,
                year,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{OlympiadRows, Origin, Stage};

    #[test]
    fn counts_unique_winners_and_prizewinners() {
        // A student's rows in two subjects are two records: counted once.
        let e = |who: &str, _subject: &str, status| {
            let row = (Stage::Municipal, Some(9), status);
            OlympiadRows::one(2025, "1", row, who, Origin::default())
        };
        let ds = Dataset {
            olympiad: vec![
                e("A", "Физика", Status::Winner),
                e("A", "Химия", Status::Prizewinner),
                e("B", "Физика", Status::Prizewinner),
                e("C", "Физика", Status::Participant),
            ],
            ..Dataset::default()
        };
        let s = summaries(&ds);
        assert_eq!(s.len(), 1);
        // 3 unique students; winner A; prize-winners A (chemistry) and B
        assert_eq!(
            (s[0].participants, s[0].winners, s[0].prizewinners),
            (3, 1, 2)
        );
        assert_eq!(s[0].students, None);
    }
}
