//! The Adjudicate view: the queue of items where curators disagree (a field disputed, or
//! decided by a majority over dissent). For the selected item, each curator's label by
//! name (numbered) with their note, and the majority when there is one; a digit takes that
//! curator's values of the disputed fields, `m` the majority's, into
//! `labels/adjudications.ron` (an edit: journaled, in history, undoable). The queue shrinks
//! as items are adjudicated; the item's sentence and image are shown as in the item list.

use super::{Next, Open};
use crate::tui::action::Action;
use crate::tui::curators::{Field, disagree, value_text};
use crate::tui::effect::Effect;
use crate::tui::keys::{Bindings, commands};
use crate::tui::layout::Areas;
use crate::tui::strings::curators as text;
use crate::tui::widgets::text::fit_width;
use crate::tui::widgets::{KeyHints, bold, detail, esc, footer};
use crate::tui::workspace::{Tone, Workspace};
use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use safeaware::labels::consensus::{self, Rule};
use safeaware::model::FieldValue;

commands! {
    Take1: ["1"], "take curator 1's label of the disputed fields", "take" => Action::TakeLabel(1);
    Take2: ["2"], "take curator 2's label", "take 2" => Action::TakeLabel(2);
    Take3: ["3"], "take curator 3's label", "take 3" => Action::TakeLabel(3);
    Take4: ["4"], "take curator 4's label", "take 4" => Action::TakeLabel(4);
    Take5: ["5"], "take curator 5's label", "take 5" => Action::TakeLabel(5);
    Take6: ["6"], "take curator 6's label", "take 6" => Action::TakeLabel(6);
    Take7: ["7"], "take curator 7's label", "take 7" => Action::TakeLabel(7);
    Take8: ["8"], "take curator 8's label", "take 8" => Action::TakeLabel(8);
    Take9: ["9"], "take curator 9's label", "take 9" => Action::TakeLabel(9);
    Majority: ["m"], "take the majority's label", "majority" => Action::TakeMajority;
    Down: ["j", "Down"], "next item of the queue", "next" => Action::Down;
    Up: ["k", "Up"], "previous item of the queue", "previous" => Action::Up;
    Undo: ["u"], "undo the last adjudication (or edit)", "undo" => Action::Undo;
    Redo: ["Ctrl-r"], "redo", "redo" => Action::Redo;
    Close: ["Esc", "D", "q"], "back to the item list", "close" => Action::Cancel;
}

/// The queue (dataset positions, dataset order) and the selected entry.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AdjudicateView {
    /// Items where curators disagree.
    pub queue: Vec<usize>,
    /// Index into `queue`.
    pub selected: usize,
}

impl AdjudicateView {
    /// The selected item's dataset position.
    pub fn current(&self) -> Option<usize> {
        self.queue.get(self.selected).copied()
    }
}

/// Opens the queue on the item under the list's cursor (else the first), or says it is empty.
pub fn open(ws: &mut Workspace) -> Next {
    let queue = ws.curators.queue(&ws.dataset);
    if queue.is_empty() {
        ws.say(text::QUEUE_EMPTY, Tone::Info);
        return Next::Stay;
    }
    let selected = ws
        .current_index()
        .and_then(|i| queue.iter().position(|&q| q == i))
        .unwrap_or(0);
    let view = AdjudicateView { queue, selected };
    request_image(ws, &view);
    Next::Open(Open::Adjudicate(view))
}

/// Re-reads the queue after labels changed: an item the change brought back (an undo) is
/// selected; else the selected item if it is still there; else the one after it.
pub fn refresh(ws: &mut Workspace, view: &mut AdjudicateView, touched: &[usize]) {
    let before = view.current();
    view.queue = ws.curators.queue(&ws.dataset);
    let back = touched
        .iter()
        .find_map(|t| view.queue.iter().position(|q| q == t));
    view.selected = back
        .or_else(|| before.and_then(|b| view.queue.iter().position(|&q| q >= b)))
        .unwrap_or(view.queue.len())
        .min(view.queue.len().saturating_sub(1));
    request_image(ws, view);
}

