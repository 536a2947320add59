//! `config.ron`: what the TUI opens and how it behaves. Optional and partial: what it
//! does not name keeps its default.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// How images are drawn inside the TUI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum ImageProtocol {
    /// Ask the terminal (once, at start) what it supports.
    #[default]
    Auto,
    /// Kitty graphics protocol.
    Kitty,
    /// Sixel graphics.
    Sixel,
    /// iTerm2 inline images.
    Iterm2,
    /// Unicode half blocks: works in any colour terminal.
    Halfblocks,
    /// No images, only their description.
    Off,
}

/// `config.ron`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// The dataset opened when none is given.
    pub dataset: Option<PathBuf>,
    /// How images are drawn.
    pub image_protocol: ImageProtocol,
    /// Move to the next item after a decision on one item.
    pub auto_advance: bool,
    /// Mouse wheel and click support.
    pub mouse: bool,
    /// The name recorded with every edit (default: $USER).
    pub curator: Option<String>,
    /// Hide images until revealed with a key (for curators of disturbing content).
    pub hide_images: bool,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            dataset: None,
            image_protocol: ImageProtocol::Auto,
            auto_advance: false,
            mouse: true,
            curator: None,
            hide_images: false,
        }
    }
}

impl Config {
    /// The curator name to record: the configured one, else $USER, else "unknown".
    pub fn curator_name(&self) -> String {
        self.curator
            .clone()
            .or_else(|| std::env::var("USER").ok())
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| "unknown".into())
    }
}

/// The config folder (`~/.config/safeaware` on Linux).
pub fn config_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "safeaware").map(|d| d.config_dir().to_path_buf())
}

/// Parses config.ron; `dataset:` and `curator:` take a plain value or `Some(...)`.
pub fn parse(text: &str) -> Result<Config, ron::error::SpannedError> {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partial_config_keeps_the_other_defaults() {
        let c: Config = parse("(auto_advance: true)").unwrap();
        assert!(c.auto_advance);
        assert!(c.mouse);
        assert_eq!(c.image_protocol, ImageProtocol::Auto);
        assert!(parse("(auto_advanse: true)").is_err(), "typos are errors");
    }

    #[test]
    fn the_dataset_is_a_plain_path_or_an_option() {
        let plain = parse("(dataset: \"/data/mmsafeaware\")").unwrap();
        assert_eq!(plain.dataset, Some(PathBuf::from("/data/mmsafeaware")));
        let wrapped = parse("(dataset: Some(\"/data/x\"), curator: \"ana\")").unwrap();
        assert_eq!(wrapped.dataset, Some(PathBuf::from("/data/x")));
        assert_eq!(wrapped.curator.as_deref(), Some("ana"));
        assert_eq!(parse("(dataset: None)").unwrap().dataset, None);
    }
}
