//! The planted truth of the demo municipality: which schools exist, what kind they are, and
//! which flag each must get under the default methodology (docs/method.md §4). Kept as data so that
//! tests compare `identify`'s output with what was planted, not with the program's own output.
//!
//! A municipality is laid out from a fixed pattern of 40 places (four clusters of ≥ 5
//! schools plus three НОШ); `--schools 2000` repeats the pattern over 50 municipalities,
//! and above 3,560 schools over regions of 50 municipalities (`super::regions`).
//! Planted effects are relative to the school's own cluster (settlement × level), because
//! ОИП points are (docs/method.md §4.3).

use crate::model::Year;

/// Options of `shnor demo`.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoOptions {
    pub seed: u64,
    pub schools: usize,
    /// The latest judged year.
    pub year: Year,
    /// Judged years (the latest and the ones before it).
    pub years: u32,
    /// Extra earlier years of results written for pooling small schools.
    pub history: u32,
    /// Multiplier of class sizes of the schools that are not tiny (1 = the committed demo;
    /// 2.5 gives a region with the Russian average of ~50 participants per work and school).
    pub size: f64,
    /// Schools per region (a multiple of 40), for tests of the several-region layout on a
    /// few schools; `None`: one region up to 3,560 schools, else regions of 2,000
    /// ([`super::regions::Layout`]).
    pub region_schools: Option<usize>,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            seed: 1,
            schools: 40,
            year: 2025,
            years: 3,
            history: 2,
            size: 1.0,
            region_schools: None,
        }
    }
}

impl DemoOptions {
    /// Every year written, oldest first.
    pub fn all_years(&self) -> Vec<Year> {
        let first = self.year - (self.years + self.history) as Year + 1;
        (first..=self.year).collect()
    }

    /// The judged years, oldest first.
    pub fn judged_years(&self) -> Vec<Year> {
        let first = self.year - self.years as Year + 1;
        (first..=self.year).collect()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Settlement {
    City,
    Village,
}

impl Settlement {
    pub fn label(self) -> &'static str {
        match self {
            Settlement::City => "город",
            Settlement::Village => "село",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Nosh,
    Oosh,
    Sosh,
    Gymnasium,
    Lyceum,
    Uiop,
}

impl Level {
    pub fn label(self) -> &'static str {
        match self {
            Level::Nosh => "НОШ",
            Level::Oosh => "ООШ",
            Level::Sosh => "СОШ",
            Level::Gymnasium => "Гимназия",
            Level::Lyceum => "Лицей",
            Level::Uiop => "СОШ с УИОП",
        }
    }

    /// The highest grade taught.
    pub fn top_grade(self) -> u8 {
        match self {
            Level::Nosh => 4,
            Level::Oosh => 9,
            _ => 11,
        }
    }

    /// The cluster group of docs/method.md §4.1 (ООШ / СОШ / гимназия-лицей-УИОП; НОШ apart).
    pub fn group(self) -> Group {
        match self {
            Level::Nosh => Group::Primary,
            Level::Oosh => Group::Basic,
            Level::Sosh => Group::Secondary,
            Level::Gymnasium | Level::Lyceum | Level::Uiop => Group::Advanced,
        }
    }
}

/// Cluster group of a level: what the school's baseline results depend on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    Primary,
    Basic,
    Secondary,
    Advanced,
}

/// What was planted in a school.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// At its cluster's level (small persistent noise).
    Ordinary,
    /// Ordinary, with 2–9 students per grade: small-n indicators are pooled over years.
    Tiny,
    /// Every indicator ~20 % below the cluster in every year → ОИП < 14 in 3 of 3 years.
    LowShnor,
    /// ≥ 30 % «2» in ВПР Математика 6 (latest and previous year) and Русский язык 7 (latest).
    FederalShnor,
    /// Every indicator ~20 % below the cluster in the latest year only.
    RiskLatest,
    /// Share of «2» in ВПР Математика 5 (n ≈ 80) grows by ~20 p.p. in the latest year.
    RiskJump,
    /// Clearly low ИСБ, ordinary results.
    ShnsuClear,
    /// Moderately low ИСБ: below the lower quartile, which always takes ~25 % of schools.
    ShnsuQuartile,
    /// Low ИСБ and every indicator ~11 % above the cluster.
    Resilient,
}