/// Applies one action to the queue.
pub fn update(ws: &mut Workspace, view: &mut AdjudicateView, action: Action) -> Next {
    match action {
        Action::Down => {
            view.selected = (view.selected + 1).min(view.queue.len().saturating_sub(1));
            request_image(ws, view);
        }
        Action::Up => {
            view.selected = view.selected.saturating_sub(1);
            request_image(ws, view);
        }
        Action::TakeLabel(n) => take(ws, view, Some(n)),
        Action::TakeMajority => take(ws, view, None),
        Action::Undo => ws.undo_or_redo(false),
        Action::Redo => ws.undo_or_redo(true),
        Action::Cancel => return Next::Close,
        Action::Quit => ws.quit = true,
        _ => {}
    }
    Next::Stay
}

/// The fields of item `i` that need adjudication, with their rules.
fn disputed(ws: &Workspace, i: usize) -> Vec<(Field, Rule)> {
    let rules = ws.curators.rules_of(i);
    Field::ALL
        .iter()
        .map(|f| (*f, f.rule(&rules)))
        .filter(|(_, r)| matches!(r, Rule::Disputed | Rule::Majority))
        .collect()
}

/// Sends the chosen curator's (`Some(n)`, 1-based) or the majority's (None) values of the
/// disputed fields to the writer as one adjudication.
fn take(ws: &mut Workspace, view: &AdjudicateView, who: Option<usize>) {
    if ws.refuse_if_read_only() {
        return;
    }
    let Some(i) = view.current() else {
        ws.say(text::NOTHING_OPEN, Tone::Info);
        return;
    };
    let id = ws.dataset.items[i].id.clone();
    let fields = disputed(ws, i);
    let labels = ws.curators.labels_of(&id);
    let (values, whose, from): (Vec<FieldValue>, String, String) = match who {
        Some(n) => {
            let Some((name, label)) = n.checked_sub(1).and_then(|k| labels.get(k)) else {
                ws.say(text::no_curator(n), Tone::Error);
                return;
            };
            let values: Vec<FieldValue> = fields.iter().filter_map(|(f, _)| f.value(label)).collect();
            if values.is_empty() {
                ws.say(text::nothing_to_take(&esc(name)), Tone::Error);
                return;
            }
            (values, esc(name), name.to_string())
        }
        None => {
            let values: Vec<FieldValue> = fields.iter().filter_map(|(f, _)| majority(*f, &labels)).collect();
            if values.is_empty() {
                ws.say(text::NO_MAJORITY, Tone::Error);
                return;
            }
            (
                values,
                text::MAJORITY.to_string(),
                consensus::Rule::Majority.key().to_string(),
            )
        }
    };
    let what = text::took(&whose, &esc(&id));
    ws.saving += 1;
    ws.outbox.push(Effect::Adjudicate {
        from,
        edits: values.into_iter().map(|v| (id.clone(), v)).collect(),
        what,
    });
}

/// The value a strict majority of the curators gives `field`, if any.
fn majority(field: Field, labels: &[(&str, &safeaware::labels::ItemLabel)]) -> Option<FieldValue> {
    let values: Vec<FieldValue> = labels.iter().filter_map(|(_, l)| field.value(l)).collect();
    consensus::vote(&values).ok().map(|(v, _)| v)
}

/// Asks for the selected item's image at the detail pane's size.
fn request_image(ws: &mut Workspace, view: &AdjudicateView) {
    let Some(i) = view.current() else { return };
    if !ws.images_on || (ws.config.hide_images && !ws.revealed.contains(&i)) {
        return;
    }
    let (Some(image), Some(key)) = (&ws.dataset.items[i].image, ws.image_key(i)) else {
        return;
    };
    let path = ws.dir.join(&image.path);
    ws.load_image_now(key, path);
}

