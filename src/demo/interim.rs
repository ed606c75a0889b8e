//! Interim data of the demo municipality for `shnor progress` (docs/method.md §5): the school year
//! after the demo's latest year (2025/26 for the committed demo) — the ВсОШ municipal-stage
//! protocol, the contingent, КДР in the ВПР form and the September social passport.
//!
//! The planted changes are data ([`change_of`], [`planted`]), so tests compare `progress`'s
//! output with what was planted. Every school without a planted change gets interim data
//! equal to the latest year (the same КДР scores as its ВПР of that year, the same share in
//! the olympiad, the same passport), so any other change `progress` reports is a false one.
//! The files go into their own folder: inside the demo folder, `identify` would take the
//! interim year as the latest one.

use super::generate::{self, WORKS, Work};
use super::plan::{self, DemoOptions, Role, SchoolPlan};
use super::sample;
use super::write::{Written, header, new_workbook, save, scores};
use crate::model::{Category, Exam, Year};
use crate::recognize::Field;
use anyhow::{Context, Result};
use std::path::Path;

/// A change planted in the interim year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum InterimChange {
    /// The federal-rule ШНОР school: КДР Математика 6 кл. and Русский язык 7 кл. with
    /// ~10 % «2» — both procedures of the rule are now below 30 %, so it leaves ШНОР.
    LeavesShnor,
    /// A ШНОР by ОИП (~7): interim data equal to the latest year, so it stays.
    StaysShnor,
    /// An ordinary school whose «2» in КДР Математика 5 кл. is ~30 p.p. above its ВПР
    /// Математика 5 кл. of the latest year: «ухудшение», enters зона риска.
    Worsens,
    /// An ordinary school whose share of students 7–11 in the olympiad rises from ~15 %
    /// to 40 %: «улучшение».
    Improves,
    /// The risk-zone school whose «2» in ВПР Математика 5 кл. grew: КДР Математика 5 кл.
    /// falls back to ~5 % «2», a significant fall, so it leaves зона риска.
    LeavesRisk,
    /// A ШНСУ school by the quartile: the new passport puts its ИСБ well above the frozen
    /// threshold + 1, so it leaves ШНСУ.
    LeavesShnsu,
}

impl InterimChange {
    /// What was planted, in Russian (README, test messages).
    pub fn describe(self) -> &'static str {
        match self {
            InterimChange::LeavesShnor => {
                "выходит из ШНОР: КДР Математика 6 кл. и Русский язык 7 кл. с ~10 % «2» (было 38 % в ВПР)"
            }
            InterimChange::StaysShnor => {
                "остаётся в ШНОР: ОИП около 7, промежуточные данные как в прошлом году"
            }
            InterimChange::Worsens => {
                "ухудшение: доля «2» в КДР Математика 5 кл. ~38 % против 8 % в ВПР 2025 — входит в зону риска"
            }
            InterimChange::Improves => {
                "улучшение: доля участников МЭ ВсОШ среди 7–11 кл. ~15 % → 40 %"
            }
            InterimChange::LeavesRisk => {
                "выходит из зоны риска: доля «2» в КДР Математика 5 кл. ~5 % против 27 % в ВПР 2025"
            }
            InterimChange::LeavesShnsu => {
                "выходит из ШНСУ: ИСБ по новому паспорту выше порога с запасом"
            }
        }
    }
}

impl InterimChange {
    /// The flag movement `progress` must report: (flag, movement) as written in its JSON;
    /// `None` when no flag moves.
    pub fn flag_move(self) -> Option<(&'static str, &'static str)> {
        match self {
            InterimChange::LeavesShnor => Some(("ШНОР", "вышла")),
            InterimChange::StaysShnor => Some(("ШНОР", "остаётся")),
            InterimChange::Worsens => Some(("зона риска", "вошла")),
            InterimChange::Improves => None,
            InterimChange::LeavesRisk => Some(("зона риска", "вышла")),
            InterimChange::LeavesShnsu => Some(("ШНСУ", "вышла")),
        }
    }

