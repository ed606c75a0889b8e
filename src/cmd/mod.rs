//! One file per subcommand; each is thin wiring of the pipeline stages.

pub mod config;
pub mod demo;
pub mod explain;
pub mod identify;
pub mod template;
pub mod validate;
