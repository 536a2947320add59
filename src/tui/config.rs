//! User configuration in the XDG config folder (`directories`): `config.ron`,
//! `keymap.ron` and `theme.ron`. Each file is optional and partial: what it does not
//! name keeps its default.

use super::keymap::Keymap;
use super::theme::Theme;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

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

/// Everything loaded from the config folder.
#[derive(Debug, Clone)]
pub struct Settings {
    /// config.ron
    pub config: Config,
    /// keymap.ron over the defaults
    pub keymap: Keymap,
    /// theme.ron over the defaults
    pub theme: Theme,
}

/// The config folder (`~/.config/safeaware` on Linux).
pub fn config_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "safeaware").map(|d| d.config_dir().to_path_buf())
}

fn read_optional(path: &Path) -> Result<Option<String>, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// Loads the settings: `config_file` (from `--config`) or the XDG folder's files.
pub fn load(config_file: Option<&Path>) -> Result<Settings, String> {
    let (config_path, dir) = match config_file {
        Some(file) => (Some(file.to_path_buf()), file.parent().map(Path::to_path_buf)),
        None => {
            let dir = config_dir();
            (dir.as_ref().map(|d| d.join("config.ron")), dir)
        }
    };
    let config = match config_path {
        Some(path) => match read_optional(&path)? {
            Some(text) => ron::from_str(&text).map_err(|e| format!("{}:{e}", path.display()))?,
            None if config_file.is_some() => return Err(format!("{}: no such file", path.display())),
            None => Config::default(),
        },
        None => Config::default(),
    };
    let keymap = match dir.as_ref().map(|d| d.join("keymap.ron")) {
        Some(path) => match read_optional(&path)? {
            Some(text) => Keymap::with_overrides(&text).map_err(|e| format!("{}: {e}", path.display()))?,
            None => Keymap::default(),
        },
        None => Keymap::default(),
    };
    let mut theme = Theme::default();
    if let Some(path) = dir.as_ref().map(|d| d.join("theme.ron"))
        && let Some(text) = read_optional(&path)?
    {
        theme
            .apply_overrides(&text)
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(Settings {
        config,
        keymap,
        theme,
    })
}

/// The default files, for `safeaware config --print-defaults`.
pub fn defaults_text() -> String {
    let config = ron::ser::to_string_pretty(
        &Config::default(),
        ron::ser::PrettyConfig::new().struct_names(false),
    )
    .expect("config serializes");
    format!(
        "// {dir}/config.ron (every field optional)\n{config}\n\n// {dir}/keymap.ron\n{keymap}\n// {dir}/theme.ron\n{theme}",
        dir = config_dir()
            .map(|d| d.display().to_string())
            .unwrap_or_else(|| "<config dir>".into()),
        keymap = Keymap::defaults_ron(),
        theme = Theme::defaults_ron(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partial_config_keeps_the_other_defaults() {
        let c: Config = ron::from_str("(auto_advance: true)").unwrap();
        assert!(c.auto_advance);
        assert!(c.mouse);
        assert_eq!(c.image_protocol, ImageProtocol::Auto);
        assert!(
            ron::from_str::<Config>("(auto_advanse: true)").is_err(),
            "typos are errors"
        );
    }

    #[test]
    fn settings_come_from_the_folder_of_the_given_config_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("config.ron"),
            "(curator: Some(\"ana\"), image_protocol: off)",
        )
        .unwrap();
        std::fs::write(dir.path().join("keymap.ron"), "{\"quit\": [\"Q\"]}").unwrap();
        let s = load(Some(&dir.path().join("config.ron"))).unwrap();
        assert_eq!(s.config.curator_name(), "ana");
        assert_eq!(s.config.image_protocol, ImageProtocol::Off);
        assert_eq!(s.keymap.keys_of(super::super::keymap::Bindable::Quit), vec!["Q"]);
        std::fs::write(dir.path().join("keymap.ron"), "{\"quit\": [\"Hyper-q\"]}").unwrap();
        let err = load(Some(&dir.path().join("config.ron"))).unwrap_err();
        assert!(err.contains("keymap.ron") && err.contains("Hyper-q"), "{err}");
    }

    #[test]
    fn the_printed_defaults_parse() {
        let text = defaults_text();
        let config_part = text.split("\n\n//").next().unwrap();
        let body: String = config_part
            .lines()
            .filter(|l| !l.starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(ron::from_str::<Config>(&body).unwrap(), Config::default());
    }
}
