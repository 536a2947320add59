//! Terminal events to actions: the keymap in the item view, editing keys in prompts.

use super::action::Action;
use super::keymap::Keymap;
use super::state::Mode;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEventKind};

/// The action a terminal event means in the current mode, if any.
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

/// The action a key means in the current mode, if any.
pub fn translate_key(key: &KeyEvent, mode: &Mode, keymap: &Keymap) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && key.code == KeyCode::Char('c') && !matches!(mode, Mode::Browse) {
        return Some(Action::Cancel);
    }
    match mode {
        Mode::Browse => {
            if key.code == KeyCode::Esc {
                return Some(Action::Cancel);
            }
            keymap.lookup(key).map(|b| b.action())
        }
        Mode::Help | Mode::History(..) => match key.code {
            KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q') | KeyCode::Char('?') | KeyCode::Char('h') => {
                Some(Action::Cancel)
            }
            _ => None,
        },
        Mode::Confirm(_) => match key.code {
            KeyCode::Enter | KeyCode::Char('y') => Some(Action::Submit),
            KeyCode::Esc | KeyCode::Char('n') | KeyCode::Char('q') => Some(Action::Cancel),
            _ => None,
        },
        Mode::Views(_) => match key.code {
            KeyCode::Up | KeyCode::Char('k') => Some(Action::Up),
            KeyCode::Down | KeyCode::Char('j') => Some(Action::Down),
            KeyCode::Enter => Some(Action::Submit),
            KeyCode::Char('d') => Some(Action::Input('d')),
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('v') => Some(Action::Cancel),
            _ => None,
        },
        Mode::Compare(_) => match key.code {
            KeyCode::Down | KeyCode::Char('j') => Some(Action::Down),
            KeyCode::Up | KeyCode::Char('k') => Some(Action::Up),
            KeyCode::Left | KeyCode::Char('h') => Some(Action::Left),
            KeyCode::Right | KeyCode::Char('l') | KeyCode::Tab => Some(Action::Right),
            KeyCode::PageDown | KeyCode::Char(' ') => Some(Action::PageDown),
            KeyCode::PageUp => Some(Action::PageUp),
            KeyCode::Char('o') => Some(Action::Override),
            KeyCode::Esc | KeyCode::Char('c') | KeyCode::Char('q') => Some(Action::Cancel),
            _ => None,
        },
        Mode::Stats(_) => match key.code {
            KeyCode::Down | KeyCode::Char('j') => Some(Action::Down),
            KeyCode::Up | KeyCode::Char('k') => Some(Action::Up),
            KeyCode::Left | KeyCode::Char('h') => Some(Action::Left),
            KeyCode::Right | KeyCode::Char('l') => Some(Action::Right),
            KeyCode::Enter => Some(Action::Submit),
            KeyCode::Esc | KeyCode::Char('t') | KeyCode::Char('q') => Some(Action::Cancel),
            _ => None,
        },
        Mode::Note(_) => {
            if ctrl && key.code == KeyCode::Char('s') {
                return Some(Action::SaveNote);
            }
            match key.code {
                KeyCode::Enter => Some(Action::Newline),
                _ => editing_key(key),
            }
        }
        Mode::Scenario(_) => match key.code {
            KeyCode::Up => Some(Action::Up),
            KeyCode::Down | KeyCode::Tab => Some(Action::Down),
            KeyCode::Enter => Some(Action::Submit),
            _ => editing_key(key),
        },
        Mode::Filter(..) | Mode::Jump(..) | Mode::Flag(..) | Mode::ViewName(_) => match key.code {
            KeyCode::Enter => Some(Action::Submit),
            _ => editing_key(key),
        },
    }
}

fn editing_key(key: &KeyEvent) -> Option<Action> {
    if key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    {
        return None;
    }
    Some(match key.code {
        KeyCode::Esc => Action::Cancel,
        KeyCode::Backspace => Action::Backspace,
        KeyCode::Delete => Action::Delete,
        KeyCode::Left => Action::Left,
        KeyCode::Right => Action::Right,
        KeyCode::Home => Action::Home,
        KeyCode::End => Action::End,
        KeyCode::Char(c) => Action::Input(c),
        _ => return None,
    })
}
