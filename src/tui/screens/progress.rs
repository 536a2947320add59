//! Progress per curator, over the item list: done / assigned in total and per subset,
//! items per hour and the time left at that rate (the same figures as `safeaware
//! summary`, from `labels::assign::progress`). Scrolls with the help keys. In blind mode
//! only the curator's own progress.

use super::Next;
use super::help::Command;
use crate::tui::action::Action;
use crate::tui::keys::{Bindings, Commands};
use crate::tui::layout;
use crate::tui::strings::curators as text;
use crate::tui::widgets::{bold, esc, footer, overlay_block};
use crate::tui::workspace::Workspace;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

/// Applies one action to the overlay (its scroll offset).
pub fn update(action: Action, offset: &mut usize) -> Next {
    match action {
        Action::Down => *offset += 1,
        Action::Up => *offset = offset.saturating_sub(1),
        Action::PageDown => *offset += 10,
        Action::PageUp => *offset = offset.saturating_sub(10),
        Action::Cancel | Action::Quit | Action::Submit | Action::ToggleHelp | Action::OpenProgress => {
            return Next::Close;
        }
        _ => {}
    }
    Next::Stay
}

/// The overlay's lines: per curator a total line, then one line per subset.
pub fn lines(ws: &Workspace) -> Vec<Line<'static>> {
    let mut progress = ws.curators.progress(&ws.dataset);
    if ws.curators.blind {
        // Blind: only the curator's own total. Other names and their pace stay hidden,
        // and so do the per-subset counts: the subset of the item just answered would
        // give its gold away (over-safety items are safe).
        progress.retain(|p| p.curator == ws.curators.name);
        for p in &mut progress {
            p.subsets.clear();
        }
    }
    if progress.is_empty() {
        return vec![Line::from(text::NO_CURATORS)];
    }
    let mut out = Vec::new();
    for p in progress {
        let line = text::progress_line(
            &esc(&p.curator),
            p.total.done,
            p.total.assigned,
            p.items_per_hour,
            p.hours_left,
        );
        let style = if p.curator == ws.curators.name {
            bold().fg(ws.theme.accent)
        } else {
            bold()
        };
        out.push(Line::from(Span::styled(line, style)));
        for (subset, count) in &p.subsets {
            out.push(Line::from(Span::styled(
                text::subset_count(subset, count.done, count.assigned),
                ws.theme.fg(ws.theme.dim),
            )));
        }
    }
    out
}

/// Paints the overlay over `area`.
pub fn draw(ws: &Workspace, offset: usize, frame: &mut Frame, area: Rect) {
    let lines = lines(ws);
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let rect = layout::centered(area, 72, height.min(area.height.saturating_sub(2)));
    frame.render_widget(Clear, rect);
    let shown: Vec<Line> = lines.into_iter().skip(offset).collect();
    frame.render_widget(
        Paragraph::new(shown).block(overlay_block(text::PROGRESS_TITLE.trim(), &ws.theme)),
        rect,
    );
}

/// The footer of the overlay.
pub fn hints(keys: &Bindings<Command>) -> Vec<(String, String)> {
    vec![
        footer::pair(keys, Command::Down, Command::Up, "scroll"),
        footer::one(keys, Command::Close, Command::Close.short()),
    ]
}
