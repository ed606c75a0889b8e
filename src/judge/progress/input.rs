//! What `progress` compares (docs/method.md §5): the interim year's records only, school keys
//! resolved by the baseline's registry, measured into an [`Interim`]; and the checks that the
//! comparison is made by one methodology. Pure: `cmd/progress.rs` loads the files.

use super::dynamics::Interim;
use crate::config::Config;
use crate::judge::Findings;
use crate::measure::OlympiadSummary;
use crate::model::{Dataset, Issue, Origin, Severity, Year};
use std::collections::{BTreeMap, BTreeSet};

/// Checks the `[progress]` settings; the error is the message for the analyst.
///
/// # Errors
/// A level of significance outside (0, 1), a negative margin, a tolerance outside [0, 1).
pub fn check_settings(cfg: &Config) -> Result<(), String> {
    let p = &cfg.progress;
    if !(p.alpha > 0.0 && p.alpha < 1.0) {
        return Err(
            "progress.alpha: уровень значимости должен быть между 0 и 1 (0.05 = 95 %)".into(),
        );
    }
    if !(p.leave_margin >= 0.0 && p.leave_margin_isb >= 0.0) {
        return Err("progress.leave_margin: запас не может быть отрицательным".into());
    }
    if !(0.0..1.0).contains(&p.target_tolerance) {
        return Err("progress.target_tolerance: допуск — доля от 0 до 1 (0.1 = 10 %)".into());
    }
    Ok(())
}

/// Checks that a baseline can be compared against: it lists schools, its methodology passes
/// the checks of a configuration file, and its frozen ИСБ threshold and its schools' ОИП and
/// ИСБ lie within their scales (a hand-edited or damaged file would otherwise move flags
/// silently). The error is the reason, in Russian.
///
/// # Errors
/// The first thing that does not fit.
pub fn check_baseline(f: &Findings, cfg: &Config) -> Result<(), String> {
    if f.schools.is_empty() {
        return Err("в нём нет ни одной школы".into());
    }
    cfg.validate()
        .map_err(|e| format!("ошибка в настройках, записанных в снимке: {e:#}"))?;
    let isb_scale = 0.0..=100.0;
    if let Some(t) = &f.isb_threshold
        && !isb_scale.contains(&t.value)
    {
        return Err(format!(
            "порог ИСБ {} вне шкалы ИСБ (от 0 до 100)",
            shown(t.value)
        ));
    }
    // ОИП = scale × weighted mean of points 1–5.
    let top = 5.0 * cfg.oip.scale;
    for s in &f.schools {
        for o in &s.oip {
            if let Some(v) = o.value
                && !(0.0..=top).contains(&v)
            {
                return Err(format!(
                    "ОИП школы {} за {} год — {}, вне шкалы ОИП (от 0 до {top})",
                    s.school.id,
                    o.year,
                    shown(v)
                ));
            }
        }
        if let Some(i) = &s.isb
            && !isb_scale.contains(&i.value)
        {
            return Err(format!(
                "ИСБ школы {} — {}, вне шкалы ИСБ (от 0 до 100)",
                s.school.id,
                shown(i.value)
            ));
        }
    }
    Ok(())
}

/// A number as the analyst can read it: −1e308, not 309 digits.
fn shown(v: f64) -> String {
    if v.is_finite() && v.abs() >= 1e15 {
        format!("{v:e}")
    } else {
        v.to_string()
    }
}

/// Names the top-level sections of the methodology that differ between two configs.
pub fn methodology_diff(a: &Config, b: &Config) -> Vec<&'static str> {
    let g = |c: &Config| {
        (
            c.general.min_n,
            c.general.pool_years,
            c.general.years_judged,
        )
    };
    [
        ("general", g(a) != g(b)),
        ("indicators", a.indicators != b.indicators),
        ("points", a.points != b.points),
        ("oip", a.oip != b.oip),
        ("federal", a.federal != b.federal),
        ("risk", a.risk != b.risk),
        ("isb", a.isb != b.isb),
        ("clusters", a.clusters != b.clusters),
    ]
    .into_iter()
    .filter_map(|(name, differs)| differs.then_some(name))
    .collect()
}

