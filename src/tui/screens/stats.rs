//! Stats: accuracy by model and slice (subsets, then scenarios), with a chart of the
//! totals; Enter filters the item list to the selected model's wrong items in the slice.

use super::{Next, Open};
use crate::tui::action::Action;
use crate::tui::keys::{Bindings, Commands, commands};
use crate::tui::scores::EvalStatus;
use crate::tui::strings;
use crate::tui::widgets::{accuracy_style, bold, esc, footer};
use crate::tui::workspace::Workspace;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Cell, Clear, Row, Table};
use safeaware::eval::{ModelReport, Tally};
use safeaware::model::Subset;

commands! {
    Down: ["j", "Down"], "next slice", "row" => Action::Down;
    Up: ["k", "Up"], "previous slice", "row" => Action::Up;
    Left: ["h", "Left"], "previous model", "model" => Action::Left;
    Right: ["l", "Right"], "next model", "model" => Action::Right;
    Open: ["Enter"], "the wrong items of the cell", "wrong items of the cell" => Action::Submit;
    Close: ["Esc", "t", "q", "Ctrl-c"], "close", "close" => Action::Cancel;
}

/// The selected cell: row (a slice) and column (a model).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StatsView {
    /// Row: the subsets, then the scenarios in taxonomy order.
    pub row: usize,
    /// Column: the model.
    pub col: usize,
}

/// What a row of the table counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Slice {
    /// One subset.
    Subset(Subset),
    /// One scenario, by key.
    Scenario(String),
}

impl Slice {
    /// The filter term selecting the slice's items.
    pub fn term(&self) -> String {
        match self {
            Slice::Subset(s) => format!("subset:{}", s.key()),
            Slice::Scenario(key) => format!("scenario:{key}"),
        }
    }

    /// A model's tally on the slice.
    pub fn tally(&self, report: &ModelReport) -> Tally {
        match self {
            Slice::Subset(Subset::Typical) => report.typical,
            Slice::Subset(Subset::Attack) => report.attack,
            Slice::Subset(Subset::OverSafety) => report.over_safety,
            Slice::Scenario(key) => report.by_scenario.get(key).copied().unwrap_or_default(),
        }
    }
}

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatsRow {
    /// What the first column says.
    pub label: String,
    /// What it counts.
    pub slice: Slice,
}

/// The rows: the subsets, then the scenarios that have scored items.
pub fn rows(ws: &Workspace) -> Vec<StatsRow> {
    let mut rows: Vec<StatsRow> = [
        (strings::header::TYPICAL, Subset::Typical),
        (strings::header::ATTACK, Subset::Attack),
        (strings::header::OVER_SAFE, Subset::OverSafety),
    ]
    .into_iter()
    .map(|(label, s)| StatsRow {
        label: label.to_string(),
        slice: Slice::Subset(s),
    })
    .collect();
    if let EvalStatus::Ready(data) = &ws.eval {
        for s in &ws.dataset.manifest.taxonomy.scenarios {
            if data
                .evaluation
                .reports
                .iter()
                .any(|r| r.by_scenario.get(&s.key).is_some_and(|t| t.total > 0))
            {
                rows.push(StatsRow {
                    label: s.name.clone(),
                    slice: Slice::Scenario(s.key.clone()),
                });
            }
        }
    }
    rows
}

/// Applies one action to the Stats view.
pub fn update(ws: &mut Workspace, view: &mut StatsView, action: Action) -> Next {
    let EvalStatus::Ready(data) = &ws.eval else {
        return Next::Close;
    };
    let models = data.evaluation.models.len();
    let rows = rows(ws);
    match action {
        Action::Down => view.row = (view.row + 1).min(rows.len() - 1),
        Action::Up => view.row = view.row.saturating_sub(1),
        Action::Right => view.col = (view.col + 1).min(models.saturating_sub(1)),
        Action::Left => view.col = view.col.saturating_sub(1),
        Action::Submit => {
            let model = &data.evaluation.models[view.col].name;
            let query = format!("wrong:{model} {}", rows[view.row].slice.term());
            return match ws.apply_filter(&query) {
                Ok(()) => Next::Close,
                Err(error) => Next::Open(Open::Filter {
                    text: query,
                    error: Some(error),
                }),
            };
        }
        Action::Cancel | Action::OpenStats | Action::Quit => return Next::Close,
        _ => {}
    }
    Next::Stay
}

