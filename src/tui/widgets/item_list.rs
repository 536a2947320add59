//! The item list: one row per item of the view, the cursor row highlighted.

use super::{bold, esc, gold_text, status_style, subset_style};
use crate::tui::layout::{self, Areas};
use crate::tui::strings;
use crate::tui::workspace::Workspace;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table};

/// Paints the list into `areas.list`.
pub fn draw(ws: &Workspace, frame: &mut Frame, areas: &Areas) {
    let t = &ws.theme;
    let rows_visible = layout::list_rows(areas);
    let taxonomy = &ws.dataset.manifest.taxonomy;
    let rows: Vec<Row> = ws
        .view
        .iter()
        .enumerate()
        .skip(ws.list_offset)
        .take(rows_visible)
        .map(|(position, &i)| {
            let item = &ws.dataset.items[i];
            let conflict = safeaware::query::is_conflict(item, taxonomy);
            let marker = if conflict { "!" } else { " " };
            let row = Row::new(vec![
                Cell::from(Span::styled(marker, t.fg(t.error))),
                Cell::from(esc(&item.id)),
                Cell::from(Span::styled(item.subset.key(), subset_style(t, item.subset))),
                Cell::from(item.scenario.as_deref().map(esc).unwrap_or_else(|| "-".into())),
                Cell::from(gold_text(item.gold)),
                Cell::from(Span::styled(item.status.key(), status_style(t, item.status))),
                Cell::from(item.flags.iter().map(|f| esc(f)).collect::<Vec<_>>().join(",")),
            ]);
            if position == ws.cursor {
                row.style(t.selected())
            } else {
                row
            }
        })
        .collect();
    let title = strings::list_title(ws.bulk_armed.then_some(ws.view.len()));
    let table = Table::new(
        rows,
        [
            Constraint::Length(1),
            Constraint::Length(5),
            Constraint::Length(11),
            Constraint::Fill(1),
            Constraint::Length(6),
            Constraint::Length(10),
            Constraint::Length(9),
        ],
    )
    .header(Row::new(strings::header::ITEMS.to_vec()).style(bold()))
    .block(
        Block::default()
            .borders(Borders::ALL)
            .title(title)
            .border_style(t.fg(t.accent)),
    );
    frame.render_widget(table, areas.list);
    if ws.view.is_empty() {
        let inner = Rect::new(
            areas.list.x + 2,
            areas.list.y + 2,
            areas.list.width.saturating_sub(4),
            2,
        );
        frame.render_widget(Paragraph::new(strings::NO_MATCH), inner);
    }
}
