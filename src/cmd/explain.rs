//! `shnor explain`: reads the inputs, judges them, and prints the whole calculation for one
//! school — the answer to «почему эта школа в списке?».

use crate::cli::Context;
use crate::model::Year;
use crate::{judge, normalize, report};
use anyhow::Result;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Примеры:\n  shnor explain 0412 выгрузки/\n  shnor explain \"Ивановская\" выгрузки/ --year 2025"
)]
pub struct Args {
    /// Школа: код, другой код (логин ФИС ОКО, код ОГЭ/ЕГЭ, ИНН) или часть названия
    #[arg(value_name = "ШКОЛА")]
    pub school: String,
    /// Папка с выгрузками или отдельные файлы
    #[arg(required = true, value_name = "ПАПКА_ИЛИ_ФАЙЛЫ")]
    pub inputs: Vec<PathBuf>,
    /// Год выявления; по умолчанию — последний год в данных
    #[arg(long, value_name = "ГОД")]
    pub year: Option<Year>,
}

/// Prints the explanation to stdout.
///
/// # Errors
/// Unreadable inputs, nothing to judge, or a school that is not found or ambiguous (exit 2).
pub fn run(args: &Args, ctx: &Context) -> Result<u8> {
    ctx.progress("Чтение выгрузок…");
    let ds = normalize::load_with(&args.inputs, &ctx.config, ctx.walk)?.dataset;
    let findings = judge::judge(&ds, &ctx.config, args.year)?;
    let school = report::find_school(&findings, &args.school)?;
    crate::cli::print(&report::explain_school(&findings, school, &ctx.config))?;
    Ok(crate::exit::OK)
}
