//! `shnor demo`: a seeded synthetic municipality (or region) with a planted truth — which
//! schools must come out as ШНОР, ШНСУ, risk zone and resilient — written as the exports
//! analysts really receive. `plan` is the truth, `generate` the results, `write` the files,
//! `templates` the blank forms of `shnor template`.

#[cfg(test)]
pub mod check;
pub mod generate;
pub mod interim;
pub mod plan;
pub mod sample;
pub mod templates;
pub mod write;

pub use plan::{DemoOptions, Expected, Role, SchoolPlan};

use anyhow::{Context, Result};
use std::path::Path;
use std::time::Instant;

/// What `generate_into` wrote.
#[derive(Clone, Debug)]
pub struct Summary {
    pub schools: usize,
    pub files: usize,
    pub vpr_rows: u64,
    pub seconds: f64,
}

/// Generates the demo into `dir` (created if missing). `progress` gets a line per kind.
///
/// # Errors
/// When the folder or a file cannot be written.
pub fn generate_into(dir: &Path, opts: &DemoOptions, progress: &dyn Fn(&str)) -> Result<Summary> {
    let start = Instant::now();
    std::fs::create_dir_all(dir)
        .with_context(|| format!("не удалось создать папку {}", dir.display()))?;
    let schools = plan::schools(opts);
    let mut out = write::Written::default();
    progress("Реестр школ…");
    write::registry(dir, opts, &schools, &mut out)?;
    progress("ВПР (по участникам, файл на каждую работу и год)…");
    write::vpr(dir, opts, &schools, &mut out)?;
    progress("ОГЭ, ЕГЭ…");
    write::oge(dir, opts, &schools, &mut out)?;
    write::ege(dir, opts, &schools, &mut out)?;
    progress("ВсОШ, контингент, социальные паспорта, целевые показатели…");
    write::olympiad(dir, opts, &schools, &mut out)?;
    write::contingent(dir, opts, &schools, &mut out)?;
    write::passports(dir, opts, &schools, &mut out)?;
    out.files.push(templates::write_targets(dir, opts.year)?);
    write::config(dir, &mut out)?;
    Ok(Summary {
        schools: schools.len(),
        files: out.files.len(),
        vpr_rows: out.vpr_rows,
        seconds: start.elapsed().as_secs_f64(),
    })
}
