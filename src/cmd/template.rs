//! `shnor template`: blank xlsx forms, with explanations, for the inputs that have no
//! national form (реестр школ, социальный паспорт, контингент, протокол ВсОШ, целевые
//! показатели).

use crate::cli::Context;
use crate::model::Year;
use anyhow::Result;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
#[command(
    long_about = "Записывает шаблоны xlsx с заголовками, которые shnor узнаёт, и листом \
«Пояснения» (что означает каждый столбец, единицы, допустимые значения, пример): реестр школ, \
социальный паспорт, контингент по классам, протокол ВсОШ, целевые показатели программы \
(заполнены типовыми показателями — замените их своими).",
    after_help = "Пример:\n  shnor template шаблоны/\n\nФайлы, которые уже есть в папке, не перезаписываются без --force."
)]
pub struct Args {
    /// Папка, куда записать шаблоны (будет создана)
    #[arg(value_name = "ПАПКА")]
    pub dir: PathBuf,
    /// Год выявления: в целевых показателях план даётся на два следующих года
    #[arg(long, default_value_t = 2025, value_name = "ГОД", value_parser = clap::value_parser!(i32).range(2000..=2100))]
    pub year: Year,
    /// Перезаписать шаблоны, которые уже есть в папке (без этого shnor их не трогает)
    #[arg(long)]
    pub force: bool,
}

/// Runs `shnor template`.
///
/// # Errors
/// When the folder or a file cannot be written.
pub fn run(args: &Args, ctx: &Context) -> Result<u8> {
    // A filled-in registry or targets table must not be lost to a second `template`.
    let existing: Vec<&str> = crate::demo::templates::headings(args.year)
        .into_iter()
        .map(|(file, _)| file)
        .filter(|file| args.dir.join(file).exists())
        .collect();
    if !existing.is_empty() && !args.force {
        return Err(crate::UsageError(format!(
            "в папке {} уже есть: {} — шаблоны не записаны, чтобы не потерять заполненное; \
             укажите другую папку или добавьте --force, чтобы перезаписать",
            args.dir.display(),
            existing.join(", ")
        ))
        .into());
    }
    let paths = crate::demo::templates::write_all(&args.dir, args.year)?;
    ctx.say(&format!("Шаблоны записаны в {}:", args.dir.display()));
    for p in paths {
        ctx.say(&format!(
            "  {}",
            p.file_name().unwrap_or_default().to_string_lossy()
        ));
    }
    Ok(crate::exit::OK)
}
