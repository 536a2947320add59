//! `safeaware completions SHELL` and `safeaware man`: generated from the clap definitions,
//! so they never fall behind the commands.

use super::Cli;
use super::output::Exit;
use clap::{Args, CommandFactory, ValueEnum};
use std::io::Write;

/// The shells completions are written for.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Shell {
    /// Bash (source the output, or save it in bash-completion's folder).
    Bash,
    /// Zsh (save it as `_safeaware` on $fpath).
    Zsh,
    /// Fish (save it as `~/.config/fish/completions/safeaware.fish`).
    Fish,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to write completions for.
    #[arg(value_enum)]
    shell: Shell,
}

/// Prints the completion script for the chosen shell on stdout.
pub fn run_completions(args: CompletionsArgs) -> safeaware::Result<Exit> {
    let shell = match args.shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
    };
    let mut command = Cli::command();
    clap_complete::generate(shell, &mut command, "safeaware", &mut std::io::stdout());
    Ok(Exit::Ok)
}

/// Prints the roff man page on stdout (`safeaware man | man -l -`).
pub fn run_man() -> safeaware::Result<Exit> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut page)
        .map_err(|e| safeaware::Error::Refused(format!("cannot render the man page: {e}")))?;
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(&page)
        .and_then(|()| stdout.flush())
        .map_err(|e| safeaware::Error::Refused(format!("cannot write the man page: {e}")))?;
    Ok(Exit::Ok)
}
