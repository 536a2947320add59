//! Terminal events to actions: the open screen's keys from the keymap, then the global
//! keys (on screens without a text field), then typed characters (on those with one).

use super::action::Action;
use super::keymap::Keymap;
use super::state::Mode;
use crossterm::event::{Event, KeyEvent, KeyEventKind, KeyModifiers, MouseEventKind};

/// The action a terminal event means on the open screen, if any.
pub fn translate(event: &Event, mode: &Mode, keymap: &Keymap, mouse: bool) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => translate_key(key, mode, keymap),
        Event::Resize(w, h) => Some(Action::Resize(*w, *h)),
        Event::Paste(text) => Some(Action::Paste(text.clone())),
        Event::Mouse(m) if mouse && matches!(mode, Mode::Browse) => match m.kind {
            MouseEventKind::ScrollDown => Some(Action::Scroll(3)),
            MouseEventKind::ScrollUp => Some(Action::Scroll(-3)),
            MouseEventKind::Down(_) => Some(Action::Click(m.column, m.row)),
            _ => None,
        },
        _ => None,
    }
}

/// The action a key means on the open screen, if any.
pub fn translate_key(key: &KeyEvent, mode: &Mode, keymap: &Keymap) -> Option<Action> {
    let own = match mode {
        Mode::Browse => keymap.browse.lookup(key).map(|c| c.action()),
        Mode::Compare(_) => keymap.compare.lookup(key).map(|c| c.action()),
        Mode::Stats(_) => keymap.stats.lookup(key).map(|c| c.action()),
        Mode::Family(_) => keymap.family.lookup(key).map(|c| c.action()),
        Mode::Views(_) => keymap.views.lookup(key).map(|c| c.action()),
        Mode::Confirm(_) => keymap.confirm.lookup(key).map(|c| c.action()),
        Mode::Adjudicate(_) => keymap.adjudicate.lookup(key).map(|c| c.action()),
        Mode::Help(_) | Mode::Pager(_) | Mode::Progress(_) => keymap.help.lookup(key).map(|c| c.action()),
        Mode::History(_) => keymap.history.lookup(key).map(|c| c.action()),
        Mode::Scenario(_) => keymap.picker.lookup(key).map(|c| c.action()),
        Mode::Note(_) => keymap.note.lookup(key).map(|c| c.action()),
        Mode::Filter(_) | Mode::Jump(_) | Mode::Flag(_) | Mode::ViewName(_) => {
            keymap.prompt.lookup(key).map(|c| c.action())
        }
    };
    if own.is_some() {
        return own;
    }
    if mode.takes_text() {
        return typed(key);
    }
    keymap.global.lookup(key).map(|c| c.action())
}

/// A typed character (not a Ctrl or Alt chord).
fn typed(key: &KeyEvent) -> Option<Action> {
    if key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    {
        return None;
    }
    match key.code {
        crossterm::event::KeyCode::Char(c) => Some(Action::Input(c)),
        _ => None,
    }
}
