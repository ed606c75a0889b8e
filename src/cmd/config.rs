//! `shnor config`: print or write the methodology settings.

use crate::cli::Context;
use crate::config::Config;
use anyhow::{Context as _, Result};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Примеры:\n  shnor config --default > shnor.toml\n  shnor config --config shnor.toml"
)]
pub struct Args {
    /// Вывести настройки по умолчанию (все параметры методики) вместо действующих
    #[arg(long)]
    pub default: bool,
    /// Записать в файл вместо вывода на экран
    #[arg(long, short, value_name = "ФАЙЛ")]
    pub output: Option<PathBuf>,
}

pub fn run(args: &Args, ctx: &Context) -> Result<u8> {
    let text = if args.default || ctx.config_path.is_none() {
        Config::default_toml()
    } else {
        toml::to_string_pretty(&ctx.config).context("не удалось записать настройки")?
    };
    match &args.output {
        Some(path) => crate::report::write_bytes(path, text.as_bytes())?,
        None => crate::cli::print(&text)?,
    }
    Ok(crate::exit::OK)
}
