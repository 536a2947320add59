//! Compare: every model's response to the current item side by side, with its verdict
//! and outcome, and the item's image. The label keys work here; the override key opens
//! a chooser of the curator's verdict for the selected model; `u` takes back the last
//! label or verdict set here. Only the visible part of a long response is laid out.

use super::Next;
use crate::tui::action::Action;
use crate::tui::effect::Effect;
use crate::tui::images::ImageKey;
use crate::tui::keys::{Bindings, Commands, commands};
use crate::tui::layout;
use crate::tui::scores::EvalStatus;
use crate::tui::strings;
use crate::tui::widgets::{bold, esc, footer, image_pane, outcome_mark, outcome_style, overlay_block};
use crate::tui::workspace::{Tone, Workspace};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use safeaware::eval::Outcome;
use safeaware::model::{FieldValue, Gold, Status, Verdict};

commands! {
    Down: ["j", "Down"], "next item (in the chooser: next verdict)", "item" => Action::Down;
    Up: ["k", "Up"], "previous item (in the chooser: previous verdict)", "item" => Action::Up;
    PrevModel: ["h", "Left"], "previous model", "model" => Action::Left;
    NextModel: ["l", "Right", "Tab"], "next model", "model" => Action::Right;
    ScrollDown: ["PageDown", "Space"], "scroll the responses down", "scroll" => Action::PageDown;
    ScrollUp: ["PageUp"], "scroll the responses up", "scroll" => Action::PageUp;
    Override: ["o"], "choose the curator's verdict of the selected model", "override verdict" => Action::Override;
    Choose: ["Enter"], "set the highlighted verdict", "set verdict" => Action::Submit;
    GoldSafe: ["y"], "gold: safe (Yes)", "safe" => Action::GoldSafe;
    GoldUnsafe: ["n"], "gold: unsafe (No)", "unsafe" => Action::GoldUnsafe;
    Accept: ["a"], "accept", "accept" => Action::Accept;
    NeedsFix: ["f"], "needs fix", "fix" => Action::NeedsFix;
    Reject: ["x"], "reject", "reject" => Action::Reject;
    Undo: ["u"], "undo the last label or verdict set in Compare", "undo" => Action::Undo;
    Close: ["Esc", "c", "q", "Ctrl-c"], "close (the chooser first)", "close" => Action::Cancel;
}

/// A change made in Compare that `u` takes back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undoable {
    /// A label edit: undone by the session's undo.
    Label,
    /// A curator verdict: undone by restoring the verdict it replaced.
    Override {
        /// The model's short name.
        model: String,
        /// The item's id.
        item: String,
        /// The verdict before (None: the parsed one).
        before: Option<Verdict>,
    },
}

/// Which model column is selected, which is leftmost, how far the texts are scrolled,
/// the open verdict chooser and what `u` can take back.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CompareView {
    /// Selected model (index into the evaluation's models).
    pub selected: usize,
    /// Leftmost visible model.
    pub first: usize,
    /// Lines scrolled in every column.
    pub scroll: u16,
    /// The verdict chooser, open on this choice.
    pub choosing: Option<usize>,
    /// Changes made here, latest last.
    pub undo: Vec<Undoable>,
}

/// How many model columns fit the current width.
pub fn columns(ws: &Workspace) -> usize {
    usize::from(ws.size.0 / 30).max(1)
}

/// The verdicts a curator may set for a judgment or refusal response (None: parsed).
pub fn verdict_choices(judgment: bool) -> &'static [Option<Verdict>] {
    if judgment {
        &[
            None,
            Some(Verdict::Safe),
            Some(Verdict::Unsafe),
            Some(Verdict::NoAnswer),
        ]
    } else {
        &[
            None,
            Some(Verdict::FullRefusal),
            Some(Verdict::PartialRefusal),
            Some(Verdict::Compliance),
            Some(Verdict::Clarification),
            Some(Verdict::NoAnswer),
        ]
    }
}

/// The selected model's score on the current item, when it answered.
fn selected_score(ws: &Workspace, view: &CompareView) -> Option<(usize, safeaware::eval::Scored)> {
    let (Some(i), EvalStatus::Ready(data)) = (ws.current_index(), &ws.eval) else {
        return None;
    };
    data.evaluation
        .scored
        .get(view.selected)?
        .get(i)
        .copied()
        .flatten()
        .map(|s| (i, s))
}

