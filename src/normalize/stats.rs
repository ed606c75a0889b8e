//! The participant statistics of docs/method.md §6.5 (score histograms, journal-mark
//! comparisons), attached to the dataset beside the results they come from: a histogram
//! counts only when the result of the same school, procedure and year from the same table
//! was kept (rows of unknown keys are rejected with their result, a repeated table is left
//! out whole), and two keys of one school add up.

use crate::model::{Dataset, ParticipantStats, Procedure, Year};
use rustc_hash::FxHashMap;

/// (school id, procedure, year).
type Key = (String, Procedure, Year);

#[derive(Default)]
pub(super) struct Collector {
    /// Key as written → registry id, for the table being assembled.
    ids: FxHashMap<String, String>,
    /// Position in `ds.participant_stats`.
    pos: FxHashMap<Key, usize>,
}

impl Collector {
    /// A key of the current table resolved to a registry id.
    pub(super) fn resolved(&mut self, key: &str, id: &str) {
        // A participant file gives each key a result per work: allocated once (the last id
        // given for a key wins, as before).
        match self.ids.get_mut(key) {
            Some(known) if known == id => {}
            Some(known) => *known = id.to_string(),
            None => {
                self.ids.insert(key.to_string(), id.to_string());
            }
        }
    }

    /// Adds the table's statistics whose result the table gave (`kept`), then forgets the
    /// table's keys.
    pub(super) fn take(
        &mut self,
        ds: &mut Dataset,
        stats: Vec<(String, ParticipantStats)>,
        kept: impl Fn(&Key) -> bool,
    ) {
        self.pos.reserve(stats.len());
        for (key, mut st) in stats {
            let Some(id) = self.ids.get(&key) else {
                continue;
            };
            let k = (id.clone(), st.procedure.clone(), st.year);
            if !kept(&k) {
                continue;
            }
            st.school = id.clone();
            match self.pos.get(&k) {
                Some(&p) => ds.participant_stats[p].absorb(&st),
                None => {
                    self.pos.insert(k, ds.participant_stats.len());
                    ds.participant_stats.push(st);
                }
            }
        }
        self.ids.clear();
    }
}
