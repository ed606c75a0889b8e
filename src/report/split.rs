//! Reports of a large input in parts (docs/outputs.md «Отчёт по частям»): a summary workbook
//! and one workbook per municipality (or region), each small enough to open in seconds,
//! instead of one workbook of tens of thousands of rows no spreadsheet program opens.
//! Presentation only: a part's workbook shows the findings of its schools as judged over the
//! whole input (clusters, thresholds and cluster values are the whole input's).

use crate::judge::{Findings, FlagKind};
use crate::model::School;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// How the report is divided (`identify --split`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Split {
    /// By municipality when the input has more than `AUTO_ABOVE` schools of more than one
    /// municipality; one workbook otherwise.
    #[default]
    Auto,
    None,
    Municipality,
    Region,
}

/// Schools above which `Auto` splits: a workbook of 300 schools is a few MB and opens in
/// seconds; a region's 2,000 is tens of MB.
pub const AUTO_ABOVE: usize = 300;

/// What a split is by, resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum By {
    Municipality,
    Region,
}

impl By {
    /// Folder of the part workbooks, beside the summary workbook.
    pub fn folder(self, year: crate::model::Year) -> String {
        match self {
            By::Municipality => format!("identify-{year}-муниципалитеты"),
            By::Region => format!("identify-{year}-регионы"),
        }
    }

    /// «Муниципалитет» / «Регион»: the column heading.
    pub fn label(self) -> &'static str {
        match self {
            By::Municipality => "Муниципалитет",
            By::Region => "Регион",
        }
    }

    fn key(self, s: &School) -> Option<&str> {
        match self {
            By::Municipality => s.municipality.as_deref(),
            By::Region => s.region.as_deref(),
        }
        .map(str::trim)
        .filter(|k| !k.is_empty())
    }

    /// The name of the part a school belongs to. Municipality names repeat from region to
    /// region (many regions have a «Центральный район»), so when the schools come from more
    /// than one region a municipality is named with its region: «Регион — Муниципалитет».
    fn part_name(self, s: &School, with_region: bool) -> String {
        let own = self.key(s).unwrap_or(UNNAMED);
        match (self, with_region, By::Region.key(s)) {
            (By::Municipality, true, Some(r)) => format!("{r} — {own}"),
            _ => own.to_string(),
        }
    }
}

/// Whether the schools come from more than one region.
fn several_regions<'a>(schools: impl Iterator<Item = &'a School>) -> bool {
    let mut regions = schools.filter_map(|s| By::Region.key(s));
    regions
        .next()
        .is_some_and(|first| regions.any(|r| r != first))
}

/// Schools without a municipality (or region) in the registry form a part of their own.
const UNNAMED: &str = "Без указания";

/// One part: its name, the file of its workbook (inside `By::folder`) and its schools (indices
/// into `Findings::schools`).
#[derive(Clone, Debug, PartialEq)]
pub struct Part {
    pub name: String,
    pub file: String,
    pub schools: Vec<usize>,
}

/// A line of the summary's table of parts.
#[derive(Clone, Debug, PartialEq)]
pub struct PartRow {
    pub name: String,
    /// Path of the part's workbook relative to the summary workbook.
    pub file: String,
    pub schools: usize,
    /// Schools on each list, in `format::FLAG_ORDER`.
    pub flagged: [usize; 4],
    /// Median ОИП of the identify year over the part's schools with an ОИП.
    pub median_oip: Option<f64>,
}