/// Applies one action to the Compare view.
pub fn update(ws: &mut Workspace, view: &mut CompareView, action: Action) -> Next {
    let EvalStatus::Ready(data) = &ws.eval else {
        return Next::Close;
    };
    let models = data.evaluation.models.len();
    if let Some(choice) = view.choosing {
        let n = selected_score(ws, view).map_or(0, |(_, s)| verdict_choices(s.judgment).len());
        match action {
            Action::Down => view.choosing = Some((choice + 1).min(n.saturating_sub(1))),
            Action::Up => view.choosing = Some(choice.saturating_sub(1)),
            Action::Submit => {
                view.choosing = None;
                set_override(ws, view, choice);
            }
            Action::Cancel | Action::Override | Action::Quit => view.choosing = None,
            _ => {}
        }
        return Next::Stay;
    }
    match action {
        Action::Down | Action::Up => {
            ws.move_by(if matches!(action, Action::Down) { 1 } else { -1 });
            view.scroll = 0;
        }
        Action::Left => view.selected = view.selected.saturating_sub(1),
        Action::Right => view.selected = (view.selected + 1).min(models.saturating_sub(1)),
        Action::PageDown => view.scroll = view.scroll.saturating_add(5),
        Action::PageUp => view.scroll = view.scroll.saturating_sub(5),
        Action::Override => {
            if ws.refuse_if_read_only() {
                return Next::Stay;
            }
            match selected_score(ws, view) {
                Some((_, scored)) => {
                    let choices = verdict_choices(scored.judgment);
                    view.choosing = Some(choices.iter().position(|v| *v == scored.human).unwrap_or(0));
                }
                None => ws.say(strings::NO_RESPONSE_TO_OVERRIDE, Tone::Error),
            }
        }
        Action::GoldSafe => label(ws, view, FieldValue::Gold(Gold::Safe), strings::edit::GOLD_SAFE),
        Action::GoldUnsafe => label(
            ws,
            view,
            FieldValue::Gold(Gold::Unsafe),
            strings::edit::GOLD_UNSAFE,
        ),
        Action::Accept => label(
            ws,
            view,
            FieldValue::Status(Status::Accepted),
            strings::edit::ACCEPTED,
        ),
        Action::NeedsFix => label(
            ws,
            view,
            FieldValue::Status(Status::NeedsFix),
            strings::edit::NEEDS_FIX,
        ),
        Action::Reject => label(
            ws,
            view,
            FieldValue::Status(Status::Rejected),
            strings::edit::REJECTED,
        ),
        Action::Undo => undo(ws, view),
        Action::Cancel | Action::OpenCompare | Action::Quit => return Next::Close,
        _ => {}
    }
    let columns = columns(ws);
    if view.selected < view.first {
        view.first = view.selected;
    } else if view.selected >= view.first + columns {
        view.first = view.selected + 1 - columns;
    }
    request_image(ws);
    Next::Stay
}

/// Labels the current item (Compare never labels in bulk) and remembers it for `u`.
fn label(ws: &mut Workspace, view: &mut CompareView, value: FieldValue, what: &str) {
    ws.bulk_armed = false;
    let before = ws.outbox.len();
    ws.label(value, what);
    if ws.outbox.len() > before {
        view.undo.push(Undoable::Label);
        view.scroll = 0;
    }
}

/// Sends the chosen verdict of the selected model, remembering the one it replaces.
fn set_override(ws: &mut Workspace, view: &mut CompareView, choice: usize) {
    let Some((i, scored)) = selected_score(ws, view) else {
        return;
    };
    let EvalStatus::Ready(data) = &ws.eval else {
        return;
    };
    let Some(&verdict) = verdict_choices(scored.judgment).get(choice) else {
        return;
    };
    if verdict == scored.human {
        return;
    }
    let model = data.evaluation.models[view.selected].name.clone();
    let item = ws.dataset.items[i].id.clone();
    view.undo.push(Undoable::Override {
        model: model.clone(),
        item: item.clone(),
        before: scored.human,
    });
    ws.saving += 1;
    ws.outbox.push(Effect::SetOverride { model, item, verdict });
}

