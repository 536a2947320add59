//! The keymap in force for every screen: the defaults of each screen's `commands!` table
//! with keymap.ron's overrides. keymap.ron is a map of screen name to overrides
//! (`{"global": {"quit": ["Q"]}, "compare": {"override": ["v"]}}`); a flat map of
//! commands (the older format) means the item list (and the global keys it names).

use super::keys::{Bindings, Commands, Rebind, command_named};
use super::screens::{
    adjudicate, browse, compare, confirm, family, global, help, history, note, picker, prompt, stats, views,
};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Every screen's bindings.
#[derive(Debug, Clone, Default)]
pub struct Keymap {
    /// Keys of every screen without a text field, unless the screen binds them itself.
    pub global: Bindings<global::Command>,
    /// The item list.
    pub browse: Bindings<browse::Command>,
    /// The adjudication queue.
    pub adjudicate: Bindings<adjudicate::Command>,
    /// Compare.
    pub compare: Bindings<compare::Command>,
    /// Stats.
    pub stats: Bindings<stats::Command>,
    /// The variant family of an item.
    pub family: Bindings<family::Command>,
    /// Queues and saved views.
    pub views: Bindings<views::Command>,
    /// The bulk confirmation.
    pub confirm: Bindings<confirm::Command>,
    /// Help.
    pub help: Bindings<help::Command>,
    /// An item's history.
    pub history: Bindings<history::Command>,
    /// The one-line prompts (filter, jump, flag, view name).
    pub prompt: Bindings<prompt::Command>,
    /// The scenario picker.
    pub picker: Bindings<picker::Command>,
    /// The note editor.
    pub note: Bindings<note::Command>,
}

/// A keymap.ron entry: a command's keys (flat format) or a screen's overrides.
#[derive(Deserialize)]
#[serde(untagged)]
enum Entry {
    Keys(Vec<String>),
    Screen(BTreeMap<String, Vec<String>>),
}

/// The screens in help order.
const SCREENS: [&str; 13] = [
    "global",
    "browse",
    "adjudicate",
    "compare",
    "stats",
    "family",
    "views",
    "confirm",
    "help",
    "history",
    "prompt",
    "picker",
    "note",
];

/// The line (1-based) of `name`'s entry in `text`, inside `section`'s map when present.
fn line_of(text: &str, section: &str, name: &str) -> usize {
    let start = text.find(&format!("\"{section}\"")).unwrap_or(0);
    let at = text[start..]
        .find(&format!("\"{name}\""))
        .map(|p| p + start)
        .or_else(|| text.find(&format!("\"{name}\"")))
        .unwrap_or(0);
    text[..at].matches('\n').count() + 1
}

fn rebind<C: Commands>(
    bindings: &mut Bindings<C>,
    section: &str,
    overrides: &BTreeMap<String, Vec<String>>,
    text: &str,
) -> Result<(), String> {
    bindings.override_with(overrides).map_err(|e| match e {
        Rebind::UnknownCommand(name) => {
            let known: Vec<String> = C::ALL.iter().map(|c| c.name()).collect();
            format!(
                "{}: unknown action {name:?} in {section}; known actions: {}",
                line_of(text, section, &name),
                known.join(", ")
            )
        }
        Rebind::BadKey(name, why) => format!("{}: {name}: {why}", line_of(text, section, &name)),
    })
}

fn no_duplicate<C: Commands>(bindings: &Bindings<C>, section: &str, text: &str) -> Result<(), String> {
    match bindings.duplicate() {
        Some((key, first, second)) => {
            let line = line_of(text, section, &second.name()).max(line_of(text, section, &first.name()));
            Err(format!(
                "{line}: key {key} is bound twice in {section}: to {} and to {}",
                first.name(),
                second.name()
            ))
        }
        None => Ok(()),
    }
}

fn help_rows<C: Commands>(
    bindings: &Bindings<C>,
    global: Option<&Bindings<global::Command>>,
) -> Vec<(String, String)> {
    let mut rows: Vec<(String, String)> = C::ALL
        .iter()
        .map(|c| (bindings.keys_of(*c).join(" "), c.describe().to_string()))
        .collect();
    if let Some(global) = global {
        for (key, command) in global.bound() {
            if let Some(own) = bindings.lookup(&key) {
                rows.push((
                    super::keys::key_name(&key),
                    format!("{} (shadows global {})", own.describe(), command.name()),
                ));
            }
        }
    }
    rows
}

