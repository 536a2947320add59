//! The full text of the current item's sentence, however long, in a scrollable pager.
//! Only the lines on screen are escaped and drawn: scrolling moves a byte offset.

use super::Next;
use super::help::Command;
use crate::tui::action::Action;
use crate::tui::keys::{Bindings, Commands};
use crate::tui::strings;
use crate::tui::widgets::text::{area_budget, next_line, previous_line, visible_prefix};
use crate::tui::widgets::{esc, footer, overlay_block};
use crate::tui::workspace::Workspace;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Clear, Paragraph, Wrap};

/// Which item's text is shown and from where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagerView {
    /// The item (dataset index).
    pub item: usize,
    /// Byte offset of the first line shown.
    pub offset: usize,
}

/// The text area of the pager for a terminal of `size` (inside its border).
fn text_area(size: (u16, u16)) -> Rect {
    let screen = Rect::new(0, 0, size.0, size.1.saturating_sub(2));
    Rect::new(
        screen.x + 1,
        screen.y + 1,
        screen.width.saturating_sub(2),
        screen.height.saturating_sub(2),
    )
}

/// Applies one action to the pager.
pub fn update(ws: &mut Workspace, view: &mut PagerView, action: Action) -> Next {
    let Some(item) = ws.dataset.items.get(view.item) else {
        return Next::Close;
    };
    let text = &item.sentence;
    let area = text_area(ws.size);
    let (width, rows) = (usize::from(area.width), usize::from(area.height).max(1));
    match action {
        Action::Down => view.offset = next_line(text, view.offset, width),
        Action::Up => view.offset = previous_line(text, view.offset, width),
        Action::PageDown => {
            for _ in 0..rows {
                view.offset = next_line(text, view.offset, width);
            }
        }
        Action::PageUp => {
            for _ in 0..rows {
                view.offset = previous_line(text, view.offset, width);
            }
        }
        Action::Cancel | Action::Quit | Action::Submit | Action::ToggleHelp => return Next::Close,
        _ => {}
    }
    Next::Stay
}

/// Paints the pager over `area`.
pub fn draw(ws: &Workspace, view: &PagerView, frame: &mut Frame, area: Rect) {
    let Some(item) = ws.dataset.items.get(view.item) else {
        return;
    };
    let t = &ws.theme;
    let rect = Rect {
        height: area.height.saturating_sub(2),
        ..area
    };
    frame.render_widget(Clear, rect);
    let text = &item.sentence;
    let start = view.offset.min(text.len());
    let shown = visible_prefix(&text[start..], area_budget(text_area(ws.size)));
    let title = strings::pager_title(&esc(&item.id), start, text.len());
    frame.render_widget(
        Paragraph::new(esc(shown))
            .block(overlay_block(&title, t))
            .wrap(Wrap { trim: false }),
        rect,
    );
}

/// The footer of the pager.
pub fn hints(keys: &Bindings<Command>) -> Vec<(String, String)> {
    vec![
        footer::pair(keys, Command::Down, Command::Up, "scroll"),
        footer::pair(keys, Command::PageDown, Command::PageUp, "page"),
        footer::one(keys, Command::Close, Command::Close.short()),
    ]
}
