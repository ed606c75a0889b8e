//! `shnor demo`: writes a synthetic municipality (registry, ВПР, ОГЭ, ЕГЭ, ВсОШ, contingent,
//! social passports, targets, `shnor.toml`) with a planted truth, for trying the tool and
//! for tests and benchmarks.

use crate::cli::Context;
use crate::demo::{self, DemoOptions};
use crate::model::Year;
use anyhow::Result;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
#[command(
    long_about = "Создаёт демонстрационный муниципалитет: синтетические выгрузки в том виде, \
в каком их дают ФИС ОКО, РЦОИ и школы, с заранее заложенными ШНОР, ШНСУ, школами зоны риска \
и резильентной школой (см. examples/demo/README.md). Данные и люди вымышлены.",
    after_help = "Примеры:\n  shnor demo демо/\n  shnor demo демо/ --seed 7 --schools 2000\n  shnor identify демо/ --out отчёт/"
)]
pub struct Args {
    /// Папка, куда записать файлы (будет создана)
    #[arg(value_name = "ПАПКА")]
    pub dir: PathBuf,
    /// Зерно генератора: одно и то же зерно даёт одни и те же данные
    #[arg(long, default_value_t = 1, value_name = "ЧИСЛО")]
    pub seed: u64,
    /// Число школ (по 40 в муниципалитете; 2000 — регион из 50 муниципалитетов; не больше 3560)
    // 89 municipalities at most: codes 11–99 keep Код ОО at 4 digits, distinct from РЦОИ codes.
    #[arg(long, default_value_t = 40, value_name = "ЧИСЛО", value_parser = clap::value_parser!(u32).range(1..=3560))]
    pub schools: u32,
    /// Последний оцениваемый год (учебный год по году окончания: 2024/25 → 2025)
    #[arg(long, default_value_t = 2025, value_name = "ГОД", value_parser = clap::value_parser!(i32).range(2000..=2100))]
    pub year: Year,
    /// Сколько лет оценивается (последний и предыдущие)
    #[arg(long, default_value_t = 3, value_name = "ЛЕТ", value_parser = clap::value_parser!(u32).range(1..=10))]
    pub years: u32,
    /// Сколько лет до оцениваемых ещё записать (для объединения малых школ за несколько лет)
    #[arg(long, default_value_t = 2, value_name = "ЛЕТ", value_parser = clap::value_parser!(u32).range(0..=5))]
    pub history: u32,
    /// Множитель численности классов (кроме малокомплектных школ): 1 — как в примере,
    /// 2,5 — около 50 участников на работу в школе, как в среднем по России
    #[arg(long, default_value_t = 1.0, value_name = "МНОЖИТЕЛЬ", value_parser = parse_size)]
    pub size: f64,
}

fn parse_size(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .replace(',', ".")
        .parse()
        .map_err(|_| format!("«{s}» — не число; пример: 2,5"))?;
    if (0.5..=10.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("множитель {v} вне допустимых пределов 0,5–10"))
    }
}

/// Runs `shnor demo`.
///
/// # Errors
/// When the folder or a file cannot be written.
pub fn run(args: &Args, ctx: &Context) -> Result<u8> {
    let opts = DemoOptions {
        seed: args.seed,
        schools: args.schools as usize,
        year: args.year,
        years: args.years,
        history: args.history,
        size: args.size,
    };
    let s = demo::generate_into(&args.dir, &opts, &|m| ctx.progress(m))?;
    ctx.say(&format!(
        "Демонстрационные данные записаны в {}: школ {}, файлов {}, строк ВПР {}, годы {} ({:.1} с).",
        args.dir.display(),
        s.schools,
        s.files,
        s.vpr_rows,
        demo::write::years_label(&opts),
        s.seconds
    ));
    ctx.say(&format!(
        "Дальше: shnor identify {} --out отчёт/",
        args.dir.display()
    ));
    Ok(crate::exit::OK)
}
