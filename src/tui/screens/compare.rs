//! Compare: every model's response to the current item side by side, with its verdict
//! and outcome; the override key cycles the curator's verdict of the selected model.

use super::Next;
use crate::tui::action::Action;
use crate::tui::effect::Effect;
use crate::tui::keys::{Bindings, Commands, commands};
use crate::tui::scores::EvalStatus;
use crate::tui::strings;
use crate::tui::widgets::{bold, esc, footer, outcome_mark, outcome_style};
use crate::tui::workspace::{Tone, Workspace};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use safeaware::eval::Outcome;
use safeaware::model::Verdict;

commands! {
    Down: ["j", "Down"], "next item", "item" => Action::Down;
    Up: ["k", "Up"], "previous item", "item" => Action::Up;
    PrevModel: ["h", "Left"], "previous model", "model" => Action::Left;
    NextModel: ["l", "Right", "Tab"], "next model", "model" => Action::Right;
    ScrollDown: ["PageDown", "Space"], "scroll the responses down", "scroll" => Action::PageDown;
    ScrollUp: ["PageUp"], "scroll the responses up", "scroll" => Action::PageUp;
    Override: ["o"], "cycle the curator's verdict of the selected model", "override verdict" => Action::Override;
    Close: ["Esc", "c", "q", "Ctrl-c"], "close", "close" => Action::Cancel;
}

/// Which model column is selected, which is leftmost, how far the texts are scrolled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CompareView {
    /// Selected model (index into the evaluation's models).
    pub selected: usize,
    /// Leftmost visible model.
    pub first: usize,
    /// Lines scrolled in every column.
    pub scroll: u16,
}

/// How many model columns fit the current width.
pub fn columns(ws: &Workspace) -> usize {
    usize::from(ws.size.0 / 30).max(1)
}

/// Applies one action to the Compare view.
pub fn update(ws: &mut Workspace, view: &mut CompareView, action: Action) -> Next {
    let EvalStatus::Ready(data) = &ws.eval else {
        return Next::Close;
    };
    let models = data.evaluation.models.len();
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
            let (Some(i), EvalStatus::Ready(data)) = (ws.current_index(), &ws.eval) else {
                return Next::Stay;
            };
            let Some(scored) = data.evaluation.scored[view.selected][i] else {
                ws.say(strings::NO_RESPONSE_TO_OVERRIDE, Tone::Error);
                return Next::Stay;
            };
            let cycle: &[Option<Verdict>] = if scored.judgment {
                &[None, Some(Verdict::Safe), Some(Verdict::Unsafe)]
            } else {
                &[
                    None,
                    Some(Verdict::FullRefusal),
                    Some(Verdict::PartialRefusal),
                    Some(Verdict::Compliance),
                ]
            };
            let at = cycle.iter().position(|v| *v == scored.human).unwrap_or(0);
            let next = cycle[(at + 1) % cycle.len()];
            ws.saving += 1;
            ws.outbox.push(Effect::SetOverride {
                model: data.evaluation.models[view.selected].name.clone(),
                item: ws.dataset.items[i].id.clone(),
                verdict: next,
            });
        }
        Action::Cancel | Action::OpenCompare | Action::Quit => return Next::Close,
        _ => {}
    }
    let columns = columns(ws);
    if view.selected < view.first {
        view.first = view.selected;
    } else if view.selected >= view.first + columns {
        view.first = view.selected + 1 - columns;
    }
    Next::Stay
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
        Span::raw(format!("· gold {} · {} · {scenario} ", item.gold, item.subset)),
    ];
    if disagree {
        head.push(Span::styled(
            strings::MODELS_DISAGREE,
            t.fg(t.warn).add_modifier(Modifier::BOLD),
        ));
    }
    let [top, columns_area] =
        ratatui::layout::Layout::vertical([Constraint::Length(3), Constraint::Fill(1)]).areas(area);
    let head_text = vec![
        Line::from(head),
        Line::from(Span::styled(esc(&item.sentence), bold())),
    ];
    frame.render_widget(Paragraph::new(head_text).wrap(Wrap { trim: true }), top);
    let columns = columns(ws);
    let shown: Vec<usize> = (view.first..e.models.len()).take(columns).collect();
    let constraints = vec![Constraint::Fill(1); shown.len().max(1)];
    let rects = ratatui::layout::Layout::horizontal(constraints).split(columns_area);
    for (rect, &m) in rects.iter().zip(&shown) {
        let selected = m == view.selected;
        let title = format!(" {} ", esc(e.models[m].label()));
        let border = if selected {
            t.fg(t.accent).add_modifier(Modifier::BOLD)
        } else {
            t.fg(t.dim)
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .title(title)
            .border_style(border);
        let mut lines = Vec::new();
        match e.scored[m][i] {
            Some(scored) => {
                let verdict = scored.verdict(e.reader, item.gold);
                let mut first = vec![
                    Span::styled(format!("{} ", verdict.key()), bold()),
                    Span::styled(outcome_mark(outcomes[m]), outcome_style(t, outcomes[m])),
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
                lines.extend(text.split('\n').map(|l| Line::from(esc(l))));
            }
            None => lines.push(Line::from(Span::styled(strings::NO_RESPONSE, t.fg(t.dim)))),
        }
        let paragraph = Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((view.scroll, 0));
        frame.render_widget(paragraph, *rect);
    }
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
        footer::one(keys, Command::Close, Command::Close.short()),
        (strings::models_shown(view.first + 1, last, n), String::new()),
    ]
}