/// Signs of non-objective ВПР results planted in the latest year (docs/method.md §6.5). They
/// change no flag and no mark count: the lists stay those of [`Role`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Objectivity {
    /// Every work: participants one or two points under the boundary of «4» (more for
    /// Русский язык) pulled up onto it, as many «4» from above it pushed down into «3».
    Peaks,
    /// ВПР marks far above the journal marks: 45 % of those with «3»–«5» got a journal mark
    /// one lower.
    Inflated,
}

impl Objectivity {
    /// The planted sign, in Russian (README, test messages).
    pub fn describe(self) -> &'static str {
        match self {
            Objectivity::Peaks => {
                "пики на границе «4» во всех работах ВПР последнего года (без изменения числа отметок)"
            }
            Objectivity::Inflated => {
                "ВПР выше журнала: у 45 % участников с «3»–«5» отметка за четверть на балл ниже (последний год)"
            }
        }
    }
}

/// The school a sign of §6.5 is planted in: two ordinary city СОШ of each municipality,
/// neither a listed case nor one of the interim changes (places 4 and 9).
pub fn objectivity(s: &SchoolPlan) -> Option<Objectivity> {
    match (s.place, s.role) {
        (7, Role::Ordinary) => Some(Objectivity::Peaks),
        (10, Role::Ordinary) => Some(Objectivity::Inflated),
        _ => None,
    }
}

/// Flags a school must get (columns of `schools.csv`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Expected {
    pub shnor: bool,
    pub shnsu: bool,
    pub risk: bool,
    pub resilient: bool,
}

impl Role {
    pub fn expected(self) -> Expected {
        let mut e = Expected::default();
        match self {
            Role::Ordinary | Role::Tiny => {}
            Role::LowShnor | Role::FederalShnor => e.shnor = true,
            Role::RiskLatest | Role::RiskJump => e.risk = true,
            Role::ShnsuClear | Role::ShnsuQuartile => e.shnsu = true,
            Role::Resilient => {
                e.shnsu = true;
                e.resilient = true;
            }
        }
        e
    }

    /// The rule that should fire, in Russian (README, test messages).
    pub fn describe(self) -> &'static str {
        match self {
            Role::Ordinary => "обычная школа",
            Role::Tiny => {
                "малокомплектная школа (2–9 обучающихся в классе): показатели объединяются за несколько лет"
            }
            Role::LowShnor => {
                "ШНОР: все показатели ~20 % ниже кластера три года подряд (ОИП ниже 14 в 2 из 3 лет)"
            }
            Role::FederalShnor => {
                "ШНОР по федеральному правилу: ≥ 30 % «2» по ВПР Математика 6 кл. два года подряд и по ВПР Русский язык 7 кл. в последний год"
            }
            Role::RiskLatest => {
                "зона риска: все показатели ~20 % ниже кластера только в последний год"
            }
            Role::RiskJump => {
                "зона риска: доля «2» по ВПР Математика 5 кл. (n ≈ 80) выросла на ~20 п.п., значимо с поправкой Бонферрони"
            }
            Role::ShnsuClear => {
                "ШНСУ: явно низкий ИСБ (много малообеспеченных, неполных семей, безработных родителей; мало родителей с высшим образованием)"
            }
            Role::ShnsuQuartile => {
                "ШНСУ: ИСБ ниже нижнего квартиля (порог p25 всегда отбирает ~25 % школ)"
            }
            Role::Resilient => "резильентная: низкий ИСБ (ШНСУ), а показатели ~11 % выше кластера",
        }
    }

    /// Relative level of results in a year (0 = the cluster's level).
    pub fn level_shift(self, year: Year, latest: Year) -> f64 {
        match self {
            Role::LowShnor => -0.20,
            Role::RiskLatest if year == latest => -0.20,
            Role::Resilient => 0.11,
            _ => 0.0,
        }
    }

    /// Shift of share indicators (olympiad, retention) in a year, as a fraction.
    pub fn share_shift(self, year: Year, latest: Year) -> f64 {
        match self {
            Role::LowShnor => -0.12,
            Role::RiskLatest if year == latest => -0.12,
            Role::Resilient => 0.07,
            _ => 0.0,
        }
    }
}