/// The lines of the panel: the selected item's curators, the majority, then the queue.
fn panel_lines(ws: &Workspace, view: &AdjudicateView, rows: usize, width: usize) -> Vec<Line<'static>> {
    let t = &ws.theme;
    let Some(i) = view.current() else {
        return vec![Line::from(text::QUEUE_EMPTY)];
    };
    let id = &ws.dataset.items[i].id;
    let fields = disputed(ws, i);
    let labels = ws.curators.labels_of(id);
    let mut lines = Vec::new();
    let in_dispute: Vec<String> = fields
        .iter()
        .map(|(f, r)| format!("{}: {}", f.key(), r.key()))
        .collect();
    lines.push(Line::from(vec![
        Span::styled(format!("{} ", esc(id)), bold()),
        Span::styled(in_dispute.join(", "), t.fg(t.warn)),
    ]));
    for (n, (name, label)) in labels.iter().enumerate() {
        let mut spans = vec![
            Span::styled(
                format!("{:>2} ", n + 1),
                t.fg(t.accent).add_modifier(ratatui::style::Modifier::BOLD),
            ),
            Span::styled(format!("{:<12} ", esc(name)), bold()),
        ];
        for (f, _) in &fields {
            let value = f.text(label).map_or_else(|| "-".to_string(), |v| esc(&v));
            let style = if disagree(*f, &labels) {
                t.fg(t.warn)
            } else {
                t.fg(t.dim)
            };
            spans.push(Span::styled(format!("{}={value}  ", f.key()), style));
        }
        lines.push(Line::from(spans));
        if let Some(note) = label.notes.as_deref().filter(|n| !n.trim().is_empty()) {
            let first = note.lines().next().unwrap_or("");
            lines.push(Line::from(Span::styled(
                format!("      {}: {}", text::NOTE, esc(first)),
                t.fg(t.dim),
            )));
        }
    }
    let majority: Vec<String> = fields
        .iter()
        .filter_map(|(f, _)| {
            let v = value_text(majority(*f, &labels)?)?;
            Some(format!("{}={}", f.key(), esc(&v)))
        })
        .collect();
    lines.push(Line::from(vec![
        Span::styled(format!(" m {:<12} ", text::MAJORITY), bold()),
        Span::raw(if majority.is_empty() {
            text::NO_MAJORITY.to_string()
        } else {
            majority.join("  ")
        }),
    ]));
    lines.push(Line::from(""));
    let room = rows.saturating_sub(lines.len());
    let start = view
        .selected
        .saturating_sub(room / 2)
        .min(view.queue.len().saturating_sub(room));
    for (k, &q) in view.queue.iter().enumerate().skip(start).take(room) {
        let item = &ws.dataset.items[q];
        let marker = if k == view.selected { "▶ " } else { "  " };
        let id = fit_width(&item.id, 8);
        let row = format!(
            "{marker}{id:<8} {}",
            fit_width(&item.sentence, width.saturating_sub(11))
        );
        let style = if k == view.selected {
            t.selected()
        } else {
            t.fg(t.dim)
        };
        lines.push(Line::from(Span::styled(row, style)));
    }
    lines
}

/// Paints the panel over the item list and the selected item's detail beside it.
pub fn draw(ws: &Workspace, view: &AdjudicateView, hints: &KeyHints, frame: &mut Frame, areas: &Areas) {
    let area = areas.list;
    let block = Block::default()
        .borders(Borders::ALL)
        .title(text::adjudicate_title(view.selected + 1, view.queue.len()))
        .border_style(ws.theme.fg(ws.theme.accent));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lines = panel_lines(ws, view, usize::from(inner.height), usize::from(inner.width));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    if let Some(i) = view.current() {
        detail::draw_item(ws, hints, frame, areas, i);
    }
}

/// The footer: take, majority, move, undo, close.
pub fn hints(keys: &Bindings<Command>) -> Vec<(String, String)> {
    let mut out = vec![(
        format!(
            "{}-{}",
            keys.first_key(Command::Take1),
            keys.first_key(Command::Take9)
        ),
        "take curator N".to_string(),
    )];
    out.extend(footer::hints(keys, &[Command::Majority]));
    out.push(footer::pair(keys, Command::Down, Command::Up, "item"));
    out.extend(footer::hints(keys, &[Command::Undo, Command::Close]));
    out
}
