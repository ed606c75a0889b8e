//! `shnor demo`: a seeded synthetic municipality (or region, or country) with a planted truth — which
//! schools must come out as ШНОР, ШНСУ, risk zone and resilient — written as the exports
//! analysts really receive. `plan` is the truth, `generate` the results, `write` the files,
//! `templates` the blank forms of `shnor template`, `regions` how schools fall into regions.

#[cfg(test)]
pub mod check;
pub mod generate;
pub mod interim;
pub mod plan;
pub mod regions;
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

/// Generates the demo into `dir` (created if missing). `progress` gets a line per kind, or
/// per region when there are several: then the registry, targets and `shnor.toml` are
/// written for the whole country and every other file into its region's folder, region
/// after region, so memory stays that of one region's files.
///
/// # Errors
/// When the folder or a file cannot be written.
pub fn generate_into(dir: &Path, opts: &DemoOptions, progress: &dyn Fn(&str)) -> Result<Summary> {
    let start = Instant::now();
    create_dir(dir)?;
    let schools = plan::schools(opts);
    let layout = regions::Layout::of(opts);
    let mut out = write::Written::default();
    progress("Реестр школ…");
    write::registry(dir, opts, &schools, &mut out)?;
    if layout.split() {
        for r in 0..layout.regions() {
            progress(&format!(
                "Регион {} из {}: {}…",
                r + 1,
                layout.regions(),
                regions::name(r)
            ));
            let rdir = dir.join(regions::folder(r));
            create_dir(&rdir)?;
            sources(&rdir, opts, &schools[layout.range(r)], &mut out, &|_| {})?;
        }
    } else {
        sources(dir, opts, &schools, &mut out, progress)?;
    }
    out.files.push(templates::write_targets(dir, opts.year)?);
    write::config(dir, &mut out)?;
    Ok(Summary {
        schools: schools.len(),
        files: out.files.len(),
        vpr_rows: out.vpr_rows,
        seconds: start.elapsed().as_secs_f64(),
    })
}

fn create_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("не удалось создать папку {}", dir.display()))
}

/// Every source of one region's schools: ВПР, ОГЭ, ЕГЭ, ВсОШ, contingent, passports.
fn sources(
    dir: &Path,
    opts: &DemoOptions,
    schools: &[SchoolPlan],
    out: &mut write::Written,
    progress: &dyn Fn(&str),
) -> Result<()> {
    progress("ВПР (по участникам, файл на каждую работу и год)…");
    write::vpr(dir, opts, schools, out)?;
    progress("ОГЭ, ЕГЭ…");
    write::oge(dir, opts, schools, out)?;
    write::ege(dir, opts, schools, out)?;
    progress("ВсОШ, контингент, социальные паспорта, целевые показатели…");
    write::olympiad(dir, opts, schools, out)?;
    write::contingent(dir, opts, schools, out)?;
    write::passports(dir, opts, schools, out)
}
