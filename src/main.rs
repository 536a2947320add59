//! The `safeaware` binary: a thin clap shell over the library.

mod cli;
mod tui;

use clap::Parser;
use std::process::ExitCode;

/// mimalloc: the millions of small allocations of opening a 100k-item dataset with 1M
/// responses cost a third less time than with glibc's malloc. The `system-allocator`
/// feature keeps the system's, for heap profilers (heaptrack) that only see malloc.
#[cfg(not(feature = "system-allocator"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    restore_sigpipe();
    let _ = color_eyre::install();
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code.into(),
        Err(err) => {
            eprintln!("error: {}", safeaware::text::escape_for_display(&err.to_string()));
            cli::Exit::Failed.into()
        }
    }
}

/// Rust ignores SIGPIPE, which turns `safeaware validate DIR | head` into a panic on the
/// next print; the default action ends the process quietly, as `cat` or `grep` do.
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any thread exists; SIG_DFL is a valid action.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
