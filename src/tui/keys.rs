//! Keys and bindings, for any screen: key names (`a`, `Ctrl-r`, `PageDown`), a screen's
//! bindings of keys to its commands, and the `commands!` table each screen declares once
//! (command, default keys, help text, footer label, action).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::de::IntoDeserializer;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The commands of one screen, as declared by `commands!`.
pub trait Commands: Copy + Ord + std::fmt::Debug + Serialize + for<'de> Deserialize<'de> + 'static {
    /// Every command, in help order.
    const ALL: &'static [Self];
    /// The keymap.ron name, as serde spells it (snake_case).
    fn name(self) -> String {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::String(name)) => name,
            _ => format!("{self:?}"),
        }
    }
    /// The keys bound when keymap.ron does not name the command.
    fn default_keys(self) -> &'static [&'static str];
    /// What it does, for `?` help.
    fn describe(self) -> &'static str;
    /// A short label for the footer.
    fn short(self) -> &'static str;
}

/// Declares a screen's `Command` enum and its table in one place: for each command its
/// default keys, help text, footer label and the [`Action`](crate::tui::action::Action)
/// it sends. Its keymap.ron name is the variant in snake_case, read and written by serde.
macro_rules! commands {
    ($( $variant:ident: [$($key:literal),*], $describe:literal, $short:literal => $action:expr; )*) => {
        /// The commands of this screen that keymap.ron can rebind.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Command {
            $( #[doc = $describe] $variant, )*
        }

        impl $crate::tui::keys::Commands for Command {
            const ALL: &'static [Command] = &[$(Command::$variant),*];
            fn default_keys(self) -> &'static [&'static str] {
                match self { $(Command::$variant => &[$($key),*],)* }
            }
            fn describe(self) -> &'static str {
                match self { $(Command::$variant => $describe,)* }
            }
            fn short(self) -> &'static str {
                match self { $(Command::$variant => $short,)* }
            }
        }

        impl Command {
            /// The action this command sends.
            pub fn action(self) -> Action {
                match self { $(Command::$variant => $action,)* }
            }
        }
    };
}
pub(crate) use commands;

/// One screen's bindings: command -> keys.
#[derive(Debug, Clone)]
pub struct Bindings<C> {
    keys: BTreeMap<C, Vec<KeyEvent>>,
}

impl<C: Commands> Default for Bindings<C> {
    fn default() -> Bindings<C> {
        let keys = C::ALL
            .iter()
            .map(|c| {
                let keys = c
                    .default_keys()
                    .iter()
                    .filter_map(|k| parse_key(k).ok())
                    .collect();
                (*c, keys)
            })
            .collect();
        Bindings { keys }
    }
}

impl<C: Commands> Bindings<C> {
    /// The command bound to `key`, if any.
    pub fn lookup(&self, key: &KeyEvent) -> Option<C> {
        let key = normalize(*key);
        self.keys
            .iter()
            .find(|(_, keys)| keys.iter().any(|k| normalize(*k) == key))
            .map(|(c, _)| *c)
    }

    /// The keys of a command, as names (`a`, `Ctrl-r`).
    pub fn keys_of(&self, command: C) -> Vec<String> {
        self.keys
            .get(&command)
            .map(|keys| keys.iter().map(key_name).collect())
            .unwrap_or_default()
    }

    /// The first key of a command, or `(unbound)`.
    pub fn first_key(&self, command: C) -> String {
        self.keys_of(command)
            .into_iter()
            .next()
            .unwrap_or_else(|| "(unbound)".into())
    }

    /// Every bound key with its command.
    pub fn bound(&self) -> impl Iterator<Item = (KeyEvent, C)> + '_ {
        self.keys
            .iter()
            .flat_map(|(c, keys)| keys.iter().map(move |k| (normalize(*k), *c)))
    }

    /// Rebinds the commands named in `overrides` (name -> key names); the others keep
    /// their keys. Fails on an unknown command or key name.
    pub fn override_with(&mut self, overrides: &BTreeMap<String, Vec<String>>) -> Result<(), Rebind> {
        for (name, keys) in overrides {
            let command = command_named::<C>(name).ok_or_else(|| Rebind::UnknownCommand(name.clone()))?;
            let parsed: Result<Vec<KeyEvent>, String> = keys.iter().map(|k| parse_key(k)).collect();
            let parsed = parsed.map_err(|e| Rebind::BadKey(name.clone(), e))?;
            self.keys.insert(command, parsed);
        }
        Ok(())
    }

    /// The first key bound to two commands: (key name, first command, second command).
    pub fn duplicate(&self) -> Option<(String, C, C)> {
        let mut seen: BTreeMap<String, C> = BTreeMap::new();
        for (key, command) in self.bound() {
            let name = key_name(&key);
            match seen.get(&name) {
                Some(first) if *first != command => return Some((name, *first, command)),
                _ => {
                    seen.insert(name, command);
                }
            }
        }
        None
    }

    /// The keymap.ron lines of this screen's defaults, each commented with its help text.
    pub fn defaults_ron(indent: &str) -> String {
        let map = Bindings::<C>::default();
        let mut out = String::new();
        for c in C::ALL {
            let keys: Vec<String> = map.keys_of(*c).iter().map(|k| format!("{k:?}")).collect();
            out.push_str(&format!(
                "{indent}\"{}\": [{}], // {}\n",
                c.name(),
                keys.join(", "),
                c.describe()
            ));
        }
        out
    }
}

