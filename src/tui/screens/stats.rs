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
use safeaware::eval::{ModelReport, Outcome, Tally};
use safeaware::model::Subset;
use std::collections::BTreeMap;

commands! {
    Down: ["j", "Down"], "next slice", "row" => Action::Down;
    Up: ["k", "Up"], "previous slice", "row" => Action::Up;
    Left: ["h", "Left"], "previous model", "model" => Action::Left;
    Right: ["l", "Right"], "next model", "model" => Action::Right;
    Open: ["Enter"], "the wrong items of the cell", "wrong items of the cell" => Action::Submit;
    Close: ["Esc", "t", "q", "Ctrl-c"], "close", "close" => Action::Cancel;
}

/// The selected cell: row (a slice) and column (a model), and the tallies of the view
/// when a filter narrows it (computed once, when Stats opens).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StatsView {
    /// Row: the subsets, the total, coverage, unparsed, then the scenarios.
    pub row: usize,
    /// Column: the model.
    pub col: usize,
    /// Counts over the view, per model.
    pub counts: ViewCounts,
}

impl StatsView {
    /// Stats of the items in the view (the active filter applied).
    pub fn new(ws: &Workspace) -> StatsView {
        StatsView {
            counts: ViewCounts::of(ws),
            ..StatsView::default()
        }
    }
}

/// Tallies of every model over the items of the view: the report's own when no filter
/// narrows the view, else counted from the outcomes of the view's items.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ViewCounts {
    /// Items in the view.
    pub items: usize,
    /// Whether a filter narrows the view.
    pub filtered: bool,
    /// Per model: typical, attack and over-safety tallies of the view (when filtered).
    pub subsets: Vec<[Tally; 3]>,
    /// Per model: tallies by scenario key of the view (when filtered).
    pub scenarios: Vec<BTreeMap<String, Tally>>,
    /// Per model: items of the view with a response.
    pub responses: Vec<usize>,
    /// Per model: responses of the view that no reader could parse.
    pub unparsed: Vec<usize>,
    /// Per model: responses of the view with nothing to read (left out of accuracy).
    pub no_answer: Vec<usize>,
}

impl ViewCounts {
    /// Counts the view of `ws`.
    pub fn of(ws: &Workspace) -> ViewCounts {
        let EvalStatus::Ready(data) = &ws.eval else {
            return ViewCounts::default();
        };
        let e = &data.evaluation;
        let models = e.models.len();
        let mut counts = ViewCounts {
            items: ws.view.len(),
            filtered: !ws.filter.is_empty(),
            subsets: vec![[Tally::default(); 3]; models],
            scenarios: vec![BTreeMap::new(); models],
            responses: vec![0; models],
            unparsed: vec![0; models],
            no_answer: vec![0; models],
        };
        for &i in &ws.view {
            let item = &ws.dataset.items[i];
            let counted = e.counts(&ws.dataset, i);
            for m in 0..models {
                let no_answer = e.scored[m][i].is_some_and(|s| !s.verdict(e.reader, item.gold).is_scored());
                counts.no_answer[m] += usize::from(no_answer);
                let Some(outcome) = e.outcome(m, i) else { continue };
                counts.responses[m] += 1;
                counts.unparsed[m] += usize::from(outcome == Outcome::Unparsed);
                if !counted {
                    continue;
                }
                let right = u64::from(outcome == Outcome::Right);
                let slot = match item.subset {
                    Subset::Typical => 0,
                    Subset::Attack => 1,
                    Subset::OverSafety => 2,
                };
                let tally = &mut counts.subsets[m][slot];
                tally.total += 1;
                tally.correct += right;
                if let Some(key) = &item.scenario {
                    let tally = counts.scenarios[m].entry(key.clone()).or_default();
                    tally.total += 1;
                    tally.correct += right;
                }
            }
        }
        counts
    }