/// One school of the demo, with everything the generator needs.
#[derive(Clone, Debug, PartialEq)]
pub struct SchoolPlan {
    /// Registry code (Код ОО), 4 digits: municipality code (11–99) + place number; with
    /// several regions 6 digits, the region code (11, 12, …) first.
    pub id: String,
    /// ФИС ОКО login (ВПР files are keyed by it).
    pub login: String,
    /// РЦОИ code (ОГЭ/ЕГЭ files are keyed by it).
    pub gia_code: String,
    pub name: String,
    pub municipality: String,
    /// Region number (0-based; always 0 up to 3,560 schools).
    pub region: usize,
    /// Municipality number (0-based, counted across regions) and place in the pattern.
    pub muni: usize,
    pub place: usize,
    pub settlement: Settlement,
    pub level: Level,
    /// Typical students per grade.
    pub per_grade: u32,
    pub role: Role,
    /// Persistent relative deviation of a school from its cluster: −6…+12 % for ordinary
    /// schools, ±2.5 % for tiny ones, 0…−3 % for ШНСУ, 0 for the planted cases.
    pub effect: f64,
    /// Social profile 0 (most disadvantaged) … 1; ИСБ rises with it.
    pub social: f64,
    pub coordinator: String,
    pub phone: String,
}

impl SchoolPlan {
    pub fn expected(&self) -> Expected {
        self.role.expected()
    }
}

/// The pattern of one municipality: (settlement, level, students per grade, role, social).
const PATTERN: [(Settlement, Level, u32, Role, f64); 40] = {
    use Level::*;
    use Role::*;
    use Settlement::*;
    [
        // город, СОШ: 12 schools
        (City, Sosh, 28, LowShnor, 0.70),
        (City, Sosh, 50, FederalShnor, 0.66),
        (City, Sosh, 84, RiskJump, 0.80),
        (City, Sosh, 27, ShnsuClear, 0.08),
        (City, Sosh, 30, Ordinary, 0.74),
        (City, Sosh, 26, Ordinary, 0.78),
        (City, Sosh, 25, Ordinary, 0.82),
        (City, Sosh, 28, Ordinary, 0.68),
        (City, Sosh, 24, Ordinary, 0.72),
        (City, Sosh, 29, Ordinary, 0.76),
        (City, Sosh, 27, Ordinary, 0.84),
        (City, Sosh, 25, Ordinary, 0.64),
        // город, гимназия / лицей / СОШ с УИОП: 6 schools
        (City, Gymnasium, 30, RiskLatest, 0.94),
        (City, Gymnasium, 28, Ordinary, 0.96),
        (City, Lyceum, 26, Ordinary, 0.92),
        (City, Lyceum, 25, Ordinary, 0.90),
        (City, Uiop, 27, Ordinary, 0.88),
        (City, Gymnasium, 29, Ordinary, 0.98),
        // село, СОШ: 10 schools
        (Village, Sosh, 14, LowShnor, 0.62),
        (Village, Sosh, 15, Resilient, 0.12),
        (Village, Sosh, 13, ShnsuQuartile, 0.34),
        (Village, Sosh, 16, ShnsuQuartile, 0.38),
        (Village, Sosh, 12, ShnsuQuartile, 0.42),
        (Village, Sosh, 14, Ordinary, 0.63),
        (Village, Sosh, 17, Ordinary, 0.65),
        (Village, Sosh, 13, Ordinary, 0.67),
        (Village, Sosh, 15, Ordinary, 0.69),
        (Village, Sosh, 12, Ordinary, 0.71),
        // село, ООШ: 9 schools, five of them tiny
        (Village, Oosh, 12, ShnsuClear, 0.04),
        (Village, Oosh, 11, ShnsuClear, 0.16),
        (Village, Oosh, 10, ShnsuQuartile, 0.30),
        (Village, Oosh, 4, ShnsuQuartile, 0.36),
        (Village, Oosh, 8, ShnsuQuartile, 0.40),
        (Village, Oosh, 3, Tiny, 0.62),
        (Village, Oosh, 5, Tiny, 0.64),
        (Village, Oosh, 7, Tiny, 0.66),
        (Village, Oosh, 2, Tiny, 0.68),
        // село, НОШ: 3 tiny primary schools (too few for a cluster: merged)
        (Village, Nosh, 6, Tiny, 0.70),
        (Village, Nosh, 9, Tiny, 0.73),
        (Village, Nosh, 4, Tiny, 0.75),
    ]
};