    /// The comparisons that must come out significant: (key in progress's CSV, status).
    pub fn significant(self) -> &'static [(&'static str, &'static str)] {
        match self {
            InterimChange::LeavesShnor => &[
                ("КДР Математика 6 кл.|fail", "улучшение"),
                ("КДР Русский язык 7 кл.|fail", "улучшение"),
            ],
            InterimChange::Worsens => &[("КДР Математика 5 кл.|fail", "ухудшение")],
            InterimChange::Improves => &[("olymp", "улучшение")],
            InterimChange::LeavesRisk => &[("КДР Математика 5 кл.|fail", "улучшение")],
            InterimChange::StaysShnor | InterimChange::LeavesShnsu => &[],
        }
    }
}

/// The planted change of a school, by its place in the municipality pattern (each
/// municipality of a region gets the same set).
pub fn change_of(s: &SchoolPlan) -> Option<InterimChange> {
    let c = match (s.place, s.role) {
        (1, Role::FederalShnor) => InterimChange::LeavesShnor,
        (0, Role::LowShnor) => InterimChange::StaysShnor,
        (2, Role::RiskJump) => InterimChange::LeavesRisk,
        // The ordinary city СОШ with the most students per grade (30): the largest n for the
        // test of the share of «2» without touching the 80-strong risk-zone school.
        (4, Role::Ordinary) => InterimChange::Worsens,
        (9, Role::Ordinary) => InterimChange::Improves,
        (20, Role::ShnsuQuartile) => InterimChange::LeavesShnsu,
        _ => return None,
    };
    Some(c)
}

/// Every planted change, in registry order: (school id, change).
pub fn planted(opts: &DemoOptions) -> Vec<(String, InterimChange)> {
    plan::schools(opts)
        .iter()
        .filter_map(|s| change_of(s).map(|c| (s.id.clone(), c)))
        .collect()
}

/// The КДР works written: the procedures of the planted changes, for every school.
pub fn kdr_works() -> [&'static Work; 3] {
    [&WORKS[3], &WORKS[5], &WORKS[6]]
}

/// The КДР file name, e.g. «КДР Математика 5 класс 2025-26.xlsx».
pub fn kdr_file_name(w: &Work, year: Year) -> String {
    format!(
        "КДР {} {} класс {}-{:02}.xlsx",
        w.subject,
        w.grade,
        year - 1,
        year % 100
    )
}

/// Planted share of «2» of a КДР, for the schools whose КДР differs from last year's ВПР.
fn planted_fail_share(s: &SchoolPlan, w: &Work) -> Option<f64> {
    let ma = w.subject == "Математика";
    match change_of(s)? {
        InterimChange::LeavesShnor => {
            ((ma && w.grade == 6) || (!ma && w.grade == 7)).then_some(0.10)
        }
        // Ordinary ~8 % → 38 %. At n ≈ 30 on each side +20 p.p. is not significant
        // (z ≈ 1.9); +30 p.p. is (z ≈ 2.6). One procedure above 30 % is no federal rule.
        InterimChange::Worsens => (ma && w.grade == 5).then_some(0.38),
        // 27 % → 5 % at n ≈ 80: z ≈ 3.8.
        InterimChange::LeavesRisk => (ma && w.grade == 5).then_some(0.05),
        _ => None,
    }
}

/// The interim year.
pub fn year(opts: &DemoOptions) -> Year {
    opts.year + 1
}

/// Students of a grade in the interim year: cohorts move up as in [`plan::contingent`];
/// grade 10 keeps the latest year's retention, so retention does not change by itself.
pub fn contingent(opts: &DemoOptions, s: &SchoolPlan, grade: u8) -> u32 {
    let y = opts.year;
    match grade {
        10 if grade <= s.level.top_grade() => {
            let prev9 = plan::contingent(opts, s, y, 9);
            (plan::retention(opts, s, y) * f64::from(prev9)).round() as u32
        }
        11 => plan::contingent(opts, s, y, 10),
        _ => plan::contingent(opts, s, y + 1, grade),
    }
}