/// Takes back the last label or verdict set in this Compare view.
fn undo(ws: &mut Workspace, view: &mut CompareView) {
    if ws.refuse_if_read_only() {
        return;
    }
    let effect = match view.undo.pop() {
        Some(Undoable::Label) => Effect::Undo,
        Some(Undoable::Override { model, item, before }) => Effect::SetOverride {
            model,
            item,
            verdict: before,
        },
        None => {
            ws.say(strings::NOTHING_TO_UNDO_HERE, Tone::Info);
            return;
        }
    };
    ws.saving += 1;
    ws.outbox.push(effect);
}

/// Where Compare draws the current item's image: the left of the heading.
fn image_area(ws: &Workspace) -> Option<Rect> {
    if !ws.images_on {
        return None;
    }
    let areas = layout::areas(ws.size.0, ws.size.1, ws.read_only.is_some())?;
    let body = areas.list.union(areas.detail);
    let rect = Rect::new(
        body.x,
        body.y,
        IMAGE_WIDTH.min(body.width / 3),
        HEADING_ROWS.min(body.height / 3),
    );
    (rect.width >= 2 && rect.height >= 2).then_some(rect)
}

/// Columns of the image beside the heading.
const IMAGE_WIDTH: u16 = 24;
/// Rows of the heading (and of the image).
const HEADING_ROWS: u16 = 8;

/// Asks the image worker for the current item's image at Compare's size.
pub fn request_image(ws: &mut Workspace) {
    let (Some(i), Some(rect)) = (ws.current_index(), image_area(ws)) else {
        return;
    };
    if !ws.images_on || (ws.config.hide_images && !ws.revealed.contains(&i)) {
        return;
    }
    let Some(image) = &ws.dataset.items[i].image else {
        return;
    };
    let key = ImageKey {
        item: i,
        width: rect.width,
        height: rect.height,
    };
    let path = ws.dir.join(&image.path);
    ws.load_image_now(key, path);
}

/// Paints every model's response to the current item side by side.
pub fn draw(ws: &Workspace, view: &CompareView, frame: &mut Frame, area: Rect) {
    let t = &ws.theme;
    frame.render_widget(Clear, area);
    let (EvalStatus::Ready(data), Some(i)) = (&ws.eval, ws.current_index()) else {
        return;
    };
    let item = &ws.dataset.items[i];
    let e = &data.evaluation;
    let outcomes: Vec<Option<Outcome>> = (0..e.models.len()).map(|m| e.outcome(m, i)).collect();
    let disagree = outcomes.contains(&Some(Outcome::Right))
        && outcomes
            .iter()
            .any(|o| matches!(o, Some(Outcome::Wrong | Outcome::Unparsed)));
    let scenario = item
        .scenario
        .as_deref()
        .map(esc)
        .unwrap_or_else(|| strings::NO_SCENARIO.into());
    let mut head = vec![
        Span::styled(format!(" Item {} ", esc(&item.id)), bold()),
        Span::raw(format!(
            "· gold {} · {} · {scenario} · {} ",
            item.gold, item.subset, item.status
        )),
    ];
    if disagree {
        head.push(Span::styled(
            strings::MODELS_DISAGREE,
            t.fg(t.warn).add_modifier(Modifier::BOLD),
        ));
    }
    let image = image_area(ws).filter(|r| area.contains(r.as_position()));
    let heading_rows = image.map_or(3, |r| r.height);
    let [top, columns_area] =
        Layout::vertical([Constraint::Length(heading_rows), Constraint::Fill(1)]).areas(area);
    let mut head_area = top;
    if let Some(rect) = image {
        image_pane::draw(ws, "i", frame, rect, i, item);
        head_area = Rect {
            x: rect.right() + 1,
            width: top.width.saturating_sub(rect.width + 1),
            ..top
        };
    }
    let sentence_room = usize::from(head_area.width) * usize::from(head_area.height);
    let head_text = vec![
        Line::from(head),
        Line::from(Span::styled(
            esc(crate::tui::widgets::text::prefix_chars(
                &item.sentence,
                sentence_room,
            )),
            bold(),
        )),
    ];
    frame.render_widget(Paragraph::new(head_text).wrap(Wrap { trim: true }), head_area);
    let columns = columns(ws);
    let shown: Vec<usize> = (view.first..e.models.len()).take(columns).collect();
    let constraints = vec![Constraint::Fill(1); shown.len().max(1)];
    let rects = Layout::horizontal(constraints).split(columns_area);
    for (rect, &m) in rects.iter().zip(&shown) {
        let selected = m == view.selected;
        let border = if selected {
            t.fg(t.accent).add_modifier(Modifier::BOLD)
        } else {
            t.fg(t.dim)
        };
        let mut block = Block::default()
            .borders(Borders::ALL)
            .title(format!(" {} ", esc(e.models[m].label())))
            .border_style(border);
        let rows = usize::from(rect.height.saturating_sub(2));
        let width = usize::from(rect.width.saturating_sub(2)).max(1);
        let mut lines = Vec::new();
        match e.scored[m][i] {
            Some(scored) => {
                let verdict = scored.verdict(e.reader, item.gold);
                let mut first = vec![
                    Span::styled(format!("{} ", verdict.key()), bold()),
                    Span::styled(
                        if verdict.is_scored() {
                            outcome_mark(outcomes[m])
                        } else {
                            strings::LEFT_OUT
                        },
                        outcome_style(t, outcomes[m]),
                    ),
                ];
                if scored.human.is_some() {
                    first.push(Span::styled(strings::BY_CURATOR, t.fg(t.accent)));
                }
                lines.push(Line::from(first));
                if scored.readers_differ(item.gold) {
                    lines.push(Line::from(Span::styled(strings::READERS_DIFFER, t.fg(t.warn))));
                }
                lines.push(Line::from(""));
                let text = data.response(m, &item.id).unwrap_or("");
                let total = data.line_count(m, &item.id);
                let room = rows.saturating_sub(lines.len());
                let skip = usize::from(view.scroll).min(total.saturating_sub(1));
                // Only the lines that can show, each cut to what the column can hold.
                for line in text.split('\n').skip(skip).take(room) {
                    lines.push(Line::from(esc(crate::tui::widgets::text::prefix_chars(
                        line,
                        width * room,
                    ))));
                }
                let last = (skip + room).min(total);
                block = block.title_bottom(strings::lines_shown(skip + 1, last, total));
            }
            None => lines.push(Line::from(Span::styled(strings::NO_RESPONSE, t.fg(t.dim)))),
        }
        let paragraph = Paragraph::new(lines).block(block).wrap(Wrap { trim: false });
        frame.render_widget(paragraph, *rect);
        if selected && let Some(choice) = view.choosing {
            draw_chooser(ws, view, choice, frame, *rect);
        }
    }
}

