//! Stage 3, normalize: recognized tables → canonical records (model.rs). Parses numbers and
//! codes, resolves school keys through the registry and its aliases, derives marks from
//! scores. Every rejected or doubtful value becomes an [`Issue`](crate::model::Issue).

pub mod values;

use crate::config::Config;
use crate::model::Dataset;
use std::path::PathBuf;

/// Expands directories into the files shnor reads (sorted, so every run is the same).
///
/// # Errors
/// When a path does not exist.
pub fn expand_inputs(inputs: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let _ = inputs;
    todo!("normalize/")
}

/// Reads every input into one dataset.
///
/// Rows that cannot be trusted are left out and recorded as issues; a problem that makes
/// the whole run untrustworthy (duplicate school ids in the registry, two files for the same
/// procedure and year) is an error and nothing is computed.
///
/// # Errors
/// See above; the message names the file, sheet, row and column.
pub fn load(files: &[PathBuf], cfg: &Config) -> anyhow::Result<Dataset> {
    let _ = (files, cfg);
    todo!("normalize/")
}
