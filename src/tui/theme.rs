//! Colours of the TUI; `theme.ron` overrides any of them; NO_COLOR turns them all off
//! (the selection stays visible through reverse video and bold).

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::str::FromStr;

/// The colours the screens use.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    /// Whether colours are drawn at all (false under NO_COLOR).
    pub color: bool,
    /// Accent for titles and borders of the focused pane.
    pub accent: Color,
    /// Gold safe / over-safety.
    pub safe: Color,
    /// Gold unsafe / unsafe side.
    pub unsafe_: Color,
    /// Accepted status.
    pub accepted: Color,
    /// Needs-fix status and warnings.
    pub warn: Color,
    /// Rejected status, conflicts and errors.
    pub error: Color,
    /// Secondary text.
    pub dim: Color,
    /// Background of the selected row.
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

    /// Overrides the colours named in a RON map (`{"accent": "magenta", "selection": "#203040"}`).
    pub fn apply_overrides(&mut self, text: &str) -> Result<(), String> {
        #[derive(Deserialize)]
        #[serde(transparent)]
        struct Overrides(BTreeMap<String, String>);
        let Overrides(map) = ron::from_str(text).map_err(|e| e.to_string())?;
        for (name, value) in map {
            let color = Color::from_str(&value).map_err(|_| format!("{name}: unknown colour {value:?}"))?;
            let slot = match name.as_str() {
                "accent" => &mut self.accent,
                "safe" => &mut self.safe,
                "unsafe" => &mut self.unsafe_,
                "accepted" => &mut self.accepted,
                "warn" => &mut self.warn,
                "error" => &mut self.error,
                "dim" => &mut self.dim,
                "selection" => &mut self.selection,
                other => return Err(format!("unknown theme colour {other:?}")),
            };
            *slot = color;
        }
        Ok(())
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
        let mut t = Theme::default();
        t.apply_overrides(r##"{"accent": "magenta", "selection": "#102030"}"##)
            .unwrap();
        assert_eq!(t.accent, Color::Magenta);
        assert_eq!(t.selection, Color::Rgb(16, 32, 48));
        assert_eq!(t.safe, Color::Green);
        assert!(t.apply_overrides(r#"{"acent": "red"}"#).is_err());
        let mut d = Theme::default();
        d.apply_overrides(&Theme::defaults_ron()).unwrap();
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
