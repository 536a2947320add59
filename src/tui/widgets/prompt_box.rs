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
use unicode_width::UnicodeWidthStr;

/// Where the error points in the typed text: display column and length in cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caret {
    /// Display width of the text before the offending term.
    pub column: usize,
    /// Cells to underline.
    pub length: usize,
}

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
    draw_pointing(frame, area, t, title, editor, help, error, None);
}

/// Paints a prompt box over `area`, with `caret` marking the offending part of the text
/// on the line below it.
#[allow(clippy::too_many_arguments)]
pub fn draw_pointing(
    frame: &mut Frame,
    area: Rect,
    t: &Theme,
    title: &str,
    editor: &Editor,
    help: &[String],
    error: Option<&str>,
    caret: Option<Caret>,
) {
    let height = 3 + 2 * help.len() as u16 + 2 * u16::from(error.is_some()) + u16::from(caret.is_some());
    let rect = layout::centered(area, area.width.saturating_sub(8).min(90), height + 2);
    frame.render_widget(Clear, rect);
    let mut lines = vec![Line::from(format!("> {}", esc(&editor.text())))];
    if let Some(caret) = caret {
        lines.push(Line::from(Span::styled(
            format!("  {}{}", " ".repeat(caret.column), "^".repeat(caret.length)),
            t.fg(t.error).add_modifier(Modifier::BOLD),
        )));
    }
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
    let column = esc(&editor.before_cursor()).width();
    frame.set_cursor_position(cursor_in(rect, 3, column, 1, 0));
}
