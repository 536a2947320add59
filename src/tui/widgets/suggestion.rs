//! The detail pane's suggestion line: the suggested scenario of an unlabeled item, why,
//! and the key that accepts it.

use super::esc;
use crate::tui::strings;
use crate::tui::workspace::Workspace;
use ratatui::text::{Line, Span};

/// The suggestion line of item `i` (none when it has no suggestion).
pub fn line(ws: &Workspace, i: usize, accept_key: &str) -> Option<Line<'static>> {
    let s = ws.suggestion(i)?;
    let t = &ws.theme;
    let text = strings::suggestion(&esc(&s.scenario), &esc(&s.reason), accept_key);
    Some(Line::from(Span::styled(
        format!("         {text}"),
        t.fg(t.accent),
    )))
}
