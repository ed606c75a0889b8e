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
use crate::model::Dataset;

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