    /// Model `m`'s tally on a slice of accuracy (None for coverage and unparsed rows).
    fn tally(&self, slice: &Slice, m: usize, report: &ModelReport) -> Option<Tally> {
        let subset_slot = |s: Subset| match s {
            Subset::Typical => 0,
            Subset::Attack => 1,
            Subset::OverSafety => 2,
        };
        let subsets = if self.filtered {
            self.subsets.get(m).copied().unwrap_or_default()
        } else {
            [report.typical, report.attack, report.over_safety]
        };
        match slice {
            Slice::Subset(s) => Some(subsets[subset_slot(*s)]),
            Slice::Total => Some(subsets.iter().fold(Tally::default(), |sum, t| Tally {
                correct: sum.correct + t.correct,
                total: sum.total + t.total,
            })),
            Slice::Scenario(key) if self.filtered => Some(
                self.scenarios
                    .get(m)
                    .and_then(|s| s.get(key))
                    .copied()
                    .unwrap_or_default(),
            ),
            Slice::Scenario(_) => Some(slice.tally(report)),
            Slice::Coverage | Slice::Unparsed => None,
        }
    }
}

/// What a row of the table counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Slice {
    /// One subset.
    Subset(Subset),
    /// One scenario, by key.
    Scenario(String),
    /// Every subset together (pooled).
    Total,
    /// Items with a response, out of the view.
    Coverage,
    /// Responses no reader could parse.
    Unparsed,
}

impl Slice {
    /// The filter selecting model `model`'s failures in the slice: its wrong items, its
    /// unparsed answers, or the items it did not answer.
    pub fn query(&self, model: &str) -> String {
        match self {
            Slice::Subset(s) => format!("wrong:{model} subset:{}", s.key()),
            Slice::Scenario(key) => format!("wrong:{model} scenario:{key}"),
            Slice::Total => format!("wrong:{model}"),
            Slice::Coverage => format!("-right:{model} -wrong:{model}"),
            Slice::Unparsed => format!("unparsed:{model}"),
        }
    }

    /// A model's tally on the slice.
    pub fn tally(&self, report: &ModelReport) -> Tally {
        match self {
            Slice::Subset(Subset::Typical) => report.typical,
            Slice::Subset(Subset::Attack) => report.attack,
            Slice::Subset(Subset::OverSafety) => report.over_safety,
            Slice::Scenario(key) => report.by_scenario.get(key).copied().unwrap_or_default(),
            Slice::Total | Slice::Coverage | Slice::Unparsed => Tally::default(),
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
    for (label, slice) in [
        (strings::header::TOTAL, Slice::Total),
        (strings::header::COVERAGE, Slice::Coverage),
        (strings::header::UNPARSED, Slice::Unparsed),
    ] {
        rows.push(StatsRow {
            label: label.to_string(),
            slice,
        });
    }
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
        Action::Down => view.row = (view.row + 1).min(rows.len().saturating_sub(1)),
        Action::Up => view.row = view.row.saturating_sub(1),
        Action::Right => view.col = (view.col + 1).min(models.saturating_sub(1)),
        Action::Left => view.col = view.col.saturating_sub(1),
        Action::Submit => {
            let model = &data.evaluation.models[view.col].name;
            let query = format!("{} {}", rows[view.row].slice.query(model), ws.filter)
                .trim()
                .to_string();
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
                let (text, accuracy) = match view.counts.tally(&row.slice, m, report) {
                    Some(tally) => {
                        let text = match tally.accuracy() {
                            None => "-".to_string(),
                            Some(a) if matches!(row.slice, Slice::Subset(_) | Slice::Total) => {
                                let (lo, hi) = tally.ci95();
                                format!("{a:.1} [{lo:.0}-{hi:.0}]")
                            }
                            Some(a) => format!("{a:.1} ({})", tally.total),
                        };
                        (text, tally.accuracy())
                    }
                    None => {
                        let c = &view.counts;
                        let text = match row.slice {
                            Slice::Coverage => {
                                format!("{} / {}", c.responses.get(m).copied().unwrap_or(0), c.items)
                            }
                            _ => strings::stats_unparsed(
                                c.unparsed.get(m).copied().unwrap_or(0),
                                c.no_answer.get(m).copied().unwrap_or(0),
                            ),
                        };
                        (text, None)
                    }
                };
                let mut style = accuracy_style(t, accuracy);
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
    let mut title = strings::stats_title(&esc(e.models[view.col].label()), &esc(&rows[view.row].label));
    if view.counts.filtered {
        title = format!(
            "{title}· {} ",
            strings::stats_filtered(view.counts.items, ws.dataset.items.len())
        );
    }
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
