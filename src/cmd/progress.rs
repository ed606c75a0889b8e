//! `shnor progress`: the mid-year monitoring report (METHOD §5) — the December baseline
//! against whatever interim data the analyst has, plus the program's targets.

use crate::cli::Context;
use crate::config::Config;
use crate::judge::dynamics::Interim;
use crate::judge::interim::{Movement, isb};
use crate::judge::progress::analyse;
use crate::model::{Dataset, Issue, Origin, Severity, Year};
use crate::report::{BaselineInfo, PROGRESS_FORMAT_VERSION, ProgressReport};
use anyhow::{Result, bail};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Примеры:\n  shnor progress промежуточные/ --baseline отчёт/identify-2025.json\n  \
shnor progress промежуточные/ --baseline identify-2025.json --targets \"целевые показатели.xlsx\" --out мониторинг/\n\n\
Пороги, кластеры и методика берутся из базового снимка; из текущих настроек — раздел [progress] \
и подсказки для чтения файлов."
)]
pub struct Args {
    /// Папка с промежуточными данными или отдельные файлы (ВсОШ, КДР, пробные ОГЭ, паспорт, контингент)
    #[arg(required = true, value_name = "ПАПКА_ИЛИ_ФАЙЛЫ")]
    pub inputs: Vec<PathBuf>,
    /// Базовый снимок, записанный командой identify (identify-<год>.json)
    #[arg(long, required = true, value_name = "ФАЙЛ")]
    pub baseline: PathBuf,
    /// Таблица целевых показателей программы (xlsx/csv; шаблон — shnor template)
    #[arg(long, value_name = "ФАЙЛ")]
    pub targets: Option<PathBuf>,
    /// Куда записать отчёт (по умолчанию — текущая папка)
    #[arg(long, short, value_name = "ПАПКА", default_value = ".")]
    pub out: PathBuf,
    /// Дата отчёта ГГГГ-ММ-ДД (по умолчанию — сегодня); входит в имя файла
    #[arg(long, value_name = "ДАТА")]
    pub date: Option<String>,
}

/// Today's date (UTC) as ГГГГ-ММ-ДД (civil-from-days, H. Hinnant).
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

fn check_date(s: &str) -> Result<String> {
    let ok = s.len() == 10
        && s.chars().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !ok {
        bail!(crate::UsageError(format!(
            "--date «{s}»: укажите дату в виде ГГГГ-ММ-ДД, например 2026-02-15"
        )));
    }
    Ok(s.to_string())
}

/// Checks the `[progress]` settings.
fn validate(cfg: &Config) -> Result<()> {
    let p = &cfg.progress;
    let err = |m: &str| Err(crate::UsageError(format!("ошибка в настройках: {m}")).into());
    if !(p.alpha > 0.0 && p.alpha < 1.0) {
        return err("progress.alpha: уровень значимости должен быть между 0 и 1 (0.05 = 95 %)");
    }
    if !(p.leave_margin >= 0.0 && p.leave_margin_isb >= 0.0) {
        return err("progress.leave_margin: запас не может быть отрицательным");
    }
    if !(0.0..1.0).contains(&p.target_tolerance) {
        return err("progress.target_tolerance: допуск — доля от 0 до 1 (0.1 = 10 %)");
    }
    Ok(())
}

/// Names the top-level sections of the methodology that differ between two configs.
pub fn methodology_diff(a: &Config, b: &Config) -> Vec<&'static str> {
    let mut v = Vec::new();
    if a.general.min_n != b.general.min_n
        || a.general.pool_years != b.general.pool_years
        || a.general.years_judged != b.general.years_judged
    {
        v.push("general");
    }
    if a.indicators != b.indicators {
        v.push("indicators");
    }
    if a.points != b.points {
        v.push("points");
    }
    if a.oip != b.oip {
        v.push("oip");
    }
    if a.federal != b.federal {
        v.push("federal");
    }
    if a.risk != b.risk {
        v.push("risk");
    }
    if a.isb != b.isb {
        v.push("isb");
    }
    if a.clusters != b.clusters {
        v.push("clusters");
    }
    v
}

