//! What every command shares: output format, exit codes, progress bars.

use indicatif::{ProgressBar, ProgressStyle};
use std::process::ExitCode;

/// Exit codes scripts can rely on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The command did what was asked and found nothing wrong.
    Ok = 0,
    /// The command ran and found error-severity problems (validate).
    Findings = 1,
    /// The command could not do its job (bad input, unreadable dataset, usage).
    Failed = 2,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}

/// Human text or machine-readable JSON.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned text for people.
    #[default]
    Text,
    /// One JSON document on stdout, for scripts.
    Json,
}

/// Prints `value` as pretty JSON on stdout.
pub fn print_json<T: serde::Serialize>(value: &T) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).expect("reports serialize to JSON")
    );
}

/// A progress bar on stderr, drawn only when stderr is a terminal.
pub fn progress_bar(label: &'static str) -> ProgressBar {
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg:>10} [{bar:40}] {pos}/{len} {elapsed}")
            .expect("valid progress template")
            .progress_chars("=> "),
    );
    bar.set_message(label);
    bar
}

/// Runs `work` with a progress callback drawn as a bar on stderr (when it is a terminal).
pub fn with_progress<T>(label: &'static str, work: impl FnOnce(safeaware::import::Progress<'_>) -> T) -> T {
    let bar = progress_bar(label);
    let report = |done: u64, total: u64| {
        bar.set_length(total);
        bar.set_position(done);
    };
    let result = work(&report);
    bar.finish_and_clear();
    result
}

/// Shows an id list as "a, b, c +N more".
pub fn first_ids(ids: &[String], max: usize) -> String {
    let mut shown: Vec<String> = ids
        .iter()
        .take(max)
        .map(|id| safeaware::text::escape_for_display(id).into_owned())
        .collect();
    if ids.len() > max {
        shown.push(format!("+{} more", ids.len() - max));
    }
    shown.join(", ")
}
