//! `shnor identify`: from a folder of exports to the December report.

use crate::cli::Context;
use crate::judge::FlagKind;
use crate::model::{Severity, Year};
use anyhow::Result;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Примеры:\n  shnor identify выгрузки/\n  shnor identify выгрузки/ --year 2025 --out отчёт/\n  shnor identify --config shnor.toml реестр.xlsx впр_2025.xlsx огэ_2025.csv\n\n\
Если в папке с выгрузками лежит shnor.toml, он используется как файл настроек."
)]
pub struct Args {
    /// Папка с выгрузками или отдельные файлы
    #[arg(required = true, value_name = "ПАПКА_ИЛИ_ФАЙЛЫ")]
    pub inputs: Vec<PathBuf>,
    /// Куда записать отчёт (по умолчанию — текущая папка)
    #[arg(long, short, value_name = "ПАПКА", default_value = ".")]
    pub out: PathBuf,
    /// Год выявления (учебный год по году окончания: 2024/25 → 2025); по умолчанию — последний год в данных
    #[arg(long, value_name = "ГОД")]
    pub year: Option<Year>,
    /// Базовый снимок прошлого декабря (baseline-<год − 1>.json.gz или identify-<год − 1>.json): кто вошёл в перечни и кто вышел; по умолчанию — такой файл в папке отчёта, если он там есть
    #[arg(long, value_name = "ФАЙЛ")]
    pub previous: Option<PathBuf>,
    /// Разделить отчёт: сводная книга и по книге на каждый муниципалитет (municipality) или регион (region); none — одна книга; по умолчанию (auto) — по муниципалитетам, если школ больше 300 и муниципалитетов больше одного
    #[arg(long, value_name = "КАК", value_enum, default_value_t = SplitArg::Auto)]
    pub split: SplitArg,
}

/// `--split` values.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SplitArg {
    Auto,
    None,
    Municipality,
    Region,
}

impl From<SplitArg> for crate::report::split::Split {
    fn from(a: SplitArg) -> Self {
        use crate::report::split::Split;
        match a {
            SplitArg::Auto => Split::Auto,
            SplitArg::None => Split::None,
            SplitArg::Municipality => Split::Municipality,
            SplitArg::Region => Split::Region,
        }
    }
}

pub fn run(args: &Args, ctx: &Context) -> Result<u8> {
    let (mut cfg, today) = super::dated_config(&ctx.config)?;
    // `--year` after the current school year is the analyst's word that such results
    // exist: its files are read; without it they are refused (docs/recognition.md «Годы»).
    if let Some(y) = args.year
        && cfg.latest_year.is_some_and(|l| y > l)
    {
        cfg.latest_year = Some(y);
    }
    let cfg = &cfg;
    ctx.progress("Чтение выгрузок…");
    let mut ds = crate::normalize::load_with(&args.inputs, cfg, ctx.walk)?.dataset;
    crate::memory::release_freed();
    let year = match args.year {
        Some(y) => Some(y),
        None => judged_year(&mut ds, today)?,
    };
    for issue in ds
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Rejected)
    {
        eprintln!("shnor: отклонено: {issue}");
    }
    // Tables of municipalities are not an error, but the analyst must see they were not
    // counted as schools (docs/recognition.md «Строки»).
    let district = format!("лист не учтён: {}", crate::recognize::DISTRICT_TABLE);
    for issue in ds
        .issues
        .iter()
        .filter(|i| i.message.starts_with(&district))
    {
        eprintln!("shnor: не учтено: {issue}");
    }
    ctx.progress("Расчёт показателей, ОИП, ИСБ и признаков…");
    let findings = crate::judge::judge(&ds, cfg, year)?;
    // Whole kinds of data that counted for no school: one line each, never silent.
    for note in &findings.coverage {
        eprintln!("shnor: {}", note.line());
    }
    // Read before the new set replaces it: the output folder may hold last year's.
    let (prev, note) = crate::report::previous(args.previous.as_deref(), &args.out, findings.year)
        .map_err(|e| crate::UsageError(format!("--previous: {}", crate::usage::error_chain(&e))))?;
    if let Some(n) = note {
        eprintln!("shnor: внимание: {n}");
    }
    ctx.progress("Запись отчёта…");
    let written = crate::report::write_identify(
        &findings,
        &ds,
        cfg,
        prev.as_ref(),
        &args.out,
        args.split.into(),
    )?;

    let count = |k: FlagKind| {
        findings
            .schools
            .iter()
            .filter(|s| s.flag(k).is_some())
            .count()
    };
    ctx.say(&format!(
        "Год {}: школ {}, ШНОР {}, ШНСУ {}, зона риска {}, резильентных {}.",
        findings.year,
        findings.schools.len(),
        count(FlagKind::Shnor),
        count(FlagKind::Shnsu),
        count(FlagKind::Risk),
        count(FlagKind::Resilient),
    ));
    for note in &written.notes {
        eprintln!("shnor: внимание: {note}");
    }
    for p in &written.paths {
        ctx.say(&format!("Записан файл: {}", p.display()));
    }
    Ok(super::finish_code(&ds, ctx))
}

/// Without `--year`: the latest year not after today's school year. A file with results of
/// a later year is named (stderr and «Качество данных»): it is why that year is not judged.
fn judged_year(ds: &mut crate::model::Dataset, today: Year) -> Result<Option<Year>> {
    let (year, later) = crate::judge::default_year(ds, today);
    let now = format!("{}/{:02}", today - 1, today % 100);
    if year.is_none()
        && let Some((file, y)) = later.first()
    {
        anyhow::bail!(crate::UsageError(format!(
            "результаты есть только за годы после текущего учебного года {now} (например, {y} \
             в «{file}»): выявлять не за что. Если год верный, укажите его явно: --year {y}"
        )));
    }
    for (file, y) in later {
        let message = format!(
            "результаты за {y} год — позже текущего учебного года {now}: по умолчанию \
             выявление за {} год; чтобы оценить {y}, укажите --year {y}",
            year.unwrap_or(today)
        );
        eprintln!("shnor: внимание: {file}: {message}");
        ds.issues.push(crate::model::Issue::of_file(
            Severity::Warning,
            &file,
            message,
        ));
    }
    Ok(year)
}