/// Leaves out records outside the interim year: the baseline year and earlier are already in
/// the baseline (only the contingent of the baseline year is kept, for the retention of
/// grade 10), later years belong to a later baseline. One issue per file and year.
pub fn keep_interim(ds: &mut Dataset, baseline_year: Year) -> Vec<Issue> {
    let year = baseline_year + 1;
    let mut dropped: BTreeMap<(String, Year), usize> = BTreeMap::new();
    let mut note =
        |o: &Origin, y: Year, n: usize| *dropped.entry((o.file.to_string(), y)).or_default() += n;
    ds.results.retain(|r| {
        r.year == year || {
            note(&r.origin, r.year, 1);
            false
        }
    });
    ds.olympiad.retain(|r| {
        r.year == year || {
            note(&r.origin, r.year, r.entries.len());
            false
        }
    });
    ds.passports.retain(|r| {
        r.year == year || {
            note(&r.origin, r.year, 1);
            false
        }
    });
    ds.contingent.retain(|r| {
        r.year == year || r.year == baseline_year || {
            note(&r.origin, r.year, 1);
            false
        }
    });
    dropped
        .into_iter()
        .map(|((file, y), rows)| {
            let why = if y <= baseline_year {
                format!(
                    "данные за {y} год — это год базового снимка ({baseline_year}) или раньше, они уже учтены в нём"
                )
            } else {
                format!("данные за {y} год — позже промежуточного {year} года; нужен новый базовый снимок")
            };
            Issue {
                severity: Severity::Rejected,
                origin: Origin {
                    file: file.into(),
                    sheet: None,
                    row: 0,
                },
                column: None,
                value: Some(y.to_string()),
                message: format!(
                    "{why}; в сравнение не взяты строки: {rows}. Для промежуточного мониторинга нужны данные {}/{} учебного года.",
                    year - 1,
                    year % 100
                ),
            }
        })
        .collect()
}

/// Whether anything of the interim `year` is left to compare (after [`keep_interim`]).
pub fn has_interim_data(ds: &Dataset, year: Year) -> bool {
    !(ds.results.is_empty()
        && ds.olympiad.is_empty()
        && ds.passports.is_empty()
        && !ds.contingent.iter().any(|c| c.year == year))
}

/// The reader's warning that without a registry all schools form one cluster: in `progress`
/// the clusters come from the baseline, so it does not apply.
fn is_no_registry_warning(i: &Issue) -> bool {
    i.severity == Severity::Warning
        && i.origin.file.is_empty()
        && i.message.starts_with("реестр школ не найден")
}

/// Interim folders rarely hold the registry, and without one the readers keep every school
/// key as written — a ФИС ОКО login of a КДР in the ВПР form, a РЦОИ code of a trial ОГЭ —
/// so it would match no school of the baseline. When the interim data had no registry, such
/// keys are resolved through the registry the baseline was made with (Код ОО and «Другие
/// коды ОО») and the reader's no-registry warning is dropped. Returns `None` when the interim
/// data had a registry, else how many distinct keys were resolved through other codes.
///
/// # Errors
/// When the baseline's registry repeats a Код ОО (it cannot: identify refuses such a registry).
pub fn adopt_baseline_registry(ds: &mut Dataset, f: &Findings) -> anyhow::Result<Option<usize>> {
    if !ds.issues.iter().any(is_no_registry_warning) {
        return Ok(None);
    }
    ds.issues.retain(|i| !is_no_registry_warning(i));
    let schools: Vec<crate::model::School> = f.schools.iter().map(|s| s.school.clone()).collect();
    let origins = vec![Origin::default(); schools.len()];
    let index = crate::normalize::Index::build(&schools, &origins)?;
    let mut keys = BTreeSet::new();
    let mut fix = |k: &mut String| {
        if let Some(id) = index.resolve(k)
            && id != k.as_str()
        {
            keys.insert(std::mem::replace(k, id.to_string()));
        }
    };
    ds.results.iter_mut().for_each(|r| fix(&mut r.school));
    ds.olympiad.iter_mut().for_each(|r| fix(&mut r.school));
    ds.passports.iter_mut().for_each(|r| fix(&mut r.school));
    ds.contingent.iter_mut().for_each(|r| fix(&mut r.school));
    Ok(Some(keys.len()))
}

