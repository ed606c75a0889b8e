//! The `shnor` binary: parse the command line, run one command, map the outcome to an exit code.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    shnor::panics::install();
    let cli = shnor::cli::Cli::parse();
    match shnor::cli::run(&cli) {
        Ok(code) => ExitCode::from(code),
        // The reader of our output has gone (`shnor inspect … | head`): nothing to report.
        Err(e) if shnor::cli::is_broken_pipe(&e) => ExitCode::SUCCESS,
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
