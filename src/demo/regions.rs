//! How the demo's schools are laid out: up to 3,560 schools are one region (municipalities of
//! the 40-place pattern, codes as in the committed demo); more are several regions of 2,000
//! schools (50 municipalities) each, municipalities numbered within their region, every code
//! carrying the region's code so that it is unique across the country. Each region's files go
//! into a folder of its own (real exports come from each region's РЦОИ and ФИС ОКО account).

use super::plan::DemoOptions;
use std::ops::Range;

/// Places of the municipality pattern (schools per municipality).
pub const PLACES: usize = 40;
/// The most schools in one region: 89 municipalities with codes 11–99 keep Код ОО at four
/// digits, distinct from the five-digit РЦОИ codes.
pub const ONE_REGION_MAX: usize = 3560;
/// Schools per region above [`ONE_REGION_MAX`]: 50 municipalities.
pub const REGION_SCHOOLS: usize = 2000;
/// The most schools of a demo: about the whole country.
pub const MAX_SCHOOLS: usize = 40_000;

/// Invented region names (the data and people are invented too); more regions are numbered.
const NAMES: [&str; 20] = [
    "Приозёрная область",
    "Степной край",
    "Северная область",
    "Лесогорская область",
    "Среднереченская область",
    "Верхнедольская область",
    "Белоярский край",
    "Краснохолмская область",
    "Светлогорская область",
    "Медногорский край",
    "Каменноостровская область",
    "Заозёрная область",
    "Солнечнодольская область",
    "Долинный край",
    "Предгорная область",
    "Семиреченская область",
    "Тихоозёрная область",
    "Широколесская область",
    "Малореченский край",
    "Высокогорская область",
];

/// How the demo's schools fall into regions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    pub schools: usize,
    /// Schools per region (the last region may have fewer); a multiple of [`PLACES`] when
    /// there are several regions.
    pub per_region: usize,
}

impl Layout {
    /// The layout of `opts`: one region up to [`ONE_REGION_MAX`] schools, else regions of
    /// [`REGION_SCHOOLS`] (`opts.region_schools` overrides it, for small tests).
    ///
    /// # Panics
    /// When `opts.region_schools` is not a positive multiple of [`PLACES`] up to
    /// [`ONE_REGION_MAX`].
    pub fn of(opts: &DemoOptions) -> Layout {
        let per_region = match opts.region_schools {
            Some(r) => {
                assert!(
                    r > 0 && r % PLACES == 0 && r <= ONE_REGION_MAX,
                    "region_schools {r}: a multiple of {PLACES} up to {ONE_REGION_MAX}"
                );
                r
            }
            None if opts.schools <= ONE_REGION_MAX => opts.schools.max(1),
            None => REGION_SCHOOLS,
        };
        Layout {
            schools: opts.schools,
            per_region,
        }
    }

    /// Number of regions.
    pub fn regions(&self) -> usize {
        self.schools.div_ceil(self.per_region).max(1)
    }

    /// Whether the demo has several regions (then codes carry the region code, the registry
    /// names each school's region and each region's files go into its own folder).
    pub fn split(&self) -> bool {
        self.regions() > 1
    }

    /// Indices (in [`super::plan::schools`] order) of region `r`'s schools.
    pub fn range(&self, r: usize) -> Range<usize> {
        let start = r * self.per_region;
        start..(start + self.per_region).min(self.schools)
    }

    /// (region, municipality within the region, place in the pattern) of school `k`.
    pub fn locate(&self, k: usize) -> (usize, usize, usize) {
        let (r, within) = (k / self.per_region, k % self.per_region);
        (r, within / PLACES, within % PLACES)
    }
}

/// Region code of region `r` (0-based): 11, 12, … — two digits without a leading zero, which
/// code matching would drop (`000378` = `378`).
pub fn code(r: usize) -> usize {
    11 + r
}

/// Name of region `r` (0-based), as in the registry's «Субъект РФ».
pub fn name(r: usize) -> String {
    match NAMES.get(r) {
        Some(n) => n.to_string(),
        None => format!("Регион № {}", code(r)),
    }
}