/// How to split `f`, or why not: `Ok(None)` for one workbook; `Err` for a split asked for
/// that the data cannot give (no region in the registry).
///
/// # Errors
/// A Russian message when `--split region` is asked and no school has a region.
pub fn plan(split: Split, f: &Findings) -> Result<Option<(By, Vec<Part>)>, String> {
    let by = match split {
        Split::None => return Ok(None),
        Split::Municipality => By::Municipality,
        Split::Region => By::Region,
        Split::Auto => {
            if f.schools.len() <= AUTO_ABOVE {
                return Ok(None);
            }
            By::Municipality
        }
    };
    if by == By::Region && f.schools.iter().all(|s| by.key(&s.school).is_none()) {
        return Err(
            "--split region: ни у одной школы не указан регион — в реестре нужен \
                    столбец «Субъект РФ» (или «Регион»); разделите отчёт по муниципалитетам \
                    (--split municipality) или добавьте столбец в реестр"
                .into(),
        );
    }
    let with_region = several_regions(f.schools.iter().map(|s| &s.school));
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, s) in f.schools.iter().enumerate() {
        groups
            .entry(by.part_name(&s.school, with_region))
            .or_default()
            .push(i);
    }
    // One part is one workbook: nothing to split (said by the caller).
    if groups.len() < 2 {
        return Ok(None);
    }
    let mut used = BTreeSet::new();
    let parts = groups
        .into_iter()
        .map(|(name, schools)| {
            let file = unique_file(&name, &mut used);
            Part {
                name,
                file,
                schools,
            }
        })
        .collect();
    Ok(Some((by, parts)))
}

/// A file name from a part's name: characters no file system takes replaced, cut to 100
/// characters, made unique (case-insensitively: Windows shares) by a number.
fn unique_file(name: &str, used: &mut BTreeSet<String>) -> String {
    let clean: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .take(100)
        .collect();
    let clean = clean.trim().trim_matches('.').trim();
    let base = if clean.is_empty() {
        "часть"
    } else {
        clean
    };
    let mut file = format!("{base}.xlsx");
    let mut n = 2;
    while !used.insert(file.to_lowercase()) {
        file = format!("{base} ({n}).xlsx");
        n += 1;
    }
    file
}

/// Where each part's rows lie in the whole findings, found in one pass over them: a
/// country's 1,000 parts must not each scan millions of raw values.
pub struct PartRows {
    raw: Vec<Vec<usize>>,
    proc_stats: Vec<Vec<usize>>,
    objectivity: Vec<Vec<usize>>,
    /// Procedure statistics of no school (the whole input's): in every part.
    shared_proc: Vec<usize>,
}

impl PartRows {
    pub fn new(f: &Findings, parts: &[Part]) -> PartRows {
        let mut part_of: HashMap<&str, usize> = HashMap::new();
        for (k, p) in parts.iter().enumerate() {
            for &i in &p.schools {
                part_of.insert(f.schools[i].school.id.as_str(), k);
            }
        }
        let spread = |ids: &mut dyn Iterator<Item = Option<&str>>| {
            let mut by = vec![Vec::new(); parts.len()];
            let mut none = Vec::new();
            for (j, id) in ids.enumerate() {
                match id {
                    Some(id) => {
                        if let Some(&k) = part_of.get(id) {
                            by[k].push(j);
                        }
                    }
                    None => none.push(j),
                }
            }
            (by, none)
        };
        let (raw, _) = spread(&mut f.raw.iter().map(|r| Some(r.school.as_str())));
        let (proc_stats, shared_proc) =
            spread(&mut f.proc_stats.iter().map(|p| p.school.as_deref()));
        let (objectivity, _) = spread(&mut f.objectivity.iter().map(|o| Some(o.school.as_str())));
        PartRows {
            raw,
            proc_stats,
            objectivity,
            shared_proc,
        }
    }
}

