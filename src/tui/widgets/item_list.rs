//! The item list: one row per item of the view, the cursor row highlighted.

use super::{bold, gold_text, status_style, subset_style, text};
use crate::tui::layout::{self, Areas};
use crate::tui::strings;
use crate::tui::strings::curators as words;
use crate::tui::workspace::Workspace;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table};
use safeaware::validate::{Kind, Severity};

/// Widths of the fixed columns: marks, id, subset, scenario, gold, status.
const FIXED: [u16; 6] = [2, 5, 11, 14, 6, 10];
/// The same in blind mode, where subset and status are not shown.
const FIXED_BLIND: [u16; 6] = [2, 5, 0, 14, 7, 0];

/// Whether a finding kind (by name) asks the curator to look: a warning or an error
/// (info findings, such as a shared image, are often by design).
fn needs_a_look(kind: &str) -> bool {
    Kind::named(kind).is_none_or(|k| k.severity() != Severity::Info)
}

/// The marks of an item: "!" for a label conflict or a warning or error finding, "✎" for
/// a note.
fn marks(ws: &Workspace, i: usize) -> String {
    let item = &ws.dataset.items[i];
    let conflict = safeaware::query::is_conflict(item, &ws.dataset.manifest.taxonomy)
        || ws
            .findings
            .get(i)
            .is_some_and(|kinds| kinds.iter().any(|k| needs_a_look(k)));
    let mut out = String::new();
    out.push(if conflict { '!' } else { ' ' });
    out.push(if item.notes.trim().is_empty() { ' ' } else { '✎' });
    out
}

/// A row in blind mode: the id, the curator's own scenario and answer ("?" before one),
/// the sentence; no subset, status, findings or marks (they would hint at the answer).
fn blind_row(ws: &Workspace, i: usize, sentence_width: usize) -> Row<'static> {
    let t = &ws.theme;
    let item = &ws.dataset.items[i];
    let own = ws.curators.own(&item.id);
    let scenario = own
        .and_then(|l| l.scenario_value())
        .flatten()
        .unwrap_or_else(|| "-".into());
    let answer = match own.and_then(|l| l.gold) {
        Some(gold) => Span::raw(gold_text(gold)),
        None => Span::styled(words::UNANSWERED, t.fg(t.warn)),
    };
    Row::new(vec![
        Cell::from(""),
        Cell::from(text::fit_width(&item.id, usize::from(FIXED_BLIND[1]))),
        Cell::from(""),
        Cell::from(text::fit_width(&scenario, usize::from(FIXED_BLIND[3]))),
        Cell::from(answer),
        Cell::from(""),
        Cell::from(text::fit_width(&item.sentence, sentence_width)),
    ])
}

/// Paints the list into `areas.list`.
pub fn draw(ws: &Workspace, frame: &mut Frame, areas: &Areas) {
    let t = &ws.theme;
    let rows_visible = layout::list_rows(areas);
    let inner_width = areas.list.width.saturating_sub(2);
    let fixed = if ws.curators.blind { FIXED_BLIND } else { FIXED };
    let spacing = fixed.len() as u16;
    let sentence_width = usize::from(inner_width.saturating_sub(fixed.iter().sum::<u16>() + spacing));
    let cut = |s: &str, width: u16| text::fit_width(s, usize::from(width));
    let rows: Vec<Row> = ws
        .view
        .iter()
        .enumerate()
        .skip(ws.list_offset)
        .take(rows_visible)
        .map(|(position, &i)| {
            let item = &ws.dataset.items[i];
            let scenario = item.scenario.as_deref().unwrap_or("-");
            let row = if ws.curators.blind {
                blind_row(ws, i, sentence_width)
            } else {
                Row::new(vec![
                    Cell::from(Span::styled(marks(ws, i), t.fg(t.error))),
                    Cell::from(cut(&item.id, FIXED[1])),
                    Cell::from(Span::styled(item.subset.key(), subset_style(t, item.subset))),
                    Cell::from(cut(scenario, FIXED[3])),
                    Cell::from(gold_text(item.gold)),
                    Cell::from(Span::styled(item.status.key(), status_style(t, item.status))),
                    Cell::from(text::fit_width(&item.sentence, sentence_width)),
                ])
            };
            if position == ws.cursor {
                row.style(t.selected())
            } else {
                row
            }
        })
        .collect();
    let (title, columns) = if ws.curators.blind {
        (words::BLIND_LIST_TITLE.to_string(), words::BLIND_COLUMNS)
    } else {
        (
            strings::list_title(ws.bulk_armed.then_some(ws.view.len())),
            strings::header::ITEMS,
        )
    };
    let table = Table::new(
        rows,
        [
            Constraint::Length(fixed[0]),
            Constraint::Length(fixed[1]),
            Constraint::Length(fixed[2]),
            Constraint::Length(fixed[3]),
            Constraint::Length(fixed[4]),
            Constraint::Length(fixed[5]),
            Constraint::Fill(1),
        ],
    )
    .header(Row::new(columns.to_vec()).style(bold()))
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
