//! `shnor identify`: from a folder of exports to the December report.

use crate::cli::Context;
use crate::model::Year;
use anyhow::Result;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Примеры:\n  shnor identify выгрузки/\n  shnor identify выгрузки/ --year 2025 --out отчёт/\n  shnor identify --config shnor.toml реестр.xlsx впр_2025.xlsx огэ_2025.csv"
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
    let _ = (args, ctx);
    todo!("identify")
}