/// Why an override could not be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rebind {
    /// No command of that name on the screen.
    UnknownCommand(String),
    /// The command's key list has a key name that does not parse.
    BadKey(String, String),
}

/// The command of a screen called `name` in keymap.ron (read by serde).
pub fn command_named<C: Commands>(name: &str) -> Option<C> {
    let de: serde::de::value::StrDeserializer<'_, serde::de::value::Error> = name.into_deserializer();
    C::deserialize(de).ok()
}

/// Shift is implied by an upper-case or symbol character; drop it so `G` matches `G`.
fn normalize(mut key: KeyEvent) -> KeyEvent {
    if let KeyCode::Char(_) = key.code {
        key.modifiers.remove(KeyModifiers::SHIFT);
    }
    key.kind = crossterm::event::KeyEventKind::Press;
    key.state = crossterm::event::KeyEventState::NONE;
    key
}

/// Parses a key name: `a`, `G`, `?`, `Enter`, `Esc`, `Ctrl-s`, `Alt-x`, `PageDown`, `F5`, `Space`.
pub fn parse_key(name: &str) -> Result<KeyEvent, String> {
    let mut modifiers = KeyModifiers::NONE;
    let mut rest = name;
    loop {
        if let Some(r) = rest.strip_prefix("Ctrl-").or_else(|| rest.strip_prefix("C-")) {
            modifiers |= KeyModifiers::CONTROL;
            rest = r;
        } else if let Some(r) = rest.strip_prefix("Alt-").or_else(|| rest.strip_prefix("M-")) {
            modifiers |= KeyModifiers::ALT;
            rest = r;
        } else if let Some(r) = rest.strip_prefix("Shift-") {
            modifiers |= KeyModifiers::SHIFT;
            rest = r;
        } else {
            break;
        }
    }
    let code = match rest {
        "Enter" => KeyCode::Enter,
        "Esc" => KeyCode::Esc,
        "Tab" => KeyCode::Tab,
        "BackTab" => KeyCode::BackTab,
        "Backspace" => KeyCode::Backspace,
        "Delete" => KeyCode::Delete,
        "Up" => KeyCode::Up,
        "Down" => KeyCode::Down,
        "Left" => KeyCode::Left,
        "Right" => KeyCode::Right,
        "Home" => KeyCode::Home,
        "End" => KeyCode::End,
        "PageUp" => KeyCode::PageUp,
        "PageDown" => KeyCode::PageDown,
        "Space" => KeyCode::Char(' '),
        f if f.len() > 1 && f.starts_with('F') && f[1..].parse::<u8>().is_ok() => {
            KeyCode::F(f[1..].parse().expect("checked"))
        }
        c if c.chars().count() == 1 => {
            let ch = c.chars().next().expect("one char");
            KeyCode::Char(if modifiers.contains(KeyModifiers::CONTROL) {
                ch.to_ascii_lowercase()
            } else {
                ch
            })
        }
        other => return Err(format!("unknown key {other:?} in {name:?}")),
    };
    Ok(KeyEvent::new(code, modifiers))
}

/// The name of a key, as `parse_key` reads it.
pub fn key_name(key: &KeyEvent) -> String {
    let mut out = String::new();
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        out.push_str("Ctrl-");
    }
    if key.modifiers.contains(KeyModifiers::ALT) {
        out.push_str("Alt-");
    }
    match key.code {
        KeyCode::Char(' ') => out.push_str("Space"),
        KeyCode::Char(c) => out.push(c),
        KeyCode::F(n) => out.push_str(&format!("F{n}")),
        KeyCode::Enter => out.push_str("Enter"),
        KeyCode::Esc => out.push_str("Esc"),
        KeyCode::Tab => out.push_str("Tab"),
        KeyCode::BackTab => out.push_str("BackTab"),
        KeyCode::Backspace => out.push_str("Backspace"),
        KeyCode::Delete => out.push_str("Delete"),
        KeyCode::Up => out.push_str("Up"),
        KeyCode::Down => out.push_str("Down"),
        KeyCode::Left => out.push_str("Left"),
        KeyCode::Right => out.push_str("Right"),
        KeyCode::Home => out.push_str("Home"),
        KeyCode::End => out.push_str("End"),
        KeyCode::PageUp => out.push_str("PageUp"),
        KeyCode::PageDown => out.push_str("PageDown"),
        other => out.push_str(&format!("{other:?}")),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_names_round_trip() {
        for name in [
            "a", "G", "?", "Enter", "Esc", "Ctrl-r", "PageDown", "F5", "Space", "Alt-x",
        ] {
            assert_eq!(key_name(&parse_key(name).unwrap()), name);
        }
        assert!(parse_key("Hyper-q").is_err());
    }
}
