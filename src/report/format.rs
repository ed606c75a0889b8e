//! Presentation helpers shared by the workbook, the CSV and `explain`: Russian number
//! formatting, indicator lookups and the notes that accompany a value. Nothing here decides
//! anything; it only words what `judge` found.

use crate::config::{Config, IndicatorKind, IndicatorSource, IndicatorSpec};
use crate::judge::{Findings, FlagKind, FrozenThreshold, IndicatorResult, SchoolResult};
use crate::model::Year;

/// The flags in the order every report lists them.
pub const FLAG_ORDER: [FlagKind; 4] = [
    FlagKind::Shnor,
    FlagKind::Shnsu,
    FlagKind::Risk,
    FlagKind::Resilient,
];

/// `x` with `d` decimals and a decimal comma, as a Russian reader writes it: 19,6.
pub fn fixed(x: f64, d: usize) -> String {
    let s = format!("{x:.d$}");
    // «-0,0» reads as a sign error to an analyst.
    let s = if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    };
    s.replace('.', ",")
}

/// `x` with at most three decimals, trailing zeros dropped: 7, 2,5, 0,125.
pub fn trim(x: f64) -> String {
    let s = format!("{x:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    fixed_sign(s).replace('.', ",")
}

fn fixed_sign(s: &str) -> String {
    if s == "-0" { "0".into() } else { s.into() }
}

/// A fraction as percent: 0.123 → «12,3 %».
pub fn percent(frac: f64, d: usize) -> String {
    format!("{} %", fixed(frac * 100.0, d))
}

/// Signed number with a decimal comma: +4,0 / −2,5.
pub fn signed(x: f64, d: usize) -> String {
    let s = fixed(x.abs(), d);
    if x > 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("+{s}")
    } else if x < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("−{s}")
    } else {
        s
    }
}

/// The configured indicator with this id.
pub fn spec<'a>(cfg: &'a Config, id: &str) -> Option<&'a IndicatorSpec> {
    cfg.indicators.iter().find(|s| s.id == id)
}

/// How an indicator's value reads: mean marks with two decimals, scores with one, shares as %.
pub fn value_text(source: &IndicatorSource, v: f64) -> String {
    match source {
        IndicatorSource::VprMark => fixed(v, 2),
        IndicatorSource::ExamScore { .. } => fixed(v, 1),
        IndicatorSource::Olympiad | IndicatorSource::Retention => percent(v, 1),
    }
}

/// The Excel number format matching [`value_text`].
pub fn excel_format(source: &IndicatorSource) -> &'static str {
    match source {
        IndicatorSource::VprMark => "0.00",
        IndicatorSource::ExamScore { .. } => "0.0",
        IndicatorSource::Olympiad | IndicatorSource::Retention => "0.0%",
    }
}

/// The band of a number of points as the configuration defines it, e.g. «0,95–1,05».
pub fn band_text(cfg: &Config, kind: IndicatorKind, points: u8) -> String {
    let (b, f): (&[f64; 4], fn(f64) -> String) = match kind {
        IndicatorKind::Mean => (&cfg.points.ratio_bands, |x| trim(x)),
        IndicatorKind::Share => (&cfg.points.pp_bands, |x| format!("{} п.п.", signed(x, 1))),
    };
    match points {
        0 | 1 => format!("меньше {}", f(b[0])),
        5.. => format!("{} и выше", f(b[3])),
        p => {
            let i = usize::from(p) - 2;
            format!("от {} до {}", f(b[i]), f(b[i + 1]))
        }
    }
}

/// The school's result for an indicator in a year.
pub fn indicator<'a>(s: &'a SchoolResult, year: Year, id: &str) -> Option<&'a IndicatorResult> {
    s.indicators
        .iter()
        .find(|i| i.year == year && i.indicator == id)
}

