//! The integration tests: one binary, so `cargo test` links the crate once.
//! Each module drives the real `safeaware` binary or the library on one theme.

mod common;

mod agree;
mod architecture;
mod attack_report;
mod blind_terminal;

mod cli;
mod config;
mod crash;
mod curating;
mod curators;
mod export;
mod families;
mod faults;
mod fuzz_corpora;
mod generated;
mod import_breadth;
mod import_link;
mod import_release;
mod parquet_export;
mod real_release;
mod report_cache;
mod responses;
mod sample_copy;
mod store;
mod trust;
mod tui_terminal;
mod validate;
mod verdict_classes;
mod verdicts;
