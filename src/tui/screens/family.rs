//! The family view: a typical base and its attack variants (opened from any member),
//! each with its labels, its suggestion and every model's verdict; Enter moves the item
//! list to the selected member.

use super::{Next, Open};
use crate::tui::action::Action;
use crate::tui::keys::{Bindings, Commands, commands};
use crate::tui::scores::EvalStatus;
use crate::tui::strings;
use crate::tui::widgets::{bold, esc, footer, outcome_style};
use crate::tui::workspace::{Tone, Workspace};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row, Table, Wrap};
use safeaware::eval::Outcome;

commands! {
    Down: ["j", "Down"], "next member", "member" => Action::Down;
    Up: ["k", "Up"], "previous member", "member" => Action::Up;
    Jump: ["Enter"], "go to the selected member in the item list", "go to" => Action::JumpToItem;
    Close: ["Esc", "m", "q", "Ctrl-c"], "close", "close" => Action::Cancel;
}

/// Which family is shown and which member is selected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FamilyView {
    /// Dataset positions of the base, then its variants.
    pub members: Vec<usize>,
    /// Attack type of each member (None for the base or when unknown).
    pub attack_types: Vec<Option<String>>,
    /// The selected member.
    pub selected: usize,
}

/// Opens the family of the current item, or says why not.
pub fn open(ws: &mut Workspace) -> Next {
    let Some(families) = &ws.families else {
        ws.say(strings::FAMILIES_LOADING, Tone::Info);
        return Next::Stay;
    };
    let Some(i) = ws.current_index() else {
        return Next::Stay;
    };
    let Some((family, _)) = families.family_of(i) else {
        ws.say(strings::NO_FAMILY, Tone::Info);
        return Next::Stay;
    };
    let mut members = vec![family.base];
    let mut attack_types = vec![None];
    for v in &family.variants {
        members.push(v.item);
        attack_types.push(v.attack_type.clone());
    }
    let selected = members.iter().position(|&m| m == i).unwrap_or(0);
    Next::Open(Open::Family(FamilyView {
        members,
        attack_types,
        selected,
    }))
}

/// Applies one action to the family view.
pub fn update(ws: &mut Workspace, view: &mut FamilyView, action: Action) -> Next {
    match action {
        Action::Down => view.selected = (view.selected + 1).min(view.members.len().saturating_sub(1)),
        Action::Up => view.selected = view.selected.saturating_sub(1),
        Action::JumpToItem => {
            let i = view.members[view.selected];
            match ws.view.binary_search(&i) {
                Ok(position) => {
                    ws.move_to(position);
                    return Next::Close;
                }
                Err(_) => {
                    let id = esc(&ws.dataset.items[i].id);
                    ws.say(strings::not_in_view(&id), Tone::Info);
                }
            }
        }
        Action::Cancel | Action::OpenFamily | Action::Quit => return Next::Close,
        _ => {}
    }
    Next::Stay
}

/// Paints the family over `area`.
pub fn draw(ws: &Workspace, view: &FamilyView, frame: &mut Frame, area: Rect) {
    let t = &ws.theme;
    frame.render_widget(Clear, area);
    let models: Vec<String> = match &ws.eval {
        EvalStatus::Ready(data) => data.evaluation.models.iter().map(|m| esc(m.label())).collect(),
        _ => Vec::new(),
    };
    let base_id = esc(&ws.dataset.items[view.members[0]].id);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(strings::family_title(&base_id))
        .border_style(t.fg(t.accent));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [table_area, sentence_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(4)]).areas(inner);
    let mut header = vec!["id", "role", "scenario", "status", "gold"]
        .into_iter()
        .map(|h| Cell::from(Span::styled(h, bold())))
        .collect::<Vec<_>>();
    header.extend(models.iter().map(|m| Cell::from(Span::styled(m.clone(), bold()))));
    let rows = view.members.iter().enumerate().map(|(n, &i)| {
        let item = &ws.dataset.items[i];
        let role = match (n, &view.attack_types[n]) {
            (0, _) => "base".to_string(),
            (_, Some(kind)) => esc(kind),
            (_, None) => "variant".to_string(),
        };
        let scenario = match (&item.scenario, ws.suggestion(i)) {
            (Some(s), _) => esc(s),
            (None, Some(s)) => format!("({}?)", esc(&s.scenario)),
            (None, None) => strings::detail::NONE.to_string(),
        };
        let mut cells = vec![
            Cell::from(esc(&item.id)),
            Cell::from(role),
            Cell::from(scenario),
            Cell::from(item.status.key()),
            Cell::from(item.gold.key()),
        ];
        cells.extend((0..models.len()).map(|m| verdict_cell(ws, m, i)));
        let style = if n == view.selected {
            t.selected()
        } else {
            Style::default()
        };
        Row::new(cells).style(style)
    });
    let mut widths = vec![
        Constraint::Length(8),
        Constraint::Length(18),
        Constraint::Length(24),
        Constraint::Length(11),
        Constraint::Length(7),
    ];
    widths.extend(models.iter().map(|_| Constraint::Length(12)));
    frame.render_widget(Table::new(rows, widths).header(Row::new(header)), table_area);
    let selected = &ws.dataset.items[view.members[view.selected]];
    // The area holds a few lines: never lay out a huge sentence in full.
    let sentence: String = selected
        .sentence
        .chars()
        .take(usize::from(sentence_area.width) * 4)
        .collect();
    frame.render_widget(
        Paragraph::new(Line::from(esc(&sentence))).wrap(Wrap { trim: true }),
        sentence_area,
    );
}

/// One model's verdict on item `i`, coloured by its outcome.
fn verdict_cell(ws: &Workspace, m: usize, i: usize) -> Cell<'static> {
    let EvalStatus::Ready(data) = &ws.eval else {
        return Cell::from("");
    };
    let e = &data.evaluation;
    let item = &ws.dataset.items[i];
    match e.scored[m][i] {
        Some(scored) => {
            let outcome: Option<Outcome> = e.outcome(m, i);
            let text = scored.verdict(e.reader, item.gold).key().to_string();
            Cell::from(Span::styled(text, outcome_style(&ws.theme, outcome)))
        }
        None => Cell::from("-"),
    }
}

/// The footer of the family view.
pub fn hints(keys: &Bindings<Command>) -> Vec<(String, String)> {
    vec![
        footer::pair(keys, Command::Down, Command::Up, "member"),
        footer::one(keys, Command::Jump, Command::Jump.short()),
        footer::one(keys, Command::Close, Command::Close.short()),
    ]
}
