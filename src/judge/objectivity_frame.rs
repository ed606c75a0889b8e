//! The input-wide totals of docs/method.md §6.5, in polars: per ВПР work and year, Σ over
//! all schools of понизили / подтвердили / повысили and of the participants at and one point
//! below each mark boundary. Its own module so that polars' prelude never meets
//! `anyhow::Context`.

use polars::prelude::{IntoLazy, SortMultipleOptions, col, df};

/// One school's counts of one work (`work` indexes the caller's list of works).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WorkCounts {
    pub work: usize,
    /// ВПР mark below / equal to / above the journal mark.
    pub journal: [u32; 3],
    /// Participants at the boundary of «3», «4», «5», and one point below it.
    pub at: [u32; 3],
    pub below: [u32; 3],
}

/// Σ of every count per work over all schools; index = work (`works` of them, a work with
/// no row gets zeros).
///
/// # Errors
/// Only if polars fails on a well-formed frame (a bug).
pub fn input_totals(rows: &[WorkCounts], works: usize) -> anyhow::Result<Vec<WorkCounts>> {
    let mut out: Vec<WorkCounts> = (0..works)
        .map(|w| WorkCounts {
            work: w,
            ..WorkCounts::default()
        })
        .collect();
    if rows.is_empty() {
        return Ok(out);
    }
    let column = |f: &dyn Fn(&WorkCounts) -> u32| -> Vec<i64> {
        rows.iter().map(|r| i64::from(f(r))).collect()
    };
    let frame = df!(
        "work" => rows.iter().map(|r| r.work as i64).collect::<Vec<_>>(),
        "lowered" => column(&|r| r.journal[0]),
        "same" => column(&|r| r.journal[1]),
        "raised" => column(&|r| r.journal[2]),
        "at3" => column(&|r| r.at[0]),
        "at4" => column(&|r| r.at[1]),
        "at5" => column(&|r| r.at[2]),
        "below3" => column(&|r| r.below[0]),
        "below4" => column(&|r| r.below[1]),
        "below5" => column(&|r| r.below[2]),
    )?;
    const SUMS: [&str; 9] = [
        "lowered", "same", "raised", "at3", "at4", "at5", "below3", "below4", "below5",
    ];
    let summed = frame
        .lazy()
        .group_by([col("work")])
        .agg(SUMS.map(|c| col(c).sum()))
        .sort(["work"], SortMultipleOptions::default())
        .collect()?;
    let work = summed.column("work")?.i64()?;
    let sums = SUMS
        .iter()
        .map(|c| summed.column(c).and_then(|s| s.i64().cloned()))
        .collect::<Result<Vec<_>, _>>()?;
    for i in 0..summed.height() {
        let Some(w) = work.get(i).and_then(|w| usize::try_from(w).ok()) else {
            continue;
        };
        let v: Vec<u32> = sums
            .iter()
            .map(|s| s.get(i).map_or(0, |x| u32::try_from(x).unwrap_or(u32::MAX)))
            .collect();
        if let Some(t) = out.get_mut(w) {
            t.journal = [v[0], v[1], v[2]];
            t.at = [v[3], v[4], v[5]];
            t.below = [v[6], v[7], v[8]];
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_per_work_over_schools() {
        let rows = [
            WorkCounts {
                work: 1,
                journal: [3, 10, 7],
                at: [1, 11, 0],
                below: [2, 2, 0],
            },
            WorkCounts {
                work: 0,
                journal: [1, 1, 1],
                at: [0; 3],
                below: [0; 3],
            },
            WorkCounts {
                work: 1,
                journal: [5, 20, 1],
                at: [2, 4, 1],
                below: [3, 5, 1],
            },
        ];
        let t = input_totals(&rows, 3).unwrap();
        // Work 1: 3 + 5, 10 + 20, 7 + 1; at 1 + 2, 11 + 4, 0 + 1; below 2 + 3, 2 + 5, 0 + 1.
        assert_eq!(t[1].journal, [8, 30, 8]);
        assert_eq!(t[1].at, [3, 15, 1]);
        assert_eq!(t[1].below, [5, 7, 1]);
        assert_eq!(t[0].journal, [1, 1, 1]);
        // A work without rows: zeros.
        assert_eq!(
            t[2],
            WorkCounts {
                work: 2,
                ..WorkCounts::default()
            }
        );
    }
}