/// What the analyst must know about a value: pooled years, too few participants.
pub fn note(ind: &IndicatorResult, cfg: &Config) -> Option<String> {
    ind.value?;
    let mut parts = Vec::new();
    if ind.pooled_years > 1 {
        parts.push(format!(
            "объединено за {} {} (n = {})",
            ind.pooled_years,
            years_word(ind.pooled_years),
            ind.n
        ));
    }
    if !ind.reliable {
        parts.push(format!(
            "мало данных: n = {} < {}, в баллы не входит",
            ind.n, cfg.general.min_n
        ));
    }
    if let (true, Some(sd)) = (ind.certainty.sd_assumed, ind.certainty.sd) {
        parts.push(format!(
            "распределения баллов в выгрузке нет: для интервала принято стандартное отклонение {} \
             (настройка [uncertainty.sd])",
            trim(sd)
        ));
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// The ОИП interval of a year, «9,8–15,1», when there is one.
pub fn oip_band(o: &crate::judge::OipYear) -> Option<String> {
    Some(format!("{}–{}", fixed(o.low?, 1), fixed(o.high?, 1)))
}

/// The school's ОИП interval of a year.
pub fn oip_band_in(s: &SchoolResult, year: Year) -> Option<String> {
    s.oip.iter().find(|o| o.year == year).and_then(oip_band)
}

/// ОИП with its interval, as every report shows it: «12,3 (9,8–15,1)».
pub fn oip_text(o: &crate::judge::OipYear) -> Option<String> {
    let v = fixed(o.value?, 1);
    Some(match oip_band(o) {
        Some(band) => format!("{v} ({band})"),
        None => v,
    })
}

/// The school's ОИП of a year with its interval.
pub fn oip_in_text(s: &SchoolResult, year: Year) -> Option<String> {
    s.oip.iter().find(|o| o.year == year).and_then(oip_text)
}

/// «устойчивый» / «статистически неустойчивый» for a school listed by an ОИП rule.
pub fn robust_label(s: &SchoolResult) -> Option<&'static str> {
    s.oip_robust.map(|r| {
        if r {
            "устойчивый"
        } else {
            "статистически неустойчивый"
        }
    })
}

/// «год», «года», «лет» for a count.
pub fn years_word(n: u32) -> &'static str {
    match (n % 10, n % 100) {
        (1, r) if r != 11 => "год",
        (2..=4, r) if !(12..=14).contains(&r) => "года",
        _ => "лет",
    }
}

/// Every основание of a school, each prefixed by its flag: the text of the «Основание» column.
pub fn basis(s: &SchoolResult) -> String {
    basis_lines(s).join("; ")
}

/// Each основание of a school prefixed by its flag, in the program's order.
pub fn basis_lines(s: &SchoolResult) -> Vec<String> {
    FLAG_ORDER
        .iter()
        .filter_map(|k| s.flag(*k).map(|f| format!("{}: {}", k.label(), f.basis)))
        .collect()
}

/// The school's flags in the program's order: «ШНСУ», «резильентная».
pub fn flag_labels(s: &SchoolResult) -> Vec<&'static str> {
    FLAG_ORDER
        .iter()
        .filter(|k| s.flag(**k).is_some())
        .map(|k| k.label())
        .collect()
}

/// The schools on the program's list `k`, by name.
pub fn listed(f: &Findings, k: FlagKind) -> Vec<&SchoolResult> {
    by_name(f.schools.iter().filter(|s| s.flag(k).is_some()))
}

/// How a reader tells the schools of a text apart: the name; with the municipality when
/// another school of the input has the same name (a region has dozens of «СОШ № 1»); with
/// the code too when that is not enough. Tables have a code column and keep the bare name.
pub struct Labels(std::collections::HashMap<String, String>);

impl Labels {
    pub fn new(f: &Findings) -> Labels {
        use std::collections::HashMap;
        let key = |t: &str| t.trim().to_lowercase();
        let mut names: HashMap<String, usize> = HashMap::new();
        for s in &f.schools {
            *names.entry(key(&s.school.name)).or_default() += 1;
        }
        let with_muni = |s: &SchoolResult| match &s.school.municipality {
            Some(m) => format!("{} ({m})", s.school.name),
            None => format!("{} (код {})", s.school.name, s.school.id),
        };
        let mut second: HashMap<String, usize> = HashMap::new();
        for s in f.schools.iter().filter(|s| names[&key(&s.school.name)] > 1) {
            *second.entry(key(&with_muni(s))).or_default() += 1;
        }
        let labels = f
            .schools
            .iter()
            .filter(|s| names[&key(&s.school.name)] > 1)
            .map(|s| {
                let l = with_muni(s);
                let l = if second[&key(&l)] > 1 && s.school.municipality.is_some() {
                    format!(
                        "{} ({}, код {})",
                        s.school.name,
                        s.school.municipality.as_deref().unwrap_or_default(),
                        s.school.id
                    )
                } else {
                    l
                };
                (s.school.id.clone(), l)
            })
            .collect();
        Labels(labels)
    }

    /// The school's label (its bare name when no other school shares it).
    pub fn of<'a>(&'a self, s: &'a SchoolResult) -> &'a str {
        self.0
            .get(&s.school.id)
            .map_or(s.school.name.as_str(), String::as_str)
    }
}