/// Measures the interim dataset of `year` with the baseline's methodology `cfg`: the
/// [`Interim`] and the interim olympiad figures.
pub fn measure_interim(ds: &Dataset, cfg: &Config, year: Year) -> (Interim, Vec<OlympiadSummary>) {
    let raw = crate::measure::indicators(ds, cfg)
        .into_iter()
        .filter(|r| r.year == year)
        .collect();
    let proc_stats = crate::measure::procedure_stats(ds)
        .into_iter()
        .filter(|p| p.year == year && p.school.is_some())
        .collect();
    let olympiad = crate::measure::olympiad(ds)
        .into_iter()
        .filter(|o| o.year == year)
        .collect();
    // ИСБ as `identify` computes it.
    let isb_now = ds
        .passports
        .iter()
        .filter(|p| p.year == year)
        .filter_map(|p| crate::judge::isb::isb(p, &cfg.isb).map(|v| (p.school.clone(), v.value)))
        .collect();
    let schools: BTreeSet<String> = ds
        .results
        .iter()
        .map(|r| r.school.clone())
        .chain(ds.olympiad.iter().map(|o| o.school.clone()))
        .chain(ds.passports.iter().map(|p| p.school.clone()))
        .chain(
            ds.contingent
                .iter()
                .filter(|c| c.year == year)
                .map(|c| c.school.clone()),
        )
        .collect();
    (
        Interim {
            year,
            raw,
            proc_stats,
            isb: isb_now,
            schools,
        },
        olympiad,
    )
}

/// Who the comparison covers: interim schools missing from the baseline (left out), and how
/// many baseline schools have no interim data.
pub fn coverage<'a>(f: &Findings, interim: &'a Interim) -> (Vec<&'a str>, usize) {
    let known: BTreeSet<&str> = f.schools.iter().map(|s| s.school.id.as_str()).collect();
    let strangers = interim
        .schools
        .iter()
        .map(String::as_str)
        .filter(|s| !known.contains(s))
        .collect();
    let missing = known
        .iter()
        .filter(|s| !interim.schools.contains(**s))
        .count();
    (strangers, missing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Contingent, OlympiadRows, Stage, Status};

    #[test]
    fn methodology_diff_names_sections() {
        let a = Config::default();
        let mut b = Config::default();
        b.oip.shnor_bar = 13.0;
        b.progress.alpha = 0.01; // not methodology of the baseline
        assert_eq!(methodology_diff(&a, &b), ["oip"]);
    }

    #[test]
    fn earlier_years_are_left_out_with_a_message() {
        let origin = |f: &str| Origin {
            file: f.into(),
            sheet: None,
            row: 2,
        };
        let entry = |year, f: &str| {
            let row = (Stage::Municipal, Some(8), Status::Participant);
            OlympiadRows::one(year, "ОО-1", row, "1", origin(f))
        };
        let cont = |year| Contingent {
            year,
            school: "ОО-1".into(),
            grade: 9,
            students: 20,
            origin: origin("контингент.csv"),
        };
        let mut ds = Dataset {
            olympiad: vec![
                entry(2025, "всош-2024-25.csv"),
                entry(2025, "всош-2024-25.csv"),
                entry(2026, "всош.csv"),
            ],
            contingent: vec![cont(2024), cont(2025), cont(2026)],
            ..Dataset::default()
        };
        let issues = keep_interim(&mut ds, 2025);
        assert_eq!(ds.olympiad.len(), 1);
        assert_eq!(ds.olympiad[0].year, 2026);
        // The baseline year's contingent stays (retention needs grade 9 of 2025).
        assert_eq!(
            ds.contingent.iter().map(|c| c.year).collect::<Vec<_>>(),
            [2025, 2026]
        );
        assert_eq!(issues.len(), 2);
        let olymp = issues
            .iter()
            .find(|i| &*i.origin.file == "всош-2024-25.csv")
            .unwrap();
        assert_eq!(olymp.severity, Severity::Rejected);
        assert!(
            olymp
                .message
                .contains("год базового снимка (2025) или раньше"),
            "{}",
            olymp.message
        );
        assert!(olymp.message.contains("строки: 2"), "{}", olymp.message);
        assert!(has_interim_data(&ds, 2026));
    }
}
