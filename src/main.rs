//! The `shnor` binary: parse the command line, run one command, map the outcome to an exit code.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = shnor::cli::Cli::parse();
    match shnor::cli::run(&cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("shnor: ошибка: {e:#}");
            if e.downcast_ref::<shnor::UsageError>().is_some() {
                ExitCode::from(shnor::exit::USAGE)
            } else {
                ExitCode::from(shnor::exit::FAILED)
            }
        }
    }
}
