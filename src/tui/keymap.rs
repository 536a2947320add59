//! Keys to actions: the default bindings, user overrides from `keymap.ron` (only the
//! actions it names change), key names for help and for headless scripts.

use super::action::Action;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeMap;

/// The actions a key can be bound to in the item view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Bindable {
    Down,
    Up,
    PageDown,
    PageUp,
    Top,
    Bottom,
    NextUnreviewed,
    PrevUnreviewed,
    NextSameImage,
    PrevSameImage,
    GoldSafe,
    GoldUnsafe,
    Accept,
    NeedsFix,
    Reject,
    Unreview,
    CycleSubset,
    PickScenario,
    EditNote,
    ToggleFlag,
    Bulk,
    Undo,
    Redo,
    Filter,
    Jump,
    Views,
    SaveView,
    Help,
    History,
    RevealImage,
    Compare,
    Stats,
    Quit,
}

impl Bindable {
    /// Every bindable action, in help order.
    pub const ALL: [Bindable; 33] = [
        Bindable::GoldSafe,
        Bindable::GoldUnsafe,
        Bindable::Accept,
        Bindable::NeedsFix,
        Bindable::Reject,
        Bindable::Unreview,
        Bindable::PickScenario,
        Bindable::CycleSubset,
        Bindable::EditNote,
        Bindable::ToggleFlag,
        Bindable::Bulk,
        Bindable::Undo,
        Bindable::Redo,
        Bindable::Down,
        Bindable::Up,
        Bindable::PageDown,
        Bindable::PageUp,
        Bindable::Top,
        Bindable::Bottom,
        Bindable::NextUnreviewed,
        Bindable::PrevUnreviewed,
        Bindable::NextSameImage,
        Bindable::PrevSameImage,
        Bindable::Filter,
        Bindable::Jump,
        Bindable::Views,
        Bindable::SaveView,
        Bindable::History,
        Bindable::RevealImage,
        Bindable::Compare,
        Bindable::Stats,
        Bindable::Help,
        Bindable::Quit,
    ];

    /// The action's name in keymap.ron (snake_case).
    pub fn name(self) -> String {
        to_snake(&format!("{self:?}"))
    }

    /// What the action does, for the help overlay.
    pub fn describe(self) -> &'static str {
        use Bindable::*;
        match self {
            Down => "next item",
            Up => "previous item",
            PageDown => "page down",
            PageUp => "page up",
            Top => "first item",
            Bottom => "last item",
            NextUnreviewed => "next unreviewed",
            PrevUnreviewed => "previous unreviewed",
            NextSameImage => "next item with the same image",
            PrevSameImage => "previous item with the same image",
            GoldSafe => "gold: safe (Yes)",
            GoldUnsafe => "gold: unsafe (No)",
            Accept => "accept",
            NeedsFix => "needs fix",
            Reject => "reject",
            Unreview => "back to unreviewed",
            CycleSubset => "cycle subset",
            PickScenario => "pick scenario",
            EditNote => "edit note",
            ToggleFlag => "toggle a flag",
            Bulk => "bulk: next label applies to the whole view",
            Undo => "undo",
            Redo => "redo",
            Filter => "filter",
            Jump => "jump to id",
            Views => "queues and saved views",
            SaveView => "save filter as a view",
            Help => "help",
            History => "item history",
            RevealImage => "reveal hidden image",
            Compare => "compare every model's response",
            Stats => "error rates by model, subset and scenario",
            Quit => "quit",
        }
    }

    /// A short label for the footer.
    pub fn short(self) -> &'static str {
        use Bindable::*;
        match self {
            GoldSafe => "safe",
            GoldUnsafe => "unsafe",
            Accept => "accept",
            NeedsFix => "fix",
            Reject => "reject",
            PickScenario => "scenario",
            EditNote => "note",
            Filter => "filter",
            Undo => "undo",
            Help => "help",
            Quit => "quit",
            Bulk => "bulk",
            _ => self.describe(),
        }
    }

    /// The action this binding triggers.
    pub fn action(self) -> Action {
        use Bindable::*;
        match self {
            Down => Action::Down,
            Up => Action::Up,
            PageDown => Action::PageDown,
            PageUp => Action::PageUp,
            Top => Action::Top,
            Bottom => Action::Bottom,
            NextUnreviewed => Action::NextUnreviewed,
            PrevUnreviewed => Action::PrevUnreviewed,
            NextSameImage => Action::NextSameImage,
            PrevSameImage => Action::PrevSameImage,
            GoldSafe => Action::GoldSafe,
            GoldUnsafe => Action::GoldUnsafe,
            Accept => Action::Accept,
            NeedsFix => Action::NeedsFix,
            Reject => Action::Reject,
            Unreview => Action::Unreview,
            CycleSubset => Action::CycleSubset,
            PickScenario => Action::PickScenario,
            EditNote => Action::EditNote,
            ToggleFlag => Action::ToggleFlag,
            Bulk => Action::BulkPrefix,
            Undo => Action::Undo,
            Redo => Action::Redo,
            Filter => Action::OpenFilter,
            Jump => Action::OpenJump,
            Views => Action::OpenViews,
            SaveView => Action::SaveView,
            Help => Action::ToggleHelp,
            History => Action::OpenHistory,
            RevealImage => Action::RevealImage,
            Compare => Action::OpenCompare,
            Stats => Action::OpenStats,
            Quit => Action::Quit,
        }
    }

    fn default_keys(self) -> &'static [&'static str] {
        use Bindable::*;
        match self {
            Down => &["j", "Down"],
            Up => &["k", "Up"],
            PageDown => &["PageDown", "Ctrl-d"],
            PageUp => &["PageUp", "Ctrl-u"],
            Top => &["g", "Home"],
            Bottom => &["G", "End"],
            NextUnreviewed => &["]"],
            PrevUnreviewed => &["["],
            NextSameImage => &["}"],
            PrevSameImage => &["{"],
            GoldSafe => &["y"],
            GoldUnsafe => &["n"],
            Accept => &["a"],
            NeedsFix => &["f"],
            Reject => &["x"],
            Unreview => &["r"],
            CycleSubset => &["b"],
            PickScenario => &["s"],
            EditNote => &["e"],
            ToggleFlag => &["F"],
            Bulk => &["B"],
            Undo => &["u"],
            Redo => &["Ctrl-r"],
            Filter => &["/"],
            Jump => &[":"],
            Views => &["v"],
            SaveView => &["S"],
            Help => &["?"],
            History => &["h"],
            RevealImage => &["i"],
            Compare => &["c"],
            Stats => &["t"],
            Quit => &["q", "Ctrl-c"],
        }
    }
}

