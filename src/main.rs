//! The `shnor` binary: parse the command line, run one command, map the outcome to an exit code.

use clap::Parser;
use std::process::ExitCode;

// mimalloc: at 40,000 schools 115 s and 3.2 GB instead of glibc's 147–152 s and 3.7 GB;
// freed pages kept for reuse on large inputs (`memory::keep_freed_for`); wrapped so that
// running out of memory is a Russian message and exit code 1.
#[global_allocator]
static GLOBAL: shnor::memory::Allocator = shnor::memory::Allocator;

fn main() -> ExitCode {
    shnor::panics::install();
    let cli = match shnor::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let (text, to_stderr, code) = shnor::usage::clap_outcome(&e);
            if to_stderr {
                eprint!("{text}");
            } else {
                // A closed pipe (`shnor --help | head`) is not an error.
                let _ = std::io::Write::write_all(&mut std::io::stdout(), text.as_bytes());
            }
            return ExitCode::from(code);
        }
    };
    // Started here, not at first use: rayon panics in English when it cannot start its
    // threads (a `ulimit -v` too small for their stacks, a process limit).
    if let Err(e) = rayon::ThreadPoolBuilder::new().build_global() {
        eprintln!(
            "shnor: ошибка: не удалось запустить потоки расчёта ({e}). Обычно это нехватка \
             памяти или предел числа процессов (ulimit -v, ulimit -u) либо слишком большое \
             RUST_MIN_STACK: запустите shnor без этих ограничений. Ничего не записано"
        );
        return ExitCode::from(shnor::exit::FAILED);
    }
    match shnor::cli::run(&cli) {
        Ok(code) => ExitCode::from(code),
        // The reader of our output has gone (`shnor inspect … | head`): nothing to report.
        Err(e) if shnor::cli::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("shnor: ошибка: {}", shnor::usage::error_chain(&e));
            if e.downcast_ref::<shnor::UsageError>().is_some() {
                ExitCode::from(shnor::exit::USAGE)
            } else {
                ExitCode::from(shnor::exit::FAILED)
            }
        }
    }
}
