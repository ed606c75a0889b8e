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
и резильентной школой (см. examples/demo/README.md). Данные и люди вымышлены.\n\n\
С --schools больше 40 — регион (по 40 школ в муниципалитете, до 3560 школ), больше 3560 — \
несколько регионов по 2000 школ, вплоть до всей страны (40000): реестр один, с «Субъект РФ», \
коды ОО, логины ФИС ОКО и коды РЦОИ начинаются с кода региона, остальные файлы каждого региона \
записываются в его папку («11 Приозёрная область» …).\n\n\
С --interim ПАПКА2 записывает ещё промежуточные данные следующего учебного года (протокол МЭ ВсОШ, \
контингент, КДР, социальный паспорт) с заложенными изменениями для shnor progress \
(см. examples/demo-progress/README.md). Папка должна быть отдельной: в папке демо identify \
принял бы следующий год за последний.",
    after_help = "Примеры:\n  shnor demo демо/\n  shnor demo демо/ --seed 7 --schools 2000\n  shnor demo страна/ --schools 40000 --size 2,5 --history 0\n  shnor identify демо/ --out отчёт/\n  \
shnor demo демо/ --interim демо-промежуточные/\n  \
shnor progress демо-промежуточные/ --baseline отчёт/ --targets \"демо/целевые показатели.xlsx\" --out отчёт/"
)]
pub struct Args {
    /// Папка, куда записать файлы (будет создана)
    #[arg(value_name = "ПАПКА")]
    pub dir: PathBuf,
    /// Зерно генератора: одно и то же зерно даёт одни и те же данные
    #[arg(long, default_value_t = 1, value_name = "ЧИСЛО")]
    pub seed: u64,
    /// Число школ, от 1 до 40000. По 40 в муниципалитете; до 3560 — один регион (2000 —
    /// 50 муниципалитетов); больше — несколько регионов по 2000 школ (50 муниципалитетов),
    /// в реестре столбец «Субъект РФ», файлы каждого региона — в его папке
    // One region up to 89 municipalities (codes 11–99 keep Код ОО at 4 digits, distinct from
    // РЦОИ codes); above, regions of 2,000 with the region code in every code (demo::regions).
    #[arg(long, default_value_t = 40, value_name = "ЧИСЛО", value_parser = clap::value_parser!(u32).range(1..=40000))]
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
    /// Ещё записать промежуточные данные следующего учебного года (для shnor progress) в эту
    /// папку — отдельную от папки демо
    #[arg(long, value_name = "ПАПКА2")]
    pub interim: Option<PathBuf>,
}

/// Whether two folder paths name the same folder (the second may not exist yet).
fn same_dir(a: &std::path::Path, b: &std::path::Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
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
        region_schools: None,
    };
    if let Some(dir2) = &args.interim
        && same_dir(&args.dir, dir2)
    {
        return Err(crate::UsageError(format!(
            "--interim {}: промежуточные данные нужно записать в отдельную папку — в папке демо \
             identify принял бы {} год за последний",
            dir2.display(),
            demo::interim::year(&opts)
        ))
        .into());
    }
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
    if let Some(dir2) = &args.interim {
        ctx.progress("Промежуточные данные (ВсОШ, контингент, КДР, социальный паспорт)…");
        let w = demo::interim::write_into(dir2, &opts)?;
        let y = demo::interim::year(&opts);
        ctx.say(&format!(
            "Промежуточные данные {}/{:02} учебного года записаны в {}: файлов {}.",
            y - 1,
            y % 100,
            dir2.display(),
            w.files.len()
        ));
        ctx.say(&format!(
            "Дальше: shnor progress {} --baseline отчёт/ --targets \"{}\" --out отчёт/",
            dir2.display(),
            args.dir.join("целевые показатели.xlsx").display()
        ));
    }
    Ok(crate::exit::OK)
}