/// The item view's key bindings.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: BTreeMap<Bindable, Vec<KeyEvent>>,
}

impl Default for Keymap {
    fn default() -> Keymap {
        let bindings = Bindable::ALL
            .iter()
            .map(|b| {
                (
                    *b,
                    b.default_keys()
                        .iter()
                        .map(|k| parse_key(k).expect("default keys parse"))
                        .collect(),
                )
            })
            .collect();
        Keymap { bindings }
    }
}

impl Keymap {
    /// The defaults with the actions named in `overrides` rebound (a RON map of action
    /// name to key names, e.g. `{"accept": ["Enter"], "quit": ["q"]}`).
    pub fn with_overrides(text: &str) -> Result<Keymap, String> {
        let overrides: BTreeMap<String, Vec<String>> = ron::from_str(text).map_err(|e| e.to_string())?;
        let mut map = Keymap::default();
        for (name, keys) in overrides {
            let action = Bindable::ALL
                .into_iter()
                .find(|b| b.name() == name)
                .ok_or_else(|| {
                    let known: Vec<String> = Bindable::ALL.iter().map(|b| b.name()).collect();
                    format!("unknown action {name:?}; known actions: {}", known.join(", "))
                })?;
            let parsed: Result<Vec<KeyEvent>, String> = keys.iter().map(|k| parse_key(k)).collect();
            map.bindings.insert(action, parsed?);
        }
        Ok(map)
    }

    /// The action bound to `key`, if any.
    pub fn lookup(&self, key: &KeyEvent) -> Option<Bindable> {
        let key = normalize(*key);
        self.bindings
            .iter()
            .find(|(_, keys)| keys.iter().any(|k| normalize(*k) == key))
            .map(|(b, _)| *b)
    }

    /// The keys of an action, as names (`a`, `Ctrl-r`).
    pub fn keys_of(&self, action: Bindable) -> Vec<String> {
        self.bindings
            .get(&action)
            .map(|keys| keys.iter().map(key_name).collect())
            .unwrap_or_default()
    }

    /// The default keymap as a RON document, for `config --print-defaults`.
    pub fn defaults_ron() -> String {
        let mut out = String::from("// keymap.ron: name only the actions you want to rebind.\n{\n");
        let map = Keymap::default();
        for b in Bindable::ALL {
            let snake = b.name();
            let keys: Vec<String> = map.keys_of(b).iter().map(|k| format!("{k:?}")).collect();
            out.push_str(&format!(
                "    \"{snake}\": [{}], // {}\n",
                keys.join(", "),
                b.describe()
            ));
        }
        out.push_str("}\n");
        out
    }
}

fn to_snake(camel: &str) -> String {
    let mut out = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
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

    #[test]
    fn overrides_change_only_the_actions_they_name() {
        let map = Keymap::with_overrides(r#"{"accept": ["Enter", "A"]}"#).unwrap();
        assert_eq!(map.lookup(&parse_key("Enter").unwrap()), Some(Bindable::Accept));
        assert_eq!(map.lookup(&parse_key("a").unwrap()), None);
        assert_eq!(map.lookup(&parse_key("x").unwrap()), Some(Bindable::Reject));
        let shifted = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(map.lookup(&shifted), Some(Bindable::Bottom));
        assert!(Keymap::with_overrides(r#"{"acept": ["a"]}"#).is_err());
    }

    #[test]
    fn the_default_keymap_document_parses_back() {
        let doc = Keymap::defaults_ron();
        let parsed = Keymap::with_overrides(&doc).unwrap();
        assert_eq!(parsed.keys_of(Bindable::Redo), vec!["Ctrl-r"]);
    }
}