const MUNICIPALITIES: [&str; 12] = [
    "Берёзовский муниципальный округ",
    "Сосновский муниципальный район",
    "Озёрный городской округ",
    "Кедровский муниципальный округ",
    "Рябиновский муниципальный район",
    "Ольховский муниципальный округ",
    "Липовский городской округ",
    "Калиновский муниципальный район",
    "Вербовский муниципальный округ",
    "Ясеневский муниципальный район",
    "Тополинский городской округ",
    "Черёмуховский муниципальный округ",
];

/// Village school names (adjective forms), clearly invented.
const VILLAGES: [&str; 24] = [
    "Берёзовская",
    "Сосновская",
    "Озёрская",
    "Кедровская",
    "Рябиновская",
    "Ольховская",
    "Липовская",
    "Калиновская",
    "Вербовская",
    "Ясеневская",
    "Тополёвская",
    "Черёмуховская",
    "Полянская",
    "Луговская",
    "Заречная",
    "Подгорненская",
    "Ключевская",
    "Родниковская",
    "Садовская",
    "Степновская",
    "Весёловская",
    "Никольская",
    "Покровская",
    "Дубровская",
];

const SURNAMES: [&str; 10] = [
    "Иванова",
    "Петрова",
    "Сидорова",
    "Смирнова",
    "Кузнецова",
    "Попова",
    "Васильева",
    "Новикова",
    "Морозова",
    "Волкова",
];
const INITIALS: [&str; 8] = [
    "А. А.", "Е. В.", "О. Н.", "Т. С.", "Н. И.", "М. П.", "Л. Г.", "И. К.",
];

/// Municipality name for number `m` (0-based).
pub fn municipality_name(m: usize) -> String {
    match MUNICIPALITIES.get(m) {
        Some(n) => n.to_string(),
        None => format!("Муниципальный округ № {}", m + 1),
    }
}

