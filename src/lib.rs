//! shnor: identifies schools with persistently low results (ШНОР) and schools in
//! unfavourable social conditions (ШНСУ) from the exports analysts really receive.
//!
//! The pipeline: `read` → `recognize` → `normalize` → `measure` → `judge` → `report`;
//! `cmd` holds one thin file per subcommand that wires the stages together.
#![warn(clippy::all)]

pub mod cli;
mod cmd;
pub mod config;
pub mod demo;
mod judge;
mod measure;
pub mod memory;
pub mod model;
pub mod normalize;
pub mod panics;
pub mod read;
mod recognize;
mod report;
pub mod usage;

/// Exit codes (README, «Коды завершения»): 0 done; 1 failed, nothing written; 2 usage or configuration
/// error; 3 done, but rows with errors were left out.
pub mod exit {
    pub const OK: u8 = 0;
    pub const FAILED: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const ROWS_REJECTED: u8 = 3;
}

/// A usage or configuration error: exits with code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);
