//! Integration tests: run the `shnor` binary on fixtures and generated inputs.

mod advice;
mod class_list;
mod columns;
mod commands;
mod copies;
mod coverage;
mod demo;
mod demo_progress;
mod handworked;
mod header;
mod hostile;
mod ingest;
mod layering;
mod layouts;
mod output;
mod print;
mod progress;
mod realdata;
mod registries;
mod rows;
mod split;
mod util;
mod years;
mod zoo;