/// All schools of the demo, in registry order (region by region).
pub fn schools(opts: &DemoOptions) -> Vec<SchoolPlan> {
    let layout = super::regions::Layout::of(opts);
    let mut out = Vec::with_capacity(opts.schools);
    for k in 0..opts.schools {
        let muni = k / PATTERN.len();
        let (region, muni_in_region, place) = layout.locate(k);
        let (settlement, level, per_grade, role, social) = PATTERN[place];
        // Tiny schools stay tiny whatever the scale: they are what pooling is for.
        let per_grade = if per_grade >= 10 {
            (f64::from(per_grade) * opts.size).round().max(10.0) as u32
        } else {
            per_grade
        };
        let muni_code = 11 + muni_in_region;
        let (id, login, gia_code) = if layout.split() {
            // The region code first: unique across the country, and never a leading zero.
            // Matching reads `sch1100123` as `1100123`: five digits after the region code
            // (the first a zero) keep a login apart from every 6-digit Код ОО and 7-digit
            // РЦОИ code (whose third digit is the municipality's, never zero).
            let rc = super::regions::code(region);
            let within = k - layout.range(region).start;
            (
                format!("{rc}{muni_code}{:02}", place + 1),
                format!("sch{rc}{:05}", within + 1),
                format!("{rc}{muni_code}{:03}", place + 1),
            )
        } else {
            (
                format!("{muni_code}{:02}", place + 1),
                format!("sch22{:04}", k + 1),
                format!("{muni_code}{:03}", place + 1),
            )
        };
        // Real municipalities spread (Altai 2015: 249 of 651 schools at ОИП ≥ 21, 117 below
        // 14): ordinary schools lie from 6 % below to 12 % above the pattern's level, so
        // against their cluster's mean they earn 2–4 points (ОИП 14–28) and stay clear of
        // 1 point (0,85 of the cluster), which only the planted cases reach. Tiny schools'
        // means are noisy already; schools in hard conditions do not rise above their
        // cluster, so none turns resilient unplanted.
        let j = super::sample::jitter(opts.seed, &[1, k as u64]);
        let effect = match role {
            Role::Ordinary => 0.03 + 0.11 * j,
            Role::Tiny => 0.025 * j,
            Role::ShnsuClear | Role::ShnsuQuartile => -0.03 * j.abs(),
            _ => 0.0,
        };
        let city_no = place + 1;
        let village = VILLAGES[(place + 3 * muni) % VILLAGES.len()];
        let name = match (settlement, level) {
            (Settlement::City, Level::Gymnasium) => format!("МБОУ «Гимназия № {city_no}»"),
            (Settlement::City, Level::Lyceum) => format!("МБОУ «Лицей № {city_no}»"),
            (Settlement::City, Level::Uiop) => {
                format!("МБОУ «СОШ № {city_no} с углублённым изучением отдельных предметов»")
            }
            (Settlement::City, _) => format!("МБОУ «СОШ № {city_no}»"),
            (Settlement::Village, l) => {
                format!("МКОУ «{village} {}»", l.label())
            }
        };
        out.push(SchoolPlan {
            id,
            login,
            gia_code,
            name,
            municipality: municipality_name(muni_in_region),
            region,
            muni,
            place,
            settlement,
            level,
            per_grade,
            role,
            effect,
            social: (social + 0.01 * super::sample::jitter(opts.seed, &[2, k as u64]))
                .clamp(0.0, 1.0),
            coordinator: format!(
                "{} {}",
                SURNAMES[k % SURNAMES.len()],
                INITIALS[(k / SURNAMES.len()) % INITIALS.len()]
            ),
            phone: format!("8-900-000-00-{:02}", k % 100),
        });
    }
    out
}

/// Index of a school in [`schools`] (the generator's sub-seeds use it).
pub fn index(s: &SchoolPlan) -> u64 {
    (s.muni * PATTERN.len() + s.place) as u64
}

/// Students of a grade in a year. Grades 1–9 move with their cohort (entry-year size ±8 %);
/// grade 10 is the retained part of last year's grade 9; grade 11 is last year's grade 10.
pub fn contingent(opts: &DemoOptions, s: &SchoolPlan, year: Year, grade: u8) -> u32 {
    if grade == 0 || grade > s.level.top_grade() {
        return 0;
    }
    let k = index(s);
    match grade {
        1..=9 => {
            let cohort = (year - Year::from(grade)) as u64;
            let j = super::sample::jitter(opts.seed, &[3, k, cohort]);
            ((f64::from(s.per_grade) * (1.0 + 0.08 * j)).round() as u32).max(1)
        }
        10 => {
            let prev9 = contingent(opts, s, year - 1, 9);
            (retention(opts, s, year) * f64::from(prev9)).round() as u32
        }
        _ => contingent(opts, s, year - 1, 10),
    }
}

/// Share of last year's grade 9 that went on to grade 10 (docs/method.md §4.2, «сохранность»).
pub fn retention(opts: &DemoOptions, s: &SchoolPlan, year: Year) -> f64 {
    let base = match s.level.group() {
        Group::Advanced => 0.75,
        _ if s.settlement == Settlement::City => 0.55,
        _ => 0.45,
    };
    let e = 0.015 * super::sample::jitter(opts.seed, &[4, index(s), year as u64]);
    (base + s.role.share_shift(year, opts.year) + e + s.effect * 0.2).clamp(0.0, 1.0)
}

/// Share of students of grades 7–11 taking part in the municipal stage of ВсОШ.
pub fn olympiad_share(opts: &DemoOptions, s: &SchoolPlan, year: Year) -> f64 {
    let base = match (s.settlement, s.level.group()) {
        (_, Group::Advanced) => 0.30,
        (Settlement::City, _) => 0.15,
        (Settlement::Village, Group::Secondary) => 0.10,
        _ => 0.08,
    };
    let e = 0.01 * super::sample::jitter(opts.seed, &[5, index(s), year as u64]);
    (base + s.role.share_shift(year, opts.year) + e + s.effect * 0.2).clamp(0.0, 1.0)
}

