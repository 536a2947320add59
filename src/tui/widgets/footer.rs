//! Footer hints generated from the keymap in force.

use crate::tui::keys::{Bindings, Commands};

/// A key name as the footer shows it: arrows and page keys short.
fn short_key(name: String) -> String {
    match name.as_str() {
        "Up" => "↑".into(),
        "Down" => "↓".into(),
        "Left" => "←".into(),
        "Right" => "→".into(),
        "PageUp" => "PgUp".into(),
        "PageDown" => "PgDn".into(),
        _ => name,
    }
}

/// (first key, footer label) of each command.
pub fn hints<C: Commands>(keys: &Bindings<C>, commands: &[C]) -> Vec<(String, String)> {
    commands
        .iter()
        .map(|c| (short_key(keys.first_key(*c)), c.short().to_string()))
        .collect()
}

/// One hint for a pair of commands: (`j/k`, label).
pub fn pair<C: Commands>(keys: &Bindings<C>, a: C, b: C, label: &str) -> (String, String) {
    let (a, b) = (short_key(keys.first_key(a)), short_key(keys.first_key(b)));
    (format!("{a}/{b}"), label.to_string())
}

/// One hint for a single command with its own label.
pub fn one<C: Commands>(keys: &Bindings<C>, command: C, label: &str) -> (String, String) {
    (short_key(keys.first_key(command)), label.to_string())
}
