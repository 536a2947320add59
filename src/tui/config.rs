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
    /// Always label blind (as `tui --blind`): no gold, other curators' labels, responses,
    /// suggestions or findings.
    pub blind: bool,
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
            blind: false,
        }
    }
}

impl Config {
    /// The curator name to record: the configured one, else $USER, else the account
    /// name of the user running safeaware (tmux and cron may leave $USER unset), else
    /// "unknown".
    pub fn curator_name(&self) -> String {
        let given = |s: &String| !s.trim().is_empty();
        self.curator
            .clone()
            .filter(given)
            .or_else(|| std::env::var("USER").ok().filter(given))
            .or_else(|| account_name().filter(given))
            .unwrap_or_else(|| "unknown".into())
    }
}

/// The name of the account running this process, from the password database.
fn account_name() -> Option<String> {
    let mut record = std::mem::MaybeUninit::<libc::passwd>::uninit();
    let mut buffer = vec![0 as libc::c_char; 4096];
    let mut found: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: getpwuid_r writes only into `record` and `buffer` (whose length it is
    // given) and sets `found` to `record` on success or to null otherwise.
    let rc = unsafe {
        libc::getpwuid_r(
            libc::getuid(),
            record.as_mut_ptr(),
            buffer.as_mut_ptr(),
            buffer.len(),
            &mut found,
        )
    };
    if rc != 0 || found.is_null() {
        return None;
    }
    // SAFETY: on success `record` is initialised and pw_name points into `buffer`, a
    // NUL-terminated string that lives as long as `buffer`.
    let name = unsafe { std::ffi::CStr::from_ptr((*found).pw_name) };
    Some(name.to_string_lossy().into_owned())
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
    fn without_user_the_curator_is_the_account_name_not_unknown() {
        // SAFETY: this test is the only one in the crate that touches USER.
        unsafe { std::env::remove_var("USER") };
        let name = Config::default().curator_name();
        assert_ne!(name, "unknown", "the account name is known to the system");
        assert_eq!(Some(name), account_name());
        let configured = Config {
            curator: Some("ana".into()),
            ..Config::default()
        };
        assert_eq!(configured.curator_name(), "ana");
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