/// Relative level of a school's results in a year: planted shift + persistent effect + a
/// small yearly jitter (±0.8 %).
pub fn result_level(opts: &DemoOptions, s: &SchoolPlan, year: Year) -> f64 {
    let j = 0.008 * super::sample::jitter(opts.seed, &[6, index(s), year as u64]);
    s.role.level_shift(year, opts.year) + s.effect + j
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn planted_cases_for_forty_schools() {
        let s = schools(&DemoOptions::default());
        assert_eq!(s.len(), 40);
        let count = |r: Role| s.iter().filter(|x| x.role == r).count();
        assert_eq!(count(Role::LowShnor), 2);
        assert_eq!(count(Role::FederalShnor), 1);
        assert_eq!(count(Role::RiskLatest) + count(Role::RiskJump), 2);
        assert_eq!(count(Role::ShnsuClear), 3);
        assert_eq!(count(Role::Resilient), 1);
        // p25 of 40 values (PERCENTILE.INC) lies between the 10th and the 11th lowest, so
        // exactly 10 schools are strictly below it: 3 clear + 1 resilient + 6 quartile.
        assert_eq!(count(Role::ShnsuQuartile), 6);
        // Ids, logins and РЦОИ codes are unique and never collide with each other.
        let mut keys: Vec<&str> = s
            .iter()
            .flat_map(|x| [x.id.as_str(), x.login.as_str(), x.gia_code.as_str()])
            .collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), 120);
    }

    #[test]
    fn a_region_of_the_largest_size_has_unique_keys() {
        let s = schools(&DemoOptions {
            schools: 3560,
            ..DemoOptions::default()
        });
        // As matching compares them: logins without `sch` (`sch220123` = `220123`).
        let mut keys: Vec<&str> = s
            .iter()
            .flat_map(|x| [x.id.as_str(), x.login.as_str(), x.gia_code.as_str()])
            .map(|c| c.strip_prefix("sch").unwrap_or(c))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), 3 * 3560);
        assert_eq!(s.last().unwrap().id, "9940");
    }

    #[test]
    fn every_cluster_has_five_schools_except_primary() {
        let s = schools(&DemoOptions::default());
        let mut sizes = std::collections::BTreeMap::new();
        for x in &s {
            *sizes.entry((x.settlement, x.level.group())).or_insert(0) += 1;
        }
        for ((_, g), n) in sizes {
            assert!(g == Group::Primary || n >= 5, "{g:?}: {n}");
        }
    }

    #[test]
    fn social_profiles_separate_the_lowest_quarter() {
        // The 10 schools planted as ШНСУ have social < 0.45; every other school > 0.6: a gap
        // wide enough that count rounding in passports cannot reorder them.
        let s = schools(&DemoOptions::default());
        for x in &s {
            if x.expected().shnsu {
                assert!(x.social < 0.45, "{}", x.id);
            } else {
                assert!(x.social > 0.6, "{}", x.id);
            }
        }
    }

    #[test]
    fn cohorts_move_up_and_grade_ten_is_retained() {
        let o = DemoOptions::default();
        let s = &schools(&o)[4];
        assert_eq!(contingent(&o, s, 2025, 5), contingent(&o, s, 2024, 4));
        let r = retention(&o, s, 2025);
        let g9 = contingent(&o, s, 2024, 9);
        assert_eq!(
            contingent(&o, s, 2025, 10),
            (r * f64::from(g9)).round() as u32
        );
        assert_eq!(contingent(&o, s, 2025, 11), contingent(&o, s, 2024, 10));
    }

    #[test]
    fn tiny_schools_have_two_to_nine_students_per_grade() {
        let o = DemoOptions::default();
        for s in schools(&o).iter().filter(|s| s.role == Role::Tiny) {
            for g in 1..=s.level.top_grade() {
                let n = contingent(&o, s, 2025, g);
                assert!((1..=10).contains(&n), "{} grade {g}: {n}", s.id);
            }
        }
    }
}
