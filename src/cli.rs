//! Command line: global options and one subcommand per file in `cmd/`.

use crate::cmd;
use crate::config::Config;
use anyhow::Result;
use clap::{Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "shnor",
    version,
    disable_help_subcommand = true,
    subcommand_value_name = "КОМАНДА",
    subcommand_help_heading = "Команды",
    about = "Выявление ШНОР и ШНСУ по выгрузкам ВПР, ОГЭ, ЕГЭ, ВсОШ и социальным паспортам школ",
    long_about = "shnor читает выгрузки как они есть (ФИС ОКО, РЦОИ, протоколы ВсОШ, контингент, \
социальные паспорта, реестр школ), считает показатели, ОИП и ИСБ по методике и называет школы \
с низкими образовательными результатами (ШНОР), в неблагоприятных социальных условиях (ШНСУ), \
в зоне риска и резильентные — с основанием для каждой.\n\n\
Коды завершения: 0 — готово; 1 — ошибка, ничего не записано; 2 — ошибка в команде или \
настройках; 3 — готово, но часть строк с ошибками не учтена (см. «Качество данных»)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub global: GlobalOpts,
}

#[derive(clap::Args, Debug, Clone)]
pub struct GlobalOpts {
    /// Файл настроек методики (TOML); без него — методика по умолчанию
    #[arg(long, global = true, value_name = "ФАЙЛ")]
    pub config: Option<PathBuf>,
    /// Не печатать ход работы и сводку (ошибки печатаются всегда)
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Читать файлы по символическим ссылкам в папке с выгрузками — только если ссылка ведёт внутрь этой папки (по умолчанию ссылки пропускаются)
    #[arg(long, global = true)]
    pub follow_symlinks: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Выявить ШНОР, ШНСУ, школы зоны риска и резильентные школы (декабрьский отчёт)
    Identify(cmd::identify::Args),
    /// Промежуточный мониторинг: изменения по школам, вход и выход из признаков, целевые показатели программы
    Progress(cmd::progress::Args),
    /// Проверить входные файлы: что будет прочитано и какие строки отклонены
    Validate(cmd::validate::Args),
    /// Показать, как прочитан каждый лист: вид, процедура, год, заголовок, столбцы, виды строк, проверка итогов
    Inspect(cmd::inspect::Args),
    /// Рассчитать одну школу по шагам и объяснить каждый шаг
    Explain(cmd::explain::Args),
    /// Создать шаблоны xlsx для данных, у которых нет национальной формы
    Template(cmd::template::Args),
    /// Создать демонстрационный муниципалитет (синтетические данные)
    Demo(cmd::demo::Args),
    /// Показать или записать настройки методики
    Config(cmd::config::Args),
}

/// What every command gets besides its own arguments.
pub struct Context {
    pub config: Config,
    pub config_path: Option<PathBuf>,
    pub quiet: bool,
    /// How input folders are walked (`--follow-symlinks`).
    pub walk: crate::normalize::Walk,
    /// Progress lines only on a terminal (cron logs stay clean).
    pub interactive: bool,
}

impl Context {
    /// Prints a progress line to stderr when on a terminal and not quiet.
    pub fn progress(&self, msg: &str) {
        if self.interactive && !self.quiet {
            eprintln!("{msg}");
        }
    }

    /// Prints a summary line to stdout unless quiet. A failed write is ignored: a closed
    /// pipe must not stop a run whose product is files.
    pub fn say(&self, msg: &str) {
        if !self.quiet {
            let _ = writeln!(std::io::stdout(), "{msg}");
        }
    }
}

/// Writes a command's product (inspect, validate, explain, config) to stdout. A write error
/// goes up to `main`, which ends a run whose reader has gone (`shnor inspect … | head`)
/// quietly with 0, as ripgrep does; `println!` would panic instead.
///
/// # Errors
/// When stdout cannot be written.
pub fn print(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// Whether an error is a write to a closed pipe.
#[must_use]
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Runs the chosen command and returns the exit code.
///
/// # Errors
/// Any failure; [`crate::UsageError`] for configuration and usage errors.
pub fn run(cli: &Cli) -> Result<u8> {
    let config_path = cli
        .global
        .config
        .clone()
        .or_else(|| discover_config(&cli.command));
    let config = match &config_path {
        Some(p) => Config::load(p).map_err(|e| crate::UsageError(format!("{e:#}")))?,
        None => Config::default(),
    };
    if cli.global.config.is_none()
        && let Some(p) = &config_path
        && !cli.global.quiet
    {
        eprintln!("shnor: настройки взяты из {}", p.display());
    }
    let ctx = Context {
        config,
        config_path,
        quiet: cli.global.quiet,
        walk: crate::normalize::Walk {
            follow_symlinks: cli.global.follow_symlinks,
        },
        interactive: std::io::stderr().is_terminal(),
    };
    match &cli.command {
        Command::Identify(a) => cmd::identify::run(a, &ctx),
        Command::Progress(a) => cmd::progress::run(a, &ctx),
        Command::Validate(a) => cmd::validate::run(a, &ctx),
        Command::Explain(a) => cmd::explain::run(a, &ctx),
        Command::Inspect(a) => cmd::inspect::run(a, &ctx),
        Command::Template(a) => cmd::template::run(a, &ctx),
        Command::Demo(a) => cmd::demo::run(a, &ctx),
        Command::Config(a) => cmd::config::run(a, &ctx),
    }
}

/// A `shnor.toml` lying in the (first) input folder is used as the config: an analyst keeps
/// the settings next to the exports, and cron runs need no extra flag.
fn discover_config(command: &Command) -> Option<PathBuf> {
    let inputs: &[PathBuf] = match command {
        Command::Identify(a) => &a.inputs,
        Command::Progress(a) => &a.inputs,
        Command::Validate(a) => &a.inputs,
        Command::Explain(a) => &a.inputs,
        Command::Inspect(a) => &a.inputs,
        _ => return None,
    };
    inputs
        .iter()
        .filter(|p| p.is_dir())
        .map(|p| p.join("shnor.toml"))
        .find(|p| p.is_file())
}
