//! Integration tests: run the `shnor` binary on fixtures and generated inputs.

mod commands;
mod handworked;
mod ingest;
mod layouts;
mod realdata;
mod util;
