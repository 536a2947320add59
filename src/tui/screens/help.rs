//! `?` help: every screen's keys from the keymap in force, one section per screen, with
//! the global keys a screen's own binding shadows. Scrolls when taller than the terminal.

use super::Next;
use crate::tui::action::Action;
use crate::tui::keys::{Bindings, Commands, commands};
use crate::tui::layout;
use crate::tui::strings;
use crate::tui::widgets::{bold, footer, overlay_block};
use crate::tui::workspace::Workspace;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

commands! {
    Close: ["Esc", "Enter", "q", "?", "h", "Ctrl-c"], "close", "close" => Action::Cancel;
    Down: ["j", "Down"], "scroll down", "scroll" => Action::Down;
    Up: ["k", "Up"], "scroll up", "scroll" => Action::Up;
    PageDown: ["PageDown", "Space"], "page down", "page down" => Action::PageDown;
    PageUp: ["PageUp"], "page up", "page up" => Action::PageUp;
}

/// One screen's keys, ready to show.
#[derive(Debug, Clone, PartialEq)]
pub struct HelpSection {
    /// The screen's keymap.ron name.
    pub screen: String,
    /// (keys, what they do) per command.
    pub rows: Vec<(String, String)>,
}

/// The help being shown and how far it is scrolled.
#[derive(Debug, Clone, PartialEq)]
pub struct HelpView {
    /// Sections from the keymap in force.
    pub sections: Vec<HelpSection>,
    /// Lines scrolled.
    pub scroll: usize,
}

/// Applies one action to the help view.
pub fn update(ws: &mut Workspace, view: &mut HelpView, action: Action) -> Next {
    let visible = visible_lines(Rect::new(0, 0, ws.size.0, ws.size.1), view);
    let last = line_count(view).saturating_sub(visible);
    match action {
        Action::Down => view.scroll = (view.scroll + 1).min(last),
        Action::Up => view.scroll = view.scroll.saturating_sub(1),
        Action::PageDown => view.scroll = (view.scroll + visible).min(last),
        Action::PageUp => view.scroll = view.scroll.saturating_sub(visible),
        Action::Cancel | Action::ToggleHelp | Action::Quit | Action::Submit => return Next::Close,
        _ => {}
    }
    Next::Stay
}

/// The keymap's sections followed by the filter language (fields, operators, examples).
pub fn with_filter_language(mut sections: Vec<HelpSection>) -> Vec<HelpSection> {
    sections.push(HelpSection {
        screen: strings::FILTER_LANGUAGE_SECTION.to_string(),
        rows: strings::FILTER_LANGUAGE
            .iter()
            .map(|(example, what)| (example.to_string(), what.to_string()))
            .collect(),
    });
    sections
}

fn line_count(view: &HelpView) -> usize {
    view.sections.iter().map(|s| s.rows.len() + 2).sum()
}

/// The box of the help over `area`.
fn help_rect(area: Rect, view: &HelpView) -> Rect {
    let lines = u16::try_from(line_count(view)).unwrap_or(u16::MAX);
    let height = lines.saturating_add(2).min(area.height.saturating_sub(3));
    layout::centered(
        Rect {
            height: area.height.saturating_sub(2),
            ..area
        },
        78,
        height,
    )
}

/// Lines of help that show at once (inside the border).
fn visible_lines(area: Rect, view: &HelpView) -> usize {
    usize::from(help_rect(area, view).height.saturating_sub(2)).max(1)
}

/// Paints the help over `area`, with where it is scrolled in the title.
pub fn draw(ws: &Workspace, view: &HelpView, frame: &mut Frame, area: Rect) {
    let t = &ws.theme;
    let rect = help_rect(area, view);
    let (first, total) = (view.scroll + 1, line_count(view));
    let last = (view.scroll + visible_lines(area, view)).min(total);
    let title = strings::help_title(first, last, total);
    frame.render_widget(Clear, rect);
    let mut lines = Vec::new();
    for section in &view.sections {
        lines.push(Line::from(Span::styled(format!("[{}]", section.screen), bold())));
        for (keys, what) in &section.rows {
            lines.push(Line::from(vec![
                Span::styled(format!("{keys:<20}"), t.fg(t.accent)),
                Span::raw(what.clone()),
            ]));
        }
        lines.push(Line::from(""));
    }
    let scroll = u16::try_from(view.scroll).unwrap_or(u16::MAX);
    frame.render_widget(
        Paragraph::new(lines)
            .block(overlay_block(&title, t))
            .scroll((scroll, 0)),
        rect,
    );
}

/// The footer of the help view.
pub fn hints(keys: &Bindings<Command>) -> Vec<(String, String)> {
    vec![
        footer::pair(keys, Command::Down, Command::Up, "scroll"),
        footer::pair(keys, Command::PageDown, Command::PageUp, "page"),
        footer::one(keys, Command::Close, Command::Close.short()),
    ]
}
