//! `safeaware tui` (and the no-argument default) and `safeaware config`.

use super::output::Exit;
use crate::tui::config::{self, ImageProtocol};
use crate::tui::settings;
use crate::tui::{HeadlessOptions, Options};
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args, Default)]
pub struct TuiArgs {
    /// The dataset folder (default: the config's `dataset`, else a working copy of the
    /// bundled sample in the user data folder).
    pub dataset: Option<PathBuf>,
    /// How to draw images: `auto` probes the terminal once; halfblocks and off never probe;
    /// a forced graphics protocol only measures the cell size.
    #[arg(long, value_enum)]
    pub image_protocol: Option<ImageProtocol>,
    /// Blind labeling: answer each item's question (safe/unsafe, optionally a scenario) in
    /// your own seeded order, without seeing gold, other curators' labels, model responses,
    /// suggestions or findings; time per item is recorded (config `blind: true` does the same).
    #[arg(long)]
    pub blind: bool,
    /// Run against an in-memory terminal (no TTY needed); prints the final screen.
    #[arg(long)]
    pub headless: bool,
    /// Headless screen size, as COLUMNSxROWS (at most 1000x1000).
    #[arg(long, default_value = "120x40", value_parser = parse_size)]
    pub size: Option<(u16, u16)>,
    /// Headless key script: one key per line (`j`, `Enter`, `Ctrl-s`, `text:some words`).
    #[arg(long)]
    pub keys: Option<PathBuf>,
}

fn parse_size(text: &str) -> Result<(u16, u16), String> {
    let (w, h) = text
        .split_once(['x', 'X'])
        .ok_or("expected COLUMNSxROWS, e.g. 120x40")?;
    let parse = |s: &str| {
        s.trim()
            .parse::<u16>()
            .map_err(|_| format!("{s:?} is not a number of cells"))
    };
    let (columns, rows) = (parse(w)?, parse(h)?);
    if columns == 0 || rows == 0 || columns > MAX_SIZE || rows > MAX_SIZE {
        return Err(format!(
            "{columns}x{rows} is out of range: each side must be 1 to {MAX_SIZE} cells"
        ));
    }
    Ok((columns, rows))
}

/// The largest headless screen side: a bigger in-memory terminal only costs memory.
const MAX_SIZE: u16 = 1000;

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Print the default config.ron, keymap.ron and theme.ron with their paths.
    #[arg(long)]
    print_defaults: bool,
}

pub fn run(args: TuiArgs, config_file: Option<PathBuf>, curator: Option<String>) -> safeaware::Result<Exit> {
    let mut settings = settings::load(config_file.as_deref()).map_err(safeaware::Error::Refused)?;
    if let Some(name) = curator {
        safeaware::labels::check_curator(&name)?;
        settings.config.curator = Some(name);
    }
    let dataset = match args.dataset.or_else(|| settings.config.dataset.clone()) {
        Some(dataset) => dataset,
        None => sample_working_copy()?,
    };
    if !safeaware::store::is_dataset(&dataset) {
        safeaware::store::load(&dataset)?;
    }
    let options = Options {
        dataset,
        image_protocol: args.image_protocol,
        blind: args.blind || settings.config.blind,
        settings,
    };
    let result = if args.headless {
        let headless = HeadlessOptions {
            size: args.size.unwrap_or((120, 40)),
            keys: args.keys,
        };
        crate::tui::run_headless(options, headless)
    } else {
        crate::tui::run(options)
    };
    result.map_err(safeaware::Error::Refused)?;
    Ok(Exit::Ok)
}

/// The user's working copy of the bundled sample (`$XDG_DATA_HOME/safeaware/sample`),
/// generated on first use by the same code that made the repository's `dataset/`, so an
/// installed binary needs no source tree and never writes into one.
fn sample_working_copy() -> safeaware::Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "safeaware").ok_or_else(|| {
        safeaware::Error::Refused(
            "no user data folder (set $XDG_DATA_HOME or $HOME), so no sample to open: \
             pass a DATASET folder"
                .into(),
        )
    })?;
    let dir = dirs.data_dir().join("sample");
    if safeaware::store::is_dataset(&dir) {
        return Ok(dir);
    }
    let parent = dirs.data_dir();
    std::fs::create_dir_all(parent).map_err(|e| safeaware::Error::io(parent, e))?;
    safeaware::synth::write_sample(&dir, false)?;
    eprintln!(
        "safeaware: made a working copy of the bundled sample in {} (your edits go there)",
        safeaware::text::escape_for_display(&dir.display().to_string())
    );
    Ok(dir)
}

pub fn run_config(args: ConfigArgs) -> safeaware::Result<Exit> {
    if args.print_defaults {
        print!("{}", settings::defaults_text());
    } else {
        match config::config_dir() {
            Some(dir) => println!("{}", dir.display()),
            None => println!("no config folder on this system"),
        }
    }
    Ok(Exit::Ok)
}
