//! User settings in the XDG config folder (`directories`): `config.ron`, `keymap.ron` and
//! `theme.ron`. Each file is optional and partial: what it does not name keeps its default.

use super::config::{self, Config, config_dir};
use super::keymap::Keymap;
use super::theme::Theme;
use std::path::Path;

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
            Some(text) => config::parse(&text).map_err(|e| format!("{}:{e}", path.display()))?,
            None if config_file.is_some() => return Err(format!("{}: no such file", path.display())),
            None => Config::default(),
        },
        None => Config::default(),
    };
    let keymap = match dir.as_ref().map(|d| d.join("keymap.ron")) {
        Some(path) => match read_optional(&path)? {
            Some(text) => Keymap::from_ron(&text).map_err(|e| format!("{}:{e}", path.display()))?,
            None => Keymap::default(),
        },
        None => Keymap::default(),
    };
    let theme = match dir.as_ref().map(|d| d.join("theme.ron")) {
        Some(path) => match read_optional(&path)? {
            Some(text) => Theme::from_ron(&text).map_err(|e| format!("{}: {e}", path.display()))?,
            None => Theme::default(),
        },
        None => Theme::default(),
    };
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
    .unwrap_or_default();
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
    use crate::tui::screens::global;

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
        assert_eq!(s.config.image_protocol, config::ImageProtocol::Off);
        assert_eq!(s.keymap.global.keys_of(global::Command::Quit), vec!["Q"]);
        std::fs::write(dir.path().join("keymap.ron"), "{\"quit\": [\"Hyper-q\"]}").unwrap();
        let err = load(Some(&dir.path().join("config.ron"))).unwrap_err();
        assert!(err.contains("keymap.ron") && err.contains("Hyper-q"), "{err}");
    }

    #[test]
    fn a_keymap_error_names_the_file_and_the_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("config.ron"), "()").unwrap();
        let keymap = "{\n  \"browse\": {\n    \"accept\": [\"x\"],\n  },\n}\n";
        std::fs::write(dir.path().join("keymap.ron"), keymap).unwrap();
        let err = load(Some(&dir.path().join("config.ron"))).unwrap_err();
        assert!(
            err.contains("keymap.ron:3: key x is bound twice in browse"),
            "{err}"
        );
    }

    #[test]
    fn a_plain_dataset_path_in_config_ron_is_the_default_dataset() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("config.ron"), "(dataset: \"/srv/mmsafeaware\")").unwrap();
        let s = load(Some(&dir.path().join("config.ron"))).unwrap();
        assert_eq!(
            s.config.dataset,
            Some(std::path::PathBuf::from("/srv/mmsafeaware"))
        );
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
        assert_eq!(config::parse(&body).unwrap(), Config::default());
    }
}
