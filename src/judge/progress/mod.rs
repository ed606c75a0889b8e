//! `progress` as one pure function (docs/method.md §5): the baseline's findings and methodology plus
//! the measured interim data → changes per school, interim ОИП, flags entered and left,
//! program targets and addressed recommendations. No I/O and no clock: `cmd/progress.rs`
//! loads the files, passes the date and writes the report.
//!
//! `input` selects and measures the interim records, `dynamics` compares indicators with
//! their significance, `interim` recomputes ОИП and moves flags (with `identify`'s federal
//! rule and a margin for leaving), `targets` evaluates the program's targets, `recommend`
//! maps the weakest indicators to the federal risk profile.

mod dynamics;
mod input;
mod interim;
mod recommend;
mod targets;
#[cfg(test)]
pub(crate) mod tests_handworked;

pub use dynamics::{Change, ChangeStatus, Interim, Unit};
pub use input::{
    adopt_baseline_registry, check_baseline, check_settings, coverage, has_interim_data,
    keep_interim, measure_interim, methodology_diff,
};
pub use interim::{FlagChange, InterimOip, Movement};
pub use recommend::{Recommendation, for_school};
pub use targets::{TargetResult, TargetStatus};

use crate::config::{Config, Progress};
use crate::judge::{Findings, FlagKind};
use crate::measure::OlympiadSummary;
use crate::model::{Target, Year};
use dynamics::compare;
use interim::{flag_changes, interim_oip};
use recommend::recommend;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use targets::{SchoolNow, TargetInputs, evaluate};

/// Everything `progress` found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgressFindings {
    pub baseline_year: Year,
    /// The interim school year (baseline + 1).
    pub year: Year,
    pub changes: Vec<Change>,
    pub oip: Vec<InterimOip>,
    /// ИСБ by the new social passport, per school.
    pub isb: BTreeMap<String, f64>,
    pub flags: Vec<FlagChange>,
    pub targets: Vec<TargetResult>,
    /// Program schools by default: flagged in the baseline with `progress.program_flags`.
    pub program: Vec<String>,
    pub recommendations: Vec<Recommendation>,
}

impl ProgressFindings {
    /// Every (school, flag) in force at the interim date: the baseline's flags, then the first
    /// movement recorded for each pair (entered or stays: in force; left: not).
    pub fn flags_now<'a>(&'a self, f: &'a Findings) -> HashSet<(&'a str, FlagKind)> {
        let mut now: HashSet<(&str, FlagKind)> = f
            .schools
            .iter()
            .flat_map(|s| s.flags.iter().map(|fl| (s.school.id.as_str(), fl.kind)))
            .collect();
        let mut moved: HashSet<(&str, FlagKind)> = HashSet::new();
        for c in &self.flags {
            let key = (c.school.as_str(), c.kind);
            if !moved.insert(key) {
                continue;
            }
            match c.movement {
                Movement::Entered | Movement::Stays => now.insert(key),
                Movement::Left => now.remove(&key),
            };
        }
        now
    }

    /// The interim ОИП of each school (the first, as a scan would find), looked up per school
    /// by `analyse` and the report: a scan per school is quadratic at national scale.
    pub fn oip_by_school(&self) -> HashMap<&str, &InterimOip> {
        let mut m = HashMap::with_capacity(self.oip.len());
        for o in &self.oip {
            m.entry(o.school.as_str()).or_insert(o);
        }
        m
    }
}

/// The program's schools by default: those with any of `program_flags` in the baseline.
pub fn program_schools(f: &Findings, p: &Progress) -> Vec<String> {
    let mut v: Vec<String> = f
        .schools
        .iter()
        .filter(|s| {
            s.flags.iter().any(|fl| {
                p.program_flags
                    .iter()
                    .any(|l| l.trim().to_lowercase() == fl.kind.label().to_lowercase())
            })
        })
        .map(|s| s.school.id.clone())
        .collect();
    v.sort();
    v
}

/// Runs the whole of docs/method.md §5. `cfg` is the baseline's methodology (bars, clusters, points);
/// `progress` the current `[progress]` settings; `olympiad_now` the interim olympiad figures.
pub fn analyse(
    f: &Findings,
    cfg: &Config,
    progress: &Progress,
    interim: &Interim,
    olympiad_now: &[OlympiadSummary],
    targets: &[Target],
) -> ProgressFindings {
    let oip = interim_oip(f, cfg, &interim.raw);
    let oip_map: BTreeMap<String, Option<f64>> =
        oip.iter().map(|o| (o.school.clone(), o.value)).collect();
    let changes = compare(
        f,
        &cfg.indicators,
        interim,
        &oip_map,
        progress,
        &cfg.uncertainty.sd,
    );
    let flags = flag_changes(
        f,
        cfg,
        progress,
        &oip,
        &interim.isb,
        &interim.proc_stats,
        &changes,
    );
    let program = program_schools(f, progress);
    let mut pf = ProgressFindings {
        baseline_year: f.year,
        year: interim.year,
        changes,
        oip,
        isb: interim.isb.clone(),
        flags,
        targets: Vec::new(),
        program,
        recommendations: Vec::new(),
    };
    // Looked up per school: a scan per school is quadratic (40,000 schools took minutes).
    let flags_now = pf.flags_now(f);
    let oip_of = pf.oip_by_school();
    let schools: Vec<SchoolNow> = f
        .schools
        .iter()
        .map(|s| {
            let id = &s.school.id;
            let oip_now = oip_of
                .get(id.as_str())
                .and_then(|o| o.value)
                .or_else(|| s.oip_in(f.year));
            SchoolNow {
                id: id.clone(),
                oip: oip_now,
                isb: interim
                    .isb
                    .get(id)
                    .copied()
                    .or(s.isb.as_ref().map(|i| i.value)),
                shnor: flags_now.contains(&(id.as_str(), FlagKind::Shnor)),
            }
        })
        .collect();
    let olympiad_base: Vec<OlympiadSummary> = f
        .schools
        .iter()
        .flat_map(|s| s.olympiad.iter().cloned())
        .collect();
    let inputs = TargetInputs {
        year: interim.year,
        base_year: f.year,
        schools,
        program: pf.program.clone(),
        oip_threshold: cfg.oip.program_threshold,
        isb_threshold: f.isb_threshold.as_ref().map(|t| t.value),
        olympiad_now,
        olympiad_base: &olympiad_base,
        stats_now: &interim.proc_stats,
        stats_base: &f.proc_stats,
        tolerance: progress.target_tolerance,
    };
    pf.targets = evaluate(targets, &inputs);
    let entered: BTreeSet<(String, FlagKind)> = pf
        .flags
        .iter()
        .filter(|c| c.movement == Movement::Entered)
        .map(|c| (c.school.clone(), c.kind))
        .collect();
    pf.recommendations = recommend(f, cfg, &entered, &pf.changes);
    pf
}