/// Paints the chart and the table.
pub fn draw(ws: &Workspace, view: &StatsView, frame: &mut Frame, area: Rect) {
    let t = &ws.theme;
    frame.render_widget(Clear, area);
    let EvalStatus::Ready(data) = &ws.eval else {
        return;
    };
    let e = &data.evaluation;
    let chart_height = if area.height > 24 { 9 } else { 6 };
    let [chart_area, table_area] =
        ratatui::layout::Layout::vertical([Constraint::Length(chart_height), Constraint::Fill(1)])
            .areas(area);
    let bars: Vec<Bar> = e
        .reports
        .iter()
        .map(|r| {
            let total = r.total_macro.unwrap_or(0.0);
            Bar::default()
                .value(total.round() as u64)
                .text_value(format!("{total:.1}"))
                .label(Line::from(esc(r
                    .label
                    .chars()
                    .take(12)
                    .collect::<String>()
                    .as_str())))
                .style(accuracy_style(t, r.total_macro))
        })
        .collect();
    let bar_width = ((chart_area.width.saturating_sub(2)) / (e.reports.len().max(1) as u16 + 1)).clamp(3, 12);
    let chart = BarChart::default()
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(strings::STATS_CHART_TITLE),
        )
        .data(BarGroup::default().bars(&bars))
        .bar_width(bar_width)
        .bar_gap(1)
        .max(100);
    frame.render_widget(chart, chart_area);

    let rows = rows(ws);
    let model_width = 18u16;
    let visible_models =
        (usize::from(table_area.width.saturating_sub(22)) / usize::from(model_width + 1)).max(1);
    let first_model = view.col.saturating_sub(visible_models - 1);
    let models: Vec<usize> = (first_model..e.models.len()).take(visible_models).collect();
    let visible_rows = usize::from(table_area.height.saturating_sub(3)).max(1);
    let first_row = view.row.saturating_sub(visible_rows - 1);
    let table_rows: Vec<Row> = rows
        .iter()
        .enumerate()
        .skip(first_row)
        .take(visible_rows)
        .map(|(r, row)| {
            let mut cells = vec![Cell::from(esc(&row.label))];
            for &m in &models {
                let report = &e.reports[m];
                let tally = row.slice.tally(report);
                let text = match tally.accuracy() {
                    None => "-".to_string(),
                    Some(a) if r < 3 => {
                        let (lo, hi) = tally.ci95();
                        format!("{a:.1} [{lo:.0}-{hi:.0}]")
                    }
                    Some(a) => format!("{a:.1} ({})", tally.total),
                };
                let mut style = accuracy_style(t, tally.accuracy());
                if r == view.row && m == view.col {
                    style = style.patch(t.selected());
                }
                cells.push(Cell::from(Span::styled(text, style)));
            }
            Row::new(cells)
        })
        .collect();
    let header = std::iter::once(Cell::from(strings::header::SLICE))
        .chain(models.iter().map(|&m| Cell::from(esc(e.models[m].label()))))
        .collect::<Vec<_>>();
    let widths: Vec<Constraint> = std::iter::once(Constraint::Length(22))
        .chain(models.iter().map(|_| Constraint::Length(model_width)))
        .collect();
    let title = strings::stats_title(&esc(e.models[view.col].label()), &esc(&rows[view.row].label));
    let table = Table::new(table_rows, widths)
        .header(Row::new(header).style(bold()))
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(title)
                .border_style(t.fg(t.accent)),
        );
    frame.render_widget(table, table_area);
}

/// The footer of Stats.
pub fn hints(keys: &Bindings<Command>) -> Vec<(String, String)> {
    vec![
        footer::pair(keys, Command::Down, Command::Up, "row"),
        footer::pair(keys, Command::Left, Command::Right, "model"),
        footer::one(keys, Command::Open, Command::Open.short()),
        footer::one(keys, Command::Close, Command::Close.short()),
    ]
}