/// КДР participant rows of one school: last year's ВПР rows of the same work, or rows at the
/// planted share of «2».
pub fn kdr_rows(opts: &DemoOptions, s: &SchoolPlan, w: &Work) -> Vec<generate::VprRow> {
    match planted_fail_share(s, w) {
        Some(f) => {
            let n = contingent(opts, s, w.grade) as usize;
            let level = sample::level_for_fail_share(f, w.max(), w.min[0]);
            generate::vpr_rows_at(opts, s, w, year(opts), n, level)
        }
        None => generate::vpr_rows(opts, s, w, opts.year),
    }
}

/// Olympiad entries of one school in the interim year.
pub fn olympiad(opts: &DemoOptions, s: &SchoolPlan) -> Vec<generate::OlympiadRow> {
    let students: Vec<(u8, u32)> = (7..=11).map(|g| (g, contingent(opts, s, g))).collect();
    let share = match change_of(s) {
        Some(InterimChange::Improves) => 0.40,
        _ => plan::olympiad_share(opts, s, opts.year),
    };
    generate::olympiad_with(opts, s, year(opts), &students, share)
}

/// The new social passport: last year's, or a better-off profile for the school leaving ШНСУ.
pub fn passport(opts: &DemoOptions, s: &SchoolPlan) -> (u32, Vec<(Category, u32)>) {
    match change_of(s) {
        // Social profile 0.80 is that of an ordinary city school (ИСБ ≈ 88 > 81.8 + 1).
        Some(InterimChange::LeavesShnsu) => {
            let total = (1..=11).map(|g| contingent(opts, s, g)).sum();
            generate::passport_at(total, 0.80)
        }
        _ => generate::passport(opts, s, opts.year),
    }
}

/// Writes the interim files into `dir` (created if missing); returns what was written.
///
/// # Errors
/// When the folder or a file cannot be written.
pub fn write_into(dir: &Path, opts: &DemoOptions) -> Result<Written> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("не удалось создать папку {}", dir.display()))?;
    let schools = plan::schools(opts);
    let layout = super::regions::Layout::of(opts);
    let mut out = Written::default();
    if layout.split() {
        // As in the December demo: each region's files in its own folder.
        for r in 0..layout.regions() {
            let rdir = dir.join(super::regions::folder(r));
            std::fs::create_dir_all(&rdir)
                .with_context(|| format!("не удалось создать папку {}", rdir.display()))?;
            sources(&rdir, opts, &schools[layout.range(r)], &mut out)?;
        }
    } else {
        sources(dir, opts, &schools, &mut out)?;
    }
    write_config(dir, &mut out)?;
    Ok(out)
}

/// The interim files of one region's schools.
fn sources(
    dir: &Path,
    opts: &DemoOptions,
    schools: &[SchoolPlan],
    out: &mut Written,
) -> Result<()> {
    write_olympiad(dir, opts, schools, out)?;
    write_contingent(dir, opts, schools, out)?;
    write_kdr(dir, opts, schools, out)?;
    write_passport(dir, opts, schools, out)
}

fn write_olympiad(
    dir: &Path,
    o: &DemoOptions,
    schools: &[SchoolPlan],
    out: &mut Written,
) -> Result<()> {
    super::write::olympiad_protocol(dir, year(o), schools, |s| olympiad(o, s), out)
}

