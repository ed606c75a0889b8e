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
}

pub fn run(args: &Args, ctx: &Context) -> Result<u8> {
    let cfg = &ctx.config;
    ctx.progress("Чтение выгрузок…");
    let ds = crate::normalize::load(&args.inputs, cfg)?;
    for issue in ds
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Rejected)
    {
        eprintln!("shnor: отклонено: {issue}");
    }
    ctx.progress("Расчёт показателей, ОИП, ИСБ и признаков…");
    let findings = crate::judge::judge(&ds, cfg, args.year)?;
    // Whole kinds of data that counted for no school: one line each, never silent.
    for note in &findings.coverage {
        let loud = if note.loud { "ВНИМАНИЕ: " } else { "" };
        eprintln!("shnor: {loud}{}", note.text);
    }
    ctx.progress("Запись отчёта…");
    let written = crate::report::write_identify(&findings, &ds, cfg, &args.out)?;

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
    for p in &written {
        ctx.say(&format!("Записан файл: {}", p.display()));
    }
    Ok(super::finish_code(&ds, ctx))
}
