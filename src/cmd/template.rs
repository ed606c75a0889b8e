//! `shnor template`.

use crate::cli::Context;
use anyhow::Result;

#[derive(clap::Args, Debug)]
pub struct Args {}

pub fn run(args: &Args, ctx: &Context) -> Result<u8> {
    let _ = (args, ctx);
    todo!("template")
}