impl Keymap {
    /// The defaults with keymap.ron's overrides; errors start with the line they are on.
    pub fn from_ron(text: &str) -> Result<Keymap, String> {
        let doc: BTreeMap<String, Entry> = ron::from_str(text).map_err(|e| e.to_string())?;
        let mut sections: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
        for (name, entry) in doc {
            match entry {
                Entry::Screen(overrides) => sections.entry(name).or_default().extend(overrides),
                Entry::Keys(keys) => {
                    let section = if command_named::<browse::Command>(&name).is_none()
                        && command_named::<global::Command>(&name).is_some()
                    {
                        "global"
                    } else {
                        "browse"
                    };
                    sections
                        .entry(section.to_string())
                        .or_default()
                        .insert(name, keys);
                }
            }
        }
        let mut map = Keymap::default();
        for (section, overrides) in &sections {
            let s = section.as_str();
            let o = overrides;
            match s {
                "global" => rebind(&mut map.global, s, o, text)?,
                "browse" => rebind(&mut map.browse, s, o, text)?,
                "adjudicate" => rebind(&mut map.adjudicate, s, o, text)?,
                "compare" => rebind(&mut map.compare, s, o, text)?,
                "stats" => rebind(&mut map.stats, s, o, text)?,
                "family" => rebind(&mut map.family, s, o, text)?,
                "views" => rebind(&mut map.views, s, o, text)?,
                "confirm" => rebind(&mut map.confirm, s, o, text)?,
                "help" => rebind(&mut map.help, s, o, text)?,
                "history" => rebind(&mut map.history, s, o, text)?,
                "prompt" => rebind(&mut map.prompt, s, o, text)?,
                "picker" => rebind(&mut map.picker, s, o, text)?,
                "note" => rebind(&mut map.note, s, o, text)?,
                other => {
                    return Err(format!(
                        "{}: unknown screen {other:?}; screens: {}",
                        line_of(text, other, other),
                        SCREENS.join(", ")
                    ));
                }
            }
        }
        map.check(text)?;
        Ok(map)
    }

    /// Rejects a key bound twice within one screen, and a keymap without a way to quit.
    fn check(&self, text: &str) -> Result<(), String> {
        no_duplicate(&self.global, "global", text)?;
        no_duplicate(&self.browse, "browse", text)?;
        no_duplicate(&self.adjudicate, "adjudicate", text)?;
        no_duplicate(&self.compare, "compare", text)?;
        no_duplicate(&self.stats, "stats", text)?;
        no_duplicate(&self.family, "family", text)?;
        no_duplicate(&self.views, "views", text)?;
        no_duplicate(&self.confirm, "confirm", text)?;
        no_duplicate(&self.help, "help", text)?;
        no_duplicate(&self.history, "history", text)?;
        no_duplicate(&self.prompt, "prompt", text)?;
        no_duplicate(&self.picker, "picker", text)?;
        no_duplicate(&self.note, "note", text)?;
        let can_quit = self
            .global
            .bound()
            .any(|(key, c)| c == global::Command::Quit && self.browse.lookup(&key).is_none());
        if can_quit {
            Ok(())
        } else {
            Err(format!(
                "{}: no key quits: bind \"quit\" in \"global\" to a key the browse screen does not use",
                line_of(text, "global", "quit")
            ))
        }
    }

    /// `?` help: each screen's keys and what they do, shadowed global keys marked.
    pub fn help_sections(&self) -> Vec<help::HelpSection> {
        let g = Some(&self.global);
        let rows = [
            help_rows(&self.global, None),
            help_rows(&self.browse, g),
            help_rows(&self.adjudicate, g),
            help_rows(&self.compare, g),
            help_rows(&self.stats, g),
            help_rows(&self.family, g),
            help_rows(&self.views, g),
            help_rows(&self.confirm, g),
            help_rows(&self.help, g),
            help_rows(&self.history, g),
            help_rows(&self.prompt, None),
            help_rows(&self.picker, None),
            help_rows(&self.note, None),
        ];
        SCREENS
            .iter()
            .zip(rows)
            .map(|(screen, rows)| help::HelpSection {
                screen: screen.to_string(),
                rows,
            })
            .collect()
    }

