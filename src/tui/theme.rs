//! Colours of the TUI; `theme.ron` overrides any of them; NO_COLOR turns them all off
//! (the selection stays visible through reverse video and bold).

use ratatui::style::{Color, Modifier, Style};
use serde::{Deserialize, Deserializer};
use std::str::FromStr;

/// The colours the screens use. theme.ron names any of them (`{"accent": "magenta"}`);
/// serde fills the others from the defaults and rejects unknown names.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Theme {
    /// Whether colours are drawn at all (false under NO_COLOR).
    #[serde(skip)]
    pub color: bool,
    /// Accent for titles and borders of the focused pane.
    #[serde(deserialize_with = "colour")]
    pub accent: Color,
    /// Gold safe / over-safety.
    #[serde(deserialize_with = "colour")]
    pub safe: Color,
    /// Gold unsafe / unsafe side.
    #[serde(rename = "unsafe", deserialize_with = "colour")]
    pub unsafe_: Color,
    /// Accepted status.
    #[serde(deserialize_with = "colour")]
    pub accepted: Color,
    /// Needs-fix status and warnings.
    #[serde(deserialize_with = "colour")]
    pub warn: Color,
    /// Rejected status, conflicts and errors.
    #[serde(deserialize_with = "colour")]
    pub error: Color,
    /// Secondary text.
    #[serde(deserialize_with = "colour")]
    pub dim: Color,
    /// Background of the selected row.
    #[serde(deserialize_with = "colour")]
    pub selection: Color,
}

impl Default for Theme {
    fn default() -> Theme {
        Theme {
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
            accent: Color::Cyan,
            safe: Color::Green,
            unsafe_: Color::Red,
            accepted: Color::Green,
            warn: Color::Yellow,
            error: Color::LightRed,
            dim: Color::DarkGray,
            selection: Color::Rgb(40, 60, 90),
        }
    }
}

/// A colour by name (`red`, `lightred`, `#rrggbb`), as ratatui reads it.
fn colour<'de, D: Deserializer<'de>>(de: D) -> Result<Color, D::Error> {
    let name = String::deserialize(de)?;
    Color::from_str(&name).map_err(|_| serde::de::Error::custom(format!("unknown colour {name:?}")))
}

impl Theme {
    /// A foreground style in `color`, or plain under NO_COLOR.
    pub fn fg(&self, color: Color) -> Style {
        if self.color {
            Style::default().fg(color)
        } else {
            Style::default()
        }
    }

    /// The style of the selected row: coloured background, or reverse + bold without colour.
    pub fn selected(&self) -> Style {
        if self.color {
            Style::default().bg(self.selection).add_modifier(Modifier::BOLD)
        } else {
            Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }

    /// The defaults with the colours named in a RON map (`{"accent": "magenta",
    /// "selection": "#203040"}`) changed.
    pub fn from_ron(text: &str) -> Result<Theme, String> {
        let value: ron::Value = ron::from_str(text).map_err(|e| e.to_string())?;
        value.into_rust::<Theme>().map_err(|e| e.to_string())
    }

    /// The default theme as a RON document.
    pub fn defaults_ron() -> String {
        "// theme.ron: name only the colours you want to change (names or #rrggbb).\n{\n    \"accent\": \"cyan\",\n    \"safe\": \"green\",\n    \"unsafe\": \"red\",\n    \"accepted\": \"green\",\n    \"warn\": \"yellow\",\n    \"error\": \"lightred\",\n    \"dim\": \"darkgray\",\n    \"selection\": \"#283c5a\",\n}\n".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_change_named_colours_and_reject_unknown_ones() {
        let t = Theme::from_ron(r##"{"accent": "magenta", "selection": "#102030"}"##).unwrap();
        assert_eq!(t.accent, Color::Magenta);
        assert_eq!(t.selection, Color::Rgb(16, 32, 48));
        assert_eq!(t.safe, Color::Green);
        assert!(Theme::from_ron(r#"{"acent": "red"}"#).is_err());
        assert!(Theme::from_ron(r#"{"accent": "reddish"}"#).is_err());
        let d = Theme::from_ron(&Theme::defaults_ron()).unwrap();
        assert_eq!(d.unsafe_, Color::Red);
    }

    #[test]
    fn without_colour_the_selection_is_reverse_video() {
        let t = Theme {
            color: false,
            ..Theme::default()
        };
        assert!(t.selected().add_modifier.contains(Modifier::REVERSED));
        assert_eq!(t.fg(Color::Red), Style::default());
    }
}
