//! A one-line prompt in a centred box, with help lines and the error of the last try.

use super::{cursor_in, esc, overlay_block};
use crate::tui::editor::Editor;
use crate::tui::layout;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

/// Paints a prompt box over `area`.
pub fn draw(
    frame: &mut Frame,
    area: Rect,
    t: &Theme,
    title: &str,
    editor: &Editor,
    help: &[String],
    error: Option<&str>,
) {
    let height = 3 + 2 * help.len() as u16 + 2 * u16::from(error.is_some());
    let rect = layout::centered(area, area.width.saturating_sub(8).min(90), height + 2);
    frame.render_widget(Clear, rect);
    let mut lines = vec![Line::from(format!("> {}", esc(&editor.text())))];
    if let Some(e) = error {
        lines.push(Line::from(Span::styled(
            esc(e),
            t.fg(t.error).add_modifier(Modifier::BOLD),
        )));
    }
    lines.push(Line::from(""));
    lines.extend(
        help.iter()
            .map(|h| Line::from(Span::styled(h.clone(), t.fg(t.dim)))),
    );
    let paragraph = Paragraph::new(lines)
        .block(overlay_block(title, t))
        .wrap(Wrap { trim: false });
    frame.render_widget(paragraph, rect);
    frame.set_cursor_position(cursor_in(rect, 3, editor.cursor_column(), 1, 0));
}