/// The findings of part `k`: its schools with their indicators, procedure statistics and
/// signs; clusters, cluster values, thresholds and the whole input's statistics kept as
/// they are (they are what the part's schools were judged against).
pub fn part_findings(f: &Findings, parts: &[Part], rows: &PartRows, k: usize) -> Findings {
    let pick = |idx: &[usize]| idx.to_vec();
    let mut proc = pick(&rows.proc_stats[k]);
    proc.extend(&rows.shared_proc);
    // The whole input's order, as in one workbook.
    proc.sort_unstable();
    Findings {
        year: f.year,
        years: f.years.clone(),
        schools: parts[k]
            .schools
            .iter()
            .map(|&i| f.schools[i].clone())
            .collect(),
        clusters: f.clusters.clone(),
        cluster_values: f.cluster_values.clone(),
        isb_threshold: f.isb_threshold.clone(),
        proc_stats: proc.iter().map(|&j| f.proc_stats[j].clone()).collect(),
        raw: rows.raw[k].iter().map(|&j| f.raw[j].clone()).collect(),
        shrink: f.shrink,
        context: f.context.clone(),
        coverage: f.coverage.clone(),
        objectivity: rows.objectivity[k]
            .iter()
            .map(|&j| f.objectivity[j].clone())
            .collect(),
        objectivity_checked: f.objectivity_checked.clone(),
    }
}

/// The previous December's lists of the same part (by the same municipality or region), so
/// that «who entered and who left» is about this part's schools only. Only the year and the
/// schools are read from a previous baseline (`format::list_changes`); the rest is left
/// empty rather than copied a thousand times. A school matches a part named with its region
/// or without it (`By::part_name`).
pub fn part_previous(prev: &Findings, by: By, name: &str) -> Findings {
    Findings {
        year: prev.year,
        years: prev.years.clone(),
        schools: prev
            .schools
            .iter()
            .filter(|s| {
                by.part_name(&s.school, true) == name || by.part_name(&s.school, false) == name
            })
            .cloned()
            .collect(),
        clusters: Vec::new(),
        cluster_values: Vec::new(),
        isb_threshold: prev.isb_threshold.clone(),
        proc_stats: Vec::new(),
        raw: Vec::new(),
        shrink: prev.shrink,
        context: prev.context.clone(),
        coverage: Vec::new(),
        objectivity: Vec::new(),
        objectivity_checked: prev.objectivity_checked.clone(),
    }
}