/// Leaves out records outside the interim year: the baseline year and earlier are already in
/// the baseline (only the contingent of the baseline year is kept, for the retention of
/// grade 10), later years belong to a later baseline. One issue per file and year.
pub fn keep_interim(ds: &mut Dataset, baseline_year: Year) -> Vec<Issue> {
    let year = baseline_year + 1;
    let mut dropped: BTreeMap<(String, Year), usize> = BTreeMap::new();
    let mut note = |o: &Origin, y: Year| *dropped.entry((o.file.clone(), y)).or_default() += 1;
    ds.results.retain(|r| {
        r.year == year || {
            note(&r.origin, r.year);
            false
        }
    });
    ds.olympiad.retain(|r| {
        r.year == year || {
            note(&r.origin, r.year);
            false
        }
    });
    ds.passports.retain(|r| {
        r.year == year || {
            note(&r.origin, r.year);
            false
        }
    });
    ds.contingent.retain(|r| {
        r.year == year || r.year == baseline_year || {
            note(&r.origin, r.year);
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
                    file,
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

/// Interim folders rarely hold the registry, and without one the readers keep every school
/// key as written — a ФИС ОКО login of a КДР in the ВПР form, a РЦОИ code of a trial ОГЭ —
/// so it would match no school of the baseline. Such keys are resolved through the registry
/// the baseline was made with (Код ОО and «Другие коды ОО»). Returns how many distinct keys
/// were resolved through other codes.
///
/// # Errors
/// When the baseline's registry repeats a Код ОО (it cannot: identify refuses such a registry).
pub fn resolve_by_baseline(ds: &mut Dataset, f: &crate::judge::Findings) -> Result<usize> {
    let schools: Vec<crate::model::School> = f.schools.iter().map(|s| s.school.clone()).collect();
    let origins = vec![Origin::default(); schools.len()];
    let index = crate::normalize::schools::Index::build(&schools, &origins)?;
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
    Ok(keys.len())
}

/// The reader's warning that without a registry all schools form one cluster: in `progress`
/// the clusters come from the baseline, so it does not apply.
fn is_no_registry_warning(i: &Issue) -> bool {
    i.severity == Severity::Warning
        && i.origin.file.is_empty()
        && i.message.starts_with("реестр школ не найден")
}

/// Measures the interim dataset.
fn measure(
    ds: &Dataset,
    cfg: &Config,
    year: Year,
) -> (Interim, Vec<crate::measure::OlympiadSummary>) {
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
    let isb_now = ds
        .passports
        .iter()
        .filter(|p| p.year == year)
        .filter_map(|p| isb(p, &cfg.isb).map(|v| (p.school.clone(), v)))
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

/// Runs `shnor progress` and returns the exit code.
///
/// # Errors
/// An unreadable baseline or settings (exit 2), no interim data, unreadable inputs.
pub fn run(args: &Args, ctx: &Context) -> Result<u8> {
    validate(&ctx.config)?;
    let date = match &args.date {
        Some(d) => check_date(d)?,
        None => today(),
    };
    let baseline = crate::report::read_baseline(&args.baseline)
        .map_err(|e| crate::UsageError(format!("{e:#}")))?;
    let mut notes = Vec::new();
    if baseline.shnor_version != env!("CARGO_PKG_VERSION") {
        notes.push(format!(
            "Базовый снимок записан shnor {}, отчёт — shnor {}: формат совместим, методика взята из снимка.",
            baseline.shnor_version,
            env!("CARGO_PKG_VERSION")
        ));
    }
    let diff = methodology_diff(&baseline.config, &ctx.config);
    if !diff.is_empty() {
        notes.push(format!(
            "Текущие настройки методики отличаются от настроек базового снимка (разделы: {}). \
             Сравнение ведётся по методике снимка — пороги, кластеры и баллы не пересчитываются; \
             из текущих настроек взяты только [progress] и подсказки для чтения файлов.",
            diff.join(", ")
        ));
    }
    // The baseline's methodology, with the current reading hints and progress settings.
    let mut cfg = baseline.config.clone();
    cfg.progress = ctx.config.progress.clone();
    cfg.files = ctx.config.files.clone();
    cfg.columns = ctx.config.columns.clone();
    cfg.marks = ctx.config.marks.clone();
    let f = &baseline.findings;
    let year = baseline.year + 1;

    ctx.progress("Чтение промежуточных данных…");
    // `load` expands folders itself, so files it skips are reported, not lost; a targets file
    // that also lies in the folder is read once, and the baseline (JSON) is no spreadsheet.
    let mut inputs = args.inputs.clone();
    if let Some(t) = &args.targets {
        if !t.is_file() {
            return Err(crate::UsageError(format!(
                "файл целевых показателей {} не найден",
                t.display()
            ))
            .into());
        }
        inputs.push(t.clone());
    }
    let mut ds = crate::normalize::load(&inputs, &ctx.config)?;
    if ds.issues.iter().any(is_no_registry_warning) {
        ds.issues.retain(|i| !is_no_registry_warning(i));
        let n = resolve_by_baseline(&mut ds, f)?;
        notes.push(format!(
            "Реестра в промежуточных данных нет: школы сопоставлены по реестру базового снимка — \
             по Коду ОО и другим кодам ОО (логин ФИС ОКО, код РЦОИ){}.",
            if n > 0 {
                format!("; по другим кодам сопоставлено кодов: {n}")
            } else {
                String::new()
            }
        ));
    }
    let left_out = keep_interim(&mut ds, baseline.year);
    for i in &left_out {
        eprintln!("shnor: отклонено: {i}");
    }
    for issue in ds
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Rejected)
    {
        eprintln!("shnor: отклонено: {issue}");
    }
    ds.issues.extend(left_out);
    if ds.results.is_empty()
        && ds.olympiad.is_empty()
        && ds.passports.is_empty()
        && !ds.contingent.iter().any(|c| c.year == year)
    {
        bail!(
            "нет промежуточных данных за {}/{} учебный год (базовый снимок — {} год): \
             положите в папку протоколы МЭ ВсОШ, результаты КДР или пробных ОГЭ, новый социальный \
             паспорт или контингент этого учебного года",
            year - 1,
            year % 100,
            baseline.year
        );
    }
    if args.targets.is_some() && ds.targets.is_empty() {
        notes.push("В таблице целевых показателей не найдено ни одной строки.".into());
    }
    let known: BTreeSet<&str> = f.schools.iter().map(|s| s.school.id.as_str()).collect();

    ctx.progress("Сравнение с базовым снимком…");
    let (interim, olympiad) = measure(&ds, &cfg, year);
    let strangers: Vec<&str> = interim
        .schools
        .iter()
        .map(String::as_str)
        .filter(|s| !known.contains(s))
        .collect();
    if !strangers.is_empty() {
        notes.push(format!(
            "Школ нет в базовом снимке, в сравнение не вошли: {}.",
            strangers.join(", ")
        ));
    }
    let missing = known
        .iter()
        .filter(|s| !interim.schools.contains(**s))
        .count();
    if missing > 0 {
        notes.push(format!(
            "Школ из снимка без промежуточных данных: {missing} — у них «нет данных для сравнения», признаки снимка сохраняются."
        ));
    }
    let pf = analyse(f, &cfg, &cfg.progress, &interim, &olympiad, &ds.targets);
    let report = ProgressReport {
        format_version: PROGRESS_FORMAT_VERSION,
        shnor_version: env!("CARGO_PKG_VERSION").into(),
        date,
        baseline: BaselineInfo {
            path: args.baseline.display().to_string(),
            year: baseline.year,
            shnor_version: baseline.shnor_version.clone(),
            format_version: baseline.format_version,
        },
        notes,
        findings: pf,
        files: ds.files.clone(),
        issues: ds.issues.clone(),
    };
    ctx.progress("Запись отчёта…");
    let written = crate::report::write_progress(&report, f, &cfg, &args.out)?;
    for n in &report.notes {
        eprintln!("shnor: {n}");
    }
    let moved = |m: Movement| {
        report
            .findings
            .flags
            .iter()
            .filter(|c| c.movement == m)
            .count()
    };
    ctx.say(&format!(
        "Промежуточный мониторинг {}/{} (снимок {} года): школ {}, вошли в признаки {}, вышли {}, целевых показателей {}.",
        year - 1,
        year % 100,
        baseline.year,
        f.schools.len(),
        moved(Movement::Entered),
        moved(Movement::Left),
        report.findings.targets.len()
    ));
    for p in &written {
        ctx.say(&format!("Записан файл: {}", p.display()));
    }
    Ok(super::finish_code(&ds, ctx))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Contingent, OlympiadEntry, Stage, Status};

    #[test]
    fn dates() {
        assert!(check_date("2026-02-15").is_ok());
        assert!(check_date("15.02.2026").is_err());
        let t = today();
        assert_eq!(t.len(), 10);
        assert!(t.as_str() >= "2024-01-01", "{t}");
    }

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
        let entry = |year, f: &str| OlympiadEntry {
            year,
            school: "ОО-1".into(),
            stage: Stage::Municipal,
            subject: "Математика".into(),
            participant: "1".into(),
            grade: Some(8),
            status: Status::Participant,
            origin: origin(f),
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
            .find(|i| i.origin.file == "всош-2024-25.csv")
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
    }
}
