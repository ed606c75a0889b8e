//! One file per subcommand; each is thin wiring of the pipeline stages.

pub mod config;
pub mod demo;
pub mod explain;
pub mod identify;
pub mod inspect;
pub mod progress;
pub mod template;
pub mod validate;

use crate::cli::Context;
use crate::config::Config;
use crate::judge::CoverageNote;
use crate::model::{Dataset, Year};
use anyhow::Result;

/// Today's school year (2026-12-04 → 2027): from `SHNOR_TODAY=ГГГГ-ММ-ДД` when set (tests
/// pin the date with it), else from the clock. The clock is read here, not in the stages.
fn today_school_year() -> Result<Year> {
    use chrono::Datelike;
    let date = today()?;
    Ok(crate::recognize::school_year_of(date.year(), date.month()))
}

/// Today: `SHNOR_TODAY=ГГГГ-ММ-ДД` when set, else the clock.
fn today() -> Result<chrono::NaiveDate> {
    Ok(match std::env::var("SHNOR_TODAY") {
        Ok(s) => chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|_| {
            crate::UsageError(format!(
                "SHNOR_TODAY «{s}»: укажите дату в виде ГГГГ-ММ-ДД, например 2026-12-04"
            ))
        })?,
        Err(_) => chrono::Utc::now().date_naive(),
    })
}

/// The settings with the last year a file may speak of (today's school year + 1), and
/// today's school year: `identify`, `validate` and `inspect` read years the same way
/// (docs/recognition.md «Годы», rule 7).
///
/// # Errors
/// `SHNOR_TODAY` that is not a date (exit 2).
pub fn dated_config(config: &Config) -> Result<(Config, Year)> {
    let today = today_school_year()?;
    let mut cfg = config.clone();
    cfg.latest_year = Some(today + 1);
    cfg.report_date = Some(self::today()?.format("%d.%m.%Y").to_string());
    Ok((cfg, today))
}

/// The coverage lines of what `identify` would judge (docs/outputs.md): the year it would
/// judge without `--year`, through measure and judge, so that an indicator with no school is
/// named too; with no results to judge, the lines about whole kinds only.
pub fn coverage_notes(ds: &Dataset, cfg: &Config, today: Year) -> Vec<CoverageNote> {
    match crate::judge::default_year(ds, today).0 {
        Some(y) => crate::judge::judge(ds, cfg, Some(y))
            .map(|f| f.coverage)
            .unwrap_or_else(|_| crate::judge::coverage(ds, cfg, None)),
        None => crate::judge::coverage(ds, cfg, None),
    }
}

/// Exit code after a run that wrote its outputs: 3 when rows were rejected (unless the config
/// says cron must not fail on them), else 0.
pub fn finish_code(ds: &Dataset, ctx: &Context) -> u8 {
    let rejected = ds.rejected_rows();
    if rejected == 0 {
        return crate::exit::OK;
    }
    eprintln!(
        "shnor: внимание: не учтены строки или файлы с ошибками ({rejected}) — см. лист «Качество данных»"
    );
    if ctx.config.general.fail_on_rejected_rows {
        crate::exit::ROWS_REJECTED
    } else {
        crate::exit::OK
    }
}