/// The summary's line of a part.
pub fn row(f: &Findings, by: By, part: &Part) -> PartRow {
    let flagged = crate::report::format::FLAG_ORDER.map(|k: FlagKind| {
        part.schools
            .iter()
            .filter(|&&i| f.schools[i].flag(k).is_some())
            .count()
    });
    let mut oip: Vec<f64> = part
        .schools
        .iter()
        .filter_map(|&i| f.schools[i].oip_in(f.year))
        .collect();
    oip.sort_by(f64::total_cmp);
    let median_oip = match oip.len() {
        0 => None,
        n if n % 2 == 1 => Some(oip[n / 2]),
        n => Some(0.5 * (oip[n / 2 - 1] + oip[n / 2])),
    };
    PartRow {
        name: part.name.clone(),
        file: format!("{}/{}", by.folder(f.year), part.file),
        schools: part.schools.len(),
        flagged,
        median_oip,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testdata;

    #[test]
    fn auto_splits_only_a_large_input_of_several_municipalities() {
        let mut f = testdata::findings();
        f.schools[0].school.municipality = Some("Северный район".into());
        assert_eq!(
            plan(Split::Auto, &f),
            Ok(None),
            "{} schools",
            f.schools.len()
        );
        let one = f.schools[1].clone();
        while f.schools.len() <= AUTO_ABOVE {
            f.schools.push(one.clone());
        }
        let (by, parts) = plan(Split::Auto, &f).unwrap().unwrap();
        assert_eq!(by, By::Municipality);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].schools, [0]);
        assert_eq!(parts[1].schools.len(), AUTO_ABOVE);
        // One municipality: one workbook, whatever is asked.
        f.schools[0].school.municipality = Some("Энский район".into());
        assert_eq!(plan(Split::Municipality, &f), Ok(None));
        // No region anywhere: a clear refusal; a school without one forms «Без указания».
        let e = plan(Split::Region, &f).unwrap_err();
        assert!(e.contains("«Субъект РФ»"), "{e}");
        f.schools[0].school.region = Some("Энская область".into());
        let (_, parts) = plan(Split::Region, &f).unwrap().unwrap();
        let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Без указания", "Энская область"]);
    }

    #[test]
    fn a_part_keeps_its_schools_and_the_whole_input_statistics() {
        let mut f = testdata::findings();
        f.schools[0].school.municipality = Some("Северный район".into());
        // A value of each of two schools: the part keeps its own and leaves the other out.
        for s in [0, 1] {
            f.raw.push(crate::measure::RawIndicator {
                school: f.schools[s].school.id.clone(),
                year: 2025,
                indicator: "vpr".into(),
                value: 3.5,
                n: 20,
                sd: None,
            });
        }
        let (by, parts) = plan(Split::Municipality, &f).unwrap().unwrap();
        let rows = PartRows::new(&f, &parts);
        let north = part_findings(&f, &parts, &rows, 0);
        assert_eq!(north.schools.len(), 1);
        // testdata: one statistic of school 01 and one of the whole input (school None).
        let id = f.schools[0].school.id.as_str();
        assert!(
            north
                .proc_stats
                .iter()
                .all(|p| p.school.as_deref().is_none_or(|s| s == id))
        );
        assert!(north.proc_stats.iter().any(|p| p.school.is_none()));
        assert_eq!(north.cluster_values, f.cluster_values);
        let own = |r: &&crate::measure::RawIndicator| r.school == id;
        assert!(
            f.raw.iter().any(|r| !own(&r)),
            "testdata has other schools' values"
        );
        assert_eq!(
            north.raw,
            f.raw.iter().filter(own).cloned().collect::<Vec<_>>()
        );
        let rest = part_findings(&f, &parts, &rows, 1);
        assert_eq!(north.raw.len() + rest.raw.len(), f.raw.len());
        let prev = part_previous(&f, by, "Северный район");
        assert_eq!(prev.schools.len(), 1);
        let r = row(&f, by, &parts[0]);
        assert_eq!(r.file, "identify-2025-муниципалитеты/Северный район.xlsx");
        assert_eq!(r.median_oip, f.schools[0].oip_in(2025));
    }

    #[test]
    fn same_named_municipalities_of_two_regions_are_two_parts() {
        let mut f = testdata::findings();
        assert!(f.schools.len() >= 3, "testdata has three schools or more");
        for (i, s) in f.schools.iter_mut().enumerate() {
            s.school.municipality = Some("Центральный район".into());
            s.school.region = Some(
                if i == 0 {
                    "Северная область"
                } else {
                    "Южный край"
                }
                .into(),
            );
        }
        let (by, parts) = plan(Split::Municipality, &f).unwrap().unwrap();
        let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Северная область — Центральный район",
                "Южный край — Центральный район"
            ]
        );
        assert_eq!(parts[0].schools, [0]);
        assert_eq!(parts[1].schools.len(), f.schools.len() - 1);
        let prev = part_previous(&f, by, "Северная область — Центральный район");
        assert_eq!(prev.schools.len(), 1);
        // One region: municipalities keep their own names.
        for s in &mut f.schools {
            s.school.region = Some("Южный край".into());
        }
        f.schools[0].school.municipality = Some("Северный район".into());
        let (_, parts) = plan(Split::Municipality, &f).unwrap().unwrap();
        let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Северный район", "Центральный район"]);
    }

    #[test]
    fn file_names_are_cleaned_and_unique() {
        let mut used = BTreeSet::new();
        assert_eq!(
            unique_file("Город N/Район", &mut used),
            "Город N_Район.xlsx"
        );
        assert_eq!(
            unique_file("город n/район", &mut used),
            "город n_район (2).xlsx"
        );
        assert_eq!(unique_file("...", &mut used), "часть.xlsx");
        assert_eq!(
            unique_file(&"Я".repeat(300), &mut used).chars().count(),
            105
        );
    }
}
