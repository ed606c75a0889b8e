//! `shnor validate`.

use crate::cli::Context;
use anyhow::Result;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Папка с выгрузками или отдельные файлы
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
}

pub fn run(args: &Args, ctx: &Context) -> Result<u8> {
    let _ = (args, ctx);
    todo!("validate")
}
