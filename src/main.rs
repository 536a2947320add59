//! The `safeaware` binary: a thin clap shell over the library.

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let _ = color_eyre::install();
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code.into(),
        Err(err) => {
            eprintln!(
                "error: {}",
                safeaware::text::escape_for_display(&err.to_string())
            );
            cli::Exit::Failed.into()
        }
    }
}
