//! Queues and saved views: the built-in queues, then the curator's saved filters; Enter
//! applies one, the delete key removes a saved view.

use super::{Next, Open};
use crate::tui::action::Action;
use crate::tui::effect::Effect;
use crate::tui::keys::{Bindings, commands};
use crate::tui::layout;
use crate::tui::strings;
use crate::tui::widgets::{esc, footer, overlay_block};
use crate::tui::workspace::Workspace;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

commands! {
    Up: ["k", "Up"], "previous entry", "up" => Action::Up;
    Down: ["j", "Down"], "next entry", "down" => Action::Down;
    Apply: ["Enter"], "apply the queue or view", "apply" => Action::Submit;
    DeleteView: ["d"], "delete the saved view", "delete saved view" => Action::DeleteView;
    Close: ["Esc", "q", "v", "Ctrl-c"], "close", "close" => Action::Cancel;
}

/// One entry of the menu.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Its name.
    pub name: String,
    /// The filter it applies.
    pub query: String,
    /// A saved view (deletable) rather than a built-in queue.
    pub saved: bool,
}

/// The entries of the menu: built-in queues, then saved views.
pub fn entries(ws: &Workspace) -> Vec<Entry> {
    let queues = strings::QUEUES.iter().map(|(name, query)| Entry {
        name: name.to_string(),
        query: query.to_string(),
        saved: false,
    });
    let saved = ws.views.iter().map(|(name, query)| Entry {
        name: name.clone(),
        query: query.clone(),
        saved: true,
    });
    queues.chain(saved).collect()
}

/// Applies one action to the menu (`selected` is the highlighted entry).
pub fn update(ws: &mut Workspace, selected: &mut usize, action: Action) -> Next {
    let entries = entries(ws);
    match action {
        Action::Up => *selected = selected.saturating_sub(1),
        Action::Down => *selected = (*selected + 1).min(entries.len() - 1),
        Action::Submit => {
            let query = entries[*selected].query.clone();
            return match ws.apply_filter(&query) {
                Ok(()) => Next::Close,
                Err(error) => Next::Open(Open::Filter {
                    text: query,
                    error: Some(error),
                }),
            };
        }
        Action::DeleteView => {
            let entry = &entries[*selected];
            if entry.saved && !ws.refuse_if_read_only() {
                ws.views.remove(&entry.name);
                ws.outbox.push(Effect::SaveViews(ws.views.clone()));
                *selected = (*selected).min(entries.len() - 2);
            }
        }
        Action::Cancel | Action::Quit | Action::OpenViews => return Next::Close,
        _ => {}
    }
    Next::Stay
}

/// Paints the menu over `area`.
pub fn draw(ws: &Workspace, selected: usize, frame: &mut Frame, area: Rect) {
    let t = &ws.theme;
    let entries = entries(ws);
    let rect = layout::centered(area, 80, entries.len() as u16 + 4);
    frame.render_widget(Clear, rect);
    let lines: Vec<Line> = entries
        .iter()
        .enumerate()
        .map(|(n, e)| {
            let kind = if e.saved {
                strings::VIEW_KIND
            } else {
                strings::QUEUE_KIND
            };
            let text = format!("{kind}  {:<24} {}", esc(&e.name), esc(&e.query));
            let style = if n == selected {
                t.selected()
            } else {
                Style::default()
            };
            Line::from(Span::styled(text, style))
        })
        .collect();
    frame.render_widget(
        Paragraph::new(lines).block(overlay_block(strings::VIEWS_TITLE, t)),
        rect,
    );
}

/// The footer of the menu.
pub fn hints(keys: &Bindings<Command>) -> Vec<(String, String)> {
    footer::hints(keys, &[Command::Apply, Command::DeleteView, Command::Close])
}