fn write_contingent(
    dir: &Path,
    o: &DemoOptions,
    schools: &[SchoolPlan],
    out: &mut Written,
) -> Result<()> {
    let y = year(o);
    let mut wb = new_workbook()?;
    let ws = wb.add_worksheet_with_low_memory()?;
    ws.set_name("Контингент")?;
    let mut head = vec![Field::Year.heading(), Field::SchoolId.heading()];
    head.extend((1..=11).map(|g| Field::GradeCount(g).heading()));
    header(ws, 0, &head)?;
    for (i, s) in schools.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_number(r, 0, f64::from(y))?;
        ws.write_string(r, 1, &s.id)?;
        for g in 1..=s.level.top_grade() {
            ws.write_number(r, 1 + u16::from(g), f64::from(contingent(o, s, g)))?;
        }
    }
    save(wb, &dir.join(format!("контингент {y}.xlsx")), out)
}

/// КДР as a regional centre gives them: the ВПР participant form under a title row, schools
/// by ФИС ОКО login (the interim folder has no registry: `progress` resolves logins through
/// the baseline's).
fn write_kdr(dir: &Path, o: &DemoOptions, schools: &[SchoolPlan], out: &mut Written) -> Result<()> {
    use rayon::prelude::*;
    let done: Vec<Result<Written>> = kdr_works()
        .par_iter()
        .map(|w| kdr_file(dir, o, schools, w))
        .collect();
    for d in done {
        let d = d?;
        out.files.extend(d.files);
        out.vpr_rows += d.vpr_rows;
    }
    Ok(())
}

/// One КДР file (the works are written in parallel).
fn kdr_file(dir: &Path, o: &DemoOptions, schools: &[SchoolPlan], w: &Work) -> Result<Written> {
    let y = year(o);
    let mut out = Written::default();
    let mut wb = new_workbook()?;
    let ws = wb.add_worksheet_with_low_memory()?;
    ws.set_name("Результаты")?;
    ws.write_string(
        0,
        0,
        format!(
            "Краевая диагностическая работа (КДР) по {}, {} класс, {}/{:02} учебный год",
            w.subject_dative,
            w.grade,
            y - 1,
            y % 100
        ),
    )?;
    let mut head: Vec<String> = [
        "логин школы",
        "регион",
        "номер обучающегося",
        "код обучающегося",
        "класс",
        "вариант",
        "всего баллов",
    ]
    .map(String::from)
    .to_vec();
    head.extend((1..=w.tasks.len()).map(|t| format!("балл за {t}")));
    header(ws, 2, &head)?;
    let mut r = 3u32;
    for s in schools {
        for p in kdr_rows(o, s, w) {
            ws.write_string(r, 0, &s.login)?;
            ws.write_string(r, 1, &s.municipality)?;
            ws.write_string(r, 2, p.number.to_string())?;
            ws.write_string(r, 3, &p.code)?;
            ws.write_string(r, 4, &p.class)?;
            ws.write_string(r, 5, &p.variant)?;
            scores(ws, r, 6, &p)?;
            r += 1;
        }
    }
    out.vpr_rows += u64::from(r - 3);
    save(wb, &dir.join(kdr_file_name(w, y)), &mut out)?;
    Ok(out)
}

fn write_passport(
    dir: &Path,
    o: &DemoOptions,
    schools: &[SchoolPlan],
    out: &mut Written,
) -> Result<()> {
    let y = year(o);
    let mut wb = new_workbook()?;
    let ws = wb.add_worksheet_with_low_memory()?;
    ws.set_name("Социальный паспорт")?;
    let mut head = vec![
        Field::Year.heading(),
        Field::SchoolId.heading(),
        Field::Total.heading(),
    ];
    head.extend(Category::ALL.iter().map(|c| Field::Category(*c).heading()));
    header(ws, 0, &head)?;
    for (i, s) in schools.iter().enumerate() {
        let r = i as u32 + 1;
        let (total, counts) = passport(o, s);
        ws.write_number(r, 0, f64::from(y))?;
        ws.write_string(r, 1, &s.id)?;
        ws.write_number(r, 2, f64::from(total))?;
        for (j, (_, n)) in counts.iter().enumerate() {
            ws.write_number(r, 3 + j as u16, f64::from(*n))?;
        }
    }
    save(wb, &dir.join(format!("Социальный паспорт {y}.xlsx")), out)
}