/// Schools sorted by name (case-insensitive), then id: the order of the program's lists.
pub fn by_name<'a>(schools: impl Iterator<Item = &'a SchoolResult>) -> Vec<&'a SchoolResult> {
    let mut v: Vec<&SchoolResult> = schools.collect();
    // The lower-cased name once per school, not twice per comparison: a region sorts 2,000
    // schools for several sheets.
    v.sort_by_cached_key(|s| (s.school.name.to_lowercase(), s.school.id.clone()));
    v
}

/// Schools by id (the first of an id, as a scan would find): sheets that look a school up
/// per row must not scan the list each time — quadratic at national scale.
pub fn by_id(f: &Findings) -> std::collections::HashMap<&str, &SchoolResult> {
    let mut m = std::collections::HashMap::with_capacity(f.schools.len());
    for s in &f.schools {
        m.entry(s.school.id.as_str()).or_insert(s);
    }
    m
}

/// A number for CSV read by scripts: up to six decimals, no trailing zeros, decimal point;
/// empty when there is no value.
pub fn csv_number(x: Option<f64>) -> String {
    match x {
        Some(v) if v.is_finite() => {
            let s = format!("{v:.6}");
            let s = s.trim_end_matches('0').trim_end_matches('.');
            if s == "-0" { "0".into() } else { s.into() }
        }
        _ => String::new(),
    }
}

/// A CSV field that a spreadsheet will not run as a formula (OWASP, «CSV Injection»): a
/// text beginning with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`.
/// A number stays as it is (`-0.2` is a value, not a formula).
pub fn csv_text(s: String) -> String {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !s.parse::<f64>().is_ok_and(f64::is_finite) {
        format!("'{s}")
    } else {
        s
    }
}

/// How the ИСБ threshold was set, in words.
pub fn threshold_how(t: &FrozenThreshold) -> String {
    let what = match t.spec.trim().to_lowercase().as_str() {
        "mean" => "среднее".to_string(),
        "median" => "медиана".to_string(),
        s if s.starts_with('p') && s[1..].parse::<f64>().is_ok() => {
            format!("{}-й процентиль (как ПРОЦЕНТИЛЬ.ВКЛ в Excel)", &s[1..])
        }
        _ => return format!("задан числом в настройках ({})", t.spec),
    };
    match t.year {
        Some(y) => {
            format!("{what} ИСБ школ муниципалитета в {y} г.; зафиксирован в базовом снимке")
        }
        None => format!("{what} ИСБ школ муниципалитета; зафиксирован в базовом снимке"),
    }
}

/// A social-passport category (or a merged group of them) in the analyst's words.
pub fn category_label(key: &str, cfg: &Config) -> String {
    cfg.isb.category_label(key)
}

/// A date ГГГГ-ММ-ДД as a Russian reader writes it, ДД.ММ.ГГГГ (anything else as it is).
pub fn ru_date(iso: &str) -> String {
    match iso.split('-').collect::<Vec<_>>()[..] {
        [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => format!("{d}.{m}.{y}"),
        _ => iso.to_string(),
    }
}

/// Characters of a one-line reason before it is cut (the full one is on the list's sheet).
pub const REASON_CHARS: usize = 150;

/// The first clause of an основание, cut at a word when longer than [`REASON_CHARS`].
pub fn short_reason(basis: &str) -> String {
    let first = basis.split("; ").next().unwrap_or(basis).trim();
    if first.chars().count() <= REASON_CHARS {
        return first.to_string();
    }
    let cut: String = first.chars().take(REASON_CHARS).collect();
    let at = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end_matches([',', ';', ':']))
}

/// «ОИП 2025 г. — 22,0» or that it could not be computed.
fn oip_words(s: &SchoolResult, y: Year) -> String {
    match oip_in_text(s, y) {
        Some(v) => format!("ОИП {y} г. — {v}"),
        None => format!("ОИП {y} г. не рассчитан"),
    }
}

