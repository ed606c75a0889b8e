//! `shnor progress`: the mid-year monitoring report (docs/method.md §5) — the December baseline
//! against whatever interim data the analyst has, plus the program's targets.

use crate::cli::Context;
use crate::judge::progress::{self, Movement};
use crate::model::Severity;
use crate::report::{BaselineInfo, PROGRESS_FORMAT_VERSION, ProgressReport};
use anyhow::{Result, bail};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Примеры:\n  shnor progress промежуточные/ --baseline отчёт/\n  \
shnor progress промежуточные/ --baseline отчёт/baseline-2025.json.gz --targets \"целевые показатели.xlsx\" --out мониторинг/\n\n\
Пороги, кластеры и методика берутся из базового снимка; из текущих настроек — раздел [progress] \
и подсказки для чтения файлов."
)]
pub struct Args {
    /// Папка с промежуточными данными или отдельные файлы (ВсОШ, КДР, пробные ОГЭ, паспорт, контингент)
    #[arg(required = true, value_name = "ПАПКА_ИЛИ_ФАЙЛЫ")]
    pub inputs: Vec<PathBuf>,
    /// Базовый снимок, записанный командой identify: папка декабрьского отчёта, baseline-<год>.json.gz или identify-<год>.json
    #[arg(long, required = true, value_name = "ПАПКА_ИЛИ_ФАЙЛ")]
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

const DATE_FORMAT: &str = "%Y-%m-%d";

/// Today's date (UTC) as ГГГГ-ММ-ДД. The clock is read here, not in judge.
fn today() -> String {
    chrono::Utc::now()
        .date_naive()
        .format(DATE_FORMAT)
        .to_string()
}

/// A real calendar date written as ГГГГ-ММ-ДД (it goes into file names as written).
fn check_date(s: &str) -> Result<String> {
    match chrono::NaiveDate::parse_from_str(s, DATE_FORMAT) {
        Ok(d) if d.format(DATE_FORMAT).to_string() == s => Ok(s.to_string()),
        _ => bail!(crate::UsageError(format!(
            "--date «{s}»: укажите дату в виде ГГГГ-ММ-ДД, например 2026-02-15"
        ))),
    }
}

/// Runs `shnor progress` and returns the exit code.
///
/// # Errors
/// An unreadable baseline or settings (exit 2), no interim data, unreadable inputs.
pub fn run(args: &Args, ctx: &Context) -> Result<u8> {
    progress::check_settings(&ctx.config)
        .map_err(|m| crate::UsageError(format!("ошибка в настройках: {m}")))?;
    let date = match &args.date {
        Some(d) => check_date(d)?,
        None => today(),
    };
    let baseline = crate::report::read_baseline(&args.baseline)
        .map_err(|e| crate::UsageError(format!("{e:#}")))?;
    progress::check_baseline(&baseline.findings, &baseline.config).map_err(|why| {
        crate::UsageError(format!(
            "{}: базовый снимок не подходит для сравнения — {why}. Это файл baseline-<год>.json.gz \
             (или identify-<год>.json), который записывает shnor identify; пересоздайте его командой shnor identify по \
             декабрьским данным и не правьте вручную",
            args.baseline.display()
        ))
    })?;
    let mut notes = Vec::new();
    // The first `info` notes say how the run was done; the rest say what was not counted.
    // `-q` keeps only the latter on the terminal (all are in the report).
    let mut info = 0;
    if baseline.shnor_version != env!("CARGO_PKG_VERSION") {
        info += 1;
        notes.push(format!(
            "Базовый снимок записан shnor {}, отчёт — shnor {}: формат совместим, методика взята из снимка.",
            baseline.shnor_version,
            env!("CARGO_PKG_VERSION")
        ));
    }
    let diff = progress::methodology_diff(&baseline.config, &ctx.config);
    if !diff.is_empty() {
        info += 1;
        notes.push(format!(
            "Текущие настройки методики отличаются от настроек базового снимка (разделы: {}). \
             Сравнение ведётся по методике снимка — пороги, кластеры и баллы не пересчитываются; \
             из текущих настроек взяты только [progress] и подсказки для чтения файлов.",
            diff.join(", ")
        ));
    }
    if baseline.findings.shrink {
        info += 1;
        notes.push(
            "ОИП базового снимка рассчитан по сжатым к кластеру значениям ([uncertainty] shrink = \
             true): промежуточные значения сжимаются так же, чтобы сравнивать одинаковое."
                .into(),
        );
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
    let mut ds = crate::normalize::load_with(&inputs, &ctx.config, ctx.walk)?.dataset;
    crate::memory::release_freed();
    if let Some(n) = progress::adopt_baseline_registry(&mut ds, f)? {
        info += 1;
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
    let left_out = progress::keep_interim(&mut ds, baseline.year);
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
    if !progress::has_interim_data(&ds, year) {
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

    ctx.progress("Сравнение с базовым снимком…");
    let (interim, olympiad) = progress::measure_interim(&ds, &cfg, year);
    let (strangers, missing) = progress::coverage(f, &interim);
    if !interim.schools.is_empty() && strangers.len() == interim.schools.len() {
        let sample: Vec<&str> = strangers.iter().take(3).copied().collect();
        let known: Vec<&str> = f
            .schools
            .iter()
            .take(3)
            .map(|s| s.school.id.as_str())
            .collect();
        bail!(crate::UsageError(format!(
            "ни одна школа промежуточных данных не найдена в базовом снимке {}: в данных школ {} \
             (например, {}), в снимке {} (например, {}). Вероятно, снимок другого муниципалитета \
             или года, или коды ОО в файлах другие. Укажите --baseline снимок того же \
             муниципалитета или положите в папку реестр школ с кодами ОО снимка",
            args.baseline.display(),
            interim.schools.len(),
            sample.join(", "),
            f.schools.len(),
            known.join(", ")
        )));
    }
    if !strangers.is_empty() {
        notes.push(format!(
            "Школ нет в базовом снимке, в сравнение не вошли: {}.",
            strangers.join(", ")
        ));
    }
    if missing > 0 {
        notes.push(format!(
            "Школ из снимка без промежуточных данных: {missing} — у них «нет данных для сравнения», признаки снимка сохраняются."
        ));
    }
    let pf = progress::analyse(f, &cfg, &cfg.progress, &interim, &olympiad, &ds.targets);
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
    for n in report.notes.iter().skip(if ctx.quiet { info } else { 0 }) {
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
    for note in &written.notes {
        eprintln!("shnor: внимание: {note}");
    }
    for p in &written.paths {
        ctx.say(&format!("Записан файл: {}", p.display()));
    }
    Ok(super::finish_code(&ds, ctx))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(check_date("2026-02-15").unwrap(), "2026-02-15");
        assert!(check_date("15.02.2026").is_err());
        assert!(check_date("2026-2-15").is_err());
        assert!(check_date("2026-02-30").is_err());
        let t = today();
        assert_eq!(t.len(), 10);
        assert!(t.as_str() >= "2024-01-01", "{t}");
    }
}
