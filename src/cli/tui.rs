//! `safeaware tui` (and the no-argument default) and `safeaware config`.

use super::output::Exit;
use crate::tui::config::{self, ImageProtocol};
use crate::tui::settings;
use crate::tui::{HeadlessOptions, Options};
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args, Default)]
pub struct TuiArgs {
    /// The dataset folder (default: the config's `dataset`, else the bundled dataset/).
    pub dataset: Option<PathBuf>,
    /// How to draw images: `auto` probes the terminal once; halfblocks and off never probe;
    /// a forced graphics protocol only measures the cell size.
    #[arg(long, value_enum)]
    pub image_protocol: Option<ImageProtocol>,
    /// Use this config file (its folder's keymap.ron and theme.ron too).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Run against an in-memory terminal (no TTY needed); prints the final screen.
    #[arg(long)]
    pub headless: bool,
    /// Headless screen size, as COLUMNSxROWS.
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
    Ok((parse(w)?, parse(h)?))
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Print the default config.ron, keymap.ron and theme.ron with their paths.
    #[arg(long)]
    print_defaults: bool,
}

pub fn run(args: TuiArgs, bundled: PathBuf) -> safeaware::Result<Exit> {
    let settings = settings::load(args.config.as_deref()).map_err(safeaware::Error::Refused)?;
    let dataset = args
        .dataset
        .or_else(|| settings.config.dataset.clone())
        .unwrap_or(bundled);
    if !safeaware::store::is_dataset(&dataset) {
        safeaware::store::load(&dataset)?;
    }
    let options = Options {
        dataset,
        image_protocol: args.image_protocol,
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