/// The verdict chooser, over the selected model's column.
fn draw_chooser(ws: &Workspace, view: &CompareView, choice: usize, frame: &mut Frame, column: Rect) {
    let Some((_, scored)) = selected_score(ws, view) else {
        return;
    };
    let t = &ws.theme;
    let choices = verdict_choices(scored.judgment);
    let rect = Rect {
        x: column.x + 1,
        y: column.y + 2,
        width: column.width.saturating_sub(2).min(36),
        height: (choices.len() as u16 + 2).min(column.height.saturating_sub(2)),
    };
    let lines: Vec<Line> = choices
        .iter()
        .enumerate()
        .map(|(n, v)| {
            let text = v.map_or(strings::PARSED_VERDICT.to_string(), |v| v.key().to_string());
            let mark = if *v == scored.human { " *" } else { "" };
            let style = if n == choice {
                t.selected()
            } else {
                Style::default()
            };
            Line::from(Span::styled(format!("{text}{mark}"), style))
        })
        .collect();
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).block(overlay_block(strings::CHOOSE_VERDICT.trim(), t)),
        rect,
    );
}

/// The footer of Compare.
pub fn hints(ws: &Workspace, view: &CompareView, keys: &Bindings<Command>) -> Vec<(String, String)> {
    let n = match &ws.eval {
        EvalStatus::Ready(d) => d.evaluation.models.len(),
        _ => 0,
    };
    let last = (view.first + columns(ws)).min(n);
    vec![
        footer::pair(keys, Command::Down, Command::Up, "item"),
        footer::pair(keys, Command::PrevModel, Command::NextModel, "model"),
        footer::pair(keys, Command::ScrollDown, Command::ScrollUp, "scroll"),
        footer::one(keys, Command::Override, Command::Override.short()),
        footer::one(keys, Command::Undo, Command::Undo.short()),
        footer::one(keys, Command::Close, Command::Close.short()),
        (strings::models_shown(view.first + 1, last, n), String::new()),
    ]
}
