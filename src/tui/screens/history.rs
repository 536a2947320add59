//! An item's edit history, newest first, read off the UI thread.

use super::Next;
use crate::tui::action::Action;
use crate::tui::keys::{Bindings, commands};
use crate::tui::layout;
use crate::tui::strings;
use crate::tui::widgets::{bold, esc, footer, overlay_block};
use crate::tui::workspace::Workspace;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Cell, Clear, Paragraph, Row, Table};
use safeaware::store::journal::JournalEntry;

commands! {
    Close: ["Esc", "Enter", "q", "h", "Ctrl-c"], "close", "close" => Action::Cancel;
}

/// The history of one item (None while loading).
#[derive(Debug, Clone)]
pub struct HistoryView {
    /// The item's id.
    pub id: String,
    /// The entries, or why they could not be read.
    pub entries: Option<Result<Vec<JournalEntry>, String>>,
}

/// Applies one action to the history view.
pub fn update(_ws: &mut Workspace, _view: &mut HistoryView, action: Action) -> Next {
    match action {
        Action::Cancel | Action::Submit | Action::Quit | Action::OpenHistory => Next::Close,
        _ => Next::Stay,
    }
}

/// Paints the history over `area`.
pub fn draw(ws: &Workspace, view: &HistoryView, frame: &mut Frame, area: Rect) {
    let t = &ws.theme;
    let rect = layout::centered(area, 100, area.height.saturating_sub(4));
    frame.render_widget(Clear, rect);
    let title = strings::history_title(&esc(&view.id));
    let block = overlay_block(&title, t);
    match &view.entries {
        None => frame.render_widget(Paragraph::new(strings::LOADING).block(block), rect),
        Some(Err(e)) => frame.render_widget(Paragraph::new(esc(e)).block(block), rect),
        Some(Ok(entries)) if entries.is_empty() => {
            frame.render_widget(Paragraph::new(strings::NO_HISTORY).block(block), rect)
        }
        Some(Ok(entries)) => {
            let rows: Vec<Row> = entries
                .iter()
                .rev()
                .map(|e| {
                    let (old, new) = e.change.describe();
                    Row::new(vec![
                        Cell::from(e.seq.to_string()),
                        Cell::from(safeaware::time::local(e.time)),
                        Cell::from(esc(&e.curator)),
                        Cell::from(esc(&e.change.field())),
                        Cell::from(esc(&old)),
                        Cell::from(esc(&new)),
                    ])
                })
                .collect();
            let widths = [
                Constraint::Length(6),
                Constraint::Length(11),
                Constraint::Length(12),
                Constraint::Length(14),
                Constraint::Fill(1),
                Constraint::Fill(1),
            ];
            let table = Table::new(rows, widths)
                .header(Row::new(strings::header::HISTORY.to_vec()).style(bold()))
                .block(block);
            frame.render_widget(table, rect);
        }
    }
}

/// The footer of the history view.
pub fn hints(keys: &Bindings<Command>) -> Vec<(String, String)> {
    footer::hints(keys, &[Command::Close])
}