/// `shnor.toml` with the mark boundaries of the КДР (the same as of the ВПР of that work).
fn write_config(dir: &Path, out: &mut Written) -> Result<()> {
    #[derive(serde::Serialize)]
    struct MarksOnly {
        marks: Vec<crate::config::MarkBoundaries>,
    }
    let marks = kdr_works()
        .iter()
        .map(|w| crate::config::MarkBoundaries {
            exam: Exam::Kdr,
            ..w.boundaries()
        })
        .collect();
    let body = toml::to_string(&MarksOnly { marks })?;
    let text = format!(
        "# Границы отметок КДР демонстрационного муниципалитета (в выгрузке только баллы).\n\
         # Остальные настройки — по умолчанию, как у базового снимка.\n\n{body}"
    );
    let path = dir.join("shnor.toml");
    std::fs::write(&path, text)
        .with_context(|| format!("не удалось записать {}", path.display()))?;
    out.files.push(path);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_changes_in_the_committed_demo() {
        let p = planted(&DemoOptions::default());
        let ids: Vec<(&str, InterimChange)> = p.iter().map(|(i, c)| (i.as_str(), *c)).collect();
        assert_eq!(
            ids,
            [
                ("1101", InterimChange::StaysShnor),
                ("1102", InterimChange::LeavesShnor),
                ("1103", InterimChange::LeavesRisk),
                ("1105", InterimChange::Worsens),
                ("1110", InterimChange::Improves),
                ("1121", InterimChange::LeavesShnsu),
            ]
        );
    }

    fn share2(rows: &[generate::VprRow], w: &Work) -> (f64, usize) {
        let present: Vec<u32> = rows.iter().filter_map(|r| r.total).collect();
        let twos = present.iter().filter(|&&t| t < w.min[0]).count();
        (twos as f64 / present.len() as f64, present.len())
    }

    #[test]
    fn planted_kdr_shares_hold_in_the_data() {
        let o = DemoOptions::default();
        let all = plan::schools(&o);
        let by = |id: &str| all.iter().find(|s| s.id == id).unwrap();
        let [m5, m6, r7] = kdr_works();
        // Leaving ШНОР: both procedures of the federal rule below 30 % with n ≥ 10.
        for w in [m6, r7] {
            let (sh, n) = share2(&kdr_rows(&o, by("1102"), w), w);
            assert!(sh < 0.2 && n >= 10, "{}: {sh} of {n}", w.subject);
        }
        // Worsening: far more than 10 p.p. (growth_pp) above the ВПР of 2025.
        let before = share2(&generate::vpr_rows(&o, by("1105"), m5, 2025), m5).0;
        let (after, n) = share2(&kdr_rows(&o, by("1105"), m5), m5);
        assert!(after - before >= 0.25 && n >= 25, "{before} → {after}");
        // Leaving the risk zone: from 27 % down to ~5 %.
        let (after, _) = share2(&kdr_rows(&o, by("1103"), m5), m5);
        assert!(after < 0.10, "{after}");
        // Every other school: exactly its ВПР of 2025.
        let s = by("1106");
        assert_eq!(kdr_rows(&o, s, m5), generate::vpr_rows(&o, s, m5, 2025));
    }

    #[test]
    fn interim_contingent_moves_cohorts_and_keeps_retention() {
        let o = DemoOptions::default();
        let s = &plan::schools(&o)[4];
        assert_eq!(contingent(&o, s, 6), plan::contingent(&o, s, 2025, 5));
        assert_eq!(contingent(&o, s, 11), plan::contingent(&o, s, 2025, 10));
        let nosh = plan::schools(&o)
            .into_iter()
            .find(|s| s.level.top_grade() == 4);
        let nosh = nosh.unwrap();
        assert_eq!(contingent(&o, &nosh, 5), 0);
        assert_eq!(contingent(&o, &nosh, 10), 0);
        assert_eq!(contingent(&o, &nosh, 11), 0);
    }
}