/// Why a school on last December's list `k` is not on it now, from this year's figures.
pub fn why_not_listed(
    now: Option<&SchoolResult>,
    k: FlagKind,
    f: &Findings,
    cfg: &Config,
) -> String {
    let Some(s) = now else {
        return format!("школы нет в данных {} г.", f.year);
    };
    let isb = || match (&s.isb, &f.isb_threshold) {
        (Some(i), Some(t)) => format!("ИСБ {} при пороге {}", fixed(i.value, 1), fixed(t.value, 1)),
        (Some(i), None) => format!("ИСБ {}", fixed(i.value, 1)),
        (None, _) => "нет социального паспорта".to_string(),
    };
    let mut why = match k {
        FlagKind::Shnor | FlagKind::Risk => format!(
            "{} при пороге ШНОР {}",
            oip_words(s, f.year),
            trim(cfg.oip.shnor_bar)
        ),
        FlagKind::Shnsu => isb(),
        FlagKind::Resilient => format!("{}; {}", isb(), oip_words(s, f.year)),
    };
    let other: Vec<&str> = FLAG_ORDER
        .iter()
        .filter(|o| **o != k && s.flag(**o).is_some())
        .map(|o| o.label())
        .collect();
    if !other.is_empty() {
        why.push_str(&format!("; теперь: {}", other.join(", ")));
    }
    why
}

/// Who entered and who left list `k` between two December reports.
pub struct ListChanges<'a> {
    /// Schools on the list before and now.
    pub before: usize,
    pub now: usize,
    /// Entered: this year's results; left: last year's, by name.
    pub entered: Vec<&'a SchoolResult>,
    pub left: Vec<&'a SchoolResult>,
}

/// The changes of list `k` from `prev` (last December) to `f`.
pub fn list_changes<'a>(prev: &'a Findings, f: &'a Findings, k: FlagKind) -> ListChanges<'a> {
    let on = |fs: &Findings| -> std::collections::BTreeSet<String> {
        fs.schools
            .iter()
            .filter(|s| s.flag(k).is_some())
            .map(|s| s.school.id.clone())
            .collect()
    };
    let (before, now) = (on(prev), on(f));
    ListChanges {
        before: before.len(),
        now: now.len(),
        entered: by_name(
            f.schools
                .iter()
                .filter(|s| now.contains(&s.school.id) && !before.contains(&s.school.id)),
        ),
        left: by_name(
            prev.schools
                .iter()
                .filter(|s| before.contains(&s.school.id) && !now.contains(&s.school.id)),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_numbers() {
        assert_eq!(fixed(19.6, 1), "19,6");
        assert_eq!(fixed(-0.01, 1), "0,0");
        assert_eq!(trim(2.5), "2,5");
        assert_eq!(trim(7.0), "7");
        assert_eq!(percent(0.123, 1), "12,3 %");
        assert_eq!(signed(-7.0, 1), "−7,0");
        assert_eq!(signed(4.0, 1), "+4,0");
        assert_eq!(years_word(2), "года");
        assert_eq!(years_word(5), "лет");
        assert_eq!(years_word(21), "год");
    }

    #[test]
    fn bands_follow_config() {
        let cfg = Config::default();
        assert_eq!(band_text(&cfg, IndicatorKind::Mean, 1), "меньше 0,85");
        assert_eq!(band_text(&cfg, IndicatorKind::Mean, 3), "от 0,95 до 1,05");
        assert_eq!(band_text(&cfg, IndicatorKind::Mean, 5), "1,15 и выше");
        assert_eq!(
            band_text(&cfg, IndicatorKind::Share, 2),
            "от −10,0 п.п. до −4,0 п.п."
        );
    }

    #[test]
    fn a_reason_is_its_first_clause_cut_at_a_word() {
        assert_eq!(
            short_reason("ОИП 7 и 7 при пороге 14; федеральный критерий: …"),
            "ОИП 7 и 7 при пороге 14"
        );
        let long = "слово ".repeat(40);
        let s = short_reason(&long);
        assert!(s.ends_with("слово…"), "{s}");
        assert!(s.chars().count() <= REASON_CHARS + 1, "{s}");
    }

    #[test]
    fn labels_tell_schools_of_the_same_name_apart() {
        let mut f = crate::report::testdata::findings();
        assert!(f.schools.len() >= 4);
        for (i, m) in [(0, "Северный"), (1, "Южный"), (2, "Южный")] {
            f.schools[i].school.name = "МБОУ «СОШ № 1»".into();
            f.schools[i].school.municipality = Some(m.into());
        }
        f.schools[3].school.name = "Лицей".into();
        let l = Labels::new(&f);
        assert_eq!(l.of(&f.schools[0]), "МБОУ «СОШ № 1» (Северный)");
        let id = |i: usize| f.schools[i].school.id.clone();
        assert_eq!(
            l.of(&f.schools[1]),
            format!("МБОУ «СОШ № 1» (Южный, код {})", id(1))
        );
        assert_eq!(
            l.of(&f.schools[2]),
            format!("МБОУ «СОШ № 1» (Южный, код {})", id(2))
        );
        assert_eq!(l.of(&f.schools[3]), "Лицей");
    }
}