/// Folder of region `r`'s files: its code and name, e.g. «11 Приозёрная область».
pub fn folder(r: usize) -> String {
    format!("{} {}", code(r), name(r))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::plan::{Role, schools};

    fn opts(schools: usize) -> DemoOptions {
        DemoOptions {
            schools,
            ..DemoOptions::default()
        }
    }

    /// A code as school matching compares it: a ФИС ОКО login without `sch`, no leading
    /// zeros (`sch220123` = `220123`, `000378` = `378`).
    fn matched_as(code: &str) -> &str {
        code.strip_prefix("sch")
            .unwrap_or(code)
            .trim_start_matches('0')
    }

    #[test]
    fn one_region_up_to_3560_schools_then_regions_of_2000() {
        assert_eq!(Layout::of(&opts(40)).regions(), 1);
        assert_eq!(Layout::of(&opts(3560)).regions(), 1);
        assert!(!Layout::of(&opts(3560)).split());
        // 3,561 = 2,000 + 1,561.
        let l = Layout::of(&opts(3561));
        assert_eq!(l.regions(), 2);
        assert_eq!(l.range(1), 2000..3561);
        // 40,000 = 20 × 2,000; 10,000 = 5 × 2,000.
        assert_eq!(Layout::of(&opts(40_000)).regions(), 20);
        assert_eq!(Layout::of(&opts(10_000)).regions(), 5);
        // School 2,345 = region 1 (second), 345th in it: municipality 8 (345 = 8 × 40 + 25).
        assert_eq!(l.locate(2345), (1, 8, 25));
    }

    /// The whole country: 40,000 plans with unique codes, logins and РЦОИ codes, 20 regions
    /// of 2,000 schools = 50 municipalities of 40, each with the pattern's planted roles.
    #[test]
    fn forty_thousand_plans_are_unique_and_add_up_by_region() {
        let all = schools(&opts(40_000));
        assert_eq!(all.len(), 40_000);
        let mut keys: Vec<&str> = all
            .iter()
            .flat_map(|x| [x.id.as_str(), x.login.as_str(), x.gia_code.as_str()])
            .map(matched_as)
            .collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), 3 * 40_000);
        let mut per_region = vec![0usize; 20];
        let mut munis = std::collections::BTreeSet::new();
        for s in &all {
            per_region[s.region] += 1;
            munis.insert((s.region, s.municipality.clone()));
        }
        assert_eq!(per_region, vec![2000; 20]);
        // 20 regions × 50 municipalities.
        assert_eq!(munis.len(), 1000);
        // Each municipality has the pattern: 2 ШНОР by ОИП + 1 federal = 3 per 40 schools.
        let shnor = all.iter().filter(|s| s.expected().shnor).count();
        assert_eq!(shnor, 1000 * 3);
        let fed = all.iter().filter(|s| s.role == Role::FederalShnor).count();
        assert_eq!(fed, 1000);
        // The last school: region 20 (code 30), municipality 50 (code 60), place 40.
        let last = all.last().unwrap();
        assert_eq!(
            (
                last.id.as_str(),
                last.login.as_str(),
                last.gia_code.as_str()
            ),
            ("306040", "sch3002000", "3060040")
        );
        assert_eq!(last.region, 19);
    }

    #[test]
    fn two_small_regions_number_municipalities_within_the_region() {
        let o = DemoOptions {
            schools: 160,
            region_schools: Some(80),
            ..DemoOptions::default()
        };
        let all = schools(&o);
        // School 81 is the first of region 2 (code 12): municipality 1 (code 11), place 1.
        let s = &all[80];
        assert_eq!(s.region, 1);
        assert_eq!(
            (s.id.as_str(), s.login.as_str(), s.gia_code.as_str()),
            ("121101", "sch1200001", "1211001")
        );
        assert_eq!(s.municipality, all[0].municipality);
        assert_eq!(name(1), "Степной край");
        assert_eq!(folder(0), "11 Приозёрная область");
        assert_eq!(name(25), "Регион № 36");
    }

    /// Cells of a workbook's first sheet as text.
    fn first_sheet(path: &std::path::Path) -> Vec<Vec<String>> {
        use calamine::Reader;
        let mut wb = calamine::open_workbook_auto(path).unwrap();
        let name = wb.sheet_names()[0].clone();
        let range = wb.worksheet_range(&name).unwrap();
        range
            .rows()
            .map(|r| r.iter().map(ToString::to_string).collect())
            .collect()
    }

    /// Two regions of 80 schools written: one registry naming each school's region, each
    /// region's ВПР in its own folder with only its own schools, codes unique across both.
    #[test]
    fn two_regions_are_written_apart() {
        let o = DemoOptions {
            schools: 160,
            region_schools: Some(80),
            years: 1,
            history: 0,
            ..DemoOptions::default()
        };
        let tmp = tempfile::tempdir().unwrap();
        let s = crate::demo::generate_into(tmp.path(), &o, &|_| {}).unwrap();
        assert_eq!(s.schools, 160);
        // Registry, targets, shnor.toml; per region 10 ВПР + 2 ОГЭ + ЕГЭ + ВсОШ + contingent
        // + passport = 16 files.
        assert_eq!(s.files, 3 + 2 * 16);
        let mut top: Vec<String> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        top.sort();
        assert_eq!(
            top,
            [
                "11 Приозёрная область",
                "12 Степной край",
                "shnor.toml",
                "реестр.xlsx",
                "целевые показатели.xlsx"
            ]
        );
        let reg = first_sheet(&tmp.path().join("реестр.xlsx"));
        assert_eq!(reg.len(), 161);
        assert_eq!(
            reg[0][..4],
            ["Код ОО", "Наименование ОО", "Субъект РФ", "Муниципалитет"]
        );
        let mut codes = std::collections::BTreeSet::new();
        for (i, row) in reg[1..].iter().enumerate() {
            let (want, prefix) = if i < 80 {
                ("Приозёрная область", "11")
            } else {
                ("Степной край", "12")
            };
            assert_eq!(row[2], want, "{row:?}");
            assert!(row[0].starts_with(prefix), "{row:?}");
            codes.insert(matched_as(&row[0]).to_string());
            // «Другие коды ОО»: the ФИС ОКО login and the РЦОИ code.
            for c in row[7].split("; ") {
                codes.insert(matched_as(c).to_string());
            }
        }
        assert_eq!(codes.len(), 3 * 160);
        // Each region's ВПР rows are of its own 80 schools only.
        let vpr = "Проведение работы по математике, 5 класс. ВПР 2025.xlsx";
        let mut logins_seen = 0;
        for (folder, prefix) in [
            ("11 Приозёрная область", "sch11"),
            ("12 Степной край", "sch12"),
        ] {
            let rows = first_sheet(&tmp.path().join(folder).join(vpr));
            let mut logins: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
            assert!(logins.iter().all(|l| l.starts_with(prefix)), "{folder}");
            logins.dedup();
            // НОШ (grades 1–4) write no Математика 5: 37 of the 40 places, twice.
            assert_eq!(logins.len(), 2 * 37, "{folder}");
            logins_seen += logins.len();
        }
        assert_eq!(logins_seen, 148);
    }

    /// The interim data of two regions: each region's КДР, ВсОШ, contingent and passport in
    /// its own folder, `shnor.toml` once.
    #[test]
    fn two_regions_interim_data_go_into_region_folders() {
        let o = DemoOptions {
            schools: 80,
            region_schools: Some(40),
            ..DemoOptions::default()
        };
        let tmp = tempfile::tempdir().unwrap();
        let w = crate::demo::interim::write_into(tmp.path(), &o).unwrap();
        // Per region: ВсОШ, contingent, 3 КДР, passport = 6; and shnor.toml.
        assert_eq!(w.files.len(), 2 * 6 + 1);
        let kdr = "КДР Математика 5 класс 2025-26.xlsx";
        for (folder, prefix) in [
            ("11 Приозёрная область", "sch11"),
            ("12 Степной край", "sch12"),
        ] {
            let rows = first_sheet(&tmp.path().join(folder).join(kdr));
            // A title row, an empty row, the heading, then participants.
            assert!(rows.len() > 3, "{folder}");
            assert!(
                rows[3..].iter().all(|r| r[0].starts_with(prefix)),
                "{folder}"
            );
        }
    }
}