    /// The default keymap as a RON document, for `config --print-defaults`.
    pub fn defaults_ron() -> String {
        let mut out = String::from(
            "// keymap.ron: per screen, name only the actions you want to rebind.\n// A screen's key shadows a global one there.\n{\n",
        );
        let sections = [
            ("global", Bindings::<global::Command>::defaults_ron("        ")),
            ("browse", Bindings::<browse::Command>::defaults_ron("        ")),
            (
                "adjudicate",
                Bindings::<adjudicate::Command>::defaults_ron("        "),
            ),
            ("compare", Bindings::<compare::Command>::defaults_ron("        ")),
            ("stats", Bindings::<stats::Command>::defaults_ron("        ")),
            ("family", Bindings::<family::Command>::defaults_ron("        ")),
            ("views", Bindings::<views::Command>::defaults_ron("        ")),
            ("confirm", Bindings::<confirm::Command>::defaults_ron("        ")),
            ("help", Bindings::<help::Command>::defaults_ron("        ")),
            ("history", Bindings::<history::Command>::defaults_ron("        ")),
            ("prompt", Bindings::<prompt::Command>::defaults_ron("        ")),
            ("picker", Bindings::<picker::Command>::defaults_ron("        ")),
            ("note", Bindings::<note::Command>::defaults_ron("        ")),
        ];
        for (name, body) in sections {
            out.push_str(&format!("    \"{name}\": {{\n{body}    }},\n"));
        }
        out.push_str("}\n");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keys::parse_key;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    #[test]
    fn a_flat_map_rebinds_the_item_list_and_only_what_it_names() {
        let map = Keymap::from_ron(r#"{"accept": ["Enter", "A"], "quit": ["Q"]}"#).unwrap();
        assert_eq!(
            map.browse.lookup(&parse_key("Enter").unwrap()),
            Some(browse::Command::Accept)
        );
        assert_eq!(map.browse.lookup(&parse_key("a").unwrap()), None);
        assert_eq!(
            map.browse.lookup(&parse_key("x").unwrap()),
            Some(browse::Command::Reject)
        );
        assert_eq!(map.global.keys_of(global::Command::Quit), vec!["Q"]);
        let shifted = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(map.browse.lookup(&shifted), Some(browse::Command::Bottom));
        let err = Keymap::from_ron("{\n  \"acept\": [\"a\"]\n}").unwrap_err();
        assert!(err.starts_with("2: unknown action \"acept\""), "{err}");
    }

    #[test]
    fn the_default_keymap_document_parses_back() {
        let parsed = Keymap::from_ron(&Keymap::defaults_ron()).unwrap();
        assert_eq!(parsed.browse.keys_of(browse::Command::Redo), vec!["Ctrl-r"]);
    }

    #[test]
    fn a_key_bound_twice_in_one_screen_is_refused_with_its_line() {
        let text = "{\n  \"compare\": {\n    \"override\": [\"o\"],\n    \"close\": [\"o\"],\n  },\n}";
        let err = Keymap::from_ron(text).unwrap_err();
        assert!(err.starts_with("4: key o is bound twice in compare"), "{err}");
        assert!(
            Keymap::from_ron(r#"{"stats": {"open": ["o"]}}"#).is_ok(),
            "o is free in stats"
        );
    }

    #[test]
    fn a_keymap_without_a_way_to_quit_is_refused() {
        let err = Keymap::from_ron("{\n\"global\": {\n  \"quit\": [],\n}}").unwrap_err();
        assert!(err.starts_with("3: no key quits"), "{err}");
        let err =
            Keymap::from_ron(r#"{"global": {"quit": ["Q"]}, "browse": {"accept": ["Q"]}}"#).unwrap_err();
        assert!(err.contains("no key quits"), "{err}");
    }

    #[test]
    fn every_command_is_named_as_serde_reads_it() {
        fn check<C: Commands>() {
            for c in C::ALL {
                assert_eq!(command_named::<C>(&c.name()), Some(*c), "{c:?}");
            }
        }
        check::<global::Command>();
        check::<browse::Command>();
        check::<adjudicate::Command>();
        check::<compare::Command>();
        check::<stats::Command>();
        check::<family::Command>();
        check::<views::Command>();
        check::<confirm::Command>();
        check::<help::Command>();
        check::<history::Command>();
        check::<prompt::Command>();
        check::<picker::Command>();
        check::<note::Command>();
    }

    #[test]
    fn help_marks_a_screen_key_that_shadows_a_global_one() {
        let sections = Keymap::default().help_sections();
        let compare = &sections.iter().find(|s| s.screen == "compare").unwrap().rows;
        assert!(
            compare
                .iter()
                .any(|(k, what)| k == "q" && what.contains("shadows global quit"))
        );
    }
}
